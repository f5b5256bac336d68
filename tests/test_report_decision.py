"""The decision card's logic on constructed results: the best option per outcome, its chance
of being best, cost per GBP 10,000, the best value for money, trade-offs in people, rankings
and costs in summary.csv."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from sim.metrics import Metric
from sim.report.decision import cost_columns, decide, people_measures

REPS = 8
RNG = np.random.default_rng(5)
# per-replicate steady means: Base, "Cheap" (small gains) and "Big" (larger gains, more
# burnout, organisers under strain doubled)
LEVELS = {
    "trust_out_group": {"base": 0.40, "cheap": 0.42, "big": 0.46},
    "help_seeking_rate": {"base": 0.34, "cheap": 0.345, "big": 0.40},
    "unmet_need": {"base": 0.030, "cheap": 0.029, "big": 0.020},
    "loneliness_share": {"base": 0.08, "cheap": 0.0805, "big": 0.079},
    "burnout_per_1000": {"base": 0.2, "cheap": 0.2, "big": 0.6},
    "big_organisers_strained": {"big": 2.0},
}
NAMES = {"base": "Base", "cheap": "Cheap", "big": "Big"}
ORGANISERS = {"big_organisers_strained": Metric(
    "big_organisers_strained", "Big: organisers under strain", "Organisers under strain.",
    "organisers", "community", None, higher_is_better=False, breakdown=False)}


def _values():
    """{slug: DataFrame(replicate x metric)}: paired noise shared by all scenarios."""
    common = RNG.normal(0, 0.01, (REPS, len(LEVELS)))
    out = {}
    for slug in NAMES:
        cols = {}
        for j, (m, levels) in enumerate(LEVELS.items()):
            if slug not in levels:
                continue
            if m == "big_organisers_strained":  # only Big has organisers
                cols[m] = levels[slug] + RNG.normal(0, 0.05, REPS)
                continue
            cols[m] = levels[slug] + common[:, j] * levels["base"] + RNG.normal(
                0, 0.0005 * levels["base"] / 0.03, REPS)
        out[slug] = pd.DataFrame(cols, index=pd.Index(range(REPS), name="replicate"))
    return out


def _summary(values):
    rows = []
    for slug, name in NAMES.items():
        for m in values[slug].columns:
            a = values[slug][m].to_numpy()
            row = {"scenario": name, "slug": slug, "metric": m, "mean_steady": a.mean(),
                   "n_pairs": 0, "effect_steady": np.nan, "effect_steady_lo": np.nan,
                   "effect_steady_hi": np.nan, "effect_end": np.nan}
            if slug != "base" and m in values["base"]:  # as the summary: no baseline, no effect
                b = values["base"][m].to_numpy()
                ci = stats.ttest_rel(a, b).confidence_interval(0.95)
                row.update(effect_steady=(a - b).mean(), effect_steady_lo=ci.low,
                           effect_steady_hi=ci.high, n_pairs=REPS)
            rows.append(row)
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def decided():
    values = _values()
    summary = _summary(values)
    costs = {"Base": 0.0, "Cheap": 10_000.0, "Big": 80_000.0}
    d = decide(summary, values, [(n, s) for s, n in NAMES.items()], "Base", costs,
               ORGANISERS)
    return d, summary, values, costs


def test_the_best_option_per_outcome_and_how_sure(decided):
    d, summary, values, _ = decided
    picks = {p.metric: p for p in d.picks}
    assert picks["trust_out_group"].best == "Big"
    assert picks["unmet_need"].best == "Big"  # lower is better
    # chance of being best: the share of paired replicates Big wins (doing nothing included)
    x = pd.concat({k: v["trust_out_group"] for k, v in values.items()}, axis=1)
    won = (x["big"] > x[["base", "cheap"]].max(axis=1)).mean()
    assert picks["trust_out_group"].p_best == pytest.approx(won)
    # helper_strain is not in these results: named, not measured
    assert not picks["helper_strain"].measured and "helper_strain" in d.missing


def test_cost_per_10k_and_best_value_for_money(decided):
    d, summary, _, costs = decided
    p = {p.metric: p for p in d.picks}["trust_out_group"]
    big = summary.set_index(["scenario", "metric"]).loc[("Big", "trust_out_group")]
    assert p.cost_per_year == 80_000
    assert p.per_10k == pytest.approx((big.effect_steady / 8, big.effect_steady_lo / 8,
                                       big.effect_steady_hi / 8))
    # Cheap gains 2 points for GBP 10,000; Big 6 points for GBP 80,000: Cheap is better value
    assert p.value_best == "Cheap"
    cheap = summary.set_index(["scenario", "metric"]).loc[("Cheap", "trust_out_group")]
    assert p.value_per_10k == pytest.approx(cheap.effect_steady)
    assert p.value_effect == pytest.approx(cheap.effect_steady)
    assert p.value_cost_per_year == 10_000


def test_the_card_gives_the_best_value_with_its_whole_effect_and_a_late_start_beside_its_pick(
        decided):
    """Two user checks: "Most per £10,000: Shared myth (+1.81 points)" of an option costing
    £7,800 a year whose whole effect was +1.4 read as more than it achieves; and a cafe
    opening on day 600 of a 610-day run was the card's pick, its late start said only under
    "What was compared"."""
    import html
    import re
    from types import SimpleNamespace

    from sim.report.sections_top import _pick_html

    d = decided[0]
    p = dataclasses.replace({p.metric: p for p in d.picks}["trust_out_group"],
                            value_cost_per_year=7_800.0)
    late = "Story (Big) starts on day 600, inside the window itself"
    card = html.unescape(re.sub(r"<[^>]+>", "", _pick_html(p, SimpleNamespace(
        metrics={}, decision=d, late_options={"Big": [late]}))))
    value = re.search(r"Most per \u00a310,000: Cheap \((.*?)\)", card)
    assert value, card
    points = f"{100 * p.value_effect:+.1f}".replace("-", "\u2212")
    assert value.group(1).endswith(f"per \u00a310,000; in all {points} points for "
                                   "\u00a37,800 a year"), value.group(1)
    assert f"Starts late: {late}" in card
    other = dataclasses.replace(p, best="Cheap")  # no late start: nothing said
    assert "Starts late" not in _pick_html(other, SimpleNamespace(
        metrics={}, decision=d, late_options={"Big": [late]}))


def test_trade_offs_are_in_people_and_say_how_many_times(decided):
    d, _, _, _ = decided
    p = {p.metric: p for p in d.picks}["help_seeking_rate"]
    text = "; ".join(p.tradeoffs)
    # burnout from 0.2 to 0.6 per 1,000 residents; organisers exist only with Big: named
    # apart, as its own staff's strain, not as something clearly worse than the baseline
    assert "burnt out (stepped back) 0.2 \u2192 0.6 per 1,000 (3.0 times as many)" in text
    assert "organisers" not in text
    assert p.staff == ["organisers 2.0"]  # under STAFF_STRAIN_WORDS, said once on the card
    # Cheap has no organisers and no clear harm
    assert {p.metric: p for p in d.picks}["trust_out_group"].tradeoffs != []
    assert people_measures(["strained_per_1000", "trust_out_group", "burnout_per_1000"]) == [
        "strained_per_1000", "burnout_per_1000"]


def test_ranking_orders_by_average_rank_over_paired_runs(decided):
    d, _, _, _ = decided
    order = [r.scenario for r in d.ranking]
    assert order[0] == "Big" and order[-1] == "Base"
    ranks = [r.average_rank for r in d.ranking]
    assert ranks == sorted(ranks) and ranks[0] >= 1 and ranks[-1] <= 3
    big = d.ranking[0]
    assert big.n_worse == 0 and big.n_better >= 3


def test_summary_csv_columns_from_the_decision(decided):
    d, summary, _, costs = decided
    out = cost_columns(summary, d, costs)
    big = out.set_index(["scenario", "metric"]).loc[("Big", "unmet_need")]
    assert big.cost_per_year_gbp == 80_000
    assert big.effect_per_10k_gbp == pytest.approx(big.effect_steady / 8)
    base = out[out.scenario == "Base"]
    assert base.effect_per_10k_gbp.isna().all()  # no cost, no effect
    for m in ("trust_out_group", "unmet_need"):
        assert out.loc[out.metric == m, "p_best"].sum() == pytest.approx(1.0)
    assert math.isnan(out.set_index(["scenario", "metric"]).loc[
        ("Big", "big_organisers_strained"), "p_best"])


def test_an_option_with_no_finished_run_does_not_sink_the_ranking(decided):
    _, summary, values, costs = decided
    scenarios = [(n, s) for s, n in NAMES.items()] + [("Lost", "lost")]
    d = decide(summary, values, scenarios, "Base", {**costs, "Lost": 5_000.0}, ORGANISERS)
    order = [r.scenario for r in d.ranking]
    assert order[0] == "Big" and order[-1] == "Lost"
    assert math.isnan(d.ranking[-1].average_rank)
    assert all(not math.isnan(r.average_rank) for r in d.ranking[:-1])


def test_a_loss_is_ranked_but_never_offered_as_what_to_fund():
    """A scenario that only takes something away (a hub closing: QA found "Library closes"
    named under "What to fund" as best for helper strain) keeps its place in the ranking
    and its chance of being best, but the card picks among programmes one could fund."""
    values = _values()
    summary = _summary(values)
    costs = {"Base": 0.0, "Cheap": 10_000.0, "Big": 80_000.0}
    scenarios = [(n, s) for s, n in NAMES.items()]
    every = decide(summary, values, scenarios, "Base", costs, ORGANISERS)
    assert {p.metric: p for p in every.picks}["trust_out_group"].best == "Big"
    without_big = decide(summary, values, scenarios, "Base", costs, ORGANISERS,
                         frozenset({"Big"}))
    pick = {p.metric: p for p in without_big.picks}["trust_out_group"]
    assert pick.best == "Cheap"
    assert "Big" in [row.scenario for row in without_big.ranking]
    assert ([r.average_rank for r in without_big.ranking]
            == [r.average_rank for r in every.ranking])


def test_an_option_that_runs_as_the_baseline_is_ranked_but_never_picked():
    """A user check: a plain copy of the baseline ("Baseline (copy 2)", effects all zero)
    was the card's pick, "No change on average", for an outcome the real option made a
    little worse. A copy (``copies``) keeps its place in the ranking, but the card picks
    among the other options, and names the copy as what it is when it is the runner-up."""
    metric = "unmet_need"
    rng = np.random.default_rng(3)
    base = 0.03 + rng.normal(0, 0.002, REPS)
    runs = {"base": base, "copy": base.copy(),  # the baseline's runs, seed for seed
            "worse": base + 0.001 + rng.normal(0, 0.0005, REPS)}
    names = {"base": "Base", "copy": "Base (copy)", "worse": "Worse"}
    values = {slug: pd.DataFrame({metric: a}, index=pd.Index(range(REPS), name="replicate"))
              for slug, a in runs.items()}
    rows = []
    for slug, name in names.items():
        row = {"scenario": name, "slug": slug, "metric": metric,
               "mean_steady": runs[slug].mean(), "n_pairs": REPS, "effect_steady": np.nan,
               "effect_steady_lo": np.nan, "effect_steady_hi": np.nan, "effect_end": np.nan}
        if slug != "base":
            diff = runs[slug] - base
            half = 0.0 if not diff.any() else float(
                stats.ttest_rel(runs[slug], base).confidence_interval(0.95).high - diff.mean())
            row.update(effect_steady=diff.mean(), effect_steady_lo=diff.mean() - half,
                       effect_steady_hi=diff.mean() + half)
        rows.append(row)
    summary = pd.DataFrame(rows)
    scenarios = [(n, s) for s, n in names.items()]
    costs = {"Base": 0.0, "Base (copy)": 0.0, "Worse": 10_000.0}
    as_if_an_option = {p.metric: p for p in decide(summary, values, scenarios, "Base",
                                                   costs).picks}
    assert as_if_an_option[metric].best == "Base (copy)"  # what the user check saw
    d = decide(summary, values, scenarios, "Base", costs, copies=frozenset({"Base (copy)"}))
    pick = {p.metric: p for p in d.picks}[metric]
    assert pick.best == "Worse"
    assert "Base (copy)" in [row.scenario for row in d.ranking]
    # the copy alone: nothing to pick, said as such (a user check: "No effect could be
    # computed", of effects computed and zero)
    alone = decide(summary[summary["scenario"] != "Worse"], values, scenarios[:2], "Base",
                   costs, copies=frozenset({"Base (copy)"}))
    pick = {p.metric: p for p in alone.picks}[metric]
    assert pick.best is None and pick.reason == ("No option to fund: every option runs as "
                                                 "the baseline, so there is nothing to pick.")


def test_a_copy_of_the_baseline_does_not_split_its_chance_of_being_best():
    """A user check: a plain copy of the baseline tied with it in every pair and took half of
    its share ("Best in 1½ of 3" for each). A copy is the baseline run for run: the chances
    and ranks are worked out without it, and it is given the baseline's; it is never named
    as the runner-up (it wins only the baseline's runs)."""
    metric = "unmet_need"
    rng = np.random.default_rng(5)
    base = 0.03 + rng.normal(0, 0.002, REPS)
    runs = {"base": base, "copy": base.copy(),
            "other": base + rng.normal(0, 0.002, REPS)}
    names = {"base": "Base", "copy": "Base (copy)", "other": "Other"}
    values = {slug: pd.DataFrame({metric: a}, index=pd.Index(range(REPS), name="replicate"))
              for slug, a in runs.items()}
    rows = [{"scenario": names[slug], "slug": slug, "metric": metric,
             "mean_steady": a.mean(), "n_pairs": REPS,
             "effect_steady": np.nan if slug == "base" else (a - base).mean(),
             "effect_steady_lo": np.nan if slug == "base" else (a - base).mean() - 0.001,
             "effect_steady_hi": np.nan if slug == "base" else (a - base).mean() + 0.001,
             "effect_end": np.nan} for slug, a in runs.items()]
    summary = pd.DataFrame(rows)
    scenarios = [(n, s) for s, n in names.items()]
    costs = {"Base": 0.0, "Base (copy)": 0.0, "Other": 10_000.0}
    with_copy = decide(summary, values, scenarios, "Base", costs,
                       copies=frozenset({"Base (copy)"}))
    without = decide(summary[summary["scenario"] != "Base (copy)"], values,
                     [scenarios[0], scenarios[2]], "Base", costs)
    row = {r.scenario: r for r in with_copy.ranking}
    alone = {r.scenario: r for r in without.ranking}
    assert 0 < alone["Base"].p_best[metric] < 1  # both win some pairs: a real test of ties
    for name in ("Base", "Base (copy)"):
        assert row[name].p_best[metric] == alone["Base"].p_best[metric]
        assert row[name].average_rank == alone["Base"].average_rank
    assert row["Other"].p_best[metric] == alone["Other"].p_best[metric]
    pick = {p.metric: p for p in with_copy.picks}[metric]
    assert pick.runner_up == "Base"
    # and summary.csv says which option runs as the baseline
    from sim.report.decision import cost_columns

    table = cost_columns(summary, with_copy, costs)
    assert dict(zip(table["scenario"], table["runs_as_baseline"], strict=True)) == {
        "Base": False, "Base (copy)": True, "Other": False}


def test_a_closures_saving_is_carried_beside_its_cost_not_taken_off_it():
    from types import SimpleNamespace

    from sim.report.decision import cost_columns

    values = _values()
    summary = _summary(values)
    costs = {"Base": 0.0, "Cheap": SimpleNamespace(per_year_gbp=10_000.0, total_gbp=20_000.0,
                                                   saved_per_year_gbp=150_000.0),
             "Big": 80_000.0}
    scenarios = [(n, s) for s, n in NAMES.items()]
    d = decide(summary, values, scenarios, "Base", costs, ORGANISERS)
    row = {r.scenario: r for r in d.ranking}
    assert (row["Cheap"].cost_per_year, row["Cheap"].saved_per_year) == (10_000.0, 150_000.0)
    assert row["Big"].saved_per_year == 0.0
    table = cost_columns(summary, d, costs)
    cheap = table[table["scenario"] == "Cheap"]
    assert set(cheap["saved_per_year_gbp"]) == {150_000.0}
    assert set(cheap["cost_per_year_gbp"]) == {10_000.0}
    effect = cheap["effect_steady"].to_numpy()
    per_10k = cheap["effect_per_10k_gbp"].to_numpy()
    shown = ~np.isnan(per_10k)
    assert shown.any()
    np.testing.assert_allclose(per_10k[shown], effect[shown] * 1.0)  # GBP 10,000 spent


def test_the_card_names_a_clear_harm_to_any_core_measure_not_only_the_headline_ones():
    """A user check: the card said "No clear harm to the other outcomes or to helpers" above
    an option whose own table showed resentful residents clearly worse."""
    values = _values()
    for slug, level in (("base", 0.05), ("cheap", 0.05), ("big", 0.07)):
        values[slug]["resentment_share"] = level + RNG.normal(0, 0.001, REPS)
    summary = _summary(values)
    d = decide(summary, values, [(n, s) for s, n in NAMES.items()], "Base",
               {"Base": 0.0, "Cheap": 10_000.0, "Big": 80_000.0}, ORGANISERS)
    pick = {p.metric: p for p in d.picks}["trust_out_group"]
    assert pick.best == "Big"
    assert any(t.startswith("resentful") for t in pick.tradeoffs), pick.tradeoffs
    # a measure with no better direction is never a harm
    assert not any("help given" in t.lower() for t in pick.tradeoffs)


def test_a_programmes_own_staff_under_strain_is_never_said_as_zero():
    """A user check: "organisers under strain 0.0 on average", in the harms' colour: below
    0.05 (0.0 to one decimal) it is not a harm to name."""
    from sim.report.decision import staff_strain

    levels = {("Big", "big_organisers_strained"): 0.03}
    assert staff_strain("Big", ["big_organisers_strained"], ORGANISERS, levels) == []
    levels = {("Big", "big_organisers_strained"): 0.26}
    assert staff_strain("Big", ["big_organisers_strained"], ORGANISERS, levels)[0].startswith(
        "organisers 0.3")


def test_a_programmes_own_staff_under_strain_says_out_of_how_many():
    """A user check: "bridge figures under strain 2.3 on average" left a council asking out of
    how many: the staff in post over the same window, whole when it is about whole."""
    from sim.report.decision import staff_strain

    levels = {("Big", "big_organisers_strained"): 2.26, ("Big", "big_staff_in_post"): 9.98}
    assert staff_strain("Big", ["big_organisers_strained"], ORGANISERS, levels) == [
        "organisers 2.3 of 10 in post"]
    levels[("Big", "big_staff_in_post")] = 9.6
    assert staff_strain("Big", ["big_organisers_strained"], ORGANISERS, levels) == [
        "organisers 2.3 of 9.6 in post"]
    # runs made before the count was measured: said without it
    del levels[("Big", "big_staff_in_post")]
    assert staff_strain("Big", ["big_organisers_strained"], ORGANISERS, levels) == [
        "organisers 2.3"]


def test_the_decision_knows_its_losses():
    values = _values()
    d = decide(_summary(values), values, [(n, s) for s, n in NAMES.items()], "Base",
               {"Base": 0.0, "Cheap": 10_000.0, "Big": 80_000.0}, ORGANISERS,
               frozenset({"Big", "Not here"}))
    assert d.losses == {"Big"}


def test_only_scenarios_of_losses_alone_are_losses():
    from sim.interventions import INTERVENTIONS
    from sim.report.decision import losses
    from sim.scenario import load_scenarios

    closure, cafe, base = load_scenarios(["scenarios/hub_closure.toml",
                                          "scenarios/third_space.toml",
                                          "scenarios/baseline.toml"])
    assert losses([closure, cafe, base]) == {closure.name}
    both = dataclasses.replace(closure, name="Close and open",
                               interventions=closure.interventions + cafe.interventions)
    assert losses([both]) == frozenset()
    assert [k for k, cls in INTERVENTIONS.items() if not cls.fundable] == ["hub_closure"]


def test_the_card_never_calls_a_change_for_the_worse_an_improvement():
    """The card's line for an outcome no option clearly improves names the largest average
    improvement only when there is one; when even the best option makes the outcome worse on
    average it says so (QA found +0.04 on loneliness named the "largest average effect"),
    whichever way the outcome counts as better."""
    from sim.report.decision import Effect, Pick
    from sim.report.sections_top import pick_headline
    from sim.report.units import display

    def pick(metric, effect, verdict):
        e = Effect("Cafe", metric, effect, effect - 0.01, effect + 0.01, verdict, 0.2, 0.2)
        return Pick(metric, "An outcome", True, "Cafe", e)

    lonely, trust = display("loneliness_share"), display("trust_out_group")
    assert lonely.higher_is_better is False and trust.higher_is_better is True
    assert "Best:" in pick_headline(pick("loneliness_share", -0.05, "better"), lonely)
    assert "Largest average improvement" in pick_headline(
        pick("loneliness_share", -0.004, "unclear"), lonely)
    worse = pick_headline(pick("loneliness_share", 0.04, "unclear"), lonely)
    assert "even on average" in worse and "improvement" not in worse
    assert "Largest average improvement" in pick_headline(
        pick("trust_out_group", 0.004, "unclear"), trust)
    assert "even on average" in pick_headline(pick("trust_out_group", -0.004, "worse"), trust)
    # beside a closure (never picked, which may clearly improve it): "no option to fund"
    beside = pick_headline(pick("helper_strain", -0.004, "unclear"), display("helper_strain"),
                           with_losses=True)
    assert beside.startswith("<p>No option to fund clearly improves this.")
    assert pick_headline(pick("trust_out_group", -0.004, "worse"), trust,
                         with_losses=True).startswith("<p>No option to fund improves this")


def test_an_effect_of_no_change_is_not_called_a_change_for_the_worse():
    """A user check: an option whose average effect was exactly 0.0 (0.0 to 0.0) was named
    "Least change for the worse". No change is said as no change; a change for the worse, however
    small, is still said as one."""
    from sim.report.decision import Effect, Pick
    from sim.report.sections_top import pick_headline
    from sim.report.units import display

    for metric in ("trust_out_group", "loneliness_share"):  # either way of being better
        e = Effect("Cafe", metric, 0.0, 0.0, 0.0, "unclear", 0.35, 0.35)
        line = pick_headline(Pick(metric, "An outcome", True, "Cafe", e), display(metric))
        assert "for the worse" not in line, line
        assert "No change on average: <span class='opt'>Cafe</span>" in line, line
    worse = Effect("Cafe", "trust_out_group", -0.001, -0.002, 0.0, "unclear", 0.35, 0.351)
    assert "Least change for the worse" in pick_headline(
        Pick("trust_out_group", "An outcome", True, "Cafe", worse), display("trust_out_group"))


def test_the_card_names_who_won_the_runs_its_pick_did_not():
    """Beside "Best in x% of the paired runs" the card names the scenario most often best
    apart from its pick, whoever it is: the baseline (no programme) and a loss (not an option
    to fund) too, said as such, and "most often best" when it won more runs than the pick (a
    user saw "Best in 0% of 10 paired runs; next Bridge figures, 20%" and could not tell who
    won the other 80%)."""
    from sim.report.decision import Effect, Pick
    from sim.report.sections_top import rival_words

    e = Effect("Cafe", "loneliness_share", -0.005, -0.013, 0.002, "unclear", 0.07, 0.065)
    pick = Pick("loneliness_share", "Lonely", True, "Cafe", e, p_best=0.0,
                runner_up="Baseline", runner_up_p=0.8, runner_up_role="baseline")
    assert rival_words(pick) == "; most often best: Baseline (no programme), 80%"
    pick.runner_up, pick.runner_up_p, pick.runner_up_role = "Library closes", 0.3, "loss"
    pick.p_best = 0.5
    assert rival_words(pick) == "; next Library closes (not an option to fund), 30%"
    pick.runner_up_p = 0.0
    assert rival_words(pick) == ""
    # from the decision itself: the rival is the most often best of all the others
    values = _values()
    d = decide(_summary(values), values, [(n, s) for s, n in NAMES.items()], "Base",
               {"Base": 0.0, "Cheap": 10_000.0, "Big": 80_000.0}, ORGANISERS,
               frozenset({"Big"}))
    p = {p.metric: p for p in d.picks}["trust_out_group"]
    assert p.best == "Cheap" and p.runner_up == "Big" and p.runner_up_role == "loss"
    others = [row.p_best["trust_out_group"] for row in d.ranking if row.scenario != "Cheap"]
    assert p.runner_up_p == max(others) > 0


def _decide_on(metric: str, levels: dict, spread: dict, costs: dict | None = None):
    """decide() on one headline outcome: each slug's steady means over REPS paired runs,
    ``levels[slug]`` on average plus noise of ``spread[slug]`` of its own (so an option can
    be clearly better by a little, or better on average by a lot but unclear)."""
    rng = np.random.default_rng(11)
    names = {slug: slug.capitalize() for slug in levels}
    noise = {slug: rng.normal(0, spread[slug], REPS) for slug in levels}
    values = {slug: pd.DataFrame({metric: level + noise[slug] - noise[slug].mean()},
                                 index=pd.Index(range(REPS), name="replicate"))
              for slug, level in levels.items()}
    rows = []
    for slug, name in names.items():
        a = values[slug][metric].to_numpy()
        row = {"scenario": name, "slug": slug, "metric": metric, "mean_steady": a.mean(),
               "n_pairs": REPS, "effect_steady": np.nan, "effect_steady_lo": np.nan,
               "effect_steady_hi": np.nan, "effect_end": np.nan}
        if slug != "base":
            b = values["base"][metric].to_numpy()
            ci = stats.ttest_rel(a, b).confidence_interval(0.95)
            row.update(effect_steady=(a - b).mean(), effect_steady_lo=ci.low,
                       effect_steady_hi=ci.high)
        rows.append(row)
    costs = costs or {name: (0.0 if slug == "base" else 10_000.0)
                      for slug, name in names.items()}
    d = decide(pd.DataFrame(rows), values, [(n, s) for s, n in names.items()], "Base", costs)
    return d, {p.metric: p for p in d.picks}[metric]


def test_the_card_names_an_option_that_clearly_improves_over_a_larger_unclear_average():
    """A user check: "No option clearly improves this. Largest average improvement: Weird but
    valid -2.8 (-26.8 to 21.3)" on unmet need, while the ranking marked Cafe -1.6 (-1.9 to
    -1.3) "better" and the same card named Cafe the most per GBP 10,000. The card picks
    among the options that clearly improve an outcome, by their average, and names the
    larger unclear average apart; "no option clearly improves this" only when none does."""
    from sim.report.sections_top import aside_words, pick_headline
    from sim.report.units import display

    d, pick = _decide_on("unmet_need", {"base": 0.10, "cafe": 0.084, "weird": 0.07},
                         {"base": 0.0, "cafe": 0.001, "weird": 0.12})
    effects = {row.scenario: row.effects["unmet_need"] for row in d.ranking
               if row.scenario != "Base"}
    # the premise: Cafe clearly better by a little, Weird better on average by more, unclear
    assert effects["Cafe"].verdict == "better" and effects["Weird"].verdict == "unclear"
    assert effects["Weird"].effect < effects["Cafe"].effect < 0
    assert pick.best == "Cafe" and pick.effect.verdict == "better"
    assert pick.aside is effects["Weird"]
    assert pick.value_best == "Cafe"  # the most per GBP 10,000 is the pick, not another
    disp = display("unmet_need")
    assert pick_headline(pick, disp) == "<p>Best: <span class='opt'>Cafe</span></p>"
    assert "Larger average, not clear: <strong>Weird</strong> \u2212" in \
        aside_words(pick, disp)
    # named once: when it is also the runner-up, its chance of being best goes with it
    pick.runner_up, pick.runner_up_p = "Weird", 0.25
    assert aside_words(pick, disp, REPS).endswith(", best in 2 of 8</p>")
    # the ranking's count of clear improvements agrees with the card's pick
    row = {r.scenario: r for r in d.ranking}
    assert (row["Cafe"].n_better, row["Weird"].n_better) == (1, 0)
    # with no clear improvement, the largest average is the pick, with nothing apart
    d, pick = _decide_on("unmet_need", {"base": 0.10, "cafe": 0.098, "weird": 0.07},
                         {"base": 0.0, "cafe": 0.02, "weird": 0.12})
    assert pick.best == "Weird" and pick.effect.verdict == "unclear" and pick.aside is None
    assert "No option clearly improves this" in pick_headline(pick, disp)


def test_the_card_names_an_option_not_clearly_worse_over_one_that_clearly_is():
    """The same rule where no option improves an outcome even on average: the card's orange
    edge says every option clearly makes it worse, so it never picks a clearly worse option
    (a little worse on average) over one the ranking marks unclear (worse on average by
    more); the clearly worse one is named apart."""
    from sim.report.sections_top import aside_words, pick_headline
    from sim.report.units import display

    d, pick = _decide_on("loneliness_share", {"base": 0.06, "tight": 0.065, "loose": 0.07},
                         {"base": 0.0, "tight": 0.001, "loose": 0.12})
    assert pick.best == "Loose" and pick.effect.verdict == "unclear"
    assert pick.aside is not None and pick.aside.scenario == "Tight"
    assert pick.aside.verdict == "worse" and pick.aside.effect < pick.effect.effect
    disp = display("loneliness_share")
    assert "Not clearly worse: <span class='opt'>Loose</span>" in pick_headline(pick, disp)
    assert "Smaller average harm, but clear: <strong>Tight</strong> +" in \
        aside_words(pick, disp)
    # every option clearly worse: the least bad, with nothing apart
    d, pick = _decide_on("loneliness_share", {"base": 0.06, "tight": 0.065, "loose": 0.07},
                         {"base": 0.0, "tight": 0.001, "loose": 0.001})
    assert pick.best == "Tight" and pick.effect.verdict == "worse" and pick.aside is None
    assert "Least change for the worse" in pick_headline(pick, disp)


def test_an_option_whose_every_effect_is_exactly_zero_runs_as_the_baseline():
    """A user check: a third space opening the library on a day it opens already ran exactly
    as the baseline (every effect 0.0 (0.0 to 0.0)), but its file differs, so it was not
    known for a copy and the card picked it, "No change on average". An option whose every
    effect came out exactly zero in every pair counts as one; one small effect is enough
    not to."""
    from sim.report.job import as_baseline
    from sim.scenario.schema import Scenario

    ordered = [Scenario(name="Base"), Scenario(name="Idle", description="differs"),
               Scenario(name="Real", description="differs too")]
    rows = [{"scenario": "Base", "metric": m, "effect_steady": np.nan,
             "effect_steady_lo": np.nan, "effect_steady_hi": np.nan, "effect_end": np.nan}
            for m in ("trust_out_group", "unmet_need")]
    for name, tiny in (("Idle", 0.0), ("Real", 1e-6)):
        rows += [{"scenario": name, "metric": m, "effect_steady": 0.0,
                  "effect_steady_lo": -tiny, "effect_steady_hi": tiny, "effect_end": 0.0}
                 for m in ("trust_out_group", "unmet_need")]
    summary = pd.DataFrame(rows)
    assert as_baseline(ordered) == ["Idle", "Real"]  # the same model: a copy by its files
    ordered[1] = Scenario(name="Idle").with_overrides(residents=500)  # another model
    ordered[2] = Scenario(name="Real", run=dataclasses.replace(ordered[0].run, days=9))
    assert as_baseline(ordered) == [] and as_baseline(ordered, summary) == ["Idle"]
    # and why, in the report's words for each option (a user check: only the command line's
    # warning said why an option did nothing)
    from sim.report.job import why_as_baseline

    copy = Scenario(name="Copy")
    why = why_as_baseline([ordered[0], copy, ordered[1]], {"Copy", "Idle"})
    assert why == {"Copy": "It runs exactly as the baseline: it has no interventions and the "
                   "same settings as the baseline, so every effect is zero by construction.",
                   "Idle": "It runs exactly as the baseline: every effect came out exactly zero "
                   "in every paired run, so its programmes do not act in this community."}
    # with what the check of its file said (a user check: the report sent its reader to
    # warnings printed before the runs)
    from sim.scenario.errors import WARNING, Problem

    told = dataclasses.replace(ordered[1], warnings=(
        Problem("idle.toml", "interventions[0].extra_open_days", "'Longer hours' adds no days: "
                "'library' already opens on sat, so it does nothing", WARNING),))
    assert why_as_baseline([ordered[0], told], {"Idle"})["Idle"].endswith(
        "not act in this community. The check of its file said: 'Longer hours' adds no "
        "days: 'library' already opens on sat, so it does nothing.")
