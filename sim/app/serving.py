"""The visualiser's server process: Solara's own ``solara run``, with SIGTERM and SIGHUP ending
it the way Ctrl-C does.

``run.py viz`` becomes this process (sim/app/server.py). Uvicorn, under Solara, stops serving
on SIGTERM, then raises the signal again with the handler it found at start: Python's default,
which ended the process at once, with no exit handlers run. A comparison's process pools
(sim/ensemble/executors.py) then never closed their queues, and multiprocessing's resource
tracker, left with their named semaphores, warned "There appear to be N leaked semaphore
objects to clean up at shutdown". Here the handler it finds ends the pools' workers and exits
through Python (status 128 + the signal's number, as a shell reports a process a signal
ended), so the pools are shut down and their semaphores released; a SIGHUP (a closed terminal)
is taken as a SIGTERM, which Uvicorn first stops serving on.
"""

from __future__ import annotations

import signal
import sys


def _exit_on(signum: int, frame) -> None:
    from sim.ensemble.executors import end_pools

    end_pools()  # its runs in flight would otherwise hold the exit until they finish
    raise SystemExit(128 + signum)


def _hang_up(signum: int, frame) -> None:
    signal.raise_signal(signal.SIGTERM)  # Uvicorn's handler while it serves, else _exit_on


def main(argv: list[str] | None = None) -> None:
    """``solara`` with ``argv`` (default: this process's arguments), SIGTERM and SIGHUP
    handled as the module docstring says."""
    from solara.__main__ import cli

    signal.signal(signal.SIGTERM, _exit_on)
    if hasattr(signal, "SIGHUP"):
        signal.signal(signal.SIGHUP, _hang_up)
    cli(sys.argv[1:] if argv is None else argv, prog_name="solara")


if __name__ == "__main__":
    main()
