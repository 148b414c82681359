"""Query evaluation in numpy over one index generation, for every engine.

Both engines keep an index as immutable segments of posting lists (Whoosh's on disk,
:mod:`index.engine_pg`'s in PostgreSQL) and read them into numpy arrays; this module
evaluates :mod:`index.query`'s tree over such a *generation* (the segments one search
sees) as dense vectors: a boolean match and a ``float32`` BM25F score per document.
What a generation offers is the :class:`Generation` Protocol; the fields it holds and
the scopes of a search are :mod:`index.documents`'.  A result is dense: 100,000 documents
are a 100 KB mask and a 400 KB score vector, and every operation a few numpy passes.
"""
from __future__ import annotations

from collections import Counter
from itertools import chain as chained
from typing import Any, Protocol, Sequence

import numpy as np

from index import documents as D
from index import query as q
from index import query_terms as qt
from index.model import Filters

B, K1 = 0.75, 1.2                  # Whoosh's BM25F defaults
PREFIX_MAX_TERMS = 4096             # prefix expansion cap (most frequent terms kept)


class Generation(Protocol):
    """The segments one search reads, as arrays over global document numbers."""
    N: int                          # documents, deleted ones included
    alive: np.ndarray               # bool per document

    def postings(self, field: str, text: str) -> tuple[np.ndarray, np.ndarray]:
        """Sorted live document numbers holding ``text`` in ``field``, and the term frequencies."""

    def term_match(self, field: str, text: str, boost: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
        """(documents, BM25F scores) of one term."""

    def positions_for(self, field: str, text: str, cand: np.ndarray, shift: int) -> np.ndarray:
        """int64 keys (doc << 32 | pos - shift + 2**20) of ``text`` in the candidates (a mask),
        sorted and unique."""

    def expand_prefix(self, field: str, prefix: str, cap: int = PREFIX_MAX_TERMS) -> list[str]: ...

    def rank(self, order: str) -> np.ndarray:
        """Every document's rank in "newest" or "oldest" order."""

    def numeric_cached(self, field: str) -> np.ndarray: ...

    def count_facet(self, field: str, mask: np.ndarray) -> Counter: ...


def bm25(idf: float, tf: np.ndarray, lengths: np.ndarray, avg: float, boost: float) -> np.ndarray:
    """Whoosh's BM25F of one term in one field, per document."""
    score = (boost * idf) * (tf * (K1 + 1)) / (tf + K1 * ((1 - B) + B * lengths / avg))
    return score.astype(np.float32, copy=False)


def idf(docs: int, df: int) -> float:
    return float(np.log(docs / (df + 1)) + 1.0)


# --------------------------------------------------------------------------- dense results
class Match:
    """A dense match: boolean vector + score vector over the generation's docs."""
    __slots__ = ("mask", "score")

    def __init__(self, mask: np.ndarray, score: np.ndarray):
        self.mask = mask
        self.score = score

    @classmethod
    def empty(cls, n: int) -> Match:
        return cls(np.zeros(n, dtype=bool), np.zeros(n, dtype=np.float32))

    @classmethod
    def from_sparse(cls, n: int, docs: np.ndarray, score: np.ndarray) -> Match:
        m = cls.empty(n)
        m.mask[docs] = True
        m.score[docs] = score
        return m


def _combine(n: int, matches: Sequence[Match], both: bool) -> Match:
    """Scores add up (like Whoosh's Or/And); masks OR, or AND when ``both``."""
    out = None
    for m in matches:
        if out is None:
            out = Match(m.mask.copy(), m.score.copy())
        else:
            if both:
                out.mask &= m.mask
            else:
                out.mask |= m.mask
            out.score += m.score
    return out if out is not None else Match.empty(n)


def union(n: int, matches: Sequence[Match]) -> Match:
    return _combine(n, matches, both=False)


def intersect(n: int, matches: Sequence[Match]) -> Match:
    return _combine(n, matches, both=True)


def sorted_intersect(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The values of sorted ``a`` that are in sorted ``b`` (a binary search per value of ``a``:
    no sort of both, as ``np.intersect1d`` does)."""
    if not len(a) or not len(b):
        return a[:0]
    idx = np.searchsorted(b, a)
    idx[idx == len(b)] = len(b) - 1
    return a[b[idx] == a]


def top_by_score(docs: np.ndarray, scores: np.ndarray, end: int) -> np.ndarray:
    """Indices into ``docs`` of the best ``end`` (score desc, docnum asc)."""
    n = len(docs)
    if end <= 0 or n == 0:
        return np.zeros(0, dtype=np.int64)
    if end < n:
        # Everything scoring at least the end-th best score, then an exact sort.
        kth = np.partition(scores, n - end)[n - end]
        cand = np.flatnonzero(scores >= kth)
    else:
        cand = np.arange(n)
    order = np.lexsort((docs[cand], -scores[cand]))
    return cand[order[:end]]


def top_by_rank(rank: np.ndarray, end: int) -> np.ndarray:
    n = len(rank)
    if end <= 0 or n == 0:
        return np.zeros(0, dtype=np.int64)
    if end < n:
        cand = np.argpartition(rank, end - 1)[:end]
    else:
        cand = np.arange(n)
    return cand[np.argsort(rank[cand], kind="stable")]


# --------------------------------------------------------------------------- evaluation
def run(gen: Generation, chain: str, tree: q.AllOf, filters: Filters | None, sort: str, offset: int,
        limit: int, facets: Sequence[str], scope: D.Scope
        ) -> tuple[int, list[tuple[float, int]], dict[str, Counter]]:
    """(total, the page as (score, docnum), facet counts over every match)."""
    n = gen.N
    end = offset + limit
    m = _tree(gen, chain, tree, scope)
    if m is None:                       # every word analysed away
        m = Match.empty(n)
    mask = m.mask
    mask &= gen.alive
    fmask = _filters(gen, filters)
    if fmask is not None:
        mask &= fmask
    if not scope.internal:
        mask[gen.postings("internal", D.INTERNAL)[0]] = False
    matched = np.flatnonzero(mask)
    total = int(len(matched))
    page: list[tuple[float, int]]
    if not total or not end:
        page = []
    elif sort == "relevance":
        sc = m.score[matched]
        idx = top_by_score(matched, sc, end)[offset:end]
        page = [(float(sc[i]), int(matched[i])) for i in idx]
    else:
        rank = gen.rank("oldest" if sort == "oldest" else "newest")[matched]
        idx = top_by_rank(rank, end)[offset:end]
        page = [(0.0, int(matched[i])) for i in idx]
    counts: dict[str, Counter] = {}
    for name in facets:
        c = gen.count_facet(name, mask)
        c.pop("", None)
        counts[name] = c
    return total, page, counts


def tokens(chain: str, field: str, text: str) -> list[list[str]]:
    """Query text analysed for a field: a list of positions, each a list of terms."""
    kind = qt.ID if field in D.ID_FIELDS else qt.EXACT if field in D.EXACT_FIELDS else qt.TEXT
    return qt.groups(chain, kind, text)


def _tree(gen: Generation, chain: str, tree: q.AllOf, scope: D.Scope) -> Match | None:
    """None: nothing matches (every word analysed away)."""
    n = gen.N
    if tree.is_empty:
        return Match(gen.alive.copy(), np.zeros(n, dtype=np.float32))
    pos: list[Match] = []
    neg: list[Match] = []
    for child in tree.children:
        target = neg if isinstance(child, q.Not) else pos
        built = _leaf(gen, chain, child, scope)
        if built is not None:
            target.append(built)
    if not pos and not neg:
        return None
    if pos:
        base = intersect(n, pos)
    else:           # only exclusions: every item, scored 1 like Whoosh's Every()
        base = Match(gen.alive.copy(), np.ones(n, dtype=np.float32))
    for nm in neg:
        base.mask &= ~nm.mask
    return base


def _term(gen: Generation, field: str, text: str, boost: float) -> Match:
    docs, score = gen.term_match(field, text, boost)
    return Match.from_sparse(gen.N, docs, score)


def _field(gen: Generation, field: str, groups: list[list[str]], boost: float = 1.0) -> Match | None:
    if not groups:
        return None
    if len(groups) == 1:
        return union(gen.N, [_term(gen, field, t, boost) for t in groups[0]])
    return _phrase(gen, field, [g[0] for g in groups], boost)


def _phrase(gen: Generation, field: str, words: list[str], boost: float) -> Match:
    n = gen.N
    cand = intersect(n, [_term(gen, field, w, boost) for w in words])
    if not cand.mask.any():
        # No item has all the words in this field: it adds nothing (intersect's scores
        # are summed over every item, and a union would add them to the other fields').
        return Match.empty(n)
    keys = gen.positions_for(field, words[0], cand.mask, 0)
    for i, w in enumerate(words[1:], 1):
        if not len(keys):
            break
        keys = sorted_intersect(keys, gen.positions_for(field, w, cand.mask, i))
    docs = np.unique(keys >> 32)
    mask = np.zeros(n, dtype=bool)
    mask[docs] = True
    cand.score[~mask] = 0.0
    return Match(mask, cand.score)


def _text(gen: Generation, chain: str, text: str, scope: D.Scope) -> Match | None:
    groups = tokens(chain, "title", text)          # the text fields share one analyser
    if not groups:
        return None
    return union(gen.N, [m for m in (_field(gen, f, groups, b) for f, b in scope.text.items()) if m is not None])


def _leaf(gen: Generation, chain: str, node: Any, scope: D.Scope) -> Match | None:
    if isinstance(node, q.Term):
        text_m = _text(gen, chain, node.text, scope)
        if text_m is None:
            return None          # only an identifier-like or stopword: keep it strict
        alts = [text_m]
        for f, b in D.ID_FIELDS.items():
            groups = tokens(chain, f, node.text.strip())
            if groups:
                alts.append(_term(gen, f, groups[0][0], b))
        return union(gen.N, alts)
    if isinstance(node, q.Exact):
        groups = tokens(chain, "exact", node.text)
        kids = [k for k in (_field(gen, f, groups, 2.0) for f in scope.exact) if k is not None]
        return union(gen.N, kids) if kids else None
    if isinstance(node, q.Prefix):
        prefixes = qt.prefixes(node.text)
        if prefixes:
            # Like Whoosh's Prefix: an OR of the expanded terms, each scored by BM25 (its
            # "constantscore" falls back to the searcher's weighting), so an item with more
            # and rarer matching words ranks higher; fields add up.
            kids = []
            for f in scope.exact:
                mask = np.zeros(gen.N, dtype=bool)
                score = np.zeros(gen.N, dtype=np.float32)
                for t in chained.from_iterable(gen.expand_prefix(f, p) for p in prefixes):
                    docs, sc = gen.term_match(f, t)
                    mask[docs] = True
                    score[docs] += sc
                kids.append(Match(mask, score))
            return union(gen.N, kids)
        return _leaf(gen, chain, q.Term(node.text), scope)
    if isinstance(node, q.Phrase):
        return _text(gen, chain, " ".join(node.words), scope)
    if isinstance(node, q.AnyOf):
        kids = [k for k in (_leaf(gen, chain, c, scope) for c in node.children) if k is not None]
        return union(gen.N, kids) if kids else None
    if isinstance(node, q.Not):
        return _leaf(gen, chain, node.child, scope)
    if isinstance(node, q.AllOf):
        m = _tree(gen, chain, node, scope)
        return m if m is not None else Match.empty(gen.N)
    return None


def _filters(gen: Generation, f: Filters | None) -> np.ndarray | None:
    if f is None or f.is_empty():
        return None
    mask = gen.alive.copy()
    for field, values in f.term_clauses():
        sub = np.zeros(gen.N, dtype=bool)
        for v in values:
            sub[gen.postings(field, v)[0]] = True
        mask &= sub
    days = f.day_range()
    if days:
        day = gen.numeric_cached("day")
        mask &= day >= days[0]
        if days[1] is not None:
            mask &= day <= days[1]
    return mask
