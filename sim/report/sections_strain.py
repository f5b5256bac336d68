"""The page's sections on the helpers and the money: strain on helpers (people per 1,000
residents), what happens after a programme ends, and what each option costs."""

from __future__ import annotations

import re

from sim.metrics import CIVIC_CORE_SHARE
from sim.report.decision import (
    STAFF_SUFFIX,
    change_words,
    cost_words,
    headline_outcomes,
    organiser_measures,
    out_of_staff,
    people_measures,
    saving_line,
    steady_levels,
)
from sim.report.page import (
    VERDICT_LEGEND,
    VERDICT_MARK,
    ReportData,
    esc,
    in_order,
    is_number,
    legend_with_copies,
    metrics_for,
    row_verdict,
    rows_for,
    scroll,
    steady_words,
)
from sim.report.units import display, fmt_gbp, fmt_number, fmt_share
from sim.report.words import effect_interval


def section_strain(d: ReportData) -> str:
    present = set(d.summary["metric"])
    people = people_measures(present)
    organisers = organiser_measures(present)
    measured, _ = headline_outcomes(present)
    strain = ["helper_strain"] if "helper_strain" in measured else []
    out = ["<h2 id='strain'>Strain on helpers</h2>",
           "<p>The few who do most of the helping carry the cost of more help being asked "
           "and offered. "
           + (f"Here, first, the share of the civic core (the {CIVIC_CORE_SHARE:.0%} of "
              "residents who give the most help) whose strain is at the level where "
              "helping has become too much; then in people: " if strain else "Here in people: ")
           + "residents per 1,000, and each programme's own helpers (organisers, bridge "
           "figures) under strain where an option has them; averaged over "
           f"{esc(steady_words(d))}.</p>"]
    if not strain:
        out.append("<p class='muted'>Strain among the most active helpers (the civic core) is "
                   "not measured by this version of the model; it will appear here and on "
                   "the card once it is.</p>")
    measures = strain + people + organisers
    if not measures:
        out.append("<p>No measure of strain or burnout is in these runs.</p>")
        return "\n".join(out)
    # a programme's own measure by its short form ("Bridge figures under strain"): its label
    # ("Bridge figures: bridge figures under strain") said the programme twice, and named one
    # option's programme for a column of every option's; the label where two would read alike
    shorts = [display(m, d.metrics).short for m in measures]
    heads = [display(m, d.metrics).label if shorts.count(t) > 1 else t
             for m, t in zip(measures, shorts, strict=True)]
    head = "<tr><th class='name'>Option</th>" + "".join(
        f"<th>{esc(t)} <span class='muted'>({esc(display(m, d.metrics).axis)})</span></th>"
        for m, t in zip(measures, heads, strict=True)) + "</tr>"
    rows, level_of = [head], steady_levels(d.summary)
    copies = getattr(d, "as_baseline", None) or {}  # options that run as the baseline
    for s in in_order(d):
        r = rows_for(d.summary, s.name)
        cells = [f"<td class='name'>{esc(s.name)}</td>"]
        for m in measures:
            disp = display(m, d.metrics)
            row = r.get(m)
            if row is None or not is_number(row["mean_steady"]):
                cells.append("<td class='unclear'>not in this option</td>")  # its programme's role
                continue
            if s.name == d.baseline:
                cells.append(f"<td class='num'>{esc(disp.value(row['mean_steady']))}</td>")
                continue
            if not is_number(row["effect_steady"]):  # a role the baseline does not have
                of = out_of_staff(level_of, s.name, m)
                # pieces the cell may break between, as the verdicts' cells (the table
                # fits a desktop's page with "of 13.2 in post")
                cells.append(f"<td class='num split'><span>{esc(disp.value(row['mean_steady']))}"
                             f"</span> <span>{esc(of.strip())}</span> "
                             "<span class='muted'>(none without it)</span></td>")
                continue
            base = float(row["mean_steady"]) - float(row["effect_steady"])
            v = "same" if s.name in copies else row_verdict(row, disp)
            # an arrow, as on the card: "18.7% to 22.3%" read as an interval (a user check)
            text = (change_words(disp, base, row["mean_steady"], clear=v in ("better", "worse"),
                                 arrow=True)
                    if is_number(base) else disp.value(row["mean_steady"]))
            # the levels, what is said in brackets after them (the change where the levels
            # read alike, or "3.5 times as many") and the verdict: pieces kept whole that
            # the cell may break between, so that the table fits a desktop's page
            levels, _, said = text.partition(" (")
            pieces = [levels] + ([f"({said}"] if said else [])
            cells.append(f"<td class='{v} num split'>"
                         + " ".join(f"<span class='n'>{esc(x)}</span>" for x in pieces)
                         + f" <span class='v'>{esc(VERDICT_MARK[v])}</span></td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    out.append(scroll("<table>" + "".join(rows) + "</table>"))
    out.append("<p class='legend'>Cells read \u201cbaseline \u2192 this option\u201d. "
               + legend_with_copies(bool(copies))[len("<p class='legend'>"):])
    return "\n".join(out)


def section_durability(d: ReportData) -> str:
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
    place = {s.name: i for i, s in enumerate(in_order(d))}  # the options' order elsewhere
    for (scenario, programme, end), rows in sorted(groups.items(),
                                                   key=lambda g: place.get(g[0][0], len(place))):
        # the scenario, then its programme (a label in brackets beside a name in brackets
        # read twice over: "Common-cause project (one year) (Common cause for one year)")
        out.append(f"<h3>{esc(scenario)}: {esc(programme)}, which ends on day {end:,}</h3>")
        running_on = rows[0]["ending"].running_on
        if running_on:  # "include its." was a sentence cut short (a user check)
            one = len(running_on) == 1
            out.append(f"<p class='muted'>The option's other programme{'' if one else 's'} "
                       f"({esc('; '.join(running_on))}) run{'s' if one else ''} on after day "
                       f"{end:,}: the effects after day {end:,} include what "
                       f"{'it does' if one else 'they do'}.</p>")
        t = ["<tr><th class='name'>Measure</th><th>At its end</th><th>6 months later</th>"
             "<th>12 months later</th></tr>"]
        for r in rows:
            disp = display(r["metric"], metrics_for(d, scenario))  # its own programme's
            cells = [f"<td class='name'>{esc(disp.label)}</td>"]
            for _months, e in r["points"]:
                if e is None:
                    cells.append("<td class='unclear'>after the run</td>")
                else:
                    cells.append(f"<td class='{e.verdict} num'>"
                                 f"{esc(effect_interval(disp, e.effect, e.lo, e.hi))} "
                                 f"<span class='v'>{esc(VERDICT_MARK[e.verdict])}</span></td>")
            t.append("<tr>" + "".join(cells) + "</tr>")
        out.append(scroll("<table>" + "".join(t) + "</table>"))
    out.append(VERDICT_LEGEND)
    return "\n".join(out)


def _programme_cost(name: str, p: dict) -> str:
    """A programme's cost of a year of running (its saving, for a closure), and its days."""
    days = f"({p['days_running']:,} day{'s' if p['days_running'] != 1 else ''})"
    if p["saved_per_year_running_gbp"] > 0 and not p["per_year_running_gbp"]:
        return f"{esc(name)}: saves {esc(fmt_gbp(p['saved_per_year_running_gbp']))} {days}"
    saved = (f", saves {esc(fmt_gbp(p['saved_per_year_running_gbp']))}"
             if p["saved_per_year_running_gbp"] > 0 else "")
    return f"{esc(name)}: {esc(fmt_gbp(p['per_year_running_gbp']))}{saved} {days}"


# staff in post below this share of the plan is said beside the programme's cost (at 0.8, a
# user check saw it said of bridge figures with 16 of 20 in post and not of a package's with
# 16.5 of 20, costed alike)
STAFF_SHORT = 0.9


def staff_short_notes(d: ReportData, s) -> list[str]:
    """Where a programme had well under the staff its cost counts in post (averaged over the
    steady window, its ``<name>_staff_in_post``), in words: costs are made before the runs,
    from the plan, so they stay the plan's, and the reader is told (a user check: bridge
    figures among students who are rescuers had 2 in post and were costed for 30, value for
    money overstated 15 times, and the report said nothing)."""
    planned = getattr(s.cost, "planned_staff", None) or {}
    summary = getattr(d, "summary", None)
    if not planned or summary is None:
        return []
    levels, out = steady_levels(summary), []
    window = steady_words(d) if getattr(d, "steady", None) else "the steady window"
    for name, (label, plan, words) in planned.items():
        level = levels.get((s.name, f"{name}{STAFF_SUFFIX}"))
        if not is_number(level) or plan <= 0 or level >= STAFF_SHORT * plan:
            continue
        n = fmt_number(level, decimals=0 if abs(level - round(level)) < 0.05 else 1)
        if level >= 0.05:
            # "1 times less" read for 16 of 20 in post (a user check): the share in post, and
            # the factor to one decimal below 10
            factor = plan / level
            times = (f": costed for those in post it would be about {fmt_share(level / plan)} "
                     f"of this, and its effect per \u00a310,000 about "
                     f"{fmt_number(factor, decimals=1 if factor < 10 else 0)} times as high")
        else:
            times = ": with none in post it did nothing, yet its cost is counted in full"
        # the window's own brackets not inside others ("(days 549 to 730 (months 18 to
        # 24); ...)": a user check)
        out.append(f"{label}: its cost counts the {plan:,} {words} planned, but only {n} "
                   f"were in post on average over {window}, as it found no more among the "
                   f"residents it targets{times}")
    return out


def resource_words(name: str) -> str:
    """A resource's name in words: "small_grants_gbp" -> "Small grants" (its pounds are in
    the unit beside it)."""
    words = name.removesuffix("_gbp").replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def section_costs(d: ReportData) -> str:
    out = ["<h2 id='costs'>What each option costs</h2>",
           "<p>Each programme's resources for a year of running (staff hours, venue hours, "
           "events, training places, small grants) priced at the unit costs below; a "
           "programme counts only the days it runs. Cost per year is the cost from the day the "
           "first programme starts to the end of the run, divided by that period's length in "
           "years (the days before the first programme starts are left out). A programme "
           "that stops before the run ends costs less a year of that period than a year of "
           "its running: both are in the table. An effect per \u00a310,000 a year is the "
           "effect divided by the cost per year: value for money at the size simulated, not "
           "a promise that spending more or less would scale the effect. A programme's cost "
           "counts the staff it plans (bridge figures, organisers), whether or not it finds "
           "that many: where the runs had well under that in post, the table says so.</p>"]
    # the cost per year first, beside the option: on a phone the programmes' list took the
    # screen's width and left it off to the right (a user check); the list in a row of its
    # own under the option's costs (a column of its own left rows of white 1,000 px tall
    # on a phone: a user check)
    rows = ["<tr><th class='name'>Option</th><th>Cost per year</th><th>Cost over the run</th>"
            "</tr>"]
    unit_costs = {}
    for s in in_order(d):
        c = s.cost
        if c is None:
            continue
        unit_costs.update({k: v for k, v in c.unit_costs.items()
                           if k not in unit_costs or v.overridden_in})
        plist = "; ".join(_programme_cost(name, p) for name, p in c.programmes().items())
        plist += "".join(f"<br><span class='worse'>{esc(note)}</span>"
                         for note in staff_short_notes(d, s))
        saved = (f"<br>saves {esc(fmt_gbp(c.saved_total_gbp))}" if c.saved_total_gbp > 0
                 else "")
        # the column says "per year": the pounds alone, so that the table fits a phone
        per_year = (fmt_gbp(max(c.per_year_gbp, 0.0)) if is_number(c.per_year_gbp)
                    else cost_words(c.per_year_gbp))
        rows.append(f"<tr><td class='name'>{esc(s.name)}</td>"
                    f"<td class='num'>{esc(per_year)}"
                    f"{saving_line(c.saved_per_year_gbp)}</td>"
                    f"<td class='num'>{esc(fmt_gbp(c.total_gbp))}{saved}</td></tr>")
        if plist:
            rows.append("<tr class='under'><td colspan='3'><span class='muted'>A year of "
                        f"running each programme (days run):</span> {plist}</td></tr>")
    out.append(scroll("<table class='costs'>" + "".join(rows) + "</table>"))
    if any(s.cost is not None and s.cost.saved_total_gbp > 0 for s in d.scenarios):
        out.append("<p>A hub that closes saves what it cost to run (\u201c"
                   f"{resource_words('hub_years')}\u201d in the unit costs below, an "
                   "assumption unless a scenario file gives the hub's own budget). "
                   "The saving is shown beside the cost and never taken off it: effects per "
                   "\u00a310,000 divide by what the programmes spend.</p>")
    if unit_costs:
        u = ["<tr><th>Resource</th><th>Unit</th><th>Price</th><th>Source</th></tr>"]
        for name, uc in unit_costs.items():
            src = uc.source + (f" (set in {uc.overridden_in})" if uc.overridden_in else "")
            src = re.sub(r"\bGBP ?(?=\d)", "\u00a3", src)  # as the prices beside it say it
            # in words, with the name a [costs] table gives it under them (a user check read
            # "small grants gbp" at "£1.00"); pence only where a price has them
            u.append(f"<tr><td>{esc(resource_words(name))}<br><code class='v'>{esc(name)}"
                     f"</code></td><td>{esc(uc.unit)}</td><td class='num'>\u00a3"
                     f"{esc(fmt_number(uc.gbp, decimals=0 if uc.gbp == int(uc.gbp) else 2))}"
                     f"</td><td class='wide'>{esc(src)}</td></tr>")  # read on a phone
        out.append("<details><summary>Unit costs and their sources</summary>"
                   + scroll("<table>" + "".join(u) + "</table>") + "<p class='muted'>A "
                   "scenario file can set its own prices in a <code>[costs]</code> table "
                   "(docs/SCENARIOS.md).</p></details>")
    return "\n".join(out)


