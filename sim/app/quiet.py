"""Quiet consoles: the two messages Solara prints on every page load, and why they are safe to
silence here.

- **Browser console**: "Failed to evaluate Vue script and find module.exports, falling back to
  old method". Solara's router widget (``solara/widgets/vue/navigator.vue``, Solara 1.64) spells
  ``modules.export = {`` where Vue templates need ``module.exports = {``; ipyvue then evaluates
  the script the old way (which works) and warns. :func:`fix_router_template` points the
  widget at ``sim/app/vue/navigator.vue``, Solara's own file with that one word corrected, and
  only while Solara's file still has the typo and is otherwise identical (a test checks both,
  so an upgrade of Solara cannot silently swap in a stale copy).
- **Server terminal**: a 10-line ``UserWarning`` "Cookies with samesite=none require https",
  raised for every page served over plain http on a host other than "localhost" (the
  visualiser serves 127.0.0.1). It concerns embedding the page in another site's iframe,
  which the visualiser never does; Solara falls back to ``samesite=lax``, which is right for a
  page opened directly. :func:`silence_cookie_warning` filters exactly that warning from that
  module.
"""

from __future__ import annotations

import warnings
from pathlib import Path

FIXED_ROUTER_TEMPLATE = Path(__file__).with_name("vue") / "navigator.vue"
TYPO, FIX = "modules.export = {", "module.exports = {"
COOKIE_WARNING = "Cookies with samesite=none require https"


def router_widget():
    """Solara's router widget class (the one that carries the template)."""
    from solara.widgets.widgets import Navigator

    return Navigator


def fix_router_template() -> bool:
    """Use the corrected router template when Solara's still has the typo and matches ours
    otherwise; returns whether the fix is in place."""
    widget = router_widget()
    if Path(widget.template_file) == FIXED_ROUTER_TEMPLATE:
        return True
    try:
        upstream = Path(widget.template_file).read_text(encoding="utf-8")
    except OSError:
        return False
    if TYPO not in upstream:
        return False  # fixed upstream: nothing to do
    if upstream.replace(TYPO, FIX, 1) != FIXED_ROUTER_TEMPLATE.read_text(encoding="utf-8"):
        return False  # Solara changed the file: keep theirs rather than a stale copy
    widget.template_file = str(FIXED_ROUTER_TEMPLATE)
    return True


def silence_cookie_warning() -> None:
    warnings.filterwarnings("ignore", message=COOKIE_WARNING, category=UserWarning,
                            module=r"solara\.server\.starlette")


def quiet_consoles() -> None:
    """Both of the above; called once when the app module is imported."""
    fix_router_template()
    silence_cookie_warning()
