"""Validation against published results, inside the model's machinery (docs/VALIDATION.md).

Each test states the published result, the model's figure and the tolerance."""

from __future__ import annotations

import numpy as np
import pytest

from sim.validation import contact_trust_correlation, loneliness_gradient
from sim.validation.contact import PUBLISHED_SUBGROUP_BAND
from sim.validation.loneliness import FRAMINGHAM_SHARE, PUBLISHED_BAND
from sim.validation.reputation_game import play_reputation_game, threshold_q


@pytest.mark.parametrize("cost_benefit", [0.2, 0.4])
def test_reputation_helping_survives_only_when_q_exceeds_c_over_b(cost_benefit):
    """Nowak & Sigmund 1998: discriminators (help those in good standing, by the model's
    reputation rule) resist defectors only when q > c/b. Tolerance: 0.1 either side of
    c/b (the finite-population threshold at a 90% start is c/b + 0.01 to 0.03); two
    seeds each, both must agree."""
    below, above = cost_benefit - 0.1, cost_benefit + 0.1
    for seed in (0, 1):
        lost = play_reputation_game(below, cost_benefit=cost_benefit, seed=seed,
                                    residents=150, generations=60)
        held = play_reputation_game(above, cost_benefit=cost_benefit, seed=seed,
                                    residents=150, generations=60)
        assert lost.final_share < 0.2, (below, lost.final_share)
        assert held.final_share > 0.8, (above, held.final_share)
        assert held.help_rate[-1] > 0.7 and lost.help_rate[-1] < 0.2


def test_reputation_threshold_formula_matches_nowak_sigmund_at_fixation():
    assert threshold_q(0.3, 1.0) == pytest.approx(0.3)
    assert 0.3 < threshold_q(0.3, 0.9) < 0.33


def test_same_seed_same_game():
    a = play_reputation_game(0.3, seed=4, residents=100, generations=10)
    b = play_reputation_game(0.3, seed=4, residents=100, generations=10)
    np.testing.assert_array_equal(a.share_discriminators, b.share_discriminators)


def test_contact_with_other_sections_goes_with_out_group_trust():
    """Pettigrew & Tropp 2006: contact and prejudice correlate at r = -0.21 over 515 studies
    (subgroup means from about -0.15 to -0.30, PUBLISHED_SUBGROUP_BAND). The model's
    cross-section encounters over a year against out-group trust, with contact both building
    trust and chosen by those who trust (self-selection): r positive in every seed and pooled
    within the published band. The causal gain (contact_trust_gain) is not tuned to it."""
    res = contact_trust_correlation(seeds=(0, 1), residents=1000)
    assert all(r > 0 for r in res["r_per_seed"]), res["r_per_seed"]
    lo, hi = PUBLISHED_SUBGROUP_BAND
    assert lo <= res["r"] <= hi, res["r"]


def test_loneliness_spreads_three_steps_and_fades_as_published():
    """Cacioppo, Fowler & Christakis 2009, by their method (against the same network with
    loneliness shuffled), at Framingham's prevalence (FRAMINGHAM_SHARE lonely): +52% / +25% /
    +15% at one, two and three steps. The model (two seeds, 1,000 residents, pooled) lands
    in PUBLISHED_BAND (half to double the published figure) at two and three steps and falls
    with every step. At one step it overshoots the band (about 2.2 times the published +52%,
    docs/VALIDATION.md says why): held here as a documented miss, so that a change which
    brings it into the band, or makes it worse, is noticed."""
    g = loneliness_gradient(seeds=(0, 1), residents=1000, every=56, max_distance=3,
                            shuffles=30, top_share=FRAMINGHAM_SHARE)
    inc = g["increase"]
    for k in (2, 3):
        lo, hi = PUBLISHED_BAND[k]
        assert lo <= inc[k - 1] <= hi, (k, inc)
    assert inc[0] > inc[1] > inc[2] > 0, inc
    lo, hi = PUBLISHED_BAND[1]
    assert hi < inc[0] < 1.5 * hi, inc  # the documented overshoot at one step
