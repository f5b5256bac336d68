"""Scenario files brought to the compare page by the user, checked before they are offered.

An uploaded file may only extend a file in the scenarios folder (so that a comparison stays a
comparison of the same community and a file cannot reach elsewhere on the server), and it gets
the scenario loader's own messages, naming the uploaded file (:func:`check_upload`).
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sim.scenario.merging import EMPTY_FILE
from sim.scenario.reading import MAX_FILE_BYTES, too_large
from sim.scenario.schema import Scenario


@dataclass(frozen=True)
class Upload:
    """A checked scenario file brought by the user (kept in the page's own folder)."""

    name: str  # the file name as uploaded
    path: Path  # where the page keeps it
    scenario: Scenario
    extends: str = ""  # the file in the scenarios folder it extends, by its name there


class UploadError(ValueError):
    """What is wrong with an uploaded file, in lines a user can act on."""


def check_upload(file_name: str, data: bytes, folder: Path, keep_in: Path,
                 taken_names=()) -> Upload:
    """Validate an uploaded scenario file and keep it in ``keep_in``.

    It must be a small UTF-8 TOML file that ``extends`` a file in ``folder`` by its bare
    name (uploaded files may only extend the scenarios offered here, so that a comparison
    stays a comparison of the same community and a file cannot reach elsewhere on the
    server); then the scenario loader checks it, and its messages are returned as they are,
    naming the uploaded file. Raises :class:`UploadError`."""
    from sim.scenario.errors import ScenarioError
    from sim.scenario.loader import load_scenario
    from sim.scenario.reading import SCENARIO_FORM, InputRefused, toml_of

    shown = Path(file_name).name or "uploaded.toml"
    if not shown.endswith(".toml"):
        raise UploadError(f"{shown}: a scenario file ends in .toml")
    if len(data) > MAX_FILE_BYTES:  # the limit of every scenario file (docs/SCENARIOS.md)
        raise UploadError(f"{shown}: {too_large(len(data))}")
    try:  # as run.py reads a scenario file: a file that plainly is none is said to be none
        parsed = toml_of(shown, data, form=SCENARIO_FORM)
    except InputRefused as exc:
        raise UploadError(f"{shown}: {exc}") from None
    offered = sorted(p.name for p in Path(folder).glob("*.toml"))
    if not parsed:  # emptied in the page's editor, or only comments
        raise UploadError(f"{shown}: {EMPTY_FILE.removesuffix(' (see docs/SCENARIOS.md)')}, "
                          "and an uploaded one also extends = \"...\" a scenario offered here: "
                          + ", ".join(offered))
    parent = parsed.get("extends")
    if not isinstance(parent, str) or parent not in offered:
        got = f"extends = {parent!r}" if parent is not None else "no extends"
        named = Path(parent).name if isinstance(parent, str) else ""
        base = named if named in offered else ("baseline.toml" if "baseline.toml" in offered
                                               else offered[0])
        # the fix, in the file's own words (a user check: a full copy of the baseline, which
        # the command line compares, was refused without saying what to write)
        fix = (f"; change it to extends = \"{base}\"" if parent is not None
               else f"; write extends = \"{base}\" as its first line (and keep only what "
               "differs from it)")
        raise UploadError(f"{shown}: extends: uploaded files may only extend a scenario "
                          f"offered here, named as it is (got {got}){fix}; allowed: "
                          + ", ".join(offered))
    work = Path(tempfile.mkdtemp(prefix="check-", dir=keep_in))
    try:
        for p in Path(folder).glob("*.toml"):
            shutil.copy(p, work / p.name)
        target = work / ("uploaded-" + shown if shown in offered else shown)
        target.write_bytes(data)  # as brought: the loader reads it as run.py would
        try:
            scenario = load_scenario(target)
        except ScenarioError as exc:
            raise UploadError("\n".join(str(p).replace(str(work) + "/", "")
                                        for p in exc.problems)) from None
        if scenario.name in set(taken_names):
            raise UploadError(f"{shown}: name: '{scenario.name}' is already the name of a "
                              "scenario here; give the file its own name = \"...\"")
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return Upload(shown, target, scenario, parent)


def upload_label(u: Upload) -> str:
    """How the page offers an uploaded file: its scenario name and the file it came in."""
    return f"{u.scenario.name} (uploaded {u.name})"
