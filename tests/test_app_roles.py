"""Roles come to the visualiser through one accessor (sim/app/roles.py)."""

from __future__ import annotations

import numpy as np

from sim.app import roles
from sim.app.session import LiveSession
from tests.app_scenarios import organisers_setup as setup


def test_roles_come_from_one_accessor():
    session = LiveSession(setup(start=1, organisers=40), seed=9)
    session.step(2)
    found = roles.resident_roles(session.model)
    assert set(found) == set(roles.ROLES)
    assert found["organiser"].sum() > 0
    i = int(np.flatnonzero(found["organiser"])[0])
    assert "Organiser" in roles.roles_of(session.model, i)
    assert "Organiser" in dict(session.resident_rows(i))["Roles"]
