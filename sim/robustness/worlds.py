"""Plausible worlds: values of the uncertain parameters, sampled over their documented
ranges, and the scenarios re-parameterised for each world.

An uncertain parameter is any field declared with ``uncertain=(lo, hi)`` in sim/params/.
Paths are those of :func:`sim.params.walk_params` with the sections and orientations folded
into one dimension each:

- ``rules.<field>``, ``network.<field>``, ``population.<field>``: the value itself;
- ``orientations.<field>``: the profiles differ by design (a rescuer asks far less than an
  empathic resident), so the sampled value is read as a factor on every profile's own value,
  relative to the field's neutral default (``OrientationProfile``'s, e.g. 1.0 for a
  multiplier): the orientations keep their order and the whole community shifts (a field
  whose neutral default is 0 is set to the sampled value for every profile);
- ``sections.<field>``: the same value for every section.

A scenario that sets a parameter differently from the baseline (an intervention's lever)
keeps its own value in every world; only values it shares with the baseline are resampled.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, fields

import numpy as np

from sim.params import ModelParams, OrientationProfile
from sim.scenario.tables import PARAM_TABLES

STREAM_WORLDS = 8001
_TABLES = {k: PARAM_TABLES[k] for k in ("rules", "network", "population", "orientations",
                                         "sections")}


@dataclass(frozen=True)
class Uncertainty:
    path: str
    lo: float
    hi: float
    doc: str
    source: str
    integer: bool = False


def uncertainties() -> list[Uncertainty]:
    """Every parameter with an ``uncertain`` range, in declaration order."""
    out = []
    for table, cls in _TABLES.items():
        for f in fields(cls):
            rng = f.metadata.get("uncertain")
            if rng is None:
                continue
            out.append(Uncertainty(f"{table}.{f.name}", float(rng[0]), float(rng[1]),
                                   f.metadata.get("doc", ""), f.metadata.get("source", ""),
                                   isinstance(f.default, int) and not isinstance(f.default,
                                                                                 bool)))
    return out


def latin_hypercube(unc: list[Uncertainty], n: int, seed: int) -> np.ndarray:
    """``n`` worlds (rows) by Latin hypercube (scipy.stats.qmc), scaled to the ranges."""
    from scipy.stats import qmc

    u = qmc.LatinHypercube(d=len(unc), rng=np.random.default_rng(
        np.random.SeedSequence([seed, STREAM_WORLDS]))).random(n)
    return qmc.scale(u, [x.lo for x in unc], [x.hi for x in unc])


def _get(params: ModelParams, path: str):
    table, name = path.split(".", 1)
    if table == "orientations":
        return {k: getattr(v, name) for k, v in params.orientations.items()}
    if table == "sections":
        return [getattr(s, name) for s in params.population.sections]
    return getattr(getattr(params, table), name)


def apply_world(params: ModelParams, world: dict[str, float],
                baseline: ModelParams | None = None) -> ModelParams:
    """``params`` with the world's values, except where ``params`` differs from
    ``baseline`` on that parameter (a lever the scenario sets on purpose)."""
    baseline = baseline or params
    by_table: dict[str, dict] = {}
    for path, value in world.items():
        if _get(params, path) != _get(baseline, path):
            continue
        table, name = path.split(".", 1)
        by_table.setdefault(table, {})[name] = value
    out = params
    for table in ("rules", "network", "population"):
        if table in by_table:
            out = dataclasses.replace(out, **{table: dataclasses.replace(
                getattr(out, table), **by_table[table])})
    if "orientations" in by_table:
        neutral = OrientationProfile()
        profiles = {}
        for key, prof in out.orientations.items():
            changes = {name: (getattr(prof, name) * value / getattr(neutral, name)
                              if getattr(neutral, name) else value)
                       for name, value in by_table["orientations"].items()}
            profiles[key] = dataclasses.replace(prof, **changes)
        out = dataclasses.replace(out, orientations=profiles)
    if "sections" in by_table:
        secs = tuple(dataclasses.replace(s, **by_table["sections"])
                     for s in out.population.sections)
        out = dataclasses.replace(out, population=dataclasses.replace(
            out.population, sections=secs))
    return out


def world_scenarios(scenarios, world: dict[str, float], index: int) -> list:
    """The scenarios in one world, renamed ``w<index>:<name>`` (file names stay distinct)."""
    base = scenarios[0].model
    return [dataclasses.replace(s, name=f"w{index:04d}:{s.name}",
                                model=apply_world(s.model, world, base))
            for s in scenarios]
