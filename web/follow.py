"""The pages of what people follow: a body, a case, a person (their data: web.profiles).

``/organer/<body>``, ``/sager/<case>``, ``/personer/<name>``; the same data as JSON at
``/api/organer/<body>`` … (web.api).  ``/person/<name>``, the presenter page before these,
shows the person page too, so old links keep working.
"""
from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for

from .facets import pagination
from .profiles import body_profile, case_profile, page_number, person_profile
from .state import get_store

bp = Blueprint("follow", __name__)


@bp.get("/organer/<path:body>")
def body(body: str):
    page = page_number(request.args)
    data = body_profile(body, page)
    if data is None:
        merged = get_store().merged_into(body)      # a name an editor merged into another body
        if merged is not None:
            return redirect(url_for("follow.body", body=merged))
    if data is None or page > data["pages"]:
        abort(404)
    pager = pagination(page, data["pages"], lambda n: url_for("follow.body", body=body, page=n if n > 1 else None))
    return render_template("follow_body.html", data=data, pagination=pager, aliases=get_store().body_aliases(body))


@bp.get("/sager/<path:case>")
def case(case: str):
    data = case_profile(case)
    if data is None:
        abort(404)
    return render_template("follow_case.html", data=data)


@bp.get("/personer/<path:name>")
def person(name: str):
    page = page_number(request.args)
    data = person_profile(name, page)
    if data is None:
        abort(404)
    presented = data["presented"]
    pager = pagination(page, presented["pages"],
                       lambda n: url_for("follow.person", name=name, page=n if n > 1 else None))
    return render_template("follow_person.html", data=data, pagination=pager,
                           beyond=page > 1 and page > presented["pages"])
