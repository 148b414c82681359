"""The JSON API: the same search as the page, items and meetings by id.

``/api/search`` returns exactly ``SearchResponse.to_json()`` (what ``arkiv search
--json`` prints); ``/api/items/<id>`` the export record (``archive.export.item_record``);
``/api/meetings/<id>`` ``Meeting.to_dict()``.  Errors: see web.errors.
"""
from __future__ import annotations

from flask import Blueprint, abort, jsonify, request

from archive.export import item_record

from .access import visible_item, visible_meeting
from .facets import state_from_args
from .search import run_search

bp = Blueprint("api", __name__, url_prefix="/api")


@bp.get("/search")
def search():
    _req, response = run_search(state_from_args(request.args))
    return jsonify(response.to_json())


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
