"""The daily metrics table: every metric (sim/metrics.py's registry, and the interventions'
own) computed for each day just run, one row per day, one column per metric and breakdown.

Per-resident values are summed per (section, orientation) cell in one compiled pass; the
whole community and each breakdown are sums of cells. The registry's community metrics come
from the same pass.
"""

from __future__ import annotations

import numpy as np

from sim.compiled import njit
from sim.metrics import REGISTRY, Metric
from sim.metrics_cells import (
    CELL_ROWS,
    COMMUNITY,
    N_CELL_ROWS,
    registry_sums,
    registry_thresholds,
    sum_float32,
)
from sim.params import ORIENTATIONS
from sim.sums import add_reduce


class MetricsTable:
    """The daily table: one row per day, one column per metric and breakdown.

    Column names are the metric name, then ``name[orientation=rescuer]`` and
    ``name[section=newcomers]`` for breakdowns."""

    def __init__(self, model, metrics: list[Metric], days_hint: int = 800):
        pop = model.pop
        self.metrics = metrics
        self.group_labels = [f"orientation={o}" for o in ORIENTATIONS] + [
            f"section={s}" for s in pop.section_names]
        n_o, n_s = len(ORIENTATIONS), len(pop.section_names)
        if n_o >= 8:
            raise ValueError("the breakdowns add orientations in order, as numpy adds fewer "
                             f"than 8 values; there are {n_o} orientations")
        cell = pop.section.astype(np.int64) * n_o + pop.orientation
        if np.any(np.diff(cell) < 0):
            raise ValueError("residents must be stored sorted by (section, orientation)")
        self._cell_bounds = np.searchsorted(cell, np.arange(n_o * n_s + 1))
        self._n_o, self._n_s = n_o, n_s
        sizes = np.diff(self._cell_bounds).reshape(n_s, n_o).astype(np.float64)
        self._group_size = np.concatenate([sizes.sum(axis=0), sizes.sum(axis=1)])
        self.columns: list[str] = []
        # the plan of a row: each per-resident metric's sums over the cells are one row of
        # the cell sums (two for a ratio: numerator, then denominator); the registry's own
        # come from one compiled pass (sim.metrics_cells.registry_sums), any other metric's
        # values go through a buffer. Each metric's whole value and breakdowns go to fixed
        # columns. The registry's community metrics come from the same pass (their columns:
        # -1 for those not in the table), any other's from its function.
        self._registry = any(_in_registry_pass(m) for m in metrics)
        if self._registry:
            self._thresholds = registry_thresholds(model)
        first_other = N_CELL_ROWS if self._registry else 0
        self._other = [m for m in metrics if m.kind != "community" and not _in_registry_pass(m)]
        self._community: list[tuple[Metric, int]] = []
        self._community_values = np.zeros(len(COMMUNITY))
        self._community_cols = np.full(len(COMMUNITY), -1, dtype=np.int64)
        plan, scale = [], []
        rows = first_other
        for m in metrics:
            col = len(self.columns)
            self.columns.append(m.name)
            if m.kind == "community":
                if _in_registry_pass(m):
                    self._community_cols[COMMUNITY[m.name]] = col
                else:
                    self._community.append((m, col))
                continue
            if _in_registry_pass(m):
                num = CELL_ROWS[m.name]
            else:
                num = rows
                rows += 2 if m.kind == "ratio" else 1
            first_group = -1
            if m.breakdown:
                first_group = len(self.columns)
                self.columns += [f"{m.name}[{g}]" for g in self.group_labels]
            plan.append((num, num + 1 if m.kind == "ratio" else -1, col, first_group))
            scale.append(m.scale)
        self._plan = np.array(plan, dtype=np.int64).reshape(-1, 4)
        self._scale = np.array(scale, dtype=np.float64)
        self._cells = np.zeros((rows, n_o * n_s))
        # one row of 4 bytes per resident for each value of the other metrics: a 0/1 value
        # is stored in the row's first n bytes (a plain copy, summed as integers), any other
        # as float32 over the whole row (read by viewing it as float32)
        self._first_other = first_other
        self._buffer = np.empty((rows - first_other, 4 * pop.n), dtype=np.uint8)
        self._is_flag = np.zeros(len(self._buffer), dtype=bool)
        self._flag_rows = [row[: pop.n].view(np.bool_) for row in self._buffer]
        self._float_rows = [row.view(np.float32) for row in self._buffer]
        self.days = np.zeros(days_hint, dtype=np.int64)
        self.values = np.full((days_hint, len(self.columns)), np.nan)
        self.n_rows = 0

    def _store(self, row: int, values) -> None:
        """Copy one metric's per-resident values into buffer row ``row``."""
        is_flag = getattr(values, "dtype", None) == np.bool_
        (self._flag_rows if is_flag else self._float_rows)[row][:] = values
        self._is_flag[row] = is_flag

    def _fill_cells(self, model, day) -> None:
        """Sums of each per-resident metric's values (or numerator and denominator) over
        each (section, orientation) cell, into ``self._cells``.

        Residents are sorted by (section, orientation), so each cell is a contiguous block:
        the registry's metrics are summed in one compiled pass, the others' values copied
        into the buffer and summed in another (0/1 rows as integers, others in float64). The
        registry's pass also works out its community metrics, into ``self._community_values``."""
        if self._registry:
            registry_sums(model, day, self._cell_bounds, self._thresholds, self._cells,
                          self._community_values)
        if not len(self._buffer):
            return
        at = 0
        for m in self._other:
            if m.kind == "resident":
                self._store(at, m.fn(model, day))
                at += 1
            else:
                num, den = m.fn(model, day)
                self._store(at, num)
                self._store(at + 1, den)
                at += 2
        _block_sums(self._buffer, self._is_flag, self._cell_bounds,
                    self._cells[self._first_other:])

    def record(self, model, day) -> None:
        """Compute every metric for the day just run and append a row.

        Per-resident values are summed per (section, orientation) cell (exact integer sums
        of 0/1 values, float64 sums of float32 values); the whole and each breakdown are sums
        of cells, divided for all metrics in one compiled pass, which also places the
        registry's community metrics."""
        self._fill_cells(model, day)
        if self.n_rows == len(self.days):
            self.days = np.concatenate([self.days, np.zeros_like(self.days)])
            self.values = np.vstack([self.values, np.full_like(self.values, np.nan)])
        row = self.values[self.n_rows]
        _fill_row(row, self._cells, self._n_s, self._plan, self._scale, self._group_size,
                  float(model.pop.n), self._community_values, self._community_cols)
        for m, col in self._community:
            row[col] = float(m.fn(model, day))
        self.days[self.n_rows] = model.day
        self.n_rows += 1

    def frame(self):
        """The table as a pandas DataFrame indexed by day (wide: one column per metric)."""
        import pandas as pd

        return pd.DataFrame(self.values[: self.n_rows], columns=self.columns,
                            index=pd.Index(self.days[: self.n_rows], name="day"))

    def column(self, name: str) -> np.ndarray:
        return self.values[: self.n_rows, self.columns.index(name)]


def _in_registry_pass(m: Metric) -> bool:
    """Whether the metric is one of the registry's own that sim.metrics_cells.registry_sums
    computes (not a copy with another function)."""
    return (m.name in CELL_ROWS or m.name in COMMUNITY) and REGISTRY.get(m.name) is m


# sums of each buffer row over contiguous blocks [bounds[c], bounds[c + 1]), into out: 0/1
# rows (bytes) as integers, float32 rows by sim.metrics_cells.sum_float32. The loop runs over a
# slice from 0 so the compiler knows indices are never negative and vectorises it.
@njit(cache=True)
def _block_sums(buffer, is_flag, bounds, out):
    for k in range(buffer.shape[0]):
        floats = buffer[k].view(np.float32)
        for c in range(len(bounds) - 1):
            if is_flag[k]:
                flags = buffer[k, bounds[c]:bounds[c + 1]]
                count = 0
                for i in range(flags.shape[0]):
                    count += flags[i]
                out[k, c] = count
            else:
                out[k, c] = sum_float32(floats[bounds[c]:bounds[c + 1]])


# a day's row from the cell sums (one row per metric value, cells by section then
# orientation): their totals over all cells as numpy's np.add.reduce (add_reduce), the sums
# per orientation and per section added in order, as numpy's reductions of these few values
# did (a section at a time; and numpy adds fewer than 8 values in order, MetricsTable checks
# there are fewer orientations); then for each per-resident metric (plan: numerator row,
# denominator row or -1 for the number of residents, column, first breakdown column or -1)
# its whole value (nan where the denominator is not above 0) and each group's (no such
# check: 0/0 is nan), times its scale; and the community values given in their columns
# (-1: not in the table)
@njit(cache=True, error_model="numpy")
def _fill_row(row, cells, n_s, plan, scale, group_size, n, community, community_cols):
    k, n_cells = cells.shape
    n_o = n_cells // n_s
    total = np.empty(k)
    by_orientation = np.zeros((k, n_o))
    by_section = np.zeros((k, n_s))
    for r in range(k):
        total[r] = add_reduce(cells[r])
        for s in range(n_s):
            for o in range(n_o):
                by_orientation[r, o] += cells[r, s * n_o + o]
                by_section[r, s] += cells[r, s * n_o + o]
    for j in range(plan.shape[0]):
        num, den, col, first = plan[j, 0], plan[j, 1], plan[j, 2], plan[j, 3]
        d = total[den] if den >= 0 else n
        row[col] = (total[num] / d if d > 0 else np.nan) * scale[j]
        if first < 0:
            continue
        for g in range(len(group_size)):
            if g < n_o:
                x = by_orientation[num, g]
                gd = by_orientation[den, g] if den >= 0 else group_size[g]
            else:
                x = by_section[num, g - n_o]
                gd = by_section[den, g - n_o] if den >= 0 else group_size[g]
            row[first + g] = x / gd * scale[j]
    for c in range(len(community)):
        if community_cols[c] >= 0:
            row[community_cols[c]] = community[c]
