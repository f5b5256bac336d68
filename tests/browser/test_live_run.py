"""The live page's run controls and panel in a real browser, after user checks (qa5):

- "Apply and restart" pressed while the run plays: the page showed Pause over a run that no
  longer played, Step greyed out, the counter at Day 0 for good. Now Play has stopped and
  says so (the button reads Play, Step works).
- A run could be stepped past its last day (Day 761 of a run of 730); the steps now stop
  there and are greyed out, and the "run is complete" note goes when a new setup starts.
- Putting a wrong value right folded the whole "Settings of ..." panel being edited.

The scenarios are the tests' own (tests/app_scenarios.py): the small estate runs 120 days
with 300 residents.
"""

from __future__ import annotations

import pytest

from tests.browser.test_live_design import choose, set_speed, start_from

expect = pytest.importorskip("playwright.sync_api").expect
PlaywrightTimeout = pytest.importorskip("playwright.sync_api").TimeoutError

SMALL = "Small estate (small.toml)"
BASELINE = "Baseline (baseline.toml)"
DAY = "parseInt(document.querySelector('.day-counter').textContent.slice(4))"


def test_apply_while_playing_stops_cleanly_and_the_new_setup_steps(live):
    page = live
    set_speed(page, "10 days a second")
    play = page.locator("button.live-play")
    play.click()
    expect(play).to_contain_text("Pause")
    page.wait_for_function(f"() => {DAY} >= 3", timeout=60_000)
    choose(page, "live-scenario", SMALL)
    page.locator("button.live-apply.ks-pending").wait_for()
    page.locator("button.live-apply").click()
    expect(page.locator(".live-header")).to_have_text("Small estate", timeout=60_000)
    expect(page.locator(".day-counter")).to_have_text("Day 0")
    # stopped, and saying so: Play shows, the steps work
    expect(play).to_contain_text("Play", timeout=10_000)
    step = page.locator("button.live-step")
    expect(step).to_be_enabled()
    step.click()
    expect(page.locator(".day-counter")).to_have_text("Day 1", timeout=30_000)
    play.click()  # one click plays the new setup
    page.wait_for_function(f"() => {DAY} >= 4", timeout=60_000)
    play.click()
    expect(play).to_contain_text("Play")


def test_the_run_stops_at_its_last_day_and_the_note_goes_on_restart(live):
    page = live
    start_from(page, SMALL)
    expect(page.locator(".live-community")).to_contain_text("run of 120 days")
    month = page.locator("button.live-month")
    for _ in range(3):
        month.click()
        page.wait_for_function(f"() => {DAY} % 30 == 0 && {DAY} > 0", timeout=60_000)
    expect(page.locator(".day-counter")).to_have_text("Day 90", timeout=60_000)
    set_speed(page, "100 days a second")
    page.locator("button.live-play").click()
    note = page.locator(".live-stopped")
    expect(note).to_have_text("The run is complete: day 120 of 120. To run it again from day "
                              "0, press \u201cApply and restart\u201d in the Programme panel.",
                              timeout=60_000)
    expect(page.locator(".day-counter")).to_have_text("Day 120")
    for cls in ("live-play", "live-step", "live-week", "live-month"):
        expect(page.locator(f"button.{cls}")).to_be_disabled()
    expect(page.locator(".live-interventions")).to_contain_text("days 2-60")

    choose(page, "live-scenario", BASELINE)
    page.locator("button.live-apply.ks-pending").wait_for()
    page.locator("button.live-apply").click()
    expect(page.locator(".live-header")).to_have_text("Baseline", timeout=60_000)
    expect(note).to_have_count(0)
    expect(page.locator("button.live-step")).to_be_enabled()
    expect(page.locator("button.live-play")).to_be_enabled()


def test_putting_a_wrong_value_right_leaves_the_settings_open(live):
    page = live
    start_from(page, SMALL)
    page.get_by_text("Settings of Palatable activity at the hubs").click()
    field = page.locator(".field-start_day input")
    expect(field).to_be_visible(timeout=10_000)
    for text, error in (("abc", True), ("5", False)):
        for attempt in range(3):  # a render under way when typing can put the old text back
            field.fill(text)
            field.press("Enter")
            try:
                if error:
                    page.locator("button.live-apply[disabled]").wait_for(timeout=15_000)
                else:
                    page.locator("button.live-apply.ks-pending:not([disabled])").wait_for(
                        timeout=15_000)
                break
            except PlaywrightTimeout:
                print(f"typing {text!r} did not take (attempt {attempt + 1})")
    page.wait_for_timeout(1_500)  # the redraw after the value has come back
    expect(field).to_be_visible()
    expect(field).to_have_value("5")


def test_the_remove_buttons_are_named(live):
    """A user check: the trash icons had no accessible name and no tooltip."""
    page = live
    start_from(page, SMALL)
    remove = page.get_by_role("button", name="Remove Palatable activity at the hubs")
    expect(remove).to_have_count(1)
    expect(remove).to_have_attribute("title", "Remove Palatable activity at the hubs")
