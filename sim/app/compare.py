"""The compare page: run a paired comparison the way ``run.py compare`` does and show its
report.

Plain Python beneath it: :mod:`sim.app.comparison` (run the command line's pipeline, the
files it wrote), :mod:`sim.app.estimate` (how long it will take here) and
:mod:`sim.app.uploads` (scenario files brought by the user). Solara here:
:func:`ComparePage` holds the page's state, kept for the browser session (sim/app/kept.py),
with its uploads (:func:`use_uploads`) and its comparison job (:func:`use_comparison_job`),
and composes the side column (:mod:`sim.app.compare_controls`) and the main column
(:func:`CompareMain`: progress, then :func:`ComparisonView`, the report as the job wrote it
and the files to download).
"""

from __future__ import annotations

import shutil
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import solara

from sim.app.compare_controls import CompareControls, YourFiles, on_slider
from sim.app.comparison import Comparison, ComparisonStopped, never_acting, run_comparison
from sim.app.estimate import duration_words, estimate_seconds
from sim.app.kept import Kept, use_kept
from sim.app.layout import Frame as PageFrame
from sim.app.layout import Main, Side
from sim.app.problems import problems_text
from sim.app.scenario_files import (
    LoadedScenarios,
    coerce_seed,
    content_hash,
    in_an_area,
    list_scenarios,
    scenarios_dir,
)
from sim.app.uploads import Upload, UploadError, check_upload, upload_label
from sim.ensemble.seeds import DEFAULT_ROOT_SEED
from sim.report.community import community_differences
from sim.report.programmes import judged_from_days, late_start_advice
from sim.scenario.schema import Scenario

DEFAULT_REPLICATES = 10  # as the report and the terminal advise ("10 or more")
# two years, as the main job: the verdicts (the last quarter) then come after the community
# has settled (sim.params.SETTLED_DAY); 180 days took them inside its first year's drift, and
# the engine now runs two years of 10 runs at 1,000 residents in a few seconds
DEFAULT_DAYS = 730
DEFAULT_RESIDENTS = 1000
MIN_RESIDENTS, MAX_RESIDENTS = 200, 5000  # the residents slider's range


@dataclass(frozen=True)
class RunRequest:
    """A comparison asked for: the scenarios' labels and the settings, as they were then."""

    labels: tuple[str, ...]
    baseline: str
    days: int
    replicates: int
    seed: int
    residents: int | None
    estimate_s: float | None = None
    # the content of each scenario's file and the files it extends (content_hash), in the
    # order of the labels: a file edited under the same name is another comparison
    contents: tuple[str, ...] = ()


def seed_problem(text: str) -> str:
    """What is wrong with the seed as typed ("" when nothing), checked as the page checks
    it when Run is pressed (:func:`coerce_seed`): said under the field while it is typed, so
    that Run is never pressed on a seed it will refuse (a user check found ``abc`` accepted
    until Run, whose message then quoted the value before)."""
    try:
        coerce_seed(text)
    except ValueError as exc:
        return str(exc)
    return ""


def effective_baseline(picked: list[str], baseline: str,
                       load: Callable[[str], Scenario] | None = None) -> str:
    """The baseline a comparison of ``picked`` runs with: the one chosen in the Baseline
    field, ticked among ``picked`` or not (it runs as the baseline either way); except that,
    when it is not ticked and (with ``load``) exactly one of two or more files ticked does
    nothing (no interventions: an area's "as it is" file beside its options), that one is.
    Never the only file ticked: a user check unticked Baseline, kept Bridge figures alone,
    and the page compared Bridge figures with itself ("baseline: Bridge figures", no
    effects). "" when no baseline is chosen (the user must choose one)."""
    if baseline in picked:
        return baseline
    if load is not None and len(picked) > 1:
        nothing = [lab for lab in picked
                   if (s := _loaded(load, lab)) is not None and not s.interventions]
        if len(nothing) == 1:
            return nothing[0]
    return baseline or ""


def scenarios_run(picked: list[str], base: str) -> list[str]:
    """The scenarios a comparison runs: those ticked, and the baseline first when it is not
    among them."""
    if not base or base in picked:
        return list(picked)
    return [base, *picked]


def run_blocked(run: list[str], base: str) -> str:
    """Why Run cannot start with these scenarios, in a sentence ("" when it can): a
    comparison needs its baseline and something else to compare with it (a user check:
    nothing chosen, Run was greyed out with no word, above "0 runs ... about 7 seconds")."""
    if not base:
        return "Choose the baseline: the scenario the others are compared with."
    if len(set(run)) < 2:
        return ("Choose at least one option besides the baseline in Scenarios: a comparison "
                f"needs something to compare with {base}.")
    return ""


def baseline_note(scenario: Scenario | None) -> str:
    """A note for a baseline that is not "doing nothing": its interventions, named, and that
    the others are compared with it as it is ("" for a baseline without any)."""
    if scenario is None or not scenario.interventions:
        return ""
    n = len(scenario.interventions)
    names = ", ".join(iv.label for iv in scenario.interventions)
    return (f"The baseline, {scenario.name}, has {n} intervention{'s' if n > 1 else ''} "
            f"({names}): the others are compared with it as it is, not with a community "
            "doing nothing.")


def same_community(base: Scenario, option: Scenario) -> bool:
    """Whether ``option`` describes the community of ``base`` (residents aside: the page runs
    every scenario at the residents chosen), by the report's own test
    (:func:`sim.report.community.community_differences`)."""
    n = base.model.population.n_residents
    return not community_differences(base, option.with_overrides(residents=n))


def runs_as_baseline(base: Scenario | None, option: Scenario | None, days: int | None = None,
                     residents: int | None = None) -> bool:
    """Whether ``option`` runs exactly as ``base`` at the page's ``days`` and ``residents``:
    the same model and the same interventions, by the test a job's plan uses for what
    determines a run's numbers (:func:`sim.ensemble.runner.scenario_fingerprint`). Paired
    seed for seed, its runs are then the baseline's, and its effects all zero (a plain copy
    of the baseline saved on the live page, "Baseline (copy 2)")."""
    from sim.ensemble.runner import runs_alike

    if base is None or option is None:
        return False
    return runs_alike(base.with_overrides(days=days, residents=residents),
                      option.with_overrides(days=days, residents=residents))


def no_effect_note(base: Scenario | None, option: Scenario | None, days: int | None = None,
                   residents: int | None = None) -> str:
    """A warning for an option that runs exactly as the baseline (:func:`runs_as_baseline`),
    said before Run ("" for one that differs): a user check compared "Baseline" with a plain
    copy of it, unsaid until the report's effects came out zero. A warning, not a refusal."""
    if not runs_as_baseline(base, option, days, residents):
        return ""
    return _copy_note(option)


def _copy_note(option: Scenario) -> str:
    from sim.ensemble.runner import alike_words

    return (f"'{option.name}' {alike_words(option)} as the baseline: its effects will be "
            "zero (its runs are the baseline's, seed for seed). Add an intervention to it on "
            "the live page and save it, or leave it out.")


def alike_notes(base: Scenario | None, options: list, days: int | None = None,
                residents: int | None = None) -> tuple[str, ...]:
    """The warnings said beside the choices before Run: an option that runs exactly as the
    baseline (:func:`no_effect_note`), and one that runs exactly as an option before it,
    whose effects will be that option's (the command line and the report say it too)."""
    from sim.ensemble.runner import alike_earlier, alike_words

    # as they would run: at the page's days and residents (None: a broken file, left out)
    at = [s.with_overrides(days=days, residents=residents)
          for s in (base, *options) if s is not None]
    base_at = at[0] if base is not None else None
    return tuple(_copy_note(s) if first is base_at else
                 f"'{s.name}' {alike_words(s)} as '{first.name}': the two will have the same "
                 "effects, run for run. Change one on the live page, or leave it out."
                 for s, first in alike_earlier(at))


def size_notes(base: Scenario | None, options: list, residents: int) -> tuple[str, ...]:
    """Warnings said beside the choices before Run about sizes: a baseline whose file
    describes more or fewer residents than the slider offers (it runs at the slider's end;
    a user check saw 10,200 become 5,000 unsaid), and, in one note, the options whose files
    describe another size than the baseline's: the page runs every scenario at its Residents
    (a user check saw a setup of 10,200 run at 1,000, unsaid; the command line and the report
    say it too)."""
    from sim.report.community import file_residents, size_set_aside_words, sizes_set_aside

    if base is None:
        return ()
    out = []
    own = file_residents(base)
    if not MIN_RESIDENTS <= own <= MAX_RESIDENTS:
        out.append(f"The baseline's file describes {own:,} residents; this page runs "
                   f"{MIN_RESIDENTS:,} to {MAX_RESIDENTS:,}, so its runs here are of "
                   f"{residents:,}. The command line's compare runs any size.")
    at = [s.with_overrides(residents=residents) for s in (base, *options) if s is not None]
    aside = sizes_set_aside(at)
    if len(aside) == 1:
        [(name, sizes)] = aside.items()
        out.append(size_set_aside_words(name, sizes, residents) + ".")
    elif aside:
        named = ", ".join(f"'{name}' {sizes[0]:,}" for name, sizes in aside.items())
        out.append(f"The files describe communities of other sizes than the baseline's "
                   f"{own:,} residents ({named}); every scenario here runs at {residents:,} "
                   f"residents, whatever its file says: the effects are those of the "
                   f"programmes in a community of {residents:,}.")
    return tuple(out)


def default_choices(labels: list[str], load: Callable[[str], Scenario]
                    ) -> tuple[list[str], str]:
    """The scenarios the page opens with, and its baseline. The baseline is the first file
    offered: the folder's baseline.toml when there is one (:func:`list_scenarios` offers it
    first). Beside it, the first other file that changes something on the baseline's
    community: one with interventions there first, then one that changes its settings
    only, then one of another community, then a copy that runs as the baseline does
    (:func:`runs_as_baseline`), then one that does not load. A user check saved a plain copy
    of the baseline as "Baseline (copy 2)" (baseline_copy_2.toml), and the page opened on
    "Baseline vs Baseline (copy 2)": the first two files by name."""
    if not labels:
        return [], ""
    base_label, others = labels[0], labels[1:]
    base = _loaded(load, base_label)

    def rank(option: Scenario | None) -> int:
        if option is None:
            return 4
        if base is None:  # (its panel says why): nothing to compare with
            return 0 if option.interventions else 1
        if runs_as_baseline(base, option, DEFAULT_DAYS, base.model.population.n_residents):
            return 3
        if not same_community(base, option):
            return 2
        return 0 if option.interventions else 1

    best, best_rank = None, 5
    for label in others:  # files are loaded until the first of rank 0 (most often, one)
        r = rank(_loaded(load, label))
        if r < best_rank:
            best, best_rank = label, r
        if r == 0:
            break
    return ([base_label, best] if best is not None else [base_label]), base_label


def changed_since(shown: RunRequest | None, now: RunRequest) -> list[str]:
    """What differs between the comparison shown (``shown``) and the choices made now, in
    words ("the scenarios", "the days", "the content of My ward (uploaded ward.toml)"); []
    when they are the same. The same scenarios are compared by content too: a user check
    edited an upload under the same file name and the report stayed "up to date"."""
    if shown is None:
        return []
    out = []
    for key, words in (("labels", "the scenarios"), ("baseline", "the baseline"),
                       ("days", "the days"), ("replicates", "the replicates"),
                       ("residents", "the residents"), ("seed", "the seed")):
        if getattr(shown, key) != getattr(now, key):
            out.append(words)
    if shown.contents and shown.labels == now.labels and shown.contents != now.contents:
        edited = [lab for lab, was, is_ in zip(shown.labels, shown.contents, now.contents,
                                               strict=True) if was != is_]
        out.insert(0, "the content of " + " and of ".join(edited))
    return out


@dataclass(frozen=True)
class PageUploads:
    """The files the user brought, and what the page does with them (see :func:`use_uploads`)."""

    folder: Path  # the scenarios folder: what uploads may extend
    keep_in: Path  # the page's own folder, where uploads are kept
    uploads: tuple  # of Upload
    set_uploads: Callable
    problem: str  # what was wrong with the last files brought, or ""
    note: str  # what the page did instead with the last files brought, or ""
    choices: dict  # label -> a scenario file's path (None: built-in) or an Upload
    add: Callable  # add(files) -> labels of the uploads added
    names_taken: Callable  # names_taken(but=upload) -> names a file must not reuse
    load: Callable  # load(label) -> Scenario, parsed once (LoadedScenarios)
    content: Callable  # content(label) -> a hash of its file and the files it extends


def use_uploads(kept: Kept, folder: Path) -> PageUploads:
    """The scenario files offered: those in ``folder`` and those the user brings (checked,
    and kept in a folder of the page's own, removed when the browser session ends: ``kept``
    is the page's state for the session, sim/app/kept.py). A file is parsed once while its
    content stays the same (:class:`LoadedScenarios`), however often the page asks for it."""
    files = solara.use_memo(lambda: list_scenarios(folder), [])
    loaded = kept.get("loaded", make=LoadedScenarios)
    keep_in = kept.get("keep_in", make=lambda: _uploads_folder(kept))
    uploads, set_uploads = kept.state("uploads", ())  # tuple of Upload
    problem, set_problem = kept.state("upload_problem", "")
    note, set_note = kept.state("upload_note", "")
    choices: dict = {**files, **{upload_label(u): u for u in uploads}}

    def load(label: str) -> Scenario:
        item = choices[label]
        return item.scenario if isinstance(item, Upload) else loaded.load(item)

    def content(label: str) -> str:
        item = choices.get(label)
        if isinstance(item, Upload):  # its files are the page's copies, checked once
            return content_hash(item.scenario.files or (str(item.path),))
        if item is None:  # the built-in defaults (or a label no longer offered)
            return ""
        try:
            return loaded.load_with_hash(item)[1]
        except Exception:  # noqa: BLE001 - a broken file: its own bytes (its panel says why)
            return content_hash([str(item)])

    def names_taken(but=None) -> list[str]:
        """Scenario names already offered (an upload must not reuse one)."""
        out = []
        for lab, item in choices.items():
            if item is but:
                continue
            try:
                out.append(load(lab).name)
            except Exception:  # noqa: BLE001 - a broken file takes no name
                continue
        return out

    def add(files_in) -> list[str]:
        taken = names_taken()
        added, problems, listed, notes = list(uploads), [], [], []
        for f in files_in or ():
            same = listed_file(bytes(f["content"]), files, folder)
            if same is not None:  # an area's file: uploaded, it would extend another file
                listed.append(same)
                notes.append(f"{Path(f['name']).name} is {files[same].relative_to(folder)}, "
                             "already in the Scenarios list: it is chosen there (its extends "
                             "is read beside it there, as run.py compare reads it).")
                continue
            try:
                up = check_upload(f["name"], bytes(f["content"]), folder, keep_in, taken)
            except UploadError as exc:
                problems.append(str(exc))
                continue
            added.append(up)
            taken.append(up.scenario.name)
        set_problem("\n".join(problems))
        set_note("\n".join(notes))
        if len(added) == len(uploads):
            return listed
        set_uploads(tuple(added))
        return listed + [upload_label(u) for u in added[len(uploads):]]

    return PageUploads(folder, keep_in, uploads, set_uploads, problem, note, choices, add,
                       names_taken, load, content)


def _uploads_folder(kept: Kept) -> Path:
    """A folder for the files the user brings, removed when the session ends."""
    keep_in = Path(tempfile.mkdtemp(prefix="kindliness-uploads-"))
    kept.on_close(lambda: shutil.rmtree(keep_in, ignore_errors=True))
    return keep_in


def listed_file(data: bytes, files: dict, folder: Path) -> str | None:
    """The label of an area's file listed on the page that ``data`` is, byte for byte, or
    None. Uploaded, an area's option would be checked against the scenarios folder, where
    ``extends = "baseline.toml"`` is the shipped baseline, not the area's (a user check ran
    an area's cafe on the shipped community, unsaid); the listed file is the same file read
    where it lives."""
    for label, path in files.items():
        if path is not None and in_an_area(path, folder):
            try:
                if path.read_bytes() == data:
                    return label
            except OSError:
                continue
    return None


@dataclass(frozen=True)
class ComparisonJob:
    """The page's comparison: under way or not, its progress, the last one finished, what
    went wrong, the estimate for the settings chosen, and how to start one."""

    running: bool
    progress: tuple  # (runs done, runs in all, the step after the runs or "")
    comparison: Comparison | None
    shown: RunRequest | None  # what ``comparison`` was asked with
    error: str  # why the Run button did not start one (no scenario, a bad seed)
    failure: str  # why the last one started did not finish
    stopped: str  # what became of the last one started, if it was stopped
    estimate: solara.Result
    start: Callable  # start(labels to run, baseline's label, seed as typed, their contents)
    stop: Callable  # stop(): end the one under way at its next finished run
    stopping: bool  # stop() was asked for the one under way
    n_started: int  # comparisons started on this page


def use_comparison_job(kept: Kept, load: Callable[[str], Scenario], n_picked: int,
                       replicates: int, days: int, residents: int) -> ComparisonJob:
    """Run comparisons off the page's thread, one at a time; keep the last one finished (its
    folder removed when the next one finishes, or with the session). One under way can be
    stopped; it goes on while the other page is shown (``kept``: the page's state for the
    browser session, sim/app/kept.py), and is stopped when the session ends: its folder is
    removed and the last one finished stays shown."""
    # (request being run or None, last comparison, the request it was made for): one state,
    # so that finishing a run is one update (two updates from the worker thread would
    # re-render in between)
    job, set_job = kept.state("job", (None, None, None))
    request, comparison, shown = job
    progress, set_progress = kept.state("progress", (0, 0, ""))
    error, set_error = kept.state("error", "")
    failure, set_failure = kept.state("failure", "")
    stopped, set_stopped = kept.state("stopped", "")
    n_started, set_n_started = kept.state("n_started", 0)
    stopping, set_stopping = kept.state("stopping", False)
    # the last comparison finished (its folder), the request the user asked to stop (a
    # request is new each time Run is pressed), and the session's end
    refs = kept.get("job_refs", make=lambda: _job_refs(kept))
    estimate = solara.use_thread(
        lambda: estimate_seconds(max(n_picked, 1), int(replicates), int(days), int(residents)),
        [n_picked, replicates, days, residents])

    def start(picked: list[str], base: str, seed_text: str, contents: tuple = ()):
        """Start a comparison of ``picked`` (the scenarios to run, the baseline among them:
        :func:`scenarios_run`) with ``base`` as its baseline."""
        try:
            seed = coerce_seed(seed_text)
        except ValueError as exc:
            set_error(str(exc))
            return
        blocked = run_blocked(picked, base)
        if blocked:
            set_error(blocked)
            return
        if kept.get("job")[0] is not None or refs["ended"].is_set():
            return  # one at a time (Run is greyed out meanwhile)
        set_error("")
        set_failure("")
        set_stopped("")
        set_stopping(False)
        set_n_started(n_started + 1)
        set_progress((0, replicates * len(picked), ""))
        guess = estimate.value if estimate.state == solara.ResultState.FINISHED else None
        new = RunRequest(tuple(picked), base, int(days), int(replicates), seed,
                         int(residents), guess, tuple(contents))
        _, before, before_shown = kept.get("job")
        set_job((new, before, before_shown))
        # a thread of the session's, not of the page's component: it goes on while the
        # other page is shown
        threading.Thread(target=work, args=(new,), name="kindliness-compare",
                         daemon=True).start()

    def stop():
        if request is not None:
            refs["stop_asked"] = request
            set_stopping(True)

    def work(request: RunRequest):
        ended = refs["ended"]
        runs = request.replicates * len(request.labels)
        try:
            result = run_comparison(
                [load(lab) for lab in request.labels],
                baseline_index=request.labels.index(request.baseline),
                days=request.days, replicates=request.replicates, seed=request.seed,
                residents=request.residents, estimate_s=request.estimate_s,
                on_progress=lambda done, total: set_progress((done, total, "")),
                on_stage=lambda words: set_progress((runs, runs, words)),
                stop=lambda: ended.is_set() or refs["stop_asked"] is request)
        except ComparisonStopped as exc:
            if ended.is_set():  # the session is over: nothing to show
                return
            _, comparison, shown = kept.get("job")
            kept_words = ("the comparison before it is still shown below" if comparison
                          else "nothing from it is kept")
            set_stopped(f"Stopped after {exc.done} of {exc.total} runs, as you asked; "
                        f"{kept_words}.")
            set_job((None, comparison, shown))
            return
        except Exception as exc:  # shown to the user (no server paths); the page stays usable
            from sim.report.job import failed_step  # loaded by the comparison by now

            # the step after the runs that failed, as the command line names it
            step = f" while {failed_step(exc)}" if failed_step(exc) else ""
            set_failure(f"The comparison failed{step}: {problems_text(exc, scenarios_dir())}")
            _, comparison, shown = kept.get("job")
            set_job((None, comparison, shown))
            return
        with kept.lock:
            if ended.is_set():  # the session ended as it finished: nothing to keep
                result.remove()
                return
            if refs["previous"] is not None:
                refs["previous"].remove()
            refs["previous"] = result
        set_job((None, result, request))  # last: the page is drawn again

    return ComparisonJob(request is not None, progress, comparison, shown, error, failure,
                         stopped, estimate, start, stop, stopping, n_started)


def _job_refs(kept: Kept) -> dict:
    """What a page's comparisons share beside their shown state: the last one finished
    (``previous``, its folder removed with the session), the request asked to stop, and
    ``ended``, set when the session ends (a comparison under way then stops)."""
    refs = {"previous": None, "stop_asked": None, "ended": threading.Event()}

    def end():
        with kept.lock:
            refs["ended"].set()
            if refs["previous"] is not None:
                refs["previous"].remove()
                refs["previous"] = None

    kept.on_close(end)
    return refs


@solara.component
def ComparePage():
    # kept for the browser session, not with this component: the choices, the files
    # brought, the report and a comparison under way are there after a visit to the live
    # page (sim/app/kept.py)
    kept = use_kept("compare")
    files = use_uploads(kept, scenarios_dir())
    labels = list(files.choices)
    # worked out once for the session: the baseline, and an option that does something
    opening = kept.get("opening", make=lambda: default_choices(labels, files.load))
    chosen, set_chosen = kept.state("chosen", opening[0])
    baseline, set_baseline = kept.state("baseline", opening[1])
    replicates, set_replicates = kept.state("replicates", DEFAULT_REPLICATES)
    days, set_days = kept.state("days", DEFAULT_DAYS)
    residents, set_residents = kept.state("residents", DEFAULT_RESIDENTS)
    seed_text, set_seed_text = kept.state("seed_text", str(DEFAULT_ROOT_SEED))
    picked = [lab for lab in labels if lab in chosen]
    # the residents follow the baseline's file when it is chosen (the slider overrides every
    # file: an area's 1,500 residents ran at the shipped 1,000, a user check); moving the
    # slider afterwards still overrides them. Worked out on every render, from the files as
    # they are now (files.load parses a file only when its content changed)
    base_label = effective_baseline(picked, baseline if baseline in labels else "",
                                    files.load)
    run = scenarios_run(picked, base_label)
    job = use_comparison_job(kept, files.load, len(run), replicates, days, residents)
    base_scenario = _loaded(files.load, base_label)
    seed_error = seed_problem(seed_text)
    # programmes that would start after the run ends: said under the days, before Run (a user
    # check: only a failed comparison said so, after Run)
    late = never_acting([s for s in (_loaded(files.load, lab) for lab in run)
                         if s is not None], int(days), on_slider)
    # programmes that start late for the verdicts' window: warned under the days, with the
    # days that would judge them (as the command line warns before its runs)
    options = [s for s in (_loaded(files.load, lab) for lab in run if lab != base_label)
               if s is not None]
    advice = late_start_advice(options, int(days), lambda d: f"{on_slider(d):,} days")
    # the days that judge them all, those that would never act included (a user check: the
    # button offered the settled days, after which Run still waited on a cafe on day 600)
    judged = max([n for _, n, _ in advice]
                 + [judged_from_days(iv.start_day) for s in options for iv in s.interventions
                    if iv.start_day > int(days)], default=0)
    # an option that runs exactly as the baseline: said beside the choices, before Run
    no_effect = alike_notes(base_scenario, [_loaded(files.load, lab) for lab in run
                                            if lab != base_label], int(days), int(residents))
    # an option of another size than the baseline's, run at the page's Residents: said too
    no_effect += size_notes(base_scenario, options, int(residents))

    def follow_baseline():
        # once for each baseline chosen: not again on return to the page, over the residents
        # set since
        if base_scenario is None or kept.get("followed") == base_label:
            return  # (none chosen, or a broken file: its panel says why)
        kept.set("followed", base_label)
        n = base_scenario.model.population.n_residents
        set_residents(min(max(int(n), MIN_RESIDENTS), MAX_RESIDENTS))

    solara.use_effect(follow_baseline, [base_label])

    def on_upload(files_in):
        new = files.add(files_in)
        if new:
            set_chosen([*chosen, *[n for n in new if n not in chosen]])

    contents = tuple(files.content(lab) for lab in run)
    now = RunRequest(tuple(run), base_label, int(days), int(replicates),
                     None if seed_error else coerce_seed(seed_text), int(residents),
                     contents=contents)
    stale = [] if job.running else changed_since(job.shown, now)
    with PageFrame():
        with Main():
            CompareMain(job.running, job.progress, job.comparison, job.failure, job.stopped,
                        job.stop, job.stopping, stale)
        # on a phone, Run folds the settings away: the progress, then the result, show
        # where the user is, not below the settings
        with Side(fold_label="Choose the scenarios and settings", fold_again=job.n_started):
            CompareControls(labels, chosen, set_chosen, baseline, set_baseline, replicates,
                            set_replicates, days, set_days, residents, set_residents,
                            seed_text, set_seed_text,
                            lambda: job.start(run, base_label, seed_text, contents),
                            job.running,
                            job.error, job.estimate, on_upload, files.problem, files.note,
                            seed_error=seed_error, base_label=base_label,
                            base_note=baseline_note(base_scenario) if len(run) > 1 else "",
                            late=tuple(late), n_run=len(run), no_effect=no_effect,
                            late_start=tuple(words[:1].upper() + words[1:]
                                             for _, _, words in advice),
                            late_start_days=judged,
                            blocked=run_blocked(run, base_label),
                            unticked=base_label if base_label not in picked else "")
            if files.uploads:
                YourFiles(files.uploads, files.set_uploads, chosen, set_chosen, files.folder,
                          files.keep_in, files.names_taken)


def _loaded(load: Callable[[str], Scenario], label: str) -> Scenario | None:
    """The scenario of ``label``, or None (none chosen, or a file that does not load)."""
    if not label:
        return None
    try:
        return load(label)
    except Exception:  # noqa: BLE001 - a broken file: its panel says why
        return None


@solara.component
def CompareMain(running, progress, comparison, failure: str = "", stopped: str = "",
                stop: Callable | None = None, stopping: bool = False, stale=()):
    solara.Text("Compare scenarios", style={"font-size": "22px", "font-weight": "bold"})
    if failure and not running:  # where its progress was
        solara.Error(failure, classes=["compare-error"])
    if stopped and not running:
        solara.Info(stopped, classes=["compare-stopped"])
    if running:
        done, total, stage = progress
        words = (f"Runs done; {stage} ..." if stage else
                 f"Running: {done} of {total} runs done")
        if stopping:
            words += " Stopping when the runs under way finish ..."
        with solara.Row(style={"align-items": "center", "flex-wrap": "wrap"}):
            solara.Text(words, classes=["compare-progress"])
            if stop is not None:
                solara.Button("Stop", icon_name="mdi-stop", outlined=True, on_click=stop,
                              disabled=stopping, classes=["compare-stop"])
        solara.ProgressLinear(100.0 * done / total if total and not stage else True)
    if comparison is None:
        if not running and not failure and not stopped:
            solara.Info("Choose scenarios, replicates and days (and bring your own file if "
                        "you like), then press Run comparison. The estimate under the "
                        "settings says how long it will take.")
        return
    # always there, so that the report's frame is not made anew (reloaded) as it comes and
    # goes
    with solara.Div():
        if stale:  # the report below is not of the choices now made (a user check)
            solara.Warning(f"Out of date: the report below is for the previous choices; "
                           f"{', '.join(stale)} changed since. Press Run comparison for a "
                           "report of the choices made now.", classes=["compare-stale"])
    ComparisonView(comparison, settled=not running)


def seconds(s: float) -> str:
    """"2.4 s" under ten seconds, "36 s", "1,234 s"."""
    return f"{s:.1f} s" if s < 10 else f"{s:,.0f} s"


@solara.component
def ComparisonView(comparison: Comparison, settled: bool = True):
    c = comparison
    runs = c.replicates * len(c.scenarios)
    post = c.timings.get("post_processing",
                         c.timings.get("total", 0.0) - c.timings.get("runs", 0.0))
    n = len(c.scenarios)
    # one level of brackets (a user check read "(6 runs, 2 s (estimated about 3 seconds):
    # runs 0 s, summaries, ...)")
    estimated = (f"; the estimate was {duration_words(c.estimate_s)}" if c.estimate_s
                 else "")
    # the parts beside the whole they make, in the same unit, to a tenth under ten seconds
    # (a user check: "2 s ... (the runs 1 s; summaries ... 2 s)" did not add up)
    solara.Text(f"{n} scenario{'s' if n != 1 else ''} x {c.replicates} replicate"
                f"{'s' if c.replicates != 1 else ''} x {c.days:,} days: {runs:,} runs in "
                f"{seconds(c.wall_s)} (the runs {seconds(c.timings.get('runs', 0))}; "
                f"summaries, charts and report {seconds(post)}){estimated}. Baseline: "
                f"{c.baseline}; root seed {c.seed}.",
                classes=["compare-done" if settled else "compare-previous"])
    if c.failures:
        solara.Warning(f"{len(c.failures)} runs failed and are left out: "
                       + "; ".join(f"{f.scenario} #{f.replicate}: {f.error}"
                                   for f in c.failures[:3]))
    with solara.Row(classes=["compare-downloads"], style={"flex-wrap": "wrap"}):
        if c.report is not None:
            solara.FileDownload(lambda: c.portable_report().encode("utf-8"),
                                filename="report.html",
                                label="The report (HTML)", mime_type="text/html")
        solara.FileDownload(c.zip_bytes, filename="comparison.zip",
                            label="Everything (zip)", mime_type="application/zip")
        for label, name, mime in (("Summary (CSV)", "summary.csv", "text/csv"),
                                  ("Daily values", "daily.csv", "text/csv")):
            path = c.file(name)
            if path is not None:
                solara.FileDownload(lambda p=path: p.read_bytes(), filename=path.name,
                                    label=label, mime_type=mime)
    solara.Text("The report (as report.html): what to fund for each outcome first, then the "
                "ranking, strain on helpers, costs, the effects chart and the charts.",
                style={"font-size": "13px"})
    solara.HTML(tag="div", unsafe_innerHTML=c.report_frame_html(),
                style={"max-width": "100%"}, classes=["compare-report-box"])
