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

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numba import njit

from sim.params import ORIENTATIONS

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
    if day is not None and len(day.acts_helper):
        h, r = day.acts_helper, day.acts_recipient
        den[h] = 1.0
        num[h] = model.pop.section[h] == model.pop.section[r]
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
    if day is not None:
        given[day.acts_helper] = 100.0
    return given


@metric("help_concentration", label="Help given by the most active 31%", kind="community",
        unit="share of help", higher_is_better=None,
        question="Share of volunteering hours given by the most active 31% of adults (the "
        "civic core: 87%, Mohan et al. 2011)",
        doc="Share of help (counted with a one-year half-life) given by the 31% of residents "
        "who give most.")
def _help_concentration(model, day):
    given = model.pop.helps_given
    total = given.sum()
    return min(float(given[core_of(model)].sum() / total), 1.0) if total > 0 else 0.0


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
    return _core_mask(given, max(int(np.ceil(share * len(given))), 1))


# the k largest positive amounts (with ties at the cut), found by partitioning only the
# residents who gave anything (one compiled pass to gather them, one to mark the core)
@njit(cache=True)
def _core_mask(given, k):
    n = len(given)
    amounts = np.empty(n)
    m = 0
    for i in range(n):
        if given[i] > 0:
            amounts[m] = given[i]
            m += 1
    mask = np.zeros(n, dtype=np.bool_)
    cut = 0.0
    if m > k:
        cut = np.partition(amounts[:m], m - k)[m - k]
    for i in range(n):
        mask[i] = given[i] > 0 and given[i] >= cut
    return mask


@metric("helper_strain", label="Most active helpers under strain", kind="ratio",
        unit="share of the civic core", higher_is_better=False,
        question="Volunteering is becoming too much like paid work (NCVO Time Well Spent "
        "2019: 19% of volunteers)",
        doc="Of the civic core (the 31% of residents who give most help), the share whose "
        "strain is at or above the strained level: helping has become too much.")
def _helper_strain(model, day):
    core = core_of(model)
    return core & (model.pop.strain >= model.params.rules.strained_level), core


@metric("strained_per_1000", label="Helpers under strain, per 1,000 residents",
        unit="residents per 1,000", higher_is_better=False, scale=PER_1000,
        doc="Residents whose strain from helping is at or above the strained level, per "
        "1,000 residents.")
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
        doc="Share of residents whose loneliness is at least 0.7 (CLS: lonely often or "
        "always).")
def _loneliness_share(model, day):
    return model.pop.loneliness >= LONELY_THRESHOLD


@metric("belonging_share", label="Feel they belong", higher_is_better=True,
        question="How strongly do you feel you belong to your immediate neighbourhood? Very "
        "or fairly strongly (Community Life Survey)",
        doc="Share of residents whose place attachment is at least 0.5 (CLS: belong very or "
        "fairly strongly).")
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
    open_now = _hubs_open(model, day)
    return float(model.hubs.occupancy()[open_now].mean()) if open_now.any() else np.nan


def _hubs_open(model, day) -> np.ndarray:
    """The hubs open on the day just run (none before the first day)."""
    if day is None or model.hubs.n == 0:
        return np.zeros(model.hubs.n, dtype=bool)
    return model.hubs.open_today(day.weekday)


@metric("hubs_crowded_share", label="Open hubs over capacity today", kind="community",
        unit="share of open hubs", higher_is_better=False,
        doc="Share of the hubs open today whose visitors outnumbered their capacity.")
def _hubs_crowded_share(model, day):
    open_now = _hubs_open(model, day)
    if not open_now.any():
        return np.nan
    hubs = model.hubs
    return float((hubs.visitors_today[open_now] > hubs.capacity[open_now]).mean())


@metric("mean_need", label="Outstanding need (mean)", unit="need units per resident",
        higher_is_better=False, doc="Mean outstanding need per resident (0-1 scale).")
def _mean_need(model, day):
    return model.pop.need


@metric("mean_trust_out_group", label="Trust in other groups (mean)", unit="0-1",
        higher_is_better=True, doc="Mean trust in people of other sections.")
def _mean_trust_out(model, day):
    return model.pop.trust_out


class MetricsTable:
    """The daily table: one row per day, one column per metric and breakdown.

    Column names are the metric name, then ``name[orientation=rescuer]`` and
    ``name[section=newcomers]`` for breakdowns."""

    def __init__(self, model, metrics: list[Metric], days_hint: int = 800):
        pop = model.pop
        self.metrics = metrics
        self.group_labels = [f"orientation={o}" for o in ORIENTATIONS] + [
            f"section={s}" for s in pop.section_names]
        n_o, n_s = len(ORIENTATIONS), len(pop.section_names)
        cell = pop.section.astype(np.int64) * n_o + pop.orientation
        if np.any(np.diff(cell) < 0):
            raise ValueError("residents must be stored sorted by (section, orientation)")
        self._cell_bounds = np.searchsorted(cell, np.arange(n_o * n_s + 1))
        self._n_o, self._n_s = n_o, n_s
        self._group_size = self._groups_of_cells(
            np.diff(self._cell_bounds)[None, :].astype(np.float64))[0]
        self.columns: list[str] = []
        # the plan of a row: per-resident metrics fill buffer rows (one, or numerator and
        # denominator); each metric's whole value and breakdowns go to fixed columns
        self._per_resident = [m for m in metrics if m.kind != "community"]
        self._community: list[tuple[Metric, int]] = []
        num_row, ratio, whole_col, group_cols = [], [], [], []
        rows = 0
        for m in metrics:
            col = len(self.columns)
            self.columns.append(m.name)
            if m.kind == "community":
                self._community.append((m, col))
                continue
            num_row.append(rows)
            ratio.append(m.kind == "ratio")
            rows += 2 if m.kind == "ratio" else 1
            whole_col.append(col)
            if m.breakdown:
                group_cols.append(np.arange(col + 1, col + 1 + len(self.group_labels)))
                self.columns += [f"{m.name}[{g}]" for g in self.group_labels]
            else:
                group_cols.append(None)
        scales = [m.scale for m in self._per_resident]
        self._whole_scale = np.array(scales)
        self._group_scale = np.concatenate(
            [np.full(len(self.group_labels), m.scale) for m in self._per_resident if m.breakdown]
            or [np.zeros(0)])
        self._num_row = np.array(num_row, dtype=np.int64)
        self._ratio = np.array(ratio, dtype=bool)
        self._den_row = np.where(self._ratio, self._num_row + 1, 0)
        self._whole_col = np.array(whole_col, dtype=np.int64)
        self._with_groups = np.array([g is not None for g in group_cols], dtype=bool)
        self._group_cols = np.concatenate(
            [g for g in group_cols if g is not None] or [np.zeros(0, np.int64)])
        # one row of 4 bytes per resident for each value: a 0/1 value is stored in the row's
        # first n bytes (a plain copy, summed as integers), any other as float32 over the
        # whole row (read by viewing it as float32)
        self._buffer = np.empty((rows, 4 * pop.n), dtype=np.uint8)
        self._is_flag = np.zeros(rows, dtype=bool)
        self._flag_rows = [row[: pop.n].view(np.bool_) for row in self._buffer]
        self._float_rows = [row.view(np.float32) for row in self._buffer]
        self.days = np.zeros(days_hint, dtype=np.int64)
        self.values = np.full((days_hint, len(self.columns)), np.nan)
        self.n_rows = 0

    def _store(self, row: int, values) -> None:
        """Copy one metric's per-resident values into buffer row ``row``."""
        is_flag = getattr(values, "dtype", None) == np.bool_
        (self._flag_rows if is_flag else self._float_rows)[row][:] = values
        self._is_flag[row] = is_flag

    def _cell_sums(self) -> np.ndarray:
        """Sums of each buffer row over each (section, orientation) cell.

        Residents are sorted by (section, orientation), so each cell is a contiguous block,
        summed in one compiled pass (0/1 rows as integers, others in float64)."""
        return _block_sums(self._buffer, self._is_flag, self._cell_bounds)

    def _groups_of_cells(self, cells: np.ndarray) -> np.ndarray:
        """Cell sums (k, cells) -> sums per orientation, then per section (k, groups)."""
        c = cells.reshape(len(cells), self._n_s, self._n_o)
        return np.concatenate([c.sum(axis=1), c.sum(axis=2)], axis=1)

    def record(self, model, day) -> None:
        """Compute every metric for the day just run and append a row.

        Per-resident values are copied into one buffer (0/1 values as bytes, others as
        float32) and summed per (section, orientation) cell in a single pass (exact integer
        sums, float64 accumulation); the whole and each breakdown are sums of cells, divided
        for all metrics at once."""
        n = model.pop.n
        at = 0
        for m in self._per_resident:
            if m.kind == "resident":
                self._store(at, m.fn(model, day))
                at += 1
            else:
                num, den = m.fn(model, day)
                self._store(at, num)
                self._store(at + 1, den)
                at += 2
        cells = self._cell_sums()
        total = cells.sum(axis=1)
        groups = self._groups_of_cells(cells)
        if self.n_rows == len(self.days):
            self.days = np.concatenate([self.days, np.zeros_like(self.days)])
            self.values = np.vstack([self.values, np.full_like(self.values, np.nan)])
        row = self.values[self.n_rows]
        num, ratio = self._num_row, self._ratio
        with np.errstate(invalid="ignore", divide="ignore"):
            den = np.where(ratio, total[self._den_row], n)
            row[self._whole_col] = np.where(den > 0, total[num] / den, np.nan) * self._whole_scale
            has = self._with_groups
            group_den = np.where(ratio[has, None], groups[self._den_row[has]],
                                 self._group_size[None, :])
            row[self._group_cols] = (groups[num[has]] / group_den).ravel() * self._group_scale
        for m, col in self._community:
            row[col] = float(m.fn(model, day))
        self.days[self.n_rows] = model.day
        self.n_rows += 1

    def frame(self):
        """The table as a pandas DataFrame indexed by day (wide: one column per metric)."""
        import pandas as pd

        return pd.DataFrame(self.values[: self.n_rows], columns=self.columns,
                            index=pd.Index(self.days[: self.n_rows], name="day"))

    def column(self, name: str) -> np.ndarray:
        return self.values[: self.n_rows, self.columns.index(name)]


# sums of each buffer row over contiguous blocks [bounds[c], bounds[c + 1]): 0/1 rows
# (bytes) as integers, float32 rows in float64 (fastmath lets the compiler add in several
# lanes at once: the order of additions is not fixed). Loops run over slices from 0 so the
# compiler knows indices are never negative and vectorises them.
@njit(cache=True, fastmath=True)
def _block_sums(buffer, is_flag, bounds):
    out = np.zeros((buffer.shape[0], len(bounds) - 1))
    for k in range(buffer.shape[0]):
        floats = buffer[k].view(np.float32)
        for c in range(len(bounds) - 1):
            if is_flag[k]:
                flags = buffer[k, bounds[c]:bounds[c + 1]]
                count = 0
                for i in range(flags.shape[0]):
                    count += flags[i]
                out[k, c] = count
            else:
                values = floats[bounds[c]:bounds[c + 1]]
                total = 0.0
                for i in range(values.shape[0]):
                    total += values[i]
                out[k, c] = total
    return out
