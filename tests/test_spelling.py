"""Did-you-mean beside a word that finds something (issue 21): a far more frequent dictionary
spelling an edit or two away is offered with both counts and included in the search; never for
names (the lexicon's) or quoted words.  Fictional minutes of a fictional association, a real index
of each engine, and the web page through Flask's test client."""
from __future__ import annotations

import datetime as dt

from conftest import empty_engine, engine_over
from helpers_search import item, meeting

from index.search import parse_request, search
from index.spelling import FAR_MORE, dictionary_word

BODY = "Grundejerforeningen Solsikkevej"


def corpus(typos: int = 2, right: int = 12):
    items = []
    for n in range(right):
        items.append(item(str(n + 1), f"Kontingent for {2000 + n}", "Kontingentet blev fastsat af generalforsamlingen.",
                          "Godkendt.", presenters=["Birthe Holm"], outcomes=["godkendt"]))
    for n in range(typos):
        items.append(item(str(right + n + 1), "Økonomi", "Kasseren foreslog generalforsamlingen at hæve kontigent for haveaffald.",
                          "Drøftet.", presenters=["Birte Lund"]))
    return [meeting(BODY, dt.date(2020, 3, 1), "1", items)]


engine = engine_over(corpus)


def ask(engine, text):
    return search(engine, parse_request({"q": text, "per_page": "50"}))


def test_a_typo_with_hits_gets_the_frequent_spelling_with_counts_and_its_items(engine):
    resp = ask(engine, "kontigent")
    assert resp.suggestion == "kontingent" and resp.suggestion_total == 12
    # The search includes it; what was typed alone is one click away (quoted: never re-spelled).
    assert resp.total == 14
    assert resp.typed_query == '"kontigent"' and resp.typed_total == 2
    assert ask(engine, '"kontigent"').total == 2
    assert {h.title for h in resp.results} >= {"Økonomi", "Kontingent for 2000"}
    data = resp.to_json()
    assert (data["suggestion"], data["suggestion_total"], data["typed_total"]) == ("kontingent", 12, 2)


def test_beside_other_words(engine):
    resp = ask(engine, "kontigent generalforsamlingen")
    assert resp.suggestion == "kontingent generalforsamlingen" and resp.typed_total == 2
    # A rewritten query that would find nothing is not offered.
    assert ask(engine, "kontigent haveaffald").suggestion is None


def test_never_for_quoted_words_names_or_capitals(engine):
    for text in ('"kontigent"', "Kontigent", "birte"):
        resp = ask(engine, text)
        assert resp.suggestion is None and resp.typed_query is None, text
    assert dictionary_word("birte")         # a name the lexicon holds is a word
    assert ask(engine, "birte").total == 2


def test_not_when_the_spelling_is_not_far_more_frequent(request):
    e = empty_engine(request, "tantivy")
    e.update(corpus(typos=3, right=int(FAR_MORE * 3) - 1))
    assert ask(e, "kontigent").suggestion is None
    e.close()


def test_a_query_without_hits_still_gets_any_better_spelling_with_its_count(engine):
    resp = ask(engine, "kontingnt")
    assert resp.total == 0 and resp.suggestion == "kontingent" and resp.suggestion_total == 12
    assert resp.typed_query is None


def test_the_web_page_says_it_in_danish(tmp_path):
    from conftest import Archive, ingest_into

    src = tmp_path / "minutes"
    src.mkdir()
    lines = ["Grundejerforeningen Solsikkevej", "Referat af bestyrelsesmøde 3. marts 2020", ""]
    for n in range(1, 13):
        lines += [f"{n}. Kontingent for {2000 + n}", "Kontingentet blev fastsat af generalforsamlingen.", ""]
    lines += ["13. Økonomi", "Kasseren foreslog at hæve kontigent.", "", "14. Haven", "Kontigent for haven.", ""]
    (src / "referat_20200303.txt").write_text("\n".join(lines), encoding="utf-8")
    archive = Archive(tmp_path / "home")
    ingest_into(archive, [src])
    from web import create_app

    page = create_app(archive.config(PUBLIC=True)).test_client().get("/?q=kontigent").get_data(as_text=True)
    assert "Søgte du efter" in page and "kontingent</a> (12)?" in page
    assert "Søg kun efter" in page and "(2)" in page
