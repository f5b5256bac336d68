"""Where runs execute: this process, a local process pool, or a Dask cluster.

All three are ``concurrent.futures.Executor``\\ s, so the runner has one code path.

Local pool
    ``ProcessPoolExecutor`` over all cores with the *spawn* start method (no forked copies
    of the parent's state; safe beside threads). Scripts that use it need the usual
    ``if __name__ == "__main__":`` guard. ``workers=1`` runs in this process.

Dask cluster (optional extra: ``pip install ".[cluster]"``)
    ``dask.distributed.Client(address).get_executor()``. Start a cluster with::

        dask scheduler --host 0.0.0.0 --port 8786            # on one machine
        dask worker tcp://SCHEDULER:8786 --nworkers 4 --nthreads 1   # on each worker machine

    and run with ``scheduler="tcp://SCHEDULER:8786"`` (``--scheduler`` on the command line).
    One thread per worker process is right: a run is numpy-bound Python and holds the GIL.

    Every worker must be able to ``import sim`` with the *same version* as the client, and
    its dependencies (mesa, numpy, pandas): install the project into each worker's
    environment (``pip install ".[cluster]"`` from the same checkout, or a wheel built with
    ``pip wheel .``), or start the workers from one shared environment/checkout with
    ``PYTHONPATH`` pointing at it. ``client.upload_file`` is not enough: it ships a single
    ``.py``/``.zip``/``.egg`` onto the workers' ``sys.path`` but installs none of the
    dependencies, and a zipped package uploaded that way is not re-sent to workers that
    restart under a nanny. Workers need no shared disk: they return each run's table to the
    client, which writes it.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
from concurrent.futures import Executor, Future, ProcessPoolExecutor


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
    """A process pool over ``workers`` processes (all cores by default); inline for 1."""
    n = default_workers() if workers is None else int(workers)
    if n < 1:
        raise ValueError(f"workers must be at least 1, got {n}")
    if n == 1:
        return InlineExecutor()
    return ProcessPoolExecutor(max_workers=n, mp_context=multiprocessing.get_context("spawn"))


class ClusterUnavailable(RuntimeError):
    """The Dask extra is not installed, or the scheduler cannot be reached."""


@contextlib.contextmanager
def dask_executor(address: str, *, timeout_s: float = 30.0):
    """Yield ``(executor, n_threads)`` for the Dask scheduler at ``address``; close after."""
    try:
        from distributed import Client
    except ImportError as exc:
        raise ClusterUnavailable(
            "running on a Dask cluster needs the cluster extra: pip install \".[cluster]\" "
            f"(dask[distributed]); import failed: {exc}") from exc
    try:
        client = Client(address, timeout=timeout_s, set_as_default=False)
    except (OSError, TimeoutError) as exc:
        raise ClusterUnavailable(f"cannot reach the Dask scheduler at {address}: {exc}") \
            from exc
    try:
        threads = sum(client.nthreads().values())
        # pure=False: every submission is a new run (no de-duplication by argument hash)
        yield client.get_executor(pure=False), threads
    finally:
        client.close()
