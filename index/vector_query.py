"""Query evaluation in numpy over one index generation, for every engine.

Both engines keep an index as immutable segments of posting lists (Whoosh's on disk,
:mod:`index.engine_pg`'s in PostgreSQL) and read them into numpy arrays; this module
evaluates :mod:`index.query`'s tree over such a *generation* (the segments one search
sees) as dense vectors: a boolean match and a ``float32`` BM25F score per document.
What a generation offers is :class:`SegmentedGeneration`; the fields it holds and
the scopes of a search are :mod:`index.documents`'.  A result is dense: 100,000 documents
are a 100 KB mask and a 400 KB score vector, and every operation a few numpy passes.
"""
from __future__ import annotations

import abc
import threading
from collections import Counter, OrderedDict
from itertools import chain as chained
from typing import Any, Sequence

import numpy as np

from index import documents as D
from index import query as q
from index import query_terms as qt
from index.model import Filters

B, K1 = 0.75, 1.2                  # Whoosh's BM25F defaults
EMPTY_I = np.zeros(0, dtype=np.int32)         # shared, never written
EMPTY_F = np.zeros(0, dtype=np.float32)
PREFIX_MAX_TERMS = 4096             # prefix expansion cap (most frequent terms kept)


def bm25(idf: float, tf: np.ndarray, lengths: np.ndarray, avg: float, boost: float) -> np.ndarray:
    """Whoosh's BM25F of one term in one field, per document."""
    score = (boost * idf) * (tf * (K1 + 1)) / (tf + K1 * ((1 - B) + B * lengths / avg))
    return score.astype(np.float32, copy=False)


def idf(docs: int, df: int) -> float:
    return float(np.log(docs / (df + 1)) + 1.0)


# --------------------------------------------------------------------------- LRU
class ByteLRU:
    """A thread-safe LRU bounded by the summed ``nbytes`` of its values."""

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self.bytes = 0
        self._d: OrderedDict = OrderedDict()
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, key):
        with self._lock:
            v = self._d.get(key)
            if v is None:
                self.misses += 1
                return None
            self._d.move_to_end(key)
            self.hits += 1
            return v

    def put(self, key, value, nbytes: int) -> None:
        with self._lock:
            old = self._d.pop(key, None)
            if old is not None:
                self.bytes -= old[1]
            self._d[key] = (value, nbytes)
            self.bytes += nbytes
            while self.bytes > self.max_bytes and len(self._d) > 1:
                _, (_, nb) = self._d.popitem(last=False)
                self.bytes -= nb

    def get_value(self, key):
        v = self.get(key)
        return None if v is None else v[0]

    def clear(self) -> None:
        with self._lock:
            self._d.clear()
            self.bytes = 0


# --------------------------------------------------------------------------- postings
class SegPostings:
    """One term's postings in one segment (local docnums, deleted docs included)."""
    __slots__ = ("df", "docs", "tf", "pos_start", "pos_count", "positions")

    def __init__(self, docs: np.ndarray, tf: np.ndarray, df: int | None = None):
        self.df = len(docs) if df is None else df       # documents, deleted ones included
        self.docs = docs
        self.tf = tf
        self.pos_start: np.ndarray | None = None      # int64 per posting (CSR into positions)
        self.pos_count: np.ndarray | None = None
        self.positions: np.ndarray | None = None      # int32, absolute positions

    @property
    def nbytes(self) -> int:
        n = self.docs.nbytes + self.tf.nbytes + 64
        for arr in (self.positions, self.pos_start, self.pos_count):
            if arr is not None:
                n += arr.nbytes
        return n


# --------------------------------------------------------------------------- segmented generations
class SegmentedGeneration(abc.ABC):
    """What both engines' generations share: segments of postings, each with a document offset
    and its deletions, read into arrays.  A subclass sets ``N``, ``alive`` and ``parts``
    ((segment key, offset, alive mask or None) in document order) and provides
    ``segment_postings``, ``numeric``, ``facet``, ``lengths``, ``avg_length``, ``scorable`` and
    ``expand_prefix``.

    Several threads search one generation at once: what is derived is plain arrays, cached
    without a lock (two threads may derive one array at once; both results are equal)."""
    N: int
    alive: np.ndarray
    parts: list[tuple[Any, int, np.ndarray | None]]

    def __init__(self) -> None:
        self._terms: dict[tuple[str, str], tuple[np.ndarray, np.ndarray, int]] = {}
        self._rank: dict[str, np.ndarray] = {}
        self._numeric: dict[str, np.ndarray] = {}
        self._lock = threading.Lock()

    @abc.abstractmethod
    def segment_postings(self, field: str, terms: Sequence[str], positions: bool = False
                         ) -> dict[tuple[Any, str], SegPostings]:
        raise NotImplementedError

    @abc.abstractmethod
    def numeric(self, name: str) -> np.ndarray:
        raise NotImplementedError

    @abc.abstractmethod
    def facet(self, name: str) -> tuple[list[str], np.ndarray, np.ndarray]:
        """(values, pair docnums, pair value ordinals) over the generation."""
        raise NotImplementedError

    @abc.abstractmethod
    def lengths(self, field: str) -> np.ndarray:
        raise NotImplementedError

    @abc.abstractmethod
    def avg_length(self, field: str) -> float:
        raise NotImplementedError

    @abc.abstractmethod
    def scorable(self, field: str) -> bool:
        raise NotImplementedError

    @abc.abstractmethod
    def expand_prefix(self, field: str, prefix: str, cap: int = PREFIX_MAX_TERMS) -> list[str]:
        """The ``cap`` most frequent terms of ``field`` that start with ``prefix``, sorted."""

    def postings(self, field: str, text: str) -> tuple[np.ndarray, np.ndarray]:
        """Global sorted docnums (alive only) and term frequencies."""
        return self._term(field, text)[:2]

    def doc_frequency(self, field: str, text: str) -> int:
        return self._term(field, text)[2]

    def _term(self, field: str, text: str) -> tuple[np.ndarray, np.ndarray, int]:
        """(alive docnums, their term frequencies, document frequency).  The document frequency
        counts deleted documents until a merge drops them, as Whoosh's and Lucene's do."""
        k = (field, text)
        got = self._terms.get(k)
        if got is not None:
            return got
        per_seg = self.segment_postings(field, [text])
        docs_l, tf_l = [], []
        df = 0
        for key, offset, alive in self.parts:
            p = per_seg[(key, text)]
            if not len(p.docs):
                continue
            df += p.df
            d, t = p.docs, p.tf
            if alive is not None:
                keep = alive[d]
                d, t = d[keep], t[keep]
            docs_l.append(d + offset if offset else d)
            tf_l.append(t)
        if not docs_l:
            got = (EMPTY_I, EMPTY_F, df)
        elif len(docs_l) == 1:
            got = (docs_l[0], tf_l[0], df)
        else:
            got = (np.concatenate(docs_l), np.concatenate(tf_l), df)
        with self._lock:
            if len(self._terms) > 4096:
                self._terms.clear()
            self._terms[k] = got
        return got

    def term_match(self, field: str, text: str, boost: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
        """(docs, scores) of one term, as Whoosh's BM25F scores it: BM25 in a scorable field,
        the term frequency in an unscored one (identifiers)."""
        docs, tf, df = self._term(field, text)
        if not len(docs):
            return docs, EMPTY_F
        if not self.scorable(field):
            return docs, (tf * boost).astype(np.float32, copy=False)
        return docs, bm25(idf(self.N, df), tf, self.lengths(field)[docs], self.avg_length(field), boost)

    def positions_for(self, field: str, text: str, cand: np.ndarray, shift: int) -> np.ndarray:
        """int64 keys (doc << 32 | pos - shift + 2**20) of ``text`` in the candidates (a mask),
        sorted and unique."""
        parts = []
        per_seg = self.segment_postings(field, [text], positions=True)
        for key, offset, _alive in self.parts:
            p = per_seg[(key, text)]
            if not len(p.docs) or p.positions is None or p.pos_count is None or p.pos_start is None:
                continue
            sel = cand[p.docs + offset]
            if not sel.any():
                continue
            counts = p.pos_count[sel]
            starts = p.pos_start[sel]
            total = int(counts.sum())
            if not total:
                continue
            rep_start = np.repeat(starts - (np.cumsum(counts) - counts), counts)
            idx = np.arange(total, dtype=np.int64) + rep_start
            pos = p.positions[idx].astype(np.int64)
            docs = np.repeat(p.docs[sel].astype(np.int64) + offset, counts)
            parts.append((docs << 32) | (pos - shift + (1 << 20)))
        if not parts:
            return np.zeros(0, dtype=np.int64)
        # Sorted already (segments in order, documents and their positions sorted in each);
        # unique but where a word and its variant share a position (one key then).
        keys = np.concatenate(parts) if len(parts) > 1 else parts[0]
        return keys if bool((keys[1:] > keys[:-1]).all()) else np.unique(keys)

    def numeric_cached(self, name: str) -> np.ndarray:
        arr = self._numeric.get(name)
        if arr is None:
            arr = self._numeric[name] = self.numeric(name)
        return arr

    def rank(self, order: str) -> np.ndarray:
        """Rank of every doc in "newest" (day desc, position, docnum) or "oldest"
        (day asc with undated last, position, docnum) order."""
        r = self._rank.get(order)
        if r is None:
            day = self.numeric_cached("day")
            pos = self.numeric_cached("position")
            docn = np.arange(self.N, dtype=np.int64)
            key = np.where(day == 0, 10**9, day) if order == "oldest" else -day
            perm = np.lexsort((docn, pos, key))
            r = np.empty(self.N, dtype=np.int64)
            r[perm] = docn
            self._rank[order] = r
        return r

    def count_facet(self, name: str, mask: np.ndarray) -> Counter:
        values, docs, ords = self.facet(name)
        if not len(docs):
            return Counter()
        c = np.bincount(ords[mask[docs]], minlength=len(values))
        return Counter({values[i]: int(c[i]) for i in np.flatnonzero(c)})


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
def run(gen: SegmentedGeneration, chain: str, tree: q.AllOf, filters: Filters | None, sort: str, offset: int,
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


def _tree(gen: SegmentedGeneration, chain: str, tree: q.AllOf, scope: D.Scope) -> Match | None:
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
    for pref in tree.prefer:            # adds to the score of what matches, requires nothing
        pm = _leaf(gen, chain, pref, scope)
        if pm is not None:
            base.score = base.score + np.where(base.mask & pm.mask, pm.score, np.float32(0))
    return base


def _term(gen: SegmentedGeneration, field: str, text: str, boost: float) -> Match:
    docs, score = gen.term_match(field, text, boost)
    return Match.from_sparse(gen.N, docs, score)


def _field(gen: SegmentedGeneration, field: str, groups: list[list[str]], boost: float = 1.0) -> Match | None:
    if not groups:
        return None
    if len(groups) == 1:
        return union(gen.N, [_term(gen, field, t, boost) for t in groups[0]])
    return _phrase(gen, field, [g[0] for g in groups], boost)


def _phrase(gen: SegmentedGeneration, field: str, words: list[str], boost: float) -> Match:
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
    mask = np.zeros(n, dtype=bool)
    mask[keys >> 32] = True             # a document once per match: setting it again costs less than np.unique
    cand.score[~mask] = 0.0
    return Match(mask, cand.score)


def _near(gen: SegmentedGeneration, chain: str, node: q.Near, scope: D.Scope) -> Match | None:
    """Both words 1 to ``node.window`` positions apart, in either order, in one text field (as
    index.engine_tantivy's pair of sloppy phrases), scored as the two words times the node's weight."""
    terms = [tokens(chain, "title", w) for w in node.words]
    if any(len(t) != 1 for t in terms):
        return None
    first, second = terms[0][0][0], terms[1][0][0]
    kids = []
    for field, boost in scope.text.items():
        cand = intersect(gen.N, [_term(gen, field, w, boost * node.weight) for w in (first, second)])
        if not cand.mask.any():
            kids.append(Match.empty(gen.N))
            continue
        a = gen.positions_for(field, first, cand.mask, 0)
        b = gen.positions_for(field, second, cand.mask, 0)
        # second-word positions within the window of each first-word position, less one at its own
        within = np.searchsorted(b, a + node.window, "right") - np.searchsorted(b, a - node.window, "left")
        at = np.minimum(np.searchsorted(b, a), max(len(b) - 1, 0))
        same = (b[at] == a) if len(b) else np.zeros(len(a), dtype=bool)
        ok = within - same > 0
        mask = np.zeros(gen.N, dtype=bool)
        mask[a[ok] >> 32] = True
        cand.score[~mask] = 0.0
        kids.append(Match(mask, cand.score))
    return union(gen.N, kids)


def _text(gen: SegmentedGeneration, chain: str, text: str, scope: D.Scope) -> Match | None:
    groups = tokens(chain, "title", text)          # the text fields share one analyser
    if not groups:
        return None
    return union(gen.N, [m for m in (_field(gen, f, groups, b) for f, b in scope.text.items()) if m is not None])


def _leaf(gen: SegmentedGeneration, chain: str, node: Any, scope: D.Scope) -> Match | None:
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
    if isinstance(node, q.Near):
        return _near(gen, chain, node, scope)
    if isinstance(node, q.AnyOf):
        kids = [k for k in (_leaf(gen, chain, c, scope) for c in node.children) if k is not None]
        return union(gen.N, kids) if kids else None
    if isinstance(node, q.Not):
        return _leaf(gen, chain, node.child, scope)
    if isinstance(node, q.AllOf):
        m = _tree(gen, chain, node, scope)
        return m if m is not None else Match.empty(gen.N)
    return None


def _filters(gen: SegmentedGeneration, f: Filters | None) -> np.ndarray | None:
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
