"""The whole model's parameters: one tree of the groups, each with its defaults."""

from __future__ import annotations

from dataclasses import dataclass, field

from sim.params.hubs import HubSpec, default_hubs
from sim.params.network import NetworkParams
from sim.params.orientations import OrientationProfile, default_profiles
from sim.params.population import PopulationParams, Section
from sim.params.rules import RuleParams


@dataclass(frozen=True)
class ModelParams:
    population: PopulationParams = field(default_factory=PopulationParams)
    network: NetworkParams = field(default_factory=NetworkParams)
    hubs: tuple[HubSpec, ...] = field(default_factory=default_hubs)
    rules: RuleParams = field(default_factory=RuleParams)
    orientations: dict[str, OrientationProfile] = field(default_factory=default_profiles)


# the dataclass that declares each group of parameters, by the name of its table in a scenario
# file ([rules], [[population.sections]], [orientations.<name>], ...)
GROUPS: dict[str, type] = {
    "population": PopulationParams,
    "sections": Section,
    "network": NetworkParams,
    "hubs": HubSpec,
    "rules": RuleParams,
    "orientations": OrientationProfile,
}
