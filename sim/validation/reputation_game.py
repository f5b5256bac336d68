"""Nowak & Sigmund (1998): helping by reputation survives only when the chance q of knowing
a recipient's reputation exceeds the cost-benefit ratio c/b.

Reproduced inside the model's machinery: residents of a small community play the donor game
(each round every resident is a donor once, to a random other resident); the reputations
are updated by the model's own rule, :func:`sim.rules.reputation.update_reputation` (image
scoring with standing: helping, if seen with chance q, earns a good image; refusing someone
in good standing, if seen, earns a bad one; refusing someone in bad standing costs nothing).
As in Nowak & Sigmund's analysis, an image reflects the last observed act (one-act memory,
step 1): a resident whose last act went unseen is unknown and treated as in good standing.

Two strategies: *discriminators* help a recipient whose image is in good standing (at
least ``GOOD_STANDING``) and refuse otherwise; *defectors* never help. After each
generation of ``rounds`` rounds, each resident compares payoffs with a random other and
imitates a better-off one with probability proportional to the payoff difference
(proportional imitation, Schlag 1998: the replicator dynamics in expectation).

Expected result (Nowak & Sigmund 1998, their simplified analysis): with discriminators
near fixation, they resist defectors only if q > c/b; starting from a share x of
discriminators the threshold is q* = c / (b x + c (1 - x)) ... solved exactly by
:func:`threshold_q`.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from types import SimpleNamespace

import numpy as np

from sim.day import Day, Offers
from sim.model import KindlinessModel
from sim.params import ModelParams, RuleParams
from sim.rules.reputation import ReputationParams, update_reputation

# the model's own standing threshold (sim.params: good_standing)
GOOD_STANDING = RuleParams().good_standing

STREAM_REPUTATION_GAME = 7001
UNKNOWN_IMAGE = 0.5  # the model's starting reputation: unknown, in good standing


@dataclass(frozen=True)
class GameResult:
    q: float
    cost_benefit: float
    share_discriminators: np.ndarray  # per generation (after selection), starting share first
    help_rate: np.ndarray  # per generation: share of donor decisions that were helps

    @property
    def final_share(self) -> float:
        return float(self.share_discriminators[-1])


def threshold_q(cost_benefit: float, share: float) -> float:
    """The q above which discriminators out-earn defectors at discriminator share ``share``
    (from b x q = c (x + (1 - x)(1 - q)), the simplified Nowak & Sigmund payoffs)."""
    x = share
    return cost_benefit / (x + cost_benefit * (1 - x))


def _reputation_round(images: np.ndarray, donors: np.ndarray, recipients: np.ndarray,
                      helps: np.ndarray, q: float, rng) -> np.ndarray:
    """New images after one round, by the model's reputation rule with a one-act memory.

    The rule judges a refusal by the recipient's standing now and moves the donor's own
    image; to give every donor a fresh image (their last act, if seen, else unknown), the
    rule runs on a stacked array: recipients' current images, then donors' fresh ones."""
    n = len(images)
    stacked = SimpleNamespace(n=2 * n, reputation=np.concatenate(
        [images, np.full(n, UNKNOWN_IMAGE, dtype=images.dtype)]))
    day = Day(day=1, weekday=0, active=np.ones(2 * n, bool), contact=np.zeros(2 * n, bool))
    day.acts_helper = donors[helps] + n
    day.acts_recipient = recipients[helps]
    refused = ~helps
    day.refusals = Offers(donors[refused] + n, recipients[refused],
                          np.full(int(refused.sum()), -1), np.ones(int(refused.sum()), bool))
    # the game's one-act memory: a full step, no fading between rounds
    k = ReputationParams(q_known=q, step=1.0, good_standing=GOOD_STANDING, relaxation=0.0,
                         start=UNKNOWN_IMAGE)
    update_reputation(stacked, k, day, rng)
    return stacked.reputation[n:]


def play_reputation_game(q: float, *, cost_benefit: float = 0.3, residents: int = 200,
                         start_share: float = 0.9, rounds: int = 10, generations: int = 80,
                         seed: int = 0) -> GameResult:
    """Evolve discriminators against defectors among the residents of a small baseline
    community, with reputation known (each act seen) with chance ``q``; benefit 1, cost
    ``cost_benefit``."""
    params = ModelParams()
    params = dataclasses.replace(params, population=dataclasses.replace(
        params.population, n_residents=residents))
    model = KindlinessModel(params, seed=seed)
    rng = model.stream(STREAM_REPUTATION_GAME)
    n = model.pop.n
    b, c = 1.0, cost_benefit
    disc = rng.random(n) < start_share
    images = model.pop.reputation.copy()  # everyone starts unknown (0.5)
    donors = np.arange(n)
    shares, help_rates = [float(disc.mean())], []

    def play_round(payoff=None):
        nonlocal images
        recipients = (donors + rng.integers(1, n, n)) % n
        helps = disc & (images[recipients] >= GOOD_STANDING)
        if payoff is not None:
            payoff -= c * helps
            np.add.at(payoff, recipients[helps], b)
        images = _reputation_round(images, donors, recipients, helps, q, rng)
        return helps.mean()

    play_round()  # a warm-up round so that images carry information from the start
    for _ in range(generations):
        payoff = np.zeros(n)
        rate = np.mean([play_round(payoff) for _ in range(rounds)])
        other = (donors + rng.integers(1, n, n)) % n
        spread = payoff.max() - payoff.min()
        gain = np.clip((payoff[other] - payoff) / spread, 0, 1) if spread > 0 else np.zeros(n)
        copy = rng.random(n) < gain
        disc = np.where(copy, disc[other], disc)
        shares.append(float(disc.mean()))
        help_rates.append(float(rate))
    return GameResult(q, c, np.array(shares), np.array(help_rates))


def sweep_q(qs, *, cost_benefit: float = 0.3, seeds=(0, 1, 2), **kw) -> dict:
    """Final discriminator share and help rate for each q, averaged over paired seeds."""
    finals = np.array([[play_reputation_game(q, cost_benefit=cost_benefit, seed=s, **kw)
                        .final_share for s in seeds] for q in qs])
    return {"q": np.asarray(qs, float), "final_share": finals.mean(axis=1),
            "per_seed": finals, "cost_benefit": cost_benefit}
