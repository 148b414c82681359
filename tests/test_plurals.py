"""The one helper for Danish counts (archive.plurals) and the texts that use it: no "1 filer",
"1 linjer" or "Vis 1 flere"."""
from __future__ import annotations

import pytest

from archive.ingest_results import FileResult, IngestReport, Status
from archive.plurals import number, plural, word


@pytest.mark.parametrize(("count", "expected"), [
    (0, "0 filer"), (1, "1 fil"), (2, "2 filer"), (-1, "-1 fil"), (1234, "1.234 filer"), (1_000_000, "1.000.000 filer"),
])
def test_counts_choose_the_form_and_group_thousands(count, expected):
    assert plural(count, "fil") == expected
    assert plural(count, "fil", "filer") == expected


def test_known_and_given_plurals():
    assert plural(1, "mere") == "1 mere" and plural(3, "mere") == "3 flere"
    assert plural(1, "linje") == "1 linje" and plural(2, "linje") == "2 linjer"
    assert plural(2, "gang", "gange") == "2 gange" and word(1, "gang", "gange") == "gang"
    assert plural(2, "år") == "2 år"
    assert number(12345) == "12.345"
    with pytest.raises(KeyError):
        plural(2, "skib")           # an unknown word must be given its plural


def test_ingest_summary_counts_one_file_in_the_singular():
    report = IngestReport([FileResult("a.txt", Status.ADDED, items=1)])
    assert report.summary().startswith("1 fil: 1 nye") and "1 dagsordenspunkt indekseret" in report.summary()
    two = IngestReport([FileResult("a.txt", Status.ADDED, items=2, joined=False),
                        FileResult("b.pdf", Status.UNCHANGED, joined=True)])
    assert two.summary().startswith("2 filer:") and "; 1 fil er et andet format" in two.summary()


def test_the_search_page_counts_its_hidden_facet_values_in_danish(client):
    import re

    text = client.get("/").get_data(as_text=True)
    more = re.findall(r"<summary>Vis (\d+) (\w+)</summary>", text)
    assert more, "no facet with hidden values"
    for count, said in more:
        assert said == ("mere" if count == "1" else "flere"), (count, said)
