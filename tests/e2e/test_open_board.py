"""The open board (公开栏): /open for members in private and in bound groups, 公示 items a
cadre puts up and takes down, and the opt-in monthly post — once a month, with no name."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import aiohttp
import pytest

from bot.clock import ManualClock
from bot.config import OpenConfig
from bot.emulator import EmulatorServer, SentMessage
from bot.openboard.items import add_item
from bot.openboard.monthly import monthly_post
from bot.sandbox.demo import CADRE as SANDBOX_CADRE
from bot.sandbox.demo import OPEN_ITEM
from bot.sandbox.runner import Sandbox
from storage import cases, members, visits, votes
from storage.db import Database
from storage.models import Member
from storage.statuses import (
    CaseActor,
    CaseEntryAction,
    CaseKind,
    CaseStatus,
    VisitStatus,
    VoteStatus,
)
from tests.e2e.catalogue import label, says
from tests.e2e.conftest import ADMIN
from tests.e2e.flows import appoint, register
from tests.e2e.harness import Harness, harness_config

pytestmark = pytest.mark.e2e
CADRE, WANG, LI, TOM = 96_001, 96_002, 96_003, 96_004
PEOPLE = {ADMIN: "周主席", CADRE: "陈干事", WANG: "王小明", LI: "李华"}
USERNAMES = {ADMIN: "chair_zhou", CADRE: "chen_cadre", WANG: "wang_xm", LI: "li_hua"}
SECRET_CODE = "QX7R2KPA"  # the anonymous reporter's receipt code


async def _people(h: Harness) -> int:
    for user, name in PEOPLE.items():
        await register(h, user, name, username=USERNAMES[user])
    await appoint(h, "@chen_cadre")
    group = h.emu.group("一车间群", members=[CADRE, WANG, LI])
    h.emu.add_bot_to_group(group, CADRE)
    await h.settle()
    await h.send(CADRE, "/bindgroup 一车间", chat_id=group)
    return group


async def _member(h: Harness, telegram_id: int) -> Member:
    async with h.db.read() as session:
        found = await members.get_by_telegram_id(session, telegram_id)
    assert found is not None and found.id is not None
    return found


class _Seed:
    """Cases, visits, aid, suggestions and a vote written straight to the database: named
    reporters, an anonymous one with a receipt code, and an aid recipient."""

    def __init__(self, h: Harness) -> None:
        self.h, self.now, self.serial = h, h.clock.now(), 0

    async def case(self, reporter: Member, kind: CaseKind, category: str, **fields: object) -> int:
        self.serial += 1
        created = fields.pop("created_at", self.now - timedelta(days=30))
        assert isinstance(created, datetime)
        async with self.h.db.begin() as session:
            case = await cases.add(
                session,
                code=fields.pop("code", f"C{self.serial:07d}"),
                kind=kind,
                category=category,
                department=reporter.department,
                text=fields.pop("text", f"{reporter.name}反映的情况，电话 13812345678"),
                reporter_member_id=reporter.id,
                created_at=created,
                ack_due=created + timedelta(days=1),
                resolve_due=created + timedelta(days=7),
                **fields,
            )
        assert case.id is not None
        return case.id

    async def visit(
        self, case_id: int, amount: int, status: VisitStatus = VisitStatus.RECORDED
    ) -> None:
        async with self.h.db.begin() as session:
            await visits.add(session, case_id=case_id, amount=amount, status=status, at=self.now)

    async def entry(self, case_id: int, action: CaseEntryAction, text: str) -> None:
        async with self.h.db.begin() as session:
            await cases.add_entry(
                session,
                case_id=case_id,
                actor=CaseActor.CADRE,
                action=action,
                at=self.now,
                text=text,
            )

    async def vote(self, voters: list[Member]) -> None:
        async with self.h.db.begin() as session:
            vote = await votes.add(
                session,
                question="年货选哪一种",
                options=["大米", "食用油"],
                opens_at=self.now - timedelta(days=3),
                closes_at=self.now - timedelta(days=1),
                status=VoteStatus.CLOSED,
                created_by=CADRE,
                created_at=self.now - timedelta(days=3),
            )
            for index, voter in enumerate(voters):
                await votes.cast(
                    session, vote_id=vote.id or 0, member_id=voter.id or 0, option=index % 2
                )


async def _seed(h: Harness) -> None:
    seed = _Seed(h)
    wang, li = await _member(h, WANG), await _member(h, LI)
    created = seed.now - timedelta(days=20)
    for days in (2, 4, 6, None):  # 4 received, 3 resolved: median 4 days
        resolved = None if days is None else created + timedelta(days=days)
        status = CaseStatus.IN_PROGRESS if days is None else CaseStatus.RESOLVED
        await seed.case(
            wang,
            CaseKind.GRIEVANCE,
            "工资待遇",
            created_at=created,
            resolved_at=resolved,
            status=status,
        )
    # One anonymous report: its category shows 「<3」, never its code or its reporter.
    await seed.case(li, CaseKind.GRIEVANCE, "欺凌骚扰", anonymous=True, code=SECRET_CODE)
    for amount in (200, 200, 700):  # the 700 went over the cap, with the chair's approval
        status = VisitStatus.APPROVED if amount > 500 else VisitStatus.RECORDED
        await seed.visit(await seed.case(wang, CaseKind.LIFE_EVENT, "wedding"), amount, status)
    await seed.visit(await seed.case(li, CaseKind.LIFE_EVENT, "illness"), 300)
    aid = await seed.case(
        li, CaseKind.HARDSHIP, "困难帮扶", status=CaseStatus.APPROVED, resolved_at=seed.now
    )
    await seed.visit(await seed.case(li, CaseKind.LIFE_EVENT, "hardship"), 1500)
    await seed.entry(aid, CaseEntryAction.APPROVE, "李华家庭困难属实")
    declined = await seed.case(wang, CaseKind.SUGGESTION, "合理化建议", status=CaseStatus.DECLINED)
    await seed.entry(declined, CaseEntryAction.DECLINE, "王小明（wang_xm）你好：预算不够，明年再议")
    await seed.case(
        li, CaseKind.SUGGESTION, "合理化建议", status=CaseStatus.PUBLISHED, text="车间门口装饮水机"
    )
    await seed.vote([wang, li, await _member(h, CADRE), await _member(h, ADMIN)])


def _identifies(text: str) -> list[str]:
    """Whatever in the text points at a person: a name, a username, the receipt code, a
    Telegram id or a phone number."""
    secrets = [*PEOPLE.values(), *USERNAMES.values(), SECRET_CODE, "13812345678"]
    secrets += [str(user) for user in PEOPLE]
    return [secret for secret in secrets if secret in text]


def _board_checks(board: SentMessage) -> None:
    assert says(board, "open_title", year=2026)
    assert says(board, "open_case_line", category="工资待遇", received=4, resolved=3, days="4.0 天")
    assert says(board, "open_case_hidden", category="欺凌骚扰", count="<3")
    assert says(board, "open_care_line", kind=label("care_kind_wedding"), visits=3, spent=1100)
    assert says(board, "open_care_over_cap", count="<3")
    assert says(board, "open_care_hidden", kind=label("care_kind_illness"), visits="<3")
    assert says(board, "open_aid_hidden", count="<3")
    assert "1500" not in board.text and "300 元" not in board.text
    assert says(board, "open_suggestions_head", adopted=1, declined=1)
    assert says(board, "open_suggestion_declined", reason="＊＊（＊＊）你好：预算不够，明年再议")
    assert says(board, "open_suggestion_adopted_text", text="车间门口装饮水机")
    assert says(board, "open_vote_line", question="年货选哪一种", turnout=4, electorate=4)
    assert _identifies(board.text) == []


async def test_members_see_the_year_with_no_name_and_small_counts_masked(harness: Harness) -> None:
    h = harness
    group = await _people(h)
    await _seed(h)
    [board] = await h.send(WANG, "/open")
    _board_checks(board)
    assert board.buttons() == []  # a member gets no withdraw buttons
    [in_group] = await h.send(LI, "/open", chat_id=group)
    assert in_group.chat_id == group
    _board_checks(in_group)
    unbound = h.emu.group("闲聊群", members=[WANG])
    h.emu.add_bot_to_group(unbound, WANG)
    await h.settle()
    [refused] = await h.send(WANG, "/open", chat_id=unbound)
    assert says(refused, "open_group_unbound")
    await register(h, TOM, "Tom Lee", language="English", language_code="en")
    [english] = await h.send(TOM, "/open")
    assert says(english, "open_title", "en", year=2026)
    assert says(english, "open_case_hidden", "en", category="Bullying and harassment", count="<3")
    assert _identifies(english.text) == []


async def test_a_cadre_puts_up_and_takes_down_a_notice_a_member_cannot(harness: Harness) -> None:
    h = harness
    await _people(h)
    [refused] = await h.send(WANG, "/openadd")
    assert says(refused, "not_allowed")
    await h.send(CADRE, "/openadd")
    [cancelled] = await h.send(CADRE, "/cancel")
    assert says(cancelled, "cancel_open_add")
    [ask] = await h.send(CADRE, "/openadd")
    assert says(ask, "open_add_ask_text")
    [when] = await h.send(CADRE, "中秋福利发放名单公示：每位会员月饼一盒、水果一箱")
    assert says(when, "open_add_ask_until", example="12月1日")  # a week from today
    [past] = await h.send(CADRE, "2026-11-20")
    assert says(past, "open_add_past")
    [bad] = await h.send(CADRE, "过几天")
    assert says(bad, "open_add_bad_until")
    [done] = await h.send(CADRE, "7天")
    assert says(done, "open_added", end="2026-11-30")
    await h.send(CADRE, "/openadd")
    await h.send(CADRE, "食堂承包合同公示")
    await h.send(CADRE, "11月25日")  # through tomorrow
    [board] = await h.send(WANG, "/open")
    assert says(board, "open_item_line", text="中秋福利发放名单公示：每位会员月饼一盒、水果一箱")
    assert says(board, "open_item_line", start="2026-11-24", end="2026-11-30")
    assert "食堂承包合同公示" in board.text
    _, forged = await h.press(WANG, board, "obw:1")
    assert says(forged["text"], "not_allowed")
    [desk] = await h.send(CADRE, "/open")
    assert says(desk, "open_cadre_hint")
    sent, answers = await h.double_press(CADRE, desk, label("btn_open_withdraw", id=1))
    assert len([m for m in sent if says(m, "open_withdrawn", id=1)]) == 1  # taken down once
    assert says(answers[1].get("text") or "", "open_withdraw_gone")
    [after] = await h.send(WANG, "/open")
    assert "中秋福利" not in after.text and "食堂承包合同公示" in after.text
    h.clock.advance(timedelta(days=2))  # the second item's period is over
    [later] = await h.send(WANG, "/open")
    assert "食堂承包合同公示" not in later.text and not says(later, "open_items_head")
    async with h.db.begin() as session:  # five long items: the board passes 4096 characters
        for n in range(5):
            text = f"第{n}号公示：" + "名单" * 490
            await add_item(session, text=text, until=h.clock.now() + timedelta(days=3),
                           author=None, now=h.clock.now())  # fmt: skip
    pieces = await h.send(CADRE, "/open")
    assert len(pieces) >= 2 and all(len(p.text) <= 4096 for p in pieces)
    assert [p.buttons() != [] for p in pieces] == [False] * (len(pieces) - 1) + [True]


@pytest.fixture
async def monthly(
    server: EmulatorServer, db_url: str, clock: ManualClock
) -> AsyncIterator[Harness]:
    config = harness_config(server, db_url, admins=[ADMIN]).model_copy(
        update={"open": OpenConfig(monthly_post=True, post_day=1, post_time="09:00")}
    )
    running = Harness(server, config, clock)
    await running.start()
    yield running
    await running.stop()


async def test_the_monthly_post_goes_once_to_each_group_pinned(monthly: Harness) -> None:
    h = monthly
    group = await _people(h)
    other = h.emu.group("二车间群", members=[CADRE])
    h.emu.add_bot_to_group(other, CADRE)
    await h.settle()
    await h.send(CADRE, "/bindgroup 二车间", chat_id=other)
    await _seed(h)
    h.clock.set(datetime(2026, 12, 1, 0, 30, tzinfo=UTC))  # 08:30 in Shanghai: not yet
    await h.tick()
    await h.drain()
    assert not [m for m in h.emu.chat_messages(group) if says(m, "open_title")]
    h.clock.set(datetime(2026, 12, 1, 1, 0, tzinfo=UTC))  # 09:00
    # Two instances sharing the database run the job at once: one of them posts.
    second = Database(h.config.database.url)
    try:

        async def run(db: Database) -> int:
            async with db.begin() as session:
                return await monthly_post(session, now=h.clock.now(), config=h.config)

        assert sorted(await asyncio.gather(run(h.db), run(second))) == [0, 2]
    finally:
        await second.dispose()
    h.clock.advance(timedelta(hours=5))
    await h.tick()  # later the same day, and a rerun: nothing more
    await h.tick()
    await h.drain()
    for chat in (group, other):
        [post] = [m for m in h.emu.chat_messages(chat) if says(m, "open_title")]
        assert post.pinned and says(post, "open_post_footer")
        assert _identifies(post.text) == []
        assert says(post, "open_case_hidden", category="欺凌骚扰", count="<3")


async def test_the_sandbox_board_shows_a_notice(sandbox: Sandbox) -> None:
    url = sandbox.url
    async with aiohttp.ClientSession() as http:
        body = {"user": SANDBOX_CADRE, "chat": SANDBOX_CADRE, "text": "/open"}
        async with http.post(f"{url}api/send", json=body) as reply:
            assert reply.status == 200
        for _ in range(100):
            async with http.get(
                f"{url}api/chat", params={"user": SANDBOX_CADRE, "chat": SANDBOX_CADRE}
            ) as reply:
                messages = (await reply.json())["messages"]
            if any(OPEN_ITEM[:20] in m["html"] for m in messages):
                return
            await asyncio.sleep(0.05)
    raise AssertionError("the demo's 公示 item is not on the board")
