"""The bot speaks like a person: small talk is answered warmly with the main tasks (real
questions still go to the rights search), 「算了不想说了」 inside a form offers to drop it in
the form's own language, a question handed to the union is a 咨询 to the member, and a
private command sent in a group answers with a deep link that opens it privately."""

from __future__ import annotations

import pytest

from bot.core.small_talk import QuitPress
from bot.emulator import SentMessage
from storage import dialogs
from tests.e2e.catalogue import label, said, says
from tests.e2e.conftest import ADMIN
from tests.e2e.flows import appoint, register
from tests.e2e.harness import Harness

pytestmark = pytest.mark.e2e
CADRE, WANG, AMY, GUEST = 72_001, 72_002, 72_003, 72_004
TASK_KEYS = ("btn_task_ask", "btn_task_report", "btn_task_activities", "btn_task_profile")


def _labels(message: SentMessage) -> list[str]:
    return [text for text, _ in message.buttons()]


async def test_small_talk_gets_a_warm_answer_and_the_main_tasks(harness: Harness) -> None:
    h = harness
    await register(h, WANG, "王小明")
    await register(h, AMY, "Amy", language="English", language_code="en")
    cases = {
        "你好": "chat_hello",
        "您好！": "chat_hello",
        "谢谢": "chat_thanks",
        "谢谢你啊": "chat_thanks",
        "在吗": "chat_there",
        "在吗？": "chat_there",
        "早上好": "chat_morning",
        "hi": "chat_hello",
        "thanks": "chat_thanks",
    }
    for text, key in cases.items():
        [reply] = await h.send(WANG, text)
        assert says(reply, key), (text, reply.text)
        assert not says(reply, "idle_hint") and not says(reply, "kb_not_rights")
        assert all(label(k) in _labels(reply) for k in TASK_KEYS), _labels(reply)
    # In the member's language.
    [hello] = await h.send(AMY, "你好")
    assert says(hello, "chat_hello", "en") and label("btn_task_profile", "en") in _labels(hello)
    # 「我的资料」 opens the profile.
    [greeting] = await h.send(WANG, "你好")
    [profile], _ = await h.press_label(WANG, greeting, label("btn_task_profile"))
    assert "王小明" in profile.text and "一车间" in profile.text
    # A real rights question, greeting and all, still goes to the rights search.
    [answer] = await h.send(WANG, "你好，加班费怎么算")
    assert says(answer, "kb_citations") and "《劳动法》第四十四条" in answer.text


async def test_giving_up_in_a_form_offers_to_cancel_in_the_forms_language(
    harness: Harness,
) -> None:
    h = harness
    await register(h, WANG, "王小明")
    await h.send(WANG, "/report")
    # At a button step: an offer to stop, not 「请点击上面的按钮选择」.
    [offer] = await h.send(WANG, "算了不想说了")
    assert says(offer, "quit_offer") and not says(offer, "use_buttons")
    assert _labels(offer) == [label("btn_quit_yes"), label("btn_quit_no")]
    # Carrying on keeps the form where it was.
    await h.press_label(WANG, offer, label("btn_quit_no"))
    assert says(h.current(offer), "quit_kept") and not h.current(offer).buttons()
    async with h.db.read() as session:
        assert (await dialogs.get(session, WANG)) is not None
    # In the details step too; this time it is dropped, as /cancel drops it.
    await h.press_label(WANG, h.emu.chat_messages(WANG)[-2], "工资待遇")
    [offer] = await h.send(WANG, "不弄了")
    await h.press_label(WANG, offer, label("btn_quit_yes"))
    assert says(h.current(offer), "cancel_report")
    async with h.db.read() as session:
        assert (await dialogs.get(session, WANG)) is None
    # The stale offer does nothing more.
    _, stale = await h.press(WANG, offer, QuitPress(flow="report", confirm=True).pack())
    assert says(stale["text"], "button_expired")
    # Details that merely contain 算了 stay details.
    await h.send(WANG, "/report")
    await h.press_label(WANG, h.emu.last(WANG), "工资待遇")
    [noted] = await h.send(WANG, "我算了一下，上个月加班费少发了三百块")
    assert says(noted, "report_noted")
    # Prompts where nothing is being edited say 「可以放弃」, not 「放弃修改」.
    [prompt] = await h.send(WANG, "/suggest")
    assert says(prompt, "cancel_hint") and "放弃修改" not in prompt.text


async def test_registration_speaks_its_own_language_when_telegrams_changes(
    harness: Harness,
) -> None:
    """A guest who started registering in Chinese, whose Telegram language then reads English
    (the sandbox's switch does this), is still asked and answered in Chinese."""
    h = harness
    h.emu.user(GUEST, "小王", language_code="zh-hans")
    await h.send(GUEST, "/start")
    await h.send(GUEST, "小王")
    h.emu.users[GUEST]["language_code"] = "en"
    [offer] = await h.send(GUEST, "算了不想说了")
    assert says(offer, "quit_offer") and _labels(offer) == [
        label("btn_quit_yes"),
        label("btn_quit_no"),
    ]
    await h.press_label(GUEST, offer, label("btn_quit_yes"))
    assert says(h.current(offer), "cancel_registration")


async def _consultation(h: Harness) -> int:
    """王 hands a question to the union; returns the consultation's number."""
    [unsure] = await h.send(WANG, "公司的规定我不认同")
    [preview], _ = await h.press_label(WANG, unsure, label("btn_kb_handoff"))
    replies, _ = await h.press_label(WANG, preview, label("btn_kb_send_named"))
    sent = said([m for m in replies if m.chat_id == WANG], "kb_handoff_sent")
    return int(sent.text.split("#")[1].split("）")[0])


async def test_a_handed_over_question_is_a_consultation_to_the_member(harness: Harness) -> None:
    h = harness
    await register(h, ADMIN, "周主席", username="chair_zhou")
    await register(h, CADRE, "陈干事", username="chen_cadre")
    await appoint(h, "@chen_cadre")
    await register(h, WANG, "王小明")
    case_id = await _consultation(h)
    await h.drain()
    [desk] = await h.send(CADRE, "/cases")
    [view], _ = await h.press_label(CADRE, desk, f"#{case_id} ")
    await h.press_label(CADRE, view, label("btn_act_ack"))
    await h.press_label(CADRE, h.current(view), label("btn_act_reply"))
    await h.send(CADRE, "规章制度要经过民主程序制定，工会可以帮你看看。")
    await h.drain()
    told = [m for m in h.emu.chat_messages(WANG) if f"#{case_id}" in m.text]
    assert any(says(m, "consult_told_ack", id=case_id) for m in told)
    assert any(says(m, "consult_told_reply", id=case_id) for m in told)
    assert all("案件" not in m.text for m in told), [m.text for m in told]
    # Their own list and the consultation itself say 咨询 too.
    [mine] = await h.send(WANG, "/mycases")
    assert all("案件" not in text for text in _labels(mine))
    [opened], _ = await h.press_label(WANG, mine, f"#{case_id}")
    assert says(opened, "consult_header", id=case_id) and "案件" not in opened.text


async def test_report_in_a_group_links_to_the_private_chat_and_the_link_opens_it(
    harness: Harness,
) -> None:
    h = harness
    await register(h, CADRE, "陈干事", username="chen_cadre")
    await register(h, WANG, "王小明")
    h.emu.user(ADMIN, "管理员")
    await appoint(h, "@chen_cadre")
    group = h.emu.group("一车间群", members=[CADRE, WANG])
    h.emu.add_bot_to_group(group, CADRE)
    await h.settle()
    [note] = await h.send(WANG, "/report", chat_id=group)
    assert note.chat_id == group and says(note, "private_only")
    [(text, url)] = [
        (b["text"], b.get("url")) for row in note.reply_markup["inline_keyboard"] for b in row
    ]
    assert text == label("private_open") and url is not None and url.endswith("?start=report")
    # The link opens the private chat with /start report: the report form starts.
    [form] = await h.send(WANG, "/start report")
    assert form.chat_id == WANG and says(form, "report_ask_category")
    assert "工资待遇" in _labels(form)


async def test_help_is_grouped_by_task_and_the_menus_are_short(harness: Harness) -> None:
    h = harness
    await register(h, ADMIN, "周主席", username="chair_zhou")
    await register(h, CADRE, "陈干事", username="chen_cadre")
    await appoint(h, "@chen_cadre")
    await register(h, WANG, "王小明")
    [chair] = await h.send(ADMIN, "/help")
    headings = [
        label(key)
        for key in (
            "help_sec_notices",
            "help_sec_cases",
            "help_sec_activities",
            "help_sec_care",
            "help_sec_votes",
            "help_sec_kb",
            "help_sec_admin",
        )
    ]
    found = [chair.text.index(heading) for heading in headings]
    assert found == sorted(found)  # 通知, 案件, 活动, 关怀, 投票, 知识库, 管理, in that order
    commands = [line.split(" ")[0] for line in chair.text.splitlines() if line.startswith("/")]
    assert len(commands) == len(set(commands)) >= 30  # every command, once, one line each
    assert {"/notice", "/cases", "/newactivity", "/carestats", "/newvote", "/kb", "/cadre"} <= set(
        commands
    )
    notices = chair.text.split(label("help_sec_notices"))[1].split("\n\n")[0]
    assert "/receipts" in notices and "/cases" not in notices
    # A member's /help has their tasks only, and never calls their problem a 案件.
    [member] = await h.send(WANG, "/help")
    assert label("help_sec_report") in member.text and label("help_sec_cases") not in member.text
    assert "/cadre" not in member.text and "/notice" not in member.text
    # The menus: the few commands each role uses most.
    private = h.emu.commands[('{"type": "all_private_chats"}', "")]
    cadre = h.emu.commands[(f'{{"chat_id": {CADRE}, "type": "chat"}}', "")]
    assert len(private) <= 7 and "ask" in [c["command"] for c in private]
    assert len(cadre) <= 8 and "notice" in [c["command"] for c in cadre]
