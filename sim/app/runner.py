"""Stepping a live session off the page's thread, at a chosen speed (plain Python).

A :class:`Runner` owns one worker thread per page. The page asks it for days (Step, +7,
+30), to play or pause, to change speed or to draw again (another dot size, another resident);
the worker steps the session and hands each new :class:`~sim.app.session.Frame` to
``publish``. The page never waits on a model day or on drawing.

Pacing. At a speed of S simulated days a second the worker keeps the day at S x (seconds
since Play), drawing a frame whenever one is due (at most :data:`MAX_FPS` a second); a frame
covers as many days as have fallen due since the last one, so a redraw can skip days and the
simulated pace does not depend on how long drawing takes. At "fastest" it steps for
:data:`FASTEST_STEP_S` seconds between frames. Play stops at the end of the run
(``scenario.run.days``), and Step, +7 and +30 stop there too (a user stepped a run of 730
days to day 761, its programmes then said to run "days 90-761").

Loading a new setup stops Play and tells the page through ``on_restart`` (the page showed
Pause over a run that no longer played, its Step buttons greyed out).

Before the first day, the worker waits for the model's compiled rules (sim/app/warmup.py)
and says so through ``status``; the page shows it with a progress bar.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable

from sim.app import warmup
from sim.app.session import Frame, LiveSession

MAX_FPS = 8.0  # frames a second at most while playing
FASTEST_STEP_S = 0.12  # at "fastest", seconds of stepping between two frames
TIES_REDRAW_PLAYING_S = 1.5  # while playing, the network's ties are drawn again at most this
# often (the dots, visits and hubs still change every frame); every time when stepping
CHUNK_DAYS = 30  # a long request (+30 days) shows a frame at least this often
SPEEDS = {"1 day a second": 1.0, "3 days a second": 3.0, "10 days a second": 10.0,
          "30 days a second": 30.0, "100 days a second": 100.0, "As fast as it goes": None}
DEFAULT_SPEED = "10 days a second"


class Runner:
    """The worker behind one live page (see the module docstring).

    Args:
        publish: called with each new Frame (from the worker thread).
        status: called with a short message while something is slow ("" when done).
        on_stop: called when Play stops by itself (end of the run, or an error).
        on_restart: called when a new setup is loaded (Play, if on, has stopped; whatever
            was said of the old run no longer holds).
    """

    def __init__(self, publish: Callable[[Frame], None],
                 status: Callable[[str], None] = lambda _m: None,
                 on_stop: Callable[[str], None] = lambda _m: None,
                 on_restart: Callable[[], None] = lambda: None):
        self.publish = publish
        self.status = status
        self.on_stop = on_stop
        self.on_restart = on_restart
        self.session: LiveSession | None = None
        self.latest: Frame | None = None  # the last frame published
        self.shade = "trust_out"
        self.selected: int | None = 0
        self.speed: float | None = SPEEDS[DEFAULT_SPEED]
        self.narrow = False  # the page is on a phone: charts in one column
        self._cond = threading.Condition()
        self._pending_days = 0
        self._factory: Callable[[], LiveSession] | None = None
        self._redraw = False
        self._playing = False
        self._closed = False
        self._busy = False
        self._play_t0 = 0.0
        self._play_day0 = 0
        self._thread = threading.Thread(target=self._loop, name="kindliness-live", daemon=True)
        self._thread.start()

    # -- commands (any thread) -------------------------------------------------------------
    def load(self, factory: Callable[[], LiveSession]) -> None:
        """Build a new community with ``factory()`` in the worker (it can take a second at
        20,000 residents), then show it. Play stops; ``on_restart`` says so."""
        with self._cond:
            self._playing = False
            self._pending_days = 0
            self._factory = factory
            self._cond.notify()
        self.on_restart()

    def resident_at(self, x: float, y: float) -> int | None:
        """The resident drawn at a click on the network picture (fractions from its top
        left), or None."""
        session = self.session
        return session.resident_at(x, y) if session is not None else None

    def step(self, days: int = 1) -> None:
        with self._cond:
            self._pending_days += int(days)
            self._cond.notify()

    def play(self) -> None:
        with self._cond:
            self._playing = True
            self._restart_clock()
            self._cond.notify()

    def pause(self) -> None:
        with self._cond:
            self._playing = False
            self._redraw = True  # a last frame with everything up to date
            self._cond.notify()

    def set_speed(self, days_per_s: float | None) -> None:
        with self._cond:
            self.speed = days_per_s
            self._restart_clock()
            self._cond.notify()

    def redraw(self, shade: str | None = None, selected: int | None | bool = False) -> None:
        """Draw again, with another dot size and/or picked resident (``selected=False``:
        keep the picked one)."""
        with self._cond:
            if shade is not None:
                self.shade = shade
            if selected is not False:
                self.selected = selected
            self._redraw = True
            self._cond.notify()

    def set_narrow(self, narrow: bool) -> None:
        """Draw the charts for a narrow screen (one column) or a wide one, from now on."""
        with self._cond:
            self.narrow = bool(narrow)
            self._redraw = True
            self._cond.notify()

    def close(self) -> None:
        with self._cond:
            self._closed = True
            self._playing = False
            self._cond.notify()

    @property
    def playing(self) -> bool:
        return self._playing

    @property
    def busy(self) -> bool:
        """Whether days are being stepped or are waiting to be."""
        return self._busy or self._pending_days > 0

    def join(self, timeout: float | None = None) -> None:
        self._thread.join(timeout)

    # -- the worker --------------------------------------------------------------------------
    def _restart_clock(self) -> None:
        self._play_t0 = time.monotonic()
        self._play_day0 = self.session.day if self.session is not None else 0

    def _loop(self) -> None:
        while True:
            with self._cond:
                while not (self._closed or self._playing or self._pending_days
                           or self._redraw or self._factory):
                    self._cond.wait()
                if self._closed:
                    return
                factory, self._factory = self._factory, None
                session = self.session
                if session is None and factory is None:
                    self._redraw = False
                    self._pending_days = 0
                    continue
                self._busy = True
            try:
                self._ensure_compiled()
                if factory is not None:
                    self.status("Building the community ...")
                    built = factory()
                    built.set_narrow(self.narrow)
                    with self._cond:
                        self.session = session = built
                        self._redraw = True
                if session is None:
                    continue
                if self._playing:
                    self._play_frame(session)
                elif self._pending_days:
                    with self._cond:  # never past the run's last day
                        left = max(0, session.run_days - session.day)
                        days = min(self._pending_days, CHUNK_DAYS, left)
                        self._pending_days = 0 if days == left else self._pending_days - days
                    session.step(days)
                    self._draw(session)
                    if days and session.day >= session.run_days:  # Step and +N greyed now
                        self.on_stop(self._complete(session))
                else:
                    self._draw(session)
            except Exception as exc:  # noqa: BLE001 - shown on the page; the runner goes on
                with self._cond:
                    self._playing = False
                    self._pending_days = 0
                self.on_stop(f"The run stopped: {type(exc).__name__}: {exc}")
            finally:
                self._busy = False

    def _ensure_compiled(self) -> None:
        if warmup.ready():
            return
        self.status("Preparing the model's compiled rules (only after an install or an "
                    "update; up to 20 seconds) ...")
        warmup.wait()
        self.status("")
        with self._cond:
            self._restart_clock()

    def _draw(self, session: LiveSession) -> None:
        with self._cond:
            self._redraw = False
            shade, selected = self.shade, self.selected
        if session is self.session:
            session.set_narrow(self.narrow)
            session.network.min_ties_redraw_s = TIES_REDRAW_PLAYING_S if self._playing else 0.0
            frame = session.render(shade, selected)
            self.latest = frame
            self.publish(frame)

    def _play_frame(self, session: LiveSession) -> None:
        t_frame = time.monotonic()
        end = session.run_days
        if session.day >= end:
            with self._cond:
                self._playing = False
                replaced = session is not self.session or self._factory is not None
            if not replaced:  # not said of a run that a new setup has just replaced
                self._draw(session)
                self.on_stop(self._complete(session))
            return
        speed = self.speed
        if speed is None:  # as fast as it goes: step for a while, then draw
            deadline = t_frame + FASTEST_STEP_S
            while session.day < end and self._playing and time.monotonic() < deadline:
                session.step(1)
        else:
            due = self._play_day0 + math.floor((t_frame - self._play_t0) * speed)
            days = max(0, min(due, end) - session.day)
            if days == 0:  # ahead of the clock: wait for the next day to fall due
                next_at = self._play_t0 + (session.day + 1 - self._play_day0) / speed
                self._sleep(max(0.0, next_at - time.monotonic()))
                return
            session.step(days)
        self._draw(session)
        if speed is not None:  # at most MAX_FPS frames a second
            self._sleep(max(0.0, t_frame + 1.0 / MAX_FPS - time.monotonic()))

    @staticmethod
    def _complete(session: LiveSession) -> str:
        """What a run at its last day says, by Play, Step or +N days alike: they are greyed
        out, so what runs it again (a user check: said only at the end of Play, and "with
        the design" unclear)."""
        end = session.run_days
        return (f"The run is complete: day {end} of {end}. To run it again from day 0, press "
                "\u201cApply and restart\u201d in the Programme panel.")

    def _sleep(self, seconds: float) -> None:
        with self._cond:
            if seconds > 0 and self._playing and not self._closed:
                self._cond.wait(seconds)
