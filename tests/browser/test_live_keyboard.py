"""The live page from the keyboard, after a user check: the control the keyboard was on showed
only Vuetify's faint grey background, and each page's name in the title bar took two Tab
presses (a link around a button). Each is one tab stop, and whatever has the focus has a
clear ring round it (WCAG 2.4.7)."""

from __future__ import annotations

import pytest

pytest.importorskip("playwright.sync_api")

FOCUSED = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  return {tag: el.tagName, text: (el.innerText || '').trim(),
          outline: style.outlineStyle, width: parseFloat(style.outlineWidth) || 0};
}"""


def _tab(page) -> dict:
    page.keyboard.press("Tab")
    return page.evaluate(FOCUSED)


def test_each_page_name_is_one_tab_stop_and_the_focus_is_ringed(live):
    page = live
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    stops = [_tab(page) for _ in range(3)]
    assert [s["text"] for s in stops[:2]] == ["Live community", "Compare scenarios"], stops
    for stop in stops[:2]:
        assert stop["outline"] != "none" and stop["width"] >= 2, stop
    # a button of the page, reached by the keyboard, is ringed too
    page.locator("button", has_text="Step").first.focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    step = page.evaluate(FOCUSED)
    assert step["text"].lower() == "step", step
    assert step["outline"] != "none" and step["width"] >= 2, step
