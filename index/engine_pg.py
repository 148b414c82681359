"""The search engine in PostgreSQL (index.engine_api.SearchEngine), beside Whoosh.

With ``ARKIV_DATABASE_URL`` the index lives in the archive's PostgreSQL database, so every
web server (and every streaming replica) searches the same index, and ingest writes a
meeting and its index rows in one transaction.

Analysis stays ours: :mod:`index.analysis` turns each item (:mod:`index.documents`) into
``tsvector`` literals with our positions (compound parts at the whole word's position),
our stems and our exact forms; PostgreSQL's own parsers and dictionaries are never used.

    doc            title (weight A) then the text (weight D, positions after the title's):
                   plain words, phrases (``<->``) and the title's share of a score
    exact          all public text, lowercased, unstemmed: quoted exact forms, prefixes (``:*``)
    private        a closed item's case text (signed-in searches only), and private_exact

Ranking is Whoosh's BM25F (k1 1.2, b 0.75; title boost 3, identifiers 4, exact forms 2),
with the same scores (tests/test_engines_agree.py): a term's frequency in a row is read
back from ``ts_rank`` (for one lexeme with equal weights it is a strictly growing function
of the number of positions, inverted by the SQL function ``arkiv_tf``), its title share
from the rank with only weight A; field lengths are columns, quantized as Whoosh stores
them, their averages in ``search_stats``; document frequencies are counted with the GIN
index, per field through the weights (``'word':A``, ``'word':D``), and cached per process
until the index changes (its generation).  A prefix is scored as one word: the only
ranking that differs from Whoosh's, which sums the words it expands to.

Facets are SQL aggregates over the matching set; one statement returns the total, the
page and the facet counts.  Snippets come from :mod:`index.highlight`, as with Whoosh.
"Did you mean" looks up ``search_words`` (the exact forms) with fuzzystrmatch.
"""
from __future__ import annotations

import bisect
import contextlib
import json
import math
import threading
from collections import Counter
from dataclasses import dataclass
from typing import Any, Iterable, Iterator, Sequence

from archive import schema
from archive.db import Database, PostgresDatabase, pg_value, pool
from archive.model import Meeting
from index import documents
from index import query as q
from index import query_terms as qt
from index.engine_api import search_window
from index.highlight import add_snippets
from index.model import FACETS, EngineResult, Filters, RawHit, case_term

VERSION = 2          # 2: search_items_newest and _oldest (the browse page in date order)
MAX_POS = 16383                 # tsvector's largest position
MAX_POSITIONS = 256             # positions kept per lexeme
MAX_LEXEME = 2000               # bytes; longer tokens are not indexed (tsvector's limit is 2047)
TITLE_GAP = 2                   # positions between the title's last word and the text's first
B, K1 = 0.75, 1.2               # Whoosh's BM25F defaults
TITLE_BOOST, ID_BOOST, EXACT_BOOST = 3.0, 4.0, 2.0
DF_CAP = 100_000                # document frequencies are counted up to this (did you mean)
STORED = ("id", "meeting_id", "meeting_number", "meeting_title", "date", "number", "case_number", "position",
          "closed", "title", "description", "recommendation", "minutes", "presenter_names", "outcome_slugs",
          "body", "private")
# Text fields and their lengths (for BM25): the columns' names, fixed here and nowhere from input.
LENGTHS = ("title_len", "text_len", "exact_len", "private_len", "private_exact_len")

_DDL = """
CREATE EXTENSION IF NOT EXISTS fuzzystrmatch;
CREATE TABLE IF NOT EXISTS search_items (
    seq               BIGINT GENERATED ALWAYS AS IDENTITY,  -- insertion order: ties rank by it
    id                TEXT PRIMARY KEY,
    meeting_id        TEXT NOT NULL,
    meeting_sha256    TEXT NOT NULL,
    day               INTEGER NOT NULL,                     -- date.toordinal(), 0 = undated
    year              TEXT NOT NULL,
    position          INTEGER NOT NULL,
    internal          BOOLEAN NOT NULL,
    body              TEXT NOT NULL,
    presenters        TEXT[] NOT NULL,
    outcomes          TEXT[] NOT NULL,
    number_key        TEXT NOT NULL,                        -- item number, lowercased
    case_key          TEXT NOT NULL,                        -- case number, lowercased
    raw_lengths       INTEGER[] NOT NULL,                   -- the fields' token counts (search_stats sums them)
    title_len         INTEGER NOT NULL,                     -- ... as BM25 reads them (see quantized)
    text_len          INTEGER NOT NULL,
    exact_len         INTEGER NOT NULL,
    private_len       INTEGER NOT NULL,
    private_exact_len INTEGER NOT NULL,
    doc               TSVECTOR NOT NULL,
    exact             TSVECTOR NOT NULL,
    private           TSVECTOR NOT NULL,
    private_exact     TSVECTOR NOT NULL,
    stored            TEXT NOT NULL                         -- the hit's fields, JSON
);
CREATE UNIQUE INDEX IF NOT EXISTS search_items_seq ON search_items (seq);
CREATE INDEX IF NOT EXISTS search_items_meeting ON search_items (meeting_id);
CREATE INDEX IF NOT EXISTS search_items_day ON search_items (day, position, seq);
CREATE INDEX IF NOT EXISTS search_items_newest ON search_items (day DESC, position, seq);
CREATE INDEX IF NOT EXISTS search_items_oldest ON search_items ((CASE WHEN day = 0 THEN 1000000000 ELSE day END), position, seq);
CREATE INDEX IF NOT EXISTS search_items_doc ON search_items USING gin (doc);
CREATE INDEX IF NOT EXISTS search_items_exact ON search_items USING gin (exact);
CREATE INDEX IF NOT EXISTS search_items_private ON search_items USING gin (private);
CREATE INDEX IF NOT EXISTS search_items_private_exact ON search_items USING gin (private_exact);
CREATE INDEX IF NOT EXISTS search_items_presenters ON search_items USING gin (presenters);
CREATE INDEX IF NOT EXISTS search_items_outcomes ON search_items USING gin (outcomes);
CREATE INDEX IF NOT EXISTS search_items_body ON search_items (body);
CREATE INDEX IF NOT EXISTS search_items_number ON search_items (number_key);
CREATE INDEX IF NOT EXISTS search_items_case ON search_items (case_key);
CREATE TABLE IF NOT EXISTS search_stats (
    key   TEXT PRIMARY KEY,          -- "docs", "generation" (changes so far), or a length column: its sum
    value BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS search_words (
    word  TEXT PRIMARY KEY,          -- an exact form of 4-40 letters ("did you mean")
    first TEXT NOT NULL              -- its first letter
);
CREATE INDEX IF NOT EXISTS search_words_first ON search_words (first, word);
CREATE OR REPLACE FUNCTION arkiv_tf(tsvector, tsquery, real[]) RETURNS double precision
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS 'SELECT round(1.0 / (1.64493406685 * (1.0 - ts_rank($3, $1, $2))) - 0.5)';
CREATE OR REPLACE FUNCTION arkiv_bm25(double precision, double precision, double precision)
    RETURNS double precision LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS 'SELECT $1 * 2.2 / ($1 + 1.2 * (0.25 + 0.75 * $2 / $3))'
"""
# ts_rank of one lexeme with n positions of weight 1 is (1 + 1/4 + ... + 1/n²) / (π²/6);
# arkiv_tf inverts it: the tail Σ_{j>n} 1/j² ≈ 1/(n + ½), so n = 1/(π²/6 · (1 - rank)) - ½,
# exact after rounding up to 256 positions.  (arkiv_bm25's constants are K1 and B.)
_ALL_WEIGHTS = [1.0, 1.0, 1.0, 1.0]            # {D, C, B, A}
# Whoosh keeps a field's length in one byte: the smallest of these at least as long.  BM25 reads
# lengths so quantized, for scores equal to Whoosh's (averages come from the exact sums).
_LENGTH_STEPS = [int(round((1.033 ** i - 1) * 27)) for i in range(256)]


def quantized(length: int) -> int:
    return _LENGTH_STEPS[min(255, bisect.bisect_left(_LENGTH_STEPS, length))]
_TITLE_WEIGHTS = [0.0, 0.0, 0.0, 1.0]          # the title's positions (weight A) come first


# --------------------------------------------------------------------------- tsvector literals
def _lexeme(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "''") + "'"


def _vector(tokens: Iterable[tuple[str, int]], weight: str = "") -> tuple[dict[str, list[int]], int]:
    """(lexeme -> positions, token count) of (term, 0-based position) pairs."""
    out: dict[str, list[int]] = {}
    n = 0
    for text, pos in tokens:
        n += 1
        if not text or len(text.encode("utf-8")) > MAX_LEXEME:
            continue
        out.setdefault(text, []).append(min(MAX_POS, pos + 1))
    return out, n


def _literal(*parts: tuple[dict[str, list[int]], str]) -> str:
    """A tsvector literal of (lexeme -> positions, weight) parts."""
    merged: dict[str, list[str]] = {}
    for lexemes, weight in parts:
        for text, positions in lexemes.items():
            merged.setdefault(text, []).extend(f"{p}{weight}" for p in dict.fromkeys(positions))
    return " ".join(f"{_lexeme(t)}:{','.join(p[:MAX_POSITIONS])}" for t, p in merged.items())


def _tsquery_term(term: str, weight: str = "", prefix: bool = False) -> str:
    return _lexeme(term) + (":" + ("*" if prefix else "") + weight if (weight or prefix) else "")


# --------------------------------------------------------------------------- scopes
@dataclass(frozen=True)
class _Scope:
    """The columns one search may match: with ``private`` a closed item's case text too."""
    text: tuple[str, ...]           # stemmed columns: "doc" (title + text), "private"
    exact: tuple[str, ...]
    snippets: tuple[str, ...]
    internal: bool


PUBLIC = _Scope(("doc",), ("exact",), ("minutes", "recommendation", "description", "title"), internal=False)
PRIVATE = _Scope(("doc", "private"), ("exact", "private_exact"),
                 ("minutes", "recommendation", "description", "private", "title"), internal=True)
_LEN = {"exact": "exact_len", "private": "private_len", "private_exact": "private_exact_len"}


@dataclass
class _Leaf:
    """A compiled query leaf: its SQL condition and its score (SQL), each with parameters."""
    cond: str
    cond_args: list[Any]
    score: str
    score_args: list[Any]


class _Stats:
    def __init__(self, values: dict[str, int]):
        self.docs = max(0, values.get("docs", 0))
        self.generation = values.get("generation", 0)       # counts the index's changes
        self.avg = {k: (values.get(k, 0) / self.docs if self.docs and values.get(k, 0) else 1.0) for k in LENGTHS}


class _Compile:
    """One query's compilation: where document frequencies come from, and the term frequencies
    its score reads, each computed once per row (a LATERAL subquery: PostgreSQL would repeat an
    expression written twice, and each ts_rank unpacks the row's tsvector)."""

    def __init__(self, engine: PgEngine, db: Database, stats: _Stats, scope: _Scope):
        self.engine, self.db, self.stats, self.scope = engine, db, stats, scope
        self.tfs: dict[tuple[str, str, str], str] = {}
        self.tf_sql: list[str] = []
        self.tf_args: list[Any] = []

    def tf(self, column: str, tsquery: str, weights: list[float]) -> str:
        """The name of a term frequency column (``tf.fN``) of ``tsquery`` in ``column``."""
        key = (column, tsquery, str(weights))
        name = self.tfs.get(key)
        if name is None:
            name = self.tfs[key] = f"tf.f{len(self.tfs)}"
            self.tf_sql.append(f"arkiv_tf({column}, ?::tsquery, ?::real[]) AS {name[3:]}")
            self.tf_args += [tsquery, weights]
        return name

    def idf(self, column: str, tsquery: str) -> float:
        df = self.engine._count(self.db, column, tsquery, self.stats.generation)
        return math.log(max(1, self.stats.docs) / (df + 1)) + 1.0

    def lateral(self) -> str:
        """The FROM clause's LATERAL subquery of the term frequencies (OFFSET 0: not flattened)."""
        if not self.tf_sql:
            return ""
        return f" CROSS JOIN LATERAL (SELECT {', '.join(self.tf_sql)} OFFSET 0) tf"


# --------------------------------------------------------------------------- the engine
class PgEngine:
    """Full-text search in PostgreSQL; the connection pool is the process's for ``url``."""

    transactional = True

    def __init__(self, url: str, chain: str = "danish"):
        if chain not in qt.CHAINS:
            raise ValueError(f"unknown analysis chain {chain!r}")
        self.url = url
        self.chain = chain
        self._pool = pool(url)
        self._hl_cache: dict = {}
        self._df: dict[tuple[str, str], tuple[int, int]] = {}     # (column, tsquery) -> (df, generation then)
        # The unfiltered archive's total and facet counts (the browse page, the front page's
        # facets): (internal?, facets) -> (generation, total, counts).  Counting them visits every
        # row (a quarter of a second at 100,000 items); they change only with the index.
        self._browse: dict[tuple[bool, tuple[str, ...]], tuple[int, int, dict[str, Counter]]] = {}
        self._words: set[str] | None = None                      # search_words, loaded by the writer
        self._lock = threading.Lock()
        with self._db() as db:
            schema.ensure(db, "search", VERSION, _DDL)

    # -- connections -----------------------------------------------------
    @contextlib.contextmanager
    def _db(self) -> Iterator[PostgresDatabase]:
        """A pooled connection as a Database, for one with-block."""
        with self._pool.connection() as conn:
            yield PostgresDatabase(conn)

    def close(self) -> None:
        """Nothing of its own to close: the pool is the process's (archive.db.close_pools)."""

    # -- writing ---------------------------------------------------------
    def _rows(self, meeting: Meeting) -> Iterator[tuple[set[str], tuple]]:
        """(exact words for "did you mean", the row) per item of ``meeting``."""
        ana = qt.analyzer(self.chain, qt.TEXT)
        exact_ana = qt.analyzer(self.chain, qt.EXACT)
        for doc in documents.item_documents(meeting):
            title, n_title = _vector((t.text, t.pos) for t in ana(doc["title"], "index"))
            offset = (max((p for ps in title.values() for p in ps), default=0)) + TITLE_GAP
            text, n_text = _vector((t.text, t.pos + offset) for t in ana(doc["text"], "index"))
            exact, n_exact = _vector((t.text, t.pos) for t in exact_ana(doc["exact"], "index"))
            private, n_private = _vector((t.text, t.pos) for t in ana(doc["private"], "index"))
            private_exact, n_private_exact = _vector((t.text, t.pos) for t in exact_ana(doc["private"], "index"))
            raw = [n_title, n_text, n_exact, n_private, n_private_exact]
            stored = {k: doc[k] for k in STORED}
            words = {w for w in exact if qt.MIN_SUGGEST <= len(w) <= qt.MAX_SUGGEST and w.isalpha()}
            yield words, (doc["id"], doc["meeting_id"], doc["meeting_sha256"], doc["day"], doc["year"], doc["position"],
                   doc["internal"], doc["body"], doc["presenter_names"], doc["outcome_slugs"],
                   (doc["number"] or "").strip().lower(), case_term(doc["case_number"] or ""),
                   raw, *(quantized(n) for n in raw),
                   _literal((title, "A"), (text, "")), _literal((exact, "")), _literal((private, "")),
                   _literal((private_exact, "")), json.dumps(stored, ensure_ascii=False))

    _COLUMNS = ("id", "meeting_id", "meeting_sha256", "day", "year", "position", "internal", "body", "presenters",
                "outcomes", "number_key", "case_key", "raw_lengths", *LENGTHS, "doc", "exact", "private", "private_exact",
                "stored")

    def _write(self, db: PostgresDatabase, meetings: list[Meeting], drop: list[str]) -> None:
        cur = db.conn.cursor()
        gone = [g for (g,) in cur.execute("DELETE FROM search_items WHERE meeting_id = ANY(%s) RETURNING raw_lengths",
                                          (drop,))] if drop else []
        made = [made for m in meetings for made in self._rows(m)]
        rows = [row for _, row in made]
        with cur.copy("COPY search_items (" + ", ".join(self._COLUMNS) + ") FROM STDIN") as copy:
            for row in rows:
                copy.write_row(tuple(pg_value(v) for v in row))
        delta = {"docs": len(rows) - len(gone), "generation": 1}
        for i, name in enumerate(LENGTHS):
            delta[name] = sum(r[12][i] for r in rows) - sum(g[i] for g in gone)
        cur.executemany("INSERT INTO search_stats(key, value) VALUES (%s, %s) "
                        "ON CONFLICT(key) DO UPDATE SET value = search_stats.value + excluded.value",
                        list(delta.items()))
        self._add_words(cur, set().union(*(words for words, _ in made)))

    def _add_words(self, cur: Any, words: set[str]) -> None:
        """Words not yet in search_words (the writer keeps the table's words in memory)."""
        if self._words is None:
            self._words = {w for (w,) in cur.execute("SELECT word FROM search_words")}
        new = words - self._words
        if new:
            with cur.copy("COPY search_words (word, first) FROM STDIN") as copy:
                for w in sorted(new):
                    copy.write_row((w, w[0]))
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
        """A fresh index: the rows in bulk (COPY), then the statistics."""
        with self._db() as db:
            with db.transaction():
                # The generation goes on counting: other processes' cached frequencies must not match.
                generation = self._stats(db).generation
                db.execute("TRUNCATE search_items, search_stats, search_words")
                db.execute("INSERT INTO search_stats(key, value) VALUES ('generation', ?)", (generation,))
                self._words = set()
                batch: list[Meeting] = []
                for m in meetings:
                    batch.append(m)
                    if sum(len(b.items) for b in batch) >= 2000:
                        self._write(db, batch, [])
                        batch = []
                self._write(db, batch, [])
            db.execute("ANALYZE search_items")
        self._df.clear()

    # -- reading ---------------------------------------------------------
    def _stats(self, db: Database) -> _Stats:
        return _Stats(dict(db.execute("SELECT key, value FROM search_stats").fetchall()))

    def versions(self) -> dict[str, str]:
        with self._db() as db:
            return dict(db.execute("SELECT DISTINCT meeting_id, meeting_sha256 FROM search_items").fetchall())

    def item_counts(self) -> Counter:
        with self._db() as db:
            return Counter(dict(db.execute(
                "SELECT meeting_id, count(*) FROM search_items GROUP BY meeting_id").fetchall()))

    def item_count(self) -> int:
        with self._db() as db:
            return self._stats(db).docs

    def _count(self, db: Database, column: str, tsquery: str, generation: int, cap: int | None = None) -> int:
        """Rows whose ``column`` matches ``tsquery`` (a document frequency), cached per process
        until the index changes (its ``generation``)."""
        key = (column, tsquery)
        got = self._df.get(key)
        if got is not None and got[1] == generation:
            return got[0]
        if cap is None:
            n = db.execute(f"SELECT count(*) FROM search_items WHERE {column} @@ ?::tsquery", (tsquery,)).fetchone()[0]
        else:
            n = db.execute(f"SELECT count(*) FROM (SELECT 1 FROM search_items WHERE {column} @@ ?::tsquery "
                           "LIMIT ?) t", (tsquery, cap)).fetchone()[0]
        with self._lock:
            if len(self._df) > 100_000:
                self._df.clear()
            self._df[key] = (n, generation)
        return n

    # -- query compiling (mirror of index.engine's _v_tree) ---------------
    def _field_score(self, c: _Compile, column: str, groups: list[list[str]], boost: float,
                     prefix: bool = False) -> _Leaf | None:
        """Condition and BM25 score of ``groups`` (one position: any of its terms; several:
        the phrase of their first terms) in one column; ``doc`` scores title and text apart,
        each as a field of its own (a phrase only in the field it stands in)."""
        if not groups:
            return None
        phrase = len(groups) > 1
        terms = [g[0] for g in groups] if phrase else groups[0]
        join = " <-> " if phrase else " | "
        query = join.join(_tsquery_term(t, prefix=prefix) for t in terms)
        parts: list[str] = []
        args: list[Any] = []
        for t in terms:
            tq = _tsquery_term(t, prefix=prefix)
            if column != "doc":
                parts.append(f"? * arkiv_bm25({c.tf(column, tq, _ALL_WEIGHTS)}, {_LEN[column]}, ?)")
                args += [boost * c.idf(column, tq), c.stats.avg[_LEN[column]]]
                continue
            # The title's positions (weight A) come first: its tf is the rank with weight A only;
            # the text's (weight D) is the rest.
            every, title = c.tf("doc", tq, _ALL_WEIGHTS), c.tf("doc", tq, _TITLE_WEIGHTS)
            fields: tuple[tuple[str, str, list[Any]], ...] = (
                      (f"? * arkiv_bm25({every} - {title}, text_len, ?)", "D",
                       [boost * c.idf("doc", _tsquery_term(t, "D", prefix)), c.stats.avg["text_len"]]),
                      (f"? * arkiv_bm25({title}, title_len, ?)", "A",
                       [TITLE_BOOST * boost * c.idf("doc", _tsquery_term(t, "A", prefix)), c.stats.avg["title_len"]]))
            for sql, weight, field_args in fields:
                if phrase:
                    sql = f"(CASE WHEN doc @@ ?::tsquery THEN {sql} ELSE 0 END)"
                    field_args = [join.join(_tsquery_term(w, weight) for w in terms), *field_args]
                parts.append(sql)
                args += field_args
        score = " + ".join(parts)
        if phrase and column != "doc":
            score = f"(CASE WHEN {column} @@ ?::tsquery THEN {score} ELSE 0 END)"
            args = [query, *args]
        return _Leaf(f"{column} @@ ?::tsquery", [query], score, args)

    def _text_leaf(self, c: _Compile, text: str) -> _Leaf | None:
        groups = qt.groups(self.chain, qt.TEXT, text)
        if not groups:
            return None
        return _union([self._field_score(c, column, groups, 1.0) for column in c.scope.text])

    def _leaf(self, c: _Compile, node: q.QueryNode) -> _Leaf | None:
        if isinstance(node, q.Term):
            text = self._text_leaf(c, node.text)
            if text is None:
                return None          # only an identifier-like or stopword: keep it strict
            key = qt.groups(self.chain, qt.ID, node.text)
            if not key:
                return text
            ids = _Leaf("(number_key = ? OR case_key = ?)", [key[0][0]] * 2,
                        "((number_key = ?)::int + (case_key = ?)::int) * ?", [key[0][0], key[0][0], ID_BOOST])
            return _union([text, ids])
        if isinstance(node, q.Exact):
            groups = qt.groups(self.chain, qt.EXACT, node.text)
            return _union([self._field_score(c, column, groups, EXACT_BOOST) for column in c.scope.exact])
        if isinstance(node, q.Prefix):
            prefixes = qt.prefixes(node.text)
            if not prefixes:
                return self._leaf(c, q.Term(node.text))
            return _union([self._field_score(c, column, [[p]], 1.0, prefix=True)
                           for column in c.scope.exact for p in prefixes])
        if isinstance(node, q.Phrase):
            return self._text_leaf(c, " ".join(node.words))
        if isinstance(node, q.AnyOf):
            return _union([self._leaf(c, child) for child in node.children])
        if isinstance(node, q.Not):
            return self._leaf(c, node.child)
        if isinstance(node, q.AllOf):
            return self._tree(c, node) or _Leaf("false", [], "0", [])
        return None

    def _tree(self, c: _Compile, tree: q.AllOf) -> _Leaf | None:
        """The whole query: None when every word analysed away (nothing matches)."""
        if tree.is_empty:
            return _Leaf("true", [], "0", [])
        pos: list[_Leaf] = []
        neg: list[_Leaf] = []
        for child in tree.children:
            built = self._leaf(c, child)
            if built is not None:
                (neg if isinstance(child, q.Not) else pos).append(built)
        if not pos and not neg:
            return None
        if pos:
            cond = " AND ".join(f"({p.cond})" for p in pos)
            cond_args = [a for p in pos for a in p.cond_args]
            score = " + ".join(f"({p.score})" for p in pos)
            score_args = [a for p in pos for a in p.score_args]
        else:           # only exclusions: every item, scored 1 like Whoosh's Every()
            cond, cond_args, score, score_args = "true", [], "1", []
        for n in neg:
            cond += f" AND NOT ({n.cond})"
            cond_args += n.cond_args
        return _Leaf(cond, cond_args, score, score_args)

    @staticmethod
    def _filters(f: Filters | None) -> tuple[str, list[Any]]:
        if f is None or f.is_empty():
            return "true", []
        parts: list[str] = []
        args: list[Any] = []
        column = {"presenter": "presenters && ?::text[]", "outcome": "outcomes && ?::text[]",
                  "body": "body = ANY(?::text[])", "year": "year = ANY(?::text[])",
                  "meeting_id": "meeting_id = ANY(?::text[])", "case_number": "case_key = ANY(?::text[])"}
        for name, values in f.term_clauses():
            parts.append(column[name])
            args.append(values)
        days = f.day_range()
        if days:
            parts.append("day >= ?")
            args.append(days[0])
            if days[1] is not None:
                parts.append("day <= ?")
                args.append(days[1])
        return " AND ".join(parts), args

    # -- search ----------------------------------------------------------
    def search(self, tree: q.AllOf, filters: Filters | None = None, *, sort: str = "relevance",
               offset: int = 0, limit: int = 20, facets: Sequence[str] = FACETS, snippets: bool = True,
               private: bool = False) -> EngineResult:
        scope = PRIVATE if private else PUBLIC
        tree, sort, offset, limit = search_window(tree, sort, offset, limit, facets)
        with self._db() as db, db.transaction():
            # The GIN index finds a word's rows without unpacking their tsvectors; PostgreSQL's
            # planner does not count that unpacking and would read a common word's rows in turn.
            db.execute("SET LOCAL enable_seqscan = off")
            stats = self._stats(db)
            browsing = tree.is_empty and (filters is None or filters.is_empty())
            browse_key = (scope.internal, tuple(facets)) if browsing else None
            cached = self._browse.get(browse_key) if browse_key else None
            if cached is not None and cached[0] == stats.generation:
                hits = self._browse_page(db, scope, sort, offset, limit)
                if snippets:
                    add_snippets(hits, tree, scope.snippets, self.chain, self._hl_cache)
                return EngineResult(total=cached[1], hits=hits, facets={k: Counter(v) for k, v in cached[2].items()})
            c = _Compile(self, db, stats, scope)
            compiled = self._tree(c, tree)
            if compiled is None:
                return EngineResult(total=0, hits=[], facets={name: Counter() for name in facets})
            fcond, fargs = self._filters(filters)
            visible = "true" if scope.internal else "NOT internal"
            scored = sort == "relevance"
            score = compiled.score if scored else "0"
            score_args = compiled.score_args if scored else []
            order = _ORDER[sort]
            parts = ["SELECT 0 AS part, NULL::text AS value, count(*) AS n, NULL::float8 AS score FROM m"]
            part_args: list[Any] = []
            if limit:
                parts.append(
                    "SELECT 1, s.stored, h.rn, h.score FROM (SELECT seq, score, row_number() OVER "
                    f"(ORDER BY {order}) AS rn FROM m ORDER BY {order} LIMIT ? OFFSET ?) h "
                    "JOIN search_items s ON s.seq = h.seq")
                part_args += [limit, offset]
            facet_sql = {"presenter": "SELECT 2, v, count(*), NULL FROM m, unnest(m.presenters) v GROUP BY v",
                         "outcome": "SELECT 3, v, count(*), NULL FROM m, unnest(m.outcomes) v GROUP BY v",
                         "body": "SELECT 4, body, count(*), NULL FROM m GROUP BY body",
                         "year": "SELECT 5, year, count(*), NULL FROM m GROUP BY year"}
            parts += [facet_sql[name] for name in facets]
            lateral, tf_args = (c.lateral(), c.tf_args) if scored else ("", [])
            statement = (
                "WITH m AS MATERIALIZED (SELECT seq, day, position, presenters, outcomes, body, year, "
                f"{score} AS score FROM search_items{lateral} WHERE ({compiled.cond}) AND ({fcond}) AND {visible}) "
                + " UNION ALL ".join(parts))
            rows = db.execute(statement, [*score_args, *tf_args, *compiled.cond_args, *fargs, *part_args]).fetchall()
        total = 0
        page: list[tuple[int, float, dict]] = []
        counts: dict[str, Counter] = {name: Counter() for name in facets}
        names = {2: "presenter", 3: "outcome", 4: "body", 5: "year"}
        for part, value, n, sc in rows:
            if part == 0:
                total = int(n)
            elif part == 1:
                page.append((int(n), float(sc or 0.0), json.loads(value)))
            elif value:
                counts[names[part]][value] = int(n)
        if browse_key is not None:
            self._browse[browse_key] = (stats.generation, total, {k: Counter(v) for k, v in counts.items()})
        page.sort(key=lambda p: p[0])
        hits = [_hit(scope, offset + rn - 1, sc if scored else 0.0, fields) for rn, sc, fields in page]
        if snippets:
            add_snippets(hits, tree, scope.snippets, self.chain, self._hl_cache)
        return EngineResult(total=total, hits=hits, facets=counts)

    @staticmethod
    def _browse_page(db: Database, scope: _Scope, sort: str, offset: int, limit: int) -> list[RawHit]:
        """One page of the unfiltered archive in date order, read from the ``search_items_newest``
        or ``_oldest`` index up to the end of the page."""
        if not limit:
            return []
        order = _ORDER[sort]
        visible = "true" if scope.internal else "NOT internal"
        rows = db.execute(f"SELECT stored FROM search_items WHERE {visible} ORDER BY {order} LIMIT ? OFFSET ?",
                          (limit, offset)).fetchall()
        return [_hit(scope, offset + i, 0.0, json.loads(stored)) for i, (stored,) in enumerate(rows)]

    # -- suggestions -----------------------------------------------------
    def doc_frequency(self, word: str) -> int:
        groups = qt.groups(self.chain, qt.TEXT, word)
        if len(groups) != 1:
            return 0
        with self._db() as db:
            stats = self._stats(db)
            return max((self._count(db, "doc", _tsquery_term(t, w), stats.generation)
                        for t in groups[0] for w in ("A", "D")), default=0)

    def suggest(self, word: str, few: int = 2) -> str | None:
        """As index.engine's: a spelling within edit distance 1 (2 from 6 letters), same first
        letter, found in more items than ``word``; the most frequent wins."""
        subject = qt.spelling_subject(self.chain, word, few, self.doc_frequency)
        if subject is None:
            return None
        norm, hits, maxdist = subject
        with self._db() as db:
            stats = self._stats(db)
            cands = [w for (w,) in db.execute(
                "SELECT word FROM search_words WHERE first = ? AND length(word) BETWEEN ? AND ? "
                "AND word <> ? AND levenshtein_less_equal(word, ?, ?) <= ?",
                (norm[0], len(norm) - maxdist, len(norm) + maxdist, norm, norm, maxdist, maxdist))]
            return qt.best_spelling(norm, hits, (
                (cand, self._count(db, "exact", _tsquery_term(cand), stats.generation, cap=DF_CAP)) for cand in cands))


# Orders of a result: relevance (ties in insertion order), newest first, oldest first (undated last).
_ORDER = {"relevance": "score DESC, seq",
          "newest": "day DESC, position, seq",
          "oldest": "(CASE WHEN day = 0 THEN 1000000000 ELSE day END), position, seq"}


def _hit(scope: _Scope, docnum: int, score: float, fields: dict) -> RawHit:
    """A hit of the page: a closed item's case text only in a search that may quote it."""
    if not scope.internal or "private" not in scope.snippets:
        fields.pop("private", None)
    return RawHit(docnum=docnum, score=score, fields=fields)


def _union(leaves: Sequence[_Leaf | None]) -> _Leaf | None:
    """OR of leaves; their scores add up (a leaf that does not match scores 0)."""
    kids = [k for k in leaves if k is not None]
    if not kids:
        return None
    if len(kids) == 1:
        return kids[0]
    return _Leaf(" OR ".join(f"({k.cond})" for k in kids), [a for k in kids for a in k.cond_args],
                 " + ".join(f"({k.score})" for k in kids), [a for k in kids for a in k.score_args])
