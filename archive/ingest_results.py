"""What ingest did with each file, as typed data: a status, why a file was not stored, its report.

The statuses and reasons are enums whose values are the words used before them
(``FileResult.status == "failed"`` still holds), so messages and JSON stay as they were.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from archive.plurals import plural


class Status(StrEnum):
    ADDED = "added"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    SKIPPED = "skipped"
    FAILED = "failed"


class Reason(StrEnum):
    """Why a file was not stored, for callers that explain it (the web's upload page)."""
    NONE = ""                       # it was stored (or was there already)
    UNREADABLE = "unreadable"       # no text could be taken out of the file (archive.extract)
    NOT_MINUTES = "not_minutes"     # the text is not minutes (skipped)
    TOO_BIG = "too_big"             # the file is over ingest.MAX_FILE_BYTES
    LIMIT = "limit"                 # reading it went over a limit of archive.sandbox (CPU, memory, output)
    ERROR = "error"                 # anything else: a missing file, an unsupported type, a parser error


@dataclass
class FileResult:
    path: str
    status: Status
    meeting_id: str = ""
    items: int = 0
    message: str = ""           # reason for a failure or a skip, or the parser's warnings
    joined: bool = False        # another file of a meeting already stored (a twin)
    single_item: bool = False   # no item structure found: the whole document is one item
    lost_text: bool = False     # a line of the document is in none of the meeting's fields
    reason: Reason = Reason.NONE

    def to_json(self) -> dict:
        """`arkiv ingest --json`'s record of one file (field names are a contract)."""
        return {"path": self.path, "status": self.status.value, "reason": self.reason.value or None,
                "meeting_id": self.meeting_id or None, "items": self.items, "message": self.message,
                "joined": self.joined, "single_item": self.single_item, "lost_text": self.lost_text}


@dataclass
class IngestReport:
    results: list[FileResult] = field(default_factory=list)
    repaired: int = 0           # meetings re-indexed by reconcile()

    def count(self, status: Status) -> int:
        return sum(1 for r in self.results if r.status == status)

    @property
    def failed(self) -> list[FileResult]:
        return [r for r in self.results if r.status is Status.FAILED]

    @property
    def items(self) -> int:
        return sum(r.items for r in self.results if r.status in (Status.ADDED, Status.UPDATED) and not r.joined)

    def to_json(self) -> dict:
        """The counts of :meth:`summary` and every file's record."""
        return {"files": len(self.results), **{status.value: self.count(status) for status in Status},
                "items": self.items, "repaired": self.repaired, "results": [r.to_json() for r in self.results]}

    def summary(self) -> str:
        joined = sum(1 for r in self.results if r.joined)
        lines = [
            f"{plural(len(self.results), 'fil')}: {self.count(Status.ADDED)} nye, {self.count(Status.UPDATED)} opdaterede, "
            f"{self.count(Status.UNCHANGED)} uændrede, {self.count(Status.SKIPPED)} sprunget over, "
            f"{self.count(Status.FAILED)} fejlede; {plural(self.items, 'dagsordenspunkt')} indekseret"
            + (f"; {plural(joined, 'fil')} er et andet format af et møde, der allerede findes" if joined else "")
        ]
        for label, flagged in (("Kun ét punkt (ingen punkter fundet)", [r for r in self.results if r.single_item]),
                               ("Tekst ikke gemt", [r for r in self.results if r.lost_text])):
            if flagged:
                lines.append(f"{label}: {', '.join(Path(r.path).name for r in flagged)}")
        return "\n".join(lines)
