"""``python run.py robustness`` as a command: its input checks (as compare's, where the two
share a rule), and how a job that stops says what it kept and how to continue."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim import cli
from sim.commands.shared import PROG
from tests.cli_files import B

REPO = Path(__file__).resolve().parents[1]


def snapshot(folder: Path) -> dict[str, float]:
    return {str(p.relative_to(folder)): p.lstat().st_mtime for p in folder.rglob("*")}


def refused(argv, capsys, folder: Path) -> str:
    """Run main(argv); check exit 2, nothing on stdout, nothing written; return stderr."""
    before = snapshot(folder)
    code = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    assert code == 2, (code, out, err)
    assert out == "" and "Traceback" not in err
    assert snapshot(folder) == before, "something was written"
    return err


def test_scenarios_of_two_communities_are_refused_as_compare_refuses_them(work, capsys):
    """A user check: the shipped baseline against a one-section area's option ran, and
    reported the places' differences as the option's effects; compare refused the same
    two files."""
    (work / "area.toml").write_text(
        'name = "Area"\n[run]\ndays = 30\nseed = 5\n'
        '[[population.sections]]\nname = "long_standing"\nshare = 1.0\n'
        '[[hubs]]\nname = "library"\nkind = "library"\nlocation = "boundary"\n'
        'capacity = 40\n'
        '[[interventions]]\ntype = "palatable_activity"\nstart_day = 10\n')
    files = ["a.toml", "area.toml"]
    said = refused(["compare", *files], capsys, work)
    err = refused(["robustness", *files, "--worlds", "2"], capsys, work)
    lines = err.strip().splitlines()
    assert lines[0].startswith("area.toml: not the same community as the baseline (a.toml); "
                               "differs in: population.sections")
    assert lines[:2] == said.strip().splitlines()[:2]  # the same words as compare's
    assert "new-area" in lines[-1]
    assert "--allow-different-community" not in err  # robustness has no such flag
    assert not (work / "results").exists()


def checked(argv):
    """robustness's checks of ``argv`` (nothing runs): (scenarios, metrics, warnings)."""
    from sim.robustness.cli import add_arguments, check_inputs
    from sim.usage import OneLineParser

    parser = OneLineParser(prog="robustness")
    add_arguments(parser)
    return check_inputs(parser.parse_args([str(a) for a in argv]))


def test_a_file_given_twice_is_run_once_with_a_warning_as_compare_does(work, capsys):
    """A user check: the same file twice was refused ("'A' is also the name of a.toml"),
    where compare warns and compares it once."""
    scenarios, _, warnings = checked(["a.toml", "b.toml", "./a.toml", "--worlds", "2"])
    assert [s.name for s in scenarios] == ["A", "B"]
    assert "warning: ./a.toml is given twice (also as a.toml); it is compared once" in warnings
    err = refused(["robustness", "a.toml", "a.toml", "--worlds", "2"], capsys, work)
    assert err.strip().splitlines() == [
        "a.toml is given twice; it is compared once",
        f"{PROG} robustness: needs a baseline and at least one other scenario file (got 1 "
        f"distinct file; see: {PROG} robustness --help)"]


def test_an_option_of_another_size_run_at_residents_is_warned_of_as_compare_does(work):
    """A user check: robustness ran an option of 10,200 residents at --residents 300 and
    gave it exactly another option's results, unsaid; compare warned of it."""
    (work / "big.toml").write_text('extends = "b.toml"\nname = "Big"\n[population]\n'
                                   'n_residents = 900\n')
    _, _, warnings = checked(["a.toml", "b.toml", "big.toml", "--worlds", "2",
                              "--residents", "300"])
    [said] = [w for w in warnings if "describes a community of" in w]
    assert said.startswith("warning: big.toml: 'Big' describes a community of 900 residents "
                           "and the baseline one of ")
    assert "every scenario here runs at 300 residents" in said


@pytest.mark.slow
def test_warnings_and_the_compile_notice_come_on_stderr_before_the_runs(work, capsys,
                                                                          monkeypatch):
    """A user check: robustness printed its warnings on stdout after the whole job (a file
    given twice was said minutes later, among the results) and never said it compiled the
    model first; compare says both on stderr before its runs."""
    import sim

    said_before_runs = []

    class Watching(cli.ProgressBar):
        def __call__(self, p):
            if not said_before_runs:
                said_before_runs.append(capsys.readouterr())
            super().__call__(p)

    monkeypatch.setattr(cli, "ProgressBar", Watching)
    monkeypatch.setattr(sim, "kernels_ready", lambda: False)  # as after an install
    code = cli.main(["robustness", "a.toml", "b.toml", "./a.toml", *TINY, "--out", "r"])
    assert code == 0
    (before,) = said_before_runs
    assert before.out == ""
    assert "warning: ./a.toml is given twice (also as a.toml); it is compared once" \
        in before.err
    assert "compiling the model first" in before.err
    assert "warning" not in capsys.readouterr().out


def test_an_unknown_metric_is_named_with_the_nearest_and_the_allowed(work, capsys):
    """A user check: --metrics foo said "unknown metric 'foo'; (allowed ..." (a stray
    semicolon where no near name was found)."""
    from sim.robustness.analysis import directed_metrics

    allowed = ", ".join(directed_metrics())
    err = refused(["robustness", "a.toml", "b.toml", "--worlds", "2", "--metrics", "foo",
                   "--metric", "unmet_neeed"], capsys, work)
    assert err.splitlines() == [
        f"{PROG} robustness: --metrics: unknown metric 'foo' (allowed: {allowed})",
        f"{PROG} robustness: --metric: unknown metric 'unmet_neeed'; did you mean "
        f"'unmet_need'? (allowed: {allowed})"], err


def test_a_metric_with_no_better_direction_is_refused(work, capsys):
    """A user check: --metric help_concentration --metrics hub_occupancy,help_within_section
    reported interventions that 'beat the baseline' and a best option on measures where
    neither higher nor lower is better (they were read as higher is better)."""
    err = refused(["robustness", "a.toml", "b.toml", "--worlds", "2", "--residents", "50",
                   "--metric", "help_concentration",
                   "--metrics", "hub_occupancy,unmet_need,help_within_section"], capsys, work)
    from sim.robustness.analysis import directed_metrics

    allowed = directed_metrics()
    assert "unmet_need" in allowed and "help_concentration" not in allowed
    lines = [line.removeprefix(f"{PROG} robustness: ") for line in err.strip().splitlines()]
    assert [line.split(":")[0] + " " + line.split("'")[1] for line in lines] == [
        "--metrics hub_occupancy", "--metrics help_within_section",
        "--metric help_concentration"]
    assert lines[-1].startswith("--metric: 'help_concentration' has no better direction "
                                "(neither higher nor lower is better), but each world's best "
                                "option is chosen on it; give a metric with a better "
                                f"direction (allowed: {', '.join(allowed)})")
    assert "would say only 'higher'" in lines[0]
    from sim.robustness import run_robustness
    from sim.scenario.loader import load_scenarios

    with pytest.raises(ValueError, match="no better direction"):  # the API too
        run_robustness(load_scenarios(["a.toml", "b.toml"]), work / "out",
                       metrics=["unmet_need"], primary="hub_occupancy")


TINY = ["--worlds", "2", "--replicates", "2", "--residents", "50", "--workers", "1"]


def stop_after(monkeypatch, runs: int, exc: BaseException):
    """The command line's progress bar raises ``exc`` once ``runs`` runs are done, as Ctrl-C
    or a lost cluster would land mid-job (workers=1: each run is written as it is done)."""
    class Stopping(cli.ProgressBar):
        def __call__(self, p):
            super().__call__(p)
            if p.status == "done" and p.n_done - p.n_skipped >= runs:
                raise exc

    monkeypatch.setattr(cli, "ProgressBar", Stopping)


def again(line: str, prefix: str) -> list[str]:
    """The command a 'continue with:' line gives, as argv for cli.main."""
    import shlex

    assert line.startswith(prefix), line
    words = shlex.split(line[len(prefix):])
    return words[words.index("robustness"):]


def outcomes(folder: Path):
    import json

    return json.loads((folder / "robustness.json").read_text())["outcomes"]


@pytest.mark.slow
def test_an_interrupted_job_keeps_its_runs_and_resumes_to_the_same_results(work, capsys,
                                                                           monkeypatch):
    """A user check: Ctrl-C said only "interrupted", and there was no --resume to continue
    the runs kept; a lost scheduler said "the runs that finished are kept" for a resume that
    did not exist."""
    argv = ["robustness", "a.toml", "b.toml", *TINY, "--out", "results"]
    stop_after(monkeypatch, 3, KeyboardInterrupt())
    assert cli.main(argv) == 130
    err = capsys.readouterr().err.strip().splitlines()
    (folder,) = (work / "results").iterdir()
    here = Path("results") / folder.name
    assert err[-2] == f"interrupted: 3 of 8 runs finished and are kept in {here}"
    assert "3 of 8 runs finished; kept in runs/" in (work / here / "unfinished.txt").read_text()
    resume = again(err[-1], "continue with: ")
    assert resume == ["robustness", "a.toml", "b.toml", *TINY, "--resume", str(here)]
    # a lost cluster, on the resume: exit 1, what is kept and the same way on
    from sim.ensemble import ClusterUnavailable

    stop_after(monkeypatch, 2, ClusterUnavailable(
        "lost the connection to the Dask scheduler at tcp://h:8786 (it stopped, or the network "
        "to it failed); the runs that finished are kept"))
    assert cli.main(resume) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-2] == ("error: lost the connection to the Dask scheduler at tcp://h:8786 (it "
                       "stopped, or the network to it failed)")
    assert err[-1].startswith(f"5 of 8 runs finished and are kept in {here}; once the cause "
                              "is mended, continue with: ")
    assert again(err[-1], err[-1].split("continue with: ")[0] + "continue with: ") == resume
    # another job's options: refused before anything runs
    other = [*resume[:4], "4", *resume[5:]]
    assert cli.main(other) == 2
    said = capsys.readouterr().err
    assert said.startswith(f"{PROG} robustness: --resume {here}: nothing was run; the job "
                           "that made this folder differs: --worlds 2 then, 4 now\n")
    assert said.splitlines()[1].startswith("to continue it, give --resume alone")
    monkeypatch.undo()
    monkeypatch.chdir(work)
    # --resume alone: the files and options are the folder's (as compare's)
    assert cli.main(["robustness", "--resume", str(here)]) == 0
    said = capsys.readouterr()
    # on stderr, as compare says it; stdout keeps the result alone
    assert "resumed: 5 of 8 runs were already done and kept; 3 ran now" in said.err
    assert "resumed" not in said.out
    # the same seeds give the same results as a job never interrupted
    assert cli.main([*argv[:-1], "whole"]) == 0
    capsys.readouterr()
    (whole,) = (work / "whole").iterdir()
    assert outcomes(folder) == outcomes(whole)


def test_a_resume_after_a_file_was_edited_names_the_scenario_not_its_world_runs(work,
                                                                               capsys):
    """A user check: the refusal listed the runs' own labels ("the model or interventions
    of 'w0000:B', 'w0001:B' ... (an edited file, or --residents)"), not the scenario."""
    assert cli.main(["robustness", "a.toml", "b.toml", *TINY, "--out", "results"]) == 0
    (folder,) = (work / "results").iterdir()
    capsys.readouterr()
    (work / "b.toml").write_text(B.replace("start_day = 10", "start_day = 12"))
    resume = ["robustness", "a.toml", "b.toml", *TINY, "--resume", str(folder)]
    assert cli.main(resume) == 2
    first = capsys.readouterr().err.splitlines()[0]
    assert first == (f"{PROG} robustness: --resume {folder}: nothing was run; the job that "
                     "made this folder differs: the model or interventions of 'B' (the "
                     "scenario file edited since: b.toml, or --residents)")
    # what to do: put the file back (a user check: told to give --resume alone, which is
    # refused the same way); --resume alone is told the same
    for command in (resume, ["robustness", "--resume", str(folder)]):
        assert cli.main(command) == 2
        assert capsys.readouterr().err.splitlines()[1] == (
            "a scenario file it ran has changed since (or moved): put it back as it was to "
            "continue, or leave out --resume to start a new folder")


def test_an_interruption_before_any_run_keeps_no_folder(work, capsys, monkeypatch):
    """Ctrl-C before the runs are planned: no --resume offered (there is nothing to resume),
    and the dated folder, empty but for what this job wrote, is taken away."""
    from sim.robustness import analysis

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(analysis, "world_runs", interrupted)
    assert cli.main(["robustness", "a.toml", "b.toml", *TINY, "--out", "results"]) == 130
    err = capsys.readouterr().err.strip().splitlines()[-2:]  # after the inputs' warnings
    assert err[0] == "interrupted before any run started: nothing was kept"
    assert err[1].startswith("start again with: ") and "--resume" not in err[1]
    assert again(err[1], "start again with: ") == ["robustness", "a.toml", "b.toml", *TINY]
    assert list((work / "results").iterdir()) == []
    # a folder of its own: said again (a user check: "start again with" dropped --out)
    assert cli.main(["robustness", "a.toml", "b.toml", *TINY, "--out", "mine"]) == 130
    err = capsys.readouterr().err.strip().splitlines()[-1]
    assert again(err, "start again with: ") == ["robustness", "a.toml", "b.toml", *TINY,
                                                 "--out", "mine"]


def test_a_resume_folder_that_is_not_a_robustness_jobs_is_refused(work, capsys):
    (work / "cmp").mkdir()
    (work / "cmp" / "plan.json").write_text("{}")
    err = refused(["robustness", "a.toml", "b.toml", *TINY, "--resume", "cmp"], capsys, work)
    from sim.commands.shared import command_again

    said = (f"{PROG} robustness: --resume cmp: nothing to resume here (no runs/plan.json; give "
            "the folder of an earlier robustness job) (it is a comparison's folder: continue it "
            "with "
            f"{command_again(['compare', '--resume', 'cmp'])})")
    assert err.strip() == said
    # with --resume alone, the same (a user check: "needs a baseline and at least one other
    # scenario file (got 0 files)")
    assert refused(["robustness", "--resume", "cmp"], capsys, work).strip() == said
    for files in (["a.toml", "b.toml", *TINY], []):
        err = refused(["robustness", *files, "--resume", "nope"], capsys, work)
        assert err.strip() == (f"{PROG} robustness: --resume nope: does not exist; give "
                               "the folder of an earlier robustness job")
