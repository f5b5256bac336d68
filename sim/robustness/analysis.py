"""Robustness of the ranking of interventions over plausible worlds.

1. Sample worlds: values of every uncertain parameter (sim/params/ ``uncertain=``) by
   Latin hypercube (``scipy.stats.qmc``) or, for full Sobol indices, Saltelli's scheme
   (``SALib.sample.sobol``).
2. Run every scenario in every world with the ensemble runner (sim/ensemble), so the work
   spreads over a local pool or a Dask cluster; every world and scenario uses the same
   replicate seeds (paired: common random numbers across scenarios and worlds).
3. Per world, the paired effect of each scenario against the baseline on each key metric
   (mean over replicates of the difference of last-quarter means); the share of worlds in
   which each intervention beats the baseline and each other intervention.
4. The recommendation in each world is the intervention with the best effect on the
   primary metric; it is *clearly* best only where its lead over every other option is
   beyond :data:`CLEAR_MARGIN` standard errors of that difference (the rule of 'clearly
   better than the baseline', for two options); elsewhere the world has no clear best.
   Its margin over the runner-up is the quantity whose sensitivity to each
   parameter is reported: first-order variance-based indices by RBD-FAST on the Latin
   hypercube (``SALib.analyze.rbd_fast``), or first-order and total Sobol indices
   (``SALib.analyze.sobol``) on a Saltelli design.
5. Scenario discovery: PRIM (sim/robustness/prim.py) finds the ranges of the parameters
   in which the usual recommendation flips (another option is clearly best), and
   :func:`region_weakness` says when that region is too weak to be a finding.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from sim.ensemble.seeds import DEFAULT_ROOT_SEED
from sim.metrics import REGISTRY
from sim.robustness import prim
from sim.robustness.worlds import Uncertainty, latin_hypercube, uncertainties, world_scenarios

STREAM_CHANCE = 8002  # the shuffles of rank_chance_level (the worlds' own: STREAM_WORLDS)

KEY_METRICS = ("unmet_need", "trust_generalised", "trust_out_group", "loneliness_share",
               "belonging_share", "burnout_per_1000")
PRIMARY_METRIC = "unmet_need"
# an effect is "clearly" better than the baseline in a world when it exceeds this many
# standard errors of its paired runs (one-sided, about 2% by chance where it is truly zero)
CLEAR_MARGIN = 2.0
NONE_BEATS = "doing nothing (the baseline)"  # the row of worlds where no intervention beats it
NO_CLEAR_BEST = "(no clear best)"
# a region of the assumptions where the recommendation changes is reported as weak (not a
# finding) with fewer worlds than this in all, fewer changed worlds than this inside it,
# or a change in less than this share of the worlds inside it
REGION_MIN_WORLDS = 20
REGION_MIN_CHANGES = 5
REGION_MIN_SHARE = 0.5
RUNS_FOLDER = "runs"  # the ensemble's folder (plan.json, runs/) in a robustness job's folder
MIN_WORLDS_FOR_RBD_FAST = 100  # fewer worlds: |Spearman rho| screen instead of RBD-FAST
RBD_FAST_HARMONICS = 6  # M, the interference factor (Tarantola et al. 2006 use 4-6)
# An assumption is called influential only where chance alone would put one of them there
# less often than this, if none of them mattered: the level is for all the assumptions at
# once (family-wise), since the page reads the top of a list of 31 or more (the model's and
# the job's programmes'), not one chosen before
CHANCE_ALPHA = 0.05
RANK_TOLERANCE = 1e-9  # two rank correlations closer than this are the same value
# the |rank correlation| chance level: the (1 - CHANCE_ALPHA) quantile of the largest of the
# assumptions' |rank correlations| when the margins are shuffled among the worlds this many
# times (Westfall & Young's max-T permutation test; it keeps the sample's own ranks and ties)
CHANCE_PERMUTATIONS = 2000
# an index whose 95% interval is this wide either side spans the whole 0-1 range an index
# lies in: it measures nothing, and says the design had too few worlds
INDEX_WIDEST = 0.5
# the sensitivity table's columns, in the words charts and pages use
SENSITIVITY_WORDS = {"ST": "total Sobol index", "S1": "first-order index (RBD-FAST)",
                     "abs_spearman": "|rank correlation|"}
# the column an assumption's standing out from chance is judged on, where it is not the one
# read (a Saltelli design's total index takes in the runs' noise: see sensitivity())
JUDGED_ON = {"ST": "S1"}


def directed_metrics() -> list[str]:
    """The metrics an option can do better or worse on (``higher_is_better`` True or False),
    in the registry's order: the only ones robustness judges, since every share it reports is
    of worlds where one option does better than another."""
    return [name for name, m in REGISTRY.items() if m.higher_is_better is not None]


def sensitivity_column(sens) -> str:
    """The column of a sensitivity table to read: the first of SENSITIVITY_WORDS it has."""
    return next((col for col in SENSITIVITY_WORDS if col in sens), "abs_spearman")


@dataclass
class RobustnessResult:
    scenarios: list[str]  # names; the first is the baseline
    uncertainties: list[Uncertainty]
    worlds: np.ndarray  # (worlds, parameters)
    metrics: list[str]
    primary: str
    outcomes: np.ndarray  # (worlds, scenarios, replicates, metrics): last-quarter means
    method: str = "lhs"
    runs_dir: Path | None = None
    # how the runs were made: files, days, residents, replicates, the runs' root seed, the
    # worlds' seed (run_robustness fills it; robustness.json keeps it)
    setup: dict = field(default_factory=dict)
    effects: np.ndarray = field(init=False)  # (worlds, scenarios, metrics), "better" > 0

    def __post_init__(self):
        sign = np.array([-1.0 if REGISTRY[m].higher_is_better is False else 1.0
                         for m in self.metrics])
        diff = self.outcomes - self.outcomes[:, :1]
        self.effects = np.nanmean(diff, axis=2) * sign  # positive = better than baseline

    @property
    def interventions(self) -> list[str]:
        return self.scenarios[1:]

    # -- shares of worlds --------------------------------------------------------------------
    def beats_baseline(self) -> pd.DataFrame:
        """Share of worlds in which each intervention's paired effect is in the better
        direction, per key metric (rows: interventions; columns: metrics)."""
        share = (self.effects[:, 1:, :] > 0).mean(axis=0)
        return pd.DataFrame(share, index=self.interventions, columns=self.metrics)

    def pairwise_noise(self) -> np.ndarray | None:
        """(scenarios, scenarios, metrics): the standard error of one world's difference
        between two options' effects (row minus column; the baseline is option 0), from
        the spread of those options' paired runs' differences within each world, pooled
        over the worlds (one world's own two or three runs say little about their spread;
        the pooled spread assumes it is much the same in every world). ``None`` with one
        replicate: no spread to measure."""
        reps = self.outcomes.shape[2]
        if reps < 2:
            return None
        o = self.outcomes
        diff = o[:, :, None] - o[:, None, :]  # (worlds, scenarios, scenarios, reps, metrics)
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            within = np.nanvar(diff, axis=3, ddof=1)  # (worlds, scenarios, scenarios, metrics)
            return np.sqrt(np.nanmean(within, axis=0) / reps)

    def paired_noise(self) -> np.ndarray | None:
        """(scenarios, metrics): the standard error of one world's effect against the
        baseline (:meth:`pairwise_noise`'s column for the baseline); ``None`` with one
        replicate."""
        se = self.pairwise_noise()
        return None if se is None else se[:, 0, :]

    def clearly_beats_baseline(self, worse: bool = False) -> pd.DataFrame | None:
        """Share of worlds in which each intervention's effect is better (``worse``: worse)
        than the baseline by more than :data:`CLEAR_MARGIN` times its paired noise
        (:meth:`paired_noise`); ``None`` with one replicate. Where the true effect is zero in
        every world, about 2% of worlds pass by chance."""
        se = self.paired_noise()
        if se is None:
            return None
        eff = self.effects[:, 1:, :]
        bar = CLEAR_MARGIN * se[1:, :]
        share = ((-eff if worse else eff) > bar).mean(axis=0)
        return pd.DataFrame(share, index=self.interventions, columns=self.metrics)

    def beats_each_other(self) -> pd.DataFrame:
        """Share of worlds in which intervention A does better than intervention B, per
        metric (tidy: a, b, metric, share), and (columns ``clearly_better`` and
        ``noise_se``; empty with one replicate) the share in which it does better by more
        than :data:`CLEAR_MARGIN` times the standard error of the two's difference
        (:meth:`pairwise_noise`), and that standard error in the metric's units. A's
        'clearly worse' share is the row (B, A)'s ``clearly_better``."""
        se = self.pairwise_noise()
        rows = []
        for i, a in enumerate(self.interventions, start=1):
            for j, b in enumerate(self.interventions, start=1):
                if i == j:
                    continue
                lead = self.effects[:, i, :] - self.effects[:, j, :]
                wins = (lead > 0).mean(axis=0)
                if se is None:
                    clear, noise = [np.nan] * len(self.metrics), [np.nan] * len(self.metrics)
                else:
                    clear = (lead > CLEAR_MARGIN * se[i, j]).mean(axis=0)
                    noise = se[i, j]
                rows += [{"a": a, "b": b, "metric": m, "share": float(w),
                          "clearly_better": float(c), "noise_se": float(e)}
                         for m, w, c, e in zip(self.metrics, wins, clear, noise, strict=True)]
        return pd.DataFrame(rows, columns=["a", "b", "metric", "share", "clearly_better",
                                           "noise_se"])

    # -- the recommendation ------------------------------------------------------------------
    def _primary_effects(self) -> np.ndarray:
        k = self.metrics.index(self.primary)
        eff = self.effects[:, :, k].copy()
        eff[:, 0] = 0.0
        return eff

    def recommendation(self) -> np.ndarray:
        """Index (into ``scenarios``) of the best scenario on the primary metric per world,
        at face value (any difference counts); 0 (the baseline) where no intervention beats
        it. See :meth:`clear_recommendation` for the best beyond the noise."""
        return np.argmax(self._primary_effects(), axis=1)

    def runner_up(self) -> np.ndarray:
        """Index of the second best scenario on the primary metric per world."""
        return np.argsort(-self._primary_effects(), axis=1, kind="stable")[:, 1]

    def clear_recommendation(self) -> np.ndarray | None:
        """Per world: the index of the best scenario on the primary metric where it is
        *clearly* best, else -1 (no clear best); ``None`` with one replicate. The rule
        (docs/ROBUSTNESS.md): the face-value best is clearly best when its lead over every
        other option (the runner-up, the baseline and the rest) is more than
        :data:`CLEAR_MARGIN` times the standard error of that difference
        (:meth:`pairwise_noise`), the rule that makes an effect 'clearly' better than the
        baseline."""
        se = self.pairwise_noise()
        if se is None:
            return None
        k = self.metrics.index(self.primary)
        eff = self._primary_effects()
        best = np.argmax(eff, axis=1)
        worlds = np.arange(len(eff))
        lead = eff[worlds, best][:, None] - eff  # (worlds, scenarios)
        bar = CLEAR_MARGIN * se[best, :, k]  # (worlds, scenarios)
        ahead = lead > bar
        ahead[worlds, best] = True
        return np.where(ahead.all(axis=1), best, -1)

    def usual(self) -> int:
        """The usual recommendation: the scenario clearly best in the most worlds (ties,
        and results where no world has a clear best or with one replicate: the one best
        at face value in the most worlds)."""
        n = len(self.scenarios)
        face = np.bincount(self.recommendation(), minlength=n)
        clear = self.clear_recommendation()
        if clear is None or (clear < 0).all():
            return int(face.argmax())
        counts = np.bincount(clear[clear >= 0], minlength=n)
        return int(np.lexsort((-face, -counts))[0])

    def margin(self) -> np.ndarray:
        """Per world: the usual recommendation's effect on the primary metric minus the best
        alternative's (the baseline counts as an alternative with effect 0). Negative where
        the recommendation flips."""
        eff = self._primary_effects()
        u = self.usual()
        others = np.delete(eff, u, axis=1)
        return eff[:, u] - others.max(axis=1)

    def recommendation_shares(self) -> pd.Series:
        """Share of worlds in which each scenario is best at face value."""
        rec = self.recommendation()
        return pd.Series(np.bincount(rec, minlength=len(self.scenarios)) / len(rec),
                         index=[NONE_BEATS] + self.interventions)

    def clear_recommendation_shares(self) -> pd.Series | None:
        """Share of worlds in which each scenario is clearly best
        (:meth:`clear_recommendation`), and last, :data:`NO_CLEAR_BEST`, the share in which
        none is; ``None`` with one replicate."""
        clear = self.clear_recommendation()
        if clear is None:
            return None
        counts = np.bincount(clear + 1, minlength=len(self.scenarios) + 1) / len(clear)
        return pd.Series(np.r_[counts[1:], counts[0]],
                         index=[NONE_BEATS, *self.interventions, NO_CLEAR_BEST])

    def changed(self) -> np.ndarray:
        """Per world, True where the recommendation changes from the usual one: another
        scenario is clearly best there (with one replicate: best at face value). A world
        with no clear best is not counted as a change."""
        clear = self.clear_recommendation()
        if clear is None:
            return self.recommendation() != self.usual()
        return (clear >= 0) & (clear != self.usual())

    # -- sensitivity and discovery -----------------------------------------------------------
    def problem(self) -> dict:
        return {"num_vars": len(self.uncertainties),
                "names": [u.path for u in self.uncertainties],
                "bounds": [[u.lo, u.hi] for u in self.uncertainties]}

    def sensitivity(self, seed: int = 0) -> pd.DataFrame:
        """Sensitivity of the recommendation's margin to each parameter (SALib): S1 (and ST
        for a Saltelli design) with their 95% intervals' half-widths, or with fewer than
        :data:`MIN_WORLDS_FOR_RBD_FAST` worlds on a Latin hypercube, ``abs_spearman`` and
        its ``chance_level`` (:func:`rank_chance_level`); ``beyond_chance`` marks what stands
        out from chance (:func:`read_sensitivity` says how). Sorted most influential first."""
        y = self.margin()
        prob = self.problem()
        if self.method == "sobol":
            from SALib.analyze import sobol

            with np.errstate(all="ignore"):
                si = sobol.analyze(prob, y, calc_second_order=False, seed=seed)
            frame = pd.DataFrame({"S1": si["S1"], "S1_conf": si["S1_conf"], "ST": si["ST"],
                                  "ST_conf": si["ST_conf"]}, index=prob["names"])
            # judged on the first-order index: the runs' own noise, which no assumption
            # explains, is part of every total index alike (noisy runs put each near 1)
            frame["beyond_chance"] = index_beyond_chance(frame, "S1")
            return frame.sort_values("ST", ascending=False, kind="stable")
        if len(y) >= MIN_WORLDS_FOR_RBD_FAST:
            from SALib.analyze import rbd_fast

            with np.errstate(all="ignore"):
                si = rbd_fast.analyze(prob, self.worlds, y, M=RBD_FAST_HARMONICS, seed=seed,
                                      num_resamples=100)
            frame = pd.DataFrame({"S1": si["S1"], "S1_conf": si["S1_conf"]},
                                 index=prob["names"])
            frame["beyond_chance"] = index_beyond_chance(frame, "S1")
            return frame.sort_values("S1", ascending=False, kind="stable")
        # too few worlds for a variance decomposition: rank correlation as a screen
        from scipy.stats import spearmanr

        rho = [spearmanr(self.worlds[:, j], y).statistic if np.ptp(y) > 0 else np.nan
               for j in range(self.worlds.shape[1])]
        level = rank_chance_level(self.worlds, y, seed=seed)
        frame = pd.DataFrame({"abs_spearman": np.abs(rho), "chance_level": level},
                             index=prob["names"])
        # above the level, not equal to it: with few worlds a rank correlation takes a few
        # exact values (13/14 with 8), and the level is one of them, a rounding apart (a user
        # check: 0.9285714285714287 against 0.9285714285714285 read "beyond chance")
        frame["beyond_chance"] = ((frame.abs_spearman > level + RANK_TOLERANCE)
                                  & (len(y) >= min_worlds_to_rank(len(rho))))
        return frame.sort_values("abs_spearman", ascending=False, kind="stable")

    def flips(self, *, alpha: float = 0.1, min_support: float = 0.1, max_dims: int = 3,
              sensitivity: pd.DataFrame | None = None) -> dict:
        """Where the usual recommendation flips: a PRIM box over the ``max_dims``
        parameters the recommendation is most sensitive to, or ``None`` when it never (or
        always) flips. Peeling only the most influential parameters keeps PRIM from
        picking up chance cuts in the others when worlds are few, and gives a box a
        reader can hold in mind (Bryant & Lempert 2010 favour boxes of two or three
        restrictions for the same reason).

        A change is a world where another option is clearly best (:meth:`changed`).
        ``weak`` lists why the box is not a finding (:func:`region_weakness`): an empty
        list when it is one."""
        flipped = self.changed().astype(float)
        out = {"share_flipped": float(flipped.mean()), "box": None, "conditions": [],
               "weak": []}
        if flipped.sum() == 0 or flipped.sum() == len(flipped):
            return out
        sens = sensitivity if sensitivity is not None else self.sensitivity()
        paths = [u.path for u in self.uncertainties]
        dims = [paths.index(p) for p in sens.index[:max_dims]]
        x = self.worlds[:, dims]
        box = prim.choose_box(prim.peel(x, flipped, alpha=alpha, min_support=min_support))
        box = prim.prune(box, x, flipped)
        out["box"] = box
        out["n_worlds_in_box"] = int(round(box.support * len(flipped)))
        out["n_changed_in_box"] = int(round(box.density * out["n_worlds_in_box"]))
        out["weak"] = region_weakness(len(flipped), out["n_worlds_in_box"],
                                      out["n_changed_in_box"])
        # a box bounded only by assumptions none of which stands out from chance in the
        # sensitivity screen is chance's cut too (a user check: a region was searched and
        # given as a finding when the screen had found nothing)
        if "beyond_chance" in sens and box.restricted and not sens["beyond_chance"].iloc[
                [int(j) for j in box.restricted]].fillna(False).astype(bool).any():
            out["weak"].append("chance_limits")
        for j in box.restricted:
            u = self.uncertainties[dims[j]]
            out["conditions"].append({"parameter": u.path, "lower": float(box.lower[j]),
                                      "upper": float(box.upper[j]), "range": (u.lo, u.hi)})
        return out


def min_worlds_to_rank(n_params: int) -> int:
    """The fewest worlds in which one assumption's rank correlation with the margin could
    stand out from chance at all among ``n_params``: a perfect order of n worlds (|rho| = 1)
    arises by chance with probability 2 / n! for each assumption, so with fewer worlds than
    this it arises for one of them more often than :data:`CHANCE_ALPHA` (7 for 31)."""
    n = 2
    while n_params * 2 / math.factorial(n) >= CHANCE_ALPHA:
        n += 1
    return n


def rank_chance_level(x: np.ndarray, y: np.ndarray, seed: int = 0,
                      permutations: int = CHANCE_PERMUTATIONS) -> float:
    """The |rank correlation| that, if no assumption (column of ``x``) had anything to do
    with ``y``, the largest of them would exceed with probability :data:`CHANCE_ALPHA`: from
    ``permutations`` shuffles of ``y`` among the worlds (max-T permutation level; NaN when
    ``y`` does not vary or there are fewer than two worlds)."""
    from scipy.stats import rankdata

    n = len(y)
    if n < 2 or np.ptp(y) == 0:
        return float("nan")

    def standard(r):
        r = r - r.mean(axis=0)
        return r / np.sqrt((r ** 2).sum(axis=0))

    zx = standard(rankdata(x, axis=0))
    zy = standard(rankdata(y))
    rng = np.random.default_rng(np.random.SeedSequence([seed, STREAM_CHANCE]))
    shuffled = np.array([zy[rng.permutation(n)] for _ in range(permutations)])
    with np.errstate(all="ignore"):
        largest = np.nanmax(np.abs(shuffled @ zx), axis=1)
    return float(np.quantile(largest, 1 - CHANCE_ALPHA))


def index_bar(n_params: int) -> float:
    """How many standard errors above zero an index must be to stand out from chance among
    ``n_params`` assumptions (one-sided, Bonferroni: 2.95 for 31)."""
    from scipy.stats import norm

    return float(norm.isf(CHANCE_ALPHA / max(1, n_params)))


def index_beyond_chance(frame: pd.DataFrame, col: str) -> pd.Series:
    """Per assumption: its index ``col`` is more than :func:`index_bar` standard errors above
    zero (SALib's ``<col>_conf`` is 1.96 of them), and every index of the table is measured
    at all (:func:`index_problems`)."""
    from scipy.stats import norm

    se = frame[f"{col}_conf"] / norm.isf(0.025)
    ok = not index_problems(frame)
    return (frame[col] > index_bar(len(frame)) * se) & ok


def index_problems(frame: pd.DataFrame) -> dict:
    """Why the indices of a table are not measurements (empty when they are): ``outside``,
    the index farthest outside 0 to 1 (above 1 by more than its own interval, or below
    -:data:`INDEX_WIDEST`: a share of variance can be neither; a small negative value is
    the estimate's noise about zero, read as zero), and ``widest``, an interval half-width
    of :data:`INDEX_WIDEST` or more (spanning the whole 0-1 range)."""
    out = {}
    for col in ("S1", "ST"):
        if col not in frame or f"{col}_conf" not in frame:
            continue
        v, conf = frame[col].to_numpy(float), frame[f"{col}_conf"].to_numpy(float)
        beyond = np.maximum(v - conf - 1, -v - INDEX_WIDEST)  # > 0: outside
        if np.nanmax(beyond, initial=-np.inf) > 0:
            far = v[np.nanargmax(beyond)]
            if abs(far - 0.5) > abs(out.get("outside", 0.5) - 0.5):
                out["outside"] = float(far)
        if np.nanmax(conf, initial=0) >= INDEX_WIDEST:
            out["widest"] = max(out.get("widest", 0.0), float(np.nanmax(conf)))
    if not np.isfinite(frame[[c for c in ("S1", "ST") if c in frame]].to_numpy(float)).any():
        out["empty"] = True
    return out


@dataclass(frozen=True)
class SensitivityReading:
    """What a sensitivity table can be said to show, for the words and the chart.

    ``status``: ``too_few_worlds`` (fewer than ``min_worlds``: no ranking at all),
    ``not_measured`` (indices outside 0-1 or intervals spanning it: ``problems``),
    ``none_beyond_chance`` or ``beyond_chance`` (``influential``: the assumptions that
    stand out from chance, most first)."""

    status: str
    column: str
    n_worlds: int
    n_params: int
    min_worlds: int
    influential: list = field(default_factory=list)
    chance_level: float | None = None  # the |rank correlation| level (abs_spearman)
    bar: float | None = None  # the standard errors an index must clear (indices)
    problems: dict = field(default_factory=dict)

    @property
    def ranked(self) -> bool:
        """Whether any assumption is said to matter."""
        return self.status == "beyond_chance"


def read_sensitivity(sens: pd.DataFrame, n_worlds: int) -> SensitivityReading:
    """What ``sens`` (:meth:`RobustnessResult.sensitivity`) shows with ``n_worlds`` worlds:
    see :class:`SensitivityReading`. Rank correlations: nothing below
    :func:`min_worlds_to_rank` worlds, and an assumption stands out only above the
    ``chance_level``. Indices: nothing when :func:`index_problems` finds any, and an
    assumption stands out only where its index clears :func:`index_bar` standard errors."""
    col = sensitivity_column(sens)
    d = len(sens)
    least = min_worlds_to_rank(d)
    beyond = sens["beyond_chance"].fillna(False).astype(bool) if "beyond_chance" in sens \
        else pd.Series(False, index=sens.index)
    influential = [p for p in sens.index if beyond[p]]
    if col == "abs_spearman":
        level = float(sens["chance_level"].iloc[0]) if "chance_level" in sens and d else None
        if n_worlds < least or not np.isfinite(sens[col].to_numpy(float)).any():
            return SensitivityReading("too_few_worlds", col, n_worlds, d, least,
                                      chance_level=level)
        return SensitivityReading("beyond_chance" if influential else "none_beyond_chance",
                                  col, n_worlds, d, least, influential, chance_level=level)
    problems = index_problems(sens)
    if problems:
        return SensitivityReading("not_measured", col, n_worlds, d, least,
                                  bar=index_bar(d), problems=problems)
    return SensitivityReading("beyond_chance" if influential else "none_beyond_chance", col,
                              n_worlds, d, least, influential, bar=index_bar(d))


def region_weakness(n_worlds: int, in_box: int, changed_in_box: int) -> list[str]:
    """Why a region where the recommendation changes is too weak to report as a finding
    (empty when it is not): ``few_worlds`` (fewer than :data:`REGION_MIN_WORLDS` worlds in
    all), ``few_changes`` (fewer than :data:`REGION_MIN_CHANGES` changed worlds inside it),
    ``mostly_holds`` (it changes in less than :data:`REGION_MIN_SHARE` of the worlds inside:
    the region is mostly worlds where the recommendation holds)."""
    weak = []
    if n_worlds < REGION_MIN_WORLDS:
        weak.append("few_worlds")
    if changed_in_box < REGION_MIN_CHANGES:
        weak.append("few_changes")
    if in_box == 0 or changed_in_box / in_box < REGION_MIN_SHARE:
        weak.append("mostly_holds")
    return weak


def sample_worlds(n: int, seed: int, method: str = "lhs",
                  unc: list[Uncertainty] | None = None) -> np.ndarray:
    """``n`` worlds by Latin hypercube, or a Saltelli design of ``n * (D + 2)`` worlds
    (``n`` a power of two) for Sobol indices."""
    unc = unc or uncertainties()
    if method == "lhs":
        return latin_hypercube(unc, n, seed)
    if method == "sobol":
        from SALib.sample import sobol as sobol_sample

        prob = {"num_vars": len(unc), "names": [u.path for u in unc],
                "bounds": [[u.lo, u.hi] for u in unc]}
        return sobol_sample.sample(prob, n, calc_second_order=False, seed=seed)
    raise ValueError(f"unknown sampling method {method!r}; allowed: 'lhs', 'sobol'")


class RunsMissing(RuntimeError):
    """Some of a robustness job's runs failed or did not finish: ``missing`` of ``planned``
    (their errors are in ``runs_dir``'s ``*.error.json``); the rest are kept for a resume."""

    def __init__(self, missing: int, planned: int, runs_dir: Path):
        super().__init__(f"{missing:,} of {planned:,} runs failed or did not finish (their "
                         f"errors: the *.error.json files under {runs_dir})")
        self.missing = missing
        self.planned = planned
        self.runs_dir = runs_dir


def world_runs(scenarios, n_worlds: int, method: str, seed: int):
    """``(uncertainties, worlds, scenarios in every world)``: the worlds sampled with
    ``seed`` and each scenario re-parameterised for each world, world by world (the
    ensemble's plan, the same for the same inputs: what a resume checks). The worlds sample
    the model's uncertain parameters and those of the intervention types in ``scenarios``
    (:func:`sim.robustness.worlds.uncertainties`)."""
    unc = uncertainties(scenarios)
    worlds = sample_worlds(n_worlds, seed, method, unc)
    everything = []
    for w, row in enumerate(worlds):
        values = {u.path: (round(v) if u.integer else float(v))
                  for u, v in zip(unc, row, strict=True)}
        everything += world_scenarios(scenarios, values, w)
    return unc, worlds, everything


def run_robustness(scenarios, out_dir: str | Path, *, n_worlds: int = 32,
                   replicates: int = 3, method: str = "lhs", metrics=KEY_METRICS,
                   primary: str = PRIMARY_METRIC, seed: int = DEFAULT_ROOT_SEED,
                   residents: int | None = None, days: int | None = None,
                   executor=None, workers: int | None = None, scheduler: str | None = None,
                   resume: bool = False, on_progress=None) -> RobustnessResult:
    """Run every scenario (the first is the baseline) in each sampled world with paired
    seeds through the ensemble runner, writing the runs under ``out_dir/runs``.
    ``resume=True`` continues an earlier call's folder with the same inputs (the ensemble
    refuses another plan: sim.ensemble.PlanMismatchError), running only what is missing;
    the same inputs give the same results. Interrupted, it raises the ensemble's
    ``RunsInterrupted`` (how many runs are kept); with runs missing, :class:`RunsMissing`."""
    from sim.ensemble import run_ensemble

    scenarios = [s.with_overrides(residents=residents, days=days) for s in scenarios]
    if len(scenarios) < 2:
        raise ValueError("robustness needs a baseline and at least one other scenario")
    unknown = [m for m in (*metrics, primary) if m not in directed_metrics()]
    if unknown:
        raise ValueError(f"unknown metrics, or metrics with no better direction: {unknown}; "
                         f"allowed: {', '.join(directed_metrics())}")
    metrics = list(dict.fromkeys([primary, *metrics]))
    unc, worlds, everything = world_runs(scenarios, n_worlds, method, seed)
    runs_dir = Path(out_dir) / RUNS_FOLDER
    result = run_ensemble(everything, runs_dir, replicates=replicates, executor=executor,
                          workers=workers, scheduler=scheduler, resume=resume,
                          on_progress=on_progress)
    if not result.ok:
        raise RunsMissing(len(result.missing), len(everything) * replicates, runs_dir)
    outcomes = read_outcomes(runs_dir, len(worlds), len(scenarios), replicates, metrics)
    first = scenarios[0]
    from sim.report.community import sizes_set_aside
    from sim.report.decision import losses

    setup = {"files": [s.path or s.name for s in scenarios], "days": first.run.days,
             "residents": first.model.population.n_residents, "replicates": replicates,
             "run_seed": first.run.seed, "world_seed": seed, "worlds": len(worlds),
             # closures, never an option to fund (the words say so beside their names)
             "losses": sorted(losses(scenarios[1:])),
             # options whose files give another size, run at --residents (as compare's)
             "sizes_set_aside": {name: {"file": own, "baseline_file": base} for name,
                                 (own, base) in sizes_set_aside(scenarios).items()}}
    return RobustnessResult([s.name for s in scenarios], unc, worlds, metrics, primary,
                            outcomes, method=method, runs_dir=runs_dir, setup=setup)


def read_outcomes(runs_dir: str | Path, n_worlds: int, n_scenarios: int, replicates: int,
                  metrics) -> np.ndarray:
    """(worlds, scenarios, replicates, metrics): each run's mean over its last quarter of
    days, read one run file at a time. Scenario names are ``w<world>:<name>`` in plan
    order (world-major), as :func:`run_robustness` writes them."""
    from sim.ensemble import iter_run_tables
    from sim.ensemble.store import read_plan

    metrics = list(metrics)
    names = [e["name"] for e in read_plan(Path(runs_dir))["scenarios"]]
    index = {name: divmod(k, n_scenarios) for k, name in enumerate(names)}
    outcomes = np.full((n_worlds, n_scenarios, replicates, len(metrics)), np.nan)
    for name, rep, frame in iter_run_tables(runs_dir, metrics=metrics):
        w, i = index[name]
        tail = frame.iloc[-max(1, (len(frame) - 1) // 4):]
        outcomes[w, i, rep] = tail[metrics].mean().to_numpy()
    return outcomes

