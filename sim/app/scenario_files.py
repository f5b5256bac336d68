"""The scenario files both pages offer, loaded for them, and the seed as a user types it.

The folder is ``KINDLINESS_SCENARIOS_DIR`` or ``scenarios/`` in the project; each file is
offered under its scenario name and file name (read within the loader's limits), baseline
first, and the built-in defaults stand in when there are none. The areas ``run.py new-area``
writes (``areas/<area>/*.toml`` in that folder) follow, each file named with its area's
folder ("Riverside ward as it is (areas/riverside_ward/baseline.toml)"): a user check found
them missing from both pages. Each file is loaded from where it is, so an area option's
``extends = "baseline.toml"`` is its area's baseline, not the shipped one. A file that does
not load comes back as rows for a plain problem panel (file, key, problem; no server paths).
"""

from __future__ import annotations

import hashlib
import os
import threading
from pathlib import Path

from sim.app.problems import PageProblem, page_problems, scenario_label
from sim.ensemble.seeds import MAX_SEED, PLAIN_DIGITS, read_seed
from sim.scenario.schema import Scenario

ROOT = Path(__file__).resolve().parents[2]
BUILT_IN = "Built-in defaults (no file)"
AREAS = "areas"  # where run.py new-area writes an area's folder (sim/area.py)


def scenarios_dir() -> Path:
    """The folder of scenario files the pickers offer (``KINDLINESS_SCENARIOS_DIR`` or
    ``scenarios/`` in the project)."""
    return Path(os.environ.get("KINDLINESS_SCENARIOS_DIR") or ROOT / "scenarios")


def _baseline_first(files) -> list[Path]:
    return sorted(files, key=lambda p: (p.stem != "baseline", p.stem))


def area_files(folder: Path | None = None) -> list[Path]:
    """The areas' scenario files (``folder/areas/<area>/*.toml``), area by area, each area's
    baseline first."""
    folder = Path(folder) if folder is not None else scenarios_dir()
    areas = folder / AREAS
    if not areas.is_dir():
        return []
    return [p for area in sorted(d for d in areas.iterdir() if d.is_dir())
            for p in _baseline_first(area.glob("*.toml"))]


def list_scenarios(folder: Path | None = None) -> dict[str, Path | None]:
    """``{label: path}`` of the scenario files in ``folder`` (baseline first), then those of
    its areas (:func:`area_files`), or the built-in defaults when there are none. A label is
    the file's scenario name, if it can be read within the loader's limits (no FIFO, no
    /dev/zero), and the file name; an area's file is named with its area's folder
    (``areas/riverside_ward/baseline.toml``), so that the area shows and the label is not
    that of a file of the same name elsewhere."""
    folder = Path(folder) if folder is not None else scenarios_dir()
    files = _baseline_first(folder.glob("*.toml")) if folder.is_dir() else []
    found: dict[str, Path | None] = {scenario_label(p): p for p in files}
    for p in area_files(folder):
        found[scenario_label(p, p.relative_to(folder).as_posix())] = p
    return found or {BUILT_IN: None}


def in_an_area(path: Path | None, folder: Path | None = None) -> bool:
    """Whether ``path`` is one of an area's files (:func:`area_files`)."""
    folder = Path(folder) if folder is not None else scenarios_dir()
    if path is None:
        return False
    try:
        rel = Path(path).resolve().relative_to((folder / AREAS).resolve())
    except ValueError:
        return False
    return len(rel.parts) == 2


def save_folder(path: Path | None, folder: Path | None = None) -> Path:
    """Where the live page saves a setup started from ``path``: beside it when it is an
    area's file (an option for the area belongs with the area's other files, and extends
    the file by its plain name), otherwise the scenarios folder."""
    folder = Path(folder) if folder is not None else scenarios_dir()
    return Path(path).parent if in_an_area(path, folder) else folder


def load_scenario_file(path: Path | None) -> Scenario:
    """The validated scenario in ``path`` (``ScenarioError`` lists every problem), or the
    built-in defaults for ``None``."""
    if path is None:
        return Scenario(name="Built-in defaults")
    from sim.scenario.loader import load_scenario

    return load_scenario(path)


def content_hash(files) -> str:
    """A hash of the bytes of ``files`` (a scenario's file and the files it extends, as
    :attr:`Scenario.files` lists them), in order; a file that cannot be read counts as
    changed (its name and the reason go into the hash)."""
    from sim.scenario.reading import InputRefused, read_bytes

    h = hashlib.sha256()
    for name in files:
        try:
            data = read_bytes(name)
        except InputRefused as exc:
            data = f"unreadable: {exc}".encode()
        h.update(f"{name}\0{len(data)}\0".encode())
        h.update(data)
    return h.hexdigest()


class LoadedScenarios:
    """The scenario files a page has loaded, parsed once: a file is parsed again only when it,
    or a file it extends, is no longer byte for byte what was parsed (kept by path, checked
    by content; a user check found the compare page parsing every file chosen on each change
    of the choices or the days). A file that does not load is not kept: it is read again,
    and says why again. Safe from several threads (the page's and its comparison's)."""

    def __init__(self):
        self._lock = threading.Lock()
        self._kept: dict[Path, tuple[str, Scenario]] = {}  # path -> (content hash, scenario)
        self.parsed = 0  # files parsed and loaded (for tests of the memo)

    def load(self, path: Path | None) -> Scenario:
        """The validated scenario in ``path`` (see :func:`load_scenario_file`)."""
        return self.load_with_hash(path)[0]

    def load_with_hash(self, path: Path | None) -> tuple[Scenario, str]:
        """The scenario in ``path`` and :func:`content_hash` of its files now."""
        if path is None:
            return load_scenario_file(None), ""
        key = Path(path)
        with self._lock:
            kept = self._kept.get(key)
        if kept is not None:
            now = content_hash(kept[1].files)
            if now == kept[0]:
                return kept[1], now
        before = content_hash([str(key)])
        scenario = load_scenario_file(key)
        self.parsed += 1
        files = scenario.files or (str(key),)
        now = content_hash(files)
        # kept only if the file did not change while it was parsed (else: parsed next time)
        if content_hash(files[:1]) == before:
            with self._lock:
                self._kept[key] = (now, scenario)
        return scenario, now


def load_or_problems(path: Path | None) -> tuple[Scenario | None, list[PageProblem]]:
    """The scenario in ``path``, or why it cannot be used, as rows for a plain problem panel
    (file, key, problem; no server paths on the page)."""
    try:
        return load_scenario_file(path), []
    except Exception as exc:  # ScenarioError lists every problem; anything else in one line
        return None, page_problems(exc, scenarios_dir())


def coerce_seed(text) -> int:
    """A seed from what the user typed, by the command line's rule
    (:func:`sim.ensemble.seeds.read_seed`: '42' and ' 42 ' -> 42; '42.0', '1e3', '1,000'
    and a full-width '７' are refused: the pages and the commands take the same seeds); a
    ``ValueError`` that says what is allowed in a page's words (a user check read "full-width
    digits", "exponent" and "2^63-1", the command line's terms, under the seed field)."""
    try:
        return read_seed(text)
    except ValueError:
        typed = str(text).strip()
        if typed.startswith("-") and PLAIN_DIGITS.fullmatch(typed[1:]):
            raise ValueError(f"seed {typed} is below 0: a seed is 0 or more, e.g. 42") from None
        if PLAIN_DIGITS.fullmatch(typed):
            raise ValueError(f"seed {typed} is too large: at most {MAX_SEED:,} (19 digits)"
                             ) from None
        raise ValueError(f"seed {str(text)!r} is not a whole number: type the digits 0 to 9 "
                         "only, with no other signs, e.g. 42") from None
