"""A real `arkiv serve` (gunicorn, as in production) on a free loopback port, for the tests that
talk to it over HTTP: the browser tests, raw-socket tests, README's commands."""
from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import pytest

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    url: str
    port: int
    log: Path


@contextlib.contextmanager
def serve(home: Path, *flags: str, log_dir: Path | None = None, timeout: float = 30,
          database: str | None = None) -> Iterator[Server]:
    """`arkiv --home HOME [--database URL] serve FLAGS…` with one worker, until the block ends.

    Ready when it answers HTTP at all (a private site answers 401 or a redirect to sign-in).
    """
    port = free_port()
    log = (log_dir or home) / f"serve-{port}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "arkiv.cli", "--home", str(home), *(["--database", database] if database else []),
             "serve", "--host", "127.0.0.1",
             "--port", str(port), "--workers", "1", *flags],
            stdout=out, stderr=subprocess.STDOUT, cwd=ROOT)
    server = Server(f"http://127.0.0.1:{port}", port, log)
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(server.url + "/log-ind", timeout=2):
                    break
            except urllib.error.HTTPError:
                break                           # it answers: up
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"arkiv serve did not start:\n{log.read_text(errors='replace')}")
                time.sleep(0.1)
        yield server
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
