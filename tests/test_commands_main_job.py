"""The main job, ``python run.py``: every scenario in scenarios/ against scenarios/baseline.toml.

The full path is exercised as a user runs it (a subprocess of run.py, the local process pool
with two workers, the shipped scenario files) with small overrides; the full-size timing is a
measurement reported in the README, not a timed test."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from argparse import Namespace
from pathlib import Path

import pandas as pd
import pytest

from sim import cli
from sim.commands import main_job
from sim.metrics import CORE_METRICS
from sim.scenario import load_scenarios
from tests.test_report import write_scenarios

REPO = Path(__file__).resolve().parents[1]


def shipped_scenarios():
    baseline = REPO / "scenarios" / "baseline.toml"
    others = sorted(p for p in (REPO / "scenarios").glob("*.toml") if p != baseline)
    return load_scenarios([str(baseline)] + [str(p) for p in others])


def test_main_command_runs_end_to_end_through_run_py(tmp_path):
    """``python run.py`` as a user runs it: a subprocess, the local process pool with two
    workers, a scenarios folder (three files here, to keep the test quick), small overrides."""
    folder = tmp_path / "scenarios"
    write_scenarios(folder)
    out = tmp_path / "results"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.run(
        [sys.executable, "run.py", "--scenarios", str(folder), "--replicates", "2", "--days",
         "20", "--residents", "150", "--workers", "2", "--out", str(out)],
        cwd=REPO, capture_output=True, text=True, timeout=600, env=env)
    assert proc.returncode == 0, proc.stderr
    report = Path(proc.stdout.strip().splitlines()[-1])
    assert report.is_file() and report.parent.parent == out
    folder_out = report.parent
    # the baseline, then the other files by file name (activity.toml, bridging.toml)
    expected = ["Baseline", "Palatable activity", "More bridging ties"]
    summary = pd.read_csv(folder_out / "summary.csv")
    assert list(dict.fromkeys(summary.scenario)) == expected
    for name in expected:
        assert set(CORE_METRICS) <= set(summary[summary.scenario == name].metric), name
    text = report.read_text()
    assert all(name in text for name in expected)
    manifest = json.loads((folder_out / "manifest.json").read_text())
    assert manifest["kind"] == "compare" and manifest["baseline"] == "Baseline"
    assert manifest["settings"]["days"] == 20 and manifest["settings"]["replicates"] == 2
    assert set(manifest["settings"]["residents"].values()) == {150}
    assert manifest["settings"]["workers"] == 2
    assert (folder_out / "charts" / "effects.png").is_file()
    assert "runs" in proc.stderr and "done in" in proc.stderr


def test_the_main_job_takes_every_shipped_scenario_baseline_first():
    """What ``python run.py`` would compare, from the shipped scenarios/ (nothing is run)."""
    scenarios, replicates, _ = main_job.main_job_plan(_args(REPO / "scenarios"))
    assert [s.name for s in scenarios] == [s.name for s in shipped_scenarios()]
    assert scenarios[0].path.endswith("baseline.toml")
    assert 1 <= replicates <= main_job.MAIN_JOB_MAX_REPLICATES
    assert {(s.run.days, s.model.population.n_residents) for s in scenarios} == {
        (main_job.MAIN_JOB_DAYS, main_job.MAIN_JOB_RESIDENTS)}
    assert len({s.run.seed for s in scenarios}) == 1  # paired


def test_the_main_job_finds_the_projects_scenarios_from_any_folder(tmp_path, monkeypatch):
    """A user check: ``python /path/to/run.py`` (or ``kindliness``) run from another folder
    said "scenarios/baseline.toml: file not found", though the README says the commands read
    scenarios/ from the project folder. Without --scenarios the main job takes the project's
    (shown as scenarios/ in the project folder itself); --scenarios DIR is still the
    user's folder, relative to where they are."""
    shipped = [s.name for s in shipped_scenarios()]
    monkeypatch.chdir(tmp_path)
    scenarios, _, _ = main_job.main_job_plan(_args(None))
    assert [s.name for s in scenarios] == shipped
    assert Path(scenarios[0].path) == REPO / "scenarios" / "baseline.toml"
    write_scenarios(tmp_path / "scenarios")  # a folder of the user's own, of the same name
    scenarios, _, _ = main_job.main_job_plan(_args("scenarios"))
    assert scenarios[0].name == "Baseline" and len(scenarios) == 3
    monkeypatch.chdir(REPO)
    scenarios, _, _ = main_job.main_job_plan(_args(None))
    assert scenarios[0].path == str(Path("scenarios") / "baseline.toml")


def _args(folder, **kw):
    base = {"scenarios": None if folder is None else str(folder), "replicates": None,
            "days": None, "residents": None, "seed": None}
    return Namespace(**{**base, **kw})


def test_main_job_defaults_and_order(tmp_path):
    """Baseline first, then the folder's files by name; 1,000 residents, 730 days, replicates
    from the baseline file capped, all paired on the baseline's seed."""
    folder = tmp_path / "scenarios"
    write_scenarios(folder)  # baseline (a few replicates, seed 7), activity, bridging
    text = (folder / "baseline.toml").read_text()
    (folder / "baseline.toml").write_text(re.sub(r"replicates = \d+", "replicates = 50", text))
    scenarios, replicates, note = main_job.main_job_plan(_args(folder))
    assert [s.name for s in scenarios] == ["Baseline", "Palatable activity",
                                           "More bridging ties"]
    assert replicates == main_job.MAIN_JOB_MAX_REPLICATES < 50 and "quick main job" in note
    for s in scenarios:
        assert s.run.days == main_job.MAIN_JOB_DAYS == 730
        assert s.model.population.n_residents == main_job.MAIN_JOB_RESIDENTS == 1000
        assert s.run.seed == 7
    scenarios, replicates, note = main_job.main_job_plan(
        _args(folder, replicates=3, days=40, residents=300, seed=11))
    assert replicates == 3 and note == ""
    assert {(s.run.days, s.model.population.n_residents, s.run.seed) for s in scenarios} == \
        {(40, 300, 11)}


def test_main_job_without_a_baseline_exits_2(tmp_path, capsys):
    (tmp_path / "scenarios").mkdir()
    code = cli.main(["--scenarios", str(tmp_path / "scenarios"), "--out",
                     str(tmp_path / "results")])
    assert code == 2
    assert "baseline.toml: file not found" in capsys.readouterr().err
    assert not (tmp_path / "results").exists()


@pytest.mark.parametrize("argv", [["--help"], ["validate", "--help"]])
def test_run_py_and_help_work_as_a_subprocess(argv):
    proc = subprocess.run([sys.executable, "run.py", *argv], cwd=REPO, capture_output=True,
                          text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(REPO)})
    assert proc.returncode == 0, proc.stderr
    assert "usage: python run.py" in proc.stdout


def test_the_main_job_says_when_it_changes_an_areas_size(tmp_path, capsys):
    # an area of 300 residents (new-area) is run at the main job's 1,000 unless told
    folder = tmp_path / "area"
    write_scenarios(folder)
    text = (folder / "baseline.toml").read_text()
    (folder / "baseline.toml").write_text(
        re.sub(r"n_residents = \d+", "n_residents = 300", text) if "n_residents" in text
        else text.replace("[population]", "[population]\nn_residents = 300"))
    main_job.main_job_plan(_args(folder))
    err = capsys.readouterr().err
    assert "warning: the main job runs every scenario at 1,000 residents" in err
    assert "describes 300: pass --residents 300 to keep its size" in err
    main_job.main_job_plan(_args(folder, residents=300))
    assert "warning" not in capsys.readouterr().err
