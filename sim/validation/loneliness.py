"""Cacioppo, Fowler & Christakis (2009): loneliness clusters in social networks and the
association fades with distance: a person is 52% more likely to be lonely if a direct tie
is lonely, 25% at two steps and 15% at three (Framingham Heart Study).

Reproduced in a baseline run: at weekly snapshots over the second year, over all ordered
pairs of residents at network distance k (shortest path along ties), the chance that a
resident is lonely given that the other is, relative to the chance of being lonely at all:
``P(lonely | alter at distance k lonely) / P(lonely) - 1``. Loneliness is the survey-style
"lonely often or always" (sim.metrics.LONELY_THRESHOLD).
"""

from __future__ import annotations

import dataclasses

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import shortest_path

from sim.metrics import LONELY_THRESHOLD
from sim.model import KindlinessModel
from sim.params import ModelParams

PUBLISHED = {1: 0.52, 2: 0.25, 3: 0.15}  # Cacioppo, Fowler & Christakis 2009


def _distances(model: KindlinessModel) -> np.ndarray:
    t = model.ties
    g = csr_matrix((np.ones(t.m), (t.src, t.dst)), shape=(t.n, t.n))
    return shortest_path(g, method="D", unweighted=True, directed=False)


def loneliness_by_distance(params: ModelParams | None = None, *, seed: int = 0,
                           residents: int = 1000, start_day: int = 365, end_day: int = 730,
                           every: int = 28, max_distance: int = 4) -> dict:
    """Counts, summed over snapshots, for the relative increase at each distance."""
    params = params or ModelParams()
    params = dataclasses.replace(params, population=dataclasses.replace(
        params.population, n_residents=residents))
    model = KindlinessModel(params, seed=seed, days_hint=end_day + 1)
    model.run_days(start_day)
    ks = np.arange(1, max_distance + 1)
    both = np.zeros(len(ks))
    alter_lonely = np.zeros(len(ks))
    pairs = np.zeros(len(ks))  # all ordered pairs at distance k
    ego_lonely = np.zeros(len(ks))  # ... whose ego is lonely
    lonely_total, people_total = 0.0, 0.0
    for day in range(start_day, end_day + 1, every):
        if day > start_day:
            model.run_days(every)
        lonely = (model.pop.loneliness >= LONELY_THRESHOLD).astype(float)
        dist = _distances(model)
        lonely_total += lonely.sum()
        people_total += len(lonely)
        for i, k in enumerate(ks):
            at_k = dist == k
            with_lonely_alter = at_k @ lonely  # per ego: lonely alters at distance k
            alter_lonely[i] += with_lonely_alter.sum()
            both[i] += with_lonely_alter @ lonely
            n_at_k = at_k.sum(axis=1)
            pairs[i] += n_at_k.sum()
            ego_lonely[i] += n_at_k @ lonely
    return {"distance": ks, "both": both, "alter_lonely": alter_lonely, "pairs": pairs,
            "ego_lonely": ego_lonely, "lonely": lonely_total, "people": people_total}


def relative_increase(counts: dict, reference: str = "prevalence") -> np.ndarray:
    """``P(ego lonely | alter at k lonely) / reference - 1``. ``reference="prevalence"`` is
    the published comparison (loneliness shuffled over the same network: the share lonely);
    ``"pairs"`` compares with egos at distance k from anyone, which removes the weight that
    pair counting gives to well-connected (and so rarely lonely) egos."""
    if reference == "prevalence":
        ref = counts["lonely"] / counts["people"]
    else:
        ref = counts["ego_lonely"] / counts["pairs"]
    with np.errstate(invalid="ignore", divide="ignore"):
        return counts["both"] / counts["alter_lonely"] / ref - 1.0


def loneliness_gradient(seeds=(0, 1, 2), **kw) -> dict:
    """Relative increase by distance, pooled over seeds (counts summed), with per-seed
    values for an interval."""
    runs = [loneliness_by_distance(seed=s, **kw) for s in seeds]
    keys = ("both", "alter_lonely", "pairs", "ego_lonely", "lonely", "people")
    pooled = {k: sum(r[k] for r in runs) for k in keys}
    pooled["distance"] = runs[0]["distance"]
    return {"distance": pooled["distance"], "increase": relative_increase(pooled),
            "increase_vs_pairs": relative_increase(pooled, "pairs"),
            "per_seed": np.array([relative_increase(r) for r in runs]),
            "per_seed_vs_pairs": np.array([relative_increase(r, "pairs") for r in runs]),
            "prevalence": pooled["lonely"] / pooled["people"], "published": PUBLISHED}
