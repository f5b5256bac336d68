"""The scenario-file reference, generated from the parameter metadata (one home per number).

:func:`format_reference` writes the per-key tables of docs/SCENARIOS.md (meaning, unit,
allowed values, default and source of every key); :func:`update_doc` rewrites them in place
between the markers, and a test checks the page is up to date with the code.
:func:`format_baseline_toml` writes every default out as a scenario file (scenarios/baseline.toml
was made with it; edit that file freely afterwards, a test checks it still equals the defaults).
"""

from __future__ import annotations

import dataclasses
import json
import textwrap
import types
import typing
from pathlib import Path

from sim.params import ORIENTATIONS, WEEKDAYS, ModelParams, default_profiles
from sim.scenario.kinds import Kind, settable_fields
from sim.scenario.loader import intervention_registry
from sim.scenario.tables import PARAM_TABLES, REQUIRED

BEGIN = "<!-- BEGIN GENERATED REFERENCE: sim/scenario/reference.py; do not edit by hand -->"
END = "<!-- END GENERATED REFERENCE -->"
DOC_PATH = Path(__file__).resolve().parents[2] / "docs" / "SCENARIOS.md"
REFRESH = 'python -c "from sim.scenario.reference import update_doc; update_doc()"'
# the reference's sections, in order: table, heading, a note under the heading
TABLE_HEADINGS = (
    ("run", "`[run]`: run settings", ""),
    ("population", "`[population]`: residents", ""),
    ("sections", "`[[population.sections]]`: one table per section",
     "A list of sections given in a file replaces the inherited list whole. Shares must "
     "sum to 1; names must be unique, and `boundary` is reserved for hubs."),
    ("network", "`[network]`: ties between residents", ""),
    ("hubs", "`[[hubs]]`: one table per hub (third space)",
     "A list of hubs given in a file replaces the inherited list whole; `hubs = []` means "
     "no hubs. Names must be unique (hubs opened by interventions included)."),
    ("rules", "`[rules]`: the daily rules", ""),
)


# ---------------------------------------------------------------------------------------------
# Values as TOML
# ---------------------------------------------------------------------------------------------


def toml_value(value, kind: Kind = Kind.PLAIN) -> str:
    """A Python value written as TOML (weekday numbers as names for a field of kind weekdays)."""
    if kind == Kind.WEEKDAYS and isinstance(value, (tuple, list)):
        value = [WEEKDAYS[v] if isinstance(v, int) else v for v in value]
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, str):
        # as typed, in UTF-8 ("Café", not "Caf\u00e9": a user check found the escapes in a
        # saved setup); JSON's escapes are TOML's, and DEL, which JSON leaves as it is and
        # TOML does not allow raw, is escaped too
        return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")
    if isinstance(value, (tuple, list)):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {toml_value(v)}" for k, v in value.items()) + " }"
    if dataclasses.is_dataclass(value):
        return "{ " + ", ".join(
            f"{k} = {toml_value(getattr(value, k), meta['kind'])}"
            for k, (_, meta) in settable_fields(type(value)).items()
            if getattr(value, k) is not None) + " }"
    raise TypeError(f"no TOML form for {value!r}")


# ---------------------------------------------------------------------------------------------
# The reference tables
# ---------------------------------------------------------------------------------------------


def _allowed(hint, meta: dict) -> str:
    """What a user may write for one key, in words."""
    kind = meta["kind"]
    refers_to = meta.get("refers_to")
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        hint = next(a for a in typing.get_args(hint) if a is not type(None))
        origin = typing.get_origin(hint)
    lo, hi = meta.get("range") or (None, None)
    if kind == Kind.WEEKDAYS:
        return "list of weekday names: " + ", ".join(f'"{d}"' for d in WEEKDAYS)
    if hint is bool:
        return "true or false"
    if hint is PARAM_TABLES["hubs"]:
        return "a table with the keys of a [[hubs]] table"
    if dataclasses.is_dataclass(hint):
        return f"a table of {hint.__name__} keys"
    if origin is tuple or hint is tuple:
        args = typing.get_args(hint)
        if args and dataclasses.is_dataclass(args[0]):
            return f"list of tables ([[...]]), keys as for {args[0].__name__}"
        if refers_to:
            return f"list of {refers_to} names"
        return "list"
    if origin is dict:
        if kind == Kind.SHARES:
            return (f"table of {refers_to or 'name'} = share, shares 0-1 summing to 1; "
                    "orientations: " + ", ".join(ORIENTATIONS))
        return f"table of {refers_to or 'name'} = number"
    if meta.get("choices"):
        return "one of " + ", ".join(f'"{c}"' for c in meta["choices"])
    if refers_to:
        extra = ' or "boundary"' if kind == Kind.HUB_LOCATION else ""
        return f"a {refers_to} name{extra}"
    what = "whole number" if hint is int else "number" if hint is float else "text"
    if lo is not None and hi is not None:
        return f"{what}, {_n(lo)} to {_n(hi)}"
    if lo is not None:
        return f"{what}, at least {_n(lo)}"
    if hi is not None:
        return f"{what}, at most {_n(hi)}"
    return what


def _n(x) -> str:
    if isinstance(x, float) and x.is_integer():
        x = int(x)
    return f"{x:,}".replace(",", " ") if isinstance(x, int) and abs(x) >= 10_000 else f"{x}"


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _default(cls, name: str, value, meta: dict) -> str:
    if name in REQUIRED.get(cls, ()):
        return "(required)"
    if value is None:
        return "(none)"
    if value == "":
        return "(empty)"
    if isinstance(value, tuple) and value and dataclasses.is_dataclass(value[0]):
        return f"{len(value)} (see baseline.toml)"
    return "`" + _cell(toml_value(value, meta["kind"])) + "`"


def _source(meta: dict) -> str:
    source = meta.get("source") or "assumption"
    if meta.get("calibrated"):
        source += " (calibrated)" if "calibrat" not in source else ""
    return source


def key_table(cls, *, skip=()) -> str:
    """One markdown table: every key a scenario may set in a table filled by ``cls``, with
    the default a file gets by leaving the key out (the field's declared default)."""
    rows = ["| key | meaning | unit | allowed | default | source |",
            "|---|---|---|---|---|---|"]
    declared = {f.name: f for f in dataclasses.fields(cls)}
    for name, (hint, meta) in settable_fields(cls).items():
        if name in skip:
            continue
        f = declared[name]
        value = f.default_factory() if f.default_factory is not dataclasses.MISSING else (
            None if f.default is dataclasses.MISSING else f.default)
        rows.append("| " + " | ".join([
            f"`{name}`", _cell(meta.get("doc", "")), _cell(meta.get("unit", "")),
            _cell(_allowed(hint, meta)), _default(cls, name, value, meta),
            _cell(_source(meta)),
        ]) + " |")
    return "\n".join(rows)


def _profile_table() -> str:
    profiles = default_profiles()
    rows = ["| key | meaning | unit | allowed | " + " | ".join(ORIENTATIONS) + " |",
            "|---|---|---|---|" + "---|" * len(ORIENTATIONS)]
    for name, (hint, meta) in settable_fields(PARAM_TABLES["orientations"]).items():
        rows.append("| " + " | ".join(
            [f"`{name}`", _cell(meta.get("doc", "")), _cell(meta.get("unit", "")),
             _cell(_allowed(hint, meta))]
            + [f"`{toml_value(getattr(profiles[o], name))}`" for o in ORIENTATIONS]) + " |")
    return "\n".join(rows)


def _common_base(classes):
    """The nearest dataclass every registered intervention class derives from, if any."""
    if not classes:
        return None
    for base in classes[0].__mro__:
        if (dataclasses.is_dataclass(base) and all(issubclass(c, base) for c in classes)
                and settable_fields(base)):
            return base if base not in classes or len(classes) > 1 else None
    return None


def _first_paragraph(doc: str | None) -> str:
    text = textwrap.dedent(doc or "").strip().split("\n\n")[0]
    return " ".join(text.split())


def format_reference(registry: dict[str, type] | None = None) -> str:
    """Markdown reference of every table and key of a scenario file, from the metadata."""
    registry = intervention_registry() if registry is None else registry
    parts = []
    for table, heading, note in TABLE_HEADINGS:
        parts += [f"### {heading}", ""] + ([note, ""] if note else [])
        parts += [key_table(PARAM_TABLES[table]), ""]
    parts += [
        "### `[orientations.<name>]`: orientation profiles", "",
        "Set any key for one orientation; the others keep the defaults shown. Orientations: "
        + ", ".join(f"`{o}`" for o in ORIENTATIONS) + ".", "",
        _profile_table(), "",
        "### `[[interventions]]`: the package of interventions", "",
    ]
    classes = [registry[k] for k in sorted(registry)]
    if not classes:
        parts += ["No intervention types are registered yet.", ""]
        return "\n".join(parts).rstrip() + "\n"
    parts += ["Each table needs `type`, one of: " + ", ".join(f"`{k}`" for k in sorted(registry))
              + ".", ""]
    base = _common_base(classes)
    common = set(settable_fields(base)) if base else set()
    if base:
        parts += ["Keys every intervention takes:", "", key_table(base), ""]
    for kind in sorted(registry):
        cls = registry[kind]
        parts += [f"#### `type = \"{kind}\"`", "", _first_paragraph(cls.__doc__), ""]
        own = [n for n in settable_fields(cls) if n not in common]
        if own:
            parts += [key_table(cls, skip=common), ""]
        else:
            parts += ["No keys besides the common ones.", ""]
    return "\n".join(parts).rstrip() + "\n"


def rewrite_between(path: Path | str, begin: str, end: str, body: str) -> bool:
    """Put ``body`` between a page's ``begin`` and ``end`` markers, in place; True when the
    file changed (a page that lacks the markers is refused)."""
    path = Path(path)
    text = path.read_text(encoding="utf-8")
    head, _, rest = text.partition(begin)
    _, _, tail = rest.partition(end)
    if not rest or end not in rest:
        raise ValueError(f"{path}: the markers {begin!r} and {end!r} are missing")
    new = head + begin + "\n\n" + body + "\n" + end + tail
    if new != text:
        path.write_text(new, encoding="utf-8")
    return new != text


def text_between(text: str, begin: str, end: str) -> str:
    """What a page holds between its ``begin`` and ``end`` markers ("" when they are
    missing)."""
    _, _, rest = text.partition(begin)
    inner, found, _ = rest.partition(end)
    return inner.strip() + "\n" if found else ""


def update_doc(path: Path | str = DOC_PATH, registry: dict[str, type] | None = None) -> bool:
    """Rewrite the generated part of docs/SCENARIOS.md; True when the file changed."""
    return rewrite_between(path, BEGIN, END, format_reference(registry))


def generated_part(text: str) -> str:
    """The generated reference inside a page's markers ("" when they are missing)."""
    return text_between(text, BEGIN, END)


# ---------------------------------------------------------------------------------------------
# The baseline written out
# ---------------------------------------------------------------------------------------------


def _comment(meta: dict, width: int = 96) -> list[str]:
    text = f"{meta.get('doc', '')} [{meta.get('unit', '')}]"
    source = meta.get("source")
    if source and source != "assumption":
        text += f" Source: {source}."
    return ["# " + line for line in textwrap.wrap(text, width - 2)]


def table_lines(obj, skip=(), comments=True) -> list[str]:
    """The settable fields of ``obj`` as TOML lines ``key = value``, each after a comment with
    its meaning and unit (``comments=False``: values only); fields in ``skip`` left out. Used
    for the baseline written out and for a new area's baseline (sim/area.py)."""
    lines = []
    for name, (_, meta) in settable_fields(type(obj)).items():
        if name in skip:
            continue
        if comments:
            lines += _comment(meta)
        lines.append(f"{name} = {toml_value(getattr(obj, name), meta['kind'])}")
    return lines


def format_baseline_toml(*, days: int = 730, replicates: int = 10) -> str:
    """Every default of sim.params written out as a scenario file, with a comment per key."""
    defaults = ModelParams()
    run = dataclasses.replace(PARAM_TABLES["run"](), days=days, replicates=replicates)
    out = [
        "# The baseline community: every default of sim/params/ written out, so that you can",
        "# see what a scenario file can change. Other scenarios extend this file",
        '# (extends = "baseline.toml") and set only what differs. Format: docs/SCENARIOS.md.',
        "",
        'name = "Baseline"',
        'description = "The community as it is, with no intervention."',
        "",
        "[run]",
        *table_lines(run),
        "",
        "[population]",
        *table_lines(defaults.population, skip=("sections",)),
    ]
    # repeated tables: the first carries the comments
    for i, section in enumerate(defaults.population.sections):
        out += ["", "[[population.sections]]", *table_lines(section, comments=i == 0)]
    out += ["", "[network]", *table_lines(defaults.network)]
    for i, hub in enumerate(defaults.hubs):
        out += ["", "[[hubs]]", *table_lines(hub, comments=i == 0)]
    out += ["", "[rules]", *table_lines(defaults.rules)]
    for i, (name, profile) in enumerate(defaults.orientations.items()):
        out += ["", f"[orientations.{name}]", *table_lines(profile, comments=i == 0)]
    return "\n".join(out) + "\n"
