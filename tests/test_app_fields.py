"""The panel's fields come from the intervention classes' metadata, and typed values are read
as a scenario file reads them (sim/app/fields.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.app.fields import field_specs, names_for, parse_typed
from sim.interventions import INTERVENTIONS
from sim.scenario import load_scenario
from sim.scenario.kinds import settable_fields


@pytest.mark.parametrize("kind", sorted(INTERVENTIONS))
def test_every_settable_field_gets_an_input_built_from_its_metadata(kind):
    cls = INTERVENTIONS[kind]
    specs = field_specs(cls)
    assert {s.name for s in specs} == set(settable_fields(cls))
    assert [s.name for s in specs][:3] == ["label", "start_day", "end_day"]
    for s in specs:
        assert s.kind in ("int", "float", "bool", "text", "choice", "name", "names",
                          "weekdays", "table", "list")
        assert s.unit and s.doc, s.name
        if s.choices:
            assert s.kind == "choice"


JARGON = ("exponent", "elasticity", "per unit of story", "0-1", "method", "source residents")


@pytest.mark.parametrize("kind", sorted(INTERVENTIONS))
def test_the_hint_under_each_input_says_its_unit_in_words(kind):
    """A user check read "exponent; 0 to 3" and "x per unit of story" under the live page's
    inputs: a unit of the model's is said by what it does there; the tooltip (the doc) and
    the spec's own unit, which the scenario files use, are unchanged."""
    for s in field_specs(INTERVENTIONS[kind]):
        assert not any(word in s.hint for word in JARGON), (s.name, s.hint)
        assert not s.hint.startswith("x "), (s.name, s.hint)
        if s.name == "recruit_through_ties":
            assert s.unit == "exponent"
            assert s.hint == "0: everyone alike; 1: word of mouth (in proportion to ties); 0 to 3"
        if s.name == "commitment_effect":
            assert s.hint == "times as likely; 1 to 20"


def test_a_nested_hub_table_gets_the_hub_fields():
    hub = next(s for s in field_specs(INTERVENTIONS["third_space"]) if s.name == "hub")
    assert hub.kind == "table" and hub.optional
    inner = {s.name: s for s in hub.fields}
    assert inner["open_days"].kind == "weekdays"
    assert inner["capacity"].kind == "int" and inner["capacity"].lo == 0
    assert inner["location"].refers_to == "section"


def test_typed_values_are_read_as_a_scenario_file_reads_them():
    assert parse_typed("12") == 12
    assert parse_typed(" 0.5 ") == 0.5
    assert parse_typed("1,000") == 1000  # as people write it
    assert parse_typed("true") is True
    assert parse_typed('["a", "b"]') == ["a", "b"]
    assert parse_typed("ten") == "ten"
    assert parse_typed("") is None


def test_a_whole_number_typed_with_an_exponent_is_whole_in_a_field_of_whole_numbers():
    """A user check typed 1e9 into Organisers and read "1000000000.0", "expected a whole
    number, got 1000000000.0": in a field of whole numbers it is 1000000000 (the loader
    then says it is out of range); elsewhere a number typed is read as a file reads it."""
    assert parse_typed("1e9", "int") == 1_000_000_000
    assert isinstance(parse_typed("1e9", "int"), int)
    assert parse_typed("25.0", "int") == 25 and isinstance(parse_typed("25.0", "int"), int)
    assert parse_typed("1,000.0", "int") == 1000
    assert parse_typed("2.5", "int") == 2.5  # not whole: for the loader to refuse
    assert parse_typed("inf", "int") == float("inf")
    # beyond a float's exact whole numbers 1e30 is not the number typed: left a float
    assert isinstance(parse_typed("1e30", "int"), float)
    assert isinstance(parse_typed("1e9", "float"), float)
    assert isinstance(parse_typed("1e9"), float)


def test_each_intervention_types_tooltip_is_one_plain_sentence():
    # from the module's summary line: a class's docstring opens with sources and quotations
    # (one_to_ones' first "sentence" ended inside a quotation's "...")
    from sim.app.fields import type_summary
    from sim.interventions import TYPES, _load

    summaries = {t: type_summary(_load(t)) for t in TYPES}
    assert summaries["one_to_ones"] == ("Community organisers hold 1:1 conversations that end "
                                        "in commitments.")
    for t, text in summaries.items():
        assert text[0].isupper() and text.endswith("."), t
        assert not text.startswith(t) and "JRF" not in text and "``" not in text, t
        assert text.count(".") == 1 and len(text) < 120, t


def test_every_intervention_type_has_a_plain_title_in_the_list_of_types():
    """A user check found internal names ("One to ones", "Third space", "Hub closure") in
    "Add an intervention": every type declares a plain title of its own, and no two are
    alike."""
    from sim.app.fields import type_title

    titles = {kind: type_title(kind) for kind in INTERVENTIONS}
    for kind, title in titles.items():
        assert "title" in vars(INTERVENTIONS[kind]), f"{kind} has no title of its own"
        assert INTERVENTIONS[kind].title == title, kind
        assert title[0].isupper() and "_" not in title, kind
    assert len(set(titles.values())) == len(titles)
    assert titles["one_to_ones"] == "Organisers' 1:1 conversations"
    assert titles["third_space"] == "A new hub or third space"
    assert type_title("not_a_type") == "Not a type"  # a type without one: its name in words


def test_a_new_hubs_fields_say_what_the_page_shows():
    """A user check: "Open days" said "(0 = Monday)" beside days shown as mon, wed; "Capacity
    per 1000" had no help at all, and the capacity read "visitors per day" while it is per
    1,000 residents by default."""
    from sim.app.fields import checkbox_hint, in_table

    hub = next(s for s in field_specs(INTERVENTIONS["third_space"]) if s.name == "hub")
    inner = {s.name: s for s in hub.fields}
    assert inner["open_days"].hint == "days of the week" and "0 =" not in inner["open_days"].hint
    flag = inner["capacity_per_1000"]
    assert flag.label == "Capacity per 1,000"
    assert checkbox_hint(flag) == ("Ticked: capacity is per 1,000 residents and scales with "
                                   "the population")
    capacity = inner["capacity"]
    assert in_table(capacity, hub, None).unit == "visitors per day per 1,000 residents"
    assert in_table(capacity, hub, {"capacity_per_1000": True}).hint.startswith(
        "visitors per day per 1,000 residents; ")
    assert in_table(capacity, hub, {"capacity_per_1000": False}).unit == "visitors per day"
    assert in_table(inner["palatability"], hub, None) == inner["palatability"]


def test_labels_read_as_words_where_a_name_is_shorthand():
    """A user check found "P commitment" in the 1:1s' panel: a name that is shorthand (a
    probability p_..., a spacing ..._every_days, a ..._half_life_days) is labelled with the
    opening of its meaning, cut at its first break; other names read as they are."""
    labels = {(kind, s.name): s.label for kind, cls in INTERVENTIONS.items()
              for s in field_specs(cls)}
    assert labels["one_to_ones", "p_commitment"] == "Chance a 1:1 ends in a public commitment"
    assert labels["one_to_ones", "action_every_days"] == ("Days between the organisers' "
                                                          "action meetings")
    assert labels["shared_myth", "every_days"] == "Days between events"
    assert labels["critical_friend", "p_taken_up"] == "Chance a team changes its delivery"
    assert labels["common_cause", "p_attend"] == "Chance a member comes to a given session"
    assert labels["shared_myth", "memory_half_life_days"] == ("Half-life of the story in a "
                                                              "resident's memory")
    assert labels["one_to_ones", "conversations_per_week"] == "Conversations per week"
    for (kind, name), label in labels.items():
        assert not label.startswith("P ") and "every days" not in label.lower(), (kind, name)
        assert "half life" not in label.lower() and len(label) <= 48, (kind, name, label)


def test_a_list_is_shown_as_words_and_read_back_from_them():
    """A user check: Commitments showed a Python list (['join', 'visit', 'ask', 'offer']).
    A list is shown as a user types it (comma-separated) and read back from that, or from
    a TOML list."""
    from sim.app.fields import list_text, parse_list

    assert list_text(["join", "visit", "ask", "offer"]) == "join, visit, ask, offer"
    assert list_text([1, 2.5]) == "1, 2.5"
    assert list_text([]) == ""
    assert list_text(["a, b", "c"]) == '["a, b", "c"]'  # a comma inside: TOML
    assert parse_list("join, visit") == ["join", "visit"]
    assert parse_list(" join ") == ["join"]
    assert parse_list('["join", "visitt"]') == ["join", "visitt"]
    assert parse_list('"join", "ask"') == ["join", "ask"]
    assert parse_list("1, 2.5") == [1, 2.5]
    assert parse_list("join,, ask,") == ["join", "ask"]
    assert parse_list("") is None
    assert parse_list(list_text(["a, b", "c"])) == ["a, b", "c"]


def test_a_field_that_needs_a_hub_from_day_0_is_not_offered_a_programmes_hub():
    """The third space's cafe2 is offered to a palatable activity's hubs, not to a closure's
    hub (the loader would refuse it: the closure needs it from day 0)."""
    scenario = load_scenario(Path(__file__).resolve().parents[1] / "scenarios"
                             / "third_space.toml")
    assert "cafe2" in names_for("hub", scenario)
    closing = names_for("hub", scenario, from_start="hub" in
                        INTERVENTIONS["hub_closure"].hubs_from_start)
    assert "cafe2" not in closing and "library" in closing
