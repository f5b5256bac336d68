"""Replicate seeds: one root ``SeedSequence``, one child per replicate.

Replicate ``i`` of every scenario gets the same seed (paired comparisons), and the seed of
replicate ``i`` does not depend on how many replicates are asked for, nor on which worker
runs it: ``SeedSequence(root).spawn(n)[i]`` is the child with spawn key ``(i,)``.
"""

from __future__ import annotations

import numpy as np

# The root seed every command, scenario file and page uses when none is given (the day the
# first version was written; any 63-bit integer would do).
DEFAULT_ROOT_SEED = 20261124
# the largest root seed (numpy takes any; scenario files, flags and the pages stop here)
MAX_SEED = 2**63 - 1


def replicate_seeds(root_seed: int, n: int) -> list[int]:
    """The seeds of replicates ``0..n-1`` derived from ``root_seed`` (stable, 63-bit ints).

    Each child ``SeedSequence`` is reduced to one 63-bit integer, the form
    ``KindlinessModel(seed=...)`` takes; the model derives its named streams from it.
    """
    if n < 0:
        raise ValueError(f"replicates must be >= 0, got {n}")
    if root_seed < 0:
        raise ValueError(f"root seed must be >= 0, got {root_seed}")
    children = np.random.SeedSequence(int(root_seed)).spawn(int(n))
    return [int(c.generate_state(1, dtype=np.uint64)[0] >> np.uint64(1)) for c in children]
