"""The Open Civic Data export (archive.ocd): `/eksport.ocd.json` and `arkiv export --format ocd`.

One OCD Event per meeting in pupa's field names, its agenda in the meeting's order, the search's
filters applied, and what a closed item keeps from an anonymous visitor kept from the export too."""
from __future__ import annotations

import json
import re
import shutil
import uuid
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers_auth import (
    BODY,
    CLOSED_ITEM,
    CLOSED_MEETING,
    CLOSED_WORD,
    READER,
    SALE_DECISION,
    SECRETS,
    sign_in,
)

from archive.ocd import AGENDA_FIELDS, EVENT_FIELDS, OCD_NAMESPACE, event_id
from arkiv.cli import main
from web import create_app

QUERY = "helgenomsekventering"
ISO_WITH_ZONE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _check_event(ev: dict) -> None:
    """The OCD Event's shape, as pupa's schema (schemas/event.py) asks it."""
    assert set(ev) - {"location"} == set(EVENT_FIELDS) - {"location"}
    assert ev["_type"] == "event" and ev["id"].startswith("ocd-event/")
    uuid.UUID(ev["id"].split("/", 1)[1])
    assert ev["name"] and ev["classification"]
    assert ev["status"] in ("cancelled", "tentative", "confirmed", "passed")
    assert ev["timezone"] == "Europe/Copenhagen" and isinstance(ev["all_day"], bool)
    if ev["all_day"]:
        assert ISO_DATE.match(ev["start_date"]) and ev["end_date"] == ""
    else:
        assert ISO_WITH_ZONE.match(ev["start_date"]), ev["start_date"]
        assert ev["end_date"] == "" or ISO_WITH_ZONE.match(ev["end_date"])
    if "location" in ev:
        assert ev["location"]["name"]
    assert ev["participants"][0]["entity_type"] == "organization"
    for p in ev["participants"]:
        assert p["name"] and p["note"] and p["entity_type"] in ("organization", "person")
    assert len(ev["sources"]) >= 1 and all(s["url"] for s in ev["sources"])
    for doc in ev["documents"]:
        assert doc["note"] and doc["url"]
    orders = [int(a["order"]) for a in ev["agenda"]]
    assert orders == sorted(orders)
    for a in ev["agenda"]:
        assert set(a) == set(AGENDA_FIELDS)
        assert a["description"] and isinstance(a["order"], str)
        assert all(isinstance(n, str) and n for n in a["notes"])
        for e in a["related_entities"]:
            assert e["name"] and e["entity_type"] and e["note"]
        assert {"number", "arkiv_id", "outcomes", "decision", "case_number", "permalink"} <= set(a["extras"])


def test_ocd_export_has_the_event_shape(client, seed_items, seed_meeting):
    r = client.get("/eksport.ocd.json", query_string={"q": QUERY})
    assert r.status_code == 200 and r.mimetype == "application/json"
    assert r.headers["Content-Disposition"].startswith("attachment") and ".ocd.json" in r.headers["Content-Disposition"]
    body = json.loads(r.data)
    assert json.loads(json.dumps(body, ensure_ascii=False)) == body        # valid JSON that round-trips
    assert body["format"] == "ocd-event" and body["query"] == {"q": QUERY}
    assert body["total"] == 3 and body["count"] == 3 and body["event_count"] == 1 and not body["truncated"]
    [ev] = body["events"]
    _check_event(ev)
    assert ev["id"] == event_id(seed_meeting.id) == f"ocd-event/{uuid.uuid5(OCD_NAMESPACE, seed_meeting.id)}"
    assert ev["start_date"] == "2018-06-20T16:00:00+02:00"           # summer time in Copenhagen
    assert ev["all_day"] is False and ev["status"] == "passed"
    assert ev["participants"][0] == {"name": seed_meeting.body, "entity_type": "organization", "note": "host"}
    assert any(p["entity_type"] == "person" and p["note"] == "participant" for p in ev["participants"])
    # The search's items only, in the meeting's order, their numbers in extras.
    assert [a["extras"]["number"] for a in ev["agenda"]] == ["47/18", "48/18", "52/18"]
    assert ev["extras"]["agenda_complete"] is False and ev["extras"]["arkiv_id"] == seed_meeting.id
    item47 = ev["agenda"][0]
    assert item47["extras"]["arkiv_id"] == seed_items["47/18"]
    assert item47["extras"]["permalink"].endswith(f"/punkt/{seed_items['47/18']}")
    assert {"name": "Gert Sørensen", "entity_type": "person"}.items() <= item47["related_entities"][0].items()
    assert item47["related_entities"][0]["note"].startswith("presenter")
    assert any(QUERY in note for note in item47["notes"])
    assert ev["sources"][0]["url"].endswith(f"/moede/{seed_meeting.id}")
    # The original (nothing closed in it) is a source and a document.
    assert any(s["url"].endswith(f"/moede/{seed_meeting.id}/original") for s in ev["sources"])
    assert any(d["url"].endswith(f"/moede/{seed_meeting.id}/original") and d["media_type"] for d in ev["documents"])


def test_ocd_export_applies_the_filters(client):
    r = client.get("/eksport.ocd.json", query_string={"presenter": "Gert Sørensen", "sort": "oldest", "page": "2"})
    body = r.get_json()
    numbers = [a["extras"]["number"] for ev in body["events"] for a in ev["agenda"]]
    assert numbers == ["46/18", "47/18", "48/18", "51/18", "52/18"]      # all, not page 2
    for ev in body["events"]:
        _check_event(ev)
        for a in ev["agenda"]:
            assert any(e["name"] == "Gert Sørensen" for e in a["related_entities"])
    everything = client.get("/eksport.ocd.json").get_json()
    assert everything["event_count"] > 1 and everything["count"] == everything["total"]
    for ev in everything["events"]:
        _check_event(ev)
    assert len({ev["id"] for ev in everything["events"]}) == everything["event_count"]


def test_ocd_export_bad_parameter_is_a_400(client):
    r = client.get("/eksport.ocd.json", query_string={"from": "2018-13-45"})
    assert r.status_code == 400 and r.get_json()["error"]["parameter"] == "from"


def test_the_search_page_offers_the_ocd_export(client):
    page = client.get("/", query_string={"q": QUERY}).get_data(as_text=True)
    assert f'href="/eksport.ocd.json?q={QUERY}"' in page and "Open Civic Data (JSON)" in page


@pytest.fixture(scope="module")
def private_app(private_archive):
    return create_app(private_archive.config(PUBLIC=True))


def test_a_closed_items_text_is_not_in_an_anonymous_ocd_export(private_app):
    anon = private_app.test_client()
    text = anon.get(f"/eksport.ocd.json?body={BODY}").get_data(as_text=True)
    assert not [s for s in SECRETS if s in text]
    assert SALE_DECISION not in anon.get("/eksport.ocd.json").get_data(as_text=True)
    body = json.loads(text)
    closed_event = next(ev for ev in body["events"] if ev["extras"]["arkiv_id"] == CLOSED_MEETING)
    closed = next(a for a in closed_event["agenda"] if a["extras"]["arkiv_id"] == CLOSED_ITEM)
    assert closed["description"] and closed["classification"] == ["closed"] and closed["extras"]["closed"] is True
    assert closed["notes"] == [] and closed["extras"]["decision"] == "" and closed["extras"]["outcomes"]
    # The original holds the closed text: no link to it for an anonymous visitor.
    assert not any("/original" in s["url"] for s in closed_event["sources"] + closed_event["documents"])

    reader = private_app.test_client()
    sign_in(reader, READER)
    full = reader.get(f"/eksport.ocd.json?body={BODY}").get_data(as_text=True)
    assert CLOSED_WORD in full
    seen = json.loads(full)
    closed_event = next(ev for ev in seen["events"] if ev["extras"]["arkiv_id"] == CLOSED_MEETING)
    assert any("/original" in s["url"] for s in closed_event["sources"])
    assert seen["count"] > body["count"]                  # the internal meeting's items too


def test_cli_export_ocd(tmp_path, seed_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(seed_path, folder / seed_path.name)
    home = tmp_path / "home"

    def run(*args: str):
        return CliRunner().invoke(main, ["--home", str(home), *args], catch_exceptions=False)

    assert run("ingest", str(folder)).exit_code == 0
    result = run("export", "--format", "ocd", "--public-url", "https://arkiv.example.dk")
    assert result.exit_code == 0, result.output
    body = json.loads(result.output)
    assert json.loads(json.dumps(body)) == body
    assert body["format"] == "ocd-event" and body["event_count"] == 1 and body["count"] == 10
    [ev] = body["events"]
    _check_event(ev)
    assert [a["extras"]["number"] for a in ev["agenda"]] == [f"{n}/18" for n in range(44, 54)]
    assert [a["order"] for a in ev["agenda"]] == [str(n) for n in range(1, 11)]
    assert ev["extras"]["agenda_complete"] is True
    meeting_id = ev["extras"]["arkiv_id"]
    assert ev["id"] == event_id(meeting_id)
    assert ev["sources"][0] == {"url": f"https://arkiv.example.dk/moede/{meeting_id}", "note": "arkiv"}
    assert ev["sources"][1]["url"] == f"https://arkiv.example.dk/moede/{meeting_id}/original"
    assert ev["agenda"][0]["extras"]["permalink"].startswith("https://arkiv.example.dk/punkt/")
    out = tmp_path / "events.json"
    assert run("export", "--format", "ocd", "-o", str(out)).exit_code == 0
    again = json.loads(Path(out).read_text(encoding="utf-8"))
    assert again["events"][0]["id"] == ev["id"]                           # stable across exports
    assert again["events"][0]["sources"][0]["url"] == f"/moede/{meeting_id}"   # no public URL: from the root
