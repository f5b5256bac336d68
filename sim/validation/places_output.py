"""A place validation's results: the predictions and the comparison with observed figures
as plain-text tables and charts, and :func:`write_outputs`, which writes them (each
atomically) into the run's own dated folder."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from sim.validation.places import ALL, BASELINE_KEY, Estimate, Predictions
from sim.validation.places_observed import DIRECTIONS

METRIC_LABELS = {
    "trust_generalised": "neighbour trust",
    "belonging_share": "belonging",
    "chat_monthly_share": "chat monthly",
    "favours_share": "favours",
    "loneliness_share": "lonely often/always",
}


def _pct(x: float) -> str:
    return "n/a" if not np.isfinite(x) else f"{100 * x:.1f}"


def _interval(e: Estimate, signed: bool = False) -> str:
    sign = "+" if signed and e.mean >= 0 else ""
    if not np.isfinite(e.lo):
        return f"{sign}{_pct(e.mean)}"
    lo_sign = "+" if signed and e.lo >= 0 else ""
    hi_sign = "+" if signed and e.hi >= 0 else ""
    return f"{sign}{_pct(e.mean)} [{lo_sign}{_pct(e.lo)}, {hi_sign}{_pct(e.hi)}]"


def predictions_text(pred: Predictions) -> str:
    """A plain-text table of the predictions (percent, 95% intervals over seeds)."""
    lines = [f"Predicted survey shares, % of residents (mean of {len(pred.seeds)} seeds, days "
             f"{pred.window[0]}-{pred.window[1]}, 95% interval); contrast = place minus the "
             "baseline, paired by seed, in points",
             "residents: " + "; ".join(f"{p.name} {p.residents:,}" for p in pred.all_places()),
             ""]
    head = f"{'place':28s} {'metric':20s} {'predicted':>22s} {'contrast':>24s}"
    lines += [head, "-" * len(head)]
    for p in pred.all_places():
        for metric in pred.metrics:
            lv = pred.level(p.key, metric)
            ct = pred.contrast(p.key, metric)
            contrast = "" if p.key == BASELINE_KEY else _interval(ct, signed=True)
            lines.append(f"{p.name[:28]:28s} {METRIC_LABELS.get(metric, metric):20s} "
                         f"{_interval(lv):>22s} {contrast:>24s}")
    return "\n".join(lines)


def plot_predictions(pred: Predictions):
    """Each metric's predicted share by place (dot, 95% interval over seeds), the baseline's
    interval shaded. Returns the figure."""
    import matplotlib.pyplot as plt

    metrics = list(pred.metrics)
    fig, axes = plt.subplots(1, len(metrics), figsize=(3.1 * len(metrics), 3.4), sharey=True,
                             squeeze=False)
    axes = axes[0]
    places = pred.all_places()
    y = np.arange(len(places))[::-1]
    for a, metric in zip(axes, metrics, strict=True):
        base = pred.level(BASELINE_KEY, metric)
        if np.isfinite(base.lo):
            a.axvspan(base.lo, base.hi, color="#dddddd", lw=0)
        a.axvline(base.mean, color="#888888", lw=1)
        for yi, p in zip(y, places, strict=True):
            e = pred.level(p.key, metric)
            err = ([[e.mean - e.lo], [e.hi - e.mean]] if np.isfinite(e.lo) else None)
            a.errorbar(e.mean, yi, xerr=err, fmt="o", color="#0072B2", capsize=3)
        a.set_title(METRIC_LABELS.get(metric, metric), fontsize=10)
        a.set_xlim(0, 1)
        a.set_xlabel("share of residents")
    axes[0].set_yticks(y, [p.name for p in places])
    fig.suptitle("Predicted for places the model was never fitted to (model: dot, 95% "
                 "interval over seeds)", fontsize=10)
    fig.tight_layout()
    return fig


VERDICT_WORDS = {"held": "direction held", "wrong": "WRONG direction",
                 "mean": "right in the mean, not clear of seed noise",
                 "none": "no clear effect"}
VERDICT_COLOURS = {"held": "#0072B2", "mean": "#88BBDD", "none": "#999999", "wrong": "#CC3311"}


def comparison_text(rows: list[dict]) -> str:
    """Observed against predicted, one line per observation (points; 95% intervals)."""
    def span(lo, hi, mid=None):
        if lo is None or not np.isfinite(lo):
            return "n/a" if mid is None else f"{100 * mid:+.1f}"
        mid_text = "" if mid is None else f"{100 * mid:+.1f} "
        return f"{mid_text}[{100 * lo:+.1f}, {100 * hi:+.1f}]"

    lines = ["Observed against predicted contrast (place minus its comparison group, points; "
             "95% intervals; observed figures never fitted). A direction is held when the "
             "model's 99% interval lies on the observed side of zero; right in the mean, not "
             "clear of seed noise, when only its 95% interval does", ""]
    head = (f"{'observation':26s} {'observed contrast':>24s} {'predicted contrast':>24s}  "
            "verdict")
    lines += [head, "-" * (len(head) + 20)]
    for r in rows:
        if r["kind"] == "direction":
            observed = f"{r['direction']} (direction only)"
        else:
            observed = span(r["observed_contrast_lo"], r["observed_contrast_hi"],
                            r["observed_contrast"])
        predicted = span(r["predicted_contrast_lo"], r["predicted_contrast_hi"],
                         r["predicted_contrast"])
        verdict = VERDICT_WORDS[r["direction_verdict"]]
        if r["size_verdict"] not in ("direction only", "wrong direction"):
            verdict += f", size {r['size_verdict']}"
        if not r["clear"]:  # said first, so no "WRONG" reads as a test failed; why, in
            # the data file's words (a user check: "direction not clear in the data" of an
            # observation whose reason is that it is not England's)
            why = r.get("status") or "the data do not settle it"
            verdict = f"not tested: {why} (the model's: {verdict})"
        lines.append(f"{r['id']:26s} {observed:>24s} {predicted:>24s}  {verdict}")
    return "\n".join(lines)


def plot_comparison(rows: list[dict]):
    """Observed contrast (orange: 95% interval or range; an arrow where only the direction
    is known) against the model's paired contrast (blue dot, 95% interval over seeds), one
    row per observation, in points. Returns the figure."""
    import matplotlib.pyplot as plt

    height = 0.42 * len(rows) + 2.3  # the legend has its own strip below (it hid rows)
    fig, ax = plt.subplots(figsize=(9.5, height))
    y = np.arange(len(rows))[::-1]
    for yi, r in zip(y, rows, strict=True):
        sign = DIRECTIONS[r["direction"]]
        if r["kind"] == "direction":
            ax.annotate("", xy=(sign * 6, yi + 0.15), xytext=(0, yi + 0.15),
                        arrowprops={"arrowstyle": "->", "color": "#D55E00", "lw": 1.5})
        else:
            lo, hi = 100 * r["observed_contrast_lo"], 100 * r["observed_contrast_hi"]
            ax.plot([lo, hi], [yi + 0.15] * 2, color="#D55E00", lw=4, alpha=0.6,
                    solid_capstyle="butt")
            if r["observed_contrast"] is not None:
                ax.plot(100 * r["observed_contrast"], yi + 0.15, "|", color="#D55E00",
                        ms=10, mew=2)
        mid = 100 * r["predicted_contrast"]
        err = [[mid - 100 * r["predicted_contrast_lo"]], [100 * r["predicted_contrast_hi"] - mid]]
        colour = VERDICT_COLOURS[r["direction_verdict"]]
        ax.errorbar(mid, yi - 0.15, xerr=err, fmt="o", color=colour, capsize=3, ms=5)
    ax.axvline(0, color="#444444", lw=0.8)
    labels = [f"{r['place_name']}: {METRIC_LABELS.get(r['metric'], r['metric'])}"
              + ("" if r["group"] == ALL else f" ({r['group']})")
              + ("" if r["clear"] else " *") for r in rows]
    ax.set_yticks(y, labels, fontsize=8)
    ax.set_xlabel("contrast with the comparison group (percentage points)")
    from matplotlib.lines import Line2D

    handles = [
        Line2D([], [], color="#D55E00", lw=4, alpha=0.6, label="observed (95% interval or range)"),
        Line2D([], [], color="#D55E00", marker=r"$\rightarrow$", ls="", ms=12,
               label="observed: direction only"),
        Line2D([], [], color=VERDICT_COLOURS["held"], marker="o", ls="",
               label="model: direction held"),
        Line2D([], [], color=VERDICT_COLOURS["mean"], marker="o", ls="",
               label="model: right in the mean, not clear of seed noise"),
        Line2D([], [], color="#CC3311", marker="o", ls="", label="model: wrong direction"),
        Line2D([], [], color="#999999", marker="o", ls="", label="model: no clear effect"),
    ]
    # below the chart, not over it (a user check: it hid the last two rows' bars)
    fig.legend(handles=handles, fontsize=7, loc="lower center", ncol=3, frameon=False)
    ax.set_title("Places never fitted to: observed against predicted contrast (model: 95% "
                 "interval over seeds;\n* not tested: see summary.txt for why)",
                 fontsize=9)
    fig.tight_layout(rect=(0, 0.7 / height, 1, 1))
    return fig


def write_outputs(pred: Predictions, out_dir: str | Path,
                  rows: list[dict] | None = None) -> tuple[dict[str, Path], str]:
    """predictions.csv, places.png, runs.json and summary.txt in ``out_dir``, and with the
    observed figures' comparison ``rows`` also comparison.csv and comparison.png; returns
    the paths and the summary text."""
    import matplotlib.pyplot as plt

    from sim.report.outputs import write_csv_atomic, write_figure_atomic, write_text_atomic
    from sim.validation.places import DEFAULT_SEEDS

    out_dir = Path(out_dir)
    text = predictions_text(pred)
    if len(pred.seeds) < DEFAULT_SEEDS:  # a user read "size within" from 2 seeds as a pass
        text = (f"WARNING: only {len(pred.seeds)} seeds (the default is {DEFAULT_SEEDS}): the "
                "intervals are too wide to test much, so 'no clear effect' and 'size within' "
                "below say little; run with --seeds "
                f"{DEFAULT_SEEDS} or more before reading them as passes.\n\n" + text)
    paths = {"predictions": write_csv_atomic(out_dir / "predictions.csv", pred.table().round(4))}
    fig = plot_predictions(pred)
    paths["chart"] = write_figure_atomic(out_dir / "places.png", fig)
    plt.close(fig)
    paths["runs"] = write_text_atomic(out_dir / "runs.json", json.dumps({
        "seeds": pred.seeds, "root_seed": pred.root_seed, "window_days": list(pred.window),
        "places": {p.key: {"name": p.name, "path": p.path, "residents": p.residents,
                           "runs": p.runs} for p in pred.all_places()},
    }, indent=1))
    if rows:
        import pandas as pd

        text += "\n\n" + comparison_text(rows)
        paths["comparison"] = write_csv_atomic(out_dir / "comparison.csv",
                                               pd.DataFrame(rows).round(4))
        fig = plot_comparison(rows)
        paths["comparison_chart"] = write_figure_atomic(out_dir / "comparison.png", fig)
        plt.close(fig)
    paths["summary"] = write_text_atomic(out_dir / "summary.txt", text + "\n")
    return paths, text
