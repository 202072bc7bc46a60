"""The account rules: valid names, units and roles, sign-in, and sessions that expire.

``Accounts`` wraps an ``AccountStore``. Every refusal is an ``AccountError`` whose message names the input
and the fix in Chinese. A session is a random token (the cookie) whose SHA-256 is stored; it ends after
``idle_seconds`` without use or ``max_seconds`` after sign-in, whichever comes first, at sign-out, when the
password changes and when the account is disabled.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from drafter.accounts.model import ROLE_NAMES, ROLES, Account, SessionRow, Unit
from drafter.accounts.passwords import check_password, hash_password, needs_rehash, password_problem
from drafter.accounts.store import AccountStore
from drafter.errors import DrafterError
from drafter.scopes import VISIBILITIES, VISIBILITY_NAMES

MAX_NAME = 64
MAX_FAILURES = 5
LOCK_SECONDS = 300
"""After ``MAX_FAILURES`` wrong passwords in a row an account refuses every password for ``LOCK_SECONDS``."""
TOUCH_EVERY = 60
"""Seconds between two writes of a session's last use (a page's many requests write it once)."""


class AccountError(DrafterError):
    """A refused account operation, with the Chinese message saying what to fix."""


@dataclass(frozen=True)
class SessionPolicy:
    """How long a session lasts (configurable at ``drafter serve``)."""

    idle_seconds: int = 2 * 3600
    max_seconds: int = 12 * 3600


def _now_text() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def name_problem(name: str, what: str) -> str | None:
    """Why ``name`` cannot name a ``what`` (账号/单位), or None."""
    if not name.strip():
        return f"{what}名称不能为空：请写出{what}名称。"
    if name != name.strip():
        return f"{what}名称“{name.strip()}”的开头或结尾有空格：请去掉首尾空格。"
    if len(name) > MAX_NAME:
        return f"{what}名称太长：最多 {MAX_NAME} 个字符（收到 {len(name)} 个）。"
    if any(ord(c) < 32 or ord(c) == 127 or c in "\u2028\u2029" for c in name):
        return f"{what}名称里有控制字符（例如换行）：请只用可见的字符。"
    return None


class Accounts:
    """Units, accounts and sessions over an ``AccountStore``."""

    def __init__(
        self,
        store: AccountStore,
        policy: SessionPolicy | None = None,
        *,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.store = store
        self.policy = policy or SessionPolicy()
        self._clock = clock

    def _check_name(self, name: str, what: str) -> None:
        problem = name_problem(name, what)
        if problem is not None:
            raise AccountError(problem)

    # --- units ----------------------------------------------------------------------------------------
    def add_unit(self, name: str, default_visibility: str = "private") -> Unit:
        """A new unit (``AccountError`` when the name is bad or taken)."""
        self._check_name(name, "单位")
        if default_visibility not in VISIBILITIES:
            raise AccountError(
                f"默认可见范围“{default_visibility}”无效：请用 private（仅本单位）或 shared（全市共享）。"
            )
        unit = Unit(name, default_visibility, _now_text())
        if not self.store.add_unit(unit):
            raise AccountError(
                f"单位“{name}”已存在：请换一个名称（已有单位见管理页的单位列表或 drafter admin unit list）。"
            )
        return unit

    def unit(self, name: str) -> Unit:
        """The unit called ``name`` (``AccountError`` naming the fix when there is none)."""
        found = next((u for u in self.store.units() if u.name == name), None)
        if found is None:
            raise AccountError(
                f"没有名为“{name}”的单位：请先用 drafter admin unit add “{name}” 添加，或用 drafter admin unit list 查看。"
            )
        return found

    def remove_unit(self, name: str) -> None:
        """Remove an empty unit (one with accounts is refused: disable or move them first)."""
        self.unit(name)
        members = [a.name for a in self.store.accounts() if a.unit == name]
        if members:
            raise AccountError(
                f"单位“{name}”下还有账号（{'、'.join(members[:5])}）：请先停用或删除这些账号后再删除单位。"
            )
        self.store.remove_unit(name)

    # --- accounts -------------------------------------------------------------------------------------
    def add_account(self, name: str, unit: str, role: str, password: str) -> Account:
        """A new account; a writer needs an existing unit, an administrator may have none ('')."""
        self._check_name(name, "账号")
        if role not in ROLES:
            raise AccountError(
                f"角色“{role}”无效：请用 writer（{ROLE_NAMES['writer']}）或 admin（{ROLE_NAMES['admin']}）。"
            )
        if role == "writer" or unit:
            if role == "writer" and not unit:
                raise AccountError("撰稿人必须属于一个单位：请用 --unit 指定单位。")
            self.unit(unit)
        problem = password_problem(password)
        if problem is not None:
            raise AccountError(problem)
        account = Account(name, unit, role, False, _now_text())
        if not self.store.add_account(account, hash_password(password)):
            raise AccountError(
                f"账号“{name}”已存在：换一个名称，或用 drafter admin user passwd 修改它的密码。"
            )
        return account

    def account(self, name: str) -> Account:
        """The account called ``name`` (``AccountError`` when there is none)."""
        found = self.store.account(name)
        if found is None:
            raise AccountError(f"没有名为“{name}”的账号：用 drafter admin user list 查看已有账号。")
        return found[0]

    def set_password(self, name: str, password: str) -> None:
        """Give ``name`` a new password; every session of the account ends."""
        self.account(name)
        problem = password_problem(password)
        if problem is not None:
            raise AccountError(problem)
        self.store.set_password(name, hash_password(password))
        self.store.end_sessions(account=name)

    def set_disabled(self, name: str, disabled: bool = True) -> None:
        """Disable (or enable again) ``name``; a disabled account's sessions end at once."""
        self.account(name)
        self.store.set_disabled(name, disabled)
        if disabled:
            self.store.end_sessions(account=name)

    # --- sign-in and sessions ---------------------------------------------------------------------------
    def sign_in(self, name: str, password: str) -> tuple[Account, str]:
        """The account and a new session token, or ``AccountError`` (one message for any wrong pair)."""
        found = self.store.account(name[: MAX_NAME * 2])
        now = int(self._clock())
        failures, locked_until = self.store.lock_state(found[0].name) if found else (0, 0)
        if now < locked_until:
            minutes = (locked_until - now + 59) // 60
            raise AccountError(
                f"密码连续输错 {MAX_FAILURES} 次，该账号已暂时锁定：请 {minutes} 分钟后再试，"
                "或请管理员用 drafter admin user passwd 重设密码。"
            )
        if not check_password(found[1] if found else None, password[:1024]):
            if found:
                failures += 1
                locked = now + LOCK_SECONDS if failures >= MAX_FAILURES else 0
                self.store.set_lock_state(found[0].name, 0 if locked else failures, locked)
            raise AccountError("账号或密码不对：请重新输入（忘记密码请联系管理员）。")
        assert found is not None
        account, stored = found
        if failures:
            self.store.set_lock_state(account.name, 0, 0)
        if account.disabled:
            raise AccountError("该账号已停用：请联系管理员。")
        if needs_rehash(stored):
            self.store.set_password(account.name, hash_password(password))
        token = secrets.token_urlsafe(32)
        self.store.end_stale_sessions(now - self.policy.idle_seconds, now - self.policy.max_seconds)
        self.store.add_session(SessionRow(_token_hash(token), account.name, now, now))
        return account, token

    def session_account(self, token: str) -> Account | None:
        """The signed-in account of ``token``, or None when the session is unknown, expired or disabled."""
        if not token:
            return None
        key = _token_hash(token)
        found = self.store.session(key)
        if found is None:
            return None
        row, account = found
        now = int(self._clock())
        expired = (
            now - row.last_seen > self.policy.idle_seconds or now - row.created > self.policy.max_seconds
        )
        if expired or account.disabled:
            self.store.end_sessions(token_hash=key)
            return None
        if now - row.last_seen >= TOUCH_EVERY:
            self.store.touch_session(key, now)
        return account

    def sign_out(self, token: str) -> None:
        """End the session of ``token`` (nothing happens for an unknown one)."""
        if token:
            self.store.end_sessions(token_hash=_token_hash(token))


def visibility_name(visibility: str) -> str:
    """``仅本单位`` / ``全市共享``."""
    return VISIBILITY_NAMES.get(visibility, visibility)
