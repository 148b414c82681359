"""archive.extract: every format to text, every bad input to one clear ExtractError."""
from __future__ import annotations

import io
import zlib

import pytest

from archive.errors import ExtractError
from archive.extract import extract_bytes, extract_text

DANISH = "Æblegrød på Ørkenvej – Åbent møde"


def test_utf8_with_bom_and_crlf(tmp_path):
    path = tmp_path / "referat.txt"
    path.write_bytes(("\ufeff" + DANISH + "\r\nLinje to\rLinje tre\r\n").encode("utf-8"))
    assert extract_text(path) == DANISH + "\nLinje to\nLinje tre\n"


def test_windows_1252(tmp_path):
    text = "Referat fra mødet i Fjordby Ældreråd.\nSøren Æbelø orienterede om høringen – kort.\n" * 3
    path = tmp_path / "referat.txt"
    path.write_bytes(text.encode("cp1252"))
    assert extract_text(path) == text


def test_latin_1(tmp_path):
    text = "Gårdlauget på Østergade holdt møde.\nDer blev drøftet økonomi og æbletræer.\n" * 3
    path = tmp_path / "referat.md"
    path.write_bytes(text.encode("latin-1"))
    assert extract_text(path) == text


def test_html_blocks_on_own_lines():
    html = ("<html><head><style>p{}</style><script>var x = 1;</script></head><body>"
            "<h2>1. Godkendelse</h2><p>Det blev <b>godkendt</b>.</p><ul><li>Én</li><li>To</li></ul>"
            "<table><tr><td>Hanne Østergaard</td><td>formand</td></tr></table></body></html>")
    text = extract_bytes(html.encode("utf-8"), "referat.html")
    lines = [line for line in text.split("\n") if line.strip()]
    assert lines[:4] == ["## 1. Godkendelse", "Det blev godkendt.", "- Én", "- To"]
    assert "Hanne Østergaard" in lines[4] and "formand" in lines[4]
    assert "var x" not in text


def test_docx_paragraphs_and_tables(tmp_path):
    import docx

    document = docx.Document()
    document.add_heading("Referat af møde i Fjordby Ældreråd", level=1)
    document.add_paragraph("Søren Æbelø bød velkommen.")
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "Pkt. 1"
    table.rows[0].cells[1].text = "Godkendelse af dagsorden"
    path = tmp_path / "referat.docx"
    document.save(path)
    text = extract_text(path)
    assert "# Referat af møde i Fjordby Ældreråd" in text
    assert "Søren Æbelø bød velkommen." in text
    assert "Pkt. 1  Godkendelse af dagsorden" in text


def _fpdf_document(pages: list[str]) -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_font("Helvetica", size=12)
    for page in pages:
        pdf.add_page()
        for line in page.split("\n"):
            pdf.cell(0, 8, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def test_pdf_text_layer_with_danish_letters(tmp_path):
    path = tmp_path / "referat.pdf"
    path.write_bytes(_fpdf_document(["Referat for Fjordby Ældreråd", "Søren Æbelø: æøå ÆØÅ"]))
    text = extract_text(path)
    assert "Fjordby Ældreråd" in text
    assert "æøå ÆØÅ" in text
    assert "\f" in text            # page boundary kept as a form feed


def _empty_page_pdf() -> bytes:
    """A valid one-page PDF without any text: one drawn line."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>"]
    stream = zlib.compress(b"0 0 m 100 100 l S")
    objects.append(b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream")
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def test_pdf_without_text_even_by_ocr(tmp_path):
    """A page with a drawn line and no text: OCR reads it and finds nothing either."""
    path = tmp_path / "scannet.pdf"
    path.write_bytes(_empty_page_pdf())
    with pytest.raises(ExtractError, match=r"^scannet\.pdf: ingen tekst i PDF'en, heller ikke ved OCR"):
        extract_text(path)


def test_truncated_pdf(tmp_path):
    data = _fpdf_document(["Referat for Fjordby Ældreråd"] * 3)
    path = tmp_path / "afbrudt.pdf"
    path.write_bytes(data[: len(data) // 3])
    with pytest.raises(ExtractError, match=r"^afbrudt\.pdf: "):
        extract_text(path)


def test_not_a_pdf(tmp_path):
    path = tmp_path / "falsk.pdf"
    path.write_bytes(b"this is not a pdf at all")
    with pytest.raises(ExtractError, match=r"^falsk\.pdf: not a PDF"):
        extract_text(path)


@pytest.mark.parametrize("data", [b"", b"   \n\n  "])
def test_empty_file(tmp_path, data):
    path = tmp_path / "tom.txt"
    path.write_bytes(data)
    with pytest.raises(ExtractError, match=r"^tom\.txt: empty file$"):
        extract_text(path)


def test_binary_junk(tmp_path):
    path = tmp_path / "skrald.txt"
    path.write_bytes(bytes(range(256)) * 20)
    with pytest.raises(ExtractError, match=r"^skrald\.txt: binary data"):
        extract_text(path)


def test_corrupt_docx(tmp_path):
    path = tmp_path / "i-stykker.docx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(ExtractError, match=r"^i-stykker\.docx: corrupt Word document"):
        extract_text(path)


def test_unsupported_extension(tmp_path):
    path = tmp_path / "referat.odt"
    path.write_bytes(b"whatever")
    with pytest.raises(ExtractError, match=r"^referat\.odt: unsupported file type '\.odt'"):
        extract_text(path)


def test_missing_file(tmp_path):
    with pytest.raises(ExtractError, match=r"^findes-ikke\.txt: cannot read file"):
        extract_text(tmp_path / "findes-ikke.txt")


def test_messages_are_one_line(tmp_path):
    path = tmp_path / "skrald.pdf"
    path.write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 4)
    with pytest.raises(ExtractError) as info:
        extract_text(path)
    assert "\n" not in str(info.value) and str(info.value).startswith("skrald.pdf: ")
