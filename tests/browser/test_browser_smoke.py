"""The offline browser pipeline end to end, on Mesa's own virus_on_network SolaraViz app.

Proves the harness and the asset cache: the page is served by ``solara run`` on loopback, every
``/_solara/cdn/`` file comes from the project's cache, nothing leaves the machine, and the page
shows real widgets (controls, a drawn network and chart), not the loading spinner.
"""

import time

import pytest

expect = pytest.importorskip("playwright.sync_api").expect

APP = "mesa.examples.basic.virus_on_network.app"


@pytest.mark.browser
def test_solaraviz_renders_offline(
    solara_app_server, chromium_page, wait_for_solara, wait_for_quiet, save_screenshot
):
    server = solara_app_server(APP)
    page = chromium_page
    t0 = time.monotonic()
    page.goto(server.url)
    wait_for_solara(page)
    step = page.get_by_role("button", name="Step")
    step.wait_for()
    page.locator(".vega-embed").first.wait_for()  # altair network + plot drawn by vega
    page.get_by_text("Time: 0.0").wait_for()
    ready = time.monotonic() - t0

    for day in (1, 2, 3):  # three steps, so the chart draws lines, not a single point
        step.click()
        page.get_by_text(f"Time: {day}.0").wait_for()
        expect(step).to_be_enabled()  # the step (and its redraw) has finished
    page.mouse.move(0, 0)  # no hover highlight in the screenshot
    wait_for_quiet(page)  # the last step's redraw has arrived
    page.get_by_text("Infected Remaining").wait_for()
    shot = save_screenshot(page, "smoke-virus-on-network")

    log = page.offline_log
    print(
        f"server start {server.started_in:.1f} s, page ready {ready:.1f} s, "
        f"{len(log.cdn_ok)} cdn files, screenshot {shot}"
    )
    assert log.blocked == [], f"page tried to leave the machine: {log.blocked}"
    assert log.cdn_failures == [], f"Solara CDN files missing from the cache: {log.cdn_failures}"
    assert any("solara-vuetify-app" in u for u in log.cdn_ok)
    # Solara 1.64 loads vega-lite 5 while altair 6 writes Vega-Lite 6 specs; the example's
    # altair chart then sometimes throws this while its first frame arrives (seen on fresh
    # machines, not reproducible at will). It is Mesa's example's chart, not ours (our pages
    # use no altair), and the chart still draws; any other page error fails the test.
    known = "Cannot read properties of undefined (reading 'usermeta')"
    assert [e for e in log.page_errors if e != known] == [], log.page_errors
    assert page.locator("#loader-container").count() == 0
