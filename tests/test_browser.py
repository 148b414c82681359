"""End to end in a real Chromium (Debian's, driven by Playwright) against a real `arkiv serve`.

Run only these with ``pytest -m browser``; skip them with ``-m "not browser"``.
The search page's screenshot goes to a temporary folder; ``make screenshot`` sets
ARKIV_SCREENSHOT=docs/screenshot-search.png to regenerate the README's.
"""
from __future__ import annotations

import os
import re
import shutil
import struct
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from helpers_serve import ROOT, serve

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
QUERY = "helgenomsekventering"
GERT = "Gert Sørensen"
BODY = "Bestyrelsen for den nationale strategi for Personlig Medicin 2017-2020"
CITATION_47 = ("Bestyrelsen for den nationale strategi for Personlig Medicin 2017-2020, 6. møde, "
               "20. juni 2018, pkt. 47/18: Status og planer for arbejdet med national teknologisk "
               "infrastruktur til Personlig Medicin")


@pytest.fixture(scope="module")
def live_server(archive, tmp_path_factory):
    """`arkiv serve` (gunicorn, as in production) on a free loopback port, in a subprocess."""
    with serve(archive.home, "--threads", "4", "--public", log_dir=tmp_path_factory.mktemp("serve"),
               database=archive.database) as server:
        yield server.url


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        pytest.skip(f"no Chromium at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--lang=da-DK"],
        )
        yield browser
        browser.close()


class Watch:
    """Every request the page makes, dialogs it opens, and console errors (CSP violations show there)."""

    def __init__(self, page):
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.console_errors: list[str] = []
        page.on("request", lambda req: self.requests.append(req.url))
        page.on("console", lambda msg: msg.type == "error" and self.console_errors.append(msg.text))

        def on_dialog(dialog):
            self.dialogs.append(dialog.message)
            dialog.dismiss()

        page.on("dialog", on_dialog)

    def check(self):
        hosts = {urlsplit(url).hostname for url in self.requests if not url.startswith(("data:", "about:"))}
        assert hosts <= {"127.0.0.1"}, f"requests left 127.0.0.1: {sorted(hosts)}"
        assert not [m for m in self.console_errors if "Content Security Policy" in m], self.console_errors
        assert self.dialogs == []


@pytest.fixture()
def context(browser, live_server):
    context = browser.new_context(base_url=live_server, locale="da-DK",
                                  viewport={"width": 1280, "height": 900})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server)
    yield context
    context.close()


@pytest.fixture()
def page(context):
    page = context.new_page()
    page.set_default_timeout(10_000)
    watch = Watch(page)
    yield page
    watch.check()


def hit_numbers(page) -> list[str]:
    return [t.removeprefix("pkt. ").strip() for t in page.locator(".results .hit-number").all_inner_texts()]


def result_count(page) -> int:
    text = page.locator("#resultater").inner_text()
    m = re.search(r"(\d[\d.]*) resultat", text) or re.search(r"\((\d[\d.]*)\)", text)
    assert m, text
    return int(m.group(1).replace(".", ""))


def search_for(page, text: str) -> None:
    page.get_by_label("Søg i referaterne").fill(text)
    with page.expect_navigation():
        page.get_by_role("button", name="Søg", exact=True).click()


def test_search_facet_and_screenshot(page, tmp_path):
    page.goto("/")
    search_for(page, QUERY)
    assert sorted(hit_numbers(page)) == ["47/18", "48/18", "52/18"]
    assert result_count(page) == 3
    assert page.locator("mark").first.inner_text().lower() == QUERY
    assert QUERY in page.url                              # the state is in the URL

    # Never into the source tree unless asked for (make screenshot).
    shot = Path(os.environ.get("ARKIV_SCREENSHOT") or tmp_path / "screenshot-search.png")
    png = page.screenshot(path=str(shot), full_page=True)
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and shot.read_bytes() == png
    width, height = struct.unpack(">II", png[16:24])
    assert width == 1280 and height >= 900

    # All three are Gert Sørensen's: selecting him keeps them and shows the filter.
    page.locator(".filters a.facet-value", has_text=GERT).click()
    page.wait_for_url(re.compile(r"presenter=Gert"))
    assert result_count(page) == 3
    assert page.locator(".active-filters .chip", has_text=GERT).is_visible()

    # Over all the body's items, the facet narrows the count: it changes.
    page.goto(f"/?body={BODY.replace(' ', '+')}")
    before = result_count(page)
    page.locator(".filters a.facet-value", has_text=GERT).click()
    page.wait_for_url(re.compile(r"presenter=Gert"))
    after = result_count(page)
    assert after == 5 and before > after
    assert sorted(hit_numbers(page)) == ["46/18", "47/18", "48/18", "51/18", "52/18"]
    # And off again.
    page.locator(".filters a.facet-value.is-selected", has_text=GERT).click()
    page.wait_for_url(lambda url: "presenter=" not in url)
    assert result_count(page) == before


def test_open_an_item_and_copy_its_citation(page):
    page.goto(f"/?q={QUERY}")
    page.locator(".hit-title a", has_text="pkt. 47/18").click()
    page.wait_for_url(re.compile(r"/punkt/"))
    assert page.locator("h1").inner_text().startswith("Status og planer")
    citation = page.locator("#citation").input_value()
    assert citation == f"{CITATION_47}\n{page.url}"

    button = page.get_by_role("button", name="Kopiér")
    assert button.is_visible()                          # shown by /static/copy.js
    button.click()
    page.get_by_text("Kopieret").wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == citation


def test_script_in_the_query_is_text(page):
    hostile = "<script>alert(1)</script>"
    page.goto("/")
    search_for(page, hostile)
    assert page.get_by_label("Søg i referaterne").input_value() == hostile
    assert hostile in page.locator("#resultater").inner_text()
    assert page.evaluate("document.querySelectorAll('main script').length") == 0
    # (no dialog: checked by the page fixture)


def test_works_without_javascript(browser, live_server):
    context = browser.new_context(base_url=live_server, java_script_enabled=False)
    page = context.new_page()
    watch = Watch(page)
    try:
        page.goto("/")
        search_for(page, QUERY)
        assert sorted(hit_numbers(page)) == ["47/18", "48/18", "52/18"]
        page.locator(".hit-title a", has_text="pkt. 48/18").click()
        page.wait_for_url(re.compile(r"/punkt/"))
        assert not page.get_by_role("button", name="Kopiér").is_visible()   # no JS: no button …
        assert page.locator("#citation").is_visible()                         # … but selectable text
        assert "pkt. 48/18" in page.locator("#citation").input_value()
        watch.check()
    finally:
        context.close()


def test_keyboard_skip_link_and_visible_focus(page):
    page.goto(f"/?q={QUERY}")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused == "Gå til indhold"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    page.keyboard.press("Enter")
    # The jump to the anchor is a same-document navigation: wait for it rather than read the URL at once.
    from playwright.sync_api import expect

    expect(page).to_have_url(re.compile(r"#indhold$"))


def test_narrow_screen_puts_filters_below_results(browser, live_server):
    context = browser.new_context(base_url=live_server, viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        page.goto(f"/?q={QUERY}")
        results = page.locator(".results").bounding_box()
        filters = page.locator(".filters").bounding_box()
        assert filters["y"] > results["y"] + results["height"] - 1
        assert filters["width"] <= 390
        assert page.evaluate("document.documentElement.scrollWidth") <= 390   # no sideways scrolling
    finally:
        context.close()


def test_meeting_page_and_original_download(page, seed_meeting):
    page.goto(f"/moede/{seed_meeting.id}")
    assert "Dagsorden" in page.locator("#dagsorden").inner_text()
    with page.expect_download() as info:
        page.get_by_role("link", name=re.compile("Hent originalfilen")).click()
    download = info.value
    assert download.suggested_filename == seed_meeting.source_file
    assert Path(download.path()).read_bytes() == (ROOT / "data" / "minutes" / seed_meeting.source_file).read_bytes()
