"""Validation against published results (docs/VALIDATION.md).

- :mod:`sim.validation.reputation_game`: Nowak & Sigmund 1998, q > c/b;
- :mod:`sim.validation.contact`: Pettigrew & Tropp 2006, contact and out-group trust;
- :mod:`sim.validation.loneliness`: Cacioppo, Fowler & Christakis 2009, loneliness by
  network distance.

:func:`run_validation` runs all three and returns their data; :func:`write_figures` draws
the charts of docs/VALIDATION.md from that data.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from sim.validation.contact import contact_trust_correlation, correlation_by_contact_gain
from sim.validation.loneliness import FRAMINGHAM_SHARE, loneliness_gradient
from sim.validation.reputation_game import play_reputation_game, sweep_q, threshold_q

__all__ = ["contact_trust_correlation", "loneliness_gradient", "play_reputation_game",
           "run_validation", "sweep_q", "threshold_q", "write_figures"]


def run_validation(*, seeds=(0, 1, 2), residents: int = 1000, cost_benefit: float = 0.3,
                   start_share: float = 0.9,
                   contact_gains=(0.002, 0.005, 0.01, 0.015, 0.03)) -> dict:
    """All three checks on the shipped baseline, plus the contact-trust correlation over
    a range of contact effect sizes (under a minute on one core)."""
    qs = np.unique(np.round(np.r_[np.arange(0.05, 0.651, 0.05), 0.31, 0.32, 0.33, 0.34], 3))
    sweep = sweep_q(qs, cost_benefit=cost_benefit, seeds=seeds, start_share=start_share)
    sweep["threshold"] = threshold_q(cost_benefit, start_share)
    return {
        "reputation": sweep,
        "contact": contact_trust_correlation(seeds=seeds, residents=residents),
        "loneliness": loneliness_gradient(seeds=seeds, residents=residents,
                                          top_share=FRAMINGHAM_SHARE),
        "loneliness_survey": loneliness_gradient(seeds=seeds, residents=residents),
        "contact_gain": correlation_by_contact_gain(contact_gains, seeds=seeds[:2],
                                                    residents=residents),
    }


def write_figures(results: dict, out_dir: str | Path) -> dict[str, Path]:
    """The validation charts as PNG files in ``out_dir``."""
    import matplotlib.pyplot as plt

    from sim.params import RuleParams
    from sim.report.outputs import write_figure_atomic
    from sim.validation.figures import (
        plot_contact,
        plot_contact_gain,
        plot_loneliness,
        plot_reputation_sweep,
    )

    out_dir = Path(out_dir)
    figs = {
        "reputation": plot_reputation_sweep(results["reputation"]),
        "contact": plot_contact(results["contact"]),
        "loneliness": plot_loneliness(results["loneliness"]),
    }
    if "contact_gain" in results:
        figs["contact_gain"] = plot_contact_gain(results["contact_gain"],
                                                 RuleParams().contact_trust_gain)
    paths = {}
    for key, fig in figs.items():
        paths[key] = write_figure_atomic(out_dir / f"validation_{key}.png", fig)
        plt.close(fig)
    return paths
