"""Where the community picture puts everyone: a fixed layout per community, apart from its
drawing (:mod:`sim.app.network_view`).

Each section gets its own round region, placed around a circle, and residents sit inside
their section's region, pulled towards the residents they have ties with by a few rounds of
neighbour averaging (cheap, linear in the number of ties; a spring layout takes seconds at
1,000 residents and minutes at 10,000, PLATFORM-NOTES). Hubs sit in the region of the section
they belong to, or in the middle for a place on the boundary between sections. Above
:data:`SAMPLE_ABOVE` residents a fixed sample is drawn (:func:`drawn_sample`).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

LAYOUT_ROUNDS = 25  # rounds of neighbour averaging
SECTION_RING_RADIUS = 1.0  # distance of section regions from the middle
SAMPLE_ABOVE = 3_000  # above this many residents a fixed sample of them is drawn
SAMPLE_SIZE = 1_500  # residents drawn then (readable dots; about 0.1 s a frame)


@dataclass(eq=False)
class Layout:
    """Where everything sits; fixed for the life of one community."""

    pos: np.ndarray  # (n, 2) resident positions
    section_centre: np.ndarray  # (n_sections, 2)
    section_radius: np.ndarray  # (n_sections,)
    hub_pos: np.ndarray  # (n_hubs, 2)

    def with_hubs_of(self, model) -> Layout:
        """The same layout with the model's hubs placed again (an intervention opened one)."""
        return dataclasses.replace(self, hub_pos=hub_positions(model, self.section_centre,
                                                               self.section_radius))


def _section_regions(shares: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    k = len(shares)
    if k == 1:
        return np.zeros((1, 2)), np.array([1.0])
    angle = np.pi / 2 + 2 * np.pi * np.arange(k) / k
    centre = SECTION_RING_RADIUS * np.column_stack([np.cos(angle), np.sin(angle)])
    # regions as large as neighbouring regions allow, area in proportion to the share
    spacing = 2 * SECTION_RING_RADIUS * np.sin(np.pi / k)
    radius = np.sqrt(shares / shares.max()) * 0.48 * min(spacing, 1.6)
    return centre, radius


def compute_layout(model, seed: int = 0) -> Layout:
    """Positions for residents and hubs, computed once per community (see module doc).

    Deterministic for a given community and ``seed``; linear in residents plus ties."""
    pop, ties = model.pop, model.ties
    n = pop.n
    names = list(pop.section_names)
    counts = np.bincount(pop.section, minlength=len(names)).astype(float)
    centre, radius = _section_regions(counts / max(counts.sum(), 1.0))
    rng = np.random.default_rng(np.random.SeedSequence([int(seed), 7919]))
    # start: uniform in the unit disc, each section on its own
    ang = rng.uniform(0, 2 * np.pi, n)
    rad = np.sqrt(rng.uniform(0, 1, n))
    local = np.column_stack([rad * np.cos(ang), rad * np.sin(ang)])
    same = (ties.src < ties.dst) & ~ties.bridging
    u, v = ties.src[same], ties.dst[same]
    deg = np.bincount(u, minlength=n) + np.bincount(v, minlength=n)
    has = deg > 0
    sec = pop.section.astype(np.int64)
    for _ in range(LAYOUT_ROUNDS):
        sx = np.bincount(u, local[v, 0], n) + np.bincount(v, local[u, 0], n)
        sy = np.bincount(u, local[v, 1], n) + np.bincount(v, local[u, 1], n)
        mean = np.column_stack([sx, sy])
        local[has] = 0.4 * local[has] + 0.6 * mean[has] / deg[has, None]
        local = _respread(local, sec, len(names))
    pos = centre[sec] + local * radius[sec, None]
    hub_pos = hub_positions(model, centre, radius)
    return Layout(pos=pos, section_centre=centre, section_radius=radius, hub_pos=hub_pos)


def _respread(local: np.ndarray, sec: np.ndarray, n_sections: int) -> np.ndarray:
    """Keep each section filling its unit disc: re-centre, then give radii by rank so that
    residents are spread evenly by area (neighbour averaging alone collapses to a point)."""
    out = np.empty_like(local)
    for k in range(n_sections):
        rows = np.flatnonzero(sec == k)
        if len(rows) == 0:
            continue
        p = local[rows] - local[rows].mean(axis=0)
        r = np.hypot(p[:, 0], p[:, 1])
        rank = np.empty(len(rows))
        rank[np.argsort(r, kind="stable")] = np.arange(len(rows))
        new_r = np.sqrt((rank + 0.5) / len(rows))
        scale = np.where(r > 0, new_r / np.maximum(r, 1e-12), 0.0)
        out[rows] = p * scale[:, None]
    return out


# centre to centre between hubs at one place, in layout units (the picture is about 3 units
# across): a hub's square is 18.5 px wide in the network view (s=220 at 90 dpi) and 0.21
# units about 29 px, so side by side they keep a gap (0.12 drew the boundary's library and
# new cafe touching)
HUB_SPACING = 0.21


def hub_positions(model, centre, radius) -> np.ndarray:
    """Where the hubs sit: in the middle of their section's region, or in the middle of the
    picture for a place on the boundary; hubs at one place side by side, HUB_SPACING apart."""
    hubs = model.hubs
    pos = np.zeros((hubs.n, 2))
    by_place: dict[int, list[int]] = {}
    for h in range(hubs.n):
        by_place.setdefault(int(hubs.location[h]), []).append(h)
    for loc, members in by_place.items():
        # the boundary: the middle, between the sections; a section's: the middle of its
        # region (visits radiate from it)
        base = np.zeros(2) if loc < 0 else centre[loc]
        for j, h in enumerate(members):
            offset = (j - (len(members) - 1) / 2) * HUB_SPACING
            pos[h] = base + np.array([offset, 0.0])
    return pos


def hub_label_rows(model) -> np.ndarray:
    """For each hub, its place among the hubs that share its location (0, 1, ...): their
    squares sit side by side (:func:`hub_positions`), so their labels go one row below
    another instead of over each other."""
    location = np.asarray(model.hubs.location)
    rows = np.zeros(len(location), dtype=np.int64)
    for h in range(len(location)):
        rows[h] = np.count_nonzero(location[:h] == location[h])
    return rows


def drawn_sample(model, *, limit: int = SAMPLE_SIZE, above: int = SAMPLE_ABOVE,
                 seed: int = 0) -> np.ndarray | None:
    """The residents drawn when the community is too large to draw everyone: ``limit`` of
    them, in proportion to each section, fixed for the community (None: draw everyone)."""
    n = model.pop.n
    if n <= above:
        return None
    rng = np.random.default_rng(np.random.SeedSequence([int(seed), 104729]))
    section = np.asarray(model.pop.section, dtype=np.int64)
    picked = []
    for k in range(int(section.max()) + 1):
        rows = np.flatnonzero(section == k)
        take = int(round(limit * len(rows) / n))
        if take:
            picked.append(rng.choice(rows, min(take, len(rows)), replace=False))
    return np.sort(np.concatenate(picked)) if picked else np.zeros(0, dtype=np.int64)

