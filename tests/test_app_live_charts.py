"""The live page's charts fit their axes to the data and count harms per 1,000 residents."""

from __future__ import annotations

import numpy as np
import pytest

from sim.app.live_charts import LIVE_PANELS, LiveCharts, fit_range, to_shown
from sim.app.session import LiveSession
from tests.app_scenarios import organisers_setup as setup


def test_axes_fit_the_data():
    lo, hi = fit_range(41.2, 43.9, min_span=2.0, ceiling=100.0)
    assert lo <= 41.2 and hi >= 43.9 and hi - lo <= 6  # not 0-100
    assert fit_range(0.0, 0.0, min_span=4.0) == (0.0, 4.0)  # a flat zero: a small axis
    lo, hi = fit_range(97.0, 99.5, min_span=2.0, ceiling=100.0)
    assert hi == 100.0 and lo < 97.0


def test_harms_are_counted_per_1000_residents():
    """Strain and burnout per 1,000 residents, as the report and the differences table
    count them (a user check: the table said "4.0 per 1,000" beside a chart counting people);
    the resentful beside them in the same unit, whatever the community's size (they were
    counted as people: 2% of 2,000 read as twice 2% of 1,000)."""
    for name in ("burnout_per_1000", "strained_per_1000", "resentment_share"):
        panel = next(p for p in LIVE_PANELS if p.metrics == (name,))
        assert panel.scale == "per_1000" and panel.unit == "per 1,000", name
        assert panel.title.endswith(", per 1,000 residents"), panel.title
    for name in ("burnout_per_1000", "strained_per_1000"):
        panel = next(p for p in LIVE_PANELS if p.metrics == (name,))
        # recorded per 1,000 residents: 3 per 1,000 is 3 per 1,000
        assert to_shown(np.array([3.0]), panel, name)[0] == pytest.approx(3.0)
    resentful = next(p for p in LIVE_PANELS if p.metrics == ("resentment_share",))
    # recorded as a share of residents: 2% is 20 per 1,000
    assert to_shown(np.array([0.02]), resentful, "resentment_share")[0] == \
        pytest.approx(20.0)
    session = LiveSession(setup(), seed=3)
    session.step(20)
    charts: LiveCharts = session.charts
    charts.png(session.model.metrics, session.ghost.metrics)
    for panel, lim in zip(charts.panels, charts.ylim, strict=True):
        lines = charts.lines[charts.panels.index(panel)]
        for line in lines:
            y = line.get_ydata()
            assert lim[0] <= np.nanmin(y) and np.nanmax(y) <= lim[1], panel.title
        if panel.scale == "percent":
            assert lim[1] - lim[0] < 100 or np.nanmax(y) - np.nanmin(y) > 60


def test_a_line_that_reaches_the_top_of_its_axis_grows_it():
    """QA: four people burnt out, on an axis of 0 to 4 made when there were two, drew the
    line along the chart's top edge. Data that reach the top of an axis grow it (unless the
    top is the ceiling: 100% or 1,000 per 1,000); data inside it keep it."""
    from types import SimpleNamespace

    def table(value):
        days = np.arange(1.0, 11.0)
        return SimpleNamespace(days=days, n_rows=len(days),
                               column=lambda name: np.full(len(days), value))

    charts = LiveCharts([m for p in LIVE_PANELS for m in p.metrics], [], run_days=730)
    burnout = next(i for i, p in enumerate(charts.panels) if p.metrics == ("burnout_per_1000",))
    charts.update(table(2.0))
    assert charts.ylim[burnout] == (0.0, 4.0)
    charts.update(table(3.5))
    assert charts.ylim[burnout] == (0.0, 4.0)  # inside: kept
    charts.update(table(4.0))
    assert charts.ylim[burnout][1] > 4.0


@pytest.mark.parametrize("columns", [2, 1])
def test_the_key_above_the_charts_never_runs_into_them(columns):
    # the critical friend's scenario runs six programmes: the key of their windows takes
    # several lines, and the charts must start below it (QA: the third line ran over the
    # first row of titles), on a wide screen and on a phone
    from sim.scenario.loader import load_scenario
    from tests.app_scenarios import ROOT

    scenario = load_scenario(ROOT / "scenarios" / "critical_friend.toml")
    session = LiveSession(scenario.with_overrides(residents=200), seed=1)
    session.step(3)
    charts = LiveCharts(session.model.metrics.columns, scenario.interventions,
                        run_days=730, columns=columns)
    charts.png(session.model.metrics, session.ghost.metrics)
    renderer = charts.fig.canvas.get_renderer()
    key = charts.key.get_window_extent(renderer)
    assert charts.key.get_text().count("\n") >= 2
    for ax in charts.axes[: len(charts.panels)]:
        assert ax.title.get_window_extent(renderer).y1 <= key.y0, ax.get_title()
    assert key.x1 <= charts.fig.bbox.x1  # no line runs past the figure's edge


def test_overlapping_programmes_are_shaded_once_in_one_tint():
    """QA: the critical friend's six programmes overlap, and their tints stacked into
    colours the key does not name. As in the report, the days any programme runs are shaded
    once, in one tint."""
    from matplotlib.colors import to_rgba

    from sim.report.chart_parts import WINDOW_TINT, window_spans
    from sim.scenario.loader import load_scenario
    from tests.app_scenarios import ROOT

    scenario = load_scenario(ROOT / "scenarios" / "critical_friend.toml")
    session = LiveSession(scenario.with_overrides(residents=200), seed=1)
    session.step(3)
    charts = LiveCharts(session.model.metrics.columns, scenario.interventions,
                        run_days=730)
    charts.png(session.model.metrics, session.ghost.metrics)
    wins = [(iv.label, *iv.window(730)) for iv in scenario.interventions]
    assert len(wins) == 6 and len(window_spans(wins, 730)) == 1
    for ax in charts.axes[: len(charts.panels)]:
        spans = [p for p in ax.patches if p in charts.windows]
        assert len(spans) == 1
        assert spans[0].get_facecolor()[:3] == to_rgba(WINDOW_TINT)[:3]
    assert "Shaded: a programme is running" in charts.key.get_text()


@pytest.mark.parametrize("columns", [2, 1])
def test_every_title_fits_over_its_chart(columns):
    """A user check: "Trust own group (blue), other groups (orang" at the default width. A
    title wider than its chart is wrapped onto two lines, with room made for them: every
    title stays within its chart's width and the figure, and clear of the chart above it
    and of the key."""
    session = LiveSession(setup(), seed=3, narrow=columns == 1)
    session.step(5)
    charts: LiveCharts = session.charts
    charts.png(session.model.metrics, session.ghost.metrics)
    renderer = charts.fig.canvas.get_renderer()
    fig_box = charts.fig.bbox
    used = charts.axes[:len(charts.panels)]
    key_box = charts.key.get_window_extent(renderer)
    assert any("\n" in ax.get_title(loc="left") for ax in used) == (columns == 2)
    for i, (ax, title) in enumerate(zip(used, charts.titles, strict=True)):
        box = title.get_window_extent(renderer)
        frame = ax.get_window_extent(renderer)
        assert box.x1 <= frame.x1 + 1 and box.x0 >= fig_box.x0, ax.get_title(loc="left")
        assert box.y1 <= fig_box.y1 and not box.overlaps(key_box), ax.get_title(loc="left")
        above = i - columns
        if above >= 0:  # clear of the chart above, its tick labels included
            assert box.y1 < used[above].get_tightbbox(renderer).y0, ax.get_title(loc="left")


@pytest.mark.parametrize("columns, shown_px", [(2, 500), (1, 374)])
def test_the_charts_text_is_readable_where_the_page_draws_them(columns, shown_px):
    # a user check measured the live charts' axis labels and key at about 7 px at 1,400 px
    # wide (the picture scaled to a column of about 500 px; a phone's about 374 px): every
    # text is at least 10.5 px there, and each axis's label fits beside its chart
    charts = LiveCharts([m for p in LIVE_PANELS for m in p.metrics], [], run_days=730,
                        columns=columns)
    from types import SimpleNamespace

    days = np.arange(1.0, 11.0)
    charts.png(SimpleNamespace(days=days, n_rows=len(days),
                               column=lambda name: np.full(len(days), 3.0)), None)
    fig = charts.fig
    canvas_w = fig.get_size_inches()[0] * fig.dpi
    scale = min(1.0, shown_px / canvas_w)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    texts = [t for ax in charts.axes for t in (ax.xaxis.label, ax.yaxis.label, ax.title,
                                               *ax.get_xticklabels(), *ax.get_yticklabels())
             if t.get_text() and t.get_visible()]
    texts += [t for t in fig.texts if t.get_text()]
    for t in texts:
        px = t.get_fontsize() * fig.dpi / 72 * scale
        assert px >= 10.5, (t.get_text(), round(px, 1))
    for ax in charts.axes[:len(charts.panels)]:
        label = ax.yaxis.label.get_window_extent(renderer)
        assert label.height <= ax.get_window_extent(renderer).height + 2, \
            ax.yaxis.label.get_text()
        assert label.x0 >= 0, ax.yaxis.label.get_text()
