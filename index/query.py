"""The user's query language, parsed into an engine-neutral query tree.

Pure Python: no engine here.  An engine (``index.engine_tantivy``) turns the tree into
its own queries and runs the term text through the analysis chain.

Language (field-free)::

    budget skole            all words must match (AND)
    "lokalplan for havnen"  a phrase
    "cykelstier"            a quoted single word: that exact form, no stemming
    skole OR børnehave      either (OR binds tighter than the implicit AND)
    -budget  -"lukket punkt"  exclude
    klima*                  prefix (at least 4 characters before the ``*``)
    sag:EMN-2025-003383     the items of a case: a filter, not a word (:func:`take_filters`)

Bad syntax is never an error: an unbalanced quote, a dangling ``OR``, a lone
``-``, a stray ``*``, parentheses and the like are read as plain words (the
analyzer drops the punctuation).  :func:`parse_query` is total: it returns a
tree for every string.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator, Union

MIN_PREFIX = 4          # characters before "*" for a prefix query
MAX_CLAUSES = 64        # further clauses are ignored (bounds the engine query)


@dataclass(frozen=True)
class Term:
    """A word, matched through the full analysis chain (stemming, compounds)."""
    text: str


@dataclass(frozen=True)
class Exact:
    """A quoted single word: that exact (lowercased, normalised) form."""
    text: str


@dataclass(frozen=True)
class Phrase:
    words: tuple[str, ...]


@dataclass(frozen=True)
class Near:
    """Two words written apart near each other, in either order: a compound's parts
    (``vinduesudskiftning`` also as ``udskiftning af vinduer``).  Never typed: the engines
    add it (:mod:`index.query_expand`).  The words match when they stand 1 to ``window``
    positions apart (stopwords do not count), never at one position: that is a compound
    holding both parts (the index puts a compound's parts at its position), which is the
    compound itself, found by its own term, or another one (``hjemmepleje`` beside
    ``plejehjem``).  ``window`` is odd (an engine's sloppy phrase is symmetric about a
    middle).  ``weight`` scales its score, so that an item with the compound itself ranks
    above one with its parts."""
    words: tuple[str, str]
    window: int = 5
    weight: float = 0.15


@dataclass(frozen=True)
class Prefix:
    text: str           # without the "*"


@dataclass(frozen=True)
class AnyOf:
    """OR."""
    children: tuple["QueryNode", ...]


@dataclass(frozen=True)
class Not:
    child: "QueryNode"


@dataclass(frozen=True)
class AllOf:
    """AND; children may be :class:`Not`.  ``AllOf(())`` is the empty query.  ``prefer``: clauses
    that add to the score of what the children match without being required (typed words found
    near each other: :mod:`index.query_expand`)."""
    children: tuple["QueryNode", ...] = ()
    prefer: tuple["QueryNode", ...] = ()

    @property
    def is_empty(self) -> bool:
        return not self.children


QueryNode = Union[Term, Exact, Phrase, Near, Prefix, AnyOf, Not, AllOf]


# --------------------------------------------------------------------------- lexer
@dataclass
class _Tok:
    kind: str           # "word", "quoted", "or"
    text: str
    neg: bool = False


def _lex(s: str) -> list[_Tok]:
    toks: list[_Tok] = []
    i, n = 0, len(s)
    while i < n:
        c = s[i]
        if c.isspace():
            i += 1
            continue
        neg = False
        if c == "-" and i + 1 < n and not s[i + 1].isspace():
            neg = True
            i += 1
            c = s[i]
        if c == '"':
            end = s.find('"', i + 1)
            if end < 0:
                # Unbalanced quote: the rest is plain words.
                for w in s[i + 1:].split():
                    toks.append(_Tok("word", w))
                break
            toks.append(_Tok("quoted", s[i + 1:end], neg))
            i = end + 1
            continue
        j = i
        while j < n and not s[j].isspace() and s[j] != '"':
            j += 1
        word = s[i:j]
        i = j
        if word == "OR" and not neg:
            toks.append(_Tok("or", word))
        else:
            toks.append(_Tok("word", word, neg))
    return toks


# --------------------------------------------------------------------------- parser
def _word_node(text: str) -> QueryNode | None:
    if text.endswith("*"):
        stem = text.rstrip("*")
        if "*" not in stem and len(stem) >= MIN_PREFIX and any(ch.isalnum() for ch in stem):
            return Prefix(stem)
    text = text.replace("*", " ").strip()
    return Term(text) if text else None


def _node(tok: _Tok) -> QueryNode | None:
    if tok.kind == "quoted":
        words = tuple(tok.text.replace("*", " ").split())
        if not words:
            return None
        return Exact(words[0]) if len(words) == 1 else Phrase(words)
    return _word_node(tok.text)


def parse_query(s: str) -> AllOf:
    """Parse ``s``; never raises (non-strings are treated as empty)."""
    if not isinstance(s, str):
        return AllOf(())
    toks = _lex(s)
    if toks and all(t.kind == "or" for t in toks):
        # Only operators: search them as words.
        toks = [_Tok("word", t.text) for t in toks]

    # Group: clause (OR clause)*  where only positive clauses take part in OR.
    groups: list[tuple[bool, list[QueryNode]]] = []   # (negated, alternatives)
    pending_or = False
    for tok in toks:
        if tok.kind == "or":
            pending_or = bool(groups) and not groups[-1][0]
            continue
        leaf = _node(tok)
        if leaf is None:
            pending_or = False
            continue
        if tok.neg:
            groups.append((True, [leaf]))
        elif pending_or:
            groups[-1][1].append(leaf)
        else:
            groups.append((False, [leaf]))
        pending_or = False

    children: list[QueryNode] = []
    seen: set[QueryNode] = set()
    for negated, alts in groups[:MAX_CLAUSES]:
        uniq = tuple(dict.fromkeys(alts))
        node: QueryNode = uniq[0] if len(uniq) == 1 else AnyOf(uniq)
        if negated:
            node = Not(node)
        if node not in seen:
            seen.add(node)
            children.append(node)
    return AllOf(tuple(children))


# --------------------------------------------------------------------------- filters
# "name:value" words that are filters, not words to search: query name → request parameter.
FILTER_WORDS = {"sag": "case"}
_FILTER_WORD = re.compile(r'(?<!\S)(' + "|".join(FILTER_WORDS) + r'):(?:"([^"]+)"|(\S+))', re.IGNORECASE)


def take_filters(s: str) -> tuple[str, dict[str, list[str]]]:
    """The query without its filter words, and their values by request parameter:
    ``'budget sag:EMN-2025-1'`` → ``('budget', {'case': ['EMN-2025-1']})``.  A negated
    filter word (``-sag:…``) is not taken: it is searched as words to exclude."""
    if not isinstance(s, str):
        return "", {}
    found: dict[str, list[str]] = {}

    def take(m: re.Match[str]) -> str:
        value = (m.group(2) or m.group(3) or "").strip()
        if value:
            found.setdefault(FILTER_WORDS[m.group(1).lower()], []).append(value)
        return " "

    return _FILTER_WORD.sub(take, s).strip(), found


def parse_words(s: str) -> AllOf:
    """The tree of a query's words: its filter words (``sag:…``) are the request's filters instead."""
    return parse_query(take_filters(s)[0])


# --------------------------------------------------------------------------- helpers
def walk(node: QueryNode, negated: bool = False) -> Iterator[tuple[QueryNode, bool]]:
    """Yield (leaf, negated) for every leaf of the tree."""
    if isinstance(node, AllOf | AnyOf):
        for child in node.children:
            yield from walk(child, negated)
    elif isinstance(node, Not):
        yield from walk(node.child, not negated)
    else:
        yield node, negated


def positive_leaves(node: QueryNode) -> list[QueryNode]:
    return [leaf for leaf, neg in walk(node) if not neg]


def to_string(node: QueryNode) -> str:
    """Render a tree back into the query language (``parse_query`` of it gives the
    same tree; the suggestion rewrites the user's own text instead, see
    ``index.spelling.suggest``)."""
    if isinstance(node, Term):
        return node.text
    if isinstance(node, Exact):
        return f'"{node.text}"'
    if isinstance(node, Phrase):
        return '"' + " ".join(node.words) + '"'
    if isinstance(node, Prefix):
        return node.text + "*"
    if isinstance(node, Near):          # for reading only (``arkiv search --explain``): never typed
        return "NÆR(" + " ".join(node.words) + ")"
    if isinstance(node, Not):
        return "-" + to_string(node.child)
    if isinstance(node, AnyOf):
        return " OR ".join(to_string(c) for c in node.children)
    if isinstance(node, AllOf):
        return " ".join([to_string(c) for c in node.children] + [f"[{to_string(p)}]" for p in node.prefer])
    return ""
