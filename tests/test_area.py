"""An area of one's own: ``run.py new-area NAME`` writes an area baseline and an option that
extends it; windows may be given in months; an ``extends`` that is not found says where the
shipped scenarios are."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from sim import cli
from sim.area import parse_sections, shipped_path
from sim.commands.shared import PROG, run_py
from sim.report.community import community_differences
from sim.scenario import load_scenario, load_scenarios, validate_files
from sim.scenario.intervention_checks import days_from_months
from sim.scenario.merging import SHIPPED_SCENARIOS

REPO = Path(__file__).resolve().parents[1]


def _main(argv, capsys):
    code = cli.main([str(a) for a in argv])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_new_area_writes_a_baseline_and_an_option_on_the_same_community(tmp_path, capsys):
    code, out, err = _main(["new-area", "Riverside ward", "--residents", "3000", "--sections",
                            "long_standing=0.6,newcomers=0.4", "--dir", tmp_path], capsys)
    assert code == 0, err
    folder = tmp_path / "riverside_ward"
    base_path, option_path = folder / "baseline.toml", folder / "third_space.toml"
    assert f"wrote {base_path}" in out and f"wrote {option_path}" in out
    assert f"{run_py()} compare {base_path}" in out
    # where users make their own area, the kinds of place the model failed validation for
    # (docs/VALIDATION.md, section 4) are named, in the printout and in the recipe
    assert "the model got wrong which way a deprived estate differs from an average place in " \
        "trust and loneliness, and a student-heavy ward in trust" in out
    recipe = " ".join((REPO / "docs" / "SCENARIOS.md").read_text().split())
    assert "the model got wrong which way a deprived estate differs from an average place in " \
        "trust and loneliness, and a student-heavy ward in trust" in recipe
    assert validate_files([base_path, option_path]) == []
    base, option = load_scenarios([str(base_path), str(option_path)])
    assert base.name == "Riverside ward as it is"
    assert base.model.population.n_residents == 3000
    assert [(s.name, s.share) for s in base.model.population.sections] == [
        ("long_standing", 0.6), ("newcomers", 0.4)]
    # the calibrated rules come from the shipped baseline it extends
    shipped = load_scenario(SHIPPED_SCENARIOS / "baseline.toml")
    assert base.model.rules == shipped.model.rules
    assert base.model.orientations == shipped.model.orientations
    # the option adds an intervention and nothing else: the same community
    assert community_differences(base, option) == []
    # from month 3 to the end of the run: a two-year run's verdicts average its last quarter
    # (a user check: the option ended on day 457 and was judged only after it had stopped)
    (iv,) = option.interventions
    assert (iv.type_name, iv.start_day, iv.end_day) == (
        "third_space", days_from_months(3), None) == ("third_space", 91, None)
    # its comment says how to give it an end, in words that validate when uncommented
    text = option_path.read_text()
    assert "# it runs to the end of the run. To stop it earlier, add end_month = 15 (or " \
        "end_day = 457):" in text
    option_path.write_text(text.replace("start_month = 3\n", "start_month = 3\nend_month = 15\n"))
    (iv,) = load_scenarios([str(base_path), str(option_path)])[1].interventions
    assert (iv.start_day, iv.end_day) == (91, 457)
    # the files are meant to be edited: every community key is written out, with comments
    text = base_path.read_text()
    data = tomllib.loads(text)
    assert {"population", "network", "hubs", "run"} <= set(data)
    assert "# mean number of neighbourhood ties per resident" in text


def test_an_area_baseline_and_its_option_compare_without_complaint(tmp_path, capsys):
    _main(["new-area", "Small ward", "--residents", "150", "--dir", tmp_path], capsys)
    folder = tmp_path / "small_ward"
    code, stdout, err = _main(["compare", folder / "baseline.toml", folder / "third_space.toml",
                               "--replicates", "2", "--days", "100", "--workers", "1",
                               "--out", tmp_path / "results"], capsys)
    assert code == 0, err
    page = Path(stdout.strip().splitlines()[-1]).read_text()
    assert "not the same community" not in page
    assert "Community cafe on the boundary" in page


def test_new_area_never_overwrites_and_checks_its_options(tmp_path, capsys):
    assert _main(["new-area", "Ward", "--dir", tmp_path], capsys)[0] == 0
    before = (tmp_path / "ward" / "baseline.toml").read_text()
    code, out, _ = _main(["new-area", "Ward", "--residents", "99", "--dir", tmp_path], capsys)
    assert code == 2 and "already exists; nothing was written" in out
    assert (tmp_path / "ward" / "baseline.toml").read_text() == before
    code, out, _ = _main(["new-area", "Other", "--sections", "a=0.5,b=0.6", "--option",
                          "thrid_space", "--dir", tmp_path], capsys)
    assert code == 2
    assert "--sections: shares sum to 1.10, must sum to 1" in out
    assert "--option: unknown intervention type 'thrid_space'; did you mean 'third_space'? " \
        "(allowed: bridge_figures, " in out
    assert not (tmp_path / "other").exists()


@pytest.mark.parametrize("text, message", [
    ("a", "should be NAME=SHARE"), ("boundary=1", "not a usable section name"),
    ("a=x", "not a number"), ("a=0.5,a=0.5", "named twice"), ("a=0", "above 0"),
    (",".join(f"s{k}={1 / 101}" for k in range(101)), "101 sections; at most 100")])
def test_bad_sections_say_what_is_wrong(text, message):
    with pytest.raises(ValueError, match=message):
        parse_sections(text)


def test_windows_in_months_become_days_and_bad_ones_are_named(tmp_path):
    (tmp_path / "baseline.toml").write_text('name = "Baseline"\n')
    good = tmp_path / "good.toml"
    good.write_text('extends = "baseline.toml"\nname = "Good"\n[[interventions]]\n'
                    'type = "shared_myth"\nstart_month = 1.5\nend_month = 12\n')
    (iv,) = load_scenario(good).interventions
    assert (iv.start_day, iv.end_day) == (46, 365)
    bad = tmp_path / "bad.toml"
    bad.write_text('extends = "baseline.toml"\nname = "Bad"\n[[interventions]]\n'
                   'type = "shared_myth"\nstart_month = 2\nstart_day = 10\nend_month = "x"\n'
                   '[[interventions]]\ntype = "shared_myth"\nname = "second"\n'
                   'start_month = -1\n[[interventions]]\ntype = "shared_myth"\n'
                   'name = "third"\nstart_month = 30\n')
    messages = [str(p) for p in validate_files([bad])]
    assert f"{bad}: interventions[0].start_month: give start_day or start_month, not both" \
        in messages
    assert f"{bad}: interventions[0].end_month: expected a number of months, got 'x'" \
        in messages
    assert any(m.startswith(f"{bad}: interventions[1].start_month: -1 would be before the "
                            "run starts: months count from the run's start") for m in messages)
    # month 30 is day 913, after a 730-day run: the window check names it as the file did
    assert any("interventions[2].start_month: 'third' starts in month 30 (day 913), after "
               "the run ends" in m for m in messages)


def test_a_window_given_in_months_is_refused_in_months(tmp_path, capsys):
    """A start or end given as start_month / end_month is named so in the refusal, with the
    month and the day it becomes, and the fix says what to write (QA: a start_month after
    the run's end was reported as start_day)."""
    base = REPO / "scenarios" / "baseline.toml"
    mine = tmp_path / "year.toml"
    text = (REPO / "scenarios" / "common_cause_one_year.toml").read_text()
    text = text.replace('extends = "baseline.toml"', f'extends = "{base.as_posix()}"')
    mine.write_text(text.replace("start_month = 3", "start_month = 5"))
    out = tmp_path / "out"
    code, _, err = _main(["compare", base, mine, "--days", "30", "--replicates", "1",
                          "--out", out], capsys)
    assert code == 2 and not out.exists()
    assert f"{mine}: interventions[0].start_month: 'common_cause' starts in month 5 (day " \
        "152), after the run ends (--days 30), so it would never act: give --days 152 or " \
        "more, or set its start_month to 1 or less (day 30)" in err.splitlines()
    assert f"{mine}: interventions[0].end_month: warning: ends in month 15 (day 457), after " \
        "the run ends (--days 30); it will run until the end" in err.splitlines()
    assert "start_day" not in err and "end_day" not in err
    # a start after the end, and a month that is no day of a run, are named in months too
    mine.write_text(text.replace("start_month = 3", "start_month = 16"))
    messages = [str(p) for p in validate_files([mine])]
    assert f"{mine}: interventions[0].start_month: starts in month 16 (day 487), after it " \
        "ends (end_month = 15, day 457); start_month must be on or before end_month" \
        in messages
    mine.write_text(text.replace("start_month = 3", "start_month = 0"))
    assert [str(p) for p in validate_files([mine])] == [
        f"{mine}: interventions[0].start_month: 0 would be before the run starts: months "
        "count from the run's start (1 is the end of the first month, day 30; 0.5 is day 15); "
        "to start on the first day, leave start_month out (or write start_day = 1)"]


def test_an_extends_that_is_not_found_says_where_the_shipped_scenarios_are(tmp_path):
    mine = tmp_path / "mine.toml"
    mine.write_text('extends = "baseline.toml"\nname = "Mine"\n')
    (problem,) = validate_files([mine])
    text = str(problem)
    assert text.startswith(f"{mine}: extends: file not found:")
    assert f"the shipped scenarios are in {SHIPPED_SCENARIOS}" in text
    # the path it suggests works from where the file is
    suggested = text.split('extends = "')[1].split('"')[0]
    assert (tmp_path / suggested).resolve() == (SHIPPED_SCENARIOS / "baseline.toml").resolve()
    mine.write_text(f'extends = "{suggested}"\nname = "Mine"\n')
    assert validate_files([mine]) == []


def test_an_areas_folder_keeps_its_letters_without_their_accents():
    from sim.area import slug

    assert slug("Ynys Môn") == "ynys_mon"  # was "ynys_m_n": accented letters were dropped
    assert slug("Ünïcode Town") == "unicode_town"
    assert slug("Ward 7 (north)") == "ward_7_north"
    assert slug("Αθήνα") == "αθήνα"  # no Latin letters: its own
    # Latin letters with no accent to take off are spelled out (a user check: "Straße" made
    # the folder "stra_e")
    assert [slug(n) for n in ("Straße", "Łódź", "Færøy", "Œuvre", "Þórshöfn", "Đakovo")] == [
        "strasse", "lodz", "faeroy", "oeuvre", "thorshofn", "dakovo"]
    assert slug(" ?! ") == ""  # refused: nothing to name a folder by


def test_an_area_outside_the_project_names_the_shipped_baseline_so_it_can_move(tmp_path,
                                                                              capsys):
    code, _, err = _main(["new-area", "Far ward", "--dir", tmp_path / "mine"], capsys)
    assert code == 0, err
    data = tomllib.loads((tmp_path / "mine" / "far_ward" / "baseline.toml").read_text())
    assert data["extends"] == (SHIPPED_SCENARIOS / "baseline.toml").resolve().as_posix()
    moved = tmp_path / "elsewhere" / "deeper"
    moved.parent.mkdir()
    (tmp_path / "mine" / "far_ward").rename(moved)
    assert validate_files(sorted(moved.glob("*.toml"))) == []
    # inside the project the link is relative, so that a clone elsewhere keeps working
    inside = SHIPPED_SCENARIOS / "areas" / "x"
    assert shipped_path(inside) == "../../baseline.toml"


def test_the_next_steps_name_the_python_that_ran_new_area(tmp_path, capsys, monkeypatch):
    """A user check: after ``make run`` the next steps said 'python run.py validate ...',
    which is not the project's Python (.venv/bin/python, not on PATH): the step failed with
    'No module named numpy'. They name the Python running new-area, as resume hints do."""
    import sys

    from sim.commands import shared

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "executable", str(tmp_path / ".venv" / "bin" / "python"))
    monkeypatch.setattr(sys, "argv", ["run.py"])
    monkeypatch.setattr(shared.shutil, "which", lambda name: "/usr/bin/python")
    code, out, err = _main(["new-area", "Riverside ward", "--dir", "areas"], capsys)
    assert code == 0, out + err
    steps = [line.strip() for line in out.splitlines() if "run.py" in line]
    assert [s.split(" run.py ")[0] for s in steps] == [".venv/bin/python"] * 2, steps
    assert steps[0] == ".venv/bin/python run.py validate areas/riverside_ward/*.toml"


def test_the_next_steps_can_be_pasted_when_the_folder_has_a_space(tmp_path, capsys):
    """A user check: with --dir "my areas" the printed 'python run.py validate ...' split the
    path at the space ('.../my: file not found')."""
    import shlex

    code, out, err = _main(["new-area", "Riverside ward", "--dir", tmp_path / "my areas"],
                           capsys)
    assert code == 0, err
    folder = tmp_path / "my areas" / "riverside_ward"
    validate = next(line for line in out.splitlines() if "run.py validate" in line)
    words = shlex.split(validate)
    assert words[:3] == [*shlex.split(run_py()), "validate"]
    assert words[3] == f"{folder}/*.toml"  # one word: the shell still expands the glob
    compare = next(line for line in out.splitlines() if "run.py compare" in line)
    assert shlex.split(compare)[3] == str(folder / "baseline.toml")


def test_a_dir_that_cannot_hold_the_area_is_bad_input_worded_as_compares_out(tmp_path, capsys,
                                                                              monkeypatch):
    """A user check: --dir naming a file, a folder under /proc or a read-only folder ended in
    'error: FileExistsError ... (unexpected: ... please report it)', exit 1. It is bad input
    (exit 2), said as compare says it of --out, and nothing is left behind."""
    import errno

    from sim.report import outputs

    afile = tmp_path / "afile"
    afile.write_text("")
    code, out, _ = _main(["new-area", "Q", "--dir", afile], capsys)
    assert (code, out.strip()) == (2, f"{PROG} new-area: --dir {afile}: is a file, not a folder; "
                                      "choose another folder with --dir")
    code, out, _ = _main(["new-area", "Q", "--dir", afile / "sub"], capsys)
    assert (code, out.strip()) == (2, f"{PROG} new-area: --dir {afile / 'sub'}: {afile} is a "
                                      "file, so no folder can be made there; choose another "
                                      "folder with --dir")

    def refused(self, *args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied", str(self))

    with monkeypatch.context() as m:  # a read-only folder (the tests may run as root)
        m.setattr(Path, "mkdir", refused)
        code, out, _ = _main(["new-area", "Q", "--dir", tmp_path / "ro"], capsys)
    assert (code, out.strip()) == (2, f"{PROG} new-area: --dir {tmp_path / 'ro'}: cannot make "
                                      "a folder there (Permission denied); nothing was "
                                      "written: choose another folder with --dir")
    written = []

    def second_fails(path, text):  # the folder is made, then a file cannot be written
        if written:
            raise OSError(errno.EROFS, "Read-only file system", str(path))
        written.append(Path(path))
        Path(path).write_text(text)
        return Path(path)

    monkeypatch.setattr(outputs, "write_text_atomic", second_fails)
    code, out, _ = _main(["new-area", "Q", "--dir", tmp_path / "areas"], capsys)
    assert code == 2 and "cannot make a folder there (Read-only file system)" in out
    assert written and not (tmp_path / "areas" / "q").exists()  # no half-made area


def test_a_name_given_as_a_path_is_named_as_its_folder(tmp_path, capsys):
    """A user check: new-area "../../etc" wrote the folder areas/etc safely, but named the
    scenarios "../../etc as it is" and "../../etc: community cafe ..."."""
    from sim.area import area_name

    assert area_name("../../etc") == "etc"
    assert area_name(" Riverside ward ") == "Riverside ward"
    assert area_name("..\\..\\ward 7") == "ward 7"
    code, out, _ = _main(["new-area", "../../etc", "--dir", tmp_path], capsys)
    assert code == 0, out
    assert "the area is called 'etc' in its files" in out
    names = {p.name: load_scenario(p).name for p in (tmp_path / "etc").glob("*.toml")}
    assert names == {"baseline.toml": "etc as it is",
                     "third_space.toml": "etc: community cafe on the boundary"}, names
    assert not any("../../etc" in (tmp_path / "etc" / f).read_text() for f in names)
    code, out, _ = _main(["new-area", "../..", "--dir", tmp_path], capsys)
    assert code == 2 and "NAME: give the area a name" in out


def test_a_name_too_long_for_a_folder_is_bad_input_naming_the_limit(tmp_path, capsys):
    """A user check: a 300-character name ended in 'error: OSError: [Errno 36] File name too
    long ... (unexpected: ... please report it)', exit 1 (with --dir an existing folder; a new
    one blamed --dir). It is bad input (exit 2) naming NAME and its limit, which is what the
    area's scenario names leave room for; a name at the limit makes files that validate."""
    from sim.area import MAX_NAME_CHARS
    from sim.scenario.schema import MAX_SCENARIO_NAME_CHARS

    code, out, _ = _main(["new-area", "x" * 300, "--dir", tmp_path], capsys)
    assert code == 2, out
    assert out.strip() == (
        f"{PROG} new-area: NAME: is 300 characters long; an area's name may have at most "
        f"{MAX_NAME_CHARS} (it begins the names of the area's scenarios, \"<name>: community "
        f"cafe on the boundary\", which may have at most {MAX_SCENARIO_NAME_CHARS}): shorten it")
    assert list(tmp_path.iterdir()) == []
    code, out, _ = _main(["new-area", "y" * (MAX_NAME_CHARS + 1), "--dir", tmp_path], capsys)
    assert code == 2 and f"NAME: is {MAX_NAME_CHARS + 1} characters long" in out
    longest = "y" * MAX_NAME_CHARS
    for option in ("third_space", "palatable_activity"):  # the longest example names
        code, out, _ = _main(["new-area", longest, "--option", option, "--dir",
                              tmp_path / option], capsys)
        assert code == 0, out
        assert validate_files(sorted((tmp_path / option / longest).glob("*.toml"))) == []


def test_a_name_whose_folder_leaves_something_out_says_so(tmp_path, capsys):
    """A user check: new-area "ü☃" silently made the area 'u' (while "../../etc" was
    explained). What the folder name leaves out is said, with why; a name that leaves
    nothing for a folder is refused (it made a folder called 'area')."""
    code, out, _ = _main(["new-area", "ü☃", "--dir", tmp_path], capsys)
    assert code == 0, out
    assert ("the area's folder is called 'u': a folder name keeps only letters, digits, '-' "
            "and '_', so '☃' was left out (the files keep the name as given)") in out
    assert load_scenario(tmp_path / "u" / "baseline.toml").name == "ü☃ as it is"
    code, out, _ = _main(["new-area", "Αθήνα ward", "--dir", tmp_path], capsys)
    assert code == 0, out
    assert ("the area's folder is called 'ward': a name with Latin letters makes a folder "
            "name of Latin letters, digits, '-' and '_' only, so 'Αθήνα' was left out") in out
    for plain in ("Riverside ward", "Ynys Môn", "St. Mary's", "Αθήνα"):  # nothing lost
        code, out, _ = _main(["new-area", plain, "--dir", tmp_path], capsys)
        assert code == 0 and "left out" not in out, out
    code, out, _ = _main(["new-area", "☃ ☃", "--dir", tmp_path], capsys)
    assert code == 2
    assert out.strip() == (f"{PROG} new-area: NAME: '☃ ☃' has no letters or digits to name "
                           "the area's folder by; give it a name with some, e.g. \"Riverside "
                           "ward\"")
    assert not (tmp_path / "area").exists()
    # two names that differ only in what the folder's name leaves out (a user check:
    # "Straße 東京" after "Straße" refused as "strasse: already exists", unexplained)
    assert _main(["new-area", "Straße", "--dir", tmp_path], capsys)[0] == 0
    code, out, _ = _main(["new-area", "Straße 東京", "--dir", tmp_path], capsys)
    assert code == 2 and out.strip().startswith(
        f"{PROG} new-area: {tmp_path / 'strasse'}: already exists (the folder's name leaves "
        "out '東京'); nothing was written"), out


def test_the_area_folder_and_the_pages_saved_file_are_named_by_one_rule():
    """new-area's folder and the live page's saved file name come from one rule
    (sim.scenario.words.file_stem), cut to the same length."""
    from sim.app.draft import safe_stem
    from sim.area import slug
    from sim.scenario.words import MAX_STEM_CHARS

    for name in ("Riverside ward", "Ynys Môn: Zoë", "Straße", "North-East 7", "Αθήνα",
                 "ü☃", "x" * 300):
        assert slug(name) == safe_stem(name)
    assert len(slug("x" * 300)) == MAX_STEM_CHARS


def test_copying_the_option_as_its_comment_and_next_steps_say_gives_a_valid_option(tmp_path,
                                                                                    capsys):
    """A user check: the option file and new-area's "Next:" lines said "Copy this file for
    each option ... change only the [[interventions]]", and doing exactly that was refused
    ("'...' is also the name of ..."): two options need two names. Both now say to change the
    name and description too; a copy made as they say validates beside the original."""
    code, out, _ = _main(["new-area", "Ward", "--dir", tmp_path], capsys)
    assert code == 0
    folder = tmp_path / "ward"
    original = folder / "third_space.toml"
    text = original.read_text()
    assert "in the copy change its name (each option\n# needs a name of its own), its " \
        "description and its [[interventions]]" in text
    assert "copy third_space.toml for each option, and in the copy change its name (each " \
        "option needs its own), its description and its [[interventions]]" in out
    assert "change only" not in text + out
    head, _, _ = text.partition("\n[[interventions]]\n")
    copy = folder / "bridges.toml"
    copy.write_text(head.replace('name = "Ward: ', 'name = "Ward: bridge figures, not ')
                    .replace('description = "', 'description = "Bridge figures, not: ')
                    + '\n[[interventions]]\ntype = "bridge_figures"\nstart_month = 3\n')
    files = [folder / "baseline.toml", original, copy]
    assert validate_files(files) == []
    load_scenarios([str(f) for f in files])
