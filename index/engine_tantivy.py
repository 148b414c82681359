"""The tantivy engine: arkiv's Danish analysis over an index that others maintain.

One index directory per node (``<home>/index``): ``items/`` holds one tantivy document
per agenda item (schema and documents: :mod:`index.tantivy_schema`, made from
:data:`index.fields.INDEX_FIELDS`), ``words/`` the exact-form words seen, the lexicon of
"did you mean" (a fuzzy query over ``items`` would find documents, not words).

Queries are :mod:`index.query`'s tree, analysed with the same chain as at index time
(:mod:`index.query_terms`) and built as tantivy queries the way the other engines
evaluate them: a word matches the title (boost 3) or the text (1), or an item or case
number exactly (4); a quoted word its exact form (2); a prefix expands to the field's
terms (each scored by BM25); filters restrict without adding to the score; items of
internal meetings take part only in a private search.  Totals are exact (``count``),
facets are terms aggregations over the whole result set, snippets come from arkiv's
own highlighter (:mod:`index.highlight`), which knows compounds.

Concurrency: tantivy allows one writer per index (a second raises LockBusy, in this or
another process): a writer is taken for one update, retried up to ``lock_timeout``
seconds, and committed or rolled back explicitly (``with writer:`` would commit on an
exception too).  Readers reload when the index's ``meta.json`` changed, so a server sees
another process's commits at its next search; a search holds one searcher throughout.
"""
from __future__ import annotations

import logging
import os
import shutil
import threading
import time
from collections import Counter
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Sequence

import tantivy

from archive.errors import ArkivError
from archive.model import Meeting
from index import query as q
from index import query_terms as qt
from index import tantivy_files
from index import tantivy_schema as ts
from index.documents import ID_FIELDS, INTERNAL, PRIVATE, PUBLIC, TEXT_FIELDS, Scope
from index.engine_api import search_window
from index.fields import BY_NAME
from index.highlight import add_snippets
from index.model import FACETS, EngineResult, Filters, Hit

log = logging.getLogger(__name__)

CHAINS = qt.CHAINS
PREFIX_MAX_TERMS = 4096         # a prefix's expansion: its most frequent terms
ALL_VALUES = 2**31 - 1          # a terms aggregation's size: every value
SIGNATURE_FILE = "arkiv-tantivy"
EXACT_BOOST, PHRASE_FIELD_EXACT = 2.0, "exact"



@contextmanager
def _committed(writer: Any) -> Iterator[Any]:
    """``writer``'s changes committed, or rolled back on any exception (tantivy's own ``with writer``
    commits even then), its merges waited for either way."""
    try:
        yield writer
        writer.commit()
    except BaseException:
        writer.rollback()
        raise
    finally:
        writer.wait_merging_threads()

class IndexBusyError(ArkivError):
    """Another writer holds the index's lock for too long."""


class _Side:
    """One tantivy index directory with its reader state."""

    def __init__(self, path: Path, schema: tantivy.Schema):
        self.path = path
        self.schema = schema
        self.damage = ""        # why the directory could not be opened (it then started again empty)
        self._open()

    def _open(self) -> None:
        self.path.mkdir(parents=True, exist_ok=True)
        try:
            self.index = tantivy.Index(self.schema, path=str(self.path), reuse=True)
        except ValueError as exc:   # unreadable meta.json, a segment file missing, truncated or zeroed
            # Derived data, as an index of an older layout: it starts again empty, and
            # `arkiv check` says so (damage()); `check --repair` rebuilds it from the store.
            self.damage = str(exc)
            log.warning("the search index at %s is damaged (%s); it starts again empty "
                        "(run `arkiv check --repair`)", self.path, exc)
            shutil.rmtree(self.path, ignore_errors=True)
            self.path.mkdir(parents=True, exist_ok=True)
            self.index = tantivy.Index(self.schema, path=str(self.path), reuse=True)
        self.stamp = self._stamp()

    def ensure(self) -> None:
        """Open the index again where its directory was deleted (it then starts empty)."""
        if not (self.path / "meta.json").exists():
            self._open()

    def _stamp(self) -> tuple:
        try:
            st = os.stat(self.path / "meta.json")
        except OSError:
            return ()
        return st.st_ino, st.st_mtime_ns, st.st_size

    def searcher(self) -> tantivy.Searcher:
        stamp = self._stamp()
        if not stamp:
            self.ensure()
        elif stamp != self.stamp:
            self.index.reload()
            self.stamp = stamp
        return self.index.searcher()

    def reloaded(self) -> None:
        self.index.reload()
        self.stamp = self._stamp()


class TantivyEngine:
    """The tantivy engine (index.engine_api.SearchEngine)."""

    transactional = False       # its own commits: ingest indexes in batches, reconcile catches up

    def __init__(self, index_dir: Path, chain: str = "danish", lock_timeout: float = 60.0):
        if chain not in CHAINS:
            raise ValueError(f"unknown analysis chain {chain!r}")
        self.index_dir = Path(index_dir)
        self.chain = chain
        self.lock_timeout = lock_timeout
        self.tokens = ts.Tokens(chain)
        self._lock = threading.Lock()           # readers' reload, moments only
        self._write_lock = threading.Lock()     # one writer per process
        self._hl_cache: dict = {}
        self._known_words: set[str] | None = None
        self.index_dir.mkdir(parents=True, exist_ok=True)
        self._check_signature()
        self.schema = ts.make_schema()
        self._items = _Side(self.index_dir / "items", self.schema)
        wb = tantivy.SchemaBuilder()
        wb.add_text_field("word", tokenizer_name="raw", index_option="basic", fast=True)
        self._words = _Side(self.index_dir / "words", wb.build())

    def _check_signature(self) -> None:
        """An index of another layout (an older arkiv) starts again empty: it is derived data;
        `arkiv ingest` (reconcile) or `arkiv reindex` fills it from the store."""
        sig_path = self.index_dir / SIGNATURE_FILE
        want = ts.signature(self.chain)
        have = sig_path.read_text().strip() if sig_path.exists() else None
        if have == want:
            return
        if have is not None:
            log.warning("the search index at %s has an older layout; it starts again empty "
                        "(run `arkiv reindex`)", self.index_dir)
            for sub in ("items", "words"):
                shutil.rmtree(self.index_dir / sub, ignore_errors=True)
        self.index_dir.mkdir(parents=True, exist_ok=True)
        sig_path.write_text(want + "\n")

    # -- writing -------------------------------------------------------
    def _writer(self, side: _Side, threads: int = 1, heap: int = 64_000_000) -> tantivy.IndexWriter:
        if not self.index_dir.exists():         # deleted under us: start again empty
            self._check_signature()
        side.ensure()
        deadline = time.monotonic() + self.lock_timeout
        while True:
            try:
                return side.index.writer(heap_size=heap, num_threads=threads)
            except ValueError as exc:
                if "LockBusy" not in str(exc):
                    raise
                if time.monotonic() >= deadline:
                    raise IndexBusyError(
                        f"søgeindekset i {self.index_dir} er låst af en anden skrivende proces i mere end "
                        f"{self.lock_timeout:.0f} s; prøv igen, når den er færdig") from None
                time.sleep(0.05)

    def _write(self, meetings: Iterable[Meeting], drop: Iterable[str], everything: bool,
               threads: int = 1, heap: int = 64_000_000) -> None:
        words: set[str] = set()
        with self._write_lock:
            with _committed(self._writer(self._items, threads, heap)) as writer:
                if everything:
                    writer.delete_all_documents()
                for mid in sorted(set(drop)):
                    writer.delete_documents_by_term("meeting_id", mid)
                for meeting in meetings:
                    for doc in ts.meeting_documents(meeting, self.tokens, words):
                        writer.add_document(doc)
            self._items.reloaded()
            self._add_words(words, everything)

    def _add_words(self, words: set[str], everything: bool) -> None:
        """The lexicon gains the words it lacks (a word no item holds any more stays: its
        document frequency, read from the items, is then 0)."""
        known = set() if everything else self._lexicon()
        new = sorted(w for w in words if w not in known and w.isalpha())
        if not new and not everything:
            return
        with _committed(self._writer(self._words)) as writer:
            if everything:
                writer.delete_all_documents()
            for w in new:
                writer.add_document(tantivy.Document(word=w))
        self._words.reloaded()
        known.update(new)
        self._known_words = known

    def _lexicon(self) -> set[str]:
        if self._known_words is None:
            self._known_words = {w for w, _ in self._words.searcher().terms_with_prefix("word", "")}
        return self._known_words

    def update(self, meetings: list[Meeting], remove_meeting_ids: Iterable[str] = (), *,
               within: Any = None) -> None:
        """One commit: drop every item of the given meetings and of ``remove_meeting_ids``,
        then add the meetings' items (rolled back whole on an error)."""
        meetings = list(meetings)
        self._write(meetings, {m.id for m in meetings} | set(remove_meeting_ids), everything=False)

    def rebuild(self, meetings: Iterable[Meeting]) -> None:
        """Exactly these meetings, in one commit: searches see the old index until then."""
        self._write(meetings, (), everything=True, threads=2, heap=200_000_000)
        self._items.damage = self._words.damage = ""    # what damage() reported is gone with it

    # -- reading -------------------------------------------------------
    def _searcher(self) -> tantivy.Searcher:
        with self._lock:
            return self._items.searcher()

    def _terms(self, searcher: tantivy.Searcher, field: str, query: tantivy.Query) -> list[dict]:
        agg = searcher.aggregate(query, {"t": {"terms": {"field": field, "size": ALL_VALUES}}})
        return agg["t"]["buckets"]

    def versions(self) -> dict[str, str]:
        """meeting id -> the sha256 of the original it was indexed from."""
        s = self._searcher()
        agg = s.aggregate(tantivy.Query.all_query(), {"m": {
            "terms": {"field": "meeting_id", "size": ALL_VALUES},
            "aggs": {"sha": {"terms": {"field": "meeting_sha256", "size": 1}}}}})
        return {b["key"]: (b["sha"]["buckets"][0]["key"] if b["sha"]["buckets"] else "")
                for b in agg["m"]["buckets"]}

    def item_counts(self) -> Counter:
        s = self._searcher()
        return Counter({b["key"]: b["doc_count"] for b in self._terms(s, "meeting_id", tantivy.Query.all_query())})

    def item_count(self) -> int:
        return self._searcher().num_docs

    def damage(self) -> list[str]:
        """What is wrong with the index's files, one Danish line each ([]: whole)."""
        found = []
        for side in (self._items, self._words):
            if side.damage:
                found.append(f"søgeindekset i {side.path} kunne ikke åbnes og er startet forfra tomt ({side.damage})")
            bad = tantivy_files.damaged_files(side.path)
            if bad:
                found.append(f"søgeindekset i {side.path} er beskadiget: {', '.join(bad)} "
                             "(kontrolsummen stemmer ikke)")
        return found

    def close(self) -> None:
        _drop_cached(self)

    # -- query building ------------------------------------------------
    def _tq(self, field: str, term: str, boost: float = 1.0) -> tantivy.Query:
        query = tantivy.Query.term_query(self.schema, field, term)
        return query if boost == 1.0 else tantivy.Query.boost_query(query, boost)

    @staticmethod
    def _any(kids: Sequence[tantivy.Query]) -> tantivy.Query:
        if len(kids) == 1:
            return kids[0]
        return tantivy.Query.boolean_query([(tantivy.Occur.Should, k) for k in kids])

    def _field(self, field: str, groups: list[list[str]], boost: float) -> tantivy.Query:
        if len(groups) == 1:
            return self._any([self._tq(field, t, boost) for t in groups[0]])
        phrase = tantivy.Query.phrase_query(self.schema, field, [(i, g[0]) for i, g in enumerate(groups)])
        return phrase if boost == 1.0 else tantivy.Query.boost_query(phrase, boost)

    def _text(self, text: str, scope: Scope) -> tantivy.Query | None:
        groups = qt.groups(self.chain, qt.TEXT, text)      # the text fields share one analysis
        if not groups:
            return None
        return self._any([self._field(f, groups, b) for f, b in scope.text.items()])

    def _near(self, node: q.Near, scope: Scope) -> tantivy.Query | None:
        """Both words 1 to ``node.window`` positions apart, in either order, in one text field:
        per order a sloppy phrase with the second word ``mid`` positions on and a slop of
        ``mid - 1`` (tantivy matches ``|distance - mid| <= slop``: never distance 0); scored as
        a phrase, times the node's weight."""
        terms = [qt.groups(self.chain, qt.TEXT, w) for w in node.words]
        if any(len(t) != 1 for t in terms):
            return None
        a, b = terms[0][0][0], terms[1][0][0]
        mid = (node.window + 1) // 2
        return self._any([tantivy.Query.boost_query(
            tantivy.Query.phrase_query(self.schema, f, [(0, x), (mid, y)], mid - 1), boost * node.weight)
            for f, boost in scope.text.items() for x, y in ((a, b), (b, a))])

    def _prefix(self, searcher: tantivy.Searcher, field: str, prefixes: list[str]) -> tantivy.Query:
        found: dict[str, int] = {}
        for p in prefixes:
            found.update(searcher.terms_with_prefix(field, p))
        if not found:
            return tantivy.Query.empty_query()
        terms = sorted(found, key=lambda t: (-found[t], t))[:PREFIX_MAX_TERMS]
        return self._any([self._tq(field, t) for t in sorted(terms)])

    def _leaf(self, searcher: tantivy.Searcher, node: Any, scope: Scope) -> tantivy.Query | None:
        if isinstance(node, q.Term):
            text_q = self._text(node.text, scope)
            if text_q is None:
                return None          # only an identifier-like or stopword: keep it strict
            alts = [text_q]
            for f, b in ID_FIELDS.items():
                groups = qt.groups(self.chain, qt.ID, node.text.strip())
                if groups:
                    alts.append(tantivy.Query.const_score_query(self._tq(f, groups[0][0]), b))
            return self._any(alts)
        if isinstance(node, q.Exact):
            groups = qt.groups(self.chain, qt.EXACT, node.text)
            if not groups:
                return None
            return self._any([self._field(f, groups, EXACT_BOOST) for f in scope.exact])
        if isinstance(node, q.Prefix):
            prefixes = qt.prefixes(node.text)
            if not prefixes:
                return self._leaf(searcher, q.Term(node.text), scope)
            return self._any([self._prefix(searcher, f, prefixes) for f in scope.exact])
        if isinstance(node, q.Phrase):
            return self._text(" ".join(node.words), scope)
        if isinstance(node, q.Near):
            return self._near(node, scope)
        if isinstance(node, q.AnyOf):
            kids = [k for k in (self._leaf(searcher, c, scope) for c in node.children) if k is not None]
            return self._any(kids) if kids else None
        if isinstance(node, q.Not):
            return self._leaf(searcher, node.child, scope)
        if isinstance(node, q.AllOf):
            built = self._tree(searcher, node, scope)
            return built if built is not None else tantivy.Query.empty_query()
        return None

    def _tree(self, searcher: tantivy.Searcher, tree: q.AllOf, scope: Scope) -> tantivy.Query | None:
        """The tree as one query; None when every word analysed away (nothing matches)."""
        if tree.is_empty:
            return tantivy.Query.all_query()
        pos: list[tantivy.Query] = []
        neg: list[tantivy.Query] = []
        for child in tree.children:
            built = self._leaf(searcher, child, scope)
            if built is not None:
                (neg if isinstance(child, q.Not) else pos).append(built)
        if not pos and not neg:
            return None
        if not pos:                     # only exclusions: every item, scored 1
            pos = [tantivy.Query.all_query()]
        # Beside a required clause a Should clause is optional: it only adds to the score.
        prefer = [k for k in (self._leaf(searcher, p, scope) for p in tree.prefer) if k is not None]
        return tantivy.Query.boolean_query([(tantivy.Occur.Must, p) for p in pos]
                                           + [(tantivy.Occur.Should, p) for p in prefer]
                                           + [(tantivy.Occur.MustNot, n) for n in neg])

    def _restrictions(self, filters: Filters | None, scope: Scope) -> tuple[list[tantivy.Query], list[tantivy.Query]]:
        """(must, must not) clauses of the filters and the scope; none adds to the score."""
        must: list[tantivy.Query] = []
        if filters is not None and not filters.is_empty():
            for field, values in filters.term_clauses():
                must.append(self._any([self._tq(field, v) for v in values]))
            days = filters.day_range()
            if days:
                must.append(tantivy.Query.range_query(self.schema, "day", tantivy.FieldType.Integer,
                                                      days[0], days[1]))
        must_not = [] if scope.internal else [self._tq("internal", INTERNAL)]
        return [tantivy.Query.const_score_query(m, 0.0) for m in must], must_not

    def build_query(self, searcher: tantivy.Searcher, tree: q.AllOf, filters: Filters | None,
                    scope: Scope) -> tantivy.Query | None:
        core = self._tree(searcher, tree, scope)
        if core is None:
            return None
        must, must_not = self._restrictions(filters, scope)
        if not must and not must_not:
            return core
        return tantivy.Query.boolean_query([(tantivy.Occur.Must, core)]
                                           + [(tantivy.Occur.Must, m) for m in must]
                                           + [(tantivy.Occur.MustNot, n) for n in must_not])

    # -- search --------------------------------------------------------
    def search(self, tree: q.AllOf, filters: Filters | None = None, *, sort: str = "relevance",
               offset: int = 0, limit: int = 20, facets: Sequence[str] = FACETS, snippets: bool = True,
               private: bool = False) -> EngineResult:
        """As index.engine_api.SearchEngine.search: the total, one page, facet counts over every
        match, snippets; ``private`` for a signed-in user (archive.visibility)."""
        scope = PRIVATE if private else PUBLIC
        tree, sort, offset, limit = search_window(tree, sort, offset, limit, facets, self.chain, self.doc_frequency)
        searcher = self._searcher()
        query = self.build_query(searcher, tree, filters, scope)
        if query is None:
            return EngineResult(total=0, hits=[], facets={name: Counter() for name in facets})
        kw: dict[str, Any] = {}
        if sort != "relevance":
            kw = {"order_by_field": ts.OLDEST if sort == "oldest" else ts.NEWEST,
                  "order": tantivy.Order.Asc if sort == "oldest" else tantivy.Order.Desc}
        # tantivy wants a limit of at least 1: a page of none is asked as one and dropped.
        found = searcher.search(query, max(1, limit), count=True, offset=offset, **kw)
        total = int(getattr(found, "count", None) or 0)     # count=True: exact (the stubs lack it)
        page = found.hits[:limit]
        hits = []
        for score, addr in page:
            fields = ts.stored_fields(searcher.doc(addr))
            if "private" not in scope.snippets:
                fields.pop("private", None)
            hits.append(Hit(docnum=(addr.segment_ord << 32) | addr.doc,
                            score=float(score) if sort == "relevance" else 0.0, fields=fields))
        counts: dict[str, Counter] = {name: Counter() for name in facets}
        if facets and total:
            agg = searcher.aggregate(query, {name: {"terms": {"field": BY_NAME[name].index_field,
                                                              "size": ALL_VALUES}} for name in facets})
            for name in facets:
                counts[name] = Counter({b["key"]: b["doc_count"] for b in agg[name]["buckets"] if b["key"] != ""})
        if snippets:
            add_snippets(hits, tree, scope.snippets, self.chain, self._hl_cache)
        return EngineResult(total=total, hits=hits, facets=counts)

    # -- suggestions ---------------------------------------------------
    def doc_frequency(self, word: str) -> int:
        """How many items a plain word matches (the most in one text field)."""
        groups = qt.groups(self.chain, qt.TEXT, word)
        if len(groups) != 1:
            return 0
        s = self._searcher()
        return max((s.doc_freq(f, t) for f in TEXT_FIELDS for t in groups[0]), default=0)

    def suggest(self, word: str, few: int = 2, ratio: float = 0.0,
                accept: Callable[[str], bool] | None = None) -> str | None:
        """A better-attested spelling of ``word`` (edit distance <= 2, the same first letter,
        the most frequent, one ``accept`` takes) when ``word`` matches fewer than ``few`` items,
        or, with a ``ratio``, one matching that many times its items; else None."""
        subject = qt.spelling_subject(self.chain, word, few, self.doc_frequency, ratio)
        if subject is None:
            return None
        norm, _hits, maxdist, least = subject
        with self._lock:
            words = self._words.searcher()
        fuzzy = tantivy.Query.fuzzy_term_query(self._words.schema, "word", norm, distance=maxdist,
                                               transposition_cost_one=False)
        cands = [b["key"] for b in self._terms(words, "word", fuzzy)]
        s = self._searcher()
        cands = [c for c in cands if c[:1] == norm[:1] and c.isalpha()]
        # Beside a word with hits, a spelling is compared by what a search for it finds (its stem).
        freqs = {c: self.doc_frequency(c) if ratio else s.doc_freq(PHRASE_FIELD_EXACT, c) for c in cands}
        return qt.best_spelling(norm, least, freqs.items(), accept)


# --------------------------------------------------------------------------- cache
_ENGINES: dict[tuple[str, str], TantivyEngine] = {}
_ENGINES_LOCK = threading.Lock()


def open_engine(index_dir: Path, chain: str = "danish") -> TantivyEngine:
    """The process's engine for ``index_dir``: opened once, then reused."""
    key = (str(Path(index_dir).resolve()), chain)
    with _ENGINES_LOCK:
        engine = _ENGINES.get(key)
        if engine is None:
            engine = _ENGINES[key] = TantivyEngine(Path(index_dir), chain=chain)
        return engine


def _drop_cached(engine: TantivyEngine) -> None:
    with _ENGINES_LOCK:
        for key, value in list(_ENGINES.items()):
            if value is engine:
                del _ENGINES[key]
