"""The domain: a meeting and its agenda items, as parsed from one minutes file.

Plain dataclasses so that the store can serialise them to JSON and back, the
index can read them, and the web templates can render them without logic.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from dataclasses import dataclass, field
from enum import Enum
from typing import Any


@dataclass
class Person:
    """Someone listed as present, in the secretariat, or absent.

    ``note`` keeps what the minutes say about their attendance, e.g.
    "deltog i stedet for Ole Thomsen, koncerndirektør i Region Midtjylland",
    "deltog via telefon", "deltog fra kl. 17".  ``substitute_for`` is the name
    of the member they replaced, when the note says so.
    """

    name: str
    role: str = ""
    note: str = ""
    substitute_for: str = ""


@dataclass
class Presenter:
    name: str
    role: str = ""


@dataclass
class Dissent:
    """A member (or party) who did not back the decision, as the minutes record it.

    ``kind`` is one of :data:`DISSENT_KINDS`; ``text`` is the sentence that says so."""

    name: str
    kind: str
    text: str = ""


# Danish labels of the ways a member may stand apart from a decision.
DISSENT_KINDS = {
    "imod": "Imod",                   # "kunne ikke tiltræde", "stemte imod"
    "forbehold": "Tog forbehold",     # "tog forbehold"
    "undlod": "Undlod at stemme",     # "undlod at stemme", "stemte blankt"
}


@dataclass
class Votes:
    """A vote's counts where the minutes give them ("For: 10, imod: 22, blank: 1")."""

    in_favour: int | None = None
    against: int | None = None
    abstained: int | None = None


# Each count of a vote and its Danish word, in the order they are written.
VOTE_WORDS = (("in_favour", "for"), ("against", "imod"), ("abstained", "blank"))


@dataclass
class Attachment:
    """One entry of an item's "Bilag" list; ``url`` where the document links it."""

    title: str
    url: str = ""


@dataclass
class Treatment:
    """An earlier treatment of the case that the minutes list themselves ("Sagsforløb":
    committee, date, item number and what it decided)."""

    body: str
    date: str = ""                   # ISO date, or "" when the minutes give none
    number: str = ""                 # the item number there
    text: str = ""


@dataclass
class AgendaItem:
    number: str                      # as written: "47/18", "1.1", "3"
    title: str
    position: int = 0                # 1-based order within the meeting
    time: str = ""                   # scheduled time as "16:30–17:00" (en dash), or ""
    presenters: list[Presenter] = field(default_factory=list)
    description: str = ""
    recommendation: str = ""         # "Det indstilles at" / "Indstilling"
    minutes: str = ""                # the record of the treatment: "REFERAT" / "Beslutning(er)"
    decision: str = ""               # the decision within it (archive.parse.decision); outcomes come from it
    outcomes: list[str] = field(default_factory=list)   # slugs from archive.parse.outcome
    dissent: list[Dissent] = field(default_factory=list)
    votes: Votes | None = None
    absent: list[str] = field(default_factory=list)      # members absent from this item ("Fraværende: …")
    case_number: str = ""            # e.g. "EMN-2025-010561", "12/3456"
    history: list[Treatment] = field(default_factory=list)        # the case's earlier treatment, as listed
    attachments: list[Attachment] = field(default_factory=list)   # "Bilag"
    closed: bool = False             # "Lukket punkt", "Lukket:", "Fortroligt"
    id: str = ""                     # stable id, assigned by archive.ids
    ocr: bool = False                # its text stands on a page read by OCR (a word may be misread)


class Warn(Enum):
    """What the parser could not make sense of in a file, as a code; its value is the Danish
    text (the start of it, where a detail follows) that the store keeps and the pages show."""
    NO_ITEMS = "ingen dagsordenspunkter fundet: hele dokumentet er gemt som ét punkt"
    LOST_TEXT = "tekst blev ikke gemt"
    SKIPPED_NUMBER = "et punktnummer springes over"
    AGENDA_NOT_FOUND = "dagsordenen har punkter, som ikke blev fundet i referatet"
    OTHER = ""                  # a stored warning this arkiv does not know: its text is kept


@dataclass(frozen=True)
class ParseWarning:
    """One warning of a parse: its code, and its Danish text as stored and shown."""
    code: Warn
    text: str

    @classmethod
    def of(cls, code: Warn, detail: str = "") -> ParseWarning:
        """``code`` with its Danish text, and ``detail`` after a colon ("tekst blev ikke gemt: 3 linjer …")."""
        return cls(code, f"{code.value}: {detail}" if detail else code.value)

    @classmethod
    def read(cls, text: str) -> ParseWarning:
        """A stored warning's text (meetings store text, so old archives load as they are) with its code."""
        if text.startswith("ingen dagsordenspunkter fundet"):
            return cls(Warn.NO_ITEMS, text)
        for code in (Warn.LOST_TEXT, Warn.SKIPPED_NUMBER, Warn.AGENDA_NOT_FOUND):
            if text.startswith(code.value):
                return cls(code, text)
        return cls(Warn.OTHER, text)

    def __str__(self) -> str:
        return self.text


@dataclass
class Meeting:
    body: str                        # "Bestyrelsen for den nationale strategi for Personlig Medicin 2017-2020"
    date: dt.date | None = None
    number: str = ""                 # meeting number as written ("6"), or ""
    title: str = ""                  # the document's own heading, e.g. "6. møde i bestyrelsen ..."
    start: str = ""                  # "16:00"
    end: str = ""                    # "18:00"
    location: str = ""
    participants: list[Person] = field(default_factory=list)
    secretariat: list[Person] = field(default_factory=list)
    absent: list[Person] = field(default_factory=list)
    attendance: str = ""             # the attendance lines as written ("Til stede: …", "Afbud: …")
    preamble: str = ""               # the rest of the front matter: notices, the agenda's framing, headers
    items: list[AgendaItem] = field(default_factory=list)
    back_matter: str = ""            # after the last item: signatures, the next meeting, closing remarks
    warnings: list[ParseWarning] = field(default_factory=list)   # what the parser could not make sense of
    source_file: str = ""            # file name as ingested
    source_sha256: str = ""
    internal: bool = False           # set by an editor (archive.store.corrections): only for signed-in users
    id: str = ""                     # stable id, assigned by archive.ids
    ocr_pages: list[int] = field(default_factory=list)   # 1-based pages of the original read by OCR
    document_kind: str = ""          # "minutes" or "agenda" (archive.parse.kind): what the document records
    meeting_kind: str = ""           # "ordinær generalforsamling", "bestyrelsesmøde" … as the header names it

    def agenda_items(self) -> list[AgendaItem]:
        """The items the document numbers or heads: none where it has no such structure (prose minutes,
        a transcript) and the parser kept the whole text as one item (Warn.NO_ITEMS)."""
        return [] if any(w.code is Warn.NO_ITEMS for w in self.warnings) else self.items

    # -- serialisation -------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        data = _plain(self)
        data["date"] = self.date.isoformat() if self.date else None
        data["warnings"] = [w.text for w in self.warnings]          # stored as readable text
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Meeting":
        data = dict(data)
        date = data.get("date")
        data["date"] = dt.date.fromisoformat(date) if date else None
        data["participants"] = [Person(**p) for p in data.get("participants", [])]
        data["secretariat"] = [Person(**p) for p in data.get("secretariat", [])]
        data["absent"] = [Person(**p) for p in data.get("absent", [])]
        data["warnings"] = [ParseWarning.read(w) for w in data.get("warnings", [])]
        items = []
        for raw in data.get("items", []):
            raw = dict(raw)
            raw["presenters"] = [Presenter(**p) for p in raw.get("presenters", [])]
            # Fields added later are absent from parses stored before them: their defaults apply.
            raw["dissent"] = [Dissent(**d) for d in raw.get("dissent", [])]
            raw["votes"] = Votes(**raw["votes"]) if raw.get("votes") else None
            raw["history"] = [Treatment(**t) for t in raw.get("history", [])]
            raw["attachments"] = [Attachment(**a) for a in raw.get("attachments", [])]
            items.append(AgendaItem(**raw))
        data["items"] = items
        return cls(**data)


@functools.cache
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls))


def _plain(value: Any) -> Any:
    """``dataclasses.asdict`` without its deep copies (a meeting is serialised twice per file
    at ingest; asdict took 2.5 ms of it): dataclasses as dicts, lists and tuples rebuilt,
    everything else as it is (strings, numbers, dates are immutable)."""
    if isinstance(value, (list, tuple)):
        return type(value)(_plain(v) for v in value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {name: _plain(getattr(value, name)) for name in _field_names(type(value))}
    return value
