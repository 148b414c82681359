"""What the pages of a body, a case and a person show, as one plain dict each.

``/organer/<body>``, ``/sager/<case>`` and ``/personer/<name>`` render these dicts, and
``/api/organer/<body>`` … return them as they are, so the page and its JSON hold the same data.
Everything is read as the viewer may see it: meetings through :func:`web.access.visible_meeting`
(internal meetings are not there for anonymous visitors, closed items show their public fields
only), items through :func:`web.access.visible_item`, and searches through
:func:`web.search.run_search`.  Dates are ISO strings (the templates format them).

A meeting's kind (ordinær generalforsamling, bestyrelsesmøde …) is read where the parser gives
one (``meeting.meeting_kind``); without it nothing is shown.
"""
from __future__ import annotations

import re
from collections import Counter
from typing import Any, Iterable

from flask import url_for

from archive.cite import meeting_kind
from archive.model import DISSENT_KINDS, VOTE_WORDS, AgendaItem, Meeting

from .access import current_viewer, visible_item, visible_meeting
from .errors import BadParameter
from .format import outcome_label
from .present import body_url, case_url, meeting_label, person_url, votes_text
from .search import run_search
from .state import get_store

BODY_MEETINGS_PER_PAGE = 50
PERSON_ITEMS_PER_PAGE = 50
CASE_LIMIT = 500            # items of one case shown at most


def page_number(args) -> int:
    """The ``page`` parameter (1 when absent); BadParameter for anything but 1, 2, 3 …"""
    raw = (args.get("page") or "1").strip() or "1"
    if not re.fullmatch(r"\d{1,6}", raw) or int(raw) < 1:
        raise BadParameter("page", f"{raw!r} er ikke et sidetal (1 eller mere)")
    return int(raw)


def _iso(meeting: Meeting) -> str | None:
    return meeting.date.isoformat() if meeting.date else None


def _outcomes(slugs: Iterable[str]) -> list[dict[str, str]]:
    return [{"slug": slug, "label": outcome_label(slug)} for slug in slugs]


def _meeting_entry(meeting: Meeting) -> dict[str, Any]:
    return {
        "id": meeting.id,
        "url": url_for("browse.meeting", meeting_id=meeting.id),
        "date": _iso(meeting),
        "number": meeting.number,
        "label": meeting_label(meeting.body, meeting.number),
        "kind": meeting_kind(meeting),
        "item_count": len(meeting.items),
    }


def _item_entry(item: AgendaItem, meeting: Meeting) -> dict[str, Any]:
    return {
        "id": item.id,
        "url": url_for("browse.item", item_id=item.id),
        "number": item.number,
        "title": item.title,
        "date": _iso(meeting),
        "body": meeting.body,
        "body_url": body_url(meeting.body),
        "meeting_id": meeting.id,
        "meeting_url": url_for("browse.meeting", meeting_id=meeting.id),
        "meeting_label": meeting_label(meeting.body, meeting.number),
        "outcomes": _outcomes(item.outcomes),
        "closed": item.closed,
    }


def _dissent(item: AgendaItem) -> list[dict[str, str]]:
    return [{"name": d.name, "url": person_url(d.name), "kind": d.kind,
             "label": DISSENT_KINDS.get(d.kind, d.kind), "text": d.text} for d in item.dissent]


def _visible_meetings(ids: Iterable[str]) -> list[Meeting]:
    return [m for m in (visible_meeting(mid) for mid in ids) if m is not None]


# -- a body ---------------------------------------------------------------------------------

def _people(meetings: list[Meeting]) -> list[dict[str, Any]]:
    """Everyone the body's minutes list as present, in the secretariat or absent, with their roles."""
    seen: dict[str, dict[str, Any]] = {}
    for meeting in sorted(meetings, key=lambda m: m.date.isoformat() if m.date else ""):
        for group, people in (("attended", meeting.participants), ("secretariat", meeting.secretariat),
                              ("absent", meeting.absent)):
            for person in people:
                entry = seen.setdefault(person.name, {
                    "name": person.name, "url": person_url(person.name), "roles": [], "attended": 0,
                    "secretariat": 0, "absent": 0, "substitute": 0, "first": None, "last": None})
                entry[group] += 1
                if person.substitute_for:
                    entry["substitute"] += 1
                if person.role and person.role not in entry["roles"]:
                    entry["roles"].append(person.role)
                if meeting.date and group != "absent":
                    entry["first"] = entry["first"] or meeting.date.isoformat()
                    entry["last"] = meeting.date.isoformat()
    return sorted(seen.values(), key=lambda p: (-(p["attended"] + p["secretariat"]), p["name"].casefold()))


def body_profile(body: str, page: int = 1) -> dict[str, Any] | None:
    """A body's page: its meetings by year (paged, newest first), the latest minutes, the people
    seen in its attendance with their roles, its meeting kinds.  None when it has no meeting the
    viewer may see."""
    store = get_store()
    rows = store.meeting_rows(body, internal=current_viewer().signed_in)
    meetings = _visible_meetings(row.id for row in rows)
    if not meetings:
        return None
    pages = max(1, -(-len(meetings) // BODY_MEETINGS_PER_PAGE))
    shown = meetings[(page - 1) * BODY_MEETINGS_PER_PAGE:page * BODY_MEETINGS_PER_PAGE]
    years: dict[str, list[dict[str, Any]]] = {}
    for meeting in shown:
        years.setdefault(str(meeting.date.year) if meeting.date else "Uden dato", []).append(_meeting_entry(meeting))
    dated = [m for m in meetings if m.date]
    latest = dated[0] if dated else meetings[0]
    kinds = Counter(meeting_kind(m) for m in meetings if meeting_kind(m))
    year_counts = Counter(str(m.date.year) if m.date else "Uden dato" for m in meetings)
    return {
        "body": body,
        "url": body_url(body),
        "meeting_count": len(meetings),
        "item_count": sum(len(m.items) for m in meetings),
        "first": _iso(dated[-1]) if dated else None,
        "last": _iso(dated[0]) if dated else None,
        "kinds": [{"kind": kind, "meetings": n} for kind, n in kinds.most_common()],
        "latest": {**_meeting_entry(latest),
                   "agenda": [_item_entry(item, latest) for item in latest.items]},
        "year_counts": [{"year": year, "meetings": n} for year, n in year_counts.items()],
        "page": page,
        "pages": pages,
        "per_page": BODY_MEETINGS_PER_PAGE,
        "years": [{"year": year, "meetings": entries} for year, entries in years.items()],
        "people": _people(meetings),
        "search_url": url_for("search.index", body=body, sort="newest"),
        "feed_url": url_for("search.feed", body=body, order="added"),
    }


# -- a case ---------------------------------------------------------------------------------

def case_profile(case: str) -> dict[str, Any] | None:
    """Every item of a case across bodies, oldest first, with each decision, dissent and vote.
    None when the viewer may see no item of it."""
    _req, response = run_search({"case": [case]}, sort="oldest", page=1, per_page=CASE_LIMIT,
                                facets=False, snippets=False)
    steps = []
    for hit in response.results:
        found = visible_item(hit.id)
        if found is None:
            continue
        item, meeting = found
        votes = None if item.votes is None else {key: getattr(item.votes, key) for key, _ in VOTE_WORDS}
        steps.append({**_item_entry(item, meeting), "kind": meeting_kind(meeting), "decision": item.decision,
                      "dissent": _dissent(item), "votes": votes, "votes_text": votes_text(item.votes),
                      "absent": list(item.absent)})
    if not steps:
        return None
    bodies = list(dict.fromkeys(step["body"] for step in steps))
    dates = [step["date"] for step in steps if step["date"]]
    return {
        "case": case,
        "url": case_url(case),
        "total": response.total,
        "truncated": response.total > len(steps) and len(response.results) >= CASE_LIMIT,
        "first": min(dates) if dates else None,
        "last": max(dates) if dates else None,
        "bodies": [{"name": name, "url": body_url(name)} for name in bodies],
        "items": steps,
        "search_url": url_for("search.index", case=case, sort="oldest"),
        "feed_url": url_for("search.feed", case=case, order="added"),
    }


# -- a person -------------------------------------------------------------------------------

def _same(a: str, b: str) -> bool:
    return a.strip().casefold() == b.strip().casefold()


def _attendance(name: str, meetings: list[Meeting]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(the meetings where ``name`` is listed, with role and substitute; the items they dissented on)."""
    attended, dissent = [], []
    for meeting in meetings:
        for status, people in (("deltog", meeting.participants), ("sekretariat", meeting.secretariat),
                               ("afbud", meeting.absent)):
            for person in people:
                if _same(person.name, name):
                    attended.append({**_meeting_entry(meeting), "body": meeting.body,
                                     "body_url": body_url(meeting.body), "status": status, "role": person.role,
                                     "note": person.note, "substitute_for": person.substitute_for,
                                     "substitute_for_url": person_url(person.substitute_for)
                                     if person.substitute_for else ""})
        for item in meeting.items:
            for d in item.dissent:
                if _same(d.name, name):
                    dissent.append({**_item_entry(item, meeting), "kind": d.kind,
                                    "label": DISSENT_KINDS.get(d.kind, d.kind), "text": d.text})
    return attended, dissent


def person_profile(name: str, page: int = 1) -> dict[str, Any] | None:
    """A person's page: the items they presented (paged, newest first), the meetings they attended
    (with role and whom they stood in for) and the decisions they stood apart from.  None when
    the viewer may see nothing of them."""
    _req, response = run_search({"presenter": [name]}, sort="newest", page=page, per_page=PERSON_ITEMS_PER_PAGE)
    presented = []
    for hit in response.results:
        m = hit.meeting or {}
        presented.append({
            "id": hit.id, "url": url_for("browse.item", item_id=hit.id), "number": hit.number, "title": hit.title,
            "date": hit.date, "body": m.get("body", ""), "body_url": body_url(m["body"]) if m.get("body") else "",
            "meeting_id": m.get("id", ""),
            "meeting_url": url_for("browse.meeting", meeting_id=m["id"]) if m.get("id") else "",
            "meeting_label": meeting_label(m.get("body", ""), m.get("number", "")),
            "outcomes": _outcomes(hit.outcomes),
        })
    store = get_store()
    meetings = _visible_meetings(store.meetings_naming(name, internal=current_viewer().signed_in))
    attended, dissent = _attendance(name, meetings)
    if response.total == 0 and not attended and not dissent:
        return None
    roles = list(dict.fromkeys(a["role"] for a in attended if a["role"]))
    bodies = list(dict.fromkeys([*(p["body"] for p in presented), *(a["body"] for a in attended)]))
    return {
        "name": name,
        "url": person_url(name),
        "roles": roles,
        "bodies": [{"name": b, "url": body_url(b)} for b in bodies if b],
        "presented": {
            "total": response.total,
            "page": page,
            "pages": response.pages,
            "per_page": PERSON_ITEMS_PER_PAGE,
            "outcomes": [{"slug": fv.value, "label": outcome_label(fv.value), "count": fv.count,
                          "url": url_for("search.index", presenter=name, outcome=fv.value)}
                         for fv in response.facets.get("outcome", [])],
            "items": presented,
        },
        "attended": attended,
        "dissent": dissent,
        "search_url": url_for("search.index", presenter=name, sort="newest"),
        "feed_url": url_for("search.feed", presenter=name, order="added"),
    }
