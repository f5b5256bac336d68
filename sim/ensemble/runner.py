"""Run many seeded replicates of many scenarios, streaming each run to disk as it finishes.

The runner is written against ``concurrent.futures.Executor`` (see ``executors``): a local
process pool by default, this process for ``workers=1``, a Dask cluster for
``scheduler="tcp://HOST:PORT"``, or any executor the caller passes. Results do not depend on
where a run ran: replicate ``i`` of every scenario is seeded with
``replicate_seeds(root_seed, n)[i]`` and summaries read the files in replicate order.

Order of work:

1. the plan (scenarios, their fingerprints and seeds) is written to ``plan.json`` before any
   run starts; ``resume=True`` compares the request with it and refuses a different plan;
2. runs whose files are already complete and intact are skipped (on resume);
3. the rest are submitted, at most ``max_in_flight`` at a time so that finished tables never
   pile up in memory; each finished run is written atomically at once (table, then sidecar);
4. a run that raises is reported (scenario, replicate, seed, traceback) and written to
   ``rep-NNNN.error.json`` while every other run goes on; a worker that dies takes only its
   own runs with it; an interruption (Ctrl-C) ends a local pool's workers at once, then
   writes every run already back in this process (:class:`RunsInterrupted` says how many
   runs are kept; the runs under way are redone by a resume).

Nothing here prints: progress goes to the ``on_progress`` callback, errors come back in
the ``EnsembleResult`` or are raised.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import time
import traceback
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import FIRST_COMPLETED, BrokenExecutor, Executor, wait
from dataclasses import dataclass, field
from pathlib import Path

from sim.ensemble import executors, store
from sim.ensemble.executors import (
    InlineExecutor,
    dask_executor,
    default_workers,
    local_executor,
)
from sim.ensemble.seeds import replicate_seeds
from sim.ensemble.tasks import RunOutcome, RunTask, execute_run, git_commit, package_version

KEEP_BACK_S = 1.0  # the most an interrupted job spends writing the runs back by then


@dataclass(frozen=True)
class RunKey:
    scenario: str
    slug: str
    replicate: int
    seed: int


@dataclass(frozen=True)
class RunFailure:
    """A run that raised (or whose worker was lost): enough to reproduce it alone."""

    scenario: str
    slug: str
    replicate: int
    seed: int
    error: str  # exception type and message
    traceback: str

    def to_json(self) -> dict:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


@dataclass(frozen=True)
class Progress:
    """Handed to ``on_progress``: once at the start (``status="start"``), then per run."""

    n_total: int  # runs in the plan
    n_done: int  # complete runs, including those found on disk at the start
    n_failed: int  # runs that raised in this call
    n_skipped: int  # complete runs found on disk at the start (resume)
    status: str  # "start" | "done" | "failed"
    run: RunKey | None = None
    wall_s: float | None = None  # the run's time on its worker


class RunsInterrupted(KeyboardInterrupt):
    """Ctrl-C, raised by :func:`run_ensemble` once the runs back by then are written:
    ``kept`` of the ``planned`` runs are complete on disk (those found there at the start
    included), the runs a resume skips."""

    def __init__(self, kept: int, planned: int):
        super().__init__(kept, planned)
        self.kept = kept
        self.planned = planned


@dataclass
class EnsembleResult:
    out_dir: Path
    plan: dict
    completed: list[store.RunRecord] = field(default_factory=list)  # every intact run
    failed: list[RunFailure] = field(default_factory=list)  # raised in this call
    missing: list[RunKey] = field(default_factory=list)  # planned, with no intact file
    n_skipped: int = 0  # complete before this call (resume)
    wall_s: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.missing


# -- the plan ---------------------------------------------------------------------------------
def scenario_fingerprint(scenario) -> str:
    """SHA-256 of what determines a run's numbers: model parameters, interventions, days."""
    text = repr((scenario.model, tuple(scenario.interventions), scenario.run.days))
    return hashlib.sha256(text.encode()).hexdigest()


def runs_alike(a, b) -> bool:
    """Whether scenarios ``a`` and ``b`` give the same numbers run on the same seed (the same
    :func:`scenario_fingerprint`): an option that runs as its baseline, whose effects are
    all zero by construction (a plain copy of the baseline)."""
    return scenario_fingerprint(a) == scenario_fingerprint(b)


def alike_earlier(scenarios: Sequence) -> list[tuple]:
    """``(scenario, the first one before it that it runs exactly as)`` for each scenario
    that repeats an earlier one (:func:`runs_alike`): with the baseline first, it or an
    option (its effects all zero, or the same as that option's, run for run). What the
    command line, the compare page and the report each say of such options."""
    seen, out = {}, []  # fingerprint -> the first scenario with it
    for s in scenarios:
        first = seen.setdefault(scenario_fingerprint(s), s)
        if first is not s:
            out.append((s, first))
    return out


def alike_words(option) -> str:
    """What an option that runs as its baseline (:func:`runs_alike`) has, in words said
    before "as the baseline": by the command line and by the compare page."""
    return ("has no interventions and the same settings" if not option.interventions
            else "has the same interventions and settings")


def make_plan(scenarios: Sequence, replicates: int | None = None) -> dict:
    """The runs asked for: per scenario its name, slug, days, fingerprint and seeds.

    A comparison is paired, so every scenario must share the root seed and the number of
    days; slugs (file names) must be distinct."""
    if not scenarios:
        raise ValueError("no scenarios to run")
    problems = []
    slugs = [s.slug for s in scenarios]
    for slug in sorted({s for s in slugs if slugs.count(s) > 1}):
        names = [s.name for s in scenarios if s.slug == slug]
        problems.append(f"scenarios {names} share the file name '{slug}'; rename one")
    first = scenarios[0]
    for s in scenarios[1:]:
        if s.run.seed != first.run.seed:
            problems.append(f"scenario '{s.name}' has seed {s.run.seed} but '{first.name}' has "
                            f"{first.run.seed}: paired replicates need one root seed "
                            "(override it with --seed / Scenario.with_overrides(seed=...))")
        if s.run.days != first.run.days:
            problems.append(f"scenario '{s.name}' runs {s.run.days} days but '{first.name}' "
                            f"runs {first.run.days}: compared scenarios need the same days")
    if replicates is not None and replicates < 1:
        problems.append(f"replicates must be at least 1, got {replicates}")
    if problems:
        raise ValueError("cannot plan this ensemble:\n  " + "\n  ".join(problems))
    entries = []
    for s in scenarios:
        n = int(replicates if replicates is not None else s.run.replicates)
        entries.append({
            "name": s.name, "slug": s.slug, "description": s.description or "",
            "path": None if s.path is None else str(s.path),
            "days": s.run.days, "replicates": n, "root_seed": s.run.seed,
            "residents": s.model.population.n_residents,  # said by a refused --resume
            "fingerprint": scenario_fingerprint(s), "seeds": replicate_seeds(s.run.seed, n),
        })
    # the folder relative paths above are from: ``--resume DIR`` alone finds the files
    return {"format": store.PLAN_FORMAT, "package_version": package_version(),
            "baseline": entries[0]["slug"], "working_directory": os.getcwd(),
            "scenarios": entries}


def check_resumable(scenarios: Sequence, out_dir: str | Path,
                    replicates: int | None = None) -> None:
    """Raise :class:`~sim.ensemble.store.PlanMismatchError` if ``out_dir``, a folder an
    earlier job wrote (``store.read_plan`` reads it), was planned for other runs than
    ``scenarios`` ask for; so a caller can refuse before it says it starts. Writes nothing."""
    out_dir = Path(out_dir)
    _check_same_plan(out_dir, store.read_plan(out_dir), make_plan(list(scenarios), replicates))


def _check_same_plan(out_dir: Path, old: dict, plan: dict) -> None:
    problems = store.compare_plans(old, plan)
    if problems:
        raise store.PlanMismatchError(
            f"{out_dir} was started with a different plan ({'; '.join(problems)}): resume it "
            "with the same scenarios, replicates, days and seed, or choose a new folder",
            out_dir, problems)


def _prepare_folder(out_dir: Path, plan: dict, resume: bool) -> None:
    plan_file = out_dir / store.PLAN_FILE
    if resume:
        if not plan_file.exists():
            raise FileNotFoundError(f"{out_dir}: nothing to resume (no {store.PLAN_FILE})")
        try:
            old = store.read_plan(out_dir)
        except (OSError, ValueError) as exc:
            raise store.PlanMismatchError(f"{plan_file} {exc}: this folder cannot be resumed "
                                          "(run the job again without --resume)") from exc
        runs = out_dir / store.RUNS_DIR
        if runs.exists() and not runs.is_dir():
            raise store.PlanMismatchError(f"{runs} is not a folder: it should hold the run "
                                          "files of this ensemble; this is not a folder to "
                                          "resume")
        _check_same_plan(out_dir, old, plan)
        store.remove_stale_temporaries(out_dir / store.RUNS_DIR)
        return
    if plan_file.exists():
        raise FileExistsError(f"{out_dir} already holds an ensemble; pass resume=True "
                              "(--resume) to continue it, or choose a new folder")
    if out_dir.exists() and any(p.name != store.LOCK_FILE for p in out_dir.iterdir()):
        raise FileExistsError(f"{out_dir} is not empty; choose a new folder for an ensemble "
                              "(earlier results are never overwritten)")
    out_dir.mkdir(parents=True, exist_ok=True)
    # the code that planned it: the manifest's, for a session stopped before its outputs
    store.write_json_atomic(plan_file, {**plan, "git_commit": git_commit()})


# -- running ----------------------------------------------------------------------------------
def run_ensemble(
    scenarios: Sequence,
    out_dir: str | Path,
    *,
    replicates: int | None = None,
    executor: Executor | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
    resume: bool = False,
    on_progress: Callable[[Progress], None] | None = None,
    max_in_flight: int | None = None,
    on_cluster_compile: Callable[[int, int], None] | None = None,
) -> EnsembleResult:
    """Run every replicate of every scenario into ``out_dir``; the first scenario is the
    baseline of later comparisons.

    ``replicates`` overrides each scenario's ``run.replicates``. Where runs execute:
    ``executor`` if given (left open), else a Dask cluster at ``scheduler``
    ("tcp://HOST:PORT"), else a local process pool over ``workers`` processes (all cores by
    default; ``workers=1`` runs in this process). ``resume=True`` continues a folder made by
    an earlier call with the same plan, redoing only runs that are missing, partial or
    corrupt. ``max_in_flight`` bounds submitted-but-unwritten runs (default: twice the
    parallelism, at least 2). ``on_cluster_compile(n, of)``: on a cluster, called when
    ``n`` of its ``of`` workers compile the model before their first run
    (sim.ensemble.executors.compile_on_workers).
    """
    if sum(x is not None for x in (executor, workers, scheduler)) > 1:
        raise ValueError("give at most one of executor, workers (local parallelism) and "
                         "scheduler (a Dask cluster, which sizes itself)")
    started = time.perf_counter()
    out_dir = Path(out_dir)
    plan = make_plan(list(scenarios), replicates)
    _prepare_folder(out_dir, plan, resume)
    by_slug = {s.slug: s for s in scenarios}

    result = EnsembleResult(out_dir=out_dir, plan=plan)
    todo: list[RunTask] = []
    for entry in plan["scenarios"]:
        for rep, seed in enumerate(entry["seeds"]):
            record = store.load_valid_run(out_dir, entry["slug"], rep, seed, entry["days"])
            if record is not None:
                result.completed.append(record)
            else:
                todo.append(RunTask(by_slug[entry["slug"]], rep, seed))
    result.n_skipped = len(result.completed)
    n_total = result.n_skipped + len(todo)

    def report(status, key=None, wall_s=None):
        if on_progress is not None:
            on_progress(Progress(n_total, len(result.completed), len(result.failed),
                                 result.n_skipped, status, key, wall_s))

    report("start")
    if todo:
        with _executor_for(executor, workers, scheduler, on_cluster_compile) as (
                ex, parallelism, end_at_once):
            window = max_in_flight or (1 if isinstance(ex, InlineExecutor)
                                       else max(2, 2 * parallelism))
            pending: dict = {}  # future -> task: submitted, not yet written
            try:
                _drive(ex, todo, window, out_dir, result, report, pending)
            except KeyboardInterrupt as exc:
                # the workers end first (the exit waits for no run), then what came back
                # is written: a second Ctrl-C must not cut into a run's files or the count
                with executors.ctrl_c_held():
                    end_at_once()
                    _keep_back(pending, out_dir, result)
                raise RunsInterrupted(len(result.completed), n_total) \
                    .with_traceback(exc.__traceback__) from None

    planned = [(e["name"], e["slug"], r, s) for e in plan["scenarios"]
               for r, s in enumerate(e["seeds"])]
    done = {(r.slug, r.replicate) for r in result.completed}
    result.missing = [RunKey(*p) for p in planned if (p[1], p[2]) not in done]
    order = {(p[1], p[2]): i for i, p in enumerate(planned)}
    result.completed.sort(key=lambda r: order[(r.slug, r.replicate)])
    result.wall_s = time.perf_counter() - started
    return result


def _nothing() -> None:
    pass


@contextlib.contextmanager
def _executor_for(executor, workers, scheduler, on_cluster_compile=None):
    """Yield (executor, parallelism, end at once); shut down only what this module started.
    ``end at once()`` ends a local pool's workers, whatever they are doing, so that every
    run already back is in its future (sim.ensemble.executors.end_pool); the others are
    left to end as they do."""
    if executor is not None:
        yield executor, getattr(executor, "_max_workers", None) or default_workers(), _nothing
        return
    if scheduler is not None:
        with dask_executor(scheduler, on_compile=on_cluster_compile) as (ex, threads):
            try:
                yield ex, max(1, threads), _nothing
            finally:
                with contextlib.suppress(Exception):  # a lost scheduler: nothing to shut
                    ex.shutdown(wait=False)
        return
    ex = local_executor(workers)
    if isinstance(ex, InlineExecutor):
        try:
            yield ex, 1, _nothing
        finally:
            ex.shutdown()
        return
    # on an error: queued runs dropped, the runs under way end; on Ctrl-C: the workers end
    # at once (a run's table comes back whole or not at all: resume redoes those under way)
    with executors.pool_in_use(ex):
        yield ex, ex._max_workers, lambda: executors.end_pool(ex)


def _drive(ex: Executor, todo: Iterable[RunTask], window: int, out_dir: Path,
           result: EnsembleResult, report, pending: dict) -> None:
    """Run ``todo``, at most ``window`` at a time, writing each run as it comes back.
    ``pending`` (future -> task) holds what is submitted and not yet written (a run leaves
    it once written and counted): interrupted, the caller writes what is back of it."""
    queue = iter(todo)
    broken: list[BaseException] = []
    check = getattr(ex, "cluster_health", None)  # a cluster's (sim.ensemble.executors)

    def fill():
        while len(pending) < window and not broken:
            task = next(queue, None)
            if task is None:
                return
            try:
                pending[ex.submit(execute_run, task)] = task
            except BrokenExecutor as exc:  # a pool whose worker died takes no more work:
                broken.append(exc)  # the runs not yet submitted stay missing (resume)
            except Exception:
                if check is not None:
                    check()  # a closed client: raises that the scheduler was lost
                raise

    try:
        fill()
        while pending:
            finished, _ = wait(list(pending), return_when=FIRST_COMPLETED,
                               timeout=None if check is None else executors.CLUSTER_CHECK_S)
            if not finished:
                check()  # raises when the scheduler is lost or has had no workers too long
                continue
            for fut in finished:
                task = pending[fut]
                outcome = _outcome_of(fut, task)
                key = RunKey(task.scenario.name, task.slug, task.replicate, task.seed)
                if outcome.ok:
                    store.save_run(out_dir, outcome.record, outcome.data)
                    result.completed.append(outcome.record)
                    report("done", key, outcome.record.wall_s)
                else:
                    failure = RunFailure(key.scenario, key.slug, key.replicate, key.seed,
                                         outcome.error, outcome.traceback)
                    store.write_json_atomic(
                        store.error_path(out_dir, key.slug, key.replicate), failure.to_json())
                    result.failed.append(failure)
                    report("failed", key)
                del outcome, pending[fut]
            executors.raise_lost_ctrl_c()  # one lost in a collector's callback meanwhile
            fill()
    finally:
        for fut in pending:
            with contextlib.suppress(Exception):  # a closed Dask client refuses to cancel
                fut.cancel()


def _keep_back(pending: dict, out_dir: Path, result: EnsembleResult) -> None:
    """Write the runs of ``pending`` that came back (their futures done) but were not written
    and counted when the job was interrupted: one it was writing is written again, whole
    (each file is atomic; its sidecar, written last, makes it complete). Those left when
    KEEP_BACK_S is spent, or the disk refuses one, are left to a resume; so are the runs that
    failed. A run counts once its sidecar is in place, so ``result.completed`` is then
    exactly the runs a resume skips."""
    written = {(r.slug, r.replicate) for r in result.completed}
    deadline = time.monotonic() + KEEP_BACK_S
    for fut in pending:
        if time.monotonic() > deadline:
            return
        if not fut.done() or fut.cancelled() or fut.exception() is not None:
            continue
        outcome = fut.result()
        if not outcome.ok or (outcome.slug, outcome.replicate) in written:
            continue
        try:
            store.save_run(out_dir, outcome.record, outcome.data)
        except OSError:  # a full disk refuses the rest too; nothing half-written counts
            return
        result.completed.append(outcome.record)


def _outcome_of(fut, task: RunTask) -> RunOutcome:
    """The worker's outcome, or a failure if the worker itself was lost."""
    try:
        return fut.result()
    except Exception as exc:  # the worker died, the pool broke, the cluster went away
        if isinstance(exc, BrokenExecutor):
            what = "worker lost"
        elif isinstance(exc, ImportError):
            what = ("could not run on its worker (is the same version of kindliness-sim "
                    "installed on every worker?)")
        else:
            what = "could not run on its worker"
        return RunOutcome(task.scenario.name, task.slug, task.replicate, task.seed,
                          error=f"{what}: {type(exc).__name__}: {exc}",
                          traceback="".join(traceback.format_exception(exc)))
