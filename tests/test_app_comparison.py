"""A comparison from the compare page is the command line's own pipeline: its report.html
shown as it is, its files to download, its folder removed after."""

from __future__ import annotations

import html
import io
import zipfile
from pathlib import Path

import pytest

from sim.app.comparison import FIT_FRAME, MODEL_DOC_LINK, ComparisonStopped, run_comparison
from sim.app.scenario_files import load_scenario_file
from tests.app_scenarios import scenario_folder


@pytest.fixture
def scenario_dir(tmp_path) -> Path:
    """The test scenarios (tests/app_scenarios.py)."""
    return scenario_folder(tmp_path / "scenarios")


def test_a_comparison_is_the_report_pipelines_output(scenario_dir):
    scenarios = [load_scenario_file(scenario_dir / f) for f in ("baseline.toml", "small.toml")]
    seen = []
    c = run_comparison(scenarios, days=20, replicates=2, seed=9, residents=200,
                       on_progress=lambda done, total: seen.append((done, total)))
    try:
        assert seen[-1] == (4, 4)
        for name in ("report.html", "summary.csv", "manifest.json"):
            assert (c.out_dir / name).is_file(), name
        assert c.report is not None and (c.out_dir / "charts" / "effects.png").is_file()
        # the page shows report.html itself: its decision card first, in a frame of its own
        frame = c.report_frame_html()
        assert frame.startswith("<iframe class='compare-report'")
        report = c.report.read_text()
        assert "id='decision'" in report and "What to fund" in report
        shown = html.unescape(frame.split('srcdoc="', 1)[1].rsplit('"', 1)[0])
        # the very page, only fitted to size, and its link to the model card (a path from
        # the job's folder on this server, which found nothing) given as the card's name
        assert 'MODEL.md">docs/MODEL.md</a>' in report
        portable = c.portable_report()
        assert "MODEL.md</a>" not in portable and "<code>docs/MODEL.md</code>" in portable
        assert shown.replace(FIT_FRAME, "") == portable
        assert MODEL_DOC_LINK.sub("", report) == MODEL_DOC_LINK.sub("", portable).replace(
            "<code>docs/MODEL.md</code> in the kindliness-sim folder", "")
        assert shown.index("id='decision'") < shown.index("id='charts'")
        names = zipfile.ZipFile(io.BytesIO(c.zip_bytes())).namelist()
        for want in ("report.html", "summary.csv", "manifest.json",
                     "charts/effects.png", "scenario-files/small.toml"):
            assert want in names, want
        assert not any(n.startswith("runs/") for n in names)
        zipped = zipfile.ZipFile(io.BytesIO(c.zip_bytes())).read("report.html")
        assert zipped.decode("utf-8") == portable
    finally:
        c.remove()
    assert not c.out_dir.exists() and not c.out_dir.parent.exists()


def test_a_stopped_comparison_ends_at_its_next_run_and_leaves_no_folder(scenario_dir, tmp_path):
    scenarios = [load_scenario_file(scenario_dir / f) for f in ("baseline.toml", "small.toml")]
    seen = []
    with pytest.raises(ComparisonStopped) as stopped:
        run_comparison(scenarios, days=20, replicates=6, seed=9, residents=200, workers=1,
                       out_dir=tmp_path / "job",
                       on_progress=lambda done, total: seen.append((done, total)),
                       stop=lambda: len(seen) >= 3)  # asked once 2 runs were done
    assert (stopped.value.done, stopped.value.total) == (2, 12)
    assert seen[-1] == (2, 12)  # no run was started after the one that saw the stop
    assert "stopped after 2 of 12 runs" in str(stopped.value)
    assert not (tmp_path / "job" / "comparison").exists()


def test_a_comparison_stopped_before_it_starts_runs_nothing(scenario_dir):
    scenarios = [load_scenario_file(scenario_dir / "baseline.toml")]
    seen = []
    with pytest.raises(ComparisonStopped) as stopped:
        run_comparison(scenarios, days=20, replicates=2, seed=9, residents=200,
                       on_progress=lambda done, total: seen.append((done, total)),
                       stop=lambda: True)
    assert (stopped.value.done, stopped.value.total, seen) == (0, 2, [])


def test_a_programme_that_would_never_act_is_refused_as_on_the_command_line(tmp_path):
    # the page's shortest run is 30 days; shipped programmes start on day 90: the command
    # line refuses such a comparison, and the page must not report a zero effect instead
    from tests.app_scenarios import ROOT

    base = load_scenario_file(ROOT / "scenarios" / "baseline.toml")
    bridges = load_scenario_file(ROOT / "scenarios" / "bridge_figures.toml")
    with pytest.raises(ValueError, match=r"starts on day 90, after the run ends \(30 days\), "
                                         r"so it would never act: choose 90 days or more"):
        run_comparison([base, bridges], days=30, replicates=2, seed=1, residents=200,
                       out_dir=tmp_path / "x")
    assert not (tmp_path / "x").exists()  # refused before anything was written


def test_a_comparison_of_two_communities_is_refused_as_on_the_command_line(tmp_path):
    """A user check: an area's option beside the shipped baseline ran on the page, and its
    card named a "Best" option, where the command line refuses the pair (exit 2)."""
    from tests.app_scenarios import ROOT

    base = load_scenario_file(ROOT / "scenarios" / "baseline.toml")
    area = tmp_path / "area.toml"
    area.write_text(f'extends = "{ROOT / "scenarios" / "third_space.toml"}"\n'
                    'name = "Two sections"\n[population]\nsections = [\n'
                    '  {name = "long_standing", share = 0.6},\n'
                    '  {name = "newcomers", share = 0.4},\n]\n')
    other = load_scenario_file(area)
    with pytest.raises(ValueError, match=r"Two sections is not the same community as "
                                         r"Baseline: it differs in population\.sections"):
        run_comparison([base, other], days=100, replicates=2, seed=1, residents=200,
                       out_dir=tmp_path / "x")
    assert not (tmp_path / "x").exists()  # refused before anything was written


def test_a_programme_given_in_months_is_refused_in_months(tmp_path):
    # the one-year common cause starts at month 3: the refusal names the month, as the
    # file does, and the day it becomes
    from tests.app_scenarios import ROOT

    base = load_scenario_file(ROOT / "scenarios" / "baseline.toml")
    year = load_scenario_file(ROOT / "scenarios" / "common_cause_one_year.toml")
    with pytest.raises(ValueError, match=r"^Common cause for one year: 'Common-cause project "
                                         r"\(one year\)' starts in month 3 \(day 91\), after the "
                                         r"run ends \(30 days\), so it would never act: choose "
                                         r"91 days or more$"):
        run_comparison([base, year], days=30, replicates=2, seed=1, residents=200,
                       out_dir=tmp_path / "x")
    assert not (tmp_path / "x").exists()
