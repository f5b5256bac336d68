"""The model card's parameter and metric tables are generated from the code: they must be up
to date and name every rule parameter. (That every parameter states a unit, a meaning and a
source is tested with the parameters, in tests/test_params.py.)"""

from __future__ import annotations

from sim import model_card
from sim.params import ModelParams, walk_params


def test_model_card_tables_match_the_code():
    text = model_card.CARD.read_text(encoding="utf-8")
    assert model_card.render(text) == text, f"docs/MODEL.md is stale: run {model_card.REFRESH}"


def test_every_rule_parameter_appears_in_the_card():
    text = model_card.CARD.read_text(encoding="utf-8")
    for path, _, _ in walk_params(ModelParams().rules):
        assert f"`{path}`" in text
