"""Who is asking, and the store read through archive.visibility for them.

Every route that shows a stored meeting or item reads it through
:func:`visible_meeting` / :func:`visible_item` (never the store directly), and
every search goes through ``web.search.run_search``, which asks the engine for
private matches only for a signed-in viewer.  ``tests/test_web_visibility.py``
walks the app's whole url_map to hold every route to that.
"""
from __future__ import annotations

import dataclasses
import re
from functools import wraps
from typing import TYPE_CHECKING, Any, Callable

from flask import abort, g, redirect, request, url_for
from markupsafe import escape

from archive.model import AgendaItem, Meeting
from archive.text_plain import strip_marks
from archive.visibility import ANONYMOUS, PUBLIC_HIT_FIELDS, Viewer, visible
from index import query as q
from index.model import Filters, Hit, SearchRequest, SearchResponse

if TYPE_CHECKING:
    from index.engine_api import SearchEngine

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


# -- search answers as the asker may see them (a guard over whatever the engine returns) ---------

def public_hit(hit: Hit) -> Hit | None:
    """A hit as an anonymous visitor may see it: None for an internal meeting's item, a closed
    item with its public fields only and a snippet from its title.  The engine already indexes
    a closed item's private text apart (index.documents); this holds even for an index built
    under older rules or an engine that gets it wrong."""
    if hit.fields.get("internal"):
        return None
    if not hit.fields.get("closed"):
        return hit
    fields = {k: v for k, v in hit.fields.items() if k in PUBLIC_HIT_FIELDS}
    if hit.where == "meeting":        # the meeting's own text is public: only the item's is closed
        return dataclasses.replace(hit, fields=fields)
    snippet = hit.snippet if strip_marks(hit.snippet or "") == hit.title else str(escape(hit.title))
    return dataclasses.replace(hit, fields=fields, snippet=snippet, snippet_from="title")


_WORD = re.compile(r"\w+")


def new_words(query: str, suggestion: str) -> list[str]:
    """The words of a did-you-mean suggestion that the asker did not type."""
    typed = {w.casefold() for w in _WORD.findall(query)}
    return list(dict.fromkeys(w for w in _WORD.findall(suggestion) if w.casefold() not in typed))


def attested(engine: SearchEngine, word: str, private: bool) -> bool:
    """Whether ``word``, as written (a quoted search: unstemmed), is in something the asker may
    see: the spelling dictionary is the whole index, internal meetings and deleted items included."""
    found = engine.search(q.parse_words(f'"{word}"'), Filters(), limit=0, facets=(), snippets=False,
                          private=private)
    return found.total > 0


def guard_response(engine: SearchEngine, req: SearchRequest, response: SearchResponse) -> SearchResponse:
    """The engine's answer with nothing the asker may not see: hits (anonymous) through
    :func:`public_hit`, and a suggestion only if each word it offers is found, by itself, in
    what the asker may see (``q=gnorfvandplax OR budget`` must not offer a word of an internal
    meeting because "budget" finds something)."""
    results = response.results
    if not req.private:
        results = [h for h in (public_hit(hit) for hit in results) if h is not None]
    suggestion = response.suggestion
    if suggestion and not all(attested(engine, w, req.private) for w in new_words(req.q, suggestion)):
        # Its counts and the notice go with it (what the asker may see of the word is nothing).
        return dataclasses.replace(response, results=results, suggestion=None, suggestion_total=None,
                                   typed_query=None, typed_total=None)
    if results is response.results:
        return response
    return dataclasses.replace(response, results=results)
