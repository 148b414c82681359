"""Sign-in that holds (issue 23): throttling counted before the password is checked, atomically
across workers; a lockout that never stops the right password from a client that has not
failed; client addresses through trusted proxies only; failing closed; sign-out that ends the
session on the server, so a copied cookie no longer opens anything."""
from __future__ import annotations

import threading

import pytest
from helpers_auth import EDITOR, PASSWORD, READER, app_at, csrf_token, form_token, home_with_accounts, sign_in

from archive.store.sqlite import Store

WRONG = "forkert-kodeord-her"


@pytest.fixture()
def home(tmp_path):
    return home_with_accounts(tmp_path)


def _post(client, name, password, address="127.0.0.1", forwarded=None):
    """Sign in from ``address`` (the socket's), optionally through a proxy that says ``forwarded``."""
    headers = {"X-Forwarded-For": forwarded} if forwarded else {}
    env = {"REMOTE_ADDR": address}
    token = csrf_token(client.get("/log-ind", environ_base=env, headers=headers).get_data(as_text=True))
    return client.post("/log-ind", data={"name": name, "password": password, "csrf_token": token},
                       environ_base=env, headers=headers)


def test_parallel_wrong_passwords_in_several_workers_are_checked_at_most_the_limit(home):
    """8 attempts at once, each in a worker (an app) of its own: at most the limit reach Argon2."""
    apps = [app_at(home, SIGNIN_LIMIT_USER=3) for _ in range(8)]
    clients = [a.test_client() for a in apps]
    tokens = [csrf_token(c.get("/log-ind").get_data(as_text=True)) for c in clients]
    statuses: list[int] = []
    start = threading.Barrier(len(clients))

    def attempt(client, token):
        start.wait()
        response = client.post("/log-ind", data={"name": EDITOR, "password": WRONG, "csrf_token": token})
        statuses.append(response.status_code)

    threads = [threading.Thread(target=attempt, args=pair) for pair in zip(clients, tokens, strict=True)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(statuses) == [401] * 3 + [429] * 5, statuses


def test_a_locked_account_takes_the_right_password_from_a_client_that_has_not_failed(home):
    client = app_at(home, SIGNIN_LIMIT_USER=5).test_client()
    for _ in range(5):
        assert _post(client, EDITOR, WRONG, "10.6.6.6").status_code == 401
    assert _post(client, EDITOR, PASSWORD, "10.6.6.6").status_code == 429        # the failing client waits
    assert _post(client, EDITOR, WRONG, "10.1.1.1").status_code == 401           # a new client may try once ...
    assert _post(client, EDITOR, PASSWORD, "10.1.1.1").status_code == 429        # ... and has failed then
    owner = app_at(home, SIGNIN_LIMIT_USER=5).test_client()
    assert _post(owner, EDITOR, PASSWORD, "10.2.2.2").status_code == 302         # the owner gets in
    assert owner.get("/indlaes", environ_base={"REMOTE_ADDR": "10.2.2.2"}).status_code == 200


def test_client_addresses_come_through_trusted_proxies_only(home):
    # Behind one proxy: each client its own address, so bad sign-ins lock out that client only.
    proxied = app_at(home, TRUSTED_PROXIES=1, SIGNIN_LIMIT_IP=4).test_client()
    for n in range(4):
        assert _post(proxied, f"navn{n}", WRONG, "10.0.0.1", forwarded="203.0.113.9").status_code == 401
    assert _post(proxied, READER, PASSWORD, "10.0.0.1", forwarded="203.0.113.9").status_code == 429
    assert _post(proxied, READER, PASSWORD, "10.0.0.1", forwarded="198.51.100.4").status_code == 302
    # Without trusted proxies a forged X-Forwarded-For changes nothing: the socket's address counts.
    direct = app_at(home, SIGNIN_LIMIT_IP=4).test_client()
    for n in range(4):
        assert _post(direct, f"andet{n}", WRONG, "10.7.7.7", forwarded=f"192.0.2.{n}").status_code == 401
    assert _post(direct, READER, PASSWORD, "10.7.7.7", forwarded="192.0.2.99").status_code == 429


def test_sign_in_fails_closed_when_the_attempt_cannot_be_recorded(home):
    """A store that cannot write the attempt (here a trigger refuses it as a full disk would):
    no password is checked, nobody is signed in, the answer says so."""
    store = Store(home)
    store.db.conn.execute("CREATE TRIGGER full BEFORE INSERT ON signin_failures "
                    "BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END;")
    store.close()
    client = app_at(home).test_client()
    for password in (WRONG, PASSWORD):
        response = _post(client, EDITOR, password)
        assert response.status_code == 503
        assert "Log ind er midlertidigt ikke muligt" in response.get_data(as_text=True)
    assert client.get("/indlaes").status_code == 302


def test_sign_out_ends_the_session_on_the_server(home):
    app = app_at(home)
    client, thief = app.test_client(), app.test_client()
    assert sign_in(client, EDITOR).status_code == 302
    cookie = client.get_cookie("arkiv_session")
    assert cookie is not None
    thief.set_cookie("arkiv_session", cookie.value)
    assert thief.get("/indlaes").status_code == 200             # the copied cookie works while signed in
    client.post("/log-ud", data={"csrf_token": form_token(client, "/indlaes")})
    assert client.get("/indlaes").status_code == 302
    assert thief.get("/indlaes").status_code == 302              # and no longer after signing out
    # Another worker's app on the same archive agrees.
    other = app_at(home).test_client()
    other.set_cookie("arkiv_session", cookie.value)
    assert other.get("/indlaes").status_code == 302
