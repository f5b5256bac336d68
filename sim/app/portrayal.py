"""How the community is drawn: a fixed layout per community and one reused matplotlib figure.

The layout is computed once per community (:func:`compute_layout`): each section gets its own
round region, placed around a circle, and residents sit inside their section's region, pulled
towards the residents they have ties with by a few rounds of neighbour averaging (cheap, linear
in the number of ties; a spring layout takes seconds at 1,000 residents and minutes at 10,000,
PLATFORM-NOTES). Hubs sit in the region of the section they belong to, or in the middle for a
place on the boundary between sections.

Each frame (:class:`NetworkView`) updates the artists of one figure in place, never building a
new one: one ``LineCollection`` for bonding ties, one for bridging ties, one for today's hub
visits, one ``scatter`` for the residents whose colours and sizes change, and small overlays for
roles and the selected resident; then the figure is written as PNG bytes.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import numpy as np
import PIL.Image
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from sim.params import ORIENTATIONS

# orientation colours (colour-blind-safe Okabe-Ito palette; unaligned in grey)
ORIENTATION_COLOURS = {
    "traditional": "#0072B2",
    "activist": "#D55E00",
    "rescuer": "#E69F00",
    "empathic": "#009E73",
    "unaligned": "#A0A0A0",
}
ORIENTATION_LABELS = {
    "traditional": "Traditional",
    "activist": "Activist",
    "rescuer": "Rescuer",
    "empathic": "Empathic",
    "unaligned": "Unaligned",
}
BONDING_COLOUR = "#B8B8B8"
BRIDGING_COLOUR = "#7B3294"
HUB_COLOUR = "#222222"
VISIT_COLOUR = "#E7298A"
SELECTED_COLOUR = "#E4002B"


@dataclass(frozen=True)
class ShadeState:
    """A resident state the user can pick to size the dots by."""

    name: str  # array in model.pop
    label: str  # plain words
    doc: str  # one sentence for a tooltip


SHADE_STATES: dict[str, ShadeState] = {
    s.name: s
    for s in (
        ShadeState("trust_out", "Trust in other groups",
                   "How much the resident trusts people from other sections (0 none, 1 full)."),
        ShadeState("trust_in", "Trust in own group",
                   "How much the resident trusts people from their own section (0 none, 1 full)."),
        ShadeState("need", "Outstanding need",
                   "How much unmet need the resident has right now (0 none, 1 a lot)."),
        ShadeState("strain", "Strain from helping",
                   "How heavily helping weighs on the resident (past 0.5 it is too much, and "
                   "they may step back)."),
        ShadeState("loneliness", "Loneliness",
                   "How lonely the resident feels (0 not at all, 1 always)."),
    )
}
DOT_SIZE_MIN = 4.0  # points^2 at state 0
DOT_SIZE_RANGE = 70.0  # added at state 1
LAYOUT_ROUNDS = 25  # rounds of neighbour averaging
SECTION_RING_RADIUS = 1.0  # distance of section regions from the middle
MAX_DRAWN_TIES = 40_000  # above this, a fixed random sample of ties is drawn (readability, speed)


@dataclass(eq=False)
class Layout:
    """Where everything sits; fixed for the life of one community."""

    pos: np.ndarray  # (n, 2) resident positions
    section_centre: np.ndarray  # (n_sections, 2)
    section_radius: np.ndarray  # (n_sections,)
    hub_pos: np.ndarray  # (n_hubs, 2)


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
    hub_pos = _hub_positions(model, names, centre, radius)
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


def _hub_positions(model, names, centre, radius) -> np.ndarray:
    hubs = model.hubs
    pos = np.zeros((hubs.n, 2))
    by_place: dict[int, list[int]] = {}
    for h in range(hubs.n):
        by_place.setdefault(int(hubs.location[h]), []).append(h)
    for loc, members in by_place.items():
        if loc < 0:  # the boundary: the middle, between the sections
            base, spread = np.zeros(2), 0.12
        else:  # in the middle of its section's region: visits radiate from it
            base, spread = centre[loc], 0.15 * radius[loc] / max(radius.max(), 1e-9)
        for j, h in enumerate(members):
            offset = (j - (len(members) - 1) / 2) * spread
            pos[h] = base + np.array([offset, 0.0])
    return pos


def legend_handles() -> list:
    """Legend entries: orientations, roles, hubs and the two kinds of tie."""
    dot = {"marker": "o", "linestyle": "none", "markersize": 7}
    items = [Line2D([], [], color=ORIENTATION_COLOURS[o], label=ORIENTATION_LABELS[o], **dot)
             for o in ORIENTATIONS]
    items += [
        Line2D([], [], marker="D", linestyle="none", markersize=8, markerfacecolor="none",
               markeredgecolor="black", label="Bridge figure"),
        Line2D([], [], marker="*", linestyle="none", markersize=10, color="#000000",
               label="Organiser"),
        Line2D([], [], marker="^", linestyle="none", markersize=8, markerfacecolor="none",
               markeredgecolor="#0B6E4F", markeredgewidth=1.5, label="Critical friend"),
        Line2D([], [], marker="s", linestyle="none", markersize=10, color=HUB_COLOUR,
               label="Hub (open)"),
        Line2D([], [], color=BONDING_COLOUR, linewidth=1.5, label="Bonding tie (same group)"),
        Line2D([], [], color=BRIDGING_COLOUR, linewidth=1.5, label="Bridging tie (across)"),
        Line2D([], [], color=VISIT_COLOUR, linewidth=1.5, label="Visiting a hub today"),
        Line2D([], [], marker="o", linestyle="none", markersize=6, color="#CCCCCC",
               markeredgecolor="#999999", label="Withdrawn (burnt out)"),
    ]
    return items


class NetworkView:
    """One figure for one community, redrawn in place each frame.

    ``view = NetworkView(model)``; after each step ``view.png(shade="need", selected=12)``.
    A new community (reset) needs a new view: the layout belongs to the community."""

    def __init__(self, model, *, width_in: float = 7.0, dpi: int = 90, layout_seed: int = 0):
        self.layout = compute_layout(model, seed=layout_seed)
        self.n = model.pop.n
        self.dpi = dpi
        self.fig = Figure(figsize=(width_in, width_in * 0.8), dpi=dpi)
        FigureCanvasAgg(self.fig)
        self.ax = self.fig.add_axes((0.0, 0.0, 0.72, 1.0))
        self.ax.set_aspect("equal")
        self.ax.axis("off")
        lay = self.layout
        allpts = np.vstack([lay.pos, lay.hub_pos]) if len(lay.hub_pos) else lay.pos
        lo, hi = allpts.min(axis=0) - 0.12, allpts.max(axis=0) + 0.12
        hi[1] += 0.25  # room for the section names and the title above the regions
        self.ax.set_xlim(lo[0], hi[0])
        self.ax.set_ylim(lo[1], hi[1])
        self._tie_sample = np.random.default_rng(layout_seed)
        # ties are drawn without antialiasing: half the drawing time, barely visible at this size
        self.bonding = LineCollection([], colors=BONDING_COLOUR, linewidths=0.6, alpha=0.7,
                                      antialiaseds=False, zorder=1)
        self.bridging = LineCollection([], colors=BRIDGING_COLOUR, linewidths=0.5, alpha=0.18,
                                       antialiaseds=False, zorder=2)
        self.visits = LineCollection([], colors=VISIT_COLOUR, linewidths=1.3, alpha=0.95,
                                     zorder=3)
        for c in (self.bonding, self.bridging, self.visits):
            self.ax.add_collection(c)
        self.dots = self.ax.scatter(lay.pos[:, 0], lay.pos[:, 1], s=10, zorder=4,
                                    linewidths=0.3, edgecolors="#555555")
        self.colours = np.array([_rgba(ORIENTATION_COLOURS[o]) for o in ORIENTATIONS])
        self.withdrawn_colour = np.array(_rgba("#DDDDDD"))
        empty = np.zeros((0, 2))
        self.bridges = self.ax.scatter(empty[:, 0], empty[:, 1], s=48, marker="D",
                                       facecolors="none", edgecolors="black", linewidths=0.9,
                                       zorder=5)
        self.organisers = self.ax.scatter(empty[:, 0], empty[:, 1], s=90, marker="*",
                                          color="black", zorder=6)
        self.friends = self.ax.scatter(empty[:, 0], empty[:, 1], s=60, marker="^",
                                       facecolors="none", edgecolors="#0B6E4F", linewidths=1.3,
                                       zorder=6)
        self.selected = self.ax.scatter(empty[:, 0], empty[:, 1], s=260, marker="o",
                                        facecolors="none", edgecolors=SELECTED_COLOUR,
                                        linewidths=2.2, zorder=8)
        self.hubs = self.ax.scatter(lay.hub_pos[:, 0], lay.hub_pos[:, 1], s=220, marker="s",
                                    color=HUB_COLOUR, edgecolors="white", linewidths=1.5,
                                    zorder=7)
        self.hub_labels = [
            self.ax.annotate("", xy=tuple(p), xytext=(0, -16), textcoords="offset points",
                             ha="center", va="top", fontsize=7.5, zorder=9,
                             bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "none",
                                   "alpha": 0.8})
            for p in lay.hub_pos
        ]
        for k, name in enumerate(model.pop.section_names):
            c, r = lay.section_centre[k], lay.section_radius[k]
            self.ax.annotate(name.replace("_", " "), xy=(c[0], c[1] + r + 0.03), ha="center",
                             va="bottom", fontsize=9, color="#333333", zorder=9)
        self.title = self.fig.text(0.01, 0.985, "", fontsize=10, ha="left", va="top")
        self.fig.legend(handles=legend_handles(), loc="center left",
                        bbox_to_anchor=(0.72, 0.5), fontsize=7.5, frameon=False,
                        title="Legend", title_fontsize=8.5)
        self._ties_src = None
        self._background = None
        self.last_png: bytes = b""
        for artist in self._moving:
            artist.set_animated(True)

    @property
    def _moving(self) -> list:
        """Artists that change every frame, in drawing order (the rest is background)."""
        return [self.visits, self.dots, self.bridges, self.organisers, self.friends, self.hubs,
                *self.hub_labels, self.selected, self.title]

    # -- per frame ------------------------------------------------------------------------
    def update(self, model, shade: str = "trust_out", selected: int | None = None) -> None:
        """Move every artist to the model's current state (no new artists)."""
        pop, lay = model.pop, self.layout
        if model.ties.src is not self._ties_src:  # ties merged since the last frame
            self._update_ties(model.ties)
        value = np.clip(np.asarray(getattr(pop, shade), dtype=float), 0.0, 1.0)
        self.dots.set_sizes(DOT_SIZE_MIN + DOT_SIZE_RANGE * value)
        colours = self.colours[pop.orientation].copy()
        withdrawn = pop.withdrawn_until > model.day
        colours[withdrawn] = self.withdrawn_colour
        self.dots.set_facecolors(colours)
        self.bridges.set_offsets(lay.pos[pop.is_bridge])
        self.organisers.set_offsets(lay.pos[pop.is_organiser])
        self.friends.set_offsets(lay.pos[pop.is_critical_friend])
        if selected is not None and 0 <= selected < self.n:
            self.selected.set_offsets(lay.pos[[selected]])
        else:
            self.selected.set_offsets(np.zeros((0, 2)))
        self._update_hubs(model)
        label = SHADE_STATES[shade].label.lower()
        self.title.set_text(f"Day {model.day}: {pop.n:,} residents, {model.ties.m // 2:,} ties;"
                            f" dot size = {label}")

    def _update_ties(self, ties) -> None:
        half = np.flatnonzero(ties.src < ties.dst)
        if len(half) > MAX_DRAWN_TIES:
            half = np.sort(self._tie_sample.choice(half, MAX_DRAWN_TIES, replace=False))
        pos = self.layout.pos
        segs = np.stack([pos[ties.src[half]], pos[ties.dst[half]]], axis=1)
        bridging = ties.bridging[half]
        self.bonding.set_segments(segs[~bridging])
        self.bridging.set_segments(segs[bridging])
        self._ties_src = ties.src

    def _update_hubs(self, model) -> None:
        hubs = model.hubs
        if hubs.n != len(self.layout.hub_pos):  # an intervention opened a hub: place it
            self._add_hub_positions(model)
        today = model.today
        where = today.hub_visits if today is not None and today.hub_visits is not None else None
        if where is not None and (where >= 0).any():
            who = np.flatnonzero(where >= 0)
            segs = np.stack([self.layout.pos[who], self.layout.hub_pos[where[who]]], axis=1)
            self.visits.set_segments(segs)
        else:
            self.visits.set_segments([])
        open_now = hubs.open_today((model.day - 1) % 7) if model.day > 0 else ~hubs.closed
        face = np.array([_rgba(HUB_COLOUR) if o else _rgba("#FFFFFF") for o in open_now])
        self.hubs.set_facecolors(face)
        self.hubs.set_edgecolors([_rgba("white") if o else _rgba(HUB_COLOUR)
                                  for o in open_now])
        for h, text in enumerate(self.hub_labels):
            spec = hubs.specs[h]
            state = ("closed for good" if hubs.closed[h] else
                     f"{int(hubs.visitors_today[h])} visitors" if open_now[h] else "shut today")
            text.set_text(f"{spec.name}: {state}")

    def _add_hub_positions(self, model) -> None:
        names = list(model.pop.section_names)
        lay = self.layout
        self.layout = Layout(lay.pos, lay.section_centre, lay.section_radius,
                             _hub_positions(model, names, lay.section_centre,
                                            lay.section_radius))
        self.hubs.set_offsets(self.layout.hub_pos)
        for t in self.hub_labels:
            t.remove()
        self.hub_labels = [
            self.ax.annotate("", xy=tuple(p), xytext=(0, -16), textcoords="offset points",
                             ha="center", va="top", fontsize=7.5, zorder=9)
            for p in self.layout.hub_pos
        ]
        for t in self.hub_labels:
            t.set_animated(True)
        self._background = None

    def png(self, model, shade: str = "trust_out", selected: int | None = None) -> bytes:
        """Update to the model's state and return the frame as PNG bytes.

        Blitting: the still parts (ties, section names, legend) are drawn into a background
        only when the ties change (at most once a week of model time); each frame restores
        that background and draws only the moving artists over it."""
        ties_changed = model.ties.src is not self._ties_src
        self.update(model, shade, selected)
        canvas = self.fig.canvas
        if ties_changed or self._background is None:
            canvas.draw()  # moving artists are 'animated': left out of the background
            self._background = canvas.copy_from_bbox(self.fig.bbox)
        else:
            canvas.restore_region(self._background)
        for artist in self._moving:
            self.fig.draw_artist(artist)
        self.last_png = _encode_png(canvas)
        return self.last_png

    def nearest_resident(self, x: float, y: float) -> int:
        """The resident drawn nearest to a point in layout coordinates (for picking)."""
        d = np.hypot(self.layout.pos[:, 0] - x, self.layout.pos[:, 1] - y)
        return int(np.argmin(d))


def _rgba(colour: str) -> tuple[float, float, float, float]:
    from matplotlib.colors import to_rgba

    return to_rgba(colour)


# ---------------------------------------------------------------------------------------------
# Live charts of the core metrics
# ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Panel:
    """One small chart: a title and the metrics drawn in it (one line each)."""

    title: str
    metrics: tuple[str, ...]


LIVE_PANELS = (
    Panel("Trust: own group (blue), others (orange)",
          ("trust_in_group", "trust_out_group")),
    Panel("Needs that reach someone", ("help_seeking_rate",)),
    Panel("Unmet need (a week or more)", ("unmet_need",)),
    Panel("Burnt out, per 1,000 residents", ("burnout_per_1000",)),
    Panel("Resentful", ("resentment_share",)),
    Panel("Lonely often or always", ("loneliness_share",)),
)
LINE_COLOURS = ("#0072B2", "#D55E00")
WINDOW_COLOURS = ("#F0E442", "#56B4E9", "#CC79A7", "#009E73", "#E69F00", "#999999")
NICE_TOPS = (0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1.0)  # y-axis tops, shares
MIN_DAYS_SHOWN = 60


def percent_unit(unit: str) -> str:
    """'share of residents' -> '% of residents' (charts show shares as percentages)."""
    return "% of " + unit[len("share of "):] if unit.startswith("share of ") else unit


def intervention_windows(interventions, days: int) -> list[tuple[str, float, float]]:
    """(label, first day, last day) of each intervention's active window, clipped to ``days``.

    Uses ``window(days)`` where an intervention offers it, else ``start_day``/``end_day``."""
    out = []
    for iv in interventions:
        label = str(getattr(iv, "label", None) or getattr(iv, "name", type(iv).__name__))
        if hasattr(iv, "window"):
            start, end = iv.window(days)
        else:
            start = getattr(iv, "start_day", 0)
            end = getattr(iv, "end_day", None)
        end = days if end is None else min(end, days)
        out.append((label, float(start), float(end)))
    return out


class MetricChartsView:
    """The live charts: one reused figure, lines updated in place, blitted like the network.

    The still parts (axes, ticks, intervention windows) are redrawn only when an axis has to
    grow (days past the right edge, values past the top)."""

    def __init__(self, registry, interventions=(), *, panels=LIVE_PANELS,
                 width_in: float = 6.0, dpi: int = 90):
        self.registry = registry
        self.panels = panels
        self.interventions = list(interventions)
        self.dpi = dpi
        rows = (len(panels) + 1) // 2
        self.fig = Figure(figsize=(width_in, 1.55 * rows + 0.5), dpi=dpi)
        FigureCanvasAgg(self.fig)
        self.axes = self.fig.subplots(rows, 2, squeeze=False).ravel()
        top = 0.86 if interventions else 0.93  # room for the interventions' key
        self.fig.subplots_adjust(left=0.1, right=0.98, top=top, bottom=0.1, hspace=0.75,
                                 wspace=0.3)
        self.lines: list[list] = []
        self.tops = [NICE_TOPS[0]] * len(panels)
        self.x_max = MIN_DAYS_SHOWN
        for ax, panel in zip(self.axes, panels, strict=False):
            ax.set_title(panel.title, fontsize=9, loc="left")
            unit = percent_unit(registry[panel.metrics[0]].unit)
            ax.set_ylabel(unit, fontsize=7)
            ax.tick_params(labelsize=7)
            ax.grid(alpha=0.3)
            lines = []
            for j, name in enumerate(panel.metrics):
                (line,) = ax.plot([], [], color=LINE_COLOURS[j % 2], lw=1.4,
                                  label=registry[name].label, animated=True)
                lines.append(line)
            self.lines.append(lines)
        for ax in self.axes[len(panels):]:
            ax.axis("off")
        self.axes[len(panels) - 1].set_xlabel("day", fontsize=7)
        self.axes[len(panels) - 2].set_xlabel("day", fontsize=7)
        self.windows = []
        self._background = None
        self._limits_changed = True
        self.last_png = b""

    def _draw_windows(self, days: int) -> None:
        for artist in self.windows:
            artist.remove()
        self.windows = []
        wins = intervention_windows(self.interventions, days)
        for k, (label, start, end) in enumerate(wins):
            colour = WINDOW_COLOURS[k % len(WINDOW_COLOURS)]
            for i, ax in enumerate(self.axes[: len(self.panels)]):
                span = ax.axvspan(start, end, color=colour, alpha=0.25, lw=0,
                                  label=label if i == 0 else None)
                self.windows.append(span)
        if wins:
            self.windows.append(self.fig.legend(
                handles=[a for a in self.windows if a.get_label() and
                         not a.get_label().startswith("_")],
                loc="upper left", bbox_to_anchor=(0.0, 1.0), fontsize=7.5,
                ncols=min(len(wins), 3), frameon=False, alignment="left",
                title="Shaded: when each intervention is active", title_fontsize=7.5))

    def update(self, frame) -> None:
        """Set the lines to a metrics table (``model.metrics.frame()`` or anything with the
        metric columns and a ``day`` index)."""
        days = np.asarray(frame.index, dtype=float)
        last = days[-1] if len(days) else 0
        if last > self.x_max:
            self.x_max = int(max(last * 1.5, self.x_max * 2))
            self._limits_changed = True
        for i, panel in enumerate(self.panels):
            top = 0.0
            for line, name in zip(self.lines[i], panel.metrics, strict=True):
                values = np.asarray(frame[name], dtype=float) * 100.0
                line.set_data(days, values)
                if np.isfinite(values).any():
                    top = max(top, float(np.nanmax(values)) / 100.0)
            nice = next((t for t in NICE_TOPS if top <= t * 0.98), NICE_TOPS[-1])
            if nice > self.tops[i]:
                self.tops[i] = nice
                self._limits_changed = True

    def png(self, frame) -> bytes:
        self.update(frame)
        canvas = self.fig.canvas
        if self._limits_changed or self._background is None:
            for ax, top in zip(self.axes, self.tops, strict=False):
                ax.set_xlim(0, self.x_max)
                ax.set_ylim(0, top * 100.0)
            self._draw_windows(self.x_max)
            canvas.draw()
            self._background = canvas.copy_from_bbox(self.fig.bbox)
            self._limits_changed = False
        else:
            canvas.restore_region(self._background)
        for ax, lines in zip(self.axes, self.lines, strict=False):
            for line in lines:
                ax.draw_artist(line)
        self.last_png = _encode_png(canvas)
        return self.last_png


def _encode_png(canvas) -> bytes:
    """The canvas as PNG bytes, with fast compression (the default level is 3x slower)."""
    image = PIL.Image.frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba(),
                                 "raw", "RGBA", 0, 1)
    buf = io.BytesIO()
    image.convert("RGB").save(buf, format="png", compress_level=1)
    return buf.getvalue()
