"""The JSON API: the same search as the page, items and meetings by id.

``/api/search`` returns ``SearchResponse.to_json()`` (what ``arkiv search --json`` prints) with,
as Datasette's facets have, each facet value's ``toggle_url``: this search with the value
switched on or off (a command line has no URLs, so only here); ``/api/items/<id>`` the export record (``archive.export.item_record``);
``/api/meetings/<id>`` ``Meeting.to_dict()``; ``/api/organer/<body>``, ``/api/sager/<case>`` and
``/api/personer/<name>`` the data of their pages (web.profiles).  Errors: see web.errors.
"""
from __future__ import annotations

from flask import Blueprint, abort, jsonify, redirect, request, url_for

from archive.export import item_record
from index.fields import FACET_FIELDS

from .access import visible_item, visible_meeting
from .facets import state_from_args, state_url, toggle
from .profiles import body_profile, case_profile, page_number, person_profile
from .search import run_search
from .state import get_store

bp = Blueprint("api", __name__, url_prefix="/api")


@bp.get("/search")
def search():
    state = state_from_args(request.args)
    _req, response = run_search(state)
    data = response.to_json()
    for field in FACET_FIELDS:
        for value in data["facets"].get(field.name, []):
            value["toggle_url"] = state_url(toggle(state, field.url_param, str(value["value"])), "api.search")
    return jsonify(data)


@bp.get("/items/<item_id>")
def item(item_id: str):
    found = visible_item(item_id)
    if found is None:
        abort(404, description=f"intet dagsordenspunkt med id {item_id!r}")
    return jsonify(item_record(*found))


@bp.get("/meetings/<meeting_id>")
def meeting(meeting_id: str):
    found = visible_meeting(meeting_id)
    if found is None:
        abort(404, description=f"intet møde med id {meeting_id!r}")
    return jsonify(found.to_dict())


@bp.get("/organer/<path:body>")
def body(body: str):
    found = body_profile(body, page_number(request.args))
    merged = get_store().merged_into(body) if found is None else None
    if merged is not None:
        return redirect(url_for("api.body", body=merged))
    if found is None or found["page"] > found["pages"]:
        abort(404, description=f"intet organ med navnet {body!r}")
    return jsonify(found)


@bp.get("/sager/<path:case>")
def case(case: str):
    found = case_profile(case)
    if found is None:
        abort(404, description=f"ingen sag med nummeret {case!r}")
    return jsonify(found)


@bp.get("/personer/<path:name>")
def person(name: str):
    found = person_profile(name, page_number(request.args))
    if found is None:
        abort(404, description=f"ingen person med navnet {name!r}")
    return jsonify(found)
