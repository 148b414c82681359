"""What a search engine offers arkiv, as a typed Protocol.

Two engines satisfy it: :class:`index.engine_tantivy.TantivyEngine` (tantivy, a folder under the
home: the default) and :class:`index.engine_pg.PgEngine` (segments of postings in PostgreSQL, with
``ARKIV_DATABASE_URL``).  ``arkiv.backend`` opens the one the configuration names;
everything else (index.search, ingest, check, the CLI, the web, the benchmark) is written
against this Protocol.  Requests and results are the plain data of :mod:`index.model`;
queries are :mod:`index.query`'s engine-neutral tree; both engines analyse text with
:mod:`index.analysis` and quote it with :mod:`index.highlight`.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Callable, Protocol, Sequence

from archive.indexing import Index
from index.model import FACETS

if TYPE_CHECKING:
    from index import query as q
    from index.model import EngineResult, Filters


def search_window(tree: q.AllOf | q.QueryNode, sort: str, offset: int, limit: int,
                  facets: Sequence[str], chain: str = "danish",
                  doc_frequency: Callable[[str], int] | None = None) -> tuple[q.AllOf, str, int, int]:
    """A search's arguments as every engine reads them: the tree as an ``AllOf`` with what its
    words also mean for ``chain`` (:func:`index.query_expand.expand`), an empty query's relevance
    sort as "newest", a page window of non-negative numbers; an unknown facet is a programming
    error (ValueError)."""
    from index import query as q
    from index.query_expand import expand

    if not isinstance(tree, q.AllOf):
        tree = q.AllOf((tree,))
    tree = expand(tree, chain, doc_frequency)
    if tree.is_empty and sort == "relevance":
        sort = "newest"
    for name in facets:
        if name not in FACETS:
            raise ValueError(f"unknown facet {name!r}")
    return tree, sort, max(0, int(offset)), max(0, int(limit))


class SearchEngine(Index, Protocol):
    """An :class:`archive.indexing.Index` (what ingest and check feed and compare) that searches."""

    def search(self, tree: q.AllOf, filters: Filters | None = None, *, sort: str = "relevance",
               offset: int = 0, limit: int = 20, facets: Sequence[str] = FACETS, snippets: bool = True,
               private: bool = False) -> EngineResult:
        """Matching items of ``tree`` with ``filters``: the total, one page in ``sort`` order
        ("relevance": BM25F, title before text; "newest"/"oldest": date, then item position),
        facet counts over the whole result set and, if ``snippets``, an HTML snippet per hit.
        ``private``: a signed-in user's search (closed items' case text and internal
        meetings take part; archive.visibility)."""

    def suggest(self, word: str, few: int = 2, ratio: float = 0.0,
                accept: Callable[[str], bool] | None = None) -> str | None:
        """A better-attested spelling of ``word`` (one ``accept`` takes) when it matches fewer than
        ``few`` items, or, with a ``ratio``, one that matches ``ratio`` times its items."""

    def doc_frequency(self, word: str) -> int:
        """How many items a plain word matches."""

    def item_count(self) -> int: ...

    def close(self) -> None: ...
