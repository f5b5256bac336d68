"""Observers update reputations (image scoring with standing)."""

from __future__ import annotations

import numpy as np

from sim.day import Day
from sim.population import Population

GOOD_STANDING = 0.5  # reputation at or above which a refusal counts against the refuser


def update_reputation(pop: Population, q_known: float, step: float, day: Day, rng) -> None:
    """An act of help, if seen (chance q), raises the helper's reputation; refusing someone
    in good standing, if seen, lowers it, while refusing someone in bad standing does not.
    Form: image scoring (Nowak & Sigmund 1998) with the standing rule (Leimar & Hammerstein
    2001); step size assumption."""
    h = day.acts_helper
    seen = h[rng.random(len(h)) < q_known]
    pop.reputation[seen] += step * (1.0 - pop.reputation[seen])
    ref = day.refusals
    if ref is None or len(ref) == 0:
        return
    bad = (rng.random(len(ref)) < q_known) & (pop.reputation[ref.recipient] >= GOOD_STANDING)
    refusers = ref.helper[bad]
    # a helper refused by several askers loses reputation once per refusal
    times = np.bincount(refusers, minlength=pop.n)[refusers]
    pop.reputation[refusers] *= (1.0 - step) ** times
