"""Merging bodies on the web (editors): one body's meetings go to another, its name kept as an
alias of that one (archive.store.aliases), so that the next file spelling it so lands there too;
and the undo.  Both are in the audit log; the moved meetings are indexed again at once, so
searches, filters and facets show them under the body they went into.
"""
from __future__ import annotations

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for

from archive.errors import ArchiveBusyError
from archive.model import Meeting
from archive.store.bodies import body_key
from archive.store.corrections import CorrectionError

from .access import current_viewer, editor_required
from .state import get_engine, get_store

bp = Blueprint("merge", __name__)

BUSY = "Arkivet er optaget af en indlæsning lige nu. Vent lidt, og prøv igen."


def _write(change) -> list[Meeting]:
    """Run ``change(store, author)`` as the archive's one writer and index what it returns."""
    store = get_store()
    with store.write_lock(wait=current_app.config["UPLOAD_LOCK_WAIT"]):
        changed = change(store, current_viewer().name)
        if changed:
            get_engine().update(changed)
    return changed


def _others(body: str) -> list[str]:
    return [row.name for row in get_store().body_rows(internal=True) if row.name != body]


@bp.route("/organer/<path:body>/slaa-sammen", methods=["GET", "POST"])
@editor_required
def merge(body: str):
    store = get_store()
    known = {row.name for row in store.body_rows(internal=True)}
    if body not in known:
        merged = store.merged_into(body)
        if merged is None:
            abort(404)
        return redirect(url_for("follow.body", body=merged))
    error, into = None, ""
    if request.method == "POST":
        into = request.form.get("into", "")
        try:
            _write(lambda s, author: s.merge_bodies(body, into, author))
        except CorrectionError as exc:
            error = exc.message
        except ArchiveBusyError:
            error = BUSY
        if error is None:
            return redirect(url_for("follow.body", body=store.merged_into(body) or into))
    return render_template("merge_body.html", body=body, others=_others(body), into=into,
                           error=error), 400 if error else 200


@bp.post("/organer/<path:body>/adskil")
@editor_required
def unmerge(body: str):
    """Undo the merge of the name posted as ``alias`` into ``body``."""
    alias = request.form.get("alias", "")
    try:
        remade = _write(lambda s, author: s.unmerge_body(alias, author))
    except CorrectionError as exc:
        return render_template("merge_body.html", body=body, others=_others(body), into="",
                               error=exc.message), 400
    except ArchiveBusyError:
        return render_template("merge_body.html", body=body, others=_others(body), into="", error=BUSY), 400
    # To the name that is a body again, where its meetings are now (none may be: then the body's).
    back = next((m.body for m in remade if body_key(m.body) == body_key(alias)), body)
    return redirect(url_for("follow.body", body=back))
