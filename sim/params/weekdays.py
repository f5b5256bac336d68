"""Weekdays and months: one spelling of weekdays for scenario files, parameters and rules
(0 = Monday), and one length of a month for every conversion between months and days."""

from __future__ import annotations

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WEEKDAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
DAYS_PER_MONTH = 365.25 / 12  # days; the mean calendar month (a Julian year over 12)


def _whole(value) -> bool:
    """A whole number (Python or numpy), not a bool."""
    if isinstance(value, bool):
        return False
    return isinstance(value, int) or getattr(getattr(value, "dtype", None), "kind", "") in ("i",
                                                                                          "u")


def weekday_number(value) -> int:
    """A weekday as 0-6 (0 = Monday) from its short or full name (any case) or its number.
    Raises ValueError saying what is allowed."""
    if isinstance(value, str):
        word = value.strip().lower()
        if word in WEEKDAY_NAMES:
            return WEEKDAY_NAMES.index(word)
        if word in WEEKDAYS:
            return WEEKDAYS.index(word)
    elif _whole(value) and 0 <= int(value) <= 6:
        return int(value)
    shown = f"'{value}'" if isinstance(value, str) else repr(value)
    raise ValueError(f"expected a weekday name ({', '.join(WEEKDAYS)}) or a number 0-6 "
                     f"(0 = Monday), got {shown}")


def weekday_numbers(days) -> tuple[int, ...]:
    """Weekdays as sorted, distinct numbers 0-6 (see :func:`weekday_number`)."""
    return tuple(sorted({weekday_number(d) for d in days}))
