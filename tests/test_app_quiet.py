"""The browser and server consoles stay quiet: Solara's router template with its typo fixed,
and the cookie warning filtered (only that one)."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("solara")

from sim.app import quiet  # noqa: E402


def test_the_router_template_is_solaras_with_the_typo_fixed():
    import solara.widgets.widgets as solara_widgets

    upstream = Path(solara_widgets.__file__).parent / "vue" / "navigator.vue"
    text = upstream.read_text(encoding="utf-8")
    ours = quiet.FIXED_ROUTER_TEMPLATE.read_text(encoding="utf-8")
    if quiet.TYPO in text:  # Solara still has it: ours is theirs with one word fixed
        assert text.replace(quiet.TYPO, quiet.FIX, 1) == ours
        assert quiet.fix_router_template()
        assert Path(quiet.router_widget().template_file) == quiet.FIXED_ROUTER_TEMPLATE
    assert quiet.TYPO not in ours and quiet.FIX in ours


def test_the_cookie_warning_is_filtered_and_only_that_one():
    import warnings

    quiet.silence_cookie_warning()
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("default")
        quiet.silence_cookie_warning()
        warnings.warn_explicit(quiet.COOKIE_WARNING + " ...", UserWarning,
                               "starlette.py", 1, module="solara.server.starlette")
        warnings.warn_explicit("another warning", UserWarning, "starlette.py", 2,
                               module="solara.server.starlette")
    assert [str(w.message) for w in seen] == ["another warning"]
