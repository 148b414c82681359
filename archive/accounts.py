"""Accounts: who may sign in and with which role, kept in the archive's SQLite file.

Passwords are stored as Argon2id hashes (argon2-cffi's defaults, RFC 9106's
low-memory profile: 64 MiB, 3 passes); a hash made with older parameters is
renewed at the next sign-in.

Sign-in throttling (:meth:`Accounts.reserve`): an attempt is counted as a failure *before*
its password is checked, in one serialised transaction (SQLite's BEGIN IMMEDIATE, a
PostgreSQL advisory lock), so parallel attempts across all of the server's workers count
at once; an attempt that cannot be recorded (a full disk, a damaged table) is refused,
never checked.  Limits hold per client address, per account and address, and per account
for clients that have failed: a locked account still takes the right password from a
client that has not failed.

Sessions (:meth:`Accounts.open_session`) are rows here too: the cookie holds a random id
whose hash is stored, and signing out deletes the row, so a copied cookie stops working.

Roles (archive.visibility.ROLES): an **editor** uploads minutes, corrects them
and marks meetings internal; a **reader** reads everything, closed items and
internal meetings included, and changes nothing.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets
import time
from dataclasses import dataclass
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from archive.errors import ArkivError
from archive.store import schema
from archive.store.db import POSTGRES, SQLITE, Database
from archive.visibility import ROLES

VERSION = 2                 # 2: sessions
SIGNIN_LOCK = 0x61726B7369   # the advisory lock that serialises sign-in attempts (PostgreSQL)
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
CREATE TABLE IF NOT EXISTS sessions (
    id         TEXT PRIMARY KEY,      -- sha256 of the id in the cookie
    name       TEXT NOT NULL,
    created_at {real} NOT NULL
);
CREATE INDEX IF NOT EXISTS sessions_name ON sessions(name);
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
            self.db.execute("DELETE FROM sessions WHERE lower(name) = lower(?)", (name,))

    def set_password(self, name: str, password: str) -> None:
        check_password(password)
        with self.db.transaction():
            if not self.db.execute("UPDATE users SET password_hash = ?, changed_at = ? WHERE lower(name) = lower(?)",
                                   (_hasher().hash(password), _now(), name)).rowcount:
                raise AccountError(f"ingen bruger ved navn {name!r}")
            self.db.execute("DELETE FROM sessions WHERE lower(name) = lower(?)", (name,))

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

    # -- sessions ----------------------------------------------------------------
    def open_session(self, name: str, lifetime: float) -> str:
        """A new session of ``name``: its id for the cookie (only its hash is stored)."""
        sid = secrets.token_urlsafe(32)
        now = time.time()
        with self.db.transaction():
            self.db.execute("DELETE FROM sessions WHERE created_at < ?", (now - lifetime,))
            self.db.execute("INSERT INTO sessions(id, name, created_at) VALUES (?, ?, ?)", (_digest(sid), name, now))
        return sid

    def session_open(self, name: str, sid: str, lifetime: float) -> bool:
        """Whether the session ``sid`` of ``name`` is open: not signed out, not expired."""
        if not sid:
            return False
        row = self.db.execute("SELECT name, created_at FROM sessions WHERE id = ?", (_digest(sid),)).fetchone()
        return bool(row) and row[0].casefold() == name.casefold() and row[1] >= time.time() - lifetime

    def close_session(self, sid: str) -> None:
        if sid:
            with self.db.transaction():
                self.db.execute("DELETE FROM sessions WHERE id = ?", (_digest(sid),))

    def close_sessions(self, name: str) -> None:
        """End every session of ``name`` (a new password, a removed account)."""
        with self.db.transaction():
            self.db.execute("DELETE FROM sessions WHERE lower(name) = lower(?)", (name,))

    # -- throttling --------------------------------------------------------------
    def reserve(self, name: str, address: str, throttle: Throttle) -> Attempt:
        """Count a sign-in attempt as failed before its password is checked; raise
        :class:`Throttled` when a limit is reached.  One serialised transaction: parallel
        attempts (any worker) see each other.  Any error of the database propagates, and
        the caller refuses the attempt (fail closed)."""
        now = time.time()
        since = now - throttle.window
        keys = attempt_keys(name, address)
        with self.db.transaction():
            if self.db.dialect == POSTGRES:
                self.db.execute("SELECT pg_advisory_xact_lock(?)", (SIGNIN_LOCK,))
            self.db.execute("DELETE FROM signin_failures WHERE at < ?", (since,))
            wait = self._wait(keys, throttle, since, now)
            if wait > 0:
                raise Throttled(wait)
            self.db.executemany("INSERT INTO signin_failures(key, at) VALUES (?, ?)", [(k, now) for k in keys.values()])
        return Attempt(keys, now)

    def _wait(self, keys: dict[str, str], throttle: Throttle, since: float, now: float) -> float:
        def until(key: str, limit: int) -> float:
            """Seconds until ``key`` has fewer than ``limit`` failures in the window (0: it has)."""
            row = self.db.execute("SELECT at FROM signin_failures WHERE key = ? AND at > ? ORDER BY at DESC "
                                  "LIMIT 1 OFFSET ?", (key, since, max(0, limit - 1))).fetchone()
            return max(0.0, row[0] + throttle.window - now) if row else 0.0

        waits = [until(keys["address"], throttle.per_address), until(keys["pair"], throttle.per_account)]
        # The account over its limit stops only clients that have failed themselves.
        if until(keys["address"], 1) > 0:
            waits.append(until(keys["account"], throttle.per_account))
        return max(waits)

    def succeeded(self, attempt: Attempt) -> None:
        """The attempt had the right password: it and the account's failures no longer count
        (the address's other failures still do)."""
        with self.db.transaction():
            self.db.execute("DELETE FROM signin_failures WHERE key = ? AND at = ?", (attempt.keys["address"], attempt.at))
            self.db.execute("DELETE FROM signin_failures WHERE key IN (?, ?)",
                            (attempt.keys["account"], attempt.keys["pair"]))

    def failures(self, key: str, window: float) -> int:
        return self.db.execute("SELECT COUNT(*) FROM signin_failures WHERE key = ? AND at > ?",
                               (key, time.time() - window)).fetchone()[0]


@dataclass(frozen=True)
class Throttle:
    """Failed sign-ins allowed within ``window`` seconds: per account (for a client that has
    failed, and per account and address) and per client address."""
    per_account: int = 5
    per_address: int = 20
    window: float = 15 * 60


@dataclass(frozen=True)
class Attempt:
    keys: dict[str, str]
    at: float


class Throttled(ArkivError):
    """Too many failed sign-ins: ``retry_after`` seconds until the next may be tried."""

    def __init__(self, retry_after: float):
        super().__init__(f"for mange mislykkede forsøg på at logge ind; prøv igen om {retry_after:.0f} s")
        self.retry_after = retry_after


def attempt_keys(name: str, address: str) -> dict[str, str]:
    account = name.strip().casefold()[:MAX_PASSWORD]
    return {"account": f"user:{account}", "address": f"ip:{address or '?'}", "pair": f"pair:{account}|{address or '?'}"}


def _digest(sid: str) -> str:
    return hashlib.sha256(sid.encode()).hexdigest()
