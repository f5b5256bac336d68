"""Where runs execute: this process, a local process pool, or a Dask cluster.

All three are ``concurrent.futures.Executor``\\ s, so the runner has one code path.

Local pool
    ``ProcessPoolExecutor`` over all cores. Where the platform forks and this process runs
    no other thread (the command line), workers are forked from it once the model's compiled
    rules are loaded here, so each starts at once with them (a spawned worker spends several
    seconds importing Mesa, pandas and numba and loading the compiled rules before its first
    run). Beside threads (the visualiser's server, a Dask client) forking this process is
    unsafe: workers are forked instead from a fork server, a single-threaded process that
    loaded the model and its rules once (:func:`start_fork_server`; the visualiser starts it
    as it starts), and spawned where the platform has no fork server. Scripts that use it
    need the usual ``if __name__ == "__main__":`` guard. ``workers=1`` runs in this process.

    Workers end with the process that started the pool, however it ended (a SIGKILL
    included): see sim/lifeline.py (a fork server's workers watch that process, and the
    server ends when they have). Once the workers are gone, multiprocessing's resource
    tracker, whose pipe they held open, ends too.

    Ctrl-C is the pool's owner's alone: workers ignore SIGINT, which a terminal sends to
    the whole process group, and the owner, interrupted, ends its workers at once
    (:func:`pool_in_use`): the runs under way are dropped (a resumed job redoes them).

Dask cluster (optional extra: ``pip install -e ".[cluster]"``)
    ``dask.distributed.Client(address).get_executor()``. Start a cluster with::

        dask scheduler --host 0.0.0.0 --port 8786            # on one machine
        dask worker tcp://SCHEDULER:8786 --nworkers 4 --nthreads 1   # on each worker machine

    and run with ``scheduler="tcp://SCHEDULER:8786"`` (``--scheduler`` on the command line).
    One thread per worker process is right: a run is numpy-bound Python and holds the GIL.

    Every worker must be able to ``import sim`` with the *same version* as the client, and
    its dependencies (mesa, numpy, pandas): install the project into each worker's
    environment (``pip install -e ".[cluster]"`` from the same checkout, or a wheel built with
    ``pip wheel .``), or start the workers from one shared environment/checkout with
    ``PYTHONPATH`` pointing at it. ``client.upload_file`` is not enough: it ships a single
    ``.py``/``.zip``/``.egg`` onto the workers' ``sys.path`` but installs none of the
    dependencies, and a zipped package uploaded that way is not re-sent to workers that
    restart under a nanny. Workers need no shared disk: they return each run's table to the
    client, which writes it.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import multiprocessing
import os
import re
import signal
import socket
import struct
import sys
import threading
import time
import weakref
from concurrent.futures import Executor, Future, ProcessPoolExecutor

from sim.lifeline import die_with_parent

SCHEDULER_BUDGET_S = 8.0  # the most an unreachable or wrong scheduler address may take
SCHEDULER_CONNECT_S = 20.0  # connecting for the job, once the address has answered
CLUSTER_CHECK_S = 10.0  # while no run finishes: how often the cluster's health is checked
NO_WORKERS_S = 60.0  # a scheduler with no worker this long ends the job (resume continues)
SCHEDULER_SCHEMES = ("tcp", "tls")  # tls only with Dask's TLS settings (tls_problem)
CLOSE_CLIENT_S = 5.0  # closing a client that failed to connect or lost its scheduler
END_POOL_S = 5.0  # the most ending a pool at once waits for its manager thread (ms, usually)
ENDING_POLL_S = 0.1  # while a pool ends gently: how often a Ctrl-C held meanwhile is looked for
_POOLS: weakref.WeakSet = weakref.WeakSet()  # process pools started here (process_pool)
_POOLS_LOCK = threading.RLock()
_POOLS_ENDED = False  # set by end_pools: no pool is started after it


class InlineExecutor(Executor):
    """Runs each task at submission, in this process (``workers=1``; debugging; tests)."""

    def __init__(self):
        self._shutdown = False

    def submit(self, fn, /, *args, **kwargs):
        if self._shutdown:
            raise RuntimeError("cannot schedule new futures after shutdown")
        future: Future = Future()
        future.set_running_or_notify_cancel()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as exc:  # noqa: BLE001 - handed to the caller through the future
            future.set_exception(exc)
        return future

    def shutdown(self, wait=True, *, cancel_futures=False):
        self._shutdown = True


def default_workers() -> int:
    """All cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def local_executor(workers: int | None = None) -> Executor:
    """A process pool over ``workers`` processes (all cores by default); inline for 1.
    Its workers end when this process ends, however it ends (see the module docstring)."""
    n = default_workers() if workers is None else int(workers)
    if n < 1:
        raise ValueError(f"workers must be at least 1, got {n}")
    if n == 1:
        return InlineExecutor()
    method = pool_method()
    if method == "fork":  # the workers inherit the rules compiled (loaded from numba's cache)
        from sim.model import compile_rules

        compile_rules()
    return process_pool(n, method, quiet_worker)


def process_pool(n: int, method: str, initializer) -> ProcessPoolExecutor:
    """A pool of ``n`` worker processes started by ``method``, each running
    ``initializer(this process's pid, forked by the fork server?)`` first; kept in the
    list :func:`end_pools` ends. RuntimeError once :func:`end_pools` has been called."""
    with _POOLS_LOCK:
        if _POOLS_ENDED:
            raise RuntimeError("this process is ending: no new process pool is started")
        pool = ProcessPoolExecutor(max_workers=n,
                                   mp_context=multiprocessing.get_context(method),
                                   initializer=_start_worker,
                                   initargs=(initializer, os.getpid(), method == "forkserver"))
        _POOLS.add(pool)
    return pool


def _start_worker(initializer, parent_pid: int, forked_by_server: bool) -> None:
    """A pool worker's start: ``initializer``, then every object inherited from the parent
    (the model's modules, numba, pandas) moved out of the garbage collector's sight
    (``gc.freeze``): its full collections, a few a run, no longer walk them, 2-3% of a
    1,000-resident run, and leave their memory pages shared with the parent."""
    initializer(parent_pid, forked_by_server)
    gc.freeze()


def end_pools() -> None:
    """End the workers of every process pool started here that is still open, and shut the
    pools down (their futures fail with BrokenProcessPool), without waiting for the work in
    flight (:func:`end_pool`); no pool is started after it: for a process that is ending
    (sim/app/serving.py). Each pool's queues are then closed and their semaphores released
    (a pool started by another thread while the process exits would make its semaphores
    after multiprocessing released the rest, and leave them to the resource tracker)."""
    global _POOLS_ENDED
    with _POOLS_LOCK:
        _POOLS_ENDED = True
        pools = list(_POOLS)
    for pool in pools:
        end_pool(pool)


def _pool_parts(pool: ProcessPoolExecutor) -> tuple[list, threading.Thread | None, object]:
    """A pool's worker processes, manager thread and result queue, which its ``shutdown``
    forgets (no public way to reach them before Python 3.14)."""
    processes = getattr(pool, "_processes", None) or {}
    return (list(processes.values()), getattr(pool, "_executor_manager_thread", None),
            getattr(pool, "_result_queue", None))


def end_pool(pool: ProcessPoolExecutor, parts: tuple | None = None) -> None:
    """End ``pool``'s workers now (their work in flight is lost: its futures fail with
    BrokenProcessPool, the queued ones are cancelled) and shut the pool down, waiting at
    most END_POOL_S for its manager thread. ``parts``: :func:`_pool_parts`, taken before a
    ``shutdown`` that dropped them.

    A pool's queues are safe to abandon, not to go on with, once a worker is killed: one
    killed while it wrote a result leaves half a message in the result pipe, and the
    pool's manager thread waited for the rest for ever, because this process holds the
    pipe's writing end too (SIGTERM mid-comparison hung the server about one time in ten):
    closed here, the pipe ends once the killed workers are gone, and the manager reads the
    end of it as a broken pool."""
    processes, manager, results = parts or _pool_parts(pool)
    for process in processes:
        with contextlib.suppress(OSError, ValueError, AttributeError):
            process.kill()
    with contextlib.suppress(OSError, AttributeError):
        results._writer.close()
    # the manager may have closed the wake-up pipe already: nothing is left to wake then
    with contextlib.suppress(OSError):
        pool.shutdown(wait=False, cancel_futures=True)
    _join_manager(manager, results, END_POOL_S)


def _join_manager(manager: threading.Thread | None, results, timeout_s: float | None) -> None:
    """Wait (at most ``timeout_s``) for a pool's manager thread; once it has ended, close
    the result pipe, as ``shutdown(wait=True)`` does (closed while the manager still read
    it, it failed with "Bad file descriptor", once in a fresh-clone CI run)."""
    if manager is not None and manager is not threading.current_thread():
        manager.join(timeout_s)
        if manager.is_alive():
            return
    with contextlib.suppress(OSError, AttributeError):
        results.close()


class _CtrlC:
    """Python's SIGINT handler while this process's main thread uses a pool it started
    (:func:`pool_in_use`): the first Ctrl-C raises KeyboardInterrupt, as Python's own
    handler does; from then on, and while the pool ends, Ctrl-C is held (noted, not raised).

    A KeyboardInterrupt raised while the main thread waits for the pool's manager thread
    (``Thread.join``) leaves that thread marked as ended while it still runs (Python
    before 3.13: https://github.com/python/cpython/issues/90882); nothing then waits for it
    at exit, and multiprocessing's exit handler closed the pool's task queue before the
    manager had told the workers to stop: the workers waited for a task, the process for
    them, for ever, after "interrupted: ... kept in ..." was said. ``timeout -s INT`` sends
    SIGINT to the job and then to its process group, the job included (a job stopped so hung
    4 times in 20); a second Ctrl-C while the job waited for its workers hung it every time.

    The KeyboardInterrupt it raises can be lost: raised while Python runs a garbage
    collector's callback or a ``__del__`` (a job writing its report, 2 times in 8), it is
    printed as "Exception ignored" and the code goes on. ``raised`` remembers it, so that
    :func:`pool_in_use` and :func:`raise_lost_ctrl_c` raise it again."""

    def __init__(self):
        self.holding = False  # Ctrl-C is noted, not raised
        self.held = False  # a Ctrl-C came while holding
        self.raised = False  # this handler raised KeyboardInterrupt

    def __call__(self, signum, frame):
        if self.holding:
            self.held = True
            return
        self.holding = self.raised = True
        raise KeyboardInterrupt

    @classmethod
    def install(cls) -> _CtrlC | None:
        """The handler, installed; None off the main thread (no signal interrupts a thread
        but the main one) or where SIGINT is not Python's usual handler (ignored, as in a
        job started in the background, or another's), which is left alone."""
        if threading.current_thread() is not threading.main_thread() \
                or signal.getsignal(signal.SIGINT) is not signal.default_int_handler:
            return None
        handler = cls()
        signal.signal(signal.SIGINT, handler)
        return handler

    def uninstall(self) -> None:
        signal.signal(signal.SIGINT, signal.default_int_handler)


@contextlib.contextmanager
def ctrl_c_held():
    """Ctrl-C noted, not raised, in the block (what a process interrupted does before it
    ends: one that came meanwhile is not raised after it). In the main thread only, and only
    over Python's own handler, which a holding :class:`_CtrlC` replaces for the block, or a
    pool's :class:`_CtrlC` (:func:`pool_in_use`), which holds for it; any other is left
    alone. Yields the holding handler (None where none holds)."""
    current = signal.getsignal(signal.SIGINT) \
        if threading.current_thread() is threading.main_thread() else None
    if isinstance(current, _CtrlC):
        holding, current.holding = current.holding, True
        try:
            yield current
        finally:
            current.holding = holding
        return
    ctrl_c = _CtrlC.install()
    if ctrl_c is not None:
        ctrl_c.holding = True
    try:
        yield ctrl_c
    finally:
        if ctrl_c is not None:
            ctrl_c.uninstall()


@contextlib.contextmanager
def ctrl_c_deferred():
    """Ctrl-C noted in the block (:func:`ctrl_c_held`) and raised as KeyboardInterrupt where
    the block calls the function it yields, and at its end: a run in this process (workers
    1) calls it between days, so that a Ctrl-C never lands inside a compiled kernel's own
    Python code or a garbage collector's callback, where numba turned it into a SystemError
    filed as a failed run, and once crashed the process (a user check). Where Ctrl-C is not
    this process's to take (a pool's worker, a thread), the function does nothing."""
    with ctrl_c_held() as handler:
        def stop_if_asked() -> None:
            if handler is not None and handler.held:
                handler.held = False
                raise KeyboardInterrupt

        yield stop_if_asked
        stop_if_asked()


@contextlib.contextmanager
def pool_in_use(pool: ProcessPoolExecutor):
    """Use the process pool ``pool``, started here, in the block; end it when the block ends:

    - completed, or left with an error: gently, as ``shutdown(wait=True,
      cancel_futures=True)`` does (what is queued is cancelled, the work under way
      finishes, the workers are told to stop and joined);
    - interrupted (KeyboardInterrupt, SystemExit): at once (:func:`end_pool`), within a
      second, whatever the workers are doing.

    In the main thread, Ctrl-C raises KeyboardInterrupt once (:class:`_CtrlC`); while the
    pool ends it is held, and one held while it ended gently ends it at once instead and is
    raised once the pool is gone (after a completed block; an error is raised as it was), as
    is one raised in the block and lost there (see :class:`_CtrlC`)."""
    ctrl_c = _CtrlC.install()
    unraisable = sys.unraisablehook
    if ctrl_c is not None:
        sys.unraisablehook = _quiet_about_ctrl_c(unraisable)
    try:
        try:
            yield pool
        except Exception:
            _end_gently(pool, ctrl_c)
            raise
        except BaseException:
            if ctrl_c is not None:
                ctrl_c.holding = True
            end_pool(pool)
            raise
        _end_gently(pool, ctrl_c)
    finally:
        if ctrl_c is not None:
            ctrl_c.uninstall()
            sys.unraisablehook = unraisable
    # a Ctrl-C held while the pool ended, or one raised in the block that never left it (lost
    # in a garbage collector's callback: see _CtrlC)
    if ctrl_c is not None and (ctrl_c.held or ctrl_c.raised):
        raise KeyboardInterrupt


def _quiet_about_ctrl_c(hook):
    """``sys.unraisablehook`` that says nothing of a KeyboardInterrupt lost (see _CtrlC: it
    is raised again) and passes anything else to ``hook``: a user who pressed Ctrl-C saw
    "Exception ignored in: <function WeakSet.__init__.<locals>._remove ...>" and a
    traceback before the job's own words."""
    def quiet(unraisable) -> None:
        if not isinstance(unraisable.exc_value, KeyboardInterrupt):
            hook(unraisable)

    return quiet


def raise_lost_ctrl_c() -> None:
    """Raise KeyboardInterrupt if a Ctrl-C was raised in this process's main thread, under
    a pool's handler (:func:`pool_in_use`), and lost on its way (see :class:`_CtrlC`): what
    a job calls between the steps of its work, so that it stops at the next one rather than
    at the pool's end. Called where no Ctrl-C is being raised, it does nothing."""
    if threading.current_thread() is not threading.main_thread():
        return
    current = signal.getsignal(signal.SIGINT)
    if isinstance(current, _CtrlC) and current.raised:
        raise KeyboardInterrupt


def _end_gently(pool: ProcessPoolExecutor, ctrl_c: _CtrlC | None) -> None:
    """``shutdown(wait=True, cancel_futures=True)``, but for the wait: with Ctrl-C held
    (a KeyboardInterrupt must not cut into it: see _CtrlC), and ending the pool at once when
    one comes."""
    if ctrl_c is not None:
        ctrl_c.holding = True
    parts = _pool_parts(pool)
    manager = parts[1]
    pool.shutdown(wait=False, cancel_futures=True)
    while ctrl_c is not None and manager is not None and manager.is_alive():
        if ctrl_c.held:
            end_pool(pool, parts)
            return
        manager.join(ENDING_POLL_S)
    _join_manager(manager, parts[2], None)


def pool_method() -> str:
    """How a process pool started from here starts its workers (:func:`start_method`, with
    the fork server beside threads, started if it is not running yet)."""
    method = start_method(beside_threads="forkserver")
    if method == "forkserver":
        start_fork_server()
    return method


def quiet_worker(parent_pid: int, forked_by_server: bool) -> None:
    """A pool worker that leaves Ctrl-C to the process that started the pool and ends when
    that process does (sim/lifeline.py). The terminal sends Ctrl-C to the whole process
    group; a worker that took it printed a traceback and handed the pool's owner a
    KeyboardInterrupt for each run in flight, or, interrupted while it took a task or handed
    a result back, left the pool's queues and their locks for the owner to stop with (see
    :func:`pool_in_use`, which ends the workers itself)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    die_with_parent(parent_pid, forked_by_server)


FORK_SERVER_PRELOAD = ["sim.ensemble.warm"]  # the model and its compiled rules


def start_fork_server() -> bool:
    """Start multiprocessing's fork server, with the model and its compiled rules loaded in
    it, if the platform has one and it is not running yet (it then serves every later pool
    started through it, here and in sim/report/chart_jobs.py); False where there is none.
    The server starts the loading and returns; a pool's first worker waits for it (about 1 s
    on this machine)."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return False
    from multiprocessing import forkserver

    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(FORK_SERVER_PRELOAD)  # takes effect if it is not running yet
    forkserver.ensure_running()
    return True


def start_method(beside_threads: str = "spawn") -> str:
    """How to start worker processes from here: "fork" where the platform can and this
    process runs no other thread (a fork copies only the calling thread, so a lock another
    thread holds would stay held in the child); otherwise ``beside_threads`` where the
    platform has it, else "spawn"."""
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        return "fork"
    return beside_threads if beside_threads in methods else "spawn"


class ClusterUnavailable(RuntimeError):
    """The Dask extra is not installed, or the scheduler cannot be reached."""


ACCEPTED_SCHEMES = ("accepted: tcp://HOST:PORT (or HOST:PORT), and tls://HOST:PORT with "
                    "Dask's TLS settings in its configuration")


def parse_scheduler_address(address: str) -> tuple[str, str, int]:
    """``(scheme, host, port)`` of ``tcp://HOST:PORT`` (``tls://`` too; ``HOST:PORT`` means
    tcp); ``ValueError`` with what is expected otherwise."""
    expected = ("expected tcp://HOST:PORT, the address the scheduler printed when it started "
                "(e.g. tcp://10.0.0.5:8786)")
    text = str(address).strip()
    if not text or any(ord(c) < 32 or c.isspace() for c in text) or len(text) > 300:
        raise ValueError(f"{address!r} is not a scheduler address: {expected}")
    scheme, sep, rest = text.rpartition("://")
    scheme = scheme.lower() if sep else "tcp"
    if scheme not in SCHEDULER_SCHEMES:
        raise ValueError(f"{address!r}: the protocol '{scheme}://' cannot be used here; "
                         f"{ACCEPTED_SCHEMES}")
    found = re.fullmatch(r"\[([0-9A-Fa-f:.]+)\]:(\d{1,5})|([^:/\[\]]+):(\d{1,5})", rest)
    if not found:
        raise ValueError(f"{address!r} is not a scheduler address: {expected}")
    host = found[1] or found[3]
    port = int(found[2] or found[4])
    if not 1 <= port <= 65535:
        raise ValueError(f"{address!r}: port {port} is not a port number (1-65535); "
                         f"{expected}")
    return scheme, host, port


def tls_problem() -> str | None:
    """Why this computer cannot connect to a ``tls://`` scheduler, or None: Dask's client
    needs a certificate authority and a client certificate from Dask's configuration
    (``distributed.comm.tls.ca-file``, ``.client.cert``, ``.client.key``; a YAML file in
    ~/.config/dask/ or DASK_DISTRIBUTED__COMM__TLS__... variables), and the files they name
    must make a TLS context. Without them Dask's client failed only once the job's folder
    was made ("TypeError: TLS expects a `ssl_context` argument")."""
    try:
        from distributed.security import Security
    except ImportError:
        return None  # said by dask_executor: the cluster extra is not installed
    try:
        security = Security()
        if not (security.tls_ca_file and security.tls_client_cert):
            return ("tls:// needs Dask's TLS settings for this client, and none are set "
                    "(distributed.comm.tls.ca-file, .client.cert and .client.key, in a YAML "
                    "file in ~/.config/dask/ or as DASK_DISTRIBUTED__COMM__TLS__CA_FILE and "
                    "the like)")
        security.get_connection_args("client")  # reads the files: a wrong path is said now
    except Exception as exc:  # noqa: BLE001 - OSError, ssl.SSLError, a bad setting's ValueError
        return (f"tls:// cannot be used with Dask's TLS settings here ({type(exc).__name__}: "
                f"{exc}): check the files that distributed.comm.tls.ca-file, .client.cert and "
                ".client.key name")
    return None


def getaddrinfo_within(host: str, port: int, timeout_s: float, *, flags: int = 0) -> list:
    """``socket.getaddrinfo`` for TCP with a deadline (it has none of its own: a name
    service that does not answer would hold a command for minutes). Raises ``OSError``, or
    ``TimeoutError`` when the deadline passes."""
    box: dict = {}

    def look_up():
        try:
            box["ok"] = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=flags)
        except OSError as exc:
            box["error"] = exc

    t = threading.Thread(target=look_up, daemon=True, name="kindliness-resolve")
    t.start()
    t.join(timeout_s)
    if "ok" in box:
        return box["ok"]
    if "error" in box:
        raise box["error"]
    raise TimeoutError(f"looking up '{host}' took more than {timeout_s:.0f} s")


def _resolve(host: str, port: int, timeout_s: float) -> list:
    try:
        return getaddrinfo_within(host, port, timeout_s)
    except TimeoutError as exc:
        raise ClusterUnavailable(f"{exc}: check the address and this machine's name "
                                 "service") from None
    except OSError as exc:
        raise ClusterUnavailable(f"cannot find the host '{host}' ({exc}): check the address "
                                 "for typos, and that this machine can resolve it") from None


def probe_scheduler(address: str, *, budget_s: float = SCHEDULER_BUDGET_S) -> None:
    """Check, within ``budget_s``, that a Dask scheduler answers at ``address``; raise
    :class:`ClusterUnavailable` saying what to check otherwise.

    Before Dask's client is given the address: connect with a deadline, then wait for the
    greeting a scheduler sends at once (a length-prefixed message). A web server or proxy
    sends nothing or "HTTP/..." and is named as such; Dask's own client, given such an
    address, waited minutes or tried to allocate exabytes for the "message" it read."""
    try:
        scheme, host, port = parse_scheduler_address(address)
    except ValueError as exc:
        raise ClusterUnavailable(str(exc)) from None
    if scheme == "tls":
        problem = tls_problem()
        if problem:
            raise ClusterUnavailable(f"{address}: {problem}; {ACCEPTED_SCHEMES}")
    deadline = time.monotonic() + budget_s
    infos = _resolve(host, port, max(0.5, budget_s / 3))
    last: Exception | None = None
    sock = None
    for family, kind, proto, _, addr in infos:
        left = deadline - time.monotonic()
        if left <= 0:
            break
        try:
            sock = socket.socket(family, kind, proto)
            sock.settimeout(min(left, budget_s / 2))
            sock.connect(addr)
            break
        except OSError as exc:
            last = exc
            sock.close()
            sock = None
    if sock is None:
        if isinstance(last, ConnectionRefusedError):
            raise ClusterUnavailable(
                f"nothing is listening at {address} (connection refused): is the scheduler "
                f"running (dask scheduler --port {port}) on {host}, and is that its port?")
        raise ClusterUnavailable(
            f"no answer from {address} within {budget_s:.0f} s ({last or 'timed out'}): is "
            f"{host} up and reachable from here, and does a firewall let port {port} through?")
    if scheme != "tcp":  # TLS: the client speaks first; Dask's own connect does the rest
        sock.close()
        return
    with sock:
        greeting = b""
        try:
            while len(greeting) < 8 and time.monotonic() < deadline:
                sock.settimeout(max(0.05, deadline - time.monotonic()))
                block = sock.recv(8 - len(greeting))
                if not block:
                    break
                greeting += block
        except OSError:
            pass
    wrong = (f"{address} answered, but not as a Dask scheduler{{what}}: give the scheduler's "
             "own address (it prints 'Scheduler at: tcp://...'; its port is usually 8786, the "
             "dashboard's 8787)")
    if greeting.startswith((b"HTTP", b"<")):
        raise ClusterUnavailable(wrong.format(what=" (it speaks HTTP: a web server, a proxy "
                                              "or the dashboard)"))
    if not greeting:
        raise ClusterUnavailable(
            f"{address} accepted the connection but sent no greeting within {budget_s:.0f} s, "
            "as a Dask scheduler does at once: check the host and port (the scheduler prints "
            "'Scheduler at: tcp://...'; its port is usually 8786, the dashboard's 8787), and "
            "that no proxy or firewall sits in between")
    if len(greeting) < 8:
        raise ClusterUnavailable(wrong.format(what=" (it closed the connection)"))
    (length,) = struct.unpack("<Q", greeting)
    if not 0 < length < 1 << 26:
        raise ClusterUnavailable(wrong.format(what=""))


@contextlib.contextmanager
def dask_executor(address: str, *, timeout_s: float = SCHEDULER_CONNECT_S, probe: bool = True,
                  on_compile=None):
    """Yield ``(executor, n_threads)`` for the Dask scheduler at ``address``; close after.
    ``probe``: check first that a scheduler answers there (:func:`probe_scheduler`).
    ``on_compile(n, of)``: called when ``n`` of the ``of`` workers have not compiled the model
    yet (:func:`compile_on_workers`), before any run is submitted."""
    try:
        from distributed import Client
    except ImportError as exc:
        raise ClusterUnavailable(
            "running on a Dask cluster needs the cluster extra: pip install -e \".[cluster]\" "
            f"(dask[distributed]); import failed: {exc}") from exc
    if probe:
        probe_scheduler(address, budget_s=min(SCHEDULER_BUDGET_S, timeout_s))
    # made, then started, so that a client whose start fails can be closed here: left half
    # made, Client.__del__ closed it at the interpreter's exit, after its event loop had
    # stopped, waiting twice the timeout (40 s) and then printing "Exception ignored in
    # Client.__del__ ... TimeoutError" (a user check, with a tls:// address)
    client = Client.__new__(Client)
    try:
        client.__init__(address, timeout=timeout_s, set_as_default=False)
    except BaseException as exc:
        close_client(client)
        if not isinstance(exc, Exception):  # Ctrl-C: as it is
            raise
        raise ClusterUnavailable(f"cannot reach the Dask scheduler at {address}: "
                                 f"{type(exc).__name__}: {exc}") from exc
    # Dask's reconnect errors, a lost connection's traceback (tornado logs it) and those of
    # futures cancelled on a closed client (concurrent.futures logs them) are said by us in
    # one line (ClusterUnavailable)
    quiet = [logging.getLogger(n) for n in ("distributed", "distributed.client",
                                            "concurrent.futures", "tornado.application")]
    levels = [q.level for q in quiet]
    for q in quiet:
        q.setLevel(logging.CRITICAL)
    try:
        threads = sum(client.nthreads().values())
        # pure=False: every submission is a new run (no de-duplication by argument hash)
        ex = client.get_executor(pure=False)
        ex.cluster_health = _health_check(client, address)
        compiling = compile_on_workers(client, on_compile)  # held: a released future stops
        yield ex, threads
        del compiling
    finally:
        close_client(client)
        for q, level in zip(quiet, levels, strict=True):
            q.setLevel(level)


def close_client(client) -> None:
    """Close a Dask client now, quietly and within about CLOSE_CLIENT_S, whatever its state
    (half made by a failed start, or one that lost its scheduler). A close that fails or
    times out marks it closed all the same, so that Client.__del__ does not try again at
    the interpreter's exit (where it waited 40 s and printed a traceback)."""
    with contextlib.suppress(Exception):
        client.close(timeout=CLOSE_CLIENT_S)
    with contextlib.suppress(Exception):
        if getattr(client, "status", "closed") != "closed":
            client.status = "closed"  # what Client.close and __del__ look at first


def compile_on_workers(client, on_compile=None) -> list:
    """Have each worker that has not compiled this version of the model (sim.kernels_ready,
    asked of every worker) compile it first (sim.model.compile_rules, pinned to that worker
    and submitted before any run, which it precedes there), and call ``on_compile(n, of)``
    with how many of the workers do. A worker's first compile takes about two minutes, and
    the runs on it wait meanwhile: the job then says so, as a local job does, rather than
    look stuck. Returns the compile futures, to hold until the job ends (nothing is waited
    for: a worker lost meanwhile is the runs' business). Nothing where the workers cannot be
    asked (a worker without this check: its runs compile as they go)."""
    from sim import kernels_ready

    try:
        ready = client.run(kernels_ready)
    except Exception:  # noqa: BLE001 - an older package on a worker, a worker gone
        return []
    todo = [worker for worker, ok in ready.items() if not ok]
    if not todo:
        return []
    if on_compile is not None:
        on_compile(len(todo), len(ready))
    from sim.model import compile_rules

    return [client.submit(compile_rules, workers=[worker], allow_other_workers=False,
                          pure=False, priority=1) for worker in todo]


def _health_check(client, address: str):
    """A check for the runner to call while no run finishes: raises
    :class:`ClusterUnavailable` when the scheduler is lost (the client closed after failing
    to reconnect) or has had no worker for ``NO_WORKERS_S`` (a user who forgot to start
    them, or whose workers all died, waited in silence before)."""
    since = []

    def check() -> None:
        lost = ClusterUnavailable(f"lost the connection to the Dask scheduler at {address} "
                                  "(it stopped, or the network to it failed); the runs that "
                                  "finished are kept")
        if client.status not in ("running", "connecting"):
            raise lost
        try:
            workers = len(client.scheduler_info().get("workers", {}))
        except Exception as exc:  # noqa: BLE001 - the connection went while asking
            raise lost from exc
        if workers:
            since.clear()
            return
        if not since:
            since.append(time.monotonic())
        if time.monotonic() - since[0] >= NO_WORKERS_S:
            raise ClusterUnavailable(
                f"the Dask scheduler at {address} has had no workers for {NO_WORKERS_S:.0f} s: "
                f"start them (dask worker {address}), then continue the job")

    return check
