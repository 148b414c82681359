"""Search requests: parameter parsing and validation, running the engine, shaping results.

``parse_request(params)`` turns web/API/CLI parameters into a
:class:`index.model.SearchRequest` (or raises :class:`ParameterError` naming the
parameter; the web answers 400).  ``search(engine, request)`` returns a
:class:`index.model.SearchResponse` ready to print as JSON or render.
"""
from __future__ import annotations

import datetime as dt
import heapq
import re
from typing import Any, Mapping

from archive.errors import ArkivError
from index import query as q
from index.model import FACETS, SORTS, FacetValue, Filters, Hit, SearchRequest, SearchResponse

MAX_QUERY_LEN = 500
MAX_PER_PAGE = 100
MAX_PAGE = 10_000
MAX_VALUES = 50          # values per repeatable parameter
MAX_CASE_LEN = 60
SUGGEST_BELOW = 2            # "did you mean" only for queries with fewer hits than this
SUGGEST_WORDS = 8            # ... and for its first words only (each costs a term-list walk)
FACET_LIMIT = {"presenter": 30, "body": 30, "outcome": 0, "year": 0}   # 0 = all


def _outcomes() -> dict[str, str]:
    try:
        from archive.parse.outcome import OUTCOMES
    except ImportError:  # pragma: no cover - the parser module is missing
        return {}
    return dict(OUTCOMES)


class ParameterError(ArkivError):
    """A request parameter has a bad value.  ``param`` names it (for a 400 answer)."""

    def __init__(self, param: str, message: str):
        self.param = param
        self.message = message
        super().__init__(f"{param}: {message}")


# --------------------------------------------------------------------------- parsing
def _values(params: Mapping[str, Any], name: str) -> list[str]:
    if hasattr(params, "getlist"):          # werkzeug MultiDict
        raw = params.getlist(name)
    else:
        raw = params.get(name)
    if raw is None:
        return []
    if isinstance(raw, (list, tuple)):
        vals = list(raw)
    else:
        vals = [raw]
    out = []
    for v in vals:
        if v is None:
            continue
        if not isinstance(v, str):
            v = str(v)
        v = v.strip()
        if v:
            out.append(v)
    if len(out) > MAX_VALUES:
        raise ParameterError(name, f"højst {MAX_VALUES} værdier")
    return list(dict.fromkeys(out))


def _single(params: Mapping[str, Any], name: str) -> str | None:
    vals = _values(params, name)
    if not vals:
        return None
    if len(vals) > 1:
        raise ParameterError(name, "må kun angives én gang")
    return vals[0]


def _int(name: str, value: str, lo: int, hi: int) -> int:
    if not re.fullmatch(r"[+-]?\d{1,9}", value):
        raise ParameterError(name, f"{value!r} er ikke et helt tal")
    n = int(value)
    if not lo <= n <= hi:
        raise ParameterError(name, f"skal være mellem {lo} og {hi}, ikke {n}")
    return n


def _date(name: str, value: str) -> dt.date:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ParameterError(name, f"{value!r} er ikke en dato (ÅÅÅÅ-MM-DD)")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ParameterError(name, f"{value!r} er ikke en gyldig dato") from None


def parse_request(params: Mapping[str, Any]) -> SearchRequest:
    """Validate web/API parameters into a SearchRequest; raise ParameterError on bad values."""
    req = SearchRequest()
    query = params.get("q")                 # a MultiDict gives the first value
    if isinstance(query, (list, tuple)):
        query = " ".join(str(x) for x in query if x is not None)
    query = "" if query is None else str(query)
    if len(query) > MAX_QUERY_LEN:
        raise ParameterError("q", f"søgningen er længere end {MAX_QUERY_LEN} tegn")
    if "\x00" in query:
        query = query.replace("\x00", " ")
    req.q = query.strip()

    req.presenter = _values(params, "presenter")
    outcomes = _values(params, "outcome")
    known = _outcomes()
    for slug in outcomes:
        if known and slug not in known:
            raise ParameterError("outcome", f"ukendt udfald {slug!r} (kendte: {', '.join(known)})")
    req.outcome = outcomes
    req.body = _values(params, "body")
    req.year = list(dict.fromkeys(_int("year", v, 1, 9999) for v in _values(params, "year")))
    req.meeting = _values(params, "meeting")
    cases = _values(params, "case") + q.take_filters(req.q)[1].get("case", [])
    for case in cases:
        if len(case) > MAX_CASE_LEN:
            raise ParameterError("case", f"et sagsnummer har højst {MAX_CASE_LEN} tegn")
    req.case = list(dict.fromkeys(cases))[:MAX_VALUES]

    date_from = _single(params, "from")
    date_to = _single(params, "to")
    req.date_from = _date("from", date_from) if date_from else None
    req.date_to = _date("to", date_to) if date_to else None
    if req.date_from and req.date_to and req.date_from > req.date_to:
        raise ParameterError("from", f"{req.date_from} ligger efter til-datoen ({req.date_to})")

    sort = _single(params, "sort") or "relevance"
    if sort not in SORTS:
        raise ParameterError("sort", f"{sort!r} er ikke en af {', '.join(SORTS)}")
    req.sort = sort
    page = _single(params, "page")
    req.page = _int("page", page, 1, MAX_PAGE) if page else 1
    per_page = _single(params, "per_page")
    req.per_page = _int("per_page", per_page, 1, MAX_PER_PAGE) if per_page else 20
    return req


# --------------------------------------------------------------------------- search
def _filters(request: SearchRequest) -> Filters:
    return Filters(
        presenter=list(request.presenter),
        outcome=list(request.outcome),
        body=list(request.body),
        year=list(request.year),
        meeting=list(request.meeting),
        case=list(request.case),
        date_from=request.date_from,
        date_to=request.date_to,
    )


def _hit(raw) -> Hit:
    f = raw.fields
    return Hit(
        id=f.get("id", ""),
        score=round(raw.score, 4),
        number=f.get("number", "") or "",
        title=f.get("title", "") or "",
        date=f.get("date"),
        meeting={
            "id": f.get("meeting_id", ""),
            "body": f.get("body", "") or "",
            "number": f.get("meeting_number", "") or "",
        },
        presenters=list(f.get("presenter_names") or []),
        outcomes=list(f.get("outcome_slugs") or []),
        snippet=raw.snippet,
    )


def facet_values(name: str, counts: Mapping[str, int], selected: list[str]) -> list[FacetValue]:
    """Shape one facet: count desc then label (years: newest first); selected values are
    always included (count 0 if absent).

    A common word at 100k items has thousands of presenters: pick the shown ones
    with a heap instead of building and sorting a FacetValue for every value.
    """
    labels = _outcomes() if name == "outcome" else {}
    sel = [str(s) for s in selected]
    values = dict(counts)
    for s in sel:
        values.setdefault(s, 0)
    if name == "year":
        chosen = sorted(values, key=lambda v: (-_year_key(v), v))
    else:
        def key(v: str) -> tuple:
            return (-values[v], labels.get(v, v).casefold(), v)

        limit = FACET_LIMIT.get(name, 0)
        if limit and len(values) > limit:
            chosen = heapq.nsmallest(limit, values, key=key)
            chosen += [v for v in sel if v not in chosen]
        else:
            chosen = sorted(values, key=key)
    return [FacetValue(value=v, label=labels.get(v, v), count=int(values[v]), selected=v in sel)
            for v in chosen]


def _year_key(value: str) -> int:
    try:
        return int(value)
    except ValueError:
        return -1


def suggestion_for(engine, request: SearchRequest, tree: q.AllOf, total: int) -> str | None:
    """'Did you mean': the whole query with poorly attested words replaced by a
    better-attested spelling, or None."""
    # A query with SUGGEST_BELOW or more hits has well-attested words (all must match):
    # skip the per-word dictionary look-ups.
    if not request.q or total >= SUGGEST_BELOW:
        return None
    changed = False
    out = request.q
    words = [leaf for leaf in q.positive_leaves(tree) if isinstance(leaf, q.Term)]
    for leaf in words[:SUGGEST_WORDS]:
        better = engine.suggest(leaf.text)
        if better and better != leaf.text.lower():
            pattern = re.compile(r"(?<![\w*\"-])" + re.escape(leaf.text) + r"(?![\w*])")
            new, n = pattern.subn(better.replace("\\", "\\\\"), out, count=1)
            if n:
                out, changed = new, True
    if not changed:
        return None
    # Only a suggestion that finds something for this viewer: the spelling dictionary is the
    # whole index, and a word found only in an internal meeting must not be offered to anyone
    # who may not see it (archive.visibility).
    found = engine.search(q.parse_words(out), _filters(request), limit=0, facets=(), snippets=False,
                          private=request.private)
    return out if found.total else None


def search(engine, request: SearchRequest) -> SearchResponse:
    tree = q.parse_words(request.q)          # "sag:…" is in request.case
    offset = (request.page - 1) * request.per_page
    result = engine.search(
        tree,
        _filters(request),
        sort=request.sort,
        offset=offset,
        limit=request.per_page,
        facets=FACETS if request.facets else (),
        snippets=request.snippets,
        private=request.private,
    )
    facets: dict[str, list[FacetValue]] = {}
    if request.facets:
        selected = {
            "presenter": request.presenter,
            "outcome": request.outcome,
            "body": request.body,
            "year": [str(y) for y in request.year],
        }
        for name in FACETS:
            facets[name] = facet_values(name, result.facets.get(name, {}), selected[name])
    return SearchResponse(
        query=request.q,
        total=result.total,
        results=[_hit(h) for h in result.hits],
        facets=facets,
        suggestion=suggestion_for(engine, request, tree, result.total),
        page=request.page,
        per_page=request.per_page,
    )
