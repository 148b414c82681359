"""Names typed as names (issue 21): a word typed with a capital is a name, so the items that write it
as typed (its accents written or not) score more than those whose other words share its stem
(``Pall`` beside ``paller``); and a name in the meeting's attendance, introduction or closing, which
its first and last item carry, counts less than a name in an item's own text.  Fictional minutes,
each engine."""
from __future__ import annotations

import dataclasses
import datetime as dt

from conftest import engine_over
from helpers_search import item, meeting

from index import query as q
from index.query_expand import expand, explain, is_name
from index.search import parse_request, search

BODY = "Kampsportsklubben Dojo"


def corpus():
    m = meeting(BODY, dt.date(2011, 10, 31), "7", [
        item("1", "Valg af referent", "Jeppe blev valgt.", "Valgt."),
        item("2", "Dojo 2", "Lars har fundet paller til gulvet, som hentes snarligt.", "Orientering."),
        item("3", "Udstyr", "Der er enighed om at købe udstyret. Páll kontakter Lars om køb.", "Vedtaget."),
        item("4", "Næste møde", "Næste møde holdes i klubhuset.", "Orientering."),
    ])
    m = dataclasses.replace(m, attendance="Til stede: Páll, Thomas, Vibeke og Jeppe.")
    return [m]


engine = engine_over(corpus)


def ids(engine, text):
    return [h.id.rsplit("--", 1)[1] for h in search(engine, parse_request({"q": text})).results]


def test_a_capitalised_word_is_a_name():
    assert is_name("Pall") and is_name("Liselotte")
    assert not is_name("GF") and not is_name("pall") and not is_name("E/F")
    prefer = expand(q.parse_words("Pall"), "danish").prefer
    assert q.AnyOf((q.Exact("Pall"), q.Exact("Palls"))) in prefer
    assert not expand(q.parse_words("pall"), "danish").prefer
    assert not expand(q.parse_words("Pall"), "snowball").prefer       # the baseline keeps its words
    assert any("et navn" in line for line in explain(q.parse_words("Pall"), "danish"))


def test_the_name_as_written_before_words_of_its_stem(engine):
    found = ids(engine, "Pall")
    assert found.index("3") < found.index("2")


def test_a_name_in_the_items_text_before_the_attendance(engine):
    found = ids(engine, "Pall")
    assert found[0] == "3" and "1" in found          # the attendance still finds the meeting's first item
