"""How interventions recruit residents: through people's ties (respondent-driven), unless
the team reaches out (:class:`Delivery`, which a critical friend changes).

:class:`Recruitment` is a part of :class:`sim.interventions.base.Intervention` (its base):
``recruit`` picks residents from a pool, ``cumulative_weights`` gives the weights to draw
residents in proportion to the recruitment weight; every draw comes from the intervention's
own stream (``self.rng``).
"""

from __future__ import annotations

import numpy as np

from sim.draws import stream
from sim.interventions.kernels import (
    cumulative_tie_weights,
    max_degree,
    recruit_drawn,
    recruit_pool,
)
from sim.params import param

# recruitment draws from everyone's cumulative weights, skipping non-members, when the pool
# holds at least this share of residents (else the pool's own keys are cheaper)
SKIP_DRAWS_MIN_SHARE = 0.25
_NO_TEST = np.zeros(0, dtype=bool)  # recruit_pool: no test of this kind
WEIGHTS_KEPT = 8  # at most this many kept cumulative weights per model (powers)
RECRUITMENT_SOURCE = (
    "Heckathorn 1997 (respondent-driven sampling: recruitment through ties reaches people "
    "in proportion to their number of ties); JRF 2015 on who programmes miss; size "
    "assumption")


def tie_weights(degree: np.ndarray, power: float) -> np.ndarray:
    """(degree + 1) ** power for each resident, the power taken once per distinct degree and
    looked up (numpy's power works element by element, so these are the bits of
    ``(degree + 1.0) ** power``; a critical friend's fading reach asks for a new power every
    day, and a thousand powers cost ten times a table of a few dozen)."""
    table = np.arange(1.0, degree.max(initial=0) + 2.0) ** power
    return table[degree]


def recruit_through_ties_param(default: float = 1.0):
    """The field every recruiting intervention declares (one declaration, many homes)."""
    return param(
        default, unit="exponent", lo=0, hi=3, uncertain=(0.5, 1.5),
        doc="how far recruitment runs through people's ties: a resident's chance of being "
        "recruited is proportional to (their ties + 1) to this power, so the isolated are "
        "missed (1 = snowball recruitment; 0 = everyone targeted equally); a critical friend "
        "who asks who is being missed lowers it",
        source=RECRUITMENT_SOURCE,
    )


class Delivery:
    """How an intervention is delivered, which a critical friend's challenges can change.

    ``outreach`` (0-1): how far recruitment reaches past the already connected (0: through
    people's ties, as programmes usually recruit; 1: everyone targeted equally).
    ``framing`` (0-1): how far the gap between its sessions' palatability and 1 is closed
    (0: as designed; 1: nothing in them is framed as help). Both drift back as the team
    falls back into habit (:meth:`fade`), unless challenges keep them up."""

    def __init__(self):
        self.outreach = 0.0
        self.framing = 0.0

    def palatability(self, designed: float) -> float:
        """A session's palatability, after the framing the team has learnt."""
        return float(min(1.0, designed + self.framing * (1.0 - designed)))

    def fade(self, keep: float) -> None:
        self.outreach *= keep
        self.framing *= keep


class Recruitment:
    """Recruitment for interventions (mixed into Intervention; needs ``self.rng``,
    ``self.targets`` and ``self.delivery``, which the base sets up)."""

    def recruit(self, model, day, k: int, among: np.ndarray | None = None,
                weight: np.ndarray | None = None, targeted: bool = True,
                excluding: np.ndarray | None = None) -> np.ndarray:
        """Up to ``k`` distinct residents from the targeted active residents (and ``among``,
        a bool mask, when given, leaving out ``excluding``, another, when given; any active
        resident with ``targeted=False``), sorted.
        Recruitment runs through people's ties: each resident's chance is proportional to
        (ties + 1) ** (recruit_through_ties x (1 - outreach)), so the isolated are missed
        unless the team reaches out (Delivery), times ``weight`` (one per resident) when
        given; classes without the field recruit everyone targeted equally.

        Successive sampling (each pick in proportion to weight among those not yet picked):
        for a few picks from a large pool, by draws from the cumulative weights of everyone
        (kept until the ties change), skipping residents outside the pool or already picked;
        otherwise by exponential keys over the pool (Efraimidis & Spirakis 2006), which
        draws the same way."""
        pool_mask, n_pool = recruit_pool(self.targets if targeted else _NO_TEST, day.active,
                                         _NO_TEST if among is None else among,
                                         _NO_TEST if excluding is None else excluding)
        k = min(int(k), n_pool)
        if k <= 0:
            return np.zeros(0, dtype=np.int64)
        power = getattr(self, "recruit_through_ties", 0.0) * (1.0 - self.delivery.outreach)
        if weight is None and SKIP_DRAWS_MIN_SHARE * model.pop.n <= n_pool >= 8 * k:
            return self._recruit_by_draws(model, k, pool_mask, power)
        pool = np.flatnonzero(pool_mask)
        u = self.rng.random(len(pool))
        w = np.ones(len(pool)) if weight is None else np.asarray(weight, float)[pool]
        if power > 0:
            w = w * tie_weights(model.ties.degree()[pool], power)
        if power > 0 or weight is not None:
            keys = np.where(w > 0, np.log(np.maximum(u, 1e-300)) / np.maximum(w, 1e-300),
                            -np.inf)
        else:
            keys = u
        if k < len(pool):
            pool = pool[np.argpartition(-keys, k - 1)[:k]]
        return np.sort(pool)

    def _recruit_by_draws(self, model, k: int, pool_mask: np.ndarray,
                          power: float) -> np.ndarray:
        """``recruit`` for a few picks from a large pool: draws in proportion to weight over
        everyone, keeping the first of each pool member drawn, until there are ``k``
        (sim.interventions.kernels.recruit_drawn, its draws from ``self.rng``)."""
        return recruit_drawn(self.cumulative_weights(model, power), stream(self.rng),
                             pool_mask, k)

    def cumulative_weights(self, model, power: float | None = None) -> np.ndarray:
        """Everyone's cumulative recruitment weights (ties + 1) ** power (default: this
        intervention's reach now): draws in proportion to the weight are
        ``rows_drawn(cum, u)`` (sim/interventions/kernels.py) for uniforms ``u`` from
        ``self.rng``; callers skip the draws they cannot use (another section, someone
        stepped back). Kept per model, for every intervention recruiting with the same power,
        until the ties change (a merge makes new arrays); not to be written into."""
        if power is None:
            power = getattr(self, "recruit_through_ties", 0.0) * (1.0 - self.delivery.outreach)
        src, kept = model.__dict__.get("_recruitment_weights", (None, None))
        if src is not model.ties.src:  # ties merged
            kept = {}
            model.__dict__["_recruitment_weights"] = (model.ties.src, kept)
        cum = kept.get(power)
        if cum is None:
            indptr = model.ties.indptr
            if power > 0:  # tie_weights' table, the sums compiled
                table = np.arange(1.0, max_degree(indptr) + 2.0) ** power
            else:
                table = np.ones(1 + max_degree(indptr))
            cum = cumulative_tie_weights(indptr, table)
            if len(kept) >= WEIGHTS_KEPT:  # reach fading day by day (a critical friend)
                kept.clear()
            kept[power] = cum
        return cum
