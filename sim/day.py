"""What happens on one day, gathered as the rules run: meetings, offers of help, acts of
help, refusals and the day's levers that interventions set.

A ``Day`` is created fresh each morning; rules append to it and read from it, so the order
of the rules in ``KindlinessModel.step`` is the only place where the day's sequence lives.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from sim.params import MEETING_SETTINGS

_I = np.int64
SETTING_CODES = {name: code for code, name in enumerate(MEETING_SETTINGS)}
# the types of a meeting's contact weight, palatability, at_hub, setting and neighbours
_MEETING_DTYPES = (float, float, bool, np.int8, bool)


class OutcomeWriteError(RuntimeError):
    """An intervention tried to decide an outcome (write a resident's state, a tie, the day's
    results, or make a tie by fiat) instead of pulling a lever."""


def _cat(parts, c: int) -> np.ndarray:
    """Column ``c`` of the day's table, one of residents or ties (int64): its parts' joined."""
    return np.concatenate([part[c] for part in parts]) if parts else np.zeros(0, _I)


def _value(value, n: int, dtype):
    """One value for all of a part's ``n`` rows (kept as it is: the table is filled once, in
    :func:`_columns`), or one per row (copied, as the caller may change its array later)."""
    if isinstance(value, (int, float, np.generic)):
        return value
    value = np.array(value, dtype=dtype)
    return value if value.shape == (n,) else np.full(n, value, dtype=dtype)


def _columns(parts, first: int, dtypes) -> list[np.ndarray]:
    """The columns from ``first`` on of the day's table, from its parts (each a tuple of its
    columns, with its number of rows just before ``first``; a column holds one value for all
    the part's rows, or one per row), in order: each column filled with the first part's
    value, then each part that differs written into its rows."""
    n = 0
    for part in parts:
        n += part[first - 1]
    columns = []
    for c, dtype in enumerate(dtypes, first):
        fill = parts[0][c] if parts and type(parts[0][c]) is not np.ndarray else 0
        column = np.empty(n, dtype=dtype)
        column.fill(fill)
        start = 0
        for part in parts:
            value = part[c]
            if type(value) is np.ndarray or value != fill:
                column[start:start + part[first - 1]] = value
            start += part[first - 1]
        columns.append(column)
    return columns


@dataclass
class Meetings:
    """Encounters between pairs of residents (at hubs, or arranged by interventions)."""

    a: np.ndarray
    b: np.ndarray
    contact_weight: np.ndarray  # multiplies the contact effect on trust (1 = ordinary)
    palatability: np.ndarray  # 0-1: how readily needs surface in this encounter
    at_hub: np.ndarray  # bool: at a hub or an event at a place: counts as a visit there
    # int8 code of the setting (sim.params.MEETING_SETTINGS): each side's contact effect is
    # multiplied by their orientation's response to it (None = all everyday)
    setting: np.ndarray | None = None
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
    """The day's settings that interventions may change before the rules run: what a real
    programme changes (how often people go out, how a place is framed, who introduces whom,
    what people have been told is normal, what they have promised to do). Nothing here is an
    outcome: the rules read the levers and decide what they do to trust, ties, asking,
    helping and wellbeing.

    Per-resident levers hold one value (everyone) or one per resident; use :meth:`scale`,
    :meth:`shift` and :meth:`add_introducers`, which turn a single value into an array on
    first use."""

    # multiplies a noticer's chance of noticing a need (in chats and in meetings)
    notice_multiplier: float | np.ndarray = 1.0
    # multiplies a resident's probability of asking when in need
    ask_multiplier: float | np.ndarray = 1.0
    hub_palatability_boost: np.ndarray | None = None  # added to each hub's palatability
    # multiplies each resident's daily chance of visiting a hub (float or one per resident)
    visit_multiplier: float | np.ndarray = 1.0
    # shift of the perceived norm that people here ask each other for help (-1 to 1; the
    # asking rule reads it with rules.ask_weight_norm)
    ask_norm: float | np.ndarray = 0.0
    # shift of the perceived norm that people here help each other (-1 to 1; the helping
    # rule reads it with rules.help_weight_norm)
    help_norm: float | np.ndarray = 0.0
    # residents acting as bonders and bridges today besides the community's own (bool per
    # resident; None = nobody): the introduction rule lets them introduce their ties
    introducers: np.ndarray | None = None

    def rows(self, name: str, n: int) -> np.ndarray:
        """The per-resident lever ``name`` as today's array of one value per resident (a
        single value is turned into one on first use), to change in place."""
        value = getattr(self, name)
        if not isinstance(value, np.ndarray) or value.shape != (n,):
            value = np.full(n, value, dtype=np.float64)
            setattr(self, name, value)
        return value

    def scale(self, name: str, residents, factor, n: int) -> None:
        """Multiply a per-resident lever (visit_, ask_, notice_multiplier) for ``residents``
        by ``factor`` (a value or one per resident)."""
        np.multiply.at(self.rows(name, n), np.asarray(residents, dtype=_I), factor)

    def shift(self, name: str, residents, amount, n: int) -> None:
        """Add ``amount`` to a per-resident norm lever (ask_norm, help_norm) for
        ``residents``."""
        np.add.at(self.rows(name, n), np.asarray(residents, dtype=_I), amount)

    def add_introducers(self, residents, n: int) -> None:
        """Let ``residents`` act as bonders and bridges today."""
        if self.introducers is None:
            self.introducers = np.zeros(n, dtype=bool)
        self.introducers[np.asarray(residents, dtype=_I)] = True


def per_resident(value) -> np.ndarray:
    """A lever as a float64 array of one value (everyone) or one per resident, for kernels
    (which read ``x[i if len(x) > 1 else 0]``)."""
    return np.asarray(value, dtype=np.float64).reshape(-1)


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
    ties_closed: bool = False  # True while interventions act: ties come only from the tie rule

    def add_meetings(self, a, b, contact_weight=1.0, palatability=0.0, at_hub=False,
                     setting: str = "everyday", neighbours=False) -> None:
        """Meetings between a[k] and b[k]: ``contact_weight`` multiplies their effect on
        trust, ``palatability`` (0-1) is how readily a need surfaces, ``at_hub`` marks a
        meeting at a place (a visit there), ``setting`` names one of
        sim.params.MEETING_SETTINGS, ``neighbours`` marks a doorstep conversation."""
        if setting not in SETTING_CODES:
            raise ValueError(f"unknown meeting setting {setting!r}; allowed: "
                             f"{', '.join(SETTING_CODES)}")
        a = np.asarray(a, dtype=_I)
        n = len(a)
        self._meetings.append((
            a, np.asarray(b, dtype=_I), n,
            _value(contact_weight, n, float), _value(palatability, n, float),
            _value(at_hub, n, bool), SETTING_CODES[setting], _value(neighbours, n, bool),
        ))

    def has_meetings(self) -> bool:
        return bool(self._meetings)

    def set_meetings(self, m: Meetings) -> None:
        """Hold ``m`` as the day's whole table of meetings (the day's rules in one compiled
        call file the meetings they joined here: sim/rules/whole_day.py)."""
        self._meetings = [(m.a, m.b, len(m), m.contact_weight, m.palatability, m.at_hub,
                           m.setting, m.neighbours)]

    def meetings(self) -> Meetings:
        parts = self._meetings
        return Meetings(_cat(parts, 0), _cat(parts, 1), *_columns(parts, 3, _MEETING_DTYPES))

    def add_offers(self, helper, recipient, edge, asked: bool) -> None:
        helper = np.asarray(helper, dtype=_I)
        self._offers.append((
            helper, np.asarray(recipient, dtype=_I), np.asarray(edge, dtype=_I), len(helper),
            _value(asked, len(helper), bool),
        ))

    def has_offers(self) -> bool:
        return bool(self._offers)

    def set_offers(self, o: Offers) -> None:
        """Hold ``o`` as the day's whole table of offers (as :meth:`set_meetings`)."""
        self._offers = [(o.helper, o.recipient, o.edge, len(o), o.asked)]

    def offers(self) -> Offers:
        parts = self._offers
        return Offers(_cat(parts, 0), _cat(parts, 1), _cat(parts, 2), *_columns(parts, 4, (bool,)))

    def queue_ties(self, u, v) -> None:
        """Queue new ties for the weekly merge (the tie rules only: an intervention arranges
        meetings or introductions, and the tie rule decides whether a tie forms)."""
        if self.ties_closed:
            raise OutcomeWriteError(
                "interventions cannot make ties by fiat: arrange a meeting or an "
                "introduction (Day.add_meetings) and the tie rule decides")
        self.new_ties.append((np.asarray(u, dtype=_I), np.asarray(v, dtype=_I)))
