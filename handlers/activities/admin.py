"""Activities for cadres: /newactivity from a template, /roster with check-in, exports,
changes told to everyone, cancelling, and removing someone with a logged reason."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession
from telegram import InputFile, Update
from telegram.ext import BaseHandler

from bot.activities.form import FormError, parse_form
from bot.activities.posts import post, post_text
from bot.activities.roster_files import to_csv, to_xlsx
from bot.activities.signups import offer_next, tell_everyone
from bot.context import Ctx, FlowHandler
from bot.roles import Role
from bot.strings import t
from handlers.activities.signups import refresh_posts
from handlers.core.dialog_state import save_step
from handlers.core.guard import command, legacy_button
from handlers.core.legacy_flows import legacy
from handlers.core.replies import answer, edit, keyboard, say
from storage import activities, dialogs
from storage.models import Activity, Dialog, Signup
from storage.statuses import ActivityStatus, SignupState

NEW_FLOW, EDIT_FLOW, REMOVE_FLOW = "activity_new", "activity_edit", "activity_remove"


async def on_newactivity(update: Update, context: Ctx) -> None:
    """Send the template to fill in."""
    await save_step(context, NEW_FLOW, 1, {})
    await say(
        update,
        context,
        t(context.caller.lang, "act_template") + "\n\n" + t(context.caller.lang, "cancel_hint"),
    )


async def on_form_message(update: Update, context: Ctx, dialog: Dialog) -> None:
    """The filled-in template (for a new activity, or new details of an existing one)."""
    caller, deps = context.caller, context.deps
    message = update.effective_message
    text = message.text if message is not None and message.text else ""
    parsed = parse_form(
        text,
        now=deps.clock.now(),
        zone=deps.config.union.zone,
        departments=deps.config.union.departments,
    )
    if isinstance(parsed, FormError):
        await say(
            update,
            context,
            t(caller.lang, parsed.key, line=parsed.line) + "\n\n" + t(caller.lang, "act_template"),
        )
        return
    if dialog.flow == EDIT_FLOW:
        await _apply_edit(update, context, int(dialog.data["activity_id"]), parsed)
        return
    stored = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in parsed.items()}
    await save_step(context, NEW_FLOW, 1, {"form": stored, "ready": True})
    preview = Activity(id=0, created_by=caller.telegram_id, created_at=deps.clock.now(), **parsed)
    lang = caller.lang
    rows = [
        [(t(lang, "btn_act_create_post"), "an:post:1"), (t(lang, "btn_act_create"), "an:ok:1")],
        [(t(lang, "btn_notice_cancel"), "an:no:1")],
    ]
    await say(
        update, context, post_text(preview, lang, deps.config.union.zone, 0, 0), keyboard(rows)
    )


async def on_create_button(update: Update, context: Ctx) -> None:
    """Create the activity (and post it to the bound groups), or drop it."""
    query = update.callback_query
    assert query is not None and query.data is not None
    action = query.data.split(":")[1]
    caller, deps = context.caller, context.deps
    async with deps.db.begin() as session:
        dialog = await dialogs.get(session, caller.telegram_id)
        if dialog is None or dialog.flow != NEW_FLOW or not dialog.data.get("ready"):
            await answer(update, context, t(caller.lang, "button_expired"), alert=True)
            return
        await dialogs.clear(session, user_id=caller.telegram_id)
        if action == "no":
            activity = None
        else:
            form = dict(dialog.data["form"])
            for name in ("starts_at", "ends_at", "deadline"):
                form[name] = datetime.fromisoformat(form[name])
            now = deps.clock.now()
            activity = await activities.add(
                session, **form, created_by=caller.telegram_id, created_at=now
            )
            if action == "post":
                await post(
                    session,
                    activity,
                    lang=deps.config.union.default_language,
                    zone=deps.config.union.zone,
                    now=now,
                )
    if activity is None:
        await edit(update, t(caller.lang, "act_dropped"))
        return
    deps.delivery.wake()
    await edit(update, t(caller.lang, "act_created", id=activity.id or 0, title=activity.title))


async def on_roster(update: Update, context: Ctx) -> None:
    """/roster: upcoming activities; /roster N: who is going, queued, checked in."""
    caller, deps = context.caller, context.deps
    args = context.args or []
    if not args or not args[0].isdigit():
        async with deps.db.read() as session:
            found = await activities.upcoming(session, now=deps.clock.now(), limit=20)
        rows = [[(f"#{a.id} {a.title}", f"ar:show:{a.id}")] for a in found]
        await say(
            update,
            context,
            t(caller.lang, "roster_pick" if found else "act_none"),
            keyboard(rows) if rows else None,
        )
        return
    await _show(update, context, int(args[0]))


async def _show(update: Update, context: Ctx, activity_id: int) -> None:
    lang, deps = context.caller.lang, context.deps
    async with deps.db.read() as session:
        activity = await activities.get(session, activity_id)
        going = await activities.signups(session, activity_id, states=("confirmed", "offered"))
        queue = await activities.signups(session, activity_id, states=("waitlisted",))
    if activity is None:
        await say(update, context, t(lang, "act_unknown"))
        return
    present = sum(1 for s, _ in going if s.checked_in_at)
    lines = [
        t(
            lang,
            "roster_head",
            id=activity_id,
            title=activity.title,
            going=len(going),
            queued=len(queue),
            present=present,
        )
    ]
    lines += [
        t(
            lang,
            "roster_line",
            name=m.name,
            department=m.department,
            guests=s.guests,
            mark="✅" if s.checked_in_at else ("⏳" if s.state == SignupState.OFFERED else "·"),
        )
        for s, m in going
    ]
    lines += [t(lang, "roster_queue", position=n, name=m.name) for n, (_, m) in enumerate(queue, 1)]
    rows = [
        [
            (f"✅ {m.name}", f"ar:in:{activity_id}:{s.id}"),
            (f"✖ {m.name}", f"ar:rm:{activity_id}:{s.id}"),
        ]
        for s, m in going
        if not s.checked_in_at
    ][:20]
    rows.append([("CSV", f"ar:csv:{activity_id}"), ("XLSX", f"ar:xlsx:{activity_id}")])
    rows.append(
        [
            (t(lang, "btn_act_edit"), f"ar:edit:{activity_id}"),
            (t(lang, "btn_act_cancel"), f"ar:cancel:{activity_id}"),
        ]
    )
    await say(update, context, "\n".join(lines), keyboard(rows))


async def on_roster_button(update: Update, context: Ctx) -> None:
    """Show, export, check someone in, remove someone (with a reason), edit or cancel."""
    query = update.callback_query
    assert query is not None and query.data is not None
    parts = query.data.split(":")
    action, activity_id = parts[1], int(parts[2])
    caller, deps = context.caller, context.deps
    lang = caller.lang
    if action == "show":
        await _show(update, context, activity_id)
    elif action in ("csv", "xlsx"):
        async with deps.db.read() as session:
            entries = await activities.signups(
                session, activity_id, states=("confirmed", "offered", "waitlisted")
            )
        data = (to_csv if action == "csv" else to_xlsx)(entries, deps.config.union.zone)
        chat = update.effective_chat
        assert chat is not None
        await context.bot.send_document(
            chat.id, InputFile(data, filename=f"activity-{activity_id}.{action}")
        )
    elif action == "in":
        async with deps.db.begin() as session:
            signup = await _signup(session, activity_id, int(parts[3]))
            if signup is not None and signup.checked_in_at is None:
                signup.checked_in_at = deps.clock.now()
                await activities.save(session, signup)
        await answer(update, context, t(lang, "act_checked_in"))
    elif action == "rm":
        await save_step(
            context, REMOVE_FLOW, 1, {"activity_id": activity_id, "signup_id": int(parts[3])}
        )
        await say(update, context, t(lang, "act_remove_reason"))
    elif action == "edit":
        await save_step(context, EDIT_FLOW, 1, {"activity_id": activity_id})
        await say(update, context, t(lang, "act_edit_prompt") + "\n\n" + t(lang, "act_template"))
    elif action == "cancel":
        async with deps.db.begin() as session:
            activity = await activities.lock(session, activity_id)
            if activity is not None and activity.status == ActivityStatus.OPEN:
                activity.status = ActivityStatus.CANCELLED
                await activities.save(session, activity)
                await activities.log(
                    session,
                    activity_id=activity_id,
                    actor_telegram_id=caller.telegram_id,
                    action="cancel",
                    at=deps.clock.now(),
                )
                await tell_everyone(
                    session,
                    activity,
                    text_key="act_cancelled",
                    change="cancelled",
                    now=deps.clock.now(),
                    config=deps.config,
                )
        deps.delivery.wake()
        await edit(update, t(lang, "act_cancelled_done", id=activity_id))


async def _signup(session: AsyncSession, activity_id: int, signup_id: int) -> Signup | None:
    signup = await session.get(Signup, signup_id)
    return signup if signup is not None and signup.activity_id == activity_id else None


async def on_remove_message(update: Update, context: Ctx, dialog: Dialog) -> None:
    """The reason for taking someone off the list; the place goes to the queue."""
    caller, deps = context.caller, context.deps
    message = update.effective_message
    reason = message.text.strip() if message is not None and message.text else ""
    if not reason:
        await say(update, context, t(caller.lang, "act_remove_reason"))
        return
    activity_id, signup_id = int(dialog.data["activity_id"]), int(dialog.data["signup_id"])
    async with deps.db.begin() as session:
        await dialogs.clear(session, user_id=caller.telegram_id)
        activity = await activities.lock(session, activity_id)
        signup = await _signup(session, activity_id, signup_id)
        if activity is not None and signup is not None and signup.state != SignupState.CANCELLED:
            signup.state = SignupState.CANCELLED
            await activities.save(session, signup)
            await activities.log(
                session,
                activity_id=activity_id,
                actor_telegram_id=caller.telegram_id,
                member_id=signup.member_id,
                action="remove",
                reason=reason,
                at=deps.clock.now(),
            )
            await offer_next(session, activity, now=deps.clock.now(), config=deps.config)
    deps.delivery.wake()
    if activity is not None:
        await refresh_posts(context, activity)
    await say(update, context, t(caller.lang, "act_removed"))


async def _apply_edit(update: Update, context: Ctx, activity_id: int, form: dict[str, Any]) -> None:
    caller, deps = context.caller, context.deps
    async with deps.db.begin() as session:
        await dialogs.clear(session, user_id=caller.telegram_id)
        activity = await activities.lock(session, activity_id)
        if activity is None or activity.status != ActivityStatus.OPEN:
            await say(update, context, t(caller.lang, "act_unknown"))
            return
        moved = (activity.starts_at, activity.place) != (form["starts_at"], form["place"])
        for name, value in form.items():
            setattr(activity, name, value)
        await activities.save(session, activity)
        await activities.log(
            session,
            activity_id=activity_id,
            actor_telegram_id=caller.telegram_id,
            action="edit",
            at=deps.clock.now(),
        )
        if moved:
            await tell_everyone(
                session,
                activity,
                text_key="act_changed",
                change=f"changed:{deps.clock.now().isoformat()}",
                now=deps.clock.now(),
                config=deps.config,
            )
    deps.delivery.wake()
    await refresh_posts(context, activity)
    await say(update, context, t(caller.lang, "act_edited", id=activity_id))


def handlers() -> list[BaseHandler[Update, Ctx, None]]:
    return [
        command("newactivity", on_newactivity, role=Role.CADRE),
        command("roster", on_roster, role=Role.CADRE),
        legacy_button(r"^an:(ok|post|no):1$", on_create_button, role=Role.CADRE, where="private"),
        legacy_button(
            r"^ar:(show|csv|xlsx|edit|cancel):(\d{1,12})$",
            on_roster_button,
            role=Role.CADRE,
            where="private",
        ),
        legacy_button(
            r"^ar:(in|rm):(\d{1,12}):(\d{1,12})$",
            on_roster_button,
            role=Role.CADRE,
            where="private",
        ),
    ]


def flows() -> list[FlowHandler[Any, Any]]:
    return [
        legacy(NEW_FLOW, Role.CADRE, on_form_message, "cancel_done"),
        legacy(EDIT_FLOW, Role.CADRE, on_form_message, "cancel_done"),
        legacy(REMOVE_FLOW, Role.CADRE, on_remove_message, "cancel_done"),
    ]
