"""index.engine_tantivy on a real tantivy index on disk, with hand-built meetings."""
from __future__ import annotations

import contextlib
import datetime as dt
import multiprocessing
import random
import signal
import threading

import pytest
import tantivy
from helpers_search import BODY_BU, BODY_TM, item, meeting, small_corpus

from index.engine_tantivy import IndexBusyError, open_engine
from index.engine_tantivy import TantivyEngine as Engine
from index.highlight import densest as _densest
from index.model import Filters
from index.query import parse_query


def ids(result):
    return [h.fields["id"].rsplit("--", 1)[0][:10] + "/" + h.fields["number"] for h in result.hits]


def numbers(result):
    return sorted(h.fields["number"] + "@" + (h.fields["date"] or "") for h in result.hits)


@pytest.fixture()
def engine(tmp_path):
    e = Engine(tmp_path / "ix")
    e.update(small_corpus())
    yield e
    e.close()


def search(engine, text, filters=None, **kw):
    kw.setdefault("limit", 100)
    return engine.search(parse_query(text), filters, **kw)


def test_counts_and_versions(engine):
    corpus = small_corpus()
    assert engine.item_count() == 7
    assert engine.versions() == {m.id: m.source_sha256 for m in corpus}


def test_update_replaces_and_removes(engine):
    m1, m2, m3 = small_corpus()
    m1.items = m1.items[:1]
    m1.source_sha256 = "new"
    engine.update([m1], remove_meeting_ids=[m3.id])
    assert engine.item_count() == 1 + 2
    v = engine.versions()
    assert v[m1.id] == "new" and m3.id not in v
    assert search(engine, "cykelstier").total == 0


def test_rebuild(tmp_path):
    e = Engine(tmp_path / "ix")
    e.update(small_corpus()[:1])
    e.rebuild(small_corpus())
    assert e.item_count() == 7
    assert search(e, "klimatilpasning").total == 1
    e.close()


def test_reopen_existing_index(tmp_path):
    e = Engine(tmp_path / "ix")
    e.update(small_corpus())
    e.close()
    e2 = Engine(tmp_path / "ix")
    assert e2.item_count() == 7
    e2.close()


def test_open_engine_is_cached(tmp_path):
    a = open_engine(tmp_path / "ix")
    assert open_engine(tmp_path / "ix") is a
    a.close()
    assert open_engine(tmp_path / "ix") is not a


def test_inflections_match(engine):
    assert search(engine, "cykelsti").total == 1
    assert search(engine, "budgettet").total == 1
    assert search(engine, "budget").total == 1


def test_and_or_not_phrase_prefix_exact(engine):
    assert search(engine, "cykelstier fjordvej").total == 1
    assert search(engine, "cykelstier OR klimatilpasning").total == 2
    assert search(engine, "godkendt -budget").total == 1
    assert search(engine, '"nye cykelstier"').total == 1
    assert search(engine, '"cykelstier nye"').total == 0
    assert search(engine, "klimatil*").total == 1
    assert search(engine, '"budgettet"').total == 1
    assert search(engine, '"budgetterne"').total == 0


def test_identifier_fields(engine):
    assert search(engine, "EMN-2023-0042").total == 1


def test_stopwords_only_finds_nothing_and_empty_finds_all(engine):
    assert search(engine, "og i").total == 0
    assert search(engine, "").total == 7


def test_filters(engine):
    f = Filters(presenter=["Jens Hansen"])
    assert search(engine, "", f).total == 3
    assert search(engine, "", Filters(presenter=["Jens Hansen", "Anne Lund"])).total == 4
    assert search(engine, "", Filters(presenter=["Jens Hansen"], outcome=["godkendt"])).total == 2
    assert search(engine, "", Filters(body=[BODY_BU])).total == 2
    assert search(engine, "", Filters(year=[2022])).total == 3
    assert search(engine, "", Filters(date_from=dt.date(2023, 1, 10), date_to=dt.date(2023, 1, 10))).total == 2
    assert search(engine, "", Filters(date_from=dt.date(2023, 2, 1))).total == 2
    m = small_corpus()[0]
    assert search(engine, "", Filters(meeting=[m.id])).total == 3


def test_facets_count_whole_result_set(engine):
    r = search(engine, "", limit=1)
    assert len(r.hits) == 1 and r.total == 7
    assert r.facets["presenter"]["Jens Hansen"] == 3
    assert r.facets["presenter"]["Mette Holm"] == 2
    assert r.facets["body"][BODY_TM] == 5
    assert r.facets["year"] == {"2022": 3, "2023": 4}
    assert r.facets["outcome"]["godkendt"] == 2


def test_sorting_and_paging(engine):
    newest = search(engine, "", sort="newest")
    dates = [h.fields["date"] for h in newest.hits]
    assert dates == sorted(dates, reverse=True)
    first_meeting = [h.fields["position"] for h in newest.hits[:2]]
    assert first_meeting == [1, 2]
    oldest = search(engine, "", sort="oldest")
    assert [h.fields["date"] for h in oldest.hits] == sorted(dates)
    page2 = search(engine, "", sort="newest", offset=2, limit=2)
    assert [h.fields["id"] for h in page2.hits] == [h.fields["id"] for h in newest.hits[2:4]]
    beyond = search(engine, "", offset=100, limit=10)
    assert beyond.hits == [] and beyond.total == 7


def test_relevance_title_first(tmp_path):
    # The word in an item's title outranks the same word in other items' texts, even
    # where the text repeats it: titles weigh three times the text (TEXT_FIELDS).
    e = Engine(tmp_path / "ix")
    e.update([meeting(BODY_TM, dt.date(2024, 2, 1), "3", [
        item("1", "Orientering om trafik", "Cykelparkering ved stationen og cykelparkering ved skolen.",
             "Cykelparkering blev drøftet."),
        item("2", "Cykelparkering ved rådhuset", "Forslag om nye stativer ved indgangen til rådhuset.",
             "Godkendt."),
        item("3", "Eventuelt", "Spørgsmål om cykelparkering i midtbyen.", "Intet."),
        item("4", "Budget", "Budgettet for vejene.", "Godkendt."),
    ])])
    r = search(e, "cykelparkering")
    assert r.total == 3
    assert [h.fields["number"] for h in r.hits][0] == "2"
    assert r.hits[0].score > r.hits[1].score
    e.close()


@pytest.fixture()
def aa_engine(tmp_path):
    e = Engine(tmp_path / "aa")
    e.update([meeting(BODY_TM, dt.date(2024, 3, 1), "4", [
        item("1", "Cykelsti på Grenåvej", "Ny cykelsti langs Grenåvej."),
        item("2", "Trafik i Haarup", "Hastighed på Haarupvej ved Haarup skole."),
        item("3", "Vandløb ved Hårup", "Oprensning af vandløbet."),
        item("4", "Dataanalyse af trafiktal", "En dataanalyse af tællingerne."),
        item("5", "Analyse af støj", "Målinger af støj."),
        item("6", "Grenaavej 12", "Byggetilladelse til Grenaavej 12."),
    ])])
    yield e
    e.close()


def test_aa_spellings_find_each_other(aa_engine):
    def found(text):
        return sorted(h.fields["number"] for h in search(aa_engine, text).hits)

    assert found("Grenaavej") == ["1", "6"]       # the query's aa also as å
    assert found("Grenåvej") == ["1", "6"]        # the index's aa also as å
    assert found("Haarup") == ["2", "3"]
    assert found("Hårup") == ["2", "3"]
    assert found('"haarup"') == ["2", "3"]         # the exact form field too
    assert found("grenaa*") == ["1", "6"]
    assert found("haarupvej") == ["2"]
    # Compounds meeting at a|a are not folded: dataanalyse still splits into data|analyse.
    assert found("dataanalyse") == ["4"]
    assert found("analyse") == ["4", "5"]
    assert found("data") == ["4"]


def test_aa_spelling_is_highlighted(aa_engine):
    hit = search(aa_engine, "Grenaavej", limit=10).hits
    texts = {h.fields["number"]: h.snippet for h in hit}
    assert "<mark>Grenåvej</mark>" in texts["1"]
    assert "<mark>Grenaavej</mark>" in texts["6"]


@contextlib.contextmanager
def finishes_within(seconds: int, what: str):
    """Turn a hang into a failure (not a speed goal: the bound is 100x what it takes)."""
    def alarm(_signum, _frame):
        raise AssertionError(f"{what} did not finish in {seconds} s")

    old = signal.signal(signal.SIGALRM, alarm)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def _densest_by_rescanning(spans, width):
    """The window choice written the obvious (quadratic) way, as the oracle."""
    best_i, best_key = 0, (-1, -1)
    for i, (s0, _, _) in enumerate(spans):
        inside = [t for s, e, t in spans[i:] if e <= s0 + width]
        key = (len(set(inside)), len(inside))
        if key > best_key:
            best_i, best_key = i, key
    return best_i


def test_densest_window_matches_the_rescanning_oracle():
    rng = random.Random(5)
    for _ in range(300):
        spans, pos = [], 0
        for _ in range(rng.randint(1, 40)):
            pos += rng.randint(1, 60)
            length = rng.randint(1, 15)
            spans.append((pos, pos + length, rng.choice("abcd")))
            pos += length
        width = rng.choice([10.0, 50.0, 192.0])
        assert _densest(spans, width) == _densest_by_rescanning(spans, width), (spans, width)


@pytest.mark.slow
def test_snippet_of_a_huge_repetitive_item(tmp_path):
    # 1 MB of one repeated sentence: 36,000 marked words.  Rescanning the spans for
    # every start took half a minute here; now it is linear.
    e = Engine(tmp_path / "ix")
    text = "Udvalget drøftede klimatilpasning og budget for skolen. " * 18_000
    e.update([meeting(BODY_TM, dt.date(2024, 1, 1), "1", [item("1", "Stort punkt", text, "")])])
    with finishes_within(20, "a snippet of a 1 MB item"):
        r = search(e, "klimatilpasning budget", limit=5)
    snip = r.hits[0].snippet
    assert snip.startswith("Udvalget drøftede <mark>klimatilpasning</mark> og <mark>budget</mark>")
    assert len(snip.replace("<mark>", "").replace("</mark>", "")) <= 260
    e.close()


def test_snippets_escaped_and_marked(tmp_path):
    e = Engine(tmp_path / "ix")
    e.update([meeting(BODY_TM, dt.date(2024, 1, 1), "1", [
        item("1", "Test", "Om <script>alert('x')</script> & affaldssortering i byen.", "")])])
    r = search(e, "<script> affaldssortering")
    snip = r.hits[0].snippet
    assert "<script>" not in snip and "&lt;" in snip and "&amp;" in snip
    assert "<mark>affaldssortering</mark>" in snip
    assert snip.replace("<mark>", "").replace("</mark>", "").count("<") == 0
    empty = search(e, "")
    assert empty.hits[0].snippet.startswith("Om &lt;script&gt;")
    e.close()


def test_snippet_highlights_inflections(engine):
    r = search(engine, "cykelsti")
    assert "<mark>cykelstier</mark>" in r.hits[0].snippet


def test_suggest(engine):
    assert engine.suggest("cykelstir") == "cykelstier"
    assert engine.suggest("cykelstier") is None
    assert engine.suggest("ab") is None
    assert engine.suggest("zzzzzzzzzz") is None


def test_searcher_sees_other_writers(tmp_path):
    path = tmp_path / "ix"
    reader = Engine(path)
    reader.update(small_corpus()[:1])
    assert reader.item_count() == 3
    writer = Engine(path)          # as another process would
    writer.update(small_corpus()[1:])
    assert reader.item_count() == 7
    assert search(reader, "lokalplanforslaget").total == 1
    reader.close()
    writer.close()


def test_searcher_sees_a_rebuild_by_another_writer(tmp_path):
    # A rebuild starts again at generation 0, so after one commit the generation
    # number equals the server's old one: the generation alone cannot tell them apart.
    path = tmp_path / "ix"
    server = Engine(path)
    server.update(small_corpus())
    assert search(server, "cykelstier").total == 1
    cli = Engine(path)             # `arkiv reindex`, as another process would
    cli.rebuild(small_corpus()[2:])
    assert server.item_count() == 2
    assert search(server, "cykelstier").total == 0
    assert server.versions() == cli.versions()
    server.close()
    cli.close()


def test_suggest_only_for_words_of_bounded_length(tmp_path):
    # The edit-distance search costs more the longer the word: 40 letters at most.
    e = Engine(tmp_path / "ix")
    forty, forty_one = "helgenomsekventeringsfacilitetsudvalgets", "helgenomsekventeringsfacilitetsudvalgenes"
    assert (len(forty), len(forty_one)) == (40, 41)
    e.update([meeting(BODY_TM, dt.date(2024, 1, 1), "1", [
        item(str(i), f"Punkt {i}", f"Om {forty} og {forty_one}.") for i in range(1, 4)])])
    assert e.suggest(forty[:-3] + "xts") == forty
    assert e.suggest(forty_one[:-3] + "xes") is None
    assert e.suggest("k" + "lima" * 120) is None
    e.close()


@contextlib.contextmanager
def write_locked(e):
    """Another writer (as of another process) holds the index's lock meanwhile."""
    other = tantivy.Index.open(str(e.index_dir / "items")).writer(heap_size=15_000_000, num_threads=1)
    try:
        yield
    finally:
        other.rollback()
        other.wait_merging_threads()


def test_writer_waits_for_lock_then_fails_clearly(tmp_path):
    e = Engine(tmp_path / "ix", lock_timeout=0.3)
    with write_locked(e):
        with pytest.raises(IndexBusyError, match="låst"):
            e.update(small_corpus())
    e.update(small_corpus())
    assert e.item_count() == 7
    e.close()


def test_concurrent_searches_threads(engine):
    errors = []

    def run():
        try:
            for _ in range(20):
                assert search(engine, "cykelstier").total == 1
        except Exception as exc:  # pragma: no cover
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors


def _ingest_in_child(path):
    Engine(path).update(small_corpus()[1:])


def test_commit_from_another_process(tmp_path):
    path = tmp_path / "ix"
    e = Engine(path)
    e.update(small_corpus()[:1])
    assert search(e, "lokalplanforslaget").total == 0
    ctx = multiprocessing.get_context("fork")
    p = ctx.Process(target=_ingest_in_child, args=(path,))
    p.start()
    p.join(30)
    assert p.exitcode == 0
    assert search(e, "lokalplanforslaget").total == 1
    e.close()


def test_date_ranges_exact_against_brute_force(tmp_path):
    import random

    rnd = random.Random(7)
    meetings = []
    for i in range(60):
        d = dt.date(1990, 1, 1) + dt.timedelta(days=rnd.randint(0, 40 * 365))
        meetings.append(meeting(BODY_TM, d, str(i), [item("1", f"Punkt {i}")]))
    meetings.append(meeting(BODY_TM, None, "u", [item("1", "Udateret")]))
    e = Engine(tmp_path / "ix")
    e.update(meetings)
    dates = [m.date for m in meetings]
    for _ in range(150):
        lo = rnd.choice([None, dt.date(1980, 1, 1) + dt.timedelta(days=rnd.randint(0, 60 * 365))])
        hi = rnd.choice([None, dt.date(1980, 1, 1) + dt.timedelta(days=rnd.randint(0, 60 * 365))])
        if lo and hi and lo > hi:
            lo, hi = hi, lo
        if lo is None and hi is None:
            continue
        expected = sum(1 for d in dates if d and (lo is None or d >= lo) and (hi is None or d <= hi))
        assert search(e, "", Filters(date_from=lo, date_to=hi)).total == expected, (lo, hi)
    e.close()


def test_empty_index(tmp_path):
    e = Engine(tmp_path / "ix")
    assert e.item_count() == 0 and e.versions() == {}
    r = search(e, "")
    assert r.total == 0 and r.hits == [] and r.facets["presenter"] == {}
    assert e.suggest("cykelstier") is None
    e.close()
