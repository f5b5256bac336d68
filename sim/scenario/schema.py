"""A validated scenario: run settings, model parameters and a package of interventions.

Scenarios hold plain specifications (frozen dataclasses); each replicate builds fresh
objects from them with :meth:`Scenario.build_model`, so no state leaks between runs.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from sim.ensemble.seeds import DEFAULT_ROOT_SEED, MAX_SEED
from sim.params import ModelParams, param

MAX_SCENARIO_NAME_CHARS = 80  # a scenario's name: report headings, legends, folder names
MAX_SLUG_CHARS = 60  # the folder of a scenario's run files (file systems allow 255 bytes)


@dataclass(frozen=True)
class RunSettings:
    days: int = param(730, unit="days", lo=1, hi=36_500, doc="simulated days per run")
    replicates: int = param(10, unit="runs", lo=1, hi=100_000,
                            doc="seeded replicates per scenario (paired across scenarios)")
    seed: int = param(DEFAULT_ROOT_SEED, unit="integer", lo=0, hi=MAX_SEED,
                      doc="root seed; replicate i of every scenario gets the same seed")


@dataclass(frozen=True)
class Scenario:
    name: str
    description: str = ""
    run: RunSettings = field(default_factory=RunSettings)
    model: ModelParams = field(default_factory=ModelParams)
    interventions: tuple = ()  # frozen intervention dataclasses (sim.interventions)
    path: str | None = None  # the file it was loaded from
    definition: dict = field(default_factory=dict, compare=False)  # merged TOML, for reports
    # the file and the files it extends, in order (for manifests to hash)
    files: tuple[str, ...] = field(default=(), compare=False)
    # sim.scenario.errors.Problem warnings found while loading (they do not stop a run)
    warnings: tuple = field(default=(), compare=False)
    # unit-cost overrides from the file's [costs] table: {resource: {"gbp": ..., "source": ...}}
    # (sim/costs.py)
    costs: dict = field(default_factory=dict)
    # key path -> the file that set it ("run.seed" -> "scenarios/baseline.toml"); a key left
    # at its default is absent (messages say where to change a value)
    origin: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def slug(self) -> str:
        """A file-system-safe name: letters and digits of the name, anything else as "_",
        at most ``MAX_SLUG_CHARS`` characters (the loader refuses two scenarios whose slugs
        are the same)."""
        return self._whole_slug(self.name)[:MAX_SLUG_CHARS].strip("_") or "scenario"

    def slug_advice(self, other_name: str) -> str:
        """What to do when this scenario's runs would share a folder with ``other_name``'s
        (the slugs are equal): names that differ only past the folder name's cut are told
        to differ earlier, others to differ in letters or digits ("Plan A" and "plan-a")."""
        whole = [self._whole_slug(n) for n in (self.name, other_name)]
        if whole[0] != whole[1]:
            return (f"a folder name keeps only the first {MAX_SLUG_CHARS} characters, and "
                    "there the names agree: make them differ sooner")
        return "make the names differ in letters or digits, not only in case or punctuation"

    @staticmethod
    def _whole_slug(name: str) -> str:
        return "".join(c if c.isalnum() else "_" for c in name.lower()).strip("_")

    def with_overrides(self, *, days=None, replicates=None, seed=None, residents=None):
        """A copy with command-line overrides applied."""
        run = dataclasses.replace(
            self.run,
            **{k: v for k, v in (("days", days), ("replicates", replicates), ("seed", seed))
               if v is not None},
        )
        model = self.model
        if residents is not None:
            model = dataclasses.replace(
                model, population=dataclasses.replace(model.population, n_residents=residents))
        return dataclasses.replace(self, run=run, model=model)

    def build_model(self, seed: int, *, face: bool = False, days_hint: int | None = None):
        """A fresh model for one replicate, with fresh intervention objects."""
        from sim.model import KindlinessModel

        fresh = [dataclasses.replace(iv) for iv in self.interventions]
        return KindlinessModel(self.model, seed=seed, interventions=fresh, face=face,
                               days_hint=(days_hint or self.run.days) + 1)
