"""Entry point for ``python run.py calibrate`` (sim/cli.py registers it and prints).

``add_arguments(parser)`` declares the options; ``run(args)`` calibrates, writes the results
folder and returns ``(exit_code, text)``: nothing here prints. The options and the targets
file are checked before any work starts (bad input raises ``sim.usage.UsageProblem``: exit 2,
nothing written); the dated folder is made when the results are ready."""

from __future__ import annotations

import argparse
from pathlib import Path

from sim.ensemble.seeds import DEFAULT_ROOT_SEED
from sim.usage import bounded, seed_number, workers_count

EXIT_DONE = 0  # every output written, whether or not every target was met (see verdict)
DEFAULT_CHECK_SEEDS = 8  # fresh seeds of the check: fewer give intervals too wide to test
# the community sizes the shipped baseline is checked at (docs/CALIBRATION.md, "Check"): the
# default of --check-residents, and what --update-baseline needs among them
CHECK_RESIDENTS = (1000, 10_000)
MAX_EVALUATIONS = 100_000  # screening points, refinement steps, seeds: far beyond any use


def _residents():
    from sim.params import PopulationParams, meta

    lo, hi = meta(PopulationParams, "n_residents")["range"]
    return bounded(int(lo), int(hi), "residents")


def _sizes(text: str) -> tuple[int, ...]:
    """Community sizes, comma-separated, each within the residents' limits."""
    one = _residents()
    parts = [x.strip() for x in text.split(",")]
    if not text.strip() or any(not x for x in parts):
        raise argparse.ArgumentTypeError(
            f"{text!r}: give community sizes separated by commas, for example 1000,10000")
    return tuple(one(x) for x in parts)


EXIT_STATUS = (
    "Exit status: 0 done, every output written, also when a target is missed on fresh "
    "seeds (the last lines say which, and targets.csv marks it within = False); 1 failed "
    "after work started (one line says why; run the command again); 2 bad input, the "
    "targets file included (every problem listed, nothing run or written); 130 "
    "interrupted.")


def _listed(sizes, sep: str = ",") -> str:
    return sep.join(str(n) for n in sizes)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.epilog = EXIT_STATUS
    parser.add_argument("--targets", default=None, metavar="FILE",
                        help="targets file (default: data/calibration_targets.toml)")
    parser.add_argument("--residents", type=_residents(), default=1000, metavar="R",
                        help="community size for calibration runs (default 1000)")
    parser.add_argument("--seeds", type=bounded(1, MAX_EVALUATIONS), default=3, metavar="N",
                        help="common-random-number seeds per evaluation (default 3)")
    parser.add_argument("--screen", type=bounded(1, MAX_EVALUATIONS), default=24, metavar="N",
                        help="Latin-hypercube screening points (default 24)")
    parser.add_argument("--refine", type=bounded(1, MAX_EVALUATIONS), default=120, metavar="N",
                        help="at most N least-squares evaluations (default 120)")
    parser.add_argument("--check-residents", type=_sizes, default=CHECK_RESIDENTS, metavar="R,...",
                        help="community sizes of the check on fresh seeds, comma-separated "
                        f"(default {_listed(CHECK_RESIDENTS)})")
    parser.add_argument("--check-seeds", type=bounded(2, MAX_EVALUATIONS), metavar="N",
                        default=DEFAULT_CHECK_SEEDS,
                        help="fresh seeds for the target-vs-simulated check, at least 2 "
                        f"(default {DEFAULT_CHECK_SEEDS})")
    parser.add_argument("--seed", type=seed_number, default=DEFAULT_ROOT_SEED,
                        metavar="S", help="root seed every evaluation's and check's seeds "
                        "derive from; the same seed gives the same fit (default "
                        f"{DEFAULT_ROOT_SEED})")
    parser.add_argument("--workers", type=workers_count, default=1, metavar="N",
                        help="processes (default 1)")
    parser.add_argument("--out", default="results", metavar="DIR",
                        help="folder under which a new, dated folder is made "
                        "for calibrated.toml (the fitted values as a scenario file), "
                        "targets.csv, targets.png and calibration.json (every evaluation); "
                        "earlier results are never overwritten (default results)")
    parser.add_argument("--update-baseline", action="store_true",
                        help="also set the fitted values in scenarios/baseline.toml, only if "
                        "every target is met on fresh seeds (the file as it was is kept in "
                        "the results folder); needs the shipped targets, at least "
                        f"{DEFAULT_CHECK_SEEDS} check seeds and a check at "
                        f"{_listed(CHECK_RESIDENTS, ' and ')} residents (the default)")


def check_targets(path: str | Path | None):
    """The calibration targets, or ``UsageProblem`` naming every problem with the file (as
    a scenario file's are: the key, what was given, what is allowed)."""
    from sim.calibration.targets import DEFAULT_TARGETS, load_targets
    from sim.scenario.reading import InputRefused
    from sim.usage import UsageProblem

    path = Path(path) if path else DEFAULT_TARGETS
    try:
        return load_targets(path)
    except InputRefused as exc:  # not a file, not TOML, too large, ...
        where = f" {exc.where}:" if exc.where else ""
        raise UsageProblem(f"--targets {path}:{where} {exc}") from None
    except ValueError as exc:  # each line names the file, the key and what is allowed
        raise UsageProblem([f"--targets {line}" for line in str(exc).splitlines()]) from None


def check_update(args: argparse.Namespace) -> None:
    """``--update-baseline`` rewrites the shipped baseline: refused, before any work, with a
    council's own targets (the fit is of the shipped community to them: its values belong in
    the council's file, from calibrated.toml), or a check smaller than the one
    docs/CALIBRATION.md says the shipped baseline passed: fewer seeds than the default (too
    wide an interval to call a target met), or without the sizes of CHECK_RESIDENTS (a user
    check: a check at 300 residents alone rewrote scenarios/baseline.toml). Every reason is
    said at once."""
    from sim.calibration.targets import DEFAULT_TARGETS
    from sim.usage import UsageProblem

    problems = []
    if args.targets and Path(args.targets).resolve() != DEFAULT_TARGETS.resolve():
        problems.append(
            f"--update-baseline with --targets {args.targets}: it would set the shipped "
            "scenarios/baseline.toml from your own targets; run without --update-baseline "
            "and copy the values you want from the results' calibrated.toml into your "
            "own scenario file")
    if args.check_seeds < DEFAULT_CHECK_SEEDS:
        problems.append(
            f"--update-baseline with --check-seeds {args.check_seeds}: the check needs at "
            f"least {DEFAULT_CHECK_SEEDS} fresh seeds before the shipped baseline changes "
            f"(give --check-seeds {DEFAULT_CHECK_SEEDS} or more)")
    missing = [n for n in CHECK_RESIDENTS if n not in args.check_residents]
    if missing:
        problems.append(
            f"--update-baseline with --check-residents {_listed(args.check_residents)}: the "
            "shipped baseline is checked at "
            f"{' and '.join(f'{n:,}' for n in CHECK_RESIDENTS)} residents before it changes "
            f"(docs/CALIBRATION.md), and this check leaves out "
            f"{' and '.join(f'{n:,}' for n in missing)}; give --check-residents "
            f"{_listed(CHECK_RESIDENTS)} (other sizes may be added), or leave it out")
    if problems:
        raise UsageProblem(problems)


def run(args: argparse.Namespace) -> tuple[int, str]:
    from sim.calibration.fit import calibrate
    from sim.calibration.output import summary_text, write_results
    from sim.usage import check_out_root, check_workers, make_output_dir

    check_workers(args.workers)
    targets = check_targets(args.targets)
    check_out_root(args.out)
    if args.update_baseline:
        check_update(args)
    result = calibrate(targets=targets, residents=args.residents, n_seeds=args.seeds,
                       n_screen=args.screen, max_refine=args.refine,
                       n_check_seeds=args.check_seeds, root_seed=args.seed,
                       check_residents=tuple(args.check_residents),
                       workers=args.workers)
    out_dir = make_output_dir(args.out, "calibrate")
    paths = write_results(result, out_dir, update_baseline=args.update_baseline,
                          targets=args.targets)
    text = summary_text(result) + "\n\n" + "\n".join(
        f"wrote {p}" + (" (the baseline as it was)" if key == "before" else "")
        for key, p in paths.items())
    text += "\n" + verdict(result)
    if args.update_baseline and "baseline" not in paths:
        text += ("\nscenarios/baseline.toml NOT updated, as a target was missed; the fitted "
                 f"values are in {paths['scenario']}")
    if args.check_seeds < DEFAULT_CHECK_SEEDS:  # as validate-places says of its seeds
        text = (f"WARNING: only {args.check_seeds} check seeds (the default is "
                f"{DEFAULT_CHECK_SEEDS}): the intervals are too wide to test much; run with "
                f"--check-seeds {DEFAULT_CHECK_SEEDS} or more before reading 'within' as a "
                "pass.\n\n" + text)
    # a missed target is a finding, not a failure: every output is written (and nothing is
    # left to --resume), as validate-places exits 0 whatever its places show
    return EXIT_DONE, text


def verdict(result) -> str:
    """One line: every fitted target met on fresh seeds at every check size, or which were
    missed and at which sizes."""
    sizes = sorted(result.checks_by_size)
    missed: dict[str, list[int]] = {}
    for size in sizes:
        for c in result.checks_by_size[size]:
            if c.target.fit and not c.within:
                missed.setdefault(c.target.name, []).append(size)
    fitted = {c.target.name for checks in result.checks_by_size.values() for c in checks
              if c.target.fit}
    at = " and ".join(f"{n:,}" for n in sizes)
    if not missed:
        return (f"every fitted target is within its tolerance on fresh seeds at {at} "
                "residents")
    where = "; ".join(f"{name} at {' and '.join(f'{n:,}' for n in ns)} residents"
                      for name, ns in missed.items())
    return (f"MISSED on fresh seeds: {len(missed)} of {len(fitted)} fitted targets ({where}): "
            "the fitted baseline does not reproduce those survey figures within their "
            "tolerance (the rows marked NO above); every output is written")


def main(argv: list[str] | None = None) -> tuple[int, str]:
    """Parse ``argv`` and run (for callers without their own parser)."""
    from sim.usage import OneLineParser

    parser = OneLineParser(prog="calibrate")
    add_arguments(parser)
    return run(parser.parse_args(argv))
