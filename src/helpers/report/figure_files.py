"""Figure files: a chart saved as SVG and PNG next to its CSV tables, each written atomically,
and shown in the report as that same PNG. The figure is drawn once (Agg) and cropped to its ink
plus savefig's padding; the SVG uses the same box, so both files show the same figure.
"""

from __future__ import annotations

import io
import os
import tempfile
from pathlib import Path

import matplotlib.pyplot as plt


def _write(folder: Path, filename: str, data: bytes) -> Path:
    target = folder / filename
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{filename}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return target


def _tight_box(fig: plt.Figure):
    """The box ``savefig(bbox_inches="tight")`` crops to, worked out once for every format
    (each "tight" save lays the figure out again: a tenth of a second per chart); "tight"
    itself when the canvas has no renderer to measure with."""
    get_renderer = getattr(fig.canvas, "get_renderer", None)
    if get_renderer is None:
        return "tight"
    return fig.get_tightbbox(get_renderer()).padded(plt.rcParams["savefig.pad_inches"])


def _drawn_once(fig: plt.Figure):
    """(PNG, box) of the figure from one Agg draw: the pixels cropped to what is drawn, plus
    savefig's padding, and that box in inches (for the SVG). Saves the layout pass a "tight"
    save makes before drawing (a quarter of a second per chart). None when something drawn
    touches the canvas edge: it may reach beyond it, where only savefig's tight box goes."""
    import numpy as np
    from matplotlib.colors import to_rgba
    from matplotlib.transforms import Bbox
    from PIL import Image

    canvas = fig.canvas
    if not hasattr(canvas, "buffer_rgba"):
        return None
    canvas.draw()
    pixels = np.asarray(canvas.buffer_rgba())
    background = np.round(np.array(to_rgba(fig.get_facecolor())) * 255).astype(np.uint8)
    ink = (pixels != background).any(axis=2)
    rows, cols = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    high, wide = ink.shape
    if (
        not len(rows)
        or rows[0] == 0
        or cols[0] == 0
        or rows[-1] == high - 1
        or cols[-1] == wide - 1
    ):
        return None
    pad = round(plt.rcParams["savefig.pad_inches"] * fig.dpi)
    top, bottom = max(0, rows[0] - pad), min(high, rows[-1] + 1 + pad)
    left, right = max(0, cols[0] - pad), min(wide, cols[-1] + 1 + pad)
    buffer = io.BytesIO()
    Image.fromarray(pixels[top:bottom, left:right]).save(buffer, format="png")
    dpi = fig.dpi
    box = Bbox.from_extents(left / dpi, (high - bottom) / dpi, right / dpi, (high - top) / dpi)
    return buffer.getvalue(), box


def _render(fig: plt.Figure, fmt: str, box) -> bytes:
    buffer = io.BytesIO()
    # no creation date in the SVG either: a rebuild of the same data rewrites identical files
    metadata = {"Date": None} if fmt == "svg" else None
    fig.savefig(buffer, format=fmt, dpi=fig.dpi, bbox_inches=box, metadata=metadata)
    return buffer.getvalue()


def save_figure(
    fig: plt.Figure, name: str, folder: str | os.PathLike, png: bytes | None = None
) -> list[Path]:
    """Write ``fig`` as ``folder/name.svg`` and ``folder/name.png`` (for slides; the PNG at
    the figure's dpi, as the report shows it), each atomically, and return the paths; the
    figure stays open. ``png``: the PNG already rendered, to write as is."""
    return _save(fig, name, folder, _tight_box(fig), png)


def _save(fig: plt.Figure, name: str, folder, box, png: bytes | None) -> list[Path]:
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    return [
        _write(folder, f"{name}.svg", _render(fig, "svg", box)),
        _write(folder, f"{name}.png", png if png is not None else _render(fig, "png", box)),
    ]


def finish(fig: plt.Figure | None, name: str, folder: str | os.PathLike) -> None:
    """Save the figure as SVG and PNG next to the CSV tables, show that same PNG in the
    report (rendered once, not twice) and close the figure."""
    from IPython.display import Image, display

    fig = fig or plt.gcf()
    drawn = _drawn_once(fig)
    if drawn is None:
        box = _tight_box(fig)
        png = _render(fig, "png", box)
    else:
        png, box = drawn
    _save(fig, name, folder, box, png)
    display(Image(data=png, format="png"))
    plt.close(fig)
