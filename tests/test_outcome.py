"""archive.parse.outcome: classify minutes texts into outcome slugs."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from archive.parse.outcome import OUTCOMES, classify, label


def test_order_and_labels():
    assert list(OUTCOMES) == ["godkendt", "valgt", "anbefalet", "efterretning", "droeftet", "orientering", "udsat",
                              "forkastet", "oversendt", "trukket", "ingen-bemaerkninger"]
    assert label("valgt") == "Valgt"
    assert label("efterretning") == "Taget til efterretning"
    assert label("droeftet") == "Drøftet"
    assert label("unknown") == "unknown"


@pytest.mark.parametrize("text, expected", [
    ("Godkendt.", ["godkendt"]),
    ("Forslaget blev vedtaget.", ["godkendt"]),
    ("Udvalget kunne tiltræde indstillingen.", ["godkendt"]),
    ("Forslaget blev besluttet.", ["godkendt"]),
    ("Valgt med applaus.", ["valgt"]),
    ("Hans Hansen blev genvalgt.", ["valgt"]),
    ("Grete Bo blev valgt som kasserer.", ["valgt"]),
    ("Rådet anbefalede planen.", ["anbefalet"]),
    ("Bestyrelsen tog orienteringen til efterretning.", ["efterretning"]),
    ("Udvalget drøftede sagen.", ["droeftet"]),
    ("Medlemmerne havde bl.a. følgende input:", ["droeftet"]),
    ("Hanne Østergaard orienterede kort om status.", ["orientering"]),
    ("Udvalget blev orienteret.", ["orientering"]),
    ("Sagen blev udsat.", ["udsat"]),
    ("Punktet skubbes til næste møde.", ["udsat"]),
    ("Sagen genoptages på næste møde.", ["udsat"]),
    ("Forslaget blev forkastet.", ["forkastet"]),
    ("Forslaget blev nedstemt.", ["forkastet"]),
    ("Ansøgningen blev afvist.", ["forkastet"]),
    ("Sagen oversendes til byrådet.", ["oversendt"]),
    ("Fremsendes til Økonomiudvalget.", ["oversendt"]),
    ("Punktet blev trukket.", ["trukket"]),
    ("Ingen bemærkninger.", ["ingen-bemaerkninger"]),
    ("Medlemmerne havde ingen bemærkninger til dette punkt.", ["ingen-bemaerkninger"]),
])
def test_single_outcomes(text, expected):
    assert classify(text) == expected


def test_several_outcomes_in_order():
    text = "Bestyrelsen tog orienteringen til efterretning, og godkendte at gæster overværer mødet."
    assert classify(text) == ["godkendt", "efterretning"]


def test_negation():
    assert classify("Søren Æbelø kunne ikke tiltræde indstillingen.") == []
    assert classify("Forslaget blev ikke godkendt.") == []
    assert classify("Udvalget godkendte ikke forslaget.") == []
    mixed = "Et flertal kunne tiltræde indstillingen. Ib Kjærgård kunne ikke tiltræde indstillingen."
    assert classify(mixed) == ["godkendt"]


def test_briefing_and_discussion_yield_to_decisions():
    assert classify("Hanne orienterede om sagen. Bestyrelsen tog det til efterretning.") == ["efterretning"]
    assert classify("Hanne orienterede om sagen. Bestyrelsen havde bl.a. følgende input: x") == ["droeftet"]
    text = "Udvalget drøftede sagen. Udvalget besluttede herefter at udsætte sagens behandling."
    assert classify(text) == ["udsat"]


def test_no_decision_is_no_outcome():
    assert classify("") == []
    assert classify("Formanden bød velkommen.") == []
    assert classify("Der var ingen forslag.") == []
    assert classify("Næste møde afholdes den 3. marts.") == []
    assert classify("Endelig vedtagelse af lokalplanen.") == []   # a noun, not a decision


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_never_crashes(text):
    result = classify(text)
    assert all(slug in OUTCOMES for slug in result)


@pytest.mark.parametrize("text, expected", [
    # a consensus recorded as reached is an agreement; one wished for or held as a view is not
    ("- Enighed blandt de fremmødte", ["godkendt"]),
    ("Der var enighed om at holde møderne om tirsdagen.", ["godkendt"]),
    ("Der var stor enighed i udvalget om den nye plan.", ["godkendt"]),
    ("Der var ikke enighed om forslaget.", []),
    ("Enighed i bestyrelsen er vigtig.", []),
    ("Vi ønsker enighed om planen.", []),
    # consent given at the meeting
    ("Forslaget blev drøftet, revideret på enkelte punkter og opnåede samtykke fra medlemmerne.", ["godkendt"]),
    ("Har nogen noget imod planen – nej – der er samtykke.", ["godkendt"]),
    # a discussion that ended without a conclusion
    ("- Ingen konklusion", ["droeftet"]),
    ("Der blev ikke truffet nogen beslutning.", ["droeftet"]),
    ("Diskussion vedr. nye regler for udlån af trailer.", ["droeftet"]),
    # elected into a post, or constituted as one
    ("- Indvalgt enstemmigt", ["valgt"]),
    ("Kim og Ulla blev genvalg.", ["valgt"]),
    ("Ida Fiktiv konstitueres til næstformand.", ["valgt"]),
    ("- Nyvalgte til bestyrelsen", []),
    ("Det videre arbejde sker i samarbejde med den valgte bestyrelse.", []),     # an adjective
    ("Som formand blev Ib Fiktiv valgt.", ["valgt"]),          # a report's bullet: who is new, not an election
    # "det godkendes af GF" is a passive verb, not the adjective of "en godkendt ansøgning"
    ("Kort gennemgang af regnskabet, hvorefter det godkendes af forsamlingen", ["godkendt"]),
    ("Her kan alt foreslås, men intet vedtages.", []),
])
def test_agreements_consent_conclusions_and_elections(text, expected):
    assert classify(text) == expected


@pytest.mark.parametrize("title, minutes, expected", [
    ("Årsregnskab 2023 blev godkendt.", "", ["godkendt"]),
    ("Bestyrelsens beretning blev taget til efterretning.", "", ["efterretning"]),
    ("Revideret regnskab godkendt.", "Revisor Bo Digt havde følgende kommentarer:", ["godkendt"]),
    ("Forslaget om en ny bro blev ikke vedtaget.", "", []),
    ("Godkendelse af regnskab", "", []),
    ("Forslag om at udsætte byggeriet", "", []),
    ("Referat godkendt?", "", []),
])
def test_a_title_that_records_the_outcome(title, minutes, expected):
    """Minutes that write the outcome into the item's heading ("4. Årsregnskab blev godkendt.")."""
    assert classify(minutes, title) == expected
