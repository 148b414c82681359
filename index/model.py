"""Plain-data shapes of a search, one per concept: the request (with its filters), a hit,
a facet value, the response; and what an engine (index.engine_api) gives back.

One request shape from URL to engine: ``index.search.parse_request`` makes a
:class:`SearchRequest` whose :class:`Filters` the engine is handed as they are.  One hit
shape: an engine's :class:`Hit` (its stored fields) is what the response holds, the CLI
prints and the web's view (``web.present.HitView``) is made from.  Filters and facets come
from the declaration in :mod:`index.fields`.

The JSON field names are a public contract (``arkiv search --json`` and ``/api/search``):
keep them stable.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from index.fields import BY_NAME, FACET_FIELDS, RANGE_FIELDS, SEP, TERM_FIELDS, Match, case_term, clean_name

__all__ = ["SORTS", "FACETS", "SEP", "clean_name", "case_term", "Filters", "Hit", "EngineResult", "SearchRequest",
           "FacetValue", "SearchResponse"]

SORTS = ("relevance", "newest", "oldest")
# The facets (index.fields): each is counted over the whole result set by every engine,
# filtered by its values in Filters, and shown by the web (web.facets) in this order.
FACETS = tuple(f.name for f in FACET_FIELDS)


class Filters:
    """Engine-neutral filters, by the names of :data:`index.fields.SEARCH_FIELDS`: OR within
    one field's values, AND across fields; ``date_from``/``date_to`` bound the date.

    ``Filters(presenter=["Jens Hansen"], year=[2022], date_from=dt.date(2023, 1, 1))``;
    ``filters.presenter`` reads a field's values (``[]``, or None for a date, when not given).
    """

    __slots__ = ("values",)

    def __init__(self, **values: Any):
        unknown = set(values) - set(BY_NAME)
        if unknown:
            raise TypeError(f"unknown filters {sorted(unknown)}")
        self.values: dict[str, Any] = {}
        for name, value in values.items():
            if BY_NAME[name].match is Match.ANY:
                if value:
                    self.values[name] = list(value)
            elif value is not None:
                self.values[name] = value

    def __getattr__(self, name: str) -> Any:
        if name in BY_NAME:
            return self.values.get(name, [] if BY_NAME[name].match is Match.ANY else None)
        raise AttributeError(name)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Filters) and self.values == other.values

    def __repr__(self) -> str:
        return f"Filters({', '.join(f'{k}={v!r}' for k, v in self.values.items())})"

    def is_empty(self) -> bool:
        return not self.values

    def term_clauses(self) -> list[tuple[str, list[str]]]:
        """(index field, terms) per active term filter: OR within, AND across."""
        return [(f.index_field, list(dict.fromkeys(f.term(str(v)) for v in self.values[f.name])))
                for f in TERM_FIELDS if f.name in self.values]

    def day_range(self) -> tuple[int, int | None] | None:
        """(lo, hi) day numbers, hi None = open; lo is at least 1 since 0 marks undated items."""
        bounds: dict[Match, dt.date] = {f.match: self.values[f.name] for f in RANGE_FIELDS if f.name in self.values}
        if not bounds:
            return None
        lo = bounds[Match.FROM].toordinal() if Match.FROM in bounds else 1
        return lo, bounds[Match.TO].toordinal() if Match.TO in bounds else None


@dataclass
class Hit:
    """One hit as an engine found it: ``fields`` holds the item's stored fields (id,
    meeting_id, meeting_number, date, number, title, body, presenter_names, outcome_slugs,
    description, recommendation, minutes, and for a private search ``private``).  The
    properties are what a result shows; :meth:`to_json` is its public JSON."""
    docnum: int
    score: float
    fields: dict[str, Any]
    snippet: str = ""            # HTML: escaped text, only <mark> added
    snippet_from: str = ""       # the stored field the snippet quotes (index.documents.SNIPPET_FIELDS)

    JSON_FIELDS = ("id", "score", "number", "title", "date", "meeting", "presenters", "outcomes", "snippet", "where")

    @property
    def id(self) -> str:
        return self.fields.get("id", "")

    @property
    def number(self) -> str:
        return self.fields.get("number", "") or ""

    @property
    def title(self) -> str:
        return self.fields.get("title", "") or ""

    @property
    def date(self) -> str | None:
        """ISO date of the meeting."""
        return self.fields.get("date")

    @property
    def meeting(self) -> dict[str, Any]:
        """{"id", "body", "number"} of the item's meeting."""
        f = self.fields
        return {"id": f.get("meeting_id", ""), "body": f.get("body", "") or "", "number": f.get("meeting_number", "") or ""}

    @property
    def where(self) -> str:
        """"meeting" when what was found is the meeting's own text beside the item (its
        introduction, attendance or closing: index.documents), else "item"."""
        return "meeting" if self.snippet_from == "around" else "item"

    @property
    def presenters(self) -> list[str]:
        return list(self.fields.get("presenter_names") or [])

    @property
    def outcomes(self) -> list[str]:
        """Outcome slugs."""
        return list(self.fields.get("outcome_slugs") or [])

    def to_json(self) -> dict[str, Any]:
        shown = {name: getattr(self, name) for name in self.JSON_FIELDS}
        shown["score"] = round(self.score, 4)
        return shown


@dataclass
class EngineResult:
    total: int
    hits: list[Hit]
    facets: dict[str, Counter]   # facet name -> value -> count over the whole result set


@dataclass
class SearchRequest:
    q: str = ""
    filters: Filters = field(default_factory=Filters)
    sort: str = "relevance"
    page: int = 1
    per_page: int = 20
    snippets: bool = True
    facets: bool = True
    # Signed-in users' searches: closed items' case text and internal meetings too
    # (archive.visibility).  Never a URL parameter: the caller sets it from who asks.
    private: bool = False


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool = False


@dataclass
class SearchResponse:
    query: str
    total: int
    results: list[Hit]
    facets: dict[str, list[FacetValue]]
    suggestion: str | None = None
    # What the suggestion finds; and, where the results include it (a far more frequent
    # spelling beside a typed word that finds something: index.spelling), the query of only what
    # was typed (its words quoted) and what it finds (else None).
    suggestion_total: int | None = None
    typed_query: str | None = None
    typed_total: int | None = None
    page: int = 1
    per_page: int = 20

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    def to_json(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "total": self.total,
            "page": self.page,
            "per_page": self.per_page,
            "results": [hit.to_json() for hit in self.results],
            "facets": {
                name: [dataclasses.asdict(v) for v in values] for name, values in self.facets.items()
            },
            "suggestion": self.suggestion,
            "suggestion_total": self.suggestion_total,
            "typed_query": self.typed_query,
            "typed_total": self.typed_total,
        }
