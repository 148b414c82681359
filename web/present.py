"""View models: search hits, items and meetings shaped for the templates.

The one piece of markup the templates pass through is a hit's highlighted
snippet.  It is made a :class:`markupsafe.Markup` here, in one place, after
checking that it is what the search layer promises: escaped text whose only
tags are ``<mark>`` and ``</mark>``.  Anything else is escaped as a whole.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from flask import current_app, url_for
from markupsafe import Markup, escape

from archive import cite
from archive.model import DISSENT_KINDS, VOTE_WORDS, AgendaItem, Meeting, Votes
from archive.store.rows import MeetingRow
from index.model import Hit

from .format import outcome_label

_MARK_TAG = re.compile(r"</?mark>")


def snippet_markup(snippet: str | None) -> Markup:
    """The search layer's highlighted snippet as Markup, if it holds to the contract."""
    if not snippet:
        return Markup("")
    bare = _MARK_TAG.sub("", snippet)
    if "<" in bare or ">" in bare:
        # Not escaped text with <mark> only: show it as text rather than trust it.
        return escape(snippet)
    return Markup(snippet)


@dataclass
class Link:
    label: str
    url: str
    extra: str = ""


def person_url(name: str) -> str:
    return url_for("follow.person", name=name)


def body_url(body: str) -> str:
    return url_for("follow.body", body=body)


def outcome_badges(slugs: list[str]) -> list[Link]:
    return [Link(outcome_label(slug), url_for("search.index", outcome=slug), slug) for slug in slugs]


@dataclass
class HitView:
    id: str
    url: str
    number: str
    title: str
    date: str | None
    meeting_url: str
    meeting_label: str
    presenters: list[Link]
    outcomes: list[Link]
    snippet: Markup


def meeting_label(body: str, number: str = "") -> str:
    """"Bestyrelsen for …, 6. møde" """
    if number:
        return f"{body}, {number}. møde" if number.isdigit() else f"{body}, møde {number}"
    return body


MEETING_TEXT = "Mødets tekst (indledning, fremmøde og afslutning)"


def hit_view(hit: Hit) -> HitView:
    """A result row; a hit on the meeting's own text (``hit.where``) is shown as that, linked to the
    meeting, not as the item it is indexed with."""
    meeting = hit.meeting or {}
    on_meeting = hit.where == "meeting" and bool(meeting.get("id"))
    return HitView(
        id=hit.id,
        url=url_for("browse.meeting", meeting_id=meeting["id"]) if on_meeting else url_for("browse.item", item_id=hit.id),
        number="" if on_meeting else hit.number,
        title=MEETING_TEXT if on_meeting else hit.title,
        date=hit.date,
        meeting_url=url_for("browse.meeting", meeting_id=meeting.get("id", "")) if meeting.get("id") else "",
        meeting_label=meeting_label(meeting.get("body", ""), meeting.get("number", "")),
        presenters=[Link(name, person_url(name)) for name in hit.presenters],
        outcomes=outcome_badges(list(hit.outcomes)),
        snippet=snippet_markup(hit.snippet),
    )


def absolute_url(endpoint: str, **values: Any) -> str:
    """A permalink: under PUBLIC_URL when configured, else the request's own host."""
    base = current_app.config.get("PUBLIC_URL")
    if base:
        return base.rstrip("/") + url_for(endpoint, **values)
    return url_for(endpoint, _external=True, **values)


def item_permalink(item_id: str) -> str:
    return absolute_url("browse.item", item_id=item_id)


def citation(item: AgendaItem, meeting: Meeting) -> str:
    """"<organ>, 6. møde, 20. juni 2018, pkt. 47/18: <titel>" (archive.cite)"""
    return cite.citation(item, meeting)


@dataclass
class CaseStep:
    """Another item of the same case, for the item page's "Sagsforløb"."""
    url: str
    title: str
    number: str
    date: str | None
    body: str
    outcomes: list[Link]


@dataclass
class Stance:
    """"Imod: Solveig Munk" — the members who took one stance on the decision."""
    label: str
    names: str


@dataclass
class ItemPage:
    item: AgendaItem
    meeting: Meeting
    meeting_label: str
    permalink: str
    citation: str
    outcomes: list[Link]
    previous: AgendaItem | None = None
    next: AgendaItem | None = None
    stances: list[Stance] = field(default_factory=list)
    votes: str = ""
    minutes_beyond_decision: bool = False    # the minutes say more than the decision: show both
    case_url: str = ""                       # the case's page: every item of it, oldest first
    case_search_url: str = ""                # the case as a search
    case_steps: list[CaseStep] = field(default_factory=list)


def case_url(case_number: str) -> str:
    """The case's own page: every item of it, oldest first (web.follow)."""
    return url_for("follow.case", case=case_number)


def case_search_url(case_number: str) -> str:
    return url_for("search.index", case=case_number, sort="oldest")


def case_steps(hits: list[Hit], item_id: str) -> list[CaseStep]:
    """The case's other items, from a search by its case number (oldest first)."""
    return [CaseStep(url_for("browse.item", item_id=h.id), h.title, h.number, h.date,
                     (h.meeting or {}).get("body", ""), outcome_badges(list(h.outcomes)))
            for h in hits if h.id != item_id]


def votes_text(votes: Votes | None) -> str:
    """"10 for, 22 imod, 1 blank" """
    if votes is None:
        return ""
    counts = [(getattr(votes, key), word) for key, word in VOTE_WORDS]
    return ", ".join(f"{n} {word}" for n, word in counts if n is not None)


def stances(item: AgendaItem) -> list[Stance]:
    out = []
    for kind, label in DISSENT_KINDS.items():
        names = [d.name for d in item.dissent if d.kind == kind]
        if names:
            out.append(Stance(label, ", ".join(names)))
    if item.absent:
        out.append(Stance("Fraværende", ", ".join(item.absent)))
    return out


def item_page(item: AgendaItem, meeting: Meeting, case_hits: list[Hit] | None = None) -> ItemPage:
    index = next((i for i, it in enumerate(meeting.items) if it.id == item.id), None)
    previous = meeting.items[index - 1] if index is not None and index > 0 else None
    following = meeting.items[index + 1] if index is not None and index + 1 < len(meeting.items) else None
    permalink = item_permalink(item.id)
    return ItemPage(
        item=item,
        meeting=meeting,
        meeting_label=meeting_label(meeting.body, meeting.number),
        permalink=permalink,
        citation=f"{citation(item, meeting)}\n{permalink}",
        outcomes=outcome_badges(item.outcomes),
        previous=previous,
        next=following,
        stances=stances(item),
        votes=votes_text(item.votes),
        minutes_beyond_decision=bool(item.minutes.strip()) and item.minutes.strip() != item.decision.strip(),
        case_url=case_url(item.case_number) if item.case_number else "",
        case_search_url=case_search_url(item.case_number) if item.case_number else "",
        case_steps=case_steps(case_hits or [], item.id),
    )


@dataclass
class OutcomeCount:
    slug: str
    label: str
    count: int
    url: str


@dataclass
class MeetingSummary:
    id: str
    url: str
    body: str
    number: str
    date: Any
    label: str
    items: int


def meeting_summary(meeting: Meeting | MeetingRow) -> MeetingSummary:
    """A meeting or a store's MeetingRow (lists read rows, not whole meetings)."""
    items = meeting.items if isinstance(meeting.items, int) else len(meeting.items)
    return MeetingSummary(
        id=meeting.id,
        url=url_for("browse.meeting", meeting_id=meeting.id),
        body=meeting.body,
        number=meeting.number,
        date=meeting.date,
        label=meeting_label(meeting.body, meeting.number),
        items=items,
    )
