"""The registry's resident, ratio and community metrics (sim/metrics.py) for the daily table
(sim/metrics_table.py), in one compiled pass.

The daily table sums each per-resident metric over each (section, orientation) cell. For the
registry's own resident and ratio metrics it does so here, in one pass over the residents
(registry_sums), rather than through one array per metric: CELL_ROWS gives the row of each
metric's sums (a ratio's denominator is the next row). The registry's community metrics are
worked out in the same pass (COMMUNITY gives each one's place). The functions in
sim/metrics.py stay the definitions, and what anything else calls; this pass computes the
same values (tests/test_metrics_table.py records both ways and compares the bits).
"""

from __future__ import annotations

import numpy as np

from sim.compiled import njit
from sim.metrics import (
    BELONG_THRESHOLD,
    CHAT_WINDOW_DAYS,
    FAVOUR_WINDOW_DAYS,
    LONELY_THRESHOLD,
    RESENTFUL_THRESHOLD,
    TRUSTS_THRESHOLD,
    _gave_at_least,
    _masked,
    _open_hub_occupancy,
    core_cut,
)
from sim.sums import add_reduce

CELL_ROWS = {
    "trust_generalised": 0, "trust_in_group": 1, "trust_out_group": 2, "trust_gap": 3,
    "help_seeking_rate": 4, "ask_rate": 6, "help_within_section": 8, "unmet_need": 10,
    "help_given": 11, "helper_strain": 12, "strained_per_1000": 14, "burnout_per_1000": 15,
    "resentment_share": 16, "loneliness_share": 17, "belonging_share": 18,
    "favours_share": 19, "chat_monthly_share": 20, "mean_need": 21,
    "mean_trust_out_group": 22,
}
N_CELL_ROWS = 23
COMMUNITY = {"help_concentration": 0, "bridging_ties_share": 1, "hub_occupancy": 2,
             "hubs_crowded_share": 3}
_NO_FLAGS = np.zeros(0, dtype=bool)
_NO_ACTS = np.zeros(0, dtype=np.int64)


def registry_thresholds(model) -> np.ndarray:
    """The thresholds of the registry's survey-style shares, in the order registry_sums
    takes them: float32, as numpy compares the float32 states with these Python floats."""
    return np.array([TRUSTS_THRESHOLD, LONELY_THRESHOLD, BELONG_THRESHOLD,
                     RESENTFUL_THRESHOLD, model.params.rules.strained_level], dtype=np.float32)


def registry_sums(model, day, bounds: np.ndarray, thresholds: np.ndarray, out: np.ndarray,
                  community: np.ndarray) -> None:
    """Fill ``out`` (N_CELL_ROWS rows, one column per block of residents
    [bounds[c], bounds[c + 1])) with the sums of the registry's resident and ratio metrics
    for the day just run (``day`` None before the first): rows as in CELL_ROWS, 0/1 values
    counted, the mean metrics' float32 values added as the daily table adds them
    (:func:`sum_float32`); and ``community`` with the registry's community metrics, in the
    order of COMMUNITY. ``thresholds``: :func:`registry_thresholds` of the model."""
    pop, ties, hubs = model.pop, model.ties, model.hubs
    p = model.params.rules
    needs = day is not None and day.needy is not None
    given = pop.helps_given
    _registry_pass(
        out, community, bounds, model.day, thresholds, p.unmet_need_days, FAVOUR_WINDOW_DAYS,
        CHAT_WINDOW_DAYS, pop.section, pop.trust_gen, pop.trust_in, pop.trust_out, needs,
        day.needy if needs else _NO_FLAGS, day.asked if needs else _NO_FLAGS,
        day.offered if needs else _NO_FLAGS, _NO_ACTS if day is None else day.acts_helper,
        _NO_ACTS if day is None else day.acts_recipient, pop.need, pop.need_since, given,
        core_cut(given), pop.strain, pop.withdrawn_until, pop.resentment, pop.loneliness,
        pop.attachment, pop.last_help_day, pop.last_chat_day, ties.bridging, ties.m,
        day is not None and hubs.n > 0, 0 if day is None else day.weekday, hubs.open_days,
        hubs.closed, hubs.capacity, hubs.visitors_today if hubs.n else _NO_ACTS)


# the sum of float32 values in float64, as the daily table adds a metric's values over a
# cell (fastmath lets the compiler add in several lanes at once: the order of additions is
# not fixed, so every such sum goes through this one loop). The loop runs over a slice from
# 0 so the compiler knows indices are never negative and vectorises it.
@njit(cache=True, fastmath=True)
def sum_float32(values):
    total = 0.0
    for i in range(values.shape[0]):
        total += values[i]
    return total


# each cell's sums of the metrics of CELL_ROWS, one block of residents at a time: 0/1 values
# counted exactly (trust_gap, help_given and help_within_section, whose values are whole
# numbers, from counts too), the two means' float32 values by sum_float32. Counts are kept
# in scalars and branch-free loops over slices from 0, so that the compiler vectorises them.
@njit(cache=True)
def _registry_cells(out, bounds, today, thresholds, unmet_days, favour_days, chat_days,
                    section, trust_gen, trust_in, trust_out, needs, needy, asked, offered,
                    acts_helper, acts_recipient, need, need_since, core, strain,
                    withdrawn_until, resentment, loneliness, attachment, last_help_day,
                    last_chat_day):
    trusts_at, lonely_at, belongs_at = thresholds[0], thresholds[1], thresholds[2]
    resentful_at, strained_at = thresholds[3], thresholds[4]
    # each resident's acts of help today, and those within their own section
    acts = np.zeros(len(section), dtype=np.int32)
    acts_within = np.zeros(len(section), dtype=np.int32)
    for j in range(len(acts_helper)):
        h = acts_helper[j]
        acts[h] += 1
        acts_within[h] += section[h] == section[acts_recipient[j]]
    for c in range(len(bounds) - 1):
        lo, hi = bounds[c], bounds[c + 1]
        n = hi - lo
        gen, t_in, t_out = trust_gen[lo:hi], trust_in[lo:hi], trust_out[lo:hi]
        trusting = trusting_in = trusting_out = 0
        for i in range(n):
            trusting += gen[i] >= trusts_at
            trusting_in += t_in[i] >= trusts_at
            trusting_out += t_out[i] >= trusts_at
        out[0, c], out[1, c], out[2, c] = trusting, trusting_in, trusting_out
        out[3, c] = trusting_in - trusting_out
        reached = in_need = asking = 0
        if needs:
            nd, ak, of = needy[lo:hi], asked[lo:hi], offered[lo:hi]
            for i in range(n):
                reached += nd[i] & (ak[i] | of[i])
                in_need += nd[i]
                asking += nd[i] & ak[i]
        out[4, c], out[5, c], out[6, c], out[7, c] = reached, in_need, asking, in_need
        ac, aw = acts[lo:hi], acts_within[lo:hi]
        within = given = 0
        for i in range(n):
            within += aw[i]
            given += ac[i]
        out[8, c], out[9, c], out[11, c] = within, given, 100 * given
        needs_now, since = need[lo:hi], need_since[lo:hi]
        unmet = 0
        for i in range(n):
            unmet += (needs_now[i] > 0) & (today - since[i] >= unmet_days)
        out[10, c] = unmet
        cr, st = core[lo:hi], strain[lo:hi]
        core_strained = in_core = strained_all = 0
        for i in range(n):
            s = st[i] >= strained_at
            core_strained += cr[i] & s
            in_core += cr[i]
            strained_all += s
        out[12, c], out[13, c], out[14, c] = core_strained, in_core, strained_all
        wd, rs, ln, at = (withdrawn_until[lo:hi], resentment[lo:hi], loneliness[lo:hi],
                          attachment[lo:hi])
        burnt = resentful = lonely = belonging = 0
        for i in range(n):
            burnt += wd[i] > today
            resentful += rs[i] >= resentful_at
            lonely += ln[i] >= lonely_at
            belonging += at[i] >= belongs_at
        out[15, c], out[16, c], out[17, c], out[18, c] = burnt, resentful, lonely, belonging
        lh, lc = last_help_day[lo:hi], last_chat_day[lo:hi]
        favours = chats = 0
        for i in range(n):
            favours += today - lh[i] < favour_days
            chats += today - lc[i] < chat_days
        out[19, c], out[20, c] = favours, chats
        out[21, c] = sum_float32(need[lo:hi])
        out[22, c] = sum_float32(trust_out[lo:hi])


# the registry's pass: the civic core (those who gave at least the cut), each cell's sums
# (_registry_cells) and the community metrics (_community_values)
@njit(cache=True)
def _registry_pass(out, community, bounds, today, thresholds, unmet_days, favour_days,
                   chat_days, section, trust_gen, trust_in, trust_out, needs, needy, asked,
                   offered, acts_helper, acts_recipient, need, need_since, given, cut, strain,
                   withdrawn_until, resentment, loneliness, attachment, last_help_day,
                   last_chat_day, bridging, n_edges, hub_day, weekday, open_days, closed,
                   capacity, visitors):
    core = _gave_at_least(given, cut)
    _registry_cells(out, bounds, today, thresholds, unmet_days, favour_days, chat_days,
                    section, trust_gen, trust_in, trust_out, needs, needy, asked, offered,
                    acts_helper, acts_recipient, need, need_since, core, strain,
                    withdrawn_until, resentment, loneliness, attachment, last_help_day,
                    last_chat_day)
    _community_values(community, given, core, bridging, n_edges, hub_day, weekday,
                      open_days, closed, capacity, visitors)


# the registry's community metrics, in the order of COMMUNITY, as their functions in
# sim/metrics.py work them out (numpy's sums by add_reduce): the civic core's share of the
# help given (capped at 1; 0 when none was given), the share of ties that bridge sections,
# and of the hubs open on the day's weekday the mean occupancy and the share over capacity
# (nan when none is open; hub_day is False when there are no hubs or no day yet)
@njit(cache=True)
def _community_values(community, given, core, bridging, n_edges, hub_day, weekday,
                      open_days, closed, capacity, visitors):
    total = add_reduce(given)
    share = 0.0
    if total > 0:
        share = add_reduce(_masked(given, core)) / total
        share = 1.0 if share > 1.0 else share
    community[0] = share
    community[1] = count_true(bridging) / n_edges if n_edges else 0.0
    community[2] = community[3] = np.nan
    if hub_day:
        occupancy, n_crowded = _open_hub_occupancy(open_days, weekday, closed, capacity,
                                                   visitors)
        if len(occupancy):
            community[2] = add_reduce(occupancy) / len(occupancy)
            community[3] = n_crowded / len(occupancy)


# how many flags are set (numpy's count_nonzero of a bool array): eight flags (bytes of 0 or
# 1) at a time, read as one 64-bit word whose bytes a multiplication adds up into its top
# byte, then the rest one by one
@njit(cache=True)
def count_true(flags):
    b = flags.view(np.uint8)
    whole = len(b) // 8 * 8
    words = b[:whole].view(np.uint64)
    total = 0
    for i in range(len(words)):
        total += np.int64((words[i] * np.uint64(0x0101010101010101)) >> np.uint64(56))
    for i in range(whole, len(b)):
        total += b[i]
    return total
