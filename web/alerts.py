"""Following for e-mail alerts (archive.follows; the digests: arkiv.alerts, `arkiv alerts send`).

``POST /foelg`` (signed in, with the form's CSRF token) follows a search, a body, a case or a
person; ``GET /foelg`` lists what the signed-in user follows, and ``POST /foelg/stop`` (CSRF
too) ends one of their own follows; ``/afmeld/<token>`` is a follow's one-click unsubscribe link: it needs no login (the
token is the secret; several tokens joined by ".", a digest's List-Unsubscribe, end them all), and answers a mail client's RFC 8058 POST as well as a click.
"""
from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from archive.follows import ALL_SEPARATOR, KINDS, FollowError, Follows

from .access import current_viewer, sign_in_url
from .auth import csrf, safe_next
from .errors import BadParameter
from .state import get_store

bp = Blueprint("alerts", __name__)


@bp.get("/foelg")
def mine():
    viewer = current_viewer()
    if not viewer.signed_in:
        return redirect(sign_in_url())
    follows = [{"follow": f, "kind": KINDS.get(f.kind, f.kind), "url": _url_of(f.query)}
               for f in Follows(get_store().db).of_user(viewer.name)]
    return render_template("follows.html", follows=follows, stopped=request.args.get("stoppet", "")[:200])


def _url_of(query: str) -> str:
    """Where a follow's items are: the search it is (its URL state), as a link of this site."""
    return url_for("search.index") + (f"?{query}" if query else "")


@bp.post("/foelg/stop")
def stop() -> Response:
    viewer = current_viewer()
    if not viewer.signed_in:
        return redirect(sign_in_url())
    follows = Follows(get_store().db)
    found = follows.get(request.form.get("token", ""))
    if found is None or found.user_name != viewer.name:      # another's follow is not there for you
        abort(404)
    follows.remove(found.token)
    return redirect(url_for("alerts.mine", stoppet=found.label), code=303)


@bp.post("/foelg")
def follow() -> Response:
    viewer = current_viewer()
    if not viewer.signed_in:
        return redirect(sign_in_url())
    kind = request.form.get("kind", "")
    if kind not in KINDS:
        raise BadParameter("kind", f"{kind!r} er ikke en af {', '.join(KINDS)}")
    try:
        Follows(get_store().db).add(viewer.name, request.form.get("email", ""), kind, request.form.get("target", ""),
                                    request.form.get("label", "") or KINDS[kind])
    except FollowError as exc:
        raise BadParameter("email" if "e-mail" in str(exc) else "target", str(exc)) from None
    return redirect(safe_next(request.form.get("next")) + ("&" if "?" in (request.form.get("next") or "") else "?")
                    + "fulgt=1", code=303)


@bp.route("/afmeld/<token>", methods=["GET", "POST"])
@csrf.exempt
def unsubscribe(token: str):
    """One follow's token, or several joined by "." (a digest's List-Unsubscribe: all its follows)."""
    follows = Follows(get_store().db)
    found = [f for t in dict.fromkeys(token.split(ALL_SEPARATOR)[:50]) if t and (f := follows.get(t)) is not None]
    if not found:
        abort(404)
    for follow in found:
        follows.remove(follow.token)
    return render_template("unsubscribed.html", follows=[{"follow": f, "kind": KINDS.get(f.kind, f.kind)}
                                                         for f in found])
