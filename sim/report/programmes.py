"""The interventions of a job's scenarios as the report sees them: the metrics they add,
their windows, the steady window every verdict averages over, and programmes that start too
late in the run for a settled verdict."""

from __future__ import annotations

import dataclasses

from sim.params import SETTLED_DAY
from sim.report.words import listed_words


def metrics_of(iv) -> list:
    """The metrics an intervention adds ([] when asking for them fails)."""
    try:
        return list(iv.metrics())
    except Exception:  # noqa: BLE001 - a label lookup must not sink the report
        return []


def intervention_metrics(scenarios) -> dict:
    """The Metric objects interventions add (for labels and units), by name; without their
    functions, so that they can travel to the processes that draw charts."""
    return {m.name: dataclasses.replace(m, fn=None)
            for s in scenarios for iv in s.interventions for m in metrics_of(iv)}


def scenario_metrics(scenarios) -> dict[str, dict]:
    """{scenario name: the Metric objects its own interventions add, by name}, without their
    functions: two scenarios may name the same metric for differently labelled programmes
    ("bridge_figures_reached" of "Bridge figures" in one and of "Bridge figures (by
    betweenness)" in another), which :func:`intervention_metrics` merges into one label."""
    return {s.name: {m.name: dataclasses.replace(m, fn=None)
                     for iv in s.interventions for m in metrics_of(iv)} for s in scenarios}


def intervention_windows(scenario, days: int) -> list[tuple[str, int, int]]:
    return [(getattr(iv, "label", type(iv).__name__), *iv.window(days))
            for iv in scenario.interventions]


def targeting_words(iv) -> str:
    """Whom an intervention is for, in words: "newcomers and students", "activist and
    empathic residents", "activist residents of newcomers"; "" for everyone (a user check:
    a targeted hub and an untargeted one read alike in the report)."""
    def listed(names) -> str:
        return listed_words(str(n).replace("_", " ") for n in names)

    sections = tuple(getattr(iv, "target_sections", ()) or ())
    orientations = tuple(getattr(iv, "target_orientations", ()) or ())
    if orientations and sections:
        return f"{listed(orientations)} residents of {listed(sections)}"
    if orientations:
        return f"{listed(orientations)} residents"
    return listed(sections) if sections else ""


def steady_window(days: int) -> tuple[int, int]:
    """The window every verdict averages over: the last quarter of the run."""
    q = max(1, days // 4)
    return days - q + 1, days


def settled_days() -> int:
    """The shortest run whose steady window starts after the community has settled
    (SETTLED_DAY): what a warning about unsettled verdicts suggests."""
    days = SETTLED_DAY
    while steady_window(days)[0] <= SETTLED_DAY:
        days += 1
    return days


def unsettled(days: int) -> bool:
    """Whether a run of ``days`` takes its verdicts before the community has settled."""
    return steady_window(days)[0] <= SETTLED_DAY


def settling_words(days: int, verdicts: str, until: str) -> str | None:
    """The command line's warning of verdicts taken before the community has settled, or
    None for a run long enough: ``verdicts`` says what averages the window ("the verdicts
    will average"), ``until`` what not to do before a longer run ("deciding")."""
    if not unsettled(days):
        return None
    first, last = steady_window(days)
    return (f"warning: {verdicts} days {first:,} to {last:,}, while the simulated community "
            f"is still settling (it has mostly settled after about {SETTLED_DAY} days); use "
            f"--days {settled_days()} or more (730 is the standard) before {until}")


def early_ends(scenarios, steady: tuple[int, int]) -> list[tuple[str, str, int, int]]:
    """Programmes that end before the steady window, as (option, programme, last day, days
    before the window): their verdicts show what is left of them after they stopped, not
    what they did while they ran (a user check: a new area's cafe, open months 3 to 15, was
    judged "no clear change" over days 549 to 730, while it was clearly better at its end)."""
    out = []
    for s in scenarios:
        for iv in s.interventions:
            end = getattr(iv, "end_day", None)
            if end is not None and end < steady[0]:
                out.append((s.name, getattr(iv, "label", type(iv).__name__), int(end),
                            steady[0] - int(end)))
    return out


def early_end_words(ends) -> str:
    """:func:`early_ends` in words: "Common cause for one year: Common-cause project (one
    year) ends on day 457, 92 days before the window"; one per programme, by semicolons."""
    return "; ".join(f"{option}: {programme} ends on day {end:,}, {gap:,} "
                     f"day{'s' if gap != 1 else ''} before the window"
                     for option, programme, end, gap in ends)


RAMP_DAYS = 91  # days a programme runs before its verdicts count as judged (assumption:
# three months, the time the shipped programmes' reach and ties take to build)


def late_starts(scenarios, steady: tuple[int, int], ramp_days: int = RAMP_DAYS) -> list[str]:
    """Programmes that start inside the steady window, or less than three months before
    it: their verdicts come from a programme that is still settling in (each said as which
    of the two)."""
    return [words for _, _, words in _late(scenarios, steady, ramp_days)]


def late_options(scenarios, steady: tuple[int, int]) -> dict[str, list[str]]:
    """:func:`late_starts` by option name, each with the days that would judge it, for the
    decision card beside an option it names."""
    out: dict[str, list[str]] = {}
    for s, iv, _ in _late(scenarios, steady, RAMP_DAYS):
        start = int(iv.start_day)
        where = (f"inside the verdicts' window (at most {steady[1] - start + 1:,} of its "
                 f"{steady[1] - steady[0] + 1:,} days)" if start >= steady[0] else
                 f"{steady[0] - start:,} days before the verdicts' window")
        # short: a card says it beside each outcome the option is named for
        out.setdefault(s.name, []).append(
            f"{getattr(iv, 'label', type(iv).__name__)} starts on day {start:,}, {where}; "
            f"{judged_from_days(start):,} days or more would judge it")
    return out


def judged_from_days(start_day: int) -> int:
    """The fewest days of a run whose verdicts' window begins RAMP_DAYS or more after a
    programme starting on ``start_day`` began: what a warning of a late start suggests."""
    days = max(1, int(start_day))
    while steady_window(days)[0] < start_day + RAMP_DAYS:
        days += 1
    return days


def late_start_warnings(scenarios, days: int) -> list[str]:
    """The command line's warnings, before the runs, of the options' programmes that start
    late for the verdicts' window (:func:`late_start_advice`); the report says it too (a
    user check: a cafe opening on day 600 of 610 was the card's "largest average
    improvement", unwarned). ``scenarios``: the baseline first."""
    return [f"warning: {s.path or s.name}: {words}" for s, _, words in
            late_start_advice(scenarios[1:], days, lambda d: f"--days {d:,}")]


def late_start_advice(options, days: int, days_words) -> list[tuple[object, int, str]]:
    """(option, the days that would judge it, words) for each programme of ``options`` that
    starts late for a run of ``days`` (:func:`late_starts`) and is not judged by the days a
    warning of an unsettled run asks for (:func:`settling_words`), the words saying the days that
    would judge it after three months of running (``days_words(days)``: how to ask for
    them, "--days 919" or the page's "920 days")."""
    steady = steady_window(days)
    window = f"the verdicts' window (days {steady[0]:,} to {steady[1]:,})"
    out = []
    for s, iv, words in _late(options, steady, RAMP_DAYS):
        enough = judged_from_days(iv.start_day)
        out.append((s, enough,
                    f"{words.replace('the window itself', window).replace('the window', window)}"
                    f"; use {days_words(enough)} or more to judge it after three months (91 "
                    "days) of running"))
    return out


def _late(scenarios, steady: tuple[int, int], ramp_days: int):
    """(scenario, intervention, words) for each programme starting late for ``steady``,
    but not one that the days a warning of an unsettled run asks for would judge (a quick
    look of 120 days is not told, nor its report, of every programme starting on day 90:
    a user check)."""
    covered = settled_days() if unsettled(steady[1]) else 0
    for s in scenarios:
        for iv in s.interventions:
            start = int(getattr(iv, "start_day", 0))
            if start > steady[1]:  # never acts: refused before the runs
                continue
            if start > steady[0] - ramp_days and judged_from_days(start) <= covered:
                continue
            label = getattr(iv, "label", type(iv).__name__)
            name = label if label == s.name else f"{label} ({s.name})"
            if start >= steady[0]:
                ran, length = steady[1] - start + 1, steady[1] - steady[0] + 1
                yield s, iv, (f"{name} starts on day {start:,}, inside the window itself, so "
                              f"it runs on at most {ran:,} of the {length:,} days the "
                              "verdicts average")
            elif start > steady[0] - ramp_days:
                ahead = steady[0] - start
                yield s, iv, (f"{name} starts on day {start:,}, {ahead} "
                              f"day{'s' if ahead != 1 else ''} before the window")
