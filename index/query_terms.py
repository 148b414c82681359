"""A query's words as index terms, the same for every engine.

The index keeps three kinds of text: ``text`` (the analysis chain: stems, base forms;
compound parts at index time only), ``exact`` (lowercased and normalised words, no
stemming: quoted exact forms and prefixes) and ``id`` (item and case numbers, whole and
lowercased).  :func:`groups` analyses query text for one kind the way the index analysed
the stored text, as a list of positions, each a list of alternative terms (a word and its
å-spelling).  ``chain`` is "danish" (arkiv's chain) or "snowball" (the evaluation's
baseline); the exact kind is the same for both.
"""
from __future__ import annotations

from typing import Callable, Iterable

from index import analysis
from index.analysis import Token
from index.query import MIN_PREFIX

TEXT, EXACT, ID = "text", "exact", "id"
CHAINS = ("danish", "snowball")


def analyzer(chain: str, kind: str) -> Callable[[str, str], list[Token]]:
    """``(text, mode) -> tokens`` of one kind of field; mode "index" or "query"."""
    if chain not in CHAINS:
        raise ValueError(f"unknown analysis chain {chain!r}")
    if kind == EXACT:
        return lambda text, mode: analysis.exact_analyze(text)
    if chain == "snowball":
        return lambda text, mode: analysis.snowball_analyze(text)
    return lambda text, mode: analysis.analyze(text, "index" if mode == "index" else "query")


def index_pairs(chain: str, kind: str) -> Callable[[str], list[tuple[str, int]]]:
    """``text -> (term, position) pairs`` as ``analyzer(chain, kind)(text, "index")`` gives them,
    the fast way where there is one (analysis.index_terms)."""
    if kind == EXACT:
        return analysis.exact_index_terms
    if chain == "danish":
        return analysis.index_terms
    return lambda text: [(t.text, t.pos) for t in analyzer(chain, kind)(text, "index")]


def groups(chain: str, kind: str, text: str) -> list[list[str]]:
    """Query text analysed for a kind of field: a list of positions, each a list of terms."""
    if kind == ID:
        text = text.strip().lower()
        return [[text]] if text else []
    found: dict[int, list[str]] = {}
    for i, tok in enumerate(analyzer(chain, kind)(text, "query")):
        pos = tok.pos if tok.pos is not None else i
        terms = found.setdefault(pos, [])
        if tok.text and tok.text not in terms:
            terms.append(tok.text)
    return [found[p] for p in sorted(found) if found[p]]


def prefixes(text: str) -> list[str]:
    """What a prefix query ``text*`` expands: the normalised word and its å-spelling
    (grenaa* -> grenaa, grenå), each at least MIN_PREFIX letters.  Empty when ``text`` is
    not one word of that length (it is then searched as a plain word)."""
    found = groups("danish", EXACT, text)
    if len(found) != 1 or len(found[0][0]) < MIN_PREFIX:
        return []
    return [p for p in found[0] if len(p) >= MIN_PREFIX]


MIN_SUGGEST, MAX_SUGGEST = 4, 40     # letters of a word that "did you mean" looks at


def spelling_subject(chain: str, word: str, few: int, doc_frequency: Callable[[str], int],
                     ratio: float = 0.0) -> tuple[str, int, int, int] | None:
    """(its exact-form term, the items it matches, the edits a better spelling may be away: 1, or 2
    from six letters, the items a better spelling must match) for a word "did you mean" should look
    at: one word of MIN_SUGGEST..MAX_SUGGEST letters (an edit-distance walk grows with the word, and
    no Danish word in minutes is longer) that matches fewer than ``few`` items (a better spelling
    then matches more), or, with a ``ratio``, any number (a better spelling then matches at least
    ``ratio`` times as many: ``kontigent`` beside ``kontingent``)."""
    word = word.strip()
    if not MIN_SUGGEST <= len(word) <= MAX_SUGGEST or not word.isalpha():
        return None
    found = groups(chain, EXACT, word)
    if len(found) != 1:
        return None
    hits = doc_frequency(word)
    norm = found[0][0]
    if hits < few:
        least = hits + 1
    elif ratio:
        least = max(hits + 1, int(ratio * hits + 0.999))
    else:
        return None
    return norm, hits, 1 if len(norm) < 6 else 2, least


def best_spelling(norm: str, least: int, candidates: Iterable[tuple[str, int]],
                  accept: Callable[[str], bool] | None = None) -> str | None:
    """The candidate (spelling, items it matches) found in at least ``least`` items (and that
    ``accept`` takes): the most frequent, then the closest to ``norm``, then the last in
    alphabetical order."""
    best: tuple[int, int, str] | None = None
    for cand, freq in candidates:
        if freq < least or cand == norm or (accept is not None and not accept(cand)):
            continue
        key = (freq, -edit_distance(cand, norm), cand)
        if best is None or key > best:
            best = key
    return best[2] if best else None


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance ("did you mean" ranks candidates by it)."""
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]
