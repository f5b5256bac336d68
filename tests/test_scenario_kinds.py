"""Field kinds are declared once (sim/scenario/kinds.py) and hold for every class that has
the field: each weekday list, name and hub location of the parameters and of every
registered intervention is declared, and a declaration on a base class reaches subclasses."""

from __future__ import annotations

import dataclasses

import pytest

from sim.interventions.base import Intervention
from sim.params import HubSpec, Section, param
from sim.scenario.kinds import KINDS, Kind, declare_kinds, field_kind, settable_fields
from sim.scenario.loader import intervention_registry
from sim.scenario.tables import PARAM_TABLES

REGISTRY = intervention_registry()
CLASSES = [*PARAM_TABLES.values(), *REGISTRY.values()]


@pytest.mark.parametrize("cls", CLASSES, ids=[c.__name__ for c in CLASSES])
def test_every_weekday_list_is_declared_as_weekdays(cls):
    # the unit text is what a reader sees; the kind is what the loader acts on: they agree
    for name, (_, meta) in settable_fields(cls).items():
        said = str(meta["unit"]).startswith("weekdays")
        assert said == (meta["kind"] == Kind.WEEKDAYS), f"{cls.__name__}.{name}"


def test_a_base_class_declaration_reaches_every_intervention():
    for cls in REGISTRY.values():
        assert field_kind(cls, "name") == Kind.IDENTIFIER
        assert field_kind(cls, "label") == Kind.LABEL


def test_declared_kinds_name_real_fields():
    # (classes declared elsewhere, with declare_kinds, such as the tests', are left out)
    known = {c.__name__: c for c in [*CLASSES, Intervention]}
    checked = [path for path in KINDS if path.partition(".")[0] in known]
    assert len(checked) >= 11
    for path in checked:
        cls_name, _, field = path.partition(".")
        cls = known[cls_name]
        assert field in {f.name for f in dataclasses.fields(cls)} or hasattr(cls, field), path


def test_a_class_declared_elsewhere_declares_its_own_kinds():
    @declare_kinds(days=Kind.WEEKDAYS)
    @dataclasses.dataclass
    class Outing:
        days: tuple = param(("sat",), unit="days out", doc="when")

    assert settable_fields(Outing)["days"][1]["kind"] == Kind.WEEKDAYS


def test_hub_and_section_kinds_and_the_orientation_shares():
    assert field_kind(HubSpec, "location") == Kind.HUB_LOCATION
    assert field_kind(HubSpec, "capacity") == Kind.PLAIN
    shares = settable_fields(Section)["orientations"][1]
    assert shares["kind"] == Kind.SHARES and shares["refers_to"] == "orientation"
