"""The verdict on a paired effect: better, worse, unclear or changed.

Used by the charts (colour and marker of each point), the decision card, the ranking and the
durability table, so that every part of the report calls the same interval the same thing.
"""

from __future__ import annotations

import math


def verdict(effect_lo: float, effect_hi: float, higher_is_better: bool | None) -> str:
    """"better", "worse", "unclear" (interval includes no change) or "changed" (a real change
    in a metric with no better direction)."""
    if any(isinstance(x, float) and math.isnan(x) for x in (effect_lo, effect_hi)):
        return "unclear"
    if effect_lo <= 0 <= effect_hi:
        return "unclear"
    if higher_is_better is None:
        return "changed"
    up = effect_lo > 0
    return "better" if up == bool(higher_is_better) else "worse"
