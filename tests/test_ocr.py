"""OCR of scanned and garbled PDFs: real Tesseract (Debian's tesseract-ocr + tesseract-ocr-dan) on PDFs
made here from fictional minutes, through the real ingest, store, index and search.

`make test` and `.ci/run` install Tesseract; without it these tests fail with its install line.
"""
from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys

import pytest
from conftest import ROOT, use_ocr_cache

from archive.export import item_record
from archive.extract.ocr import PageText, mark_ocr, page_texts
from archive.ingest import ingest, parse_file, reindex
from archive.model import AgendaItem, Meeting
from archive.store.sqlite import Store
from benchmark.scanned import page_image, scanned_pdf, word_recall, words
from index.engine_tantivy import open_engine
from index.search import parse_request, search

# Tesseract reads pages: seconds each (the fast loop leaves OCR out).
pytestmark = pytest.mark.slow

FJORDBAKKEN = """Referat af bestyrelsesmøde i Grundejerforeningen Fjordbakken
Tirsdag den 12. marts 2019 kl. 19.00 i fælleshuset

1. Godkendelse af dagsorden
Dagsordenen blev godkendt uden bemærkninger.

2. Bådebroen ved Østerstrand
Bestyrelsen drøftede reparationen af bådebroen. Tømreren har sendt
et tilbud på 48.000 kroner. Bestyrelsen godkendte tilbuddet.

3. Grønne områder
Græsslåningen på fællesarealerne fortsætter som hidtil. Formanden
undersøger prisen på nye bænke ved legepladsen og på sø-stien.

4. Eventuelt
Næste møde holdes i maj. Kassereren mødte ikke op."""

# The same meeting's second half, for a PDF whose first page has a text layer and second is a scan.
FIRST_HALF, SECOND_HALF = FJORDBAKKEN.split("\n\n3. ")
SECOND_HALF = "3. " + SECOND_HALF


@pytest.fixture(scope="module", autouse=True)
def tesseract():
    from archive.extract.ocr import INSTALL_HINT, find_engine

    if find_engine() is None:
        pytest.fail(f"Tesseract med dansk sprogmodel mangler: {INSTALL_HINT}")


@pytest.fixture(scope="module")
def scan_bytes() -> bytes:
    return scanned_pdf([FJORDBAKKEN])


@pytest.fixture()
def scan(tmp_path, scan_bytes):
    path = tmp_path / "fjordbakken-2019-03-12.pdf"
    path.write_bytes(scan_bytes)
    return path


@pytest.fixture()
def archive(tmp_path):
    store = Store(tmp_path / "home")
    engine = open_engine(store.index_dir)
    yield store, engine
    store.close()


def _stored_text(meeting: Meeting) -> str:
    """Every string the store keeps for the meeting."""
    def strings(value):
        if isinstance(value, str):
            yield value
        elif isinstance(value, dict):
            for v in value.values():
                yield from strings(v)
        elif isinstance(value, list):
            for v in value:
                yield from strings(v)
    return "\n".join(strings(meeting.to_dict()))


def _search_ids(engine, query: str) -> list[str]:
    return [hit.id for hit in search(engine, parse_request({"q": query})).results]


def test_a_scanned_pdf_is_read_and_found(archive, scan):
    store, engine = archive
    report = ingest([scan], store, engine)
    assert not report.failed, report.failed
    meeting = next(store.iter_meetings())
    # The same minutes as a text file are the reference: what the parser keeps of them, OCR must give.
    reference = parse_file(FJORDBAKKEN.encode(), "0" * 64, "fjordbakken-2019-03-12.txt")
    recall = word_recall(_stored_text(reference), _stored_text(meeting))
    print(f"word recall of OCR after ingest: {recall:.1%} of {len(words(_stored_text(reference)))} words")
    assert recall >= 0.95
    assert meeting.date == reference.date and len(meeting.items) == len(reference.items) == 4
    assert {"bådebroen", "tømreren", "græsslåningen", "fællesarealerne"} <= set(words(_stored_text(meeting)))
    assert meeting.ocr_pages == [1] and all(item.ocr for item in meeting.items)
    # search: an æøå word of item 2 finds item 2
    boat = next(item for item in meeting.items if item.number == "2")
    assert _search_ids(engine, "bådebroen") == [boat.id]
    assert _search_ids(engine, "græsslåningen")[0] == next(i.id for i in meeting.items if i.number == "3")
    # the export says the text was read by OCR
    record = item_record(boat, meeting)
    assert record["ocr"] is True and record["source"]["ocr_pages"] == [1]


def test_ocr_is_cached_and_reindex_reads_no_page_twice(archive, scan, scan_bytes):
    store, engine = archive
    ingest([scan], store, engine)
    cache_file = store.ocr_dir / hashlib.sha256(scan_bytes).hexdigest()[:2] / f"{hashlib.sha256(scan_bytes).hexdigest()}.json"
    cached = json.loads(cache_file.read_text(encoding="utf-8"))
    assert cached["engine"].startswith("tesseract ") and " dan " in cached["engine"]
    assert "bådebroen" in cached["pages"]["1"]
    # Mark the cached text: if reindex read it from the cache, the mark is what it stores and indexes.
    cached["pages"]["1"] = cached["pages"]["1"].replace("bådebroen", "kagebroen")
    cache_file.write_text(json.dumps(cached, ensure_ascii=False), encoding="utf-8")
    report = reindex(store, engine)
    assert not report.failed
    meeting = next(store.iter_meetings())
    assert "kagebroen" in _stored_text(meeting) and "bådebroen" not in _stored_text(meeting)
    assert len(_search_ids(engine, "kagebroen")) == 1
    # page_texts with the same cache: no page is read, so no progress is reported
    calls: list[tuple] = []
    pages = page_texts(scan_bytes, scan.name, [""], cache_dir=store.ocr_dir, progress=lambda *a: calls.append(a))
    assert calls == [] and pages[0].ocr and "kagebroen" in pages[0].text


def test_pages_are_read_in_parallel_with_progress_per_page(scan_bytes):
    data = scanned_pdf([FIRST_HALF, SECOND_HALF, FJORDBAKKEN])
    calls: list[tuple] = []
    pages = page_texts(data, "tre-sider.pdf", ["", "", ""], jobs=2, progress=lambda *a: calls.append(a))
    assert [p.number for p in pages] == [1, 2, 3] and all(p.ocr for p in pages)
    assert calls[0] == ("tre-sider.pdf", 0, 3) and calls[-1] == ("tre-sider.pdf", 3, 3)
    assert sorted(done for _, done, _ in calls) == [0, 1, 2, 3]
    assert word_recall(SECOND_HALF, pages[1].text) >= 0.95


def _mixed_pdf() -> bytes:
    """Page 1 with a text layer (items 1–2), page 2 a scanned image (items 3–4)."""
    import io

    from fpdf import FPDF

    pdf = FPDF(unit="mm", format="A4")
    pdf.core_fonts_encoding = "windows-1252"
    pdf.set_font("Helvetica", size=11)
    pdf.add_page()
    for line in FIRST_HALF.split("\n"):
        pdf.cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    pdf.add_page()
    image = io.BytesIO()
    page_image(SECOND_HALF).save(image, format="PNG")
    pdf.image(image, x=0, y=0, w=210, h=297)
    return bytes(pdf.output())


def test_a_mixed_pdf_marks_only_the_items_on_its_scanned_page(archive, tmp_path):
    store, engine = archive
    path = tmp_path / "blandet.pdf"
    path.write_bytes(_mixed_pdf())
    assert not ingest([path], store, engine).failed
    meeting = next(store.iter_meetings())
    assert meeting.ocr_pages == [2]
    assert [(item.number, item.ocr) for item in meeting.items] == [("1", False), ("2", False), ("3", True), ("4", True)]
    assert "Græsslåningen" in meeting.items[2].minutes


OCR_NOTICE = "Teksten er genkendt fra et scannet dokument (OCR) og kan indeholde fejllæsninger."


def test_item_and_meeting_pages_say_which_text_was_read_by_ocr(archive, tmp_path):
    from web import create_app

    store, engine = archive
    path = tmp_path / "blandet.pdf"
    path.write_bytes(_mixed_pdf())
    ingest([path], store, engine)
    meeting = next(store.iter_meetings())
    client = create_app({"TESTING": True, "ARKIV_HOME": str(store.home), "PUBLIC": True}).test_client()
    page = client.get(f"/moede/{meeting.id}").get_data(as_text=True)
    assert f"{OCR_NOTICE} Det gælder side 2 i originalen." in page
    assert page.count('class="ocr-flag"') == 2                 # items 3 and 4 in the agenda
    scanned, typed = client.get(f"/punkt/{meeting.items[2].id}"), client.get(f"/punkt/{meeting.items[0].id}")
    assert OCR_NOTICE in scanned.get_data(as_text=True)
    assert "OCR" not in typed.get_data(as_text=True)
    assert client.get(f"/api/items/{meeting.items[2].id}").get_json()["ocr"] is True
    rows = client.get("/eksport.csv?kolonner=en").get_data(as_text=True).splitlines()
    assert rows[0].endswith(",ocr") and sorted(row.rsplit(",", 1)[1] for row in rows[1:]) == ["ja", "ja", "nej", "nej"]


def test_garbage_text_layer_is_replaced_by_ocr(scan_bytes):
    glyphs: dict[str, str] = {}
    no_cmap = "".join(c if c in " \n" else glyphs.setdefault(c, chr(1 + len(glyphs) % 30)) for c in FJORDBAKKEN)
    [page] = page_texts(scan_bytes, "skrald.pdf", [no_cmap])
    assert page.ocr and word_recall(FJORDBAKKEN, page.text) >= 0.95
    shifted = "".join(chr(ord(c) + 3) if c.isalpha() and c.isascii() else c for c in FJORDBAKKEN)
    [page] = page_texts(scan_bytes, "forskudt.pdf", [shifted])
    assert page.ocr and word_recall(FJORDBAKKEN, page.text) >= 0.95


def test_a_good_text_layer_is_kept_and_spaces_are_restored_without_ocr(scan_bytes):
    calls: list[tuple] = []
    [page] = page_texts(scan_bytes, "god.pdf", [FJORDBAKKEN], progress=lambda *a: calls.append(a))
    assert page == PageText(1, FJORDBAKKEN, False) and calls == []
    [page] = page_texts(scan_bytes, "udråb.pdf", [FJORDBAKKEN.replace(" ", "!")], progress=lambda *a: calls.append(a))
    assert page == PageText(1, FJORDBAKKEN, False) and calls == []


def test_a_stamped_header_on_a_scan_is_not_taken_for_its_text(scan_bytes):
    """Scanner software that adds "Side 1" as text: the page is still read by OCR."""
    [page] = page_texts(scan_bytes, "stempel.pdf", ["Side 1"])
    assert page.ocr and word_recall(FJORDBAKKEN, page.text) >= 0.95


def test_blank_pages_are_not_read():
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_font("Helvetica", size=11)
    pdf.add_page()
    pdf.cell(0, 6, "Referat af bestyrelsesmøde i Grundejerforeningen Fjordbakken")
    pdf.add_page()                    # nothing on it
    calls: list[tuple] = []
    pages = page_texts(bytes(pdf.output()), "tom-side.pdf", ["Referat af bestyrelsesmøde", ""],
                       progress=lambda *a: calls.append(a))
    assert [p.ocr for p in pages] == [False, False] and pages[1].text == "" and calls == []


def test_without_tesseract_a_scan_is_refused_with_what_to_install(tmp_path, scan, seed_path):
    """`arkiv ingest` on a machine without Tesseract: the scan fails with the install line, the rest ingests."""
    empty_path = tmp_path / "no-programs"
    empty_path.mkdir()
    env = dict(os.environ, PATH=str(empty_path))
    done = subprocess.run([sys.executable, "-m", "arkiv.cli", "--home", str(tmp_path / "home"), "ingest",
                           str(scan), str(seed_path)], cwd=ROOT, env=env, capture_output=True, text=True)
    assert done.returncode == 1
    failure = next(line for line in done.stderr.splitlines() if line.startswith("FEJL"))
    assert failure.startswith(f"FEJL: {scan.name}: side 1 er scannet")
    assert "sudo apt-get install tesseract-ocr tesseract-ocr-dan" in failure
    assert "1 nye" in done.stdout and "1 fejlede" in done.stdout


def test_mark_ocr_finds_items_on_their_pages():
    pages = [PageText(1, "Dagsorden\n1. Budget\n2. Veje\n\n1. Budget\nBudgettet for 2020 blev vedtaget.", False),
             PageText(2, "2. Veje\nVejene i Fjordbakken skal\nasfalteres i år.", True)]
    meeting = Meeting(body="Fjordbakken", items=[
        AgendaItem("1", "Budget", minutes="Budgettet for 2020 blev vedtaget."),
        AgendaItem("2", "Veje", minutes="Vejene i Fjordbakken skal asfalteres i år."),
    ])
    mark_ocr(meeting, pages)
    assert meeting.ocr_pages == [2] and [i.ocr for i in meeting.items] == [False, True]
    # An item whose text is not on the pages (the parser changed it) is flagged: rather warned than not.
    meeting.items.append(AgendaItem("3", "Eventuelt", minutes="Intet."))
    mark_ocr(meeting, pages)
    assert [i.ocr for i in meeting.items] == [False, True, True]
    # No page read by OCR: nothing flagged
    mark_ocr(meeting, [PageText(1, pages[0].text, False)])
    assert meeting.ocr_pages == [] and not any(i.ocr for i in meeting.items[:2])


def test_ocr_in_the_ingest_worker_processes(archive, tmp_path, scan, seed_path, capsys):
    """40 files take the worker path: OCR runs there, with the cache dir and progress passed to it."""
    from archive import ingest as ingest_mod

    folder = tmp_path / "mange"
    folder.mkdir()
    for k in range(ingest_mod.PARALLEL_MIN_FILES - 1):
        text = seed_path.read_text(encoding="utf-8").replace("20. juni 2018", f"{k % 28 + 1}. maj 2017")
        (folder / f"referat-{k:02d}.txt").write_text(text, encoding="utf-8")
    (folder / scan.name).write_bytes(scan.read_bytes())
    store, engine = archive
    report = ingest([folder], store, engine, progress=True)
    assert not report.failed, report.failed
    assert len(list(store.ocr_dir.rglob("*.json"))) == 1
    err = capsys.readouterr().err
    assert "OCR" in err and "1/1" in err
    scanned = [m for m in store.iter_meetings() if m.ocr_pages]
    assert len(scanned) == 1 and scanned[0].source_file == scan.name


def test_the_corpus_scans_and_garbled_pdfs_ingest_with_their_text(tmp_path, realworld_dir, shared_ocr_cache):
    """Every PDF of the real corpus without a usable text layer on any page ingests, read by OCR."""
    from test_textquality import text_layer

    from archive.extract.textquality import assess, dictionary_share

    use_ocr_cache(tmp_path / "home", shared_ocr_cache)
    store = Store(tmp_path / "home")
    engine = open_engine(store.index_dir)
    corpus = realworld_dir / "corpus"
    unreadable = [path for path in sorted(corpus.rglob("*.pdf"))
                  if not any(assess(page).verdict == "good" for page in text_layer(path))]
    assert len(unreadable) >= 7                # 5 scans and 2 with fonts without a character map
    exclamations = corpus / "gf-alslev-nord" / "Generalforsamling 2014.pdf"
    report = ingest([*unreadable, exclamations], store, engine)
    assert not report.failed, [r.message for r in report.failed]
    by_file = {m.source_file: m for m in store.iter_meetings()}
    for path in unreadable:
        meeting = by_file[path.name]
        assert meeting.ocr_pages == list(range(1, len(text_layer(path)) + 1)), path.name
        assert all(item.ocr for item in meeting.items)
        count, share = dictionary_share(_stored_text(meeting))
        assert count >= 100 and share >= 0.7, (path.name, count, share)
    assert _search_ids(engine, "fuldmagter")        # a word only the scans hold
    # The "!"-for-space text layer is used with its spaces back, not read by OCR.
    alslev = by_file[exclamations.name]
    assert alslev.ocr_pages == [] and "Valg af dirigent" in _stored_text(alslev)
    assert "!" not in "".join(item.minutes for item in alslev.items)
