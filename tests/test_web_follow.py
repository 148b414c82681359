"""The pages of a body, a case and a person (issue 22), and their JSON: fictional minutes of
tests/fixtures/follow (a sailing club's board over three meetings, a municipal committee that
treats one of its cases), ingested into a real store and index; who sees what on the private
archive of tests/helpers_auth.py."""
from __future__ import annotations

import html
import re
from urllib.parse import quote

import pytest
from conftest import FIXTURES, Archive, ingest_into
from helpers_auth import BODY, INTERNAL_MEETING, INTERNAL_PERSON, MARKED_WORD, SALE_ITEM, SECRETS, sign_in

from web import create_app

FOLLOW = FIXTURES / "follow"
CLUB = "Bestyrelsen for Fjordby Sejlklub"
COMMITTEE = "Fjordby Fritidsudvalg"
CASE = "SK-2023-017"
FIRST = "2023-03-07-bestyrelsen-for-fjordby-sejlklub-1"
SECOND = "2023-09-12-bestyrelsen-for-fjordby-sejlklub-2"
THIRD = "2024-02-20-bestyrelsen-for-fjordby-sejlklub-3"
COUNCIL = "2023-10-30-fjordby-fritidsudvalg-8"


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    home = tmp_path_factory.mktemp("follow")
    report = ingest_into(Archive(home), sorted(FOLLOW.glob("*.txt")))
    assert not report.failed and report.count("added") == 4, report.summary()
    return home


@pytest.fixture(scope="module")
def client(home):
    return create_app({"TESTING": True, "ARKIV_HOME": str(home), "PUBLIC": True}).test_client()


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.get_data(as_text=True)


def _section(text: str, id_: str) -> str:
    start = text.index(f'id="{id_}"')
    return text[start:text.index("</section>", start)]


def _lead(text: str, id_: str) -> str:
    start = text.index(">", text.index(f'id="{id_}"')) + 1
    return _text(text[start:text.index("</p>", start)])


def _text(fragment: str) -> str:
    """The words of an HTML fragment, tags as spaces (none before punctuation)."""
    words = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())
    return re.sub(r" ([,.:;)])", r"\1", words)


# -- a body ---------------------------------------------------------------------------------

def test_body_page_lists_meetings_by_year_latest_minutes_and_people(client):
    text = _page(client, f"/organer/{CLUB}")
    assert "<h1>Bestyrelsen for Fjordby Sejlklub</h1>" in text
    lead = _lead(text, "body-summary")
    assert "3 møder med 7 punkter, 7. marts 2023 – 20. februar 2024." in lead
    # Meetings newest first under their years; the committee's meeting is not the club's.
    meetings = _section(text, "moeder")
    assert meetings.index(">2024</h3>") < meetings.index(">2023</h3>")
    assert meetings.index(f"/moede/{THIRD}") < meetings.index(f"/moede/{SECOND}") < meetings.index(f"/moede/{FIRST}")
    assert COUNCIL not in meetings
    assert "2024: 1 møde · 2023: 2 møder" in _text(meetings)
    # The latest minutes with their agenda (a closed item by its public title).
    latest = _text(_section(text, "seneste"))
    assert "Bestyrelsen for Fjordby Sejlklub, 3. møde, 20. februar 2024" in latest
    assert "pkt. 1 Salg af klubbens gamle motorbåd Lukket punkt Godkendt" in latest
    assert "pkt. 2 Standerhejsning Taget til efterretning" in latest
    # People seen in the attendance: roles, meetings attended, absences, the substitute.
    people = _section(text, "personer")
    rows = {_text(r.split("</th>")[0]): _text(r.split("</th>")[1]) for r in re.findall(r"<tr>(.*?)</tr>", people, re.S)[1:]}
    assert rows["Henrik Havmåge"] == "formand 3 0 20. februar 2024"
    assert rows["Mads Masteløs"] == "bestyrelsesmedlem 2 1 20. februar 2024"
    assert rows["Sofie Sejlgaard"] == "kasserer 2 1 12. september 2023"
    assert rows["Jonna Jolle"] == "suppleant; stedfortræder 1 gang 1 0 12. september 2023"
    assert rows["Tove Tovværk"] == "sekretær; sekretariat 1 0 7. marts 2023"
    assert list(rows)[0] == "Henrik Havmåge"                        # the most present first
    assert f'href="/personer/{quote("Mads Masteløs")}"' in people
    # No meeting kind in these minutes: the page says nothing about kinds.
    assert "Mødetyper" not in text
    # Follow it: its search and its feed.
    assert f'href="/feed.atom?body={quote(CLUB).replace("%20", "+")}&amp;order=added"' in text


def test_body_json_is_the_page_data(client):
    data = client.get(f"/api/organer/{CLUB}").get_json()
    text = _page(client, f"/organer/{CLUB}")
    assert data["body"] == CLUB and data["meeting_count"] == 3 and data["item_count"] == 7
    assert [m["id"] for y in data["years"] for m in y["meetings"]] == [THIRD, SECOND, FIRST]
    assert [y["year"] for y in data["years"]] == ["2024", "2023"]
    assert data["latest"]["id"] == THIRD
    assert [it["title"] for it in data["latest"]["agenda"]] == ["Salg af klubbens gamle motorbåd", "Standerhejsning"]
    assert data["kinds"] == []
    people = {p["name"]: p for p in data["people"]}
    assert people["Jonna Jolle"]["roles"] == ["suppleant"] and people["Jonna Jolle"]["substitute"] == 1
    assert people["Mads Masteløs"]["attended"] == 2 and people["Mads Masteløs"]["absent"] == 1
    for person in data["people"]:              # everyone in the JSON is on the page, linked
        assert f'<a href="{person["url"]}">{person["name"]}</a>' in text
    for entry in (m for y in data["years"] for m in y["meetings"]):
        assert f'<a href="{entry["url"]}">{entry["label"]}</a>' in text


def test_body_page_errors(client):
    assert client.get("/organer/Fjordby Ingenting").status_code == 404
    assert client.get("/api/organer/Fjordby Ingenting").status_code == 404
    assert client.get(f"/organer/{CLUB}?page=2").status_code == 404        # one page of meetings only
    assert client.get(f"/organer/{CLUB}?page=nul").status_code == 400
    assert client.get(f"/api/organer/{CLUB}?page=nul").get_json()["error"]["parameter"] == "page"


# -- a case ---------------------------------------------------------------------------------

def test_case_page_follows_the_case_across_bodies_in_date_order(client):
    text = _page(client, f"/sager/{CASE}")
    assert f"<h1>{CASE}</h1>" in text
    history = text[text.index('class="case-history"'):text.index("</ol>", text.index('class="case-history"'))]
    steps = [_text(s.split(">", 1)[1]) for s in history.split('<li class="case-step"')[1:]]
    assert len(steps) == 3
    assert steps[0].startswith("pkt. 2 Nyt slæbested ved klubhuset 7. marts 2023 · Bestyrelsen for Fjordby Sejlklub")
    assert "Udsat" in steps[0] and "Sagen blev udsat til næste møde." in steps[0]
    assert steps[1].startswith("pkt. 1 Nyt slæbested ved klubhuset 12. september 2023")
    assert "Godkendt" in steps[1] and "Tog forbehold Sofie Sejlgaard" in steps[1]
    assert steps[2].startswith("pkt. 1 Tilskud til nyt slæbested i Fjordby Sejlklub 30. oktober 2023 · Fjordby Fritidsudvalg")
    assert "Afstemning 7 for, 2 imod" in steps[2]
    lead = _lead(text, "case-summary")
    assert lead == "3 punkter i 2 organer, 7. marts 2023 – 30. oktober 2023. Ældste først."
    # Links: each body's page, each dissenter's page.
    assert f'href="/organer/{quote(COMMITTEE)}"' in text
    assert f'<a href="/personer/{quote("Sofie Sejlgaard")}">Sofie Sejlgaard</a>' in history


def test_case_json_is_the_page_data(client):
    data = client.get(f"/api/sager/{CASE}").get_json()
    text = _page(client, f"/sager/{CASE}")
    assert [s["id"] for s in data["items"]] == [f"{FIRST}--2", f"{SECOND}--1", f"{COUNCIL}--1"]
    assert [s["date"] for s in data["items"]] == sorted(s["date"] for s in data["items"])
    assert [b["name"] for b in data["bodies"]] == [CLUB, COMMITTEE]
    second, council = data["items"][1], data["items"][2]
    assert second["dissent"] == [{"name": "Sofie Sejlgaard", "url": "/personer/Sofie%20Sejlgaard", "kind": "forbehold",
                                  "label": "Tog forbehold", "text": "Sofie Sejlgaard tog forbehold."}]
    assert council["votes"] == {"in_favour": 7, "against": 2, "abstained": None}
    assert council["decision"] == "Udvalget godkendte anlægstilskuddet med 7 stemmer for og 2 imod."
    for step in data["items"]:
        assert f'href="{step["url"]}"' in text and html.escape(step["decision"], quote=False) in text
    assert client.get("/sager/XX-0000-000").status_code == 404
    assert client.get("/api/sager/XX-0000-000").status_code == 404


# -- a person -------------------------------------------------------------------------------

def test_person_page_attendance_substitute_and_dissent(client):
    text = _page(client, f"/personer/{quote('Mads Masteløs')}")
    assert "<h1>Mads Masteløs</h1>" in text
    lead = _lead(text, "person-summary")
    assert lead == ("Har fremlagt 0 punkter og er nævnt i fremmødet til 3 møder i Bestyrelsen for Fjordby Sejlklub. "
                    "Roller: bestyrelsesmedlem.")
    attended = _section(text, "moeder-deltaget")
    rows = [_text(r) for r in re.findall(r"<tr>(.*?)</tr>", attended, re.S)[1:]]
    assert rows == ["20. februar 2024 Bestyrelsen for Fjordby Sejlklub, 3. møde Deltog bestyrelsesmedlem",
                    "12. september 2023 Bestyrelsen for Fjordby Sejlklub, 2. møde Afbud bestyrelsesmedlem",
                    "7. marts 2023 Bestyrelsen for Fjordby Sejlklub, 1. møde Deltog bestyrelsesmedlem"]
    dissent = _text(_section(text, "dissens-punkter"))
    assert "Imod: pkt. 3 Kontingent for 2024 7. marts 2023 · Bestyrelsen for Fjordby Sejlklub" in dissent
    assert "Mads Masteløs stemte imod." in dissent
    # The substitute's page names whom she stood in for, linked.
    jonna = _page(client, f"/personer/{quote('Jonna Jolle')}")
    row = _text(re.findall(r"<tr>(.*?)</tr>", _section(jonna, "moeder-deltaget"), re.S)[1])
    assert row == "12. september 2023 Bestyrelsen for Fjordby Sejlklub, 2. møde Deltog i stedet for Mads Masteløs suppleant"
    assert f'href="/personer/{quote("Mads Masteløs")}"' in jonna


def test_person_page_items_presented_in_two_bodies(client):
    text = _page(client, f"/personer/{quote('Henrik Havmåge')}")
    presented = _section(text, "fremlagt-punkter")
    numbers = re.findall(r'<span class="hit-number">pkt\. ([^<]+)</span> ([^<]+)</a>', presented)
    assert numbers == [("2", "Standerhejsning"), ("1", "Nyt slæbested ved klubhuset"), ("2", "Nyt slæbested ved klubhuset")]
    lead = _lead(text, "person-summary")
    assert lead.startswith("Har fremlagt 3 punkter og er nævnt i fremmødet til 4 møder i 2 organer.")
    assert "Roller: formand, tilforordnet." in lead
    data = client.get(f"/api/personer/{quote('Henrik Havmåge')}").get_json()
    assert [i["id"] for i in data["presented"]["items"]] == [f"{THIRD}--2", f"{SECOND}--1", f"{FIRST}--2"]
    assert [(a["id"], a["status"], a["role"]) for a in data["attended"]] == [
        (THIRD, "deltog", "formand"), (COUNCIL, "deltog", "tilforordnet"), (SECOND, "deltog", "formand"),
        (FIRST, "deltog", "formand")]
    for a in data["attended"]:
        assert f'<a href="{a["url"]}">{a["label"]}</a>' in text
    assert data["dissent"] == []
    # The old presenter address shows the same page.
    old = client.get(f"/person/{quote('Henrik Havmåge')}").get_data(as_text=True)
    assert _section(old, "fremlagt-punkter") == presented and _section(old, "moeder-deltaget") in text
    assert client.get("/personer/Ingen Sådan Person").status_code == 404
    assert client.get("/api/personer/Ingen Sådan Person").status_code == 404


# -- links to the pages ---------------------------------------------------------------------

def test_meeting_item_and_result_pages_link_to_body_case_and_person(client):
    meeting = _page(client, f"/moede/{SECOND}")
    assert f'<a href="/organer/{quote(CLUB)}">{CLUB}</a>' in meeting
    assert f'<a href="/personer/{quote("Jonna Jolle")}">Jonna Jolle</a>' in meeting
    item = _page(client, f"/punkt/{SECOND}--1")
    assert f'<dd><a href="/sager/{CASE}"' in item
    assert f'<a href="/organer/{quote(CLUB)}">{CLUB}</a>' in item
    results = _page(client, "/?q=slæbested")
    assert f'href="/personer/{quote("Henrik Havmåge")}"' in results
    bodies = _page(client, "/organer")
    assert f'<a href="/organer/{quote(COMMITTEE)}">{COMMITTEE}</a>' in bodies


# -- who sees what --------------------------------------------------------------------------

@pytest.fixture(scope="module")
def private_clients(private_archive):
    app = create_app(private_archive.config(PUBLIC=True))
    reader = app.test_client()
    assert sign_in(reader, "laeser").status_code == 302
    return app.test_client(), reader


def _leaks(text: str) -> list[str]:
    return [s for s in SECRETS if s.casefold() in text.casefold()]


def test_pages_show_anonymous_visitors_only_what_they_may_see(private_clients):
    anon, reader = private_clients
    for url in (f"/organer/{BODY}", f"/api/organer/{BODY}", "/sager/19/4471", "/api/sager/19/4471",
                "/personer/Karl Kajgaard", "/api/personer/Karl Kajgaard", "/organer/Fjordby Havneudvalg"):
        response = anon.get(url)
        assert response.status_code == 200, url
        assert _leaks(response.get_data(as_text=True)) == [], url
    # The internal meeting is not among the body's meetings for them, and its only presenter has no page.
    assert anon.get(f"/api/organer/{BODY}").get_json()["meeting_count"] == 1
    assert reader.get(f"/api/organer/{BODY}").get_json()["meeting_count"] == 2
    assert INTERNAL_MEETING in reader.get(f"/organer/{BODY}").get_data(as_text=True)
    assert anon.get(f"/personer/{INTERNAL_PERSON}").status_code == 404
    assert reader.get(f"/personer/{INTERNAL_PERSON}").status_code == 200
    # A closed item is on the case page by its number, title and outcome only: its decision, dissent
    # and votes are private (archive.visibility.CLOSED_ITEM_FIELDS), as its case text is.
    case = anon.get("/api/sager/19/4471").get_json()
    assert [s["id"] for s in case["items"]] == [SALE_ITEM]
    assert case["items"][0]["closed"] is True and case["items"][0]["outcomes"]
    assert (case["items"][0]["decision"], case["items"][0]["dissent"], case["items"][0]["votes"]) == ("", [], None)
    assert MARKED_WORD not in str(case)
    signed_in = reader.get("/api/sager/19/4471").get_json()
    assert signed_in["items"][0]["dissent"][0]["name"] == "Karl Kajgaard"
    karl = anon.get("/api/personer/Karl Kajgaard").get_json()
    assert [d["id"] for d in karl["dissent"]] == []
    assert [d["id"] for d in reader.get("/api/personer/Karl Kajgaard").get_json()["dissent"]] == [SALE_ITEM]
