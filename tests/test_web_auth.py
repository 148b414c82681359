"""Signing in and out: the form, sessions in signed cookies, CSRF, the sign-in limit,
the secret key, and what a private site asks of a visitor."""
from __future__ import annotations

import os
import stat

import pytest
from helpers_auth import EDITOR, PASSWORD, READER, app_at, csrf_token, form_token, home_with_accounts, sign_in

from archive.accounts import Accounts
from archive.store.sqlite import Store


@pytest.fixture()
def home(tmp_path):
    return home_with_accounts(tmp_path)


def test_sign_in_and_out_through_the_forms(home):
    client = app_at(home).test_client()
    page = client.get("/log-ind").get_data(as_text=True)
    assert 'autocomplete="current-password"' in page and 'name="csrf_token"' in page

    wrong = sign_in(client, EDITOR, "forkert-kodeord-her")
    assert wrong.status_code == 401
    assert "Forkert brugernavn eller adgangskode." in wrong.get_data(as_text=True)
    unknown = sign_in(client, "ingen-saadan", PASSWORD)
    assert unknown.status_code == 401                      # the same answer: names are not revealed

    ok = sign_in(client, EDITOR, PASSWORD, next="/moeder")
    assert ok.status_code == 302 and ok.headers["Location"] == "/moeder"
    page = client.get("/moeder").get_data(as_text=True)
    assert f'title="Logget ind som redaktør">{EDITOR}<' in page and "Log ud" in page

    token = csrf_token(page)
    out = client.post("/log-ud", data={"csrf_token": token})
    assert out.status_code == 302 and out.headers["Location"] == "/log-ind?ud=1"
    assert "Du er logget ud." in client.get(out.headers["Location"]).get_data(as_text=True)
    assert client.get("/moeder").status_code == 302           # signed out again


@pytest.mark.parametrize("target", ["//evil.example/", "https://evil.example/x", "/\\evil.example", "javascript:x"])
def test_sign_in_never_redirects_to_another_site(home, target):
    client = app_at(home).test_client()
    response = sign_in(client, EDITOR, PASSWORD, next=target)
    assert response.status_code == 302 and response.headers["Location"] == "/"


def test_a_private_site_sends_visitors_to_sign_in_and_back(home):
    client = app_at(home).test_client()
    response = client.get("/moeder?page=1")
    assert response.status_code == 302 and response.headers["Location"] == "/log-ind?next=/moeder?page%3D1"
    form = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'name="next" value="/moeder?page=1"' in form
    back = sign_in(client, READER, PASSWORD, next="/moeder?page=1")
    assert back.headers["Location"] == "/moeder?page=1"
    assert client.get("/moeder?page=1").status_code == 200


def test_every_post_needs_the_csrf_token(home):
    client = app_at(home).test_client()
    response = client.post("/log-ind", data={"name": EDITOR, "password": PASSWORD})
    assert response.status_code == 400
    assert "Formularen er udløbet" in response.get_data(as_text=True)
    assert client.get("/moeder").status_code == 302           # not signed in
    sign_in(client, EDITOR)
    for url in ("/log-ud", "/indlaes", "/moede/x/ret", "/punkt/x/ret"):
        response = client.post(url, data={"title": "x"})
        assert response.status_code == 400, url
    response = client.post("/indlaes", data={"fragment": "1"}, headers={"X-CSRFToken": "forfalsket"})
    assert response.status_code == 400 and response.get_json()["error"]["message"].startswith("Formularen")
    # The header the upload script sends is accepted.
    token = form_token(client, "/indlaes")
    assert client.post("/indlaes", data={"fragment": "1"}, headers={"X-CSRFToken": token}).status_code == 200


def test_session_cookie_flags(home):
    client = app_at(home).test_client()
    response = sign_in(client)
    cookie = next(v for k, v in response.headers.items() if k == "Set-Cookie" and v.startswith("arkiv_session="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Expires=" in cookie
    assert "Secure" not in cookie                              # plain http: a Secure cookie would never come back
    secure = app_at(home, PUBLIC_URL="https://arkiv.example.dk").test_client()
    response = sign_in(secure)
    cookie = next(v for k, v in response.headers.items() if k == "Set-Cookie" and v.startswith("arkiv_session="))
    assert "Secure" in cookie


def test_pages_of_signed_in_users_are_not_cached_by_others(home):
    client = app_at(home, PUBLIC=True).test_client()
    assert "private" not in client.get("/organer").headers.get("Cache-Control", "")
    sign_in(client, READER)
    assert client.get("/organer").headers["Cache-Control"] == "private, no-store"


def test_secret_key_is_made_once_private_and_shared_by_every_worker(tmp_path):
    first = app_at(tmp_path)
    key_file = tmp_path / "secret_key"
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    assert len(key_file.read_text().strip()) == 64
    second = app_at(tmp_path)                                    # another worker process's app
    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"] == key_file.read_text().strip()
    configured = app_at(tmp_path / "other", SECRET_KEY="fra-konfigurationen")
    assert configured.config["SECRET_KEY"] == "fra-konfigurationen"
    assert not (tmp_path / "other" / "secret_key").exists()


def test_a_session_from_one_worker_is_valid_in_another(home):
    client = app_at(home).test_client()
    sign_in(client, READER)
    cookie = client.get_cookie("arkiv_session")
    other = app_at(home).test_client()
    other.set_cookie("arkiv_session", cookie.value)
    assert other.get("/moeder").status_code == 200
    # A cookie signed with another key is worth nothing.
    stranger = app_at(home, SECRET_KEY="en-anden-noegle").test_client()
    stranger.set_cookie("arkiv_session", cookie.value)
    assert stranger.get("/moeder").status_code == 302


def test_new_password_or_removed_account_ends_the_session(home):
    client = app_at(home).test_client()
    sign_in(client, READER)
    assert client.get("/moeder").status_code == 200
    store = Store(home)
    Accounts(store.db).set_password(READER, "et-andet-kodeord-nu")
    assert client.get("/moeder").status_code == 302
    sign_in(client, READER, "et-andet-kodeord-nu")
    assert client.get("/moeder").status_code == 200
    Accounts(store.db).remove(READER)
    store.close()
    assert client.get("/moeder").status_code == 302


def test_sign_in_is_limited_per_account_across_workers(home):
    a = app_at(home, SIGNIN_LIMIT_USER=3).test_client()
    b = app_at(home, SIGNIN_LIMIT_USER=3).test_client()         # a second worker on the same archive
    for client in (a, b, a):
        assert sign_in(client, EDITOR, "forkert-kodeord-her").status_code == 401
    blocked = sign_in(b, EDITOR, PASSWORD)                     # even the right password waits now
    assert blocked.status_code == 429
    assert 800 < int(blocked.headers["Retry-After"]) <= 900
    assert "For mange mislykkede forsøg" in blocked.get_data(as_text=True)
    assert "Prøv igen om 15 minutter." in blocked.get_data(as_text=True)
    # Another account from the same address is not blocked by this one's failures.
    assert sign_in(b, READER, PASSWORD).status_code == 302


def test_sign_in_is_limited_per_address(home):
    client = app_at(home, SIGNIN_LIMIT_IP=4).test_client()
    for name in ("a1", "a2", "a3", "a4"):
        assert sign_in(client, name, "forkert-kodeord-her").status_code == 401
    assert sign_in(client, READER, PASSWORD).status_code == 429
    other_address = app_at(home, SIGNIN_LIMIT_IP=4).test_client()
    token = csrf_token(other_address.get("/log-ind").get_data(as_text=True))
    response = other_address.post("/log-ind", data={"name": READER, "password": PASSWORD, "csrf_token": token},
                                  environ_base={"REMOTE_ADDR": "10.9.8.7"})
    assert response.status_code == 302


def test_readers_cannot_reach_editor_pages(home):
    client = app_at(home, PUBLIC=True).test_client()
    assert client.get("/indlaes").status_code == 302           # anonymous: sign in first
    sign_in(client, READER)
    for url in ("/indlaes", "/rettelser"):
        response = client.get(url)
        assert response.status_code == 403
        assert "Siden er kun for redaktører." in response.get_data(as_text=True)
    page = client.get("/").get_data(as_text=True)
    assert "/indlaes" not in page and "/rettelser" not in page


def test_sign_in_page_tells_how_to_create_the_first_user(tmp_path):
    page = app_at(tmp_path).test_client().get("/log-ind").get_data(as_text=True)
    assert "arkiv user add NAVN --role editor" in page


def test_a_private_sign_in_page_offers_no_links_into_the_archive(home):
    page = app_at(home).test_client().get("/log-ind").get_data(as_text=True)
    assert 'href="/moeder"' not in page and 'class="header-search"' not in page
    public = app_at(home, PUBLIC=True).test_client().get("/log-ind").get_data(as_text=True)
    assert 'href="/moeder"' in public
