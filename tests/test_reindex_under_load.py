"""`arkiv reindex` on a served archive (issue 23, "an index that heals"): eight clients search a real
`arkiv serve` over HTTP while `arkiv reindex` re-parses every original and rebuilds the index in
another process; every answer is a 200 with the hits it had before (0 empty results, 0 errors)."""
from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
import urllib.request
from collections import Counter
from pathlib import Path

import pytest
from helpers_serve import ROOT, serve

from benchmark import generate as G

pytestmark = pytest.mark.slow          # an ingest, a server and a reindex: ~20 s
CLIENTS = 8
QUERIES = ("bestyrelsen", "budget", "godkendt")


def _arkiv(home: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "arkiv.cli", "--home", str(home), *args],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)


def _total(url: str, query: str) -> int:
    with urllib.request.urlopen(f"{url}/api/search?q={query}", timeout=30) as response:
        assert response.status == 200
        return json.loads(response.read())["total"]


def test_eight_clients_see_no_empty_result_and_no_error_during_reindex(tmp_path):
    folder = tmp_path / "referater"
    for spec in G.iter_specs(600, seed=5, max_items=4):
        path = folder / spec.filename
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(G.render_meeting(spec), encoding="utf-8")
    home = tmp_path / "home"
    ingested = _arkiv(home, "ingest", str(folder))
    assert ingested.returncode == 0, ingested.stdout + ingested.stderr

    with serve(home, "--public", log_dir=tmp_path) as server:
        before = {q: _total(server.url, q) for q in QUERIES}
        assert all(before.values()), before
        outcomes: Counter = Counter()
        wrong: list = []
        stop = threading.Event()

        def client(n: int) -> None:
            k = n
            while not stop.is_set():
                query = QUERIES[k % len(QUERIES)]
                k += 1
                try:
                    total = _total(server.url, query)
                except Exception as exc:         # an HTTP error, a refused connection, a timeout
                    outcomes["error"] += 1
                    wrong.append(repr(exc))
                    continue
                outcomes["empty" if total == 0 else "answered"] += 1
                if total != before[query]:
                    wrong.append((query, total, before[query]))

        threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
        for t in threads:
            t.start()
        started = time.monotonic()
        reindexed = _arkiv(home, "reindex", "--no-progress")
        took = time.monotonic() - started
        time.sleep(1.0)                          # searches after the swap, too
        stop.set()
        for t in threads:
            t.join()
        assert reindexed.returncode == 0, reindexed.stdout + reindexed.stderr
        assert outcomes["error"] == 0 and outcomes["empty"] == 0, (outcomes, wrong[:5])
        assert not wrong, wrong[:5]              # the same hits before, during and after
        assert outcomes["answered"] >= 5 * CLIENTS, (outcomes, took)
