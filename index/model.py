"""Plain-data shapes of a search: the request, a hit, a facet value, the response.

The CLI prints ``SearchResponse.to_json()``; the web templates render these
objects as they are; nothing here knows about the engine behind them.
The JSON field names are a public contract (``arkiv search --json`` and
``/api/search``): keep them stable.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

SORTS = ("relevance", "newest", "oldest")
FACETS = ("presenter", "outcome", "body", "year")


@dataclass
class SearchRequest:
    q: str = ""
    presenter: list[str] = field(default_factory=list)
    outcome: list[str] = field(default_factory=list)    # outcome slugs
    body: list[str] = field(default_factory=list)
    year: list[int] = field(default_factory=list)
    meeting: list[str] = field(default_factory=list)    # meeting ids
    case: list[str] = field(default_factory=list)       # case numbers (``case=``, ``sag:`` in the query)
    date_from: dt.date | None = None
    date_to: dt.date | None = None
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
class Hit:
    id: str
    score: float
    number: str
    title: str
    date: str | None                 # ISO date of the meeting
    meeting: dict[str, Any]          # {"id", "body", "number"}
    presenters: list[str]
    outcomes: list[str]              # slugs
    snippet: str                     # HTML: escaped text, only <mark> added


@dataclass
class SearchResponse:
    query: str
    total: int
    results: list[Hit]
    facets: dict[str, list[FacetValue]]
    suggestion: str | None = None
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
            "results": [dataclasses.asdict(hit) for hit in self.results],
            "facets": {
                name: [dataclasses.asdict(v) for v in values] for name, values in self.facets.items()
            },
            "suggestion": self.suggestion,
        }
