"""The comparison's outputs, from real (tiny) ensembles: report.html, summary.csv, daily.csv,
charts and manifest.json; never-overwriting folders and atomic writes; effects in words.

The ensemble runs in this process (``workers=1``) on communities of 200 residents for 30 days,
two paired replicates per scenario: small enough to be quick, real enough that every number
in the outputs comes from the model."""

from __future__ import annotations

import base64
import hashlib
import json
import math
import re
from datetime import datetime
from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd
import pytest

from sim.metrics import CORE_METRICS, REGISTRY
from sim.report import charts
from sim.report.job import headline_metrics, run_job
from sim.report.outputs import new_output_dir, write_text_atomic
from sim.report.units import display
from sim.report.words import effect_sentence
from sim.scenario import load_scenarios

matplotlib.use("Agg")

DAYS, REPLICATES, RESIDENTS = 30, 3, 200
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"

BASELINE = f"""
name = "Baseline"
description = "The community as it is, with no intervention."
[run]
days = {DAYS}
replicates = {REPLICATES}
seed = 7
[population]
n_residents = {RESIDENTS}
"""
ACTIVITY = """
extends = "baseline.toml"
name = "Palatable activity"
description = "Reframed activity at every hub."
[[interventions]]
type = "palatable_activity"
label = "Craft table and lunch club"
start_day = 10
end_day = 25
"""
BRIDGING = """
extends = "baseline.toml"
name = "More bridging ties"
description = "Three in ten ties cross sections."
[network]
share_bridging = 0.3
"""


def write_scenarios(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, text in (("baseline", BASELINE), ("activity", ACTIVITY), ("bridging", BRIDGING)):
        p = folder / f"{name}.toml"
        p.write_text(text)
        paths.append(p)
    return paths


@pytest.fixture(scope="module")
def compared(tmp_path_factory):
    """One real comparison of three scenarios, shared by the tests that read its outputs."""
    root = tmp_path_factory.mktemp("compare")
    paths = write_scenarios(root / "scenarios")
    scenarios = load_scenarios([str(p) for p in paths])
    out = new_output_dir(root / "results", "compare")
    result = run_job(scenarios, out, kind="compare", command=["test"], workers=1)
    return result, scenarios, paths


# -- report.html ------------------------------------------------------------------------------


def test_report_names_every_scenario_and_every_core_metric(compared):
    result, scenarios, _ = compared
    text = result.report.read_text()
    for s in scenarios:
        assert s.name in text
        assert s.description in text
    for m in CORE_METRICS:
        assert REGISTRY[m].label in text, m
    # the intervention and its window are named
    assert "Craft table and lunch club" in text
    assert "days 10\u201325" in text


def test_report_is_self_contained_and_says_how_it_was_made(compared):
    result, _, paths = compared
    text = result.report.read_text()
    # no external assets: images inlined, CSS inline, no scripts or stylesheets to fetch
    assert "<script" not in text and "<link" not in text
    assert not re.search(r"""src=["'](?!data:)""", text)
    images = re.findall(r'src="data:image/png;base64,([^"]+)"', text)
    n_charts = len(list((result.out_dir / "charts").glob("*.png")))
    assert len(images) == n_charts >= len(CORE_METRICS) + 1
    assert all(base64.b64decode(i)[:8] == PNG_MAGIC for i in images)
    # what was compared and how
    assert f"{REPLICATES} times" in text and f"{DAYS} days" in text
    assert re.search(rf"<td class='num'>{REPLICATES}</td>", text)  # runs per scenario
    assert f"{RESIDENTS:,} residents" in text and "same random seed" in text
    # caveats, the model card, scenario definitions (the file text), metadata
    assert "illustrative" in text and "assumptions unless calibrated" in text.lower() \
        or "Parameters are assumptions unless calibrated" in text
    assert "MODEL.md" in text
    assert "share_bridging = 0.3" in text  # the file as written
    assert "manifest.json" in text


def test_key_effects_are_in_words_for_each_scenario(compared):
    result, _, _ = compared
    text = result.report.read_text()
    summary = pd.read_csv(result.out_dir / "summary.csv")
    row = summary[(summary.scenario == "More bridging ties")
                  & (summary.metric == "bridging_ties_share")].iloc[0]
    # 30% instead of 12% of starting ties cross sections: a clear rise, in points
    assert row.effect_end_lo > 0
    sentence = effect_sentence("More bridging ties", "bridging_ties_share", row, day=DAYS,
                               baseline="Baseline")
    assert sentence in text.replace("&#x27;", "'")
    assert sentence.startswith("More bridging ties raised \u201cTies that bridge groups\u201d by")
    assert f"by day {DAYS} compared with Baseline: better." in sentence


def test_effect_sentence_wording():
    row = {"effect_end": 0.041, "effect_end_lo": 0.023, "effect_end_hi": 0.059}
    assert effect_sentence("Opening a community cafe", "trust_out_group", row, day=730,
                           baseline="the baseline") == (
        "Opening a community cafe raised \u201cTrust other groups\u201d by 4.1 percentage points "
        "(95% interval 2.3 to 5.9) by day 730 compared with the baseline: better.")
    row = {"effect_end": 0.02, "effect_end_lo": 0.01, "effect_end_hi": 0.03}
    assert effect_sentence("X", "loneliness_share", row, day=10,
                           baseline="B").endswith(": worse.")
    row = {"effect_end": -0.022, "effect_end_lo": -0.030, "effect_end_hi": -0.015}
    assert effect_sentence("X", "loneliness_share", row, day=10, baseline="B") == (
        "X lowered \u201cLonely often or always\u201d by 2.2 percentage points (95% interval "
        "1.5 to 3.0) by day 10 compared with B: better.")
    row = {"effect_end": -0.01, "effect_end_lo": -0.03, "effect_end_hi": 0.01}
    s = effect_sentence("X", "unmet_need", row, day=10, baseline="B")
    assert s.startswith("X made no clear change to") and "includes no change" in s


# -- summary.csv, daily.csv, charts, manifest.json ---------------------------------------------


def test_summary_csv_has_one_row_per_scenario_and_metric(compared):
    result, scenarios, _ = compared
    summary = pd.read_csv(result.out_dir / "summary.csv")
    for col in ("scenario", "metric", "label", "unit", "n_replicates", "median_end", "band_lo",
                "band_hi", "effect_end", "effect_end_lo", "effect_end_hi", "effect_lastq",
                "effect_lastq_lo", "effect_lastq_hi"):
        assert col in summary.columns, col
    assert not summary.duplicated(["scenario", "metric"]).any()
    assert list(dict.fromkeys(summary.scenario)) == [s.name for s in scenarios]
    for s in scenarios:
        assert set(CORE_METRICS) <= set(summary[summary.scenario == s.name].metric)
    base = summary[summary.scenario == "Baseline"]
    assert base.effect_end.isna().all()
    others = summary[(summary.scenario != "Baseline") & summary.metric.isin(CORE_METRICS)]
    assert others.effect_end.notna().all() and (others.n_replicates == REPLICATES).all()
    assert (others.effect_end_lo <= others.effect_end).all()
    assert (others.effect_end <= others.effect_end_hi).all()
    assert summary.loc[summary.metric == "trust_out_group", "label"].iloc[0] == \
        "Trust other groups"


def test_daily_csv_holds_the_models_own_numbers(compared):
    """daily.csv is tidy and its values are what a fresh model with the manifest's seed
    produces."""
    result, scenarios, _ = compared
    daily = pd.read_csv(result.out_dir / "daily.csv")
    assert list(daily.columns) == ["scenario", "replicate", "day", "metric", "value"]
    assert set(daily.scenario) == {s.name for s in scenarios}
    assert sorted(set(daily.replicate)) == list(range(REPLICATES))
    assert daily.day.min() == 0 and daily.day.max() == DAYS
    assert set(CORE_METRICS) <= set(daily.metric)
    assert not daily.metric.str.contains(r"\[").any()  # breakdowns stay in runs/
    manifest = json.loads((result.out_dir / "manifest.json").read_text())
    seed = manifest["seeds"]["replicate_seeds"][1]
    model = scenarios[2].build_model(seed)
    model.run_days(DAYS)
    expected = model.metrics.frame()["trust_out_group"].to_numpy()
    got = daily[(daily.scenario == scenarios[2].name) & (daily.replicate == 1)
                & (daily.metric == "trust_out_group")].sort_values("day").value.to_numpy()
    np.testing.assert_allclose(got, expected)


def test_charts_exist_for_every_metric_effects_and_interventions(compared):
    """A chart per registered metric; the interventions' own counts share one chart."""
    result, _, _ = compared
    summary = pd.read_csv(result.out_dir / "summary.csv")
    heads = headline_metrics(summary.metric)
    assert "palatable_activity_reached" in heads
    for m in [h for h in heads if h in REGISTRY]:
        png = result.out_dir / "charts" / f"{m}.png"
        assert png.read_bytes()[:8] == PNG_MAGIC, m
    for name in ("effects.png", "interventions.png"):
        assert (result.out_dir / "charts" / name).read_bytes()[:8] == PNG_MAGIC


def test_manifest_records_files_hashes_seeds_versions_and_times(compared):
    result, scenarios, paths = compared
    m = json.loads((result.out_dir / "manifest.json").read_text())
    assert [s["name"] for s in m["scenarios"]] == [s.name for s in scenarios]
    for entry, path in zip(m["scenarios"], paths, strict=True):
        assert entry["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert len(m["seeds"]["replicate_seeds"]) == REPLICATES
    assert m["seeds"]["root_seed"] == 7
    assert {"numpy", "pandas", "matplotlib", "mesa"} <= set(m["packages"])
    assert m["python"].count(".") == 2
    assert "git_commit" in m
    assert datetime.fromisoformat(m["started"]) <= datetime.fromisoformat(m["finished"])
    assert m["timings_s"]["runs"] > 0 and m["timings_s"]["total"] >= m["timings_s"]["runs"]
    assert m["baseline"] == "Baseline" and m["missing_runs"] == []


# -- folders and atomic writes ----------------------------------------------------------------


def test_output_folders_never_overwrite(tmp_path):
    when = datetime(2026, 11, 25, 1, 2)
    a = new_output_dir(tmp_path, "compare", now=when)
    b = new_output_dir(tmp_path, "compare", now=when)
    assert a.name == "2026-11-25T0102-compare" and b.name == "2026-11-25T0102-compare-2"
    assert a.is_dir() and b.is_dir()


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path):
    from sim.report import outputs

    target = tmp_path / "summary.csv"
    write_text_atomic(target, "old\n")

    def half_then_fail(fh):
        fh.write(b"partial")
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        outputs._atomic(target, half_then_fail)
    assert target.read_text() == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["summary.csv"]


# -- charts -----------------------------------------------------------------------------------


def test_verdict_uses_the_better_direction():
    assert charts.verdict(0.01, 0.03, True) == "better"
    assert charts.verdict(0.01, 0.03, False) == "worse"
    assert charts.verdict(-0.03, -0.01, False) == "better"
    assert charts.verdict(-0.01, 0.02, True) == "unclear"
    assert charts.verdict(0.01, 0.02, None) == "changed"
    assert charts.verdict(math.nan, 0.02, True) == "unclear"


def test_plot_functions_take_an_ax_and_return_the_figure(compared):
    import matplotlib.pyplot as plt

    from sim.ensemble import summarise

    result, _, _ = compared
    s = summarise(result.out_dir)
    fig, ax = plt.subplots()
    out = charts.plot_metric(s.bands[s.bands.scenario == "Baseline"], "trust_out_group",
                             ax=ax)
    assert out is fig and ax.get_ylabel() == display("trust_out_group").axis
    plt.close(fig)
    eff = s.summary.rename(columns={"effect_end": "effect", "effect_end_lo": "effect_lo",
                                    "effect_end_hi": "effect_hi"}).dropna(subset=["effect"])
    fig, ax = plt.subplots()
    assert charts.plot_effects(eff, ["unmet_need"], baseline="Baseline", ax=ax) is fig
    assert "better" in ax.get_xlabel() and "worse" in ax.get_xlabel()
    plt.close(fig)
