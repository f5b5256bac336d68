"""The robustness section of the HTML report (a fragment and its figures, for the report
author to include: sim/report), the page ``robustness.html`` that holds it, and the findings
in plain words (the terminal's summary)."""

from __future__ import annotations

from html import escape

import numpy as np

from sim.metrics import REGISTRY
from sim.robustness.analysis import CLEAR_MARGIN, SENSITIVITY_WORDS, sensitivity_column


def _pct(x: float) -> str:
    return f"{x:.0%}"


FEW_WORLDS = 20  # below this many, a share of worlds is said as a count ("7 of 8")


def _of_worlds(share: float, n: int) -> str:
    """'88% of 128 plausible worlds', or with few worlds '7 of 8 plausible worlds' (a user
    check: "88% of 8" reads as more than seven worlds)."""
    part = f"{round(share * n)}" if n < FEW_WORLDS else _pct(share)
    return f"{part} of {n:,} plausible world{'s' if n != 1 else ''}"


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


def summary_sentences(result, sensitivity=None, flips=None) -> list[str]:
    """Plain-words findings, most important first (plain text: HTML escapes them)."""
    sens = sensitivity if sensitivity is not None else result.sensitivity()
    flips = flips if flips is not None else result.flips(sensitivity=sens)
    rec = result.recommendation_shares()
    usual = result.usual()
    name = result.scenarios[usual] if usual else "no intervention"
    n = len(result.worlds)
    primary = REGISTRY[result.primary].label
    if usual:
        out = [f"On '{primary}', {name} is the best choice in "
               f"{_of_worlds(rec.iloc[usual], n)}."]
    else:
        out = [f"On '{primary}', none of the interventions beats the baseline in "
               f"{_of_worlds(rec.iloc[usual], n)}."]
    if flips["share_flipped"] == 0:
        out.append("The recommendation held in every world sampled.")
    elif flips["conditions"]:
        conds = "; ".join(f"{c['parameter'].split('.', 1)[1]} between "
                          f"{c['lower']:.3g} and {c['upper']:.3g} (plausible range "
                          f"{c['range'][0]:.3g}-{c['range'][1]:.3g})"
                          for c in flips["conditions"])
        box = flips["box"]
        recs = result.recommendation()
        other = np.bincount(recs[recs != usual], minlength=len(result.scenarios)).argmax()
        to = result.scenarios[other] if other else "no intervention"
        inside = flips["n_worlds_in_box"]
        out.append(f"It changes (mostly to {to}) in "
                   f"{_pct(flips['share_flipped'])} of worlds; "
                   f"{_pct(box.coverage)} of those lie where {conds}; in the "
                   f"{inside} world{'s' if inside != 1 else ''} there, it changes in "
                   f"{_pct(box.density)}.")
    col = sensitivity_column(sens)
    from sim.robustness.charts import plain_name

    top = [f"{plain_name(result, p, 240)} ({p.split('.', 1)[1]})" for p in sens.index[:3]]
    out.append(f"The margin of the recommendation depends most on {'; '.join(top)} "
               f"(ranked by {SENSITIVITY_WORDS[col]}).")
    if n < 64:
        out.append(f"With {n} worlds these are screening results: run more worlds "
                   "(--worlds) before relying on the conditions and the sensitivity order.")
    return out


def reading_words(result) -> list[str]:
    """How to read a share of worlds, for this run (plain text): what near 50% means, and
    what the replicates per world and the community's size do to it."""
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
    else:
        out.append("With one replicate per world the noise of each world's effect cannot be "
                   "measured: run two or more (--replicates) to see which shares are clear.")
    return out


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

    def cell(i, m):
        v = share.at[i, m]
        if clearly is None:
            return f'<td class="num">{_pct(v)}</td>'
        return (f'<td class="num"><b>{_pct(v)}</b><br><span class="v">clearly '
                f'{_pct(clearly.at[i, m])}</span><br><span class="v">clearly worse '
                f"{_pct(clearly_worse.at[i, m])}</span></td>")

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
    reading = "".join(f"<li>{escape(s)}</li>" for s in reading_words(result))
    imgs = "".join(f'<figure><img src="{escape(p)}" alt="{escape(k)}"></figure>'
                   for k, p in figures.items())
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
<h3>Share of worlds in which each intervention does better than the baseline</h3>
<p class="muted">How to read these shares:</p><ul class="muted">{reading}</ul>
<div class="scroll"><table><tr><th class="name"></th>{head}</tr>{rows}</table></div>
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
    from sim.report.html import CSS, SCROLL_CUE_SCRIPT

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
<script>{SCROLL_CUE_SCRIPT}</script>
</body></html>
"""
