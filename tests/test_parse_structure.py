"""How the segmenter finds a meeting's items in layouts it was not built on (fictional bodies and people):
the agenda as the skeleton, "1: Title" numbering, run-in titles, prose without items."""
from __future__ import annotations

from archive.model import Warn
from archive.numbering import numbering
from archive.parse.document import parse_text
from archive.parse.run_in import split_run_in
from archive.text import sentence_end

INVITATION = """Indkaldelse til ekstraordinær generalforsamling

Bestyrelsen indkalder hermed til ekstraordinær generalforsamling den 19. februar 2024 klokken 19.15 i
Forsamlingshuset i Fjordby.

Dagsorden:
  1. Valg af dirigent
  2. Præsentation af bestyrelsen
      a. Bestyrelsens fokusområder i det kommende år
  3. Godkendelse af forretningsorden for bestyrelsen (se bilag 1)
  4. Godkendelse af budget og fastsættelse af kontingent (se bilag 2)
      a. Vejlaug: 1.100
      b. Grundejerforening: 1.400
  5. Eventuelt

Med venlig hilsen
Bestyrelsen

Bilag 1, Forretningsorden for bestyrelsen

1. Møder
1.1. Ordinære møder
Bestyrelsen holder møde mindst én gang i kvartalet.
1.2. Ekstraordinære møder
Formanden kan indkalde med en uges varsel.
2. Roller
2.1. Formand
Formanden leder møderne og tegner foreningen udadtil.
2.2. Kasserer
Kassereren fører regnskabet og betaler regningerne.
3. Kommunikation
3.1. Hjemmesiden
Referater lægges på hjemmesiden inden for fjorten dage.
"""


def test_the_agenda_is_the_skeleton_and_an_annexs_numbering_is_not():
    meeting = parse_text(INVITATION, "dokument.txt")
    assert [i.title for i in meeting.items] == [
        "Valg af dirigent", "Præsentation af bestyrelsen", "Godkendelse af forretningsorden for bestyrelsen (se bilag 1)",
        "Godkendelse af budget og fastsættelse af kontingent (se bilag 2)", "Eventuelt"]
    assert meeting.document_kind == "agenda"


STATUTES = """Fjordby Kommune
Dato: 12-10-2023 /Journalnummer: 01.02.05-P24

Indkaldelse til stiftende generalforsamling

Den stiftende generalforsamling afholdes
mandag d. 06.11.2023 kl. 18.30 i Fjordby Forsamlingshus.

FORSLAG til dagsorden til stiftende generalforsamling
  1. Valg af dirigent
  2. Valg af referent
  3. Gennemgang af forslag til vedtægter
  4. Afstemning om vedtægter
  5. Valg af medlemmer til bestyrelsen
  6. Eventuelt

Forslag til vedtægter for Grundejerforeningen Solsikken

§ 8. Generalforsamlingen

Stk. 6. På den ordinære generalforsamling skal følgende punkter behandles:

1. Valg af dirigent
2. Bestyrelsens beretning om det forløbne år
3. Aflæggelse af regnskab, underskrevet af revisor og bestyrelsen
4. Vedtagelse af budget og fastlæggelse af bidrag
5. Valg af bestyrelsesmedlemmer og suppleanter
6. Valg af revisor og revisorsuppleant
7. Rettidigt indkomne forslag fra medlemmerne
8. Eventuelt

Stk. 7. Forslag skal være bestyrelsen i hænde senest 1. februar.
"""


def test_a_list_in_the_statutes_does_not_replace_the_agenda():
    meeting = parse_text(STATUTES, "dokument.txt")
    assert [i.title for i in meeting.items][:3] == ["Valg af dirigent", "Valg af referent",
                                                     "Gennemgang af forslag til vedtægter"]
    assert len(meeting.items) == 6
    assert meeting.date.isoformat() == "2023-11-06"


def test_colon_numbering_with_run_in_minutes():
    assert numbering("1: Valg af dirigent: Ida Holm").family == "colon"
    assert numbering("16:00 Velkomst") is None
    text = """Referat fra Fjordby Katteklubs generalforsamling den 29. september 2013

1: Valg af dirigent: Ida Holm foreslås og vælges. Hun takker for valget og konstaterer at alt er i orden.
2: Valg af referent: Bo Berg foreslås og vælges.
3: Godkendelse af regnskab: Kort gennemgang af regnskabet, hvorefter det godkendes.
4: Kontingentfastlæggelse: Kontingentet forbliver uændret
5: Eventuelt:
Formanden takker for god ro og orden.
"""
    meeting = parse_text(text, "dokument.txt")
    assert [i.title for i in meeting.items] == ["Valg af dirigent", "Valg af referent", "Godkendelse af regnskab",
                                                 "Kontingentfastlæggelse", "Eventuelt"]
    assert "uændret" in meeting.items[3].minutes


def test_run_in_titles_end_at_the_first_sentence_or_before_the_elected():
    assert split_run_in("Valg af revision. Revisorfirmaet blev genvalgt") == ("Valg af revision.",
                                                                              "Revisorfirmaet blev genvalgt")
    assert split_run_in("Valg af dirigent: Ida Holm") == ("Valg af dirigent", "Ida Holm")
    assert split_run_in("Kasserer: foreløbig budget") == ("Kasserer: foreløbig budget", "")
    assert split_run_in("Økonomi: Budget 2024") == ("Økonomi: Budget 2024", "")
    # a plural noun ends in -er like a verb: a subtitle after the first sentence stays in the title
    assert split_run_in("Grønby 2030. Politiske målsætninger") == ("Grønby 2030. Politiske målsætninger", "")
    assert split_run_in("Kontingent. Kontingentet forbliver uændret") == ("Kontingent.", "Kontingentet forbliver uændret")


def test_a_sentence_does_not_end_at_an_ordinal_or_an_abbreviation():
    text = "Møder 1. og 3. tirsdag i måneden, evt. oftere (forslag). Enighed blandt de fremmødte"
    assert text[:sentence_end(text)] == "Møder 1. og 3. tirsdag i måneden, evt. oftere (forslag)."


def test_prose_minutes_have_no_items():
    text = """Fjordby Katteklub

Bestyrelsesmøde d. 27. maj 2018

Til stede: Ida Holm, Bo Berg og Eva Dahl.

Klubbens nye MobilePay-nummer er nu oppe at køre, og de første betalinger er kommet ind.

Sidste nyt om persondataforordningen blev gennemgået. Vi skal kun justere mindre ting på hjemmesiden.

Planlægningen af jubilæumsudstillingen til oktober er i fuld gang, og hallen er bestilt.
"""
    meeting = parse_text(text, "dokument.txt")
    assert meeting.agenda_items() == []
    assert any(w.code is Warn.NO_ITEMS for w in meeting.warnings)
    assert "MobilePay" in meeting.items[0].minutes         # nothing lost: the text is kept as one item


def test_bulleted_topics_are_items():
    text = """# Referat: 8. oktober, 2022

Emner diskuteret:
- Etablering af arbejdsgruppe og møder 1. og 3. tirsdag hver måned (forslag).
  Enighed blandt de fremmødte
- Finansiering af studiecaféen
  Spørg kassereren
- Hvordan får vi arrangementer ud til alle
  Ingen konklusion
"""
    meeting = parse_text(text, "dokument.md")
    assert [i.title for i in meeting.agenda_items()] == [
        "Etablering af arbejdsgruppe og møder 1. og 3. tirsdag hver måned (forslag)",
        "Finansiering af studiecaféen", "Hvordan får vi arrangementer ud til alle"]
    assert meeting.date.isoformat() == "2022-10-08"


def _printed(lines: list[tuple[str, float, bool]]):
    """A PDF's lines as extraction gives them: page 1, a gap before each, their size and weight."""
    from archive.extract.blocks import Block, Document

    return Document("dokument.pdf", [Block(text, size=size, bold=bold, page=1, gap=True, y=k / 100)
                                     for k, (text, size, bold) in enumerate(lines)])


REPORT = "Året har budt på mange aktiviteter, og udvalget takker alle frivillige for deres indsats."


def test_the_larger_headings_are_the_items_and_a_lone_number_is_the_last_of_them():
    """Sub-headings of one item (a report per committee) outnumber the items; the items are the larger
    headings around them.  One numbered line after them ("5. Eventuelt") is one of those items."""
    from archive.parse.document import parse_document

    lines = [("Referat af generalforsamling i Fjordby Idrætsforening", 24, True),
             ("Onsdag den 13. marts 2024 kl. 19 i Fjordby Hallen", 12, True),
             ("Valg af dirigent", 16, True), ("Ida Holm blev valgt og konstaterede, at alt var i orden.", 11, False),
             ("Aflæggelse af beretninger", 16, True)]
    for committee in ("Fodbold", "Håndbold", "Gymnastik", "Svømning"):
        lines += [(f"Beretning for {committee} ved formanden", 14, True), (REPORT, 11, False)]
    lines += [("Alle beretninger blev godkendt.", 11, False),
              ("Godkendelse af regnskab", 16, True), ("Regnskabet blev godkendt uden bemærkninger.", 11, False),
              ("Valg til bestyrelsen", 16, True), ("Bo Jensen blev genvalgt for to år ad gangen.", 11, False),
              ("5. Eventuelt", 11, False), ("Referat ved:", 11, False), ("Ida Holm", 11, False)]
    meeting = parse_document(_printed(lines), "Referater/dokument.pdf")
    assert [(i.number, i.title) for i in meeting.agenda_items()] == [
        ("", "Valg af dirigent"), ("", "Aflæggelse af beretninger"), ("", "Godkendelse af regnskab"),
        ("", "Valg til bestyrelsen"), ("5", "Eventuelt")]
    assert "Beretning for Svømning" in meeting.agenda_items()[1].minutes


SHORT_HEADINGS = """Referat af ordinær generalforsamling i Bølgebo Roklub

Torsdag den 7. marts 2024 kl. 19.00 i klubhuset

Dagsorden
1. Velkomst
2. Valg af dirigent
3. Aflæggelse og godkendelse af bestyrelsens forslag til kontingent og
budget for det kommende år
4. Valg til bestyrelsen
a) Valg af formand
b) Valg af kasserer
5. Eventuelt

Ad 1 · Velkomst
Formanden Ida Fjord bød velkommen.

Ad 2 · Valg af dirigent
Karl Strand blev valgt som dirigent.

Ad 3 · Kontingent og budget
Kontingentet forbliver 400 kr. Budgettet blev godkendt.

Ad 4 · Bestyrelsen
Ida Fjord og Per Vig blev valgt.

Ad 5 · Eventuelt
Intet.
"""


def test_a_separator_dot_after_the_number_is_not_part_of_the_title():
    for line, rest in (("Ad 4 · Vedtægter", "Vedtægter"), ("Punkt 3 • Budget", "Budget"), ("Ad 2 — Valg", "Valg"),
                       ("Punkt 6 | Eventuelt", "Eventuelt")):
        assert numbering(line).rest == rest, line


def test_an_agenda_title_the_minutes_head_in_short_is_the_items_title():
    meeting = parse_text(SHORT_HEADINGS, "dokument.txt")
    assert [i.title for i in meeting.items] == [
        "Velkomst", "Valg af dirigent",
        # the heading's words are all in the agenda's entry (wrapped over two lines): the entry is the title
        "Aflæggelse og godkendelse af bestyrelsens forslag til kontingent og budget for det kommende år",
        # the agenda's sub-items are not part of the entry's title
        "Valg til bestyrelsen",
        "Eventuelt"]
    assert "Budgettet blev godkendt" in meeting.items[2].minutes


GROUPS = """# Referat

## Portalgruppen

Dato: 3. maj 2025

Deltagere: Ida Fjord, Per Vig, Karl Strand

## 1 Portalen

1.1 Status siden sidst

Oplæg: Portalen kører stabilt efter opdateringen i april.

Referat: Taget til efterretning.

1.2 Plan for resten af året

Oplæg: Nyt loginmodul i efteråret.

Referat: Gruppen følger op i september.

## 2 Arkivsystemet

2.1 Status siden sidst

Oplæg: Version 3 er i drift; to kendte fejl er rettet.

Referat: Taget til efterretning.

2.2 Plan for resten af året

Oplæg: Søgning i gamle sager kommer i uge 40.

Referat: Ingen bemærkninger.

## 3 Eventuelt

Referat: Intet.
"""


def test_a_number_a_space_and_a_title_numbers_a_styled_heading_only():
    assert numbering("1 Portalen").family == "space"
    assert numbering("2 personer deltog") is None            # a title starts with a capital
    # in running text "2 Revisorer blev valgt" is a sentence, not an item: only a heading's line counts
    meeting = parse_text("Referat\n\nGeneralforsamling den 3. maj 2025\n\n1. Valg af revisor\n"
                         "Der blev talt om valg.\n2 Revisorer blev valgt.\n\n2. Eventuelt\nIntet.\n",
                         "dokument.txt")
    assert [i.title for i in meeting.items] == ["Valg af revisor", "Eventuelt"]


def test_sub_points_whose_titles_recur_under_other_groups_belong_to_their_group():
    meeting = parse_text(GROUPS, "dokument.md")
    assert [(i.number, i.title) for i in meeting.items] == [("1", "Portalen"), ("2", "Arkivsystemet"),
                                                            ("3", "Eventuelt")]
    assert "Nyt loginmodul" in meeting.items[0].description + meeting.items[0].minutes
    # the group's compound name ("-gruppen" after a subject of its own) is the body, not a kind alone
    assert meeting.body == "Portalgruppen"


def test_a_skipped_item_number_is_said_in_danish():
    """Items 1, 2 and 4: item 3 went somewhere (into item 2's text, or nowhere), and the reader is told."""
    text = """Referat af bestyrelsesmøde i Fjordby Roklub den 4. marts 2024

1. Godkendelse af dagsorden
Dagsordenen blev godkendt.

2. Økonomi
Kassereren gennemgik regnskabet, som viser et lille overskud.

4. Eventuelt
Intet.
"""
    meeting = parse_text(text, "dokument.txt")
    assert [w.text for w in meeting.warnings if w.code is Warn.SKIPPED_NUMBER] == [
        "et punktnummer springes over: punkt 3"]
    assert not [w for w in parse_text(text.replace("4. Eventuelt", "3. Eventuelt"), "dokument.txt").warnings
                if w.code is Warn.SKIPPED_NUMBER]


def test_which_item_numbers_count_as_skipped_or_not_found():
    from archive.parse.coverage import agenda_not_found, skipped_numbers

    assert skipped_numbers(["1", "2", "4", "5"]) == [3]
    assert skipped_numbers(["1", "2+3+4", "5"]) == []             # items treated together
    assert skipped_numbers(["4", "5a", "5b", "6"]) == []          # parts of one item
    assert skipped_numbers(["47/18", "48/18", "50/18"]) == []     # a council's running numbers
    assert skipped_numbers(["1", "20", "40"]) == []               # most of the run missing: another numbering
    assert agenda_not_found(["1", "2", "3"], ["1.1", "1.2", "2.1", "3"]) == []   # groups of sub-items
    assert agenda_not_found(["1", "2", "3", "4"], ["1", "2", "3"]) == [4]
