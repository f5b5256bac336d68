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


def test_the_community_metrics_give_what_their_numpy_formulations_gave():
    from sim.metrics import core_of
    from sim.scenario import load_scenario
    from tests.test_metrics_table import SCENARIOS

    for scenario in ("hub_closure.toml", "third_space.toml"):
        model = load_scenario(SCENARIOS / scenario).with_overrides(
            residents=300).build_model(1, days_hint=60)
        for _ in range(50):
            model.step()
            day, hubs, row = model.today, model.hubs, model.metrics.values[model.metrics.n_rows - 1]
            col = model.metrics.columns.index
            open_now = hubs.open_today(day.weekday)
            n_open = np.count_nonzero(open_now)
            occupancy = hubs.occupancy()[open_now].sum() / n_open if n_open else np.nan
            crowded = (np.count_nonzero(hubs.visitors_today[open_now] > hubs.capacity[open_now])
                       / n_open if n_open else np.nan)
            given = model.pop.helps_given
            concentration = (min(float(given[core_of(model)].sum() / given.sum()), 1.0)
                             if given.sum() > 0 else 0.0)
            for name, want in [("hub_occupancy", occupancy), ("hubs_crowded_share", crowded),
                               ("help_concentration", concentration)]:
                assert np.array([row[col(name)]]).tobytes() == np.array([want]).tobytes(), name


def test_masked_values_are_numpys_boolean_index():
    from sim.metrics import _masked

    rng = np.random.default_rng(3)
    for n in [0, 1, 2, 7, 100, 1000]:
        for share in (0.0, 0.3, 1.0):
            values, mask = rng.random(n), rng.random(n) < share
            assert _masked(values, mask).tobytes() == values[mask].tobytes()


def test_the_civic_core_is_the_sorted_cut_on_random_amounts():
    from sim.metrics import civic_core

    rng = np.random.default_rng(4)
    for n in [0, 1, 5, 50, 1000, 10000]:
        for share_giving in (0.0, 0.2, 0.5, 1.0):
            given = np.where(rng.random(n) < share_giving,
                             np.round(rng.exponential(3.0, n), rng.integers(0, 3)), 0.0)
            k = max(int(np.ceil(0.31 * n)), 1)
            amounts = np.sort(given[given > 0])
            cut = amounts[len(amounts) - k] if len(amounts) > k else 0.0
            want = (given > 0) & (given >= cut)
            assert np.array_equal(civic_core(given), want)
    for given in (np.full(1000, 2.0), np.arange(1000.0), np.arange(1000.0)[::-1].copy(),
                  np.repeat([3.0, 1.0, 2.0], 400)):
        cut = np.sort(given[given > 0])[-310]
        assert np.array_equal(civic_core(given), (given > 0) & (given >= cut))
