"""archive.settings: every limit from one table, as ARKIV_<NAME> or an option, sized for the machine,
resolved once into a frozen Settings that is handed down."""
from __future__ import annotations

import dataclasses
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from archive import settings as config
from archive.settings import Settings
from arkiv.cli import main

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def clean_env(monkeypatch):
    """No setting from outside (the CLI builds its Settings from the environment)."""
    for setting in config.SETTINGS.values():
        monkeypatch.setenv(setting.env, "")         # empty: not set


def test_defaults_are_sized_for_the_machine(tmp_path):
    s = Settings.load(tmp_path, env={})
    assert s.workers == config.cores() and s.threads == 4
    assert s.parse_workers == min(4, config.cores())
    mib = config.memory_mib()
    assert s.postings_cache_mb == max(32, min(384, mib // (8 * config.cores())))
    assert s.analysis_cache == max(20_000, min(200_000, mib * 25))
    assert s.public_url is None and s.database is None and s.home == tmp_path.resolve()


def test_environment_wins_and_is_checked(tmp_path):
    s = Settings.load(tmp_path, env={"ARKIV_WORKERS": "3", "ARKIV_POSTINGS_CACHE_MB": "64"})
    assert s.workers == 3 and s.postings_cache_bytes == 64 * 2**20
    with pytest.raises(config.ConfigError, match="ARKIV_THREADS: 'mange' er ikke et helt tal"):
        Settings.load(tmp_path, env={"ARKIV_THREADS": "mange"})
    with pytest.raises(config.ConfigError, match="ARKIV_PARSE_WORKERS: skal være mindst 1"):
        Settings.load(tmp_path, env={"ARKIV_PARSE_WORKERS": "0"})


def test_an_option_wins_over_the_environment(tmp_path):
    assert Settings.load(tmp_path, env={"ARKIV_THREADS": "8"}, threads=2).threads == 2
    assert Settings.load(env={"ARKIV_HOME": str(tmp_path)}).home == tmp_path.resolve()


def test_settings_are_frozen(tmp_path):
    with pytest.raises(dataclasses.FrozenInstanceError):
        Settings.load(tmp_path, env={}).workers = 9        # type: ignore[misc]


def test_postings_cache_default_shrinks_with_more_workers(monkeypatch, tmp_path):
    monkeypatch.setattr(config, "memory_mib", lambda: 2048)
    assert Settings.load(tmp_path, env={"ARKIV_WORKERS": "2"}).postings_cache_mb == 128
    assert Settings.load(tmp_path, env={"ARKIV_WORKERS": "16"}).postings_cache_mb == 32


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
    # In a fresh process, from the environment, through the one place that opens an archive.
    code = """
import sys
from archive import lexicon
from archive.settings import Settings
from arkiv.backend import open_engine, open_store
from index import analysis
from index.query import parse_query
sys.path.insert(0, "tests")
from helpers_search import small_corpus
settings = Settings.load(sys.argv[1])
e = open_engine(open_store(settings), settings)
e.update(small_corpus())
e.search(parse_query("cykelstier"))
print(type(e).__name__, analysis.normalise_word.cache_info().maxsize, lexicon.best_split.cache_info().maxsize,
      getattr(e, "_postings_cache", None) and e._postings_cache.max_bytes)
"""
    env = {"ARKIV_ANALYSIS_CACHE": "1234", "ARKIV_POSTINGS_CACHE_MB": "7", "PATH": "/usr/bin:/bin"}
    res = subprocess.run([sys.executable, "-c", code, str(tmp_path / "home")], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    assert res.stdout.split() == ["TantivyEngine", "1234", "1234", "None"]      # tantivy: no postings cache of ours


def test_nothing_reads_the_environment_at_import():
    # A value set after the analysis modules load is not seen by them: only Settings reads it.
    code = """
import os
from index import analysis
os.environ["ARKIV_ANALYSIS_CACHE"] = "1234"
from archive import word_caches
print(analysis.normalise_word.cache_info().maxsize == word_caches.size() != 1234)
"""
    res = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60,
                         env={"PATH": "/usr/bin:/bin"})
    assert res.returncode == 0 and res.stdout.strip() == "True", res.stderr


@pytest.mark.parametrize("how", ["option", "environment"])
def test_a_setting_reaches_what_the_command_starts(tmp_path, monkeypatch, how):
    # `arkiv ingest --parse-workers 1` or ARKIV_PARSE_WORKERS=1: ingest (and so its workers) is handed it.
    seen = {}
    import archive.ingest

    real = archive.ingest.ingest

    def spy(*args, **kwargs):
        seen["parse-workers"] = kwargs["settings"].parse_workers
        return real(*args, **kwargs)

    monkeypatch.setattr(archive.ingest, "ingest", spy)
    folder = tmp_path / "in"
    folder.mkdir()
    option = ["--parse-workers", "1"] if how == "option" else []
    env = {"ARKIV_PARSE_WORKERS": "1"} if how == "environment" else {}
    result = CliRunner().invoke(main, ["--home", str(tmp_path / "home"), "ingest", *option, str(folder)],
                                env=env, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert seen == {"parse-workers": 1}


def test_serve_hands_its_settings_to_every_worker(tmp_path, monkeypatch):
    import web.serve

    seen = {}
    monkeypatch.setattr(web.serve._Server, "run", lambda self: seen.update(config=self._config, options=self._options))
    result = CliRunner().invoke(main, ["--home", str(tmp_path), "serve", "--workers", "3", "--threads", "2",
                                       "--public-url", "https://arkiv.example.dk/"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    settings = seen["config"]["SETTINGS"]
    assert (settings.workers, settings.threads, settings.public_url) == (3, 2, "https://arkiv.example.dk")
    assert (seen["options"]["workers"], seen["options"]["threads"]) == (3, 2)
    app = web.serve._Server(seen["config"], {}).load()
    assert app.extensions["arkiv"].settings == settings and app.config["PUBLIC_URL"] == "https://arkiv.example.dk"


def test_the_database_setting_is_checked(monkeypatch, tmp_path):
    assert Settings.load(tmp_path, env={}).database is None      # without it: SQLite and tantivy in the home
    with pytest.raises(config.ConfigError, match="ARKIV_DATABASE_URL: 'mysql://arkiv@localhost/arkiv' er ikke en "
                                                 "PostgreSQL-adresse"):
        Settings.load(tmp_path, env={"ARKIV_DATABASE_URL": "mysql://arkiv@localhost/arkiv"})
    bad = CliRunner().invoke(main, ["--home", str(tmp_path), "--database", "sqlite:///arkiv.db", "search", "x"])
    assert bad.exit_code == 2 and "--database" in bad.output and "er ikke en PostgreSQL-adresse" in bad.output


def test_a_database_that_cannot_be_reached_is_a_clear_message(tmp_path):
    url = "postgresql://arkiv:hemmelig@127.0.0.1:1/arkiv"       # nothing listens on port 1
    result = CliRunner().invoke(main, ["--home", str(tmp_path), "--database", url, "search", "budget"])
    assert result.exit_code == 1
    assert result.output.startswith("arkiv: kan ikke forbinde til databasen postgresql://arkiv:***@127.0.0.1:1/arkiv")
    assert "hemmelig" not in result.output and "Traceback" not in result.output
