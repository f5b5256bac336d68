"""Who holds a role in the community: the one place the visualiser reads roles from.

Today the roles are columns of the population (``is_bridge``, ``is_organiser``,
``is_critical_friend``); they are moving into declarations on each intervention. The network
view, its legend and the resident card all read :func:`resident_roles`, so that move changes
this function only.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Role:
    """A role residents can hold, and how the network view marks it."""

    key: str
    label: str  # plain words, singular ("Organiser")
    marker: str  # matplotlib marker
    colour: str
    size: float  # points^2
    filled: bool


ROLES: dict[str, Role] = {r.key: r for r in (
    Role("bridge_figure", "Bridge figure", "D", "#000000", 48, False),
    Role("organiser", "Organiser", "*", "#000000", 90, True),
    Role("critical_friend", "Critical friend", "^", "#0B6E4F", 60, False),
)}
_COLUMNS = {"bridge_figure": "is_bridge", "organiser": "is_organiser",
            "critical_friend": "is_critical_friend"}


def resident_roles(model) -> dict[str, np.ndarray]:
    """``{role key: bool array over residents}`` for every role in :data:`ROLES` (all False
    where the model has no such role)."""
    n = model.pop.n
    out = {}
    for key in ROLES:
        column = getattr(model.pop, _COLUMNS[key], None)
        out[key] = (np.asarray(column, dtype=bool) if column is not None
                    else np.zeros(n, dtype=bool))
    return out


def roles_of(model, resident: int) -> list[str]:
    """Plain-words labels of the roles one resident holds."""
    return [ROLES[k].label for k, mask in resident_roles(model).items() if mask[resident]]
