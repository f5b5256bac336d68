"""Workers that end with their parent (sim/lifeline.py), on real processes: a worker whose
parent is killed outright ends within seconds, and one whose parent is already gone when it
starts ends at once. (Whole commands leaving nothing behind: tests/test_orphans.py.)"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")

REPO = Path(__file__).resolve().parents[1]
ENV = {**os.environ, "PYTHONPATH": str(REPO)}
WORKER = ("import os, sys, time; from sim.lifeline import die_with_parent; "
          "die_with_parent(int(sys.argv[1])); print('started', flush=True); time.sleep(60)")
# a parent that starts one worker, says the worker's pid, and waits to be killed
PARENT = ("import os, subprocess, sys, time; "
          f"w = subprocess.Popen([sys.executable, '-c', {WORKER!r}, str(os.getpid())], "
          "stdout=subprocess.PIPE, text=True); "
          "w.stdout.readline(); print(w.pid, flush=True); time.sleep(60)")


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state != "Z"


def test_a_worker_ends_when_its_parent_is_killed():
    parent = subprocess.Popen([sys.executable, "-c", PARENT], stdout=subprocess.PIPE,
                              text=True, env=ENV)
    worker = int(parent.stdout.readline())
    try:
        assert _alive(worker)
        parent.send_signal(signal.SIGKILL)
        parent.wait(10)
        deadline = time.monotonic() + 10
        while _alive(worker) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not _alive(worker)
    finally:
        for pid in (worker, parent.pid):
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)
        parent.stdout.close()


def test_a_worker_whose_parent_is_already_gone_ends_at_once():
    done = subprocess.run([sys.executable, "-c", WORKER, "1"], capture_output=True, text=True,
                          env=ENV, timeout=30)
    assert done.returncode == 1 and "started" not in done.stdout


SERVED = ("import sys, time; from sim.lifeline import die_with_parent; "
          "die_with_parent(int(sys.argv[1]), forked_by_server=True); print('started', "
          "flush=True); time.sleep(60)")


def test_a_fork_server_worker_ends_when_the_pools_owner_is_killed_not_its_parent():
    # the worker is this test's child, as a fork server's worker is the server's; it watches
    # another process, the pool's owner, and ends when that one is killed
    owner = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    worker = subprocess.Popen([sys.executable, "-c", SERVED, str(owner.pid)],
                              stdout=subprocess.PIPE, text=True, env=ENV)
    try:
        assert worker.stdout.readline().strip() == "started"
        time.sleep(0.3)
        assert worker.poll() is None  # its parent (this process) and the owner are alive
        owner.send_signal(signal.SIGKILL)
        owner.wait(10)
        assert worker.wait(10) == 1
    finally:
        for proc in (worker, owner):
            if proc.poll() is None:
                proc.kill()
                proc.wait(10)
        worker.stdout.close()


def test_a_fork_server_worker_whose_owner_is_already_gone_ends_at_once():
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait(10)
    done = subprocess.run([sys.executable, "-c", SERVED, str(gone.pid)], capture_output=True,
                          text=True, env=ENV, timeout=30)
    assert done.returncode == 1 and "started" not in done.stdout
