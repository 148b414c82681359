"""What an agenda item is in the search index, for every engine.

One document per item: the fields searched (``title``; ``text`` = description,
recommendation, minutes, history, attachments, presenters and the meeting's surrounding text; ``exact``, all
public text unstemmed; ``private``, a closed item's case text, see archive.visibility),
the facet values (``presenter`` and ``outcome`` joined by ``SEP``, ``body``, ``meeting_kind``, ``year``),
the date as a day number (``day``, 0 = undated) and the stored fields a hit shows.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterator

from archive.model import Meeting
from archive.visibility import private_text, public_item
from index.model import SEP, clean_name

# Fields searched for a plain word, with their boosts.  (``text`` holds description,
# recommendation, minutes and presenters: one posting list per word instead of five makes
# matching ~2x cheaper; the parts stay stored separately for snippets.)  ``around``, the meeting's
# text outside its items that its first and last item carry (attendance, notices, signatures),
# counts less than the item's own text: a name in "Til stede: ..." or a word of the meeting's
# introduction touches the item at most, where the item's text is about it.
AROUND_BOOST = 0.4
TEXT_FIELDS: dict[str, float] = {"title": 3.0, "text": 1.0, "around": AROUND_BOOST}
# Identifier fields a plain word may match exactly ("47/18", "EMN-2025-010561").
ID_FIELDS: dict[str, float] = {"number": 4.0, "case_number": 4.0}
EXACT_FIELDS = ("exact", "private_exact")        # unstemmed: quoted forms and prefixes
# Snippet source fields, in tie-break order (the title is shown anyway, so after the item's text;
# then what else ``text`` holds, so that every hit shows a word it was found by: the listed
# history, attachments and presenters, the meeting's own text, the case number).
SNIPPET_FIELDS = ("minutes", "recommendation", "description", "title", "listed", "around", "case_number")
# ... of which these are read only where the item's own text has no word of the query (so a hit
# quoted from ``around`` is one whose words are not in the item: a hit on the meeting's text).
SNIPPET_FALLBACK = frozenset({"listed", "around", "case_number"})
INTERNAL = "1"              # the ``internal`` field's one term: the item's meeting is internal
BASELINE = "snowball"       # the Lucene-style chain of ``arkiv evaluate``: one body field, as before the split


def indexed_text(doc: dict[str, Any], field: str, chain: str) -> str:
    """What a text field of ``doc`` indexes with ``chain``: its value, except for the baseline, whose
    ``text`` holds the meeting's surrounding text too (Lucene's analyzer over one body field has no
    field of its own for it) and whose ``around`` is then empty."""
    value = doc.get(field) or ""
    if chain == BASELINE and field == "text":
        return "\n\n".join(t for t in (value, doc.get("around") or "") if t)
    if chain == BASELINE and field == "around":
        return ""
    return value


@dataclass(frozen=True)
class Scope:
    """The fields one search may match and quote.  A closed item's case text lives in
    the ``private`` fields (archive.visibility decides what is private), searched
    only for signed-in users, so a signed-out search can neither find nor show it."""
    text: dict[str, float]
    exact: tuple[str, ...]
    snippets: tuple[str, ...]
    internal: bool              # whether items of internal meetings may match


PUBLIC = Scope(TEXT_FIELDS, ("exact",), SNIPPET_FIELDS, internal=False)
PRIVATE = Scope({**TEXT_FIELDS, "private": 1.0}, EXACT_FIELDS,
                ("minutes", "recommendation", "description", "private", "title", "listed", "around", "case_number"),
                internal=True)


def _surrounding_text(meeting: Meeting, position: int) -> str:
    """The meeting's text outside its items, searchable with the item it stands next to.

    The front matter (attendance, notices, the agenda's framing) is read before the first
    item and the back matter (signatures, the next meeting) after the last, so a search
    for it finds those items and leads to the meeting; copying it into every item would
    make each of the meeting's items a hit.
    """
    parts = []
    if position == 0:
        parts += [meeting.attendance, meeting.preamble]
    if position == len(meeting.items) - 1:
        parts.append(meeting.back_matter)
    return "\n\n".join(p for p in parts if p)


def item_documents(meeting: Meeting) -> Iterator[dict[str, Any]]:
    """One document per agenda item: what every engine indexes and stores of it."""
    day = meeting.date.toordinal() if meeting.date else 0
    for position, full in enumerate(meeting.items):
        around = _surrounding_text(meeting, position)
        # Public fields hold what anyone may see; the rest of a closed item goes to ``private``.
        item = public_item(full)
        private = "\n\n".join(private_text(full))
        names = [clean_name(p.name) for p in item.presenters if p.name.strip()]
        names = list(dict.fromkeys(names))
        presenter_text = "\n".join(
            f"{p.name} {p.role}".strip() for p in item.presenters if p.name.strip()
        )
        # The decision is part of the minutes; a closed item shows anyone its decision only.
        record = item.minutes or item.decision
        # The case's listed history and the attachments' titles are found with the item.
        listed = "\n".join([*(f"{t.body} {t.text}" for t in item.history), *(a.title for a in item.attachments)])
        doc: dict[str, Any] = {
            "id": item.id,
            "meeting_id": meeting.id,
            "meeting_sha256": meeting.source_sha256,
            "meeting_number": meeting.number,
            "meeting_title": meeting.title,
            "date": meeting.date.isoformat() if meeting.date else None,
            "day": day,
            "year": str(meeting.date.year) if meeting.date else "",
            "number": item.number,
            "case_number": item.case_number,
            "position": item.position,
            "closed": bool(item.closed),
            "internal": bool(meeting.internal),
            "title": item.title,
            "description": item.description,
            "recommendation": item.recommendation,
            "minutes": record,
            "listed": "\n".join(t for t in (listed, presenter_text) if t),
            "around": around,
            "text": "\n\n".join(
                t for t in (item.description, item.recommendation, record, listed, presenter_text) if t
            ),
            "presenter": SEP.join(names),
            "presenter_names": names,
            "outcome": SEP.join(item.outcomes),
            "outcome_slugs": list(item.outcomes),
            "body": meeting.body,
            "meeting_kind": meeting.meeting_kind,
            "exact": "\n".join(
                [item.number, item.title, item.description, item.recommendation, record, listed,
                 presenter_text, item.case_number, around]
            ),
            "private": private,
            "private_exact": private,
        }
        yield doc
