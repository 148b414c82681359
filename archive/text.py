"""Text clean-up shared by every layout: one place for each repair.

Extracted minutes carry the scars of their source: lines wrapped inside names,
compounds split by a stray dash, bullet glyphs lost so that a bullet is only a
leading space, and Markdown links.  The functions here undo that without
knowing which layout the text has.  (Page markers go in archive.extract.pages.)
"""
from __future__ import annotations

import re

# "Sundheds – og Ældreministeriet", "Klima - og\nMiljøudvalget": the first part of a
# split compound followed by a stray dash.  Danish writes it "Sundheds- og".
_SPLIT_COMPOUND = re.compile(r"\b([A-Za-zÆØÅæøåÉé]{2,})[ \t]+[-–][ \t]*(?:\n[ \t]*)?(og|eller)\b")

_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_SPACES = {ord(c): " " for c in "\u00a0\u2007\u202f\u2009\t"}

# A line that is a bullet: a glyph, or a number "1." / "1)" / "At 1)" followed by text.
# "1. pkt" (lowercase after "N.") is a wrapped reference, not a numbered bullet.
_BULLET = re.compile(r"^[ \t]*(?:[-*•▪◦·‣–][ \t]+\S|(?:[Aa]t[ \t]+)?\(?\d{1,2}\)[ \t]+\S"
                     r"|\d{1,2}\.[ \t]+(?![a-zæøå]))")
_GLYPH = re.compile(r"^[ \t]*[-*•▪◦·‣–][ \t]+")
_SENTENCE_END = ".:;!?)\"”»"

# [text](url), with one level of brackets allowed inside the text ("[[SDR] Plan](…)").
_MD_LINK = re.compile(r"\[((?:[^\[\]\n]|\[[^\[\]\n]*\]){1,300})\]\(([^()\s]*(?:\([^()\s]*\)[^()\s]*)*)\)")
_BARE_URL = re.compile(r"<?\bhttps?://[^\s<>()]+(?:\([^\s<>()]*\)[^\s<>()]*)*>?")


def join_split_compounds(text: str) -> str:
    return _SPLIT_COMPOUND.sub(r"\1- \2", text)


_CLEAN = {**_INVISIBLE, **_SPACES}


def clean_line(text: str) -> str:
    """One line of extracted text: invisible characters gone, every run of white space one space."""
    text = " ".join(text.translate(_CLEAN).split())
    return join_split_compounds(text) if "og" in text or "eller" in text else text


def collapse_spaces(text: str) -> str:
    return re.sub(r"[ \t]{2,}", " ", text).strip()


def strip_markdown_links(text: str) -> str:
    """Keep a Markdown link's text and drop its URL."""
    return _MD_LINK.sub(lambda m: m.group(1), text)


def sole_link(text: str) -> str:
    """The address of a Markdown link that is the whole text ("[Bilag 1](https://…)"), when absolute."""
    m = _MD_LINK.fullmatch(text.strip())
    return m.group(2) if m and re.match(r"https?://", m.group(2), re.IGNORECASE) else ""


def strip_urls(text: str) -> str:
    return _BARE_URL.sub("", text)


def urls(text: str) -> list[str]:
    """The bare web addresses in a text (a title loses them; the item keeps them as links)."""
    return [u.strip("<>") for u in _BARE_URL.findall(text)]


def strip_markdown_inline(text: str) -> str:
    """Drop emphasis markers and the trailing backslash of a Markdown hard break."""
    text = re.sub(r"\\$", "", text, flags=re.MULTILINE)
    return re.sub(r"(\*\*|__)(.+?)\1", r"\2", text)


def clean_title(text: str) -> str:
    """One line, no Markdown link targets or bare URLs, no trailing separators."""
    text = strip_urls(strip_markdown_links(strip_markdown_inline(text)))
    text = collapse_spaces(text.replace("\n", " "))
    return re.sub(r"[\s:;,–-]+$", "", text).strip()


def is_bullet(line: str, indent_is_bullet: bool = False) -> bool:
    if _BULLET.match(line):
        return True
    # In PDF text a lost bullet glyph leaves only the indent behind.
    return indent_is_bullet and line[:1] in (" ", "\t") and bool(line.strip())


def _as_bullet(line: str) -> str:
    stripped = line.strip()
    if _GLYPH.match(line):
        return "- " + _GLYPH.sub("", line).strip()
    if _BULLET.match(line):
        return stripped            # numbered: keep the number as written
    return "- " + stripped          # lost glyph


def _ends_sentence(text: str) -> bool:
    return text.rstrip()[-1:] in _SENTENCE_END


def _starts_lower(text: str) -> bool:
    first = text.lstrip()[:1]
    return first.isalpha() and first.islower()


def _ends_lower_word(text: str) -> bool:
    words = text.split()
    return bool(words) and words[-1][:1].isalpha() and words[-1][:1].islower()


def _blocks(text: str, indent_is_bullet: bool) -> list[tuple[bool, list[str], bool]]:
    """Split into (is_bullet, lines, after_blank) blocks."""
    blocks: list[tuple[bool, list[str], bool]] = []
    blank_before = False
    current: list[str] | None = None
    for line in text.split("\n"):
        if not line.strip():
            current = None
            blank_before = True
            continue
        if is_bullet(line, indent_is_bullet):
            current = [_as_bullet(line)]
            blocks.append((True, current, blank_before))
        elif current is None:
            current = [line.strip()]
            blocks.append((False, current, blank_before))
        else:
            current.append(line.strip())
        blank_before = False
    return blocks


def _continues(prev: tuple[bool, list[str]], lines: list[str], already_bridged: bool, pdf: bool) -> bool:
    """Whether a paragraph after a blank line is the rest of the previous block.

    Lowercase start after an unfinished sentence: always.  An uppercase start
    ("… infrastruktur til" / "Personlig Medicin på mødet.") only in PDF text and
    for one short fragment closing a bullet, so a new paragraph stays apart.
    """
    prev_bullet, prev_lines = prev
    prev_text = prev_lines[-1]
    if _ends_sentence(prev_text):
        return False
    if _starts_lower(lines[0]):
        return True
    return pdf and prev_bullet and not already_bridged and len(lines) == 1 and _ends_lower_word(prev_text)


def reflow(text: str, indent_is_bullet: bool = False) -> str:
    """Join wrapped lines into paragraphs; keep paragraph breaks and bullets.

    ``indent_is_bullet`` marks PDF text, where an indent is a lost bullet glyph
    and a blank line may fall inside a sentence.

    Paragraphs are separated by a blank line, consecutive bullets by a newline.
    A blank line inside a sentence (PDF text loses layout) is bridged when the
    text before it does not end a sentence and the text after it continues it.
    A text that is a single bullet loses its marker: one bullet is no list.
    """
    merged: list[tuple[bool, list[str]]] = []
    bridged: set[int] = set()        # blocks already extended across a blank line
    for bullet, lines, after_blank in _blocks(text, indent_is_bullet):
        if merged and not bullet and after_blank and _continues(merged[-1], lines, len(merged) in bridged, indent_is_bullet):
            merged[-1][1].extend(lines)
            bridged.add(len(merged))
            continue
        merged.append((bullet, lines))
    if len(merged) == 1 and merged[0][0]:
        merged[0][1][0] = _GLYPH.sub("", merged[0][1][0])
    out: list[str] = []
    for i, (bullet, lines) in enumerate(merged):
        if i:
            out.append("\n" if bullet and merged[i - 1][0] else "\n\n")
        out.append(collapse_spaces(" ".join(lines)))
    return "".join(out).strip()


def paragraphs(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"\n[ \t]*\n", text) if p.strip()]


def first_upper(text: str) -> str:
    return text[:1].upper() + text[1:]


# Words written with a full stop that does not end a sentence ("evt.", "bl.a.", "jf. § 4", "kl. 19").
_ABBREVIATIONS = {"evt", "fx", "f.eks", "eks", "bl.a", "ca", "jf", "jvf", "mv", "m.v", "m.m", "mm", "inkl", "ekskl",
                  "osv", "pga", "p.g.a", "dvs", "d.v.s", "kl", "nr", "stk", "ift", "iht", "vedr", "tlf", "hhv", "mht",
                  "ang", "incl", "etc", "st", "pkt", "bilag", "s", "d", "a", "b", "c", "t", "u", "o.l", "ol", "vs"}
_STOP = re.compile(r"[.!?](?=\s|$)")


def sentence_end(text: str, start: int = 0) -> int:
    """Where the first sentence of ``text`` after ``start`` ends (just after its stop), or -1.

    A full stop ends a sentence where what follows begins one (a capital, a digit, a quote, or the end),
    and not after an ordinal ("møder 1. og 3. tirsdag") or an abbreviation ("kan det evt. erstattes")."""
    for m in _STOP.finditer(text, start):
        after = text[m.end():].lstrip()
        if after and not (after[0].isupper() or after[0].isdigit() or after[0] in "\"“”»«'(§"):
            continue
        if m.group() == ".":
            found = re.search(r"([\w.]*)$", text[:m.start()])
            word = found.group(1).lower() if found else ""
            if (word.isdigit() and len(word) <= 2) or word in _ABBREVIATIONS or (after and word.rstrip(".") in _ABBREVIATIONS):
                continue
        return m.end()
    return -1
