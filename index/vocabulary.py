"""Minutes' own vocabulary: what minutes abbreviate or write two ways, applied at query time.

Each group holds forms that mean the same in minutes; a query word that analyses like one of them
(``ejerforeningen`` like ``ejerforening``) also matches the others (``E/F``).  A form with a slash
(``E/F``) is two words to the analysis, so it matches as a phrase.  A short form that stands for
several words (``SHORT``: ``GF`` is a generalforsamling in some minutes and, in most of the real
ones read for issue 21, a grundejerforening) finds each of them, but those words do not find it:
``generalforsamling`` must not bring every "Nyt fra GF" of a grundejerforening.  Only what minutes
use this way belongs here, each form tested in tests/test_vocabulary.py (``AB`` alone is too often a
company's name).
"""
from __future__ import annotations

from functools import cache

from index import query_terms as qt

GROUPS: tuple[tuple[str, ...], ...] = (
    ("eventuelt", "evt."),
    ("ejerforening", "E/F"),
    ("andelsboligforening", "A/B"),
    ("grundejerforening", "G/F"),
    ("bestyrelsesmøde", "bestyrelsesmødet"),      # the analysis makes them one already; held by the test
)
SHORT: dict[str, tuple[str, ...]] = {
    "GF": ("generalforsamling", "grundejerforening"),
}


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
    short = next((words for form, words in SHORT.items() if _key(form) == key), ())
    group = _by_key().get(key, ())
    return tuple(dict.fromkeys(f for f in (*group, *short) if _key(f) != key))
