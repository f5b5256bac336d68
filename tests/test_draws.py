"""Draws inside compiled kernels (sim/draws.py) are the numbers numpy's generator itself
gives, in one stream shared with numpy's own draws."""

from __future__ import annotations

import numpy as np
import pytest
from numba import njit

from sim import draws


@njit(cache=True)
def _uniform_and_more(h, n):
    first = draws.uniform(h)
    rest = draws.uniforms(h, n)
    return first, rest


def _through_numpys_functions(h: np.ndarray) -> np.ndarray:
    """The same stream, drawn through numpy's functions (as other bit generators' are)."""
    h = h.copy()
    h[draws._HOW] = draws._BY_CALL
    return h


@pytest.mark.parametrize("how", ["PCG64's step in the kernel", "numpy's functions"])
@pytest.mark.parametrize("seed", range(12))
def test_kernel_draws_are_numpys_mixed_in_any_order(seed, how):
    """Uniforms, permutations and shuffles drawn in kernels interleaved with numpy's own
    draws from the same generator (integers and permutations use numpy's buffered 32-bit
    halves, which both sides share) give what numpy alone gives, and leave the generator
    where numpy would: its state afterwards is the same. Both ways a kernel draws: numpy's
    PCG64 step taken in the kernel's own code (a default generator's stream; fills of 16 and
    more four states side by side, whole blocks of four or not) and a call of numpy's
    functions."""
    ours, numpys = np.random.default_rng(seed), np.random.default_rng(seed)
    h = draws.stream(ours)
    assert h[draws._HOW] == draws._PCG64
    if how == "numpy's functions":
        h = _through_numpys_functions(h)
    pick = np.random.default_rng(1000 + seed)
    for _ in range(60):
        n = int(pick.choice([0, 1, 2, 3, 7, 15, 16, 17, 18, 19, 64, 129, 1000]))
        kind = int(pick.integers(0, 6))
        if kind == 0:
            assert np.array_equal(draws.uniforms(h, n), numpys.random(n))
        elif kind == 1:
            assert np.array_equal(draws.permutation(h, n), numpys.permutation(n))
        elif kind == 2:
            values = pick.integers(-5, 5, n)
            mine, theirs = values.copy(), values.copy()
            draws.shuffle(h, mine)
            numpys.shuffle(theirs)
            assert np.array_equal(mine, theirs)
        elif kind == 3:  # an odd number of 32-bit halves, then numpy's own draws
            assert ours.integers(0, 1000, n).tolist() == numpys.integers(0, 1000, n).tolist()
            assert np.array_equal(ours.permutation(n), numpys.permutation(n))
        elif kind == 4:
            first, rest = _uniform_and_more(h, n)
            assert first == numpys.random()
            assert np.array_equal(rest, numpys.random(n))
        else:
            assert np.array_equal(ours.random(n), numpys.random(n))
    assert ours.bit_generator.state == numpys.bit_generator.state


def test_a_stream_is_the_generators_own_while_it_is_kept():
    """Two generators have streams of their own; a generator's stream is looked up, not made
    again; the generators whose streams are kept are held, so that none of their ids can pass
    to a new generator (whose stream would then be another's state), and at most
    STREAMS_KEPT are kept."""
    a, b = np.random.default_rng(1), np.random.default_rng(2)
    assert draws.stream(a) is draws.stream(a)
    assert draws.stream(a)[0] != draws.stream(b)[0]
    assert draws.uniforms(draws.stream(b), 3).tolist() == np.random.default_rng(2).random(
        3).tolist()
    for seed in range(2 * draws.STREAMS_KEPT):  # each dropped as soon as the next is made
        rng = np.random.default_rng(seed)
        assert draws.uniforms(draws.stream(rng), 2).tolist() == np.random.default_rng(
            seed).random(2).tolist()
    assert len(draws._STREAMS) <= draws.STREAMS_KEPT
    assert all(id(bits) == key for key, (bits, _) in draws._STREAMS.items())


@pytest.mark.parametrize("bits", [np.random.MT19937, np.random.Philox, np.random.SFC64,
                                  np.random.PCG64DXSM])
def test_other_bit_generators_draw_through_numpys_functions(bits):
    """A generator on another bit generator gets a stream that calls numpy's functions, and
    its kernel draws are numpy's (doubles, 32-bit halves, doubles again, the state after)."""
    ours, numpys = np.random.Generator(bits(5)), np.random.Generator(bits(5))
    h = draws.stream(ours)
    assert h[draws._HOW] == draws._BY_CALL
    assert np.array_equal(draws.uniforms(h, 50), numpys.random(50))
    assert np.array_equal(draws.integers(h, 1000, 33), numpys.integers(0, 1000, 33))
    assert np.array_equal(draws.uniforms(h, 5), numpys.random(5))
    np.testing.assert_equal(ours.bit_generator.state, numpys.bit_generator.state)


def test_the_kernels_pcg64_step_is_checked_against_numpys():
    """The check that lets kernels take PCG64's step themselves passes for numpy's PCG64 and
    fails where the state behind the address moves otherwise (PCG64DXSM keeps the same
    layout with another step and output): such a numpy would draw through its functions."""
    assert draws._pcg64_matches(np.random.default_rng)
    assert not draws._pcg64_matches(lambda seed: np.random.Generator(np.random.PCG64DXSM(seed)))


def test_a_failed_check_leaves_pcg64_streams_drawing_through_numpys_functions(monkeypatch):
    monkeypatch.setattr(draws, "_PCG64_OK", [False])
    monkeypatch.setattr(draws, "_STREAMS", {})
    monkeypatch.setattr(draws, "_LAST", [(None, None)])
    ours, numpys = np.random.default_rng(9), np.random.default_rng(9)
    h = draws.stream(ours)
    assert h[draws._HOW] == draws._BY_CALL
    assert np.array_equal(draws.uniforms(h, 20), numpys.random(20))


@pytest.mark.parametrize("seed", range(8))
def test_kernel_integers_and_poissons_are_numpys(seed):
    """Bounded integers (numpy's Lemire draws, small and large ranges, k = 1 drawing nothing)
    and Poisson counts (numpy's multiplication method, means 0 to just under 10) drawn in
    kernels, interleaved with numpy's own draws, are numpy's numbers, and leave the generator
    where numpy would."""
    ours, numpys = np.random.default_rng(seed), np.random.default_rng(seed)
    h = draws.stream(ours)
    pick = np.random.default_rng(2000 + seed)
    for _ in range(80):
        n = int(pick.choice([0, 1, 2, 5, 33, 400]))
        kind = int(pick.integers(0, 4))
        if kind == 0:
            k = int(pick.choice([1, 2, 3, 4, 7, 1000, 2**31 + 11, 2**32 - 1]))
            assert draws.integers(h, k, n).tolist() == numpys.integers(0, k, n).tolist()
        elif kind == 1:
            lam = float(pick.choice([0.0, 1e-3, 3.0 / 7.0, 5.0 / 7.0, 2.5, 9.999]))
            got = draws.poissons(h, lam, draws.poisson_enlam(lam), n)
            assert got.tolist() == numpys.poisson(lam, n).tolist()
        elif kind == 2:  # an odd number of 32-bit halves left in the buffer
            assert ours.integers(0, 10, n).tolist() == numpys.integers(0, 10, n).tolist()
        else:
            assert np.array_equal(draws.uniforms(h, n), numpys.random(n))
    assert ours.bit_generator.state == numpys.bit_generator.state


def test_poisson_means_from_ten_up_are_left_to_numpy():
    """numpy draws means of 10 and more by another method (PTRS), which kernels do not: the
    helper refuses them rather than draw other numbers."""
    with pytest.raises(ValueError, match="outside"):
        draws.poisson_enlam(10.0)
    with pytest.raises(ValueError, match="outside"):
        draws.poisson_enlam(-1.0)
