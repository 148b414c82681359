"""Who is asking, and the store read through archive.visibility for them.

Every route that shows a stored meeting or item reads it through
:func:`visible_meeting` / :func:`visible_item` (never the store directly), and
every search goes through ``web.search.run_search``, which asks the engine for
private matches only for a signed-in viewer.  ``tests/test_web_visibility.py``
walks the app's whole url_map to hold every route to that.
"""
from __future__ import annotations

from functools import wraps
from typing import Any, Callable

from flask import abort, g, redirect, request, url_for

from archive.model import AgendaItem, Meeting
from archive.visibility import ANONYMOUS, Viewer, visible

from .state import get_store


def current_viewer() -> Viewer:
    """The signed-in user of this request (set by web.auth), or ANONYMOUS."""
    return g.get("viewer", ANONYMOUS)


def visible_meeting(meeting_id: str) -> Meeting | None:
    return visible(get_store().get_meeting(meeting_id), current_viewer())


def visible_item(item_id: str) -> tuple[AgendaItem, Meeting] | None:
    found = get_store().get_item(item_id)
    if found is None:
        return None
    meeting = visible(found[1], current_viewer())
    if meeting is None:
        return None
    item = next((it for it in meeting.items if it.id == item_id), None)
    return (item, meeting) if item is not None else None


def meeting_or_404(meeting_id: str) -> Meeting:
    meeting = visible_meeting(meeting_id)
    if meeting is None:
        abort(404)
    return meeting


def sign_in_url() -> str:
    return url_for("auth.signin", next=request.full_path.rstrip("?") if request.method == "GET" else None)


def editor_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """Editors only: anonymous visitors are sent to sign in, readers get 403."""
    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        viewer = current_viewer()
        if not viewer.signed_in:
            return redirect(sign_in_url())
        if not viewer.is_editor:
            abort(403)
        return view(*args, **kwargs)

    return wrapper
