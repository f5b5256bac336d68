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


class OutcomeWriteError(RuntimeError):
    """An intervention tried to decide an outcome (write a resident's state, a tie, the day's
    results, or make a tie by fiat) instead of pulling a lever."""


def _cat(parts, dtype):
    return np.concatenate(parts) if parts else np.zeros(0, dtype)


def _value(value, n: int, dtype):
    """One value for all of a part's ``n`` rows (kept as it is: the table is filled once, in
    :func:`_column`), or one per row (copied, as the caller may change its array later)."""
    if isinstance(value, (int, float, np.generic)):
        return value
    value = np.array(value, dtype=dtype)
    return value if value.shape == (n,) else np.full(n, value, dtype=dtype)


def _column(values, lengths, total: int, dtype) -> np.ndarray:
    """One column of the day's table from its parts' values (each one value for all of the
    part's rows, or one per row), in order: filled with the first part's value, then each
    part that differs written into its rows."""
    fill = values[0] if values and type(values[0]) is not np.ndarray else 0
    out = np.empty(total, dtype=dtype)
    out.fill(fill)
    start = 0
    for value, n in zip(values, lengths, strict=True):
        if type(value) is np.ndarray or value != fill:
            out[start:start + n] = value
        start += n
    return out


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

    def _rows_of(self, name: str, n: int) -> np.ndarray:
        value = getattr(self, name)
        if not isinstance(value, np.ndarray) or value.shape != (n,):
            value = np.full(n, value, dtype=np.float64)
            setattr(self, name, value)
        return value

    def scale(self, name: str, residents, factor, n: int) -> None:
        """Multiply a per-resident lever (visit_, ask_, notice_multiplier) for ``residents``
        by ``factor`` (a value or one per resident)."""
        np.multiply.at(self._rows_of(name, n), np.asarray(residents, dtype=_I), factor)

    def shift(self, name: str, residents, amount, n: int) -> None:
        """Add ``amount`` to a per-resident norm lever (ask_norm, help_norm) for
        ``residents``."""
        np.add.at(self._rows_of(name, n), np.asarray(residents, dtype=_I), amount)

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

    def meetings(self) -> Meetings:
        parts = list(zip(*self._meetings, strict=True)) if self._meetings else [[]] * 8
        a, b, lengths, weight, palatability, at_hub, setting, neighbours = parts
        n = sum(lengths)
        return Meetings(
            _cat(a, _I), _cat(b, _I), _column(weight, lengths, n, float),
            _column(palatability, lengths, n, float), _column(at_hub, lengths, n, bool),
            _column(setting, lengths, n, np.int8), _column(neighbours, lengths, n, bool),
        )

    def add_offers(self, helper, recipient, edge, asked: bool) -> None:
        helper = np.asarray(helper, dtype=_I)
        self._offers.append((
            helper, np.asarray(recipient, dtype=_I), np.asarray(edge, dtype=_I), len(helper),
            _value(asked, len(helper), bool),
        ))

    def offers(self) -> Offers:
        parts = list(zip(*self._offers, strict=True)) if self._offers else [[]] * 5
        helper, recipient, edge, lengths, asked = parts
        return Offers(_cat(helper, _I), _cat(recipient, _I), _cat(edge, _I),
                      _column(asked, lengths, sum(lengths), bool))

    def queue_ties(self, u, v) -> None:
        """Queue new ties for the weekly merge (the tie rules only: an intervention arranges
        meetings or introductions, and the tie rule decides whether a tie forms)."""
        if self.ties_closed:
            raise OutcomeWriteError(
                "interventions cannot make ties by fiat: arrange a meeting or an "
                "introduction (Day.add_meetings) and the tie rule decides")
        self.new_ties.append((np.asarray(u, dtype=_I), np.asarray(v, dtype=_I)))
