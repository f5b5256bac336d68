"""The live page: design a programme, run it day by day beside its baseline, see the
difference.

Layers:

- plain Python: :mod:`sim.app.draft` (the programme being designed, checked by the scenario
  loader), :mod:`sim.app.session` (a community and its ghost baseline, drawn as frames),
  :mod:`sim.app.runner` (stepping off the page's thread at a chosen speed);
- Solara components: :func:`LivePage` holds the page's state (the file chosen, the draft,
  the seed, the setup running; kept for the browser session, sim/app/kept.py) and composes
  the design column (:func:`sim.app.design.DesignColumn`) and the view
  (:func:`sim.app.live_view.LiveView`), which shows the runner's frames and is the only part
  that redraws while a run plays.

Changes in the design column wait, visibly, until "Apply and restart": the button is
highlighted while anything is pending and the header names the setup with its changes
("Baseline + 2 changes"). "Discard changes" gives back the setup running, the Start from
choice too (:func:`discard_to`), and, pressed again there, its file as it is.
"""

from __future__ import annotations

from pathlib import Path

import solara

from sim.app.design import DesignColumn
from sim.app.draft import Check, Draft
from sim.app.kept import Kept, use_kept
from sim.app.layout import Frame as PageFrame
from sim.app.layout import Main, Side
from sim.app.live_view import LiveView
from sim.app.problems import ProblemPanel, first_usable
from sim.app.runner import Runner
from sim.app.scenario_files import (
    BUILT_IN,
    coerce_seed,
    list_scenarios,
    load_or_problems,
    load_scenario_file,
    scenarios_dir,
)
from sim.app.session import LiveSession
from sim.scenario.schema import Scenario

NOT_LOADING = ("the scenario file chosen in the panel does not load; choose another or fix it "
               "(the panel says what is wrong).")


def _same_file(draft: Draft | None, scenario: Scenario | None) -> bool:
    """Whether ``draft`` was made from ``scenario``'s file."""
    return draft is not None and scenario is not None and draft.path == (
        Path(scenario.path) if scenario.path else None)


def _seed(seed_text: str) -> tuple[int | None, str]:
    """The seed typed, and what is wrong with it ("" when nothing)."""
    try:
        return coerce_seed(seed_text), ""
    except ValueError as exc:
        return None, str(exc)


def set_aside_words(draft: Draft | None, scenario: Scenario | None, seed_text: str) -> str:
    """What choosing another file leaves behind of the panel's edits to ``draft`` (from
    ``scenario``'s file) and of the seed typed, in a sentence; "" when nothing was edited."""
    if draft is None:
        return ""
    changes = draft.with_seed(None).changes()  # the seed as typed, below (it may not parse)
    if scenario is not None and str(seed_text).strip() != str(scenario.run.seed):
        changes.append(f"seed {scenario.run.seed} \u2192 {str(seed_text).strip() or 'empty'}")
    if not changes:
        return ""
    return (f"Your edits to {draft.name} were not carried over to this file: "
            + "; ".join(changes) + ". Make them again here if you want them.")


# what "Discard changes" gives back (:func:`discard_to`)
TO_RUNNING = "the setup running"
TO_FILE = "the file as it is"


def discard_to(applied: tuple | None, draft: Draft | None, seed: int | None,
               seed_error: str) -> str:
    """What "Discard changes" gives back: :data:`TO_RUNNING` while anything in the panel
    differs from the setup running (``applied``: its draft, seed and Start from choice),
    the Start from choice alone too (a user check: "not applied yet", and Discard off);
    else :data:`TO_FILE` when the panel holds changes to its file (the setup running has
    them, or nothing runs yet); else "" (nothing to discard: the button is off)."""
    if applied is not None and applied[:2] != (draft, seed):
        return TO_RUNNING
    if draft is not None and (draft.changes() or seed_error):
        return TO_FILE
    return ""


def _runner(kept: Kept) -> Runner:
    """The page's worker, closed when the browser session ends (not when the page is left:
    its run is there on return)."""
    runner = Runner(lambda _f: None)
    kept.on_close(runner.close)
    return runner


@solara.component
def LivePage():
    # kept for the browser session, not with this component: the design, the setup running
    # and its day come back after a visit to the compare page (sim/app/kept.py)
    kept = use_kept("live")
    version, set_version = kept.state("version", 0)  # bumped when a file is saved: list again
    folder = scenarios_dir()
    choices = solara.use_memo(lambda: list_scenarios(folder), [version])
    # the first file that loads; the problems of broken ones before it are shown once
    start = kept.get("start", make=lambda: first_usable(choices, load_scenario_file, folder))
    if start[0] is None and BUILT_IN not in choices:  # nothing loads: the built-in defaults
        choices = {BUILT_IN: None, **choices}
    labels = list(choices)
    picked, set_picked = kept.state("picked", start[0] or BUILT_IN)
    if picked not in choices:
        picked = labels[0]
    skipped, set_skipped = kept.state("skipped", start[2])  # PageProblem rows of files passed over
    scenario, load_error = solara.use_memo(lambda: load_or_problems(choices[picked]),
                                           [picked, version])
    draft, set_draft = kept.state("draft", Draft.of(scenario) if scenario else None)
    if scenario is not None and not _same_file(draft, scenario):
        draft = Draft.of(scenario)
    seed_text, set_seed_text = kept.state("seed_text",
                                          str(scenario.run.seed) if scenario else "0")
    # (draft, seed, Start from choice) of the running setup
    applied, set_applied = kept.state("applied", None)
    check = solara.use_memo(lambda: draft.check() if draft is not None else None, [draft])
    runner = kept.get("runner", make=lambda: _runner(kept))
    seed, seed_error = _seed(seed_text)

    def type_seed(text: str):
        """The seed typed; one that parses is the draft's (a change like any other)."""
        set_seed_text(text)
        typed, _ = _seed(text)
        if typed is not None and draft is not None:
            set_draft(draft.with_seed(typed))

    to = discard_to(applied, draft, seed, seed_error)

    def discard():
        """Back to the setup running, its file and seed too; or, when that is what the
        panel holds, to its file as it is (in the seed field as well as the draft)."""
        if to == TO_RUNNING:
            d, s, label = applied
            if label != picked and label in choices:
                set_picked(label)
                set_skipped([])
                set_set_aside("")  # it spoke of the file chosen, now set back
            set_draft(d)
            set_seed_text(str(s))
        elif to == TO_FILE:
            set_draft(draft.reset())
            set_seed_text(str(draft.base_seed))

    def run(d: Draft, c: Check, s: int):
        label = d.header()
        runner.load(lambda: LiveSession(c.scenario, s, label=label))
        set_applied((d, s, picked))

    applies, set_applies = kept.state("applies", 0)  # each Apply folds the panel on a phone
    # what choosing another file set aside of the panel's edits (said, not dropped quietly:
    # a user check lost residents 20,000 and seed 42 with no word)
    set_aside, set_set_aside = kept.state("set_aside", "")

    def apply():
        if check is not None and check.scenario is not None and seed is not None:
            run(draft, check, seed)
            set_applies(applies + 1)
            set_set_aside("")

    solara.use_effect(lambda: None if applied is not None else apply(), [])

    def on_pick(label: str):
        if label == picked:
            return
        set_picked(label)
        set_skipped([])
        new, _ = load_or_problems(choices[label])
        set_set_aside(set_aside_words(draft, scenario, seed_text))
        if new is not None:
            set_draft(Draft.of(new))
            set_seed_text(str(new.run.seed))

    pending = applied is None or applied[:2] != (draft, seed)
    with PageFrame():
        with Main():
            LiveView(runner, pending and applied is not None,
                     "" if applied is not None else (NOT_LOADING if load_error else ""))
        with Side(fold_label="Design the programme (scenario, interventions, settings)",
                  fold_again=applies):
            if skipped:
                ProblemPanel(skipped, title="These scenario files cannot be used; the page "
                             "starts from the first one that can:", classes=["live-skipped"])
            DesignColumn(labels, picked, on_pick, load_error, draft, set_draft, check,
                         seed_text, type_seed, pending, apply, seed_error, folder,
                         lambda _p: set_version(version + 1),
                         scenario if _same_file(draft, scenario) else None, set_aside,
                         discard=discard if to else None, setup=applies,
                         discard_says=(f"Back to {applied[0].header()}, as it runs"
                                       if to == TO_RUNNING else
                                       f"Back to {draft.name} as its file has it"
                                       if to == TO_FILE else ""))
