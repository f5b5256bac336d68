"""One scenario's pass over its run files: each replicate's value on the last day and its
means over the last quarter, the steady window and any other windows asked for, and the
median and 90% band of every metric on every day.

Memory: one scenario's replicates x days x metrics are held at a time, in column chunks that
fit ``memory_budget_bytes`` (the run files are re-read per chunk when they do not fit). Files
are read in replicate order, so the numbers do not depend on which worker wrote which file.
:mod:`sim.ensemble.summary` combines the passes of every scenario into the summary tables.
"""

from __future__ import annotations

import warnings
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from sim.ensemble import store
from sim.ensemble.intervals import nan_percentiles

BAND_LO, BAND_HI = 5.0, 95.0  # percentiles of the 90% band
DEFAULT_MEMORY_BUDGET = 256 * 2**20  # bytes for one scenario's chunk of daily values


class CorruptRunError(RuntimeError):
    """A run file whose sidecar looked intact could not be read."""


@dataclass
class ScenarioStats:
    replicates: np.ndarray  # replicate indices present, in order
    columns: list[str]
    end: np.ndarray  # (replicates, columns) value on the last day
    lastq: np.ndarray  # (replicates, columns) mean over the last quarter
    steady: np.ndarray  # (replicates, columns) mean over the steady window
    windows: dict  # (first, last) -> (replicates, columns) mean over that window
    end_pct: np.ndarray  # (3, columns) median, 5th and 95th percentile on the last day


def last_quarter_days(days: int) -> int:
    """How many final days the last-quarter effect averages over."""
    return max(1, days // 4)


def last_quarter(days: int) -> tuple[int, int]:
    """The last quarter of a run of ``days`` days as (first day, last day), inclusive."""
    return days - last_quarter_days(days) + 1, days


def present_runs(out_dir: Path, entry: dict, *, verify_checksum: bool = True):
    """(replicate, table path) of the intact runs of one planned scenario, in order.

    A run whose table does not match its sidecar's size and checksum counts as missing."""
    found = []
    for rep, seed in enumerate(entry["seeds"]):
        rec = store.load_valid_run(out_dir, entry["slug"], rep, seed, entry["days"],
                                   verify_checksum=verify_checksum)
        if rec is not None:
            found.append((rep, store.table_path(out_dir, entry["slug"], rep)))
    return found


def read_run(path: Path, columns: list[str] | None = None) -> pd.DataFrame:
    try:
        return store.read_table(path, columns)
    except (OSError, EOFError, ValueError, KeyError, zlib.error, pd.errors.ParserError) as exc:
        raise CorruptRunError(f"{path}: unreadable run file ({exc}); resume the ensemble "
                              "to redo it") from exc


def _window_mask(days_index: np.ndarray, window: tuple[int, int]) -> np.ndarray:
    first, last = window
    return (days_index >= first) & (days_index <= last)


def _window_means(block: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """(replicates, days, columns) -> (replicates, columns): NaN-aware mean over the days in
    ``mask``, with days innermost and contiguous so that the sum is the same whatever the
    chunk's width."""
    if not mask.any():
        return np.full((block.shape[0], block.shape[2]), np.nan)
    tail = np.ascontiguousarray(block[:, mask, :].transpose(0, 2, 1))
    return np.nanmean(tail, axis=2)


def _scenario_pass(out_dir: Path, entry: dict, metrics: Sequence[str] | None, budget: int,
                   steady: tuple[int, int] | None, windows: Sequence[tuple[int, int]],
                   on_table: Callable | None, band_metrics: Sequence[str] | None = None):
    """Bands and per-replicate end / last-quarter / window values of one scenario.

    ``on_table(entry, replicate, frame)`` is called with each run's whole table when the
    scenario's columns fit the memory budget in one chunk (the usual case); the caller then
    need not read the run files again. Returns (stats, bands, tables_seen)."""
    runs = present_runs(out_dir, entry)
    if not runs:
        return None, None, False
    first = read_run(runs[0][1])
    columns = [c for c in first.columns if metrics is None or wanted(c, metrics)]
    days_index = first.index.to_numpy()
    del first
    n_rep, n_days = len(runs), len(days_index)
    steady = steady or last_quarter(entry["days"])
    masks = {"lastq": _window_mask(days_index, last_quarter(entry["days"])),
             "steady": _window_mask(days_index, steady)}
    masks.update({w: _window_mask(days_index, w) for w in windows})
    chunk = max(1, budget // max(1, n_rep * n_days * 8))
    one_chunk = chunk >= len(columns)
    end = np.full((n_rep, len(columns)), np.nan)
    end_pct = np.full((3, len(columns)), np.nan)
    means = {k: np.full((n_rep, len(columns)), np.nan) for k in masks}
    band_parts = []
    for start in range(0, len(columns), chunk):
        cols = columns[start:start + chunk]
        block = np.full((n_rep, n_days, len(cols)), np.nan)
        for i, (rep, path) in enumerate(runs):
            frame = read_run(path, None if one_chunk else cols)
            if not np.array_equal(frame.index.to_numpy(), days_index):
                raise CorruptRunError(f"{path}: days differ from the scenario's other runs")
            if one_chunk and on_table is not None:
                on_table(entry, rep, frame)
            block[i] = frame[cols].to_numpy(dtype=np.float64)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN slices stay NaN
            banded = np.array([band_metrics is None or c in band_metrics for c in cols],
                              dtype=bool)
            med, lo, hi = nan_percentiles(block[:, :, banded], (50.0, BAND_LO, BAND_HI))
            end_pct[:, start:start + len(cols)] = np.stack(
                nan_percentiles(block[:, -1, :], (50.0, BAND_LO, BAND_HI)))
            end[:, start:start + len(cols)] = block[:, -1, :]
            for k, mask in masks.items():
                means[k][:, start:start + len(cols)] = _window_means(block, mask)
        band_cols = [c for c, b in zip(cols, banded, strict=True) if b]
        band_parts.append(pd.DataFrame({
            "scenario": entry["name"],
            "day": np.tile(days_index, len(band_cols)),
            "metric": np.repeat(np.array(band_cols, dtype=object), n_days),
            "median": med.T.ravel(), "lo": lo.T.ravel(), "hi": hi.T.ravel(),
        }))
        del block
    reps = np.array([r for r, _ in runs])
    st = ScenarioStats(reps, columns, end, means.pop("lastq"), means.pop("steady"), means,
                        end_pct)
    return st, pd.concat(band_parts, ignore_index=True), one_chunk


def scenario_pass(out_dir: str | Path, entry: dict, *, metrics: Sequence[str] | None = None,
                  memory_budget_bytes: int = DEFAULT_MEMORY_BUDGET,
                  steady: tuple[int, int] | None = None,
                  windows: Sequence[tuple[int, int]] = (), on_table: Callable | None = None,
                  band_metrics: Sequence[str] | None = None):
    """One scenario's part of :func:`summarise`: (per-replicate statistics, bands), or
    (None, None) when it has no intact run. Independent of every other scenario, so passes
    can run in parallel and be combined with ``summarise(..., passes=...)``.
    ``on_table(entry, replicate, frame)`` sees each run's whole table once."""
    out_dir = Path(out_dir)
    steady = tuple(int(x) for x in (steady or last_quarter(entry["days"])))
    windows = list(dict.fromkeys(tuple(int(x) for x in w) for w in windows))
    st, bands, tables_seen = _scenario_pass(out_dir, entry, metrics, memory_budget_bytes,
                                            steady, windows, on_table, band_metrics)
    if st is not None and on_table is not None and not tables_seen:
        for rep, path in present_runs(out_dir, entry):
            on_table(entry, rep, read_run(path))
    return st, bands


def wanted(column: str, metrics: Sequence[str]) -> bool:
    """A column is wanted if it is a named metric or a breakdown of one."""
    return column in metrics or column.split("[", 1)[0] in metrics
