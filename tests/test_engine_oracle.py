"""The tantivy engine against a brute-force oracle, on fictional minutes.

The oracle evaluates a query tree over the analysed tokens of every item's index document
(index.documents, analysed with index.query_terms as at index time) with nothing but
Python: which items match, BM25 with tantivy's parameters (k1 1.2, b 0.75, idf
ln(1 + (N - df + 0.5) / (df + 0.5)), field length = tokens in the field) and the field
boosts, identifier fields a constant 4.  The engine, on a real index on disk, must give the
same totals, the same matching items, the same scores (phrases: the same items; tantivy
scores a phrase by its own frequency), the same facet counts and the same date order.
Fields are kept under 41 tokens, where tantivy's one-byte field lengths are exact.
"""
from __future__ import annotations

import datetime as dt
import math
import random
from collections import Counter, defaultdict

import pytest
from helpers_search import item, meeting

from index import documents as D
from index import query as q
from index import query_terms as qt
from index.engine_tantivy import TantivyEngine
from index.model import Filters
from index.query_expand import expand

K1, B = 1.2, 0.75
BODIES = ("Fjordby Kommune, Teknik- og Miljøudvalget", "Grundejerforeningen Solsikkevej", "Ejerforeningen Mågevej 3")
PEOPLE = ("Tove Fjordgaard", "Kaj Sandvig", "Birthe Ølstrup", "Aksel Mågensen", "Rita Kildeholm")
WORDS = ("cykelsti cykelstier cykelstien budget budgettet budgetter lokalplan lokalplanen havnen havn "
         "affaldssortering affald sortering skolebestyrelse skolen skole klimatilpasning regnvand "
         "vejvedligeholdelse vej Grenåvej Grenaavej Haarup Hårup godkendt godkendte udsat drøftet "
         "forslag forslaget indstilling beboerne legeplads legepladsen fællesrum vinduer tag "
         "og i for at det med").split()
OUTCOMES = ("godkendt", "udsat", "droeftet", "forkastet")
FIELDS_TEXT = ("title", "text", "around", "private")
FIELDS_EXACT = ("exact", "private_exact")


def _sentence(rnd: random.Random, n: int) -> str:
    return " ".join(rnd.choice(WORDS) for _ in range(n)).capitalize() + "."


def corpus(seed: int = 3, meetings: int = 24) -> list:
    rnd = random.Random(seed)
    out = []
    for i in range(meetings):
        items = []
        for n in range(1, rnd.randint(2, 5)):
            items.append(item(
                str(n), _sentence(rnd, rnd.randint(1, 4)), _sentence(rnd, rnd.randint(0, 6)),
                _sentence(rnd, rnd.randint(1, 5)), presenters=rnd.sample(PEOPLE, rnd.randint(0, 2)),
                outcomes=rnd.sample(OUTCOMES, rnd.randint(0, 1)), closed=rnd.random() < 0.15,
                case_number=f"SAG-2024-{i:03d}{n}" if rnd.random() < 0.2 else ""))
        m = meeting(rnd.choice(BODIES), dt.date(2019, 1, 1) + dt.timedelta(days=37 * i), str(i + 1), items)
        m.internal = rnd.random() < 0.1
        out.append(m)
    return out


class Oracle:
    """Every item's analysed fields, and a query tree evaluated over them by brute force."""

    def __init__(self, meetings):
        self.docs = [doc for m in meetings for doc in D.item_documents(m)]
        self.toks: list[dict[str, list[tuple[str, int]]]] = []
        for doc in self.docs:
            per = {f: qt.index_pairs("danish", qt.TEXT)(doc[f] or "") for f in FIELDS_TEXT}
            per.update({f: qt.index_pairs("danish", qt.EXACT)(doc[f] or "") for f in FIELDS_EXACT})
            self.toks.append(per)
        self.n = len(self.docs)
        self.avg = {f: sum(len(t[f]) for t in self.toks) / self.n for f in (*FIELDS_TEXT, *FIELDS_EXACT)}
        self.df: dict[tuple[str, str], int] = Counter()
        for t in self.toks:
            for f, pairs in t.items():
                for term in {x for x, _ in pairs}:
                    self.df[(f, term)] += 1

    def doc_frequency(self, word: str) -> int:
        """Items a plain word matches, the most in one text field (as the engines' doc_frequency)."""
        groups = qt.groups("danish", qt.TEXT, word)
        return 0 if len(groups) != 1 else max(self.df[(f, t)] for f in ("title", "text", "around") for t in groups[0])

    def longest_field(self) -> int:
        return max(len(pairs) for t in self.toks for pairs in t.values())

    def _bm25(self, i: int, field: str, term: str) -> float:
        tf = sum(1 for x, _ in self.toks[i][field] if x == term)
        if not tf:
            return 0.0
        df = self.df[(field, term)]
        idf = math.log(1 + (self.n - df + 0.5) / (df + 0.5))
        length = len(self.toks[i][field])
        return idf * tf * (K1 + 1) / (tf + K1 * (1 - B + B * length / self.avg[field]))

    def _field(self, field: str, groups: list[list[str]], boost: float) -> dict[int, float]:
        out: dict[int, float] = {}
        for i in range(self.n):
            if len(groups) == 1:
                scores = [self._bm25(i, field, t) for t in groups[0]]
                if any(scores):
                    out[i] = boost * sum(scores)
            elif self._phrase(i, field, [g[0] for g in groups]):
                out[i] = math.nan                               # matched; tantivy's own phrase score
        return out

    def _near(self, i: int, field: str, first: str, second: str, window: int) -> bool:
        """The two words 1 to ``window`` positions apart, in either order."""
        at = defaultdict(set)
        for term, pos in self.toks[i][field]:
            at[term].add(pos)
        return any(1 <= abs(p2 - p1) <= window for p1 in at[first] for p2 in at[second])

    def _phrase(self, i: int, field: str, words: list[str]) -> bool:
        at = defaultdict(set)
        for term, pos in self.toks[i][field]:
            at[term].add(pos)
        return any(all(p + k in at[w] for k, w in enumerate(words)) for p in at[words[0]])

    @staticmethod
    def _any(parts: list[dict[int, float]]) -> dict[int, float]:
        out: dict[int, float] = defaultdict(float)
        for part in parts:
            for i, s in part.items():
                out[i] += s
        return dict(out)

    def leaf(self, node, scope: D.Scope) -> dict[int, float] | None:
        if isinstance(node, (q.Term, q.Phrase)):
            text = node.text if isinstance(node, q.Term) else " ".join(node.words)
            groups = qt.groups("danish", qt.TEXT, text)
            if not groups:
                return None
            parts = [self._field(f, groups, b) for f, b in scope.text.items()]
            if isinstance(node, q.Term):
                ident = text.strip().lower()
                for f in D.ID_FIELDS:
                    parts.append({i: 4.0 for i, d in enumerate(self.docs) if ident and (d[f] or "").lower() == ident})
            return self._any(parts)
        if isinstance(node, q.Exact):
            groups = qt.groups("danish", qt.EXACT, node.text)
            return self._any([self._field(f, groups, 2.0) for f in scope.exact]) if groups else None
        if isinstance(node, q.Prefix):
            prefixes = qt.prefixes(node.text)
            if not prefixes:
                return self.leaf(q.Term(node.text), scope)
            parts = []
            for f in scope.exact:
                terms = {t for (g, t) in self.df if g == f and any(t.startswith(p) for p in prefixes)}
                parts += [self._field(f, [[t]], 1.0) for t in terms]
            return self._any(parts)
        if isinstance(node, q.Near):
            first, second = (qt.groups("danish", qt.TEXT, w)[0][0] for w in node.words)
            return self._any([{i: math.nan for i in range(self.n) if self._near(i, f, first, second, node.window)}
                              for f in scope.text])
        if isinstance(node, q.AnyOf):
            kids = [k for k in (self.leaf(c, scope) for c in node.children) if k is not None]
            return self._any(kids) if kids else None
        if isinstance(node, q.Not):
            return self.leaf(node.child, scope)
        return self.tree(node, scope) or {}

    def tree(self, tree: q.AllOf, scope: D.Scope) -> dict[int, float] | None:
        if tree.is_empty:
            return {i: 1.0 for i in range(self.n)}
        pos, neg = [], []
        for child in tree.children:
            got = self.leaf(child, scope)
            if got is not None:
                (neg if isinstance(child, q.Not) else pos).append(got)
        if not pos and not neg:
            return None
        base = {i: 1.0 for i in range(self.n)} if not pos else pos[0]
        for other in pos[1:]:
            base = {i: s + other[i] for i, s in base.items() if i in other}
        for pref in tree.prefer:        # adds to the score only
            got = self.leaf(pref, scope) or {}
            base = {i: s + got.get(i, 0.0) for i, s in base.items()}
        return {i: s for i, s in base.items() if not any(i in n for n in neg)}

    def search(self, tree: q.AllOf, filters: Filters, private: bool) -> dict[int, float]:
        scope = D.PRIVATE if private else D.PUBLIC
        found = self.tree(expand(tree, "danish", self.doc_frequency), scope) or {}      # as the engines do
        out = {}
        for i, s in found.items():
            d = self.docs[i]
            if d["internal"] and not private:
                continue
            if filters.presenter and not set(filters.presenter) & set(d["presenter_names"]):
                continue
            if filters.year and d["year"] not in {str(y) for y in filters.year}:
                continue
            days = filters.day_range()
            if days and not (days[0] <= d["day"] and (days[1] is None or d["day"] <= days[1])):
                continue
            out[i] = s
        return out


def queries(rnd: random.Random, oracle: Oracle) -> list[str]:
    out = ["", "zzyzx", "og i", "-budget", "SAG-2024-0031", "Grenaavej", '"hårup"', "sorter*", "cykel*"]
    for _ in range(120):
        a, b = rnd.choice(WORDS), rnd.choice(WORDS)
        out.append(rnd.choice([a, f"{a} {b}", f"{a} OR {b}", f"{a} -{b}", f"{a[:5]}*", f'"{a}"', f'"{a} {b}"']))
    for doc in rnd.sample(oracle.docs, 10):          # phrases that occur
        words = doc["title"].rstrip(".").split()
        if len(words) >= 2:
            out.append('"' + " ".join(words[:2]) + '"')
    return out


@pytest.fixture(scope="module")
def pair(tmp_path_factory):
    meetings = corpus()
    engine = TantivyEngine(tmp_path_factory.mktemp("oracle") / "ix")
    engine.update(meetings[:10])
    engine.rebuild(meetings)            # a fresh index: no deleted documents in the statistics
    yield engine, Oracle(meetings)
    engine.close()


def test_the_fictional_fields_are_short_enough_for_exact_lengths(pair):
    assert pair[1].longest_field() <= 40


def test_hits_totals_scores_and_facets_agree_with_the_oracle(pair):
    engine, oracle = pair
    rnd = random.Random(11)
    by_id = {d["id"]: i for i, d in enumerate(oracle.docs)}
    for text in queries(rnd, oracle):
        tree = q.parse_words(text)
        private = rnd.random() < 0.3
        filters = rnd.choice([Filters(), Filters(), Filters(presenter=[rnd.choice(PEOPLE)]), Filters(year=[2020, 2021]),
                              Filters(date_from=dt.date(2019, 6, 1), date_to=dt.date(2020, 12, 31))])
        want = oracle.search(tree, filters, private)
        got = engine.search(tree, filters, limit=500, private=private, snippets=False,
                            sort="relevance" if text else "newest")
        context = (text, filters, private)
        assert got.total == len(want), context
        assert {by_id[h.id] for h in got.hits} == set(want), context
        for hit in got.hits:
            expected = want[by_id[hit.id]]
            if text and not math.isnan(expected):
                assert hit.score == pytest.approx(expected, rel=1e-4), (context, hit.id)
        scored = [want[by_id[h.id]] for h in got.hits]
        if text and not any(math.isnan(s) for s in scored):
            assert all(a >= b - 1e-4 * abs(b) for a, b in zip(scored[:-1], scored[1:], strict=True)), context
        presenters = Counter(p for i in want for p in oracle.docs[i]["presenter_names"])
        years = Counter(oracle.docs[i]["year"] for i in want)
        outcomes = Counter(o for i in want for o in oracle.docs[i]["outcome_slugs"])
        assert got.facets["presenter"] == presenters, context
        assert got.facets["year"] == years, context
        assert got.facets["outcome"] == outcomes, context
        assert got.facets["body"] == Counter(oracle.docs[i]["body"] for i in want), context


def test_date_orders_and_pages_agree_with_the_oracle(pair):
    engine, oracle = pair
    matched = oracle.search(q.parse_words("budget OR skole"), Filters(), False)

    def newest(i):
        return (-oracle.docs[i]["day"], oracle.docs[i]["position"])

    want = [oracle.docs[i]["id"] for i in sorted(matched, key=newest)]
    got = engine.search(q.parse_words("budget OR skole"), sort="newest", limit=500, snippets=False)
    assert [h.id for h in got.hits] == want
    oldest = engine.search(q.parse_words("budget OR skole"), sort="oldest", limit=500, snippets=False)
    assert [h.id for h in oldest.hits] == [oracle.docs[i]["id"] for i in
                                           sorted(matched, key=lambda i: (oracle.docs[i]["day"], oracle.docs[i]["position"]))]
    paged = []
    for page in range(0, len(want), 7):
        paged += [h.id for h in engine.search(q.parse_words("budget OR skole"), sort="newest", offset=page, limit=7,
                                              snippets=False).hits]
    assert paged == want
