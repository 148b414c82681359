"""axe-core on every page (issue 22, "Polish"): 0 serious or critical violations at 1366 and 390 px,
signed out and signed in as an editor, and no page wider than a 390 px phone.

A real Chromium against a real `arkiv serve` over the fictional minutes of tests/fixtures/follow
(a body, a case across two bodies, a person, a closed item).  axe-core is the copy that
axe-playwright-python ships (a test extra: `make install`)."""
from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

import pytest
from helpers_auth import EDITOR, PASSWORD
from test_browser import browser  # noqa: F401  (the fixture)
from test_browser_follow import CASE, CLUB, PERSON, follow_home, live_server  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser

axe_package = pytest.importorskip("axe_playwright_python", reason="axe-playwright-python is a test extra: make install")
AXE = (Path(axe_package.__file__).parent / "axe.min.js").read_text(encoding="utf-8")
WIDTHS = (1366, 390)
MEETING = "2023-03-07-bestyrelsen-for-fjordby-sejlklub-1"
PAGES = ["/", "/?q=sl%C3%A6bested", "/?q=zzqxvyk", "/moeder", "/organer", f"/organer/{quote(CLUB)}",
         f"/sager/{CASE}", f"/personer/{quote(PERSON)}", f"/moede/{MEETING}", f"/punkt/{MEETING}--2",
         "/punkt/2024-02-20-bestyrelsen-for-fjordby-sejlklub-3--1", "/log-ind", "/findes-ikke"]
EDITOR_PAGES = ["/foelg", "/indlaes", "/rettelser", f"/moede/{MEETING}/ret", f"/punkt/{MEETING}--2/ret",
                f"/organer/{quote(CLUB)}/slaa-sammen"]


def _serious(tab) -> list[str]:
    tab.evaluate(AXE)
    found = tab.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
    return [f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
            for v in found if v["impact"] in ("serious", "critical")]


def _audit(tab, paths: list[str]) -> dict:
    bad = {}
    for path in paths:
        for width in WIDTHS:
            tab.set_viewport_size({"width": width, "height": 900})
            tab.goto(path)
            problems = _serious(tab)
            scroll = tab.evaluate("document.documentElement.scrollWidth")
            if scroll > width:
                problems.append(f"{scroll} px wide")
            if problems:
                bad[f"{path} at {width} px"] = problems
    return bad


@pytest.fixture()
def tab(browser, live_server):  # noqa: F811
    # axe-core is injected as a script, which the site's CSP (rightly) forbids: bypassed for it alone.
    context = browser.new_context(base_url=live_server, locale="da-DK", bypass_csp=True)
    yield context.new_page()
    context.close()


def test_every_page_signed_out_has_no_serious_violation_and_fits_a_phone(tab):
    assert _audit(tab, PAGES) == {}


def test_every_page_signed_in_has_no_serious_violation_and_fits_a_phone(tab):
    tab.goto("/log-ind")
    tab.get_by_label("Brugernavn").fill(EDITOR)
    tab.get_by_label("Adgangskode").fill(PASSWORD)
    with tab.expect_navigation():
        tab.get_by_role("button", name="Log ind").click()
    assert _audit(tab, PAGES + EDITOR_PAGES) == {}
