"""One segmenter for every layout: where the items of a meeting begin and end.

Input: the blocks of a document (archive.extract.blocks).  Output: the front matter
(blocks before the first item), one section per item, and the back matter.

How items are found, in order of preference:

1. **Numbered headings.**  Each block that starts with a number of a known
   scheme (archive.numbering) is a candidate.  Candidates of one scheme and
   one look (heading level, bold, size, alone on its line, indent, quote) form
   a *track*.  Per scheme, the chain of candidates that scores best wins:
   numbers in order (gaps cost, a restart is impossible), candidates that look
   like headings (heading level, bold, larger font, short title, number alone,
   text after them), and a chain may pass from one track to another only when
   no candidate of the first track with the wanted number lies between
   (so an agenda list and the minutes' headings are never mixed).
   An earlier list of the same numbers before the first item is the agenda:
   its entries are merged into the items (time, presenters, titles).
   Under a "1.1 …" chain, a group heading "3. …" without sub-items is an
   item too; groups with sub-items only head them.
   When the winning chain is the agenda and the minutes after it repeat some of
   its entries ("> - 1.2 Godkendelse …", "1  Fraværende …" under a list of
   "åbent 1 Fraværende …"), the repeats are those items and the entries the
   minutes do not repeat are items of their own (a title without minutes).
2. **Topic headings.**  Without numbers, the heading style (a heading level,
   bold, underlined or larger type, or a short line ending in a colon) that
   most often has text under it marks one item per topic.
3. **Bulleted topics.**  Minutes written as one bullet per topic (a list item, or in a PDF a
   paragraph with a hanging indent) become one item per bullet.  Paragraphs of prose
   without bullets are no items: a transcript or a report in prose has none.
4. Otherwise the whole document is one item.

Sub-items (a), b), …, numbered lists inside an item, sub-headings) stay inside
their item's text with their headings.  The back matter begins at a line such
as "Underskrifter", "Referent:", "Næste møde" after the last item's text.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace

from archive.extract.blocks import HEADING, LIST_ITEM, PARAGRAPH, ROW, Block, block_line
from archive.numbering import TOP_FAMILIES, Numbering, numbering
from archive.parse.casenumber import CASE_LINE
from archive.parse.methods import Method
from archive.parse.verbs import has_finite_verb
from archive.text import sentence_end

# Lines that end the last item: signatures and closing remarks (strong), or the next meeting and an
# action list (weak: they end the items only when nothing but short lines follows them).
BACK_MARKER = re.compile(
    r"^(?:Underskrift(?:er)?|Referent\s*:|Ref\.\s*:?|Dirigent\s*:|Godkendt\s+af|Underskrevet|"
    r"Mødet\s+(?:blev\s+)?(?:hævet|afsluttet|sluttede|slut)|Med\s+venlig\s+hilsen|Venlig\s+hilsen|Sign\.)",
    re.IGNORECASE)
WEAK_BACK_MARKER = re.compile(r"^(?:Næste\s+(?:bestyrelses)?møde|Aktionsliste|Referatet\s+(?:er\s+)?godkendt|"
                              r"Referat\s+udarbejdet|Referent\b)", re.IGNORECASE)
# Words that never make a topic heading: labels of the front matter and of an item's parts.
NOT_TOPIC = re.compile(
    r"^(?:Referat|Dagsorden|Mødereferat|Indholdsfortegnelse|Beslutningsprotokol|Til\s*stede|Tilstedeværende|Deltagere|"
    r"Mødedeltagere|Fremmødte|Afbud|Fraværende|Fravær|Referent|Ordstyrer|Mødeleder|Dato|Tid|Sted|"
    r"Mødested|Mødedato|Mødetid|Det\s+indstilles|Indstilling|Beslutning(?:er)?|Resume|Resumé|"
    r"Sagsfremstilling|Sagsforløb|Bilag|Underskrift(?:er)?|Dirigent|Punkt|Titel|Aktion(?:er)?|"
    r"Husk|Fordeling|Ansvarlig|Deadline|Sagens\s+indhold|Sagsbeskrivelse|Præsentation|Kompetence|Beslutningstema|"
    r"Hvem\s+beslutter|Sagen\s+afgøres\s+af|Økonomiske\s+konsekvenser|Forvaltningen\s+(?:foreslår|indstiller))\b\s*:?",
    re.IGNORECASE)
_WORD = re.compile(r"\w+")
ATTENDANCE = re.compile(r"^\W*(?:Til\s*stede|Tilstedeværende|Deltagere|Mødedeltagere|Fremmødte|Afbud|Fraværende|"
                        r"Referent)\b", re.IGNORECASE)


@dataclass
class Candidate:
    index: int
    numbering: Numbering
    track: tuple
    weight: float = 0.0
    body_words: int = 0


@dataclass
class Section:
    head: int                         # block index of the item's heading
    end: int                          # block index after the item's last block
    numbering: Numbering | None       # None for topic and paragraph items
    reason: str = ""
    group_heads: list[int] = field(default_factory=list)   # group headings ("2. Temaer") that lead in


@dataclass
class Segmentation:
    sections: list[Section]
    front_end: int                    # blocks [0, front_end) are the front matter
    back_start: int                   # blocks [back_start, n) are the back matter
    agenda: dict[str, list[int]] = field(default_factory=dict)   # item number → agenda entry blocks
    agenda_rest: list[int] = field(default_factory=list)   # the agenda's other lines ("2. Temaer", "Mødereferat")
    by_number: bool = False           # the items are ordered by number, not by where they stand
    method: Method = Method.NONE
    style: str = ""                   # Method.TOPIC_HEADINGS: which headings
    notes: list[str] = field(default_factory=list)

    def agenda_blocks(self) -> set[int]:
        return {i for entry in self.agenda.values() for i in entry} | set(self.agenda_rest)


def words(text: str) -> int:
    return len(_WORD.findall(text))


def text_size(blocks: list[Block]) -> float:
    """The type size most of the text is set in (0: the format has no sizes)."""
    sizes: Counter[float] = Counter()
    for block in blocks:
        if block.size:
            sizes[block.size] += len(block.text)
    return sizes.most_common(1)[0][0] if sizes else 0.0


def _indented(block: Block, wrapped: bool) -> bool:
    return block.indent >= (15 if block.page else 2) if wrapped else False


def _indent_level(block: Block, wrapped: bool) -> int:
    """How far a line is indented, in steps (a nested list's "1." is not its parent's "1.")."""
    if not wrapped or not block.indent:
        return 0
    return int(block.indent // (12 if block.page else 2)) + 1


def _style(block: Block, rest: str, body_size: float, wrapped: bool) -> tuple:
    kind = f"h{block.level}" if block.kind == HEADING else block.kind
    return (kind, block.bold, block.underline, round(block.size) if block.size > body_size + 0.5 else 0,
            block.quote, not rest, _indent_level(block, wrapped))


def candidates(blocks: list[Block], wrapped: bool) -> list[Candidate]:
    body_size = text_size(blocks)
    found: list[Candidate] = []
    for i, block in enumerate(blocks):
        num = numbering(block_line(block))
        if num is None or num.family not in TOP_FAMILIES:
            continue
        if num.family == "bare" and not (i + 1 < len(blocks) and numbering(blocks[i + 1].text) is None):
            continue
        if num.family == "space" and not (block.bold or block.kind == HEADING or block.size > body_size + 0.5):
            continue                # "2 Revisorer blev valgt" in running text is no heading
        found.append(Candidate(i, num, (num.family, _style(block, num.rest, body_size, wrapped))))
    by_track: dict[tuple, list[Candidate]] = defaultdict(list)
    for cand in found:
        by_track[cand.track].append(cand)
    for track in by_track.values():
        _count_auto_numbered(track)
    # The text under a candidate runs to the next candidate of its scheme that is not nested
    # deeper (a parent's "1. Rabat:" owns the "1. Orientering" indented below it).
    family_next: dict[int, int] = {}
    levels = {c.index: _indent_level(blocks[c.index], wrapped) for c in found}
    for k, cand in enumerate(found):
        family_next[cand.index] = next(
            (c.index for c in found[k + 1:] if c.numbering.family == cand.numbering.family
             and levels[c.index] <= levels[cand.index]), len(blocks))
    for track in by_track.values():
        for k, cand in enumerate(track):
            # The text under a candidate: up to the next of its track, or of its scheme, if sooner.
            stop = track[k + 1].index if k + 1 < len(track) else len(blocks)
            stop = min(stop, family_next[cand.index])
            cand.body_words = sum(words(blocks[j].text) for j in range(cand.index + 1, stop))
    shallowest: dict[str, int] = {}
    for cand in found:
        family = cand.numbering.family
        shallowest[family] = min(shallowest.get(family, levels[cand.index]), levels[cand.index])
    for cand in found:
        cand.weight = _weight(blocks[cand.index], cand, body_size, wrapped)
        # Nested deeper than the scheme's outermost entries: a list inside an item.
        cand.weight -= 0.5 * (levels[cand.index] - shallowest[cand.numbering.family])
    return found


# "Dagsorden:", "FORSLAG til dagsorden til stiftende generalforsamling", "Dagsorden i henhold til
# vedtægterne": the line that introduces the agenda list.
AGENDA_CUE = re.compile(r"^\W*(?:forslag\s+til\s+)?dagsorden(?:en)?\b(?!\s+(?:er|blev|var|godkend))", re.IGNORECASE)


def agenda_list(blocks: list[Block]) -> set[int]:
    """The blocks of the first numbered list that an agenda line introduces (its entries, their
    wrapped lines and sub-items), or none."""
    for i, block in enumerate(blocks):
        if not AGENDA_CUE.match(block.text) or words(block.text) > 12:
            continue
        j = i + 1
        first = numbering(block_line(blocks[j])) if j < len(blocks) else None
        if first is None or first.family not in TOP_FAMILIES or first.value[:1] not in ((0,), (1,)):
            continue
        listed: set[int] = set()
        while j < len(blocks) and (numbering(block_line(blocks[j])) is not None or (
                listed and not blocks[j].gap and words(blocks[j].text) <= 14 and blocks[j].indent > 0)):
            listed.add(j)
            j += 1
        if len(listed) >= 2:
            return listed
    return set()


def _count_auto_numbered(track: list[Candidate]) -> None:
    """A list whose every entry is numbered "1." is numbered by its reader, not its writer: a web
    page's numbered list saved as text, a Markdown list written "1." "1." "1.".  Its entries are
    counted 1, 2, 3 … in order, so they can form a chain like any written numbers."""
    if (len(track) < 2 or track[0].numbering.family not in ("dot", "paren")
            or any(c.numbering.number != "1" for c in track)):
        return
    for k, cand in enumerate(track, start=1):
        cand.numbering = replace(cand.numbering, number=str(k), value=(k,), last=k)


def _weight(block: Block, cand: Candidate, body_size: float, wrapped: bool) -> float:
    w = 1.0
    if block.kind == HEADING:
        w += 2.5 if block.level <= 2 else 2.0
    if block.bold:
        w += 1.5
    if block.underline:
        w += 0.5
    if body_size and block.size > body_size + 0.5:
        w += 1.5
    rest_words = words(cand.numbering.rest)
    if not cand.numbering.rest:
        w += 0.5
    elif rest_words <= 12:
        w += 0.5
    elif rest_words > 30:
        w -= 1.0
    if _indented(block, wrapped):
        w -= 1.0
    if block.kind == LIST_ITEM:
        w -= 0.5
    return w + min(cand.body_words / 20, 2.5)


def _step(prev: Numbering, cur: Numbering) -> float | None:
    """What it costs (or gains) for ``cur`` to follow ``prev`` in one chain; None: impossible."""
    if cur.family == "dotted":
        a, b = prev.value, cur.value
        if len(a) != len(b):
            return None
        if a[:-1] == b[:-1]:
            return {1: 1.0, 2: -0.5, 3: -1.5}.get(b[-1] - a[-1])
        if a[:-2] == b[:-2] and b[-1] <= 2:
            d = b[-2] - a[-2]
            return {1: 1.0 if b[-1] == 1 else -0.5, 2: -1.0}.get(d)
        return None
    d = cur.value[0] - prev.last
    if d == 0:
        if cur.number != prev.number and cur.number[-1:].isalpha():
            return 0.5                  # "4A" after "4", "4B" after "4A"
        return -1.0 if cur.number != prev.number or cur.family == "punkt" else None
    return {1: 1.0, 2: -0.5, 3: -1.5}.get(d)


def _start(num: Numbering) -> float:
    if "/" in num.number:
        return 0.0                      # running case numbers "44/18" start anywhere
    first = num.value if num.family == "dotted" else num.value[:1]
    return 0.0 if first[-1] in (0, 1) else -1.5


def best_chain(cands: list[Candidate]) -> tuple[float, list[Candidate]]:
    """The best-scoring chain of one scheme's candidates (see the module doc)."""
    n = len(cands)
    if n == 0:
        return 0.0, []
    score = [0.0] * n
    back: list[int | None] = [None] * n
    for j in range(n):
        score[j] = cands[j].weight + _start(cands[j].numbering)
        for i in range(j):
            step = _step(cands[i].numbering, cands[j].numbering)
            if step is None or (cands[i].numbering.number == cands[j].numbering.number
                                and (cands[i].track != cands[j].track or not cands[i].body_words)):
                continue            # a number listed again after a bare line: that line was the agenda's
            if any(cands[k].track == cands[i].track and cands[k].numbering.value == cands[j].numbering.value
                   for k in range(i + 1, j)):
                continue
            total = score[i] + step + cands[j].weight
            if total > score[j]:
                score[j], back[j] = total, i
    end = max(range(n), key=lambda j: score[j])
    chain: list[Candidate] = []
    k: int | None = end
    while k is not None:
        chain.append(cands[k])
        k = back[k]
    chain.reverse()
    return score[end], chain


def _numbered(blocks: list[Block], wrapped: bool) -> tuple[list[Candidate], list[Candidate], str] | None:
    """(the chain of item headings, all candidates, a note) or None when no scheme has two items."""
    found = candidates(blocks, wrapped)
    by_family: dict[str, list[Candidate]] = defaultdict(list)
    for cand in found:
        by_family[cand.numbering.family].append(cand)
    best: tuple[float, list[Candidate], str] | None = None
    chains: dict[str, tuple[float, list[Candidate]]] = {}
    for family, cands in by_family.items():
        total, chain = best_chain(cands)
        chains[family] = (total, chain)
        if len(chain) >= 2 and (best is None or total > best[0]):
            best = (total, chain, family)
    if best is None:
        return None
    best = _skeleton(best, found, blocks)
    dotted = chains.get("dotted", (0.0, []))
    if best[2] != "dotted" and len(dotted[1]) >= 2:
        # "1.1", "1.2" under the headings "1.", "2.": the numbered sub-items are the items.
        majors = {c.numbering.value[0] for c in dotted[1]}
        # (an annex's "1.1", "2.1" after the list "1." … "6." are not its sub-items)
        if (majors <= {c.numbering.value[0] for c in best[1]} and dotted[1][0].index < best[1][-1].index
                and not _repeated_under_groups(dotted[1])):
            best = (dotted[0], dotted[1], "dotted")
    if best[2] == "dotted" and _repeated_under_groups(best[1]):
        majors = {c.numbering.value[0] for c in best[1]}
        groups = [(total, chain, family) for family, (total, chain) in chains.items()
                  if family != "dotted" and len(chain) >= 2 and chain[0].index < best[1][0].index
                  and majors <= {c.numbering.value[0] for c in chain}]
        if groups:
            best = max(groups, key=lambda g: g[0])
    return best[1], found, f"ordning {best[2]!r}, {len(best[1])} punkter, point {best[0]:.1f}"


def _repeated_under_groups(subs: list[Candidate]) -> bool:
    """Sub-items whose titles recur under other groups ("1.1 Status siden sidst", "2.1 Status siden
    sidst") are parts of their group, which is the item: alone, such a title names nothing."""
    seen: dict[str, int] = {}
    for cand in subs:
        title = " ".join(sorted(_tokens(cand.numbering.rest)))
        if title and seen.setdefault(title, cand.numbering.value[0]) != cand.numbering.value[0]:
            return True
    return False


def _skeleton(best: tuple[float, list[Candidate], str], found: list[Candidate],
              blocks: list[Block]) -> tuple[float, list[Candidate], str]:
    """The agenda is the skeleton: where a "Dagsorden" line introduces a numbered list, the items are
    that list's, or headings that repeat its titles; a chain that repeats none of them (the statutes'
    "følgende punkter behandles", an annex's "1.1", "2.1") is some other list."""
    cued = agenda_list(blocks)
    listed = [c for c in found if c.index in cued]
    if len(listed) < 2 or best[1][0].index in cued:
        return best
    family = listed[0].numbering.family
    total, agenda = best_chain([c for c in listed if c.numbering.family == family])
    if len(agenda) < 2:
        return best
    titles = {c.numbering.number: c.numbering.rest for c in listed}
    repeats = sum(1 for c in best[1] if _close_title(titles.get(c.numbering.number, ""), c.numbering.rest))
    if repeats * 2 >= len(best[1]):
        return best
    return total, agenda, family


def _close_title(a: str, b: str) -> bool:
    """The same title, written alike: most of the longer one's words are the other's."""
    wanted, got = _tokens(a), _tokens(b)
    return bool(wanted and got) and len(wanted & got) >= 0.5 * max(len(wanted), len(got))


def _agenda(chain: list[Candidate], found: list[Candidate], blocks: list[Block]) -> dict[str, list[int]]:
    """Entries before the first item that list the items' numbers: the agenda, entry → its blocks."""
    first = chain[0].index
    numbers = {c.numbering.number for c in chain}
    chosen = {c.index for c in chain}
    entries: dict[str, int] = {}
    for cand in found:
        # The last listing of a number before the items: an agenda sits right before them.
        if cand.index < first and cand.index not in chosen and cand.numbering.number in numbers:
            entries[cand.numbering.number] = cand.index
    if len(entries) < 2:
        return {}
    starts = sorted({c.index for c in found})
    return {number: _entry_span(start, starts, first, blocks) for number, start in entries.items()}


def _entry_span(start: int, starts: list[int], first: int, blocks: list[Block]) -> list[int]:
    """An agenda entry's blocks: its line and the lines that continue it, up to the next entry or item."""
    span = [start]
    j = start + 1
    limit = min([s for s in starts if s > start] + [first])
    while j < limit and not blocks[j].gap and blocks[j].kind != HEADING and not _label_line(blocks[j].text):
        span.append(j)
        j += 1
    return span


def _label_line(text: str) -> bool:
    return bool(NOT_TOPIC.match(text)) and not text.lower().startswith(("punkt", "pkt"))


def _group_items(chain: list[Candidate], found: list[Candidate]) -> tuple[list[Candidate], list[int]]:
    """Under a "1.1" chain: group headings "3." without sub-items are items; the others head groups."""
    if not chain or chain[0].numbering.family != "dotted":
        return chain, []
    majors = {c.numbering.value[0] for c in chain}
    start = chain[0].index
    extra: dict[int, Candidate] = {}
    groups: list[int] = []
    for cand in found:
        if cand.numbering.family != "dot" or cand.index < start:
            continue
        if cand.numbering.value[0] in majors:
            groups.append(cand.index)
        else:
            extra.setdefault(cand.numbering.value[0], cand)
    return sorted(chain + list(extra.values()), key=lambda c: c.index), sorted(groups)


def _heading_like(block: Block, body_size: float, bold_marks: bool = True) -> str:
    """The style that makes a block a topic heading ("" if none); ``bold_marks`` is False where the
    text itself is set in bold (bold then marks nothing)."""
    text = block.text
    if words(text) > 15 or len(text) > 120 or NOT_TOPIC.match(text) or block.kind == ROW:
        return ""
    if block.kind == HEADING:
        return f"h{block.level}"
    if body_size and block.size >= body_size + 1:
        return f"{block.size:g}pt"
    # "Beretninger og valg til udvalg.": a bold line with a full stop is a heading where it names a
    # subject; one that says what happened is emphasised text.
    if bold_marks and block.bold and not text.endswith(",") and (
            not text.endswith(".") or (words(text) <= 8 and not has_finite_verb(text))):
        return "fed"
    if block.underline:
        return "understreget"
    if text.endswith(":") and words(text) <= 8 and ": " not in text:
        return "kolon"
    return ""


def _starts_paragraph(blocks: list[Block], i: int) -> bool:
    """In printed lines (PDF, text): a heading starts a paragraph, not the second line of one."""
    if i == 0 or blocks[i].gap:
        return True
    before = blocks[i - 1]
    return before.bold != blocks[i].bold or before.size != blocks[i].size or before.text.rstrip().endswith(
        (".", ":", "!", "?"))


def _short_line_head(blocks: list[Block], i: int) -> str:
    """A topic heading known by its shape alone (plain text, OCR): a short line of its own,
    capitalised, without sentence punctuation, with a longer paragraph under it."""
    block = blocks[i]
    text = block.text.strip()
    if (i + 1 >= len(blocks) or not (i == 0 or block.gap) or block.kind != PARAGRAPH or words(text) > 6
            or len(text) > 60 or not text[:1].isupper() or text.endswith((".", ",", ";", ":", "!", "?"))
            or ":" in text or NOT_TOPIC.match(text)):
        return ""
    after = blocks[i + 1]
    return "kort linje" if after.kind in (PARAGRAPH, LIST_ITEM) and words(after.text) >= 6 else ""


def _topics(blocks: list[Block], start: int, wrapped: bool) -> tuple[list[int], list[int], str] | None:
    """Heads of topic sections (an unnumbered style with text under it), from ``start``.

    Styled headings (heading level, size, bold, underline, colon) come first; only when no
    style marks two topics do short lines of their own (plain text, OCR text) stand for them.
    """
    body_size = text_size(blocks)
    eligible = [i >= start and b.kind != LIST_ITEM and (not wrapped or _starts_paragraph(blocks, i))
                for i, b in enumerate(blocks)]
    bold_marks = _bold_share(blocks) < 0.5
    styled = [_heading_like(b, body_size, bold_marks) if eligible[i] and not (wrapped and _holds_sentences(blocks, i))
              else "" for i, b in enumerate(blocks)]
    shaped = [_short_line_head(blocks, i) if eligible[i] else "" for i in range(len(blocks))]
    for styles in (styled, shaped):
        found = _best_style(blocks, styles)
        if found is not None:
            return found
    return None


def _bold_share(blocks: list[Block]) -> float:
    """The share of a document's words set in bold."""
    total = sum(words(b.text) for b in blocks)
    return sum(words(b.text) for b in blocks if b.bold) / total if total else 0.0


def _holds_sentences(blocks: list[Block], i: int) -> bool:
    """A printed paragraph set in the heading's style that runs on past a first sentence ("Årets
    træner: Ida Holm fra fodbold. Derudover var …" in bold): emphasised text, not a heading."""
    text = blocks[i].text.strip()
    if not blocks[i].bold or text.endswith(":"):
        return False                        # (a label's text under it is set the same as the label)
    j = i + 1
    while (j < len(blocks) and not blocks[j].gap and blocks[j].kind == blocks[i].kind
           and blocks[j].bold == blocks[i].bold and blocks[j].size == blocks[i].size):
        text += " " + blocks[j].text.strip()
        j += 1
    end = sentence_end(text)
    return 0 < end < len(text.rstrip())


def _best_style(blocks: list[Block], styles: list[str]) -> tuple[list[int], list[int], str] | None:
    """The style that heads the most sections with text under them (at least two), its heads and groups."""
    counts: Counter[str] = Counter()
    for style in set(styles) - {""}:
        counts[style] = len(_with_text(blocks, [i for i, s in enumerate(styles) if s == style]))
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    if not ranked or ranked[0][1] < 2:
        return None
    style = _top_level(ranked[0][0], counts, styles, blocks)
    heads = [i for i, s in enumerate(styles) if s == style]
    # A topic heading followed directly by another heads a group of them ("Ejerforening:" / "Røglemme:").
    groups = [i for k, i in enumerate(heads) if k + 1 < len(heads) and heads[k + 1] == i + 1]
    return [i for i in heads if i not in groups], groups, style


def _with_text(blocks: list[Block], heads: list[int]) -> list[int]:
    """The heads with text under them (three words or more before the next head)."""
    return [i for k, i in enumerate(heads)
            if sum(words(blocks[j].text) for j in range(i + 1, heads[k + 1] if k + 1 < len(heads) else len(blocks))) >= 3]


def _rank(style: str) -> tuple[int, float]:
    """How high a heading style stands (lower is higher): heading levels, then larger type."""
    if style[:1] == "h" and style[1:].isdigit():
        return (0, int(style[1:]))
    if style.endswith("pt"):
        return (1, -float(style[:-2]))
    return (2, 0.0)


def _top_level(style: str, counts: Counter[str], styles: list[str], blocks: list[Block]) -> str:
    """The level the items are at.  The style heading the most sections may be the sub-headings of
    one item (a report per committee under "Beretninger"): a higher style that heads at least three
    sections, with every one of those sub-headings inside one of its sections after the first, is the
    items' level."""
    heads = [i for i, s in enumerate(styles) if s == style]
    higher = sorted((s for s, n in counts.items() if n >= 3 and _rank(s) < _rank(style)), key=_rank)
    for top in higher:
        # (a title set in two lines, "Referat" / "Generalforsamlingen 2024", is one section: the first
        # line has no text under it)
        tops = _with_text(blocks, [i for i, s in enumerate(styles) if s == top])
        inside = [bisect_left(tops, h) - 1 for h in heads]      # the top section each lies in (-1: none)
        # ... and not inside the first: a document's title and its annexes' headings are set larger
        # than the items too, with every item inside the title's "section".
        if -1 not in inside and len(set(inside)) == 1 and inside[0] > 0:
            return top
    return style


def _attendance_end(blocks: list[Block]) -> int:
    """Where the attendance block at the top ends (0 if there is none): topics begin after it."""
    end = 0
    for i, block in enumerate(blocks[:30]):
        if ATTENDANCE.match(block.text):
            end = i + 1
            while end < len(blocks) and not blocks[end].gap and words(blocks[end].text) <= 14:
                end += 1
    return end


def _front_end(blocks: list[Block]) -> int:
    """Where unnumbered minutes' running text begins: after title, dates, labels and short lines."""
    for i, block in enumerate(blocks):
        text = block.text
        if block.kind == HEADING or words(text) <= 6 or _label_line(text) or re.match(r"^[\w ]{1,25}:\s", text):
            continue
        return i
    return len(blocks)


def _hanging(blocks: list[Block], i: int) -> bool:
    """A printed list item whose bullet the PDF lost: a paragraph's first line set out to the left of
    the lines that continue it (a hanging indent)."""
    block = blocks[i]
    if not block.page or not block.indent or not (i == 0 or block.gap) or i + 1 >= len(blocks):
        return False
    after = blocks[i + 1]
    return not after.gap and after.indent >= block.indent + 6


def _paragraph_heads(blocks: list[Block], start: int, wrapped: bool) -> list[int]:
    """Where each bulleted topic begins: one item each.  Paragraphs of prose without bullets are
    running minutes, not items (a transcript, a letter-like report): they get none."""
    bullets = [i for i in range(start, len(blocks)) if blocks[i].kind == LIST_ITEM or _hanging(blocks, i)]
    if len(bullets) < 2:
        return []
    heads = []
    for i in range(start, len(blocks)):
        block = blocks[i]
        if i == start or block.kind == LIST_ITEM or not wrapped or block.gap:
            heads.append(i)
    return heads


def _back_start(blocks: list[Block], last_head: int) -> int:
    for i in range(last_head + 1, len(blocks)):
        text = blocks[i].text
        if numbering(text) is not None:
            continue
        if BACK_MARKER.match(text):
            return i
        if WEAK_BACK_MARKER.match(text):
            after = blocks[i + 1:]
            if all(b.kind != LIST_ITEM and words(b.text) < 8 or BACK_MARKER.match(b.text) for b in after):
                return i
    return len(blocks)


def _sections(heads: list[int], n_blocks: int, back: int, nums: dict[int, Numbering], reason: str,
              groups: list[int] | None = None) -> list[Section]:
    sections = []
    for k, head in enumerate(heads):
        end = heads[k + 1] if k + 1 < len(heads) else back
        sections.append(Section(head, max(end, head + 1), nums.get(head), reason))
    for group in groups or []:
        # A group heading right before an item belongs to it, not to the text of the item before.
        for k, section in enumerate(sections):
            if section.head > group:
                if all(j in (groups or []) for j in range(group + 1, section.head)):
                    previous = sections[k - 1] if k else None
                    if previous is not None and previous.end > group:
                        previous.end = group
                    section.group_heads.append(group)
                break
    return sections


def _tokens(text: str) -> set[str]:
    return {w for w in re.findall(r"[^\W\d_]{3,}", text.lower())}


def _agenda_only(chain: list[Candidate], blocks: list[Block]) -> bool:
    """A chain that is only a list: nothing under its entries, the whole text after the last one."""
    if len(chain) < 2:
        return False
    listed = sum(c.body_words for c in chain[:-1])
    after = sum(words(b.text) for b in blocks[chain[-1].index + 1:])
    return listed <= 8 * (len(chain) - 1) and after > max(100, 4 * listed)


def _headings_for_agenda(chain: list[Candidate], blocks: list[Block]) -> list[tuple[int, Candidate]]:
    """Unnumbered headings after an agenda list that repeat its entries' titles, in order."""
    body_size = text_size(blocks)
    listed = {c.index for c in chain}
    # Not past the letter's close ("Med venlig hilsen"): what follows is an annex, not the minutes.
    close = next((i for i in range(chain[-1].index + 1, len(blocks)) if BACK_MARKER.match(blocks[i].text)),
                 len(blocks))
    heads = [i for i in range(close) if i not in listed
             and (_heading_like(blocks[i], body_size) or blocks[i].bold) and words(blocks[i].text) <= 15]
    found: list[tuple[int, Candidate]] = []
    position = 0
    for entry in chain:
        wanted = _tokens(entry.numbering.rest)
        if not wanted:
            continue
        for k in range(position, len(heads)):
            got = _tokens(blocks[heads[k]].text)
            shared = len(wanted & got)
            if got and shared >= min(2, len(wanted)) and shared >= 0.6 * min(len(wanted), len(got)):
                found.append((heads[k], entry))
                position = k + 1
                break
    return found if len(found) >= max(2, len(chain) // 2) else []


_SPACED = re.compile(r"^(?P<n>\d{1,3})\s+(?P<rest>[A-ZÆØÅ]\S*(?:\s+\S+)*)$")


def _same_title(a: str, b: str) -> bool:
    wanted, got = _tokens(a), _tokens(b)
    shared = len(wanted & got)
    return bool(wanted and got) and shared >= 1 and shared >= 0.3 * min(len(wanted), len(got))


def _repeats(chain: list[Candidate], found: list[Candidate], blocks: list[Block]) -> list[Candidate]:
    """Entries after the chain that repeat its numbers and titles: the chain was the agenda and these are
    the minutes' headings.  Besides the scheme's own candidates, a line "1  Fraværende …" (the number
    and the title with nothing between) counts, but only where it repeats an entry."""
    by_number = {c.numbering.number: c for c in chain}
    last = chain[-1].index
    later = [c for c in found if c.index > last and c.numbering.number in by_number
             and _same_title(by_number[c.numbering.number].numbering.rest, c.numbering.rest)]
    taken = {c.index for c in found}
    for i in range(last + 1, len(blocks)):
        m = _SPACED.match(blocks[i].text.strip())
        if i in taken or not m or m.group("n") not in by_number:
            continue
        entry = by_number[m.group("n")].numbering
        if _same_title(entry.rest, m.group("rest")):
            num = replace(entry, rest=m.group("rest"))
            later.append(Candidate(i, num, ("gentaget", entry.family), weight=2.0))
    later.sort(key=lambda c: c.index)
    _, repeats = best_chain(later)
    return repeats if len(repeats) >= 2 else []


_AGENDA_HEAD = re.compile(r"\b(?:dagsorden|program)", re.IGNORECASE)


def _list_of_one_topic(chain: list[Candidate], blocks: list[Block], wrapped: bool) -> bool:
    """A numbered list of plain lines wholly inside the section of one topic heading, with topic
    headings before and after it ("Valg til hovedbestyrelse:" / "1. Valg af næstformand: …" …
    "6. Valg af revisorsuppleant: …" / "Eventuelt:"), is that topic's list, not the items."""
    topics = _topics(blocks, _attendance_end(blocks), wrapped)
    if topics is None:
        return False
    heads = topics[0]
    k = bisect_right(heads, chain[0].index) - 1        # the topic section the list begins in
    if k < 1 or k + 1 >= len(heads) or chain[-1].index >= heads[k + 1] or _AGENDA_HEAD.search(blocks[heads[k]].text):
        return False                        # (a list under "Forslag til dagsorden" is the agenda)
    body_size = text_size(blocks)
    return not any(_heading_like(blocks[c.index], body_size) or blocks[c.index].bold for c in chain)


def _single_case(blocks: list[Block], wrapped: bool) -> Candidate | None:
    """The one numbered item of a document that has only one ("173. Udmøntning af budget …"), known
    by the case parts right under it: a case number ("Sagsnr.: …") or a part's label ("Præsentation:")."""
    found = [c for c in candidates(blocks, wrapped)
             if c.numbering.family in ("dot", "punkt", "status") and c.numbering.rest
             and any(CASE_LINE.match(b.text) or _label_line(b.text) for b in blocks[c.index + 1:c.index + 4])]
    # A table of contents lists the one item before it heads it ("715. Title 2", then "715. Title").
    return found[-1] if found and len({c.numbering.number for c in found}) == 1 else None


def segment(blocks: list[Block], wrapped: bool) -> Segmentation:
    """Find the items of a document; see the module doc for the rules."""
    n = len(blocks)
    numbered = _numbered(blocks, wrapped)
    if numbered is not None and _list_of_one_topic(numbered[0], blocks, wrapped):
        numbered = None
    if numbered is not None:
        chain, found, note = numbered
        matched = _headings_for_agenda(chain, blocks) if _agenda_only(chain, blocks) else []
        if matched:
            # The numbered list is the agenda; the items are the headings that repeat its titles.
            agenda = {c.numbering.number: [c.index] for c in chain}
            heads = [i for i, _ in matched]
            nums = {i: replace(entry.numbering, rest=blocks[i].text) for i, entry in matched}
            back = _back_start(blocks, heads[-1])
            sections = _sections(heads, n, back, nums, f"overskrift som dagsordenens punkt ({note})")
            # An entry the minutes never head is still an item: its title, no minutes.
            headed = {entry.numbering.number for _, entry in matched}
            listed_only = [c for c in chain if c.numbering.number not in headed]
            sections += [Section(c.index, c.index + 1, c.numbering, "punkt kun på dagsordenen") for c in listed_only]
            seg = Segmentation(sections, heads[0], back, agenda, by_number=bool(listed_only),
                               method=Method.AGENDA_HEADINGS)
            seg.notes.append(f"dagsorden med {len(chain)} punkter; {len(heads)} overskrifter genkendt")
            return seg
        repeats = _repeats(chain, found, blocks)
        by_number = False
        title_only: dict[int, int] = {}       # an agenda entry the minutes do not repeat → where it ends
        if repeats:
            # The chain is the agenda: the repeated entries are merged into the minutes' items,
            # the others are items with a title only.
            repeated = {c.numbering.number for c in repeats}
            starts = sorted({c.index for c in found} | {c.index for c in repeats})
            agenda = {c.numbering.number: _entry_span(c.index, starts, repeats[0].index, blocks)
                      for c in chain if c.numbering.number in repeated}
            title_only = {c.index: _entry_span(c.index, starts, repeats[0].index, blocks)[-1] + 1
                          for c in chain if c.numbering.number not in repeated}
            chain = sorted([c for c in chain if c.numbering.number not in repeated] + repeats, key=lambda c: c.index)
            by_number = True
            note += f"; dagsordenen gentages af {len(repeats)} punkter"
        else:
            agenda = _agenda(chain, found, blocks)
        items, groups = _group_items(chain, found)
        heads = [c.index for c in items]
        back = _back_start(blocks, heads[-1])
        nums = {c.index: c.numbering for c in items}
        sections = _sections(heads, n, back, nums, note, groups)
        for section in sections:
            # an entry only the agenda lists has its line and no more: what follows it is the agenda's
            section.end = min(section.end, title_only.get(section.head, section.end))
        rest = []
        if repeats:
            held = {i for s in sections for i in range(s.head, s.end)} | {g for s in sections for g in s.group_heads}
            held |= {i for entry in agenda.values() for i in entry}
            rest = [i for i in range(heads[0], repeats[0].index) if i not in held]
        seg = Segmentation(sections, heads[0], back, agenda, rest, by_number=by_number, method=Method.NUMBERED)
        seg.notes.append(note)
        if agenda:
            seg.notes.append(f"dagsorden med {len(agenda)} punkter før første punkt")
        return seg
    single = _single_case(blocks, wrapped)
    topics = _topics(blocks, _attendance_end(blocks), wrapped)
    lone: dict[int, Numbering] = {}
    if single is not None and topics is not None and topics[0][0] < single.index:
        # One numbered line after unnumbered topic headings ("6. Eventuelt" after four or five of them)
        # is one of those items, not a case of its own; its number says items came before it.
        before = [i for i in topics[0] if i < single.index]
        if len(before) < single.numbering.value[0] <= len(before) + 3:
            topics = (sorted(set(topics[0]) | {single.index}), topics[1], topics[2])
            lone[single.index] = single.numbering
            single = None
    if single is not None:
        back = _back_start(blocks, single.index)
        sections = _sections([single.index], n, back, {single.index: single.numbering}, "ét nummereret punkt med sagsdele")
        return Segmentation(sections, single.index, back, method=Method.ONE_NUMBERED)
    front = _front_end(blocks)
    if topics is not None:
        heads, groups, style = topics
        back = _back_start(blocks, heads[-1])
        sections = _sections(heads, n, back, lone, f"emneoverskrift ({style})", groups)
        seg = Segmentation(sections, heads[0], back, method=Method.TOPIC_HEADINGS, style=style)
        return seg
    if front < n:
        back = _back_start(blocks, front)
        heads = _paragraph_heads(blocks, front, wrapped)
        heads = [h for h in heads if h < back]
        if len(heads) >= 2:
            sections = _sections(heads, n, back, {}, "afsnit")
            return Segmentation(sections, heads[0], back, method=Method.PARAGRAPHS)
    return Segmentation([], front, n, method=Method.NONE)
