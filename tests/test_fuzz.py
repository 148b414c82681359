"""Property tests: the parser, the query language and request parsing never crash.

* ``archive.parse.parse_text`` on arbitrary text and on mutated minutes (the seed,
  generated files of every layout, the real-world files read in place): a Meeting,
  or ``ParseError``, nothing else.
* ``index.query.parse_query`` on arbitrary strings: always a tree.
* ``index.search.parse_request`` on arbitrary parameters: a request or ``ParameterError``.
* ``index.search.search`` with arbitrary queries on a small real index: never raises.

HYPOTHESIS_PROFILE=ci (tests/conftest.py) runs thousands of examples each.
"""
from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from conftest import BACKENDS, ingest_into, make_archive
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from archive.errors import ParseError
from archive.model import Meeting
from archive.parse.document import parse_text
from benchmark import generate as G
from index.query import AllOf, parse_query
from index.search import MAX_QUERY_LEN, ParameterError, parse_request

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "data" / "minutes" / "2018-06-20_personlig-medicin-bestyrelse_6-moede.txt"
_REALWORLD = Path(os.environ.get("ARKIV_REALWORLD") or ROOT.parent / "shared" / "realworld")


def _bases() -> list[str]:
    texts = [SEED.read_text(encoding="utf-8")]
    for layout in G.LAYOUTS:
        spec = next(G.iter_specs(40, seed=5, layouts=(layout,)))
        texts.append(G.render_meeting(spec))
    if _REALWORLD.is_dir():                          # read in place, never copied
        texts += [p.read_text(encoding="utf-8") for p in sorted(_REALWORLD.glob("*.txt"))]
    return texts


BASES = _bases()
# The first ~7,000 characters of each (header, agenda, participants, first items) keep every
# structure a layout has while keeping thousands of examples cheap.
BASE_LINES = [t[:7000].split("\n") for t in BASES]

# Lines that look like structure in one of the layouts, and junk.
JUNK_LINES = [
    "Punkt 1:", "Punkt 44/18:", "Pkt. 99/99 25:61 – 99:99 Titel", "Pkt. 1/18 16:00 – 16:05", "REFERAT:",
    "REFERAT", "v/", "v/Navn, rolle", "Det indstilles at:", "Beslutninger", "Resume", "Sagsforløb",
    "# ", "## 1) ", "> - 1.1 ", "> #### 2. Temaer", "- [x] ", "**Tid**: 99.99.9999 kl. 25 - 26",
    "Dato og sted", "Onsdag 31. februar 2018 kl. 16.00 – 15.00", "1", "0", "999999999999", "EMN-2025-",
    "Dagsorden", "Deltagere", "Afbud", "Fra bestyrelsen:", " Side 2", "\f", "\x00", "\ufeff", "\u200b",
    "\r", "\t\t\t", "æøå" * 50, "-" * 500, "Punkt " * 100, "v/" * 100, "<script>alert(1)</script>",
    "\U0001f600\U0001f4a9", "\ud7ff\ue000", "Udvalg:", "Mødedato:  \t onsdag den 1. oktober 2025",
]

JUNK = st.one_of(st.sampled_from(JUNK_LINES), st.text(max_size=80))


@st.composite
def mutated_minutes(draw) -> str:
    lines = list(BASE_LINES[draw(st.integers(0, len(BASE_LINES) - 1))])
    for _ in range(draw(st.integers(1, 8))):
        op = draw(st.sampled_from(["delete", "duplicate", "shuffle", "inject", "truncate", "swapcase",
                                   "join", "cut_line"]))
        n = len(lines)
        if n == 0:
            lines = [draw(JUNK)]
            continue
        i = draw(st.integers(0, n - 1))
        if op == "delete":
            del lines[i:i + draw(st.integers(1, 20))]
        elif op == "duplicate":
            lines[i:i] = lines[i:i + draw(st.integers(1, 30))]
        elif op == "shuffle":
            j = min(n, i + draw(st.integers(2, 40)))
            chunk = lines[i:j]
            lines[i:j] = draw(st.permutations(chunk))
        elif op == "inject":
            lines.insert(i, draw(JUNK))
        elif op == "truncate":
            lines = lines[:i]
        elif op == "swapcase":
            lines[i] = lines[i].swapcase()
        elif op == "join":
            lines[i:i + 2] = [" ".join(lines[i:i + 2])]
        elif op == "cut_line":
            line = lines[i]
            lines[i] = line[:draw(st.integers(0, len(line)))]
    return "\n".join(lines)


def _check_meeting(meeting: Meeting) -> None:
    assert isinstance(meeting, Meeting)
    assert meeting.items, "a parsed meeting has at least one item"
    for item in meeting.items:
        assert isinstance(item.title, str) and isinstance(item.number, str)
        assert isinstance(item.outcomes, list)
    meeting.to_dict()                      # serialisable, as the store needs


def _parse(text: str) -> None:
    try:
        meeting = parse_text(text, filename="fuzz.txt")
    except ParseError as exc:
        assert str(exc)
        return
    _check_meeting(meeting)


@given(st.text(max_size=3000))
@example("")
@example("\x00\x00")
@example("Punkt 1:\nPunkt 1:\n")
@example("REFERAT\n\nPkt. 1/18 16:00 – 16:05 A\n\nPkt. 1/18 16:00 – 16:05 A\n")
def test_parse_text_arbitrary(text):
    _parse(text)


@given(st.lists(st.one_of(st.sampled_from(JUNK_LINES), st.text(max_size=60)), max_size=60))
def test_parse_text_structure_like_lines(lines):
    _parse("\n".join(lines))


@pytest.mark.slow
@given(mutated_minutes())
def test_parse_text_mutated_minutes(text):
    _parse(text)


# --------------------------------------------------------------------------- query language
QUERY_ALPHABET = st.sampled_from(list('abcæøå ÆØÅ"-*OR()[]{}:^~+!?\\/\'.,;&|<>\t\n\x00') + ["OR", "AND", "NOT"])
QUERY_TEXT = st.one_of(
    st.text(max_size=200),
    st.lists(QUERY_ALPHABET, max_size=60).map("".join),
    st.lists(st.sampled_from(["budget", "skole*", '"lokalplan', 'for"', "OR", "-", "-klima", "*", '"',
                              "a*", "affaldssortering", "47/18", "EMN-2025-010561", "og", "i"]),
             max_size=30).map(" ".join),
)


@given(QUERY_TEXT)
@example("OR")
@example('"')
@example("- * -* *")
@example("x" * 5000)
def test_parse_query_is_total(s):
    tree = parse_query(s)
    assert isinstance(tree, AllOf)


# --------------------------------------------------------------------------- request parameters
PARAM_NAMES = ["q", "presenter", "outcome", "body", "kind", "year", "meeting", "from", "to", "sort", "page", "per_page"]
PARAM_VALUE = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["", "0", "-1", "1", "2", "100", "101", "10000", "10001", "99999999999999999999",
                     "1.5", "1e3", " 3 ", "+4", "2020-01-01", "2020-13-45", "2020-02-30", "0000-00-00",
                     "9999-12-31", "godkendt", "udsat", "nonsense", "relevance", "newest", "oldest",
                     "x" * (MAX_QUERY_LEN + 1), "\x00"]),
    st.integers(-10**12, 10**12),
    st.none(),
)
PARAMS = st.dictionaries(
    st.one_of(st.sampled_from(PARAM_NAMES), st.text(max_size=10)),
    st.one_of(PARAM_VALUE, st.lists(PARAM_VALUE, max_size=8)),   # > MAX_VALUES: see the @examples
    max_size=8,
)


@given(PARAMS)
@example({"page": "0"})
@example({"q": "x" * (MAX_QUERY_LEN + 1)})
@example({"from": "2020-02-30"})
@example({"from": "2021-01-01", "to": "2020-01-01"})
@example({"year": ["1"] * 51})
@example({"presenter": [str(i) for i in range(50)]})
@example({"body": [str(i) for i in range(51)], "q": ["a", "b"]})
def test_parse_request_only_parameter_error(params):
    try:
        req = parse_request(params)
    except ParameterError as exc:
        assert exc.param and str(exc)
        return
    assert len(req.q) <= MAX_QUERY_LEN
    assert req.page >= 1 and req.per_page >= 1
    assert req.filters.date_from is None or isinstance(req.filters.date_from, dt.date)


def test_limits_have_clear_messages():
    with pytest.raises(ParameterError) as err:
        parse_request({"q": "x" * (MAX_QUERY_LEN + 1)})
    assert err.value.param == "q" and str(MAX_QUERY_LEN) in str(err.value)
    with pytest.raises(ParameterError) as err:
        parse_request({"page": "0"})
    assert err.value.param == "page"


# --------------------------------------------------------------------------- real searches
@pytest.fixture(scope="module", params=BACKENDS)
def small_engine(request, tmp_path_factory):
    """300 generated items in each engine: any request either is refused with a message naming
    its parameter or is answered (PostgreSQL: no query text may break the SQL or the tsquery)."""
    home = tmp_path_factory.mktemp("fuzz-home")
    corpus = home / "corpus"
    G.write_corpus(300, corpus, seed=2)
    archive = make_archive(request.param, home / "archive",
                           request.getfixturevalue("new_database") if request.param == "postgres" else None)
    ingest_into(archive, [corpus])
    engine = archive.engine()
    yield engine
    engine.close()


SEARCH_PARAMS = st.fixed_dictionaries(
    {"q": QUERY_TEXT},
    optional={
        "sort": st.sampled_from(["relevance", "newest", "oldest"]),
        "page": st.integers(1, 10_000).map(str),
        "per_page": st.integers(1, 100).map(str),
        "from": st.dates(dt.date(1900, 1, 1), dt.date(2100, 1, 1)).map(str),
        "outcome": st.sampled_from(["godkendt", "udsat", "efterretning"]),
        "year": st.integers(1, 9999).map(str),
        "presenter": st.text(max_size=30),
        "body": st.text(max_size=30),
    },
)


@settings(max_examples=max(30, settings.default.max_examples // 10))
@given(SEARCH_PARAMS)
@example({"q": "OR"})
@example({"q": "budget", "page": "10000"})
@example({"q": '"til efterretning"'})
@example({"q": "-budget"})
@example({"q": "affald*"})
def test_search_never_raises(small_engine, params):
    from index.search import search

    try:
        req = parse_request(params)
    except ParameterError:
        assume(False)
    resp = search(small_engine, req)
    assert resp.total >= 0
    assert len(resp.results) <= req.per_page
    if (req.page - 1) * req.per_page >= resp.total:
        assert resp.results == []          # a page beyond the results is empty, not an error
    resp.to_json()


# --------------------------------------------------------------------------- limits, with clear messages
def test_file_over_the_size_limit_is_reported_and_the_rest_ingested(tmp_path, monkeypatch):
    import archive.ingest as ingest_mod
    from archive.store.sqlite import Store
    from index.engine_tantivy import open_engine

    corpus = tmp_path / "corpus"
    G.write_corpus(40, corpus, seed=9, manifest=False)
    big = corpus / "enorm.txt"
    with open(big, "wb") as fh:                        # sparse: nothing is written to disk
        fh.truncate(ingest_mod.MAX_FILE_BYTES + 1)
    store = Store(tmp_path / "home")
    engine = open_engine(store.index_dir)
    try:
        report = ingest_mod.ingest([corpus], store, engine, progress=False)
        failed = {Path(r.path).name: r.message for r in report.failed}
        assert list(failed) == ["enorm.txt"]
        assert "limit" in failed["enorm.txt"] and "MB" in failed["enorm.txt"]
        assert report.items == 40 and store.counts()["items"] == 40

        # A smaller limit (monkeypatched) applies to ordinary files too, one clear line each.
        monkeypatch.setattr(ingest_mod, "MAX_FILE_BYTES", 1000)
        small = tmp_path / "other"
        G.write_corpus(12, small, seed=10, manifest=False)
        report = ingest_mod.ingest([small], store, engine, progress=False)
        assert report.failed and all("limit" in r.message for r in report.failed)
        assert all("\n" not in r.message for r in report.failed)
    finally:
        engine.close()
        store.close()


def test_web_limits_answer_400_naming_the_parameter(client):
    long_q = "x" * (MAX_QUERY_LEN + 1)
    resp = client.get("/api/search", query_string={"q": long_q})
    assert resp.status_code == 400
    assert resp.get_json()["error"]["parameter"] == "q"
    resp = client.get("/", query_string={"q": long_q})
    assert resp.status_code == 400 and "500 tegn" in resp.get_data(as_text=True)

    for page in ("0", "-1", "abc", "99999999999999999999"):
        resp = client.get("/api/search", query_string={"q": "budget", "page": page})
        assert resp.status_code == 400, page
        assert resp.get_json()["error"]["parameter"] == "page"


def test_page_beyond_the_results_is_empty_not_an_error(client):
    resp = client.get("/api/search", query_string={"q": "", "page": "9999"})
    assert resp.status_code == 200
    data = resp.get_json()
    assert data["results"] == [] and data["total"] >= 0 and data["page"] == 9999
    resp = client.get("/", query_string={"q": "", "page": "9999"})
    assert resp.status_code == 200
