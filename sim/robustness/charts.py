"""Robustness charts for non-specialists (data in, figure out; never shown)."""

from __future__ import annotations

import textwrap

import numpy as np

from sim.metrics import REGISTRY
from sim.robustness.analysis import SENSITIVITY_WORDS, sensitivity_column


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


def plot_share_of_worlds(result):
    """A grid: in what share of plausible worlds each intervention does better than the
    baseline on each key metric (green: nearly always; orange: nearly never), and under it,
    in what share clearly (beyond its paired runs' noise; none with one replicate)."""
    import matplotlib.pyplot as plt

    share = result.beats_baseline()
    clearly = result.clearly_beats_baseline()
    rows = 0.75 if clearly is not None else 0.6
    fig, ax = plt.subplots(figsize=(1.35 * share.shape[1] + 3.2,
                                    rows * share.shape[0] + 2.1))
    ax.imshow(share.to_numpy(), cmap="RdYlGn", vmin=0, vmax=1, aspect="auto")
    for i in range(share.shape[0]):
        for j in range(share.shape[1]):
            v = share.iat[i, j]
            colour = "black" if 0.2 < v < 0.8 else "white"
            if clearly is None:
                ax.text(j, i, f"{v:.0%}", ha="center", va="center", fontsize=9, color=colour)
                continue
            ax.text(j, i - 0.12, f"{v:.0%}", ha="center", va="center", fontsize=9,
                    color=colour)
            ax.text(j, i + 0.2, f"clearly {clearly.iat[i, j]:.0%}", ha="center",
                    va="center", fontsize=7, color=colour)
    ax.set_xticks(range(share.shape[1]), [_label(m) for m in share.columns], rotation=30,
                  ha="right", fontsize=8)
    ax.set_yticks(range(share.shape[0]), share.index, fontsize=8)
    n = len(result.worlds)
    reps = result.outcomes.shape[2]
    note = (f"\n(near 50%: no consistent direction; 'clearly': beyond the noise of its "
            f"{reps} paired runs)" if clearly is not None else
            "\n(near 50%: no consistent direction, about a coin toss)")
    ax.set_title(f"In how many of {n} plausible worlds does each intervention\n"
                 f"do better than doing nothing?{note}", fontsize=10)
    fig.tight_layout()
    return fig


def plot_sensitivity(result, top: int = 8, sensitivity=None):
    """Bars: which uncertain assumptions the recommendation depends on most."""
    import matplotlib.pyplot as plt

    sens = sensitivity if sensitivity is not None else result.sensitivity()
    col = sensitivity_column(sens)
    conf = sens.get(f"{col}_conf")
    sens = sens[col].clip(lower=0).fillna(0).iloc[:top][::-1]
    fig, ax = plt.subplots(figsize=(8, 0.6 * len(sens) + 1.6))
    # the 95% interval of each index (SALib's), so a ranking is not read as a measurement
    xerr = None if conf is None else conf.reindex(sens.index).fillna(0).to_numpy()
    ax.barh(np.arange(len(sens)), sens.to_numpy(), color="#0072B2", xerr=xerr,
            error_kw={"ecolor": "#555555", "capsize": 3, "lw": 1})
    ax.set_yticks(np.arange(len(sens)),
                  ["\n".join(textwrap.wrap(plain_name(result, p, 76), 40))
                   + f"\n({p.split('.', 1)[1]})" for p in sens.index],
                  fontsize=7.5)
    what = SENSITIVITY_WORDS[col] + (" (too few worlds for indices)"
                                     if col == "abs_spearman" else "")
    ax.set_xlabel(f"influence on the recommendation's margin:\n{what}"
                  + ("; whiskers: 95% interval" if conf is not None else ""))
    ax.set_title("Which assumptions the recommendation depends on most", fontsize=10)
    fig.tight_layout()
    return fig
