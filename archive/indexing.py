"""What the archive's services need of a search index, as a typed Protocol.

Ingest, reindex, reconcile, check and repair feed an index and compare it with the store,
but the engines live above the archive (``index.engine_tantivy``, ``index.engine_pg``).  So the
archive says here what it needs, and the engines satisfy it (``index.engine_api.SearchEngine``
extends it with searching): the services are typed without importing upward.
"""
from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any, Iterable, Protocol

if TYPE_CHECKING:
    from archive.model import Meeting


class Index(Protocol):
    #: True when :meth:`update` may join the store's open transaction (``within``), so that
    #: ingest stores a meeting and indexes it in one; False (tantivy): ingest indexes in
    #: batches and ``archive.ingest.reconcile`` catches up after a crash.
    transactional: bool

    def update(self, meetings: list[Meeting], remove_meeting_ids: Iterable[str] = (), *,
               within: Any = None) -> None:
        """Drop every item of the given meetings and of ``remove_meeting_ids``, then index the
        meetings' items: all at once or not at all.  ``within``: the store's Database whose
        open transaction the writes join (only when ``transactional``)."""

    def rebuild(self, meetings: Iterable[Meeting]) -> None:
        """A fresh index of exactly these meetings."""

    def versions(self) -> dict[str, str]:
        """meeting id -> the sha256 of the original it was indexed from."""

    def item_counts(self) -> Counter:
        """meeting id -> items indexed for it."""

    def damage(self) -> list[str]:
        """What is wrong with the index's own files (unreadable, missing, truncated, zeroed,
        a wrong checksum), one Danish line each; [] where they are whole."""
