"""Who may see what: the one place that decides it, for every page, export, feed and API answer.

Two rules, both about people who are not signed in (anonymous visitors of a
``--public`` site):

* a meeting an editor has marked **internal** (``Meeting.internal``) does not
  exist for them: not in lists, counts, searches, facets or downloads;
* a **closed** item (``AgendaItem.closed``, "Lukket punkt") shows them only what
  :data:`CLOSED_ITEM_FIELDS` marks public: its number, title and outcome (with the id,
  position, case number and closed flag that place it), never its recommendation, minutes, decision,
  who dissented or voted, who was absent, presenters, history, attachments,
  or any field added later: the table says what may be shown, so a field it does not
  name is private (``tests/test_visibility_table.py`` fails until it is named).

Signed-in users (readers and editors) see everything.  The search index applies
the same rules (``index.documents`` gives the engines a closed item's private text in separate
fields through :func:`public_item` / :func:`private_text`, and filters internal
meetings), so searches, totals and facet counts agree with the pages.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from archive.model import AgendaItem, Meeting

ROLES = ("editor", "reader")
ROLE_LABELS = {"editor": "redaktør", "reader": "læser"}

# The visibility table: every field of an agenda item, and whether anyone may see it on a
# closed item (True) or only signed-in users (False).  The tests of every route and every field
# are generated from it (tests/test_visibility_table.py).  A decision is private: when the
# minutes have no "Beslutning", the parser takes the decision from the minutes themselves.
CLOSED_ITEM_FIELDS: dict[str, bool] = {
    "id": True, "number": True, "title": True, "position": True, "outcomes": True, "closed": True,
    # An identifier like the number: the case's other (public) items are found by it, and the
    # engines filter by it in a public field only (a private case filter is for the engine to add).
    "case_number": True,
    "time": False, "presenters": False, "description": False, "recommendation": False, "minutes": False,
    "decision": False, "dissent": False, "votes": False, "absent": False,
    "history": False, "attachments": False, "ocr": False,
}
PUBLIC_CLOSED_FIELDS = tuple(name for name, shown in CLOSED_ITEM_FIELDS.items() if shown)
# What a search hit of a closed item may carry to anyone (index.model.Hit.fields): the public
# fields above and where the item stands; web.access.public_hit drops the rest.
PUBLIC_HIT_FIELDS = ("id", "number", "case_number", "title", "position", "outcome", "outcome_slugs", "closed", "internal",
                     "meeting_id", "meeting_number", "meeting_title", "meeting_sha256", "date", "day", "year", "body")


@dataclass(frozen=True)
class Viewer:
    """Who is looking: a signed-in user (name and role) or nobody in particular."""

    name: str = ""
    role: str = ""

    @property
    def signed_in(self) -> bool:
        return bool(self.name)

    @property
    def is_editor(self) -> bool:
        return self.signed_in and self.role == "editor"


ANONYMOUS = Viewer()
# The archive's owner at the command line (`arkiv search`, `arkiv export`) reads the store directly.
OWNER = Viewer(name="(kommandolinjen)", role="editor")


def public_item(item: AgendaItem) -> AgendaItem:
    """The item as anyone may see it: a closed item reduced to its public fields."""
    if not item.closed:
        return item
    kept = {name: getattr(item, name) for name in PUBLIC_CLOSED_FIELDS}
    return AgendaItem(**kept)


def private_text(item: AgendaItem) -> list[str]:
    """The text of a closed item that only signed-in users may read or find (empty if open):
    every text of every field that is not public, in lists and nested records too."""
    if not item.closed:
        return []
    out: list[str] = []
    for f in dataclasses.fields(AgendaItem):
        if f.name not in PUBLIC_CLOSED_FIELDS:
            out += [text for text in _texts(getattr(item, f.name)) if text]
    return out


def _texts(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [t for v in value for t in _texts(v)]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [t for f in dataclasses.fields(value) for t in _texts(getattr(value, f.name))]
    return []


def visible(meeting: Meeting | None, viewer: Viewer) -> Meeting | None:
    """The meeting as ``viewer`` may see it: None when hidden, closed items reduced when anonymous."""
    if meeting is None:
        return None
    if viewer.signed_in:
        return meeting
    if meeting.internal:
        return None
    if not any(item.closed for item in meeting.items):
        return meeting
    return dataclasses.replace(meeting, items=[public_item(item) for item in meeting.items])


def may_download_original(meeting: Meeting, viewer: Viewer) -> bool:
    """The original file holds every item's full text: anonymous visitors may have it only
    when nothing in it is private."""
    if viewer.signed_in:
        return True
    return not meeting.internal and not any(item.closed for item in meeting.items)


def include_private(viewer: Viewer) -> bool:
    """Whether searches for ``viewer`` may match and show private text and internal meetings."""
    return viewer.signed_in
