"""The network view maps a click to the resident under it and draws large communities as a
fixed sample with a note."""

from __future__ import annotations

import dataclasses

import numpy as np

from sim.app.network_layout import SAMPLE_ABOVE, SAMPLE_SIZE
from sim.app.network_view import NetworkView
from sim.app.session import LiveSession
from sim.scenario.schema import RunSettings, Scenario
from tests.app_scenarios import organisers_setup as setup


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


def test_labels_of_hubs_that_share_a_place_do_not_overlap():
    # the third space opens a second hub on the boundary, beside the library: their squares
    # sit side by side and their labels must not run into each other (QA: "librcafe2")
    from sim.scenario.loader import load_scenario
    from tests.app_scenarios import ROOT

    scenario = load_scenario(ROOT / "scenarios" / "third_space.toml").with_overrides(
        residents=300)
    session = LiveSession(dataclasses.replace(scenario, interventions=tuple(
        dataclasses.replace(iv, start_day=1) for iv in scenario.interventions)), seed=2)
    session.step(3)
    session.render()
    view: NetworkView = session.network
    hubs = session.model.hubs
    assert hubs.n >= 4 and len(view.hub_labels) == hubs.n
    renderer = view.fig.canvas.get_renderer()
    boxes = [label.get_window_extent(renderer) for label in view.hub_labels]
    for a in range(len(boxes)):
        for b in range(a):
            assert not boxes[a].overlaps(boxes[b]), (hubs.specs[a].name, hubs.specs[b].name)


def test_hubs_at_one_place_are_drawn_apart():
    # the combined package opens a cafe on the boundary beside the library (day 90): their
    # squares were drawn touching
    from pathlib import Path

    from sim.scenario.loader import load_scenario

    root = Path(__file__).resolve().parents[1]
    session = LiveSession(load_scenario(root / "scenarios" / "combined_package.toml"), seed=7)
    session.step(95)
    session.render()
    view: NetworkView = session.network
    location = np.asarray(session.model.hubs.location)
    assert (location < 0).sum() >= 2  # two hubs on the boundary
    px = view.ax.transData.transform(view.layout.hub_pos)
    side = np.sqrt(220) * view.dpi / 72  # a hub's square, in pixels
    for a in range(len(px)):
        for b in range(a + 1, len(px)):
            if location[a] == location[b]:
                assert np.hypot(*(px[a] - px[b])) >= 1.3 * side, (a, b)


def _label_boxes(view: NetworkView) -> list:
    renderer = view.fig.canvas.get_renderer()
    return [(t.get_text(), t.get_window_extent(renderer))
            for t in (*view.section_labels, *view.band_labels, *view.hub_labels)
            if t.get_text()]


def test_no_label_of_a_large_community_prints_over_another():
    # a user check at 20,000 residents read "newcome5,539 ties": the count of ties between
    # two sections printed over a section's name
    scenario = Scenario(name="Big", run=RunSettings(days=10)).with_overrides(residents=20_000)
    session = LiveSession(scenario, seed=8)
    session.step(2)
    session.render()
    view: NetworkView = session.network
    assert view.sampled and view.band_labels
    boxes = _label_boxes(view)
    for a in range(len(boxes)):
        for b in range(a):
            assert not boxes[a][1].overlaps(boxes[b][1]), (boxes[a][0], boxes[b][0])
    w, h = view.fig.canvas.get_width_height()
    for text, box in boxes:
        assert box.x0 >= 0 and box.x1 <= w and box.y0 >= 0 and box.y1 <= h, text


def test_a_new_hub_is_named_in_words_and_its_label_keeps_off_the_librarys():
    # the default new hub or third space sits on the boundary beside the library; the picture
    # wrote its file name, "community_space", against the library's label
    from sim.interventions.third_space import ThirdSpace

    scenario = dataclasses.replace(Scenario(name="Hub"), interventions=(ThirdSpace(),))
    session = LiveSession(scenario, seed=8)
    session.step(3)
    session.render()
    view: NetworkView = session.network
    texts = [t.get_text() for t in view.hub_labels]
    assert any(t.startswith("community space: ") for t in texts), texts
    assert not any("_" in t for t in texts)
    boxes = _label_boxes(view)
    for a in range(len(boxes)):
        for b in range(a):
            assert not boxes[a][1].overlaps(boxes[b][1]), (boxes[a][0], boxes[b][0])
