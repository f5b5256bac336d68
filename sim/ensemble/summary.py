"""Summaries of an ensemble folder, computed from the run files, one scenario at a time.

``summarise(out_dir)`` returns a :class:`Summary` with two tidy tables:

``summary`` - one row per scenario and metric (metric = a column of the daily table, so a
    breakdown such as ``burnout_share[orientation=rescuer]`` is a metric of its own):

    ============================  ==========================================================
    scenario, slug, metric        which scenario (its name and file name) and which metric
    n_replicates, n_missing       runs summarised; planned runs with no intact file
    median_end, band_lo, band_hi  median and 90% band (5th and 95th percentiles over
                                  replicates) on the last day
    effect_end                    paired effect on the last day: mean over replicates ``i``
                                  of (scenario replicate ``i`` minus baseline replicate
                                  ``i``); both ran with the same seed
    effect_end_lo, effect_end_hi  its 95% interval: t-interval over the paired differences
    effect_end_unpaired_lo/_hi    95% Welch t-interval for the difference of means, as if
                                  the replicates were independent (for comparison: pairing
                                  usually makes the interval much narrower)
    effect_lastq, ..._lo, ..._hi  the same for each run's mean over the last quarter of days
    effect_lastq_unpaired_lo/_hi  (the last ``max(1, days // 4)`` days)
    n_pairs                       replicate pairs behind the paired effects
    ============================  ==========================================================

    The baseline's own rows have no effect (NaN). Values missing on a day (a ratio with
    nothing to divide by) are left out of medians, bands and pairs.

``bands`` - one row per scenario, metric and day (in that order): ``median``, ``lo`` (5th),
    ``hi`` (95th) percentile over replicates, for charts.

``write_daily_csv(out_dir, path)`` streams the tidy daily table (scenario, replicate, day,
metric, value) to a CSV file one run file at a time.

Memory: one scenario's replicates x days x metrics are held at a time, in column chunks that
fit ``memory_budget_bytes`` (the run files are re-read per chunk when they do not fit), plus
per-replicate end and last-quarter values (replicates x metrics) of the baseline. Files are
read in replicate order, so the numbers do not depend on which worker wrote which file.
"""

from __future__ import annotations

import warnings
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from sim.atomic import atomic_file
from sim.ensemble import store

BAND_LO, BAND_HI = 5.0, 95.0  # percentiles of the 90% band
INTERVAL = 0.95  # level of the effect intervals
DEFAULT_MEMORY_BUDGET = 256 * 2**20  # bytes for one scenario's chunk of daily values

SUMMARY_COLUMNS = [
    "scenario", "slug", "metric", "n_replicates", "n_missing",
    "median_end", "band_lo", "band_hi",
    "effect_end", "effect_end_lo", "effect_end_hi",
    "effect_end_unpaired_lo", "effect_end_unpaired_hi",
    "effect_lastq", "effect_lastq_lo", "effect_lastq_hi",
    "effect_lastq_unpaired_lo", "effect_lastq_unpaired_hi",
    "n_pairs",
]
BANDS_COLUMNS = ["scenario", "day", "metric", "median", "lo", "hi"]


class CorruptRunError(RuntimeError):
    """A run file whose sidecar looked intact could not be read."""


@dataclass
class Summary:
    summary: pd.DataFrame
    bands: pd.DataFrame
    baseline: str  # slug of the baseline scenario


@dataclass
class _ScenarioStats:
    replicates: np.ndarray  # replicate indices present, in order
    columns: list[str]
    end: np.ndarray  # (replicates, columns) value on the last day
    lastq: np.ndarray  # (replicates, columns) mean over the last quarter


def last_quarter_days(days: int) -> int:
    """How many final days the last-quarter effect averages over."""
    return max(1, days // 4)


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


def _read(path: Path, columns: list[str] | None = None) -> pd.DataFrame:
    try:
        return store.read_table(path, columns)
    except (OSError, EOFError, ValueError, KeyError, zlib.error, pd.errors.ParserError) as exc:
        raise CorruptRunError(f"{path}: unreadable run file ({exc}); resume the ensemble "
                              "to redo it") from exc


def _t_interval(x: np.ndarray) -> tuple[float, float, float]:
    """Mean of ``x`` and its two-sided t-interval (NaN bounds with fewer than 2 values)."""
    n = len(x)
    if n == 0:
        return np.nan, np.nan, np.nan
    m = float(np.mean(x))
    if n < 2:
        return m, np.nan, np.nan
    half = stats.t.ppf(0.5 + INTERVAL / 2, n - 1) * float(np.std(x, ddof=1)) / np.sqrt(n)
    return m, m - half, m + half


def _welch_interval(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    """Welch t-interval for mean(a) - mean(b), treating the samples as independent."""
    na, nb = len(a), len(b)
    if na < 2 or nb < 2:
        return np.nan, np.nan
    va, vb = np.var(a, ddof=1) / na, np.var(b, ddof=1) / nb
    se = np.sqrt(va + vb)
    d = float(np.mean(a) - np.mean(b))
    if se == 0:
        return d, d
    dof = (va + vb) ** 2 / (va**2 / (na - 1) + vb**2 / (nb - 1))
    half = stats.t.ppf(0.5 + INTERVAL / 2, dof) * se
    return d - half, d + half


def _scenario_pass(out_dir: Path, entry: dict, metrics: Sequence[str] | None,
                   budget: int):
    """Bands and per-replicate end / last-quarter values of one scenario."""
    runs = present_runs(out_dir, entry)
    if not runs:
        return None, None
    days_index = None
    first = _read(runs[0][1])
    columns = [c for c in first.columns if metrics is None or _wanted(c, metrics)]
    days_index = first.index.to_numpy()
    del first
    n_rep, n_days = len(runs), len(days_index)
    q = last_quarter_days(entry["days"])
    chunk = max(1, budget // max(1, n_rep * n_days * 8))
    end = np.full((n_rep, len(columns)), np.nan)
    lastq = np.full((n_rep, len(columns)), np.nan)
    band_parts = []
    for start in range(0, len(columns), chunk):
        cols = columns[start:start + chunk]
        block = np.full((n_rep, n_days, len(cols)), np.nan)
        for i, (_, path) in enumerate(runs):
            frame = _read(path, cols)
            if not np.array_equal(frame.index.to_numpy(), days_index):
                raise CorruptRunError(f"{path}: days differ from the scenario's other runs")
            block[i] = frame.to_numpy(dtype=np.float64)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN slices stay NaN
            med, lo, hi = nan_percentiles(block, (50.0, BAND_LO, BAND_HI))
            end[:, start:start + len(cols)] = block[:, -1, :]
            # days innermost and contiguous: the same summation whatever the chunk's width
            tail = np.ascontiguousarray(block[:, -q:, :].transpose(0, 2, 1))
            lastq[:, start:start + len(cols)] = np.nanmean(tail, axis=2)
        band_parts.append(pd.DataFrame({
            "scenario": entry["name"],
            "day": np.tile(days_index, len(cols)),
            "metric": np.repeat(np.array(cols, dtype=object), n_days),
            "median": med.T.ravel(), "lo": lo.T.ravel(), "hi": hi.T.ravel(),
        }))
        del block
    reps = np.array([r for r, _ in runs])
    return _ScenarioStats(reps, columns, end, lastq), pd.concat(band_parts, ignore_index=True)


def nan_percentiles(block: np.ndarray, qs) -> list[np.ndarray]:
    """``np.nanpercentile(block, q, axis=0)`` for each q (linear method), vectorised.

    numpy's own falls back to one small call per cell as soon as a cell holds a NaN (a
    breakdown with nobody in need on some day), which took most of a main job's time. Here:
    one sort along the replicates (NaN sorts last), the count of valid values per cell, and
    numpy's interpolation formula between the two neighbouring order statistics."""
    ordered = np.sort(block, axis=0)
    valid = (~np.isnan(block)).sum(axis=0)
    out = []
    for q in qs:
        pos = np.maximum(valid - 1, 0) * (q / 100.0)
        below = np.floor(pos).astype(np.int64)
        above = np.minimum(below + 1, np.maximum(valid - 1, 0))
        t = pos - below
        a = np.take_along_axis(ordered, below[None], axis=0)[0]
        b = np.take_along_axis(ordered, above[None], axis=0)[0]
        diff = b - a
        value = np.where(t >= 0.5, b - diff * (1 - t), a + diff * t)  # numpy's _lerp
        value[valid == 0] = np.nan
        out.append(value)
    return out


def _wanted(column: str, metrics: Sequence[str]) -> bool:
    """A column is wanted if it is a named metric or a breakdown of one."""
    return column in metrics or column.split("[", 1)[0] in metrics


def _effects(s: _ScenarioStats, b: _ScenarioStats, j_s: int, j_b: int, which: str) -> dict:
    """Paired and unpaired effect of scenario ``s`` against baseline ``b`` on one metric,
    for ``which`` = "end" (last day) or "lastq" (mean over the last quarter)."""
    a_all = getattr(s, which)[:, j_s]
    b_all = getattr(b, which)[:, j_b]
    _, ia, ib = np.intersect1d(s.replicates, b.replicates, return_indices=True)
    diff = a_all[ia] - b_all[ib]  # replicate i minus baseline replicate i (same seed)
    diff = diff[~np.isnan(diff)]
    mean, lo, hi = _t_interval(diff)
    ulo, uhi = _welch_interval(a_all[~np.isnan(a_all)], b_all[~np.isnan(b_all)])
    out = {f"effect_{which}": mean, f"effect_{which}_lo": lo, f"effect_{which}_hi": hi,
           f"effect_{which}_unpaired_lo": ulo, f"effect_{which}_unpaired_hi": uhi}
    if which == "end":
        out["n_pairs"] = len(diff)
    return out


def summarise(out_dir: str | Path, *, baseline: str | None = None,
              metrics: Sequence[str] | None = None,
              memory_budget_bytes: int = DEFAULT_MEMORY_BUDGET,
              on_progress: Callable[[str], None] | None = None) -> Summary:
    """Medians, 90% bands and paired effects against the baseline, from the run files.

    ``baseline`` is a scenario's slug or name (default: the plan's first scenario);
    ``metrics`` limits the metrics (a name includes its breakdowns); ``on_progress`` is
    called with each scenario's slug as it is summarised."""
    out_dir = Path(out_dir)
    plan = store.read_plan(out_dir)
    entries = plan["scenarios"]
    base_entry = entries[0] if baseline is None else next(
        (e for e in entries if baseline in (e["slug"], e["name"])), None)
    if base_entry is None:
        raise ValueError(f"baseline '{baseline}' is not in the plan; scenarios: "
                         f"{[e['slug'] for e in entries]}")
    ordered = [base_entry] + [e for e in entries if e is not base_entry]

    rows, band_frames = [], []
    base_stats = None
    for entry in ordered:
        st, bands = _scenario_pass(out_dir, entry, metrics, memory_budget_bytes)
        if on_progress is not None:
            on_progress(entry["slug"])
        if entry is base_entry:
            base_stats = st
        n_planned = len(entry["seeds"])
        if st is None:
            continue
        band_frames.append(bands)
        end_bands = bands[bands["day"] == bands["day"].max()].set_index("metric")
        base_col = {} if base_stats is None else {c: j for j, c in
                                                  enumerate(base_stats.columns)}
        for j, col in enumerate(st.columns):
            row = {"scenario": entry["name"], "slug": entry["slug"], "metric": col,
                   "n_replicates": len(st.replicates),
                   "n_missing": n_planned - len(st.replicates),
                   "median_end": end_bands.at[col, "median"],
                   "band_lo": end_bands.at[col, "lo"], "band_hi": end_bands.at[col, "hi"]}
            if entry is not base_entry and col in base_col:
                row.update(_effects(st, base_stats, j, base_col[col], "end"))
                row.update(_effects(st, base_stats, j, base_col[col], "lastq"))
            rows.append(row)
    summary = pd.DataFrame(rows, columns=SUMMARY_COLUMNS)
    summary["n_pairs"] = summary["n_pairs"].fillna(0).astype(np.int64)
    # planned order of scenarios (the baseline was summarised first)
    rank = {e["slug"]: i for i, e in enumerate(entries)}
    summary = summary.sort_values("slug", key=lambda s: s.map(rank), kind="stable")
    bands = (pd.concat(band_frames, ignore_index=True) if band_frames
             else pd.DataFrame(columns=BANDS_COLUMNS))
    name_rank = {e["name"]: i for i, e in enumerate(entries)}
    bands = bands.sort_values("scenario", key=lambda s: s.map(name_rank), kind="stable")
    return Summary(summary.reset_index(drop=True), bands.reset_index(drop=True),
                   base_entry["slug"])


def iter_run_tables(out_dir: str | Path, *, metrics: Sequence[str] | None = None):
    """Yield ``(scenario name, replicate, wide daily table)`` for each intact run, one file
    at a time, in plan order."""
    out_dir = Path(out_dir)
    for entry in store.read_plan(out_dir)["scenarios"]:
        for rep, path in present_runs(out_dir, entry):
            frame = _read(path)
            if metrics is not None:
                frame = frame[[c for c in frame.columns if _wanted(c, metrics)]]
            yield entry["name"], rep, frame


def write_daily_csv(out_dir: str | Path, path: str | Path, *,
                    metrics: Sequence[str] | None = None, breakdowns: bool = True,
                    overwrite: bool = False) -> int:
    """Stream the tidy daily table (scenario, replicate, day, metric, value) to ``path``.

    ``metrics`` names the metrics to include (default all); with ``breakdowns=False`` their
    breakdowns by orientation and section are left out (the file is then about ten times
    smaller). One run file is in memory at a time; the CSV is written to a temporary file
    beside ``path`` and moved into place when complete. Returns the number of rows."""
    path = Path(path)
    if path.exists() and not overwrite:
        raise FileExistsError(f"{path} exists; earlier results are not overwritten")
    n_rows = 0
    with atomic_file(path, "w") as f:
        f.write("scenario,replicate,day,metric,value\n")
        for name, rep, frame in iter_run_tables(out_dir, metrics=metrics):
            if not breakdowns:
                frame = frame[[c for c in frame.columns if "[" not in c]]
            n_days, n_cols = frame.shape
            long = pd.DataFrame({
                "scenario": name, "replicate": rep,
                "day": np.repeat(frame.index.to_numpy(), n_cols),
                "metric": np.tile(frame.columns.to_numpy(dtype=object), n_days),
                "value": frame.to_numpy(dtype=np.float64).ravel(),
            })
            long.to_csv(f, header=False, index=False, lineterminator="\n")
            n_rows += len(long)
    return n_rows
