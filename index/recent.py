"""What is new to the archive: a search's matches in order of arrival (ingest time), not meeting date.

The Atom feed's "newly added" order and the e-mail alerts both ask this: old minutes ingested
today come first.  The store knows when each meeting came (``ArchiveStore.meetings_added``);
the search is run over those meetings, most recent first, a batch of meetings at a time, so the
search's words, filters and who may see what (``SearchRequest.private``) apply as always.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING

from index.fields import MAX_VALUES
from index.model import Filters, Hit, SearchRequest
from index.search import search

if TYPE_CHECKING:
    from archive.store.api import ArchiveStore
    from index.engine_api import SearchEngine

BATCH = MAX_VALUES              # meetings per search (the meeting filter's limit)
PER_BATCH = 10_000              # items of one batch of meetings, at most


def _meeting_of(hit: Hit) -> str:
    return hit.fields.get("meeting_id", "") or ""


@dataclass
class Arrival:
    """A hit and when its meeting came to the archive (an ISO timestamp)."""
    hit: Hit
    added: str


def newly_added(engine: SearchEngine, store: ArchiveStore, request: SearchRequest, limit: int,
                since: str | None = None, max_meetings: int = 2_000) -> list[Arrival]:
    """At most ``limit`` matches of ``request``, most recently added meeting first (within one
    meeting: the agenda's order); only meetings added at or after ``since`` when given, and no
    more than ``max_meetings`` of the most recent ones looked at."""
    wanted = set(request.filters.meeting) if request.filters.meeting else None
    out: list[Arrival] = []
    offset = 0
    while len(out) < limit and offset < max_meetings:
        added = store.meetings_added(since, limit=BATCH, offset=offset, internal=request.private)
        if not added:
            break
        offset += len(added)
        batch = [mid for mid, _ in added if wanted is None or mid in wanted]
        if not batch:
            continue
        at = dict(added)
        req = dataclasses.replace(request, filters=Filters(**{**request.filters.values, "meeting": batch}),
                                  sort="oldest", page=1, per_page=PER_BATCH, facets=False)
        hits = search(engine, req).results
        rank = {mid: i for i, (mid, _) in enumerate(added)}
        hits.sort(key=lambda h: rank.get(_meeting_of(h), len(rank)))      # stable: agenda order within a meeting
        out += [Arrival(h, at.get(_meeting_of(h), "")) for h in hits]
    return out[:limit]
