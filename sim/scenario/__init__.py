"""Scenario files: typed, bounded, validated; loaded with ``extends``."""

from sim.scenario.errors import Problem, ScenarioError
from sim.scenario.loader import load_scenario, load_scenarios, validate_files
from sim.scenario.schema import RunSettings, Scenario

__all__ = [
    "Problem",
    "RunSettings",
    "Scenario",
    "ScenarioError",
    "load_scenario",
    "load_scenarios",
    "validate_files",
]
