"""daily.csv.gz and the summary of the runs, made in one pass over the run files.

Each scenario's run files are read once (in the chart processes while they would otherwise
wait): the pass gives the ensemble's summary statistics and bands, and the scenario's rows of
daily.csv.gz, which are joined in plan order into one gzip file written atomically.
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
from isal import igzip

from sim.atomic import atomic_file
from sim.metrics import CORE_METRICS, REGISTRY

DAILY_FILE = "daily.csv.gz"
DAILY_DECIMALS = 6  # daily values are rounded to this many decimals (exact ones: runs/)


def headline_metrics(columns) -> list[str]:
    """Metric names without breakdowns, the core metrics first, then the registry's others,
    then any others (interventions' own), in their order of appearance."""
    names = list(dict.fromkeys(c for c in columns if "[" not in c))
    present = set(names)
    first = [m for m in CORE_METRICS if m in present]
    registry = [m for m in REGISTRY if m in present and m not in first]
    rest = [m for m in names if m not in first and m not in registry]
    return first + registry + rest


class DailyRows:
    """Rows of daily.csv.gz as one gzip member written to ``fileobj``: scenario, replicate,
    day, then one column per measure (the union over scenarios; a measure a scenario does
    not have is left empty), values rounded to DAILY_DECIMALS decimals. Members written one
    after another make one gzip file (the header first, then each scenario's rows)."""

    def __init__(self, fileobj, columns: list[str], *, header: bool = False):
        self.columns = list(columns)
        self.n_rows = 0
        self._gz = igzip.IGzipFile(fileobj=fileobj, mode="wb", compresslevel=1, mtime=0)
        if header:
            self._gz.write((",".join(["scenario", "replicate", "day", *self.columns]) + "\n")
                           .encode())

    def add(self, entry: dict, replicate: int, frame) -> None:
        from sim.ensemble.store import csv_rows

        table = frame.reindex(columns=self.columns).round(DAILY_DECIMALS)
        self._gz.write(csv_rows([entry["name"], replicate], table.index.to_numpy(),
                                table.to_numpy(dtype=np.float64)))
        self.n_rows += len(table)

    def close(self) -> None:
        self._gz.close()


def scenario_part(out_dir: Path, entry: dict, steady, windows, band_metrics,
                  columns: list[str]):
    """One scenario's summary pass and its rows of daily.csv.gz (gzip bytes), in one read of
    its run files; run in the chart processes while they would otherwise wait."""
    from sim.ensemble.passes import scenario_pass

    buf = io.BytesIO()
    rows = DailyRows(buf, columns)
    stats, bands = scenario_pass(out_dir, entry, steady=steady, windows=windows,
                                 on_table=rows.add, band_metrics=band_metrics)
    rows.close()
    return stats, bands, buf.getvalue()


def summarise_and_write_daily(out_dir: Path, pool, base_slug: str, steady, windows,
                              band_metrics, summarise, on_each=None):
    """The summary of every run and daily.csv.gz, one scenario per task on ``pool`` (in
    this process when it has none; ``on_each(done, total)`` as each scenario is done); the
    daily rows are joined in plan order."""
    from sim.ensemble import store

    columns = daily_columns(out_dir)
    entries = store.read_plan(out_dir)["scenarios"]
    results = pool.map(scenario_part, [(out_dir, e, steady, windows, band_metrics, columns)
                                       for e in entries], on_each)
    passes = {}
    with atomic_file(out_dir / DAILY_FILE, "wb") as fh:
        DailyRows(fh, columns, header=True).close()
        for entry, (stats, bands, daily) in zip(entries, results, strict=True):
            passes[entry["slug"]] = (stats, bands)
            fh.write(daily)
    return summarise(out_dir, baseline=base_slug, steady=steady, windows=windows,
                     passes=passes), columns


def daily_columns(out_dir: Path) -> list[str]:
    """The measures (no breakdowns) of every scenario's runs, in order: the header of
    daily.csv.gz, read from the first intact run of each scenario."""
    from sim.ensemble import store
    from sim.ensemble.passes import present_runs

    cols: list[str] = []
    for entry in store.read_plan(out_dir)["scenarios"]:
        runs = present_runs(out_dir, entry, verify_checksum=False)
        if runs:
            with igzip.open(runs[0][1], "rt") as fh:
                header = fh.readline().strip().split(",")
            cols += [c for c in header[1:] if "[" not in c]
    return headline_metrics(cols)
