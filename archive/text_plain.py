"""Turn a highlighted HTML snippet back into plain text for the terminal."""
from __future__ import annotations

import html
import re

_MARK = re.compile(r"</?mark>")


def strip_marks(snippet: str) -> str:
    return html.unescape(_MARK.sub("", snippet))
