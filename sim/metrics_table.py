"""The daily metrics table: every metric (sim/metrics.py's registry, and the interventions'
own) computed for each day just run, one row per day, one column per metric and breakdown.

Per-resident values are summed per (section, orientation) cell in one compiled pass; the
whole community and each breakdown are sums of cells.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from sim.metrics import Metric
from sim.params import ORIENTATIONS


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
        cell = pop.section.astype(np.int64) * n_o + pop.orientation
        if np.any(np.diff(cell) < 0):
            raise ValueError("residents must be stored sorted by (section, orientation)")
        self._cell_bounds = np.searchsorted(cell, np.arange(n_o * n_s + 1))
        self._n_o, self._n_s = n_o, n_s
        self._group_size = self._groups_of_cells(
            np.diff(self._cell_bounds)[None, :].astype(np.float64))[0]
        self.columns: list[str] = []
        # the plan of a row: per-resident metrics fill buffer rows (one, or numerator and
        # denominator); each metric's whole value and breakdowns go to fixed columns
        self._per_resident = [m for m in metrics if m.kind != "community"]
        self._community: list[tuple[Metric, int]] = []
        num_row, ratio, whole_col, group_cols = [], [], [], []
        rows = 0
        for m in metrics:
            col = len(self.columns)
            self.columns.append(m.name)
            if m.kind == "community":
                self._community.append((m, col))
                continue
            num_row.append(rows)
            ratio.append(m.kind == "ratio")
            rows += 2 if m.kind == "ratio" else 1
            whole_col.append(col)
            if m.breakdown:
                group_cols.append(np.arange(col + 1, col + 1 + len(self.group_labels)))
                self.columns += [f"{m.name}[{g}]" for g in self.group_labels]
            else:
                group_cols.append(None)
        scales = [m.scale for m in self._per_resident]
        self._whole_scale = np.array(scales)
        self._group_scale = np.concatenate(
            [np.full(len(self.group_labels), m.scale) for m in self._per_resident if m.breakdown]
            or [np.zeros(0)])
        self._num_row = np.array(num_row, dtype=np.int64)
        self._ratio = np.array(ratio, dtype=bool)
        self._den_row = np.where(self._ratio, self._num_row + 1, 0)
        self._whole_col = np.array(whole_col, dtype=np.int64)
        self._with_groups = np.array([g is not None for g in group_cols], dtype=bool)
        self._group_cols = np.concatenate(
            [g for g in group_cols if g is not None] or [np.zeros(0, np.int64)])
        # one row of 4 bytes per resident for each value: a 0/1 value is stored in the row's
        # first n bytes (a plain copy, summed as integers), any other as float32 over the
        # whole row (read by viewing it as float32)
        self._buffer = np.empty((rows, 4 * pop.n), dtype=np.uint8)
        self._is_flag = np.zeros(rows, dtype=bool)
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

    def _cell_sums(self) -> np.ndarray:
        """Sums of each buffer row over each (section, orientation) cell.

        Residents are sorted by (section, orientation), so each cell is a contiguous block,
        summed in one compiled pass (0/1 rows as integers, others in float64)."""
        return _block_sums(self._buffer, self._is_flag, self._cell_bounds)

    def _groups_of_cells(self, cells: np.ndarray) -> np.ndarray:
        """Cell sums (k, cells) -> sums per orientation, then per section (k, groups)."""
        c = cells.reshape(len(cells), self._n_s, self._n_o)
        return np.concatenate([c.sum(axis=1), c.sum(axis=2)], axis=1)

    def record(self, model, day) -> None:
        """Compute every metric for the day just run and append a row.

        Per-resident values are copied into one buffer (0/1 values as bytes, others as
        float32) and summed per (section, orientation) cell in a single pass (exact integer
        sums, float64 accumulation); the whole and each breakdown are sums of cells, divided
        for all metrics at once."""
        n = model.pop.n
        at = 0
        for m in self._per_resident:
            if m.kind == "resident":
                self._store(at, m.fn(model, day))
                at += 1
            else:
                num, den = m.fn(model, day)
                self._store(at, num)
                self._store(at + 1, den)
                at += 2
        cells = self._cell_sums()
        total = cells.sum(axis=1)
        groups = self._groups_of_cells(cells)
        if self.n_rows == len(self.days):
            self.days = np.concatenate([self.days, np.zeros_like(self.days)])
            self.values = np.vstack([self.values, np.full_like(self.values, np.nan)])
        row = self.values[self.n_rows]
        num, ratio = self._num_row, self._ratio
        with np.errstate(invalid="ignore", divide="ignore"):
            den = np.where(ratio, total[self._den_row], n)
            row[self._whole_col] = np.where(den > 0, total[num] / den, np.nan) * self._whole_scale
            has = self._with_groups
            group_den = np.where(ratio[has, None], groups[self._den_row[has]],
                                 self._group_size[None, :])
            row[self._group_cols] = (groups[num[has]] / group_den).ravel() * self._group_scale
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


# sums of each buffer row over contiguous blocks [bounds[c], bounds[c + 1]): 0/1 rows
# (bytes) as integers, float32 rows in float64 (fastmath lets the compiler add in several
# lanes at once: the order of additions is not fixed). Loops run over slices from 0 so the
# compiler knows indices are never negative and vectorises them.
@njit(cache=True, fastmath=True)
def _block_sums(buffer, is_flag, bounds):
    out = np.zeros((buffer.shape[0], len(bounds) - 1))
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
                values = floats[bounds[c]:bounds[c + 1]]
                total = 0.0
                for i in range(values.shape[0]):
                    total += values[i]
                out[k, c] = total
    return out
