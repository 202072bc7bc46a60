"""The account rules on their own clock: sessions end when idle or old, guessing locks an account for a while."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from drafter.accounts.pg_store import PgAccounts
from drafter.accounts.service import LOCK_SECONDS, MAX_FAILURES, AccountError, Accounts, SessionPolicy
from drafter.accounts.store import AccountStore, SqliteAccounts
from drafter.corpus.locate import open_store
from drafter.corpus.opening import open_corpus
from drafter.corpus.postgres import PgCorpus


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def account_store(database: str) -> Iterator[AccountStore]:
    """The account tables of a fresh corpus of each backend (an SQLite file, a PostgreSQL database)."""
    if "://" not in database:
        open_corpus(Path(database)).close()
        yield SqliteAccounts(Path(database))
        return
    corpus = open_store(database)
    assert isinstance(corpus, PgCorpus)
    try:
        yield PgAccounts(corpus.pool, corpus.location)
    finally:
        corpus.close()


@pytest.fixture
def accounts(account_store: AccountStore, clock: Clock) -> Accounts:
    service = Accounts(account_store, SessionPolicy(idle_seconds=600, max_seconds=3600), clock=clock)
    service.add_unit("甲局")
    service.add_account("a", "甲局", "writer", "right-password")
    return service


def test_a_session_lives_while_used_and_ends_when_idle(accounts: Accounts, clock: Clock) -> None:
    _, token = accounts.sign_in("a", "right-password")
    for _ in range(5):  # used every 9 minutes: still signed in after 45
        clock.now += 540
        assert accounts.session_account(token) is not None
    clock.now += 601
    assert accounts.session_account(token) is None
    clock.now -= 601  # and it is gone for good, not just too old
    assert accounts.session_account(token) is None


def test_a_session_ends_at_its_absolute_limit_however_busy(accounts: Accounts, clock: Clock) -> None:
    _, token = accounts.sign_in("a", "right-password")
    for _ in range(11):
        clock.now += 300
        assert accounts.session_account(token) is not None
    clock.now += 301
    assert accounts.session_account(token) is None


def test_guessing_locks_the_account_for_a_while(accounts: Accounts, clock: Clock) -> None:
    for _ in range(MAX_FAILURES):
        with pytest.raises(AccountError, match="账号或密码不对"):
            accounts.sign_in("a", "guess")
    with pytest.raises(AccountError, match="已暂时锁定"):
        accounts.sign_in("a", "right-password")  # even the right password waits
    clock.now += LOCK_SECONDS + 1
    assert accounts.sign_in("a", "right-password")[0].name == "a"


def test_a_new_password_lifts_the_lock(accounts: Accounts) -> None:
    for _ in range(MAX_FAILURES):
        with pytest.raises(AccountError):
            accounts.sign_in("a", "guess")
    accounts.set_password("a", "another-password")
    assert accounts.sign_in("a", "another-password")[0].name == "a"


def test_a_success_forgets_earlier_mistakes(accounts: Accounts) -> None:
    for _ in range(MAX_FAILURES - 1):
        with pytest.raises(AccountError):
            accounts.sign_in("a", "guess")
    accounts.sign_in("a", "right-password")
    for _ in range(MAX_FAILURES - 1):
        with pytest.raises(AccountError):
            accounts.sign_in("a", "guess")
    assert accounts.sign_in("a", "right-password")[0].name == "a"


def test_a_session_token_is_stored_only_as_its_hash(accounts: Accounts, tmp_path: Path) -> None:
    _, token = accounts.sign_in("a", "right-password")
    digest = hashlib.sha256(token.encode()).hexdigest()
    assert accounts.store.session(digest) is not None
    if isinstance(accounts.store, PgAccounts):  # every stored session value, as the database holds it
        with accounts.store._pool.connection() as conn:
            stored = "".join(str(row) for row in conn.execute("SELECT * FROM sessions").fetchall()).encode()
    else:
        files = [p for p in tmp_path.iterdir() if p.name.startswith("corpus.sqlite3")]
        stored = b"".join(p.read_bytes() for p in files)
    assert digest.encode() in stored
    assert token.encode() not in stored
