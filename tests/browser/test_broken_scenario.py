"""A broken scenario file in Chromium: the live page shows a plain panel naming the file, the
key and the problem, keeps working with the other file, and shows no traceback and no path
on the server; the server's internal status page /resourcez is off.

Before (issue 12): a broken baseline.toml made the whole Live page a Python traceback with
server paths, and /resourcez showed server internals to anyone who could reach the port.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from pathlib import Path

import pytest

expect = pytest.importorskip("playwright.sync_api").expect

ROOT = Path(__file__).resolve().parents[2]
APP = "sim.app.pages"
SMALL = 'name = "Small estate"\n[population]\nn_residents = 200\n'


@pytest.fixture(scope="module")
def broken_dir(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("broken-scenarios")
    text = (ROOT / "scenarios" / "baseline.toml").read_text()
    (folder / "baseline.toml").write_text(text.replace("days = 730", "days = 0", 1))
    (folder / "small.toml").write_text(SMALL)
    return folder


def test_a_broken_baseline_shows_a_plain_panel_and_the_page_works(
        solara_app_server, chromium_page, wait_for_solara, broken_dir, save_screenshot):
    server = solara_app_server(APP, env={"KINDLINESS_SCENARIOS_DIR": str(broken_dir)})
    page = chromium_page
    page.goto(server.url)
    wait_for_solara(page)
    panel = page.locator(".scenario-problems")
    expect(panel).to_contain_text("cannot be used")
    expect(panel).to_contain_text("baseline.toml")
    expect(panel).to_contain_text("run.days")
    expect(panel).to_contain_text("0 is out of range: must be between 1 and 36,500")
    expect(page.locator(".live-header")).to_have_text("Small estate")
    day = page.locator(".day-counter")
    expect(day).to_have_text("Day 0")
    page.locator("button.live-step").first.click()
    expect(day).to_have_text("Day 1")
    shown, source = page.inner_text("body"), page.content()
    assert "Traceback" not in shown and 'File "' not in shown
    for leak in (str(broken_dir), str(ROOT), "site-packages"):
        assert leak not in source, leak
    save_screenshot(page, "visualiser-broken-baseline")
    assert page.offline_log.page_errors == []


def test_internal_status_page_is_off(solara_app_server, broken_dir):
    server = solara_app_server(APP, env={"KINDLINESS_SCENARIOS_DIR": str(broken_dir)})
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(server.url + "resourcez?verbose", timeout=10)
    assert caught.value.code == 404
    with urllib.request.urlopen(server.url + "readyz", timeout=10) as r:
        assert r.status == 200  # the liveness probe stays
