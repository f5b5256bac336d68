"""A programme followed after it ends (sim/report/durability.py): the four weeks up to its
end and up to 6 and 12 months later, none past the run; the effects at those points are
checked end to end in test_report.py (durability.csv)."""

from __future__ import annotations

from types import SimpleNamespace

from sim.report.durability import DURABILITY_WINDOW_DAYS, durability, durability_windows


def scenario(name, *ends):
    ivs = [SimpleNamespace(end_day=end, label=f"programme {i}") for i, end in enumerate(ends)]
    return SimpleNamespace(name=name, slug=name.lower(), interventions=ivs)


def test_windows_follow_each_programme_that_ends_before_the_run():
    [ending] = durability_windows([scenario("A", 100, None, 800)], days=730)
    assert (ending.scenario, ending.programme, ending.end_day) == ("A", "programme 0", 100)
    # months become days as scenario files count them: round(months x 365.25 / 12)
    assert ending.windows == ((0, (100 - DURABILITY_WINDOW_DAYS + 1, 100)),
                              (6, (256, 283)), (12, (438, 465)))


def test_a_point_after_the_run_is_none_and_no_table_means_no_rows():
    [ending] = durability_windows([scenario("B", 500)], days=730)
    assert [w for _, w in ending.windows] == [(473, 500), (656, 683), None]
    assert durability(None, [ending], ["unmet_need"]) == []
