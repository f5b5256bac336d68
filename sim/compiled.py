"""The package's door to numba: ``njit`` is numba's own, imported from here so that two
guards for numba's on-disk cache are in place before any kernel is compiled or loaded.

Several processes share that cache: a job's workers (forked from it), later jobs, the
visualiser, the tests. numba names each compiled function by its name, its argument types
and a number from a counter in the process that compiled it (``v19`` in
``run_quicksort[abi:v19](array(int64))``); the counter starts at 1 in every process and a
forked worker inherits its parent's. Two processes therefore give the same name to
different code (numba's own sorting helpers are made anew for every use: the quicksort of an
``argsort`` and that of a ``sort`` share a name), and a process that loads both from the
cache runs one in place of the other, without a word (numba issue 10486). Seen here: a run
read from a cache filled by the tests and a benchmark's workers seated a programme's
gathering out of order, and gave other numbers than the same run compiled afresh.

1. Every process, and every forked child, numbers its functions from its own random place
   (one of 2**44 blocks of 2**16 numbers): two processes share names with a chance of about
   one in 10**13.
2. Writing a kernel's entry in the cache (its index, then its code) and reading it are done
   under a lock on a file beside the index: two workers compiling two new signatures of one
   kernel at the same moment could otherwise both write code file number N, the index
   naming one signature and the file holding the other's code.

Neither changes what a kernel computes, nor the cache's keys: only the names inside
compiled code and who writes when.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import secrets

from numba import njit, types  # noqa: F401  (the package's kernels import them from here)
from numba.core import bytecode, caching

try:
    import fcntl
except ImportError:  # no flock (Windows): the numbering guard still holds
    fcntl = None

BLOCK_BITS = 16  # numbers a process may use before it reaches another's block (65,536)
PLACE_BITS = 44  # blocks to choose from


def number_from_a_random_place() -> None:
    """Start numba's function counter at a random block of this process's own."""
    start = secrets.randbits(PLACE_BITS) << BLOCK_BITS
    bytecode.FunctionIdentity._unique_ids = itertools.count(start + 1)


@contextlib.contextmanager
def _locked(path: str):
    """Hold an exclusive lock on ``path`` (released when the file closes); nothing when the
    folder cannot be written, where numba keeps no cache to guard."""
    with contextlib.ExitStack() as held:
        try:
            fh = held.enter_context(open(path, "a+b"))
        except OSError:
            fh = None
        if fh is not None:
            fcntl.flock(fh, fcntl.LOCK_EX)
        yield


def _under_lock(method):
    def run(self, *args):
        with _locked(self._index_path + ".lock"):
            return method(self, *args)

    run.__wrapped__ = method
    return run


def _guard_the_cache() -> None:
    number_from_a_random_place()
    os.register_at_fork(after_in_child=number_from_a_random_place)
    files = caching.IndexDataCacheFile
    if fcntl is not None and not hasattr(files.save, "__wrapped__"):
        files.save = _under_lock(files.save)
        files.load = _under_lock(files.load)


_guard_the_cache()
