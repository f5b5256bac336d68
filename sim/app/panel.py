"""The intervention panel: add, remove and size interventions, in the units the intervention
classes declare (Solara components over :class:`sim.app.draft.Draft`).

Every input is built from a field's ``param()`` metadata (:func:`sim.app.fields.field_specs`):
its unit and range under the input, its meaning as a tooltip, a list of names where the value
must name a section, hub or orientation, weekday chips for weekdays, and a sub-form for a
nested table (a new hub's capacity and opening days). Whatever is typed goes into the draft
as a scenario file would hold it, and the scenario loader's own messages come back under the
field they concern.

Components (each with its arguments documented):

- :func:`InterventionCard`: one intervention's fields and a Remove button;
- :func:`FieldInput`: one field, by kind;
- :func:`AddIntervention`: a list of the registered types;
- :func:`AdvancedSettings`: model settings, folded under "Advanced";
- :func:`SaveScenario`: save the setup as a scenario file, or download it.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import solara

from sim.app.draft import (
    Check,
    Draft,
    file_taken,
    name_clash,
    name_problems,
    names_in_use,
    safe_stem,
    split_warnings,
    without_toml,
)
from sim.app.fields import (
    FieldSpec,
    checkbox_hint,
    days_as_months,
    field_specs,
    hub_summary,
    in_table,
    in_words,
    list_text,
    names_for,
    parse_list,
    parse_typed,
    to_toml_form,
    type_summary,
    type_title,
)
from sim.app.layout import Fold, LabelledSlider, ShortText, Tipped
from sim.app.model_settings import settings_for
from sim.palette import CARD_EDGE, ERROR_TEXT, WARNING_TEXT
from sim.params import WEEKDAYS, HubSpec
from sim.scenario.schema import Scenario


def shown_text(value) -> str:
    """A draft value in a text box: numbers as typed, lists as typed (comma-separated:
    :func:`sim.app.fields.list_text`), None as empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return f"{value:.1f}"
    if isinstance(value, list):
        return list_text(value)
    return str(value)


@solara.component
def FieldInput(spec: FieldSpec, value, on_value, errors: list[str], names: list[str],
               key: str):
    """One field of an intervention (or of a nested table).

    Args:
        spec: the field (kind, unit, range, meaning).
        value: its value in the draft (None: not set, the default applies).
        on_value: called with the new value as a scenario file would hold it (None: unset).
        errors: the loader's messages about this field (errors mark it red; warnings are
            said under it: :func:`sim.app.draft.split_warnings`).
        names: the allowed names, for a field that refers to sections, hubs or orientations.
        key: a CSS class for the field's wrapper (``field-<key>``), for tests and styling.
    """
    shown = value if value is not None else spec.default
    errors, warnings = split_warnings(errors)
    error, warning = "; ".join(errors), "; ".join(warnings)
    hint = spec.hint
    if spec.unit == "day" and shown:
        hint += f" ({days_as_months(shown)})" if days_as_months(shown) else ""
    if spec.optional and value is None and spec.kind in ("int", "float", "text"):
        hint += "; empty: not set"
    with Tipped(spec.doc[:1].upper() + spec.doc[1:] + ".", classes=[f"field-{key}"]):
        if spec.kind == "bool":
            solara.Checkbox(label=spec.label, value=bool(shown), on_value=on_value)
            _hint(checkbox_hint(spec), error, warning)
        elif spec.kind in ("choice", "name"):
            options = list(spec.choices) if spec.kind == "choice" else list(names)
            blank = "(not set)"
            if spec.optional or spec.default in ("", None) or spec.kind == "name":
                options = [blank, *[o for o in options if o != blank]]
            current = shown if shown not in ("", None) else blank
            if current not in options:
                options.append(current)
            solara.Select(spec.label, values=options, value=current,
                          on_value=lambda x: on_value(None if x == blank else x))
            _hint(hint, error, warning)
        elif spec.kind in ("names", "weekdays"):
            options = list(WEEKDAYS) if spec.kind == "weekdays" else list(names)
            chosen = [str(x) for x in (shown or [])]
            for c in chosen:
                if c not in options:
                    options.append(c)
            solara.SelectMultiple(spec.label, values=chosen, all_values=options,
                                  on_value=lambda xs: on_value(
                                      [x for x in options if x in xs]))
            _hint(hint + ("; none chosen: " + ("every one" if spec.kind == "names"
                                                else "no days") if not chosen else ""),
                  error, warning)
        else:  # numbers, text, lists: typed, read as a scenario file would read them
            if spec.kind == "list":
                hint += ("; " if hint else "") + "separated by commas"
            solara.InputText(spec.label, value=shown_text(shown), continuous_update=False,
                             on_value=lambda text: on_value(
                                 parse_list(text) if spec.kind == "list" else
                                 parse_typed(text, spec.kind) if spec.kind != "text"
                                 else (text if text != "" else None)),
                             error=error or False, message=hint or None,
                             classes=["ks-field-input"])
            _hint("", "", warning)


def _hint(hint: str, error: str, warning: str = "") -> None:
    """Under a field: its error (red), else its unit and range; and its warning."""
    if error:
        solara.Text(error, style={"color": ERROR_TEXT, "font-size": "12px"})
    elif hint:
        solara.Text(hint, style={"color": "#666", "font-size": "12px"})
    if warning:
        _said(warning)


def _said(message: str, classes: tuple[str, ...] = ()) -> None:
    """A message of the loader's on a line of its own: red for an error, in the warnings'
    colour for a warning (which blocks nothing, and is not counted among the problems)."""
    solara.Text(message, classes=list(classes), style={
        "color": WARNING_TEXT if split_warnings([message])[1] else ERROR_TEXT,
        "font-size": "12px", "display": "block"})


@solara.component
def InterventionCard(index: int, draft: Draft, set_draft, check: Check, scenario: Scenario,
                     registry: dict):
    """One intervention in the draft.

    Args:
        index: its position in the draft (``interventions[index]`` in the file).
        draft, set_draft: the programme being designed and how to replace it.
        check: the loader's verdict on the draft (messages are shown under their fields).
        scenario: the checked scenario (or the file's), for the names fields may refer to.
        registry: intervention types by name.
    """
    item = draft.items[index]
    cls = registry.get(item.kind)
    prefix = f"interventions[{index}]"
    title = str(item.table.get("label") or type_title(item.kind, registry))
    own = check.for_key(prefix)
    own_errors, _ = split_warnings(own)
    specs = field_specs(cls) if cls is not None else ()
    # the loader's messages about the whole intervention: at the field whose value they
    # quote, or in the card (a user check saw only the card's edge turn red)
    at_field, whole = check.placed(prefix, item.table, [s.name for s in specs])
    with solara.Card(margin=0, classes=["iv-card", f"iv-{index}"],
                     style={"padding": "4px 8px", "margin-bottom": "8px",
                            "border-left": "4px solid " + (
                                ERROR_TEXT if own_errors else WARNING_TEXT if own
                                else CARD_EDGE)}):
        with solara.Row(style={"align-items": "center", "gap": "4px"}):
            with solara.Div(style={"flex": "1 1 auto", "min-width": "0"}), Tipped(
                    type_summary(cls) if cls is not None else item.kind):
                ShortText(title, style={"font-weight": "600"})
                ShortText(type_title(item.kind, registry)
                          + (" (new)" if item.origin is None else ""),
                          classes=["ks-note"])
            # named for screen readers and on hover (a user check: an unnamed trash icon)
            solara.Button(icon_name="mdi-delete", icon=True, text=True,
                          on_click=lambda: set_draft(draft.without(index)),
                          classes=["iv-remove"],
                          attributes={"aria-label": f"Remove {title}",
                                      "title": f"Remove {title}"})
        if cls is None:
            solara.Error(" ".join(own) or f"unknown intervention type {item.kind!r}")
            return
        for msg in whole:
            _said(msg, ("iv-problem",))
        # open while new or wrong, and left open when put right (Fold)
        with Fold(f"Settings of {title}", open_when=bool(own) or item.origin is None):
            # fields that mean nothing beside a table that is set (a new hub's card showed
            # "Extend hub (not set)"): hidden while it is, unless given a value (then the
            # loader's refusal of both is said at it)
            hidden = {name for table, names in getattr(cls, "instead_of_table", {}).items()
                      if isinstance(item.table.get(table), dict) for name in names
                      if item.table.get(name) in (None, "", [])}
            for spec in specs:
                if spec.name in hidden:
                    continue
                spec = in_words(spec, spec.name)
                key = f"{prefix}.{spec.name}"
                value = item.shown(spec.name)
                if spec.kind == "table":
                    NestedTable(spec, value, lambda t, n=spec.name: set_draft(
                        draft.with_table(index, n, t)), check, key, scenario,
                        _type_default_table(cls, spec.name))
                    continue
                FieldInput(spec, value,
                           lambda x, n=spec.name: set_draft(draft.with_value(index, n, x)),
                           check.for_key(key) + at_field.get(spec.name, []),
                           names_for(spec.refers_to, scenario, spec.declared,
                                     from_start=spec.name in getattr(cls, "hubs_from_start",
                                                                     {})), spec.name)


@solara.component
def NestedTable(spec: FieldSpec, value, on_table, check: Check, key: str,
                scenario: Scenario, start: dict | None = None):
    """A field whose value is a table of its own (a new hub): a switch to set it, then its
    fields.

    Args:
        spec: the field (``spec.fields`` are the table's own fields).
        value: the table in the draft (None: not set).
        on_table: called with the new table, or None to unset it.
        check: the loader's verdict (messages under their fields).
        key: the field's key path in the file (``interventions[0].hub``).
        scenario: for the names fields may refer to.
        start: the table a tick sets, when the intervention type has its own (a third
            space's cafe); else the table type's defaults. A field of it cleared takes its
            value from ``start`` too, the card's default (a user check cleared a new hub's
            Capacity and got a bare hub's 40, not the cafe's 30).
    """
    is_set = isinstance(value, dict)
    is_hub = spec.table_type is HubSpec
    with solara.Div(classes=[f"field-{spec.name}"],
                    style={"border-left": "2px solid #ddd", "padding-left": "8px"}):
        with Tipped(spec.doc[:1].upper() + spec.doc[1:] + "."):
            solara.Checkbox(label="Open a new hub" if is_hub else f"{spec.label}: set one",
                            value=is_set,
                            on_value=lambda on: on_table(
                                (dict(start) if start else _start_table(spec)) if on else None))
        if is_hub and not is_set:
            _hint(UNSET_HUB, "")
        for msg in check.for_key(key) if not is_set else []:
            _said(msg)
        if not is_set:
            return
        if is_hub:  # the hub that will open, in words, before its fields
            solara.Text(hub_summary(value), classes=["ks-hub-summary"],
                        style={"font-size": "13px", "display": "block",
                               "margin": "2px 0 6px"})
        # a hub's name first, as the sentence above and the picture call it by it
        fields = sorted(spec.fields, key=lambda f: f.name != "name") if is_hub else spec.fields
        for sub in (in_table(f, spec, value) for f in fields):
            sub = in_words(sub, f"{spec.name}-{sub.name}")
            FieldInput(sub, value.get(sub.name),
                       lambda x, n=sub.name: on_table(_with(
                           value, n, x if x is not None else (start or {}).get(n))),
                       check.for_key(f"{key}.{sub.name}"),
                       names_for(sub.refers_to, scenario, sub.declared), f"{spec.name}-{sub.name}")


# under "Open a new hub" unticked: what the intervention does then (its hub field's meaning)
UNSET_HUB = ("Not ticked: gives more opening days to the hub chosen below; with none chosen, "
             "opens a community cafe between the sections, four days a week")


def _type_default_table(cls, field: str) -> dict | None:
    """The table an intervention type of class ``cls`` sets for ``field`` when the file gives
    none (a third space opens its community cafe), in TOML form; None when it has none of its
    own. Ticking "Open a new hub" again after unticking it started from a bare hub's
    defaults (a library called "hub"), not the cafe the type opens (a user check)."""
    try:
        value = getattr(cls(), field, None)
    except (TypeError, ValueError):  # a type that needs values has no default
        return None
    return dict(to_toml_form(value)) if dataclasses.is_dataclass(value) else None


def _start_table(spec: FieldSpec) -> dict:
    """A nested table filled with its type's defaults (so that it loads as it stands)."""
    try:
        return dict(to_toml_form(spec.table_type()) or {})
    except TypeError:
        return {}


def _with(table: dict, key: str, value) -> dict:
    out = dict(table)
    if value is None or value == "":
        out.pop(key, None)
    else:
        out[key] = value
    return out


@solara.component
def AddIntervention(draft: Draft, set_draft, registry: dict):
    """A list of the intervention types; choosing one adds it with its defaults.

    Args:
        draft, set_draft: the programme and how to replace it.
        registry: intervention types by name.
    """
    prompt = "Add an intervention ..."
    titles = dict(sorted((type_title(k, registry), k) for k in registry))

    def add(title):
        if title in titles:
            set_draft(draft.with_added(titles[title], registry))

    with Tipped("Adds an intervention with its default size and timing; set them below.",
                classes=["iv-add"]):
        solara.Select("Add an intervention", values=[prompt, *titles], value=prompt,
                      on_value=add)


@solara.component
def AdvancedSettings(draft: Draft, set_draft, scenario: Scenario, check: Check):
    """Model settings (not choices a funder makes), folded under "Advanced".

    Args:
        draft, set_draft: the programme and how to replace it.
        scenario: the file's scenario (for each setting's unit and source).
        check: the loader's verdict (a setting's messages under its slider).
    """
    settings = settings_for(scenario)
    with solara.Details("Advanced: model settings", expand=False):
        solara.Text("How the community behaves, not what a programme does. Change these to "
                    "test how sure a result is.", classes=["ks-note"])
        for s in settings:
            value = draft.setting(s.key)
            LabelledSlider(s.label, value, s.lo, s.hi, s.step,
                           lambda x, k=s.key: set_draft(draft.with_setting(k, x)),
                           s.tooltip(scenario), s.key, s.integer,
                           after=f" (the file's value; the slider moves in steps of "
                           f"{s.step:g})" if s.between_steps(value) else "")
            if s.note:
                solara.Text(s.note, classes=["ks-note", f"note-{s.key}"],
                            style={"display": "block"})
            for msg in check.for_key(f"{s.table}.{s.field}"):
                _said(msg)


@solara.component
def SaveScenario(draft: Draft, folder, on_saved=None, where: str = "the scenarios folder",
                 setup: int = 0, pending: bool = False):
    """Save the setup as a scenario file in the scenarios folder (never over another file,
    nor under the name of another scenario beside it or shipped), or download it. What the
    save would refuse (a name taken, too long or blank; a file already there) is said at
    its field as the names are typed, in the save's words, and Save waits; the file that
    will be written is said under the file name, and a failed save's message goes when a
    name is typed again.

    Args:
        draft: the programme as it is in the panel.
        folder: where to save it (the pickers' folder, or the area's folder of an area's
            file: :func:`sim.app.scenario_files.save_folder`).
        on_saved: called with the new file's path (so that the pickers list it).
        where: ``folder`` in words, for the button and the message.
        setup: changes when a setup is applied: a save's note, and the names typed for it,
            belong to the setup it saved and go when another one is applied.
        pending: the panel differs from the setup running; the fold then says that it
            saves the panel's setup, changes not yet applied included (a user check saved
            a "Start from" file chosen and not applied, and read the file as the run's).
    """
    name, set_name = solara.use_state("")
    stem, set_stem = solara.use_state("")
    outcome, set_outcome = solara.use_state(("", ""))  # (kind, message)
    # (name, file name, draft) of the last file saved here: its name is then taken by that
    # very file, which the name field says as such, not as a clash (a user check read
    # "'My test' is already the name of my_test.toml" right after saving it as a failure)
    saved, set_saved = solara.use_state(None)
    # the names of the files beside it and the shipped ones, read again after a save
    taken = solara.use_memo(lambda: names_in_use(folder), dependencies=[str(folder), outcome])

    def forget_the_save():
        """Another setup applied: the note about a save of the one before goes, and so do
        the names typed for that save (a user check: after Apply, "Saved as ..." stayed and
        the name field opened saying the name was taken, by the file just saved). A name
        typed and not yet used stays; the same setup applied again keeps its note."""
        if saved is not None and saved[2] != draft:
            set_name("")
            set_stem("")
            set_saved(None)
            set_outcome(("", ""))
        elif outcome[0] == "error":
            set_outcome(("", ""))

    solara.use_effect(forget_the_save, [setup])
    # until the user types a name of their own: the setup's header ("Baseline + 1 change"),
    # never one a file has ("Baseline (copy)" for an unchanged setup: Draft.save_name)
    default_name = draft.save_name(taken)
    shown_name = name or default_name
    just_saved = saved is not None and saved[0] == shown_name and saved[2] == draft
    changes = draft.changes()
    description = (f"Made on the live page from {draft.path.name if draft.path else 'the '
                   'built-in defaults'}" + (": " + "; ".join(changes) if changes else "")
                   + ".")
    # what the save would refuse, said as the names are typed, in its words, and Save
    # greyed out (a user check: a name of 200 characters failed only after the click)
    name_error = "" if just_saved else (name_clash(shown_name, taken) or "; ".join(
        name_problems(shown_name, description)))
    try:
        file_stem = safe_stem(stem or shown_name)
    except ValueError:
        file_stem = "my_scenario"
    target = Path(folder) / f"{file_stem}.toml"
    file_error = "" if just_saved or not target.exists() else file_taken(target)
    typed_stem = without_toml(stem) or file_stem
    # the file that will be written, always (a user check: '../evil' was saved as
    # evil.toml, and 'x.toml' as x_toml.toml, unsaid)
    file_words = f"will be saved as {target.name} in {where}" + (
        "" if typed_stem == file_stem
        else ": a file name keeps letters, digits, '-' and '_' only")

    def forget_a_failure():
        """A failed save's message goes when a name is typed: it was about the names
        before (a user check found it there after the name was put right)."""
        if outcome[0] == "error":
            set_outcome(("", ""))

    def type_name(value: str):
        set_name(value)
        forget_a_failure()

    def type_stem(value: str):
        set_stem(value)
        forget_a_failure()

    def save():
        if name_error or file_error or just_saved:  # said at the name fields
            set_outcome(("", ""))
            return
        try:
            path = draft.save(folder, file_stem, name=shown_name, description=description)
        except (FileExistsError, ValueError, OSError) as exc:
            set_outcome(("error", str(exc)))
            return
        # the names used, said, when the fields were left empty (a user check emptied both
        # and found a file saved under names it was never told)
        named = f", named “{shown_name}”" + (
            " (the name the field offered)" if not name.strip() else "")
        if not stem.strip():
            named += "; its file name is made from the name"
        set_saved((shown_name, path.name, draft))
        # in a browser user's words: where to find it on the pages, not a command with the
        # server's paths (a user check read `/work/.../.venv/bin/python run.py validate ...`)
        set_outcome(("ok", f"Saved as {path.name} in {where}{named}. It is in the "
                     "“Start from” list here and on the compare page."))
        if on_saved is not None:
            on_saved(path)

    with solara.Details("Save this setup as a scenario file", expand=False):
        # each note a line of its own (two ran together: "...before them.No changes ...")
        block = {"display": "block", "margin-bottom": "6px"}
        if pending:
            solara.Text("Saves the setup as the panel above shows it, which is not yet "
                        "applied: the run on the page is the one before.",
                        classes=["ks-note", "save-pending"], style=block)
        only_seed = draft.seed is not None and len(changes) == 1  # (the seed's comes last)
        if draft.path is not None and (not changes or only_seed):
            # (a user check saved a copy unchanged, or changed in its seed alone, unwarned;
            # validate and the compare page then warned of it)
            why = (f"Only the seed differs from {draft.path.name}: a comparison runs all its "
                   "scenarios at one seed, so there a copy runs" if only_seed else
                   f"No changes from {draft.path.name}: a copy runs")
            solara.Text(f"{why} exactly as that file does, and compared with it every effect "
                        "would be zero. Change something above first, unless a copy to edit "
                        "is what you want.", classes=["ks-note", "save-unchanged"],
                        style=block)
        solara.InputText("Scenario name", value=shown_name, on_value=type_name,
                         continuous_update=True, classes=["save-name"],
                         error=name_error or False,
                         message=f"saved as {saved[1]}; to save another file, type another "
                         "scenario name here (two files may not share one)"
                         if just_saved else None)
        solara.InputText("File name (without .toml)", value=typed_stem,
                         on_value=type_stem, continuous_update=True, classes=["save-file"],
                         error=file_error or False,
                         message=None if just_saved else file_words)
        with solara.Row(style={"flex-wrap": "wrap", "gap": "6px"}):
            solara.Button("Save to the scenarios folder" if where == "the scenarios folder"
                          else "Save with the area's files", icon_name="mdi-content-save",
                          on_click=save, classes=["save-scenario"], outlined=True,
                          disabled=bool(name_error) or bool(file_error) or just_saved)
            solara.FileDownload(lambda: draft.toml(name=shown_name,
                                                   description=description).encode(),
                                filename=f"{file_stem}.toml", label="Download the file",
                                mime_type="application/toml")
        kind, message = outcome
        if kind == "ok":
            # (a long file name breaks inside the box: sim/app/layout.py)
            solara.Success(message, classes=["save-ok"])
        elif kind == "error":
            solara.Error(message, classes=["save-error"])
