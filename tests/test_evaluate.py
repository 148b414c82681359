"""Search quality on the judged set: the full Danish chain must beat Snowball-only.

An honest test: it runs the real judged queries against two real indexes and can fail.
"""
from __future__ import annotations

import pytest

from index.evaluate import JUDGMENTS, alias_map, evaluate, load_corpus, load_judgments, main, score_query


def test_metrics():
    assert score_query(["a", "b"], {"a": 2, "b": 1}) == (1.0, 1.0, 1.0)
    ndcg, rk, r = score_query(["x", "a"], {"a": 2})
    assert 0 < ndcg < 1 and rk == 1.0 and r == 1.0
    assert score_query([], {"a": 1}) == (0.0, 0.0, 0.0)
    ranked = [f"n{i}" for i in range(10)] + ["a"]
    assert score_query(ranked, {"a": 1})[1:] == (0.0, 1.0)


def test_judged_set_is_well_formed():
    judgments = load_judgments(JUDGMENTS)
    assert len(judgments) >= 40
    ids = alias_map(load_corpus())
    for j in judgments:
        assert j["rel"], j
        for alias in j["rel"]:
            assert alias in ids, (j["q"], alias)
    assert len({j["q"] for j in judgments}) == len(judgments)


@pytest.fixture(scope="module")
def result():
    return evaluate()


def test_danish_chain_beats_snowball(result):
    d = result["danish"]["summary"]["ALL"]
    s = result["snowball"]["summary"]["ALL"]
    assert d["ndcg@10"] > s["ndcg@10"], (d, s)
    assert d["recall@10"] > s["recall@10"], (d, s)
    assert d["recall"] > s["recall"], (d, s)


def test_danish_chain_wins_on_compounds(result):
    d = result["danish"]["summary"]["compound"]
    s = result["snowball"]["summary"]["compound"]
    assert d["ndcg@10"] > s["ndcg@10"] and d["recall@10"] > s["recall@10"]


def test_main_prints_table(capsys):
    assert main([]) == 0
    out = capsys.readouterr().out
    assert "nDCG@10" in out and "ALL" in out
