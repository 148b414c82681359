"""Whose meeting it is: the body, as the document names itself.

A document says who met in several ways at once, each weak alone: a label ("Udvalg: …"), the
meeting's heading ("Referat af Fjordby Bylaugs generalforsamling", "Generalforsamling i
Grundejerforeningen Kløvermarken", "FBK-generalforsamlingen 2024", "Referat – stiftende
generalforsamling – Egeskov Vinlaug"), a name alone in large type at the top, the running header
of every page, the association's name in the text ("Grundejerforeningen Kløvermarken etape 2"),
an acronym and its expansion ("FSO's generalforsamling" under "Fynsk Sommerfugle Organisation").
Every such reading is a :class:`Candidate` with a score; readings of one body (same
``body_key``, one written short of the other, an acronym of the other) add up, and the group
with the highest score names the body in its fullest written form.  Generic words
("Bestyrelsen", "Udvalget") come from the meeting's kind only, as the last resort, and the
meeting's kind is never part of the name ("Fjordby Bylaug", not "Fjordby Bylaug Generalforsamling").
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from archive import lexicon
from archive.danish_dates import dates_in
from archive.extract.blocks import Block
from archive.parse.front import body_and_number, body_of_meeting_name, capitalised
from archive.parse.labels import label_value
from archive.parse.lines import text_size
from archive.text import clean_title, collapse_spaces, first_upper

_ROMAN = {"i": "1", "ii": "2", "iii": "3", "iv": "4", "v": "5", "vi": "6"}

# An association's kind, written short or long: "GF", "G/F", "Grundejerforeningen" are one word.
_ORG_KINDS = {"gf": "grundejerforening", "grundejerforeningen": "grundejerforening",
              "ef": "ejerforening", "ejerforeningen": "ejerforening",
              "ab": "andelsboligforening", "andelsboligforeningen": "andelsboligforening"}


def body_key(body: str) -> str:
    """What two spellings of one body share: "EJERFORENINGEN, Øresund Strandpark, Étape 2",
    "E/F Oresund Strandpark Etape II" (case, accents, æøå written as ae/oe/aa or a/o, punctuation,
    roman numbers, an association's kind written short or long)."""
    text = body.lower().replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"\b([gea])\s*/\s*([fb])\b", r"\1\2", text)           # "G/F" → "gf"
    text = re.sub(r"aa|ae", "a", text).replace("oe", "o")                   # "Oresund" = "Øresund"
    return " ".join(_ORG_KINDS.get(w, _ROMAN.get(w, w)) for w in re.findall(r"[a-z0-9]+", text))


def written_short(short: list[str], full: list[str]) -> bool:
    """``short`` is ``full`` with words left out: the same first word, the rest in order."""
    if not short or len(short) >= len(full) or short[0] != full[0]:
        return False
    rest = iter(full[1:])
    return all(word in rest for word in short[1:])


# Words that end the name of an organisation ("…foreningen", "…udvalget", "…gruppen").
_ORG_SUFFIX = re.compile(
    r"(?:forening|foreningen|udvalg|udvalget|råd|rådet|bestyrelse|bestyrelsen|selskab|selskabet|klub|klubben|"
    r"center|centret|centeret|kommune|region|laug|lauget|forbund|forbundet|gruppe|gruppen|forum|netværk|"
    r"sammenslutning|afdeling|afdelingen|værk|værket|pastorat|sogn|unionen|akademi|"
    r"institut|skole|skolen|fonden|kredsen|samvirke|teamet)$", re.IGNORECASE)
# Short words that name an organisation only as words of their own ("… Orientaler Ring", "Aarhus LUG").
_ORG_WORD = re.compile(r"^(?:ring|ringen|lug|team|fond|kreds|union|laug|klub|råd)$", re.IGNORECASE)
GENERIC_BODIES = {"grundejerforening", "grundejerforeningen", "ejerforening", "ejerforeningen", "bestyrelsen",
                  "bestyrelse", "udvalget", "udvalg", "rådet", "foreningen", "forening", "gruppen", "styregruppen", "generalforsamlingen", "generalforsamling", "referat", "dagsorden", "dokument",
                  "mødet", "møde", "lauget", "klubben", "afdelingen", "formandskabet", "ukendt mødeorgan"}
# The words of a meeting and of a document about one: never part of a body's name.
_MEETING = (r"(?:referat|referatet|dagsorden|dagsordenen|indkaldelse|mødereferat|beslutningsprotokol|"
            r"(?:ordinær|ekstraordinær|stiftende|årlig|konstituerende)(?:e|t)?|"
            r"generalforsamling(?:en)?|årsmøde(?:t)?|\w*møde(?:t|r|rne)?|repræsentantskabsmøde|afholdt|afholdes)")
_MEETING_WORD = re.compile(rf"\b{_MEETING}\b", re.IGNORECASE)
# "Referat af X generalforsamling", "Indkaldelse til generalforsamling i X", "møde i X".
_AFTER_MEETING = re.compile(r"\b(?:generalforsamling(?:en)?|årsmøde|(?!frem)\w*møde)\s+(?:i|for|hos)\s+(.+)$", re.IGNORECASE)
_GENITIVE = re.compile(r"(?:^|[\s(])([A-ZÆØÅ][\w&/.-]*(?:\s+[A-ZÆØÅ][\w&/.-]*){0,4}?)(?:['’`´]s|s)\s+"
                       r"(?i:(?:(?:ordinære?|ekstraordinære?|stiftende|årlige)\s+)?"
                       r"(?:generalforsamling|årsmøde|\w*møde))\b")
_HYPHENED = re.compile(r"(?:^|\s)([A-ZÆØÅ][\wÆØÅæøå&]*)-(?:generalforsamling(?:en)?|årsmøde(?:t)?|\w*møde(?:t)?)\b")
_BEFORE_KIND = re.compile(r"^(?:(?:referat|dagsorden|indkaldelse)\s+(?:af|fra|for|til)\s+)?"
                          r"(?:(?:det|den)\s+)?(?:\d{1,3}\.\s*)?([A-ZÆØÅ].*?)\s+(?:(?:ordinære?|ekstraordinære?|"
                          r"stiftende|årlige)\s+)?(?:generalforsamling(?:en)?|årsmøde|bestyrelsesmøde)\b", re.IGNORECASE)
_AFTER_KIND = re.compile(r"^(?:(?:ordinær|ekstraordinær|stiftende)e?\s+)?(?:generalforsamling|årsmøde)\s+"
                         r"(?!i\b|for\b|hos\b|den\b|d\.|afholdt|afholdes)(.+)$", re.IGNORECASE)
_DATE_TAIL = re.compile(r"[\s,.-]*(?:\b(?:man|tirs|ons|tors|fre|lør|søn)dag\b|\bden\b|\bd\.|\bkl\.|\d{1,2}[./-]|"
                        r"\b\d{4}\b).*$", re.IGNORECASE)
_PLACE_TAIL = re.compile(r"\s+(?:og\s+dagsorden(?:en)?|afholdt|afholdes|på|i\s+(?:[A-ZÆØÅ]\w+\s*)+$).*$")
_ADDRESS = re.compile(r"(?-i:\b\d{4}\s+[A-ZÆØÅ][a-zæøå]*(?:\s+[A-ZØ]{1,2})?$)|\btelefon\b|\btlf\b|@|www\.|https?:|\bcvr\b|\bpostboks\b|"
                      r"\b\w+(?:vej|gade|allé|alle|stræde|plads|boulevard)\s+\d+\b", re.IGNORECASE)
# A name's words: capitalised words and acronyms with the small words that join them.
_JOIN = {"og", "i", "for", "af", "på", "&", "-", "–", "de", "la", "the", "of", "and", "etape", "afd.", "ved"}
_LABELS = {"udvalg", "mødenavn", "forening", "organ", "råd", "bestyrelse", "forum", "gruppe", "møde", "mødeforum",
           "foreningens navn", "afsender"}
_MENTION = re.compile(r"\b((?i:(?:grundejer|ejer|andelsbolig|beboer|borger|idræts|sejl|gymnastik|bolig|antenne|"
                      r"vand|lokal|parcel|husejer|villa)?forening(?:en)?)|E/F|G/F|A/B)[ \t]+(?:for[ \t]+)?"
                      r"((?:[A-ZÆØÅ0-9][\w-]*(?:[ \t]+|$))+(?:etape[ \t]+\w+)?)", re.MULTILINE)


MIN_SUPPORT = 3.0
# Where a reading comes from (``Candidate.why``, shown by ``--explain``) where the rules ask.
OWNER = "mødets overskrift (ejefald)"       # "FSO's generalforsamling": then "… i Odense" is a place
HEADER_LINE = "navn i dokumentets hoved"
HEADING, HEADING_PIECE = "mødets overskrift", "del af mødets overskrift"
HEADING_PLACE, HEADING_NAME, TITLE = "mødets overskrift («… i X»)", "mødets overskrift («møde i …»)", "mødets titel"
# Readings from the document's head that gain when the text repeats the name.
_REPEATABLE = (HEADER_LINE, HEADING, HEADING_PIECE, OWNER, HEADING_PLACE, HEADING_NAME, TITLE)
FOLDER, FILE_NAME = "mappens navn", "filnavnet"
# Readings from outside the document: they support a body, but never spell it.
WEAK_SOURCES = (FOLDER, FILE_NAME)


@dataclass
class Candidate:
    name: str
    score: float
    why: str


def _clean(name: str) -> str:
    name = clean_title(re.sub(r"\([^()]*\)", "", name))
    name = _DATE_TAIL.sub("", name)
    name = _PLACE_TAIL.sub("", name)
    name = re.split(r"\.\s+(?=[A-ZÆØÅ])", name)[0]           # "… Strandpark. Bestyrelsesmøde": one sentence
    name = re.sub(r"(?<=[A-ZÆØÅ])['’`´]?s$", "", name.strip())         # "FSO’s" → "FSO"
    return collapse_spaces(name.strip(" ,.:;·-–|\"“”'’"))


def name_like(text: str) -> bool:
    """Capitalised words and acronyms, with the little words that join them; no date, address or
    meeting word; at most eight words."""
    words = text.split()
    if not words or len(words) > 8 or not re.search(r"[^\W\d_]{2}", text) or _MEETING_WORD.search(text) or _ADDRESS.search(text) or dates_in(text):
        return False
    if not re.match(r"[A-ZÆØÅ0-9]", words[0]) or words[0].lower() in _JOIN:
        return False              # "I SUNDBY SEJLFORENING": a place after its preposition
    if _ORG_SUFFIX.search(words[0].rstrip(",")) and len(words) > 1 and words[1].lower() in ("for", "af"):
        return True                # "Udvalget for plan, udvikling og kultur": its words after "for" are lower case
    caps = 0
    for word in words:
        if word.lower() in _JOIN or re.fullmatch(r"etape[-\s]?\w{1,3}", word.lower()):
            continue              # "Ejerforeningen, etape-2"
        if not re.match(r"[A-ZÆØÅ0-9]", word):
            return False
        caps += bool(re.search(r"[^\W\d_]", word))
    return caps >= 1 and text.casefold() not in GENERIC_BODIES


def _org(text: str) -> bool:
    return any(_ORG_SUFFIX.search(w.strip(",.")) or _ORG_WORD.match(w.strip(",.")) for w in text.split())


def _acronym(text: str) -> bool:
    return bool(re.fullmatch(r"[A-ZÆØÅ][A-ZÆØÅ0-9&-]{1,7}", text))


def _expands(acronym: str, name: str) -> bool:
    """"FSO" is an acronym of "Fynsk Sommerfugle Organisation", "NKC" of "Nordjysk Kampsportscenter":
    its first two letters begin the name's first two words, the rest follow in order."""
    letters = re.sub(r"[^a-zæøå]", "", acronym.lower())
    words = [w for w in name.lower().split() if w not in _JOIN]
    if len(letters) < 2 or len(words) < 2 or words[0][0] != letters[0] or words[1][0] != letters[1]:
        return False
    rest = iter(" ".join(words[1:])[1:])
    return all(ch in rest for ch in letters[2:])


def _heading_names(text: str) -> list[Candidate]:
    """The body a meeting's heading names."""
    text = collapse_spaces(re.sub(r"[\"”“„«»]", " ", text))
    found: list[Candidate] = []
    for m in _GENITIVE.finditer(text):
        name = m.group(1)
        name = re.sub(r"^(?:Referat|Dagsorden|Indkaldelse)\s+(?:af|fra|for|til)\s+", "", name)
        if name_like(name):
            found.append(Candidate(name, 5.0, OWNER))
    for m in _HYPHENED.finditer(text):
        if name_like(m.group(1)):
            found.append(Candidate(m.group(1), 5.0, HEADING))
    after = _AFTER_MEETING.search(text)
    if after:
        name = _clean(after.group(1))
        if name_like(name) and not found:
            found.append(Candidate(name, 5.0 if _org(name) else 3.0, HEADING_PLACE))
    for piece in re.split(r"\s+[-–|·]\s+", text):
        piece = piece.strip()
        kind = _BEFORE_KIND.match(piece) or _AFTER_KIND.match(piece)
        if kind:
            name = _clean(kind.group(1))
            if name_like(name):
                found.append(Candidate(name, 4.0, HEADING))
        elif piece != text and name_like(_clean(piece)):
            found.append(Candidate(_clean(piece), 4.0, HEADING_PIECE))
    return found


def candidates(blocks: list[Block], header: list[int], running: list[str], document_title: str,
               text: str, filled: frozenset[int] = frozenset(), title: str = "") -> list[Candidate]:
    """Every reading of the body in a document's header (``filled``: its blocks that are below the
    front matter, read for a short front), running header and text."""
    size = text_size(blocks)
    top = max((blocks[i].size for i in header[:8]), default=0.0)
    found: list[Candidate] = []
    for rank, i in enumerate(header[:12]):
        block = blocks[i]
        line = block.text.strip()
        label = label_value(line)
        if label and label[0] in _LABELS:
            name = body_of_meeting_name(_clean(label[1]))
            if name:
                found.append(Candidate(name, 6.0, f"feltet «{label[0]}»"))
            continue
        if label or (rank and _continues(blocks[header[rank - 1]], block)):
            continue              # "Dato: …", or the rest of a sentence that began on the line above
        if _MEETING_WORD.search(line) and (len(line.split()) <= 14 or block.bold):
            readings = _heading_names(line)
            found.extend(readings)
            named = _as_written(line)             # "6. møde i bestyrelsen for …": the whole name
            if named and not any(c.why == OWNER for c in readings):
                found.append(Candidate(named, 5.5, HEADING_NAME))
        for name in _mentions(line):
            found.append(Candidate(name, 4.0, "foreningens navn i dokumentets hoved"))
        pieces = re.split(r"\s+[·|]\s+|\s+[-–]\s+", line)
        if len(pieces) == 2 and _acronym(pieces[0].strip()) and _expands(pieces[0].strip(), _clean(pieces[1])):
            pieces.append(line)   # "VHG – Vester Hassing Gymnastik- & Idrætsforening": the name as written
        for piece in pieces:
            name = _clean(piece)
            if name_like(name) and (not _MEETING_WORD.search(piece)):
                if i in filled and not _org(name):
                    continue      # below the front matter (an item's text): only an organisation's name
                score = 2.0 + (1.0 if rank < 3 else 0.0) + (2.0 if _org(name) else 0.0)
                if line.isupper() and len(name.split()) >= 3 and not _org(name):
                    score -= 1.5          # a line in capitals: a notice ("TING OG SAGER I KÆLDEREN") as often as a name
                if block.bold or (size and block.size > size + 0.5):
                    score += 1.0
                if top and block.size == top and size and top > size + 0.5:
                    score += 1.0
                if size and block.size and block.size < size - 1.5:
                    score -= 2.0          # a letterhead's sender in small type, not the meeting's body
                if piece != line:
                    score -= 0.5
                if len(name.split()) == 1 and not (_org(name) or _acronym(name)):
                    score -= 1.0          # one word no dictionary knows ("Regerat", a slip) is seldom a name
                if _sender(blocks, header, rank):
                    score -= 3.0          # a letter's sender: a name over its address ("Odinsgade 7", "Telefon")
                found.append(Candidate(name, score, HEADER_LINE))
    for line in dict.fromkeys(running):
        name = _clean(line)
        if name_like(name) and not re.search(r"\bside\b", name, re.IGNORECASE):
            found.append(Candidate(name, 3.0 + (1.5 if _org(name) else 0.0), "sidehovedet"))
    if title:            # the front matter's title, its wrapped lines joined
        named = _as_written(title)
        if named and not any(c.why == OWNER for c in _heading_names(title)):
            found.append(Candidate(named, 5.5, TITLE))
    if document_title and name_like(_clean(document_title)):
        found.append(Candidate(_clean(document_title), 3.0, "dokumentets titel"))
    if document_title:
        for piece in re.split(r"\s+[-–|]\s+", document_title):
            for c in _heading_names(piece) if _MEETING_WORD.search(piece) else []:
                found.append(Candidate(c.name, c.score - 1.0, "dokumentets titel"))
    mentions: dict[str, int] = {}
    for name in _mentions(text[:200_000]):
        mentions[name] = mentions.get(name, 0) + 1
    for name, count in mentions.items():
        found.append(Candidate(name, 1.5 + 0.5 * min(count, 4), f"navngivet i teksten ({name})"))
    # A header's name that the text repeats is the body's name more surely than one it never repeats.
    folded = text.casefold()
    for c in found:
        if c.why in _REPEATABLE and _twice(folded, c.name.casefold()):
            c.score += 0.5
    return [c for c in found if c.name and c.name.casefold() not in GENERIC_BODIES and _proper(c.name)
            and not _ordinary_word(c.name) and "..." not in c.name and "…" not in c.name]


def _twice(text: str, word: str) -> bool:
    first = text.find(word)
    return first >= 0 and text.find(word, first + len(word)) >= 0


def _proper(name: str) -> bool:
    """The name has a word of its own besides kinds of organisation, "etape 2" and numbers
    ("Ejerforeningen, etape-2" names no one body: the folder or another reading must)."""
    words = [w for w in re.findall(r"[^\W\d_]+", name) if w.lower() not in _JOIN and w.lower() != "etape"]
    return any(not _kind_only(w) for w in words) or _acronym(name)


def _kind_only(word: str) -> bool:
    """A word that is a kind of organisation and no more: "Ejerforeningen", "Styregruppen", "Ring".
    A compound that names its own subject before the kind ("Mødesystemgruppen") is a name."""
    m = _ORG_SUFFIX.search(word)
    return bool((m and m.start() == 0) or _ORG_WORD.match(word) or body_key(word) in _ORG_KINDS.values()
                or word.casefold() in GENERIC_BODIES)


def _ordinary_word(name: str) -> bool:
    """One word of the language ("Året", "Der", "Godkendt"), not an organisation's word or an
    acronym: never a name alone (a name of one word is one no dictionary knows: "Kærlingehøje")."""
    return (len(name.split()) == 1 and not _org(name) and not _acronym(name)
            and lexicon.is_word(name.casefold()))


def _as_written(line: str) -> str:
    """The body a meeting's heading names after "møde i"/"generalforsamling i", where the text writes
    it as a name (capitalised, or a kind of organisation: "bestyrelsen for …"), not "i jeres …"."""
    if re.search(r"\bfremmød\w*\s+(?:i|hos)\s", line, re.IGNORECASE):
        return ""                 # "Fremmøde i Sundby Sejlforening": where they met, not who
    named, _ = body_and_number(line)
    named = _PLACE_TAIL.sub("", named).strip(" ,.")
    if not named or named.casefold() in GENERIC_BODIES:
        return ""
    at = line.casefold().find(named.casefold())
    written = line[at:at + len(named)] if at >= 0 else named
    return named if written[:1].isupper() or written[:1].isdigit() or _ORG_SUFFIX.search(written.split()[0]) else ""


def _mentions(text: str) -> list[str]:
    """Associations the text names: "grundejerforening for Kløvermarken etape 2" → "Grundejerforening
    Kløvermarken etape 2"."""
    found = []
    for m in _MENTION.finditer(text):
        words = m.group(2).split()
        while words and words[-1].lower() in _JOIN:
            words.pop()
        if words and name_like(" ".join(words)):
            found.append(first_upper(m.group(1)) + " " + " ".join(words))
    return found


def _sender(blocks: list[Block], header: list[int], rank: int) -> bool:
    """The header's line ``rank`` is a letter's sender: short lines below it reach an address
    ("Odinsgade 7", "8900 Randers C", "Telefon …") within four lines."""
    for j in header[rank + 1:rank + 5]:
        text = blocks[j].text
        if _ADDRESS.search(text) and len(text.split()) <= 6:
            return True
        if len(text.split()) > 6:
            return False
    return False


def _continues(previous: Block, block: Block) -> bool:
    """``block`` is the rest of a sentence the line above began (a prose line not ended)."""
    text = previous.text.rstrip()
    return len(text.split()) >= 8 and not text.endswith((".", ":", "!", "?")) and not block.gap


def _one_edit(a: str, b: str) -> bool:
    if abs(len(a) - len(b)) > 1:
        return False
    i = 0
    while i < min(len(a), len(b)) and a[i] == b[i]:
        i += 1
    return a[i + 1:] == b[i + 1:] or a[i + 1:] == b[i:] or a[i:] == b[i + 1:]


def _related(a: str, b: str) -> bool:
    ka, kb = body_key(a), body_key(b)
    if ka == kb or ka.replace(" ", "") == kb.replace(" ", ""):
        return True
    if min(len(ka), len(kb)) >= 12 and _one_edit(ka, kb):
        return True                # "Lindholdt" for "Lindholt": a slip of the pen
    wa, wb = ka.split(), kb.split()
    if written_short(wa, wb) or written_short(wb, wa):
        return True
    if (_acronym(a) and _expands(a, b)) or (_acronym(b) and _expands(b, a)):
        return True
    return kb in _dash_pieces(a) or ka in _dash_pieces(b)


def _dash_pieces(name: str) -> set[str]:
    """The keys of a name written "VHG – Vester Hassing …" piece by piece."""
    pieces = re.split(r"\s+[-–]\s+", name)
    return {body_key(p) for p in pieces} if len(pieces) > 1 else set()


def choose(found: list[Candidate]) -> tuple[str, float, str]:
    """The best-supported body (name, score, why) among the candidates; ("", 0, "") when none."""
    groups: list[list[Candidate]] = []
    for c in sorted(found, key=lambda c: -c.score):
        for group in groups:
            if any(_related(c.name, other.name) for other in group):
                group.append(c)
                break
        else:
            groups.append([c])
    if not groups:
        return "", 0.0, ""

    def support(group: list[Candidate]) -> float:
        # One reading per source counts: a name five times in the running header is one reading.
        best: dict[str, float] = {}
        for c in group:
            best[c.why] = max(best.get(c.why, 0.0), c.score)
        ordered = sorted(best.values(), reverse=True)
        return ordered[0] + 0.5 * sum(ordered[1:])

    group = max(groups, key=support)
    if support(group) < MIN_SUPPORT:
        return "", support(group), ""     # one weak reading (a line that merely looks like a name)
    # The fullest written form: not an acronym where the name is spelled out, the longest of the
    # strongest readings.
    written = [c for c in group if c.why not in WEAK_SOURCES] or group   # the document's own spelling
    spelled = ([c for c in written if not _acronym(c.name)] or [c for c in group if not _acronym(c.name)]
               or written)
    top = max(c.score for c in spelled)
    name = max((c for c in spelled if c.score >= top - 1.5), key=lambda c: (len(c.name.split()), c.score)).name
    return first_upper(capitalised(name)), support(group), "; ".join(dict.fromkeys(c.why for c in group))
