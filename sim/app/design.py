"""The live page's design column: :func:`DesignColumn` composes the scenario picker
(:func:`ScenarioPicker`), the interventions (:func:`InterventionList`, cards from
:mod:`sim.app.panel`), the model settings, the seed (:func:`SeedInput`), "Apply and restart"
with what changed (:func:`ApplyBar`) and "Save".

Changes here wait, visibly, until "Apply and restart": the button is highlighted while
anything is pending, and the list of changes names them.
"""

from __future__ import annotations

import html
from pathlib import Path

import solara

from sim.app.draft import Check, Draft
from sim.app.layout import ShortText, Tipped
from sim.app.model_settings import settings_for
from sim.app.panel import AddIntervention, AdvancedSettings, InterventionCard, SaveScenario
from sim.app.problems import ProblemPanel
from sim.app.scenario_files import load_scenario_file, save_folder
from sim.palette import ERROR_TEXT
from sim.scenario.schema import Scenario


@solara.component
def DesignColumn(labels: list[str], picked: str, on_pick, load_error: list, draft: Draft | None,
                 set_draft, check: Check | None, seed_text: str, set_seed_text, pending: bool,
                 apply, seed_error: str, folder: Path, on_saved,
                 file_scenario: Scenario | None = None, set_aside: str = "", discard=None,
                 setup: int = 0, discard_says: str = ""):
    """The scenario picker, the intervention panel, the model settings and the seed, with
    "Apply and restart" and "Save".

    Args:
        labels, picked, on_pick: the scenario files offered and the one chosen.
        load_error: why the chosen file cannot be used (PageProblem rows; [] when it can).
        draft, set_draft: the programme being designed (None when the file is broken).
        check: the loader's verdict on the draft.
        seed_text, set_seed_text, seed_error: the seed as typed, and what is wrong with it.
        pending: whether anything differs from the running setup.
        apply: restart with the draft and seed.
        folder, on_saved: where "Save" writes, and what to do after.
        file_scenario: the chosen file's own scenario (names and units while the draft
            does not load).
        set_aside: what choosing this file left behind of the edits to the one before.
        discard, discard_says: what "Discard changes" does and what it gives back, in
            words (:func:`sim.app.live.discard_to`; None: nothing to discard).
        setup: counts the setups applied (a save belongs to the setup it saved).
    """
    from sim.scenario.loader import intervention_registry

    registry = solara.use_memo(intervention_registry, [])
    with solara.Card("Programme", margin=0, classes=["design-card"]):
        ScenarioPicker(labels, picked, on_pick)
        with solara.Div():  # always there: the widgets below are not made anew for it
            if set_aside:
                solara.Info(set_aside, classes=["live-set-aside"])
        if load_error:
            ProblemPanel(load_error, classes=["live-error"])
            return
        base_scenario = (check.scenario if check is not None and check.scenario is not None
                         else file_scenario or load_scenario_file(draft.path))
        # what the panel below shows at its own place: each card, each model setting
        shown_at = [f"interventions[{i}]" for i in range(len(draft.items))] + [
            f"{s.table}.{s.field}" for s in settings_for(base_scenario)]
        for p in check.general(shown_at) if check else []:
            (solara.Error if p.is_error else solara.Warning)(
                str(p) if p.key else p.message, classes=["live-error"])
        InterventionList(draft, set_draft, check, base_scenario, registry)
        AdvancedSettings(draft, set_draft, base_scenario, check)
        SeedInput(seed_text, set_seed_text, seed_error)
        ApplyBar(draft, check, registry, pending, apply, seed_error, discard, discard_says)
        if check is not None and check.scenario is not None:
            to = save_folder(draft.path, folder)
            # made anew for another file: what was typed and saved for one setup is not
            # said under another (a user check found "Saved as ..." after switching)
            SaveScenario(draft, to, on_saved, where="the scenarios folder" if to == folder
                         else f"{to.relative_to(folder).as_posix()}, with its area's files",
                         setup=setup, pending=pending).key(f"save-{draft.path}")


@solara.component
def ScenarioPicker(labels: list[str], picked: str, on_pick):
    """The scenario file to start from, and its whole label under the picker."""
    with solara.Div():
        with Tipped("Scenario files in the scenarios folder and its areas (areas/..., made "
                    "by run.py new-area): the community and the interventions to start "
                    "from. Your changes below apply to it."):
            solara.Select("Start from", values=labels, value=picked, on_value=on_pick,
                          classes=["live-scenario"])
        ShortText(picked, classes=["ks-note"])


@solara.component
def InterventionList(draft: Draft, set_draft, check: Check | None, scenario: Scenario,
                     registry: dict):
    """The draft's interventions, one card each, and the list to add another from."""
    with solara.Div():
        with solara.Div(style={"margin-top": "8px"}):
            solara.HTML(tag="div", unsafe_innerHTML="<b>Interventions</b>" + (
                "" if draft.items else " <span class='ks-note'>none: this is the community "
                "as it is</span>"))
        for i in range(len(draft.items)):
            InterventionCard(i, draft, set_draft, check, scenario, registry)
        AddIntervention(draft, set_draft, registry)


@solara.component
def SeedInput(seed_text: str, set_seed_text, seed_error: str):
    """The seed as typed, and what is wrong with it."""
    with Tipped("Runs with the same seed and settings are identical; change it to see "
                "another community drawn from the same scenario. A saved file keeps it."):
        solara.InputText("Seed (a whole number)", value=seed_text, on_value=set_seed_text,
                         continuous_update=True, error=seed_error or False,
                         classes=["live-seed"])


BACK_TO_FILE = "Back to the file as it is"


def to_fix(check: Check | None, seed_error: str) -> list[str]:
    """Everything that blocks "Apply and restart", each once: every error the loader found
    in the draft (each shown in red at one place, its field, its card, its model setting or
    the list above the panel; a name two interventions share is said at both and is one
    problem) and the seed typed, when it is not a seed. Warnings block nothing and are not
    red. The count above the button and the button read this one list (a user check: a bad
    seed turned its field red and blocked Apply, and was not counted)."""
    errors = [p.message for p in check.errors] if check is not None else []
    return errors + ([seed_error] if seed_error else [])


@solara.component
def ApplyBar(draft: Draft, check: Check | None, registry: dict, pending: bool, apply,
             seed_error: str, discard=None, discard_says: str = ""):
    """How many problems block "Apply and restart", the button (highlighted while changes
    wait), "Discard changes" (``discard``, off when None; ``discard_says`` what it gives
    back, on hover) and the list of changes."""
    n_to_fix = len(to_fix(check, seed_error))
    changes = draft.changes(registry)
    with solara.Div():
        if n_to_fix:
            solara.Text(f"{n_to_fix} problem{'s' if n_to_fix > 1 else ''} to fix before "
                        "applying (shown in red above).", classes=["live-to-fix"],
                        style={"color": ERROR_TEXT, "font-size": "13px"})
        # a little room above: the button sat on the seed field's underline (a user check);
        # padding, as a Row's own class (ma-0) sets its margins to 0 with !important
        with solara.Row(style={"flex-wrap": "wrap", "gap": "6px", "padding-top": "12px"}):
            solara.Button("Apply and restart", icon_name="mdi-restart", on_click=apply,
                          color="primary" if pending else None,
                          disabled=bool(n_to_fix),
                          classes=["live-apply"] + (["ks-pending"] if pending else []))
            # with nothing waiting, it takes the setup running back to its file: said so, as
            # "Discard changes" read as changes waiting (a user check, after Apply)
            solara.Button("Discard changes" if pending or discard is None
                          else BACK_TO_FILE, text=True, disabled=discard is None,
                          on_click=discard or (lambda: None), classes=["live-discard"],
                          attributes={"title": discard_says} if discard_says else {})
        if changes:
            with solara.Details(f"{draft.header(registry)}: what changed", expand=False):
                solara.HTML(tag="ul", unsafe_innerHTML="".join(
                    f"<li>{html.escape(c)}</li>" for c in changes),
                    style={"font-size": "12px", "padding-left": "16px"})
