"""The residents' state as arrays: one row per resident (a structure of arrays).

Every daily rule reads and writes these arrays in bulk; the Mesa ``Resident`` agents
(sim/agents.py) are a view onto one row each. States on a 0-1 scale are float32.
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
    need: np.ndarray  # outstanding need, 0-1
    need_since: np.ndarray  # int32 day the current need began (NEVER if none)
    energy: np.ndarray  # capacity to help, 0-1
    burnout: np.ndarray  # 0-1; at 1 the resident withdraws
    withdrawn_until: np.ndarray  # int32 day; withdrawn while day < withdrawn_until
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
    last_contact_day: np.ndarray  # int32: last day with any social contact
    section_names: tuple[str, ...] = ()

    @property
    def n(self) -> int:
        return len(self.section)

    def active(self, day: int) -> np.ndarray:
        """Residents not withdrawn by burnout on ``day``."""
        return self.withdrawn_until <= day

    def array_names(self) -> list[str]:
        return [f.name for f in fields(self) if f.name != "section_names"]

    def nbytes(self) -> int:
        return sum(getattr(self, name).nbytes for name in self.array_names())


def sorted_unique(keys: np.ndarray) -> np.ndarray:
    """Distinct values in increasing order, by sort and compare (numpy's hash-based
    ``unique`` is much slower on millions of integer keys)."""
    keys = np.sort(keys)
    keep = np.ones(len(keys), dtype=bool)
    keep[1:] = keys[1:] != keys[:-1]
    return keys[keep]


def _shares_to_counts(shares: np.ndarray, n: int) -> np.ndarray:
    """Largest-remainder rounding: counts that sum to n and follow the shares."""
    raw = np.asarray(shares, dtype=float) * n
    counts = np.floor(raw).astype(np.int64)
    short = n - counts.sum()
    if short > 0:
        counts[np.argsort(-(raw - counts), kind="stable")[:short]] += 1
    return counts


def build_population(params: ModelParams, rng: np.random.Generator) -> Population:
    """Draw a community: sections by share, orientations by each section's mix, and starting
    states around the section and orientation baselines."""
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

    def around(mean: np.ndarray, spread: float) -> np.ndarray:
        return np.clip(mean + rng.normal(0.0, spread, n), 0.0, 1.0).astype(STATE_DTYPE)

    profile = [params.orientations[o] for o in ORIENTATIONS]
    sr_base = np.array([p.self_reliance for p in profile])[orientation]
    # residents differ lastingly: each relaxes toward their own starting levels, so that
    # survey-style shares (above a threshold) keep their meaning over long runs
    trust_in = around(np.array([s.trust_in_group for s in sections])[section], 0.15)
    trust_out = around(np.array([s.trust_out_group for s in sections])[section], 0.15)
    attachment = around(np.full(n, params.rules.attachment_baseline), 0.15)
    share_own = np.array([s.share for s in sections])[section]
    zeros = np.zeros(n, dtype=STATE_DTYPE)
    return Population(
        section=section,
        orientation=orientation,
        interest=rng.integers(0, pp.n_interests, n).astype(np.int16),
        need=zeros.copy(),
        need_since=np.full(n, NEVER, dtype=np.int32),
        energy=around(np.full(n, 0.8), 0.1),
        burnout=zeros.copy(),
        withdrawn_until=np.zeros(n, dtype=np.int32),
        self_reliance=around(sr_base, 0.1),
        indebtedness=zeros.copy(),
        balance=zeros.copy(),
        resentment=zeros.copy(),
        attachment=attachment,
        loneliness=around(np.full(n, 0.3), 0.15),
        trust_in=trust_in,
        trust_out=trust_out,
        trust_prior_in=trust_in.copy(),
        trust_prior_out=trust_out.copy(),
        attachment_prior=attachment.copy(),
        trust_gen=(share_own * trust_in + (1 - share_own) * trust_out).astype(STATE_DTYPE),
        reputation=np.full(n, 0.5, dtype=STATE_DTYPE),
        is_bridge=rng.random(n) < pp.share_bridge_figures,
        is_organiser=np.zeros(n, dtype=bool),
        is_critical_friend=np.zeros(n, dtype=bool),
        helps_given=np.zeros(n, dtype=np.float64),
        last_help_day=np.full(n, NEVER, dtype=np.int32),
        last_contact_day=np.full(n, NEVER, dtype=np.int32),
        section_names=tuple(s.name for s in sections),
    )
