"""The words and swatches that explain the community picture: the states the dots can be
sized by (:data:`SHADE_STATES`) and the legend drawn as HTML beside the picture, so that it
stays readable at any size (:func:`legend_html`). Its colours are the drawing's, from
:mod:`sim.palette` and :mod:`sim.app.roles`.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from sim.app.roles import ROLES
from sim.palette import (
    BONDING_COLOUR,
    BRIDGING_COLOUR,
    DOT_EDGE_COLOUR,
    HUB_COLOUR,
    ORIENTATION_COLOURS,
    SELECTED_COLOUR,
    VISIT_COLOUR,
    WITHDRAWN_COLOUR,
)
from sim.params import ORIENTATIONS

ORIENTATION_LABELS = {
    "traditional": "Traditional",
    "activist": "Activist",
    "rescuer": "Rescuer",
    "empathic": "Empathic",
    "unaligned": "Unaligned",
}


@dataclass(frozen=True)
class ShadeState:
    """A resident state the user can pick to size the dots by."""

    name: str  # array in model.pop
    label: str  # plain words
    doc: str  # one sentence for a tooltip


SHADE_STATES: dict[str, ShadeState] = {
    s.name: s
    for s in (
        ShadeState("trust_out", "Trust in other groups",
                   "How much the resident trusts people from other sections (0 none, 1 full)."),
        ShadeState("trust_in", "Trust in own group",
                   "How much the resident trusts people from their own section (0 none, 1 full)."),
        ShadeState("need", "Outstanding need",
                   "How much unmet need the resident has right now (0 none, 1 a lot)."),
        ShadeState("strain", "Strain from helping",
                   "How heavily helping weighs on the resident (past 0.5 it is too much, and "
                   "they may step back)."),
        ShadeState("loneliness", "Loneliness",
                   "How lonely the resident feels (0 not at all, 1 always)."),
    )
}


@dataclass(frozen=True)
class LegendItem:
    """One entry of the legend (drawn as HTML beside the picture, so it stays readable at any
    size): a label and a CSS-drawn swatch."""

    label: str
    kind: str  # "dot", "ring", "line", "square", "marker"
    colour: str
    symbol: str = ""  # for kind "marker": a character (the role's shape)


# diamond, thin diamond (lozenge), star, triangle
ROLE_SYMBOLS = {"D": "\u25c7", "d": "\u25ca", "*": "\u2605", "^": "\u25b3"}


def legend_items() -> list[LegendItem]:
    """Legend entries: orientations, roles, hubs, the two kinds of tie, visits, withdrawn."""
    items = [LegendItem(ORIENTATION_LABELS[o], "dot", ORIENTATION_COLOURS[o])
             for o in ORIENTATIONS]
    items += [LegendItem(r.label, "marker", r.colour, ROLE_SYMBOLS.get(r.marker, r.marker))
              for r in ROLES.values()]
    items += [
        LegendItem("Hub, open today (white: shut)", "square", HUB_COLOUR),
        LegendItem("Tie within a section", "line", BONDING_COLOUR),
        LegendItem("Tie across sections", "line", BRIDGING_COLOUR),
        LegendItem("Visiting a hub today", "line", VISIT_COLOUR),
        LegendItem("Withdrawn (burnt out)", "dot", WITHDRAWN_COLOUR),
        LegendItem("Picked resident", "ring", SELECTED_COLOUR),
    ]
    return items


def legend_html() -> str:
    """The legend as an HTML list (class ``network-legend``)."""
    def swatch(it: LegendItem) -> str:
        base = "display:inline-block;vertical-align:middle;margin-right:5px;"
        if it.kind == "dot":
            css = f"width:11px;height:11px;border-radius:50%;background:{it.colour};" \
                  "border:1px solid " + DOT_EDGE_COLOUR
        elif it.kind == "ring":
            css = f"width:11px;height:11px;border-radius:50%;border:2px solid {it.colour}"
        elif it.kind == "square":
            css = f"width:11px;height:11px;background:{it.colour}"
        elif it.kind == "line":
            css = f"width:18px;height:0;border-top:3px solid {it.colour}"
        else:
            return (f"<span style='{base}width:14px;text-align:center;color:{it.colour};"
                    f"font-size:15px;line-height:1'>{it.symbol}</span>")
        return f"<span style='{base}{css}'></span>"

    entries = "".join(f"<li style='display:inline-block;margin:2px 12px 2px 0;"
                      f"white-space:nowrap'>{swatch(it)}{html.escape(it.label)}</li>"
                      for it in legend_items())
    return (f"<ul class='network-legend' style='list-style:none;padding:0;margin:4px 0;"
            f"font-size:13px;line-height:1.5'>{entries}</ul>")

