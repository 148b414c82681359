"""The ingest path on many files: parsing in worker processes, per-file results, batches."""
from __future__ import annotations

import pytest

from archive import ingest as ingest_mod
from archive.ingest import ingest
from archive.store.sqlite import Store
from benchmark.generate import load_manifest, write_corpus
from index.engine_tantivy import TantivyEngine as Engine


@pytest.mark.slow
def test_many_files_ingest_in_parallel_and_a_broken_one_is_named(tmp_path, monkeypatch):
    corpus = tmp_path / "corpus"
    write_corpus(300, corpus, seed=3, max_items=5)
    expected = load_manifest(corpus)
    broken = corpus / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7\n1 0 obj <<")          # a truncated PDF
    # Force small index batches so several commits happen during the run.
    monkeypatch.setattr(ingest_mod, "INDEX_BATCH_ITEMS", 50)
    files, _ = ingest_mod.discover([corpus])
    assert len(files) >= ingest_mod.PARALLEL_MIN_FILES  # the worker-process path is the one tested

    store, engine = Store(tmp_path / "home"), Engine(tmp_path / "home" / "index")
    seen = []
    report = ingest([corpus], store, engine, on_result=seen.append)

    assert [r.path for r in report.results] == [str(p) for p in files]   # in order, one each
    assert seen == report.results
    assert [r.message.split(":")[0] for r in report.failed] == ["broken.pdf"]
    n_items = sum(len(m["items"]) for m in expected)
    assert report.items == n_items == store.counts()["items"] == engine.item_count()
    assert store.meeting_versions() == engine.versions()

    again = ingest([corpus], store, engine)
    assert again.count("unchanged") == len(files) - 1 and again.items == 0
