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
    steady_first_day, _last_day   the steady window verdicts are taken from (default: the
                                  last quarter; the report job passes its own)
    mean_steady                   mean over replicates of each run's mean over that window
    effect_steady, ..._lo, ..._hi the paired effect on each run's mean over that window,
    effect_steady_unpaired_lo/_hi with its intervals as above
    n_pairs                       replicate pairs behind the paired effects
    ============================  ==========================================================

    The baseline's own rows have no effect (NaN). Values missing on a day (a ratio with
    nothing to divide by) are left out of medians, bands and pairs.

``bands`` - one row per scenario, metric and day (in that order): ``median``, ``lo`` (5th),
    ``hi`` (95th) percentile over replicates, for charts.

``steady_values`` - per scenario, each replicate's mean over the steady window (metrics
    without breakdowns), for :func:`probability_best` and rankings.

``windows`` - paired effects over any further windows asked for (for example the four weeks
    up to a programme's end and 6 and 12 months later): one row per scenario, metric
    (without breakdowns) and window.

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
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from sim.atomic import atomic_file
from sim.ensemble import store
from sim.ensemble.intervals import nan_percentiles, paired_effects

BAND_LO, BAND_HI = 5.0, 95.0  # percentiles of the 90% band
DEFAULT_MEMORY_BUDGET = 256 * 2**20  # bytes for one scenario's chunk of daily values

SUMMARY_COLUMNS = [
    "scenario", "slug", "metric", "n_replicates", "n_missing",
    "median_end", "band_lo", "band_hi",
    "effect_end", "effect_end_lo", "effect_end_hi",
    "effect_end_unpaired_lo", "effect_end_unpaired_hi",
    "effect_lastq", "effect_lastq_lo", "effect_lastq_hi",
    "effect_lastq_unpaired_lo", "effect_lastq_unpaired_hi",
    "steady_first_day", "steady_last_day", "mean_steady",
    "effect_steady", "effect_steady_lo", "effect_steady_hi",
    "effect_steady_unpaired_lo", "effect_steady_unpaired_hi",
    "n_pairs",
]
BANDS_COLUMNS = ["scenario", "day", "metric", "median", "lo", "hi"]
WINDOWS_COLUMNS = ["scenario", "slug", "metric", "first_day", "last_day", "n_pairs",
                   "mean", "base_mean", "effect", "effect_lo", "effect_hi"]
_WHICH = ("end", "lastq", "steady")


class CorruptRunError(RuntimeError):
    """A run file whose sidecar looked intact could not be read."""


@dataclass
class Summary:
    summary: pd.DataFrame
    bands: pd.DataFrame
    baseline: str  # slug of the baseline scenario
    # per scenario slug: each replicate's mean over the steady window, one column per metric
    # without breakdowns (index: replicate); for chances of being best and rankings
    steady_values: dict = field(default_factory=dict)
    # paired effects over the extra windows asked for (WINDOWS_COLUMNS), metrics without
    # breakdowns; empty when none were asked for
    windows: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=WINDOWS_COLUMNS))
    steady: tuple[int, int] = (0, 0)  # first and last day of the steady window


@dataclass
class _ScenarioStats:
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


def _read(path: Path, columns: list[str] | None = None) -> pd.DataFrame:
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
    first = _read(runs[0][1])
    columns = [c for c in first.columns if metrics is None or _wanted(c, metrics)]
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
            frame = _read(path, None if one_chunk else cols)
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
    st = _ScenarioStats(reps, columns, end, means.pop("lastq"), means.pop("steady"), means,
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
            on_table(entry, rep, _read(path))
    return st, bands


def _wanted(column: str, metrics: Sequence[str]) -> bool:
    """A column is wanted if it is a named metric or a breakdown of one."""
    return column in metrics or column.split("[", 1)[0] in metrics


def _pairs(s: _ScenarioStats, b: _ScenarioStats):
    """Rows of ``s`` and of ``b`` for the replicates both have (same seed), and for each of
    ``s``'s columns the baseline's column (-1 where the baseline has none)."""
    _, ia, ib = np.intersect1d(s.replicates, b.replicates, return_indices=True)
    base_col = {c: j for j, c in enumerate(b.columns)}
    jb = np.array([base_col.get(c, -1) for c in s.columns], dtype=np.int64)
    return ia, ib, jb


def summarise(out_dir: str | Path, *, baseline: str | None = None,
              metrics: Sequence[str] | None = None,
              memory_budget_bytes: int = DEFAULT_MEMORY_BUDGET,
              on_progress: Callable[[str], None] | None = None,
              steady: tuple[int, int] | None = None,
              windows: Sequence[tuple[int, int]] = (),
              on_table: Callable | None = None,
              band_metrics: Sequence[str] | None = None,
              passes: dict | None = None) -> Summary:
    """Medians, 90% bands and paired effects against the baseline, from the run files.

    ``baseline`` is a scenario's slug or name (default: the plan's first scenario);
    ``metrics`` limits the metrics (a name includes its breakdowns); ``on_progress`` is
    called with each scenario's slug as it is summarised. ``steady`` is the window (first
    and last day, inclusive) that the ``*_steady`` columns average over (default: the last
    quarter of the run); ``windows`` are further windows whose paired effects go to
    ``Summary.windows``. ``on_table(entry, replicate, frame)`` is called once with every
    run's whole daily table (plan entry, replicate number, the table), baseline first, so
    that a caller can write the daily values without reading the files again.
    ``band_metrics`` limits the bands through time to those columns, named exactly
    (breakdowns are not included unless named; default: every column).

    ``passes`` ({slug: the result of :func:`scenario_pass`}) gives each scenario's pass done
    elsewhere (for example in worker processes, one scenario each, with the same steady
    window and windows); the passes are then only combined here."""
    out_dir = Path(out_dir)
    plan = store.read_plan(out_dir)
    entries = plan["scenarios"]
    base_entry = entries[0] if baseline is None else next(
        (e for e in entries if baseline in (e["slug"], e["name"])), None)
    if base_entry is None:
        raise ValueError(f"baseline '{baseline}' is not in the plan; scenarios: "
                         f"{[e['slug'] for e in entries]}")
    ordered = [base_entry] + [e for e in entries if e is not base_entry]
    steady = tuple(int(x) for x in (steady or last_quarter(base_entry["days"])))
    windows = list(dict.fromkeys(tuple(int(x) for x in w) for w in windows))

    parts, band_frames, window_parts = {}, {}, []
    steady_values = {}
    base_stats = None
    for entry in ordered:
        if passes is not None:
            st, bands = passes.get(entry["slug"], (None, None))
        else:
            st, bands = scenario_pass(out_dir, entry, metrics=metrics,
                                      memory_budget_bytes=memory_budget_bytes, steady=steady,
                                      windows=windows, on_table=on_table,
                                      band_metrics=band_metrics)
        if on_progress is not None:
            on_progress(entry["slug"])
        if entry is base_entry:
            base_stats = st
        if st is None:
            continue
        band_frames[entry["slug"]] = bands
        parts[entry["slug"]] = _summary_rows(entry, st, base_stats, entry is base_entry,
                                             steady)
        whole = [j for j, c in enumerate(st.columns) if "[" not in c]
        steady_values[entry["slug"]] = pd.DataFrame(
            st.steady[:, whole], index=pd.Index(st.replicates, name="replicate"),
            columns=[st.columns[j] for j in whole])
        if windows and base_stats is not None and entry is not base_entry:
            window_parts.append(_window_rows(entry, st, base_stats, windows, whole))
    # planned order of scenarios (the baseline was summarised first)
    summary = pd.concat([parts[e["slug"]] for e in entries if e["slug"] in parts],
                        ignore_index=True) if parts else pd.DataFrame(columns=SUMMARY_COLUMNS)
    summary["n_pairs"] = summary["n_pairs"].fillna(0).astype(np.int64)
    bands = (pd.concat([band_frames[e["slug"]] for e in entries if e["slug"] in band_frames],
                       ignore_index=True) if band_frames
             else pd.DataFrame(columns=BANDS_COLUMNS))
    win = (pd.concat(window_parts, ignore_index=True) if window_parts
           else pd.DataFrame(columns=WINDOWS_COLUMNS))
    return Summary(summary, bands, base_entry["slug"], steady_values, win, steady)


def _summary_rows(entry: dict, st: _ScenarioStats, base: _ScenarioStats, is_base: bool,
                  steady: tuple[int, int]) -> pd.DataFrame:
    """One scenario's rows of the summary table (see the module docstring)."""
    n_cols = len(st.columns)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        mean_steady = np.nanmean(st.steady, axis=0)
    data = {"scenario": entry["name"], "slug": entry["slug"],
            "metric": np.array(st.columns, dtype=object),
            "n_replicates": len(st.replicates),
            "n_missing": len(entry["seeds"]) - len(st.replicates),
            "median_end": st.end_pct[0], "band_lo": st.end_pct[1], "band_hi": st.end_pct[2],
            "steady_first_day": steady[0], "steady_last_day": steady[1],
            "mean_steady": mean_steady}
    nan = np.full(n_cols, np.nan)
    n_pairs = np.zeros(n_cols, dtype=np.int64)
    for which in _WHICH:
        if is_base or base is None:
            mean = lo = hi = ulo = uhi = nan
        else:
            ia, ib, jb = _pairs(st, base)
            mean, lo, hi, n, ulo, uhi = paired_effects(getattr(st, which), getattr(base, which),
                                                ia, ib, jb)
            if which == "end":
                n_pairs = n
        data.update({f"effect_{which}": mean, f"effect_{which}_lo": lo,
                     f"effect_{which}_hi": hi, f"effect_{which}_unpaired_lo": ulo,
                     f"effect_{which}_unpaired_hi": uhi})
    data["n_pairs"] = n_pairs
    return pd.DataFrame(data)[SUMMARY_COLUMNS]


def _window_rows(entry: dict, st: _ScenarioStats, base: _ScenarioStats, windows, whole):
    """Paired effects of one scenario over each extra window (metrics without breakdowns)."""
    ia, ib, jb = _pairs(st, base)
    frames = []
    cols = np.array(whole, dtype=np.int64)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        for w in windows:
            a, b = st.windows[w], base.windows[w]
            mean, lo, hi, n, _, _ = paired_effects(a, b, ia, ib, jb)
            has = jb[cols] >= 0
            base_mean = np.full(len(cols), np.nan)
            base_mean[has] = np.nanmean(b[:, jb[cols][has]], axis=0)
            frames.append(pd.DataFrame({
                "scenario": entry["name"], "slug": entry["slug"],
                "metric": np.array([st.columns[j] for j in cols], dtype=object),
                "first_day": w[0], "last_day": w[1], "n_pairs": n[cols],
                "mean": np.nanmean(a[:, cols], axis=0), "base_mean": base_mean,
                "effect": mean[cols], "effect_lo": lo[cols], "effect_hi": hi[cols]}))
    return pd.concat(frames, ignore_index=True)


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
