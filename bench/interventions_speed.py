"""What interventions cost per run: the shipped combined package (and each shipped
intervention scenario) against the baseline, in one process, alternating.

For each size, each scenario is built and run for ``--days`` days ``--repeats`` times,
alternating with the baseline on the same seeds; the figure is the ratio of the median run
times (build included: recruitment by betweenness happens at an intervention's start, inside
the run). Interventions are moved to start on day 1 so the whole run pays for them. The
last line is one JSON object so figures can be tracked over time.

With ``--parts``, each run is timed again by parts (medians, milliseconds a run): building
the community, the programmes' hooks (every intervention's ``before_day`` and ``after_day``),
the rules' compiled day, the tie maintenance, recording the metrics (the programmes' own
included) and the rest; then what the scenario's run would cost with its hooks free, against
the baseline's. The rules do more in a livelier community (more meetings, asks and help), so
that figure is the least any compiling of the hooks could reach. The timers add about a
microsecond a call (four calls a day).

Usage: python bench/interventions_speed.py [--sizes 1000,10000] [--days 365] [--repeats 3]
                                           [--all] [--parts]
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


PARTS = ("build", "hooks", "rules", "ties", "metrics", "other")


def run_parts(sc, seed: int, days: int) -> dict[str, float]:
    """One run's seconds by part (PARTS, and "total"), the model's own methods timed on this
    model only (the rules' day through its module, restored after)."""
    from sim.rules import whole_day

    spent = dict.fromkeys(PARTS, 0.0)

    def timed(part, fn):
        def call(*args):
            t = time.perf_counter()
            try:
                return fn(*args)
            finally:
                spent[part] += time.perf_counter() - t
        return call

    t0 = time.perf_counter()
    model = sc.build_model(seed)
    spent["build"] = time.perf_counter() - t0
    model._hooks = timed("hooks", model._hooks)
    model._maintain_ties = timed("ties", model._maintain_ties)
    model.metrics.record = timed("metrics", model.metrics.record)
    rules = whole_day.run_rules
    whole_day.run_rules = timed("rules", rules)
    try:
        t = time.perf_counter()
        model.run_days(days)
        ran = time.perf_counter() - t
    finally:
        whole_day.run_rules = rules
    spent["other"] = ran - sum(spent[p] for p in PARTS[1:-1])
    spent["total"] = spent["build"] + ran
    return spent


def parts_lines(name: str, base_runs: list[dict], runs: list[dict]) -> tuple[list[str], float]:
    """The parts' medians (ms a run) of the baseline and the scenario, and the ratio its run
    would have with its hooks free."""
    def med(rs, part):
        return 1000 * statistics.median(r[part] for r in rs)

    lines = [f"    {'ms a run':10s}" + "".join(f"{p:>9s}" for p in (*PARTS, "total"))]
    for label, rs in (("baseline", base_runs), (name.removesuffix(".toml")[:10], runs)):
        lines.append(f"    {label:10s}" + "".join(f"{med(rs, p):9.1f}"
                                                  for p in (*PARTS, "total")))
    free = statistics.median(r["total"] - r["hooks"] for r in runs)
    ratio = free / statistics.median(r["total"] for r in base_runs)
    lines.append(f"    with its hooks free it would take {1000 * free:.1f} ms a run: "
                 f"{ratio:.2f}x the baseline")
    return lines, ratio


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1000,10000")
    ap.add_argument("--days", type=int, default=365)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--all", action="store_true",
                    help="every shipped intervention scenario, not only the combined package")
    ap.add_argument("--parts", action="store_true",
                    help="time each run again by parts: hooks, rules, ties, metrics")
    args = ap.parse_args(argv)
    compile_rules()
    names = (sorted(p.name for p in SCENARIOS.glob("*.toml") if p.name != "baseline.toml")
             if args.all else ["combined_package.toml"])
    figures: dict[str, dict[str, float]] = {}
    hooks_free: dict[str, dict[str, float]] = {}
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
            if args.parts:
                pb, px = [], []
                for r in range(args.repeats):
                    pb.append(run_parts(base, 100 + r, args.days))
                    px.append(run_parts(sc, 100 + r, args.days))
                lines, free = parts_lines(name, pb, px)
                print("\n".join(lines), flush=True)
                hooks_free.setdefault(name, {})[str(n)] = round(free, 3)
    out = {"days": args.days, "repeats": args.repeats, "ratio": figures}
    if args.parts:
        out["ratio_with_hooks_free"] = hooks_free
    print(json.dumps(out))


if __name__ == "__main__":
    main()
