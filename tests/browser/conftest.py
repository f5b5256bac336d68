"""Harness for browser tests of the Solara visualiser, offline, in Debian's Chromium.

Fixtures (all for tests under tests/browser/, marked ``browser``):

- ``solara_assets``: the project's Solara CDN cache (``.assets/solara-cdn``), filled from npm if
  anything is missing; Solara in this process is pointed at it.
- ``solara_app_server``: a factory, ``solara_app_server("pkg.module" | "path/app.py")`` ->
  :class:`SolaraServer` (``.url``), which runs ``python -m solara run APP --production`` on a
  free 127.0.0.1 port in a subprocess (bounded start-up wait, log in test-output/, killed at
  the end of the session; one server per app per session).
- ``chromium_page``: a fresh Playwright page (own context, 1400x1000) in /usr/bin/chromium.
  Requests to anything but loopback are aborted and recorded in ``page.offline_log``, together
  with console errors and failed or non-2xx ``/_solara/cdn/`` responses.
- ``save_screenshot(page, name=None) -> Path``: a PNG under test-output/ (gitignored).

- ``wait_for_solara(page) -> seconds``: waits until the loader is gone and widgets are drawn.
- ``wait_for_quiet(page, quiet_ms=750) -> seconds``: waits until the DOM stops changing (after
  a click that makes the server step and redraw).

Solara's own pytest plugin (``solara_test``, ``page_session``, from pytest-ipywidgets) uses
pytest-playwright's ``browser``; ``browser_type_launch_args`` below points that at Debian's
Chromium too, so those fixtures work here as well.

With no Chromium or Playwright, browser tests are skipped, except under ``CI=true`` where they
fail, so a broken set-up cannot pass unnoticed.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from sim.app import assets as sim_assets

ROOT = Path(__file__).resolve().parents[2]
OUTPUT_DIR = ROOT / "test-output"
CHROMIUM = os.environ.get("KINDLINESS_CHROMIUM", "/usr/bin/chromium")
# Debian's Chromium as root, headless, with nothing that reaches out to the network by itself.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SERVER_START_TIMEOUT = float(os.environ.get("KINDLINESS_SERVER_TIMEOUT", "90"))
PAGE_READY_TIMEOUT_MS = 60_000
# Solara's proxy falls back to this CDN on a cache miss; a closed loopback port makes a miss fail
# fast and keeps the test from using the internet even on a machine that has it.
DEAD_CDN = "http://127.0.0.1:9/npm/"
_LOOPBACK = re.compile(r"^(https?|wss?)://(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?/")
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def _browser_unavailable() -> str | None:
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        return f"{CHROMIUM} not found (Debian: apt-get install -y chromium; or `make test`)"
    try:
        import playwright.sync_api  # noqa: F401
        import pytest_playwright  # noqa: F401
    except ImportError as e:
        return f"Playwright not installed ({e}); pip install -e '.[browser]'"
    return None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark everything here ``browser``; skip it without Chromium/Playwright, except in CI."""
    here = Path(__file__).parent
    reason = _browser_unavailable()
    for item in items:
        if here in Path(item.path).parents:
            item.add_marker(pytest.mark.browser)
            if reason and not IN_CI:  # in CI let it run and fail loudly
                item.add_marker(pytest.mark.skip(reason=reason))


# --- assets ---------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def solara_assets() -> Path:
    """The filled Solara CDN cache; this process's Solara (and its children) are pointed at it."""
    cache = sim_assets.default_cache_dir()
    if sim_assets.missing_assets(cache):
        try:
            sim_assets.prepare_assets(cache, log=lambda msg: print(msg, file=sys.stderr))
        except RuntimeError as e:
            pytest.fail(f"Solara browser assets are missing and could not be prepared: {e}")
    sim_assets.configure_solara_env(cache)
    return cache


# --- server ---------------------------------------------------------------------------------


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class SolaraServer:
    app: str
    port: int
    process: subprocess.Popen
    log_path: Path
    started_in: float = 0.0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def log_tail(self, n: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-n:])
        except OSError:
            return "(no log)"

    def stop(self) -> None:
        """Stop this server's own process group: SIGTERM, then SIGKILL after 10 s."""
        if self.process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)


def start_solara(
    app: str,
    *,
    cache_dir: Path,
    env: dict[str, str] | None = None,
    production: bool = True,
    timeout: float = SERVER_START_TIMEOUT,
    extra_args: list[str] | tuple[str, ...] = (),
) -> SolaraServer:
    """Start ``solara run APP`` on a free loopback port and wait (bounded) until it answers."""
    OUTPUT_DIR.mkdir(exist_ok=True)
    for attempt in range(2):  # a port taken between free_port() and bind: try once more
        port = free_port()
        slug = re.sub(r"[^\w.-]+", "_", app)[-60:]
        log_path = OUTPUT_DIR / f"server-{slug}-{port}.log"
        child_env = dict(os.environ)
        child_env.update(
            {
                sim_assets.ENV_CACHE_DIR: str(cache_dir),
                "SOLARA_ASSETS_PROXY": "true",
                "SOLARA_ASSETS_CDN": DEAD_CDN,
                "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "false",
                "PYTHONUNBUFFERED": "1",
                "MPLBACKEND": "Agg",
            }
        )
        child_env.pop("VSCODE_PID", None)
        child_env.pop("VSCODE_CWD", None)
        child_env.update(env or {})
        cmd = [sys.executable, "-m", "solara", "run", app, "--host", "127.0.0.1"]
        cmd += ["--port", str(port), "--no-open", *(["--production"] if production else [])]
        cmd += list(extra_args)
        t0 = time.monotonic()
        with open(log_path, "wb") as log:
            proc = subprocess.Popen(
                cmd,
                cwd=ROOT,
                env=child_env,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,  # its own process group, so stop() ends all its children
            )
        server = SolaraServer(app, port, proc, log_path)
        deadline = t0 + timeout
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                break
            try:
                with urllib.request.urlopen(server.url, timeout=5) as r:
                    if r.status == 200:
                        server.started_in = time.monotonic() - t0
                        return server
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.25)
        server.stop()
        tail = server.log_tail()
        if (
            attempt == 0
            and proc.returncode not in (None, 0)
            and "address already in use" in (tail.lower())
        ):
            continue
        raise RuntimeError(
            f"solara app {app!r} did not answer on {server.url} within {timeout:.0f} s "
            f"(exit code {proc.returncode}); log {log_path}:\n{tail}"
        )
    raise AssertionError("unreachable")


@pytest.fixture(scope="session")
def compiled_rules() -> float:
    """The model's compiled rules, in numba's on-disk cache before any server starts: on a
    fresh machine the first step would otherwise spend 10-20 s compiling inside the server,
    past the tests' waits for a step."""
    from sim.model import compile_rules

    return compile_rules()


@pytest.fixture(scope="session")
def solara_app_server(solara_assets: Path, compiled_rules: float
                      ) -> Iterator[Callable[..., SolaraServer]]:
    """Factory: ``solara_app_server(app, **kw) -> SolaraServer``; one server per app and kw."""
    servers: dict[tuple, SolaraServer] = {}

    def start(app: str, **kw) -> SolaraServer:
        key = (app, repr(sorted(kw.items())))
        server = servers.get(key)
        if server is None or server.process.poll() is not None:
            server = servers[key] = start_solara(app, cache_dir=solara_assets, **kw)
        return server

    try:
        yield start
    finally:
        for server in servers.values():
            server.stop()


@pytest.fixture(scope="session")
def app_scenarios(tmp_path_factory) -> Path:
    """The visualiser tests' scenarios folder (tests/app_scenarios.py), one per session."""
    from tests.app_scenarios import scenario_folder

    return scenario_folder(tmp_path_factory.mktemp("scenarios"))


@pytest.fixture
def visualiser(solara_app_server, app_scenarios) -> SolaraServer:
    """The project's visualiser (sim.app.pages) serving the tests' scenarios folder."""
    return solara_app_server("sim.app.pages",
                             env={"KINDLINESS_SCENARIOS_DIR": str(app_scenarios)})


# --- browser --------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser_type_launch_args(pytestconfig: pytest.Config) -> dict:
    """pytest-playwright's launch options: Debian's Chromium, never a downloaded browser."""
    headed = bool(pytestconfig.getoption("--headed", default=False))
    args = [a for a in CHROMIUM_ARGS if not (headed and a == "--headless")]
    return {"executable_path": CHROMIUM, "args": args, "headless": not headed}


@pytest.fixture(scope="session")
def browser_context_args() -> dict:
    return {"viewport": {"width": 1400, "height": 1000}}


@dataclass
class OfflineLog:
    """What a page did that an offline test should know about."""

    blocked: list[str] = field(default_factory=list)  # non-loopback requests (aborted)
    cdn_failures: list[str] = field(default_factory=list)  # /_solara/cdn/ not 2xx or failed
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    cdn_ok: list[str] = field(default_factory=list)


@pytest.fixture
def chromium_page(browser, browser_context_args: dict) -> Iterator:
    """A new page in its own context; external requests blocked and logged in page.offline_log."""
    context = browser.new_context(**browser_context_args)
    log = OfflineLog()

    def guard(route) -> None:
        url = route.request.url
        if _LOOPBACK.match(url) or url.startswith(("data:", "blob:", "about:")):
            route.continue_()
        else:
            log.blocked.append(url)
            route.abort("internetdisconnected")

    def on_response(response) -> None:
        if "/_solara/cdn/" in response.url:
            ok = 200 <= response.status < 400
            (log.cdn_ok if ok else log.cdn_failures).append(f"{response.status} {response.url}")

    def on_failed(request) -> None:
        if "/_solara/cdn/" in request.url:
            log.cdn_failures.append(f"{request.failure} {request.url}")

    context.route("**/*", guard)
    page = context.new_page()
    page.on("response", on_response)
    page.on("requestfailed", on_failed)
    page.on("console", lambda m: log.console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: log.page_errors.append(str(e)))
    page.offline_log = log
    page.set_default_timeout(PAGE_READY_TIMEOUT_MS)
    try:
        yield page
    finally:
        context.close()


def wait_for_solara_page(page, timeout_ms: float = PAGE_READY_TIMEOUT_MS) -> float:
    """Wait until Solara's loader is gone and the app has drawn widgets; return seconds waited.

    A page that is only the spinner (assets missing, websocket down) fails here.
    """
    t0 = time.monotonic()
    page.wait_for_selector(
        "#app .v-application--wrap, #app .v-application__wrap", state="attached", timeout=timeout_ms
    )
    page.wait_for_selector("#loader-container", state="detached", timeout=timeout_ms)
    page.wait_for_function(
        "() => document.querySelectorAll('#app .v-btn, #app .v-input, #app .jupyter-widgets')"
        ".length > 0",
        timeout=timeout_ms,
    )
    wait_for_quiet_page(page, timeout_ms=timeout_ms)
    return time.monotonic() - t0


_QUIET_JS = """quiet => {
    const w = window;
    if (!w.__kindlinessQuiet) {
        w.__kindlinessQuiet = {last: performance.now()};
        new MutationObserver(() => { w.__kindlinessQuiet.last = performance.now(); })
            .observe(document.body, {subtree: true, childList: true, attributes: true,
                                     characterData: true});
    }
    return performance.now() - w.__kindlinessQuiet.last > quiet;
}"""


def wait_for_quiet_page(
    page, quiet_ms: int = 750, timeout_ms: float = PAGE_READY_TIMEOUT_MS
) -> float:
    """Wait until the DOM has not changed for ``quiet_ms`` (server pushes and redraws done).

    Use after a click that makes the server step and redraw (e.g. before a screenshot or before
    reading a chart): a button re-enabling does not mean its redraw has arrived.
    """
    t0 = time.monotonic()
    page.evaluate(
        "() => { if (window.__kindlinessQuiet) window.__kindlinessQuiet.last = performance.now(); }"
    )
    page.wait_for_function(_QUIET_JS, arg=quiet_ms, polling=100, timeout=timeout_ms)
    return time.monotonic() - t0


@pytest.fixture
def live(visualiser, chromium_page, wait_for_solara):
    """The live page opened and at day 0, its console kept (``page.console_messages``); on
    leaving, nothing was fetched from outside and the page raised no error."""
    from playwright.sync_api import expect

    page = chromium_page
    console: list[str] = []
    page.on("console", lambda m: console.append(f"{m.type}: {m.text}"))
    page.goto(visualiser.url)
    wait_for_solara(page)
    expect(page.locator(".day-counter")).to_have_text("Day 0", timeout=60_000)
    page.console_messages = console
    yield page
    log = page.offline_log
    assert log.blocked == [] and log.cdn_failures == [] and log.page_errors == [], log


@pytest.fixture
def wait_for_solara() -> Callable[..., float]:
    """``wait_for_solara(page, timeout_ms=60_000) -> seconds``: see :func:`wait_for_solara_page`."""
    return wait_for_solara_page


@pytest.fixture
def wait_for_quiet() -> Callable[..., float]:
    """``wait_for_quiet(page, quiet_ms=750) -> seconds``: see :func:`wait_for_quiet_page`."""
    return wait_for_quiet_page


@pytest.fixture
def save_screenshot(request: pytest.FixtureRequest) -> Callable[..., Path]:
    """``save_screenshot(page, name=None, full_page=True) -> Path`` under test-output/."""

    def save(page, name: str | None = None, *, full_page: bool = True) -> Path:
        OUTPUT_DIR.mkdir(exist_ok=True)
        stem = name or re.sub(r"[^\w.-]+", "_", request.node.name)
        path = OUTPUT_DIR / f"{stem}.png"
        page.screenshot(path=str(path), full_page=full_page)
        return path

    return save


def chromium_version() -> str:
    exe = shutil.which(CHROMIUM) or CHROMIUM
    try:
        return subprocess.run(
            [exe, "--version"], capture_output=True, text=True, timeout=30, check=False
        ).stdout.strip()
    except OSError:
        return "unknown"
