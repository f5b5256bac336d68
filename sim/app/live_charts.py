"""The live page's charts: the chosen setup as solid lines, the baseline as a grey ghost.

One reused matplotlib figure (:class:`LiveCharts`), updated in place and blitted like the
network view: the still parts (axes, ticks, intervention windows) are drawn again only when an
axis has to grow. Axes fit the data: each panel's y range is the range of both runs so far,
padded and rounded to a readable step (never a flat line at the bottom of a 0-100% axis), and
only ever grows during a run, so the picture does not jump.

Harms to people are shown per 1,000 residents, not as a share of everyone (one person in a
thousand is "1 per 1,000", not "0.1%"): helpers under strain and burnt out, as the report
and the differences table count them (a user check found the table saying "per 1,000"
beside a chart counting people), and the resentful beside them in the same unit (they were
counted as people in this community, beside two charts per 1,000 residents: a community of
2,000 seemed to have twice the resentment of one of 1,000 at the same rate). A panel whose
metric the model does not have is left out, so the list can name metrics that arrive later.
"""

from __future__ import annotations

import math
import textwrap
from dataclasses import dataclass

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.transforms import Bbox

from sim.app.png import encode_png
from sim.metrics import PER_1000, REGISTRY
from sim.palette import BASELINE_COLOUR, LINE_COLOURS
from sim.report.chart_parts import WINDOW_ALPHA, WINDOW_TINT, window_spans
from sim.report.units import display

GHOST_COLOUR = BASELINE_COLOUR  # the baseline's grey in the report's charts
MIN_DAYS_SHOWN = 60  # the x axis starts this long, then doubles (up to the run's length)
MIN_SPAN = {"percent": 2.0, "per_1000": 4.0}  # narrowest y range
PAD = 0.12  # share of the data's span added above and below
# the charts' text, readable where the page draws them: on a wide screen the picture is
# scaled to its column (about 500 px at 1,400 px wide), so a figure WIDE_IN inches across at
# WIDE_DPI shows a point as about 500 / (72 x WIDE_IN) pixels: 8.5 pt is 11 px (a user check
# measured 7 px at 7.5 pt on a 6.4 inch figure)
WIDE_IN = 5.4
WIDE_DPI = 100
PHONE_IN = 4.2  # one column on a phone: drawn near 1:1 (90 dpi, about 380 px)
AXIS_PT = 8.5  # axis labels and tick labels: font size (points)
KEY_PT = 8.5  # the key above the charts: font size (points)
KEY_LINE_IN = KEY_PT * 1.2 / 72  # height of one of its lines (inches, matplotlib's spacing)
KEY_CHARS_PER_INCH = 14  # characters a line holds per inch of width (DejaVu Sans at 8.5 pt
# averages about 15; a little less so that no line runs past the figure's edge)
TITLE_PT = 9.5  # a chart's title: font size (points)
TITLE_LINE_IN = TITLE_PT * 1.2 / 72  # height of one of its lines (inches)
HEADROOM = 0.25  # an axis that must grow takes this share of its span to spare: data that
# creep upwards day by day redraw the axes a few times, not every few days


@dataclass(frozen=True)
class Panel:
    """One small chart: a title and the metrics drawn in it (one line each, plus a ghost)."""

    title: str
    metrics: tuple[str, ...]
    scale: str = "percent"  # "percent" (of the metric's denominator) or "per_1000" (people
    # per 1,000 residents)

    @property
    def unit(self) -> str:
        return "per 1,000" if self.scale == "per_1000" else "%"


LIVE_PANELS = (
    Panel("Trust own group (blue), other groups (orange)",
          ("trust_in_group", "trust_out_group")),
    Panel("Needs that reach someone", ("help_seeking_rate",)),
    Panel("Unmet need for a week or more", ("unmet_need",)),
    Panel("Lonely often or always", ("loneliness_share",)),
    Panel("Most active helpers under strain", ("helper_strain",)),
    Panel("All helpers under strain, per 1,000 residents", ("strained_per_1000",),
          scale="per_1000"),
    Panel("Burnt out (stepped back), per 1,000 residents", ("burnout_per_1000",),
          scale="per_1000"),
    Panel("Resentful, per 1,000 residents", ("resentment_share",), scale="per_1000"),
)


def to_shown(values: np.ndarray, panel: Panel, name: str = "") -> np.ndarray:
    """Stored values in the panel's unit, which the differences table shares: percent of the
    metric's denominator, or people per 1,000 residents (a share brought to 1,000; a count
    recorded per 1,000 residents, as the report gives it, as it is)."""
    v = np.asarray(values, dtype=float)
    recorded = float(getattr(REGISTRY.get(name), "scale", 1.0) or 1.0)  # share x this
    share = v / recorded
    return share * (PER_1000 if panel.scale == "per_1000" else 100.0)


def nice_step(span: float) -> float:
    """A tick step of 1, 2 or 5 x 10^k giving four to eight ticks over ``span``."""
    if not math.isfinite(span) or span <= 0:
        return 1.0
    raw = span / 5.0
    k = 10 ** math.floor(math.log10(raw))
    return next(m * k for m in (1, 2, 5, 10) if m * k >= raw)


def fit_range(lo: float, hi: float, *, min_span: float, floor: float = 0.0,
              ceiling: float | None = None) -> tuple[float, float]:
    """A y range holding [lo, hi]: padded, at least ``min_span`` wide, rounded outwards to a
    readable step, within [floor, ceiling]."""
    if not (math.isfinite(lo) and math.isfinite(hi)):
        lo, hi = floor, floor + min_span
    mid, span = (lo + hi) / 2, max(hi - lo, 0.0)
    span = max(span * (1 + 2 * PAD), min_span)
    lo, hi = mid - span / 2, mid + span / 2
    if lo < floor:
        lo, hi = floor, floor + span
    if ceiling is not None and hi > ceiling:
        lo, hi = max(floor, ceiling - span), ceiling
    step = nice_step(hi - lo)
    lo = max(floor, math.floor(lo / step + 1e-9) * step)
    hi = math.ceil(hi / step - 1e-9) * step
    if ceiling is not None:
        hi = min(hi, ceiling)
    return lo, hi


def intervention_windows(interventions, days: int) -> list[tuple[str, float, float]]:
    """(label, first day, last day) of each intervention's active window within ``days``."""
    out = []
    for iv in interventions:
        start, end = iv.window(days)
        out.append((str(iv.label), float(start), float(end)))
    return out


class LiveCharts:
    """The live charts of one community and its ghost baseline (see the module docstring).

    ``charts.png(main, ghost)`` takes two metrics tables (anything with ``days``, ``n_rows``
    and ``column(name)``; ``ghost`` may be None) and returns PNG bytes."""

    def __init__(self, metric_names, interventions=(), *, run_days: int, panels=LIVE_PANELS,
                 width_in: float = WIDE_IN, dpi: int = WIDE_DPI, columns: int = 2):
        names = set(metric_names)
        self.panels = [p for p in panels if all(m in names for m in p.metrics)]
        self.run_days = int(run_days)
        self.interventions = list(interventions)
        self.columns = columns
        rows = (len(self.panels) + columns - 1) // columns
        if columns == 1:  # a phone: narrower and taller, so that the page shows it near 1:1
            width_in, dpi = PHONE_IN, 90
        self.x_max = min(MIN_DAYS_SHOWN, self.run_days) if self.run_days else MIN_DAYS_SHOWN
        self.key_width = max(40, int(width_in * KEY_CHARS_PER_INCH))
        # room above the charts for the key at its longest (every programme's window shown),
        # two lines in the height the charts always had, a line more for each line beyond
        extra = KEY_LINE_IN * max(0, self._key_text(True).count("\n") + 1 - 2)
        height_in = 1.75 * rows + 0.75 + extra
        self.fig = Figure(figsize=(width_in, height_in), dpi=dpi)
        FigureCanvasAgg(self.fig)
        self.axes = self.fig.subplots(rows, columns, squeeze=False).ravel()
        self.fig.subplots_adjust(left=0.12 if columns == 2 else 0.2, right=0.98,
                                 top=1 - (0.62 + extra) / height_in, bottom=0.4 / height_in,
                                 hspace=0.62, wspace=0.36)
        self._fit_titles(rows, width_in, height_in, extra)
        self.lines: list[list] = []
        self.ghosts: list[list] = []
        self.ylim = [None] * len(self.panels)
        for ax, panel in zip(self.axes, self.panels, strict=False):
            ax.set_ylabel(panel.unit if panel.scale != "percent"
                          else _axis_label(panel.metrics[0]), fontsize=AXIS_PT)
            ax.tick_params(labelsize=AXIS_PT)
            ax.grid(alpha=0.3)
            lines, ghosts = [], []
            for j, _name in enumerate(panel.metrics):
                (g,) = ax.plot([], [], color=GHOST_COLOUR, lw=1.3, ls=(0, (3, 2)), alpha=0.95,
                               animated=True, zorder=2)
                (line,) = ax.plot([], [], color=LINE_COLOURS[j % 2], lw=1.6, animated=True,
                                  zorder=3)
                lines.append(line)
                ghosts.append(g)
            self.lines.append(lines)
            self.ghosts.append(ghosts)
        self._fit_axis_labels()
        for ax in self.axes[len(self.panels):]:
            ax.axis("off")
        for ax in self.axes[max(len(self.panels) - columns, 0): len(self.panels)]:
            ax.set_xlabel("day", fontsize=AXIS_PT)
        self.windows: list = []
        self.key = None
        self._background = None
        self._limits_changed = True  # the x axis (all panels): everything drawn again
        self._grown: set[int] = set()  # panels whose y axis grew: only they are drawn again
        self.last_png = b""

    def _fit_axis_labels(self) -> None:
        """Each y axis's label on two lines where one is longer than its chart is tall
        ("% of residents in need" at a readable size: :data:`AXIS_PT`)."""
        renderer = self.fig.canvas.get_renderer()
        for ax in self.axes[:len(self.panels)]:
            label = ax.yaxis.label
            words = label.get_text().split()
            if (len(words) < 2 or label.get_window_extent(renderer).height
                    <= ax.get_window_extent(renderer).height):
                continue
            half = len(label.get_text()) / 2
            cut = min(range(1, len(words)),
                      key=lambda k: abs(len(" ".join(words[:k])) - half))
            label.set_text(" ".join(words[:cut]) + "\n" + " ".join(words[cut:]))

    def _fit_titles(self, rows: int, width_in: float, height_in: float, extra: float) -> None:
        """Each panel's title over its chart, wrapped where it is wider than the chart (a
        user check read "Trust own group (blue), other groups (orang" at the default width),
        and the figure made taller by the lines this adds, so that the charts keep their
        height and a wrapped title clears the chart above it and the key."""
        renderer = self.fig.canvas.get_renderer()
        n_lines = 1
        self.titles = []
        for ax, panel in zip(self.axes, self.panels, strict=False):
            room = ax.get_window_extent(renderer).width
            lines: list[str] = []
            for word in panel.title.split():
                trial = f"{lines[-1]} {word}" if lines else word
                drawn = ax.set_title(trial, fontsize=TITLE_PT, loc="left")
                if lines and drawn.get_window_extent(renderer).width > room:
                    lines.append(word)
                else:
                    lines[-1:] = [trial]
            self.titles.append(ax.set_title("\n".join(lines), fontsize=TITLE_PT, loc="left"))
            n_lines = max(n_lines, len(lines))
        if n_lines == 1:
            return
        more = (n_lines - 1) * TITLE_LINE_IN  # inches for each title's extra lines
        chart_in = (height_in - 0.62 - extra - 0.4) / (rows + (rows - 1) * 0.62)
        height_in += rows * more
        self.fig.set_size_inches(width_in, height_in)
        self.fig.subplots_adjust(top=1 - (0.62 + extra + more) / height_in,
                                 bottom=0.4 / height_in, hspace=0.62 + more / chart_in)

    # -- data ------------------------------------------------------------------------------
    def _series(self, table, name: str, panel: Panel):
        days = np.asarray(table.days[: table.n_rows], dtype=float)
        return days, to_shown(table.column(name), panel, name)

    def update(self, main, ghost=None) -> None:
        days = np.asarray(main.days[: main.n_rows], dtype=float)
        last = float(days[-1]) if len(days) else 0.0
        if last > self.x_max:
            self.x_max = max(last, min(self.x_max * 2, max(self.run_days, last)))
            self._limits_changed = True
        first = self._background is None
        for i, panel in enumerate(self.panels):
            lo, hi = math.inf, -math.inf
            for j, name in enumerate(panel.metrics):
                x, y = self._series(main, name, panel)
                self.lines[i][j].set_data(x, y)
                lo, hi = _extend(lo, hi, y)
                if ghost is not None:
                    gx, gy = self._series(ghost, name, panel)
                    self.ghosts[i][j].set_data(gx, gy)
                    lo, hi = _extend(lo, hi, gy)
                else:
                    self.ghosts[i][j].set_data([], [])
            ceiling = 1000.0 if panel.scale == "per_1000" else 100.0
            have = self.ylim[i]
            # data inside the axis keep it; data at its top (below the ceiling) grow it, or the
            # line runs along the top edge (QA: 4 people burnt out on an axis of 0 to 4)
            if have is not None and (not math.isfinite(lo) or have[0] <= lo and (
                    hi < have[1] or have[1] >= ceiling)):
                continue
            if have is not None:  # grow, with room to spare on the side that grew
                span = max(hi, have[1]) - min(lo, have[0], have[1] - MIN_SPAN[panel.scale])
                lo = min(lo, have[0]) - (HEADROOM * span if lo < have[0] else 0.0)
                hi = max(hi, have[1]) + (HEADROOM * span if hi > have[1] else 0.0)
            self.ylim[i] = fit_range(lo, hi, min_span=MIN_SPAN[panel.scale], ceiling=ceiling)
            if first:
                self._limits_changed = True
            else:
                self._grown.add(i)

    # -- drawing ---------------------------------------------------------------------------
    def _draw_still(self, with_ghost: bool) -> None:
        for artist in self.windows:
            artist.remove()
        self.windows = []
        wins = intervention_windows(self.interventions, int(self.x_max))
        for ax, lim in zip(self.axes, self.ylim, strict=False):
            ax.set_xlim(0, self.x_max)
            if lim is not None:
                ax.set_ylim(*lim)
        # one tint over the days any programme runs, as in the report: overlapping windows
        # do not stack into colours the key does not name
        for ax in self.axes[: len(self.panels)]:
            for start, end in window_spans(wins, self.x_max):
                self.windows.append(ax.axvspan(start, end, color=WINDOW_TINT,
                                               alpha=WINDOW_ALPHA, lw=0, zorder=1))
        if self.key is not None:
            self.key.remove()
        self.key = self.fig.text(0.01, 0.995, self._key_text(with_ghost), fontsize=KEY_PT,
                                 va="top", ha="left")

    def _key_text(self, with_ghost: bool) -> str:
        """What the lines and the shading mean, wrapped to the figure's width (wrapped here,
        not by matplotlib, so that the room above the charts is known when they are laid
        out)."""
        key = "Solid: this setup.  Dashed grey: the same community without its " \
              "interventions (same seed)." if with_ghost else \
              "No interventions: nothing to compare with."
        lines = textwrap.wrap(key, self.key_width)
        whole = intervention_windows(self.interventions, max(self.run_days, int(self.x_max)))
        if whole:
            lines += textwrap.wrap("Shaded: a programme is running: " + "; ".join(
                f"{label} (days {int(s)}-{int(e)})" for label, s, e in whole), self.key_width)
        return "\n".join(lines)

    def _redraw_panels(self, panels: set[int]) -> None:
        """Draw again only the panels whose y axis grew, over the kept background: each is
        cleared (its area with its tick labels and title) and drawn on its own, a tenth of
        the cost of drawing the whole figure."""
        canvas = self.fig.canvas
        renderer = canvas.get_renderer()
        canvas.restore_region(self._background)
        for i in sorted(panels):
            ax = self.axes[i]
            before = ax.get_tightbbox(renderer)
            ax.set_ylim(*self.ylim[i])
            after = ax.get_tightbbox(renderer)
            box = Bbox.union([before, after]).expanded(1.0, 1.0).padded(2)
            clear = Rectangle((box.x0, box.y0), box.width, box.height, transform=None,
                              facecolor=self.fig.get_facecolor(), edgecolor="none")
            clear.set_figure(self.fig)
            clear.draw(renderer)
            ax.draw(renderer)  # the lines are 'animated': left out, drawn each frame
        self._background = canvas.copy_from_bbox(self.fig.bbox)

    def png(self, main, ghost=None) -> bytes:
        self.update(main, ghost)
        canvas = self.fig.canvas
        if self._limits_changed or self._background is None:
            self._draw_still(ghost is not None)
            canvas.draw()
            self._background = canvas.copy_from_bbox(self.fig.bbox)
            self._limits_changed = False
        elif self._grown:
            self._redraw_panels(self._grown)
        else:
            canvas.restore_region(self._background)
        self._grown = set()
        for ax, lines, ghosts in zip(self.axes, self.lines, self.ghosts, strict=False):
            for artist in (*ghosts, *lines):
                ax.draw_artist(artist)
        self.last_png = encode_png(canvas)
        return self.last_png


def _extend(lo: float, hi: float, y: np.ndarray) -> tuple[float, float]:
    finite = y[np.isfinite(y)]
    if len(finite) == 0:
        return lo, hi
    return min(lo, float(finite.min())), max(hi, float(finite.max()))


def _axis_label(metric: str) -> str:
    return display(metric).axis
