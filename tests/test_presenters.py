"""archive.parse.presenters: who presents an item where its heading does not say (fictional minutes)."""
from __future__ import annotations

import pytest

from archive.parse.document import parse_text
from archive.parse.presenters import minutes_presenters

FICTION = "(Fiktivt referat til arkivs tests.)"


@pytest.mark.parametrize("minutes, known, expected", [
    ("Ida Fiktiv bød velkommen og gennemgik dagsordenen.", set(), ["Ida Fiktiv"]),
    ("- Kasserer Bo Digt-Hansen fremlagde regnskabet for 2025.", set(), ["Bo Digt-Hansen"]),
    ("Stikord fra beretningen ved formand Ane Opdigt:\n\n- Nye skilte", set(), ["Ane Opdigt"]),
    ("Lis-Marie Fiktivsen oplæser bestyrelsens beretning.", set(), ["Lis-Marie Fiktivsen"]),
    ("Jurist Ib Digt, Fjordby Kommune, gennemgik forslaget til vedtægter.", set(), ["Ib Digt"]),
    # initials or a first name alone only where the meeting's list of people holds them
    ("IF informerede om regnskabet.", {"IF", "Ida", "Fiktiv"}, ["IF"]),
    ("IF informerede om regnskabet.", set(), []),
    ("Ida gennemgik budgettet.", {"Ida"}, ["Ida"]),
    ("Bo gennemgik budgettet.", set(), ["Bo"]),           # a given name alone, not a role or a body
    ("Kassereren gennemgik regnskabet.", set(), []),
    ("Ledelsen orienterede om status.", set(), []),
    ("Hun orienterede om status.", set(), []),
    # a body, a role or a place is no presenter; nor is someone elected or a later line's speaker
    ("Bestyrelsen orienterede om arbejdet.", set(), []),
    ("Teknisk Forvaltning orienterede om planen.", set(), []),
    ("Formanden fremlagde beretningen.", set(), []),
    ("Ida Fiktiv blev valgt som dirigent.", set(), []),
    ("Mødet blev holdt ved Bo Digt.", set(), []),
    ("Der var spørgsmål til planen.\nIda Fiktiv orienterede om økonomien.", set(), []),
])
def test_the_person_the_minutes_open_with(minutes, known, expected):
    assert [p.name for p in minutes_presenters(minutes, known)] == expected


def test_minutes_presenters_in_a_parsed_meeting():
    meeting = parse_text(f"""Referat af generalforsamling i Fjordby Fiktivforening {FICTION}

Til stede: Ida Fiktiv (IF), Bo Digt (BD)

1. Beretning

IF aflagde beretningen, som blev godkendt.

2. Regnskab / Bo

Regnskabet blev godkendt.

3. Eventuelt

Intet.
""", "2024-03-05_fjordby-fiktivforening.txt")
    items = {item.number: item for item in meeting.items}
    assert [p.name for p in items["1"].presenters] == ["IF"]
    assert [p.name for p in items["2"].presenters] == ["Bo"] and items["2"].title == "Regnskab"
    assert items["3"].presenters == []
