"""Places the model was never fitted to (issue 15): the place files change only what a
council knows, the command refuses anything else before it writes, and the predictions are
paired, reproducible and broken down by section.

Runs here are small (200 residents, two seeds, the calibration's two-year window): a few
seconds each. The direction of each observed contrast is tested on larger runs below."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim import cli
from sim.params import HubSpec
from sim.scenario import load_scenario
from sim.validation.places import (
    BASELINE_FILE,
    PLACE_METRICS,
    PLACES_DIR,
    Estimate,
    check_place,
    place_seeds,
    predict_places,
)

PLACE_FILES = sorted(PLACES_DIR.glob("*.toml"))
SMALL = 200


def files_under(folder: Path) -> set[Path]:
    return set(folder.rglob("*")) if folder.exists() else set()


def run_cli(argv, capsys):
    try:
        code = cli.main([str(a) for a in argv])
    except SystemExit as exit_:  # an option argparse refused
        code = exit_.code
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def baseline():
    return load_scenario(BASELINE_FILE)


# -- the place files ----------------------------------------------------------------------------


def test_there_are_at_least_three_places_and_none_is_in_the_main_jobs_folder():
    names = {p.stem for p in PLACE_FILES}
    assert {"rural_village", "deprived_estate", "student_ward"} <= names
    # the main job compares scenarios/*.toml (not recursive): places are not interventions
    assert not any(p.parent == BASELINE_FILE.parent for p in PLACE_FILES)


@pytest.mark.parametrize("path", PLACE_FILES, ids=lambda p: p.stem)
def test_each_place_changes_only_what_a_council_knows(path, baseline):
    place = load_scenario(path)
    assert check_place(baseline.model, place.model, place.interventions) == []
    # and it does describe a different place: its sections' mix or turnover differ
    mix = {s.name: (s.share, s.moves_per_year) for s in place.model.population.sections}
    base = {s.name: (s.share, s.moves_per_year) for s in baseline.model.population.sections}
    assert mix != base


@pytest.mark.parametrize("path", PLACE_FILES, ids=lambda p: p.stem)
def test_every_description_figure_in_a_place_file_is_sourced_in_a_comment(path):
    text = path.read_text()
    comments = "\n".join(line for line in text.splitlines() if line.lstrip().startswith("#"))
    for word in ("moving at", "Hubs", "Size", "Density of ties"):
        assert word in comments, f"{path.name}: no comment on {word}"
    place = load_scenario(path)
    for s in place.model.population.sections:
        # each share is written, as a percentage, in the comments that source it
        assert f"{round(100 * s.share)}%" in comments, (path.name, s.name, s.share)
        assert f"{s.moves_per_year:g}" in comments, (path.name, s.name, s.moves_per_year)


# -- what a place may not change ----------------------------------------------------------------


def _with(params, table: str, **values):
    return dataclasses.replace(params, **{table: dataclasses.replace(getattr(params, table),
                                                                     **values)})


def test_a_refitted_rule_or_calibrated_value_is_refused(baseline):
    base = baseline.model
    assert check_place(base, _with(base, "rules", p_need=0.02)) == [
        "rules.p_need: 0.02 differs from the baseline's 0.01097"]
    shape = check_place(base, _with(base, "population", helpfulness_shape=1.0))
    assert shape and shape[0].startswith("population.helpfulness_shape")
    profiles = dict(base.orientations)
    profiles["rescuer"] = dataclasses.replace(profiles["rescuer"], help_propensity=0.5)
    bad = dataclasses.replace(base, orientations=profiles)
    assert check_place(base, bad)[0].startswith("orientations.rescuer.help_propensity")
    assert check_place(base, _with(base, "network", share_bridging=0.3))


def test_a_section_keeps_its_kinds_behaviour_and_a_new_kind_is_refused(baseline):
    base = baseline.model
    secs = list(base.population.sections)
    secs[0] = dataclasses.replace(secs[0], trust_in_group=0.9)
    secs[1] = dataclasses.replace(secs[1], orientations={"unaligned": 1.0})
    secs[2] = dataclasses.replace(secs[2], name="pensioners")
    bad = _with(base, "population", sections=tuple(secs))
    problems = check_place(base, bad)
    assert any("(long_standing).trust_in_group" in p for p in problems)
    assert any("(newcomers).orientations" in p for p in problems)
    assert any("(pensioners): not one of the baseline's kinds" in p for p in problems)


def test_what_a_council_knows_may_change(baseline):
    base = baseline.model
    secs = tuple(dataclasses.replace(s, share=sh, moves_per_year=0.2, outside_contact_mean=0.4)
                 for s, sh in zip(base.population.sections, (0.7, 0.3, 0.0), strict=True))
    place = _with(base, "population", sections=secs, n_residents=500)
    place = _with(place, "network", ties_per_resident=7.0)
    place = dataclasses.replace(place, hubs=(HubSpec(name="hall", location="boundary"),))
    assert check_place(base, place) == []


# -- predictions --------------------------------------------------------------------------------


def test_an_estimate_has_a_t_interval_and_ignores_missing_values():
    e = Estimate.of([0.5, 0.6, float("nan"), 0.7])
    assert e.n == 3 and e.mean == pytest.approx(0.6)
    assert e.lo == pytest.approx(0.6 - 4.303 * 0.1 / np.sqrt(3), abs=1e-3)
    assert np.isnan(Estimate.of([0.5]).lo)
    # a share's interval stays a share's (over two seeds: "6.1 [-27.1, 39.3]" before)
    wide = Estimate.of([0.01, 0.11], bounds=(0.0, 1.0))
    assert (wide.lo, wide.mean) == (0.0, pytest.approx(0.06)) and wide.hi < 1.0
    assert Estimate.of([0.9, 0.99], bounds=(0.0, 1.0)).hi == 1.0


def test_seeds_are_fresh_and_reproducible():
    from sim.calibration.fit import STREAM_CALIBRATION, STREAM_CHECK, calibration_seeds

    seeds = place_seeds(20261124, 8)
    assert seeds == place_seeds(20261124, 8) and len(set(seeds)) == 8
    used = set(calibration_seeds(20261124, 8, STREAM_CALIBRATION)) | set(
        calibration_seeds(20261124, 8, STREAM_CHECK))
    assert not used & set(seeds)


@pytest.fixture(scope="module")
def small_predictions(baseline):
    places = [load_scenario(p).with_overrides(residents=SMALL) for p in PLACE_FILES]
    return predict_places(baseline.with_overrides(residents=SMALL), places,
                          seeds=place_seeds(3, 2), root_seed=3)


def test_predictions_are_paired_by_seed_and_broken_down_by_section(small_predictions):
    pred = small_predictions
    table = pred.table()
    assert set(table.metric) == set(PLACE_METRICS)
    village = table[(table.place == "rural_village") & (table.group == "all")]
    assert len(village) == len(PLACE_METRICS)
    assert (table.seeds == 2).all() and (table.residents == SMALL).all()
    # the contrast is the place minus the baseline, seed by seed
    for metric in PLACE_METRICS:
        by_seed = [r[metric] - b[metric] for r, b in
                   zip(pred.place("rural_village").runs, pred.baseline.runs, strict=True)]
        assert pred.contrast("rural_village", metric).mean == pytest.approx(np.mean(by_seed))
    assert pred.contrast("baseline", "trust_generalised").mean == 0
    # a section's share lies between the place's lowest and highest section
    ward = table[(table.place == "student_ward") & (table.metric == "chat_monthly_share")]
    whole = ward[ward.group == "all"].predicted.item()
    parts = ward[ward.group != "all"].predicted
    assert set(ward.group) == {"all", "long_standing", "newcomers", "students"}
    assert parts.min() - 1e-9 <= whole <= parts.max() + 1e-9


def test_the_same_seed_gives_the_same_predictions_on_two_workers(small_predictions, baseline):
    from sim.ensemble.executors import local_executor

    village = load_scenario(PLACES_DIR / "rural_village.toml").with_overrides(residents=SMALL)
    executor = local_executor(2)
    try:
        again = predict_places(baseline.with_overrides(residents=SMALL), [village],
                               seeds=place_seeds(3, 2), root_seed=3, executor=executor)
    finally:
        executor.shutdown()
    assert again.baseline.runs == small_predictions.baseline.runs
    assert again.place("rural_village").runs == small_predictions.place("rural_village").runs


# -- the command --------------------------------------------------------------------------------


def test_validate_places_writes_predictions_into_a_new_dated_folder(tmp_path, capsys):
    out = tmp_path / "results"
    village = PLACES_DIR / "rural_village.toml"
    code, text, _ = run_cli(["validate-places", village, "--seeds", "2", "--residents",
                             SMALL, "--out", out], capsys)
    assert code == 0
    (folder,) = out.iterdir()
    assert folder.name.endswith("-validate-places")
    table = pd.read_csv(folder / "predictions.csv")
    assert set(table.place) == {"baseline", "rural_village"}
    for name in ("places.png", "runs.json", "summary.txt"):
        assert (folder / name).stat().st_size > 0
    assert "Rural village" in text and "wrote" in text
    # two seeds cannot test much: said first, on screen and in summary.txt
    assert text.startswith("WARNING: only 2 seeds (the default is 8)")
    assert (folder / "summary.txt").read_text().startswith("WARNING: only 2 seeds")
    # the size the places ran at is recorded (--residents overrides each file's own)
    assert f"residents: Baseline {int(SMALL):,}; Rural village {int(SMALL):,}" in text
    table = pd.read_csv(folder / "predictions.csv")
    assert table.ci95_lo.min() >= 0 and table.ci95_hi.max() <= 1


@pytest.mark.parametrize("argv, message", [
    (["nope.toml"], "nope.toml: file not found"),
    (["--seeds", "1"], "validate-places: --seeds: 1 is out of range"),
    (["--residents", "5"], "validate-places: --residents: 5 is out of range"),
    (["--workers", "0"], "validate-places: --workers: 0 is out of range"),
    ([str(BASELINE_FILE.parent / "third_space.toml")],
     "interventions: a place describes a community as it is; 1 intervention given"),
    ([str(BASELINE_FILE)], "is the baseline itself"),
])
def test_bad_input_exits_2_and_writes_nothing(argv, message, tmp_path, capsys):
    out = tmp_path / "results"
    code, _, err = run_cli(["validate-places", *argv, "--out", out], capsys)
    assert code == 2 and message in err, err
    assert not files_under(out)


def test_a_place_that_refits_behaviour_is_refused_naming_the_value(tmp_path, capsys):
    bad = tmp_path / "tuned.toml"
    bad.write_text(f'extends = "{BASELINE_FILE}"\nname = "Tuned"\n[rules]\np_need = 0.02\n'
                   "[network]\nshare_bridging = 0.3\n")
    code, _, err = run_cli(["validate-places", bad, "--out", tmp_path / "r"], capsys)
    assert code == 2
    assert "tuned.toml: rules.p_need: 0.02 differs from the baseline's 0.01097" in err
    assert "network.share_bridging" in err and "a place may change only" in err
    assert not files_under(tmp_path / "r")


def test_an_output_root_that_is_a_file_is_refused_before_running(tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    code, _, err = run_cli(["validate-places", PLACES_DIR / "rural_village.toml", "--out",
                            blocker], capsys)
    assert code == 2 and "is a file, not a folder" in err


# -- observed figures (never fitted) ------------------------------------------------------------


def test_the_observed_figures_are_never_fitted_and_map_to_the_calibrations_survey_metrics():
    from sim.calibration import SURVEY_METRICS
    from sim.validation.places_observed import OBSERVED_FILE, load_observed

    observed = load_observed()
    assert "never_fitted = true" in OBSERVED_FILE.read_text()
    for obs in observed:
        assert obs.metric in SURVEY_METRICS, obs.id
        assert obs.source and obs.survey and obs.question and obs.uncertainty, obs.id
    # at least three contrasts, each with at least three observed figures
    by_place: dict[str, int] = {}
    for obs in observed:
        by_place[obs.place] = by_place.get(obs.place, 0) + 1
    assert {p.stem for p in PLACE_FILES} <= set(by_place)
    assert all(n >= 3 for n in by_place.values()), by_place


def test_calibration_refuses_the_observed_figures_as_targets():
    from sim.calibration.cli import check_targets
    from sim.usage import UsageProblem
    from sim.validation.places_observed import OBSERVED_FILE

    with pytest.raises(UsageProblem) as err:
        check_targets(OBSERVED_FILE)
    assert "no [targets.<name>] tables" in str(err.value)


def test_intervals_and_contrasts_are_computed_as_the_file_says():
    from sim.validation.places_observed import load_observed

    obs = {o.id: o for o in load_observed()}
    rural = obs["rural_trust"]  # 78% of 2,000 against 61% of 10,000, design effect 1.5
    se = np.sqrt(1.5 * 0.78 * 0.22 / 2000)
    assert rural.lo == pytest.approx(0.78 - 1.96 * se, abs=1e-4)
    assert rural.contrast == pytest.approx(0.17)
    half = 1.96 * np.hypot(se, np.sqrt(1.5 * 0.61 * 0.39 / 10000))
    assert rural.contrast_hi - rural.contrast == pytest.approx(half, abs=1e-4)
    ward = obs["student_ward_chat"]  # 60% students at 48%, 40% others at 72%
    assert ward.value == pytest.approx(0.6 * 0.48 + 0.4 * 0.72)
    assert ward.contrast == pytest.approx(0.6 * (0.48 - 0.72))
    proxy = obs["estate_trust"]
    assert (proxy.lo, proxy.hi, proxy.value) == (0.43, 0.54, None)
    assert proxy.contrast_hi < 0  # the whole range lies below the urban figure
    assert obs["rural_chat"].contrast is None  # a direction only


def test_a_bad_observed_file_reports_every_problem_at_once(tmp_path):
    from sim.validation.places_observed import load_observed

    bad = tmp_path / "obs.toml"
    bad.write_text('[[observation]]\nid = "a"\nplace = "x"\ngroup = "all"\nmetric = "nope"\n'
                   'kind = "survey"\nvalue = 1.5\nreference = 0.5\ndirection = "up"\n'
                   'clear = true\nsurvey = "s"\nquestion = "q"\nsource = "s"\nstatus = "s"\n'
                   'uncertainty = "u"\n[[observation]]\nid = "a"\nkind = "guess"\n')
    with pytest.raises(ValueError) as err:
        load_observed(bad)
    msg = str(err.value)
    for part in ("never_fitted = true is required", "observation 'a'.metric: 'nope'",
                 "observation 'a'.value: 1.5 must be a share", "'a'.direction: 'up'",
                 "observation 'a': id used twice", "kind: 'guess' is not one of"):
        assert part in msg, part


def test_verdicts_read_the_interval_against_the_observed_side():
    from sim.validation.places_observed import Observation, direction_verdict, size_verdict

    up = Estimate(0.05, 0.02, 0.08, 8)
    flat = Estimate(0.005, -0.01, 0.02, 8)
    down = Estimate(-0.05, -0.08, -0.02, 8)
    assert [direction_verdict(1, e) for e in (up, flat, down)] == ["held", "none", "wrong"]
    assert direction_verdict(-1, down) == "held"
    # clear of zero at 95% (edge +0.2 points), not at 99% over eight seeds: a user check
    # saw "direction held" where docs/VALIDATION.md says "not clear of seed noise"
    edge = Estimate(0.010, 0.002, 0.018, 8)
    assert direction_verdict(1, edge) == "mean" and direction_verdict(-1, edge) == "wrong"
    obs = Observation(id="x", place="p", group="all", metric="belonging_share",
                      kind="survey", direction="higher", clear=True, survey="", question="",
                      source="", status="", uncertainty="", value=0.7, reference=0.6,
                      contrast=0.1, contrast_lo=0.07, contrast_hi=0.13)
    assert size_verdict(obs, Estimate(0.03, 0.01, 0.05, 8)) == "too small"
    assert size_verdict(obs, up) == "within"  # the intervals overlap
    assert size_verdict(obs, Estimate(0.1, 0.09, 0.11, 8)) == "within"
    assert size_verdict(obs, Estimate(0.3, 0.25, 0.35, 8)) == "too large"
    assert size_verdict(obs, down) == "wrong direction"


def test_validate_places_compares_with_the_observed_figures_unless_told_not_to(tmp_path,
                                                                               capsys):
    village = PLACES_DIR / "rural_village.toml"
    tiny = ["--seeds", "2", "--residents", SMALL]
    code, text, _ = run_cli(["validate-places", village, *tiny, "--out", tmp_path / "a"],
                            capsys)
    assert code == 0 and "rural_trust" in text and "Observed against predicted" in text
    (folder,) = (tmp_path / "a").iterdir()
    rows = pd.read_csv(folder / "comparison.csv")
    assert set(rows.place) == {"rural_village"}  # observations of places not run are left out
    assert (folder / "comparison.png").stat().st_size > 0
    code, text, _ = run_cli(["validate-places", village, *tiny, "--observed", "none",
                             "--out", tmp_path / "b"], capsys)
    assert code == 0 and "Observed against predicted" not in text
    (folder,) = (tmp_path / "b").iterdir()
    assert not (folder / "comparison.csv").exists()


def test_a_bad_observed_file_exits_2_before_anything_runs(tmp_path, capsys):
    from sim.commands.shared import PROG

    bad = tmp_path / "obs.toml"
    bad.write_text("never_fitted = false\n")
    code, _, err = run_cli(["validate-places", "--observed", bad, "--out", tmp_path / "r"],
                           capsys)
    # the file as given, not its name alone (a user check)
    assert code == 2 and f"--observed {bad}: never_fitted = true is required" in err
    assert not files_under(tmp_path / "r")
    bad.write_text("")  # empty: said as such, not as its missing parts
    code, _, err = run_cli(["validate-places", "--observed", bad, "--out", tmp_path / "r"],
                           capsys)
    assert code == 2 and err.strip() == (
        f"{PROG} validate-places: --observed {bad}: file is empty; it needs never_fitted = "
        "true and an [[observation]] table for each figure (see data/places_observed.toml)"), err


# -- the direction of every clear contrast -------------------------------------------------------
#
# On the committed setting (1,000 residents, the default eight seeds and root seed: the
# predictions of data/places_predictions.csv). A direction is held when the model's paired
# contrast has its 95% interval on the observed side of zero (direction_verdict). Where the
# model misses a direction the data show clearly, the assertion stays as the data demand and
# is marked a documented miss (strict xfail: if a change to the model makes it pass, the test
# fails until docs/VALIDATION.md says so). The reason names the likely mechanism.
#
# Two contrasts are right in direction but so small (a sixth and a quarter of the observed)
# that eight seeds cannot tell them from noise: their interval's edge sits near zero and flips
# with any change to the random streams (it did with the cheaper day of main, 6fccf25). For
# them the test holds the direction of the mean (the paired mean on the observed side, and
# the interval never wholly on the wrong side) and reports the size; docs/VALIDATION.md calls
# them right in the mean, not clear of seed noise.

_TRUST = ("generalised trust is in- and out-group trust weighted by section share "
          "(sim/rules/trust.py relax_group_trust) and every kind of resident has the same "
          "calibrated trust priors, so ")
DOCUMENTED_MISSES = {
    "estate_trust": _TRUST + "a settled estate of one section trusts like a village; "
    "deprivation (crime, disorder, insecurity) has no input",
    "estate_loneliness": "loneliness is relieved by outside contact set per kind of resident; "
    "nothing lowers contact for poverty, ill health or disability, and the estate is mostly "
    "long-standing residents (most outside contact)",
    "student_ward_trust": _TRUST + "students in the majority trust their own-section "
    "neighbours more; no life-stage or transience effect on trust",
    "students_trust": _TRUST + "students in the majority trust more; no life-stage effect",
    "student_ward_belonging": "a newcomer arrives with attachment drawn around the same "
    "baseline as everyone, so turnover does not lower belonging (no length-of-residence "
    "effect)",
    "student_ward_loneliness": "students are lonelier but the ward's other residents are "
    "less lonely, and the ward does not move",
}


SMALL_EFFECTS = {
    "rural_belonging": "+1 point against +7: newcomers arrive with everyone's attachment",
    "students_belonging": "-1.7 points against -7: no length-of-residence effect on belonging",
}


def _clear_observations():
    from sim.validation.places_observed import load_observed

    out = []
    for obs in load_observed():
        if not obs.clear:
            continue
        marks = ([pytest.mark.xfail(strict=True, reason="documented miss: "
                                    + DOCUMENTED_MISSES[obs.id])]
                 if obs.id in DOCUMENTED_MISSES else [])
        out.append(pytest.param(obs, marks=marks, id=obs.id))
    return out


def test_every_documented_miss_is_a_clear_observation():
    from sim.validation.places_observed import load_observed

    clear = {o.id for o in load_observed() if o.clear}
    assert set(DOCUMENTED_MISSES) <= clear and set(SMALL_EFFECTS) <= clear
    assert not set(DOCUMENTED_MISSES) & set(SMALL_EFFECTS)


@pytest.fixture(scope="module")
def committed_predictions(baseline):
    from sim.validation.places import DEFAULT_ROOT_SEED, DEFAULT_SEEDS

    places = [load_scenario(p) for p in PLACE_FILES]
    return predict_places(baseline, places, seeds=place_seeds(DEFAULT_ROOT_SEED, DEFAULT_SEEDS),
                          root_seed=DEFAULT_ROOT_SEED)


@pytest.mark.parametrize("obs", _clear_observations())
def test_the_model_holds_the_direction_of_each_clear_contrast(obs, committed_predictions,
                                                             record_property):
    from sim.validation.places_observed import direction_verdict

    contrast = committed_predictions.contrast(obs.place, obs.metric, obs.group)
    if obs.contrast_lo is None:
        observed = "direction only"
    else:
        mid = "range" if obs.contrast is None else f"{100 * obs.contrast:+.1f}"
        observed = f"{mid} [{100 * obs.contrast_lo:+.1f}, {100 * obs.contrast_hi:+.1f}]"
    size = (f"{obs.id}: observed {obs.direction} ({observed}), predicted "
            f"{100 * contrast.mean:+.1f} [{100 * contrast.lo:+.1f}, {100 * contrast.hi:+.1f}] "
            "points")
    record_property("size", size)
    print(size)
    verdict = direction_verdict(obs.sign, contrast)
    if obs.id in SMALL_EFFECTS:  # right in the mean, not clear of seed noise
        assert obs.sign * contrast.mean > 0 and verdict in ("mean", "none"), size
        return
    assert verdict == "held", size


def test_an_untested_observation_does_not_read_as_a_failure():
    """A user check: "WRONG direction (direction not clear in the data: not tested)" read as
    a failed test and as not tested at once."""
    from sim.validation.places_output import comparison_text

    row = {"id": "estate_favours", "kind": "direction", "direction": "lower",
           "predicted_contrast": 0.051, "predicted_contrast_lo": 0.049,
           "predicted_contrast_hi": 0.053, "direction_verdict": "wrong",
           "size_verdict": "direction only", "clear": False,
           "status": "solid, but not England"}
    line = comparison_text([row]).splitlines()[-1]
    # why, in the data file's words (it said "direction not clear in the data")
    assert line.endswith("not tested: solid, but not England (the model's: WRONG "
                         "direction)")
    tested = comparison_text([{**row, "clear": True}]).splitlines()[-1]
    assert tested.endswith("WRONG direction")


def test_the_comparison_charts_legend_sits_below_the_rows_it_explains():
    """A user check: comparison.png's legend sat over the last two rows and hid their bars.
    It is the figure's, below the chart, clear of every row."""
    from sim.validation.places_output import plot_comparison

    row = {"place_name": "Estate", "metric": "trust_generalised", "group": "all",
           "clear": True, "kind": "interval", "direction": "lower",
           "observed_contrast": -0.1, "observed_contrast_lo": -0.15,
           "observed_contrast_hi": -0.05, "predicted_contrast": 0.02,
           "predicted_contrast_lo": -0.01, "predicted_contrast_hi": 0.05,
           "direction_verdict": "none"}
    fig = plot_comparison([row] * 15)
    ax = fig.axes[0]
    assert ax.get_legend() is None and len(fig.legends) == 1
    fig.canvas.draw()
    below = fig.legends[0].get_window_extent()
    assert below.y1 <= ax.get_window_extent().y0  # wholly under the chart's rows
