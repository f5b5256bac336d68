"""Numbers for people (sim/report/units.py): shares as percentages, changes in percentage
points with a true minus sign, people per 1,000, money rounded, never scientific notation,
and descriptions without internal names."""

from __future__ import annotations

import math
import re

from hypothesis import given
from hypothesis import strategies as st

from sim.metrics import REGISTRY
from sim.report.units import display, fmt_gbp, fmt_number, plain
from sim.report.words import effect_interval

# a float in scientific notation ("1.1e-17", "2e+05"); hashes such as "6e9f..." do not count
E_NOTATION = re.compile(r"\d[eE][-+]\d")


@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e9, max_value=1e9))
def test_numbers_are_never_in_scientific_notation_or_minus_zero(x):
    for text in (fmt_number(x), fmt_number(x, decimals=1, signed=True),
                 display("trust_out_group").effect(x / 1e6), display("help_given").value(x),
                 fmt_gbp(x)):
        assert not E_NOTATION.search(text), text
        assert not re.match(r"[-\u2212+]0(\.0+)?$", text), text
        assert "-" not in text  # negative numbers carry a true minus sign


def test_an_effect_is_no_more_precise_than_its_interval():
    """A user check: a card read "−0.003 points (−4.1 to 4.1)" beside one-decimal
    figures. An effect that rounds to 0 takes extra digits only where its interval needs them
    too; the report's sentences, cards and asides all say it so."""
    d = display("trust_out_group")
    assert effect_interval(d, -0.00003, -0.041, 0.041) == "0.0 (−4.1 to 4.1)"
    assert effect_interval(d, 0.00004, 0.00001, 0.00006) == "+0.004 (0.001 to 0.01)"
    assert effect_interval(d, -0.0004, -0.0009, float("nan")) == \
        "−0.04 (interval needs 2 or more runs)"
    assert d.effect_in(-0.00003, -0.041, 0.041) == "0.0"
    assert d.effect_in(0.021, 0.016, 0.025) == "+2.1"


def test_shares_people_and_money_read_as_people_read_them():
    d = display("trust_out_group")
    assert (d.value(0.412), d.value(0.065), d.effect(0.041), d.effect(-0.0004)) == (
        "41.2%", "6.5%", "+4.1", "\u22120.04")
    assert display("trust_gap").value(0.42) == "42.0 points"  # a difference of two shares
    assert display("trust_gap").value_band(0.453, 0.405, 0.474) == "45.3 points (40.5 to 47.4)"
    assert d.value_band(0.412, 0.405, 0.474) == "41.2% (40.5% to 47.4%)"
    burnout = display("burnout_per_1000")  # people per 1,000 residents
    assert burnout.kind == "per_1000" and burnout.value(1.2) == "1.2"
    assert burnout.with_unit(0.3) == "+0.3 per 1,000"
    assert display("helper_strain").value(0.183) == "18.3%"  # a share of the civic core
    assert fmt_gbp(12651) == "\u00a312,700" and fmt_gbp(483) == "\u00a3480"
    assert plain("trust_in_group minus trust_out_group: the gap") == (
        "\u201cTrust own group\u201d minus \u201cTrust other groups\u201d: the gap")
    assert plain("a need outstanding for at least unmet_need_days (7) days") == \
        "a need outstanding for at least 7 days"
    for m in REGISTRY:  # no metric's description leaks a name
        assert not re.search(r"\b[a-z]+_[a-z_]+\b", display(m).doc), m


def test_two_levels_side_by_side_read_at_their_own_precision_and_the_change_says_the_rest():
    """A level prints the same wherever it stands (a user check: the baseline's "Trust own
    group" read "78.673%" in one option's table and "79%" in another's), a share to one
    decimal, the precision of the change beside it, so that the reader's arithmetic closes
    (a user check: "10% → 7.6%" beside −2.7 points, the baseline being 10.33%; "10% →
    10.0%" beside −0.3); two different levels that read alike carry the change beside
    them where no change is printed next to them."""
    from sim.report.decision import change_words
    from sim.report.units import display

    share = display("unmet_need")
    assert share.values(0.1033, 0.0763) == ("10.3%", "7.6%")
    assert share.values(0.1033, 0.0999) == ("10.3%", "10.0%")
    assert share.values(0.096, 0.102) == ("9.6%", "10.2%")
    assert share.values(0.41, 0.52) == ("41.0%", "52.0%")
    for base, new in ((0.78673, 0.7815), (0.18722, 0.18707), (0.06654, 0.06126),
                      (0.1841, 0.1861)):
        assert share.values(base, new) == (share.value(base), share.value(new))  # as alone
        # the levels as read differ from the change as read by at most the rounding
        shown = [float(v.rstrip("%")) for v in share.values(base, new)]
        assert abs((shown[1] - shown[0]) - 100 * (new - base)) <= 0.1 + 1e-9
    people = display("burnout_per_1000")
    assert people.values(58.22, 58.17) == ("58.2", "58.2")
    assert people.values(4.12, 4.14) == ("4.1", "4.1")
    # alike though different: the change (worked out before rounding) beside them
    assert change_words(share, 0.1862, 0.1865) == "18.6% to 18.6% (+0.03 points)"
    assert change_words(people, 58.22, 58.17, arrow=True) == (
        "58.2 \u2192 58.2 per 1,000 (\u22120.05 per 1,000)")
    assert change_words(share, 0.1862, 0.1865, change=False) == "18.6% to 18.6%"  # beside it
    assert change_words(share, 0.25, 0.25) == "25.0% to 25.0%"
    assert change_words(share, 0.0665, 0.0613, arrow=True) == "6.7% \u2192 6.1%"


def test_a_share_of_a_few_runs_is_said_as_a_count():
    """"Best in 100% of 3 paired runs" read as certainty beside an unclear verdict: below
    20 runs a share is a count; a run that options tie in is shared between them, so the
    count may hold part of a run (a user check: a tie read "best in 10%" beside "best in 1 of
    5")."""
    from sim.report.units import fmt_share_of

    assert fmt_share_of(1.0, 3) == "3 of 3" and fmt_share_of(1 / 3, 3) == "1 of 3"
    assert fmt_share_of(0.5, 3) == "1\u00bd of 3"  # a tie split between two
    assert fmt_share_of(0.1, 5) == "\u00bd of 5"
    assert fmt_share_of(1 / 15, 5) == "\u2153 of 5"  # one of three tied
    assert fmt_share_of((1 / 3 + 1 / 2) / 5, 5) == "0.8 of 5"  # shared twice, unlike
    assert fmt_share_of(0.0, 5) == "0 of 5"
    assert fmt_share_of(0.78, 50) == "78%" and fmt_share_of(1.0, 1) == "1 of 1"


def test_money_that_is_not_a_finite_number_reads_n_a_and_never_crashes():
    """The loader bounds every price (sim/costs.py MAX_UNIT_GBP); a report that still meets
    an infinite cost says n/a in that cell rather than failing the job after its runs (a
    user check: 'OverflowError: cannot convert float infinity to integer')."""
    for v in (math.inf, -math.inf, math.nan, None, 10 ** 400):
        assert fmt_gbp(v) == "n/a", v
    assert fmt_gbp(1e18) == "\u00a31,000,000,000,000,000,000"


def test_an_effect_per_10k_too_small_to_show_reads_as_below_its_last_decimal():
    """A user check: a programme costed at GBP 17 billion a year read "+0.000 points per
    £10,000 (0.000 to 0.000)", as if the effect were none; it reads "<0.001", signed."""
    from sim.report.sections_top import _per_10k
    from sim.report.units import MINUS, display

    points = display("trust_out_group")  # a share, shown in points (x 100)
    assert _per_10k(points, 2e-8) == "+<0.001"
    assert _per_10k(points, -2e-8) == f"{MINUS}<0.001"
    assert _per_10k(points, 2e-8, signed=False) == "<0.001"
    assert _per_10k(points, 0.0) == "0.00"
    assert _per_10k(points, 0.00004) == "+0.004"  # three decimals still show it
    assert _per_10k(points, 0.0123) == "+1.23"


def test_pounds_round_halves_up_so_one_cost_reads_alike_everywhere():
    """A user check: an option of one programme read "£40,100 a year" beside its programme
    at "£40,000": 40,050 rounded half to even in one place and, a float's noise above, up in
    the other. Halves round up, from the pence."""
    from sim.report.units import fmt_gbp

    assert fmt_gbp(40_050) == fmt_gbp(40_050.0000001) == fmt_gbp(40_049.999999) == "£40,100"
    assert fmt_gbp(40_049) == "£40,000"
    assert fmt_gbp(-40_050) == "\u2212£40,100"
    assert fmt_gbp(485) == "£490" and fmt_gbp(0) == "£0"
