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
charts are inside it as PNG, each linked to its full-size file in ``charts/`` (a small inline
script shows it full size in place instead, so that the link works where the folder is not:
a downloaded report, the visualiser's compare page). At a phone's
width the page does not scroll sideways (wide tables scroll inside their box, each row's name
staying at the box's left edge); at a desktop's
width every table fits its box, since a verdict's cell (class ``split``) may break between its
value and its verdict mark, each kept whole; the ranking, the widest, puts each verdict under
its value and breaks its "best in" lines, its cost (without the head's "a year") and its heads
between whole pieces, the headline outcomes' columns kept wide enough for "best in 10 of 10".

:func:`render_report` takes a :class:`ReportData` and returns the HTML text; it reads nothing
and writes nothing.
"""


from __future__ import annotations

import re

from sim.palette import NOTE_TEXT, VERDICT_COLOURS, VERDICT_TINTS
from sim.report.page import ChartImage, ReportData, ScenarioInfo, esc
from sim.report.sections_details import (
    section_caveats,
    section_charts,
    section_compared,
    section_definitions,
    section_metadata,
    section_run_table,
    section_words,
    when,
)
from sim.report.sections_strain import section_costs, section_durability, section_strain
from sim.report.sections_top import (
    cautions,
    community_warning,
    lede,
    nav,
    run_cautions,
    section_decision,
    section_ranking,
)

__all__ = ["ChartImage", "ReportData", "ScenarioInfo", "render_report"]

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
.warn strong{color:#8a3300}.cautions p{margin:.15em 0}
.card{border:2px solid #0072B2;border-radius:8px;padding:.6em .8em .4em;margin:.4em 0 1em}
.card h2{margin:0 0 .4em;border:0;padding:0;font-size:1.2em}
.picks{display:grid;grid-template-columns:repeat(auto-fit,minmax(205px,1fr));gap:.6em}
.pick{border:1px solid #d6d6d6;border-top:6px solid #8C8C8C;border-radius:6px;
 padding:.45em .6em;font-size:.9em;line-height:1.35;background:#fff}
.pick-better{border-top-color:@better@}.pick-worse{border-top-color:@worse@}
.pick-none{border-top-color:#BBBBBB;background:#FAFAFA}
.pick h3{margin:0 0 .2em;font-size:1em}.pick p{margin:.18em 0}
.pick .opt{font-weight:700;font-size:1.05em}
.pick .big{font-size:1.25em;font-weight:700;font-variant-numeric:tabular-nums}
.pick .ci{font-weight:400;font-size:.8em;color:#444}
.pick .trade{color:#8a3300;font-size:.94em}.pick .ok{color:#2d5f2d}
.legend{font-size:.85em;color:#333;margin:.5em 0 .2em}
@media (min-width:1380px){#decision{margin-left:-75px;margin-right:-75px}}
.scroll{overflow-x:auto;max-width:100%;margin:.5em 0 1em;-webkit-overflow-scrolling:touch}
.scroll.more::before{
 content:'Wider than the screen: scroll it sideways for the other columns \\2192';display:block;
font-size:.85em;color:#555;margin:0 0 .25em}
table{border-collapse:collapse;font-size:.88em}
.scroll table{margin:0}
th,td{border:1px solid #d6d6d6;padding:.3em .5em;text-align:left;vertical-align:top;
 overflow-wrap:normal;word-break:normal}
td.name,th.name{min-width:9em}td.wide{min-width:16em}
tr.under td{border-top:none;padding-top:0;font-size:.95em}
.rank th,.rank td{padding:.3em .35em}.rank td.name,.rank th.name{min-width:8em}
.rank th{font-size:.93em}@media (min-width:1000px){.rank th.outcome{min-width:8.8em}}
.scroll td.name,.scroll th.name{position:sticky;left:0;z-index:1;background:#fff;
 box-shadow:1px 0 0 #bbb}.scroll th.name{background:#f0f0f0}
th{background:#f0f0f0}td.num{text-align:right;font-variant-numeric:tabular-nums;
 white-space:nowrap}
.better{background:@tint-better@}.worse{background:@tint-worse@}.unclear,.same{color:@note@}
.changed{background:@tint-changed@}
td.better,td.worse,td.unclear,td.changed,td.same{white-space:nowrap}
td.split{white-space:normal}td.split>span{white-space:nowrap}
.v{font-size:.85em;white-space:nowrap}
.sw{display:inline-block;padding:0 .35em;border:1px solid #ccc;border-radius:3px}
figure{margin:1em 0}figure img{max-width:100%;height:auto;border:1px solid #e3e3e3}
figure.full{overflow-x:auto}figure.full img{max-width:none;cursor:zoom-out}
figcaption{font-size:.88em;color:#444}
pre{background:#f7f7f7;border:1px solid #e1e1e1;padding:.7em;overflow-x:auto;font-size:.82em;
 line-height:1.35;white-space:pre-wrap;overflow-wrap:anywhere}
details{margin:.5em 0}summary{cursor:pointer;font-weight:600}
code{background:#f2f2f2;padding:0 .25em;border-radius:3px}
nav{font-size:.92em;margin:.4em 0}nav a{margin-right:.9em;white-space:nowrap}
@media (max-width:600px){body{padding:.5em .7em 3em;font-size:15px}
 h1{font-size:1.3em}.card{padding:.5em}
 table.costs td.name,table.costs th.name{min-width:6em}table.costs td.num{white-space:normal}}
"""
# the verdicts' colours and tints from the one palette the charts and the live page use
_PALETTE_SLOTS = {"@better@": VERDICT_COLOURS["better"], "@worse@": VERDICT_COLOURS["worse"],
                  "@tint-better@": VERDICT_TINTS["better"], "@tint-worse@": VERDICT_TINTS["worse"],
                  "@tint-changed@": VERDICT_TINTS["changed"], "@note@": NOTE_TEXT}
CSS = re.sub("|".join(_PALETTE_SLOTS), lambda m: _PALETTE_SLOTS[m.group(0)], CSS)


# a chart's link shows the chart at its full size where it stands (the page carries every
# chart's PNG), and a second click fits it again: the link's charts/ file is not there when
# the page is opened on its own (a download, or the visualiser's compare page, where
# following it replaced the report with "Page not found"); without scripts, the link works
FULL_SIZE_SCRIPT = (
    "document.addEventListener('click',function(e){var a=e.target.closest&&"
    "e.target.closest('figure a');if(!a)return;var f=a.closest('figure');"
    "if(!f.querySelector('img'))return;e.preventDefault();f.classList.toggle('full');"
    "f.querySelectorAll('figcaption a').forEach(function(x){x.textContent="
    "f.classList.contains('full')?'Fit the chart to the page':'Open the full-size chart';});"
    "window.dispatchEvent(new Event('resize'));});")  # a frame that fits its page refits

# a table box wider than the screen says so above the table (class ``more``, set here and on
# every resize or opened <details>: a table folded away has no width): on a phone the report's
# wide tables looked whole, cut at the screen's edge (a user check)
SCROLL_CUE_SCRIPT = (
    "(function(){function cue(){document.querySelectorAll('.scroll').forEach(function(b){"
    "b.classList.toggle('more',b.scrollWidth>b.clientWidth+1);});}"
    "document.addEventListener('DOMContentLoaded',cue);window.addEventListener('resize',cue);"
    "document.addEventListener('toggle',cue,true);})();")
PAGE_SCRIPT = FULL_SIZE_SCRIPT + SCROLL_CUE_SCRIPT


def render_report(d: ReportData) -> str:
    """The report as one HTML document (see the module docstring)."""
    compare = d.kind == "compare" and d.decision is not None
    warn = ""
    if d.problems:
        warn = ("<div class='warn'><strong>Incomplete results.</strong><ul>"
                + "".join(f"<li>{esc(p)}</li>" for p in d.problems) + "</ul></div>")
    if compare:
        top = [lede(d), community_warning(d), cautions(d), warn, section_decision(d),
               nav(d, True), section_ranking(d), section_strain(d), section_durability(d),
               section_costs(d), section_words(d)]
    else:
        top = [run_cautions(d), warn, nav(d, False), section_run_table(d)]
    parts = top + [section_charts(d), section_compared(d), section_definitions(d),
                   section_caveats(d), section_metadata(d)]
    started = when(d.manifest.get("started", ""))
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(d.title)}</title><style>{CSS}</style></head>
<body>
<h1>{esc(d.title)}</h1>
<p class="muted">Kindliness simulation report, {esc(started)}</p>
{"".join(p + chr(10) for p in parts if p)}
<script>{PAGE_SCRIPT}</script>
</body></html>
"""
