"""The whole model's parameters: one tree of the groups, each with its defaults."""

from __future__ import annotations

from dataclasses import dataclass, field

from sim.params.hubs import HubSpec, default_hubs
from sim.params.network import NetworkParams
from sim.params.orientations import OrientationProfile, default_profiles
from sim.params.population import PopulationParams
from sim.params.rules import RuleParams


@dataclass(frozen=True)
class ModelParams:
    population: PopulationParams = field(default_factory=PopulationParams)
    network: NetworkParams = field(default_factory=NetworkParams)
    hubs: tuple[HubSpec, ...] = field(default_factory=default_hubs)
    rules: RuleParams = field(default_factory=RuleParams)
    orientations: dict[str, OrientationProfile] = field(default_factory=default_profiles)
