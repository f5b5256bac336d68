"""The visualiser in a real browser: the live page's pictures appear; Step advances the day
counter and changes the charts; a click on the network picks a resident; Play and Pause; the
compare page runs a small comparison and every download produces its file. Screenshots of
each state go to test-output/visualiser-*.png.

The scenarios come from the tests' own folder (tests/app_scenarios.py, ``visualiser``
fixture), so the test does not depend on which files the project ships.
"""

from __future__ import annotations

import contextlib
import time
import zipfile

import pytest

expect = pytest.importorskip("playwright.sync_api").expect


@pytest.fixture
def app_page(visualiser, chromium_page, wait_for_solara):
    page = chromium_page
    page.goto(visualiser.url)
    wait_for_solara(page)
    yield page, visualiser
    log = page.offline_log
    assert log.blocked == [], f"page tried to leave the machine: {log.blocked}"
    assert log.cdn_failures == [], f"browser assets missing: {log.cdn_failures}"
    assert log.page_errors == [], log.page_errors


def src(page, cls: str) -> str:
    return page.locator(f"img.{cls}").first.get_attribute("src") or ""


def wait_src_change(page, cls: str, old: str, timeout_s: float = 30) -> str:
    end = time.monotonic() + timeout_s
    while time.monotonic() < end:
        new = src(page, cls)
        if new and new != old:
            return new
        time.sleep(0.1)
    raise AssertionError(f"the {cls} image did not change within {timeout_s} s")


def button(page, cls: str):
    return page.locator(f"button.{cls}").first


def test_live_page_steps_and_picks_a_resident(app_page, save_screenshot):
    page, _ = app_page
    day = page.locator(".day-counter")
    expect(day).to_have_text("Day 0", timeout=60_000)
    for cls in ("live-network", "live-charts"):  # decoded pictures, not broken images
        page.wait_for_function(
            f"() => {{ const i = document.querySelector('img.{cls}');"
            " return i && i.complete && i.naturalWidth > 300; }")
    charts0 = src(page, "live-charts")
    expect(page.locator(".network-legend")).to_contain_text("Organiser")
    save_screenshot(page, "visualiser-1-live-start")

    step = button(page, "live-step")
    for n in (1, 2, 3):
        t0 = time.monotonic()
        step.click()
        expect(day).to_have_text(f"Day {n}")
        print(f"step {n}: day counter updated after {time.monotonic() - t0:.2f} s")
    assert wait_src_change(page, "live-charts", charts0) != charts0
    button(page, "live-month").click()
    expect(day).to_have_text("Day 33")

    # a click on a dot picks that resident: their number, their card, the red ring moves
    card = page.locator(".resident-state")
    number = page.get_by_label("Resident number")
    expect(number).to_have_value("0")
    net_before = src(page, "live-network")
    box = page.locator("img.live-network").bounding_box()
    for fx, fy in ((0.5, 0.2), (0.3, 0.7), (0.7, 0.7), (0.45, 0.4), (0.55, 0.65)):
        page.mouse.click(box["x"] + fx * box["width"], box["y"] + fy * box["height"])
        try:
            expect(number).not_to_have_value("0", timeout=3_000)
            break
        except AssertionError:
            continue
    else:
        raise AssertionError("no click on the network picked a resident")
    picked = number.input_value()
    expect(card).to_contain_text(f"Resident number{picked}")
    assert wait_src_change(page, "live-network", net_before) != net_before
    save_screenshot(page, "visualiser-2-live-picked")


def test_live_page_play_and_pause(app_page):
    page, _ = app_page
    day = page.locator(".day-counter")
    expect(day).to_have_text("Day 0", timeout=60_000)
    play = button(page, "live-play")
    play.click()
    page.wait_for_function(
        "() => parseInt(document.querySelector('.day-counter').textContent.slice(4)) >= 5",
        timeout=30_000)
    play.click()  # pause
    expect(button(page, "live-step")).to_be_enabled()
    time.sleep(0.5)  # a frame on its way may still arrive
    stopped = day.text_content()
    time.sleep(1.0)
    assert day.text_content() == stopped, "the run went on after Pause"


def test_compare_page_runs_and_downloads(app_page, save_screenshot, tmp_path):
    page, server = app_page
    page.goto(server.url + "compare")
    page.locator("button.compare-run").first.wait_for()
    expect(page.get_by_text("Replicates per scenario: 10")).to_be_visible()
    set_slider(page, "replicates", 2)
    set_slider(page, "days", 90)  # the 1:1s start on day 90: a shorter run is refused
    set_slider(page, "residents", 200)
    expect(page.locator(".compare-estimate")).to_contain_text("4 runs of 90 days",
                                                              timeout=60_000)
    save_screenshot(page, "visualiser-3-compare-start")
    t0 = time.monotonic()
    page.locator("button.compare-run").first.click()
    page.locator(".compare-done").wait_for(timeout=180_000)
    expect(page.locator("button.compare-run").first).to_be_enabled()
    print(f"comparison shown after {time.monotonic() - t0:.1f} s; "
          f"{page.locator('.compare-done').text_content()}")
    report = page.frame_locator("iframe.compare-report")  # report.html as the job wrote it
    expect(report.locator("#decision")).to_contain_text("What to fund")
    expect(report.locator("#charts")).to_be_visible()
    expect(report.locator("img").first).to_be_visible()
    save_screenshot(page, "visualiser-4-compare-result")

    got = {}
    for label in ("The report (HTML)", "Everything (zip)", "Summary (CSV)"):
        with page.expect_download(timeout=60_000) as info:
            page.get_by_text(label, exact=True).click()
        path = tmp_path / info.value.suggested_filename
        info.value.save_as(path)
        got[label] = path
    report = got["The report (HTML)"].read_text()
    assert report.startswith("<!DOCTYPE html>") and "id='decision'" in report
    summary = got["Summary (CSV)"].read_text().splitlines()
    assert summary[0].startswith("scenario,") and len(summary) > 10
    names = zipfile.ZipFile(got["Everything (zip)"]).namelist()
    for want in ("report.html", "summary.csv", "manifest.json", "charts/effects.png"):
        assert want in names, (want, names)


def set_slider(page, key: str, value: int) -> None:
    """Move the ``lever-<key>`` slider to ``value`` (at least its least) with the keyboard:
    one arrow at a time toward it, each given time to land, until the slider stays there.
    Arrows pressed in a burst while the page re-rendered were sometimes dropped (the slider
    stopped a step short), and a re-render can land a press late, so the value is read
    afresh before each press rather than counted."""
    thumb = page.locator(f".lever-{key} [role=slider]").first
    thumb.focus()
    target = max(value, int(float(thumb.get_attribute("aria-valuemin"))))

    def now() -> int:
        return int(float(thumb.get_attribute("aria-valuenow")))

    for _ in range(300):
        at = now()
        if at == target:
            page.wait_for_timeout(200)  # a late press or re-render may still move it
            if now() == target:
                break
            continue
        thumb.press("ArrowRight" if at < target else "ArrowLeft")
        with contextlib.suppress(AssertionError):  # it may already have moved and back
            expect(thumb).not_to_have_attribute("aria-valuenow", str(at), timeout=2_000)
    expect(thumb).to_have_attribute("aria-valuenow", str(target))
    thumb.blur()
