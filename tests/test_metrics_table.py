"""The daily metrics table (sim/metrics_table.py): a breakdown's columns, weighted by group
size, add back up to the whole community's; the registry's metrics computed in one compiled
pass record exactly (to the bit) what their functions give through the general path; and a
row's divisions give exactly what the numpy formulation they replaced gave (kept here as the
reference)."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from sim.metrics import REGISTRY, Metric
from sim.metrics_cells import CELL_ROWS, COMMUNITY, N_CELL_ROWS, count_true
from sim.metrics_table import MetricsTable, _fill_row
from sim.model import KindlinessModel
from sim.params import ORIENTATIONS
from sim.scenario import load_scenario
from sim.sums import add_reduce
from tests.tiny import run, small

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"


def test_breakdowns_average_back_to_the_whole():
    m = run(3, days=30)
    f = m.metrics_frame().iloc[-1]
    sizes = np.bincount(m.pop.orientation, minlength=len(ORIENTATIONS))
    by_orientation = np.array([f[f"loneliness_share[orientation={o}]"] for o in ORIENTATIONS])
    assert np.nansum(by_orientation * sizes) / sizes.sum() == pytest.approx(f.loneliness_share)


def _others() -> list[Metric]:
    """Per-resident metrics outside the registry, one of each kind (0/1 and float values)."""
    return [
        Metric("needs_over_a_fifth", "", "", "", "resident",
               lambda model, day: model.pop.need > 0.2),
        Metric("strain_over_energy", "", "", "", "ratio",
               lambda model, day: (model.pop.strain, model.pop.energy), breakdown=False),
    ]


def _model(scenario: str):
    """A model of 300 residents of a shipped scenario, or with no hubs at all ("no hubs")."""
    if scenario == "no hubs":
        return KindlinessModel(dataclasses.replace(small(300), hubs=()), seed=2, days_hint=50)
    s = load_scenario(SCENARIOS / scenario).with_overrides(residents=300)
    return s.build_model(2, days_hint=50)


@pytest.mark.parametrize("scenario", ["combined_package.toml", "hub_closure.toml", "no hubs"])
def test_the_registry_pass_records_the_bits_the_metric_functions_give(scenario):
    model = _model(scenario)
    metrics = model.metrics.metrics + _others()
    fast = MetricsTable(model, metrics, days_hint=50)
    # copies of the registry's metrics are summed from what their functions return
    reference = MetricsTable(model, [dataclasses.replace(m) for m in metrics], days_hint=50)
    assert fast._registry and len(fast._buffer) == 3
    assert not reference._registry and len(reference._buffer) == 3 + len(CELL_ROWS) + 4
    assert not [m for m, _ in fast._community if m.name in COMMUNITY]
    for table in (fast, reference):
        table.record(model, None)
    for _ in range(40):
        model.step()
        for table in (fast, reference):
            table.record(model, model.today)
    # states exactly at the thresholds (compared in float32, as numpy compares them)
    pop, strained = model.pop, model.params.rules.strained_level
    for name, value in [("trust_gen", 0.5), ("loneliness", 0.7), ("attachment", 0.5),
                        ("resentment", 0.5), ("strain", strained)]:
        getattr(pop, name)[::7] = value
    for table in (fast, reference):
        table.record(model, model.today)
    assert fast.columns == reference.columns
    assert fast.values.tobytes() == reference.values.tobytes()
    assert np.isfinite(fast.column("help_within_section")[1:]).any()


def _row_reference(table: MetricsTable, cells: np.ndarray, n: int) -> np.ndarray:
    """The numpy division the compiled row replaced: whole values (nan where the denominator
    is not above 0) and group values, times each metric's scale."""
    row = np.full(len(table.columns), np.nan)
    total = cells.sum(axis=1)
    c = cells.reshape(len(cells), table._n_s, table._n_o)
    groups = np.concatenate([c.sum(axis=1), c.sum(axis=2)], axis=1)
    num, den, col, first = table._plan.T
    ratio, has = den >= 0, first >= 0
    with np.errstate(invalid="ignore", divide="ignore"):
        whole_den = np.where(ratio, total[den], n)
        row[col] = np.where(whole_den > 0, total[num] / whole_den, np.nan) * table._scale
        group_den = np.where(ratio[has, None], groups[den[has]], table._group_size[None, :])
        group_cols = first[has, None] + np.arange(len(table.group_labels))
        row[group_cols] = groups[num[has]] / group_den * table._scale[has, None]
    return row


@pytest.mark.parametrize("n_sections", [1, 2, 3, 7, 8, 30])
def test_a_row_sums_and_divides_as_the_numpy_formulation_did(n_sections):
    rng = np.random.default_rng(n_sections)
    # residents sorted by (section, orientation), some cells empty
    cell = np.sort(rng.integers(0, n_sections * len(ORIENTATIONS), 40 * n_sections))
    section, orientation = np.divmod(cell, len(ORIENTATIONS))
    pop = SimpleNamespace(section=section.astype(np.int8), n=len(cell),
                          orientation=orientation.astype(np.int8),
                          section_names=tuple(f"s{k}" for k in range(n_sections)))
    metrics = [Metric(f"m{j}", "", "", "", kind, None, breakdown=breakdown, scale=scale)
               for j, (kind, breakdown, scale) in enumerate(
                   [("resident", True, 1.0), ("ratio", True, 1000.0), ("ratio", False, 1.0),
                    ("resident", False, 100.0), ("ratio", True, 1.0)])]
    table = MetricsTable(SimpleNamespace(pop=pop), metrics, days_hint=1)
    for trial in range(100):
        cells = (rng.random(table._cells.shape)
                 * rng.choice([1.0, 300.0, 1e-3], table._cells.shape)
                 * rng.choice([1.0, -1.0], table._cells.shape))
        cells[rng.random(cells.shape) < [0.1, 0.5, 1.0][trial % 3]] = 0.0  # 0/0 and x/0
        if trial % 5 == 0:
            cells = np.round(cells)  # whole numbers (counts), ties in the divisions
        row = np.full(len(table.columns), np.nan)
        _fill_row(row, cells, n_sections, table._plan, table._scale, table._group_size,
                  float(pop.n), np.zeros(0), np.zeros(0, dtype=np.int64))
        assert row.tobytes() == _row_reference(table, cells, pop.n).tobytes()


def test_the_registry_pass_rows_are_the_registrys_metrics_each_in_its_own_rows():
    assert all(REGISTRY[name].kind != "community" for name in CELL_ROWS)
    rows = sorted(CELL_ROWS.values())
    denominators = [CELL_ROWS[n] + 1 for n in CELL_ROWS if REGISTRY[n].kind == "ratio"]
    assert sorted([*rows, *denominators]) == list(range(N_CELL_ROWS))


@pytest.mark.parametrize("n", [0, 1, 7, 8, 9, 15, 16, 17, 127, 128, 129, 136, 255, 256, 257,
                               1000, 4099, 8192, 8193, 100_003])
def test_add_reduce_is_numpys_sum_to_the_bit(n):
    rng = np.random.default_rng(n)
    for trial in range(20):
        values = (rng.random(n) * rng.choice([1.0, 1e10, 1e-5], n)
                  * rng.choice([1.0, -1.0], n))
        if trial == 1:
            values = np.round(values)  # whole numbers, with zeros of both signs
            values[::3] *= -0.0
        elif trial == 2:
            values = np.full(n, -0.0)
        elif trial == 3 and n:
            values[rng.integers(0, n)] = [np.inf, -np.inf, np.nan][n % 3]
        want = np.add.reduce(values)
        assert np.float64(add_reduce(values)).tobytes() == np.float64(want).tobytes()


@pytest.mark.parametrize("n", [0, 1, 7, 8, 9, 16, 1001, 52_003])
def test_count_true_is_numpys_count_nonzero(n):
    rng = np.random.default_rng(n)
    for share in (0.0, 0.3, 1.0):
        flags = rng.random(n + 1) < share
        for part in (flags[:n], flags[1:]):  # from the start, and from an odd byte
            assert count_true(part) == np.count_nonzero(part)


def test_help_given_counts_acts_not_helpers_and_within_section_shares_every_act():
    """A model check: "Acts of help per 100 residents a day" counted each helper once a day
    (a helper may help several), 1-2% low, and "help given within own section" kept only each
    helper's last act. A day of three acts by two helpers (one of them twice, once across
    sections): 3 acts per 100 residents' worth, two of three within a section; the compiled
    pass and the functions agree."""
    model = _model("combined_package.toml")
    model.step()
    day = model.today
    section = model.pop.section
    a, b = 0, int(np.flatnonzero(section == section[0])[1])  # b in a's section
    c = int(np.flatnonzero(section != section[0])[0])  # c in another
    d = int(np.flatnonzero(section == section[c])[1])
    day.acts_helper = np.array([a, a, c], dtype=np.int64)
    day.acts_recipient = np.array([b, c, d], dtype=np.int64)
    n = model.pop.n
    fast = MetricsTable(model, model.metrics.metrics, days_hint=5)
    slow = MetricsTable(model, [dataclasses.replace(m) for m in model.metrics.metrics],
                        days_hint=5)
    for table in (fast, slow):
        table.record(model, day)
        assert table.column("help_given")[-1] == pytest.approx(100 * 3 / n, rel=1e-6)
        assert table.column("help_within_section")[-1] == pytest.approx(2 / 3, rel=1e-6)
