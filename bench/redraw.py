"""Step + redraw time of the live visualiser at 1,000 residents (issue 4: under 0.25 s).

Times exactly what the live page runs for one press of Step or one frame of Play:
``LiveSession.step(1)`` (one model day) then ``LiveSession.render()`` (the network and the
metric charts updated in their reused figures and encoded as PNG). Reports the median, the
90th percentile and the worst frame over a run of days, for each "dot size" state, plus the
one-off cost of a new community (model, Mesa face, layout, first frame). The frames where
ties were merged (weekly) redraw the still background too; they are counted like any other.

Not included: Solara's own re-render of the page and the transfer to the browser (measured
by the browser test's timings, tests/browser/test_visualiser.py, and printed there).

Usage: python bench/redraw.py [--residents 1000] [--days 60] [--seed 1]
The last line is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sim.app.live import LiveSession  # noqa: E402
from sim.app.portrayal import SHADE_STATES  # noqa: E402
from sim.scenario.schema import Scenario  # noqa: E402

BUDGET_S = 0.25


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--residents", type=int, default=1000)
    ap.add_argument("--days", type=int, default=60, help="frames timed per dot-size state")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)

    scenario = Scenario(name="bench").with_overrides(residents=args.residents)
    t0 = time.perf_counter()
    session = LiveSession(scenario, args.seed)
    session.render()
    new_community_s = time.perf_counter() - t0
    print(f"new community ({args.residents:,} residents, {session.model.ties.m // 2:,} ties): "
          f"model + face + layout + first frame {new_community_s:.3f} s")

    frames, step_only, render_only = [], [], []
    for shade in SHADE_STATES:
        for _ in range(args.days):
            t0 = time.perf_counter()
            session.step(1)
            t1 = time.perf_counter()
            session.render(shade, selected=7)
            t2 = time.perf_counter()
            step_only.append(t1 - t0)
            render_only.append(t2 - t1)
            frames.append(t2 - t0)

    def q(xs, p):
        return sorted(xs)[min(len(xs) - 1, int(p * len(xs)))]

    med, p90, worst = statistics.median(frames), q(frames, 0.9), max(frames)
    print(f"{len(frames)} frames (days {1}-{session.day}):")
    print(f"  step          median {statistics.median(step_only) * 1000:6.1f} ms")
    print(f"  redraw        median {statistics.median(render_only) * 1000:6.1f} ms")
    print(f"  step + redraw median {med * 1000:6.1f} ms, 90th percentile {p90 * 1000:6.1f} ms, "
          f"worst {worst * 1000:6.1f} ms (budget {BUDGET_S * 1000:.0f} ms)")
    print("  within budget" if p90 < BUDGET_S else "  OVER BUDGET at the 90th percentile")
    print(json.dumps({
        "residents": args.residents, "frames": len(frames),
        "step_redraw_median_s": round(med, 4), "step_redraw_p90_s": round(p90, 4),
        "step_redraw_max_s": round(worst, 4),
        "step_median_s": round(statistics.median(step_only), 4),
        "redraw_median_s": round(statistics.median(render_only), 4),
        "new_community_s": round(new_community_s, 3), "budget_s": BUDGET_S,
        "within_budget": p90 < BUDGET_S,
    }))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
