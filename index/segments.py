"""The search index as immutable segments of posting lists, held in PostgreSQL.

Every machine that searches reads the same segments from the database (or a streaming
replica of it) and evaluates queries in numpy (:mod:`index.vector_query`), as the Whoosh
engine does over its own segments on disk.  This is Lucene's design with the database as
its directory: a writer turns a batch of items into one new segment (one transaction,
with the store's rows); a segment never changes afterwards, so every process caches what
it read of it for as long as it lives; deleting an item marks it in ``search_deleted``;
segments of one size class are merged into one when there are ``MERGE_FACTOR`` of them,
so a word's postings stay in a handful of rows however many batches were written.

A segment row holds its documents' columns (item ids, day, position, field lengths,
facet values), one ``search_postings`` row per (field, term) holds the term's
documents (local numbers), frequencies and, for text fields, positions, each as a
zlib-compressed little-endian array (the column stores them as they are: no second
compression by PostgreSQL).  ``search_stats.generation`` counts the index's changes; a
searcher reads it per search and, when it moved, the segment list and deletions once.
Segments a merge replaced stay readable for ``DROP_AFTER`` so that searches still
reading them finish; a later write removes them.
"""
from __future__ import annotations

import io
import json
import zlib
from dataclasses import dataclass, field
from typing import Any, Iterable, Sequence

import numpy as np

from index import documents as D
from index import query_terms as qt
from index.model import FACETS, SEP, case_term
from index.vector_query import EMPTY_F, EMPTY_I, PREFIX_MAX_TERMS, ByteLRU, SegmentedGeneration, SegPostings

MERGE_FACTOR = 10               # segments of one size class merged into one
DROP_AFTER = "10 minutes"       # a merged-away segment stays readable this long
MAX_LEXEME = 2000               # bytes; longer tokens are not indexed
# Fields with positions and lengths (BM25); text ones take the analysis chain, exact ones
# the unstemmed one.  Every other indexed field holds whole values (identifiers, facets).
SCORED = ("title", "text", "around", "exact", "private", "private_exact")
KEYWORDS = ("number", "case_number", "internal", "meeting_id", "presenter", "outcome", "body", "meeting_kind",
            "year")

DDL = """
CREATE EXTENSION IF NOT EXISTS fuzzystrmatch;
CREATE TABLE IF NOT EXISTS search_items (
    id             TEXT PRIMARY KEY,
    meeting_id     TEXT NOT NULL,
    meeting_sha256 TEXT NOT NULL,
    stored         TEXT NOT NULL                 -- the hit's fields, JSON
);
CREATE INDEX IF NOT EXISTS search_items_meeting ON search_items (meeting_id);
CREATE TABLE IF NOT EXISTS search_segments (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    docs       INTEGER NOT NULL,
    columns    BYTEA NOT NULL,                   -- numpy .npz of the documents' columns
    dropped_at TIMESTAMPTZ                       -- merged away (readable a while longer)
);
ALTER TABLE search_segments ALTER COLUMN columns SET STORAGE EXTERNAL;
CREATE TABLE IF NOT EXISTS search_postings (
    field     TEXT NOT NULL,
    term      TEXT COLLATE "C" NOT NULL,         -- bytewise order: prefixes are ranges
    seg       BIGINT NOT NULL REFERENCES search_segments ON DELETE CASCADE,
    df        INTEGER NOT NULL,
    postings  BYTEA NOT NULL,                    -- zlib: doc deltas (u4), then frequencies (u2)
    positions BYTEA,                             -- zlib: per doc a count (u2), then the positions (u4)
    PRIMARY KEY (field, term, seg)
);
CREATE INDEX IF NOT EXISTS search_postings_seg ON search_postings (seg);
ALTER TABLE search_postings ALTER COLUMN postings SET STORAGE EXTERNAL;
ALTER TABLE search_postings ALTER COLUMN positions SET STORAGE EXTERNAL;
CREATE TABLE IF NOT EXISTS search_deleted (
    seg BIGINT NOT NULL REFERENCES search_segments ON DELETE CASCADE,
    doc INTEGER NOT NULL,
    PRIMARY KEY (seg, doc)
);
CREATE TABLE IF NOT EXISTS search_stats (
    key   TEXT PRIMARY KEY,          -- "generation": the index's changes so far
    value BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS search_words (
    word  TEXT PRIMARY KEY,          -- an exact form of 4-40 letters ("did you mean")
    first TEXT NOT NULL              -- its first letter
);
CREATE INDEX IF NOT EXISTS search_words_first ON search_words (first, word);
"""

# Whoosh keeps a field's length in one byte: the smallest of these at least as long.  BM25
# reads lengths so quantized, for scores equal to Whoosh's (averages come from the exact sums).
_LENGTH_STEPS = np.array([int(round((1.033 ** i - 1) * 27)) for i in range(256)], dtype=np.int64)


def quantized(lengths: np.ndarray) -> np.ndarray:
    idx = np.minimum(255, np.searchsorted(_LENGTH_STEPS, lengths, side="left"))
    return _LENGTH_STEPS[idx].astype(np.float32)


# --------------------------------------------------------------------------- building
@dataclass
class Built:
    """One segment made from documents: its columns and its posting rows."""
    docs: int
    columns: bytes
    rows: list[tuple[str, str, int, bytes, bytes | None]]     # (field, term, df, postings, positions)
    stored: list[tuple[str, str, str, str]]                   # search_items rows
    words: set[str] = field(default_factory=set)              # exact forms for "did you mean"


RAW, ZLIB = b"\x00", b"\x01"     # a posting blob's first byte: how the rest is stored
SMALL = 16                        # postings up to this many documents are stored uncompressed


def _pack(data: bytes, df: int) -> bytes:
    return RAW + data if df <= SMALL else ZLIB + zlib.compress(data, 1)


def _unpack(blob: bytes) -> bytes:
    return blob[1:] if blob[:1] == RAW else zlib.decompress(memoryview(blob)[1:])


def _encode(docs: np.ndarray, tf: np.ndarray) -> bytes:
    deltas = np.diff(docs.astype(np.int64), prepend=0).astype("<u4")
    return _pack(deltas.tobytes() + np.minimum(tf, 65535).astype("<u2").tobytes(), len(docs))


def _encode_positions(counts: np.ndarray, flat: np.ndarray) -> bytes:
    return _pack(np.minimum(counts, 65535).astype("<u2").tobytes() + flat.astype("<u4").tobytes(), len(counts))


def decode(df: int, blob: bytes) -> tuple[np.ndarray, np.ndarray]:
    raw = _unpack(blob)
    docs = np.cumsum(np.frombuffer(raw, "<u4", df), dtype=np.int64).astype(np.int32)
    return docs, np.frombuffer(raw, "<u2", df, 4 * df).astype(np.float32)


def decode_positions(df: int, blob: bytes) -> tuple[np.ndarray, np.ndarray]:
    raw = _unpack(blob)
    counts = np.frombuffer(raw, "<u2", df).astype(np.int64)
    return counts, np.frombuffer(raw, "<u4", int(counts.sum()), 2 * df).astype(np.int32)


class _Terms:
    """A segment's terms while it is built: every token as (term id, doc, position) in flat
    lists, sorted and cut into posting lists by numpy at the end (a dict of lists per term
    cost twice as much)."""

    def __init__(self) -> None:
        self.keys: list[tuple[str, str]] = []                # term id -> (field, term)
        self.vocab: dict[str, dict[str, int]] = {}
        self.tids: list[int] = []
        self.docs: list[int] = []
        self.pos: list[int] = []

    def add(self, field: str, doc: int, tokens: Sequence[tuple[str, int]]) -> int:
        """Add one field's (term, position) pairs; returns how many there were.  (Term ids are
        looked up with ``map`` in C; a term not indexed, empty or too long, gets the id -1.)"""
        if not tokens:
            return 0
        texts, positions = zip(*tokens, strict=True)
        vocab = self.vocab.setdefault(field, {})
        ids: list[Any] = list(map(vocab.get, texts))
        if None in ids:
            keys = self.keys
            for i, tid in enumerate(ids):
                if tid is None:
                    text = texts[i]
                    tid = vocab.get(text)
                    if tid is None:
                        if not text or (len(text) > MAX_LEXEME // 4 and len(text.encode("utf-8")) > MAX_LEXEME):
                            tid = -1
                        else:
                            tid = len(keys)
                            keys.append((field, text))
                        vocab[text] = tid
                    ids[i] = tid
        self.tids.extend(ids)
        self.pos.extend(positions)
        self.docs.extend([doc] * len(ids))
        return len(ids)

    def rows(self, with_positions: set[str]) -> list[tuple[str, str, int, bytes, bytes | None]]:
        """(field, term, df, postings, positions) per term: one sort of every token, then
        byte slices of arrays encoded once."""
        if not self.tids:
            return []
        tid = np.array(self.tids, dtype=np.int64)
        doc = np.array(self.docs, dtype=np.int64)
        pos = np.array(self.pos, dtype=np.int64)
        if (tid < 0).any():
            kept = tid >= 0
            tid, doc, pos = tid[kept], doc[kept], pos[kept]
            if not len(tid):
                return []
        order = np.lexsort((pos, doc, tid))
        tid, doc, pos = tid[order], doc[order], pos[order]
        n = len(tid)
        pair = np.flatnonzero(np.r_[True, (tid[1:] != tid[:-1]) | (doc[1:] != doc[:-1])])
        pair_tid, pair_doc = tid[pair], doc[pair]
        pair_tf = np.diff(np.r_[pair, n])
        first = np.r_[True, pair_tid[1:] != pair_tid[:-1]]
        deltas = pair_doc - np.r_[0, pair_doc[:-1]]
        deltas[first] = pair_doc[first]
        deltas_b = deltas.astype("<u4").tobytes()
        tf_b = np.minimum(pair_tf, 65535).astype("<u2").tobytes()
        pos_b = pos.astype("<u4").tobytes()
        starts = np.flatnonzero(first)
        ends = np.r_[starts[1:], len(pair)]
        tok_starts = pair[starts]
        tok_ends = np.r_[tok_starts[1:], n]
        out = []
        keys = self.keys
        for term_id, a, b, pa, pb in zip(pair_tid[starts].tolist(), starts.tolist(), ends.tolist(),
                                         tok_starts.tolist(), tok_ends.tolist(), strict=True):
            name, term = keys[term_id]
            df = b - a
            tf = tf_b[2 * a:2 * b]
            blob = _pack(deltas_b[4 * a:4 * b] + tf, df)
            positions = _pack(tf + pos_b[4 * pa:4 * pb], df) if name in with_positions else None
            out.append((name, term, df, blob, positions))
        return out


def _keywords(doc: dict[str, Any]) -> dict[str, list[str]]:
    """The whole-value terms of one document, per field (as Whoosh's ID and KEYWORD fields)."""
    split = lambda v: [p.strip() for p in v.split(SEP) if p.strip()]      # noqa: E731
    return {
        "number": [(doc["number"] or "").lower()],
        "case_number": [case_term(doc["case_number"] or "")],
        "internal": [D.INTERNAL] if doc["internal"] else [],
        "meeting_id": [doc["meeting_id"]],
        "presenter": split(doc["presenter"]),
        "outcome": split(doc["outcome"]),
        "body": [doc["body"] or ""],
        "meeting_kind": [doc.get("meeting_kind") or ""],
        "year": [doc["year"]],
    }


def build(docs: Sequence[dict[str, Any]], chain: str, stored_fields: Sequence[str]) -> Built:
    """A segment of ``docs`` (index.documents' documents, numbered in this order)."""
    text_ana = qt.index_pairs(chain, qt.TEXT)
    exact_ana = qt.index_pairs(chain, qt.EXACT)
    terms = _Terms()
    n = len(docs)
    lengths = {f: np.zeros(n, dtype=np.int64) for f in SCORED}
    facet_values: dict[str, list[list[str]]] = {f: [] for f in FACETS}
    stored = []
    for i, doc in enumerate(docs):
        for f in SCORED:
            value = D.indexed_text(doc, f, chain)
            if value:
                lengths[f][i] = terms.add(f, i, (exact_ana if f in D.EXACT_FIELDS else text_ana)(value))
        for f, values in _keywords(doc).items():
            kept = list(dict.fromkeys(v for v in values if v))
            terms.add(f, i, [(v, 0) for v in kept])
            if f in facet_values:
                facet_values[f].append(kept)
        fields = {k: doc[k] for k in stored_fields}
        stored.append((doc["id"], doc["meeting_id"], doc["meeting_sha256"], json.dumps(fields, ensure_ascii=False)))
    words = {w for w, tid in terms.vocab.get("exact", {}).items() if tid >= 0 and qt.MIN_SUGGEST <= len(w) <= qt.MAX_SUGGEST and w.isalpha()}
    cols = Columns(
        ids=Ids.of([d["id"] for d in docs]),
        day=np.array([d["day"] for d in docs], dtype=np.int64),
        position=np.array([d["position"] for d in docs], dtype=np.int64),
        lengths=lengths,
        facets={f: Facet.of(values) for f, values in facet_values.items()},
    )
    return Built(n, cols.dump(), terms.rows(set(SCORED)), stored, words)


# --------------------------------------------------------------------------- columns
@dataclass
class Facet:
    """A facet's values in one segment: the distinct values and (doc, value ordinal) pairs."""
    values: list[str]
    docs: np.ndarray
    ords: np.ndarray

    @classmethod
    def of(cls, per_doc: Sequence[Sequence[str]]) -> Facet:
        index: dict[str, int] = {}
        docs, ords = [], []
        for d, values in enumerate(per_doc):
            for v in values:
                docs.append(d)
                ords.append(index.setdefault(v, len(index)))
        return cls(list(index), np.array(docs, dtype=np.int32), np.array(ords, dtype=np.int32))


@dataclass
class Ids:
    """Item ids as one UTF-8 blob and end offsets: a million ids as Python strings would take
    a web process ~100 MB; a hit's id is decoded when it is shown."""
    blob: bytes
    ends: np.ndarray

    @classmethod
    def of(cls, ids: Sequence[str]) -> Ids:
        enc = [i.encode("utf-8") for i in ids]
        return cls(b"".join(enc), np.cumsum([len(e) for e in enc], dtype=np.int64))

    def __len__(self) -> int:
        return len(self.ends)

    def __getitem__(self, i: int) -> str:
        start = int(self.ends[i - 1]) if i else 0
        return self.blob[start:int(self.ends[i])].decode("utf-8")

    def kept(self, keep: np.ndarray) -> list[str]:
        return [self[int(i)] for i in np.flatnonzero(keep)]


@dataclass
class Columns:
    """A segment's per-document data."""
    ids: Ids
    day: np.ndarray
    position: np.ndarray
    lengths: dict[str, np.ndarray]           # SCORED field -> token counts
    facets: dict[str, Facet] = field(default_factory=dict)

    def dump(self) -> bytes:
        arrays: dict[str, Any] = {"ids": np.frombuffer(self.ids.blob, dtype=np.uint8), "ids_end": self.ids.ends,
                                  "day": self.day.astype("<i4"), "position": self.position.astype("<i4")}
        for f, arr in self.lengths.items():
            arrays["len_" + f] = arr.astype("<i4")
        for f, fa in self.facets.items():
            arrays["fv_" + f] = np.array(json.dumps(fa.values, ensure_ascii=False).encode("utf-8"))
            arrays["fd_" + f] = fa.docs.astype("<i4")
            arrays["fo_" + f] = fa.ords.astype("<i4")
        buf = io.BytesIO()
        np.savez_compressed(buf, **arrays)
        return buf.getvalue()

    @classmethod
    def load(cls, blob: bytes) -> Columns:
        z = np.load(io.BytesIO(blob), allow_pickle=False)
        return cls(
            ids=Ids(z["ids"].tobytes(), z["ids_end"].astype(np.int64)),
            day=z["day"].astype(np.int64), position=z["position"].astype(np.int64),
            lengths={f: z["len_" + f].astype(np.int64) for f in SCORED},
            # A facet added since the segment was written (meeting_kind) has no values in it
            # until `arkiv reindex` writes the segments again.
            facets={f: Facet(json.loads(bytes(z["fv_" + f]).decode("utf-8")), z["fd_" + f].astype(np.int32),
                             z["fo_" + f].astype(np.int32)) if "fv_" + f in z.files else Facet.of([])
                    for f in FACETS})


def merge_facet(parts: Sequence[tuple[Facet, np.ndarray]]) -> Facet:
    """One facet of several segments' kept documents (a mask per part), numbered in order."""
    index: dict[str, int] = {}
    docs, ords = [], []
    offset = 0
    for fa, keep in parts:
        remap = np.array([index.setdefault(v, len(index)) for v in fa.values], dtype=np.int32)
        sel = keep[fa.docs]
        renum = (np.cumsum(keep) - 1).astype(np.int32)
        docs.append(renum[fa.docs[sel]] + offset)
        ords.append(remap[fa.ords[sel]] if len(remap) else fa.ords[sel])
        offset += int(keep.sum())
    return Facet(list(index), np.concatenate(docs) if docs else EMPTY_I, np.concatenate(ords) if ords else EMPTY_I)


def merge_columns(parts: Sequence[tuple[Columns, np.ndarray]]) -> Columns:
    """The columns of the kept documents (a mask per part) of several segments, in order."""
    def cat(arrs: list[np.ndarray], dtype: Any) -> np.ndarray:
        return np.concatenate(arrs) if arrs else np.zeros(0, dtype=dtype)

    return Columns(
        ids=Ids.of([i for c, k in parts for i in c.ids.kept(k)]),
        day=cat([c.day[k] for c, k in parts], np.int64),
        position=cat([c.position[k] for c, k in parts], np.int64),
        lengths={f: cat([c.lengths[f][k] for c, k in parts], np.int64) for f in SCORED},
        facets={f: merge_facet([(c.facets[f], k) for c, k in parts]) for f in FACETS})


# --------------------------------------------------------------------------- reading
_ABSENT = SegPostings(EMPTY_I, EMPTY_F)


@dataclass
class Segment:
    id: int
    docs: int
    columns: Columns
    offset: int = 0
    alive: np.ndarray | None = None          # None: no deletions


class PgGeneration(SegmentedGeneration):
    """The segments one search reads (index.vector_query's), fetched from PostgreSQL as they
    are needed and kept in the engine's caches (segments never change)."""

    def __init__(self, number: int, segments: list[Segment], fetch: Any, expand: Any, cache: ByteLRU):
        super().__init__()
        self.number = number
        self.segments = segments
        self._fetch = fetch                  # (field, terms, seg ids, positions?) -> rows
        self._expand = expand                # (field, prefix, seg ids, cap) -> terms
        self.cache = cache
        offset = 0
        for s in segments:
            s.offset = offset
            offset += s.docs
        self.N = offset
        self.alive = np.ones(self.N, dtype=bool)
        for s in segments:
            if s.alive is not None:
                self.alive[s.offset:s.offset + s.docs] = s.alive
        self.seg_ids = [s.id for s in segments]
        self.parts = [(s.id, s.offset, s.alive) for s in segments]
        self._starts = np.array([s.offset for s in segments], dtype=np.int64)
        self._lengths: dict[str, np.ndarray] = {}
        self._avg: dict[str, float] = {}
        self._facets: dict[str, tuple[list[str], np.ndarray, np.ndarray]] = {}

    # -- postings ---------------------------------------------------------
    def segment_postings(self, field: str, terms: Sequence[str], positions: bool = False
                         ) -> dict[tuple[Any, str], SegPostings]:
        """Every segment's postings of ``terms``: from the cache, the rest in one query."""
        out: dict[tuple[Any, str], SegPostings] = {}
        missing: set[str] = set()
        for term in terms:
            for sid in self.seg_ids:
                p = self.cache.get_value((sid, field, term, positions))
                if p is None:
                    missing.add(term)
                else:
                    out[(sid, term)] = p
        if missing:
            found = {}
            for sid, term, df, blob, pos in self._fetch(field, sorted(missing), self.seg_ids, positions):
                docs, tf = decode(df, blob)
                p = SegPostings(docs, tf, df)
                if positions and pos is not None:
                    p.pos_count, p.positions = decode_positions(df, pos)
                    p.pos_start = np.cumsum(p.pos_count) - p.pos_count
                found[(sid, term)] = p
            for term in missing:
                for sid in self.seg_ids:
                    p = found.get((sid, term), _ABSENT)
                    self.cache.put((sid, field, term, positions), p, p.nbytes)
                    out[(sid, term)] = p
        return out

    def prefetch(self, field: str, terms: Sequence[str]) -> None:
        self.segment_postings(field, terms)

    def expand_prefix(self, field: str, prefix: str, cap: int = PREFIX_MAX_TERMS) -> list[str]:
        """The ``cap`` most frequent terms starting with ``prefix``, their postings fetched at once."""
        terms = self._expand(field, prefix, self.seg_ids, cap)
        if terms:
            self.segment_postings(field, terms)
        return terms

    # -- columns ------------------------------------------------------------
    def lengths(self, field: str) -> np.ndarray:
        arr = self._lengths.get(field)
        if arr is None:
            parts = [quantized(s.columns.lengths[field]) for s in self.segments]
            arr = self._lengths[field] = np.concatenate(parts) if parts else EMPTY_F
        return arr

    def avg_length(self, field: str) -> float:
        """Mean field length over all documents, deleted ones included (Whoosh's)."""
        v = self._avg.get(field)
        if v is None:
            total = sum(int(s.columns.lengths[field].sum()) for s in self.segments)
            v = self._avg[field] = (total / self.N) if self.N and total else 1.0
        return v

    def ids(self, docnums: Sequence[int]) -> list[str]:
        """The item ids of these document numbers."""
        found = np.searchsorted(self._starts, docnums, side="right") - 1
        return [self.segments[i].columns.ids[d - self.segments[i].offset] for i, d in zip(found.tolist(), docnums, strict=True)]

    def facet(self, name: str) -> tuple[list[str], np.ndarray, np.ndarray]:
        got = self._facets.get(name)
        if got is None:
            merged = merge_facet([(s.columns.facets[name], np.ones(s.docs, dtype=bool)) for s in self.segments])
            got = self._facets[name] = (merged.values, merged.docs, merged.ords)
        return got

    def numeric(self, name: str) -> np.ndarray:
        parts = [getattr(s.columns, name) for s in self.segments]
        return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)

    def scorable(self, field: str) -> bool:
        return field in SCORED


# --------------------------------------------------------------------------- merging
def merge_rows(segments: Sequence[tuple[int, np.ndarray]], rows: Iterable[tuple[str, str, int, int, bytes, bytes | None]]
               ) -> list[tuple[str, str, int, bytes, bytes | None]]:
    """The posting rows of a merged segment.  ``segments``: (id, alive mask) in the merged
    order; ``rows``: (field, term, seg, df, postings, positions) sorted by field and term."""
    base: dict[int, tuple[int, np.ndarray, np.ndarray]] = {}
    offset = 0
    for sid, alive in segments:
        base[sid] = (offset, alive, (np.cumsum(alive) - 1).astype(np.int64))
        offset += int(alive.sum())
    out: list[tuple[str, str, int, bytes, bytes | None]] = []
    key: tuple[str, str] | None = None
    group: list[tuple[int, int, bytes, bytes | None]] = []

    def flush() -> None:
        if key is None or not group:
            return
        docs_l, tf_l, cnt_l, pos_l = [], [], [], []
        with_pos = group[0][3] is not None
        for sid, df, blob, pos in group:                 # in segment order (the rows' order)
            off, alive, renum = base[sid]
            d, t = decode(df, blob)
            keep = alive[d]
            docs_l.append(renum[d[keep]] + off)
            tf_l.append(t[keep])
            if with_pos and pos is not None:
                counts, flat = decode_positions(df, pos)
                owner = np.repeat(keep, counts)
                cnt_l.append(counts[keep])
                pos_l.append(flat[owner])
        docs = np.concatenate(docs_l)
        if not len(docs):
            return
        tf = np.concatenate(tf_l)
        blob = _encode(docs, tf)
        pos_blob = _encode_positions(np.concatenate(cnt_l), np.concatenate(pos_l)) if with_pos else None
        out.append((key[0], key[1], len(docs), blob, pos_blob))

    for f, term, sid, df, blob, pos in rows:
        if (f, term) != key:
            flush()
            key, group = (f, term), []
        group.append((sid, df, bytes(blob), None if pos is None else bytes(pos)))
    flush()
    return out


def merge_plan(sizes: dict[int, int]) -> list[int] | None:
    """Segments to merge now: MERGE_FACTOR of one size class (a power of MERGE_FACTOR of
    their live documents), the smallest class first; None when no class is full."""
    classes: dict[int, list[int]] = {}
    for sid, n in sorted(sizes.items()):
        level = 0
        while n >= MERGE_FACTOR ** (level + 1):
            level += 1
        classes.setdefault(level, []).append(sid)
    for level in sorted(classes):
        if len(classes[level]) >= MERGE_FACTOR:
            return classes[level][:MERGE_FACTOR]
    return None
