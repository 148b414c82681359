"""The front matter: the meeting's title, body, number, date, times, place and attendance.

Everything in the front matter that none of these takes stays in the
meeting's preamble, so no line is lost.

The date is archive.parse.meeting_date's.
"""
from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field

from archive.danish_dates import dates_in, find_time_range
from archive.extract.blocks import HEADING, LIST_ITEM, Block
from archive.model import Person
from archive.numbering import numbering
from archive.parse.labels import label_value
from archive.parse.meeting_date import MEETING_WORDS, NEXT_MEETING, choose_date
from archive.parse.people import parse_people, parse_person
from archive.text import clean_title, collapse_spaces, first_upper, strip_markdown_inline

_PLACE_LABELS = {"sted", "mødested", "adresse", "lokale", "lokation", "mødelokale"}
_PRESENT = re.compile(r"^(?:til\s*stede(?:\s+var)?|tilstedeværende|deltagere|mødedeltagere|fremmødte|deltog|"
                      r"deltager|fra\s+bestyrelsen|fra\s+udvalget)\b", re.IGNORECASE)
_ABSENT = re.compile(r"^(?:afbud|fraværende|fravær|ikke\s+til\s+stede|forfald)\b", re.IGNORECASE)
_STAFF = re.compile(r"^(?:referent|ref\.|sekretariat\w*|fra\s+\S+\s+sekretariat\w*|fra\s+sekretariatet|"
                    r"mødeleder|ordstyrer|dirigent)\b", re.IGNORECASE)
_OTHER_PEOPLE = re.compile(r"^(?:faciliteret\s+af|gæster|observatører|evt\.\s+observers|fordeling|kopi\s+til)\b",
                           re.IGNORECASE)
DOC_WORDS = {"referat", "dagsorden", "dagsorden og referat", "mødereferat", "beslutningsprotokol",
             "referat og dagsorden", "referat:"}
_ORG = re.compile(r"(?:forening|foreningen|udvalg|udvalget|råd|rådet|fagråd|bestyrelse|bestyrelsen|selskab|"
                  r"klub|klubben|center|centret|centeret|kommune|region|laug|lauget|forbund|styregruppe|"
                  r"gruppe|forum|netværk|sammenslutning|menighedsråd|afdeling|lug|etape|værk|værket|"
                  r"pastorat|sogn)\b", re.IGNORECASE)
# The body a meeting's kind names when the document names no other: "Referat af menighedsrådsmøde" is
# the parish council's, "Ældrerådets møde" the council for the elderly's, "bestyrelsesmøde" the board's.
_KIND_NOUNS = {"råd": "rådet", "bestyrelse": "bestyrelsen", "gruppe": "gruppen", "udvalg": "udvalget",
               "skab": "skabet", "laug": "lauget", "forum": "forummet", "forening": "foreningen"}
_KIND_MEETING = re.compile(r"\b(\w*?(?:" + "|".join(_KIND_NOUNS) + r"))s?møde(?:t|r|rne)?\b", re.IGNORECASE)
_KIND_GENITIVE = re.compile(r"\b(\w*(?:" + "|".join(_KIND_NOUNS.values()) + r"))s\s+(?:\w+\s+)?møde\b",
                            re.IGNORECASE)

# "6. møde i bestyrelsen for …", "Referat af 3. møde i Fjordby Ældreråd", "Dagsorden for bestyrelsesmøde i X"
_NUMBERED_MEETING = re.compile(
    r"^(?:(?:referat|dagsorden)\s+(?:af|fra|for)\s+)?(?:det\s+)?(?:(\d{1,3})\.\s*)?"
    r"(?:ordinære?\s+|ekstraordinære?\s+)?(?:møde|bestyrelsesmøde|udvalgsmøde|styregruppemøde)\s+(?:i|for|hos)\s+(.+)$",
    re.IGNORECASE)
_ASSEMBLY = re.compile(r"generalforsamling\s+(?:i|for|hos)\s+(.+?)\s*$", re.IGNORECASE)
_DATE_TAIL = re.compile(r"[\s,.-]*(?:(?:man|tirs|ons|tors|fre|lør|søn)dag\s+)?(?:den\s+|d\.?\s*)?\d{1,2}[./].*$",
                        re.IGNORECASE)
_QUOTES = re.compile(r"[\"”“„«»]")


@dataclass
class Front:
    """What the front matter says, and which blocks each fact used."""
    title: str = ""
    kind_body: str = ""            # the body the meeting's kind names ("Menighedsrådet"): weaker than a name
    number: str = ""
    date: dt.date | None = None
    start: str = ""
    end: str = ""
    location: str = ""
    participants: list[Person] = field(default_factory=list)
    secretariat: list[Person] = field(default_factory=list)
    absent: list[Person] = field(default_factory=list)
    attendance: list[int] = field(default_factory=list)   # block indexes
    title_blocks: list[int] = field(default_factory=list)
    location_blocks: list[int] = field(default_factory=list)
    date_reason: str = ""


def _doc_word(text: str) -> bool:
    return clean_title(text).lower().rstrip(":") in DOC_WORDS


# -- title, body, number -------------------------------------------------------------------
def _title(blocks: list[Block], front: list[int]) -> list[int]:
    """The blocks of the document's own title: the first heading, bold or large line (wrapped lines joined)."""
    sizes = [blocks[i].size for i in front if blocks[i].size]
    big = max(sizes) if sizes else 0.0
    eligible = [i for i in front if not (_doc_word(blocks[i].text) or label_value(blocks[i].text)
                                         or blocks[i].kind == LIST_ITEM)][:12]
    if not eligible:
        return []
    start = next((i for i in eligible if blocks[i].kind == HEADING), None)
    if start is None:
        start = next((i for i in eligible if blocks[i].bold or (big and blocks[i].size == big
                                                                  and len(set(sizes)) > 1)), eligible[0])
    chosen = [start]
    for i in front[front.index(start) + 1:]:
        block = blocks[i]
        if block.gap or block.kind != blocks[start].kind or label_value(block.text) or _doc_word(block.text):
            break
        if dates_in(block.text) or re.match(r"^(?:Dato|Tid|Sted)\b", block.text):
            break
        if blocks[start].kind == HEADING and block.kind == HEADING:
            break
        if blocks[start].text.rstrip().endswith((".", ":")) or len(chosen) >= 3:
            break
        if block.bold != blocks[start].bold or abs(block.size - blocks[start].size) > 0.6:
            break
        chosen.append(i)
    return chosen


def body_and_number(title: str) -> tuple[str, str]:
    """(body, meeting number) from a title, when the title names the body."""
    title = collapse_spaces(_QUOTES.sub(" ", title))
    m = _NUMBERED_MEETING.match(title)
    if m:
        return capitalised(first_upper(_DATE_TAIL.sub("", m.group(2)).strip(" ."))), m.group(1) or ""
    m = _ASSEMBLY.search(title)
    if m:
        return capitalised(first_upper(_DATE_TAIL.sub("", m.group(1)).strip(" ."))), ""
    return "", ""


def org_name(text: str) -> str:
    """A line or title piece that names an organisation, without document words and dates."""
    text = clean_title(re.sub(r"\([^()]*\)", "", text))
    text = _DATE_TAIL.sub("", text).strip(" ,.-–")
    if (not text or not _ORG.search(text) or len(text.split()) > 10 or MEETING_WORDS.match(text)
            or re.search(r"\blogo$", text, re.IGNORECASE)      # a logo's alt text, not a heading
            or text[0].islower() or _ROLE_NAME.match(text)):   # a clause's tail; a member's role and name
        return ""
    return capitalised(text)


_CAPS_RUN = re.compile(r"\b[^\W\d_a-zæøå]{2,}(?:[\s-]+[^\W\d_a-zæøå]{2,})+\b")


def capitalised(name: str) -> str:
    """A name written in capitals ("HOVE VANDVÆRK", "Grundejerforeningen ALSLEV NORD") as a name is
    written ("Hove Vandværk", "Grundejerforeningen Alslev Nord"): two or more words in capitals
    in a row; one alone is an acronym ("KFUM", "IMADA Fagråd"), and so is a word of two letters ("GF")."""
    return _CAPS_RUN.sub(lambda run: re.sub(r"[^\W\d_]{3,}", lambda m: m.group(0).capitalize(), run.group(0)), name)


def body_of_meeting_name(name: str) -> str:
    """The body in a meeting's name: "OS2borgerpc styregruppemøde" → "OS2borgerpc styregruppe" (a name
    that ends in its kind of meeting, after the words that say whose)."""
    words = name.split()
    m = _KIND_MEETING.fullmatch(words[-1]) if len(words) >= 2 else None
    return " ".join([*words[:-1], m.group(1)]) if m else name


def body_from_kind(text: str) -> str:
    """The body a meeting's kind names: "Referat af Menighedsrådsmøde d. 5. maj" → "Menighedsrådet"."""
    m = _KIND_GENITIVE.search(text)
    if m:
        return first_upper(m.group(1).lower())
    m = _KIND_MEETING.search(text)
    if not m:
        return ""
    stem = m.group(1).lower()
    noun = next(n for n in sorted(_KIND_NOUNS, key=len, reverse=True) if stem.endswith(n))
    return first_upper(stem[: len(stem) - len(noun)] + _KIND_NOUNS[noun])


def body_from_file_name(stem: str) -> str:
    """The body a file name's meeting kind names, its letters written without æøå:
    "menighedsradsmode ekstraordinaer" → "Menighedsrådet", "bestyrelsesmoede" → "Bestyrelsen"."""
    stem = re.sub(r"(?<=\w)(?:moede|mode)\b", "møde", stem.lower())
    return body_from_kind(re.sub(r"r(?:aa|a)d(?=s?møde)", "råd", stem))


# A body the minutes speak of by its kind: "Menighedsrådets indstilling", "bestyrelsen besluttede".
_KIND_IN_TEXT = re.compile(r"\b(\w*(?:rådet|bestyrelsen|udvalget|lauget|foreningen))s?\b", re.IGNORECASE)


def body_from_text(text: str) -> str:
    """The body the minutes speak of most often by its kind, twice at least ("Menighedsrådets
    indstilling … menighedsrådets ønske" → "Menighedsrådet"): a last resort, when no line names one."""
    best = Counter(m.group(1).lower() for m in _KIND_IN_TEXT.finditer(text)).most_common(1)
    return first_upper(best[0][0]) if best and best[0][1] >= 2 else ""


# Folder names that say what a folder holds, not whose it is.
_GENERIC_FOLDERS = re.compile(r"^(?:referat(?:er)?|møde ?referat(?:er)?|dagsorden(?:er)?|dagsordner|møder|moeder|"
                              r"dokumenter|documents?|docs?|filer|files|minutes|pdf|html|arkiv|archive|data|"
                              r"downloads?|uploads?|tmp|temp|ny mappe|new folder|\d+)$", re.IGNORECASE)


def clean_folder_name(name: str) -> str:
    """A folder name as a body: "ef-oresund_strandpark" → "Ef oresund strandpark".

    A name without letters ("2026-12-01", the day folder of the web's uploads) names no body, and
    neither does one that says what the folder holds ("Referater", "Dokumenter").
    """
    text = re.sub(r"[-_]+", " ", name).strip()
    if not re.search(r"[^\W\d_]", text) or _GENERIC_FOLDERS.match(text):
        return ""
    return first_upper(text)


# "Bestyrelsesmedlem Torben Holm, etape 2": who someone is, not whose meeting it is.
_ROLE_NAME = re.compile(r"^(?:bestyrelsesmedlem|medlem|formand|forkvinde|næstformand|kasserer|sekretær|referent|"
                        r"suppleant|revisor|dirigent|repræsentant)\b", re.IGNORECASE)


# -- time and place ----------------------------------------------------------------------
def _when(blocks: list[Block], front: list[int], date: dt.date | None) -> tuple[str, str]:
    """The meeting's hours; a time on the line of the meeting's date first ("Onsdag den 5. februar
    kl. 17.30" over the "22. februar kl. 10:54" a web page was published at)."""
    lines = [i for i in front if "kl" in blocks[i].text.lower() and not NEXT_MEETING.search(blocks[i].text)]
    lines.sort(key=lambda i: date not in {d for _, d in dates_in(blocks[i].text, short_years=True)})
    for i in lines:
        start, end = find_time_range(blocks[i].text)
        if start:
            return start, end
    return "", ""


# -- place -----------------------------------------------------------------------------------
def _location(blocks: list[Block], front: list[int]) -> tuple[str, list[int]]:
    for i in front:
        found = label_value(blocks[i].text)
        if found and found[0] in _PLACE_LABELS and found[1]:
            return found[1], [i]
    # "Dato og sted" / the date line / the place on the lines after it (until a gap).
    for k, i in enumerate(front):
        if blocks[i].text.strip().lower() in ("dato og sted", "tid og sted", "sted og tid") and k + 2 < len(front):
            date_line = front[k + 1]
            place = []
            for j in front[k + 2:]:
                if blocks[j].gap or label_value(blocks[j].text) or blocks[j].kind == HEADING:
                    break
                place.append(j)
            if place and dates_in(blocks[date_line].text):
                return ", ".join(blocks[j].text for j in place), place
    # An indented address block after the date (a notice: "    Bakkensbro 6").
    seen_date = False
    place = []
    for i in front:
        block = blocks[i]
        if dates_in(block.text):
            seen_date = True
            continue
        if seen_date and block.kind == HEADING:
            break
        if seen_date and block.indent >= 2 and not block.page and numbering(block.text) is None:
            place.append(i)
        elif place:
            break
    return ", ".join(blocks[j].text for j in place), place


# -- attendance -------------------------------------------------------------------------------
def _group_of(text: str) -> str:
    head = re.sub(r"^\W+", "", text)
    if _ABSENT.match(head):
        return "absent"
    if _STAFF.match(head) or re.match(r"^fra\s+\w+\s+sekretariat", head, re.IGNORECASE):
        return "secretariat"
    if _PRESENT.match(head):
        return "participants"
    if _OTHER_PEOPLE.match(head):
        return "other"
    return ""


def _names(value: str) -> list[str]:
    return [n for n in re.split(r"\s*[,;]\s*|\s+og\s+|\s+samt\s+", value.strip(" .")) if n]


def _name_list(line: str) -> bool:
    """ "Anna, Bo, Carl-Emil og Dorte." under a label: several people on one line, not one person and
    a role ("Hanne Holm, formand")."""
    parts = _names(line)
    return len(parts) >= 2 and (" og " in line or line.count(",") >= 2) \
        and all(p[:1].isupper() and len(p.split()) <= 3 for p in parts)


def _person_lines(lines: list[str]) -> list[Person]:
    people = parse_people(lines)
    return [p for p in people if p.name and p.name[:1].isupper() and len(p.name.split()) <= 6]


def _checkbox(text: str) -> tuple[bool | None, str]:
    m = re.match(r"^\[([ xX])\]\s*(.*)$", text)
    if not m:
        return None, text
    return m.group(1) != " ", m.group(2)


def attendance(blocks: list[Block], front: list[int], result: Front) -> None:
    """Participants, secretariat and absent members from labelled lines and the lists under them."""
    groups: dict[str, list[str]] = {"participants": [], "secretariat": [], "absent": [], "other": []}
    unticked: list[str] = []
    current = ""
    for i in front:
        block = blocks[i]
        text = block.text
        group = _group_of(text)
        found = label_value(text)
        if group and (found is not None or len(text.split()) <= 6 or block.kind == HEADING):
            current = group
            result.attendance.append(i)
            value = found[1] if found else re.sub(r"^\W*\w+(?:\s+\w+){0,3}?\s*:?\s*$", "", text)
            if found and value:
                if current == "secretariat" and found[0] not in ("referent", "ref."):
                    groups[current].append(value)
                else:
                    groups[current].extend(_names(value) if "," in value or " og " in value else [value])
                if not value.rstrip().endswith(","):
                    current = ""            # "Afbud: A og B" is the whole group; a list follows a bare label
            continue
        if not current:
            continue
        if block.kind == HEADING or (found and not group) or len(text.split()) > 14 or (
                block.gap and block.kind != LIST_ITEM and (block.bold or not _person_like(text))):
            current = ""
            continue
        ticked, text = _checkbox(text)
        result.attendance.append(i)
        if ticked is False and current == "participants":
            unticked.append(text)
        elif _name_list(text):
            groups[current].extend(_names(text))
        else:
            groups[current].append(text)
    absent_names = {parse_person(strip_markdown_inline(t)).name for t in groups["absent"]}
    result.participants = [p for p in _person_lines(groups["participants"]) if p.name not in absent_names]
    result.secretariat = _person_lines(groups["secretariat"])
    result.absent = _person_lines(groups["absent"] + [t for t in unticked
                                                      if parse_person(t).name not in absent_names])


def _person_like(text: str) -> bool:
    head = text.split(",")[0].split("(")[0].strip()
    return 1 <= len(head.split()) <= 5 and head[:1].isupper() and not head.endswith(".")


# -- all of it --------------------------------------------------------------------------------
def read_front(blocks: list[Block], front: list[int], filename: str, document_title: str,
               all_text: str, created: dt.date | None = None) -> Front:
    result = Front()
    attendance(blocks, front, result)
    rest = [i for i in front if i not in result.attendance]
    result.title_blocks = _title(blocks, rest)
    result.title = clean_title(" ".join(blocks[i].text for i in result.title_blocks))
    # The body is archive.parse.identity's; the meeting's number is the title's or a header line's
    # ("Referat af 3. møde i Fjordby Ældreråd").
    result.number = body_and_number(result.title)[1]
    for i in rest[:12]:
        if result.number:
            break
        result.number = body_and_number(clean_title(blocks[i].text))[1]
    for text in [result.title] + [blocks[i].text for i in rest[:8] if MEETING_WORDS.search(blocks[i].text)]:
        result.kind_body = body_from_kind(text)
        if result.kind_body:
            break
    result.date, result.date_reason = choose_date(blocks, front, result.title_blocks, filename,
                                                  [document_title] if document_title else [], all_text, created)
    result.start, result.end = _when(blocks, front, result.date)
    result.location, result.location_blocks = _location(blocks, rest)
    return result
