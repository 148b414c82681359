"""index.fields: the search fields and facets declared once, and everything made from them.

The CLI option, the URL/API parameter, the engine's filter and the facet of each search field
come from its one entry in SEARCH_FIELDS; INDEX_FIELDS is the schema every engine holds to.
"""
from __future__ import annotations

import datetime as dt
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from index import fields as F
from index.model import FACETS, Filters

ROOT = Path(__file__).resolve().parent.parent


def test_every_search_field_names_an_index_field():
    index_fields = {f.name: f for f in F.INDEX_FIELDS}
    for field in F.SEARCH_FIELDS:
        assert field.index_field in index_fields, field.name
        if field.is_facet:
            assert index_fields[field.index_field].facet, field.name
    assert FACETS == ("presenter", "outcome", "body", "meeting_kind", "year")


def test_the_tantivy_documents_are_the_declared_fields(seed_meeting):
    import json

    from index import tantivy_schema as ts
    from index.documents import item_documents

    declared = {f.name: f for f in F.INDEX_FIELDS}
    document = next(item_documents(seed_meeting))
    assert set(document) == set(declared)
    made = ts.to_document(document, ts.Tokens("danish")).to_dict()
    # Every field that is searched, filtered, counted or ordered by, and nothing undeclared
    # but the engine's own (the sort keys and the stored JSON); empty values are left out.
    searched = {f.name for f in F.INDEX_FIELDS if f.kind is not F.Kind.STORED} | ts.FAST_KEYWORDS
    given = {name for name, value in document.items() if value not in ("", None, [], False)}
    assert set(made) - {ts.STORED, ts.NEWEST, ts.OLDEST} == searched & (given | {"day", "position", "closed"})
    stored = json.loads(bytes(made[ts.STORED][0]))
    assert set(stored) == {f.name for f in F.INDEX_FIELDS if f.stored}
    assert stored["presenter_names"] == document["presenter_names"]


def test_every_url_parameter_becomes_its_filter():
    from index.search import parse_request

    given = {"presenter": ["Anne Lund"], "outcome": ["godkendt"], "body": ["Byrådet"], "kind": ["bestyrelsesmøde"],
             "year": ["2022"], "meeting": ["m1"], "case": ["EMN-2025-1"], "from": "2022-01-01", "to": "2022-12-31"}
    assert {f.url_param for f in F.SEARCH_FIELDS} == set(given)
    filters = parse_request(given).filters
    assert filters == Filters(presenter=["Anne Lund"], outcome=["godkendt"], body=["Byrådet"],
                              meeting_kind=["bestyrelsesmøde"], year=[2022], meeting=["m1"], case=["EMN-2025-1"], date_from=dt.date(2022, 1, 1),
                              date_to=dt.date(2022, 12, 31))
    # What an engine is handed: every term field on its index field, the dates as day numbers.
    assert filters.term_clauses() == [("presenter", ["Anne Lund"]), ("outcome", ["godkendt"]),
                                      ("body", ["Byrådet"]), ("meeting_kind", ["bestyrelsesmøde"]),
                                      ("year", ["2022"]), ("meeting_id", ["m1"]),
                                      ("case_number", ["emn-2025-1"])]
    assert filters.day_range() == (dt.date(2022, 1, 1).toordinal(), dt.date(2022, 12, 31).toordinal())


def test_every_option_of_arkiv_search_is_a_search_field(monkeypatch, tmp_path):
    import index.search
    from arkiv.cli import main

    seen = {}
    monkeypatch.setattr(index.search, "search", lambda engine, request: seen.setdefault("request", request))
    monkeypatch.setattr("arkiv.cli.Context.engine", property(lambda self: None))
    options = [f for f in F.SEARCH_FIELDS if f.option]
    assert [f.option for f in options] == ["presenter", "outcome", "body", "kind", "case", "from", "to"]
    argv = ["--home", str(tmp_path), "search", "x", "--presenter", "Anne Lund", "--outcome", "godkendt",
            "--body", "Byrådet", "--kind", "bestyrelsesmøde", "--case", "EMN-2025-1", "--from", "2022-01-01",
            "--to", "2022-12-31", "--json"]
    CliRunner().invoke(main, argv)
    assert seen["request"].filters == Filters(presenter=["Anne Lund"], outcome=["godkendt"], body=["Byrådet"],
                                              meeting_kind=["bestyrelsesmøde"],
                                              case=["EMN-2025-1"], date_from=dt.date(2022, 1, 1),
                                              date_to=dt.date(2022, 12, 31))


def test_every_facet_is_counted_shaped_and_shown(app):
    from index.model import FacetValue
    from web.facets import FILTER_TITLES, MULTI, SCALAR, build_facets

    client = app.test_client()
    facets = client.get("/api/search?q=").get_json()["facets"]
    assert list(facets) == [f.name for f in F.FACET_FIELDS]
    with app.test_request_context("/"):
        groups = build_facets({f.name: [FacetValue("v", "v", 1)] for f in F.FACET_FIELDS}, {})
    assert [(g.name, g.title) for g in groups] == [(f.url_param, f.label) for f in F.FACET_FIELDS]
    assert set(FILTER_TITLES) == {f.url_param for f in F.SEARCH_FIELDS} == set(MULTI) | (set(SCALAR) & set(FILTER_TITLES))


def test_a_field_added_to_a_copy_of_the_table_reaches_every_layer(tmp_path):
    # A copy of index/fields.py with one more facet ("number", the item number): the request,
    # the filters, the facets the engines are asked for, the web's URL state and facet groups
    # and `arkiv search`'s options all have it, with nothing else changed.
    source = (ROOT / "index" / "fields.py").read_text()
    added = ('    SearchField("number", "Punktnummer", "number", option="number", help="Kun punkter med dette '
             'nummer.", facet_limit=10),\n)\nBY_NAME')
    assert source.count(")\nBY_NAME") == 1
    (tmp_path / "fields_copy.py").write_text(source.replace(")\nBY_NAME", added))
    code = textwrap.dedent("""
        import importlib.util, sys
        spec = importlib.util.spec_from_file_location("index.fields", sys.argv[1])
        module = importlib.util.module_from_spec(spec)
        sys.modules["index.fields"] = module
        spec.loader.exec_module(module)
        from click.testing import CliRunner
        from arkiv.cli import main
        from index.model import FACETS
        from index.search import parse_request
        from web.facets import FACET_TITLES, MULTI
        request = parse_request({"number": ["47/18"]})
        help_text = CliRunner().invoke(main, ["search", "--help"]).output
        print(request.filters.number, request.filters.term_clauses(), "number" in FACETS,
              FACET_TITLES["number"], "number" in MULTI, "--number" in help_text)
    """)
    done = subprocess.run([sys.executable, "-c", code, str(tmp_path / "fields_copy.py")], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n")[0] == "['47/18'] [('number', ['47/18'])] True Punktnummer True True"


@pytest.mark.parametrize("bad, param", [({"year": "x"}, "year"), ({"outcome": "nej"}, "outcome"),
                                        ({"case": "x" * 61}, "case"), ({"from": "2022-13-01"}, "from")])
def test_a_bad_value_names_its_parameter(bad, param):
    from index.search import ParameterError, parse_request

    with pytest.raises(ParameterError) as caught:
        parse_request(bad)
    assert caught.value.param == param


def test_filters_refuse_an_undeclared_name():
    with pytest.raises(TypeError, match="unknown filters"):
        Filters(colour=["red"])
