"""Replicate seeds: one root ``SeedSequence``, one child per replicate.

Replicate ``i`` of every scenario gets the same seed (paired comparisons), and the seed of
replicate ``i`` does not depend on how many replicates are asked for, nor on which worker
runs it: ``SeedSequence(root).spawn(n)[i]`` is the child with spawn key ``(i,)``.
"""

from __future__ import annotations

import re

import numpy as np

# The root seed every command, scenario file and page uses when none is given (the day the
# first version was written; any 63-bit integer would do).
DEFAULT_ROOT_SEED = 20261124
# the largest root seed (numpy takes any; scenario files, flags and the pages stop here)
MAX_SEED = 2**63 - 1
# how a seed is typed (the pages' seed field, the commands' --seed): the digits 0-9 alone. A
# user check found the compare page taking "1e3" and a full-width "７" (as 1000 and 7) while
# ``run.py compare --seed 1e3`` refused it; [0-9], not \d, which matches other scripts' digits
PLAIN_DIGITS = re.compile(r"[0-9]+")


def read_seed(text) -> int:
    """A root seed from what was typed: a whole number from 0 to :data:`MAX_SEED` in the
    digits 0-9 alone (spaces around it are dropped); anything else is a ``ValueError`` that
    says what is allowed, without saying what for (the page puts "seed" before it, the
    command line "--seed:"). The one rule of the pages and the commands."""
    s = str(text).strip()
    if s.startswith("-") and PLAIN_DIGITS.fullmatch(s[1:]) or \
            PLAIN_DIGITS.fullmatch(s) and int(s) > MAX_SEED:
        raise ValueError(f"{s} is out of range: must be between 0 and {MAX_SEED:,} (2^63-1)")
    if not PLAIN_DIGITS.fullmatch(s):
        raise ValueError(f"{text!r} is not a whole number in plain digits: a seed is written "
                         "with the digits 0-9 alone (no sign, decimal point, exponent, "
                         f"separators or full-width digits), from 0 to {MAX_SEED}; e.g. 42")
    return int(s)


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
