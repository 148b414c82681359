"""Errors as answers: 400 naming the parameter, 404 for unknown ids, never a bare 500.

Under ``/api/`` (and for ``.json`` downloads) errors are JSON::

    {"error": {"parameter": "from", "message": "..."}}

elsewhere a friendly Danish page with the search form still usable.
"""
from __future__ import annotations

import logging

from flask import Flask, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from archive.errors import ArkivError, disk_full

log = logging.getLogger(__name__)

TITLES = {
    400: "Forkert forespørgsel",
    401: "Log ind",
    403: "Ingen adgang",
    404: "Siden findes ikke",
    405: "Metoden er ikke tilladt",
    413: "Forespørgslen er for stor",
    429: "For mange forsøg",
    414: "Adressen er for lang",
    431: "Forespørgslen er for stor",
    500: "Der opstod en fejl",
    503: "Arkivet er ikke tilgængeligt lige nu",
    507: "Disken er fuld",
}
MESSAGES = {
    400: "Forespørgslen kunne ikke forstås.",
    404: "Vi kunne ikke finde det, du ledte efter. Prøv at søge efter det.",
    403: "Siden er kun for redaktører.",
    405: "Den adresse kan ikke bruges sådan.",
    413: "Filerne er for store til at blive sendt på én gang. Send færre ad gangen.",
    500: "Der opstod en uventet fejl. Prøv igen, eller søg efter noget andet.",
    507: "Serverens disk er fuld, så arkivet kan ikke gemme noget lige nu. Prøv igen senere.",
}


# What a person sees on an HTML page for a bad parameter (the JSON API keeps the
# search layer's own message, which names the value).
PARAM_MESSAGES = {
    "q": "Søgningen er for lang. Skriv højst 500 tegn.",
    "from": "Fra-datoen kan ikke bruges. Skriv en gyldig dato (ÅÅÅÅ-MM-DD), der ikke ligger efter til-datoen.",
    "to": "Til-datoen kan ikke bruges. Skriv en gyldig dato (ÅÅÅÅ-MM-DD).",
    "page": "Sidetallet skal være et helt tal fra 1 og op.",
    "per_page": "Antal resultater pr. side skal være et helt tal mellem 1 og 100.",
    "sort": "Ukendt sortering. Vælg relevans, nyeste eller ældste.",
    "outcome": "Ukendt udfald.",
    "year": "Året skal være et helt tal, fx 2018.",
    "presenter": "For mange oplægsholdere valgt på én gang.",
    "body": "For mange organer valgt på én gang.",
    "meeting": "For mange møder valgt på én gang.",
    "case": "Sagsnummeret kan ikke bruges: højst 60 tegn, og højst 50 sager på én gang.",
}


def danish_message(param: str | None, fallback: str) -> str:
    return PARAM_MESSAGES.get(param or "", fallback)


class BadParameter(ArkivError):
    """A web parameter the search layer does not see (e.g. a path segment)."""

    def __init__(self, param: str, message: str):
        super().__init__(message)
        self.param = param
        self.message = message


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.path.endswith(".json")


def error_message(exc: BaseException) -> str:
    return getattr(exc, "message", None) or str(exc)


def json_error(status: int, message: str, parameter: str | None = None):
    body = {"message": message} if parameter is None else {"parameter": parameter, "message": message}
    response = jsonify({"error": body})
    response.status_code = status
    return response


def html_error(status: int, message: str | None = None, parameter: str | None = None):
    return render_template(
        "error.html",
        status=status,
        title=TITLES.get(status, "Fejl"),
        message=message or MESSAGES.get(status, ""),
        parameter=parameter,
    ), status


def register(app: Flask) -> None:
    @app.errorhandler(ArkivError)
    def arkiv_error(exc: ArkivError):
        param = getattr(exc, "param", None)
        if param is None:
            log.exception("arkiv error while serving %s", request.path)
            status, message = 500, MESSAGES[500]
        else:
            status, message = 400, error_message(exc)
        if wants_json():
            return json_error(status, message, param)
        return html_error(status, danish_message(param, message), param)

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        status = exc.code or 500
        # Our own description (abort(404, description=...)) is Danish; Werkzeug's default is not.
        own = exc.description if exc.description != type(exc).description else None
        generic = MESSAGES.get(status) or TITLES.get(status, "Fejl")
        if wants_json():
            return json_error(status, own or generic)
        return html_error(status, generic)

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):
        if isinstance(exc, HTTPException):  # pragma: no cover - handled above
            return http_error(exc)
        full = disk_full(exc)
        if full:
            log.error("%s while serving %s", full, request.path)
            if wants_json():
                return json_error(507, MESSAGES[507])
            return html_error(507)
        log.exception("unexpected error while serving %s", request.path)
        if app.testing:
            raise exc  # let a test see the real traceback
        if wants_json():
            return json_error(500, MESSAGES[500])
        return html_error(500)
