"""The web app's settings from the environment: ``ARKIV_<KEY>`` for each key of web.app's DEFAULTS.

Each value is read as its default's type: yes/no for flags (1, true, ja, yes, on / 0, false,
nej, no, off), whole numbers, decimal numbers, seconds for durations, text otherwise.  A value
that cannot be read stops the app with a Danish message naming the variable.  The archive's
own settings (``ARKIV_HOME``, ``ARKIV_DATABASE_URL``, ``ARKIV_PUBLIC_URL`` …) are read by
archive.settings, not here.
"""
from __future__ import annotations

import datetime as dt
import os
from typing import Any, Mapping

from archive.settings import ConfigError

# Read by archive.settings (the Settings every part shares), or not a setting at all.
NOT_HERE = {"SETTINGS", "ARKIV_HOME", "DATABASE_URL", "PUBLIC_URL", "JSON_SORT_KEYS"}
YES, NO = {"1", "true", "ja", "yes", "on"}, {"0", "false", "nej", "no", "off"}


def env_name(key: str) -> str:
    return f"ARKIV_{key}"


def _read(name: str, raw: str, default: Any) -> Any:
    text = raw.strip()
    if isinstance(default, bool) or (default is None and text.casefold() in YES | NO):
        if text.casefold() in YES:
            return True
        if text.casefold() in NO:
            return False
        raise ConfigError(f"{name}: {raw!r} er hverken ja eller nej (1/0, true/false, ja/nej)")
    try:
        if isinstance(default, int):
            return int(text)
        if isinstance(default, float):
            return float(text)
        if isinstance(default, dt.timedelta):
            return dt.timedelta(seconds=float(text))
    except ValueError:
        raise ConfigError(f"{name}: {raw!r} er ikke et tal") from None
    return text


def from_environment(defaults: Mapping[str, Any], env: Mapping[str, str] = os.environ) -> dict[str, Any]:
    """The settings the environment gives, read as their defaults' types."""
    out: dict[str, Any] = {}
    for key, default in defaults.items():
        name = env_name(key)
        if key in NOT_HERE or name not in env:
            continue
        out[key] = _read(name, env[name], default)
    return out
