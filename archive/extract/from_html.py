"""HTML → blocks: headings, paragraphs, list items and table rows, page chrome left out.

A saved minutes page carries the site around the minutes: navigation, menus,
buttons ("Tilbage til forsiden", "Hent som PDF"), icons and badges.  They are
recognised by what HTML says about them (``nav``, ``role="menu"``, buttons,
form fields, hidden elements, class names such as ``navbar``, ``btn``,
``dropdown``, ``badge``), never by their words, and left out.

Tables are of two kinds: a data table (every cell holds inline text) becomes
one row block per row; a layout table (cells that hold paragraphs, headings or
lists, as old sites built pages) is read cell by cell as ordinary flow.
"""
from __future__ import annotations

import re

from lxml import etree
from lxml import html as lxml_html

from archive import sandbox
from archive.extract.blocks import HEADING, LIST_ITEM, PARAGRAPH, ROW, Block, Document
from archive.text import clean_line

_SKIP_TAGS = {"script", "style", "head", "noscript", "template", "nav", "footer", "aside", "form", "input",
              "select", "textarea", "label", "iframe", "svg", "img", "object", "embed", "video", "audio",
              "canvas", "map", "option", "title", "meta", "link"}
_SKIP_ROLES = {"navigation", "menu", "menubar", "menuitem", "button", "search", "toolbar", "tablist", "tab",
               "dialog", "alert", "banner", "contentinfo", "complementary"}
# Class-name words of page chrome (split at "-", "_" and spaces): menus, buttons, icons.
_CHROME_CLASSES = {"nav", "navbar", "navigation", "menu", "breadcrumb", "breadcrumbs", "btn", "button",
                   "badge", "icon", "glyphicon", "fa", "toolbar", "dropdown", "cookie", "cookies", "skip",
                   "share", "sharing", "social", "sidebar", "pagination", "pager", "print", "sr", "visually",
                   "modal"}
# Class-name words that mark a heading where the page used no <h1>–<h6>.
_TITLE_CLASSES = {"title", "titel", "overskrift", "heading", "headline", "rubrik"}
_BLOCK_TAGS = {"p", "div", "section", "article", "main", "header", "blockquote", "pre", "ul", "ol", "dl", "dt",
               "dd", "table", "tr", "td", "th", "tbody", "thead", "tfoot", "li", "h1", "h2", "h3", "h4",
               "h5", "h6", "center", "address", "figure", "figcaption", "fieldset", "details", "summary",
               "caption", "hr", "body", "html", "font", "span"}
_CONTAINERS_WITH_BLOCKS = {"p", "div", "section", "article", "main", "header", "blockquote", "pre", "ul", "ol",
                           "dl", "table", "h1", "h2", "h3", "h4", "h5", "h6", "center", "address", "figure",
                           "li", "dt", "dd", "hr"}
_BOLD_TAGS = {"b", "strong", "th"}
_UNDERLINE_TAGS = {"u", "ins"}
_HEADING_TAG = re.compile(r"^h([1-6])$")
_XML_PROLOG = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)


def _classes(element) -> set[str]:
    return {word for word in re.split(r"[\s_-]+", (element.get("class") or "").lower()) if word}


def _is_chrome(element) -> bool:
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag in _SKIP_TAGS:
        return True
    if element.get("hidden") is not None or element.get("aria-hidden") == "true":
        return True
    if tag == "button" or (element.get("role") or "").lower() in _SKIP_ROLES:
        # A button that wraps an item's heading (a collapsible item) is content.
        return not any(_HEADING_TAG.match(d.tag) for d in element.iter() if isinstance(d.tag, str))
    style = (element.get("style") or "").replace(" ", "").lower()
    if "display:none" in style or "visibility:hidden" in style:
        return True
    return bool(_classes(element) & _CHROME_CLASSES)


def _has_block_child(element) -> bool:
    for child in element:
        if isinstance(child.tag, str) and not _is_chrome(child) and (
                child.tag in _CONTAINERS_WITH_BLOCKS or _has_block_child(child)):
            return True
    return False


class _Walker:
    def __init__(self, name: str = "") -> None:
        self.blocks: list[Block] = []
        self._gap = False
        self._name = name
        self._chars = 0

    def _add(self, block: Block) -> None:
        """A block, within the reading limits (archive.sandbox): a huge page stops as it is walked."""
        self.blocks.append(block)
        self._chars += len(block.text)
        if len(self.blocks) % 1000 == 0:
            sandbox.check_lines(self._name, len(self.blocks))
            sandbox.check_text(self._name, self._chars)

    # -- inline text with its emphasis ------------------------------------------
    def _runs(self, element, bold: bool, underline: bool, out: list[tuple[str, bool, bool]]) -> None:
        """(text, bold, underline) runs of an element's inline content; <br> gives a "\\n" run."""
        tag = element.tag if isinstance(element.tag, str) else ""
        bold = bold or tag in _BOLD_TAGS or "bold" in (element.get("style") or "").lower()
        underline = underline or tag in _UNDERLINE_TAGS or "underline" in (element.get("style") or "").lower()
        if element.text:
            out.append((element.text, bold, underline))
        for child in element:
            if isinstance(child.tag, str) and not _is_chrome(child):
                if child.tag == "br":
                    out.append(("\n", bold, underline))
                else:
                    self._runs(child, bold, underline, out)
            if child.tail:
                out.append((child.tail, bold, underline))

    def _emit_inline(self, element, kind: str = PARAGRAPH, level: int = 0, number: str = "") -> None:
        runs: list[tuple[str, bool, bool]] = []
        self._runs(element, False, False, runs)
        self._emit_runs(runs, kind, level, number, title=bool(_classes(element) & _TITLE_CLASSES),
                        href=_sole_link(element))

    def _emit_runs(self, runs, kind: str, level: int, number: str, title: bool = False, href: str = "") -> None:
        """One block per line of the runs (a <br> ends a line); a title-classed paragraph is a heading.
        ``href``: the element is one link; its block keeps the address."""
        if title and kind == PARAGRAPH:
            kind, level = HEADING, 1
        lines: list[list[tuple[str, bool, bool]]] = [[]]
        for run in runs:
            if run[0] == "\n":
                lines.append([])
            else:
                lines[-1].append(run)
        emitted = False
        for line in lines:
            text = clean_line("".join(t for t, _, _ in line))
            if not text:
                continue
            visible = [(b, u) for t, b, u in line if t.strip()]
            self._add(Block(text, kind=kind, level=level, bold=all(b for b, _ in visible),
                            underline=all(u for _, u in visible), number="" if emitted else number,
                            gap=self._gap and not emitted, href=href if len(lines) == 1 else ""))
            emitted = True
            self._gap = False
        if emitted:
            self._gap = kind in (HEADING, PARAGRAPH)

    # -- block structure ----------------------------------------------------------
    def walk(self, element, list_depth: int = 0) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        if not tag or _is_chrome(element):
            return
        heading = _HEADING_TAG.match(tag)
        if heading:
            self._gap = True
            self._emit_inline(element, HEADING, int(heading.group(1)))
            return
        if tag in ("ul", "ol"):
            self._list(element, list_depth + 1)
            self._gap = True
            return
        if tag == "table":
            self._table(element, list_depth)
            self._gap = True
            return
        if tag == "hr":
            self._gap = True
            return
        if not _has_block_child(element):
            if tag in _BLOCK_TAGS or tag == "td":
                self._gap = self._gap or tag in ("p", "div", "blockquote", "pre", "center", "address")
                self._emit_inline(element)
            return
        # Mixed content: inline runs between block children are paragraphs of their own.
        runs: list[tuple[str, bool, bool]] = []
        if element.text:
            runs.append((element.text, False, False))
        for child in element:
            if not isinstance(child.tag, str) or _is_chrome(child):
                if child.tail:
                    runs.append((child.tail, False, False))
                continue
            if child.tag in _CONTAINERS_WITH_BLOCKS or _has_block_child(child):
                self._emit_runs(runs, PARAGRAPH, 0, "")
                runs = []
                self.walk(child, list_depth)
            elif child.tag == "br":
                runs.append(("\n", False, False))
            else:
                self._runs(child, False, False, runs)
            if child.tail:
                runs.append((child.tail, False, False))
        self._emit_runs(runs, PARAGRAPH, 0, "")

    def _list(self, element, depth: int) -> None:
        ordered = element.tag == "ol"
        start = element.get("start") or "1"
        counter = int(start) if start.isdigit() else 1
        style = element.get("type") or ""
        for li in element:
            if not isinstance(li.tag, str) or _is_chrome(li):
                continue
            if li.tag != "li":
                self.walk(li, depth)
                continue
            number = _list_number(counter, style) if ordered else ""
            counter += 1
            nested = [c for c in li if isinstance(c.tag, str) and c.tag in ("ul", "ol")]
            runs: list[tuple[str, bool, bool]] = []
            if li.text:
                runs.append((li.text, False, False))
            for child in li:
                if isinstance(child.tag, str) and child.tag in ("ul", "ol"):
                    if child.tail:
                        runs.append((child.tail, False, False))
                    continue
                if not isinstance(child.tag, str) or _is_chrome(child):
                    if child.tail:
                        runs.append((child.tail, False, False))
                    continue
                if child.tag in ("p", "div"):
                    if runs and runs[-1][0] != "\n":
                        runs.append(("\n", False, False))
                    self._runs(child, False, False, runs)
                elif child.tag == "br":
                    runs.append(("\n", False, False))
                else:
                    self._runs(child, False, False, runs)
                if child.tail:
                    runs.append((child.tail, False, False))
            self._emit_runs(runs, LIST_ITEM, depth, number, href=_sole_link(li))
            for sub in nested:
                self._list(sub, depth + 1)

    def _table(self, element, depth: int) -> None:
        """Rows in order; cells outside any row (broken markup) are read as flow."""
        for child in element:
            if not isinstance(child.tag, str) or _is_chrome(child):
                continue
            if child.tag in ("tbody", "thead", "tfoot"):
                self._table(child, depth)
            elif child.tag == "tr":
                self._row(child, depth)
            else:
                self.walk(child, depth)

    def _row(self, row, depth: int) -> None:
        cells = [c for c in row if isinstance(c.tag, str) and c.tag in ("td", "th") and not _is_chrome(c)]
        # Cells with paragraphs or line breaks are page layout: read them as flow, line by line.
        if any(_has_block_child(c) or c.find(".//br") is not None for c in cells):
            self._gap = True
            for cell in cells:
                self.walk(cell, depth)
            return
        filled: list[tuple[str, list[tuple[str, bool, bool]], object]] = []
        for cell in cells:
            runs: list[tuple[str, bool, bool]] = []
            self._runs(cell, False, False, runs)
            text = clean_line(" ".join(t for t, _, _ in runs if t != "\n"))
            if text and (not filled or filled[-1][0] != text):    # merged cells repeat their text
                filled.append((text, runs, cell))
        if len(filled) == 1:
            text, runs, cell = filled[0]
            self._emit_runs(runs, PARAGRAPH, 0, "", title=bool(_classes(cell) & _TITLE_CLASSES))
        elif filled:
            bold = all(b for _, runs, _ in filled for t, b, _ in runs if t.strip())
            texts = tuple(text for text, _, _ in filled)
            self._add(Block("  ".join(texts), kind=ROW, cells=texts, bold=bold, gap=self._gap))
            self._gap = False


def _sole_link(element) -> str:
    """The address of the one link that makes up ``element``'s text ("Bilag 1: …" in a list),
    when it is absolute: a saved page's relative links lead nowhere outside its site."""
    links = [a for a in element.iter("a") if a.get("href")]
    if len(links) != 1 or not re.match(r"https?://", links[0].get("href", "").strip(), re.IGNORECASE):
        return ""
    runs: list[tuple[str, bool, bool]] = []
    _Walker()._runs(element, False, False, runs)         # the element's visible text, chrome left out
    own = clean_line("".join(t for t, _, _ in runs))
    return links[0].get("href", "").strip() if own and clean_line(links[0].text_content()) == own else ""


def _list_number(n: int, style: str) -> str:
    if style == "a":
        return f"{chr(ord('a') + (n - 1) % 26)}."
    if style == "A":
        return f"{chr(ord('A') + (n - 1) % 26)}."
    return f"{n}."


def html_document(markup: str, name: str) -> Document:
    markup = _XML_PROLOG.sub("", markup, count=1)
    try:
        root = lxml_html.document_fromstring(markup or "<html></html>")
    except (etree.ParserError, ValueError):
        root = lxml_html.document_fromstring("<html><body><pre></pre></body></html>")
    title = ""
    for element in root.iter("title"):
        title = clean_line(element.text_content())
        break
    walker = _Walker(name)
    body = root.find("body")
    walker.walk(body if body is not None else root)      # (libxml2 caps nesting at 256: no deep recursion)
    return Document(name, walker.blocks, title=title)
