"""The top of a comparison's page: the lede, warnings (options that are not the same
community, few runs, verdicts before the community has settled), the decision card (the best
option for each headline outcome), the ranking of every option, and the page's
navigation."""

from __future__ import annotations

from sim.ensemble.intervals import FEW_RUNS
from sim.params import SETTLED_DAY
from sim.report.community import ONE_GROUP_WORDS, different_sizes_words
from sim.report.decision import (
    STAFF_STRAIN_WORDS,
    Pick,
    change_words,
    cost_words,
    lower_first,
    people_measures,
    saving_words,
)
from sim.report.page import (
    VERDICT_MARK,
    ReportData,
    esc,
    is_number,
    legend_with_copies,
    rows_for,
    scroll,
    steady_words,
    verdict_cell,
)
from sim.report.programmes import settled_days, unsettled
from sim.report.units import (
    MINUS,
    _enough_decimals,
    display,
    fmt_days,
    fmt_number,
    fmt_share_of,
)
from sim.report.words import listed_words


def lede(d: ReportData) -> str:
    residents = sorted({s.residents for s in d.scenarios})
    res = (f"{residents[0]:,} residents" if len(residents) == 1
           else f"{residents[0]:,} to {residents[-1]:,} residents")
    if d.not_applicable:  # said once, where the community is
        res += " in one group (a single section)"
    n = len(d.scenarios) - 1
    return (f"<p class='lede'>{n} option{'s' if n != 1 else ''} compared with "
            f"<strong>{esc(d.baseline)}</strong> in a simulated community of {res} over "
            f"{fmt_days(d.days)} (about {d.days / 365:.1f} years), {d.replicates} paired "
            f"run{'s' if d.replicates != 1 else ''} each. Every verdict below averages each "
            f"run over <strong>{esc(steady_words(d))}"
            "</strong>, the last quarter of the run, rather than trusting one noisy day."
            + _timing_words(d) + "</p>")


def _timing_words(d: ReportData) -> str:
    """The lede's pointer to programmes whose time does not fit the verdicts' window."""
    out = ""
    if d.late_starts:
        out += " Some programmes start late: see <a href='#what'>What was compared</a>."
    if len(d.early_ends) == 1:
        out += (f" {esc(d.early_ends[0][1])} ends before that window, so it is judged on what "
                "is left of it: see <a href='#lasting'>After a programme ends</a>.")
    elif d.early_ends:
        out += (f" {len(d.early_ends)} programmes end before that window, so they are judged "
                "on what is left of them: see <a href='#what'>What was compared</a>.")
    return out


def community_warning(d: ReportData) -> str:
    if not d.different_community:
        return ""
    items = "".join(f"<li><strong>{esc(name)}</strong> differs from {esc(d.baseline)} in: "
                    f"{esc('; '.join(keys))}</li>" for name, keys in d.different_community.items())
    return ("<div class='warn' id='different-community'><strong>These pairs are not the same "
            "community.</strong> Some options describe a different place from the baseline, "
            "not only different interventions, so their \u201ceffects\u201d mix what the "
            "interventions do with how the places differ, and the intervals do not show "
            f"this. Read them with care.<ul>{items}</ul>To compare like with like, make an "
            "area baseline (<code>python run.py new-area NAME</code>) and compare options that "
            "extend it.</div>")


def cautions(d: ReportData) -> str:
    """One box of what limits every verdict below, a line each: a comparison of one paired
    run (no intervals) or of a few (wide ones); verdicts taken before the simulated community
    has settled from its starting state (a short run: the compare page's 180 days, a quick
    --days 300), which may not last. One box, not a box each, so that the decision card
    still starts on a phone's first screen."""
    lines = []
    if d.replicates < 2:
        lines.append("<p id='one-run'><strong>One paired run.</strong> With one run of each "
                     "option there are no intervals, so nothing below can be told from "
                     "chance: every verdict is \u201cunclear\u201d and \u201cbest in "
                     "1 of 1\u201d means best in that one run. Run the comparison again with "
                     "<code>--replicates 10</code> or more before reading anything into the "
                     "differences.</p>")
    elif d.replicates < FEW_RUNS:
        lines.append(f"<p id='few-runs'><strong>Only {d.replicates} paired runs:</strong> "
                     "wide intervals, most verdicts unclear. Run 10 or more before deciding "
                     "anything.</p>")
    if d.as_baseline:
        names = listed_words([f"\u2018{esc(n)}\u2019" for n in d.as_baseline])
        one = len(d.as_baseline) == 1
        # short: the box must leave the card on a phone's first screen
        lines.append(f"<p id='as-baseline'><strong>The same as the baseline:</strong> {names} "
                     f"{'runs' if one else 'run'} exactly as it does (a copy, or a programme "
                     "that does nothing here): every effect is zero by construction.</p>")
    for name, first in d.alike_options:
        lines.append(f"<p class='alike'><strong>Two options the same:</strong> "
                     f"\u2018{esc(name)}\u2019 has the same interventions and settings as "
                     f"\u2018{esc(first)}\u2019, so the two have the same effects, run for "
                     "run; where the card names one, it could name the other.</p>")
    if d.sizes_set_aside:
        # one line for them all (a user check read it once per option)
        n = d.scenarios[0].residents if d.scenarios else 0
        words = different_sizes_words(d.sizes_set_aside, n, "every option here", esc)
        lines.append(f"<p id='size-set-aside'><strong>Run at one size:</strong> {words}.</p>")
    if d.steady and unsettled(d.days):
        lines.append(f"<p id='settling'><strong>A community still settling:</strong> "
                     f"{esc(steady_words(d))} start before it has mostly settled (about day "
                     f"{SETTLED_DAY}). Run {settled_days():,} days or more.</p>")
    return f"<div class='warn cautions'>{''.join(lines)}</div>" if lines else ""


def run_cautions(d: ReportData) -> str:
    """The box of :func:`cautions` for one scenario's report, where nothing is paired: one
    run (no ranges) or a few (ranges that rest on those few); a run that ends before the
    community has settled (the rule the comparison's verdicts follow, :func:`unsettled`)."""
    lines = []
    n = d.replicates
    if n < 2:
        lines.append("<p id='one-run'><strong>One run.</strong> The figures below are that "
                     "one run's: there is no range, and another random seed could give "
                     "quite different ones. Run it again with <code>--replicates 10</code> "
                     "or more before reading much into them.</p>")
    elif n < FEW_RUNS:
        lines.append(f"<p id='few-runs'><strong>Only {n} runs:</strong> each range covering "
                     f"90% of runs rests on these {n} runs, so it is little more than the "
                     "lowest and highest of them, and could be much wider. Run 10 or more "
                     "before relying on the ranges.</p>")
    if unsettled(d.days):
        when = "before" if d.days <= SETTLED_DAY else "soon after"
        lines.append(f"<p id='settling'><strong>A community still settling:</strong> a run "
                     f"of {fmt_days(d.days)} ends {when} the simulated community has mostly "
                     f"settled from its starting state (about day {SETTLED_DAY}), so the "
                     f"levels below may still be moving. Run {settled_days():,} days or "
                     "more.</p>")
    return f"<div class='warn cautions'>{''.join(lines)}</div>" if lines else ""


# how the scenario most often best besides the pick is named when it is not an option to fund
RIVAL_ROLES = {"baseline": " (no programme)", "loss": " (not an option to fund)"}


def rival_words(p: Pick, n: int = 0) -> str:
    """"; next Bridge figures, 20%", or where another scenario won more of the paired runs
    than the pick (the card picks by verdict, then average effect, among options to fund),
    "; most often best: Baseline (no programme), 80%"; nothing when no other scenario was
    ever best."""
    if not (p.runner_up and is_number(p.runner_up_p) and p.runner_up_p > 0):
        return ""
    lead = "most often best:" if p.runner_up_p > p.p_best else "next"
    return (f"; {lead} {esc(p.runner_up)}{esc(RIVAL_ROLES.get(p.runner_up_role, ''))}, "
            f"{esc(fmt_share_of(p.runner_up_p, n))}")


def pick_headline(p, disp, with_losses: bool = False) -> str:
    """The first line of a card's outcome: the option that clearly improves it most; or, when
    none clearly does, the one with the largest average improvement; or, when none improves
    it even on average, the one that makes it least worse (QA found an option that made
    loneliness worse named as the "largest average effect" on loneliness), among those not
    clearly worse while there are any (:data:`sim.report.decision.PICK_ORDER`); one whose
    average is no change at all is said as such (an effect of exactly 0.0 read "Least change
    for the worse")."""
    e = p.effect
    option = f"<span class='opt'>{esc(p.best)}</span>"
    if e.verdict == "better":
        return f"<p>Best: {option}</p>"
    # beside a loss (a hub closing), which may improve it but is never picked (a user check:
    # "No option clearly improves this" above a closure that clearly did)
    no = "No option to fund" if with_losses else "No option"
    improves = e.effect < 0 if disp.higher_is_better is False else e.effect > 0
    if improves:
        return f"<p>{no} clearly improves this. Largest average improvement: {option}</p>"
    if p.aside is not None:  # another changes it less on average, but clearly for the worse
        return f"<p>{no} improves this, even on average. Not clearly worse: {option}</p>"
    if e.effect == 0:  # none improves it, and this one leaves it exactly as it was
        return f"<p>{no} improves this, even on average. No change on average: {option}</p>"
    return (f"<p>{no} improves this, even on average. Least change for the worse: "
            f"{option}</p>")


def aside_words(p, disp, n: int | None = None) -> str:
    """The card's line for the option with a better average than its pick but a less sure
    verdict (:attr:`Pick.aside`), so that the card and the ranking's marks agree and the
    larger average is still in view: "Larger average, not clear: Weird but valid -2.8
    (-26.8 to 21.3)", and with ``n`` paired runs, its chance of being best (", best in 1 of
    2"; it is the pick's runner-up); nothing without one."""
    a = p.aside
    if a is None:
        return ""
    best = (f", best in {fmt_share_of(p.runner_up_p, n)}"
            if n is not None and is_number(p.runner_up_p) and p.runner_up_p > 0 else "")
    interval = (f" ({disp.effect(a.lo, signed=False)} to {disp.effect(a.hi, signed=False)})"
                if is_number(a.lo) and is_number(a.hi) else "")
    lead = "Smaller average harm, but clear:" if a.verdict == "worse" else \
        "Larger average, not clear:"
    # in the unit of the effect above it; short, so that the card stays on a desktop's
    # first screen
    return (f"<p class='muted aside'>{lead} <strong>{esc(a.scenario)}</strong> "
            f"{esc(disp.effect_in(a.effect, a.lo, a.hi))}{esc(interval)}{esc(best)}</p>")


def _pick_html(p, d: ReportData) -> str:
    disp = display(p.metric, d.metrics)
    if not p.measured and p.reason:  # one the runs have that cannot move here
        return (f"<div class='pick pick-none'><h3>{esc(p.label)}</h3><p>{esc(p.reason)}</p>"
                "</div>")
    if not p.measured:
        return ("<div class='pick pick-none'><h3>Strain on helpers</h3><p>Not measured yet: this "
                "version of the model has no measure of strain among the most active helpers "
                "(the civic core). Burnout is shown under <a href='#strain'>Strain on "
                "helpers</a>.</p></div>")
    if p.effect is None:  # none to pick among (every option a copy or a loss), or no pairs
        return (f"<div class='pick pick-none'><h3>{esc(p.label)}</h3><p>"
                f"{esc(p.reason or 'No effect could be computed.')}</p></div>")
    e = p.effect
    clear = e.verdict == "better"
    interval = (f"{disp.effect(e.lo, signed=False)} to {disp.effect(e.hi, signed=False)}"
                if is_number(e.lo) else "no interval")
    unit = "points" if disp.kind == "share" else disp.effect_short
    lines = [f"<h3>{esc(p.label)}</h3>", pick_headline(p, disp, bool(d.decision.losses))]
    lines.append(f"<p class='big'>{esc(disp.effect_in(e.effect, e.lo, e.hi))} {esc(unit)} "
                 "<span class='ci'>"
                 f"({esc(interval)})</span> <span class='v'>{esc(VERDICT_MARK[e.verdict])}"
                 "</span></p>")
    sure = ""
    n = d.decision.n_pairs
    # the option named apart, when it is also the one most often best besides the pick,
    # carries its chance on its own line rather than being named twice
    rival_aside = p.aside is not None and p.runner_up == p.aside.scenario
    if is_number(p.p_best):
        runs = "paired run" if n == 1 else "paired runs"
        share = fmt_share_of(p.p_best, n)
        sure = (f"<br>Best in {esc(share)}{'' if ' of ' in share else f' of {n}'} {runs}"
                f"{'' if rival_aside else rival_words(p, n)}")
    levels = change_words(disp, e.base_level, e.level, clear=False, arrow=True, change=False)
    lines.append(f"<p class='muted'>{esc(levels)}{sure}</p>")
    if p.aside is not None:
        lines.append(aside_words(p, disp, n if rival_aside else None))
    cost = cost_words(p.cost_per_year)
    if cost == "no programme cost":
        lines.append("<p>No programme cost</p>")
    else:
        per = ""
        # value for money only for a clear improvement: beside "least change for the worse"
        # or an unclear one, "+0.90 points per £10,000" read as money buying an improvement
        # (a user check)
        if clear and is_number(p.per_10k[0]):
            interval = (f"{esc(_per_10k(disp, p.per_10k[1], signed=False))} to "
                        f"{esc(_per_10k(disp, p.per_10k[2], signed=False))}"
                        if is_number(p.per_10k[1]) and is_number(p.per_10k[2])
                        else "no interval")  # one paired run
            per = (f"; {esc(_per_10k(disp, p.per_10k[0]))} {esc(unit)} per \u00a310,000 "
                   f"({interval})")
        lines.append(f"<p>{esc(cost[:1].upper() + cost[1:])}{per}</p>")
    if p.value_best and p.value_best != p.best:
        # with its whole effect and cost: "+1.81 points per £10,000" of an option costing
        # £7,800 a year read as more than its whole effect of +1.4 (a user check)
        whole = (f"; in all {disp.effect(p.value_effect)} {unit} for "
                 f"{cost_words(p.value_cost_per_year)}" if is_number(p.value_effect) else "")
        lines.append(f"<p>Most per \u00a310,000: <strong>{esc(p.value_best)}</strong> "
                     f"({esc(_per_10k(disp, p.value_per_10k))} {esc(unit)} per \u00a310,000"
                     f"{esc(whole)})</p>")
    if p.tradeoffs:
        lines.append("<p class='trade'>Worse on: " + esc("; ".join(p.tradeoffs)) + "</p>")
    if p.staff:
        lines.append(f"<p class='trade'>{esc(STAFF_STRAIN_WORDS)}: "
                     + esc("; ".join(p.staff)) + "</p>")
    late = getattr(d, "late_options", {}).get(p.best)
    if late:  # judged on a programme still settling in (a user check: a cafe opening on
        # day 600 of 610 named the largest average improvement, the late start said below)
        lines.append("<p class='trade'>Starts late: " + esc("; ".join(late)) + "</p>")
    if not p.tradeoffs and not p.staff:
        lines.append("<p class='ok'>No clear harm to the other outcomes or to helpers</p>")
    cls = "better" if clear else ("worse" if e.verdict == "worse" else "none")
    return f"<div class='pick pick-{cls}'>{''.join(lines)}</div>"


def _per_10k(disp, v, *, signed: bool = True) -> str:
    """An effect per GBP 10,000 a year, with two decimals (more when it would round to 0);
    one too small for three reads "<0.001", signed as it is (a user check: a programme
    costed at GBP 17 billion a year read "+0.000 (0.000 to 0.000)")."""
    if not is_number(v):
        return "n/a"
    x = float(v) * disp.scale
    if x != 0 and round(abs(x), 3) == 0:
        return (MINUS if x < 0 else "+" if signed else "") + "<0.001"
    return fmt_number(x, decimals=_enough_decimals(x, 2), signed=signed)


def section_decision(d: ReportData) -> str:
    dec = d.decision
    picks = "".join(_pick_html(p, d) for p in dec.picks)
    return (f"<section class='card' id='decision'><h2>What to fund: the best option for each "
            f"outcome</h2><div class='picks'>{picks}</div>"
            "<p class='legend'>Each effect is the average difference between an option's run "
            f"and the baseline's run with the same seed, over {esc(steady_words(d))}, with its 95% "
            "interval in brackets, then the level with the baseline \u2192 with the option "
            "(each rounded on its own, so the levels shown may differ by 0.1 more or less "
            "than the effect). "
            "\u201cBest in\u201d is the share of paired runs in which the option did best of all, "
            "doing nothing included (a run in which options tie is shared between them: "
            f"\u00bd each for two{_copies_share(dec)}). Cost per year counts only the days "
            "each programme runs, "
            "over the years from the first programme's start to the end of the run; "
            "effects per \u00a310,000 are per \u00a310,000 a year. \u201cWorse on\u201d lists the "
            "other measures it clearly makes worse; \u201cIts own "
            "staff under strain\u201d, its organisers or bridge figures, whom doing nothing "
            "does not have. A scenario that "
            "only takes something away (a hub closing) is ranked below but never offered "
            "here as something to fund. Top edge of each "
            "box: blue, a clear improvement; orange, every option clearly makes it worse; "
            "grey, no clear change or not measured.</p></section>")


def _best_in(p, n: int) -> str:
    """A ranking cell's second line, "best in 9 of 10", in two pieces it may break between
    (kept whole, each line was the widest thing in its column: a full main job's ranking
    was wider than a desktop's page); nothing when the option was never best."""
    if not (is_number(p) and p > 0):
        return ""
    return (f"<br><span class='muted'>best in</span> "
            f"<span class='muted'>{esc(fmt_share_of(p, n))}</span>")


# a ranking row's cost where it is not a sum, in a word or two under the head "Cost a year"
# (cost_words' "no programme cost" took two or three lines of the narrow column at 1400 px)
RANK_COST_WORDS = {"no programme cost": "none", "cost not known": "not known"}


def _cost_cell(cost_per_year: float, saved_per_year: float) -> str:
    """A ranking row's cost, under the head "Cost a year", so without its "a year" (each
    cost's "a year" made the column wider than the report's other columns could spare):
    "£200,900", "none" (:data:`RANK_COST_WORDS`), kept on one line, and a closure's saving
    on a line of its own, in grey, "saves £150,000"."""
    words = cost_words(cost_per_year)
    cost = RANK_COST_WORDS.get(words, words.removesuffix(" a year"))
    saving = saving_words(saved_per_year).removesuffix(" a year")
    line = f"<br><span class='muted'>{esc(saving)}</span>" if saving else ""
    return f"<td class='num split'><span>{esc(cost)}</span>{line}</td>"


def _head_class(head: str, outcomes: set[str]) -> str:
    """The ranking's column heads: the option's name (kept in view as the table scrolls on a
    phone), and the headline outcomes' (wide enough on a desktop for "best in 10 of 10" on
    one line, where the long heads of the other columns would take the room)."""
    return (" class='name'" if head == "Option" else " class='outcome'" if head in outcomes
            else "")


def section_ranking(d: ReportData) -> str:
    dec = d.decision
    people = people_measures(d.summary["metric"])
    n_out = len(dec.outcomes)
    head = ["#", "Option"] + [display(m, d.metrics).label for m in dec.outcomes] + [
        display(m, d.metrics).short + " (per 1,000 residents)" for m in people] + [
        "Cost a year", "Headline outcomes clearly better / worse"]
    outcome_heads = {display(m, d.metrics).label for m in dec.outcomes}
    rows = ["<tr>" + "".join(
        f"<th{_head_class(h, outcome_heads)}>{esc(h)}</th>" for h in head) + "</tr>"]
    for i, r in enumerate(dec.ranking, 1):
        is_base = r.scenario == d.baseline
        name = esc(r.scenario) + (" <span class='muted'>(doing nothing)</span>"
                                 if is_base else " <span class='muted'>(the same as the "
                                 "baseline)</span>" if r.scenario in dec.copies else "")
        average = (f"<br><span class='muted'>avg {r.average_rank:.1f}</span>"
                   if is_number(r.average_rank) else "")
        cells = [f"<td class='num'>{i}{average}</td>", f"<td class='name'>{name}</td>"]
        for m in dec.outcomes + people:
            disp = display(m, d.metrics)
            p = r.p_best.get(m)
            best = _best_in(p, dec.n_pairs) if m in dec.outcomes else ""
            if is_base:
                rows_b = rows_for(d.summary, r.scenario).get(m)
                level = disp.value(rows_b["mean_steady"]) if rows_b is not None else "n/a"
                cells.append(f"<td class='num split'><span>{esc(level)}</span>{best}</td>")
                continue
            cells.append(verdict_cell(r.effects.get(m), disp, extra=best,
                                      same=r.scenario in dec.copies))
        cells.append(_cost_cell(r.cost_per_year, r.saved_per_year))
        cells.append("<td class='num'>\u2014</td>" if is_base else
                     f"<td class='num'>{r.n_better} / {r.n_worse}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return (f"<h2 id='ranking'>All options ranked</h2><p>Ordered by average rank: in each "
            f"paired run the options (and doing nothing) are ranked on each of the "
            f"{n_out} headline outcome{'s' if n_out != 1 else ''} measured, 1 being best; the "
            "table is ordered by the average of those ranks (\u201cavg\u201d under each "
            "place), each outcome counting equally. Options whose average ranks are close are "
            "about as good as each other on this count: their order is not a verdict, the "
            "cells' verdicts are. "
            "Cells give the change against the baseline over the steady window; the "
            "baseline's row gives its own levels. The last column counts only the headline "
            "outcomes; the columns of all helpers under strain and of the burnt out, per "
            "1,000 residents, are not in it."
            f"{_not_ranked_words(dec, d.metrics)}</p>"
            + scroll("<table class='rank'>" + "".join(rows) + "</table>")
            + legend_with_copies(bool(dec.copies)))


def _copies_share(dec) -> str:
    """What the card's legend adds where an option runs exactly as the baseline: it is
    given the baseline's count, not a share of its ties (a user check read 15 of 10)."""
    if not dec.copies:
        return ""
    return ("; an option that runs exactly as the baseline is given the baseline's count, "
            "so the counts may add up to more than the runs")


def _not_ranked_words(dec, metrics) -> str:
    """" Trust other groups is not ranked: this community has one group ..." for the
    headline outcomes that cannot move in this community; nothing where every one can."""
    left_out = [display(p.metric, metrics).label for p in dec.picks
                if p.metric in dec.not_applicable]
    if not left_out:
        return ""
    listed = " and ".join([left_out[0]] + [lower_first(x) for x in left_out[1:]])
    return f" {listed} {'are' if len(left_out) > 1 else 'is'} not ranked: {ONE_GROUP_WORDS}."


def nav(d: ReportData, compare: bool) -> str:
    items = ([("decision", "What to fund"), ("ranking", "Ranking"), ("strain", "Strain on "
             "helpers")] + ([("lasting", "After a programme ends")] if d.durability else [])
             + [("costs", "Costs"), ("words", "Each option in words")]) if compare else [
        ("tables", "Where the community ends up")]
    items += [("charts", "Charts"),
              ("what", "What was compared, and how" if compare else "What was run, and how"),
              ("definitions", "Scenario files"), ("caveats", "Caveats"),
              ("metadata", "Run metadata")]
    return "<nav>" + "".join(f"<a href='#{a}'>{esc(t)}</a>" for a, t in items) + "</nav>"

