"""Charts for reports: data in, matplotlib figure out (PNG, Agg backend, never ``show()``).

- :func:`plot_metric`: one metric through time. The median across replicates as a line with
  its 90% band, one panel per scenario set against the baseline (grey), and each
  intervention's active window shaded and labelled.
- :func:`plot_effects`: a forest plot of the paired effect against the baseline with its 95%
  interval, one panel per metric, one row per scenario, coloured by whether the change is
  better, worse or unclear (using ``Metric.higher_is_better``).

Colours are the Okabe-Ito palette, which stays distinguishable under the common forms of
colour blindness; meaning never rests on colour alone (labels and markers carry it too).

Inputs are plain tables (pandas DataFrames):

- ``bands``: columns ``scenario, day, metric, median, lo, hi`` (lo/hi: 5th and 95th
  percentiles across replicates);
- ``effects``: columns ``scenario, metric, effect, effect_lo, effect_hi``;
- ``windows``: ``{scenario: [(label, start_day, end_day), ...]}``.
"""

from __future__ import annotations

import math

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.colors import to_rgba  # noqa: E402
from matplotlib.ticker import MaxNLocator, MultipleLocator  # noqa: E402

from sim.palette import (  # noqa: E402
    BASELINE_COLOUR,
    OKABE_ITO,
    SCENARIO_COLOUR,
    VERDICT_COLOURS,
    WINDOW_COLOURS,
)
from sim.report.chart_parts import (  # noqa: E402
    BAND_NOTE,
    MAX_WINDOW_LABELS,
    WINDOW_ALPHA,
    WINDOW_TINT,
    day_step,
    draw_band,
    draw_steady,
    draw_windows,
    figure_png,
    fixed_layout,
    shade_windows,
    smooth_weekly,
    wrap,
)
from sim.report.units import display, fmt_number  # noqa: E402
from sim.report.verdict import verdict  # noqa: E402

VERDICT_MARKERS = {"better": "o", "worse": "s", "unclear": "D", "changed": "^"}

def _panel_axes(n: int, ax, *, ncols: int, figsize: tuple[float, float], what: str,
                **shared):
    """The figure and one Axes per panel: the caller's ``ax`` when there is one panel, else a
    grid of ``ncols`` columns with the unused cells hidden."""
    if ax is not None:
        if n != 1:
            raise ValueError(f"an ax can only be passed when {what}")
        return ax.figure, [ax]
    fig, grid = plt.subplots(math.ceil(n / ncols), ncols, figsize=figsize, squeeze=False,
                             **shared)
    axes = list(grid.flat)
    for extra in axes[n:]:
        extra.set_visible(False)
    return fig, axes


# a metric chart's heading, in inches from the top: the caption's first line, a caption
# line and a legend row at 7.5 pt, and the space above the panels the figure is sized for
CAPTION_TOP_IN, CAPTION_LINE_IN, LEGEND_ROW_IN, METRIC_TOP_IN = 0.34, 0.13, 0.2, 1.2


def plot_metric(bands, metric: str, *, scenarios: list[str] | None = None,
                baseline: str | None = None, windows: dict | None = None,
                metrics: dict | None = None, n_runs: int | None = None, ax=None,
                steady: tuple[int, int] | None = None, smooth_days: int = 7):
    """One metric through time: median and 90% band per scenario, interventions shaded.

    With a ``baseline`` and other scenarios, each other scenario gets its own panel with the
    baseline drawn in grey behind it; otherwise each scenario is a panel of its own. Values
    are weekly averages (``smooth_days``); ``steady`` (first and last day) is hatched along
    the bottom of each panel: the window the verdicts use. ``ax`` (a single Axes) is allowed
    when there is one panel. Returns the figure."""
    d = display(metric, metrics)
    rows = bands[bands["metric"] == metric].copy()
    if rows.empty:
        raise ValueError(f"no band data for metric {metric!r}")
    for col in ("median", "lo", "hi"):
        rows[f"{col}_s"] = rows[col].astype(float) * d.scale
    present = set(rows["scenario"])
    order = [s for s in scenarios or dict.fromkeys(rows["scenario"]) if s in present]
    panels = [s for s in order if s != baseline] if baseline in order else order
    if not panels:  # only the baseline was run
        panels, baseline = [baseline], None
    windows = windows or {}
    last_day = float(rows["day"].max())
    by_scenario = {name: smooth_weekly(g, smooth_days) for name, g in rows.groupby("scenario")}

    ncols = min(3, len(panels))
    nrows = math.ceil(len(panels) / ncols)
    fig, axes = _panel_axes(len(panels), ax, ncols=ncols, what="the chart has one panel",
                            figsize=(3.9 * ncols + 0.6 if ncols > 1 else 6.5,
                                     2.55 * nrows + 1.45), sharex=True, sharey=True)

    base_rows = by_scenario.get(baseline) if baseline else None
    for a, name in zip(axes, panels, strict=False):
        draw_windows(a, windows.get(name, []), last_day)
        draw_steady(a, steady)
        if base_rows is not None and not base_rows.empty:
            draw_band(a, base_rows, BASELINE_COLOUR, "baseline", 2)
        draw_band(a, by_scenario[name], SCENARIO_COLOUR, "scenario", 3)
        a.set_title(wrap(name, 44, lines=2), loc="left", fontsize=9)
        a.grid(True, axis="y", color="#E5E5E5", linewidth=0.8, zorder=-1)
        a.set_xlim(0, last_day)
        a.xaxis.set_major_locator(MultipleLocator(day_step(last_day)))
        a.yaxis.set_major_locator(MaxNLocator(4))
        a.margins(y=0.08)
        a.tick_params(labelsize=8)
    # shared scales: values on the left column and dates under the lowest panel of each
    # column only (fewer labels to draw, and the panels read as one figure)
    for i, a in enumerate(axes[:len(panels)]):
        lowest = i + ncols >= len(panels)
        a.tick_params(labelleft=i % ncols == 0 or ax is not None,
                      labelbottom=lowest or ax is not None)
        if lowest or ax is not None:
            a.set_xlabel("Day of the run", fontsize=8)
        if i % ncols == 0:
            a.set_ylabel(wrap(d.axis, 24), fontsize=8)
    lo, hi = float(rows["lo_s"].min()), float(rows["hi_s"].max())
    pad = max((hi - lo) * 0.08, 1e-9)
    # headroom above the data for the intervention labels
    n_lab = max((min(len(windows.get(p, [])), MAX_WINDOW_LABELS) for p in panels), default=0)
    if math.isfinite(lo) and math.isfinite(hi):  # all-NaN (no needs yet in a tiny, short run)
        axes[0].set_ylim(lo - pad, hi + pad + (hi - lo + pad) * 0.12 * n_lab)

    handles = _metric_legend(panels, baseline, base_rows, windows, steady)
    if ax is None:
        caption = f"{d.doc} {BAND_NOTE}{' Weekly averages.' if smooth_days > 1 else ''}"
        _metric_titles(fig, d.label, handles, caption + (f" {n_runs} runs per scenario."
                                                         if n_runs else ""), ncols, nrows)
    else:
        axes[0].set_title(d.label, loc="left")
        axes[0].legend(handles=handles, loc="lower right", fontsize=8)
    return fig


def _metric_legend(panels, baseline, base_rows, windows, steady) -> list:
    """The legend of a metric's chart: the scenario, the baseline, the windows shaded, and
    the programmes whose start lines a panel does not label (one with more than
    MAX_WINDOW_LABELS, a combined package, says only how many): each colour named, with the
    option's name before it where panels of different programmes share the colours."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    handles = [Patch(facecolor=SCENARIO_COLOUR, alpha=0.6,
                     label=panels[0] if len(panels) == 1 else "scenario named above the panel")]
    if base_rows is not None and not base_rows.empty:
        base_label = baseline if "baseline" in baseline.lower() else f"{baseline} (baseline)"
        handles.append(Patch(facecolor=BASELINE_COLOUR, alpha=0.6, label=base_label))
    if any(windows.get(p) for p in panels):
        # the very tint the panels are shaded with (one, however many windows overlap)
        handles.append(Patch(facecolor=to_rgba(WINDOW_TINT, WINDOW_ALPHA), edgecolor=WINDOW_TINT,
                             linewidth=0.6,
                             label="intervention running (dashed: start, dotted: end)"))
    if steady:
        handles.append(Patch(facecolor="white", edgecolor="#555555", hatch="////",
                             label="window the verdicts average over"))
    unlabelled = {p: [label for label, _, _ in windows[p]] for p in panels
                  if len(windows.get(p, [])) > MAX_WINDOW_LABELS}
    alike = len({tuple(labels) for labels in unlabelled.values()}) == 1
    for panel, labels in unlabelled.items():
        for i, label in enumerate(labels):
            handles.append(Line2D([], [], color=WINDOW_COLOURS[i % len(WINDOW_COLOURS)],
                                  linestyle="--", linewidth=1.0,
                                  label=label if alike else f"{panel}: {label}"))
        if alike:
            break
    return handles


# a legend entry's width at fontsize 7.5: its mark and gaps, and each character (about)
LEGEND_MARK_IN, LEGEND_CHAR_IN = 0.55, 0.062


def _metric_titles(fig, label: str, handles: list, caption: str, ncols: int,
                   nrows: int) -> None:
    """Title, caption and legend above a metric's panels, one under the other, and the
    fixed margins. The legend has four columns where three panels make the figure wide, two
    otherwise (four ran off a one-panel chart's right edge), and fewer where its longest
    label would not fit (a programme's start line named "option: programme" ran off the
    edge); the caption's lines and the legend's rows set how far down the panels start, and
    the figure grows by as much."""
    caption = wrap(caption, 150 if ncols > 1 else 95)
    longest = max((len(str(h.get_label())) for h in handles), default=0)
    fit = int(0.97 * fig.get_figwidth() // (LEGEND_MARK_IN + LEGEND_CHAR_IN * longest))
    columns = max(1, min(len(handles), 4 if ncols >= 3 else 2, fit))
    legend_top = CAPTION_TOP_IN + CAPTION_LINE_IN * (caption.count("\n") + 1) + 0.05
    top_in = legend_top + LEGEND_ROW_IN * math.ceil(len(handles) / columns) + 0.3
    fig.set_figheight(fig.get_figheight() + max(0.0, top_in - METRIC_TOP_IN))
    h = fig.get_figheight()
    fig.suptitle(label, x=0.01, y=1 - 0.06 / h, ha="left", va="top", fontsize=12,
                 fontweight="bold")
    fig.text(0.01, 1 - CAPTION_TOP_IN / h, caption, ha="left", va="top", fontsize=7.5,
             color="#333333")
    fig.legend(handles=handles, loc="upper left", ncols=columns, fontsize=7.5, frameon=False,
               bbox_to_anchor=(0.005, 1 - legend_top / h), borderaxespad=0, borderpad=0.2)
    fixed_layout(fig, nrows, ncols, top_in=max(top_in, METRIC_TOP_IN), left_in=0.75,
                 bottom_in=0.5, hspace_in=0.45, wspace_in=0.2)


NAME_WIDTH = 24  # characters of an option's name on a line of the forest plot's margin


def plot_effects(effects, metrics_order: list[str], *, scenarios: list[str] | None = None,
                 baseline: str = "baseline", at: str = "", metrics: dict | None = None,
                 ax=None):
    """Forest plot: each scenario's paired effect against the baseline, with its 95% interval.

    One panel per metric (in ``metrics_order``), one row per scenario. Points are coloured and
    shaped by verdict (better / worse / unclear / changed); each panel says which side is
    better. ``ax`` is allowed when one metric is drawn. Returns the figure."""
    eff = effects[effects["metric"].isin(metrics_order)]
    present = set(eff["scenario"])
    order = [s for s in scenarios or dict.fromkeys(eff["scenario"])
             if s in present and s != baseline]
    if not order:
        raise ValueError("no effects to plot")
    drawn = set(eff["metric"])
    names = [m for m in metrics_order if m in drawn]
    ncols = min(3, len(names))
    # rows tall enough for each name whole (an option may be named in 80 characters: four
    # lines): cut short, two names that differ late read alike (a user check)
    most_lines = max(len(wrap(s, NAME_WIDTH).splitlines()) for s in order)
    row_in = max(0.32, 0.16 * most_lines + 0.06)
    height = max(1.6, row_in * len(order) + 1.2)
    fig, axes = _panel_axes(len(names), ax, ncols=ncols, what="one metric is drawn",
                            figsize=(4.0 * ncols + 2.15,
                                     height * math.ceil(len(names) / ncols) + 0.4),
                            sharey=True)
    for i, (a, name) in enumerate(zip(axes, names, strict=False)):
        _effect_panel(a, eff[eff["metric"] == name].set_index("scenario"), order,
                      display(name, metrics))
        if i % 3:
            a.tick_params(labelleft=False)
    if ax is None:
        _effects_titles(fig, baseline, at, len(names))
    return fig


def _effect_panel(a, sub, order: list[str], d) -> None:
    """One metric's panel of the forest plot: a row per scenario, its point and interval
    coloured and shaped by verdict, the axis symmetric about no change."""
    y = np.arange(len(order))[::-1]
    a.axvline(0, color="#444444", linewidth=1.0, zorder=1)
    xs = []
    for yy, scen in zip(y, order, strict=True):
        if scen not in sub.index:
            continue
        r = sub.loc[scen]
        e, lo, hi = (float(r[k]) * d.scale for k in ("effect", "effect_lo", "effect_hi"))
        v = verdict(lo, hi, d.higher_is_better)
        a.plot([lo, hi], [yy, yy], color=VERDICT_COLOURS[v], linewidth=2.2, zorder=2)
        a.plot(e, yy, marker=VERDICT_MARKERS[v], color=VERDICT_COLOURS[v], markersize=6.5,
               zorder=3, linestyle="none")
        xs += [lo, hi]
    span = max(np.abs(xs)) * 1.15 if xs else 0.0
    if not np.isfinite(span) or span < 1e-6:  # no change at all: show a unit range
        span = 1.0
    a.set_xlim(-span, span)
    a.set_yticks(y, [wrap(s, NAME_WIDTH) for s in order], fontsize=9)  # in the margin
    a.set_ylim(-0.7, len(order) - 0.3)
    a.grid(True, axis="x", color="#E5E5E5", linewidth=0.8, zorder=0)
    a.set_title(wrap(d.label, 42), loc="left", fontsize=10)
    if d.higher_is_better is None:
        note_l, note_r = "\u2190 lower", "higher \u2192"
    elif d.higher_is_better:
        note_l, note_r = "\u2190 worse", "better \u2192"
    else:
        note_l, note_r = "\u2190 better", "worse \u2192"
    a.set_xlabel(f"{note_l}      change vs baseline ({d.effect_unit})      {note_r}",
                 fontsize=8.5)


def _effects_titles(fig, baseline: str, at: str, n_metrics: int) -> None:
    """Title, legend of verdicts and caption above the forest plot, and the fixed margins."""
    from matplotlib.lines import Line2D

    handles = [Line2D([], [], color=VERDICT_COLOURS[k], marker=VERDICT_MARKERS[k],
                      linewidth=2, label=lab)
               for k, lab in (("better", "better (interval excludes no change)"),
                              ("worse", "worse (interval excludes no change)"),
                              ("unclear", "unclear (interval includes no change)"),
                              ("changed", "changed (no better direction)"))]
    when = f" {at}" if at else ""
    h = fig.get_figheight()
    fig.suptitle(f"Effect of each option compared with {baseline}{when}", x=0.01,
                 y=1 - 0.08 / h, ha="left", va="top", fontsize=13, fontweight="bold")
    fig.legend(handles=handles, loc="upper left", ncols=4, fontsize=8, frameon=False,
               bbox_to_anchor=(0.005, 1 - 0.55 / h))
    fig.text(0.01, 1 - 0.34 / h,
             "Point: mean paired difference (run i of each option uses the same seed as "
             "run i of the baseline); line: its 95% interval.", ha="left", va="top",
             fontsize=8.5, color="#333333")
    nrows = math.ceil(n_metrics / min(3, n_metrics))
    fixed_layout(fig, nrows, min(3, n_metrics), top_in=1.0, left_in=2.15,
                 right_in=0.2, bottom_in=0.55, hspace_in=0.8, wspace_in=0.3)
    return fig


# the interventions' counts: a colour for each programme of a scenario (yellow, faint on
# white, last) and a line style for each of its counts; a scenario with one programme gives
# each count a colour of its own
COUNT_COLOURS = [OKABE_ITO[k] for k in ("blue", "vermillion", "green", "orange", "purple",
                                        "sky_blue", "black", "yellow")]
COUNT_STYLES = ["-", (0, (5, 2)), (0, (1, 1.4)), (0, (6, 1.8, 1.2, 1.8))]
COUNT_LEGEND_PT = 8.0
COUNT_AX_IN = (5.6, 2.7)  # width and height of one panel's plot area, inches


def count_styles(programmes: list[tuple[str, dict[str, str]]]) -> dict[str, tuple]:
    """(colour, line style) of each count of a scenario's programmes, all different within
    the scenario: a colour per programme and a style per count, or with one programme a
    colour per count."""
    if len(programmes) == 1:
        names = list(programmes[0][1])
        return {n: (COUNT_COLOURS[i % len(COUNT_COLOURS)],
                    COUNT_STYLES[(i // len(COUNT_COLOURS)) % len(COUNT_STYLES)])
                for i, n in enumerate(names)}
    out = {}
    for i, (_, names) in enumerate(programmes):
        for j, n in enumerate(names):
            out[n] = (COUNT_COLOURS[(i + len(COUNT_COLOURS) * (j // len(COUNT_STYLES)))
                                    % len(COUNT_COLOURS)],
                      COUNT_STYLES[j % len(COUNT_STYLES)])
    return out


def plot_intervention_counts(bands, per_scenario: dict[str, list[tuple[str, dict]]], *,
                             windows: dict | None = None, n_runs: int | None = None):
    """What the interventions did: their own cumulative counts (residents reached,
    conversations held, ...) through time, one panel per scenario, a line (median) and band
    (90% of runs) per count. ``per_scenario`` maps a scenario to its programmes, each
    ``(label, {metric name: what it counts})`` (see chart_jobs.programme_counts).

    Each panel's legend is under its plot area, never over the lines: the programme's name in
    bold, then its counts; every line has its own colour and style within the panel
    (:func:`count_styles`). The figure grows to hold the longest legend of each row of
    panels. Returns the figure."""
    panels = [s for s, progs in per_scenario.items() if any(counts for _, counts in progs)]
    if not panels:
        raise ValueError("no intervention metrics to plot")
    windows = windows or {}
    ncols = min(2, len(panels))
    nrows = math.ceil(len(panels) / ncols)
    ax_w, ax_h = COUNT_AX_IN
    left_in, gap_in, right_in = 0.9, 1.0, 0.35
    fig = plt.figure(figsize=(left_in + ncols * ax_w + (ncols - 1) * gap_in + right_in, 10))
    axes, legends = [], []
    for scen in panels:
        a = fig.add_axes((0, 0, 1, 1))
        legends.append(_count_panel(a, bands[bands["scenario"] == scen], per_scenario[scen],
                                    windows.get(scen, [])))
        a.set_title(wrap(scen, 60, lines=2), loc="left", fontsize=10)
        axes.append(a)
    # lay out: each row of panels is its title, plot area, day axis, then its legends
    renderer = fig.canvas.get_renderer()
    size_in = [[(leg.get_window_extent(renderer).width / fig.dpi,
                 leg.get_window_extent(renderer).height / fig.dpi) for leg in legs]
               for legs in legends]
    leg_in = [max(hh for _, hh in sizes) for sizes in size_in]
    top_in, title_in, axis_in, after_in, bottom_in = 1.05, 0.3, 0.55, 0.3, 0.1
    row_in = [title_in + ax_h + axis_in + max(leg_in[r * ncols:(r + 1) * ncols]) + after_in
              for r in range(nrows)]
    h = top_in + sum(row_in) + bottom_in
    w = fig.get_figwidth()
    fig.set_figheight(h)
    y = h - top_in
    for i, a in enumerate(axes):
        r, c = divmod(i, ncols)
        if c == 0 and r:
            y -= row_in[r - 1]
        x = left_in + c * (ax_w + gap_in)
        a.set_position((x / w, (y - title_in - ax_h) / h, ax_w / w, ax_h / h))
        # the legends under the day axis, side by side from the plot's left edge
        for leg, (leg_w, _) in zip(legends[i], size_in[i], strict=True):
            leg.set_bbox_to_anchor((x / w, (y - title_in - ax_h - axis_in) / h),
                                   transform=fig.transFigure)
            x += leg_w + 0.3
    runs = f" {n_runs} runs per scenario." if n_runs else ""
    fig.suptitle("What the interventions did", x=0.01, y=1 - 0.08 / h, ha="left", va="top",
                 fontsize=13, fontweight="bold")
    fig.text(0.01, 1 - 0.42 / h, wrap(
        f"Each intervention's own counts, added up from its start (those that say 'now': on "
        f"that day). {BAND_NOTE}{runs} Shaded: "
        "when interventions are active. Under each panel: its programmes and their counts, "
        "with the median count on the last day.", 175), ha="left", va="top", fontsize=8.5,
        color="#333333")
    return fig


def _count_panel(a, rows, programmes, windows):
    """One scenario's counts: a band and a median line per count; returns its legend (the
    caller places it under the panel)."""
    last_day = float(rows["day"].max()) if not rows.empty else 1.0
    every = max(1, int(last_day) // 120)  # about 120 points a line is plenty for a count
    rows = rows[(rows["day"] % every == 0) | (rows["day"] == rows["day"].max())]
    shade_windows(a, windows, last_day, alpha=0.07)
    styles = count_styles(programmes)
    groups = []  # per programme: its name, then (line, what it counts) per count drawn
    for label, counts in programmes:
        drawn = []
        for name, count in counts.items():
            r = rows[rows["metric"] == name].sort_values("day")
            if r.empty:
                continue
            colour, style = styles[name]
            a.fill_between(r["day"], r["lo"], r["hi"], color=colour, alpha=0.13, linewidth=0)
            (line,) = a.plot(r["day"], r["median"], color=colour, linestyle=style,
                             linewidth=1.8)
            # the count on the last day in words too: a line along zero is still read
            drawn.append((line, wrap(f"{count}: {fmt_number(r['median'].iloc[-1], decimals=0)}",
                                     40)))
        if drawn:
            groups.append((wrap(label, 40, lines=2), drawn))
    a.set_xlim(0, last_day)
    a.set_xlabel("Day of the run")
    a.set_ylabel("count")
    a.grid(True, axis="y", color="#E5E5E5", linewidth=0.8)
    return _count_legend(a, groups)


def _count_legend(a, groups) -> list:
    """The legend of a panel of counts: each programme's name in bold over its counts; in two
    columns when long, split between programmes. Each column is a figure legend of its own
    (matplotlib would align a column's first row with the other's, so that a column whose
    first name takes two lines pushes the other down); the caller places them."""
    from matplotlib.lines import Line2D

    blocks = [[(Line2D([], [], linestyle="none"), name, True),
               *((line, text, False) for line, text in drawn)] for name, drawn in groups]
    sizes = [sum(t.count("\n") + 1 for _, t, _ in b) for b in blocks]  # in lines of text
    if sum(sizes) <= 7 or len(blocks) == 1:
        columns = [blocks]
    else:  # the split between programmes that gives the shorter longest column
        cut = min(range(1, len(blocks)), key=lambda k: max(sum(sizes[:k]), sum(sizes[k:])))
        columns = [blocks[:cut], blocks[cut:]]
    legends = []
    for column in columns:
        entries = [e for b in column for e in b]
        leg = a.figure.legend([e[0] for e in entries], [e[1] for e in entries],
                              loc="upper left", fontsize=COUNT_LEGEND_PT, frameon=False,
                              handlelength=3.2, borderaxespad=0, borderpad=0,
                              labelspacing=0.35)
        for (_, _, head), text in zip(entries, leg.get_texts(), strict=True):
            if head:
                text.set_fontweight("bold")
        legends.append(leg)
    return legends


def draw_chart(kind: str, kwargs: dict, dpi: int = 100) -> bytes:
    """One chart as palette PNG bytes: ``kind`` names a plot function of this module. The
    report job calls it in worker processes."""
    if kind not in ("plot_metric", "plot_effects", "plot_intervention_counts"):
        raise ValueError(f"unknown chart kind {kind!r}")
    fig = globals()[kind](**kwargs)
    try:
        return figure_png(fig, dpi=dpi)
    finally:
        plt.close(fig)


def warm_up() -> None:
    """Draw and throw away a tiny chart, so that a fresh worker has its fonts and caches
    ready before the real charts arrive."""
    fig, ax = plt.subplots(figsize=(1, 1))
    ax.plot([0, 1], [0, 1])
    ax.set_title("warm")
    figure_png(fig, dpi=20)
    plt.close(fig)
