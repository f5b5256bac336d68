"""Two small browser-side widgets: a picture that tells the server where it was clicked (the
network view's resident picker), and the width of the browser's window (the live page draws its
charts in one column on a phone).

:class:`PickablePicture` wraps an ipywidgets ``Image`` (PNG bytes, sent as a binary buffer as
Solara's own image is) in a small Vue template (``sim/app/vue/picture.vue``) that reports a
click as fractions of the picture's width and height from its top left, whatever size the page
draws it at. ``on_pick(x, y)`` receives them.
"""

from __future__ import annotations

from pathlib import Path

import ipyvuetify as v
import ipywidgets as widgets
import solara
import traitlets

TEMPLATE = Path(__file__).with_name("vue") / "picture.vue"
VIEWPORT_TEMPLATE = Path(__file__).with_name("vue") / "viewport.vue"


class PickablePicture(v.VuetifyTemplate):
    template_file = str(TEMPLATE)
    image = traitlets.Instance(widgets.Image, allow_none=True).tag(
        sync=True, **widgets.widget_serialization)
    pickable = traitlets.Bool(True).tag(sync=True)
    picked = traitlets.Callable(None, allow_none=True)  # (not "on_pick": reacton reads on_* as
    # a listener to a trait of that name)

    def vue_pick(self, data) -> None:
        if self.picked is None or not isinstance(data, dict):
            return
        try:
            x, y = float(data["x"]), float(data["y"])
        except (KeyError, TypeError, ValueError):
            return
        if 0.0 <= x <= 1.0 and 0.0 <= y <= 1.0:
            self.picked(x, y)


@solara.component
def Picture(png: bytes, on_pick=None, classes=()):
    """PNG bytes drawn at up to their own width; ``on_pick(x, y)`` (fractions from the top
    left) when clicked. ``classes`` go on the image (for tests and styling)."""
    image = widgets.Image.element(value=png, format="png",
                                  layout=widgets.Layout(max_width="100%", height="auto"),
                                  _dom_classes=list(classes))
    PickablePicture.element(image=image, pickable=on_pick is not None, picked=on_pick)


class Viewport(v.VuetifyTemplate):
    """Nothing on the page; ``width`` follows the browser window's inner width in CSS pixels
    (0 until the page has reported it). ``Viewport.element(on_width=...)`` to hear of it."""

    template_file = str(VIEWPORT_TEMPLATE)
    width = traitlets.Int(0).tag(sync=True)
