"""The daily metrics table (sim/metrics_table.py): a breakdown's columns, weighted by group
size, add back up to the whole community's."""

from __future__ import annotations

import numpy as np
import pytest

from sim.params import ORIENTATIONS
from tests.tiny import run


def test_breakdowns_average_back_to_the_whole():
    m = run(3, days=30)
    f = m.metrics_frame().iloc[-1]
    sizes = np.bincount(m.pop.orientation, minlength=len(ORIENTATIONS))
    by_orientation = np.array([f[f"loneliness_share[orientation={o}]"] for o in ORIENTATIONS])
    assert np.nansum(by_orientation * sizes) / sizes.sum() == pytest.approx(f.loneliness_share)
