"""Reading without searching: item, meeting, original file, presenter, meetings, bodies."""
from __future__ import annotations

import re

from conftest import SEED

CITATION_47 = ("Bestyrelsen for den nationale strategi for Personlig Medicin 2017-2020, 6. møde, "
               "20. juni 2018, pkt. 47/18: Status og planer for arbejdet med national teknologisk "
               "infrastruktur til Personlig Medicin")


def textarea(text: str, id_: str) -> str:
    import html

    m = re.search(rf'<textarea id="{id_}"[^>]*>(.*?)</textarea>', text, re.S)
    assert m, f"no textarea #{id_}"
    return html.unescape(m.group(1))


def test_item_page_shows_the_whole_item(client, parse_html, seed_items, seed_meeting):
    r = client.get(f"/punkt/{seed_items['47/18']}")
    assert r.status_code == 200
    page = parse_html(r.get_data(as_text=True))
    assert len(page.find_all("h1")) == 1
    for heading in ("Sagsfremstilling", "Indstilling", "Beslutning"):
        assert f">{heading}</h2>" in page.text
    # The minutes answer the recommendation: they are the decision, shown once.
    assert ">Referat</h2>" not in page.text
    assert "national teknologisk infrastruktur" in page.text
    assert "Drøftet" in page.text or "Taget til efterretning" in page.text
    assert "kl. 16:30–17:00" in page.text
    assert page.link("Gert Sørensen") == "/personer/Gert%20S%C3%B8rensen"
    assert "direktør i Nationalt Genom Center" in page.text          # the presenter's role
    assert "<dt>Lukket punkt</dt><dd>Nej</dd>" in page.text
    assert page.link("6. møde") == f"/moede/{seed_meeting.id}"
    # Previous and next item of the same meeting.
    assert page.link("Forrige punkt") == f"/punkt/{seed_items['46/18']}"
    assert page.link("Næste punkt") == f"/punkt/{seed_items['48/18']}"


def test_item_citation_and_permalink(client, seed_items):
    item_id = seed_items["47/18"]
    text = client.get(f"/punkt/{item_id}").get_data(as_text=True)
    permalink = f"http://localhost/punkt/{item_id}"
    assert textarea(text, "citation") == f"{CITATION_47}\n{permalink}"
    assert f'<a href="{permalink}">{permalink}</a>' in text
    # The copy button is progressive enhancement: hidden until the script (from /static) shows it.
    assert re.search(r'<button type="button" class="copy-button" data-copy-target="citation" hidden>Kopiér</button>', text)
    assert '<script src="/static/copy.js" defer></script>' in text


def test_permalinks_use_public_url_when_configured(archive, seed_items):
    from web import create_app

    app = create_app(archive.config(PUBLIC=True, PUBLIC_URL="https://arkiv.example.dk/"))
    text = app.test_client().get(f"/punkt/{seed_items['47/18']}").get_data(as_text=True)
    assert f"https://arkiv.example.dk/punkt/{seed_items['47/18']}" in textarea(text, "citation")


def test_first_and_last_items_have_one_neighbour(client, seed_items):
    first = client.get(f"/punkt/{seed_items['44/18']}").get_data(as_text=True)
    last = client.get(f"/punkt/{seed_items['53/18']}").get_data(as_text=True)
    assert "Forrige punkt" not in first and "Næste punkt" in first
    assert "Næste punkt" not in last and "Forrige punkt" in last


def test_closed_item_is_flagged(client):
    hits = client.get("/api/search", query_string={"q": "Personsag"}).get_json()["results"]
    closed = [h for h in hits if h["number"] == "57/18"]
    assert closed, "the web fixture's closed item 57/18 is not in the index"
    text = client.get(f"/punkt/{closed[0]['id']}").get_data(as_text=True)
    assert "<dt>Lukket punkt</dt><dd>Ja</dd>" in text


def test_meeting_page(client, parse_html, seed_meeting, seed_items):
    r = client.get(f"/moede/{seed_meeting.id}")
    assert r.status_code == 200
    page = parse_html(r.get_data(as_text=True))
    assert len(page.find_all("h1")) == 1
    assert "onsdag 20. juni 2018, kl. 16:00–18:00" in re.sub(r"<[^>]+>", "", page.text)
    assert "Holbergsgade 6" in page.text
    # The agenda with times and presenters, each item linked.
    assert "16:30–17:00" in page.text
    assert page.link("Status og planer for arbejdet med national teknologisk") == f"/punkt/{seed_items['47/18']}"
    assert len([h for h, _t, _a in page.links if h.startswith("/punkt/")]) == len(seed_meeting.items)
    # Participants with notes, secretariat, absences.
    for heading in ("Deltagere", "Sekretariat", "Afbud"):
        assert re.search(rf">{heading}( <span|</h2>)", page.text), heading
    assert "deltog i stedet for Ole" in page.text
    assert "Søren Brostrøm" in page.text                      # sent apologies ("Afbud")
    assert page.link("Hent originalfilen") == f"/moede/{seed_meeting.id}/original"
    assert page.link("Søg i dette møde") == f"/?meeting={seed_meeting.id}"


def test_search_within_a_meeting(client, parse_html, seed_meeting):
    page = parse_html(client.get("/", query_string={"meeting": seed_meeting.id}).get_data(as_text=True))
    assert f"{len(seed_meeting.items)} resultater" in page.text
    assert "Møde:" in page.text and "6. møde (2018-06-20)" in page.text


def test_original_download_is_the_seed_file(client, seed_meeting):
    r = client.get(f"/moede/{seed_meeting.id}/original")
    assert r.status_code == 200
    assert r.data == SEED.read_bytes()
    assert r.mimetype == "text/plain"
    assert SEED.name in r.headers["Content-Disposition"]
    assert r.headers["Content-Disposition"].startswith("attachment")


def test_person_page(client, parse_html):
    r = client.get("/person/Gert Sørensen")
    assert r.status_code == 200
    page = parse_html(r.get_data(as_text=True))
    numbers = re.findall(r'<span class="hit-number">pkt\. ([^<]+)</span>', page.text)
    assert numbers == ["46/18", "47/18", "48/18", "51/18", "52/18"]   # same day: agenda order
    assert "Har fremlagt 5 punkter" in page.text
    # Counts by outcome, each a link to the filtered search.
    counts = dict((label, int(n)) for n, label in re.findall(
        r'<span class="stat-count">(\d+)</span> <span class="stat-label">([^<]+)</span>', page.text))
    assert sum(counts.values()) >= 5
    assert counts.get("Drøftet") == 2
    assert "/?presenter=Gert+S%C3%B8rensen&amp;outcome=droeftet" in page.text


def test_person_page_newest_first_across_meetings(client):
    text = client.get("/person/Per Okkels").get_data(as_text=True)
    text = text[text.index('id="fremlagt-punkter"'):text.index("</section>", text.index('id="fremlagt-punkter"'))]
    dates = re.findall(r'<time datetime="([^"]*)"', text)
    assert dates[0] == "2018-09-12" and dates == sorted(dates, reverse=True)


def test_unknown_person_is_404(client):
    r = client.get("/person/Ingen Sådan Person")
    assert r.status_code == 404
    assert "Siden findes ikke" in r.get_data(as_text=True)


def test_meetings_and_bodies_lists(client, parse_html, seed_meeting):
    meetings = parse_html(client.get("/moeder").get_data(as_text=True))
    assert meetings.link("6. møde") == f"/moede/{seed_meeting.id}"
    assert ">2018</h2>" in meetings.text
    bodies = parse_html(client.get("/organer").get_data(as_text=True))
    href = bodies.link(seed_meeting.body)
    assert href.startswith("/organer/Bestyrelsen%20for%20den%20nationale")     # the body's own page
    # The body's meetings, linked from the count.
    assert "/moeder?body=Bestyrelsen" in bodies.text
    only = client.get("/moeder", query_string={"body": seed_meeting.body}).get_data(as_text=True)
    assert "2 møder" in only


def test_unknown_ids_are_friendly_404_pages(client, parse_html):
    for url in ("/punkt/findes-ikke", "/moede/findes-ikke", "/moede/findes-ikke/original",
                "/punkt/<script>", "/slet-ikke-en-side"):
        r = client.get(url)
        assert r.status_code == 404, url
        page = parse_html(r.get_data(as_text=True))
        assert "Siden findes ikke" in page.text
        assert page.find_all("input", name="q")
        assert "<script>" not in page.text.split("</head>")[1].replace('<script src=', '')


def test_bad_page_on_meetings_list_is_400(client):
    assert client.get("/moeder?page=abc").status_code == 400
    assert client.get("/moeder?page=0").status_code == 400
    assert client.get("/moeder?page=99").status_code == 200
