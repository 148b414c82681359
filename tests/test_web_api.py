"""The JSON API: the same search as the page, records by id, errors as JSON naming the parameter."""
from __future__ import annotations

import pytest

from archive.export import item_record


def test_api_search_is_exactly_the_search_layers_json(client, app):
    from index.search import parse_request, search

    params = {"q": "helgenomsekventering", "sort": "newest", "presenter": ["Gert Sørensen"]}
    r = client.get("/api/search", query_string=params)
    assert r.status_code == 200 and r.mimetype == "application/json"
    engine = app.extensions["arkiv"].engine
    expected = search(engine, parse_request(params)).to_json()
    got = r.get_json()
    toggles = [v.pop("toggle_url") for values in got["facets"].values() for v in values]   # the API's own key
    assert got == expected
    assert toggles and all(t.startswith("/api/search?") for t in toggles)
    assert {hit["number"] for hit in expected["results"]} == {"47/18", "48/18", "52/18"}
    assert list(got) == list(expected)                          # same key order as the CLI's JSON


def test_api_search_parameters(client):
    body = client.get("/api/search", query_string={"q": "helgenomsekventering", "page": "1", "per_page": "2",
                                                   "year": "2018", "from": "2018-01-01", "to": "2018-12-31",
                                                   "outcome": "efterretning"}).get_json()
    assert body["per_page"] == 2 and body["total"] == 1
    assert body["results"][0]["number"] == "48/18"
    assert body["facets"]["outcome"][0]["selected"] is True


@pytest.mark.parametrize("params, parameter", [
    ({"from": "2018-13-45"}, "from"),
    ({"to": "2018-02-30"}, "to"),
    ({"from": "20. juni 2018"}, "from"),
    ({"from": "2018-07-01", "to": "2018-06-01"}, "from"),
    ({"page": "0"}, "page"),
    ({"page": "-3"}, "page"),
    ({"page": "abc"}, "page"),
    ({"per_page": "100000"}, "per_page"),
    ({"sort": "bedste"}, "sort"),
    ({"sort": ["newest", "oldest"]}, "sort"),
    ({"outcome": "vedtaget-maaske"}, "outcome"),
    ({"year": "atten"}, "year"),
    ({"q": "x" * 501}, "q"),
])
def test_api_bad_parameters_are_400_naming_the_parameter(client, params, parameter):
    r = client.get("/api/search", query_string=params)
    assert r.status_code == 400
    assert r.mimetype == "application/json"
    error = r.get_json()["error"]
    assert error["parameter"] == parameter
    assert error["message"]


def test_api_item_is_the_export_record(client, app, seed_items):

    item_id = seed_items["47/18"]
    r = client.get(f"/api/items/{item_id}")
    assert r.status_code == 200
    store = app.extensions["arkiv"].open_store()
    try:
        assert r.get_json() == item_record(*store.get_item(item_id))
    finally:
        store.close()


def test_api_meeting_is_the_stored_meeting(client, seed_meeting):
    r = client.get(f"/api/meetings/{seed_meeting.id}")
    assert r.status_code == 200
    body = r.get_json()
    assert body == seed_meeting.to_dict()
    assert [i["number"] for i in body["items"]][:2] == ["44/18", "45/18"]
    assert any("i stedet for" in p["note"] for p in body["participants"])


@pytest.mark.parametrize("url", ["/api/items/findes-ikke", "/api/meetings/findes-ikke", "/api/slet-ikke",
                                 "/api/items/%3Cscript%3E", "/api/meetings/%00", "/api/items/x%00y"])
def test_api_unknown_is_404_json(client, url):
    r = client.get(url)
    assert r.status_code == 404
    assert r.mimetype == "application/json"
    assert r.get_json()["error"]["message"]


@pytest.mark.parametrize("url", ["/moede/%00", "/punkt/x%00y", "/person/%00", "/?presenter=%00"])
def test_a_nul_character_in_a_url_is_no_error(client, url):
    """(PostgreSQL's text holds no NUL: the store and the engine must not pass one on.)"""
    assert client.get(url).status_code in (200, 404)


def test_api_wrong_method_is_405_json(client):
    r = client.post("/api/search", data={"q": "x"})
    assert r.status_code == 405
    assert r.get_json()["error"]["message"]


def test_api_search_hits_are_plain_data(client):
    hit = client.get("/api/search?q=helgenomsekventering").get_json()["results"][0]
    from index.model import Hit

    assert tuple(hit) == Hit.JSON_FIELDS == ("id", "score", "number", "title", "date", "meeting", "presenters",
                                            "outcomes", "snippet", "where")
