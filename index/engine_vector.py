"""Whoosh's postings read into numpy: the generation :mod:`index.vector_query` evaluates.

Whoosh stays the on-disk index (writer, schema, postings, stored fields); this
module only *reads* it.  A posting list is read block by block straight from the
W3 codec (one ``zlib``+``pickle`` per 128 postings, ids delta-decoded with one
``np.cumsum``) into ``int32`` docnums and ``float32`` term frequencies, and kept
in a byte-bounded LRU keyed by (segment id, field, term): segments are
immutable, so entries survive commits for unchanged segments.  Deleted documents
are dropped per searcher generation with a boolean "alive" mask.

A :class:`Generation` is everything derived from one reader (one searcher): the
alive mask, per-field length arrays (for BM25 length normalisation), the day and
position columns, sort ranks, and facet (doc, value) pair arrays.  Per-segment
parts are cached by segment id, so a new generation after a small commit only
reads the new segment.

The ONLY places that import whoosh are ``index/engine*.py``.
"""
from __future__ import annotations

import threading
from typing import Any, Callable, Sequence

import numpy as np
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import TermNotFound
from whoosh.util.numeric import byte_to_length

from index.vector_query import EMPTY_F, EMPTY_I, PREFIX_MAX_TERMS, ByteLRU, SegmentedGeneration, SegPostings

_LEN_TABLE = np.array([byte_to_length(i) for i in range(256)], dtype=np.float32)
_LEN_TABLE[0] = 0.0


def _raw_matcher(leaf, field: str, text: str):
    try:
        m = leaf.postings(field, text)
    except (TermNotFound, KeyError):
        return None
    while isinstance(m, FilterMatcher):      # deletions: we apply our own mask
        m = m.child
    return m


def read_postings(leaf, field: str, text: str, positions: bool = False) -> SegPostings | None:
    """Read a whole posting list of one segment as arrays (None: term absent)."""
    m = _raw_matcher(leaf, field, text)
    if m is None:
        return None
    vals: list = []
    if isinstance(m, W3LeafMatcher) and not m._byteids:
        deltas: list[int] = []
        weights: list = []
        starts: list[int] = []
        prev_max: list[int] = []
        last_max = 0
        while True:
            if m._data is None:
                m._read_data()
            ids, w, v = m._data[0], m._data[1], m._data[2]
            n = m._blocklength
            starts.append(len(deltas))
            prev_max.append(last_max)
            deltas.extend(ids)
            if w is None:
                weights.append(np.ones(n, dtype=np.float32))
            elif isinstance(w, float):
                weights.append(np.full(n, w, dtype=np.float32))
            else:
                weights.append(np.asarray(w, dtype=np.float32))
            if positions:
                vals.extend(v)
            last_max = m._maxid
            if m._lastblock:
                break
            m._goto(m._nextoffset)
        arr = np.asarray(deltas, dtype=np.int64)
        if len(starts) > 1:
            st = np.asarray(starts[1:], dtype=np.int64)
            arr[st] -= np.asarray(prev_max[1:], dtype=np.int64)
        docs = np.cumsum(arr).astype(np.int32)
        tf = np.concatenate(weights) if len(weights) > 1 else weights[0]
    else:
        # Inlined postings (ListMatcher) or another codec: the generic matcher API.
        ids_l, w_l = [], []
        while m.is_active():
            ids_l.append(m.id())
            w_l.append(m.weight())
            if positions:
                vals.append(m.value())
            m.next()
        docs = np.asarray(ids_l, dtype=np.int32)
        tf = np.asarray(w_l, dtype=np.float32)
    p = SegPostings(docs, tf)
    if positions:
        decode = m.format.decode_positions
        lists = [decode(v) for v in vals]
        counts = np.fromiter((len(x) for x in lists), dtype=np.int64, count=len(lists))
        flat = np.fromiter((x for lst in lists for x in lst), dtype=np.int32,
                           count=int(counts.sum()))
        p.pos_count = counts
        p.pos_start = np.cumsum(counts) - counts
        p.positions = flat
    return p


# --------------------------------------------------------------------------- segment data
class SegData:
    """Per-segment arrays that never change (segments are immutable)."""

    def __init__(self, n: int):
        self.n = n
        self.lengths: dict[str, np.ndarray] = {}
        self.facets: dict[str, tuple[list[str], np.ndarray, np.ndarray]] = {}
        self.day: np.ndarray | None = None
        self.position: np.ndarray | None = None

    def length_array(self, leaf, field: str) -> np.ndarray:
        arr = self.lengths.get(field)
        if arr is None:
            arr = self.lengths[field] = _read_lengths(leaf, field, self.n)
        return arr

    def numeric(self, leaf, schema, field: str) -> np.ndarray:
        arr = getattr(self, field)
        if arr is None:
            arr = _read_numeric_column(leaf, schema, field, self.n)
            setattr(self, field, arr)
        return arr

    def facet(self, leaf, field: str, read: Callable) -> tuple[list[str], np.ndarray, np.ndarray]:
        got = self.facets.get(field)
        if got is None:
            values: list[str] = []
            docs: list[np.ndarray] = []
            ords: list[np.ndarray] = []
            try:
                terms = list(leaf.field_terms(field))
            except (TermNotFound, KeyError):
                terms = []
            for text in terms:
                p = read(field, text)
                if p is None or not len(p.docs):
                    continue
                docs.append(p.docs)
                ords.append(np.full(len(p.docs), len(values), dtype=np.int32))
                values.append(text)
            got = (values,
                   np.concatenate(docs) if docs else EMPTY_I,
                   np.concatenate(ords) if ords else EMPTY_I)
            self.facets[field] = got
        return got


def _read_lengths(leaf, field: str, n: int) -> np.ndarray:
    try:
        reader = leaf._perdoc._cached_reader("_%s_len" % field, LENGTHS_COLUMN)
        if reader is None:
            return np.zeros(n, dtype=np.float32)
        count = min(reader._count, n)
        raw = np.frombuffer(reader._dbfile.get(reader._basepos, count), dtype=np.uint8)
        out = np.zeros(n, dtype=np.uint8)
        out[:count] = raw
        return _LEN_TABLE[out]
    except AttributeError:
        return np.fromiter((leaf.doc_field_length(d, field) or 0 for d in range(n)),
                           dtype=np.float32, count=n)


def _read_numeric_column(leaf, schema, field: str, n: int) -> np.ndarray:
    """A NUMERIC(int) sortable column as int64 (missing -> 0)."""
    if not leaf.has_column(field):
        return np.zeros(n, dtype=np.int64)
    cr = leaf.column_reader(field)
    inner = getattr(cr, "_reader", None)
    fobj = schema[field]
    try:
        if inner is None or not hasattr(inner, "_typecode") or fobj.numtype is not int:
            raise AttributeError
        size = inner._fixedlen
        count = min(inner._count, n)
        raw = np.frombuffer(inner._dbfile.get(inner._basepos, count * size),
                            dtype=">" + inner._typecode).astype(np.int64)
        out = np.full(n, inner._default, dtype=np.int64)
        out[:count] = raw
        if fobj.signed:
            out -= 1 << (fobj.bits - 1)
        return out
    except AttributeError:
        return np.fromiter((v or 0 for v in cr), dtype=np.int64, count=n)


# --------------------------------------------------------------------------- generation
class Generation(SegmentedGeneration):
    """Arrays for one reader (one searcher generation), by global docnum.

    Whoosh's readers are not thread-safe, so every read through them holds ``io`` (the
    engine's lock); what is derived from them is plain arrays, read without a lock."""

    def __init__(self, reader, schema, seg_cache: dict, postings_cache: ByteLRU, io: threading.RLock):
        super().__init__()
        self.reader = reader
        self.schema = schema
        self.cache = postings_cache
        self.io = io
        self.segs: list[tuple[Any, int, Any, SegData, np.ndarray | None]] = []
        self.N = N = reader.doc_count_all()
        alive = np.ones(N, dtype=bool)
        fresh = {}
        for leaf, offset in reader.leaf_readers():
            n = leaf.doc_count_all()
            seg = leaf.segment() if hasattr(leaf, "segment") else None
            key = seg.segment_id() if seg is not None else ("anon", id(leaf))
            sd = seg_cache.get(key) or SegData(n)
            fresh[key] = sd
            seg_alive = None
            if leaf.has_deletions():
                dele = np.fromiter(leaf.deleted_docs_set, dtype=np.int64)
                seg_alive = np.ones(n, dtype=bool)
                seg_alive[dele] = False
                alive[offset:offset + n] = seg_alive
            self.segs.append((leaf, offset, key, sd, seg_alive))
        seg_cache.clear()
        seg_cache.update(fresh)
        self.alive = alive
        self.parts = [(key, offset, seg_alive) for _, offset, key, _, seg_alive in self.segs]
        self._lengths: dict[str, np.ndarray] = {}
        self._avg: dict[str, float] = {}
        self._facets: dict[str, tuple[list[str], np.ndarray, np.ndarray]] = {}

    # -- postings ---------------------------------------------------------
    def _seg_postings(self, leaf, key, field: str, text: str, positions: bool = False):
        ck = (key, field, text, positions)
        p = self.cache.get_value(ck)
        if p is None:
            with self.io:
                p = read_postings(leaf, field, text, positions)
            if p is None:
                p = SegPostings(EMPTY_I, EMPTY_F)
            self.cache.put(ck, p, p.nbytes)
        return p

    def segment_postings(self, field: str, terms: Sequence[str], positions: bool = False
                         ) -> dict[tuple[Any, str], SegPostings]:
        return {(key, t): self._seg_postings(leaf, key, field, t, positions)
                for leaf, _, key, _, _ in self.segs for t in terms}

    def lengths(self, field: str) -> np.ndarray:
        arr = self._lengths.get(field)
        if arr is None:
            with self.io:
                parts = [sd.length_array(leaf, field) for leaf, _, _, sd, _ in self.segs]
            arr = np.concatenate(parts) if parts else EMPTY_F
            self._lengths[field] = arr
        return arr

    def avg_length(self, field: str) -> float:
        """Mean field length over all documents, deleted ones included (Whoosh's)."""
        v = self._avg.get(field)
        if v is None:
            with self.io:
                total = sum(leaf.field_length(field) for leaf, *_ in self.segs)
            v = self._avg[field] = (total / self.N) if self.N and total else 1.0
        return v

    def expand_prefix(self, field: str, prefix: str, cap: int = PREFIX_MAX_TERMS) -> list[str]:
        found: set[str] = set()
        with self.io:
            for leaf, *_ in self.segs:
                try:
                    for t in leaf.expand_prefix(field, prefix):
                        found.add(t.decode("utf-8") if isinstance(t, bytes) else t)
                except (TermNotFound, KeyError):
                    pass
        terms = sorted(found)
        if len(terms) > cap:
            with self.io:
                freq = {t: self.reader.doc_frequency(field, t) for t in terms}
            terms = sorted(sorted(terms, key=lambda t: -freq[t])[:cap])
        return terms

    # -- columns ------------------------------------------------------------
    def numeric(self, field: str) -> np.ndarray:
        with self.io:
            parts = [sd.numeric(leaf, self.schema, field) for leaf, _, _, sd, _ in self.segs]
        return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)

    def facet(self, field: str) -> tuple[list[str], np.ndarray, np.ndarray]:
        """(values, pair docnums, pair value ordinals) over the generation."""
        got = self._facets.get(field)
        if got is None:
            values: list[str] = []
            index: dict[str, int] = {}
            docs_l, ords_l = [], []
            for leaf, offset, key, sd, _ in self.segs:
                with self.io:
                    vals, d, o = sd.facet(
                        leaf, field, lambda f, t, leaf=leaf, key=key: self._seg_postings(leaf, key, f, t))
                if not len(d):
                    continue
                remap = np.empty(len(vals), dtype=np.int32)
                for i, v in enumerate(vals):
                    j = index.get(v)
                    if j is None:
                        j = index[v] = len(values)
                        values.append(v)
                    remap[i] = j
                docs_l.append(d + offset)
                ords_l.append(remap[o])
            got = (values,
                   np.concatenate(docs_l) if docs_l else EMPTY_I,
                   np.concatenate(ords_l) if ords_l else EMPTY_I)
            self._facets[field] = got
        return got

    def scorable(self, field: str) -> bool:
        return bool(self.schema[field].scorable)
