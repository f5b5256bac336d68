"""Robustness charts for non-specialists (data in, figure out; never shown)."""

from __future__ import annotations

import textwrap

import numpy as np

from sim.metrics import REGISTRY
from sim.report.units import fmt_share_of
from sim.robustness.analysis import CLEAR_MARGIN, SENSITIVITY_WORDS, sensitivity_column
from sim.robustness.worlds import short_name


def _label(metric: str) -> str:
    m = REGISTRY.get(metric)
    return m.label if m else metric


def plain_name(result, path: str, width: int = 46) -> str:
    """The parameter's meaning in words (its doc, shortened at a word's end, never inside
    one: "trust squared ti..." read as nonsense), for readers of charts."""
    doc = next((u.doc for u in result.uncertainties if u.path == path), "") or path
    doc = doc.split(" (")[0]
    if len(doc) <= width:
        return doc
    return doc[: width - 1].rsplit(" ", 1)[0].rstrip(" ,;:") + "…"


def chance_clearly(n: int) -> int:
    """The fewest worlds, of ``n``, that could be 'clearly' worse (or better) by chance
    alone less than 5% of the time where the true effect is zero in every world (a world
    passes by chance with probability P(Z > CLEAR_MARGIN), about 2.3%)."""
    from scipy.stats import binom, norm

    p = norm.sf(CLEAR_MARGIN)
    return int(next(k for k in range(1, n + 2) if binom.sf(k - 1, n, p) < 0.05))


def clearly_worse_marks(result):
    """(interventions, metrics) booleans: the cells of the worlds chart marked as clearly
    worse than doing nothing in more worlds than chance alone gives; ``None`` with one
    replicate."""
    worse = result.clearly_beats_baseline(worse=True)
    if worse is None:
        return None
    n = len(result.worlds)
    return np.rint(worse.to_numpy() * n) >= chance_clearly(n)


def plot_share_of_worlds(result):
    """A grid: in what share of plausible worlds each intervention does better than the
    baseline on each key metric (green: nearly always; red: nearly never), and under it,
    in what share clearly better and clearly worse (beyond its paired runs' noise; none
    with one replicate). A cell is hatched where the intervention is clearly worse than
    doing nothing in more worlds than chance alone would give (:func:`chance_clearly`)."""
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch, Rectangle

    share = result.beats_baseline()
    clearly = result.clearly_beats_baseline()
    worse = result.clearly_beats_baseline(worse=True)
    marks = clearly_worse_marks(result)
    n = len(result.worlds)
    rows = 0.95 if clearly is not None else 0.6
    fig, ax = plt.subplots(figsize=(1.35 * share.shape[1] + 3.2,
                                    rows * share.shape[0] + 2.9))
    ax.imshow(share.to_numpy(), cmap="RdYlGn", vmin=0, vmax=1, aspect="auto")
    for i in range(share.shape[0]):
        for j in range(share.shape[1]):
            v = share.iat[i, j]
            colour = "black" if 0.2 < v < 0.8 else "white"
            if clearly is None:
                ax.text(j, i, fmt_share_of(v, n), ha="center", va="center", fontsize=9,
                        color=colour)
                continue
            box = {"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.85}
            if marks[i, j]:
                ax.add_patch(Rectangle((j - 0.5, i - 0.5), 1, 1, fill=False, hatch="///",
                                       edgecolor="#6B0000", lw=0))
                ax.add_patch(Rectangle((j - 0.48, i - 0.48), 0.96, 0.96, fill=False,
                                       edgecolor="#6B0000", lw=2))
                colour = "black"
            kw = {"bbox": box} if marks[i, j] else {}
            ax.text(j, i - 0.22, fmt_share_of(v, n), ha="center", va="center", fontsize=9,
                    color=colour, **kw)
            ax.text(j, i + 0.05, f"clearly {fmt_share_of(clearly.iat[i, j], n)}", ha="center",
                    va="center", fontsize=7, color=colour, **kw)
            ax.text(j, i + 0.29, f"clearly worse {fmt_share_of(worse.iat[i, j], n)}", ha="center",
                    va="center", fontsize=7, color=colour,
                    fontweight="bold" if marks[i, j] else "normal", **kw)
    ax.set_xticks(range(share.shape[1]), [_label(m) for m in share.columns], rotation=30,
                  ha="right", fontsize=8)
    ax.set_yticks(range(share.shape[0]), share.index, fontsize=8)
    reps = result.outcomes.shape[2]
    note = (f"\n(near 50%: no consistent direction; 'clearly': beyond the noise of its "
            f"{reps} paired runs)" if clearly is not None else
            "\n(near 50%: no consistent direction, about a coin toss)")
    ax.set_title(f"In how many of {n} plausible worlds does each intervention\n"
                 f"do better than doing nothing?{note}", fontsize=10)
    # the colour is the share of worlds it does better in, at face value: few is not
    # "clearly worse" (a user check read an orange "1 of 4, clearly worse 0 of 4" as harm)
    handles = [Patch(facecolor="#1a9850", label="green: better in nearly every world"),
               Patch(facecolor="#fee08b", label="yellow: better in about half (no "
                     "consistent direction)"),
               Patch(facecolor="#d73027", label="orange to red: better in few or none (not "
                     "clearly worse unless it says so)")]
    if marks is not None:
        k = chance_clearly(n)
        handles.append(Patch(facecolor="white", edgecolor="#6B0000", hatch="///", lw=2,
                             label=f"hatched: clearly worse than doing nothing in {k} or "
                             f"more of {n} worlds (more than chance alone gives)"))
    fig.legend(handles=handles, loc="lower center", ncol=2, fontsize=7.5, frameon=False)
    fig.tight_layout(rect=(0, 0.1 if marks is not None else 0.08, 1, 1))
    return fig


def plot_sensitivity(result, top: int = 8, sensitivity=None):
    """Bars: how much the recommendation's margin depends on each uncertain assumption, the
    ones that stand out from chance in blue, the rest in grey (rank correlations: with the
    chance level drawn); with no ranking to give (too few worlds, indices that measure
    nothing), no bars but the reason (:func:`sim.robustness.analysis.read_sensitivity`)."""
    import matplotlib.pyplot as plt

    from sim.robustness.analysis import read_sensitivity
    from sim.robustness.html import _judged, _no_ranking_words

    sens = sensitivity if sensitivity is not None else result.sensitivity()
    n = len(result.worlds)
    reading = read_sensitivity(sens, n)
    if reading.status in ("too_few_worlds", "not_measured"):
        fig, ax = plt.subplots(figsize=(8, 2.6))
        ax.axis("off")
        ax.set_title(f"No ranking of the assumptions: too few worlds ({n:,})", fontsize=10)
        ax.text(0.5, 0.5, "\n".join(textwrap.wrap(_no_ranking_words(result, reading), 95)),
                ha="center", va="center", fontsize=8, transform=ax.transAxes)
        return fig
    col = sensitivity_column(sens)
    conf = sens.get(f"{col}_conf")
    beyond = sens.get("beyond_chance")
    shown = sens[col].clip(lower=0).fillna(0).iloc[:top][::-1]
    colours = ["#0072B2" if beyond is not None and beyond[p] else "#999999"
               for p in shown.index]
    fig, ax = plt.subplots(figsize=(8, 0.6 * len(shown) + 1.9))
    # the 95% interval of each index (SALib's), so a ranking is not read as a measurement
    xerr = None if conf is None else conf.reindex(shown.index).fillna(0).to_numpy()
    ax.barh(np.arange(len(shown)), shown.to_numpy(), color=colours, xerr=xerr,
            error_kw={"ecolor": "#555555", "capsize": 3, "lw": 1})
    ax.set_yticks(np.arange(len(shown)),
                  ["\n".join(textwrap.wrap(plain_name(result, p, 76), 40))
                   + f"\n({short_name(p)})" for p in shown.index],
                  fontsize=7.5)
    level = reading.chance_level
    if col == "abs_spearman" and level is not None and np.isfinite(level):
        ax.axvline(level, color="#D55E00", ls="--", lw=1.2,
                   label=f"chance level {level:.2f}: the largest of {reading.n_params} "
                   "exceeds it by chance 1 time in 20 when none matters")
        ax.set_xlim(0, 1.05)
        ax.legend(fontsize=7, loc="lower right")
    what = SENSITIVITY_WORDS[col] + (" (too few worlds for indices)"
                                     if col == "abs_spearman" else "")
    rule = ("" if col == "abs_spearman" else
            f"\nblue: {_judged(reading).removeprefix('its ')} more than {reading.bar:.2f} "
            "standard errors above zero (beyond chance)")
    ax.set_xlabel(f"influence on the recommendation's margin:\n{what}"
                  + ("; whiskers: 95% interval" if conf is not None else "") + rule,
                  fontsize=8)
    if reading.ranked:
        title = ("Which assumptions the recommendation's margin depends on\n"
                 "(blue: beyond chance; grey: within what chance gives)")
    else:
        title = (f"No assumption stands out from chance ({n:,} worlds)\n"
                 "(grey: within what chance gives)")
    ax.set_title(title, fontsize=10)
    fig.tight_layout()
    return fig
