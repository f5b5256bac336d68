"""Problems found in scenario files, and the one error that carries all of them.

Validation gathers every problem in every file it is given, then raises once, so that a user
fixes a file in one pass. Each problem names the file, the key path inside it (dotted, with
list positions: ``interventions[1].start_day``) and what is wrong and what is allowed:

    scenarios/x.toml: interventions[1].strat_day: unknown key; did you mean 'start_day'?
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    """One thing wrong (or doubtful) in a scenario file.

    ``file`` is where the offending value is written; when that is a file pulled in with
    ``extends``, ``via`` names the file that was being loaded. ``key`` is the dotted key path
    ("" for the file as a whole; "line 3, column 7" for TOML syntax errors). Warnings do not
    stop a run; errors do.
    """

    file: str
    key: str
    message: str
    severity: str = ERROR
    via: str | None = None

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def __str__(self) -> str:
        parts = [self.file]
        if self.key:
            parts.append(self.key)
        text = ": ".join(parts) + ": "
        if self.severity == WARNING:
            text += "warning: "
        text += self.message
        if self.via:
            text += f" (while loading {self.via}, which extends {self.file})"
        return text


def _names(files: list[str]) -> str:
    return (", ".join(files[:-1]) + " and " + files[-1]) if len(files) > 1 else files[0]


def said_once(problems) -> list[str]:
    """The problems as lines, each distinct one once: a file that several of those given
    extend is checked with each of them, and files that leave the same thing to its default
    (the default hubs) meet the same problem, so each was found, and printed, once per file
    (a user check: at --residents 10 each baseline hub's warning was printed three times in
    a comparison of the baseline and two files extending it). One line names every file
    that met it: "(and in a.toml and b.toml, which extend it)" when the file itself was
    given too, "(while loading a.toml and b.toml, which extend base.toml)" when it was not,
    and "(also in b.toml)" for the same problem in files of their own."""
    groups: dict[tuple, list[Problem]] = {}
    for p in problems:
        groups.setdefault((p.key, p.message, p.severity), []).append(p)
    out = []
    for found in groups.values():
        here = os.path.realpath(found[0].file)
        same = [p for p in found if os.path.realpath(p.file) == here]
        first = next((p for p in same if p.via is None), same[0])
        vias = list(dict.fromkeys(p.via for p in same if p.via))
        own = any(p.via is None for p in same)
        if not vias or (not own and len(vias) == 1):
            line = str(first)
        else:
            plain = replace(first, via=None)
            which = "extends" if len(vias) == 1 else "extend"
            line = (f"{plain} (and in {_names(vias)}, which {which} it)" if own else
                    f"{plain} (while loading {_names(vias)}, which {which} {plain.file})")
        seen = {here, *(os.path.realpath(v) for v in vias)}
        others = []
        for p in found:
            loaded = p.via or p.file
            if os.path.realpath(loaded) not in seen:
                seen.add(os.path.realpath(loaded))
                others.append(loaded)
        out.append(f"{line} (also in {_names(others)})" if others else line)
    return out


class ScenarioError(Exception):
    """Raised once with every problem found; ``problems`` lists them (errors and warnings)."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__(str(self))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)
