"""A programme being designed on the live page: a scenario file plus the changes made to it
(plain Python, no Solara).

A :class:`Draft` starts from a scenario file's merged definition and records edits: an
intervention added, removed or resized, a model setting moved, the seed changed. It is
written out as an ordinary scenario file that ``extends`` the file it started from
(:meth:`Draft.toml`), and checked by the scenario loader itself (:meth:`Draft.check`): the
panel has no validation of its own, so its messages are the very messages a file would get,
with the same key paths (``interventions[1].organisers``), which the panel maps back to the
field they belong to.
What the panel shows for each field is in :mod:`sim.app.fields`; the model settings it
offers, in :mod:`sim.app.model_settings`.
"""

from __future__ import annotations

import contextlib
import copy
import dataclasses
import math
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from sim.app.fields import field_specs, number_text, to_toml_form, type_title
from sim.app.model_settings import SETTINGS, settings_for
from sim.ensemble.seeds import DEFAULT_ROOT_SEED
from sim.params import HubSpec
from sim.scenario.errors import Problem, ScenarioError
from sim.scenario.intervention_checks import DAY_KEYS, days_from_months, is_months
from sim.scenario.loader import intervention_registry
from sim.scenario.reference import toml_value
from sim.scenario.schema import Scenario
from sim.scenario.words import file_stem


@dataclass(frozen=True)
class Item:
    """One intervention in the draft: its table as a scenario file writes it (with
    ``type``), and the position of the table it started from in the file (None if added)."""

    table: dict
    origin: int | None = None

    @property
    def kind(self) -> str:
        return str(self.table.get("type", ""))

    def shown(self, name: str):
        """The value the panel shows for field ``name``: the table's; for a window's day the
        file gave in months (``start_month``), the day that month becomes, so the panel
        shows when the programme starts (typing a day replaces the month:
        :meth:`Draft.with_value`); None: not set."""
        value = self.table.get(name)
        month = self.table.get(DAY_KEYS.get(name, ""))
        if value is None and is_months(month):
            return days_from_months(month)
        return value


@dataclass(frozen=True)
class Check:
    """The loader's verdict on a draft: the scenario (None when there are errors) and every
    problem, errors and warnings, each with its key path in the file."""

    scenario: Scenario | None
    problems: tuple[Problem, ...] = ()
    # the same problems said again at a second place (the other of two interventions with
    # one name): shown there too, not counted again
    echoes: tuple[Problem, ...] = ()

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def _shown(self) -> tuple[Problem, ...]:
        return self.problems + self.echoes

    def for_key(self, prefix: str) -> list[str]:
        """Messages of the problems at ``prefix`` or inside it (``interventions[1]``); a
        day of a window (``interventions[1].start_day``) also gets those of the month key
        the file may have given it by (``start_month``: the panel shows days only). A
        warning's opens with :data:`WARNING_WORDS` (:func:`split_warnings`)."""
        head, _, last = prefix.rpartition(".")
        keys = (prefix, f"{head}.{DAY_KEYS[last]}") if head and last in DAY_KEYS else (prefix,)
        out = []
        for p in self._shown:
            if any(p.key == k or p.key.startswith((k + ".", k + "[")) for k in keys):
                out.append(_said(p))
        return out

    def placed(self, prefix: str, table: dict, names) -> tuple[dict[str, list[str]], list[str]]:
        """The messages about intervention ``prefix`` that no field's own key carries (the
        loader names the whole intervention when building it fails: "interventions[0]:
        cannot be built: unknown commitment 'visitt'"), as ``({field: messages}, rest)``:
        a message that quotes a value only one of ``names`` holds in ``table`` goes to that
        field (the 'visitt' typed into Commitments), without the loader's "cannot be built:"
        (a user check: jargon beside a field, which says what is wrong as it is); the rest
        belong to the intervention as a whole (its card shows them). A user check found such
        a message shown nowhere: only the card's edge turned red."""
        at_field: dict[str, list[str]] = {}
        rest: list[str] = []
        names = list(names)
        for p in self._shown:
            if not (p.key == prefix or p.key.startswith(prefix + ".")):
                continue
            field_name = p.key[len(prefix) + 1:].split(".")[0].split("[")[0]
            if field_name in names:  # the field's own (shown by for_key)
                continue
            holder = _quoted_holder(p.message, table, names)
            if holder is not None:
                at_field.setdefault(holder, []).append(
                    _said(dataclasses.replace(p, message=p.message.replace(_NOT_BUILT, "", 1))))
            else:
                rest.append(_said(p if p.key == prefix else dataclasses.replace(
                    p, message=f"{p.key[len(prefix) + 1:]}: {p.message}")))
        return at_field, rest

    def general(self, known_prefixes) -> list[Problem]:
        """Problems not at any of ``known_prefixes``, the keys the panel shows problems at
        (shown as a list above the panel: every error is shown somewhere, as the count of
        problems to fix counts each one)."""
        return [p for p in self.problems
                if not any(p.key == k or p.key.startswith((k + ".", k + "["))
                           for k in known_prefixes)]


@dataclass(frozen=True)
class Draft:
    """A scenario file and the changes made to it on the page (immutable: every edit
    returns a new draft).

    Args:
        name: the scenario's name ("Baseline").
        path: its file (None: the built-in defaults).
        base: the file's merged definition (``Scenario.definition``).
        base_settings: the file's value of each model setting.
        base_seed: the file's seed (``[run] seed``).
    """

    name: str
    path: Path | None
    base: dict
    base_settings: dict
    items: tuple[Item, ...] = ()
    settings: dict = field(default_factory=dict)  # setting key -> value (changed ones only)
    base_seed: int = DEFAULT_ROOT_SEED
    # the seed typed on the page (None: the file's). A file's [run] seed like any other of
    # its keys: the edits count it, Discard undoes it and a saved file holds it (a user check
    # found it pending, yet neither discarded nor saved)
    seed: int | None = None

    @classmethod
    def of(cls, scenario: Scenario) -> Draft:
        definition = copy.deepcopy(scenario.definition or {})
        tables = definition.get("interventions", []) or []
        items = tuple(Item(copy.deepcopy(t), i) for i, t in enumerate(tables))
        path = Path(scenario.path) if scenario.path else None
        return cls(scenario.name, path, definition,
                   {s.key: s.get(scenario) for s in settings_for(scenario)}, items,
                   base_seed=int(scenario.run.seed))

    # -- edits -----------------------------------------------------------------------------
    def with_value(self, index: int, name: str, value, sub: str | None = None) -> Draft:
        """Set field ``name`` of intervention ``index`` (``sub``: a field of a nested table
        such as a new hub's capacity). ``None`` unsets it (back to the default)."""
        table = copy.deepcopy(self.items[index].table)
        if sub is None:
            _assign(table, name, value)
            # a day typed (or cleared) in the panel replaces the month the file gave
            table.pop(DAY_KEYS.get(name, ""), None)
        else:
            inner = table.get(name)
            inner = dict(inner) if isinstance(inner, dict) else {}
            _assign(inner, sub, value)
            table[name] = inner
        items = list(self.items)
        items[index] = dataclasses.replace(items[index], table=table)
        return dataclasses.replace(self, items=tuple(items))

    def with_table(self, index: int, name: str, table: dict | None) -> Draft:
        """Set or clear (None) a whole nested table, such as a new hub."""
        return self.with_value(index, name, table)

    def with_added(self, kind: str, registry: dict | None = None) -> Draft:
        """Add an intervention of type ``kind`` with its defaults, labelled with the type's
        plain title (so that the run, its charts and a saved file call it what the list of
        types did, not "One to ones"); a second of a type gets a distinct name, as the loader
        requires, and a numbered label. A type that opens a hub by default whose name a hub
        of the setup has gets that hub with a free name (:meth:`_own_hubs`)."""
        registry = intervention_registry() if registry is None else registry
        if kind not in registry:
            raise KeyError(f"unknown intervention type {kind!r}")
        table = {"type": kind, "label": type_title(kind, registry)}
        taken = {str(it.table.get("name") or it.kind) for it in self.items}
        if kind in taken:
            table["name"] = _numbered(kind, taken)
            table["label"] += f" ({table['name'].rpartition('_')[2]})"
        table.update(self._own_hubs(registry[kind], registry))
        return dataclasses.replace(self, items=(*self.items, Item(table)))

    def _own_hubs(self, cls, registry: dict) -> dict:
        """The hub tables a new intervention of type ``cls`` needs so that the hubs it opens
        by default do not repeat a hub name of the setup (:meth:`hub_names`): a second new
        hub or third space opened 'community_space' beside the first one's, and the page
        showed a clash the user had not made. Each such hub is its default, set in its
        table so that the card shows the hub that will open (its fields, ticked: a user check
        found "Hub: set one" unticked while a hub was to open), with a free name
        ('community_space_2') where its own is taken; {} for a type that opens none."""
        try:
            built = cls()
        except (TypeError, ValueError):  # a type that needs values has no default hub
            return {}
        if not set(built.hubs_opened()):
            return {}
        taken = self.hub_names(registry)
        out = {}
        for spec in field_specs(cls):
            hub = getattr(built, spec.name, None)
            if spec.kind == "table" and isinstance(hub, HubSpec):
                out[spec.name] = {**to_toml_form(hub), "name": _numbered(hub.name, taken)
                                  if hub.name in taken else hub.name}
        return out

    def hub_names(self, registry: dict | None = None) -> set[str]:
        """The hub names the setup has or opens: the file's hubs, those its interventions'
        hub tables name, and the hub each intervention that sets no table of its own may
        open by default (perhaps one it does not: a third space extending a hub. A name too
        many only gives a new hub a number it did not need; read from the tables, not by the
        loader, so that it holds while the draft has problems)."""
        registry = intervention_registry() if registry is None else registry
        names = {str(h["name"]) for h in self.base.get("hubs", []) or []
                 if isinstance(h, dict) and "name" in h}
        for it in self.items:
            tables = [v for v in it.table.values() if isinstance(v, dict)]
            names |= {str(t["name"]) for t in tables if "name" in t}
            cls = registry.get(it.kind)
            if cls is not None and not tables:
                with contextlib.suppress(TypeError, ValueError):  # needs values: no default
                    names |= set(cls().hubs_opened())
        return names

    def without(self, index: int) -> Draft:
        items = tuple(it for i, it in enumerate(self.items) if i != index)
        return dataclasses.replace(self, items=items)

    def with_setting(self, key: str, value) -> Draft:
        """Set model setting ``key``. The file's value, or that value as its slider draws it
        (:meth:`sim.app.model_settings.Setting.drawn`: the slider sends it back unmoved when
        it is drawn, and on "Discard changes"), is no change: the file's exact value stays."""
        settings = dict(self.settings)
        if key in self.base_settings and self._is_file_value(key, value):
            settings.pop(key, None)
        else:
            settings[key] = value
        if settings == self.settings:
            return self
        return dataclasses.replace(self, settings=settings)

    def _is_file_value(self, key: str, value) -> bool:
        base = self.base_settings[key]
        if _same(base, value):
            return True
        setting = next((s for s in SETTINGS if s.key == key), None)
        return setting is not None and _same(setting.drawn(base), value)

    def setting(self, key: str):
        return self.settings.get(key, self.base_settings.get(key))

    def with_seed(self, seed: int | None) -> Draft:
        """Set the run's seed (None, or the file's own: no change)."""
        seed = None if seed is None or int(seed) == self.base_seed else int(seed)
        return self if seed == self.seed else dataclasses.replace(self, seed=seed)

    @property
    def run_seed(self) -> int:
        """The seed the setup runs with: the one typed, else the file's."""
        return self.base_seed if self.seed is None else self.seed

    def reset(self) -> Draft:
        """The file as it is, no changes (its seed too)."""
        tables = self.base.get("interventions", []) or []
        items = tuple(Item(copy.deepcopy(t), i) for i, t in enumerate(tables))
        return dataclasses.replace(self, items=items, settings={}, seed=None)

    # -- what changed ------------------------------------------------------------------------
    def changes(self, registry: dict | None = None) -> list[str]:
        """Each change from the file, in plain words (one entry per change)."""
        registry = intervention_registry() if registry is None else registry
        base_tables = self.base.get("interventions", []) or []
        out = []
        kept = {it.origin for it in self.items if it.origin is not None}
        for i, table in enumerate(base_tables):
            if i not in kept:
                out.append(f"removed {_title(table)}")
        for it in self.items:
            if it.origin is None:
                out.append(f"added {_title(it.table)}")
                continue
            before = base_tables[it.origin]
            cls = registry.get(it.kind)
            specs = {s.name: s for s in field_specs(cls)} if cls else {}
            for key in sorted(set(before) | set(it.table) - {"type"}, key=_order(specs)):
                if key == "type":
                    continue
                default = specs[key].default if key in specs else None
                a, b = before.get(key, default), it.table.get(key, default)
                if not _same(a, b):
                    label = specs[key].label.lower() if key in specs else key
                    out.append(f"{_title(it.table)}: {label} {_show(a)} \u2192 {_show(b)}")
        settings = {s.key: s for s in SETTINGS}
        for key, value in self.settings.items():
            s = settings.get(key)
            label = s.label.lower() if s else key
            out.append(f"{label} {_show(self.base_settings.get(key))} \u2192 {_show(value)}")
        if self.seed is not None:  # a seed is a label, not a quantity: no 1,000s commas
            out.append(f"seed {self.base_seed} \u2192 {self.seed}")
        return out

    def header(self, registry: dict | None = None) -> str:
        """"Baseline" or "Baseline + 2 changes"."""
        n = len(self.changes(registry))
        return self.name if n == 0 else f"{self.name} + {n} change{'s' if n > 1 else ''}"

    def save_name(self, taken: dict[str, tuple[str, str]],
                  registry: dict | None = None) -> str:
        """The name a saved setup gets when the user gives none: its header ("Baseline + 1
        change"), or, unchanged, "Baseline (copy)": the file's own name would be a second
        scenario of that name, which ``run.py compare`` refuses (a user check saved an area's
        option unchanged beside it, and the area's comparison failed). A name still taken
        (``taken``: :func:`names_in_use`) gets a number: "Baseline (copy 2)", "Baseline + 1
        change (2)"."""
        changed = bool(self.changes(registry))
        first = self.header(registry) if changed else f"{self.name} (copy)"
        name, k = first, 2
        while name_clash(name, taken):
            name = f"{first} ({k})" if changed else f"{self.name} (copy {k})"
            k += 1
        return name

    # -- as a file ---------------------------------------------------------------------------
    def definition(self) -> dict:
        """What the draft adds to the file it extends, as a scenario-file dictionary (without
        name, description and extends)."""
        out: dict = {}
        if self.seed is not None:
            out["run"] = {"seed": self.seed}
        by_key = {s.key: s for s in SETTINGS}
        for key, value in self.settings.items():
            s = by_key[key]
            out.setdefault(s.table, {})[s.field] = value
        base_tables = self.base.get("interventions", []) or []
        if [it.table for it in self.items] != base_tables:
            out["interventions"] = [copy.deepcopy(it.table) for it in self.items]
        return out

    def toml(self, *, name: str, description: str = "", extends: str | None = None) -> str:
        """The draft as a scenario file. ``extends``: how the file names the one it extends
        (default: the file's own name, for a file saved beside it)."""
        if extends is None and self.path is not None:
            extends = self.path.name
        lines = [f"name = {toml_value(name)}"]
        if description:
            lines.append(f"description = {toml_value(description)}")
        if extends:
            lines.append(f"extends = {toml_value(str(extends))}")
        definition = self.definition()
        for table in ("run", "population", "network", "rules"):
            if table in definition:
                lines += ["", f"[{table}]"]
                lines += [f"{k} = {_toml(v)}" for k, v in definition[table].items()]
        if "interventions" in definition:
            if not definition["interventions"]:
                lines += ["", "interventions = []"]
            for table in definition["interventions"]:
                lines += ["", "[[interventions]]"]
                ordered = ["type"] + [k for k in table if k != "type"]
                lines += [f"{k} = {_toml(table[k])}" for k in ordered]
        return "\n".join(lines) + "\n"

    def check(self, *, registry: dict | None = None) -> Check:
        """Validate the draft with the scenario loader (see the module docstring)."""
        from sim.scenario.loader import load_scenario

        name = self.name if not self.changes(registry) else self.header(registry)
        with tempfile.TemporaryDirectory(prefix="kindliness-draft-") as tmp:
            path = Path(tmp) / "draft.toml"
            extends = str(self.path.resolve()) if self.path is not None else None
            path.write_text(self.toml(name=name, extends=extends), encoding="utf-8")
            try:
                scenario = load_scenario(path, registry=registry)
            except ScenarioError as exc:
                return self._in_page_words(None, [_unplace(p, path) for p in exc.problems],
                                           registry)
        scenario = dataclasses.replace(scenario, path=str(self.path) if self.path else None)
        return self._in_page_words(scenario, [_unplace(p, path) for p in scenario.warnings],
                                   registry)

    def _in_page_words(self, scenario: Scenario | None, problems: list[Problem],
                       registry: dict | None) -> Check:
        """The loader's verdict as the panel shows it (a user check found these said at the
        wrong card, in the file's words):

        - another intervention is named by its card's label ("Bridge figures"), not by its
          key in the file (``interventions[3].name``);
        - two interventions with one name: said at the Name field of both (the loader says it
          at the second only, which may be a card the user did not touch);
        - a hub opened by default (no "Open a new hub") whose name another hub has: said at
          that checkbox, not at the intervention's Name field, which holds another name;
        - "every HubSpec table needs 'name'": the class's name left out;
        - the intervention itself, which the loader's window check names by its name in the
          file or its type ("'third_space' starts on day 731, after the run ends"), is named
          by its card's label ("“A new hub or third space” starts on day 731").
        """
        registry = intervention_registry() if registry is None else registry
        out, echoes = [], []
        for p in problems:
            key, message = p.key, p.message
            index = _KEY_INDEX.match(key)
            item = self.items[int(index.group(1))] if index and int(index.group(1)) < len(
                self.items) else None
            dup = _DUP_NAME.match(message)
            if dup and item is not None:
                key = f"interventions[{index.group(1)}].name"
                other = _KEY_INDEX.match(dup.group(2))
                if other:
                    first = dataclasses.replace(p, key=f"interventions[{other.group(1)}].name",
                                                message=self._words(message.replace(
                                                    dup.group(2), key, 1)))
                    echoes.append(first)
            elif (message.startswith("duplicate hub name") and item is not None
                  and key == f"interventions[{index.group(1)}].name"
                  and "hub" not in item.table and _has_field(registry, item.kind, "hub")):
                key = f"interventions[{index.group(1)}].hub"
                message = ("its hub, not set here, is called "
                           + message.removeprefix("duplicate hub name ").replace(
                               "(also ", "(as is the hub of ", 1).replace(
                               "; hub names must be unique",
                               "; tick \"Open a new hub\" and give it a name of its own"))
            elif item is not None and message.startswith(f"'{_own_name(item.table)}' "):
                message = (f"\u201c{_title(item.table)}\u201d"
                           + message[len(_own_name(item.table)) + 2:])
            out.append(dataclasses.replace(p, key=key, message=self._words(message)))
        return Check(scenario, tuple(out), tuple(echoes))

    def _words(self, message: str) -> str:
        """``message`` with each intervention's key in the file (``interventions[3]``,
        ``interventions[3].name``) said as its card's label, and with no file-speak."""
        def label(found: re.Match) -> str:
            i = int(found.group(1))
            if i >= len(self.items):
                return found.group(0)
            table = self.items[i].table
            return f"\u201c{_title(table)}\u201d"
        message = _TABLE_NEEDS.sub("missing: required", message).replace(
            'a distinct name = "..."', "a Name of its own")
        return _KEY_IN_TEXT.sub(label, message)

    def save(self, folder: Path, file_stem: str, *, name: str, description: str = "",
             registry: dict | None = None) -> Path:
        """Write the draft into ``folder`` as ``<file_stem>.toml`` (never over an existing
        file, never with the name of another scenario there or shipped: :func:`name_clash`),
        after checking that the written file loads; returns its path. Raises
        ``FileExistsError`` or ``ValueError`` with a message for the page."""
        from sim.atomic import write_bytes_atomic
        from sim.scenario.loader import load_scenario

        stem = safe_stem(file_stem)
        folder = Path(folder)
        target = folder / f"{stem}.toml"
        if target.exists():
            # said on the page: the file's name and what to do there, not the server's
            # folder (a user check read the server's path in a browser)
            raise FileExistsError(file_taken(target) + " (nothing was overwritten)")
        clash = name_clash(name, names_in_use(folder))
        if clash:
            raise ValueError(clash + " (nothing was saved)")
        extends = None
        if self.path is not None:
            same = self.path.resolve().parent == folder.resolve()
            extends = self.path.name if same else os.path.relpath(self.path.resolve(),
                                                                   folder.resolve())
        text = self.toml(name=name, description=description, extends=extends)
        with tempfile.TemporaryDirectory(prefix="kindliness-save-", dir=folder) as tmp:
            trial = Path(tmp) / target.name
            trial.write_text(text.replace(f"extends = {toml_value(str(extends))}",
                                          f"extends = {toml_value(_from(tmp, folder, extends))}")
                             if extends else text, encoding="utf-8")
            try:
                load_scenario(trial, registry=registry)
            except ScenarioError as exc:
                raise ValueError("the file would not load: " + "; ".join(
                    str(_unplace(p, trial)) for p in exc.errors)) from None
        write_bytes_atomic(target, text.encode("utf-8"))
        return target


WARNING_WORDS = "warning: "  # how a warning's message opens where the panel shows it


def _said(problem: Problem) -> str:
    """A problem's message as the panel shows it at its place: a warning says so."""
    return (WARNING_WORDS if not problem.is_error else "") + problem.message


def split_warnings(messages: list[str]) -> tuple[list[str], list[str]]:
    """Messages shown at one place (:meth:`Check.for_key`'s, :meth:`Check.placed`'s) as
    ``(errors, warnings)``: an error marks its field red and is counted among the problems
    to fix; a warning does neither (Apply goes ahead), and is said beside the field in the
    warnings' colour (a user check: a field red for a warning, and not counted)."""
    errors = [m for m in messages if not m.startswith(WARNING_WORDS)]
    return errors, [m for m in messages if m.startswith(WARNING_WORDS)]


def _from(tmp: str, folder: Path, extends: str) -> str:
    """``extends`` as seen from a trial file in ``tmp`` (a sub-folder of ``folder``)."""
    return os.path.relpath((folder / extends).resolve(), Path(tmp).resolve())


def names_in_use(folder: Path) -> dict[str, tuple[str, str]]:
    """The names a setup saved in ``folder`` must not repeat: those of the scenario files in
    ``folder`` and of the shipped ones, as ``{slug: (name, file)}`` (``file``: its name, or
    "the shipped <name>" for one elsewhere). The loader refuses two scenarios of one name, or
    of names whose runs would share a folder (:attr:`Scenario.slug`), in one command: a saved
    setup repeating one breaks ``run.py compare`` of the files beside it. A file that cannot
    be read has no name to repeat (``validate`` tells its own problem)."""
    from sim.scenario.merging import SHIPPED_SCENARIOS
    from sim.scenario.reading import InputRefused, read_toml

    folder = Path(folder)
    out: dict[str, tuple[str, str]] = {}
    for where, shown in ((SHIPPED_SCENARIOS, "the shipped {}"), (folder, "{}")):
        for path in sorted(where.glob("*.toml")) if where.is_dir() else []:
            try:
                name = read_toml(path).get("name")
            except (InputRefused, OSError, ValueError):
                continue
            if isinstance(name, str) and name.strip():
                out[Scenario(name=name).slug] = (name, shown.format(path.name))
    return out


def file_taken(target: Path) -> str:
    """Why a setup cannot be saved as ``target``, a file already there (the save never
    writes over one), in the words the page says it as the file name is typed and the save
    says it: the file's name, not the server's folder."""
    return (f"a file called {Path(target).name} is already there; type another file name "
            "above")


def name_problems(name: str, description: str = "") -> list[str]:
    """What the scenario loader says of a saved file's ``name`` and ``description`` (blank,
    a control character, too long: :meth:`ScenarioChecker.name_and_description`, the very
    check a save's trial load makes), each message without its key, as the page says it at
    the name field while the name is typed: a user check typed a name of 200 characters,
    and Save failed only after the click ("name: is 200 characters long ...")."""
    from sim.scenario.checks import ScenarioChecker

    checker = ScenarioChecker("this setup", {}, {})
    checker.name_and_description({"name": name, "description": description})
    return [p.message for p in checker.problems if p.is_error]


def name_clash(name: str, taken: dict[str, tuple[str, str]]) -> str:
    """Why a setup may not be saved as ``name`` (``taken``: :func:`names_in_use`), or ""."""
    mine = Scenario(name=name)
    other = taken.get(mine.slug)
    if other is None:
        return ""
    if other[0] == name:
        return (f"'{name}' is already the name of {other[1]}; each scenario needs its own "
                "name, so that they can be compared")
    return (f"'{name}' is too like '{other[0]}' ({other[1]}): their runs would share a "
            f"folder; {mine.slug_advice(other[0])}")


def without_toml(text: str) -> str:
    """What the user typed as a file name, without a ".toml" they ended it with."""
    text = text.strip()
    return text[:-5] if text.lower().endswith(".toml") else text


def safe_stem(text: str) -> str:
    """A file name stem from what the user typed, by the rule ``run.py new-area`` names an
    area's folder by (:func:`sim.scenario.words.file_stem`: letters without their accents,
    digits, '-' and '_', at most 60), in lower case like every scenario file the project
    writes (the shipped ones, ``run.py new-area``'s): a saved option read
    "Riverside_ward_community_cafe.toml" beside the area's "third_space.toml", and
    "Baseline.toml" beside "baseline.toml" is one file once copied to macOS or Windows.
    A name typed with its ".toml" has it taken off (a user check: "x.toml" became
    x_toml.toml)."""
    stem = file_stem(without_toml(text))
    if not stem:
        raise ValueError("give the file a name (letters, digits, '-' or '_')")
    return stem


def _unplace(problem: Problem, path: Path) -> Problem:
    """A problem in the draft's temporary file, named as the page's setup rather than a
    temporary path, and said in the page's terms (:func:`_on_the_page`)."""
    shown = str(path)
    file = "this setup" if problem.file == shown else problem.file
    via = None if problem.via == shown else problem.via
    return dataclasses.replace(problem, file=file, via=via, message=_on_the_page(problem.message))


_KEY_INDEX = re.compile(r"interventions\[(\d+)\]")
_KEY_IN_TEXT = re.compile(r"interventions\[(\d+)\](?:\.name)?")
_DUP_NAME = re.compile(r"two interventions are called '(.*)' \(also (interventions\[\d+\]"
                       r"(?:\.name)?)\)")
_TABLE_NEEDS = re.compile(r"missing; every \w+ table needs '\w+'")


def _has_field(registry: dict, kind: str, name: str) -> bool:
    cls = registry.get(kind)
    return cls is not None and any(s.name == name for s in field_specs(cls))


_NOT_BUILT = "cannot be built: "  # how the loader starts a message about a whole intervention
_RUN_END = re.compile(r"\(run\.days = (\d+)(?: by default)?\)")
_NEVER_ACTS = "so it would never act: "


def _on_the_page(message: str) -> str:
    """A loader's message about a day after the run's end, with a fix the page offers. The
    file's answer, "set run.days to 900 or more", names a setting the page does not have
    (a user check): the page says where the run ends and to move the start day before it."""
    found = _RUN_END.search(message)
    if not found:
        return message
    last = int(found.group(1))
    message = _RUN_END.sub(f"(day {last:,}; the scenario file sets the run's length)", message)
    if _NEVER_ACTS in message:
        message = (message.partition(_NEVER_ACTS)[0] + _NEVER_ACTS
                   + f"move its start day to day {last:,} or earlier")
    return message


def _quoted_holder(message: str, table: dict, names) -> str | None:
    """The one field of ``names`` whose value in ``table`` is (or lists) a word the message
    quotes ('visitt'), or None when none or several do."""
    quoted = set(re.findall(r"'([^']+)'", message))
    holders = []
    for name in names:
        value = table.get(name)
        values = value if isinstance(value, list) else [value]
        if any(isinstance(v, str) and v in quoted for v in values):
            holders.append(name)
    return holders[0] if len(holders) == 1 else None


def _numbered(name: str, taken) -> str:
    """``name`` with the first number from 2 that makes it free: 'third_space_2'."""
    k = 2
    while f"{name}_{k}" in taken:
        k += 1
    return f"{name}_{k}"


def _assign(table: dict, key: str, value) -> None:
    if value is None or value == "":
        table.pop(key, None)
    else:
        table[key] = value


def _own_name(table: dict) -> str:
    """How the loader's window check names an intervention: its name in the file, or its
    type (sim.scenario.intervention_checks)."""
    return str(table.get("name") or table.get("type", ""))


def _title(table: dict) -> str:
    return str(table.get("label") or type_title(str(table.get("type", "intervention"))))


def _order(specs: dict):
    names = list(specs)
    return lambda k: (names.index(k) if k in names else len(names), k)


def _same(a, b) -> bool:
    if isinstance(a, float) or isinstance(b, float):
        try:
            return math.isclose(float(a), float(b), rel_tol=1e-12, abs_tol=1e-15)
        except (TypeError, ValueError):
            return False
    return a == b


def _show(value) -> str:
    if value is None:
        return "not set"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float)):
        return number_text(value)
    if isinstance(value, list):
        return ", ".join(_show(v) for v in value) if value else "none"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k} {_show(v)}" for k, v in value.items()) + "}"
    return str(value)


def _toml(value) -> str:
    """A value as TOML (tables inline)."""
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {_toml(v)}" for k, v in value.items()) + " }"
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return toml_value(value)
