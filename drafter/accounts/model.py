"""What an account, a unit and a session are (plain values, shared by every account store)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

from drafter.scopes import EVERYTHING, Owner, Scope, Visibility

Role = Literal["writer", "admin"]
ROLES: tuple[Role, ...] = get_args(Role)
ROLE_NAMES: dict[str, str] = {"writer": "撰稿人", "admin": "管理员"}


@dataclass(frozen=True)
class Unit:
    """A unit (a bureau): its name and where its writers' uploads go unless they choose."""

    name: str
    default_visibility: Visibility = "private"
    created: str = ""


@dataclass(frozen=True)
class Account:
    """A person who signs in: a writer of one unit, or an administrator (who sees every document)."""

    name: str
    unit: str
    role: Role = "writer"
    disabled: bool = False
    created: str = ""

    @property
    def scope(self) -> Scope:
        """The documents this person sees: everything for an administrator, else their unit's scope."""
        return EVERYTHING if self.role == "admin" else Scope(self.unit)

    def owner(self, visibility: Visibility) -> Owner:
        """Where this person's upload goes: their unit (an administrator's: the common corpus)."""
        return Owner("" if self.role == "admin" else self.unit, visibility)


@dataclass(frozen=True)
class SessionRow:
    """A stored session: the hash of its token, whose it is, and when it began and was last used (epoch s)."""

    token_hash: str
    account: str
    created: int
    last_seen: int
