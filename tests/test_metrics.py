"""The registry of named metrics (sim/metrics.py): every required metric is documented and
recorded with its breakdowns; the civic core is the share who give most."""

from __future__ import annotations

import numpy as np

from sim.metrics import CORE_METRICS, REGISTRY
from tests.tiny import run


def test_every_required_metric_is_registered_and_recorded():
    frame = run(1, days=3).metrics_frame()
    for name in CORE_METRICS:
        assert name in REGISTRY and REGISTRY[name].doc
        assert name in frame.columns
    assert "burnout_per_1000[orientation=rescuer]" in frame.columns
    assert "helper_strain[orientation=rescuer]" in frame.columns
    assert "trust_out_group[section=newcomers]" in frame.columns
    assert "help_concentration[orientation=rescuer]" not in frame.columns  # community metric


def test_the_civic_core_is_the_share_who_give_most_with_ties_at_the_cut():
    from sim.metrics import civic_core

    given = np.array([0.0, 5.0, 3.0, 3.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0])
    assert np.flatnonzero(civic_core(given, 0.01)).tolist() == [1]  # at least one resident
    assert np.flatnonzero(civic_core(given, 0.2)).tolist() == [1, 2, 3]  # both 3s count
    assert np.flatnonzero(civic_core(given, 0.5)).tolist() == [1, 2, 3, 4]  # never a non-giver
    assert not civic_core(np.zeros(10), 0.31).any()
