"""The benchmark over HTTP: a real `arkiv serve` in a subprocess, concurrent clients, hostile queries,
the memory of its workers.  Only loopback traffic."""
from __future__ import annotations

import http.client
import random
import subprocess
import threading
import time
import urllib.parse
from collections import Counter
from pathlib import Path
from typing import Any, Callable

from .measure import ROOT, arkiv_cmd, free_port, percentiles


def rss_mib(pid: int) -> float:
    """Resident memory of a process (Linux /proc), MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(p) for p in text.split()]


class Server:
    """``arkiv serve`` in a subprocess on 127.0.0.1 (stopped by its pid)."""

    def __init__(self, home: Path, threads: int = 8, database: str | None = None):
        self.home = home
        self.port = free_port()
        self.log_path = home.parent / "serve.log"
        self._log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(
            arkiv_cmd(home, "serve", "--public", "--host", "127.0.0.1", "--port", str(self.port),
                      "--threads", str(threads), database=database),  # per worker process
            cwd=ROOT, stdout=self._log, stderr=subprocess.STDOUT,
        )
        self.first_request_ms = self._wait_ready()

    def _wait_ready(self, timeout: float = 120.0) -> float:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"arkiv serve exited with {self.proc.returncode}; see {self.log_path}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
                t0 = time.perf_counter()
                conn.request("GET", "/api/search?q=forvaltningen")
                resp = conn.getresponse()
                resp.read()
                conn.close()
                if resp.status == 200:
                    return (time.perf_counter() - t0) * 1000
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("arkiv serve did not answer within the timeout")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._log.close()


def _url(path: str, params: dict[str, Any]) -> str:
    params = {k: v for k, v in params.items() if not k.startswith("_")}
    return path + ("?" + urllib.parse.urlencode(params, doseq=True) if params else "")


def run_clients(port: int, clients: int, make_request: Callable[[random.Random, int], str],
                max_requests: int, max_seconds: float) -> dict[str, Any]:
    """``clients`` threads, each with a keep-alive connection, until ``max_requests`` in
    total or ``max_seconds``.  Returns latencies, status histogram and errors."""
    lock = threading.Lock()
    latencies: list[float] = []
    statuses: Counter = Counter()
    errors: Counter = Counter()
    examples: dict[str, str] = {}
    issued = [0]
    deadline = time.monotonic() + max_seconds

    def worker(n: int) -> None:
        rng = random.Random(1000 + n)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        i = 0
        while time.monotonic() < deadline:
            with lock:
                if issued[0] >= max_requests:
                    break
                issued[0] += 1
            url = make_request(rng, i)
            i += 1
            t0 = time.perf_counter()
            try:
                conn.request("GET", url, headers={"Accept": "application/json"})
                resp = conn.getresponse()
                resp.read()
                ms = (time.perf_counter() - t0) * 1000
                with lock:
                    latencies.append(ms)
                    statuses[resp.status] += 1
                    if resp.status >= 500:
                        examples.setdefault(str(resp.status), url)
                if resp.getheader("Connection", "").lower() == "close":
                    conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            except (OSError, http.client.HTTPException) as exc:
                with lock:
                    errors[type(exc).__name__] += 1
                    examples.setdefault(type(exc).__name__, url)
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.close()

    t0 = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(n,), daemon=True) for n in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(max_seconds + 60)
    wall = time.perf_counter() - t0
    return {
        **percentiles(latencies),
        "requests": len(latencies) + sum(errors.values()),
        "seconds": wall,
        "req_per_s": len(latencies) / wall if wall else 0.0,
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "server_errors": sum(v for k, v in statuses.items() if k >= 500),
        "connection_errors": dict(errors),
        "error_examples": examples,
    }


def hostile_params(rng: random.Random) -> tuple[str, dict[str, Any] | str]:
    """A hostile or odd request: (path, params) or (path, raw query string)."""
    junk = "".join(chr(rng.choice([rng.randint(0x20, 0x7e), rng.randint(0xa0, 0x2fff),
                                   rng.randint(0x1f300, 0x1f64f), rng.randint(0x300, 0x36f)]))
                   for _ in range(rng.randint(1, 40)))
    choices: list[tuple[str, Any]] = [
        ("/api/search", {"q": "<script>alert(1)</script>"}),
        ("/", {"q": "<script>alert('x')</script>\"><img src=x onerror=alert(1)>"}),
        ("/api/search", {"q": '"'}), ("/api/search", {"q": '"""'}), ("/api/search", {"q": '"budget'}),
        ("/api/search", {"q": "OR"}), ("/api/search", {"q": "OR OR OR"}), ("/api/search", {"q": "- * -* *"}),
        ("/api/search", {"q": "a*"}), ("/api/search", {"q": "*"}), ("/api/search", {"q": "((( ]]] {{{"}),
        ("/api/search", {"q": "x" * 2000}), ("/", {"q": "budget " * 300}),
        ("/api/search", {"q": " ".join(["skole"] * 200)}),
        ("/api/search", {"q": junk}), ("/", {"q": junk}),
        ("/api/search", "q=%ff%fe%fd"), ("/api/search", "q=budget%00skole"), ("/api/search", "q=%"),
        ("/api/search", {"q": "budget", "from": "2020-13-45"}),
        ("/api/search", {"q": "budget", "from": "abc"}),
        ("/api/search", {"q": "budget", "from": "2020-01-01", "to": "2019-01-01"}),
        ("/api/search", {"q": "budget", "to": "99999-01-01"}),
        ("/api/search", {"q": "budget", "page": "0"}), ("/api/search", {"q": "budget", "page": "-1"}),
        ("/api/search", {"q": "budget", "page": "99999999999999999999"}),
        ("/api/search", {"q": "budget", "page": "9999"}), ("/", {"q": "budget", "page": "9999"}),
        ("/api/search", {"q": "budget", "per_page": "100000"}),
        ("/api/search", {"q": "budget", "page": "1.5"}),
        ("/api/search", {"q": "budget", "outcome": "nonsense"}),
        ("/api/search", {"q": "budget", "year": "abc"}),
        ("/api/search", {"q": "budget", "sort": "drop table"}),
        ("/api/search", {"q": "budget", "presenter": "x" * 300}),
        ("/api/search", {"q": ["budget", "skole"]}),
        ("/api/search", {"q": "", "body": [str(i) for i in range(60)]}),
        ("/api/items/" + urllib.parse.quote("../../etc/passwd", safe=""), {}),
        ("/api/items/" + "x" * 500, {}), ("/api/meetings/%00", {}),
        ("/punkt/" + urllib.parse.quote("<script>", safe=""), {}),
        ("/nonexistent", {}),
    ]
    return rng.choice(choices)


def make_mixed_request(classes: dict[str, list[dict]], hostile_share: float) -> Callable[[random.Random, int], str]:
    flat = [p for plist in classes.values() for p in plist]

    def make(rng: random.Random, i: int) -> str:
        if rng.random() < hostile_share:
            path, params = hostile_params(rng)
            return path + ("?" + params if isinstance(params, str) else (_url("", params) if params else ""))
        path = "/api/search" if rng.random() < 0.7 else "/"
        return _url(path, rng.choice(flat))
    return make


# --------------------------------------------------------------------------- main
