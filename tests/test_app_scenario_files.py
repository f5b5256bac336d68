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
    for bad in ("abc", "4.5", "-1"):
        with pytest.raises(ValueError, match="whole number"):
            coerce_seed(bad)
