"""Votes: /newvote (cadres), /votes and the ballot buttons (members), /voteresults."""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Any

from telegram import InlineKeyboardMarkup, InputFile, Update
from telegram.ext import BaseHandler

from bot.activities.form import FormError
from bot.context import Ctx, FlowHandler
from bot.core.charts import bar_chart
from bot.roles import Role
from bot.strings import Html, t
from bot.votes.service import announce, ballot_markup, cast, eligible, parse_vote_form, results_text
from handlers.core.guard import command, legacy_button
from handlers.core.legacy_flows import legacy
from handlers.core.replies import answer, edit, keyboard, say
from storage import dialogs, votes
from storage.models import Dialog, Vote

FLOW = "vote_new"


async def on_newvote(update: Update, context: Ctx) -> None:
    """Send the vote template to fill in."""
    deps, lang = context.deps, context.caller.lang
    async with deps.db.begin() as session:
        await dialogs.put(
            session,
            user_id=context.caller.telegram_id,
            flow=FLOW,
            step=1,
            data={},
            now=deps.clock.now(),
        )
    await say(update, context, t(lang, "vote_template") + "\n\n" + t(lang, "cancel_hint"))


async def on_vote_form(update: Update, context: Ctx, dialog: Dialog) -> None:
    """The filled-in template: check it, then show a preview to confirm."""
    caller, deps = context.caller, context.deps
    message = update.effective_message
    parsed = parse_vote_form(
        message.text if message and message.text else "", now=deps.clock.now(), config=deps.config
    )
    if isinstance(parsed, FormError):
        await say(
            update,
            context,
            t(caller.lang, parsed.key, line=parsed.line) + "\n\n" + t(caller.lang, "vote_template"),
        )
        return
    stored = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in parsed.items()}
    async with deps.db.begin() as session:
        await dialogs.put(
            session,
            user_id=caller.telegram_id,
            flow=FLOW,
            step=2,
            data=stored,
            now=deps.clock.now(),
        )
    scope = (
        "、".join(parsed["departments"])
        if parsed["departments"]
        else t(caller.lang, "word_all_departments")
    )
    preview = t(
        caller.lang,
        "vote_preview",
        question=parsed["question"],
        options="、".join(parsed["options"]),
        scope=scope,
        closes=parsed["closes_at"].astimezone(deps.config.union.zone).strftime("%Y-%m-%d %H:%M"),
    )
    await say(
        update,
        context,
        preview,
        keyboard(
            [
                [
                    (t(caller.lang, "btn_vote_create"), "vn:ok:1"),
                    (t(caller.lang, "btn_notice_cancel"), "vn:no:1"),
                ]
            ]
        ),
    )


async def on_create(update: Update, context: Ctx) -> None:
    """Open the vote and send every eligible member a ballot, or drop it."""
    query = update.callback_query
    assert query is not None and query.data is not None
    caller, deps = context.caller, context.deps
    async with deps.db.begin() as session:
        dialog = await dialogs.get(session, caller.telegram_id)
        if dialog is None or dialog.flow != FLOW or dialog.step != 2:
            await answer(update, context, t(caller.lang, "button_expired"), alert=True)
            return
        await dialogs.clear(session, user_id=caller.telegram_id)
        vote = None
        if query.data.split(":")[1] == "ok":
            data = dict(dialog.data)
            for name in ("opens_at", "closes_at"):
                data[name] = datetime.fromisoformat(data[name])
            vote = await votes.add(
                session, **data, created_by=caller.telegram_id, created_at=deps.clock.now()
            )
            await announce(session, vote, now=deps.clock.now(), config=deps.config)
    if vote is None:
        await edit(update, t(caller.lang, "vote_dropped"))
        return
    deps.delivery.wake()
    await edit(update, t(caller.lang, "vote_created", id=vote.id or 0))


async def on_votes(update: Update, context: Ctx) -> None:
    """Open votes this member may vote in, with the turnout so far (never the results)."""
    caller, deps = context.caller, context.deps
    assert caller.member is not None
    async with deps.db.read() as session:
        found = [
            v
            for v in await votes.open_votes(session, now=deps.clock.now())
            if eligible(v, caller.member)
        ]
        turnout = {v.id: await votes.turnout(session, v.id or 0) for v in found}
        sizes = {v.id: len(await votes.electorate(session, v)) for v in found}
    if not found:
        await say(update, context, t(caller.lang, "vote_none"))
        return
    for vote in found:
        text = t(
            caller.lang,
            "vote_open_line",
            question=vote.question,
            turnout=turnout[vote.id],
            electorate=sizes[vote.id],
        )
        await say(update, context, text, InlineKeyboardMarkup.de_json(ballot_markup(vote), None))


async def on_cast(update: Update, context: Ctx) -> None:
    """A ballot: counted once, in secret."""
    query = update.callback_query
    assert query is not None and query.data is not None
    _, _, raw_vote, raw_option = query.data.split(":")
    caller, deps = context.caller, context.deps
    assert caller.member is not None
    async with deps.db.begin() as session:
        result = await cast(
            session,
            vote_id=int(raw_vote),
            member=caller.member,
            option=int(raw_option),
            now=deps.clock.now(),
        )
    await answer(update, context, t(caller.lang, f"vote_{result}"), alert=result != "cast")


async def on_results(update: Update, context: Ctx) -> None:
    """/voteresults N: turnout while open; the results and a chart once closed."""
    caller, deps = context.caller, context.deps
    args = context.args or []
    vote: Vote | None = None
    async with deps.db.read() as session:
        if args and args[0].isdigit():
            vote = await votes.get(session, int(args[0]))
        if vote is None or vote.id is None:
            await say(update, context, t(caller.lang, "vote_unknown"))
            return
        counts = await votes.tallies(session, vote.id)
        turnout = await votes.turnout(session, vote.id)
        electorate = len(await votes.electorate(session, vote))
    if vote.status == "open":
        await say(
            update,
            context,
            t(caller.lang, "vote_still_open", turnout=turnout, electorate=electorate),
        )
        return
    await say(update, context, Html(results_text(vote, counts, turnout, electorate, caller.lang)))
    png = await asyncio.to_thread(bar_chart, list(vote.options), counts, title=vote.question[:40])
    chat = update.effective_chat
    assert chat is not None
    await context.bot.send_photo(chat.id, InputFile(png, filename="vote.png"))


def handlers() -> list[BaseHandler[Update, Ctx, None]]:
    return [
        command("newvote", on_newvote, role=Role.CADRE),
        command("votes", on_votes, role=Role.MEMBER),
        command("voteresults", on_results, role=Role.MEMBER),
        legacy_button(r"^vn:(ok|no):1$", on_create, role=Role.CADRE, where="private"),
        legacy_button(r"^vt:cast:(\d{1,12}):(\d)$", on_cast, role=Role.MEMBER, where="private"),
    ]


def flows() -> list[FlowHandler[Any, Any]]:
    return [
        legacy(FLOW, Role.CADRE, on_vote_form, "cancel_done"),
    ]
