"""Orientations as data (sim/orientations.py): each profile field becomes an array over the
orientation codes, and each meeting setting a row of responses."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from sim.orientations import ProfileTable
from sim.params import MEETING_SETTINGS, ORIENTATIONS, default_profiles


def test_each_field_is_an_array_in_the_order_of_the_orientation_codes():
    profiles = default_profiles()
    profiles["rescuer"] = dataclasses.replace(profiles["rescuer"], ask_multiplier=0.125)
    table = ProfileTable(profiles)
    assert table.ask_multiplier.dtype == np.float32
    np.testing.assert_array_equal(
        table.ask_multiplier, np.float32([profiles[o].ask_multiplier for o in ORIENTATIONS]))
    residents = np.array([ORIENTATIONS.index("rescuer")] * 2, np.int8)
    assert table.ask_multiplier[residents].tolist() == [0.125, 0.125]


def test_each_meeting_setting_reads_its_profile_field_or_counts_as_ordinary_contact():
    table = ProfileTable(default_profiles())
    rows = list(MEETING_SETTINGS)
    assert np.all(table.setting_response[rows.index("everyday")] == 1.0)
    np.testing.assert_array_equal(table.setting_response[rows.index("common_cause")],
                                  table.common_cause_response)


def test_a_missing_profile_is_named():
    profiles = default_profiles()
    del profiles["empathic"]
    with pytest.raises(ValueError, match="orientation profiles missing for: empathic"):
        ProfileTable(profiles)
