"""The console (工会工作台) in Debian's Chromium, at a phone's 390×844 and a desktop's 1280×800,
on the whole sandbox: the real bot, the emulator and the demo union.

On a phone the cadre opens it as a Mini App from the chat's menu button (launch data signed
for them); on a desktop with the one-time login link /console gives. A notice composed there
is confirmed in the chat and the receipts board moves; a reply to an anonymous case reaches
its reporter in the chat and no answer the page received names them; the chair approves a
visit over its cap; a roster import shows its two bad rows and writes nothing until
confirmed. Screenshots of every page at phone width go to the test's tmp dir (one to
docs/console.png for the README)."""

from __future__ import annotations

import asyncio
import os
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from bot.emulator import SentMessage
from bot.sandbox.demo import CADRE, CHAIR, FIRST_MEMBER
from bot.sandbox.runner import Sandbox
from storage import members
from tests.e2e.test_sandbox_browser import _chromium

playwright = pytest.importorskip("playwright.async_api", reason="Playwright is a dev dependency")
pytestmark = [pytest.mark.e2e, pytest.mark.timeout(300)]
WAIT_MS = 15_000
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
VIEWPORTS = [pytest.param(PHONE, id="phone"), pytest.param(DESKTOP, id="desktop")]
DOCS_SHOT = Path(__file__).resolve().parents[2] / "docs" / "console.png"


async def _bot_says(sandbox: Sandbox, chat_id: int, pattern: str, *, after: int = 0) -> SentMessage:
    """The newest message the bot sent to this chat matching `pattern`, among those after the
    first `after` (waiting for it)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + WAIT_MS / 1000
    while True:
        for sent in reversed(sandbox.emu.chat_messages(chat_id)[after:]):
            current = sandbox.emu.messages[(sent.chat_id, sent.message_id)]
            if re.search(pattern, current.text):
                return current
        if loop.time() > deadline:
            texts = [m.text[:60] for m in sandbox.emu.chat_messages(chat_id)]
            raise AssertionError(f"no message like {pattern!r} in {chat_id}: {texts}")
        await sandbox.emu.wait_changed(0.2)


async def _open(
    sandbox: Sandbox,
    browser: Any,
    viewport: dict[str, int],
    who: int,
    bodies: list[str] | None = None,
) -> Any:
    """A page with the console open as `who`: on a phone as the Mini App Telegram opens,
    on a desktop through the one-time login link /console gives. The API's answers are
    kept in `bodies` when given."""
    page = await browser.new_page(viewport=viewport)
    if bodies is not None:
        _collect(page, bodies)
    console = sandbox.app.deps.config.console  # type: ignore[union-attr]
    if viewport is PHONE:
        reply = await _signed(sandbox, who, console.public_url)
        await page.goto(reply)
    else:
        before = len(sandbox.emu.chat_messages(who))
        sandbox.emu.send_text(who, "/console")
        sent = await _bot_says(sandbox, who, r"login\?token=", after=before)
        link = re.search(r"https?://\S+login\?token=\S+", sent.text)
        assert link is not None
        await page.goto(link.group(0))
    await playwright.expect(page.locator("#tabs")).to_contain_text("案件", timeout=WAIT_MS)
    return page


async def _signed(sandbox: Sandbox, who: int, url: str) -> str:
    """The Mini App's address with launch data signed for `who`, as the sandbox page gets it."""
    import aiohttp

    async with (
        aiohttp.ClientSession() as http,
        http.post(sandbox.url + "api/webapp", json={"user": who, "url": url}) as reply,
    ):
        return str((await reply.json())["url"])


async def _launch(driver: Any) -> Any:
    return await driver.chromium.launch(executable_path=_chromium(), args=["--no-sandbox"])


@pytest.mark.parametrize("viewport", VIEWPORTS)
async def test_a_notice_from_the_console_and_its_receipts(
    sandbox: Sandbox, viewport: dict[str, int]
) -> None:
    text = "明天上午十点全厂安全生产大检查，请各班组提前整理好工位。"
    async with playwright.async_playwright() as driver:
        browser = await _launch(driver)
        page = await _open(sandbox, browser, viewport, CADRE)
        await page.click("text=通知")
        await page.fill("textarea[name=text]", text)
        await page.select_option("select[name=target]", "groups")
        await page.get_by_role("button", name="预览").click()
        preview = page.locator(".preview")
        await playwright.expect(preview).to_contain_text("安全生产大检查", timeout=WAIT_MS)
        await playwright.expect(preview).to_contain_text("✅ 收到")  # the button members get
        await playwright.expect(preview).to_contain_text("一车间")  # reach per department
        await playwright.expect(preview).to_contain_text("没有绑定车间群")  # 质检部
        await page.get_by_role("button", name="确认发送").click()
        board = page.locator("#receipt-total")
        await playwright.expect(board).to_contain_text("已确认 0/", timeout=WAIT_MS)
        group = sandbox.demo.groups["一车间"]  # type: ignore[union-attr]
        post = await _bot_says(sandbox, group, "安全生产大检查")
        worker = FIRST_MEMBER  # 李娟, 一车间
        ack = post.reply_markup["inline_keyboard"][0][0]["callback_data"]  # type: ignore[index]
        sandbox.emu.press(worker, post, ack)
        await playwright.expect(board).to_contain_text("已确认 1/", timeout=WAIT_MS)
        await browser.close()


def _collect(page: Any, bodies: list[str]) -> None:
    """Keep every answer the page receives from the console's API, as text."""

    async def keep(response: Any) -> None:
        if "/console/api/" in response.url:
            try:
                bodies.append(await response.text())
            except Exception:  # an image or a closed page: nothing to read
                bodies.append("")

    page.on("response", lambda response: asyncio.ensure_future(keep(response)))


@pytest.mark.parametrize("viewport", VIEWPORTS)
async def test_a_reply_to_an_anonymous_case_reaches_the_reporter_unnamed(
    sandbox: Sandbox, viewport: dict[str, int]
) -> None:
    reporter = FIRST_MEMBER + 1  # 张伟 reported the night-shift overtime anonymously
    async with sandbox.db.read() as session:
        person = await members.get_by_telegram_id(session, reporter)
    assert person is not None and person.id is not None
    reply = "您好，工会已经向人力资源部核实，下个月会补发差额。"
    async with playwright.async_playwright() as driver:
        browser = await _launch(driver)
        bodies: list[str] = []
        page = await _open(sandbox, browser, viewport, CADRE, bodies)
        await page.click("text=案件")
        card = page.locator("a.case", has_text="匿名").first
        await card.click()
        await playwright.expect(page.locator("main")).to_contain_text("夜班", timeout=WAIT_MS)
        await page.get_by_role("button", name="回复", exact=True).click()
        await page.fill(".act textarea[name=text]", reply)
        await page.locator(".act button[type=submit]").click()
        thread = page.locator(".thread")
        await playwright.expect(thread).to_contain_text("下个月会补发差额", timeout=WAIT_MS)
        shown = await page.locator("main").inner_text()
        await asyncio.sleep(0.3)  # the last answer's body is read
        await browser.close()
    told = await _bot_says(sandbox, reporter, "下个月会补发差额")
    assert told.chat_id == reporter
    for needle in (person.name, str(reporter), person.username or person.name):
        assert needle not in shown
        assert all(needle not in body for body in bodies), needle
    assert len(bodies) >= 4 and all("reporter_member_id" not in body for body in bodies)
    # The chat desk shows the same step at once.
    before = len(sandbox.emu.chat_messages(CADRE))
    sandbox.emu.send_text(CADRE, "/cases")
    listing = await _bot_says(sandbox, CADRE, "案件收件箱", after=before)
    view = next(data for text, data in listing.buttons() if "工时加班" in text)
    before = len(sandbox.emu.chat_messages(CADRE))
    sandbox.emu.press(CADRE, listing, view)
    desk_card = await _bot_says(sandbox, CADRE, "下个月会补发差额", after=before)
    assert person.name not in desk_card.text


@pytest.mark.parametrize("viewport", VIEWPORTS)
async def test_the_chair_approves_a_visit_over_the_cap(
    sandbox: Sandbox, viewport: dict[str, int]
) -> None:
    async with playwright.async_playwright() as driver:
        browser = await _launch(driver)
        cadre = await _open(sandbox, browser, viewport, CADRE)
        await cadre.click("text=关怀与投票")
        main = cadre.locator("main")
        await playwright.expect(main).to_contain_text("800 元（标准 500 元）", timeout=WAIT_MS)
        await playwright.expect(main).to_contain_text("只有主席")
        assert await cadre.get_by_role("button", name="批准").count() == 0
        chair = await _open(sandbox, browser, viewport, CHAIR)
        await chair.click("text=关怀与投票")
        await chair.fill("input[name=reason]", "住院手术，家庭负担重，经工会委员会商议同意。")
        await chair.get_by_role("button", name="批准").click()
        await playwright.expect(chair.locator("main")).to_contain_text(
            "没有等待批准的慰问", timeout=WAIT_MS
        )
        await browser.close()
    told = await _bot_says(sandbox, CADRE, "超标准的慰问 800 元已获主席批准")
    assert "家庭负担重" in told.text


ROSTER = """姓名,部门,telegram,电话
郑小雨,一车间,@zheng_xiaoyu,13800001111
何大壮,火星车间,,13800002222
冯晓,二车间,,not-a-phone
蒋文,质检部,,13800003333
"""


@pytest.mark.parametrize("viewport", VIEWPORTS)
async def test_a_roster_import_shows_bad_rows_first_and_writes_only_when_confirmed(
    sandbox: Sandbox, viewport: dict[str, int], tmp_path: Path
) -> None:
    file = tmp_path / "roster.csv"
    file.write_text(ROSTER, encoding="utf-8-sig")

    async def people() -> int:
        async with sandbox.db.read() as session:
            return (await members.search(session, limit=1))[1]

    before = await people()
    async with playwright.async_playwright() as driver:
        browser = await _launch(driver)
        page = await _open(sandbox, browser, viewport, CHAIR)
        await page.click("text=名册")
        await page.set_input_files("input[type=file]", str(file))
        await page.get_by_role("button", name="检查文件").click()
        result = page.locator(".import-result")
        await playwright.expect(result).to_contain_text(
            "可以导入 2 行，有问题 2 行", timeout=WAIT_MS
        )
        await playwright.expect(result).to_contain_text("火星车间")
        await playwright.expect(result).to_contain_text("not-a-phone")
        assert await people() == before  # nothing written yet
        await page.get_by_role("button", name=re.compile("确认导入 2 行")).click()
        await playwright.expect(page.locator("#toast")).to_contain_text("新增 2", timeout=WAIT_MS)
        await browser.close()
    assert await people() == before + 2


async def test_every_page_at_phone_width_and_values_shown_as_text(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    """Screenshots of every page; a member named like an HTML tag is shown as text."""
    evil = "<img src=x onerror=alert(1)>"
    async with sandbox.db.begin() as session:
        await members.add(
            session, now=sandbox.clock.now(), name=evil, department="质检部", phone="=1+1"
        )
    alerts: list[str] = []
    async with playwright.async_playwright() as driver:
        browser = await _launch(driver)
        page = await _open(sandbox, browser, PHONE, CHAIR)
        page.on("dialog", lambda dialog: alerts.append(dialog.message))
        for number, (hash_, wait_for) in enumerate(
            [
                ("#dashboard", "本月概况"),
                ("#roster", "导入名册"),
                ("#notices", "最近的通知"),
                ("#notice/1", "已确认"),
                ("#cases", "待受理"),
                ("#case/1", "办理经过"),
                ("#activities", "发布新活动"),
                ("#activity/2", "报名名单"),
                ("#care", "等待主席批准"),
            ],
            start=1,
        ):
            await page.evaluate(f"location.hash = '{hash_}'")
            await playwright.expect(page.locator("main")).to_contain_text(wait_for, timeout=WAIT_MS)
            if hash_ == "#dashboard":
                await playwright.expect(page.locator(".chart img")).to_have_count(
                    5, timeout=WAIT_MS
                )
            await page.screenshot(
                path=tmp_path / f"{number:02d}-{hash_[1:].replace('/', '-')}.png", full_page=True
            )
            if hash_ == "#dashboard" and os.environ.get("UNIONBRIDGE_UPDATE_DOCS"):
                # Refreshing the README's picture is deliberate, not a side effect of CI.
                shutil.copy(tmp_path / f"{number:02d}-dashboard.png", DOCS_SHOT)
        await page.evaluate("location.hash = '#roster'")
        await page.fill("input[name=q]", "img")
        await page.get_by_role("button", name="搜索", exact=True).click()
        await playwright.expect(page.locator("table.people")).to_contain_text(evil, timeout=WAIT_MS)
        assert await page.locator("main img[src=x]").count() == 0
        await browser.close()
    assert alerts == []
    assert len(sorted(path.name for path in tmp_path.iterdir())) == 9  # noqa: ASYNC240


async def test_a_persona_opens_the_console_from_the_chat_page(sandbox: Sandbox) -> None:
    """The cadre's private chat has the console's menu button; it opens over the chat as the
    Mini App, signed for the persona; the young worker has no such button."""
    async with playwright.async_playwright() as driver:
        browser = await _launch(driver)
        page = await browser.new_page(viewport=PHONE)
        await page.goto(sandbox.url)
        await playwright.expect(page.locator("#persona")).to_contain_text("陈干事")
        await playwright.expect(page.locator("#menuapp")).to_be_hidden()  # 小王 first
        await page.select_option("#persona", str(CADRE))
        menu = page.locator("#menuapp")
        await playwright.expect(menu).to_be_visible(timeout=WAIT_MS)
        await menu.click()
        app = page.frame_locator("#miniapp-frame")
        await playwright.expect(app.locator("#title")).to_contain_text("陈干事", timeout=WAIT_MS)
        await playwright.expect(app.locator("#tabs")).to_contain_text("案件")
        await browser.close()
