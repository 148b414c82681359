"""The first acceptance case: the seed minutes (PDF-extracted text of a board meeting)."""
from __future__ import annotations

import dataclasses
import datetime as dt
import re

import pytest

from archive.extract.files import extract_text
from archive.parse.document import parse_text

GERT_ROLE = "direktør i Nationalt Genom Center under Sundheds- og Ældreministeriet"


@pytest.fixture(scope="module")
def meeting(seed_path):
    return parse_text(extract_text(seed_path), seed_path.name)


@pytest.fixture(scope="module")
def items(meeting):
    return {item.number: item for item in meeting.items}


def test_meeting_facts(meeting):
    assert meeting.body == "Bestyrelsen for den nationale strategi for Personlig Medicin 2017-2020"
    assert meeting.title == "6. møde i bestyrelsen for den nationale strategi for Personlig Medicin 2017-2020"
    assert meeting.number == "6"
    assert meeting.date == dt.date(2018, 6, 20)
    assert (meeting.start, meeting.end) == ("16:00", "18:00")
    assert meeting.location == ("Sundheds- og Ældreministeriet, Holbergsgade 6, 1057 København K., "
                                "Lokale 1.24")
    assert meeting.warnings == []


def test_ten_items_in_order(meeting):
    assert [i.number for i in meeting.items] == [f"{n}/18" for n in range(44, 54)]
    assert [i.position for i in meeting.items] == list(range(1, 11))


@pytest.mark.parametrize("number, title", [
    ("44/18", "Velkomst ved bestyrelsesformanden"),
    ("45/18", "Gennemgang af lov om oprettelse af Nationalt Genom Center"),
    ("46/18", "Proces for udarbejdelse af bekendtgørelser, herunder inddragelse af bestyrelsens "
              "rådgivende udvalg"),
    ("47/18", "Status og planer for arbejdet med national teknologisk infrastruktur til Personlig Medicin"),
    ("48/18", "Etablering af arbejdsgruppe for national standardisering af helgenomsekventering"),
    ("49/18", "Orientering fra bestyrelsens medlemmer om status og planer for arbejdet med Personlig "
              "Medicin i egne organisationer"),
    ("50/18", "Arbejdet i bestyrelsens kommunikationsgruppe"),
    ("51/18", "Henvendelse fra forskningsprojektet Personlig Medicin i velfærdsstaten (MeInWe)"),
    ("52/18", "Arbejdsgruppe om uddannelse og kompetenceudvikling af sundhedspersonale inden for "
              "helgenomsekventering"),
    ("53/18", "Eventuelt"),
])
def test_titles_whole(items, number, title):
    assert items[number].title == title


def test_times_from_table(items):
    assert items["44/18"].time == "16:00–16:05"
    assert items["47/18"].time == "16:30–17:00"
    assert items["53/18"].time == "17:55–18:00"


def test_presenters(items):
    def names(number):
        return [(p.name, p.role) for p in items[number].presenters]

    assert names("45/18") == [("Per Okkels", "departementschef i Sundheds- og Ældreministeriet")]
    for number in ("46/18", "47/18", "48/18", "51/18", "52/18"):
        assert names(number) == [("Gert Sørensen", GERT_ROLE)], number
    assert [p.name for p in items["50/18"].presenters] == ["Grith Enemark"]
    assert items["50/18"].presenters[0].role == "kommunikationsansvarlig i Nationalt Genom Center"
    # "Velkomst ved bestyrelsesformanden": the participant list names the chair.
    assert [p.name for p in items["44/18"].presenters] == ["Per Okkels"]
    assert items["49/18"].presenters == [] and items["53/18"].presenters == []


def test_outcomes_from_minutes(items):
    expected = {
        "44/18": [], "45/18": ["efterretning"], "46/18": ["droeftet"], "47/18": ["droeftet"],
        "48/18": ["efterretning"], "49/18": ["ingen-bemaerkninger"], "50/18": ["droeftet"],
        "51/18": ["godkendt", "efterretning"], "52/18": ["orientering"], "53/18": [],
    }
    assert {n: i.outcomes for n, i in items.items()} == expected


def test_texts_of_item_45(items):
    item = items["45/18"]
    assert item.recommendation == "Bestyrelsen tager orienteringen til efterretning."
    assert item.minutes == ("Per Okkels orienterede om lovgivningsprocessen og centrale punkter i loven."
                            "\n\nBestyrelsen tog orienteringen til efterretning.")
    assert item.description.startswith("Tirsdag d. 29. maj 2018 blev lov om oprettelse")
    assert item.description.endswith("som følge heraf.")
    assert "v/" not in item.description


def test_recommendation_joined_across_page_gap(items):
    assert items["47/18"].recommendation == (
        "Bestyrelsen giver input til arbejdet med national teknologisk infrastruktur til "
        "Personlig Medicin på mødet.")


def test_minutes_reflowed_with_bullets(items):
    minutes = items["46/18"].minutes
    # The page break "Side 4" fell mid-sentence: the sentence is whole again.
    assert "herunder stillingtagen til håndtering af sekundære fund" in minutes
    lines = minutes.split("\n")
    assert "- Det handler om den gode samtale med patienten, og den kan fint suppleres med " \
           "videoinformation" in lines
    assert "- Vigtigt med smidig og lavpraktisk tilgang til området, herunder respekt for lokal " \
           "ledelsesret" in lines
    assert sum(1 for line in lines if line.startswith("- ")) == 9
    assert lines[-1].startswith("Der var opbakning til processen")
    assert "sundhedslovens § 42 a, stk. 1., 1. pkt:" in minutes
    bullets = [line for line in items["50/18"].minutes.split("\n") if line.startswith("- ")]
    assert bullets[1] == ("- Det kan overvejes at synliggøre konkrete sygdomsområder, hvor anvendelsen "
                          "af genomdata kan hjælpe")


def test_no_page_marker_survives(meeting):
    def texts(obj):
        for value in dataclasses.asdict(obj).values():
            if isinstance(value, str):
                yield value
    fields = list(texts(meeting))
    for item in meeting.items:
        fields += list(texts(item))
    for person in meeting.participants + meeting.secretariat + meeting.absent:
        fields += list(texts(person))
    assert not [f for f in fields if re.search(r"\bSide \d+\b", f)]


def test_participants(meeting):
    assert len(meeting.participants) == 17
    assert len(meeting.secretariat) == 6
    assert len(meeting.absent) == 8
    people = {p.name: p for p in meeting.participants}
    assert people["Per Okkels"].role == "departementschef i Sundheds- og Ældreministeriet, Formand"
    noted = {p.name for p in meeting.participants if p.note}
    assert noted == {"Henrik Bech Nielsen", "Kim Brixen", "Ole Steen Nielsen", "Katrine Krogh Andersen",
                     "Rune Scharff Andreasen"}
    henrik = people["Henrik Bech Nielsen"]
    assert henrik.role == "direktør på Aarhus Universitetshospital"
    assert henrik.note == "deltog i stedet for Ole Thomsen, koncerndirektør i Region Midtjylland"
    assert henrik.substitute_for == "Ole Thomsen"
    assert people["Kim Brixen"].note.startswith("deltog via telefon i stedet for Kurt Espersen, ")
    assert people["Kim Brixen"].substitute_for == "Kurt Espersen"
    assert people["Katrine Krogh Andersen"].note == "deltog fra kl. 17"
    assert people["Katrine Krogh Andersen"].role == ("Danske Universiteter, forskningsdekan, "
                                                     "Danmarks Tekniske Universitet")
    assert people["Daniel Schwartz Bojsen"].role == ("Danske Professionshøjskoler, direktør i "
                                                     "Professionshøjskolen Absalon")
    assert meeting.secretariat[1].name == "Grith Enemark"
    assert meeting.secretariat[1].role == ("kommunikationsansvarlig i Nationalt Genom Center under "
                                           "Sundheds- og Ældreministeriet")
    assert [p.name for p in meeting.absent][:2] == ["Ole Thomsen", "Kurt Espersen"]
    assert meeting.absent[-1].name == "Søren Lund"
