"""Worker processes that end with the process that started them, however it ended.

A worker of a local process pool whose parent is killed (SIGKILL, the OOM killer, a crash)
otherwise waits on its task queue for ever, holding its memory (PLATFORM-NOTES, "Processes
that outlive their parent"). :func:`die_with_parent` is the pool's initializer: the kernel
sends the worker SIGTERM when its parent dies (Linux ``PR_SET_PDEATHSIG``; it acts even while
the worker computes), and a daemon thread that watches the parent's pid covers other systems
and a parent that died before the request was made. A worker forked by a fork server (whose
parent is the server, which lives while any of its children do) watches the process that
started the pool itself.

This module imports nothing heavy on purpose: a spawned worker runs its initializer as soon as
it has unpickled it, before it imports the model for its first task, so a parent killed while
its workers start up is noticed at once rather than after seconds of imports.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import select
import signal
import sys
import threading
import time

PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
PARENT_WATCH_S = 1.0  # how often the watcher thread checks that the parent is still there


def die_with_parent(parent_pid: int, forked_by_server: bool = False) -> None:
    """End this process when ``parent_pid``, the process that started the pool, dies: this
    process's parent or, with ``forked_by_server`` (a fork server's worker, whose parent is
    the server), the process that asked the server for it."""
    if forked_by_server:
        if not _exists(parent_pid):  # it died before this worker started
            os._exit(1)
        threading.Thread(target=_watch_process, args=(parent_pid,), daemon=True,
                         name="kindliness-parent-watch").start()
        return
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGTERM), 0, 0, 0)
    if os.getppid() != parent_pid:  # it died before the request above
        os._exit(1)
    threading.Thread(target=_watch_parent, args=(parent_pid,), daemon=True,
                     name="kindliness-parent-watch").start()


def _watch_parent(parent_pid: int) -> None:
    while os.getppid() == parent_pid:
        time.sleep(PARENT_WATCH_S)
    os._exit(1)


def _watch_process(pid: int) -> None:
    """Exit once process ``pid`` (not this one's parent) has ended: a pidfd becomes readable
    when it ends (Linux 5.3 and later); elsewhere, ask whether it is there every
    PARENT_WATCH_S."""
    try:
        fd = os.pidfd_open(pid)
    except ProcessLookupError:
        os._exit(1)
    except (AttributeError, OSError):
        while _exists(pid):
            time.sleep(PARENT_WATCH_S)
        os._exit(1)
    select.select([fd], [], [])
    os._exit(1)


def _exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
