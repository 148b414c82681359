"""The original PDF viewable inline (issue 22 "Polish"; no PDF JavaScript, issue 23): in Chromium
against a real `arkiv serve`, the meeting page's link opens "Originalen", whose pages are images
drawn on the server that load as they are scrolled to; axe-core finds 0 serious or critical
violations on it at 1366 and 390 px, and it fits a phone."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import Archive, ingest_into
from helpers_pdf import three_page_pdf
from helpers_serve import serve
from test_browser import browser  # noqa: F401  (the fixture)
from test_browser_axe import WIDTHS, _serious

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def live_server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("pdf")
    (folder / "baadelaug_2024-03-12.pdf").write_bytes(three_page_pdf())
    home = tmp_path_factory.mktemp("viewer-home")
    ingest_into(Archive(home), [folder / "baadelaug_2024-03-12.pdf"])
    store = Archive(home).store()
    try:
        [meeting] = list(store.iter_meetings())
    finally:
        store.close()
    with serve(home, "--public", log_dir=tmp_path_factory.mktemp("serve")) as server:
        yield server.url, meeting.id


@pytest.fixture()
def tab(browser, live_server):  # noqa: F811
    # axe-core is injected as a script, which the site's CSP (rightly) forbids: bypassed for it alone.
    context = browser.new_context(base_url=live_server[0], locale="da-DK", bypass_csp=True)
    yield context.new_page()
    context.close()


def test_the_viewer_shows_every_page_as_an_image(tab, live_server, tmp_path):
    _url, meeting = live_server
    tab.set_viewport_size({"width": 1366, "height": 900})
    tab.goto(f"/moede/{meeting}")
    with tab.expect_navigation():
        tab.get_by_role("link", name="Se originalen i browseren").click()
    assert tab.get_by_role("heading", level=1).inner_text() == "Originalen"
    assert tab.get_by_role("link", name="Hent originalfilen (baadelaug_2024-03-12.pdf)").is_visible()
    images = tab.locator(".pdf-pages img")
    assert images.count() == 3
    assert tab.locator(".pdf-pages figcaption").all_inner_texts() == ["Side 1 af 3", "Side 2 af 3", "Side 3 af 3"]
    assert all(img.get_attribute("loading") == "lazy" for img in images.all())
    for n, img in enumerate(images.all(), start=1):
        img.scroll_into_view_if_needed()
        tab.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=img.element_handle(), timeout=20000)
        natural = img.evaluate("img => [img.naturalWidth, img.naturalHeight]")
        assert natural[0] >= 600, (n, natural)
        assert (natural[1] > natural[0]) == (n != 2), (n, natural)       # page 2 is landscape
    # No PDF is embedded: nothing the PDF's own scripts could run in.
    assert tab.locator("embed, object, iframe").count() == 0
    tab.evaluate("window.scrollTo(0, 0)")
    folder = Path(os.environ.get("ARKIV_SCREENSHOTS") or tmp_path)
    tab.screenshot(path=str(folder / "screenshot-originalen.png"))        # the README's (one screen)


def test_the_viewer_has_no_serious_violation_and_fits_a_phone(tab, live_server):
    _url, meeting = live_server
    bad = {}
    for width in WIDTHS:
        tab.set_viewport_size({"width": width, "height": 900})
        tab.goto(f"/moede/{meeting}/originalen")
        problems = _serious(tab)
        scroll = tab.evaluate("document.documentElement.scrollWidth")
        if scroll > width:
            problems.append(f"{scroll} px wide")
        if problems:
            bad[width] = problems
    assert bad == {}
