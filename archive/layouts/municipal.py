"""Municipal committee minutes from a publication system, as plain text.

An info block ("Udvalg:", "Mødedato:", "Mødested:"), then per item: a bare
number on its own line, the title, optionally a case number ("EMN-2025-010561"),
and headed sections: "Beslutning(er)" (the minutes), "Resume" / "Sagsfremstilling"
(description), "Beslutningspunkter" / "Det indstilles" (recommendation),
"Sagsforløb" (the case's history in other committees: kept in the description,
never in the minutes, so its "Fremsendes til …" is no outcome of this meeting)
and "Bilag" / "… påtegning" (dropped).
"""
from __future__ import annotations

import re

from ..model import AgendaItem, Meeting, Person
from ..outcome import classify
from ..people import parse_people
from ..text import clean_title, paragraphs, reflow
from .common import CLOSED, find_label, label_value, set_when

NAME = "municipal"

_NUMBER = re.compile(r"^\s*(\d{1,3})\s*\.?\s*$")
_CASE_NUMBER = re.compile(r"^\s*((?:[A-ZÆØÅ]{2,6}-)?\d{2,4}[-./]\d{2,}(?:[-./][\dA-Z]+)*|[A-ZÆØÅ]{2,6}-\d+(?:-\d+)+)\s*$")
_RECOMMEND_HEAD = re.compile(r"^\s*(?:Det\s+indstilles,?(?:\s+at)?\s*:?|Indstilling\s*:?)\s*(.*)$", re.IGNORECASE)
_HEADINGS = {
    "beslutning": "minutes", "beslutninger": "minutes", "beslutning i mødet": "minutes",
    "resume": "description", "resumé": "description", "sagsfremstilling": "description",
    "baggrund": "description", "økonomi": "description", "sagen kort": "description",
    "beslutningspunkter": "recommendation",
    "sagsforløb": "history", "bilag": "drop",
    # "Indstilling" alone is handled by _RECOMMEND_HEAD: under "Bilag" it names an attachment.
}
# Text after a decision that only records how members acted, not the item's summary.
_MEMBER_RECORD = re.compile(r"\b(?:tog\s+forbehold|deltog\s+ikke|var\s+forhindret|stemte|undlod|"
                            r"kunne\s+(?:ikke\s+)?tiltræde)\b", re.IGNORECASE)
_DECISION_HEAD = re.compile(r"^\s*Beslutning(?:er)?\s*:?\s*$", re.IGNORECASE)
_SECTION_HEADS = re.compile(r"^\s*(?:Resume|Resumé|Sagsfremstilling|Sagsforløb)\s*:?\s*$", re.IGNORECASE)


def _heading(line: str) -> str | None:
    key = line.strip().rstrip(":").strip().lower()
    if key in _HEADINGS:
        return _HEADINGS[key]
    if key.endswith("påtegning"):
        return "drop"
    return None


def _item_starts(lines: list[str]) -> list[int]:
    """Indexes of bare-number lines that start items: followed by a title, numbered in sequence."""
    starts: list[int] = []
    expected: int | None = None
    for i, line in enumerate(lines[:-1]):
        m = _NUMBER.match(line)
        if not m or not lines[i + 1].strip() or _NUMBER.match(lines[i + 1]):
            continue
        number = int(m.group(1))
        if expected is None or number == expected:
            starts.append(i)
            expected = number + 1
    return starts


def score(lines: list[str]) -> int:
    decisions = sum(1 for line in lines if _DECISION_HEAD.match(line))
    sections = sum(1 for line in lines if _SECTION_HEADS.match(line))
    if not decisions and not sections:
        return 0
    starts = len(_item_starts(lines))
    return 3 * starts + decisions if starts else 0


def _split_sections(body: list[str]) -> dict[str, list[str]]:
    parts: dict[str, list[str]] = {"lead": [], "minutes": [], "description": [], "recommendation": [],
                                   "history": [], "drop": [], "case": []}
    current = "lead"
    for line in body:
        heading = _heading(line)
        recommend = _RECOMMEND_HEAD.match(line) if current != "minutes" or heading else None
        if heading:
            current = heading
        elif CLOSED.match(line):
            parts["case"].append("closed")
        elif current == "lead" and _CASE_NUMBER.match(line):
            parts["case"].append(line.strip())
        elif recommend and current in ("recommendation", "description", "lead"):
            current = "recommendation"
            if recommend.group(1):
                parts[current].append(recommend.group(1))
        else:
            parts[current].append(line)
    return parts


def _split_lead(minutes: str, has_description: bool) -> tuple[str, str]:
    """(minutes, lead): the publication puts the case's summary sentence after the decision.

    Only when a description follows, the decision has more than one paragraph,
    and the last one records no outcome and no member's stance.
    """
    paras = paragraphs(minutes)
    if not has_description or len(paras) < 2:
        return minutes, ""
    last = paras[-1]
    if classify(last) or _MEMBER_RECORD.search(last):
        return minutes, ""
    lead = "" if re.fullmatch(r"[\W_]*", last) else last
    return "\n\n".join(paras[:-1]), lead


def _history(lines: list[str]) -> str:
    """ "Udvalg: X / Dato: D / Punktnummer: N" triples on one line, then their text."""
    out: list[str] = []
    for para in paragraphs(reflow("\n".join(lines))):
        is_label = label_value(para) is not None and len(para) < 80 and "\n" not in para
        if is_label and out and out[-1].startswith("§"):
            out[-1] += f", {para}"
        elif is_label:
            out.append(f"§{para}")
        else:
            out.append(para)
    return "\n\n".join(p.lstrip("§") for p in out)


def _item(number: str, title: str, body: list[str]) -> AgendaItem:
    parts = _split_sections(body)
    description = reflow("\n".join(parts["description"]))
    minutes, lead = _split_lead(reflow("\n".join(parts["minutes"])), bool(description))
    lead = "\n\n".join(p for p in (reflow("\n".join(parts["lead"])), lead) if p)
    history = _history(parts["history"])
    description = "\n\n".join(p for p in (lead, description, f"Sagsforløb:\n\n{history}" if history else "") if p)
    cases = [c for c in parts["case"] if c != "closed"]
    return AgendaItem(number=number, title=title, description=description, minutes=minutes,
                      recommendation=reflow("\n".join(parts["recommendation"])),
                      case_number=cases[0] if cases else "", closed="closed" in parts["case"])


def _title_and_body(lines: list[str]) -> tuple[str, list[str]]:
    end = next((j for j, line in enumerate(lines) if not line.strip()), len(lines))
    return clean_title(" ".join(lines[:end])), lines[end:]


def _people(header: list[str], *labels: str) -> list[Person]:
    """Names after a label, on the label's line ("A, B og C") or on the lines below it."""
    wanted = {label.lower() for label in labels}
    for i, line in enumerate(header):
        found = label_value(line)
        if not found or found[0] not in wanted:
            continue
        if found[1]:
            names = re.split(r"\s*[,;]\s*|\s+og\s+", found[1])
            return parse_people([n for n in names if n])
        block: list[str] = []
        for follow in header[i + 1:]:
            if not follow.strip() and block:
                break
            if label_value(follow) and not block:
                break
            if follow.strip():
                block.append(follow)
        return parse_people(block)
    return []


def _header(meeting: Meeting, header: list[str]) -> None:
    meeting.title = clean_title(next((line for line in header if line.strip()), ""))
    meeting.body = find_label(header, "udvalg", "råd", "bestyrelse", "forum")
    if not meeting.body:
        # "Teknisk Udvalg - Udvalgsværelse 398": the body is before the dash.
        second = [line for line in header if line.strip()][1:2]
        meeting.body = second[0].split(" - ")[0].strip() if second and ":" not in second[0] else ""
    meeting.location = find_label(header, "mødested", "sted")
    when = find_label(header, "mødedato", "dato", "tid", "tidspunkt")
    set_when(meeting, when)
    set_when(meeting, "\n".join(header))
    meeting.participants = _people(header, "mødedeltagere", "deltagere", "til stede")
    meeting.absent = _people(header, "fraværende", "afbud")


def parse(text: str) -> Meeting:
    lines = text.split("\n")
    starts = _item_starts(lines)
    meeting = Meeting(body="")
    _header(meeting, [line for line in lines[:starts[0] if starts else len(lines)]
                      if not re.match(r"^\s*Punkt\s+Titel\s*$", line, re.IGNORECASE)])
    for k, start in enumerate(starts):
        end = starts[k + 1] if k + 1 < len(starts) else len(lines)
        title, body = _title_and_body(lines[start + 1:end])
        meeting.items.append(_item(_NUMBER.match(lines[start]).group(1), title, body))
    return meeting
