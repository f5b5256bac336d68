"""What the intervention panel shows for each field, from the intervention class's dataclass
fields and their ``param()`` metadata (:func:`field_specs`): unit, meaning, range, choices,
and the kind of name a value must be (section, hub, orientation). A new intervention, or a new
field on one, appears in the panel without any change here. Also what a typed value means
(:func:`parse_typed`; a list as typed and shown: :func:`parse_list`, :func:`list_text`), how
a field is labelled (:func:`field_label`), the names a field may take (:func:`names_for`)
and a day in months (:func:`days_as_months`). Plain Python, no Solara.
"""

from __future__ import annotations

import dataclasses
import re
import sys
import tomllib
import types
import typing
from dataclasses import dataclass

from sim.params import BOUNDARY_NAME as BOUNDARY
from sim.params import DAYS_PER_MONTH, ORIENTATIONS, WEEKDAYS, HubSpec
from sim.scenario.kinds import Kind, settable_fields
from sim.scenario.schema import Scenario

# the base class's fields, in the order the panel shows them around a type's own fields
LEAD_FIELDS = ("label", "start_day", "end_day")
TAIL_FIELDS = ("target_sections", "target_orientations", "name")


@dataclass(frozen=True)
class FieldSpec:
    """One settable field, as the panel shows it.

    ``kind`` is one of: "int", "float", "bool", "text", "choice" (one of ``choices``),
    "name" (one name of kind ``refers_to``), "names" (a list of them), "weekdays", "table"
    (a nested dataclass: ``fields``), "list" (any other list)."""

    name: str
    label: str
    kind: str
    unit: str
    doc: str
    lo: float | None = None
    hi: float | None = None
    choices: tuple = ()
    refers_to: str | None = None
    optional: bool = False  # None ("not set") is allowed
    declared: Kind = Kind.PLAIN  # its kind as the scenario files declare it (sim.scenario.kinds)
    default: object = None  # in TOML form (weekday names, lists, tables as dicts)
    fields: tuple[FieldSpec, ...] = ()  # for kind "table"
    table_type: type | None = None

    @property
    def allowed(self) -> str:
        """The range or the choices, in words ("0 to 1,000")."""
        if self.lo is not None and self.hi is not None:
            return f"{number_text(self.lo)} to {number_text(self.hi)}"
        if self.lo is not None:
            return f"at least {number_text(self.lo)}"
        if self.hi is not None:
            return f"at most {number_text(self.hi)}"
        return ""

    @property
    def hint(self) -> str:
        """Unit and range in a few words, for under the input: a unit of the model's
        (an exponent, an elasticity, a multiplier) in words (PLAIN_UNITS)."""
        parts = [p for p in (PLAIN_UNITS.get(self.unit, self.unit), self.allowed) if p]
        return "; ".join(parts)


# units the scenario files and the model card use, said under the live page's inputs in the
# words of what they do (a user check read "exponent; 0 to 3" and "x per unit of story");
# each field's tooltip keeps the whole meaning and the file's unit
PLAIN_UNITS = {
    "exponent": "0: everyone alike; 1: word of mouth (in proportion to ties)",
    "elasticity": "0: visits as often whatever is open; 1: in proportion to what is on offer",
    "x": "times as likely",
    "x ordinary contact": "times an ordinary meeting's effect on trust",
    "x per unit of story": "carrying the whole story, visits are 1 + this times as likely",
    "0-1 added": "added to the hubs' palatability, capped at 1",
    "norm shift (-1 to 1) at full story": "shift of the norm (on a scale of -1 to 1) for "
                                          "someone carrying the whole story",
    "0-1": "",  # the range says it
    "method": "",  # the choices say it
    "source residents": "residents sampled to find the best connected (more: slower, "
                        "more exact)",
    "probability": "a chance",
    "probability per 1:1": "a chance for each 1:1",
    "probability per challenge": "a chance for each challenge",
}


def number_text(x) -> str:
    """A number as the panel writes it: 1,000 and 0.25, 2.0 as 2."""
    if isinstance(x, float) and x.is_integer():
        x = int(x)
    return f"{x:,}" if isinstance(x, int) else f"{x:g}"


def humanise(name: str) -> str:
    """'conversations_per_week' -> 'Conversations per week'; 'capacity_per_1000' ->
    'Capacity per 1,000'."""
    text = name.replace("_", " ").strip()
    text = re.sub(r"\b\d{4,}\b", lambda m: f"{int(m[0]):,}", text)
    return text[:1].upper() + text[1:]


# names that are shorthand, not words: a probability (p_commitment), a spacing
# (action_every_days), a half-life in days; a user check found "P commitment" in the panel
SHORTHAND = re.compile(r"^p_|(^|_)every_days$|half_life_days$")
MAX_FIELD_LABEL = 48  # characters: what a field's label shows in the side column, floated
_BREAK = re.compile(r"\s\(|[;:,]\s")
_TAIL = re.compile(r"\s(?:to|after|in|on|for|of|with|without|from)\s(?!.*\s(?:to|after|in|on|for|"
                   r"of|with|without|from)\s)")


def field_label(name: str, doc: str = "") -> str:
    """How the panel labels a field: its name in words (:func:`humanise`), or, for a name
    that is shorthand (:data:`SHORTHAND`: ``p_commitment`` read "P commitment"), the opening
    of its meaning, which says what it is ("chance a 1:1 ends in a public commitment to one
    action" -> "Chance a 1:1 ends in a public commitment"): the meaning up to its first
    break, "chance that" as "chance", and phrases at its end dropped until it fits a label
    (:data:`MAX_FIELD_LABEL`). The whole meaning stays in the field's tooltip."""
    if not SHORTHAND.search(name) or not doc.strip():
        return humanise(name)
    text = _BREAK.split(" ".join(doc.split()), maxsplit=1)[0]
    text = re.sub(r"^chance that\b", "chance", text)
    while len(text) > MAX_FIELD_LABEL and _TAIL.search(text):
        text = text[:_TAIL.search(text).start()]
    if len(text) > MAX_FIELD_LABEL:
        return humanise(name)
    return text[:1].upper() + text[1:]


# weekdays are chosen on the page by name (mon, wed): the files' "weekdays (0 = Monday)"
# told a user of numbers the page never shows
WEEKDAYS_UNIT = "days of the week"


def _kind(hint, meta: dict) -> tuple[str, bool, type | None]:
    origin = typing.get_origin(hint)
    optional = False
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        optional = len(args) < len(typing.get_args(hint))
        hint = args[0] if len(args) == 1 else hint
        origin = typing.get_origin(hint)
    if dataclasses.is_dataclass(hint):
        return "table", optional, hint
    if hint is bool:
        return "bool", optional, None
    if hint is int:
        return "int", optional, None
    if hint is float:
        return "float", optional, None
    if hint is tuple or origin is tuple:
        if meta.get("kind") == Kind.WEEKDAYS:
            return "weekdays", optional, None
        if meta.get("refers_to"):
            return "names", optional, None
        return "list", optional, None
    if hint is str:
        if meta.get("choices"):
            return "choice", optional, None
        if meta.get("refers_to"):
            return "name", optional, None
        return "text", optional, None
    return "text", optional, None


def to_toml_form(value, kind: Kind = Kind.PLAIN):
    """A Python default as a scenario file would write it (weekday numbers as names, tuples
    as lists, dataclasses as tables, None left as None)."""
    if value is None:
        return None
    if dataclasses.is_dataclass(value):
        return {k: to_toml_form(getattr(value, k), meta["kind"])
                for k, (_, meta) in settable_fields(type(value)).items()
                if getattr(value, k) is not None}
    if isinstance(value, (tuple, list)):
        if kind == Kind.WEEKDAYS:
            return [WEEKDAYS[v] if isinstance(v, int) else v for v in value]
        return [to_toml_form(v) for v in value]
    if isinstance(value, dict):
        return {k: to_toml_form(v) for k, v in value.items()}
    return value


def _default(f: dataclasses.Field):
    if f.default is not dataclasses.MISSING:
        return f.default
    if f.default_factory is not dataclasses.MISSING:  # type: ignore[misc]
        return f.default_factory()  # type: ignore[misc]
    return None


def field_specs(cls) -> tuple[FieldSpec, ...]:
    """The settable fields of a parameter dataclass (an intervention, a hub), in the order
    the panel shows them: label and timing first, the type's own fields, then targeting and
    the internal name."""
    settable = settable_fields(cls)
    by_name = {f.name: f for f in dataclasses.fields(cls)}
    specs = {}
    for name, (hint, meta) in settable.items():
        kind, optional, table_type = _kind(hint, meta)
        lo, hi = meta.get("range") or (None, None)
        unit = WEEKDAYS_UNIT if kind == "weekdays" else str(meta.get("unit", ""))
        specs[name] = FieldSpec(
            name=name, label=field_label(name, str(meta.get("doc", ""))), kind=kind,
            unit=unit,
            doc=str(meta.get("doc", "")), lo=lo, hi=hi,
            choices=tuple(meta.get("choices") or ()), refers_to=meta.get("refers_to"),
            optional=optional, declared=meta["kind"],
            default=to_toml_form(_default(by_name[name]), meta["kind"]),
            fields=field_specs(table_type) if table_type is not None else (),
            table_type=table_type)
    lead = [specs[n] for n in LEAD_FIELDS if n in specs]
    tail = [specs[n] for n in TAIL_FIELDS if n in specs]
    middle = [s for n, s in specs.items() if n not in LEAD_FIELDS + TAIL_FIELDS]
    return tuple(lead + middle + tail)


# a field's label and hint on the page where its file's words are shorthand (a user check read
# "Name / identifier" and "hub name" in a new hub's card): by the field's key in the panel
# (an intervention's own field by its name, a field of its nested table as table-field)
PANEL_WORDS = {
    "name": ("Short name", "for saved results; empty: the type's name"),
    "hub-name": ("Name of the new hub", "shown in the picture and the results"),
    "hub-kind": ("Kind of place", "in words: community cafe, library"),
    "hub-location": ("Where it sits", "a section, or boundary: between the sections"),
    "extend_hub": ("Or give more days to a hub", "one of the setup's hubs"),
}


def in_words(spec: FieldSpec, key: str) -> FieldSpec:
    """``spec`` with the page's own label and hint for it (:data:`PANEL_WORDS`), if any."""
    words = PANEL_WORDS.get(key)
    if words is None:
        return spec
    return dataclasses.replace(spec, label=words[0], unit=words[1], lo=None, hi=None)


def hub_summary(table: dict) -> str:
    """The hub a table opens, in one plain sentence: its name in words, what it is, where it
    sits, how many it holds and when it is open ("Opens “community space”, a community cafe
    between the sections, for 30 visitors a day per 1,000 residents, open Mon, Wed, Fri and
    Sat."). Values the table leaves out are the hub's defaults. A hub for no visitors
    (capacity 0, which a scenario file may give, warned: it never opens) is said to open
    nothing, not "for 0 visitors a day" (a user check); said of a programme's hub, whose
    cost is counted all the same."""
    base = to_toml_form(HubSpec())
    hub = {**base, **{k: v for k, v in table.items() if v is not None}}
    name = " ".join(str(hub["name"]).replace("_", " ").split())
    where = str(hub["location"])
    where = ("between the sections" if where == BOUNDARY
             else f"in the {where.replace('_', ' ')} section")
    per = " per 1,000 residents" if hub.get("capacity_per_1000") else ""
    days = [str(d) if not isinstance(d, int) or not 0 <= d < 7 else WEEKDAYS[d]
            for d in hub.get("open_days") or []]
    days = [d[:1].upper() + d[1:] for d in days]
    when = ("open " + (", ".join(days[:-1]) + " and " + days[-1] if len(days) > 1
                       else days[0]) if days else "open no day of the week")
    try:
        capacity = number_text(hub["capacity"])
    except (TypeError, ValueError):
        capacity = str(hub["capacity"])
    if capacity == "0":
        return (f"“{name}”, a {hub['kind']} {where}, holds no visitors (capacity 0), so it "
                "never opens: its cost is counted all the same; give it the visitors a day "
                "it holds.")
    return (f"Opens “{name}”, a {hub['kind']} {where}, for {capacity} visitors a day{per}, "
            f"{when}.")


def checkbox_hint(spec: FieldSpec) -> str:
    """What a checkbox means, under it: its meaning with the file's "if true, ..." said of
    the box ("Ticked: capacity is per 1,000 residents ..."; a user found the box with no
    help)."""
    doc = re.sub(r"^if true,\s*", "ticked: ", spec.doc.strip())
    return doc[:1].upper() + doc[1:] if doc else ""


def in_table(spec: FieldSpec, parent: FieldSpec, table: dict | None) -> FieldSpec:
    """Field ``spec`` of the nested table ``parent`` as it reads beside the table's other
    values (``table``, None: defaults): a hub's capacity is per 1,000 residents while
    ``capacity_per_1000`` is on (its default), so its unit says so rather than plain
    "visitors per day"."""
    if spec.name == "capacity" and spec.unit == "visitors per day":
        per_1000 = (table or {}).get("capacity_per_1000")
        if per_1000 is None:
            per_1000 = next((f.default for f in parent.fields
                             if f.name == "capacity_per_1000"), False)
        if per_1000:
            return dataclasses.replace(spec, unit="visitors per day per 1,000 residents")
    return spec


def type_title(kind: str, registry: dict | None = None) -> str:
    """How the panel names an intervention type: its class's plain ``title``
    ('one_to_ones' -> "Organisers' 1:1 conversations"; a user check found the internal
    names, "One to ones", "Hub closure", in the list of types), or the name in words for a
    type without one."""
    if registry is None:
        from sim.scenario.loader import intervention_registry

        registry = intervention_registry()
    return str(getattr(registry.get(kind), "title", "") or humanise(kind))


def type_summary(cls) -> str:
    """What an intervention type does, in one plain sentence for its tooltip: its module's
    summary line ("one_to_ones: community organisers hold 1:1 conversations that end in
    commitments." -> "Community organisers hold ..."). The class's docstring opens with its
    sources and quotations, and its first sentence could end inside a quotation's "..." (a
    user saw 'Community organising 1:1s (the seed blog post: "intentional and public
    relationships ...')."""
    module = sys.modules.get(cls.__module__)
    doc = " ".join(((module.__doc__ if module else None) or cls.__doc__ or "").split())
    doc = doc.removeprefix(f"{getattr(cls, 'type_name', '')}: ")
    match = re.match(r"(.+?[.!?])(\s|$)", doc)
    text = match.group(1) if match else doc
    return text[:1].upper() + text[1:]


# the largest whole number a float holds exactly: beyond it, 1e30 read as a float is not the
# number typed (int(1e30) ends ...19884624838656), so it stays a float, which the loader calls
# not a whole number
EXACT_FLOAT_INT = 2 ** 53


def parse_typed(text: str, kind: str = ""):
    """What the user typed, as a scenario file would read it: a number, true/false, a list
    or, failing those, the text itself (so that the loader's own message explains what is
    wrong, e.g. "expected a whole number, got 'ten'"). Empty text: None (not set).

    In a field of whole numbers (``kind`` "int") a whole number typed as a decimal or with
    an exponent, 25.0 or 1e9, is that whole number (1000000000): shown so, and checked
    against the field's range (a user check typed 1e9 and read "1000000000.0" and "expected
    a whole number, got 1000000000.0", not that it was out of range); 2.5 stays 2.5, for
    the loader to refuse."""
    text = str(text).strip()
    if text == "":
        return None
    if re.fullmatch(r"-?\d{1,3}(,\d{3})+(\.\d+)?", text):  # 1,000 as people write it
        text = text.replace(",", "")
    try:
        value = tomllib.loads(f"v = {text}")["v"]
    except tomllib.TOMLDecodeError:
        return text
    if (kind == "int" and isinstance(value, float) and value.is_integer()
            and abs(value) <= EXACT_FLOAT_INT):
        return int(value)
    return value


def list_text(value: list) -> str:
    """A list as the user would type it: comma-separated words and numbers ("join, visit,
    ask, offer"; a user check found Python's ['join', 'visit', 'ask', 'offer']), or a TOML
    list when an item would not read back from that (a comma or a quote in it, a table)."""
    plain = all((isinstance(v, str) and v.strip() == v and v != "" and not re.search(
        r"[,\"'\[\]{}=]", v) and not isinstance(parse_typed(v), (int, float, bool)))
        or (isinstance(v, (int, float)) and not isinstance(v, bool)) for v in value)
    if plain:
        return ", ".join(number_text(v) if not isinstance(v, str) else v for v in value)
    from sim.scenario.reference import toml_value

    return "[" + ", ".join(toml_value(v) for v in value) + "]"


def parse_list(text: str):
    """A list from what the user typed: a TOML list (``["join", "visit"]``) or words and
    numbers separated by commas (``join, visit``; quotes around a word are taken off). Empty
    text: None (not set)."""
    text = str(text).strip()
    if text == "":
        return None
    try:
        value = tomllib.loads(f"v = {text}")["v"]
    except tomllib.TOMLDecodeError:
        value = None
    if isinstance(value, list):
        return value
    out = []
    for part in (p.strip() for p in text.split(",")):
        if part:
            item = parse_typed(part)
            out.append(item.strip("\"'") if isinstance(item, str) else item)
    return out


def names_for(kind: str | None, scenario: Scenario, declared: Kind = Kind.PLAIN,
              from_start: bool = False) -> list[str]:
    """The names a field that refers to ``kind`` may take in ``scenario`` (sections, hubs,
    orientations), with 'boundary' where a hub location allows it; hubs a programme opens
    too unless the field needs a hub from day 0 (``from_start``: an intervention's
    ``hubs_from_start``)."""
    if kind == "section":
        names = [s.name for s in scenario.model.population.sections]
        return names + ([BOUNDARY] if declared == Kind.HUB_LOCATION else [])
    if kind == "hub":
        names = [h.name for h in scenario.model.hubs]
        for iv in () if from_start else scenario.interventions:
            names += [h for h in iv.hubs_opened() if h not in names]
        return names
    if kind == "orientation":
        return list(ORIENTATIONS)
    return []


def days_as_months(days) -> str:
    """'day 90' -> 'about month 3' (for a hint beside a day field): months from the start
    of the run, to the nearest, as a file's start_month / end_month counts them (end_month
    = 15 is day 457, 'about month 15'; at least month 1)."""
    try:
        d = int(days)
    except (TypeError, ValueError):
        return ""
    return f"about month {max(1, round(d / DAYS_PER_MONTH))}" if d > 0 else ""
