"""The parts every report chart is drawn with: the house style (font sizes, spines), the
intervention windows and steady window behind a time series, median-and-band lines, fixed
margins in inches, and the palette PNG the report embeds.

The charts themselves (one metric through time, the forest plot of effects, the
interventions' own counts) are in :mod:`sim.report.charts`.
"""

from __future__ import annotations

import math
import textwrap
import warnings

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from sim.palette import WINDOW_COLOURS  # noqa: E402

BAND_NOTE = "Line: median of the runs; band: 90% of runs (5th to 95th percentile)."

# a name with a character no installed font has (an emoji in a scenario's label) is drawn as
# a box; matplotlib warns of it once per glyph and per draw, a dozen lines of the terminal
warnings.filterwarnings("ignore", message=r"Glyph \d+ .*missing from font",
                        category=UserWarning)

plt.rcParams.update({
    "font.size": 10, "axes.titlesize": 11, "axes.labelsize": 10, "xtick.labelsize": 9,
    "ytick.labelsize": 9, "legend.fontsize": 9, "axes.spines.top": False,
    "axes.spines.right": False, "figure.dpi": 100,
})


def wrap(text: str, width: int, lines: int | None = None) -> str:
    """``text`` in lines of at most ``width`` characters, and at most ``lines`` of them, the
    last ended with an ellipsis where there was more: an option may be named in up to 80
    characters, which a panel's title or a legend's label has no room for (a user check: a
    name of 79 letters spilled into the next panel; the report names it whole)."""
    if lines is None:
        return "\n".join(textwrap.wrap(text, width)) or text
    return "\n".join(textwrap.wrap(text, width, max_lines=lines, placeholder="\u2026")) or text


def draw_band(ax, rows, colour, label, z):
    ax.fill_between(rows["day"], rows["lo_s"], rows["hi_s"], color=colour, alpha=0.22,
                    linewidth=0, zorder=z)
    ax.plot(rows["day"], rows["median_s"], color=colour, linewidth=1.8, label=label,
            zorder=z + 1)


MAX_WINDOW_LABELS = 2  # a panel with more interventions says how many instead of naming them
WINDOW_TINT = WINDOW_COLOURS[0]  # the one tint of "an intervention is running", legend included
WINDOW_ALPHA = 0.12


def window_spans(windows, last_day: float) -> list[tuple[float, float]]:
    """The days any intervention runs, as (first, last) spans that do not overlap: the union
    of the windows, ends open (None) or past the run cut at ``last_day``."""
    spans: list[list[float]] = []
    for start, end in sorted((s, last_day if e is None else min(e, last_day))
                             for _, s, e in windows):
        if spans and start <= spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], end)
        else:
            spans.append([start, end])
    return [(s, e) for s, e in spans if e >= s]


def shade_windows(ax, windows, last_day: float, *, alpha: float = WINDOW_ALPHA) -> None:
    """One tint, full height, over the days any intervention runs. Drawn once over the union
    of the windows, so that overlapping programmes do not stack into colours the legend does
    not show (and the bands behind them stay visible)."""
    for start, end in window_spans(windows, last_day):
        ax.axvspan(start, end, color=WINDOW_TINT, alpha=alpha, linewidth=0, zorder=0)


LABEL_RIGHT_SHARE = 0.4  # a window starting in the panel's last 40% is labelled to its left


def draw_windows(ax, windows, last_day: float, *, labels: bool = True):
    """Shade the days any intervention runs (one tint: :func:`shade_windows`), mark each
    window's start (dashed) and end (dotted) in its own colour, and label it at the top of
    the panel (a panel with more than MAX_WINDOW_LABELS interventions says how many)."""
    if labels and len(windows) > MAX_WINDOW_LABELS:
        ax.text(min(s for _, s, _ in windows), 0.98, f" {len(windows)} interventions",
                transform=ax.get_xaxis_transform(), ha="left", va="top", fontsize=7,
                color="#222222", zorder=5, bbox={"boxstyle": "round,pad=0.15",
                                                 "facecolor": "white", "alpha": 0.75,
                                                 "edgecolor": "#888888", "linewidth": 0.8})
        labels = False
    shade_windows(ax, windows, last_day)
    for i, (label, start, end) in enumerate(windows):
        end = last_day if end is None else min(end, last_day)
        colour = WINDOW_COLOURS[i % len(WINDOW_COLOURS)]
        ax.axvline(start, color=colour, linewidth=1.0, linestyle="--", zorder=0.5)
        if end < last_day:
            ax.axvline(end, color=colour, linewidth=1.0, linestyle=":", zorder=0.5)
        if labels:
            # a start in the panel's last part is labelled to its left, inside the panel (a
            # user check: a cafe opening on day 600 of 610 was labelled "Late", cut off)
            left = start > last_day - LABEL_RIGHT_SHARE * last_day
            ax.text(start, 0.98 - 0.1 * i, f"{wrap(label, 30, lines=2)} " if left
                    else f" {wrap(label, 30, lines=2)}",
                    transform=ax.get_xaxis_transform(), ha="right" if left else "left",
                    va="top", fontsize=7, color="#222222", zorder=5,
                    bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "alpha": 0.75,
                          "edgecolor": colour, "linewidth": 0.8})


def draw_steady(ax, steady):
    """Mark the steady window the verdicts average over: a hatched strip along the bottom."""
    if not steady:
        return
    first, last = steady
    ax.axvspan(first, last, ymin=0, ymax=0.05, facecolor="none", edgecolor="#555555",
               hatch="////", linewidth=0, zorder=1)


def fixed_layout(fig, nrows: int, ncols: int, *, top_in: float, left_in: float = 0.85,
                  right_in: float = 0.25, bottom_in: float = 0.6, hspace_in: float = 0.8,
                  wspace_in: float = 0.95) -> None:
    """Margins and gaps in inches (a fixed layout costs one draw less than tight_layout,
    which matters with a chart per metric)."""
    w, h = fig.get_figwidth(), fig.get_figheight()
    ax_w = (w - left_in - right_in - (ncols - 1) * wspace_in) / ncols
    ax_h = (h - top_in - bottom_in - (nrows - 1) * hspace_in) / nrows
    fig.subplots_adjust(left=left_in / w, right=1 - right_in / w, bottom=bottom_in / h,
                        top=1 - top_in / h, wspace=wspace_in / ax_w, hspace=hspace_in / ax_h)


def day_step(last_day: float) -> int:
    """Days between x ticks: at most six ticks, on round numbers of days."""
    for step in (7, 14, 30, 60, 90, 180, 365, 730):
        if last_day / step <= 6:
            return step
    return int(math.ceil(last_day / 6))


def smooth_weekly(rows, days: int = 7):
    """Band rows (day, median_s, lo_s, hi_s) of one scenario averaged over blocks of
    ``days`` days (day 0, the starting state, on its own), plotted at each block's middle:
    lighter charts, and day-to-day noise does not hide the course of a measure."""
    rows = rows.sort_values("day")
    if days <= 1 or len(rows) < 3 * days:
        return rows
    block = np.where(rows["day"].to_numpy() <= 0, -1, (rows["day"].to_numpy() - 1) // days)
    out = rows[["day", "median_s", "lo_s", "hi_s"]].groupby(block).mean()
    return out


PNG_COLOURS = 96  # palette size of report charts: a quarter of the bytes, no visible loss


def figure_png(fig, *, dpi: int = 100, colours: int = PNG_COLOURS) -> bytes:
    """The figure as PNG bytes with a palette of ``colours`` colours (about a quarter of a
    full-colour PNG's size: the report stays small); ``colours=0`` keeps full colour."""
    import io

    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from PIL import Image

    fig.set_dpi(dpi)
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    image = Image.frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba(), "raw",
                             "RGBA", 0, 1).convert("RGB")
    if colours:
        image = image.quantize(colors=colours, method=Image.Quantize.FASTOCTREE)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()
