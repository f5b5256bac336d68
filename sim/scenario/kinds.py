"""What a field of a scenario file is, beyond its Python type: its declared kind.

A field's type says how it is written in TOML (a whole number, a list of text, a table of
numbers); some fields mean more than that. A list of text may be weekdays, kept as sorted
day numbers; a hub's location is a section name or 'boundary'; a name becomes part of
metric names and file names. :data:`KINDS` declares each such field once, by class and field
name (a declaration on a base class holds for its subclasses; a class defined elsewhere
declares its own with :func:`declare_kinds`), and :func:`settable_fields`
hands the kind to every reader of the declarations: the loader converts and checks by it,
the scenario reference describes and writes values by it. Nothing reads a field's kind from
its unit text.
"""

from __future__ import annotations

import dataclasses
import enum
import typing


class Kind(enum.StrEnum):
    """A field's kind; a field not declared in :data:`KINDS` is ``PLAIN``."""

    PLAIN = "plain"  # checked by its type, range and choices alone
    WEEKDAYS = "weekdays"  # weekday names (or numbers 0-6), kept as sorted numbers 0-6
    HUB_LOCATION = "hub location"  # a section's name, or 'boundary' (between sections)
    NAME = "name"  # a section's or hub's own name: one line, no [ or ]
    IDENTIFIER = "identifier"  # letters, digits and _: metric names are built from it
    LABEL = "label"  # plain words for legends and headings, one line
    SHARES = "shares"  # a table of name = share, the shares summing to 1


# "Class.field" -> kind; subclasses inherit the kinds of their bases' fields
KINDS = {
    "Section.name": Kind.NAME,
    "Section.orientations": Kind.SHARES,
    "HubSpec.name": Kind.NAME,
    "HubSpec.location": Kind.HUB_LOCATION,
    "HubSpec.open_days": Kind.WEEKDAYS,
    "Intervention.name": Kind.IDENTIFIER,
    "Intervention.label": Kind.LABEL,
    "CommonCause.session_days": Kind.WEEKDAYS,
    "CreativeCitizens.session_days": Kind.WEEKDAYS,
    "PalatableActivity.session_days": Kind.WEEKDAYS,
    "ThirdSpace.extra_open_days": Kind.WEEKDAYS,
}
# names a field refers to where sim.params leaves it implicit: a section's orientation
# shares are keyed by orientation names
REFERS_TO = {"Section.orientations": "orientation"}


def declare_kinds(**kinds: Kind):
    """A class decorator declaring the kinds of a class's fields where :data:`KINDS` does
    not (an intervention class defined outside sim, a test's):
    ``@declare_kinds(session_days=Kind.WEEKDAYS)``."""

    def declare(cls):
        for name, kind in kinds.items():
            KINDS[f"{cls.__name__}.{name}"] = Kind(kind)
        return cls

    return declare


def _declared(table: dict, cls, name: str):
    for klass in cls.__mro__:
        found = table.get(f"{klass.__name__}.{name}")
        if found is not None:
            return found
    return None


def field_kind(cls, name: str) -> Kind:
    """The declared kind of field ``name`` of ``cls`` (``Kind.PLAIN`` when none is)."""
    return _declared(KINDS, cls, name) or Kind.PLAIN


def settable_fields(cls) -> dict[str, tuple[object, dict]]:
    """Fields a scenario file may set: dataclass init fields declared with ``param()`` (they
    carry a unit), as name -> (resolved type, metadata). The metadata carries the field's
    ``kind`` (:class:`Kind`) and any ``refers_to`` declared here."""
    hints = typing.get_type_hints(cls)
    out = {}
    for f in dataclasses.fields(cls):
        if not (f.init and "unit" in f.metadata):
            continue
        meta = dict(f.metadata, kind=field_kind(cls, f.name))
        refers_to = _declared(REFERS_TO, cls, f.name)
        if refers_to is not None:
            meta["refers_to"] = refers_to
        out[f.name] = (hints[f.name], meta)
    return out
