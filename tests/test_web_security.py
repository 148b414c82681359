"""Security headers on every response, no inline script or style, nothing from the network,
and the accessibility basics of every page."""
from __future__ import annotations

import re

import pytest

from web.browse import ORIGINAL_CSP

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


@pytest.fixture(scope="module")
def urls(seed_items, seed_meeting):
    return [
        "/", "/?q=helgenomsekventering", "/?q=zzzqqq", "/?from=2018-13-45", "/?q=helgenomsekventering&page=9",
        f"/punkt/{seed_items['47/18']}", f"/moede/{seed_meeting.id}", "/person/Gert Sørensen",
        "/moeder", "/organer", "/punkt/findes-ikke",
    ]


def test_security_headers_on_every_kind_of_response(client, urls, seed_meeting):
    extra = ["/api/search?q=x", "/api/search?page=0", "/api/items/nope", "/eksport.csv?q=x",
             "/eksport.json?q=x", "/feed.atom?q=x", "/static/style.css", "/static/copy.js",
             f"/moede/{seed_meeting.id}/original"]
    for url in urls + extra:
        r = client.get(url)
        # An original carries a stricter policy of its own: a sandbox, nothing loaded.
        expected = ORIGINAL_CSP if "/original" in url else CSP
        assert r.headers["Content-Security-Policy"] == expected, url
        assert r.headers["X-Content-Type-Options"] == "nosniff", url
        assert r.headers["Referrer-Policy"] in ("same-origin", "strict-origin-when-cross-origin"), url


def test_pages_have_no_inline_script_or_style_and_load_nothing_external(client, parse_html, urls):
    for url in urls:
        page = parse_html(client.get(url).get_data(as_text=True))
        assert not page.find_all("style"), url
        assert all(not body.strip() for body in page.script_bodies), url
        for tag, attrs in page.elements:
            assert "style" not in attrs, (url, tag)
            assert not any(name.startswith("on") for name in attrs), (url, tag)
            for name in ("src", "href", "action"):
                value = attrs.get(name, "")
                # Same origin only; the item page's permalink is absolute but local.
                assert not value.startswith(("//", "https:")) and not (
                    value.startswith("http:") and not value.startswith("http://localhost/")), (url, value)


def test_accessibility_basics(client, parse_html, urls):
    for url in urls:
        page = parse_html(client.get(url).get_data(as_text=True))
        assert '<html lang="da">' in page.text, url
        assert len(page.find_all("h1")) == 1, url
        assert page.link("Gå til indhold") == "#indhold", url
        assert page.find_all("main", id="indhold"), url
        assert page.find_all("meta", name="viewport"), url
        labels = {a.get("for") for a in page.find_all("label")}
        for tag, attrs in page.elements:
            if tag in ("input", "select", "textarea") and attrs.get("type") != "hidden":
                assert attrs.get("id") in labels or attrs.get("aria-label"), (url, attrs)


def test_static_files_are_served_locally(client):
    css = client.get("/static/style.css")
    assert css.status_code == 200 and css.mimetype == "text/css"
    assert "@import" not in css.get_data(as_text=True) and "url(http" not in css.get_data(as_text=True)
    assert ":focus-visible" in css.get_data(as_text=True)
    assert client.get("/static/copy.js").mimetype in ("text/javascript", "application/javascript")


def test_snippet_html_passes_through_once_and_only_there(client):
    text = client.get("/?q=helgenomsekventering").get_data(as_text=True)
    snippets = re.findall(r'<p class="hit-snippet">(.*?)</p>', text, re.S)
    assert snippets and all("<mark>" in s for s in snippets)
    for s in snippets:
        assert re.sub(r"</?mark>", "", s).count("<") == 0
