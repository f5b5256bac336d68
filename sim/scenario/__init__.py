"""Scenario files: typed, bounded, validated; loaded with ``extends``."""

from sim.scenario.schema import RunSettings, Scenario

__all__ = ["RunSettings", "Scenario"]
