"""What a document is: the minutes of a meeting or its agenda, and what kind of meeting it was.

Minutes or agenda from the content, not from a heading: minutes record what happened ("blev
valgt", "godkendte", "drøftede", an item's outcome), an agenda announces what will ("indkaldes",
"afholdes", "forslag til dagsorden") and records nothing.  A document headed "Dagsorden" whose
items record decisions is minutes; "Referat" over an agenda that records nothing is still an agenda
only when it also invites ("indkaldelse"), since a short minutes may record little.
"""
from __future__ import annotations

import re

from archive.model import Meeting

MINUTES, AGENDA = "minutes", "agenda"

_RECORDED = re.compile(
    r"\b(?:blev|vedtog|vedtoges|besluttede|besluttedes|godkendte|godkendtes|valgtes|genvalgtes|drøftede|"
    r"orienterede|fremlagde|gennemgik|konstaterede|konkluderede|enstemmigt|bød\s+velkommen|"
    r"godkendes|vælges|genvælges|vedtages|besluttes|drøftes|foreslås\s+og\s+vælges|taget\s+til\s+efterretning|til\s+stede\s+var|mødt\s+var|fremmødte|deltog)\b", re.IGNORECASE)
_INVITES = re.compile(r"\b(?:indkaldelse|indkalder|indkaldes|indbydes|afholdes|vil\s+blive\s+afholdt|"
                      r"forslag\s+til\s+dagsorden|tilmelding|stemmesedler\s+udleveres)\b", re.IGNORECASE)
_INVITATION = re.compile(r"^\W*(?:indkaldelse|indbydelse)\b", re.IGNORECASE)
_AGENDA_HEAD = re.compile(r"^\W*dagsorden\W*$", re.IGNORECASE | re.MULTILINE)

# The meeting's kind as the document names it, most specific first.
_KINDS = (
    ("stiftende generalforsamling", r"stiftende\s+generalforsamling"),
    ("ekstraordinær generalforsamling", r"ekstra\s*ordinær\w*\s+generalforsamling"),
    ("ordinær generalforsamling", r"ordinær\w*\s+generalforsamling"),
    ("generalforsamling", r"generalforsamling|\bGF\b"),
    ("repræsentantskabsmøde", r"repræsentantskabsmøde"),
    ("årsmøde", r"årsmøde"),
    ("bestyrelsesmøde", r"bestyrelsesmøde|\bb-møde|bestyrelsens\s+møde"),
    ("byrådsmøde", r"byrådsmøde|byrådets\s+møde|kommunalbestyrelsens\s+møde"),
    ("udvalgsmøde", r"udvalgsmøde|udvalget\b"),
    ("styregruppemøde", r"styregruppemøde|styregruppe"),
    ("fagrådsmøde", r"fagrådsmøde|fagråd"),
    ("menighedsrådsmøde", r"menighedsrådsmøde"),
)


def document_kind(meeting: Meeting, header: str, text: str) -> str:
    """MINUTES or AGENDA, from what the text records (see the module's docstring)."""
    recorded = len(_RECORDED.findall(text))
    if sum(bool(item.outcomes) for item in meeting.items) >= 2:
        return MINUTES
    if any(_INVITATION.search(line) and len(line.split()) <= 8 for line in header.splitlines()):
        return AGENDA         # headed as an invitation ("Indkaldelse til generalforsamling")
    if _INVITES.search(header) and recorded < 6:
        return AGENDA         # an invitation with its agenda (and perhaps the statutes' wording)
    if recorded >= 2:
        return MINUTES
    if _AGENDA_HEAD.search(header) or _INVITES.search(text[:3000]):
        return AGENDA
    return MINUTES if recorded or any(item.outcomes or item.minutes.strip() for item in meeting.items) else AGENDA


def meeting_kind(header: str) -> str:
    """The meeting's kind as the header names it ("ordinær generalforsamling", "bestyrelsesmøde"), or ""."""
    for kind, pattern in _KINDS:
        if re.search(pattern, header, re.IGNORECASE):
            return kind
    return ""
