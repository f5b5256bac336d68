"""How a metric is shown to a reader: plain label, axis unit, scale and number format.

Shares are stored as fractions (0-1) and shown as percentages; an effect on a share is shown in
percentage points ("raised ... by 4.1 points"). Other units are shown as they are.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from sim.metrics import REGISTRY, Metric


@dataclass(frozen=True)
class Display:
    name: str
    label: str  # "Trust other groups"
    doc: str
    axis: str  # "% of residents"
    effect_unit: str  # "percentage points"
    effect_short: str  # "points"
    scale: float  # multiply stored values by this to show them
    higher_is_better: bool | None

    def value(self, x: float) -> str:
        """A stored value as the reader sees it: 0.412 -> "41.2%"."""
        if x is None or (isinstance(x, float) and math.isnan(x)):
            return "n/a"
        v = x * self.scale
        return f"{v:.1f}%" if self.scale == 100 and self.axis.startswith("%") else _num(v)

    def effect(self, x: float, *, signed: bool = True) -> str:
        """An effect as the reader sees it: 0.041 -> "+4.1"."""
        if x is None or (isinstance(x, float) and math.isnan(x)):
            return "n/a"
        v = x * self.scale
        return (f"{v:+.1f}" if signed else f"{v:.1f}") if abs(v) >= 0.05 or v == 0 else (
            f"{v:+.2g}" if signed else f"{v:.2g}")


def _num(v: float) -> str:
    if abs(v) >= 100:
        return f"{v:,.0f}"
    if abs(v) >= 1:
        return f"{v:.2f}"
    return f"{v:.3f}"


def display(name: str, metrics: dict[str, Metric] | None = None) -> Display:
    """The display of metric ``name`` (from ``metrics``, then the registry, else the name)."""
    m = (metrics or {}).get(name) or REGISTRY.get(name)
    if m is None:
        label = name.replace("_", " ").capitalize()
        return Display(name, label, "", "value", "units", "units", 1.0, None)
    unit = m.unit or ""
    if unit == "share points":
        return Display(name, m.label, m.doc, "percentage points", "percentage points",
                       "points", 100.0, m.higher_is_better)
    if unit.startswith("share"):
        rest = unit[len("share"):].strip()
        axis = f"% {rest}".strip()
        return Display(name, m.label, m.doc, axis, "percentage points", "points", 100.0,
                       m.higher_is_better)
    return Display(name, m.label, m.doc, unit, unit, unit, 1.0, m.higher_is_better)
