"""How a parameter is declared and read back.

Each field of the parameter dataclasses is declared with :func:`param`, which records a
one-line meaning, a unit, the range a scenario file may set it to, and where the value
comes from (a citation or the word "assumption"). The scenario validator reads the ranges,
the model card is generated from the same metadata (:func:`meta`, :func:`walk_params`),
and the model reads the values.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import MISSING, field, fields, is_dataclass
from typing import Any

ASSUMPTION = "assumption"


def param(
    default: Any = MISSING,
    *,
    factory: Callable[[], Any] | None = None,
    unit: str,
    doc: str,
    source: str = ASSUMPTION,
    lo: float | None = None,
    hi: float | None = None,
    calibrated: bool = False,
    uncertain: tuple[float, float] | None = None,
    choices: tuple | None = None,
    refers_to: str | None = None,
):
    """Declare a model parameter.

    ``lo``/``hi`` bound what a scenario file may set; ``uncertain`` is the plausible range
    used by robustness analysis (defaults to none: treated as known); ``calibrated`` marks
    values fitted by ``run.py calibrate``; ``choices`` lists the allowed values of a text
    field; ``refers_to`` ("section", "hub" or "orientation") says the value (or each item of
    a list value) must name one of those in the scenario. ``factory`` makes each default
    afresh (a tuple of dataclasses, say) where ``default`` would be one shared value.
    """
    meta = {
        "choices": choices,
        "refers_to": refers_to,
        "unit": unit,
        "doc": doc,
        "source": source,
        "range": (lo, hi),
        "calibrated": calibrated,
        "uncertain": uncertain,
    }
    if factory is not None:
        return field(default_factory=factory, metadata=meta)
    if isinstance(default, (list, dict)):
        return field(default_factory=lambda: default.copy(), metadata=meta)
    return field(default=default, metadata=meta)


def meta(cls_or_obj, name: str) -> dict:
    """The metadata of one field of a parameter dataclass."""
    for f in fields(cls_or_obj):
        if f.name == name:
            return dict(f.metadata)
    raise KeyError(name)


def walk_params(obj, prefix: str = ""):
    """Yield (dotted path, value, metadata) for every leaf parameter in a parameter tree."""
    for f in fields(obj):
        value = getattr(obj, f.name)
        path = f"{prefix}{f.name}"
        if is_dataclass(value):
            yield from walk_params(value, path + ".")
        elif isinstance(value, dict) and value and all(is_dataclass(v) for v in value.values()):
            for key, sub in value.items():
                yield from walk_params(sub, f"{path}.{key}.")
        elif isinstance(value, tuple) and value and all(is_dataclass(v) for v in value):
            for i, sub in enumerate(value):
                yield from walk_params(sub, f"{path}[{i}].")
        else:
            yield path, value, dict(f.metadata)
