"""The scenario files the pages offer, and the seed as a user types it."""

from __future__ import annotations

import pytest

from sim.app.scenario_files import BUILT_IN, coerce_seed, list_scenarios, load_scenario_file


def test_list_scenarios_falls_back_to_the_built_in_defaults(tmp_path):
    assert list_scenarios(tmp_path) == {BUILT_IN: None}
    assert load_scenario_file(None).model.population.n_residents == 1000


def test_a_seed_typed_as_text_is_a_whole_number_or_an_explanation():
    assert coerce_seed(" 42 ") == 42
    assert coerce_seed("42.0") == 42
    assert coerce_seed(7) == 7
    for bad in ("abc", "4.5", "-1", "nan", "inf"):
        with pytest.raises(ValueError, match="whole number"):
            coerce_seed(bad)


def test_the_largest_seed_is_taken_on_both_pages():
    """A user check: both pages refused 9223372036854775807 "must be ... from 0 to 2^63-1",
    which it is (read as a float, it became 2^63). Both pages read the seed with
    coerce_seed; the live page through its _seed."""
    from sim.app.live import _seed
    from sim.ensemble.seeds import MAX_SEED

    assert MAX_SEED == 2**63 - 1
    assert coerce_seed(str(MAX_SEED)) == MAX_SEED
    assert coerce_seed(f"{MAX_SEED:,}") == MAX_SEED
    assert _seed(str(MAX_SEED)) == (MAX_SEED, "")
    for bad in (str(2**63), "9223372036854775807.5"):
        with pytest.raises(ValueError, match="from 0 to 2\\^63-1"):
            coerce_seed(bad)
    assert _seed(str(2**63))[0] is None


def test_an_areas_files_are_listed_with_their_area_and_load_with_its_community(tmp_path):
    """A user check: the files ``run.py new-area`` writes (scenarios/areas/<area>/) were in
    neither page's list. They are listed after the folder's own files, named with their
    area, and each loads where it is: the option's ``extends = "baseline.toml"`` is its
    area's baseline (1,500 residents in two sections), not the shipped one."""
    from sim.app.scenario_files import in_an_area, save_folder
    from tests.app_scenarios import area_folder, scenario_folder

    folder = scenario_folder(tmp_path / "scenarios")
    base, option = area_folder(folder)
    choices = list_scenarios(folder)
    assert list(choices)[:3] == ["Baseline (baseline.toml)",
                                 "Community organising 1:1s (one_to_ones.toml)",
                                 "Small estate (small.toml)"]
    assert list(choices)[3:] == [
        "Riverside ward as it is (areas/riverside_ward/baseline.toml)",
        "Riverside ward: community cafe on the boundary (areas/riverside_ward/"
        "third_space.toml)"]
    assert choices["Riverside ward as it is (areas/riverside_ward/baseline.toml)"] == base
    for path in (base, option):
        scenario = load_scenario_file(path)
        assert scenario.model.population.n_residents == 1500
        assert [s.name for s in scenario.model.population.sections] == ["long_standing",
                                                                        "newcomers"]
    assert [iv.type_name for iv in load_scenario_file(option).interventions] == ["third_space"]
    # a setup started from an area's file is saved with the area's files
    assert in_an_area(option, folder) and not in_an_area(folder / "small.toml", folder)
    assert save_folder(option, folder) == option.parent
    assert save_folder(folder / "small.toml", folder) == folder
