"""The query language: index.query.parse_query is total and reads the syntax as documented."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from index.query import AllOf, AnyOf, Exact, Not, Phrase, Prefix, Term, parse_query, positive_leaves, to_string


def test_words_are_anded():
    assert parse_query("budget skole") == AllOf((Term("budget"), Term("skole")))


def test_empty_and_blank():
    assert parse_query("").is_empty
    assert parse_query("   \t\n").is_empty


def test_phrase_and_quoted_single_word():
    assert parse_query('"lokalplan for havnen"') == AllOf((Phrase(("lokalplan", "for", "havnen")),))
    assert parse_query('"cykelstier"') == AllOf((Exact("cykelstier"),))
    assert parse_query('""').is_empty


def test_or_binds_tighter_than_and():
    assert parse_query("a b OR c") == AllOf((Term("a"), AnyOf((Term("b"), Term("c")))))
    assert parse_query("a OR b OR c") == AllOf((AnyOf((Term("a"), Term("b"), Term("c"))),))
    assert parse_query('skole OR "lokal plan"') == AllOf((AnyOf((Term("skole"), Phrase(("lokal", "plan")))),))


def test_lowercase_or_is_a_word():
    assert parse_query("a or b") == AllOf((Term("a"), Term("or"), Term("b")))


def test_negation():
    assert parse_query("budget -skole") == AllOf((Term("budget"), Not(Term("skole"))))
    assert parse_query('budget -"lukket punkt"') == AllOf((Term("budget"), Not(Phrase(("lukket", "punkt")))))


def test_prefix_needs_four_characters():
    assert parse_query("klima*") == AllOf((Prefix("klima"),))
    assert parse_query("kli*") == AllOf((Term("kli"),))
    assert parse_query("*") .is_empty
    assert parse_query("kl*ima") == AllOf((Term("kl ima"),))


def test_bad_syntax_is_plain_words():
    assert parse_query('budget "skole') == AllOf((Term("budget"), Term("skole")))
    assert parse_query("OR") == AllOf((Term("OR"),))
    assert parse_query("OR OR") == AllOf((Term("OR"),))
    assert parse_query("budget OR") == AllOf((Term("budget"),))
    assert parse_query("OR budget") == AllOf((Term("budget"),))
    assert parse_query("-") == AllOf((Term("-"),))
    assert parse_query("(skole OR budget)") == AllOf((AnyOf((Term("(skole"), Term("budget)"))),))


def test_or_does_not_join_negations():
    assert parse_query("-a OR b") == AllOf((Not(Term("a")), Term("b")))


def test_duplicates_dropped():
    assert parse_query("skole skole") == AllOf((Term("skole"),))


def test_positive_leaves_and_to_string():
    tree = parse_query('a -b "c d" e* OR f')
    assert positive_leaves(tree) == [Term("a"), Phrase(("c", "d")), Term("e"), Term("f")]
    assert parse_query(to_string(parse_query('skole -"lukket punkt" klima* OR "vand"'))) == parse_query(
        'skole -"lukket punkt" klima* OR "vand"'
    )


def test_non_string_is_empty():
    assert parse_query(None).is_empty  # type: ignore[arg-type]


_ALPHABET = st.sampled_from(list('ab æøå"-*() OR\t\n\\\'/:.,<>&') + ["OR", " OR ", "-\"", "\"-", "x*", "\x00", "\u200b"])


@pytest.mark.slow
@settings(max_examples=2500, deadline=None)
@given(st.one_of(st.text(), st.lists(_ALPHABET, max_size=30).map("".join)))
def test_parse_query_is_total(s):
    tree = parse_query(s)
    assert isinstance(tree, AllOf)
    # Rendering and re-parsing never raises either.
    parse_query(to_string(tree))


def test_filter_words_are_taken_out_of_the_query():
    from index.query import take_filters

    assert take_filters("budget sag:EMN-2025-003383") == ("budget", {"case": ["EMN-2025-003383"]})
    assert take_filters('SAG:"12/3456" havn sag:J-1') == ("havn", {"case": ["12/3456", "J-1"]})
    # A negated filter word, a word that only contains "sag:" and an empty value are words.
    assert take_filters("-sag:EMN-1 forsag:x sag:") == ("-sag:EMN-1 forsag:x sag:", {})
    assert take_filters(None) == ("", {})


def test_a_case_in_the_query_is_a_request_filter():
    from index.search import ParameterError, parse_request

    req = parse_request({"q": "havn sag:EMN-2025-003383", "case": ["12/3456", "EMN-2025-003383"]})
    assert req.q == "havn sag:EMN-2025-003383" and req.filters.case == ["12/3456", "EMN-2025-003383"]
    with pytest.raises(ParameterError) as error:
        parse_request({"q": "sag:" + "9" * 61})
    assert error.value.param == "case"
