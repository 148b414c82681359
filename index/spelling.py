"""'Did you mean': a better-attested spelling of a query's words, with what each finds.

Two cases (issue 21):

- the query finds (almost) nothing: any spelling an edit or two away that finds more
  (``cykelstir`` -> ``cykelstier``), as before;
- the query finds something, but a typed word is no Danish word and a dictionary word an edit
  or two away finds at least ``FAR_MORE`` times its items (``kontigent``, 11 items, beside
  ``kontingent``, 80): that spelling is offered and the search includes it, with a notice.
  Never for a word typed with a capital (a name, an abbreviation), a word the lexicon knows
  (its names included: ``Mette``, ``Hansen``) or a quoted word (an exact form is meant).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from archive import lexicon
from index import query as q
from index.analysis import normalise_word
from index.model import SearchRequest

if TYPE_CHECKING:
    from index.engine_api import SearchEngine

SUGGEST_BELOW = 2            # the first case: queries with fewer hits than this
SUGGEST_WORDS = 8            # ... and a query's first words only (each costs a term-list walk)
FAR_MORE = 3.0               # the second case: a spelling found in this many times the typed word's items


@dataclass(frozen=True)
class Spelling:
    """A suggestion: the whole query rewritten (``query``), what it finds (``total``), the words
    replaced (typed, better) and whether the search's results include it (the second case)."""
    query: str
    total: int
    words: tuple[tuple[str, str], ...]
    included: bool = False


def dictionary_word(word: str) -> bool:
    """A word the lexicon knows, or a compound of such words."""
    w = normalise_word(word)
    return lexicon.is_word(w) or bool(lexicon.best_split(w))


def _typo_like(word: str) -> bool:
    """Whether a typed word that finds something may still be a slip: written in lower case and
    unknown to the lexicon (which holds Danish names too)."""
    return word == word.lower() and word.isalpha() and not dictionary_word(word)


def _rewrite(text: str, typed: str, better: str) -> str | None:
    pattern = re.compile(r"(?<![\w*\"-])" + re.escape(typed) + r"(?![\w*])")
    new, n = pattern.subn(better.replace("\\", "\\\\"), text, count=1)
    return new if n else None


def _words(tree: q.AllOf) -> list[q.Term]:
    return [leaf for leaf in q.positive_leaves(tree) if isinstance(leaf, q.Term)][:SUGGEST_WORDS]


def _count(engine: SearchEngine, request: SearchRequest, query: str) -> int:
    found = engine.search(q.parse_words(query), request.filters, limit=0, facets=(), snippets=False,
                          private=request.private)
    return found.total


def suggest(engine: SearchEngine, request: SearchRequest, tree: q.AllOf, total: int) -> Spelling | None:
    """The suggestion for a query that found ``total`` items, or None.

    Only a suggestion that finds something for this viewer: the spelling dictionary is the
    whole index, and a word found only in an internal meeting must not be offered to anyone
    who may not see it (archive.visibility; ``web.access.guard_response`` checks each word)."""
    if not request.q:
        return None
    few = total < SUGGEST_BELOW
    # The second case is arkiv's Danish chain's; the Lucene-style baseline (arkiv evaluate) keeps its words.
    danish = getattr(engine, "chain", "danish") == "danish"
    out, words = request.q, []
    for leaf in _words(tree):
        if few:
            better = engine.suggest(leaf.text)
        elif danish and _typo_like(leaf.text):
            better = engine.suggest(leaf.text, ratio=FAR_MORE, accept=dictionary_word)
        else:
            continue
        if better and better != leaf.text.lower():
            new = _rewrite(out, leaf.text, better)
            if new is not None:
                out = new
                words.append((leaf.text, better))
    if not words:
        return None
    found = _count(engine, request, out)
    return Spelling(out, found, tuple(words), included=not few) if found else None


def typed_only(query: str, words: tuple[tuple[str, str], ...]) -> str:
    """The query with each replaced word quoted: its exact form, which is never re-spelled (the
    second case's "search only for what I typed")."""
    for typed, _ in words:
        query = _rewrite(query, typed, f'"{typed}"') or query
    return query


def including(tree: q.AllOf, words: tuple[tuple[str, str], ...]) -> q.AllOf:
    """``tree`` with each typed word OR'ed with its better spelling (the second case's search)."""
    better = dict(words)

    def node(n: q.QueryNode) -> q.QueryNode:
        if isinstance(n, q.Term) and n.text in better:
            return q.AnyOf((n, q.Term(better[n.text])))
        if isinstance(n, q.AllOf):
            return q.AllOf(tuple(node(c) for c in n.children))
        if isinstance(n, q.AnyOf):
            return q.AnyOf(tuple(node(c) for c in n.children))
        return n

    out = node(tree)
    return out if isinstance(out, q.AllOf) else q.AllOf((out,))
