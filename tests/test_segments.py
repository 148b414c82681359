"""index.segments on its own: posting blobs, building a segment, merging segments.

What a segment holds is checked against the analysis chain directly (a term's documents,
frequencies and positions), and a merge against the segments it merges: the postings of
the live documents, renumbered in order, and nothing of the deleted ones."""
from __future__ import annotations

import numpy as np
import pytest
from helpers_search import small_corpus

from index import analysis as A
from index import documents
from index import segments as S
from index.engine_pg import STORED


def docs_of(meetings):
    return [d for m in meetings for d in documents.item_documents(m)]


@pytest.mark.parametrize("n", [1, S.SMALL, S.SMALL + 1, 5000])
def test_postings_round_trip_raw_and_compressed(n):
    rng = np.random.default_rng(n)
    docs = np.sort(rng.choice(10 * n, size=n, replace=False)).astype(np.int32)
    tf = rng.integers(1, 300, size=n).astype(np.float32)
    blob = S._encode(docs, tf)
    assert blob[:1] == (S.RAW if n <= S.SMALL else S.ZLIB)
    got_docs, got_tf = S.decode(n, blob)
    assert got_docs.tolist() == docs.tolist() and got_tf.tolist() == tf.tolist()
    counts = rng.integers(1, 4, size=n)
    flat = rng.integers(0, 16000, size=int(counts.sum()))
    got_counts, got_flat = S.decode_positions(n, S._encode_positions(counts, flat))
    assert got_counts.tolist() == counts.tolist() and got_flat.tolist() == flat.tolist()


def postings_of(built):
    """(field, term) -> {doc: (tf, positions)} from a built segment's rows."""
    out = {}
    for field, term, df, blob, pos in built.rows:
        docs, tf = S.decode(df, blob)
        entry = {}
        if pos is not None:
            counts, flat = S.decode_positions(df, pos)
            starts = np.cumsum(counts) - counts
            for d, t, a, c in zip(docs, tf, starts, counts, strict=True):
                entry[int(d)] = (int(t), flat[a:a + c].tolist())
        else:
            entry = {int(d): (int(t), []) for d, t in zip(docs, tf, strict=True)}
        out[(field, term)] = entry
    return out


def test_a_segment_holds_each_fields_terms_as_the_chain_makes_them():
    docs = docs_of(small_corpus())
    built = S.build(docs, "danish", STORED)
    got = postings_of(built)
    expected: dict = {}
    for i, doc in enumerate(docs):
        for field in S.SCORED:
            chain = A.exact_analyze if field in documents.EXACT_FIELDS else (lambda t: A.analyze(t, "index"))
            for t in chain(doc[field]) if doc[field] else []:
                tf, positions = expected.setdefault((field, t.text), {}).setdefault(i, (0, []))
                expected[(field, t.text)][i] = (tf + 1, positions + [t.pos])
    assert {k: v for k, v in got.items() if k[0] in S.SCORED} == expected
    # whole values: identifiers and facets, one term each
    assert got[("presenter", "Jens Hansen")].keys() == {i for i, d in enumerate(docs) if "Jens Hansen" in d["presenter_names"]}
    assert got[("case_number", "emn-2023-0042")].keys() == {i for i, d in enumerate(docs) if d["case_number"]}
    assert got[("meeting_id", docs[0]["meeting_id"])].keys() == {i for i, d in enumerate(docs)
                                                                   if d["meeting_id"] == docs[0]["meeting_id"]}
    cols = S.Columns.load(built.columns)
    assert cols.ids.kept(np.ones(len(cols.ids), dtype=bool)) == [d["id"] for d in docs]
    assert cols.day.tolist() == [d["day"] for d in docs]
    assert cols.lengths["title"].tolist() == [len(A.analyze(d["title"], "index")) for d in docs]
    presenters = cols.facets["presenter"]
    pairs = sorted((int(d), presenters.values[o]) for d, o in zip(presenters.docs, presenters.ords, strict=True))
    assert pairs == sorted((i, p) for i, d in enumerate(docs) for p in d["presenter_names"])
    assert "affaldssortering" in built.words


def test_merging_keeps_the_live_documents_renumbered_in_order():
    m1, m2, m3 = small_corpus()
    a, b = docs_of([m1, m2]), docs_of([m3, m1])
    seg_a, seg_b = S.build(a, "danish", STORED), S.build(b, "danish", STORED)
    alive_a = np.ones(len(a), dtype=bool)
    alive_a[1] = False                                  # one deleted document in the first segment
    alive_b = np.ones(len(b), dtype=bool)
    rows = sorted([(f, t, 1, df, p, pos) for f, t, df, p, pos in seg_a.rows]
                  + [(f, t, 2, df, p, pos) for f, t, df, p, pos in seg_b.rows], key=lambda r: (r[0], r[1], r[2]))
    merged = S.Built(0, b"", S.merge_rows([(1, alive_a), (2, alive_b)], rows), [])
    kept = [d for d, keep in zip(a + b, np.r_[alive_a, alive_b], strict=True) if keep]
    assert postings_of(merged) == postings_of(S.build(kept, "danish", STORED))

    cols = S.merge_columns([(S.Columns.load(seg_a.columns), alive_a),
                            (S.Columns.load(seg_b.columns), alive_b)])
    direct = S.Columns.load(S.build(kept, "danish", STORED).columns)
    assert cols.ids.kept(np.ones(len(cols.ids), dtype=bool)) == direct.ids.kept(np.ones(len(direct.ids), dtype=bool))
    assert {f: v.tolist() for f, v in cols.lengths.items()} == {f: v.tolist() for f, v in direct.lengths.items()}
    for name in cols.facets:
        mine, theirs = cols.facets[name], direct.facets[name]
        as_pairs = lambda fa: sorted((int(d), fa.values[o]) for d, o in zip(fa.docs, fa.ords, strict=True))  # noqa: E731
        assert as_pairs(mine) == as_pairs(theirs), name


def test_merge_plan_merges_a_full_size_class_smallest_first():
    assert S.merge_plan({i: 2000 for i in range(1, S.MERGE_FACTOR)}) is None
    full = {i: 2000 for i in range(1, S.MERGE_FACTOR + 1)}
    assert S.merge_plan(full) == list(range(1, S.MERGE_FACTOR + 1))
    big = {100 + i: 20_000 for i in range(S.MERGE_FACTOR)}
    assert S.merge_plan({**big, **full}) == list(range(1, S.MERGE_FACTOR + 1))
    assert S.merge_plan({**big, 1: 2000}) == sorted(big)
