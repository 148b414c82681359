"""Unnumbered topic headings: the style (heading level, size, bold, underline, a colon, a short line of
its own) that heads the most sections with text under them."""
from __future__ import annotations

from bisect import bisect_left
from collections import Counter

from archive.extract.blocks import HEADING, LIST_ITEM, PARAGRAPH, ROW, Block
from archive.parse.lines import ATTENDANCE, NOT_TOPIC, text_size, words
from archive.parse.verbs import has_finite_verb
from archive.text import sentence_end


def heading_like(block: Block, body_size: float, bold_marks: bool = True) -> str:
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


def topic_heads(blocks: list[Block], start: int, wrapped: bool) -> tuple[list[int], list[int], str] | None:
    """Heads of topic sections (an unnumbered style with text under it), from ``start``.

    Styled headings (heading level, size, bold, underline, colon) come first; only when no
    style marks two topics do short lines of their own (plain text, OCR text) stand for them.
    """
    body_size = text_size(blocks)
    eligible = [i >= start and b.kind != LIST_ITEM and (not wrapped or _starts_paragraph(blocks, i))
                for i, b in enumerate(blocks)]
    bold_marks = _bold_share(blocks) < 0.8       # (terse minutes may be half headings)
    styled = [heading_like(b, body_size, bold_marks) if eligible[i] and not (wrapped and _holds_sentences(blocks, i))
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


def attendance_end(blocks: list[Block]) -> int:
    """Where the attendance block at the top ends (0 if there is none): topics begin after it."""
    end = 0
    for i, block in enumerate(blocks[:30]):
        if ATTENDANCE.match(block.text):
            end = i + 1
            while end < len(blocks) and not blocks[end].gap and words(blocks[end].text) <= 14:
                end += 1
    return end
