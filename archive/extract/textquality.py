"""Is a PDF page's text layer usable, or must the page be read by OCR?

A text layer can be missing (a scan), or present and wrong: a font without a
usable character map decodes to control characters or to letters that form no
words, and some producers put another character where every space belongs
("Referat!generalforsamling,!Tirsdag").  Each symptom is a number measured
here; ``assess`` turns them into a verdict.

The dictionary is the Danish lexicon (``archive.lexicon``, derived
from hunspell-da) plus the Snowball stop words, which cover the short function
words the lexicon leaves out; a compound of dictionary parts counts as a word.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from archive import lexicon

# Control characters other than tab, newline and form feed, and U+FFFD (undecodable).
CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f\ufffd]")
_WORD = re.compile(r"[^\W\d_]{2,}")
# A character between two letters where a space would stand: letter, c, letter.
_JOINED = re.compile(r"(?<=[^\W\d_])([^\w\s])(?=[^\W\d_])")
_SPACED = re.compile(r"(?<=[^\W\d_]) (?=[^\W\d_])")

# Thresholds, from the pages of ../shared/realworld/corpus (tests/test_textquality.py):
# good Danish pages have 0 control characters and 55–100 % dictionary words;
# the garbled ones 20–60 % control characters or under 15 % dictionary words.
MAX_CONTROL_SHARE = 0.05
MIN_DICTIONARY_SHARE = 0.35
MIN_WORDS = 8               # fewer words say too little to judge by the dictionary
MIN_JOINS = 8               # a space substitute must join at least this many word pairs


@dataclass(frozen=True)
class Quality:
    """What ``assess`` measured on one page's text layer."""
    letters: int                 # letters in the text
    control_share: float         # control characters / all non-whitespace characters
    words: int                   # words of two letters or more
    dictionary_share: float      # share of those words found in the Danish dictionary
    space_substitute: str        # the character standing where spaces belong, or ""
    verdict: str                 # "good", "empty" or "garbage"
    reason: str = ""             # why it is not good, for messages and tests


def control_share(text: str) -> float:
    visible = sum(1 for c in text if not c.isspace())
    return len(CONTROL.findall(text)) / visible if visible else 0.0


def space_substitute(text: str) -> str:
    """The one character that stands between words where spaces belong, or "".

    Measured as word joins: "a!b" counts for "!", "a b" for the space.  A
    character that joins more word pairs than real spaces do (and at least
    MIN_JOINS) is taken to be a space in disguise.
    """
    joins: dict[str, int] = {}
    for match in _JOINED.finditer(text):
        joins[match.group(1)] = joins.get(match.group(1), 0) + 1
    if not joins:
        return ""
    char, count = max(joins.items(), key=lambda kv: kv[1])
    spaces = len(_SPACED.findall(text))
    return char if count >= MIN_JOINS and count > 2 * spaces else ""


def restore_spaces(text: str, substitute: str) -> str:
    """Put spaces back where ``substitute`` stands for them."""
    return text.replace(substitute, " ") if substitute else text


@lru_cache(maxsize=100_000)
def is_danish_word(word: str) -> bool:
    """A word of the Danish dictionary (any inflected form) or a compound of its words."""
    w = lexicon.normal_form(word)
    return w in lexicon.STOPWORDS or lexicon.is_word(w) or lexicon.best_split(w) is not None


def dictionary_share(text: str) -> tuple[int, float]:
    """(words of two letters or more, share of them that are Danish words)."""
    words = _WORD.findall(text)
    if not words:
        return 0, 0.0
    return len(words), sum(1 for w in words if is_danish_word(w)) / len(words)


def assess(text: str) -> Quality:
    """Measure a page's text layer and say whether it can be used as it is.

    Text with a space substitute is judged after the spaces are restored, as
    the caller will use it that way (``restore_spaces``).
    """
    letters = sum(1 for c in text if c.isalpha())
    controls = control_share(text)
    substitute = space_substitute(text)
    words, share = dictionary_share(restore_spaces(text, substitute))
    if letters == 0 and controls == 0:
        verdict, reason = "empty", "ingen tekst"
    elif controls > MAX_CONTROL_SHARE:
        verdict, reason = "garbage", f"{controls:.0%} kontroltegn"
    elif words >= MIN_WORDS and share < MIN_DICTIONARY_SHARE:
        verdict, reason = "garbage", f"kun {share:.0%} danske ord"
    else:
        verdict, reason = "good", ""
    return Quality(letters, controls, words, share, substitute, verdict, reason)
