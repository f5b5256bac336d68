"""The parameter tables of the model card (docs/MODEL.md), generated from the parameter
metadata in sim/params/ so that the card cannot drift from the code.

``update_model_card()`` rewrites the tables between the markers; a test checks the card is
up to date.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from sim import metrics
from sim.params import ORIENTATIONS, default_profiles
from sim.scenario.tables import PARAM_TABLES

BEGIN = "<!-- BEGIN GENERATED: sim/model_card.py; do not edit by hand -->"
END = "<!-- END GENERATED -->"
CARD = Path(__file__).resolve().parents[1] / "docs" / "MODEL.md"
REFRESH = 'python -c "from sim.model_card import update_model_card; update_model_card()"'


def _cell(value) -> str:
    text = str(value) if not isinstance(value, float) else f"{value:g}"
    return text.replace("|", "\\|").replace("\n", " ")


def _range(meta: dict) -> str:
    lo, hi = meta.get("range", (None, None))
    if lo is None and hi is None:
        return ""
    return f"{'' if lo is None else f'{lo:g}'} to {'' if hi is None else f'{hi:g}'}"


def _uncertain(meta: dict) -> str:
    u = meta.get("uncertain")
    return f"{u[0]:g} to {u[1]:g}" if u else ""


def parameter_table(cls, title: str, instance=None) -> str:
    instance = instance if instance is not None else cls()
    rows = [f"#### {title}", "",
            "| parameter | default | unit | allowed | plausible range (robustness) | meaning | "
            "source |",
            "|---|---|---|---|---|---|---|"]
    for f in dataclasses.fields(cls):
        meta = f.metadata
        if not meta:
            continue
        value = getattr(instance, f.name)
        if isinstance(value, tuple) and value and dataclasses.is_dataclass(value[0]):
            value = f"{len(value)} entries (below)"
        source = meta.get("source", "")
        if meta.get("calibrated"):
            source = f"{source} (calibrated)" if "calibrat" not in source else source
        rows.append("| " + " | ".join(_cell(x) for x in (
            f"`{f.name}`", value, meta.get("unit", ""), _range(meta), _uncertain(meta),
            meta.get("doc", ""), source)) + " |")
    return "\n".join(rows)


def profiles_table() -> str:
    profiles = default_profiles()
    profile = PARAM_TABLES["orientations"]
    names = [f.name for f in dataclasses.fields(profile)]
    rows = ["#### Orientation profiles (defaults)", "",
            "| field | " + " | ".join(ORIENTATIONS) + " | meaning |",
            "|---|" + "---|" * len(ORIENTATIONS) + "---|"]
    for name in names:
        doc = profile.__dataclass_fields__[name].metadata["doc"]
        rows.append(f"| `{name}` | " + " | ".join(
            f"{getattr(profiles[o], name):g}" for o in ORIENTATIONS) + f" | {_cell(doc)} |")
    return "\n".join(rows)


def metrics_table() -> str:
    rows = ["#### Metrics (sim/metrics.py registry)", "",
            "| name | label | unit | kind | better when | definition |",
            "|---|---|---|---|---|---|"]
    for m in metrics.REGISTRY.values():
        better = {True: "higher", False: "lower", None: "(context)"}[m.higher_is_better]
        rows.append("| " + " | ".join(_cell(x) for x in (
            f"`{m.name}`", m.label, m.unit, m.kind, better, m.doc)) + " |")
    return "\n".join(rows)


def generated_section() -> str:
    tables = PARAM_TABLES
    parts = [
        parameter_table(tables["population"], "Population (`[population]`)"),
        parameter_table(tables["sections"], "Each section (`[[population.sections]]`), with the "
                        "first default section's values"),
        parameter_table(tables["network"], "Network (`[network]`)"),
        parameter_table(tables["hubs"], "Each hub (`[[hubs]]`), with the default library's "
                        "values", instance=tables["hubs"](name="library")),
        parameter_table(tables["rules"], "Daily rules (`[rules]`)"),
        profiles_table(),
        metrics_table(),
    ]
    return "\n\n".join(parts)


def render(text: str) -> str:
    """``text`` with the generated section replaced."""
    start, end = text.index(BEGIN) + len(BEGIN), text.index(END)
    return text[:start] + "\n\n" + generated_section() + "\n\n" + text[end:]


def update_model_card(path: Path = CARD) -> bool:
    """Rewrite the generated tables in place; returns True if the file changed."""
    old = path.read_text(encoding="utf-8")
    new = render(old)
    if new != old:
        tmp = path.with_suffix(".tmp")
        tmp.write_text(new, encoding="utf-8")
        tmp.replace(path)
    return new != old
