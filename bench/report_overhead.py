"""How much of a comparison's time goes after the runs: summaries, daily values, decisions,
charts and the report (target: at most 15% of the job's wall time on two cores).

    PYTHONPATH=. python bench/report_overhead.py [--repeat 2] [-- extra run.py options]

Runs the main job (``python run.py``, the shipped scenarios, 1,000 residents, 730 days, ten
paired runs each) ``--repeat`` times as a user runs it, in a fresh process, into a temporary
folder, and prints from each job's manifest.json the time of the runs, of each later stage,
the post-processing share (post-processing / total, both measured in the same job), the size
of report.html and daily.csv.gz, and the machine's load average at the start (other work on a
shared machine slows both parts, not always equally). Extra options after ``--`` go to
run.py (for example ``-- --replicates 5``). The last line is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STAGES = ("summary_and_daily", "decisions", "charts", "report")


def one_job(extra: list[str]) -> dict:
    with tempfile.TemporaryDirectory(prefix="kindliness-overhead-") as tmp:
        load = os.getloadavg()[0]
        t0 = time.perf_counter()
        proc = subprocess.run([sys.executable, "run.py", "--out", tmp, *extra], cwd=ROOT,
                              capture_output=True, text=True,
                              env={**os.environ, "PYTHONPATH": str(ROOT)})
        wall = time.perf_counter() - t0
        if proc.returncode != 0:
            raise SystemExit(f"run.py failed ({proc.returncode}):\n{proc.stderr[-2000:]}")
        report = Path(proc.stdout.strip().splitlines()[-1])
        manifest = json.loads((report.parent / "manifest.json").read_text())
        t = manifest["timings_s"]
        return {"load_at_start": round(load, 2), "process_wall_s": round(wall, 1),
                "runs_s": t["runs"], **{f"{k}_s": t[k] for k in STAGES},
                "post_processing_s": t["post_processing"], "total_s": t["total"],
                "post_processing_share": round(t["post_processing_share"], 4),
                "report_bytes": report.stat().st_size,
                "daily_bytes": (report.parent / "daily.csv.gz").stat().st_size,
                "charts": len(list((report.parent / "charts").glob("*.png")))}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--repeat", type=int, default=2)
    p.add_argument("extra", nargs="*", help="options for run.py (after --)")
    args = p.parse_args()
    jobs = []
    for i in range(args.repeat):
        r = one_job(args.extra)
        jobs.append(r)
        print(f"job {i + 1}: load {r['load_at_start']:.1f}, runs {r['runs_s']:.1f} s, "
              + ", ".join(f"{k} {r[k + '_s']:.2f} s" for k in STAGES)
              + f"; after the runs {r['post_processing_s']:.1f} s of {r['total_s']:.1f} s = "
              f"{100 * r['post_processing_share']:.1f}%; report {r['report_bytes'] / 1e6:.2f} "
              f"MB, daily {r['daily_bytes'] / 1e6:.1f} MB, {r['charts']} charts", flush=True)
    shares = [r["post_processing_share"] for r in jobs]
    print(f"post-processing share: {', '.join(f'{100 * s:.1f}%' for s in shares)} "
          f"(target <= 15%)")
    print(json.dumps({"jobs": jobs, "max_share": max(shares)}))


if __name__ == "__main__":
    main()
