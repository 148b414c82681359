"""An item's decision within its minutes, and what the decision records about members.

Where the decision is (in this order):

1. a part the document marks as the decision: "Beslutning(er)", "Beslutningsreferat",
   "Afgørelse", "Afstemning", "Konklusion" (archive.parse.parts collects it);
2. the minutes of an item that has a recommendation ("Indstilling", "Det indstilles"):
   the minutes are the body's answer to it;
3. otherwise the sentences of the minutes that record an outcome ("Bestyrelsen
   besluttede …", "Beretningen blev godkendt", "X blev genvalgt"); in a report item
   ("Formandens beretning") only those about the report, since a report retells
   decisions made elsewhere; in an election item a short minute that only names
   people ("Michael Eg"), or minutes that open with a name set apart ("Lis Holm – er …").

The proposal and the case text are never read.  From the decision come the members
who did not back it (:class:`Dissent`: "kunne ikke tiltræde", "stemte imod", "tog
forbehold", "undlod at stemme"), a vote's counts, and who was absent.
"""
from __future__ import annotations

import re
from typing import Iterable

from archive.model import AgendaItem, Dissent, Votes
from archive.parse.outcome import ONLY_NAMES, classify, sentence_outcomes, sentences
from archive.text import paragraphs

_REPORT_TITLE = re.compile(r"beretning", re.IGNORECASE)
_REPORT_WORD = re.compile(r"(?:beretning|regnskab)(?:en|et|er|erne)?(?![\wæøå])", re.IGNORECASE)
_ELECTION_TITLE = re.compile(r"^\W*(?:gen|ny)?valg\b|\bvalg\s+(?:af|til)\b", re.IGNORECASE)
_NAME = re.compile(r"\b[A-ZÆØÅ][a-zæøåéü]+(?:\s+[A-ZÆØÅ][a-zæøåéü.]*)+")
SHORT_MINUTE = 12            # words: an election minute that names people and says nothing else

# What a sentence of the decision says about members, and the kind of dissent it is.
_STANCES = [
    ("imod", re.compile(r"\s+(?:kunne|kan)\s+ikke\s+tiltræde\b.*$|\s+stemte\s+(?:imod|nej)\b.*$",
                        re.IGNORECASE)),
    ("forbehold", re.compile(r"\s+tog\s+(?:et\s+)?forbehold\b.*$", re.IGNORECASE)),
    ("undlod", re.compile(r"\s+(?:undlod\s+at\s+stemme|stemte\s+blankt)\b.*$", re.IGNORECASE)),
]
_AWAY = re.compile(r"\s+(?:var\s+forhindret|deltog\s+ikke|erklærede\s+sig\s+inhabil|var\s+inhabil|"
                   r"forlod\s+mødet)\b.*$", re.IGNORECASE)
_NO_ONE = frozenset({"følgende", "ingen", "alle", "der", "de", "nogen"})
_ABSENT_LINE = re.compile(r"^(?:Fraværende|Afbud)\s*:\s*(.+)$", re.IGNORECASE | re.MULTILINE)
_SUBJECT_LEAD = re.compile(r"^(?:[-•*]\s*|(?:Dog|Men|Herefter|Endvidere|Desuden)\s+)", re.IGNORECASE)
# A vote's counts: "For: 10" (labelled, read first) or "10 stemmer for".
_COUNT = {
    "in_favour": (r"\bfor\s*:\s*(\d+)", r"(?<![\w-])(\d+)\s+(?:stemmer\s+|stemte\s+)?for\b"),
    "against": (r"\bimod\s*:\s*(\d+)", r"(?<![\w-])(\d+)\s+(?:stemmer\s+|stemte\s+)?imod\b"),
    "abstained": (r"\b(?:blank[e]?|undlod|hverken\s+for\s+eller\s+imod)\s*:\s*(\d+)",
                  r"(?<![\w-])(\d+)\s+(?:stemmer\s+)?(?:blank[e]?|undlod)\b"),
}


def find_decision(minutes: str, title: str, marked: str = "", answers_recommendation: bool = False) -> str:
    """The decision of an item: ``marked`` (a decision part), else the minutes that answer a
    recommendation, else the minutes' sentences that record an outcome."""
    if marked.strip():
        return marked
    if answers_recommendation:
        return minutes
    return decision_sentences(minutes, title)


def decision_sentences(minutes: str, title: str) -> str:
    report = bool(_REPORT_TITLE.search(title))
    kept: list[str] = []
    for paragraph in paragraphs(minutes):
        chosen = [s for s in sentences(paragraph)
                  if sentence_outcomes(s) and (not report or _REPORT_WORD.search(s) or len(s.split()) <= 4)]
        if chosen:
            kept.append(" ".join(chosen))
    if not kept and _ELECTION_TITLE.search(title) and len(minutes.split()) <= SHORT_MINUTE \
            and (_NAME.search(minutes) or ONLY_NAMES.match(minutes)):
        return minutes
    if not kept and _ELECTION_TITLE.search(title):
        return _elected_lead(minutes)
    return "\n\n".join(kept)


# "Valg af dirigent" / "Lars Holm – er ikke medlem af bestyrelsen …": an election's minutes that open
# with a name set apart by a dash, a comma or a parenthesis name whom it chose, then go on about
# something else.  Not where the same line says the person declined ("modtager ikke genvalg").
_LEAD_NAME = re.compile(r"^[-•*]?\s*(?P<name>[A-ZÆØÅ][a-zæøåéü]+(?:-[A-ZÆØÅ]?[a-zæøåéü]+)?"
                        r"(?:\s+[A-ZÆØÅ][a-zæøåéü]+(?:-[A-ZÆØÅ]?[a-zæøåéü]+)?){1,3})\s*(?:[–—-]\s|,\s|\()")
_DECLINED = re.compile(r"\b(?:ikke|ingen)\b.{0,40}?(?:valg|vælg|opstill|kandidat)|"
                       r"\b(?:opstiller|modtager|ønsker|genopstiller)\s+ikke\b", re.IGNORECASE)


def _elected_lead(minutes: str) -> str:
    first = minutes.strip().split("\n", 1)[0]
    m = _LEAD_NAME.match(first)
    return m.group("name") if m and not _DECLINED.search(first) else ""


def _names(subject: str) -> list[str]:
    """"A, B og C" → three names, when each part looks like a name; else the subject as it is."""
    subject = re.split(r",?\s+(?:mens|men|hvorimod|medens)\s+|[(:;]", subject)[-1]
    subject = _SUBJECT_LEAD.sub("", subject.strip()).strip(" ,.")
    parts = [p.strip() for p in re.split(r",\s*|\s+og\s+", subject) if p.strip()]
    if len(parts) > 1 and all(len(p.split()) <= 4 and all(w[:1].isupper() for w in p.split()) for p in parts):
        return parts
    return [subject] if subject else []


def dissent(decision: str) -> list[Dissent]:
    """Who could not back the decision, voted against, took a reservation or abstained."""
    out: list[Dissent] = []
    for sentence in sentences(decision):
        for kind, pattern in _STANCES:
            m = pattern.search(sentence)
            if m and m.start() > 0:
                out += [Dissent(name, kind, sentence) for name in _names(sentence[:m.start()])]
                break
    return out


def absent(text: str) -> list[str]:
    """Members absent from the item: "Fraværende: A, B", "A var forhindret i at deltage",
    "A deltog ikke i sagens behandling"."""
    names: list[str] = []
    for line in _ABSENT_LINE.finditer(text):
        names += _names(line.group(1))
    for sentence in sentences(text):
        away = _AWAY.search(sentence)
        if away and away.start() > 0:
            names += _names(sentence[:away.start()])
    # "Følgende deltog ikke i behandlingen af punktet:" introduces a list (empty where nobody was away)
    return [n for n in dict.fromkeys(names) if n.casefold() not in _NO_ONE]


def votes(decision: str) -> Votes | None:
    """The vote's counts where the decision gives them; None when it gives no count."""
    found: dict[str, int] = {}
    for name, patterns in _COUNT.items():
        for pattern in patterns:
            m = re.search(pattern, decision, re.IGNORECASE)
            if m:
                found[name] = int(m.group(1))
                break
    if "in_favour" not in found and "against" not in found:
        return None
    return Votes(**found)


def decide(item: AgendaItem, marked: str = "", answers_recommendation: bool = False,
           absent_lines: Iterable[str] = ()) -> None:
    """Set an item's decision and what comes from it: outcomes, dissent, votes, who was absent."""
    item.decision = find_decision(item.minutes, item.title, marked, answers_recommendation)
    item.outcomes = classify(item.decision, item.title)
    item.dissent = dissent(item.decision)
    item.votes = votes(item.decision)
    item.absent = absent("\n".join([*absent_lines, item.decision]))
