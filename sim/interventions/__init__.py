"""Interventions: levers on the model's machinery, one module per intervention.

``INTERVENTIONS`` is the explicit registry scenario files name types from. Adding one means
one module, its registry line here, its test and its example file in ``scenarios/``.
"""

from sim.interventions.base import Intervention
from sim.interventions.bridge_figures import BridgeFigures
from sim.interventions.common_cause import CommonCause
from sim.interventions.creative_citizens import CreativeCitizens
from sim.interventions.critical_friend import CriticalFriend
from sim.interventions.hub_closure import HubClosure
from sim.interventions.one_to_ones import OneToOnes
from sim.interventions.palatable_activity import PalatableActivity
from sim.interventions.shared_myth import SharedMyth
from sim.interventions.third_space import ThirdSpace

INTERVENTIONS: dict[str, type[Intervention]] = {
    "palatable_activity": PalatableActivity,
    "bridge_figures": BridgeFigures,
    "shared_myth": SharedMyth,
    "common_cause": CommonCause,
    "third_space": ThirdSpace,
    "hub_closure": HubClosure,
    "one_to_ones": OneToOnes,
    "creative_citizens": CreativeCitizens,
    "critical_friend": CriticalFriend,
}

__all__ = [
    "INTERVENTIONS", "BridgeFigures", "CommonCause", "CreativeCitizens", "CriticalFriend",
    "HubClosure", "Intervention", "OneToOnes", "PalatableActivity", "SharedMyth", "ThirdSpace",
]
