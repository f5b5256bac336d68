"""The ensemble runner: same results on any number of workers, failures reported as data,
plans guarded, files one per run."""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pytest

from sim.ensemble import (
    PlanMismatchError,
    read_table,
    replicate_seeds,
    run_ensemble,
    store,
    summarise,
)
from sim.scenario.schema import RunSettings, Scenario

DAYS, REPS, SEED, RESIDENTS = 12, 4, 31, 200


@dataclass
class FailOnSeed:
    """A test intervention that raises while the model is built for one seed."""

    fail_seed: int
    name: str = "fail_on_seed"

    def setup(self, model):
        if model.seed == self.fail_seed:
            raise RuntimeError(f"deliberate failure for seed {model.seed}")

    def before_day(self, model, day):
        pass

    def after_day(self, model, day):
        pass

    def metrics(self):
        return []


def scenarios(fail_replicate: int | None = None):
    base = Scenario("Baseline", run=RunSettings(days=DAYS, replicates=REPS, seed=SEED))
    base = base.with_overrides(residents=RESIDENTS)
    rules = dataclasses.replace(base.model.rules,
                                contact_trust_gain=2 * base.model.rules.contact_trust_gain)
    more = dataclasses.replace(base, name="More contact",
                               model=dataclasses.replace(base.model, rules=rules))
    out = [base, more]
    if fail_replicate is not None:
        bad = FailOnSeed(replicate_seeds(SEED, REPS)[fail_replicate])
        out.append(dataclasses.replace(base, name="Flaky", interventions=(bad,)))
    return out


def test_one_and_two_workers_give_identical_files_and_summaries(tmp_path):
    events = []
    one = run_ensemble(scenarios(fail_replicate=2), tmp_path / "one", workers=1)
    two = run_ensemble(scenarios(fail_replicate=2), tmp_path / "two", workers=2,
                       on_progress=events.append)
    for r in (one, two):
        assert len(r.completed) == 3 * REPS - 1
        assert [(f.slug, f.replicate) for f in r.failed] == [("flaky", 2)]
        assert [(m.slug, m.replicate) for m in r.missing] == [("flaky", 2)]
    # same bytes in every run file: the table does not depend on the worker that ran it
    assert [r.data_sha256 for r in one.completed] == [r.data_sha256 for r in two.completed]
    assert len({r.worker for r in two.completed}) == 2  # both pool processes did work
    a, b = summarise(tmp_path / "one"), summarise(tmp_path / "two")
    pd.testing.assert_frame_equal(a.summary, b.summary, check_exact=True)
    pd.testing.assert_frame_equal(a.bands, b.bands, check_exact=True)
    assert events[0].status == "start" and events[0].n_total == 3 * REPS
    assert sorted(e.status for e in events[1:]) == ["done"] * (3 * REPS - 1) + ["failed"]
    assert events[-1].n_done + events[-1].n_failed == 3 * REPS


def test_run_file_holds_the_models_daily_table(tmp_path):
    sc = scenarios()[0]
    result = run_ensemble([sc], tmp_path / "ens", replicates=2, workers=1)
    rec = result.completed[1]
    assert (rec.replicate, rec.seed, rec.days) == (1, replicate_seeds(SEED, 2)[1], DAYS)
    model = sc.build_model(rec.seed)
    model.run_days(DAYS)
    expected = model.metrics.frame()
    got = read_table(store.table_path(tmp_path / "ens", sc.slug, 1))
    assert list(got.columns) == list(expected.columns)
    assert np.array_equal(got.to_numpy(), expected.to_numpy(), equal_nan=True)
    side = json.loads(store.sidecar_path(tmp_path / "ens", sc.slug, 1).read_text())
    assert side["data_bytes"] == store.table_path(tmp_path / "ens", sc.slug, 1).stat().st_size
    assert side["run_s"] > 0 and side["scenario"] == "Baseline"


def test_failing_run_is_reported_with_its_traceback_and_the_rest_complete(tmp_path):
    out = tmp_path / "ens"
    result = run_ensemble(scenarios(fail_replicate=1), out, workers=1)
    assert not result.ok
    (failure,) = result.failed
    seed = replicate_seeds(SEED, REPS)[1]
    assert (failure.scenario, failure.replicate, failure.seed) == ("Flaky", 1, seed)
    assert "RuntimeError: deliberate failure" in failure.error
    assert "Traceback" in failure.traceback
    assert "in setup" in failure.traceback
    saved = json.loads(store.error_path(out, "flaky", 1).read_text())
    assert saved["seed"] == seed and "deliberate failure" in saved["traceback"]
    # every other run finished and is on disk
    assert {(r.slug, r.replicate) for r in result.completed} == {
        (s, r) for s in ("baseline", "more_contact", "flaky") for r in range(REPS)} - {
        ("flaky", 1)}
    summary = summarise(out).summary
    flaky = summary[summary.slug == "flaky"]
    assert (flaky.n_replicates == REPS - 1).all() and (flaky.n_missing == 1).all()
    assert (flaky.n_pairs <= REPS - 1).all()
    assert (flaky.set_index("metric").n_pairs[["trust_out_group", "unmet_need"]] == REPS - 1).all()
    # a resume retries only the failed run (which fails again, deterministically)
    events = []
    again = run_ensemble(scenarios(fail_replicate=1), out, workers=1, resume=True,
                         on_progress=events.append)
    assert again.n_skipped == 3 * REPS - 1
    assert [e.status for e in events] == ["start", "failed"]


def test_existing_folder_is_never_overwritten_and_resume_needs_the_same_plan(tmp_path):
    out = tmp_path / "ens"
    run_ensemble(scenarios(), out, workers=1, replicates=2)
    before = store.file_sha256(store.table_path(out, "baseline", 0))
    with pytest.raises(FileExistsError, match="resume"):
        run_ensemble(scenarios(), out, workers=1, replicates=2)
    with pytest.raises(PlanMismatchError, match="replicates 2 then, 3 now"):
        run_ensemble(scenarios(), out, workers=1, replicates=3, resume=True)
    changed = scenarios()
    changed[1] = dataclasses.replace(changed[1], model=changed[0].model)
    with pytest.raises(PlanMismatchError, match="the model or interventions of 'More contact'"):
        run_ensemble(changed, out, workers=1, replicates=2, resume=True)
    with pytest.raises(PlanMismatchError, match="is new"):
        run_ensemble(scenarios(fail_replicate=0), out, workers=1, replicates=2, resume=True)
    assert store.file_sha256(store.table_path(out, "baseline", 0)) == before
    with pytest.raises(FileNotFoundError, match="nothing to resume"):
        run_ensemble(scenarios(), tmp_path / "fresh", workers=1, resume=True)
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "notes.txt").write_text("mine")
    with pytest.raises(FileExistsError, match="not empty"):
        run_ensemble(scenarios(), tmp_path / "busy", workers=1)
    # resuming a complete folder runs nothing and keeps every file
    done = run_ensemble(scenarios(), out, workers=1, replicates=2, resume=True)
    assert done.ok and done.n_skipped == 4 and len(done.completed) == 4


def test_conflicting_executor_arguments_are_refused(tmp_path):
    with pytest.raises(ValueError, match="at most one"):
        run_ensemble(scenarios(), tmp_path / "x", workers=2, scheduler="tcp://127.0.0.1:1")
    assert not (tmp_path / "x").exists()


def test_workers_are_forked_only_while_this_process_runs_no_other_thread():
    """A fork copies only the calling thread (a lock another thread holds stays held in the
    child), so beside a thread the local pool spawns its workers."""
    import threading

    from sim.ensemble.executors import start_method

    alone = threading.active_count() == 1
    assert start_method() == ("fork" if alone else "spawn")
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert start_method() == "spawn"
        assert start_method(beside_threads="forkserver") == "forkserver"  # the pools'
    finally:
        stop.set()
        other.join()


def _frozen_objects() -> int:
    import gc

    return gc.get_freeze_count()


def test_pool_workers_keep_what_they_inherit_out_of_the_collectors_sight():
    """A worker's full garbage collections never walk the modules and objects it inherited:
    they are frozen when it starts (2-3% of a small run)."""
    from sim.ensemble.executors import local_executor

    pool = local_executor(2)
    try:
        counts = [pool.submit(_frozen_objects).result() for _ in range(2)]
    finally:
        pool.shutdown()
    assert min(counts) > 10_000  # numba, pandas, the model's modules


def _interrupted_run() -> str:
    import os
    import signal
    import time

    os.kill(os.getpid(), signal.SIGINT)
    time.sleep(0.2)
    return "carried on"


def test_ctrl_c_is_the_pool_owners_alone_whether_it_takes_it_or_ignores_it():
    """A terminal's Ctrl-C reaches every process of its group. A worker carries on with its
    run: the pool's owner decides (run_ensemble ends the workers itself when interrupted,
    sim.ensemble.executors.pool_in_use), and a worker interrupted while it took a task or
    handed a result back left the pool's queues locked for the owner's shutdown. A job
    started in the background from a script (SIGINT ignored) carries on just the same
    (a user check: its runs under way were killed by a SIGINT to its process group)."""
    import signal

    from sim.ensemble.executors import local_executor

    for disposition in (signal.SIG_IGN, signal.default_int_handler):
        before = signal.signal(signal.SIGINT, disposition)
        try:
            pool = local_executor(2)
            try:
                assert pool.submit(_interrupted_run).result() == "carried on"
            finally:
                pool.shutdown()
        finally:
            signal.signal(signal.SIGINT, before)


def test_beside_a_thread_workers_come_from_the_fork_server_with_the_same_results(tmp_path):
    """Beside a thread (the visualiser's server) the local pool forks its workers from a fork
    server that loaded the rules: the tables are the same bytes as this process's own, and
    the workers are the server's children, not this process's."""
    import os
    import threading

    from sim.ensemble.executors import local_executor

    one = run_ensemble(scenarios(), tmp_path / "one", workers=1)
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        pool = local_executor(2)
        assert pool._mp_context.get_start_method() == "forkserver"
        parents = {pool.submit(os.getppid).result() for _ in range(4)}
        # Ctrl-C reaches every process of the terminal's group: it is the pool's owner's
        # to handle, and a worker carries on with its run
        assert pool.submit(_interrupted_run).result() == "carried on"
        pool.shutdown()
        assert parents and os.getpid() not in parents
        two = run_ensemble(scenarios(), tmp_path / "two", workers=2)
    finally:
        stop.set()
        other.join()
    assert [r.data_sha256 for r in one.completed] == [r.data_sha256 for r in two.completed]
    assert len({r.worker for r in two.completed}) == 2


def test_a_plan_from_before_residents_were_recorded_still_matches():
    """Plans record each scenario's residents (a refused --resume says them); a plan written
    before that has none, and the same runs asked again match it."""
    from sim.ensemble.store import compare_plans

    entry = {"name": "Baseline", "slug": "baseline", "days": 30, "replicates": 2,
             "root_seed": 5, "fingerprint": "f", "seeds": [1, 2]}
    now = {"scenarios": [{**entry, "residents": 200}]}
    assert compare_plans({"scenarios": [entry]}, now) == []
    assert compare_plans({"scenarios": [{**entry, "residents": 200}]}, now) == []
    assert compare_plans({"scenarios": [{**entry, "residents": 2000, "fingerprint": "g"}]},
                         now) == ["residents 2,000 then, 200 now"]
