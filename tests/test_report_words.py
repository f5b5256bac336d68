"""Effects in plain words (sim/report/words.py): which way, how much, how sure, compared
with what, and whether that is better."""

from __future__ import annotations

from sim.report.words import effect_sentence


def test_effect_sentence_wording():
    row = {"effect_steady": 0.041, "effect_steady_lo": 0.023, "effect_steady_hi": 0.059}
    assert effect_sentence("Opening a community cafe", "trust_out_group", row,
                           baseline="the baseline", when="over months 18 to 24") == (
        "Opening a community cafe raised \u201cTrust other groups\u201d by 4.1 percentage "
        "points (95% interval 2.3 to 5.9) over months 18 to 24 compared with the baseline: "
        "better.")
    row = {"effect_steady": 0.02, "effect_steady_lo": 0.01, "effect_steady_hi": 0.03}
    assert effect_sentence("X", "loneliness_share", row, baseline="B").endswith(": worse.")
    row = {"effect_steady": -0.022, "effect_steady_lo": -0.030, "effect_steady_hi": -0.015}
    assert effect_sentence("X", "loneliness_share", row, baseline="B", when="lately") == (
        "X lowered \u201cLonely often or always\u201d by 2.2 percentage points (95% interval "
        "1.5 to 3.0) lately compared with B: better.")
    row = {"effect_steady": -0.01, "effect_steady_lo": -0.03, "effect_steady_hi": 0.01}
    s = effect_sentence("X", "unmet_need", row, baseline="B")
    assert s.startswith("X made no clear change to") and "includes no change" in s
    assert "\u22121.0" in s  # a true minus sign
