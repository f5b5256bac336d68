"""The compare page's checks before Run, and the live page's save note, in a real browser
(qa5 findings 6 and 10), at a desktop's width and a phone's:

- a seed typed wrong is said under its field at once and Run waits;
- a run too short for the community to settle is warned before Run, and the days the
  warning names can be chosen;
- the note after a save keeps its long command inside its box.

Screenshots: test-output/checks-*.png.
"""

from __future__ import annotations

import pytest

expect = pytest.importorskip("playwright.sync_api").expect


def assert_within(page, inner: str, outer: str) -> None:
    """Every ``inner`` element lies inside the first ``outer`` one, and none of its text
    runs past its own edge."""
    box = page.locator(outer).first.bounding_box()
    for i in range(page.locator(inner).count()):
        el = page.locator(inner).nth(i)
        b = el.bounding_box()
        assert b["x"] >= box["x"] - 1 and b["x"] + b["width"] <= box["x"] + box["width"] + 1, \
            (inner, b, outer, box)
        # the text's own extent (a range over it), against the element's box
        over = el.evaluate("e => {const r = document.createRange(); r.selectNodeContents(e);"
                           "const t = r.getBoundingClientRect(), b = e.getBoundingClientRect();"
                           "return t.right - b.right;}")
        assert over <= 1, f"{inner}: its text runs {over:.0f} px past its right edge"


@pytest.mark.parametrize("width", [1400, 390])
def test_compare_seed_and_days_are_checked_before_run(visualiser, chromium_page,
                                                      wait_for_solara, save_screenshot, width):
    from tests.browser.test_visualiser import set_slider

    page = chromium_page
    page.set_viewport_size({"width": width, "height": 1000})
    page.goto(visualiser.url + "compare")
    wait_for_solara(page)
    page.locator("button.compare-run").wait_for(state="attached")
    if width <= 760:
        page.locator(".ks-fold-label").click()
    run = page.locator("button.compare-run")
    expect(run).to_be_enabled()
    seed = page.locator(".compare-seed input")
    # the value shown, at the field; "1e3" and a full-width 7 as run.py compare refuses them
    for typed, says in (("abc", "seed 'abc'"), ("-3", "seed -3 is below 0"),
                        ("", "seed ''"), ("1e3", "seed '1e3' is not a whole number"),
                        ("\uff17", "seed '\uff17' is not a whole number")):
        seed.fill(typed)
        expect(page.locator(".compare-seed")).to_contain_text(says, timeout=10_000)
        expect(run).to_be_disabled()
    seed.fill("abc")
    expect(page.locator(".compare-seed .v-messages")).to_contain_text(
        "seed 'abc' is not a whole number")
    set_slider(page, "days", 400)
    note = page.locator(".compare-settling-note")
    expect(note).to_contain_text("A run of 400 days: the verdicts will average days 301 to "
                                 "400")
    expect(note).to_contain_text("choose 486 days or more, 490 on this slider")  # as its button
    assert_within(page, ".compare-settling-note", ".ks-side")
    assert_within(page, ".compare-seed", ".ks-side")
    save_screenshot(page, f"checks-compare-{width}")
    page.locator("button.compare-settled-days").click()  # the first of the slider's days
    expect(page.locator(".lever-days")).to_contain_text("Days to simulate: 490")
    expect(note).to_have_count(0)
    seed.fill("42")
    expect(run).to_be_enabled()


@pytest.mark.parametrize("width", [1400, 390])
def test_the_save_note_keeps_its_command_inside_its_box(visualiser, app_scenarios,
                                                       chromium_page, wait_for_solara,
                                                       save_screenshot, width):
    page = chromium_page
    page.set_viewport_size({"width": width, "height": 1000})
    page.goto(visualiser.url)
    wait_for_solara(page)
    expect(page.locator(".day-counter")).to_have_text("Day 0", timeout=60_000)
    if width <= 760:
        page.locator(".ks-fold-label").click()
    page.get_by_text("Save this setup as a scenario file").click()
    name = f"Browser check {width}"
    page.locator(".save-name input").fill(name)
    page.locator("button.save-scenario").click()
    ok = page.locator(".save-ok")
    try:
        expect(ok).to_contain_text(f"browser_check_{width}.toml", timeout=30_000)
        expect(page.locator(".save-name")).to_contain_text(
            f"saved as browser_check_{width}.toml; to save another file, type another "
            "scenario name here")
        ok.scroll_into_view_if_needed()
        save_screenshot(page, f"checks-save-{width}", full_page=False)
        assert_within(page, ".save-ok", ".ks-side")
    finally:
        (app_scenarios / f"browser_check_{width}.toml").unlink(missing_ok=True)


def test_the_compare_pages_sliders_are_named_as_their_labels(visualiser, chromium_page,
                                                           wait_for_solara):
    """A user check: the sliders had no accessible name (a screen reader said "slider, 730"):
    each is named as the words above it, as Chromium's accessibility tree reads it."""
    page = chromium_page
    page.goto(visualiser.url + "compare")
    wait_for_solara(page)
    page.locator("button.compare-run").wait_for(state="attached")
    labels = {"replicates": "Replicates per scenario", "days": "Days to simulate",
              "residents": "Residents"}
    for key, name in labels.items():
        # the words shown above the slider, and the slider under them named by them
        expect(page.locator(f".lever-{key}")).to_contain_text(f"{name}: ")
        slider = page.get_by_role("slider", name=name, exact=True)
        expect(slider).to_have_count(1)
        assert page.locator(f".lever-{key} [role=slider]").get_attribute("aria-label") == name
    tree = page.context.new_cdp_session(page).send("Accessibility.getFullAXTree")["nodes"]
    named = [(n.get("name") or {}).get("value") for n in tree
             if (n.get("role") or {}).get("value") == "slider" and not n.get("ignored")]
    assert named == list(labels.values()), named
