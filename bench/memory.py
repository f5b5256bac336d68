"""Memory and build time of a large community, and the cost of the Mesa face.

    PYTHONPATH=. python bench/memory.py [--residents 1000000] [--days 3]
                                        [--face-residents 20000 100000]

Each measurement runs in a fresh Python process, so peaks do not mix:

* headless: ``KindlinessModel(ModelParams(population=PopulationParams(n_residents=N)),
  face=False)``, then a few days. Peak bytes per resident = (peak RSS - RSS after imports)
  / N; build time; seconds per day (after one warm-up day).
* face: the same model at each ``--face-residents`` size, then ``model.build_face()``
  (Mesa agents on a ``Network`` space over a networkx graph): its time and the resident
  memory it adds. The cost at a million residents is extrapolated linearly from the
  largest size measured (the face is not built at a million by default: it is a
  visualiser's and inspector's tool, and the ensemble never builds it).

Prints figures; the last line is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def rss_bytes() -> int:
    """Current resident set size (Linux /proc)."""
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * resource.getpagesize()


def peak_bytes() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # KiB on Linux


def child(mode: str, n: int, days: int) -> dict:
    import numpy as np  # noqa: F401 - imports are not the community's memory

    from sim.model import KindlinessModel
    from sim.params import ModelParams, PopulationParams

    params = ModelParams(population=PopulationParams(n_residents=n))
    KindlinessModel(ModelParams(population=PopulationParams(n_residents=100)), face=False)
    base_rss = rss_bytes()
    t0 = time.perf_counter()
    model = KindlinessModel(params, seed=1, face=False, days_hint=days + 2)
    build_s = time.perf_counter() - t0
    built_rss, built_peak = rss_bytes(), peak_bytes()
    out = {"mode": mode, "n_residents": n, "build_s": build_s,
           "n_directed_ties": int(len(model.ties.src)),
           "rss_after_imports": base_rss, "rss_after_build": built_rss,
           "peak_after_build": built_peak}
    if mode == "headless":
        model.run_days(1)  # warm-up: compiled rules load or compile on the first day
        t0 = time.perf_counter()
        model.run_days(days)
        out["day_s"] = (time.perf_counter() - t0) / max(1, days)
        out["peak"] = peak_bytes()
        out["peak_bytes_per_resident"] = (out["peak"] - base_rss) / n
        out["rss_bytes_per_resident"] = (rss_bytes() - base_rss) / n
    else:
        t0 = time.perf_counter()
        model.build_face()
        out["face_s"] = time.perf_counter() - t0
        out["face_rss_bytes"] = rss_bytes() - built_rss
        out["face_peak_bytes"] = peak_bytes() - built_peak
        out["face_bytes_per_resident"] = max(out["face_rss_bytes"], out["face_peak_bytes"]) / n
    return out


def measure(mode: str, n: int, days: int) -> dict:
    proc = subprocess.run([sys.executable, __file__, "--child", mode, str(n), str(days)],
                          capture_output=True, text=True, cwd=REPO, check=False)
    if proc.returncode != 0:
        raise SystemExit(f"{mode} at {n}: failed\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--residents", type=int, default=1_000_000)
    ap.add_argument("--days", type=int, default=3)
    ap.add_argument("--face-residents", type=int, nargs="*", default=[20_000, 100_000])
    ap.add_argument("--child", nargs=3, metavar=("MODE", "N", "DAYS"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(child(args.child[0], int(args.child[1]), int(args.child[2]))))
        return

    mib = 2**20
    head = measure("headless", args.residents, args.days)
    print(f"headless community of {head['n_residents']:,} residents:")
    print(f"  build {head['build_s']:.1f} s; {head['day_s']:.2f} s a day "
          f"({head['n_residents'] / head['day_s'] / 1e6:.2f}M resident-days/s)")
    print(f"  peak {head['peak'] / mib:,.0f} MiB "
          f"({head['peak_bytes_per_resident']:.0f} bytes per resident above imports; "
          f"{head['rss_bytes_per_resident']:.0f} resident after {args.days} days)")
    faces = [measure("face", n, 0) for n in args.face_residents]
    for f in faces:
        print(f"Mesa face at {f['n_residents']:,}: build_face {f['face_s']:.1f} s, "
              f"+{max(f['face_rss_bytes'], f['face_peak_bytes']) / mib:,.0f} MiB "
              f"({f['face_bytes_per_resident']:.0f} bytes per resident; the arrays model "
              f"itself built in {f['build_s']:.2f} s)")
    result = {"headless": head, "face": faces}
    if faces:
        big = max(faces, key=lambda f: f["n_residents"])
        scale = args.residents / big["n_residents"]
        est = {"n_residents": args.residents,
               "face_s": big["face_s"] * scale,
               "face_bytes": big["face_bytes_per_resident"] * args.residents,
               "face_share_of_memory": big["face_bytes_per_resident"] / (
                   big["face_bytes_per_resident"] + head["peak_bytes_per_resident"]),
               "method": f"linear from {big['n_residents']:,} residents"}
        print(f"Mesa face at {args.residents:,} (estimated, {est['method']}): "
              f"~{est['face_s']:.0f} s and ~{est['face_bytes'] / 2**30:.1f} GiB, "
              f"{100 * est['face_share_of_memory']:.0f}% of a model with its face: built on "
              "demand only (visualiser, inspection), never in headless ensemble runs")
        result["face_estimate"] = est
    print(json.dumps(result))


if __name__ == "__main__":
    main()
