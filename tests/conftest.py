"""Shared pytest fixtures.

``realworld_dir``: the real minutes of other bodies in ../shared/realworld.  They
are read from there, never copied.  Where the folder is absent the tests skip
with a visible reason, unless ARKIV_REQUIRE_REALWORLD=1 (set by .ci/run), which
turns the skip into a failure.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "data" / "minutes" / "2018-06-20_personlig-medicin-bestyrelse_6-moede.txt"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def _realworld_dir() -> Path:
    env = os.environ.get("ARKIV_REALWORLD")
    return Path(env) if env else ROOT.parent / "shared" / "realworld"


@pytest.fixture(scope="session")
def realworld_dir() -> Path:
    path = _realworld_dir()
    if not path.is_dir():
        message = f"real-world minutes not found at {path} (set ARKIV_REALWORLD)"
        if os.environ.get("ARKIV_REQUIRE_REALWORLD") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def seed_path() -> Path:
    return SEED
