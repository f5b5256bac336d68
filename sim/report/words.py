"""Effects and windows in words, for people who do not read charts of intervals every day.

:func:`effect_interval` writes an effect with its 95% interval in the metric's own unit
("+4.1 (2.3 to 5.9)": percentage points for a share, people per 1,000, a true minus sign);
:func:`months_words` writes a window of days with the months it spans ("days 549 to 730
(months 18 to 24)"). The report's tables, sentences and charts use them, so that every
place says an effect and a window the same way. :func:`sentences` joins pieces of text
written elsewhere (a scenario's description) into sentences, one full stop each.
"""

from __future__ import annotations

import math
import re

from sim.params import DAYS_PER_MONTH
from sim.report.units import fmt_number


def _isnan(x) -> bool:
    try:
        return x is None or math.isnan(float(x))
    except (TypeError, ValueError):
        return True


def effect_interval(d, e, lo, hi) -> str:
    """"+4.1 (2.3 to 5.9)": an effect and its 95% interval, bounds unsigned when positive."""
    if _isnan(e):
        return "n/a"
    if _isnan(lo) or _isnan(hi):
        return f"{d.effect(e)} (interval needs 2 or more runs)"
    return (f"{d.effect_in(e, lo, hi)} ({d.effect(lo, signed=False)} to "
            f"{d.effect(hi, signed=False)})")


def months_words(first_day: int, last_day: int) -> str:
    """"days 549 to 730 (months 18 to 24)"."""
    m0, m1 = (first_day - 1) / DAYS_PER_MONTH, last_day / DAYS_PER_MONTH
    a, b = fmt_number(m0, decimals=0), fmt_number(m1, decimals=0)
    # months from the start of the run; one figure when both round to it ("months 1 to 1")
    if a != b:
        months = f"months {a} to {b}"
    else:
        months = "the first month" if a == "0" else f"about {a} month{'' if a == '1' else 's'} in"
    return f"days {first_day:,} to {last_day:,} ({months})"


# a sentence's end: its mark, then any closing quotes or brackets ('... "it works."')
_ENDED = re.compile(r"[.!?\u2026][\"'\u201d\u2019)\]]*$")


def sentences(*pieces: str) -> str:
    """Pieces of text as sentences, one space apart: each ends with exactly one mark (a
    description ending "." or "?" keeps its own; one ending with none, or with ",", ";" or
    ":", gets a full stop), and empty pieces are left out ("Made on the live page from
    baseline.toml. . No programme cost." had both a doubled stop and an empty piece)."""
    out = []
    for piece in pieces:
        text = (piece or "").strip()
        if not _ENDED.search(text):
            text = text.rstrip(",;: ")
            if text:
                text += "."
        if text:
            out.append(text)
    return " ".join(out)


def listed_words(items) -> str:
    """"a", "a and b", "a, b and c"."""
    items = list(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
