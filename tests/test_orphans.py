"""Nothing outlives the command that started it, however that command ends.

- ``python run.py viz`` stopped with SIGTERM or SIGHUP (a service manager, a closed terminal)
  leaves no server on the port: the launcher becomes the server, so the signal reaches it.
  Its internal status page /resourcez is off.
- ``python run.py compare --workers 2`` killed with SIGKILL leaves no pool worker and no
  resource tracker: each worker ends when its parent dies.

These are real processes started with ``start_new_session`` and watched through /proc; the
test kills only processes it started (and their descendants, by the pids it recorded).
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")]

REPO = Path(__file__).resolve().parents[1]
GONE_WITHIN_S = 10.0
START_TIMEOUT_S = 120.0
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


# -- processes, through /proc -------------------------------------------------------------------
def _stat(pid: int) -> tuple[str, int] | None:
    """(state, parent pid) of a process, or None when it is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text.rsplit(")", 1)[1].split()
    return fields[0], int(fields[1])


def alive(pid: int) -> bool:
    st = _stat(pid)
    return st is not None and st[0] not in ("Z", "X")  # a zombie has ended; only its entry stays


def cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def descendants(pid: int) -> list[int]:
    """Every living process below ``pid`` (children, their children, ...)."""
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            st = _stat(int(entry.name))
            if st is not None:
                parents.setdefault(st[1], []).append(int(entry.name))
    out, todo = [], [pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            if alive(child):
                out.append(child)
                todo.append(child)
    return out


def wait_until(condition, timeout_s: float, step_s: float = 0.1) -> float | None:
    """Seconds until ``condition()`` held, or None if it never did within ``timeout_s``."""
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout_s:
        if condition():
            return time.monotonic() - t0
        time.sleep(step_s)
    return None


def kill_all(pids) -> None:
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def kill_and_see_all_gone(proc, seen: set[int], what: str) -> None:
    """SIGKILL ``proc``; every process in ``seen`` must be gone within GONE_WITHIN_S."""
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    took = wait_until(lambda: not any(alive(p) for p in seen), GONE_WITHIN_S)
    left = [f"{p}: {cmdline(p)}" for p in seen if alive(p)]
    assert took is not None, f"still running {GONE_WITHIN_S} s after SIGKILL: {left}"
    print(f"{what}: {len(seen)} processes gone {took:.1f} s after SIGKILL")


def clean_up(proc, seen: set[int]) -> None:
    """Whatever a failed test left running."""
    kill_all(p for p in seen if alive(p))
    if proc.poll() is None:
        proc.kill()
        proc.wait(timeout=10)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def port_closed(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(1)
        return s.connect_ex(("127.0.0.1", port)) != 0


def http_status(url: str) -> int | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return r.status
    except urllib.error.HTTPError as e:
        return e.code
    except (urllib.error.URLError, OSError):
        return None


# -- the visualiser -----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def assets_ready() -> None:
    from sim.app import assets

    missing = assets.missing_assets(assets.default_cache_dir())
    if missing and not IN_CI:
        pytest.skip(f"browser assets not prepared ({len(missing)} missing): make assets")


def start_viz(port: int, log_path: Path) -> subprocess.Popen:
    """``python run.py viz`` on ``port`` in a session of its own, its output into
    ``log_path``."""
    with open(log_path, "wb") as log:
        return subprocess.Popen([sys.executable, "run.py", "viz", "--no-browser", "--port",
                                 str(port)], cwd=REPO, stdout=log, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True)


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP], ids=["SIGTERM", "SIGHUP"])
def test_viz_stops_its_server_on_a_signal(sig, assets_ready, tmp_path):
    port = free_port()
    proc = start_viz(port, tmp_path / "viz.log")
    seen: set[int] = {proc.pid}
    try:
        up = wait_until(lambda: proc.poll() is not None
                        or http_status(f"http://127.0.0.1:{port}/") == 200, START_TIMEOUT_S, 0.5)
        assert up is not None and proc.poll() is None, (tmp_path / "viz.log").read_text()[-3000:]
        assert http_status(f"http://127.0.0.1:{port}/resourcez") == 404
        assert http_status(f"http://127.0.0.1:{port}/readyz") == 200
        seen |= set(descendants(proc.pid))
        os.kill(proc.pid, sig)
        took = wait_until(lambda: not any(alive(p) for p in seen) and port_closed(port),
                          GONE_WITHIN_S)
        left = [f"{p}: {cmdline(p)}" for p in seen if alive(p)]
        assert took is not None, f"still running {GONE_WITHIN_S} s after {sig.name}: {left}"
        print(f"viz: gone {took:.1f} s after {sig.name}")
    finally:
        kill_all(p for p in seen if alive(p))
        proc.wait(timeout=10)


def test_viz_says_its_address_once_the_page_answers_and_ctrl_c_ends_it_with_130(
        assets_ready, tmp_path):
    """Two user checks: the address was said about 4 s before the page answered there
    (a browser opened on it got "connection refused"), and Ctrl-C ended the visualiser
    with Solara's "Aborted." and status 1, where a shell expects 130. The address line is
    said only once the page answers; Ctrl-C gives 130, with nothing started left running."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    log_path = tmp_path / "viz.log"
    proc = start_viz(port, log_path)
    seen: set[int] = {proc.pid}
    said = f"Kindliness visualiser: {url}  (Ctrl-C to stop)"
    try:
        up = wait_until(lambda: proc.poll() is not None or said in log_path.read_text(),
                        START_TIMEOUT_S, 0.05)
        assert up is not None and proc.poll() is None, log_path.read_text()[-3000:]
        assert http_status(url) == 200  # answering as soon as it is said
        seen |= set(descendants(proc.pid))
        os.killpg(proc.pid, signal.SIGINT)  # Ctrl-C at a terminal: the whole group
        proc.wait(timeout=GONE_WITHIN_S)
        text = log_path.read_text(errors="replace")
        assert proc.returncode == 130, (proc.returncode, text[-3000:])
        assert "Aborted" not in text and "Traceback" not in text, text[-3000:]
        # the address said once (a user check: Solara's own line said it before it answered)
        assert text.count(url.rstrip("/")) == 1 and "Solara server is starting" not in text
        assert wait_until(lambda: not any(alive(p) for p in seen), GONE_WITHIN_S) is not None
    finally:
        kill_all(p for p in seen if alive(p))
        proc.wait(timeout=10)


@pytest.mark.parametrize("after_s", [0.0, 0.3, 0.8])
def test_ctrl_c_while_the_visualiser_starts_ends_it_quietly(assets_ready, tmp_path, after_s):
    """A user check: Ctrl-C within a second of "Starting the visualiser ..." (Solara still
    loading) printed a KeyboardInterrupt traceback every time, once a fatal error and status
    1. Ctrl-C is blocked across the exec into the server and taken there: status 130,
    nothing but "interrupted"."""
    port = free_port()
    log_path = tmp_path / "viz.log"
    proc = start_viz(port, log_path)
    seen: set[int] = {proc.pid}
    try:
        started = wait_until(lambda: proc.poll() is not None
                             or "Starting the visualiser" in log_path.read_text(),
                             START_TIMEOUT_S, 0.02)
        assert started is not None and proc.poll() is None, log_path.read_text()[-3000:]
        time.sleep(after_s)
        seen |= set(descendants(proc.pid))
        os.killpg(proc.pid, signal.SIGINT)
        proc.wait(timeout=GONE_WITHIN_S)
        text = log_path.read_text(errors="replace")
        assert proc.returncode == 130, (proc.returncode, text[-3000:])
        assert "Traceback" not in text and "Fatal" not in text, text[-3000:]
    finally:
        kill_all(p for p in seen if alive(p))
        proc.wait(timeout=10)


# -- the local process pool ---------------------------------------------------------------------
def test_compare_workers_end_when_the_parent_is_killed(tmp_path):
    scenarios = tmp_path / "scenarios"
    scenarios.mkdir()
    (scenarios / "a.toml").write_text('name = "A"\n[run]\nseed = 5\n')
    (scenarios / "b.toml").write_text('name = "B"\n[run]\nseed = 5\n[rules]\np_need = 0.02\n')
    # long enough runs (seconds each) that the workers are busy when the parent is killed
    argv = [sys.executable, "run.py", "compare", str(scenarios / "a.toml"),
            str(scenarios / "b.toml"), "--workers", "2", "--replicates", "4", "--days", "10000",
            "--residents", "10000", "--out", str(tmp_path / "results")]
    proc = subprocess.Popen(argv, cwd=REPO, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL,
                            start_new_session=True)
    seen: set[int] = set()
    try:
        def workers_running():
            kids = descendants(proc.pid)
            seen.update(kids)
            # workers forked from the job carry its command line; spawned ones run
            # multiprocessing's; either way, not the resource tracker
            return sum("resource_tracker" not in cmdline(p)
                       for p in kids) >= 2 or proc.poll() is not None

        assert wait_until(workers_running, START_TIMEOUT_S, 0.2) is not None
        assert proc.poll() is None, "the job ended before it could be killed"
        time.sleep(1.0)  # workers past their start-up, into runs
        seen.update(descendants(proc.pid))
        kinds = [cmdline(p) for p in seen]
        assert sum("resource_tracker" not in k for k in kinds) >= 2, kinds
        kill_and_see_all_gone(proc, seen, "compare")
    finally:
        clean_up(proc, seen)


def test_ctrl_c_ends_a_job_with_no_worker_traceback(tmp_path):
    """A user check: Ctrl-C (SIGINT to the whole process group, as a terminal sends it)
    printed "Process ForkProcess-2:" and a KeyboardInterrupt traceback about one time in
    four: a worker idle in the pool's queue raised it. One run on two workers keeps one
    worker idle, so the old behaviour shows every time. The run is long (100 M
    resident-days, about ten seconds): at 9 M it could end before the Ctrl-C."""
    argv = [sys.executable, "run.py", "run", str(REPO / "scenarios" / "baseline.toml"),
            "--replicates", "1", "--workers", "2", "--days", "10000", "--residents", "10000",
            "--out", str(tmp_path / "results")]
    proc = subprocess.Popen(argv, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            stdin=subprocess.DEVNULL, start_new_session=True, text=True)
    seen: set[int] = set()
    try:
        def workers_running():
            seen.update(descendants(proc.pid))
            return sum("resource_tracker" not in cmdline(p)
                       for p in seen if alive(p)) >= 2 or proc.poll() is not None

        assert wait_until(workers_running, START_TIMEOUT_S, 0.2) is not None
        assert proc.poll() is None, "the job ended before Ctrl-C"
        time.sleep(1.5)  # one worker into its run, the other waiting for work
        os.killpg(proc.pid, signal.SIGINT)
        _, err = proc.communicate(timeout=60)
        assert proc.returncode == 130, err
        assert "Traceback" not in err and "KeyboardInterrupt" not in err, err
        # how many runs were kept is said (the compare page said it; the terminal did not)
        assert "interrupted: 0 of 1 runs finished and are kept in" in err \
            or "nothing was kept" in err, err
    finally:
        clean_up(proc, seen)


# a script whose pool of two workers, started beside a thread as in a server, is busy for ten
# minutes; each test adds what it does next
BUSY_POOL = """
import sys, threading, time
sys.path.insert(0, {repo!r})
from concurrent.futures.process import BrokenProcessPool
from sim.ensemble.executors import end_pools, local_executor

if __name__ == "__main__":
    threading.Thread(target=threading.Event().wait, daemon=True).start()  # as in a server
    pool = local_executor(2)
    busy = [pool.submit(time.sleep, 600) for _ in range(2)]
"""
FORK_SERVER_POOL = BUSY_POOL + """\
    print(pool._mp_context.get_start_method(), flush=True)
    time.sleep(600)
"""


def test_fork_server_workers_end_when_the_parent_is_killed(tmp_path):
    # beside a thread the pool's workers are the fork server's children, not the parent's:
    # killing the parent must still end the server and every worker
    script = tmp_path / "pool.py"
    script.write_text(FORK_SERVER_POOL.format(repo=str(REPO)))
    proc = subprocess.Popen([sys.executable, str(script)], cwd=tmp_path, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL, text=True,
                            start_new_session=True)
    seen: set[int] = set()
    try:
        assert proc.stdout.readline().strip() == "forkserver"
        # the server, its two workers and multiprocessing's resource tracker
        assert wait_until(lambda: len(seen.update(descendants(proc.pid)) or seen) >= 4,
                          START_TIMEOUT_S, 0.2) is not None, [cmdline(p) for p in seen]
        kill_and_see_all_gone(proc, seen, "fork server pool")
    finally:
        clean_up(proc, seen)


ENDING_POOLS = BUSY_POOL + """\
    time.sleep(2.0)  # the workers are into their tasks
    t0 = time.monotonic()
    end_pools()
    print(f"ended in {{time.monotonic() - t0:.1f}} s", flush=True)
    assert all(isinstance(f.exception(timeout=5), BrokenProcessPool) for f in busy)
    try:
        local_executor(2)
    except RuntimeError as exc:
        print(exc, flush=True)
"""


def test_ending_the_pools_ends_their_workers_and_releases_their_semaphores(tmp_path):
    # what the visualiser's server does on SIGTERM (sim/app/serving.py): the pools' workers
    # end at once, not after their tasks; no pool starts after; multiprocessing's resource
    # tracker has no semaphore left to warn of (the server's own test:
    # tests/browser/test_viz_signals.py)
    script = tmp_path / "pool.py"
    script.write_text(ENDING_POOLS.format(repo=str(REPO)))
    proc = subprocess.run([sys.executable, str(script)], cwd=tmp_path, capture_output=True,
                          text=True, timeout=START_TIMEOUT_S)
    assert proc.returncode == 0, proc.stderr
    took, refused = proc.stdout.splitlines()
    assert float(took.split()[2]) < 5.0, took
    assert refused == "this process is ending: no new process pool is started"
    assert "leaked semaphore" not in proc.stderr, proc.stderr


HALF_A_RESULT = BUSY_POOL + """\
    import os, struct
    time.sleep(2.0)  # the workers are into their tasks, the pool's manager thread waiting
    # what a worker killed while it wrote a result leaves: a message's length, then part of it
    os.write(pool._result_queue._writer.fileno(), struct.pack("!i", 1000) + b"x" * 10)
    time.sleep(0.5)  # the manager thread reads the length and waits for the rest
    ending = threading.Thread(target=end_pools, daemon=True)
    t0 = time.monotonic()
    ending.start()
    ending.join(timeout=20)
    print("ended" if not ending.is_alive() else "hung", f"{{time.monotonic() - t0:.1f}}",
          flush=True)
    os._exit(0)
"""


def test_ending_the_pools_does_not_wait_for_ever_on_half_a_result(tmp_path):
    # SIGTERM mid-comparison hung the visualiser's server about one time in ten: a worker
    # killed while it wrote a result left half a message, and the pool's manager thread
    # waited for the rest for ever (this process holds the pipe's writing end too)
    script = tmp_path / "pool.py"
    script.write_text(HALF_A_RESULT.format(repo=str(REPO)))
    proc = subprocess.run([sys.executable, str(script)], cwd=tmp_path, capture_output=True,
                          text=True, timeout=START_TIMEOUT_S + 30)
    word, took = proc.stdout.split()
    assert word == "ended", proc.stderr[-2000:]
    assert float(took) < 5.0


def test_a_ctrl_c_while_the_fork_server_loads_the_model_prints_nothing(tmp_path):
    """A user check: Ctrl-C soon after the visualiser was ready printed a KeyboardInterrupt
    traceback from the pool's fork server, which was still loading the model's rules (the
    terminal sends Ctrl-C to the whole process group). The server leaves Ctrl-C to the
    process that started it, from the start of its loading."""
    script = (
        "import os, signal, time\n"
        "signal.signal(signal.SIGINT, lambda *a: None)  # this process: Ctrl-C taken\n"
        "from sim.ensemble.executors import start_fork_server\n"
        "start_fork_server()\n"
        "time.sleep(0.3)  # the server is loading the model\n"
        "os.killpg(0, signal.SIGINT)\n"
        "time.sleep(4)\n")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, "-c", script], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=120,
                          start_new_session=True)
    assert done.returncode == 0, done.stderr
    assert "KeyboardInterrupt" not in done.stderr and "Traceback" not in done.stderr, \
        done.stderr
