"""The general rules that let the parser read minutes of bodies it was not developed against,
one by one on fictional lines (the whole documents are in tests/fixtures/minutes, test_parse_formats)."""
from __future__ import annotations

import datetime as dt

import pytest

from archive.danish_dates import dates_in, filename_dates, filename_month
from archive.extract.blocks import Block
from archive.numbering import numbering
from archive.parse.casenumber import CASE_LINE
from archive.parse.coverage import is_long, line_kept
from archive.parse.document import Hints, parse_text
from archive.parse.front import body_from_kind, body_of_meeting_name, clean_folder_name
from archive.parse.outcome import classify
from archive.parse.parts import DECISION_OF_BODY, has_minutes_markers, split_title
from archive.parse.run_in import split_run_in
from benchmark.corpus_report import meeting_haystack


def test_word_date_without_space_after_the_day():
    assert [d for _, d in dates_in("Referat af menighedsrådsmøde tirsdag den 6.maj 2025")] == [dt.date(2025, 5, 6)]


def test_short_date_year_first_only_where_the_document_speaks_of_that_year():
    assert [d for _, d in dates_in("Møde 25.08.27", short_years=True, years={2025})] == [dt.date(2025, 8, 27)]
    assert [d for _, d in dates_in("Møde 25.08.27", short_years=True)] == [dt.date(2027, 8, 25)]
    assert [d for _, d in dates_in("Møde 28/1-08", short_years=True, years={2008})] == [dt.date(2008, 1, 28)]


def test_sagsid_is_a_case_number_label():
    m = CASE_LINE.match("Sagsid.: 25/1234")
    assert m and m.group(1) == "25/1234"


@pytest.mark.parametrize("line, family, number, rest", [
    ("01. Valg af dirigent", "dot", "1", "Valg af dirigent"),
    ("3.3 snak om forslag til stier", "dotted", "3.3", "snak om forslag til stier"),
    ("åbent 3 Ny skolestruktur", "status", "3", "Ny skolestruktur"),
    ("Lukket punkt 7: Køb af grund", "status", "7", "Køb af grund"),
    ("Pkt. 1006/19 15:00 – 15:05 Godkendelse af dagsorden", "punkt", "1006/19", "15:00 – 15:05 Godkendelse af dagsorden"),
    ("Punkt 1007/19:", "punkt", "1007/19", ""),
])
def test_numbering_forms(line, family, number, rest):
    num = numbering(line)
    assert num is not None and (num.family, num.number, num.rest) == (family, number, rest)


def test_an_amount_is_not_a_sub_item():
    assert numbering("2.5 mio. kr. til nye stier") is None


@pytest.mark.parametrize("text, title, expected", [
    ("Bestyrelsen vedtager et budget med et underskud.", "", ["godkendt"]),
    ("Indstilles til Byrådets godkendelse.", "", ["anbefalet"]),
    ("Punktet bliver drøftet næste gang.", "", ["udsat"]),
    ("Forslaget kan vente til næste års generalforsamling.", "", ["udsat"]),
    ("Sagen behandles på et senere møde.", "", ["udsat"]),
    ("Datoen blev bestemt til den 9. december.", "", ["godkendt"]),
    ("Bestyrelsen blev enige om at male hegnet.", "", ["godkendt"]),
    ("Lis", "Valg af kasserer", ["valgt"]),
    ("Lise og Bo", "Valg af revisorer", ["valgt"]),
])
def test_outcomes_in_the_words_of_other_bodies(text, title, expected):
    assert classify(text, title) == expected


def test_a_view_shared_is_no_decision():
    assert classify("Vi er enige om, at det er en god ide, og vi kigger på det.") == []


def test_a_first_name_under_another_title_is_no_election():
    assert classify("Lis", "Kaffe og kage") == []


def test_folder_names_that_say_what_a_folder_holds_name_no_body():
    assert clean_folder_name("Referater") == ""
    assert clean_folder_name("dokumenter") == ""
    assert clean_folder_name("fjordby-sejlklub") == "Fjordby sejlklub"


@pytest.mark.parametrize("text, body", [
    ("Referat af Menighedsrådsmøde d. 5. maj", "Menighedsrådet"),
    ("Ældrerådets ordinære møde", "Ældrerådet"),
    ("Referat af bestyrelsesmøde", "Bestyrelsen"),
    ("Referat fra mødet", ""),
])
def test_the_body_a_meeting_kind_names(text, body):
    assert body_from_kind(text) == body


def test_a_heading_that_runs_on_into_its_minutes():
    assert split_run_in("Valg af dirigent: Formanden blev valgt som dirigent og takkede for valget.") == (
        "Valg af dirigent", "Formanden blev valgt som dirigent og takkede for valget.")
    assert split_run_in("Bestyrelsens beretning: Formanden fremlagde beretningen:") == (
        "Bestyrelsens beretning", "Formanden fremlagde beretningen:")
    assert split_run_in("Kasserer: foreløbig budget") == ("Kasserer: foreløbig budget", "")
    assert split_run_in("Fraværende: Ida Holm") == ("Fraværende", "Ida Holm")
    assert split_run_in("Lukket: Køb af grund ved skolen og salg af den gamle.") == (
        "Lukket: Køb af grund ved skolen og salg af den gamle.", "")


def test_an_items_kind_mark_is_not_its_title():
    assert split_title("Godkendelse af dagsorden (B)")[0] == "Godkendelse af dagsorden"
    assert split_title("Orientering fra formanden (O/D)")[0] == "Orientering fra formanden"


def test_decision_of_a_body_on_a_date():
    assert DECISION_OF_BODY.match("Beslutning Ældrerådet den 10-11-2016")
    assert DECISION_OF_BODY.match("Børne- og Skoleudvalget den 6. november 2018:")
    assert not DECISION_OF_BODY.match("Udvalget besluttede den 6. november at gå videre")


def test_a_vote_is_no_minutes_marker():
    assert not has_minutes_markers([Block("Afstemning: Regnskabet blev godkendt.")])
    assert has_minutes_markers([Block("Beslutning: Regnskabet blev godkendt.")])


def test_a_document_with_one_numbered_case():
    text = ("Referat\nFjordby Kommune, Kulturudvalget\n7. marts 2025\n\n"
            "173. Udmøntning af budget til kulturhuset\n\nSagsnr.: 25/004321\n\nSagens indhold\n\n"
            "Kulturhuset får et tilskud, og udvalget skal fordele det mellem husets tre sale.\n\n"
            "Beslutning\n\nGodkendt.\n")
    meeting = parse_text(text, "kulturudvalg.txt")
    assert [(i.number, i.title) for i in meeting.items] == [("173", "Udmøntning af budget til kulturhuset")]
    item = meeting.items[0]
    assert item.case_number == "25/004321"
    assert item.description.startswith("Kulturhuset får et tilskud")
    assert item.outcomes == ["godkendt"]


def test_a_day_and_month_take_their_year_from_a_file_name_that_gives_only_a_month():
    assert filename_month("110700_bestyrelse.pdf") == (2011, 7)
    assert filename_dates("110700_bestyrelse.pdf") == []          # not 11 July 2000
    text = ("Referat, bestyrelsesmøde den 4/7\n\nTil stede: Anna Krog, Bo Lind\n\n"
            "1. Sommerlejr\n\nVi tager til Fjordby med tolv børn.\n\n2. Eventuelt\n\nIntet.\n")
    assert parse_text(text, "110700_bestyrelse.txt").date == dt.date(2011, 7, 4)
    assert parse_text(text.replace("den 4/7", "d. 5/4"), "110400_bestyrelse.txt").date == dt.date(2011, 4, 5)


@pytest.mark.parametrize("line", ["tidspunkt fastsat af bestyrelsen.", "Bestyrelsesmedlem Ida Holm, etape 2"])
def test_a_clause_or_a_members_role_is_no_body(line):
    text = (f"Projektet betales af medlemmerne på et\n{line}\n\n1. Vandbehandling\n\nAnlægget blev godkendt.\n\n"
            "2. Eventuelt\n\nIntet.\n")
    meeting = parse_text(text, "gf_referat_20210614.txt", hints=Hints(folder="ef-fjordby-strand"))
    assert meeting.body == "Ef fjordby strand"        # the folder's name, not the line


def test_a_part_heading_alone_under_a_bare_number_is_the_title():
    text = ("Referat af bestyrelsesmøde 3. marts 2024\n\n**1.**\n\n**Nyt fra vejlauget**\n\n- Vejen fejes i april.\n\n"
            "**2.**\n\n**Økonomi**\n\n- Budgettet holdes fint for første kvartal.\n- Ingen store udgifter.\n\n"
            "**3.**\n\n**Eventuelt**\n\nIntet.\n")
    meeting = parse_text(text, "referat_20240303.md")
    assert [i.title for i in meeting.items] == ["Nyt fra vejlauget", "Økonomi", "Eventuelt"]
    assert meeting.items[1].minutes.startswith("- Budgettet holdes fint")


_SLASHED = ("Referat af bestyrelsesmøde 3. marts 2024\n\nDeltagere:\nAnna, Bo, Carl-Emil og Dorte.\n\n"
            "1. Nyt fra vejlauget / Anna\n\nVejen fejes i april.\n\n2. Økonomi / Bo\n\nBudgettet holder.\n\n"
            "3. Haven/Carl-Emil og Dorte\n\nHækken klippes.\n\n4. Køkken / Bad\n\nTilbud indhentes.\n")


def test_presenters_after_a_slash_where_that_is_the_convention():
    meeting = parse_text(_SLASHED, "referat_20240303.txt")
    assert [(i.title, [p.name for p in i.presenters]) for i in meeting.items] == [
        ("Nyt fra vejlauget", ["Anna"]), ("Økonomi", ["Bo"]), ("Haven", ["Carl-Emil", "Dorte"]),
        ("Køkken / Bad", [])]


def test_one_slash_title_without_participants_stays_a_title():
    text = "Referat af bestyrelsesmøde 3. marts 2024\n\n1. Køkken / Bad\n\nTilbud indhentes.\n\n2. Eventuelt\n\nIntet.\n"
    assert [i.title for i in parse_text(text, "referat_20240303.txt").items] == ["Køkken / Bad", "Eventuelt"]


def test_slashed_names_in_minutes_that_list_nobody():
    text = ("Referat af bestyrelsesmøde 3. marts 2024\n\n1. Nyt fra vejlauget / Anna\n\nVejen fejes i april.\n\n"
            "2. Økonomi / Bo\n\nBudgettet holder.\n")
    assert [(i.title, [p.name for p in i.presenters]) for i in parse_text(text, "referat_20240303.txt").items] == [
        ("Nyt fra vejlauget", ["Anna"]), ("Økonomi", ["Bo"])]


def test_a_line_of_names_under_a_bare_label():
    meeting = parse_text(_SLASHED, "referat_20240303.txt")
    assert [p.name for p in meeting.participants] == ["Anna", "Bo", "Carl-Emil", "Dorte"]
    text = _SLASHED.replace("Anna, Bo, Carl-Emil og Dorte.", "Hanne Holm, formand\nBo Lind, Fjordby Kommune")
    assert [(p.name, p.role) for p in parse_text(text, "x.txt").participants] == [
        ("Hanne Holm", "formand"), ("Bo Lind", "Fjordby Kommune")]


def test_a_title_with_presenters_after_a_slash_is_kept():
    """The coverage measure finds the line in the item's title and presenters."""
    line = "3. Haven og hækken langs den gamle vej / Carl-Emil og Dorte"
    meeting = parse_text(_SLASHED.replace("3. Haven/Carl-Emil og Dorte", line), "referat_20240303.txt")
    assert (meeting.items[2].title, [p.name for p in meeting.items[2].presenters]) == (
        "Haven og hækken langs den gamle vej", ["Carl-Emil", "Dorte"])
    assert is_long(line) and line_kept(line, meeting_haystack(meeting))


_NAMELESS = ("Referat 6-3-2024\n\n1. Godkendelse af dagsorden\n\nGodkendt.\n\n2. Kirkens tag\n\n"
             "Menighedsrådets indstilling er at skifte tagrenderne. Det er menighedsrådets ønske at begynde i maj.\n")
_ELECTION = _NAMELESS.replace("Det er menighedsrådets ønske", "Valgudvalget mødes, og valgudvalget ønsker")


@pytest.mark.parametrize("text, filename, body", [
    (_NAMELESS, "referat-6-3-2024.txt", "Menighedsrådet"),          # the body the text speaks of most
    (_NAMELESS.replace("menighedsrådets ønske", "ønsket"), "referat-6-3-2024.txt", "Ukendt mødeorgan"),   # once
    (_ELECTION, "referat-6-3-2024.txt", "Valgudvalget"),
    (_ELECTION, "170-menighedsradsmode-d-6-marts-2024.txt", "Menighedsrådet"),   # the file name's kind of meeting
    (_ELECTION, "fjordby-sejlklub_2024.txt", "Fjordby sejlklub"),   # a file name that names an organisation
])
def test_the_body_of_minutes_whose_header_names_none(text, filename, body):
    assert parse_text(text, filename).body == body


@pytest.mark.parametrize("header, body", [
    ("Grundejerforeningen SKOVLY NORD", "Grundejerforeningen Skovly Nord"),    # a name in capitals after its kind
    ("GF-FORENINGEN SKOVLY", "GF-Foreningen Skovly"),                            # two letters stay
    ("SKOVLY VANDVÆRK", "Skovly Vandværk"),
    ("KFUM Skovly Klub", "KFUM Skovly Klub"),                                  # one word in capitals: an acronym
])
def test_a_body_written_in_capitals_is_written_as_a_name(header, body):
    text = f"{header}\n\nReferat af bestyrelsesmøde 4. marts 2024\n\n1. Godkendelse af dagsorden\n\nGodkendt.\n\n" \
           "2. Vejene\n\nBestyrelsen besluttede at reparere vejene i maj.\n"
    assert parse_text(text, "referat.txt").body == body


@pytest.mark.parametrize("name, body", [
    ("Fjordnet styregruppemøde", "Fjordnet styregruppe"),
    ("Skovly Vandværks bestyrelsesmøde", "Skovly Vandværks bestyrelse"),
    ("Styregruppemøde", "Styregruppemøde"),          # the kind alone: body_from_kind names it
    ("Fjordby Byråd", "Fjordby Byråd"),
])
def test_the_body_in_a_meetings_name(name, body):
    assert body_of_meeting_name(name) == body


def test_a_meeting_name_label_gives_its_body():
    text = ("# Fjordnet styregruppemøde 04.06.2026\n\n**Mødenavn**: Fjordnet styregruppemøde (hver måned)\n\n"
            "## 1. Godkendelse af dagsorden\n\nGodkendt.\n\n## 2. Ny server\n\nStyregruppen besluttede at købe en ny server.\n")
    assert parse_text(text, "fjordnet_referat_2026-06-04.md").body == "Fjordnet styregruppe"


@pytest.mark.parametrize("first", [6, 1006])
@pytest.mark.parametrize("between", ["\n", "\n\n"])
def test_an_agenda_listed_above_the_items_is_not_an_item(first, between):
    """Running numbers pass 999 ("Punkt 1006/19": one item, not "100" cut off), and an agenda whose
    lines follow each other is the agenda, not a first item "6/19" before the minutes' own "6/19"."""
    numbers = range(first, first + 4)
    agenda = "".join(f"Pkt. {n}/19 Sag nummer {n - first + 1}{between}" for n in numbers)
    sections = "".join(f"Punkt {n}/19: Sag nummer {n - first + 1}\n\nBestyrelsen drøftede sagen grundigt.\n\n"
                       for n in numbers)
    meeting = parse_text(f"Fjordby Havn\n\n80. møde i bestyrelsen 13. november 2019\n\nDagsorden\n\n{agenda}\n"
                         f"{sections}", "2019-11-13_fjordby-havn_80-moede.txt")
    assert [i.number for i in meeting.items] == [f"{n}/19" for n in numbers]
    assert all(i.minutes == "Bestyrelsen drøftede sagen grundigt." for i in meeting.items)
