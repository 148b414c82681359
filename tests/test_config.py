"""archive.config: every limit from one table, as ARKIV_<NAME> or an option, sized for the machine."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from archive import config
from archive.cli import main

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def clean_env(monkeypatch):
    """No setting from outside; what a command sets (an option) is undone after the test."""
    for setting in config.SETTINGS.values():
        monkeypatch.setenv(setting.env, "")         # empty: not set


def test_defaults_are_sized_for_the_machine():
    assert config.get("workers") == config.cores()
    assert config.get("threads") == 4
    assert config.get("parse-workers") == min(4, config.cores())
    mib = config.memory_mib()
    assert config.get("postings-cache-mb") == max(32, min(384, mib // (8 * config.cores())))
    assert config.get("analysis-cache") == max(20_000, min(200_000, mib * 25))
    assert config.get("public-url") is None


def test_environment_wins_and_is_checked(monkeypatch):
    monkeypatch.setenv("ARKIV_WORKERS", "3")
    monkeypatch.setenv("ARKIV_POSTINGS_CACHE_MB", "64")
    assert config.get("workers") == 3 and config.postings_cache_bytes() == 64 * 2**20
    monkeypatch.setenv("ARKIV_THREADS", "mange")
    with pytest.raises(config.ConfigError, match="ARKIV_THREADS: 'mange' er ikke et helt tal"):
        config.get("threads")
    monkeypatch.setenv("ARKIV_PARSE_WORKERS", "0")
    with pytest.raises(config.ConfigError, match="ARKIV_PARSE_WORKERS: skal være mindst 1"):
        config.get("parse-workers")


def test_postings_cache_default_shrinks_with_more_workers(monkeypatch):
    monkeypatch.setattr(config, "memory_mib", lambda: 2048)
    monkeypatch.setenv("ARKIV_WORKERS", "2")
    assert config.get("postings-cache-mb") == 128
    monkeypatch.setenv("ARKIV_WORKERS", "16")
    assert config.get("postings-cache-mb") == 32


def test_options_are_on_the_commands_they_concern():
    for command, names in {"serve": {"workers", "threads", "postings-cache-mb", "analysis-cache", "public-url"},
                           "ingest": {"parse-workers", "analysis-cache"}, "search": {"postings-cache-mb"}}.items():
        help_text = CliRunner().invoke(main, [command, "--help"]).output
        for name in names:
            assert f"--{name}" in help_text, (command, name)
            assert config.SETTINGS[name].env in help_text


def test_a_bad_option_value_names_the_option(tmp_path):
    result = CliRunner().invoke(main, ["--home", str(tmp_path), "ingest", "--parse-workers", "0", "x"])
    assert result.exit_code == 2
    assert "--parse-workers" in result.output and "skal være mindst 1" in result.output


def test_the_engine_and_the_analysis_caches_use_the_settings(tmp_path):
    # In a fresh process: the analysis caches are sized when their modules load.
    code = """
import sys
from index import analysis, compounds
from index.engine import Engine
from index.query import parse_query
sys.path.insert(0, "tests")
from helpers_search import small_corpus
e = Engine(sys.argv[1])
e.update(small_corpus())
e.search(parse_query("cykelstier"))
print(analysis.normalise_word.cache_info().maxsize, compounds.best_split.cache_info().maxsize,
      e._postings_cache.max_bytes)
"""
    env = {"ARKIV_ANALYSIS_CACHE": "1234", "ARKIV_POSTINGS_CACHE_MB": "7", "PATH": "/usr/bin:/bin"}
    res = subprocess.run([sys.executable, "-c", code, str(tmp_path / "ix")], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    assert res.stdout.split() == ["1234", "1234", str(7 * 2**20)]


def test_an_option_reaches_the_environment_of_what_it_starts(tmp_path, monkeypatch):
    # `arkiv ingest --parse-workers 1`: the value is where ingest (and its workers) read it.
    seen = {}
    import archive.ingest

    real = archive.ingest.ingest

    def spy(*args, **kwargs):
        seen["parse-workers"] = config.get("parse-workers")
        return real(*args, **kwargs)

    monkeypatch.setattr(archive.ingest, "ingest", spy)
    folder = tmp_path / "in"
    folder.mkdir()
    result = CliRunner().invoke(main, ["--home", str(tmp_path / "home"), "ingest", "--parse-workers", "1",
                                       str(folder)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert seen == {"parse-workers": 1}


def test_the_database_setting_is_checked(monkeypatch, tmp_path):
    assert config.get("database") is None                       # without it: SQLite and Whoosh in the home
    monkeypatch.setenv("ARKIV_DATABASE_URL", "mysql://arkiv@localhost/arkiv")
    with pytest.raises(config.ConfigError, match="ARKIV_DATABASE_URL: 'mysql://arkiv@localhost/arkiv' er ikke en "
                                                 "PostgreSQL-adresse"):
        config.get("database")
    monkeypatch.setenv("ARKIV_DATABASE_URL", "")
    bad = CliRunner().invoke(main, ["--home", str(tmp_path), "--database", "sqlite:///arkiv.db", "search", "x"])
    assert bad.exit_code == 2 and "--database" in bad.output and "er ikke en PostgreSQL-adresse" in bad.output


def test_a_database_that_cannot_be_reached_is_a_clear_message(tmp_path):
    url = "postgresql://arkiv:hemmelig@127.0.0.1:1/arkiv"       # nothing listens on port 1
    result = CliRunner().invoke(main, ["--home", str(tmp_path), "--database", url, "search", "budget"])
    assert result.exit_code == 1
    assert result.output.startswith("arkiv: kan ikke forbinde til databasen postgresql://arkiv:***@127.0.0.1:1/arkiv")
    assert "hemmelig" not in result.output and "Traceback" not in result.output
