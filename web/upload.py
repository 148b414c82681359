"""Upload (editors): minutes files dropped on a page go through the same ingest as
`arkiv ingest` (archive.ingest.ingest).

Each file is saved as ``<home>/uploads/<yyyy-mm-dd>/<safe name>`` and ingested from
there, so its name (which the parser reads for dates and ids) stays the one the
user gave it.  The page answers per file: the meeting, the items found, and what
went wrong or needs a look (one item only, no text, not minutes, no date), each
with a link.  Without JavaScript it is a plain multipart form; with it,
``static/upload.js`` sends the files one by one and shows each result as it
comes (the server renders the same fragment for both).
"""
from __future__ import annotations

import datetime as dt
import os
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from flask import Blueprint, current_app, render_template, request, url_for
from werkzeug.datastructures import FileStorage

from archive.errors import ArchiveBusyError, ArkivError
from archive.extract.files import SUPPORTED
from archive.ingest import MAX_FILE_BYTES, ingest
from archive.ingest_results import FileResult, Reason, Status
from archive.model import Warn
from archive.store import corrections

from .access import current_viewer, editor_required
from .present import Link, MeetingSummary, meeting_summary
from .state import arkiv_state, get_engine, get_store

bp = Blueprint("upload", __name__)

UPLOAD_DIR = "uploads"
MAX_NAME = 100
REJECTED = "rejected"        # refused by the page itself, before ingest (UploadError)
STATUS_LABELS: dict[str, str] = {
    Status.ADDED: "Indlæst",
    Status.UPDATED: "Indlæst igen: en tidligere udgave af filen er erstattet",
    Status.UNCHANGED: "Uændret: præcis denne fil var allerede indlæst",
    Status.FAILED: "Ikke indlæst",
    Status.SKIPPED: "Sprunget over",
    REJECTED: "Afvist",
}
# What the page tells the editor about a file that was not stored, by FileResult.reason
# (and the help anchor on the page).
FAILURES = {
    Reason.UNREADABLE: ("Der kunne ikke læses tekst ud af filen (fx en beskadiget fil eller en scanning uden tekst).",
                   "#hjaelp-tekst"),
    Reason.NOT_MINUTES: ("Filen ligner ikke et referat, så den er sprunget over.", "#hjaelp-referat"),
    Reason.TOO_BIG: ("Filen er for stor.", "#hjaelp-stoerrelse"),
    Reason.LIMIT: ("Filen gik over en af arkivets grænser under læsningen.", "#hjaelp-graenser"),
}


class UploadError(ArkivError):
    """A file refused before ingest (unknown type, no name); the message is Danish."""


@dataclass
class Problem:
    text: str
    detail: str = ""
    link: Link | None = None


@dataclass
class FileView:
    name: str
    status: str
    status_label: str
    meeting: MeetingSummary | None = None
    items: list[Link] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    edit_url: str | None = None

    @property
    def ok(self) -> bool:
        return self.status in (Status.ADDED, Status.UPDATED, Status.UNCHANGED)


def safe_name(filename: str) -> str:
    """A file name without folders, hidden dots or odd characters; letters such as æøå stay
    (the parser reads dates and bodies from names).  UploadError for an unknown type."""
    name = unicodedata.normalize("NFC", PurePosixPath((filename or "").replace("\\", "/")).name)
    stem, ext = os.path.splitext(name)
    ext = ext.lower()
    if ext not in SUPPORTED:
        raise UploadError(f"Filtypen {ext or '(ingen)'} kan ikke indlæses. Kendte typer: {', '.join(SUPPORTED)}.")
    stem = re.sub(r"[^\w.-]+", "_", stem).strip("._-")[:MAX_NAME] or "referat"
    return stem + ext


def save_upload(storage: FileStorage, folder: Path) -> Path:
    """Write an uploaded file under ``folder``; a different file of the same name gets -2, -3, …"""
    name = safe_name(storage.filename or "")
    data = storage.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:      # refused before anything is written (ingest would refuse it too)
        raise UploadError(f"{storage.filename}: filen er større end grænsen på {MAX_FILE_BYTES // (1024 * 1024)} MiB "
                          f"og er ikke gemt.")
    folder.mkdir(parents=True, exist_ok=True)
    stem, ext = os.path.splitext(name)
    target, n = folder / name, 1
    while target.exists() and target.read_bytes() != data:
        n += 1
        target = folder / f"{stem}-{n}{ext}"
    if not target.exists():
        tmp = folder / f".{target.name}.{os.getpid()}.tmp"
        tmp.write_bytes(data)
        os.replace(tmp, target)
    return target


def _failure(result: FileResult) -> Problem:
    if result.reason in FAILURES:
        text, anchor = FAILURES[result.reason]
        return Problem(text, result.message, Link("Hvad kan jeg gøre?", url_for("upload.index") + anchor))
    return Problem("Filen kunne ikke indlæses.", result.message)


def describe(name: str, result: FileResult) -> FileView:
    view = FileView(name, result.status, STATUS_LABELS.get(result.status, result.status))
    if result.status in (Status.FAILED, Status.SKIPPED):
        view.problems.append(_failure(result))
        return view
    meeting = get_store().get_meeting(result.meeting_id) if result.meeting_id else None
    if meeting is None:
        return view
    view.meeting = meeting_summary(meeting)
    view.edit_url = url_for("edit.meeting", meeting_id=meeting.id)
    view.items = [Link(f"pkt. {it.number}: {it.title}" if it.number else it.title,
                       url_for("browse.item", item_id=it.id)) for it in meeting.items]
    if result.status is Status.UNCHANGED:
        if result.message:      # the same bytes under another name: one record, named here
            view.problems.append(Problem("Filen er allerede indlæst under et andet navn.", result.message))
        return view
    meeting_link = Link("Se mødet", view.meeting.url)
    for warning in meeting.warnings:
        if warning.code is Warn.NO_ITEMS:
            view.problems.append(Problem("Der blev ikke fundet dagsordenspunkter: hele referatet er gemt som "
                                         "ét punkt.", link=meeting_link))
        else:
            view.problems.append(Problem("Referatet blev læst med en advarsel.", warning.text, meeting_link))
    if meeting.date is None:
        view.problems.append(Problem("Der blev ikke fundet en mødedato.", link=Link("Ret datoen", view.edit_url)))
    return view


def _ingest(saved: list[tuple[str, Path]], body: str) -> list[FileView]:
    store = get_store()
    by_path: dict[str, FileResult] = {}
    try:
        report = ingest([path for _, path in saved], store, get_engine(), progress=False,
                        lock_wait=current_app.config["UPLOAD_LOCK_WAIT"], body=body,
                        settings=arkiv_state().settings)
        by_path = {r.path: r for r in report.results}
    except ArchiveBusyError:
        busy = "Arkivet er optaget af en anden indlæsning. Vent lidt, og send filen igen."
        return [FileView(name, Status.FAILED, STATUS_LABELS[Status.FAILED], problems=[Problem(busy)]) for name, _ in saved]
    views = []
    author = current_viewer().name
    for name, path in saved:
        result = by_path.get(str(path.resolve())) or FileResult(str(path), Status.FAILED, message="ikke indlæst")
        if result.status in (Status.ADDED, Status.UPDATED) and result.meeting_id:
            corrections.log_upload(store.db, result.meeting_id, name, author)
        views.append(describe(name, result))
    return views


@bp.route("/indlaes", methods=["GET", "POST"])
@editor_required
def index():
    if request.method == "GET":
        return render_template("upload.html", views=None, supported=SUPPORTED, error=None)
    files = [f for f in request.files.getlist("files") if f and f.filename]
    views: list[FileView] = []
    saved: list[tuple[str, Path]] = []
    folder = arkiv_state().home / UPLOAD_DIR / dt.date.today().isoformat()
    for storage in files:
        name = storage.filename or ""
        try:
            saved.append((name, save_upload(storage, folder)))
        except UploadError as exc:
            views.append(FileView(name, REJECTED, STATUS_LABELS[REJECTED], problems=[Problem(str(exc))]))
    if saved:
        # The body the editor names wins over what each file says (as `arkiv ingest --body`).
        views += _ingest(saved, " ".join(request.form.get("body", "").split())[:200])
    if request.form.get("fragment"):          # upload.js: one file, its result as an <li>
        response = current_app.make_response(render_template("_upload_results.html", views=views))
        response.headers["X-Arkiv-Upload"] = "1"
        return response
    error = None if files else "Vælg mindst én fil."
    return render_template("upload.html", views=views, supported=SUPPORTED, error=error), 200 if files else 400
