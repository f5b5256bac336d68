"""What interventions cost: resources declared per year of running, unit costs with sources in
data/unit_costs.toml, scenario overrides in [costs], and only the days a programme runs."""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path

import pytest

from sim import costs
from sim.interventions import INTERVENTIONS
from sim.params import HubSpec
from sim.scenario import ScenarioError, load_scenario, load_scenarios, validate_files

REPO = Path(__file__).resolve().parents[1]
RESOURCES = ("staff_hours", "venue_hours", "events", "training_places", "small_grants_gbp")


def test_every_unit_cost_has_a_price_a_unit_and_a_source():
    unit = costs.load_unit_costs()
    assert set(RESOURCES) <= set(unit)
    for name, u in unit.items():
        assert u.gbp >= 0 and math.isfinite(u.gbp), name
        assert u.unit and u.covers, name
        # a citation or the word "assumption" with what it rests on
        assert "assumption" in u.source or "definition" in u.source, name
        assert len(u.source) > 20, name


def test_a_malformed_unit_costs_file_lists_every_problem(tmp_path):
    bad = tmp_path / "unit_costs.toml"
    bad.write_text('[unit_costs.staff_hours]\ngbp = -3\nunit = "hour"\ncovers = "pay"\n'
                   'source = ""\n[unit_costs.venue_hours]\ngbp = 30\nunit = "hour"\n')
    with pytest.raises(costs.UnitCostsError) as err:
        costs.load_unit_costs(bad)
    text = str(err.value)
    assert "unit_costs.staff_hours.gbp: expected a number of pounds, 0 or more" in text
    assert "unit_costs.staff_hours.source: every figure needs a source" in text
    assert "unit_costs.venue_hours: missing covers, source" in text


@pytest.mark.parametrize("kind", sorted(INTERVENTIONS))
def test_every_intervention_declares_priced_resources(kind):
    """Each type's resources (at its defaults, for 1,000 residents) name only priced
    resources with finite, non-negative quantities; every programme uses something, a
    closure nothing."""
    iv = INTERVENTIONS[kind]()
    res = costs.resources_of(iv, 1000, costs.load_unit_costs())
    assert set(res) <= set(RESOURCES)
    if kind == "hub_closure":
        assert res == {}
    else:
        assert sum(res.values()) > 0
        assert "staff_hours" in res  # every programme takes somebody's paid time


def test_bigger_programmes_cost_more():
    small = INTERVENTIONS["one_to_ones"](organisers=5)
    big = INTERVENTIONS["one_to_ones"](organisers=20)
    unit = costs.load_unit_costs()

    def yearly(iv, n):
        return sum(q * unit[r].gbp for r, q in costs.resources_of(iv, n, unit).items())

    assert yearly(big, 1000) > yearly(small, 1000)
    assert yearly(small, 3000) > yearly(small, 1000)  # organisers are per 1,000 residents


def test_a_bigger_hub_costs_more_to_staff_not_to_house():
    """A new hub's paid staff grow with its places (one worker on shift per
    ``visitors_per_worker``, at least one), its venue hours do not; places are per 1,000
    residents by default, so the same hub in a community twice the size costs twice the
    staff."""
    unit = costs.load_unit_costs()
    small = INTERVENTIONS["third_space"]()  # 30 places per 1,000 residents
    big = INTERVENTIONS["third_space"](hub=HubSpec(
        name="hall", capacity=90, open_days=(0, 2, 4, 5)))  # the default new hub's days
    s1, b1, s2 = (costs.resources_of(iv, n, unit) for iv, n in
                  ((small, 1000), (big, 1000), (small, 2000)))
    assert b1["venue_hours"] == s1["venue_hours"] == s2["venue_hours"]
    assert b1["staff_hours"] == pytest.approx(3 * s1["staff_hours"])
    assert s2["staff_hours"] == pytest.approx(2 * s1["staff_hours"])
    tiny = costs.resources_of(small, 300, unit)  # 9 places: still one worker on shift
    assert tiny["staff_hours"] == s1["staff_hours"]


def test_extra_days_a_hub_already_opens_are_not_charged(tmp_path):
    """Extending the library (open Monday to Saturday) to Saturday and Sunday adds one day,
    and is charged for one: the scenario's hubs say which days were open already."""
    both = _scenario(tmp_path, 'extends = "baseline.toml"\nname = "Weekend"\n'
                     '[[interventions]]\ntype = "third_space"\nextend_hub = "library"\n'
                     'extra_open_days = ["sat", "sun"]\n')
    sunday = _scenario(tmp_path, 'extends = "baseline.toml"\nname = "Sunday"\n'
                       '[[interventions]]\ntype = "third_space"\nextend_hub = "library"\n'
                       'extra_open_days = ["sun"]\n', "sunday.toml")
    assert costs.scenario_cost(both).per_year_gbp == pytest.approx(
        costs.scenario_cost(sunday).per_year_gbp)
    (staff,) = [line for line in costs.scenario_cost(sunday).lines
                if line.resource == "staff_hours"]
    # one day a week, 6 hours, staffed for the library's 40 places per 1,000 residents
    assert staff.per_year == pytest.approx(6 * 52 * 40 / 30)


def _scenario(tmp_path, text, name="x.toml"):
    (tmp_path / "baseline.toml").write_text('name = "Baseline"\n[run]\ndays = 730\n')
    path = tmp_path / name
    path.write_text(text)
    return load_scenario(path)


def test_a_programme_costs_only_the_days_it_runs(tmp_path):
    whole = _scenario(tmp_path, 'extends = "baseline.toml"\nname = "Whole"\n'
                      '[[interventions]]\ntype = "common_cause"\nstart_day = 1\n')
    year = _scenario(tmp_path, 'extends = "baseline.toml"\nname = "One year"\n'
                     '[[interventions]]\ntype = "common_cause"\nstart_day = 1\n'
                     'end_day = 365\n', "year.toml")
    c_whole, c_year = costs.scenario_cost(whole), costs.scenario_cost(year)
    unit = costs.load_unit_costs()
    per_year = sum(q * unit[r].gbp for r, q in
                   whole.interventions[0].resources(1000).items())
    assert c_whole.total_gbp == pytest.approx(per_year * 730 / 365)
    assert c_year.total_gbp == pytest.approx(per_year * 365 / 365)
    # cost per year of the run: the stopped programme costs half as much per year
    assert c_whole.per_year_gbp == pytest.approx(per_year)
    assert c_year.per_year_gbp == pytest.approx(per_year / 2)
    # what one year of running costs is the same for both
    (p_whole,), (p_year,) = c_whole.programmes().values(), c_year.programmes().values()
    assert p_whole["per_year_running_gbp"] == pytest.approx(p_year["per_year_running_gbp"])
    assert (p_whole["days_running"], p_year["days_running"]) == (730, 365)


def test_a_scenario_overrides_unit_costs_and_its_children_inherit_them(tmp_path):
    plain = _scenario(tmp_path, 'extends = "baseline.toml"\nname = "Plain"\n'
                      '[[interventions]]\ntype = "critical_friend"\nstart_day = 1\n')
    dear = _scenario(tmp_path, 'extends = "baseline.toml"\nname = "Dear"\n'
                     '[costs]\nstaff_hours = 52.0\ntraining_places = { gbp = 0, source = '
                     '"the council trains its own" }\n'
                     '[[interventions]]\ntype = "critical_friend"\nstart_day = 1\n', "dear.toml")
    child = _scenario(tmp_path, 'extends = "dear.toml"\nname = "Child"\n', "child.toml")
    assert dear.costs == {"staff_hours": {"gbp": 52.0, "source": ""},
                          "training_places": {"gbp": 0.0,
                                              "source": "the council trains its own"}}
    assert child.costs == dear.costs
    res = plain.interventions[0].resources(1000)
    unit = costs.load_unit_costs()
    assert costs.scenario_cost(plain).per_year_gbp == pytest.approx(
        res["staff_hours"] * unit["staff_hours"].gbp
        + res["training_places"] * unit["training_places"].gbp)
    assert costs.scenario_cost(dear).per_year_gbp == pytest.approx(res["staff_hours"] * 52.0)
    used = costs.scenario_cost(dear).unit_costs
    assert used["training_places"].source == "the council trains its own"
    assert used["staff_hours"].overridden_in.endswith("dear.toml")
    assert used["venue_hours"].overridden_in == ""


def test_bad_cost_overrides_name_the_file_and_the_key(tmp_path):
    (tmp_path / "baseline.toml").write_text('name = "Baseline"\n')
    bad = tmp_path / "bad.toml"
    bad.write_text('extends = "baseline.toml"\nname = "Bad"\n[costs]\nstaf_hours = 30\n'
                   'venue_hours = -5\nevents = { gbp = 10, sorce = "x" }\n'
                   'training_places = "cheap"\n')
    messages = [str(p) for p in validate_files([bad])]
    assert f"{bad}: costs.staf_hours: unknown resource; did you mean 'staff_hours'?" in \
        messages[0]
    assert any(m.startswith(f"{bad}: costs.venue_hours: expected a price in pounds, 0 or "
                            "more, got -5") for m in messages)
    assert any(m.startswith(f"{bad}: costs.events.sorce: unknown key") for m in messages)
    assert any("costs.training_places: expected a price in pounds" in m for m in messages)
    with pytest.raises(ScenarioError):
        load_scenarios([bad])


def test_shipped_scenarios_have_costs_that_add_up():
    paths = [REPO / "scenarios" / "baseline.toml"] + sorted(
        p for p in (REPO / "scenarios").glob("*.toml") if p.name != "baseline.toml")
    for s in load_scenarios([str(p) for p in paths]):
        c = costs.scenario_cost(s)
        assert c.total_gbp == pytest.approx(sum(line.gbp for line in c.lines
                                                if not line.saved))
        assert c.saved_total_gbp == pytest.approx(sum(line.gbp for line in c.lines
                                                      if line.saved))
        if s.name in ("Baseline", "Library closes"):
            assert c.total_gbp == 0, s.name
        else:
            assert c.per_year_gbp > 0, s.name
        assert (c.saved_total_gbp > 0) == (s.name == "Library closes"), s.name
    # a package costs what its parts cost
    by_name = {s.name: s for s in load_scenarios([str(p) for p in paths])}
    package = by_name["Combined package"]
    parts = sum(costs.scenario_cost(dataclasses.replace(package, interventions=(iv,))).total_gbp
                for iv in package.interventions)
    assert costs.scenario_cost(package).total_gbp == pytest.approx(parts)


def test_cost_per_year_leaves_out_the_days_before_the_first_programme(tmp_path):
    # a programme from day 90 costs its yearly cost a year however long the run: the days
    # before it (the community settling) are not averaged in (they made it look half as
    # dear, and twice the value per GBP 10,000, in a 180-day run)
    late = _scenario(tmp_path, 'extends = "baseline.toml"\nname = "Late"\n'
                     '[[interventions]]\ntype = "common_cause"\nstart_day = 90\n')
    yearly = sum(q * costs.load_unit_costs()[r].gbp
                 for r, q in late.interventions[0].resources(1000).items())
    for days in (180, 365, 730):
        c = costs.scenario_cost(late, days)
        assert c.period_days == days - 89
        assert c.total_gbp == pytest.approx(yearly * (days - 89) / 365)
        assert c.per_year_gbp == pytest.approx(yearly)
    # two programmes: the period starts with the first; the later one counts its own days
    both = _scenario(tmp_path, 'extends = "baseline.toml"\nname = "Both"\n'
                     '[[interventions]]\ntype = "common_cause"\nstart_day = 90\n'
                     '[[interventions]]\ntype = "common_cause"\nname = "second"\n'
                     'start_day = 456\n', "both.toml")
    c = costs.scenario_cost(both, 730)
    assert c.first_day == 90
    assert c.per_year_gbp == pytest.approx(yearly * (641 + 275) / 641)
    # a programme that starts after a shorter run ends costs nothing and sets no period
    never = _scenario(tmp_path, 'extends = "baseline.toml"\nname = "Never"\n'
                      '[[interventions]]\ntype = "common_cause"\nstart_day = 600\n',
                      "never.toml")
    c = costs.scenario_cost(never, 500)
    assert (c.total_gbp, c.per_year_gbp, c.first_day) == (0, 0, 1)


def test_a_closed_hub_saves_a_year_of_running_it_for_each_year_closed(tmp_path):
    """A user check: the library closure had "no programme cost" and its saving, the reason a
    council closes a library, was nowhere. It saves hub_years (a year of running the hub) for
    each year closed, beside the cost and never taken off it; a scenario's [costs] can give
    the hub's own budget."""
    closure = load_scenarios([str(REPO / "scenarios" / "hub_closure.toml")])[0]
    unit = costs.load_unit_costs()["hub_years"]
    assert unit.gbp > 0 and unit.source.startswith("assumption")
    c = costs.scenario_cost(closure, days=455)  # closed from day 90: exactly a year
    assert (c.total_gbp, c.per_year_gbp) == (0, 0)
    assert c.saved_total_gbp == pytest.approx(unit.gbp * 366 / 365)
    assert c.saved_per_year_gbp == pytest.approx(unit.gbp)
    assert c.programmes()["Library closure"]["saved_per_year_running_gbp"] == unit.gbp
    # with a programme beside it: the programme's cost is not reduced by the saving
    hub = load_scenarios([str(REPO / "scenarios" / "third_space.toml")])[0]
    both = dataclasses.replace(closure, interventions=closure.interventions
                               + hub.interventions)
    alone = costs.scenario_cost(dataclasses.replace(hub, interventions=hub.interventions),
                                days=455)
    mixed = costs.scenario_cost(both, days=455)
    assert mixed.total_gbp == pytest.approx(alone.total_gbp)
    assert mixed.saved_total_gbp == pytest.approx(c.saved_total_gbp)
    # the council's own figure
    own = tmp_path / "own.toml"
    own.write_text(f'extends = "{REPO / "scenarios" / "hub_closure.toml"}"\n'
                   'name = "Our library closes"\n[costs]\n'
                   'hub_years = {{ gbp = 95000, source = "our library budget" }}\n'
                   .replace("{{", "{").replace("}}", "}"))
    mine = costs.scenario_cost(load_scenarios([str(own)])[0], days=455)
    assert mine.saved_per_year_gbp == pytest.approx(95000)
    assert mine.unit_costs["hub_years"].source == "our library budget"


def test_a_price_beyond_any_budget_is_refused_at_its_key(tmp_path, capsys):
    """A user check: [costs] events = 1e308 passed validation, the runs ran, and the job
    failed as the report printed an infinite cost (the output folder half-written). A price
    above MAX_UNIT_GBP is refused at its key, with the range, before anything runs; one at
    the bound is accepted, and a whole number too large for a float is refused, not a
    crash."""
    from sim import cli

    (tmp_path / "baseline.toml").write_text('name = "Baseline"\n')
    bad = tmp_path / "bad.toml"
    bad.write_text('extends = "baseline.toml"\nname = "Dear"\n[costs]\nevents = 1e308\n'
                   'staff_hours = { gbp = 1e305, source = "x" }\n'
                   f'venue_hours = {10 ** 400}\ntraining_places = 1e9\n'
                   '[[interventions]]\ntype = "shared_myth"\nstart_day = 90\n')
    problems = {p.key: p.message for p in validate_files([bad])}
    assert set(problems) == {"costs.events", "costs.staff_hours.gbp", "costs.venue_hours"}
    assert problems["costs.events"].startswith(
        "1e+308 is out of range: a price must be between 0 and 1,000,000,000 pounds a unit")
    assert all(p.is_error for p in validate_files([bad]))
    out = tmp_path / "out"
    code = cli.main(["compare", str(tmp_path / "baseline.toml"), str(bad), "--out", str(out)])
    assert code == 2 and not out.exists()
    assert f"{bad}: costs.events: 1e+308 is out of range" in capsys.readouterr().err
    # the data file is held to the same bound
    data = tmp_path / "unit_costs.toml"
    data.write_text('[unit_costs.staff_hours]\ngbp = 1e12\nunit = "hour"\ncovers = "pay"\n'
                    'source = "assumption: x"\n')
    with pytest.raises(costs.UnitCostsError, match=r"unit_costs.staff_hours.gbp: 1e\+12 is "
                       "out of range"):
        costs.load_unit_costs(data)


def test_every_cost_a_bounded_price_can_make_is_a_finite_number_of_pounds():
    """At MAX_UNIT_GBP for every resource, every programme at its largest doses in the
    largest community for the longest run costs a finite sum, which the report prints."""
    from sim.report.units import fmt_gbp
    from sim.scenario.kinds import settable_fields

    dear = {r: costs.UnitCost(r, costs.MAX_UNIT_GBP, "", "", "")
            for r in costs.load_unit_costs()}
    for kind, cls in INTERVENTIONS.items():
        most = {name: meta["range"][1] for name, (t, meta) in settable_fields(cls).items()
                if t in (int, float) and (meta.get("range") or (None, None))[1] is not None
                and name not in ("start_day", "end_day")}
        try:
            iv = cls(**most)
        except (TypeError, ValueError):  # doses that cannot go together: each alone
            ivs = [cls(**{k: v}) for k, v in most.items()]
        else:
            ivs = [iv]
        for iv in ivs:
            for method in ("resources", "savings"):
                for q in costs.resources_of(iv, 5_000_000, dear, method).values():
                    total = q * costs.MAX_UNIT_GBP * 36_500 / costs.DAYS_PER_YEAR
                    assert math.isfinite(total), kind
                    assert fmt_gbp(total).startswith("\u00a3"), kind


def test_two_programmes_of_one_type_each_cost_their_own_days(tmp_path):
    """A user check: two place stories (days 90-200, and 300 to the end) were one row,
    "Shared myth: GBP 16,900 (111 days)", both one's costs with the first one's days. Each
    is its own row, with its own days and cost, even in a scenario made in code with one
    label for both."""
    base = REPO / "scenarios" / "baseline.toml"
    path = tmp_path / "twice.toml"
    path.write_text(f'name = "Twice"\nextends = "{base}"\n'
                    '[[interventions]]\ntype = "shared_myth"\nname = "story_a"\n'
                    'start_day = 90\nend_day = 200\n'
                    '[[interventions]]\ntype = "shared_myth"\nname = "story_b"\n'
                    'start_day = 300\nplaces_per_event = 200\n')
    scenario = load_scenario(path)
    c = costs.scenario_cost(scenario, 730)
    rows = c.programmes()
    assert list(rows) == ["Shared myth (story_a)", "Shared myth (story_b)"]
    assert [p["days_running"] for p in rows.values()] == [111, 431]
    assert sum(p["total_gbp"] for p in rows.values()) == pytest.approx(c.total_gbp)
    for iv, p in zip(scenario.interventions, rows.values(), strict=True):
        yearly = sum(q * c.unit_costs[r].gbp for r, q in iv.resources(1000).items())
        assert p["per_year_running_gbp"] == pytest.approx(yearly)
        assert p["total_gbp"] == pytest.approx(yearly * p["days_running"] / 365)
    same = dataclasses.replace(scenario, interventions=tuple(
        dataclasses.replace(iv, label="Story") for iv in scenario.interventions))
    rows = costs.scenario_cost(same, 730).programmes()
    assert list(rows) == ["Story", "Story (story_b)"]
    assert [p["days_running"] for p in rows.values()] == [111, 431]
