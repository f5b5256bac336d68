"""Every run in the tests checks that interventions change only levers: outcome arrays are
read-only while any intervention's hooks run (sim.model.CHECK_OUTCOMES_ENV; outside the
tests, only classes that are not shipped are checked at run time)."""

import os

import pytest

from sim.model import CHECK_OUTCOMES_ENV
from tests.cli_files import A, B

os.environ[CHECK_OUTCOMES_ENV] = "1"


@pytest.fixture
def work(tmp_path, monkeypatch):
    """A folder with two good scenario files (a.toml, b.toml: an intervention from day 10);
    the current folder, so a stray relative write would show."""
    (tmp_path / "a.toml").write_text(A)
    (tmp_path / "b.toml").write_text(B)
    monkeypatch.chdir(tmp_path)
    return tmp_path
