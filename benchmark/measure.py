"""The benchmark's small helpers: percentiles, sizes, the log, a free port, an `arkiv` command."""
from __future__ import annotations

import socket
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def percentiles(samples: list[float]) -> dict[str, float]:
    if not samples:
        return {"n": 0, "p50": float("nan"), "p95": float("nan"), "p99": float("nan"),
                "mean": float("nan"), "max": float("nan")}
    s = sorted(samples)

    def pct(p: float) -> float:
        k = (len(s) - 1) * p
        lo, hi = int(k), min(int(k) + 1, len(s) - 1)
        return s[lo] + (s[hi] - s[lo]) * (k - lo)

    return {"n": len(s), "p50": pct(0.50), "p95": pct(0.95), "p99": pct(0.99),
            "mean": statistics.fmean(s), "max": s[-1]}


def dir_bytes(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def arkiv_cmd(home: Path, *args: str, database: str | None = None) -> list[str]:
    """``arkiv`` with a home (and the PostgreSQL database, for that engine)."""
    db = ["--database", database] if database else []
    return [sys.executable, "-m", "arkiv.cli", "--home", str(home), *db, *args]
