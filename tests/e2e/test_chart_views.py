"""The charts the bot sends in chat, as a phone gets them: 780 px wide (a 390-px bubble at
2x), drawn without a missing glyph, and a caption that adds to the chart's own title."""

from __future__ import annotations

import struct
import warnings
from datetime import timedelta

import pytest

from bot.cases.identity import Identity
from bot.emulator import SentMessage
from tests.e2e.catalogue import label, says
from tests.e2e.harness import Harness
from tests.e2e.test_case_views import _stats
from tests.e2e.test_cases import CADRE, LI, WANG, _people, _report
from tests.e2e.test_votes import CADRE as VOTE_CADRE
from tests.e2e.test_votes import TEMPLATE, _ballots, _setup, _vote_id

pytestmark = pytest.mark.e2e


def _width(chart: SentMessage) -> int:
    assert chart.file_bytes is not None and chart.file_bytes.startswith(b"\x89PNG")
    return int(struct.unpack(">I", chart.file_bytes[16:20])[0])


async def test_the_case_chart_fits_a_phone(harness: Harness) -> None:
    h = harness
    await _people(h)
    await _report(h, WANG, "加班费没有发。", Identity.NAMED)
    await _report(h, LI, "宿舍热水器坏了。", Identity.NAMED)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        _, chart, _ = await _stats(h, CADRE)
    assert not [w for w in caught if "missing from font" in str(w.message)]
    assert _width(chart) == 780
    assert chart.text != label("stats_chart_title")


async def test_the_vote_chart_fits_a_phone(harness: Harness) -> None:
    h = harness
    people = await _setup(h)
    await h.send(VOTE_CADRE, "/newvote")
    [preview] = await h.send(VOTE_CADRE, TEMPLATE)
    await h.press_key(VOTE_CADRE, preview, "btn_vote_create")
    await h.drain()
    ballots = _ballots(h, people[:3])  # three: fewer would keep the counts secret
    vote_id = await _vote_id(h)
    for voter, option in zip(people[:3], ("同意", "不同意", "同意"), strict=True):
        await h.press_label(voter, ballots[voter], option)
    h.clock.advance(timedelta(days=2))
    await h.tick()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        sent = await h.send(people[0], f"/voteresults {vote_id}")
    assert not [w for w in caught if "missing from font" in str(w.message)]
    chart = next(m for m in sent if m.kind == "photo")
    assert _width(chart) == 780
    assert says(next(m for m in sent if m.kind == "text"), "vote_results_head")
