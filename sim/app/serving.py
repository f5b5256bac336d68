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

Ctrl-C ends it with status 130, as a shell reports a program Ctrl-C ended (Solara's command
line said "Aborted." and gave 1). Its address is said once the page answers (a user check:
said before Solara started, the address gave "connection refused" for seconds); Solara's own
line with the address, said before it answers, is left out.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
import urllib.error
import urllib.request

# the page's address, set by sim/app/server.py: said once the server answers at it
ANNOUNCE_ENV = "KINDLINESS_VIZ_URL"
EXIT_CTRL_C = 130
# where a server listening on every address is asked whether it answers
_ANY_ADDRESS = {"0.0.0.0": "127.0.0.1", "[::]": "[::1]", "[0:0:0:0:0:0:0:0]": "[::1]"}


def _exit_on(signum: int, frame) -> None:
    from sim.ensemble.executors import end_pools

    end_pools()  # its runs in flight would otherwise hold the exit until they finish
    raise SystemExit(128 + signum)


def _hang_up(signum: int, frame) -> None:
    signal.raise_signal(signal.SIGTERM)  # Uvicorn's handler while it serves, else _exit_on


def announce(url: str, *, every_s: float = 0.2) -> None:
    """Say ``url`` once the server answers there (its readiness page), from a thread that
    asks until it does; the server's own lines go on meanwhile."""
    host = url.split("//", 1)[1].rsplit(":", 1)[0]
    probe = url.replace(host, _ANY_ADDRESS.get(host, host), 1) + "readyz"

    def wait() -> None:
        while True:
            try:
                with urllib.request.urlopen(probe, timeout=2) as reply:
                    if reply.status == 200:
                        break
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(every_s)
        print(f"Kindliness visualiser: {url}  (Ctrl-C to stop)", flush=True)

    threading.Thread(target=wait, name="announce", daemon=True).start()


class _WithoutAddress:
    """Solara's ``rich`` module, as ``solara.__main__`` uses it, without its line "Solara
    server is starting at ...": said before the page answers, beside ours said once it does
    (a user check read the address twice, and the first gave "connection refused")."""

    def __init__(self, rich) -> None:
        self._rich = rich

    def __getattr__(self, name: str):
        return getattr(self._rich, name)

    def print(self, *objects, **kwargs) -> None:
        if objects and str(objects[0]).startswith("Solara server is starting at"):
            return
        self._rich.print(*objects, **kwargs)


def quiet_solaras_address() -> None:
    """Leave the page's address to :func:`announce` (:class:`_WithoutAddress`)."""
    import solara.__main__ as solara_main

    rich = getattr(solara_main, "rich", None)  # another Solara: its line is left as it is
    if rich is not None and not isinstance(rich, _WithoutAddress):
        solara_main.rich = _WithoutAddress(rich)


def main(argv: list[str] | None = None) -> None:
    """``solara`` with ``argv`` (default: this process's arguments), SIGTERM, SIGHUP and
    Ctrl-C handled as the module docstring says. sim/app/server.py blocks Ctrl-C across its
    exec into this process; it is taken here, where one pressed while Solara loads ends the
    process quietly with 130 (a user check: a traceback, once a fatal error and status 1)."""
    signal.signal(signal.SIGTERM, _exit_on)
    if hasattr(signal, "SIGHUP"):
        signal.signal(signal.SIGHUP, _hang_up)
    try:
        if hasattr(signal, "pthread_sigmask"):  # one pressed meanwhile is raised now
            signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
        import click
        from solara.__main__ import cli

        if os.environ.get(ANNOUNCE_ENV):
            quiet_solaras_address()
            announce(os.environ[ANNOUNCE_ENV])
        try:
            cli.main(sys.argv[1:] if argv is None else argv, prog_name="solara",
                     standalone_mode=False)
        except click.exceptions.Abort:  # Ctrl-C: click has ended the line Solara was on
            raise SystemExit(EXIT_CTRL_C) from None
        except click.exceptions.ClickException as exc:
            exc.show()
            raise SystemExit(exc.exit_code) from None
    except KeyboardInterrupt:  # before Solara served (it loads for about a second)
        print("interrupted", file=sys.stderr, flush=True)
        raise SystemExit(EXIT_CTRL_C) from None


if __name__ == "__main__":
    main()
