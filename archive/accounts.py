"""Accounts: who may sign in and with which role, kept in the archive's SQLite file.

Passwords are stored as Argon2id hashes (argon2-cffi's defaults, RFC 9106's
low-memory profile: 64 MiB, 3 passes); a hash made with older parameters is
renewed at the next sign-in.  Failed sign-ins are recorded per account and per
client address in the same file, so the limit holds across all of the
server's worker processes.

Roles (archive.visibility.ROLES): an **editor** uploads minutes, corrects them
and marks meetings internal; a **reader** reads everything, closed items and
internal meetings included, and changes nothing.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import time
from dataclasses import dataclass
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from archive.errors import ArkivError
from archive.store import schema
from archive.store.db import SQLITE, Database
from archive.visibility import ROLES

VERSION = 1
_DDL = """
CREATE TABLE IF NOT EXISTS users (
    name          TEXT PRIMARY KEY {nocase},
    role          TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    changed_at    TEXT NOT NULL       -- when the password was last set
);
CREATE TABLE IF NOT EXISTS signin_failures (
    key TEXT NOT NULL,                -- "user:<name>" or "ip:<address>"
    at  {real} NOT NULL               -- seconds since the epoch
);
CREATE UNIQUE INDEX IF NOT EXISTS users_name ON users(lower(name));
CREATE INDEX IF NOT EXISTS signin_failures_key ON signin_failures(key, at);
"""


def ddl(dialect: str) -> str:
    """The tables in the database's own words (names are unique whatever their case)."""
    if dialect == SQLITE:
        return _DDL.format(nocase="COLLATE NOCASE", real="REAL")
    return _DDL.format(nocase="", real="DOUBLE PRECISION")

NAME = re.compile(r"[\w.@-]{1,64}")
MIN_PASSWORD = 10
MAX_PASSWORD = 1024         # Argon2 reads it all: no megabyte passwords


class AccountError(ArkivError):
    """A bad name, role or password, or an unknown user (the message is Danish)."""


@dataclass
class User:
    name: str
    role: str
    created_at: dt.datetime
    changed_at: dt.datetime
    password_hash: str = ""

    @property
    def session_token(self) -> str:
        """Kept in the user's session cookie: a new password ends every older session."""
        return hashlib.sha256(self.password_hash.encode()).hexdigest()[:32]


@lru_cache(maxsize=1)
def _hasher() -> PasswordHasher:
    return PasswordHasher()


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    """Verified against for unknown names, so that they take as long as known ones."""
    return _hasher().hash("arkiv: ingen bruger med det navn")


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def check_name(name: str) -> str:
    if not NAME.fullmatch(name or ""):
        raise AccountError(f"ugyldigt brugernavn {name!r}: 1–64 bogstaver, tal eller . _ - @, uden mellemrum")
    return name


def check_role(role: str) -> str:
    if role not in ROLES:
        raise AccountError(f"ukendt rolle {role!r} (kendte: {', '.join(ROLES)})")
    return role


def check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"adgangskoden skal være mindst {MIN_PASSWORD} tegn")
    if len(password) > MAX_PASSWORD:
        raise AccountError(f"adgangskoden må højst være {MAX_PASSWORD} tegn")
    return password


class Accounts:
    """Users and sign-in failures on an open connection to the archive's database."""

    def __init__(self, db: Database):
        self.db = db
        schema.ensure(db, "accounts", VERSION, ddl(db.dialect))

    # -- users -----------------------------------------------------------------
    def add(self, name: str, role: str, password: str) -> User:
        check_name(name)
        check_role(role)
        check_password(password)
        if self.get(name):
            raise AccountError(f"brugeren {name!r} findes allerede")
        now = _now()
        with self.db.transaction():
            self.db.execute("INSERT INTO users(name, role, password_hash, created_at, changed_at) "
                            "VALUES (?, ?, ?, ?, ?)", (name, role, _hasher().hash(password), now, now))
        user = self.get(name)
        assert user is not None
        return user

    def get(self, name: str) -> User | None:
        row = self.db.execute("SELECT name, role, created_at, changed_at, password_hash FROM users "
                              "WHERE lower(name) = lower(?)", (name,)).fetchone()
        if not row:
            return None
        return User(row[0], row[1], dt.datetime.fromisoformat(row[2]), dt.datetime.fromisoformat(row[3]), row[4])

    def users(self) -> list[User]:
        names = [r[0] for r in self.db.execute("SELECT name FROM users ORDER BY lower(name), name")]
        return [u for u in (self.get(n) for n in names) if u]

    def count(self) -> int:
        return self.db.execute("SELECT COUNT(*) FROM users").fetchone()[0]

    def remove(self, name: str) -> None:
        with self.db.transaction():
            if not self.db.execute("DELETE FROM users WHERE lower(name) = lower(?)", (name,)).rowcount:
                raise AccountError(f"ingen bruger ved navn {name!r}")

    def set_password(self, name: str, password: str) -> None:
        check_password(password)
        with self.db.transaction():
            if not self.db.execute("UPDATE users SET password_hash = ?, changed_at = ? WHERE lower(name) = lower(?)",
                                   (_hasher().hash(password), _now(), name)).rowcount:
                raise AccountError(f"ingen bruger ved navn {name!r}")

    def authenticate(self, name: str, password: str) -> User | None:
        """The user if the password is theirs, else None (unknown names take as long)."""
        user = self.get(name) if NAME.fullmatch(name or "") else None
        try:
            _hasher().verify(user.password_hash if user else _dummy_hash(), password[:MAX_PASSWORD])
        except (VerificationError, InvalidHashError):
            return None
        if user is None:
            return None
        if _hasher().check_needs_rehash(user.password_hash):
            with self.db.transaction():
                self.db.execute("UPDATE users SET password_hash = ? WHERE name = ?",
                                (_hasher().hash(password), user.name))
            user = self.get(user.name)
        return user

    def session_user(self, name: str, token: str) -> User | None:
        """The user a session cookie names, if it is still valid (same password, not removed)."""
        user = self.get(name) if name else None
        if user is None or not hmac.compare_digest(user.session_token, token or ""):
            return None
        return user

    # -- throttling --------------------------------------------------------------
    def retry_after(self, limits: dict[str, int], window: float) -> float:
        """Seconds until a sign-in may be tried again: 0 when no key is over its limit.

        ``limits``: key ("user:anna", "ip:10.0.0.1") → failures allowed within ``window``.
        """
        wait = 0.0
        since = time.time() - window
        for key, limit in limits.items():
            rows = self.db.execute("SELECT at FROM signin_failures WHERE key = ? AND at > ? ORDER BY at DESC "
                                   "LIMIT 1 OFFSET ?", (key, since, limit - 1)).fetchone()
            if rows:   # the limit-th newest failure is inside the window: wait until it leaves it
                wait = max(wait, rows[0] + window - time.time())
        return max(0.0, wait)

    def record_failure(self, keys: list[str], window: float) -> None:
        now = time.time()
        with self.db.transaction():
            self.db.executemany("INSERT INTO signin_failures(key, at) VALUES (?, ?)", [(k, now) for k in keys])
            self.db.execute("DELETE FROM signin_failures WHERE at < ?", (now - window,))

    def clear_failures(self, key: str) -> None:
        with self.db.transaction():
            self.db.execute("DELETE FROM signin_failures WHERE key = ?", (key,))
