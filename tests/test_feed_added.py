"""The Atom feed's "newly added" order (issue 22): old minutes ingested today come first, so a
subscriber sees them; the usual order stays by meeting date.  The store says when each meeting came
(``meetings_added``); tests/fixtures/follow's committee meeting (October 2023) is ingested a second
after the sailing club's three meetings (the last of them February 2024)."""
from __future__ import annotations

import time
from xml.etree import ElementTree as ET

import pytest
from conftest import FIXTURES, Archive, ingest_into

from web import create_app

ATOM = "{http://www.w3.org/2005/Atom}"
FOLLOW = FIXTURES / "follow"
LATE = "2023-10-30-fjordby-fritidsudvalg-8"
NEWEST = "2024-02-20-bestyrelsen-for-fjordby-sejlklub-3"


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    home = tmp_path_factory.mktemp("added")
    files = sorted(FOLLOW.glob("*.txt"))
    archive = Archive(home)
    ingest_into(archive, [f for f in files if "fritidsudvalg" not in f.name])
    time.sleep(1.1)                            # the store's clock counts seconds
    ingest_into(archive, [f for f in files if "fritidsudvalg" in f.name])
    store = archive.store()
    try:
        added = store.meetings_added()
    finally:
        store.close()
    assert added[0][0] == LATE and added[0][1] > added[1][1]
    return home


@pytest.fixture(scope="module")
def client(home):
    return create_app({"TESTING": True, "ARKIV_HOME": str(home), "PUBLIC": True}).test_client()


def _entries(client, **query) -> list[tuple[str, str, str]]:
    r = client.get("/feed.atom", query_string=query)
    assert r.status_code == 200, r.get_data(as_text=True)
    root = ET.fromstring(r.data)
    return [(e.findtext(f"{ATOM}id").rsplit("/", 1)[1], e.findtext(f"{ATOM}title"), e.findtext(f"{ATOM}updated"))
            for e in root.findall(f"{ATOM}entry")]


def test_newly_added_order_puts_the_late_ingest_first(client):
    by_date = _entries(client)
    assert by_date[0][0].startswith(NEWEST)
    added = _entries(client, order="added")
    assert [e[0] for e in added[:2]] == [f"{LATE}--1", f"{LATE}--2"]         # the agenda's order within it
    assert added[0][1] == "Fjordby Fritidsudvalg – pkt. 1: Tilskud til nyt slæbested i Fjordby Sejlklub"
    assert added[0][2].endswith("Z") and added[0][2] > added[2][2]           # updated: when it came
    assert sorted(e[0] for e in added) == sorted(e[0] for e in by_date)      # the same items, another order


def test_newly_added_keeps_the_search_and_its_filters(client):
    added = _entries(client, q="slæbested", order="added")
    assert [e[0] for e in added] == [f"{LATE}--1", "2023-09-12-bestyrelsen-for-fjordby-sejlklub-2--1",
                                     "2023-03-07-bestyrelsen-for-fjordby-sejlklub-1--2"]
    only_club = _entries(client, body="Bestyrelsen for Fjordby Sejlklub", order="added")
    assert only_club and all(e[1].startswith("Bestyrelsen for Fjordby Sejlklub – ") for e in only_club)
    root = ET.fromstring(client.get("/feed.atom", query_string={"q": "slæbested", "order": "added"}).data)
    assert root.findtext(f"{ATOM}title") == "arkiv: søgning efter «slæbested», nyt i arkivet"
    assert root.find(f"{ATOM}link[@rel='self']").get("href") == "http://localhost/feed.atom?q=sl%C3%A6bested&order=added"


def test_feed_order_must_be_known(client):
    assert client.get("/feed.atom", query_string={"order": "tilfældig"}).status_code == 400


def test_search_page_links_both_feeds(client):
    text = client.get("/?q=slæbested").get_data(as_text=True)
    assert 'href="/feed.atom?q=sl%C3%A6bested"' in text
    assert 'href="/feed.atom?q=sl%C3%A6bested&amp;order=added"' in text


def test_newly_added_shows_anonymous_visitors_no_internal_meeting(private_archive):
    from helpers_auth import INTERNAL_MEETING, INTERNAL_WORD, sign_in

    app = create_app(private_archive.config(PUBLIC=True))
    anon, reader = app.test_client(), app.test_client()
    sign_in(reader, "laeser")
    seen = [e[0] for e in _entries(anon, order="added")]
    assert seen and not any(e.startswith(INTERNAL_MEETING) for e in seen)
    assert any(e.startswith(INTERNAL_MEETING) for e in (x[0] for x in _entries(reader, order="added")))
    assert INTERNAL_WORD not in anon.get("/feed.atom", query_string={"order": "added"}).get_data(as_text=True)
