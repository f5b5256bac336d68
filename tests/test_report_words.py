"""Effects and windows in words (sim/report/words.py): an effect with its 95% interval in
the metric's own unit, and a window of days with the months it spans."""

from __future__ import annotations

from sim.report.units import display
from sim.report.words import effect_interval, months_words


def test_an_effect_reads_with_its_interval_in_the_metrics_unit():
    share = display("trust_out_group")  # changes in shares are percentage points
    assert effect_interval(share, 0.041, 0.023, 0.059) == "+4.1 (2.3 to 5.9)"
    # a true minus sign; bounds unsigned only when positive
    assert effect_interval(share, -0.01, -0.03, 0.01) == "\u22121.0 (\u22123.0 to 1.0)"
    assert effect_interval(share, 0.02, float("nan"), None) == (
        "+2.0 (interval needs 2 or more runs)")
    assert effect_interval(share, float("nan"), 0.0, 1.0) == "n/a"


def test_a_window_reads_in_days_and_months():
    assert months_words(549, 730) == "days 549 to 730 (months 18 to 24)"
    assert months_words(1, 30) == "days 1 to 30 (months 0 to 1)"
    # one figure when both ends round to it (a short run's window read "months 1 to 1")
    assert months_words(31, 40) == "days 31 to 40 (about 1 month in)"
    assert months_words(1, 10) == "days 1 to 10 (the first month)"
    assert months_words(300, 310) == "days 300 to 310 (about 10 months in)"


def test_an_options_cost_reads_as_a_sentence():
    from sim.report.decision import cost_words
    from sim.report.sections_details import costs_sentence

    assert costs_sentence(cost_words(0.0)) == "No programme cost."  # not "Costs no ..."
    assert costs_sentence(cost_words(float("nan"))) == "Cost not known."
    assert costs_sentence(cost_words(9000.0)).startswith("Costs ")
    # what a closure saves comes after the cost, never taken off it
    assert costs_sentence(cost_words(0.0, 150000.0)) == \
        "No programme cost; saves \u00a3150,000 a year."
    assert costs_sentence(cost_words(9000.0, 150000.0)) == \
        "Costs \u00a39,000 a year; saves \u00a3150,000 a year."
    assert cost_words(9000.0, 0.0) == cost_words(9000.0)


def test_pieces_join_as_sentences_with_one_full_stop_each():
    from sim.report.words import sentences

    assert sentences("Made on the live page from baseline.toml.", "", "No programme cost.") == (
        "Made on the live page from baseline.toml. No programme cost.")
    assert sentences("Does it help?", "Cafe (days 90\u2013730)", "Costs \u00a39 a year.") == (
        "Does it help? Cafe (days 90\u2013730). Costs \u00a39 a year.")
    assert sentences("No full stop ", "A; B:", 'Said "it works."', "", "  ") == (
        'No full stop. A; B. Said "it works."')
    assert sentences("", "") == ""


def test_an_option_in_words_reads_as_whole_sentences_whatever_its_description_ends_with():
    """A user check: an option saved on the live page, with no programmes, read "Made on the
    live page from baseline.toml. . No programme cost." in "Each option in words": the
    description's full stop, then an empty list of programmes and another."""
    import html
    import re
    from types import SimpleNamespace

    import pandas as pd

    from sim.report.sections_details import section_words

    def option(name, description, interventions=(), targets=None):
        return SimpleNamespace(name=name, description=description, cost=None,
                               interventions=list(interventions), targets=targets)

    data = SimpleNamespace(
        baseline="Baseline", summary=pd.DataFrame(columns=["scenario", "metric"]),
        metrics=None, steady=(549, 730), days=730, decision=None, not_applicable=frozenset(),
        own_metrics={}, as_baseline={"Idle": "It runs exactly as the baseline: every effect came "
                                             "out exactly zero."},
        scenarios=[option("Baseline", "As it is."),
                   option("Saved", "Made on the live page from baseline.toml."),
                   option("Asked", "Does a cafe help?", [("Cafe", 90, 730)]),
                   option("Bare", "A cafe", [("Cafe", 90, 730), ("Walks", 1, 30)]),
                   option("Blank", ""),
                   option("Aimed", "A cafe for some", [("Cafe", 90, 730), ("Walks", 1, 30)],
                          ["newcomers", ""]),
                   option("Idle", "Opens on a day it opens", [("Longer hours", 90, 730)])])
    page = html.unescape(section_words(data))
    said = re.findall(r"</h3><p class='muted'>([^<]*)</p>", page)
    assert said == [
        "Made on the live page from baseline.toml. Cost not known.",
        "Does a cafe help? Cafe (days 90\u2013730). Cost not known.",
        "A cafe. Cafe (days 90\u2013730); Walks (days 1\u201330). Cost not known.",
        "Cost not known.",
        "A cafe for some. Cafe (for newcomers, days 90\u2013730); Walks (days 1\u201330). "
        "Cost not known.",
        "Opens on a day it opens. Longer hours (days 90\u2013730). Cost not known."]
    # one that runs as the baseline is said to, not to show "no clear change" (a user check)
    assert ("It runs exactly as the baseline: every effect came out exactly zero."
            in page[page.index("<h3>Idle</h3>"):])
    assert "It runs exactly as the baseline" not in page[:page.index("<h3>Idle</h3>")]


def test_whom_a_programme_is_for_reads_in_words():
    """A user check: a hub targeted at newcomers and the same hub for everyone read alike in
    "Each option in words"; each programme now says whom it is for, where it is targeted."""
    from sim.interventions import INTERVENTIONS
    from sim.report.programmes import targeting_words

    hub, talks = INTERVENTIONS["third_space"], INTERVENTIONS["one_to_ones"]
    assert targeting_words(hub()) == ""
    assert targeting_words(hub(target_sections=("newcomers",))) == "newcomers"
    assert targeting_words(talks(target_sections=("newcomers", "students", "old_town"),
                                 target_orientations=("activist",))) == (
        "activist residents of newcomers, students and old town")
    assert targeting_words(talks(target_orientations=("activist", "empathic"))) == (
        "activist and empathic residents")


def test_a_measure_per_1000_residents_says_its_unit_once_in_words():
    """A user check: "burnt out (stepped back), per 1,000 residents (+2.6 per 1,000
    residents, 0.6 to 4.5)" said the unit twice."""
    from sim.report.sections_details import _phrase

    row = {"effect_steady": 2.6, "effect_steady_lo": 0.6, "effect_steady_hi": 4.5}
    said = _phrase(display("burnout_per_1000"), row)
    assert said == "burnt out (stepped back) (+2.6 per 1,000 residents, 0.6 to 4.5)", said
    assert said.count("per 1,000") == 1
    share = _phrase(display("loneliness_share"), {"effect_steady": -0.01,
                                                  "effect_steady_lo": -0.016,
                                                  "effect_steady_hi": -0.003})
    assert share.startswith("lonely often or always (")
    acts = _phrase(display("help_given"), {"effect_steady": -0.021, "effect_steady_lo": -0.03,
                                           "effect_steady_hi": -0.012})
    assert acts.startswith("acts of help (\u2212") and acts.count("per 100") == 1, acts


def test_a_survey_a_measure_follows_is_named_in_full():
    """A user check read "CLS:" in the charts' notes, never spelled out: a measure's doc,
    shown under its chart, names the Community Life Survey in full."""
    from sim.metrics import REGISTRY

    docs = {name: m.doc for name, m in REGISTRY.items()}
    assert not [name for name, doc in docs.items() if "CLS" in doc]
    assert "(Community Life Survey: lonely often or always)" in docs["loneliness_share"]
