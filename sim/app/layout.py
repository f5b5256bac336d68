"""The visualiser's page frame and small shared widgets.

Solara's ``AppLayout`` sizes its side drawer to its content (400 to 600 px), so a long
scenario name widened it over the page, and below 960 px it covered the page. The frame here
is plain CSS instead:

- wide screens: a side column of fixed width (:data:`SIDE_WIDTH_PX`) and the main content
  beside it, taking the rest and never pushed off the screen (``min-width: 0``);
- narrow screens (up to :data:`NARROW_PX`): one column; the controls are folded away behind a
  one-line bar above the main content (a checkbox and its label: no round trip to the
  server), so the page opens on the picture, not on the controls; a page folds them again
  when what they started shows in the main column (``Side(fold_again=...)``).

Usage, in a page component::

    with Frame():
        with Main():
            ...
        with Side(fold_label="Show the controls"):
            ...

Long names are shortened with an ellipsis and shown in full on hover (:func:`ShortText`);
with the class ``ks-wrap-narrow`` they wrap instead on narrow screens, which have no hover.
Tables with the class ``ks-stack`` become one block per row on narrow screens, each cell
labelled by its column (``data-label``), so that no column leaves the screen.
"""

from __future__ import annotations

import reacton.ipyvuetify as v
import solara

from sim.palette import FOCUS_RING, NOTE_TEXT, PENDING_EDGE, TITLE_BAR

SIDE_WIDTH_PX = 340
NARROW_PX = 760  # at or below this width the page is one column

CSS = f"""
.ks-bar {{display:flex; align-items:center; flex-wrap:wrap; gap:4px 12px; padding:6px 16px;
  background:{TITLE_BAR}; color:white; min-height:52px; box-sizing:border-box}}
.ks-bar .ks-title {{font-size:19px; font-weight:500; margin-right:auto; white-space:nowrap}}
.ks-bar .v-btn {{color:white !important; text-transform:none !important}}
/* where the keyboard is: a clear ring round the focused control (a user check saw only
   Vuetify's faint grey background); a checkbox's own input is invisible, so its box rings */
:focus-visible {{outline:3px solid {FOCUS_RING} !important; outline-offset:2px}}
.v-input--selection-controls__input:focus-within {{outline:3px solid {FOCUS_RING};
  outline-offset:1px; border-radius:3px}}
.ks-bar :focus-visible {{outline-color:white !important}}
.ks-frame {{display:flex; align-items:stretch; width:100%; box-sizing:border-box}}
.ks-main {{order:1; flex:1 1 auto; min-width:0; padding:10px 16px 24px; box-sizing:border-box}}
.ks-side {{order:0; flex:0 0 {SIDE_WIDTH_PX}px; width:{SIDE_WIDTH_PX}px;
  max-width:{SIDE_WIDTH_PX}px; box-sizing:border-box; padding:10px 10px 24px;
  border-right:1px solid #e3e3e3; background:#fafafa; overflow-wrap:anywhere}}
.ks-side .v-card {{margin-bottom:10px}}
/* a long button label wraps inside the side column ("Save to the scenarios folder" ran
   out of its card at 1,400 px) */
.ks-side .v-btn:not(.v-btn--icon) {{max-width:100%; height:auto !important; min-height:36px;
  padding-top:4px !important; padding-bottom:4px !important}}
.ks-side .v-btn:not(.v-btn--icon) .v-btn__content {{white-space:normal; flex:1 1 auto;
  min-width:0}}
/* a note's long word (a command, a path) breaks inside its box: the box's text is a flex
   item, which is never narrower than its longest word unless told (a user check found a
   saved file's command past the right edge of its note) */
.ks-side .v-alert__content, .ks-side .v-alert__wrapper {{min-width:0;
  overflow-wrap:anywhere}}
.ks-fold-toggle {{display:none}}
.ks-fold-label {{display:none}}
.ks-short {{overflow:hidden; text-overflow:ellipsis; white-space:nowrap; max-width:100%}}
.ks-grid {{display:grid; grid-template-columns:repeat(auto-fit, minmax(360px, 1fr));
  gap:12px; align-items:start}}
.ks-grid > * {{min-width:0}}
.ks-img img, img.ks-img {{max-width:100%; height:auto}}
.ks-note {{font-size:12px; color:{NOTE_TEXT}}}
.ks-pending {{box-shadow:0 0 0 3px {PENDING_EDGE} !important}}
table.ks-table {{border-collapse:collapse; width:100%; font-size:13px; table-layout:auto}}
table.ks-table th, table.ks-table td {{border:1px solid #dcdcdc; padding:3px 6px;
  text-align:left; vertical-align:top; overflow-wrap:anywhere}}
table.ks-table th {{background:#f1f1f1; font-weight:600}}
table.ks-table td.num {{text-align:right; font-variant-numeric:tabular-nums;
  white-space:nowrap}}
@media (max-width: {NARROW_PX}px) {{
  .ks-bar .ks-title {{font-size:16px}}
  .ks-frame {{flex-direction:column}}
  .ks-main {{order:1; width:100%; padding:8px 8px 16px}}
  .ks-side {{order:0; flex:none; width:100%; max-width:none; border-right:none;
    border-bottom:1px solid #e3e3e3; padding:6px 8px 0}}
  .ks-fold-label {{display:block; cursor:pointer; padding:10px 12px; margin-bottom:8px;
    background:{TITLE_BAR}; color:white; border-radius:4px; font-weight:500}}
  .ks-fold-label::after {{content:" \\25BE"}}
  .ks-fold-toggle:checked + .ks-fold-label::after {{content:" \\25B4"}}
  .ks-fold-toggle:not(:checked) ~ .ks-side-body {{display:none}}
  .ks-grid {{grid-template-columns:minmax(0, 1fr)}}
  /* a phone has no hover to show the whole text: these wrap instead of being cut (a user
     check read "Combined package + critical frie..." and "run of 730 da..." at 390 px) */
  .ks-short.ks-wrap-narrow {{white-space:normal; overflow:visible; text-overflow:clip;
    overflow-wrap:anywhere}}
  table.ks-stack, table.ks-stack tbody, table.ks-stack tr, table.ks-stack td {{display:block;
    width:100%; box-sizing:border-box}}
  table.ks-stack tr:first-child {{display:none}}
  table.ks-stack tr {{margin-bottom:8px; border:1px solid #dcdcdc}}
  table.ks-stack td {{border:none; border-bottom:1px solid #eee; text-align:left !important;
    white-space:normal !important}}
  table.ks-stack td::before {{content:attr(data-label) ": "; font-weight:600; color:#333}}
}}
"""


@solara.component
def Frame(children=()):
    """The two-column frame (see the module docstring); children: a :func:`Main` and a
    :func:`Side`."""
    solara.Style(CSS)
    solara.Div(children=list(children), classes=["ks-frame"])


@solara.component
def Main(children=()):
    solara.Div(children=list(children), classes=["ks-main"])


@solara.component
def Side(children=(), fold_label: str = "Show the controls", fold_again: int = 0):
    """The side column; on narrow screens folded behind a bar labelled ``fold_label``.
    A new ``fold_again`` folds it again (its checkbox is made anew, unchecked: the fold is
    the browser's alone, so this is how the server closes it), e.g. when the work its
    controls started shows in the main column."""
    with solara.Div(classes=["ks-side"]):
        v.Html(tag="input", attributes={"type": "checkbox", "id": "ks-fold"},
               class_="ks-fold-toggle").key(f"ks-fold-{fold_again}")
        v.Html(tag="label", attributes={"for": "ks-fold"}, class_="ks-fold-label",
               children=[fold_label])
        solara.Div(children=list(children), classes=["ks-side-body"])


@solara.component
def ShortText(text: str, classes=(), style=None):
    """``text`` on one line, cut with an ellipsis where it does not fit; the whole text shows
    on hover."""
    v.Html(tag="div", children=[text], attributes={"title": text},
           class_=" ".join(["ks-short", *classes]), style_=_css(style))


def _css(style) -> str:
    if not style:
        return ""
    if isinstance(style, str):
        return style
    return "; ".join(f"{k}: {val}" for k, val in style.items())


@solara.component
def Fold(summary: str, children=(), open_when: bool = False):
    """A folding section (Vuetify's expansion panel, as ``solara.Details``) that opens
    whenever ``open_when`` becomes true and otherwise stays as the user left it.

    ``solara.Details(expand=...)`` follows its argument both ways, so a panel opened because
    a value was wrong folded shut the moment the value was put right (a user check: the
    whole "Settings of ..." panel closed under the field being typed in).
    """
    is_open, set_open = solara.use_state(bool(open_when))
    solara.use_effect(lambda: set_open(True) if open_when else None, [bool(open_when)])
    with v.ExpansionPanels(v_model=0 if is_open else None,
                           on_v_model=lambda m: set_open(m == 0)) as main, v.ExpansionPanel():
        v.ExpansionPanelHeader(children=[summary])
        v.ExpansionPanelContent(children=list(children))
    return main


@solara.component
def Tipped(tooltip: str, children=(), classes=()):
    """Its children, with a one-sentence tooltip on hover."""
    with solara.Tooltip(tooltip):
        solara.Div(children=list(children), classes=list(classes))


@solara.component
def LabelledSlider(label: str, value: float, lo: float, hi: float, step: float, on_value,
                   tooltip: str, key: str, integer: bool = False, disabled: bool = False,
                   after: str = ""):
    """A slider with its name and current value in plain words above it (then ``after``,
    such as the value in other units), and a tooltip; wrapped in a ``lever-<key>`` element
    (for tests and styling). A screen reader names the slider by that label (its value it
    reads from the slider itself): the label above is text beside it, not the slider's own,
    and a user check found every slider unnamed."""
    shown = f"{int(value):,}" if integer else f"{float(value):g}"
    cast = int if integer else float
    with Tipped(tooltip, classes=[f"lever-{key}"]):
        solara.Text(f"{label}: {shown}{after}", style={"font-size": "13px"})
        # Vuetify's slider gives its thumb (role "slider") the attributes set here
        # (solara.SliderInt and SliderFloat take none)
        v.Slider(v_model=cast(value), on_v_model=lambda x: on_value(cast(x)),
                 min=cast(lo), max=cast(hi), step=cast(step), thumb_label=False,
                 dense=False, hide_details=True, disabled=disabled,
                 attributes={"aria-label": label})
