"""The export shape of an item with its meeting: a public contract.

`arkiv export` and the web's CSV/JSON downloads both use these functions.  Other
tools read these field names: keep them stable.

CSV comes in two dialects: ``"en"`` (comma, the English field names above: what tools read,
`arkiv export --format csv`) and ``"da"`` (semicolon, Danish column names, for a Danish
spreadsheet, which splits on semicolons: `arkiv export --format csv-da` and the web's
"Hent CSV").  The cells are the same.
"""
from __future__ import annotations

import csv
import io
import json
from typing import Any, Iterable, Iterator

from archive.model import DISSENT_KINDS, VOTE_WORDS, AgendaItem, Meeting, Votes

CSV_COLUMNS = [
    "id", "meeting_id", "meeting_body", "meeting_number", "meeting_date", "meeting_start", "meeting_end",
    "meeting_location", "meeting_title", "meeting_attendance", "meeting_preamble", "meeting_back_matter",
    "number", "title", "presenters", "description", "recommendation", "minutes", "decision",
    "outcomes", "dissent", "votes", "absent", "case_number", "history", "attachments", "closed",
    "source_file", "source_sha256", "ocr",
]

# The Danish spreadsheet's heading of each column, in CSV_COLUMNS' order.
DANISH_COLUMNS = {
    "id": "Punkt-id", "meeting_id": "Møde-id", "meeting_body": "Organ", "meeting_number": "Mødenummer",
    "meeting_date": "Mødedato", "meeting_start": "Starttid", "meeting_end": "Sluttid", "meeting_location": "Mødested",
    "meeting_title": "Mødets overskrift", "meeting_attendance": "Fremmøde", "meeting_preamble": "Indledning",
    "meeting_back_matter": "Afslutning", "number": "Punktnummer", "title": "Titel", "presenters": "Fremlagt af",
    "description": "Sagsfremstilling", "recommendation": "Indstilling", "minutes": "Referat",
    "decision": "Beslutning", "outcomes": "Udfald", "dissent": "Stod uden for beslutningen", "votes": "Afstemning",
    "absent": "Fraværende", "case_number": "Sagsnummer", "history": "Sagsforløb", "attachments": "Bilag",
    "closed": "Lukket punkt", "source_file": "Kildefil", "source_sha256": "Kildefilens SHA-256", "ocr": "OCR-læst",
}
CSV_DIALECTS = ("en", "da")


def meeting_fields(meeting: Meeting) -> dict[str, Any]:
    """The meeting's part of every item record: its facts and the text around its items."""
    return {
        "id": meeting.id,
        "body": meeting.body,
        "number": meeting.number,
        "date": meeting.date.isoformat() if meeting.date else None,
        "start": meeting.start,
        "end": meeting.end,
        "location": meeting.location,
        "title": meeting.title,
        "attendance": meeting.attendance,
        "preamble": meeting.preamble,
        "back_matter": meeting.back_matter,
    }


def item_record(item: AgendaItem, meeting: Meeting) -> dict[str, Any]:
    return {
        "id": item.id,
        "meeting": meeting_fields(meeting),
        "number": item.number,
        "title": item.title,
        "time": item.time,
        "presenters": [{"name": p.name, "role": p.role} for p in item.presenters],
        "description": item.description,
        "recommendation": item.recommendation,
        "minutes": item.minutes,
        "decision": item.decision,
        "outcomes": list(item.outcomes),
        "dissent": [{"name": d.name, "kind": d.kind, "text": d.text} for d in item.dissent],
        "votes": _votes(item.votes),
        "absent": list(item.absent),
        "case_number": item.case_number,
        "history": [{"body": t.body, "date": t.date or None, "number": t.number, "text": t.text}
                    for t in item.history],
        "attachments": [{"title": a.title, "url": a.url} for a in item.attachments],
        "closed": item.closed,
        "source": {"file": meeting.source_file, "sha256": meeting.source_sha256,
                   "ocr_pages": list(meeting.ocr_pages)},
        "ocr": item.ocr,            # the text was read by OCR from a scan: a word may be misread
    }


def _votes(votes: Votes | None) -> dict[str, int | None] | None:
    return None if votes is None else {key: getattr(votes, key) for key, _ in VOTE_WORDS}


def _votes_cell(votes: dict[str, int | None] | None) -> str:
    """"for 10, imod 22, blank 1" """
    if not votes:
        return ""
    return ", ".join(f"{word} {votes[key]}" for key, word in VOTE_WORDS if votes.get(key) is not None)


def csv_row(record: dict[str, Any]) -> dict[str, Any]:
    meeting = record["meeting"]
    return {
        "id": record["id"],
        "meeting_id": meeting["id"],
        "meeting_body": meeting["body"],
        "meeting_number": meeting["number"],
        "meeting_date": meeting["date"] or "",
        "meeting_start": meeting["start"],
        "meeting_end": meeting["end"],
        "meeting_location": meeting["location"],
        "meeting_title": meeting["title"],
        "meeting_attendance": meeting["attendance"],
        "meeting_preamble": meeting["preamble"],
        "meeting_back_matter": meeting["back_matter"],
        "number": record["number"],
        "title": record["title"],
        "presenters": "; ".join(
            f"{p['name']} ({p['role']})" if p["role"] else p["name"] for p in record["presenters"]
        ),
        "description": record["description"],
        "recommendation": record["recommendation"],
        "minutes": record["minutes"],
        "decision": record["decision"],
        "outcomes": ";".join(record["outcomes"]),
        "dissent": "; ".join(f"{d['name']} ({DISSENT_KINDS.get(d['kind'], d['kind']).lower()})"
                             for d in record["dissent"]),
        "votes": _votes_cell(record["votes"]),
        "absent": "; ".join(record["absent"]),
        "case_number": record["case_number"],
        "history": "\n".join(
            " ".join(p for p in (t["body"], t["date"] or "", f"pkt. {t['number']}" if t["number"] else "") if p)
            + (f": {t['text']}" if t["text"] else "") for t in record["history"]),
        "attachments": "; ".join(f"{a['title']} <{a['url']}>" if a["url"] else a["title"]
                                 for a in record["attachments"]),
        "closed": "ja" if record["closed"] else "nej",
        "source_file": record["source"]["file"],
        "source_sha256": record["source"]["sha256"],
        "ocr": "ja" if record["ocr"] else "nej",
    }


def records(pairs: Iterable[tuple[AgendaItem, Meeting]]) -> Iterator[dict[str, Any]]:
    for item, meeting in pairs:
        yield item_record(item, meeting)


def write_jsonl(recs: Iterable[dict[str, Any]], out: io.TextIOBase) -> int:
    n = 0
    for rec in recs:
        out.write(json.dumps(rec, ensure_ascii=False) + "\n")
        n += 1
    return n


# A spreadsheet reads a cell that starts with one of these as a formula (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> Any:
    """A text cell a spreadsheet shows as text: a leading ' before a formula character."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def write_csv(recs: Iterable[dict[str, Any]], out: io.TextIOBase, dialect: str = "en") -> int:
    """The records as CSV in ``dialect`` (see the module's doc); returns the number of rows."""
    if dialect not in CSV_DIALECTS:
        raise ValueError(f"unknown CSV dialect {dialect!r}")
    danish = dialect == "da"
    writer = csv.writer(out, delimiter=";" if danish else ",")
    writer.writerow([DANISH_COLUMNS[c] for c in CSV_COLUMNS] if danish else CSV_COLUMNS)
    n = 0
    for rec in recs:
        row = csv_row(rec)
        if danish:
            row["outcomes"] = ", ".join(rec["outcomes"])
        writer.writerow([_cell(row[c]) for c in CSV_COLUMNS])
        n += 1
    return n
