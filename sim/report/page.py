"""What the report's page is made from: the data a report shows (:class:`ReportData`, its
scenarios and charts) and the small pieces every section of the page uses (escaping, a chart
as a figure, a verdict's table cell, the steady window in words)."""

from __future__ import annotations

import base64
import html
import math
from dataclasses import dataclass, field

from sim.metrics import CORE_METRICS
from sim.report.decision import Decision, in_ranking_order
from sim.report.words import effect_interval, months_words

VERDICT_MARK = {"better": "\u2714 better", "worse": "\u2718 worse", "unclear": "\u25cb unclear",
                "changed": "\u25c6 changed",
                # an option that runs exactly as the baseline: no verdict to give (a user
                # check: every cell "unclear", as if it had been tested and found so)
                "same": "= baseline"}
VERDICT_LEGEND = (
    "<p class='legend'><span class='sw better'>\u2714 better</span> the option clearly "
    "improves the measure; <span class='sw worse'>\u2718 worse</span> it clearly makes it "
    "worse; <span class='sw'>\u25cb unclear</span> no clear change (the 95% interval "
    "includes no change); <span class='sw changed'>\u25c6 changed</span> a clear change in a "
    "measure with no better direction. Colours follow better and worse, not up and down: "
    "less unmet need is better. Changes in shares are in percentage points.</p>")


@dataclass
class ChartImage:
    title: str
    png: bytes
    alt: str
    caption: str = ""
    file: str = ""  # where the PNG is saved beside the report (charts/...)


@dataclass
class ScenarioInfo:
    name: str
    description: str
    file: str | None
    sha256: str | None
    file_text: str | None  # the TOML as written
    definition: dict  # the merged definition (after extends)
    interventions: list[tuple[str, int, int]]  # (label, first day, last day)
    residents: int
    replicates: int
    n_missing: int = 0
    cost: object = None  # sim.costs.ScenarioCost
    # whom each intervention is for, in its order ("newcomers and students"; "" = everyone)
    targets: list[str] = field(default_factory=list)


@dataclass
class ReportData:
    kind: str  # "compare" or "run"
    title: str
    scenarios: list[ScenarioInfo]  # the baseline first when comparing
    baseline: str | None
    summary: object  # pandas DataFrame (sim.ensemble.summary.SUMMARY_COLUMNS and more)
    days: int
    replicates: int
    root_seed: int
    seeds: list[int]
    charts: list[ChartImage]
    effects_chart: ChartImage | None
    manifest: dict
    model_doc_href: str = "docs/MODEL.md"
    n_parameters: int = 0
    n_calibrated: int = 0  # numeric settings calibrated ...
    n_fitted: int = 0  # ... holding this many parameters (one set alike in each section: one)
    problems: list[str] = field(default_factory=list)  # missing runs and other warnings
    metrics: dict | None = None  # extra Metric objects (interventions' own), by name
    settings_note: str = ""
    steady: tuple[int, int] | None = None  # the window verdicts average over
    decision: Decision | None = None
    durability: list = field(default_factory=list)  # sim.report.decision.durability rows
    different_community: dict = field(default_factory=dict)  # scenario -> differing keys
    # {option: (residents its files describe, the baseline's)}, run at one size all the same
    # (sim.report.community.sizes_set_aside)
    sizes_set_aside: dict = field(default_factory=dict)
    # {scenario: residents its files describe}, where any differs from the run's (else {})
    residents_in_files: dict = field(default_factory=dict)
    # {option that runs exactly as the baseline: why, in sentences}
    # (sim.report.job.why_as_baseline): its effects are zero by construction, which the page
    # says at its top
    as_baseline: dict[str, str] = field(default_factory=dict)
    # (option, an option before it that it runs exactly as): the same effects, run for run
    alike_options: list[tuple[str, str]] = field(default_factory=list)
    late_starts: list[str] = field(default_factory=list)
    late_options: dict = field(default_factory=dict)  # option -> its late starts, in words
    # programmes ended before the window: (option, programme, last day, days before it)
    early_ends: list[tuple] = field(default_factory=list)
    # measures that cannot move in this community (between groups, in a community of one:
    # sim.report.community.not_applicable), said as not measured wherever they would stand
    not_applicable: frozenset = frozenset()
    # each scenario's own interventions' Metric objects (sim.report.programmes.
    # scenario_metrics): an option's own tables name its own programme (metrics_for)
    own_metrics: dict = field(default_factory=dict)


def esc(text) -> str:
    return html.escape(str(text), quote=True)


def figure(chart: ChartImage) -> str:
    data = base64.b64encode(chart.png).decode("ascii")
    cap = esc(chart.caption) + " " if chart.caption else ""
    link = (f" <a href='{esc(chart.file)}'>Open the full-size chart</a>" if chart.file else "")
    img = f'<img src="data:image/png;base64,{data}" alt="{esc(chart.alt)}">'
    if chart.file:
        img = f"<a href='{esc(chart.file)}'>{img}</a>"
    return f"<figure>{img}<figcaption>{cap}{link}</figcaption></figure>"


def is_number(x) -> bool:
    try:
        return not math.isnan(float(x))
    except (TypeError, ValueError):
        return False


def rows_for(summary, scenario: str) -> dict:
    sub = summary[summary["scenario"] == scenario]
    return {r["metric"]: r for _, r in sub.iterrows()}


def in_order(d: ReportData) -> list[ScenarioInfo]:
    """The scenarios in the order every table of options lists them: the baseline first,
    then the options as the ranking orders them (best average rank first), so that an
    option has one place on the page. They were in the order of the command line, or of the
    files' names for the main job: "Combined package + critical friends" (critical_friend.toml)
    sat between "Common-cause project" and "Creative citizens", away from "Combined package",
    in a table below a ranking that had them together (a user check). As given where
    nothing is ranked (one scenario's run). The charts follow it too
    (:func:`sim.report.decision.in_ranking_order`)."""
    return in_ranking_order(d.scenarios, d.baseline, d.decision)


def metrics_for(d: ReportData, scenario: str) -> dict:
    """The Metric objects that label ``scenario``'s rows: the interventions' own merged by
    name across the scenarios (``d.metrics``, for what every option shares), its own over
    them. A user check: two options whose programmes are both named bridge_figures shared
    one label, so "Bridge figures" said "Bridge figures: ..." in its own table though its
    programme is "Bridge figures (by betweenness)"."""
    return {**(d.metrics or {}), **d.own_metrics.get(scenario, {})}


def core_metrics(summary) -> list[str]:
    present = set(summary["metric"])
    return [m for m in CORE_METRICS if m in present]


def steady_words(d: ReportData) -> str:
    return months_words(*d.steady) if d.steady else f"day {d.days:,}"


def legend_with_copies(copies: bool) -> str:
    """:data:`VERDICT_LEGEND`, with what "= baseline" means where an option runs exactly as
    the baseline (a user check: the mark was in the tables, unexplained)."""
    if not copies:
        return VERDICT_LEGEND
    return VERDICT_LEGEND.replace(
        ". Colours follow", "; <span class='sw'>= baseline</span> the option runs exactly as "
        "the baseline (its runs are the baseline's): there is no verdict to give. Colours "
        "follow", 1)



def verdict_cell(e, d_metric, *, extra: str = "", same: bool = False) -> str:
    """A ranking cell: the effect, its verdict under it (a line each, so that every column is
    about as wide as the widest of its pieces: beside each other they made the columns
    without "best in" lines wider, and the ranking wider than a desktop's page), then
    ``extra``; ``same``: an option that runs exactly as the baseline, marked so, not with a
    verdict."""
    if e is None:
        return "<td class='unclear'>n/a</td>"
    title = effect_interval(d_metric, e.effect, e.lo, e.hi)
    verdict = "same" if same else e.verdict
    return (f"<td class='{verdict} num split' title='{esc(title)}'><span class='n'>"
            f"{esc(d_metric.effect(e.effect))}</span><br>"
            f"<span class='v'>{esc(VERDICT_MARK[verdict])}</span>{extra}</td>")


def scroll(table_html: str) -> str:
    return f"<div class='scroll'>{table_html}</div>"


def row_verdict(row, disp) -> str:
    """A summary row's verdict over the steady window ("unclear" without an interval)."""
    from sim.report.verdict import verdict

    lo, hi = row.get("effect_steady_lo"), row.get("effect_steady_hi")
    if not (is_number(lo) and is_number(hi)):
        return "unclear"
    return verdict(float(lo), float(hi), disp.higher_is_better)
