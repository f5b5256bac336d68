"""The runner steps off the page's thread, paces Play, stops at the end of the run and waits,
saying so, for the compiled rules."""

from __future__ import annotations

import threading
import time

import pytest

from sim.app import runner as runner_mod
from sim.app.runner import Runner
from sim.app.session import LiveSession
from tests.app_scenarios import organisers_setup as setup


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


def test_steps_stop_at_the_runs_last_day(frames):
    """A user check stepped a run of 730 days to day 761 (Step and +30 after the end)."""
    r, got, _ = frames
    r.load(lambda: LiveSession(setup(days=40), seed=7))
    _until(lambda: got)
    r.step(30)
    r.step(30)
    _until(lambda: got[-1].day >= 40 and not r.busy)
    time.sleep(0.3)
    assert got[-1].day == 40 and r.session.day == 40
    r.step(1)
    _until(lambda: not r.busy)
    time.sleep(0.3)
    assert r.session.day == 40 and got[-1].day == 40


def test_steps_that_reach_the_last_day_say_the_run_is_complete():
    """A user check: +30 days twice to the end of a run of 40 days greyed Play, Step and
    +N out with no word; only Play's end said the run was complete. Steps short of the end
    say nothing."""
    said: list[str] = []
    got: list = []
    r = Runner(got.append, on_stop=said.append)
    try:
        r.load(lambda: LiveSession(setup(days=40), seed=7))
        _until(lambda: got)
        r.step(30)
        _until(lambda: got[-1].day >= 30 and not r.busy)
        time.sleep(0.2)
        assert said == []
        r.step(30)
        _until(lambda: said)
        assert said == ["The run is complete: day 40 of 40. To run it again from day 0, press "
                        "\u201cApply and restart\u201d in the Programme panel."]
    finally:
        r.close()
        r.join(10)


def test_loading_a_setup_while_playing_stops_play_and_says_so():
    """A user check: "Apply and restart" during Play left the page showing Pause over a run
    that no longer played; the runner tells the page (``on_restart``)."""
    got: list = []
    restarts: list[bool] = []
    r = Runner(got.append)
    r.on_restart = lambda: restarts.append(r.playing)
    try:
        r.load(lambda: LiveSession(setup(days=400), seed=8))
        _until(lambda: got)
        r.set_speed(20.0)
        r.play()
        _until(lambda: got[-1].day >= 3)
        r.load(lambda: LiveSession(setup(days=50), seed=9))
        assert restarts == [False, False]  # told at each load, Play already off
        _until(lambda: got[-1].day == 0 and r.session.run_days == 50)
        time.sleep(0.5)
        assert not r.playing and got[-1].day == 0 and r.session.day == 0
    finally:
        r.close()
        r.join(10)
