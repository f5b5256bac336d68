"""Every command refuses bad input the same way: exit 2, one line per problem naming what was
given, what is wrong and what to do, no traceback, and nothing written (no dated folder, no
plan.json). Each reproduction of issue 12 is here, with the other careless or hostile inputs
that belong with it.

``main(argv)`` is called in this process wherever a subprocess is not what is tested; nearly
every case is refused before a run starts, so the module takes seconds. The scheduler cases
use a real socket that refuses, stays silent or answers in HTTP (a real Dask scheduler is in
test_cluster.py).
"""

from __future__ import annotations

import contextlib
import http.server
import os
import socket
import threading
import time
from pathlib import Path

import pytest

from sim import cli
from sim.commands.shared import PROG
from tests.cli_files import A, B

REPO = Path(__file__).resolve().parents[1]
SCENARIOS = REPO / "scenarios"


def snapshot(folder: Path) -> dict[str, float]:
    return {str(p.relative_to(folder)): p.lstat().st_mtime
            for p in folder.rglob("*")} if folder.exists() else {}


def refused(argv, capsys, folder: Path, *, lines: int | None = 1) -> str:
    """Run main(argv); check exit 2, nothing written under ``folder``, no traceback, and
    (unless None) that many lines on stderr; return stderr."""
    before = snapshot(folder)
    try:
        code = cli.main([str(a) for a in argv])
    except SystemExit as exc:  # refused while parsing (a --seed out of range), exit 2 too
        code = exc.code
    out, err = capsys.readouterr()
    assert code == 2, (code, out, err)
    assert out == ""
    assert "Traceback" not in err and "Error:" not in err.split(":", 1)[0], err
    if lines is not None:
        assert len(err.strip().splitlines()) == lines, err
    assert snapshot(folder) == before, "something was written"
    return err


def argparse_refused(argv, capsys) -> str:
    with pytest.raises(SystemExit) as exit_:
        cli.main([str(a) for a in argv])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "--help" in err, err
    return err


# -- overrides are checked like file values, and against each scenario --------------------------


def test_main_job_shorter_than_every_intervention_is_refused(tmp_path, capsys):
    """Issue: `run.py --days 60 --residents 200 --replicates 2` ran every shipped intervention
    (all start on day 90 or later) for nothing, silently."""
    out = tmp_path / "results"
    err = refused(["--scenarios", SCENARIOS, "--days", "60", "--residents", "200",
                   "--replicates", "2", "--out", out], capsys, tmp_path, lines=None)
    lines = err.strip().splitlines()
    shipped = [p.name for p in SCENARIOS.glob("*.toml") if p.name != "baseline.toml"]
    assert len(lines) >= len(shipped)
    for name in shipped:
        assert any(name in line for line in lines), name
    assert "'third_space' starts on day 90, after the run ends (--days 60), so it would never " \
        "act: give --days 90 or more" in err
    assert not out.exists()


@pytest.mark.parametrize("flags, says", [
    (["--residents", "1"], "--residents: 1 is out of range: must be between 10 and 5,000,000"),
    (["--residents", "100000000"], "--residents: 100000000 is out of range"),
    (["--days", "999999999"], "--days: 999999999 is out of range: must be between 1 and 36,500"),
    (["--days", "0"], "--days: 0 is out of range"),
    (["--days", "-5"], "--days: -5 is out of range"),
    (["--replicates", "0"], "--replicates: 0 is out of range: must be between 1 and 100,000"),
    (["--seed", "-1"], "--seed: -1 is out of range"),
    (["--seed", str(2**63)], "--seed: 9223372036854775808 is out of range: must be between 0 "
     "and 9,223,372,036,854,775,807"),
    (["--days", "5"], "'palatable_activity' starts on day 10, after the run ends (--days 5)"),
])
def test_run_and_compare_check_overrides(work, capsys, flags, says):
    from sim.commands.shared import PROG

    for command in (["run", "b.toml"], ["compare", "a.toml", "b.toml"]):
        err = refused([*command, *flags, "--workers", "1", "--out", "results"], capsys, work)
        assert says in err, err
        if says.startswith("--"):  # an option's own refusal, led as the parser's are
            assert err.strip().startswith(f"{PROG} {command[0]}: {flags[0]}: "), err


@pytest.mark.parametrize("module", ["sim.robustness.cli", "sim.calibration.cli",
                                    "sim.validation.places_cli"])
def test_the_commands_with_a_seed_take_the_largest_and_no_more(module):
    """The seed's bound in every place it is checked: 2^63-1 taken, 2^63 refused (the
    pages: test_app_scenario_files.py; run, compare and validate: the files' run.seed)."""
    import argparse
    import importlib

    parser = argparse.ArgumentParser()
    importlib.import_module(module).add_arguments(parser)
    [seed] = [a for a in parser._actions if "--seed" in a.option_strings]
    assert seed.type(str(2**63 - 1)) == 2**63 - 1
    with pytest.raises(argparse.ArgumentTypeError, match="out of range"):
        seed.type(str(2**63))


def test_validate_takes_the_largest_seed(work, capsys):
    assert cli.main(["validate", "a.toml", "--seed", str(2**63 - 1)]) == 0


def test_validate_checks_files_with_the_options_they_will_run_with(work, capsys):
    assert cli.main(["validate", "a.toml", "b.toml"]) == 0
    capsys.readouterr()
    err = refused(["validate", "a.toml", "b.toml", "--days", "5"], capsys, work, lines=2)
    assert "b.toml: interventions[0].start_day" in err and "give --days 10 or more" in err


# -- validate refuses what compare would fail on -----------------------------------------------

LONG_NAME = "x" * 300


@pytest.mark.parametrize("text, says", [
    (f'name = "{LONG_NAME}"\n', "name: is 300 characters long; a scenario name may have at "
                                "most 80"),
    ('name = "C\\u0000nul"\n', "name: contains the control character U+0000"),
    ('name = "C\\u001b[31mred"\n', "name: contains the control character U+001B"),
    ('name = "C"\ndescription = "bell \\u0007"\n', "description: contains the control "
                                                    "character U+0007"),
    ('name = "C"\n[[interventions]]\ntype = "shared_myth"\nstart_day = 0\n',
     "interventions[0].start_day: 0 is out of range: must be between 1 and 36,500"),
    ('name = "C"\n[[interventions]]\ntype = "shared_myth"\nname = "../../etc"\n',
     "interventions[0].name: '../../etc' is not allowed"),
    ('name = "C"\n[run]\ndays = 999999999\n', "run.days: 999999999 is out of range"),
    ('name = "a"\n', "give the same folder name 'a' for their runs"),  # slug of "A"
])
def test_validate_refuses_what_compare_would_fail_on(work, capsys, text, says):
    (work / "c.toml").write_text(text)
    err = refused(["validate", "a.toml", "c.toml"], capsys, work, lines=2)
    assert f"c.toml: {says}" in err or says in err, err
    err = refused(["compare", "a.toml", "c.toml", "--out", "results"], capsys, work)
    assert says in err


def test_empty_hub_lists_are_warned_about_and_validate_still_passes(work, capsys):
    (work / "c.toml").write_text('name = "C"\nhubs = []\n[[interventions]]\n'
                                 'type = "palatable_activity"\nhubs = []\n')
    assert cli.main(["validate", "c.toml"]) == 0
    out = capsys.readouterr().out
    assert "interventions[0].hubs: warning: an empty list here means every hub" in out
    assert "'palatable_activity' acts at hubs" in out and "c.toml: ok" in out


@pytest.mark.parametrize("kind", ["fifo", "device", "link_loop", "folder", "huge", "deep",
                                  "utf16"])
def test_unusable_paths_are_refused_by_every_command(work, capsys, kind):
    """validate on a FIFO hung; /dev/zero was read until memory ran out; a 48 MB file was
    accepted; a link loop, deep nesting or a BOM gave a traceback or a puzzle."""
    path = work / "c.toml"
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "device":
        path.symlink_to("/dev/zero")
    elif kind == "link_loop":
        path.symlink_to("c.toml")
    elif kind == "folder":
        path.mkdir()
    elif kind == "huge":
        path.write_bytes(b'name = "C"\n' + b"#" * 1_100_000 + b"\n")
    elif kind == "deep":
        path.write_text('name = "C"\nx = ' + "[" * 5000 + "]" * 5000 + "\n")
    else:
        path.write_bytes('name = "C"\n'.encode("utf-16"))
    t0 = time.monotonic()
    for argv in (["validate", path], ["run", path, "--out", "results"],
                 ["compare", "a.toml", path, "--out", "results"]):
        err = refused(argv, capsys, work, lines=2 if argv[0] == "validate" else 1)
        assert "c.toml: " in err
    (work / "d.toml").write_text('name = "D"\nextends = "c.toml"\n')
    err = refused(["validate", "d.toml"], capsys, work, lines=2)
    assert "extends: " in err or "(while loading d.toml, which extends c.toml)" in err, err
    assert time.monotonic() - t0 < 10


def test_a_byte_order_mark_is_accepted(work, capsys):
    (work / "c.toml").write_bytes(b"\xef\xbb\xbf" + b'name = "C"\n')
    assert cli.main(["validate", "c.toml"]) == 0
    assert "c.toml: ok" in capsys.readouterr().out


# -- where outputs go ------------------------------------------------------------------------


def _plan_folder(work: Path, plan_text: str | None = None, runs_file: bool = False) -> Path:
    """A folder as an earlier job would leave it: plan.json (or ``plan_text``) and runs/."""
    from sim.ensemble import make_plan, store
    from sim.scenario import load_scenarios

    folder = work / "earlier"
    folder.mkdir()
    if plan_text is None:
        scenarios = load_scenarios([work / "a.toml", work / "b.toml"])
        store.write_json_atomic(folder / "plan.json", make_plan(scenarios))
    else:
        (folder / "plan.json").write_text(plan_text)
    if runs_file:
        (folder / "runs").write_text("not a folder")
    return folder


@pytest.mark.parametrize("case, says", [
    ("out_is_file", "--out results: is a file, not a folder"),
    ("out_under_file", "is a file, so no folder can be made there"),
    ("out_unwritable", "cannot make a folder there"),
    ("resume_missing", "--resume nowhere: does not exist"),
    ("resume_file", "--resume results: is not a folder"),
    ("plan_empty_list", "plan.json does not hold an ensemble plan"),
    ("plan_not_json", "plan.json is not valid JSON"),
    ("plan_empty", "nothing to resume here (no plan.json"),
    ("runs_is_file", "runs is not a folder"),
    ("robustness_folder", "--resume earlier: this is a robustness job's folder; continue it "
     "with: python run.py robustness --resume earlier"),
])
@pytest.mark.parametrize("files", [True, False], ids=["files", "resume-alone"])
def test_output_folders_that_cannot_be_used_are_refused(work, capsys, case, says, files):
    """compare --out at an existing file or a read-only folder, --resume on a plan.json that
    holds [] or a runs that is a file: tracebacks before. With --resume alone (no files,
    where the folder's --out cases give the files), the folder's own problem (a user check:
    "needs a baseline and at least one other scenario file")."""
    alone = not files and not case.startswith("out")
    args = ["compare", *([] if alone else ["a.toml", "b.toml"]), "--workers", "1"]
    if case == "out_is_file":
        (work / "results").write_text("")
        args += ["--out", "results"]
    elif case == "out_under_file":
        (work / "results").write_text("")
        args += ["--out", "results/new"]
    elif case == "out_unwritable":  # /proc refuses new folders, even to root
        args += ["--out", "/proc/kindliness-results"]
    elif case == "resume_missing":
        args += ["--resume", "nowhere"]
    elif case == "resume_file":
        (work / "results").write_text("")
        args += ["--resume", "results"]
    elif case == "plan_empty":
        (work / "earlier").mkdir()
        args += ["--resume", "earlier"]
    elif case == "robustness_folder":  # its runs' plan one level down: runs/plan.json
        (work / "earlier" / "runs").mkdir(parents=True)
        (work / "earlier" / "runs" / "plan.json").write_text("{}")
        args += ["--resume", "earlier"]
    else:
        text = {"plan_empty_list": "[]", "plan_not_json": "{", "runs_is_file": None}[case]
        args += ["--resume", _plan_folder(work, text, runs_file=case == "runs_is_file")]
    err = refused(args, capsys, work)
    assert says in err, err
    if case.startswith("plan") or case == "runs_is_file":
        assert "cannot be resumed" in err or "nothing to resume" in err


@pytest.mark.parametrize("command", ["compare", "run", "main"])
@pytest.mark.parametrize("empty", ["", " "])
def test_an_empty_output_folder_name_is_refused(work, capsys, command, empty):
    """A user check: --out "" wrote the dated folder into the current folder (Path("") is
    ".")."""
    area = work / "area"  # the main job's folder
    area.mkdir()
    (area / "baseline.toml").write_text(A)
    (area / "b.toml").write_text(B.replace("a.toml", "baseline.toml"))
    args = {"compare": ["compare", "a.toml", "b.toml"], "run": ["run", "a.toml"],
            "main": ["--scenarios", area]}[command]
    err = refused([*args, "--workers", "1", "--out", empty], capsys, work)
    prog = PROG if command == "main" else f"{PROG} {command}"  # led by the command
    assert err.startswith(f"{prog}: --out {empty!r}: not a folder name"), err


@pytest.mark.parametrize("command", ["compare", "run", "main"])
def test_a_bad_output_folder_is_listed_with_the_files_problems(work, capsys, command):
    """Where the outputs would go is checked with the files, and every problem is listed at
    once (QA: --out at a file was reported only after the files' problem was fixed)."""
    (work / "results").write_text("")
    (work / "late.toml").write_text(B.replace("start_day = 10", "start_day = 99"))
    area = work / "area"  # the main job's folder: its baseline and the late option
    area.mkdir()
    (area / "baseline.toml").write_text(A)
    (area / "late.toml").write_text(B.replace("a.toml", "baseline.toml")
                                    .replace("start_day = 10", "start_day = 99"))
    argv = {"compare": ["compare", "a.toml", "late.toml"], "run": ["run", "late.toml"],
            "main": ["--scenarios", str(area)]}[command]
    err = refused(argv + ["--days", "30", "--out", "results", "--workers", "1"], capsys, work,
                  lines=None)
    assert "late.toml: interventions[0].start_day" in err, err
    assert "--out results: is a file, not a folder" in err, err


def test_an_output_folder_that_refuses_new_folders_is_listed_with_the_files_problems(
        work, capsys):
    """Permission bits passed /proc (a user check: --out /proc/nope was said only after the
    files' problem was mended, once the folder could not be made): the folder is tried."""
    if not os.path.isdir("/proc") or not os.access("/proc", os.W_OK):
        pytest.skip("needs a /proc whose permission bits allow writing (Linux as root)")
    (work / "late.toml").write_text(B.replace("start_day = 10", "start_day = 99"))
    err = refused(["compare", "a.toml", "late.toml", "--days", "30", "--out", "/proc/nope",
                   "--workers", "1"], capsys, work, lines=None)
    assert "late.toml: interventions[0].start_day" in err, err
    assert "--out /proc/nope: cannot make a folder there" in err, err
    assert not [p for p in os.listdir(work) if p.startswith(".kindliness-check-")]


@pytest.mark.parametrize("command", [["compare", "a.toml", "b.toml"], ["run", "a.toml"],
                                     ["calibrate"]])
def test_workers_out_of_range_are_refused(work, capsys, command):
    """In the words of every other range, the command's name first (a user check: "must be
    at least 1, got 0"; then --workers 1000 was said without "python run.py compare:")."""
    for workers in ("100000", "0"):
        err = argparse_refused([*command, "--workers", workers, "--out", "results"], capsys)
        assert err.startswith(f"python run.py {command[0]}: --workers: {workers} is out of "
                              "range: must be from 1 to "), err
        assert "on this computer (four per core" in err
    assert not (work / "results").exists()


# -- a scheduler that cannot be used -----------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def _server(kind: str):
    """A real server on 127.0.0.1 that is not a Dask scheduler: Python's HTTP server (silent
    until asked), or one that answers every connection in HTTP at once (a proxy)."""
    if kind == "http_server":
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                                 http.server.SimpleHTTPRequestHandler)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"tcp://127.0.0.1:{server.server_address[1]}"
        finally:
            server.shutdown()
            server.server_close()
        return
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    listener.settimeout(0.2)
    stop = threading.Event()

    def answer():
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                continue
            with conn:
                conn.sendall(b"HTTP/1.1 407 Proxy Authentication Required\r\n\r\n")

    thread = threading.Thread(target=answer, daemon=True)
    thread.start()
    try:
        yield f"tcp://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        stop.set()
        thread.join(2)
        listener.close()


@pytest.mark.parametrize("kind, says", [
    ("refused", "nothing is listening at tcp://127.0.0.1:"),
    ("not_an_address", "'foo' is not a scheduler address: expected tcp://HOST:PORT"),
    ("bad_port", "port 99999 is not a port number"),
    ("other_scheme", "'ucx://127.0.0.1:8786': the protocol 'ucx://' cannot be used here; "
                     "accepted: tcp://HOST:PORT (or HOST:PORT), and tls://HOST:PORT with "
                     "Dask's TLS settings in its configuration"),
    ("http_proxy", "answered, but not as a Dask scheduler (it speaks HTTP"),
    ("http_server", "accepted the connection but sent no greeting"),
])
def test_a_scheduler_that_cannot_be_used_fails_fast_leaving_nothing(work, capsys, kind, says):
    """--scheduler tcp://127.0.0.1:1 took 36 s and left plan.json; foo took 66 s; an HTTP
    proxy gave MemoryError: Unable to allocate 3.07 EiB."""
    with contextlib.ExitStack() as stack:
        address = {"refused": f"tcp://127.0.0.1:{_free_port()}", "not_an_address": "foo",
                   "bad_port": "tcp://127.0.0.1:99999",
                   "other_scheme": "ucx://127.0.0.1:8786"}.get(kind)
        if address is None:
            address = stack.enter_context(_server(kind))
        t0 = time.monotonic()
        err = refused(["compare", "a.toml", "b.toml", "--scheduler", address,
                       "--out", "results"], capsys, work)
        took = time.monotonic() - t0
    assert err.startswith(f"{PROG} compare: --scheduler: ") and says in err, err
    assert took < 10, f"took {took:.1f} s"
    assert not (work / "results").exists()


def test_a_scheduler_without_the_cluster_extra_is_bad_input(work, capsys, monkeypatch):
    """Without dask.distributed installed the job made its folder and failed after it
    (exit 1, "continue with --resume"): no scheduler can be used, said at the flag."""
    import sys

    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed: ImportError
    err = refused(["compare", "a.toml", "b.toml", "--scheduler", "tcp://127.0.0.1:8786",
                   "--out", "results"], capsys, work)
    assert err.startswith(f"{PROG} compare: --scheduler: running on a Dask cluster needs "
                          'the cluster extra: pip install -e ".[cluster]"'), err
    assert not (work / "results").exists()


# -- robustness and calibrate ------------------------------------------------------------------


@pytest.mark.parametrize("extra, says", [
    (["missing.toml"], "missing.toml: file not found"),
    (["--worlds", "0"], "robustness: --worlds: 0 is out of range"),
    (["--replicates", "0"], "robustness: --replicates: 0 is out of range"),
    (["--workers", "0"], "robustness: --workers: 0 is out of range"),
    (["--metric", "unmet"], "--metric: unknown metric 'unmet'; did you mean 'unmet_need'?"),
    (["--metrics", "trust,unmet_need"], "--metrics: unknown metric 'trust'"),
    (["--days", "-5"], "--days: -5 is out of range"),
    (["--days", "5"], "'palatable_activity' starts on day 10, after the run ends (--days 5)"),
    (["--method", "sobol", "--worlds", "3"], "must be a power of two"),
    (["--out", "a.toml"], "--out a.toml: is a file, not a folder"),
    (["--scheduler", "foo"], "--scheduler: 'foo' is not a scheduler address"),
])
def test_robustness_refuses_bad_input_before_making_a_folder(work, capsys, extra, says):
    """Six tracebacks and six empty dated folders before."""
    files = ["missing.toml"] if extra == ["missing.toml"] else ["a.toml", "b.toml"]
    options = [] if extra == ["missing.toml"] else extra
    argv = ["robustness", *files, *options, "--worlds" if "--worlds" not in options else "",
            "2" if "--worlds" not in options else ""]
    argv = [a for a in argv if a]
    if says.startswith("robustness: "):  # refused by the option's type, as argparse does
        err = argparse_refused(argv, capsys)
    else:
        err = refused(argv, capsys, work, lines=None)
    assert says in err, err
    assert not (work / "results").exists()


def test_robustness_names_a_file_with_another_seed_without_offering_its_own_seed(work,
                                                                                 capsys):
    """robustness's --seed draws the worlds, not the runs: a file whose [run] seed differs
    from the baseline's is told to change its file, not to give --seed."""
    (work / "c.toml").write_text('name = "C"\nextends = "a.toml"\n[run]\nseed = 6\n')
    err = refused(["robustness", "a.toml", "c.toml", "--worlds", "2"], capsys, work)
    assert err.strip() == (
        "c.toml: run.seed: 6, but the baseline (a.toml) has 5; the runs of a comparison are "
        "paired on one root seed, so every file needs the same [run] seed: set seed = 5 in "
        "its [run] table, or delete its seed to take the baseline's")


def test_compare_of_one_missing_file_says_both_problems(work, capsys):
    """QA: `compare nosuch.toml` said only that compare needs two files."""
    err = refused(["compare", "nosuch.toml"], capsys, work, lines=2)
    assert "nosuch.toml: file not found" in err
    assert "needs a baseline and at least one other scenario file (got 1 file; see: " in err


@pytest.mark.parametrize("command", ["compare", "robustness"])
def test_one_broken_file_alone_says_what_is_wrong_with_it(work, capsys, command):
    """A user check: `compare broken.toml` (a syntax error) said only that compare needs
    two files; mistakes are reported all at once."""
    (work / "broken.toml").write_text('name = "x\n[[[')
    err = refused([command, "broken.toml"], capsys, work, lines=2)
    assert "broken.toml: line 1, column 10: TOML syntax error" in err
    assert "needs a baseline and at least one other scenario file (got 1" in err


def test_robustness_needs_two_scenarios(work, capsys):
    err = refused(["robustness", "a.toml"], capsys, work)
    assert "needs a baseline and at least one other scenario file (got 1 file; see: " in err


@pytest.mark.parametrize("case, says", [
    ("fifo", "--targets t.toml: is a named pipe (FIFO)"),
    ("missing", "--targets t.toml: file not found"),
    ("scenario", "--targets t.toml: not a targets file: it has no [targets.<name>] tables, "
                 "only name, description, run (is it a scenario file?)"),
    ("wrong_shape", "--targets t.toml: targets: expected tables such as [targets.favours], "
                    "got 5"),
    ("out_is_file", "--out a.toml: is a file, not a folder"),
])
def test_calibrate_refuses_bad_input_before_any_work(work, capsys, case, says):
    argv = ["calibrate", "--targets", "t.toml"]
    if case == "fifo":
        os.mkfifo(work / "t.toml")
    elif case == "scenario":
        (work / "t.toml").write_text(A)
    elif case == "wrong_shape":
        (work / "t.toml").write_text("targets = 5\n")
    elif case == "out_is_file":
        argv = ["calibrate", "--out", "a.toml"]
    err = refused(argv, capsys, work)
    assert says in err, err


@pytest.mark.parametrize("argv", [["calibrate", "--residents", "0"],
                                  ["calibrate", "--workers", "0"],
                                  ["calibrate", "--seeds", "abc"]])
def test_calibrate_option_types(argv, capsys):
    argparse_refused(argv, capsys)


# -- the visualiser's options ------------------------------------------------------------------


@pytest.mark.parametrize("port", ["99999", "-1", "0", "http"])
def test_viz_refuses_a_port_that_is_not_one(port, capsys):
    """viz --port 99999 and --port -1: OverflowError tracebacks before."""
    assert "viz: --port" in argparse_refused(["viz", "--no-browser", "--port", port], capsys)


def test_viz_refuses_a_port_in_use_and_a_host_not_here(work, capsys):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        err = refused(["viz", "--no-browser", "--port", port], capsys, work)
        assert f"--port {port}: already in use on 127.0.0.1" in err
    err = refused(["viz", "--no-browser", "--host", "192.0.2.1"], capsys, work)
    assert "--host 192.0.2.1: not an address of this machine" in err


# -- the rest of the contract ------------------------------------------------------------------


def test_argument_errors_are_one_line_with_the_fix(capsys):
    err = refused(["compare"], capsys, REPO / "results")  # FILE left out: --resume only
    assert err == ("python run.py compare: give the scenario files to compare "
                                 "(the baseline first), or --resume DIR alone to continue a "
                                 "job (see: python run.py compare --help)\n")
    assert "'abc' is not a whole number" in argparse_refused(["--days", "abc"], capsys)
    assert "invalid choice: 'compar'" in argparse_refused(["compar"], capsys)
    assert "did you mean 'compare'?" in argparse_refused(["comapre", "a.toml"], capsys)
    # an option's problem starts with the option, as the commands' own checks do
    said = argparse_refused(["compare", "a.toml", "--seed", "abc"], capsys)
    assert said.startswith("python run.py compare: --seed: 'abc' is not a whole number in "
                           "plain digits"), said
    assert said.endswith("e.g. 42 (see: python run.py compare --help)\n"), said


@pytest.mark.parametrize("argv, says", [
    (["compare", "a.toml", "b.toml", "--replciates", "3"],
     "python run.py compare: unrecognized arguments: --replciates 3; did you mean "
     "'--replicates'? (see: python run.py compare --help)"),
    (["--replciates", "2"], "python run.py: unrecognized arguments: --replciates; did you "
     "mean '--replicates'?"),
    (["run", "a.toml", "--dayz=4"], "run: unrecognized arguments: --dayz=4; did you mean "
     "'--days'?"),
    (["robustness", "a.toml", "b.toml", "--wrolds", "3"], "robustness: unrecognized "
     "arguments: --wrolds 3; did you mean '--worlds'?"),
    (["compare", "a.toml", "b.toml", "--colour", "red"],
     "compare: unrecognized arguments: --colour red (see: python run.py compare --help)"),
])
def test_an_unknown_option_is_named_by_its_command_with_the_nearest_known(argv, says, capsys):
    """The main job's '--replciates 2' read "COMMAND: invalid choice: '2'"; a command's
    unknown option sent the user to the top-level help."""
    assert says in argparse_refused(argv, capsys)


@pytest.mark.parametrize("argv, says", [
    (["--days", "120", "--residents", "300", "--replicates", "2", "--out", "x", "compare",
      "a.toml", "b.toml", "--workers", "1"],
     "python run.py: --replicates 2 --days 120 --residents 300 --out x are options of the "
     "command: put them after 'compare' (before the command, nothing reads them)"),
    (["--allow-different-community", "compare", "a.toml", "b.toml"],
     "--allow-different-community is an option of the command: put it after 'compare'"),
    (["--seed", "3", "--debug", "run", "a.toml"],
     "--seed 3 is an option of the command: put it after 'run'"),
    (["--scenarios", "elsewhere", "robustness", "a.toml", "b.toml"],
     "--scenarios elsewhere is an option of the command: put it after 'robustness'"),
])
def test_options_before_a_command_are_refused_not_dropped(work, argv, says, capsys):
    """A user check: `run.py --days 120 --residents 300 --replicates 2 --out /tmp/x compare
    a.toml b.toml` ran 730 days at 1,000 residents into ./results and exited 0: the command
    read only the options after its name."""
    before = snapshot(work)
    assert says in argparse_refused(argv, capsys)
    assert snapshot(work) == before


def test_the_main_jobs_options_without_a_command_are_still_its_own(work, capsys):
    said = refused(["--scenarios", work, "--days", "5", "--out", "results"], capsys, work,
                   lines=None)
    assert "baseline.toml: file not found" in said, said


def test_run_given_several_files_points_to_compare(capsys):
    """A user check: `run A.toml B.toml` said only "unrecognized arguments: B.toml"."""
    said = argparse_refused(["run", "a.toml", "b.toml", "--days", "3"], capsys)
    assert said.startswith("python run.py run: run takes one scenario file (got 2: a.toml "
                           "b.toml); to compare several, use python run.py compare a.toml "
                           "b.toml"), said
    # an unknown option's value is not taken for a second file
    assert "unrecognized arguments: --colour red" in argparse_refused(
        ["run", "a.toml", "--colour", "red"], capsys)


def test_scenarios_naming_a_file_says_it_is_not_a_folder(work, capsys):
    """A user check: `--scenarios scenarios/baseline.toml` said "scenarios/baseline.toml/
    baseline.toml: file not found"."""
    from sim.commands.shared import PROG

    said = refused(["--scenarios", "a.toml", "--out", "results"], capsys, work)
    assert said == (f"{PROG}: --scenarios a.toml: is a file, not a folder; give the folder "
                    "that holds baseline.toml and the other scenario files, or use "
                    f"'{PROG} compare' to choose files\n"), said
    # and a folder that is not there (a user check: "nowhere/baseline.toml: file not found")
    said = refused(["--scenarios", "nowhere", "--out", "results"], capsys, work)
    assert said == (f"{PROG}: --scenarios nowhere: no such folder; give the folder that "
                    "holds baseline.toml and the other scenario files\n"), said


def test_an_unexpected_error_is_one_line_unless_debug(monkeypatch, capsys):
    def broken(args, argv):
        raise RuntimeError("something nobody expected\nsecond line")

    monkeypatch.setitem(cli.COMMANDS, "validate",
                        cli.Command("check", add_arguments=lambda p: None, handler=broken))
    assert cli.main(["validate"]) == 1
    err = capsys.readouterr().err
    assert err.splitlines()[0] == "error: RuntimeError: something nobody expected"
    assert "--debug" in err and "Traceback" not in err and len(err.splitlines()) == 2
    with pytest.raises(RuntimeError, match="something nobody expected"):
        cli.main(["validate", "--debug"])


def test_the_smallest_valid_inputs_run_to_a_report(work, capsys):
    """The lower limits are real: 10 residents for 1 day (every chart empty of values: the
    chart axes once failed on NaN limits after the folder was made), and a compare whose
    intervention starts on the last day."""
    for argv in (["run", "a.toml", "--days", "1"],
                 ["compare", "a.toml", "b.toml", "--days", "10"]):
        code = cli.main([*argv, "--residents", "10", "--replicates", "1", "--workers", "1",
                         "--out", "results"])
        out, err = capsys.readouterr()
        assert code == 0, err
        # one of each, said as one (a user check: "Comparing 1 scenario(s)")
        assert ("Comparing 1 scenario against A: 2 runs of 10 days" in err
                if argv[0] == "compare" else "Running A: 1 run of 1 day;" in err), err
        assert Path(out.strip().splitlines()[-1]).is_file()


def test_a_read_only_file_system_is_said_so_not_permission_denied(tmp_path, monkeypatch):
    """A user check: --out on a read-only mount said "permission denied", which no change of
    permissions would mend. (A read-only mount needs root to make: the file system's flag is
    given here; a folder without write permission still says "permission denied".)"""
    import os
    from types import SimpleNamespace

    from sim.usage import UsageProblem, check_out_root

    folder = tmp_path / "mounted"
    folder.mkdir()
    monkeypatch.setattr(os, "access", lambda path, mode: False)
    with pytest.raises(UsageProblem) as denied:
        check_out_root(folder / "results")
    assert "(permission denied)" in str(denied.value)
    monkeypatch.setattr(os, "statvfs", lambda path: SimpleNamespace(f_flag=os.ST_RDONLY))
    with pytest.raises(UsageProblem) as read_only:
        check_out_root(folder / "results")
    assert str(read_only.value) == (f"--out {folder / 'results'}: cannot write in {folder} (a "
                                    "read-only file system); choose another folder with --out")


def test_compare_closes_a_refusal_of_several_problems_as_validate_does(work, capsys):
    """A user check: validate closed its list of problems with "2 problems in 1 file;
    nothing was run or written", compare did not; one problem stays one line."""
    (work / "c.toml").write_text('name = "C"\n[run]\ndays = 1.5\nseed = -4\n')
    for command in (["validate"], ["compare", "--out", "results"]):
        err = refused([*command, "a.toml", "c.toml"], capsys, work, lines=3)
        assert err.strip().splitlines()[-1] == ("2 problems in 1 file; nothing was run or "
                                                "written"), err
    err = refused(["compare", "a.toml", "c.toml", "--days", "0", "--out", "results"], capsys,
                  work, lines=4)
    assert err.strip().endswith("3 problems in 1 file and the options; nothing was run or "
                                "written"), err
