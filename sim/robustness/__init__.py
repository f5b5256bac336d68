"""Robustness of the ranking of interventions over the uncertain parameters.

Public API: :func:`run_robustness` (returns a :class:`RobustnessResult` with
``beats_baseline()``, ``beats_each_other()``, ``recommendation()``, ``sensitivity()`` and
``flips()``), :func:`robustness_html` (an HTML fragment for the report),
:func:`plot_share_of_worlds`, :func:`plot_sensitivity`, :func:`write_outputs`, and the CLI
hooks ``sim.robustness.cli.add_arguments`` / ``sim.robustness.cli.run``.
"""

from sim.robustness.analysis import (
    KEY_METRICS,
    PRIMARY_METRIC,
    RobustnessResult,
    run_robustness,
    sample_worlds,
)
from sim.robustness.charts import plot_sensitivity, plot_share_of_worlds
from sim.robustness.html import robustness_html
from sim.robustness.output import load_result, write_outputs
from sim.robustness.worlds import apply_world, uncertainties

__all__ = ["KEY_METRICS", "PRIMARY_METRIC", "RobustnessResult", "apply_world", "load_result",
           "plot_sensitivity", "plot_share_of_worlds", "robustness_html", "run_robustness",
           "sample_worlds", "uncertainties", "write_outputs"]
