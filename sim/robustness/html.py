"""The robustness section of the HTML report (a fragment and its figures, for the report
author to include: sim/report), the page ``robustness.html`` that holds it, and the findings
in plain words (the terminal's summary)."""

from __future__ import annotations

from html import escape

import numpy as np

from sim.metrics import REGISTRY
from sim.robustness.analysis import SENSITIVITY_WORDS


def _pct(x: float) -> str:
    return f"{x:.0%}"


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
               f"{_pct(rec.iloc[usual])} of {n} plausible worlds."]
    else:
        out = [f"On '{primary}', none of the interventions beats the baseline in "
               f"{_pct(rec.iloc[usual])} of {n} plausible worlds."]
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
    col = "ST" if "ST" in sens else ("S1" if "S1" in sens else "abs_spearman")
    from sim.robustness.charts import plain_name

    top = [f"{plain_name(result, p, 80)} ({p.split('.', 1)[1]})" for p in sens.index[:3]]
    out.append(f"The margin of the recommendation depends most on {'; '.join(top)} "
               f"(ranked by {SENSITIVITY_WORDS[col]}).")
    if n < 64:
        out.append(f"With {n} worlds these are screening results: run more worlds "
                   "(--worlds) before relying on the conditions and the sensitivity order.")
    return out


def robustness_html(result, figures: dict[str, str], sensitivity=None, flips=None) -> str:
    """An HTML ``<section>``; ``figures`` maps 'worlds' and 'sensitivity' to image paths
    relative to the report."""
    sens = sensitivity if sensitivity is not None else result.sensitivity()
    flips = flips if flips is not None else result.flips(sensitivity=sens)
    share = result.beats_baseline()
    head = "".join(f"<th>{escape(REGISTRY[m].label)}</th>" for m in share.columns)
    rows = "".join(
        "<tr><th>" + escape(i) + "</th>" + "".join(
            f"<td>{_pct(v)}</td>" for v in share.loc[i]) + "</tr>" for i in share.index)
    col = "ST" if "ST" in sens else ("S1" if "S1" in sens else "abs_spearman")
    sens_rows = "".join(f"<tr><td>{escape(p)}</td><td>{v:.2f}</td></tr>"
                        for p, v in sens[col].items() if np.isfinite(v))
    params = "".join(f"<li><code>{escape(u.path)}</code>: {u.lo:g} to {u.hi:g}. "
                     f"{escape(u.doc)}</li>" for u in result.uncertainties)
    findings = "".join(f"<li>{escape(s)}</li>"
                       for s in summary_sentences(result, sens, flips))
    imgs = "".join(f'<figure><img src="{escape(p)}" alt="{escape(k)}"></figure>'
                   for k, p in figures.items())
    setup = setup_sentence(result)
    return f"""<section id="robustness">
<h2>Does the ranking survive what we do not know?</h2>
<p>Many of the model's numbers are assumptions. We ran every scenario in
{len(result.worlds)} plausible worlds, each with different values of the uncertain
assumptions listed below, with the same random seeds in every world.</p>
{f'<p class="muted">{escape(setup)}</p>' if setup else ""}
<ul>{findings}</ul>
{imgs}
<h3>Share of worlds in which each intervention does better than the baseline</h3>
<div class="scroll"><table><tr><th></th>{head}</tr>{rows}</table></div>
<h3>Sensitivity of the recommendation ({escape(SENSITIVITY_WORDS[col])})</h3>
<div class="scroll"><table><tr><th>assumption</th><th>{escape(SENSITIVITY_WORDS[col])}</th></tr>
{sens_rows}</table></div>
<details><summary>The uncertain assumptions and their ranges</summary><ul>{params}</ul>
</details>
</section>"""


def robustness_page(result, figures: dict[str, str], sensitivity=None, flips=None) -> str:
    """``robustness.html``: the section as a page of its own (the report's styles, inline),
    which any browser opens from the output folder."""
    from sim.report.html import CSS

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
</body></html>
"""
