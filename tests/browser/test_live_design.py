"""Issue 13 in a real browser: a programme is designed on the live page and compared.

- An intervention's size is changed in the panel; "Apply and restart" is highlighted until
  it is pressed; then the header names the scenario and its change and every chart carries
  the ghost baseline, with the running difference in numbers.
- Play at full speed at 1,000 residents (the organisers' scenario, its ghost running beside
  it): simulated days a second are measured from the day counter on the page and printed;
  the target is 30.
- A scenario file is uploaded on the compare page, checked, run and compared.
- At 1,280 px and at 390 px nothing is clipped: every control, picture and table cell lies
  inside the viewport and the page never scrolls sideways; at 390 px the main content comes
  first and the controls are folded away.
- The browser console has no Vue warning; the server's log has no cookie warning.

Screenshots: test-output/design-*.png.
"""

from __future__ import annotations

import re
import time

import pytest

expect = pytest.importorskip("playwright.sync_api").expect
PlaywrightTimeout = pytest.importorskip("playwright.sync_api").TimeoutError

ORGANISERS = "Community organising 1:1s (one_to_ones.toml)"
TARGET_DAYS_PER_S = 30.0
UPLOAD = """name = "My ward with a cafe"
description = "Uploaded in the browser test: the small estate with a new cafe."
extends = "small.toml"

[[interventions]]
type = "third_space"
label = "Ward cafe"
start_day = 5
hub = { name = "ward_cafe", location = "boundary", capacity = 25, open_days = ["tue", "sat"] }
"""


def choose(page, cls: str, option: str) -> None:
    page.locator(f".{cls}").first.click()
    page.get_by_role("option", name=option).click()


def start_from(page, label: str) -> None:
    """Pick a scenario file and apply it (the run restarts with it)."""
    choose(page, "live-scenario", label)
    page.locator("button.live-apply.ks-pending").wait_for()
    page.locator("button.live-apply").click()
    expect(page.locator(".live-header")).to_have_text(label.split(" (")[0], timeout=60_000)
    expect(page.locator(".day-counter")).to_have_text("Day 0")


def test_change_a_size_in_the_panel_apply_and_see_the_ghost(live, save_screenshot):
    page = live
    start_from(page, ORGANISERS)
    page.get_by_text("Settings of Organisers' 1:1 conversations").click()
    field = page.locator(".field-organisers input")
    expect(field).to_have_value("10")
    for attempt in range(3):  # a render under way when typing can put the old text back
        field.fill("25")
        field.press("Enter")
        try:
            page.locator("button.live-apply.ks-pending").wait_for(timeout=15_000)
            break
        except PlaywrightTimeout:
            print(f"typing 25 did not take (attempt {attempt + 1})")
    apply = page.locator("button.live-apply")
    page.locator("button.live-apply.ks-pending").wait_for()
    expect(page.locator(".live-pending-note")).to_be_visible()
    expect(page.locator(".live-header")).to_have_text("Community organising 1:1s")
    save_screenshot(page, "design-1-panel-pending")

    apply.click()
    header = page.locator(".live-header")
    expect(header).to_have_text("Community organising 1:1s + 1 change", timeout=60_000)
    expect(page.locator("button.live-apply.ks-pending")).to_have_count(0)
    expect(page.locator(".live-interventions")).to_contain_text("days 90-730")
    # the ghost: the differences table and the charts' key, before and after day 90
    diffs = page.locator("table.live-differences")
    expect(diffs).to_contain_text("Baseline")
    expect(diffs).to_contain_text("Trust other groups")
    set_speed(page, "100 days a second")
    page.locator("button.live-play").click()
    page.wait_for_function("() => parseInt(document.querySelector('.day-counter')"
                           ".textContent.slice(4)) >= 200", timeout=60_000)
    page.locator("button.live-play").click()
    time.sleep(1.0)
    cells = diffs.locator("td.num").all_text_contents()
    assert any(c.strip() not in ("0.0 points", "0", "0.0") for c in cells[2::4]), cells
    save_screenshot(page, "design-2-applied-with-ghost")


def test_opening_the_model_settings_changes_nothing_and_discard_resets_them(live):
    """A user check: opening "Advanced: model settings" and touching nothing lit "Apply and
    restart" with "new needs per resident per day 0.01097 -> 0.011" (the slider drew the
    baseline's value on its 0.001 grid and sent that back), and "Discard changes" could not
    clear it. Opened, nothing is pending; moved one step and discarded, nothing is."""
    page = live
    page.get_by_text("Advanced: model settings").click()
    lever = page.locator(".lever-p_need")
    expect(lever).to_contain_text("New short-term needs per resident per day: 0.01097",
                                  timeout=10_000)
    page.wait_for_timeout(2_000)  # the slider's echo, if any, has come back by now
    expect(page.locator("button.live-apply.ks-pending")).to_have_count(0)
    expect(page.locator(".live-pending-note")).to_have_count(0)
    expect(page.locator("button.live-discard")).to_be_disabled()

    thumb = lever.locator("[role=slider]").first
    thumb.focus()
    thumb.press("ArrowRight")
    page.locator("button.live-apply.ks-pending").wait_for(timeout=15_000)
    expect(page.get_by_text("Baseline + 1 change: what changed")).to_be_visible()
    page.locator("button.live-discard").click()
    expect(lever).to_contain_text("New short-term needs per resident per day: 0.01097",
                                  timeout=10_000)
    page.wait_for_timeout(2_000)
    expect(page.locator("button.live-apply.ks-pending")).to_have_count(0)
    expect(page.locator("button.live-discard")).to_be_disabled()


def set_speed(page, label: str) -> None:
    choose(page, "live-speed", label)


def test_a_new_interventions_settings_show_open_and_one_click_folds_them(live):
    """After adding an intervention its settings are open, and one click folds them (a user
    check saw them drawn closed, the first click doing nothing, in three sessions; not seen
    again here, this holds it)."""
    page = live
    choose(page, "iv-add", "Bridge figures")
    field = page.locator(".field-figures input")
    expect(field).to_be_visible(timeout=30_000)
    expect(field).to_have_value("20.0")
    header = page.get_by_text("Settings of Bridge figures")
    header.click()
    expect(field).to_be_hidden(timeout=10_000)
    header.click()
    expect(field).to_be_visible(timeout=10_000)


def test_play_at_full_speed_reaches_30_days_a_second(live, save_screenshot):
    page = live
    start_from(page, ORGANISERS)  # 1,000 residents, with the ghost baseline
    expect(page.locator(".live-community")).to_contain_text("1,000 residents")
    set_speed(page, "As fast as it goes")
    page.evaluate("""() => {
        window.__days = [];
        const read = () => parseInt(document.querySelector('.day-counter').textContent.slice(4));
        window.__timer = setInterval(() => {
            const d = read();
            const last = window.__days[window.__days.length - 1];
            if (!last || last[1] !== d) window.__days.push([performance.now(), d]);
        }, 20);
    }""")
    page.locator("button.live-play").click()
    page.wait_for_function("() => window.__days.length > 2 && "
                           "window.__days[window.__days.length - 1][1] >= 600 || "
                           "(window.__days.length > 2 && performance.now() - "
                           "window.__days[1][0] > 15000)", timeout=60_000)
    samples = page.evaluate("() => { clearInterval(window.__timer); return window.__days; }")
    # not paused here: at full speed the run may reach its last day, and grey out Pause, in the
    # moment a click takes to arrive (CI's machine did, at day 600 of 730); it stops itself
    run_days = re.search(r"run of (\d+) days", page.locator(".live-community").inner_text())
    expect(page.locator(".day-counter")).to_have_text(f"Day {run_days.group(1)}",
                                                      timeout=60_000)
    expect(page.locator("button.live-play")).to_be_disabled()
    first, last = samples[1], samples[-1]  # from the first frame of Play
    days_per_s = (last[1] - first[1]) / ((last[0] - first[0]) / 1000.0)
    frames_per_s = (len(samples) - 2) / ((last[0] - first[0]) / 1000.0)
    print(f"Play as fast as it goes at 1,000 residents with the ghost: {days_per_s:.0f} "
          f"simulated days/s, {frames_per_s:.1f} frames/s (days {first[1]}-{last[1]} in "
          f"{(last[0] - first[0]) / 1000:.1f} s; target {TARGET_DAYS_PER_S:.0f} days/s)")
    save_screenshot(page, "design-3-played-full-speed")
    assert days_per_s >= TARGET_DAYS_PER_S


def test_upload_a_scenario_on_the_compare_page(visualiser, chromium_page, wait_for_solara,
                                               save_screenshot, tmp_path):
    from tests.browser.test_visualiser import set_slider

    page = chromium_page
    page.goto(visualiser.url + "compare")
    wait_for_solara(page)
    page.locator("button.compare-run").wait_for()
    bad = tmp_path / "outside.toml"
    bad.write_text(UPLOAD.replace('extends = "small.toml"', 'extends = "/etc/hosts"'))
    with page.expect_file_chooser() as chooser:
        page.locator("button.compare-upload").click()
    chooser.value.set_files(bad)
    expect(page.locator(".compare-upload-error")).to_contain_text(
        "may only extend a scenario offered here")
    # the button counts no file it was refused (a user check: "Upload .toml (1)")
    expect(page.locator("button.compare-upload")).not_to_contain_text("(1)")
    good = tmp_path / "my_ward.toml"
    good.write_text(UPLOAD)
    with page.expect_file_chooser() as chooser:
        page.locator("button.compare-upload").click()
    chooser.value.set_files(good)
    expect(page.locator(".compare-upload-error")).to_have_count(0)
    expect(page.locator(".compare-scenarios")).to_contain_text("My ward with a cafe")
    # compare the uploaded file with the small estate it extends, briefly
    page.locator(".compare-scenarios").click()
    page.get_by_role("option", name="Community organising 1:1s (one_to_ones.toml)").click()
    page.get_by_role("option", name="Small estate (small.toml)").click()
    page.keyboard.press("Escape")
    set_slider(page, "replicates", 2)
    set_slider(page, "days", 40)
    set_slider(page, "residents", 300)
    expect(page.locator(".compare-estimate")).to_contain_text("runs of 40 days",
                                                              timeout=60_000)
    save_screenshot(page, "design-4-compare-uploaded")
    page.locator("button.compare-run").click()
    page.locator(".compare-done").wait_for(timeout=240_000)
    report = page.frame_locator("iframe.compare-report")  # report.html, the same page
    card = report.locator("#decision")
    expect(card).to_contain_text("What to fund")
    expect(report.locator("body")).to_contain_text("My ward with a cafe")
    expect(report.locator("#charts")).to_be_visible()
    expect(report.locator("img").first).to_be_visible()  # the effects chart first
    print(page.locator(".compare-done").text_content())
    save_screenshot(page, "design-5-compare-result")


@pytest.mark.parametrize("width", [1280, 390])
def test_nothing_is_clipped(visualiser, chromium_page, wait_for_solara, save_screenshot,
                            width):
    from tests.browser.test_visualiser import set_slider

    page = chromium_page
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(visualiser.url)
    wait_for_solara(page)
    expect(page.locator(".day-counter")).to_have_text("Day 0", timeout=60_000)
    narrow = width <= 760
    if narrow:  # main content first; the controls folded away until asked for
        assert page.locator(".live-header").bounding_box()["y"] < 250
        assert page.locator("img.live-network").bounding_box()["y"] < 900
        expect(page.locator(".ks-side-body")).to_be_hidden()
        page.locator(".ks-fold-label").click()
        expect(page.locator(".ks-side-body")).to_be_visible()
    else:
        expect(page.locator(".ks-fold-label")).to_be_hidden()
    choose(page, "live-scenario", ORGANISERS)  # a long name in the fixed-width column
    page.locator("button.live-apply.ks-pending").wait_for()
    page.locator("button.live-apply").click()
    expect(page.locator(".live-header")).to_have_text("Community organising 1:1s",
                                                      timeout=60_000)
    page.locator("button.live-week").click()
    expect(page.locator(".day-counter")).to_have_text("Day 7")
    assert_inside(page, [".ks-bar", ".day-counter", ".live-header", ".live-community",
                         "button.live-play", "button.live-step", "button.live-month",
                         ".live-speed", "img.live-network", "img.live-charts",
                         "table.live-differences", ".network-legend", ".resident-state",
                         ".live-scenario", "button.live-apply", ".iv-card"])
    save_screenshot(page, f"design-6-live-{width}")

    page.goto(visualiser.url + "compare")
    wait_for_solara(page)
    page.locator("button.compare-run").wait_for(state="attached")
    if narrow:
        expect(page.locator("button.compare-run")).to_be_hidden()  # folded away
        page.locator(".ks-fold-label").click()
    set_slider(page, "replicates", 2)
    set_slider(page, "days", 90)  # the 1:1s start on day 90: a shorter run is refused
    set_slider(page, "residents", 200)
    page.locator("button.compare-run").click()
    page.locator(".compare-done").wait_for(timeout=240_000)
    report = page.frame_locator("iframe.compare-report")
    expect(report.locator("#decision")).to_be_visible()
    assert_inside(page, [".ks-bar", ".compare-done", "button.compare-run",
                         "iframe.compare-report", ".compare-scenarios"])
    # inside the report: the decision card and each of its boxes (its wide tables scroll
    # inside their own box by design, sim/report/html.py)
    assert_inside(report, ["#decision", "#decision .pick", "img"],
                  width=page.viewport_size["width"])
    save_screenshot(page, f"design-7-compare-{width}")


@pytest.mark.parametrize("width", [1400, 390])
def test_apply_stands_clear_of_the_seed_field(visualiser, chromium_page, wait_for_solara,
                                              save_screenshot, width):
    """A user check: "Apply and restart" sat on the seed field's underline (the row's room
    above it was a margin, which the row's own class sets to 0)."""
    page = chromium_page
    page.set_viewport_size({"width": width, "height": 1000})
    page.goto(visualiser.url)
    wait_for_solara(page)
    expect(page.locator(".day-counter")).to_have_text("Day 0", timeout=60_000)
    if width <= 760:
        page.locator(".ks-fold-label").click()
    seed = page.locator(".live-seed").first
    seed.scroll_into_view_if_needed()
    gap = (page.locator("button.live-apply").bounding_box()["y"]
           - (lambda b: b["y"] + b["height"])(seed.bounding_box()))
    save_screenshot(page, f"design-apply-seed-{width}")
    assert gap >= 8, f"Apply starts {gap:.0f} px below the seed field"
    # and the save button's long label stays inside its card (it ran out of it at 1,400 px)
    page.get_by_text("Save this setup as a scenario file").click()
    save = page.locator("button.save-scenario")
    save.scroll_into_view_if_needed()
    card = page.locator(".design-card").bounding_box()
    box = save.bounding_box()
    assert box["x"] + box["width"] <= card["x"] + card["width"], (box, card)


def test_at_390_px_the_progress_and_the_result_show_without_scrolling(
        visualiser, chromium_page, wait_for_solara, save_screenshot):
    """QA: on a phone, Run left the settings open and the progress below the fold. Pressing
    Run folds the settings away: the progress, then the result, are on the screen where the
    user is, with no scrolling; the settings open again from their bar."""
    from tests.browser.test_visualiser import set_slider

    page = chromium_page
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(visualiser.url + "compare")
    wait_for_solara(page)
    page.locator(".ks-fold-label").click()
    set_slider(page, "replicates", 2)
    set_slider(page, "days", 90)  # the 1:1s start on day 90: a shorter run is refused
    set_slider(page, "residents", 200)
    page.locator("button.compare-run").scroll_into_view_if_needed()
    page.locator("button.compare-run").click()
    progress = page.locator(".compare-progress")
    progress.wait_for(timeout=60_000)
    save_screenshot(page, "design-8-compare-390-progress", full_page=False)
    assert_on_screen(page, ".compare-progress")
    page.locator(".compare-done").wait_for(timeout=240_000)
    save_screenshot(page, "design-9-compare-390-result", full_page=False)
    assert_on_screen(page, ".compare-done")
    assert_on_screen(page, "iframe.compare-report", whole=False)
    folded_away_and_back(page, "button.compare-run")


def test_at_390_px_apply_folds_the_panel_and_the_run_shows(visualiser, chromium_page,
                                                           wait_for_solara, save_screenshot):
    """QA: on a phone, "Apply and restart" left the programme panel open, and the picture
    of the restarted run began some 1,500 px down. Applying folds the panel away: the day
    and the picture are on the screen; the panel opens again from its bar."""
    page = chromium_page
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(visualiser.url)
    wait_for_solara(page)
    expect(page.locator(".day-counter")).to_have_text("Day 0", timeout=60_000)
    page.locator(".ks-fold-label").click()
    start_from(page, ORGANISERS)
    save_screenshot(page, "design-10-live-390-applied", full_page=False)
    assert_on_screen(page, ".day-counter")
    assert_on_screen(page, "img", whole=False)
    folded_away_and_back(page, "button.live-apply")


def folded_away_and_back(page, button: str) -> None:
    """On a phone the side panel holding ``button`` is folded away, and opens again from
    its bar."""
    expect(page.locator(button)).to_be_hidden()
    page.locator(".ks-fold-label").click()
    expect(page.locator(button)).to_be_visible()


def assert_on_screen(page, selector: str, whole: bool = True) -> None:
    """The element is in the viewport as the page is scrolled now (``whole``: all of it;
    else its top)."""
    box = page.locator(selector).first.bounding_box()
    height = page.viewport_size["height"]
    bottom = box["y"] + (box["height"] if whole else 1)
    assert box["y"] >= 0 and bottom <= height, (
        f"{selector} at y {box['y']:.0f}..{box['y'] + box['height']:.0f}: off the "
        f"{height} px screen")


def assert_inside(page, selectors: list[str], width: int | None = None) -> None:
    """Every visible match of each selector lies within the viewport's width, and the page
    does not scroll sideways (``page`` may be a frame locator: then give ``width``)."""
    frame = width is not None
    width = width if frame else page.viewport_size["width"]
    for sel in selectors:
        found = page.locator(sel)
        assert found.count() > 0, f"{sel}: not on the page"
        for i in range(found.count()):
            el = found.nth(i)
            if not el.is_visible():
                continue
            box = el.bounding_box()
            assert box["x"] >= -0.5 and box["x"] + box["width"] <= width + 0.5, (
                f"{sel}[{i}] at x {box['x']:.0f}..{box['x'] + box['width']:.0f} leaves the "
                f"{width} px viewport")
    if frame:
        return
    scroll = page.evaluate("() => document.documentElement.scrollWidth")
    assert scroll <= width, f"the page scrolls sideways: {scroll} px wide at {width} px"


def test_consoles_are_quiet(live, visualiser):
    page = live
    page.locator("button.live-step").click()
    expect(page.locator(".day-counter")).to_have_text("Day 1")
    page.goto(visualiser.url + "compare")
    page.locator("button.compare-run").wait_for()
    time.sleep(1.0)
    noisy = [m for m in page.console_messages
             if "module.exports" in m or m.startswith(("warning:", "error:"))]
    assert noisy == [], noisy
    assert "samesite" not in visualiser.log_path.read_text(errors="replace").lower()
