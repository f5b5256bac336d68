"""The robustness section of the HTML report (a fragment and its figures, for the report
author to include: sim/report), the page ``robustness.html`` that holds it, and the findings
in plain words (the terminal's summary)."""

from __future__ import annotations

from html import escape

import numpy as np

from sim.metrics import REGISTRY
from sim.report.units import fmt_days, fmt_share_of
from sim.robustness.analysis import (
    CHANCE_PERMUTATIONS,
    CLEAR_MARGIN,
    JUDGED_ON,
    MIN_WORLDS_FOR_RBD_FAST,
    NO_CLEAR_BEST,
    SENSITIVITY_WORDS,
    read_sensitivity,
    sensitivity_column,
)
from sim.robustness.worlds import is_programme, short_name

# after a programme's own assumption's range in the page's list: how a world's value is read
PROGRAMME_RANGE = " (a programme's own assumption: see below)"
# said once, below the list (a user check read it seven times over, in a sentence that had
# lost its words: "sampled over shipped, held within ...")
PROGRAMME_RANGE_NOTE = (
    "A programme's own assumption: the range given is for a programme left at its shipped "
    "value. Where a scenario file sets its own value, each world multiplies that value by the "
    "same factor as it multiplies the shipped one, kept within what a scenario file may set, "
    "so a value set near that limit spends many worlds at the limit.")

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
            f"run{'s' if reps != 1 else ''} each: {runs:,} runs of {fmt_days(s['days'])} with "
            f"{s['residents']:,} residents; the runs' root seed {s['run_seed']}, the worlds "
            f"drawn with seed {s['world_seed']}." + _size_words(s)
            + _unsettled_words(s["days"]))


def _size_words(setup: dict) -> str:
    """Options whose files give another size than the baseline's, run at the runs' size,
    as compare's report says it (a user check: unsaid)."""
    from sim.report.community import different_sizes_words

    aside = setup.get("sizes_set_aside") or {}
    if not aside:
        return ""
    words = different_sizes_words({k: (v["file"], v["baseline_file"]) for k, v in aside.items()},
                                  setup["residents"])
    return f" {words[:1].upper()}{words[1:]}."


def _unsettled_words(days: int) -> str:
    """A short run's caution, as compare's report gives it."""
    from sim.report.programmes import settled_days, steady_window, unsettled

    if not unsettled(days):
        return ""
    first, last = steady_window(days)
    return (f" Caution: each verdict averages days {first:,} to {last:,}, before the simulated "
            f"community has mostly settled; run {settled_days():,} days or more.")


def _option(result, i: int) -> str:
    """An option's name in the words; the baseline is "doing nothing" (a user check read
    "no intervention comes out best in 2 of 4" as if nothing had been compared)."""
    return shown(result, result.scenarios[i]) if i else "doing nothing"


LOSS_WORDS = " (a closure: not an option to fund)"


def shown(result, name: str) -> str:
    """A scenario's name, said with what it is when it is a closure, never an option to
    fund (a user check: "Library closes is the best choice", as if a council could fund
    it; the comparison's report never offers one)."""
    return name + (LOSS_WORDS if name in result.setup.get("losses", ()) else "")


def summary_sentences(result, sensitivity=None, flips=None) -> list[str]:
    """Plain-words findings, most important first (plain text: HTML escapes them)."""
    sens = sensitivity if sensitivity is not None else result.sensitivity()
    flips = flips if flips is not None else result.flips(sensitivity=sens)
    out = _best_sentences(result)
    out += _change_sentences(result, flips)
    reading = read_sensitivity(sens, len(result.worlds))
    out.append(sensitivity_sentence(result, sens, reading))
    n = len(result.worlds)
    relied = [w for w, said in (("the conditions", bool(flips["conditions"])),
                                ("the sensitivity order", reading.ranked)) if said]
    if n < SCREENING_BELOW and relied:
        out.append(f"With {n} worlds these are screening results: run more worlds "
                   f"(--worlds) before relying on {' and '.join(relied)}.")
    return out


# fewer worlds than this: a region or an order found is a screen, said to be one
SCREENING_BELOW = 64


def _within_noise(result) -> bool:
    clear = result.clear_recommendation()
    return clear is not None and bool((clear < 0).all())


def _chance_words(reading, short: bool = False) -> str:
    """The rule for standing out from chance, for this table, in a clause (``short``: without
    how the level was found, for a finding's brackets)."""
    d = reading.n_params
    if reading.column == "abs_spearman":
        if short:
            return (f"above {reading.chance_level:.2f}, the level chance alone exceeds 1 time "
                    f"in 20 with {d} assumptions")
        return (f"above {reading.chance_level:.2f}, the level the largest of {d} rank "
                "correlations exceeds by chance only 1 time in 20 when no assumption matters "
                f"(found by shuffling the margins among the worlds {CHANCE_PERMUTATIONS:,} "
                "times)")
    if short:
        return (f"more than {reading.bar:.2f} standard errors above zero, the bar chance "
                f"alone passes 1 time in 20 with {d} assumptions")
    return (f"more than {reading.bar:.2f} standard errors above zero, the bar one of {d} "
            "assumptions passes by chance only 1 time in 20 when none matters")


def _judged(reading) -> str:
    """The index an assumption is judged on, in words."""
    return ("its first-order Sobol index" if reading.column == "ST" else
            f"its {SENSITIVITY_WORDS[reading.column]}")


def _no_ranking_words(result, reading) -> str:
    """Why there is no ranking at all (too few worlds, indices that measure nothing)."""
    n, d = reading.n_worlds, reading.n_params
    if reading.status == "too_few_worlds":
        if n >= reading.min_worlds:
            return ("Which assumptions the recommendation depends on cannot be told: its "
                    "margin is the same in every world.")
        return (f"Which assumptions the recommendation depends on cannot be told with {n} "
                f"world{'s' if n != 1 else ''}: with fewer than {reading.min_worlds}, even an "
                "assumption that put the worlds' margins in perfect order could be chance "
                f"among {d} assumptions (one of them would do it more than 1 time in 20), so "
                f"no ranking is given; run {reading.min_worlds} worlds or more (--worlds; "
                f"{MIN_WORLDS_FOR_RBD_FAST} or more give variance-based indices).")
    what = []
    prob = reading.problems
    if "outside" in prob:
        what.append("some lie outside the 0 to 1 a share of variance must lie in (as far as "
                    f"{prob['outside']:.2f})")
    if "widest" in prob:
        what.append(f"their 95% intervals reach ±{prob['widest']:.2f}, wider than "
                    + ("that whole range" if "outside" in prob else
                       "the whole 0 to 1 an index lies in"))
    if "empty" in prob or not what:
        what.append("none could be computed")
    more = ("run a larger base sample (--worlds: a larger power of two)"
            if result.method == "sobol" else "run more worlds (--worlds)")
    return (f"Which assumptions the recommendation depends on cannot be read from these "
            f"{n:,} worlds: of the {INDEX_PLURAL[reading.column]} computed, "
            f"{', and '.join(what)}; that says the design has too few worlds, not that any "
            f"assumption matters: {more}.")


# the indices of a table, in words, many at once
INDEX_PLURAL = {"ST": "Sobol indices", "S1": "first-order indices (RBD-FAST)",
                "abs_spearman": "rank correlations"}


def sensitivity_sentence(result, sens, reading=None) -> str:
    """The finding about which assumptions the recommendation's margin depends on: none
    claimed with too few worlds or indices that measure nothing, nor where the margin is
    within the noise everywhere; else the assumptions that stand out from chance, or that
    none does (:func:`sim.robustness.analysis.read_sensitivity`)."""
    from sim.robustness.charts import plain_name

    reading = reading or read_sensitivity(sens, len(result.worlds))
    if reading.status in ("too_few_worlds", "not_measured"):
        return _no_ranking_words(result, reading)
    if _within_noise(result):
        return ("Which assumptions matter most cannot be read here: the margin of the "
                "face-value best over the runner-up is within the noise in every world.")
    col, d = reading.column, reading.n_params
    conf = f"{col}_conf" if f"{col}_conf" in sens else None

    judged = JUDGED_ON.get(col, col)

    def named(p):
        v = f"{sens.at[p, col]:.2f}" + (f" ± {sens.at[p, conf]:.2f}" if conf else "")
        if judged != col:  # the index it is judged on, too
            v = (f"total {v}; first-order {sens.at[p, judged]:.2f} ± "
                 f"{sens.at[p, judged + '_conf']:.2f}")
        return f"{plain_name(result, p, 240)} ({short_name(p)}, {v})"

    if reading.status == "none_beyond_chance":
        top = sens[judged].idxmax() if sens[judged].notna().any() else sens.index[0]
        if col == "abs_spearman":
            return (f"No assumption stands out from chance as one the recommendation's margin "
                    f"depends on: the largest |rank correlation| with {reading.n_worlds} "
                    f"worlds, {sens.at[top, col]:.2f} ({short_name(top)}), is not "
                    f"{_chance_words(reading)}.")
        return (f"No assumption stands out from chance as one the recommendation's margin "
                f"depends on: for none is {_judged(reading)} {_chance_words(reading)} (the "
                f"largest: {named(top)}).")
    found = reading.influential
    listed = "; ".join(named(p) for p in found[:3]) + (
        f"; and {len(found) - 3} more" if len(found) > 3 else "")
    rest = d - len(found)
    return (f"The margin of the recommendation depends most on {listed} "
            f"({_judged(reading).removeprefix('its ')} {_chance_words(reading, short=True)})"
            + (f"; the other {rest} assumption{'s' if rest != 1 else ''} "
               f"{'do' if rest != 1 else 'does'} not stand out from chance." if rest else "."))


CLEAREST_SHARE = 0.75  # a clear effect in at least this share of worlds is said up front
CLEAREST_MOST = 3  # at most this many


def clearest(result) -> str:
    """The clearest effects in the tables, said beside the answer: an intervention clearly
    better or clearly worse than doing nothing on a measure in most plausible worlds (a user
    check: the page's lede missed a closure clearly worse on trust in 8 of 8 worlds); ""
    when none is, or with one run per world."""
    better = result.clearly_beats_baseline()
    if better is None:
        return ""
    worse = result.clearly_beats_baseline(worse=True)
    n = len(result.worlds)
    found = [(float(t.at[i, m]), i, m, word) for t, word in ((worse, "worse"),
                                                          (better, "better"))
             for i in t.index for m in t.columns if float(t.at[i, m]) >= CLEAREST_SHARE]
    found.sort(key=lambda f: -f[0])
    grouped: dict[tuple[str, str], list[str]] = {}  # an option's name said once
    for share, i, m, word in found[:CLEAREST_MOST]:
        grouped.setdefault((i, word), []).append(
            f"'{REGISTRY[m].label}' ({fmt_share_of(share, n)})")
    said = [f"{shown(result, i)} is clearly {word} than doing nothing on "
            + " and ".join(measures) for (i, word), measures in grouped.items()]
    return ("Clearest across the plausible worlds: " + "; ".join(said) + "."
            + (f" ({len(found) - CLEAREST_MOST} more in the table below.)"
               if len(found) > CLEAREST_MOST else "")) if said else ""


def lower_lead(sentence: str) -> str:
    """A sentence after "In short:" with its first word in lower case, unless that is a
    name ("In 7 of 8 ..." -> "in 7 of 8 ..."; a user check read "In short: In")."""
    first = sentence.split(" ", 1)[0]
    return sentence[:1].lower() + sentence[1:] if first in ("In", "At", "On") else sentence


def _best_of(result):
    """(shares best at face value, shares clearly best or None, the usual pick, worlds,
    the primary measure's label, the usual pick's name in words)."""
    usual = result.usual()
    return (result.recommendation_shares(), result.clear_recommendation_shares(), usual,
            len(result.worlds), REGISTRY[result.primary].label, _option(result, usual))


def in_short(result) -> str:
    """The page's answer in one plain sentence, before its figures (a user check: a council
    officer met rank correlations and standard errors before any answer)."""
    face, clear, usual, n, primary, name = _best_of(result)
    if clear is None:
        return (f"At face value {name} comes out best on '{primary}' in "
                f"{_of_worlds(face.iloc[usual], n)}; with one run per world, whether that is "
                "more than chance cannot be told.")
    unclear = float(clear[NO_CLEAR_BEST])
    sure = float(clear.iloc[usual])
    if unclear >= 0.5:
        return (f"In {_of_worlds(unclear, n)} these runs cannot tell the best option on "
                f"'{primary}' from the next: run more replicates or residents before relying "
                "on this ranking.")
    what = (f"{name} is clearly the best choice" if usual else
            "doing nothing is clearly ahead of every option")
    if sure >= 0.9:
        return (f"On '{primary}', {what} in {_of_worlds(sure, n)}: the answer holds "
                "whatever the model's uncertain assumptions are.")
    return (f"On '{primary}', {what} in {_of_worlds(sure, n)}, not everywhere: in the rest "
            "another option is, or none is clearly best; below, which assumptions decide it.")


def _best_sentences(result) -> list[str]:
    """The lede: which option is (clearly) best in how many worlds, and in how many none
    is clearly best (:meth:`RobustnessResult.clear_recommendation`)."""
    face, clear, usual, n, primary, name = _best_of(result)
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
    "chance_limits": "the assumptions that bound the likeliest-looking region are not "
                     "linked to the recommendation beyond what chance gives",
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
    conds = "; ".join(f"{short_name(c['parameter'])} between "
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


def _sens_note(result, sens, reading) -> str:
    """The words above the sensitivity table: what its numbers are, and the rule for
    standing out from chance; where there is no ranking, why (and the table is left out)."""
    col = reading.column
    if reading.status in ("too_few_worlds", "not_measured"):
        return (_no_ranking_words(result, reading) + " The values computed are in "
                "sensitivity.csv.")
    if col == "abs_spearman":
        return (f"Too few worlds for variance-based indices (fewer than "
                f"{MIN_WORLDS_FOR_RBD_FAST}): these rank correlations screen, they do not "
                f"measure. An assumption counts as one the margin depends on only where its "
                f"|rank correlation| is {_chance_words(reading)}. With few worlds, an "
                "assumption whose sampled values happen to go with an influential one's can "
                "stand out with it.")
    conf = f"{col}_conf"
    widest = float(np.nanmax(sens[conf])) if conf in sens and len(sens) else float("nan")
    what = ("A total index is the share of the margin's variance due to that assumption, "
            "alone or through its interactions with others (0 to 1; the first-order index, "
            "S1 in sensitivity.csv, counts it alone)" if col == "ST" else
            "An index is the share of the margin's variance due to that assumption alone "
            "(0 to 1)")
    return (what + "; '±' is its 95% interval's half-width"
            + (f" (up to ±{widest:.2f} here)" if np.isfinite(widest) else "")
            + ". Small negative values are estimation noise: read them as zero. An assumption "
            f"counts as one the margin depends on only where {_judged(reading)} is "
            f"{_chance_words(reading)} (the '±' is 1.96 standard errors)"
            + (": a total index also takes in the runs' own noise, which no assumption "
               "explains, alike for every assumption (with noisy runs each is near 1)"
               if col == "ST" else "") + ".")


def figure_words(key: str, reading=None) -> str:
    """A chart's caption (and its image's alt text); the sensitivity chart's says what it
    can show (:func:`sim.robustness.analysis.read_sensitivity`)."""
    if key != "sensitivity" or reading is None:
        return FIGURE_WORDS.get(key, key)
    if reading.status in ("too_few_worlds", "not_measured"):
        return "No ranking of the uncertain assumptions: too few worlds (see the words below)"
    if reading.status == "none_beyond_chance":
        return ("No uncertain assumption stands out from chance: how strongly the "
                "recommendation's margin goes with each, all within what chance gives")
    return ("Which uncertain assumptions the recommendation's margin depends on: beyond "
            "chance (blue) and within what chance gives (grey)")


FIGURE_WORDS = {
    "worlds": "In how many plausible worlds each intervention does better than doing nothing, "
              "clearly better and clearly worse",
    "sensitivity": "Which uncertain assumptions the recommendation depends on most",
}


def _figure(key: str, path: str, reading=None) -> str:
    """A chart that links to its full-size image, as the report's figures do
    (sim.report.page.figure; the page's FULL_SIZE_SCRIPT opens it in place)."""
    words = escape(figure_words(key, reading))
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
    names = ["doing nothing (the baseline)", *(shown(result, x) for x in result.interventions)]
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

    rows = "".join(f'<tr><th class="name">{escape(shown(result, a))}</th>'
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
        '<tr><th class="name">' + escape(shown(result, i)) + "</th>"
        + "".join(cell(i, m) for m in share.columns) + "</tr>" for i in share.index)
    col = sensitivity_column(sens)
    conf = f"{col}_conf" if f"{col}_conf" in sens else None
    short = SENSITIVITY_WORDS[col]  # the method: the heading says it in words

    sens_reading = read_sensitivity(sens, n)
    # no "yes" under words that say the ranking cannot be read (the margin within the noise
    # everywhere: a user check found both on one page)
    beyond = None if _within_noise(result) else sens.get("beyond_chance")

    def sens_row(p, v):
        ci = (f'<td class="num">±{sens.at[p, conf]:.2f}</td>' if conf else "")
        out = ("" if beyond is None else '<td class="num"><b>yes</b></td>' if beyond[p]
               else '<td class="num">no</td>')
        return (f'<tr><td class="name" title="{escape(p)}">{escape(plain_name(result, p, 240))}'
                f'<br><code class="v">{escape(p)}</code></td><td class="num">{v:.2f}</td>'
                f"{ci}{out}</tr>")

    sens_rows = "".join(sens_row(p, v) for p, v in sens[col].items() if np.isfinite(v))
    # no ranking (too few worlds, indices that measure nothing): the words say why, and the
    # numbers, which would read as one, are left to sensitivity.csv
    sens_table = "" if sens_reading.status in ("too_few_worlds", "not_measured") else (
        f'<div class="scroll"><table><tr><th class="name">assumption</th><th>{escape(short)}</th>'
        + ("<th>±</th>" if conf else "")
        + ("<th>beyond chance</th>" if beyond is not None else "")
        + f"</tr>\n{sens_rows}</table></div>")
    programme = [u for u in result.uncertainties if is_programme(u.path)]
    params = "".join(f"<li><code>{escape(u.path)}</code>: {u.lo:g} to {u.hi:g}"
                     + (PROGRAMME_RANGE if is_programme(u.path) else "")
                     + f". {escape(u.doc)}</li>" for u in result.uncertainties)
    also = (f" and {len(programme)} of the programmes' own (how strongly they work, "
            "how far they reach)" if programme else "")
    findings = "".join(f"<li>{escape(s)}</li>"
                       for s in summary_sentences(result, sens, flips))
    reading = "".join(f"<li>{escape(s)}</li>" for s in reading_words(result, False))
    imgs = "".join(_figure(k, p, sens_reading) for k, p in figures.items())
    setup = setup_sentence(result)
    return f"""<section id="robustness">
<h2>Does the ranking survive what we do not know?</h2>
<p class="lede"><strong>In short:</strong> {escape(lower_lead(in_short(result)))}
{escape(clearest(result))}</p>
<p>Many of the model's numbers are assumptions. We ran every scenario in
{len(result.worlds)} plausible worlds, each with different values of the uncertain
assumptions listed below: {len(result.uncertainties) - len(programme)} of the model's{also};
with the same random seeds in every world.</p>
{f'<p class="muted">{escape(setup)}</p>' if setup else ""}
<ul>{findings}</ul>
{imgs}
{best_table(result)}
<h3>Share of worlds in which each intervention does better than the baseline</h3>
<p class="muted">How to read these shares:</p><ul class="muted">{reading}</ul>
<div class="scroll"><table><tr><th class="name"></th>{head}</tr>{rows}</table></div>
<details><summary>The statistics behind the ranking: head to head, and which assumptions
it depends on</summary>
{head_to_head_table(result)}
<h3>Which assumptions the recommendation depends on</h3>
<p class="muted">{escape(_sens_note(result, sens, sens_reading))}</p>
{sens_table}
</details>
<details><summary>The uncertain assumptions and their ranges</summary><ul>{params}</ul>
{f'<p class="muted">{escape(PROGRAMME_RANGE_NOTE)}</p>' if programme else ""}
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
