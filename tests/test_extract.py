"""archive.extract: every format to blocks (and text), every bad input to one clear Danish ExtractError."""
from __future__ import annotations

import io
import zlib

import pytest

from archive.errors import ExtractError
from archive.extract.blocks import HEADING, LIST_ITEM, ROW
from archive.extract.files import extract_document, extract_text
from archive.extract.from_docx import MAX_UNPACKED_BYTES

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


def test_utf16_with_and_without_bom(tmp_path):
    """UTF-16 minutes (Windows Notepad's "Unicode") were refused as binary data."""
    text = "Referat fra mødet i Fjordby Ældreråd\nSøren Æbelø orienterede om høringen.\n"
    for name, data in [("le-bom.txt", text.encode("utf-16")),              # BOM + little-endian
                       ("be-bom.txt", b"\xfe\xff" + text.encode("utf-16-be")),
                       ("le.txt", text.encode("utf-16-le")),
                       ("be.md", text.encode("utf-16-be"))]:
        path = tmp_path / name
        path.write_bytes(data)
        assert extract_text(path) == text, name


def test_html_blocks_keep_structure():
    html = ("<html><head><title>Fjordby Ældreråd - Referat</title><style>p{}</style>"
            "<script>var x = 1;</script></head><body>"
            "<h2>1. Godkendelse</h2><p>Det blev <b>godkendt</b>.</p><p><strong>Bemærk</strong></p>"
            "<ol><li>Én</li><li>To</li></ol>"
            "<table><tr><td>Hanne Østergaard</td><td>formand</td></tr></table></body></html>")
    document = extract_document(html.encode("utf-8"), "referat.html")
    kinds = [(b.kind, b.level, b.text, b.bold, b.number) for b in document.blocks]
    assert kinds[:5] == [(HEADING, 2, "1. Godkendelse", False, ""), ("paragraph", 0, "Det blev godkendt.", False, ""),
                         ("paragraph", 0, "Bemærk", True, ""), (LIST_ITEM, 1, "Én", False, "1."),
                         (LIST_ITEM, 1, "To", False, "2.")]
    assert document.blocks[5].kind == ROW and document.blocks[5].cells == ("Hanne Østergaard", "formand")
    assert document.title == "Fjordby Ældreråd - Referat"
    text = document.text()
    assert "## 1. Godkendelse" in text and "- 1. Én" in text and "var x" not in text


def test_html_page_chrome_left_out():
    """Navigation, menus, buttons, icons and hidden parts of a saved page are not minutes."""
    html = """<html><body><nav class="navbar"><a href="/">Forside</a></nav>
      <div class="tilbage"><a class="btn back-button">Tilbage til forsiden</a></div>
      <h1>Referat 5. november 2024</h1>
      <table><tr><td><span class="label">1</span></td><td>
        <button class="overskrift-btn"><h2>Godkendelse af dagsorden</h2></button>
        <div><h3>Beslutninger</h3><div>Godkendt.</div></div>
        <ul class="dropdown-menu" role="menu"><li><a role="menuitem">Hent som PDF</a></li></ul>
        <span class="badge fil-ikon">3</span><span role="button">PDF</span>
        <div hidden>Skjult tekst</div><div style="display: none">Også skjult</div>
      </td></tr></table></body></html>"""
    texts = [b.text for b in extract_document(html.encode("utf-8"), "side.html").blocks]
    assert texts == ["Referat 5. november 2024", "1", "Godkendelse af dagsorden", "Beslutninger", "Godkendt."]


def test_docx_styles_runs_numbering_and_tables(tmp_path):
    import docx
    from docx.shared import Pt

    document = docx.Document()
    document.add_heading("Referat af møde i Fjordby Ældreråd", level=1)
    run = document.add_paragraph().add_run("Punkt 1: Godkendelse")
    run.bold, run.font.size = True, Pt(14)
    document.add_paragraph("Søren Æbelø bød velkommen.")
    document.add_paragraph("Flere boliger", style="List Number")
    document.add_paragraph("Bedre busser", style="List Number")
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "Pkt. 1"
    table.rows[0].cells[1].text = "Godkendelse af dagsorden"
    path = tmp_path / "referat.docx"
    document.save(path)
    blocks = extract_document(path.read_bytes(), path.name).blocks
    assert (blocks[0].kind, blocks[0].level) == (HEADING, 1)
    assert (blocks[1].text, blocks[1].bold, blocks[1].size) == ("Punkt 1: Godkendelse", True, 14.0)
    assert not blocks[2].bold
    assert [(b.kind, b.number, b.text) for b in blocks[3:5]] == [(LIST_ITEM, "1.", "Flere boliger"),
                                                                  (LIST_ITEM, "2.", "Bedre busser")]
    assert blocks[5].cells == ("Pkt. 1", "Godkendelse af dagsorden")
    assert "Pkt. 1  Godkendelse af dagsorden" in extract_text(path)


def test_docx_zip_bomb_refused_before_unpacking(tmp_path):
    """A small .docx whose members unpack to more than the limit is refused without being unpacked
    (it used to run for minutes and gigabytes: the 50 MB limit saw only the compressed size)."""
    import zipfile

    import docx

    document = docx.Document()
    document.add_paragraph("Referat af møde i Fjordby Ældreråd")
    path = tmp_path / "bombe.docx"
    document.save(path)
    chunk = bytes(1024 * 1024)
    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        with archive.open("word/media/fyld.bin", "w", force_zip64=True) as member:
            for _ in range(MAX_UNPACKED_BYTES // len(chunk) + 1):
                member.write(chunk)
    assert path.stat().st_size < 2 * 1024 * 1024
    with pytest.raises(ExtractError, match=r"^bombe\.docx: Word-dokumentet fylder \d+ MB udpakket"):
        extract_text(path)


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
    blocks = extract_document(path.read_bytes(), path.name).blocks
    assert [b.page for b in blocks] == [1, 2]          # every block knows its page


def test_pdf_font_size_weight_and_bullets(tmp_path):
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    for style, size, line in [("B", 16, "Referat af bestyrelsesmøde"), ("B", 11, "1. Valg af dirigent"),
                              ("", 11, "Hanne Østergaard blev valgt."), ("", 11, "\u2022 Flere bænke")]:
        pdf.set_font("Helvetica" if "\u2022" not in line else "Helvetica", style=style, size=size)
        pdf.cell(0, 8, line.replace("\u2022", "-"), new_x="LMARGIN", new_y="NEXT")
    path = tmp_path / "referat.pdf"
    path.write_bytes(bytes(pdf.output()))
    blocks = extract_document(path.read_bytes(), path.name).blocks
    assert [(b.text, b.bold, b.size) for b in blocks[:3]] == [
        ("Referat af bestyrelsesmøde", True, 16.0), ("1. Valg af dirigent", True, 11.0),
        ("Hanne Østergaard blev valgt.", False, 11.0)]
    assert (blocks[3].kind, blocks[3].text) == (LIST_ITEM, "Flere bænke")


def test_pdf_running_header_footer_and_page_numbers_dropped(tmp_path):
    topics = {1: ("Budget", "Kassereren fremlagde budgettet."), 2: ("Vejfest", "Festen holdes i juni."),
              3: ("Eventuelt", "Intet.")}
    pages = [f"Fjordby Ældreråd - referat 2024\nPunkt {n}: {topics[n][0]}\n{topics[n][1]}\n\n\n\n\n\n\n\n"
             f"\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\nSide {n} af 3" for n in (1, 2, 3)]
    path = tmp_path / "referat.pdf"
    path.write_bytes(_fpdf_document(pages))
    document = extract_document(path.read_bytes(), path.name)
    texts = [b.text for b in document.blocks]
    assert "Fjordby Ældreråd - referat 2024" not in texts            # a running header on every page
    assert document.dropped.count("Fjordby Ældreråd - referat 2024") == 3
    assert not any(t.startswith("Side ") for t in texts)
    assert [t for t in texts if t.startswith("Punkt")] == ["Punkt 1: Budget", "Punkt 2: Vejfest",
                                                           "Punkt 3: Eventuelt"]
    assert "Side 2 af 3" in document.dropped


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


@pytest.mark.slow
def test_pdf_without_text_even_by_ocr(tmp_path):
    """A page with a drawn line and no text: OCR reads it and finds nothing either."""
    path = tmp_path / "scannet.pdf"
    path.write_bytes(_empty_page_pdf())
    with pytest.raises(ExtractError, match=r"^scannet\.pdf: PDF-filen har ingen tekst, heller ikke ved OCR"):
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
    with pytest.raises(ExtractError, match=r"^falsk\.pdf: ikke en PDF-fil"):
        extract_text(path)


@pytest.mark.parametrize("data", [b"", b"   \n\n  "])
def test_empty_file(tmp_path, data):
    path = tmp_path / "tom.txt"
    path.write_bytes(data)
    with pytest.raises(ExtractError, match=r"^tom\.txt: filen er tom$"):
        extract_text(path)


def test_binary_junk(tmp_path):
    path = tmp_path / "skrald.txt"
    path.write_bytes(bytes(range(256)) * 20)
    with pytest.raises(ExtractError, match=r"^skrald\.txt: binære data"):
        extract_text(path)


def test_corrupt_docx(tmp_path):
    path = tmp_path / "i-stykker.docx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(ExtractError, match=r"^i-stykker\.docx: Word-dokumentet er beskadiget"):
        extract_text(path)


def test_unsupported_extension(tmp_path):
    path = tmp_path / "referat.odt"
    path.write_bytes(b"whatever")
    with pytest.raises(ExtractError, match=r"^referat\.odt: filtypen '\.odt' understøttes ikke"):
        extract_text(path)


def test_missing_file(tmp_path):
    with pytest.raises(ExtractError, match=r"^findes-ikke\.txt: filen kan ikke læses"):
        extract_text(tmp_path / "findes-ikke.txt")


def test_messages_are_one_line(tmp_path):
    path = tmp_path / "skrald.pdf"
    path.write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 4)
    with pytest.raises(ExtractError) as info:
        extract_text(path)
    assert "\n" not in str(info.value) and str(info.value).startswith("skrald.pdf: ")


def _pdf_with_text_in_a_form(lines: list[tuple[str, float, bool]]) -> bytes:
    """A one-page PDF whose text is drawn inside a form XObject (as some printers' PDF drivers
    write every page): ``lines`` of (text, size, bold), top to bottom."""
    ops, y = [], 780.0
    for text, size, bold in lines:
        ops.append(f"BT /{'F2' if bold else 'F1'} {size:g} Tf 72 {y:g} Td ({text}) Tj ET")
        y -= size * 2
    form = "\n".join(ops).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Fm1 5 0 R >> >>"
        b" /Contents 4 0 R >>",
        b"<< /Length 14 >>\nstream\nq /Fm1 Do Q\n\nendstream",
        b"<< /Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources << /Font << /F1 6 0 R /F2 7 0 R >> >>"
        b" /Length " + str(len(form)).encode() + b" >>\nstream\n" + form + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def test_pdf_text_drawn_inside_a_form_is_read_with_its_type(tmp_path):
    """Text inside a form XObject is the page's text layer (not a page for OCR), with size and weight."""
    data = _pdf_with_text_in_a_form([("Referat af generalforsamling i Fjordby Roklub", 20, True),
                                     ("Valg af dirigent", 14, True),
                                     ("Ida Holm blev valgt som dirigent og konstaterede lovligheden.", 11, False)])
    document = extract_document(data, "referat.pdf")
    assert document.pages_without_text == []
    assert [(b.text, b.size, b.bold, b.ocr) for b in document.blocks] == [
        ("Referat af generalforsamling i Fjordby Roklub", 20, True, False),
        ("Valg af dirigent", 14, True, False),
        ("Ida Holm blev valgt som dirigent og konstaterede lovligheden.", 11, False, False)]
