"""Imported by the fork server of archive.sandbox (and only there): make the parser warm.

The first file a fresh process parses costs ~0.5 s more than the next (the lexicon, the
extractors' libraries, compiled patterns).  Paying it once in the fork server means every
child forked from it starts warm, so a file read in a bounded child costs what it did in the
ingest process.  The work is done at import because a fork server's only hook is importing.
"""
from __future__ import annotations

import gc
import importlib

# The extractors' libraries, imported where they are used (archive.extract).
LIBRARIES = ("charset_normalizer", "docx", "lxml.html", "pdfminer.high_level", "pdfminer.layout",
             "pdfminer.converter", "pdfminer.pdfinterp", "pdfminer.pdfpage", "pypdfium2")

# Fictional minutes, enough for the parser to touch every stage once.
SAMPLE = """Referat af bestyrelsesmøde i Grundejerforeningen Solsikkevej

Dato: 3. marts 2021
Til stede: Hanne Mogensen (formand), Bo Krag

1. Godkendelse af dagsorden
Dagsordenen blev godkendt.

2. Vedligeholdelse af fællesarealer
Bestyrelsen besluttede at indhente tilbud på beskæring af hækken.

3. Eventuelt
Intet.
"""


def warm() -> None:
    from archive import lexicon
    from archive.extract.files import extract_document
    from archive.parse.document import parse_document

    lexicon.load()      # PDFs' text quality reads the whole word list; a text file never does
    for name in LIBRARIES:
        try:
            importlib.import_module(name)
        except ImportError:     # an optional extractor missing here: the child says so when used
            pass
    name = "2021-03-03_bestyrelsesmoede.txt"
    parse_document(extract_document(SAMPLE.encode(), name, None), name, None)


try:
    warm()
except Exception:   # a cold child is slower, never wrong: the fork server must start regardless
    pass
# What is loaded now stays: the children's garbage collector leaves it alone, so they do not
# copy its pages (copy-on-write) by walking it.
gc.freeze()
