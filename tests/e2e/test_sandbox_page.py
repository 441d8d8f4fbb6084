"""The sandbox page on a phone (390 px wide, headless Chromium): Chinese inside <code> is
drawn with the page's CJK font, 「回到现在」 undoes a clock jump, the 「English」 switch makes
the demo personas read the bot in English, and the demo's locker case is a safety matter."""

from __future__ import annotations

import pytest

from bot.sandbox.demo import CADRE, WORKER
from bot.sandbox.runner import Sandbox
from storage import cases
from tests.e2e.test_sandbox_browser import WAIT_MS, Visitor, _chromium, playwright

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(300)]
CODE_FONTS = """() => [...document.querySelectorAll('#messages code')].map(
    (code) => [code.textContent, getComputedStyle(code).fontFamily])"""


async def test_the_sandbox_page_on_a_phone(sandbox: Sandbox, tmp_path: object) -> None:
    executable = _chromium()
    zone = sandbox.app.deps.config.union.zone  # type: ignore[union-attr]
    async with playwright.async_playwright() as driver:
        browser = await driver.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        page = await browser.new_page(viewport={"width": 390, "height": 844})
        await page.goto(sandbox.url)
        me = Visitor(page, tmp_path)  # type: ignore[arg-type]
        await me.be(WORKER, "工会桥")
        # The birthday question shows its examples in <code>: 农历八月十五 in the CJK font.
        await me.send("/start")
        await me.see("欢迎来到")
        await me.send("王小明")
        await me.tap("一车间")
        await me.see("农历八月十五")
        fonts = dict(await page.evaluate(CODE_FONTS))
        assert "Union Bridge CJK" in fonts["农历八月十五"], fonts
        assert await page.evaluate("document.documentElement.scrollWidth") <= 390
        await me.shot("code-at-phone-width")
        # 「回到现在」 after a jump to tomorrow morning.
        clock = page.locator("#clock")
        await page.click("#jump")
        await playwright.expect(clock).to_contain_text("07:59", timeout=WAIT_MS)
        await page.get_by_role("button", name="回到现在").click()
        today = sandbox.clock.now().astimezone(zone).date().isoformat()
        await playwright.expect(clock).to_contain_text(today, timeout=WAIT_MS)
        # The English switch: the registered cadre persona now reads the bot in English.
        await page.click("#lang")
        await playwright.expect(page.locator("#now")).to_have_text("Back to now")
        await playwright.expect(clock).not_to_contain_text("周", timeout=WAIT_MS)
        await me.be(CADRE, "Union Bridge")
        await me.send("/help")
        await me.see("Notices")
        await browser.close()


async def test_the_demo_locker_case_is_filed_under_safety(sandbox: Sandbox) -> None:
    async with sandbox.db.read() as session:
        found = await cases.inbox(session, statuses=cases.OPEN)
    [locker] = [case for case in found if "柜子的锁" in case.text]
    assert "安全" in locker.category and locker.category != "工资待遇"
