"""Robustness: worlds are sampled over the documented ranges, levers survive resampling,
the ensemble runs every scenario in every world with paired seeds, and the analysis finds
a planted flip (PRIM) and the parameter behind it (sensitivity)."""

from __future__ import annotations

import dataclasses
import html
import re
from types import SimpleNamespace

import numpy as np
import pytest

from sim.ensemble.seeds import DEFAULT_ROOT_SEED
from sim.params import ModelParams
from sim.robustness import (
    apply_world,
    load_result,
    robustness_html,
    sample_worlds,
    uncertainties,
)
from sim.robustness.analysis import KEY_METRICS, RobustnessResult, run_robustness
from sim.robustness.html import in_short, lower_lead, summary_sentences
from sim.robustness.output import write_outputs
from sim.robustness.worlds import is_programme, programme_uncertainties


def test_every_uncertain_param_is_sampled_inside_its_range_and_seeded():
    unc = uncertainties()
    assert {"rules.p_need", "rules.help_cost", "orientations.ask_multiplier"} <= {
        u.path for u in unc}
    x = sample_worlds(20, seed=3)
    assert x.shape == (20, len(unc))
    for j, u in enumerate(unc):
        assert u.lo <= x[:, j].min() and x[:, j].max() <= u.hi
        # Latin hypercube: one world in each of the 20 equal strata of every range
        strata = np.floor((x[:, j] - u.lo) / (u.hi - u.lo) * 20).astype(int)
        assert sorted(strata) == list(range(20))
    np.testing.assert_array_equal(x, sample_worlds(20, seed=3))


def test_a_world_changes_shared_values_but_keeps_a_scenarios_levers():
    base = ModelParams()
    lever = dataclasses.replace(base, rules=dataclasses.replace(base.rules, help_cost=0.1))
    world = {"rules.help_cost": 0.3, "rules.p_need": 0.02, "orientations.ask_multiplier": 1.5}
    got = apply_world(lever, world, base)
    assert got.rules.help_cost == 0.1  # the scenario's own lever
    assert got.rules.p_need == 0.02
    # orientation profiles keep their order: each scaled by 1.5 / 1.0
    assert got.orientations["rescuer"].ask_multiplier == pytest.approx(
        1.5 * base.orientations["rescuer"].ask_multiplier)


def _planted(n=40, seed=0) -> RobustnessResult:
    """A result whose recommendation flips from A to B when p_need is below 0.012."""
    unc = uncertainties()
    x = sample_worlds(n, seed)
    j = [u.path for u in unc].index("rules.p_need")
    rng = np.random.default_rng(seed)
    out = 0.3 + rng.normal(0, 0.001, (n, 3, 2, len(KEY_METRICS)))
    out[:, 1, :, 0] -= np.where(x[:, j] > 0.012, 0.03, 0.005)[:, None]  # A cuts unmet need
    out[:, 2, :, 0] -= 0.015  # B cuts it by a steady amount
    return RobustnessResult(["Baseline", "A", "B"], unc, x, list(KEY_METRICS),
                            "unmet_need", out)


def test_analysis_finds_a_planted_flip_and_the_parameter_behind_it(tmp_path):
    r = _planted()
    assert r.beats_baseline().loc["A", "unmet_need"] == 1.0
    j = [u.path for u in r.uncertainties].index("rules.p_need")
    expected_a = (r.worlds[:, j] > 0.012).mean()
    assert r.recommendation_shares()["A"] == pytest.approx(expected_a)
    assert r.sensitivity().index[0] == "rules.p_need"
    flips = r.flips()
    cond = {c["parameter"]: c for c in flips["conditions"]}
    assert "rules.p_need" in cond and cond["rules.p_need"]["upper"] <= 0.0135
    assert flips["box"].density >= 0.9
    paths, text = write_outputs(r, tmp_path)
    assert "p_need" in text
    page = paths["html"].read_text()
    # a page of its own (any browser opens it, accents and all), the section inside it
    assert page.startswith("<!DOCTYPE html>") and '<meta charset="utf-8">' in page
    assert '<section id="robustness">' in page and "</html>" in page
    assert (tmp_path / "robustness_worlds.png").stat().st_size > 1000
    again = load_result(paths["result"])  # the analysis can be redone without rerunning
    np.testing.assert_allclose(again.outcomes, r.outcomes)
    assert again.flips()["conditions"] == flips["conditions"]


@pytest.mark.slow
def test_tiny_end_to_end_run_through_the_ensemble_runner(tmp_path):
    from sim.scenario.loader import load_scenarios

    scenarios = load_scenarios(["scenarios/baseline.toml", "scenarios/one_to_ones.toml"])
    r = run_robustness(scenarios, tmp_path, n_worlds=3, replicates=2, residents=150,
                       days=60, workers=1)
    assert r.outcomes.shape == (3, 2, 2, len(r.metrics))
    assert np.isfinite(r.outcomes).all()
    # paired: the same replicate seeds in every world and scenario
    import json

    plan = json.loads((tmp_path / "runs" / "plan.json").read_text())
    assert len({tuple(e["seeds"]) for e in plan["scenarios"]}) == 1
    assert len(plan["scenarios"]) == 6
    html = robustness_html(r, {"worlds": "robustness_worlds.png"})
    assert "plausible worlds" in html
    # each table scrolls in its own box: robustness.html was 580 px wide on a 390 px phone
    # (the best option in each world and the share of worlds; with 3 worlds no sensitivity
    # table: too few to rank the assumptions, and the page says so)
    assert html.count("<table>") == html.count('<div class="scroll"><table>') == 2
    assert "cannot be told with 3 worlds: with fewer than 7" in html
    # what was run is recorded, said, and survives the round trip through robustness.json
    assert r.setup == {"files": ["scenarios/baseline.toml", "scenarios/one_to_ones.toml"],
                       "days": 60, "residents": 150, "replicates": 2,
                       "run_seed": scenarios[0].run.seed, "world_seed": DEFAULT_ROOT_SEED,
                       "worlds": 3, "losses": [], "sizes_set_aside": {}}
    said = "12 runs of 60 days with 150 residents"
    assert said in html
    assert "Caution: each verdict averages days 46 to 60, before the simulated community has " \
        "mostly settled" in html  # a short run's verdicts, as compare's report cautions
    paths, text = write_outputs(r, tmp_path / "out")
    first, _, setup = text.splitlines()[:3]  # the answer, then what was run
    assert first == f"In short: {lower_lead(in_short(r))}"
    assert not first.startswith("In short: In ")
    assert setup.startswith("What was run: the baseline (Baseline) and 1 other scenario,")
    assert said in text
    assert load_result(paths["result"]).setup == r.setup
    assert "different sizes" not in html  # both run as their files say (at --residents)


def test_an_option_of_another_size_is_said_in_what_was_run():
    """A user check: robustness ran an option of 10,200 residents at --residents 300, and
    neither robustness.html nor robustness.json said so; compare's report does."""
    from sim.robustness.html import setup_sentence

    r = SimpleNamespace(scenarios=["Base", "Big"], setup={
        "files": [], "days": 730, "residents": 300, "replicates": 2, "run_seed": 1,
        "world_seed": 2, "worlds": 8, "losses": [],
        "sizes_set_aside": {"Big": {"file": 10_200, "baseline_file": 1_000}}})
    assert (" The files describe communities of different sizes (the baseline 1,000 "
            "residents; \u2018Big\u2019 10,200); every scenario ran at 300 residents, so the "
            "effects are "
            "those of the programmes in a community of 300.") in setup_sentence(r)


def test_findings_are_plain_text_and_escaped_once_in_html():
    r = _planted()
    r.scenarios[1] = "Tom & Jerry's <club>"
    r.setup = {"files": ["a.toml"], "days": 30, "residents": 100, "replicates": 2,
               "run_seed": 1, "world_seed": 2, "worlds": len(r.worlds)}
    lines = summary_sentences(r)
    assert any("Tom & Jerry's <club>" in line for line in lines)  # the terminal's words
    html = robustness_html(r, {})
    assert "Tom &amp; Jerry&#x27;s &lt;club&gt;" in html and "<club>" not in html
    assert "&amp;amp;" not in html


def test_a_baseline_that_wins_everywhere_is_said_plainly():
    r = _planted()
    r.outcomes[:, 1:] = r.outcomes[:, :1] + 0.01  # both raise unmet need in every world
    r.__post_init__()
    assert summary_sentences(r)[0].startswith(
        "On 'Unmet need (a week or more)', none of the interventions beats the baseline in "
        "100% of 40 plausible worlds")


def test_a_parameters_plain_name_is_shortened_between_words():
    """A user check: the sensitivity chart read "trust squared ti..." (cut inside a word)."""
    from sim.robustness.charts import plain_name

    r = _planted()
    for u in r.uncertainties:
        short = plain_name(r, u.path, 30)
        doc = u.doc.split(" (")[0]
        assert len(short) <= 30
        if short != doc:
            kept = short.rstrip("…")
            assert doc.startswith(kept) and doc[len(kept)] in " ,;:", (short, doc)


def test_the_docs_list_exactly_the_sampled_assumptions():
    """A user check: docs/ROBUSTNESS.md named 13 sampled parameters and said calibrated values
    were not resampled, while the analysis drew 31, calibrated ones included."""
    from sim.robustness.reference import DOC_PATH, REFRESH, format_assumptions, generated_part

    text = DOC_PATH.read_text(encoding="utf-8")
    assert generated_part(text) == format_assumptions(), (
        f"docs/ROBUSTNESS.md's list of uncertain assumptions is out of date; run: {REFRESH}")
    listed = {line.split("`")[1] for line in generated_part(text).splitlines()
              if line.startswith("| `")}
    assert listed == {u.path for u in uncertainties()}
    # the programmes' own are listed in a table of their own (test_robustness_programmes.py)
    assert not listed & {u.path for u in programme_uncertainties()}


def test_the_generated_list_counts_calibrated_values_and_flags_a_shipped_value_outside():
    from sim.robustness.reference import format_assumptions
    from sim.robustness.worlds import Uncertainty

    unc = [Uncertainty("rules.p_need", 0.004, 0.02, "rate", "calibrated"),
           Uncertainty("rules.help_cost", 0.5, 0.9, "energy", "assumption"),
           Uncertainty("orientations.ask_multiplier", 0.5, 1.5, "asking", "assumption")]
    text = format_assumptions(unc)
    assert "all 3 of these" in text and "1 of them is a calibrated value" in text
    assert "| `rules.help_cost` | 0.5 to 0.9 | 0.25 (**outside**) |" in text  # shipped 0.25
    assert "0.5 to 1.5 (factor) | traditional 0.55," in text
    assert "(**outside**)" not in text.split("`rules.p_need`")[-1].split("\n")[0]


def test_clearly_better_separates_a_real_effect_from_a_coin_toss():
    """A user check: "does better than the baseline" counted any positive mean over two
    paired runs, so a zero effect read as ~50% of worlds. The share keeps that meaning; the
    'clearly' share counts only worlds beyond the paired runs' own noise."""
    r = _planted(n=200)
    k = r.metrics.index("trust_generalised")  # no planted effect: noise only
    coin = r.beats_baseline().iloc[:, k]
    assert ((coin > 0.35) & (coin < 0.65)).all()
    assert (r.beats_baseline().to_numpy() == (r.effects[:, 1:, :] > 0).mean(axis=0)).all()
    clear, worse = r.clearly_beats_baseline(), r.clearly_beats_baseline(worse=True)
    assert (clear.iloc[:, k] < 0.08).all() and (worse.iloc[:, k] < 0.08).all()
    assert clear.at["A", "unmet_need"] == 1.0 and worse.at["A", "unmet_need"] == 0.0
    se = r.paired_noise()  # each run's noise sd 0.001: a difference's 0.0014, over 2 runs 0.001
    assert se[1:, k] == pytest.approx(0.001, rel=0.25)
    one = RobustnessResult(r.scenarios, r.uncertainties, r.worlds, r.metrics, r.primary,
                           r.outcomes[:, :, :1])
    assert one.paired_noise() is None and one.clearly_beats_baseline() is None


def test_the_page_says_how_to_read_a_share_and_a_negative_index(tmp_path):
    """A user check: the page read 50% shares as findings, never said how few runs each
    world's effect rests on, showed negative indices unexplained, raw parameter names, and a
    table that scrolls sideways on a phone without a cue."""
    r = _planted(n=120)
    r.setup = {"files": ["a.toml"], "days": 730, "residents": 400, "replicates": 2,
               "run_seed": 1, "world_seed": 2, "worlds": len(r.worlds)}
    sens = r.sensitivity()
    sens.iloc[-1, sens.columns.get_loc("S1")] = -0.03  # as RBD-FAST gives for a null one
    html = robustness_html(r, {}, sensitivity=sens)
    assert "A share near 50% means no consistent direction: about a coin toss" in html
    assert "the mean of 2 paired runs of a community of 400 residents, so it is noisy" in html
    assert "pulls its share towards 50%" in html
    assert "Small negative values are estimation noise: read them as zero." in html
    assert "-0.03" in html  # shown as computed, explained rather than hidden
    # plain words for the assumption, its raw name kept (second line and tooltip)
    assert ('<td class="name" title="rules.p_need">rate at which short needs arrive<br>'
            '<code class="v">rules.p_need</code>') in html
    assert "<td>rules.p_need</td>" not in html
    # the rows' names stay put while the share table scrolls
    assert '<th class="name">A</th>' in html and '<div class="scroll">' in html
    assert "clearly worse" in html and "<th>±</th>" in html
    paths, text = write_outputs(r, tmp_path)
    page = paths["html"].read_text()
    from sim.report.html import SCROLL_CUE_SCRIPT  # a box wider than the screen says so

    assert SCROLL_CUE_SCRIPT in page and ".scroll.more::before" in page
    assert "A share near 50% means no consistent direction" in text
    import pandas as pd

    tidy = pd.read_csv(paths["clearly_beats_baseline"])
    row = tidy[(tidy.intervention == "A") & (tidy.metric == "unmet_need")].iloc[0]
    assert row.better == 1.0 and row.clearly_better == 1.0 and row.clearly_worse == 0.0


def test_every_shipped_value_lies_within_its_plausible_range():
    """A helper's check: p_doorstep shipped at 0.01 with a plausible range of 0.02-0.08, so
    no sampled world was near the shipped model on doorstep chats."""
    from sim.robustness.reference import outside_range
    from sim.robustness.worlds import uncertainties

    assert [u.path for u in uncertainties() if outside_range(u)] == []


def test_the_page_gives_each_assumption_in_whole_words():
    """A user check: the page's descriptions ended in "..." at any width ("passes it on to
    the...", "trust squared..."), cut at 80 characters where the table wraps them anyway."""
    r = _planted(n=120)
    r.setup = {"files": ["a.toml"], "days": 730, "residents": 400, "replicates": 2,
               "run_seed": 1, "world_seed": 2, "worlds": len(r.worlds)}
    html = robustness_html(r, {}, sensitivity=r.sensitivity())
    assert "…" not in html


def test_a_share_of_few_worlds_is_said_as_a_count():
    """A user check: "the best choice in 88% of 8 plausible worlds" (7 of them)."""
    from sim.robustness.html import _of_worlds

    assert _of_worlds(7 / 8, 8) == "7 of 8 plausible worlds"
    assert _of_worlds(0.8828125, 128) == "88% of 128 plausible worlds"
    r = _planted(n=8)
    (lede, *_) = summary_sentences(r)
    assert " of 8 plausible worlds." in lede and "%" not in lede


def test_every_share_of_few_worlds_on_the_page_is_a_count(tmp_path):
    """A user check: with 8 worlds the best-option table counted ("2 of 8") while the table
    of worlds beating the baseline, head to head, the chart and the terminal's tables gave
    "25%" of 8 worlds. Every share of worlds follows the report's one rule (fmt_share_of: a
    count below COUNT_BELOW), and with enough worlds is still a percentage."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from sim.report.units import COUNT_BELOW
    from sim.robustness.charts import plot_share_of_worlds

    def shares(text):  # the share cells of the page's tables (the sensitivity's are indices)
        tables = text.split("Which assumptions the recommendation depends on")[0]
        cells = re.findall(r'<td class="num">(.*?)</td>', tables)
        return [c for cell in cells for c in re.sub(r"<[^>]+>", "|", cell).split("|")
                if c.strip() and c.strip() != "-"]

    few = _planted(n=8)
    few.outcomes[:4, 2, :, 0] -= 0.04  # B clearly best in half the worlds: a change to say
    few.__post_init__()
    paths, text = write_outputs(few, tmp_path / "few")
    cells = shares(paths["html"].read_text())
    assert len(cells) > 30  # best, beats the baseline (with clearly, clearly worse), head to head
    for c in cells:
        assert re.fullmatch(r"(clearly |clearly worse )?\d of 8", c.strip()), c
    tables = text.split("share of worlds beating the baseline:")[1].split("A share near")[0]
    assert "%" not in tables and " of 8" in tables
    assert "%" not in " ".join(summary_sentences(few))
    fig = plot_share_of_worlds(few)
    said = [t.get_text() for t in fig.axes[0].texts]
    plt.close(fig)
    assert said and all(re.search(r"\d of 8$", t) for t in said), said

    many = _planted(n=COUNT_BELOW)
    paths, text = write_outputs(many, tmp_path / "many")
    cells = shares(paths["html"].read_text())
    assert cells and all(" of " not in c and c.endswith("%") for c in cells), cells
    tables = text.split("share of worlds beating the baseline:")[1].split("A share near")[0]
    assert f" of {COUNT_BELOW}" not in tables and "%" in tables


def _tied(n=40, seed=1, apart=None) -> RobustnessResult:
    """A and B both cut unmet need by the same amount, so which is best is chance, except
    (``apart``: a boolean per world) where A cuts it by far more."""
    unc = uncertainties()
    x = sample_worlds(n, seed)
    rng = np.random.default_rng(seed)
    out = 0.3 + rng.normal(0, 0.001, (n, 3, 2, len(KEY_METRICS)))
    out[:, 1:, :, 0] -= 0.02
    if apart is not None:
        out[apart, 1, :, 0] -= 0.02
    return RobustnessResult(["Baseline", "A", "B"], unc, x, list(KEY_METRICS),
                            "unmet_need", out)


def test_a_world_whose_best_is_within_the_noise_has_no_clear_best(tmp_path):
    """A user check: "the best choice in 4 of 8 worlds" where the best and the runner-up
    were within their paired runs' noise in every world (0% clearly better than the
    baseline); the shares, the lede and the recommendation took any difference at face
    value."""
    from sim.robustness.analysis import NO_CLEAR_BEST

    r = _tied()
    face = r.recommendation_shares()
    assert 0.2 < face["A"] < 0.8  # at face value a coin toss between A and B
    clear = r.clear_recommendation()
    assert (clear == -1).mean() >= 0.9  # within the noise: no clear best
    assert r.clear_recommendation_shares()[NO_CLEAR_BEST] == pytest.approx((clear == -1).mean())
    # the rule: the lead must beat CLEAR_MARGIN standard errors of that pair's difference
    se = r.pairwise_noise()
    np.testing.assert_allclose(se[:, 0], r.paired_noise())
    np.testing.assert_allclose(se, se.transpose(1, 0, 2))
    assert not r.changed().any()  # a world with no clear best is not a change
    lede = summary_sentences(r)
    assert lede[0].startswith("On 'Unmet need (a week or more)', no option is clearly the "
                              "best in any of the 40") or "no option is clearly best" in \
        " ".join(lede)
    if (clear == -1).all():  # a margin within the noise everywhere: its ranking is not read
        assert any(s.startswith("Which assumptions matter most cannot be read here")
                   for s in lede)
    # half the worlds with A far ahead: clearly best there, no clear best in the rest
    apart = np.arange(40) % 2 == 0
    r = _tied(apart=apart)
    clear = r.clear_recommendation()
    assert (clear[apart] == 1).all() and (clear[~apart] == -1).mean() >= 0.9
    unclear = int((clear == -1).sum())
    words = " ".join(summary_sentences(r))
    assert words.startswith("On 'Unmet need (a week or more)', A is clearly the best choice "
                            f"in {int((clear == 1).mean() * 100 + 0.5)}% of 40")
    assert "no option is clearly best: the best and the runner-up are closer than 2 " \
        "times the noise" in words
    paths, text = write_outputs(r, tmp_path)
    assert "no option is clearly best" in text and "(no clear best)" in text
    page = paths["html"].read_text()
    assert "no clear best (within the noise)" in page and "clearly best</th>" in page
    assert "An option is clearly best in a world only when it is ahead of every other " \
        "option" in page and "Head to head, A clearly beats B where" in page
    import pandas as pd

    worlds = pd.read_csv(paths["worlds"])
    assert list(worlds.recommended) == [r.scenarios[i] for i in r.recommendation()]  # as was
    assert (worlds.clearly_recommended == NO_CLEAR_BEST).sum() == unclear
    assert set(worlds.runner_up) <= set(r.scenarios)
    # with a clear planted flip, the clear best is the face-value best in every world
    p = _planted()
    np.testing.assert_array_equal(p.clear_recommendation(), p.recommendation())


def test_head_to_head_says_how_often_a_win_is_clear():
    """A user check: "A beats B in 55% of worlds" with no word that most of those wins
    were within the noise."""
    r = _planted(n=120)
    each = r.beats_each_other().set_index(["a", "b", "metric"])
    assert list(r.beats_each_other().columns[:4]) == ["a", "b", "metric", "share"]  # as was
    # planted: A ahead where p_need > 0.012, B elsewhere, by far more than the noise
    assert each.at[("A", "B", "unmet_need"), "clearly_better"] == pytest.approx(
        each.at[("A", "B", "unmet_need"), "share"])
    # noise only: a coin toss at face value, clearly in few worlds
    coin = each.at[("A", "B", "trust_generalised"), "share"]
    assert 0.3 < coin < 0.7
    assert each.at[("A", "B", "trust_generalised"), "clearly_better"] < 0.08
    assert each.at[("A", "B", "trust_generalised"), "noise_se"] == pytest.approx(0.001,
                                                                                 rel=0.3)
    html = robustness_html(r, {})
    assert "Head to head on &lsquo;Unmet need (a week or more)&rsquo;" in html
    assert '<span class="v">clearly ' in html.split("Head to head on")[1]
    one = RobustnessResult(r.scenarios, r.uncertainties, r.worlds, r.metrics, r.primary,
                           r.outcomes[:, :, :1])
    assert one.beats_each_other().clearly_better.isna().all()


def test_a_weak_region_where_the_recommendation_changes_is_not_reported_as_a_finding():
    """A user check: the terminal said a region of the assumptions held the changes, where
    the recommendation changed in only 20% of that region's worlds, with no warning."""
    from sim.robustness.analysis import region_weakness

    assert "mostly_holds" in region_weakness(128, 56, 11)  # the docs' 20%
    assert region_weakness(8, 4, 4) == ["few_worlds", "few_changes"]
    assert region_weakness(128, 20, 18) == []
    # B clearly best in one in four of the worlds with little need arriving: a region, but
    # one where the recommendation mostly holds
    r = _tied(n=80, apart=np.ones(80, dtype=bool))  # A far ahead ...
    j = [u.path for u in r.uncertainties].index("rules.p_need")
    order = np.argsort(r.worlds[:, j])
    some = order[:40][::4]  # evenly spread over the lower half of p_need's range
    r.outcomes[some, 2, :, 0] -= 0.04  # ... except in some of them, where B is
    r.__post_init__()
    assert r.changed().sum() == len(some) == 10
    sens = r.sensitivity()  # the screen need not rank p_need first with 10 changes: put it
    sens = sens.loc[["rules.p_need", *sens.index.drop("rules.p_need")]]
    sens = sens.assign(beyond_chance=sens.index == "rules.p_need")  # and standing out
    flips = r.flips(sensitivity=sens, max_dims=1)
    assert flips["conditions"] and flips["weak"] == ["mostly_holds"], flips
    words = " ".join(summary_sentences(r, sens, flips))
    assert "There is no clear region of the assumptions where it changes: the " \
        "likeliest-looking region takes in" in words
    assert "not a finding" in words and "Of those worlds, " not in words
    for jargon in ("PRIM", "coverage", "density"):
        assert jargon not in words
    # bounded only by assumptions that do not stand out from chance: chance's cut, said so
    chance = sens.assign(beyond_chance=False)
    flips = r.flips(sensitivity=chance, max_dims=1)
    assert flips["conditions"] and "chance_limits" in flips["weak"], flips
    assert "are not linked to the recommendation beyond what chance gives" in " ".join(
        summary_sentences(r, chance, flips))
    # few worlds: said so, whatever the region
    p = _planted(n=12)
    f = p.flips()
    if f["conditions"]:
        assert "few_worlds" in f["weak"]
        assert "12 worlds are too few to look for one" in " ".join(summary_sentences(p))
    # a strong planted region is still reported as one
    p = _planted()
    assert p.flips()["weak"] == []
    assert re.search(r"Of those worlds, \d+% lie where p_need between",
                     " ".join(summary_sentences(p)))


def test_the_worlds_chart_marks_clearly_worse_cells_and_says_what_the_marks_mean():
    """A user check: the chart coloured cells by the share of worlds better than the
    baseline only; an intervention clearly worse in many worlds looked merely orange."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from sim.robustness.charts import chance_clearly, clearly_worse_marks, plot_share_of_worlds

    assert chance_clearly(128) == 7 and chance_clearly(8) == 2
    r = _planted()
    k = r.metrics.index("burnout_per_1000")
    r.outcomes[:, 2, :, k] += 0.01  # B clearly raises burnout in every world
    r.__post_init__()
    marks = clearly_worse_marks(r)
    assert marks[1, k] and marks.sum() == 1
    fig = plot_share_of_worlds(r)
    ax = fig.axes[0]
    assert sum(1 for p in ax.patches if p.get_hatch()) == 1
    assert any("clearly worse 100%" in t.get_text() for t in ax.texts)
    (legend,) = fig.legends
    assert any(t.get_text().startswith("hatched: clearly worse than doing nothing in 4 or "
                                       "more of 40 worlds") for t in legend.get_texts())
    # the colour is a share of worlds better at face value, not harm (a user check read an
    # orange "clearly worse 0 of 4" as worse)
    assert "orange to red: better in few or none (not clearly worse unless it says so)" in [
        t.get_text() for t in legend.get_texts()]
    plt.close(fig)


def test_the_pages_charts_link_to_their_full_size_image(tmp_path):
    """A user check: on a phone the charts could not be opened full size, as the report's
    can (sim.report.page.figure)."""
    from sim.report.html import FULL_SIZE_SCRIPT

    r = _planted()
    paths, _ = write_outputs(r, tmp_path)
    page = paths["html"].read_text()
    for name in ("robustness_worlds.png", "robustness_sensitivity.png"):
        assert f'<figure><a href="{name}"><img src="{name}"' in page
        assert f'<a href="{name}">Open the full-size chart</a></figcaption>' in page
    assert FULL_SIZE_SCRIPT in page


def _noise(n: int, method: str = "lhs", seed: int = 3) -> RobustnessResult:
    """A result whose margin has nothing to do with any assumption: A cuts unmet need a
    little more than B in every world, plus the runs' noise."""
    unc = uncertainties()
    x = sample_worlds(n, seed, method)
    rng = np.random.default_rng(seed)
    out = 0.3 + rng.normal(0, 0.001, (len(x), 3, 2, len(KEY_METRICS)))
    out[:, 1, :, 0] -= 0.01
    out[:, 2, :, 0] -= 0.008
    return RobustnessResult(["Baseline", "A", "B"], unc, x, list(KEY_METRICS), "unmet_need",
                            out, method=method)


def _said(r, tmp_path):
    """(the terminal's text, the page, the sensitivity chart's title)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from sim.robustness.charts import plot_sensitivity

    paths, text = write_outputs(r, tmp_path)
    fig = plot_sensitivity(r)
    title = fig.axes[0].get_title()
    plt.close(fig)
    return text, paths["html"].read_text(), title


def test_no_ranking_of_the_assumptions_is_claimed_with_too_few_worlds(tmp_path):
    """A user check: with --worlds 1 every value in sensitivity.csv was empty, yet the output
    said "ranked anyway ... p_need; ..."; with 2 or 3 worlds every |rho| was 1.0 and it said
    "The margin ... depends most on p_need" (the declaration order)."""
    for n in (1, 3):
        r = _noise(n)
        text, page, title = _said(r, tmp_path / str(n))
        assert "depends most on" not in text + page and "ranked anyway" not in text + page
        assert (f"cannot be told with {n} world{'s' if n > 1 else ''}: with fewer than 7, even "
                "an assumption that put the worlds' margins in perfect order could be chance "
                "among 31 assumptions") in text
        assert "no ranking is given" in page and "<th>|rank correlation|</th>" not in page
        assert title == f"No ranking of the assumptions: too few worlds ({n})"
        assert "No ranking of the uncertain assumptions: too few worlds" in page  # caption
    from sim.robustness.analysis import min_worlds_to_rank

    assert min_worlds_to_rank(31) == 7  # 31 * 2 / 6! > 5% >= 31 * 2 / 7!


def test_an_assumption_is_called_influential_only_beyond_chance(tmp_path):
    """A user check: with 24 worlds the top |rho|, 0.52, was about what chance gives with 31
    assumptions, yet the summary and the chart said the recommendation 'depends most on'
    it."""
    r = _noise(24)
    text, page, title = _said(r, tmp_path / "noise")
    assert "depends most on" not in text + page
    from sim.robustness.analysis import CHANCE_ALPHA, rank_chance_level

    sens = r.sensitivity()
    level = sens.chance_level.iloc[0]
    assert 0.5 < level < 0.75 and not sens.beyond_chance.any()
    top = sens.index[0].split(".", 1)[1]
    assert (f"No assumption stands out from chance as one the recommendation's margin depends "
            f"on: the largest |rank correlation| with 24 worlds, "
            f"{sens.abs_spearman.iloc[0]:.2f} ({top}), is not above {level:.2f}, the level the "
            "largest of 31 rank correlations exceeds by chance only 1 time in 20") in text
    assert title.startswith("No assumption stands out from chance (24 worlds)")
    assert "<th>beyond chance</th>" in page and "<b>yes</b>" not in page
    # the level is what it says: with no assumption mattering, the largest |rho| of 31
    # passes it in about 1 sample in 20
    rng = np.random.default_rng(0)
    x = sample_worlds(24, 5)
    passed = []
    for _ in range(120):
        y = rng.normal(size=24)
        from scipy.stats import spearmanr

        top_rho = max(abs(spearmanr(x[:, j], y).statistic) for j in range(x.shape[1]))
        passed.append(top_rho > rank_chance_level(x, y, permutations=400))
    assert 0.0 < np.mean(passed) < 3 * CHANCE_ALPHA
    # a real dependence stands out, and only it (and what its sample goes with) is named
    p = _planted()
    sens = p.sensitivity()
    assert sens.beyond_chance["rules.p_need"] and sens.beyond_chance.sum() < 5
    text, page, title = _said(p, tmp_path / "planted")
    assert re.search(r"The margin of the recommendation depends most on rate at which short "
                     r"needs arrive \(p_need, 0\.\d\d\)", text)
    assert "do not stand out from chance" in text
    assert title.startswith("Which assumptions the recommendation's margin depends on")


def test_sobol_indices_from_too_few_worlds_are_not_read_as_findings(tmp_path):
    """A user check: --method sobol --worlds 2 gave indices of 1.93 ±7.16 (an index is a
    share of variance, 0 to 1), said "depends most on p_refer" with no caveat, and the page
    called the total index the share "due to that assumption alone"."""
    r = _noise(2, "sobol")
    text, page, title = _said(r, tmp_path / "few")
    assert "depends most on" not in text + page
    sens = r.sensitivity()
    assert (sens.ST_conf.max() >= 0.5) or (sens.ST.max() > 1)
    assert f"cannot be read from these {len(r.worlds)} worlds: of the Sobol indices computed" \
        in text and "that says the design has too few worlds" in text
    assert "No ranking" in title and "<th>index</th>" not in page
    # enough worlds and a real dependence: the total index in the right words
    unc = uncertainties()
    r = _noise(64, "sobol")
    j = [u.path for u in unc].index("rules.p_need")
    r.outcomes[:, 1, :, 0] -= (r.worlds[:, j] - 0.004)[:, None]
    r.__post_init__()
    sens = r.sensitivity()
    assert list(sens.index[sens.beyond_chance]) == ["rules.p_need"]
    text, page, _ = _said(r, tmp_path / "many")
    assert "depends most on rate at which short needs arrive (p_need, total 0." in text
    assert "A total index is the share of the margin&#x27;s variance due to that assumption, " \
        "alone or through its interactions with others" in page
    assert "due to that assumption alone (0 to 1)" not in page


def test_the_baseline_best_in_some_worlds_is_called_doing_nothing():
    """A user check read "no intervention comes out best in 2 of 4", as if nothing had been
    compared there: where the baseline is best the words say doing nothing is."""
    r = _planted()
    j = [u.path for u in r.uncertainties].index("rules.p_need")
    low = r.worlds[:, j] <= 0.008  # a quarter of the worlds: A is best in most
    r.outcomes[low, 1:] = r.outcomes[low, :1] + 0.02  # both raise unmet need there
    r.__post_init__()
    words = " ".join(summary_sentences(r))
    assert "doing nothing in" in words, words
    assert "no intervention" not in words


def test_the_page_answers_in_short_first_and_says_a_closure_is_not_an_option_to_fund():
    """A user check: the page gave rank correlations and standard errors before any answer,
    said a closure was "the best choice", and repeated a garbled note on programmes' ranges
    seven times. It opens with one plain sentence; a closure is said to be one, not an
    option to fund; the note is said once."""
    from sim.robustness.html import LOSS_WORDS

    r = _planted()
    page = robustness_html(r, {})
    first = re.search(r'<p class="lede"><strong>In short:</strong> (.*?)\n', page)
    assert first and first.group(1) == html.escape(lower_lead(in_short(r))), page[:800]
    assert first.group(1).startswith("on &#x27;Unmet need")  # "In short: On ..." read oddly
    assert page.index("In short:") < page.index("rank correlation")
    assert in_short(r).startswith("On 'Unmet need (a week or more)', A is clearly the best "
                                  "choice in ")
    r.setup = {"files": ["a.toml", "b.toml", "c.toml"], "days": 30, "residents": 100,
               "replicates": 2, "run_seed": 1, "world_seed": 2, "worlds": len(r.worlds),
               "losses": ["B"]}
    assert f"B{LOSS_WORDS}" in " ".join(summary_sentences(r)) + robustness_html(r, {})
    page = html.unescape(robustness_html(r, {}))
    programmes = [u for u in r.uncertainties if is_programme(u.path)]
    assert page.count("a programme's own assumption: see below") == len(programmes)
    assert page.count("Where a scenario file sets its own value") == (1 if programmes else 0)
    assert "sampled over shipped" not in page


def test_a_rank_correlation_equal_to_the_chance_level_is_not_beyond_it(monkeypatch):
    """A user check: with 8 worlds an assumption's |rank correlation| of 13/14 met a chance
    level of 13/14 a rounding apart (0.9285714285714287 against ...285) and read "beyond
    chance". Equal is not above."""
    import sim.robustness.analysis as analysis

    r = _planted(n=8)
    top = float(r.sensitivity()["abs_spearman"].max())
    for level, beyond in ((top - 2e-16, False), (top - 0.01, True)):
        monkeypatch.setattr(analysis, "rank_chance_level", lambda *a, lv=level, **k: lv)
        sens = r.sensitivity()
        assert bool(sens["beyond_chance"].iloc[0]) is beyond, (level, sens.head(2))


def test_the_clearest_effects_are_said_beside_the_answer():
    """A user check: the lede missed the tables' clearest result (a closure clearly worse
    on trust in 8 of 8 worlds). An effect clear in three quarters of the worlds or more is
    said beside the answer, each option named once."""
    from sim.robustness.html import clearest

    r = _planted()
    said = clearest(r)
    assert said.startswith("Clearest across the plausible worlds: "), said
    assert "B is clearly better than doing nothing on 'Unmet need (a week or more)' (" in said
    assert said.count("B is clearly") == 1
    page = robustness_html(r, {})
    assert page.index(html.escape(said)) < page.index("rank correlation")
    one = _planted()
    one.outcomes = one.outcomes[:, :, :1]  # one run per world: nothing is clear
    one.__post_init__()
    assert clearest(one) == ""
