"""Hub visits and encounters: co-presence creates contact and conversation, moves trust,
surfaces needs and, now and then, leaves a new tie."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from sim.compiled import njit
from sim.day import Day, Meetings, per_resident
from sim.draws import permutation, shuffle, stream, uniforms
from sim.network import Street, Ties
from sim.params import NetworkParams, RuleParams
from sim.places import Hubs, count_open_day
from sim.population import Population
from sim.sums import add_reduce
from sim.tie_kernels import edge_in_row


class VisitParams(NamedTuple):
    """The numbers of the hub rules (sim.params.RuleParams), grouped for the kernels."""

    p_visit: float
    pull: float  # palatability_pull
    contact_seeking: float
    encounters: int
    p_notice: float

    @classmethod
    def of(cls, p: RuleParams) -> VisitParams:
        return cls(p.p_visit_hub, p.palatability_pull, p.contact_seeking,
                   p.encounters_per_visit, p.p_notice_at_hub)


def meet_on_the_street(pop: Population, street: Street, p_doorstep: float,
                       net: NetworkParams, palatability: float, day: Day, rng) -> None:
    """Residents bump into a near neighbour at the door or over the fence: each, with a
    daily chance of p_doorstep times their sociability, talks with someone a few doors away
    (the same geometric reach as the street's local ties, either way along it). Like any
    meeting this is contact, may surface a need, and now and then leaves a tie: how
    newcomers, who arrive with no ties, get to know their street. Form: propinquity
    (Festinger, Schachter & Back 1950); rate sim.params."""
    if p_doorstep <= 0:
        return
    a, b = _doorstep(stream(rng), p_doorstep, pop.sociability, street.ring,
                     street.start, street.pos, pop.section, net.street_reach)
    day.add_meetings(a, b, 1.0, palatability, False, neighbours=True)


# one uniform per resident: below the chance of meeting a neighbour today, the same uniform
# rescaled to 0-1 gives the way along the street (its lower or upper half) and, rescaled
# again, how many doors away (geometric, by inversion)
@njit(cache=True)
def _doorstep(h, p, sociability, ring, start, pos, section, reach):
    n = len(sociability)
    u = uniforms(h, n)
    a = np.empty(n, dtype=np.int64)
    b = np.empty(n, dtype=np.int64)
    m = 0
    log_stay = np.log(1.0 - reach) if reach < 1.0 else -np.inf
    for i in range(n):
        chance = p * sociability[i]
        if not u[i] < chance:
            continue
        s = section[i]
        size = start[s + 1] - start[s]
        if size < 2:
            continue
        v = u[i] / chance  # uniform on (0, 1)
        backwards = v < 0.5
        w = 2.0 * v - (0.0 if backwards else 1.0)  # uniform on (0, 1) again
        doors = 1 + int(np.log(max(1.0 - w, 1e-300)) / log_stay) if reach < 1.0 else 1
        doors = min(doors, size - 1)
        if backwards:
            doors = size - doors
        j = ring[start[s] + (pos[i] - start[s] + doors) % size]
        a[m], b[m] = i, j
        m += 1
    return a[:m], b[:m]


def hub_pull(hubs: Hubs, palatability: np.ndarray, pull: float, open_now: np.ndarray,
             preference: np.ndarray) -> np.ndarray:
    """How strongly each section (rows) is drawn to each hub (columns) today: where the hub
    sits (own section over boundary over another section), times (palatability_pull + its
    palatability), for open hubs only. The visit rule and the interventions that change
    hubs read this one formula (:func:`_pull`)."""
    return _hub_pull(preference, palatability, pull, open_now)


# the pull of one hub on one section: its preference times (pull + its palatability), and
# nothing when it is closed (written as numpy wrote it: times 1.0 or 0.0)
@njit(cache=True)
def _pull(preference, pull, palatability, is_open):
    return preference * (pull + palatability) * (1.0 if is_open else 0.0)


# hub_pull for every section (rows) and hub (columns)
@njit(cache=True)
def _hub_pull(preference, palatability, pull, open_now):
    n_sections, n_hubs = preference.shape
    out = np.empty((n_sections, n_hubs))
    for s in range(n_sections):
        for h in range(n_hubs):
            out[s, h] = _pull(preference[s, h], pull, palatability[h], open_now[h])
    return out


@njit(cache=True)
def pull_ratio(preference, pull, palatability_with, open_with, palatability_without,
               open_without):
    """Per section, the total pull of the hubs open with a change (``open_with``, their
    palatability ``palatability_with``) over the total without it: each a row of
    :func:`hub_pull` summed as numpy's ``sum(axis=1)`` sums it (sim.sums.add_reduce);
    1.0 where either total is 0 (nothing open either way)."""
    with_ = _hub_pull(preference, palatability_with, pull, open_with)
    without = _hub_pull(preference, palatability_without, pull, open_without)
    ratio = np.empty(preference.shape[0])
    for s in range(len(ratio)):
        total_with, total_without = add_reduce(with_[s]), add_reduce(without[s])
        ok = total_with > 0 and total_without > 0
        ratio[s] = total_with / total_without if ok else 1.0
    return ratio


def visit_hubs(pop: Population, hubs: Hubs, k: VisitParams, preference: np.ndarray,
               visit_multiplier: np.ndarray, day: Day, rng) -> np.ndarray:
    """Active residents visit an open hub with a daily chance set by their lasting hub
    propensity (a few regulars, many rare visitors) and orientation; each chooses among open
    hubs by their pull (:func:`hub_pull`), and residents who trust other sections more are
    drawn more to hubs where sections mix (self-selection: Pettigrew & Tropp 2006; Binder et
    al. 2009). Nobody is turned away: above capacity a hub is crowded, and conversations
    there are fewer (:func:`pair_visitors`). Counts the day for each open hub
    (:meth:`Hubs.count_day`). Returns each resident's hub (-1 for none).
    Form: MODEL-NOTES ("the middle layer", Ferguson 2017); rates sim.params."""
    open_now = hubs.open_today(day.weekday)
    if open_now.any():
        where, hubs.visitors_today = _choose_hubs_drawn(
            stream(rng), pop.n, k.p_visit, pop.hub_propensity, visit_multiplier,
            per_resident(day.levers.visit_multiplier), pop.orientation, pop.section,
            pop.trust_out, day.active, preference, k.pull, hubs.palatability, _boost(day),
            open_now, hubs.location, k.contact_seeking, hubs.capacity, hubs.days_open,
            hubs.days_crowded)
    else:
        where = np.full(pop.n, -1, dtype=np.int64)
        hubs.visitors_today = np.zeros(hubs.n, dtype=np.int64)
    day.hub_visits = where
    return where


# one uniform per resident decides whether they go out to a hub today (active residents
# only); below the chance of going, the same uniform rescaled to 0-1 picks the hub from the
# resident's own weights: the section's pull (hub_pull, with the day's palatability boost),
# with hubs where sections mix (sited outside the resident's section) weighted up or down
# by their out-group trust. ``lever`` holds one multiplier, or one per resident. Counts the
# day for the open hubs (Hubs.count_day) and returns each resident's hub (-1 for none) and
# the visitors per hub.
@njit(cache=True)
def _choose_hubs(u, p_visit, hub_propensity, visit_multiplier, lever, orientation, section,
                 trust_out, active, preference, pull, palatability, boost, open_now, location,
                 contact_seeking, capacity, days_open, days_crowded):
    n_sections, n_hubs = preference.shape
    where = np.full(len(u), -1, dtype=np.int64)
    weight = np.empty((n_sections, n_hubs))
    for h in range(n_hubs):
        palat = palatability[h] + (boost[h] if h < len(boost) else 0.0)
        for s in range(n_sections):
            weight[s, h] = _pull(preference[s, h], pull, palat, open_now[h])
    visitors = np.zeros(n_hubs, dtype=np.int64)
    mine = np.empty(n_hubs)
    for i in range(len(u)):
        p = (p_visit * hub_propensity[i] * visit_multiplier[orientation[i]]
             * lever[i if len(lever) > 1 else 0])
        if not (u[i] < p and active[i]):
            continue
        s = section[i]
        seeking = max(1.0 + contact_seeking * (trust_out[i] - 0.5), 0.0)
        total = 0.0
        for h in range(n_hubs):
            mine[h] = weight[s, h] * (seeking if location[h] != s else 1.0)
            total += mine[h]
        if total <= 0.0:
            continue
        target = u[i] / p * total
        h, cum = n_hubs - 1, 0.0
        for g in range(n_hubs):
            cum += mine[g]
            if cum > target:
                h = g
                break
        where[i] = h
        visitors[h] += 1
    count_open_day(open_now, visitors, capacity, days_open, days_crowded)
    return where, visitors


# _choose_hubs with its n uniforms drawn from stream h
@njit(cache=True)
def _choose_hubs_drawn(h, n, *rest):
    return _choose_hubs(uniforms(h, n), *rest)


_NO_BOOST = np.zeros(0)


def _boost(day: Day) -> np.ndarray:
    """The day's palatability boost per hub (empty for none: kernels add 0.0 past its end)."""
    b = day.levers.hub_palatability_boost
    return _NO_BOOST if b is None else b


def pair_visitors(where: np.ndarray, hubs: Hubs, encounters_per_visit: int, day: Day,
                  rng) -> None:
    """At each hub, each visitor talks with a few others present (in a random order, each
    visitor with the next k around a circle), with the hub's palatability. A crowded hub
    (more visitors than its capacity) gives each visitor fewer conversations, in proportion
    to capacity over visitors (assumption: a fixed amount of room and time to talk)."""
    if encounters_per_visit <= 0:
        return
    a, b, pal, met = _pair_drawn(where, stream(rng), hubs.palatability, _boost(day),
                                 hubs.capacity, hubs.visitors_today, encounters_per_visit)
    if met:
        day.add_meetings(a, b, 1.0, pal, True)


# _pair_at_hubs with its draws (the visitors' order, then one uniform each) from stream h,
# and whether there were two visitors or more to pair (no draws otherwise)
@njit(cache=True)
def _pair_drawn(where, h, *rest):
    visitors = _visitors(where)
    m = len(visitors)
    if m < 2:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0), False
    order = permutation(h, m)
    a, b, pal = _pair_at_hubs(visitors, where, order, uniforms(h, m), *rest)
    return a, b, pal, True


# the residents at a hub today (where >= 0), in order
@njit(cache=True)
def _visitors(where):
    out = np.empty(len(where), dtype=np.int64)
    m = 0
    for i in range(len(where)):
        if where[i] >= 0:
            out[m] = i
            m += 1
    return out[:m]


# each hub's palatability today (with the day's boost, clipped to 0-1) and conversations per
# visitor (k, times capacity over visitors where crowded), then the seating and pairs
@njit(cache=True)
def _pair_at_hubs(visitors, where, order, frac, palatability, boost, capacity, visitors_today,
                  k):
    n_hubs = len(palatability)
    palat = np.empty(n_hubs)
    k_hub = np.empty(n_hubs)
    for h in range(n_hubs):
        palat[h] = min(max(palatability[h] + (boost[h] if h < len(boost) else 0.0), 0.0), 1.0)
        k_hub[h] = k * min(1.0, capacity[h] / max(visitors_today[h], 1))
    return _seat_and_pair(visitors, where, order, frac, n_hubs, palat, k_hub, k)


# seat each hub's visitors around a circle in the given order (a counting sort by hub, which
# keeps that order within each hub), then pair each with the next 1..k seats, for as many
# as the table holds; at a crowded hub each seat talks with its next floor(k_h) seats and
# one more with the chance of the fraction (``frac`` draws, one per seat). Interventions'
# gatherings use the same kernel (seat_in_circles), with groups for hubs.
@njit(cache=True)
def _seat_and_pair(visitors, where, order, frac, n_hubs, palat, k_hub, k):
    size = np.zeros(n_hubs, dtype=np.int64)
    for v in visitors:
        size[where[v]] += 1
    start = np.zeros(n_hubs, dtype=np.int64)
    for h in range(1, n_hubs):
        start[h] = start[h - 1] + size[h - 1]
    filled = np.zeros(n_hubs, dtype=np.int64)
    seat = np.empty(len(visitors), dtype=np.int64)
    for j in order:
        h = where[visitors[j]]
        seat[start[h] + filled[h]] = visitors[j]
        filled[h] += 1
    a = np.empty(k * len(seat), dtype=np.int64)
    b = np.empty(k * len(seat), dtype=np.int64)
    pal = np.empty(k * len(seat))
    m = 0
    for s in range(len(seat)):
        h = where[seat[s]]
        whole = int(k_hub[h])
        mine = whole + (1 if frac[s] < k_hub[h] - whole else 0)
        for j in range(1, min(mine, size[h] - 1) + 1):
            a[m] = seat[s]
            b[m] = seat[start[h] + (s - start[h] + j) % size[h]]
            pal[m] = palat[h]
            m += 1
    return a[:m], b[:m], pal[:m]


def seat_in_circles(who: np.ndarray, group: np.ndarray, section: np.ndarray, k: int,
                    rng) -> tuple[np.ndarray, np.ndarray]:
    """Pairs (a, b) from a gathering that an intervention arranges (a session, an event, a
    project meeting): the residents ``who`` sit in one circle per ``group`` value (group[i]
    for resident i, small whole numbers), in a random order that alternates sections as far
    as it can, and each talks with the next ``k`` around the circle. The same seating as at
    a hub (:func:`pair_visitors`, one kernel), with the order chosen to mix sections."""
    return _seat(np.asarray(who, dtype=np.int64), group, section, int(k), stream(rng))


# seat_in_circles in one pass: ``who`` shuffled (a copy, as rng.permutation makes: drawn
# even when nobody will be paired), seated and paired
@njit(cache=True)
def _seat(who, group, section, k, h):
    who = who.copy()
    shuffle(h, who)
    if len(who) < 2 or k <= 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    seating, where, n_groups = _circle_seating(who, group, section)
    a, b, _ = _seat_and_pair(who, where, seating, np.zeros(len(who)), n_groups,
                             np.zeros(n_groups), np.full(n_groups, float(k)), k)
    return a, b


# the seating order of a gathering: each resident's round is their place among those of the
# same (group, section) in the order given; seats go by group, then round, then section
# (all keys distinct, so the order is fully determined); returns it, each resident's group
# (-1 for those not there) and the number of groups
@njit(cache=True)
def _circle_seating(who, group, section):
    m = len(who)
    g = np.empty(m, dtype=np.int64)
    s = np.empty(m, dtype=np.int64)
    n_groups, n_sections = 1, 1
    for i in range(m):
        g[i] = group[who[i]]
        s[i] = section[who[i]]
        n_groups = max(n_groups, g[i] + 1)
        n_sections = max(n_sections, s[i] + 1)
    seen = np.zeros(n_groups * n_sections, dtype=np.int64)
    key = np.empty(m, dtype=np.int64)
    for i in range(m):
        cell = g[i] * n_sections + s[i]
        rank = seen[cell]
        seen[cell] += 1
        key[i] = (g[i] * m + rank) * n_sections + s[i]
    where = np.full(len(section), -1, dtype=np.int64)
    for i in range(m):
        where[who[i]] = g[i]
    return np.argsort(key), where, n_groups


def surface_needs_in_meetings(pop: Population, ties: Ties, meetings: Meetings,
                              p_notice: float, notice_multiplier: np.ndarray, day: Day,
                              rng) -> None:
    """In an encounter, a need may surface indirectly: the more palatable the setting (the
    less it is framed as help), the likelier the other person notices it and offers help.
    Form: JRF 2015 recommendation 1 (make kindness palatable); rate assumption."""
    if len(meetings) == 0:
        return
    helper, recipient, edge = _surface(
        meetings.a, meetings.b, meetings.palatability, stream(rng),
        pop.need, pop.orientation, day.active, notice_multiplier,
        per_resident(day.levers.notice_multiplier), p_notice, ties.indptr, ties.dst)
    day.add_offers(helper, recipient, edge, asked=False)


# each side of each meeting (a notices b, then b notices a, with draws u[k] and u[m + k])
# notices the other's need with the setting's palatability; returns the unasked offers
# (noticer, resident in need, their tie or -1)
@njit(cache=True)
def _surface(a, b, palatability, h, need, orientation, active, notice_multiplier, lever,
             p_base, indptr, dst):
    m = len(a)
    u = uniforms(h, 2 * m)
    helper = np.empty(2 * m, dtype=np.int64)
    recipient = np.empty(2 * m, dtype=np.int64)
    edge = np.empty(2 * m, dtype=np.int64)
    n_seen = 0
    for side in range(2):
        for k in range(m):
            me, other = (a[k], b[k]) if side == 0 else (b[k], a[k])
            if need[other] <= 0 or not active[me]:
                continue
            if u[side * m + k] < (p_base * lever[me if len(lever) > 1 else 0] * palatability[k]
                                  * notice_multiplier[orientation[me]]):
                helper[n_seen], recipient[n_seen] = me, other
                edge[n_seen] = edge_in_row(indptr, dst, me, other)
                n_seen += 1
    return helper[:n_seen], recipient[:n_seen], edge[:n_seen]


def make_contact(pop: Population, ties: Ties, meetings: Meetings, day: Day) -> None:
    """Everyone in an encounter has had contact today; it is a chat with a neighbour (the
    survey's "more than just to say hello") when the two know each other (a tie) or live
    near each other (a doorstep conversation), not when strangers talk at a hub."""
    neighbours = meetings.neighbours if meetings.neighbours is not None else _NONE
    _contact(meetings.a, meetings.b, neighbours, ties.indptr, ties.dst, day.contact,
             pop.last_contact_day, pop.last_chat_day, day.day)


_NONE = np.zeros(0, dtype=np.bool_)


# both sides of every meeting have had contact today, and a chat with a neighbour if they
# are tied or neighbours
@njit(cache=True)
def _contact(a, b, neighbours, indptr, dst, contact, last_contact_day, last_chat_day, today):
    for k in range(len(a)):
        chat = (len(neighbours) > 0 and neighbours[k]) or edge_in_row(indptr, dst, a[k],
                                                                      b[k]) >= 0
        for i in (a[k], b[k]):
            last_contact_day[i] = today
            if chat:
                contact[i] = True
                last_chat_day[i] = today
