"""The scenario files the pages offer, and the seed as a user types it."""

from __future__ import annotations

import pytest

from sim.app.scenario_files import BUILT_IN, coerce_seed, list_scenarios, load_scenario_file


def test_list_scenarios_falls_back_to_the_built_in_defaults(tmp_path):
    assert list_scenarios(tmp_path) == {BUILT_IN: None}
    assert load_scenario_file(None).model.population.n_residents == 1000


def test_a_seed_typed_as_text_is_a_whole_number_or_an_explanation():
    assert coerce_seed(" 42 ") == 42
    assert coerce_seed("007") == 7
    assert coerce_seed(7) == 7
    for bad in ("abc", "4.5", "nan", "inf", "", "42.0", "1e3", "\uff17", "1,000", "1_000",
                "+5", "0x10", "4 2"):
        with pytest.raises(ValueError, match="is not a whole number: type the digits 0 to 9 "
                           "only, with no other signs, e.g. 42"):
            coerce_seed(bad)
    with pytest.raises(ValueError, match="seed -1 is below 0: a seed is 0 or more"):
        coerce_seed("-1")


@pytest.mark.parametrize("typed", ["1e3", "\uff17", "-1", str(2**63), "4.5", ""])
def test_a_seed_refused_is_said_in_a_pages_words(typed):
    """A user check read "full-width digits", "exponent" and "2^63-1" under the seed field:
    the command line's terms, not a page's."""
    with pytest.raises(ValueError) as refused:
        coerce_seed(typed)
    said = str(refused.value)
    assert said.startswith("seed "), said
    for jargon in ("full-width", "exponent", "2^63", "plain digits", "separators"):
        assert jargon not in said, said


def test_the_largest_seed_is_taken_on_both_pages():
    """A user check: both pages refused 9223372036854775807 "must be ... from 0 to 2^63-1",
    which it is (read as a float, it became 2^63). Both pages read the seed with
    coerce_seed; the live page through its _seed."""
    from sim.app.live import _seed
    from sim.ensemble.seeds import MAX_SEED

    assert MAX_SEED == 2**63 - 1
    assert coerce_seed(str(MAX_SEED)) == MAX_SEED
    assert _seed(str(MAX_SEED)) == (MAX_SEED, "")
    with pytest.raises(ValueError, match="is too large: at most 9,223,372,036,854,775,807"):
        coerce_seed(str(2**63))
    assert _seed(str(2**63))[0] is None


# what the pages and the command line both take, and both refuse (a user check: the compare
# page read "1e3" as 1000 and a full-width "\uff17" as 7; run.py compare --seed 1e3 refused)
SEEDS_TAKEN = {"0": 0, "42": 42, " 42 ": 42, "007": 7, str(2**63 - 1): 2**63 - 1}
SEEDS_REFUSED = ("1e3", "\uff17", "42.0", "1,000", "1_000", "-1", "+5", str(2**63), "abc", "")


@pytest.mark.parametrize("module", ["sim.commands.shared", "sim.commands.validate",
                                    "sim.robustness.cli", "sim.calibration.cli",
                                    "sim.validation.places_cli"])
def test_the_pages_and_every_commands_seed_take_the_same_seeds(module):
    """One rule (sim.ensemble.seeds.read_seed): what the compare and live pages take, every
    command's --seed takes, as the same number; what one refuses, the other refuses, in the
    page's words after its "seed" (the command line's: after "--seed:")."""
    import argparse
    import importlib

    from sim.app.compare import seed_problem

    parser = argparse.ArgumentParser()
    mod = importlib.import_module(module)
    (mod.add_run_options if module == "sim.commands.shared" else mod.add_arguments)(parser)
    [seed] = [a for a in parser._actions if "--seed" in a.option_strings]
    for typed, value in SEEDS_TAKEN.items():
        assert coerce_seed(typed) == seed.type(typed) == value, typed
        assert seed_problem(typed) == ""
    for typed in SEEDS_REFUSED:
        with pytest.raises(argparse.ArgumentTypeError):
            seed.type(typed)
        # refused by both; the page says why in its own words (coerce_seed)
        said = seed_problem(typed)
        assert said.startswith("seed ") and any(why in said for why in (
            "is not a whole number", "is below 0", "is too large")), (typed, said)


def test_run_py_compare_refuses_the_seeds_the_page_refuses(tmp_path, capsys, monkeypatch):
    """End to end: ``run.py compare --seed 1e3`` (and a full-width 7) is refused with the
    rule, before anything runs."""
    from sim import cli

    monkeypatch.chdir(tmp_path)
    for name in ("a", "b"):
        (tmp_path / f"{name}.toml").write_text(f'name = "{name}"\n[run]\ndays = 5\n')
    for typed in ("1e3", "\uff17"):
        with pytest.raises(SystemExit) as stopped:  # argparse's exit, as the shell sees it
            cli.main(["compare", "a.toml", "b.toml", "--seed", typed, "--out", "results"])
        err = capsys.readouterr().err
        assert stopped.value.code == 2, err
        assert f"--seed: {typed!r} is not a whole number in plain digits: a seed is written " \
            "with the digits 0-9 alone" in err, err
        assert "full-width digits" in err
    assert not (tmp_path / "results").exists()


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


def test_a_file_is_parsed_again_only_when_it_or_a_file_it_extends_changed(tmp_path):
    """The compare page's memo of loaded files (LoadedScenarios): kept by path, checked by
    content, the files it extends included; a file that does not load is not kept."""
    from sim.app.scenario_files import LoadedScenarios
    from tests.app_scenarios import scenario_folder

    folder = scenario_folder(tmp_path / "scenarios")
    small, base = folder / "small.toml", folder / "baseline.toml"
    memo = LoadedScenarios()
    first, hashed = memo.load_with_hash(small)
    assert memo.load(small) is first and memo.load_with_hash(small)[1] == hashed
    assert memo.parsed == 1
    small.write_text(small.read_text().replace("n_residents = 300", "n_residents = 400"))
    assert memo.load(small).model.population.n_residents == 400 and memo.parsed == 2
    text = base.read_text()
    assert "seed = 20261124" in text
    base.write_text(text.replace("seed = 20261124", "seed = 7"))  # what small.toml extends
    again, rehashed = memo.load_with_hash(small)
    assert again.run.seed == 7 and rehashed != hashed and memo.parsed == 3
    small.write_text("name = [")
    for _ in range(2):
        with pytest.raises(Exception, match="TOML"):
            memo.load(small)
    assert memo.parsed == 3  # counted only when loaded
