"""What the visualiser shows when a scenario file cannot be used: a plain panel of the file, the
key and the problem, never a traceback or a path on the server (the person at the browser may
not be the person who runs it).

- :func:`page_problems` turns whatever loading raised into :class:`PageProblem` rows: a
  scenario file's own problems (``ScenarioError``) keep their file, key and message, with
  the file named relative to the scenarios folder; anything else becomes one plain sentence.
- :func:`first_usable` picks the first scenario of the picker that loads, so a broken
  ``baseline.toml`` shows the panel beside a working page instead of replacing it.
- :func:`ProblemPanel` draws the rows; :func:`problems_text` is the same as one line of text.
- :func:`scenario_label` reads a file's ``name`` for the picker within the loader's limits (a
  named pipe or /dev/zero behind a ``.toml`` name cannot hang or fill the server).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path

import solara

# an absolute path of two or more parts: keep only its last part
_ABSOLUTE_PATH = re.compile(r"(?<![\w.])(?:/[^\s/:'\"()<>]+)+/([^\s/:'\"()<>]+)")
MAX_LABEL_CHARS = 80


@dataclass(frozen=True)
class PageProblem:
    """One problem as the page shows it: ``file`` as the user knows it ("" when the problem
    is not in a file), the key path in it, and the problem in plain words."""

    file: str
    key: str
    problem: str


def scrub(text: str, folder: Path | None = None) -> str:
    """``text`` with paths on the server shortened: files in ``folder`` by their name there,
    any other absolute path to its last part."""
    if folder is not None:
        text = text.replace(str(Path(folder)).rstrip("/") + "/", "")
    return _ABSOLUTE_PATH.sub(r"\1", text)


def page_problems(exc: BaseException, folder: Path | None = None) -> list[PageProblem]:
    """Rows for the panel from what loading (or building) a scenario raised."""
    from sim.scenario.errors import ScenarioError

    if isinstance(exc, ScenarioError):
        rows = []
        for p in exc.problems:
            problem = p.message if p.is_error else f"warning: {p.message}"
            if p.via:
                problem += f" (while loading {scrub(p.via, folder)})"
            rows.append(PageProblem(scrub(p.file, folder), p.key, scrub(problem, folder)))
        return rows
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return [PageProblem("", "", scrub(text, folder) or
                        f"it could not be used ({type(exc).__name__})")]


def problems_text(exc: BaseException, folder: Path | None = None) -> str:
    """The rows of :func:`page_problems` as one line of text."""
    return "; ".join(": ".join(x for x in (p.file, p.key, p.problem) if x)
                     for p in page_problems(exc, folder))


def first_usable(choices: dict, load, folder: Path | None = None):
    """``(label, scenario, problems)``: the first choice ``load(path)`` accepts, with the
    problems of those before it that it did not; the built-in defaults (``load(None)``)
    when none loads."""
    problems: list[PageProblem] = []
    for label, path in choices.items():
        try:
            return label, load(path), problems
        except Exception as exc:  # noqa: BLE001 - shown in the panel; the page goes on
            problems += [p for p in page_problems(exc, folder) if p not in problems]
    return None, load(None), problems


def scenario_label(path: Path, shown: str | None = None) -> str:
    """A file's label for the picker: its scenario name (if it has a plain one) and its file
    name (``shown``: the file as the picker names it, e.g. ``areas/riverside_ward/
    baseline.toml``, so that an area's files say which area they are); read within the same
    limits as the loader."""
    from sim.scenario.reading import InputRefused, read_toml

    try:
        name = read_toml(path).get("name")
    except (InputRefused, OSError, ValueError):
        name = None
    ok = isinstance(name, str) and name.strip() and name.isprintable()
    shown = shown or path.name
    return f"{name.strip()[:MAX_LABEL_CHARS]} ({shown})" if ok else shown


def _rows_html(problems: list[PageProblem]) -> str:
    cell = "padding:2px 10px 2px 0;vertical-align:top"
    head = "".join(f"<th style='{cell};text-align:left'>{h}</th>"
                   for h in ("File", "Key", "Problem"))
    body = "".join(
        "<tr>" + "".join(f"<td style='{cell}'>{html.escape(v)}</td>"
                         for v in (p.file or "-", p.key or "-", p.problem)) + "</tr>"
        for p in problems)
    return f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody>"


@solara.component
def ProblemPanel(problems: list[PageProblem], title: str = "", classes=()):
    """A plain error panel: ``title`` and a table of file, key and problem.

    Args:
        problems: the rows (see :func:`page_problems`).
        title: one sentence above the table (what could not be done).
        classes: CSS classes of the panel (for tests and styling).
    """
    classes = ["scenario-problems", *classes]
    if not any(p.file or p.key for p in problems):  # not about a file: a plain sentence
        solara.Error("; ".join(p.problem for p in problems), classes=classes)
        return
    with solara.Error(title or "This scenario cannot be used; fix the file, then pick it "
                      "again:", classes=classes):
        solara.HTML(tag="table", unsafe_innerHTML=_rows_html(problems),
                    style={"font-size": "12px", "border-collapse": "collapse"})
