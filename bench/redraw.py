"""Step + redraw time of the live visualiser, and Play's pace, at 1,000 residents.

Times exactly what the live page runs, without the browser:

1. one press of Step: ``LiveSession.step(1)`` (one day of the setup *and* of its ghost
   baseline) then ``LiveSession.render()`` (network, charts with the ghost, the running
   differences and the picked resident, as PNG frames): median, 90th percentile and worst
   over a run of days, for each "dot size" state (budget: 0.25 s);
2. Play: a :class:`sim.app.runner.Runner` playing "as fast as it goes" for a few seconds of
   wall time, reporting simulated days a second and frames a second (target: at least 30
   days a second at 1,000 residents on two cores; a frame may cover several days).
3. the one-off cost of a new community (models, layout, first frame).

The setup is the shipped organisers' scenario (scenarios/one_to_ones.toml), whose programme
starts on day 90, so the ghost runs beside it throughout. Solara's own re-render and the
transfer to the browser are not included: the browser test (tests/browser/test_live_design.py)
measures Play's pace on the page itself and prints it.

Usage: python bench/redraw.py [--residents 1000] [--days 60] [--play-seconds 6] [--seed 1]
The last line is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sim.app.legend import SHADE_STATES  # noqa: E402
from sim.app.runner import Runner  # noqa: E402
from sim.app.session import LiveSession  # noqa: E402
from sim.model import compile_rules  # noqa: E402
from sim.scenario.loader import load_scenario  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
BUDGET_S = 0.25
TARGET_DAYS_PER_S = 30.0


def play_pace(scenario, seed: int, seconds: float) -> dict:
    """Days and frames a second while a Runner plays as fast as it goes."""
    frames: list = []
    ready = threading.Event()

    def publish(frame):
        frames.append((time.perf_counter(), frame.day))
        ready.set()

    runner = Runner(publish)
    try:
        runner.load(lambda: LiveSession(scenario, seed))
        ready.wait(120)
        runner.set_speed(None)
        t0, d0 = time.perf_counter(), frames[-1][1]
        runner.play()
        time.sleep(seconds)
        runner.pause()
        t1, d1 = frames[-1]
    finally:
        runner.close()
        runner.join(10)
    n_frames = sum(1 for t, _ in frames if t > t0)
    wall = t1 - t0
    return {"days": d1 - d0, "wall_s": round(wall, 3),
            "days_per_s": round((d1 - d0) / wall, 1) if wall > 0 else 0.0,
            "frames_per_s": round(n_frames / wall, 1) if wall > 0 else 0.0}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--residents", type=int, default=1000)
    ap.add_argument("--days", type=int, default=60, help="frames timed per dot-size state")
    ap.add_argument("--play-seconds", type=float, default=6.0)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)

    compile_rules()
    scenario = load_scenario(ROOT / "scenarios" / "one_to_ones.toml").with_overrides(
        residents=args.residents, days=max(730, 5 * args.days + 10))
    t0 = time.perf_counter()
    session = LiveSession(scenario, args.seed)
    session.render()
    new_community_s = time.perf_counter() - t0
    print(f"new community ({args.residents:,} residents, {session.model.ties.m // 2:,} ties, "
          f"with its ghost baseline): models + layout + first frame {new_community_s:.3f} s")

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
    print(f"{len(frames)} frames (days 1-{session.day}), setup and ghost stepped together:")
    print(f"  step (2 models) median {statistics.median(step_only) * 1000:6.1f} ms")
    print(f"  redraw          median {statistics.median(render_only) * 1000:6.1f} ms")
    print(f"  step + redraw   median {med * 1000:6.1f} ms, 90th percentile {p90 * 1000:6.1f} "
          f"ms, worst {worst * 1000:6.1f} ms (budget {BUDGET_S * 1000:.0f} ms)")
    print("  within budget" if p90 < BUDGET_S else "  OVER BUDGET at the 90th percentile")

    pace = play_pace(scenario, args.seed, args.play_seconds)
    ok = pace["days_per_s"] >= TARGET_DAYS_PER_S
    print(f"Play, as fast as it goes, {pace['wall_s']:.1f} s: {pace['days_per_s']:.0f} days/s, "
          f"{pace['frames_per_s']:.1f} frames/s (target {TARGET_DAYS_PER_S:.0f} days/s): "
          + ("met" if ok else "NOT MET"))
    print(json.dumps({
        "residents": args.residents, "frames": len(frames),
        "step_redraw_median_s": round(med, 4), "step_redraw_p90_s": round(p90, 4),
        "step_redraw_max_s": round(worst, 4),
        "step_median_s": round(statistics.median(step_only), 4),
        "redraw_median_s": round(statistics.median(render_only), 4),
        "new_community_s": round(new_community_s, 3), "budget_s": BUDGET_S,
        "within_budget": p90 < BUDGET_S, "play_days_per_s": pace["days_per_s"],
        "play_frames_per_s": pace["frames_per_s"], "play_target_days_per_s": TARGET_DAYS_PER_S,
        "play_target_met": ok,
    }))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
