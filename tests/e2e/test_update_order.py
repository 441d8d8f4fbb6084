"""A burst of messages into a conversation is taken in the order it was typed, in one chat
and in many chats at once (updates are handled concurrently across chats)."""

from __future__ import annotations

import pytest

from tests.e2e.catalogue import label, says
from tests.e2e.flows import register
from tests.e2e.harness import Harness

pytestmark = pytest.mark.e2e
FIRST = 91_000
PEOPLE = 8
BURST = 6


async def test_bursts_keep_their_order_within_each_chat(harness: Harness) -> None:
    h = harness
    people = [FIRST + index for index in range(PEOPLE)]
    for person in people:
        await register(h, person, f"工友{person - FIRST}", birthday=None)
        [ask] = await h.send(person, "/report")
        await h.press_label(person, ask, "工资待遇")
    for number in range(BURST):  # every member types fast; nobody waits for an answer
        for person in people:
            h.emu.send_text(person, f"第{number}条")
    await h.settle()
    for person in people:
        noted = [m for m in h.emu.chat_messages(person) if says(m, "report_noted")]
        await h.press_label(person, noted[-1], label("btn_report_done"))
        await h.press_key(person, h.emu.last(person), "btn_named")
        text = h.emu.last(person).text
        positions = [text.index(f"第{number}条") for number in range(BURST)]
        assert positions == sorted(positions), (person, text)
