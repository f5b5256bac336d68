"""Write a robustness analysis: tables (CSV), charts (PNG), the HTML fragment and a text
summary."""

from __future__ import annotations

import json
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from sim.report.units import fmt_share_of
from sim.robustness.analysis import CLEAR_MARGIN, NO_CLEAR_BEST
from sim.robustness.charts import plot_sensitivity, plot_share_of_worlds
from sim.robustness.html import (
    clearest,
    in_short,
    lower_lead,
    reading_words,
    robustness_page,
    setup_sentence,
    summary_sentences,
)
from sim.robustness.worlds import Uncertainty


def result_to_json(result) -> str:
    """Everything needed to redo the analysis without rerunning (see :func:`load_result`)."""
    return json.dumps({
        "scenarios": result.scenarios, "metrics": result.metrics, "primary": result.primary,
        "method": result.method, "setup": result.setup,
        "uncertainties": [u.__dict__ for u in result.uncertainties],
        "worlds": result.worlds.tolist(),
        "outcomes": np.where(np.isnan(result.outcomes), None, result.outcomes).tolist(),
    })


def load_result(path: str | Path):
    """A :class:`RobustnessResult` from ``robustness.json`` (written by write_outputs)."""
    from sim.robustness.analysis import RobustnessResult

    d = json.loads(Path(path).read_text())
    return RobustnessResult(d["scenarios"], [Uncertainty(**u) for u in d["uncertainties"]],
                            np.array(d["worlds"], dtype=float), d["metrics"], d["primary"],
                            np.array(d["outcomes"], dtype=float), method=d["method"],
                            setup=d.get("setup", {}))


def write_outputs(result, out_dir: str | Path) -> tuple[dict[str, Path], str]:
    """Files in ``out_dir``; returns their paths and a plain-text summary."""
    from sim.report.outputs import write_csv_atomic, write_figure_atomic, write_text_atomic

    out_dir = Path(out_dir)
    sens = result.sensitivity()
    flips = result.flips(sensitivity=sens)
    worlds = pd.DataFrame(result.worlds, columns=[u.path for u in result.uncertainties])
    worlds["recommended"] = [result.scenarios[i] for i in result.recommendation()]
    worlds["margin"] = result.margin()
    worlds["runner_up"] = [result.scenarios[i] for i in result.runner_up()]
    clear = result.clear_recommendation()
    if clear is not None:  # the best where it is beyond the noise (docs/ROBUSTNESS.md)
        worlds["clearly_recommended"] = [result.scenarios[i] if i >= 0 else NO_CLEAR_BEST
                                         for i in clear]
    paths = {
        "beats_baseline": write_csv_atomic(out_dir / "beats_baseline.csv",
                                           result.beats_baseline().reset_index(
                                               names="intervention")),
        "beats_each_other": write_csv_atomic(out_dir / "beats_each_other.csv",
                                             result.beats_each_other()),
        "sensitivity": write_csv_atomic(out_dir / "sensitivity.csv",
                                        sens.reset_index(names="parameter")),
        "worlds": write_csv_atomic(out_dir / "worlds.csv", worlds),
    }
    clearly = clearly_table(result)
    if clearly is not None:
        paths["clearly_beats_baseline"] = write_csv_atomic(
            out_dir / "clearly_beats_baseline.csv", clearly)
    paths["result"] = write_text_atomic(out_dir / "robustness.json", result_to_json(result))
    figs = {"worlds": plot_share_of_worlds(result),
            "sensitivity": plot_sensitivity(result, sensitivity=sens)}
    for key, fig in figs.items():
        paths[f"chart_{key}"] = write_figure_atomic(out_dir / f"robustness_{key}.png", fig)
        plt.close(fig)
    html = robustness_page(result, {k: f"robustness_{k}.png" for k in figs}, sens, flips)
    paths["html"] = write_text_atomic(out_dir / "robustness.html", html)
    lines = [f"In short: {lower_lead(in_short(result))}", clearest(result), ""]  # first
    lines = [line for line in lines[:2] if line] + [""]
    lines += [line for line in (setup_sentence(result),) if line]
    lines += summary_sentences(result, sens, flips)
    of_worlds = _of_worlds(result)
    lines += ["", "share of worlds beating the baseline:",
              result.beats_baseline().to_string(float_format=of_worlds)]
    if clearly is not None:
        lines += ["", f"share of worlds beating it clearly (by more than {CLEAR_MARGIN:g} "
                  "times the paired noise):",
                  result.clearly_beats_baseline().to_string(float_format=of_worlds)]
    lines += ["", *best_lines(result)]
    lines += ["", *reading_words(result)]
    return paths, "\n".join(lines)


def _of_worlds(result):
    """A table's share of the result's worlds, as the page says it (fmt_share_of: a count
    with few worlds)."""
    n = len(result.worlds)
    return lambda share: fmt_share_of(share, n)


def clearly_table(result) -> pd.DataFrame | None:
    """Tidy: per intervention and metric, the share of worlds better than the baseline (as
    beats_baseline.csv), clearly better and clearly worse (beyond :data:`CLEAR_MARGIN` times
    the paired noise), and that noise (the standard error of one world's effect, in the
    metric's units); ``None`` with one replicate."""
    clear = result.clearly_beats_baseline()
    if clear is None:
        return None
    worse = result.clearly_beats_baseline(worse=True)
    share = result.beats_baseline()
    se = result.paired_noise()
    rows = [{"intervention": i, "metric": m, "better": share.at[i, m],
             "clearly_better": clear.at[i, m], "clearly_worse": worse.at[i, m],
             "noise_se": se[k, j]}
            for k, i in enumerate(result.interventions, start=1)
            for j, m in enumerate(result.metrics)]
    return pd.DataFrame(rows)


def best_lines(result) -> list[str]:
    """The terminal's tables of the recommendation: the share of worlds in which each
    option is best on the primary metric (at face value and clearly), and head to head."""
    from sim.metrics import REGISTRY

    pct = _of_worlds(result)
    label = REGISTRY[result.primary].label
    best = pd.DataFrame({"best": result.recommendation_shares()})
    clear = result.clear_recommendation_shares()
    if clear is not None:
        best = best.reindex(clear.index)
        best["clearly best"] = clear
    lines = [f"share of worlds in which each option is best on '{label}'"
             + (" (clearly: ahead of every other by more than "
                f"{CLEAR_MARGIN:g} times the noise of the difference):" if clear is not None
                else ":"),
             best.to_string(float_format=pct, na_rep="-")]
    if len(result.interventions) > 1:
        each = result.beats_each_other()
        each = each[each.metric == result.primary]
        names = result.interventions
        got = each.set_index(["a", "b"])

        def cell(a, b):
            if a == b:
                return "-"
            row = got.loc[(a, b)]
            return pct(row.share) + ("" if clear is None else f" ({pct(row.clearly_better)})")

        table = pd.DataFrame([[cell(a, b) for b in names] for a in names], index=names,
                             columns=names)
        lines += ["", f"head to head on '{label}': share of worlds the row beats the column"
                  + ("" if clear is None else " (in brackets: clearly)") + ":",
                  table.to_string()]
    return lines
