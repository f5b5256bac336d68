"""Ensembles: many seeded replicates of many scenarios, on every core or a Dask cluster.

    from sim.ensemble import run_ensemble, summarise, write_daily_csv

    result = run_ensemble([baseline, hubs], "results/cmp-1", replicates=20)
    s = summarise("results/cmp-1")          # s.summary (scenario x metric), s.bands (charts)
    write_daily_csv("results/cmp-1", "results/cmp-1/daily.csv")

Modules: ``seeds`` (paired replicate seeds), ``tasks`` (one run, on any worker),
``executors`` (this process, local pool, Dask), ``store`` (one file per run, atomic,
checked on resume), ``runner`` (plan, submit, stream to disk, faults, resume),
``summary`` (medians, bands and paired effects, streamed from the files).
"""

from sim.ensemble.executors import ClusterUnavailable, InlineExecutor, local_executor
from sim.ensemble.runner import (
    EnsembleResult,
    Progress,
    RunFailure,
    RunKey,
    make_plan,
    run_ensemble,
)
from sim.ensemble.seeds import replicate_seeds
from sim.ensemble.store import PlanMismatchError, RunRecord, read_table
from sim.ensemble.summary import (
    CorruptRunError,
    Summary,
    iter_run_tables,
    summarise,
    write_daily_csv,
)
from sim.ensemble.tasks import RunTask, execute_run

__all__ = [
    "ClusterUnavailable", "CorruptRunError", "EnsembleResult", "InlineExecutor",
    "PlanMismatchError", "Progress", "RunFailure", "RunKey", "RunRecord", "RunTask",
    "Summary", "execute_run", "iter_run_tables", "local_executor", "make_plan",
    "read_table", "replicate_seeds", "run_ensemble", "summarise", "write_daily_csv",
]
