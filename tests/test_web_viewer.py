"""The original PDF viewable inline without PDF JavaScript (issue 22 "Polish", issue 23): the pages
as PNG images drawn on the server (web.viewer), under the original download's access rule."""
from __future__ import annotations

import io
import re

import pytest
from conftest import Archive, ingest_into
from helpers_auth import PASSWORD, sign_in
from helpers_pdf import MINUTES, three_page_pdf

from web import create_app

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    """Three meetings from PDFs: one open, one internal and one with a closed item (both only for
    signed-in users)."""
    from archive.accounts import Accounts
    from archive.store import corrections

    folder = tmp_path_factory.mktemp("pdfs")
    (folder / "baadelaug_2024-03-12.pdf").write_bytes(three_page_pdf())
    (folder / "baadelaug_2024-04-09.pdf").write_bytes(three_page_pdf(MINUTES.replace("12. marts", "9. april")))
    (folder / "baadelaug_2024-05-14.pdf").write_bytes(three_page_pdf(
        MINUTES.replace("12. marts", "14. maj").replace("2. Havnens nye bådebro", "2. Lukket: Havnens nye bådebro")))
    archive = Archive(tmp_path_factory.mktemp("home"))
    ingest_into(archive, sorted(folder.glob("*.pdf")))
    store = archive.store()
    try:
        Accounts(store.db).add("redaktoer", "editor", PASSWORD)
        [march, april, may] = sorted(store.iter_meetings(), key=lambda m: m.date)
        assert any(item.closed for item in may.items) and not may.internal
        engine = archive.engine()
        with store.write_lock():
            corrections.save(store, april, april.id, {"internal": True}, "redaktoer")
            engine.update([store.get_meeting(april.id)])
        shas = {m.id: store.meeting_originals(m.id)[0].sha256 for m in (march, april, may)}
    finally:
        store.close()
    return archive, march.id, april.id, shas, may.id


@pytest.fixture()
def client(archive):
    return create_app(archive[0].config(PUBLIC=True)).test_client()


def _size(png: bytes) -> tuple[int, int]:
    from PIL import Image

    return Image.open(io.BytesIO(png)).size


def _ink(png: bytes, top: bool) -> float:
    """The share of dark pixels in the image's top or bottom half."""
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("L")
    w, h = image.size
    half = image.crop((0, 0, w, h // 2) if top else (0, h // 2, w, h))
    dark = sum(count for level, count in enumerate(half.histogram()) if level < 128)
    return dark / (half.size[0] * half.size[1])


def test_the_viewer_lists_every_page_as_a_lazy_image_with_the_download_kept(archive, client):
    _archive, march, _april, shas, _may = archive
    page = client.get(f"/moede/{march}/originalen")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "<h1>Originalen</h1>" in html
    images = re.findall(r'<img src="([^"]+)"[^>]*loading="lazy"[^>]*alt="([^"]+)"', html, re.S)
    assert [alt for _src, alt in images] == [f"Side {n} af 3 af originalen" for n in (1, 2, 3)]
    assert [src for src, _alt in images] == [f"/moede/{march}/originalen/{shas[march]}/side/{n}.png" for n in (1, 2, 3)]
    assert "Side 3 af 3</figcaption>" in html
    assert f'href="/moede/{march}/original" download' in html               # the download is still there
    assert "<embed" not in html and "<iframe" not in html and "<object" not in html
    by_sha = client.get(f"/moede/{march}/originalen/{shas[march]}").get_data(as_text=True)
    assert re.findall(r'<img src="([^"]+)"', by_sha) == [src for src, _alt in images]
    # The meeting's page links to it.
    assert f'href="/moede/{march}/originalen/{shas[march]}"' in client.get(f"/moede/{march}").get_data(as_text=True)


def test_a_page_image_is_a_png_of_that_page_at_the_width_asked(archive, client):
    _archive, march, _april, shas, _may = archive
    base = f"/moede/{march}/originalen/{shas[march]}/side"
    first, second, third = (client.get(f"{base}/{n}.png") for n in (1, 2, 3))
    for response in (first, second, third):
        assert response.status_code == 200 and response.mimetype == "image/png"
        assert response.data.startswith(PNG)
        assert "private" in response.headers["Cache-Control"] and "max-age" in response.headers["Cache-Control"]
    w1, h1 = _size(first.data)
    w2, h2 = _size(second.data)
    assert w1 == w2 == 1200 and h1 > w1 and h2 < w2                       # portrait, then landscape
    assert _ink(third.data, top=True) > 0.95 and _ink(third.data, top=False) < 0.01   # page 3's black block
    assert _ink(first.data, top=True) < 0.2
    assert _size(client.get(f"{base}/1.png?bredde=600").data)[0] == 600
    # Cached by the browser: the same page again is a 304.
    again = client.get(f"{base}/2.png", headers={"If-None-Match": second.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    assert first.headers["ETag"] != second.headers["ETag"]


@pytest.mark.parametrize("number", ["0", "4", "99", "-1", "abc", "1e3", "١", "9" * 5000])
def test_a_page_the_pdf_does_not_have_is_a_danish_404(archive, client, number):
    _archive, march, _april, shas, _may = archive
    response = client.get(f"/moede/{march}/originalen/{shas[march]}/side/{number}.png")
    assert response.status_code == 404
    assert "Originalen har ikke en side" in response.get_data(as_text=True) and "den har 3 sider" in response.get_data(as_text=True)


@pytest.mark.parametrize("path", ["/moede/findes-ikke/originalen", "/moede/{march}/originalen/{bad}",
                                  "/moede/{march}/originalen/{bad}/side/1.png",
                                  "/moede/findes-ikke/originalen/{sha}/side/1.png"])
def test_unknown_meetings_and_files_are_404(archive, client, path):
    _archive, march, _april, shas, _may = archive
    assert client.get(path.format(march=march, bad="0" * 64, sha=shas[march])).status_code == 404


@pytest.mark.parametrize("width", ["", "800", "abc", "-600", "1200.0", "9" * 5000])
def test_a_width_not_offered_is_a_400(archive, client, width):
    _archive, march, _april, shas, _may = archive
    response = client.get(f"/moede/{march}/originalen/{shas[march]}/side/1.png?bredde={width}")
    assert response.status_code == 400 and "Bredden skal være en af 600, 1200 pixels" in response.get_data(as_text=True)


@pytest.mark.parametrize("which", ["internal", "closed"])
def test_the_pages_of_an_internal_meeting_or_one_with_a_closed_item_are_only_for_signed_in_users(archive, which):
    home, _march, april, shas, may = archive
    meeting = april if which == "internal" else may
    app = create_app(home.config(PUBLIC=True))
    anonymous = app.test_client()
    paths = [f"/moede/{meeting}/originalen", f"/moede/{meeting}/originalen/{shas[meeting]}",
             f"/moede/{meeting}/originalen/{shas[meeting]}/side/1.png"]
    for path in paths:
        assert anonymous.get(path).status_code == 404, path
    if which == "closed":                               # the meeting itself is there, without the viewer's link
        page = anonymous.get(f"/moede/{meeting}").get_data(as_text=True)
        assert "Se originalen" not in page and "Kun for brugere, der er logget ind" in page
    reader = app.test_client()
    assert sign_in(reader, "redaktoer").status_code == 302
    for path in paths:
        assert reader.get(path).status_code == 200, path
    assert reader.get(paths[-1]).data.startswith(PNG)
    assert "Se originalen i browseren" in reader.get(f"/moede/{meeting}").get_data(as_text=True)


def test_a_meeting_without_a_pdf_has_no_viewer(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "baadelaug_2024-03-12.txt").write_text(MINUTES, encoding="utf-8")
    archive = Archive(tmp_path / "home")
    ingest_into(archive, [folder / "baadelaug_2024-03-12.txt"])
    store = archive.store()
    try:
        [meeting] = list(store.iter_meetings())
    finally:
        store.close()
    client = create_app(archive.config(PUBLIC=True)).test_client()
    assert client.get(f"/moede/{meeting.id}/originalen").status_code == 404
    assert "originalen" not in client.get(f"/moede/{meeting.id}").get_data(as_text=True).split("Hent originalfilen")[1][:200]
