"""The robustness section of the HTML report (a fragment and its figures, for the report
author to include: sim/report), the page ``robustness.html`` that holds it, and the findings
in plain words (the terminal's summary)."""

from __future__ import annotations

from html import escape

import numpy as np

from sim.metrics import REGISTRY
from sim.report.units import fmt_share_of
from sim.robustness.analysis import (
    CLEAR_MARGIN,
    NO_CLEAR_BEST,
    SENSITIVITY_WORDS,
    sensitivity_column,
)

# Every share of worlds on the page is said by the report's one rule for a share of few
# runs, fmt_share_of: a count ("7 of 8") below COUNT_BELOW worlds, else a percentage (a user
# check: "88% of 8" reads as more than seven worlds, and one table counted while the next
# gave "25%" of 8).


def _of_worlds(share: float, n: int) -> str:
    """'88% of 128 plausible worlds', or with few worlds '7 of 8 plausible worlds'."""
    said = fmt_share_of(share, n)
    worlds = f"plausible world{'s' if n != 1 else ''}"
    return f"{said} {worlds}" if said.endswith(f" of {n}") else f"{said} of {n:,} {worlds}"


def setup_sentence(result) -> str:
    """What was run, in one sentence (empty when the result does not record it: a result
    built by hand, or a robustness.json written before runs recorded their setup)."""
    s = result.setup
    if not s:
        return ""
    n_sc, reps = len(result.scenarios), s["replicates"]
    runs = s["worlds"] * n_sc * reps
    others = f"{n_sc - 1} other scenario{'s' if n_sc > 2 else ''}"
    return (f"What was run: the baseline ({result.scenarios[0]}) and {others}, in each "
            f"of {s['worlds']:,} plausible worlds, {reps} paired "
            f"run{'s' if reps != 1 else ''} each: {runs:,} runs of {s['days']:,} days with "
            f"{s['residents']:,} residents; the runs' root seed {s['run_seed']}, the worlds "
            f"drawn with seed {s['world_seed']}." + _unsettled_words(s["days"]))


def _unsettled_words(days: int) -> str:
    """A short run's caution, as compare's report gives it."""
    from sim.report.programmes import settled_days, steady_window, unsettled

    if not unsettled(days):
        return ""
    first, last = steady_window(days)
    return (f" Caution: each verdict averages days {first:,} to {last:,}, before the simulated "
            f"community has mostly settled; run {settled_days():,} days or more.")


def _option(result, i: int) -> str:
    return result.scenarios[i] if i else "no intervention"


def summary_sentences(result, sensitivity=None, flips=None) -> list[str]:
    """Plain-words findings, most important first (plain text: HTML escapes them)."""
    sens = sensitivity if sensitivity is not None else result.sensitivity()
    flips = flips if flips is not None else result.flips(sensitivity=sens)
    out = _best_sentences(result)
    out += _change_sentences(result, flips)
    col = sensitivity_column(sens)
    from sim.robustness.charts import plain_name

    top = [f"{plain_name(result, p, 240)} ({p.split('.', 1)[1]})" for p in sens.index[:3]]
    clear = result.clear_recommendation()
    if clear is not None and (clear < 0).all():
        out.append(f"Which assumptions matter most cannot be read here: the margin of the "
                   f"face-value best over the runner-up is within the noise in every world "
                   f"(ranked anyway, by {SENSITIVITY_WORDS[col]}: {'; '.join(top)}).")
    else:
        out.append(f"The margin of the recommendation depends most on {'; '.join(top)} "
                   f"(ranked by {SENSITIVITY_WORDS[col]}).")
    n = len(result.worlds)
    if n < 64:
        out.append(f"With {n} worlds these are screening results: run more worlds "
                   "(--worlds) before relying on the conditions and the sensitivity order.")
    return out


def _best_sentences(result) -> list[str]:
    """The lede: which option is (clearly) best in how many worlds, and in how many none
    is clearly best (:meth:`RobustnessResult.clear_recommendation`)."""
    face = result.recommendation_shares()
    clear = result.clear_recommendation_shares()
    usual = result.usual()
    n = len(result.worlds)
    primary = REGISTRY[result.primary].label
    name = _option(result, usual)
    noise = (f"closer than {CLEAR_MARGIN:g} times the noise of their paired runs (the "
             "standard error of their difference; the best must be that far ahead of every "
             "other option, doing nothing included)")
    if clear is None:
        first = (f"On '{primary}', {name} is the best choice in "
                 f"{_of_worlds(face.iloc[usual], n)}." if usual else
                 f"On '{primary}', none of the interventions beats the baseline in "
                 f"{_of_worlds(face.iloc[usual], n)}.")
        return [first, "With one run per world, whether the best is ahead by more than "
                "chance cannot be measured: run two or more (--replicates)."]
    unclear = float(clear[NO_CLEAR_BEST])
    if unclear == 1.0:
        return [f"On '{primary}', no option is clearly the best in any of the {n:,} "
                f"plausible worlds: in every one, the best and the runner-up are {noise}.",
                f"At face value, counting any difference, {name} comes out best in "
                f"{_of_worlds(face.iloc[usual], n)}, but that is within the noise: not a "
                "reason to choose it."]
    out = [f"On '{primary}', {name} is clearly the best choice in "
           f"{_of_worlds(clear.iloc[usual], n)}." if usual else
           f"On '{primary}', none of the interventions beats the baseline in "
           f"{_of_worlds(clear.iloc[usual], n)}: there, doing nothing is clearly ahead of "
           "every intervention."]
    if unclear > 0:
        out.append(f"In {_of_worlds(unclear, n)} no option is clearly best: the best and "
                   f"the runner-up are {noise}, so which is better there is not settled. "
                   f"(At face value, counting any difference, {name} comes out best in "
                   f"{_of_worlds(face.iloc[usual], n)}.)")
    return out


_WEAK_WORDS = {
    "few_worlds": "{n} worlds are too few to look for one ({least} or more are needed)",
    "few_changes": "the likeliest-looking region holds only {changed} of the worlds where "
                   "it changes, too few to show a pattern",
    "mostly_holds": "the likeliest-looking region takes in {inside} worlds, and the "
                    "recommendation changes in only {share}: in most of that region it holds",
}


def _change_sentences(result, flips) -> list[str]:
    """Where the recommendation changes: how often, to what, and whether the region of
    the assumptions that holds those worlds is a finding or too weak to be one."""
    from sim.robustness.analysis import REGION_MIN_WORLDS

    n = len(result.worlds)
    clear = result.clear_recommendation()
    if flips["share_flipped"] == 0:
        if clear is None or (clear >= 0).all():
            return ["The recommendation held in every world sampled."]
        if (clear < 0).all():
            return []
        return ["No other option was clearly best in any world sampled."]
    recs = result.recommendation() if clear is None else clear
    counts = np.bincount(recs[result.changed()], minlength=len(result.scenarios))
    if clear is None:
        out = [f"The recommendation changes (mostly to {_option(result, counts.argmax())}) "
               f"in {_of_worlds(flips['share_flipped'], n)}."]
    else:
        to = ", ".join(f"{_option(result, i)} in {c}" for i, c in enumerate(counts) if c)
        out = [f"The recommendation changes in {_of_worlds(flips['share_flipped'], n)}: "
               f"another option is clearly best there ({to})."]
    if not flips["conditions"]:
        out.append("No range of the assumptions marks out the worlds where it changes.")
        return out
    conds = "; ".join(f"{c['parameter'].split('.', 1)[1]} between "
                      f"{c['lower']:.3g} and {c['upper']:.3g} (plausible range "
                      f"{c['range'][0]:.3g}-{c['range'][1]:.3g})"
                      for c in flips["conditions"])
    box = flips["box"]
    inside = flips["n_worlds_in_box"]
    if flips.get("weak"):
        why = "; ".join(_WEAK_WORDS[w].format(
            n=n, least=REGION_MIN_WORLDS, changed=flips["n_changed_in_box"], inside=inside,
            share=fmt_share_of(box.density, inside)) for w in flips["weak"])
        out.append(f"There is no clear region of the assumptions where it changes: {why}. "
                   f"The nearest candidate ({conds}) is a lead to check with more worlds, "
                   "not a finding.")
        return out
    n_changed = int(result.changed().sum())
    out.append(f"Of those worlds, {fmt_share_of(box.coverage, n_changed)} lie where {conds}; "
               f"in the {inside} world{'s' if inside != 1 else ''} there, it changes in "
               f"{fmt_share_of(box.density, inside)}.")
    return out


def reading_words(result, best_rule: bool = True) -> list[str]:
    """How to read a share of worlds, for this run (plain text): what near 50% means, and
    what the replicates per world and the community's size do to it; and (``best_rule``:
    the page says it above its table of the best option instead) the rule for a clear
    best."""
    out = ["A share near 50% means no consistent direction: about a coin toss, not a finding "
           "that the intervention helps in half the places. Only shares near 100% (or near "
           "0%, consistently worse) say the direction holds whatever the assumptions."]
    s = result.setup
    reps = s.get("replicates", result.outcomes.shape[2])
    who = f" of a community of {s['residents']:,} residents" if s.get("residents") else ""
    out.append(f"Each world's effect is the mean of {reps} paired run{'s' if reps != 1 else ''}"
               f"{who}, so it is noisy: where an intervention's true effect is small, chance "
               "decides its sign in many worlds and pulls its share towards 50%. More "
               "replicates (--replicates) or residents (--residents) sharpen each world's "
               "effect; more worlds (--worlds) do not.")
    if result.paired_noise() is not None:
        out.append(f"'clearly' counts only the worlds where the effect is more than "
                   f"{CLEAR_MARGIN:g} times its own paired noise (the standard error of the "
                   "world's mean difference, from the runs' spread pooled over the worlds); "
                   "where there is truly no effect, about 2% of worlds pass by chance.")
        if best_rule:
            out.append("The same rule decides the best option in each world: "
                       + best_rule_words())
    else:
        out.append("With one replicate per world the noise of each world's effect cannot be "
                   "measured: run two or more (--replicates) to see which shares are clear.")
    return out


def _sentence(words: str) -> str:
    return words[:1].upper() + words[1:]


def best_rule_words() -> str:
    """The rule for a world's clear best and a clear head-to-head win, in words."""
    return (f"an option is clearly best in a world only when it is ahead of every other "
            f"option (the runner-up, doing nothing and the rest) by more than "
            f"{CLEAR_MARGIN:g} times the standard error of that difference (from the paired "
            "runs' spread, pooled over the worlds); otherwise the world has 'no clear best'. "
            f"Head to head, A clearly beats B where A's lead over B is more than "
            f"{CLEAR_MARGIN:g} times that standard error.")


def _sens_note(col: str, sens) -> str:
    if col == "abs_spearman":
        return ("Too few worlds for variance-based indices: these rank correlations screen, "
                "they do not measure.")
    conf = f"{col}_conf"
    widest = float(np.nanmax(sens[conf])) if conf in sens and len(sens) else float("nan")
    return ("An index is the share of the margin's variance due to that assumption alone "
            "(0 to 1); '±' is its 95% interval's half-width"
            + (f" (up to ±{widest:.2f} here: the order of the top few is a ranking, not a "
               "measurement)" if np.isfinite(widest) else "")
            + ". Small negative values are estimation noise: read them as zero.")


FIGURE_WORDS = {
    "worlds": "In how many plausible worlds each intervention does better than doing nothing, "
              "clearly better and clearly worse",
    "sensitivity": "Which uncertain assumptions the recommendation depends on most",
}


def _figure(key: str, path: str) -> str:
    """A chart that links to its full-size image, as the report's figures do
    (sim.report.page.figure; the page's FULL_SIZE_SCRIPT opens it in place)."""
    words = escape(FIGURE_WORDS.get(key, key))
    src = escape(path)
    return (f'<figure><a href="{src}"><img src="{src}" alt="{words}"></a>'
            f'<figcaption>{words}. <a href="{src}">Open the full-size chart</a>'
            "</figcaption></figure>")


def best_table(result) -> str:
    """The share of worlds in which each option is best on the primary metric: at face
    value and clearly, with the worlds that have no clear best as a row of their own."""
    n = len(result.worlds)
    face = result.recommendation_shares()
    clear = result.clear_recommendation_shares()
    label = escape(REGISTRY[result.primary].label)
    names = ["no intervention (doing nothing is best)", *result.interventions]
    head = "<th>best (any difference)</th>" + ("<th>clearly best</th>" if clear is not None
                                               else "")
    rows = ""
    for i, name in enumerate(names):
        c = f'<td class="num">{fmt_share_of(clear.iloc[i], n)}</td>' \
            if clear is not None else ""
        rows += (f'<tr><th class="name">{escape(name)}</th><td class="num">'
                 f"{fmt_share_of(face.iloc[i], n)}</td>{c}</tr>")
    if clear is not None:
        rows += (f'<tr><th class="name">no clear best (within the noise)</th>'
                 f'<td class="num">-</td><td class="num">'
                 f"{fmt_share_of(clear[NO_CLEAR_BEST], n)}</td></tr>")
    note = (f"<p class=\"muted\">{escape(_sentence(best_rule_words()))}</p>"
            if clear is not None else
            '<p class="muted">With one run per world, whether the best is clearly ahead '
            "cannot be measured.</p>")
    return (f"<h3>Which option is best in each world, on &lsquo;{label}&rsquo;</h3>{note}"
            f'<div class="scroll"><table><tr><th class="name"></th>{head}</tr>{rows}'
            "</table></div>")


def head_to_head_table(result) -> str:
    """Head to head on the primary metric: the share of worlds in which the row's
    intervention does better than the column's, and clearly better (empty with fewer than
    two interventions)."""
    if len(result.interventions) < 2:
        return ""
    n = len(result.worlds)
    each = result.beats_each_other()
    each = each[each.metric == result.primary].set_index(["a", "b"])
    names = result.interventions
    label = escape(REGISTRY[result.primary].label)
    head = "".join(f"<th>{escape(b)}</th>" for b in names)

    def cell(a, b):
        if a == b:
            return '<td class="num">-</td>'
        row = each.loc[(a, b)]
        clear = ("" if not np.isfinite(row.clearly_better) else
                 f'<br><span class="v">clearly {fmt_share_of(row.clearly_better, n)}'
                 "</span>")
        return f'<td class="num"><b>{fmt_share_of(row.share, n)}</b>{clear}</td>'

    rows = "".join(f'<tr><th class="name">{escape(a)}</th>'
                   + "".join(cell(a, b) for b in names) + "</tr>" for a in names)
    return (f"<h3>Head to head on &lsquo;{label}&rsquo;: in how many worlds the row's "
            "intervention does better than the column's</h3>"
            '<p class="muted">\'clearly\' counts the worlds where the row\'s lead is more than '
            f"{CLEAR_MARGIN:g} times the standard error of the two's difference; the rest "
            "of a share may be chance. Every metric: beats_each_other.csv.</p>"
            f'<div class="scroll"><table><tr><th class="name"></th>{head}</tr>{rows}'
            "</table></div>")


def robustness_html(result, figures: dict[str, str], sensitivity=None, flips=None) -> str:
    """An HTML ``<section>``; ``figures`` maps 'worlds' and 'sensitivity' to image paths
    relative to the report."""
    from sim.robustness.charts import plain_name

    sens = sensitivity if sensitivity is not None else result.sensitivity()
    flips = flips if flips is not None else result.flips(sensitivity=sens)
    share = result.beats_baseline()
    clearly = result.clearly_beats_baseline()
    clearly_worse = result.clearly_beats_baseline(worse=True)
    head = "".join(f"<th>{escape(REGISTRY[m].label)}</th>" for m in share.columns)
    n = len(result.worlds)

    def cell(i, m):
        v = fmt_share_of(share.at[i, m], n)
        if clearly is None:
            return f'<td class="num">{v}</td>'
        return (f'<td class="num"><b>{v}</b><br><span class="v">clearly '
                f'{fmt_share_of(clearly.at[i, m], n)}</span><br><span class="v">clearly worse '
                f"{fmt_share_of(clearly_worse.at[i, m], n)}</span></td>")

    rows = "".join(
        '<tr><th class="name">' + escape(i) + "</th>"
        + "".join(cell(i, m) for m in share.columns) + "</tr>" for i in share.index)
    col = sensitivity_column(sens)
    conf = f"{col}_conf" if f"{col}_conf" in sens else None

    def sens_row(p, v):
        ci = (f'<td class="num">±{sens.at[p, conf]:.2f}</td>' if conf else "")
        return (f'<tr><td class="name" title="{escape(p)}">{escape(plain_name(result, p, 240))}'
                f'<br><code class="v">{escape(p)}</code></td><td class="num">{v:.2f}</td>'
                f"{ci}</tr>")

    sens_rows = "".join(sens_row(p, v) for p, v in sens[col].items() if np.isfinite(v))
    params = "".join(f"<li><code>{escape(u.path)}</code>: {u.lo:g} to {u.hi:g}. "
                     f"{escape(u.doc)}</li>" for u in result.uncertainties)
    findings = "".join(f"<li>{escape(s)}</li>"
                       for s in summary_sentences(result, sens, flips))
    reading = "".join(f"<li>{escape(s)}</li>" for s in reading_words(result, False))
    imgs = "".join(_figure(k, p) for k, p in figures.items())
    setup = setup_sentence(result)
    what = escape(SENSITIVITY_WORDS[col])
    short = "|rank correlation|" if col == "abs_spearman" else "index"
    return f"""<section id="robustness">
<h2>Does the ranking survive what we do not know?</h2>
<p>Many of the model's numbers are assumptions. We ran every scenario in
{len(result.worlds)} plausible worlds, each with different values of the uncertain
assumptions listed below, with the same random seeds in every world.</p>
{f'<p class="muted">{escape(setup)}</p>' if setup else ""}
<ul>{findings}</ul>
{imgs}
{best_table(result)}
<h3>Share of worlds in which each intervention does better than the baseline</h3>
<p class="muted">How to read these shares:</p><ul class="muted">{reading}</ul>
<div class="scroll"><table><tr><th class="name"></th>{head}</tr>{rows}</table></div>
{head_to_head_table(result)}
<h3>Sensitivity of the recommendation ({what})</h3>
<p class="muted">{escape(_sens_note(col, sens))}</p>
<div class="scroll"><table><tr><th class="name">assumption</th><th>{short}</th>
{'<th>±</th>' if conf else ''}</tr>
{sens_rows}</table></div>
<details><summary>The uncertain assumptions and their ranges</summary><ul>{params}</ul>
</details>
</section>"""


def robustness_page(result, figures: dict[str, str], sensitivity=None, flips=None) -> str:
    """``robustness.html``: the section as a page of its own (the report's styles, inline),
    which any browser opens from the output folder."""
    from sim.report.html import CSS, PAGE_SCRIPT

    title = f"Robustness: {result.scenarios[0]} and {len(result.scenarios) - 1} other" + (
        "s" if len(result.scenarios) > 2 else "")
    files = "".join(f"<li><code>{escape(str(f))}</code></li>"
                    for f in result.setup.get("files", ()))
    listed = f"<details><summary>Scenario files</summary><ul>{files}</ul></details>" \
        if files else ""
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)}</title><style>{CSS}</style></head>
<body>
<h1>{escape(title)}</h1>
{robustness_html(result, figures, sensitivity, flips)}
{listed}
<script>{PAGE_SCRIPT}</script>
</body></html>
"""
