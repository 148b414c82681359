"""index.search: request validation and response shaping."""
from __future__ import annotations

import datetime as dt

import pytest
from conftest import engine_over
from helpers_search import BODY_BU, BODY_TM, small_corpus

from archive.errors import ArkivError
from index.search import ParameterError, parse_request, search

engine = engine_over(small_corpus)


def test_parse_request_defaults():
    r = parse_request({})
    assert (r.q, r.sort, r.page, r.per_page, r.filters.presenter) == ("", "relevance", 1, 20, [])


def test_parse_request_values():
    r = parse_request({"q": " budget ", "presenter": ["A B", "C"], "outcome": "godkendt", "body": [BODY_TM],
                       "year": ["2023", "2022"], "meeting": "m1", "from": "2023-01-01", "to": "2023-12-31",
                       "sort": "newest", "page": "3", "per_page": "50"})
    assert r.q == "budget" and r.filters.presenter == ["A B", "C"] and r.filters.outcome == ["godkendt"]
    assert r.filters.year == [2023, 2022] and r.filters.meeting == ["m1"]
    assert r.filters.date_from == dt.date(2023, 1, 1) and r.filters.date_to == dt.date(2023, 12, 31)
    assert (r.sort, r.page, r.per_page) == ("newest", 3, 50)


class MultiDict(dict):
    def getlist(self, key):
        v = self.get(key)
        return [] if v is None else (v if isinstance(v, list) else [v])


def test_parse_request_multidict():
    r = parse_request(MultiDict({"q": "x", "presenter": ["A", "B"]}))
    assert r.filters.presenter == ["A", "B"] and r.q == "x"


@pytest.mark.parametrize("params,param", [
    ({"from": "2018-13-45"}, "from"),
    ({"to": "20180101"}, "to"),
    ({"from": "2019-01-01", "to": "2018-01-01"}, "from"),
    ({"page": "0"}, "page"),
    ({"page": "abc"}, "page"),
    ({"per_page": "0"}, "per_page"),
    ({"per_page": "101"}, "per_page"),
    ({"outcome": "vedtaget-maaske"}, "outcome"),
    ({"q": "x" * 501}, "q"),
    ({"sort": "random"}, "sort"),
    ({"year": "tyve"}, "year"),
    ({"page": ["1", "2"]}, "page"),
])
def test_parse_request_errors_name_the_parameter(params, param):
    with pytest.raises(ParameterError) as info:
        parse_request(params)
    assert info.value.param == param
    assert isinstance(info.value, ArkivError)
    assert str(info.value).startswith(param)


def test_response_shape(engine):
    resp = search(engine, parse_request({"q": "cykelstier"}))
    assert resp.total == 1 and resp.query == "cykelstier"
    hit = resp.results[0]
    assert hit.number == "2" and hit.title == "Cykelstier langs Fjordvej"
    assert hit.date == "2022-03-01"
    assert hit.meeting["body"] == BODY_TM and hit.meeting["number"] == "2" and hit.meeting["id"]
    assert hit.presenters == ["Mette Holm", "Jens Hansen"] and hit.outcomes == ["udsat"]
    assert "<mark>" in hit.snippet
    data = resp.to_json()
    assert set(data) == {"query", "total", "page", "per_page", "results", "facets", "suggestion",
                         "suggestion_total", "typed_query", "typed_total"}


def test_facets_shape(engine):
    resp = search(engine, parse_request({"presenter": "Jens Hansen", "per_page": "1"}))
    assert resp.total == 3 and len(resp.results) == 1
    pres = resp.facets["presenter"]
    assert pres[0].value == "Jens Hansen" and pres[0].count == 3 and pres[0].selected
    assert [f.value for f in pres[1:]] == ["Mette Holm"]
    outcomes = {f.value: (f.label, f.count) for f in resp.facets["outcome"]}
    assert outcomes["godkendt"] == ("Godkendt", 2)
    years = [f.value for f in resp.facets["year"]]
    assert years == sorted(years, reverse=True)


def test_selected_values_kept_with_zero_count(engine):
    resp = search(engine, parse_request({"q": "klimatilpasning", "body": BODY_BU, "outcome": "forkastet"}))
    assert resp.total == 0
    body = {f.value: (f.count, f.selected) for f in resp.facets["body"]}
    assert body[BODY_BU] == (0, True)
    assert {f.value: f.count for f in resp.facets["outcome"]} == {"forkastet": 0}


def test_facet_order_count_then_label(engine):
    resp = search(engine, parse_request({}))
    counts = [(-f.count, f.label.casefold()) for f in resp.facets["presenter"]]
    assert counts == sorted(counts)


def test_page_beyond_results(engine):
    resp = search(engine, parse_request({"q": "cykelstier", "page": "5"}))
    assert resp.results == [] and resp.total == 1 and resp.page == 5


def test_date_filters(engine):
    assert search(engine, parse_request({"to": "2022-12-31"})).total == 3
    assert search(engine, parse_request({"from": "2023-01-01"})).total == 4
    assert search(engine, parse_request({"year": "2023", "body": BODY_TM})).total == 2


@pytest.mark.parametrize("q", ['<script>alert(1)</script>', '"', '-', 'OR', '*', '((', 'a OR', '-"x', "' OR 1=1 --",
                               "\\", "%", "æøå*", "\x00"])
def test_odd_queries_never_error(engine, q):
    resp = search(engine, parse_request({"q": q}))
    for hit in resp.results:
        assert "<script" not in hit.snippet


def test_suggestion_whole_query(engine):
    resp = search(engine, parse_request({"q": "fjordvej cykelstir"}))
    assert resp.total == 0
    assert resp.suggestion == "fjordvej cykelstier"
    assert search(engine, parse_request({"q": "cykelstier"})).suggestion is None


def test_suggestion_looks_at_the_first_words_only(engine):
    # Words of one item ("Cykelstier langs Fjordvej"), then a misspelling of its title word.
    words = "langs fjordvej anlæg sagen udsat mette holm jens".split()
    resp = search(engine, parse_request({"q": " ".join(words[:7] + ["cykelstir"])}))
    assert resp.total == 0 and resp.suggestion == " ".join(words[:7] + ["cykelstier"])
    resp = search(engine, parse_request({"q": " ".join(words + ["cykelstir"])}))
    assert resp.total == 0 and resp.suggestion is None          # the ninth word is not looked at


def test_no_snippets_no_facets(engine):
    from index.model import SearchRequest
    resp = search(engine, SearchRequest(q="cykelstier", snippets=False, facets=False))
    assert resp.results[0].snippet == "" and resp.facets == {}
