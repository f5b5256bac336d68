"""Named, documented metrics in one registry, and the daily table they fill.

Each metric is a function of the model and the day just run. Three kinds:

- ``resident``: a value per resident; the metric is their mean (a share, where the value is
  0 or 1), and breakdowns by orientation and section are group means;
- ``ratio``: a numerator and a denominator per resident; the metric is sum over sum;
- ``community``: one number for the whole community (no breakdowns).

Survey-style shares use the thresholds below, so that a metric means what the survey
question means: the share of residents above a threshold, not a mean level.
The data collector, charts, reports and the visualiser all read these names.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from sim.compiled import njit

# thresholds that turn 0-1 states into survey-style answers (assumption; docs/MODEL.md)
TRUSTS_THRESHOLD = 0.5  # "most people can be trusted" / "trust many or some"
LONELY_THRESHOLD = 0.7  # "lonely often or always"
BELONG_THRESHOLD = 0.5  # "belong very or fairly strongly"
RESENTFUL_THRESHOLD = 0.5
# "borrow things and exchange favours with neighbours" read as a current, regular practice:
# the past month (the window of the survey's companion item on chatting); assumption
FAVOUR_WINDOW_DAYS = 30
CHAT_WINDOW_DAYS = 30  # "chat to neighbours at least monthly"
# the civic core: Mohan et al. 2011 (TSRC working paper 62): 31% of adults give 87% of
# formal volunteering hours (Mohan & Bulloch 2012, working paper 73: a third give about 90%)
CIVIC_CORE_SHARE = 0.31
HELP_MEMORY_HALF_LIFE_DAYS = 365.0  # helps given are counted with a one-year half-life
PER_1000 = 1000.0  # people per 1,000 residents


@dataclass(frozen=True)
class Metric:
    name: str
    label: str  # plain words for charts and the visualiser
    doc: str  # one sentence: what it measures and how
    unit: str
    kind: str  # "resident" | "ratio" | "community"
    fn: Callable
    higher_is_better: bool | None = None
    breakdown: bool = True
    question: str = ""  # the survey question it answers, in the survey's words (if any)
    scale: float = 1.0  # the recorded value is the share (or ratio) times this
    now: bool = False  # a count of the day's state, not one added up from the start


REGISTRY: dict[str, Metric] = {}


def metric(name, *, label, doc, unit="share of residents", kind="resident",
           higher_is_better=None, breakdown=True, question="", scale=1.0):
    def register(fn):
        REGISTRY[name] = Metric(name, label, doc, unit, kind, fn, higher_is_better,
                                breakdown and kind != "community", question, scale)
        return fn

    return register


CORE_METRICS = (
    "trust_generalised", "trust_in_group", "trust_out_group", "trust_gap",
    "help_seeking_rate", "unmet_need", "help_given", "help_concentration", "helper_strain",
    "burnout_per_1000", "strained_per_1000", "resentment_share", "bridging_ties_share",
    "loneliness_share", "belonging_share",
)


@metric("trust_generalised", label="Trust people in the neighbourhood",
        higher_is_better=True,
        question="Many or some of the people in your neighbourhood can be trusted (ONS)",
        doc="Share of residents whose generalised trust is at least 0.5 (trust many or some "
        "of the people in the neighbourhood).")
def _trust_generalised(model, day):
    return model.pop.trust_gen >= TRUSTS_THRESHOLD


@metric("trust_in_group", label="Trust own group", higher_is_better=True,
        doc="Share of residents who trust people of their own section (trust >= 0.5; ONS: "
        "trust among those who feel similar to neighbours).")
def _trust_in_group(model, day):
    return model.pop.trust_in >= TRUSTS_THRESHOLD


@metric("trust_out_group", label="Trust other groups", higher_is_better=True,
        doc="Share of residents who trust people of other sections (trust >= 0.5; ONS: "
        "trust among those who feel dissimilar).")
def _trust_out_group(model, day):
    return model.pop.trust_out >= TRUSTS_THRESHOLD


@metric("trust_gap", label="Trust gap (own minus other groups)", unit="share points",
        higher_is_better=False,
        doc="trust_in_group minus trust_out_group: how much more residents trust their own "
        "section than others.")
def _trust_gap(model, day):
    pop = model.pop
    return (pop.trust_in >= TRUSTS_THRESHOLD).astype(np.float32) - (
        pop.trust_out >= TRUSTS_THRESHOLD)


@metric("help_seeking_rate", label="Needs that reach someone", kind="ratio",
        unit="share of residents in need", higher_is_better=True,
        doc="Of residents in need today, the share who asked someone or whose need was "
        "noticed (asks and noticed needs over needs).")
def _help_seeking_rate(model, day):
    if day is None or day.needy is None:
        z = np.zeros(model.pop.n, dtype=np.float32)
        return z, z
    reached = day.needy & (day.asked | day.offered)
    return reached, day.needy


@metric("ask_rate", label="Residents in need who ask", kind="ratio",
        unit="share of residents in need", higher_is_better=True,
        doc="Of residents in need today, the share who asked someone for help.")
def _ask_rate(model, day):
    if day is None or day.needy is None:
        z = np.zeros(model.pop.n, dtype=np.float32)
        return z, z
    return day.needy & day.asked, day.needy


@metric("help_within_section", label="Help given within own section", kind="ratio",
        unit="share of acts of help", higher_is_better=None,
        doc="Of today's acts of help, the share given to someone of the helper's own section "
        "(by helper).")
def _help_within_section(model, day):
    n = model.pop.n
    num = np.zeros(n, dtype=np.float32)
    den = np.zeros(n, dtype=np.float32)
    if day is not None and len(day.acts_helper):  # every act, not each helper's last
        h, r = day.acts_helper, day.acts_recipient
        np.add.at(den, h, 1.0)
        np.add.at(num, h, (model.pop.section[h] == model.pop.section[r]).astype(np.float32))
    return num, den


@metric("unmet_need", label="Unmet need (a week or more)", higher_is_better=False,
        doc="Share of residents with a need outstanding for at least unmet_need_days (7) "
        "days.")
def _unmet_need(model, day):
    pop = model.pop
    return (pop.need > 0) & (model.day - pop.need_since >= model.params.rules.unmet_need_days)


@metric("help_given", label="Acts of help per 100 residents a day",
        unit="acts per 100 residents per day", higher_is_better=True,
        doc="Acts of help given today per 100 residents (by helper).")
def _help_given(model, day):
    given = np.zeros(model.pop.n, dtype=np.float32)
    if day is not None:  # every act (a helper may help several residents a day)
        np.add.at(given, day.acts_helper, 100.0)
    return given


@metric("help_concentration", label="Help given by the most active 31%", kind="community",
        unit="share of help", higher_is_better=None,
        question="Share of volunteering hours given by the most active 31% of adults (the "
        "civic core: 87%, Mohan et al. 2011)",
        doc="Share of help (counted with a one-year half-life) given by the 31% of residents "
        "who give most.")
def _help_concentration(model, day):
    given = model.pop.helps_given
    total = np.add.reduce(given)
    if not total > 0:
        return 0.0
    return min(float(np.add.reduce(_masked(given, core_of(model))) / total), 1.0)


def core_of(model) -> np.ndarray:
    """Today's civic core (:func:`civic_core` of the helps given), computed once a day."""
    cached = getattr(model, "_civic_core", None)
    if cached is None or cached[0] != model.day:
        cached = (model.day, civic_core(model.pop.helps_given))
        model._civic_core = cached
    return cached[1]


def civic_core(given: np.ndarray, share: float = CIVIC_CORE_SHARE) -> np.ndarray:
    """Mask of the civic core: the ``share`` of residents who give most (only those who gave
    anything; ties at the cut-off all count)."""
    return _gave_at_least(given, core_cut(given, share))


def core_cut(given: np.ndarray, share: float = CIVIC_CORE_SHARE) -> float:
    """The least amount given by a member of the civic core (:func:`civic_core`: those who
    gave anything and at least this): the k-th largest positive amount, k the ``share`` of
    residents (at least one); 0 when no more than k gave anything (then all who did count)."""
    k = max(math.ceil(share * len(given)), 1)
    # the k largest positive amounts: the cut is found by partitioning only the amounts of
    # residents who gave anything (numpy's partition, several times faster than numba's)
    amounts = _positive(given)
    cut = 0.0
    if len(amounts) > k:
        amounts.partition(len(amounts) - k)
        cut = amounts[len(amounts) - k]
    return cut


# the positive values, in order (each value written at the next free place, which moves on
# only where the value is positive: no branch)
@njit(cache=True)
def _positive(values):
    out = np.empty(len(values), dtype=values.dtype)
    m = 0
    for i in range(len(values)):
        out[m] = values[i]
        m += values[i] > 0
    return out[:m]


# who gave anything and at least the cut
@njit(cache=True)
def _gave_at_least(given, cut):
    mask = np.empty(len(given), dtype=np.bool_)
    for i in range(len(given)):
        mask[i] = (given[i] > 0) & (given[i] >= cut)
    return mask


# the values where the mask is set, in order (numpy's values[mask], without its slow
# handling of a scattered mask): each value is written at the next free place, which moves
# on only where the mask is set (no branch)
@njit(cache=True)
def _masked(values, mask):
    out = np.empty(len(values), dtype=values.dtype)
    m = 0
    for i in range(len(values)):
        out[m] = values[i]
        m += mask[i]
    return out[:m]


@metric("helper_strain", label="Most active helpers under strain", kind="ratio",
        unit="share of the civic core", higher_is_better=False,
        question="Volunteering is becoming too much like paid work (NCVO Time Well Spent "
        "2019: 19% of volunteers)",
        doc="Of the civic core (the 31% of residents who give most help), the share whose "
        "strain is at or above the strained level: helping has become too much.")
def _helper_strain(model, day):
    core = core_of(model)
    return core & (model.pop.strain >= model.params.rules.strained_level), core


@metric("strained_per_1000", label="All helpers under strain, per 1,000 residents",
        unit="residents per 1,000", higher_is_better=False, scale=PER_1000,
        doc="Residents whose strain from helping is at or above the strained level, per "
        "1,000 residents: every helper, where 'Most active helpers under strain' is a share "
        "of the civic core only.")
def _strained_per_1000(model, day):
    return model.pop.strain >= model.params.rules.strained_level


@metric("burnout_per_1000", label="Burnt out (stepped back), per 1,000 residents",
        unit="residents per 1,000", higher_is_better=False, scale=PER_1000,
        doc="Residents who have stepped back from helping and hubs through burnout today, per "
        "1,000 residents.")
def _burnout_per_1000(model, day):
    return model.pop.withdrawn_until > model.day


@metric("resentment_share", label="Resentful", higher_is_better=False,
        doc="Share of residents whose resentment is at least 0.5.")
def _resentment_share(model, day):
    return model.pop.resentment >= RESENTFUL_THRESHOLD


@metric("bridging_ties_share", label="Ties that bridge groups", kind="community",
        unit="share of ties", higher_is_better=True,
        doc="Share of ties that join residents of different sections.")
def _bridging_ties_share(model, day):
    ties = model.ties
    return np.count_nonzero(ties.bridging) / ties.m if ties.m else 0.0


@metric("loneliness_share", label="Lonely often or always", higher_is_better=False,
        question="How often do you feel lonely? Often or always (Community Life Survey)",
        doc="Share of residents whose loneliness is at least 0.7 (Community Life "
        "Survey: lonely often or always).")
def _loneliness_share(model, day):
    return model.pop.loneliness >= LONELY_THRESHOLD


@metric("belonging_share", label="Feel they belong", higher_is_better=True,
        question="How strongly do you feel you belong to your immediate neighbourhood? Very "
        "or fairly strongly (Community Life Survey)",
        doc="Share of residents whose place attachment is at least 0.5 (Community Life "
        "Survey: belong very or fairly strongly).")
def _belonging_share(model, day):
    return model.pop.attachment >= BELONG_THRESHOLD


@metric("favours_share", label="Exchange favours with neighbours", higher_is_better=True,
        question="I borrow things and exchange favours with my neighbours: agree (Community "
        "Life Survey)",
        doc="Share of residents who gave or received help in the past 30 days (the survey "
        "item read as a current, regular practice).")
def _favours_share(model, day):
    return model.day - model.pop.last_help_day < FAVOUR_WINDOW_DAYS


@metric("chat_monthly_share", label="Chat to neighbours at least monthly",
        higher_is_better=True,
        question="How often do you chat to any of your neighbours, more than just to say "
        "hello? At least once a month (Community Life Survey)",
        doc="Share of residents who had a conversation with a neighbour they know (a tie, "
        "wherever they met) or who lives near them (at the door) in the past 30 days; "
        "talking with strangers at a hub, or help alone, is not a chat.")
def _chat_monthly_share(model, day):
    return model.day - model.pop.last_chat_day < CHAT_WINDOW_DAYS


@metric("hub_occupancy", label="Hub visitors over capacity (open hubs)", kind="community",
        unit="visitors per place", higher_is_better=None,
        doc="Today's visitors over capacity, averaged over the hubs open today (above 1: "
        "crowded, and each visitor has fewer conversations).")
def _hub_occupancy(model, day):
    occupancy, _ = _open_hubs(model, day)
    # sum over count is numpy's mean, without its per-call overhead (a few hubs, every day)
    return float(np.add.reduce(occupancy) / len(occupancy)) if len(occupancy) else np.nan


def _open_hubs(model, day) -> tuple[np.ndarray, int]:
    """The occupancy (:meth:`Hubs.occupancy`) of each hub open on the day just run
    (:meth:`Hubs.open_today`; none before the first day), and how many of them were over
    capacity."""
    hubs = model.hubs
    if day is None or hubs.n == 0:
        return np.zeros(0), 0
    return _open_hub_occupancy(hubs.open_days, day.weekday, hubs.closed, hubs.capacity,
                               hubs.visitors_today)


# visitors over capacity of the hubs open on a weekday (open that day, not closed, with a
# capacity), in hub order, and how many of them had more visitors than places
@njit(cache=True)
def _open_hub_occupancy(open_days, weekday, closed, capacity, visitors):
    occupancy = np.empty(len(capacity))
    n_open = 0
    n_crowded = 0
    for h in range(len(capacity)):
        if open_days[h, weekday] and not closed[h] and capacity[h] > 0:
            occupancy[n_open] = visitors[h] / capacity[h]
            n_open += 1
            n_crowded += visitors[h] > capacity[h]
    return occupancy[:n_open], n_crowded


@metric("hubs_crowded_share", label="Open hubs over capacity today", kind="community",
        unit="share of open hubs", higher_is_better=False,
        doc="Share of the hubs open today whose visitors outnumbered their capacity.")
def _hubs_crowded_share(model, day):
    occupancy, n_crowded = _open_hubs(model, day)
    return n_crowded / len(occupancy) if len(occupancy) else np.nan


@metric("mean_need", label="Outstanding need (mean)", unit="need units per resident",
        higher_is_better=False, doc="Mean outstanding need per resident (0-1 scale).")
def _mean_need(model, day):
    return model.pop.need


@metric("mean_trust_out_group", label="Trust in other groups (mean)", unit="0-1",
        higher_is_better=True, doc="Mean trust in people of other sections.")
def _mean_trust_out(model, day):
    return model.pop.trust_out
