"""Secret-ballot votes: eligibility, one vote each, turnout not results, quorum, closing once
(by the clock or a cadre's press), and no link between a voter and a ballot anywhere in the
database."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import inspect
from sqlalchemy.engine import Connection
from sqlmodel import select

from bot.emulator import SentMessage
from storage import members, votes
from storage.models import Vote
from tests.e2e.catalogue import label, said, says
from tests.e2e.conftest import ADMIN
from tests.e2e.flows import appoint, register
from tests.e2e.harness import Harness

pytestmark = pytest.mark.e2e
CADRE = 90_001
TEMPLATE = """问题：是否同意调整夏季作息时间？
选项：同意、不同意、弃权
范围：一车间
开始：现在
结束：明天 18:00
法定人数：60"""


async def _setup(h: Harness, *, group: bool = False) -> list[int]:
    await register(h, CADRE, "陈干事", username="chen_cadre")
    h.emu.user(ADMIN, "管理员")
    await appoint(h, "@chen_cadre")
    if group:
        chat = h.emu.group("一车间群", members=[CADRE])
        h.emu.add_bot_to_group(chat, CADRE)
        await h.settle()
        await h.send(CADRE, "/bindgroup 一车间", chat_id=chat)
    people = []
    async with h.db.begin() as session:
        for n, department in enumerate(["一车间"] * 4 + ["二车间"]):
            member = await members.add(
                session,
                now=h.clock.now(),
                telegram_id=91_000 + n,
                name=f"选民{n}",
                department=department,
            )
            await members.mark_registered(session, member, now=h.clock.now())
            h.emu.user(91_000 + n, f"选民{n}")
            h.emu.open_private(91_000 + n)
            people.append(91_000 + n)
    return people


async def _preview(h: Harness) -> SentMessage:
    await h.send(CADRE, "/newvote")
    [preview] = await h.send(CADRE, TEMPLATE)
    assert says(preview, "vote_preview", scope="一车间")
    return preview


async def _opened(h: Harness) -> tuple[list[int], dict[int, SentMessage]]:
    """The members, and the ballots of the four in 一车间 once the cadre's vote is open."""
    people = await _setup(h)
    await h.press_key(CADRE, await _preview(h), "btn_vote_create")
    await h.drain()
    return people, _ballots(h, people[:4])


def _ballots(h: Harness, people: list[int]) -> dict[int, SentMessage]:
    return {t: m for t in people for m in h.emu.chat_messages(t) if says(m, "vote_ballot")}


async def _vote_id(h: Harness) -> int:
    async with h.db.read() as session:
        vote_id = (await session.exec(select(Vote))).one().id
    assert vote_id is not None
    return vote_id


def _results(h: Harness, chat: int) -> list[SentMessage]:
    return [m for m in h.emu.chat_messages(chat) if says(m, "vote_results_head")]


async def test_a_secret_ballot_from_start_to_result(harness: Harness) -> None:
    h = harness
    people = await _setup(h)
    await h.send(CADRE, "/newvote")
    [bad] = await h.send(CADRE, "问题：？\n选项：只有一个")
    assert says(bad, "vote_bad_options", line="选项") and says(bad, "vote_template")
    [preview] = await h.send(CADRE, TEMPLATE)
    await h.press_key(CADRE, preview, "btn_vote_create")
    assert says(h.current(preview), "vote_created")
    await h.drain()
    ballots = _ballots(h, people[:4])
    assert len(ballots) == 4
    assert _ballots(h, people[4:]) == {}  # 二车间: not entitled
    vote_id = await _vote_id(h)
    agree, disagree = (h.button_data(ballots[people[0]], option) for option in ("同意", "不同意"))
    _, first = await h.press(people[0], ballots[people[0]], agree)
    assert says(first["text"], "vote_cast")
    cast = h.current(ballots[people[0]])  # the ballot says it was cast, not how
    assert says(cast, "vote_ballot_cast") and cast.buttons() == []
    _, again = await h.press(people[0], ballots[people[0]], disagree)  # a second tap in flight
    assert says(again["text"], "vote_already")
    outsider = (await h.send(people[4], "/me"))[0]
    _, refused = await h.press(people[4], outsider, agree)
    assert says(refused["text"], "vote_not_eligible")
    assert h.current(outsider).text == outsider.text  # not theirs to settle: left as it was
    await h.press_label(people[1], ballots[people[1]], "同意")
    await h.press_label(people[2], ballots[people[2]], "不同意")
    [listing] = await h.send(people[3], "/votes")
    assert says(listing, "vote_open_line", turnout=3, electorate=5)
    assert "同意" not in listing.text.split("\n")[1]
    [early] = await h.send(people[3], f"/voteresults {vote_id}")
    assert says(early, "vote_still_open", turnout=3, electorate=5)
    assert early.buttons() == []  # members cannot close a vote
    h.clock.advance(timedelta(days=2))
    await h.tick()
    _, late = await h.press_label(people[3], ballots[people[3]], "同意")
    assert says(late["text"], "vote_closed")
    over = h.current(ballots[people[3]])
    assert says(over, "vote_ballot_over", id=vote_id) and over.buttons() == []
    sent = await h.send(people[3], f"/voteresults {vote_id}")
    text = next(m for m in sent if m.kind == "text")
    assert says(text, "vote_results_line", option="同意", count=2, percent=67)
    assert says(text, "vote_results_line", option="不同意", count=1, percent=33)
    assert says(text, "vote_results_head", turnout=3, electorate=5)
    assert says(text, "vote_quorum_met", quorum=60)  # 3 of the 5 (the cadre is in 一车间 too)
    chart = next(m for m in sent if m.kind == "photo")
    assert chart.file_bytes is not None and chart.file_bytes.startswith(b"\x89PNG")
    [unknown] = await h.send(people[3], "/voteresults 99")
    assert says(unknown, "vote_unknown")


async def test_votes_lists_a_ballot_to_cast_or_says_it_was_cast(harness: Harness) -> None:
    h = harness
    people, ballots = await _opened(h)
    await h.press_label(people[0], ballots[people[0]], "同意")
    [voted] = await h.send(people[0], "/votes")  # nothing left to press
    assert says(voted, "vote_open_line", turnout=1, electorate=5, closes="11-25 18:00")
    assert says(voted, "vote_open_cast") and voted.buttons() == []
    [to_cast] = await h.send(people[1], "/votes")
    assert says(to_cast, "vote_open_choose") and len(to_cast.buttons()) == 3
    await h.press_label(people[1], to_cast, "不同意")
    assert says(h.current(to_cast), "vote_ballot_cast")


async def test_a_closed_vote_keeps_the_electorate_it_closed_with(harness: Harness) -> None:
    h = harness
    people, ballots = await _opened(h)
    for voter in people[:3]:
        await h.press_label(voter, ballots[voter], "同意")
    vote_id = await _vote_id(h)
    h.clock.advance(timedelta(days=2))
    await h.tick()
    async with h.db.begin() as session:  # joined 一车间 after the vote closed
        for n in range(3):
            member = await members.add(
                session,
                now=h.clock.now(),
                telegram_id=92_000 + n,
                name=f"新人{n}",
                department="一车间",
            )
            await members.mark_registered(session, member, now=h.clock.now())
    sent = await h.send(people[0], f"/voteresults {vote_id}")
    text = next(m for m in sent if m.kind == "text")
    assert says(text, "vote_results_head", turnout=3, electorate=5)
    assert says(text, "vote_quorum_met", quorum=60)  # 3 of 8 now, but 3 of 5 when it closed


async def test_two_taps_on_start_send_each_ballot_once(harness: Harness) -> None:
    h = harness
    people = await _setup(h)
    preview = await _preview(h)
    _, answers = await h.double_press(CADRE, preview, label("btn_vote_create"))
    assert says(answers[1].get("text") or "", "button_expired")
    await h.drain()
    async with h.db.read() as session:
        assert len((await session.exec(select(Vote))).all()) == 1
    for user in [*people[:4], CADRE]:
        assert sum(says(m, "vote_ballot") for m in h.emu.chat_messages(user)) == 1, user


async def test_a_cadre_closes_a_vote_once_however_many_taps(harness: Harness) -> None:
    h = harness
    people = await _setup(h, group=True)
    group = next(c for c in h.emu.chats if c < 0)
    preview = await _preview(h)
    await h.press_key(CADRE, preview, "btn_vote_create")
    await h.drain()
    ballots = _ballots(h, people[:4])
    await h.press_label(people[0], ballots[people[0]], "同意")
    vote_id = await _vote_id(h)
    [standing] = await h.send(CADRE, f"/voteresults {vote_id}")
    assert says(standing, "vote_still_open", turnout=1)
    _, answers = await h.double_press(CADRE, standing, label("btn_vote_close"))
    assert says(answers[1]["text"], "vote_already_closed")  # told once that it closed
    assert says(h.current(standing), "vote_closed_done", id=vote_id, groups=1)
    # One ballot's count would show how that voter voted: not shown, to the cadre either.
    assert says(h.current(standing), "vote_results_hidden", least=3)
    assert "同意：1" not in h.current(standing).text
    await h.tick()  # its time is not up, and it is closed already: nothing more goes out
    h.clock.advance(timedelta(days=2))
    await h.tick()
    await h.drain()
    [posted] = _results(h, group)
    assert says(posted, "vote_results_hidden", least=3) and "（100%）" not in posted.text
    sent = await h.send(people[1], f"/voteresults {vote_id}")
    assert [m.kind for m in sent] == ["text"] and says(sent[0], "vote_results_hidden")  # no chart
    _, late = await h.press_label(people[1], ballots[people[1]], "同意")
    assert says(late["text"], "vote_closed")


async def test_the_clock_closes_a_vote_once(harness: Harness) -> None:
    h = harness
    await _setup(h, group=True)
    group = next(c for c in h.emu.chats if c < 0)
    await h.press_key(CADRE, await _preview(h), "btn_vote_create")
    h.clock.advance(timedelta(days=2))
    assert await h.tick() == 1
    assert await h.tick() == 0
    await h.drain()
    assert len(_results(h, group)) == 1


async def test_dropping_or_cancelling_a_vote_sends_nothing(harness: Harness) -> None:
    h = harness
    people = await _setup(h)
    preview = await _preview(h)
    await h.press_key(CADRE, preview, "btn_notice_cancel")
    assert says(h.current(preview), "vote_dropped")
    await h.send(CADRE, "/newvote")
    [cancelled] = await h.send(CADRE, "/cancel")
    assert says(cancelled, "cancel_newvote")
    await h.drain()
    assert _ballots(h, people) == {}
    [refused] = await h.send(people[0], "/newvote")
    assert says(refused, "not_allowed")


async def test_the_tables_cannot_tie_a_ballot_to_its_voter(harness: Harness) -> None:
    h = harness
    await _setup(h)
    async with h.db.begin() as session:
        vote = await votes.add(
            session,
            question="q",
            options=["a", "b"],
            opens_at=h.clock.now(),
            closes_at=h.clock.now() + timedelta(days=1),
            created_by=1,
            created_at=h.clock.now(),
        )

    def columns(connection: Connection, table: str) -> set[str]:
        return {c["name"] for c in inspect(connection).get_columns(table)}

    async with h.db.engine.connect() as connection:
        participation = await connection.run_sync(columns, "vote_participation")
        tally = await connection.run_sync(columns, "vote_tally")
    assert participation == {"vote_id", "member_id"}  # who voted: no option, no time
    assert tally == {"vote_id", "option", "count"}  # what was voted: counts, no member, no time
    assert vote.id is not None


async def test_voteresults_with_no_number_lists_the_recent_votes(harness: Harness) -> None:
    h = harness
    people = await _setup(h)
    assert said(await h.send(people[0], "/voteresults"), "vote_recent_none")
    await h.send(CADRE, "/newvote")
    [preview] = await h.send(CADRE, TEMPLATE)
    await h.press_key(CADRE, preview, "btn_vote_create")
    vote_id = await _vote_id(h)
    recent = said(await h.send(people[0], "/voteresults"), "vote_recent_head")
    assert says(recent, "vote_recent_line", id=vote_id, status=label("vote_status_open"))
    h.clock.advance(timedelta(days=2))
    await h.tick()
    closed = said(await h.send(people[0], "/voteresults"), "vote_recent_head")
    assert says(closed, "vote_recent_line", id=vote_id, status=label("vote_status_closed"))
