"""The visualiser's Solara app: two pages, "Live community" and "Compare scenarios".

Served by ``python run.py viz`` (sim/app/server.py), or directly with
``solara run sim.app.pages``. Each page draws its own frame (sim/app/layout.py: a fixed-width
side column beside the main content, one column with the controls folded on a phone); the
layout here adds the title bar with the two pages' names.

Importing this module quietens Solara's two per-load messages (sim/app/quiet.py) and starts
loading the model's compiled rules in the background (sim/app/warmup.py).
"""

from __future__ import annotations

import solara

from sim.app import quiet, warmup
from sim.app.compare import ComparePage
from sim.app.guard import close_internal_endpoints
from sim.app.kept import use_session_pages
from sim.app.live import LivePage

close_internal_endpoints()  # no /resourcez for whoever reaches the port (sim/app/guard.py)

TITLE = "Kindliness simulator"

quiet.quiet_consoles()
warmup.start()


@solara.component
def Layout(children=()):
    # what each page keeps while the other is shown, for this browser tab (sim/app/kept.py):
    # the layout stays while the pages change under it, and goes with the tab
    use_session_pages()
    solara.Title(TITLE)
    current, routes_here = solara.use_route()
    with solara.Column(gap="0px", style={"padding": "0", "min-height": "100vh"}) as main:
        with solara.Div(classes=["ks-bar"]):
            solara.Text(TITLE, classes=["ks-title"])
            for route in routes_here:
                # one tab stop per page: the link; the button inside it only draws it (a
                # user check needed two Tab presses for each)
                with solara.Link(solara.resolve_path(route)):
                    solara.Button(route.label, text=True, outlined=route is current,
                                  classes=[f"nav-{route.path.strip('/') or 'live'}"],
                                  attributes={"tabindex": "-1"})
        solara.Div(children=list(children), style={"padding": "0"})
    return main


routes = [
    solara.Route(path="/", component=LivePage, label="Live community", layout=Layout),
    solara.Route(path="compare", component=ComparePage, label="Compare scenarios"),
]
