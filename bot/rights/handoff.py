"""「问工会」: a question the knowledge base did not settle becomes a consultation
case, answered by a cadre through the bot like any case. The member may add details first
(the hand-off conversation), then sends it named or anonymous — once, however many taps.
Telegram-free; never commits."""

from __future__ import annotations

import html
import re
from datetime import datetime
from enum import IntEnum

from pydantic import BaseModel
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.cases.service import Identity, submit
from bot.config import Config
from bot.core.flow import Accepted, Flow, FlowState, Rejected
from bot.core.keyboard import Button, Keyboard
from bot.rights.answers import own_question
from bot.rights.callbacks import Sender, SendPress
from bot.rights.library import KnowledgeBase
from bot.roles import Role
from bot.strings import Lang, t
from storage import cases, rights
from storage.models import Case, KbQuestion, Member
from storage.statuses import CaseActor, CaseKind, KbVia

DETAILS_MAX = 2000
_TAG = re.compile(r"<[^>]+>")
IDENTITIES: dict[Sender, Identity] = {
    Sender.NAMED: Identity.NAMED,
    Sender.ANONYMOUS: Identity.ANONYMOUS,
}


class HandoffStep(IntEnum):
    DETAILS = 1  # stored with a hand-off in progress: keep the number


class HandoffDraft(BaseModel):
    question_id: int
    details: str = ""


HANDOFF = Flow(
    "rights_handoff",
    role=Role.MEMBER,
    steps=HandoffStep,
    data=HandoffDraft,
    cancelled="cancel_handoff",
)
State = FlowState[HandoffStep, HandoffDraft]


def add_details(state: State, text: str | None) -> Accepted[HandoffStep, HandoffDraft] | Rejected:
    """What the member adds before sending; each message goes on a line of its own."""
    if not text:
        return Rejected("text_expected")
    details = "\n".join(part for part in (state.data.details, text) if part)
    if len(details) > DETAILS_MAX:
        return Rejected("kb_details_too_long", {"limit": DETAILS_MAX})
    return Accepted(state.step, state.data.model_copy(update={"details": details}))


def send_keyboard(lang: Lang) -> Keyboard:
    return Keyboard.of(
        [
            [
                Button(t(lang, "btn_kb_send_named"), SendPress(sender=Sender.NAMED)),
                Button(t(lang, "btn_kb_send_anonymous"), SendPress(sender=Sender.ANONYMOUS)),
            ]
        ]
    )


async def _why_not(session: AsyncSession, question_id: int, own: KbQuestion | None) -> Rejected:
    """Why this question cannot go to the union (again)."""
    if own is not None and own.case_id is not None:
        return Rejected("kb_already_sent", {"id": own.case_id})
    # An anonymous question whose case has closed belongs to nobody any more.
    untied = await rights.get_question(session, question_id) if own is None else None
    if untied is not None and untied.member_id is None and untied.case_id is not None:
        return Rejected("kb_already_sent", {"id": untied.case_id})
    return Rejected("kb_not_yours", {"id": 0})


async def open_handoff(
    session: AsyncSession, *, question_id: int, member: Member, telegram_id: int, now: datetime
) -> KbQuestion | Rejected:
    """Start the hand-off of the member's own question (not yet with the union)."""
    question = await own_question(session, question_id, member.id)
    if question is None or question.case_id is not None or question.id is None:
        return await _why_not(session, question_id, question)
    draft = HandoffDraft(question_id=question.id)
    await HANDOFF.save(session, user_id=telegram_id, step=HandoffStep.DETAILS, data=draft, now=now)
    return question


async def send_handoff(
    session: AsyncSession,
    knowledge: KnowledgeBase,
    *,
    reporter: Member,
    telegram_id: int,
    sender: Sender,
    now: datetime,
    config: Config,
) -> Case | Rejected:
    """File the question for the cadres. The hand-off is taken at its step first, so of two
    taps in flight one files it and the other finds it gone."""
    state = await HANDOFF.take(session, user_id=telegram_id, step=HandoffStep.DETAILS)
    if state is None:
        return Rejected("button_expired")
    question = await own_question(session, state.data.question_id, reporter.id)
    if question is None or question.case_id is not None:
        return await _why_not(session, state.data.question_id, question)
    return await hand_off(
        session,
        knowledge,
        question=question,
        reporter=reporter,
        details=state.data.details,
        identity=IDENTITIES[sender],
        now=now,
        config=config,
    )


async def hand_off(
    session: AsyncSession,
    knowledge: KnowledgeBase,
    *,
    question: KbQuestion,
    reporter: Member,
    details: str,
    identity: Identity,
    now: datetime,
    config: Config,
) -> Case:
    """File the question (and what the member added) for the cadres; once per question."""
    lang = config.union.default_language
    parts = [html.escape(question.text)]
    if details.strip():
        parts.append(html.escape(details.strip()))
    if question.entry_id and (entry := await knowledge.find(session, question.entry_id)):
        parts.append(t(lang, what_the_bot_said(question), title=entry.title))
    case = await submit(
        session,
        reporter=reporter,
        category=t(lang, "kb_case_category"),
        text="\n\n".join(parts),
        attachments=[],
        identity=identity,
        now=now,
        config=config,
        kind=CaseKind.CONSULTATION,
    )
    question.case_id = case.id
    question.details = details.strip()[:DETAILS_MAX]
    await rights.save(session, question)
    return case


def plain(text: str) -> str:
    """A cadre's reply as the knowledge base keeps it: plain text (it is escaped on display)."""
    return html.unescape(_TAG.sub("", text)).strip()


def asked_as(question: KbQuestion) -> list[str]:
    """How the member put the question, for the phrasings of a saved answer: their own
    words, not the title of an entry they pressed."""
    own = [" ".join(question.details.split())] if question.details else []
    return own + ([question.text] if question.via == KbVia.ASK else [])


async def cadre_answer(session: AsyncSession, case_id: int) -> str:
    """The cadre's latest written answer on a case: what would go into the knowledge base."""
    for entry in reversed(await cases.entries(session, case_id)):
        if entry.actor == CaseActor.CADRE and entry.action in ("reply", "resolve") and entry.text:
            return plain(entry.text)
    return ""


def what_the_bot_said(question: KbQuestion) -> str:
    """How the cadres are told what the bot answered: only a 👎 says the member found it no help
    (asking the union is not a verdict on the answer)."""
    if not question.confident:
        return "kb_case_bot_unsure"
    return "kb_case_bot_answered" if question.helpful is False else "kb_case_bot_gave"
