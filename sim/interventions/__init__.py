"""Interventions: levers on the model's machinery, one module per intervention.

``INTERVENTIONS`` is the explicit registry scenario files name types from: one line per
intervention in ``TYPES``, the name of its module, which defines one
:class:`~sim.interventions.base.Intervention` subclass whose ``type_name`` is that name
(and whose ``title`` names the type in plain words, for the live page's list of types).
Adding an intervention means its module, that line, its test and its example file in
``scenarios/``.
"""

from __future__ import annotations

import importlib

from sim.interventions.base import Intervention, Role, State

TYPES = (
    "palatable_activity",
    "bridge_figures",
    "shared_myth",
    "common_cause",
    "third_space",
    "hub_closure",
    "one_to_ones",
    "creative_citizens",
    "critical_friend",
)


def _load(type_name: str) -> type[Intervention]:
    """The intervention class module ``sim.interventions.<type_name>`` declares."""
    module = importlib.import_module(f"{__name__}.{type_name}")
    found = [c for c in vars(module).values()
             if isinstance(c, type) and issubclass(c, Intervention)
             and c.__module__ == module.__name__]
    if len(found) != 1 or found[0].type_name != type_name:
        raise TypeError(f"{module.__name__} must define one Intervention subclass with "
                        f"type_name = {type_name!r}; found "
                        f"{[(c.__name__, c.type_name) for c in found]}")
    return found[0]


INTERVENTIONS: dict[str, type[Intervention]] = {name: _load(name) for name in TYPES}
# each class also by its own name (from sim.interventions import OneToOnes)
globals().update({cls.__name__: cls for cls in INTERVENTIONS.values()})

__all__ = ["INTERVENTIONS", "TYPES", "Intervention", "Role", "State",
           *(cls.__name__ for cls in INTERVENTIONS.values())]
