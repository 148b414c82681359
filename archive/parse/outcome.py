"""What became of an agenda item, read from its decision (never from the proposal or case text).

``classify(decision, title)`` returns slugs in ``OUTCOMES`` order; an item can have
several ("tog orienteringen til efterretning, og godkendte at …").  The decision
is found by archive.parse.decision; this module only reads it, one sentence at a time.
Rules:

* A negated match does not count: "kunne ikke tiltræde", "blev ikke godkendt",
  "godkendte ikke".  A negation alone does not imply ``forkastet``.  "Besluttede
  ikke at …" is still a decision.
* What is not a decision of this meeting does not count either: a question
  ("Energidrikke blev vedtaget?"), a reason ("da forslaget blev nedstemt på
  generalforsamlingen"), what someone reports ("oplyste, at bestyrelsen har
  besluttet …"), what must still happen ("skal godkendes af …"), an adjective
  ("en godkendt ansøgning", "anbefalet brev"), a resignation ("trukket sig").
* ``orientering`` (the body was briefed) is only reported when nothing else
  was recorded: a briefing followed by a decision or a discussion is that
  decision or discussion.  Likewise ``ingen-bemaerkninger`` is for an item with
  no remarks and nothing else: "havde ingen bemærkninger, og regnskabet blev
  godkendt" is ``godkendt``.
* ``droeftet`` is only reported when the discussion did not end in a recorded
  decision: "drøftede sagen … besluttede at udsætte" is ``udsat``.
* A bare "besluttede" is a decision (``godkendt``) unless the text names what
  was decided in another way (udsat, forkastet, oversendt, trukket, valgt):
  "besluttede at udsætte" is ``udsat`` only.
* ``valgt``: an election ("blev genvalgt", "valgt med applaus", "Valg af referent:
  Marie").  In an item whose title is an election ("Valg af revisor"), an approval
  is the election ("Beslutningen vedtages enstemmigt") and a decision that only
  names people is one too ("Michael Eg").
* An item titled "Orientering …" whose decision records nothing else was a briefing.
* A consensus recorded as reached ("Der var enighed om …", "Enighed blandt de fremmødte") and consent
  ("opnåede samtykke") are agreements (``godkendt``); "Ingen konklusion" and "Diskussion vedr. …" are a
  discussion (``droeftet``).
* A title written as the record of what happened ("Årsregnskab 2016 blev godkendt.", "Revideret regnskab
  godkendt.") adds the decisions it records: some minutes write the outcome into the item's heading.
* "Der var ingen forslag" records that there was nothing to decide, so it is
  no outcome at all (not ``ingen-bemaerkninger``, which is for an item the
  body had no remarks to).  No recorded decision gives an empty list.
"""
from __future__ import annotations

import re

OUTCOMES: dict[str, str] = {
    "godkendt": "Godkendt",
    "valgt": "Valgt",
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
_ROLE = (r"(?:dirigent|referent|ordstyrer|formand|næstformand|kasserer|revisor(?:er)?|suppleant(?:er)?|"
         r"bestyrelse(?:smedlemmer)?)")

_PATTERNS: dict[str, list[str]] = {
    "godkendt": [
        r"godkend(?:t|te|tes|es|er|e)", r"vedtog", r"vedtage[st]?", r"vedtaget",
        # "Bestyrelsen vedtager et budget" (a case that "vedtager udviklingsplanen" decides nothing yet)
        r"(?:bestyrelsen|udvalget|\w*rådet|generalforsamlingen|forsamlingen|vi)\s+vedtager",
        r"tiltr(?:å|aa)dt(?:e)?", r"tiltr(?:æ|ae)de(?:r|s)?", r"besluttet",
        r"bevilge[ts]", r"bevilgede",
        r"(?:valgte|vælger|(?:har|have)\s+valgt)\s+at", r"(?:det|vi)\s+(?:blev\s+)?aftal(?:t|te|es|er)",
        # consent given at the meeting: "opnåede samtykke fra medlemmerne", "der er samtykke"
        r"(?:er|var|blev\s+givet|opnåede|fik|gav|gives)\s+(?:sit\s+|sin\s+|fuldt?\s+|enstemmigt\s+)?samtykke",
        r"samtykkede",
    ],
    "valgt": [
        r"(?:gen|ind)?valgt(?:e|es)?(?!\s+at" + _E + r")", r"nyvalgt(?:es)?", r"(?:gen)?vælges\s+(?:til|som)\s+" + _ROLE,
        r"modtog\s+genvalg", r"blev\s+genvalg",          # "Ninna og Vicki blev genvalg": a slip for "genvalgt"
        r"konstituerede\s+sig", r"konstitueret", r"konstitueres\s+(?:sig|til|som)", r"udpeget", r"udpegede",
        # "a) Valg af referent Marie": the sub-item names who was chosen (the name is capitalised)
        r"valg\s+af\s+" + _ROLE + r"\s*:?\s+(?-i:[A-ZÆØÅ])[\wæøå]*",
    ],
    "anbefalet": [r"anbefal(?:ede|es|et)(?!\s+brev" + _E + r")", r"(?:kan|kunne)\s+anbefale",
                  # "Indstilles til Byrådets godkendelse": the committee recommends it to the council
                  r"indstille[ts]\s+til\s+(?:\w+s\s+)?(?:godkendelse|vedtagelse|beslutning)"],
    "efterretning": [r"til\s+efterretning"],
    "droeftet": [
        r"dr(?:ø|oe)ft(?:et|ede|es|edes)", r"dr(?:ø|oe)ftelse(?:n)?",
        r"(?:havde|gav|kom\s+med)\s+(?:bl\.\s?a\.\s+)?(?:følgende\s+)?(?:input|kommentarer)",
        r"havde\s+(?:bl\.\s?a\.\s+)?følgende\s+bemærkninger",
        r"diskuter(?:et|ede|es|edes)", r"diskussion(?:en)?(?:\s+(?:om|af|vedr\.?|vedrørende|omkring))",
        # talked over and left without a conclusion: "Ingen konklusion", "Der blev ikke truffet nogen beslutning"
        r"ingen\s+(?:konklusion|beslutning)", r"(?:blev\s+)?ikke\s+truffet\s+(?:nogen\s+)?beslutning",
        r"debatter(?:et|ede)", r"(?:var|blev|fulgte)\s+(?:en\s+)?(?:\w+\s+)?debat",
    ],
    "orientering": [
        r"orienterede", r"orienterer", r"blev\s+orienteret", r"orienteret\s+om", r"orienteres", r"informerede",
        r"gav\s+en\s+(?:kort\s+)?orientering", r"til\s+orientering", r"præsenterede", r"fremlagde",
        r"blev\s+præsenteret", r"gennemgik", r"orientering\s+(?:ved|fra|v(?=/))",
    ],
    "udsat": [
        r"udsat(?:te)?", r"udsætte(?:s)?", r"udskudt", r"udskyde(?:s)?", r"skubbe[ts]",
        r"genoptage[st]", r"genoptaget",
        r"(?:behandles|drøftes|tages\s+op|besluttes|kommer)\s+(?:igen\s+)?(?:op\s+)?(?:på|til|ved)\s+"
        r"(?:dagsordenen\s+(?:til|på)\s+)?(?:en\s+|et\s+|det\s+)?(?:næste|kommende|senere|\w*møde)",
        # "Punktet bliver drøftet næste gang", "… kan vente til næste års generalforsamling"
        r"(?:drøftet|behandlet|taget\s+op)\s+(?:igen\s+)?(?:på\s+)?næste\s+(?:gang|møde)",
        r"(?:kan|må|skal)\s+vente\s+til",
    ],
    "forkastet": [
        r"forkast(?:et|ede|es)", r"nedstemt(?:e)?", r"afvist(?:e)?", r"afvise[s]", r"afviste",
    ],
    "oversendt": [
        r"oversend(?:t|te|es)", r"videresend(?:t|es)", r"sendes\s+videre\s+til",
        # "Fremsendes til Økonomiudvalget": a case sent on, not a document sent to someone
        r"^fremsend(?:es|t)\s+til", r"(?:sagen|forslaget|punktet|indstillingen)\s+(?:blev\s+|er\s+)?fremsend(?:es|t)\s+til",
    ],
    "trukket": [r"trukket(?!\s+sig" + _E + r")", r"punktet\s+udg(?:år|ik)", r"udgik", r"trækkes\s+tilbage"],
    "ingen-bemaerkninger": [
        r"ingen\s+(?:yderligere\s+)?(?:bemærkninger|kommentarer)", r"intet\s+at\s+bemærke",
        r"intet\s+til\s+referat",
    ],
}

# "besluttede" alone: a decision, but weaker than a decision that names its kind; so are an agreement
# ("blev aftalt", "blev enige om": agreeing at the meeting, not "er enige om", a view shared) and a date
# or a matter settled ("Datoen blev bestemt til …").
_CONSENSUS = r"(?:(?:bred|fuld|stor|total|almindelig)\s+)?enighed"
# So is a consensus recorded as reached ("Der var enighed om …", "Enighed blandt de fremmødte"), not a view
# that someone holds ("Enighed i bestyrelsen er vigtig").
_WEAK_GODKENDT = re.compile(_W + r"(?:besluttede|blev\s+aftalt|(?:blev|er\s+blevet|var\s+blevet)\s+enige\s+om|"
                            r"(?:blev|er)\s+(?:fast)?bestemt|"
                            r"(?:der\s+var|der\s+blev\s+opnået|(?:blev\s+)?opnåedes?)\s+" + _CONSENSUS
                            + r"\s+(?:om|blandt|i|omkring)|^[-•*]?\s*" + _CONSENSUS + r"\s+(?:om|blandt)"
                            r")" + _E, re.IGNORECASE | re.MULTILINE)
_NAMED_DECISIONS = ("valgt", "udsat", "forkastet", "oversendt", "trukket")
_DECISIONS = ("godkendt", "valgt", "anbefalet", "efterretning", "udsat", "forkastet", "oversendt", "trukket")

_COMPILED = {
    slug: re.compile(_W + "(?:" + "|".join(patterns) + ")" + _E, re.IGNORECASE | re.MULTILINE)
    for slug, patterns in _PATTERNS.items()
}
_NEGATION = re.compile(r"^(?:ikke|ej|aldrig|intet)$", re.IGNORECASE)     # "intet vedtages"
_NEGATION_WINDOW = 3             # negation words just before a match that negate it ("ikke", "ikke at")
# A clause that gives a reason or reports what someone said is not the meeting's decision.
_REASON = re.compile(r"^\s*(?:da|fordi|idet|eftersom|efter\s+at|selvom)\s", re.IGNORECASE)
_REPORTED = re.compile(r"\b(?:oplyste|oplyser|fortalte|forklarede|meddelte|berettede|orienterede|informerede)"
                       r"(?:\s+\w+){0,3}?,?\s+(?:om,?\s+)?at\b", re.IGNORECASE)
_MODAL = re.compile(r"\b(?:skal|skulle|bør|burde|vil|ville|må|kan|kunne)\s+(?:\w+\s+)?$", re.IGNORECASE)
_INFINITIVE = re.compile(r"^(?:godkende|godkendes|vedtage|vedtages)$", re.IGNORECASE)
_ARTICLE = re.compile(r"\b(?:en|et|den|det|de)\s+$", re.IGNORECASE)
_DECISION_VERB = re.compile(r"^beslut", re.IGNORECASE)
# A sentence ends at a full stop before a capital, and where a sub-item "b )" begins.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÆØÅ0-9\"“”«(])|\s+(?=[a-zæøå]\s?\)\s)")
_ELECTION_TITLE = re.compile(r"^\W*(?:gen|ny)?valg\b|\bvalg\s+(?:af|til)\b|^\W*konstituering", re.IGNORECASE)
_BRIEFING_TITLE = re.compile(r"^\W*orientering\b", re.IGNORECASE)
_NAME = re.compile(r"\b[A-ZÆØÅ][a-zæøåéü]+(?:\s+[A-ZÆØÅ][a-zæøåéü.]*)+")
# A minute that is nothing but first names ("Anna", "Lise og Bo"): who an election chose.
ONLY_NAMES = re.compile(r"^\s*[A-ZÆØÅ][a-zæøåéü-]+(?:\s*(?:,|og|&)\s*[A-ZÆØÅ][a-zæøåéü-]+)*\s*\.?\s*$")


def sentences(text: str) -> list[str]:
    """A decision's sentences: lines (bullets, paragraphs) split at sentence ends."""
    out: list[str] = []
    for line in text.split("\n"):
        out += [s.strip() for s in _SENTENCE_END.split(line) if s.strip()]
    return out


def _negated(text: str, start: int, end: int, slug: str) -> bool:
    if slug == "ingen-bemaerkninger":
        return False                       # the pattern is itself a negation
    window = text[max(0, start - 80):start]        # bounded: no quadratic scans on long texts
    clause = re.split(r"[.;:!?\n]", window)[-1]
    before = re.findall(r"[\wæøåÆØÅ]+", clause)[-_NEGATION_WINDOW:]
    after = [] if _DECISION_VERB.match(text[start:end]) else re.findall(r"[\wæøåÆØÅ]+", text[end:end + 12])[:1]
    return any(_NEGATION.match(w) for w in before + after)


def _not_this_decision(sentence: str, start: int, end: int, slug: str) -> bool:
    """A reason, a report, an obligation or an adjective: words of deciding that decide nothing here."""
    if slug in ("ingen-bemaerkninger", "orientering", "droeftet"):
        return False
    before = sentence[:start]
    clause = re.split(r"[,;:()–]", before)[-1]
    if _REASON.match(clause) or _REPORTED.search(before):
        return True
    word = sentence[start:end]
    if slug == "godkendt" and _INFINITIVE.match(word) and _MODAL.search(before):
        return True
    after = sentence[end:end + 20]
    # "en godkendt ansøgning", "den valgte bestyrelse": an adjective; "det godkendes af GF" is a passive
    # verb, never one
    return slug in ("godkendt", "valgt") and not word.lower().endswith("es") and bool(_ARTICLE.search(before)) \
        and bool(re.match(r"\s+[a-zæøå]", after))


def _matches(pattern: re.Pattern[str], sentence: str, slug: str) -> bool:
    return any(not _negated(sentence, m.start(), m.end(), slug)
               and not _not_this_decision(sentence, m.start(), m.end(), slug)
               for m in pattern.finditer(sentence))


def sentence_outcomes(sentence: str) -> set[str]:
    """The slugs one sentence records (before the rules that weigh them against each other)."""
    if not sentence or sentence.rstrip().endswith("?"):
        return set()
    found = {slug for slug, pattern in _COMPILED.items() if _matches(pattern, sentence, slug)}
    if _matches(_WEAK_GODKENDT, sentence, "godkendt"):
        found.add("besluttede")
    return found


# A title written as the record of what happened ("Årsregnskab 2016 blev godkendt.", "Revideret regnskab
# godkendt."): a finished clause, not a title that names what is to be decided ("Godkendelse af regnskab",
# "Forslag om at udsætte byggeriet").
_TITLE_RECORD = re.compile(
    _W + r"(?:blev|er\s+blevet)\s+(?:[\wæøå]+\s+){0,2}?(?:(?:gen|ind)?valgt|godkendt|vedtaget|forkastet|nedstemt|"
    r"udsat|taget\s+til\s+efterretning)" + _E
    + r"|" + _W + r"(?:godkendt|vedtaget|genvalgt|forkastet|nedstemt|udsat|taget\s+til\s+efterretning)\s*[.!]?\s*$",
    re.IGNORECASE)


def title_outcomes(title: str) -> set[str]:
    """The decisions a title records where the minutes wrote the outcome into the item's heading."""
    if not _TITLE_RECORD.search(title):
        return set()
    return {slug for slug in sentence_outcomes(title.strip()) if slug in _DECISIONS}


def classify(text: str, title: str = "") -> list[str]:
    """Outcome slugs for a decision text, in OUTCOMES order; ``title`` is the item's title."""
    recorded = title_outcomes(title)
    if not text or not text.strip():
        return [slug for slug in OUTCOMES if slug in recorded]
    found: set[str] = set(recorded)
    for sentence in sentences(text):
        found |= sentence_outcomes(sentence)
    weak = "besluttede" in found
    found.discard("besluttede")
    if weak and not any(s in found for s in _NAMED_DECISIONS):
        found.add("godkendt")
    if _ELECTION_TITLE.search(title):
        if "godkendt" in found:
            found = (found - {"godkendt"}) | {"valgt"}
        if not found and (_NAME.search(text) or ONLY_NAMES.match(text)):
            found.add("valgt")
    if not found and _BRIEFING_TITLE.search(title) and len(text.split()) >= 3:
        found.add("orientering")
    if any(s in found for s in _DECISIONS):
        found -= {"droeftet", "ingen-bemaerkninger"}
    if found - {"orientering"}:
        found.discard("orientering")
    return [slug for slug in OUTCOMES if slug in found]


def label(slug: str) -> str:
    """The Danish label for a slug; an unknown slug is returned as it is."""
    return OUTCOMES.get(slug, slug)
