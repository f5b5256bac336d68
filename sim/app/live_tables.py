"""The live page's small HTML tables: the running difference from the baseline, the picked
resident's state, and what the charted measures mean (from the metric registry)."""

from __future__ import annotations

import html

from sim.app.live_charts import LIVE_PANELS
from sim.app.session import Frame
from sim.metrics import REGISTRY
from sim.palette import NOTE_TEXT, VERDICT_TINTS
from sim.report.units import display, fmt_number

DIFF_HEADS = ("Measure", "This setup", "Baseline", "Difference today", "Last 4 weeks")
# a difference's cell style by its verdict (the report's table shades them alike)
VERDICT_STYLE = {**{k: f"background:{tint}" for k, tint in VERDICT_TINTS.items()},
                 "same": f"color:{NOTE_TEXT}"}
# said of a measure recorded as a share whose chart (and row) gives it per 1,000 residents
PER_1000_NOTE = "The chart and the table give it per 1,000 residents."


def resident_table_html(rows) -> str:
    """The picked resident's ``(label, value)`` rows as a two-column table."""
    cells = "".join(
        f"<tr><td style='padding:1px 8px 1px 0;color:#444'>{html.escape(k)}</td>"
        f"<td style='padding:1px 0'><b>{html.escape(v)}</b></td></tr>" for k, v in rows)
    return f"<table class='resident-state' style='font-size:13px'>{cells}</table>"


def _fmt(x: float, unit: str, signed: bool = False, decimals: int = 1) -> str:
    """A value or (``signed``) a difference in the table's ``unit``; through the report's
    :func:`~sim.report.units.fmt_number`, so a difference that rounds to nothing reads
    "0.0 points", never "-0.0 points" (a user saw that)."""
    if x != x:  # NaN
        return "n/a"
    if unit == "per 1,000":  # the report's unit for these: people per 1,000 residents;
        # a difference too, as "points" is said of the shares' (a user check: "+12.0")
        return f"{fmt_number(x, decimals=decimals, signed=signed)} per 1,000"
    return (f"{fmt_number(x, decimals=decimals, signed=True)} points" if signed
            else f"{fmt_number(x, decimals=decimals)}%")


def _difference(d) -> str:
    """Today's difference, to one decimal; to two where it would read 0.0 beside values
    that read differently (a user check: "13.9% | 13.8% | 0.0 points")."""
    apart = _fmt(d.value, d.unit) != _fmt(d.baseline, d.unit)
    nothing = d.diff == d.diff and round(abs(d.diff), 1) == 0
    return _fmt(d.diff, d.unit, True, decimals=2 if apart and nothing else 1)


def differences_html(frame: Frame) -> str:
    """The running difference from the baseline, one row per charted measure."""
    if not frame.has_ghost:
        return ("<p class='live-differences ks-note'>This setup has no interventions, so there "
                "is no baseline to compare with: add one in the panel.</p>")
    rows = []
    for d in frame.differences:  # the four weeks' difference shaded by its verdict; one
        # day's is left plain (a day of one run is mostly chance: a user read "-7.8 points"
        # in orange beside "+1.0" in blue over four weeks as a verdict)
        cells = [(d.label, "", ""), (_fmt(d.value, d.unit), "num", ""),
                 (_fmt(d.baseline, d.unit), "num", ""),
                 (_difference(d), "num", ""),
                 (_fmt(d.recent_diff, d.unit, True), "num", _shade(d, d.recent_diff))]
        rows.append("<tr>" + "".join(
            f"<td class='{cls}' style='{css}' data-label='{head}'>{html.escape(text)}</td>"
            for (text, cls, css), head in zip(cells, DIFF_HEADS, strict=True)) + "</tr>")
    heads = "".join(f"<th>{h}</th>" for h in DIFF_HEADS)
    return (f"<table class='ks-table ks-stack live-differences'><tr>{heads}</tr>"
            f"{''.join(rows)}</table><p class='ks-note'>Baseline: the same community with "
            "no interventions, same seed, run beside this one. One run: chance alone moves "
            "these numbers by a little; the compare page gives intervals over many runs. "
            "Blue: better, orange: worse over the last 4 weeks, by at least 1 point or 1 "
            "per 1,000 residents; "
            "a single day is too noisy to call either way.</p>")


def _shade(d, value: float) -> str:
    """The cell style of difference ``value`` of measure ``d``: its own verdict's."""
    return VERDICT_STYLE.get(d.verdict_of(value), "")


def metric_help_html() -> str:
    """What each charted measure means, in the report's plain words (sim.report.units), in
    the charts' order, and how its chart shows it where that is not the measure's own unit."""
    items = "".join(
        f"<li><b>{html.escape(display(name).label)}</b>: {html.escape(display(name).doc)}"
        + (f" {PER_1000_NOTE}" if _brought_to_1000(panel, name) else "") + "</li>"
        for panel in LIVE_PANELS for name in panel.metrics if name in REGISTRY)
    return f"<ul style='font-size:12px;padding-left:16px;margin:0'>{items}</ul>"


def _brought_to_1000(panel, name: str) -> bool:
    """Whether ``panel`` shows measure ``name`` per 1,000 residents though its words describe
    another unit (a share of residents): the reader is told."""
    return panel.scale == "per_1000" and display(name).kind != "per_1000"
