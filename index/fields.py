"""The index's fields, and the search fields and facets, declared once.

:data:`SEARCH_FIELDS` says what each filter of a search is (and, when it is a facet, its
facet): its name in the request and the filters, its Danish label, the index field it
matches and how a value becomes a term there, the URL parameter and the `arkiv search`
option that give it, how a given value is checked, and how many facet values are shown.
Made from it: the request (``index.search.parse_request``), the engines' filters
(``index.model.Filters``), the facets every engine counts (``index.model.FACETS``) and
their shape (``index.search.facet_values``), the web's URL state, facet groups and active
filters (``web.facets``), and `arkiv search`'s options (``arkiv.cli``).  A new facet is one
more entry here (and its value in ``index.documents``).

:data:`INDEX_FIELDS` declares every field of an item's index document: its kind, whether
it is stored with the hit, which analysis a text field gets, whether it is a facet.  An
engine's schema is made of it (``tests/test_fields.py`` holds tantivy's documents and the
documents to it); the next engine derives its schema from it directly.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import Enum
from typing import Any, Callable

from archive.errors import ArkivError
from archive.parse import outcome

SEP = ","                       # what never stands inside a presenter's name in the index
MAX_VALUES = 50                 # values per repeatable parameter
MAX_CASE_LEN = 60


class ParameterError(ArkivError):
    """A request parameter has a bad value.  ``param`` names it (for a 400 answer)."""

    def __init__(self, param: str, message: str):
        self.param = param
        self.message = message
        super().__init__(f"{param}: {message}")


def clean_name(value: str) -> str:
    """A presenter's name as the index keeps it (one line, no separator)."""
    return " ".join(value.replace(SEP, " ").split())


def case_term(value: str) -> str:
    """A case number as the index keeps it: one lower-case term."""
    return " ".join(value.split()).lower()


# --------------------------------------------------------------------------- the index's fields
class Kind(Enum):
    TEXT = "text"               # analysed words with positions (``analysis`` says which chain)
    KEYWORD = "keyword"         # whole values as terms: ids, names, slugs (several: joined by SEP)
    INTEGER = "integer"
    DATE = "date"               # a day number (date.toordinal(), 0 = undated)
    BOOLEAN = "boolean"
    STORED = "stored"           # kept with the document, never searched


@dataclass(frozen=True)
class IndexField:
    name: str
    kind: Kind
    stored: bool = False        # returned with a hit (Hit.fields)
    analysis: str = ""          # TEXT: "chain" (the Danish chain or the baseline) or "exact" (unstemmed)
    facet: bool = False         # counted over a result set (a SearchField with a facet limit)
    multi: bool = False         # KEYWORD: several values, joined by SEP


INDEX_FIELDS: tuple[IndexField, ...] = (
    IndexField("id", Kind.KEYWORD, stored=True),
    IndexField("meeting_id", Kind.KEYWORD, stored=True),
    IndexField("meeting_sha256", Kind.STORED),          # the original it was indexed from (versions)
    IndexField("meeting_number", Kind.STORED, stored=True),
    IndexField("meeting_title", Kind.STORED, stored=True),
    IndexField("date", Kind.STORED, stored=True),       # ISO date or None, for the hit
    IndexField("day", Kind.DATE),
    IndexField("year", Kind.KEYWORD, facet=True),
    IndexField("number", Kind.KEYWORD, stored=True),
    IndexField("case_number", Kind.KEYWORD, stored=True),
    IndexField("position", Kind.INTEGER, stored=True),
    IndexField("closed", Kind.BOOLEAN, stored=True),
    IndexField("internal", Kind.KEYWORD),               # documents.INTERNAL for items of internal meetings
    IndexField("title", Kind.TEXT, stored=True, analysis="chain"),
    IndexField("text", Kind.TEXT, analysis="chain"),    # description, recommendation, minutes, listed, presenters
    IndexField("description", Kind.STORED, stored=True),
    IndexField("recommendation", Kind.STORED, stored=True),
    IndexField("minutes", Kind.STORED, stored=True),
    # Searched in ``text``, kept for snippets: the history and attachments listed with the item and
    # its presenters (``listed``).  The meeting's own text beside its first or last item (``around``:
    # attendance, notices, signatures) is searched on its own, below the item's text.
    IndexField("listed", Kind.STORED, stored=True),
    IndexField("around", Kind.TEXT, stored=True, analysis="chain"),
    IndexField("presenter", Kind.KEYWORD, facet=True, multi=True),
    IndexField("presenter_names", Kind.STORED, stored=True),
    IndexField("outcome", Kind.KEYWORD, facet=True, multi=True),
    IndexField("outcome_slugs", Kind.STORED, stored=True),
    IndexField("body", Kind.KEYWORD, stored=True, facet=True),
    IndexField("meeting_kind", Kind.KEYWORD, stored=True, facet=True),    # "bestyrelsesmøde" …, or ""
    IndexField("exact", Kind.TEXT, analysis="exact"),   # all public text, unstemmed
    IndexField("private", Kind.TEXT, stored=True, analysis="chain"),    # a closed item's case text
    IndexField("private_exact", Kind.TEXT, analysis="exact"),
)


# --------------------------------------------------------------------------- checking values
def whole_number(param: str, value: str, lo: int, hi: int) -> int:
    """A whole number parameter in [lo, hi], or ParameterError naming it."""
    if not re.fullmatch(r"[+-]?\d{1,9}", value):
        raise ParameterError(param, f"{value!r} er ikke et helt tal")
    n = int(value)
    if not lo <= n <= hi:
        raise ParameterError(param, f"skal være mellem {lo} og {hi}, ikke {n}")
    return n


def iso_date(param: str, value: str) -> dt.date:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ParameterError(param, f"{value!r} er ikke en dato (ÅÅÅÅ-MM-DD)")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ParameterError(param, f"{value!r} er ikke en gyldig dato") from None


def _as_given(param: str, values: list[str]) -> list[Any]:
    return values


def _outcomes(param: str, values: list[str]) -> list[Any]:
    known = dict(outcome.OUTCOMES)
    for slug in values:
        if slug not in known:
            raise ParameterError(param, f"ukendt udfald {slug!r} (kendte: {', '.join(known)})")
    return values


def _capitalised(value: str) -> str:
    """A meeting kind as a label: "Ordinær generalforsamling" for "ordinær generalforsamling"."""
    return value[:1].upper() + value[1:]


def _years(param: str, values: list[str]) -> list[Any]:
    return list(dict.fromkeys(whole_number(param, v, 1, 9999) for v in values))


def _cases(param: str, values: list[str]) -> list[Any]:
    for case in values:
        if len(case) > MAX_CASE_LEN:
            raise ParameterError(param, f"et sagsnummer har højst {MAX_CASE_LEN} tegn")
    return list(dict.fromkeys(values))[:MAX_VALUES]


# --------------------------------------------------------------------------- the search fields
class Match(Enum):
    ANY = "any"                 # the item has one of the values (OR within a field, AND across fields)
    FROM = "from"               # the item's date is on or after the value
    TO = "to"                   # ... on or before it


class Order(Enum):
    COUNT = "count"             # most frequent first, then by label
    NEWEST = "newest"           # the largest value first (years)


@dataclass(frozen=True)
class SearchField:
    name: str                   # in the request's Filters, the engine's facets and the JSON
    label: str                  # Danish: facet heading, active filter ("Fremlagt af")
    index_field: str            # the INDEX_FIELDS entry it matches
    param: str = ""             # URL and API parameter (default: the name)
    match: Match = Match.ANY
    option: str | None = None   # `arkiv search --<option>` (None: no option)
    help: str = ""              # the option's help, Danish
    facet_limit: int | None = None      # None: no facet; 0: every value; n: the n most frequent
    order: Order = Order.COUNT
    term: Callable[[str], str] = str    # a value as the index keeps it
    check: Callable[[str, list[str]], list[Any]] = _as_given   # (param, given values) → values, or ParameterError
    value_label: Callable[[str], str] | None = None   # a value's Danish label (outcome slugs)

    @property
    def url_param(self) -> str:
        return self.param or self.name

    @property
    def is_facet(self) -> bool:
        return self.facet_limit is not None

    def label_of(self, value: str) -> str:
        return self.value_label(value) if self.value_label else value


SEARCH_FIELDS: tuple[SearchField, ...] = (
    SearchField("presenter", "Fremlagt af", "presenter", option="presenter",
                help="Kun punkter, denne person fremlagde (kan gentages).", facet_limit=30, term=clean_name),
    SearchField("outcome", "Udfald", "outcome", option="outcome", help="Kun punkter med dette udfald (kan gentages).",
                facet_limit=0, check=_outcomes, value_label=outcome.label),
    SearchField("body", "Organ", "body", option="body", help="Kun punkter fra dette organ (kan gentages).",
                facet_limit=30),
    SearchField("meeting_kind", "Mødetype", "meeting_kind", param="kind", option="kind",
                help="Kun punkter fra møder af denne type, fx \"ordinær generalforsamling\" (kan gentages).",
                facet_limit=0, value_label=_capitalised),
    SearchField("year", "År", "year", facet_limit=0, order=Order.NEWEST, check=_years),
    SearchField("meeting", "Møde", "meeting_id"),
    SearchField("case", "Sag", "case_number", option="case",
                help="Kun punkter i denne sag, fx EMN-2025-003383 (kan gentages).", term=case_term, check=_cases),
    SearchField("date_from", "Fra", "day", param="from", match=Match.FROM, option="from",
                help="Fra dato (ÅÅÅÅ-MM-DD)."),
    SearchField("date_to", "Til", "day", param="to", match=Match.TO, option="to", help="Til dato (ÅÅÅÅ-MM-DD)."),
)
BY_NAME: dict[str, SearchField] = {f.name: f for f in SEARCH_FIELDS}
TERM_FIELDS = tuple(f for f in SEARCH_FIELDS if f.match is Match.ANY)
RANGE_FIELDS = tuple(f for f in SEARCH_FIELDS if f.match is not Match.ANY)
FACET_FIELDS = tuple(f for f in SEARCH_FIELDS if f.is_facet)
