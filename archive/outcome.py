"""What became of an agenda item, read from its minutes (never from the recommendation).

``classify`` returns slugs in ``OUTCOMES`` order; an item can have several
("tog orienteringen til efterretning, og godkendte at …").  Rules:

* A negated match does not count: "kunne ikke tiltræde", "blev ikke godkendt",
  "godkendte ikke".  A negation alone does not imply ``forkastet``.
* ``orientering`` (the body was briefed) is only reported when nothing else
  was recorded: a briefing followed by a decision or a discussion is that
  decision or discussion.
* ``droeftet`` is only reported when the discussion did not end in a recorded
  decision: "drøftede sagen … besluttede at udsætte" is ``udsat``.
* A bare "besluttede" is a decision (``godkendt``) unless the text names what
  was decided in another way (udsat, forkastet, oversendt, trukket):
  "besluttede at udsætte" is ``udsat`` only.
* "Der var ingen forslag" records that there was nothing to decide, so it is
  no outcome at all (not ``ingen-bemaerkninger``, which is for an item the
  body had no remarks to).  No recorded decision gives an empty list.
"""
from __future__ import annotations

import re

OUTCOMES: dict[str, str] = {
    "godkendt": "Godkendt",
    "anbefalet": "Anbefalet",
    "efterretning": "Taget til efterretning",
    "droeftet": "Drøftet",
    "orientering": "Orientering",
    "udsat": "Udsat",
    "forkastet": "Forkastet",
    "oversendt": "Oversendt",
    "trukket": "Trukket",
    "ingen-bemaerkninger": "Ingen bemærkninger",
}

_W = r"(?<![\wæøåÆØÅ])"      # word start (\b does not treat æøå consistently in all contexts)
_E = r"(?![\wæøåÆØÅ])"       # word end

_PATTERNS: dict[str, list[str]] = {
    "godkendt": [
        r"godkend(?:t|te|tes|es|er|e)", r"vedtog", r"vedtage[st]", r"vedtaget",
        r"tiltr(?:å|aa)dt(?:e)?", r"tiltr(?:æ|ae)de(?:r|s)?", r"besluttet",
        r"(?:gen|ny)?valgt(?:e)?", r"bevilge[ts]", r"bevilgede",
    ],
    "anbefalet": [r"anbefal(?:ede|es|et)", r"(?:kan|kunne)\s+anbefale"],
    "efterretning": [r"til\s+efterretning"],
    "droeftet": [
        r"dr(?:ø|oe)ft(?:et|ede|es|edes)", r"dr(?:ø|oe)ftelse(?:n)?",
        r"(?:havde|gav|kom\s+med)\s+(?:bl\.\s?a\.\s+)?(?:følgende\s+)?(?:input|kommentarer)",
        r"havde\s+(?:bl\.\s?a\.\s+)?følgende\s+bemærkninger",
    ],
    "orientering": [
        r"orienterede", r"blev\s+orienteret", r"orienteret\s+om", r"orienteres",
        r"gav\s+en\s+(?:kort\s+)?orientering", r"til\s+orientering", r"præsenterede", r"fremlagde",
    ],
    "udsat": [
        r"udsat(?:te)?", r"udsætte(?:s)?", r"udskudt", r"udskyde(?:s)?", r"skubbe[ts]",
        r"genoptage[st]", r"genoptaget",
    ],
    "forkastet": [
        r"forkast(?:et|ede|es)", r"nedstemt(?:e)?", r"afvist(?:e)?", r"afvise[s]", r"afviste",
    ],
    "oversendt": [
        r"oversend(?:t|te|es)", r"fremsendes\s+til", r"fremsendt\s+til", r"videresend(?:t|es)",
        r"sendes\s+videre\s+til",
    ],
    "trukket": [r"trukket", r"punktet\s+udg(?:år|ik)", r"udgik"],
    "ingen-bemaerkninger": [
        r"ingen\s+(?:yderligere\s+)?(?:bemærkninger|kommentarer)", r"intet\s+at\s+bemærke",
        r"intet\s+til\s+referat",
    ],
}

# "besluttede" alone: a decision, but weaker than a decision that names its kind.
_WEAK_GODKENDT = re.compile(_W + r"besluttede" + _E, re.IGNORECASE)
_NAMED_DECISIONS = ("udsat", "forkastet", "oversendt", "trukket")
_DECISIONS = ("godkendt", "anbefalet", "efterretning", "udsat", "forkastet", "oversendt", "trukket")

_COMPILED = {
    slug: re.compile(_W + "(?:" + "|".join(patterns) + ")" + _E, re.IGNORECASE)
    for slug, patterns in _PATTERNS.items()
}
_NEGATION = re.compile(r"^(?:ikke|ej|aldrig)$", re.IGNORECASE)
# Negation words that, just before a match, negate it ("ikke", "ikke at").
_NEGATION_WINDOW = 3


def _negated(text: str, start: int, end: int, slug: str) -> bool:
    if slug == "ingen-bemaerkninger":
        return False                       # the pattern is itself a negation
    window = text[max(0, start - 80):start]        # bounded: no quadratic scans on long texts
    clause = re.split(r"[.;:!?\n]", window)[-1]
    before = re.findall(r"[\wæøåÆØÅ]+", clause)[-_NEGATION_WINDOW:]
    after = re.findall(r"[\wæøåÆØÅ]+", text[end:end + 12])[:1]
    return any(_NEGATION.match(w) for w in before + after)


def _matches(pattern: re.Pattern[str], text: str, slug: str) -> bool:
    return any(not _negated(text, m.start(), m.end(), slug) for m in pattern.finditer(text))


def classify(text: str) -> list[str]:
    """Outcome slugs for a decision/minutes text, in OUTCOMES order."""
    if not text or not text.strip():
        return []
    found = {slug for slug, pattern in _COMPILED.items() if _matches(pattern, text, slug)}
    if not any(s in found for s in _NAMED_DECISIONS) and _matches(_WEAK_GODKENDT, text, "godkendt"):
        found.add("godkendt")
    if any(s in found for s in _DECISIONS):
        found.discard("droeftet")
    if found - {"orientering"}:
        found.discard("orientering")
    return [slug for slug in OUTCOMES if slug in found]


def label(slug: str) -> str:
    """The Danish label for a slug; an unknown slug is returned as it is."""
    return OUTCOMES.get(slug, slug)
