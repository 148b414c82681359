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

The numbered candidates and their chains are in archive.parse.chains, the topic heading styles in
archive.parse.topics, what a line is (its words, markers of attendance and of the end) in
archive.parse.lines; this module chooses among them and cuts the sections.

Sub-items (a), b), …, numbered lists inside an item, sub-headings) stay inside
their item's text with their headings.  The back matter begins at a line such
as "Underskrifter", "Referent:", "Næste møde" after the last item's text.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass, field, replace

from archive.extract.blocks import HEADING, LIST_ITEM, Block
from archive.numbering import Numbering, numbering
from archive.parse.casenumber import CASE_LINE
from archive.parse.chains import Candidate, agenda_list, best_chain, candidates
from archive.parse.lines import BACK_MARKER, WEAK_BACK_MARKER, label_line, text_size, words
from archive.parse.methods import Method
from archive.parse.topics import attendance_end, heading_like, topic_heads


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
    while j < limit and not blocks[j].gap and blocks[j].kind != HEADING and not label_line(blocks[j].text):
        span.append(j)
        j += 1
    return span


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


def _front_end(blocks: list[Block]) -> int:
    """Where unnumbered minutes' running text begins: after title, dates, labels and short lines."""
    for i, block in enumerate(blocks):
        text = block.text
        if block.kind == HEADING or words(text) <= 6 or label_line(text) or re.match(r"^[\w ]{1,25}:\s", text):
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
             and (heading_like(blocks[i], body_size) or blocks[i].bold) and words(blocks[i].text) <= 15]
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


def _fill_gaps(chain: list[Candidate], found: list[Candidate], blocks: list[Block]) -> list[Candidate]:
    """A number the chain skips, written another way between its neighbours in the same look ("6 Valg af
    formand" in bold between "5. Forslag" and "7. Valg af andre medlemmer"), is the missing item."""
    filled = list(chain)
    for prev, nxt in zip(chain, chain[1:], strict=False):
        if len(prev.numbering.value) != 1 or nxt.numbering.value != (prev.numbering.value[0] + 2,):
            continue
        look = (blocks[prev.index].kind, blocks[prev.index].bold, blocks[prev.index].size)
        between = [c for c in found if prev.index < c.index < nxt.index
                   and c.numbering.value == (prev.numbering.value[0] + 1,)
                   and (blocks[c.index].kind, blocks[c.index].bold, blocks[c.index].size) == look]
        if len(between) == 1:
            filled.append(between[0])
    return sorted(filled, key=lambda c: c.index)


def _list_of_one_topic(chain: list[Candidate], blocks: list[Block], wrapped: bool) -> bool:
    """A numbered list of plain lines wholly inside the section of one topic heading, with topic
    headings before and after it ("Valg til hovedbestyrelse:" / "1. Valg af næstformand: …" …
    "6. Valg af revisorsuppleant: …" / "Eventuelt:"), is that topic's list, not the items."""
    topics = topic_heads(blocks, attendance_end(blocks), wrapped)
    if topics is None:
        return False
    heads = topics[0]
    k = bisect_right(heads, chain[0].index) - 1        # the topic section the list begins in
    if k < 1 or k + 1 >= len(heads) or chain[-1].index >= heads[k + 1] or _AGENDA_HEAD.search(blocks[heads[k]].text):
        return False                        # (a list under "Forslag til dagsorden" is the agenda)
    body_size = text_size(blocks)
    return not any(heading_like(blocks[c.index], body_size) or blocks[c.index].bold for c in chain)


def _single_case(blocks: list[Block], wrapped: bool) -> Candidate | None:
    """The one numbered item of a document that has only one ("173. Udmøntning af budget …"), known
    by the case parts right under it: a case number ("Sagsnr.: …") or a part's label ("Præsentation:")."""
    found = [c for c in candidates(blocks, wrapped)
             if c.numbering.family in ("dot", "punkt", "status") and c.numbering.rest
             and any(CASE_LINE.match(b.text) or label_line(b.text) for b in blocks[c.index + 1:c.index + 4])]
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
        chain = _fill_gaps(chain, found, blocks)
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
    topics = topic_heads(blocks, attendance_end(blocks), wrapped)
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
