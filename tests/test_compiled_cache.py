"""Compiled kernels are kept per state of the package's source (sim/__init__.py): numba checks
only a kernel's own file before reusing it from disk, so a kernel calling one in another file
would keep running the old callee after an edit or an upgrade."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import sim

REPO = Path(__file__).resolve().parents[1]
PACKAGE = REPO / "sim"
SHOW = "import sim, numba; print(numba.config.CACHE_DIR)"


def _cache_dir_in_a_new_process(**env) -> str:
    out = subprocess.run([sys.executable, "-c", SHOW], cwd=REPO, capture_output=True,
                         text=True, check=True,
                         env={**os.environ, "PYTHONPATH": str(REPO), **env})
    return out.stdout.strip()


def test_the_key_changes_with_any_source_file(tmp_path):
    pkg = tmp_path / "pkg"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "a.py").write_text("x = 1\n")
    (pkg / "sub" / "b.py").write_text("y = 2\n")
    key = sim.source_key(pkg)
    assert sim.source_key(pkg) == key
    time.sleep(0.01)
    (pkg / "sub" / "b.py").write_text("y = 3\n")  # a callee's file, same size
    assert sim.source_key(pkg) != key
    (pkg / "__pycache__").mkdir()
    (pkg / "__pycache__" / "c.py").write_text("")  # not source
    edited = sim.source_key(pkg)
    assert sim.source_key(pkg) == edited


def _key() -> str:
    return Path(_cache_dir_in_a_new_process()).name


def test_kernels_are_kept_under_the_current_key_and_earlier_keys_go(tmp_path):
    key = _key()
    mine = key[: -len(sim.source_key(PACKAGE))]  # "sim-<hash of this checkout's path>-"
    base = tmp_path / "cache"
    stale = base / f"{mine}0000000000000000"
    other_checkout = base / "sim-00000000-0000000000000000"
    for folder in (stale, other_checkout):
        folder.mkdir(parents=True)
        (folder / "old.nbi").write_bytes(b"old")
    here = _cache_dir_in_a_new_process(NUMBA_CACHE_DIR=str(base))
    assert Path(here) == base / key and key.endswith(sim.source_key(PACKAGE))
    assert Path(here).is_dir() and not stale.exists() and other_checkout.exists()
    # a worker inherits the keyed folder from the process that started it: the same folder
    assert _cache_dir_in_a_new_process(NUMBA_CACHE_DIR=here) == here


def test_by_default_beside_the_package():
    env = {k: v for k, v in os.environ.items() if k != "NUMBA_CACHE_DIR"}
    out = subprocess.run([sys.executable, "-c", SHOW], cwd=REPO, capture_output=True,
                         text=True, check=True, env={**env, "PYTHONPATH": str(REPO)})
    here = Path(out.stdout.strip())
    assert here.parent == PACKAGE / "__pycache__" / "numba"
    assert here.name.startswith("sim-") and here.name.endswith(sim.source_key(PACKAGE))


WARM_CHECK = """
import glob, sys
from numba.core.registry import CPUDispatcher
from sim.model import compile_rules
from sim.scenario.loader import load_scenario

def signatures():
    found = {}
    for name, module in list(sys.modules.items()):
        if name == "sim" or name.startswith("sim."):
            for attr, value in vars(module).items():
                if isinstance(value, CPUDispatcher):
                    found[f"{name}.{attr}"] = set(map(str, value.signatures))
    return found

compile_rules()
warm = signatures()
for path in sorted(glob.glob("scenarios/*.toml")):
    scenario = load_scenario(path).with_overrides(residents=400)
    last = max([iv.start_day for iv in scenario.interventions], default=0)
    scenario.build_model(1).run_days(last + 5 * 7)
after = signatures()
missed = sorted(f"{k} {sorted(v - warm.get(k, set()))}" for k, v in after.items()
                if v - warm.get(k, set()))
print("\\n".join(missed) if missed else "none")
"""


def test_the_warm_up_compiles_every_kernel_the_shipped_scenarios_use():
    """After compile_rules (which servers run before their first visitor and jobs before
    forking their workers), running every shipped scenario past its programmes' starts
    compiles nothing more: a kernel first used on a programme's first day stalled the live
    page for 4 s at the combined package's day 90, and every worker of a comparison compiled
    it again. A fresh interpreter, so that kernels compiled by other tests do not count."""
    out = subprocess.run([sys.executable, "-c", WARM_CHECK], cwd=REPO, capture_output=True,
                         text=True, timeout=600,
                         env={**os.environ, "PYTHONPATH": str(REPO)})
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "none", out.stdout


# -- numba's names for compiled code (sim/compiled.py) ---------------------------------------
ORDER = """
import numpy as np
from {door} import njit

@njit(cache=True)
def order(x):
    return np.argsort(x)

@njit(cache=True)
def one(x):
    return x + 1

@njit(cache=True)
def two(x):
    return x + 2

@njit(cache=True)
def three(x):
    return x + 3
"""
ORDERED = """
import numpy as np
from {door} import njit

@njit(cache=True)
def ordered(x):
    return np.sort(x)
"""
VALUES = "import numpy as np; x = np.array([5, 3, 9, 1, 7], dtype=np.int64); "


def _python(code: str, folder: Path, cache: Path) -> str:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(folder), str(REPO)]),
           "NUMBA_CACHE_DIR": str(cache)}
    out = subprocess.run([sys.executable, "-c", code], cwd=folder, capture_output=True,
                         text=True, env=env, timeout=300)
    assert out.returncode == 0, out.stderr
    return out.stdout.strip()


def test_kernels_compiled_in_different_processes_keep_their_own_code(tmp_path):
    """Two processes each compile a kernel that sorts (an argsort, after three small kernels;
    a sort); a third loads both from the shared cache. numba names compiled code with a
    counter that starts at 1 in every process, so without sim/compiled.py's guard the two
    quicksorts get the same name and the third process runs one in place of the other
    (the argsort sorted the values, the sort gave them back unsorted)."""
    (tmp_path / "kernel_order.py").write_text(ORDER.format(door="sim.compiled"))
    (tmp_path / "kernel_ordered.py").write_text(ORDERED.format(door="sim.compiled"))
    cache = tmp_path / "cache"
    _python(VALUES + "import kernel_order as k; k.one(1); k.two(1); k.three(1); "
            "print(k.order(x).tolist())", tmp_path, cache)
    _python(VALUES + "import kernel_ordered as k; print(k.ordered(x).tolist())", tmp_path, cache)
    both = VALUES + ("import kernel_order as a, kernel_ordered as b; "
                     "print(a.order(x).tolist(), b.ordered(x).tolist())")
    assert _python(both, tmp_path, cache) == "[3, 1, 0, 4, 2] [1, 3, 5, 7, 9]"


def test_every_process_and_forked_child_numbers_from_its_own_place(tmp_path):
    show = ("import os, sim.compiled; from numba.core.bytecode import FunctionIdentity as F; "
            "print(next(F._unique_ids)); r, w = os.pipe(); pid = os.fork()\n"
            "if pid == 0:\n    os.write(w, str(next(F._unique_ids)).encode()); os._exit(0)\n"
            "os.waitpid(pid, 0); print(os.read(r, 64).decode())")
    firsts = [_python(show, tmp_path, tmp_path / "cache").split() for _ in range(2)]
    starts = [int(n) for pair in firsts for n in pair]
    assert len(set(starts)) == 4, starts
    block = 1 << 16
    assert len({n // block for n in starts}) == 4, starts  # four different blocks


def test_every_kernel_comes_through_the_door():
    """Kernels take njit from sim.compiled, so the guards are in place before numba compiles
    or loads any of them; a module importing it from numba directly would escape them."""
    direct = [f"{path.relative_to(REPO)}:{n}"
              for path in sorted(PACKAGE.rglob("*.py")) if path.name != "compiled.py"
              for n, line in enumerate(path.read_text().splitlines(), 1)
              if line.startswith(("from numba import", "import numba"))
              or "numba.njit" in line or "numba.jit" in line]
    assert direct == []


def test_cache_entries_are_written_and_read_under_a_lock(tmp_path):
    """While another holds the lock beside a kernel's index, writing its entry waits (two
    workers compiling two new signatures of one kernel at once could otherwise both take
    code file N, the index naming one signature and the file holding the other's code)."""
    import fcntl
    import threading

    from numba.core import caching

    import sim.compiled  # noqa: F401  (the guards)

    files = caching.IndexDataCacheFile(str(tmp_path), "kernel", ("stamp",))
    done = threading.Event()
    with open(files._index_path + ".lock", "a+b") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        writer = threading.Thread(target=lambda: (files.save(("sig",), b"code"), done.set()))
        writer.start()
        assert not done.wait(0.5)  # waits for the lock
        fcntl.flock(lock, fcntl.LOCK_UN)
    assert done.wait(10)
    writer.join()
    assert files.load(("sig",)) == b"code"
