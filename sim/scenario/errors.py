"""Problems found in scenario files, and the one error that carries all of them.

Validation gathers every problem in every file it is given, then raises once, so that a user
fixes a file in one pass. Each problem names the file, the key path inside it (dotted, with
list positions: ``interventions[1].start_day``) and what is wrong and what is allowed:

    scenarios/x.toml: interventions[1].strat_day: unknown key; did you mean 'start_day'?
"""

from __future__ import annotations

from dataclasses import dataclass

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
