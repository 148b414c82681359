"""The search page: results, facets that toggle, sort, pagination, filters, zero results, errors."""
from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from web.present import snippet_markup

QUERY = "helgenomsekventering"
EXPECTED = {"47/18", "48/18", "52/18"}
GERT = "Gert Sørensen"
# The seed's body; the web's fictional 7th meeting (12 Sept 2018, items 54/18-58/18) shares it.
# Tests that count or order items filter on it, so other fixtures in the archive do not matter.
BODY = "Bestyrelsen for den nationale strategi for Personlig Medicin 2017-2020"


def numbers_on(page) -> list[str]:
    return re.findall(r'<span class="hit-number">pkt\. ([^<]+)</span>', page.text)


def count_heading(text: str) -> str:
    m = re.search(r'<h2 id="resultater"[^>]*>(.*?)</h2>', text, re.S)
    assert m, "no result heading"
    return " ".join(re.sub(r"<[^>]+>", "", m.group(1)).split())


def test_search_lists_the_three_items_with_their_details(client, parse_html):
    r = client.get("/", query_string={"q": QUERY})
    assert r.status_code == 200
    page = parse_html(r.get_data(as_text=True))
    assert set(numbers_on(page)) == EXPECTED
    assert count_heading(page.text).startswith("3 resultater for")
    assert "20. juni 2018" in page.text
    assert "Bestyrelsen for den nationale strategi for Personlig Medicin 2017-2020, 6. møde" in page.text
    # Presenters link to their page; outcomes show Danish labels.
    assert page.link(GERT).startswith("/personer/Gert%20S%C3%B8rensen")
    assert "Taget til efterretning" in page.text
    # The snippet's highlight is real markup; the rest is text.
    assert f"<mark>{QUERY}</mark>" in page.text
    # Exports and the feed are linked with the same query.
    assert page.link("Hent CSV") == f"/eksport.csv?q={QUERY}"
    assert page.link("Hent JSON") == f"/eksport.json?q={QUERY}"
    assert page.link("Følg søgningen (Atom)") == f"/feed.atom?q={QUERY}"
    alternates = page.find_all("link", rel="alternate", type="application/atom+xml")
    assert alternates and alternates[0]["href"] == f"/feed.atom?q={QUERY}"


def test_front_page_lists_every_item_newest_first(client, parse_html, app):
    store = app.extensions["arkiv"].open_store()
    total = store.counts()["items"]
    store.close()
    page = parse_html(client.get("/").get_data(as_text=True))
    assert "Alle punkter" in count_heading(page.text)
    assert f"({total})" in count_heading(page.text)
    dates = re.findall(r'<time datetime="([^"]*)"', page.text)
    assert dates and dates == sorted(dates, reverse=True)


def test_presenter_facet_toggles_on_and_off(client, parse_html):
    page = parse_html(client.get("/", query_string={"body": BODY}).get_data(as_text=True))
    on_url = page.link(GERT, cls="facet-value")
    assert parse_qs(urlsplit(on_url).query)["presenter"] == [GERT]

    selected = parse_html(client.get(on_url).get_data(as_text=True))
    assert sorted(numbers_on(selected)) == ["46/18", "47/18", "48/18", "51/18", "52/18"]
    assert count_heading(selected.text).startswith("5 resultater")
    # The selected value is marked, and its link now switches it off.
    off_links = [(h, a) for h, t, a in selected.links if GERT in t and "facet-value" in a.get("class", "")]
    assert off_links and "is-selected" in off_links[0][1]["class"] and off_links[0][1].get("aria-current") == "true"
    off_url = off_links[0][0]
    assert "presenter" not in parse_qs(urlsplit(off_url).query)
    # A chip shows the active filter with a link that removes it; the form keeps it.
    assert "Fremlagt af:" in selected.text
    assert selected.find_all("input", type="hidden", name="presenter", value=GERT)

    back = parse_html(client.get(off_url).get_data(as_text=True))
    assert len(numbers_on(back)) > 5


def test_facets_combine_and_count(client, parse_html):
    r = client.get("/", query_string={"presenter": GERT, "outcome": "efterretning"})
    page = parse_html(r.get_data(as_text=True))
    assert sorted(numbers_on(page)) == ["48/18", "51/18"]
    # Each facet value carries its count.
    assert re.search(r"Taget til efterretning</span>.*?facet-count\">2<", page.text, re.S)


def test_facets_built_in_python(app):
    from index.model import FacetValue
    from web.facets import build_facets, toggle

    state = {"q": "x", "presenter": ["A"], "page": "3"}
    with app.test_request_context("/"):
        groups = build_facets({"presenter": [FacetValue("A", "A", 4, True), FacetValue("B", "B", 2)],
                               "outcome": [FacetValue("godkendt", "Godkendt", 1)]}, state)
    presenter = groups[0]
    assert presenter.title == "Fremlagt af"
    a, b = presenter.values
    assert (a.value, a.count, a.selected) == ("A", 4, True)
    assert a.url == "/?q=x"                               # switching off; back to page 1
    assert b.url == "/?q=x&presenter=A&presenter=B"       # switching on keeps the others
    assert groups[1].title == "Udfald" and groups[1].values[0].label == "Godkendt"
    assert toggle(state, "presenter", "A") == {"q": "x"}


def test_sort_newest_and_oldest(client, parse_html):
    newest = numbers_on(parse_html(client.get("/", query_string={"body": BODY, "sort": "newest"}).get_data(as_text=True)))
    oldest = numbers_on(parse_html(client.get("/", query_string={"body": BODY, "sort": "oldest"}).get_data(as_text=True)))
    assert newest[0] == "54/18" and oldest[0] == "44/18"
    page = parse_html(client.get("/", query_string={"q": QUERY}).get_data(as_text=True))
    assert page.link("nyeste") == f"/?q={QUERY}&sort=newest"
    assert page.link("ældste") == f"/?q={QUERY}&sort=oldest"


def test_pagination(client, parse_html):
    first = parse_html(client.get("/", query_string={"body": BODY, "sort": "oldest", "per_page": "4"}).get_data(as_text=True))
    assert numbers_on(first) == ["44/18", "45/18", "46/18", "47/18"]
    assert "Viser 1–4" in first.text
    next_url = first.link("Næste")
    assert parse_qs(urlsplit(next_url).query)["page"] == ["2"]
    second = parse_html(client.get(next_url).get_data(as_text=True))
    assert numbers_on(second) == ["48/18", "49/18", "50/18", "51/18"]
    assert second.find_all("ol", class_="results", start="5")
    assert parse_qs(urlsplit(second.link("Forrige")).query) == {"body": [BODY], "sort": ["oldest"], "per_page": ["4"]}


def test_a_page_beyond_the_results_says_so(client, parse_html):
    r = client.get("/", query_string={"q": QUERY, "page": "9"})
    assert r.status_code == 200
    page = parse_html(r.get_data(as_text=True))
    assert "Side 9 findes ikke" in page.text
    assert page.link("Gå til sidste side") == f"/?q={QUERY}"


def test_date_range_filters(client, parse_html):
    page = parse_html(client.get("/", query_string={"body": BODY, "from": "2018-07-01"}).get_data(as_text=True))
    assert sorted(numbers_on(page)) == ["54/18", "55/18", "56/18", "57/18", "58/18"]
    assert "Fra:" in page.text and "1. juli 2018" in page.text
    page = parse_html(client.get("/?to=2018-06-30&q=" + QUERY).get_data(as_text=True))
    assert set(numbers_on(page)) == EXPECTED
    assert page.find_all("input", name="to", value="2018-06-30")


def test_zero_results_offers_ways_out(client, parse_html):
    r = client.get("/", query_string={"q": QUERY, "presenter": "Lone Testesen"})
    assert r.status_code == 200
    page = parse_html(r.get_data(as_text=True))
    assert count_heading(page.text).startswith("Ingen resultater")
    assert page.link("Fjern filteret") == f"/?q={QUERY}"
    assert page.link("uden filtre") == f"/?q={QUERY}"


def test_did_you_mean(client, parse_html):
    # The seed spells it correctly three times; one letter less finds nothing.
    answer = client.get("/api/search?q=helgenomsekvenering").get_json()
    assert answer["total"] == 0
    assert answer["suggestion"] == "helgenomsekventering"
    page = parse_html(client.get("/?q=helgenomsekvenering").get_data(as_text=True))
    assert "Søgte du efter" in page.text
    assert page.link("helgenomsekventering") == "/?q=helgenomsekventering"
    # A well-attested word gets no suggestion.
    assert client.get("/api/search?q=helgenomsekventering").get_json()["suggestion"] is None


@pytest.mark.parametrize("params, parameter", [
    ({"from": "2018-13-45"}, "from"),
    ({"to": "2018-02-30"}, "to"),
    ({"page": "0"}, "page"),
    ({"sort": "bedste"}, "sort"),
    ({"outcome": "vedtaget-maaske"}, "outcome"),
    ({"year": "atten"}, "year"),
    ({"q": "a" * 501}, "q"),
])
def test_bad_parameters_give_a_friendly_400_with_the_form(client, parse_html, params, parameter):
    r = client.get("/", query_string=params)
    assert r.status_code == 400
    page = parse_html(r.get_data(as_text=True))
    assert "Søgningen kunne ikke udføres" in page.text
    assert f"<code>{parameter}</code>" in page.text
    assert page.find_all("input", id="q")          # the form is still there and usable
    assert page.find_all("form", id="soeg")


def test_script_in_the_query_is_shown_as_text(client):
    text = client.get("/", query_string={"q": "<script>alert(1)</script>"}).get_data(as_text=True)
    assert "<script>alert(1)</script>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text


@pytest.mark.parametrize("q", [
    "<script>alert(1)</script>", '"', '""', "*", "OR", "-", "AND OR NOT", "((", "a" * 500,
    "\x00", "💥 \u202e ̷̧̛ ‮", "'; DROP TABLE meetings; --", "%00", "helgenom*", '"national teknologisk',
    "-helgenomsekventering", "title:foo", "ø" * 100,
])
def test_hostile_queries_never_500(client, q):
    for url in ("/", "/api/search", "/eksport.csv", "/eksport.json", "/feed.atom"):
        r = client.get(url, query_string={"q": q})
        assert r.status_code in (200, 400), (url, q, r.status_code)


def test_hostile_filters_never_500(client):
    for params in ({"presenter": "<b>x</b>"}, {"body": "'\""}, {"meeting": "../../etc/passwd"},
                   {"year": "99999999999"}, {"per_page": "-1"}, {"page": "1e9"}, {"from": "0000-00-00"},
                   {"sort": ["newest", "oldest"]}, {"from": "2018-07-01", "to": "2018-06-01"}):
        for url in ("/", "/api/search"):
            r = client.get(url, query_string=params)
            assert r.status_code in (200, 400), (url, params, r.status_code)


def test_snippet_is_the_only_markup_and_only_when_it_keeps_the_contract():
    ok = snippet_markup("a &lt;b&gt; <mark>c</mark>")
    assert str(ok) == "a &lt;b&gt; <mark>c</mark>"
    bad = snippet_markup("<script>alert(1)</script> <mark>c</mark>")
    assert "<script>" not in str(bad) and "&lt;script&gt;" in str(bad)
    assert str(snippet_markup("")) == ""


def test_after_a_bad_parameter_the_form_does_not_resend_it(client, parse_html):
    page = parse_html(client.get("/", query_string={"q": QUERY, "outcome": "nonsens", "presenter": GERT}).get_data(as_text=True))
    assert not page.find_all("input", name="outcome")
    assert page.find_all("input", type="hidden", name="presenter", value=GERT)
    assert page.find_all("input", id="q", value=QUERY)


def test_repeated_single_parameters(client):
    assert client.get("/?q=a&q=b").status_code == 200
    assert client.get("/?sort=newest&sort=oldest").status_code == 400
    assert client.get("/?from=2018-01-01&from=2018-02-01").status_code == 400
