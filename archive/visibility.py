"""Who may see what: the one place that decides it, for every page, export, feed and API answer.

Two rules, both about people who are not signed in (anonymous visitors of a
``--public`` site):

* a meeting an editor has marked **internal** (``Meeting.internal``) does not
  exist for them: not in lists, counts, searches, facets or downloads;
* a **closed** item (``AgendaItem.closed``, "Lukket punkt") shows them only what
  :data:`PUBLIC_CLOSED_FIELDS` names: its number, title, decision (with who dissented,
  the vote and who was absent) and outcome, never its case text (description,
  recommendation, the minutes around the decision, the case's history, attachments,
  or any field added later: the list says what may be shown, so a new field is
  private until someone adds it here).

Signed-in users (readers and editors) see everything.  The search index applies
the same rules (``index.engine`` indexes a closed item's private text in separate
fields through :func:`public_item` / :func:`private_text`, and filters internal
meetings), so searches, totals and facet counts agree with the pages.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from archive.model import AgendaItem, Meeting

ROLES = ("editor", "reader")
ROLE_LABELS = {"editor": "redaktør", "reader": "læser"}

# What anyone may see of a closed item: its decision (archive.parse.decision), not its minutes.
PUBLIC_CLOSED_FIELDS = ("id", "number", "title", "position", "time", "presenters", "decision", "outcomes",
                        "dissent", "votes", "absent", "case_number", "closed")


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
