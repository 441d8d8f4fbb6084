"""Every chart the bot draws: legible on a phone (780 px wide for a 390-px bubble at 2x,
every label at least 24 px in the image), whole-number axes and a value on each bar, and
no glyph missing in Chinese or English (matplotlib's warning is an error here)."""

from __future__ import annotations

import re
import struct
import subprocess
import sys
import warnings
from collections.abc import Iterator

import pytest
from matplotlib import pyplot as plt
from matplotlib.text import Text

from bot.cases.stats import CaseStats, chart_png
from bot.core.charts import (
    CHAT_DPI,
    CHAT_WIDTH_PX,
    MIN_LABEL_PX,
    bar_chart,
    bars_svg,
    chart_font_path,
    draw_bars,
    wrap,
)

LABELS = ["工资待遇", "安全卫生", "劳动合同与社保（含补缴、转移接续）", "Pay and benefits"]
VALUES = [7, 3, 1, 12]


@pytest.fixture(autouse=True)
def _missing_glyphs_fail() -> Iterator[None]:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "Glyph 24037 (\\N{...}) missing from font(s) ..."
        yield


def _png_size(png: bytes) -> tuple[int, int]:
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = struct.unpack(">II", png[16:24])
    return int(width), int(height)


def test_the_chat_chart_is_780_px_wide() -> None:
    width, height = _png_size(bar_chart(LABELS, VALUES, title="办理中的案件（按类别）"))
    assert width == CHAT_WIDTH_PX and 300 <= height <= 2000


def test_every_label_reads_at_12_px_in_the_bubble() -> None:
    figure = draw_bars(LABELS, VALUES, title="今年职工疗休养去哪里？请大家投票选择一个地方")
    figure.canvas.draw()
    texts = [t for t in figure.findobj(Text) if t.get_visible() and t.get_text().strip()]
    assert texts
    for text in texts:
        assert float(text.get_fontsize()) * CHAT_DPI / 72 >= MIN_LABEL_PX, text.get_text()
    plt.close(figure)


def test_counts_have_whole_number_ticks_and_a_value_on_each_bar() -> None:
    figure = draw_bars(["甲", "乙"], [1, 2], title="投票")
    figure.canvas.draw()
    [axes] = figure.axes
    ticks = [float(t) for t in axes.get_xticks() if 0 <= t <= 2]
    assert ticks and all(t == int(t) for t in ticks)  # 0, 1, 2 — never 0.5
    shown = {t.get_text() for t in axes.texts}
    assert {"1", "2"} <= shown
    plt.close(figure)


def test_long_labels_wrap_instead_of_running_off() -> None:
    assert wrap("劳动合同与社保（含补缴、转移接续）", 20).count("\n") == 1
    assert wrap("Pay", 20) == "Pay"


def test_the_case_chart_with_nothing_open_draws() -> None:
    width, _ = _png_size(chart_png(CaseStats(), title="办理中的案件（按类别）", empty="暂无"))
    assert width == CHAT_WIDTH_PX


def test_the_console_svg_draws_chinese_at_a_readable_size() -> None:
    series = (("本月", (3.0, 5.0), "#c0392b"), ("上月", (2.0, 1.0), "#999999"))
    svg = bars_svg(("一车间", "质检部"), series, title="各部门慰问次数").decode()
    width = re.search(r'width="([\d.]+)pt"', svg)
    assert width is not None and float(width.group(1)) * 96 / 72 <= 400  # fits the 390-px column


def test_the_font_is_a_cjk_one() -> None:
    assert "cjk" in chart_font_path().name.lower()


def test_matplotlib_loads_only_when_a_chart_is_drawn() -> None:
    code = (
        "import sys, bot.core.charts, bot.cases.stats, handlers.votes.ballots, "
        "handlers.cases.stats; print('matplotlib' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
