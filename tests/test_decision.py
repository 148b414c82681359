"""archive.parse.decision and the parts it reads: where an item's decision is, what it says about members,
and the markers that close an item, give its case number, its history and its attachments."""
from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from archive.extract.from_html import html_document
from archive.model import AgendaItem, Attachment, Dissent, Meeting, Treatment, Votes
from archive.parse.casenumber import case_number_in_title
from archive.parse.decision import absent, decision_sentences, dissent, find_decision, votes
from archive.parse.document import parse_document, parse_text
from archive.parse.outcome import classify
from archive.parse.parts import closed_title

FICTION = "(Fiktivt referat til arkivs tests.)"


def _items(text: str) -> dict[str, AgendaItem]:
    meeting = parse_text(text, "2024-03-05_fjordby-fiktivudvalg.txt")
    return {item.number: item for item in meeting.items}


# -- where the decision is -------------------------------------------------------------

def test_a_marked_decision_wins_over_the_rest_of_the_minutes():
    items = _items(f"""Referat af møde i Fjordby Fiktivudvalg {FICTION}

Punkt 1: Ny legeplads

Forvaltningen foreslår, at udvalget godkender en ny legeplads og udsætter renoveringen af stien.

REFERAT:
Udvalget drøftede placeringen, og formanden foreslog at afvise forslaget om en sti.

Konklusion: Udvalget godkendte legepladsen.

Punkt 2: Budgetopfølgning

Afgørelse: Taget til efterretning.
""")
    assert items["1"].decision == "Udvalget godkendte legepladsen."
    assert items["1"].minutes.startswith("Udvalget drøftede placeringen")     # the minutes keep everything
    assert items["1"].outcomes == ["godkendt"]          # not forkastet, udsat or drøftet from the rest
    assert items["2"].decision == "Taget til efterretning." and items["2"].outcomes == ["efterretning"]


def test_the_minutes_that_answer_a_recommendation_are_the_decision():
    items = _items(f"""Referat af møde i Fjordby Fiktivudvalg {FICTION}

Punkt 1: Status på cykelstier

Det indstilles at:
 Udvalget godkender planen og afviser det alternative forslag.

REFERAT:
Gert Fiktiv orienterede om planen. Udvalget tog orienteringen til efterretning.

Punkt 2: Eventuelt

REFERAT:
Intet.
""")
    assert items["1"].decision == items["1"].minutes
    assert items["1"].outcomes == ["efterretning"]       # the recommendation's "godkender", "afviser" set none


def test_narrative_minutes_give_their_sentences_that_record_an_outcome():
    minutes = ("Kassereren gennemgik regnskabet for 2023. Der var spørgsmål til posten for snerydning.\n\n"
               "Regnskabet blev herefter godkendt. Næste møde holdes i juni.")
    assert decision_sentences(minutes, "Regnskab") == ("Kassereren gennemgik regnskabet for 2023.\n\n"
                                                       "Regnskabet blev herefter godkendt.")
    assert find_decision(minutes, "Regnskab") == decision_sentences(minutes, "Regnskab")
    assert find_decision(minutes, "Regnskab", marked="Godkendt.") == "Godkendt."
    assert find_decision(minutes, "Regnskab", answers_recommendation=True) == minutes


def test_a_report_retells_decisions_made_elsewhere():
    report = ("I årets løb besluttede bestyrelsen at udskifte hækken, og kontingentet blev vedtaget i marts. "
              "Formanden takkede for samarbejdet.\n\nBeretningen blev godkendt med applaus.")
    assert decision_sentences(report, "Bestyrelsens beretning") == "Beretningen blev godkendt med applaus."
    assert classify(decision_sentences(report, "Bestyrelsens beretning"), "Bestyrelsens beretning") == ["godkendt"]
    assert decision_sentences("Formanden aflagde beretning om årets arbejde med hækken.", "Formandens beretning") == ""


def test_an_election_that_only_names_the_elected():
    assert find_decision("Grete Fiktiv", "Valg af revisor") == "Grete Fiktiv"
    assert classify("Grete Fiktiv", "Valg af revisor") == ["valgt"]
    assert classify("Grete Fiktiv", "Eventuelt") == []
    assert classify("Beslutningen vedtages enstemmigt.", "Valg af næstformand") == ["valgt"]
    assert classify("Ingen forslag.", "Valg af revisor") == []


# -- outcomes: what is not this meeting's decision ----------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("Da forslaget blev nedstemt på generalforsamlingen, kan bestyrelsen ikke gå videre.", []),
    ("Bestyrelsen oplyste, at årsagen var indbrud, hvorfor bestyrelsen har besluttet at låse døren.", []),
    ("Forslaget skal godkendes af grundejerforeningen.", []),
    ("Tony har modtaget en godkendt ansøgning fra kommunen.", []),
    ("Kenneth sendte indsigelsen som anbefalet brev.", []),
    ("Heine har trukket sig fra formandsposten.", []),
    ("Blev budgettet vedtaget?", []),
    ("Det blev besluttet ikke at invitere leverandøren.", ["godkendt"]),
    ("Bestyrelsen valgte at bruge en totrinsproces.", ["godkendt"]),
    ("Formanden valgte sig selv som referent.", ["valgt"]),
    ("Hele bestyrelsen konstituerede sig med Ib Fiktiv som formand.", ["valgt"]),
    ("a ) Valg af referent Marie b ) Godkendelse af referat Godkendt", ["godkendt", "valgt"]),
    ("Revisor havde ingen bemærkninger, og regnskabet blev godkendt.", ["godkendt"]),
    ("Punktet kommer på dagsordenen til næste bestyrelsesmøde.", ["udsat"]),
    ("Forslaget om nye bænke videresendes til grundejerforeningen.", ["oversendt"]),
    ("Materialet fremsendes til vores jurist.", []),
    ("Fremsendes til byrådet.", ["oversendt"]),
    ("Det blev diskuteret, om lys kunne hjælpe.", ["droeftet"]),
])
def test_outcome_rules(text, expected):
    assert classify(text) == expected


def test_a_briefing_item_that_records_nothing_else():
    assert classify("Kim fortalte om status på byggeriet.", "Orientering fra formanden") == ["orientering"]
    assert classify("Kim fortalte om status. Budgettet blev godkendt.", "Orientering") == ["godkendt"]


# -- members -------------------------------------------------------------------------------

def test_dissent_votes_and_absence_as_data():
    decision = ("Et flertal kunne tiltræde indstillingen. Anna Fiktiv og Bo Digt kunne ikke tiltræde "
                "indstillingen. Socialistisk Fiktivparti tog forbehold vedrørende økonomien. Carl Opdigt "
                "undlod at stemme. Dorthe Fri var forhindret i at deltage i behandlingen.")
    assert [(d.name, d.kind) for d in dissent(decision)] == [
        ("Anna Fiktiv", "imod"), ("Bo Digt", "imod"), ("Socialistisk Fiktivparti", "forbehold"),
        ("Carl Opdigt", "undlod")]
    assert dissent(decision)[0].text == "Anna Fiktiv og Bo Digt kunne ikke tiltræde indstillingen."
    assert absent(decision) == ["Dorthe Fri"]
    assert absent("Fraværende: Ebbe Fiktiv, Frida Digt") == ["Ebbe Fiktiv", "Frida Digt"]
    assert dissent("Forslaget blev vedtaget, mens Ib Fiktiv stemte imod.") == [
        Dissent("Ib Fiktiv", "imod", "Forslaget blev vedtaget, mens Ib Fiktiv stemte imod.")]
    assert votes("Forslaget blev vedtaget med 12 stemmer for og 3 imod, 1 blank.") == Votes(12, 3, 1)
    assert votes("AFSTEMNING: FOR: 10 BLANK: 1 IMOD: 22") == Votes(10, 22, 1)
    assert votes("Forslaget blev vedtaget.") is None
    # Who voted against, reported from another body's meeting: names, not counts.
    reported = "GF har vedtaget (EF-2 og EF-5 stemte imod) en ny parkeringsordning."
    assert [d.name for d in dissent(reported)] == ["EF-2", "EF-5"] and votes(reported) is None


def test_an_absence_line_inside_an_item_is_kept_on_the_item():
    items = _items(f"""Referat af møde i Fjordby Fiktivudvalg {FICTION}

Punkt 1: Vejbump på Fiktivvej

Fraværende: Gunnar Opdigt

Beslutning: Udvalget godkendte vejbumpene. Hanne Fiktiv stemte imod.
""")
    assert items["1"].absent == ["Gunnar Opdigt"]
    assert [(d.name, d.kind) for d in items["1"].dissent] == [("Hanne Fiktiv", "imod")]


# -- closed items, case numbers, history, attachments ---------------------------------------

@pytest.mark.parametrize("title, expected", [
    ("Lukket: Køb af landbrugsejendom", ("Køb af landbrugsejendom", True)),
    ("Lukket punkt - Personalesag", ("Personalesag", True)),
    ("Fortroligt: Lejeaftale", ("Lejeaftale", True)),
    ("(Lukket) Salg af grund", ("Salg af grund", True)),
    ("Salg af grund (Lukket punkt)", ("Salg af grund", True)),
    ("Lukket punkt", ("Lukket punkt", True)),
    ("Lukket vej ved skolen", ("Lukket vej ved skolen", False)),
    ("Lukning af svømmehallen", ("Lukning af svømmehallen", False)),
])
def test_closed_markers_leave_the_title(title, expected):
    assert closed_title(title) == expected


@pytest.mark.parametrize("title, expected", [
    ("Udviklingsplan Aarhus Ø - endelig vedtagelse EMN-2025-003383",
     ("Udviklingsplan Aarhus Ø - endelig vedtagelse", "EMN-2025-003383")),
    ("Sagsnr. 12/3456: Lokalplan for havnen", ("Lokalplan for havnen", "12/3456")),
    ("Lokalplan for havnen (J.nr. 2019-12345)", ("Lokalplan for havnen", "2019-12345")),
    ("Tilskud til foreningen, Sag nr. 24-1234", ("Tilskud til foreningen", "24-1234")),
    ("Journalnr.: 02.34.02-P20-1-19 Vandløbsregulativ", ("Vandløbsregulativ", "02.34.02-P20-1-19")),
    ("Budget 2024-2025", ("Budget 2024-2025", "")),
    ("Lokalplan 1221 (tillæg 2 til lokalplan 411)", ("Lokalplan 1221 (tillæg 2 til lokalplan 411)", "")),
])
def test_case_numbers_leave_the_title(title, expected):
    assert case_number_in_title(title) == expected


def test_closed_items_case_numbers_and_attachments_in_an_item():
    items = _items(f"""Referat af møde i Fjordby Fiktivudvalg {FICTION}

Punkt 1: Lukket: Køb af landbrugsejendom

J.nr.: 2024-00117

Ejeren af Fiktivgården har tilbudt kommunen ejendommen.

Beslutning: Udvalget godkendte købet.

Bilag:
[Skødeudkast](https://fjordby.example/bilag/skoede.pdf)
- Vurdering af jorden

Punkt 2: Fortov på Digtervej

Sagsnr. 24/880

Beslutning: Udvalget godkendte fortovet.
""")
    one = items["1"]
    assert (one.title, one.closed, one.case_number) == ("Køb af landbrugsejendom", True, "2024-00117")
    assert one.decision == "Udvalget godkendte købet." and "Fiktivgården" in one.description
    assert one.attachments == [Attachment("Skødeudkast", "https://fjordby.example/bilag/skoede.pdf"),
                               Attachment("Vurdering af jorden")]
    assert (items["2"].closed, items["2"].case_number) == (False, "24/880")


def test_an_untitled_closed_item_takes_no_title_from_its_case_text():
    items = _items(f"""Referat af møde i Fjordby Fiktivudvalg {FICTION}

Punkt 1:

Lukket punkt

Forhandlingen om Fiktivgården er fortrolig.

Punkt 2: Eventuelt

Intet.
""")
    assert items["1"].closed and items["1"].title == "Lukket punkt"


def test_a_history_in_another_shape_stays_text():
    items = _items(f"""Referat af møde i Fjordby Fiktivudvalg {FICTION}

Punkt 1: Skolevej

Sagsforløb

Sagen har tidligere været behandlet i Børneudvalget i foråret.

Beslutning: Godkendt.

Punkt 2: Eventuelt

Beslutning: Intet.
""")
    assert items["1"].history == []
    assert "Sagsforløb:\n\nSagen har tidligere været behandlet i Børneudvalget" in items["1"].description


def test_an_html_list_of_attachments_keeps_absolute_links_only():
    page = f"""<html><body><h1>Referat af møde i Fjordby Fiktivudvalg</h1><p>{FICTION}</p>
<p>Dato: 5. marts 2024</p>
<h2>1. Ny skolegård</h2><h3>Beslutning</h3><p>Godkendt.</p>
<h3>Bilag</h3><ul>
<li><span role="button">PDF</span><a href="https://fjordby.example/bilag/1.pdf">Tegning af skolegården</a></li>
<li><a href="/vis/bilag/2">Budget for skolegården</a></li>
<li>Se <a href="https://fjordby.example/x">her</a> og der</li>
</ul></body></html>"""
    document = html_document(page, "2024-03-05_fjordby.html")
    assert [b.href for b in document.blocks if b.text.startswith(("Tegning", "Budget", "Se "))] == [
        "https://fjordby.example/bilag/1.pdf", "", ""]
    item = parse_document(document, "2024-03-05_fjordby.html").items[0]
    assert item.attachments == [Attachment("Tegning af skolegården", "https://fjordby.example/bilag/1.pdf"),
                                Attachment("Budget for skolegården"), Attachment("Se her og der")]


# -- stored parses --------------------------------------------------------------------------

def test_new_fields_survive_the_store_and_old_parses_still_load():
    item = AgendaItem("1", "Skolevej", minutes="Godkendt.", decision="Godkendt.", outcomes=["godkendt"],
                      dissent=[Dissent("Ib Fiktiv", "imod", "Ib Fiktiv stemte imod.")], votes=Votes(5, 1),
                      absent=["Bo Digt"], case_number="24/880",
                      history=[Treatment("Børneudvalget", "2024-01-09", "3", "Udsat.")],
                      attachments=[Attachment("Kort", "https://fjordby.example/kort.pdf")])
    meeting = Meeting("Fjordby Fiktivudvalg", dt.date(2024, 3, 5), items=[item])
    assert Meeting.from_dict(meeting.to_dict()) == meeting
    old = meeting.to_dict()
    for name in ("decision", "dissent", "votes", "absent", "history", "attachments"):
        del old["items"][0][name]
    loaded = Meeting.from_dict(old).items[0]
    assert loaded == dataclasses.replace(item, decision="", dissent=[], votes=None, absent=[], history=[],
                                         attachments=[])


def test_an_election_whose_minutes_open_with_the_chosen_name():
    minutes = "Lis Fiktiv – er ikke medlem af bestyrelsen. Hun konstaterede, at mødet var lovligt indkaldt."
    assert find_decision(minutes, "Valg af dirigent") == "Lis Fiktiv"
    assert classify(find_decision(minutes, "Valg af dirigent"), "Valg af dirigent") == ["valgt"]
    assert find_decision(minutes, "Eventuelt") == ""
    declined = "Ole Digt, Ane Fiktiv – modtager ikke genvalg, og der var ingen kandidater."
    assert find_decision(declined, "Valg af revisor") == ""


def test_a_committees_decision_on_a_date_heads_the_decision():
    items = _items(f"""Referat af møde i Fjordby Fiktivudvalg {FICTION}

Punkt 1: Ny legeplads

Sammendrag
Der orienteres om processen, og planen søges godkendt.

Indstilling
Forvaltningen indstiller, at planen godkendes.

Fjordby Fiktivudvalgs beslutning den 04.12.2012 Punkt 1
Indstillingen godkendt
""")
    assert items["1"].decision.startswith("Indstillingen godkendt")
    assert items["1"].outcomes == ["godkendt"]        # not orientering from the summary


def test_a_label_that_introduces_who_was_away_names_no_one():
    assert absent("Indstillingen godkendt\n\nFølgende deltog ikke i behandlingen af punktet:") == []
    assert absent("Ib Fiktiv deltog ikke i behandlingen af punktet.") == ["Ib Fiktiv"]
