"""Fit the baseline's calibrated parameters to survey targets.

Method (documented in docs/CALIBRATION.md):

1. **Screen**: a scrambled Latin hypercube (``scipy.stats.qmc.LatinHypercube``) over the
   free parameters' ranges, each point run on the first calibration seed.
2. **Refine**: bounded nonlinear least squares (``scipy.optimize.least_squares``, trust
   region reflective, in the unit cube) from the best screened point, on the residuals
   ``sqrt(weight) * (simulated - target) / tolerance``, each evaluation averaged over all
   calibration seeds. The seeds are the same for every evaluation (common random numbers),
   so the finite-difference slopes measure parameters, not luck. Each target is governed
   mostly by one or two parameters, which is the structure least squares exploits.
3. **Check**: the fitted parameters run on fresh seeds, never used in fitting, at each of
   the check sizes (1,000 and 10,000 residents by default); each target's simulated mean
   with a 95% interval over seeds, and whether it lies within tolerance.

The objective is ``sum(weight * ((simulated - target) / tolerance) ** 2)`` over the targets
marked ``fit``; each simulated figure is a survey-style share averaged over days 365-730.
"""

from __future__ import annotations

import dataclasses
from concurrent.futures import Executor
from dataclasses import dataclass, field

import numpy as np
from scipy import optimize, stats
from scipy.stats import qmc

from sim.calibration.survey import WINDOW_DAYS, simulate
from sim.calibration.targets import Target, load_targets
from sim.ensemble.executors import local_executor
from sim.ensemble.seeds import DEFAULT_ROOT_SEED
from sim.params import ModelParams

STREAM_CALIBRATION = 6001  # SeedSequence word for the calibration seeds
STREAM_CHECK = 6002  # ... and for the fresh seeds of the final check


@dataclass(frozen=True)
class FreeParameter:
    """A parameter the calibration moves, its search range and where the range comes from.

    ``path`` is ``rules.<field>``, ``network.<field>``, ``population.<field>`` or
    ``sections.<field>`` (the same value for every section, keeping the sections'
    differences in other fields)."""

    path: str
    lo: float
    hi: float
    why: str


# Every parameter marked calibrated=True in sim/params/, with its search range.
FREE_PARAMETERS = (
    FreeParameter("rules.p_need", 0.003, 0.025,
                  "short needs from about one a year to nine a year per resident"),
    FreeParameter("rules.chats_per_day", 0.02, 0.6,
                  "a resident of average sociability starts a chat every 2 to 50 days"),
    FreeParameter("rules.attachment_baseline", 0.35, 0.7, "assumption: around the 0.5 "
                  "threshold that answers the belonging question"),
    FreeParameter("rules.strain_per_act", 0.05, 0.6,
                  "from twenty acts to two acts of help to bring strain halfway to full"),
    FreeParameter("population.outside_contact_concentration", 0.5, 12.0,
                  "from very unequal (many nearly cut off) to fairly even outside contact"),
    FreeParameter("population.helpfulness_shape", 0.15, 2.0,
                  "from a very unequal readiness to help to a fairly even one"),
    FreeParameter("sections.trust_in_group", 0.45, 0.85,
                  "assumption: brackets the 0.5 trust threshold to reach 50-90% trusting"),
    FreeParameter("sections.trust_out_group", 0.25, 0.6,
                  "assumption: brackets the 0.5 trust threshold to reach 20-70% trusting"),
)

_TABLES = ("rules", "network", "population", "sections")


def with_values(params: ModelParams, values: dict[str, float]) -> ModelParams:
    """A copy of ``params`` with the free parameters set (see :class:`FreeParameter`)."""
    by_table: dict[str, dict[str, float]] = {}
    for path, value in values.items():
        table, name = path.split(".", 1)
        by_table.setdefault(table, {})[name] = value
    out = params
    if "rules" in by_table:
        out = dataclasses.replace(out, rules=dataclasses.replace(out.rules, **by_table["rules"]))
    if "network" in by_table:
        net = by_table["network"]
        out = dataclasses.replace(out, network=dataclasses.replace(out.network, **net))
    if "population" in by_table:
        out = dataclasses.replace(out, population=dataclasses.replace(
            out.population, **by_table["population"]))
    if "sections" in by_table:
        secs = tuple(dataclasses.replace(s, **by_table["sections"])
                     for s in out.population.sections)
        out = dataclasses.replace(out, population=dataclasses.replace(
            out.population, sections=secs))
    unknown = set(by_table) - set(_TABLES)
    if unknown:
        raise KeyError(f"unknown parameter tables {sorted(unknown)}")
    return out


def current_values(params: ModelParams, free=FREE_PARAMETERS) -> dict[str, float]:
    """The free parameters' values in ``params`` (sections: the first section's value)."""
    out = {}
    for fp in free:
        table, name = fp.path.split(".", 1)
        obj = {"rules": params.rules, "network": params.network,
               "population": params.population,
               "sections": params.population.sections[0]}[table]
        out[fp.path] = float(getattr(obj, name))
    return out


def calibration_seeds(root: int, n: int, stream: int = STREAM_CALIBRATION) -> list[int]:
    """``n`` seeds derived from ``root`` by SeedSequence (same root, same seeds)."""
    return [int(s) for s in np.random.SeedSequence([root, stream]).generate_state(n)]


def _run_one(args) -> dict[str, float]:
    params, seed, names, window = args
    return simulate(params, seed, names, window=window)


def _small(params: ModelParams, residents: int) -> ModelParams:
    return dataclasses.replace(params, population=dataclasses.replace(
        params.population, n_residents=residents))


@dataclass
class TargetCheck:
    """A target against the simulated figure over fresh seeds."""

    target: Target
    mean: float
    lo: float  # 95% interval of the mean over seeds (t distribution)
    hi: float
    per_seed: list[float]

    @property
    def within(self) -> bool:
        return abs(self.mean - self.target.value) <= self.target.tolerance


@dataclass
class CalibrationResult:
    values: dict[str, float]  # fitted values of the free parameters
    start: dict[str, float]  # values before fitting
    loss: float
    start_loss: float
    checks_by_size: dict[int, list[TargetCheck]]  # community size -> checks on fresh seeds
    evaluations: list[tuple[dict[str, float], float]] = field(default_factory=list)
    settings: dict = field(default_factory=dict)

    @property
    def checks(self) -> list[TargetCheck]:
        """The checks at the first (smallest) check size."""
        return self.checks_by_size[min(self.checks_by_size)]

    @property
    def all_within(self) -> bool:
        """Every fitted target within tolerance at every check size."""
        return all(c.within for checks in self.checks_by_size.values()
                   for c in checks if c.target.fit)

    def table(self):
        """Target vs simulated, one row per target and check size (a pandas DataFrame)."""
        import pandas as pd

        return pd.DataFrame([{
            "target": c.target.name, "metric": c.target.metric, "residents": size,
            "survey": c.target.value, "tolerance": c.target.tolerance, "simulated": c.mean,
            "ci95_lo": c.lo, "ci95_hi": c.hi, "within": c.within, "fitted": c.target.fit,
        } for size, checks in sorted(self.checks_by_size.items()) for c in checks])


def objective(simulated: dict[str, float], targets) -> float:
    """Weighted sum of squared misses in units of each target's tolerance."""
    return float(sum(t.weight * ((simulated[t.metric] - t.value) / t.tolerance) ** 2
                     for t in targets if t.fit))


def check_targets(params: ModelParams, targets, seeds, *, executor: Executor | None = None,
                  window=WINDOW_DAYS) -> list[TargetCheck]:
    """Run ``params`` on each seed; each target's mean, 95% interval and per-seed values."""
    names = tuple(sorted({t.metric for t in targets}))
    jobs = [(params, s, names, window) for s in seeds]
    runs = list(executor.map(_run_one, jobs)) if executor else [_run_one(j) for j in jobs]
    out = []
    for t in targets:
        x = np.array([r[t.metric] for r in runs])
        half = (stats.t.ppf(0.975, len(x) - 1) * x.std(ddof=1) / np.sqrt(len(x))
                if len(x) > 1 else np.nan)
        # every target is a share: its interval stays within 0 to 1 (over two seeds a
        # t-interval ran to 1.34)
        out.append(TargetCheck(t, float(x.mean()), float(max(x.mean() - half, 0.0)),
                               float(min(x.mean() + half, 1.0)), x.tolist()))
    return out


def residuals(simulated: dict[str, float], targets) -> np.ndarray:
    """Each fitted target's miss in units of its tolerance, times the square root of its
    weight (so that their sum of squares is :func:`objective`)."""
    return np.array([np.sqrt(t.weight) * (simulated[t.metric] - t.value) / t.tolerance
                     for t in targets if t.fit])


FD_STEP = 0.04  # finite-difference step in the unit cube: big enough to see past seed noise


def _jacobian(fun, u: np.ndarray) -> np.ndarray:
    """Forward differences of ``fun`` at ``u`` with an absolute step of FD_STEP in the unit
    cube (stepping inward at a bound). Under common random numbers the residuals move
    smoothly enough with a step this size; scipy's relative steps are too small near 0."""
    f0 = fun(u)
    cols = []
    for i in range(len(u)):
        step = FD_STEP if u[i] + FD_STEP <= 1.0 else -FD_STEP
        v = u.copy()
        v[i] += step
        cols.append((fun(v) - f0) / step)
    return np.array(cols).T


def calibrate(params: ModelParams | None = None, targets=None, *, free=FREE_PARAMETERS,
              residents: int = 1000, n_seeds: int = 3, n_screen: int = 24,
              max_refine: int = 120, n_check_seeds: int = 8,
              check_residents: tuple[int, ...] = (1000, 10_000), root_seed: int = DEFAULT_ROOT_SEED,
              workers: int = 1, window=WINDOW_DAYS) -> CalibrationResult:
    """Fit ``free`` parameters of ``params`` (default: the shipped baseline) to ``targets``
    (default: data/calibration_targets.toml) on communities of ``residents``, then check
    the fit on fresh seeds at each size in ``check_residents``.

    Budget: ``n_screen`` one-seed runs, then at most ``max_refine`` least-squares
    evaluations of ``n_seeds`` runs each, then ``n_check_seeds`` runs per check size.
    ``workers`` > 1 runs seeds and screen points in a process pool."""
    params = params or ModelParams()
    targets = tuple(targets or load_targets())
    names = tuple(sorted({t.metric for t in targets}))
    base = _small(params, residents)
    lo = np.array([f.lo for f in free])
    hi = np.array([f.hi for f in free])
    seeds = calibration_seeds(root_seed, n_seeds)
    evaluations: list[tuple[dict[str, float], float]] = []
    # the project's local pool: spawned workers that end with this process, however it ends
    executor = local_executor(workers) if workers > 1 else None

    def to_values(u):
        x = lo + np.clip(u, 0.0, 1.0) * (hi - lo)
        return {f.path: float(v) for f, v in zip(free, x, strict=True)}

    def simulated_at(points, seed_list) -> list[dict[str, float]]:
        jobs = [(with_values(base, to_values(u)), s, names, window)
                for u in points for s in seed_list]
        runs = list(executor.map(_run_one, jobs)) if executor else [_run_one(j) for j in jobs]
        out = []
        for i, u in enumerate(points):
            mine = runs[i * len(seed_list):(i + 1) * len(seed_list)]
            mean = {n: float(np.mean([r[n] for r in mine])) for n in names}
            evaluations.append((to_values(u), objective(mean, targets)))
            out.append(mean)
        return out

    try:
        start = current_values(params, free)
        u_start = np.clip((np.array([start[f.path] for f in free]) - lo) / (hi - lo), 0, 1)
        sampler = qmc.LatinHypercube(d=len(free), rng=np.random.default_rng(
            np.random.SeedSequence([root_seed, STREAM_CALIBRATION, 1])))
        screen = np.vstack([u_start, sampler.random(n_screen)])
        screen_loss = [objective(m, targets) for m in simulated_at(list(screen), seeds[:1])]
        best = screen[int(np.argmin(screen_loss))]
        start_loss = objective(simulated_at([u_start], seeds)[0], targets)
        res = optimize.least_squares(
            lambda u: residuals(simulated_at([u], seeds)[0], targets), best,
            jac=lambda u: _jacobian(lambda v: residuals(simulated_at([v], seeds)[0], targets),
                                    u), bounds=(0.0, 1.0), x_scale=1.0,
            max_nfev=max_refine, method="trf")
        fitted = to_values(res.x)
        check_seeds = calibration_seeds(root_seed, n_check_seeds, STREAM_CHECK)
        checks = {size: check_targets(with_values(_small(params, size), fitted), targets,
                                      check_seeds, executor=executor, window=window)
                  for size in check_residents}
    finally:
        if executor:
            executor.shutdown()
    return CalibrationResult(
        values=fitted, start=start, loss=float(2 * res.cost), start_loss=start_loss,
        checks_by_size=checks, evaluations=evaluations,
        settings={"residents": residents, "calibration_seeds": seeds,
                  "check_seeds": check_seeds, "check_residents": list(check_residents),
                  "n_screen": n_screen, "max_refine": max_refine,
                  "window_days": list(window),
                  "optimiser": "scipy.stats.qmc.LatinHypercube screen + "
                               "scipy.optimize.least_squares(trf), common random numbers",
                  "root_seed": root_seed})
