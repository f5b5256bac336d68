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
