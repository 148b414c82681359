"""Hits that show why (issue 21): a hit whose words are in the meeting's introduction, attendance or
closing is a hit on the meeting's text, quoted where the words are; every result row of a word search
has a marked word.  Fictional minutes, a real index of each engine, the web page through Flask."""
from __future__ import annotations

import datetime as dt

import pytest
from conftest import Archive, engine_over, ingest_into
from helpers_search import item, meeting

from archive.model import Attachment, Treatment
from index.search import parse_request, search

BODY = "Andelsboligforeningen Tjørnebo"


def corpus():
    m = meeting(BODY, dt.date(2024, 2, 6), "3", [
        item("1", "Valg af referent", "", "Formanden valgte sig frivilligt."),
        item("2", "Haven", "Hækken klippes i maj.", "Godkendt.", presenters=["Oda Krogsgaard"],
             attachments=[Attachment("Tilbud fra anlægsgartneren")], case_number="SAG-2024-0107"),
        item("3", "Eventuelt", "", "Intet."),
    ])
    m.attendance = "Til stede: Oda Krogsgaard, Villum Brasch. Afbud: Ingrid Tamsen."
    m.preamble = "Mødet blev holdt i fælleshuset, hvor der er konstateret skimmelsvamp i loftet."
    m.back_matter = "Næste møde holdes i kælderlokalet efter rengøringen."
    other = meeting(BODY, dt.date(2024, 5, 2), "4", [
        item("1", "Fælleshuset", "Skimmelsvamp i fælleshusets loft skal fjernes af et firma.", "Godkendt.",
             history=[Treatment("Bestyrelsen", "2024-02-06", "1", "Sagen blev drøftet.")]),
    ])
    return [m, other]


engine = engine_over(corpus)


def hits(engine, text):
    return search(engine, parse_request({"q": text})).results


def test_a_word_of_the_introduction_is_a_hit_on_the_meetings_text(engine):
    found = hits(engine, "skimmelsvamp")
    by_title = {h.title: h for h in found}
    intro = by_title["Valg af referent"]
    assert intro.where == "meeting" and intro.to_json()["where"] == "meeting"
    assert "<mark>skimmelsvamp</mark>" in intro.snippet and "fælleshuset" in intro.snippet
    item_hit = by_title["Fælleshuset"]
    assert item_hit.where == "item" and "<mark>Skimmelsvamp</mark>" in item_hit.snippet


def test_attendance_and_closing_too(engine):
    assert [(h.where, "<mark>Tamsen</mark>" in h.snippet) for h in hits(engine, "Tamsen")] == [("meeting", True)]
    closing = hits(engine, "kælderlokalet")
    assert [(h.title, h.where) for h in closing] == [("Eventuelt", "meeting")]


@pytest.mark.parametrize("text", ["skimmelsvamp", "Krogsgaard", "anlægsgartneren", "SAG-2024-0107", "Tamsen",
                                  "drøftet", "fælleshus", "loft*", '"hækken"', "haven OR kælderlokalet"])
def test_every_row_of_a_word_search_has_a_marked_word(engine, text):
    found = hits(engine, text)
    assert found, text
    for h in found:
        assert "<mark>" in h.snippet, (text, h.title, h.snippet)


def test_a_row_found_by_a_filter_alone_needs_no_mark(engine):
    found = search(engine, parse_request({"year": "2024"})).results
    assert len(found) == 4 and all(h.where == "item" for h in found)


def test_the_web_row_is_the_meetings_text_linked_to_the_meeting(tmp_path):
    src = tmp_path / "minutes"
    src.mkdir()
    (src / "referat_20240206.txt").write_text("\n".join([
        "Andelsboligforeningen Tjørnebo", "Referat af bestyrelsesmøde 6. februar 2024", "",
        "Til stede: Oda Krogsgaard og Villum Brasch.", "",
        "Der er konstateret skimmelsvamp i fælleshusets loft.", "",
        "1. Valg af referent", "Formanden valgte sig frivilligt.", "",
        "2. Haven", "Hækken klippes i maj.", ""]), encoding="utf-8")
    archive = Archive(tmp_path / "home")
    ingest_into(archive, [src])
    from web import create_app

    client = create_app(archive.config(PUBLIC=True)).test_client()
    result = client.get("/api/search?q=skimmelsvamp").get_json()["results"]
    assert [r["where"] for r in result] == ["meeting"] and "<mark>skimmelsvamp</mark>" in result[0]["snippet"]
    page = client.get("/?q=skimmelsvamp").get_data(as_text=True)
    assert "Mødets tekst (indledning, fremmøde og afslutning)" in page
    assert 'href="/moede/' in page.split("Mødets tekst")[0].rsplit("<h3", 1)[1]
