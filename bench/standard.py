"""The standard comparison, end to end: every shipped scenario against the baseline, 30
paired replicates of 2,000 residents over 730 days, through the same code path as
``python run.py compare`` (the command line's ``main``, in this process, with its own
worker pool), into a fresh temporary folder.

Prints the seconds the runs took, the seconds of post-processing (summaries, daily.csv.gz,
charts, report; each step from the job's manifest) and the total, then one JSON line:

    {"runs": ..., "resident_days": ..., "runs_s": ..., "post_s": ..., "total_s": ...,
     "steps_s": {...}, "resident_days_per_s": ...}

Numba's compile happens once before the timing (``compile_rules``), as it does for a user
after the first job. Target (issue 14): at most 60 s in total on two cores.

Usage: python bench/standard.py [--replicates 30] [--residents 2000] [--days 730]
                                [--workers N] [--keep DIR]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sim.cli import main as cli_main  # noqa: E402
from sim.model import compile_rules  # noqa: E402

SCENARIOS = ROOT / "scenarios"


def scenario_files() -> list[str]:
    """Every shipped scenario file, the baseline first."""
    others = sorted(p for p in SCENARIOS.glob("*.toml") if p.name != "baseline.toml")
    return [str(SCENARIOS / "baseline.toml"), *map(str, others)]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--replicates", type=int, default=30)
    ap.add_argument("--residents", type=int, default=2000)
    ap.add_argument("--days", type=int, default=730)
    ap.add_argument("--workers", type=int, default=None,
                    help="runs at once (default: the command line's, one per core)")
    ap.add_argument("--keep", metavar="DIR", help="write the outputs under DIR and keep them")
    args = ap.parse_args(argv)
    compile_rules()
    files = scenario_files()
    out_root = Path(args.keep or tempfile.mkdtemp(prefix="kindliness-standard-"))
    command = ["compare", *files, "--replicates", str(args.replicates),
               "--residents", str(args.residents), "--days", str(args.days),
               "--out", str(out_root)]
    if args.workers:
        command += ["--workers", str(args.workers)]
    t0 = time.perf_counter()
    stdout = io.StringIO()
    with contextlib.redirect_stdout(stdout):
        code = cli_main(command)
    total = time.perf_counter() - t0
    if code != 0:
        print(f"run.py compare exited with {code}", file=sys.stderr)
        return code
    report = Path(stdout.getvalue().strip().splitlines()[-1])
    timings = json.loads((report.parent / "manifest.json").read_text())["timings_s"]
    n_runs = len(files) * args.replicates
    resident_days = n_runs * args.residents * args.days
    figures = {
        "runs": n_runs, "resident_days": resident_days,
        "runs_s": round(timings["runs"], 2),
        "post_s": round(timings["post_processing"], 2),
        "total_s": round(total, 2),
        "steps_s": {k: round(v, 2) for k, v in timings.items()
                    if k in ("summary_and_daily", "decisions", "charts", "report")},
        "resident_days_per_s": round(resident_days / timings["runs"]),
    }
    print(f"{n_runs} runs ({len(files)} scenarios x {args.replicates} replicates) of "
          f"{args.residents:,} residents x {args.days} days = {resident_days / 1e6:.0f} M "
          f"resident-days")
    print(f"runs {figures['runs_s']:.1f} s ({figures['resident_days_per_s'] / 1e6:.2f} M "
          f"resident-days/s)  post-processing {figures['post_s']:.1f} s  "
          f"total {figures['total_s']:.1f} s")
    print("  " + "  ".join(f"{k} {v:.1f} s" for k, v in figures["steps_s"].items()))
    print(json.dumps(figures))
    if not args.keep:
        shutil.rmtree(out_root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
