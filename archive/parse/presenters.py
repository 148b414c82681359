"""Who presents an item, where its heading does not say: a name after a slash in the title, the chair
("Velkomst ved formanden"), or the person the item's minutes open with ("Ida Holm fremlagde regnskabet").

``known`` is the meeting's own list of people: the words of the participants' names and of the
attendance lines ("Jørgen Andersen (JA)" gives "Jørgen", "Andersen" and "JA").
"""
from __future__ import annotations

import re

from archive import lexicon
from archive.model import AgendaItem, Presenter
from archive.parse.verbs import has_finite_verb

# "Økonomi / René", "Historik /Jørgen Dam", "Fagfolk/Jørgen", "Nyt / Arne og Jørgen": a title and, after a
# slash, who presents it.
_NAME = r"[A-ZÆØÅ][a-zæøåéü]+(?:-[A-ZÆØÅ][a-zæøåéü]+)?"
_SLASH_PRESENTER = re.compile(r"(?P<space>\s*)/\s*(?P<names>" + _NAME + r"(?:\s+" + _NAME + r")?"
                              r"(?:\s*(?:,|og|&)\s*" + _NAME + r"(?:\s+" + _NAME + r")?)*)\s*$")
_BY_CHAIR = re.compile(r"\bved\s+(?:bestyrelses|udvalgs)?formand(?:en)?\b", re.IGNORECASE)


def slash_presenters(items: list[AgendaItem], known: set[str]) -> None:
    """Move presenters written after a slash out of the titles: where the names are the participants'
    (``known``: the words of their names; "Fagfolk/Jørgen"), or, in minutes that list nobody, where two
    titles or more end " / Name" (the minutes' convention).  "Køkken / Bad" stays a title.  Then the
    items still without presenters take those their minutes name (:func:`minutes_presenters`)."""
    found = {}
    for item in items:
        m = _SLASH_PRESENTER.search(item.title)
        if not item.presenters and m and m.start() > 0:
            found[id(item)] = (m, [n.strip() for n in re.split(r",|\bog\b|&", m.group("names"))])

    def is_known(names: list[str]) -> bool:
        return all(n.split()[0] in known for n in names)

    spaced = [f for f in found.values() if f[0].group("space")]
    convention = len(spaced) >= 2 and not known
    for item in items:
        if id(item) in found:
            m, names = found[id(item)]
            if (convention and m.group("space")) or is_known(names):
                item.title = item.title[:m.start()].rstrip()
                item.presenters = [Presenter(name=n) for n in names]
    for item in items:
        if not item.presenters:
            item.presenters = minutes_presenters(item.minutes, known)


def resolve_chair(items: list[AgendaItem], chair: Presenter | None) -> None:
    """"Velkomst ved formanden": the participant list names the chair."""
    if chair is None:
        return
    for item in items:
        if not item.presenters and _BY_CHAIR.search(item.title):
            item.presenters = [chair]


# -- the presenter the minutes name ------------------------------------------------------------------

# What a presenter does with an item: presents, goes through, reports, reads out, briefs, welcomes.
_PRESENTS = (r"(?:fremlagde|fremlægger|forelagde|forelægger|gennemgik|gennemgår|aflagde|aflægger|oplæste|"
             r"oplæser|orienterede|orienterer|informerede|informerer|præsenterede|præsenterer|redegjorde|"
             r"redegør|forklarede|motiverede|motiverer|bød\s+velkommen|byder\s+velkommen|berettede)")
# A role written before the name ("Kasserer Jakob Holm fremlagde …", "ved formand Ida Holm").
_ROLE = (r"(?:(?:bestyrelses|udvalgs|næst)?formand(?:en)?|kasserer(?:en)?|sekretær(?:en)?|revisor(?:en)?|"
         r"dirigent(?:en)?|referent(?:en)?|bestyrelsesmedlem|direktør(?:en)?|leder(?:en)?|projektleder|"
         r"jurist(?:en)?|konsulent(?:en)?|sagsbehandler(?:en)?|koordinator(?:en)?)")
_WORD = r"[A-ZÆØÅ][a-zæøåéüö]+(?:-[A-ZÆØÅ]?[a-zæøåéüö]+)*"
_CANDIDATE = r"(?P<name>" + _WORD + r"(?:\s+(?:[A-ZÆØÅ]\.\s+)?" + _WORD + r"){0,3}|[A-ZÆØÅ]{2,3})"
# "Jurist Ida Holm, Fjordby Kommune, gennemgik …": an apposition between the name and its verb.
_SUBJECT = re.compile(r"^(?:(?i:" + _ROLE + r")\s+)?" + _CANDIDATE + r"(?:,\s+[^,]{2,40},)?\s+(?:kort\s+)?(?i:"
                      + _PRESENTS + r")\b")
# "Stikord fra beretningen ved formand Ida Holm:", "Oplæg ved Ida Holm." – a presentation by someone whose
# name ends the line ("Mødet blev holdt ved Hans Jensen." says where, not who presented).
_BY = re.compile(r"(?i:oplæg|beretning|orientering|gennemgang|indlæg|præsentation|fremlæggelse|velkomst)\w*"
                 r"(?:\s+\S+){0,4}?\s+ved\s+(?:(?i:" + _ROLE + r")\s+)?" + _CANDIDATE + r"\s*[:.]?\s*$")
# Words that name a body, a group or a role, not a person ("Teknisk Forvaltning", "Grundejerforeningen Vest").
_NOT_PERSON = re.compile(r"(?:udvalg|udvalget|råd|rådet|forening|foreningen|bestyrelse|bestyrelsen|afdeling|"
                         r"afdelingen|center|centret|forvaltning|forvaltningen|kommune|kommunen|region|regionen|"
                         r"sekretariat|sekretariatet|gruppe|gruppen|klub|klubben|selskab|selskabet|styrelse|"
                         r"styrelsen|ministerium|ministeriet|direktion|direktionen|formand|formanden|kasserer|"
                         r"kassereren|revisor|revisoren|dirigent|dirigenten|panel|panelet|team|teamet)$",
                         re.IGNORECASE)


# Words that open a sentence before its verb ("Derefter gennemgik …", "Hun orienterede …"): no name.
_NOT_NAME = frozenset("""han hun vi de jeg man den det der her så derefter herefter dernæst endelig desuden også
alle ingen nogen denne dette disse flere mange begge samtidig afslutningsvis indledningsvis først sidst kort
efterfølgende til sidst""".split())


def _definite_noun(word: str) -> bool:
    """"Kassereren", "Udvalget", "Ledelsen": a noun in its definite form (a word of the lexicon with
    "-en", "-et" or "-n" added), who a role or a body is, not a given name ("Søren", "Jørgen", "Allan")."""
    low = word.lower()
    if low.endswith(("en", "et")) and len(low) >= 7 and lexicon.is_word(low[:-2]):
        return True
    return low.endswith("en") and len(low) >= 6 and lexicon.is_word(low[:-1])


def _person(name: str, known: set[str]) -> bool:
    """A name of two words or more that names no body; initials ("JA") only where the meeting's list
    of people holds them; one word where that list holds it or where it is no role, body or pronoun."""
    parts = name.split()
    if any(_NOT_PERSON.search(p) for p in parts):
        return False
    if len(parts) >= 2 or name in known:
        return True
    return not name.isupper() and name.lower() not in _NOT_NAME and not _definite_noun(name)


# "Fodbold ved Mona Henningsen.", "Kassererens beretning ved kasserer Bo Holm:": a sub-heading of an item
# that names who presents that part of it (a report per section under "Aflæggelse af beretninger").
_SUBHEAD_BY = re.compile(r"^(?P<subject>[^.:;!?]{2,60}?)\s+ved\s+(?:(?i:" + _ROLE + r")\s+)?" + _CANDIDATE
                         + r"\s*[:.]?\s*$")


def subheading_presenters(lines: list[str], known: set[str]) -> list[Presenter]:
    """Who the sub-headings of an item name as presenting its parts ("Fodbold ved Mona Henningsen.",
    "Gymnastik ved Ida Holm."), in order, each once.  ``lines`` are the item's heading-styled lines; a
    line with a finite verb is a sentence ("Mødet blev holdt ved Hans Jensen." says where), no heading."""
    found: list[Presenter] = []
    for line in lines:
        m = _SUBHEAD_BY.match(line.strip())
        if (m and not has_finite_verb(m.group("subject")) and _person(m.group("name"), known)
                and all(p.name != m.group("name") for p in found)):
            found.append(Presenter(name=m.group("name")))
    return found


def minutes_presenters(minutes: str, known: set[str]) -> list[Presenter]:
    """Who the first line of an item's minutes says presented it: "Ida Holm fremlagde regnskabet",
    "Kasserer Bo Holm gennemgik …", "JA informerede om …" (initials the attendance lists), "Stikord
    fra beretningen ved formand Ida Holm:".  Later lines are the item's discussion, not its presenter."""
    first = minutes.strip().split("\n", 1)[0].strip()
    first = re.sub(r"^[-•*]\s*", "", first)
    m = _SUBJECT.match(first) or _BY.search(first)
    if m and _person(m.group("name"), known):
        return [Presenter(name=m.group("name"))]
    return []
