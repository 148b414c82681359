"""Whether a piece of text reads as a clause: it has a finite verb.

A heading names a subject ("Beretninger og valg til udvalg.", "Politiske fokusområder"); a sentence says
what happened ("Kontingentet forbliver uændret", "Mødet blev holdt ved Hans Jensen").
"""
from __future__ import annotations

import re

from archive import lexicon

# A clause says what happened ("Kontingentet forbliver uændret", "Regnskabet godkendes"): a verb in the present or past ("-er", "-es", "-ede", "-te") or one of the short ones.
_FINITE_VERB = re.compile(r"\b(?:(?i:er|var|blev|bliver|har|havde|kan|skal|vil|må|bør)|\w{3,}(?:er|es|ede|te))\b(?!\s*:)")


def has_finite_verb(text: str) -> bool:
    """Whether ``text`` has a verb in the present or past: a plural noun ends in "-er" too
    ("Politiske fokusområder" is a subtitle), so an "-er" word whose definite plural "-erne"
    the lexicon knows is no verb."""
    for m in _FINITE_VERB.finditer(text):
        word = m.group(0).casefold()
        if not word.endswith("er") or len(word) <= 4:
            return True
        forms = lexicon.paradigm(word)
        if forms is None or word + "ne" not in forms[1]:
            return True
    return False
