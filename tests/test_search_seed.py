"""Acceptance on the seed minutes, parsed by archive.parse: a real tantivy index on disk and a
real PostgreSQL index (each test runs on both)."""
from __future__ import annotations

import hashlib

import pytest
from conftest import BACKENDS, empty_engine

from index.search import parse_request, search


@pytest.fixture(scope="module", params=BACKENDS)
def seed_engine(request, seed_path):
    from archive.ids import assign_ids
    from archive.parse.document import parse_text

    data = seed_path.read_bytes()
    meeting = parse_text(data.decode("utf-8"), seed_path.name)
    assign_ids(meeting)
    meeting.source_sha256 = hashlib.sha256(data).hexdigest()
    engine = empty_engine(request, request.param)
    engine.update([meeting])
    yield engine
    engine.close()


def numbers(engine, **params):
    params.setdefault("per_page", "100")
    resp = search(engine, parse_request(params))
    assert resp.total == len(resp.results)
    return sorted(h.number for h in resp.results)


def test_all_items_indexed(seed_engine):
    assert seed_engine.item_count() == 10
    assert numbers(seed_engine) == [f"{n}/18" for n in range(44, 54)]


def test_helgenomsekventering(seed_engine):
    assert numbers(seed_engine, q="helgenomsekventering") == ["47/18", "48/18", "52/18"]


def test_compound_part_sekventering(seed_engine):
    assert numbers(seed_engine, q="sekventering") == ["47/18", "48/18", "52/18"]


def test_bekendtgoerelse_inflections(seed_engine):
    assert numbers(seed_engine, q="bekendtgørelse") == ["45/18", "46/18"]


def test_genomdatabase(seed_engine):
    assert numbers(seed_engine, q="genomdatabase") == ["46/18", "47/18"]


def test_presenter_filter(seed_engine):
    assert numbers(seed_engine, presenter="Gert Sørensen") == ["46/18", "47/18", "48/18", "51/18", "52/18"]


def test_outcome_filter(seed_engine):
    assert numbers(seed_engine, outcome="efterretning") == ["45/18", "48/18", "51/18"]


def test_retning_does_not_find_efterretning(seed_engine):
    assert not set(numbers(seed_engine, q="retning")) & {"45/18", "48/18", "51/18"}


def test_item_number_query(seed_engine):
    assert numbers(seed_engine, q="47/18") == ["47/18"]


def test_typo_suggestion(seed_engine):
    resp = search(seed_engine, parse_request({"q": "helgenomsekvensering"}))
    assert resp.suggestion == "helgenomsekventering"


def test_script_query_is_safe(seed_engine):
    resp = search(seed_engine, parse_request({"q": "<script>alert('genom')</script>"}))
    for hit in resp.results:
        text = hit.snippet.replace("<mark>", "").replace("</mark>", "")
        assert "<" not in text and ">" not in text


def test_snippet_marks_stemmed_and_compound_forms(seed_engine):
    resp = search(seed_engine, parse_request({"q": "bekendtgørelse"}))
    assert any("<mark>bekendtgørelser</mark>" in h.snippet for h in resp.results)
    resp = search(seed_engine, parse_request({"q": "sekventering"}))
    assert all("<mark>helgenomsekventering</mark>" in h.snippet for h in resp.results)


def test_facets_count_whole_set(seed_engine):
    resp = search(seed_engine, parse_request({"q": "", "per_page": "2"}))
    assert len(resp.results) == 2 and resp.total == 10
    pres = {f.value: f.count for f in resp.facets["presenter"]}
    assert pres["Gert Sørensen"] == 5
    out = {f.value: f.count for f in resp.facets["outcome"]}
    assert out["efterretning"] == 3
    assert [(f.value, f.count) for f in resp.facets["year"]] == [("2018", 10)]
    assert sum(f.count for f in resp.facets["body"]) == 10


def test_newest_sort_keeps_agenda_order(seed_engine):
    resp = search(seed_engine, parse_request({"sort": "newest", "per_page": "100"}))
    assert [h.number for h in resp.results] == [f"{n}/18" for n in range(44, 54)]
