"""Where a day's time goes: each daily rule, the tie maintenance and the metrics, timed.

Wraps every public function of ``sim.rules.*`` (and the weekly tie merge
and the metrics recording) with a timer, runs the baseline community for some days
after a warm-up, and prints microseconds per day for each, largest first. Times are the
process's CPU time (``time.process_time``), which a busy machine disturbs less than wall
time. The wrappers add about a microsecond per call, so read small entries as upper bounds.

Usage: python bench/rules_profile.py [--sizes 1000,10000,100000] [--days 200]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sim import metrics_table, network  # noqa: E402
from sim.model import KindlinessModel  # noqa: E402
from sim.params import ModelParams, PopulationParams  # noqa: E402
from sim.rules import (  # noqa: E402
    asking,
    encounters,
    helping,
    ledger,
    needs,
    noticing,
    reputation,
    trust,
    wellbeing,
)
from sim.rules import ties as tie_rules  # noqa: E402

SPENT: dict[str, float] = defaultdict(float)
CALLS: dict[str, int] = defaultdict(int)


def _timed(name, fn):
    def wrapper(*args, **kwargs):
        t0 = time.process_time()
        try:
            return fn(*args, **kwargs)
        finally:
            SPENT[name] += time.process_time() - t0
            CALLS[name] += 1

    return wrapper


def instrument() -> None:
    for mod in (asking, encounters, helping, ledger, needs, noticing, reputation, trust,
                wellbeing, tie_rules):
        for name, fn in list(vars(mod).items()):
            if callable(fn) and not name.startswith("_") and getattr(fn, "__module__", "") \
                    == mod.__name__ and not isinstance(fn, type):
                setattr(mod, name, _timed(f"{mod.__name__.split('.')[-1]}.{name}", fn))
    network.Ties.merge = _timed("Ties.merge", network.Ties.merge)
    metrics_table.MetricsTable.record = _timed("MetricsTable.record",
                                                metrics_table.MetricsTable.record)
    KindlinessModel._maintain_ties = _timed("model._maintain_ties",
                                            KindlinessModel._maintain_ties)
    KindlinessModel.step = _timed("model.step (whole day)", KindlinessModel.step)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1000,10000,100000")
    ap.add_argument("--days", type=int, default=200)
    args = ap.parse_args(argv)
    instrument()
    for n in (int(s) for s in args.sizes.split(",")):
        model = KindlinessModel(ModelParams(population=PopulationParams(n_residents=n)),
                                seed=1, days_hint=args.days + 60)
        model.run_days(30)
        SPENT.clear()
        CALLS.clear()
        model.run_days(args.days)
        day_us = SPENT["model.step (whole day)"] / args.days * 1e6
        print(f"n={n:,}: {day_us:,.0f} us a day ({n / day_us:.2f} M resident-days/s)")
        for name, s in sorted(SPENT.items(), key=lambda kv: -kv[1]):
            us = s / args.days * 1e6
            print(f"  {name:42s} {us:10,.1f} us/day  {100 * us / day_us:5.1f}%"
                  f"  ({CALLS[name] / args.days:.2f} calls/day)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
