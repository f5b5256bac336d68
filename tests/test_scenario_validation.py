"""Bad scenario files fail with the message a user needs: the file, the key path, what is
wrong and what is allowed. One broken file per kind of mistake (tests/data/broken/); each
must report exactly the problems listed here and no others, so messages stay specific.

Intervention validation is shown on ``CoverageDrive``, a small intervention-shaped dataclass
declared here with ``param()`` (and its field kinds with ``declare_kinds``) like the real
ones and passed as the registry; the real
classes of ``sim.interventions`` are checked the same way in test_scenario_loader.py.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pytest

from sim.params import HubSpec, param
from sim.scenario import Problem, ScenarioError, load_scenario, load_scenarios, validate_files
from sim.scenario.errors import WARNING
from sim.scenario.kinds import Kind, declare_kinds

BROKEN = Path(__file__).parent / "data" / "broken"


@declare_kinds(name=Kind.IDENTIFIER, session_days=Kind.WEEKDAYS)
@dataclass(frozen=True, kw_only=True)
class CoverageDrive:
    """A test intervention: reach a share of residents, optionally opening a hub."""

    name: str = param("coverage_drive", unit="identifier", doc="unique name")
    start_day: int = param(1, unit="day", lo=1, hi=36_500, doc="first day (day 1 is the first)")
    end_day: int | None = param(None, unit="day", lo=1, hi=36_500, doc="last day")
    target_sections: tuple[str, ...] = param((), unit="section names", refers_to="section",
                                             doc="sections reached; empty = everyone")
    target_orientations: tuple[str, ...] = param(
        (), unit="orientation names", refers_to="orientation", doc="orientations reached")
    hubs: tuple[str, ...] = param((), unit="hub names", refers_to="hub",
                                  doc="hubs used; empty = every hub")
    coverage: float = param(0.2, unit="share of residents", lo=0, hi=1, doc="share reached")
    mode: str = param("random", unit="choice", choices=("random", "betweenness"),
                      doc="how residents are chosen")
    per_section: dict[str, float] = param({}, unit="x", lo=0, hi=5, refers_to="section",
                                          doc="coverage multiplier by section")
    session_days: tuple = param(("tue",), unit="weekdays", doc="days of sessions")
    hub: HubSpec | None = param(None, unit="hub", doc="a hub it opens")

    def hubs_opened(self) -> tuple[str, ...]:
        return (self.hub.name,) if self.hub is not None else ()


TEST_REGISTRY = {"coverage_drive": CoverageDrive}


def problems_of(name: str) -> list[Problem]:
    return validate_files([BROKEN / name], registry=TEST_REGISTRY)


def shown(name: str) -> str:
    return str(BROKEN / name)


# file -> the problems it must report: (key, words the message must contain); the file each
# problem is reported against is the broken file itself unless given as a third item
EXPECTED = {
    "syntax_error.toml": [("line 3, column 8", ["TOML syntax error"])],
    "unknown_key.toml": [("rules.p_ned", ["unknown key", "did you mean 'p_need'?"])],
    "unknown_table.toml": [("netwrok", ["[netwrok] is not a table a scenario file has",
                                        "did you mean [network]?"])],
    "unknown_intervention_type.toml": [
        ("interventions[0].type", ["unknown intervention type 'coverage_drvie'",
                                   "did you mean 'coverage_drive'?", "allowed: coverage_drive"])],
    "unknown_intervention_key.toml": [
        ("interventions[1].coverge", ["unknown key", "did you mean 'coverage'?"])],
    "missing_intervention_type.toml": [
        ("interventions[0].type", ["missing", "needs a type", "allowed: coverage_drive"])],
    "wrong_type.toml": [("run.replicates", ["expected a whole number, got 'ten'"])],
    "bool_not_int.toml": [("run.days", ["expected a whole number, got true"])],
    "float_not_int.toml": [("population.n_residents", ["expected a whole number, got 1000.5"])],
    "not_finite.toml": [("rules.p_need", ["expected a finite number, got nan"])],
    "out_of_range.toml": [("network.share_bridging",
                           ["1.5 is out of range", "between 0 and 1", "(share of ties)"])],
    "shares_not_one.toml": [("population.sections", ["shares sum to 1.10, must sum to 1"])],
    "no_sections.toml": [("population.sections", ["no sections", "at least one"])],
    "missing_share.toml": [("population.sections[0].share", ["missing", "'share'"])],
    "orientation_mix_sum.toml": [("population.sections[0].orientations",
                                  ["shares sum to 0.70, must sum to 1"])],
    "orientation_mix_unknown.toml": [
        ("population.sections[0].orientations.activst",
         ["unknown orientation 'activst'", "did you mean 'activist'?", "unaligned"])],
    "duplicate_section.toml": [("population.sections[1].name",
                                ["duplicate section name 'old'", "population.sections[0]"])],
    "boundary_section.toml": [("population.sections[0].name", ["'boundary' is reserved"])],
    "duplicate_hub.toml": [("hubs[1].name", ["duplicate hub name 'library'", "hubs[0]"])],
    "hubs_not_a_list.toml": [("hubs", ["expected a list of tables ([[hubs]]), got a table"])],
    "unknown_hub_location.toml": [
        ("hubs[0].location", ["unknown section 'od'", "did you mean 'old'?",
                              "allowed: old, new, boundary"])],
    "default_hubs_mismatch.toml": [
        ("hubs", ["unknown section 'long_standing'", "default hub 'cafe'", "[[hubs]]"]),
        ("hubs", ["unknown section 'newcomers'", "default hub 'garden'"])],
    "bad_weekday.toml": [
        ("hubs[0].open_days[1]", ["expected a weekday name (mon, tue, wed, thu, fri, sat, sun)",
                                  "got 'funday'"]),
        ("hubs[0].open_days[2]", ["'mon' is listed twice"])],
    "unknown_target_section.toml": [
        ("interventions[0].target_sections[1]", ["unknown section 'nwe'",
                                                 "did you mean 'new'?"])],
    "unknown_hub_name.toml": [("interventions[0].hubs[0]",
                               ["unknown hub 'libary'", "did you mean 'library'?"])],
    "unknown_orientation.toml": [
        ("orientations.rescur", ["unknown orientation 'rescur'", "did you mean 'rescuer'?"]),
        ("interventions[0].target_orientations[1]",
         ["unknown orientation 'activsts'", "did you mean 'activist'?"])],
    "start_after_end.toml": [("interventions[0].start_day",
                              ["starts on day 60, after it ends (end_day = 30)"])],
    "start_beyond_run.toml": [("interventions[0].start_day",
                               ["'coverage_drive' starts on day 150, after the run ends "
                                "(run.days = 100)", "never act", "set run.days to 150 or more"])],
    "start_day_zero.toml": [("interventions[0].start_day",
                             ["0 is out of range", "between 1 and 36,500"])],
    "control_character.toml": [("name", ["control character U+0007", "plain text on one line"])],
    "name_too_long.toml": [("name", ["is 104 characters long", "at most 80"])],
    "bad_identifier.toml": [("interventions[0].name",
                             ["'drive/../x' is not allowed", "the letters a-z and A-Z",
                              "digits and _"])],
    "bracket_in_name.toml": [("hubs[0].name", ["'cafe[1]' is not allowed", "[ or ]"])],
    "utf16.toml": [("", ["saved as UTF-16 text", "save it as UTF-8"])],
    "deeply_nested.toml": [("", ["nested more than 16 levels deep"])],
    "cycle_a.toml": [("extends", ["extends cycle:", "cycle_a.toml -> ", "cycle_b.toml -> ",
                                  "cycle_a.toml"])],
    "cycle_b.toml": [("extends", ["extends cycle:", "cycle_b.toml -> ", "cycle_a.toml -> "])],
    "missing_extends.toml": [("extends", ["file not found", "_valid_parnet.toml",
                                          "did you mean '_valid_parent.toml'?"])],
    "extends_not_text.toml": [("extends", ["expected a file name in quotes", "got 3"])],
    "missing_name.toml": [("name", ["missing", "every scenario needs a name"])],
    "empty.toml": [("", ["file has no settings", 'name = "..."'])],
    "inherits_broken.toml": [("network.share_bridging", ["1.5 is out of range"],
                              "_broken_parent.toml")],
    "several_mistakes.toml": [
        ("run.days", ["expected a whole number, got 'a year'"]),
        ("rules.p_need", ["-0.5 is out of range", "between 0 and 1"]),
        ("hubs[0].location", ["unknown section 'nowhere'"]),
        ("interventions[0].coverge", ["did you mean 'coverage'?"]),
        ("interventions[0].start_day", ["starts on day 90, after it ends (end_day = 10)"]),
    ],
}


def test_an_extends_cycle_is_said_against_the_file_given_with_the_loop(tmp_path):
    """A user check: ``validate y.toml``, y and z extending each other, reported the loop
    under z.toml (where it closed). It is said against the file given, with the chain from
    it and, where that file only leads into the loop, the loop."""
    for name, parent in (("y", "z"), ("z", "y"), ("x", "y"), ("s", "s"), ("t", "s")):
        (tmp_path / f"{name}.toml").write_text(f'name = "{name}"\nextends = "{parent}.toml"\n')
    f = {n: str(tmp_path / f"{n}.toml") for n in "xyzst"}
    assert [str(p) for p in validate_files([f["y"]], registry=TEST_REGISTRY)] == [
        f"{f['y']}: extends: extends cycle: {f['y']} -> {f['z']} -> {f['y']}; change the "
        "extends of one file in the loop"]
    assert [str(p) for p in validate_files([f["x"]], registry=TEST_REGISTRY)] == [
        f"{f['x']}: extends: extends cycle: {f['x']} -> {f['y']} -> {f['z']} -> {f['y']} "
        f"(the loop is {f['y']} -> {f['z']} -> {f['y']}); change the extends of one file in "
        "the loop"]
    assert [str(p) for p in validate_files([f["t"]], registry=TEST_REGISTRY)] == [
        f"{f['t']}: extends: extends cycle: {f['t']} -> {f['s']} -> {f['s']} (the loop is "
        f"{f['s']} -> {f['s']}); {f['s']} extends itself: change its extends"]
    both = validate_files([f["y"], f["z"]], registry=TEST_REGISTRY)
    assert [p.file for p in both] == [f["y"], f["z"]]


def test_every_broken_file_has_expectations():
    files = {p.name for p in BROKEN.glob("*.toml") if not p.name.startswith("_")}
    assert files == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_broken_file_fails_with_its_specific_messages(name):
    found = [p for p in problems_of(name) if p.is_error]
    expected = EXPECTED[name]
    for item in expected:
        key, words = item[0], item[1]
        file = shown(item[2]) if len(item) > 2 else shown(name)
        matches = [p for p in found if p.key == key and p.file == file
                   and all(w in p.message for w in words)]
        assert matches, f"{name}: no problem at {key!r} with {words}; got:\n" + "\n".join(
            map(str, found))
    assert len(found) == len(expected), "\n".join(map(str, found))
    with pytest.raises(ScenarioError) as caught:
        load_scenario(BROKEN / name, registry=TEST_REGISTRY)
    assert caught.value.errors == found


def test_a_problem_reads_file_key_message():
    problem = next(p for p in problems_of("unknown_intervention_key.toml"))
    assert str(problem) == (f"{shown('unknown_intervention_key.toml')}: interventions[1].coverge:"
                            " unknown key; did you mean 'coverage'?")
    shares = problems_of("shares_not_one.toml")[0]
    assert str(shares) == (f"{shown('shares_not_one.toml')}: population.sections: shares sum "
                           "to 1.10, must sum to 1")


def test_all_files_checked_before_raising_once():
    names = ["unknown_key.toml", "wrong_type.toml", "out_of_range.toml"]
    with pytest.raises(ScenarioError) as caught:
        load_scenarios([BROKEN / n for n in names], registry=TEST_REGISTRY)
    assert [p.file for p in caught.value.problems] == [shown(n) for n in names]
    text = str(caught.value)
    assert "rules.p_ned" in text and "run.replicates" in text and "network.share_bridging" in text


def test_unknown_type_when_no_interventions_are_registered():
    [problem] = validate_files([BROKEN / "unknown_intervention_type.toml"], registry={})
    assert problem.key == "interventions[0].type"
    assert "no intervention types are available" in problem.message


def test_syntax_error_names_line_and_column():
    [problem] = problems_of("syntax_error.toml")
    assert problem.key == "line 3, column 8"
    line = (BROKEN / "syntax_error.toml").read_text().splitlines()[2]
    assert line[7:] == "0.01"  # column 8 is where '=' was expected


def test_missing_file_is_a_problem_not_a_crash(tmp_path):
    [problem] = validate_files([tmp_path / "nope.toml"], registry=TEST_REGISTRY)
    assert problem.message == "file not found"


def test_two_scenarios_with_one_name(tmp_path):
    for stem in ("a", "b"):
        (tmp_path / f"{stem}.toml").write_text('name = "Same"\n')
    with pytest.raises(ScenarioError) as caught:
        load_scenarios([tmp_path / "a.toml", tmp_path / "b.toml"], registry=TEST_REGISTRY)
    [problem] = caught.value.problems
    assert problem.file == str(tmp_path / "b.toml") and problem.key == "name"
    assert "also the name of" in problem.message


def test_two_interventions_with_one_name(tmp_path):
    (tmp_path / "p.toml").write_text(
        'name = "Twice"\n[[interventions]]\ntype = "coverage_drive"\n'
        '[[interventions]]\ntype = "coverage_drive"\n')
    [problem] = validate_files([tmp_path / "p.toml"], registry=TEST_REGISTRY)
    assert problem.key == "interventions[1]"
    assert "two interventions are called 'coverage_drive'" in problem.message


def test_hub_opened_by_an_intervention_counts_as_a_hub(tmp_path):
    body = ('name = "Cafe"\n[[interventions]]\ntype = "coverage_drive"\nname = "open"\n'
            'hub = {{ name = "{hub}", location = "newcomers" }}\n'
            '[[interventions]]\ntype = "coverage_drive"\nname = "use"\nhubs = ["cafe2"]\n')
    (tmp_path / "ok.toml").write_text(body.format(hub="cafe2"))
    assert validate_files([tmp_path / "ok.toml"], registry=TEST_REGISTRY) == []
    (tmp_path / "clash.toml").write_text(body.format(hub="library"))
    keys = {(p.key, p.message.split(" (")[0])
            for p in validate_files([tmp_path / "clash.toml"], registry=TEST_REGISTRY)}
    assert ("interventions[0].hub.name", "duplicate hub name 'library'") in keys
    assert any(k == "interventions[1].hubs[0]" and "unknown hub 'cafe2'" in m for k, m in keys)


def test_a_closure_or_extension_of_a_programmes_hub_is_refused_before_it_runs(tmp_path):
    """A closure, or a third space extending a hub, needs the hub from day 0; naming a hub
    another programme opens was accepted, then the run failed as it started ("unknown
    hub"). The file is refused at the key, with what to do instead; closing a hub the
    community has, beside a programme that opens one, is fine."""
    opens = ('[[interventions]]\ntype = "third_space"\nstart_day = 50\n'
             'hub = { name = "cafe2", capacity = 30 }\n')
    (tmp_path / "close.toml").write_text(
        'name = "Close"\n' + opens + '[[interventions]]\ntype = "hub_closure"\nhub = "cafe2"\n')
    (tmp_path / "extend.toml").write_text(
        'name = "Extend"\n' + opens + '[[interventions]]\ntype = "third_space"\n'
        'name = "more"\nextend_hub = "cafe2"\nextra_open_days = ["sun"]\n')
    (tmp_path / "fine.toml").write_text(
        'name = "Fine"\n' + opens + '[[interventions]]\ntype = "hub_closure"\n'
        'hub = "library"\n')
    (close,) = validate_files([tmp_path / "close.toml"])
    assert close.key == "interventions[1].hub"
    assert ("'cafe2' is opened by interventions[0] ('Third space') on day 50" in close.message
            and "give that programme an end_day" in close.message)
    (extend,) = validate_files([tmp_path / "extend.toml"])
    assert extend.key == "interventions[1].extend_hub" and "open_days" in extend.message
    assert validate_files([tmp_path / "fine.toml"]) == []
    load_scenario(tmp_path / "fine.toml").build_model(1)  # and it builds


def test_two_closures_of_one_hub_may_not_overlap(tmp_path):
    """A second closure of the library while the first runs: when the first ended the
    library reopened under the second, and the saving counted twice. Refused at the later
    one's hub, with the days they share; one after the other, or another hub, is fine."""
    def closures(second_start, second_hub="library"):
        path = tmp_path / f"c{second_start}{second_hub}.toml"
        path.write_text('name = "Closed"\n[[interventions]]\ntype = "hub_closure"\n'
                        'hub = "library"\nend_day = 300\n[[interventions]]\n'
                        f'type = "hub_closure"\nname = "again"\nhub = "{second_hub}"\n'
                        f'start_day = {second_start}\n')
        return validate_files([path])

    (overlap,) = closures(200)
    assert overlap.key == "interventions[1].hub"
    assert "'Hub closure' (interventions[0]) names 'library' too, on days 200-300" in (
        overlap.message)
    assert closures(301) == [] and closures(200, "cafe") == []
    (one_day,) = closures(300)  # end_day is inclusive: both close the library on day 300
    assert "'library' too, on day 300;" in one_day.message


def test_extending_a_hub_while_a_closure_shuts_it_is_warned_with_the_days(tmp_path):
    """A third space extending the library while a closure shuts it did nothing on those
    days and was charged for them, without a word. Warned (the file still runs) at the
    extension's key, with the days they share; one after the other, or another hub, is
    silent."""
    def both(extend_start, extend_hub="library", day="sun"):
        path = tmp_path / f"e{extend_start}{extend_hub}.toml"
        path.write_text('name = "Both"\n[[interventions]]\ntype = "hub_closure"\n'
                        'hub = "library"\nstart_day = 100\nend_day = 300\n'
                        '[[interventions]]\ntype = "third_space"\nname = "weekend"\n'
                        f'extend_hub = "{extend_hub}"\nextra_open_days = ["{day}"]\n'
                        f'start_day = {extend_start}\nend_day = 400\n')
        return validate_files([path])

    (warned,) = both(250)
    assert warned.severity == WARNING and warned.key == "interventions[1].extend_hub"
    assert ("'Hub closure' (interventions[0]) has 'library' closed on days 250-300: "
            "'Third space' does nothing there then") in warned.message
    assert both(301) == [] and both(250, "garden", "wed") == []
    (one_day,) = both(300)
    assert "closed on day 300:" in one_day.message


def test_nested_hub_of_an_intervention_is_checked_like_a_hub(tmp_path):
    (tmp_path / "p.toml").write_text(
        'name = "Bad cafe"\n[[interventions]]\ntype = "coverage_drive"\n'
        'hub = { name = "cafe2", capacty = 3, location = "boundry", open_days = ["mo"] }\n'
        'mode = "betweeness"\nper_section = { students = 9, nobody = 1 }\n')
    found = {p.key: p.message for p in validate_files([tmp_path / "p.toml"],
                                                      registry=TEST_REGISTRY)}
    assert "did you mean 'capacity'?" in found["interventions[0].hub.capacty"]
    assert "did you mean 'boundary'?" in found["interventions[0].hub.location"]
    assert "got 'mo'" in found["interventions[0].hub.open_days[0]"]
    assert "did you mean 'betweenness'?" in found["interventions[0].mode"]
    assert "between 0 and 5" in found["interventions[0].per_section.students"]
    assert "unknown section 'nobody'" in found["interventions[0].per_section.nobody"]
    assert len(found) == 6


def test_nothing_is_written_when_validation_fails(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    before = sorted(os.listdir(BROKEN))
    with pytest.raises(ScenarioError):
        load_scenarios([BROKEN / "several_mistakes.toml"], registry=TEST_REGISTRY)
    assert os.listdir(tmp_path) == []
    assert sorted(os.listdir(BROKEN)) == before


# -- what a careless or hostile path can be: each refused with a reason, quickly ---------------


def _one_problem(path) -> Problem:
    problems = validate_files([path], registry=TEST_REGISTRY)
    assert len(problems) == 1, problems
    return problems[0]


def _hostile(tmp_path: Path, kind: str) -> tuple[Path, list[str]]:
    """A path of the given kind, and the words its one problem must say."""
    good = 'name = "Good"\n'
    path = tmp_path / f"{kind}.toml"
    if kind == "fifo":  # opening it would block for ever
        os.mkfifo(path)
        return path, ["named pipe (FIFO)", "not a file"]
    if kind == "device":  # /dev/zero never ends
        path.symlink_to("/dev/zero")
        return path, ["is a device"]
    if kind == "link_loop":
        path.symlink_to(path.name)
        return path, ["symbolic link that loops back on itself"]
    if kind == "dangling_link":
        path.symlink_to("gone.toml")
        return path, ["symbolic link to a file that does not exist", "gone.toml"]
    if kind == "folder":
        path.mkdir()
        return path, ["is a folder"]
    if kind == "too_large":  # 2 MB of comment after a valid name
        path.write_text(good + ("# " + "x" * 98 + "\n") * 20_000)
        return path, ["too large to be a scenario file", "2.0 MB", "limit is 1.0 MB"]
    if kind == "nested_5000":  # the parser itself would run out of stack
        path.write_text(good + "a = " + "[" * 5000 + "]" * 5000 + "\n")
        return path, ["nested more than 16 levels deep"]
    if kind == "deep_dotted_table":  # parsed without recursion, nested all the same
        path.write_text(good + "[" + ".".join(f"k{i}" for i in range(200)) + "]\nx = 1\n")
        return path, ["nested more than 16 levels deep"]
    if kind == "extends_chain":  # 30 files, each extending the next
        for i in range(30):
            (tmp_path / f"c{i}.toml").write_text(
                f'name = "C{i}"\n' + (f'extends = "c{i + 1}.toml"\n' if i < 29 else ""))
        return tmp_path / "c0.toml", ["too many files extend one another", "at most 16"]
    if kind == "extends_fifo":
        os.mkfifo(tmp_path / "parent.toml")
        path.write_text(good + 'extends = "parent.toml"\n')
        return path, ["extends", "parent.toml is a named pipe"]
    if kind == "extends_link_loop":
        (tmp_path / "parent.toml").symlink_to("parent.toml")
        path.write_text(good + 'extends = "parent.toml"\n')
        return path, ["extends", "parent.toml is a symbolic link that loops"]
    if kind == "extends_folder":
        (tmp_path / "parent.toml").mkdir()
        path.write_text(good + 'extends = "parent.toml"\n')
        return path, ["extends", "parent.toml is a folder"]
    raise ValueError(kind)


HOSTILE = ["fifo", "device", "link_loop", "dangling_link", "folder", "too_large", "nested_5000",
           "deep_dotted_table", "extends_chain", "extends_fifo", "extends_link_loop",
           "extends_folder"]


@pytest.mark.parametrize("kind", HOSTILE)
def test_a_hostile_path_is_refused_with_its_reason(tmp_path, kind):
    path, words = _hostile(tmp_path, kind)
    problem = _one_problem(path)
    text = str(problem)
    assert problem.is_error and all(w in text for w in words), text
    assert "Traceback" not in text and "Error" not in text.split(":")[0]


def test_a_utf8_byte_order_mark_is_accepted(tmp_path):
    path = tmp_path / "bom.toml"
    path.write_bytes(b"\xef\xbb\xbf" + b'name = "Saved by Notepad"\n[run]\ndays = 30\n')
    scenario = load_scenario(path, registry=TEST_REGISTRY)
    assert scenario.name == "Saved by Notepad" and scenario.run.days == 30


def test_names_that_would_share_a_run_folder_are_refused(tmp_path):
    """Different names with the same letters and digits would write into one folder."""
    (tmp_path / "a.toml").write_text('name = "Hub: open"\n')
    (tmp_path / "b.toml").write_text('name = "Hub (open)"\n')
    problems = validate_files([tmp_path / "a.toml", tmp_path / "b.toml"], registry=TEST_REGISTRY)
    [problem] = problems
    assert problem.file == str(tmp_path / "b.toml") and problem.key == "name"
    assert "same folder name 'hub__open'" in problem.message
    assert "differ in letters or digits" in problem.message


def test_long_names_that_differ_past_the_folder_names_cut_are_told_to_differ_sooner(tmp_path):
    """A user check: two 70-letter names differing in their last word were told to "make
    the names differ in letters or digits", which they did: a folder name keeps the first
    60 characters, so the message says that, and to make them differ sooner."""
    stem = "Community hub with weekend opening and outreach to the estate"  # 61 letters
    (tmp_path / "a.toml").write_text(f'name = "{stem} north"\n')
    (tmp_path / "b.toml").write_text(f'name = "{stem} south"\n')
    [problem] = validate_files([tmp_path / "a.toml", tmp_path / "b.toml"],
                               registry=TEST_REGISTRY)
    assert "keeps only the first 60 characters" in problem.message
    assert "differ sooner" in problem.message and "differ in letters" not in problem.message


def test_empty_lists_of_names_are_warned_about(tmp_path):
    """[] means what leaving the key out means (everyone, every hub): say so; and an
    intervention that acts at hubs in a scenario without any hubs does nothing there."""
    (tmp_path / "p.toml").write_text(
        'name = "No hubs"\nhubs = []\n[[interventions]]\ntype = "coverage_drive"\n'
        'target_sections = []\nhubs = []\n')
    problems = validate_files([tmp_path / "p.toml"], registry=TEST_REGISTRY)
    assert problems and not any(p.is_error for p in problems)
    found = {p.key: p.message for p in problems}
    assert "means everyone" in found["interventions[0].target_sections"]
    assert "means every hub" in found["interventions[0].hubs"]
    assert "has none (hubs = []" in found["interventions[0]"]
    scenario = load_scenario(tmp_path / "p.toml", registry=TEST_REGISTRY)  # warnings only
    assert len(scenario.warnings) == 3


def test_overrides_are_checked_like_file_values_and_against_the_scenario():
    from sim.scenario.loader import Override

    path = BROKEN / "start_beyond_run.toml"  # starts on day 150
    problems = validate_files([path], registry=TEST_REGISTRY, overrides=[
        Override("run.days", 999_999_999, "--days"),
        Override("population.n_residents", 1, "--residents")])
    assert sorted(str(p) for p in problems) == [
        "--days: 999999999 is out of range: must be between 1 and 36,500 (days)",
        "--residents: 1 is out of range: must be between 10 and 5,000,000 (residents)"]
    assert validate_files([path], registry=TEST_REGISTRY,
                          overrides=[Override("run.days", 200, "--days")]) == []
    [problem] = validate_files([path], registry=TEST_REGISTRY,
                               overrides=[Override("run.days", 60, "--days")])
    assert problem.key == "interventions[0].start_day"
    assert "(--days 60), so it would never act: give --days 150 or more" in problem.message
    scenario = load_scenario(BROKEN / "_valid_parent.toml", registry=TEST_REGISTRY)
    [s] = load_scenarios([BROKEN / "_valid_parent.toml"], registry=TEST_REGISTRY,
                         overrides=[Override("run.days", 60, "--days")])
    assert (scenario.run.days, s.run.days) == (100, 60)


def test_more_sections_than_a_byte_holds_are_refused_before_anything_runs(tmp_path):
    """129 sections passed every check, then every run failed inside (a resident's section is
    one byte): at most MAX_SECTIONS now, said by the file's check; that many still run."""
    from sim.params import MAX_SECTIONS

    def area(n: int) -> Path:
        path = tmp_path / f"s{n}.toml"
        path.write_text(f'name = "S{n}"\nhubs = []\n[population]\nn_residents = 2000\n' + "".join(
            f'[[population.sections]]\nname = "s{k}"\nshare = {1 / n!r}\n' for k in range(n)))
        return path

    (problem,) = validate_files([area(MAX_SECTIONS + 29)])
    assert str(problem).endswith(f"population.sections: {MAX_SECTIONS + 29} sections; at most "
                                 f"{MAX_SECTIONS} are allowed (merge the smallest: a chart or "
                                 "table per section is unreadable long before that)")
    largest = load_scenario(area(MAX_SECTIONS))
    model = largest.build_model(1)
    model.run_days(8)
    assert sorted(set(model.pop.section.tolist())) == list(range(MAX_SECTIONS))


def test_a_missing_name_is_the_extending_files_problem_not_its_parents(tmp_path):
    """A user check: a file extending the shipped baseline with no name was reported as
    '.../scenarios/baseline.toml: name: missing ... (while loading mine.toml ...)'."""
    shipped = Path(__file__).resolve().parents[1] / "scenarios" / "baseline.toml"
    mine = tmp_path / "noname.toml"
    mine.write_text(f'extends = "{shipped.as_posix()}"\ndescription = "x"\n')
    assert [str(p) for p in validate_files([mine])] == [
        f'{mine}: name: missing; every scenario needs a name, e.g. name = "Community cafe on '
        'the boundary"']


@pytest.mark.parametrize("mine_first", [True, False])
def test_a_name_repeating_the_shipped_baselines_is_the_users_files_problem(tmp_path,
                                                                          mine_first):
    """A user check: which file was blamed for repeating "Baseline" depended on the order the
    files were given; it is the user's file, not the shipped baseline, either way."""
    shipped = str(Path(__file__).resolve().parents[1] / "scenarios" / "baseline.toml")
    mine = tmp_path / "mine.toml"
    for name, says in (("Baseline", "'Baseline' is also the name of " + shipped),
                       ("baseline!", "'baseline!' and 'Baseline' (in " + shipped
                        + ") give the same folder name 'baseline'")):
        mine.write_text(f'extends = "{shipped}"\nname = "{name}"\n')
        files = [str(mine), shipped] if mine_first else [shipped, str(mine)]
        [problem] = validate_files(files)
        assert (problem.file, problem.key) == (str(mine), "name")
        assert problem.message.startswith(says), problem.message


@pytest.mark.parametrize("text, expected", [
    # a float where a whole number is expected is shown as written, not as "730"
    ('name = "F"\n[run]\ndays = 730.0\n', "run.days: expected a whole number, got 730.0"),
    # a key given twice is named, with the table and the line of the first
    ('name = "D"\n\n[run]\ndays = 30\n  days = 40\n',
     "line 5, column 12: TOML syntax error: 'days' is set twice in [run] (also on line 4); a "
     "key may be set only once in a table: remove one"),
    ('name = "D"\n[run]\ndays = 30\n[run]\nseed = 3\n',
     "line 4, column 5: TOML syntax error: the table [run] is given twice (as a [run] line, or "
     "as run.key = ... before one); give all its keys under one [run] line"),
    # something left open, in a reader's words (a user check read "Illegal character '\\n'")
    ('name = "Open\n[run]\ndays = 30\n',
     "line 1, column 13: TOML syntax error: a text in double quotes is not closed before the "
     'end of the line: add the closing " (a text over several lines goes in """)'),
    # (its line, when it is one of single quotes)
    ("name = 'Open\n", "line 1: TOML syntax error: a text in single quotes is not closed: add "
     "the closing '"),
    # a list or table not closed where it should be: a quote or comma may be missing (a
    # second user check: '["library, "cafe"]' was told to add the "]" it had)
    ('name = "L"\nhubs = ["library, "cafe"]\n', "line 2, column 20: TOML syntax error: a list "
     "in [ ] is not closed where it should be: check the quotes around each text in it, a "
     "comma between its items, and its closing ]"),
    # and more of tomllib's words (a second user check)
    ('name = "Escaped \\" and open\n', "line 1, column 28: TOML syntax error: a text in "
     "double quotes is not closed before the end of the line"),
    ("name = 'Children's centre'\n", "line 1, column 18: TOML syntax error: a text in single "
     "quotes ends at its next ' (an apostrophe inside it too): write it in double quotes, "
     "such as \"Children's centre\""),
    ('name = "T"\n[[hubs]]\nname = \u201cHall\u201d\n', "line 3, column 8: TOML syntax "
     "error: curly quotes"),
    ('name = "T"\n[[interventions]]\ntype = "third_space"\nhub = { name = "a", }\n',
     "line 4, column 21: TOML syntax error: a table in { } is written on one line, with a "
     "comma between its keys and none after the last"),
    # and after a third user check: a later apostrophe, a curly one inside a text, a comment
    # line, triple quotes placed at their line, backslashes, no value, no '='
    ("name = 'Cafe\ndescription = \"Mary's cafe\"\n", "line 1, column 13: TOML syntax "
     "error: a text in single quotes is not closed before the end of the line: add the "
     "closing '"),
    ('name = "Mary\u2019s cafe\n', "line 1, column 20: TOML syntax error: a text in double "
     "quotes is not closed"),
    ("# label = 'Old\nname = 'Open\n", "line 2: TOML syntax error: a text in single quotes "
     "is not closed"),
    ('name = "T"\ndescription = """Open\nmore\n', 'line 2: TOML syntax error: a text in '
     'triple quotes """ is not closed: add the closing """'),
    ('name = "C:\\Users\\me"\n', "line 1, column 13: TOML syntax error: a \\ in double "
     "quotes starts an escape such as \\n or \\\": write \\\\ for one backslash"),
    ('name = "C:\\temp\\"\n', "line 1, column 18: TOML syntax error: a text in double "
     "quotes is not closed before the end of the line: add the closing \" (a text over "
     "several lines goes in \"\"\"); the \\ before its last \" makes that quote part of the "
     "text"),
    ('name = "T"\n[run]\ndays = # \u201cdays\u201d\n', "line 3, column 8: TOML syntax error: "
     "no value after '='"),
    ('name = "T"\n[run]\ndays 100\n', "line 3, column 6: TOML syntax error: a key and its "
     "value need '=' between them, such as days = 730"),
    ('name = "D"\nhubs = []\n[[hubs]]\nname = "x"\n',
     "line 3, column 7: TOML syntax error: 'hubs' already has a value given with '=' (hubs = "
     "...), so a [hubs] or [[hubs]] table cannot add to it; write it one way only"),
    # a key of a known table written at the top says which table
    ('name = "T"\ndays = 365\n',
     "days: unknown key at the top of the file; did you mean [run] days? (write it on a line "
     "below [run]; allowed at the top: name, description, extends, run, population, network, "
     "hubs, rules, orientations, interventions, costs)"),
    ('name = "T"\nstart_month = 3\n',
     "start_month: unknown key at the top of the file; did you mean [[interventions]] "
     "start_month?"),
    # an unknown table is said as the line written, with the nearest table as written (a
    # user check: [[intervention]] was "unknown key; did you mean 'interventions'?")
    ('name = "T"\n[[intervention]]\ntype = "shared_myth"\n',
     "intervention: [[intervention]] is not a table a scenario file has; did you mean "
     "[[interventions]]? (its tables: [run], [population], [network], [[hubs]], [rules], "
     "[orientations], [[interventions]], [costs])"),
    ('name = "T"\n[hub]\nname = "x"\n',
     "hub: [hub] is not a table a scenario file has; did you mean [[hubs]]?"),
    # and a key of the file itself written below a table line says where it goes
    ('name = "T"\n[run]\ndays = 30\ndescription = "x"\n',
     "run.description: unknown key; allowed: days, replicates, seed (description goes at the "
     "top of the file, above the first [table] line: a key belongs to the table whose line it "
     "follows)"),
    # an intervention's name: what is allowed, exactly, and the nearest that is
    ('name = "C"\n[[interventions]]\ntype = "shared_myth"\nname = "café"\n',
     "interventions[0].name: 'café' is not allowed: use the letters a-z and A-Z (no accents or "
     "other alphabets), digits and _, starting with a letter, at most 40 characters (metric "
     "names are built from it); did you mean 'cafe'? (a label = \"...\" may use any letters)"),
])
def test_small_mistakes_are_said_as_the_user_wrote_them(tmp_path, text, expected):
    """A user check: '730.0' was shown as 730; a duplicate key was 'Cannot overwrite a value'
    with no key; 'days' at the top had no hint; 'café' was refused as if é were no letter."""
    path = tmp_path / "x.toml"
    path.write_text(text, encoding="utf-8")
    messages = [str(p) for p in validate_files([path])]
    assert any(m.startswith(f"{path}: {expected}") for m in messages), messages


@pytest.mark.parametrize(("days", "said"), [
    ("[]", "adds no days to 'library' (extra_open_days is empty), so it does nothing; list "
           "the weekdays to add (sun)"),
    ('["sat"]', "adds no days: 'library' already opens on sat, so it does nothing; give days "
                "it is closed (sun)"),
    ('["saturday", "sun"]', "'library' already opens on sat: 'Longer hours' adds only sun"),
], ids=["none", "already-open", "some-already-open"])
def test_extending_a_hub_by_days_it_opens_on_already_is_warned(tmp_path, days, said):
    """A user check: a third space extending the library by no days, or by a day it opens
    on already, passed validate and compare silently, every effect 0.0. Warned at the key;
    a day it is closed on is not warned of."""
    base = Path(__file__).resolve().parents[1] / "scenarios" / "baseline.toml"
    path = tmp_path / "longer.toml"
    table = (f'extends = "{base.as_posix()}"\nname = "Longer"\n[[interventions]]\n'
             'type = "third_space"\nlabel = "Longer hours"\nextend_hub = "library"\n')
    path.write_text(table + f"extra_open_days = {days}\n")
    [problem] = validate_files([path])
    assert problem.key == "interventions[0].extra_open_days" and problem.severity == WARNING
    assert said in problem.message
    path.write_text(table + 'extra_open_days = ["sun"]\n')
    assert validate_files([path]) == []


@pytest.mark.parametrize(("written", "said"), [
    ("weekend", "; list its days: sat, sun"),
    ("Weekdays", "; list its days: mon, tue, wed, thu, fri"),
    ("wendesday", "; did you mean 'wednesday'?"),
])
def test_a_group_of_weekdays_is_told_to_be_written_out(tmp_path, written, said):
    """A user check: open_days = ["weekend"] was asked "did you mean 'wed'?"."""
    path = tmp_path / "days.toml"
    path.write_text('name = "Days"\n[[interventions]]\ntype = "third_space"\n'
                    f'hub = {{ name = "hall", location = "boundary", '
                    f'open_days = ["{written}"] }}\n')
    [problem] = validate_files([path])
    assert problem.key == "interventions[0].hub.open_days[0]"
    assert problem.message.endswith(f"got '{written}'{said}"), problem.message


def test_a_range_is_not_said_twice_as_its_unit(tmp_path):
    """A user check: "must be between 0 and 1 (0-1)"; a unit that says more stays."""
    path = tmp_path / "range.toml"
    path.write_text('name = "Range"\n[[interventions]]\ntype = "one_to_ones"\n'
                    "conversation_palatability = 1.5\np_commitment = 1.5\n")
    said = {p.key.rsplit(".", 1)[1]: p.message for p in validate_files([path])}
    assert said["conversation_palatability"] == "1.5 is out of range: must be between 0 and 1"
    assert said["p_commitment"].endswith("must be between 0 and 1 (probability per 1:1)")


def test_problems_are_listed_in_the_order_of_the_items_they_are_in(tmp_path):
    """A user check: a problem of interventions[1] came before one of interventions[0] (a
    check across the list runs after each item's own). Each list's items in order."""
    path = tmp_path / "order.toml"
    path.write_text('name = "Order"\n[[interventions]]\ntype = "hub_closure"\nhub = "hall"\n'
                    '[[interventions]]\ntype = "third_space"\ntarget_sections = []\n'
                    'hub = { name = "hall", location = "boundary" }\n')
    keys = [p.key for p in validate_files([path])]
    assert keys == ["interventions[0].hub", "interventions[1].target_sections"]


def test_a_dose_or_a_hub_that_rounds_to_none_at_the_runs_size_is_warned(tmp_path):
    """A model check: doses per 1,000 and hub capacities round to whole people and places,
    so creative citizens at 200 residents was the baseline to the bit (reported with an
    effect of 0.0, 0.0 to 0.0, as if tested) and at 10 residents no hub ever opened; validate
    said "ok". Warned at the key, with the size from which it acts; the shipped files at
    their own size are silent."""
    path = tmp_path / "small.toml"
    path.write_text('name = "Small"\n[population]\nn_residents = 200\n'
                    '[[interventions]]\ntype = "creative_citizens"\n'
                    '[[interventions]]\ntype = "third_space"\n'
                    'hub = { name = "hall", capacity = 2, location = "boundary" }\n')
    found = {p.key: p for p in validate_files([path])}
    pairs = found["interventions[0].group_pairs"]
    assert pairs.severity == WARNING and "rounds to none at 200 residents" in pairs.message
    assert "(it acts from 251 residents)" in pairs.message
    hall = found["interventions[1].hub.capacity"]
    assert ("rounds to no places, so it never opens, yet its cost is counted (it opens from "
            "251 residents") in hall.message
    assert set(found) == {"interventions[0].group_pairs", "interventions[1].hub.capacity"}
    tiny_place = tmp_path / "tiny.toml"
    tiny_place.write_text('name = "Tiny"\n[population]\nn_residents = 20\n')
    cafe = {p.key: p.message for p in validate_files([tiny_place])}
    assert "the hub 'cafe' holds 25 per 1,000 residents: at 20 residents" in (
        cafe["hubs[1].capacity"])  # 0.5 rounds to none (half to even)
    assert set(cafe) == {"hubs[1].capacity"}
    shipped = sorted((Path(__file__).resolve().parents[1] / "scenarios").glob("*.toml"))
    assert validate_files(shipped) == []


def test_one_to_ones_without_conversations_or_organisers_is_warned_in_plain_words(
        tmp_path, capsys):
    """A user check: a 1:1s programme with conversations_per_week = 0, meant as "no
    conversations", still recruited organisers who held their action meetings with each
    other, so the run differed from the baseline; validate said "ok". The model keeps that
    (organisers with no 1:1s would still meet); validate says so at the key. With no
    organisers it does nothing at all, yet its meetings' room is costed: said too."""
    from sim import cli

    quiet = tmp_path / "quiet.toml"
    quiet.write_text('name = "Quiet"\n[[interventions]]\ntype = "one_to_ones"\n'
                     'label = "Organisers"\nconversations_per_week = 0\n'
                     'action_every_days = 14\n')
    found = {p.key: p for p in validate_files([quiet])}
    assert set(found) == {"interventions[0].conversations_per_week"}
    said = found["interventions[0].conversations_per_week"]
    assert said.severity == WARNING
    assert said.message.startswith("'Organisers' holds no 1:1 conversations (0 a week), so "
                                   "nobody is reached and nobody commits: only the "
                                   "organisers' own action meetings happen (every 14 days")
    assert "remove this [[interventions]] table" in said.message
    assert cli.main(["validate", str(quiet)]) == 0  # a warning: the file still runs
    out = capsys.readouterr()
    assert (f"{quiet}: interventions[0].conversations_per_week: warning: 'Organisers' holds "
            "no 1:1 conversations") in out.out + out.err
    none = tmp_path / "none.toml"  # no organisers (and no conversations): nothing happens
    none.write_text('name = "None"\n[[interventions]]\ntype = "one_to_ones"\n'
                    'organisers = 0\nconversations_per_week = 0\n')
    found = {p.key: p.message for p in validate_files([none])}
    assert set(found) == {"interventions[0].organisers"}
    assert "has no organisers, so no 1:1s are held and no action meetings happen: it does " \
        "nothing, yet its cost is counted" in found["interventions[0].organisers"]
    some = tmp_path / "some.toml"  # a few conversations: nothing to say
    some.write_text('name = "Some"\n[[interventions]]\ntype = "one_to_ones"\n'
                    'conversations_per_week = 0.5\n')
    assert validate_files([some]) == []


@pytest.mark.parametrize(("table", "key", "said"), [
    ('type = "bridge_figures"\nfigures = 0', "figures", "recruits no bridge figures "
     "(figures = 0)"),
    ('type = "common_cause"\nmembers = 0', "members", "has no members (members = 0)"),
    ('type = "common_cause"\nsession_days = []', "session_days",
     "holds no sessions (session_days is empty)"),
    ('type = "creative_citizens"\ngroup_pairs = 0', "group_pairs",
     "forms no groups (group_pairs = 0)"),
    ('type = "shared_myth"\nplaces_per_event = 0', "places_per_event",
     "offers no places at its events (places_per_event = 0)"),
    ('type = "critical_friend"\nfriends = 0\n[[interventions]]\ntype = "third_space"',
     "friends", "has no critical friends (friends = 0)"),
    ('type = "critical_friend"\nfriends = 0', "friends",
     "has no critical friends (friends = 0)"),
    ('type = "third_space"\nhub = { name = "c", kind = "cafe", location = "boundary", '
     'capacity = 20, open_days = [] }', "hub.open_days",
     "opens its hub on no days (open_days is empty)"),
], ids=lambda x: x if "=" not in x or len(x) < 20 else None)
def test_a_programme_at_zero_dose_is_warned_that_it_does_nothing(tmp_path, table, key, said):
    """A user check: of nine programmes at zero dose only two were warned of; the rest ran,
    and three were costed, unsaid. Each says it does nothing, and whether its cost is
    counted all the same, as the run's costs have it."""
    from sim.costs import scenario_cost

    path = tmp_path / "zero.toml"
    path.write_text(f'name = "Zero"\n[[interventions]]\n{table}\n')
    found = {p.key: p for p in validate_files([path])}
    warned = found[f"interventions[0].{key}"]
    assert warned.severity == WARNING
    assert warned.message.startswith(f"'{load_scenario(path).interventions[0].label}' "
                                     f"{said}, so it does nothing"), warned.message
    costed = scenario_cost(load_scenario(path).with_overrides(residents=1000), 730)
    runs_cost = sum(line.per_year_gbp for line in costed.lines if not line.saved
                    and line.programme == load_scenario(path).interventions[0].label)
    assert ("yet its cost is counted" in warned.message) == (runs_cost > 0), (
        warned.message, runs_cost)
    # and every other warning of it that it does nothing says the same of its cost (a user
    # check: a critical friend alone was "yet its cost is counted", costed at nothing)
    for p in found.values():
        if p.key.startswith("interventions[0]") and "does nothing" in p.message:
            assert ("yet its cost is counted" in p.message) == (runs_cost > 0), p.message


def test_a_programme_across_sections_in_a_community_of_one_section_is_warned(tmp_path):
    """A model check: with one section, bridge figures were recruited and strained and
    creative citizens was the baseline to the bit, each at a cost, without a word."""
    path = tmp_path / "one.toml"
    path.write_text('name = "One"\nhubs = []\n[[population.sections]]\nname = "all"\n'
                    'share = 1.0\n[[interventions]]\ntype = "bridge_figures"\n'
                    '[[interventions]]\ntype = "one_to_ones"\n')
    found = {p.key: p for p in validate_files([path])}
    assert found["interventions[0]"].severity == WARNING
    assert "acts across sections, and this community has one" in (
        found["interventions[0]"].message)
    assert "interventions[1]" not in found


def _messages(path: Path, **kwargs) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for p in validate_files([path], registry=TEST_REGISTRY, **kwargs):
        found.setdefault(p.key, []).append(p.message)
    return found


def test_a_typo_in_run_keeps_the_days_beside_it_for_the_windows(tmp_path):
    """A user check: [run] days = 400 with the typo replicate = 5 had the windows checked
    against the default 730 days (a warning quoted "run.days = 730", which the file never
    said) and hid a start beyond day 400 until the typo was fixed. All is said at once."""
    path = tmp_path / "t.toml"
    path.write_text('name = "T"\n[run]\ndays = 100\nreplicate = 5\n'
                    '[[interventions]]\ntype = "coverage_drive"\nstart_day = 150\n'
                    '[[interventions]]\ntype = "coverage_drive"\nname = "other"\n'
                    'end_day = 300\n')
    found = _messages(path)
    assert found["run.replicate"] == ["unknown key; did you mean 'replicates'?"]
    [never] = found["interventions[0].start_day"]
    assert "after the run ends (run.days = 100), so it would never act" in never
    [late] = found["interventions[1].end_day"]
    assert "ends on day 300, after the run ends (run.days = 100)" in late
    assert not any("730" in m for ms in found.values() for m in ms), found
    # an override given with such a file is used too
    from sim.scenario.loader import Override
    found = _messages(path, overrides=[Override("run.days", 60, "--days")])
    assert "(--days 60), so it would never act" in found["interventions[0].start_day"][0]


def test_refused_days_check_no_window_against_a_length_the_file_never_gave(tmp_path):
    """days = -4 is refused; the windows are not checked against the default 730 meanwhile
    (they were, and the messages quoted run.days = 730)."""
    path = tmp_path / "t.toml"
    path.write_text('name = "T"\n[run]\ndays = -4\n'
                    '[[interventions]]\ntype = "coverage_drive"\nstart_day = 800\n')
    assert list(_messages(path)) == ["run.days"]


def test_a_window_checked_against_the_default_length_says_so(tmp_path):
    path = tmp_path / "t.toml"
    path.write_text('name = "T"\n[[interventions]]\ntype = "coverage_drive"\nstart_day = 800\n')
    [never] = _messages(path)["interventions[0].start_day"]
    assert "after the run ends (run.days = 730 by default)" in never


def test_a_typo_in_an_intervention_does_not_hide_its_clash_with_another(tmp_path):
    """An intervention with a misspelt key is still checked against the others (here: two
    called the same), so the second problem is not found only once the typo is fixed."""
    path = tmp_path / "t.toml"
    path.write_text('name = "T"\n'
                    '[[interventions]]\ntype = "coverage_drive"\nname = "drive"\n'
                    '[[interventions]]\ntype = "coverage_drive"\nname = "drive"\n'
                    'coverge = 0.5\n')
    found = _messages(path)
    assert found["interventions[1].coverge"] == ["unknown key; did you mean 'coverage'?"]
    assert "two interventions are called 'drive'" in found["interventions[1].name"][0]


BIG = "9" * 400  # a whole number TOML holds and no float can


@pytest.mark.parametrize("text, key", [
    (f'name = "T"\n[network]\nties_per_resident = {BIG}\n', "network.ties_per_resident"),
    (f'name = "T"\n[[interventions]]\ntype = "shared_myth"\nstart_month = {BIG}\n',
     "interventions[0].start_month"),
    (f'name = "T"\n[[population.sections]]\nname = "all"\nshare = {BIG}\n',
     "population.sections[0].share"),
    (f'name = "T"\n[costs]\nevents = {BIG}\n', "costs.events"),
    (f'name = "T"\n[costs]\nevents = {{ gbp = -{BIG} }}\n', "costs.events.gbp"),
    (f'name = "T"\n[run]\ndays = {BIG}\n', "run.days"),
])
def test_a_whole_number_too_large_for_a_float_is_refused_at_its_key(tmp_path, text, key):
    """A user check of numbers beyond any range: a 400-digit whole number where a number is
    expected made validate fail with 'OverflowError: int too large to convert to float';
    it is out of range at its key, said by its length rather than repeated digit by digit."""
    path = tmp_path / "t.toml"
    path.write_text(text)
    problems = [p for p in validate_files([path]) if p.is_error and p.key == key]
    assert problems, validate_files([path])
    assert "400-digit number" in problems[0].message and BIG not in problems[0].message


def test_a_number_longer_than_python_reads_is_named_at_its_line_and_column(tmp_path):
    """A whole number of more than 4,300 digits (Python's limit on reading one) made the
    parser raise a bare ValueError; it is said at its place in the file."""
    path = tmp_path / "t.toml"
    path.write_text('name = "T"\n[run]\ndays = ' + "9" * 5000 + "\n")
    [problem] = validate_files([path])
    assert problem.key == "line 3, column 8"
    assert problem.message.startswith("a whole number of more than 4,300 digits")


@pytest.mark.parametrize("data, where, what", [
    (b'name = "T"\n\x00\n', "line 2, column 1", "U+0000 (a NUL byte);"),  # outside quotes
    (b'name = "T\x00x"\n', "line 1, column 10", "U+0000 (a NUL byte);"),  # inside them
    (b'name = "T"  # a \x1b[31m comment\n[run]\ndays = 3\x00\x00\n', "line 1, column 17",
     "U+001B (an escape), and 2 more after it;"),
])
def test_a_control_character_in_the_file_is_named_at_its_line_and_column(tmp_path, data,
                                                                         where, what):
    """docs/SCENARIOS.md promises no control characters anywhere (a NUL, an escape); a raw
    NUL outside quotes got only 'TOML syntax error: Invalid statement' (a user check). The
    file, the place, the character and what to do are said."""
    path = tmp_path / "t.toml"
    path.write_bytes(data)
    [problem] = validate_files([path], registry=TEST_REGISTRY)
    assert (problem.file, problem.key) == (str(path), where)
    assert problem.message.startswith(f"contains the control character {what} a scenario "
                                      "file must be plain text"), problem.message


def test_utf16_saved_without_a_byte_order_mark_is_said_as_such(tmp_path):
    path = tmp_path / "t.toml"
    path.write_bytes('name = "T"\n[run]\ndays = 30\n'.encode("utf-16-le"))
    [problem] = validate_files([path], registry=TEST_REGISTRY)
    assert problem.key == ""
    assert problem.message == ("saved as UTF-16 text without a byte-order mark (every other "
                               "byte is a NUL); save it as UTF-8")


@pytest.mark.parametrize("window, key", [
    ("start_day = 90\nend_day = 99999\n", "interventions[0].end_day"),
    ("start_day = 99999\nend_day = 5\n", "interventions[0].start_day"),
])
def test_a_day_out_of_its_range_is_said_once(tmp_path, window, key):
    """A user check: end_day = 99999 was told both 'it will run until the end' (a warning)
    and '99999 is out of range' (the error); a start of 99999 was also 'after it ends' and
    'would never act'. The one message is the range."""
    path = tmp_path / "t.toml"
    path.write_text('name = "T"\n[[interventions]]\ntype = "coverage_drive"\n' + window)
    [problem] = validate_files([path], registry=TEST_REGISTRY)
    assert (problem.key, problem.is_error) == (key, True)
    assert problem.message == "99999 is out of range: must be between 1 and 36,500 (day)"


def test_a_programme_planning_more_people_than_it_targets_is_warned_with_the_numbers(
        tmp_path):
    """A user check: bridge figures at 100 per 1,000 among students who are rescuers had 2
    in post at 300 residents (recruitment takes no more than there are) but were costed for
    30, value for money overstated 15 times; a section of share 0.001 (no residents at 300)
    was costed in full while recruiting nobody; validate said "ok". Warned at the key, with
    the planned number, the residents there are, and that the cost counts the plan."""
    path = tmp_path / "few.toml"
    path.write_text(
        'name = "Few"\nhubs = []\n[population]\nn_residents = 300\n'
        '[[population.sections]]\nname = "long_standing"\nshare = 0.499\n'
        'orientations = { traditional = 0.5, rescuer = 0.5 }\n'
        '[[population.sections]]\nname = "students"\nshare = 0.5\n'
        'orientations = { traditional = 0.98, rescuer = 0.02 }\n'
        '[[population.sections]]\nname = "tiny"\nshare = 0.001\n'
        'orientations = { traditional = 1.0 }\n'
        '[[interventions]]\ntype = "bridge_figures"\nfigures = 100\n'
        'target_sections = ["students"]\ntarget_orientations = ["rescuer"]\n'
        '[[interventions]]\ntype = "common_cause"\ntarget_sections = ["tiny"]\n'
        '[[interventions]]\ntype = "bridge_figures"\nname = "plenty"\n'
        'label = "Plenty"\nfigures = 7\n'
        '[[interventions]]\ntype = "palatable_activity"\nlabel = "All"\n'
        'places_per_session = 2000\n')
    found = {p.key: p for p in validate_files([path])}
    figures = found["interventions[0].figures"]
    assert figures.severity == WARNING
    assert ("'Bridge figures' plans 30 bridge figures but about 3 residents are students "
            "who are rescuers (at 300 residents); it will have at most that many, and its "
            "cost counts 30") in figures.message, figures.message
    members = found["interventions[1].members"]
    assert "plans 18 members but none residents are tiny" not in members.message
    assert "plans 18 members but no residents are tiny" in members.message, members.message
    assert "interventions[2].figures" not in found  # 2 of 300 everyone: plenty to recruit
    # untargeted, more than the whole community (a user check: "about 1,000 residents are
    # residents")
    assert found["interventions[3].places_per_session"].message == (
        "'All' plans 600 places a session but the community has 300 residents; it will "
        "have at most that many, and its cost counts 600: plan fewer")


@pytest.mark.parametrize(("table", "key", "said"), [
    ('session_days = []', "session_days",
     "'Palatable activity' holds no sessions (session_days is empty): only its reframing of "
     "the hubs acts (palatability_boost = 0.4), and only that is costed"),
    ('places_per_session = 0', "places_per_session",
     "'Palatable activity' holds no sessions (places_per_session = 0): only its reframing"),
    ('session_days = []\npalatability_boost = 0', "session_days",
     "'Palatable activity' holds no sessions (session_days is empty) and reframes no hub "
     "(palatability_boost = 0), so it does nothing, yet its cost is counted"),
])
def test_a_palatable_activity_without_sessions_is_said_to_reframe_the_hubs_alone(
        tmp_path, table, key, said):
    """A second user check: a palatable activity with no sessions was told it "does
    nothing", and came out the report's best pick: its reframing of the hubs acts without
    sessions. Said as such; "does nothing" only without a reframing too."""
    path = tmp_path / "pa.toml"
    path.write_text(f'name = "PA"\n[[interventions]]\ntype = "palatable_activity"\n{table}\n')
    found = {p.key: p for p in validate_files([path])}
    assert found[f"interventions[0].{key}"].message.startswith(said), found
    assert found[f"interventions[0].{key}"].severity == WARNING


def test_a_programmes_hub_holding_more_than_the_community_is_warned(tmp_path):
    """A user check: a new hub of capacity 1,000,000 (in places) was costed at GBP 17
    billion a year for 300 residents, and validate said "ok". A programme's hub holding
    more visitors a day than there are residents is warned of: its staff are costed by its
    places; a day-0 hub of that size (no cost) is left alone."""
    path = tmp_path / "big.toml"
    path.write_text('name = "Big"\n[population]\nn_residents = 300\n[[hubs]]\nname = "hall"\n'
                    'kind = "hall"\nlocation = "boundary"\ncapacity = 5000\n'
                    'capacity_per_1000 = false\n'
                    '[[interventions]]\ntype = "third_space"\nhub = { name = "c", kind = '
                    '"cafe", location = "boundary", capacity = 1000000, capacity_per_1000 = '
                    'false }\n')
    found = {p.key: p for p in validate_files([path])}
    assert set(found) == {"interventions[0].hub.capacity"}, found
    assert found["interventions[0].hub.capacity"].message.startswith(
        "the hub of 'Third space' holds 1,000,000 visitors a day, more than the community's "
        "300 residents: it is never full, and its cost counts paid staff by its places")
    path.write_text(path.read_text().replace("capacity = 1000000", "capacity = 300"))
    assert validate_files([path]) == []


def test_a_hub_with_capacity_0_is_warned_that_it_never_opens(tmp_path):
    """A user check: a third space's new hub with capacity = 0 was costed at GBP 52,978 a
    year while it never opened (a hub is open only with places: sim.places), and validate
    said "ok", though a capacity that rounds to none was warned. Now the same warning, and
    for a programme's hub that its cost is counted all the same."""
    path = tmp_path / "shut.toml"
    path.write_text('name = "Shut"\n'
                    '[[hubs]]\nname = "hall"\nlocation = "boundary"\ncapacity = 0\n'
                    '[[interventions]]\ntype = "third_space"\n'
                    'hub = { name = "den", capacity = 0, location = "boundary" }\n')
    found = {p.key: p for p in validate_files([path])}
    assert set(found) == {"hubs[0].capacity", "interventions[0].hub.capacity"}
    assert all(p.severity == WARNING for p in found.values())
    assert found["hubs[0].capacity"].message.startswith(
        "the hub 'hall' holds no visitors (capacity = 0), so it never opens; give it")
    assert "the hub of 'Third space' holds no visitors (capacity = 0), so it never opens, " \
        "yet its cost is counted" in found["interventions[0].hub.capacity"].message


def test_a_warning_of_a_file_others_extend_is_said_once_naming_them(tmp_path, capsys):
    """A user check: at --residents 10 each baseline hub's warning was printed three times
    by compare (once for the baseline, once for each file extending it): nine lines for
    three warnings. Each is said once, naming the files that met it; the same for validate,
    and for errors."""
    from sim import cli
    from sim.scenario.loader import Override
    from sim.usage import load_checked

    base = tmp_path / "base.toml"
    base.write_text('name = "Base"\n[[hubs]]\nname = "library"\ncapacity = 40\n'
                    '[[hubs]]\nname = "cafe"\ncapacity = 25\n')
    for name in ("a", "b"):
        (tmp_path / f"{name}.toml").write_text(f'name = "{name.upper()}"\n'
                                               'extends = "base.toml"\n')
    (tmp_path / "own.toml").write_text('name = "Own"\n')  # the default hubs: its own
    paths = [str(tmp_path / f) for f in ("base.toml", "a.toml", "b.toml")]
    ten = [Override("population.n_residents", 10, "--residents 10")]
    _, warnings = load_checked(paths, ten)
    assert len(warnings) == 2, warnings  # library, cafe: once each
    a, b = paths[1:]
    assert warnings[0].startswith(f"{base}: hubs[0].capacity: warning: the hub 'library'")
    assert warnings[0].endswith(f"(and in {a} and {b}, which extend it)")
    _, warnings = load_checked(paths[1:], ten)
    assert len(warnings) == 2 and warnings[1].endswith(
        f"(while loading {a} and {b}, which extend {base})"), warnings
    _, warnings = load_checked([a, str(tmp_path / "own.toml")], ten)
    for line in warnings[:2]:  # the library and the cafe, in both
        assert line.endswith(f"(while loading {a}, which extends {base}) (also in "
                             f"{tmp_path / 'own.toml'})"), warnings
    assert len(warnings) == 3  # and own.toml's garden
    assert cli.main(["validate", *paths, "--residents", "10"]) == 0
    assert capsys.readouterr().out.count("the hub 'cafe' holds 25 per 1,000") == 1
    base.write_text('name = "Base"\n[run]\ndays = -1\n')
    assert cli.main(["validate", *paths]) != 0
    said = capsys.readouterr().err
    assert said.count("run.days") == 1 and "1 problem in " in said, said


@pytest.mark.parametrize("name, content, expected", [
    ("blank.toml", b'name = "   "\n', "name: is blank: give the scenario a name in words"),
    ("daily.csv.gz", b"\x1f\x8b\x08\x00rest", ": this is not a scenario file (a .toml file of "
     "the project's form; see docs/SCENARIOS.md): it looks like a gzip-compressed file"),
    ("report.html", b"<!doctype html>\n<html><body>Report</body></html>\n",
     ": this is not a scenario file (a .toml file of the project's form; see "
     "docs/SCENARIOS.md): it looks like a web page (HTML)"),
    ("page.toml", b"  <html><body>x</body></html>\n", ": this is not a scenario file (a .toml "
     "file of the project's form; see docs/SCENARIOS.md): it looks like a web page or other "
     "markup (HTML, XML: it starts with '<')"),
    ("blob.toml", bytes(range(256)) * 2, ": this is not a scenario file (a .toml file of the "
     "project's form; see docs/SCENARIOS.md): it looks like a binary file, not text"),
    ("latin.toml", b'name = "caf\xe9"\n', ": not UTF-8 text (byte 11); save the file as UTF-8"),
    ("m0.toml", b'name = "M"\n[[interventions]]\ntype = "shared_myth"\nstart_month = 0\n',
     "interventions[0].start_month: 0 would be before the run starts: months count from the "
     "run's start (1 is the end of the first month, day 30; 0.5 is day 15); to start on the "
     "first day, leave start_month out (or write start_day = 1)"),
    ("inf.toml", b'name = "M"\n[[interventions]]\ntype = "shared_myth"\nend_day = 1e400\n',
     "interventions[0].end_day: expected a whole number, got inf, a number too large to use "
     "(1e400 and beyond are read as infinity)"),
])
def test_refusals_say_what_is_wrong_in_plain_words(tmp_path, name, content, expected):
    """A user check: a blank name was "expected a name in quotes, got '   '"; a run's
    daily.csv.gz or a binary file "not UTF-8 ... save the file as UTF-8"; report.html "TOML
    syntax error: Invalid statement"; start_month = 0 "must be between 0.02 and 1199.19";
    end_day = 1e400 "got inf". Text in another encoding is still told to save as UTF-8."""
    path = tmp_path / name
    path.write_bytes(content)
    messages = [str(p) for p in validate_files([path])]
    assert any(m.startswith(f"{path}: {expected}") or m.startswith(f"{path}{expected}")
               for m in messages), messages


def test_a_file_whose_extends_is_missing_is_checked_for_what_does_not_depend_on_it(tmp_path):
    """A user check: a file extending a missing file was told only that; its mistyped
    intervention type and key came one at a time, after. They are said with it; a hub's
    name, which the missing file may define, is not judged without it."""
    path = tmp_path / "x.toml"
    path.write_text('extends = "gone.toml"\nname = "X"\n[run]\ndayz = 3\n'
                    '[[interventions]]\ntype = "third_spce"\n'
                    '[[interventions]]\ntype = "hub_closure"\nhub = "townhall"\nstart_dya = 5\n')
    said = {p.key: p.message for p in validate_files([path])}
    assert said["extends"].startswith("file not found")
    assert said["run.dayz"] == "unknown key; did you mean 'days'?"
    assert said["interventions[0].type"].startswith("unknown intervention type 'third_spce'")
    assert said["interventions[1].start_dya"].startswith("unknown key")
    assert set(said) == {"extends", "run.dayz", "interventions[0].type",
                         "interventions[1].start_dya"}  # not the hub's name
    # with the file found, the hub's name is judged
    (tmp_path / "gone.toml").write_text('name = "Base"\n')
    assert "interventions[1].hub" in {p.key for p in validate_files([path])}
    # a file it extends that is broken hides them no more (a second user check), and an
    # orientation's name, which no file changes, is judged
    (tmp_path / "gone.toml").write_text('name = "Base"\n[run\n')
    path.write_text('extends = "gone.toml"\nname = "X"\n[run]\ndayz = 3\n'
                    '[orientations.traditionl]\nshare = 0.1\n')
    said = {(p.file, p.key): p.message for p in validate_files([path])}
    assert said[str(path), "run.dayz"] == "unknown key; did you mean 'days'?"
    assert said[str(path), "orientations.traditionl"].startswith(
        "unknown orientation 'traditionl'; did you mean 'traditional'?")
    assert len(said) == 3  # and the broken file's own syntax error
