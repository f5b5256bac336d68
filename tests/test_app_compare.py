"""The compare page (sim/app/compare.py): a comparison runs the command line's own pipeline
and shows that report's charts, a table with coloured verdicts and no index column, and the
files to download; an uploaded scenario file may only extend one offered here and gets the
loader's messages; the time estimate is measured on this machine; the page runs end to end.
"""

from __future__ import annotations

import html
import io
import time
import zipfile
from pathlib import Path

import pytest

solara = pytest.importorskip("solara")
v = pytest.importorskip("ipyvuetify")

from sim.app.compare import (  # noqa: E402
    FIT_FRAME,
    ComparePage,
    UploadError,
    check_upload,
    choose_workers,
    estimate_seconds,
    run_comparison,
)
from sim.app.scenario_files import load_scenario_file  # noqa: E402
from tests.app_scenarios import scenario_folder  # noqa: E402

WARD = """name = "My ward"
description = "An uploaded file that extends a shipped one."
extends = "small.toml"

[[interventions]]
type = "one_to_ones"
start_day = 3
organisers = 20
"""


@pytest.fixture
def scenario_dir(tmp_path, monkeypatch) -> Path:
    """The test scenarios (tests/app_scenarios.py) as the pickers' folder."""
    folder = scenario_folder(tmp_path / "scenarios")
    monkeypatch.setenv("KINDLINESS_SCENARIOS_DIR", str(folder))
    return folder


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
        assert shown.replace(FIT_FRAME, "") == report  # the very page, only fitted to size
        assert shown.index("id='decision'") < shown.index("id='charts'")
        names = zipfile.ZipFile(io.BytesIO(c.zip_bytes())).namelist()
        for want in ("report.html", "summary.csv", "manifest.json",
                     "charts/effects.png", "scenario-files/small.toml"):
            assert want in names, want
        assert not any(n.startswith("runs/") for n in names)
    finally:
        c.remove()
    assert not c.out_dir.exists()


def test_an_upload_may_only_extend_a_scenario_offered_here(scenario_dir, tmp_path):
    keep = tmp_path / "keep"
    keep.mkdir()
    up = check_upload("ward.toml", WARD.encode(), scenario_dir, keep)
    assert up.scenario.name == "My ward"
    assert [iv.type_name for iv in up.scenario.interventions] == ["one_to_ones"]
    assert up.path.is_file() and keep in up.path.parents
    bad_parent = WARD.replace('extends = "small.toml"', 'extends = "../../etc/hosts"')
    with pytest.raises(UploadError, match="may only extend a scenario offered here"):
        check_upload("ward.toml", bad_parent.encode(), scenario_dir, keep)
    with pytest.raises(UploadError, match="no extends"):
        check_upload("ward.toml", b'name = "Alone"\n', scenario_dir, keep)
    with pytest.raises(UploadError, match="ends in .toml"):
        check_upload("ward.txt", WARD.encode(), scenario_dir, keep)
    with pytest.raises(UploadError, match="TOML syntax error"):
        check_upload("ward.toml", b"name = \n", scenario_dir, keep)
    with pytest.raises(UploadError, match="not UTF-8"):
        check_upload("ward.toml", b"name = \"\xff\"\n", scenario_dir, keep)
    with pytest.raises(UploadError, match="already the name"):
        check_upload("ward.toml", WARD.encode(), scenario_dir, keep, taken_names=["My ward"])


def test_an_uploads_problems_are_the_loaders_messages_naming_the_file(scenario_dir, tmp_path):
    wrong = WARD.replace("organisers = 20", "organisers = -4\norganizers = 3")
    with pytest.raises(UploadError) as err:
        check_upload("ward.toml", wrong.encode(), scenario_dir, tmp_path)
    text = str(err.value)
    assert "ward.toml: interventions[0].organisers: -4 is out of range" in text
    assert "did you mean 'organisers'?" in text
    assert str(tmp_path) not in text  # no server paths in the message


def test_the_estimate_is_measured_here_and_small_runs_stay_in_this_process():
    assert choose_workers(2, 2, 30, 200) == 1
    small = estimate_seconds(2, 2, 30, 200)
    big = estimate_seconds(4, 10, 365, 1000)
    assert 0 < small < big
    t0 = time.perf_counter()
    scenario = load_scenario_file(None).with_overrides(residents=200, days=30)
    run_comparison([scenario, scenario], days=30, replicates=2, seed=1).remove()
    took = time.perf_counter() - t0
    assert small / 10 < took < small * 10  # the right size, on a shared machine


def test_compare_page_runs_and_shows_its_table(scenario_dir):
    _, rc = solara.render(ComparePage(), handle_error=False)
    picker = rc.find(v.Select, label="Scenarios").widget
    picker.v_model = ["Baseline (baseline.toml)", "Small estate (small.toml)"]
    sliders = rc.find(v.Slider).widgets
    assert len(sliders) == 3  # replicates, days, residents (in that order)
    for slider, value in zip(sliders, (2, 30, 200), strict=True):
        slider.v_model = value
    rc.find(v.Html, class_="compare-estimate").wait_for(timeout=60)
    estimate = rc.find(v.Html, class_="compare-estimate").widget.children[0]
    assert estimate.startswith("4 runs of 30 days at 200 residents: about")
    rc.find(v.Btn, class_="compare-run").widget.click()
    rc.find(v.Html, class_="compare-done").wait_for(timeout=180)
    assert "2 scenarios x 2 replicates x 30 days" in \
        rc.find(v.Html, class_="compare-done").widget.children[0]
    labels = [str(w.children) for w in rc.find(v.Btn).widgets]
    for want in ("The report (HTML)", "Everything (zip)", "Summary (CSV)"):
        assert any(want in lab for lab in labels), want
    rc.close()


def test_an_uploaded_file_is_offered_and_can_be_edited_on_the_page(scenario_dir):
    import ipywidgets as widgets

    _, rc = solara.render(ComparePage(), handle_error=False)
    upload = rc.find(widgets.FileUpload).widget
    upload.value = ({"name": "ward.toml", "type": "", "size": len(WARD), "last_modified": 0,
                     "content": memoryview(WARD.encode())},)
    rc.find(v.Btn, class_="upload-edit").wait_for(timeout=30)
    picker = rc.find(v.Select, label="Scenarios").widget
    assert "My ward (uploaded ward.toml)" in picker.items
    assert "My ward (uploaded ward.toml)" in picker.v_model  # chosen for the next run
    rc.find(v.Btn, class_="upload-edit").widget.click()
    area = rc.find(v.Textarea, class_="upload-text").widget
    assert area.v_model == WARD
    area.v_model = WARD.replace("organisers = 20", "organisers = -1")
    rc.find(v.Btn, class_="upload-keep").widget.click()
    problem = rc.find(v.Alert, class_="upload-problem").widget
    assert "interventions[0].organisers: -1 is out of range" in str(problem.children)
    area.v_model = WARD.replace('name = "My ward"', 'name = "My ward, 30 organisers"')\
        .replace("organisers = 20", "organisers = 30")
    rc.find(v.Btn, class_="upload-keep").widget.click()
    rc.find(v.Textarea, class_="upload-text").wait_for(state="detached", timeout=30)
    picker = rc.find(v.Select, label="Scenarios").widget
    assert "My ward, 30 organisers (uploaded ward.toml)" in picker.items
    assert "My ward (uploaded ward.toml)" not in picker.v_model
    rc.find(v.Btn, class_="upload-remove").widget.click()
    rc.find(v.Btn, class_="upload-edit").wait_for(state="detached", timeout=30)
    assert not any("uploaded" in item for item in
                   rc.find(v.Select, label="Scenarios").widget.items)
    rc.close()
