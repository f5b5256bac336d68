"""``python run.py viz`` stopped with SIGTERM while the compare page runs a comparison: it ends
at once, through Python (exit status 143), with its process pools shut down, so
multiprocessing's resource tracker has no "leaked semaphore objects" to warn of (QA: it did,
as the server ended with no exit handlers run; sim/app/serving.py), and nothing it started is
left running. An idle server's signals are checked in tests/test_orphans.py.
"""

from __future__ import annotations

import os
import re
import signal
import time

import pytest

from tests.test_orphans import (
    GONE_WITHIN_S,
    START_TIMEOUT_S,
    alive,
    clean_up,
    cmdline,
    descendants,
    free_port,
    http_status,
    start_viz,
    wait_until,
)

expect = pytest.importorskip("playwright.sync_api").expect
pytestmark = pytest.mark.slow


def test_sigterm_mid_comparison_ends_the_server_and_its_pools_cleanly(
        solara_assets, compiled_rules, chromium_page, wait_for_solara, tmp_path):
    from tests.browser.test_visualiser import set_slider

    port = free_port()
    log_path = tmp_path / "viz.log"
    proc = start_viz(port, log_path)
    seen: set[int] = {proc.pid}
    try:
        url = f"http://127.0.0.1:{port}/"
        up = wait_until(lambda: proc.poll() is not None or http_status(url) == 200,
                        START_TIMEOUT_S, 0.5)
        assert up is not None and proc.poll() is None, log_path.read_text()[-3000:]
        page = chromium_page
        page.goto(url + "compare")
        wait_for_solara(page)
        set_slider(page, "replicates", 10)  # 20 runs of 700 days: a minute on two cores
        set_slider(page, "days", 700)
        page.locator("button.compare-run").click()
        expect(page.locator(".compare-progress")).to_contain_text(
            re.compile(r"Running: [1-9]\d* of"), timeout=120_000)  # workers busy with runs
        seen |= set(descendants(proc.pid))
        assert len(seen) >= 4, [cmdline(p) for p in seen]  # server, fork server, workers
        t0 = time.monotonic()
        os.kill(proc.pid, signal.SIGTERM)
        proc.wait(timeout=GONE_WITHIN_S)
        print(f"viz: ended {time.monotonic() - t0:.1f} s after SIGTERM mid-comparison")
        took = wait_until(lambda: not any(alive(p) for p in seen), GONE_WITHIN_S)
        left = [f"{p}: {cmdline(p)}" for p in seen if alive(p)]
        assert took is not None, f"still running {GONE_WITHIN_S} s after SIGTERM: {left}"
        text = log_path.read_text(errors="replace")  # the tracker warns as it ends
        assert "leaked semaphore" not in text and "Traceback" not in text, \
            (proc.returncode, text[-3000:])
        assert proc.returncode == 128 + signal.SIGTERM  # ended through Python's exit
    finally:
        clean_up(proc, seen)
