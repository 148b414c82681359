"""Accounts in the archive's SQLite file: `arkiv user …`, Argon2id hashes, sign-in throttling."""
from __future__ import annotations

import pytest
from click.testing import CliRunner
from conftest import BACKENDS, make_archive

from archive.accounts import AccountError, Accounts
from archive.errors import ArkivError
from archive.store.db import connect_sqlite
from archive.store.sqlite import Store
from arkiv.cli import main

PASSWORD = "korrekt-hest-batteri"


@pytest.fixture(params=BACKENDS)
def accounts(request, tmp_path):
    """Accounts in either backend's database (SQLite beside the store, or PostgreSQL)."""
    new_db = request.getfixturevalue("new_database") if request.param == "postgres" else None
    store = make_archive(request.param, tmp_path, new_db).store()
    yield Accounts(store.db)
    store.close()


@pytest.fixture()
def arkiv(tmp_path):
    def run(*args: str, input: str | None = None):
        return CliRunner().invoke(main, ["--home", str(tmp_path), *args], input=input, catch_exceptions=False)

    return run


@pytest.mark.slow
def test_password_is_stored_as_an_argon2id_hash_and_checked(accounts):
    accounts.add("anna", "editor", PASSWORD)
    user = accounts.get("anna")
    assert user.role == "editor"
    assert user.password_hash.startswith("$argon2id$") and PASSWORD not in user.password_hash
    assert accounts.authenticate("anna", PASSWORD).name == "anna"
    assert accounts.authenticate("Anna", PASSWORD).name == "anna"       # names are case-insensitive
    assert accounts.authenticate("anna", PASSWORD + "x") is None
    assert accounts.authenticate("bent", PASSWORD) is None
    assert accounts.authenticate("", "") is None


def test_bad_names_roles_and_passwords_are_refused_in_danish(accounts):
    with pytest.raises(AccountError, match="brugernavn"):
        accounts.add("anna hansen", "editor", PASSWORD)
    with pytest.raises(AccountError, match="ukendt rolle"):
        accounts.add("anna", "admin", PASSWORD)
    with pytest.raises(AccountError, match="mindst 10 tegn"):
        accounts.add("anna", "editor", "kort")
    accounts.add("anna", "reader", PASSWORD)
    with pytest.raises(AccountError, match="findes allerede"):
        accounts.add("ANNA", "editor", PASSWORD)


def test_a_new_password_ends_old_sessions(accounts):
    user = accounts.add("anna", "reader", PASSWORD)
    token = user.session_token
    assert accounts.session_user("anna", token).name == "anna"
    accounts.set_password("anna", "et-helt-nyt-kodeord")
    assert accounts.session_user("anna", token) is None
    assert accounts.authenticate("anna", PASSWORD) is None
    assert accounts.authenticate("anna", "et-helt-nyt-kodeord") is not None
    accounts.remove("anna")
    assert accounts.session_user("anna", accounts.get("anna").session_token if accounts.get("anna") else "") is None


def test_outdated_hash_parameters_are_renewed_at_sign_in(accounts):
    from argon2 import PasswordHasher

    accounts.add("anna", "reader", PASSWORD)
    weak = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash(PASSWORD)
    with accounts.db.transaction():
        accounts.db.execute("UPDATE users SET password_hash = ? WHERE name = 'anna'", (weak,))
    assert accounts.authenticate("anna", PASSWORD) is not None
    assert accounts.get("anna").password_hash != weak and "m=65536" in accounts.get("anna").password_hash


def test_throttling_counts_attempts_per_address_account_and_pair_within_the_window(accounts):
    from archive.accounts import Throttle, Throttled

    throttle = Throttle(per_account=3, per_address=5, window=60)
    for _ in range(3):                                    # counted before any password is checked
        accounts.reserve("anna", "10.0.0.1", throttle)
    with pytest.raises(Throttled) as refused:
        accounts.reserve("anna", "10.0.0.1", throttle)
    assert 55 < refused.value.retry_after <= 60
    # A client that has not failed may still try the locked account (the right password gets in) ...
    clean = accounts.reserve("anna", "10.0.0.2", throttle)
    accounts.succeeded(clean)                             # ... and the account's failures are forgiven
    assert accounts.failures("user:anna", 60) == 0 and accounts.failures("ip:10.0.0.2", 60) == 0
    accounts.reserve("bent", "10.0.0.1", throttle)        # the address is under its own limit
    accounts.reserve("carl", "10.0.0.1", throttle)
    with pytest.raises(Throttled):                        # 5 from this address: it waits for any account
        accounts.reserve("dorte", "10.0.0.1", throttle)
    with accounts.db.transaction():                       # two minutes later, the failures are outside the window
        accounts.db.execute("UPDATE signin_failures SET at = at - 120")
    accounts.reserve("anna", "10.0.0.1", throttle)


def test_a_signed_out_session_is_closed(accounts):
    accounts.add("anna", "reader", PASSWORD)
    sid = accounts.open_session("anna", 3600)
    assert accounts.session_open("anna", sid, 3600) and not accounts.session_open("bent", sid, 3600)
    assert not accounts.session_open("anna", sid + "x", 3600)
    accounts.close_session(sid)
    assert not accounts.session_open("anna", sid, 3600)
    other = accounts.open_session("anna", 3600)
    accounts.set_password("anna", "et-helt-nyt-kodeord")  # a new password ends every session
    assert not accounts.session_open("anna", other, 3600)


def test_a_newer_schema_is_refused(tmp_path):
    store = Store(tmp_path)
    Accounts(store.db)
    with store.db.transaction():
        store.db.execute("UPDATE schema_versions SET version = 99 WHERE component = 'accounts'")
    store.close()
    db = connect_sqlite(tmp_path / "arkiv.sqlite")
    with pytest.raises(ArkivError, match="nyere udgave"):
        Accounts(db)


def test_cli_user_add_asks_twice_and_list_remove_passwd(arkiv, tmp_path):
    result = arkiv("user", "add", "anna", "--role", "editor", input=f"{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0, result.output
    assert "Brugeren anna er oprettet som redaktør." in result.output
    mismatch = arkiv("user", "add", "bent", "--role", "reader", input=f"{PASSWORD}\nandet-kodeord\n"
                     f"{PASSWORD}\n{PASSWORD}\n")
    assert "De to adgangskoder er ikke ens. Prøv igen." in mismatch.output
    assert mismatch.exit_code == 0 and "Brugeren bent er oprettet som læser." in mismatch.output
    listed = arkiv("user", "list").output
    assert "anna\tredaktør" in listed and "bent\tlæser" in listed

    again = arkiv("user", "add", "anna", "--role", "reader", input=f"{PASSWORD}\n{PASSWORD}\n")
    assert again.exit_code == 1 and "findes allerede" in again.output
    short = arkiv("user", "add", "carl", "--role", "reader", "--password-stdin", input="kort\n")
    assert short.exit_code == 1 and "mindst 10 tegn" in short.output
    bad_role = arkiv("user", "add", "carl", "--role", "admin", input=f"{PASSWORD}\n{PASSWORD}\n")
    assert bad_role.exit_code == 2

    assert arkiv("user", "passwd", "anna", "--password-stdin", input="et-nyt-kodeord-her\n").exit_code == 0
    store = Store(tmp_path)
    try:
        assert Accounts(store.db).authenticate("anna", "et-nyt-kodeord-her") is not None
    finally:
        store.close()
    assert arkiv("user", "remove", "bent").exit_code == 0
    assert "bent" not in arkiv("user", "list").output
    missing = arkiv("user", "remove", "bent")
    assert missing.exit_code == 1 and "ingen bruger" in missing.output
