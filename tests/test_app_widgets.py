"""The visualiser's pages as widget trees (``solara.render``, no browser), and the plain
functions behind them: the controls exist, Step advances the day, Reset with another scenario
builds another community, seeds typed as text are coerced, a small comparison fills its
table and downloads, the drawing keeps one layout per community, and ``serve`` says how to
get missing browser assets.
"""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

import numpy as np
import pytest

solara = pytest.importorskip("solara")
v = pytest.importorskip("ipyvuetify")
widgets = pytest.importorskip("ipywidgets")

from solara.components.datatable import DataTableWidget  # noqa: E402

from sim.app import live as live_mod  # noqa: E402
from sim.app.compare import ComparePage, run_comparison  # noqa: E402
from sim.app.live import (  # noqa: E402
    LEVERS,
    LivePage,
    LiveSession,
    apply_levers,
    coerce_seed,
    list_scenarios,
    load_scenario_file,
)
from sim.app.portrayal import NetworkView  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SMALL = """name = "Small estate"
description = "A smaller community with palatable hub activity (widget test)."
extends = "baseline.toml"

[population]
n_residents = 300

[[interventions]]
type = "palatable_activity"
start_day = 2
end_day = 20
"""


@pytest.fixture
def scenario_dir(tmp_path, monkeypatch) -> Path:
    """A scenarios folder with the project's baseline and a small community extending it."""
    shutil.copy(ROOT / "scenarios" / "baseline.toml", tmp_path / "baseline.toml")
    (tmp_path / "small.toml").write_text(SMALL)
    monkeypatch.setenv("KINDLINESS_SCENARIOS_DIR", str(tmp_path))
    return tmp_path


def _text(rc, cls: str) -> str:
    return rc.find(v.Html, class_=cls).widget.children[0]


def _image(rc, cls: str) -> bytes:
    found = [w for w in rc.find(widgets.Image).widgets if cls in w._dom_classes]
    assert len(found) == 1, f"expected one {cls} image"
    return found[0].value


def _render_live():
    return solara.render(solara.AppLayout(children=[LivePage()]), handle_error=False)


# -- live page --------------------------------------------------------------------------------


def test_live_page_has_its_controls(scenario_dir):
    _, rc = _render_live()
    for cls in ("live-play", "live-step", "live-reset", "live-week", "live-month"):
        rc.find(v.Btn, class_=cls).assert_single()
    picker = rc.find(v.Select, label="Starting scenario").widget
    assert picker.items == ["Baseline (baseline.toml)", "Small estate (small.toml)"]
    rc.find(v.Select, label="Dot size shows").assert_single()
    assert len(rc.find(v.Slider)) == len(LEVERS)
    for lever in LEVERS:  # each lever names its value in plain words, with a tooltip
        assert rc.find(v.Html, children=[f"{lever.label}: "
                                         f"{lever.get(load_scenario_file(None)):,}"
                                         if lever.integer else
                                         f"{lever.label}: "
                                         f"{lever.get(load_scenario_file(None)):g}"])
        assert lever.tooltip.endswith(").") and len(lever.tooltip) > 30
    rc.find(v.TextField, label="Seed (a whole number)").assert_single()
    assert _text(rc, "day-counter") == "Day 0"
    assert _image(rc, "live-network")[:4] == b"\x89PNG"
    assert _image(rc, "live-charts")[:4] == b"\x89PNG"
    assert "1,000 residents" in _text(rc, "live-community")


def test_step_advances_the_day_and_redraws(scenario_dir):
    _, rc = _render_live()
    net0, charts0 = _image(rc, "live-network"), _image(rc, "live-charts")
    rc.find(v.Btn, class_="live-step").widget.click()
    assert _text(rc, "day-counter") == "Day 1"
    rc.find(v.Btn, class_="live-week").widget.click()
    assert _text(rc, "day-counter") == "Day 8"
    assert _image(rc, "live-network") != net0
    assert _image(rc, "live-charts") != charts0


def test_reset_with_another_scenario_builds_another_community(scenario_dir):
    _, rc = _render_live()
    rc.find(v.Btn, class_="live-step").widget.click()
    net_before = _image(rc, "live-network")
    rc.find(v.Select, label="Starting scenario").widget.v_model = "Small estate (small.toml)"
    # the sliders follow the chosen file; nothing changes until Reset
    assert rc.find(v.Html, children=["Residents: 300"])
    assert "1,000 residents" in _text(rc, "live-community")
    rc.find(v.Btn, class_="live-reset").widget.click()
    assert _text(rc, "day-counter") == "Day 0"
    assert _text(rc, "live-community").startswith("Small estate (small.toml): 300 residents")
    assert _image(rc, "live-network") != net_before
    assert rc.find(v.Html, children=["Interventions: Palatable activity: days 2-20"])


def test_seed_typed_as_text_is_coerced_and_bad_seeds_are_explained(scenario_dir):
    assert coerce_seed(" 42 ") == 42
    assert coerce_seed("42.0") == 42
    assert coerce_seed(7) == 7
    for bad in ("abc", "4.5", "-1"):
        with pytest.raises(ValueError, match="whole number"):
            coerce_seed(bad)
    _, rc = _render_live()
    rc.find(v.TextField, label="Seed (a whole number)").widget.v_model = " 123 "
    rc.find(v.Btn, class_="live-reset").widget.click()
    assert _text(rc, "live-community").endswith("seed 123")
    rc.find(v.TextField, label="Seed (a whole number)").widget.v_model = "twelve"
    rc.find(v.Btn, class_="live-reset").widget.click()
    assert "not a whole number" in str(rc.find(v.Alert).widgets[0].children)
    assert _text(rc, "live-community").endswith("seed 123")  # the community is kept


def test_levers_change_a_copy_of_the_scenario():
    base = load_scenario_file(None)
    changed = apply_levers(base, {"n_residents": 400.0, "p_need": 0.02})
    assert changed.model.population.n_residents == 400
    assert changed.model.rules.p_need == 0.02
    assert base.model.population.n_residents == 1000
    with pytest.raises(KeyError):
        apply_levers(base, {"n_resident": 400})


def test_list_scenarios_falls_back_to_the_built_in_defaults(tmp_path):
    assert list_scenarios(tmp_path) == {live_mod.BUILT_IN: None}
    assert load_scenario_file(None).model.population.n_residents == 1000


def test_resident_state_is_in_plain_words():
    session = LiveSession(load_scenario_file(None).with_overrides(residents=200), 1)
    rows = dict(session.resident_state(5))
    assert rows["Resident number"] == "5"
    assert rows["Trust in other groups (0-1)"].replace(".", "").isdigit()
    assert rows["Bridge figure"] in ("yes", "no")


# -- the drawing ------------------------------------------------------------------------------


def test_layout_is_computed_once_and_sections_sit_apart():
    session = LiveSession(load_scenario_file(None).with_overrides(residents=600), 3)
    view: NetworkView = session.network
    pos = view.layout.pos.copy()
    session.step(14)  # two tie merges
    session.render("need", 10)
    assert view.layout.pos is not None and np.array_equal(view.layout.pos, pos)
    pop = session.model.pop
    centres = np.array([pos[pop.section == k].mean(axis=0)
                        for k in range(len(pop.section_names))])
    spread = max(np.linalg.norm(pos[pop.section == k] - centres[k], axis=1).mean()
                 for k in range(len(pop.section_names)))
    gaps = [np.linalg.norm(centres[i] - centres[j]) for i in range(len(centres))
            for j in range(i + 1, len(centres))]
    assert min(gaps) > 2 * spread, "sections should occupy separate regions"
    # every current tie is drawn, bonding and bridging apart
    half = session.model.ties.src < session.model.ties.dst
    n_bridging = int(session.model.ties.bridging[half].sum())
    assert len(view.bridging.get_segments()) == n_bridging
    assert len(view.bonding.get_segments()) == int(half.sum()) - n_bridging


def test_same_community_draws_the_same_picture():
    a = LiveSession(load_scenario_file(None).with_overrides(residents=300), 5)
    b = LiveSession(load_scenario_file(None).with_overrides(residents=300), 5)
    a.step(3)
    b.step(3)
    assert a.render("strain", 1).network_png == b.render("strain", 1).network_png


# -- compare page -----------------------------------------------------------------------------


def test_small_comparison_gives_table_charts_and_downloads(scenario_dir):
    scenarios = [load_scenario_file(scenario_dir / f) for f in ("baseline.toml", "small.toml")]
    seen = []
    c = run_comparison(scenarios, days=20, replicates=2, seed=9, residents=200,
                       on_progress=lambda done, total: seen.append((done, total)))
    try:
        assert seen[-1] == (4, 4)
        table = c.effects_table()
        assert set(table["Scenario"]) == {"Small estate"}
        assert "Trust other groups (% of residents)" in set(table["Measure"])
        assert table.filter(like="95% interval").iloc[0].dropna().str.contains(r"\(").all()
        seeds = c.seeds_table()
        by_scenario = seeds.groupby("scenario")["seed"].apply(list)
        assert by_scenario["Baseline"] == by_scenario["Small estate"]  # paired replicates
        assert c.chart_png("trust_out_group")[:4] == b"\x89PNG"
        names = zipfile.ZipFile(io.BytesIO(c.zip_bytes())).namelist()
        for want in ("summary.csv", "effects.csv", "daily.csv", "seeds.csv",
                     "scenarios.json", "scenario-files/small.toml",
                     "charts/loneliness_share.png"):
            assert want in names
        assert c.daily_csv().startswith(b"scenario,replicate,day,metric,value")
    finally:
        c.remove()
    assert not c.out_dir.exists()


def test_compare_page_runs_and_shows_its_table(scenario_dir):
    _, rc = solara.render(solara.AppLayout(children=[ComparePage()]), handle_error=False)
    picker = rc.find(v.Select, label="Scenarios").widget
    assert picker.v_model == ["Baseline (baseline.toml)", "Small estate (small.toml)"]
    sliders = rc.find(v.Slider).widgets
    assert len(sliders) == 3  # replicates, days, residents (in that order)
    for slider, value in zip(sliders, (2, 30, 200), strict=True):
        slider.v_model = value
    for text in ("Replicates per scenario: 2", "Days to simulate: 30", "Residents: 200"):
        rc.find(v.Html, children=[text]).assert_single()
    rc.find(v.Btn, class_="compare-run").widget.click()
    rc.find(v.Html, class_="compare-done").wait_for(timeout=120)
    assert "2 scenarios x 2 replicates x 30 days" in _text(rc, "compare-done")
    table = rc.find(DataTableWidget).widget
    assert table.total_length == 7  # one row per core metric for the one other scenario
    assert {row["Measure"] for row in table.items} >= {"Trust other groups (% of residents)",
                                                       "Resentful (% of residents)"}
    labels = [str(w.children) for w in rc.find(v.Btn).widgets]
    for want in ("Effects table (CSV)", "Daily values (CSV)", "Seeds (CSV)",
                 "Everything (zip)"):
        assert any(want in lab for lab in labels), want
    rc.close()


# -- server -----------------------------------------------------------------------------------


def test_serve_says_how_to_get_missing_assets(tmp_path, monkeypatch, capsys):
    import socket

    from sim.app.server import EXIT_NO_ASSETS, serve

    with socket.socket() as s:  # a port that is free (the port is checked before the assets)
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setenv("KINDLINESS_ASSETS_DIR", str(tmp_path / "empty"))
    assert serve("127.0.0.1", port, open_browser=False) == EXIT_NO_ASSETS
    err = capsys.readouterr().err
    assert "python run.py assets" in err and str(tmp_path / "empty") in err
