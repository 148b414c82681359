"""Label lines of a header: "Mødedato: 4. maj", "Tid:", "**Sted:** Rådhuset"."""
from __future__ import annotations

import re

from archive.text import strip_markdown_inline

# "Mødedato: …", "Tid:", "Sted\t…": a label and its value.
_LABEL = re.compile(r"^\s*(?:[-*]\s+)?\**([A-ZÆØÅa-zæøå][\wæøåÆØÅ ./-]{1,30}?)\**\s*:\**\s*(.*)$")


def label_value(text: str) -> tuple[str, str] | None:
    """(label in lower case, its value) of a label line, or None."""
    m = _LABEL.match(text)
    if not m:
        return None
    return m.group(1).strip().lower(), strip_markdown_inline(m.group(2)).strip(" *\t")
