"""Reading without searching: an item, a meeting (and its original file), all meetings, all bodies
(a body's, a case's and a person's own pages: web.follow)."""
from __future__ import annotations

import io
import mimetypes
import re
from collections import defaultdict
from typing import Any

from flask import Blueprint, Response, abort, redirect, render_template, request, send_file, url_for

from archive import cite
from archive.store import corrections
from archive.visibility import may_download_original

from . import follow
from .access import current_viewer, meeting_or_404, visible_item
from .errors import BadParameter
from .facets import pagination
from .present import item_page, item_permalink, meeting_summary, person_url
from .search import run_search
from .state import get_store

bp = Blueprint("browse", __name__)

MEETINGS_PER_PAGE = 50
MIMETYPES = {
    ".txt": "text/plain",
    ".md": "text/markdown",
    ".pdf": "application/pdf",
    ".html": "text/html",
    ".htm": "text/html",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


ORIGINAL_CSP = "sandbox; default-src 'none'; img-src data:; style-src 'unsafe-inline'; frame-ancestors 'none'"
CASE_STEPS = 100            # other items of a case shown on an item page


@bp.get("/punkt/<item_id>")
def item(item_id: str):
    found = visible_item(item_id)
    if found is None:
        abort(404)
    hits = []
    if found[0].case_number:
        # The case's history in the archive: a search by its case number, as this viewer may see it.
        _req, response = run_search({"case": [found[0].case_number]}, sort="oldest", per_page=CASE_STEPS,
                                    facets=False, snippets=False)
        hits = response.results
    page = item_page(*found, case_hits=hits)
    return render_template("item.html", page=page, item=page.item, meeting=page.meeting,
                           marks=corrections.marks(get_store().db, page.meeting.id))


@bp.get("/punkt/<item_id>/kilde.bib")
def item_bibtex(item_id: str):
    """The item's citation as BibTeX (archive.cite), to import into a reference manager."""
    return _citation_file(item_id, "bib")


@bp.get("/punkt/<item_id>/kilde.ris")
def item_ris(item_id: str):
    """The item's citation as RIS (Zotero, EndNote, Mendeley)."""
    return _citation_file(item_id, "ris")


def _citation_file(item_id: str, ext: str) -> Response:
    found = visible_item(item_id)
    if found is None:
        abort(404)
    item, meeting = found
    make, mimetype = (cite.bibtex, "application/x-bibtex") if ext == "bib" else (cite.ris, "application/x-research-info-systems")
    response = Response(make(item, meeting, item_permalink(item_id)), mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{cite.bibtex_key(item)}.{ext}"'
    return response


@bp.get("/moede/<meeting_id>")
def meeting(meeting_id: str):
    store = get_store()
    found = meeting_or_404(meeting_id)
    originals = [
        {"name": o.name, "kind": o.kind, "ext": o.ext.lstrip(".").upper(),
         "url": url_for("browse.original", meeting_id=meeting_id) if k == 0
         else url_for("browse.original_file", meeting_id=meeting_id, sha=o.sha256),
         # A PDF is shown in the page as images drawn on the server (web.viewer), never as PDF.
         "view": url_for("viewer.view", meeting_id=meeting_id, sha=o.sha256) if o.ext.lower() == ".pdf" else None}
        for k, o in enumerate(store.meeting_originals(meeting_id)) if store.has_original(o.sha256, o.ext)
    ]
    return render_template(
        "meeting.html",
        meeting=found,
        summary=meeting_summary(found),
        originals=originals,
        may_download=may_download_original(found, current_viewer()),
        marks=corrections.marks(store.db, meeting_id),
        person_url=person_url,
    )


@bp.get("/moede/<meeting_id>/original")
def original(meeting_id: str):
    """The original whose text the meeting shows (the first of its originals)."""
    shown = get_store().meeting_originals(meeting_id)
    if not shown:
        abort(404)
    return original_file(meeting_id, shown[0].sha256)


@bp.get("/moede/<meeting_id>/original/<sha>")
def original_file(meeting_id: str, sha: str):
    """One of the meeting's original files (HTML, PDF, Word … of the same meeting)."""
    found = meeting_or_404(meeting_id)
    if not may_download_original(found, current_viewer()):
        abort(404)
    store = get_store()
    chosen = next((o for o in store.meeting_originals(meeting_id) if o.sha256 == sha), None)
    data = store.read_original(chosen.sha256, chosen.ext) if chosen is not None else None
    if chosen is None or data is None:
        abort(404)
    ext = chosen.ext.lower()
    name = chosen.name or f"{meeting_id}{ext}"
    mimetype = MIMETYPES.get(ext) or mimetypes.guess_type(name)[0] or "application/octet-stream"
    # The bytes of an original never change (it is named by its sha256): that is its ETag.
    response = send_file(io.BytesIO(data), mimetype=mimetype, as_attachment=True, download_name=name,
                         conditional=True, etag=chosen.sha256, max_age=3600)
    # Downloaded, never shown as the archive's own page; and should a browser render it anyway
    # (a PDF viewer, an HTML original), in a sandbox: no scripts, no forms, no same origin.
    response.headers["Content-Security-Policy"] = ORIGINAL_CSP
    if mimetype.startswith("text/"):
        # Only claim UTF-8 when the bytes are UTF-8 (old minutes may be cp1252).
        response.headers["Content-Type"] = f"{mimetype}; charset=utf-8" if _is_utf8(data) else mimetype
    return response


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


@bp.get("/person/<path:name>")
def person(name: str):
    """The presenter page of old links: the person's page (web.follow)."""
    return follow.person(name)


@bp.get("/moeder")
def meetings():
    store = get_store()
    body = request.args.get("body", "").strip() or None
    merged = store.merged_into(body) if body else None
    if merged is not None:              # a body an editor merged into another
        return redirect(url_for("browse.meetings", body=merged))
    raw_page = request.args.get("page", "1").strip() or "1"
    if not re.fullmatch(r"\d{1,6}", raw_page) or int(raw_page) < 1:
        raise BadParameter("page", f"{raw_page!r} er ikke et sidetal (1 eller mere)")
    page = int(raw_page)
    internal = current_viewer().signed_in
    total = store.meeting_count(body, internal=internal)
    pages = max(1, -(-total // MEETINGS_PER_PAGE))
    shown = [meeting_summary(row) for row in
             store.meeting_rows(body, limit=MEETINGS_PER_PAGE, offset=(page - 1) * MEETINGS_PER_PAGE,
                                internal=internal)]
    by_year: dict[str, list] = defaultdict(list)
    for m in shown:
        by_year[str(m.date.year) if m.date else "Uden dato"].append(m)
    extra: dict[str, Any] = {"body": body} if body else {}
    p = pagination(page, pages, lambda n: url_for("browse.meetings", page=n if n > 1 else None, **extra))
    return render_template("meetings.html", by_year=by_year, total=total, body=body,
                           pagination=p, beyond=page > pages)


@bp.get("/organer")
def bodies():
    merged: dict[str, list[str]] = defaultdict(list)
    for alias in get_store().body_aliases():
        merged[alias.body].append(alias.alias)
    rows = [
        {
            "name": row.name,
            "aliases": merged.get(row.name, []),
            "meeting_count": row.meetings,
            "item_count": row.items,
            "first": row.first,
            "last": row.last,
            "url": url_for("follow.body", body=row.name),
            "search_url": url_for("search.index", body=row.name, sort="newest"),
            "meetings_url": url_for("browse.meetings", body=row.name),
        }
        for row in get_store().body_rows(internal=current_viewer().signed_in)
    ]
    return render_template("bodies.html", bodies=rows)
