"""Who hears of a case and what each receives: the cadres, the chair, the assignee and the
reporter. Builds typed outgoing messages (the caller queues them in its transaction) and
never puts an anonymous reporter's identity into anything a cadre sees."""

from __future__ import annotations

from collections.abc import Callable

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.cases.callbacks import DeskPress
from bot.cases.states import CaseAction
from bot.cases.views import reporter_keyboard
from bot.config import Config
from bot.core.keyboard import Button, Keyboard
from bot.delivery.keys import OutboxKey
from bot.delivery.outgoing import Outgoing, OutKind
from bot.strings import Html, Lang, normalise_lang, t
from storage import members
from storage.models import Case, Member
from storage.statuses import StoredRole


def member_lang(member: Member) -> Lang:
    return normalise_lang(member.language)


def open_keyboard(case_id: int, lang: Lang) -> Keyboard:
    """The button under a cadre's message that opens the case card."""
    press = DeskPress(action=CaseAction.VIEW, case_id=case_id)
    return Keyboard.column([Button(t(lang, "btn_case_open", id=case_id), press)])


def to_member(
    key: OutboxKey,
    member: Member,
    text: str,
    keyboard: Keyboard | None = None,
    *,
    kind: OutKind = OutKind.CASE,
) -> Outgoing:
    assert member.telegram_id is not None
    return Outgoing.text(key, kind, member.telegram_id, text, markup=keyboard, member_id=member.id)


async def active_cadres(session: AsyncSession, config: Config) -> list[Member]:
    """Every cadre and registered admin the bot can reach."""
    people = await members.with_role(session, roles=[StoredRole.CADRE])
    known = {m.telegram_id for m in people}
    for admin in config.union.admins:
        if admin not in known and (member := await members.get_by_telegram_id(session, admin)):
            people.append(member)
    return [m for m in people if m.telegram_id is not None and m.active]


async def handlers_of(session: AsyncSession, case: Case, config: Config) -> list[Member]:
    """The case's assignee if they can be reached, otherwise every cadre."""
    targets = await active_cadres(session, config)
    if case.assignee_member_id is not None:
        targets = [m for m in targets if m.id == case.assignee_member_id] or targets
    return targets


async def tell_chairs(
    session: AsyncSession,
    case: Case,
    text_key: str,
    *,
    key: Callable[[int], OutboxKey],
    note: str,
    config: Config,
    keyboard: Callable[[Lang], Keyboard] | None = None,
) -> list[Outgoing]:
    """One message to each admin (the chair); `key` gives each one's outbox key."""
    assert case.id is not None
    messages = []
    for admin in config.union.admins:
        member = await members.get_by_telegram_id(session, admin)
        lang = member_lang(member) if member else config.union.default_language
        body = t(
            lang,
            text_key,
            id=case.id,
            category=config.cases.category_name(case.category, lang),
            department=case.department,
            text=Html(note),
        )
        markup = keyboard(lang) if keyboard is not None else open_keyboard(case.id, lang)
        messages.append(
            Outgoing.text(
                key(admin),
                OutKind.CASE,
                admin,
                body,
                markup=markup,
                member_id=member.id if member else None,
            )
        )
    return messages


async def tell_reporter(
    session: AsyncSession,
    case: Case,
    reporter_id: int | None,
    key: OutboxKey,
    text_key: str,
    *,
    text: str = "",
) -> list[Outgoing]:
    """The reporter's copy (relayed, so purged once an anonymous case closes), with the
    buttons the case's status now allows them."""
    if reporter_id is None:
        return []
    reporter = await members.get(session, reporter_id)
    if reporter is None or reporter.telegram_id is None:
        return []
    lang = member_lang(reporter)
    body = t(lang, text_key, id=case.id or 0, text=Html(text))
    keyboard = reporter_keyboard(case, lang)
    return [to_member(key, reporter, body, keyboard, kind=OutKind.CASE_REPORTER)]
