"""Summaries from the run files: medians, 90% bands, paired effects with intervals, and the
tidy daily table streamed to CSV."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from sim.ensemble import read_table, run_ensemble, store, summarise, write_daily_csv
from sim.scenario.schema import RunSettings, Scenario

DAYS, REPS, SEED, RESIDENTS = 40, 8, 11, 300
TRUST = ["trust_out_group", "trust_generalised"]


@pytest.fixture(scope="module")
def ensemble(tmp_path_factory):
    """Baseline and a rule change: contact between residents builds trust twice as fast."""
    base = Scenario("Baseline", run=RunSettings(days=DAYS, replicates=REPS, seed=SEED))
    base = base.with_overrides(residents=RESIDENTS)
    rules = dataclasses.replace(base.model.rules,
                                contact_trust_gain=2 * base.model.rules.contact_trust_gain)
    warm = dataclasses.replace(base, name="Warmer contact",
                               model=dataclasses.replace(base.model, rules=rules))
    out = tmp_path_factory.mktemp("summary") / "ens"
    assert run_ensemble([base, warm], out, workers=1).ok
    return out


def tables(out, slug, metric):
    """(replicates, days) values of one metric, read independently of the summary code."""
    return np.array([read_table(store.table_path(out, slug, r))[metric].to_numpy()
                     for r in range(REPS)])


def test_medians_bands_and_effects_match_a_direct_computation(ensemble):
    s = summarise(ensemble, metrics=TRUST)
    assert set(s.summary.metric) == {c for c in read_table(
        store.table_path(ensemble, "baseline", 0)).columns if c.split("[")[0] in TRUST}
    row = s.summary.set_index(["slug", "metric"]).loc[("warmer_contact", "trust_out_group")]
    base, warm = tables(ensemble, "baseline", "trust_out_group"), tables(
        ensemble, "warmer_contact", "trust_out_group")
    assert row.median_end == pytest.approx(np.median(warm[:, -1]))
    assert row.band_lo == pytest.approx(np.percentile(warm[:, -1], 5))
    assert row.band_hi == pytest.approx(np.percentile(warm[:, -1], 95))
    q = DAYS // 4
    for which, a, b in (("end", warm[:, -1], base[:, -1]),
                        ("lastq", warm[:, -q:].mean(axis=1), base[:, -q:].mean(axis=1))):
        paired = stats.ttest_rel(a, b).confidence_interval(0.95)
        welch = stats.ttest_ind(a, b, equal_var=False).confidence_interval(0.95)
        assert row[f"effect_{which}"] == pytest.approx(np.mean(a - b))
        assert (row[f"effect_{which}_lo"], row[f"effect_{which}_hi"]) == pytest.approx(
            (paired.low, paired.high))
        assert (row[f"effect_{which}_unpaired_lo"], row[f"effect_{which}_unpaired_hi"]) == \
            pytest.approx((welch.low, welch.high))
    assert row.n_pairs == REPS and row.n_replicates == REPS and row.n_missing == 0
    baseline_rows = s.summary[s.summary.slug == "baseline"]
    assert baseline_rows.effect_end.isna().all() and (baseline_rows.n_pairs == 0).all()
    # bands through time: every day of every metric for both scenarios
    day5 = s.bands[(s.bands.scenario == "Baseline") & (s.bands.metric == "trust_out_group")
                   & (s.bands.day == 5)].iloc[0]
    assert day5["median"] == pytest.approx(np.median(base[:, 5]))
    assert len(s.bands) == 2 * (DAYS + 1) * len(set(s.summary.metric))


def test_pairing_shrinks_the_interval_of_a_real_rule_change(ensemble):
    s = summarise(ensemble, metrics=TRUST).summary.set_index(["slug", "metric"])
    for metric in TRUST:
        row = s.loc[("warmer_contact", metric)]
        paired = row.effect_lastq_hi - row.effect_lastq_lo
        unpaired = row.effect_lastq_unpaired_hi - row.effect_lastq_unpaired_lo
        # same seeds share the community and its luck: the paired interval is far narrower
        assert paired < 0.5 * unpaired, (metric, paired, unpaired)
    # and the paired interval sees that faster trust-building raises trust in other groups
    row = s.loc[("warmer_contact", "trust_out_group")]
    assert row.effect_lastq_lo > 0


def test_small_memory_budget_streams_columns_and_gives_the_same_summary(ensemble):
    whole = summarise(ensemble)
    # room for 40 of the ~155 columns at a time: four passes over the run files
    chunked = summarise(ensemble, memory_budget_bytes=REPS * (DAYS + 1) * 8 * 40)
    pd.testing.assert_frame_equal(whole.summary, chunked.summary, check_exact=True)
    pd.testing.assert_frame_equal(whole.bands, chunked.bands, check_exact=True)


def test_baseline_can_be_any_scenario(ensemble):
    s = summarise(ensemble, baseline="Warmer contact", metrics=["trust_out_group"])
    flipped = s.summary.set_index(["slug", "metric"]).loc[("baseline", "trust_out_group")]
    usual = summarise(ensemble, metrics=["trust_out_group"]).summary.set_index(
        ["slug", "metric"]).loc[("warmer_contact", "trust_out_group")]
    assert s.baseline == "warmer_contact"
    assert flipped.effect_end == pytest.approx(-usual.effect_end)
    with pytest.raises(ValueError, match="not in the plan"):
        summarise(ensemble, baseline="nope")


def test_daily_csv_is_tidy_complete_and_not_overwritten(ensemble, tmp_path):
    path = tmp_path / "daily.csv"
    n = write_daily_csv(ensemble, path, metrics=["unmet_need"])
    daily = pd.read_csv(path)
    assert list(daily.columns) == ["scenario", "replicate", "day", "metric", "value"]
    assert n == len(daily) == 2 * REPS * (DAYS + 1) * daily.metric.nunique()
    one = daily[(daily.scenario == "Warmer contact") & (daily.replicate == 3)
                & (daily.metric == "unmet_need")].set_index("day").value
    expected = read_table(store.table_path(ensemble, "warmer_contact", 3))["unmet_need"]
    assert np.array_equal(one.to_numpy(), expected.to_numpy())
    with pytest.raises(FileExistsError):
        write_daily_csv(ensemble, path)
    assert not list(tmp_path.glob(f".*{store.TMP_MARK}*"))


def test_steady_window_and_extra_windows_match_a_direct_computation(ensemble):
    """Verdicts come from a stated window: each run's mean over it, paired by seed."""
    s = summarise(ensemble, metrics=TRUST, steady=(11, 30), windows=[(21, 40), (1, 10)])
    assert s.steady == (11, 30)
    base, warm = tables(ensemble, "baseline", "trust_out_group"), tables(
        ensemble, "warmer_contact", "trust_out_group")
    row = s.summary.set_index(["slug", "metric"]).loc[("warmer_contact", "trust_out_group")]
    a, b = warm[:, 11:31].mean(axis=1), base[:, 11:31].mean(axis=1)  # rows are days 0..40
    paired = stats.ttest_rel(a, b).confidence_interval(0.95)
    assert (row.steady_first_day, row.steady_last_day) == (11, 30)
    assert row.effect_steady == pytest.approx(np.mean(a - b))
    assert (row.effect_steady_lo, row.effect_steady_hi) == pytest.approx(
        (paired.low, paired.high))
    assert row.mean_steady == pytest.approx(a.mean())
    # each replicate's steady mean is kept, for chances of being best
    kept = s.steady_values["warmer_contact"]["trust_out_group"]
    np.testing.assert_allclose(kept.to_numpy(), a)
    assert list(kept.index) == list(range(REPS))
    # extra windows: one row per scenario (other than the baseline), metric and window
    w = s.windows.set_index(["slug", "metric", "first_day"]).loc[
        ("warmer_contact", "trust_out_group", 21)]
    a, b = warm[:, 21:41].mean(axis=1), base[:, 21:41].mean(axis=1)
    paired = stats.ttest_rel(a, b).confidence_interval(0.95)
    assert w.last_day == 40 and w.n_pairs == REPS
    assert (w.effect, w.effect_lo, w.effect_hi) == pytest.approx(
        (np.mean(a - b), paired.low, paired.high))
    assert (w["mean"], w.base_mean) == pytest.approx((a.mean(), b.mean()))
    assert set(s.windows.slug) == {"warmer_contact"}
    assert not s.windows.metric.str.contains(r"\[").any()
    # the default steady window is the last quarter
    default = summarise(ensemble, metrics=TRUST).summary
    np.testing.assert_allclose(default.effect_steady, default.effect_lastq, equal_nan=True)


def test_probability_best_from_an_ensemble_is_the_share_of_seeds_won(ensemble):
    from sim.ensemble.intervals import probability_best

    s = summarise(ensemble, metrics=TRUST)
    values = {k: v["trust_out_group"] for k, v in s.steady_values.items()}
    p = probability_best(values, higher_is_better=True)
    q = DAYS // 4
    warm = tables(ensemble, "warmer_contact", "trust_out_group")[:, -q:].mean(axis=1)
    base = tables(ensemble, "baseline", "trust_out_group")[:, -q:].mean(axis=1)
    assert p["warmer_contact"] == pytest.approx(
        np.mean((warm > base) + 0.5 * (warm == base)))


def test_on_table_sees_every_run_once_with_its_whole_table(ensemble):
    seen = []
    summarise(ensemble, metrics=["unmet_need"],
              on_table=lambda entry, rep, frame: seen.append((entry["slug"], rep, frame)))
    assert [(slug, rep) for slug, rep, _ in seen] == (
        [("baseline", r) for r in range(REPS)] + [("warmer_contact", r) for r in range(REPS)])
    whole = read_table(store.table_path(ensemble, "warmer_contact", 2))
    pd.testing.assert_frame_equal(seen[REPS + 2][2], whole)
    # the same when the budget forces several passes over the columns
    again = []
    summarise(ensemble, memory_budget_bytes=REPS * (DAYS + 1) * 8 * 40,
              on_table=lambda entry, rep, frame: again.append((entry["slug"], rep)))
    assert again == [(slug, rep) for slug, rep, _ in seen]
