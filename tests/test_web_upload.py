"""Upload from the browser: the same ingest as `arkiv ingest`, per-file results with
links, limits on type, size and names (Flask test client; the browser test drives the
page's script)."""
from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from helpers_auth import EDITOR, PASSWORD, READER, form_token, sign_in

from archive.accounts import Accounts
from archive.store.sqlite import Store
from web import create_app

CORPUS = "corpus/nordjysk-kampsportscenter"
REAL = "090707_bestyrelse.pdf"
MINUTES = """REFERAT

2. møde i bestyrelsen for Fjordby Roklub

Dato og sted
Torsdag 6. juni 2024 kl. 19.00 – 21.00

Dagsorden

Pkt. 1/24 19:00 – 19:30 Nye årer til kaproningen

Pkt. 2/24 19:30 – 21:00 Eventuelt

Punkt 1/24:

Nye årer til kaproningen

Kassereren foreslår at købe nye årer.

REFERAT:

Bestyrelsen godkendte købet.

Punkt 2/24:

Eventuelt

REFERAT:

Intet.
"""
PROSE = "Referat\n\nVi mødtes i klubhuset og talte om vejret, om bådene og om sommerens stævne.\n"


@pytest.fixture()
def app(tmp_path):
    store = Store(tmp_path)
    Accounts(store.db).add(EDITOR, "editor", PASSWORD)
    Accounts(store.db).add(READER, "reader", PASSWORD)
    store.close()
    return create_app({"TESTING": True, "ARKIV_HOME": str(tmp_path), "UPLOAD_LOCK_WAIT": 0.2})


@pytest.fixture()
def editor(app):
    client = app.test_client()
    sign_in(client)
    return client


def upload(client, *files: tuple[str, bytes], fragment: bool = False):
    data = {"csrf_token": form_token(client, "/indlaes"),
            "files": [(io.BytesIO(content), name) for name, content in files]}
    if fragment:
        data["fragment"] = "1"
    return client.post("/indlaes", data=data, content_type="multipart/form-data")


def results(response) -> list[str]:
    """The text of each file's result, tags stripped."""
    html = response.get_data(as_text=True)
    html = html[:html.index('<section class="help"')] if '<section class="help"' in html else html
    parts = html.split('<li class="upload-file')[1:]
    return [" ".join(re.sub(r"<[^>]+>", " ", part.split(">", 1)[1]).split()) for part in parts]


def test_a_real_pdf_is_ingested_and_answered_with_meeting_items_and_a_missing_date(editor, app, realworld_dir):
    pdf = realworld_dir / CORPUS / REAL
    response = upload(editor, (REAL, pdf.read_bytes()))
    assert response.status_code == 200
    (result,) = results(response)
    assert result.startswith(f"{REAL} Indlæst") and "dagsordenspunkter fundet" in result
    html = response.get_data(as_text=True)
    meeting_link = re.search(r'Møde: <a href="(/moede/[^"]+)"', html).group(1)
    assert editor.get(meeting_link).status_code == 200
    item_links = re.findall(r'<li><a href="(/punkt/[^"]+)">', html)
    assert len(item_links) >= 2 and all(editor.get(u).status_code == 200 for u in item_links)
    saved = app.extensions["arkiv"].home / "uploads" / dt.date.today().isoformat() / REAL
    assert saved.read_bytes() == pdf.read_bytes()
    # The same ingest as the command line: stored, indexed, listed, and in the audit log.
    meeting_id = meeting_link.rsplit("/", 1)[1]
    assert editor.get(f"/api/search?meeting={meeting_id}").get_json()["total"] == len(item_links)
    assert "Indlæst" in editor.get("/rettelser").get_data(as_text=True)
    # The same file again changes nothing.
    (again,) = results(upload(editor, (REAL, pdf.read_bytes())))
    assert "Uændret" in again


def test_several_files_at_once_without_javascript(editor):
    response = upload(editor, ("2024-06-06_roklub.txt", MINUTES.encode()), ("klubaften.md", PROSE.encode()),
                      ("tom.txt", b""), ("tal.txt", b"12 34 56\n"), ("program.exe", b"MZ"))
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Resultat" in page
    got = dict((r.split(" ", 1)[0], r) for r in results(response))
    assert got["program.exe"].startswith("program.exe Afvist Filtypen .exe kan ikke indlæses.")
    assert "Indlæst" in got["2024-06-06_roklub.txt"] and "pkt. 1/24: Nye årer til kaproningen" in got["2024-06-06_roklub.txt"]
    assert "Der blev ikke fundet dagsordenspunkter: hele referatet er gemt som ét punkt. Se mødet" in got["klubaften.md"]
    assert "Der blev ikke fundet en mødedato. Ret datoen" in got["klubaften.md"]
    assert "Ikke indlæst Der kunne ikke læses tekst ud af filen" in got["tom.txt"]
    assert "Sprunget over Filen ligner ikke et referat" in got["tal.txt"]
    # Each warning links where the editor can act.
    assert 'href="/indlaes#hjaelp-tekst"' in page and 'href="/indlaes#hjaelp-referat"' in page
    assert re.search(r'<a href="/moede/[^"]+/ret">Ret datoen</a>', page)
    assert 'id="hjaelp-tekst"' in page and 'id="hjaelp-referat"' in page


def test_the_script_gets_one_result_fragment_per_file(editor):
    response = upload(editor, ("2024-06-06_roklub.txt", MINUTES.encode()), fragment=True)
    assert response.headers["X-Arkiv-Upload"] == "1"
    html = response.get_data(as_text=True).strip()
    assert html.startswith('<li class="upload-file ok">') and "<html" not in html
    assert "Nye årer til kaproningen" in html


def test_file_names_are_made_safe_and_never_leave_the_upload_folder(editor, app):
    upload(editor, ("../../hemmelig/../2024-06-06_rokl ub æøå.txt", MINUTES.encode()),
           (".skjult.md", PROSE.encode()), ("Dokumenter/2024/referat.TXT", MINUTES.replace("Intet.", "Ingenting.").encode()))
    folder = app.extensions["arkiv"].home / "uploads" / dt.date.today().isoformat()
    assert sorted(p.name for p in folder.iterdir()) == ["2024-06-06_rokl_ub_æøå.txt", "referat.txt", "skjult.md"]
    # A different file under a name already used today is kept beside it.
    upload(editor, ("referat.txt", MINUTES.replace("Intet.", "Noget andet.").encode()))
    assert (folder / "referat-2.txt").exists()


def test_limits_give_danish_answers(app, editor):
    response = editor.post("/indlaes", data={"csrf_token": form_token(editor, "/indlaes")},
                           content_type="multipart/form-data")
    assert response.status_code == 400 and "Vælg mindst én fil." in response.get_data(as_text=True)
    app.config["MAX_CONTENT_LENGTH"] = 10_000
    response = upload(editor, ("stor.txt", b"x" * 20_000))
    assert response.status_code == 413
    assert "Filerne er for store til at blive sendt på én gang." in response.get_data(as_text=True)


def test_an_upload_while_another_ingest_runs_says_so(app, editor):
    store = Store(app.extensions["arkiv"].home)
    with store.write_lock():
        (result,) = results(upload(editor, ("2024-06-06_roklub.txt", MINUTES.encode())))
    store.close()
    assert "Ikke indlæst Arkivet er optaget af en anden indlæsning." in result


def test_only_editors_upload(app):
    client = app.test_client()
    assert client.get("/indlaes").headers["Location"].startswith("/log-ind")
    sign_in(client, READER)
    assert client.get("/indlaes").status_code == 403


def test_a_file_over_the_limit_is_refused_before_anything_is_written(app, editor):
    """A 51 MiB upload: refused from its Content-Length (413), and a file over the per-file limit
    in a request under it is refused too; neither leaves a byte in the uploads folder."""
    from pathlib import Path

    from archive.ingest import MAX_FILE_BYTES

    uploads = Path(app.config["ARKIV_HOME"]) / "uploads"
    before = sorted(p.name for p in uploads.rglob("*")) if uploads.exists() else []
    assert upload(editor, ("stor.txt", b"x" * (51 * 1024 * 1024))).status_code == 413
    app.config["MAX_CONTENT_LENGTH"] = MAX_FILE_BYTES + 2 * 1024 * 1024
    try:
        response = upload(editor, ("lige-over.txt", b"x" * (MAX_FILE_BYTES + 1)))
    finally:
        app.config["MAX_CONTENT_LENGTH"] = MAX_FILE_BYTES + 1024 * 1024
    assert "er større end grænsen på 50 MiB og er ikke gemt" in response.get_data(as_text=True)
    after = sorted(p.name for p in uploads.rglob("*")) if uploads.exists() else []
    assert after == before
