"""Citations people paste (archive.cite): text naming body, meeting, date, item and permalink, and
the same as BibTeX and RIS downloads from the item page."""
from __future__ import annotations

import datetime as dt

from helpers_auth import INTERNAL_ITEM

from archive import cite
from archive.model import AgendaItem, Meeting


def _meeting(**extra) -> tuple[AgendaItem, Meeting]:
    item = AgendaItem("2", "Valg af formand & 50% af bestyrelsen", position=2, case_number="GF-2024/7",
                      id="2024-04-18-fjordby-grundejerforening--2")
    meeting = Meeting("Generalforsamlingen", dt.date(2024, 4, 18), number="12", items=[item], id="m")
    for name, value in extra.items():
        setattr(meeting, name, value)       # what the parser gives where it knows it
    return item, meeting


def test_citation_names_body_meeting_date_item_and_permalink():
    item, meeting = _meeting()
    assert cite.citation(item, meeting, "https://arkiv.example.dk/punkt/x") == (
        "Generalforsamlingen, 12. møde, 18. april 2024, pkt. 2: Valg af formand & 50% af bestyrelsen\n"
        "https://arkiv.example.dk/punkt/x")
    # With the meeting's kind and the body's parent, where the minutes give them.
    item, meeting = _meeting(meeting_kind="ordinær generalforsamling", parent_body="Fjordby Grundejerforening")
    assert cite.citation(item, meeting) == ("Generalforsamlingen (Fjordby Grundejerforening), 12. møde, ordinær "
                                            "generalforsamling, 18. april 2024, pkt. 2: Valg af formand & 50% af bestyrelsen")
    # A parent the body's name already says is not said twice; an item without number by its place.
    item, meeting = _meeting(parent_body="generalforsamlingen")
    item.number = ""
    assert cite.citation(item, meeting).startswith("Generalforsamlingen, 12. møde, 18. april 2024, punkt 2: ")
    assert cite.danish_date(dt.date(2018, 6, 20)) == "20. juni 2018"


def test_bibtex_and_ris():
    item, meeting = _meeting(meeting_kind="ordinær generalforsamling", parent_body="Fjordby Grundejerforening")
    bib = cite.bibtex(item, meeting, "https://arkiv.example.dk/punkt/x")
    assert bib.startswith("@misc{arkiv-2024-04-18-fjordby-grundejerforening--2,\n")
    assert "  title = {Valg af formand \\& 50\\% af bestyrelsen},\n" in bib
    assert "  author = {{Generalforsamlingen (Fjordby Grundejerforening)}},\n" in bib   # a body, not a person
    assert "  howpublished = {Referat, 12. møde, ordinær generalforsamling},\n" in bib
    assert "  year = {2024},\n  month = apr,\n  day = {18},\n  date = {2024-04-18},\n" in bib
    assert "  note = {pkt. 2, sag GF-2024/7},\n  url = {https://arkiv.example.dk/punkt/x},\n" in bib
    assert bib.endswith("  language = {danish}\n}\n") and bib.count("{") == bib.count("}")
    ris = cite.ris(item, meeting, "https://arkiv.example.dk/punkt/x")
    lines = ris.split("\r\n")
    assert lines[0] == "TY  - GEN" and lines[-2] == "ER  - " and lines[-1] == ""
    assert "TI  - Valg af formand & 50% af bestyrelsen" in lines
    assert "AU  - Generalforsamlingen (Fjordby Grundejerforening)" in lines
    assert {"PY  - 2024", "DA  - 2024/04/18", "PB  - Fjordby Grundejerforening", "N1  - pkt. 2, sag GF-2024/7",
            "UR  - https://arkiv.example.dk/punkt/x", "LA  - da", "T2  - Referat, 12. møde, ordinær generalforsamling"} \
        <= set(lines)


def test_item_page_citation_and_downloads(client, seed_items):
    item_id = seed_items["47/18"]
    page = client.get(f"/punkt/{item_id}").get_data(as_text=True)
    assert f'href="/punkt/{item_id}/kilde.bib" download>BibTeX</a>' in page
    assert f'href="/punkt/{item_id}/kilde.ris" download>RIS</a>' in page
    bib = client.get(f"/punkt/{item_id}/kilde.bib")
    assert bib.status_code == 200 and bib.mimetype == "application/x-bibtex"
    assert bib.headers["Content-Disposition"] == f'attachment; filename="arkiv-{item_id}.bib"'
    text = bib.get_data(as_text=True)
    assert "author = {{Bestyrelsen for den nationale strategi for Personlig Medicin 2017-2020}}" in text
    assert f"url = {{http://localhost/punkt/{item_id}}}" in text and "note = {pkt. 47/18}" in text
    ris = client.get(f"/punkt/{item_id}/kilde.ris")
    assert ris.mimetype == "application/x-research-info-systems"
    assert "DA  - 2018/06/20\r\n" in ris.get_data(as_text=True)
    assert client.get("/punkt/findes-ikke/kilde.bib").status_code == 404


def test_citation_downloads_respect_who_sees_what(private_archive):
    from helpers_auth import sign_in

    from web import create_app

    app = create_app(private_archive.config(PUBLIC=True))
    anon, reader = app.test_client(), app.test_client()
    sign_in(reader, "laeser")
    for ext in ("bib", "ris"):
        assert anon.get(f"/punkt/{INTERNAL_ITEM}/kilde.{ext}").status_code == 404
        assert reader.get(f"/punkt/{INTERNAL_ITEM}/kilde.{ext}").status_code == 200
