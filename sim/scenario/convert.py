"""Converting the values of a merged scenario definition to the types their fields declare.

:class:`Converter` walks one value against one field: its Python type (whole number, list,
table of a dataclass ...), its :class:`~sim.scenario.kinds.Kind` (weekdays, a name, shares
...) and its metadata from :func:`sim.params.param` (range, choices, ``refers_to``). It
records every problem against the file that wrote the key, and returns :data:`BAD` for a
value that failed (its problem already recorded). Names referred to are collected in
``refs`` and looked up once the whole scenario is known (sim/scenario/checks.py).
"""

from __future__ import annotations

import dataclasses
import math
import re
import types
import typing

from sim.params import (
    BOUNDARY_NAME,
    ORIENTATIONS,
    WEEKDAY_NAMES,
    WEEKDAYS,
    HubSpec,
    Section,
    weekday_number,
)
from sim.scenario.errors import ERROR, WARNING, Problem
from sim.scenario.kinds import Kind, settable_fields
from sim.scenario.tables import REQUIRED
from sim.scenario.words import (
    bad_char,
    bound,
    describe,
    did_you_mean,
    hint,
    join,
    num,
    parent_key,
    share_sum,
    without_accents,
)

SHARE_TOLERANCE = 1e-6  # shares must sum to 1 within this
MAX_NAME_CHARS = 60  # a section or hub name (column names of breakdowns are built from it)
MAX_LABEL_CHARS = 80  # an intervention's label (chart legends)
MAX_IDENTIFIER_CHARS = 40
IDENTIFIER = re.compile(rf"[A-Za-z][A-Za-z0-9_]{{0,{MAX_IDENTIFIER_CHARS - 1}}}")
BOUNDARY = BOUNDARY_NAME  # a hub location between sections (sim.places)

TOP_ONLY = ("name", "description", "extends")  # keys of the file itself, never of a table

BAD = object()  # a value that failed validation (its problem is already recorded)
# words for a group of weekdays a user may write for the days themselves (a trailing "s"
# dropped: "weekends", "weekdays")
DAY_GROUPS = {"weekend": ("sat", "sun"), "weekday": WEEKDAYS[:5], "working day": WEEKDAYS[:5],
              "everyday": WEEKDAYS, "every day": WEEKDAYS, "daily": WEEKDAYS,
              "all": WEEKDAYS}


def finite(x) -> bool:
    """A number that is neither NaN nor infinite, and fits a float (math.isfinite raises
    OverflowError on a whole number such as 10**400, which TOML files may hold)."""
    try:
        return math.isfinite(x)
    except OverflowError:
        return False


def identifier_like(text: str) -> str:
    """"; did you mean 'cafe'? (a label may use any letters)" for a name that is not an
    identifier but becomes one with its accents off and the rest as _; else ""."""
    near = re.sub(r"[^A-Za-z0-9_]+", "_", without_accents(text)).strip("_")
    near = re.sub(r"^[^A-Za-z]+", "", near)[:MAX_IDENTIFIER_CHARS].rstrip("_")
    if not IDENTIFIER.fullmatch(near) or near == text:
        return ""
    return f"; did you mean '{near}'? (a label = \"...\" may use any letters)"


class Converter:
    """Problems and references of one scenario file, and the conversion of its values."""

    def __init__(self, shown: str, origin: dict[str, str]):
        self.shown = shown
        self.origin = origin
        self.problems: list[Problem] = []
        # names to look up once all are known: (key, kind, name, extra allowed names, note)
        self.refs: list[tuple[str, str, str, tuple[str, ...], str]] = []
        self.sections: list[tuple[str, str]] = []  # (name, key) as defined
        self.hubs: list[tuple[str, str]] = []
        # table key -> the values of its keys that converted, and the names of the keys whose
        # value was refused (a misspelt key is neither): the checks across tables use what a
        # file got right beside a mistake (a user check: a typo in [run] threw away its days)
        self.kept: dict[str, dict] = {}
        self.refused: dict[str, set[str]] = {}

    # -- recording ----------------------------------------------------------------------------
    def error(self, key: str, message: str, severity: str = ERROR) -> None:
        if key.startswith("--"):  # an override: reported against the option, once
            self.problems.append(Problem(key, "", message, severity))
            return
        file = self._file_of(key)
        via = self.shown if file != self.shown else None
        self.problems.append(Problem(file, key, message, severity, via))

    def _file_of(self, key: str) -> str:
        while key:
            if key in self.origin:
                return self.origin[key]
            key = parent_key(key)
        return self.shown

    def unknown_key(self, key: str, name: str, allowed) -> None:
        found = did_you_mean(name, allowed)
        if not found:
            found = "; allowed: " + ", ".join(allowed) if allowed else "; no keys are allowed here"
        if name in TOP_ONLY and parent_key(key):  # written below a [table] line: inside it
            found += (f" ({name} goes at the top of the file, above the first [table] line: a "
                      "key belongs to the table whose line it follows)")
        self.error(key, f"unknown key{found}")

    def wrong_type(self, key: str, expected: str, value):
        self.error(key, f"expected {expected}, got {describe(value)}")
        return BAD

    # -- one dataclass from one table ---------------------------------------------------------
    def table(self, cls, value, key: str, *, base=None, skip=(), construct=True):
        if not isinstance(value, dict):
            self.error(key, f"expected a table, got {describe(value)}")
            return BAD
        specs = settable_fields(cls)
        kwargs, ok = {}, True
        self.kept[key], self.refused[key] = kwargs, set()
        for name, item in value.items():
            if name in skip:
                continue
            sub = join(key, name)
            if name not in specs:  # the keys read elsewhere (skip) are allowed too
                self.unknown_key(sub, name, [*specs, *skip])
                ok = False
                continue
            field_type, meta = specs[name]
            converted = self.convert(item, field_type, meta, sub)
            if converted is BAD:
                ok = False
                self.refused[key].add(name)
            else:
                kwargs[name] = converted
        for name in REQUIRED.get(cls, ()):
            if name not in value:
                self.error(join(key, name), f"missing; every {cls.__name__} table needs "
                           f"'{name}'")
                ok = False
        judge = getattr(cls, "value_problems", None)  # an intervention's own checks
        if judge is not None:
            for sub, message in judge(dict(kwargs)):
                self.error(f"{key}.{sub}" if not sub.startswith("[") else key + sub, message)
                ok = False
        if cls is Section and isinstance(value.get("name"), str):
            self.sections.append((value["name"], key))
        if cls is HubSpec and isinstance(value.get("name"), str):
            self.hubs.append((value["name"], key))
        if not ok or not construct:
            return BAD
        try:
            return dataclasses.replace(base, **kwargs) if base is not None else cls(**kwargs)
        except (TypeError, ValueError) as exc:
            self.error(key, f"cannot be built: {exc}")
            return BAD

    # -- one value against one type -----------------------------------------------------------
    def convert(self, value, field_type, meta: dict, key: str):
        origin = typing.get_origin(field_type)
        if origin in (typing.Union, types.UnionType):
            options = [a for a in typing.get_args(field_type) if a is not type(None)]
            if len(options) != 1:
                return self.not_settable(key, field_type)
            return self.convert(value, options[0], meta, key)
        if field_type is bool:
            return value if isinstance(value, bool) else self.wrong_type(key, "true or false",
                                                                         value)
        if field_type is int:
            if isinstance(value, int) and not isinstance(value, bool):
                return self.scalar_checks(value, meta, key)
            return self.wrong_type(key, "a whole number", value)
        if field_type is float:
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                if isinstance(value, float) and not math.isfinite(value):
                    return self.wrong_type(key, "a finite number", value)
                # the range first, on the number as written: a whole number too large for a
                # float (10**400) is out of range, where float() raised OverflowError
                checked = self.scalar_checks(value, meta, key)
                if checked is BAD:
                    return BAD
                if not finite(checked):  # no range declared to refuse it
                    return self.wrong_type(key, "a number of ordinary size", value)
                return float(checked)
            return self.wrong_type(key, "a number", value)
        if field_type is str:
            if isinstance(value, str):
                return self.text_value(value, meta, key)
            return self.wrong_type(key, "text in quotes", value)
        if field_type is tuple or origin is tuple:
            return self.sequence(value, field_type, meta, key)
        if field_type is typing.Any:
            if isinstance(value, (dict, list)):
                return self.wrong_type(key, "a single value", value)
            return self.scalar_checks(value, meta, key)
        if origin is dict:
            return self.mapping(value, typing.get_args(field_type), meta, key)
        if dataclasses.is_dataclass(field_type):
            return self.table(field_type, value, key)
        return self.not_settable(key, field_type)

    def not_settable(self, key: str, field_type):
        self.error(key, f"cannot be set from a scenario file (type {field_type})")
        return BAD

    def sequence(self, value, field_type, meta: dict, key: str):
        """A list: weekdays (by kind), or items each converted to the declared item type."""
        args = typing.get_args(field_type) or (typing.Any, Ellipsis)
        if len(args) != 2 or args[1] is not Ellipsis:
            return self.not_settable(key, field_type)
        if not isinstance(value, list):
            return self.wrong_type(key, "a list [...]", value)
        if meta.get("kind") == Kind.WEEKDAYS:
            return self.weekdays(value, key)
        if not value and meta.get("refers_to"):
            self.empty_list(meta, key)
        items = [self.convert(v, args[0], meta, f"{key}[{i}]") for i, v in enumerate(value)]
        return BAD if any(v is BAD for v in items) else tuple(items)

    def text_value(self, value: str, meta: dict, key: str):
        """Text: no control characters anywhere; identifiers (intervention names, which
        metric names are built from) and names (sections, hubs) within their own rules."""
        kind = meta.get("kind")
        if kind == Kind.IDENTIFIER and value:
            if not IDENTIFIER.fullmatch(value):
                self.error(key, f"{describe(value)} is not allowed: use the letters a-z and "
                           "A-Z (no accents or other alphabets), digits and _, starting with a "
                           f"letter, at most {MAX_IDENTIFIER_CHARS} characters (metric names "
                           f"are built from it){identifier_like(value)}")
                return BAD
            return self.scalar_checks(value, meta, key)
        if kind == Kind.NAME:  # a section's or hub's own name (references are looked up)
            if not value.strip():
                self.error(key, "is empty; give a name")
                return BAD
            if not self.text_checks(value, key, "a name", MAX_NAME_CHARS):
                return BAD
            if "[" in value or "]" in value:
                self.error(key, f"{describe(value)} is not allowed: names cannot contain "
                           "[ or ] (they mark breakdowns in metric names)")
                return BAD
            return self.scalar_checks(value, meta, key)
        if not self.text_checks(value, key, "this text", MAX_LABEL_CHARS
                                if kind == Kind.LABEL else None):
            return BAD
        return self.scalar_checks(value, meta, key)

    def text_checks(self, value: str, key: str, what: str, max_chars: int | None, *,
                    allow_lines: bool = False) -> bool:
        """Text a user typed: no control characters (a NUL, an escape), on one line unless
        ``allow_lines``; at most ``max_chars`` characters. Names become file names and
        report headings, so invisible formatting characters are refused in them too."""
        allowed = "\n\t\r" if allow_lines else ""
        bad = bad_char(value, allowed, formatting=not allow_lines)
        if bad is not None:
            self.error(key, f"contains the control character U+{ord(bad):04X}; {what} must be "
                       "plain text" + ("" if allow_lines else " on one line") + ": remove it")
            return False
        if max_chars is not None and len(value) > max_chars:
            self.error(key, f"is {len(value)} characters long; {what} may have at most "
                       f"{max_chars}: shorten it")
            return False
        return True

    def empty_list(self, meta: dict, key: str) -> None:
        """An empty list of names written out: it means what leaving the key out means
        (everyone, every hub), which is rarely what someone who wrote [] intended."""
        found = re.search(r"empty = ([^;,)]+)", str(meta.get("doc", "")))
        means = found[1].strip() if found else "the default"
        kind = meta["refers_to"]
        self.error(key, f"an empty list here means {means} (as leaving the key out does); "
                   f"list the {kind}s you mean, or leave the key out", severity=WARNING)

    def scalar_checks(self, value, meta: dict, key: str):
        lo, hi = meta.get("range") or (None, None)
        unit = meta.get("unit")
        if isinstance(value, (int, float)) and (
                (lo is not None and value < lo) or (hi is not None and value > hi)):
            if lo is not None and hi is not None:
                allowed = f"must be between {bound(lo)} and {bound(hi)}"
            elif lo is not None:
                allowed = f"must be at least {bound(lo)}"
            else:
                allowed = f"must be at most {bound(hi)}"
            # the unit, unless it only repeats the range ("between 0 and 1 (0-1)")
            said = unit and unit.replace("\u2013", "-") != f"{num(lo)}-{num(hi)}"
            self.error(key, f"{num(value)} is out of range: {allowed}"
                       + (f" ({unit})" if said else ""))
            return BAD
        choices = meta.get("choices")
        if choices and value not in choices:
            self.error(key, f"'{value}' is not allowed{hint(str(value), choices)}")
            return BAD
        if meta.get("refers_to") and isinstance(value, str):
            extra = (BOUNDARY,) if meta.get("kind") == Kind.HUB_LOCATION else ()
            self.refs.append((key, meta["refers_to"], value, extra, ""))
        return value

    def weekdays(self, value: list, key: str):
        """Weekday names (or numbers 0-6) as sorted numbers: sim.params.weekday_number, the
        one parser the interventions use too."""
        days, ok = [], True
        for i, v in enumerate(value):
            try:
                number = weekday_number(v)
            except ValueError as exc:
                word = v.strip().lower() if isinstance(v, str) else ""
                # a group of days is written out ('weekend' read "did you mean 'wed'?")
                group = DAY_GROUPS.get(word.rstrip("s"))
                close = (f"; list its days: {', '.join(group)}" if group
                         else did_you_mean(word, WEEKDAY_NAMES + WEEKDAYS) if word else "")
                self.error(f"{key}[{i}]", f"{str(exc).rsplit(', got ', 1)[0]}, got "
                           f"{describe(v)}{close}")
                ok = False
                continue
            if number in days:
                self.error(f"{key}[{i}]", f"'{WEEKDAYS[number]}' is listed twice")
                ok = False
            else:
                days.append(number)
        return tuple(sorted(days)) if ok else BAD

    def mapping(self, value, args, meta: dict, key: str):
        if not isinstance(value, dict):
            return self.wrong_type(key, "a table { name = value, ... }", value)
        _, value_type = args if len(args) == 2 else (str, typing.Any)
        refers_to = meta.get("refers_to")
        item_meta = {k: v for k, v in meta.items() if k not in ("refers_to", "kind")}
        out, ok = {}, True
        for name, item in value.items():
            sub = join(key, name)
            if refers_to == "orientation" and name not in ORIENTATIONS:
                self.error(sub, f"unknown orientation '{name}'{hint(name, ORIENTATIONS)}")
                ok = False
                continue
            if refers_to and refers_to != "orientation":
                self.refs.append((sub, refers_to, name, (), ""))
            converted = self.convert(item, value_type, item_meta, sub)
            if converted is BAD:
                ok = False
            else:
                out[name] = converted
        if not ok:
            return BAD
        if meta.get("kind") == Kind.SHARES:
            return self.shares(out, key)
        return out

    def shares(self, out: dict, key: str):
        """A table of shares: none negative, summing to 1."""
        negative = [n for n, v in out.items() if v < 0]
        if negative:
            self.error(key, "shares cannot be negative: " + ", ".join(negative))
            return BAD
        total = math.fsum(out.values())
        if abs(total - 1.0) > SHARE_TOLERANCE:
            self.error(key, f"shares sum to {share_sum(total)}, must sum to 1")
            return BAD
        return out
