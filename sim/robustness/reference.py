"""The lists of uncertain assumptions in docs/ROBUSTNESS.md, generated from what the analysis
samples (:func:`sim.robustness.worlds.model_uncertainties`, drawn in every job, and
:func:`sim.robustness.worlds.programme_uncertainties`, drawn for the intervention types a job
includes), so the page cannot name a different set from the one the code draws: a test
checks it is up to date (the pattern of sim/scenario/reference.py for docs/SCENARIOS.md).

:func:`format_assumptions` and :func:`format_programme_assumptions` write the tables;
:func:`update_doc` rewrites them in place between their markers.
"""

from __future__ import annotations

from pathlib import Path

from sim.params import ModelParams
from sim.scenario.reference import rewrite_between, text_between

BEGIN = "<!-- BEGIN GENERATED ASSUMPTIONS: sim/robustness/reference.py; do not edit by hand -->"
END = "<!-- END GENERATED ASSUMPTIONS -->"
BEGIN_PROGRAMMES = ("<!-- BEGIN GENERATED PROGRAMME ASSUMPTIONS: sim/robustness/reference.py; "
                    "do not edit by hand -->")
END_PROGRAMMES = "<!-- END GENERATED PROGRAMME ASSUMPTIONS -->"
DOC_PATH = Path(__file__).resolve().parents[2] / "docs" / "ROBUSTNESS.md"
REFRESH = 'python -c "from sim.robustness.reference import update_doc; update_doc()"'


def _n(x) -> str:
    return f"{x:g}"


def _cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def shipped_value(path: str, params: ModelParams | None = None) -> str:
    """The value the shipped defaults give the parameter, as the table shows it: a section's
    value per section, an orientation's per profile (the sampled value is a factor on it)."""
    params = params or ModelParams()
    table, name = path.split(".", 1)
    if table == "sections":
        return ", ".join(f"{s.name} {_n(getattr(s, name))}" for s in params.population.sections)
    if table == "orientations":
        return ", ".join(f"{k} {_n(getattr(v, name))}" for k, v in params.orientations.items())
    return _n(getattr(getattr(params, table), name))


def is_calibrated(u) -> bool:
    """Declared ``calibrated=True`` (fitted by docs/CALIBRATION.md) as well as uncertain."""
    from dataclasses import fields

    from sim.robustness.worlds import _TABLES

    table, name = u.path.split(".", 1)
    return any(f.name == name and f.metadata.get("calibrated")
               for f in fields(_TABLES[table]))


def outside_range(u, params: ModelParams | None = None) -> bool:
    """The shipped value (any section's or profile's, read as the field's own) lies outside
    the plausible range: no sampled world is near the shipped model on this parameter."""
    params = params or ModelParams()
    table, name = u.path.split(".", 1)
    if table == "orientations":  # sampled as a factor on the neutral profile's value
        from sim.params import OrientationProfile

        return not u.lo <= getattr(OrientationProfile(), name) <= u.hi
    if table == "sections":
        values = [getattr(s, name) for s in params.population.sections]
    else:
        values = [getattr(getattr(params, table), name)]
    return any(not u.lo <= v <= u.hi for v in values)


def format_assumptions(unc=None) -> str:
    """The sampled parameters as a Markdown table, with a sentence that counts them."""
    from sim.robustness.worlds import model_uncertainties

    unc = unc if unc is not None else model_uncertainties()
    calibrated = [u for u in unc if is_calibrated(u)]
    names = ", ".join(f"`{u.path}`" for u in calibrated)
    outside = [u for u in unc if outside_range(u)]
    lines = [
        f"Every world draws all {len(unc)} of these together (parameter, plausible range, "
        "the shipped value, what it is and where the value and range come from). "
        + (f"{len(calibrated)} of them "
           + ("is a calibrated value" if len(calibrated) == 1 else "are calibrated values")
           + f" (docs/CALIBRATION.md), resampled over a range around the fit: {names}. "
           if calibrated else "")
        + "An orientation's value is a factor on every profile's own (1 = as shipped); a "
        "section's is one value for every section."
        + (" Marked **outside**: the shipped value lies outside the plausible range, so no "
           "world is near the shipped model on that parameter: "
           + ", ".join(f"`{u.path}`" for u in outside) + "." if outside else ""),
        "",
        "| parameter | plausible range | shipped | what it is | source |",
        "|---|---|---|---|---|",
    ]
    for u in unc:
        rng = f"{_n(u.lo)} to {_n(u.hi)}" + (" (factor)" if u.path.startswith(
            "orientations.") else "")
        lines.append("| " + " | ".join(_cell(x) for x in (
            f"`{u.path}`", rng, shipped_value(u.path) + (
                " (**outside**)" if outside_range(u) else ""), u.doc, u.source)) + " |")
    return "\n".join(lines) + "\n"


def format_programme_assumptions(unc=None) -> str:
    """The programmes' own sampled parameters (``<type>.<field>``) as a Markdown table, with
    a sentence that counts them and says when and how they are drawn."""
    from sim.interventions import INTERVENTIONS
    from sim.robustness.worlds import programme_uncertainties

    unc = unc if unc is not None else programme_uncertainties()
    types = list(dict.fromkeys(u.path.split(".", 1)[0] for u in unc))
    lines = [
        f"{len(unc)} assumptions of {len(types)} programmes. A job samples those of every "
        "intervention type in its scenario files (baseline included), together with the "
        "model's above, and no others: a job of the baseline and common_cause.toml draws the "
        "model's and common cause's. A world's value is one for every instance of the type in "
        "every scenario, read as a factor on the instance's own value relative to the shipped "
        "default: an instance at the default takes the sampled value, one set otherwise "
        "keeps its place (its value x sampled / shipped), held inside the range a scenario "
        "file may set. Doses (how many members or bridge figures are bought) are the "
        "council's choice and are not sampled.",
        "",
        "| parameter | plausible range | shipped | what it is | source |",
        "|---|---|---|---|---|",
    ]
    for u in unc:
        name, field = u.path.split(".", 1)
        default = INTERVENTIONS[name].__dataclass_fields__[field].default
        lines.append("| " + " | ".join(_cell(x) for x in (
            f"`{u.path}`", f"{_n(u.lo)} to {_n(u.hi)}", _n(default), u.doc, u.source)) + " |")
    return "\n".join(lines) + "\n"


def generated_part(text: str) -> str:
    """The generated list inside a page's markers ("" when they are missing)."""
    return text_between(text, BEGIN, END)


def generated_programmes(text: str) -> str:
    """The generated list of the programmes' assumptions inside its markers ("" when they
    are missing)."""
    return text_between(text, BEGIN_PROGRAMMES, END_PROGRAMMES)


def update_doc(path: Path | str = DOC_PATH) -> bool:
    """Rewrite the generated lists in docs/ROBUSTNESS.md; True when the file changed."""
    model = rewrite_between(path, BEGIN, END, format_assumptions())
    programmes = rewrite_between(path, BEGIN_PROGRAMMES, END_PROGRAMMES,
                                 format_programme_assumptions())
    return model or programmes
