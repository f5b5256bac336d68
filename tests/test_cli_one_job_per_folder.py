"""One job at a time works in a results folder: a ``--resume`` of a folder whose job is still
running is refused (exit 2, naming the process, nothing written), for compare and for
robustness; a job that crashed leaves no lock behind.

A user check: ``--resume FOLDER`` while the first job still ran in FOLDER was accepted; both
ran the same runs and wrote the same outputs, and manifest.json then recorded the first
session as never finished.

Each first job is real (``run.py`` in its own process group, its runs slowed by SLOW_S so that
it is still running when the second comes); each second job is another real process.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sim.commands.shared import PROG

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not hasattr(os, "killpg"), reason="needs process groups")]

REPO = Path(__file__).resolve().parents[1]
SLOW_S = 600.0  # what each run of a first job takes longer: it outlives the test
START_TIMEOUT_S = 120.0  # until a first job has planned its runs, or a resume's end
SIZE = ["--replicates", "2", "--residents", "100", "--days", "120"]
COMPARE = ["compare", "scenarios/baseline.toml", "scenarios/shared_myth.toml", *SIZE,
           "--workers", "2"]
ROBUSTNESS = ["robustness", "scenarios/baseline.toml", "scenarios/shared_myth.toml",
              "--worlds", "2", *SIZE, "--workers", "2"]

# the command line with every run made slow (a slower model build); the rest is real
DRIVER = f"""
import sys, time
from sim.scenario.schema import Scenario

def build_model(self, seed, **kwargs):
    time.sleep({SLOW_S})

Scenario.build_model = build_model
from sim.cli import main

raise SystemExit(main(sys.argv[1:]))
"""


def files_under(folder: Path) -> dict[str, float]:
    return {str(p.relative_to(folder)): p.lstat().st_mtime for p in folder.rglob("*")}


def wait_for(condition, timeout_s: float) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


def the_folder(out: Path, plan: str) -> Path | None:
    found = list(out.glob(f"*/{plan}"))
    return found[0].parents[plan.count("/")] if found else None


@pytest.mark.parametrize("job, plan", [(COMPARE, "plan.json"),
                                       (ROBUSTNESS, "runs/plan.json")],
                         ids=["compare", "robustness"])
def test_a_folder_whose_job_is_running_cannot_be_resumed_until_it_ends(tmp_path, job, plan):
    from sim.model import compile_rules

    compile_rules()  # here, once (after an edit), not in the jobs
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    out = tmp_path / "results"
    first = subprocess.Popen([sys.executable, "-c", DRIVER, *job, "--out", str(out)],
                             cwd=REPO, env=env, stdin=subprocess.DEVNULL,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                             start_new_session=True)
    try:
        assert wait_for(lambda: the_folder(out, plan) is not None or first.poll() is not None,
                        START_TIMEOUT_S)
        assert first.poll() is None, first.communicate()[1]
        folder = the_folder(out, plan)
        before = files_under(folder)
        second = subprocess.run([sys.executable, "run.py", *job, "--resume", str(folder)],
                                cwd=REPO, env=env, capture_output=True, text=True,
                                timeout=START_TIMEOUT_S)
        assert second.returncode == 2, second.stderr
        prog = f"{PROG} {job[0]}" if job[0] in ("compare", "robustness") else PROG
        assert second.stderr == (f"{prog}: --resume {folder}: another job is working in it "
                                 f"(process {first.pid}); wait for it to finish, or stop it\n")
        assert files_under(folder) == before, "the second job wrote something"
        assert first.poll() is None  # the first job goes on
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(first.pid, signal.SIGKILL)  # as a crash ends it: no word, no clean-up
        first.wait(timeout=10)
    if job is ROBUSTNESS:
        return
    # the crashed job's lock went with it: its folder resumes, and ends as it began, unlocked
    resumed = subprocess.run([sys.executable, "run.py", *job, "--resume", str(folder)],
                             cwd=REPO, env=env, capture_output=True, text=True,
                             timeout=START_TIMEOUT_S)
    assert resumed.returncode == 0, resumed.stderr
    assert (folder / "report.html").is_file()
    assert not (folder / ".job.lock").exists()
