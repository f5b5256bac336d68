"""Files that extend others (sim/scenario/merging.py): tables merge key by key, the child
winning; lists are replaced whole; name and description are not inherited; chains follow
paths relative to each file; a problem is reported against the file that wrote it."""

from __future__ import annotations

from sim.params import default_profiles
from sim.scenario import RunSettings, load_scenario, validate_files
from tests.test_scenario_loader import write
from tests.test_scenario_validation import BROKEN, TEST_REGISTRY, problems_of, shown


def test_extends_merges_tables_key_by_key_and_replaces_lists(tmp_path):
    write(tmp_path, "parent.toml", """
name = "Parent"
description = "Not inherited."
[run]
days = 100
seed = 5
[rules]
p_need = 0.02
chats_per_day = 0.1
[[hubs]]
name = "a"
[[hubs]]
name = "b"
[orientations.rescuer]
help_propensity = 0.7
""")
    write(tmp_path, "child.toml", """
name = "Child"
extends = "parent.toml"
[run]
days = 50
[rules]
p_need = 0.03
[[hubs]]
name = "c"
open_days = ["sat", "Sunday"]
[orientations.rescuer]
ask_multiplier = 0.2
""")
    (sub := tmp_path / "more").mkdir()
    write(sub, "grandchild.toml", 'name = "Grandchild"\nextends = "../child.toml"\n'
          "[network]\nties_per_resident = 5\n")
    child = load_scenario(tmp_path / "child.toml")
    assert child.name == "Child" and child.description == ""
    assert child.run == RunSettings(days=50, seed=5)
    assert child.model.rules.p_need == 0.03 and child.model.rules.chats_per_day == 0.1
    assert [h.name for h in child.model.hubs] == ["c"]
    assert child.model.hubs[0].open_days == (5, 6)
    rescuer = child.model.orientations["rescuer"]
    assert rescuer.ask_multiplier == 0.2 and rescuer.help_propensity == 0.7
    assert rescuer.self_reliance == default_profiles()["rescuer"].self_reliance
    assert child.model.orientations["activist"] == default_profiles()["activist"]
    assert child.definition["rules"] == {"p_need": 0.03, "chats_per_day": 0.1}
    assert "extends" not in child.definition and child.definition["name"] == "Child"
    assert child.files == (str(tmp_path / "child.toml"), str(tmp_path / "parent.toml"))

    grandchild = load_scenario(sub / "grandchild.toml")
    assert grandchild.run.days == 50 and grandchild.model.rules.p_need == 0.03
    ties = grandchild.model.network.ties_per_resident
    assert ties == 5.0 and isinstance(ties, float)  # a whole number is fine for a number
    assert len(grandchild.files) == 3


def test_problem_in_an_extended_file_names_both_files():
    [problem] = problems_of("inherits_broken.toml")
    assert problem.file == shown("_broken_parent.toml")
    assert problem.via == shown("inherits_broken.toml")
    assert str(problem).endswith(f"(while loading {shown('inherits_broken.toml')}, which extends "
                                 f"{shown('_broken_parent.toml')})")


def test_parent_problem_reported_once_when_both_files_are_checked():
    problems = validate_files([BROKEN / "inherits_broken.toml", BROKEN / "_broken_parent.toml"],
                              registry=TEST_REGISTRY)
    assert [(p.file, p.key, p.via) for p in problems] == [
        (shown("_broken_parent.toml"), "network.share_bridging", None)]


def test_a_missing_parent_file_suggests_only_a_name_close_without_toml(tmp_path):
    # every name ends ".toml": compared with it, "nothere.toml" was taken for "huge.toml"
    write(tmp_path, "baseline.toml", 'name = "Baseline"\n')
    write(tmp_path, "huge.toml", 'extends = "baseline.toml"\nname = "Huge"\n')
    typo = write(tmp_path, "typo.toml", 'extends = "baselin.toml"\nname = "Typo"\n')
    gone = write(tmp_path, "gone.toml", 'extends = "nothere.toml"\nname = "Gone"\n')
    # a user check: "nope.toml" was taken for "infpop.toml" (three letters of six in common)
    write(tmp_path, "infpop.toml", 'extends = "baseline.toml"\nname = "Infpop"\n')
    nope = write(tmp_path, "q.toml", 'extends = "nope.toml"\nname = "Q"\n')
    swapped = write(tmp_path, "swapped.toml", 'extends = "basleine.toml"\nname = "S"\n')
    (typo_problem,) = validate_files([typo])
    assert "file not found" in typo_problem.message
    assert "did you mean 'baseline.toml'?" in typo_problem.message
    (gone_problem,) = validate_files([gone])
    assert "file not found" in gone_problem.message
    assert "did you mean" not in gone_problem.message
    (nope_problem,) = validate_files([nope])
    assert "did you mean 'infpop.toml'" not in nope_problem.message
    (swapped_problem,) = validate_files([swapped])
    assert "did you mean 'baseline.toml'?" in swapped_problem.message


def test_an_unknown_interventions_key_lists_and_suggests_the_month_keys(tmp_path):
    # start_month and end_month are read apart from the type's fields: they were missing
    # from the allowed list, and "start_mont" had no suggestion
    write(tmp_path, "baseline.toml", 'name = "Baseline"\n')
    path = write(tmp_path, "x.toml", 'extends = "baseline.toml"\nname = "X"\n'
                 '[[interventions]]\ntype = "bridge_figures"\ncoverge = 3\n'
                 '[[interventions]]\ntype = "bridge_figures"\nname = "b2"\nstart_mont = 3\n')
    first, second = validate_files([path])
    assert "unknown key; allowed:" in first.message
    assert "start_month, end_month" in first.message
    assert second.message == "unknown key; did you mean 'start_month'?"
