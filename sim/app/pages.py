"""The visualiser's Solara app: two pages, "Live community" and "Compare scenarios".

Served by ``python run.py viz`` (sim/app/server.py), or directly with
``solara run sim.app.pages``. Solara's AppLayout draws the navigation tabs from ``routes``
and puts each page's ``solara.Sidebar`` content in the side panel.
"""

from __future__ import annotations

import solara

from sim.app.compare import ComparePage
from sim.app.live import LivePage

TITLE = "Kindliness simulator"


@solara.component
def Layout(children=()):
    solara.Title(TITLE)
    return solara.AppLayout(children=list(children), title=TITLE)


routes = [
    solara.Route(path="/", component=LivePage, label="Live community", layout=Layout),
    solara.Route(path="compare", component=ComparePage, label="Compare scenarios"),
]
