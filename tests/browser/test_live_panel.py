"""The live page's design panel in a real browser, after a user check:

- after "Apply and restart" with a new setup, "Saved as ..." stayed, and the name field
  opened saying the name was taken (by the file just saved). The note belongs to the setup
  it saved: the same setup applied keeps it, another one does not, and the name field
  then offers a free name with no error;
- a seed typed counted as a change waiting, yet "Discard changes" kept it and a saved file
  did not hold it. The seed is the scenario file's [run] seed: Discard puts the file's seed
  back, and Save writes the one typed;
- a second "A new hub or third space" opened the first one's default hub, and the page
  showed a name clash the user had not made; it gets a hub name of its own;
- the model settings' sliders had no accessible name; each has its visible label.

The scenarios are the tests' own (tests/app_scenarios.py); files saved here are removed.
"""

from __future__ import annotations

import pytest

from sim.app.draft import safe_stem
from tests.browser.test_live_design import choose

expect = pytest.importorskip("playwright.sync_api").expect

NEW_HUB = "A new hub or third space"


def apply(page, header: str) -> None:
    """Press "Apply and restart" and wait for the run of the setup called ``header``."""
    page.locator("button.live-apply.ks-pending").wait_for(timeout=30_000)
    page.locator("button.live-apply").click()
    expect(page.locator(".live-header")).to_have_text(header, timeout=60_000)
    expect(page.locator("button.live-apply.ks-pending")).to_have_count(0)


def save(page, name: str | None = None, file: str | None = None) -> None:
    """Save the setup from the open "Save" fold, typing ``name`` and ``file`` if given."""
    if name is not None:
        page.locator(".save-name input").fill(name)
        if file is not None:  # the file name made from the name has come back, so that
            # it does not land in the field while the file name is typed (a CI run: "seed_43_
            # saved_in_a_browser_checkseed_43_browser_check")
            expect(page.locator(".save-file input")).to_have_value(safe_stem(name),
                                                                    timeout=10_000)
    if file is not None:
        page.locator(".save-file input").fill(file)
        expect(page.locator(".save-file input")).to_have_value(file)
    page.locator("button.save-scenario").click()
    expect(page.locator(".save-ok")).to_be_visible(timeout=30_000)


def test_the_save_note_goes_when_another_setup_is_applied(live, app_scenarios):
    page = live
    choose(page, "iv-add", "Bridge figures")
    page.get_by_text("Save this setup as a scenario file").click()
    # not applied yet: the fold says it saves the panel's setup, not the run's
    expect(page.locator(".save-pending")).to_contain_text("which is not yet applied")
    expect(page.locator(".save-unchanged")).to_have_count(0)  # one change: not a plain copy
    try:
        save(page, "Bridges, saved in a browser check")
        name = page.locator(".save-name")
        expect(name).to_contain_text("saved as bridges_saved_in_a_browser_check.toml")
        apply(page, "Baseline + 1 change")  # the setup saved: its note stays
        expect(page.locator(".save-pending")).to_have_count(0)  # the panel is the run's
        page.wait_for_timeout(1_000)  # an effect of the Apply, if any, has come back
        expect(page.locator(".save-ok")).to_contain_text(
            "bridges_saved_in_a_browser_check.toml")

        choose(page, "iv-add", "Shared myth (place-story events)")
        apply(page, "Baseline + 2 changes")  # another setup: the note goes
        expect(page.locator(".save-ok")).to_have_count(0, timeout=10_000)
        expect(page.locator(".save-name input")).to_have_value("Baseline + 2 changes")
        expect(name).not_to_contain_text("already the name")
        expect(page.locator(".save-name .error--text")).to_have_count(0)
        expect(page.locator("button.save-scenario")).to_be_enabled()
    finally:
        (app_scenarios / "bridges_saved_in_a_browser_check.toml").unlink(missing_ok=True)


def test_discard_puts_the_files_seed_back_and_save_writes_the_seed_typed(live,
                                                                          app_scenarios):
    from sim.scenario.loader import load_scenario

    page = live
    seed = page.locator(".live-seed input")
    seed.fill("42")
    page.locator("button.live-apply.ks-pending").wait_for(timeout=30_000)
    expect(page.get_by_text("Baseline + 1 change: what changed")).to_be_visible()
    discard = page.locator("button.live-discard")
    expect(discard).to_be_enabled()
    discard.click()
    expect(seed).to_have_value("20261124", timeout=10_000)
    expect(page.locator("button.live-apply.ks-pending")).to_have_count(0)
    expect(discard).to_be_disabled()

    seed.fill("43")
    page.locator("button.live-apply.ks-pending").wait_for(timeout=30_000)
    page.get_by_text("Save this setup as a scenario file").click()
    path = app_scenarios / "seed_43_browser_check.toml"
    try:
        save(page, "Seed 43, saved in a browser check", "seed_43_browser_check")
        assert load_scenario(path).run.seed == 43
    finally:
        path.unlink(missing_ok=True)
    apply(page, "Baseline + 1 change")
    expect(page.locator(".live-community")).to_contain_text("seed 43")


def test_a_second_new_hub_has_a_hub_name_of_its_own(live):
    page = live
    choose(page, "iv-add", NEW_HUB)
    expect(page.locator(".iv-0")).to_be_visible(timeout=30_000)
    choose(page, "iv-add", NEW_HUB)
    second = page.locator(".iv-1")
    expect(second).to_be_visible(timeout=30_000)
    expect(second.locator(".field-hub-name input")).to_have_value("community_space_2")
    page.wait_for_timeout(1_000)  # the loader's verdict on the draft has come back
    expect(page.locator(".design-card")).not_to_contain_text("community_space'")
    expect(page.get_by_text("to fix before applying")).to_have_count(0)
    apply(page, "Baseline + 2 changes")
    expect(page.locator(".live-interventions")).to_contain_text(f"{NEW_HUB} (2)")


def test_each_slider_is_named_by_its_label(live):
    page = live
    page.get_by_text("Advanced: model settings").click()
    levers = page.locator("[class*='lever-']")
    expect(levers.first).to_be_visible(timeout=10_000)
    assert levers.count() >= 5
    for i in range(levers.count()):
        lever = levers.nth(i)
        label = lever.inner_text().split(": ")[0].strip()  # "Residents: 1,000"
        # the accessible name, as Chromium computes it for its accessibility tree
        tree = [line.strip() for line in lever.aria_snapshot().splitlines()]
        assert [x for x in tree if x.startswith("- slider")] == [f'- slider "{label}"'], (
            label, tree)
        expect(page.get_by_role("slider", name=label, exact=True)).to_have_count(1)
