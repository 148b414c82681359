"""index.engine_pg on a real PostgreSQL cluster: what only this engine does.

The unfiltered archive (the browse page, the front page's facets) is answered from counts kept
per index generation and a page read in date order; it must answer exactly as the general path
(a filter that admits every item forces that path) and follow every change of the index."""
from __future__ import annotations

import dataclasses

import pytest
from helpers_search import small_corpus

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
