"""The visualiser end to end in Debian's Chromium: the real app (sim.app.pages) served by
``solara run`` on loopback, offline, driven with Playwright.

Proves, in the rendered page: the network view and the charts appear; Step advances the day
counter and changes the charts; choosing another scenario and pressing Reset changes the
community; the compare page runs a small comparison and shows its effects table; downloads
produce files. Screenshots of each state go to test-output/visualiser-*.png.

The scenarios come from a folder made here (``KINDLINESS_SCENARIOS_DIR``): the project's
baseline and a smaller community that extends it, so that the test does not depend on which
scenario files the project ships, and stays quick (small communities, few days).
"""

from __future__ import annotations

import shutil
import time
import zipfile
from pathlib import Path

import pytest

expect = pytest.importorskip("playwright.sync_api").expect

ROOT = Path(__file__).resolve().parents[2]
APP = "sim.app.pages"
SMALL = """name = "Small estate"
description = "A smaller community with palatable hub activity from day 2 (browser test)."
extends = "baseline.toml"

[population]
n_residents = 300

[[interventions]]
type = "palatable_activity"
start_day = 2
end_day = 60
"""


@pytest.fixture(scope="module")
def scenario_dir(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("scenarios")
    shutil.copy(ROOT / "scenarios" / "baseline.toml", folder / "baseline.toml")
    (folder / "small.toml").write_text(SMALL)
    return folder


@pytest.fixture
def app_page(solara_app_server, chromium_page, wait_for_solara, scenario_dir):
    server = solara_app_server(APP, env={"KINDLINESS_SCENARIOS_DIR": str(scenario_dir)})
    page = chromium_page
    page.goto(server.url)
    wait_for_solara(page)
    yield page, server
    log = page.offline_log
    assert log.blocked == [], f"page tried to leave the machine: {log.blocked}"
    assert log.cdn_failures == [], f"browser assets missing: {log.cdn_failures}"
    assert log.page_errors == [], log.page_errors


def _src(page, cls: str) -> str:
    return page.locator(f".{cls} img, img.{cls}").first.get_attribute("src") or ""


def _wait_src_change(page, cls: str, old: str, timeout_s: float = 30) -> str:
    end = time.monotonic() + timeout_s
    while time.monotonic() < end:
        new = _src(page, cls)
        if new and new != old:
            return new
        time.sleep(0.1)
    raise AssertionError(f"the {cls} image did not change within {timeout_s} s")


def _button(page, cls: str):
    return page.locator(f"button.{cls}").first


def test_live_page_steps_and_resets(app_page, save_screenshot):
    page, _ = app_page
    day = page.locator(".day-counter")
    expect(day).to_have_text("Day 0")
    page.locator(".live-network img, img.live-network").first.wait_for()
    page.locator(".live-charts img, img.live-charts").first.wait_for()
    net0, charts0 = _src(page, "live-network"), _src(page, "live-charts")
    assert net0 and charts0
    for cls in ("live-network", "live-charts"):  # decoded pictures, not broken images
        page.wait_for_function(
            f"() => {{ const i = document.querySelector('.{cls} img, img.{cls}');"
            " return i && i.complete && i.naturalWidth > 300; }")
    expect(page.get_by_text("Starting scenario")).to_be_visible()
    expect(page.get_by_text("Residents").first).to_be_visible()
    save_screenshot(page, "visualiser-1-live-start")

    step = _button(page, "live-step")
    for n in (1, 2, 3):
        t0 = time.monotonic()
        step.click()
        expect(day).to_have_text(f"Day {n}")
        print(f"step {n}: day counter updated after {time.monotonic() - t0:.2f} s")
    charts3 = _wait_src_change(page, "live-charts", charts0)
    assert charts3 != charts0, "the charts did not change after three steps"
    _button(page, "live-month").click()
    expect(day).to_have_text("Day 33")
    page.locator(".resident-state").first.wait_for()
    save_screenshot(page, "visualiser-2-live-day33")

    # another scenario, then Reset: a different community (300 residents, an intervention)
    community = page.locator(".live-community")
    expect(community).to_contain_text("1,000 residents")
    page.get_by_role("button", name="Starting scenario").click()  # opens the v-select
    page.get_by_role("option", name="Small estate (small.toml)").click()
    # the sliders follow the chosen file
    residents = page.locator(".lever-n_residents [role=slider]")
    expect(residents).to_have_attribute("aria-valuenow", "300")
    expect(page.locator(".lever-n_residents")).to_contain_text("Residents: 300")
    net_before = _src(page, "live-network")
    _button(page, "live-reset").click()
    expect(community).to_contain_text("Small estate (small.toml): 300 residents")
    expect(day).to_have_text("Day 0")
    assert _wait_src_change(page, "live-network", net_before) != net_before
    expect(page.get_by_text("Interventions:")).to_contain_text("days 2-60")
    step.click()
    expect(day).to_have_text("Day 1")
    save_screenshot(page, "visualiser-3-live-after-reset")


def test_live_page_play_and_pause(app_page):
    page, _ = app_page
    day = page.locator(".day-counter")
    expect(day).to_have_text("Day 0")
    play = _button(page, "live-play")
    play.click()
    page.wait_for_function(
        "() => parseInt(document.querySelector('.day-counter').textContent.slice(4)) >= 5",
        timeout=30_000)
    play.click()  # pause
    expect(_button(page, "live-step")).to_be_enabled()
    stopped = day.text_content()
    time.sleep(1.0)
    assert day.text_content() == stopped, "the run went on after Pause"


def test_compare_page_runs_and_downloads(app_page, save_screenshot, tmp_path):
    page, server = app_page
    page.goto(server.url + "compare")
    page.locator("button.compare-run").first.wait_for()
    expect(page.get_by_text("Replicates per scenario: 5")).to_be_visible()
    # keep it small: the fewest replicates and days the sliders allow are the defaults' floor
    _set_slider(page, "replicates", 2)
    _set_slider(page, "days", 30)
    _set_slider(page, "residents", 200)
    expect(page.locator(".lever-replicates")).to_contain_text("Replicates per scenario: 2")
    save_screenshot(page, "visualiser-4-compare-start")
    t0 = time.monotonic()
    page.locator("button.compare-run").first.click()
    page.locator(".compare-done").wait_for(timeout=180_000)
    expect(page.locator("button.compare-run").first).to_be_enabled()
    print(f"comparison shown after {time.monotonic() - t0:.1f} s")
    table = page.locator(".v-data-table").first
    expect(table).to_contain_text("Trust other groups")
    expect(table).to_contain_text("Small estate")
    expect(table).to_contain_text("95% interval")
    expect(page.locator(".compare-chart")).to_have_count(7)
    expect(page.locator(".compare-chart img")).to_have_count(7, timeout=120_000)
    print(f"all charts drawn after {time.monotonic() - t0:.1f} s")
    save_screenshot(page, "visualiser-5-compare-result")

    got = {}
    for label in ("Effects table (CSV)", "Daily values (CSV)", "Seeds (CSV)",
                  "Everything (zip)"):
        with page.expect_download(timeout=60_000) as info:
            page.get_by_text(label, exact=True).click()
        path = tmp_path / info.value.suggested_filename
        info.value.save_as(path)
        got[label] = path
    with page.expect_download(timeout=60_000) as info:
        page.get_by_text("Chart (PNG)", exact=True).first.click()
    png = tmp_path / info.value.suggested_filename
    info.value.save_as(png)

    effects = got["Effects table (CSV)"].read_text()
    assert effects.startswith("Scenario,Measure") and "Small estate" in effects
    daily = got["Daily values (CSV)"].read_text().splitlines()
    assert daily[0] == "scenario,replicate,day,metric,value" and len(daily) > 100
    seeds = got["Seeds (CSV)"].read_text().splitlines()
    assert seeds[0].startswith("scenario,file,replicate,seed") and len(seeds) == 1 + 2 * 2
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 5000
    names = zipfile.ZipFile(got["Everything (zip)"]).namelist()
    for want in ("summary.csv", "daily.csv", "seeds.csv", "scenarios.json",
                 "scenario-files/small.toml", "charts/trust_out_group.png"):
        assert want in names, (want, names)


def _set_slider(page, key: str, value: int) -> None:
    """Move the ``lever-<key>`` slider to ``value`` with the keyboard (Home, then arrows)."""
    thumb = page.locator(f".lever-{key} [role=slider]").first
    thumb.focus()
    thumb.press("Home")
    lo = int(float(thumb.get_attribute("aria-valuenow")))
    thumb.press("ArrowRight")
    step = max(int(float(thumb.get_attribute("aria-valuenow"))) - lo, 1)
    thumb.press("ArrowLeft")
    for _ in range(max(0, (value - lo) // step)):
        thumb.press("ArrowRight")
    expect(thumb).to_have_attribute("aria-valuenow", str(max(value, lo)))
    thumb.blur()
