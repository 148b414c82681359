"""The search page, its exports (CSV, JSON, Open Civic Data) and its Atom feed: one URL state, five shapes."""
from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json
import re
import threading
from typing import Any, Callable, Iterator
from xml.etree import ElementTree as ET

from flask import Blueprint, Response, current_app, render_template, request, url_for

from archive import ocd
from archive.errors import ArkivError
from archive.export import item_record, write_csv
from archive.model import AgendaItem, Meeting
from archive.text_plain import strip_marks
from archive.visibility import include_private, may_download_original
from index.model import SearchRequest, SearchResponse
from index.recent import newly_added
from index.search import merged_bodies, parse_request, search

from .access import current_viewer, guard_response, public_hit, visible_item, visible_meeting
from .errors import BadParameter, danish_message, error_message, html_error, json_error
from .facets import (
    active_filters,
    build_facets,
    has_filters,
    ordered_params,
    pagination,
    query_text,
    sort_links,
    state_from_args,
    state_pager,
    state_url,
    without_filters_url,
)
from .format import danish_date, outcome_label
from .present import absolute_url, hit_view, item_permalink, meeting_label
from .state import get_engine, get_store

bp = Blueprint("search", __name__)

ATOM_NS = "http://www.w3.org/2005/Atom"


def run_search(state: dict, **overrides: Any) -> tuple[SearchRequest, SearchResponse]:
    """(SearchRequest, SearchResponse) for a URL state; ParameterError for a bad parameter."""
    req = merged_bodies(parse_request(state), get_store().merged_into)
    req = dataclasses.replace(req, **overrides, private=include_private(current_viewer()))
    engine = get_engine()
    return req, guard_response(engine, req, search(engine, req))


def _meeting_label(meeting_id: str) -> str:
    meeting = visible_meeting(meeting_id)
    if meeting is None:
        return meeting_id
    label = meeting_label(meeting.body, meeting.number)
    return f"{label} ({meeting.date.isoformat()})" if meeting.date else label


@bp.get("/")
def index():
    state = state_from_args(request.args)
    q = query_text(state)
    browsing = not q.strip() and not has_filters(state)
    error = None
    try:
        overrides = {"sort": "newest"} if browsing and "sort" not in state else {}
        req, response = run_search(state, **overrides)
    except ArkivError as exc:
        param = getattr(exc, "param", None)
        if param is None:
            raise
        error = {"parameter": param, "message": danish_message(param, error_message(exc))}
        # The form must stay usable: it must not send the bad value again.
        if param != "q":
            state = {k: v for k, v in state.items() if k != param and k != "page"}

    context: dict[str, Any] = {
        "state": state,
        "q": q,
        "browsing": browsing,
        "error": error,
        "response": None,
        "filters": active_filters(state, meeting_label=_meeting_label),
        "without_filters_url": without_filters_url(state),
        "export_csv_url": state_url(state, "search.export_csv", page=None, per_page=None),
        "export_json_url": state_url(state, "search.export_json", page=None, per_page=None),
        "export_ocd_url": state_url(state, "search.export_ocd", page=None, per_page=None),
        "feed_url": state_url(state, "search.feed", page=None, per_page=None, sort=None),
        "feed_added_url": url_for("search.feed", **ordered_params(
            {k: v for k, v in state.items() if k not in ("page", "per_page", "sort")}), order="added"),
    }
    if error:
        return render_template("search.html", **context), 400

    context.update(
        response=response,
        request_=req,
        hits=[hit_view(hit) for hit in response.results],
        facets=build_facets(response.facets, state),
        sort=req.sort,
        sorts=sort_links(state, req.sort),
        pagination=pagination(req.page, response.pages, state_pager(state)),
        beyond=response.total > 0 and req.page > response.pages,
        last_page_url=state_url(state, page=str(response.pages) if response.pages > 1 else None),
        suggestion_url=(state_url(state, q=response.suggestion, page=None) if response.suggestion else None),
        typed_only_url=(state_url(state, q=response.typed_query, page=None) if response.typed_query else None),
        first=(req.page - 1) * req.per_page + 1,
        last=min(response.total, req.page * req.per_page),
    )
    return render_template("search.html", **context)


# -- exports -----------------------------------------------------------------

def _export_pairs(state: dict) -> tuple[int, Iterator[tuple[AgendaItem, Meeting]]]:
    """(total matches, (item, meeting) of at most EXPORT_LIMIT of them in the search's order, as
    the viewer may see them)."""
    limit = current_app.config["EXPORT_LIMIT"]
    state = {k: v for k, v in state.items() if k not in ("page", "per_page")}
    _req, response = run_search(state, page=1, per_page=limit, snippets=False, facets=False)

    def pairs() -> Iterator[tuple[AgendaItem, Meeting]]:
        meetings: dict[str, Any] = {}
        for hit in response.results:
            mid = (hit.meeting or {}).get("id", "")
            if mid not in meetings:
                meetings[mid] = visible_meeting(mid) if mid else None
            meeting = meetings[mid]
            item = next((it for it in meeting.items if it.id == hit.id), None) if meeting else None
            if item is None:  # index ahead of or behind the store: ask by item id
                found = visible_item(hit.id)
                if found is None:
                    continue
                item, meeting = found
            yield item, meeting

    return response.total, pairs()


def _export_records(state: dict) -> tuple[int, Iterator[dict[str, Any]]]:
    """(total matches, records of at most EXPORT_LIMIT of them in the search's order)."""
    total, pairs = _export_pairs(state)
    return total, (item_record(item, meeting) for item, meeting in pairs)


# -- at most ANONYMOUS_EXPORTS anonymous exports at once per worker process ----------------------
# An export of 10,000 rows costs seconds of CPU in this process, and its threads share one GIL: 8
# anonymous exports at once made a search wait 7.2 s.  Over the limit an anonymous visitor is told
# to come back (429, Retry-After); a signed-in user is never refused.
EXPORT_RETRY_AFTER = 10
BUSY_MESSAGE = ("Der hentes allerede så mange eksporter, som arkivet tillader på én gang for besøgende, "
                "der ikke er logget ind. Prøv igen om lidt, eller log ind.")


def _export_slots() -> threading.BoundedSemaphore | None:
    limit = int(current_app.config.get("ANONYMOUS_EXPORTS") or 0)
    if limit <= 0:
        return None
    slots = current_app.extensions.get("arkiv-export-slots")
    if slots is None:
        with _slots_lock:
            slots = current_app.extensions.setdefault("arkiv-export-slots", threading.BoundedSemaphore(limit))
    return slots


_slots_lock = threading.Lock()


def _export_slot() -> Callable[[], None] | None:
    """A release function for the export slot this request holds (a no-op for a signed-in user),
    or None when every anonymous slot is taken."""
    if current_viewer().signed_in:
        return lambda: None
    slots = _export_slots()
    if slots is None:
        return lambda: None
    if not slots.acquire(blocking=False):
        return None
    released = threading.Event()

    def release() -> None:
        if not released.is_set():
            released.set()
            slots.release()
    return release


def _busy(html: bool) -> Response:
    if html:
        response = current_app.make_response(html_error(429, BUSY_MESSAGE))
    else:
        response = json_error(429, BUSY_MESSAGE)
    response.headers["Retry-After"] = str(EXPORT_RETRY_AFTER)
    return response


def _streamed(chunks: Iterator[str], release: Callable[[], None], mimetype: str) -> Response:
    """A response written as ``chunks`` come (10,000 rows are never one string in memory), that
    gives its export slot back when it is done, however it ends (a client that goes away too).
    The records are read from the store in the request; only their text is written after it, so
    the chunks need neither the request's context nor its store."""
    def body() -> Iterator[str]:
        try:
            yield from chunks
        finally:
            release()
    response = Response(body(), mimetype=mimetype)
    response.call_on_close(release)
    return response


def _download_name(ext: str) -> str:
    return f"arkiv-soegning-{dt.date.today().isoformat()}.{ext}"


def _records_in_slot(state: dict) -> tuple[Callable[[], None], int, list[dict[str, Any]]] | None:
    """(the export slot's release, total matches, the records) for an export, or None when the
    anonymous slots are all taken; the slot is given back at once if reading the records fails."""
    release = _export_slot()
    if release is None:
        return None
    try:
        total, found = _export_records(state)
        return release, total, list(found)
    except BaseException:
        release()
        raise


@bp.get("/eksport.csv")
def export_csv():
    """The search as CSV for a Danish spreadsheet (semicolon, Danish column names, a BOM);
    ``kolonner=en``: comma and the export's English field names, as `arkiv export --format csv`."""
    state = state_from_args(request.args)
    dialect = "en" if request.args.get("kolonner") == "en" else "da"
    taken = _records_in_slot(state)
    if taken is None:
        return _busy(html=True)
    release, total, records = taken
    rows = len(records)

    def chunks() -> Iterator[str]:
        out = io.StringIO()
        out.write("\ufeff")  # a BOM, so that Excel reads the UTF-8 (æøå) correctly
        batch: list[dict[str, Any]] = []
        header = True
        for record in records:
            batch.append(record)
            if len(batch) == 100:
                yield _csv_chunk(batch, out, dialect, header)
                batch, header, out = [], False, io.StringIO()
        if batch or header:
            yield _csv_chunk(batch, out, dialect, header)

    response = _streamed(chunks(), release, "text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{_download_name("csv")}"'
    response.headers["X-Arkiv-Total"] = str(total)
    response.headers["X-Arkiv-Rows"] = str(rows)
    return response


def _csv_chunk(batch: list[dict[str, Any]], out: io.StringIO, dialect: str, header: bool) -> str:
    """Rows of CSV (and the heading line, for the first chunk) in ``dialect``."""
    write_csv(batch, out, dialect=dialect)
    text = out.getvalue()
    if not header:      # write_csv always starts with the heading line: only the first chunk keeps it
        text = text.split("\r\n", 1)[1]
    return text


@bp.get("/eksport.json")
def export_json():
    state = state_from_args(request.args)
    taken = _records_in_slot(state)
    if taken is None:
        return _busy(html=False)
    release, total, records = taken
    limit = current_app.config["EXPORT_LIMIT"]
    query = {k: v for k, v in state.items() if k not in ("page", "per_page")}

    def chunks() -> Iterator[str]:
        # The document json.dumps(body, indent=1) wrote, in its key order, written item by item.
        count = len(records)
        yield "{\n " + ",\n ".join((_dumps("query", query), _dumps("total", total), _dumps("count", count),
                                     _dumps("limit", limit), _dumps("truncated", total > count))) + ',\n "items": ['
        for n, record in enumerate(records):
            yield ("," if n else "") + "\n  " + json.dumps(record, ensure_ascii=False, indent=1).replace("\n", "\n  ")
        yield ("\n ]" if count else "]") + "\n}"

    response = _streamed(chunks(), release, "application/json")
    response.headers["Content-Disposition"] = f'attachment; filename="{_download_name("json")}"'
    return response


def _dumps(key: str, value: Any) -> str:
    """``"key": value`` as json.dumps(indent=1) writes it one level in."""
    return json.dumps(key) + ": " + json.dumps(value, ensure_ascii=False, indent=1).replace("\n", "\n ")


def _event_links(meeting: Meeting) -> ocd.EventLinks:
    """The event's permalinks; its originals only where this viewer may download them."""
    originals = []
    if may_download_original(meeting, current_viewer()):
        store = get_store()
        for k, o in enumerate(store.meeting_originals(meeting.id)):
            if not store.has_original(o.sha256, o.ext):
                continue
            url = (absolute_url("browse.original", meeting_id=meeting.id) if k == 0
                   else absolute_url("browse.original_file", meeting_id=meeting.id, sha=o.sha256))
            originals.append(ocd.Original(o.name, url, o.ext))
    return ocd.EventLinks(absolute_url("browse.meeting", meeting_id=meeting.id), item_permalink, originals)


@bp.get("/eksport.ocd.json")
def export_ocd():
    """The search as Open Civic Data Events (archive.ocd): one per meeting, its matching items as
    its agenda, in the order of the search's first hit in each meeting."""
    state = state_from_args(request.args)
    release = _export_slot()          # one of the anonymous exports at once, as the others
    if release is None:
        return _busy(html=False)
    try:
        total, pairs = _export_pairs(state)
        chosen = list(pairs)
        events = ocd.events(chosen, _event_links)
    finally:
        release()
    body = {
        "format": "ocd-event",
        "query": {k: v for k, v in state.items() if k not in ("page", "per_page")},
        "total": total,
        "count": len(chosen),
        "event_count": len(events),
        "limit": current_app.config["EXPORT_LIMIT"],
        "truncated": total > len(chosen),
        "events": events,
    }
    response = Response(json.dumps(body, ensure_ascii=False, indent=1), mimetype="application/json")
    response.headers["Content-Disposition"] = f'attachment; filename="{_download_name("ocd.json")}"'
    return response


# -- Atom feed -----------------------------------------------------------------

def _rfc3339(date: dt.date | str | None) -> str | None:
    if not date:
        return None
    if isinstance(date, str):
        try:
            date = dt.date.fromisoformat(date[:10])
        except ValueError:
            return None
    return f"{date.isoformat()}T00:00:00Z"


# What XML 1.0 cannot hold (NUL and the other C0 controls but tab and newlines, lone surrogates,
# U+FFFE/U+FFFF): ElementTree would write them and make the feed malformed (?q=%00).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml(text: str) -> str:
    return _NOT_XML.sub("", text)


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    el = ET.SubElement(parent, f"{{{ATOM_NS}}}{tag}", {k: _xml(v) for k, v in attrs.items()})
    if text is not None:
        el.text = _xml(text)
    return el


FEED_ORDERS = ("newest", "added")      # by meeting date; by when the meeting came to the archive


def _ingest_time(added: str) -> str:
    """The store's ISO timestamp ("2026-12-07T08:47:22+00:00") as RFC 3339 in UTC ("…Z")."""
    try:
        when = dt.datetime.fromisoformat(added)
    except ValueError:
        return ""
    when = when.replace(tzinfo=dt.timezone.utc) if when.tzinfo is None else when.astimezone(dt.timezone.utc)
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


@bp.get("/feed.atom")
def feed():
    """The search's newest items as Atom: by meeting date, or (``order=added``) by when they came to
    the archive, so that old minutes ingested today reach a subscriber.  Entry titles name the body."""
    state = {k: v for k, v in state_from_args(request.args).items() if k not in ("page", "per_page", "sort")}
    order = request.args.get("order", "newest").strip() or "newest"
    if order not in FEED_ORDERS:
        raise BadParameter("order", f"{order!r} er ikke en af {', '.join(FEED_ORDERS)}")
    limit = current_app.config["FEED_LIMIT"]
    added: dict[str, str] = {}
    if order == "added":
        req = dataclasses.replace(merged_bodies(parse_request(state), get_store().merged_into),
                                  private=include_private(current_viewer()), snippets=True)
        arrivals = newly_added(get_engine(), get_store(), req, limit)
        if not req.private:     # the hits as an anonymous visitor may see them, as run_search's are
            arrivals = [dataclasses.replace(a, hit=hit) for a in arrivals if (hit := public_hit(a.hit)) is not None]
        results = [a.hit for a in arrivals]
        added = {a.hit.id: _ingest_time(a.added) for a in arrivals}
    else:
        _req, response = run_search(state, page=1, per_page=limit, sort="newest", facets=False)
        results = response.results
    params = {**ordered_params(state), **({"order": order} if order != "newest" else {})}
    ET.register_namespace("", ATOM_NS)
    root = ET.Element(f"{{{ATOM_NS}}}feed", {"xml:lang": "da"})
    q = query_text(state).strip()
    title = f"arkiv: søgning efter «{q}»" if q else "arkiv: nyeste dagsordenspunkter"
    if has_filters(state):
        title += " (filtreret)"
    if order == "added":
        title += ", nyt i arkivet"
    self_url = absolute_url("search.feed", **params)
    _sub(root, "id", self_url)
    _sub(root, "title", title)
    _sub(root, "subtitle", "Dagsordenspunkter fra referaterne i arkiv, " +
         ("senest tilføjede først" if order == "added" else "nyeste møder først"))
    _sub(root, "link", rel="self", type="application/atom+xml", href=self_url)
    _sub(root, "link", rel="alternate", type="text/html", href=absolute_url("search.index", **ordered_params(state)))
    author = _sub(root, "author")
    _sub(author, "name", "arkiv")
    _sub(root, "generator", "arkiv")
    now = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    stamps = [added.get(h.id) or _rfc3339(h.date) for h in results] if order == "added" else \
        [_rfc3339(h.date) for h in results]
    dates = [d for d in stamps if d]
    _sub(root, "updated", max(dates) if dates else now)
    for hit, stamp in zip(results, stamps, strict=True):
        entry = _sub(root, "entry")
        permalink = item_permalink(hit.id)
        meeting = hit.meeting or {}
        item = f"pkt. {hit.number}: {hit.title}" if hit.number else hit.title
        _sub(entry, "id", permalink)
        _sub(entry, "title", f"{meeting.get('body')} – {item}" if meeting.get("body") else item)
        _sub(entry, "link", rel="alternate", type="text/html", href=permalink)
        _sub(entry, "updated", stamp or now)
        if hit.date:
            _sub(entry, "published", _rfc3339(hit.date))
        for name in hit.presenters:
            person = _sub(entry, "author")
            _sub(person, "name", name)
        for slug in hit.outcomes:
            _sub(entry, "category", term=slug, label=outcome_label(slug))
        summary = strip_marks(hit.snippet or "").strip()
        where = meeting_label(meeting.get("body", ""), meeting.get("number", ""))
        head = f"{where}, {danish_date(hit.date)}."
        if hit.presenters:
            head += f" Fremlagt af {', '.join(hit.presenters)}."
        _sub(entry, "summary", f"{head} {summary}".strip(), type="text")
    xml = ET.tostring(root, encoding="unicode", xml_declaration=False)
    body = '<?xml version="1.0" encoding="utf-8"?>\n' + xml
    return Response(body, mimetype="application/atom+xml")
