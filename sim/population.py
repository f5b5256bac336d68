"""The residents' state as arrays: one row per resident (a structure of arrays).

Every daily rule reads and writes these arrays in bulk; the Mesa ``Resident`` agents
(sim/agents.py) are a view onto one row each. States on a 0-1 scale are float32.

Residents differ lastingly (sociability, hub propensity, outside contact, trust and
attachment priors): these traits are drawn once per resident, by :func:`draw_residents`, both
when the community is built and when a newcomer takes the place of someone who moved away.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from sim.params import ORIENTATIONS, ModelParams

STATE_DTYPE = np.float32
NEVER = -(10**6)  # "day" value for events that have not happened


@dataclass(eq=False)
class Population:
    """Per-resident arrays. Index i is resident i everywhere in the model."""

    section: np.ndarray  # int8, index into section_names
    orientation: np.ndarray  # int8, index into ORIENTATIONS
    interest: np.ndarray  # int16, one interest each (creative citizens)
    # lasting traits (multipliers with mean 1, or a daily chance)
    sociability: np.ndarray  # propensity to chat with ties
    hub_propensity: np.ndarray  # propensity to visit hubs
    helpfulness: np.ndarray  # readiness to help, multiplying the orientation's propensity
    outside_contact: np.ndarray  # daily chance of contact outside the neighbourhood
    # states
    need: np.ndarray  # outstanding need, 0-1
    need_since: np.ndarray  # int32 day the current need began (NEVER if none)
    care_until: np.ndarray  # int32 last day of a caring episode (NEVER if none)
    energy: np.ndarray  # capacity to help today, 0-1
    strain: np.ndarray  # cumulative load of helping, 0-1
    withdrawn_until: np.ndarray  # int32 day; stepped back (burnt out) while day < this
    self_reliance: np.ndarray  # reluctance to ask, 0-1
    indebtedness: np.ndarray  # 0-1
    balance: np.ndarray  # help given minus help received, decaying (acts)
    resentment: np.ndarray  # 0-1
    attachment: np.ndarray  # place attachment, 0-1
    loneliness: np.ndarray  # 0-1
    trust_in: np.ndarray  # trust in own section, 0-1
    trust_out: np.ndarray  # trust in other sections, 0-1
    trust_prior_in: np.ndarray  # each resident's own starting levels (relaxation targets)
    trust_prior_out: np.ndarray
    attachment_prior: np.ndarray  # each resident's own baseline attachment
    trust_gen: np.ndarray  # generalised trust, 0-1
    reputation: np.ndarray  # public image, 0-1
    is_bridge: np.ndarray  # bool role flags
    is_organiser: np.ndarray
    is_critical_friend: np.ndarray
    helps_given: np.ndarray  # float64 running count (exponentially decayed, 1-year half-life)
    last_help_day: np.ndarray  # int32: last day the resident gave or received help
    last_contact_day: np.ndarray  # int32: last day with any contact (neighbours or outside)
    last_chat_day: np.ndarray  # int32: last conversation with another resident
    arrived_day: np.ndarray  # int32: day the resident moved in (0 = there from the start)
    section_names: tuple[str, ...] = ()

    @property
    def n(self) -> int:
        return len(self.section)

    def active(self, day: int) -> np.ndarray:
        """Residents not stepped back by burnout on ``day``."""
        return self.withdrawn_until <= day

    def array_names(self) -> list[str]:
        return [f.name for f in fields(self) if f.name != "section_names"]

    def nbytes(self) -> int:
        return sum(getattr(self, name).nbytes for name in self.array_names())

    def renew(self, rows: np.ndarray, params: ModelParams, rng: np.random.Generator,
              day: int) -> None:
        """Newcomers take the places of the residents in ``rows`` (who moved away): same
        section and orientation (so rows stay sorted), every other trait and state drawn
        afresh, no help given or received, no contact yet."""
        rows = np.asarray(rows, dtype=np.int64)
        if len(rows) == 0:
            return
        fresh = draw_residents(self.section[rows], self.orientation[rows], params, rng)
        for name, values in fresh.items():
            getattr(self, name)[rows] = values
        self.arrived_day[rows] = day


def _shares_to_counts(shares: np.ndarray, n: int) -> np.ndarray:
    """Largest-remainder rounding: counts that sum to n and follow the shares."""
    raw = np.asarray(shares, dtype=float) * n
    counts = np.floor(raw).astype(np.int64)
    short = n - counts.sum()
    if short > 0:
        counts[np.argsort(-(raw - counts), kind="stable")[:short]] += 1
    return counts


def _gamma_mean_one(shape: float, n: int, rng) -> np.ndarray:
    return (rng.gamma(shape, 1.0 / shape, n)).astype(STATE_DTYPE)


def draw_residents(section: np.ndarray, orientation: np.ndarray, params: ModelParams,
                   rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Every per-resident array except section and orientation, for residents of the given
    sections and orientations: lasting traits drawn from their distributions (sim.params:
    PopulationParams), starting states around the section and orientation baselines."""
    pp, sections = params.population, params.population.sections
    n = len(section)

    def around(mean, spread: float) -> np.ndarray:
        return np.clip(mean + rng.normal(0.0, spread, n), 0.0, 1.0).astype(STATE_DTYPE)

    sr_base = np.array([params.orientations[o].self_reliance for o in ORIENTATIONS])
    trust_in = around(np.array([s.trust_in_group for s in sections])[section],
                      pp.trust_prior_spread)
    trust_out = around(np.array([s.trust_out_group for s in sections])[section],
                       pp.trust_prior_spread)
    attachment = around(np.full(n, params.rules.attachment_baseline),
                        pp.attachment_prior_spread)
    share_own = np.array([s.share for s in sections])[section]
    m = np.clip(np.array([s.outside_contact_mean for s in sections])[section], 1e-6,
                1 - 1e-6)
    c = pp.outside_contact_concentration
    outside = rng.beta(m * c, (1.0 - m) * c).astype(STATE_DTYPE)
    zeros = np.zeros(n, dtype=STATE_DTYPE)
    never = np.full(n, NEVER, dtype=np.int32)
    return {
        "interest": rng.integers(0, pp.n_interests, n).astype(np.int16),
        "sociability": _gamma_mean_one(pp.sociability_shape, n, rng),
        "hub_propensity": _gamma_mean_one(pp.hub_propensity_shape, n, rng),
        "helpfulness": _gamma_mean_one(pp.helpfulness_shape, n, rng),
        "outside_contact": outside,
        "need": zeros.copy(),
        "need_since": never.copy(),
        "care_until": never.copy(),
        "energy": around(np.full(n, pp.energy_start), pp.energy_start_spread),
        "strain": zeros.copy(),
        "withdrawn_until": np.zeros(n, dtype=np.int32),
        "self_reliance": around(sr_base[orientation], pp.self_reliance_spread),
        "indebtedness": zeros.copy(),
        "balance": zeros.copy(),
        "resentment": zeros.copy(),
        "attachment": attachment,
        "loneliness": around(np.full(n, pp.loneliness_start), pp.loneliness_start_spread),
        "trust_in": trust_in,
        "trust_out": trust_out,
        "trust_prior_in": trust_in.copy(),
        "trust_prior_out": trust_out.copy(),
        "attachment_prior": attachment.copy(),
        "trust_gen": (share_own * trust_in + (1 - share_own) * trust_out).astype(STATE_DTYPE),
        "reputation": np.full(n, pp.reputation_start, dtype=STATE_DTYPE),
        "is_bridge": np.zeros(n, dtype=bool),
        "is_organiser": np.zeros(n, dtype=bool),
        "is_critical_friend": np.zeros(n, dtype=bool),
        "helps_given": np.zeros(n, dtype=np.float64),
        "last_help_day": never.copy(),
        "last_contact_day": never.copy(),
        "last_chat_day": never.copy(),
        "arrived_day": np.zeros(n, dtype=np.int32),
    }


def build_population(params: ModelParams, rng: np.random.Generator) -> Population:
    """Draw a community: sections by share, orientations by each section's mix, then each
    resident's traits and starting states (:func:`draw_residents`); a share of residents
    already act as bridge figures."""
    pp = params.population
    n = pp.n_residents
    sections = pp.sections
    section = np.repeat(
        np.arange(len(sections), dtype=np.int8),
        _shares_to_counts(np.array([s.share for s in sections]), n),
    )
    orientation = np.empty(n, dtype=np.int8)
    for k, sec in enumerate(sections):
        rows = np.flatnonzero(section == k)
        mix = np.array([sec.orientations.get(o, 0.0) for o in ORIENTATIONS])
        # residents are stored sorted by (section, orientation): the network is drawn at
        # random afterwards, so order carries no meaning, and group metrics become sums
        # over contiguous blocks
        orientation[rows] = np.repeat(np.arange(len(ORIENTATIONS), dtype=np.int8),
                                      _shares_to_counts(mix / mix.sum(), len(rows)))
    pop = Population(section=section, orientation=orientation,
                     section_names=tuple(s.name for s in sections),
                     **draw_residents(section, orientation, params, rng))
    pop.is_bridge[:] = rng.random(n) < pp.share_bridge_figures
    return pop
