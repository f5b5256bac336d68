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
import textwrap

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from sim.report.units import display  # noqa: E402

# Okabe & Ito (2008), "Color Universal Design"
OKABE_ITO = {
    "black": "#000000", "orange": "#E69F00", "sky_blue": "#56B4E9", "green": "#009E73",
    "yellow": "#F0E442", "blue": "#0072B2", "vermillion": "#D55E00", "purple": "#CC79A7",
}
BASELINE_COLOUR = "#6E6E6E"
SCENARIO_COLOUR = OKABE_ITO["blue"]
WINDOW_COLOURS = [OKABE_ITO[k] for k in ("orange", "green", "purple", "sky_blue", "yellow",
                                          "vermillion")]
VERDICT_COLOURS = {"better": OKABE_ITO["blue"], "worse": OKABE_ITO["vermillion"],
                   "unclear": "#8C8C8C", "changed": OKABE_ITO["black"]}
VERDICT_MARKERS = {"better": "o", "worse": "s", "unclear": "D", "changed": "^"}

BAND_NOTE = "Line: median of the runs; band: 90% of runs (5th to 95th percentile)."

plt.rcParams.update({
    "font.size": 10, "axes.titlesize": 11, "axes.labelsize": 10, "xtick.labelsize": 9,
    "ytick.labelsize": 9, "legend.fontsize": 9, "axes.spines.top": False,
    "axes.spines.right": False, "figure.dpi": 100,
})


def verdict(effect_lo: float, effect_hi: float, higher_is_better: bool | None) -> str:
    """"better", "worse", "unclear" (interval includes no change) or "changed" (a real change
    in a metric with no better direction)."""
    if any(isinstance(x, float) and math.isnan(x) for x in (effect_lo, effect_hi)):
        return "unclear"
    if effect_lo <= 0 <= effect_hi:
        return "unclear"
    if higher_is_better is None:
        return "changed"
    up = effect_lo > 0
    return "better" if up == bool(higher_is_better) else "worse"


def _wrap(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(text, width)) or text


def _draw_band(ax, rows, colour, label, z):
    rows = rows.sort_values("day")
    ax.fill_between(rows["day"], rows["lo_s"], rows["hi_s"], color=colour, alpha=0.22,
                    linewidth=0, zorder=z)
    ax.plot(rows["day"], rows["median_s"], color=colour, linewidth=2.0, label=label,
            zorder=z + 1)


def _draw_windows(ax, windows, last_day: float):
    """Shade each intervention's active window and label it at the top of the panel."""
    for i, (label, start, end) in enumerate(windows):
        end = last_day if end is None else min(end, last_day)
        colour = WINDOW_COLOURS[i % len(WINDOW_COLOURS)]
        ax.axvspan(start, end, color=colour, alpha=0.12, linewidth=0, zorder=0)
        ax.axvline(start, color=colour, linewidth=1.0, linestyle="--", zorder=0.5)
        ax.text(start, 0.98 - 0.075 * i, f" {label}", transform=ax.get_xaxis_transform(),
                ha="left", va="top", fontsize=8, color="#222222", zorder=5,
                bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "alpha": 0.75,
                      "edgecolor": colour, "linewidth": 0.8})


def _fixed_layout(fig, nrows: int, ncols: int, *, top_in: float, left_in: float = 0.85,
                  right_in: float = 0.25, bottom_in: float = 0.6, hspace_in: float = 0.8,
                  wspace_in: float = 0.95) -> None:
    """Margins and gaps in inches (a fixed layout costs one draw less than tight_layout,
    which matters with a chart per metric)."""
    w, h = fig.get_figwidth(), fig.get_figheight()
    ax_w = (w - left_in - right_in - (ncols - 1) * wspace_in) / ncols
    ax_h = (h - top_in - bottom_in - (nrows - 1) * hspace_in) / nrows
    fig.subplots_adjust(left=left_in / w, right=1 - right_in / w, bottom=bottom_in / h,
                        top=1 - top_in / h, wspace=wspace_in / ax_w, hspace=hspace_in / ax_h)


def plot_metric(bands, metric: str, *, scenarios: list[str] | None = None,
                baseline: str | None = None, windows: dict | None = None,
                metrics: dict | None = None, n_runs: int | None = None, ax=None):
    """One metric through time: median and 90% band per scenario, interventions shaded.

    With a ``baseline`` and other scenarios, each other scenario gets its own panel with the
    baseline drawn in grey behind it; otherwise each scenario is a panel of its own. ``ax`` (a
    single Axes) is allowed when there is one panel. Returns the figure."""
    d = display(metric, metrics)
    rows = bands[bands["metric"] == metric].copy()
    if rows.empty:
        raise ValueError(f"no band data for metric {metric!r}")
    for col in ("median", "lo", "hi"):
        rows[f"{col}_s"] = rows[col].astype(float) * d.scale
    order = list(scenarios or dict.fromkeys(rows["scenario"]))
    order = [s for s in order if s in set(rows["scenario"])]
    panels = [s for s in order if s != baseline] if baseline in order else order
    if not panels:  # only the baseline was run
        panels, baseline = [baseline], None
    windows = windows or {}
    last_day = float(rows["day"].max())

    if ax is not None:
        if len(panels) != 1:
            raise ValueError("an ax can only be passed when the chart has one panel")
        fig, axes = ax.figure, [ax]
    else:
        ncols = min(3, len(panels))
        nrows = math.ceil(len(panels) / ncols)
        width = 4.9 * ncols if ncols > 1 else 7.5
        fig, grid = plt.subplots(nrows, ncols, figsize=(width, 3.5 * nrows + 1.1),
                                 sharex=True, sharey=True, squeeze=False)
        axes = list(grid.flat)
        for extra in axes[len(panels):]:
            extra.set_visible(False)

    base_rows = rows[rows["scenario"] == baseline] if baseline else None
    for a, name in zip(axes, panels, strict=False):
        _draw_windows(a, windows.get(name, []), last_day)
        if base_rows is not None and not base_rows.empty:
            _draw_band(a, base_rows, BASELINE_COLOUR, "baseline", 2)
        _draw_band(a, rows[rows["scenario"] == name], SCENARIO_COLOUR, "scenario", 3)
        a.set_title(_wrap(name, 40), loc="left", fontsize=10)
        a.grid(True, axis="y", color="#E5E5E5", linewidth=0.8, zorder=-1)
        a.set_xlim(0, last_day)
        a.margins(y=0.08)
        if a in axes[-min(3, len(panels)):] or ax is not None:
            a.set_xlabel("Day of the run")
        a.set_ylabel(_wrap(d.axis, 28))
        a.tick_params(labelleft=True, labelbottom=True)
    lo, hi = float(rows["lo_s"].min()), float(rows["hi_s"].max())
    pad = max((hi - lo) * 0.08, 1e-9)
    # headroom above the data for the intervention labels
    n_lab = max((len(windows.get(p, [])) for p in panels), default=0)
    if math.isfinite(lo) and math.isfinite(hi):  # all-NaN (no needs yet in a tiny, short run)
        axes[0].set_ylim(lo - pad, hi + pad + (hi - lo + pad) * 0.09 * n_lab)

    runs = f" {n_runs} runs per scenario." if n_runs else ""
    from matplotlib.patches import Patch

    handles = [Patch(facecolor=SCENARIO_COLOUR, alpha=0.6,
                     label=panels[0] if len(panels) == 1 else "scenario named above the panel")]
    if base_rows is not None and not base_rows.empty:
        base_label = baseline if "baseline" in baseline.lower() else f"{baseline} (baseline)"
        handles.append(Patch(facecolor=BASELINE_COLOUR, alpha=0.6, label=base_label))
    if ax is None:
        h = fig.get_figheight()
        fig.suptitle(d.label, x=0.01, y=1 - 0.08 / h, ha="left", va="top", fontsize=13,
                     fontweight="bold")
        axes[0].legend(handles=handles, loc="best", fontsize=8, framealpha=0.85)
        fig.text(0.01, 1 - 0.42 / h,
                 _wrap(f"{d.doc} {BAND_NOTE}{runs} Shaded: when interventions are active.",
                       110 if len(panels) > 1 else 80),
                 ha="left", va="top", fontsize=8.5, color="#333333")
        nrows = math.ceil(len(panels) / min(3, len(panels)))
        _fixed_layout(fig, nrows, min(3, len(panels)), top_in=1.3)
    else:
        axes[0].set_title(d.label, loc="left")
        axes[0].legend(handles=handles, loc="lower right", fontsize=8)
    return fig


def plot_effects(effects, metrics_order: list[str], *, scenarios: list[str] | None = None,
                 baseline: str = "baseline", at: str = "", metrics: dict | None = None,
                 ax=None):
    """Forest plot: each scenario's paired effect against the baseline, with its 95% interval.

    One panel per metric (in ``metrics_order``), one row per scenario. Points are coloured and
    shaped by verdict (better / worse / unclear / changed); each panel says which side is
    better. ``ax`` is allowed when one metric is drawn. Returns the figure."""
    eff = effects[effects["metric"].isin(metrics_order)]
    order = list(scenarios or dict.fromkeys(eff["scenario"]))
    order = [s for s in order if s in set(eff["scenario"]) and s != baseline]
    if not order:
        raise ValueError("no effects to plot")
    names = [m for m in metrics_order if m in set(eff["metric"])]
    if ax is not None:
        if len(names) != 1:
            raise ValueError("an ax can only be passed when one metric is drawn")
        fig, axes = ax.figure, [ax]
    else:
        ncols = min(3, len(names))
        nrows = math.ceil(len(names) / ncols)
        height = max(1.6, 0.32 * len(order) + 1.2)
        fig, grid = plt.subplots(nrows, ncols, figsize=(5.2 * ncols, height * nrows + 1.0),
                                 sharey=True, squeeze=False)
        axes = list(grid.flat)
        for extra in axes[len(names):]:
            extra.set_visible(False)
    y = np.arange(len(order))[::-1]
    for i, (a, name) in enumerate(zip(axes, names, strict=False)):
        d = display(name, metrics)
        sub = eff[eff["metric"] == name].set_index("scenario")
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
        a.set_yticks(y, [_wrap(s, 26) for s in order])
        a.set_ylim(-0.7, len(order) - 0.3)
        a.grid(True, axis="x", color="#E5E5E5", linewidth=0.8, zorder=0)
        a.set_title(_wrap(d.label, 42), loc="left", fontsize=10)
        if d.higher_is_better is None:
            note_l, note_r = "\u2190 lower", "higher \u2192"
        elif d.higher_is_better:
            note_l, note_r = "\u2190 worse", "better \u2192"
        else:
            note_l, note_r = "\u2190 better", "worse \u2192"
        a.set_xlabel(f"{note_l}      change vs baseline ({d.effect_unit})      {note_r}",
                     fontsize=8.5)
        if i % 3:
            a.tick_params(labelleft=False)
    if ax is None:
        from matplotlib.lines import Line2D

        handles = [Line2D([], [], color=VERDICT_COLOURS[k], marker=VERDICT_MARKERS[k],
                          linewidth=2, label=lab)
                   for k, lab in (("better", "better (interval excludes no change)"),
                                  ("worse", "worse (interval excludes no change)"),
                                  ("unclear", "unclear (interval includes no change)"),
                                  ("changed", "changed (no better direction)"))]
        when = f" {at}" if at else ""
        h = fig.get_figheight()
        fig.suptitle(f"Effect of each scenario compared with {baseline}{when}", x=0.01,
                     y=1 - 0.08 / h, ha="left", va="top", fontsize=13, fontweight="bold")
        fig.legend(handles=handles, loc="upper right", ncols=2, fontsize=8, frameon=False,
                   bbox_to_anchor=(0.995, 1 - 0.04 / h))
        fig.text(0.01, 1 - 0.42 / h,
                 "Point: mean paired difference (replicate i of each scenario uses the same "
                 "seed); line: its 95% interval.", ha="left", va="top", fontsize=8.5,
                 color="#333333")
        fig.tight_layout(rect=(0, 0, 1, 1 - 0.65 / h))
    return fig


def plot_intervention_counts(bands, per_scenario: dict[str, list[str]], *,
                             metrics: dict | None = None, windows: dict | None = None,
                             n_runs: int | None = None):
    """What the interventions did: their own cumulative counts (residents reached,
    conversations held, ...) through time, one panel per scenario, a line (median) and band
    (90% of runs) per count. ``per_scenario`` maps a scenario to its interventions' metric
    names. Returns the figure."""
    panels = [s for s, names in per_scenario.items() if names]
    if not panels:
        raise ValueError("no intervention metrics to plot")
    windows = windows or {}
    ncols = min(2, len(panels))
    nrows = math.ceil(len(panels) / ncols)
    fig, grid = plt.subplots(nrows, ncols, figsize=(6.8 * ncols if ncols > 1 else 8.0,
                                                    3.9 * nrows + 1.0), squeeze=False)
    axes = list(grid.flat)
    for extra in axes[len(panels):]:
        extra.set_visible(False)
    colours = [OKABE_ITO[k] for k in ("blue", "vermillion", "green", "orange", "purple",
                                      "sky_blue", "black", "yellow")]
    styles = ["-", "--", ":", "-."]
    for a, scen in zip(axes, panels, strict=False):
        rows = bands[bands["scenario"] == scen]
        last_day = float(rows["day"].max()) if not rows.empty else 1.0
        for _label, start, end in windows.get(scen, []):
            end = last_day if end is None else min(end, last_day)
            a.axvspan(start, end, color=OKABE_ITO["orange"], alpha=0.06, linewidth=0)
        for i, name in enumerate(per_scenario[scen]):
            r = rows[rows["metric"] == name].sort_values("day")
            if r.empty:
                continue
            c = colours[i % len(colours)]
            a.fill_between(r["day"], r["lo"], r["hi"], color=c, alpha=0.15, linewidth=0)
            a.plot(r["day"], r["median"], color=c, linestyle=styles[(i // len(colours)) % 4],
                   linewidth=1.8, label=_wrap(display(name, metrics).label, 48))
        a.set_title(_wrap(scen, 50), loc="left", fontsize=10)
        a.set_xlim(0, last_day)
        a.set_xlabel("Day of the run")
        a.set_ylabel("count so far")
        a.grid(True, axis="y", color="#E5E5E5", linewidth=0.8)
        a.legend(loc="upper left", fontsize=7.5, framealpha=0.85)
    h = fig.get_figheight()
    runs = f" {n_runs} runs per scenario." if n_runs else ""
    fig.suptitle("What the interventions did", x=0.01, y=1 - 0.08 / h, ha="left", va="top",
                 fontsize=13, fontweight="bold")
    fig.text(0.01, 1 - 0.42 / h, "Each intervention's own counts, added up from its start. "
             f"{BAND_NOTE}{runs} Shaded: when interventions are active.", ha="left",
             va="top", fontsize=8.5, color="#333333")
    fig.tight_layout(rect=(0, 0, 1, 1 - 0.65 / h))
    return fig
