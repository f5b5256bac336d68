"""The compare page's side column: the choices of a comparison, the upload of one's own
scenario file, the time estimate and the Run button (:func:`CompareControls`), and the files
brought by the user, to edit or remove (:func:`YourFiles`)."""

from __future__ import annotations

import math

import solara

from sim.app.estimate import duration_words
from sim.app.layout import LabelledSlider, ShortText, Tipped
from sim.app.problems import scenario_label
from sim.app.scenario_files import area_files
from sim.app.uploads import Upload, UploadError, check_upload, upload_label
from sim.palette import NOTE_TEXT
from sim.params import DAYS_PER_MONTH
from sim.report.programmes import settled_days, settling_words


def extends_words(upload: Upload, folder) -> str:
    """Which file an upload extends and the community it runs on, said plainly: an upload's
    ``extends`` names a file in the scenarios folder itself, so "baseline.toml" is the
    shipped baseline even where an area has a baseline.toml of its own (a user check
    uploaded an area's option, and it ran on the shipped community with nothing said)."""
    from pathlib import Path

    parent = scenario_label(Path(folder) / upload.extends) if upload.extends else "?"
    n = upload.scenario.model.population.n_residents
    words = f"Extends {parent} in the scenarios folder; {n:,} residents."
    if area_files(folder):
        words += " Not an area's file: an area's files are chosen from the Scenarios list."
    return words


DAYS_MIN, DAYS_STEP = 30, 10  # the days slider's least value and its step
# its most: ten years. It stopped at 730, so a scenario written for three years could not be
# run here, though run.py takes up to 36,500 days (a user check). A day's cost stays the
# same over a long run (0.25-0.37 ms a day at 300 residents in each of ten years, 0.35-0.45
# ms at 1,000, the combined package, 2026-11), so the estimate, days times a day's cost,
# holds. In tens the slider has 363 stops, over about 250 pixels of the side column: a drag
# lands within a dozen days, its arrow keys then move it by ten (page up and down by about
# a year).
# Its value stays the days (stops spaced unevenly, in tens up to 730 and wider beyond, would
# have given Vuetify's thumb a position, not days, to tell a screen reader)
DAYS_MAX = 3_650


def years_words(days: int) -> str:
    """" (3.0 years)" after a run of a year or more on the days slider (1,100 days), so
    that a run of so many years is found without counting; "" below a year."""
    years = int(days) / (12 * DAYS_PER_MONTH)
    return f" ({years:.1f} years)" if years >= 1 else ""


def on_slider(days: int) -> int:
    """The fewest days the days slider can show that are at least ``days`` (486 -> 490: the
    slider moves in tens from DAYS_MIN), so that the page asks for days its slider has."""
    return DAYS_MIN + max(0, math.ceil((int(days) - DAYS_MIN) / DAYS_STEP)) * DAYS_STEP


def settled_on_slider() -> int:
    """The fewest days the days slider can show that let the community settle."""
    return on_slider(settled_days())


def settling_note(days: int) -> str:
    """The command line's warning of a run too short for the community to settle
    (:func:`sim.report.programmes.settling_words`, said before the runs there too), in the
    page's terms: the days to choose rather than ``--days``; "" for a run long enough."""
    words = settling_words(int(days), "the verdicts will average", "deciding")
    if not words:
        return ""
    # the days the command line and the report say, and the slider's, as its button says (a
    # user check: "choose 486 days or more" beside a button "Use 490 days")
    n, enough = settled_days(), settled_on_slider()
    return (f"A run of {int(days):,} days: " + words.removeprefix("warning: ")
            .replace(f"use --days {n} or more", f"choose {n} days or more"
                     + (f", {enough} on this slider" if enough != n else "")) + ".")


@solara.component
def YourFiles(uploads, set_uploads, chosen, set_chosen, folder, keep_in, names_taken):
    """The files brought by the user: edit one (checked again when kept) or remove it.

    Args:
        uploads, set_uploads: the checked uploads (a tuple of :class:`Upload`).
        chosen, set_chosen: the scenarios chosen for the next comparison.
        folder, keep_in: the scenarios folder (what uploads may extend) and the page's own.
        names_taken: ``names_taken(but=upload)`` -> names an edited file must not reuse.
    """
    editing, set_editing = solara.use_state(-1)
    text, set_text = solara.use_state("")
    # the text as last typed, for "Check and keep" even before the page has redrawn with it
    typed = solara.use_ref("")
    problem, set_problem = solara.use_state("")

    def type_text(value: str):
        typed.current = value
        set_text(value)

    def edit(i: int):  # the text first: the box never opens empty, even for one render
        type_text(uploads[i].path.read_text(encoding="utf-8"))
        set_problem("")
        set_editing(i)

    def keep():
        old = uploads[editing]
        try:
            new = check_upload(old.name, typed.current.encode("utf-8"), folder, keep_in,
                               names_taken(but=old))
        except UploadError as exc:
            set_problem(str(exc))
            return
        replaced = list(uploads)
        replaced[editing] = new
        set_uploads(tuple(replaced))
        set_chosen([upload_label(new) if c == upload_label(old) else c for c in chosen])
        set_editing(-1)
        set_problem("")

    def remove(i: int):
        gone = upload_label(uploads[i])
        set_uploads(tuple(u for j, u in enumerate(uploads) if j != i))
        set_chosen([c for c in chosen if c != gone])
        set_editing(-1)

    with solara.Card("Your files", margin=0, classes=["compare-your-files"]):
        for i, u in enumerate(uploads):
            with solara.Row(style={"align-items": "center", "gap": "4px"}):
                with solara.Div(style={"flex": "1 1 auto", "min-width": "0"}):
                    ShortText(upload_label(u), style={"font-size": "13px"})
                solara.Button(icon_name="mdi-pencil", icon=True, text=True,
                              on_click=lambda i=i: edit(i), classes=["upload-edit"])
                solara.Button(icon_name="mdi-delete", icon=True, text=True,
                              on_click=lambda i=i: remove(i), classes=["upload-remove"])
            solara.Text(extends_words(u, folder), classes=["ks-note", "upload-extends"],
                        style={"font-size": "12px"})
        if 0 <= editing < len(uploads):
            solara.v.Textarea(v_model=text, on_v_model=type_text, rows=12, auto_grow=True,
                              class_="upload-text",
                              style_="font-family: monospace; font-size: 12px")
            with solara.Row(style={"gap": "6px"}):
                solara.Button("Check and keep", on_click=keep, color="primary",
                              classes=["upload-keep"])
                solara.Button("Cancel", text=True, on_click=lambda: set_editing(-1))
            if problem:
                solara.Error(problem, classes=["upload-problem"])


@solara.component
def CompareControls(labels, chosen, set_chosen, baseline, set_baseline, replicates,
                    set_replicates, days, set_days, residents, set_residents, seed_text,
                    set_seed_text, start, running, error, estimate, on_upload, upload_error,
                    upload_note="", seed_error: str = "", base_label: str | None = None,
                    base_note: str = "", late: tuple[str, ...] = (), n_run: int | None = None,
                    blocked: str = "", unticked: str = "", no_effect: tuple[str, ...] = (),
                    late_start: tuple[str, ...] = (), late_start_days: int = 0):
    """The choices of a comparison, the upload of one's own scenario file, the time estimate
    and the Run button (arguments: the page's states and their setters; ``seed_error``:
    what is wrong with the seed as typed; ``base_label``: the baseline the comparison would
    run with, "" when one must be chosen; ``base_note``: a word on that baseline; ``late``:
    a line for each programme that would start after the run ends, which Run waits on;
    ``n_run``: the scenarios the comparison would run (those chosen by default);
    ``blocked``: why those cannot be compared, said beside the greyed-out Run;
    ``unticked``: the baseline when it runs without being ticked in Scenarios;
    ``no_effect``: a warning for each option that runs exactly as the baseline, whose
    effects will be zero: said, not refused; ``late_start``: a warning for each programme
    that starts late for the verdicts' window, and ``late_start_days`` the days that would
    judge every programme, those that would never act included: offered with the days that
    let the community settle)."""
    import ipywidgets as widgets

    n_uploads, set_n_uploads = solara.use_state(0)

    def took_upload(files_in):
        on_upload(files_in)
        set_n_uploads(lambda n: n + 1)

    with solara.Card("Compare scenarios", margin=0):
        with Tipped("Scenario files to run side by side: those in the scenarios folder "
                    "(including setups saved on the live page), the areas made by run.py "
                    "new-area (areas/...), and files you bring."):
            solara.SelectMultiple("Scenarios", values=[c for c in chosen if c in labels],
                                  all_values=labels, on_value=set_chosen,
                                  classes=["compare-scenarios"])
        if base_label is None:
            base_label = baseline
        n_picked = len([c for c in chosen if c in labels])
        if n_run is None:
            n_run = n_picked
        # every file is offered: the baseline is a choice of its own, kept when it is
        # unticked above (a user check: unticked, the only option left became the baseline,
        # and was compared with itself)
        with Tipped("The scenario the others are compared with (usually the baseline). It "
                    "runs whether or not it is ticked in Scenarios."):
            solara.Select("Baseline", values=labels,
                          value=base_label or None, on_value=set_baseline,
                          classes=["compare-baseline"])
        # always there, so that what follows keeps its widgets as these come and go
        with solara.Div(classes=["compare-baseline-words"]):
            if not base_label and n_picked:
                solara.Error("Choose the baseline: the scenario the others are compared "
                             "with.", classes=["compare-baseline-missing"])
            if unticked and n_picked:
                solara.Text(f"{unticked} runs too, as the baseline (it is not ticked in "
                            "Scenarios); choose another baseline to compare with that "
                            "instead.", classes=["compare-baseline-unticked"],
                            style={"font-size": "12px", "color": NOTE_TEXT,
                                   "display": "block"})
            if base_note:
                solara.Warning(base_note, classes=["compare-baseline-note"])
            for note in no_effect:
                solara.Warning(note, classes=["compare-no-effect"])
        LabelledSlider("Replicates per scenario", replicates, 2, 30, 1, set_replicates,
                       "Runs per scenario. Replicate i of every scenario uses the same seed, "
                       "so differences come from the scenario, not from luck.", "replicates",
                       integer=True)
        LabelledSlider("Days to simulate", days, DAYS_MIN, DAYS_MAX, DAYS_STEP, set_days,
                       "How many days each run simulates (up to ten years; the arrow keys "
                       "move it by ten days). The verdicts average its last quarter, which "
                       f"comes after the community settles from {settled_days()} days on.",
                       "days", integer=True, after=years_words(days))
        settling = settling_note(days)
        with solara.Div(classes=["compare-settling"]):  # always there (as above)
            if settling:  # as the command line warns before its runs (sim/commands/job.py)
                solara.Warning(settling, classes=["compare-settling-note"])
            for note in late_start:  # as the command line warns too
                solara.Warning(note, classes=["compare-late-start-note"])
            if settling or late_start_days > int(days):
                # the first of the slider's days every warning allows (a user check: "Use
                # 490 days" beside a cafe opening on day 600, which 490 days never runs; a
                # day between the slider's steps was snapped back in the browser)
                enough = on_slider(max(settled_days() if settling else 0, late_start_days))
                solara.Button(f"Use {enough:,} days", small=True, outlined=True,
                              on_click=lambda: set_days(enough),
                              classes=["compare-settled-days"])
        with solara.Div(classes=["compare-late"]):  # always there (as above)
            if late:
                solara.Error("; ".join(late), classes=["compare-late-note"])
        LabelledSlider("Residents", residents, 200, 5000, 100, set_residents,
                       "Residents in every scenario's community (overrides the files); set "
                       "to the baseline's own when you choose it.",
                       "residents", integer=True)
        with Tipped("Root seed: the replicates' seeds are derived from it."):
            solara.InputText("Seed (a whole number)", value=seed_text,
                             on_value=set_seed_text, continuous_update=True,
                             error=seed_error or False, classes=["compare-seed"])
        runs = n_run * int(replicates)
        if blocked:  # nothing to time: why Run is greyed out, under it, instead
            pass
        elif estimate.state == solara.ResultState.FINISHED:
            solara.Text(f"{runs} runs of {int(days):,} days at {residents:,} residents: "
                        f"{duration_words(estimate.value)} on this machine.",
                        classes=["compare-estimate"], style={"font-size": "13px"})
        else:
            solara.Text(f"{runs} runs: timing a few days on this machine ...",
                        classes=["ks-note"])
        solara.Button("Run comparison", icon_name="mdi-play", color="primary",
                      on_click=start, classes=["compare-run"],
                      disabled=running or bool(seed_error) or bool(blocked) or bool(late))
        if blocked and (base_label or not n_picked):  # (else said under the baseline)
            solara.Text(blocked, classes=["compare-blocked"],
                        style={"font-size": "13px", "display": "block"})
        if error:
            solara.Error(error, classes=["compare-error"])
    with solara.Card("Bring your own scenario", margin=0):
        solara.Markdown("A `.toml` scenario file that **extends** one in the scenarios "
                        "folder (for example `extends = \"baseline.toml\"`: the shipped "
                        "baseline). It is checked like any scenario file, and you can edit "
                        "it here once it is in. Or design one on the live page and save it "
                        "there. An area's files (made by `run.py new-area`, which puts them "
                        "in scenarios/areas/) are not uploaded: choose them in the Scenarios "
                        "list above.", style={"font-size": "13px"})
        # a new button after each upload: the widget keeps the files it was given, and said
        # "Upload .toml (1)" beside a file refused (a user check); they are listed above
        widgets.FileUpload.element(accept=".toml", multiple=True, description="Upload .toml",
                                   on_value=took_upload, _dom_classes=["compare-upload"]
                                   ).key(f"compare-upload-{n_uploads}")
        if upload_error:
            solara.Error(upload_error, classes=["compare-upload-error"])
        if upload_note:
            solara.Info(upload_note, classes=["compare-upload-note"])
