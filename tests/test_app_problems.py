"""The visualiser with a broken scenario file: a plain panel (file, key, problem) and a page
that keeps working with the other files; no traceback and no path on the server reaches the
browser. Widget trees through ``solara.render`` (the same page in Chromium is in
tests/browser/test_broken_scenario.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

solara = pytest.importorskip("solara")
v = pytest.importorskip("ipyvuetify")
widgets = pytest.importorskip("ipywidgets")

from sim.app.live import LivePage  # noqa: E402
from sim.app.problems import (  # noqa: E402
    PageProblem,
    first_usable,
    page_problems,
    problems_text,
    scenario_label,
    scrub,
)
from sim.app.scenario_files import list_scenarios, load_scenario_file  # noqa: E402
from sim.scenario import ScenarioError  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SMALL = 'name = "Small estate"\n[population]\nn_residents = 200\n'


@pytest.fixture
def broken_dir(tmp_path, monkeypatch) -> Path:
    """baseline.toml with a mistake in it, and a small community that stands alone."""
    text = (ROOT / "scenarios" / "baseline.toml").read_text()
    (tmp_path / "baseline.toml").write_text(text.replace("days = 730", "days = 0", 1))
    (tmp_path / "small.toml").write_text(SMALL)
    monkeypatch.setenv("KINDLINESS_SCENARIOS_DIR", str(tmp_path))
    return tmp_path


def test_problems_name_the_file_not_the_server_path(broken_dir):
    with pytest.raises(ScenarioError) as caught:
        load_scenario_file(broken_dir / "baseline.toml")
    [row] = page_problems(caught.value, broken_dir)
    assert row == PageProblem("baseline.toml", "run.days",
                              "0 is out of range: must be between 1 and 36,500 (days)")
    assert str(broken_dir) not in problems_text(caught.value, broken_dir)


def test_other_errors_become_one_plain_sentence_without_paths():
    exc = FileNotFoundError(2, "No such file or directory", "/srv/secret/project/x.toml")
    [row] = page_problems(exc)
    assert row.file == "" and "/srv" not in row.problem and "x.toml" in row.problem
    assert scrub("see /home/me/proj/scenarios/a.toml and /etc/passwd") == \
        "see a.toml and passwd"
    assert page_problems(RuntimeError())[0].problem == "it could not be used (RuntimeError)"


def test_first_usable_skips_broken_files_and_says_why(broken_dir):
    choices = list_scenarios(broken_dir)
    label, scenario, problems = first_usable(choices, load_scenario_file, broken_dir)
    assert label == "Small estate (small.toml)" and scenario.name == "Small estate"
    assert [(p.file, p.key) for p in problems] == [("baseline.toml", "run.days")]
    label, scenario, problems = first_usable({"x": broken_dir / "baseline.toml"},
                                             load_scenario_file, broken_dir)
    assert label is None and scenario.name == "Built-in defaults" and len(problems) == 1


def test_picker_labels_are_read_within_limits(tmp_path):
    import os

    os.mkfifo(tmp_path / "pipe.toml")
    (tmp_path / "zero.toml").symlink_to("/dev/zero")
    (tmp_path / "ctl.toml").write_text('name = "bad\\u0007name"\n')
    (tmp_path / "ok.toml").write_text('name = "Good"\n')
    labels = {p.name: scenario_label(p) for p in sorted(tmp_path.iterdir())}
    assert labels == {"ctl.toml": "ctl.toml", "ok.toml": "Good (ok.toml)",
                      "pipe.toml": "pipe.toml", "zero.toml": "zero.toml"}


def test_live_page_with_a_broken_baseline_shows_the_panel_and_works(broken_dir):
    """Before: the whole page was a Python traceback with server paths."""
    import time

    _, rc = solara.render(LivePage(), handle_error=False)
    alert = rc.find(v.Alert).widget
    title, panel = alert.children
    assert "cannot be used" in title
    table = panel.unsafe_innerHTML
    for text in ("baseline.toml", "run.days", "0 is out of range"):
        assert text in table, table
    assert str(broken_dir) not in table and "Traceback" not in table

    def text_of(cls):
        found = rc.find(v.Html, class_=cls)
        return found.widget.children[0] if len(found) == 1 else None

    deadline = time.monotonic() + 60  # the community is built in a worker thread
    while text_of("day-counter") != "Day 0" and time.monotonic() < deadline:
        time.sleep(0.05)
    assert text_of("day-counter") == "Day 0"
    while len(rc.find(v.Btn, class_="live-step")) != 1 and time.monotonic() < deadline:
        time.sleep(0.05)  # a render under way in the worker thread
    rc.find(v.Btn, class_="live-step").widget.click()  # the page still works
    while text_of("day-counter") != "Day 1" and time.monotonic() < deadline:
        time.sleep(0.05)
    assert text_of("day-counter") == "Day 1"
    rc.close()
