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
- ``sections.<field>``: the same value for every section;
- ``<intervention type>.<field>`` (``common_cause.contact_weight``): a programme's own
  assumption (how much its sessions move trust, how far its people take it up), sampled
  only when a scenario of the job has an intervention of that type (a dimension that
  changes no run would only raise the chance level every assumption is judged against).
  The sampled value is read as a factor on each instance's own value, relative to the
  field's shipped default: an instance at the default takes the sampled value itself, one
  that set another value keeps its place relative to it (``value x sampled / default``,
  or the sampled value where the default is 0), held inside the range a scenario file may
  set (the field's ``lo``/``hi``) and rounded for a whole-number field. One value per
  world for every instance of the type in every scenario, as one world is one set of
  facts about how such programmes work.

A programme's dose (how many members or bridge figures are bought) is the council's choice,
not an uncertainty: it declares no ``uncertain`` range and is never sampled.

A scenario that sets a model parameter differently from the baseline (an intervention's
lever) keeps its own value in every world; only values it shares with the baseline are
resampled.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, fields

import numpy as np

from sim.interventions import INTERVENTIONS
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


def _declared(table: str, cls) -> list[Uncertainty]:
    """The fields of ``cls`` with an ``uncertain`` range, as ``<table>.<field>``."""
    out = []
    for f in fields(cls):
        rng = f.metadata.get("uncertain")
        if rng is None:
            continue
        out.append(Uncertainty(f"{table}.{f.name}", float(rng[0]), float(rng[1]),
                               f.metadata.get("doc", ""), f.metadata.get("source", ""),
                               isinstance(f.default, int) and not isinstance(f.default,
                                                                             bool)))
    return out


def model_uncertainties() -> list[Uncertainty]:
    """The model's parameters with an ``uncertain`` range (sim/params/), in declaration
    order: sampled in every job."""
    return [u for table, cls in _TABLES.items() for u in _declared(table, cls)]


def programme_uncertainties(types=None) -> list[Uncertainty]:
    """The ``uncertain`` fields of the intervention types ``types`` (default: every type),
    in the registry's order (sim.interventions.TYPES), as ``<type>.<field>``."""
    wanted = set(INTERVENTIONS) if types is None else set(types)
    return [u for name, cls in INTERVENTIONS.items() if name in wanted
            for u in _declared(name, cls)]


def job_types(scenarios) -> list[str]:
    """The intervention types present in any of ``scenarios``, in the registry's order."""
    present = {iv.type_name for s in scenarios for iv in s.interventions}
    return [name for name in INTERVENTIONS if name in present]


def uncertainties(scenarios=None) -> list[Uncertainty]:
    """What a job on ``scenarios`` samples: the model's uncertain parameters, then those of
    every intervention type present in the scenarios (none without ``scenarios``)."""
    types = job_types(scenarios) if scenarios is not None else []
    return model_uncertainties() + programme_uncertainties(types)


def latin_hypercube(unc: list[Uncertainty], n: int, seed: int) -> np.ndarray:
    """``n`` worlds (rows) by Latin hypercube (scipy.stats.qmc), scaled to the ranges."""
    from scipy.stats import qmc

    u = qmc.LatinHypercube(d=len(unc), rng=np.random.default_rng(
        np.random.SeedSequence([seed, STREAM_WORLDS]))).random(n)
    return qmc.scale(u, [x.lo for x in unc], [x.hi for x in unc])


def is_programme(path: str) -> bool:
    """The path names an intervention type's own assumption (``common_cause.contact_weight``)."""
    return path.split(".", 1)[0] in INTERVENTIONS


def short_name(path: str) -> str:
    """An assumption's name in a sentence or a chart: the field of a model table
    ("rules.p_need" -> "p_need"), but the whole path of a programme's own, whose field may be
    any programme's ("palatable_activity.recruit_through_ties": every programme that
    recruits has a recruit_through_ties)."""
    return path if is_programme(path) else path.split(".", 1)[1]


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
        if is_programme(path):  # the interventions': apply_to_interventions
            continue
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


def programme_value(own, default, sampled: float, meta: dict):
    """An intervention's value of one field in a world: ``own`` (the scenario's) times
    ``sampled / default`` (exactly ``sampled`` when ``own`` is the default, and ``sampled``
    where the default is 0), held inside the field's allowed range (``meta["range"]``) and
    rounded for a whole-number field."""
    # at the default exactly the sampled value (own * sampled / own can miss it by a bit)
    value = float(sampled) if own == default or not default else own * (sampled / default)
    lo, hi = meta.get("range", (None, None))
    if lo is not None:
        value = max(value, lo)
    if hi is not None:
        value = min(value, hi)
    if isinstance(default, int) and not isinstance(default, bool):
        return round(value)
    return value


def apply_to_interventions(interventions, world: dict[str, float]) -> tuple:
    """``interventions`` (a scenario's) with the world's values of their types' own
    assumptions (``<type>.<field>`` paths; others are ignored), by
    :func:`programme_value`."""
    by_type: dict[str, dict[str, float]] = {}
    for path, value in world.items():
        if is_programme(path):
            name, fieldname = path.split(".", 1)
            by_type.setdefault(name, {})[fieldname] = value
    out = []
    for iv in interventions:
        sampled = by_type.get(iv.type_name)
        if sampled:
            declared = {f.name: f for f in fields(iv)}
            iv = dataclasses.replace(iv, **{
                name: programme_value(getattr(iv, name), declared[name].default, value,
                                      dict(declared[name].metadata))
                for name, value in sampled.items()})
        out.append(iv)
    return tuple(out)


def world_scenarios(scenarios, world: dict[str, float], index: int) -> list:
    """The scenarios in one world, renamed ``w<index>:<name>`` (file names stay distinct):
    the model's values by :func:`apply_world`, the interventions' own by
    :func:`apply_to_interventions`."""
    base = scenarios[0].model
    return [dataclasses.replace(s, name=f"w{index:04d}:{s.name}",
                                model=apply_world(s.model, world, base),
                                interventions=apply_to_interventions(s.interventions, world))
            for s in scenarios]
