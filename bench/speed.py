"""Speed of the kindliness model against Mesa's own ``virus_on_network`` example.

Prints, for each community size: the build time of our community, resident-days per second
over a run of days, and Mesa's example's agent-steps per second at the same size and mean
degree, measured in the same process, alternating, with the ratio. The last line is one
JSON object so figures can be tracked over time:

    {"resident_days_per_s": {...}, "mesa_agent_steps_per_s": {...}, "ratio": {...}, ...}

Usage: python bench/speed.py [--sizes 1000,10000,100000,1000000] [--repeats 3]
                             [--mesa-max 100000]

Memory: for each size, the bytes of the community's state (residents' arrays, ties, the
street, the metrics buffer) per resident, and the process's peak resident set size.

Mesa's example builds its graph with ``nx.erdos_renyi_graph`` (quadratic: minutes at 100,000
nodes) and its ``Network`` with a spring layout (279 s of a 286 s build at 10,000 nodes,
PLATFORM-NOTES). Neither is part of stepping, so for the comparison the example is built with
``nx.fast_gnp_random_graph`` (the same G(n, p) distribution) and no layout; its step is
Mesa's own, unchanged. Its cost per step depends on the epidemic's course, so each repeat
starts a fresh outbreak and we report the median.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import sys
import time
import types
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import networkx as nx  # noqa: E402
from mesa.discrete_space import Network  # noqa: E402
from mesa.examples.basic.virus_on_network import model as virus_module  # noqa: E402

from sim.model import KindlinessModel  # noqa: E402
from sim.params import ModelParams, PopulationParams  # noqa: E402

MEAN_DEGREE = ModelParams().network.ties_per_resident


def build_virus(n: int, seed: int):
    """Mesa's example at n nodes and our mean degree, with a fast graph and no layout."""
    fast_nx = types.SimpleNamespace(erdos_renyi_graph=lambda n, p: nx.fast_gnp_random_graph(
        n, p, seed=seed))
    saved = virus_module.nx, virus_module.Network
    virus_module.nx = fast_nx
    virus_module.Network = lambda g, **kw: Network(g, layout=None, **kw)
    try:
        return virus_module.VirusOnNetwork(num_nodes=n, avg_node_degree=MEAN_DEGREE,
                                           initial_outbreak_size=max(n // 100, 1), rng=seed)
    finally:
        virus_module.nx, virus_module.Network = saved


def state_bytes(model: KindlinessModel) -> int:
    """Bytes held in the community's arrays: residents, ties, the street and the metrics
    buffer (the daily table itself grows with days, not residents, and is left out)."""
    t, st = model.ties, model.street
    arrays = [getattr(model.pop, name) for name in model.pop.array_names()]
    arrays += [t.src, t.dst, t.trust, t.last_contact, t.close, t.indptr, t.rev, t.bridging]
    arrays += [st.ring, st.start, st.pos, model.metrics._buffer]
    return sum(x.nbytes for x in arrays)


def time_ours(n: int, days: int, seed: int) -> tuple[float, float, int]:
    """(build seconds, resident-days per second, state bytes) for one run of ``days`` after a
    warm-up."""
    t0 = time.perf_counter()
    model = KindlinessModel(ModelParams(population=PopulationParams(n_residents=n)),
                            seed=seed, days_hint=days + 40)
    build = time.perf_counter() - t0
    model.run_days(30)  # warm-up: needs and ties settle, caches warm
    t0 = time.perf_counter()
    model.run_days(days)
    return build, n * days / (time.perf_counter() - t0), state_bytes(model)


def time_mesa(n: int, steps: int, seed: int) -> float:
    model = build_virus(n, seed)
    t0 = time.perf_counter()
    for _ in range(steps):
        model.step()
    return n * steps / (time.perf_counter() - t0)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1000,10000,100000,1000000",
                    help="community sizes, comma-separated (default 1000,10000,100000,1000000)")
    ap.add_argument("--repeats", type=int, default=3, help="alternating repeats per size")
    ap.add_argument("--mesa-max", type=int, default=100_000,
                    help="largest size at which to time Mesa's example (default 100000)")
    args = ap.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    ours, mesa_rate, build, ratio, per_resident = {}, {}, {}, {}, {}
    for n in sizes:
        days = max(20, min(400, 4_000_000 // n))
        steps = max(3, min(50, 500_000 // n))
        ours_runs, mesa_runs, builds = [], [], []
        for rep in range(args.repeats):  # alternate: the machine's load changes over time
            b, rate, nbytes = time_ours(n, days, seed=rep)
            per_resident[n] = nbytes / n
            ours_runs.append(rate)
            builds.append(b)
            if n <= args.mesa_max:
                mesa_runs.append(time_mesa(n, steps, seed=rep))
        ours[n] = statistics.median(ours_runs)
        build[n] = statistics.median(builds)
        runs = ", ".join(f"{r / 1e6:.2f}" for r in ours_runs)
        line = (f"n={n:>9,}  build {build[n]:7.3f} s  ours {ours[n] / 1e6:6.2f} M resident-days/s "
                f"({1e9 / ours[n]:6.0f} ns each; runs {runs} M; "
                f"{per_resident[n]:.0f} B/resident)")
        if mesa_runs:
            mesa_rate[n] = statistics.median(mesa_runs)
            ratio[n] = ours[n] / mesa_rate[n]
            line += f"  mesa {mesa_rate[n] / 1e6:5.3f} M agent-steps/s  ratio {ratio[n]:6.1f}x"
        print(line, flush=True)
    print(json.dumps({
        "resident_days_per_s": {str(k): round(v) for k, v in ours.items()},
        "mesa_agent_steps_per_s": {str(k): round(v) for k, v in mesa_rate.items()},
        "ratio": {str(k): round(v, 1) for k, v in ratio.items()},
        "build_s": {str(k): round(v, 3) for k, v in build.items()},
        "state_bytes_per_resident": {str(k): round(v) for k, v in per_resident.items()},
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
