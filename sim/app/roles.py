"""Who holds a role in the community: the one place the visualiser reads roles from.

Roles are declared by the interventions that give them (sim/interventions/base.py: ``Role``)
and, for the community's own bonders and bridges, by the model; ``KindlinessModel.roles()``
gathers them. The network view, its legend and the resident card all read
:func:`resident_roles`; :data:`ROLES` says how the view marks each role it knows.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.palette import ROLE_COLOURS


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
    # the community's own bonders and bridges (population.share_bridge_figures), apart from
    # a programme's: a user check saw "Bridge figure" marked on the baseline's network while
    # the report said of the programme's bridge figures "none without it"; a dark thin
    # diamond, as grey on the unaligned's grey dots could hardly be seen (a second check)
    Role("community_bridge", "Bridge, the community's own", "d",
         ROLE_COLOURS["community_bridge"], 60, False),
    Role("bridge_figure", "Bridge figure (a programme's)", "D", ROLE_COLOURS["bridge_figure"],
         48, False),
    Role("organiser", "Organiser", "*", ROLE_COLOURS["organiser"], 90, True),
    Role("critical_friend", "Critical friend", "^", ROLE_COLOURS["critical_friend"], 60, False),
)}


def resident_roles(model) -> dict[str, np.ndarray]:
    """``{role key: bool array over residents}`` for every role in :data:`ROLES`, from
    ``model.roles()`` (all False where nobody holds a role today)."""
    held = model.roles()
    none = np.zeros(model.pop.n, dtype=bool)
    return {key: np.asarray(held.get(key, none), dtype=bool) for key in ROLES}


def roles_of(model, resident: int) -> list[str]:
    """Plain-words labels of the roles one resident holds."""
    return [ROLES[k].label for k, mask in resident_roles(model).items() if mask[resident]]
