"""Fictional minutes in every known layout (tests/fixtures/minutes), plus generated PDF/DOCX
and inputs that are not minutes."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archive.errors import ParseError
from archive.extract.files import extract_text
from archive.model import ParseWarning, Warn
from archive.parse.document import parse_text

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "minutes"


def _parse(name: str):
    path = FIXTURES / name
    return parse_text(extract_text(path), path.name)


def _outcomes(meeting):
    return {item.number: item.outcomes for item in meeting.items}


def test_board_layout_like_the_seed():
    meeting = _parse("fjordby-havn_bestyrelse_2023-03-14.txt")
    assert meeting.body == "Bestyrelsen for Fjordby Havn og Kystkultur 2022-2025"
    assert meeting.number == "3"
    assert meeting.date == dt.date(2023, 3, 14)
    assert (meeting.start, meeting.end) == ("14:00", "16:00")
    assert meeting.location.startswith("Klima- og Miljøhuset, Havnegade 12")
    assert [i.number for i in meeting.items] == ["7/23", "8/23", "9/23", "10/23"]
    eight = meeting.items[1]
    assert eight.title == ("Status for renovering af den gamle færgeterminal og planer for den nye kajkant")
    assert eight.time == "14:10–14:40"
    assert [(p.name, p.role) for p in eight.presenters] == [
        ("Hanne Østergaard", "direktør i Fjordby Havn under Klima- og Miljøhuset")]
    assert eight.minutes.split("\n")[-2:] == ["- Kajkanten bør kunne bruges af både fiskere og turister",
                                             "- Der bør være god belysning på molen"]
    assert meeting.items[0].presenters[0].name == "Birgitte Holm"     # the chair
    assert _outcomes(meeting) == {"7/23": [], "8/23": ["droeftet"], "9/23": ["udsat"], "10/23": []}
    assert (len(meeting.participants), len(meeting.secretariat), len(meeting.absent)) == (3, 2, 1)
    assert meeting.participants[1].substitute_for == "Lise Mølgaard"
    assert meeting.participants[2].note == "deltog fra kl. 15"


def test_municipal_layout_in_windows_1252():
    raw = (FIXTURES / "fjordby_klima-miljoe-udvalg_2024-02-07.txt").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    meeting = _parse("fjordby_klima-miljoe-udvalg_2024-02-07.txt")
    assert meeting.body == "Klima- og Miljøudvalget, Fjordby Kommune"
    assert meeting.date == dt.date(2024, 2, 7) and meeting.start == "16:30"
    assert meeting.location == "Mødelokale Ålegården"
    assert [p.name for p in meeting.participants] == ["Hanne Østergaard", "Søren Æbelø", "Mette Frøslev"]
    assert [p.name for p in meeting.absent] == ["Ib Kjærgård"]
    assert [i.number for i in meeting.items] == ["1", "2", "3", "4", "5"]
    two = meeting.items[1]
    assert two.case_number == "FJB-2024-000123"
    assert two.recommendation == "At 1) klimaplanen vedtages.\nAt 2) høringssvarene tages til efterretning."
    assert "Sagen blev udsat" not in two.minutes and "Bilag 1" not in two.recommendation
    assert _outcomes(meeting) == {"1": ["godkendt"], "2": ["godkendt"], "3": ["orientering"],
                                  "4": ["forkastet"], "5": ["droeftet"]}


def test_markdown_steering_group():
    meeting = _parse("fjordby-digital_styregruppe_2025-05-12.md")
    assert meeting.body == "Fjordby Digital styregruppe"
    assert meeting.date == dt.date(2025, 5, 12)
    assert (meeting.start, meeting.end) == ("09:00", "11:30")
    assert [i.number for i in meeting.items] == ["1.1", "1.2", "2.1", "2.2", "2.3", "3"]
    items = {i.number: i for i in meeting.items}
    assert items["2.1"].title == "Ny løsning til mødebooking [FD-12] Beslutningsforslag om mødebooking"
    assert [p.name for p in items["2.1"].presenters] == ["Hanne", "Mads"]
    assert [p.name for p in items["2.2"].presenters] == ["Rasmus"]
    assert items["2.2"].title == "Status på udbud"
    assert items["2.3"].title == "Budget for 2026"
    assert _outcomes(meeting) == {"1.1": [], "1.2": ["godkendt"], "2.1": ["godkendt"], "2.2": ["udsat"],
                                  "2.3": ["droeftet"], "3": []}
    assert [p.name for p in meeting.absent] == ["Ida Brønnum"]
    assert len(meeting.participants) == 3


def test_general_assembly():
    meeting = _parse("fjordby-grundejerforening_generalforsamling_2024-04-18.md")
    assert meeting.body == "Fjordby Grundejerforening"
    assert meeting.date == dt.date(2024, 4, 18) and meeting.start == "19:30"
    assert meeting.location == "Fjordby Klubhus, Strandvejen 4, 9999 Fjordby"
    assert [i.title for i in meeting.items] == ["Valg af dirigent", "Bestyrelsens beretning", "Regnskab",
                                                "Indkomne forslag", "Eventuelt"]
    assert _outcomes(meeting) == {"1": ["valgt"], "2": ["godkendt"], "3": ["godkendt"], "4": [], "5": []}
    assert "Ny bænk ved stranden" in meeting.items[1].description
    assert meeting.items[2].minutes == "Kassereren fremlagde regnskabet. Regnskabet blev godkendt."


def test_html_minutes():
    meeting = _parse("fjordby-aeldreraad_2024-11-05.html")
    assert meeting.body == "Fjordby Ældreråd"
    assert meeting.date == dt.date(2024, 11, 5)
    assert (meeting.start, meeting.end) == ("10:00", "12:00")
    assert meeting.location == "Fjordby Rådhus, mødesal Ø"
    assert [i.title for i in meeting.items] == ["Godkendelse af dagsorden", "Ældreboligplan 2025",
                                                "Eventuelt"]
    assert meeting.items[1].minutes == ("Søren Æbelø gennemgik planen.\n\n- Flere boliger ved fjorden\n"
                                        "- Bedre busforbindelser\n\nRådet anbefalede planen.")
    assert _outcomes(meeting) == {"1": ["godkendt"], "2": ["anbefalet"], "3": ["ingen-bemaerkninger"]}


def test_agenda_without_decisions_has_no_outcomes():
    meeting = _parse("fjordby-vandlaug_dagsorden_2024-09-10.md")
    assert meeting.body == "Fjordby Vandlaug"
    assert [i.title for i in meeting.items] == ["Godkendelse af dagsorden", "Status på ledningsnettet",
                                                "Takster for 2025", "Eventuelt"]
    assert all(i.outcomes == [] and i.minutes == "" for i in meeting.items)
    assert meeting.warnings == []


def test_no_item_structure_becomes_one_item_with_warning():
    meeting = _parse("fjordby-loebeklub_notat_2024-06-01.txt")
    assert len(meeting.items) == 1
    item = meeting.items[0]
    assert item.title == "Notat fra Fjordby Løbeklub"
    assert item.minutes.startswith("Vi mødtes på havnen")
    assert "Hanne Østergaard sørger for kaffe" in item.minutes
    assert meeting.warnings == [ParseWarning.of(Warn.NO_ITEMS)]
    assert meeting.to_dict()["warnings"] == ["ingen dagsordenspunkter fundet: hele dokumentet er gemt som ét punkt"]
    assert meeting.date == dt.date(2024, 6, 1)


def test_docx_minutes(tmp_path):
    import docx

    document = docx.Document()
    document.add_heading("Referat af møde i Fjordby Ældreråd", level=1)
    document.add_paragraph("Dato: 5. november 2024 kl. 10.00")
    document.add_heading("1. Godkendelse af dagsorden", level=2)
    document.add_paragraph("Dagsordenen blev godkendt.")
    document.add_heading("2. Åbningstider på plejecentret Ørnereden", level=2)
    document.add_paragraph("Rådet drøftede åbningstiderne.")
    path = tmp_path / "aeldreraad.docx"
    document.save(path)
    meeting = parse_text(extract_text(path), path.name)
    assert meeting.body == "Fjordby Ældreråd"
    assert meeting.date == dt.date(2024, 11, 5)
    assert [i.title for i in meeting.items] == ["Godkendelse af dagsorden",
                                                "Åbningstider på plejecentret Ørnereden"]
    assert _outcomes(meeting) == {"1": ["godkendt"], "2": ["droeftet"]}


def test_pdf_minutes(tmp_path):
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_font("Helvetica", size=11)
    lines_by_page = [
        ["REFERAT", "", "2. møde i Fjordby Ældreråd", "", "Dato og sted",
         "Mandag 3. marts 2025 kl. 9.00 - 11.00", "Fjordby Rådhus, Mødesal Ø", "",
         "Punkt 1/25:", "", "Godkendelse af dagsorden", "", "REFERAT:", "", "Godkendt."],
        ["Punkt 2/25:", "", "Høring om ældrepolitik", "", "REFERAT:", "", "Rådet drøftede høringen."],
    ]
    for page in lines_by_page:
        pdf.add_page()
        for line in page:
            pdf.cell(0, 7, line, new_x="LMARGIN", new_y="NEXT")
    path = tmp_path / "aeldreraad.pdf"
    path.write_bytes(bytes(pdf.output()))
    meeting = parse_text(extract_text(path), path.name)
    assert meeting.body == "Fjordby Ældreråd" and meeting.number == "2"
    assert meeting.date == dt.date(2025, 3, 3)
    assert (meeting.start, meeting.end) == ("09:00", "11:00")
    assert [(i.number, i.title) for i in meeting.items] == [("1/25", "Godkendelse af dagsorden"),
                                                             ("2/25", "Høring om ældrepolitik")]
    assert _outcomes(meeting) == {"1/25": ["godkendt"], "2/25": ["droeftet"]}


@pytest.mark.parametrize("text", ["", "   \n\n", "\f\f", "123 456\n--- ***", "Side 3\n Side 4\n"])
def test_not_minutes_raises_parse_error(text):
    with pytest.raises(ParseError, match=r"^tom\.txt: "):
        parse_text(text, "tom.txt")


_LINES = st.sampled_from([
    "", " ", "Pkt. 1/18 16:00 – 16:05 Velkomst", "Punkt 1/18:", "Punkt 2:", "REFERAT:", "Det indstilles at:",
    "v/Hanne Østergaard, direktør", " Side 2", "1", "2", "Beslutninger", "Resume", "Sagsforløb", "Bilag",
    "- 1.1 Godkendelse (Hanne / Mads)", "> - 1.1 Godkendelse", "#### 1. Formalia", "## Møde referat",
    "## 1) Valg af dirigent.", "    1) Valg af dirigent.", "Deltagere", "Fra bestyrelsen:", "Afbud",
    "Hanne Østergaard, formand (deltog i stedet for", "Mødedato: 1. maj 2024 kl. 10", "Godkendt.",
    "**Tid**: 04.06.2026 kl. 13 - 14:30", "- [x] Hanne Østergaard (formand)", "Sundheds – og",
    "(((", "[[x](y)", "Udvalget drøftede sagen.", "ikke", "# Formandens beretning",
])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(), st.lists(st.one_of(_LINES, st.text(max_size=30)), max_size=40).map("\n".join)))
def test_fuzz_only_parse_error(text):
    try:
        meeting = parse_text(text, "fuzz.txt")
    except ParseError as exc:
        assert str(exc).startswith("fuzz.txt: ")
        return
    assert meeting.items
    for item in meeting.items:
        assert isinstance(item.title, str) and isinstance(item.minutes, str)


def test_web_page_of_a_club_board():
    """A web page saved as text: menu, author and publication time above the minutes, items from "0."."""
    meeting = _parse("fjordby-boldklub_bestyrelse_webside.txt")
    assert meeting.body == "Fjordby Boldklub"
    assert meeting.date == dt.date(2025, 2, 5)
    assert meeting.start == "17:30"            # the meeting's hour, not the page's "kl. 10:54"
    assert [p.name for p in meeting.absent] == ["Jens Moe"]
    assert [(i.number, i.title) for i in meeting.items] == [
        ("0", "Rammer for mødet"), ("1", "Ungdomsafdelingen"), ("2", "Budget 2025"), ("3", "Klubhuset")]
    assert _outcomes(meeting) == {"0": [], "1": [], "2": ["godkendt"], "3": []}


def test_html_assembly_with_agenda_and_votes():
    """An agenda numbered "01." above the minutes; "Afstemning:" lines; an election answered by a name."""
    meeting = _parse("fjordby-bowlingklub_generalforsamling_2024-11-14.html")
    assert meeting.date == dt.date(2024, 11, 14)
    assert [(i.number, i.title) for i in meeting.items] == [
        ("1", "Valg af dirigent"), ("2", "Formandens beretning"), ("3", "Fremlæggelse af regnskab"),
        ("4", "Valg af kasserer"), ("5", "Eventuelt")]
    assert meeting.items[1].minutes.startswith("Formanden fortalte om en sæson")   # not the case text
    assert _outcomes(meeting) == {"1": ["valgt"], "2": ["godkendt"], "3": ["godkendt"], "4": ["valgt"],
                                  "5": ["godkendt"]}


def test_markdown_agenda_repeated_above_the_minutes():
    """The agenda lists every entry; the minutes repeat only those they record ("> - 1.2 …")."""
    meeting = _parse("fjordby-digital_koordinationsgruppe_2025-10-07.md")
    assert meeting.date == dt.date(2025, 10, 7) and (meeting.start, meeting.end) == ("13:00", "14:00")
    assert [i.number for i in meeting.items] == ["1.1", "1.2", "2.1", "2.2", "3.1", "3.2"]
    items = {i.number: i for i in meeting.items}
    assert items["2.1"].title == "snak om udkast til projektplan"
    assert [p.name for p in items["2.1"].presenters] == ["Mads"]
    assert items["2.1"].description == "Udkastet ligger i den fælles mappe."
    assert items["2.1"].minutes == "Mads gennemgik udkastet. Der kom gode input om tidsplanen."
    assert items["1.1"].minutes == "" and items["3.2"].minutes == ""       # listed only: a title, no minutes
    assert _outcomes(meeting)["1.2"] == ["godkendt"] and _outcomes(meeting)["2.2"] == ["godkendt"]
    assert meeting.warnings == []


def test_parish_council_web_page():
    """A numbered list every entry of which reads "1." (numbered by the browser); the body is the
    one the meeting's kind names; "6.maj" without a space."""
    meeting = _parse("fjordby-sogn_menighedsraad_webside.txt")
    assert meeting.body == "Menighedsrådet"
    assert meeting.date == dt.date(2025, 5, 6) and meeting.start == "19:00"
    assert [i.number for i in meeting.items] == ["1", "2", "3", "4", "5", "6"]
    assert meeting.items[3].title == "Kasserer: kvartalsrapport"
    assert _outcomes(meeting) == {"1": ["godkendt"], "2": ["godkendt"], "3": [], "4": ["godkendt"],
                                  "5": ["udsat"], "6": []}


def test_waterworks_assembly_with_run_in_headings():
    """Headings that run on into their minutes after a colon; the body written in capitals."""
    meeting = _parse("fjordby-vandvaerk_generalforsamling_2025.txt")
    assert meeting.body == "Fjordby Vandværk"
    assert meeting.date == dt.date(2025, 3, 22) and meeting.start == "19:30"
    assert [i.title for i in meeting.items] == ["Valg af dirigent", "Bestyrelsens beretning", "Regnskab",
                                                "Eventuelt"]
    assert meeting.items[0].minutes.startswith("Formanden blev valgt som dirigent")
    assert "ny boring" in meeting.items[1].minutes
    assert _outcomes(meeting) == {"1": ["valgt"], "2": ["godkendt"], "3": ["godkendt"],
                                  "4": ["ingen-bemaerkninger"]}


def test_municipal_publication_with_open_and_closed_list():
    """A publication's list "åbent 1 …" / "lukket 4 …", its items repeated below as "1  Title"; case parts
    "Sagsid.", "Kompetence", "Indstilling og beslutning"; the decision headed by the committee and date."""
    meeting = _parse("fjordby_boerne-skoleudvalg_referat.txt")
    assert meeting.body == "Børne- og Skoleudvalget"
    assert meeting.date == dt.date(2025, 3, 4) and meeting.start == "15:00"
    assert [(i.number, i.title) for i in meeting.items] == [
        ("1", "Fraværende og bemærkninger til dagsordenen"), ("2", "Budgetopfølgning 1"), ("3", "Ny skolestruktur"),
        ("4", "Køb af grund ved Fjordby Skole"), ("5", "Gensidig orientering")]
    assert [i.closed for i in meeting.items] == [False, False, False, True, False]
    two = meeting.items[1]
    assert two.case_number == "25/1234"
    assert two.recommendation.startswith("Direktøren indstiller")
    assert two.decision.startswith("Indstilles til Byrådets godkendelse.")
    assert "merforbrug på 2,1 mio. kr." in two.description
    assert _outcomes(meeting) == {"1": [], "2": ["anbefalet"], "3": ["udsat"], "4": [], "5": ["orientering"]}
