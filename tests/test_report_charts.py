"""What a reader must be able to see in the report's charts, drawn from small made-up tables
(no model runs): intervention windows that overlap are shaded in the one tint the legend
shows."""

from __future__ import annotations

import matplotlib
import numpy as np
import pandas as pd
import pytest

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.colors import to_rgba  # noqa: E402

from sim.report import charts  # noqa: E402
from sim.report.chart_parts import WINDOW_ALPHA, WINDOW_TINT, window_spans  # noqa: E402

DAYS = 200


def _bands(pairs: list[tuple[str, str]], level=lambda i, day: 0.4 + 0.001 * day):
    """Band rows (scenario, day, metric, median, lo, hi) for each (scenario, metric)."""
    days = np.arange(DAYS + 1)
    parts = []
    for i, (scenario, metric) in enumerate(pairs):
        median = np.array([level(i, d) for d in days], dtype=float)
        parts.append(pd.DataFrame({"scenario": scenario, "day": days, "metric": metric,
                                   "median": median, "lo": median * 0.9,
                                   "hi": median * 1.1}))
    return pd.concat(parts, ignore_index=True)


def test_window_spans_are_the_union_of_the_windows():
    windows = [("a", 10, 50), ("b", 30, 80), ("c", 120, None), ("d", 150, 170), ("e", 90, 95)]
    assert window_spans(windows, DAYS) == [(10, 80), (90, 95), (120, DAYS)]
    assert window_spans([("a", 10, 300)], DAYS) == [(10, DAYS)]
    assert window_spans([], DAYS) == []


def test_overlapping_windows_are_shaded_once_in_the_tint_the_legend_shows():
    """Three programmes whose windows overlap: one shaded span, in the legend's colour (the
    old code laid three translucent colours over each other, into shades not in the
    legend)."""
    bands = _bands([("Baseline", "trust_out_group"), ("Package", "trust_out_group")])
    windows = {"Package": [("A", 30, None), ("B", 60, 150), ("C", 90, 120)]}
    fig = charts.plot_metric(bands, "trust_out_group", baseline="Baseline", windows=windows,
                             steady=None)
    try:
        ax = fig.axes[0]
        shaded = ax.patches  # the bands are collections; the spans are the patches
        assert len(shaded) == 1
        assert (shaded[0].get_bbox().x0, shaded[0].get_bbox().x1) == (30, DAYS)
        tint = to_rgba(WINDOW_TINT, WINDOW_ALPHA)
        assert shaded[0].get_facecolor() == pytest.approx(tint)
        legend = {t.get_text(): h for t, h in zip(fig.legends[0].get_texts(),
                                                   fig.legends[0].legend_handles,
                                                   strict=True)}
        swatch = legend["intervention running (dashed: start, dotted: end)"]
        assert swatch.get_facecolor() == pytest.approx(tint)
        # each window still marks its start (dashed); the two that end before the run, dotted
        styles = sorted(line.get_linestyle() for line in ax.lines if line.get_xdata()[0] in
                        (30, 60, 90, 120, 150) and len(set(line.get_xdata())) == 1)
        assert styles == ["--", "--", "--", ":", ":"]
    finally:
        plt.close(fig)
