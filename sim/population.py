"""The residents' state as arrays: one row per resident (a structure of arrays).

Every daily rule reads and writes these arrays in bulk; the Mesa ``Resident`` agents
(sim/agents.py) are a view onto one row each. States on a 0-1 scale are float32.

Residents differ lastingly (sociability, hub propensity, outside contact, trust and
attachment priors): these traits are drawn once per resident, by the same draws in the same
order (:func:`_draw_into`), both when the community is built (:func:`draw_residents`) and
when a newcomer takes the place of someone who moved away (:meth:`Population.renew`).
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from sim.compiled import njit
from sim.params import ORIENTATIONS, ModelParams

STATE_DTYPE = np.float32
NEVER = -(10**6)  # "day" value for events that have not happened


@dataclass(eq=False)
class Population:
    """Per-resident arrays. Index i is resident i everywhere in the model."""

    section: np.ndarray  # int8, index into section_names
    orientation: np.ndarray  # int8, index into ORIENTATIONS
    interest: np.ndarray  # int16, one interest each (a pastime people may share)
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
    # bool: acts as a bonder and bridge (the community's own; residents an intervention
    # supports in a role are declared by that intervention, see KindlinessModel.roles)
    is_bridge: np.ndarray
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
        # the baselines are kept while the (frozen) parameters are the same object
        held = self._baselines
        if held is None or held[0] is not params:
            held = self._baselines = (params, Baselines.of(params))
        _draw_into(vars(self), rows, self.section, self.orientation, params, held[1], rng, day)

    # (the parameters the newcomers' baselines were last worked out for, the baselines):
    # not a field, set by renew
    _baselines = None


def _shares_to_counts(shares: np.ndarray, n: int) -> np.ndarray:
    """Largest-remainder rounding: counts that sum to n and follow the shares."""
    raw = np.asarray(shares, dtype=float) * n
    counts = np.floor(raw).astype(np.int64)
    short = n - counts.sum()
    if short > 0:
        counts[np.argsort(-(raw - counts), kind="stable")[:short]] += 1
    return counts


# each array draw_residents fills, and its dtype
DRAWN = {
    "interest": np.int16, "sociability": STATE_DTYPE, "hub_propensity": STATE_DTYPE,
    "helpfulness": STATE_DTYPE, "outside_contact": STATE_DTYPE, "need": STATE_DTYPE,
    "need_since": np.int32, "care_until": np.int32, "energy": STATE_DTYPE,
    "strain": STATE_DTYPE, "withdrawn_until": np.int32, "self_reliance": STATE_DTYPE,
    "indebtedness": STATE_DTYPE, "balance": STATE_DTYPE, "resentment": STATE_DTYPE,
    "attachment": STATE_DTYPE, "loneliness": STATE_DTYPE, "trust_in": STATE_DTYPE,
    "trust_out": STATE_DTYPE, "trust_prior_in": STATE_DTYPE, "trust_prior_out": STATE_DTYPE,
    "attachment_prior": STATE_DTYPE, "trust_gen": STATE_DTYPE, "reputation": STATE_DTYPE,
    "is_bridge": np.bool_, "helps_given": np.float64, "last_help_day": np.int32,
    "last_contact_day": np.int32, "last_chat_day": np.int32, "arrived_day": np.int32,
}


@dataclass(frozen=True, eq=False)
class Baselines:
    """What residents' starting states are drawn around, per section and per orientation
    (from one parameter set), and the beta parameters of each section's outside contact."""

    trust_in: np.ndarray  # per section
    trust_out: np.ndarray
    share: np.ndarray
    outside_a: np.ndarray  # beta(mean x concentration, (1 - mean) x concentration)
    outside_b: np.ndarray
    self_reliance: np.ndarray  # per orientation

    @classmethod
    def of(cls, params: ModelParams) -> Baselines:
        sections = params.population.sections
        m = np.clip(np.array([s.outside_contact_mean for s in sections]), 1e-6, 1 - 1e-6)
        c = params.population.outside_contact_concentration
        return cls(trust_in=np.array([s.trust_in_group for s in sections]),
                   trust_out=np.array([s.trust_out_group for s in sections]),
                   share=np.array([s.share for s in sections]),
                   outside_a=m * c, outside_b=(1.0 - m) * c,
                   self_reliance=np.array([params.orientations[o].self_reliance
                                           for o in ORIENTATIONS]))


def draw_residents(section: np.ndarray, orientation: np.ndarray, params: ModelParams,
                   rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Every per-resident array except section and orientation (DRAWN), for residents of the
    given sections and orientations: lasting traits drawn from their distributions
    (sim.params: PopulationParams), starting states around the section and orientation
    baselines."""
    n = len(section)
    arrays = {name: np.empty(n, dtype=dtype) for name, dtype in DRAWN.items()}
    _draw_into(arrays, np.arange(n), section, orientation, params, Baselines.of(params), rng,
               0)
    return arrays


def _draw_into(arrays: dict[str, np.ndarray], rows: np.ndarray, section: np.ndarray,
               orientation: np.ndarray, params: ModelParams, base: Baselines,
               rng: np.random.Generator, day: int) -> None:
    """Draw the residents in ``rows`` afresh into ``arrays`` (every array of DRAWN, by name):
    the draws in this order (which every seeded result depends on), then every trait and
    state written in one compiled pass (:func:`_fill_residents`); arrived on ``day``.
    ``base``: :meth:`Baselines.of` the parameters."""
    pp = params.population
    n = len(rows)
    in_section = section[rows]
    z_trust_in = rng.normal(0.0, pp.trust_prior_spread, n)
    z_trust_out = rng.normal(0.0, pp.trust_prior_spread, n)
    z_attachment = rng.normal(0.0, pp.attachment_prior_spread, n)
    outside = rng.beta(base.outside_a[in_section], base.outside_b[in_section])
    interest = rng.integers(0, pp.n_interests, n)
    # lasting multipliers: gamma with mean 1
    sociability = rng.gamma(pp.sociability_shape, 1.0 / pp.sociability_shape, n)
    hub_propensity = rng.gamma(pp.hub_propensity_shape, 1.0 / pp.hub_propensity_shape, n)
    helpfulness = rng.gamma(pp.helpfulness_shape, 1.0 / pp.helpfulness_shape, n)
    z_energy = rng.normal(0.0, pp.energy_start_spread, n)
    z_self_reliance = rng.normal(0.0, pp.self_reliance_spread, n)
    z_loneliness = rng.normal(0.0, pp.loneliness_start_spread, n)
    a = arrays
    _fill_residents(
        rows, day, section, orientation, base.trust_in, base.trust_out, base.share,
        base.self_reliance, params.rules.attachment_baseline, pp.energy_start,
        pp.loneliness_start, pp.reputation_start, z_trust_in, z_trust_out, z_attachment,
        outside, interest, sociability, hub_propensity, helpfulness, z_energy,
        z_self_reliance, z_loneliness, a["interest"], a["sociability"], a["hub_propensity"],
        a["helpfulness"], a["outside_contact"], a["need"], a["need_since"], a["care_until"],
        a["energy"], a["strain"], a["withdrawn_until"], a["self_reliance"], a["indebtedness"],
        a["balance"], a["resentment"], a["attachment"], a["loneliness"], a["trust_in"],
        a["trust_out"], a["trust_prior_in"], a["trust_prior_out"], a["attachment_prior"],
        a["trust_gen"], a["reputation"], a["is_bridge"], a["helps_given"], a["last_help_day"],
        a["last_contact_day"], a["last_chat_day"], a["arrived_day"])


# a value clipped to 0-1 as np.clip does it (nan stays nan)
@njit(cache=True)
def _clip01(x):
    if np.isnan(x):
        return x
    x = x if x > 0.0 else 0.0
    return x if x < 1.0 else 1.0


# residents rows[j] drawn afresh from the j-th draws: each starting state is its baseline (by
# section or orientation) plus the draw, clipped to 0-1 in float64, then float32 (as numpy's
# np.clip(...).astype did); generalised trust mixes own and other sections' trust by the
# section's share (in float64); traits are the draws as float32; the rest starts empty, with
# no history, arrived on ``day``
@njit(cache=True)
def _fill_residents(rows, day, section, orientation, trust_in_base, trust_out_base, share,
                    self_reliance_base, attachment_base, energy_base, loneliness_base,
                    reputation_start, z_trust_in, z_trust_out, z_attachment, outside_draw,
                    interest_draw, sociability_draw, hub_propensity_draw, helpfulness_draw,
                    z_energy, z_self_reliance, z_loneliness, interest, sociability,
                    hub_propensity, helpfulness, outside_contact, need, need_since,
                    care_until, energy, strain, withdrawn_until, self_reliance, indebtedness,
                    balance, resentment, attachment, loneliness, trust_in, trust_out,
                    trust_prior_in, trust_prior_out, attachment_prior, trust_gen, reputation,
                    is_bridge, helps_given, last_help_day, last_contact_day, last_chat_day,
                    arrived_day):
    for j in range(len(rows)):
        r = rows[j]
        s = section[r]
        t_in = np.float32(_clip01(trust_in_base[s] + z_trust_in[j]))
        t_out = np.float32(_clip01(trust_out_base[s] + z_trust_out[j]))
        attached = np.float32(_clip01(attachment_base + z_attachment[j]))
        interest[r] = interest_draw[j]
        sociability[r] = sociability_draw[j]
        hub_propensity[r] = hub_propensity_draw[j]
        helpfulness[r] = helpfulness_draw[j]
        outside_contact[r] = outside_draw[j]
        need[r] = 0.0
        need_since[r] = NEVER
        care_until[r] = NEVER
        energy[r] = _clip01(energy_base + z_energy[j])
        strain[r] = 0.0
        withdrawn_until[r] = 0
        self_reliance[r] = _clip01(self_reliance_base[orientation[r]] + z_self_reliance[j])
        indebtedness[r] = 0.0
        balance[r] = 0.0
        resentment[r] = 0.0
        attachment[r] = attached
        loneliness[r] = _clip01(loneliness_base + z_loneliness[j])
        trust_in[r] = t_in
        trust_out[r] = t_out
        trust_prior_in[r] = t_in
        trust_prior_out[r] = t_out
        attachment_prior[r] = attached
        trust_gen[r] = share[s] * np.float64(t_in) + (1.0 - share[s]) * np.float64(t_out)
        reputation[r] = reputation_start
        is_bridge[r] = False
        helps_given[r] = 0.0
        last_help_day[r] = NEVER
        last_contact_day[r] = NEVER
        last_chat_day[r] = NEVER
        arrived_day[r] = day


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
