"""Ensembles: many seeded replicates of many scenarios, on every core or a Dask cluster.

    from sim.ensemble import run_ensemble, summarise, write_daily_csv

    result = run_ensemble([baseline, hubs], "results/cmp-1", replicates=20)
    s = summarise("results/cmp-1")          # s.summary (scenario x metric), s.bands (charts)
    write_daily_csv("results/cmp-1", "results/cmp-1/daily.csv")

Modules: ``seeds`` (paired replicate seeds), ``tasks`` (one run, on any worker),
``executors`` (this process, local pool, Dask), ``store`` (one file per run, atomic,
checked on resume), ``runner`` (plan, submit, stream to disk, faults, resume),
``passes`` (one scenario's pass over its run files), ``summary`` (medians, bands and
paired effects of every scenario, streamed from the files),
``intervals`` (paired and unpaired intervals, percentiles, chances of being best).
"""

import importlib

# name -> the module that defines it; imported on first use (PEP 562), so that a light module
# of this package (executors: checking a scheduler address, counting cores) can be imported
# by the command line without loading the model, pandas and the store.
_EXPORTS = {
    "ClusterUnavailable": "executors", "InlineExecutor": "executors",
    "local_executor": "executors",
    "EnsembleResult": "runner", "Progress": "runner", "RunFailure": "runner", "RunKey": "runner",
    "RunsInterrupted": "runner",
    "check_resumable": "runner", "make_plan": "runner", "run_ensemble": "runner",
    "replicate_seeds": "seeds",
    "PlanMismatchError": "store", "RunRecord": "store", "read_table": "store",
    "CorruptRunError": "passes", "Summary": "summary", "iter_run_tables": "summary",
    "summarise": "summary", "write_daily_csv": "summary",
    "RunTask": "tasks", "execute_run": "tasks",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'sim.ensemble' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"sim.ensemble.{module}"), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(_EXPORTS))
