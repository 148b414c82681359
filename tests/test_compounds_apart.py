"""Compounds both ways (issue 21): a compound in a query also finds its parts written as words of
their own near each other, in either order and inflected, ranked below the compound itself; on
fictional minutes of a fictional owners' association, in a real index of each engine."""
from __future__ import annotations

import datetime as dt

import pytest
from conftest import engine_over
from helpers_search import item, meeting

from index import compounds as C
from index import query as q
from index.query_expand import expand, near_readings
from index.search import parse_request, search

BODY = "Ejerforeningen Mågevej 7"
FAR = " ".join(["Bestyrelsen har gennemgået tilbud fra flere firmaer og drøftet tidsplanen grundigt"] * 2)


def corpus():
    return [
        meeting(BODY, dt.date(2021, 4, 8), "1", [
            item("1", "Vinduesudskiftning i opgang B", "Tilbud på vinduesudskiftningen er indhentet.",
                 "Godkendt.", outcomes=["godkendt"]),
            item("2", "Vedligeholdelse", "Bestyrelsen foreslår udskiftning af de gamle vinduer mod gården.",
                 "Drøftet."),
            item("3", "Facaden", "Vinduerne i stuen skal udskiftes inden vinteren.", "Drøftet."),
            item("4", "Diverse", f"Vinduer i kælderen. {FAR} Udskiftning af låsen i cykelkælderen.", "Intet."),
        ]),
        meeting(BODY, dt.date(2022, 5, 3), "2", [
            item("1", "Renovering af taget", "Taget er utæt over nummer 7, og renovering af taget haster.",
                 "Godkendt.", outcomes=["godkendt"]),
            item("2", "Kontingent", "Forhøjelse af kontingentet med 200 kr. om året blev foreslået.",
                 "Godkendt.", outcomes=["godkendt"]),
            item("3", "Tagrenovering", "Tagrenoveringen udbydes i foråret.", "Godkendt.", outcomes=["godkendt"]),
            item("4", "Viceværtens opgaver", "Vores vicevært har fået nye regler for affald.", "Orientering."),
            item("5", "Hjemmeplejen", "Hjemmeplejen parkerer ved opgang A.", "Orientering."),
            item("6", "Plejehjemmet", "Plejehjemmet på hjørnet udvider.", "Orientering."),
        ]),
    ]


engine = engine_over(corpus)


def found(engine, text, **params):
    resp = search(engine, parse_request({"q": text, **params}))
    return [(h.title, h.snippet) for h in resp.results], resp


def titles(engine, text, **params):
    return [t for t, _ in found(engine, text, **params)[0]]


def test_a_compound_finds_its_parts_written_apart_in_either_order_and_inflected(engine):
    got = titles(engine, "vinduesudskiftning")
    # The compound itself first; then "udskiftning af … vinduer" and "vinduerne … udskiftes".
    assert got[0] == "Vinduesudskiftning i opgang B"
    assert set(got[1:]) == {"Vedligeholdelse", "Facaden"}
    # Parts far apart are no reading of the compound.
    assert "Diverse" not in got


def test_the_examples_of_the_issue(engine):
    assert titles(engine, "tagrenovering") == ["Tagrenovering", "Renovering af taget"]
    assert titles(engine, "kontingentforhøjelse") == ["Kontingent"]


def test_a_compound_of_the_same_parts_in_another_order_is_another_word(engine):
    # hjemme|pleje holds "pleje" and "hjem" at one position: no reading of pleje|hjem.
    assert titles(engine, "plejehjem") == ["Plejehjemmet"]
    assert titles(engine, "hjemmepleje") == ["Hjemmeplejen"]


def test_snippets_highlight_the_parts(engine):
    hits, _ = found(engine, "vinduesudskiftning")
    snippets = dict(hits)
    assert "<mark>udskiftning</mark>" in snippets["Vedligeholdelse"]
    assert "<mark>vinduer</mark>" in snippets["Vedligeholdelse"]


def test_with_filters_and_facets(engine):
    got, resp = found(engine, "tagrenovering", outcome="godkendt", year="2022")
    assert [t for t, _ in got] == ["Tagrenovering", "Renovering af taget"]
    assert {v.value: v.count for v in resp.facets["year"]} == {"2022": 2}
    assert titles(engine, "tagrenovering", year="2021") == []


def test_beside_other_words_and_phrases(engine):
    assert titles(engine, 'vinduesudskiftning gården') == ["Vedligeholdelse"]
    assert titles(engine, '"gamle vinduer" vinduesudskiftning') == ["Vedligeholdelse"]
    # An excluded compound excludes what it finds.
    assert "Vedligeholdelse" not in titles(engine, "bestyrelsen -vinduesudskiftning")


def test_an_unknown_compound_with_a_linking_letter(engine):
    # "viceværteregler": not in the lexicon, and the splitter does not split it; vicevært + e + regler.
    assert C.linked_split("viceværteregler") == (("viceværte", "vicevært"), ("regler", "regel"))
    assert titles(engine, "viceværteregler") == ["Viceværtens opgaver"]


def test_quoted_words_and_ordinary_words_are_not_expanded():
    assert expand(q.parse_query('"vinduesudskiftning"'), "danish") == q.parse_query('"vinduesudskiftning"')
    for word in ("efterretning", "kontingent", "orientering", "vedligeholdelse", "budget"):
        assert near_readings(word) == [], word
    # The Snowball baseline keeps its words as typed.
    assert expand(q.parse_query("tagrenovering"), "snowball") == q.parse_query("tagrenovering")


@pytest.mark.parametrize("word,pairs", [
    ("vinduesudskiftning", {("vindue", "udskiftning"), ("vindue", "udskifte")}),
    ("legepladsrenovering", {("legeplads", "renovering"), ("legeplads", "renovere")}),
    ("kontingentforhøjelse", {("kontingent", "forhøjelse")}),
    ("fællesudgifter", {("fælle", "udgifter")}),
])
def test_readings(word, pairs):
    assert {n.words for n in near_readings(word)} == pairs


def test_a_verb_reading_needs_a_real_stem():
    # ord|ning is no verb "orde"
    assert all(second != "orde" for _, second in C.apart("viceværteordning"))


def test_a_short_stem_doubles_its_consonant_in_the_verb():
    # "hække klippes", "sneen ryddes": klip|ning and ryd|ning are made from klippe and rydde
    assert ("hæk", "klippe") in C.apart("hækklipning")
    assert ("sne", "rydde") in C.apart("snerydning")
