"""What an operator needs (issue 23, item 5): settings from the environment, /healthz, HSTS
behind https, originals in a sandbox, a valid feed for any query, private files, JSON logs,
`arkiv --version` and one exit-code convention."""
from __future__ import annotations

import json
import logging
import stat
from xml.etree import ElementTree as ET

import pytest
from click.testing import CliRunner

from archive import version
from archive.store.sqlite import Store
from arkiv.cli import main
from web import create_app
from web.logs import JsonFormatter


def test_healthz_answers_without_signing_in(archive):
    client = create_app(archive.config()).test_client()          # a private site
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "version": version(), "store": "ok", "index": "ok"}


def test_settings_come_from_the_environment(archive, monkeypatch):
    monkeypatch.setenv("ARKIV_SECRET_KEY", "hemmelig-noegle-fra-miljoeet")
    monkeypatch.setenv("ARKIV_PUBLIC", "ja")
    monkeypatch.setenv("ARKIV_SIGNIN_LIMIT_USER", "7")
    monkeypatch.setenv("ARKIV_TRUSTED_PROXIES", "1")
    app = create_app(archive.config())
    assert app.config["SECRET_KEY"] == "hemmelig-noegle-fra-miljoeet"
    assert app.config["PUBLIC"] is True and app.config["SIGNIN_LIMIT_USER"] == 7
    assert app.test_client().get("/").status_code == 200          # public: no sign-in asked
    monkeypatch.setenv("ARKIV_PUBLIC", "måske")
    with pytest.raises(Exception, match="ARKIV_PUBLIC"):
        create_app(archive.config())


def test_hsts_only_on_https_behind_a_trusted_proxy(archive):
    client = create_app(archive.config(PUBLIC=True, TRUSTED_PROXIES=1)).test_client()
    secure = client.get("/", headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.5"})
    assert secure.headers["Strict-Transport-Security"] == "max-age=31536000"
    assert "Strict-Transport-Security" not in client.get("/").headers
    untrusted = create_app(archive.config(PUBLIC=True)).test_client()
    assert "Strict-Transport-Security" not in untrusted.get("/", headers={"X-Forwarded-Proto": "https"}).headers


def test_originals_are_downloads_in_a_sandbox(client, seed_meeting):
    response = client.get(f"/moede/{seed_meeting.id}/original")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.headers["Content-Security-Policy"].startswith("sandbox;")


@pytest.mark.parametrize("query", ["%00", "a%00b", "%01%02", "%EF%BF%BF"])
def test_the_feed_is_valid_xml_for_any_query(client, query):
    response = client.get(f"/feed.atom?q={query}")
    assert response.status_code == 200
    ET.fromstring(response.data)                                   # raises on malformed XML


def test_the_database_and_originals_are_the_owners_only(tmp_path):
    store = Store(tmp_path / "home")
    store.save_original(b"fiktivt referat", ".txt")
    store.close()
    home = tmp_path / "home"
    assert stat.S_IMODE((home / "arkiv.sqlite").stat().st_mode) == 0o600
    assert stat.S_IMODE((home / "originals").stat().st_mode) == 0o700
    assert all(stat.S_IMODE(p.stat().st_mode) & 0o077 == 0 for p in (home / "originals").rglob("*"))


def test_logs_are_json_lines(archive, capsys):
    record = logging.LogRecord("arkiv.events", logging.INFO, __file__, 1, "signin", None, None)
    record.fields = {"event": "signin", "outcome": "failed", "user": "anna"}
    line = json.loads(JsonFormatter().format(record))
    assert (line["event"], line["outcome"], line["level"]) == ("signin", "failed", "info")


def test_version_and_exit_codes(tmp_path):
    runner = CliRunner()
    shown = runner.invoke(main, ["--version"])
    assert shown.exit_code == 0 and shown.output.strip() == f"arkiv {version()}"
    home = ["--home", str(tmp_path)]
    bad_date = runner.invoke(main, [*home, "search", "--from", "2020-13-01", "x"])
    assert bad_date.exit_code == 2 and "--from" in bad_date.output, bad_date.output
    assert runner.invoke(main, [*home, "search", "--limit", "500", "x"]).exit_code == 2
    assert runner.invoke(main, [*home, "ingest", str(tmp_path / "findes-ikke")]).exit_code == 1
