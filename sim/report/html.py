"""``report.html``: one self-contained page for people who have never run Python.

Everything is inside the file: the charts as base64 PNG, the CSS inline, no scripts, fonts or
links to fetch. The page says, in order: what was compared and how; the key effects in words;
an at-a-glance table; the effects chart and the charts over time; a detailed table per
scenario; each scenario's definition (its file and the merged settings); assumptions and
caveats; and the run's metadata.

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
from sim.report.units import display
from sim.report.words import effect_verdict, interval_words, key_effects

CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;
 color:#1a1a1a;max-width:1120px;margin:0 auto;padding:1.2em 1.4em 4em;line-height:1.5;
 font-size:16px;background:#fff}
h1{font-size:1.75em;margin:.2em 0 .1em}h2{font-size:1.35em;margin-top:2em;
 border-bottom:2px solid #0072B2;padding-bottom:.15em}h3{font-size:1.1em;margin-top:1.4em}
.lede{font-size:1.08em;color:#333}.muted{color:#555;font-size:.92em}
.box{background:#F4F8FB;border-left:4px solid #0072B2;padding:.7em 1em;margin:1em 0}
.warn{background:#FFF4E5;border-left:4px solid #D55E00;padding:.7em 1em;margin:1em 0}
table{border-collapse:collapse;margin:.6em 0 1.2em;font-size:.9em}
th,td{border:1px solid #d6d6d6;padding:.3em .55em;text-align:left;vertical-align:top}
th{background:#f0f0f0}td.num{text-align:right;font-variant-numeric:tabular-nums;
 white-space:nowrap}
td.better{background:#DCEBF7}td.worse{background:#FBE3D6}td.unclear{color:#555}
td.changed{background:#EEEEEE}
.glance td{text-align:center;white-space:nowrap}.glance th.rot{font-weight:600;
 font-size:.85em;max-width:7em}
figure{margin:1.2em 0}figure img{max-width:100%;height:auto;border:1px solid #e3e3e3}
figcaption{font-size:.9em;color:#444}pre{background:#f7f7f7;border:1px solid #e1e1e1;
 padding:.7em;overflow-x:auto;font-size:.85em;line-height:1.35;white-space:pre-wrap;
 overflow-wrap:anywhere}
details{margin:.5em 0}summary{cursor:pointer;font-weight:600}
ul.effects li{margin:.3em 0}code{background:#f2f2f2;padding:0 .25em;border-radius:3px}
nav ol{columns:2;font-size:.95em}
"""

OPEN_FILE_LINES = 40  # longer scenario files are shown folded
VERDICT_MARK = {"better": "\u25b2 better", "worse": "\u25bc worse", "unclear": "unclear",
                "changed": "changed"}


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


@dataclass
class ReportData:
    kind: str  # "compare" or "run"
    title: str
    scenarios: list[ScenarioInfo]  # the baseline first when comparing
    baseline: str | None
    summary: object  # pandas DataFrame (sim.ensemble.summary.SUMMARY_COLUMNS)
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


def _e(text) -> str:
    return html.escape(str(text), quote=True)


def _img(chart: ChartImage) -> str:
    data = base64.b64encode(chart.png).decode("ascii")
    cap = f"<figcaption>{_e(chart.caption)}</figcaption>" if chart.caption else ""
    return (f'<figure><img src="data:image/png;base64,{data}" alt="{_e(chart.alt)}">'
            f"{cap}</figure>")


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


def _section_compared(d: ReportData) -> str:
    n = len(d.scenarios)
    residents = sorted({s.residents for s in d.scenarios})
    res = (f"{residents[0]:,} residents" if len(residents) == 1
           else "from " + " to ".join(f"{r:,}" for r in (residents[0], residents[-1]))
           + " residents")
    out = ["<h2 id='what'>What was compared, and how</h2>"]
    if d.kind == "compare":
        out.append(f"<p class='lede'>{n - 1} scenario{'s' if n > 2 else ''} "
                   f"{'were' if n > 2 else 'was'} compared with the baseline "
                   f"<strong>{_e(d.baseline)}</strong>. Each is a simulated community of "
                   f"{res}, run for {d.days:,} days (about {d.days / 365:.1f} years), "
                   f"{d.replicates} times with different random seeds.</p>")
        out.append("<div class='box'><strong>Paired runs.</strong> Run <em>i</em> of every "
                   "scenario used the same random seed as run <em>i</em> of the baseline: the "
                   "same people, the same network and the same chance events until the "
                   "interventions start. The difference between the two runs of a pair is "
                   "therefore due to the intervention, not to luck. An effect is the average "
                   "of these paired differences; its 95% interval shows how sure we are of "
                   "it. Where the interval includes zero, the change is called "
                   "<em>unclear</em>.</div>")
    else:
        out.append(f"<p class='lede'>The scenario <strong>{_e(d.scenarios[0].name)}"
                   f"</strong> was simulated for a community of {res}, for {d.days:,} days, "
                   f"{d.replicates} times with different random seeds. Charts show the "
                   "median run and the range covering 90% of runs.</p>")
    if d.settings_note:
        out.append(f"<p class='muted'>{_e(d.settings_note)}</p>")
    out.append("<table><tr><th>Scenario</th><th>What it is</th><th>Interventions (active "
               "days)</th><th>Runs</th></tr>")
    for s in d.scenarios:
        ivs = "; ".join(f"{_e(lab)} (days {a}\u2013{b})" for lab, a, b in s.interventions)
        tag = " <span class='muted'>(baseline)</span>" if s.name == d.baseline else ""
        runs = f"{s.replicates - s.n_missing} of {s.replicates}" if s.n_missing else \
            f"{s.replicates}"
        out.append(f"<tr><td><strong>{_e(s.name)}</strong>{tag}</td><td>{_e(s.description)}"
                   f"</td><td>{ivs or 'none'}</td><td class='num'>{runs}</td></tr>")
    out.append("</table>")
    return "\n".join(out)


def _section_key_effects(d: ReportData) -> str:
    core = _core(d.summary)
    out = ["<h2 id='key'>Key effects in words</h2>",
           f"<p>The clearest changes by day {d.days} compared with {_e(d.baseline)} (at most "
           "four per scenario; the tables below give every core measure). Percentages are "
           "shares of residents; a change in a share is given in percentage points.</p>"]
    for s in d.scenarios:
        if s.name == d.baseline:
            continue
        clear, unclear = key_effects(d.summary, s.name, core, day=d.days,
                                     baseline=d.baseline, metrics=d.metrics)
        out.append(f"<h3>{_e(s.name)}</h3>")
        if clear:
            out.append("<ul class='effects'>" + "".join(f"<li>{_e(c)}</li>" for c in clear)
                       + "</ul>")
        else:
            out.append("<p>No core measure changed clearly (every 95% interval includes "
                       "no change).</p>")
        if unclear:
            out.append(f"<p class='muted'>No clear change in: {_e(', '.join(unclear))}.</p>")
    return "\n".join(out)


def _section_glance(d: ReportData) -> str:
    core = _core(d.summary)
    others = [s for s in d.scenarios if s.name != d.baseline]
    out = ["<h2 id='glance'>At a glance</h2>",
           f"<p>Change against {_e(d.baseline)} on day {d.days} (percentage points for "
           "shares). <span style='background:#DCEBF7'>&nbsp;\u25b2 blue&nbsp;</span>: better, "
           "<span style='background:#FBE3D6'>&nbsp;\u25bc orange&nbsp;</span>: worse, plain: "
           "unclear (the 95% interval includes no change).</p>",
           "<div style='overflow-x:auto'><table class='glance'><tr><th>Scenario</th>"]
    for m in core:
        out.append(f"<th class='rot'>{_e(display(m, d.metrics).label)}</th>")
    out.append("</tr>")
    for s in others:
        rows = _rows_for(d.summary, s.name)
        out.append(f"<tr><th>{_e(s.name)}</th>")
        for m in core:
            r = rows.get(m)
            if r is None or not _num(r["effect_end"]):
                out.append("<td class='unclear'>n/a</td>")
                continue
            v = effect_verdict(r, m, "end", d.metrics)
            arrow = {"better": "\u25b2 ", "worse": "\u25bc "}.get(v, "")
            out.append(f"<td class='{v}' title='{_e(interval_words(r, m, 'end', d.metrics))}'>"
                       f"{arrow}{_e(display(m, d.metrics).effect(r['effect_end']))}</td>")
        out.append("</tr>")
    out.append("</table></div>")
    return "\n".join(out)


def _section_tables(d: ReportData) -> str:
    core = _core(d.summary)
    out = ["<h2 id='tables'>Effects in detail</h2>",
           "<p>For each core measure: the median across runs on the last day with the range "
           "covering 90% of runs, for the baseline and for the scenario; then the paired "
           "effect with its 95% interval, on the last day and averaged over the last quarter "
           "of the run (steadier, as day-to-day noise averages out).</p>"]
    base_rows = _rows_for(d.summary, d.baseline)
    for s in d.scenarios:
        if s.name == d.baseline:
            continue
        rows = _rows_for(d.summary, s.name)
        out.append(f"<h3>{_e(s.name)} compared with {_e(d.baseline)}</h3>")
        out.append("<table><tr><th>Measure</th><th>Unit</th><th>Baseline, day "
                   f"{d.days}</th><th>Scenario, day {d.days}</th><th>Effect on day {d.days} "
                   "(95% interval)</th><th>Effect, last quarter (95% interval)</th>"
                   "<th>Verdict</th></tr>")
        for m in core:
            disp = display(m, d.metrics)
            r, b = rows.get(m), base_rows.get(m)
            if r is None:
                continue
            v = effect_verdict(r, m, "end", d.metrics)
            out.append(
                f"<tr><td>{_e(disp.label)}</td><td>{_e(disp.axis)}</td>"
                f"<td class='num'>{_median_band(b, disp)}</td>"
                f"<td class='num'>{_median_band(r, disp)}</td>"
                f"<td class='num'>{_e(interval_words(r, m, 'end', d.metrics))}</td>"
                f"<td class='num'>{_e(interval_words(r, m, 'lastq', d.metrics))}</td>"
                f"<td class='{v}'>{_e(VERDICT_MARK[v])}</td></tr>")
        out.append("</table>")
    return "\n".join(out)


def _median_band(r, disp) -> str:
    if r is None or not _num(r["median_end"]):
        return "n/a"
    txt = disp.value(float(r["median_end"]))
    if _num(r["band_lo"]) and _num(r["band_hi"]):
        txt += f" ({disp.value(float(r['band_lo']))}\u2013{disp.value(float(r['band_hi']))})"
    return _e(txt)


def _section_run_table(d: ReportData) -> str:
    core = _core(d.summary)
    rows = _rows_for(d.summary, d.scenarios[0].name)
    out = ["<h2 id='tables'>Where the community ends up</h2>",
           f"<p>Median across runs on day {d.days}, with the range covering 90% of runs.</p>",
           "<table><tr><th>Measure</th><th>What it measures</th><th>Unit</th>"
           f"<th>Day {d.days}</th></tr>"]
    for m in core:
        disp = display(m, d.metrics)
        out.append(f"<tr><td>{_e(disp.label)}</td><td>{_e(disp.doc)}</td><td>{_e(disp.axis)}"
                   f"</td><td class='num'>{_median_band(rows.get(m), disp)}</td></tr>")
    out.append("</table>")
    return "\n".join(out)


def _section_charts(d: ReportData) -> str:
    out = ["<h2 id='charts'>Charts</h2>"]
    if d.effects_chart is not None:
        out.append("<h3>Effects against the baseline</h3>")
        out.append(_img(d.effects_chart))
    out.append("<h3>Measures over time</h3>")
    out.append("<p>Each chart shows one measure through the run: the line is the median run, "
               "the band covers 90% of runs. When scenarios are compared, each panel sets one "
               "scenario (blue) against the baseline (grey). Shaded periods show when each "
               "intervention is active.</p>")
    for c in d.charts:
        out.append(f"<div id='chart-{_e(c.file.rsplit('/', 1)[-1].removesuffix('.png'))}'>"
                   f"{_img(c)}</div>")
    return "\n".join(out)


def _section_definitions(d: ReportData) -> str:
    out = ["<h2 id='definitions'>Scenario definitions</h2>",
           "<p>Each scenario as written in its file, and the full definition the simulation "
           "used after filling in what the file inherits (<code>extends</code>) and the "
           "defaults.</p>"]
    for s in d.scenarios:
        out.append(f"<h3>{_e(s.name)}</h3>")
        if s.file:
            sha = f" <span class='muted'>sha256 {_e(s.sha256)}</span>" if s.sha256 else ""
            out.append(f"<p>File: <code>{_e(s.file)}</code>{sha}</p>")
        if s.file_text:
            n_lines = s.file_text.count("\n") + 1
            if n_lines <= OPEN_FILE_LINES:
                out.append(f"<pre>{_e(s.file_text)}</pre>")
            else:
                out.append(f"<details><summary>The file as written ({n_lines} lines)</summary>"
                           f"<pre>{_e(s.file_text)}</pre></details>")
        if s.definition:
            out.append("<details><summary>Merged definition (after extends)</summary><pre>"
                       f"{_e(json.dumps(s.definition, indent=2, default=str))}</pre></details>")
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
<li><strong>Sizes of effects depend on settings</strong> such as how strong, how wide and how
long an intervention is: read them as "under these settings", and compare scenarios with one
another rather than as absolute predictions.</li>
<li><strong>Intervals show simulation noise only</strong> ({d.replicates} paired runs). They do
not include uncertainty about the parameters themselves; a robustness analysis varies those.
</li>
<li>Shares are of simulated residents and use survey-style thresholds (for example "trusts other
groups" means a trust level of at least 0.5 on a 0-1 scale).</li>
</ul>"""


def _section_metadata(d: ReportData) -> str:
    m = d.manifest
    t = m.get("timings_s", {})
    rows = [
        ("Started", m.get("started")), ("Finished", m.get("finished")),
        ("Time taken", ", ".join(f"{k} {v:.1f} s" for k, v in t.items())),
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
           "<code>daily.csv</code> and the summary of every measure (including breakdowns by "
           "orientation and section) in <code>summary.csv</code>.</p><table>"]
    for k, v in rows:
        out.append(f"<tr><th>{_e(k)}</th><td>{_e(v)}</td></tr>")
    out.append("</table>")
    return "\n".join(out)


def render_report(d: ReportData) -> str:
    """The report as one self-contained HTML document."""
    compare = d.kind == "compare"
    parts = [_section_compared(d)]
    if compare:
        parts += [_section_key_effects(d), _section_glance(d)]
    parts.append(_section_charts(d))
    parts.append(_section_tables(d) if compare else _section_run_table(d))
    parts += [_section_definitions(d), _section_caveats(d), _section_metadata(d)]
    warn = ""
    if d.problems:
        warn = ("<div class='warn'><strong>Incomplete results.</strong><ul>"
                + "".join(f"<li>{_e(p)}</li>" for p in d.problems) + "</ul></div>")
    nav_items = [("what", "What was compared, and how")]
    if compare:
        nav_items += [("key", "Key effects in words"), ("glance", "At a glance")]
    nav_items += [("charts", "Charts"),
                  ("tables", "Effects in detail" if compare else "Where the community ends "
                   "up"), ("definitions", "Scenario definitions"),
                  ("caveats", "Assumptions and caveats"), ("metadata", "Run metadata")]
    nav = "<nav><ol>" + "".join(f"<li><a href='#{a}'>{_e(t)}</a></li>"
                                for a, t in nav_items) + "</ol></nav>"
    started = d.manifest.get("started", "")
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_e(d.title)}</title><style>{CSS}</style></head>
<body>
<h1>{_e(d.title)}</h1>
<p class="muted">Kindliness simulation report, {_e(started)}</p>
{warn}
{nav}
{"".join(p + chr(10) for p in parts)}
</body></html>
"""
