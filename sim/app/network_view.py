"""How the community is drawn: one reused matplotlib figure per community, redrawn in place.

Where everyone sits comes from :mod:`sim.app.network_layout` (computed once per community);
what the dots and lines mean is told by :mod:`sim.app.legend`. Each frame
(:class:`NetworkView`) updates the artists of one figure in place, never building a new one:
one ``LineCollection`` for bonding ties, one for bridging ties, one for today's hub visits,
one ``scatter`` for the residents whose colours and sizes change, and small overlays for roles
and the selected resident; then the figure is written as PNG bytes.
"""

from __future__ import annotations

import time

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure

from sim.app.legend import SHADE_STATES
from sim.app.network_layout import compute_layout, drawn_sample, hub_label_rows
from sim.app.png import encode_png
from sim.app.roles import ROLES, resident_roles
from sim.palette import (
    BONDING_COLOUR,
    BRIDGING_COLOUR,
    BRIDGING_TEXT,
    DOT_EDGE_COLOUR,
    HUB_COLOUR,
    HUB_SHUT_COLOUR,
    ORIENTATION_COLOURS,
    SECTION_TEXT,
    SELECTED_COLOUR,
    VISIT_COLOUR,
    WITHDRAWN_COLOUR,
)
from sim.params import ORIENTATIONS

DOT_SIZE_MIN = 4.0  # points^2 at state 0
DOT_SIZE_RANGE = 70.0  # added at state 1
MAX_DRAWN_TIES = 40_000  # above this, a fixed random sample of ties is drawn (readability, speed)
HUB_MARKER_SIZE = 220  # a hub's square (points^2)
PICK_RADIUS_PX = 14.0  # a click picks the nearest drawn resident within this distance
HUB_LABEL_ROW_PT = 14  # a row of hub labels (points; 8.5 pt text in its box)
HUB_LABEL_BELOW_PT = 16  # from a hub's square down to the top of its label
# a label that would cover another moves by this much at a time (points), down, up, then
# sideways, until it covers no other label nor a hub's square (a user check at 20,000
# residents read "newcome5,539 ties": a band's count printed over a section's name)
LABEL_NUDGE_PT = 5
LABEL_NUDGES = 12  # tries each way
# room kept around a label's text (pixels): its white box reaches 2 px beyond the text
LABEL_GAP_PX = 3


class NetworkView:
    """One figure for one community, redrawn in place each frame.

    ``view = NetworkView(model)``; after each step ``view.png(model, shade="need",
    selected=12)``. A new community (reset) needs a new view: the layout belongs to the
    community. Above :data:`SAMPLE_ABOVE` residents a fixed sample of :data:`SAMPLE_SIZE` is
    drawn, with the ties among them and, between sections, one band per pair whose width
    shows how many ties cross (the title says so). ``resident_at(fx, fy)`` maps a click on
    the picture (fractions of its width and height) to the nearest drawn resident."""

    def __init__(self, model, *, width_in: float = 6.4, dpi: int = 90, layout_seed: int = 0):
        self.layout = compute_layout(model, seed=layout_seed)
        self.n = model.pop.n
        self.dpi = dpi
        self.sample = drawn_sample(model, seed=layout_seed)
        self.drawn = (np.arange(self.n) if self.sample is None else self.sample)
        self.fig = Figure(figsize=(width_in, width_in * 0.82), dpi=dpi)
        FigureCanvasAgg(self.fig)
        self.ax = self.fig.add_axes((0.0, 0.0, 1.0, 0.93))
        self.ax.set_aspect("equal")
        self.ax.axis("off")
        lay = self.layout
        allpts = np.vstack([lay.pos, lay.hub_pos]) if len(lay.hub_pos) else lay.pos
        lo, hi = allpts.min(axis=0) - 0.12, allpts.max(axis=0) + 0.12
        hi[1] += 0.12  # room for the section names above the regions
        self.ax.set_xlim(lo[0], hi[0])
        self.ax.set_ylim(lo[1], hi[1])
        # where things land on the picture is known before the first drawing (labels are
        # kept apart by their boxes: :func:`keep_apart`), not moved by it
        self.ax.apply_aspect()
        self._tie_sample = np.random.default_rng(layout_seed)
        # ties are drawn without antialiasing: half the drawing time, barely visible at this size
        self.bonding = LineCollection([], colors=BONDING_COLOUR, linewidths=0.6, alpha=0.7,
                                      antialiaseds=False, zorder=1)
        self.bridging = LineCollection([], colors=BRIDGING_COLOUR, linewidths=0.5, alpha=0.18,
                                       antialiaseds=False, zorder=2)
        self.bands = LineCollection([], colors=BRIDGING_COLOUR, alpha=0.45, zorder=3,
                                    capstyle="butt")
        self.band_labels: list = []
        self.visits = LineCollection([], colors=VISIT_COLOUR, linewidths=1.3, alpha=0.95,
                                     zorder=3)
        for c in (self.bonding, self.bridging, self.bands, self.visits):
            self.ax.add_collection(c)
        pos = lay.pos[self.drawn]
        self.dots = self.ax.scatter(pos[:, 0], pos[:, 1], s=10, zorder=4, linewidths=0.3,
                                    edgecolors=DOT_EDGE_COLOUR)
        self.colours = np.array([_rgba(ORIENTATION_COLOURS[o]) for o in ORIENTATIONS])
        self.withdrawn_colour = np.array(_rgba(WITHDRAWN_COLOUR))
        empty = np.zeros((0, 2))
        self.roles = {}
        for key, role in ROLES.items():
            style = ({"color": role.colour} if role.filled else
                     {"facecolors": "none", "edgecolors": role.colour, "linewidths": 1.2})
            self.roles[key] = self.ax.scatter(empty[:, 0], empty[:, 1], s=role.size,
                                              marker=role.marker, zorder=6, **style)
        self.selected = self.ax.scatter(empty[:, 0], empty[:, 1], s=260, marker="o",
                                        facecolors="none", edgecolors=SELECTED_COLOUR,
                                        linewidths=2.2, zorder=8)
        self.hubs = self.ax.scatter(lay.hub_pos[:, 0], lay.hub_pos[:, 1], s=HUB_MARKER_SIZE,
                                    marker="s",
                                    color=HUB_COLOUR, edgecolors="white", linewidths=1.5,
                                    zorder=7)
        self.hub_labels = self._hub_labels(model)
        self.section_labels = []
        for k, name in enumerate(model.pop.section_names):
            c, r = lay.section_centre[k], lay.section_radius[k]
            self.section_labels.append(self.ax.annotate(
                name.replace("_", " "), xy=(c[0], c[1] + r + 0.03), xytext=(0, 0),
                textcoords="offset points", ha="center", va="bottom",
                fontsize=10, color=SECTION_TEXT, zorder=9))
        self.title = self.fig.text(0.01, 0.99, "", fontsize=10, ha="left", va="top")
        self._ties_src = None
        self._background = None
        self._ties_stale = False  # ties changed, their drawing not yet redone
        self._ties_drawn_at = -1e9  # time.monotonic() of the last background drawing
        # while a run plays fast, redraw the ties at most this often (seconds; 0: always)
        self.min_ties_redraw_s = 0.0
        self._pixels = None  # drawn residents' positions in image pixels (for picking)
        self.last_png: bytes = b""
        for artist in self._moving:
            artist.set_animated(True)

    def _hub_labels(self, model) -> list:
        """A label below each hub's square, one row further down for each hub before it at
        the same place (sim.app.network_layout.hub_label_rows)."""
        labels = [self.ax.annotate("", xy=tuple(p),
                                 xytext=(0, -HUB_LABEL_BELOW_PT - HUB_LABEL_ROW_PT * row),
                                 textcoords="offset points", ha="center", va="top",
                                 fontsize=8.5, zorder=9,
                                 bbox={"boxstyle": "round,pad=0.2", "fc": "white",
                                       "ec": "none", "alpha": 0.85})
                  for p, row in zip(self.layout.hub_pos, hub_label_rows(model), strict=True)]
        self._hub_label_home = [t.xyann for t in labels]
        return labels

    @property
    def _moving(self) -> list:
        """Artists that change every frame, in drawing order (the rest is background)."""
        return [self.visits, self.dots, *self.roles.values(), self.hubs, *self.hub_labels,
                self.selected, self.title]

    @property
    def sampled(self) -> bool:
        return self.sample is not None

    # -- per frame ------------------------------------------------------------------------
    def update(self, model, shade: str = "trust_out", selected: int | None = None) -> None:
        """Move every artist to the model's current state (no new artists)."""
        pop, lay, drawn = model.pop, self.layout, self.drawn
        if model.ties.src is not self._ties_src:  # ties merged since the last frame
            self._update_ties(model)
        value = np.clip(np.asarray(getattr(pop, shade), dtype=float)[drawn], 0.0, 1.0)
        self.dots.set_sizes(DOT_SIZE_MIN + DOT_SIZE_RANGE * value)
        colours = self.colours[np.asarray(pop.orientation)[drawn]].copy()
        withdrawn = (pop.withdrawn_until > model.day)[drawn]
        colours[withdrawn] = self.withdrawn_colour
        self.dots.set_facecolors(colours)
        for key, mask in resident_roles(model).items():
            self.roles[key].set_offsets(lay.pos[drawn[mask[drawn]]])
        if selected is not None and 0 <= selected < self.n:
            self.selected.set_offsets(lay.pos[[selected]])
        else:
            self.selected.set_offsets(np.zeros((0, 2)))
        self._update_hubs(model)
        label = SHADE_STATES[shade].label.lower()
        if self.sampled:
            self.title.set_text(
                f"Day {model.day}: {pop.n:,} residents, {model.ties.m // 2:,} ties; drawn: a "
                f"fixed sample of {len(drawn):,}\nbands: all ties across sections; dot size: "
                f"{label}")
        else:
            self.title.set_text(f"Day {model.day}: {pop.n:,} residents, "
                                f"{model.ties.m // 2:,} ties\nDot size: {label}")

    def _update_ties(self, model) -> None:
        ties, pos = model.ties, self.layout.pos
        half = ties.src < ties.dst
        if self.sampled:
            inside = np.zeros(self.n, dtype=bool)
            inside[self.drawn] = True
            keep = np.flatnonzero(half & inside[ties.src] & inside[ties.dst])
            self._update_bands(model, half)
        else:
            keep = np.flatnonzero(half)
        if len(keep) > MAX_DRAWN_TIES:
            keep = np.sort(self._tie_sample.choice(keep, MAX_DRAWN_TIES, replace=False))
        segs = np.stack([pos[ties.src[keep]], pos[ties.dst[keep]]], axis=1)
        bridging = ties.bridging[keep]
        self.bonding.set_segments(segs[~bridging])
        self.bridging.set_segments(segs[bridging])
        self._ties_src = ties.src

    def _update_bands(self, model, half) -> None:
        """One band per pair of sections, as wide as the number of ties between them."""
        ties, sec = model.ties, np.asarray(model.pop.section, dtype=np.int64)
        across = half & ties.bridging
        a, b = sec[ties.src[across]], sec[ties.dst[across]]
        k = len(self.layout.section_centre)
        counts = np.bincount(np.minimum(a, b) * k + np.maximum(a, b), minlength=k * k)
        segs, widths = [], []
        top = max(int(counts.max(initial=0)), 1)
        for label in self.band_labels:
            label.remove()
        self.band_labels = []
        centre, radius = self.layout.section_centre, self.layout.section_radius
        for i in range(k):
            for j in range(i + 1, k):
                c = counts[i * k + j]
                if not c:
                    continue
                a, b = centre[i], centre[j]
                gap = (b - a) / max(np.hypot(*(b - a)), 1e-9)
                # from the edge of one region to the edge of the other: the gap between them
                segs.append([a + gap * radius[i] * 0.8, b - gap * radius[j] * 0.8])
                widths.append(2.0 + 12.0 * c / top)
                mid = (a + gap * radius[i] + b - gap * radius[j]) / 2
                self.band_labels.append(self.ax.annotate(
                    f"{c:,} ties", xy=tuple(mid), xytext=(0, 0), textcoords="offset points",
                    ha="center", va="center", fontsize=8.5,
                    color=BRIDGING_TEXT, zorder=9,
                    bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none",
                          "alpha": 0.85}))
        self.bands.set_segments(segs)
        self.bands.set_linewidths(widths)
        # the counts keep off the section names (drawn first, where they are) and the hubs
        renderer = self.fig.canvas.get_renderer()
        keep_apart(self.band_labels, [t.get_window_extent(renderer)
                                      for t in self.section_labels] + self._hub_boxes(),
                   renderer, self.fig.bbox)

    def _update_hubs(self, model) -> None:
        hubs = model.hubs
        if hubs.n != len(self.layout.hub_pos):  # an intervention opened a hub: place it
            self._add_hub_positions(model)
        today = model.today
        where = today.hub_visits if today is not None and today.hub_visits is not None else None
        if where is not None and (where >= 0).any():
            who = np.flatnonzero(where >= 0)
            if self.sampled:
                who = np.intersect1d(who, self.drawn, assume_unique=True)
            segs = np.stack([self.layout.pos[who], self.layout.hub_pos[where[who]]], axis=1)
            self.visits.set_segments(segs)
        else:
            self.visits.set_segments([])
        open_now = hubs.open_today((model.day - 1) % 7) if model.day > 0 else ~hubs.closed
        face = np.array([_rgba(HUB_COLOUR) if o else _rgba(HUB_SHUT_COLOUR) for o in open_now])
        self.hubs.set_facecolors(face)
        self.hubs.set_edgecolors([_rgba("white") if o else _rgba(HUB_COLOUR)
                                  for o in open_now])
        for h, text in enumerate(self.hub_labels):
            spec = hubs.specs[h]
            state = ("closed for good" if hubs.closed[h] else
                     f"{int(hubs.visitors_today[h])} visitors" if open_now[h] else "shut today")
            text.set_text(f"{hub_words(spec.name)}: {state}")
            text.xyann = self._hub_label_home[h]
        # each below its square, moved only if it would cover another label or a hub
        renderer = self.fig.canvas.get_renderer()
        keep_apart(self.hub_labels, [t.get_window_extent(renderer) for t in
                                     (*self.section_labels, *self.band_labels)]
                   + self._hub_boxes(), renderer, self.fig.bbox)

    def _hub_boxes(self) -> list:
        """Each hub's square, in display pixels (labels keep off them)."""
        from matplotlib.transforms import Bbox

        half = np.sqrt(HUB_MARKER_SIZE) * self.dpi / 72 / 2 + 1
        return [Bbox.from_extents(x - half, y - half, x + half, y + half)
                for x, y in self.ax.transData.transform(self.layout.hub_pos)]

    def _add_hub_positions(self, model) -> None:
        self.layout = self.layout.with_hubs_of(model)
        self.hubs.set_offsets(self.layout.hub_pos)
        for t in self.hub_labels:
            t.remove()
        self.hub_labels = self._hub_labels(model)
        for t in self.hub_labels:
            t.set_animated(True)
        self._background = None

    def png(self, model, shade: str = "trust_out", selected: int | None = None) -> bytes:
        """Update to the model's state and return the frame as PNG bytes.

        Blitting: the still parts (ties, section names) are drawn into a background only when
        the ties change (at most once a week of model time, and while a run plays fast at
        most every ``min_ties_redraw_s`` seconds); each frame restores that background and
        draws only the moving artists over it."""
        self._ties_stale |= model.ties.src is not self._ties_src
        self.update(model, shade, selected)
        canvas = self.fig.canvas
        due = time.monotonic() - self._ties_drawn_at >= self.min_ties_redraw_s
        if self._background is None or (self._ties_stale and due):
            canvas.draw()  # moving artists are 'animated': left out of the background
            self._background = canvas.copy_from_bbox(self.fig.bbox)
            self._ties_stale = False
            self._ties_drawn_at = time.monotonic()
        else:
            canvas.restore_region(self._background)
        for artist in self._moving:
            self.fig.draw_artist(artist)
        self.last_png = encode_png(canvas)
        return self.last_png

    # -- picking -------------------------------------------------------------------------
    def resident_at(self, fx: float, fy: float, *, max_px: float = PICK_RADIUS_PX) -> int | None:
        """The drawn resident nearest a click at (``fx``, ``fy``), fractions of the picture's
        width and height from its top left; None when none is within ``max_px`` pixels (of
        the picture as drawn, before any scaling by the page)."""
        if self._pixels is None:
            self._pixels = self.ax.transData.transform(self.layout.pos[self.drawn])
        w, h = self.fig.canvas.get_width_height()
        px, py = fx * w, (1.0 - fy) * h  # image rows count down, display pixels up
        d = np.hypot(self._pixels[:, 0] - px, self._pixels[:, 1] - py)
        k = int(np.argmin(d)) if len(d) else -1
        if k < 0 or d[k] > max_px:
            return None
        return int(self.drawn[k])



def hub_words(name: str) -> str:
    """A hub's name as the picture says it: in words ("community_space" -> "community
    space"; a user check read the file's internal name over the new hub)."""
    return " ".join(name.replace("_", " ").split())


def keep_apart(labels, taken: list, renderer, within=None) -> list:
    """Move each of ``labels`` (annotations placed by an offset in points, ``xyann``) the
    least way from where it is, down, up, then sideways, in steps of
    :data:`LABEL_NUDGE_PT`, until its box overlaps none of ``taken`` (display boxes) nor a
    label placed before it, and stays inside ``within`` (the figure's box); a label with no
    free place near stays where it was put. Returns ``taken`` with the labels' boxes."""
    taken = list(taken)
    for label in labels:
        if not label.get_text():
            continue
        home = tuple(label.xyann)
        for dx, dy in _nudges():
            label.xyann = (home[0] + dx, home[1] + dy)
            box = label.get_window_extent(renderer).padded(LABEL_GAP_PX)
            inside = within is None or (box.x0 >= within.x0 and box.x1 <= within.x1
                                        and box.y0 >= within.y0 and box.y1 <= within.y1)
            if inside and not any(box.overlaps(other) for other in taken):
                break
        else:
            label.xyann = home
            box = label.get_window_extent(renderer).padded(LABEL_GAP_PX)
        taken.append(box)
    return taken


def _nudges():
    yield 0, 0
    for k in range(1, LABEL_NUDGES + 1):
        yield 0, -k * LABEL_NUDGE_PT
        yield 0, k * LABEL_NUDGE_PT
    for k in range(1, LABEL_NUDGES + 1):
        for dy in range(-LABEL_NUDGES, LABEL_NUDGES + 1):
            yield -2 * k * LABEL_NUDGE_PT, dy * LABEL_NUDGE_PT
            yield 2 * k * LABEL_NUDGE_PT, dy * LABEL_NUDGE_PT


def _rgba(colour: str) -> tuple[float, float, float, float]:
    from matplotlib.colors import to_rgba

    return to_rgba(colour)
