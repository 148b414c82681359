"""`arkiv serve` as in production (gunicorn in a subprocess): its own error answers carry
the security headers, and with --public-url the Host header never reaches a link."""
from __future__ import annotations

import http.client
import socket
import subprocess
import sys

import pytest
from helpers_serve import ROOT, serve

from web.app import SECURITY_HEADERS

PUBLIC = "https://arkiv.example.dk"


@pytest.fixture(scope="module")
def server(archive_home, tmp_path_factory):
    with serve(archive_home, "--threads", "2", "--public", "--public-url", PUBLIC + "/",
               log_dir=tmp_path_factory.mktemp("serve")) as running:
        yield running.port, running.log


def _raw(port: int, request: bytes) -> tuple[int, dict[str, str], str]:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(request)
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines[1:])
    return int(lines[0].split()[1]), headers, body.decode("utf-8")


@pytest.mark.parametrize("request_bytes, status", [
    (b"THIS IS NOT HTTP\r\n\r\n", 400),                                     # bad request line
    (b"GET / HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n", 400),               # bad header
    (b"GET /" + b"a" * 9000 + b" HTTP/1.1\r\nHost: x\r\n\r\n", 414),          # URL too long
])
def test_gunicorns_own_error_answers_carry_the_security_headers(server, request_bytes, status):
    port, _log = server
    got, headers, body = _raw(port, request_bytes)
    assert got == status
    for name, value in SECURITY_HEADERS.items():
        assert headers.get(name) == value, name
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert '<html lang="da">' in body and "Serveren kunne ikke læse forespørgslen" in body


def test_the_app_answers_carry_them_too(server):
    port, _log = server
    status, headers, _body = _raw(port, b"GET /findes-ikke HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    assert status == 404
    for name, value in SECURITY_HEADERS.items():
        assert headers.get(name) == value, name


def _get(port: int, path: str, host: str) -> str:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", path, headers={"Host": host})
    body = conn.getresponse().read().decode("utf-8")
    conn.close()
    return body


def test_public_url_and_never_the_host_header_in_feeds_permalinks_and_citations(server, seed_items):
    port, _log = server
    evil = "evil.example.com"
    feed = _get(port, "/feed.atom?q=helgenomsekventering", evil)
    assert evil not in feed
    assert f"<id>{PUBLIC}/feed.atom?q=helgenomsekventering</id>" in feed
    assert f"<id>{PUBLIC}/punkt/{seed_items['47/18']}</id>" in feed
    page = _get(port, f"/punkt/{seed_items['47/18']}", evil)
    assert evil not in page
    assert f"{PUBLIC}/punkt/{seed_items['47/18']}" in page          # the permalink in the citation


def test_serve_says_what_it_runs(server):
    _port, log = server
    assert "1 arbejdsproces à 2 tråde" in log.read_text()


def test_a_bad_public_url_is_refused_with_the_option_named(archive_home):
    res = subprocess.run([sys.executable, "-m", "arkiv.cli", "--home", str(archive_home), "serve",
                          "--public-url", "arkiv.example.dk"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert res.returncode == 2
    assert "--public-url" in res.stderr and "er ikke en adresse som https://arkiv.example.dk" in res.stderr
