"""Sums compiled kernels add exactly as numpy does, so that a value worked out in a kernel
has the bits numpy's formula gave (the daily table's totals, the hubs' pulls)."""

from __future__ import annotations

import numpy as np

from sim.compiled import njit


# numpy's np.add.reduce of float64 values, to the bit: 0.0 plus numpy's pairwise sum, in
# which a run of more than 128 values is halved (the first half a multiple of 8 long) and the
# sums of the halves added, and a run of up to 128 is added by _block. The halving is
# followed with a stack of the runs under way (a recursive function compiled with cache=True
# crashes when loaded from the cache): each entry's run, and the sum of its first half once
# that is known
@njit(cache=True)
def add_reduce(values):
    if len(values) <= 128:  # one run: no stack needed
        return 0.0 + _block(values, 0, len(values))
    starts = np.empty(64, dtype=np.int64)
    lengths = np.empty(64, dtype=np.int64)
    first_half = np.empty(64)
    has_first = np.empty(64, dtype=np.bool_)
    top = 0
    starts[0], lengths[0], has_first[0] = 0, len(values), False
    while True:
        lo, n = starts[top], lengths[top]
        if n > 128:  # the first half first
            half = n // 2 - (n // 2) % 8
            top += 1
            starts[top], lengths[top], has_first[top] = lo, half, False
            continue
        total = _block(values, lo, n)
        # up the stack: a first half's sum waits for the second's, a second half's completes
        # its run
        while top > 0:
            top -= 1
            if has_first[top]:
                total = first_half[top] + total
                continue
            first_half[top], has_first[top] = total, True
            half = lengths[top] // 2 - (lengths[top] // 2) % 8
            top += 1
            starts[top] = starts[top - 1] + half
            lengths[top], has_first[top] = lengths[top - 1] - half, False
            break
        else:
            return 0.0 + total


# numpy's pairwise sum of a run of up to 128 values a[lo:lo + n]: fewer than 8 added in order
# from -0.0, else in 8 lanes (the lanes' sums added in pairs), then the rest in order
@njit(cache=True)
def _block(a, lo, n):
    if n < 8:
        res = -0.0
        for i in range(lo, lo + n):
            res += a[i]
        return res
    r0, r1, r2, r3 = a[lo], a[lo + 1], a[lo + 2], a[lo + 3]
    r4, r5, r6, r7 = a[lo + 4], a[lo + 5], a[lo + 6], a[lo + 7]
    i = lo + 8
    end = lo + n - n % 8
    while i < end:
        r0 += a[i]
        r1 += a[i + 1]
        r2 += a[i + 2]
        r3 += a[i + 3]
        r4 += a[i + 4]
        r5 += a[i + 5]
        r6 += a[i + 6]
        r7 += a[i + 7]
        i += 8
    res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))
    for j in range(i, lo + n):
        res += a[j]
    return res
