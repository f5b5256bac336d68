"""Faults: an interrupted or broken ensemble resumes to the same summary as an uninterrupted
one, and partial or corrupt run files are detected and redone."""

from __future__ import annotations

import dataclasses
import json
import os
import signal
from pathlib import Path

import pandas as pd
import pytest

from sim.ensemble import run_ensemble, store, summarise
from sim.scenario.schema import RunSettings, Scenario

DAYS, REPS, SEED, RESIDENTS = 240, 6, 5, 200


def scenarios():
    base = Scenario("Baseline", run=RunSettings(days=DAYS, replicates=REPS, seed=SEED))
    base = base.with_overrides(residents=RESIDENTS)
    rules = dataclasses.replace(base.model.rules, p_visit_hub=3 * base.model.rules.p_visit_hub)
    busy = dataclasses.replace(base, name="Busy hubs",
                               model=dataclasses.replace(base.model, rules=rules))
    return [base, busy]


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """An uninterrupted ensemble and its summary."""
    out = tmp_path_factory.mktemp("reference") / "ens"
    result = run_ensemble(scenarios(), out, workers=1)
    assert result.ok
    return summarise(out)


def assert_same_summary(a, b):
    pd.testing.assert_frame_equal(a.summary, b.summary, check_exact=True)
    pd.testing.assert_frame_equal(a.bands, b.bands, check_exact=True)


def test_interrupted_pool_resumes_to_the_same_summary(tmp_path, reference):
    out = tmp_path / "ens"
    done = []

    def interrupt_after_three(p):
        if p.status == "done":
            done.append(p.run)
            if len(done) == 3:
                raise KeyboardInterrupt  # what Ctrl-C does in the main process

    with pytest.raises(KeyboardInterrupt) as interrupted:
        run_ensemble(scenarios(), out, workers=2, on_progress=interrupt_after_three)
    on_disk = sorted(out.glob("runs/*/rep-*.json"))
    assert len(on_disk) >= 3  # what finished before the interruption was kept
    assert interrupted.value.kept == len(on_disk)  # and said, run for run
    assert len(on_disk) < 2 * REPS  # and it really stopped early
    assert not list(out.rglob(f"*{store.TMP_MARK}*"))  # no half-written files

    resumed = run_ensemble(scenarios(), out, workers=1, resume=True)
    assert resumed.ok and resumed.n_skipped == len(on_disk)
    assert len(resumed.completed) == 2 * REPS
    assert_same_summary(summarise(out), reference)


def _parent_of(pid: int) -> int:
    with open(f"/proc/{pid}/stat") as f:
        return int(f.read().rsplit(")", 1)[1].split()[1])


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc (Linux)")
def test_killed_worker_loses_only_unfinished_runs_and_resume_completes(tmp_path, reference):
    # the worker of the first run done is killed; it is then running another, unless this
    # process heard of that run only after the worker had finished all it would get or
    # between two runs (a fresh-clone CI run under load: all 12 runs in 80 ms, of 12 days
    # each): then again, in a new folder
    for attempt in range(3):
        out = tmp_path / f"ens-{attempt}"
        killed = []

        def kill_a_worker(p, out=out, killed=killed):
            if p.status == "done" and not killed:
                side = store.sidecar_path(out, p.run.slug, p.run.replicate).read_text()
                pid = int(store.RunRecord.from_json(json.loads(side)).worker.rsplit(":", 1)[1])
                # a pool process this test started: its child, or (beside the threads
                # earlier tests left) a child of the fork server it started
                assert os.getpid() in (_parent_of(pid), _parent_of(_parent_of(pid)))
                os.kill(pid, signal.SIGKILL)
                killed.append(pid)

        broken = run_ensemble(scenarios(), out, workers=2, on_progress=kill_a_worker)
        assert killed
        if broken.failed:  # else nothing was in flight when the kill landed
            break
    assert broken.failed, "runs in flight on the killed worker are reported"
    assert all("worker lost" in f.error for f in broken.failed)
    missing = {(m.slug, m.replicate) for m in broken.missing}
    assert {(f.slug, f.replicate) for f in broken.failed} <= missing
    assert missing.isdisjoint({(r.slug, r.replicate) for r in broken.completed})
    assert len(missing) + len(broken.completed) == 2 * REPS
    resumed = run_ensemble(scenarios(), out, workers=1, resume=True)
    assert resumed.ok and not resumed.failed
    assert_same_summary(summarise(out), reference)


def test_corrupt_and_partial_files_are_detected_and_redone(tmp_path, reference):
    out = tmp_path / "ens"
    run_ensemble(scenarios(), out, workers=1)
    truncated = store.table_path(out, "busy_hubs", 2)
    truncated.write_bytes(truncated.read_bytes()[: truncated.stat().st_size // 2])
    flipped = store.table_path(out, "baseline", 4)  # same size, altered content
    data = bytearray(flipped.read_bytes())
    data[len(data) // 2] ^= 0xFF
    flipped.write_bytes(bytes(data))
    store.sidecar_path(out, "baseline", 1).write_text("{ not json")
    store.table_path(out, "busy_hubs", 5).unlink()
    stale = truncated.parent / f".{truncated.name}{store.TMP_MARK}abc"
    stale.write_bytes(b"half a file")

    # before the resume, the summary counts every damaged or missing run as missing
    partial = summarise(out).summary
    assert set(partial.groupby("slug").n_missing.max().items()) == {("baseline", 2),
                                                                    ("busy_hubs", 2)}
    untouched = store.table_path(out, "baseline", 0)
    mtime = untouched.stat().st_mtime_ns
    redone = []
    resumed = run_ensemble(scenarios(), out, workers=1, resume=True,
                           on_progress=lambda p: p.status == "done" and redone.append(
                               (p.run.slug, p.run.replicate)))
    assert sorted(redone) == [("baseline", 1), ("baseline", 4), ("busy_hubs", 2),
                              ("busy_hubs", 5)]
    assert resumed.ok and resumed.n_skipped == 2 * REPS - 4
    assert untouched.stat().st_mtime_ns == mtime  # intact runs were not rewritten
    assert not stale.exists()
    assert_same_summary(summarise(out), reference)


def test_a_ctrl_c_a_compiled_kernel_turned_into_its_own_error_stops_the_job(tmp_path,
                                                                          monkeypatch):
    """A user check: with --workers 1 a Ctrl-C that landed inside numba's own Python code
    came back as "SystemError: CPUDispatcher(...) returned a result with an exception set",
    filed as a failed run, and the job went on to its report. Any error that came of a
    KeyboardInterrupt interrupts the job (what finished is kept); others stay failed runs."""
    from sim.ensemble import RunsInterrupted
    from sim.model import KindlinessModel

    real = KindlinessModel.step
    calls = {"n": 0}

    def kernel_interrupted(self):
        calls["n"] += 1
        if calls["n"] == DAYS + 5:  # the second run's fifth day
            try:
                raise KeyboardInterrupt
            except KeyboardInterrupt:
                raise SystemError("CPUDispatcher(<function _rules>) returned a result with "
                                  "an exception set") from None
        return real(self)

    monkeypatch.setattr(KindlinessModel, "step", kernel_interrupted)
    with pytest.raises(RunsInterrupted):
        run_ensemble(scenarios(), tmp_path / "ens", workers=1)
    kept = list((tmp_path / "ens" / "runs").rglob("rep-*.json"))
    assert len(kept) == 1 and not any(p.name.endswith(".error.json") for p in kept)

    def other_error(self):
        raise SystemError("a kernel's own error")

    monkeypatch.setattr(KindlinessModel, "step", other_error)
    result = run_ensemble(scenarios()[:1], tmp_path / "ens2", workers=1)
    assert len(result.failed) == REPS


def test_a_ctrl_c_in_a_run_in_this_process_is_raised_between_days(tmp_path, monkeypatch):
    """With workers 1 the runs are in this process: a Ctrl-C is noted and raised between
    days, never inside a kernel or a garbage collector's callback (a user check: numba
    turned one into a SystemError, and once the process crashed). The day it came is
    finished; the job is interrupted with the runs before it kept."""
    from sim.ensemble import RunsInterrupted
    from sim.model import KindlinessModel

    real = KindlinessModel.step
    seen = {"n": 0, "finished": 0}

    def ctrl_c_mid_day(self):
        seen["n"] += 1
        if seen["n"] == DAYS + 5:  # the second run's fifth day, mid-day
            os.kill(os.getpid(), signal.SIGINT)
        real(self)
        seen["finished"] = seen["n"]

    monkeypatch.setattr(KindlinessModel, "step", ctrl_c_mid_day)
    with pytest.raises(RunsInterrupted):
        run_ensemble(scenarios(), tmp_path / "ens", workers=1)
    assert seen["finished"] == DAYS + 5  # raised after the day, before the next
    kept = list((tmp_path / "ens" / "runs").rglob("rep-*.json"))
    assert len(kept) == 1 and not any(p.name.endswith(".error.json") for p in kept)
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
