"""Observers update reputations (image scoring with standing)."""

from __future__ import annotations

import numpy as np
from numba import njit

from sim.day import Day
from sim.population import Population

GOOD_STANDING = 0.5  # reputation at or above which a refusal counts against the refuser


def update_reputation(pop: Population, q_known: float, step: float, day: Day, rng) -> None:
    """An act of help, if seen (chance q), raises the helper's reputation; refusing someone
    in good standing, if seen, lowers it, while refusing someone in bad standing does not.
    Form: image scoring (Nowak & Sigmund 1998) with the standing rule (Leimar & Hammerstein
    2001); step size assumption."""
    ref = day.refusals
    ref_helper = ref.helper if ref is not None else np.zeros(0, np.int64)
    ref_recipient = ref.recipient if ref is not None else np.zeros(0, np.int64)
    _score(day.acts_helper, ref_helper, ref_recipient, pop.reputation,
           rng.random(len(day.acts_helper) + len(ref_helper)), q_known, step)


# seen acts raise the helper's image; then seen refusals of residents in good standing
# (judged on standings after the acts, before any refusal counts) lower the refuser's, once
# per refusal
@njit(cache=True)
def _score(helper, ref_helper, ref_recipient, reputation, u, q_known, step):
    for k in range(len(helper)):
        if u[k] < q_known:
            reputation[helper[k]] += step * (1.0 - reputation[helper[k]])
    counts = np.empty(len(ref_helper), dtype=np.bool_)
    for k in range(len(ref_helper)):
        counts[k] = (u[len(helper) + k] < q_known
                     and reputation[ref_recipient[k]] >= GOOD_STANDING)
    for k in range(len(ref_helper)):
        if counts[k]:
            reputation[ref_helper[k]] *= 1.0 - step
