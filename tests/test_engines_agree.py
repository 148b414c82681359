"""The engines answer alike (issues 10 and 20): on the judged queries of index/eval, tantivy and PostgreSQL
find the same items and score nDCG@10 within 0.02 (tantivy no lower than the retired Whoosh engine); on the
seed and real minutes from ../shared they return the same hits, facet counts, date orders and suggestions."""
from __future__ import annotations

import datetime as dt
import re
from collections import Counter

import pytest
from conftest import Archive, ingest_into, use_ocr_cache

from index import query as q
from index.evaluate import load_corpus, load_judgments, run_queries, summarise
from index.model import Filters

# Both engines over the real minutes in ../shared (a minute to ingest them twice).
pytestmark = pytest.mark.slow

NDCG_TOLERANCE = 0.02
WHOOSH_NDCG = 0.9907        # nDCG@10 of the judged queries on the retired Whoosh engine (issue 20)


# -- the judged queries ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def judged(request, tmp_path_factory):
    from conftest import empty_engine

    meetings = load_corpus()
    judgments = load_judgments()
    if "seed" not in meetings:
        judgments = [j for j in judgments if not any(a.startswith("seed/") for a in j["rel"])]
    out = {}
    for backend in ("tantivy", "postgres"):
        engine = empty_engine(request, backend)
        engine.update(list(meetings.values()))
        out[backend] = run_queries(engine, meetings, judgments)
    return out


def test_judged_queries_find_the_same_items(judged):
    for t, p in zip(judged["tantivy"], judged["postgres"], strict=True):
        assert sorted(t.ranked) == sorted(p.ranked), t.q


def test_judged_queries_rank_alike(judged):
    tv, pg = summarise(judged["tantivy"])["ALL"], summarise(judged["postgres"])["ALL"]
    assert tv["n"] >= 50
    # Whoosh, retired for tantivy (issue 20), scored 0.991 here: tantivy scores it too.
    assert tv["ndcg@10"] >= WHOOSH_NDCG - 0.001, tv
    assert abs(tv["ndcg@10"] - pg["ndcg@10"]) <= NDCG_TOLERANCE, (tv, pg)
    assert pg["ndcg@10"] >= 0.95
    assert pg["recall"] == tv["recall"]


# -- the seed and real minutes, ingested by both ----------------------------------------------------

@pytest.fixture(scope="module")
def pair(realworld_dir, seed_path, tmp_path_factory, new_database, shared_ocr_cache):
    """The seed, the real-world files beside the corpus and one body's folder of the corpus
    (17 PDFs), ingested into an archive of the default engine (tantivy) and into a PostgreSQL one."""
    files = [seed_path, *sorted(p for p in realworld_dir.iterdir() if p.is_file() and p.name != "README.md"),
             *sorted((realworld_dir / "corpus" / "gf-alslev-nord").iterdir())]
    out = []
    for database in (None, new_database("real")):
        home = tmp_path_factory.mktemp("agree")
        use_ocr_cache(home, shared_ocr_cache)
        archive = Archive(home, database)
        ingest_into(archive, files)
        out.append(archive)
    return out[0].engine(), out[1].engine(), out[0]


def _queries(archive: Archive) -> list[str]:
    """Queries made from the archive's own words: for every meeting a long title word, as a
    word, a prefix, an exact form and with the next word as a phrase; pairs, OR and exclusions."""
    store = archive.store()
    try:
        words: list[str] = []
        phrases: list[str] = []
        for meeting in store.iter_meetings():
            for item in meeting.items[:6]:
                found = re.findall(r"[A-Za-zÆØÅæøå]{6,}", item.title)
                if found:
                    words.append(found[0].lower())
                pair = re.search(r"([A-Za-zÆØÅæøå]{4,}) ([A-Za-zÆØÅæøå]{4,})", item.minutes or item.description)
                if pair:
                    phrases.append(f'"{pair.group(1)} {pair.group(2)}"')
    finally:
        store.close()
    words = list(dict.fromkeys(words))[:60]
    queries = words + phrases[:30]
    queries += [w[:5] + "*" for w in words[:20]] + [f'"{w}"' for w in words[:20]]
    queries += [f"{a} {b}" for a, b in zip(words[::2], words[1::2], strict=False)][:15]
    queries += [f"{a} OR {b}" for a, b in zip(words[1::3], words[2::3], strict=False)][:10]
    queries += [f"{a} -{b}" for a, b in zip(words[::3], words[1::3], strict=False)][:10]
    return queries + ["", "bestyrelsen", "generalforsamling", "regnskab*", "godkendt", "-referat"]


def test_real_minutes_same_hits_and_facets(pair):
    default, pg, archive = pair
    queries = _queries(archive)
    assert len(queries) > 100
    for query in queries:
        for private in (False, True):
            w = default.search(q.parse_query(query), limit=10_000, snippets=False, private=private)
            p = pg.search(q.parse_query(query), limit=10_000, snippets=False, private=private)
            assert p.total == w.total, query
            assert sorted(h.fields["id"] for h in p.hits) == sorted(h.fields["id"] for h in w.hits), query
            assert p.facets == w.facets, query
            # The ranking is not compared here: tantivy scores with its own BM25 statistics (per field,
            # its idf), PostgreSQL with Whoosh's BM25F; the judged queries above compare their nDCG@10,
            # and tests/test_engine_oracle.py checks tantivy's scores against a brute-force BM25.


def test_real_minutes_filters_and_sorting(pair):
    default, pg, archive = pair
    bodies = Counter(default.search(q.AllOf(()), limit=0).facets["body"])
    years = sorted(default.search(q.AllOf(()), limit=0).facets["year"])
    assert len(bodies) >= 4 and len(years) >= 3
    cases = [Filters(body=[b]) for b in bodies] + [Filters(year=[int(y)]) for y in years]
    cases.append(Filters(date_from=dt.date(int(years[1]), 1, 1), date_to=dt.date(int(years[-1]), 6, 30)))
    for filters in cases:
        for query in ("", "bestyrelsen", "generalforsamling"):
            for sort in ("relevance", "newest", "oldest"):
                w = default.search(q.parse_query(query), filters, sort=sort, limit=25, snippets=True)
                p = pg.search(q.parse_query(query), filters, sort=sort, limit=25, snippets=True)
                assert p.total == w.total and p.facets == w.facets, (query, filters)
                ids = [h.fields["id"] for h in w.hits], [h.fields["id"] for h in p.hits]
                if sort != "relevance":
                    assert ids[0] == ids[1], (query, sort, filters)
                    assert [h.snippet for h in w.hits] == [h.snippet for h in p.hits]


def test_real_minutes_suggestions(pair):
    default, pg, _ = pair
    for typo in ("generalforsamlng", "bestyrelsne", "regnskabt", "kontingnet"):
        assert pg.suggest(typo) == default.suggest(typo), typo
