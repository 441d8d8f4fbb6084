"""Secret-ballot votes: eligibility, one vote each, turnout not results, quorum, and no link
between a voter and a ballot anywhere in the database."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import inspect
from sqlalchemy.engine import Connection
from sqlmodel import select

from storage import members, votes
from storage.models import Vote
from tests.e2e.conftest import ADMIN
from tests.e2e.flows import register
from tests.e2e.harness import Harness

pytestmark = pytest.mark.e2e
CADRE = 90_001
TEMPLATE = """问题：是否同意调整夏季作息时间？
选项：同意、不同意、弃权
范围：一车间
开始：现在
结束：明天 18:00
法定人数：60"""


async def _setup(h: Harness) -> list[int]:
    await register(h, CADRE, "陈干事", username="chen_cadre")
    h.emu.user(ADMIN, "管理员")
    await h.send(ADMIN, "/cadre add @chen_cadre")
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


async def test_a_secret_ballot_from_start_to_result(harness: Harness) -> None:
    h = harness
    people = await _setup(h)
    await h.send(CADRE, "/newvote")
    [bad] = await h.send(CADRE, "问题：？\n选项：只有一个")
    assert "选项" in bad.text
    [preview] = await h.send(CADRE, TEMPLATE)
    await h.press(CADRE, preview, "vn:ok:1")
    await h.drain()
    ballots = {t: next(m for m in h.emu.chat_messages(t) if "🗳️" in m.text) for t in people[:4]}
    assert not any("🗳️" in m.text for m in h.emu.chat_messages(people[4]))  # 二车间: not entitled
    async with h.db.read() as session:
        vote_id = (await session.exec(select(Vote))).one().id
    _, first = await h.press(people[0], ballots[people[0]], f"vt:cast:{vote_id}:0")
    assert "已投票" in first["text"]
    _, again = await h.press(people[0], ballots[people[0]], f"vt:cast:{vote_id}:1")
    assert "只能投一次" in again["text"]
    outsider = (await h.send(people[4], "/me"))[0]
    _, refused = await h.press(people[4], outsider, f"vt:cast:{vote_id}:0")
    assert "不在这次投票的范围内" in refused["text"]
    await h.press(people[1], ballots[people[1]], f"vt:cast:{vote_id}:0")
    await h.press(people[2], ballots[people[2]], f"vt:cast:{vote_id}:1")
    [listing] = await h.send(people[3], "/votes")
    assert "已投票 3/5" in listing.text and "同意" not in listing.text.split("\n")[1]
    [early] = await h.send(people[3], f"/voteresults {vote_id}")
    assert "进行中" in early.text and "3/5" in early.text
    h.clock.advance(timedelta(days=2))
    await h.tick()
    _, late = await h.press(people[3], ballots[people[3]], f"vt:cast:{vote_id}:0")
    assert "已经结束" in late["text"]
    sent = await h.send(people[3], f"/voteresults {vote_id}")
    text = next(m for m in sent if m.kind == "text").text
    assert "同意：2 票（67%）" in text and "不同意：1 票（33%）" in text and "投票 3/5 人" in text
    assert "达到法定人数（60%）" in text  # 3 of the 5 entitled (the cadre is in 一车间 too)
    chart = next(m for m in sent if m.kind == "photo")
    assert chart.file_bytes is not None and chart.file_bytes.startswith(b"\x89PNG")


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
