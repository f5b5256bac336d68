"""Kindliness orientations as data: each profile field becomes an array indexed by
orientation code, so a rule reads ``profiles.help_propensity[pop.orientation]``."""

from __future__ import annotations

from dataclasses import fields

import numpy as np

from sim.params import MEETING_SETTINGS, ORIENTATIONS, OrientationProfile


class ProfileTable:
    """Profile fields as arrays over orientation codes (see ``sim.params.ORIENTATIONS``)."""

    def __init__(self, profiles: dict[str, OrientationProfile]):
        missing = [o for o in ORIENTATIONS if o not in profiles]
        if missing:
            raise ValueError(f"orientation profiles missing for: {', '.join(missing)}")
        for f in fields(OrientationProfile):
            values = np.array([getattr(profiles[o], f.name) for o in ORIENTATIONS])
            setattr(self, f.name, values.astype(np.float32))
        # each orientation's response to contact in each meeting setting (rows in the order
        # of sim.params.MEETING_SETTINGS; 1 where a setting names no profile field)
        self.setting_response = np.ones((len(MEETING_SETTINGS), len(ORIENTATIONS)),
                                        dtype=np.float32)
        for row, field_name in enumerate(MEETING_SETTINGS.values()):
            if field_name is not None:
                self.setting_response[row] = getattr(self, field_name)
