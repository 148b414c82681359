"""What a query's words also mean, added to the tree before an engine evaluates it.

Minutes' own vocabulary (:mod:`index.vocabulary`): ``evt.`` also finds ``eventuelt`` and the other
way round, ``E/F`` ``ejerforening``, ``GF`` ``generalforsamling`` and ``grundejerforening``, …; a
hyphenated word also its parts written together (``e-mail``: ``email``).  Typed words near each
other score more (``AllOf.prefer``).

A compound also matches its parts written apart (issue 21): ``vinduesudskiftning`` becomes
``vinduesudskiftning OR NÆR(vindue udskiftning) OR …``, each :class:`index.query.Near` a
sloppy phrase in either order, scored below the compound itself.  The index side needs
nothing new: an item that writes the compound already holds its parts as terms
(``index.analysis.split_compounds``).  Only arkiv's Danish chain expands; the Snowball
baseline of ``arkiv evaluate`` keeps its words as typed.
"""
from __future__ import annotations

from typing import Callable

from index import compounds, vocabulary
from index import query as q
from index import query_terms as qt
from index.analysis import normalise_word

MAX_NEAR = 4            # written-apart readings per compound (each costs a phrase query per field)
# A compound found in this many items is how this archive writes it: its parts written apart would
# rank below all of those and cost a phrase query over two common words each, so they are not added.
NEAR_BELOW = 50
# Typed words found near each other score more (``udskiftning af vinduer`` written so, before an
# item with "udskiftning" and "vinduer" a page apart): each pair of consecutive typed words, as a
# preferred NÆR of this weight.
NEAR_TYPED_WEIGHT = 0.5
MAX_TYPED_PAIRS = 4
# A word typed with a capital (``Pall``, ``Heine``) is a name: its stem also stands for other words
# (``paller``, pallets, stems to "pal" as ``Pall`` does), so the items that write the name as typed
# (any case, its accents written or not: ``Páll``) score more, by its exact form, preferred.
MAX_NAMES = 4


def expand(tree: q.AllOf, chain: str, doc_frequency: Callable[[str], int] | None = None) -> q.AllOf:
    """``tree`` with every compound word (also a negated one: what a search finds, its
    exclusion leaves out) OR'ed with its parts written apart (where ``doc_frequency``, an engine's,
    finds it in fewer than NEAR_BELOW items), its other written forms; unchanged for other chains."""
    if chain != "danish":
        return tree
    out = _node(tree, doc_frequency)
    out = out if isinstance(out, q.AllOf) else q.AllOf((out,))
    return q.AllOf(out.children, out.prefer + _typed_pairs(tree) + _names(tree))


def is_name(word: str) -> bool:
    """A word typed as a name: a capital, then lower-case letters (not an abbreviation like ``GF``)."""
    return len(word) >= 2 and word.isalpha() and word[0].isupper() and word[1:].islower()


def _names(tree: q.AllOf) -> tuple[q.QueryNode, ...]:
    """A preferred :class:`index.query.Exact` (the name as typed or in its genitive, ``Heines``) per name among the query's plain words (none of an OR
    or an exclusion), where it has a stem of its own to be confused with."""
    names = [q.AnyOf((q.Exact(c.text), q.Exact(c.text + "s"))) for c in tree.children if isinstance(c, q.Term) and is_name(c.text)
             and _one_term(c.text) is not None]
    return tuple(dict.fromkeys(names))[:MAX_NAMES]


def _typed_pairs(tree: q.AllOf) -> tuple[q.QueryNode, ...]:
    """A preferred :class:`index.query.Near` per pair of consecutive typed words of the query (its
    plain words that find something by themselves, not those of an OR or an exclusion)."""
    words = [c.text for c in tree.children if isinstance(c, q.Term) and _one_term(c.text)]
    pairs = [q.Near((a, b), weight=NEAR_TYPED_WEIGHT) for a, b in zip(words, words[1:], strict=False)
             if _one_term(a) != _one_term(b)]
    return tuple(dict.fromkeys(pairs))[:MAX_TYPED_PAIRS]


def _node(node: q.QueryNode, df: Callable[[str], int] | None) -> q.QueryNode:
    if isinstance(node, q.Term):
        return _term(node, df)
    if isinstance(node, q.AllOf):
        return q.AllOf(tuple(_node(c, df) for c in node.children), node.prefer)
    if isinstance(node, q.AnyOf):
        kids: list[q.QueryNode] = []
        for c in node.children:
            got = _node(c, df)
            kids.extend(got.children if isinstance(got, q.AnyOf) else (got,))
        return q.AnyOf(tuple(dict.fromkeys(kids)))
    if isinstance(node, q.Not):
        return q.Not(_node(node.child, df))
    return node


def _one_term(word: str) -> str | None:
    found = qt.groups("danish", qt.TEXT, word)
    return found[0][0] if len(found) == 1 else None


def near_readings(word: str) -> list[q.Near]:
    """The :class:`index.query.Near` readings of one typed word: its compound's parts written
    apart, one per distinct pair of index terms (``vindue``/``vindues`` are one), none that
    is the compound's own term; [] for a word that is no compound."""
    norm = normalise_word(word.strip())
    if not norm.isalpha() or len(norm) > qt.MAX_SUGGEST:      # no compound of minutes is longer
        return []
    whole = _one_term(norm)
    seen: set[tuple[str, str]] = set()
    out: list[q.Near] = []
    for first, second in compounds.apart(norm):
        pair = (_one_term(first), _one_term(second))
        if None in pair or whole in pair or pair in seen:
            continue
        seen.add(pair)          # type: ignore[arg-type]
        out.append(q.Near((first, second)))
        if len(out) == MAX_NEAR:
            break
    return out


def _joined(word: str) -> list[q.Term]:
    """A hyphenated word also written together (``e-mail`` -> ``email``; the index holds a hyphenated
    word's joined form too, so ``email`` already finds ``e-mail``)."""
    parts = [p for p in word.strip().split("-") if p]
    return [q.Term("".join(parts))] if len(parts) > 1 and not parts[0][0].isdigit() else []


def _term(node: q.Term, df: Callable[[str], int] | None) -> q.QueryNode:
    nears = near_readings(node.text)
    if nears and df is not None and df(node.text) >= NEAR_BELOW:
        nears = []
    alternatives = [q.Term(form) for form in vocabulary.others(node.text)] + _joined(node.text) + nears
    return q.AnyOf((node, *alternatives)) if alternatives else node


def explain(tree: q.AllOf, chain: str, doc_frequency: Callable[[str], int] | None = None) -> list[str]:
    """What the search makes of each typed word, in Danish, one line each (``arkiv search --explain``)."""
    lines = [f"Forespørgslen søges som: {q.to_string(expand(tree, chain, doc_frequency))}"]
    if chain != "danish":
        return lines
    for leaf, _ in q.walk(tree):
        if not isinstance(leaf, q.Term):
            continue
        terms = " ".join("/".join(g) for g in qt.groups(chain, qt.TEXT, leaf.text)) or "(intet: stopord)"
        lines.append(f"  {leaf.text}: søgeord {terms}")
        if is_name(leaf.text) and _one_term(leaf.text) is not None:
            lines.append(f'    et navn: punkter, der skriver det "{leaf.text}" eller "{leaf.text}s", først')
        forms = vocabulary.others(leaf.text)
        if forms:
            lines.append(f"    også {', '.join(forms)} (referaternes ordforråd)")
        nears = near_readings(leaf.text)
        if nears and doc_frequency is not None and doc_frequency(leaf.text) >= NEAR_BELOW:
            lines.append(f"    delene skrevet hver for sig søges ikke: ordet findes i mindst {NEAR_BELOW} punkter")
        elif nears:
            apart = ", ".join(" + ".join(n.words) for n in nears)
            lines.append(f"    også delene skrevet hver for sig, tæt på hinanden: {apart}")
    return lines
