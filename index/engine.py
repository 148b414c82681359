"""The search engine: the one place (with ``index.engine_analyzer``) that knows Whoosh.

Narrow interface, so another engine could stand beside it::

    engine = open_engine(index_dir)              # cached per process per path
    engine.update(meetings, remove_meeting_ids)  # one writer commit
    engine.rebuild(meetings)                     # fresh index, bulk settings
    engine.versions() / engine.item_counts() / engine.item_count()
    result = engine.search(query_tree, filters, sort=..., offset=..., limit=...)
    engine.suggest(word)

One document per agenda item.  Everything a result row needs is stored in the
index (no store lookups per hit); facet values live in columns and are read
once per segment into plain lists, so facet counts over the whole result set
are a ``Counter`` over the matched document numbers collected in the same
pass that scores them (no second count).

Concurrency: ingest (another process) may commit while a web server searches.
The engine keeps ONE searcher (a :class:`_View` with what is derived from it) and
checks per search whether the index changed (a stat of the newest table of
contents), opening a new view only then.  A search takes the current view under a
short lock and runs outside it, so searches in several threads overlap; a replaced
view is closed when its last search has finished.  Whoosh's readers are not
thread-safe (a posting list is read by seek + read on a shared file), so every
read through them holds ``_io`` for just that read: on the postings cache's hits
(most searches) evaluation, facets and snippets run without any lock.  Writers wait
for the index lock up to ``lock_timeout`` seconds, then raise :class:`IndexBusyError`.
"""
from __future__ import annotations

import dataclasses
import heapq
import logging
import os
import shutil
import threading
import time
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Iterator, Sequence

from whoosh import columns
from whoosh import index as windex
from whoosh import query as wq
from whoosh.analysis import IDTokenizer, LowercaseFilter
from whoosh.collectors import FilterCollector, TopCollector
from whoosh.fields import BOOLEAN, COLUMN, ID, KEYWORD, NUMERIC, STORED, TEXT, Schema
from whoosh.index import LockError

from archive.errors import ArkivError
from archive.model import Meeting
from archive.settings import cores, default_postings_cache_mib
from index import documents
from index import query as q
from index import query_terms as qt
from index.documents import ID_FIELDS, INTERNAL, PRIVATE, PUBLIC, TEXT_FIELDS, Scope
from index.engine_analyzer import danish_analyzer, exact_analyzer, snowball_analyzer
from index.engine_api import search_window
from index.highlight import add_snippets
from index.model import FACETS, SEP, EngineResult, Filters, Hit

if TYPE_CHECKING:  # numpy loads on the first search only (ingest never needs it)

    pass

log = logging.getLogger(__name__)

INDEX_NAME = "items"
CHAINS = ("danish", "snowball")

MIN_PREFIX = q.MIN_PREFIX


def _vec():
    """numpy and the vectorised evaluator, imported on first search (ingest and the
    CLI never pay numpy's import)."""
    from index import engine_vector
    return engine_vector, engine_vector.np


class IndexBusyError(ArkivError):
    """Another process holds the index's write lock for too long."""


# --------------------------------------------------------------------------- schema
def _id_lower():
    return IDTokenizer() | LowercaseFilter()


def make_schema(chain: str = "danish") -> Schema:
    if chain not in CHAINS:
        raise ValueError(f"unknown analysis chain {chain!r}")
    ana = danish_analyzer() if chain == "danish" else snowball_analyzer()
    return Schema(
        id=ID(stored=True, unique=True),
        meeting_id=ID(stored=True, sortable=True),
        meeting_sha256=COLUMN(columns.VarBytesColumn()),
        meeting_number=STORED(),
        meeting_title=STORED(),
        date=STORED(),                                   # ISO date or None
        day=NUMERIC(int, bits=32, sortable=True),   # date.toordinal(), 0 = undated; signed: Whoosh's unsigned ranges are buggy
        year=ID(sortable=True),
        number=ID(stored=True, analyzer=_id_lower()),
        case_number=ID(stored=True, analyzer=_id_lower()),
        position=NUMERIC(int, bits=32, stored=True, sortable=True),
        closed=BOOLEAN(stored=True),
        internal=ID(),                                   # INTERNAL for items of internal meetings
        title=TEXT(analyzer=ana, stored=True),
        text=TEXT(analyzer=ana),                         # description, recommendation, minutes, presenters
        description=STORED(),
        recommendation=STORED(),
        minutes=STORED(),
        presenter=KEYWORD(commas=True, sortable=True),   # facet, one term per name
        presenter_names=STORED(),
        outcome=KEYWORD(commas=True, sortable=True),     # facet, slugs
        outcome_slugs=STORED(),
        body=ID(stored=True, sortable=True),
        exact=TEXT(analyzer=exact_analyzer()),           # all public text, unstemmed
        private=TEXT(analyzer=ana, stored=True),         # a closed item's case text (signed-in only)
        private_exact=TEXT(analyzer=exact_analyzer()),   # the same, unstemmed
    )


def _add_items(writer, meetings: Iterable[Meeting]) -> None:
    for meeting in meetings:
        for doc in item_documents(meeting):
            writer.add_document(**doc)


def item_documents(meeting: Meeting) -> Iterable[dict[str, Any]]:
    """The meeting's items as Whoosh documents (index.documents, in Whoosh's field types)."""
    for doc in documents.item_documents(meeting):
        doc["meeting_sha256"] = doc["meeting_sha256"].encode("ascii", "replace")
        doc["internal"] = INTERNAL if doc["internal"] else ""
        yield doc


# --------------------------------------------------------------------------- per-doc data
@dataclass
class _SegData:
    day: list[int]
    position: list[int]
    presenters: list[tuple[str, ...]]
    outcomes: list[tuple[str, ...]]
    body: list[str]
    year: list[str]
    meeting: list[str]
    sha: list[str]


def _split(value: str) -> tuple[str, ...]:
    return tuple(v for v in value.split(SEP) if v) if value else ()


def _read_segment(reader) -> _SegData:
    def col(name):
        if not reader.has_column(name):
            return [None] * reader.doc_count_all()
        return list(reader.column_reader(name))

    day = [d or 0 for d in col("day")]
    position = [p or 0 for p in col("position")]
    return _SegData(
        day=day,
        position=position,
        presenters=[_split(v or "") for v in col("presenter")],
        outcomes=[_split(v or "") for v in col("outcome")],
        body=[v or "" for v in col("body")],
        year=[v or "" for v in col("year")],
        meeting=[v or "" for v in col("meeting_id")],
        sha=[(v or b"").decode("ascii", "replace") if isinstance(v, bytes) else (v or "")
             for v in col("meeting_sha256")],
    )


def _reader_data(reader, seg_cache: dict) -> _SegData:
    """Per-document column values for the whole reader, as plain lists by global docnum:
    its segments' data, read once per segment (``seg_cache``: segment id -> _SegData, kept
    for the segments still in the reader)."""
    parts = []
    fresh = {}
    for leaf, _offset in reader.leaf_readers():
        seg = leaf.segment() if hasattr(leaf, "segment") else None
        if seg is None:                  # an empty index: no segments
            if leaf.doc_count_all():
                parts.append(_read_segment(leaf))
            continue
        key = seg.segment_id()
        data = seg_cache.get(key) or _read_segment(leaf)
        fresh[key] = data
        parts.append(data)
    seg_cache.clear()
    seg_cache.update(fresh)
    return _SegData(*(list(chain.from_iterable(getattr(p, f.name) for p in parts))
                      for f in dataclasses.fields(_SegData)))


class _CollectingTopCollector(TopCollector):
    """Top-N by score that also records every matched docnum (for facets and the total)."""

    def __init__(self, limit: int):
        # replace=0: Whoosh's matcher.replace(minscore) prunes sub-matchers that cannot
        # reach the top N, which would make ``matched`` (the total and facets) too small.
        super().__init__(limit=max(1, limit), usequality=False, replace=0)
        self.matched: list[int] = []

    def _collect(self, global_docnum, score):
        self.matched.append(global_docnum)
        return TopCollector._collect(self, global_docnum, score)


# --------------------------------------------------------------------------- engine
class _View:
    """One searcher and the data derived from it, shared by the searches that started
    on it; closed when it has been replaced and its last search has finished."""

    def __init__(self, searcher: Any, stamp: tuple):
        self.searcher = searcher        # whoosh.searching.Searcher
        self.stamp = stamp
        self.users = 0
        self.retired = False
        self.gen: Any = None            # engine_vector.Generation, built on first use
        self.docdata: _SegData | None = None
        self.build_lock = threading.Lock()

    def retire(self) -> None:
        """(Under the engine's lock.)  No new searches; closed now if none is running."""
        self.retired = True
        if not self.users:
            self.close()

    def close(self) -> None:
        try:
            self.searcher.close()
        except Exception:
            pass


class Engine:
    """The Whoosh engine (index.engine_api.SearchEngine)."""

    transactional = False       # its own commits: ingest indexes in batches, reconcile catches up

    def __init__(self, index_dir: Path, chain: str = "danish", lock_timeout: float = 60.0,
                 postings_cache_bytes: int | None = None):
        self.index_dir = Path(index_dir)
        # Settings.postings_cache_bytes (arkiv.backend); without it, the machine's default.
        self.postings_cache_bytes = postings_cache_bytes or default_postings_cache_mib(cores()) * 2**20
        self.chain = chain
        self.lock_timeout = lock_timeout
        self._lock = threading.Lock()           # the current view: taken for moments only
        self._io = threading.RLock()            # every read through a Whoosh reader
        self._write_lock = threading.Lock()     # one writer per process
        self._view: _View | None = None
        self._seg_cache: dict = {}      # per-segment parts, by segment id: survive commits
        self._vseg_cache: dict = {}
        self._postings_cache: Any = None        # engine_vector.ByteLRU, on first search
        self._hl_cache: dict = {}
        # False: the Whoosh-collector path, kept only as the test oracle for the
        # vectorised path (tests/test_engine_vector.py); production never clears it.
        self.vectorised = True
        self.index_dir.mkdir(parents=True, exist_ok=True)
        schema = make_schema(chain)
        found = None
        if windex.exists_in(str(self.index_dir), indexname=INDEX_NAME):
            found = windex.open_dir(str(self.index_dir), indexname=INDEX_NAME)
            if set(found.schema.names()) != set(schema.names()):
                # Built by an older arkiv.  The index is derived data: start it again
                # empty; `arkiv ingest` (reconcile) or `arkiv reindex` fills it from the store.
                log.warning("the search index at %s has an older schema; it starts again empty "
                            "(run `arkiv reindex`)", self.index_dir)
                found.close()
                found = None
        self._ix = found or windex.create_in(str(self.index_dir), schema, indexname=INDEX_NAME)
        self.schema = self._ix.schema

    # -- writing -------------------------------------------------------
    def _writer(self, **kwargs):
        deadline = time.monotonic() + self.lock_timeout
        while True:
            try:
                return self._ix.writer(timeout=min(1.0, self.lock_timeout), delay=0.05, **kwargs)
            except LockError:
                if time.monotonic() >= deadline:
                    raise IndexBusyError(
                        f"søgeindekset i {self.index_dir} er låst af en anden skrivende proces i mere end "
                        f"{self.lock_timeout:.0f} s; prøv igen, når den er færdig"
                    ) from None

    def update(self, meetings: list[Meeting], remove_meeting_ids: Iterable[str] = (), *,
               within: Any = None) -> None:
        """One commit: drop every item of the given meetings and of ``remove_meeting_ids``,
        then add the meetings' items.  (``within`` is for transactional engines: Whoosh
        commits on its own.)"""
        meetings = list(meetings)
        drop = {m.id for m in meetings} | set(remove_meeting_ids)
        with self._write_lock:
            writer = self._writer()
            try:
                for mid in sorted(drop):
                    writer.delete_by_term("meeting_id", mid)
                _add_items(writer, meetings)
            except BaseException:
                writer.cancel()
                raise
            writer.commit()

    def rebuild(self, meetings: Iterable[Meeting]) -> None:
        """A fresh index with bulk-load settings (multiprocess writer, falling back)."""
        with self._write_lock:
            self._retire_view()
            self.index_dir.mkdir(parents=True, exist_ok=True)
            schema = self.schema
            lock = self._ix.lock("WRITELOCK")
            deadline = time.monotonic() + self.lock_timeout
            while not lock.acquire(False):
                if time.monotonic() >= deadline:
                    raise IndexBusyError(
                        f"søgeindekset i {self.index_dir} er låst af en anden skrivende proces"
                    )
                time.sleep(0.05)
            try:
                self._ix = windex.create_in(str(self.index_dir), schema, indexname=INDEX_NAME)
            finally:
                lock.release()
            meetings = list(meetings)
            try:
                writer = self._writer(procs=2, multisegment=True, limitmb=256)
                try:
                    _add_items(writer, meetings)
                    writer.commit()
                except BaseException:
                    try:
                        writer.cancel()
                    except Exception:
                        pass
                    raise
            except (IndexBusyError, KeyboardInterrupt):
                raise
            except Exception:
                # The multiprocess writer can fail (pickling, no fork): one process instead.
                self._ix = windex.create_in(str(self.index_dir), schema, indexname=INDEX_NAME)
                writer = self._writer(limitmb=256)
                _add_items(writer, meetings)
                writer.commit()
            self.schema = self._ix.schema

    # -- reading -------------------------------------------------------
    def _retire_view(self) -> None:
        """Stop handing out the current view; it closes when its last search ends."""
        with self._lock:
            view, self._view = self._view, None
            if view is not None:
                view.retire()

    def _toc_stamp(self) -> tuple:
        """Identity of the newest table of contents.  Not just its generation, as
        ``Searcher.up_to_date()`` compares: ``rebuild()`` (``arkiv reindex``, maybe in
        another process) starts the index again at generation 0, so a server that
        searched generation 1 before would keep serving the old index."""
        gen = self._ix.latest_generation()
        try:
            st = os.stat(self.index_dir / f"_{INDEX_NAME}_{gen}.toc")
        except OSError:
            return (gen,)
        return gen, st.st_ino, st.st_mtime_ns, st.st_size

    @contextmanager
    def _reading(self) -> Iterator[_View]:
        """The current view, for one request: every read of the request sees the same
        generation, even when a commit lands meanwhile."""
        with self._lock:
            # Stamped before opening: a commit in between only costs one more reopen.
            stamp = self._toc_stamp()
            view = self._view
            if view is None or stamp != view.stamp:
                # Not Searcher.refresh(): it reuses segment readers with STALE deletion
                # sets (after an update both the old and new versions of an item match)
                # and it crashes on a searcher over an empty index.  A new searcher
                # costs more (~160 ms at 100k items) but only once per commit; the stamp
                # check per search is cheap.  Per-segment data stays cached by segment id.
                if view is not None:
                    view.retire()
                view = self._view = _View(self._ix.searcher(), stamp)
            view.users += 1
        try:
            yield view
        finally:
            with self._lock:
                view.users -= 1
                if view.retired and not view.users:
                    view.close()

    def _get_gen(self, view: _View):
        """The view's :class:`engine_vector.Generation` (built once per view;
        per-segment parts and postings are reused across generations)."""
        if view.gen is None:
            V, _ = _vec()
            with view.build_lock:
                if view.gen is None:
                    with self._lock:
                        if self._postings_cache is None:
                            self._postings_cache = V.ByteLRU(self.postings_cache_bytes)
                    with self._io:
                        view.gen = V.Generation(view.searcher.reader(), self.schema, self._vseg_cache,
                                                self._postings_cache, self._io)
        return view.gen

    def _get_docdata(self, view: _View) -> _SegData:
        """The view's per-doc column lists (meeting ids, hashes, ...); built lazily, for
        ``versions()`` and the Whoosh-collector path only."""
        if view.docdata is None:
            with view.build_lock, self._io:
                if view.docdata is None:
                    view.docdata = _reader_data(view.searcher.reader(), self._seg_cache)
        return view.docdata

    def versions(self) -> dict[str, str]:
        """meeting id -> source sha256, as indexed."""
        with self._reading() as view:
            dd = self._get_docdata(view)
            with self._io:
                docnums = list(view.searcher.reader().all_doc_ids())
            return {dd.meeting[d]: dd.sha[d] for d in docnums}

    def item_counts(self) -> Counter:
        """meeting id -> how many items the index holds for it (a meeting indexed twice
        counts its items twice)."""
        with self._reading() as view:
            dd = self._get_docdata(view)
            with self._io:
                docnums = list(view.searcher.reader().all_doc_ids())
            return Counter(dd.meeting[d] for d in docnums)

    def item_count(self) -> int:
        with self._reading() as view, self._io:
            return view.searcher.doc_count()

    def close(self) -> None:
        self._retire_view()
        with self._write_lock:
            self._ix.close()
        _drop_cached(self)

    # -- query building ------------------------------------------------
    def _tokens(self, fieldname: str, text: str) -> list[list[str]]:
        """Analyse query text for a field: a list of positions, each a list of terms."""
        kind = qt.ID if fieldname in ID_FIELDS else qt.EXACT if fieldname in documents.EXACT_FIELDS else qt.TEXT
        return qt.groups(self.chain, kind, text)

    @staticmethod
    def _prefixes(text: str) -> list[str]:
        return qt.prefixes(text)

    def _field_query(self, fieldname: str, groups: list[list[str]], boost: float = 1.0):
        if not groups:
            return None
        if len(groups) == 1:
            terms = [wq.Term(fieldname, t, boost=boost) for t in groups[0]]
            return terms[0] if len(terms) == 1 else wq.Or(terms)
        return wq.Phrase(fieldname, [g[0] for g in groups], boost=boost)

    def _text_query(self, text: str, scope: Scope):
        # All text fields share one analyzer: analyse once.
        groups = self._tokens("title", text)
        if not groups:
            return None
        return wq.Or([self._field_query(f, groups, b) for f, b in scope.text.items()])

    def _leaf_query(self, node, scope: Scope):
        if isinstance(node, q.Term):
            alts = []
            text_q = self._text_query(node.text, scope)
            if text_q is not None:
                alts.append(text_q)
            for f, b in ID_FIELDS.items():
                groups = self._tokens(f, node.text.strip())
                if groups:
                    alts.append(wq.Term(f, groups[0][0], boost=b))
            if text_q is None:
                return None          # only an identifier-like or stopword: keep it strict
            return alts[0] if len(alts) == 1 else wq.Or(alts)
        if isinstance(node, q.Exact):
            groups = self._tokens("exact", node.text)
            kids = [k for k in (self._field_query(f, groups, 2.0) for f in scope.exact) if k is not None]
            return (kids[0] if len(kids) == 1 else wq.Or(kids)) if kids else None
        if isinstance(node, q.Prefix):
            prefixes = self._prefixes(node.text)
            if prefixes:
                kids = [wq.Prefix(f, p) for f in scope.exact for p in prefixes]
                return kids[0] if len(kids) == 1 else wq.Or(kids)
            return self._leaf_query(q.Term(node.text), scope)
        if isinstance(node, q.Phrase):
            return self._text_query(" ".join(node.words), scope)
        if isinstance(node, q.AnyOf):
            kids = [k for k in (self._leaf_query(c, scope) for c in node.children) if k is not None]
            if not kids:
                return None
            return kids[0] if len(kids) == 1 else wq.Or(kids)
        if isinstance(node, q.Not):
            return self._leaf_query(node.child, scope)
        if isinstance(node, q.AllOf):
            return self.build_query(node, scope)
        return None

    def build_query(self, tree: q.AllOf, scope: Scope = PUBLIC):
        """Engine-neutral tree -> Whoosh query.  Empty tree -> Every();
        a tree whose words all analyse away (stopwords) -> NullQuery."""
        if not isinstance(tree, q.AllOf):
            tree = q.AllOf((tree,))
        if tree.is_empty:
            return wq.Every()
        pos: list[Any] = []
        neg: list[Any] = []
        for child in tree.children:
            target = neg if isinstance(child, q.Not) else pos
            built = self._leaf_query(child, scope)
            if built is not None:
                target.append(built)
        if not pos and not neg:
            return wq.NullQuery
        base = wq.Every() if not pos else (pos[0] if len(pos) == 1 else wq.And(pos))
        if neg:
            return wq.AndNot(base, neg[0] if len(neg) == 1 else wq.Or(neg))
        return base

    def _filter_query(self, f: Filters | None):
        if f is None or f.is_empty():
            return None
        parts = []
        for fieldname, values in f.term_clauses():
            terms = [wq.Term(fieldname, v) for v in values]
            parts.append(terms[0] if len(terms) == 1 else wq.Or(terms))
        days = f.day_range()
        if days:
            parts.append(wq.NumericRange("day", *days))
        return parts[0] if len(parts) == 1 else wq.And(parts)

    # -- search --------------------------------------------------------
    def search(
        self,
        tree: q.AllOf,
        filters: Filters | None = None,
        *,
        sort: str = "relevance",
        offset: int = 0,
        limit: int = 20,
        facets: Sequence[str] = FACETS,
        snippets: bool = True,
        private: bool = False,
    ) -> EngineResult:
        """Run a query tree with filters.

        ``sort``: "relevance" (an empty query sorts as "newest"), "newest" (date desc,
        then position) or "oldest".  ``offset``/``limit`` select the page.  ``facets``
        are counted over the whole result set.  Hits carry stored fields and, if
        ``snippets``, an HTML snippet.  ``private``: for a signed-in user, closed items'
        case text is searched and quoted and internal meetings' items match; without it
        neither (archive.visibility).
        """
        scope = PRIVATE if private else PUBLIC
        tree, sort, offset, limit = search_window(tree, sort, offset, limit, facets)
        with self._reading() as view:
            if self.vectorised:
                total, page, counts = self._run_vector(
                    self._get_gen(view), tree, filters, sort, offset, limit, facets, scope)
            else:
                self._get_docdata(view)         # its build lock before _io: one lock order
                with self._io:
                    total, page, counts = self._run_whoosh(view, tree, filters, sort, offset, limit, facets,
                                                           scope)
            with self._io:
                stored = [self._stored(view.searcher, d, scope) for _, d in page]
        hits = [Hit(docnum=d, score=float(sc or 0.0), fields=fields)
                for (sc, d), fields in zip(page, stored, strict=True)]
        if snippets:            # pure string work: no lock
            add_snippets(hits, tree, scope.snippets, self.chain, self._hl_cache)
        return EngineResult(total=total, hits=hits, facets=counts)

    @staticmethod
    def _stored(s, docnum: int, scope: Scope) -> dict[str, Any]:
        fields = s.stored_fields(docnum)
        if "private" not in scope.snippets:
            fields.pop("private", None)
        return fields

    # ---- vectorised path (numpy: index.vector_query over index.engine_vector's generation) ----
    def _run_vector(self, gen, tree, filters, sort, offset, limit, facets, scope: Scope):
        from index import vector_query
        return vector_query.run(gen, self.chain, tree, filters, sort, offset, limit, facets, scope)

    # ---- the Whoosh-collector path: ``vectorised = False`` ----
    # Only the test oracle now: tests/test_engine_vector.py checks the numpy path
    # against Whoosh's own query evaluation with it.  With it go build_query,
    # _filter_query, _CollectingTopCollector and _reader_data's facet columns; keep them
    # in step with the _v_* mirrors when the query semantics change.
    def _run_whoosh(self, view, tree, filters, sort, offset, limit, facets, scope: Scope):
        s = view.searcher
        dd = self._get_docdata(view)
        uq = self.build_query(tree, scope)
        fq = self._filter_query(filters)
        if isinstance(uq, wq.Every):
            wquery = fq if fq is not None else uq
        elif fq is None:
            wquery = uq
        else:
            wquery = wq.And([uq, fq])
        # Internal meetings are left out by the collector (a query AndNot-ing them is
        # mis-evaluated by Whoosh's AndNot matcher after some intersections).
        hidden = None if scope.internal else wq.Term("internal", INTERNAL)
        end = offset + limit
        if uq is wq.NullQuery:
            matched: list[int] = []
            page: list[tuple[float, int]] = []
        elif sort == "relevance":
            collector = _CollectingTopCollector(end)
            # Filters restrict, they do not add to the score (the vectorised path's masks).
            s.search_with_collector(uq, FilterCollector(collector, allow=fq, restrict=hidden))
            matched = collector.matched
            top = collector.results()
            page = [(top.score(i), top.docnum(i)) for i in range(offset, min(end, len(top)))]
        else:
            matched = list(s.docs_for_query(wquery))
            if hidden is not None:
                gone = set(s.docs_for_query(hidden))
                matched = [d for d in matched if d not in gone]
            day, position = dd.day, dd.position
            if sort == "oldest":
                # Undated last.
                key = lambda d: (day[d] or 10**9, position[d], d)  # noqa: E731
            else:
                key = lambda d: (-day[d], position[d], d)  # noqa: E731
            chosen = heapq.nsmallest(end, matched, key=key) if end else []
            page = [(0.0, d) for d in chosen[offset:end]]
        counts: dict[str, Counter] = {}
        for name in facets:
            counts[name] = self._count(dd, name, matched)
        return len(matched), page, counts

    @staticmethod
    def _count(dd: _SegData, name: str, docs: list[int]) -> Counter:
        if name == "presenter":
            get = dd.presenters.__getitem__
            return Counter(chain.from_iterable(map(get, docs)))
        if name == "outcome":
            get = dd.outcomes.__getitem__
            return Counter(chain.from_iterable(map(get, docs)))
        if name == "body":
            c = Counter(map(dd.body.__getitem__, docs))
        elif name == "year":
            c = Counter(map(dd.year.__getitem__, docs))
        else:
            raise ValueError(f"unknown facet {name!r}")
        c.pop("", None)
        return c

    # -- suggestions ---------------------------------------------------
    def doc_frequency(self, word: str) -> int:
        """How many items a plain word matches (max over the text fields)."""
        groups = self._tokens("title", word)
        if len(groups) != 1:
            return 0
        with self._reading() as view, self._io:
            return max((view.searcher.doc_frequency(f, t) for f in TEXT_FIELDS for t in groups[0]),
                       default=0)

    def suggest(self, word: str, few: int = 2) -> str | None:
        """A better-attested spelling of ``word`` (edit distance <= 2, the most frequent),
        when ``word`` itself matches fewer than ``few`` items; else None.  Only for the words
        ``query_terms.spelling_subject`` admits: the edit-distance automaton walked over the
        term list grows with the word (a 480-letter word took 1-2 s at 100k items)."""
        subject = qt.spelling_subject(self.chain, word, few, self.doc_frequency)
        if subject is None:
            return None
        norm, hits, maxdist = subject
        freqs: dict[str, int] = {}
        with self._reading() as view:
            s = view.searcher
            with self._io:
                leaves = [leaf for leaf, _ in s.reader().leaf_readers()]
            for leaf in leaves:
                with self._io:      # per segment: other searches get in between
                    try:
                        cands = list(leaf.terms_within("exact", norm, maxdist, prefix=1))
                    except Exception:
                        cands = []
                    freqs.update({c: s.doc_frequency("exact", c) for c in cands
                                  if c not in freqs and c.isalpha()})
        return qt.best_spelling(norm, hits, freqs.items())


# --------------------------------------------------------------------------- cache
_ENGINES: dict[tuple[str, str], Engine] = {}
_ENGINES_LOCK = threading.Lock()


def open_engine(index_dir: Path, chain: str = "danish", postings_cache_bytes: int | None = None) -> Engine:
    """The process's engine for ``index_dir``: opened once, then reused."""
    key = (str(Path(index_dir).resolve()), chain)
    with _ENGINES_LOCK:
        engine = _ENGINES.get(key)
        if engine is None:
            engine = _ENGINES[key] = Engine(Path(index_dir), chain=chain, postings_cache_bytes=postings_cache_bytes)
        return engine


def _drop_cached(engine: Engine) -> None:
    with _ENGINES_LOCK:
        for key, value in list(_ENGINES.items()):
            if value is engine:
                del _ENGINES[key]


def remove_index(index_dir: Path) -> None:
    """Delete an index directory (for `arkiv reindex` from scratch)."""
    shutil.rmtree(index_dir, ignore_errors=True)
