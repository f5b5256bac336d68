"""Switching pages with the title bar keeps each page's work, in a real browser (a user
check, qa27: the live page came back at plain Baseline, day 0, the design lost; the compare
page lost its report, its downloads and the file brought; a comparison under way was ended
without a word, by the title bar and by the browser's Back alike). Two tabs stay apart.

The scenarios are the tests' own (tests/app_scenarios.py, ``visualiser`` fixture).
"""

from __future__ import annotations

import pytest

from tests.browser.test_live_design import UPLOAD, choose, start_from
from tests.browser.test_visualiser import set_slider

expect = pytest.importorskip("playwright.sync_api").expect

ORGANISERS = "Community organising 1:1s (one_to_ones.toml)"
SMALL = "Small estate (small.toml)"


def to_page(page, name: str) -> None:
    """Go to the other page with the title bar's button (``live`` or ``compare``)."""
    page.locator(f"button.nav-{name}").click()
    wanted = ".day-counter" if name == "live" else "button.compare-run"
    page.locator(wanted).first.wait_for(state="attached", timeout=60_000)


def test_the_live_pages_run_and_design_are_there_after_the_compare_page(live):
    page = live
    start_from(page, ORGANISERS)
    page.locator("button.live-month").click()
    expect(page.locator(".day-counter")).to_have_text("Day 30", timeout=60_000)
    resident = page.get_by_label("Resident number")
    resident.fill("7")
    resident.press("Enter")
    expect(page.locator(".resident-state")).to_contain_text("Resident number7")
    seed = page.locator(".live-seed input").first
    seed.fill("4242")  # a change not applied yet: the design, pending
    seed.press("Tab")
    expect(page.locator(".live-pending-note")).to_be_visible()
    to_page(page, "compare")
    to_page(page, "live")
    expect(page.locator(".day-counter")).to_have_text("Day 30")
    expect(page.locator(".live-header")).to_have_text("Community organising 1:1s")
    expect(page.locator(".live-seed input").first).to_have_value("4242")
    expect(page.locator(".live-pending-note")).to_be_visible()
    expect(page.get_by_label("Resident number")).to_have_value("7")
    expect(page.locator(".resident-state")).to_contain_text("Resident number7")
    # and the run goes on from there
    page.locator("button.live-step").click()
    expect(page.locator(".day-counter")).to_have_text("Day 31")
    # the browser's Back (to the compare page) and Forward keep it too
    page.go_back()
    page.locator("button.compare-run").wait_for(state="attached")
    page.go_forward()
    expect(page.locator(".day-counter")).to_have_text("Day 31", timeout=60_000)


def test_the_compare_pages_report_upload_and_running_comparison_stay(
        visualiser, chromium_page, wait_for_solara, save_screenshot, tmp_path):
    page = chromium_page
    page.goto(visualiser.url + "compare")
    wait_for_solara(page)
    page.locator("button.compare-run").wait_for()
    mine = tmp_path / "my_ward.toml"
    mine.write_text(UPLOAD)
    with page.expect_file_chooser() as chooser:
        page.locator("button.compare-upload").click()
    chooser.value.set_files(mine)
    expect(page.locator(".compare-your-files")).to_contain_text("My ward with a cafe")
    set_slider(page, "replicates", 2)
    set_slider(page, "days", 90)  # the 1:1s start on day 90
    set_slider(page, "residents", 200)
    page.locator("button.compare-run").click()
    page.locator(".compare-done").wait_for(timeout=240_000)
    done = page.locator(".compare-done").text_content()

    to_page(page, "live")
    to_page(page, "compare")
    expect(page.locator(".compare-done")).to_have_text(done)
    expect(page.get_by_text("The report (HTML)", exact=True)).to_be_visible()
    expect(page.frame_locator("iframe.compare-report").locator("#decision")).to_contain_text(
        "What to fund")
    expect(page.locator(".compare-your-files")).to_contain_text("My ward with a cafe")
    expect(page.locator(".compare-scenarios")).to_contain_text("My ward with a cafe")
    expect(page.locator(".lever-residents [role=slider]").first).to_have_attribute(
        "aria-valuenow", "200")
    expect(page.locator(".compare-stale")).to_have_count(0)  # the report is of these choices

    # a long comparison goes on while the live page is shown, and is shown on return
    set_slider(page, "replicates", 30)
    set_slider(page, "days", 730)
    page.locator("button.compare-run").click()
    expect(page.locator(".compare-progress")).to_contain_text("Running:", timeout=60_000)
    to_page(page, "live")
    page.go_back()  # the browser's Back, this time
    page.locator("button.compare-run").wait_for(state="attached", timeout=60_000)
    expect(page.locator(".compare-progress")).to_contain_text("Running:")
    expect(page.locator(".compare-previous")).to_have_text(done)  # the last one, below
    save_screenshot(page, "page-switch-compare-running")
    page.locator("button.compare-stop").click()
    expect(page.locator(".compare-stopped")).to_contain_text("as you asked", timeout=120_000)
    expect(page.locator(".compare-done")).to_have_text(done)


def test_two_tabs_keep_their_own_pages(visualiser, chromium_page, wait_for_solara):
    first = chromium_page
    second = first.context.new_page()
    for page in (first, second):
        page.goto(visualiser.url)
        wait_for_solara(page)
        expect(page.locator(".day-counter")).to_have_text("Day 0", timeout=60_000)
    first.locator("button.live-week").click()
    expect(first.locator(".day-counter")).to_have_text("Day 7")
    choose(second, "live-scenario", SMALL)
    to_page(second, "compare")
    to_page(second, "live")
    expect(second.locator(".day-counter")).to_have_text("Day 0")
    expect(second.locator(".live-pending-note")).to_be_visible()  # its own choice, kept
    to_page(first, "compare")
    to_page(first, "live")
    expect(first.locator(".day-counter")).to_have_text("Day 7")
    expect(first.locator(".live-pending-note")).to_have_count(0)
