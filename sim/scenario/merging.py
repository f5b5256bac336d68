"""Reading a scenario file and the files it ``extends``, merged into one definition.

A file may extend another (a path relative to itself): tables merge key by key, the child
winning; lists are replaced whole; ``name`` and ``description`` are never inherited. The
merged definition remembers which file set each key, so that a problem is reported against
the file that wrote it. Cycles, over-long chains and missing parents are problems, reported
with the file and a hint (the shipped scenarios' folder for a parent that is not found).
"""

from __future__ import annotations

import copy
import dataclasses
import difflib
import os
from pathlib import Path

from sim.scenario.errors import Problem
from sim.scenario.reading import SCENARIO_FORM, InputRefused, read_bytes, read_toml
from sim.scenario.words import describe, has_control, join

MAX_EXTENDS_DEPTH = 16  # files in one extends chain (the shipped scenarios use 2)
EMPTY_FILE = ('file has no settings (it is empty, or only comments and blank lines); a scenario '
              'needs at least name = "..." (see docs/SCENARIOS.md)')
NOT_INHERITED = ("name", "description", "extends")
SHIPPED_SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"


@dataclasses.dataclass
class Merged:
    """One file's definition with everything it extends merged in."""

    data: dict
    origin: dict[str, str]  # key path -> the file that set it
    files: list[str]  # the file, then the files it extends, in order


def read_chain(path: Path, shown: str, chain: list[tuple[str, str]],
               problems: list[Problem]) -> Merged | None:
    """``path`` (shown in messages as ``shown``) merged over what it extends; None, with the
    problems recorded, when any file of the chain cannot be read. ``chain`` holds the
    (real path, shown name) of the files that extend this one."""
    data = _read_toml(path, shown, problems, via=chain[0][1] if chain else None)
    if data is None:
        return None
    own = {k: v for k, v in data.items() if k != "extends"}
    base = Merged({}, {}, [])
    if "extends" in data:
        base = _read_parent(path, shown, data["extends"], chain, problems)
        if base is None:
            return None
        for key in NOT_INHERITED:  # nor where the parent wrote them: a missing name is
            base.data.pop(key, None)  # this file's problem, not the parent's
            for path in [k for k in base.origin
                         if k == key or k.startswith((key + ".", key + "["))]:
                del base.origin[path]
    origin = dict(base.origin)
    merged = merge(base.data, own, shown, "", origin)
    return Merged(merged, origin, [shown] + base.files)


def own_keys(path: Path, shown: str) -> Merged | None:
    """``path``'s own keys, ``extends`` left out, as if it extended nothing (None when it
    cannot be read): what can still be checked of a file whose ``extends`` cannot be."""
    data = _read_toml(path, shown, [])
    if data is None:
        return None
    origin: dict[str, str] = {}
    own = {k: v for k, v in data.items() if k != "extends"}
    return Merged(merge({}, own, shown, "", origin), origin, [shown])


def _read_toml(path: Path, shown: str, problems: list[Problem],
               via: str | None = None) -> dict | None:
    try:
        data = read_toml(path, form=SCENARIO_FORM)
    except InputRefused as exc:
        problems.append(Problem(shown, exc.where, str(exc), via=via))
        return None
    if not data:
        problems.append(Problem(shown, "", EMPTY_FILE, via=via))
        return None
    return data


def _read_parent(path: Path, shown: str, parent, chain: list[tuple[str, str]],
                 problems: list[Problem]) -> Merged | None:
    """The file named by ``extends = parent`` in ``path``, read and merged in its turn."""
    if not isinstance(parent, str) or not parent.strip() or has_control(parent):
        problems.append(Problem(shown, "extends", "expected a file name in quotes, relative "
                                f"to this file, got {describe(parent)}"))
        return None
    parent_path = path.parent / parent
    parent_shown = os.path.normpath(os.path.join(os.path.dirname(shown), parent))
    # realpath, not Path.resolve: it does not raise on a symbolic-link loop (the reader
    # reports that below, with the file named)
    here = [(os.path.realpath(path), shown)]
    ancestors = [p for p, _ in chain + here]
    if os.path.realpath(parent_path) in ancestors:
        problems.append(_cycle(chain + here, ancestors.index(os.path.realpath(parent_path)),
                               parent_shown))
        return None
    if len(chain) + 1 >= MAX_EXTENDS_DEPTH:
        first = chain[0][1] if chain else shown
        problems.append(Problem(shown, "extends", f"too many files extend one another "
                                f"({first} -> ... -> {parent_shown} is more than "
                                f"{MAX_EXTENDS_DEPTH} files); at most {MAX_EXTENDS_DEPTH} "
                                "are allowed: extend a file nearer the baseline"))
        return None
    try:
        read_bytes(parent_path)
    except InputRefused as exc:
        reason = str(exc)
        if reason == "file not found":
            reason += ": " + parent_shown + _file_meant(parent_path)
            reason += _shipped_hint(path.parent)
        else:
            reason = f"{parent_shown} {reason}"
        problems.append(Problem(shown, "extends", reason))
        return None
    return read_chain(parent_path, parent_shown, chain + here, problems)


def _cycle(files: list[tuple[str, str]], cut: int, again: str) -> Problem:
    """An extends cycle, said against the file the user gave (the first of ``files``, the
    chain read so far) and showing the whole chain from it; where that file only leads into
    the loop, the loop too. (A user check: ``validate y.toml``, y and z extending each
    other, reported the loop under z.toml, where it closed.)"""
    given = files[0][1]
    path = " -> ".join([s for _, s in files] + [again])
    loop = " -> ".join([s for _, s in files[cut:]] + [again])
    inside = "" if cut == 0 else f" (the loop is {loop})"
    fix = (f"{files[cut][1]} extends itself: change its extends" if len(files) - cut == 1
           else "change the extends of one file in the loop")
    return Problem(given, "extends", f"extends cycle: {path}{inside}; {fix}")


# how alike a missing file's name and a file beside it must be to be suggested (difflib's
# ratio, names without ".toml"): a typo of a letter or two scores 0.8 and more; at 0.6
# "nope" was taken for "infpop"
FILE_MEANT_CUTOFF = 0.75


def _file_meant(path: Path) -> str:
    """A did-you-mean for a scenario file not found: the file beside it whose name is
    closest, compared without ".toml" (which every name shares: "nothere.toml" was taken
    for "huge.toml")."""
    names = {p.stem: p.name for p in _toml_files(path.parent)}
    close = difflib.get_close_matches(path.stem, list(names), n=1, cutoff=FILE_MEANT_CUTOFF)
    return f"; did you mean '{names[close[0]]}'?" if close else ""


def _toml_files(folder: Path) -> list[Path]:
    try:
        return sorted(folder.glob("*.toml"))
    except OSError:
        return []


def shipped_extends(folder: Path, name: str = "baseline.toml") -> str:
    """How a file written in ``folder`` names the shipped scenario ``name`` in its
    ``extends``, by the one rule of every file the project writes (new-area's area baseline,
    calibrate's calibrated.toml) and of the hint below: relative inside the project folder
    (the two move together: a clone or a moved copy of the project still works), absolute
    outside it (that folder can then move on its own). The loader reads ``extends`` only
    relative to the file, so a file outside the project breaks when the project moves; the
    loader's "file not found" then says what to write."""
    shipped = Path(os.path.realpath(SHIPPED_SCENARIOS / name))  # realpath: no raise on a
    here = Path(os.path.realpath(folder))  # symbolic-link loop
    if here.is_relative_to(Path(os.path.realpath(SHIPPED_SCENARIOS)).parent):
        return Path(os.path.relpath(shipped, here)).as_posix()
    return shipped.as_posix()


def _shipped_hint(folder: Path) -> str:
    """Where the shipped scenarios are, for an ``extends`` that was not found (the path is
    relative to the file that says it)."""
    return (f" (the path is relative to the file that says it; the shipped scenarios are in "
            f"{SHIPPED_SCENARIOS}, so from here the shipped baseline is extends = "
            f"\"{shipped_extends(folder)}\")")


def merge(base: dict, over: dict, file: str, prefix: str, origin: dict[str, str]) -> dict:
    """Tables merge key by key (``over`` wins); anything else, lists included, is replaced.
    ``origin`` (key path -> file) is updated to say ``file`` set what it replaced."""
    out = copy.deepcopy(base)
    for key, value in over.items():
        path = join(prefix, key)
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge(out[key], value, file, path, origin)
        else:
            out[key] = copy.deepcopy(value)
            for old in [k for k in origin if k.startswith((path + ".", path + "["))]:
                del origin[old]
        origin[path] = file
    return out
