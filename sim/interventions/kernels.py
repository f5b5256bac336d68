"""Compiled inner loops of the interventions' hooks (numba, like the rules' kernels).

Every random number is still drawn in Python from the intervention's own stream
(``self.rng``), in the same order and amounts as before; the kernels only do the
bookkeeping that used to take several numpy passes (dedupe, membership, masks), so results
are unchanged and each hook costs one compiled call instead of a dozen small numpy calls.
"""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True)
def rows_drawn(cum, u):
    """The rows drawn by uniforms ``u`` (0-1) from cumulative weights ``cum``: for each, the
    first row whose cumulative weight exceeds ``u * cum[-1]`` (the last row at most)."""
    out = np.searchsorted(cum, u * cum[-1], side="right")
    last = len(cum) - 1
    for j in range(len(out)):
        if out[j] > last:
            out[j] = last
    return out


@njit(cache=True)
def take_first_new(drawn, pool_mask, picked_mask, want, out, n_out):
    """Append to ``out[n_out:]`` the residents of ``drawn`` (in the order drawn) who are in
    the pool and not yet picked (a resident drawn twice counts once), until there are
    ``want`` more; marks them in ``picked_mask``. Returns the new length of ``out``."""
    taken = 0
    for j in range(len(drawn)):
        if taken >= want:
            break
        r = drawn[j]
        if not pool_mask[r] or picked_mask[r]:
            continue
        picked_mask[r] = True
        out[n_out + taken] = r
        taken += 1
    return n_out + taken


@njit(cache=True)
def match_other_section(drawn, callers, need, n_need, section, active, partner):
    """One round of finding callers a partner: ``drawn[j]`` is the draw for caller
    ``callers[need[j]]`` (j < n_need); it is kept (``partner[need[j]]``) when it is of
    another section and active. ``need`` is compacted in place to the callers still
    without anyone (in order); returns how many remain."""
    left = 0
    for j in range(n_need):
        i = need[j]
        d = drawn[j]
        if section[d] != section[callers[i]] and active[d]:
            partner[i] = d
        else:
            need[left] = i
            left += 1
    return left
