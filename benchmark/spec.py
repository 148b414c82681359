"""The shapes of the fictional corpus (benchmark.generate makes them, benchmark.render writes them)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Body:
    name: str
    layout: str
    town: str
    subject: str                 # who decides: "Bestyrelsen", "Udvalget", ...
    members: tuple[tuple[str, str], ...]
    staff: tuple[tuple[str, str], ...]
    location: str
    index: int


@dataclass
class ItemSpec:
    number: str
    title: str
    time: str = ""                       # "16:00–16:05"
    presenter: tuple[str, str] | None = None
    description: list[str] = field(default_factory=list)   # paragraphs (a "- " paragraph is a bullet list)
    recommendation: str = ""
    minutes: list[str] = field(default_factory=list)
    outcome: str = "none"                # one of OUTCOME_KINDS (what the minutes record)
    case_number: str = ""


@dataclass
class MeetingSpec:
    index: int
    layout: str
    body: str
    subject: str
    date: dt.date
    number: int
    start: str
    end: str
    location: str
    participants: list[tuple[str, str]]
    absent: list[tuple[str, str]]
    staff: list[tuple[str, str]]
    items: list[ItemSpec]
    filename: str
    version: int = 1
