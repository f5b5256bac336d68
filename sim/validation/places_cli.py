"""Entry point for ``python run.py validate-places [PLACE.toml ...]`` (sim/cli.py registers
it and prints).

``add_arguments(parser)`` declares the options; ``run(args)`` checks every input, runs the
baseline and each place on the same fresh seeds, writes the dated results folder and returns
``(exit_code, text)``; nothing here prints. Bad input (options, files, a place that changes
more than a council's description may) raises ``sim.usage.UsageProblem`` before anything runs:
exit 2, nothing written. The dated folder is made only when the results are ready.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from sim.usage import bounded, seed_number, workers_count

MAX_SEEDS = 10_000


def _residents():
    from sim.params import PopulationParams, meta

    lo, hi = meta(PopulationParams, "n_residents")["range"]
    return bounded(int(lo), int(hi), "residents")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from sim.ensemble.seeds import DEFAULT_ROOT_SEED
    from sim.validation.places import DEFAULT_SEEDS

    parser.add_argument("places", nargs="*", metavar="PLACE",
                        help="place scenario files (default: every .toml in scenarios/places/)")
    parser.add_argument("--baseline", default=None, metavar="FILE",
                        help="the calibrated baseline every place is compared with (default: "
                        "scenarios/baseline.toml)")
    parser.add_argument("--observed", default=None, metavar="FILE",
                        help="observed figures to compare the predictions with, never fitted "
                        "(default: data/places_observed.toml; 'none': predictions only)")
    parser.add_argument("--seeds", type=bounded(2, MAX_SEEDS), default=DEFAULT_SEEDS,
                        metavar="N", help="fresh seeds per place, the same for every place "
                        f"(paired; at least 2, default {DEFAULT_SEEDS})")
    parser.add_argument("--residents", type=_residents(), default=None, metavar="R",
                        help="residents in every place (default: each file's own)")
    parser.add_argument("--seed", type=seed_number, default=DEFAULT_ROOT_SEED,
                        metavar="S", help="root seed the places' seeds derive from "
                        f"(default {DEFAULT_ROOT_SEED})")
    parser.add_argument("--workers", type=workers_count, default=1, metavar="N",
                        help="processes (default 1)")
    parser.add_argument("--out", default="results", metavar="DIR",
                        help="folder under which a new, dated folder is made (default "
                        "results)")


def place_files(given: list[str]) -> list[str]:
    """The place files: those given, or every .toml in scenarios/places/."""
    from sim.usage import UsageProblem
    from sim.validation.places import PLACES_DIR

    if given:
        return list(given)
    found = sorted(str(p) for p in PLACES_DIR.glob("*.toml"))
    if not found:
        raise UsageProblem(f"{PLACES_DIR}: no place files (*.toml) found; name them on the "
                           "command line")
    return found


def check_observed(path: str | None):
    """The observed figures (``None`` for 'none'), or ``UsageProblem`` saying what is wrong
    with the file."""
    from sim.scenario.reading import InputRefused
    from sim.usage import UsageProblem
    from sim.validation.places_observed import OBSERVED_FILE, load_observed

    if path is not None and path.strip().lower() == "none":
        return None
    path = Path(path) if path else OBSERVED_FILE
    try:
        return load_observed(path)
    except InputRefused as exc:
        where = f" {exc.where}:" if exc.where else ""
        raise UsageProblem(f"--observed {path}:{where} {exc}") from None
    except ValueError as exc:
        raise UsageProblem([f"--observed {line}" for line in str(exc).splitlines()]) from None


def check_inputs(args: argparse.Namespace):
    """``(baseline, places, observed, warnings)``, or ``UsageProblem`` for anything wrong."""
    from sim.scenario.loader import Override
    from sim.usage import UsageProblem, check_out_root, check_workers, load_checked
    from sim.validation.places import BASELINE_FILE, check_place

    check_workers(args.workers)
    observed = check_observed(args.observed)
    files = place_files(args.places)
    baseline_file = args.baseline or str(BASELINE_FILE)
    keys: dict[str, str] = {}
    problems = []
    for f in files:
        key = Path(f).stem
        if key in keys and os.path.realpath(keys[key]) != os.path.realpath(f):
            problems.append(f"{f}: two place files are called '{key}' ({keys[key]} and {f}); "
                            "rename one (a place is named by its file)")
        keys[key] = f
        if os.path.realpath(f) == os.path.realpath(baseline_file):
            problems.append(f"{f}: is the baseline itself; give place files")
    if problems:
        raise UsageProblem(problems)
    overrides = ([Override("population.n_residents", args.residents, "--residents")]
                 if args.residents is not None else [])
    unique = list(dict.fromkeys(os.path.realpath(f) for f in files))
    by_real = {os.path.realpath(f): f for f in files}
    scenarios, warnings = load_checked([baseline_file, *(by_real[r] for r in unique)], overrides)
    baseline, places = scenarios[0], scenarios[1:]
    for place in places:
        problems += [f"{place.path}: {p}" for p in
                     check_place(baseline.model, place.model, place.interventions)]
    if baseline.interventions:
        problems.append(f"{baseline_file}: the baseline has interventions; give the calibrated "
                        "baseline (a community as it is)")
    if problems:
        problems.append("a place may change only what a council knows: section shares, "
                        "moves_per_year, outside_contact_mean, hubs, network.ties_per_resident "
                        "and the number of residents (scenarios/places/README.md)")
        raise UsageProblem(problems)
    check_out_root(args.out)
    return baseline, places, observed, warnings


def run(args: argparse.Namespace) -> tuple[int, str]:
    from sim.ensemble.executors import local_executor
    from sim.usage import make_output_dir
    from sim.validation.places import place_seeds, predict_places
    from sim.validation.places_observed import compare
    from sim.validation.places_output import write_outputs

    baseline, places, observed, warnings = check_inputs(args)
    seeds = place_seeds(args.seed, args.seeds)
    executor = local_executor(args.workers)
    try:
        pred = predict_places(baseline, places, seeds=seeds, root_seed=args.seed,
                              executor=executor if args.workers > 1 else None)
    finally:
        executor.shutdown()
    rows = compare(pred, observed) if observed is not None else None
    out_dir = make_output_dir(args.out, "validate-places")
    paths, text = write_outputs(pred, out_dir, rows)
    return 0, "\n".join([*warnings, text, "", *(f"wrote {p}" for p in paths.values())])


def main(argv: list[str] | None = None) -> tuple[int, str]:
    """Parse ``argv`` and run (for callers without their own parser)."""
    from sim.usage import OneLineParser

    parser = OneLineParser(prog="validate-places")
    add_arguments(parser)
    return run(parser.parse_args(argv))
