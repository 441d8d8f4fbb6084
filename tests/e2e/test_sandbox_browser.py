"""The sandbox in a real headless Chromium (Debian's, driven by Playwright): a worker
registers, asks a rights question and signs up in the group; a cadre sends a notice that
needs confirming; the worker confirms; the cadre sees the count change; a clock jump brings
the birthday greeting. Screenshots go to the test's tmp dir."""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.sandbox.demo import CADRE, WORKER
from bot.sandbox.runner import Sandbox

playwright = pytest.importorskip("playwright.async_api", reason="Playwright is a dev dependency")
pytestmark = [pytest.mark.e2e, pytest.mark.timeout(300)]
WAIT_MS = 15_000


def _chromium() -> str:
    """Debian's chromium, installed with apt-get when missing and we may; else skip."""
    found = shutil.which("chromium")
    if found is None and os.geteuid() == 0 and shutil.which("apt-get"):
        for command in (
            ["apt-get", "install", "-y", "--no-install-recommends", "chromium"],
            ["apt-get", "update"],
            ["apt-get", "install", "-y", "--no-install-recommends", "chromium"],
        ):
            subprocess.run(command, capture_output=True, timeout=900, check=False)
            if shutil.which("chromium"):
                break
        found = shutil.which("chromium")
    if found is None:
        pytest.skip(
            "Debian's chromium is not installed and could not be installed here "
            "(needs root and apt-get with a reachable package mirror)"
        )
    return found


class Visitor:
    """One browser tab on the sandbox page, acting as whichever persona it has picked."""

    def __init__(self, page: Any, shots: Path) -> None:
        self.page = page
        self.messages = page.locator("#messages")
        self.shots = shots
        self.taken = 0

    async def send(self, text: str) -> None:
        await self.page.fill("#text", text)
        await self.page.press("#text", "Enter")

    async def see(self, text: str) -> None:
        await playwright.expect(self.messages).to_contain_text(text, timeout=WAIT_MS)

    async def tap(self, label: str) -> None:
        await self.page.get_by_role("button", name=label, exact=True).last.click()

    async def be(self, persona: int, chat: str) -> None:
        """Switch, then wait until that person's view of that chat is drawn: a tap before
        it would land on whatever the previous view had under the pointer."""
        await self.page.select_option("#persona", str(persona))
        await self.page.select_option("#chat", label=chat)
        view = f"{persona}:{await self.page.input_value('#chat')}"
        drawn = self.page.locator(f'#messages[data-view="{view}"]')
        await playwright.expect(drawn).to_have_count(1, timeout=WAIT_MS)

    async def shot(self, name: str) -> None:
        await self.page.evaluate("document.fonts.ready")
        self.taken += 1
        await self.page.screenshot(path=self.shots / f"{self.taken:02d}-{name}.png")


async def _register(me: Visitor, birthday: date) -> None:
    await me.send("/start")
    await me.see("欢迎来到东风机械厂工会的工会桥")
    await me.send("王小明")
    await me.tap("一车间")
    await me.send(birthday.isoformat())
    await me.tap("可以")
    await me.see("显示你的年龄")
    await me.tap("显示年龄")
    await me.tap("中文")
    await me.tap("✅ 确认")
    await me.see("登记完成，王小明")
    await me.shot("registered")


async def _ask_and_sign_up(me: Visitor) -> None:
    await me.send("加班费怎么算")
    await me.see("《劳动法》第四十四条")
    await me.shot("rights-answer")
    await me.be(WORKER, "一车间工友群")
    await me.see("篮球友谊赛")
    await me.tap("报名")
    await me.see("已报名 1/10")
    await me.shot("signed-up")


async def _notice_confirmed(me: Visitor) -> None:
    await me.be(CADRE, "工会桥")
    await me.send("/notice")
    await me.see("请发送通知内容")
    await me.send("本周六上午 9 点全厂消防演练，请各车间准时到东门集合。")
    for label in ("所有车间群", "需要确认", "不置顶", "立即发送", "✅ 确认发送"):
        await me.tap(label)
    await me.be(CADRE, "一车间工友群")
    await me.see("消防演练")
    await me.see("已确认 0/")
    await me.shot("notice-in-group")
    await me.be(WORKER, "一车间工友群")
    await me.tap("✅ 收到")
    await me.be(CADRE, "一车间工友群")
    await me.see("已确认 1/")
    await me.shot("receipt-counted")


async def _birthday_morning(me: Visitor) -> None:
    clock = me.page.locator("#clock")
    await me.be(WORKER, "工会桥")
    await me.page.click("#jump")
    await playwright.expect(clock).to_contain_text("07:59", timeout=WAIT_MS)
    await me.page.click("#plus1m")
    await playwright.expect(clock).to_contain_text("08:0", timeout=WAIT_MS)
    await me.see("王小明，生日快乐")
    await me.shot("birthday-greeting")


def _screenshots(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.glob("*.png"))


async def test_a_visit_to_the_sandbox(sandbox: Sandbox, tmp_path: Path) -> None:
    executable = _chromium()
    zone = sandbox.app.deps.config.union.zone  # type: ignore[union-attr]
    tomorrow = (sandbox.clock.now().astimezone(zone) + timedelta(days=1)).date()
    async with playwright.async_playwright() as driver:
        browser = await driver.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        page = await browser.new_page(viewport={"width": 420, "height": 860})
        await page.goto(sandbox.url)
        await playwright.expect(page.locator("#persona")).to_contain_text("小王")
        me = Visitor(page, tmp_path)
        await _register(me, tomorrow.replace(year=2000))
        await _ask_and_sign_up(me)
        await _notice_confirmed(me)
        await _birthday_morning(me)
        await page.click("#lang")  # the English switch
        await playwright.expect(page.locator("#send")).to_have_text("Send")
        await browser.close()
    assert len(_screenshots(tmp_path)) == 6
