"""What the store's lists and writes return: rows read without parsing a meeting's JSON."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from archive.model import Meeting


@dataclass
class MeetingRow:
    """A meeting as lists show it, read without parsing its JSON."""
    id: str
    body: str
    number: str
    date: dt.date | None
    items: int


@dataclass
class OriginalRow:
    """One original file of a meeting (its bytes: ``Store.read_original(sha256, ext)``)."""
    sha256: str
    ext: str
    name: str
    kind: str


@dataclass
class Stored:
    """What storing one file's parse did."""
    meeting: Meeting            # the meeting as stored (possibly an existing one the file joined)
    removed: list[str]          # meetings that no file refers to any more (drop from the index)
    joined: bool = False        # the file is another original of a meeting already stored


@dataclass
class BodyRow:
    name: str
    meetings: int
    items: int
    first: dt.date | None
    last: dt.date | None
