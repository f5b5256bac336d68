"""What interventions cost per run: the shipped combined package (and each shipped
intervention scenario) against the baseline, in one process, alternating.

For each size, each scenario is built and run for ``--days`` days ``--repeats`` times,
alternating with the baseline on the same seeds; the figure is the ratio of the median run
times (build included: recruitment by betweenness happens at an intervention's start, inside
the run). Interventions are moved to start on day 1 so the whole run pays for them. The
last line is one JSON object so figures can be tracked over time.

Usage: python bench/interventions_speed.py [--sizes 1000,10000] [--days 365] [--repeats 3]
                                           [--all]
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sim.model import compile_rules  # noqa: E402
from sim.scenario.loader import load_scenario  # noqa: E402

SCENARIOS = ROOT / "scenarios"


def scenario(name: str, n: int, days: int):
    sc = load_scenario(SCENARIOS / name).with_overrides(residents=n, days=days)
    moved = tuple(dataclasses.replace(iv, start_day=1, end_day=None)
                  for iv in sc.interventions)
    return dataclasses.replace(sc, interventions=moved)


def run_seconds(sc, seed: int, days: int) -> float:
    t0 = time.perf_counter()
    model = sc.build_model(seed)
    model.run_days(days)
    return time.perf_counter() - t0


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1000,10000")
    ap.add_argument("--days", type=int, default=365)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--all", action="store_true",
                    help="every shipped intervention scenario, not only the combined package")
    args = ap.parse_args(argv)
    compile_rules()
    names = (sorted(p.name for p in SCENARIOS.glob("*.toml") if p.name != "baseline.toml")
             if args.all else ["combined_package.toml"])
    figures: dict[str, dict[str, float]] = {}
    for n in (int(s) for s in args.sizes.split(",")):
        base = scenario("baseline.toml", n, args.days)
        for name in names:
            sc = scenario(name, n, args.days)
            run_seconds(sc, 0, 7)  # warm: any kernel first met with read-only arrays
            b, x = [], []
            for r in range(args.repeats):
                b.append(run_seconds(base, 100 + r, args.days))
                x.append(run_seconds(sc, 100 + r, args.days))
            ratio = statistics.median(x) / statistics.median(b)
            figures.setdefault(name, {})[str(n)] = round(ratio, 3)
            print(f"{n:>8,} residents  {name:32s} baseline {statistics.median(b):7.2f} s  "
                  f"with it {statistics.median(x):7.2f} s  ratio {ratio:5.2f}  "
                  f"(runs: {', '.join(f'{v:.2f}' for v in x)} vs "
                  f"{', '.join(f'{v:.2f}' for v in b)})", flush=True)
    print(json.dumps({"days": args.days, "repeats": args.repeats, "ratio": figures}))


if __name__ == "__main__":
    main()
