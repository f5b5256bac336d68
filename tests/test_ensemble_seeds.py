"""Replicate seeds: one root SeedSequence, stable per replicate, paired across scenarios."""

import numpy as np
import pytest

from sim.ensemble import make_plan, replicate_seeds
from sim.scenario.schema import RunSettings, Scenario


def test_seed_of_a_replicate_does_not_depend_on_how_many_are_asked_for():
    assert replicate_seeds(42, 10)[:4] == replicate_seeds(42, 4)


def test_seeds_are_the_spawned_children_of_the_root_sequence():
    # child i of SeedSequence(root).spawn(n) is SeedSequence(root, spawn_key=(i,))
    for i, seed in enumerate(replicate_seeds(2026, 5)):
        child = np.random.SeedSequence(2026, spawn_key=(i,))
        assert seed == int(child.generate_state(1, dtype=np.uint64)[0] >> np.uint64(1))


def test_seeds_are_distinct_non_negative_and_differ_between_roots():
    a, b = replicate_seeds(1, 200), replicate_seeds(2, 200)
    assert len(set(a)) == 200
    assert all(0 <= s < 2**63 for s in a)
    assert not set(a) & set(b)


def test_bad_counts_and_roots_are_refused():
    with pytest.raises(ValueError, match="replicates"):
        replicate_seeds(1, -1)
    with pytest.raises(ValueError, match="root seed"):
        replicate_seeds(-5, 3)


def test_plan_pairs_replicates_across_scenarios():
    base = Scenario("Base", run=RunSettings(days=5, replicates=3, seed=9))
    other = Scenario("Other", run=RunSettings(days=5, replicates=5, seed=9))
    plan = make_plan([base, other])
    s0, s1 = (e["seeds"] for e in plan["scenarios"])
    assert s1[:3] == s0 == replicate_seeds(9, 3)
    assert [e["replicates"] for e in make_plan([base, other], replicates=2)["scenarios"]] == [2, 2]


def test_plan_refuses_unpairable_scenarios():
    base = Scenario("Base", run=RunSettings(days=5, replicates=3, seed=9))
    with pytest.raises(ValueError, match="one root seed"):
        make_plan([base, Scenario("Other", run=RunSettings(days=5, replicates=3, seed=10))])
    with pytest.raises(ValueError, match="same days"):
        make_plan([base, Scenario("Other", run=RunSettings(days=6, replicates=3, seed=9))])
    with pytest.raises(ValueError, match="share the file name"):
        make_plan([base, Scenario("base", run=RunSettings(days=5, replicates=3, seed=9))])
