"""index.engine_pg on a real PostgreSQL cluster: what only this engine does.

Its index is segments in the database (index.segments): every write adds one, full size
classes are merged, deletions are marks until a merge; each process reads the segments of
the current generation.  Whatever the segments, a search answers as over one fresh segment,
another process's engine follows every change, and a search that read an older generation
still reads it after a merge replaced its segments."""
from __future__ import annotations

import dataclasses
import itertools

import pytest
from helpers_search import small_corpus

from index import segments as S
from index.model import Filters
from index.query import parse_query

EMPTY = parse_query("")
EVERY_YEAR = Filters(year=[2022, 2023])          # admits all of small_corpus: the general path


@pytest.fixture()
def pg(request):
    from conftest import empty_engine

    engine = empty_engine(request, "postgres")
    engine.update(small_corpus())
    yield engine
    engine.close()


def answer(result):
    return (result.total, [(h.fields["id"], h.snippet) for h in result.hits],
            {name: dict(counts) for name, counts in result.facets.items()})


@pytest.mark.parametrize("private", [False, True])
def test_browsing_answers_as_the_general_path(pg, private):
    for sort in ("newest", "oldest", "relevance"):
        for offset, limit in ((0, 20), (2, 3), (6, 5), (50, 5), (0, 0)):
            general = pg.search(EMPTY, EVERY_YEAR, sort=sort, offset=offset, limit=limit, private=private)
            for _ in range(2):          # the first browse counts, the second reads the kept counts
                browsed = pg.search(EMPTY, None, sort=sort, offset=offset, limit=limit, private=private)
                assert answer(browsed) == answer(general), (sort, offset, limit)


def test_browsing_follows_every_change_of_the_index(pg):
    first = pg.search(EMPTY, None, limit=100)
    assert first.total == 7
    m1, m2, m3 = small_corpus()
    pg.update([], remove_meeting_ids=[m3.id])
    after_removal = pg.search(EMPTY, None, limit=100)
    assert after_removal.total == 7 - len(m3.items)
    assert {h.fields["id"] for h in after_removal.hits} == {i.id for m in (m1, m2) for i in m.items}
    assert answer(after_removal) == answer(pg.search(EMPTY, EVERY_YEAR, limit=100))

    internal = dataclasses.replace(m1, internal=True)
    pg.update([internal])
    public = pg.search(EMPTY, None, limit=100)
    signed_in = pg.search(EMPTY, None, limit=100, private=True)
    assert public.total == len(m2.items) and signed_in.total == len(m1.items) + len(m2.items)
    assert sum(public.facets["year"].values()) == public.total


QUERIES = ["cykel", "godkendt", '"klimatilpasning i midtbyen"', "lokal*", "budget -vej", "", "Jens Hansen"]


def answers(engine, private=False):
    out = {}
    for text, sort in itertools.product(QUERIES, ("relevance", "newest")):
        r = engine.search(parse_query(text), None, sort=sort, limit=50, private=private)
        out[(text, sort)] = (r.total, [(h.fields["id"], round(h.score, 4)) for h in r.hits],
                             {name: dict(c) for name, c in r.facets.items()})
    return out


def live_segments(engine):
    with engine._db() as db:
        return db.execute("SELECT id, docs FROM search_segments WHERE dropped_at IS NULL ORDER BY id").fetchall()


def test_many_writes_merge_and_answer_as_one_fresh_segment(request, monkeypatch):
    from conftest import empty_engine

    monkeypatch.setattr(S, "MERGE_FACTOR", 3)
    m1, m2, m3 = small_corpus()
    written = empty_engine(request, "postgres")
    for _ in range(4):                      # every meeting written again and again: deletions, merges
        for m in (m1, m2, m3):
            written.update([m])
    segs = live_segments(written)
    assert len(segs) < 4 * 3, segs         # merged
    fresh = empty_engine(request, "postgres")
    fresh.rebuild([m1, m2, m3])
    assert len(live_segments(fresh)) == 1
    assert written.item_count() == fresh.item_count() == 7
    for private in (False, True):
        mine, theirs = answers(written, private), answers(fresh, private)
        for key in theirs:
            # Scores may differ a little: document frequencies count deleted items until a merge
            # drops them (as Whoosh's and Lucene's do); the hits, their order and the facets not.
            assert mine[key][0] == theirs[key][0] and mine[key][2] == theirs[key][2], key
            assert [i for i, _ in mine[key][1]] == [i for i, _ in theirs[key][1]] or key[1] == "relevance", key
            assert sorted(i for i, _ in mine[key][1]) == sorted(i for i, _ in theirs[key][1]), key


def test_another_process_follows_every_change(pg):
    from index.engine_pg import PgEngine

    other = PgEngine(pg.url)             # as a web server beside the ingest: its own caches
    assert other.search(parse_query("cykelparkering")).total == 1
    m1, m2, m3 = small_corpus()
    pg.update([], remove_meeting_ids=[m3.id])
    assert other.search(parse_query("cykelparkering")).total == 0
    changed = dataclasses.replace(m3, items=[dataclasses.replace(m3.items[0], title="Cykelparkering ved hallen")])
    pg.update([changed])
    hits = other.search(parse_query("hallen")).hits
    assert [h.fields["title"] for h in hits] == ["Cykelparkering ved hallen"]


def test_a_search_on_an_older_generation_still_reads_merged_away_segments(request, monkeypatch):
    from conftest import empty_engine

    monkeypatch.setattr(S, "MERGE_FACTOR", 2)
    m1, m2, m3 = small_corpus()
    engine = empty_engine(request, "postgres")
    engine.update([m1])
    old = engine.generation()
    engine.update([m2])                     # two segments of one class: merged into one
    assert len(live_segments(engine)) == 1
    assert {s.id for s in old.segments} != {sid for sid, _ in live_segments(engine)}
    docs, _ = old.postings("title", "affaldssortering")       # never read before: fetched now
    assert len(docs) == 1
    assert engine.generation().number > old.number


def test_an_index_of_version_2_is_replaced_and_filled_again_by_ingest(request, tmp_path):
    """Version 2 kept tsvectors in search_items; opening the engine drops those tables, and
    ingest's reconcile fills the new index from the store."""
    from conftest import make_archive

    from archive.store.db import connect_postgres
    from index.engine_pg import VERSION, PgEngine

    archive = make_archive("postgres", tmp_path / "home", request.getfixturevalue("new_database"))
    store = archive.store()
    for m in small_corpus():
        store.put_meeting(m, f"/minutes/{m.body[:5]}-{m.number}.txt", ".txt")
    archive.engine()                        # the tables of today's version, then made to look like version 2
    db = connect_postgres(archive.database)
    try:
        db.script("DROP TABLE search_items CASCADE; DROP TABLE search_stats CASCADE; "
                  "DROP TABLE search_postings CASCADE; DROP TABLE search_deleted CASCADE; "
                  "DROP TABLE search_segments CASCADE")
        db.script("CREATE TABLE search_items (seq BIGINT, id TEXT PRIMARY KEY, doc TSVECTOR NOT NULL); "
                  "CREATE TABLE search_stats (key TEXT PRIMARY KEY, value BIGINT NOT NULL)")
        db.execute("UPDATE schema_versions SET version = 2 WHERE component = 'search'")
    finally:
        db.close()
    engine = PgEngine(archive.database)
    assert engine.item_count() == 0
    from archive.ingest import reconcile

    assert reconcile(store, engine) == 3
    store.close()
    assert engine.search(parse_query("cykelparkering")).total == 1
    with engine._db() as db:
        assert db.execute("SELECT version FROM schema_versions WHERE component = 'search'").fetchone()[0] == VERSION


def test_rebuild_in_parallel_processes_answers_as_one_segment(request, monkeypatch):
    from conftest import empty_engine

    from index import engine_pg

    corpus = small_corpus()
    one = empty_engine(request, "postgres")
    one.rebuild(corpus)
    monkeypatch.setattr(engine_pg, "BATCH_ITEMS", 2)         # a segment per meeting, made by two processes
    monkeypatch.setenv("ARKIV_PARSE_WORKERS", "2")
    several = empty_engine(request, "postgres")
    several.rebuild(corpus)
    assert len(live_segments(several)) == 3 and len(live_segments(one)) == 1
    mine, theirs = answers(several, private=True), answers(one, private=True)
    for key in theirs:
        assert mine[key][0] == theirs[key][0] and mine[key][2] == theirs[key][2], key
        assert sorted(i for i, _ in mine[key][1]) == sorted(i for i, _ in theirs[key][1]), key
