"""Differential test: the vectorised (numpy) query path against Whoosh's own
query evaluation (``Engine.vectorised = False``) on a random corpus.

Same matched set (checked through the full "newest" ordering, which both paths
define identically), same total, same facet counts, and for relevance the same
scores in the same order, for AND / OR / NOT / prefix / exact / phrase queries with
filters, over several segments with deletions, for a signed-out search (closed items'
case text and internal meetings left out) and a signed-in one.
"""
from __future__ import annotations

import datetime as dt
import random

import numpy as np
import pytest
from helpers_search import item, meeting

from index import engine_vector as V
from index import vector_query
from index.engine import Engine, Filters
from index.query import parse_query

WORDS = ("skole budget børnehave affaldssortering cykelsti sti vej forslag godkendt "
         "udvalget sagen borgerne høring tidsplan klimatilpasning klima bekendtgørelse "
         "bekendtgørelser lokalplan havnen det videre arbejde bedre adgang til efterretning "
         "trafik trafiksikkerhed energi fjernvarme helgenomsekventering sekventering grenaavej "
         "grenåvej hårup haarup dataanalyse").split()
PEOPLE = ["Jens Hansen", "Mette Holm", "Ole Berg", "Karen Dahl"]
OUTCOMES = ["godkendt", "udsat", "afvist", "taget-til-efterretning"]
CASES = ["EMN-2019-000417", "", "19/4471", "", "EMN-2020-001200"]      # an item's case number, or none
BODIES = ["Fjordby Kommune, Teknik- og Miljøudvalget", "Fjordby Kommune, Børne- og Ungeudvalget",
          "Fjordby Kommune, Økonomiudvalget"]


def _text(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def _meetings(rng: random.Random, start: int, count: int, tag: str = ""):
    out = []
    for k in range(start, start + count):
        date = None if k % 17 == 0 else dt.date(2010 + k % 12, 1 + k % 12, 1 + k % 27)
        items = []
        for i in range(rng.randint(1, 6)):
            items.append(item(
                str(i + 1), _text(rng, rng.randint(1, 5)), _text(rng, rng.randint(0, 25)),
                _text(rng, rng.randint(0, 20)), recommendation=_text(rng, rng.randint(0, 8)),
                presenters=rng.sample(PEOPLE, rng.randint(0, 2)),
                outcomes=rng.sample(OUTCOMES, rng.randint(0, 2)), closed=(k + i) % 5 == 0,
                case_number=CASES[(k + i) % len(CASES)],
            ))
        m = meeting(BODIES[k % 3], date, f"{k}{tag}", items, sha=f"sha-{k}{tag}")
        m.internal = k % 7 == 3
        out.append(m)
    return out


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    rng = random.Random(7)
    e = Engine(tmp_path_factory.mktemp("vec") / "ix")
    first = _meetings(rng, 0, 40)
    e.update(first)                                   # segment 1
    e.update(_meetings(rng, 40, 30))                  # segment 2
    e.update(_meetings(rng, 5, 6, tag=""),            # replaces meetings 5..10: deletions
             remove_meeting_ids=[first[20].id, first[21].id])
    yield e
    e.close()


QUERIES = [
    "skole", "klimatilpasning*", "bekendtgørelse*", "fjern*", "sekv* budget", "klima* OR affald*",
    "budget skole", "skole OR børnehave", "budget -skole", "-budget",
    "klima*", "affald*", "trafik*", '"det videre arbejde"', '"bedre adgang"',
    '"til efterretning"', '"efterretning"', '"klima"', "bekendtgørelse", "sekventering",
    "sti OR vej -borgerne", "udvalget sagen høring", '"lokalplan havnen" budget',
    "skole OR budget OR energi -\"bedre adgang\"", "til", "og det", "", "x*", "nonexistentword",
    '"borgerne høring" OR fjernvarme', "1", "cykelsti*", "grenaavej", "hårup", "haar*", '"grenåvej"',
    "dataanalyse", "grenaa* skole",
]
FILTERS = [
    None,
    Filters(presenter=["Jens Hansen"]),
    Filters(outcome=["godkendt", "udsat"], year=[2012, 2015]),
    Filters(body=[BODIES[1]]),
    Filters(date_from=dt.date(2013, 1, 1), date_to=dt.date(2016, 6, 30)),
    Filters(date_to=dt.date(2014, 1, 1), presenter=["Mette Holm", "Ole Berg"]),
    Filters(case=["EMN-2019-000417"]),
    Filters(case=["emn-2020-001200", "19/4471"], outcome=["godkendt"]),
]


def _run(engine, vectorised: bool, text, filters, sort, **kw):
    engine.vectorised = vectorised
    try:
        return engine.search(parse_query(text), filters, sort=sort, snippets=False, **kw)
    finally:
        engine.vectorised = True


def assert_same_ranking(a, b, context) -> None:
    """The vectorised ranking ``a`` equals Whoosh's ``b``: the same documents with the
    same scores (float32 against float64: relative 1e-4), in the same order; two
    documents may only swap places where their scores tie within that tolerance."""
    sa = {h.docnum: h.score for h in a.hits}
    sb = {h.docnum: h.score for h in b.hits}
    assert sa.keys() == sb.keys(), context
    for doc, score in sb.items():
        assert sa[doc] == pytest.approx(score, rel=1e-4, abs=1e-6), (context, doc)
    for ha, hb in zip(a.hits, b.hits, strict=True):
        if ha.docnum != hb.docnum:
            assert sb[ha.docnum] == pytest.approx(hb.score, rel=1e-4), (context, "order")


@pytest.mark.slow
@pytest.mark.parametrize("private", [False, True])
@pytest.mark.parametrize("text", QUERIES)
def test_same_results_as_whoosh(engine, text, private):
    for filters in FILTERS:
        a = _run(engine, True, text, filters, "newest", limit=10_000, private=private)
        b = _run(engine, False, text, filters, "newest", limit=10_000, private=private)
        assert a.total == b.total, (text, filters)
        assert [h.docnum for h in a.hits] == [h.docnum for h in b.hits], (text, filters)
        assert a.facets == b.facets, (text, filters)
        # Relevance: the same scores and the same order as Whoosh's collector,
        # over the whole result list and on the first page.
        ra = _run(engine, True, text, filters, "relevance", limit=10_000, private=private)
        rb = _run(engine, False, text, filters, "relevance", limit=10_000, private=private)
        assert_same_ranking(ra, rb, (text, filters, private))
        top_a = _run(engine, True, text, filters, "relevance", limit=10, private=private)
        top_b = _run(engine, False, text, filters, "relevance", limit=10, private=private)
        assert_same_ranking(top_a, top_b, (text, filters, private, "top 10"))


def test_a_phrase_scores_only_in_the_fields_it_stands_in(tmp_path):
    """No title holds both words of the phrase: the title's scores of its words must not be added to
    the phrase's score in the text (they were, while the title had no candidate at all)."""
    e = Engine(tmp_path / "ix")
    e.update([meeting(BODIES[0], dt.date(2020, 1, 1), "1", [
        item("1", "Budget", "En ny skole budget plan for året."),
        item("2", "Skolen", "Intet om pengene her."),
        item("3", "Vejene", "Skole budget igen, og skole budget."),
    ], sha="sha-phrase")])
    try:
        a = _run(e, True, '"skole budget"', None, "relevance", limit=10)
        b = _run(e, False, '"skole budget"', None, "relevance", limit=10)
        assert a.total == b.total == 2
        assert_same_ranking(a, b, "phrase")
    finally:
        e.close()


def test_the_case_filter_finds_exactly_the_items_of_the_case(engine):
    for vectorised in (True, False):
        found = _run(engine, vectorised, "", Filters(case=["EMN-2019-000417"]), "newest", limit=10_000,
                     private=True)
        assert found.total > 3 and {h.fields["case_number"] for h in found.hits} == {"EMN-2019-000417"}
        both = _run(engine, vectorised, "", Filters(case=["EMN-2019-000417", "19/4471"]), "newest",
                    limit=10_000, private=True)
        assert {h.fields["case_number"] for h in both.hits} == {"EMN-2019-000417", "19/4471"}
        everything = _run(engine, vectorised, "", None, "newest", limit=10_000, private=True)
        assert both.total == sum(1 for h in everything.hits if h.fields["case_number"] in ("EMN-2019-000417",
                                                                                         "19/4471"))
        assert _run(engine, vectorised, "", Filters(case=["EMN-1999-1"]), "newest", private=True).total == 0


def test_prefix_hits_are_ranked_not_listed_in_index_order(engine):
    # An item that uses more and rarer words of the prefix ranks first; the scores
    # differ (a constant score would list the hits in index order).
    r = _run(engine, True, "klima*", None, "relevance", limit=10_000)
    scores = [h.score for h in r.hits]
    assert len(set(scores)) > 10
    assert scores == sorted(scores, reverse=True)
    assert [h.docnum for h in r.hits] != sorted(h.docnum for h in r.hits)


def test_the_private_scope_finds_more(engine):
    """The corpus has closed items and internal meetings: a signed-in search must see more."""
    for text in ("", "skole", "budget OR energi", '"efterretning"', "klima*"):
        public = _run(engine, True, text, None, "newest", limit=10_000)
        private = _run(engine, True, text, None, "newest", limit=10_000, private=True)
        assert {h.docnum for h in public.hits} < {h.docnum for h in private.hits}, text


def test_pages_and_oldest(engine):
    for sort in ("newest", "oldest", "relevance"):
        full = _run(engine, True, "skole OR budget", None, sort, limit=10_000)
        paged = []
        for off in range(0, full.total, 7):
            paged += [h.docnum for h in _run(engine, True, "skole OR budget", None, sort,
                                             offset=off, limit=7).hits]
        assert paged == [h.docnum for h in full.hits]
    a = _run(engine, True, "", None, "oldest", limit=10_000)
    b = _run(engine, False, "", None, "oldest", limit=10_000)
    assert [h.docnum for h in a.hits] == [h.docnum for h in b.hits]


def test_relevance_order_is_sensible(engine):
    # A title match (boost 3) outranks a text-only match of the same word.
    r = _run(engine, True, "fjernvarme", None, "relevance", limit=3)
    assert r.hits and "fjernvarme" in r.hits[0].fields["title"].lower()


def _items_with_word(meetings, word: str) -> int:
    """Items whose text holds ``word`` (the generator's words share no stem with it)."""
    def words(it):
        text = " ".join((it.title, it.description, it.minutes, it.recommendation))
        return set(text.lower().replace(".", " ").split())
    return sum(1 for m in meetings for it in m.items if word in words(it))


def test_postings_cache_survives_commit(tmp_path):
    # Signed in (private=True): every item counts, closed and internal ones too.
    rng = random.Random(3)
    e = Engine(tmp_path / "ix")
    first = _meetings(rng, 0, 10)
    e.update(first)
    assert e.search(parse_query("skole"), private=True).total == _items_with_word(first, "skole") > 0
    cached = {k[0] for k in e._postings_cache._d}
    more = _meetings(rng, 10, 3)
    e.update(more)
    r1 = e.search(parse_query("skole"), limit=1000, snippets=False, private=True)
    assert r1.total == _items_with_word(first + more, "skole")
    assert {k[0] for k in e._postings_cache._d} >= cached       # old segment entries reused
    e.vectorised = False
    r2 = e.search(parse_query("skole"), limit=1000, snippets=False, private=True)
    assert r1.total == r2.total and {h.docnum for h in r1.hits} == {h.docnum for h in r2.hits}
    e.close()


def test_byte_lru_bound():
    lru = V.ByteLRU(max_bytes=100)
    for i in range(10):
        lru.put(i, i, 30)
    assert lru.bytes <= 100 and lru.get_value(9) == 9 and lru.get_value(0) is None


def test_top_helpers():
    docs = np.arange(10, dtype=np.int32)
    scores = np.array([1, 5, 5, 2, 9, 0, 5, 3, 3, 1], dtype=np.float32)
    assert list(vector_query.top_by_score(docs, scores, 4)) == [4, 1, 2, 6]
    rank = np.array([5, 3, 9, 0, 1], dtype=np.int64)
    assert list(vector_query.top_by_rank(rank, 3)) == [3, 4, 1]


def test_sorted_intersect_is_intersect1d_on_sorted_unique_arrays():
    rng = np.random.default_rng(7)
    for n, m in ((0, 5), (5, 0), (1, 1), (100, 40), (1000, 3000)):
        a = np.unique(rng.integers(0, 2000, size=n))
        b = np.unique(rng.integers(0, 2000, size=m))
        assert vector_query.sorted_intersect(a, b).tolist() == np.intersect1d(a, b).tolist()
