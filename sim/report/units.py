"""How a metric is shown to a reader: plain label, axis unit, scale and number format.

Shares are stored as fractions (0-1) and shown as percentages to one decimal wherever a
level is shown, the precision of the effects beside them, so that a reader's arithmetic
closes ("10.3% to 7.6%" beside -2.7 points, where whole percentages above 10% read "10% to
7.6%": a user check); an effect on a share is shown in percentage points ("+4.1 points").
Measures of people under strain or burnt out (units "per 1,000") are shown as people per
1,000 residents, never as a share that rounds to 0.0%. Other units are shown as they are,
to three significant figures.

Every number a reader sees goes through :func:`fmt_number`: no scientific notation, a true
minus sign, and no "-0.0". :func:`plain` turns metric and parameter names that leak into
documentation strings into plain words.
"""

from __future__ import annotations

import dataclasses
import math
import re
from dataclasses import dataclass

from sim.metrics import REGISTRY, Metric

MINUS = "\u2212"


@dataclass(frozen=True)
class Display:
    name: str
    label: str  # "Trust other groups"
    doc: str  # one sentence, in plain words
    axis: str  # "% of residents"
    effect_unit: str  # "percentage points"
    effect_short: str  # "points"
    scale: float  # multiply stored values by this to show them
    higher_is_better: bool | None
    kind: str = "value"  # "share", "per_1000", "count" or "value"
    # an intervention's own measure: what it counts, without the programme's label before
    # it ("bridge figures under strain" of "Bridge figures: bridge figures under strain")
    words: str = ""

    @property
    def short(self) -> str:
        """The label without a trailing unit that the number will carry anyway:
        "Burnt out (stepped back), per 1,000 residents" -> "Burnt out (stepped back)"; an
        intervention's own measure without its programme's label ("Bridge figures: bridge
        figures under strain" -> "Bridge figures under strain"), for a place that gives
        the programme, or one where every option's programme of that type is meant."""
        if self.words:
            return self.words[:1].upper() + self.words[1:]
        return re.sub(r",?\s*per 1,000 residents$", "", self.label) or self.label

    def value(self, x) -> str:
        """A stored value as the reader sees it: 0.412 -> "41.2%", 0.065 -> "6.5%"."""
        if _missing(x):
            return "n/a"
        v = float(x) * self.scale
        if self.kind == "share":
            text = fmt_number(v, decimals=SHARE_DECIMALS)
            return f"{text} points" if self.axis == "percentage points" else f"{text}%"
        if self.kind in ("per_1000", "count"):
            return fmt_number(v, decimals=1)
        return fmt_number(v)

    def value_band(self, x, lo, hi) -> str:
        """A level and its band: "41.2% (40.5% to 47.4%)"; a difference of shares names its
        unit once, "45.3 points (40.5 to 47.4)" (a user check: "45.3 points (40.5 points to
        47.4 points)")."""
        bounds = [self.value(b) for b in (lo, hi)]
        if self.kind == "share" and self.axis == "percentage points":
            bounds = [b.removesuffix(" points") for b in bounds]
        return f"{self.value(x)} ({bounds[0]} to {bounds[1]})"

    def values(self, base, new) -> tuple[str, str]:
        """A baseline's level and an option's, read side by side, each at the measure's own
        precision (:meth:`value`): a level reads the same wherever it stands (a user check:
        the baseline's "Trust own group" read "78.673%" in one option's table and "79%" in
        another's). Two different levels may read alike ("19.2% to 19.2%"): the change,
        worked out before rounding, says by how much
        (:func:`sim.report.decision.change_words`)."""
        return self.value(base), self.value(new)

    def effect(self, x, *, signed: bool = True, most: int = 3) -> str:
        """An effect as the reader sees it: 0.041 -> "+4.1"; one decimal for shares, people
        per 1,000 and counts (more, up to ``most``, where it would round to 0), three
        significant figures otherwise."""
        if _missing(x):
            return "n/a"
        v = float(x) * self.scale
        decimals = self.effect_decimals(x, most)
        return fmt_number(v, decimals=decimals, signed=signed)

    def effect_in(self, x, lo, hi, *, signed: bool = True) -> str:
        """:meth:`effect` of ``x`` no more precise than its interval ``lo`` to ``hi``: "0.0"
        beside "−4.1 to 4.1", not "−0.003" (a user check); a narrow interval keeps the digits
        it needs ("+0.004" beside "0.001 to 0.008")."""
        bounds = [self.effect_decimals(b) for b in (lo, hi)]
        return self.effect(x, signed=signed, most=3 if None in bounds else max(bounds))

    def effect_decimals(self, x, most: int = 3) -> int | None:
        """The decimals :meth:`effect` gives ``x`` (None: three significant figures)."""
        if self.kind not in ("share", "per_1000", "count") or _missing(x):
            return None
        return _enough_decimals(float(x) * self.scale, 1, most)

    def with_unit(self, x, *, signed: bool = True) -> str:
        """An effect with its short unit: "+4.1 points", "+0.3 per 1,000"."""
        text = self.effect(x, signed=signed)
        if text == "n/a":
            return text
        unit = {"share": "points", "per_1000": "per 1,000"}.get(self.kind, self.effect_short)
        return f"{text} {unit}".strip()


SHARE_DECIMALS = 1  # a share's level, in percent: the effects' precision (points)


def _enough_decimals(v: float, decimals: int, most: int = 3) -> int:
    """``decimals``, or more (up to ``most``) when ``v`` is not zero but would round to it:
    an interval bound of 0.04 reads "0.04", not "0.0"."""
    while decimals < most and v != 0 and round(abs(v), decimals) == 0:
        decimals += 1
    return decimals


def _missing(x) -> bool:
    try:
        return x is None or math.isnan(float(x))
    except (TypeError, ValueError):
        return True


def _finite(x) -> bool:
    """A number, neither NaN nor infinite (nor a whole number too large for a float)."""
    try:
        return x is not None and math.isfinite(float(x))
    except (TypeError, ValueError, OverflowError):
        return False


def fmt_number(v: float, *, decimals: int | None = None, signed: bool = False) -> str:
    """A number for people: fixed decimals (``decimals``, or three significant figures up to
    three decimals), thousands separators, a true minus sign, never "-0.0" or "e-05"."""
    if _missing(v):
        return "n/a"
    v = float(v)
    if decimals is None:
        a = abs(v)
        decimals = 0 if a >= 100 else 1 if a >= 10 else 2 if a >= 1 else 3
    text = f"{abs(v):,.{decimals}f}"
    if float(text.replace(",", "")) == 0:
        return text  # rounds to nothing: no sign at all
    if v < 0:
        return MINUS + text
    return ("+" + text) if signed else text


def fmt_days(n: int) -> str:
    """A number of days in words: "1 day", "730 days", "36,500 days"."""
    return f"{n:,} day{'s' if n != 1 else ''}"


def fmt_gbp(v: float) -> str:
    """Pounds, rounded to what a cost estimate can claim: "£12,700", "£480"; "n/a" for no
    number or an infinite one (the loader bounds every price, so a report never should
    meet one; if it does, one cell says so rather than the whole report failing)."""
    if not _finite(v):
        return "n/a"
    step = 100 if abs(v) >= 1000 else 10
    # halves up, from the pence: an option of one programme costing 40,050.0000001 read
    # "£40,100" beside its programme's 40,050 at "£40,000" (Python's round: half to even)
    pence = round(abs(float(v)), 2)
    amount = math.copysign(math.floor(pence / step + 0.5) * step, v)
    return (MINUS if amount < 0 else "") + f"\u00a3{abs(amount):,.0f}"


def fmt_share(p: float) -> str:
    """A probability as a whole percentage ("78%"), "under 1%" / "over 99%" at the ends."""
    if _missing(p):
        return "n/a"
    pct = 100 * float(p)
    if 0 < pct < 1:
        return "under 1%"
    if 99 < pct < 100:
        return "over 99%"
    return f"{pct:.0f}%"


# a share of fewer runs than this is said as a count ("3 of 3", not "100%" of 3 runs, which
# reads as certainty beside an unclear verdict: a user check)
COUNT_BELOW = 20


def fmt_share_of(p: float, n: int) -> str:
    """A share of ``n`` runs: "3 of 3" below COUNT_BELOW runs, else as :func:`fmt_share`
    ("78%"). A run in which options tie is shared between them, so a count may hold part of
    a run: "1½ of 5" (a half, third or quarter: ties of two to four options), else to one
    decimal. A user check: a tie read "best in 10%" beside "best in 1 of 5"."""
    if not _missing(p) and 0 < n < COUNT_BELOW:
        k = float(p) * n
        whole = math.floor(k + 1e-6)
        part = k - whole
        if abs(part) < 1e-6:
            return f"{whole} of {n}"
        for value, glyph in _PARTS:
            if abs(part - value) < 1e-6:
                return f"{whole or ''}{glyph} of {n}"
        return f"{fmt_number(k, decimals=1)} of {n}"
    return fmt_share(p)


# parts of a run shared by a tie, as they are written
_PARTS = ((1 / 2, "\u00bd"), (1 / 3, "\u2153"), (2 / 3, "\u2154"), (1 / 4, "\u00bc"),
          (3 / 4, "\u00be"))


_IDENT = re.compile(r"\b([a-z][a-z0-9]*(?:_[a-z0-9]+)+)\b(\s*\((\d+(?:\.\d+)?)\))?")


def plain(text: str, metrics: dict | None = None) -> str:
    """``text`` with internal names made readable: a metric name becomes its label in
    quotes; a setting written with its value, ``unmet_need_days (7)``, becomes the value;
    any other name with underscores becomes words."""
    def swap(m: re.Match) -> str:
        name, value = m.group(1), m.group(3)
        known = (metrics or {}).get(name) or REGISTRY.get(name)
        if known is not None:
            return f"\u201c{display(name, metrics).label}\u201d" + (m.group(2) or "")
        if value is not None:
            return value
        return name.replace("_", " ")

    return _IDENT.sub(swap, text or "")


def display(name: str, metrics: dict[str, Metric] | None = None) -> Display:
    """The display of metric ``name`` (from ``metrics``, then the registry, else the name)."""
    m = (metrics or {}).get(name) or REGISTRY.get(name)
    if m is None:
        label = name.replace("_", " ").capitalize()
        return Display(name, label, "", "value", "units", "units", 1.0, None)
    unit = m.unit or ""
    doc = plain(m.doc, metrics) if m.doc else ""
    if name not in REGISTRY and ": " in m.label:  # "<programme label>: <what it counts>"
        return dataclasses.replace(_display(name, m, unit, doc),
                                   words=m.label.rsplit(": ", 1)[1])
    return _display(name, m, unit, doc)


def _display(name: str, m: Metric, unit: str, doc: str) -> Display:
    if unit == "share points":
        return Display(name, m.label, doc, "percentage points", "percentage points",
                       "points", 100.0, m.higher_is_better, "share")
    if unit.startswith("share"):
        rest = unit[len("share"):].strip()
        axis = f"% {rest}".strip()
        return Display(name, m.label, doc, axis, "percentage points", "points", 100.0,
                       m.higher_is_better, "share")
    if "per 1,000" in unit or "per 1000" in unit:
        return Display(name, m.label, doc, unit, unit, "per 1,000", 1.0, m.higher_is_better,
                       "per_1000")
    if m.kind == "community" and unit in ("residents", "organisers", "people", "helpers"):
        return Display(name, m.label, doc, unit, unit, unit, 1.0, m.higher_is_better, "count")
    return Display(name, m.label, doc, unit, unit, unit, 1.0, m.higher_is_better)
