"""The model's compiled rules, loaded once per server process before anyone presses Step.

The daily rules are numba kernels cached on disk. ``run.py viz`` compiles them before the
server starts (10-20 s after an install, a fraction of a second later); the server process
still has to load them, about 0.7 s on two cores. :func:`start` does that in a background
thread as soon as the app is imported, so the first Step finds them ready; if someone is
quicker (or the disk cache was cold), the page shows progress while :func:`wait` blocks the
page's own worker thread, never the page. Then it starts the fork server that the compare
page's process pools fork their workers from (sim.ensemble.executors.start_fork_server).
"""

from __future__ import annotations

import contextlib
import threading

_lock = threading.Lock()
_done = threading.Event()
_state: dict = {"thread": None}


def _work() -> None:
    from sim.ensemble.executors import start_fork_server
    from sim.model import compile_rules

    try:
        compile_rules()
    except Exception:  # noqa: BLE001, S110 - stepping raises it again, where the page shows it
        pass
    finally:
        _done.set()
    # the comparisons' process pools fork their workers from a server that has the rules
    # loaded (sim/ensemble/executors.py): started now, it is ready before the first Run
    with contextlib.suppress(Exception):  # a pool started later tries again, and says why
        start_fork_server()


def start() -> None:
    """Start loading (or compiling) the rules in a daemon thread; a no-op after the first
    call."""
    with _lock:
        if _state["thread"] is not None:
            return
        thread = threading.Thread(target=_work, name="kindliness-warm-up", daemon=True)
        _state["thread"] = thread
        thread.start()


def ready() -> bool:
    return _done.is_set()


def wait(timeout: float | None = None) -> bool:
    """Block until the rules are ready (starting the work if nobody has); True when ready."""
    start()
    return _done.wait(timeout)
