"""Numbered headings: each line a numbering scheme starts is a candidate, and per scheme the chain of
candidates that reads best as the items (archive.parse.segment says how it is chosen)."""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, replace

from archive.extract.blocks import HEADING, LIST_ITEM, Block, block_line
from archive.numbering import TOP_FAMILIES, Numbering, numbering
from archive.parse.lines import text_size, words


@dataclass
class Candidate:
    index: int
    numbering: Numbering
    track: tuple
    weight: float = 0.0
    body_words: int = 0


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
