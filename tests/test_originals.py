"""One record per file content, one meeting per meeting: twins, agenda and minutes, id collisions,
the same file reached twice, and the migration of a version-1 archive (fictional minutes only)."""
from __future__ import annotations

import datetime as dt
import json
import shutil
import sqlite3

import helpers_pdf
import pytest

from archive.check import check
from archive.ingest import ingest, reindex
from archive.store.sqlite import SCHEMA_VERSION, Store
from index.engine_tantivy import open_engine

MINUTES = helpers_pdf.MINUTES + "\n" + helpers_pdf.MORE + "\n"

AGENDA = """Dagsorden for bestyrelsesmøde i Fjordby Bådelaug
Dato: 12. marts 2024 kl. 19.00

1. Godkendelse af dagsorden
2. Havnens nye bådebro
3. Eventuelt
"""


def _pdf(text: str) -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    for line in text.split("\n"):
        pdf.cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


@pytest.fixture()
def archive(tmp_path):
    store = Store(tmp_path / "home")
    engine = open_engine(store.index_dir)
    yield store, engine
    store.close()


def _run(store, engine, *paths):
    return ingest(list(paths), store, engine, progress=False)


def test_same_minutes_as_text_and_pdf_are_one_meeting_with_two_originals(tmp_path, archive):
    store, engine = archive
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "bestyrelse_2024-03-12.txt").write_text(MINUTES, encoding="utf-8")
    (folder / "referat marts.pdf").write_bytes(_pdf(MINUTES))
    report = _run(store, engine, folder)
    assert [r.status for r in report.results] == ["added", "added"]
    assert [r.joined for r in report.results] == [False, True]
    assert store.counts()["meetings"] == 1 and store.counts()["originals"] == 2
    meeting = next(store.iter_meetings())
    assert meeting.source_file == "bestyrelse_2024-03-12.txt"        # text keeps its structure best
    assert [o.ext for o in store.meeting_originals(meeting.id)] == [".txt", ".pdf"]
    assert engine.item_count() == 3                                   # every search hit once
    assert check(store, engine) == []
    # The same minutes as PDF and text used to break check and reindex for good.
    again = reindex(store, engine)
    assert not again.failed and check(store, engine) == []
    assert engine.item_count() == store.counts()["items"] == 3


def test_agenda_then_minutes_is_one_meeting_and_the_minutes_win(tmp_path, archive):
    store, engine = archive
    agenda = tmp_path / "dagsorden_2024-03-12.md"
    agenda.write_text(AGENDA, encoding="utf-8")
    first = _run(store, engine, agenda)
    meeting_id = first.results[0].meeting_id
    minutes = tmp_path / "referat_2024-03-12.md"
    minutes.write_text(MINUTES, encoding="utf-8")
    second = _run(store, engine, minutes)
    assert second.results[0].joined and second.results[0].meeting_id == meeting_id
    meeting = store.get_meeting(meeting_id)
    assert meeting.source_file == "referat_2024-03-12.md"
    assert "Fjordby Træ" in meeting.items[1].minutes
    assert {o.kind for o in store.meeting_originals(meeting_id)} == {"dagsorden", "referat"}


def test_different_meetings_with_the_same_id_both_survive(tmp_path, archive):
    """Ids come from date + body + number; two different meetings that share them used to replace
    each other, and re-ingest then called the lost one unchanged."""
    store, engine = archive
    a, b = tmp_path / "a" / "bestyrelse.md", tmp_path / "b" / "bestyrelse.md"
    a.parent.mkdir()
    b.parent.mkdir()
    a.write_text(MINUTES, encoding="utf-8")
    other = MINUTES.replace("Havnens nye bådebro", "Vinteropbevaring af både").replace(
        "Bestyrelsen drøftede de tre tilbud på den nye bådebro og valgte tilbuddet fra Fjordby Træ.",
        "Pladsen på land er fuldt booket; ventelisten åbner i august.").replace(
        "Arbejdet begynder efter sæsonen, når bådene er taget på land.", "Kassereren sender regninger ud.").replace(
        "Søren Æbelø foreslog en arbejdsdag i maj, hvor klubhuset males.", "Ingen bemærkninger.")
    b.write_text(other, encoding="utf-8")
    first = _run(store, engine, a, b)
    ids = [r.meeting_id for r in first.results]
    assert len(set(ids)) == 2 and ids[1].startswith(ids[0])
    assert store.counts()["meetings"] == 2
    again = _run(store, engine, a, b)
    assert [r.status for r in again.results] == ["unchanged", "unchanged"]
    assert store.counts()["meetings"] == 2 and engine.item_count() == 6
    assert sorted(m.id for m in store.iter_meetings()) == sorted(ids)   # stable ids


def test_the_same_file_reached_twice_is_one_record(tmp_path, archive):
    """`arkiv ingest folder parent` and a copy in another folder: one original, one meeting."""
    store, engine = archive
    folder = tmp_path / "referater"
    folder.mkdir()
    (folder / "marts.md").write_text(MINUTES, encoding="utf-8")
    copy = tmp_path / "kopi"
    copy.mkdir()
    shutil.copy(folder / "marts.md", copy / "marts-kopi.md")
    report = _run(store, engine, folder, tmp_path)
    statuses = sorted(r.status for r in report.results)
    assert statuses == ["added", "unchanged"]
    assert "samme indhold som" in next(r.message for r in report.results if r.status == "unchanged")
    assert store.counts()["meetings"] == 1 and store.counts()["originals"] == 1
    assert store.counts()["sources"] == 2 and engine.item_count() == 3
    assert check(store, engine) == []


def test_changed_file_leaves_its_twin_meeting_whole(tmp_path, archive):
    store, engine = archive
    text, pdf = tmp_path / "marts.md", tmp_path / "marts.pdf"
    text.write_text(MINUTES, encoding="utf-8")
    pdf.write_bytes(_pdf(MINUTES))
    _run(store, engine, text, pdf)
    (meeting,) = store.iter_meetings()
    text.write_text(MINUTES.replace("hvor klubhuset males", "hvor klubhuset og broen males"), encoding="utf-8")
    report = _run(store, engine, text, pdf)
    assert [r.status for r in report.results] == ["updated", "unchanged"]
    assert [m.id for m in store.iter_meetings()] == [meeting.id]
    assert len(store.meeting_originals(meeting.id)) == 2
    assert check(store, engine) == []


V1_SCHEMA = """
CREATE TABLE sources (path TEXT PRIMARY KEY, sha256 TEXT NOT NULL, meeting_id TEXT NOT NULL,
                      ingested_at TEXT NOT NULL);
CREATE TABLE meetings (id TEXT PRIMARY KEY, sha256 TEXT NOT NULL, ext TEXT NOT NULL, date TEXT,
                       body TEXT NOT NULL, number TEXT NOT NULL, items INTEGER NOT NULL, data TEXT NOT NULL);
CREATE TABLE items (id TEXT PRIMARY KEY, meeting_id TEXT NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
                    position INTEGER NOT NULL);
"""


def test_a_version_1_archive_is_upgraded_when_opened(tmp_path):
    """An archive written before originals had their own table opens and is migrated: every
    meeting keeps its id and items, and a second file of the same minutes (a PDF next to the
    text, which version 1 stored under one meeting row) gets its own original."""
    from archive.ids import assign_ids
    from archive.parse.document import parse_text

    home = tmp_path / "gammelt-arkiv"
    home.mkdir()
    text_sha, pdf_sha = "a" * 64, "b" * 64
    for sha, ext in ((text_sha, ".txt"), (pdf_sha, ".pdf")):
        (home / "originals" / sha[:2]).mkdir(parents=True, exist_ok=True)
        (home / "originals" / sha[:2] / f"{sha}{ext}").write_bytes(b"x")
    meeting = assign_ids(parse_text(MINUTES, "marts.txt"))
    meeting.source_sha256 = text_sha
    db = sqlite3.connect(home / "arkiv.sqlite")
    db.executescript(V1_SCHEMA)
    db.execute("INSERT INTO meetings VALUES (?, ?, '.txt', ?, ?, '', 3, ?)",
               (meeting.id, text_sha, meeting.date.isoformat(), meeting.body, json.dumps(meeting.to_dict())))
    db.executemany("INSERT INTO items VALUES (?, ?, ?)", [(i.id, meeting.id, i.position) for i in meeting.items])
    db.executemany("INSERT INTO sources VALUES (?, ?, ?, '2024-01-01')",
                   [("/ind/marts.txt", text_sha, meeting.id), ("/ind/marts.pdf", pdf_sha, meeting.id)])
    db.commit()
    db.close()

    store = Store(home)
    try:
        assert store.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert store.get_meeting(meeting.id).items == meeting.items
        assert store.meeting_versions() == {meeting.id: text_sha}
        assert sorted(o.ext for o in store.meeting_originals(meeting.id)) == [".pdf", ".txt"]
        assert store.source_sha256("/ind/marts.pdf") == pdf_sha
        assert store.counts() == {"meetings": 1, "items": 3, "sources": 2, "originals": 2}
    finally:
        store.close()
    Store(home).close()                      # opening again changes nothing


def test_a_version_2_archive_gains_the_body_hint_column(tmp_path, archive):
    """Version 3 keeps the body an original was given at ingest; a version-2 archive is upgraded
    in place: its originals keep their parse and get an empty hint."""
    store, engine = archive
    path = tmp_path / "marts.md"
    path.write_text(MINUTES, encoding="utf-8")
    _run(store, engine, path)
    home = store.home
    store.close()
    db = sqlite3.connect(home / "arkiv.sqlite")
    db.executescript("ALTER TABLE originals DROP COLUMN body_hint; PRAGMA user_version = 2;")
    db.close()
    upgraded = Store(home)
    try:
        assert upgraded.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        (sha,) = [row[0] for row in upgraded.db.execute("SELECT sha256 FROM originals")]
        assert upgraded.original_body_hint(sha) == ""
        assert upgraded.counts()["meetings"] == 1
    finally:
        upgraded.close()


def test_meeting_dates_and_bodies_from_the_header_not_the_text(tmp_path, archive):
    store, engine = archive
    text = ("Referat af bestyrelsesmøde i Fjordby Bådelaug 9. marts 2020\n\n"
            "Næste møde: 14. april 2020\n\n1. Sommerfest\nFesten holdes 20. juni 2020 på havnen.\n"
            "2. Eventuelt\nIntet.\n")
    path = tmp_path / "noter.md"
    path.write_text(text, encoding="utf-8")
    _run(store, engine, path)
    (meeting,) = store.iter_meetings()
    assert meeting.date == dt.date(2020, 3, 9)
    assert meeting.body == "Fjordby Bådelaug"


def test_front_and_back_matter_are_searchable_with_the_first_and_last_item(tmp_path, archive):
    from index.search import parse_request, search

    store, engine = archive
    text = MINUTES.replace("Til stede: Hanne Østergaard, Søren Æbelø",
                           "Til stede: Hanne Østergaard, Søren Æbelø\nAfbud: Kirsten Vandkant\n\n"
                           "Husk standerhejsningen søndag morgen.") + "\nReferent: Bjarne Sejlmager\n"
    path = tmp_path / "marts.md"
    path.write_text(text, encoding="utf-8")
    _run(store, engine, path)
    (meeting,) = store.iter_meetings()
    assert "Kirsten Vandkant" in meeting.attendance and "standerhejsningen" in meeting.preamble
    assert "Bjarne Sejlmager" in meeting.back_matter

    def hits(q):
        return [h.number for h in search(engine, parse_request({"q": q})).results]

    assert hits("Vandkant") == ["1"] and hits("standerhejsningen") == ["1"]
    assert hits("Sejlmager") == ["3"]


def test_meeting_page_offers_every_original_for_download(tmp_path, archive, parse_html):
    from web import create_app

    store, engine = archive
    text, pdf = tmp_path / "marts.md", tmp_path / "marts.pdf"
    text.write_text(MINUTES, encoding="utf-8")
    pdf.write_bytes(_pdf(MINUTES))
    _run(store, engine, text, pdf)
    (meeting,) = store.iter_meetings()
    client = create_app({"TESTING": True, "ARKIV_HOME": str(store.home), "PUBLIC": True}).test_client()
    page = parse_html(client.get(f"/moede/{meeting.id}").get_data(as_text=True))
    links = [(href, label) for href, label, _ in page.links if label.startswith("Hent ")]
    assert [label for _, label in links] == ["Hent originalfilen (marts.md)", "Hent samme møde som PDF (marts.pdf)"]
    assert links[0][0] == f"/moede/{meeting.id}/original"
    assert client.get(links[0][0]).data == text.read_bytes()
    assert client.get(links[1][0]).data == pdf.read_bytes()
    assert client.get(f"/moede/{meeting.id}/original/{'0' * 64}").status_code == 404
