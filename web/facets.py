"""The search page's state as URL parameters, and everything built from it.

Every state of the search page lives in its query string, so a search can be
bookmarked and shared.  This module turns ``request.args`` into that state,
hands it to ``index.search.parse_request`` as it is, and builds the links the
templates only render: facet values that toggle on and off (Datasette style), the
active filters with a link that drops each, sort links and pagination.  Which
parameters there are, their titles and which are facets come from the search
fields' declaration (``index.fields.SEARCH_FIELDS``).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Mapping

from flask import url_for

from index.fields import FACET_FIELDS, RANGE_FIELDS, SEARCH_FIELDS, TERM_FIELDS

from .format import danish_date

# Parameters that may repeat (one value per selected facet value) and those that may not.
MULTI = tuple(f.url_param for f in TERM_FIELDS)
RANGES = tuple(f.url_param for f in RANGE_FIELDS)
SCALAR = ("q", *RANGES, "sort", "page", "per_page")
FACET_TITLES = {f.url_param: f.label for f in FACET_FIELDS}
FILTER_TITLES = {f.url_param: f.label for f in SEARCH_FIELDS}
_FIELD_OF_PARAM = {f.url_param: f for f in SEARCH_FIELDS}
SORT_LABELS = {"relevance": "relevans", "newest": "nyeste", "oldest": "ældste"}
FACET_VISIBLE = 8   # values shown before "Vis flere"
# The order of parameters in every URL we build: stable, readable links.
URL_ORDER = ("q", *MULTI, *RANGES, "sort", "page", "per_page")

State = dict[str, Any]   # param → str (SCALAR) or list[str] (MULTI); absent when empty


def state_from_args(args) -> State:
    """The known, non-empty parameters of a request (``werkzeug.MultiDict``)."""
    state: State = {}
    for name in MULTI:
        values = [v.strip() for v in args.getlist(name) if v.strip()]
        if values:
            state[name] = list(dict.fromkeys(values))
    for name in SCALAR:
        values = [v if name == "q" else v.strip() for v in args.getlist(name)]
        values = [v for v in values if v.strip()]
        if len(values) == 1:
            state[name] = values[0]
        elif values:
            state[name] = values        # given twice: the search layer says which one is wrong
    return state


def query_text(state: State) -> str:
    """The search words; "q" given twice (kept for the search layer to reject) reads as one."""
    q = state.get("q", "")
    return " ".join(q) if isinstance(q, list) else q


def has_filters(state: State) -> bool:
    return any(name in state for name in (*MULTI, *RANGES))


def state_url(state: State, endpoint: str = "search.index", **changes: Any) -> str:
    """The URL of ``state`` with ``changes`` applied (None removes a parameter)."""
    new = dict(state)
    for key, value in changes.items():
        if value is None or value == [] or value == "":
            new.pop(key, None)
        else:
            new[key] = value
    return url_for(endpoint, **ordered_params(new))


def ordered_params(state: State) -> State:
    return {k: state[k] for k in URL_ORDER if k in state}


def toggle(state: State, param: str, value: str) -> State:
    """``state`` with ``value`` added to or removed from ``param``; back to page 1."""
    values = list(state.get(param, []))
    if value in values:
        values.remove(value)
    else:
        values.append(value)
    new = {k: v for k, v in state.items() if k not in (param, "page")}
    if values:
        new[param] = values
    return new


@dataclass
class FacetLink:
    value: str
    label: str
    count: int
    selected: bool
    url: str                  # the URL that toggles this value


@dataclass
class FacetGroup:
    name: str                 # the URL parameter
    title: str                # "Fremlagt af"
    values: list[FacetLink] = field(default_factory=list)

    @property
    def shown(self) -> list[FacetLink]:
        """The first values, and every selected one, always visible."""
        head = self.values[:FACET_VISIBLE]
        return head + [v for v in self.values[FACET_VISIBLE:] if v.selected]

    @property
    def more(self) -> list[FacetLink]:
        return [v for v in self.values[FACET_VISIBLE:] if not v.selected]


def facet_label(name: str, value: str, label: str = "") -> str:
    """A value's label in the facet or filter of URL parameter ``name`` (outcome slugs in Danish)."""
    field = _FIELD_OF_PARAM.get(name)
    if field is not None and field.value_label:
        return label if label and label != value else field.label_of(value)
    return label or value


def build_facets(facets: Mapping[str, Iterable[Any]], state: State,
                 endpoint: str = "search.index") -> list[FacetGroup]:
    """Facet groups in a fixed order, each value with the URL that toggles it.

    ``facets`` is ``SearchResponse.facets`` (field name → list of FacetValue).  A selected
    value that the response does not list (it matched nothing) is still shown,
    with count 0, so it can be switched off.
    """
    groups = []
    for facet in FACET_FIELDS:
        name, title = facet.url_param, facet.label
        selected = list(state.get(name, []))
        links: list[FacetLink] = []
        seen: set[str] = set()
        for fv in facets.get(facet.name, []) or []:
            value = str(fv.value)
            seen.add(value)
            links.append(FacetLink(
                value=value,
                label=facet_label(name, value, getattr(fv, "label", "")),
                count=fv.count,
                selected=value in selected,
                url=state_url(toggle(state, name, value), endpoint),
            ))
        for value in selected:
            if value not in seen:
                links.append(FacetLink(value, facet_label(name, value), 0, True,
                                       state_url(toggle(state, name, value), endpoint)))
        if links:
            groups.append(FacetGroup(name, title, links))
    return groups


@dataclass
class ActiveFilter:
    param: str
    title: str                # "Fremlagt af"
    label: str                # "Gert Sørensen"
    remove_url: str


def active_filters(state: State, endpoint: str = "search.index",
                   meeting_label: Callable[[str], str] | None = None) -> list[ActiveFilter]:
    out = []
    for name in MULTI:
        for value in state.get(name, []):
            if name == "meeting" and meeting_label:
                label = meeting_label(value)
            else:
                label = facet_label(name, value)
            out.append(ActiveFilter(name, FILTER_TITLES[name], label,
                                    state_url(toggle(state, name, value), endpoint)))
    for name in RANGES:
        if name in state:
            label = danish_date(state[name], missing=state[name])
            out.append(ActiveFilter(name, FILTER_TITLES[name], label,
                                    state_url(state, endpoint, **{name: None, "page": None})))
    return out


def without_filters_url(state: State, endpoint: str = "search.index") -> str:
    return state_url({k: v for k, v in state.items() if k in ("q", "sort")}, endpoint)


@dataclass
class SortLink:
    value: str
    label: str
    url: str
    current: bool


def sort_links(state: State, current: str, endpoint: str = "search.index") -> list[SortLink]:
    return [SortLink(value, label, state_url(state, endpoint, sort=value, page=None), value == current)
            for value, label in SORT_LABELS.items()]


@dataclass
class PageLink:
    number: int | None        # None: a gap ("…")
    url: str = ""
    current: bool = False


@dataclass
class Pagination:
    page: int
    pages: int
    prev_url: str | None
    next_url: str | None
    links: list[PageLink]


def pagination(page: int, pages: int, url: Callable[[int], str], window: int = 2) -> Pagination | None:
    """Links to the previous, next and nearby pages; ``url(n)`` makes page n's URL."""
    if pages <= 1:
        return None
    numbers = sorted({1, pages, *range(max(1, page - window), min(pages, page + window) + 1)})
    links: list[PageLink] = []
    previous = 0
    for n in numbers:
        if n - previous > 1:
            links.append(PageLink(None))
        links.append(PageLink(n, url(n), n == page))
        previous = n
    return Pagination(
        page=page,
        pages=pages,
        prev_url=url(page - 1) if 1 < page <= pages else None,
        next_url=url(page + 1) if page < pages else None,
        links=links,
    )


def state_pager(state: State, endpoint: str = "search.index") -> Callable[[int], str]:
    return lambda n: state_url(state, endpoint, page=str(n) if n > 1 else None)
