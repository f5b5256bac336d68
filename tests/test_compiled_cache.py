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
