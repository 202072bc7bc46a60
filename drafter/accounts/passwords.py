"""Password hashing with Argon2id (argon2-cffi), and the rules a new password must follow."""

from __future__ import annotations

from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_PASSWORD = 8
MAX_PASSWORD = 128
_HASHER = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
"""Argon2id at OWASP's recommended minimum (19 MiB, 2 passes, 1 lane): dozens of writers signing in at once in
December stay within memory, while each guess still costs an attacker the same memory and time."""


@cache
def _dummy() -> str:
    """A hash checked when the name is unknown, so a wrong name takes as long as a wrong password (made on
    first use: hashing at import would slow every start-up)."""
    return _HASHER.hash("drafter-no-such-account")


def password_problem(password: str) -> str | None:
    """Why ``password`` may not be used (a Chinese message), or None."""
    if len(password) < MIN_PASSWORD:
        return f"密码太短：至少 {MIN_PASSWORD} 个字符（收到 {len(password)} 个），请换一个更长的密码。"
    if len(password) > MAX_PASSWORD:
        return f"密码太长：最多 {MAX_PASSWORD} 个字符，请换一个短一些的密码。"
    if password.strip() != password:
        return "密码的开头或结尾不能是空格：请去掉首尾空格后重新输入。"
    if any(ord(c) < 32 or ord(c) == 127 for c in password):
        return "密码里有控制字符（例如换行）：请只用可见的字符。"
    return None


def hash_password(password: str) -> str:
    """The Argon2id hash to store (salted; the password itself is never stored)."""
    return _HASHER.hash(password)


def check_password(stored: str | None, password: str) -> bool:
    """Whether ``password`` matches the ``stored`` hash (None: no such account, still takes the time)."""
    try:
        return _HASHER.verify(stored or _dummy(), password) and stored is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored: str) -> bool:
    """Whether ``stored`` was made with weaker parameters than today's (re-hash at the next sign-in)."""
    try:
        return _HASHER.check_needs_rehash(stored)
    except InvalidHashError:
        return True
