"""The model's numbers (sim/params/): every parameter declares a unit, a meaning and a source;
a declaration reads back as written; the tree's leaves are named by their scenario paths;
weekdays have one spelling."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from sim.params import (
    ModelParams,
    meta,
    param,
    walk_params,
    weekday_number,
    weekday_numbers,
)


def test_every_parameter_has_a_unit_a_meaning_and_a_source():
    missing = [path for path, _, meta in walk_params(ModelParams())
               if not (meta.get("unit") and meta.get("doc") and meta.get("source"))]
    assert missing == []


def test_a_declaration_reads_back_and_a_mutable_default_is_never_shared():
    @dataclass
    class Part:
        pass

    @dataclass
    class Example:
        rate: float = param(0.5, unit="per day", lo=0, hi=1, uncertain=(0.2, 0.8),
                            doc="a rate", source="a survey")
        mix: dict = param({"a": 1.0}, unit="shares", doc="a mix")
        made: list = param(factory=lambda: [Part()], unit="list", doc="made afresh")

    info = meta(Example, "rate")
    assert (info["unit"], info["range"], info["uncertain"], info["source"]) == (
        "per day", (0, 1), (0.2, 0.8), "a survey")
    assert meta(Example, "mix")["source"] == "assumption"
    one, two = Example(), Example()
    one.mix["b"] = 2.0
    assert two.mix == {"a": 1.0}
    assert one.made[0] is not two.made[0] and meta(Example, "made")["unit"] == "list"
    with pytest.raises(KeyError):
        meta(Example, "nothing")


def test_walk_params_names_every_leaf_by_its_scenario_path():
    paths = [path for path, _, _ in walk_params(ModelParams())]
    assert "rules.p_need" in paths and "network.tie_budget" in paths
    assert "population.sections[2].share" in paths and "hubs[0].capacity" in paths
    assert "orientations.rescuer.ask_multiplier" in paths
    assert "population.sections[0].orientations" in paths  # a mix of shares is one value
    assert not {"population.sections", "hubs", "orientations"} & set(paths)


@pytest.mark.parametrize("given, number", [("mon", 0), ("Sunday", 6), (" SAT ", 5), (3, 3)])
def test_a_weekday_is_read_from_its_short_or_full_name_or_number(given, number):
    assert weekday_number(given) == number


@pytest.mark.parametrize("given", ["someday", 7, -1, True, 2.0])
def test_anything_else_is_refused_saying_what_is_allowed(given):
    with pytest.raises(ValueError, match=r"expected a weekday name \(mon, .*sun\) or a number 0-6"):
        weekday_number(given)


def test_weekday_numbers_are_sorted_and_distinct():
    assert weekday_numbers(["fri", "mon", 0, "friday"]) == (0, 4)
