"""The pages of a body, a case and a person in a real Chromium against a real `arkiv serve`: what
they show is what the store holds and what their JSON says, and they fit a 390 px phone.

ARKIV_SCREENSHOTS=docs saves each page's screenshot there (the README shows them)."""
from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import quote

import pytest
from conftest import FIXTURES, Archive, ingest_into
from helpers_auth import EDITOR, PASSWORD
from helpers_serve import serve
from test_browser import browser, page  # noqa: F401  (the fixtures)

pytestmark = pytest.mark.browser

CLUB = "Bestyrelsen for Fjordby Sejlklub"
CASE = "SK-2023-017"
PERSON = "Mads Masteløs"


@pytest.fixture(scope="module")
def follow_home(tmp_path_factory):
    from archive.accounts import Accounts

    home = tmp_path_factory.mktemp("follow-browser")
    report = ingest_into(Archive(home), sorted((FIXTURES / "follow").glob("*.txt")))
    store = Archive(home).store()
    try:
        Accounts(store.db).add(EDITOR, "editor", PASSWORD)
    finally:
        store.close()
    assert not report.failed
    return home


@pytest.fixture(scope="module")
def live_server(follow_home, tmp_path_factory):
    with serve(follow_home, "--public", log_dir=tmp_path_factory.mktemp("serve")) as server:
        yield server.url


@pytest.fixture()
def context(browser, live_server):  # noqa: F811
    context = browser.new_context(base_url=live_server, locale="da-DK", viewport={"width": 1280, "height": 900})
    yield context
    context.close()


def _json(tab, path: str) -> dict:
    response = tab.request.get(path)
    assert response.ok, (path, response.status)
    return response.json()


def _shoot(tab, name: str, tmp_path: Path) -> None:
    folder = Path(os.environ.get("ARKIV_SCREENSHOTS") or tmp_path)
    tab.screenshot(path=str(folder / f"screenshot-{name}.png"), full_page=True)


def _fits(tab, width: int) -> None:
    tab.set_viewport_size({"width": width, "height": 800})
    scroll = tab.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"{tab.url} is {scroll} px wide at {width} px"


def test_body_case_and_person_pages_show_the_store_as_their_json_does(page, tmp_path):  # noqa: F811
    # The body: its meetings as links, newest first, and the people of its attendance.
    page.goto(f"/organer/{quote(CLUB)}")
    body = _json(page, f"/api/organer/{quote(CLUB)}")
    assert page.locator("h1").inner_text() == CLUB
    shown = page.locator("section:has(#moeder) .meeting-list a").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))")
    assert shown == [m["url"] for y in body["years"] for m in y["meetings"]]
    names = page.locator("table.people-table tbody th a").all_inner_texts()
    assert names == [p["name"] for p in body["people"]]
    assert page.locator("section:has(#seneste) .agenda-short > li").count() == len(body["latest"]["agenda"])
    _shoot(page, "organ", tmp_path)
    _fits(page, 390)

    # Follow a person from the body's page: the person's meetings and dissent.
    page.set_viewport_size({"width": 1280, "height": 900})
    page.locator("table.people-table a", has_text=PERSON).click()
    page.wait_for_url(f"**/personer/{quote(PERSON)}")
    person = _json(page, f"/api/personer/{quote(PERSON)}")
    rows = page.locator("#moeder-deltaget tbody tr")
    assert rows.count() == len(person["attended"]) == 3
    assert [r.split("\t")[2].strip() for r in rows.all_inner_texts()] == ["Deltog", "Afbud", "Deltog"]
    assert [a["status"] for a in person["attended"]] == ["deltog", "afbud", "deltog"]
    assert page.locator("#dissens-punkter li").count() == len(person["dissent"]) == 1
    _shoot(page, "person", tmp_path)
    _fits(page, 390)

    # The case, reached from an item page's case number: every item of it across bodies, oldest first.
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/punkt/2023-03-07-bestyrelsen-for-fjordby-sejlklub-1--2")
    page.get_by_role("link", name=CASE, exact=True).click()
    page.wait_for_url(f"**/sager/{CASE}")
    case = _json(page, f"/api/sager/{CASE}")
    links = page.locator(".case-step-title a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert links == [step["url"] for step in case["items"]]
    assert page.locator(".case-step .prose").all_inner_texts() == [step["decision"] for step in case["items"]]
    assert page.locator(".case-step dd", has_text="7 for, 2 imod").count() == 1
    _shoot(page, "sag", tmp_path)
    _fits(page, 390)


def test_signed_in_on_a_phone_the_header_and_a_result_fit(page, tmp_path):  # noqa: F811
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto("/log-ind")
    page.get_by_label("Brugernavn").fill(EDITOR)
    page.get_by_label("Adgangskode").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Log ind").click()
    for path in ("/", "/?q=slæbested", f"/organer/{quote(CLUB)}", f"/sager/{CASE}", f"/personer/{quote(PERSON)}",
                 "/rettelser"):
        page.goto(path)
        _fits(page, 390)
        box = page.get_by_role("link", name="Rettelser").bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390, (path, box)   # not cut off
    # Signed in, a body's page offers to follow it by e-mail.
    page.goto(f"/organer/{quote(CLUB)}")
    assert page.get_by_label("Få en e-mail, når der kommer nyt").is_visible()
