"""sim/report/verdict.py: what the report calls a paired effect's interval."""

import math

from sim.report.verdict import verdict


def test_verdict_uses_the_better_direction():
    assert verdict(0.01, 0.03, True) == "better"
    assert verdict(0.01, 0.03, False) == "worse"
    assert verdict(-0.03, -0.01, False) == "better"
    assert verdict(-0.01, 0.02, True) == "unclear"
    assert verdict(0.01, 0.02, None) == "changed"
    assert verdict(math.nan, 0.02, True) == "unclear"
