"""Bar charts — PNG for the chat, SVG for the console — with Chinese labels drawn in a CJK
font chosen explicitly: Noto Sans CJK from the system when installed, else the copy a PyPI
package ships (mplfonts), so no machine draws boxes instead of characters.

A chat chart is 780 px wide: a phone shows a photo in a bubble about 390 px wide, at twice
the density, so every label (at least 24 px in the image) reads at 12 px or more there.
Counts get whole-number axes and each bar its value; the title is drawn in the image, so a
caption must add to it, not repeat it. matplotlib loads only when a chart is drawn."""

from __future__ import annotations

import io
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.figure import Figure

CHAT_WIDTH_PX = 780  # a 390-px chat bubble at 2x
CHAT_DPI = 156  # 5 inches wide
MIN_LABEL_PX = 24  # 12 px in the bubble
LABEL_PT = 12.0  # 26 px at CHAT_DPI
TITLE_PT = 14.0
TITLE_UNITS = 40  # a line of the title: about 20 Chinese characters
LABEL_UNITS = 16  # a bar's label: about 8 Chinese characters a line


def font_path() -> Path:
    """The CJK font file a PyPI package ships (served to browsers by the console and the
    sandbox; charts use it when the system has no Noto Sans CJK)."""
    import mplfonts  # the package's only job here: the Noto Sans CJK SC file it carries

    return Path(mplfonts.__file__).parent / "fonts" / "NotoSansCJKsc-Regular.otf"


@lru_cache(maxsize=1)
def chart_font_path() -> Path:
    """Noto Sans CJK from the system (fontconfig's usual places) when installed, else the
    packaged copy."""
    from matplotlib import font_manager

    for found in sorted(font_manager.findSystemFonts()):
        name = Path(found).name.lower()
        if name.startswith("notosanscjk") and "regular" in name:
            return Path(found)
    return font_path()


def _units(char: str) -> int:
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def wrap(text: str, units: int) -> str:
    """Break a label into lines of at most `units` (a Chinese character counts two)."""
    lines, line, used = [], "", 0
    for char in text:
        if used + _units(char) > units and line:
            lines.append(line)
            line, used = "", 0
        line += char
        used += _units(char)
    return "\n".join([*lines, line])


@lru_cache(maxsize=1)
def _family() -> str:
    """The chart font, registered with matplotlib under its own name (every text of a chart
    uses it, tick labels included, which are drawn late)."""
    from matplotlib import font_manager

    path = str(chart_font_path())
    font_manager.fontManager.addfont(path)
    return str(font_manager.FontProperties(fname=path).get_name())


def draw_bars(labels: list[str], values: list[int], *, title: str) -> Figure:
    """Horizontal bars in the given order (top first), each with its count, for the chat."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt
    from matplotlib.ticker import MaxNLocator

    shown = [wrap(label, LABEL_UNITS) for label in labels]
    lines = sum(label.count("\n") + 1 for label in shown)
    height = max(3.0, 0.42 * lines + 0.3 * len(shown) + 1.6)
    with matplotlib.rc_context({"font.family": _family(), "font.size": LABEL_PT}):
        figure, axes = plt.subplots(figsize=(CHAT_WIDTH_PX / CHAT_DPI, height), dpi=CHAT_DPI)
        bars = axes.barh(range(len(values)), values, color="#c0392b")
        axes.set_yticks(range(len(values)), shown)
        axes.bar_label(bars, labels=[str(v) for v in values], padding=4)
        axes.xaxis.set_major_locator(MaxNLocator(integer=True))
        axes.set_xlim(0, max([*values, 1]) * 1.2)
        axes.set_title(wrap(title, TITLE_UNITS), fontsize=TITLE_PT)
        axes.spines[["top", "right"]].set_visible(False)
        axes.invert_yaxis()
        figure.tight_layout()
    return figure


def bar_chart(labels: list[str], values: list[int], *, title: str) -> bytes:
    """Horizontal bars with their counts, as PNG bytes 780 px wide."""
    from matplotlib import pyplot as plt

    figure = draw_bars(labels, values, title=title)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    plt.close(figure)
    return buffer.getvalue()


Series = tuple[str, tuple[float, ...], str]  # name, one value per label, colour


@lru_cache(maxsize=128)
def bars_svg(labels: tuple[str, ...], series: tuple[Series, ...], *, title: str) -> bytes:
    """Horizontal bars (one bar per series for each label) as SVG for the console: sized to
    read at 390 px, glyphs drawn as paths in the CJK font (no font needed by the browser),
    no date inside, so the same figures give the same bytes (and are drawn once)."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt
    from matplotlib.ticker import MaxNLocator

    rows = max(1, len(labels))
    height = 0.34 * rows * max(1, len(series)) + 1.3
    with matplotlib.rc_context({"font.family": _family(), "font.size": 12, "svg.fonttype": "path"}):
        figure, axes = plt.subplots(figsize=(3.9, height), dpi=100)
        width = 0.8 / max(1, len(series))
        for index, (name, values, colour) in enumerate(series):
            offsets = [row + index * width for row in range(rows)]
            axes.barh(offsets, list(values) or [0], height=width, color=colour, label=name)
            for y, value in zip(offsets, values, strict=False):
                axes.text(value, y, f" {value:g}", va="center")
        axes.set_yticks([row + width * (len(series) - 1) / 2 for row in range(rows)])
        axes.set_yticklabels([wrap(label, 12) for label in labels])
        axes.xaxis.set_major_locator(MaxNLocator(integer=True))
        axes.invert_yaxis()
        axes.set_title(wrap(title, 26), pad=26 if len(series) > 1 else 8)
        axes.spines[["top", "right"]].set_visible(False)
        axes.margins(x=0.18)
        if len(series) > 1:  # above the bars, never over them
            axes.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=len(series),
                        frameon=False, borderaxespad=0.2)  # fmt: skip
        figure.tight_layout()
        buffer = io.BytesIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None})
        plt.close(figure)
    return buffer.getvalue()
