"""Minutes' own vocabulary (issue 21): what minutes abbreviate or write two ways finds the other form,
at query time, and `arkiv search --explain` says so.  Fictional minutes, a real index of each engine."""
from __future__ import annotations

import datetime as dt

import pytest
from conftest import engine_over
from helpers_search import item, meeting

from index import vocabulary as V
from index.query import parse_query
from index.query_expand import expand
from index.search import parse_request, search

ASSOCIATION = "Ejerforeningen Kobbelvej 12"


def corpus():
    return [
        meeting(ASSOCIATION, dt.date(2023, 4, 20), "1", [
            item("1", "Ordinær generalforsamling", "Indkaldelse til generalforsamlingen er udsendt.", "Godkendt."),
            item("2", "Forberedelse af GF", "Bestyrelsen forbereder GF 2024.", "Drøftet."),
            item("3", "Eventuelt", "", "Intet."),
            item("4", "Evt.", "", "Ingen bemærkninger."),
            item("5", "Samarbejde med E/F Kobbelvej 14", "Fælles snerydning.", "Godkendt."),
            item("6", "Nabo", "Andelsboligforeningen Humlegården spørger om fælles hegn.", "Drøftet."),
            item("7", "Hegn", "A/B Humlegården betaler halvdelen.", "Godkendt."),
            item("8", "Næste bestyrelsesmøde", "Bestyrelsesmødet holdes hos kassereren.", "Orientering."),
            item("9", "Grundejerforeningen", "Vejene fejes i april.", "Orientering."),
            item("10", "Kontakt", "Skriv en e-mail til bestyrelsen.", "Orientering."),
            item("11", "Nyhedsbrev", "Nyhedsbrevet sendes som email.", "Orientering."),
        ]),
    ]


engine = engine_over(corpus)


def titles(engine, text):
    return {h.title for h in search(engine, parse_request({"q": text})).results}


@pytest.mark.parametrize("text,found", [
    ("GF", {"Ordinær generalforsamling", "Forberedelse af GF", "Grundejerforeningen"}),
    # GF is a generalforsamling or a grundejerforening: the written-out word does not find it.
    ("generalforsamlingen", {"Ordinær generalforsamling"}),
    ("evt.", {"Eventuelt", "Evt."}),
    ("eventuelt", {"Eventuelt", "Evt."}),
    ("E/F", {"Samarbejde med E/F Kobbelvej 14"}),
    ("ejerforening", {"Samarbejde med E/F Kobbelvej 14"}),
    ("A/B", {"Nabo", "Hegn"}),
    ("andelsboligforeningen", {"Nabo", "Hegn"}),
    ("bestyrelsesmøde", {"Næste bestyrelsesmøde"}),
    ("bestyrelsesmødet", {"Næste bestyrelsesmøde"}),
    # a hyphenated word and its parts written together
    ("email", {"Kontakt", "Nyhedsbrev"}),
    ("e-mail", {"Kontakt", "Nyhedsbrev"}),
])
def test_each_form_finds_the_others(engine, text, found):
    assert titles(engine, text) == found


def test_the_list():
    for group in V.GROUPS:
        for form in group:
            assert V._key(form), form                      # no form analyses away
    assert V.others("generalforsamlingen") == ()
    assert V.others("GF") == ("generalforsamling", "grundejerforening")
    assert V.others("ejerforeningen") == ("E/F",) and V.others("E/F") == ("ejerforening",)
    assert V.others("budget") == ()
    # Forms the analysis already makes one: listed so this test holds them together.
    assert V._key("bestyrelsesmøde") == V._key("bestyrelsesmødet")


def test_quoted_forms_are_meant_as_written():
    assert expand(parse_query('"GF"'), "danish") == parse_query('"GF"')


def test_explain_shows_it(tmp_path):
    from click.testing import CliRunner

    from arkiv.cli import main

    home = tmp_path / "home"
    out = CliRunner().invoke(main, ["--home", str(home), "search", "--explain", "GF vinduesudskiftning"])
    assert out.exit_code == 0, out.output
    assert "GF: søgeord gf" in out.output
    assert "også generalforsamling, grundejerforening (referaternes ordforråd)" in out.output
    assert "vindue + udskiftning" in out.output
