"""Votes: /newvote (cadres), /votes and the ballot buttons (members), /voteresults, and a
cadre's 结束投票."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

from telegram import InputFile, Update
from telegram.ext import BaseHandler

from bot.context import Ctx, FlowHandler
from bot.core.charts import bar_chart
from bot.core.flow import FlowState, Rejected
from bot.core.labels import label
from bot.core.states import Refused
from bot.core.template import template_text
from bot.roles import Role
from bot.strings import Html, t
from bot.votes import ballots, results
from bot.votes.callbacks import BallotPress, ClosePress, NewVoteChoice, NewVotePress
from bot.votes.form import NEW_VOTE, NewVote, VoteStep, give_template
from bot.votes.views import (
    ballot_keyboard,
    preview,
    results_text,
    settled_ballot,
    standing_keyboard,
    too_few_to_show,
)
from handlers.core import flow_state
from handlers.core.guard import button, command
from handlers.core.replies import answer, edit, say

RECENT_VOTES = timedelta(days=30)  # /voteresults with no number lists those closed since


def _template(context: Ctx) -> Html:
    now, zone = context.deps.clock.now(), context.deps.config.union.zone
    return template_text("vote_template", context.caller.lang, now=now, zone=zone)


async def on_newvote(update: Update, context: Ctx) -> None:
    """Send the vote template to fill in."""
    lang = context.caller.lang
    await flow_state.save(context, NEW_VOTE, VoteStep.TEMPLATE, NewVote())
    await say(update, context, _template(context) + "\n\n" + t(lang, "cancel_hint"))


async def on_template(update: Update, context: Ctx, state: FlowState[VoteStep, NewVote]) -> None:
    """The filled-in template: check it, then show a preview to confirm."""
    caller, deps = context.caller, context.deps
    union = deps.config.union
    message = update.effective_message
    outcome = give_template(
        state,
        message.text if message is not None else None,
        now=deps.clock.now(),
        zone=union.zone,
        departments=union.departments,
    )
    if isinstance(outcome, Rejected):
        problem = t(caller.lang, outcome.key, **outcome.params)
        await say(update, context, problem + "\n\n" + _template(context))
        return
    await flow_state.save(context, NEW_VOTE, outcome.step, outcome.data)
    assert outcome.data.draft is not None
    text, keyboard = preview(outcome.data.draft, caller.lang, union.zone)
    await say(update, context, text, keyboard)


async def on_create(update: Update, context: Ctx, press: NewVotePress) -> None:
    """Open the vote and send every eligible member a ballot (once), or drop it."""
    caller, deps = context.caller, context.deps
    if press.choice == NewVoteChoice.DROP:
        if await flow_state.at(update, context, NEW_VOTE, VoteStep.CONFIRM):
            await flow_state.end(context, NEW_VOTE)
            await edit(update, t(caller.lang, "vote_dropped"))
        return
    async with deps.db.begin() as session:
        # Taken once: a second press in flight finds the form gone and sends no ballots.
        state = await NEW_VOTE.take(session, user_id=caller.telegram_id, step=VoteStep.CONFIRM)
        vote = None
        if state is not None and state.data.draft is not None:
            vote = await ballots.start(
                session,
                state.data.draft,
                author=caller.telegram_id,
                now=deps.clock.now(),
                config=deps.config,
            )
    if vote is None:
        await answer(update, context, t(caller.lang, "button_expired"), alert=True)
        return
    deps.delivery.wake()
    await edit(update, t(caller.lang, "vote_created", id=vote.id or 0))


async def on_votes(update: Update, context: Ctx) -> None:
    """Open votes this member may vote in, with the turnout so far (never the results)."""
    caller, deps = context.caller, context.deps
    if caller.member is None:
        await say(update, context, t(caller.lang, "register_first"))
        return
    async with deps.db.read() as session:
        found = await ballots.open_to(session, caller.member, now=deps.clock.now())
    if not found:
        await say(update, context, t(caller.lang, "vote_none"))
        return
    zone = deps.config.union.zone
    for entry in found:
        text = t(
            caller.lang,
            "vote_open_line",
            question=entry.vote.question,
            closes=entry.vote.closes_at.astimezone(zone).strftime("%m-%d %H:%M"),
            turnout=entry.voted,
            electorate=entry.electorate,
        )
        if entry.mine:  # nothing left to press
            await say(update, context, text + "\n" + t(caller.lang, "vote_open_cast"))
        else:
            choose = text + "\n" + t(caller.lang, "vote_open_choose")
            await say(update, context, choose, ballot_keyboard(entry.vote))


async def on_cast(update: Update, context: Ctx, press: BallotPress) -> None:
    """A ballot: counted once, in secret."""
    caller, deps = context.caller, context.deps
    if caller.member is None:
        await answer(update, context, t(caller.lang, "register_first"), alert=True)
        return
    now, zone = deps.clock.now(), deps.config.union.zone
    try:
        async with deps.db.begin() as session:
            vote = await ballots.cast(
                session,
                vote_id=press.vote_id,
                member=caller.member,
                option=press.option,
                role=caller.role,
                now=now,
            )
    except Refused as refused:
        await answer(update, context, t(caller.lang, refused.key), alert=True)
        async with deps.db.read() as session:
            spent = await ballots.pressed_in_vain(
                session, press.vote_id, refusal=refused.key, now=now
            )
        if spent is not None:
            await edit(update, settled_ballot(spent, caller.lang, zone, now=now))
        return
    await answer(update, context, t(caller.lang, "vote_cast"))
    await edit(update, settled_ballot(vote, caller.lang, zone, now=now))


async def on_results(update: Update, context: Ctx) -> None:
    """/voteresults N: the turnout while open (and 结束投票 for cadres); the results and a
    chart once closed."""
    caller, deps = context.caller, context.deps
    args = context.args or []
    if not args:
        await _recent_votes(update, context)
        return
    try:
        if not args[0].isdigit():
            raise Refused("vote_unknown")
        async with deps.db.read() as session:
            found = await results.standing(session, int(args[0]), role=caller.role)
    except Refused as refused:
        await say(update, context, t(caller.lang, refused.key))
        return
    vote = found.vote
    if found.counts is None:
        text = t(caller.lang, "vote_still_open", turnout=found.turnout, electorate=found.electorate)
        await say(update, context, text, standing_keyboard(vote, caller.lang, caller.role))
        return
    counts = found.counts
    least = deps.config.open.min_count
    text = results_text(vote, counts, found.turnout, found.electorate, caller.lang, least=least)
    await say(update, context, text)
    if too_few_to_show(found.turnout, least):
        return
    png = await asyncio.to_thread(bar_chart, list(vote.options), counts, title=vote.question[:40])
    chat = update.effective_chat
    assert chat is not None
    await context.bot.send_photo(chat.id, InputFile(png, filename="vote.png"))


async def _recent_votes(update: Update, context: Ctx) -> None:
    """/voteresults with no number: the open votes and those closed in the last 30 days, each
    with the number to ask for."""
    caller, deps = context.caller, context.deps
    now = deps.clock.now()
    async with deps.db.read() as session:
        found = await results.recent(session, closed_since=now - RECENT_VOTES)
    if not found:
        await say(update, context, t(caller.lang, "vote_recent_none"))
        return
    lines = [
        t(
            caller.lang,
            "vote_recent_line",
            id=vote.id or 0,
            question=vote.question,
            status=t(caller.lang, label(vote.status)),
        )
        for vote in found
    ]
    await say(update, context, "\n".join([t(caller.lang, "vote_recent_head"), *lines]))


async def on_close(update: Update, context: Ctx, press: ClosePress) -> None:
    """Close the vote now: the results go to the groups once, and the cadre sees them."""
    caller, deps = context.caller, context.deps
    try:
        async with deps.db.begin() as session:
            found, groups = await results.close(
                session, press.vote_id, role=caller.role, now=deps.clock.now(), config=deps.config
            )
    except Refused as refused:
        await answer(update, context, t(caller.lang, refused.key), alert=True)
        return
    deps.delivery.wake()
    assert found.counts is not None
    text = results_text(
        found.vote,
        found.counts,
        found.turnout,
        found.electorate,
        caller.lang,
        least=deps.config.open.min_count,
    )
    done = t(caller.lang, "vote_closed_done", id=press.vote_id, groups=groups)
    await edit(update, done + "\n\n" + text)


def handlers() -> list[BaseHandler[Update, Ctx, None]]:
    return [
        command("newvote", on_newvote, role=Role.CADRE),
        command("votes", on_votes, role=Role.MEMBER),
        command("voteresults", on_results, role=Role.MEMBER),
        button(NewVotePress, on_create, role=Role.CADRE, where="private"),
        button(BallotPress, on_cast, role=Role.MEMBER, where="private"),
        button(ClosePress, on_close, role=Role.CADRE, where="private"),
    ]


def flows() -> list[FlowHandler[Any, Any]]:
    return [FlowHandler(NEW_VOTE, on_template)]
