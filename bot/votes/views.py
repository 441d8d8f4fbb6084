"""How a vote looks: its ballot, the preview before it starts, the turnout line, and its
results (Telegram-free)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.core.keyboard import Button, Keyboard
from bot.openboard.figures import Count
from bot.roles import Role
from bot.strings import Html, Lang, t
from bot.votes.callbacks import ClosePress, NewVoteChoice, NewVotePress, ballot
from bot.votes.form import VoteDraft
from bot.votes.states import VOTE_STATES, VoteAction
from storage.models import Vote
from storage.statuses import VoteStatus


def ballot_keyboard(vote: Vote) -> Keyboard:
    """One button per option, while the vote takes ballots."""
    if not VOTE_STATES.allows(vote.status, VoteAction.CAST, Role.MEMBER):
        return Keyboard(())
    vote_id = vote.id or 0
    return Keyboard.column(
        [Button(option, ballot(vote_id, index)) for index, option in enumerate(vote.options)]
    )


def ballot_text(vote: Vote, lang: Lang, zone: ZoneInfo) -> Html:
    closes = vote.closes_at.astimezone(zone).strftime("%m-%d %H:%M")
    return t(lang, "vote_ballot", question=vote.question, closes=closes)


def settled_ballot(vote: Vote, lang: Lang, zone: ZoneInfo, *, now: datetime) -> Html:
    """A ballot that takes no more presses from this member: the vote is over, or they
    voted (which option is never shown: the phone may be seen by others)."""
    if vote.status != VoteStatus.OPEN or now >= vote.closes_at:
        return t(lang, "vote_ballot_over", question=vote.question, id=vote.id or 0)
    closes = vote.closes_at.astimezone(zone).strftime("%m-%d %H:%M")
    return t(lang, "vote_ballot_cast", question=vote.question, closes=closes)


def preview(draft: VoteDraft, lang: Lang, zone: ZoneInfo) -> tuple[Html, Keyboard]:
    """What the cadre confirms before the ballots go out."""
    scope = "、".join(draft.departments) if draft.departments else t(lang, "word_all_departments")
    text = t(
        lang,
        "vote_preview",
        question=draft.question,
        options="、".join(draft.options),
        scope=scope,
        closes=draft.closes_at.astimezone(zone).strftime("%Y-%m-%d %H:%M"),
        quorum=(
            f"{draft.quorum_percent}%"
            if draft.quorum_percent is not None
            else t(lang, "vote_quorum_none")
        ),
    )
    keyboard = Keyboard.of(
        [
            [
                Button(t(lang, "btn_vote_create"), NewVotePress(NewVoteChoice.CREATE)),
                Button(t(lang, "btn_notice_cancel"), NewVotePress(NewVoteChoice.DROP)),
            ]
        ]
    )
    return text, keyboard


def standing_keyboard(vote: Vote, lang: Lang, role: Role) -> Keyboard:
    """Under an open vote's turnout: 结束投票 for those the table lets close it."""
    if VoteAction.CLOSE not in VOTE_STATES.available(vote.status, role):
        return Keyboard(())
    return Keyboard.column([Button(t(lang, "btn_vote_close"), ClosePress(vote.id or 0))])


def too_few_to_show(turnout: int, least: int) -> bool:
    """One or two ballots' counts would show how those voters voted: the secret ballot keeps
    them to itself, as the open board does (`[open] min_count`)."""
    return Count.of(turnout, least).hidden


def results_text(
    vote: Vote, counts: list[int], turnout: int, electorate: int, lang: Lang, *, least: int
) -> Html:
    lines = [
        t(lang, "vote_results_head", question=vote.question, turnout=turnout, electorate=electorate)
    ]
    total = sum(counts) or 1
    if too_few_to_show(turnout, least):
        lines.append(t(lang, "vote_results_hidden", least=least))
    else:
        lines += [
            t(lang, "vote_results_line", option=o, count=c, percent=round(100 * c / total))
            for o, c in zip(vote.options, counts, strict=True)
        ]
    if vote.quorum_percent is not None:
        met = electorate and turnout * 100 >= vote.quorum_percent * electorate
        key = "vote_quorum_met" if met else "vote_quorum_missed"
        lines.append(t(lang, key, quorum=vote.quorum_percent))
    return Html("\n".join(lines))
