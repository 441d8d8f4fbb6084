"""The knowledge-base form as a conversation: /kb add, /kb edit <id>, or the desk's
「存入知识库」 on a consultation put a cadre in it; the filled-in form they send back is
checked and saved as a revision (kept forever). Telegram-free; never commits."""

from __future__ import annotations

from datetime import datetime
from enum import IntEnum, StrEnum

from pydantic import BaseModel
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.core.flow import Flow, FlowState, Rejected
from bot.rights import editor
from bot.rights.entries import Entry, EntryError
from bot.rights.handoff import asked_as, cadre_answer, plain
from bot.rights.library import KnowledgeBase
from bot.roles import Role
from bot.strings import Html, Lang, t
from storage import cases, rights
from storage.models import KbRevision
from storage.statuses import KbAction


class KbFormStep(IntEnum):
    FORM = 0  # stored with a form in progress: keep the number


class FormPurpose(StrEnum):
    ADD = "add"  # a new entry
    EDIT = "edit"  # an entry that exists
    SAVE = "save"  # a consultation's answer, from the case desk


class KbDraft(BaseModel):
    entry_id: str
    action: FormPurpose  # named so for the forms in progress across an upgrade
    case_id: int | None = None


KB_FORM = Flow(
    "kb_edit", role=Role.CADRE, steps=KbFormStep, data=KbDraft, cancelled="cancel_kb_edit"
)
State = FlowState[KbFormStep, KbDraft]
INTROS = {
    FormPurpose.ADD: "kb_form_add_intro",
    FormPurpose.EDIT: "kb_form_edit_intro",
    FormPurpose.SAVE: "kb_form_save_intro",
}
REVISIONS = {
    FormPurpose.ADD: KbAction.ADD,
    FormPurpose.EDIT: KbAction.EDIT,
    FormPurpose.SAVE: KbAction.ADD,
}


def form_message(draft: KbDraft, form: str, lang: Lang) -> Html:
    """The form to copy, fill in and send back, with how to."""
    lines = [
        t(lang, INTROS[draft.action], id=draft.entry_id),
        t(lang, "kb_form", form=form),
        "",
        t(lang, "kb_form_howto"),
        t(lang, "cancel_hint_edit" if draft.action == FormPurpose.EDIT else "cancel_hint"),
    ]
    return Html("\n".join(lines))


async def open_form(
    session: AsyncSession,
    *,
    telegram_id: int,
    entry: Entry | None,
    purpose: FormPurpose,
    now: datetime,
    case_id: int | None = None,
) -> KbDraft:
    """Put the cadre in the form for this entry (a new one when None)."""
    entry_id = entry.id if entry is not None else editor.new_entry_id()
    draft = KbDraft(entry_id=entry_id, action=purpose, case_id=case_id)
    await KB_FORM.save(session, user_id=telegram_id, step=KbFormStep.FORM, data=draft, now=now)
    return draft


async def case_form(session: AsyncSession, case_id: int) -> str | Rejected:
    """A consultation as a filled-in form: the member's question in their words and the
    cadre's answer, for the cadre to add the law it rests on."""
    case = await cases.get(session, case_id)
    if case is None:
        return Rejected("case_unknown")
    written = await cadre_answer(session, case_id)
    if not written:
        return Rejected("kb_reply_first")
    question = await rights.question_of_case(session, case_id)
    asked = (asked_as(question) if question else []) or [" ".join(plain(case.text).split())]
    return "\n".join([*(f"问：{q}" for q in asked), f"答：{written}", "依据：", "标签："])


async def save_form(
    session: AsyncSession,
    knowledge: KnowledgeBase,
    state: State,
    text: str,
    *,
    telegram_id: int,
    author_member_id: int | None,
    now: datetime,
) -> KbRevision | None:
    """Check the filled-in form and save it as a revision, ending the conversation; raises
    EntryError naming what to fix (the conversation stays for another try). None if the
    form was saved a moment ago."""
    draft = state.data
    base = await knowledge.find(session, draft.entry_id)
    if draft.action == FormPurpose.EDIT and base is None:
        raise EntryError("kb_unknown_entry", id=draft.entry_id)
    entry = editor.parse(text, entry_id=draft.entry_id, base=base)
    if await KB_FORM.take(session, user_id=telegram_id, step=KbFormStep.FORM) is None:
        return None
    return await editor.save(
        session,
        entry,
        action=REVISIONS[draft.action],
        author_member_id=author_member_id,
        now=now,
        case_id=draft.case_id,
    )
