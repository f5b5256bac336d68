"""A comparison run from the compare page, the way ``run.py compare`` runs one.

:func:`run_comparison` runs :func:`sim.report.job.run_job`, the command line's own pipeline,
into a fresh folder (runs, summary, daily values, charts, manifest, report.html) and returns a
:class:`Comparison`: that report.html, shown on the page as it is (its decision card first,
then its ranking, strain, costs, effects chart and charts: the same page the command line
writes, rendered by sim/report/html.py, not a copy), and the files to download (report.html,
summary, daily values, all of it as one zip). Plain Python, no Solara.
"""

from __future__ import annotations

import contextlib
import dataclasses
import html
import io
import re
import shutil
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from sim.app.estimate import choose_workers, learn_post_processing, learn_runs
from sim.report.community import confounded
from sim.scenario.intervention_checks import never_acts
from sim.scenario.schema import Scenario

TEMPORARY_PREFIX = "kindliness-compare-"  # of the folders comparisons are made in
# fits the report's frame to the report's height (the report itself has no script)
MODEL_DOC_LINK = re.compile(r'<a href="[^"]*MODEL\.md">docs/MODEL\.md</a>')
FIT_FRAME = ("<script>(function(){function fit(){var f=window.frameElement;if(f){"
             "f.style.height=(document.documentElement.scrollHeight+4)+'px';}}"
             "window.addEventListener('load',fit);window.addEventListener('resize',fit);"
             "setTimeout(fit,200);setTimeout(fit,1500);})();</script>")


class ComparisonStopped(Exception):
    """The comparison was stopped (:func:`run_comparison`'s ``stop``): its folder is
    removed; ``done`` of ``total`` runs had finished."""

    def __init__(self, done: int, total: int):
        super().__init__(f"stopped after {done} of {total} runs")
        self.done, self.total = done, total


@dataclass
class Comparison:
    """A finished comparison: its folder (the job's outputs) and what the page shows."""

    out_dir: Path
    scenarios: list[Scenario]
    baseline: str  # scenario name
    days: int
    replicates: int
    seed: int
    residents: int | None
    summary: pd.DataFrame  # the job's summary.csv
    timings: dict
    failures: list = field(default_factory=list)
    estimate_s: float | None = None

    @property
    def wall_s(self) -> float:
        return float(self.timings.get("total", 0.0))

    # -- files the job wrote ---------------------------------------------------------------
    @property
    def report(self) -> Path | None:
        path = self.out_dir / "report.html"
        return path if path.is_file() else None

    def file(self, name: str) -> Path | None:
        """One of the job's files by name (daily values may be .csv or .csv.gz)."""
        for candidate in (name, name + ".gz"):
            path = self.out_dir / candidate
            if path.is_file():
                return path
        return None

    def portable_report(self) -> str:
        """report.html as the page shows and hands it out: the link to the model card, a
        path relative to the job's folder on this server, is the card's name in the project
        instead (followed from the page, or from a download, it found nothing)."""
        text = self.report.read_text(encoding="utf-8") if self.report else ""
        return MODEL_DOC_LINK.sub("<code>docs/MODEL.md</code> in the kindliness-sim folder",
                                  text)

    def report_frame_html(self) -> str:
        """report.html inside an iframe that takes the report's own height: the compare
        page shows the very page the job wrote (its decision card, ranking, effects chart and
        charts), its styles kept apart from the visualiser's."""
        text = self.portable_report()
        text = text.replace("</body>", FIT_FRAME + "</body>", 1)
        return (f"<iframe class='compare-report' title='The report' srcdoc=\"{html.escape(text)}\" "
                "style='width:100%;height:80vh;border:1px solid #dcdcdc;border-radius:4px'>"
                "</iframe>")

    def zip_bytes(self) -> bytes:
        """The comparison in one file: report, summary, daily values, charts, manifest and
        the scenario files (the per-run files stay out: they are for resuming)."""
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
            for path in sorted(self.out_dir.rglob("*")):
                rel = path.relative_to(self.out_dir)
                if str(rel) == "report.html":
                    z.writestr("report.html", self.portable_report())
                elif path.is_file() and rel.parts[0] != "runs" and not rel.name.startswith("."):
                    z.write(path, str(rel))
            for sc in self.scenarios:
                if sc.path and Path(sc.path).is_file():
                    z.write(sc.path, f"scenario-files/{Path(sc.path).name}")
        return buf.getvalue()

    def remove(self) -> None:
        """Delete the comparison's folder, and the temporary folder it was made in."""
        shutil.rmtree(self.out_dir, ignore_errors=True)
        _remove_temporary(self.out_dir.parent)


def _remove_temporary(folder: Path) -> None:
    """Remove ``folder`` if :func:`run_comparison` made it (a temporary folder of ours) and it
    is empty."""
    if folder.name.startswith(TEMPORARY_PREFIX) and folder.parent == Path(tempfile.gettempdir()):
        with contextlib.suppress(OSError):
            folder.rmdir()


def prepare_scenarios(scenarios: list[Scenario], *, days: int, replicates: int, seed: int,
                      residents: int | None) -> list[Scenario]:
    """The scenarios with the page's settings applied to all (a paired comparison needs one
    root seed and one length of run); names made unique."""
    out, slugs = [], set()
    for sc in scenarios:
        sc = sc.with_overrides(days=days, replicates=replicates, seed=seed,
                               residents=residents)
        name, k = sc.name, 2
        while dataclasses.replace(sc, name=name).slug in slugs:
            name, k = f"{sc.name} ({k})", k + 1
        sc = dataclasses.replace(sc, name=name)
        slugs.add(sc.slug)
        out.append(sc)
    return out


def never_acting(scenarios: list[Scenario], days: int,
                 days_to_choose: Callable[[int], int] = int) -> list[str]:
    """A line for each programme that starts after a run of ``days`` days ends, so would
    never act, in the words of the command line's refusal (sim/scenario/intervention_checks.py),
    with its start in months when the file gave it so, and the days to choose
    (``days_to_choose(start_day)``: the page's slider moves in tens)."""
    out = []
    for sc in scenarios:
        tables = (sc.definition or {}).get("interventions") or []
        for i, iv in enumerate(sc.interventions):
            if iv.start_day > days:
                table = tables[i] if i < len(tables) and isinstance(tables[i], dict) else {}
                out.append(f"{sc.name}: " + never_acts(
                    iv.label, iv.start_day, table.get("start_month"), f"{days} days",
                    f"choose {days_to_choose(iv.start_day)} days or more"))
    return out


def run_comparison(scenarios: list[Scenario], *, baseline_index: int = 0, days: int,
                   replicates: int, seed: int, residents: int | None = None,
                   out_dir: Path | None = None, workers: int | None = None,
                   on_progress: Callable[[int, int], None] | None = None,
                   on_stage: Callable[[str], None] | None = None,
                   estimate_s: float | None = None,
                   stop: Callable[[], bool] | None = None) -> Comparison:
    """Run ``replicates`` paired replicates of each scenario for ``days`` days with the
    command line's pipeline (:func:`sim.report.job.run_job`) and return what the page shows.
    ``on_progress(done, total)`` as runs finish, ``on_stage(words)`` for the steps after
    them. The job's folder is ``out_dir`` (default: a new temporary folder).

    Once ``stop()`` is true, the comparison ends at the next run that finishes (the runs under
    way finish first, the rest are never started) or the next step after the runs, removes
    its folder and raises :class:`ComparisonStopped`: nothing half done is shown."""
    from sim.report.job import run_job

    if len(scenarios) < 1:
        raise ValueError("choose at least one scenario")
    prepared = prepare_scenarios(scenarios, days=days, replicates=replicates, seed=seed,
                                 residents=residents)
    late = never_acting(prepared, days)
    if late:
        raise ValueError("; ".join(late))
    base = prepared[baseline_index]
    ordered = [base] + [s for i, s in enumerate(prepared) if i != baseline_index]
    different = confounded(ordered)
    if different:  # refused as the command line refuses it (it has a flag to go on anyway)
        raise ValueError(" ".join(
            [f"{name} is not the same community as {base.name}: it differs in "
             f"{'; '.join(keys)}." for name, keys in different.items()]
            + ["A paired comparison needs one community: the differences would mix the "
               "interventions' effects with the differences between places. Choose a "
               "baseline and options that extend it (an area's own files are listed as "
               "areas/<area>/...)."]))
    folder = Path(out_dir) if out_dir else Path(tempfile.mkdtemp(prefix=TEMPORARY_PREFIX))
    job_dir = folder / "comparison"
    size = (len(ordered), replicates, days, residents or base.model.population.n_residents)
    if workers is None:
        workers = choose_workers(*size)

    counted = [0, len(ordered) * replicates]  # runs done, runs in all

    def stop_if_asked():
        if stop is not None and stop():
            raise ComparisonStopped(*counted)

    def progress(p):
        counted[:] = [p.n_done, p.n_total]
        if on_progress is not None:
            on_progress(p.n_done, p.n_total)
        stop_if_asked()

    def stage(words: str):
        stop_if_asked()
        if on_stage is not None:
            on_stage(words)

    try:
        stop_if_asked()
        result = run_job(ordered, job_dir, kind="compare" if len(ordered) > 1 else "run",
                         command=["visualiser", "compare"], workers=workers,
                         on_progress=progress, on_stage=stage,
                         settings={"days": days, "replicates": replicates, "root_seed": seed,
                                   "residents": residents})
    except ComparisonStopped:
        shutil.rmtree(job_dir, ignore_errors=True)
        _remove_temporary(folder)
        raise
    summary = pd.read_csv(result.files["summary"])
    learn_post_processing(len(ordered), result.timings)
    learn_runs(*size, workers, float(result.timings.get("runs", 0.0)))
    return Comparison(out_dir=job_dir, scenarios=ordered, baseline=base.name, days=days,
                      replicates=replicates, seed=seed, residents=residents, summary=summary,
                      timings=dict(result.timings), failures=list(result.failed),
                      estimate_s=estimate_s)
