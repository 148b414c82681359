"""What the segmenter reads off a line: its words, the text's type size, and the lines that open or
close parts of a document (attendance, labels, signatures)."""
from __future__ import annotations

import re
from collections import Counter

from archive.extract.blocks import Block

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


def words(text: str) -> int:
    return len(_WORD.findall(text))


def text_size(blocks: list[Block]) -> float:
    """The type size most of the text is set in (0: the format has no sizes)."""
    sizes: Counter[float] = Counter()
    for block in blocks:
        if block.size:
            sizes[block.size] += len(block.text)
    return sizes.most_common(1)[0][0] if sizes else 0.0


def label_line(text: str) -> bool:
    return bool(NOT_TOPIC.match(text)) and not text.lower().startswith(("punkt", "pkt"))
