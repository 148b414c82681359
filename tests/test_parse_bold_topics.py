"""Minutes whose items are bold topic headings in printed lines (a PDF without numbers), as many clubs
write them: what is a heading, what is a topic's own list, who presents its parts (fictional club)."""
from __future__ import annotations

from archive.extract.blocks import Block, Document
from archive.parse.document import parse_document

Line = tuple[str, float, bool, bool]        # text, size, bold, gap before


def _pdf(lines: list[Line]) -> Document:
    return Document("dokument.pdf", [Block(text, size=size, bold=bold, page=1 + k // 40, gap=gap, y=(k % 40) / 40)
                                     for k, (text, size, bold, gap) in enumerate(lines)])


def _heading(text: str) -> Line:
    return (text, 11, True, True)


def _text(text: str, gap: bool = True) -> Line:
    return (text, 11, False, gap)


TITLE = [("Referat", 20, False, False), ("Fjordby Idrætsforenings generalforsamling 2024", 20, False, True),
         ("Onsdag den 13. marts 2024 kl. 19:00 i Fjordby Hallen", 11, False, True)]
ANNEX = [("Årsberetning Fjordby Fodbold 2023", 20, False, True),
         _text("Fodboldafdelingen har haft et godt år med flere hold og mange nye medlemmer i alle aldre."),
         ("Årsberetning Fjordby Gymnastik 2023", 20, False, True),
         _text("Gymnastikafdelingen har haft femten hold og en opvisning med over tre hundrede tilskuere.")]


def _meeting(lines: list[Line]):
    return parse_document(_pdf(lines), "Referater/dokument.pdf")


def test_a_numbered_list_inside_one_topic_is_that_topics_list():
    """The elections numbered 1.–3. under "Valg til bestyrelsen:" are that item's minutes, not the
    meeting's items; the title set in two larger lines and the annex's larger headings are no items."""
    lines = TITLE + [
        _heading("Valg af dirigent:"), _text("Ida Holm blev valgt og konstaterede, at indkaldelsen var lovlig."),
        _heading("Beretninger og valg til udvalg."), _text("Beretningerne findes i bilaget til referatet."),
        _heading("Godkendelse af regnskab:"), _text("Kassereren gennemgik regnskabet, som blev godkendt."),
        _heading("Valg til bestyrelsen:"),
        _text("1. Valg af næstformand: Bo Vang blev valgt."), _text("2. Valg af kasserer: Eva Lund blev genvalgt."),
        _text("3. Valg af revisor: Per Dal blev valgt."),
        _heading("Eventuelt:"), _text("Der blev spurgt til hallens lys, som bestyrelsen vil se på."),
    ] + ANNEX
    items = _meeting(lines).agenda_items()
    assert [i.title for i in items][:5] == ["Valg af dirigent", "Beretninger og valg til udvalg",
                                            "Godkendelse af regnskab", "Valg til bestyrelsen", "Eventuelt"]
    assert "Valg af kasserer: Eva Lund blev genvalgt." in items[3].minutes
    assert "valgt" in items[3].outcomes


def test_numbered_items_under_bold_group_headings_stay_the_items():
    """A numbered list that runs across the bold headings (groups of items) is still the items."""
    lines = TITLE + [
        _heading("Åbne punkter:"), _text("1. Godkendelse af dagsorden"), _text("Dagsordenen blev godkendt uden ændringer."),
        _text("2. Regnskab"), _text("Regnskabet blev gennemgået og godkendt af alle."),
        _heading("Lukkede punkter:"), _text("3. Kontingentrestancer"), _text("Bestyrelsen drøftede to restancer."),
        _heading("Næste møde:"), _text("Næste møde holdes den 10. april 2024 i klubhuset."),
    ]
    assert [i.title for i in _meeting(lines).agenda_items()] == [
        "Godkendelse af dagsorden", "Regnskab", "Kontingentrestancer"]


def test_a_bold_line_that_says_what_happened_is_no_heading():
    """"Beretninger og valg til udvalg." names a subject; "Regnskabet blev godkendt." in bold says what
    happened and stays in its item's minutes."""
    lines = TITLE + [
        _heading("Valg af dirigent:"), _text("Ida Holm blev valgt og konstaterede, at indkaldelsen var lovlig."),
        _heading("Beretninger og valg til udvalg."), _text("Beretningerne findes i bilaget til referatet."),
        _heading("Godkendelse af regnskab:"), _text("Kassereren gennemgik regnskabet og svarede på spørgsmål."),
        _heading("Regnskabet blev godkendt."),
        _heading("Eventuelt:"), _text("Der blev spurgt til hallens lys, som bestyrelsen vil se på."),
    ]
    items = _meeting(lines).agenda_items()
    assert [i.title for i in items] == ["Valg af dirigent", "Beretninger og valg til udvalg",
                                        "Godkendelse af regnskab", "Eventuelt"]
    assert "Regnskabet blev godkendt." in items[2].minutes


def test_a_bold_paragraph_of_sentences_is_no_heading():
    """Awards written in bold, each a paragraph of two sentences over two lines, belong to the item
    they are under; a one-line bold label is a heading."""
    lines = TITLE + [
        _heading("Valg af dirigent:"), _text("Ida Holm blev valgt og konstaterede, at indkaldelsen var lovlig."),
        _heading("Prisuddelinger:"),
        ("Årets træner: Bo Vang fra fodbold. Derudover var Eva Lund fra", 11, True, True),
        ("håndbold indstillet.", 11, True, False),
        ("Årets leder: Per Dal fra gymnastik. Derudover var Kim Ravn fra", 11, True, True),
        ("svømning indstillet.", 11, True, False),
        _heading("Eventuelt:"), _text("Der blev spurgt til hallens lys, som bestyrelsen vil se på."),
    ]
    items = _meeting(lines).agenda_items()
    assert [i.title for i in items] == ["Valg af dirigent", "Prisuddelinger", "Eventuelt"]
    assert "Årets leder: Per Dal" in items[1].minutes


def test_sub_headings_name_who_presents_the_parts_of_an_item():
    """"Fodbold ved Bo Vang." under "Aflæggelse af beretninger" names a presenter of that item, in order;
    a sentence with "ved" ("Mødet blev holdt ved Kim Ravn.") names nobody.  The closing sentence
    "Alle beretninger blev … godkendt." is the report item's outcome."""
    lines = TITLE + [
        ("Valg af dirigent", 16, True, True), _text("Ida Holm blev valgt og konstaterede, at indkaldelsen var lovlig."),
        ("Aflæggelse af beretninger:", 16, True, True),
        ("Formandens beretning ved Eva Lund.", 14, True, True), _text("Året har budt på mange aktiviteter i klubben."),
        ("Fodbold ved Bo Vang.", 14, True, True), _text("Fodbold har fået to nye hold og en ny træner."),
        ("Mødet blev holdt ved Kim Ravn.", 14, True, True), _text("Det var i klubhuset, som var fyldt."),
        _text("Alle beretninger blev gennemgået og godkendt."),
        ("Eventuelt", 16, True, True), _text("Der blev spurgt til hallens lys, som bestyrelsen vil se på."),
    ]
    items = _meeting(lines).agenda_items()
    assert [i.title for i in items] == ["Valg af dirigent", "Aflæggelse af beretninger", "Eventuelt"]
    assert [p.name for p in items[1].presenters] == ["Eva Lund", "Bo Vang"]
    assert "godkendt" in items[1].outcomes
    assert items[2].presenters == []


def test_a_title_that_ends_at_a_comma_goes_on_over_the_space_after_it():
    """A numbered bold title wrapped at a comma, with the next line set a little apart, is one title."""
    lines = TITLE + [
        _heading("1. Valg af dirigent."), _text("Ida Holm blev valgt og konstaterede, at indkaldelsen var lovlig."),
        _heading("2. Indkomne forslag fra bestyrelsen eller medlemmer af Fjordby Idrætsforening,"),
        _heading("afdeling Vest."), _text("Der var ingen forslag fra medlemmerne i år."),
        _heading("3. Eventuelt."), _text("Der blev spurgt til hallens lys, som bestyrelsen vil se på."),
    ]
    assert [i.title for i in _meeting(lines).agenda_items()] == [
        "Valg af dirigent",
        "Indkomne forslag fra bestyrelsen eller medlemmer af Fjordby Idrætsforening, afdeling Vest", "Eventuelt"]


def test_an_agenda_item_the_minutes_never_head_is_still_an_item():
    """The agenda lists four items; the minutes head three of them in bold and never the fourth: the
    fourth is an item too, with its title and no minutes, in the agenda's order."""
    report = "Bestyrelsen gennemgik sagen grundigt, og der var enighed om at arbejde videre med den i foråret."
    lines = TITLE[:1] + [
        ("Bestyrelsesmøde i Fjordby Roklub den 4. marts 2024", 16, True, True),
        _text("Dagsorden:"), _text("1. Godkendelse af dagsorden", False), _text("2. Økonomi og regnskab", False),
        _text("3. Eventuelt", False), _text("4. Bådehuset og taget", False),
        _heading("Godkendelse af dagsorden"), _text(report), _text(report),
        _heading("Økonomi og regnskab"), _text(report), _text(report),
        _heading("Bådehuset og taget"), _text(report), _text(report), _text(report)]
    meeting = _meeting(lines)
    assert [(i.number, i.title, bool(i.minutes)) for i in meeting.items] == [
        ("1", "Godkendelse af dagsorden", True), ("2", "Økonomi og regnskab", True), ("3", "Eventuelt", False),
        ("4", "Bådehuset og taget", True)]
    assert meeting.warnings == []


def test_bold_headings_of_terse_minutes_are_items_and_text_all_in_bold_has_none():
    """Minutes of one word under each bold heading are more bold than not, and the headings are still
    the items; where every line is bold, bold heads nothing and the minutes are one text."""
    terse = TITLE[:2] + [_heading("Godkendelse af referat fra sidste møde"), _text("Godkendt."),
                         _heading("Orientering fra formanden om vejen"), _text("Taget til efterretning."),
                         _heading("Fastsættelse af kontingent for det kommende år"), _text("Uændret."),
                         _heading("Fastsættelse af dato for næste møde"), _text("Den 4. juni.")]
    assert [i.title for i in _meeting(terse).agenda_items()] == [
        "Godkendelse af referat fra sidste møde", "Orientering fra formanden om vejen",
        "Fastsættelse af kontingent for det kommende år", "Fastsættelse af dato for næste møde"]
    all_bold = [(text, size, True, gap) for text, size, _, gap in terse]
    assert _meeting(all_bold).agenda_items() == []


def test_a_number_written_without_its_dot_between_its_neighbours_is_the_missing_item():
    """"3 Valg af formand" in bold between "2. Regnskab" and "4. Eventuelt": the writer forgot the dot."""
    lines = TITLE + [
        _heading("1. Valg af dirigent"), _text("Ida Holm blev valgt og konstaterede, at indkaldelsen var lovlig."),
        _heading("2. Regnskab"), _text("Kassereren gennemgik regnskabet, som blev godkendt uden bemærkninger."),
        _heading("3 Valg af formand"), _text("Bo Vang blev genvalgt som formand for to år."),
        _heading("4. Eventuelt"), _text("Der blev spurgt til hallens lys, som bestyrelsen vil se på."),
        _text("2 stemmer imod blev noteret i protokollen, og mødet sluttede i god ro og orden."),
    ]
    meeting = _meeting(lines)
    assert [(i.number, i.title) for i in meeting.items] == [
        ("1", "Valg af dirigent"), ("2", "Regnskab"), ("3", "Valg af formand"), ("4", "Eventuelt")]
    assert meeting.warnings == []
