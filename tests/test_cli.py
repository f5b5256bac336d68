"""The command line as a contract: validate, compare, run, --resume, --help, exit statuses,
and commands registered for modules written elsewhere.

Jobs run in this process (``--workers 1``) on 200 residents for 30 days with 2 replicates;
``main(argv)`` is called directly and returns the exit status."""

from __future__ import annotations

import html
import json
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from sim import cli
from sim.commands.shared import PROG
from sim.metrics import CORE_METRICS
from tests.test_report import write_scenarios

TINY = ["--replicates", "2", "--days", "30", "--residents", "200", "--workers", "1"]

BROKEN = """
extends = "baseline.toml"
name = "Broken"
description = "Every kind of mistake a person makes in one file."
[network]
share_bridgin = 0.3
[[interventions]]
type = "palatable_activty"
start_day = 10
[[population.sections]]
name = "a"
share = 0.7
[[population.sections]]
name = "b"
share = 0.5
hubs = []
"""


def files_under(folder: Path) -> set[Path]:
    return {p for p in folder.rglob("*")} if folder.exists() else set()


@pytest.fixture()
def scen(tmp_path):
    paths = write_scenarios(tmp_path / "scenarios")
    broken = tmp_path / "scenarios" / "broken.toml"
    broken.write_text(BROKEN)
    return tmp_path, paths, broken


@pytest.fixture(scope="module")
def compared(tmp_path_factory):
    """One ``compare`` through the command line: (exit code, stdout, stderr, argv, out)."""
    root = tmp_path_factory.mktemp("cli")
    paths = write_scenarios(root / "scenarios")
    out = root / "results"
    argv = ["compare", *map(str, paths), *TINY, "--out", str(out)]
    return (*_main(argv), argv, out)


@pytest.fixture(scope="module")
def ran(tmp_path_factory):
    """One ``run`` through the command line: (exit code, stdout, stderr, argv, out)."""
    root = tmp_path_factory.mktemp("cli-run")
    paths = write_scenarios(root / "scenarios")
    out = root / "results"
    argv = ["run", str(paths[2]), *TINY, "--out", str(out)]
    return (*_main(argv), argv, out)


def _main(argv):
    """Call main() capturing stdout and stderr (module fixtures cannot use capsys)."""
    import contextlib
    import io

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main([str(a) for a in argv])
    return code, out.getvalue(), err.getvalue()


def run_cli(argv, capsys):
    code = cli.main([str(a) for a in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


# -- validate ---------------------------------------------------------------------------------


def test_validate_accepts_good_files(scen, capsys):
    _, paths, _ = scen
    code, out, err = run_cli(["validate", *paths], capsys)
    assert code == 0, err
    assert all(f"{p}: ok" in out for p in paths)


def test_validate_warns_of_a_file_that_runs_as_another_or_as_the_file_it_extends(
        tmp_path, capsys, monkeypatch):
    """A user check: validate said "ok" of a plain copy of the baseline, which compare then
    warned would have effects all zero. It warns (exit 0: the file is valid) of a copy
    checked beside the file it copies, and of a file that extends another and changes
    nothing that decides its runs (its name and description aside)."""
    monkeypatch.chdir(tmp_path)
    base = (REPO / "scenarios" / "baseline.toml").read_text()
    Path("base.toml").write_text(base)
    Path("copy.toml").write_text(base.replace('name = "Baseline"', 'name = "My copy"', 1))
    Path("same.toml").write_text('extends = "base.toml"\nname = "Same"\n'
                                 'description = "words only"\n')
    Path("other.toml").write_text('extends = "base.toml"\nname = "Other"\n'
                                  '[[interventions]]\ntype = "bridge_figures"\n')
    Path("again.toml").write_text('extends = "other.toml"\nname = "Other again"\n')
    code, out, err = run_cli(["validate", "base.toml", "copy.toml", "same.toml",
                              "other.toml"], capsys)
    assert code == 0, err
    warned = [line for line in out.splitlines() if line.startswith("warning:")]
    assert warned[0] == ("warning: copy.toml: 'My copy' has no interventions and the same "
                         "settings as 'Baseline' (base.toml): compared, the two will have "
                         "the same effects, run for run"), warned
    assert warned[1].startswith("warning: same.toml: 'Same' has no interventions and the "
                                "same settings as 'Baseline' (base.toml)"), warned
    assert len(warned) == 2  # other.toml changes something
    # alone, an option copied from an option unchanged is said of the file it extends
    code, out, _ = run_cli(["validate", "again.toml"], capsys)
    assert code == 0
    assert ("warning: again.toml: 'Other again' has the same interventions and settings as "
            "'Other', the file it extends (other.toml): compared with it, its effects would "
            "all be zero") in out, out
    # not a baseline still to be described (new-area writes one extending the shipped one)
    for quiet in ("same.toml", "other.toml"):
        code, out, _ = run_cli(["validate", quiet, "--days", "400"], capsys)
        assert code == 0 and "warning" not in out, out


def test_validate_lists_every_problem_and_exits_2_writing_nothing(scen, capsys,
                                                                  monkeypatch):
    root, paths, broken = scen
    monkeypatch.chdir(root)
    before = files_under(root)
    code, out, err = run_cli(["validate", paths[0], broken], capsys)
    assert code == 2
    lines = err.strip().splitlines()
    expected = [
        f"{broken}: network.share_bridgin: unknown key; did you mean 'share_bridging'?",
        f"{broken}: interventions[0].type: unknown intervention type 'palatable_activty'; "
        "did you mean 'palatable_activity'?",
        f"{broken}: population.sections: shares sum to 1.20, must sum to 1",
    ]
    for e in expected:
        assert any(line.startswith(e) for line in lines), (e, lines)
    assert lines[-1].endswith("nothing was run or written")
    assert files_under(root) == before


def test_compare_with_a_broken_file_exits_2_before_anything_runs(scen, capsys):
    root, paths, broken = scen
    out = root / "results"
    code, stdout, err = run_cli(["compare", paths[0], broken, *TINY, "--out", out], capsys)
    assert code == 2 and stdout == ""
    assert "unknown intervention type 'palatable_activty'" in err
    assert not out.exists()


def test_unpaired_files_are_refused_before_anything_is_written(scen, capsys):
    """Said in the files' terms: which file, which [run] key, both values and what to do
    (a user check: "cannot plan this ensemble: scenario 'Short run opt' has seed 5 ...
    (override it with --seed / Scenario.with_overrides(seed=...))" named no file and an
    internal function)."""
    root, paths, _ = scen
    other = root / "scenarios" / "other_seed.toml"
    other.write_text('extends = "baseline.toml"\nname = "Short run opt"\n[run]\ndays = 365\n'
                     'seed = 99\n')
    out = root / "results"
    code, _, err = run_cli(["compare", paths[0], other, "--out", out], capsys)
    assert code == 2 and not out.exists()
    assert err.splitlines() == [
        f"{other}: run.seed: 99, but the baseline ({paths[0]}) has 7; the runs of a "
        "comparison are paired on one root seed, so every file needs the same [run] seed: "
        "set seed = 7 in its [run] table, or delete its seed to take the baseline's, or give "
        "--seed on the command line to use one value for every file",
        f"{other}: run.days: 365, but the baseline ({paths[0]}) has 30; the runs of a "
        "comparison are compared day by day, so every file needs the same [run] days: set "
        "days = 30 in its [run] table, or delete its days to take the baseline's, or give "
        "--days on the command line to use one value for every file"]
    # set in a file it extends: that file is named; the options settle it
    child = root / "scenarios" / "child.toml"
    child.write_text('extends = "other_seed.toml"\nname = "Child"\n')
    code, _, err = run_cli(["compare", paths[0], child, "--days", "30", "--out", out], capsys)
    assert code == 2 and err.startswith(f"{child}: run.seed: 99 (set in {other}, which it "
                                         f"extends), but the baseline ({paths[0]}) has 7;")
    assert "delete its seed" not in err and len(err.splitlines()) == 1


def test_an_option_that_runs_as_the_baseline_is_warned_of(scen, capsys):
    """A user check: a plain copy of the baseline was compared without a word, and every
    effect came out zero. It runs (a quick check of the set-up is allowed), with a warning
    before the runs; an option that changes anything is not warned of."""
    root, paths, _ = scen
    copy = root / "scenarios" / "copy.toml"
    copy.write_text(f'extends = "{paths[0].name}"\nname = "Copy"\n')
    again = root / "scenarios" / "again.toml"  # two options alike: said too
    again.write_text(f'extends = "{paths[1].name}"\nname = "Again"\n')
    code, stdout, err = run_cli(["compare", paths[0], copy, paths[1], again, *TINY, "--out",
                                 root / "results"], capsys)
    assert code == 0, err
    warned = [line for line in err.splitlines() if "as the baseline" in line]
    assert warned == [f"warning: {copy}: 'Copy' has no interventions and the same settings "
                      f"as the baseline ({paths[0]}): its effects will all be zero (its runs "
                      "are the baseline's, seed for seed)"], err
    assert (f"warning: {again}: 'Again' has the same interventions and settings as "
            f"'Palatable activity' ({paths[1]}): the two will have the same effects, run for "
            "run") in err.splitlines()
    # and where the effects are read (a user check: said only before the runs): the
    # report's top, and the manifest, with the folder relative paths are from
    out = Path(stdout.strip()).parent
    page = (out / "report.html").read_text()
    said = page[page.index("id='as-baseline'"):]
    assert said.index("Copy") < said.index("every effect is zero by construction") \
        < said.index("</p>")
    assert page.index("id='as-baseline'") < page.index("class='card")
    alike = page[page.index("<p class='alike'>"):]
    assert alike.index("Again") < alike.index("Palatable activity") < alike.index("</p>")
    # never the card's pick (a user check: "No change on average: Baseline (copy 2)")
    assert "<span class='opt'>Copy</span>" not in page
    assert "<span class='opt'>Palatable activity</span>" in page
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["runs_as_baseline"] == ["Copy"]
    table = pd.read_csv(out / "summary.csv")
    assert table.groupby("scenario")["runs_as_baseline"].all().to_dict() == {
        "Baseline": False, "Copy": True, "Palatable activity": False, "Again": False}
    words = page[page.index("<h3>Copy</h3>"):]
    assert ("It runs exactly as the baseline: it has no interventions and the same settings "
            "as the baseline, so every effect is zero by construction.") in html.unescape(words)
    # its cells say so, not "unclear" as if it had been tested and found so (a user check),
    # and it has no table of zeros in words
    row = re.search(r"<tr>(?:(?!</tr>).)*?>Copy <span class='muted'>\(the same as the "
                    r"baseline\)</span></td>.*?</tr>", page).group(0)
    assert "= baseline" in row and "unclear" not in row, row
    strain = page[page.index("id='strain'"):page.index("id='costs'")]
    copy_row = re.search(r"<td class='name'>Copy</td>.*?</tr>", strain).group(0)
    assert "= baseline" in copy_row and "unclear" not in copy_row, copy_row
    assert "<table" not in words[:words.index("<h3>", 4)]
    # and the mark, and the copy's count of best runs, are said in the legends
    assert page.count("<span class='sw'>= baseline</span> the option runs exactly as the "
                      "baseline") == 2  # the ranking's and the strain table's
    assert "is given the baseline's count, so the counts may add up to more than the runs" \
        in page
    assert manifest["working_directory"] == str(Path.cwd())


def test_a_file_given_twice_is_compared_once_and_said(scen, capsys):
    """A user check: the same file given twice was dropped without a word. It is compared
    once, with a warning; the --baseline file among the FILEs (as a glob gives it) is not
    a repeat worth one."""
    root, paths, _ = scen
    out = root / "results"
    again = root / "scenarios" / ".." / "scenarios" / paths[1].name
    code, stdout, err = run_cli(["compare", paths[0], paths[1], again, *TINY, "--out", out],
                                capsys)
    assert code == 0, err
    assert f"warning: {again} is given twice (also as {paths[1]}); it is compared once" \
        in err.splitlines()
    plan = json.loads((Path(stdout.strip()).parent / "plan.json").read_text())
    assert [s["name"] for s in plan["scenarios"]] == ["Baseline", "Palatable activity"]
    code, _, err = run_cli(["compare", paths[0], paths[0], *TINY, "--out", out], capsys)
    assert code == 2 and err.splitlines() == [
        f"{paths[0]} is given twice; it is compared once",
        f"{PROG} compare: needs a baseline and at least one other scenario file (got 1 "
        f"distinct file; see: {PROG} compare --help)"]
    code, _, err = run_cli(["compare", "--baseline", paths[0], paths[0], paths[1], "--days",
                            "5", "--out", out], capsys)  # refused later: no run
    assert "given twice" not in err


# -- compare and run --------------------------------------------------------------------------


def test_compare_writes_its_outputs_and_prints_the_report_path(compared):
    code, stdout, err, argv, out = compared
    assert code == 0, err
    report = Path(stdout.strip().splitlines()[-1])
    assert report.name == "report.html" and report.is_file()
    folder = report.parent
    assert folder.parent == out and folder.name.endswith("-compare")
    for name in ("summary.csv", "daily.csv.gz", "manifest.json", "charts/effects.png",
                 "charts/interventions.png"):
        assert (folder / name).is_file(), name
    summary = pd.read_csv(folder / "summary.csv")
    assert set(summary.scenario) == {"Baseline", "Palatable activity", "More bridging ties"}
    assert set(CORE_METRICS) <= set(summary.metric)
    manifest = json.loads((folder / "manifest.json").read_text())
    # the command as words a shell can take back (the report's Command line is shell-quoted:
    # "python run.py" as one word read "'python run.py' compare ...", which no shell runs)
    assert manifest["command"] == ["python", "run.py", *(str(a) for a in argv)]
    assert f"<td>{html.escape(shlex.join(manifest['command']))}</td>" in report.read_text()
    assert manifest["settings"]["replicates"] == 2
    assert set(manifest["settings"]["residents"].values()) == {200}
    text = report.read_text()
    assert all(n in text for n in summary.scenario.unique())
    assert "runs" in err and "done in" in err  # progress and timing went to stderr


def test_resume_with_other_options_is_refused_in_two_lines(compared, capsys):
    """A --resume folder of another plan: exit 2, nothing written, and two lines (QA: it
    ran to several, after a line announcing the comparison): the folder and what differs,
    then what to do."""
    *_, argv, out = compared
    folder = sorted(out.iterdir())[0]
    before = {p: p.stat().st_mtime_ns for p in files_under(out)}
    code, stdout, err = run_cli([*argv, "--days", "31", "--replicates", "3", "--resume",
                                 folder], capsys)
    assert code == 2 and stdout == ""
    assert err.splitlines() == [
        f"{PROG} compare: --resume {folder}: nothing was run; the job that made this folder "
        "differs: days 30 then, 31 now; replicates 2 then, 3 now",
        f"to continue it, give --resume {folder} alone (the job's own files and options "
        "are in the folder), or the same files and options it was started with; or leave "
        "out --resume to start a new folder"]
    assert {p: p.stat().st_mtime_ns for p in files_under(out)} == before
    code, _, err = run_cli([*argv[:2], *argv[3:], "--resume", folder], capsys)  # one gone
    assert code == 2 and len(err.splitlines()) == 2
    assert err.startswith(f"{PROG} compare: --resume {folder}: nothing was run; the job "
                          "that made this folder differs: 'Palatable activity' was in it\n")
    # the residents said with their numbers (a user check: "the model or interventions of
    # 'Baseline' and ... (an edited file, or --residents)" left the user to guess)
    code, _, err = run_cli([*argv, "--residents", "300", "--resume", folder], capsys)
    assert code == 2
    assert err.splitlines()[0] == (f"{PROG} compare: --resume {folder}: nothing was run; the "
                                   "job that made this folder differs: residents 200 then, "
                                   "300 now")


def test_resume_alone_takes_the_jobs_file_and_options_from_its_folder(ran, capsys,
                                                                      monkeypatch, tmp_path):
    """``run --resume DIR`` (and compare's) with no file and no option continues the job as
    it was started, from any folder (a user check had to type every option again): here a
    finished job, which it makes the outputs of again. Without --resume, no file is a
    one-line refusal."""
    *_, out = ran
    folder = next(out.iterdir())
    monkeypatch.chdir(tmp_path)  # its scenario path was relative to the folder it ran in
    code, stdout, err = run_cli(["run", "--resume", folder], capsys)
    assert code == 0, err
    assert "all 2 runs were already done: nothing to run" in err
    assert Path(stdout.strip()) == folder / "report.html"
    code, _, err = run_cli(["run"], capsys)
    assert code == 2 and err == ("python run.py run: give the scenario file to run, or "
                                 "--resume DIR alone to continue a job (see: python run.py "
                                 "run --help)\n")


def test_resume_alone_finds_files_given_by_relative_paths_from_another_folder(
        scen, capsys, monkeypatch):
    """The plan keeps the folder a job ran in, so that files given by relative paths are
    found by ``compare --resume DIR`` run from elsewhere."""
    root, paths, _ = scen
    monkeypatch.chdir(root)
    relative = [str(p.relative_to(root)) for p in paths[:2]]
    code, stdout, err = run_cli(["compare", *relative, *TINY, "--out", "results"], capsys)
    assert code == 0, err
    folder = (root / stdout.strip()).parent.resolve()
    (folder / "report.html").unlink()  # as if it stopped before its report
    elsewhere = root / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    code, stdout, err = run_cli(["compare", "--resume", folder], capsys)
    assert code == 0, err
    assert (folder / "report.html").is_file()


def test_resume_alone_refused_says_what_to_do_without_sending_the_user_round(scen, capsys):
    """A user check: --resume alone, refused for a file edited since, was told to "give
    --resume DIR alone", as it had; the main job given a comparison's folder was told the
    same. Each is now told what would continue it."""
    root, paths, _ = scen
    code, stdout, err = run_cli(["compare", *paths[:2], *TINY, "--out", root / "results"],
                                capsys)
    assert code == 0, err
    folder = Path(stdout.strip()).parent
    text = paths[1].read_text()
    paths[1].write_text(text.replace("end_day = 25", "end_day = 26"))  # edited since
    for given in ([], [*paths[:2], *TINY]):  # alone, or with its files and options
        code, _, err = run_cli(["compare", *given, "--resume", folder], capsys)
        assert code == 2 and len(err.splitlines()) == 2, err
        # the file named (a user check: the scenario's name alone left it to be found)
        assert err.splitlines()[0].endswith(f"(an edited file: {paths[1]}, or --residents)")
        assert err.splitlines()[1] == (
            "a scenario file it ran has changed since (or moved): put it back as it was to "
            "continue, or leave out --resume to start a new folder"), err
    paths[1].write_text(text)
    code, _, err = run_cli(["--resume", folder], capsys)  # the main job, a comparison's folder
    assert code == 2 and "its job compared files that are not the main job's" in err
    assert err.splitlines()[1].startswith("continue it with: ")
    assert err.splitlines()[1].endswith(f"run.py compare --resume {folder}"), err
    # a comparison of some of the main job's own files (a user check: it was given the
    # comparison's --days and refused for another file's start day)
    code, _, err = run_cli(["--scenarios", root / "scenarios", "--resume", folder], capsys)
    assert code == 2 and err.splitlines()[0] == (
        f"{PROG}: --resume {folder}: nothing was run; its job compared some of the files in "
        f"{root / 'scenarios'}/ (2 of {len(list((root / 'scenarios').glob('*.toml')))}), not "
        "all of them as the main job does"), err
    assert err.splitlines()[1].endswith(f"run.py compare --resume {folder}"), err
    code, _, err = run_cli(["run", "--resume", folder], capsys)  # one scenario's command
    assert code == 2 and err.splitlines() == [
        f"{PROG} run: --resume {folder}: nothing was run; its job compared 2 scenarios, and "
        "run runs one",
        err.splitlines()[1]] and err.splitlines()[1].endswith(f"compare --resume {folder}")


def test_run_writes_one_scenarios_outputs_without_effects(ran):
    code, stdout, err, argv, out = ran
    assert code == 0, err
    folder = Path(stdout.strip()).parent
    assert folder.parent == out and folder.name.endswith("-run")
    summary = pd.read_csv(folder / "summary.csv")
    assert set(summary.scenario) == {"More bridging ties"}
    assert not any(c.startswith("effect") for c in summary.columns)
    for name in ("report.html", "daily.csv.gz", "manifest.json", "charts/trust_out_group.png"):
        assert (folder / name).is_file(), name
    assert not (folder / "charts" / "effects.png").exists()
    text = (folder / "report.html").read_text()
    assert "id='decision'" not in text and "More bridging ties" in text


def test_a_second_job_gets_a_new_folder_and_resume_redoes_only_what_is_missing(ran, capsys):
    code, stdout, err, argv, out = ran
    first = Path(stdout.strip()).parent
    report_before = (first / "report.html").read_bytes()
    summary_before = (first / "summary.csv").read_text()

    # the same command again never touches the first folder
    code, stdout, err = run_cli(argv, capsys)
    assert code == 0, err
    second = Path(stdout.strip()).parent
    assert second != first and sorted(out.iterdir()) == sorted([first, second])
    assert (first / "report.html").read_bytes() == report_before

    # lose one run of the second job, as an interruption would; resume redoes just that one
    lost = second / "runs" / "more_bridging_ties" / "rep-0001.json"
    lost.unlink()
    code, stdout, err = run_cli([*argv, "--resume", second], capsys)
    assert code == 0, err
    assert Path(stdout.strip()) == second / "report.html"
    assert lost.is_file()
    manifest = json.loads((second / "manifest.json").read_text())
    assert manifest["runs"]["skipped_on_resume"] == 1 and manifest["runs"]["completed"] == 2
    # the same runs give the same summary as the uninterrupted first job
    assert (second / "summary.csv").read_text() == summary_before
    # it says what it kept (a user check: the terminal said nothing of the runs kept)
    assert "resumed: 1 of 2 runs were already done and kept; 1 ran now" in err
    assert "nothing to run" not in err
    # resumed again, with every run done: it says so, and writes the same outputs again
    code, stdout, err = run_cli([*argv, "--resume", second], capsys)
    assert code == 0, err
    assert "all 2 runs were already done: nothing to run" in err
    assert (second / "summary.csv").read_text() == summary_before


def test_resuming_a_finished_job_keeps_its_first_start_and_says_what_it_replaces(scen, capsys):
    """A user check: --resume on a finished folder (which runs nothing and makes the outputs
    again, as after an upgrade) replaced manifest.json's start with the resume's, so the
    job's own start was lost, and said nothing of the outputs it replaced. The first start
    stays, each session is listed with what it ran and kept, the report's metadata says when
    it was resumed, and the command line says what it replaces, and from when."""
    import os
    from datetime import UTC, datetime

    from sim.report.sections_details import when

    root, paths, _ = scen
    argv = ["compare", paths[0], paths[1], *TINY, "--out", root / "results"]
    code, stdout, err = run_cli(argv, capsys)
    assert code == 0, err
    folder = Path(stdout.strip()).parent
    manifest = json.loads((folder / "manifest.json").read_text())
    # a job started on another day (the runs take less than a second)
    first = "2026-01-02T03:04:05+00:00"
    manifest["started"] = first
    for s in manifest.get("sessions", []):
        s["started"] = first
    (folder / "manifest.json").write_text(json.dumps(manifest))
    (folder / "runs" / "baseline" / "rep-0001.json").unlink()  # one run lost

    code, _, err = run_cli([*argv[:-2], "--resume", folder], capsys)
    assert code == 0, err
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["started"] == first
    assert [(s["runs_run"], s["runs_kept"]) for s in manifest["sessions"]] == [(4, 0), (1, 3)]
    made = manifest["finished"]

    code, _, err = run_cli([*argv[:-2], "--resume", folder], capsys)
    assert code == 0, err
    assert (f"all 4 runs were already done: nothing to run; report.html, summary.csv and the "
            f"other outputs are made again from them, replacing those made on {when(made)}; "
            f"manifest.json keeps the job's first start ({when(first)}) and each session "
            "since") in " ".join(err.split())
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["started"] == first and len(manifest["sessions"]) == 3
    assert manifest["sessions"][-1]["runs_run"] == 0
    assert manifest["sessions"][-1]["finished"] == manifest["finished"]
    page = html.unescape((folder / "report.html").read_text())
    assert f"Kindliness simulation report, {when(first)}" in page
    assert f"<th>Started</th><td>{first}</td>" in page
    resumed = re.search(r"<th>Resumed</th><td>([^<]*)</td>", page).group(1)
    assert "(ran 1 and kept 3 runs); " in resumed and resumed.endswith(
        "(ran none and kept 4 runs)")

    # a job interrupted before its outputs: its start is when its plan was written
    for name in ("manifest.json", "report.html"):
        (folder / name).unlink()
    planned = datetime(2026, 2, 3, 4, 5, 6, tzinfo=UTC)
    os.utime(folder / "plan.json", (planned.timestamp(), planned.timestamp()))
    code, _, err = run_cli([*argv[:-2], "--resume", folder], capsys)
    assert code == 0, err
    assert "nothing to run; the outputs are made from them" in err
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["started"] == planned.isoformat(timespec="seconds")
    first_session = manifest["sessions"][0]
    assert first_session["interrupted"] is True
    assert (first_session["runs_run"], first_session["runs_kept"]) == (4, 0)  # its run files
    ends = [json.loads(p.read_text())["finished_at"]
            for p in folder.glob("runs/*/rep-*.json") if not p.name.endswith(".error.json")]
    assert first_session["finished"] is None  # it made no outputs
    assert first_session["last_run_finished"] == max(ends)
    # its code, from the plan (a user check: "not known"); this checkout's, in a test
    assert first_session["git_commit"] == manifest["git_commit"]
    assert manifest["git_commit"] is None or first_session["git_commit"] is not None


def test_a_missing_file_exits_2(tmp_path, capsys):
    code, _, err = run_cli(["run", tmp_path / "nope.toml", "--out", tmp_path / "r"], capsys)
    assert code == 2 and "nope.toml: file not found" in err
    assert not (tmp_path / "r").exists()


# -- help and the command table -----------------------------------------------------------------


@pytest.mark.parametrize("command", [[], ["compare"], ["run"]])
def test_help_explains_every_option(command, capsys):
    with pytest.raises(SystemExit) as exit_:
        cli.main([*command, "--help"])
    assert exit_.value.code == 0
    text = capsys.readouterr().out
    for option in ("--replicates", "--days", "--residents", "--seed", "--out", "--workers",
                   "--scheduler", "--resume"):
        assert option in text, option
    if command == ["compare"]:
        assert "--baseline" in text


def test_help_says_what_each_command_writes_and_compares(capsys):
    """A user check: compare --help named daily.csv (the file is daily.csv.gz); run --help
    said its replicates were "compared like for like" and defaulted from "the baseline
    file", for one scenario that is compared with nothing."""
    def helped(command):
        with pytest.raises(SystemExit):
            cli.main([command, "--help"])
        return " ".join(capsys.readouterr().out.split())

    compare = helped("compare")
    assert "daily.csv.gz" in compare and "daily.csv," not in compare
    assert "compared like for like" in compare
    run = helped("run")
    assert "baseline file" not in run and "compared like for like" not in run
    assert "files'" not in run and "must agree" not in run
    assert "(default: the file's [run] replicates)" in run


def test_no_message_counts_in_the_plural_with_a_bracketed_s():
    """A user check: "Comparing 1 scenario(s)", "1 intervention(s)": every count is said
    as one or as many."""
    import io
    import re
    import tokenize

    found = []
    for path in sorted((Path(cli.__file__).parent).rglob("*.py")):
        for tok in tokenize.generate_tokens(io.StringIO(path.read_text()).readline):
            if tok.type in (tokenize.STRING, getattr(tokenize, "FSTRING_MIDDLE", -1)) and \
                    re.search(r"[A-Za-z]\((s|es|ies)\)", tok.string):
                found.append(f"{path}:{tok.start[0]}: {tok.string}")
    assert not found, found


def test_help_lists_every_registered_command(capsys):
    with pytest.raises(SystemExit):
        cli.main(["--help"])
    text = capsys.readouterr().out
    for name in cli.COMMANDS:
        assert name in text


@pytest.mark.parametrize("name", [n for n, c in cli.COMMANDS.items() if c.module])
def test_every_command_parsed_by_its_module_provides_its_parts(name):
    """A command whose module is imported only when used: the module is there and gives
    add_arguments(parser) and run(args), and the main parser leaves its options to it."""
    import importlib

    module = importlib.import_module(cli.COMMANDS[name].module)
    assert callable(module.add_arguments) and callable(module.run)
    args = cli.build_parser().parse_args([name, "--its-own-option", "-h", "x"])
    assert args.command == name and args.rest == ["--its-own-option", "-h", "x"]


def test_a_registered_module_command_gets_its_arguments(monkeypatch, capsys):
    """calibrate is provided by sim.calibration.cli: its options reach its parser."""
    with pytest.raises(SystemExit) as exit_:
        cli.main(["calibrate", "--help"])
    assert exit_.value.code == 0
    assert "--targets" in capsys.readouterr().out


def test_an_interruption_before_the_plan_keeps_no_empty_folder(scen, capsys, monkeypatch):
    """Ctrl-C while the job is still starting (before plan.json): no --resume hint that
    would fail, and the dated folder, still empty, is removed."""
    from sim.commands import job

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(job, "_run_then_write", interrupted)
    root, paths, _ = scen
    out = root / "results"
    code, _, err = run_cli(["compare", paths[0], paths[1], *TINY, "--out", out], capsys)
    assert code == 130 and "before any run started" in err and "--resume" not in err
    assert list(out.iterdir()) == []


def test_a_full_disk_is_named_with_the_folder_and_the_way_to_continue(scen, capsys,
                                                                       monkeypatch):
    """A user check on a full disk: 'error: OSError: [Errno 28] No space left on device' and
    'kept: ...', with no word of which disk or of --resume. The disk fills as report.html is
    written (the runs have finished); the resume it gives writes the outputs from them."""
    import errno

    folder, lines, mended = _fail_writing_the_report(
        scen, capsys, monkeypatch, OSError(errno.ENOSPC, "No space left on device"))
    assert lines[0] == (f"error: writing report.html failed: the disk holding {folder} is "
                        "full (No space left on device); what finished is kept there")
    assert lines[1].startswith("free some space, then continue with: ")
    mended(lines[1])


def _fail_writing_the_report(scen, capsys, monkeypatch, problem: Exception,
                             file: str = "report.html"):
    """Compare two files with ``problem`` raised as report.html (or ``file``, another of
    the outputs) is written: the job's folder, its last two lines of stderr, and a function
    that, given the line offering the resume, mends the cause and checks that resume writes
    the report from the kept runs."""
    from sim.report import job as report_job

    writer = "write_csv_atomic" if file.endswith(".csv") else "write_text_atomic"
    real = getattr(report_job, writer)

    def failing(path, *args, **kwargs):
        if Path(path).name == file:
            raise problem
        return real(path, *args, **kwargs)

    monkeypatch.setattr(report_job, writer, failing)
    root, paths, _ = scen
    out = root / "results"
    code, _, err = run_cli(["compare", paths[0], paths[1], *TINY, "--out", out], capsys)
    (folder,) = out.iterdir()
    assert code == 1

    def mended(offer: str) -> None:
        again = shlex.split(offer.split("continue with: ", 1)[1])
        assert again[-2:] == ["--resume", str(folder)]
        monkeypatch.setattr(report_job, writer, real)
        code, _, err = run_cli(again[again.index("compare"):], capsys)
        assert code == 0 and "all 4 runs were already done" in err, err
        assert (folder / "report.html").exists()

    return folder, err.strip().splitlines()[-2:], mended


def test_a_job_failing_after_its_runs_keeps_them_and_says_how_to_finish(scen, capsys,
                                                                       monkeypatch):
    """A failure after the runs (a user check: an infinite cost made the report raise
    OverflowError as report.html was written) says the step it failed in, keeps every run in
    the folder, says which folder and the command that finishes the job from them; that
    command, once the cause is gone, writes the report without running anything again."""
    folder, lines, mended = _fail_writing_the_report(
        scen, capsys, monkeypatch, OverflowError("cannot convert float infinity to integer"))
    assert lines[0] == ("error: writing report.html failed: OverflowError: cannot convert "
                        "float infinity to integer")
    assert lines[1].startswith(f"kept: {folder}; once the cause is mended, continue with: ")
    assert len(list((folder / "runs").rglob("rep-*.csv.gz"))) == 4
    assert not (folder / "report.html").exists()
    # the folder says so too, until the report is written
    note = (folder / "unfinished.txt").read_text()
    assert note.startswith("This job stopped before writing its report: stopped by an error "
                           "(writing report.html failed: OverflowError: cannot convert float "
                           "infinity to integer)")
    assert lines[1].split("continue with: ", 1)[1] in note
    mended(lines[1])
    assert not (folder / "unfinished.txt").exists()


def test_a_failed_step_is_named_by_where_it_failed_not_by_the_progress_line_above(
        scen, capsys, monkeypatch):
    """summary.csv is written while the charts are drawn, under the progress line "drawing
    the charts ...": its failure names its own step, and the runs are kept as ever."""
    folder, lines, mended = _fail_writing_the_report(
        scen, capsys, monkeypatch, PermissionError(13, "Permission denied"), "summary.csv")
    assert lines[0] == ("error: writing summary.csv failed: PermissionError: [Errno 13] "
                        "Permission denied")
    assert lines[1].startswith(f"kept: {folder}; once the cause is mended, continue with: ")
    assert len(list((folder / "runs").rglob("rep-*.csv.gz"))) == 4
    mended(lines[1])


def test_a_job_says_when_it_compiles_the_model_first(scen, capsys, tmp_path):
    """After an install or an edit the first job compiles the model's kernels (about 40 s
    on two cores) before its first run: it says so before the runs start, rather than leave
    a progress bar whose first estimate (the compile read as the pace of every run) said an
    hour and a half; its last line says how much of the job the compile was (the report's
    times leave it out: a user saw "done in 1 min 05 s" beside the report's 22.3 s). Once the
    warm-up has compiled them it says nothing. (The kernels are on
    disk here, so the warm-up only loads them: the note of it, not the compile, is what a
    new install lacks, and it is taken away for the test.)"""
    import os
    from pathlib import Path

    import sim

    _, paths, _ = scen
    mark = Path(os.environ[sim.CACHE_ENV]) / sim._WARM_MARK
    mark.unlink(missing_ok=True)
    assert not sim.kernels_ready()
    code, _, err = run_cli(["run", paths[0], *TINY, "--out", tmp_path / "a"], capsys)
    assert code == 0 and "compiling the model first" in err
    assert err.index("compiling the model first") < err.index("done in")
    done = next(line for line in err.splitlines() if line.startswith("done in"))
    assert done.endswith("of it compiling the model, once)")
    assert sim.kernels_ready()  # the warm-up noted it
    code, _, err = run_cli(["run", paths[0], *TINY, "--out", tmp_path / "b"], capsys)
    assert code == 0 and "compiling" not in err


def test_the_command_to_continue_names_the_python_that_has_the_project(monkeypatch, tmp_path):
    """After Ctrl-C a job prints the command that continues it. After `make run` the Python
    with the project's packages is .venv/bin/python, not the 'python' on PATH (a user check:
    the printed 'python run.py ... --resume' ran another Python and failed): the command names
    the Python running the job, relative to the folder when it is inside it, and 'python' only
    when that is the same one; arguments with spaces are quoted."""
    import sys

    from sim.commands import shared

    venv_python = tmp_path / ".venv" / "bin" / "python"
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "executable", str(venv_python))
    monkeypatch.setattr(sys, "argv", ["run.py"])
    monkeypatch.setattr(shared.shutil, "which", lambda name: "/usr/bin/python")
    assert shared.command_again(["--days", "5", "--resume", "results/a b"]) == (
        ".venv/bin/python run.py --days 5 --resume 'results/a b'")
    monkeypatch.setattr(shared.shutil, "which", lambda name: str(venv_python))  # activated
    assert shared.command_again(["--days", "5"]) == "python run.py --days 5"
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")  # the Python is outside the folder: its path
    monkeypatch.setattr(shared.shutil, "which", lambda name: None)
    assert shared.command_again([]) == f"{venv_python} run.py"


def test_the_command_again_names_the_installed_command_as_the_shell_finds_it(tmp_path,
                                                                            monkeypatch):
    """The installed command after ``make run`` is .venv/bin/kindliness, not on PATH unless
    the environment is activated (a user check: 'continue with: kindliness ... --resume'
    said 'command not found'): the bare name only where PATH finds this one."""
    import sys

    from sim.commands import shared

    command = tmp_path / ".venv" / "bin" / "kindliness"
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(shared, "PROG", shared.INSTALLED_COMMAND)
    monkeypatch.setattr(sys, "argv", [str(command), "compare"])
    monkeypatch.setattr(shared.shutil, "which", lambda name: None)
    assert shared.command_again(["--resume", "r"]) == ".venv/bin/kindliness --resume r"
    monkeypatch.setattr(shared.shutil, "which", lambda name: str(command))  # activated
    assert shared.command_again(["--resume", "r"]) == "kindliness --resume r"


def test_a_comparison_of_few_paired_runs_is_warned_of_at_the_start_and_in_the_report(scen):
    tmp, paths, _ = scen
    one = ["--replicates", "1", "--days", "30", "--residents", "200", "--workers", "1"]
    code, _, stderr = _main(["compare", *map(str, paths), *one, "--out", str(tmp / "out")])
    assert code == 0
    assert stderr.startswith("warning: one paired run")  # before the runs
    (report,) = (tmp / "out").glob("*/report.html")
    page = report.read_text()
    assert "<strong>One paired run.</strong>" in page
    assert "n/a to n/a" not in page  # effects per GBP 10,000 say they have no interval
    assert "1 paired run each" in page and "of 1 paired run<" in page  # not "1 runs"
    # two runs: a warning of wide intervals; five: none
    code, _, stderr = _main(["compare", *map(str, paths), *TINY, "--out", str(tmp / "two")])
    assert code == 0 and "one paired run" not in stderr
    assert stderr.startswith("warning: only 2 paired runs")
    (report,) = (tmp / "two").glob("*/report.html")
    page = report.read_text()
    assert "One paired run" not in page and "<strong>Only 2 paired runs:</strong>" in page
    five = ["--replicates", "5", *TINY[2:]]
    code, _, stderr = _main(["compare", *map(str, paths), *five, "--out", str(tmp / "five")])
    assert code == 0 and "paired run" not in stderr
    (report,) = (tmp / "five").glob("*/report.html")
    assert "paired runs:</strong>" not in report.read_text()


def test_verdicts_before_the_community_settles_are_warned_of(scen):
    """The verdicts of a short run (the compare page's 180 days, a quick --days 300) come
    from a community still drifting from its starting state: said before the runs and at
    the top of the report, with the shortest run that escapes it; not said from then on."""
    from sim.params import SETTLED_DAY
    from sim.report.programmes import settled_days, steady_window

    tmp, paths, _ = scen
    shortest = settled_days()
    assert steady_window(shortest)[0] > SETTLED_DAY >= steady_window(shortest - 1)[0]
    said, stderrs = {}, {}
    for days in (300, shortest - 1, shortest):
        opts = ["--replicates", "2", "--days", str(days), "--residents", "100", "--workers", "1"]
        code, _, stderr = _main(["compare", *map(str, paths), *opts,
                                 "--out", str(tmp / f"d{days}")])
        assert code == 0, stderr
        (report,) = (tmp / f"d{days}").glob("*/report.html")
        stderrs[days] = stderr
        said[days] = ("still settling" in stderr, "<strong>A community still settling:</strong>"
                      in report.read_text())
    assert said == {300: (True, True), shortest - 1: (True, True), shortest: (False, False)}
    assert (f"warning: the verdicts will average days 226 to 300, while the simulated "
            f"community is still settling (it has mostly settled after about {SETTLED_DAY} "
            f"days); use --days {shortest} or more (730 is the standard) before deciding") \
        in stderrs[300]


def test_a_single_scenarios_report_says_nothing_of_a_comparison(ran):
    _, stdout, _, _, _ = ran
    page = Path(stdout.strip()).read_text()
    assert "What was run, and how" in page and "What was compared" not in page
    for words in ("against the baseline (grey)", "Hatched strip", "href=\"#costs\"",
                  "chances of being best", "paired runs", "paired effects", "paired run<"):
        assert words not in page, words


def test_a_single_scenarios_few_short_runs_are_warned_of_at_the_start_and_in_the_report(ran):
    """A user check: a 200-day run of 3 replicates said nothing of a community still settling
    nor of ranges resting on 3 runs, and its caveats spoke of "3 paired runs". Two runs of
    30 days here: both said, in the words of one scenario's runs."""
    from sim.params import SETTLED_DAY
    from sim.report.programmes import settled_days

    _, stdout, err, _, _ = ran
    before_runs = err[:err.index("Running ")]
    assert "warning: only 2 runs: the report's ranges (90% of runs) will rest on 2 runs" \
        in before_runs, err
    assert (f"warning: a run of 30 days ends before the simulated community has mostly "
            f"settled (after about {SETTLED_DAY} days); use --days {settled_days()}") \
        in before_runs, err
    page = " ".join(Path(stdout.strip()).read_text().split())
    assert "<strong>Only 2 runs:</strong> each range covering 90% of runs rests on these 2 " \
        "runs" in page
    assert ("<strong>A community still settling:</strong> a run of 30 days ends before the "
            f"simulated community has mostly settled from its starting state (about day "
            f"{SETTLED_DAY})") in page
    assert f"Run {settled_days():,} days or more." in page
    assert "<strong>Ranges show simulation noise only</strong> (2 runs)" in page
    assert "The levels given here are for day 30" in page


def test_a_name_with_an_emoji_is_drawn_without_a_flood_of_warnings(tmp_path):
    """A user check: a scenario called "Street party 🎉" printed about ten lines of
    matplotlib's "Glyph 127881 ... missing from font(s)" through the job's output."""
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[1]
    party = tmp_path / "party.toml"
    party.write_text('name = "Street party \U0001f389"\n'
                     f'extends = "{(root / "scenarios" / "third_space.toml").as_posix()}"\n')
    proc = subprocess.run(
        [sys.executable, "run.py", "compare", "scenarios/baseline.toml", str(party),
         "--replicates", "2", "--days", "120", "--residents", "150", "--workers", "1",
         "--out", str(tmp_path / "out")],
        cwd=root, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    assert "Glyph" not in proc.stderr and "Warning" not in proc.stderr, proc.stderr
    (report,) = (tmp_path / "out").glob("*/report.html")
    assert "Street party \U0001f389" in report.read_text(encoding="utf-8")


def test_a_package_installed_without_its_project_folder_is_refused_before_any_work(
        tmp_path, monkeypatch, capsys):
    """A user check: after a plain ``pip install .`` (sim/ alone in site-packages), kindliness
    compare ran every run, then failed for want of data/unit_costs.toml. Refused first."""
    shipped = Path(__file__).resolve().parents[1] / "scenarios"
    monkeypatch.setattr(cli, "PROJECT", tmp_path)  # a folder without data/
    code = cli.main(["compare", str(shipped / "baseline.toml"),
                     str(shipped / "third_space.toml"), "--out", str(tmp_path / "r")])
    err = capsys.readouterr().err
    assert code == 2 and "installed without its project folder" in err
    assert "pip install -e" in err and not (tmp_path / "r").exists()


def test_the_installed_command_names_itself_in_its_help_and_its_job_again(tmp_path):
    """A user check: ``kindliness --help`` said "usage: python run.py", and so did the command
    that runs a job again. Each says the name the user typed; run.py says run.py."""
    import sysconfig

    installed = Path(sysconfig.get_path("scripts")) / "kindliness"
    if not installed.exists():
        pytest.skip("the project is not installed in this Python (pip install -e .)")
    root = Path(__file__).resolve().parents[1]
    said = subprocess.run([str(installed), "compare", "--help"], capture_output=True,
                          text=True, cwd=tmp_path, timeout=120).stdout
    assert said.startswith("usage: kindliness compare") and "python run.py" not in said
    said = subprocess.run([sys.executable, "run.py", "compare", "--help"],
                          capture_output=True, text=True, cwd=root, timeout=120).stdout
    assert said.startswith("usage: python run.py compare")


@pytest.mark.parametrize("buffered", [True, False], ids=["buffered", "unbuffered"])
@pytest.mark.parametrize("command", [
    ["validate", "scenarios/baseline.toml", "scenarios/third_space.toml"],
    ["compare", "--help"],
    ["new-area", "Riverside ward", "--dir", "{tmp}"],
], ids=["validate", "help", "new-area"])
def test_output_into_a_reader_that_stopped_ends_quietly(command, buffered, tmp_path):
    """A user check: ``run.py new-area ... | head -3`` (and validate, --help) printed a
    BrokenPipeError traceback, or "unexpected ... please report it". The reader here has
    gone before the command writes (as ``head`` has after its lines): nothing is said, and
    the status is the shell's for a program ended by SIGPIPE, as cat or grep gives."""
    import os

    from sim.commands.shared import EXIT_READER_GONE

    root = Path(__file__).resolve().parents[1]
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    if not buffered:
        env["PYTHONUNBUFFERED"] = "1"
    read, write = os.pipe()
    os.close(read)  # the reader has gone: the command's first write meets a closed pipe
    try:
        proc = subprocess.run(
            [sys.executable, "run.py", *(a.format(tmp=tmp_path) for a in command)],
            cwd=root, stdout=write, stderr=subprocess.PIPE, text=True, env=env,
            timeout=300)
    finally:
        os.close(write)
    assert proc.stderr == ""
    # argparse itself drops a help it cannot write (unbuffered, the write fails in argparse)
    quiet_help = command[-1] == "--help" and not buffered
    assert proc.returncode == (0 if quiet_help else EXIT_READER_GONE)


def test_a_job_whose_reader_stops_reading_leaves_a_note(tmp_path):
    """A user check: ``compare ... 2>&1 | head -6`` ended the job (status 141, as a shell
    reports SIGPIPE) and left plan.json and runs/ with nothing to say it had stopped. It
    leaves unfinished.txt, with the runs kept and the command that continues it."""
    import os

    from sim.commands.job import UNFINISHED_NOTE
    from sim.commands.shared import EXIT_READER_GONE

    root = Path(__file__).resolve().parents[1]
    out = tmp_path / "results"
    proc = subprocess.Popen(
        [sys.executable, "run.py", "compare", "scenarios/baseline.toml",
         "scenarios/third_space.toml", "--replicates", "12", "--days", "240", "--residents",
         "300", "--workers", "1", "--out", str(out)], cwd=root, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True)
    for line in proc.stdout:  # the reader stops at the first progress line, as head would
        if line.startswith("runs:"):
            break
    proc.stdout.close()
    assert proc.wait(timeout=300) == EXIT_READER_GONE
    (folder,) = out.iterdir()
    note = (folder / UNFINISHED_NOTE).read_text()
    assert note.startswith("This job stopped before writing its report: the reader of its "
                           "output stopped reading (| head), at "), note
    assert re.search(r"\n\d+ of 24 runs finished; kept in runs/", note), note
    assert f"--resume {folder}" in note
    assert not (folder / "report.html").exists()
    # a reader gone before the plan is written (its first line meets a closed pipe): no
    # folder is left (a user check: an empty dated folder, "nothing to resume here")
    read, write = os.pipe()
    os.close(read)
    try:
        code = subprocess.run(
            [sys.executable, "run.py", "compare", "scenarios/baseline.toml",
             "scenarios/third_space.toml", "--replicates", "3", "--days", "240", "--residents",
             "300", "--workers", "1", "--out", str(tmp_path / "early")], cwd=root,
            stdout=write, stderr=write, timeout=300).returncode
    finally:
        os.close(write)
    assert code == EXIT_READER_GONE
    assert not (tmp_path / "early").exists() or list((tmp_path / "early").iterdir()) == []


def _progress_events(total: int, failed_at: int | None = None):
    from sim.ensemble.runner import Progress

    yield Progress(total, 0, 0, 0, "start")
    failed = 0
    for k in range(1, total + 1):
        failed += k == failed_at
        yield Progress(total, k - failed, failed, 0, "failed" if k == failed_at else "done")


def test_the_progress_of_a_job_logged_to_a_file_is_plain_lines(monkeypatch):
    """A user check: ``run.py compare ... 2> job.log`` (or a batch system's output file)
    held the bar's every redraw joined by carriage returns, one unreadable line. Off a
    terminal, a plain line each tenth of the runs; on one, the bar as before."""
    import io

    from sim.commands import job

    class Log(io.StringIO):
        def isatty(self):
            return False

    log = Log()
    monkeypatch.setattr(sys, "stderr", log)
    monkeypatch.setattr(job, "LOG_AFTER_S", 0.0, raising=False)  # as if runs took a while
    bar = job.ProgressBar("runs")
    for p in _progress_events(40, failed_at=7):
        bar(p)
    bar.close()
    lines = log.getvalue().splitlines()
    assert "\r" not in log.getvalue() and "\x1b" not in log.getvalue()
    assert len(lines) == job.LOG_STEPS
    assert lines[0].startswith("runs: 4 of 40 done (")
    assert lines[1].startswith("runs: 8 of 40 done, 1 failed (")
    assert lines[-1].startswith("runs: 40 of 40 done, 1 failed (")

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    screen = Terminal()
    monkeypatch.setattr(sys, "stderr", screen)
    bar = job.ProgressBar("runs")
    bar(next(_progress_events(40)))
    bar.bar.delay = 0  # shown at once
    for p in list(_progress_events(40))[1:]:
        bar(p)
    bar.close()
    assert "\r" in screen.getvalue() and "40/40" in screen.getvalue()


def test_a_long_job_logged_to_a_file_says_its_progress_every_minute_with_the_time_left(
        monkeypatch, tmp_path):
    """A user check: 200,000 runs logged to a file said nothing for 55 minutes between its
    tenths, and never how long was left; nor that they needed about 94 GB of disk. A line
    comes at least every minute, with the time left at this session's pace, and a job whose
    runs would not fit on its disk is warned of once its first run is there."""
    import io
    import shutil
    from collections import namedtuple

    from sim.commands import job
    from sim.ensemble.runner import Progress

    log = io.StringIO()
    monkeypatch.setattr(sys, "stderr", log)
    clock = iter(range(0, 10**6, 30))  # each run takes 30 s
    monkeypatch.setattr(job.time, "monotonic", lambda: float(next(clock)))
    bar = job.ProgressBar("runs")
    bar(Progress(1000, 0, 0, 0, "start"))
    for k in range(1, 7):
        bar(Progress(1000, k, 0, 0, "done"))
    lines = log.getvalue().splitlines()
    assert lines[0] == "runs: 2 of 1,000 done (1 min 00 s; about 8 h 19 min left)", lines
    assert len(lines) == 3  # every other run: each two runs is a minute
    assert job.fmt_duration(4.25) == "4.2 s" and job.fmt_duration(185) == "3 min 05 s"

    runs = tmp_path / "runs" / "baseline"
    runs.mkdir(parents=True)
    (runs / "rep-0000.json").write_bytes(b"x" * 100)
    (runs / "rep-0000.csv.gz").write_bytes(b"x" * 900_000)
    usage = namedtuple("usage", "total used free")
    monkeypatch.setattr(shutil, "disk_usage", lambda path: usage(10**12, 0, 5 * 10**9))
    log.truncate(0)
    log.seek(0)
    bar = job.ProgressBar("runs", tmp_path)
    bar(Progress(200_000, 0, 0, 0, "start"))
    bar(Progress(200_000, 1, 0, 0, "done"))
    bar(Progress(200_000, 2, 0, 0, "done"))  # said once
    said = [line for line in log.getvalue().splitlines() if line.startswith("warning:")]
    assert said == [f"warning: the 199,999 runs still to come need about 180 GB in "
                    f"{tmp_path / 'runs'}, and its disk has 5.0 GB free: the job will stop "
                    "when it is full (what finished is kept); use fewer --replicates or "
                    "--days, or --out on a larger disk"], said
    monkeypatch.setattr(shutil, "disk_usage", lambda path: usage(10**12, 0, 10**12))
    log.truncate(0)
    log.seek(0)
    bar = job.ProgressBar("runs", tmp_path)
    bar(Progress(200_000, 0, 0, 0, "start"))
    bar(Progress(200_000, 1, 0, 0, "done"))
    assert "warning" not in log.getvalue()


def test_a_quick_job_logged_to_a_file_says_no_progress(monkeypatch):
    """As the bar shows nothing for a job quicker than a second, neither do the lines."""
    import io

    from sim.commands import job

    log = io.StringIO()
    monkeypatch.setattr(sys, "stderr", log)
    bar = job.ProgressBar("runs")
    for p in _progress_events(40):
        bar(p)
    assert log.getvalue() == ""


# -- the messages the documents show ------------------------------------------------------------

REPO = Path(__file__).resolve().parents[1]


def _validate_in(folder: Path, files: dict[str, str], monkeypatch) -> list[str]:
    """``validate`` run in ``folder`` on ``scenarios/<name>.toml`` for each file (beside a
    copy of the shipped baseline), as a user in the project folder would: its lines."""
    (folder / "scenarios").mkdir(exist_ok=True)
    (folder / "scenarios" / "baseline.toml").write_text(
        (REPO / "scenarios" / "baseline.toml").read_text())
    for name, text in files.items():
        (folder / "scenarios" / f"{name}.toml").write_text(text)
    monkeypatch.chdir(folder)
    code, out, err = _main(["validate", *(f"scenarios/{n}.toml" for n in files)])
    assert code == 2, out + err
    return (out + err).splitlines()


def test_the_readmes_example_of_a_mistake_is_what_validate_says(tmp_path, monkeypatch):
    """A user check: README.md showed 'interventions[0].coverge: unknown key; did you mean
    'coverage'?', a key no intervention has. Its example is now the README's own scenario with
    start_day mistyped, and the lines shown are what validate prints for it."""
    readme = (REPO / "README.md").read_text()
    example = readme.split("```toml\n", 1)[1].split("```", 1)[0]
    assert "start_day = 90" in example
    shown = readme.split("$ python run.py validate scenarios/cafe.toml\n", 1)[1]
    shown = shown.split("```", 1)[0].splitlines()
    got = _validate_in(tmp_path, {"cafe": example.replace("start_day", "strat_day")},
                       monkeypatch)
    assert got == shown


def test_the_zero_dose_warning_scenarios_md_shows_is_what_validate_says(tmp_path):
    """docs/SCENARIOS.md's example of a programme at zero dose, as the loader says it."""
    from sim.scenario import validate_files

    path = tmp_path / "x.toml"
    path.write_text('name = "X"\n[[interventions]]\ntype = "shared_myth"\n'
                    'places_per_event = 0\n')
    (said,) = [str(p) for p in validate_files([path])]
    said = said.replace(str(path), "scenarios/x.toml")
    assert f"\n{said}\n" in (REPO / "docs" / "SCENARIOS.md").read_text(), said


@pytest.mark.parametrize("text", [
    '[[interventions]]\ntype = "third_space"\n[[interventions]]\ntype = "bridge_figures"\n'
    'strat_day = 90\n',
    '[[interventions]]\ntype = "bridge_figures"\nchoose_by = "betweeness"\n',
    '[[interventions]]\ntype = "third_space"\n[[interventions]]\ntype = "third_space"\n',
    '[[interventions]]\ntype = "third_space"\nextend_hub = "library"\n'
    'hub = { name = "c2", kind = "cafe", location = "boundary", capacity = 30 }\n',
    'extends = "basline.toml"\n',
], ids=["unknown key", "not allowed", "two called the same", "hub and extend_hub",
        "extends not found"])
def test_a_message_scenarios_md_shows_is_what_validate_says(text, tmp_path, monkeypatch):
    """docs/SCENARIOS.md's list of messages, checked against the loader (a user check found
    'interventions[0].mode' for what is now choose_by, a 'cannot be built' no longer said, a
    key no intervention has); the shipped scenarios' folder is shortened to '...' there."""
    from sim.scenario import merging

    listed = (REPO / "docs" / "SCENARIOS.md").read_text()
    # the copy is the shipped folder here, as scenarios/ is for a user in the project
    monkeypatch.setattr(merging, "SHIPPED_SCENARIOS", tmp_path / "scenarios")
    got = _validate_in(tmp_path, {"x": 'name = "X"\n' + text}, monkeypatch)[0]
    got = got.replace(str(tmp_path / "scenarios"), ".../scenarios")
    assert f"\n{got}\n" in listed
