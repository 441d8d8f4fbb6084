from bot.roles import Role, resolve_role
from storage.statuses import StoredRole

ADMINS = frozenset({1})


def test_admins_from_config_even_unregistered() -> None:
    assert (
        resolve_role(telegram_id=1, stored_role=None, registered=False, admins=ADMINS) == Role.ADMIN
    )


def test_stored_role_counts_only_once_registered() -> None:
    cadre, member = StoredRole.CADRE, StoredRole.MEMBER
    assert resolve_role(telegram_id=2, stored_role=cadre, registered=True, admins=ADMINS) == (
        Role.CADRE
    )
    assert resolve_role(telegram_id=2, stored_role=cadre, registered=False, admins=ADMINS) == (
        Role.GUEST
    )
    assert resolve_role(telegram_id=2, stored_role=None, registered=False, admins=ADMINS) == (
        Role.GUEST
    )
    assert resolve_role(telegram_id=2, stored_role=member, registered=True, admins=ADMINS) == (
        Role.MEMBER
    )


def test_every_stored_role_has_a_role() -> None:
    for stored in StoredRole:
        assert resolve_role(telegram_id=2, stored_role=stored, registered=True, admins=ADMINS) > (
            Role.GUEST
        )


def test_roles_are_ordered() -> None:
    assert Role.GUEST < Role.MEMBER < Role.CADRE < Role.ADMIN
