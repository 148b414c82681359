"""The search engine in PostgreSQL (index.engine_api.SearchEngine), beside tantivy.

With ``ARKIV_DATABASE_URL`` the index lives in the archive's PostgreSQL database, so every
web server (and every streaming replica) searches the same index, and ingest writes a
meeting and its index in one transaction.

The index is :mod:`index.segments`: immutable segments of posting lists made with our own
analysis (:mod:`index.analysis`; PostgreSQL's parsers and dictionaries are never used),
read by each searching process as it needs them and evaluated in numpy by
:mod:`index.vector_query`, the evaluator the retired Whoosh engine used: the same fields, the same
BM25F (k1 1.2, b 0.75; title boost 3, identifiers 4, exact forms 2), the same facets and
the same snippets (:mod:`index.highlight`).  Why not PostgreSQL's own full-text search
(tsvector, GIN): ranking and exact facet counts visit every matching row there, about
4 µs a row, so a common word took 325 ms at 100,000 items and 4.3 s at 1,000,000 (docs/scaling.md).

A hit's stored fields are one JSON row per item (``search_items``); "did you mean" looks up
``search_words`` (the exact forms) with fuzzystrmatch; a prefix is expanded with the
postings' primary key (terms in bytewise order).
"""
from __future__ import annotations

import contextlib
import itertools
import json
import threading
from collections import Counter
from typing import Any, Callable, Iterable, Iterator, Sequence

import numpy as np

from archive.model import Meeting
from archive.settings import cores, default_parse_workers, default_postings_cache_mib
from archive.store import schema
from archive.store.db import PostgresDatabase, pg_value, pool
from index import documents, vector_query
from index import query as q
from index import query_terms as qt
from index import segments as S
from index.engine_api import search_window
from index.fields import INDEX_FIELDS
from index.highlight import add_snippets
from index.model import FACETS, EngineResult, Filters, Hit
from index.vector_query import ByteLRU

# 4: the meeting's text around its items a scored field of its own (issue 21); 3: segments of postings
# (2: tsvector columns, GIN indexes).  An index of an older version starts again empty: it is derived
# data, `arkiv ingest` (reconcile) or `arkiv reindex` fills it from the store.
VERSION = 4
STORED = tuple(f.name for f in INDEX_FIELDS if f.stored)        # a hit's fields, as index.fields declares them
BATCH_ITEMS = 10_000            # rebuild: items per segment
# Older versions' tables and functions (version 2's tsvector index, version 3's segments): dropped on the way up.
_DROP_V2 = """
DROP TABLE IF EXISTS search_items CASCADE;
DROP TABLE IF EXISTS search_stats CASCADE;
DROP FUNCTION IF EXISTS arkiv_tf(tsvector, tsquery, real[]);
DROP FUNCTION IF EXISTS arkiv_bm25(double precision, double precision, double precision);
DROP TABLE IF EXISTS search_segments CASCADE;
DROP TABLE IF EXISTS search_postings CASCADE;
DROP TABLE IF EXISTS search_deleted CASCADE;
DROP TABLE IF EXISTS search_words CASCADE
"""


class PgEngine:
    """Search over segments in PostgreSQL; the connection pool is the process's for ``url``."""

    transactional = True

    def __init__(self, url: str, chain: str = "danish", postings_cache_bytes: int | None = None,
                 build_workers: int | None = None):
        if chain not in qt.CHAINS:
            raise ValueError(f"unknown analysis chain {chain!r}")
        self.url = url
        self.chain = chain
        self._pool = pool(url)
        self._hl_cache: dict = {}
        # From Settings (arkiv.backend): the postings cache and the processes that build segments;
        # without them, the machine's defaults.
        self._cache = ByteLRU(postings_cache_bytes or default_postings_cache_mib(cores()) * 2**20)
        self.build_workers = build_workers or default_parse_workers()
        self._columns: dict[int, S.Columns] = {}           # segment id -> its columns (immutable)
        self._gen: S.PgGeneration | None = None
        self._gen_lock = threading.Lock()
        self._words: set[str] | None = None                 # search_words, loaded by the writer
        with self._db() as db:
            found = schema.recorded(db, "search")
            if found is not None and found < VERSION:
                with db.transaction():
                    schema.lock(db)
                    if (schema.recorded(db, "search") or 0) < VERSION:
                        db.script(_DROP_V2)
            schema.ensure(db, "search", VERSION, S.DDL)

    # -- connections -----------------------------------------------------
    @contextlib.contextmanager
    def _db(self) -> Iterator[PostgresDatabase]:
        """A pooled connection as a Database, for one with-block."""
        with self._pool.connection() as conn:
            yield PostgresDatabase(conn)

    def close(self) -> None:
        """Nothing of its own to close: the pool is the process's (archive.store.db.close_pools)."""

    # -- writing ---------------------------------------------------------
    def _write(self, db: PostgresDatabase, meetings: list[Meeting], drop: list[str]) -> None:
        cur = db.conn.cursor()
        if drop:
            self._delete(cur, drop)
        docs = [d for m in meetings for d in documents.item_documents(m)]
        if docs:
            self._add_segment(cur, S.build(docs, self.chain, STORED))
        self._merge(cur)
        cur.execute("INSERT INTO search_stats(key, value) VALUES ('generation', 1) "
                    "ON CONFLICT(key) DO UPDATE SET value = search_stats.value + 1")

    def _delete(self, cur: Any, meeting_ids: list[str]) -> None:
        """Mark every item of these meetings deleted in the segments that hold it."""
        rows = cur.execute("SELECT p.seg, p.df, p.postings FROM search_postings p JOIN search_segments s "
                           "ON s.id = p.seg AND s.dropped_at IS NULL WHERE p.field = 'meeting_id' "
                           "AND p.term = ANY(%s)", (pg_value(meeting_ids),)).fetchall()
        segs, docs = [], []
        for seg, df, blob in rows:
            found = S.decode(df, bytes(blob))[0]
            segs += [seg] * len(found)
            docs += found.tolist()
        if docs:
            cur.execute("INSERT INTO search_deleted (seg, doc) SELECT * FROM unnest(%s::bigint[], %s::int[]) "
                        "ON CONFLICT DO NOTHING", (segs, docs))
        cur.execute("DELETE FROM search_items WHERE meeting_id = ANY(%s)", (pg_value(meeting_ids),))

    def _add_segment(self, cur: Any, built: S.Built, *, items: bool = True) -> int:
        sid = cur.execute("INSERT INTO search_segments (docs, columns) VALUES (%s, %s) RETURNING id",
                          (built.docs, built.columns)).fetchone()[0]
        with cur.copy("COPY search_postings (field, term, seg, df, postings, positions) FROM STDIN") as copy:
            for f, term, df, blob, pos in built.rows:
                copy.write_row((f, pg_value(term), sid, df, blob, pos))
        self._add_words(cur, built.words)
        if items:
            with cur.copy("COPY search_items (id, meeting_id, meeting_sha256, stored) FROM STDIN") as copy:
                for row in built.stored:
                    copy.write_row(tuple(pg_value(v) for v in row))
        return sid

    def _merge(self, cur: Any) -> None:
        """Merge full size classes (index.segments.merge_plan); drop segments without live
        items; remove what merges replaced a while ago."""
        cur.execute("DELETE FROM search_segments WHERE dropped_at < now() - %s::interval", (S.DROP_AFTER,))
        while True:
            sizes = {sid: docs - dead for sid, docs, dead in cur.execute(
                "SELECT s.id, s.docs, (SELECT count(*) FROM search_deleted d WHERE d.seg = s.id) "
                "FROM search_segments s WHERE s.dropped_at IS NULL ORDER BY s.id")}
            empty = [sid for sid, n in sizes.items() if n <= 0]
            if empty:
                cur.execute("UPDATE search_segments SET dropped_at = now() WHERE id = ANY(%s)", (empty,))
                sizes = {k: v for k, v in sizes.items() if v > 0}
            plan = S.merge_plan(sizes)
            if plan is None:
                return
            self._merge_segments(cur, plan)

    def _merge_segments(self, cur: Any, ids: list[int]) -> None:
        parts = []
        for sid, n, blob in cur.execute("SELECT id, docs, columns FROM search_segments WHERE id = ANY(%s) ORDER BY id",
                                        (ids,)).fetchall():
            alive = np.ones(n, dtype=bool)
            dead = [d for (d,) in cur.execute("SELECT doc FROM search_deleted WHERE seg = %s", (sid,))]
            alive[np.asarray(dead, dtype=np.int64)] = False
            parts.append((sid, S.Columns.load(bytes(blob)), alive))
        columns = S.merge_columns([(c, a) for _, c, a in parts])
        # A server-side cursor streams the rows (a large merge's postings do not fit at once).
        with cur.connection.cursor(name="arkiv_merge") as rows_cur:
            rows_cur.itersize = 2000
            rows_cur.execute("SELECT field, term, seg, df, postings, positions FROM search_postings "
                             "WHERE seg = ANY(%s) ORDER BY field, term, seg", (ids,))
            rows = S.merge_rows([(sid, a) for sid, _, a in parts], rows_cur)
        n = int(sum(a.sum() for _, _, a in parts))
        self._add_segment(cur, S.Built(n, columns.dump(), rows, []), items=False)
        cur.execute("UPDATE search_segments SET dropped_at = now() WHERE id = ANY(%s)", (ids,))

    def _add_words(self, cur: Any, words: set[str]) -> None:
        """Words not yet in search_words (the writer keeps the table's words in memory)."""
        if not words:
            return
        if self._words is None:
            self._words = {w for (w,) in cur.execute("SELECT word FROM search_words")}
        new = words - self._words
        if new:
            with cur.copy("COPY search_words (word, first) FROM STDIN") as copy:
                for w in sorted(new):
                    copy.write_row((pg_value(w), pg_value(w[0])))
            self._words |= new

    def update(self, meetings: list[Meeting], remove_meeting_ids: Iterable[str] = (), *,
               within: Any = None) -> None:
        meetings = list(meetings)
        drop = sorted({m.id for m in meetings} | set(remove_meeting_ids))
        if not drop:
            return
        if within is not None:                  # the store's transaction (archive.ingest)
            with within.transaction():
                self._write(within, meetings, drop)
            return
        with self._db() as db, db.transaction():
            self._write(db, meetings, drop)

    def rebuild(self, meetings: Iterable[Meeting]) -> None:
        """A fresh index: segments of BATCH_ITEMS items, made in parallel (one process per
        core: the analysis is the cost), written in order, then the merges."""
        with self._db() as db:
            with db.transaction():
                cur = db.conn.cursor()
                # The generation goes on counting: other processes' caches must not match.
                cur.execute("TRUNCATE search_items, search_postings, search_deleted, search_segments, search_words")
                self._words = set()
                for built in _built(_batches(meetings), self.chain, self.build_workers):
                    self._add_segment(cur, built)
                self._merge(cur)
                cur.execute("INSERT INTO search_stats(key, value) VALUES ('generation', 1) "
                            "ON CONFLICT(key) DO UPDATE SET value = search_stats.value + 1")
            db.execute("ANALYZE search_postings")

    # -- reading ---------------------------------------------------------
    def generation(self) -> S.PgGeneration:
        """The index as it is now: the segments and deletions of the current generation,
        re-read only when the generation moved (one small read per search otherwise)."""
        with self._db() as db:
            row = db.execute("SELECT value FROM search_stats WHERE key = 'generation'").fetchone()
            number = row[0] if row else 0
            gen = self._gen
            if gen is not None and gen.number == number:
                return gen
            with self._gen_lock:
                gen = self._gen
                if gen is not None and gen.number == number:
                    return gen
                with db.transaction():
                    db.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                    row = db.execute("SELECT value FROM search_stats WHERE key = 'generation'").fetchone()
                    number = row[0] if row else 0
                    segs = db.execute("SELECT id, docs FROM search_segments WHERE dropped_at IS NULL "
                                      "ORDER BY id").fetchall()
                    new = [sid for sid, _ in segs if sid not in self._columns]
                    if new:
                        for sid, blob in db.execute("SELECT id, columns FROM search_segments "
                                                    "WHERE id = ANY(?)", (new,)).fetchall():
                            self._columns[sid] = S.Columns.load(bytes(blob))
                    dead: dict[int, list[int]] = {}
                    for sid, doc in db.execute("SELECT d.seg, d.doc FROM search_deleted d JOIN search_segments s "
                                               "ON s.id = d.seg WHERE s.dropped_at IS NULL").fetchall():
                        dead.setdefault(sid, []).append(doc)
                live = {sid for sid, _ in segs}
                for sid in [s for s in self._columns if s not in live]:
                    del self._columns[sid]
                segments = []
                for sid, n in segs:
                    alive = None
                    if sid in dead:
                        alive = np.ones(n, dtype=bool)
                        alive[np.asarray(dead[sid], dtype=np.int64)] = False
                    segments.append(S.Segment(sid, n, self._columns[sid], alive=alive))
                gen = self._gen = S.PgGeneration(number, segments, self._fetch, self._expand, self._cache)
                return gen

    def _fetch(self, field: str, terms: Sequence[str], seg_ids: Sequence[int], positions: bool) -> list[tuple]:
        """(seg, term, df, postings, positions) of ``terms`` in these segments."""
        pos = "positions" if positions else "NULL"
        with self._db() as db:
            return [(sid, term, df, bytes(blob), None if p is None else bytes(p)) for sid, term, df, blob, p in db.execute(
                f"SELECT seg, term, df, postings, {pos} FROM search_postings WHERE field = ? AND term = ANY(?) "
                "AND seg = ANY(?)", (field, list(terms), list(seg_ids))).fetchall()]

    def _expand(self, field: str, prefix: str, seg_ids: Sequence[int], cap: int) -> list[str]:
        """The terms of ``field`` in these segments that start with ``prefix`` (the ``cap`` most
        frequent), read from the postings' primary key."""
        with self._db() as db:
            rows = db.execute("SELECT term, sum(df) AS n FROM search_postings WHERE field = ? AND term >= ? "
                              "AND term < ? AND seg = ANY(?) GROUP BY term ORDER BY n DESC, term LIMIT ?",
                              (field, prefix, prefix + "\U0010ffff", list(seg_ids), cap)).fetchall()
        return sorted(t for t, _ in rows)

    def versions(self) -> dict[str, str]:
        with self._db() as db:
            return dict(db.execute("SELECT DISTINCT meeting_id, meeting_sha256 FROM search_items").fetchall())

    def item_counts(self) -> Counter:
        with self._db() as db:
            return Counter(dict(db.execute(
                "SELECT meeting_id, count(*) FROM search_items GROUP BY meeting_id").fetchall()))

    def item_count(self) -> int:
        with self._db() as db:
            return db.execute("SELECT count(*) FROM search_items").fetchone()[0]

    def damage(self) -> list[str]:
        """The index is rows of the database, which keeps them whole: nothing to find here."""
        return []

    # -- search ----------------------------------------------------------
    def search(self, tree: q.AllOf, filters: Filters | None = None, *, sort: str = "relevance",
               offset: int = 0, limit: int = 20, facets: Sequence[str] = FACETS, snippets: bool = True,
               private: bool = False) -> EngineResult:
        scope = documents.PRIVATE if private else documents.PUBLIC
        tree, sort, offset, limit = search_window(tree, sort, offset, limit, facets, self.chain, self.doc_frequency)
        gen = self.generation()
        total, page, counts = vector_query.run(gen, self.chain, tree, filters, sort, offset, limit, facets, scope)
        hits = self._hits(gen, page, scope)
        if snippets:
            add_snippets(hits, tree, scope.snippets, self.chain, self._hl_cache)
        return EngineResult(total=total, hits=hits, facets=counts)

    def _hits(self, gen: S.PgGeneration, page: list[tuple[float, int]], scope: documents.Scope) -> list[Hit]:
        if not page:
            return []
        ids = gen.ids([d for _, d in page])
        with self._db() as db:
            stored = dict(db.execute("SELECT id, stored FROM search_items WHERE id = ANY(?)", (ids,)).fetchall())
        hits = []
        for (score, docnum), item_id in zip(page, ids, strict=True):
            fields = stored.get(item_id)
            if fields is None:           # removed since this generation was read: not a hit any more
                continue
            hit = json.loads(fields)
            if "private" not in scope.snippets:
                hit.pop("private", None)
            hits.append(Hit(docnum=docnum, score=score, fields=hit))
        return hits

    # -- suggestions -----------------------------------------------------
    def doc_frequency(self, word: str) -> int:
        return self._doc_frequency(self.generation(), word)

    def _doc_frequency(self, gen: S.PgGeneration, word: str) -> int:
        groups = qt.groups(self.chain, qt.TEXT, word)
        if len(groups) != 1:
            return 0
        return max((gen.doc_frequency(f, t) for f in documents.TEXT_FIELDS for t in groups[0]), default=0)

    def suggest(self, word: str, few: int = 2, ratio: float = 0.0,
                accept: Callable[[str], bool] | None = None) -> str | None:
        """As index.engine_tantivy's: a spelling within edit distance 1 (2 from 6 letters), same first
        letter, found in more items than ``word`` (``ratio`` times as many, with a ratio), that
        ``accept`` takes; the most frequent wins."""
        gen = self.generation()           # one generation for the word and its candidates
        subject = qt.spelling_subject(self.chain, word, few, lambda w: self._doc_frequency(gen, w), ratio)
        if subject is None:
            return None
        norm, _hits, maxdist, least = subject
        with self._db() as db:
            cands = [w for (w,) in db.execute(
                "SELECT word FROM search_words WHERE first = ? AND length(word) BETWEEN ? AND ? "
                "AND word <> ? AND levenshtein_less_equal(word, ?, ?) <= ?",
                (norm[0], len(norm) - maxdist, len(norm) + maxdist, norm, norm, maxdist, maxdist))]
        if cands:
            gen.prefetch("exact", cands)
        # Beside a word with hits, a spelling is compared by what a search for it finds (its stem).
        freq = (lambda c: self._doc_frequency(gen, c)) if ratio else (lambda c: gen.doc_frequency("exact", c))
        return qt.best_spelling(norm, least, ((c, freq(c)) for c in cands), accept)


def _batches(meetings: Iterable[Meeting]) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for m in meetings:
        batch.extend(documents.item_documents(m))
        if len(batch) >= BATCH_ITEMS:
            yield batch
            batch = []
    if batch:
        yield batch


def _built(batches: Iterator[list[dict[str, Any]]], chain: str, workers: int) -> Iterator[S.Built]:
    """Each batch as a segment, in order; with workers and more than one batch, in that many
    processes at once (starting them costs about a second: not worth it for one segment)."""
    first = next(batches, None)
    second = next(batches, None) if first is not None else None
    started = [b for b in (first, second) if b is not None]
    if workers <= 1 or len(started) < 2:
        for batch in itertools.chain(started, batches):
            yield S.build(batch, chain, STORED)
        return
    import multiprocessing
    from collections import deque
    from concurrent.futures import Future, ProcessPoolExecutor

    window: deque[Future] = deque()
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        for batch in itertools.chain(started, batches):
            window.append(pool.submit(S.build, batch, chain, STORED))
            if len(window) > workers:
                yield window.popleft().result()
        while window:
            yield window.popleft().result()
