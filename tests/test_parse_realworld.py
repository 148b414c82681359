"""Real minutes in other formats, read from ../shared/realworld (never copied here)."""
from __future__ import annotations

import datetime as dt

import pytest

from archive.extract.files import extract_document, extract_text
from archive.parse.document import parse_document, parse_text

AARHUS = "02_aarhus-teknisk-udvalg_referat_2025-10-01"
OS2 = "04_os2borgerpc-styregruppe_referat_2026-06-04.txt"
ALSLUG = "07_alslug-generalforsamling_referat_2024-09-05.txt"


def _parse(realworld_dir, name):
    path = realworld_dir / name
    return parse_text(extract_text(path), path.name)


@pytest.fixture(scope="module", params=[".txt", ".html"])
def aarhus(realworld_dir, request):
    """The Aarhus minutes as text and as the municipal site's own page: the same meeting."""
    path = realworld_dir / (AARHUS + request.param)
    if request.param == ".txt":
        return _parse(realworld_dir, path.name)
    return parse_document(extract_document(path.read_bytes(), path.name), path.name)


@pytest.fixture(scope="module")
def os2(realworld_dir):
    return _parse(realworld_dir, OS2)


@pytest.fixture(scope="module")
def alslug(realworld_dir):
    return _parse(realworld_dir, ALSLUG)


def _by_number(meeting):
    return {item.number: item for item in meeting.items}


# -- Aarhus: municipal committee -----------------------------------------------

def test_aarhus_meeting(aarhus):
    assert aarhus.body == "Teknisk Udvalg"
    assert aarhus.date == dt.date(2025, 10, 1)
    assert aarhus.start == "15:45"
    assert aarhus.location == "Udvalgsværelse 398"
    assert aarhus.warnings == []


def test_aarhus_items(aarhus):
    items = _by_number(aarhus)
    assert list(items) == ["1", "2", "3", "4", "5", "6"]
    assert items["1"].title == "Referat fra sidste udvalgsmøde"
    assert items["4"].title == "Forvaltningen orienterer"
    assert items["6"].title == "Måltal for busfremkommelighed, jf. budgetforlig 2023"
    assert items["1"].case_number == "EMN-2025-010561"
    assert items["6"].case_number == "EMN-2024-035156"
    assert items["5"].case_number == ""


def test_aarhus_outcomes(aarhus):
    outcomes = {i.number: i.outcomes for i in aarhus.items}
    assert outcomes == {"1": ["ingen-bemaerkninger"], "2": ["godkendt"], "3": ["udsat"],
                        "4": ["orientering"], "5": ["droeftet"], "6": ["udsat"]}


def test_aarhus_sections(aarhus):
    items = _by_number(aarhus)
    two = items["2"]
    assert two.minutes.startswith("Et flertal i udvalget kunne tiltræde indstillingen")
    # Resume → description, "At 1) …" → recommendation, Sagsforløb kept out of the minutes.
    assert "Der er indkommet i alt 1149 høringssvar" in two.description
    assert two.recommendation.startswith("At 1) Byrådet godkender forslag til bemærkninger")
    assert "\nAt 2) Byrådet godkender udviklingsplanen" in two.recommendation
    for item in aarhus.items:
        assert "Fremsendes til" not in item.minutes
        assert "Bilag 1" not in item.minutes and "Bilag 1" not in item.recommendation
        assert "Punktnummer" not in item.minutes
    assert "Sagen blev udsat uden behandling." == items["6"].minutes


def test_aarhus_decisions(aarhus):
    """Each decided item has one outcome, read from its "Beslutninger" only: the recommendation
    ("godkender", "tages til efterretning") and the case's history ("Fremsendes til …",
    "udsat") set none."""
    items = _by_number(aarhus)
    assert all(len(item.outcomes) == 1 for item in aarhus.items)
    assert items["1"].decision == "Ingen bemærkninger."
    assert items["6"].decision == "Sagen blev udsat uden behandling."
    assert items["2"].decision.startswith("Et flertal i udvalget kunne tiltræde indstillingen")
    assert "Udviklingsplan for Pier 3" not in items["2"].decision       # the case's lead sentence
    assert [(d.name, d.kind) for d in items["2"].dissent] == [("Jakob Søgaard Clausen", "forbehold"),
                                                               ("Solveig Munk", "imod")]
    assert items["2"].absent == ["Liv Gro Jensen"]
    assert not any(item.dissent for item in aarhus.items if item.number != "2")


def test_aarhus_case_numbers_and_history(aarhus):
    items = _by_number(aarhus)
    assert {n: i.case_number for n, i in items.items()} == {
        "1": "EMN-2025-010561", "2": "EMN-2025-009242", "3": "EMN-2025-008468", "4": "EMN-2025-010561",
        "5": "", "6": "EMN-2024-035156"}
    assert not any("EMN-" in item.title for item in aarhus.items)
    history = items["6"].history
    assert [(t.body, t.date, t.number) for t in history] == [
        ("Magistraten", "2025-03-18", "9"), ("Aarhus Byråd", "2025-03-26", "14"),
        ("Teknisk Udvalg", "2025-05-26", "6"), ("Teknisk Udvalg", "2025-08-11", "3")]
    assert history[0].text.startswith("Fremsendes til Aarhus Byråd")
    assert "Sagsforløb" not in items["6"].description and "Punktnummer" not in items["6"].description


def test_aarhus_attachments(aarhus):
    items = _by_number(aarhus)
    assert [a.title for a in items["1"].attachments] == ["Referat fra møde den 22. september 2025"]
    titles = [a.title for a in items["2"].attachments]
    assert len(titles) == 30 and titles[1] == "Bilag 1: Udviklingsplan for Pier 3 med omgivelser med bilag og strategier"
    # The saved page's links are relative to a site it is no longer on: no link is kept.
    assert not any(a.url for item in aarhus.items for a in item.attachments)
    assert not any("Bilag 2: Høringssvar" in item.description for item in aarhus.items)


# -- OS2borgerPC: Markdown steering group ----------------------------------------

def test_os2_meeting(os2):
    assert os2.body == "OS2borgerpc styregruppe"
    assert os2.date == dt.date(2026, 6, 4)
    assert (os2.start, os2.end) == ("13:00", "14:30")
    assert os2.location == "Virtuel"
    assert "Toke Leth Laursen" in [p.name for p in os2.absent]
    assert "Toke Leth Laursen" not in [p.name for p in os2.participants]
    assert len(os2.participants) == 6
    agnete = next(p for p in os2.participants if p.name == "Agnete Moos")
    assert agnete.role == "Produkt Owner"


def test_os2_items_not_double_counted(os2):
    assert [i.number for i in os2.items] == ["1.1", "1.2", "1.3", "1.4", "2.1", "2.3", "2.4", "2.5",
                                             "2.6", "2.7", "2.8", "2.9", "3"]


def test_os2_titles_and_presenters(os2):
    items = _by_number(os2)
    assert items["1.2"].title == "Godkendelse af referat og dagsorden"
    assert items["2.1"].title == "Opfølgning på OS2Årsmødet"
    assert [p.name for p in items["2.1"].presenters] == ["Agnete", "Thor"]
    assert [p.name for p in items["2.6"].presenters] == ["Anna-Lis"]
    assert items["2.4"].title.startswith("Beslutningsforslag: [ODR] Cormora indkøbes")
    assert "http" not in items["2.4"].title and "http" not in items["2.7"].title
    assert items["2.7"].title == "Anbefaling om åben leverancemodel for fremtidige udviklingsaktiviteter"
    assert items["3"].title == "Evt og kik til næste møde"
    assert items["1.3"].presenters == []     # "(arbejdstitel …)" is part of the title


def test_os2_outcomes(os2):
    items = _by_number(os2)
    assert items["1.2"].outcomes == ["godkendt"]
    assert items["1.2"].minutes == "Dagsorden godkendt."
    assert items["1.1"].minutes == "" and items["1.1"].outcomes == []
    assert items["2.3"].outcomes == ["udsat"]
    assert items["2.4"].outcomes == ["godkendt"]
    assert items["2.8"].outcomes == []
    assert "v/Agnete" in items["3"].minutes


# -- AlsLUG: general assembly --------------------------------------------------

def test_alslug_meeting(alslug):
    assert alslug.title == "Ordinær generalforsamling i AlsLUG"
    assert alslug.body == "AlsLUG"
    assert alslug.date == dt.date(2024, 9, 5)
    assert alslug.start == "19:00"
    assert alslug.location.startswith("Bakkensbro Aktivitets- og KulturCenter")


def test_alslug_agenda_counted_once(alslug):
    assert [i.number for i in alslug.items] == ["1", "2", "3", "4", "5", "6", "7"]
    items = _by_number(alslug)
    assert items["1"].title == "Valg af ordstyrer"
    assert items["5"].title == "Valg af 3 bestyrelsesmedlemmer"
    assert items["7"].title == "Eventuelt"


def test_alslug_outcomes(alslug):
    outcomes = {i.number: i.outcomes for i in alslug.items}
    assert outcomes == {"1": ["valgt"], "2": ["godkendt"], "3": ["godkendt"], "4": [],
                        "5": ["valgt"], "6": ["valgt"], "7": []}


def test_alslug_report_attached_to_its_item(alslug):
    items = _by_number(alslug)
    assert items["4"].minutes == "Der var ingen forslag."
    assert "Python-gruppen" in items["2"].description
    assert all("Underskrifter" not in i.minutes for i in alslug.items)
    assert items["7"].minutes == ""


# -- Aarhus: the original HTML page gives what its text version gives ------------------------

def test_aarhus_html_page_gives_the_same_six_items(realworld_dir):
    aarhus = _parse(realworld_dir, AARHUS + ".txt")
    path = realworld_dir / (AARHUS + ".html")
    page = parse_document(extract_document(path.read_bytes(), path.name), path.name)   # blocks, not text
    assert [(i.number, i.title) for i in page.items] == [(i.number, i.title) for i in aarhus.items]
    assert "Tilbage til forsiden" not in page.preamble + "".join(i.title for i in page.items)
    assert (page.body, page.date, page.start, page.location) == (aarhus.body, aarhus.date, aarhus.start,
                                                                 aarhus.location)
    assert [i.outcomes for i in page.items] == [i.outcomes for i in aarhus.items]
    assert [i.case_number for i in page.items] == [i.case_number for i in aarhus.items]
    assert [i.decision for i in page.items] == [i.decision for i in aarhus.items]
    assert [i.dissent for i in page.items] == [i.dissent for i in aarhus.items]
    assert [i.history for i in page.items] == [i.history for i in aarhus.items]
    assert [[a.title for a in i.attachments] for i in page.items] == \
        [[a.title for a in i.attachments] for i in aarhus.items]
