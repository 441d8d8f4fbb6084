"""Who may do what. Admins come from config; cadres are appointed by admins."""

from __future__ import annotations

from enum import IntEnum

from storage.statuses import StoredRole


class Role(IntEnum):
    """Ordered: each role may do everything the roles below it may."""

    GUEST = 0  # a Telegram user who has not registered
    MEMBER = 1
    CADRE = 2
    ADMIN = 3


STORED_ROLES = {StoredRole.MEMBER: Role.MEMBER, StoredRole.CADRE: Role.CADRE}


def resolve_role(
    *, telegram_id: int, stored_role: StoredRole | None, registered: bool, admins: frozenset[int]
) -> Role:
    """Config admins always; otherwise the stored role of a registered member."""
    if telegram_id in admins:
        return Role.ADMIN
    if stored_role is None or not registered:
        return Role.GUEST
    return STORED_ROLES.get(stored_role, Role.MEMBER)
