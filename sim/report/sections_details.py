"""The rest of the page: each option in words, the run's table (one scenario), the charts,
what was compared and how, the scenario definitions, assumptions and caveats, and the run's
metadata."""

from __future__ import annotations

import json
import re
import shlex

from sim.report.community import ONE_GROUP_WORDS
from sim.report.decision import (
    cost_words,
    headline_outcomes,
    lower_first,
    organiser_measures,
    out_of_staff,
    people_measures,
)
from sim.report.page import (
    VERDICT_LEGEND,
    VERDICT_MARK,
    ReportData,
    core_metrics,
    esc,
    figure,
    in_order,
    is_number,
    metrics_for,
    row_verdict,
    rows_for,
    scroll,
    steady_words,
)
from sim.report.programmes import early_end_words
from sim.report.units import display, fmt_days, fmt_number
from sim.report.words import effect_interval, sentences


def _phrase(disp, row) -> str:
    """"trust other groups (+2.1 points, 95% interval 1.6 to 2.5)"."""
    e, lo, hi = row["effect_steady"], row["effect_steady_lo"], row["effect_steady_hi"]
    unit = {"share": "points", "per_1000": "per 1,000 residents"}.get(disp.kind,
                                                                      disp.effect_short)
    size = f"{disp.effect_in(e, lo, hi)} {unit}".strip()
    if is_number(lo) and is_number(hi):
        size += f", {disp.effect(lo, signed=False)} to {disp.effect(hi, signed=False)}"
    # the unit once: "burnt out (stepped back), per 1,000 residents (+2.6 per 1,000
    # residents, ...)" said it twice (a user check)
    name = (re.sub(r",?\s*per 1,000 residents$", "", disp.label) or disp.label
            if disp.kind == "per_1000" else disp.label)
    if unit.startswith("acts per 100 residents"):  # "acts of help per 100 residents a day"
        name = re.sub(r"\s*per 100 residents a day$", "", name) or name
    return f"{lower_first(name)} ({size})"


def section_words(d: ReportData) -> str:
    present = set(d.summary["metric"]) - d.not_applicable
    measured, _ = headline_outcomes(present)
    focus = measured + people_measures(present) + organiser_measures(present)
    others = [m for m in core_metrics(d.summary) if m not in focus]
    out = ["<h2 id='words'>Each option in words</h2>",
           f"<p>Compared with {esc(d.baseline)} over {esc(steady_words(d))}, with the 95% interval "
           "of each change. The table under each option gives every core measure."
           f"{_not_applicable_words(d)}</p>"]
    base_rows = rows_for(d.summary, d.baseline)
    for s in in_order(d):
        if s.name == d.baseline:
            continue
        rows = rows_for(d.summary, s.name)
        own = metrics_for(d, s.name)  # its programmes' own labels
        groups = {"better": [], "worse": [], "changed": [], "unclear": []}
        for m in focus:
            r = rows.get(m)
            if r is None or not is_number(r["effect_steady"]):
                continue
            disp = display(m, own)
            v = row_verdict(r, disp)
            groups[v].append(disp.label if v == "unclear" else _phrase(disp, r))
        for m in others:  # the rest of the table: said here only when clearly worse
            r = rows.get(m) if m not in d.not_applicable else None
            disp = display(m, own)
            if r is not None and is_number(r["effect_steady"]) \
                    and disp.higher_is_better is not None and row_verdict(r, disp) == "worse":
                groups["worse"].append(_phrase(disp, r))
        cost = (cost_words(s.cost.per_year_gbp, s.cost.saved_per_year_gbp)
                if s.cost is not None else "cost not known")
        parts = []
        if groups["better"]:
            parts.append("Better on " + "; ".join(groups["better"]) + ".")
        if groups["worse"]:
            parts.append("Worse on " + "; ".join(groups["worse"]) + ".")
        if groups["changed"]:
            parts.append("Changed " + "; ".join(groups["changed"]) + ".")
        if groups["unclear"]:
            # semicolons, as the lists above: names hold commas ("..., per 1,000 residents")
            parts.append("No clear change in " + "; ".join(groups["unclear"]).lower() + ".")
        why = (getattr(d, "as_baseline", None) or {}).get(s.name)
        if why:  # not uncertain: none at all (sim.report.job.why_as_baseline)
            parts = [why]
        whom = getattr(s, "targets", None) or [""] * len(s.interventions)
        ivs = "; ".join(f"{lab} ({f'for {who}, ' if who else ''}days {a:,}\u2013{b:,})"
                        for (lab, a, b), who in zip(s.interventions, whom, strict=True))
        about = sentences(s.description, ivs, costs_sentence(cost))
        out.append(f"<h3>{esc(s.name)}</h3><p class='muted'>{esc(about)}</p>"
                   f"<p>{esc(' '.join(parts))}</p>")
        if not why:  # a copy's table would be its zeros, each "unclear"
            out.append(_detail_table(d, s, rows, base_rows, focus + others))
    out.append(VERDICT_LEGEND)
    return "\n".join(out)


def _not_applicable_words(d: ReportData) -> str:
    """" Trust other groups, the trust gap and ties that bridge groups are not measured:
    this community has one group ..." for the core measures that cannot move here."""
    labels = [display(m, d.metrics).label for m in core_metrics(d.summary)
              if m in d.not_applicable]
    if not labels:
        return ""
    words = [labels[0]] + [lower_first(x) for x in labels[1:]]
    listed = words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]
    return f" {listed} {'are' if len(labels) > 1 else 'is'} not measured: {ONE_GROUP_WORDS}."


def _not_applicable_row(disp) -> str:
    """A table's row for a measure that cannot move in this community."""
    return (f"<tr><td class='name'>{esc(disp.label)}</td><td class='unclear' colspan='5'>"
            f"not measured: {esc(ONE_GROUP_WORDS)}</td></tr>")


def _detail_table(d: ReportData, s, rows, base_rows, measures) -> str:
    t = ["<tr><th class='name'>Measure</th><th>Baseline</th><th>This option</th>"
         "<th>Change (95% interval)</th><th>Verdict</th><th>Change on the last day</th></tr>"]
    own = metrics_for(d, s.name)  # its programmes' own labels
    for m in measures:
        r, b = rows.get(m), base_rows.get(m)
        if r is None:
            continue
        disp = display(m, own)
        if m in d.not_applicable:
            t.append(_not_applicable_row(disp))
            continue
        v = row_verdict(r, disp)
        last = effect_interval(disp, r["effect_end"], r["effect_end_lo"], r["effect_end_hi"])
        steady = effect_interval(disp, r["effect_steady"], r["effect_steady_lo"],
                                 r["effect_steady_hi"])
        if b is None or not is_number(r["effect_steady"]):
            # a programme's own role (its organisers under strain): nothing to compare with,
            # so no change and no verdict ("n/a ... unclear" before); out of how many
            of = out_of_staff({(s.name, k): row["mean_steady"] for k, row in rows.items()},
                              s.name, m)
            t.append(f"<tr><td class='name'>{esc(disp.label)}</td>"
                     "<td class='unclear'>none without it</td>"
                     f"<td class='num'>{esc(disp.value(r['mean_steady']) + of)}</td>"
                     "<td class='unclear' colspan='3'>not compared: the baseline has no such "
                     "role</td></tr>")
            continue
        # read side by side: with shared decimals (a user check: "18% | 18%" beside -0.7)
        base, level = disp.values(b["mean_steady"], r["mean_steady"])
        t.append(f"<tr><td class='name'>{esc(disp.label)}</td><td class='num'>{esc(base)}</td>"
                 f"<td class='num'>{esc(level)}</td>"
                 f"<td class='num'>{esc(steady)}</td>"
                 f"<td class='{v}'>{esc(VERDICT_MARK[v])}</td>"
                 f"<td class='num'>{esc(last)}</td></tr>")
    return ("<details><summary>Every core measure for this option</summary>"
            f"<p class='muted'>Levels and changes are averages over {esc(steady_words(d))}; "
            "the last column is the change on the last day alone, noisier, for reference.</p>"
            + scroll("<table>" + "".join(t) + "</table>") + "</details>")


def section_run_table(d: ReportData) -> str:
    core = core_metrics(d.summary)
    rows = rows_for(d.summary, d.scenarios[0].name)
    out = ["<h2 id='tables'>Where the community ends up</h2>",
           f"<p>Median across runs on day {d.days:,}, with the range covering 90% of runs.</p>",
           "<div class='scroll'><table><tr><th class='name'>Measure</th><th>What it measures</th>"
           f"<th>Day {d.days:,}</th></tr>"]
    for m in core:
        disp = display(m, d.metrics)
        r = rows.get(m)
        cell = "n/a"
        if m in d.not_applicable:
            out.append(f"<tr><td>{esc(disp.label)}</td><td>{esc(disp.doc)}</td>"
                       f"<td class='unclear'>not measured: {esc(ONE_GROUP_WORDS)}</td></tr>")
            continue
        if r is not None and is_number(r["median_end"]):
            cell = disp.value(float(r["median_end"]))
            if is_number(r["band_lo"]) and is_number(r["band_hi"]):
                cell = disp.value_band(float(r["median_end"]), float(r["band_lo"]),
                                       float(r["band_hi"]))
        out.append(f"<tr><td>{esc(disp.label)}</td><td>{esc(disp.doc)}</td>"
                   f"<td class='num'>{esc(cell)}</td></tr>")
    out.append("</table></div>")
    return "\n".join(out)


def section_charts(d: ReportData) -> str:
    out = ["<h2 id='charts'>Charts</h2>",
           "<p>Select a chart to open it full size.</p>"]
    if d.effects_chart is not None:
        out.append("<h3>Effects over the steady window</h3>")
        out.append("<p class='legend'>Each point is an option's average paired effect with "
                   "its 95% interval; blue circles are better, orange squares worse, grey "
                   "diamonds unclear, black triangles a clear change with no better "
                   "direction. Each panel says which side is better.</p>")
        out.append(figure(d.effects_chart))
    if d.charts:
        out.append("<h3>Measures over time</h3>")
        against = ("Each panel sets one option (blue) against the baseline (grey). "
                   if d.kind == "compare" else "")
        window = ("Hatched strip at the bottom: the window the verdicts average over."
                  if d.kind == "compare" else "")
        out.append("<p class='legend'>Lines: the median run; bands: 90% of runs; weekly "
                   f"averages. {against}Tinted periods: interventions running (dashed line: "
                   f"start; dotted: end). {window}</p>")
    for c in d.charts:
        out.append(f"<div id='chart-{esc(c.file.rsplit('/', 1)[-1].removesuffix('.png'))}'>"
                   f"{figure(c)}</div>")
    return "\n".join(out)


def costs_sentence(cost: str) -> str:
    """"Costs GBP 9,000 a year." / "No programme cost." / "Cost not known." (:func:`cost_words`,
    with what a closure saves after a semicolon)."""
    if cost.startswith(("no programme cost", "cost not known")):
        return cost[0].upper() + cost[1:] + "."
    return f"Costs {cost}."


def section_compared(d: ReportData) -> str:
    title = "What was compared, and how" if d.kind == "compare" else "What was run, and how"
    out = [f"<h2 id='what'>{title}</h2>"]
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
            out.append("<p class='muted'>Programmes that start late for the verdicts' "
                       f"window, {esc(steady_words(d))}: " + esc("; ".join(d.late_starts))
                       + ". Their verdicts come from programmes still settling in, or not yet "
                       "running; a longer run (or an earlier start) gives them time.</p>")
        if d.early_ends:
            one = len(d.early_ends) == 1
            what, it, its = (("A programme that ends", "it", "Its") if one
                             else ("Programmes that end", "they", "Their"))
            out.append(f"<p class='muted'>{what} before the verdicts' window, "
                       f"{esc(steady_words(d))}: {esc(early_end_words(d.early_ends))}. {its} "
                       f"verdicts show what is left of {'it' if one else 'them'} after {it} "
                       f"stopped, not what {it} did while running: that is under "
                       "<a href='#lasting'>After a programme ends</a>.</p>")
    else:
        residents = d.scenarios[0].residents
        out.append(f"<p class='lede'>The scenario <strong>{esc(d.scenarios[0].name)}"
                   f"</strong> was simulated for a community of {residents:,} residents, for "
                   f"{fmt_days(d.days)}, {d.replicates} times with different random seeds. "
                   "Charts show the median run and the range covering 90% of runs.</p>")
    if d.settings_note:
        out.append(f"<p class='muted'>{esc(d.settings_note)}</p>")
    files = d.residents_in_files
    if files and not d.sizes_set_aside and d.scenarios:
        # the files agree, and the job ran them at another size (the main job's, --residents):
        # said where the residents are (a user check read 1,000 here beside an area's embedded
        # n_residents = 1500, said only in the terminal)
        n, own = d.scenarios[0].residents, next(iter(files.values()))
        out.append(f"<p class='muted' id='size-in-files'>Every scenario ran at {n:,} "
                   f"residents, the size this job was given; the files describe a community "
                   f"of {own:,}, so the effects are those of the programmes in a community of "
                   f"{n:,}.</p>")
    rows = ["<tr><th class='name'>Scenario</th><th>What it is</th>"
            "<th>Interventions (active days)</th><th>Residents</th><th>Runs</th></tr>"]
    for s in in_order(d):
        ivs = "; ".join(f"{esc(lab)} (days {a:,}\u2013{b:,})" for lab, a, b in s.interventions)
        tag = " <span class='muted'>(baseline)</span>" if s.name == d.baseline else ""
        runs = f"{s.replicates - s.n_missing} of {s.replicates}" if s.n_missing else \
            f"{s.replicates}"
        rows.append(f"<tr><td class='name'><strong>{esc(s.name)}</strong>{tag}</td>"
                    f"<td class='wide'>{esc(s.description)}"
                    f"</td><td class='wide'>{ivs or 'none'}</td>"
                    f"<td class='num'>{s.residents:,}"
                    + (f" <span class='muted'>(file: {files[s.name]:,})</span>"
                       if files.get(s.name, s.residents) != s.residents else "")
                    + f"</td><td class='num'>{runs}</td></tr>")
    out.append(scroll("<table>" + "".join(rows) + "</table>"))
    return "\n".join(out)


def section_definitions(d: ReportData) -> str:
    out = ["<h2 id='definitions'>Scenario files</h2>",
           "<p>Each scenario as written in its file, and the full definition the simulation "
           "used after filling in what the file inherits and the defaults.</p>"]
    for s in in_order(d):
        parts = []
        if s.file:
            sha = f" <span class='muted'>sha256 {esc(s.sha256)}</span>" if s.sha256 else ""
            parts.append(f"<p>File: <code>{esc(s.file)}</code>{sha}</p>")
        if s.file_text:
            parts.append(f"<pre>{esc(s.file_text)}</pre>")
        if s.definition:
            parts.append("<details><summary>Merged definition</summary><pre>"
                         f"{esc(json.dumps(s.definition, indent=2, default=str))}</pre>"
                         "</details>")
        out.append(f"<details><summary>{esc(s.name)}</summary>{''.join(parts)}</details>")
    return "\n".join(out)


def section_caveats(d: ReportData) -> str:
    cal = ""
    if d.n_parameters:
        fitted = d.n_fitted or d.n_calibrated
        alike = (f" hold the {fitted} parameters calibrated against survey figures (a value "
                 "set alike in each section counted once)" if fitted != d.n_calibrated
                 else " are marked as calibrated against survey figures")
        cal = (f" Of the model's {d.n_parameters} numeric settings, {d.n_calibrated}{alike}; "
               "every other value is an assumption.")
    costs_where = ("see <a href=\"#costs\">Costs</a>" if d.kind == "compare"
                   else "cost_per_year_gbp in summary.csv")
    n = d.replicates
    if d.kind == "compare":
        levels = ("The levels given here are for this window; the paired effects move less, "
                  "as both runs of a pair drift alike (docs/MODEL.md, Known limitations).")
        spread, runs = "Intervals", f"{n} paired run{'s' if n != 1 else ''}"
    else:
        levels = (f"The levels given here are for day {d.days:,} (docs/MODEL.md, Known "
                  "limitations).")
        spread, runs = "Ranges", f"{n} run{'s' if n != 1 else ''}"
    return f"""<h2 id='caveats'>Assumptions and caveats</h2>
<ul>
<li><strong>The model is illustrative.</strong> It puts published ideas about neighbourhood
kindness (Joseph Rowntree Foundation studies, models of reputation, trust and contact) into
rules. It helps compare options and reason about mechanisms; it does not forecast what will
happen in a real place.</li>
<li><strong>Parameters are assumptions unless calibrated.</strong>{esc(cal)} The research the
model draws on is largely qualitative, so most numbers are informed guesses. The model card
(<a href="{esc(d.model_doc_href)}">docs/MODEL.md</a>) lists every rule, parameter, default, unit
and source.</li>
<li><strong>Costs are estimates.</strong> Each programme's resources and every unit cost are
assumptions with their basis stated ({costs_where}); put in your own prices
before using them in a bid.</li>
<li><strong>Sizes of effects depend on settings</strong> such as how strong, how wide and how
long an intervention is: read them as "under these settings", and compare options with one
another rather than as absolute predictions.</li>
<li><strong>Levels depend on the length of the run.</strong> The simulated community settles
from most of its starting state in its first year, but some levels (unmet need, loneliness,
resentment) go on drifting slowly in years two and three. {levels}</li>
<li><strong>{spread} show simulation noise only</strong> ({runs}). They do
not include uncertainty about the parameters themselves; a robustness analysis varies those.
</li>
<li>Shares are of simulated residents and use survey-style thresholds (for example "trusts other
groups" means a trust level of at least 0.5 on a 0-1 scale).</li>
</ul>"""


TIMING_WORDS = {"runs": "runs", "summary_and_daily": "summaries and daily values",
                "decisions": "decisions and costs", "charts": "charts", "report": "report",
                "post_processing": "everything after the runs", "total": "in all"}


def section_metadata(d: ReportData) -> str:
    m = d.manifest
    best = " and chances of being best" if d.kind == "compare" else ""
    t = m.get("timings_s", {})
    times = ", ".join(f"{TIMING_WORDS[k]} {fmt_number(v, decimals=1)} s" for k, v in t.items()
                      if k in TIMING_WORDS)
    if "post_processing_share" in t:
        times += (f" (after the runs: {fmt_number(100 * t['post_processing_share'], decimals=0)}"
                  "% of the time)")
    rows = [
        ("Started", m.get("started")), *_resumed(m), ("Finished", m.get("finished")),
        ("Time taken", times),
        ("Command", shlex.join(m.get("command", []))),
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
           f"and section included), costs{best} in "
           "<code>summary.csv</code>.</p><div class='scroll'><table>"]
    for k, v in rows:
        out.append(f"<tr><th>{esc(k)}</th><td>{esc(v)}</td></tr>")
    out.append("</table></div>")
    return "\n".join(out)


def _resumed(manifest: dict) -> list[tuple[str, str]]:
    """The metadata's row of the times a job was resumed (its sessions after the first:
    sim.report.manifest), each with the runs it ran and kept; none for a job run once."""
    later = [s for s in (manifest.get("sessions") or [])[1:] if isinstance(s, dict)]
    if not later:
        return []

    def did(s: dict) -> str:  # "ran none and kept 9 runs"
        ran, kept = s.get("runs_run"), s.get("runs_kept")
        if not (isinstance(ran, int) and isinstance(kept, int)):
            return ""
        return (f" (ran {f'{ran:,}' if ran else 'none'} and kept {kept:,} "
                f"run{'s' if kept != 1 else ''})")

    return [("Resumed", "; ".join(f"{s.get('started')}{did(s)}" for s in later))]


def when(iso: str) -> str:
    """"2026-11-28T09:22:35+00:00" -> "28 November 2026, 09:22 UTC"."""
    from datetime import datetime

    try:
        t = datetime.fromisoformat(iso)
    except (TypeError, ValueError):
        return str(iso)
    zone = " UTC" if t.utcoffset() is not None and not t.utcoffset() else ""
    return f"{t.day} {t:%B %Y, %H:%M}{zone}"

