"""What each page keeps for the browser session, across visits (Solara, small).

A user check: switching pages with the header threw the user's work away. The live page came
back at plain Baseline, day 0, the design lost; the compare page lost its report, its
downloads and the files brought; a comparison under way was ended without a word. A page's
component is unmounted when another page is shown, and its ``use_state`` goes with it.

So each page keeps its state in a :class:`Kept` (values by name, and whatever must be closed
with them: the live page's runner, a comparison's worker and folders). The title bar's layout
(sim/app/pages.py) holds one :class:`Kept` per page for the browser tab (its virtual kernel:
another tab has its own) and closes them when the tab goes (the layout is unmounted when
its kernel closes). A page drawn on its own (the widget tests) keeps its own, closed with it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import solara

_UNSET = object()


class Kept:
    """Named values that outlive a page's component; a component that reads them with
    :func:`use_kept` is drawn again when one changes (from any thread)."""

    def __init__(self) -> None:
        self._values: dict[str, Any] = {}
        self._listeners: set[Callable[[], None]] = set()
        self._closers: list[Callable[[], None]] = []
        self.lock = threading.RLock()
        self.closed = False

    def get(self, key: str, initial: Any = None, make: Callable[[], Any] | None = None) -> Any:
        """The value kept as ``key``; the first time, ``initial`` (or ``make()``)."""
        with self.lock:
            value = self._values.get(key, _UNSET)
            if value is _UNSET:
                value = self._values[key] = make() if make is not None else initial
            return value

    def set(self, key: str, value: Any) -> None:
        with self.lock:
            if self._values.get(key, _UNSET) is value:
                return
            self._values[key] = value
            listeners = list(self._listeners)
        for changed in listeners:
            changed()

    def setter(self, key: str) -> Callable[[Any], None]:
        return lambda value: self.set(key, value)

    def state(self, key: str, initial: Any = None, make: Callable[[], Any] | None = None
              ) -> tuple[Any, Callable[[Any], None]]:
        """``(value, set_value)``, as ``solara.use_state`` gives them (not a hook: call it in
        any order)."""
        return self.get(key, initial, make), self.setter(key)

    def on_close(self, closer: Callable[[], None]) -> None:
        """Call ``closer`` when the session ends (at once if it has)."""
        with self.lock:
            if not self.closed:
                self._closers.append(closer)
                return
        closer()

    def close(self) -> None:
        with self.lock:
            if self.closed:
                return
            self.closed = True
            closers, self._closers = self._closers, []
            self._listeners.clear()
        for closer in reversed(closers):
            closer()

    def watch(self, changed: Callable[[], None]) -> Callable[[], None]:
        with self.lock:
            self._listeners.add(changed)
        return lambda: self._listeners.discard(changed)


class SessionPages:
    """One :class:`Kept` for each page of a browser session."""

    def __init__(self) -> None:
        self._pages: dict[str, Kept] = {}
        self.lock = threading.Lock()

    def page(self, name: str) -> Kept:
        with self.lock:
            return self._pages.setdefault(name, Kept())

    def close(self) -> None:
        with self.lock:
            pages = list(self._pages.values())
        for kept in pages:
            kept.close()


SESSION = solara.create_context(None)  # the session's SessionPages (provided by the layout)


def use_session_pages() -> SessionPages:
    """The session's pages, provided to the pages below the calling component, which is
    their owner: they are closed when it is unmounted (the browser tab has gone)."""
    pages = solara.use_memo(SessionPages, [])
    solara.use_effect(lambda: pages.close, [])
    SESSION.provide(pages)
    return pages


def use_kept(name: str) -> Kept:
    """The page ``name``'s :class:`Kept` for this browser session (its own, closed with it,
    when the page is drawn without the layout); the calling component is drawn again when
    any of its values changes."""
    pages = solara.use_context(SESSION)
    own = solara.use_memo(lambda: None if pages is not None else Kept(), [])
    kept = pages.page(name) if pages is not None else own
    solara.use_effect(lambda: None if own is None else own.close, [])
    _, redraw = solara.use_state(0)
    counter = solara.use_ref(0)

    def watch():
        def changed():
            counter.current += 1
            redraw(counter.current)

        stop = kept.watch(changed)
        changed()  # anything set between the drawing and now
        return stop

    solara.use_effect(watch, [kept])
    return kept
