"""How the segmenter found a document's items: a code, with its Danish words for `--explain`."""
from __future__ import annotations

from enum import Enum


class Method(Enum):
    AGENDA_HEADINGS = "overskrifter efter dagsordenen"   # headings that repeat a numbered agenda's titles
    NUMBERED = "nummererede punkter"                     # a consistent chain of item numbers
    ONE_NUMBERED = "ét nummereret punkt"                 # one numbered item with its case parts
    TOPIC_HEADINGS = "emneoverskrifter"                  # topic headings (their style in Segmentation.style)
    PARAGRAPHS = "et punkt pr. afsnit"                   # one topic per paragraph
    NONE = "ingen punkter"

    def text(self, style: str = "") -> str:
        """The Danish words ``arkiv ingest --explain`` prints: "emneoverskrifter (fed skrift)"."""
        return f"{self.value} ({style})" if style else self.value
