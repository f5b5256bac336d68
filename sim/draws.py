"""Random numbers drawn inside compiled kernels from the model's own numpy generators, the
same numbers numpy would have drawn.

A kernel that draws its own uniforms saves the Python call that drew them beforehand and the
array they came in, and can size its draws by what it finds (a chat's three uniforms once the
day's chats are counted). Results stay bit for bit: the numbers come from the generator's own
state, through numpy's public interface for compiled code (``Generator.bit_generator.ctypes``:
the state's address and the ``next_double`` and ``next_uint32`` functions, the interface
numpy's documentation shows for numba), one number at a time as numpy's own fill loops make
them, so numpy's draws and these share one stream and may be mixed in any order. Handing a
kernel its stream costs a few tens of nanoseconds (an array of four numbers), where a numpy
call costs about 0.6 us and an array.

For numpy's default generator, PCG64, kernels do not call numpy's functions (about 2 ns a
number): they take the generator's step in their own code (:func:`_pcg64_next64`: the same
128-bit multiply and add on the same state in memory, and the same output function,
pcg_setseq_128_xsl_rr_64), which saves the call and the registers it spills. How a stream
draws is its last number: the first time a stream is asked for in a process, the kernels' step
is checked against numpy's own draws (64- and 32-bit, on a fresh generator); any other bit
generator, or a numpy whose PCG64 keeps its state otherwise, draws through numpy's functions.

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
from numba.extending import intrinsic

from sim.compiled import njit, types

# rows of a stream: the state's address, numpy's two functions' addresses, and how kernels
# draw (_BY_CALL: through numpy's functions; _PCG64: PCG64's step in the kernel's own code)
_STATE, _NEXT_DOUBLE, _NEXT_UINT32, _HOW = 0, 1, 2, 3
_BY_CALL, _PCG64 = 0, 1
_UINT32_MAX = 0xFFFFFFFF

# bit generator's id -> (the bit generator, its addresses): the bit generator is held with its
# addresses (numpy's bit generators take no weak references), so that its id cannot pass to
# another while its entry is here; at most STREAMS_KEPT, then all let go
_STREAMS: dict[int, tuple[object, np.ndarray]] = {}
STREAMS_KEPT = 256
# the generator asked for last and its addresses (held with them, like _STREAMS' entries), as
# one tuple read and replaced whole: threads stepping different models (the visualiser serves
# several sessions) never pair one generator with another's addresses
_LAST: list = [(None, None)]


def stream(rng: np.random.Generator) -> np.ndarray:
    """The addresses a kernel draws ``rng``'s numbers through (see the module docstring)."""
    last = _LAST[0]
    if last[0] is rng:  # a day's rules ask a dozen times for the same generator's
        return last[1]
    bits = rng.bit_generator
    held = _STREAMS.get(id(bits))
    if held is not None and held[0] is bits:
        _LAST[0] = (rng, held[1])
        return held[1]
    how = _PCG64 if type(bits) is np.random.PCG64 and _pcg64_checked() else _BY_CALL
    addresses = _stream_of(bits, how)
    if len(_STREAMS) >= STREAMS_KEPT:
        _STREAMS.clear()
    _STREAMS[id(bits)] = (bits, addresses)
    _LAST[0] = (rng, addresses)
    return addresses


def _stream_of(bits, how: int) -> np.ndarray:
    """A stream's four numbers for the bit generator ``bits``, drawn ``how``."""
    c = bits.ctypes
    return np.array([c.state_address, _address(c.next_double), _address(c.next_uint32), how],
                    dtype=np.intp)


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

# numpy's PCG64 (pcg64.h: pcg_setseq_128_xsl_rr_64): the state moves on as
# state * multiplier + increment (mod 2**128); the 64 bits out are the state's two halves
# xor-ed, rotated right by its top six bits. numpy's state (pcg64_state) holds a pointer to
# the 128-bit state and increment, then has_uint32 (a C int) and the buffered uinteger.
# Kernels hold a 128-bit number as its (high, low) 64-bit halves
_PCG64_MULTIPLIER = 0x2360ED051FC65DA44385DF649FCCF645
_M_HIGH, _M_LOW = np.uint64(_PCG64_MULTIPLIER >> 64), np.uint64(_PCG64_MULTIPLIER % 2**64)
_ZERO = np.uint64(0)
_INCREMENT, _HAS_UINT32, _UINTEGER = 16, 8, 12  # byte offsets (numpy's pcg64 structs)
_HALVES = types.UniTuple(types.uint64, 2)
_I64, _I128 = ir.IntType(64), ir.IntType(128)


def _join(builder, high, low):
    return builder.or_(builder.shl(builder.zext(high, _I128), ir.Constant(_I128, 64)),
                       builder.zext(low, _I128))


def _halves(context, builder, signature, value):
    return context.make_tuple(builder, signature.return_type, [
        builder.trunc(builder.lshr(value, ir.Constant(_I128, 64)), _I64),
        builder.trunc(value, _I64)])


@intrinsic
def _pointer_at(typingctx, address):
    """The address held at ``address`` (numpy's pointer to its PCG64 state)."""

    def codegen(context, builder, signature, args):
        return builder.load(builder.inttoptr(args[0], _I64.as_pointer()))

    return types.intp(types.intp), codegen


@intrinsic
def _get128(typingctx, address):
    """The 128-bit number at ``address``, as (high, low)."""

    def codegen(context, builder, signature, args):
        value = builder.load(builder.inttoptr(args[0], _I128.as_pointer()), align=8)
        return _halves(context, builder, signature, value)

    return _HALVES(types.intp), codegen


@intrinsic
def _put128(typingctx, address, high, low):
    """Store (high, low) as the 128-bit number at ``address``."""

    def codegen(context, builder, signature, args):
        builder.store(_join(builder, args[1], args[2]),
                      builder.inttoptr(args[0], _I128.as_pointer()), align=8)
        return context.get_dummy_value()

    return types.void(types.intp, types.uint64, types.uint64), codegen


@intrinsic
def _affine(typingctx, high, low, m_high, m_low, c_high, c_low):
    """m * x + c (mod 2**128), each number as (high, low)."""

    def codegen(context, builder, signature, args):
        value = builder.add(builder.mul(_join(builder, args[0], args[1]),
                                        _join(builder, args[2], args[3])),
                            _join(builder, args[4], args[5]))
        return _halves(context, builder, signature, value)

    return _HALVES(*[types.uint64] * 6), codegen


@intrinsic
def _output(typingctx, high, low):
    """PCG64's 64 bits out of a state: its halves xor-ed, rotated right by its top six bits."""

    def codegen(context, builder, signature, args):
        value = builder.xor(args[0], args[1])
        rot = builder.lshr(args[0], ir.Constant(_I64, 58))
        return builder.or_(builder.lshr(value, rot),
                           builder.shl(value, builder.and_(builder.neg(rot),
                                                           ir.Constant(_I64, 63))))

    return types.uint64(types.uint64, types.uint64), codegen


@njit(cache=True)
def _unit(bits):
    """numpy's next_double of 64 bits: the top 53 over 2**53 (through int64: the same value,
    a cheaper conversion)."""
    return np.float64(np.int64(bits >> np.uint64(11))) * (1.0 / 9007199254740992.0)


@njit(cache=True)
def _pcg64_next64(state):
    """numpy's pcg64_next64 on the generator state at address ``state``."""
    at = _pointer_at(state)
    high, low = _get128(at)
    inc_high, inc_low = _get128(at + _INCREMENT)
    high, low = _affine(high, low, _M_HIGH, _M_LOW, inc_high, inc_low)
    _put128(at, high, low)
    return _output(high, low)


# fills of at least this many doubles take four steps side by side (_pcg64_fill)
_FILL_SIDE_BY_SIDE = 16


@njit(cache=True)
def _pcg64_fill(state, out):
    """``out`` filled with numpy's next doubles from the PCG64 state at ``state``, four states
    side by side: each step's 128-bit multiply waits for the one before, so one state at a
    time is held up by the multiply's latency; four states a step apart, each moving four
    steps at a time (x -> m4 * x + c4 with m4 = m**4 and c4 = (m**3 + m**2 + m + 1) * inc,
    the same four steps taken at once), give the same numbers in the same order, about 40%
    faster."""
    n = len(out)
    at = _pointer_at(state)
    high, low = _get128(at)
    inc_high, inc_low = _get128(at + _INCREMENT)
    first = 0
    if n >= _FILL_SIDE_BY_SIDE:
        m2_high, m2_low = _affine(_M_HIGH, _M_LOW, _M_HIGH, _M_LOW, _ZERO, _ZERO)
        c2_high, c2_low = _affine(_M_HIGH, _M_LOW, inc_high, inc_low, inc_high, inc_low)
        m4_high, m4_low = _affine(m2_high, m2_low, m2_high, m2_low, _ZERO, _ZERO)
        c4_high, c4_low = _affine(m2_high, m2_low, c2_high, c2_low, c2_high, c2_low)
        a_high, a_low = _affine(high, low, _M_HIGH, _M_LOW, inc_high, inc_low)
        b_high, b_low = _affine(a_high, a_low, _M_HIGH, _M_LOW, inc_high, inc_low)
        c_high, c_low = _affine(b_high, b_low, _M_HIGH, _M_LOW, inc_high, inc_low)
        d_high, d_low = _affine(c_high, c_low, _M_HIGH, _M_LOW, inc_high, inc_low)
        blocks = n // 4
        for j in range(blocks):
            out[4 * j] = _unit(_output(a_high, a_low))
            out[4 * j + 1] = _unit(_output(b_high, b_low))
            out[4 * j + 2] = _unit(_output(c_high, c_low))
            out[4 * j + 3] = _unit(_output(d_high, d_low))
            if j + 1 < blocks:
                a_high, a_low = _affine(a_high, a_low, m4_high, m4_low, c4_high, c4_low)
                b_high, b_low = _affine(b_high, b_low, m4_high, m4_low, c4_high, c4_low)
                c_high, c_low = _affine(c_high, c_low, m4_high, m4_low, c4_high, c4_low)
                d_high, d_low = _affine(d_high, d_low, m4_high, m4_low, c4_high, c4_low)
        high, low = d_high, d_low
        first = 4 * blocks
    for i in range(first, n):
        high, low = _affine(high, low, _M_HIGH, _M_LOW, inc_high, inc_low)
        out[i] = _unit(_output(high, low))
    _put128(at, high, low)


def _field32(numba_type):
    """Intrinsics that load and store the 32-bit field at an address (has_uint32, uinteger)."""

    @intrinsic
    def load(typingctx, address):
        def codegen(context, builder, signature, args):
            return builder.load(builder.inttoptr(args[0], ir.IntType(32).as_pointer()))

        return numba_type(types.intp), codegen

    @intrinsic
    def store(typingctx, address, value):
        def codegen(context, builder, signature, args):
            builder.store(args[1], builder.inttoptr(args[0], ir.IntType(32).as_pointer()))
            return context.get_dummy_value()

        return types.void(types.intp, numba_type), codegen

    return load, store


_load_int32, _store_int32 = _field32(types.int32)
_load_uint32, _store_uint32 = _field32(types.uint32)


@njit(cache=True)
def _double(h):
    """The generator's next_double."""
    if h[_HOW] == _PCG64:
        return _unit(_pcg64_next64(h[_STATE]))
    return _next_double(h[_NEXT_DOUBLE], h[_STATE])


@njit(cache=True)
def _uint32(h):
    """The generator's next_uint32: the buffered high half of its last 64 bits when there is
    one, else the low half of 64 new bits (their high half buffered)."""
    if h[_HOW] == _PCG64:
        state = h[_STATE]
        if _load_int32(state + _HAS_UINT32) != 0:
            _store_int32(state + _HAS_UINT32, np.int32(0))
            return _load_uint32(state + _UINTEGER)
        bits = _pcg64_next64(state)
        _store_int32(state + _HAS_UINT32, np.int32(1))
        _store_uint32(state + _UINTEGER, np.uint32(bits >> np.uint64(32)))
        return np.uint32(bits & np.uint64(_UINT32_MAX))
    return _next_uint32(h[_NEXT_UINT32], h[_STATE])


@njit(cache=True)
def uniform(h):
    """One uniform on [0, 1): ``rng.random()``."""
    return _double(h)


@njit(cache=True)
def uniforms(h, n):
    """``n`` uniforms on [0, 1): ``rng.random(n)``."""
    out = np.empty(n)
    if h[_HOW] == _PCG64:
        _pcg64_fill(h[_STATE], out)
        return out
    for i in range(n):
        out[i] = _double(h)
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
        value = np.uint64(_uint32(h)) & mask
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
        prod *= _double(h)
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
    m = np.uint64(_uint32(h)) * excl
    leftover = np.uint32(m & np.uint64(_UINT32_MAX))
    if leftover < np.uint32(k):
        threshold = np.uint32((np.uint32(_UINT32_MAX) - most) % np.uint32(k))
        while leftover < threshold:
            m = np.uint64(_uint32(h)) * excl
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


# whether the kernels' PCG64 step gives numpy's own numbers (None: not checked yet)
_PCG64_OK: list = [None]


def _pcg64_checked() -> bool:
    """Whether kernels may take PCG64's step themselves (checked once a process)."""
    if _PCG64_OK[0] is None:
        _PCG64_OK[0] = _pcg64_matches(np.random.default_rng)
    return _PCG64_OK[0]


def _pcg64_matches(make_generator) -> bool:
    """Whether the kernels' PCG64 step, on a generator from ``make_generator(seed)``, gives
    what numpy's own draws give from a twin: doubles, 32-bit halves (an odd number, so that
    one is left buffered), doubles again, and the same state after."""
    ours, numpys = make_generator(20261129), make_generator(20261129)
    h = _stream_of(ours.bit_generator, _PCG64)
    return bool(np.array_equal(uniforms(h, 7), numpys.random(7))
                and np.array_equal(integers(h, 1000, 5), numpys.integers(0, 1000, 5))
                and np.array_equal(uniforms(h, 3), numpys.random(3))
                and ours.bit_generator.state == numpys.bit_generator.state)
