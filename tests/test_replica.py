"""Read scale, shown (issue 10): ingest on a PostgreSQL primary, search on a streaming hot standby.

A standby of the test process's cluster is made with ``pg_basebackup -R`` over loopback; an
``arkiv serve`` (gunicorn, a real subprocess) reads the archive from the standby only.  A new
meeting ingested on the primary with ``arkiv ingest`` must be found through that server within
a few seconds; writing through the standby is refused with a clear message.
"""
from __future__ import annotations

import contextlib
import json
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from helpers_serve import serve

ROOT = Path(__file__).resolve().parent.parent
MINUTES = ROOT / "tests" / "fixtures" / "minutes" / "fjordby-havn_bestyrelse_2023-03-14.txt"
NEW_WORD = "strandtudsekortlægningen"       # in no fixture: only in the meeting ingested during the test


def _arkiv(home: Path, database: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "arkiv.cli", "--home", str(home), "--database", database, *args],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)


def _search(port: int, query: str) -> dict:
    url = f"http://127.0.0.1:{port}/api/search?" + urllib.parse.urlencode({"q": query})
    with urllib.request.urlopen(url, timeout=5) as response:
        return json.loads(response.read())


@pytest.mark.slow
def test_search_on_a_standby_finds_what_the_primary_just_ingested(pg_cluster, new_database, tmp_path):
    primary = new_database("replicated")
    first = _arkiv(tmp_path / "ingest", primary, "ingest", str(MINUTES))
    assert first.returncode == 0, first.stderr
    standby = pg_cluster.standby()
    with contextlib.ExitStack() as stack:
        stack.callback(standby.stop)
        replica = standby.url(urllib.parse.urlsplit(primary).path.lstrip("/"))
        server = stack.enter_context(serve(tmp_path / "web", "--public", database=replica, log_dir=tmp_path))
        before = _search(server.port, "færgeterminal")
        assert before["total"] >= 1                            # the primary's first meeting, read on the standby
        assert _search(server.port, NEW_WORD)["total"] == 0

        new = tmp_path / "in" / "fjordby-havn_bestyrelse_2023-06-13.txt"
        new.parent.mkdir()
        text = MINUTES.read_text(encoding="utf-8").replace("14. marts 2023", "13. juni 2023").replace(
            "3. møde", "4. møde")
        new.write_text(text.replace("Velkomst ved bestyrelsesformanden",
                                    f"Velkomst og {NEW_WORD} ved bestyrelsesformanden"), encoding="utf-8")
        second = _arkiv(tmp_path / "ingest", primary, "ingest", str(new))
        assert second.returncode == 0, second.stderr
        ingested = time.monotonic()
        while (found := _search(server.port, NEW_WORD))["total"] == 0:
            assert time.monotonic() - ingested < 5, "the standby's server did not find the new meeting within 5 s"
            time.sleep(0.05)
        assert found["results"][0]["date"] == "2023-06-13"
        assert f"<mark>{NEW_WORD}</mark>" in found["results"][0]["snippet"]

        # The standby is read-only: an ingest there is refused in Danish, nothing half-written.
        refused = _arkiv(tmp_path / "other", replica, "ingest", str(new))
        assert refused.returncode != 0
        assert "er en skrivebeskyttet kopi (en hot standby)" in refused.stderr, refused.stderr
        assert "Traceback" not in refused.stderr
