"""Where the archive keeps its state: --home DIR, else $ARKIV_HOME, else the XDG data dir."""
from __future__ import annotations

import os
from pathlib import Path


def default_home() -> Path:
    env = os.environ.get("ARKIV_HOME")
    if env:
        return Path(env).expanduser()
    xdg = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(xdg) / "arkiv"


def resolve_home(home: str | os.PathLike | None = None) -> Path:
    path = Path(home).expanduser() if home else default_home()
    return path.resolve()
