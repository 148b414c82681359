"""What signed-in users follow (a search, a body, a case, a person) for e-mail alerts.

A follow is a search in the web's URL state (``query``: "q=havn&body=…"): following a body is
the search ``body=<name>``, a case ``case=<number>``, a person ``presenter=<name>``.  Each has a
secret ``token`` (the one-click unsubscribe link, no login) and ``since``: the ingest time
(``archive.store.tables.now``) up to which its items have been sent; ``sent`` holds the ids of
the items sent that came exactly at ``since`` (the store's clock counts seconds), so that nothing
is sent twice and nothing that comes in the same second is lost.  A new follow's ``sent`` is
``EVERYTHING``: all that came in the second it was made counts as before it.
"""
from __future__ import annotations

import json
import secrets
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode

from archive.errors import ArkivError
from archive.store import schema
from archive.store.db import Database
from archive.store.tables import now

COMPONENT, VERSION = "follows", 1
KINDS = {"search": "Søgning", "body": "Organ", "case": "Sag", "person": "Person"}
_PARAM = {"body": "body", "case": "case", "person": "presenter"}
_DDL = """
CREATE TABLE IF NOT EXISTS follows (
    token      TEXT PRIMARY KEY,       -- secret: the unsubscribe link
    user_name  TEXT NOT NULL,          -- the account whose access every send re-checks
    email      TEXT NOT NULL,
    kind       TEXT NOT NULL,          -- search, body, case, person
    label      TEXT NOT NULL,          -- what it is, for the digest's subject
    query      TEXT NOT NULL,          -- the search, as a URL query string
    since      TEXT NOT NULL,          -- items that came before this were sent (or preceded the follow)
    sent       TEXT NOT NULL DEFAULT '[]',
    created_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS follows_user ON follows(user_name);
"""


class FollowError(ArkivError):
    """A follow that cannot be made (the message is Danish)."""


EVERYTHING = "*"          # in ``sent``: every item that came at ``since``
ALL_SEPARATOR = "."       # /afmeld/<token>.<token>: several follows at once (tokens are URL-safe base64)


@dataclass
class Follow:
    token: str
    user_name: str
    email: str
    kind: str
    label: str
    query: str
    since: str
    sent: list[str] = field(default_factory=list)

    def was_sent(self, added: str, item_id: str) -> bool:
        """The item that came at ``added`` (not before ``since``) went out in an earlier digest, or
        came in the very second the follow was made."""
        return added == self.since and (item_id in self.sent or EVERYTHING in self.sent)

    @property
    def state(self) -> dict[str, str | list[str]]:
        """The search as the web's URL state (repeated parameters as lists)."""
        out: dict[str, str | list[str]] = {}
        for key, value in parse_qsl(self.query):
            if key in out:
                old = out[key]
                out[key] = [*old, value] if isinstance(old, list) else [old, value]
            else:
                out[key] = value
        return out


def query_of(kind: str, target: str) -> str:
    """The search a body, case or person follow is ("body=…"); a search follow's own query string."""
    if kind not in KINDS:
        raise FollowError(f"ukendt slags: {kind!r}")
    if kind == "search":
        pairs = [(k, v) for k, v in parse_qsl(target.lstrip("?")) if k not in ("page", "per_page", "sort")]
        return urlencode(pairs)
    if not target.strip():
        raise FollowError("hvad skal følges?")
    return urlencode({_PARAM[kind]: target.strip()})


def _valid_email(email: str) -> str:
    email = email.strip()
    local, _, domain = email.partition("@")
    if not local or "." not in domain or any(c in email for c in " \r\n<>,;") or len(email) > 254:
        raise FollowError(f"{email!r} er ikke en e-mailadresse")
    return email


class Follows:
    def __init__(self, db: Database):
        self.db = db
        schema.ensure(db, COMPONENT, VERSION, _DDL)

    def add(self, user_name: str, email: str, kind: str, target: str, label: str) -> Follow:
        """Follow from now on: what came before is not sent."""
        follow = Follow(secrets.token_urlsafe(24), user_name, _valid_email(email), kind, label.strip()[:200],
                        query_of(kind, target), now(), [EVERYTHING])
        with self.db.transaction():
            self.db.execute("INSERT INTO follows(token, user_name, email, kind, label, query, since, sent, created_at) "
                            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                            (follow.token, user_name, follow.email, kind, follow.label, follow.query, follow.since,
                             json.dumps(follow.sent), follow.since))
        return follow

    def _rows(self, where: str = "", args: tuple = ()) -> list[Follow]:
        rows = self.db.execute("SELECT token, user_name, email, kind, label, query, since, sent FROM follows "
                               f"{where} ORDER BY created_at, token", args).fetchall()
        return [Follow(token, user, email, kind, label, query, since, json.loads(sent))
                for token, user, email, kind, label, query, since, sent in rows]

    def all(self) -> list[Follow]:
        return self._rows()

    def of_user(self, user_name: str) -> list[Follow]:
        return self._rows("WHERE user_name = ?", (user_name,))

    def get(self, token: str) -> Follow | None:
        found = self._rows("WHERE token = ?", (token,))
        return found[0] if found else None

    def remove(self, token: str) -> bool:
        with self.db.transaction():
            gone = self.get(token) is not None
            self.db.execute("DELETE FROM follows WHERE token = ?", (token,))
        return gone

    def mark_sent(self, token: str, since: str, sent: list[str]) -> None:
        with self.db.transaction():
            self.db.execute("UPDATE follows SET since = ?, sent = ? WHERE token = ?",
                            (since, json.dumps(sorted(set(sent))), token))
