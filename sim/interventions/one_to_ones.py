"""one_to_ones: community organisers hold 1:1 conversations that end in commitments."""

from __future__ import annotations

import difflib

import numpy as np

from sim.draws import stream
from sim.interventions.base import Intervention, Role, State
from sim.interventions.kernels import (
    active_rows,
    converse,
    repeat_poisson,
    scale_live_levers,
)
from sim.interventions.recruitment import recruit_through_ties_param
from sim.params import ORIENTATIONS, param
from sim.population import NEVER

# the actions a 1:1 can end in a commitment to (codes of the ``commitment`` state)
COMMITMENTS = ("join", "visit", "ask", "offer")
NO_COMMITMENT = 0  # codes: 1 + the position in COMMITMENTS
JOIN = 1 + COMMITMENTS.index("join")
_NO_LEVER = np.zeros(0)  # scale_live_levers: a place for a lever not on offer
# the lever each kind of commitment moves while it lasts (join: the organisers' action
# meetings, or a project that takes joiners)
COMMITMENT_LEVERS = {"visit": "visit_multiplier", "ask": "ask_multiplier",
                     "offer": "notice_multiplier"}


class OneToOnes(Intervention):
    """Community organising 1:1s (the seed blog post: "intentional and public relationships
    ... a public commitment of what both of us will do and how much time we will commit";
    Migrants Organise training; JRF 2015 on surfacing needs indirectly): organisers,
    recruited from the community, each hold a number of private, focused conversations a
    week with targeted residents.

    Mechanism path: conversation -> commitment -> action. (1) A 1:1 is a meeting between an
    organiser and a resident (contact; a need either has may surface, and the helping rule
    decides whether the organiser helps, so organisers carry strain and can burn out; the
    tie rule may turn repeated conversations into a weak tie, within both tie budgets).
    (2) With a chance it ends in a public commitment to one action, kept for
    ``commitment_days`` (Lokhorst et al. 2013: making a commitment changes behaviour, more
    so when it is public). (3) The action, through the ordinary rules: *join* - the
    resident comes to the organisers' action meetings (common-cause meetings of everyone who
    committed) or, where a common-cause project runs, joins it; *visit* - their daily
    chance of going to a hub is multiplied (the visit lever); *ask* - their chance of
    asking when in need is multiplied (the ask lever); *offer* - their chance of noticing a
    tie's or a neighbour's need is multiplied (the notice lever). Organisers are recruited
    through people's ties (leaders are usually connected), partners too unless a critical
    friend widens the reach. When the window ends the organisers stop; commitments already
    made run their course and lapse; ties made fade unless kept up. Dose: organisers per
    1,000 residents, 1:1s a week each."""

    type_name = "one_to_ones"
    title = "Organisers' 1:1 conversations"
    planned_staff = ("organisers", "organisers")
    roles = (Role("organiser", "Organiser", staff=True,
                  doc="a resident trained to hold 1:1s and organise actions"),)
    states = (
        State("committed_until", np.int32, NEVER, "last day of the resident's commitment"),
        State("commitment", np.int8, NO_COMMITMENT,
              "what the resident committed to (0 none; 1 + position in COMMITMENTS)"),
    )

    organisers: int = param(10, unit="organisers per 1,000 residents", lo=0, hi=1000,
                            doc="organisers recruited (scaled to the population); one who "
                            "moves away is replaced the next week")
    organiser_orientations: tuple[str, ...] = param(
        ("activist", "empathic"), unit="orientation names", refers_to="orientation",
        doc="orientations organisers are recruited from; empty = any",
    )
    conversations_per_week: float = param(
        5.0, unit="1:1s per organiser per week", lo=0, hi=100,
        doc="1:1s each active organiser holds in a week",
    )
    conversation_palatability: float = param(
        0.8, unit="0-1", lo=0, hi=1,
        doc="how readily a need comes up in a 1:1 (it is about the person's interests and "
        "values, not framed as help)",
    )
    p_commitment: float = param(
        0.4, unit="probability per 1:1", lo=0, hi=1, uncertain=(0.2, 0.6),
        doc="chance a 1:1 ends in a public commitment to one action",
    )
    commitments: tuple[str, ...] = param(
        COMMITMENTS, unit="kinds of action",
        doc="actions a commitment may be to (any of join, visit, ask, offer, each listed "
        "once), chosen with equal chances: join (the organisers' "
        "action meetings, or a common-cause project), visit (a hub), ask (for help when in "
        "need), offer (look out for neighbours' needs)",
    )
    commitment_days: int = param(28, unit="days", lo=1, hi=3650,
                                 doc="how long a commitment is kept")
    commitment_effect: float = param(
        2.0, unit="x", lo=1, hi=20, uncertain=(1.3, 3.0),
        doc="while a commitment lasts it multiplies the chance of the committed action "
        "(visiting, asking, noticing) on each day it could happen",
        source="direction Lokhorst, Werner, Staats, van Dijk & Gale 2013 (meta-analysis: "
        "commitment-making changes behaviour); size assumption",
    )
    action_every_days: int = param(
        28, unit="days", lo=1, hi=3650,
        doc="days between the organisers' action meetings, where those who committed to join "
        "meet (in the common-cause setting)",
    )
    action_encounters: int = param(3, unit="encounters per attendee", lo=0, hi=50,
                                   doc="people each attendee talks with at an action meeting")
    action_palatability: float = param(
        0.5, unit="0-1", lo=0, hi=1,
        doc="how readily needs surface at an action meeting (it is about a shared cause)")
    recruit_through_ties: float = recruit_through_ties_param()

    @classmethod
    def value_problems(cls, values: dict) -> list[tuple[str, str]]:
        """Each commitment is a known kind, listed once: a kind is drawn with an equal chance
        among those listed, so a repeat would silently double its chance."""
        out = []
        seen = set()
        for i, c in enumerate(values.get("commitments", ())):
            if c not in COMMITMENTS:
                close = difflib.get_close_matches(str(c), COMMITMENTS, n=1)
                hint = f"; did you mean '{close[0]}'?" if close else ""
                out.append((f"commitments[{i}]", f"unknown commitment {c!r}{hint} (allowed: "
                            f"{', '.join(COMMITMENTS)})"))
            elif c in seen:
                out.append((f"commitments[{i}]", f"'{c}' is listed twice; the kinds listed are "
                            "chosen with equal chances, so a repeat would double its chance: "
                            "list each kind once"))
            seen.add(c)
        return out

    def idle_parts(self) -> list[tuple[str, str]]:
        """No organisers: nothing happens. No conversations: the organisers are still
        recruited and hold their action meetings with each other (organisers with no 1:1s
        would still meet: a real, if odd, programme), which a user who wrote 0 to mean "no
        conversations" did not expect (a user check: the run differed from the baseline)."""
        if self.organisers == 0:
            return [("organisers", f"'{self.label}' has no organisers, so no 1:1s are held and "
                     "no action meetings happen: it does nothing, yet its cost is counted; "
                     "give organisers above 0, or remove this [[interventions]] table")]
        if self.conversations_per_week == 0:
            return [("conversations_per_week",
                     f"'{self.label}' holds no 1:1 conversations (0 a week), so nobody is "
                     "reached and nobody commits: only the organisers' own action meetings "
                     f"happen (every {self.action_every_days} days the organisers meet each "
                     "other, when there are two or more), and they still change the run and "
                     "cost; for no programme, "
                     "remove this [[interventions]] table, and for 1:1s, give "
                     "conversations_per_week above 0")]
        return []

    def prepare(self, model) -> None:
        self.planned = int(round(self.organisers * model.pop.n / 1000))
        self.kinds = np.array([1 + COMMITMENTS.index(c) for c in self.commitments], np.int8)
        codes = [ORIENTATIONS.index(o) for o in self.organiser_orientations]
        self.preferred = (np.isin(model.pop.orientation, codes) if codes
                          else np.ones(model.pop.n, dtype=bool))
        self.joinable = [iv for iv in model.interventions if iv.takes_joiners and iv is not self]
        self.conversations = 0
        self.committed = 0
        # the levers the commitments on offer move, and the place of each commitment code's
        # lever among them (-1: it moves none, or is not on offer)
        self.lever_names = tuple(dict.fromkeys(COMMITMENT_LEVERS[c] for c in self.commitments
                                               if c in COMMITMENT_LEVERS))
        slots = [self.lever_names.index(COMMITMENT_LEVERS[c])
                 if COMMITMENT_LEVERS.get(c) in self.lever_names else -1 for c in COMMITMENTS]
        self.lever_slot = np.array([-1, *slots], dtype=np.int64)  # code 0: no commitment
        self.live_until = NEVER  # no commitment is live after this day

    def sends_joiners(self) -> bool:
        """A commitment to join a project (a common cause) is on offer."""
        return "join" in self.commitments

    def begin(self, model, day) -> None:
        self._fill(model, day)

    def _fill(self, model, day) -> None:
        """Recruit organisers up to the planned number (from the preferred orientations while
        there are any), from anyone, not only the targeted."""
        org = self.role("organiser")
        short = self.planned - int(org.sum())
        if short <= 0:
            return
        for among in (self.preferred, None):
            found = self.recruit(model, day, short, among=among, targeted=False,
                                 excluding=org)
            org[found] = True
            short -= len(found)
            if short <= 0:
                return

    def apply(self, model, day) -> None:
        if day.weekday == 0:
            self._fill(model, day)
        org_mask = self.role("organiser")
        org = active_rows(org_mask, day.active)
        who = repeat_poisson(org, self.rng, self.conversations_per_week / 7.0)
        if len(who):
            self._converse(model, day, who, org_mask)
        if (day.day - self.start_day) % self.action_every_days == 0:
            self._action_meeting(model, day)

    def _converse(self, model, day, who: np.ndarray, org_mask: np.ndarray) -> None:
        """1:1s: each organiser in ``who`` talks with a resident found through people's ties;
        some end in a commitment."""
        partner = self.recruit(model, day, len(who), excluding=org_mask)
        if len(partner) == 0:
            return
        # shuffled, paired with the organisers, reached; some commit (kernels.converse)
        who, partner, n_committed, joiners = converse(
            stream(self.rng), who, partner, self.p_commitment, self.kinds, self.commitment,
            self.committed_until, day.day + self.commitment_days, JOIN, self.reached)
        self.conversations += len(who)
        day.add_meetings(who, partner, 1.0,
                         self.delivery.palatability(self.conversation_palatability), False)
        if n_committed == 0:
            return
        self.committed += n_committed
        self.live_until = day.day + self.commitment_days
        if len(joiners):
            projects = [iv for iv in self.joinable if iv.active_on(day.day)]
            if projects:
                projects[0].join(model, day, joiners, day.day + self.commitment_days)

    def _action_meeting(self, model, day) -> None:
        """Everyone whose commitment to join is live, with the organisers, meets in the
        common-cause setting (a campaign action or a house meeting)."""
        live = (self.commitment == JOIN) & (self.committed_until >= day.day)
        who = np.flatnonzero((live | self.role("organiser")) & day.active)
        if len(who) < 2:
            return
        a, b = self.circles(model, who, self.action_encounters)
        day.add_meetings(a, b, 1.0, self.delivery.palatability(self.action_palatability), False,
                         setting="common_cause")

    def carry(self, model, day) -> None:
        """Live commitments move the levers of the actions committed to."""
        if day.day > self.live_until or not self.lever_names:
            return
        levers, n = day.levers, model.pop.n
        rows = [levers.rows(name, n) for name in self.lever_names]
        rows += [_NO_LEVER] * (len(COMMITMENT_LEVERS) - len(rows))
        scale_live_levers(self.committed_until, self.commitment, day.day, self.lever_slot,
                          float(self.commitment_effect), *rows)

    def extra_metrics(self):
        return [
            self.community_metric(
                "conversations", "1:1 conversations held", "1:1 conversations held so far.",
                "conversations", lambda model, day: getattr(self, "conversations", 0)),
            self.community_metric(
                "commitments", "commitments made",
                "Commitments to an action made at the end of a 1:1, so far.", "commitments",
                lambda model, day: getattr(self, "committed", 0)),
        ]

    def resources(self, n_residents: int) -> dict[str, float]:
        """Per year: organisers are volunteers from the community, each with one training
        place, 1.5 hours a week of a paid lead organiser's supervision, and GBP 3 of
        expenses per conversation (a coffee, a bus fare); each action meeting needs a room
        for 2 hours and is an event. Sizes: assumptions."""
        organisers = int(round(self.organisers * n_residents / 1000))
        conversations = organisers * self.conversations_per_week * 52
        actions = 365.0 / self.action_every_days
        return {"training_places": float(organisers), "staff_hours": 1.5 * 52 * organisers,
                "small_grants_gbp": 3.0 * conversations, "venue_hours": 2.0 * actions,
                "events": actions}
