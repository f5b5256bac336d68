"""The live page's design panel in a real browser, after a user check:

- the model settings' sliders had no accessible name; each has its visible label.

The scenarios are the tests' own (tests/app_scenarios.py); files saved here are removed.
"""

from __future__ import annotations

import pytest

expect = pytest.importorskip("playwright.sync_api").expect


@pytest.fixture
def live(visualiser, chromium_page, wait_for_solara):
    page = chromium_page
    page.goto(visualiser.url)
    wait_for_solara(page)
    expect(page.locator(".day-counter")).to_have_text("Day 0", timeout=60_000)
    yield page
    log = page.offline_log
    assert log.blocked == [] and log.cdn_failures == [] and log.page_errors == [], log


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
