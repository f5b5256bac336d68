"""The live page's plain-Python layers: a session runs its setup beside a ghost baseline
(same seed, same community), charts fit their data and count harms in people, the runner
paces Play and stops at the end of the run, the network view samples large communities and
maps a click to a resident, and roles come through one accessor."""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest

from sim.app import roles
from sim.app import runner as runner_mod
from sim.app.live_charts import LIVE_PANELS, LiveCharts, fit_range, to_shown
from sim.app.portrayal import SAMPLE_ABOVE, SAMPLE_SIZE, NetworkView
from sim.app.runner import Runner
from sim.app.session import LiveSession, without_interventions
from sim.interventions import OneToOnes
from sim.scenario.schema import RunSettings, Scenario


def setup(residents=400, days=60, start=10, organisers=30) -> Scenario:
    base = Scenario(name="Small").with_overrides(residents=residents, days=days)
    return Scenario(name="Small + organisers", run=base.run, model=base.model,
                    interventions=(OneToOnes(start_day=start, organisers=organisers,
                                             conversations_per_week=10.0),))


# -- the ghost baseline ---------------------------------------------------------------------


def test_the_ghost_is_the_same_community_until_the_interventions_start():
    session = LiveSession(setup(start=10), seed=4)
    assert session.ghost is not None
    alone = without_interventions(session.scenario).build_model(4)
    assert np.array_equal(session.model.pop.trust_out, session.ghost.pop.trust_out)
    session.step(9)
    alone.run_days(9)
    main, ghost = session.model.metrics, session.ghost.metrics
    for name in ("trust_out_group", "help_seeking_rate", "unmet_need"):
        assert np.array_equal(main.column(name), ghost.column(name), equal_nan=True), name
        assert np.array_equal(ghost.column(name), alone.metrics.column(name),
                              equal_nan=True), name
    assert all(d.diff == 0 and d.recent_diff == 0 for d in session.differences())
    session.step(40)  # thirty organisers at work: the two runs part
    diffs = {d.metric: d for d in session.differences()}
    assert any(d.diff != 0 for d in diffs.values())
    d = diffs["trust_out_group"]
    assert d.unit == "%" and d.value == pytest.approx(
        100 * session.model.metrics.column("trust_out_group")[-1])
    assert d.diff == pytest.approx(d.value - d.baseline)


def test_no_interventions_no_ghost():
    session = LiveSession(without_interventions(setup()), seed=1)
    assert session.ghost is None and session.differences() == []
    frame = session.render()
    assert not frame.has_ghost and frame.network_png[:4] == b"\x89PNG"


def test_a_frame_carries_what_the_page_shows():
    session = LiveSession(setup(), seed=2, label="Small + 1 change")
    session.step(3)
    frame = session.render("need", selected=5)
    assert (frame.day, frame.label, frame.n_residents, frame.run_days) == (
        3, "Small + 1 change", 400, 60)
    assert frame.selected == 5 and dict(frame.resident)["Resident number"] == "5"
    assert dict(frame.resident)["Roles"] in ("none", "Bridge figure")
    assert frame.interventions == ("One to ones: days 10-60",)
    assert session.render(selected=10_000).resident == ()


# -- charts -----------------------------------------------------------------------------------


def test_axes_fit_the_data():
    lo, hi = fit_range(41.2, 43.9, min_span=2.0, ceiling=100.0)
    assert lo <= 41.2 and hi >= 43.9 and hi - lo <= 6  # not 0-100
    assert fit_range(0.0, 0.0, min_span=4.0) == (0.0, 4.0)  # a flat zero: a small axis
    lo, hi = fit_range(97.0, 99.5, min_span=2.0, ceiling=100.0)
    assert hi == 100.0 and lo < 97.0


def test_harms_are_counted_in_people():
    people = next(p for p in LIVE_PANELS if p.metrics == ("burnout_per_1000",))
    assert people.scale == "people"
    # recorded per 1,000 residents: 3 per 1,000 in a community of 500 is 1.5 people
    assert to_shown(np.array([3.0]), people, 500, "burnout_per_1000")[0] == pytest.approx(1.5)
    resentful = next(p for p in LIVE_PANELS if p.metrics == ("resentment_share",))
    assert to_shown(np.array([0.02]), resentful, 500, "resentment_share")[0] == \
        pytest.approx(10.0)
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


# -- the runner -------------------------------------------------------------------------------


@pytest.fixture
def frames():
    """A runner that records its frames, and an event set when Play stops by itself."""
    got: list = []
    done = threading.Event()
    r = Runner(lambda f: got.append(f), on_stop=lambda m: done.set())
    yield r, got, done
    r.close()
    r.join(10)


def _until(condition, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.02)


def test_runner_steps_in_the_background_and_plays_to_the_end_of_the_run(frames):
    r, got, done = frames
    r.load(lambda: LiveSession(setup(days=40), seed=5))
    _until(lambda: got)
    assert got and got[-1].day == 0
    r.step(3)
    _until(lambda: got[-1].day >= 3)
    assert got[-1].day == 3
    r.set_speed(None)  # as fast as it goes
    r.play()
    assert done.wait(60), "Play did not stop at the end of the run"
    assert got[-1].day == 40 and not r.playing
    days = [f.day for f in got]
    assert days == sorted(days)


def test_runner_keeps_the_chosen_pace(frames):
    """At 20 days a second, about 30 days pass in 1.5 s (loose: a shared machine)."""
    r, got, _ = frames
    r.load(lambda: LiveSession(setup(days=400), seed=6))
    _until(lambda: got)
    r.set_speed(20.0)
    r.play()
    time.sleep(1.5)
    r.pause()
    time.sleep(0.3)
    day = got[-1].day
    assert 10 <= day <= 32, day  # 30 expected; never ahead of the clock
    time.sleep(0.5)
    assert got[-1].day == day, "days went on after Pause"


def test_runner_waits_for_the_compiled_rules_and_says_so(monkeypatch):
    gate = threading.Event()
    monkeypatch.setattr(runner_mod.warmup, "ready", lambda: gate.is_set())
    monkeypatch.setattr(runner_mod.warmup, "wait", lambda timeout=None: gate.wait(timeout))
    statuses: list[str] = []
    got: list = []
    r = Runner(got.append, status=statuses.append)
    try:
        r.load(lambda: LiveSession(setup(), seed=1))
        _until(lambda: statuses, timeout=10)
        time.sleep(0.3)
        assert got == [] and statuses and "compiled rules" in statuses[0]
        gate.set()
        _until(lambda: got)
        assert got and "" in statuses
    finally:
        r.close()
        r.join(10)


# -- the network view -------------------------------------------------------------------------


def test_a_click_on_a_drawn_dot_picks_that_resident():
    session = LiveSession(setup(), seed=7)
    session.render()
    view: NetworkView = session.network
    w, h = view.fig.canvas.get_width_height()
    for i in (0, 57, 399):
        px, py = view.ax.transData.transform(view.layout.pos[i])
        picked = view.resident_at(px / w, 1 - py / h)
        # the nearest dot under the click: resident i, or one drawn on the same spot
        assert picked is not None
        assert np.allclose(view.layout.pos[picked], view.layout.pos[i], atol=1e-2)
    assert view.resident_at(0.0, 0.0) is None  # a corner far from any dot


def test_large_communities_are_drawn_as_a_fixed_sample_with_a_note():
    scenario = Scenario(name="Big", run=RunSettings(days=10)).with_overrides(
        residents=SAMPLE_ABOVE + 3000)
    session = LiveSession(scenario, seed=8)
    frame = session.render()
    view = session.network
    assert view.sampled and abs(len(view.drawn) - SAMPLE_SIZE) <= 5
    assert len(view.dots.get_offsets()) == len(view.drawn)
    assert "a fixed sample of" in view.title.get_text()
    assert len(view.bands.get_segments()) >= 1  # ties between sections, as bands
    assert frame.network_png[:4] == b"\x89PNG"
    small = LiveSession(Scenario(name="Small").with_overrides(residents=500), seed=8)
    small.render()
    assert not small.network.sampled and len(small.network.drawn) == 500


def test_roles_come_from_one_accessor():
    session = LiveSession(setup(start=1, organisers=40), seed=9)
    session.step(2)
    found = roles.resident_roles(session.model)
    assert set(found) == set(roles.ROLES)
    assert found["organiser"].sum() > 0
    i = int(np.flatnonzero(found["organiser"])[0])
    assert "Organiser" in roles.roles_of(session.model, i)
    assert "Organiser" in dict(session.resident_rows(i))["Roles"]


def test_only_notable_differences_are_coloured():
    from sim.app.session import Difference

    def diff(recent, better=True, unit="%"):
        return Difference("m", "M", unit, 0.0, 0.0, recent, recent, better)

    assert diff(0.6).verdict == "same"  # one run: under a point is not called either way
    assert diff(1.5).verdict == "better" and diff(-1.5).verdict == "worse"
    assert diff(2.0, better=False, unit="people").verdict == "worse"
    assert diff(3.0, better=None).verdict == "changed"


def test_on_a_phone_the_charts_stand_in_one_column():
    import io

    import PIL.Image

    session = LiveSession(setup(), seed=1)
    wide = PIL.Image.open(io.BytesIO(session.render().charts_png)).size
    session.set_narrow(True)
    narrow = PIL.Image.open(io.BytesIO(session.render().charts_png)).size
    assert session.charts.columns == 1
    assert narrow[0] < wide[0] and narrow[1] > 1.5 * wide[1]
