"""Entry point for ``python run.py calibrate`` (sim/cli.py registers it and prints).

``add_arguments(parser)`` declares the options; ``run(args)`` calibrates, writes the results
folder and returns ``(exit_code, text)``: nothing here prints."""

from __future__ import annotations

import argparse
from pathlib import Path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--targets", default=None,
                        help="targets file (default: data/calibration_targets.toml)")
    parser.add_argument("--residents", type=int, default=1000,
                        help="community size for calibration runs (default 1000)")
    parser.add_argument("--seeds", type=int, default=3,
                        help="common-random-number seeds per evaluation (default 3)")
    parser.add_argument("--screen", type=int, default=24,
                        help="Latin-hypercube screening points (default 24)")
    parser.add_argument("--refine", type=int, default=120,
                        help="most least-squares evaluations (default 120)")
    parser.add_argument("--check-residents", default="1000,10000",
                        help="community sizes of the check on fresh seeds, comma-separated "
                        "(default 1000,10000)")
    parser.add_argument("--check-seeds", type=int, default=8,
                        help="fresh seeds for the target-vs-simulated check (default 8)")
    parser.add_argument("--seed", type=int, default=20261124, help="root seed")
    parser.add_argument("--workers", type=int, default=1, help="processes (default 1)")
    parser.add_argument("--out", default="results", help="results root folder")
    parser.add_argument("--update-baseline", action="store_true",
                        help="also set the fitted values in scenarios/baseline.toml")


def run(args: argparse.Namespace) -> tuple[int, str]:
    from sim.calibration.fit import calibrate
    from sim.calibration.output import summary_text, write_results
    from sim.calibration.targets import DEFAULT_TARGETS, load_targets
    from sim.report.outputs import new_output_dir

    targets = load_targets(Path(args.targets) if args.targets else DEFAULT_TARGETS)
    result = calibrate(targets=targets, residents=args.residents, n_seeds=args.seeds,
                       n_screen=args.screen, max_refine=args.refine,
                       n_check_seeds=args.check_seeds, root_seed=args.seed,
                       check_residents=tuple(int(x) for x in args.check_residents.split(",")),
                       workers=args.workers)
    out_dir = new_output_dir(args.out, "calibrate")
    paths = write_results(result, out_dir, update_baseline=args.update_baseline)
    text = summary_text(result) + "\n\n" + "\n".join(f"wrote {p}" for p in paths.values())
    return (0 if result.all_within else 1), text


def main(argv: list[str] | None = None) -> tuple[int, str]:
    """Parse ``argv`` and run (for callers without their own parser)."""
    parser = argparse.ArgumentParser(prog="calibrate")
    add_arguments(parser)
    return run(parser.parse_args(argv))
