"""What happens on one day, gathered as the rules run: meetings, offers of help, acts of
help, refusals and the day's levers that interventions set.

A ``Day`` is created fresh each morning; rules append to it and read from it, so the order
of the rules in ``KindlinessModel.step`` is the only place where the day's sequence lives.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

_I = np.int64


def _cat(parts, dtype):
    return np.concatenate(parts).astype(dtype, copy=False) if parts else np.zeros(0, dtype)


@dataclass
class Meetings:
    """Encounters between pairs of residents (at hubs, or arranged by interventions)."""

    a: np.ndarray
    b: np.ndarray
    contact_weight: np.ndarray  # multiplies the contact effect on trust (1 = ordinary)
    palatability: np.ndarray  # 0-1: how readily needs surface in this encounter
    at_hub: np.ndarray  # bool: counts as a hub visit for attachment
    # bool: a common-cause event, where each side's contact effect is also multiplied by
    # their orientation's common_cause_response (None = no such meetings)
    common_cause: np.ndarray | None = None
    # bool: the two live near each other (a doorstep conversation): a chat with a neighbour
    # even if they are not tied (None = no such meetings)
    neighbours: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.a)


@dataclass
class Offers:
    """Candidate helpers for residents in need, before each decides."""

    helper: np.ndarray
    recipient: np.ndarray
    edge: np.ndarray  # tie helper->recipient, or -1 for no tie (met at a hub)
    asked: np.ndarray  # bool: the recipient asked this helper

    def __len__(self) -> int:
        return len(self.helper)

    def subset(self, mask) -> Offers:
        return Offers(self.helper[mask], self.recipient[mask], self.edge[mask], self.asked[mask])


@dataclass
class Levers:
    """Daily settings that interventions may change before the rules run."""

    notice_multiplier: float = 1.0  # multiplies all noticing of needs
    ask_multiplier: float = 1.0  # multiplies the probability of asking
    hub_palatability_boost: np.ndarray | None = None  # added to each hub's palatability
    # multiplies each resident's daily chance of visiting a hub (float or one per resident)
    visit_multiplier: float | np.ndarray = 1.0


@dataclass
class Day:
    day: int
    weekday: int
    active: np.ndarray  # bool: not withdrawn
    contact: np.ndarray  # bool: had some social contact today
    levers: Levers = field(default_factory=Levers)
    _meetings: list = field(default_factory=list)
    _offers: list = field(default_factory=list)
    new_ties: list = field(default_factory=list)  # (u, v) arrays queued for the tie merge
    # filled by the rules
    needy: np.ndarray | None = None  # bool: had need at the start of the asking step
    asked: np.ndarray | None = None  # bool: asked someone today
    offered: np.ndarray | None = None  # bool: was asked about or noticed by someone
    acts_helper: np.ndarray = field(default_factory=lambda: np.zeros(0, _I))
    acts_recipient: np.ndarray = field(default_factory=lambda: np.zeros(0, _I))
    acts_edge: np.ndarray = field(default_factory=lambda: np.zeros(0, _I))
    acts_relief: np.ndarray = field(default_factory=lambda: np.zeros(0))  # need relieved
    refusals: Offers | None = None
    hub_visits: np.ndarray | None = None  # int hub index per resident, -1 if none
    referrals: int = 0  # needs passed on to a known helper

    def add_meetings(self, a, b, contact_weight=1.0, palatability=0.0, at_hub=False,
                     common_cause=False, neighbours=False) -> None:
        a = np.asarray(a, dtype=_I)
        b = np.asarray(b, dtype=_I)
        n = len(a)
        self._meetings.append((
            a, b,
            # np.full broadcasts a value or an array like broadcast_to, several times faster
            np.full(n, contact_weight, dtype=float),
            np.full(n, palatability, dtype=float),
            np.full(n, at_hub, dtype=bool),
            np.full(n, common_cause, dtype=bool),
            np.full(n, neighbours, dtype=bool),
        ))

    def meetings(self) -> Meetings:
        cols = list(zip(*self._meetings, strict=True)) if self._meetings else [[]] * 7
        return Meetings(
            _cat(cols[0], _I), _cat(cols[1], _I), _cat(cols[2], float),
            _cat(cols[3], float), _cat(cols[4], bool), _cat(cols[5], bool),
            _cat(cols[6], bool),
        )

    def add_offers(self, helper, recipient, edge, asked: bool) -> None:
        helper = np.asarray(helper, dtype=_I)
        self._offers.append((
            helper, np.asarray(recipient, dtype=_I), np.asarray(edge, dtype=_I),
            np.full(len(helper), asked, dtype=bool),
        ))

    def offers(self) -> Offers:
        cols = list(zip(*self._offers, strict=True)) if self._offers else [[]] * 4
        return Offers(_cat(cols[0], _I), _cat(cols[1], _I), _cat(cols[2], _I),
                      _cat(cols[3], bool))

    def queue_ties(self, u, v) -> None:
        self.new_ties.append((np.asarray(u, dtype=_I), np.asarray(v, dtype=_I)))
