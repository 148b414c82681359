"""The secretariat's path in a real Chromium against a real `arkiv serve`: sign in, upload
the real minutes of a club, correct one meeting's date, find the correction, sign out
(issue 12's "Done when").  The upload page's screenshot for the README is written to
docs/screenshot-upload.png.
"""
from __future__ import annotations

import contextlib
import re
import subprocess
import sys
from pathlib import Path

import pytest
from helpers_serve import ROOT, serve
from test_browser import Watch, browser  # noqa: F401  (browser is a fixture)

pytestmark = pytest.mark.browser

EDITOR, PASSWORD = "redaktoer", "en-lang-adgangskode"
CLUB = "corpus/nordjysk-kampsportscenter"
CORRECTED = "090707_bestyrelse.pdf"


def _arkiv(home: Path, *args: str, stdin: str | None = None) -> str:
    done = subprocess.run([sys.executable, "-m", "arkiv.cli", "--home", str(home), *args], input=stdin,
                          capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


@contextlib.contextmanager
def _serve(home: Path, *flags: str):
    """`arkiv serve` (gunicorn, as `make run` starts it) on a free loopback port; yields its URL."""
    with serve(home, "--threads", "4", *flags) as server:
        yield server.url


@pytest.fixture(scope="module")
def fresh_home(tmp_path_factory):
    """What a new user has after `make run` and creating an editor."""
    home = tmp_path_factory.mktemp("arkiv-run")
    _arkiv(home, "ingest", str(ROOT / "data"))
    assert "oprettet som redaktør" in _arkiv(home, "user", "add", EDITOR, "--role", "editor", "--password-stdin",
                                             stdin=PASSWORD + "\n")
    return home


def _sign_in(page) -> None:
    page.get_by_label("Brugernavn").fill(EDITOR)
    page.get_by_label("Adgangskode").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Log ind").click()


@pytest.mark.slow
def test_sign_in_upload_correct_search_sign_out(browser, fresh_home, realworld_dir, tmp_path):  # noqa: F811
    shots = tmp_path  # screenshots stay out of the source tree (`make screenshot` renews docs/)
    files = sorted((realworld_dir / CLUB).glob("*.pdf"))
    assert len(files) == 20
    with _serve(fresh_home, "--public") as url:
        context = browser.new_context(base_url=url, locale="da-DK", viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.set_default_timeout(20_000)
        watch = Watch(page)
        try:
            # Sign in from the public front page.
            page.goto("/")
            page.get_by_role("link", name="Log ind").click()
            _sign_in(page)
            assert page.locator(".account-name").inner_text().startswith(EDITOR)

            # Upload the club's 20 PDFs: the page's script sends them one by one.
            page.get_by_role("link", name="Indlæs").click()
            page.get_by_label("Filer med referater").set_input_files([str(f) for f in files])
            page.get_by_label("Mødeorgan").fill("Nordjysk Kampsportscenter")
            page.get_by_role("button", name="Indlæs").click()
            page.get_by_text("20 filer behandlet").wait_for(timeout=240_000)
            results = page.locator("#upload-results > li.upload-file")
            assert results.count() == 20
            assert page.locator("#upload-results > li.pending").count() == 0
            names = [t.strip() for t in page.locator("#upload-results .upload-name strong").all_inner_texts()]
            assert names == [f.name for f in files]
            # Every file names its meeting; 111122_bestyrelse.pdf has the same bytes as 111101's: one meeting.
            assert page.locator("#upload-results .upload-meeting").count() == 20
            twin = results.filter(has_text="111122_bestyrelse.pdf")
            assert "samme indhold som" in twin.inner_text()
            meeting_link = ".upload-meeting a >> nth=0"
            assert twin.locator(meeting_link).get_attribute("href") == \
                results.filter(has_text="111101_bestyrelse.pdf").locator(meeting_link).get_attribute("href")
            assert "Nordjysk Kampsportscenter" in twin.locator(meeting_link).inner_text()
            page.screenshot(path=str(shots / "screenshot-upload.png"), full_page=True)

            # Correct one meeting's date from its upload result.
            row = results.filter(has_text=CORRECTED)
            row.get_by_role("link", name="Ret mødet").click()
            page.wait_for_url(re.compile(r"/moede/.+/ret$"))
            meeting_url = page.url.removesuffix("/ret")
            page.get_by_label(re.compile("^Dato")).fill("2009-07-08")
            with page.expect_navigation():
                page.get_by_role("button", name="Gem rettelser").click()
            assert page.url == meeting_url
            assert "8. juli 2009" in page.locator(".facts").inner_text()
            assert f"rettet af {EDITOR} den" in page.locator(".facts").inner_text()

            # Search for that day: the corrected meeting's items are found.
            page.goto("/")
            page.get_by_label("Søg i referaterne").fill("")
            with page.expect_navigation():
                page.get_by_role("button", name="Søg", exact=True).click()
            page.get_by_label("Fra", exact=True).fill("2009-07-08")
            page.get_by_label("Til", exact=True).fill("2009-07-08")
            with page.expect_navigation():
                page.get_by_role("button", name="Anvend periode").click()
            hits = page.locator(".results .hit")
            assert hits.count() >= 2
            meeting_path = meeting_url.removeprefix(url)
            assert {h.get_attribute("href") for h in page.locator(".results .hit-meta a").all()} == {meeting_path}
            assert set(page.locator(".results .hit-meta time").all_inner_texts()) == {"8. juli 2009"}

            # The change is in the audit log.
            page.get_by_role("link", name="Rettelser").click()
            assert "8. juli 2009" in page.locator("table.audit").inner_text()

            # Sign out.
            page.get_by_role("button", name="Log ud").click()
            page.wait_for_url(re.compile(r"/log-ind\?ud=1$"))
            assert page.get_by_text("Du er logget ud.").is_visible()
            page.goto("/indlaes")
            assert "/log-ind" in page.url
            watch.check()
        finally:
            context.close()


def test_a_private_site_asks_to_sign_in_and_uploads_without_javascript(browser, fresh_home, tmp_path):  # noqa: F811
    minutes = tmp_path / "2024-06-06_fjordby-roklub.md"
    minutes.write_text("# Referat af bestyrelsesmøde i Fjordby Roklub 6. juni 2024\n\n"
                       "## 1. Nye årer til kaproningen\n\nBestyrelsen godkendte købet af nye årer.\n\n"
                       "## 2. Eventuelt\n\nIntet.\n", encoding="utf-8")
    with _serve(fresh_home) as url:
        context = browser.new_context(base_url=url, java_script_enabled=False)
        page = context.new_page()
        watch = Watch(page)
        try:
            page.goto("/?q=genom")
            assert "/log-ind?next=" in page.url
            _sign_in(page)
            assert page.url == f"{url}/?q=genom"                  # back where the visitor was going
            page.goto("/indlaes")
            page.get_by_label("Filer med referater").set_input_files(str(minutes))
            with page.expect_navigation():
                page.get_by_role("button", name="Indlæs").click()
            result = page.locator("#upload-results > li.upload-file")
            assert result.count() == 1 and "Indlæst" in result.inner_text()
            result.get_by_role("link", name=re.compile("Nye årer til kaproningen")).click()
            assert page.locator("h1").inner_text() == "Nye årer til kaproningen"
            watch.check()
        finally:
            context.close()


def test_files_dropped_on_the_drop_zone_are_chosen(browser, fresh_home):  # noqa: F811
    with _serve(fresh_home, "--public") as url:
        context = browser.new_context(base_url=url)
        page = context.new_page()
        watch = Watch(page)
        try:
            page.goto("/log-ind")
            _sign_in(page)
            page.goto("/indlaes")
            chosen = page.evaluate("""() => {
                const data = new DataTransfer();
                data.items.add(new File(["# Referat"], "a.md"));
                data.items.add(new File(["Referat"], "b.txt"));
                const zone = document.querySelector(".drop-zone");
                zone.dispatchEvent(new DragEvent("drop", {dataTransfer: data, bubbles: true, cancelable: true}));
                return Array.from(document.getElementById("files").files).map(f => f.name);
            }""")
            assert chosen == ["a.md", "b.txt"]
            watch.check()
        finally:
            context.close()
