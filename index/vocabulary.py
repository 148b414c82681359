"""Minutes' own vocabulary: what minutes abbreviate or write two ways, applied at query time.

Each group holds forms that mean the same in minutes; a query word that analyses like one of them
(``generalforsamlingen`` like ``generalforsamling``) also matches the others (``GF``).  A form
with a slash (``E/F``) is two words to the analysis, so it matches as a phrase.  Only what minutes
use this way belongs here, each form tested in tests/test_vocabulary.py: a word that means
something else as often (``AB`` in a company's name, ``GF`` for a grundejerforening's name is
read by the parser, not here) would find the wrong items.
"""
from __future__ import annotations

from functools import cache

from index import query_terms as qt

GROUPS: tuple[tuple[str, ...], ...] = (
    ("generalforsamling", "GF"),
    ("eventuelt", "evt."),
    ("ejerforening", "E/F"),
    ("andelsboligforening", "A/B"),
    ("grundejerforening", "G/F"),
    ("bestyrelsesmøde", "bestyrelsesmødet"),
)


def _key(text: str) -> tuple[str, ...]:
    """A form as the index sees it: its terms, one per position (the first of each)."""
    return tuple(g[0] for g in qt.groups("danish", qt.TEXT, text))


@cache
def _by_key() -> dict[tuple[str, ...], tuple[str, ...]]:
    out: dict[tuple[str, ...], tuple[str, ...]] = {}
    for group in GROUPS:
        for form in group:
            out.setdefault(_key(form), group)
    return out


def others(word: str) -> tuple[str, ...]:
    """The group's other forms for a query word, as written in the list (none that analyses like
    the word itself); () for a word not in the list."""
    key = _key(word)
    if not key:
        return ()
    group = _by_key().get(key, ())
    return tuple(f for f in group if _key(f) != key)
