"""The set-up scripts the README's two commands run (scripts/find-python.sh): what they say
about the interpreter they are pointed at."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "find-python.sh"


def _find(python: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHON": python}
    return subprocess.run(["bash", str(SCRIPT)], capture_output=True, text=True, env=env,
                          timeout=60, check=False)


def test_a_python_asked_for_that_cannot_be_used_is_said_not_passed_over(tmp_path):
    """A user check: PYTHON=/usr/bin/python3 (a 3.11) and a path that did not exist were
    both passed over in silence for another Python. Each is said, with why; one that can
    be used is used, unsaid."""
    missing = _find(str(tmp_path / "no-such-python"))
    assert (f"setup: warning: PYTHON={tmp_path / 'no-such-python'} is not used: not found; "
            "looking for another") in missing.stderr
    old = tmp_path / "python-old"  # answers as a Python 3.11 would
    old.write_text("#!/bin/sh\necho 3.11\nexit 1\n")
    old.chmod(0o755)
    said = _find(str(old)).stderr
    assert f"PYTHON={old} is not used: Python 3.11; kindliness-sim needs 3.12 or later" in said
    ours = _find(sys.executable)  # the tests' own Python: 3.12 or later, with venv
    assert ours.returncode == 0 and ours.stdout.strip() == sys.executable
    assert "warning" not in ours.stderr
