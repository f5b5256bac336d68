"""Random numbers drawn inside compiled kernels from the model's own numpy generators, the
same numbers numpy would have drawn.

A kernel that draws its own uniforms saves the Python call that drew them beforehand and the
array they came in, and can size its draws by what it finds (a chat's three uniforms once the
day's chats are counted). Results stay bit for bit: the numbers come from the generator's own
C functions, through numpy's public interface for compiled code
(``Generator.bit_generator.ctypes``: the state's address and the ``next_double`` and
``next_uint32`` functions, the interface numpy's documentation shows for numba), one call per
number as numpy's own fill loops make them, so numpy's draws and these share one stream and
may be mixed in any order. Costs: about 2 ns a number, as numpy; handing a kernel its stream
costs a few tens of nanoseconds (an array of three addresses), where a numpy call costs about
0.6 us and an array.

``stream(rng)`` gives the addresses for ``rng``; in kernels, ``uniforms(h, n)`` is
``rng.random(n)``, ``permutation(h, n)`` is ``rng.permutation(n)`` (numpy's Fisher-Yates with
its bounded draws, ``random_interval``), ``integers(h, k, n)`` is ``rng.integers(0, k, n)``
(numpy's Lemire draws) and ``poissons(h, lam, enlam, n)`` is ``rng.poisson(lam, n)`` for a
mean below ``POISSON_KERNEL_MAX`` (numpy's multiplication method; ``enlam`` is
``poisson_enlam(lam)``, worked out in Python by the C library's ``exp`` as numpy's is).
The addresses are valid while ``rng`` lives: a kernel is handed them by the caller that
holds the generator, never kept.
"""

from __future__ import annotations

import ctypes
import math

import numpy as np
from llvmlite import ir
from numba import njit, types
from numba.extending import intrinsic

# rows of a stream's addresses
_STATE, _NEXT_DOUBLE, _NEXT_UINT32 = 0, 1, 2
_UINT32_MAX = 0xFFFFFFFF

# bit generator's id -> (the bit generator, its addresses): the bit generator is held with its
# addresses (numpy's bit generators take no weak references), so that its id cannot pass to
# another while its entry is here; at most STREAMS_KEPT, then all let go
_STREAMS: dict[int, tuple[object, np.ndarray]] = {}
STREAMS_KEPT = 256
# the generator asked for last and its addresses (held with them, like _STREAMS' entries)
_LAST: list = [None, None]


def stream(rng: np.random.Generator) -> np.ndarray:
    """The addresses a kernel draws ``rng``'s numbers through (see the module docstring)."""
    last = _LAST
    if last[0] is rng:  # a day's rules ask a dozen times for the same generator's
        return last[1]
    bits = rng.bit_generator
    held = _STREAMS.get(id(bits))
    if held is not None and held[0] is bits:
        _LAST[:] = [rng, held[1]]
        return held[1]
    c = bits.ctypes
    addresses = np.array([c.state_address, _address(c.next_double), _address(c.next_uint32)],
                         dtype=np.intp)
    if len(_STREAMS) >= STREAMS_KEPT:
        _STREAMS.clear()
    _STREAMS[id(bits)] = (bits, addresses)
    _LAST[:] = [rng, addresses]
    return addresses


def _address(function) -> int:
    return ctypes.cast(function, ctypes.c_void_p).value


def _caller(numba_type, ir_type):
    """An intrinsic that calls the C function at an address with a state's address: numpy's
    ``next_double(void *state)`` and ``next_uint32(void *state)``."""

    @intrinsic
    def call(typingctx, function, state):
        def codegen(context, builder, signature, args):
            void_p = ir.IntType(8).as_pointer()
            fn_type = ir.FunctionType(ir_type, [void_p])
            fn = builder.inttoptr(args[0], fn_type.as_pointer())
            return builder.call(fn, [builder.inttoptr(args[1], void_p)])

        return numba_type(types.intp, types.intp), codegen

    return call


_next_double = _caller(types.float64, ir.DoubleType())
_next_uint32 = _caller(types.uint32, ir.IntType(32))


@njit(cache=True)
def uniform(h):
    """One uniform on [0, 1): ``rng.random()``."""
    return _next_double(h[_NEXT_DOUBLE], h[_STATE])


@njit(cache=True)
def uniforms(h, n):
    """``n`` uniforms on [0, 1): ``rng.random(n)``."""
    out = np.empty(n)
    for i in range(n):
        out[i] = _next_double(h[_NEXT_DOUBLE], h[_STATE])
    return out


# numpy's random_interval (distributions.c): a whole number 0..most by masked rejection, from
# 32-bit draws (numpy's buffered halves of 64: the generator's own next_uint32); for the
# ranges of a permutation, so never above 2**32 - 1
@njit(cache=True)
def interval(h, most):
    if most == 0:
        return 0
    mask = np.uint64(most)
    for shift in (1, 2, 4, 8, 16, 32):
        mask |= mask >> np.uint64(shift)
    while True:
        value = np.uint64(_next_uint32(h[_NEXT_UINT32], h[_STATE])) & mask
        if value <= np.uint64(most):
            return np.int64(value)


@njit(cache=True)
def shuffle(h, values):
    """Shuffle ``values`` in place as ``rng.shuffle`` does a 1-d array: from the last place
    down to the second, each swapped with a place drawn at or below it."""
    for i in range(len(values) - 1, 0, -1):
        if i > _UINT32_MAX:
            raise ValueError("shuffle: more than 2**32 values")
        j = interval(h, i)
        values[i], values[j] = values[j], values[i]


@njit(cache=True)
def permutation(h, n):
    """``rng.permutation(n)``: 0..n-1 shuffled."""
    out = np.arange(n)
    shuffle(h, out)
    return out


# numpy's random_poisson draws by multiplying uniforms for a mean below 10 (and by rejection,
# PTRS, from 10 up): kernels draw the first way only
POISSON_KERNEL_MAX = 10.0


def poisson_enlam(lam: float) -> float:
    """exp(-lam), as numpy's random_poisson_mult works it out (the C library's exp, which
    Python's math.exp calls); for a mean in [0, POISSON_KERNEL_MAX)."""
    if not 0.0 <= lam < POISSON_KERNEL_MAX:
        raise ValueError(f"poisson mean {lam} is outside [0, {POISSON_KERNEL_MAX}): draw it "
                         "with numpy")
    return math.exp(-lam)


@njit(cache=True)
def poisson(h, lam, enlam):
    """One ``rng.poisson(lam)`` for 0 <= lam < 10 (``enlam``: poisson_enlam(lam)): numpy's
    random_poisson_mult, multiplying uniforms until the product falls to exp(-lam) or below;
    a mean of 0 draws nothing."""
    if lam == 0.0:
        return 0
    x = 0
    prod = 1.0
    while True:
        prod *= _next_double(h[_NEXT_DOUBLE], h[_STATE])
        if prod > enlam:
            x += 1
        else:
            return x


@njit(cache=True)
def poissons(h, lam, enlam, n):
    """``rng.poisson(lam, n)`` for 0 <= lam < 10 (as :func:`poisson`)."""
    out = np.empty(n, dtype=np.int64)
    for i in range(n):
        out[i] = poisson(h, lam, enlam)
    return out


@njit(cache=True)
def integer(h, k):
    """One ``rng.integers(0, k)`` for 1 <= k <= 2**32 - 1: numpy's buffered_bounded_lemire_uint32
    (Lemire 2019: a 32-bit draw times k, its top half, with rejection below a threshold);
    k = 1 draws nothing."""
    most = np.uint32(k - 1)
    if most == 0:
        return 0
    excl = np.uint64(k)
    m = np.uint64(_next_uint32(h[_NEXT_UINT32], h[_STATE])) * excl
    leftover = np.uint32(m & np.uint64(_UINT32_MAX))
    if leftover < np.uint32(k):
        threshold = np.uint32((np.uint32(_UINT32_MAX) - most) % np.uint32(k))
        while leftover < threshold:
            m = np.uint64(_next_uint32(h[_NEXT_UINT32], h[_STATE])) * excl
            leftover = np.uint32(m & np.uint64(_UINT32_MAX))
    return np.int64(m >> np.uint64(32))


@njit(cache=True)
def integers(h, k, n):
    """``rng.integers(0, k, n)`` for 1 <= k <= 2**32 - 1 (as :func:`integer`)."""
    if k < 1 or k > _UINT32_MAX:
        raise ValueError("integers: k outside 1..2**32 - 1")
    out = np.empty(n, dtype=np.int64)
    for i in range(n):
        out[i] = integer(h, k)
    return out
