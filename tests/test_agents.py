"""The Mesa face (sim/agents.py): Resident and Hub agents read and write the model's arrays,
and the daily rules run the same without them."""

from __future__ import annotations

import numpy as np
import pytest

from sim.model import KindlinessModel
from sim.params import ORIENTATIONS
from tests.tiny import run, small


def test_mesa_face_reads_and_writes_the_arrays():
    m = KindlinessModel(small(200), seed=2, face=True)
    assert len(m.agents) == 200 + m.hubs.n
    resident = m.face.residents[17]
    resident.trust_out = 0.25
    assert m.pop.trust_out[17] == pytest.approx(0.25)
    assert resident.state()["orientation"] in ORIENTATIONS
    assert sorted(resident.tie_ids) == sorted(n.coordinate for n in resident.cell.neighborhood)
    assert m.face.hubs[0].name == "library"


def test_the_daily_rules_do_not_need_the_mesa_face():
    headless, faced = run(5, days=20), KindlinessModel(small(), seed=5, face=True)
    faced.run_days(20)
    np.testing.assert_array_equal(headless.metrics_frame().to_numpy(),
                                  faced.metrics_frame().to_numpy())
