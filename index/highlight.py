"""Snippets: the query's words marked in an item's stored text, for every engine.

:class:`Highlighter` re-analyses stored text with the index's own analysis
(:mod:`index.query_terms`), so stems and compound parts highlight the words they came
from; :func:`fragment` cuts the window of about SNIPPET_LEN characters around the densest
cluster of marks.  Output: HTML-escaped text, only ``<mark>`` added.
"""
from __future__ import annotations

import html
import re
from collections import Counter
from itertools import chain
from typing import Any, Sequence

from archive import word_caches
from index import query as q
from index import query_terms as qt
from index.documents import SNIPPET_FALLBACK as FALLBACK

SNIPPET_LEN = 240
_WS = re.compile(r"\s+")
_CHUNK = re.compile(r"\S+")
_FOLD = str.maketrans({"ä": "æ", "ö": "ø"})      # as the analysis normalises (archive.lexicon.normal_form)
PROBE_LETTERS = 3


def _probe(terms: set[str]) -> re.Pattern | None:
    """A chunk that holds any of ``terms``' first PROBE_LETTERS letters (in lower case, with an initial
    å also as aa): what a chunk must show to be worth analysing."""
    heads = set()
    for t in terms:
        head = t[:PROBE_LETTERS]
        heads.add(head)
        if "å" in head:
            heads.add(head.replace("å", "aa"))
    if not heads:
        return None
    alts = "|".join(re.escape(h) for h in sorted(heads, key=len, reverse=True))
    return re.compile(r"\S*(?:" + alts + r")\S*")


def _esc(text: str) -> str:
    return html.escape(_WS.sub(" ", text), quote=True)


def add_snippets(hits: Sequence[Any], tree: q.AllOf, fields: Sequence[str], chain_name: str, cache: dict) -> None:
    """Set ``hit.snippet`` of each hit (an engine's Hit) from its stored ``fields``."""
    if not hits:
        return
    hl = Highlighter(tree, fields, chain_name, cache)
    for hit in hits:
        hit.snippet, hit.snippet_from = hl.quote(hit.fields)


class Highlighter:
    """Marks the query's (positive) terms in stored text.  ``fields``: the stored fields a
    snippet may come from, in tie-break order; ``cache``: the engine's memo of analysed
    words (kept across searches)."""

    def __init__(self, tree: q.AllOf, fields: Sequence[str], chain_name: str, cache: dict):
        self.fields = tuple(fields)
        self.text_ana = qt.analyzer(chain_name, qt.TEXT)
        self.exact_ana = qt.analyzer(chain_name, qt.EXACT)
        self.cache = cache
        self.terms: set[str] = set()
        self.exact: set[str] = set()
        self.prefixes: list[str] = []

        def words(kind: str, text: str) -> set[str]:
            return set(chain.from_iterable(qt.groups(chain_name, kind, text)))

        for leaf in q.positive_leaves(tree):
            if isinstance(leaf, q.Term):
                self.terms |= words(qt.TEXT, leaf.text)
            elif isinstance(leaf, q.Phrase | q.Near):
                self.terms |= words(qt.TEXT, " ".join(leaf.words))
            elif isinstance(leaf, q.Exact):
                self.exact |= words(qt.EXACT, leaf.text)
            elif isinstance(leaf, q.Prefix):
                prefixes = qt.prefixes(leaf.text)
                if prefixes:
                    self.prefixes.extend(prefixes)
                else:
                    self.terms |= words(qt.TEXT, leaf.text)
        self.empty = not (self.terms or self.exact or self.prefixes)
        self.probe = _probe(self.terms | self.exact | set(self.prefixes))

    def _chunk_terms(self, which: str, ana, chunk: str) -> tuple:
        """((start, end, term), ...) of one whitespace-free chunk, memoised per engine.
        Both analysis chains tokenize within whitespace-separated chunks and analyse
        tokens independently of their neighbours, so analysing chunk by chunk gives
        exactly the spans of analysing the whole text, at a dict lookup per word."""
        key = (which, chunk)
        got = self.cache.get(key)
        if got is None:
            got = tuple((t.start, t.end, t.text) for t in ana(chunk, "index"))
            if len(self.cache) > word_caches.size():
                self.cache.clear()
            self.cache[key] = got
        return got

    def _chunks(self, text: str, probe: re.Pattern | None):
        """The whitespace-free chunks of ``text`` (with their offsets) that may hold a query term: with
        a ``probe``, only those holding a term's first letters (one regular expression over the text,
        where analysing every chunk of a long text cost more than the search)."""
        if probe is not None:
            folded = text.lower()
            if "ä" in folded or "ö" in folded:         # translate() costs: only where it changes something
                folded = folded.translate(_FOLD)
            if len(folded) == len(text):
                return ((m.start(), text[m.start():m.end()]) for m in probe.finditer(folded))
        return ((m.start(), m.group()) for m in _CHUNK.finditer(text))

    def _matches(self, text: str, probe: re.Pattern | None = None) -> list[tuple[int, int, str]]:
        spans: dict[tuple[int, int], str] = {}
        want_exact = bool(self.exact or self.prefixes)
        terms, exact, prefixes = self.terms, self.exact, tuple(self.prefixes)
        for base, chunk in self._chunks(text, probe):
            if terms:
                for s0, e0, t in self._chunk_terms("t", self.text_ana, chunk):
                    if t in terms:
                        spans.setdefault((base + s0, base + e0), t)
            if want_exact:
                for s0, e0, w in self._chunk_terms("e", self.exact_ana, chunk):
                    if w in exact or (prefixes and w.startswith(prefixes)):
                        spans.setdefault((base + s0, base + e0), w)
        return sorted((s, e, term) for (s, e), term in spans.items())

    def snippet(self, fields: dict[str, Any]) -> str:
        return self.quote(fields)[0]

    def quote(self, fields: dict[str, Any]) -> tuple[str, str]:
        """(the snippet, the field it quotes: "" for the lead of an item no word marks)."""
        if self.empty:
            return self._lead(fields), ""
        best = self._best(fields, self.probe)
        if best is None and self.probe is not None:
            # A term whose first letters its word does not show (a part's lemma: børne|have -> barn):
            # every chunk, as without the probe.
            best = self._best(fields, None)
        if best is None:
            return self._lead(fields), ""
        return fragment(best[1], best[2]), best[3]

    def _best(self, fields: dict[str, Any], probe: re.Pattern | None) -> tuple | None:
        best = None
        for rank, name in enumerate(self.fields):
            if best is not None and name in FALLBACK:
                break               # the item's own text quotes it: what else text holds is not read
            text = fields.get(name) or ""
            if not text:
                continue
            spans = self._matches(text, probe)
            if not spans:
                continue
            key = (len({t for _, _, t in spans}), -rank)
            if best is None or key > best[0]:
                best = (key, text, spans, name)
        return best

    @staticmethod
    def _lead(fields: dict[str, Any]) -> str:
        for name in ("description", "minutes", "recommendation", "private"):
            text = (fields.get(name) or "").strip()
            if text:
                return fragment(text, [])
        return ""


def densest(spans: list[tuple[int, int, str]], width: float) -> int:
    """Index of the first span that starts the window of ``width`` characters holding
    the most distinct terms, then the most spans.

    Spans are sorted and disjoint (one per word), so the spans in the window that
    starts at span i are a run spans[i:j]; both ends only move forward (two pointers,
    with the run's term counts kept up to date): linear in the number of spans, where
    rescanning the rest for every start made a 1 MB item take half a minute."""
    best_i, best_key = 0, (-1, -1)
    counts: Counter = Counter()
    j = 0
    for i, (s0, _, _) in enumerate(spans):
        if j < i:
            j = i
        limit = s0 + width
        while j < len(spans) and spans[j][1] <= limit:
            counts[spans[j][2]] += 1
            j += 1
        key = (len(counts), j - i)
        if key > best_key:
            best_i, best_key = i, key
        if j > i:                       # span i leaves the run
            term = spans[i][2]
            counts[term] -= 1
            if not counts[term]:
                del counts[term]
    return best_i


def fragment(text: str, spans: list[tuple[int, int, str]], size: int = SNIPPET_LEN) -> str:
    """An escaped window of ``text`` of about ``size`` characters around the densest
    cluster of ``spans``, with the spans in it wrapped in ``<mark>``."""
    n = len(text)
    best_i = densest(spans, size * 0.8) if spans else 0
    start = max(0, spans[best_i][0] - size // 5) if spans else 0
    if start > 0:
        # Start at a word boundary.
        sp = text.find(" ", start, min(n, start + 25))
        nl = text.find("\n", start, min(n, start + 25))
        cut = min(x for x in (sp, nl) if x >= 0) if (sp >= 0 or nl >= 0) else -1
        if cut >= 0 and (not spans or cut < spans[best_i][0]):
            start = cut + 1
    end = min(n, start + size)
    if end < n:
        cut = max(text.rfind(" ", start, end), text.rfind("\n", start, end))
        if cut > start + size // 2:
            end = cut
    # Keep marks whole.
    for s, e, _ in spans:
        if s < end < e:
            end = e
    out = []
    pos = start
    for s, e, _ in spans:
        if s < start or e > end or s < pos:
            continue
        out.append(_esc(text[pos:s]))
        out.append("<mark>" + _esc(text[s:e]) + "</mark>")
        pos = e
    out.append(_esc(text[pos:end]))
    body = "".join(out).strip()
    return ("… " if start > 0 else "") + body + (" …" if end < n else "")
