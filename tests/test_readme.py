"""README's commands work as written, in order, after `make run` on a fresh machine.

`make run` ingests data/ into arkiv's default home and serves it; every command in
README's "Using it" block then runs here exactly as written (``.venv/bin/arkiv`` is this
environment's arkiv), in a fresh default home (HOME points to a temporary folder and
neither ARKIV_HOME nor XDG_DATA_HOME is set), from a folder holding data/.
"""
from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from helpers_serve import free_port

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent


def readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Using it", 1)[1].split("\n## ", 1)[0]
    block = section.split("```sh", 1)[1].split("```", 1)[0]
    return [line.split("  #", 1)[0].strip() for line in block.splitlines() if line.startswith(".venv/bin/arkiv ")]


@pytest.fixture(scope="module")
def machine(tmp_path_factory):
    """A fresh user's HOME and a working folder with data/, after `make run`'s ingest."""
    work = tmp_path_factory.mktemp("readme")
    (work / "data").symlink_to(ROOT / "data")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ARKIV_", "XDG_"))}
    env["HOME"] = str(work / "home")
    env["PYTHONPATH"] = str(ROOT)
    made = subprocess.run([sys.executable, "-m", "arkiv.cli", "ingest", "data/"], cwd=work, env=env,
                          capture_output=True, text=True, timeout=300)     # `make run`, first step
    assert made.returncode == 0, made.stderr
    return work, env


def run(machine, command: str, **kw) -> subprocess.CompletedProcess:
    work, env = machine
    argv = shlex.split(command)
    assert argv[0] == ".venv/bin/arkiv"
    return subprocess.run([sys.executable, "-m", "arkiv.cli", *argv[1:]], cwd=work, env=env,
                          capture_output=True, text=True, timeout=300, **kw)


def test_readme_lists_the_commands_this_test_checks():
    verbs = [shlex.split(c)[1] for c in readme_commands()]
    assert verbs == ["ingest", "search", "search", "export", "serve", "serve", "user", "check", "check", "reindex",
                     "evaluate"]


def test_readme_commands_work_as_written_in_order(machine):
    work, env = machine
    default_home = Path(env["HOME"]) / ".local" / "share" / "arkiv"
    for command in readme_commands():
        verb = shlex.split(command)[1]
        if verb == "serve":
            _serve(machine, command)
            continue
        # `user add` asks for the password twice (here on standard input, as from a terminal).
        res = run(machine, command, input="en lang hemmelighed\nen lang hemmelighed\n")
        assert res.returncode == 0, (command, res.stdout[-2000:], res.stderr[-2000:])
        out = res.stdout
        if verb == "ingest":
            assert "1 uændrede" in out                          # make run ingested it already
        elif command.endswith("--json"):
            assert json.loads(out)["total"] == 4
        elif verb == "search":
            assert out.startswith("3 resultater for «helgenomsekventering»")
        elif verb == "export":
            rows = (work / "items.csv").read_text(encoding="utf-8").splitlines()
            assert rows[0].startswith("id,meeting_id,") and len(rows) > 10
        elif verb == "user":
            assert out.startswith("Brugeren bo er oprettet som læser.")
        elif verb == "check":
            assert out.startswith("OK: 1 møde, 10 dagsordenspunkter")
        elif verb == "reindex":
            assert out.startswith("Genopbygget: 1 fil, 1 møde, 10 dagsordenspunkter.")
        elif verb == "evaluate":
            assert "Den danske kæde slår Lucene-grundlinjen" in out
    assert (default_home / "arkiv.sqlite").exists()


def _serve(machine, command: str) -> None:
    """Without --public the API wants a signed-in user (401); with it, anyone reads."""
    work, env = machine
    port = free_port()
    public = "--public" in command
    # 5000 may be taken here.
    command = re.sub(r"--port \d+", f"--port {port}", command) if "--port" in command else f"{command} --port {port}"
    argv = shlex.split(command)
    proc = subprocess.Popen([sys.executable, "-m", "arkiv.cli", *argv[1:]], cwd=work, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/search?q=helgenomsekventering",
                                            timeout=5) as resp:
                    assert public and json.load(resp)["total"] == 3
                    break
            except urllib.error.HTTPError as exc:
                assert not public and exc.code == 401
                break
            except OSError:
                assert proc.poll() is None and time.monotonic() < deadline, "arkiv serve did not start"
                time.sleep(0.2)
    finally:
        proc.terminate()
        proc.wait(timeout=20)
