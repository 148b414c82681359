"""A real Whoosh index built with index/engine_analyzer.py's analyzers."""
from __future__ import annotations

import pickle
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from whoosh import index
from whoosh.fields import ID, TEXT, Schema
from whoosh.highlight import HtmlFormatter
from whoosh.qparser import QueryParser

from index.engine_analyzer import ArkivTokenizer, danish_analyzer, exact_analyzer, snowball_analyzer

ROOT = Path(__file__).resolve().parent.parent

DOCS = {
    "genom": "Bestyrelsen drøftede helgenomsekventering af patienter.",
    "minist": "Brev fra Sundheds- og Ældreministeriet om databasen.",
    "efter": "Bestyrelsen tog orienteringen til efterretning.",
    "bekendt": "De nye bekendtgørelser træder i kraft.",
    "aarhus": "Mødet blev holdt i Aarhus Kommune, punkt 47/18.",
    "for": "Indstilling: at sagen sendes videre for godkendelse.",
    "foer": "Sagen skal behandles før sommerferien.",
}


def schema():
    return Schema(id=ID(stored=True, unique=True),
                  body=TEXT(analyzer=danish_analyzer(), stored=True),
                  exact=TEXT(analyzer=exact_analyzer()),
                  snow=TEXT(analyzer=snowball_analyzer()))


@pytest.fixture(scope="module")
def ix(tmp_path_factory):
    d = tmp_path_factory.mktemp("ix")
    ix = index.create_in(str(d), schema())
    w = ix.writer()
    for k, v in DOCS.items():
        w.add_document(id=k, body=v, exact=v, snow=v)
    w.commit()
    return ix


def hits(ix, q, field="body"):
    with ix.searcher() as s:
        return {h["id"] for h in s.search(QueryParser(field, ix.schema).parse(q), limit=None)}


def test_compound_part_found(ix):
    assert hits(ix, "sekventering") == {"genom"}
    assert hits(ix, "genomsekventering") == {"genom"}
    assert hits(ix, "helgenomsekventering") == {"genom"}


def test_dangling_hyphen_part_found(ix):
    assert hits(ix, "sundhed") == {"minist"}
    assert hits(ix, "ministeriet") == {"minist"}
    assert hits(ix, "database") == {"minist"}


def test_efterretning_not_retning(ix):
    assert hits(ix, "retning") == set()
    assert hits(ix, "efterretning") == {"efter"}


def test_inflection(ix):
    assert hits(ix, "bekendtgørelse") == {"bekendt"}
    assert hits(ix, "Århus") == {"aarhus"}
    assert hits(ix, '"47/18"') == {"aarhus"}


def test_phrase_queries(ix):
    assert hits(ix, '"drøftede helgenomsekventering"') == {"genom"}
    assert hits(ix, '"drøftede sekventering"') == {"genom"}     # part at same pos
    assert hits(ix, '"sundheds- og ældreministeriet"') == {"minist"}
    assert hits(ix, '"tog orienteringen til efterretning"') == {"efter"}
    assert hits(ix, '"efterretning orienteringen"') == set()


def test_exact_field_single_stopword(ix):
    assert hits(ix, "for", "exact") == {"for"}
    assert hits(ix, "før", "exact") == {"foer"}
    assert hits(ix, "bekendtgørelse", "exact") == set()     # exact form only


def test_snowball_baseline_field(ix):
    assert hits(ix, "bekendtgørelse", "snow") == {"bekendt"}
    assert hits(ix, "sekventering", "snow") == set()        # no compound splitting
    assert hits(ix, "Århus", "snow") == set()               # no aa folding


def test_highlight_offsets(ix):
    with ix.searcher() as s:
        r = s.search(QueryParser("body", ix.schema).parse("sekventering"))
        r.formatter = HtmlFormatter(tagname="b")
        assert "<b" in r[0].highlights("body") and "helgenomsekventering</b>" in r[0].highlights("body")


def test_query_mode_one_token_per_position():
    a = danish_analyzer()
    toks = [(t.text, t.pos) for t in a("helgenomsekventering EU-kommissionen",
                                        positions=True, mode="query")]
    assert toks == [("helgenomsekventering", 0), ("eu-kommission", 1)]
    toks = [(t.text, t.pos, t.startchar, t.endchar) for t in a(
        "helgenomsekventering", positions=True, chars=True, mode="index")]
    assert all(p == 0 and (sc, ec) == (0, 20) for _, p, sc, ec in toks)
    assert len(toks) > 1


def test_analyzers_pickle():
    for a in (danish_analyzer(), exact_analyzer(), snowball_analyzer()):
        b = pickle.loads(pickle.dumps(a))
        assert [t.text for t in b("Aarhus faciliteter")] == \
            [t.text for t in a("Aarhus faciliteter")]
    with pytest.raises(ValueError):
        ArkivTokenizer("nope")


def test_reopen_in_fresh_process(ix):
    code = textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {str(ROOT)!r})
        from whoosh import index
        from whoosh.qparser import QueryParser
        ix = index.open_dir({ix.storage.folder!r})
        with ix.searcher() as s:
            q = QueryParser("body", ix.schema).parse("sekventering")
            print(sorted(h["id"] for h in s.search(q)))
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd="/", check=True)
    assert out.stdout.strip() == "['genom']"
