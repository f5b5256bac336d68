"""The kindliness orientations (JRF 2015) and how each parameterises the shared rules.

An orientation is a profile of multipliers (data): adding one means adding a profile.
The meeting settings name the profile field holding each orientation's response to
contact in that setting.
"""

from __future__ import annotations

from dataclasses import dataclass

from sim.params.declare import param

ORIENTATIONS = ("traditional", "activist", "rescuer", "empathic", "unaligned")

# settings a meeting can happen in, and the OrientationProfile field that holds each
# orientation's response to contact there (None: everyone responds as to ordinary contact).
# Interventions name a setting when they arrange meetings (sim.day.Day.add_meetings); the
# contact rule reads the response (sim/rules/trust.py). Data, not control flow: a new setting
# is a line here and a profile field.
MEETING_SETTINGS: dict[str, str | None] = {
    "everyday": None,
    "common_cause": "common_cause_response",
}


@dataclass(frozen=True)
class OrientationProfile:
    """How one kindliness orientation parameterises the shared rules (JRF 2015 typology).

    The profiles are data: adding an orientation means adding a profile. The JRF work is
    qualitative, so every multiplier here is an assumption shaped by its description; the
    direction of each difference is what the sources support, not the size.
    """

    ask_multiplier: float = param(
        1.0, unit="x", lo=0, hi=5, uncertain=(0.5, 1.5),
        doc="multiplies the probability of asking for help when in need",
    )
    self_reliance: float = param(
        0.5, unit="0-1", lo=0, hi=1,
        doc="baseline reluctance to ask (self-reliance messages; Haslewood, JRF 2014)",
    )
    notice_multiplier: float = param(
        1.0, unit="x", lo=0, hi=5,
        doc="multiplies the chance of noticing a tie's need during daily contact",
    )
    help_propensity: float = param(
        0.45, unit="probability", lo=0, hi=1,
        doc="base probability of helping a trusted tie who asks or is noticed in need",
    )
    in_group_bias: float = param(
        0.3, unit="0-1", lo=0, hi=1,
        doc="share by which the chance of helping falls for someone from another section "
        "(Hammond & Axelrod 2006: separate in- and out-group propensities)",
    )
    energy_awareness: float = param(
        0.7, unit="0-1", lo=0, hi=1,
        doc="how much low own energy and strain hold back helping (rescuers ignore both "
        "until they burn out; empathic residents protect their capacity)",
    )
    recovery_multiplier: float = param(
        1.0, unit="x", lo=0, hi=5, doc="multiplies daily energy recovery",
    )
    resentment_sensitivity: float = param(
        1.0, unit="x", lo=0, hi=5,
        doc="multiplies how fast one-way giving turns into resentment",
    )
    contact_openness: float = param(
        1.0, unit="x", lo=0, hi=5,
        doc="multiplies how much out-group trust moves from cross-section contact",
    )
    change_threat: float = param(
        0.0, unit="x", lo=0, hi=5,
        doc="multiplies the loss of out-group trust under rapid change (traditional)",
    )
    common_cause_response: float = param(
        1.0, unit="x", lo=0, hi=5,
        doc="multiplies contact effects at common-cause events (activists respond most)",
    )
    hub_visit_multiplier: float = param(
        1.0, unit="x", lo=0, hi=5, doc="multiplies the daily chance of visiting an open hub",
    )


def default_profiles() -> dict[str, OrientationProfile]:
    """The five default profiles. Directions follow JRF 2015 (see docs/MODEL.md); sizes are
    assumptions to be explored in robustness analysis."""
    return {
        # fixed moral code, helps own people, expects to be noticed rather than to ask,
        # threatened by rapid change
        "traditional": OrientationProfile(
            ask_multiplier=0.55, self_reliance=0.65, notice_multiplier=1.5,
            help_propensity=0.55, in_group_bias=0.8, energy_awareness=0.7,
            contact_openness=0.5, change_threat=1.0, common_cause_response=0.7,
        ),
        # values framed socially and politically; helps by need, drawn to common causes
        "activist": OrientationProfile(
            ask_multiplier=1.0, self_reliance=0.45, notice_multiplier=1.1,
            help_propensity=0.55, in_group_bias=0.05, energy_awareness=0.6,
            contact_openness=1.2, common_cause_response=2.0, hub_visit_multiplier=1.3,
        ),
        # helps a lot, will not ask, ignores own energy until exhausted
        "rescuer": OrientationProfile(
            ask_multiplier=0.15, self_reliance=0.9, notice_multiplier=1.6,
            help_propensity=0.9, in_group_bias=0.2, energy_awareness=0.05,
            recovery_multiplier=0.8, resentment_sensitivity=0.6, contact_openness=0.8,
        ),
        # open to change, asks when in need, weighs whether to help, protects own capacity
        "empathic": OrientationProfile(
            ask_multiplier=1.3, self_reliance=0.3, notice_multiplier=1.2,
            help_propensity=0.5, in_group_bias=0.1, energy_awareness=1.0,
            recovery_multiplier=1.2, resentment_sensitivity=0.5, contact_openness=1.3,
            hub_visit_multiplier=1.1,
        ),
        # no strong orientation: the majority
        "unaligned": OrientationProfile(
            ask_multiplier=1.0, self_reliance=0.55, notice_multiplier=0.8,
            help_propensity=0.35, in_group_bias=0.3, energy_awareness=0.7,
            hub_visit_multiplier=0.8,
        ),
    }
