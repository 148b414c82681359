"""Search requests: parameter parsing and validation, running the engine, shaping results.

``parse_request(params)`` turns web/API/CLI parameters into a
:class:`index.model.SearchRequest` (or raises :class:`ParameterError` naming the
parameter; the web answers 400).  ``search(engine, request)`` returns a
:class:`index.model.SearchResponse` ready to print as JSON or render.
"""
from __future__ import annotations

import dataclasses
import heapq
from typing import TYPE_CHECKING, Any, Callable, Mapping

from index import query as q
from index.fields import (
    FACET_FIELDS,
    MAX_VALUES,
    SEARCH_FIELDS,
    Match,
    Order,
    ParameterError,
    SearchField,
    iso_date,
    whole_number,
)
from index.model import FACETS, SORTS, FacetValue, Filters, SearchRequest, SearchResponse
from index.spelling import including, suggest, typed_only

if TYPE_CHECKING:
    from index.engine_api import SearchEngine

__all__ = ["ParameterError", "parse_request", "search", "facet_values"]

MAX_QUERY_LEN = 500
MAX_PER_PAGE = 100
MAX_PAGE = 10_000


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


def _filter_value(field: SearchField, params: Mapping[str, Any], taken: dict[str, list[str]]) -> Any:
    """One search field's checked value(s) from the parameters (and the query's filter words)."""
    param = field.url_param
    if field.match is Match.ANY:
        return field.check(param, _values(params, param) + taken.get(field.name, []))
    given = _single(params, param)
    return iso_date(param, given) if given else None


def parse_request(params: Mapping[str, Any]) -> SearchRequest:
    """Validate web/API/CLI parameters into a SearchRequest; raise ParameterError on bad values.

    ``params``: a werkzeug MultiDict, the web's URL state or a dict of str / list[str]; the
    filters are read field by field as :data:`index.fields.SEARCH_FIELDS` declares them."""
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

    taken = q.take_filters(req.q)[1]        # "sag:…" in the query: its field's values too
    req.filters = Filters(**{f.name: _filter_value(f, params, taken) for f in SEARCH_FIELDS})
    if req.filters.date_from and req.filters.date_to and req.filters.date_from > req.filters.date_to:
        raise ParameterError("from", f"{req.filters.date_from} ligger efter til-datoen ({req.filters.date_to})")

    sort = _single(params, "sort") or "relevance"
    if sort not in SORTS:
        raise ParameterError("sort", f"{sort!r} er ikke en af {', '.join(SORTS)}")
    req.sort = sort
    page = _single(params, "page")
    req.page = whole_number("page", page, 1, MAX_PAGE) if page else 1
    per_page = _single(params, "per_page")
    req.per_page = whole_number("per_page", per_page, 1, MAX_PER_PAGE) if per_page else 20
    return req


# --------------------------------------------------------------------------- search
def merged_bodies(request: SearchRequest, merged_into: Callable[[str], str | None]) -> SearchRequest:
    """``request`` with each body it filters on that an editor merged into another body
    (archive.store.aliases; ``merged_into`` is the store's) replaced by that body: a link, a
    bookmark or a follow of the old name finds the meetings where they are now."""
    bodies = request.filters.body
    resolved = list(dict.fromkeys(merged_into(b) or b for b in bodies))
    if resolved == bodies:
        return request
    return dataclasses.replace(request, filters=Filters(**{**request.filters.values, "body": resolved}))


def facet_values(field: SearchField, counts: Mapping[str, int], selected: list[str]) -> list[FacetValue]:
    """Shape one facet as its field declares: count desc then label (or newest first, for
    years), at most its limit of values; selected values are always included (count 0 if absent).

    A common word at 100k items has thousands of presenters: pick the shown ones
    with a heap instead of building and sorting a FacetValue for every value.
    """
    sel = [str(s) for s in selected]
    values = dict(counts)
    for s in sel:
        values.setdefault(s, 0)
    if field.order is Order.NEWEST:
        chosen = sorted(values, key=lambda v: (-_year_key(v), v))
    else:
        def key(v: str) -> tuple:
            return (-values[v], field.label_of(v).casefold(), v)

        limit = field.facet_limit or 0
        if limit and len(values) > limit:
            chosen = heapq.nsmallest(limit, values, key=key)
            chosen += [v for v in sel if v not in chosen]
        else:
            chosen = sorted(values, key=key)
    return [FacetValue(value=v, label=field.label_of(v), count=int(values[v]), selected=v in sel)
            for v in chosen]


def _year_key(value: str) -> int:
    try:
        return int(value)
    except ValueError:
        return -1


def search(engine: SearchEngine, request: SearchRequest) -> SearchResponse:
    tree = q.parse_words(request.q)          # "sag:…" is in request.filters.case
    offset = (request.page - 1) * request.per_page
    result = engine.search(
        tree,
        request.filters,
        sort=request.sort,
        offset=offset,
        limit=request.per_page,
        facets=FACETS if request.facets else (),
        snippets=request.snippets,
        private=request.private,
    )
    spelling = suggest(engine, request, tree, result.total)
    typed_query = typed_total = None
    if spelling is not None and spelling.included:
        # A far more frequent spelling beside the typed word: the results include it (with a notice).
        typed_query, typed_total = typed_only(request.q, spelling.words), result.total
        result = engine.search(including(tree, spelling.words), request.filters, sort=request.sort, offset=offset,
                               limit=request.per_page, facets=FACETS if request.facets else (),
                               snippets=request.snippets, private=request.private)
    facets: dict[str, list[FacetValue]] = {}
    if request.facets:
        for field in FACET_FIELDS:
            selected = [str(v) for v in getattr(request.filters, field.name)]
            facets[field.name] = facet_values(field, result.facets.get(field.name, {}), selected)
    return SearchResponse(
        query=request.q,
        total=result.total,
        results=result.hits,
        facets=facets,
        suggestion=spelling.query if spelling else None,
        suggestion_total=spelling.total if spelling else None,
        typed_query=typed_query,
        typed_total=typed_total,
        page=request.page,
        per_page=request.per_page,
    )
