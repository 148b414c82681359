"""Who sees what, on EVERY route: closed items' case text and internal meetings reach
signed-in users only.

The route list is the app's own url_map, so a new route is tested (or fails here
until its URL arguments are given values below) without anyone remembering to.
"""
from __future__ import annotations

import re
from urllib.parse import quote, unquote

import pytest
from helpers_auth import (
    BODY,
    CLOSED_ITEM,
    CLOSED_MEETING,
    CLOSED_WORD,
    EDITOR,
    INTERNAL_ITEM,
    INTERNAL_MEETING,
    INTERNAL_PERSON,
    INTERNAL_WORD,
    LEASE_ITEM,
    MARKED_MEETING,
    MARKED_WORD,
    READER,
    SALE_DECISION,
    SALE_ITEM,
    SECRETS,
    sign_in,
)

from web import create_app

# Values for every URL argument of every route: the private targets first.
ARGUMENTS = {
    "item_id": [CLOSED_ITEM, INTERNAL_ITEM, SALE_ITEM, LEASE_ITEM],
    "meeting_id": [CLOSED_MEETING, INTERNAL_MEETING, MARKED_MEETING],
    "name": [INTERNAL_PERSON, "Svend Sejlmager"],
    "body": [BODY, "Fjordby Havneudvalg"],
    "case": ["19/4471", "19/4480"],
    "token": ["ingen-saadan-afmelding"],
    "number": ["1", "2"],                   # a page of the original PDF (web.viewer)
    "filename": ["style.css", "upload.js"],
}


def _originals(app) -> dict[str, list[str]]:
    """meeting id → the sha256 of its originals, for the closed and internal meetings (/original/<sha>)."""
    store = app.extensions["arkiv"].open_store()
    try:
        found = {mid: [o.sha256 for o in store.meeting_originals(mid)] for mid in ARGUMENTS["meeting_id"]}
    finally:
        store.close()
    assert all(found.values())
    return found
# Query strings that try to reach private things through search, filters and facets.
# (Misspellings try "did you mean".)
QUERIES = ["", f"q={CLOSED_WORD}", f'q="{CLOSED_WORD}"', "q=kvistgård*", f"q={INTERNAL_WORD}", "q=tårnfalk*",
           "q=fortrolig", "q=tarnfalkeprojektet", "q=kvistgaardshandlen", "q=pakhuset OR opmudring",
           f"meeting={INTERNAL_MEETING}", f"presenter={INTERNAL_PERSON}", f"body={BODY}", "year=2019&sort=newest",
           "q=strategi&outcome=godkendt", f"q={MARKED_WORD}", "q=ålekvab*", "q=aalekvabben", "q=tilstandsrapport",
           "q=skrogværdien", "q=sygdom familien", "case=19/4471", "q=sag:19/4471", f"q=sag:19/4471 {MARKED_WORD}",
           f"meeting={MARKED_MEETING}", "outcome=godkendt&sort=oldest"]


def _rules(app, method: str = "GET"):
    return sorted((r for r in app.url_map.iter_rules() if method in r.methods), key=lambda r: r.rule)


def _urls(app, method: str = "GET") -> list[tuple[str, str]]:
    """(endpoint, URL) for every route and every combination of argument values."""
    out = []
    originals = _originals(app)
    for rule in _rules(app, method):
        missing = set(rule.arguments) - set(ARGUMENTS) - {"sha"}
        assert not missing, f"route {rule.rule} has arguments {missing}: give them values in ARGUMENTS"
        combos: list[dict[str, str]] = [{}]
        for arg in sorted(rule.arguments - {"sha"}):
            combos = [dict(c, **{arg: v}) for c in combos for v in ARGUMENTS[arg]]
        if "sha" in rule.arguments:         # a meeting's own originals
            combos = [dict(c, sha=sha) for c in combos for sha in originals[c["meeting_id"]]]
        for values in combos:
            path = rule.rule
            for arg, value in values.items():
                path = path.replace(f"<{arg}>", quote(value)).replace(f"<path:{arg}>", quote(value))
            out.append((rule.endpoint, path))
    return out


def _leaks(url: str, response) -> list[str]:
    """Private texts in the response that the request itself did not contain."""
    asked = unquote(url).casefold()
    body = response.get_data(as_text=True).casefold()
    headers = " ".join(f"{k}: {v}" for k, v in response.headers.items()).casefold()
    return [s for s in SECRETS if s.casefold() not in asked and (s.casefold() in body or s.casefold() in headers)]


@pytest.fixture(scope="module")
def public_app(private_archive):
    return create_app(private_archive.config(PUBLIC=True))


@pytest.fixture(scope="module")
def private_app(private_archive):
    return create_app(private_archive.config())


def test_every_route_is_covered(public_app):
    endpoints = {e for e, _ in _urls(public_app)}
    # The routes this test file was written against; a new one is covered by the loops below.
    assert {"search.index", "search.export_csv", "search.export_json", "search.feed", "browse.item",
            "browse.meeting", "browse.original", "browse.original_file", "browse.person", "browse.meetings", "browse.bodies",
            "api.search", "api.item", "api.meeting", "upload.index", "edit.meeting", "edit.item", "edit.log",
            "auth.signin", "static"} <= endpoints


@pytest.mark.slow
def test_signed_out_on_a_public_site_no_route_shows_anything_private(public_app):
    client = public_app.test_client()
    checked = 0
    for endpoint, path in _urls(public_app):
        for query in QUERIES:
            url = f"{path}?{query}" if query else path
            response = client.get(url)
            assert response.status_code in (200, 302, 400, 404), (url, response.status_code)
            assert not _leaks(url, response), (endpoint, url, _leaks(url, response))
            checked += 1
    assert checked > 300


def test_signed_out_on_a_private_site_every_route_but_sign_in_asks_to_sign_in(private_app):
    client = private_app.test_client()
    for endpoint, path in _urls(private_app):
        response = client.get(path)
        if endpoint == "alerts.unsubscribe":        # open: its token is the secret (unknown here: 404)
            assert response.status_code == 404, path
            continue
        if endpoint in ("auth.signin", "static", "healthz"):
            assert response.status_code == 200, path
            continue
        if path.startswith("/api/") or path.endswith((".json", ".csv", ".atom")):
            assert response.status_code == 401, path
            assert response.get_json()["error"]["message"] == "Log ind for at bruge arkivet."
        else:
            assert response.status_code == 302, path
            assert response.headers["Location"].startswith("/log-ind?next="), path
        assert not _leaks(path, response), path


def test_signed_out_posts_change_nothing(public_app, private_archive):
    client = public_app.test_client()
    for endpoint, path in _urls(public_app, "POST"):
        if endpoint == "auth.signin":
            continue
        response = client.post(path, data={"title": "Ændret", "body": "Ændret"})
        if endpoint == "alerts.unsubscribe":       # open (RFC 8058's one-click POST): an unknown token is 404
            assert response.status_code == 404, path
            continue
        assert response.status_code in (302, 400), (path, response.status_code)
    store = private_archive.store()
    try:
        assert store.get_meeting(CLOSED_MEETING).body == BODY
        assert "Ændret" not in {it.title for it in store.get_meeting(CLOSED_MEETING).items}
    finally:
        store.close()


@pytest.mark.parametrize("who", [READER, EDITOR])
def test_signed_in_every_route_answers(public_app, who):
    client = public_app.test_client()
    assert sign_in(client, who).status_code == 302
    editor_only = {"upload.index", "edit.meeting", "edit.item", "edit.log", "merge.merge"}
    for endpoint, path in _urls(public_app):
        response = client.get(path)
        if endpoint in editor_only and who == READER:
            assert response.status_code == 403, path
        elif endpoint == "alerts.unsubscribe":     # a token no follow has
            assert response.status_code == 404, path
        elif endpoint.startswith("viewer."):       # these minutes are text, no PDF (tests/test_web_viewer.py)
            assert response.status_code == 404, path
        else:
            assert response.status_code in (200, 302), (path, response.status_code)


# -- the rules route by route ------------------------------------------------------------

@pytest.fixture()
def anon(public_app):
    return public_app.test_client()


@pytest.fixture()
def reader(public_app):
    client = public_app.test_client()
    sign_in(client, READER)
    return client


def test_search_does_not_find_closed_case_text_or_internal_meetings_signed_out(anon, reader):
    for q in (CLOSED_WORD, f'"{CLOSED_WORD}"', "kvistgård*", "pakhuset", INTERNAL_WORD, "tårnfalk*"):
        assert anon.get(f"/api/search?q={q}").get_json()["total"] == 0, q
        assert reader.get(f"/api/search?q={q}").get_json()["total"] == 1, q
    # The closed item itself is public by its title, not by its decision.
    assert [h["id"] for h in anon.get("/api/search?q=ejendom kajen").get_json()["results"]] == [CLOSED_ITEM]
    assert anon.get("/api/search?q=ejendom kajen godkendte").get_json()["total"] == 0


def test_signed_in_snippets_quote_the_closed_text(reader):
    hit = reader.get(f"/api/search?q={CLOSED_WORD}").get_json()["results"][0]
    assert hit["id"] == CLOSED_ITEM
    assert f"<mark>{CLOSED_WORD}</mark>" in hit["snippet"]


def test_totals_and_facets_do_not_count_internal_meetings(anon, reader):
    def counts(client):
        data = client.get(f"/api/search?body={BODY}").get_json()
        facets = {f["value"]: f["count"] for f in data["facets"]["presenter"]}
        return data["total"], facets

    total, presenters = counts(anon)
    # The closed item's presenter is private too: one of Svend Sejlmager's two items counts signed out.
    assert total == 4 and INTERNAL_PERSON not in presenters and presenters["Svend Sejlmager"] == 1
    total, presenters = counts(reader)
    assert total == 6 and presenters[INTERNAL_PERSON] == 1
    anon_years = {f["value"]: f["count"] for f in anon.get("/api/search?q=").get_json()["facets"]["year"]}
    reader_years = {f["value"]: f["count"] for f in reader.get("/api/search?q=").get_json()["facets"]["year"]}
    assert reader_years["2019"] - anon_years["2019"] == 2


def test_closed_item_shows_title_number_and_outcome_only(anon, reader):
    record = anon.get(f"/api/items/{CLOSED_ITEM}").get_json()
    assert record["title"] == "Køb af ejendom ved kajen" and record["closed"] is True
    assert record["decision"] == "" and record["outcomes"] == ["godkendt"] and record["number"] == "12/19"
    assert record["description"] == record["recommendation"] == record["minutes"] == ""
    page = anon.get(f"/punkt/{CLOSED_ITEM}").get_data(as_text=True)
    assert "Køb af ejendom ved kajen" in page and "Bestyrelsen godkendte indstillingen." not in page
    assert "Kun nummer, titel og udfald er offentlige" in page
    full = reader.get(f"/punkt/{CLOSED_ITEM}").get_data(as_text=True)
    assert CLOSED_WORD in full and "mandat til at afslutte" in full
    meeting = anon.get(f"/api/meetings/{CLOSED_MEETING}").get_json()
    closed = next(it for it in meeting["items"] if it["id"] == CLOSED_ITEM)
    assert closed["description"] == closed["minutes"] == closed["decision"] == ""


def test_items_marked_closed_in_their_titles_show_their_outcomes_only(anon, reader):
    """"Lukket: …", "… (Lukket)" and a "Fortroligt" line close an item and leave its title; anyone
    reads its number, title and outcome, no one signed out its decision, who voted against,
    case text, minutes, case number, case history or attachments."""
    sale = anon.get(f"/api/items/{SALE_ITEM}").get_json()
    assert (sale["title"], sale["closed"], sale["case_number"]) == ("Salg af bådehal ved nordmolen", True, "19/4471")
    assert sale["decision"] == "" and sale["outcomes"] == ["godkendt"] and sale["dissent"] == []
    assert sale["minutes"] == sale["description"] == sale["recommendation"] == ""
    assert sale["history"] == [] and sale["attachments"] == []
    lease = anon.get(f"/api/items/{LEASE_ITEM}").get_json()
    assert (lease["title"], lease["closed"]) == ("Forpagtning af fiskehuset", True)
    assert lease["decision"] == "" and lease["description"] == ""
    page = anon.get(f"/punkt/{SALE_ITEM}").get_data(as_text=True)
    assert SALE_DECISION.split(". ")[0] not in page and "Karl Kajgaard" not in page
    assert 'id="bilag"' not in page and 'id="referat"' not in page and 'id="beslutning"' not in page
    # Signed in, everything: the minutes around the decision, the case history, the attachments.
    full = reader.get(f"/punkt/{SALE_ITEM}").get_data(as_text=True)
    for text in (MARKED_WORD, "drøftede buddet", "skrogværdien", "Tilstandsrapport for bådehallen", 'id="referat"'):
        assert text in full, text
    assert reader.get(f"/api/items/{SALE_ITEM}").get_json()["attachments"][1]["title"] == \
        "Tilstandsrapport for bådehallen"
    # The case number (an identifier, like the item's number) finds the closed item for anyone,
    # by its public fields only.
    for query in ("case=19/4471", "q=sag:19/4471"):
        hits = anon.get(f"/api/search?{query}").get_json()["results"]
        assert [h["id"] for h in hits] == [SALE_ITEM] and MARKED_WORD not in str(hits)
    assert anon.get(f"/api/search?q=sag:19/4471 {MARKED_WORD}").get_json()["total"] == 0
    assert reader.get(f"/api/search?q=sag:19/4471 {MARKED_WORD}").get_json()["total"] == 1


def test_internal_meeting_does_not_exist_signed_out(anon, reader):
    for url in (f"/moede/{INTERNAL_MEETING}", f"/punkt/{INTERNAL_ITEM}", f"/api/meetings/{INTERNAL_MEETING}",
                f"/api/items/{INTERNAL_ITEM}", f"/moede/{INTERNAL_MEETING}/original", f"/person/{INTERNAL_PERSON}"):
        assert anon.get(url).status_code == 404, url
        assert reader.get(url).status_code == 200, url
    assert INTERNAL_MEETING not in anon.get("/moeder").get_data(as_text=True)
    assert INTERNAL_MEETING in reader.get("/moeder").get_data(as_text=True)
    assert "Mødet er internt" in reader.get(f"/moede/{INTERNAL_MEETING}").get_data(as_text=True)
    # The bodies list counts one meeting (4 items) of the body for anonymous visitors, two (6) signed in.
    assert _body_counts(anon.get("/organer").get_data(as_text=True)) == (1, 4)
    assert _body_counts(reader.get("/organer").get_data(as_text=True)) == (2, 6)
    # A meeting filter by id says nothing about the meeting.
    page = anon.get(f"/?meeting={INTERNAL_MEETING}").get_data(as_text=True)
    assert "Ingen resultater" in page and "4. møde" not in page


def _body_counts(html: str) -> tuple[int, int]:
    row = html[html.index(f">{BODY}</a>"):]
    found = re.search(r'">(\d+)</a></td>\s*<td class="num">(\d+)</td>', row)
    assert found, row[:400]
    return int(found.group(1)), int(found.group(2))


def test_originals_with_private_text_are_not_downloadable_signed_out(anon, reader, seed_meeting):
    assert anon.get(f"/moede/{CLOSED_MEETING}/original").status_code == 404
    page = anon.get(f"/moede/{CLOSED_MEETING}").get_data(as_text=True)
    assert "Kun for brugere, der er logget ind" in page and "/original" not in page
    response = reader.get(f"/moede/{CLOSED_MEETING}/original")
    assert response.status_code == 200 and CLOSED_WORD.encode() in response.data
    assert response.headers["Cache-Control"] == "private, no-store"
    # A meeting without anything private stays downloadable for everyone.
    assert anon.get(f"/moede/{seed_meeting.id}/original").status_code == 200


def test_exports_and_feed_signed_out(anon, reader):
    csv_text = anon.get(f"/eksport.csv?body={BODY}").get_data(as_text=True)
    assert "Køb af ejendom ved kajen" in csv_text and INTERNAL_WORD not in csv_text and CLOSED_WORD not in csv_text
    items = anon.get(f"/eksport.json?body={BODY}").get_json()["items"]
    assert len(items) == 4
    closed = next(i for i in items if i["id"] == CLOSED_ITEM)
    assert closed["description"] == closed["minutes"] == closed["decision"] == "" and closed["outcomes"]
    assert len(reader.get(f"/eksport.json?body={BODY}").get_json()["items"]) == 6
    assert CLOSED_WORD in reader.get(f"/eksport.csv?q={CLOSED_WORD}").get_data(as_text=True)
    feed = anon.get(f"/feed.atom?q={INTERNAL_WORD}").get_data(as_text=True)
    assert "<entry>" not in feed
    feed = anon.get(f"/feed.atom?body={BODY}").get_data(as_text=True)
    assert feed.count("<entry>") == 4 and "fortrolig" not in feed


def test_did_you_mean_offers_no_word_of_an_internal_meeting(anon, reader):
    assert anon.get("/api/search?q=tarnfalkeprojektet").get_json()["suggestion"] is None
    assert reader.get("/api/search?q=tarnfalkeprojektet").get_json()["suggestion"] == INTERNAL_WORD
    assert anon.get("/api/search?q=opmudrinh").get_json()["suggestion"] == "opmudring"
