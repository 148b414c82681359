"""The current search as CSV, as JSON (the `arkiv export` shape) and as an Atom feed."""
from __future__ import annotations

import csv
import io
import json
from xml.etree import ElementTree as ET

from archive.export import CSV_COLUMNS, DANISH_COLUMNS, item_record

QUERY = "helgenomsekventering"
ATOM = "{http://www.w3.org/2005/Atom}"


def test_csv_export_is_for_a_danish_spreadsheet(client, seed_items):
    r = client.get("/eksport.csv", query_string={"q": QUERY})
    assert r.status_code == 200
    assert r.mimetype == "text/csv"
    assert r.headers["Content-Disposition"].startswith("attachment")
    assert r.data.startswith("\ufeff".encode())              # a BOM: Excel reads the UTF-8 (æøå) as such
    text = r.data.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("Punkt-id;Møde-id;Organ;Mødenummer;Mødedato;")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))   # semicolons: what Danish Excel splits on
    assert list(rows[0]) == [DANISH_COLUMNS[c] for c in CSV_COLUMNS]
    assert {row["Punktnummer"] for row in rows} == {"47/18", "48/18", "52/18"}
    row = next(row for row in rows if row["Punktnummer"] == "47/18")
    assert row["Punkt-id"] == seed_items["47/18"]
    assert row["Mødedato"] == "2018-06-20"
    assert row["Fremlagt af"].startswith("Gert Sørensen (direktør")
    assert row["Lukket punkt"] == "nej"
    assert "helgenomsekventering" in row["Referat"]
    assert r.headers["X-Arkiv-Total"] == "3" and r.headers["X-Arkiv-Rows"] == "3"


def test_csv_export_with_the_export_field_names(client, seed_items):
    r = client.get("/eksport.csv", query_string={"q": QUERY, "kolonner": "en"})
    rows = list(csv.DictReader(io.StringIO(r.data.decode("utf-8-sig"))))
    assert list(rows[0]) == CSV_COLUMNS               # the same columns as `arkiv export --format csv`
    row = next(row for row in rows if row["number"] == "47/18")
    assert row["id"] == seed_items["47/18"] and row["meeting_date"] == "2018-06-20"


def test_csv_export_keeps_filters_and_order(client):
    r = client.get("/eksport.csv", query_string={"presenter": "Gert Sørensen", "sort": "oldest", "page": "2"})
    rows = list(csv.DictReader(io.StringIO(r.data.decode("utf-8-sig")), delimiter=";"))
    assert [row["Punktnummer"] for row in rows] == ["46/18", "47/18", "48/18", "51/18", "52/18"]   # all, not page 2


def test_json_export_has_the_export_records(client, app, seed_items):

    r = client.get("/eksport.json", query_string={"q": QUERY, "sort": "oldest"})
    assert r.status_code == 200 and r.mimetype == "application/json"
    body = json.loads(r.data)
    assert body["total"] == 3 and body["count"] == 3 and body["truncated"] is False
    assert body["query"] == {"q": QUERY, "sort": "oldest"}
    assert [item["number"] for item in body["items"]] == ["47/18", "48/18", "52/18"]
    store = app.extensions["arkiv"].open_store()
    try:
        assert body["items"][0] == item_record(*store.get_item(seed_items["47/18"]))
    finally:
        store.close()


def test_export_limit(archive):
    from web import create_app

    app = create_app(archive.config(PUBLIC=True, EXPORT_LIMIT=2))
    body = json.loads(app.test_client().get("/eksport.json", query_string={"q": QUERY}).data)
    assert body["count"] == 2 and body["total"] == 3 and body["truncated"] is True


def test_export_bad_parameters(client):
    r = client.get("/eksport.json", query_string={"from": "2018-13-45"})
    assert r.status_code == 400 and r.get_json()["error"]["parameter"] == "from"
    r = client.get("/eksport.csv", query_string={"sort": "bedste"})
    assert r.status_code == 400 and "<code>sort</code>" in r.get_data(as_text=True)
    r = client.get("/feed.atom", query_string={"outcome": "nonsens"})
    assert r.status_code == 400


def test_atom_feed_is_valid_and_newest_first(client, seed_items):
    r = client.get("/feed.atom", query_string={"q": QUERY})
    assert r.status_code == 200
    assert r.mimetype == "application/atom+xml"
    root = ET.fromstring(r.data)
    assert root.tag == f"{ATOM}feed"
    assert root.findtext(f"{ATOM}id").startswith("http://localhost/feed.atom?q=")
    assert QUERY in root.findtext(f"{ATOM}title")
    assert root.findtext(f"{ATOM}updated") == "2018-06-20T00:00:00Z"
    assert root.find(f"{ATOM}author/{ATOM}name").text
    assert root.find(f"{ATOM}link[@rel='self']").get("href") == root.findtext(f"{ATOM}id")
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == 3
    permalinks = {f"http://localhost/punkt/{seed_items[n]}" for n in ("47/18", "48/18", "52/18")}
    assert {e.findtext(f"{ATOM}id") for e in entries} == permalinks
    for entry in entries:
        assert entry.find(f"{ATOM}link").get("href") == entry.findtext(f"{ATOM}id")
        # The body that decided, then the item.
        assert entry.findtext(f"{ATOM}title").startswith(
            "Bestyrelsen for den nationale strategi for Personlig Medicin 2017-2020 – pkt. ")
        assert entry.findtext(f"{ATOM}updated") == "2018-06-20T00:00:00Z"
        summary = entry.findtext(f"{ATOM}summary")
        assert "20. juni 2018" in summary and "<mark>" not in summary


def test_atom_feed_orders_newest_first_across_meetings(client):
    root = ET.fromstring(client.get("/feed.atom", query_string={"presenter": "Per Okkels"}).data)
    updated = [e.findtext(f"{ATOM}updated") for e in root.findall(f"{ATOM}entry")]
    assert updated[0].startswith("2018-09-12") and updated == sorted(updated, reverse=True)


def test_atom_feed_escapes_hostile_queries(client):
    r = client.get("/feed.atom", query_string={"q": "<script>&\"'"})
    assert r.status_code == 200
    root = ET.fromstring(r.data)                       # still well-formed XML
    assert "<script>" in root.findtext(f"{ATOM}title")


def test_anonymous_exports_over_the_limit_are_told_to_come_back(archive):
    """ANONYMOUS_EXPORTS at once per worker process: one more is a 429 with Retry-After and a Danish
    message (JSON for the JSON export, a page for the CSV); the slot is free again once the export
    that held it has been sent.  tests/test_export_load.py measures it under load."""
    from web import create_app

    client = create_app(archive.config(PUBLIC=True, ANONYMOUS_EXPORTS=1)).test_client()
    held = client.get("/eksport.json", buffered=False)      # streamed: its slot is held until it is sent
    assert held.status_code == 200
    refused = client.get("/eksport.json")
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    assert "Prøv igen om lidt" in refused.get_json()["error"]["message"]
    page = client.get("/eksport.csv")
    assert page.status_code == 429 and "Prøv igen om lidt" in page.get_data(as_text=True)
    body = b"".join(held.response)
    held.close()
    assert json.loads(body)["count"] >= 1
    again = client.get("/eksport.csv")
    assert again.status_code == 200 and int(again.headers["X-Arkiv-Rows"]) >= 1


def test_streamed_json_export_is_the_document_it_was(client):
    """The JSON export is written item by item now: byte for byte what one json.dumps wrote."""
    for query in ({}, {"q": QUERY}, {"q": "zzxqvwnomatch"}):
        text = client.get("/eksport.json", query_string=query).get_data(as_text=True)
        body = json.loads(text)
        assert list(body) == ["query", "total", "count", "limit", "truncated", "items"]
        assert body["count"] == len(body["items"]) and body["truncated"] is (body["total"] > body["count"])
        assert text == json.dumps(body, ensure_ascii=False, indent=1)
