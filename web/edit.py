"""Corrections on the web (editors): a meeting's body, date, number, title and whether it
is internal; an item's title, presenters, outcomes and whether it is closed; and the
audit log of every change.

A correction is stored by archive.store.corrections (apart from the parse, so it
survives `arkiv reindex` and a re-ingest) and the meeting is indexed again at
once, so a search finds the corrected value.  Ids never change.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for

from archive.errors import ArchiveBusyError
from archive.model import AgendaItem, Meeting, Presenter
from archive.parse.outcome import OUTCOMES
from archive.store import corrections

from .access import current_viewer, editor_required, meeting_or_404, visible_item
from .format import danish_date, outcome_label
from .present import meeting_label
from .state import get_engine, get_store

bp = Blueprint("edit", __name__)

AUDIT_PER_PAGE = 100


# -- showing values ------------------------------------------------------------
def show_value(field: str, raw: Any) -> str:
    """A corrected field's value (as archive.store.corrections keeps it, JSON-shaped) in Danish."""
    if field == "date":
        return danish_date(raw)
    if field in ("internal", "closed"):
        return "ja" if raw else "nej"
    if field == "presenters":
        return "; ".join(f"{p['name']}, {p['role']}" if p.get("role") else p["name"] for p in raw) or "(ingen)"
    if field == "outcomes":
        return ", ".join(outcome_label(slug) for slug in raw) or "(intet)"
    if raw is None:
        return "–"
    return str(raw) or "(tom)"


@bp.app_template_global()
def parsed_value(mark: corrections.Mark, field: str) -> str:
    """What the parse said, for "oprindeligt: …" beside a corrected value."""
    return show_value(field, corrections.to_json(field, mark.parsed))


@bp.app_template_filter()
def danish_time(value: dt.datetime) -> str:
    """1. december 2026 kl. 14.03, in Danish time."""
    try:
        local = value.astimezone(ZoneInfo("Europe/Copenhagen"))
    except ZoneInfoNotFoundError:
        local = value
    return f"{danish_date(local.date())} kl. {local:%H.%M}"


def presenter_lines(presenters: list[Presenter]) -> str:
    return "\n".join(f"{p.name}, {p.role}" if p.role else p.name for p in presenters)


# -- forms -----------------------------------------------------------------------
def _date(raw: str) -> dt.date | None:
    raw = raw.strip()
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise corrections.CorrectionError("date", "Datoen skal være en gyldig dato (ÅÅÅÅ-MM-DD).") from None


def _presenters(raw: str) -> list[Presenter]:
    """One presenter a line: "Navn" or "Navn, rolle" (the role may hold commas)."""
    people = []
    for line in raw.splitlines():
        name, _, role = line.partition(",")
        if name.strip():
            people.append(Presenter(name.strip(), role.strip()))
    return people


def _save(meeting_id: str, target_id: str, changes: dict[str, Any]) -> list[str]:
    """Store the corrections and index the meeting again, as the archive's one writer."""
    store = get_store()
    with store.write_lock(wait=current_app.config["UPLOAD_LOCK_WAIT"]):
        meeting = store.get_meeting(meeting_id)
        if meeting is None:
            abort(404)
        changed = corrections.save(store, meeting, target_id, changes, current_viewer().name)
        if changed:
            get_engine().update([meeting])
    return changed


def _attempt(meeting_id: str, target_id: str, read_form) -> str | None:
    """Save the posted form; the Danish error message, or None when it went well."""
    try:
        _save(meeting_id, target_id, read_form())
    except corrections.CorrectionError as exc:
        return exc.message
    except ArchiveBusyError:
        return "Arkivet er optaget af en indlæsning lige nu. Vent lidt, og gem igen."
    return None


@bp.route("/moede/<meeting_id>/ret", methods=["GET", "POST"])
@editor_required
def meeting(meeting_id: str):
    found = meeting_or_404(meeting_id)
    error = None
    if request.method == "POST":
        form = request.form
        error = _attempt(meeting_id, meeting_id, lambda: {
            "body": form.get("body", ""), "date": _date(form.get("date", "")),
            "number": form.get("number", ""), "internal": form.get("internal") == "1",
            # A form without the field (an older page, a script) leaves the title as it is.
            **({"title": form["title"]} if "title" in form else {})})
        if error is None:
            return redirect(url_for("browse.meeting", meeting_id=meeting_id))
    return render_template("edit_meeting.html", meeting=found, label=meeting_label(found.body, found.number),
                           marks=corrections.marks(get_store().db, meeting_id), error=error,
                           form=request.form if error else None), 400 if error else 200


@bp.route("/punkt/<item_id>/ret", methods=["GET", "POST"])
@editor_required
def item(item_id: str):
    found = visible_item(item_id)
    if found is None:
        abort(404)
    agenda_item, owner = found
    error = None
    if request.method == "POST":
        form = request.form
        error = _attempt(owner.id, item_id, lambda: {
            "title": form.get("title", ""), "presenters": _presenters(form.get("presenters", "")),
            "outcomes": form.getlist("outcome"), "closed": form.get("closed") == "1"})
        if error is None:
            return redirect(url_for("browse.item", item_id=item_id))
    return render_template("edit_item.html", item=agenda_item, meeting=owner,
                           label=meeting_label(owner.body, owner.number),
                           presenters=presenter_lines(agenda_item.presenters), outcomes=OUTCOMES,
                           marks=corrections.marks(get_store().db, owner.id), error=error,
                           form=request.form if error else None), 400 if error else 200


# -- the audit log -------------------------------------------------------------------
@dataclass
class AuditRow:
    entry: corrections.AuditEntry
    field_label: str
    target_label: str
    target_url: str | None
    before: str
    after: str


def _target(entry: corrections.AuditEntry, meetings: dict[str, Meeting | None]) -> tuple[str, str | None]:
    if entry.field in ("merge", "unmerge"):            # of a body, not of one meeting
        return f"Organet {entry.target_id}", url_for("follow.body", body=entry.target_id)
    if entry.meeting_id not in meetings:
        meetings[entry.meeting_id] = get_store().get_meeting(entry.meeting_id)
    owner = meetings[entry.meeting_id]
    if owner is None:
        return entry.target_id, None          # since removed from the archive
    head = f"{meeting_label(owner.body, owner.number)}, {danish_date(owner.date)}"
    if entry.target_id == owner.id:
        return head, url_for("browse.meeting", meeting_id=owner.id)
    found: AgendaItem | None = next((it for it in owner.items if it.id == entry.target_id), None)
    if found is None:
        return f"{head}: {entry.target_id}", None
    number = f"pkt. {found.number}" if found.number else f"punkt {found.position}"
    return f"{head}, {number}: {found.title}", url_for("browse.item", item_id=found.id)


@bp.get("/rettelser")
@editor_required
def log():
    meeting_id = request.args.get("moede") or None
    raw_before = request.args.get("foer", "")
    before_id = int(raw_before) if raw_before.isdigit() else None
    entries = corrections.audit(get_store().db, meeting_id, limit=AUDIT_PER_PAGE + 1, before_id=before_id)
    more = len(entries) > AUDIT_PER_PAGE
    entries = entries[:AUDIT_PER_PAGE]
    meetings: dict[str, Meeting | None] = {}
    rows = []
    for entry in entries:
        label, url = _target(entry, meetings)
        upload = entry.field == "upload"
        rows.append(AuditRow(entry, corrections.FIELD_LABELS.get(entry.field, entry.field), label, url,
                             "" if upload else show_value(entry.field, entry.before),
                             str(entry.after) if upload else show_value(entry.field, entry.after)))
    older = url_for("edit.log", moede=meeting_id, foer=entries[-1].id) if more else None
    return render_template("audit.html", rows=rows, meeting_id=meeting_id, older_url=older)
