"""The visualiser's Solara app: two pages, "Live community" and "Compare scenarios".

Served by ``python run.py viz`` (sim/app/server.py), or directly with
``solara run sim.app.pages``. The layout is Solara's AppLayout with our own navigation
buttons in the app bar (its built-in tabs show route paths, not plain names); each page's
``solara.Sidebar`` content goes in the side panel.
"""

from __future__ import annotations

import solara

from sim.app.compare import ComparePage
from sim.app.guard import close_internal_endpoints
from sim.app.live import LivePage

close_internal_endpoints()  # no /resourcez for whoever reaches the port (sim/app/guard.py)

TITLE = "Kindliness simulator"


@solara.component
def Layout(children=()):
    solara.Title(TITLE)
    current, routes_here = solara.use_route()
    with solara.AppLayout(title=TITLE, navigation=False) as main:
        with solara.AppBar():
            for route in routes_here:
                with solara.Link(solara.resolve_path(route)):
                    solara.Button(route.label, text=True, outlined=route is current,
                                  classes=[f"nav-{route.path.strip('/') or 'live'}"],
                                  style={"color": "white", "text-transform": "none"})
        solara.Column(children=list(children), style={"padding": "0"})
    return main


routes = [
    solara.Route(path="/", component=LivePage, label="Live community", layout=Layout),
    solara.Route(path="compare", component=ComparePage, label="Compare scenarios"),
]
