"""One connection to the archive's database, SQLite or PostgreSQL, spoken to the same way.

The store, accounts and corrections write their SQL once, with ``?`` placeholders and
the SQL both databases share (``ON CONFLICT … DO UPDATE``, ``LIMIT``, ``lower()``);
:class:`Database` runs it on either.  Values always travel as parameters, never inside
the SQL text.  What differs between the two (a table's DDL, an autoincrement column)
is chosen by :attr:`Database.dialect`.

    db = connect_sqlite(path)            # or connect_postgres(url)
    with db.transaction():               # nested: a savepoint
        db.execute("INSERT INTO t(a) VALUES (?)", (1,))
    row = db.execute("SELECT a FROM t WHERE a = ?", (1,)).fetchone()
"""
from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
from pathlib import Path
from typing import Any, Iterable, Iterator, Sequence
from urllib.parse import urlsplit, urlunsplit

from archive.errors import ArkivError

SQLITE, POSTGRES = "sqlite", "postgres"


class Database:
    """A connection with one paramstyle (``?``) and nestable transactions."""

    dialect: str

    def execute(self, sql: str, args: Sequence[Any] = ()) -> Any:
        raise NotImplementedError

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        raise NotImplementedError

    def script(self, ddl: str) -> None:
        """Statements without parameters (DDL), separated by semicolons (so none inside a statement
        or a comment)."""
        raise NotImplementedError

    def transaction(self) -> contextlib.AbstractContextManager:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError

    def has_table(self, name: str) -> bool:
        raise NotImplementedError


class SqliteDatabase(Database):
    dialect = SQLITE

    def __init__(self, path: Path):
        self.conn = sqlite3.connect(path, timeout=30, check_same_thread=False, isolation_level=None)
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA synchronous=NORMAL")
        self.conn.execute("PRAGMA foreign_keys=ON")
        self._depth = 0
        self._lock = threading.RLock()

    def execute(self, sql: str, args: Sequence[Any] = ()) -> Any:
        return self.conn.execute(sql, tuple(args))

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        self.conn.executemany(sql, rows)

    def script(self, ddl: str) -> None:
        for statement in ddl.split(";"):
            if statement.strip():
                self.conn.execute(statement)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        with self._lock:
            depth = self._depth
            name = f"sp{depth}"
            self.conn.execute("BEGIN IMMEDIATE" if depth == 0 else f"SAVEPOINT {name}")
            self._depth += 1
            try:
                yield
            except BaseException:
                self._depth -= 1
                self.conn.execute("ROLLBACK" if depth == 0 else f"ROLLBACK TO {name}")
                if depth:
                    self.conn.execute(f"RELEASE {name}")
                raise
            self._depth -= 1
            self.conn.execute("COMMIT" if depth == 0 else f"RELEASE {name}")

    def close(self) -> None:
        self.conn.close()

    def has_table(self, name: str) -> bool:
        return self.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name = ?", (name,)).fetchone() \
            is not None


def _pg_sql(sql: str) -> str:
    """``?`` placeholders as psycopg's ``%s`` (a literal ``%`` doubled)."""
    return sql.replace("%", "%%").replace("?", "%s")


def pg_value(value: Any) -> Any:
    """A value PostgreSQL takes: its text types hold no NUL character, which a broken file or a
    hostile URL may carry (as U+FFFD instead: such an id matches nothing, such text stays readable)."""
    if isinstance(value, str):
        return value.replace("\x00", "\ufffd") if "\x00" in value else value
    if isinstance(value, list):
        return [pg_value(v) for v in value]
    return value


class ClosedDatabase(ArkivError):
    """A PostgreSQL store used after it was closed (its connection went back to the pool)."""


class PostgresDatabase(Database):
    """A psycopg 3 connection (from a pool, given back on :meth:`close`), in autocommit
    outside :meth:`transaction` so a read never holds a transaction open."""

    dialect = POSTGRES

    def __init__(self, conn: Any, give_back: Any = None):
        self._conn = conn
        self._give_back = give_back

    @property
    def conn(self) -> Any:
        if self._conn is None:
            raise ClosedDatabase("databaseforbindelsen er lukket")
        return self._conn

    def execute(self, sql: str, args: Sequence[Any] = ()) -> Any:
        return self.conn.execute(_pg_sql(sql), tuple(pg_value(a) for a in args), prepare=False)

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        with self.conn.cursor() as cur:
            cur.executemany(_pg_sql(sql), [tuple(pg_value(a) for a in r) for r in rows])

    def script(self, ddl: str) -> None:
        with self.transaction():
            for statement in ddl.split(";"):
                if statement.strip():
                    self.conn.execute(statement)

    def transaction(self) -> contextlib.AbstractContextManager:
        return self.conn.transaction()

    def close(self) -> None:
        if self._conn is None:
            return
        conn, self._conn = self._conn, None
        if self._give_back is not None:
            self._give_back(conn)
        else:
            conn.close()

    def has_table(self, name: str) -> bool:
        return self.execute("SELECT to_regclass(?) IS NOT NULL", (name,)).fetchone()[0]


def redacted(url: str) -> str:
    """``url`` without its password, for messages."""
    parts = urlsplit(url)
    if parts.password:
        return urlunsplit(parts._replace(netloc=parts.netloc.replace(f":{parts.password}@", ":***@")))
    return url


def connect_sqlite(path: Path) -> SqliteDatabase:
    """The SQLite file at ``path``, created 0600 (it holds password hashes and private text);
    an existing one readable by others is made 0600 (SQLite gives its -wal/-shm files the same mode)."""
    try:
        os.close(os.open(path, os.O_RDWR | os.O_CREAT, 0o600))
        if path.stat().st_mode & 0o077:
            os.chmod(path, 0o600)
    except OSError:
        pass                # a read-only archive, or not ours: SQLite says what is wrong
    return SqliteDatabase(path)


# --------------------------------------------------------------------------- PostgreSQL pools
# Every session: no JIT (it compiles a search's statement for longer than the search takes),
# room in memory for a common word's matching set and its facet counts.
SESSION = {"options": "-c jit=off -c work_mem=64MB"}
_POOLS: dict[str, Any] = {}
_POOLS_LOCK = threading.Lock()


def pool(url: str) -> Any:
    """The process's connection pool for ``url`` (psycopg_pool), opened on first use.

    One pool per process: the web's threads, the store opened per request and the
    search engine share its connections.  A forked worker (gunicorn) opens its own."""
    import os

    key = f"{os.getpid()}:{url}"
    with _POOLS_LOCK:
        found = _POOLS.get(key)
        if found is None:
            import psycopg
            from psycopg_pool import ConnectionPool

            try:        # a clear message at once, not a pool that waits for a server that is not there
                psycopg.connect(url, connect_timeout=10, options=SESSION["options"]).close()
            except psycopg.Error as exc:
                raise ArkivError(f"kan ikke forbinde til databasen {redacted(url)}: "
                                 f"{str(exc).strip().splitlines()[0] if str(exc).strip() else exc!r}") from None
            found = ConnectionPool(url, min_size=1, max_size=16, kwargs={"autocommit": True, **SESSION},
                                   open=True, name="arkiv", timeout=60)
            _POOLS[key] = found
        return found


def connect_postgres(url: str) -> PostgresDatabase:
    """A connection from the process's pool for ``url``; :meth:`Database.close` returns it."""
    p = pool(url)
    conn = p.getconn()
    return PostgresDatabase(conn, p.putconn)


def close_pools() -> None:
    with _POOLS_LOCK:
        for p in _POOLS.values():
            p.close()
        _POOLS.clear()
