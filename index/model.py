"""Plain-data shapes of a search: the request, a hit, a facet value, the response;
and what an engine (index.engine_api) takes and gives: filters, raw hits, results.

The CLI prints ``SearchResponse.to_json()``; the web templates render these
objects as they are; nothing here knows about the engine behind them.
The JSON field names are a public contract (``arkiv search --json`` and
``/api/search``): keep them stable.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

SORTS = ("relevance", "newest", "oldest")
# The facets, declared once: each is counted over the whole result set by every engine,
# filtered by a list in Filters, and shown by the web (web.facets) in this order.
FACETS = ("presenter", "outcome", "body", "year")
SEP = ","                       # what never stands inside a presenter's name in the index


def clean_name(value: str) -> str:
    """A presenter's name as the index keeps it (one line, no separator)."""
    return " ".join(value.replace(SEP, " ").split())


def case_term(value: str) -> str:
    """A case number as the index keeps it: one lower-case term."""
    return " ".join(value.split()).lower()


@dataclass
class Filters:
    """Engine-neutral filters: OR within one list, AND across lists."""
    presenter: list[str] = field(default_factory=list)
    outcome: list[str] = field(default_factory=list)
    body: list[str] = field(default_factory=list)
    year: list[int] = field(default_factory=list)
    meeting: list[str] = field(default_factory=list)
    case: list[str] = field(default_factory=list)        # case numbers ("EMN-2025-003383"), any case
    date_from: dt.date | None = None
    date_to: dt.date | None = None

    def is_empty(self) -> bool:
        return not (self.presenter or self.outcome or self.body or self.year or self.meeting or self.case
                    or self.date_from or self.date_to)

    def term_clauses(self) -> list[tuple[str, list[str]]]:
        """(field, values) per active facet filter: OR within, AND across.  The fields are
        the facets' names, ``meeting_id`` and ``case_number``."""
        clauses = [
            ("presenter", [clean_name(p) for p in self.presenter]),
            ("outcome", self.outcome),
            ("body", self.body),
            ("year", [str(y) for y in self.year]),
            ("meeting_id", self.meeting),
            ("case_number", [case_term(c) for c in self.case]),
        ]
        return [(field, list(dict.fromkeys(str(v) for v in values))) for field, values in clauses if values]

    def day_range(self) -> tuple[int, int | None] | None:
        """(lo, hi) day numbers, hi None = open; lo is at least 1 since 0 marks undated items."""
        if not (self.date_from or self.date_to):
            return None
        lo = self.date_from.toordinal() if self.date_from else 1
        return lo, self.date_to.toordinal() if self.date_to else None


@dataclass
class RawHit:
    """One hit as an engine returns it: ``fields`` holds the item's stored fields (id,
    meeting_id, meeting_number, date, number, title, body, presenter_names,
    outcome_slugs, description, recommendation, minutes, and for a private search
    ``private``)."""
    docnum: int
    score: float
    fields: dict[str, Any]
    snippet: str = ""            # HTML: escaped text, only <mark> added


@dataclass
class EngineResult:
    total: int
    hits: list[RawHit]
    facets: dict[str, Counter]   # facet name -> value -> count over the whole result set


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
