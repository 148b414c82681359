"""Anonymous exports cannot crowd out searches (issue 23: "8 anonymous /eksport.json at once pushed a
search to 7.2 s"): a real `arkiv serve --public` (gunicorn, one worker, its default threads) over an
archive of generated fictional minutes; eight anonymous exports at once while a ninth client
searches.  At most ANONYMOUS_EXPORTS (2) run at once in a worker; the others are told at once to come
back (429, a Danish message, Retry-After); the search answers within a second throughout."""
from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from helpers_serve import ROOT, serve

from benchmark import generate as G

pytestmark = pytest.mark.slow          # an ingest of ~1,500 items and a server: ~30 s
EXPORTS = 8


def _ingest(tmp_path: Path) -> Path:
    folder = tmp_path / "referater"
    folder.mkdir()
    for spec in G.iter_specs(1500, seed=7):
        path = folder / spec.filename
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(G.render_meeting(spec), encoding="utf-8")
    home = tmp_path / "home"
    done = subprocess.run([sys.executable, "-m", "arkiv.cli", "--home", str(home), "ingest", str(folder)],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    return home


def _get(url: str) -> tuple[int, dict, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def test_eight_anonymous_exports_at_once_leave_searches_fast(tmp_path):
    home = _ingest(tmp_path)
    with serve(home, "--public", log_dir=tmp_path) as server:
        search = f"{server.url}/api/search?q=bestyrelsen"
        status, _, body = _get(search)
        assert status == 200 and json.loads(body)["total"] > 0
        status, _, body = _get(f"{server.url}/eksport.json")        # warm, and: how big is one export
        alone = json.loads(body)
        assert status == 200 and alone["count"] >= 1000, alone["count"]

        answers: list[tuple[int, dict, bytes]] = []
        start = threading.Barrier(EXPORTS + 1)

        def export(n: int) -> None:
            start.wait()
            answers.append(_get(f"{server.url}/eksport.{'json' if n % 2 else 'csv'}"))

        exporters = [threading.Thread(target=export, args=(n,)) for n in range(EXPORTS)]
        for t in exporters:
            t.start()
        start.wait()
        latencies = []
        while any(t.is_alive() for t in exporters) or not latencies:
            asked = time.monotonic()
            status, _, body = _get(search)
            latencies.append(time.monotonic() - asked)
            assert status == 200 and json.loads(body)["total"] > 0
            time.sleep(0.05)
        for t in exporters:
            t.join()

    assert max(latencies) < 1.0, latencies
    served = [a for a in answers if a[0] == 200]
    refused = [a for a in answers if a[0] == 429]
    assert len(served) + len(refused) == EXPORTS, [a[0] for a in answers]
    assert refused, "eight exports at once: some must be refused"
    assert len(served) >= 2                     # the two slots do their work
    for _, headers, body in refused:
        assert int(headers["Retry-After"]) > 0
        text = body.decode("utf-8")
        assert "Prøv igen om lidt" in text
    for _, headers, body in served:              # a streamed export is the whole export
        if headers["Content-Type"].startswith("application/json"):
            got = json.loads(body)
            assert got["count"] == alone["count"] and got["items"] == alone["items"]
        else:
            assert int(headers["X-Arkiv-Rows"]) == alone["count"]
            assert body.decode("utf-8-sig").count("\r\n") >= alone["count"] + 1
