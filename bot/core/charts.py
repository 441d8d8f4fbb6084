"""Bar charts — PNG for the chat, SVG for the console — with Chinese labels drawn in a CJK font
shipped by a PyPI package."""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path


def font_path() -> Path:
    import mplfonts  # the package's only job here: the Noto Sans CJK SC file it carries

    return Path(mplfonts.__file__).parent / "fonts" / "NotoSansCJKsc-Regular.otf"


def bar_chart(labels: list[str], values: list[int], *, title: str) -> bytes:
    """Horizontal bars, largest first, as PNG bytes."""
    # matplotlib is heavy to import; only the commands that draw need it, so it loads here.
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import font_manager
    from matplotlib import pyplot as plt

    font = font_manager.FontProperties(fname=str(font_path()))
    figure, axes = plt.subplots(figsize=(8, max(2.5, 0.5 * len(labels) + 1.5)), dpi=100)
    axes.barh(labels, values, color="#c0392b")
    axes.set_title(title, fontproperties=font, fontsize=14)
    for label in axes.get_yticklabels():
        label.set_fontproperties(font)
    axes.invert_yaxis()
    figure.tight_layout()
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
    from matplotlib import font_manager
    from matplotlib import pyplot as plt

    font = font_manager.FontProperties(fname=str(font_path()), size=11)
    rows = max(1, len(labels))
    height = 0.32 * rows * max(1, len(series)) + 1.3
    with matplotlib.rc_context({"svg.fonttype": "path", "font.size": 11}):
        figure, axes = plt.subplots(figsize=(4.2, height), dpi=100)
        width = 0.8 / max(1, len(series))
        for index, (name, values, colour) in enumerate(series):
            offsets = [row + index * width for row in range(rows)]
            axes.barh(offsets, list(values) or [0], height=width, color=colour, label=name)
            for y, value in zip(offsets, values, strict=False):
                axes.text(value, y, f" {value:g}", va="center", fontproperties=font)
        axes.set_yticks([row + width * (len(series) - 1) / 2 for row in range(rows)])
        axes.set_yticklabels(list(labels), fontproperties=font)
        axes.invert_yaxis()
        axes.set_title(title, fontproperties=font, pad=26 if len(series) > 1 else 8)
        axes.spines[["top", "right"]].set_visible(False)
        axes.margins(x=0.18)
        if len(series) > 1:  # above the bars, never over them
            axes.legend(prop=font, loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=len(series),
                        frameon=False, borderaxespad=0.2)  # fmt: skip
        figure.tight_layout()
        buffer = io.BytesIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None})
        plt.close(figure)
    return buffer.getvalue()
