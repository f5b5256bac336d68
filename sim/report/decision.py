"""What to fund, for which outcome, how sure, and at what cost to the helpers.

Pure functions over the ensemble's summary (``sim.ensemble.summary``) and the scenarios'
costs (``sim.costs``): no files, no HTML. Every verdict here uses the **steady window**
(``effect_steady*`` and each replicate's steady mean), so the decision card, the ranking,
the sentences and the forest plot all show the same numbers.

- :func:`decide` picks, for each headline outcome, the option with the best paired effect
  among those with the best verdict (clearly better, else not clearly worse), the chance it
  is the best across paired replicates, its cost and effect per GBP 10,000 a year, and the
  trade-offs it carries (other outcomes and strain measures it clearly worsens); and ranks
  every scenario by its average rank over paired runs and outcomes.
- :func:`cost_columns` adds costs, chances of being best and average ranks to summary.csv.

A programme followed after it ends is in sim/report/durability.py.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from sim.ensemble.intervals import average_ranks, probability_best
from sim.metrics import CORE_METRICS
from sim.report.units import Display, display, fmt_gbp, fmt_number
from sim.report.verdict import verdict

# the outcomes a funder asks about, in the order the decision card shows them; one that a
# run does not measure yet (helper_strain before the model has it) is named as not measured
HEADLINE_OUTCOMES = ("trust_out_group", "help_seeking_rate", "unmet_need", "loneliness_share",
                     "helper_strain")
# people under strain or burnt out, per 1,000 residents
PEOPLE_MEASURES = ("strained_per_1000", "burnout_per_1000")
ORGANISERS_SUFFIX = "_organisers_strained"  # interventions' own: organisers under strain
STAFF_SUFFIX = "_staff_in_post"  # ... and how many there are, what the strained are out of
PER_GBP = 10_000.0  # effects are given per this many pounds a year
# the order in which the card picks an option for an outcome, by its verdict: one that
# clearly improves it, else one not clearly worse, else the least bad; within each, by the
# average effect
PICK_ORDER = {"better": 0, "unclear": 1, "changed": 1, "worse": 2}


def _num(x) -> bool:
    try:
        return not math.isnan(float(x))
    except (TypeError, ValueError):
        return False


def headline_outcomes(present) -> tuple[list[str], list[str]]:
    """(headline outcomes a run measured, those it did not), in the card's order."""
    present = set(present)
    return ([m for m in HEADLINE_OUTCOMES if m in present],
            [m for m in HEADLINE_OUTCOMES if m not in present])


def people_measures(present) -> list[str]:
    """Strain and burnout in people per 1,000 residents: the per-1,000 measures a run has."""
    present = set(present)
    return [m for m in PEOPLE_MEASURES if m in present]


def organiser_measures(present) -> list[str]:
    """Interventions' own counts of organisers under strain."""
    return sorted(m for m in set(present) if str(m).endswith(ORGANISERS_SUFFIX))


def steady_levels(summary: pd.DataFrame) -> dict:
    """{(scenario, metric): its level averaged over the steady window} of a summary."""
    return {(r.scenario, r.metric): r.mean_steady
            for r in summary[["scenario", "metric", "mean_steady"]].itertuples(index=False)}


def out_of_staff(levels: dict, scenario: str, measure: str) -> str:
    """" of 10 in post" for a programme's staff under strain (``measure``): how many hold its
    staff role, on average over the same window (fewer than planned where its target group
    is short of people: "of 2.5" left a user asking of whom), from ``levels``
    ({(scenario, metric): level});
    "" where that is not measured (runs made before it was) or for any other measure. A user
    check: "bridge figures under strain 2.3 on average" left a council asking out of how
    many."""
    if not str(measure).endswith(ORGANISERS_SUFFIX):
        return ""
    n = levels.get((scenario, str(measure)[: -len(ORGANISERS_SUFFIX)] + STAFF_SUFFIX))
    if not _num(n):
        return ""
    n = float(n)
    return f" of {fmt_number(n, decimals=0 if abs(n - round(n)) < 0.05 else 1)} in post"


@dataclass
class Effect:
    """One scenario's steady-window effect on one measure."""

    scenario: str
    metric: str
    effect: float
    lo: float
    hi: float
    verdict: str  # better / worse / unclear / changed
    level: float  # the scenario's mean over the window
    base_level: float  # the baseline's


@dataclass
class Pick:
    """The decision card's entry for one headline outcome."""

    metric: str
    label: str
    measured: bool
    best: str | None = None
    effect: Effect | None = None
    p_best: float = math.nan
    cost_per_year: float = math.nan
    per_10k: tuple[float, float, float] = (math.nan, math.nan, math.nan)
    tradeoffs: list[str] = field(default_factory=list)
    # its own staff under strain (organisers, bridge figures): a cost the baseline cannot have,
    # so not "clearly worse" than it; in words, with the level
    staff: list[str] = field(default_factory=list)
    # the scenario most often best apart from ``best`` (the baseline and losses included: a
    # reader asks who won the runs the pick did not; never a copy of the baseline, which wins
    # the baseline's runs), its chance, and "baseline" or "loss" when it is not an option to
    # fund
    runner_up: str | None = None
    runner_up_p: float = math.nan
    runner_up_role: str = ""
    value_best: str | None = None  # the clearly better option with most effect per GBP 10k
    value_per_10k: float = math.nan
    value_effect: float = math.nan  # its whole effect, and its cost a year
    value_cost_per_year: float = math.nan
    # the option with the best average effect where that is not the pick: one whose verdict
    # is less sure (an unclear average beside a pick that clearly improves the outcome; a
    # clearly worse one beside a pick that is not clearly worse), named apart on the card
    aside: Effect | None = None
    # why an outcome the runs have is not measured here, for the card ("Not measured: this
    # community has one group ..."); empty for one the model does not measure yet
    reason: str = ""


@dataclass
class RankRow:
    scenario: str
    average_rank: float
    effects: dict  # metric -> Effect (none for the baseline)
    p_best: dict  # metric -> chance of being best
    cost_per_year: float
    n_better: int
    n_worse: int
    saved_per_year: float = 0.0  # what its closures save a year (beside the cost)


@dataclass
class Decision:
    baseline: str
    outcomes: list[str]  # headline outcomes measured
    missing: list[str]  # headline outcomes not measured
    picks: list[Pick]
    ranking: list[RankRow]
    n_pairs: int
    losses: frozenset = frozenset()  # scenarios ranked but never picked (a hub closing)
    # measures that cannot move in this community (sim.report.community.not_applicable):
    # headline ones are named on the card as not measured, none is ranked or a trade-off
    not_applicable: frozenset = frozenset()
    copies: frozenset = frozenset()  # options that run exactly as the baseline: never picked


def effects_table(summary: pd.DataFrame, metrics=None) -> dict:
    """{(scenario, metric): Effect} for every row with a steady effect."""
    out = {}
    for r in summary[["scenario", "metric", "mean_steady", "effect_steady",
                      "effect_steady_lo", "effect_steady_hi"]].itertuples(index=False):
        if not _num(r.effect_steady) or "[" in r.metric:
            continue
        d = display(r.metric, metrics)
        v = verdict(float(r.effect_steady_lo), float(r.effect_steady_hi), d.higher_is_better)
        base = r.mean_steady - r.effect_steady if _num(r.mean_steady) else math.nan
        out[r.scenario, r.metric] = Effect(r.scenario, r.metric, float(r.effect_steady),
                                           float(r.effect_steady_lo),
                                           float(r.effect_steady_hi), v,
                                           float(r.mean_steady), float(base))
    return out


def _aligned(steady_values: dict, slugs: list[str], metric: str):
    """(slugs that have the metric, (those scenarios, replicates) array of each replicate's
    steady mean over the replicates they all have); (slugs, None) when nothing is shared."""
    cols = [steady_values[s][metric].rename(s) for s in slugs
            if s in steady_values and metric in steady_values[s]]
    if not cols:
        return [], None
    joined = pd.concat(cols, axis=1).dropna()
    return list(joined.columns), (joined.to_numpy().T if len(joined) else None)


def chances_of_best(steady_values: dict, names: dict, metric: str,
                    higher_is_better: bool) -> dict:
    """{scenario name: chance of being the best on ``metric``} over paired replicates
    (the baseline, doing nothing, included); ``names`` maps slug -> name."""
    values = {names[s]: steady_values[s][metric] for s in names
              if s in steady_values and metric in steady_values[s]}
    return probability_best(values, higher_is_better) if values else {}


def as_the_baseline(values: dict, baseline: str, copies) -> dict:
    """{name: value} with each of ``copies`` (options that run exactly as the baseline)
    given the baseline's value, where the baseline has one."""
    if baseline not in values:
        return values
    return values | {c: values[baseline] for c in copies}


def _expected_ranks(steady_values: dict, slugs: list[str], metric: str,
                    higher_is_better: bool) -> dict:
    """{slug: rank on ``metric`` (1 = best) averaged over paired replicates}, for the
    scenarios that have the metric (a scenario with no finished run has no rank)."""
    have, x = _aligned(steady_values, slugs, metric)
    if x is None:
        return {}
    x = x * (1.0 if higher_is_better else -1.0)
    return dict(zip(have, average_ranks(-x).mean(axis=1).tolist(),
                    strict=True))


def _ratio_words(base: float, new: float) -> str:
    if not (_num(base) and _num(new)) or base <= 0:
        return ""
    r = new / base
    if r >= 1.9 and abs(r - 2) < 0.15:
        return "about twice as many"
    if r >= 1.5:
        return f"{fmt_number(r, decimals=1)} times as many"
    if r <= 0.55 and abs(r - 0.5) < 0.08:
        return "about half as many"
    return ""


def change_words(d: Display, base: float, new: float, *, clear: bool = True,
                 arrow: bool = False, change: bool = True) -> str:
    """"6.1% to 7.0%", "0.2 to 0.7 per 1,000 residents (3.5 times as many)": the ratio only
    for people and counts, and only when the change is ``clear``; ``arrow``: "6.1% →
    7.0%", "0.2 → 0.7 per 1,000". Two different levels that read alike at their precision
    (:meth:`Display.values`) carry the change beside them, "19.2% to 19.2% (+0.04 points)",
    unless ``change`` is False (where the change is printed just above, as on the card)."""
    shown_base, shown_new = d.values(base, new)
    text = f"{shown_base} {'→' if arrow else 'to'} {shown_new}"
    if d.kind == "per_1000":
        text += " per 1,000" if arrow else " per 1,000 residents"
    said = ""
    if change and shown_base == shown_new and _num(base) and _num(new):
        said = d.with_unit(float(new) - float(base))
        if not any(c in "123456789" for c in said.split(" ", 1)[0]):
            said = ""  # a change that reads as no change: nothing to add
    if said:
        text += f" ({said})"
    elif d.kind in ("per_1000", "count") and clear:
        ratio = _ratio_words(base, new)
        if ratio:
            text += f" ({ratio})"
    return text


def lower_first(label: str) -> str:
    """"Trust other groups" -> "trust other groups"; "ONS trust" stays."""
    return label[:1].lower() + label[1:] if label[1:2].islower() else label


def tradeoffs(scenario: str, effects: dict, measures: list[str], metrics=None) -> list[str]:
    """What ``scenario`` clearly makes worse among ``measures``, in words ("loneliness
    6.1% → 7.0%")."""
    out = []
    for m in measures:
        d = display(m, metrics)
        e = effects.get((scenario, m))
        if e is not None and e.verdict == "worse":
            out.append(f"{lower_first(d.short)} "
                       f"{change_words(d, e.base_level, e.level, arrow=True)}")
    return out


def staff_strain(scenario: str, measures: list[str], metrics=None,
                 levels: dict | None = None) -> list[str]:
    """The programmes' own staff under strain (organisers, bridge figures), which exist only
    where there is the programme, in words with their level and how many there are ("bridge
    figures 0.4 of 10"), on average over the window, each said under
    :data:`STAFF_STRAIN_WORDS`: a cost the card names apart from what the option clearly
    makes worse (the baseline has none to compare with)."""
    out, levels = [], levels or {}
    for m in measures:
        level = levels.get((scenario, m))
        # below 0.05 it would read "0.0 on average", in the harms' colour (a user check)
        if str(m).endswith(ORGANISERS_SUFFIX) and _num(level) and level >= 0.05:
            what = lower_first(display(m, metrics).short).removesuffix(" under strain")
            out.append(f"{what} {fmt_number(level, decimals=1)}"
                       f"{out_of_staff(levels, scenario, m)}")
    return out


# the head of the staff under strain on the card, said once for all of an option's staff (it
# was said after each: "... on average (none without the programme)" twice made the card
# taller than a desktop's first screen); the card's legend says doing nothing has none
STAFF_STRAIN_WORDS = "Its own staff under strain, on average"


def decide(summary: pd.DataFrame, steady_values: dict, scenarios: list[tuple[str, str]],
           baseline: str, costs: dict | None = None, metrics=None,
           losses: frozenset[str] = frozenset(),
           not_applicable: frozenset[str] = frozenset(),
           copies: frozenset[str] = frozenset()) -> Decision:
    """The decision card and the ranking (see the module docstring).

    ``scenarios`` lists (name, slug) in plan order, the baseline among them; ``costs`` maps a
    scenario name to its :class:`sim.costs.ScenarioCost` (or a cost per year in pounds);
    ``losses`` names the scenarios that only take something away (:func:`losses`): they are
    ranked, and their chances of being best counted, but never picked as what to fund;
    ``copies`` names the options that run exactly as the baseline (a plain copy of it:
    sim.ensemble.runner.runs_alike), ranked likewise but never picked (a user check: a copy
    was the card's "No change on average" pick, as if it were something to do);
    ``not_applicable`` names measures that cannot move in this community (between groups,
    in a community of one: :func:`sim.report.community.not_applicable`): a headline one is
    on the card as not measured, and none is ranked, picked or named as a trade-off."""
    from sim.report.community import ONE_GROUP_WORDS

    costs = costs or {}
    present = set(summary["metric"]) - set(not_applicable)
    outcomes, missing = headline_outcomes(present)
    missing = [m for m in missing if m not in not_applicable]
    effects = effects_table(summary, metrics)
    levels = steady_levels(summary)
    names = {slug: name for name, slug in scenarios}
    slugs = [slug for _, slug in scenarios]
    competing = {slug: name for slug, name in names.items() if name not in copies}
    options = [name for name, _ in scenarios if name != baseline]
    side = [m for m in outcomes] + people_measures(present) + organiser_measures(present)
    # the other core measures with a better direction (resentment, belonging, trust in one's
    # own group ...): the card's "no clear harm" covers them too (a user check: "No clear
    # harm" above a clearly worse share of resentful residents in the option's table)
    wider = [c for c in CORE_METRICS if c in present and c not in side
             and display(c, metrics).higher_is_better is not None]
    n_pairs = int(summary.loc[summary["scenario"] != baseline, "n_pairs"].max()) \
        if (summary["scenario"] != baseline).any() else 0

    def per_year(name):
        c = costs.get(name)
        if c is None:
            return math.nan if name != baseline else 0.0
        return float(getattr(c, "per_year_gbp", c))

    picks, p_best_all, ranks = [], {}, {}
    # last on the card, so that it leads with what was measured
    left_out = []
    for m in HEADLINE_OUTCOMES:
        d = display(m, metrics)
        if m in not_applicable:
            left_out.append(Pick(m, d.label, measured=False,
                              reason=f"Not measured: {ONE_GROUP_WORDS}, so there are no other "
                                     "groups."))
            continue
        if m not in outcomes:
            picks.append(Pick(m, d.label, measured=False))
            continue
        hib = d.higher_is_better is not False
        # a copy of the baseline is the baseline run for run: counted in the competition it
        # would tie with it in every pair and halve its share (a user check: "Best in 1½ of
        # 3" for both); it takes the baseline's chance and rank instead
        p = as_the_baseline(chances_of_best(steady_values, competing, m, hib), baseline,
                            copies)
        p_best_all[m] = p
        r = _expected_ranks(steady_values, [s for s in slugs if s in competing], m, hib)
        if r:
            ranks[m] = as_the_baseline({names[slug]: v for slug, v in r.items()}, baseline,
                                       copies)
        cands = [effects[o, m] for o in options
                 if (o, m) in effects and o not in losses and o not in copies]
        if not cands:
            left = [o for o in options if (o, m) in effects]
            what = ("runs as the baseline" if all(o in copies for o in left)
                    else "only takes something away" if all(o in losses for o in left)
                    else "only takes something away or runs as the baseline")
            reason = (f"No option to fund: every option {what}, so there is nothing to "
                      "pick." if left else "")
            picks.append(Pick(m, d.label, measured=True, reason=reason))
            continue
        sign = 1.0 if hib else -1.0
        # the verdict first, the average within it: the ranking marks each option's verdict,
        # and the card must not name an unclear average over an option clearly better (a
        # user check: "No option clearly improves this. Largest average improvement: Weird
        # but valid -2.8 (-26.8 to 21.3)" above a ranking with Cafe -1.6 "better")
        best = min(cands, key=lambda e: (PICK_ORDER.get(e.verdict, 1), -sign * e.effect))
        top = min(cands, key=lambda e: -sign * e.effect)
        cost = per_year(best.scenario)
        per = (math.nan,) * 3
        if _num(cost) and cost > 0:
            k = PER_GBP / cost
            per = (best.effect * k, best.lo * k, best.hi * k)
        others = [x for x in side + wider if x != m]
        pick = Pick(m, d.label, True, best.scenario, best, p.get(best.scenario, math.nan),
                    cost, per, tradeoffs(best.scenario, effects, others, metrics),
                    staff_strain(best.scenario, others, metrics, levels))
        if sign * top.effect > sign * best.effect:
            pick.aside = top
        rivals = sorted(((q, name) for name, q in p.items()
                         if name != best.scenario and name not in copies and _num(q)),
                        key=lambda t: -t[0])
        if rivals:
            pick.runner_up_p, pick.runner_up = rivals[0]
            pick.runner_up_role = ("baseline" if pick.runner_up == baseline
                                   else "loss" if pick.runner_up in losses else "")
        value = [(sign * e.effect * PER_GBP / per_year(e.scenario), e) for e in cands
                 if e.verdict == "better" and _num(per_year(e.scenario))
                 and per_year(e.scenario) > 0]
        if value:
            v, e = max(value, key=lambda t: t[0])
            pick.value_best, pick.value_per_10k = e.scenario, sign * v
            pick.value_effect, pick.value_cost_per_year = e.effect, per_year(e.scenario)
        picks.append(pick)

    picks += left_out
    ranking, saved = [], saved_per_year(costs)
    for name, _ in scenarios:
        r = [ranks[m][name] for m in outcomes if name in ranks.get(m, {})]
        eff = {m: effects[name, m] for m in side if (name, m) in effects}
        ranking.append(RankRow(
            name, float(np.mean(r)) if r else math.nan, eff,
            {m: p_best_all.get(m, {}).get(name, math.nan) for m in outcomes},
            per_year(name), sum(eff[m].verdict == "better" for m in outcomes if m in eff),
            sum(eff[m].verdict == "worse" for m in outcomes if m in eff),
            saved.get(name, 0.0)))
    ranking.sort(key=lambda row: (row.average_rank if _num(row.average_rank) else math.inf,
                                  row.cost_per_year if _num(row.cost_per_year) else math.inf))
    return Decision(baseline, outcomes, missing, picks, ranking, n_pairs,
                    frozenset(losses) & set(options), frozenset(not_applicable),
                    frozenset(copies) & set(options))


def in_ranking_order(scenarios: list, baseline: str | None,
                     decision: Decision | None) -> list:
    """``scenarios`` (anything with a ``name``) in the order every table and chart of
    options lists them: the baseline first, then the options as the ranking orders them
    (best average rank first), so that an option has one place on the page; as given where
    nothing is ranked (one scenario's run)."""
    ranked = [r.scenario for r in decision.ranking] if decision is not None else []
    place = {name: i for i, name in enumerate(ranked)}
    return sorted(scenarios, key=lambda s: (s.name != baseline, place.get(s.name, len(place))))


def losses(scenarios) -> frozenset[str]:
    """Names of the scenarios whose every intervention is a loss, not a programme to fund
    (``Intervention.fundable`` False: a hub closing)."""
    return frozenset(s.name for s in scenarios if s.interventions
                     and not any(type(iv).fundable for iv in s.interventions))


def saved_per_year(costs: dict) -> dict:
    """{scenario name: what its closures save a year} (0 without one)."""
    return {n: float(getattr(c, "saved_per_year_gbp", 0.0)) for n, c in costs.items()}


def cost_columns(summary: pd.DataFrame, decision: Decision, costs: dict) -> pd.DataFrame:
    """summary.csv's decision columns: each scenario's cost per year and over the run, what
    its closures save a year (beside the cost, not taken off it), its
    effect per GBP 10,000 a year (with the interval, steady window) on each headline outcome
    and strain measure, its chance of being best on each headline outcome, its average
    rank, and whether it runs exactly as the baseline."""
    out = summary.copy()
    per_year = {n: float(getattr(c, "per_year_gbp", c)) for n, c in costs.items()}
    total = {n: float(getattr(c, "total_gbp", np.nan)) for n, c in costs.items()}
    out["cost_per_year_gbp"] = out["scenario"].map(per_year)
    out["cost_total_gbp"] = out["scenario"].map(total)
    out["saved_per_year_gbp"] = out["scenario"].map(saved_per_year(costs))
    measures = set(decision.outcomes) | set(people_measures(out["metric"])) | set(
        organiser_measures(out["metric"]))
    with np.errstate(divide="ignore", invalid="ignore"):
        k = np.where(out["cost_per_year_gbp"] > 0, PER_GBP / out["cost_per_year_gbp"], np.nan)
        keep = out["metric"].isin(measures).to_numpy()
        for suffix in ("", "_lo", "_hi"):
            out[f"effect_per_10k_gbp{suffix}"] = np.where(
                keep, out[f"effect_steady{suffix}"] * k, np.nan)
    p = {(row.scenario, m): v for row in decision.ranking for m, v in row.p_best.items()}
    out["p_best"] = [p.get((s, m), np.nan) for s, m in zip(out["scenario"], out["metric"],
                                                            strict=True)]
    rank = {row.scenario: row.average_rank for row in decision.ranking}
    out["average_rank"] = out["scenario"].map(rank)
    # an option that runs exactly as the baseline (a copy, or a programme that does nothing
    # there): its zero effects are by construction, not a finding (a user check: only the
    # manifest said so)
    out["runs_as_baseline"] = out["scenario"].isin(decision.copies)
    return out


def saving_line(saved_per_year: float) -> str:
    """A table cell's second line for what a closure saves (HTML), or nothing: the cost and
    the saving on one line made the ranking wider than a desktop's page."""
    words = saving_words(saved_per_year)
    return f"<br><span class='muted'>{html.escape(words)}</span>" if words else ""


def saving_words(saved_per_year: float) -> str:
    """"saves GBP 150,000 a year", or "" without a saving."""
    if not (_num(saved_per_year) and saved_per_year > 0):
        return ""
    return f"saves {fmt_gbp(saved_per_year)} a year"


def cost_words(cost_per_year: float, saved_per_year: float = 0.0) -> str:
    """"GBP 9,000 a year", "no programme cost", "cost not known", and what a closure saves
    after either ("no programme cost; saves GBP 150,000 a year")."""
    if not _num(cost_per_year):
        cost = "cost not known"
    elif cost_per_year <= 0:
        cost = "no programme cost"
    else:
        cost = f"{fmt_gbp(cost_per_year)} a year"
    saving = saving_words(saved_per_year)
    return f"{cost}; {saving}" if saving else cost
