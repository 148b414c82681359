"""The original PDF, viewable inline without any PDF JavaScript: its pages rendered on the server.

A PDF may carry JavaScript, so the original itself is only ever sent as an attachment in a sandbox
(web.browse.original_file).  ``/moede/<id>/originalen`` ("Originalen") shows the meeting's first
PDF original, ``/moede/<id>/originalen/<sha>`` any of its PDF originals, as one ``<img
loading="lazy">`` per page; each image is ``…/<sha>/side/<n>.png``: PDFium (pypdfium2) draws that
page ``WIDTHS`` pixels wide (``?bredde=``, for ``srcset``), cached by the browser (ETag, the
original's sha256 with page and width) and in this process (the last ``CACHE_PAGES`` images).
Both follow the original download's access rule (archive.visibility.may_download_original): an
internal meeting or one with a closed item only for signed-in users.  A page number the PDF does
not have, or that is no number, is a Danish 404; a width not offered a 400; nothing here is a 500.
"""
from __future__ import annotations

import hashlib
import io
import threading
from collections import OrderedDict
from dataclasses import dataclass

from flask import Blueprint, Response, abort, render_template, request, url_for

from archive.model import Meeting
from archive.visibility import may_download_original

from .access import current_viewer, meeting_or_404
from .errors import BadParameter, html_error
from .state import get_store

bp = Blueprint("viewer", __name__)

WIDTHS = (600, 1200)        # pixels; 1200 by default (sharp on a laptop, and on a phone at 3x)
DEFAULT_WIDTH = 1200
MAX_ASPECT = 4              # a page at most 4 times as tall as wide is drawn whole; taller, narrower
MAX_PAGES = 2000            # pages listed in the viewer at most
CACHE_PAGES = 64            # rendered pages kept in memory (a few MB)
RENDER_VERSION = "1"        # in the ETag: change when the drawing changes
UNREADABLE = "Originalen kan ikke vises som billeder. Hent filen i stedet."

_lock = threading.Lock()    # PDFium is not thread-safe
_rendered: OrderedDict[tuple[str, int, int], bytes] = OrderedDict()
_sizes: OrderedDict[str, list[tuple[float, float]] | None] = OrderedDict()


@dataclass
class Original:
    sha256: str
    ext: str
    name: str


def pdf_originals(meeting_id: str) -> list[Original]:
    """The meeting's originals that are PDF files and are stored, in the meeting's order."""
    store = get_store()
    return [Original(o.sha256, o.ext, o.name) for o in store.meeting_originals(meeting_id)
            if o.ext.lower() == ".pdf" and store.has_original(o.sha256, o.ext)]


def _chosen(meeting_id: str, sha: str | None) -> tuple[Meeting, Original, list[Original]]:
    """The PDF original asked for (or the first) of a meeting this viewer may have the originals of."""
    meeting = meeting_or_404(meeting_id)
    if not may_download_original(meeting, current_viewer()):
        abort(404)
    pdfs = pdf_originals(meeting_id)
    chosen = next((o for o in pdfs if sha is None or o.sha256 == sha), None)
    if chosen is None:
        abort(404)
    return meeting, chosen, pdfs


def _page_sizes(original: Original) -> list[tuple[float, float]] | None:
    """Each page's size in points, or None when PDFium cannot open the file."""
    with _lock:
        if original.sha256 in _sizes:
            _sizes.move_to_end(original.sha256)
            return _sizes[original.sha256]
    data = get_store().read_original(original.sha256, original.ext)
    sizes = None
    if data is not None:
        import pypdfium2 as pdfium

        with _lock:
            try:
                document = pdfium.PdfDocument(data)
            except pdfium.PdfiumError:
                document = None
            if document is not None:
                try:
                    sizes = [document[n].get_size() for n in range(min(len(document), MAX_PAGES))]
                finally:
                    document.close()
    with _lock:
        _sizes[original.sha256] = sizes
        while len(_sizes) > CACHE_PAGES:
            _sizes.popitem(last=False)
    return sizes


def _render(original: Original, number: int, width: int) -> bytes | None:
    """Page ``number`` (from 1) as a PNG ``width`` pixels wide (narrower for a very tall page)."""
    key = (original.sha256, number, width)
    with _lock:
        if key in _rendered:
            _rendered.move_to_end(key)
            return _rendered[key]
    data = get_store().read_original(original.sha256, original.ext)
    if data is None:
        return None
    import pypdfium2 as pdfium

    with _lock:
        try:
            document = pdfium.PdfDocument(data)
        except pdfium.PdfiumError:
            return None
        try:
            if not 1 <= number <= len(document):
                return None
            page = document[number - 1]
            w, h = page.get_size()
            scale = min(width / max(w, 1), MAX_ASPECT * width / max(h, 1))
            image = page.render(scale=scale, may_draw_forms=True).to_pil()
            out = io.BytesIO()
            image.convert("RGB").save(out, format="PNG", optimize=False)
        except (pdfium.PdfiumError, ValueError, OSError):        # a page PDFium cannot draw
            return None
        finally:
            document.close()
        png = out.getvalue()
        _rendered[key] = png
        while len(_rendered) > CACHE_PAGES:
            _rendered.popitem(last=False)
    return png


def _no_page(number: str, pages: int) -> tuple[str, int]:
    shown = number if len(number) <= 20 else number[:20] + "…"
    return html_error(404, f"Originalen har ikke en side {shown}: den har {pages} {'side' if pages == 1 else 'sider'}.")


@bp.get("/moede/<meeting_id>/originalen")
def first(meeting_id: str):
    return view(meeting_id, None)


@bp.get("/moede/<meeting_id>/originalen/<sha>")
def view(meeting_id: str, sha: str | None):
    meeting, chosen, pdfs = _chosen(meeting_id, sha)
    sizes = _page_sizes(chosen)
    if sizes is None:
        return html_error(404, UNREADABLE)
    pages = []
    for n, (w, h) in enumerate(sizes, start=1):
        height = round(DEFAULT_WIDTH * min(h / max(w, 1), MAX_ASPECT))
        src = {width: url_for("viewer.page", meeting_id=meeting_id, sha=chosen.sha256, number=str(n),
                              bredde=None if width == DEFAULT_WIDTH else width) for width in WIDTHS}
        pages.append({"number": n, "src": src[DEFAULT_WIDTH], "height": height,
                      "srcset": ", ".join(f"{url} {width}w" for width, url in src.items())})
    download = (url_for("browse.original", meeting_id=meeting_id) if chosen.sha256 ==
                get_store().meeting_originals(meeting_id)[0].sha256
                else url_for("browse.original_file", meeting_id=meeting_id, sha=chosen.sha256))
    others = [{"name": o.name, "url": url_for("viewer.view", meeting_id=meeting_id, sha=o.sha256)}
              for o in pdfs if o.sha256 != chosen.sha256]
    return render_template("original.html", meeting=meeting, original=chosen, pages=pages, width=DEFAULT_WIDTH,
                           download=download, others=others)


@bp.get("/moede/<meeting_id>/originalen/<sha>/side/<number>.png")
def page(meeting_id: str, sha: str, number: str):
    _meeting, chosen, _pdfs = _chosen(meeting_id, sha)
    raw_width = request.args.get("bredde", str(DEFAULT_WIDTH))
    if raw_width not in {str(w) for w in WIDTHS}:
        raise BadParameter("bredde", f"Bredden skal være en af {', '.join(map(str, WIDTHS))} pixels.")
    width = int(raw_width)
    sizes = _page_sizes(chosen)
    if sizes is None:
        return html_error(404, UNREADABLE)
    if not (number.isascii() and number.isdigit() and len(number) <= 6 and 1 <= int(number) <= len(sizes)):
        return _no_page(number, len(sizes))
    etag = hashlib.sha256(f"{chosen.sha256}/{number}/{width}/{RENDER_VERSION}".encode()).hexdigest()[:32]
    if request.if_none_match.contains(etag):
        response = Response(status=304)
    else:
        png = _render(chosen, int(number), width)
        if png is None:
            return html_error(404, UNREADABLE)
        response = Response(png, mimetype="image/png")
    response.set_etag(etag)
    # Private: the page may be one only signed-in users may see; it never changes (its sha256).
    response.headers["Cache-Control"] = "private, max-age=86400"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
