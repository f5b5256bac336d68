"""Scenario discovery with PRIM (Friedman & Fisher 1999, "Bump hunting in high-dimensional
data"; as used for robust decision making, Bryant & Lempert 2010).

Implemented here (about forty lines) rather than taken from the EMA Workbench, which would
bring a large dependency for one function. Peeling only (no pasting): starting from the
box that holds every world, repeatedly cut off the ``alpha`` share of the remaining worlds
at one end of one parameter, choosing the cut that most raises the share of "interesting"
worlds (here: worlds where the recommendation flips) inside the box, until the box would
hold fewer than ``min_support`` of all worlds or no cut helps.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Box:
    lower: np.ndarray  # per parameter, in the data's units
    upper: np.ndarray
    restricted: tuple[int, ...]  # parameters whose limits were cut
    coverage: float  # share of all interesting worlds that fall in the box
    density: float  # share of the worlds in the box that are interesting
    support: float  # share of all worlds in the box


def peel(x: np.ndarray, y: np.ndarray, *, alpha: float = 0.1,
         min_support: float = 0.1) -> list[Box]:
    """The peeling trajectory: boxes from the whole space inward."""
    y = np.asarray(y, dtype=float)
    n, d = x.shape
    inside = np.ones(n, dtype=bool)
    lower, upper = x.min(axis=0).astype(float), x.max(axis=0).astype(float)
    total = max(y.sum(), 1e-12)
    boxes = [Box(lower.copy(), upper.copy(), (), float(y.sum() / total), float(y.mean()), 1.0)]
    cut_dims: set[int] = set()
    while True:
        best = None
        for j in range(d):
            xs = x[inside, j]
            for side, q in (("lo", alpha), ("hi", 1 - alpha)):
                edge = np.quantile(xs, q)
                keep = inside & ((x[:, j] >= edge) if side == "lo" else (x[:, j] <= edge))
                if keep.sum() == inside.sum() or keep.sum() < min_support * n:
                    continue
                score = y[keep].mean()
                if best is None or score > best[0]:
                    best = (score, j, side, edge, keep)
        if best is None or best[0] <= y[inside].mean():
            return boxes
        _, j, side, edge, inside = best
        if side == "lo":
            lower[j] = edge
        else:
            upper[j] = edge
        cut_dims.add(j)
        boxes.append(Box(lower.copy(), upper.copy(), tuple(sorted(cut_dims)),
                         float(y[inside].sum() / total), float(y[inside].mean()),
                         float(inside.mean())))


def choose_box(boxes: list[Box], min_coverage: float = 0.5) -> Box:
    """The densest box that still holds at least ``min_coverage`` of the interesting
    worlds (the usual coverage-density trade-off, chosen automatically)."""
    ok = [b for b in boxes if b.coverage >= min_coverage] or boxes[:1]
    return max(ok, key=lambda b: (b.density, b.coverage))


def prune(box: Box, x: np.ndarray, y: np.ndarray, tolerance: float = 0.05) -> Box:
    """Drop restrictions that do not earn their place: one at a time, a cut parameter is
    given back its whole range if that lowers the box's density by less than
    ``tolerance`` (few worlds let peeling pick up chance cuts; a simpler box is easier to
    read and more likely to hold)."""
    y = np.asarray(y, dtype=float)
    total = max(y.sum(), 1e-12)
    lower, upper = box.lower.copy(), box.upper.copy()
    full_lo, full_hi = x.min(axis=0), x.max(axis=0)

    def stats(lo, hi):
        inside = np.all((x >= lo) & (x <= hi), axis=1)
        return inside, (y[inside].mean() if inside.any() else 0.0)

    kept = list(box.restricted)
    _, density = stats(lower, upper)
    for j in sorted(kept, key=lambda j: -(upper[j] - lower[j]) / max(
            full_hi[j] - full_lo[j], 1e-12)):
        lo, hi = lower.copy(), upper.copy()
        lo[j], hi[j] = full_lo[j], full_hi[j]
        _, d = stats(lo, hi)
        if d >= density - tolerance:
            lower, upper, density = lo, hi, d
            kept.remove(j)
    inside, density = stats(lower, upper)
    return Box(lower, upper, tuple(sorted(kept)), float(y[inside].sum() / total),
               float(density), float(inside.mean()))
