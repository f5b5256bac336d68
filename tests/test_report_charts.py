"""What a reader must be able to see in the report's charts, drawn from small made-up tables
(no model runs): intervention windows that overlap are shaded in the one tint the legend
shows, and the interventions' counts keep their legends off the lines and every line of a
panel in a colour and style of its own."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd
import pytest

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.colors import to_rgba  # noqa: E402

from sim.report import charts  # noqa: E402
from sim.report.chart_jobs import programme_counts  # noqa: E402
from sim.report.chart_parts import WINDOW_ALPHA, WINDOW_TINT, window_spans  # noqa: E402
from sim.scenario import load_scenarios  # noqa: E402

DAYS = 200
ROOT = Path(__file__).resolve().parents[1]


def _bands(pairs: list[tuple[str, str]], level=lambda i, day: 0.4 + 0.001 * day):
    """Band rows (scenario, day, metric, median, lo, hi) for each (scenario, metric)."""
    days = np.arange(DAYS + 1)
    parts = []
    for i, (scenario, metric) in enumerate(pairs):
        median = np.array([level(i, d) for d in days], dtype=float)
        parts.append(pd.DataFrame({"scenario": scenario, "day": days, "metric": metric,
                                   "median": median, "lo": median * 0.9,
                                   "hi": median * 1.1}))
    return pd.concat(parts, ignore_index=True)


def test_window_spans_are_the_union_of_the_windows():
    windows = [("a", 10, 50), ("b", 30, 80), ("c", 120, None), ("d", 150, 170), ("e", 90, 95)]
    assert window_spans(windows, DAYS) == [(10, 80), (90, 95), (120, DAYS)]
    assert window_spans([("a", 10, 300)], DAYS) == [(10, DAYS)]
    assert window_spans([], DAYS) == []


def test_overlapping_windows_are_shaded_once_in_the_tint_the_legend_shows():
    """Three programmes whose windows overlap: one shaded span, in the legend's colour (the
    old code laid three translucent colours over each other, into shades not in the
    legend)."""
    bands = _bands([("Baseline", "trust_out_group"), ("Package", "trust_out_group")])
    windows = {"Package": [("A", 30, None), ("B", 60, 150), ("C", 90, 120)]}
    fig = charts.plot_metric(bands, "trust_out_group", baseline="Baseline", windows=windows,
                             steady=None)
    try:
        ax = fig.axes[0]
        shaded = ax.patches  # the bands are collections; the spans are the patches
        assert len(shaded) == 1
        assert (shaded[0].get_bbox().x0, shaded[0].get_bbox().x1) == (30, DAYS)
        tint = to_rgba(WINDOW_TINT, WINDOW_ALPHA)
        assert shaded[0].get_facecolor() == pytest.approx(tint)
        legend = {t.get_text(): h for t, h in zip(fig.legends[0].get_texts(),
                                                   fig.legends[0].legend_handles,
                                                   strict=True)}
        swatch = legend["intervention running (dashed: start, dotted: end)"]
        assert swatch.get_facecolor() == pytest.approx(tint)
        # each window still marks its start (dashed); the two that end before the run, dotted
        styles = sorted(line.get_linestyle() for line in ax.lines if line.get_xdata()[0] in
                        (30, 60, 90, 120, 150) and len(set(line.get_xdata())) == 1)
        assert styles == ["--", "--", "--", ":", ":"]
    finally:
        plt.close(fig)


# a combined package: six programmes, thirteen counts, several flat at zero
PACKAGE = [(f"Programme {p}", {f"p{p}_c{c}": f"count {c}" for c in range(n)})
           for p, n in enumerate([1, 2, 2, 4, 2, 2])]
SOLO = [("Solo programme", {"solo_reached": "residents reached", "solo_rounds": "rounds"})]


def test_every_count_of_a_panel_has_its_own_colour_and_line_style():
    styles = charts.count_styles(PACKAGE)
    assert len(styles) == 13 and len(set(styles.values())) == 13
    # a programme keeps one colour across its counts
    assert len({styles[n][0] for n in PACKAGE[3][1]}) == 1
    solo = charts.count_styles(SOLO)
    assert len({colour for colour, _ in solo.values()}) == 2


def test_intervention_counts_legends_sit_under_the_panels_not_over_the_lines():
    per_scenario = {"Combined package": PACKAGE, "Solo": SOLO}
    pairs = [(s, m) for s, progs in per_scenario.items() for _, counts in progs
             for m in counts]
    # alternate counts rise to a few thousand or stay at zero, as in the shipped package
    bands = _bands(pairs, level=lambda i, day: 0.0 if i % 2 else 20.0 * i * max(day - 30, 0))
    windows = {"Combined package": [("A", 30, None), ("B", 40, 150)], "Solo": [("S", 30, 90)]}
    fig = charts.plot_intervention_counts(bands, per_scenario, windows=windows, n_runs=3)
    try:
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        axes = [a for a in fig.axes if a.get_visible()]
        assert [len(a.lines) for a in axes] == [13, 2]
        plots = [a.get_tightbbox(renderer) for a in axes]  # with tick labels and titles
        legends = [leg.get_window_extent(renderer) for leg in fig.legends]
        page = fig.bbox
        for box in legends:
            assert page.x0 <= box.x0 and box.x1 <= page.x1 + 1
            assert page.y0 <= box.y0 and box.y1 <= page.y1
            assert not any(box.overlaps(p) for p in plots), "a legend covers a panel"
        assert not any(a.overlaps(b) for i, a in enumerate(legends) for b in legends[i + 1:])
        texts = [t for leg in fig.legends for t in leg.get_texts()]
        heads = [t.get_text() for t in texts if t.get_fontweight() == "bold"]
        assert heads == [label for label, _ in PACKAGE + SOLO]
        counts = [t.get_text() for t in texts if t.get_fontweight() != "bold"]
        # the count on the last day: of a line that stays at zero too
        assert {"count 0: 0", "count 1: 6,800"} <= set(counts)
        assert all(not c.startswith("Programme") for c in counts)
        # one shaded span a panel however the windows overlap
        assert [len(a.patches) for a in axes] == [1, 1]
    finally:
        plt.close(fig)


def test_a_programmes_counts_are_named_without_its_label():
    (scenario,) = load_scenarios([ROOT / "scenarios" / "critical_friend.toml"])
    for iv in scenario.interventions:
        label, counts = programme_counts(iv)
        assert label == iv.label
        assert list(counts) == [m.name for m in iv.metrics()]
        assert "residents reached" in counts.values()
        assert not any(c.startswith(label) for c in counts.values())


def test_a_closures_count_says_residents_affected_not_reached():
    """A user check: the interventions chart showed a closure with "residents reached:
    1,000"; a closure's are the residents of the hub's section who lose it."""
    (scenario,) = load_scenarios([ROOT / "scenarios" / "hub_closure.toml"])
    (closure,) = [iv for iv in scenario.interventions if iv.type_name == "hub_closure"]
    _, counts = programme_counts(closure)
    assert counts[f"{closure.name}_reached"] == "residents affected"
    assert "reached" not in " ".join(counts.values())
    (metric,) = [m for m in closure.metrics() if m.name == f"{closure.name}_reached"]
    assert "lose the hub" in metric.doc and "reached" not in metric.doc


def test_a_count_of_the_days_state_says_now_and_the_others_do_not():
    # organisers under strain or in post and residents carrying the story are counts of the
    # day; the chart's other counts (reached, conversations, challenges) are added up from
    # the start
    scenarios = load_scenarios([ROOT / "scenarios" / n
                                for n in ("critical_friend.toml", "shared_myth.toml")])
    named = {}
    for scenario in scenarios:
        for iv in scenario.interventions:
            named.update(programme_counts(iv)[1])
    now = sorted(c for c in named.values() if c.endswith(" now"))
    assert now == ["bridge figures in post now", "bridge figures under strain now",
                   "organisers in post now", "organisers under strain now",
                   "residents carrying the story now"]
    assert {"residents reached", "1:1 conversations held", "challenges taken up"} \
        <= set(named.values())


def test_a_count_that_cannot_move_beside_the_other_programmes_is_left_out():
    # "residents who joined after a 1:1" needs 1:1s that ask people to join: charted in the
    # combined package, not beside the common-cause project alone (a line at 0 for ever)
    def counts(name):
        (scenario,) = load_scenarios([ROOT / "scenarios" / name])
        return {c for iv in scenario.interventions
                for c in programme_counts(iv, scenario.interventions)[1].values()}

    assert "residents who joined after a 1:1" in counts("combined_package.toml")
    alone = counts("common_cause.toml")
    assert "residents who joined after a 1:1" not in alone
    assert "residents reached" in alone


@pytest.mark.parametrize("options", [1, 2, 3, 7])
def test_a_metric_charts_legend_fits_the_figure_under_its_caption_above_its_panels(options):
    """A user check: with one option (the commonest comparison, an area and one programme)
    the legend ran off the right edge ("intervention running (", no verdict window) and over
    the caption's last line."""
    names = [f"Option {k}" for k in range(options)]
    bands = _bands([("Baseline", "trust_out_group")]
                   + [(n, "trust_out_group") for n in names])
    windows = {n: [("A", 30, 150)] for n in names}
    fig = charts.plot_metric(bands, "trust_out_group", baseline="Baseline", windows=windows,
                             steady=(150, DAYS), n_runs=4)
    try:
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        (legend,) = fig.legends
        box = legend.get_window_extent(renderer)
        page = fig.bbox
        assert page.x0 <= box.x0 and box.x1 <= page.x1, "the legend runs off the figure"
        assert len(legend.get_texts()) == 4  # option, baseline, programme, verdicts' window
        caption = next(t for t in fig.texts if "runs per scenario" in t.get_text())
        assert caption.get_window_extent(renderer).y0 >= box.y1, "legend over the caption"
        panels = [a.get_tightbbox(renderer) for a in fig.axes if a.get_visible()]
        assert all(p.y1 <= box.y0 for p in panels), "legend over a panel or its title"
    finally:
        plt.close(fig)


@pytest.mark.parametrize("options", [1, 2])
def test_the_start_lines_of_a_package_too_big_to_label_are_named_in_the_legend(options):
    """A user check: burnout_per_1000.png's panel of the combined package had a coloured
    start line per programme, and nothing said which was which (a panel with more than
    MAX_WINDOW_LABELS programmes says only how many). The legend names each colour, with
    the option's name where two packages share the colours; it still fits."""
    from sim.palette import WINDOW_COLOURS
    from sim.report.chart_parts import MAX_WINDOW_LABELS

    package = [("Bridge figures", 90, None), ("Critical friend", 120, None),
               ("Common cause", 150, None)]
    assert len(package) > MAX_WINDOW_LABELS
    names = ["Package", "Other package"][:options]
    windows = {"Package": package, "Other package": [("One to ones", 60, 100), *package]}
    bands = _bands([("Baseline", "trust_out_group")] + [(n, "trust_out_group") for n in names])
    fig = charts.plot_metric(bands, "trust_out_group", baseline="Baseline",
                             windows={n: windows[n] for n in names}, steady=(150, DAYS),
                             n_runs=4)
    try:
        fig.canvas.draw()
        (legend,) = fig.legends
        named = {t.get_text(): h for t, h in zip(legend.get_texts(), legend.legend_handles,
                                                   strict=True)}
        for name in names:
            for i, (label, _, _) in enumerate(windows[name]):
                key = label if options == 1 else f"{name}: {label}"
                assert key in named, named
                assert to_rgba(named[key].get_color()) == to_rgba(WINDOW_COLOURS[i])
                assert named[key].get_linestyle() == "--"
        box = legend.get_window_extent(fig.canvas.get_renderer())
        assert fig.bbox.x0 <= box.x0 and box.x1 <= fig.bbox.x1 + 1
        panels = [a.get_tightbbox(fig.canvas.get_renderer()) for a in fig.axes
                  if a.get_visible()]
        assert all(p.y1 <= box.y0 for p in panels), "legend over a panel or its title"
    finally:
        plt.close(fig)


def test_a_legend_of_long_programme_names_stays_within_the_figure():
    """A user check: burnout_per_1000.png's legend ran off the right edge: four columns of
    "Combined package + critical friends: Critical friends in the teams" do not fit three
    panels' width. Its columns follow its longest label."""
    package = [("New community cafe", 90, None), ("Palatable activity at library and new "
               "cafe", 120, None), ("Bridge figures across the sections", 150, None),
               ("Organisers' 1:1 conversations", 150, None), ("Common-cause project", 180,
                                                             None)]
    names = ["Combined package", "Combined package + critical friends", "Third space"]
    windows = {"Combined package": package,
               "Combined package + critical friends": [*package, ("Critical friends in the "
                                                                  "teams", 200, None)],
               "Third space": package[:1]}
    bands = _bands([("Baseline", "trust_out_group")] + [(n, "trust_out_group") for n in names])
    fig = charts.plot_metric(bands, "trust_out_group", baseline="Baseline", windows=windows,
                             steady=(150, DAYS), n_runs=4)
    try:
        fig.canvas.draw()
        (legend,) = fig.legends
        assert any("critical friends: Critical friends in the teams" in t.get_text()
                   for t in legend.get_texts())
        box = legend.get_window_extent(fig.canvas.get_renderer())
        assert fig.bbox.x0 <= box.x0 and box.x1 <= fig.bbox.x1 + 1, (box, fig.bbox)
        panels = [a.get_tightbbox(fig.canvas.get_renderer()) for a in fig.axes
                  if a.get_visible()]
        assert all(p.y1 <= box.y0 for p in panels), "legend over a panel or its title"
    finally:
        plt.close(fig)


def test_options_named_at_the_longest_allowed_stay_in_their_rows_and_panels():
    """A user check: an option named in 79 letters (names may have 80) was wrapped to four
    lines in the forest plot, ran into the row above and off the figure's left edge, and its
    panel title in a metric chart spilled into the next panel. The forest plot's rows name
    them whole, in rows tall enough (cut short, names that differ late read alike: a second
    check); other names on charts take at most two lines; all stay inside."""
    long = "x" * 79
    spaced = "Community cafe on the boundary with palatable activity and bridge figures, yr 2"
    names = [long, spaced, "Shared myth"]
    effects = pd.DataFrame([{"scenario": n, "metric": m, "effect": 0.01 * k,
                             "effect_lo": -0.02, "effect_hi": 0.03}
                            for k, n in enumerate(names) for m in ("trust_out_group",
                                                                   "loneliness_share")])
    fig = charts.plot_effects(effects, ["trust_out_group", "loneliness_share"],
                              scenarios=["Baseline", *names], baseline="Baseline")
    try:
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        labels = [t for t in fig.axes[0].get_yticklabels() if t.get_text()]
        assert len(labels) == 3
        # each name whole (two names that differ late must not read alike: a second check)
        assert [t.get_text().replace("\n", " ").replace(long[:24] + " ", long[:24])
                for t in labels] == names
        boxes = sorted((t.get_window_extent(renderer) for t in labels), key=lambda b: b.y0)
        assert all(b.x0 >= fig.bbox.x0 for b in boxes), "a name off the figure's edge"
        assert all(lower.y1 <= upper.y0 + 1 for lower, upper in pairwise(boxes)), \
            "a name over the row above"
    finally:
        plt.close(fig)
    bands = _bands([("Baseline", "trust_out_group")] + [(n, "trust_out_group") for n in names])
    fig = charts.plot_metric(bands, "trust_out_group", baseline="Baseline", steady=(150, DAYS))
    try:
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        panels = [a for a in fig.axes if a.get_visible()]
        titles = [a.title.get_window_extent(renderer) for a in panels]
        for left, right in pairwise(titles):
            assert left.x1 <= right.x0, "a panel title over the next panel's"
        assert all(a.title.get_text().count("\n") <= 1 for a in panels)
    finally:
        plt.close(fig)


def test_a_programme_starting_near_the_runs_end_is_labelled_inside_the_panel():
    """A user check: a cafe opening on day 600 of 610 had its label cut off at the panel's
    right edge ("Late"): a start in the panel's last part is labelled to its left."""
    from sim.report.chart_parts import draw_windows

    for start in (90, 600):
        fig, ax = plt.subplots(figsize=(4, 3))
        ax.set_xlim(0, 610)
        draw_windows(ax, [("Late community cafe", start, None)], 610)
        fig.canvas.draw()
        [label] = ax.texts
        box = label.get_window_extent(fig.canvas.get_renderer())
        panel = ax.get_window_extent(fig.canvas.get_renderer())
        assert panel.x0 - 1 <= box.x0 and box.x1 <= panel.x1 + 1, (start, box, panel)
        assert label.get_ha() == ("right" if start == 600 else "left")
        plt.close(fig)
