"""Observers update reputations (image scoring with standing)."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from sim.compiled import njit
from sim.day import Day
from sim.draws import stream, uniforms
from sim.params import RuleParams
from sim.population import Population


class ReputationParams(NamedTuple):
    """The numbers of :func:`update_reputation` (sim.params.RuleParams)."""

    q_known: float
    step: float
    good_standing: float
    relaxation: float
    start: float

    @classmethod
    def of(cls, p: RuleParams, start: float = 0.5) -> ReputationParams:
        return cls(p.p_reputation_known, p.reputation_step, p.good_standing,
                   p.reputation_relaxation, start)


def update_reputation(pop: Population, k: ReputationParams, day: Day, rng) -> None:
    """An act of help, if seen (chance q), raises the helper's reputation; refusing someone
    in good standing, if seen, lowers it, while refusing someone in bad standing does not;
    memories fade, so reputations drift slowly back to where everyone starts. Form: image
    scoring (Nowak & Sigmund 1998) with the standing rule (Leimar & Hammerstein 2001); step
    size and fading assumption."""
    ref = day.refusals
    ref_helper = ref.helper if ref is not None else np.zeros(0, np.int64)
    ref_recipient = ref.recipient if ref is not None else np.zeros(0, np.int64)
    _score(day.acts_helper, ref_helper, ref_recipient, pop.reputation,
           stream(rng), tuple(k))


# everyone's image fades toward the start; seen acts raise the helper's image; then seen
# refusals of residents in good standing (judged on standings after the acts, before any
# refusal counts) lower the refuser's, once per refusal. k is the ReputationParams as a plain
# tuple, named again here: numba types a plain tuple argument in C and a named one in Python
# (about 1 us a call)
@njit(cache=True)
def _score(helper, ref_helper, ref_recipient, reputation, h, k):
    u = uniforms(h, len(helper) + len(ref_helper))
    k = ReputationParams(*k)
    if k.relaxation > 0:
        for i in range(reputation.shape[0]):
            reputation[i] += k.relaxation * (k.start - reputation[i])
    for j in range(len(helper)):
        if u[j] < k.q_known:
            reputation[helper[j]] += k.step * (1.0 - reputation[helper[j]])
    counts = np.empty(len(ref_helper), dtype=np.bool_)
    for j in range(len(ref_helper)):
        counts[j] = (u[len(helper) + j] < k.q_known
                     and reputation[ref_recipient[j]] >= k.good_standing)
    for j in range(len(ref_helper)):
        if counts[j]:
            reputation[ref_helper[j]] *= 1.0 - k.step
