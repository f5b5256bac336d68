"""The live page's programme draft (sim/app/draft.py): edits are counted as changes, the
loader's own messages come back with their key paths, and a saved draft is a scenario file
that ``run.py validate`` accepts."""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from sim.app.draft import Draft, Item, name_clash, names_in_use, safe_stem
from sim.app.fields import parse_typed
from sim.app.model_settings import MAX_RESIDENTS_LIVE, SETTINGS
from sim.scenario.loader import load_scenario, validate_files

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def folder(tmp_path) -> Path:
    """The shipped baseline and the organisers' scenario, in a folder of their own."""
    for name in ("baseline.toml", "one_to_ones.toml"):
        shutil.copy(ROOT / "scenarios" / name, tmp_path / name)
    return tmp_path


def organisers(folder: Path) -> Draft:
    return Draft.of(load_scenario(folder / "one_to_ones.toml"))


def test_unchanged_draft_has_no_changes_and_keeps_the_scenario_name(folder):
    draft = organisers(folder)
    assert draft.changes() == []
    assert draft.header() == "Community organising 1:1s"
    assert draft.definition() == {}
    check = draft.check()
    assert check.problems == ()
    assert check.scenario.interventions == load_scenario(folder / "one_to_ones.toml")\
        .interventions


def test_each_edit_counts_once_and_the_header_names_them(folder):
    draft = organisers(folder).with_value(0, "organisers", 20)
    assert draft.header() == "Community organising 1:1s + 1 change"
    assert draft.changes() == ["Organisers' 1:1 conversations: organisers 10 \u2192 20"]
    draft = draft.with_setting("n_residents", 2000).with_added("third_space")
    assert draft.header() == "Community organising 1:1s + 3 changes"
    assert "added A new hub or third space" in draft.changes()
    # setting a value back to the file's removes the change
    assert draft.with_value(0, "organisers", 10).with_setting("n_residents", 1000)\
        .header() == "Community organising 1:1s + 1 change"
    assert draft.without(0).changes()[0] == "removed Organisers' 1:1 conversations"


def test_a_slider_drawn_unmoved_is_no_change(folder):
    """The baseline's 0.01097 new needs a day is off the slider's 0.001 grid: the browser's
    slider draws it at 0.011 and sends that back unmoved, when the panel opens and again on
    "Discard changes". A user check saw "new needs per resident per day 0.01097 -> 0.011"
    as a pending change nobody made. It is no change, and the file's exact value stays."""
    draft = organisers(folder)
    assert draft.setting("p_need") == 0.01097
    unmoved = draft.with_setting("p_need", 0.011)
    assert unmoved.changes() == [] and unmoved.definition() == {}
    assert unmoved.setting("p_need") == 0.01097
    # a real move is a change, and discarding it gives the file back, slider bounce and all
    moved = draft.with_setting("p_need", 0.02)
    assert moved.changes() == ["new short-term needs per resident per day 0.01097 \u2192 0.02"]
    discarded = moved.reset().with_setting("p_need", 0.011)
    assert discarded.changes() == [] and discarded.setting("p_need") == 0.01097
    # every setting: its file value as drawn is no change
    for key, value in draft.base_settings.items():
        setting = next(s for s in SETTINGS if s.key == key)
        assert draft.with_setting(key, setting.drawn(value)).changes() == [], key


def test_drawn_follows_the_sliders_grid():
    by_key = {s.key: s for s in SETTINGS}
    assert by_key["p_need"].drawn(0.01097) == 0.011
    assert by_key["p_need"].drawn(0.0104) == 0.01
    assert by_key["share_bridge_figures"].drawn(0.0126) == 0.015
    assert by_key["n_residents"].drawn(2_049) == 2_000
    assert by_key["n_residents"].drawn(50) == 100  # held within the slider's ends
    assert by_key["n_residents"].drawn(99_000) == MAX_RESIDENTS_LIVE


def test_checked_draft_runs_what_the_panel_shows(folder):
    draft = organisers(folder).with_value(0, "organisers", 25).with_value(
        0, "start_day", 30).with_setting("n_residents", 600)
    check = draft.check()
    assert check.errors == []
    [iv] = check.scenario.interventions
    assert (iv.organisers, iv.start_day) == (25, 30)
    assert check.scenario.model.population.n_residents == 600
    assert check.scenario.name == "Community organising 1:1s + 3 changes"


def test_the_panel_gets_the_same_messages_as_a_file(folder):
    """A bad value typed in the panel and the same value written in a file give the loader's
    same message, at the same key."""
    draft = organisers(folder).with_value(0, "organisers", parse_typed("ten")).with_value(
        0, "conversations_per_week", 500.0)
    check = draft.check()
    (folder / "bad.toml").write_text(
        'name = "Bad"\nextends = "baseline.toml"\n[[interventions]]\ntype = "one_to_ones"\n'
        'organisers = "ten"\nconversations_per_week = 500.0\n')
    from_file = validate_files([folder / "bad.toml"])
    assert {(p.key, p.message) for p in check.errors} == {
        (p.key, p.message) for p in from_file}
    assert check.for_key("interventions[0].organisers") == [
        "expected a whole number, got 'ten'"]
    assert "between 0 and 100" in check.for_key("interventions[0].conversations_per_week")[0]
    assert check.scenario is None
    assert all(p.file == "this setup" for p in check.errors)  # no temporary paths shown


def test_a_window_the_file_gave_in_months_shows_its_days_and_a_typed_day_replaces_it(folder):
    # the panel shows start_day and end_day only: a window given in months shows the days
    # its months become (not the default start), and a day typed there replaces the month
    shutil.copy(ROOT / "scenarios" / "common_cause_one_year.toml", folder)
    draft = Draft.of(load_scenario(folder / "common_cause_one_year.toml"))
    item = draft.items[0]
    assert (item.table["start_month"], item.table["end_month"]) == (3, 15)
    assert (item.shown("start_day"), item.shown("end_day")) == (91, 457)
    assert item.shown("label") == item.table.get("label")
    typed = draft.with_value(0, "start_day", 30)
    assert "start_month" not in typed.items[0].table
    assert typed.items[0].table["end_month"] == 15  # the other end stays as the file gave it
    check = typed.check()
    assert check.errors == []
    [iv] = check.scenario.interventions
    assert (iv.start_day, iv.end_day) == (30, 457)
    cleared = draft.with_value(0, "end_day", None).check()  # cleared: the default, no end
    assert cleared.errors == [] and cleared.scenario.interventions[0].end_day is None


def test_a_window_the_file_gave_in_months_has_its_messages_under_the_day_fields(folder):
    # what the loader says of start_month (named as the file wrote it) is shown under
    # start_day
    shutil.copy(ROOT / "scenarios" / "common_cause_one_year.toml", folder)
    draft = Draft.of(load_scenario(folder / "common_cause_one_year.toml"))
    check = draft.with_value(0, "end_month", None).with_value(0, "end_day", 60).check()
    assert [p.key for p in check.errors] == ["interventions[0].start_month"]
    assert check.for_key("interventions[0].start_day") == [
        "starts in month 3 (day 91), after it ends (end_day = 60); start_month must be on "
        "or before end_day"]
    assert check.for_key("interventions[0].end_day") == []


def test_an_added_intervention_of_a_type_already_there_gets_its_own_name(folder):
    draft = organisers(folder).with_added("one_to_ones")
    assert draft.items[-1].table == {"type": "one_to_ones", "name": "one_to_ones_2",
                                     "label": "Organisers' 1:1 conversations (2)"}
    check = draft.check()
    assert check.errors == []
    assert [iv.name for iv in check.scenario.interventions] == ["one_to_ones",
                                                                "one_to_ones_2"]


def test_an_added_intervention_is_called_what_the_list_of_types_called_it(folder):
    """The run, its charts and a saved file name it by its type's plain title, not by the
    default label made from the type name ("Hub closure")."""
    draft = organisers(folder).with_added("hub_closure")
    assert draft.changes() == ["added A hub closes"]
    check = draft.check()
    assert check.scenario.interventions[-1].label == "A hub closes"


def test_a_nested_table_set_from_the_panel_loads(folder):
    draft = organisers(folder).with_added("third_space")
    i = len(draft.items) - 1
    draft = draft.with_table(i, "hub", {"name": "cafe9", "location": "boundary",
                                        "capacity": 12, "open_days": ["mon", "sat"]})
    check = draft.check()
    assert check.errors == [], check.errors
    hub = check.scenario.interventions[-1].hub
    assert (hub.capacity, hub.open_days) == (12, (0, 5))


def test_saved_draft_is_a_scenario_file_run_py_validate_accepts(folder):
    draft = organisers(folder).with_value(0, "organisers", 20).with_setting("p_need", 0.01)
    path = draft.save(folder, "my ward!", name="Twenty organisers",
                      description="Made in a test.")
    assert path == folder / "my_ward.toml"
    text = path.read_text()
    assert 'extends = "one_to_ones.toml"' in text
    saved = load_scenario(path)
    assert saved.name == "Twenty organisers"
    assert saved.interventions[0].organisers == 20 and saved.model.rules.p_need == 0.01
    out = subprocess.run([sys.executable, "run.py", "validate", str(path)], cwd=ROOT,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stdout + out.stderr
    # never over an existing file
    with pytest.raises(FileExistsError) as refused:
        draft.save(folder, "my_ward", name="Again")
    assert str(refused.value) == ("a file called my_ward.toml is already there; type another "
                                  "file name above (nothing was overwritten)")
    assert load_scenario(path).name == "Twenty organisers"


def test_a_draft_with_errors_is_not_saved(folder):
    draft = organisers(folder).with_value(0, "organisers", -3)
    with pytest.raises(ValueError, match="would not load"):
        draft.save(folder, "broken", name="Broken")
    assert not (folder / "broken.toml").exists()


def test_a_file_name_is_made_safe_or_asked_for():
    # in lower case, like the shipped files and an area's (a user check: a saved option
    # was "Riverside_ward_community_cafe_on_the_boundary.toml" beside "third_space.toml")
    assert safe_stem(" My ward: v2 ") == "my_ward_v2"
    assert safe_stem("Café") == "cafe"  # was "Caf": the letter went with its accent
    assert safe_stem("Ynys Môn: Zoë") == "ynys_mon_zoe"
    assert safe_stem("Straße") == "strasse"
    # a name typed with its ending has it taken off (a user check: "x.toml" became
    # x_toml.toml), only at the end
    assert safe_stem("Ward plan.TOML ") == "ward_plan"
    assert safe_stem("toml.notes") == "toml_notes"
    with pytest.raises(ValueError):
        safe_stem(".toml")
    with pytest.raises(ValueError):
        safe_stem("???")


def test_the_hint_beside_a_day_names_the_month_a_file_would_give():
    # the months a file counts (start_month, end_month) are months from the start, to the
    # day: the hint names the same month for the day it becomes
    from sim.app.fields import days_as_months
    from sim.scenario.intervention_checks import days_from_months

    for month in (1, 3, 12, 15, 24):
        assert days_as_months(days_from_months(month)) == f"about month {month}"
    assert days_as_months(1) == "about month 1"
    assert days_as_months(0) == days_as_months("x") == ""


def test_a_start_after_the_run_says_what_to_do_on_the_page(folder):
    """A user typed start day 900 in a run of 730 days and was told to "set run.days to 900
    or more", which the page does not offer: the page says where the run ends and to move
    the start day before it. Still an error, at the same field."""
    check = organisers(folder).with_value(0, "start_day", 900).check()
    [message] = check.for_key("interventions[0].start_day")
    assert "run.days" not in message
    assert message.endswith("would never act: move its start day to day 730 or earlier")
    assert "after the run ends (day 730; the scenario file sets the run's length)" in message
    assert [p.key for p in check.errors] == ["interventions[0].start_day"]
    # an end after the run: a warning, in the same words
    [warning] = organisers(folder).with_value(0, "end_day", 900).check().for_key(
        "interventions[0].end_day")
    assert warning.startswith("warning: ") and "run.days" not in warning


def test_a_start_after_the_run_names_the_programme_as_its_card_does(folder):
    """A user check: a new hub starting on day 731 read "'third_space' starts on day 731,
    after the run ends", the type's key in the file, which the page never shows: it is
    named by its card's label, the type's plain name until one is typed."""
    draft = organisers(folder).with_added("third_space").with_value(1, "start_day", 731)
    [message] = draft.check().for_key("interventions[1].start_day")
    assert message.startswith("\u201cA new hub or third space\u201d starts on day 731, after "
                              "the run ends (day 730;"), message
    assert "third_space" not in message
    named = draft.with_value(1, "label", "Station cafe").with_value(1, "name", "cafe_x")
    [message] = named.check().for_key("interventions[1].start_day")
    assert message.startswith("\u201cStation cafe\u201d starts on day 731"), message


def test_an_end_day_out_of_its_range_is_one_error_on_the_page(folder):
    """The page says what the loader says: end day 99999 is out of range, and no warning
    beside it that it will run until the end (a user check found both)."""
    check = organisers(folder).with_value(0, "end_day", 99999).check()
    assert check.for_key("interventions[0].end_day") == [
        "99999 is out of range: must be between 1 and 36,500 (day)"]
    assert [p.key for p in check.errors] == ["interventions[0].end_day"]


def test_a_bad_item_of_a_list_is_said_at_the_field_that_holds_it():
    """The loader says an unknown commitment at its own key (interventions[0].commitments[1],
    it named the whole intervention: "cannot be built: ..."); the panel shows it at the
    field, and nothing is left for the card."""
    from sim.app.fields import field_specs
    from sim.interventions import INTERVENTIONS

    names = [s.name for s in field_specs(INTERVENTIONS["one_to_ones"])]
    draft = Draft.of(load_scenario(ROOT / "scenarios" / "one_to_ones.toml"))
    bad = draft.with_value(0, "commitments", ["join", "visitt"])
    check = bad.check()
    assert check.placed("interventions[0]", bad.items[0].table, names) == ({}, [])
    [message] = check.for_key("interventions[0].commitments")
    # the field says what is wrong, without the loader's "cannot be built:" (a user check)
    assert message.startswith("unknown commitment 'visitt'; did you mean 'visit'? (allowed: "), \
        message
    assert draft.check().placed("interventions[0]", draft.items[0].table, names) == ({}, [])


def test_a_saved_setup_writes_its_name_as_typed(tmp_path):
    """A user check: "Save this setup" wrote name = "Caf\\u00e9 \\u2615 test". Text is
    written as UTF-8, as typed, and loads back to the same name."""
    shutil.copy(ROOT / "scenarios" / "baseline.toml", tmp_path / "baseline.toml")
    draft = Draft.of(load_scenario(tmp_path / "baseline.toml"))
    name = "Café ☕ test \"quoted\""
    path = draft.save(tmp_path, "cafe", name=name, description="Près de la gare")
    text = path.read_text(encoding="utf-8")
    assert 'name = "Café ☕ test \\"quoted\\""' in text, text
    assert 'description = "Près de la gare"' in text and "\\u" not in text, text
    assert load_scenario(path).name == name
    # what TOML does not allow raw (DEL, a tab, a line break) is still escaped
    import tomllib

    from sim.scenario.reference import toml_value

    for odd in ("a\x7fb", "a\tb\nc", "\\ \"", "é\u2028"):
        assert tomllib.loads(f"v = {toml_value(odd)}")["v"] == odd


def test_a_setup_saved_unchanged_beside_an_areas_option_keeps_the_comparison_working(tmp_path):
    """A user check: an area's option (third_space.toml), saved unchanged with no name
    given, was written under the option's own name, and ``run.py compare`` of the area's
    files then refused the pair. The default is "<name> (copy)", then "(copy 2)"; the three
    files load together; the file name is in lower case like the area's."""
    from sim.area import write_area

    _, option = write_area("Riverside ward", tmp_path / "areas", residents=1500,
                           sections=[("long_standing", 0.6), ("newcomers", 0.4)])
    area = option.parent
    draft = Draft.of(load_scenario(option))
    taken = names_in_use(area)
    name = draft.save_name(taken)
    assert name == "Riverside ward: community cafe on the boundary (copy)"
    path = draft.save(area, name, name=name)
    assert path.name == "riverside_ward_community_cafe_on_the_boundary_copy.toml"
    files = [area / "baseline.toml", option, path]
    assert [p for p in validate_files(files) if p.is_error] == []
    assert load_scenario(path).name == name
    # saved again: another name, which the four files also take
    again = draft.save_name(names_in_use(area))
    assert again == "Riverside ward: community cafe on the boundary (copy 2)"
    second = draft.save(area, again, name=again)
    assert [p for p in validate_files([*files, second]) if p.is_error] == []
    # changed: the header, numbered when a file has it
    changed = draft.with_setting("p_need", 0.01)
    assert changed.save_name(names_in_use(area)) == (
        "Riverside ward: community cafe on the boundary + 1 change")
    changed.save(area, "later", name="Riverside ward: community cafe on the boundary + 1 change")
    assert changed.save_name(names_in_use(area)) == (
        "Riverside ward: community cafe on the boundary + 1 change (2)")


def test_a_name_another_scenario_has_is_refused(tmp_path):
    """A typed name that a file beside it, or a shipped file, has (or one whose runs would
    share its folder) is refused, saying which file has it; nothing is written."""
    from sim.area import write_area

    _, option = write_area("Riverside ward", tmp_path / "areas", residents=1500,
                           sections=[("long_standing", 0.6), ("newcomers", 0.4)])
    area = option.parent
    draft = Draft.of(load_scenario(option)).with_value(0, "start_day", 30)
    taken = names_in_use(area)
    own = load_scenario(option).name
    assert name_clash(own, taken) == (f"'{own}' is already the name of third_space.toml; "
                                      "each scenario needs its own name, so that they can "
                                      "be compared")
    shipped = load_scenario(ROOT / "scenarios" / "baseline.toml").name
    assert "the shipped baseline.toml" in name_clash(shipped, taken)
    assert "their runs would share a folder" in name_clash(own.upper() + "!", taken)
    assert name_clash("Riverside ward: a later start", taken) == ""
    for name in (own, shipped):
        with pytest.raises(ValueError, match="needs its own name"):
            draft.save(area, "mine", name=name)
    assert not (area / "mine.toml").exists()


def test_two_interventions_with_one_name_are_told_at_both_name_fields_in_the_pages_words(
        folder):
    """A user check renamed the cafe 'bridge_figures' (a name Bridge figures has by its
    type): the message showed only on the untouched Bridge figures card, naming
    'interventions[0].name'. It shows at the Name field of both, naming the other card, and
    counts once."""
    draft = Draft.of(load_scenario(folder / "baseline.toml")).with_added(
        "third_space").with_added("bridge_figures").with_value(0, "name", "bridge_figures")
    check = draft.check()
    assert len(check.errors) == 1
    [edited] = check.for_key("interventions[0].name")
    [other] = check.for_key("interventions[1].name")
    assert edited.startswith("two interventions are called 'bridge_figures' (also "
                             "\u201cBridge figures\u201d)"), edited
    assert other.startswith("two interventions are called 'bridge_figures' (also "
                            "\u201cA new hub or third space\u201d)"), other
    assert "interventions[" not in edited + other and 'name = "..."' not in edited


def test_a_default_hubs_clash_is_told_at_its_hub_not_at_the_interventions_name(folder):
    """A user check added two new hubs: 'duplicate hub name 'community_space' (also
    interventions[3])' showed under the second's Name (third_space_2), the hub itself hidden
    behind the unticked "Hub: set one"; emptying a hub's name said 'every HubSpec table
    needs 'name''."""
    # a second one added on the page has a hub of its own (the test below); a file may
    # still hold two with the default hub
    draft = Draft.of(load_scenario(folder / "baseline.toml"))
    draft = dataclasses.replace(draft, items=(*draft.items, Item(
        {"type": "third_space", "label": "A new hub or third space"}), Item(
        {"type": "third_space", "name": "third_space_2"})))
    check = draft.check()
    assert check.for_key("interventions[1].name") == []
    [said] = check.for_key("interventions[1].hub")
    assert said == ("its hub, not set here, is called 'community_space' (as is the hub of "
                    "\u201cA new hub or third space\u201d); tick \"Open a new hub\" and give it "
                    "a name of its own"), said
    unnamed = draft.with_table(1, "hub", {"location": "boundary"}).check()
    assert unnamed.for_key("interventions[1].hub.name") == ["missing: required"]


def test_a_second_new_hub_added_gets_a_hub_name_that_is_free(folder):
    """A user check added two new hubs: the second opened the first's default hub
    ('community_space') and the page showed a clash the user had not made. It opens
    'community_space_2' (its table set, so its fields show the name), the third
    'community_space_3'; nothing clashes, and one added where a file's hub has the default
    name gets a number too."""
    draft = Draft.of(load_scenario(folder / "baseline.toml"))
    draft = draft.with_added("third_space").with_added("third_space").with_added(
        "third_space")
    # the first opens the default hub, shown in its card (a user check found "Hub: set one"
    # unticked and the hub to open nowhere on the page)
    assert draft.items[0].table["hub"] == {
        "name": "community_space", "kind": "community cafe", "location": "boundary",
        "capacity": 30, "open_days": ["mon", "wed", "fri", "sat"], "palatability": 0.6,
        "capacity_per_1000": True}
    assert [it.table["hub"]["name"] for it in draft.items[1:]] == [
        "community_space_2", "community_space_3"]
    check = draft.check()
    assert check.problems == (), check.problems
    assert [iv.hub.name for iv in check.scenario.interventions] == [
        "community_space", "community_space_2", "community_space_3"]
    second = check.scenario.interventions[1].hub  # the default hub, but for its name
    assert (second.kind, second.location, second.capacity) == ("community cafe", "boundary",
                                                               30)
    assert draft.changes() == ["added A new hub or third space",
                               "added A new hub or third space (2)",
                               "added A new hub or third space (3)"]
    (folder / "cafe.toml").write_text(
        'name = "Has a community space"\nextends = "baseline.toml"\n\n[[hubs]]\n'
        'name = "community_space"\nlocation = "boundary"\n')
    alone = Draft.of(load_scenario(folder / "cafe.toml")).with_added("third_space")
    assert alone.items[-1].table["hub"]["name"] == "community_space_2"
    assert alone.check().problems == ()


def test_a_seed_typed_is_a_change_that_discard_undoes_and_save_writes(folder):
    """A user check: a seed typed on the live page counted as a change waiting, yet
    "Discard changes" kept it and a saved file did not hold it. The seed is the file's
    [run] seed: a change like any other, undone by reset, written to [run] by save."""
    draft = organisers(folder)
    assert draft.with_seed(draft.base_seed).changes() == []  # the file's own: no change
    seeded = draft.with_seed(42)
    assert seeded.changes() == ["seed 20261124 \u2192 42"]
    assert seeded.header() == "Community organising 1:1s + 1 change"
    assert seeded.check().scenario.run.seed == 42
    assert seeded.reset().changes() == [] and seeded.reset().run_seed == 20261124
    path = seeded.save(folder, "seeded", name="Seeded")
    assert "[run]\nseed = 42\n" in path.read_text()
    saved = load_scenario(path)
    assert saved.run.seed == 42 and saved.run.days == 730  # the rest of [run] extended
    assert Draft.of(saved).base_seed == 42 and Draft.of(saved).changes() == []


def test_the_problems_to_fix_are_the_errors_and_the_seed_and_no_warning(folder):
    """One list (sim.app.design.to_fix) for the count above "Apply and restart" and for the
    button: every error once, the seed typed when it is not a seed (a user check: a bad
    seed was red, blocked Apply and was not counted), no warning (a warning is not red:
    split_warnings)."""
    from sim.app.design import to_fix
    from sim.app.draft import split_warnings

    draft = organisers(folder).with_value(0, "organisers", -5).with_value(0, "end_day", 900)
    check = draft.check()
    assert to_fix(check, "") == [
        "-5 is out of range: must be between 0 and 1,000 (organisers per 1,000 residents)"]
    assert to_fix(check, "seed -3 is out of range") == [
        "-5 is out of range: must be between 0 and 1,000 (organisers per 1,000 residents)",
        "seed -3 is out of range"]
    assert to_fix(organisers(folder).check(), "") == []
    assert to_fix(None, "not a whole number") == ["not a whole number"]
    errors, warnings = split_warnings(check.for_key("interventions[0]"))
    assert len(errors) == 1 and errors[0].startswith("-5 is out of range")
    assert len(warnings) == 1 and warnings[0].startswith("warning: ends on day 900")
    # every error is shown at a place of the panel, or in the list above it
    assert check.general(["interventions[0]"]) == []
