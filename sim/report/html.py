"""``report.html``: one page that answers "what should we fund, for which outcome, how sure,
at what cost to the helpers", for people who have never run Python.

A comparison's page says, in order: the decision card (for each headline outcome the best
option, its effect with its 95% interval, its chance of being best over the paired runs, its
cost and effect per GBP 10,000 a year, and the trade-offs it carries); a ranking of every
option; strain on helpers in people per 1,000 residents; what happens after a programme
ends; what each option costs; each option in words; the charts; what was compared and how;
the scenario definitions; assumptions and caveats; and the run's metadata. Every verdict
uses the steady window stated at the top: the card, the tables, the words and the forest
plot show the same numbers.

The page needs no script, font or stylesheet from anywhere: the CSS is inline and the
charts are inside it as PNG, each linked to its full-size file in ``charts/``. At a phone's
width the page does not scroll sideways (wide tables scroll inside their box).

:func:`render_report` takes a :class:`ReportData` and returns the HTML text; it reads nothing
and writes nothing.
"""

from __future__ import annotations

import base64
import html
import json
import math
from dataclasses import dataclass, field

from sim.metrics import CORE_METRICS
from sim.report.decision import (
    Decision,
    change_words,
    cost_words,
    headline_outcomes,
    lower_first,
    organiser_measures,
    people_measures,
)
from sim.report.units import _enough_decimals, display, fmt_gbp, fmt_number, fmt_share
from sim.report.words import effect_interval, months_words

CSS = """
*{box-sizing:border-box}
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;
 color:#1a1a1a;max-width:1180px;margin:0 auto;padding:.8em 1.2em 4em;line-height:1.45;
 font-size:16px;background:#fff;overflow-wrap:anywhere}
h1{font-size:1.6em;margin:.1em 0 .15em;line-height:1.2}
h2{font-size:1.3em;margin-top:1.8em;border-bottom:2px solid #0072B2;padding-bottom:.15em}
h3{font-size:1.05em;margin:1.2em 0 .3em}
.lede{color:#333;margin:.2em 0 .6em}.muted{color:#555;font-size:.92em}
.box{background:#F4F8FB;border-left:4px solid #0072B2;padding:.6em 1em;margin:1em 0}
.warn{background:#FFF1E6;border-left:5px solid #D55E00;padding:.6em 1em;margin:.6em 0}
.warn strong{color:#8a3300}
.card{border:2px solid #0072B2;border-radius:8px;padding:.6em .8em .4em;margin:.4em 0 1em}
.card h2{margin:0 0 .4em;border:0;padding:0;font-size:1.2em}
.picks{display:grid;grid-template-columns:repeat(auto-fit,minmax(205px,1fr));gap:.6em}
.pick{border:1px solid #d6d6d6;border-top:6px solid #8C8C8C;border-radius:6px;
 padding:.45em .6em;font-size:.9em;background:#fff}
.pick-better{border-top-color:#0072B2}.pick-worse{border-top-color:#D55E00}
.pick-none{border-top-color:#BBBBBB;background:#FAFAFA}
.pick h3{margin:0 0 .2em;font-size:1em}.pick p{margin:.18em 0}
.pick .opt{font-weight:700;font-size:1.05em}
.pick .big{font-size:1.25em;font-weight:700;font-variant-numeric:tabular-nums}
.pick .ci{font-weight:400;font-size:.8em;color:#444}
.pick .trade{color:#8a3300}.pick .ok{color:#2d5f2d}
.legend{font-size:.85em;color:#333;margin:.5em 0 .2em}
.scroll{overflow-x:auto;max-width:100%;margin:.5em 0 1em;-webkit-overflow-scrolling:touch}
table{border-collapse:collapse;font-size:.88em}
.scroll table{margin:0}
th,td{border:1px solid #d6d6d6;padding:.3em .5em;text-align:left;vertical-align:top;
 overflow-wrap:normal;word-break:normal}
td.name,th.name{min-width:9em}td.wide{min-width:16em}
th{background:#f0f0f0}td.num{text-align:right;font-variant-numeric:tabular-nums;
 white-space:nowrap}
.better{background:#DCEBF7}.worse{background:#FBE3D6}.unclear{color:#555}
.changed{background:#EEE6F3}
td.better,td.worse,td.unclear,td.changed{white-space:nowrap}
.v{font-size:.85em;white-space:nowrap}
.sw{display:inline-block;padding:0 .35em;border:1px solid #ccc;border-radius:3px}
figure{margin:1em 0}figure img{max-width:100%;height:auto;border:1px solid #e3e3e3}
figcaption{font-size:.88em;color:#444}
pre{background:#f7f7f7;border:1px solid #e1e1e1;padding:.7em;overflow-x:auto;font-size:.82em;
 line-height:1.35;white-space:pre-wrap;overflow-wrap:anywhere}
details{margin:.5em 0}summary{cursor:pointer;font-weight:600}
code{background:#f2f2f2;padding:0 .25em;border-radius:3px}
nav{font-size:.92em;margin:.4em 0}nav a{margin-right:.9em;white-space:nowrap}
@media (max-width:600px){body{padding:.5em .7em 3em;font-size:15px}
 h1{font-size:1.3em}.card{padding:.5em}}
"""

OPEN_FILE_LINES = 40  # longer scenario files are shown folded
VERDICT_MARK = {"better": "\u2714 better", "worse": "\u2718 worse", "unclear": "\u25cb unclear",
                "changed": "\u25c6 changed"}
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
    n_calibrated: int = 0
    problems: list[str] = field(default_factory=list)  # missing runs and other warnings
    metrics: dict | None = None  # extra Metric objects (interventions' own), by name
    settings_note: str = ""
    steady: tuple[int, int] | None = None  # the window verdicts average over
    decision: Decision | None = None
    durability: list = field(default_factory=list)  # sim.report.decision.durability rows
    different_community: dict = field(default_factory=dict)  # scenario -> differing keys
    late_starts: list[str] = field(default_factory=list)


def _e(text) -> str:
    return html.escape(str(text), quote=True)


def _img(chart: ChartImage) -> str:
    data = base64.b64encode(chart.png).decode("ascii")
    cap = _e(chart.caption) + " " if chart.caption else ""
    link = (f" <a href='{_e(chart.file)}'>Open the full-size chart</a>" if chart.file else "")
    img = f'<img src="data:image/png;base64,{data}" alt="{_e(chart.alt)}">'
    if chart.file:
        img = f"<a href='{_e(chart.file)}'>{img}</a>"
    return f"<figure>{img}<figcaption>{cap}{link}</figcaption></figure>"


def _num(x) -> bool:
    try:
        return not math.isnan(float(x))
    except (TypeError, ValueError):
        return False


def _rows_for(summary, scenario: str) -> dict:
    sub = summary[summary["scenario"] == scenario]
    return {r["metric"]: r for _, r in sub.iterrows()}


def _core(summary) -> list[str]:
    present = set(summary["metric"])
    return [m for m in CORE_METRICS if m in present]


def _window(d: ReportData) -> str:
    return months_words(*d.steady) if d.steady else f"day {d.days:,}"


def _verdict_cell(e, d_metric, *, extra: str = "") -> str:
    if e is None:
        return "<td class='unclear'>n/a</td>"
    title = effect_interval(d_metric, e.effect, e.lo, e.hi)
    return (f"<td class='{e.verdict} num' title='{_e(title)}'>{_e(d_metric.effect(e.effect))} "
            f"<span class='v'>{_e(VERDICT_MARK[e.verdict])}</span>{extra}</td>")


def _scroll(table_html: str) -> str:
    return f"<div class='scroll'>{table_html}</div>"


# -- the top of the page ------------------------------------------------------------------


def _lede(d: ReportData) -> str:
    residents = sorted({s.residents for s in d.scenarios})
    res = (f"{residents[0]:,} residents" if len(residents) == 1
           else f"{residents[0]:,} to {residents[-1]:,} residents")
    n = len(d.scenarios) - 1
    return (f"<p class='lede'>{n} option{'s' if n != 1 else ''} compared with "
            f"<strong>{_e(d.baseline)}</strong> in a simulated community of {res} over "
            f"{d.days:,} days (about {d.days / 365:.1f} years), {d.replicates} paired runs "
            f"each. Every verdict below averages each run over <strong>{_e(_window(d))}"
            "</strong>, the last quarter of the run, rather than trusting one noisy day."
            + (" Some programmes start late: see <a href='#what'>What was compared</a>."
               if d.late_starts else "") + "</p>")


def _community_warning(d: ReportData) -> str:
    if not d.different_community:
        return ""
    items = "".join(f"<li><strong>{_e(name)}</strong> differs from {_e(d.baseline)} in: "
                    f"{_e('; '.join(keys))}</li>" for name, keys in d.different_community.items())
    return ("<div class='warn' id='different-community'><strong>These pairs are not the same "
            "community.</strong> Some options describe a different place from the baseline, "
            "not only different interventions, so their \u201ceffects\u201d mix what the "
            "interventions do with how the places differ, and the intervals do not show "
            f"this. Read them with care.<ul>{items}</ul>To compare like with like, make an "
            "area baseline (<code>python run.py new-area NAME</code>) and compare options that "
            "extend it.</div>")


def _pick_html(p, d: ReportData) -> str:
    disp = display(p.metric, d.metrics)
    if not p.measured:
        return ("<div class='pick pick-none'><h3>Strain on helpers</h3><p>Not measured yet: this "
                "version of the model has no measure of strain among the most active helpers "
                "(the civic core). Burnout is shown under <a href='#strain'>Strain on "
                "helpers</a>.</p></div>")
    if p.effect is None:
        return (f"<div class='pick pick-none'><h3>{_e(p.label)}</h3><p>No effect could be "
                "computed.</p></div>")
    e = p.effect
    clear = e.verdict == "better"
    interval = (f"{disp.effect(e.lo, signed=False)} to {disp.effect(e.hi, signed=False)}"
                if _num(e.lo) else "no interval")
    unit = "points" if disp.kind == "share" else disp.effect_short
    lines = [f"<h3>{_e(p.label)}</h3>"]
    if clear:
        lines.append(f"<p>Best: <span class='opt'>{_e(p.best)}</span></p>")
    else:
        lines.append(f"<p>No option clearly improves this. Closest: <span class='opt'>"
                     f"{_e(p.best)}</span></p>")
    lines.append(f"<p class='big'>{_e(disp.effect(e.effect))} {_e(unit)} <span class='ci'>"
                 f"({_e(interval)})</span> <span class='v'>{_e(VERDICT_MARK[e.verdict])}"
                 "</span></p>")
    sure = ""
    if _num(p.p_best):
        nxt = (f"; next {_e(p.runner_up)}, {_e(fmt_share(p.runner_up_p))}"
               if p.runner_up and _num(p.runner_up_p) and p.runner_up_p > 0 else "")
        sure = (f"<br>Best in {_e(fmt_share(p.p_best))} of {d.decision.n_pairs} paired runs"
                f"{nxt}")
    levels = change_words(disp, e.base_level, e.level, clear=False, arrow=True)
    lines.append(f"<p class='muted'>{_e(levels)}{sure}</p>")
    cost = cost_words(p.cost_per_year)
    if cost == "no programme cost":
        lines.append("<p>No programme cost</p>")
    else:
        per = ""
        if _num(p.per_10k[0]):
            per = (f"; {_e(_per_10k(disp, p.per_10k[0]))} {_e(unit)} per \u00a310,000 "
                   f"({_e(_per_10k(disp, p.per_10k[1], signed=False))} to "
                   f"{_e(_per_10k(disp, p.per_10k[2], signed=False))})")
        lines.append(f"<p>{_e(cost[:1].upper() + cost[1:])}{per}</p>")
    if p.value_best and p.value_best != p.best:
        lines.append(f"<p>Most per \u00a310,000: <strong>{_e(p.value_best)}</strong> "
                     f"({_e(_per_10k(disp, p.value_per_10k))})</p>")
    if p.tradeoffs:
        lines.append("<p class='trade'>Worse on: " + _e("; ".join(p.tradeoffs)) + "</p>")
    else:
        lines.append("<p class='ok'>No clear harm to the other outcomes or to helpers</p>")
    cls = "better" if clear else ("worse" if e.verdict == "worse" else "none")
    return f"<div class='pick pick-{cls}'>{''.join(lines)}</div>"


def _per_10k(disp, v, *, signed: bool = True) -> str:
    """An effect per GBP 10,000 a year, with two decimals (more when it would round to 0)."""
    if not _num(v):
        return "n/a"
    x = float(v) * disp.scale
    return fmt_number(x, decimals=_enough_decimals(x, 2), signed=signed)


def _section_decision(d: ReportData) -> str:
    dec = d.decision
    picks = "".join(_pick_html(p, d) for p in dec.picks)
    return (f"<section class='card' id='decision'><h2>What to fund: the best option for each "
            f"outcome</h2><div class='picks'>{picks}</div>"
            "<p class='legend'>Each effect is the average difference between an option's run "
            f"and the baseline's run with the same seed, over {_e(_window(d))}, with its 95% "
            "interval in brackets, then the level with the baseline \u2192 with the option. "
            "\u201cBest in\u201d is the share of paired runs in which the option did best of all, "
            "doing nothing included. Cost per year counts only the days each programme runs; "
            "effects per \u00a310,000 are per \u00a310,000 a year. \u201cWorse on\u201d lists the "
            "other outcomes and measures of strain it clearly makes worse. Top edge of each "
            "box: blue, a clear improvement; orange, even the best option makes it worse; "
            "grey, no clear change or not measured.</p></section>")


def _section_ranking(d: ReportData) -> str:
    dec = d.decision
    people = people_measures(d.summary["metric"])
    head = ["#", "Option"] + [display(m, d.metrics).label for m in dec.outcomes] + [
        display(m, d.metrics).short + " (per 1,000 residents)" for m in people] + [
        "Cost a year", "Clearly better / worse on"]
    rows = ["<tr>" + "".join(f"<th>{_e(h)}</th>" for h in head) + "</tr>"]
    for i, r in enumerate(dec.ranking, 1):
        is_base = r.scenario == d.baseline
        name = _e(r.scenario) + (" <span class='muted'>(doing nothing)</span>"
                                 if is_base else "")
        cells = [f"<td class='num'>{i}</td>", f"<td class='name'>{name}</td>"]
        for m in dec.outcomes + people:
            disp = display(m, d.metrics)
            if is_base:
                rows_b = _rows_for(d.summary, r.scenario).get(m)
                level = disp.value(rows_b["mean_steady"]) if rows_b is not None else "n/a"
                p = r.p_best.get(m)
                best = (f"<br><span class='muted'>best in {_e(fmt_share(p))}</span>"
                        if m in dec.outcomes and _num(p) and p > 0 else "")
                cells.append(f"<td class='num'>{_e(level)}{best}</td>")
                continue
            p = r.p_best.get(m)
            extra = (f"<br><span class='muted'>best in {_e(fmt_share(p))}</span>"
                     if m in dec.outcomes and _num(p) and p > 0 else "")
            cells.append(_verdict_cell(r.effects.get(m), disp, extra=extra))
        cells.append(f"<td class='num'>{_e(cost_words(r.cost_per_year))}</td>")
        cells.append("<td class='num'>\u2014</td>" if is_base else
                     f"<td class='num'>{r.n_better} / {r.n_worse}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    n_out = len(dec.outcomes)
    return (f"<h2 id='ranking'>All options ranked</h2><p>Ordered by average rank: in each "
            f"paired run the options (and doing nothing) are ranked on each of the "
            f"{n_out} headline outcome{'s' if n_out != 1 else ''} measured, 1 being best; the "
            "table is ordered by the average of those ranks, each outcome counting equally. "
            "Cells give the change against the baseline over the steady window; the "
            "baseline's row gives its own levels.</p>"
            + _scroll("<table class='rank'>" + "".join(rows) + "</table>") + VERDICT_LEGEND)


def _nav(d: ReportData, compare: bool) -> str:
    items = ([("decision", "What to fund"), ("ranking", "Ranking"), ("strain", "Strain on "
             "helpers")] + ([("lasting", "After a programme ends")] if d.durability else [])
             + [("costs", "Costs"), ("words", "Each option in words")]) if compare else [
        ("tables", "Where the community ends up")]
    items += [("charts", "Charts"), ("what", "What was compared, and how"),
              ("definitions", "Scenario files"), ("caveats", "Caveats"),
              ("metadata", "Run metadata")]
    return "<nav>" + "".join(f"<a href='#{a}'>{_e(t)}</a>" for a, t in items) + "</nav>"


# -- strain, durability, costs ---------------------------------------------------------------


def _section_strain(d: ReportData) -> str:
    present = set(d.summary["metric"])
    people = people_measures(present)
    organisers = organiser_measures(present)
    measured, _ = headline_outcomes(present)
    strain = ["helper_strain"] if "helper_strain" in measured else []
    out = ["<h2 id='strain'>Strain on helpers</h2>",
           "<p>The few who do most of the helping carry the cost of more help being asked "
           "and offered. Here in people: residents per 1,000, and organisers under strain "
           f"where an option has organisers, averaged over {_e(_window(d))}.</p>"]
    if not strain:
        out.append("<p class='muted'>Strain among the most active helpers (the civic core) is "
                   "not measured by this version of the model; it will appear here and on "
                   "the card once it is.</p>")
    measures = strain + people + organisers
    if not measures:
        out.append("<p>No measure of strain or burnout is in these runs.</p>")
        return "\n".join(out)
    head = "<tr><th>Option</th>" + "".join(
        f"<th>{_e(display(m, d.metrics).short)} <span class='muted'>"
        f"({_e(display(m, d.metrics).axis)})</span></th>" for m in measures) + "</tr>"
    rows = [head]
    for s in d.scenarios:
        r = _rows_for(d.summary, s.name)
        cells = [f"<td class='name'>{_e(s.name)}</td>"]
        for m in measures:
            disp = display(m, d.metrics)
            row = r.get(m)
            if row is None or not _num(row["mean_steady"]):
                cells.append("<td class='unclear'>no such role</td>")
                continue
            if s.name == d.baseline:
                cells.append(f"<td class='num'>{_e(disp.value(row['mean_steady']))}</td>")
                continue
            if not _num(row["effect_steady"]):  # a role the baseline does not have
                cells.append(f"<td class='num'>{_e(disp.value(row['mean_steady']))} "
                             "<span class='muted'>(none without it)</span></td>")
                continue
            base = float(row["mean_steady"]) - float(row["effect_steady"])
            v = _cell_verdict(row, disp)
            text = (change_words(disp, base, row["mean_steady"], clear=v in ("better", "worse"))
                    if _num(base) else disp.value(row["mean_steady"]))
            cells.append(f"<td class='{v} num'>{_e(text)} <span class='v'>"
                         f"{_e(VERDICT_MARK[v])}</span></td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    out.append(_scroll("<table>" + "".join(rows) + "</table>"))
    out.append("<p class='legend'>Cells read \u201cbaseline to this option\u201d. "
               + VERDICT_LEGEND[len("<p class='legend'>"):])
    return "\n".join(out)


def _cell_verdict(row, disp) -> str:
    from sim.report.charts import verdict

    lo, hi = row.get("effect_steady_lo"), row.get("effect_steady_hi")
    if not (_num(lo) and _num(hi)):
        return "unclear"
    return verdict(float(lo), float(hi), disp.higher_is_better)


def _section_durability(d: ReportData) -> str:
    if not d.durability:
        return ""
    out = ["<h2 id='lasting'>After a programme ends</h2>",
           "<p>What is left of an option's effect once a programme stops: the paired effect "
           "over the four weeks up to its last day, and up to 6 and 12 months later (blank "
           "where that falls after the run).</p>"]
    groups: dict = {}
    for r in d.durability:
        groups.setdefault((r["ending"].scenario, r["ending"].programme, r["ending"].end_day),
                          []).append(r)
    for (scenario, programme, end), rows in groups.items():
        out.append(f"<h3>{_e(programme)} ({_e(scenario)}), ends on day {end:,}</h3>")
        t = ["<tr><th>Measure</th><th>At its end</th><th>6 months later</th>"
             "<th>12 months later</th></tr>"]
        for r in rows:
            disp = display(r["metric"], d.metrics)
            cells = [f"<td class='name'>{_e(disp.label)}</td>"]
            for _months, e in r["points"]:
                if e is None:
                    cells.append("<td class='unclear'>after the run</td>")
                else:
                    cells.append(f"<td class='{e.verdict} num'>"
                                 f"{_e(effect_interval(disp, e.effect, e.lo, e.hi))} "
                                 f"<span class='v'>{_e(VERDICT_MARK[e.verdict])}</span></td>")
            t.append("<tr>" + "".join(cells) + "</tr>")
        out.append(_scroll("<table>" + "".join(t) + "</table>"))
    out.append(VERDICT_LEGEND)
    return "\n".join(out)


def _section_costs(d: ReportData) -> str:
    out = ["<h2 id='costs'>What each option costs</h2>",
           "<p>Each programme's resources for a year of running (staff hours, venue hours, "
           "events, training places, small grants) priced at the unit costs below; a "
           "programme counts only the days it runs. Cost per year is the cost over the run "
           "divided by its length in years.</p>"]
    rows = ["<tr><th>Option</th><th>Programmes: cost of a year of running (days run)</th>"
            "<th>Cost over the run</th><th>Cost per year</th></tr>"]
    unit_costs = {}
    for s in d.scenarios:
        c = s.cost
        if c is None:
            continue
        unit_costs.update({k: v for k, v in c.unit_costs.items()
                           if k not in unit_costs or v.overridden_in})
        progs = c.programmes()
        plist = "; ".join(f"{_e(name)}: {_e(fmt_gbp(p['per_year_running_gbp']))} "
                          f"({p['days_running']:,} days)" for name, p in progs.items())
        rows.append(f"<tr><td class='name'>{_e(s.name)}</td><td class='wide'>{plist or 'none'}</td>"
                    f"<td class='num'>{_e(fmt_gbp(c.total_gbp))}</td>"
                    f"<td class='num'>{_e(cost_words(c.per_year_gbp))}</td></tr>")
    out.append(_scroll("<table>" + "".join(rows) + "</table>"))
    if unit_costs:
        u = ["<tr><th>Resource</th><th>Unit</th><th>Price</th><th>Source</th></tr>"]
        for name, uc in unit_costs.items():
            src = uc.source + (f" (set in {uc.overridden_in})" if uc.overridden_in else "")
            u.append(f"<tr><td>{_e(name.replace('_', ' '))}</td><td>{_e(uc.unit)}</td>"
                     f"<td class='num'>\u00a3{_e(fmt_number(uc.gbp, decimals=2))}</td>"
                     f"<td>{_e(src)}</td></tr>")
        out.append("<details><summary>Unit costs and their sources</summary>"
                   + _scroll("<table>" + "".join(u) + "</table>") + "<p class='muted'>A "
                   "scenario file can set its own prices in a <code>[costs]</code> table "
                   "(docs/SCENARIOS.md).</p></details>")
    return "\n".join(out)


# -- each option in words, and the details -----------------------------------------------------


def _phrase(disp, row) -> str:
    """"trust other groups (+2.1 points, 95% interval 1.6 to 2.5)"."""
    e, lo, hi = row["effect_steady"], row["effect_steady_lo"], row["effect_steady_hi"]
    unit = {"share": "points", "per_1000": "per 1,000 residents"}.get(disp.kind,
                                                                      disp.effect_short)
    size = f"{disp.effect(e)} {unit}".strip()
    if _num(lo) and _num(hi):
        size += f", {disp.effect(lo, signed=False)} to {disp.effect(hi, signed=False)}"
    return f"{lower_first(disp.label)} ({size})"


def _section_words(d: ReportData) -> str:
    present = set(d.summary["metric"])
    measured, _ = headline_outcomes(present)
    focus = measured + people_measures(present) + organiser_measures(present)
    others = [m for m in _core(d.summary) if m not in focus]
    out = ["<h2 id='words'>Each option in words</h2>",
           f"<p>Compared with {_e(d.baseline)} over {_e(_window(d))}, with the 95% interval "
           "of each change. The table under each option gives every core measure.</p>"]
    base_rows = _rows_for(d.summary, d.baseline)
    for s in d.scenarios:
        if s.name == d.baseline:
            continue
        rows = _rows_for(d.summary, s.name)
        groups = {"better": [], "worse": [], "changed": [], "unclear": []}
        for m in focus:
            r = rows.get(m)
            if r is None or not _num(r["effect_steady"]):
                continue
            disp = display(m, d.metrics)
            v = _cell_verdict(r, disp)
            groups[v].append(disp.label if v == "unclear" else _phrase(disp, r))
        cost = cost_words(s.cost.per_year_gbp) if s.cost is not None else "cost not known"
        parts = []
        if groups["better"]:
            parts.append("Better on " + "; ".join(groups["better"]) + ".")
        if groups["worse"]:
            parts.append("Worse on " + "; ".join(groups["worse"]) + ".")
        if groups["changed"]:
            parts.append("Changed " + "; ".join(groups["changed"]) + ".")
        if groups["unclear"]:
            parts.append("No clear change in " + ", ".join(groups["unclear"]).lower() + ".")
        ivs = "; ".join(f"{lab} (days {a:,}\u2013{b:,})" for lab, a, b in s.interventions)
        out.append(f"<h3>{_e(s.name)}</h3><p class='muted'>{_e(s.description)} "
                   f"{_e(ivs)}. Costs {_e(cost)}.</p><p>{_e(' '.join(parts))}</p>")
        out.append(_detail_table(d, s, rows, base_rows, focus + others))
    out.append(VERDICT_LEGEND)
    return "\n".join(out)


def _detail_table(d: ReportData, s, rows, base_rows, measures) -> str:
    t = ["<tr><th>Measure</th><th>Baseline</th><th>This option</th><th>Change (95% interval)"
         "</th><th>Verdict</th><th>Change on the last day</th></tr>"]
    for m in measures:
        r, b = rows.get(m), base_rows.get(m)
        if r is None:
            continue
        disp = display(m, d.metrics)
        v = _cell_verdict(r, disp)
        last = effect_interval(disp, r["effect_end"], r["effect_end_lo"], r["effect_end_hi"])
        steady = effect_interval(disp, r["effect_steady"], r["effect_steady_lo"],
                                 r["effect_steady_hi"])
        base = disp.value(b["mean_steady"]) if b is not None else "n/a"
        t.append(f"<tr><td class='name'>{_e(disp.label)}</td><td class='num'>{_e(base)}</td>"
                 f"<td class='num'>{_e(disp.value(r['mean_steady']))}</td>"
                 f"<td class='num'>{_e(steady)}</td>"
                 f"<td class='{v}'>{_e(VERDICT_MARK[v])}</td>"
                 f"<td class='num'>{_e(last)}</td></tr>")
    return ("<details><summary>Every core measure for this option</summary>"
            f"<p class='muted'>Levels and changes are averages over {_e(_window(d))}; the last "
            "column is the change on the last day alone, noisier, for reference.</p>"
            + _scroll("<table>" + "".join(t) + "</table>") + "</details>")


def _section_run_table(d: ReportData) -> str:
    core = _core(d.summary)
    rows = _rows_for(d.summary, d.scenarios[0].name)
    out = ["<h2 id='tables'>Where the community ends up</h2>",
           f"<p>Median across runs on day {d.days:,}, with the range covering 90% of runs.</p>",
           "<div class='scroll'><table><tr><th>Measure</th><th>What it measures</th>"
           f"<th>Day {d.days:,}</th></tr>"]
    for m in core:
        disp = display(m, d.metrics)
        r = rows.get(m)
        cell = "n/a"
        if r is not None and _num(r["median_end"]):
            cell = disp.value(float(r["median_end"]))
            if _num(r["band_lo"]) and _num(r["band_hi"]):
                cell += f" ({disp.value(float(r['band_lo']))} to {disp.value(float(r['band_hi']))})"
        out.append(f"<tr><td>{_e(disp.label)}</td><td>{_e(disp.doc)}</td>"
                   f"<td class='num'>{_e(cell)}</td></tr>")
    out.append("</table></div>")
    return "\n".join(out)


def _section_charts(d: ReportData) -> str:
    out = ["<h2 id='charts'>Charts</h2>",
           "<p>Select a chart to open it full size.</p>"]
    if d.effects_chart is not None:
        out.append("<h3>Effects over the steady window</h3>")
        out.append("<p class='legend'>Each point is an option's average paired effect with "
                   "its 95% interval; blue circles are better, orange squares worse, grey "
                   "diamonds unclear, black triangles a clear change with no better "
                   "direction. Each panel says which side is better.</p>")
        out.append(_img(d.effects_chart))
    if d.charts:
        out.append("<h3>Measures over time</h3>")
        out.append("<p class='legend'>Lines: the median run; bands: 90% of runs; weekly "
                   "averages. Each panel sets one option (blue) against the baseline (grey). "
                   "Tinted periods: interventions running (dashed line: start; dotted: end). "
                   "Hatched strip at the bottom: the window the verdicts average over.</p>")
    for c in d.charts:
        out.append(f"<div id='chart-{_e(c.file.rsplit('/', 1)[-1].removesuffix('.png'))}'>"
                   f"{_img(c)}</div>")
    return "\n".join(out)


def _section_compared(d: ReportData) -> str:
    out = ["<h2 id='what'>What was compared, and how</h2>"]
    if d.kind == "compare":
        out.append("<div class='box'><strong>Paired runs.</strong> Run <em>i</em> of every "
                   "option used the same random seed as run <em>i</em> of the baseline: the "
                   "same people, the same network and the same chance events until the "
                   "interventions start. When the options describe the same community, the "
                   "difference between the two runs of a pair is due to the interventions, not "
                   "to luck. An effect is the average of these paired differences over the "
                   "steady window; its 95% interval shows how sure we are of it. Where the "
                   "interval includes zero, the change is called <em>unclear</em>.</div>")
        if d.late_starts:
            out.append("<p class='muted'>Started less than three months before the steady "
                       "window: " + _e("; ".join(d.late_starts)) + ". Their verdicts come "
                       "from programmes still settling in.</p>")
    else:
        residents = d.scenarios[0].residents
        out.append(f"<p class='lede'>The scenario <strong>{_e(d.scenarios[0].name)}"
                   f"</strong> was simulated for a community of {residents:,} residents, for "
                   f"{d.days:,} days, {d.replicates} times with different random seeds. "
                   "Charts show the median run and the range covering 90% of runs.</p>")
    if d.settings_note:
        out.append(f"<p class='muted'>{_e(d.settings_note)}</p>")
    rows = ["<tr><th>Scenario</th><th>What it is</th><th>Interventions (active days)</th>"
            "<th>Residents</th><th>Runs</th></tr>"]
    for s in d.scenarios:
        ivs = "; ".join(f"{_e(lab)} (days {a:,}\u2013{b:,})" for lab, a, b in s.interventions)
        tag = " <span class='muted'>(baseline)</span>" if s.name == d.baseline else ""
        runs = f"{s.replicates - s.n_missing} of {s.replicates}" if s.n_missing else \
            f"{s.replicates}"
        rows.append(f"<tr><td class='name'><strong>{_e(s.name)}</strong>{tag}</td>"
                    f"<td class='wide'>{_e(s.description)}"
                    f"</td><td class='wide'>{ivs or 'none'}</td>"
                    f"<td class='num'>{s.residents:,}</td>"
                    f"<td class='num'>{runs}</td></tr>")
    out.append(_scroll("<table>" + "".join(rows) + "</table>"))
    return "\n".join(out)


def _section_definitions(d: ReportData) -> str:
    out = ["<h2 id='definitions'>Scenario files</h2>",
           "<p>Each scenario as written in its file, and the full definition the simulation "
           "used after filling in what the file inherits and the defaults.</p>"]
    for s in d.scenarios:
        parts = []
        if s.file:
            sha = f" <span class='muted'>sha256 {_e(s.sha256)}</span>" if s.sha256 else ""
            parts.append(f"<p>File: <code>{_e(s.file)}</code>{sha}</p>")
        if s.file_text:
            parts.append(f"<pre>{_e(s.file_text)}</pre>")
        if s.definition:
            parts.append("<details><summary>Merged definition</summary><pre>"
                         f"{_e(json.dumps(s.definition, indent=2, default=str))}</pre>"
                         "</details>")
        out.append(f"<details><summary>{_e(s.name)}</summary>{''.join(parts)}</details>")
    return "\n".join(out)


def _section_caveats(d: ReportData) -> str:
    cal = ""
    if d.n_parameters:
        cal = (f" Of the model's {d.n_parameters} numeric settings, {d.n_calibrated} are "
               "marked as calibrated against survey figures; every other value is an "
               "assumption.")
    return f"""<h2 id='caveats'>Assumptions and caveats</h2>
<ul>
<li><strong>The model is illustrative.</strong> It puts published ideas about neighbourhood
kindness (Joseph Rowntree Foundation studies, models of reputation, trust and contact) into
rules. It helps compare options and reason about mechanisms; it does not forecast what will
happen in a real place.</li>
<li><strong>Parameters are assumptions unless calibrated.</strong>{_e(cal)} The research the
model draws on is largely qualitative, so most numbers are informed guesses. The model card
(<a href="{_e(d.model_doc_href)}">docs/MODEL.md</a>) lists every rule, parameter, default, unit
and source.</li>
<li><strong>Costs are estimates.</strong> Each programme's resources and every unit cost are
assumptions with their basis stated (see <a href="#costs">Costs</a>); put in your own prices
before using them in a bid.</li>
<li><strong>Sizes of effects depend on settings</strong> such as how strong, how wide and how
long an intervention is: read them as "under these settings", and compare options with one
another rather than as absolute predictions.</li>
<li><strong>Intervals show simulation noise only</strong> ({d.replicates} paired runs). They do
not include uncertainty about the parameters themselves; a robustness analysis varies those.
</li>
<li>Shares are of simulated residents and use survey-style thresholds (for example "trusts other
groups" means a trust level of at least 0.5 on a 0-1 scale).</li>
</ul>"""


TIMING_WORDS = {"runs": "runs", "summary_and_daily": "summaries and daily values",
                "decisions": "decisions and costs", "charts": "charts", "report": "report",
                "post_processing": "everything after the runs", "total": "in all"}


def _section_metadata(d: ReportData) -> str:
    m = d.manifest
    t = m.get("timings_s", {})
    times = ", ".join(f"{TIMING_WORDS[k]} {fmt_number(v, decimals=1)} s" for k, v in t.items()
                      if k in TIMING_WORDS)
    if "post_processing_share" in t:
        times += (f" (after the runs: {fmt_number(100 * t['post_processing_share'], decimals=0)}"
                  "% of the time)")
    rows = [
        ("Started", m.get("started")), ("Finished", m.get("finished")),
        ("Time taken", times),
        ("Command", " ".join(m.get("command", []))),
        ("Root seed", d.root_seed),
        ("Replicate seeds", ", ".join(str(s) for s in d.seeds[:12])
         + (f", ... ({len(d.seeds)} in all)" if len(d.seeds) > 12 else "")),
        ("Code version (git commit)", m.get("git_commit") or "not in a git checkout"),
        ("Python", m.get("python")),
        ("Packages", ", ".join(f"{k} {v}" for k, v in m.get("packages", {}).items())),
        ("Machine", m.get("platform")),
    ]
    out = ["<h2 id='metadata'>Run metadata</h2>",
           "<p>Everything here is also in <code>manifest.json</code> beside this report, with "
           "the per-run files under <code>runs/</code>; the daily values of every run are in "
           "<code>daily.csv.gz</code> and every measure's summary (breakdowns by orientation "
           "and section included), costs and chances of being best in "
           "<code>summary.csv</code>.</p><div class='scroll'><table>"]
    for k, v in rows:
        out.append(f"<tr><th>{_e(k)}</th><td>{_e(v)}</td></tr>")
    out.append("</table></div>")
    return "\n".join(out)


def _when(iso: str) -> str:
    """"2026-11-28T09:22:35+00:00" -> "28 November 2026, 09:22 UTC"."""
    from datetime import datetime

    try:
        t = datetime.fromisoformat(iso)
    except (TypeError, ValueError):
        return str(iso)
    zone = " UTC" if t.utcoffset() is not None and not t.utcoffset() else ""
    return f"{t.day} {t:%B %Y, %H:%M}{zone}"


def render_report(d: ReportData) -> str:
    """The report as one HTML document (see the module docstring)."""
    compare = d.kind == "compare" and d.decision is not None
    warn = ""
    if d.problems:
        warn = ("<div class='warn'><strong>Incomplete results.</strong><ul>"
                + "".join(f"<li>{_e(p)}</li>" for p in d.problems) + "</ul></div>")
    if compare:
        top = [_lede(d), _community_warning(d), warn, _section_decision(d), _nav(d, True),
               _section_ranking(d), _section_strain(d), _section_durability(d),
               _section_costs(d), _section_words(d)]
    else:
        top = [warn, _nav(d, False), _section_run_table(d)]
    parts = top + [_section_charts(d), _section_compared(d), _section_definitions(d),
                   _section_caveats(d), _section_metadata(d)]
    started = _when(d.manifest.get("started", ""))
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_e(d.title)}</title><style>{CSS}</style></head>
<body>
<h1>{_e(d.title)}</h1>
<p class="muted">Kindliness simulation report, {_e(started)}</p>
{"".join(p + chr(10) for p in parts if p)}
</body></html>
"""
