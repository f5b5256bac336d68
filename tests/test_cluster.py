"""The Dask cluster path: a real ``dask scheduler`` and two real ``dask worker`` processes on
127.0.0.1 (one process, one thread each), started and stopped by this module, give the same
run files and the same summary as the local process pool."""

from __future__ import annotations

import contextlib
import dataclasses
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

distributed = pytest.importorskip("distributed")

from sim.commands.shared import PROG  # noqa: E402
from sim.ensemble import run_ensemble, summarise  # noqa: E402
from sim.ensemble.executors import ClusterUnavailable, dask_executor  # noqa: E402
from sim.scenario.schema import RunSettings, Scenario  # noqa: E402

pytestmark = pytest.mark.cluster

REPO = Path(__file__).resolve().parents[1]
START_TIMEOUT_S = 90  # generous: two busy cores start three Python processes
DAYS, REPS, SEED, RESIDENTS = 10, 4, 17, 200


def scenarios():
    base = Scenario("Baseline", run=RunSettings(days=DAYS, replicates=REPS, seed=SEED))
    base = base.with_overrides(residents=RESIDENTS)
    rules = dataclasses.replace(base.model.rules, p_visit_hub=3 * base.model.rules.p_visit_hub)
    return [base, dataclasses.replace(base, name="Busy hubs",
                                      model=dataclasses.replace(base.model, rules=rules))]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def stop(proc: subprocess.Popen) -> None:
    """Stop a process group this module started: SIGTERM, then SIGKILL after 20 s."""
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """Address of a scheduler with two connected workers that can import ``sim``."""
    logs = tmp_path_factory.mktemp("dask-logs")
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(REPO), env.get("PYTHONPATH", "")) if p)
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    common = dict(env=env, cwd=logs, stderr=subprocess.STDOUT, start_new_session=True)
    commands = {"scheduler": ["scheduler", "--host", "127.0.0.1", "--port", str(port),
                              "--no-dashboard"]}
    for i in range(2):
        commands[f"worker{i}"] = ["worker", address, "--nworkers", "1", "--nthreads", "1",
                                  "--host", "127.0.0.1", "--no-dashboard", "--name", f"w{i}",
                                  "--local-directory", str(logs / f"w{i}")]
    with contextlib.ExitStack() as stack:  # on leaving: stop every process, close its log
        procs: list[subprocess.Popen] = []
        for name, args in commands.items():
            log = stack.enter_context(open(logs / f"{name}.log", "wb"))
            procs.append(subprocess.Popen([sys.executable, "-m", "dask", *args], stdout=log,
                                          **common))
            stack.callback(stop, procs[-1])
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            try:
                with distributed.Client(address, timeout=5, set_as_default=False) as c:
                    c.wait_for_workers(2, timeout=max(1, deadline - time.monotonic()))
                    break
            except (OSError, TimeoutError):
                if time.monotonic() > deadline or any(p.poll() is not None for p in procs):
                    logs_text = "\n".join(f.read_text()[-2000:] for f in logs.glob("*.log"))
                    pytest.fail(f"Dask cluster did not start:\n{logs_text}")
                time.sleep(0.5)
        yield address


def test_cluster_gives_the_same_files_and_summary_as_the_local_pool(cluster, tmp_path):
    events = []
    on_cluster = run_ensemble(scenarios(), tmp_path / "dask", scheduler=cluster,
                              on_progress=events.append)
    local = run_ensemble(scenarios(), tmp_path / "local", workers=2)
    assert on_cluster.ok and local.ok
    assert len({r.worker for r in on_cluster.completed}) == 2  # both workers ran runs
    assert [r.data_sha256 for r in on_cluster.completed] == [
        r.data_sha256 for r in local.completed]
    a, b = summarise(tmp_path / "dask"), summarise(tmp_path / "local")
    pd.testing.assert_frame_equal(a.summary, b.summary, check_exact=True)
    pd.testing.assert_frame_equal(a.bands, b.bands, check_exact=True)
    assert [e.status for e in events].count("done") == 2 * REPS


def test_cluster_run_resumes_a_folder_started_on_the_local_pool(cluster, tmp_path):
    out = tmp_path / "ens"
    reference = tmp_path / "reference"
    run_ensemble(scenarios(), reference, workers=1)
    run_ensemble(scenarios(), out, workers=1, replicates=REPS)
    for rep in (1, 3):  # lose two runs, then finish them on the cluster
        for f in out.glob(f"runs/busy_hubs/rep-{rep:04d}.*"):
            f.unlink()
    resumed = run_ensemble(scenarios(), out, scheduler=cluster, resume=True)
    assert resumed.ok and resumed.n_skipped == 2 * REPS - 2
    pd.testing.assert_frame_equal(summarise(out).summary, summarise(reference).summary,
                                  check_exact=True)


def test_unreachable_scheduler_is_a_clear_error():
    with pytest.raises(ClusterUnavailable, match="nothing is listening at tcp://127.0.0.1"), \
            dask_executor(f"tcp://127.0.0.1:{free_port()}", timeout_s=2):
        pass


def test_a_real_scheduler_passes_the_check_and_runs_a_compare(cluster, tmp_path, capsys):
    """The command line's check of --scheduler (sim.usage.check_scheduler) accepts a real
    scheduler, and compare runs on it to a report."""
    from sim import cli
    from sim.ensemble.executors import probe_scheduler

    probe_scheduler(cluster)  # raises if the greeting is not recognised
    folder = tmp_path / "scenarios"
    folder.mkdir()
    for name, extra in (("a", ""), ("b", "[rules]\np_need = 0.02\n")):
        (folder / f"{name}.toml").write_text(f'name = "{name.upper()}"\n{extra}')
    code = cli.main([
        "compare", str(folder / "a.toml"), str(folder / "b.toml"), "--scheduler", cluster,
        "--days", "10", "--residents", "100", "--replicates", "2",
        "--out", str(tmp_path / "out")])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert Path(out.strip().splitlines()[-1]).name == "report.html"


def test_a_tls_address_without_tls_settings_is_bad_input_at_the_flag(cluster, tmp_path,
                                                                    capsys):
    """A user check: --scheduler tls://... at a plain tcp scheduler passed the address
    check, made a dated folder, failed with "TypeError: TLS expects a `ssl_context`...",
    offered --resume, then hung 40 s and printed a traceback from Client.__del__. Without
    Dask's TLS settings a tls:// address is bad input at the flag, naming the schemes
    accepted, before any folder is made."""
    from sim import cli

    (tmp_path / "a.toml").write_text('name = "A"\n')
    address = cluster.replace("tcp://", "tls://")
    t0 = time.monotonic()
    code = cli.main(["run", str(tmp_path / "a.toml"), "--scheduler", address, "--days", "10",
                     "--residents", "100", "--replicates", "2", "--out", str(tmp_path / "out")])
    out, err = capsys.readouterr()
    assert code == 2, err
    assert err.startswith(f"{PROG} run: --scheduler: {address}: tls:// needs Dask's TLS "
                          "settings for this client, and none are set "
                          "(distributed.comm.tls.ca-file, .client.cert and .client.key"), err
    assert "accepted: tcp://HOST:PORT (or HOST:PORT), and tls://HOST:PORT with" in err, err
    assert "--resume" not in err and not (tmp_path / "out").exists()
    assert time.monotonic() - t0 < 10


def test_a_failed_cluster_connection_leaves_no_traceback_and_no_wait(cluster, tmp_path):
    """The client a failed connection half made is closed at once: left to the garbage
    collector, Client.__del__ closed it at the interpreter's exit, waiting 40 s, then printed
    "Exception ignored in: <function Client.__del__ ...> ... TimeoutError". Here the
    connection fails as a tls:// address at a tcp scheduler did before it was refused at the
    flag (probe=False: straight to Dask's client)."""
    script = tmp_path / "connect.py"
    script.write_text(
        "import sys\n"
        "from sim.ensemble.executors import ClusterUnavailable, dask_executor\n"
        "try:\n"
        "    with dask_executor(sys.argv[1], probe=False):\n"
        "        pass\n"
        "except ClusterUnavailable as exc:\n"
        "    print('refused:', exc)\n")
    env = dict(os.environ, PYTHONPATH=str(REPO))
    t0 = time.monotonic()
    done = subprocess.run([sys.executable, str(script), cluster.replace("tcp://", "tls://")],
                          env=env, capture_output=True, text=True, timeout=120)
    took = time.monotonic() - t0
    assert done.stdout.startswith("refused: cannot reach the Dask scheduler at tls://"), \
        done.stdout + done.stderr
    assert "Exception ignored" not in done.stderr and "Traceback" not in done.stderr, \
        done.stderr
    assert took < 20, f"took {took:.0f} s"  # 40 s and more before


@contextlib.contextmanager
def scheduler_without_workers(folder: Path):
    """The address of a real scheduler that no worker joins, stopped on leaving."""
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    with open(folder / "scheduler.log", "wb") as log:
        proc = subprocess.Popen([sys.executable, "-m", "dask", "scheduler", "--host",
                                 "127.0.0.1", "--port", str(port), "--no-dashboard"],
                                stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
                                cwd=folder)
        try:
            deadline = time.monotonic() + START_TIMEOUT_S
            while True:  # until it answers
                try:
                    with distributed.Client(address, timeout=5, set_as_default=False):
                        break
                except (OSError, TimeoutError):
                    assert time.monotonic() < deadline and proc.poll() is None
                    time.sleep(0.5)
            yield address
        finally:
            stop(proc)


def test_a_scheduler_without_workers_ends_the_job_with_a_clear_error(tmp_path, monkeypatch):
    """A user check: a scheduler with no worker (none started, or all died) left the job
    waiting in silence for good. After NO_WORKERS_S without a worker it ends, saying what to
    start; the runs that finished are kept for --resume."""
    from sim.ensemble import executors

    monkeypatch.setattr(executors, "NO_WORKERS_S", 3.0)
    monkeypatch.setattr(executors, "CLUSTER_CHECK_S", 0.5)
    with scheduler_without_workers(tmp_path) as address:
        t0 = time.monotonic()
        with pytest.raises(ClusterUnavailable, match=rf"the Dask scheduler at {address} has "
                           r"had no workers for 3 s: start them \(dask worker"):
            run_ensemble(scenarios(), tmp_path / "ens", scheduler=address)
        assert time.monotonic() - t0 < 30


def test_a_cluster_that_fails_a_job_is_said_in_words_not_a_class_name(tmp_path, monkeypatch,
                                                                      capsys):
    """A user check: a lost cluster was said as "error: ClusterUnavailable: ...", a Python
    class name. The job's own words say what happened, what is kept and how to continue."""
    from sim import cli
    from sim.ensemble import executors

    monkeypatch.setattr(executors, "NO_WORKERS_S", 3.0)
    monkeypatch.setattr(executors, "CLUSTER_CHECK_S", 0.5)
    (tmp_path / "a.toml").write_text('name = "A"\n')
    with scheduler_without_workers(tmp_path) as address:
        code = cli.main(["run", str(tmp_path / "a.toml"), "--scheduler", address, "--days",
                         "10", "--residents", "100", "--replicates", "2",
                         "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == 1, err
    assert f"error: the Dask scheduler at {address} has had no workers for 3 s: start them" \
        in err, err
    assert "ClusterUnavailable" not in err and "unexpected" not in err, err
    assert "continue with: " in err and "--resume" in err, err


def test_a_clusters_first_job_says_its_workers_compile_the_model_first(cluster, tmp_path,
                                                                       capsys):
    """A user check: the first job on a cluster took 2 min 16 s (20 s locally), its workers
    compiling the model, with nothing said. A worker that has not compiled this version of
    the model (no mark in its kernels' folder, as after an install or an edit) is told to
    first, and the job says so as a local job does; the next job says nothing of it. This
    process's compile is not done nor said for a cluster's job: its runs are not here."""
    import sim
    from sim import cli

    (tmp_path / "a.toml").write_text('name = "A"\n')
    # the workers share this checkout and its kernels' folder (the fixture's environment)
    mark = Path(os.environ[sim.CACHE_ENV]) / sim._WARM_MARK

    def job(name):
        code = cli.main(["run", str(tmp_path / "a.toml"), "--scheduler", cluster, "--days",
                         "10", "--residents", "100", "--replicates", "4",
                         "--out", str(tmp_path / name)])
        out, err = capsys.readouterr()
        assert code == 0, err
        return err

    mark.unlink(missing_ok=True)
    err = job("first")
    assert ("the cluster's workers compile the model first (once after an install or an "
            "edit, about 2 minutes) ...") in err, err
    assert "compiling the model first" not in err, err
    assert err.index("compile the model first") < err.index("done in"), err
    assert mark.exists()  # the workers' compile marked it
    err = job("second")
    assert "compile" not in err, err
