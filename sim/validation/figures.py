"""Charts for docs/VALIDATION.md: data in, figure out (never shown)."""

from __future__ import annotations

import numpy as np

from sim.validation.contact import PUBLISHED_R, PUBLISHED_RANGE, PUBLISHED_SUBGROUP_BAND

BLUE, ORANGE, GREY = "#0072B2", "#D55E00", "#999999"


def _axes():
    """A new figure and its one axes (matplotlib imported only when drawing)."""
    import matplotlib.pyplot as plt

    return plt.subplots(figsize=(6.4, 4.0))


def plot_reputation_sweep(sweep: dict):
    """Final share of discriminators against q, with the c/b line (Nowak & Sigmund 1998)."""
    fig, ax = _axes()
    q, per_seed = sweep["q"], sweep["per_seed"]
    for j in range(per_seed.shape[1]):
        ax.plot(q, per_seed[:, j], "o", color=GREY, ms=3, alpha=0.7,
                label="one seed" if j == 0 else None)
    ax.plot(q, sweep["final_share"], "-o", color=BLUE, label="mean over seeds")
    cb = sweep["cost_benefit"]
    ax.axvline(cb, color=ORANGE, ls="--", label=f"c/b = {cb:g}")
    if "threshold" in sweep:
        ax.axvline(sweep["threshold"], color=ORANGE, ls=":",
                   label=f"predicted at start share: {sweep['threshold']:.3f}")
    ax.set_xlabel("q: chance an act is seen (reputation known)")
    ax.set_ylabel("share of discriminators after selection")
    ax.set_ylim(-0.03, 1.03)
    ax.set_title("Helping by reputation survives only when q > c/b")
    ax.legend(fontsize=8, loc="center right")
    fig.tight_layout()
    return fig


def plot_contact(result: dict):
    """Out-group trust against cross-section encounters in a year (one dot a resident)."""
    fig, ax = _axes()
    d = result["example"]
    ax.scatter(d["contact"], d["trust_out"], s=5, color=BLUE, alpha=0.35, lw=0)
    slope, icept = np.polyfit(d["contact"], d["trust_out"], 1)
    xs = np.linspace(d["contact"].min(), d["contact"].max(), 50)
    ax.plot(xs, icept + slope * xs, color=ORANGE)
    ax.set_xlabel("encounters with residents of other sections in the second year")
    ax.set_ylabel("trust in other sections at day 730")
    ax.set_title(f"Contact and out-group trust: r = {result['r']:.2f} "
                 f"[{result['r_lo']:.2f}, {result['r_hi']:.2f}]\n"
                 f"(Pettigrew & Tropp 2006: |r| = {PUBLISHED_R:.2f}, "
                 f"{PUBLISHED_RANGE[0]:.2f}-{PUBLISHED_RANGE[1]:.2f})", fontsize=10)
    fig.tight_layout()
    return fig


def plot_loneliness(gradient: dict):
    """Relative increase in the chance of being lonely, by distance to a lonely resident,
    model against Cacioppo et al. (2009)."""
    fig, ax = _axes()
    k = gradient["distance"]
    pub = gradient["published"]
    w = 0.35
    ax.bar(k - w / 2, [pub.get(int(i), np.nan) * 100 for i in k], w, color=GREY,
           label="Cacioppo et al. 2009")
    per_seed = gradient["per_seed"] * 100
    ax.bar(k + w / 2, gradient["increase"] * 100, w, color=ORANGE,
           yerr=[gradient["increase"] * 100 - per_seed.min(axis=0),
                 per_seed.max(axis=0) - gradient["increase"] * 100],
           label="model (against shuffled loneliness, as published; bars: seed range)")
    ax.axhline(0, color="black", lw=0.8)
    ax.set_xticks(k, [f"{int(i)} step{'s' if i > 1 else ''}" for i in k])
    ax.set_ylabel("% more likely to be lonely\nif a resident that far away is lonely")
    ax.set_title("Loneliness by network distance")
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def plot_contact_gain(sweep: dict, default: float | None = None):
    """The contact-trust correlation against the size of the contact effect, with the
    meta-analytic mean and subgroup range (which sizes match Pettigrew & Tropp 2006)."""
    fig, ax = _axes()
    ax.axhspan(*PUBLISHED_SUBGROUP_BAND, color="#cfe3f3", label="Pettigrew & Tropp subgroup means")
    ax.axhline(PUBLISHED_R, color=ORANGE, ls="--",
               label=f"meta-analytic mean |r| = {PUBLISHED_R:.2f}")
    ax.plot(sweep["gain"], sweep["r"], "-o", color=BLUE, label="model (mean over seeds)")
    if default is not None:
        ax.axvline(default, color=GREY, ls=":", label=f"shipped value {default:g}")
    ax.set_xlabel("contact_trust_gain (out-group trust gained per cross-section encounter)")
    ax.set_ylabel("r: contact against out-group trust")
    ax.set_title("Contact effect size against the meta-analysis", fontsize=10)
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig
