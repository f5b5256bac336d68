"""The comparison's outputs, from real (tiny) ensembles: report.html, summary.csv,
daily.csv.gz, durability.csv, charts and manifest.json; never-overwriting folders and atomic
writes. (Effects in words: test_report_words.py; numbers for people: test_report_units.py.)

The ensemble runs in this process (``workers=1``) on communities of 200 residents for 30 days,
two paired replicates per scenario: small enough to be quick, real enough that every number
in the outputs comes from the model."""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from datetime import datetime
from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd
import pytest

from sim.costs import scenario_cost
from sim.metrics import CORE_METRICS, REGISTRY
from sim.report import charts
from sim.report.daily import headline_metrics
from sim.report.decision import HEADLINE_OUTCOMES, PICK_ORDER
from sim.report.job import run_job
from sim.report.outputs import new_output_dir, write_text_atomic
from sim.report.programmes import steady_window
from sim.report.units import display, fmt_share_of
from sim.report.verdict import verdict
from sim.scenario import load_scenarios

matplotlib.use("Agg")

DAYS, REPLICATES, RESIDENTS = 30, 3, 200
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
# a float in scientific notation ("1.1e-17", "2e+05"); hashes such as "6e9f..." do not count
E_NOTATION = re.compile(r"\d[eE][-+]\d")

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
description = "Bridge figures who introduce people across sections."
[[interventions]]
type = "bridge_figures"
label = "Bridge figures from day one"
start_day = 1
figures = 50
choose_by = "random"
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


def visible_prose(page: str) -> str:
    """The report's text outside the scenario files it quotes (<pre>, <code>) and the
    embedded images: what the report itself says."""
    page = re.sub(r"<pre>.*?</pre>", " ", page, flags=re.S)
    page = re.sub(r"<code>.*?</code>", " ", page, flags=re.S)
    page = re.sub(r'src="data:[^"]+"', " ", page)
    page = re.sub(r"<style>.*?</style>", " ", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


# -- report.html ------------------------------------------------------------------------------


def test_report_names_every_scenario_outcome_and_intervention(compared):
    result, scenarios, _ = compared
    text = html.unescape(result.report.read_text())
    for s in scenarios:
        assert s.name in text
        assert s.description in text
    for m in HEADLINE_OUTCOMES:
        assert REGISTRY[m].label in text, m
    assert "Strain on helpers" in text and "Not measured yet" not in text
    assert "Craft table and lunch club" in text
    assert "days 10\u201325" in text


def test_the_decision_card_comes_first_and_uses_the_steady_window(compared):
    result, scenarios, _ = compared
    page = result.report.read_text()
    assert page.index("id='decision'") < page.index("id='ranking'") < page.index("id='charts'")
    first, last = steady_window(DAYS)
    assert f"days {first} to {last}" in page  # the window is stated
    # the card names, for each measured headline outcome, the option with the best steady
    # effect among those with the best verdict (clearly better, else not clearly worse), and
    # the effect as summary.csv has it
    summary = pd.read_csv(result.out_dir / "summary.csv")
    card = page[page.index("id='decision'"):page.index("id='ranking'")]
    for m in HEADLINE_OUTCOMES:
        d = display(m)
        rows = summary[(summary.metric == m) & summary.effect_steady.notna()]
        sign = 1 if d.higher_is_better else -1
        tier = [PICK_ORDER[verdict(r.effect_steady_lo, r.effect_steady_hi, d.higher_is_better)]
                for r in rows.itertuples()]
        best = rows.loc[rows.assign(tier=tier, by=-sign * rows.effect_steady)
                        .sort_values(["tier", "by"]).index[0]]
        block = card[card.index(f"<h3>{d.label}</h3>"):]
        block = block[:block.index("</div>")]
        assert html.escape(best.scenario) in block, m
        assert d.effect_in(best.effect_steady, best.effect_steady_lo,
                           best.effect_steady_hi) in block, m
        # a share of a few runs as a count ("Best in 2 of 3 paired runs"; "100% of 3"
        # read as certainty beside an unclear verdict: a user check)
        share = fmt_share_of(best.p_best, scenarios[0].run.replicates)
        assert f"Best in {share}" in block, (m, share)


def test_report_is_self_contained_links_full_charts_and_says_how_it_was_made(compared):
    result, _, _ = compared
    text = result.report.read_text()
    # no external assets: images inlined, CSS inline, no scripts or stylesheets to fetch;
    # one inline script, which shows a chart full size in place and says where a table is
    # wider than the screen (the page works without it)
    from sim.report.html import PAGE_SCRIPT

    assert "<link" not in text and not re.search(r"<script[^>]*\bsrc=", text)
    assert text.count("<script") == 1 and f"<script>{PAGE_SCRIPT}</script>" in text
    assert not re.search(r"""src=["'](?!data:)""", text)
    images = re.findall(r'src="data:image/png;base64,([^"]+)"', text)
    n_charts = len(list((result.out_dir / "charts").glob("*.png")))
    assert len(images) == n_charts >= 4
    assert all(base64.b64decode(i)[:8] == PNG_MAGIC for i in images)
    # every chart links to its full-size file beside the report
    links = re.findall(r"<a href='(charts/[^']+\.png)'><img", text)
    assert len(links) == n_charts
    assert all((result.out_dir / link).is_file() for link in links)
    # what was compared and how
    assert f"{REPLICATES} paired runs" in text and f"{DAYS} days" in text
    assert f"{RESIDENTS:,} residents" in text and "same random seed" in text
    assert "illustrative" in text and "Parameters are assumptions unless calibrated" in text
    assert "MODEL.md" in text and "manifest.json" in text
    assert "figures = 50" in text  # the file as written


def test_report_has_no_raw_floats_no_internal_names_and_arrows_follow_better(compared):
    result, scenarios, _ = compared
    prose = visible_prose(result.report.read_text())
    assert not E_NOTATION.search(prose), E_NOTATION.search(prose)
    assert "\u25b2 -" not in prose and "\u25b2 \u2212" not in prose
    assert not re.search(r"(?<![\w.])-0\.0\b", prose)
    names = set(REGISTRY) | {m for s in scenarios for iv in s.interventions
                             for m in (x.name for x in iv.metrics())}
    leaked = sorted(n for n in names if re.search(rf"\b{n}\b", prose))
    assert leaked == []
    # a worse change is marked worse whichever way it goes: less unmet need is better
    assert "\u2714 better" in prose and "\u25cb unclear" in prose
    # every figure per GBP 10,000 says its unit (a user check: "Most per GBP 10,000: Shared
    # myth (+1.81)")
    for figure in re.findall(r"Most per \u00a310,000: [^(]*\(([^)]*)\)", prose):
        assert re.search(r"\d (points|per 1,000|[a-z])", figure), figure
    # value for money only beside a clear improvement (a user check: "+0.90 points per
    # £10,000" beside "Least change for the worse" read as money buying an improvement)
    page = result.report.read_text()
    picks = re.findall(r"<div class='pick pick-(\w+)'>(.*?)</div>", page, re.S)
    assert picks
    for kind, box in picks:
        if "per \u00a310,000 (" in html.unescape(box):
            assert kind == "better", box
    # the measures in words are parted by semicolons, as their names hold commas (a user
    # check: "all helpers under strain, per 1,000 residents, burnt out ...")
    unclear = re.findall(r"No clear change in ([^.]*(?:\.\d[^.]*)*)\.", prose)
    assert unclear and all("residents, " not in u for u in unclear), unclear


def _own_decimals(disp, x: float) -> int:
    """The decimals a level of ``disp``'s measure has on its own (Display.value)."""
    return len(disp.value(x).split()[0].rstrip("%").partition(".")[2])


def test_a_level_reads_the_same_everywhere_and_a_pair_gains_at_most_one_decimal(compared):
    """A user check: the baseline's "Trust own group" read "78.673%" in one option's table
    and "79%" in another's, and pairs such as "18.722% to 18.707%" and "6.654% to 6.126%"
    carried three decimals more than the measure's own. The baseline's level prints as it
    does alone (the ranking's baseline row) in the card, the strain table and every option's
    table; an option's level has at most one decimal more than its own."""
    result, scenarios, _ = compared
    page = result.report.read_text()
    summary = pd.read_csv(result.out_dir / "summary.csv")
    base_name = scenarios[0].name
    base = summary[summary.scenario == base_name].set_index("metric")["mean_steady"]
    seen = 0
    # every option's table of every core measure: Baseline | This option | Change ...
    tables = re.findall(r"<details><summary>Every core measure for this option</summary>"
                        r"(.*?)</details>", page, flags=re.S)
    assert len(tables) == len(scenarios) - 1
    option_rows = summary[summary.scenario != base_name].set_index(["scenario", "metric"])
    for table, s in zip(tables, scenarios[1:], strict=True):
        for m in CORE_METRICS:
            disp = display(m)
            row = re.search(rf"<tr><td class='name'>{re.escape(html.escape(disp.label))}</td>"
                            r"<td class='num'>([^<]*)</td><td class='num'>([^<]*)</td>", table)
            if row is None or m not in base.index:
                continue
            shown_base, shown_level = (html.unescape(x) for x in row.groups())
            assert shown_base == disp.value(base[m]), (s.name, m, shown_base)
            level = option_rows.loc[(s.name, m), "mean_steady"]
            extra = _own_decimals(disp, level)
            assert len(shown_level.split()[0].rstrip("%").partition(".")[2]) <= extra + 1, (
                s.name, m, shown_level)
            seen += 1
    assert seen >= 2 * 12  # two options, most core measures
    # the ranking's baseline row, the strain table's and the card's levels: the same text
    ranking = page[page.index("id='ranking'"):page.index("id='strain'")]
    strain = page[page.index("id='strain'"):page.index("</table>", page.index("id='strain'"))]
    card = page[page.index("id='decision'"):page.index("id='ranking'")]
    for m in HEADLINE_OUTCOMES:
        if m not in base.index:
            continue
        shown = html.escape(display(m).value(base[m]))
        block = card[card.index(f"<h3>{html.escape(display(m).label)}</h3>"):]
        block = block[:block.index("</div>")]
        assert f"<p class='muted'>{shown} → " in block, (m, shown)
        assert f"<td class='num split'><span>{shown}</span>" in ranking, (m, shown)
    rows = re.findall(r"<tr>(.*?)</tr>", strain, flags=re.S)
    heads = [html.unescape(h) for h in re.findall(r"<th[^>]*>(.*?)</th>", rows[0])]
    for m in ("helper_strain", "strained_per_1000", "burnout_per_1000"):
        col = [k for k, h in enumerate(heads) if h.startswith(display(m).short + " <")]
        if m not in base.index or not col:
            continue
        shown = display(m).value(base[m])
        for row in rows[1:]:
            cells = re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.S)
            text = html.unescape(re.sub(r"<[^>]+>", "", cells[col[0]]))
            assert text == shown or text.startswith(f"{shown} → "), (m, text, shown)
            seen += 1
    assert seen >= 2 * 12 + 3 * 2  # and the strain table's rows


# -- summary.csv, daily.csv.gz, durability.csv, charts, manifest.json -------------------------


def test_summary_csv_has_effects_costs_and_chances_of_being_best(compared):
    result, scenarios, _ = compared
    summary = pd.read_csv(result.out_dir / "summary.csv")
    for col in ("scenario", "metric", "label", "unit", "n_replicates", "median_end", "band_lo",
                "band_hi", "effect_end", "effect_end_lo", "effect_end_hi", "effect_lastq",
                "steady_first_day", "steady_last_day", "mean_steady", "effect_steady",
                "effect_steady_lo", "effect_steady_hi", "cost_per_year_gbp", "cost_total_gbp",
                "effect_per_10k_gbp", "effect_per_10k_gbp_lo", "effect_per_10k_gbp_hi",
                "p_best", "average_rank"):
        assert col in summary.columns, col
    assert not summary.duplicated(["scenario", "metric"]).any()
    assert list(dict.fromkeys(summary.scenario)) == [s.name for s in scenarios]
    for s in scenarios:
        assert set(CORE_METRICS) <= set(summary[summary.scenario == s.name].metric)
    base = summary[summary.scenario == "Baseline"]
    assert base.effect_steady.isna().all() and (base.cost_per_year_gbp == 0).all()
    others = summary[(summary.scenario != "Baseline") & summary.metric.isin(CORE_METRICS)]
    assert others.effect_steady.notna().all() and (others.n_replicates == REPLICATES).all()
    assert (others.effect_steady_lo <= others.effect_steady).all()
    assert (others.effect_steady <= others.effect_steady_hi).all()
    assert set(zip(summary.steady_first_day, summary.steady_last_day, strict=True)) == {
        steady_window(DAYS)}
    # cost per year is the scenario's, and effects per GBP 10,000 follow from it
    for s in scenarios[1:]:
        rows = summary[summary.scenario == s.name]
        cost = scenario_cost(s, DAYS).per_year_gbp
        assert cost > 0 and rows.cost_per_year_gbp.iloc[0] == pytest.approx(cost)
        r = rows.set_index("metric").loc["trust_out_group"]
        for sfx in ("", "_lo", "_hi"):
            assert r[f"effect_per_10k_gbp{sfx}"] == pytest.approx(
                r[f"effect_steady{sfx}"] * 10_000 / cost)
    # chances of being best: over the options and doing nothing, they add up to one
    for m in HEADLINE_OUTCOMES:
        p = summary[summary.metric == m].p_best
        assert p.notna().all() and p.sum() == pytest.approx(1.0), m
    assert summary.loc[summary.metric == "trust_out_group", "label"].iloc[0] == \
        "Trust other groups"


def test_daily_csv_gz_holds_the_models_own_numbers(compared):
    """daily.csv.gz: one row per scenario, run and day, one column per measure; its values
    are what a fresh model with the manifest's seed produces."""
    result, scenarios, _ = compared
    daily = pd.read_csv(result.out_dir / "daily.csv.gz")
    assert list(daily.columns[:3]) == ["scenario", "replicate", "day"]
    assert set(daily.scenario) == {s.name for s in scenarios}
    assert sorted(set(daily.replicate)) == list(range(REPLICATES))
    assert daily.day.min() == 0 and daily.day.max() == DAYS
    assert len(daily) == len(scenarios) * REPLICATES * (DAYS + 1)
    assert set(CORE_METRICS) <= set(daily.columns)
    assert not any("[" in c for c in daily.columns)  # breakdowns stay in runs/
    assert "palatable_activity_reached" in daily.columns  # interventions' own measures
    assert daily.loc[daily.scenario == "Baseline", "palatable_activity_reached"].isna().all()
    manifest = json.loads((result.out_dir / "manifest.json").read_text())
    seed = manifest["seeds"]["replicate_seeds"][1]
    model = scenarios[2].build_model(seed)
    model.run_days(DAYS)
    expected = model.metrics.frame()["trust_out_group"].to_numpy()
    got = daily[(daily.scenario == scenarios[2].name) & (daily.replicate == 1)] \
        .sort_values("day").trust_out_group.to_numpy()
    np.testing.assert_allclose(got, expected, atol=1e-6)


def test_durability_follows_a_programme_after_it_ends(compared):
    result, _, _ = compared
    lasting = pd.read_csv(result.out_dir / "durability.csv")
    assert set(lasting.scenario) == {"Palatable activity"}
    assert set(lasting.end_day) == {25} and set(lasting.months_after_end) == {0, 6, 12}
    at_end = lasting[lasting.months_after_end == 0]
    assert at_end.effect.notna().all()
    later = lasting[lasting.months_after_end > 0]
    assert later.effect.isna().all() and (later.verdict == "after the run").all()
    # each row's unit, as summary.csv gives it (a user check: shares and counts per 1,000
    # side by side, unsaid)
    summary = pd.read_csv(result.out_dir / "summary.csv")
    units = dict(zip(summary.metric, summary.unit.fillna(""), strict=False))
    assert lasting.unit.notna().all()
    assert [u for u in lasting.unit] == [units[m] for m in lasting.metric]
    assert len(set(lasting.unit)) > 1
    page = result.report.read_text()
    assert "After a programme ends" in page
    # the scenario, then its programme: no name in brackets beside a label in brackets
    heading = [h for h in page.split("<h3>") if "which ends on day 25</h3>" in h]
    assert len(heading) == 1 and heading[0].startswith("Palatable activity: "), heading
    assert "(" not in heading[0].split("</h3>")[0], heading[0][:120]


def test_charts_exist_for_the_headline_outcomes_strain_effects_and_interventions(compared):
    result, _, _ = compared
    summary = pd.read_csv(result.out_dir / "summary.csv")
    heads = headline_metrics(summary.metric)
    assert "palatable_activity_reached" in heads
    for m in [*HEADLINE_OUTCOMES, "burnout_per_1000", "strained_per_1000"]:
        png = result.out_dir / "charts" / f"{m}.png"
        assert png.read_bytes()[:8] == PNG_MAGIC, m
    for name in ("effects.png", "interventions.png"):
        assert (result.out_dir / "charts" / name).read_bytes()[:8] == PNG_MAGIC


def test_manifest_records_files_hashes_seeds_versions_costs_and_times(compared):
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
    t = m["timings_s"]
    assert t["runs"] > 0 and t["total"] >= t["runs"]
    stages = t["summary_and_daily"] + t["decisions"] + t["charts"] + t["report"]
    assert stages <= t["post_processing"] + 0.01
    assert t["post_processing_share"] == pytest.approx(t["post_processing"] / t["total"],
                                                       abs=0.002)
    assert t["total"] == pytest.approx(t["runs"] + t["post_processing"], abs=0.05)
    assert m["steady_window_days"] == list(steady_window(DAYS))
    assert m["costs_per_year_gbp"]["Baseline"] == 0
    assert m["savings_per_year_gbp"]["Baseline"] == 0
    assert m["baseline"] == "Baseline" and m["missing_runs"] == []
    assert m["different_community"] == {}


def test_the_report_is_small(compared):
    result, _, _ = compared
    assert result.report.stat().st_size < 3 * 2**20


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
    eff = s.summary.rename(columns={"effect_steady": "effect", "effect_steady_lo": "effect_lo",
                                    "effect_steady_hi": "effect_hi"}).dropna(subset=["effect"])
    fig, ax = plt.subplots()
    assert charts.plot_effects(eff, ["unmet_need"], baseline="Baseline", ax=ax) is fig
    assert "better" in ax.get_xlabel() and "worse" in ax.get_xlabel()
    plt.close(fig)


def test_charts_are_palette_pngs_a_quarter_the_size(compared):
    import io

    import matplotlib.pyplot as plt
    from PIL import Image

    from sim.ensemble import summarise

    result, _, _ = compared
    s = summarise(result.out_dir)
    fig = charts.plot_metric(s.bands, "unmet_need", baseline="Baseline", steady=(24, 30))
    small, full = charts.figure_png(fig), charts.figure_png(fig, colours=0)
    plt.close(fig)
    assert Image.open(io.BytesIO(small)).mode == "P"
    assert Image.open(io.BytesIO(small)).size == Image.open(io.BytesIO(full)).size
    assert len(small) < 0.6 * len(full)


def test_post_processing_in_worker_processes_writes_the_same_files(compared, tmp_path):
    """Summaries, daily values and charts done in the chart processes (workers=2) give the
    same summary.csv, daily.csv.gz rows and durability.csv as in this process."""
    import gzip

    result, scenarios, _ = compared
    out = new_output_dir(tmp_path, "compare")
    again = run_job(scenarios, out, kind="compare", command=["test"], workers=2)
    assert again.ok
    for name in ("summary.csv", "durability.csv"):
        assert (out / name).read_bytes() == (result.out_dir / name).read_bytes(), name
    daily = [gzip.decompress((d / "daily.csv.gz").read_bytes()) for d in (out, result.out_dir)]
    assert daily[0] == daily[1]
    assert sorted(p.name for p in (out / "charts").iterdir()) == sorted(
        p.name for p in (result.out_dir / "charts").iterdir())


def test_chart_code_is_loaded_while_the_runs_go_not_before(tmp_path):
    """A job starts its runs without waiting for matplotlib (about 0.9 s, while the second
    core would sit idle) and loads the chart code when the first run is back, so that the
    chart processes forked after the runs start with it. A fresh interpreter: this test
    process has long imported matplotlib."""
    import subprocess
    import sys

    code = f"""
import json, sys
import sim.commands.job, sim.report.job
from sim.scenario import load_scenarios
from sim.report.job import run_scenarios
print("before", "matplotlib" in sys.modules)
seen = []
scenarios = [s.with_overrides(days=8, residents=60)
             for s in load_scenarios(["{Path('scenarios/baseline.toml').resolve()}"])]
run_scenarios(scenarios, r"{tmp_path / 'out'}", replicates=2, workers=1,
              on_progress=lambda p: seen.append((p.status, "sim.report.charts" in sys.modules)))
print("seen", json.dumps(seen))
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=120, cwd=Path(__file__).resolve().parents[1])
    assert out.returncode == 0, out.stderr
    lines = dict(line.split(" ", 1) for line in out.stdout.splitlines())
    assert lines["before"] == "False"
    seen = json.loads(lines["seen"])
    assert seen[0] == ["start", False]
    assert [status for status, _ in seen[1:]] == ["done", "done"]
    assert all(loaded for _, loaded in seen[1:])


def test_the_ranking_shows_each_places_average_rank_and_what_its_counts_cover(compared):
    result, _, _ = compared
    page = result.report.read_text()
    table = page[page.index("id='ranking'"):page.index("id='strain'")]
    summary = pd.read_csv(result.out_dir / "summary.csv")
    ranks = summary.groupby("scenario")["average_rank"].first()
    rows = re.findall(r"<tr><td class='num'>(\d+)<br><span class='muted'>avg ([\d.]+)</span>"
                      r"</td>"
                      r"<td class='name'>([^<]+)", table)
    assert len(rows) == len(ranks)
    shown = [float(avg) for _, avg, _ in rows]
    assert shown == sorted(shown)  # in order of average rank
    assert [int(place) for place, _, _ in rows] == list(range(1, len(rows) + 1))
    for _, avg, name in rows:
        assert float(avg) == pytest.approx(ranks[html.unescape(name.strip())], abs=0.05)
    assert "Headline outcomes clearly better / worse" in table


def test_the_merged_definition_shows_the_settings_the_runs_used():
    from sim.report.job import _as_run
    from sim.scenario import load_scenario

    s = load_scenario(Path(__file__).resolve().parents[1] / "scenarios" / "bridge_figures.toml")
    o = s.with_overrides(days=120, residents=300, replicates=2, seed=5)
    shown = _as_run(o, 120, 2)
    assert shown["run"] == {"days": 120, "replicates": 2, "seed": 5}
    assert shown["population"]["n_residents"] == 300
    assert shown["interventions"] == s.definition["interventions"]
    assert s.definition["run"]["days"] == 730  # the file's own, left as it is
    assert s.definition["population"]["n_residents"] == 1000


def test_a_late_start_says_whether_it_is_before_the_verdicts_window_or_inside_it():
    """A user check: a programme starting on day 700 of 730 was said to start "less than
    three months before the steady window", which began on day 549."""
    import dataclasses

    from sim.interventions import INTERVENTIONS
    from sim.report.programmes import late_starts, steady_window
    from sim.scenario.schema import Scenario

    def option(start):
        iv = INTERVENTIONS["shared_myth"](start_day=start, label="Story")
        return dataclasses.replace(Scenario(name=f"From {start}"), interventions=(iv,))

    steady = steady_window(730)
    assert steady == (549, 730)
    said = late_starts([option(90), option(500), option(700)], steady)
    assert said == [
        "Story (From 500) starts on day 500, 49 days before the window",
        "Story (From 700) starts on day 700, inside the window itself, so it runs on at most "
        "31 of the 182 days the verdicts average"]


def test_a_late_start_is_warned_before_the_runs_with_the_days_that_would_judge_it():
    """A user check: a cafe opening on day 600 of a 610-day comparison ran unwarned and was
    the card's "largest average improvement": the command line warns before the runs, with
    the days whose window begins three months after the programme starts."""
    import dataclasses

    from sim.interventions import INTERVENTIONS
    from sim.report.programmes import (
        RAMP_DAYS,
        judged_from_days,
        late_start_warnings,
        steady_window,
    )
    from sim.scenario.schema import Scenario

    def option(start):
        iv = INTERVENTIONS["shared_myth"](start_day=start, label="Story")
        return dataclasses.replace(Scenario(name=f"From {start}", path=f"from_{start}.toml"),
                                   interventions=(iv,))

    for start in (1, 90, 600):
        days = judged_from_days(start)
        assert steady_window(days)[0] >= start + RAMP_DAYS > steady_window(days - 1)[0]
    assert judged_from_days(90) <= 730  # the shipped programmes are judged in 730 days
    base = Scenario(name="Base")
    said = late_start_warnings([base, option(90), option(400), option(600)], 610)
    assert said == [
        "warning: from_400.toml: Story (From 400) starts on day 400, 59 days before the "
        "verdicts' window (days 459 to 610); use --days 653 or more to judge it after three "
        "months (91 days) of running",
        "warning: from_600.toml: Story (From 600) starts on day 600, inside the verdicts' "
        "window (days 459 to 610), so it runs on at most 11 of the 152 days the verdicts "
        "average; use --days 919 or more to judge it after three months (91 days) of "
        "running"]
    assert late_start_warnings([option(600), option(90)], 730) == []  # the first: baseline
    # a quick look, unsettled: its own warning's days judge a programme from day 90
    assert late_start_warnings([base, option(90)], 120) == []
    # ... but not one the settled days would still not judge (the user check's cafe)
    assert judged_from_days(350) > 486
    assert late_start_warnings([base, option(350)], 400)[0].endswith(
        f"use --days {judged_from_days(350)} or more to judge it after three months (91 "
        "days) of running")
    # ... and the report says nothing either of one the settled days judge
    from sim.report.programmes import late_options, late_starts

    assert late_starts([option(100)], steady_window(120)) == []
    assert late_options([option(100)], steady_window(120)) == {}
    said = late_options([option(600), option(400)], steady_window(610))
    assert said == {
        "From 600": ["Story starts on day 600, inside the verdicts' window (at most 11 of its "
                     "152 days); 919 days or more would judge it"],
        "From 400": ["Story starts on day 400, 59 days before the verdicts' window; 653 days "
                     "or more would judge it"]}, said


def test_a_programme_that_ends_before_the_verdicts_window_is_said():
    """A user check: a new area's cafe, open months 3 to 15, was judged "no clear change" over
    days 549 to 730, when it was clearly better at its end, and nothing said it had stopped."""
    import dataclasses

    from sim.interventions import INTERVENTIONS
    from sim.report.programmes import early_end_words, early_ends, steady_window
    from sim.scenario.schema import Scenario

    def option(end):
        iv = INTERVENTIONS["shared_myth"](start_day=90, end_day=end, label="Story")
        return dataclasses.replace(Scenario(name=f"To {end}"), interventions=(iv,))

    steady = steady_window(730)
    ends = early_ends([option(457), option(548), option(549), option(None)], steady)
    assert ends == [("To 457", "Story", 457, 92), ("To 548", "Story", 548, 1)]
    assert early_end_words(ends) == ("To 457: Story ends on day 457, 92 days before the "
                                     "window; To 548: Story ends on day 548, 1 day before "
                                     "the window")


def test_after_a_programme_ends_names_the_options_programmes_that_run_on():
    """A user check: "After a programme ends" for an option of organisers and a cafe was
    headed by the cafe's end, and its effects 6 months later included the organisers, who ran
    on; and it had a row "organisers under strain | n/a | unclear"."""
    import dataclasses

    import pandas as pd

    from sim.interventions import INTERVENTIONS
    from sim.report.durability import durability, durability_windows
    from sim.scenario.schema import Scenario

    cafe = INTERVENTIONS["shared_myth"](start_day=90, end_day=300, label="Cafe")
    organisers = INTERVENTIONS["one_to_ones"](start_day=90, label="Organisers")
    ended = INTERVENTIONS["bridge_figures"](start_day=90, end_day=200, label="Bridges")
    sc = dataclasses.replace(Scenario(name="Both"), interventions=(cafe, organisers, ended))
    endings = {e.programme: e for e in durability_windows([sc], 730)}
    assert endings["Cafe"].running_on == ("Organisers",)
    assert endings["Bridges"].running_on == ("Cafe", "Organisers")
    rows = []
    for e in endings.values():
        for _, (first, last) in [w for w in e.windows if w[1]]:
            rows.append({"slug": sc.slug, "metric": "trust_out_group", "first_day": first,
                         "last_day": last, "effect": 0.01, "effect_lo": 0.0,
                         "effect_hi": 0.02, "mean": 0.4, "base_mean": 0.39})
            rows.append({"slug": sc.slug, "metric": "organisers_organisers_strained",
                         "first_day": first, "last_day": last, "effect": float("nan"),
                         "effect_lo": float("nan"), "effect_hi": float("nan"), "mean": 1.0,
                         "base_mean": float("nan")})
    got = durability(pd.DataFrame(rows), list(endings.values()),
                     ["trust_out_group", "organisers_organisers_strained"])
    assert {r["metric"] for r in got} == {"trust_out_group"}  # no row without an effect


def test_two_programmes_of_one_type_have_their_own_words_in_the_report(tmp_path):
    """A user check on two place stories without labels, days 90-200 and day 300 to the end:
    the report's opening said "Shared myth ends before that window" though the other ran
    through it, the costs were one row, and the note after the first one's end read "the
    effects after its end include its." Each has its own label, row and words, and the
    note is a whole sentence."""
    from types import SimpleNamespace

    from sim.costs import scenario_cost
    from sim.report.durability import durability_windows
    from sim.report.programmes import early_ends, steady_window
    from sim.report.sections_strain import section_costs, section_durability
    from sim.report.sections_top import _timing_words
    from sim.scenario import load_scenario

    base = Path(__file__).resolve().parents[1] / "scenarios" / "baseline.toml"
    path = tmp_path / "twice.toml"
    path.write_text(f'name = "Twice"\nextends = "{base}"\n'
                    '[[interventions]]\ntype = "shared_myth"\nname = "story_a"\n'
                    'start_day = 90\nend_day = 200\n'
                    '[[interventions]]\ntype = "shared_myth"\nname = "story_b"\n'
                    'start_day = 300\n')
    sc = load_scenario(path)
    ends = early_ends([sc], steady_window(730))
    lede = _timing_words(SimpleNamespace(late_starts=[], early_ends=ends))
    assert lede.startswith(" Shared myth (story_a) ends before that window")
    [ending] = durability_windows([sc], 730)
    assert ending.running_on == ("Shared myth (story_b)",)
    note = section_durability(SimpleNamespace(metrics=None, scenarios=[], baseline=None,
                                              decision=None, own_metrics={}, durability=[
        {"ending": ending, "metric": "trust_out_group", "points": [(0, None)] * 3}]))
    assert ("The option's other programme (Shared myth (story_b)) runs on after day 200: the "
            "effects after day 200 include what it does.</p>") in html.unescape(note)
    page = html.unescape(section_costs(SimpleNamespace(baseline=None, decision=None, scenarios=[
        SimpleNamespace(name=sc.name, cost=scenario_cost(sc, 730))])))
    assert "Shared myth (story_a): \u00a3" in page and "(111 days); Shared myth (story_b): " \
        "\u00a3" in page and "(431 days)" in page


def test_a_programmes_own_staff_row_has_no_verdict_against_a_baseline_without_them(compared):
    """A user check: "Bridge figures under strain | n/a | 1.8 | n/a | o unclear" in an
    option's table of every measure: a verdict where nothing was compared."""
    result, _, _ = compared
    page = html.unescape(result.report.read_text())
    rows = re.findall(r"<tr><td class='name'>[^<]*bridge figures under strain</td>.*?</tr>", page)
    assert rows, "the bridging option's table has no row for its bridge figures' strain"
    for row in rows:
        assert "n/a" not in row and "\u25cb" not in row  # no "n/a", no "unclear" mark
        assert "none without it" in row and "not compared" in row


def test_a_programmes_own_staff_under_strain_is_out_of_those_in_post(compared):
    """A user check: "bridge figures under strain 2.3 on average" left a council asking out of
    how many: the strain table, the option's table and the card say "1.8 of 10", the number
    in post being the run's own count over the same window."""
    result, _, _ = compared
    page = html.unescape(result.report.read_text())
    summary = pd.read_csv(result.files["summary"])
    in_post = summary[summary["metric"].str.endswith("_staff_in_post")]
    assert len(in_post), "no programme with staff in the fixture"
    for r in in_post.itertuples():
        n = f"{r.mean_steady:.0f}" if abs(r.mean_steady - round(r.mean_steady)) < 0.05 \
            else f"{r.mean_steady:.1f}"
        strained = summary[(summary["scenario"] == r.scenario) & (summary["metric"] == str(
            r.metric).replace("_staff_in_post", "_organisers_strained"))].iloc[0]
        said = f"{strained.mean_steady:.1f} of {n} in post"
        # the strain table (its cell in pieces it may break between) and the option's table
        text = re.sub(r"<[^>]+>", "", page)
        assert text.count(said) >= 2, said


def _ranked_report(metrics=None):
    """A comparison's data in plan order (the baseline, "Zed", "Alpha": the order of the
    files' names) ranked Alpha, the baseline, Zed, with strain measured and Alpha's bridge
    figures under strain (a programme's own measure, labelled with the programme)."""
    from types import SimpleNamespace

    from sim.metrics import Metric

    own = "bridge_figures_organisers_strained"
    metrics = metrics or {own: Metric(own, "Bridge figures (by betweenness): bridge figures "
                                           "under strain", "", "residents", "community", None,
                                      higher_is_better=False)}
    names = ["Baseline", "Zed", "Alpha"]
    rows = []
    for n in names:
        for m in ["helper_strain", "strained_per_1000", "trust_out_group"]:
            effect = float("nan") if n == "Baseline" else 0.01
            rows.append({"scenario": n, "metric": m, "mean_steady": 0.3, "mean_end": 0.3,
                         "effect_steady": effect, "effect_steady_lo": effect - 0.02,
                         "effect_steady_hi": effect + 0.02, "effect_end": effect,
                         "effect_end_lo": effect - 0.02, "effect_end_hi": effect + 0.02})
    rows.append({"scenario": "Alpha", "metric": own, "mean_steady": 1.2,
                 "effect_steady": float("nan"), "effect_steady_lo": float("nan"),
                 "effect_steady_hi": float("nan"), "effect_end": float("nan"),
                 "effect_end_lo": float("nan"), "effect_end_hi": float("nan")})
    scenarios = [SimpleNamespace(name=n, description=f"{n}.", interventions=[], cost=None)
                 for n in names]
    ranking = [SimpleNamespace(scenario=n) for n in ("Alpha", "Baseline", "Zed")]
    return SimpleNamespace(baseline="Baseline", scenarios=scenarios, summary=pd.DataFrame(rows),
                           metrics=metrics, steady=(549, 730), days=730, durability=[],
                           decision=SimpleNamespace(ranking=ranking),
                           not_applicable=frozenset(), own_metrics={})


def test_every_table_of_options_lists_them_in_the_rankings_order_the_baseline_first():
    """A user check: "Strain on helpers" listed the options in the order of the files' names
    (the main job's), "Combined package + critical friends" (critical_friend.toml) away from
    "Combined package", below a ranking that had them together. Each table of options, and
    each option in words, follows the ranking, the baseline first."""
    from sim.report.page import in_order
    from sim.report.sections_details import section_words
    from sim.report.sections_strain import section_strain

    d = _ranked_report()
    assert [s.name for s in in_order(d)] == ["Baseline", "Alpha", "Zed"]
    strain = html.unescape(section_strain(d))
    assert re.findall(r"<td class='name'>([^<]*)</td>", strain) == ["Baseline", "Alpha", "Zed"]
    words = html.unescape(section_words(d))
    assert re.findall(r"<h3>([^<]*)</h3>", words) == ["Alpha", "Zed"]


def test_the_strain_sections_words_say_what_its_first_column_is():
    """A user check: the strain section said "Here in people: residents per 1,000, and
    organisers under strain" above a first column in % of the civic core, which the report
    never explained, and a column of bridge figures."""
    from sim.report.sections_strain import section_strain

    d = _ranked_report()
    strain = html.unescape(section_strain(d))
    intro = re.search(r"<p>(The few who.*?)</p>", strain).group(1)
    assert "helper_strain" in set(d.summary.metric)
    assert "the share of the civic core (the 31% of residents who give the most help)" \
        in intro, intro
    assert "each programme's own helpers (organisers, bridge figures)" in intro, intro
    d.summary = d.summary[d.summary.metric != "helper_strain"]
    assert "civic core (the 31%" not in html.unescape(section_strain(d)).split("</p>")[0]


def test_a_programmes_own_measure_is_headed_by_what_it_counts():
    """A user check: the strain table's column read "Bridge figures: bridge figures under
    strain", the programme said twice (and one option's programme named over a column of
    every option's); it reads "Bridge figures under strain (residents)". Two measures that
    would read alike keep their programmes."""
    from sim.metrics import Metric
    from sim.report.sections_strain import section_strain

    heads = re.findall(r"<th>([^<]*) <span class='muted'>\(([^)]*)\)",
                       html.unescape(section_strain(_ranked_report())))
    assert ("Bridge figures under strain", "residents") in heads
    assert not any(":" in h for h, _ in heads)
    assert display("bridge_figures_organisers_strained", _ranked_report().metrics).short == (
        "Bridge figures under strain")
    # every helper's count, named apart from the civic core's share (a user check: "Most
    # active helpers under strain" beside "Helpers under strain" read as one measure)
    assert display("strained_per_1000").short == "All helpers under strain"
    assert display("helper_strain").short == "Most active helpers under strain"
    two = {n: Metric(n, f"{label}: organisers under strain", "", "residents", "community", None)
           for n, label in (("one_to_ones_organisers_strained", "Organisers' 1:1s"),
                            ("walks_organisers_strained", "Walks: phase 1"))}
    d = _ranked_report(two)
    d.summary = pd.concat([d.summary, pd.DataFrame(
        [{"scenario": "Alpha", "metric": n, "mean_steady": 1.0, "effect_steady": float("nan")}
         for n in two])])
    heads = re.findall(r"<th>([^<]*) <span class='muted'>", html.unescape(section_strain(d)))
    assert "Organisers' 1:1s: organisers under strain" in heads
    assert "Walks: phase 1: organisers under strain" in heads


ONE_SECTION = BASELINE + """
[[population.sections]]
name = "everyone"
share = 1.0
[[hubs]]
name = "library"
kind = "library"
location = "boundary"
capacity = 40
open_days = ["mon", "tue", "wed", "thu", "fri", "sat"]
"""


def test_a_community_of_one_group_says_measures_between_groups_are_not_measured(tmp_path):
    """A user check: in an area of one section (new-area --sections a=1), the card led with
    "Trust other groups 36.1% → 36.1%", picked and ranked on a measure that cannot move, and
    its option was "better" on the trust gap, which moves there only with trust in one's own
    group. Measures between groups are said as not measured, wherever a result would stand:
    the card, the ranking, the option's words and table, the charts and the one scenario's
    table; they are never picked, ranked or a trade-off."""
    between_groups = ("trust_out_group", "trust_gap", "bridging_ties_share")
    one_group = "this community has one group (a single section)"
    folder = tmp_path / "scenarios"
    folder.mkdir()
    (folder / "baseline.toml").write_text(ONE_SECTION)
    (folder / "activity.toml").write_text(ACTIVITY.replace('end_day = 25\n', ''))
    scenarios = load_scenarios([str(folder / "baseline.toml"), str(folder / "activity.toml")])
    assert all(len(s.model.population.sections) == 1 for s in scenarios)
    result = run_job(scenarios, new_output_dir(tmp_path / "out", "compare"), kind="compare",
                     command=["test"], workers=1)
    page = result.report.read_text()
    card = visible_prose(page[page.index("id='decision'"):page.index("id='ranking'")])
    said = f"Trust other groups Not measured: {one_group}, so there are no other groups."
    assert said in " ".join(card.split())
    # the card leads with what was measured: the outcome that cannot move comes last
    heads = re.findall(r"<div class='pick[^']*'><h3>([^<]*)</h3>", page)
    assert heads[-1] == "Trust other groups" and len(heads) == len(HEADLINE_OUTCOMES)
    ranking = page[page.index("id='ranking'"):page.index("id='strain'")]
    assert "<th class='outcome'>Trust other groups</th>" not in ranking
    assert f"Trust other groups is not ranked: {one_group}." in html.unescape(ranking)
    labels = [REGISTRY[m].label for m in between_groups]
    words = html.unescape(page[page.index("id='words'"):page.index("id='charts'")])
    for label in ("Trust other groups", "Trust gap (own minus other groups)",
                  "Ties that bridge groups"):
        # the option's table says so in the measure's row; never a verdict or a change
        assert (f"<td class='name'>{label}</td><td class='unclear' colspan='5'>not measured: "
                f"{one_group}</td>") in words, label
    for text in (card, visible_prose(words.split("<table>")[0])):
        for label in labels:
            assert f"better on {label.lower()}" not in text.lower(), label
            assert f"worse on: {label.lower()}" not in text.lower(), label
    summary = pd.read_csv(result.files["summary"])
    out_group = summary[summary.metric == "trust_out_group"]
    assert out_group.p_best.isna().all()  # not ranked, never best
    for m in between_groups:
        assert not (result.out_dir / "charts" / f"{m}.png").exists(), m

    # one scenario's run of the area: its table says so too, and draws no chart of them
    ran = run_job(scenarios[:1], new_output_dir(tmp_path / "out", "run"), kind="run",
                  command=["test"], workers=1)
    table = html.unescape(ran.report.read_text())
    assert table.count(f"<td class='unclear'>not measured: {one_group}</td>") == 3
    assert not (ran.out_dir / "charts" / "trust_out_group.png").exists()
    assert (ran.out_dir / "charts" / "trust_in_group.png").exists()


def test_each_options_tables_name_its_own_programme_where_two_share_a_name(tmp_path):
    """A user check: two options whose programmes are both named bridge_figures shared one
    label (the last scenario's), so "Bridge figures" said "Bridge figures: bridge figures
    under strain" in its own table though its programme is "Bridge figures (by
    betweenness)". Each option's table, and its rows of summary.csv, name its own."""
    folder = tmp_path / "scenarios"
    paths = write_scenarios(folder)
    other = folder / "betweenness.toml"
    other.write_text(BRIDGING.replace('name = "More bridging ties"', 'name = "By betweenness"')
                     .replace("Bridge figures from day one", "Bridge figures by betweenness")
                     .replace('choose_by = "random"\n', ""))
    # the other last: the one whose label a merge by name kept
    scenarios = load_scenarios([str(paths[0]), str(paths[2]), str(other)])
    result = run_job(scenarios, new_output_dir(tmp_path / "out", "compare"), kind="compare",
                     command=["test"], workers=1)
    page = html.unescape(result.report.read_text())
    words = page[page.index("id='words'"):page.index("id='charts'")]
    for option, label in (("More bridging ties", "Bridge figures from day one"),
                          ("By betweenness", "Bridge figures by betweenness")):
        own = words[words.index(f"<h3>{option}</h3>"):]
        own = own[:own.index("</table>")]
        names = re.findall(r"<td class='name'>([^<]*bridge figures under strain)</td>", own)
        assert names == [f"{label}: bridge figures under strain"], (option, names)
    summary = pd.read_csv(result.files["summary"])
    strained = summary[summary.metric == "bridge_figures_organisers_strained"]
    assert dict(zip(strained.scenario, strained.label, strict=True)) == {
        "More bridging ties": "Bridge figures from day one: bridge figures under strain",
        "By betweenness": "Bridge figures by betweenness: bridge figures under strain"}


def test_the_charts_list_the_options_in_the_rankings_order_as_the_tables_do(tmp_path,
                                                                           monkeypatch):
    """A user check: every table lists the options as the ranking orders them, the baseline
    first, but the charts (the forest plot's rows, each measure's panels, the programmes'
    counts) listed them in the order of the command line. The ranking is forced here to the
    reverse of the files' order, so that neither order can pass for the other."""
    from sim.report import job as report_job

    real_decide, real_jobs, drawn = report_job.decide, report_job.chart_jobs, []

    def reversed_ranking(*args, **kwargs):
        decision = real_decide(*args, **kwargs)
        plan = [name for name, _ in args[2]]
        decision.ranking.sort(key=lambda r: -plan.index(r.scenario))
        return decision

    def recorded(*args, **kwargs):
        jobs, meta = real_jobs(*args, **kwargs)
        drawn.extend(jobs)
        return jobs, meta

    monkeypatch.setattr(report_job, "decide", reversed_ranking)
    monkeypatch.setattr(report_job, "chart_jobs", recorded)
    scenarios = load_scenarios([str(p) for p in write_scenarios(tmp_path / "scenarios")])
    result = run_job(scenarios, new_output_dir(tmp_path / "out", "compare"), kind="compare",
                     command=["test"], workers=1)
    options = [s.name for s in scenarios[1:]][::-1]  # the forced ranking
    page = html.unescape(result.report.read_text())
    what = page[page.index("id='what'"):page.index("id='definitions'")]
    tables = re.findall(r"<td class='name'><strong>([^<]*)</strong>", what)
    assert tables == ["Baseline", *options]
    kinds = {kind for kind, _ in drawn}
    assert {"plot_effects", "plot_metric", "plot_intervention_counts"} <= kinds
    for kind, kw in drawn:
        if kind == "plot_intervention_counts":
            with_counts = [n for n in tables if n in kw["per_scenario"]]
            assert list(kw["per_scenario"]) == with_counts, kind
        else:
            assert kw["scenarios"] == tables, (kind, kw["scenarios"])


def test_a_programme_with_well_under_its_planned_staff_in_post_says_so_beside_its_cost(
        tmp_path):
    """A user check: bridge figures among students who are rescuers had 2 in post at 300
    residents (no more to recruit) but were costed for 30, and the report said nothing. The
    cost stays the plan's (made before the runs); the cost table says it counts 30, how many
    were in post over the window, and what that does to the effect per GBP 10,000."""
    from types import SimpleNamespace

    from sim.costs import scenario_cost
    from sim.report.sections_strain import section_costs
    from sim.report.units import fmt_gbp
    from sim.scenario import load_scenario

    path = tmp_path / "few.toml"
    path.write_text('name = "Few"\n[population]\nn_residents = 300\n'
                    '[[interventions]]\ntype = "bridge_figures"\nfigures = 100\n'
                    'target_sections = ["students"]\ntarget_orientations = ["rescuer"]\n'
                    '[[interventions]]\ntype = "one_to_ones"\n')
    sc = load_scenario(path)
    cost = scenario_cost(sc, 730)
    assert cost.planned_staff["bridge_figures"][1:] == (30, "bridge figures")
    summary = pd.DataFrame({"scenario": ["Few", "Few"],
                            "metric": ["bridge_figures_staff_in_post",
                                       "one_to_ones_staff_in_post"],
                            "mean_steady": [2.0, 3.0]})  # 1:1s: 3 of 3 planned

    def costs_page():
        return html.unescape(section_costs(SimpleNamespace(
            baseline=None, decision=None, summary=summary, steady=(549, 730), days=730,
            scenarios=[SimpleNamespace(name="Few", cost=cost)])))

    page = costs_page()
    assert ("Bridge figures: its cost counts the 30 bridge figures planned, but only 2 were "
            "in post on average over days 549 to 730 (months 18 to 24), as it found no more "
            "among the residents it targets: costed") in page, page
    assert ("costed for those in post it would be about 7% of this, and its effect per "
            "\u00a310,000 about 15 times as high") in page
    assert "its cost counts the 3 organisers" not in page  # as many in post as planned
    summary.loc[0, "mean_steady"] = 23.0  # 23 of 30: "1 times less" before
    page = costs_page()
    assert ("costed for those in post it would be about 77% of this, and its effect per "
            "\u00a310,000 about 1.3 times as high") in page, page
    assert "counts the staff it plans (bridge figures, organisers)" in page
    summary.loc[0, "mean_steady"] = 26.5  # 88% of the plan: said too (at 80% it was not)
    page = costs_page()
    assert "but only 26.5 were in post" in page, page
    summary.loc[0, "mean_steady"] = 27.5  # 92%: near enough the plan
    page = costs_page()
    assert "its cost counts the 30 bridge figures" not in page
    # the cost per year beside the option, the programmes' list last (a user check: on a
    # phone the list took the screen and left the cost per year off to the right)
    heads = re.findall(r"<th[^>]*>([^<]*)</th>", page)
    assert heads[:3] == ["Option", "Cost per year", "Cost over the run"], heads
    row = re.search(r"<td class='name'>Few</td><td class='num'>([^<]*)</td>", page)
    # the pounds alone under "Cost per year", so that the table fits a phone
    assert row and row.group(1) == fmt_gbp(cost.per_year_gbp), page[:400]
    # the programmes in a row of their own under the option's costs, the table's full width
    # (a column of their own left rows of white 1,000 px tall on a phone: a user check)
    under = re.search(r"</tr><tr class='under'><td colspan='3'>A year of running each "
                      r"programme \(days run\): (.*?)</td></tr>", re.sub(
                          r"<span class='muted'>|</span>", "", page[row.end():]))
    assert under and under.group(1).startswith("Bridge figures"), page[row.end():][:600]


def test_the_calibrated_parameters_are_counted_as_calibration_fits_them():
    """A user check: the report's caveats said "12 are marked as calibrated" where
    docs/CALIBRATION.md and calibrate say eight parameters: trust in one's own group and in
    other groups is one value set alike in each of three sections. The values are counted,
    and the parameters they hold, as calibration fits them."""
    from types import SimpleNamespace

    from sim.calibration.fit import FREE_PARAMETERS
    from sim.report.job import count_parameters
    from sim.report.sections_details import section_caveats
    from sim.scenario import load_scenario

    model = load_scenario(Path(__file__).resolve().parents[1] / "scenarios"
                          / "baseline.toml").model
    n, values, parameters = count_parameters(model)
    assert parameters == len(FREE_PARAMETERS) < values < n
    page = section_caveats(SimpleNamespace(
        n_parameters=n, n_calibrated=values, n_fitted=parameters, kind="run", replicates=5,
        days=730, steady=None, problems=[], decision=None, model_doc_href="docs/MODEL.md"))
    assert (f"Of the model's {n} numeric settings, {values} hold the {parameters} parameters "
            "calibrated against survey figures (a value set alike in each section counted "
            "once); every other value is an assumption.") in " ".join(html.unescape(page).split())


def test_the_unit_costs_table_names_resources_in_words_and_prices_without_pence(tmp_path):
    """A user check read "small grants gbp" at "£1.00" and "hub years" at "£150,000.00":
    each resource is named in words, with the name a [costs] table gives it, and a price
    shows pence only where it has them."""
    from types import SimpleNamespace

    from sim.costs import scenario_cost
    from sim.report.sections_strain import section_costs
    from sim.scenario import load_scenario

    path = tmp_path / "pence.toml"
    path.write_text('name = "Pence"\n[costs]\nvenue_hours = 30.5\n'
                    '[[interventions]]\ntype = "one_to_ones"\n')
    cost = scenario_cost(load_scenario(path), 730)
    page = html.unescape(section_costs(SimpleNamespace(
        baseline=None, decision=None, summary=pd.DataFrame(
            columns=["scenario", "metric", "mean_steady"]), steady=(549, 730), days=730,
        scenarios=[SimpleNamespace(name="Pence", cost=cost)])))
    unit = page[page.index("Unit costs and their sources"):]
    rows = {re.sub(r"<[^>]+>", "|", r).strip("|"): r
            for r in re.findall(r"<tr><td>(.*?)</tr>", unit)}
    names = [k.split("|")[0] for k in rows]
    assert "Small grants" in names and "Staff hours" in names, names
    assert "<code class='v'>small_grants_gbp</code>" in unit
    assert "\u00a31</td>" in unit and "\u00a326</td>" in unit, unit
    assert "\u00a330.50</td>" in unit  # the file's price with pence
    assert ".00</td>" not in unit
    assert "GBP 15" not in unit and "\u00a315 an hour" in unit  # pounds as the prices say
    # the sources wide enough to read on a phone (the table scrolls sideways there)
    assert unit.count("<td class='wide'>") == len(rows)


@pytest.mark.parametrize("every_s, said", [(0.0, ["1 of 3", "2 of 3"]), (60.0, [])])
def test_a_long_summary_says_how_it_goes_a_scenario_at_a_time(tmp_path, monkeypatch,
                                                               every_s, said):
    """A user check: thousands of runs were summarised for minutes under one line. Once
    SUMMARY_LINE_EVERY_S has passed since the last line, the summary says how many scenarios
    are done (not after the last: the next step says that); a quick one says nothing more."""
    from sim.report import job as report_job

    monkeypatch.setattr(report_job, "SUMMARY_LINE_EVERY_S", every_s)
    paths = write_scenarios(tmp_path / "scenarios")
    scenarios = load_scenarios([str(p) for p in paths])
    stages: list[str] = []
    run_job(scenarios, new_output_dir(tmp_path / "out", "compare"), kind="compare",
            command=["test"], workers=1, on_stage=stages.append)
    step = report_job.SUMMARY_STEP
    assert stages[0] == step
    assert [s.removeprefix(f"{step}: ").removesuffix(" scenarios done") for s in stages
            if s.startswith(f"{step}: ")] == said
