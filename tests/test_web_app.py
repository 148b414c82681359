"""The application factory, configuration, and how state is held per process and per request."""
from __future__ import annotations

import threading

from web import create_app


def test_factory_takes_test_config(app, archive):
    assert app.testing
    assert app.config["ARKIV_HOME"] == str(archive.home.resolve())
    assert app.config["DATABASE_URL"] == archive.database


def test_home_from_the_environment(monkeypatch, archive_home):
    monkeypatch.setenv("ARKIV_HOME", str(archive_home))
    app = create_app({"TESTING": True, "PUBLIC": True})
    assert app.config["ARKIV_HOME"] == str(archive_home.resolve())
    assert app.test_client().get("/api/search?q=helgenomsekventering").get_json()["total"] == 3


def test_instance_config_is_read(tmp_path, archive_home, monkeypatch):
    instance = tmp_path / "instance"
    instance.mkdir()
    (instance / "config.py").write_text(f"ARKIV_HOME = {str(archive_home)!r}\nFEED_LIMIT = 1\n")
    import flask

    monkeypatch.setattr(flask.Flask, "auto_find_instance_path", lambda self: str(instance))
    app = create_app()
    assert app.config["FEED_LIMIT"] == 1
    # test_config still wins over the instance file.
    assert create_app({"FEED_LIMIT": 7, "ARKIV_HOME": str(archive_home)}).config["FEED_LIMIT"] == 7


def test_engine_is_opened_once_per_process(app, client):
    client.get("/?q=helgenomsekventering")
    engine = app.extensions["arkiv"].engine
    client.get("/?q=infrastruktur")
    assert app.extensions["arkiv"].engine is engine


def test_store_lives_for_one_request(app):
    from web.state import get_store

    with app.test_request_context("/"):
        store = get_store()
        assert get_store() is store
    # A closed store cannot be used any more: it was really closed.
    import sqlite3

    from archive.store.db import ClosedDatabase

    try:
        store.counts()
    except (sqlite3.ProgrammingError, ClosedDatabase):
        pass
    else:  # pragma: no cover
        raise AssertionError("the request's store was not closed at teardown")


def test_concurrent_requests_from_many_threads(app, seed_items):
    errors: list[str] = []
    urls = ["/?q=helgenomsekventering", f"/punkt/{seed_items['47/18']}", "/api/search?q=infrastruktur",
            "/person/Gert Sørensen", "/eksport.csv?q=bestyrelsen"]

    def worker(n: int) -> None:
        client = app.test_client()
        for i in range(12):
            url = urls[(n + i) % len(urls)]
            r = client.get(url)
            r.get_data()
            r.close()
            # Anonymous exports are limited per process (ANONYMOUS_EXPORTS): one over is told to come back.
            busy = url.startswith("/eksport") and r.status_code == 429 and r.headers.get("Retry-After")
            if r.status_code != 200 and not busy:
                errors.append(f"{url}: {r.status_code}")

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []


def test_flask_cli_knows_the_routes(runner):
    from flask.cli import routes_command

    result = runner.invoke(routes_command)
    assert result.exit_code == 0
    for rule in ("/punkt/<item_id>", "/moede/<meeting_id>/original", "/person/<path:name>", "/api/search",
                 "/api/items/<item_id>", "/api/meetings/<meeting_id>", "/eksport.csv", "/eksport.json",
                 "/feed.atom", "/moeder", "/organer"):
        assert rule in result.output, rule


def test_a_full_disk_is_a_clear_danish_507(archive_home, monkeypatch, parse_html):
    # The operating system refuses the archive's database files (ENOSPC), as on a full disk.
    import errno
    import sqlite3

    def full(path, *args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    client = create_app({"TESTING": True, "ARKIV_HOME": str(archive_home), "PUBLIC": True}).test_client()
    monkeypatch.setattr(sqlite3, "connect", full)
    page = client.get("/moeder")
    assert page.status_code == 507
    text = parse_html(page.get_data(as_text=True)).text
    assert "Disken er fuld" in text and "Traceback" not in text
    api = client.get("/api/meetings/x")
    assert api.status_code == 507
    assert api.get_json()["error"]["message"].startswith("Serverens disk er fuld")
    assert page.headers["Content-Security-Policy"].startswith("default-src 'self'")


def test_public_url_from_the_environment_and_checked(monkeypatch, archive_home):
    import pytest

    from archive.settings import ConfigError

    monkeypatch.setenv("ARKIV_PUBLIC_URL", "https://arkiv.example.dk/")
    app = create_app({"TESTING": True, "ARKIV_HOME": str(archive_home)})
    assert app.config["PUBLIC_URL"] == "https://arkiv.example.dk"
    monkeypatch.setenv("ARKIV_PUBLIC_URL", "arkiv.example.dk")
    with pytest.raises(ConfigError, match="ARKIV_PUBLIC_URL"):
        create_app({"TESTING": True, "ARKIV_HOME": str(archive_home)})
