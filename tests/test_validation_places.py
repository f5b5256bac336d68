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


@pytest.mark.parametrize("argv, message", [
    (["nope.toml"], "nope.toml: file not found"),
    (["--seeds", "1"], "argument --seeds: 1 is out of range"),
    (["--residents", "5"], "argument --residents: 5 is out of range"),
    (["--workers", "0"], "argument --workers: 0 is out of range"),
    ([str(BASELINE_FILE.parent / "third_space.toml")], "interventions: a place describes"),
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
