"""Bar charts as PNG, with Chinese labels drawn in a CJK font shipped by a PyPI package."""

from __future__ import annotations

import io
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
