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

Memory: one scenario's pass at a time (:mod:`sim.ensemble.passes`: its replicates x days x
metrics in column chunks that fit ``memory_budget_bytes``), plus per-replicate end and
last-quarter values (replicates x metrics) of the baseline. Files are read in replicate
order, so the numbers do not depend on which worker wrote which file.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from sim.atomic import atomic_file
from sim.ensemble import store
from sim.ensemble.intervals import paired_effects
from sim.ensemble.passes import (
    DEFAULT_MEMORY_BUDGET,
    ScenarioStats,
    last_quarter,
    present_runs,
    read_run,
    scenario_pass,
    wanted,
)

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


def _pairs(s: ScenarioStats, b: ScenarioStats):
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


def _summary_rows(entry: dict, st: ScenarioStats, base: ScenarioStats, is_base: bool,
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


def _window_rows(entry: dict, st: ScenarioStats, base: ScenarioStats, windows, whole):
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
            frame = read_run(path)
            if metrics is not None:
                frame = frame[[c for c in frame.columns if wanted(c, metrics)]]
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
