"""archive.extract.textquality: each symptom of a bad text layer measured on fictional text and on real pages.

The real pages are read in place from ../shared/realworld/corpus (never copied).
"""
from __future__ import annotations

import functools
import io
import logging

import pytest

from archive.extract.textquality import (
    MIN_DICTIONARY_SHARE,
    assess,
    control_share,
    dictionary_share,
    restore_spaces,
    space_substitute,
)

FICTIONAL = """Referat af bestyrelsesmøde i Grundejerforeningen Fjordbakken
1. Godkendelse af dagsorden
Dagsordenen blev godkendt uden bemærkninger.
2. Bådebroen ved Østerstrand
Bestyrelsen drøftede reparationen af bådebroen. Tømreren har sendt et tilbud på 48.000 kroner,
og bestyrelsen godkendte tilbuddet. Græsslåningen på fællesarealerne fortsætter som hidtil.
"""


def _no_cmap(text: str) -> str:
    """What a font without a usable character map gives: each glyph's number as a character."""
    glyphs: dict[str, str] = {}
    return "".join(c if c in " \n" else glyphs.setdefault(c, chr(1 + len(glyphs) % 30)) for c in text)


def _shifted(text: str) -> str:
    """Glyph numbers that happen to fall on letters: every letter moved three places on."""
    return "".join(chr(ord(c) + 3) if c.isalpha() and c.isascii() else c for c in text)


def test_good_danish_text():
    quality = assess(FICTIONAL)
    assert quality.verdict == "good" and quality.reason == ""
    assert quality.control_share == 0 and quality.space_substitute == ""
    assert quality.dictionary_share >= 0.9        # inflected forms and compounds (græsslåningen) count


def test_empty_text():
    assert assess("").verdict == "empty"
    assert assess(" \n \n\f").verdict == "empty"
    assert assess("12 34\n5").verdict == "empty"          # numbers alone are no text


def test_control_characters_are_garbage():
    garbled = _no_cmap(FICTIONAL)
    assert control_share(garbled) > 0.8
    quality = assess(garbled)
    assert quality.verdict == "garbage" and "kontroltegn" in quality.reason
    # a stray control character or two is not
    assert assess(FICTIONAL + "\x07\x01").verdict == "good"


def test_letters_that_form_no_words_are_garbage():
    garbled = _shifted(FICTIONAL)
    words, share = dictionary_share(garbled)
    assert words >= 30 and share < MIN_DICTIONARY_SHARE
    quality = assess(garbled)
    assert quality.verdict == "garbage" and "danske ord" in quality.reason


def test_too_few_words_are_not_judged_by_the_dictionary():
    assert assess("Xqzt Bvvk Plorg").verdict == "good"     # a name or two on a page is no evidence


@pytest.mark.parametrize("substitute", ["!", "□", "#"])
def test_a_character_where_the_spaces_belong(substitute):
    joined = FICTIONAL.replace(" ", substitute)
    assert space_substitute(joined) == substitute
    assert restore_spaces(joined, substitute) == FICTIONAL
    quality = assess(joined)
    assert quality.space_substitute == substitute
    assert quality.verdict == "good" and quality.dictionary_share >= 0.9   # judged with the spaces back


def test_ordinary_punctuation_is_no_space_substitute():
    text = FICTIONAL + "Mødet sluttede kl. 21.30! Tak for i aften! Se også www.fjordbakken-eksempel.dk/referater."
    assert space_substitute(text) == ""


# -- real pages ----------------------------------------------------------------------------

@functools.cache
def text_layer(path) -> list[str]:
    """A PDF's raw text layer per page, as pdfminer.six reads it (cached: test_ocr reads the corpus too)."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTTextContainer

    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    return ["".join(element.get_text() for element in page if isinstance(element, LTTextContainer))
            for page in extract_pages(io.BytesIO(path.read_bytes()))]


@pytest.fixture(scope="module")
def corpus(realworld_dir):
    return realworld_dir / "corpus"


def test_real_page_with_exclamation_marks_for_spaces(corpus):
    [page] = text_layer(corpus / "gf-alslev-nord" / "Generalforsamling 2014.pdf")
    quality = assess(page)
    assert quality.space_substitute == "!" and quality.verdict == "good"
    restored = restore_spaces(page, "!")
    assert "Valg af dirigent" in restored and "!" not in restored


def test_real_pages_that_other_readers_fill_with_squares_are_good(corpus):
    """pypdf reads this file's spaces as "□"; pdfminer.six, which arkiv uses, reads real spaces."""
    pages = text_layer(corpus / "gf-alslev-nord" / "Generalforsamling 2008.pdf")
    assert {(assess(page).space_substitute, assess(page).verdict) for page in pages} == {("", "good")}


def test_real_pages_whose_font_has_no_character_map(corpus):
    for name in ("referat_20100818.pdf", "referat_20101109.pdf"):
        for page in text_layer(corpus / "ef-oresund-strandpark" / name):
            quality = assess(page)
            # pdfminer.six writes such glyphs as "(cid:12)": no Danish word on the page.
            assert quality.verdict == "garbage" and quality.dictionary_share < 0.05, name


def test_real_scanned_pages_are_empty(corpus):
    pages = text_layer(corpus / "ef-oresund-strandpark" / "generalforsamling_20150421.pdf")
    assert len(pages) == 5 and all(assess(page).verdict == "empty" for page in pages)


@pytest.mark.slow
def test_every_real_text_page_is_judged_good_with_a_margin(corpus):
    """Over all 600-odd pages of the corpus: no good page is taken for garbage.

    The dictionary threshold has room: the lowest share on a page of 30 words
    or more is well above it, and the garbled pages are all far below.
    """
    verdicts: dict[str, int] = {}
    lowest = 1.0
    garbage = set()
    for path in sorted(corpus.rglob("*.pdf")):
        for page in text_layer(path):
            quality = assess(page)
            verdicts[quality.verdict] = verdicts.get(quality.verdict, 0) + 1
            if quality.verdict == "garbage":
                garbage.add(path.name)
            elif quality.verdict == "good" and quality.words >= 30:
                lowest = min(lowest, quality.dictionary_share)
    assert garbage == {"referat_20100818.pdf", "referat_20101109.pdf"}
    assert verdicts["good"] > 600
    assert lowest >= MIN_DICTIONARY_SHARE + 0.2, lowest
