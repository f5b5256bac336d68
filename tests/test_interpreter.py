"""run.py with a Python that cannot run the project (too old, or without its packages) says
so and what to type, with exit status 2, before importing anything of the model."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from sim.interpreter import missing_modules, unfit_message

ROOT = Path(__file__).resolve().parents[1]


def test_this_python_can_run_the_project():
    assert missing_modules() == []
    assert unfit_message() is None


def test_an_old_python_is_told_the_version_needed_and_the_command_to_type():
    text = unfit_message(version=(3, 11, 7), argv=["validate", "my file.toml"])
    assert "3.11.7" in text and "needs Python 3.12 or newer" in text
    assert "run.py validate 'my file.toml'" in text
    assert "pip install -e '.[viz]'" in text


def test_a_python_without_the_packages_names_them():
    assert missing_modules(["numpy", "no_such_module_here"]) == ["no_such_module_here"]
    text = unfit_message(version=(3, 12, 1), missing=["numba", "pandas"], argv=[])
    assert "numba, pandas missing" in text


def test_run_py_without_site_packages_exits_2_with_the_message():
    # -S: no site-packages, so none of the project's packages; -I would also drop the
    # project's folder, which run.py needs on the path
    done = subprocess.run([sys.executable, "-S", "run.py", "validate",
                           "scenarios/baseline.toml"], cwd=ROOT, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 2, done.stderr
    assert "cannot run kindliness-sim" in done.stderr
    assert "numpy" in done.stderr and "Traceback" not in done.stderr
    assert done.stdout == ""
