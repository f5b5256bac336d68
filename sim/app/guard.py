"""Switch off Solara's internal status endpoint in the visualiser's server.

Solara serves ``/resourcez``: counts of websockets, threads and kernels, thread-pool limits,
and with ``?verbose`` the machine's CPU and memory figures. That is for whoever operates a
Solara deployment, not for anyone who can reach the visualiser's port (with ``--host 0.0.0.0``,
anyone on the network). :func:`close_internal_endpoints` replaces it with a plain 404; the
liveness probe ``/readyz`` (it says only ``{"status": "ok"}``) stays.

sim/app/pages.py calls it when the server loads the app (before the first request), so it
holds for ``python run.py viz`` and for ``solara run sim.app.pages`` alike. Outside a Solara
server (widget tests, ``solara.render``) it does nothing.
"""

from __future__ import annotations

import sys

INTERNAL_PATHS = ("/resourcez",)


async def _not_found(request):
    from starlette.responses import PlainTextResponse

    return PlainTextResponse("Not Found", status_code=404)


def close_internal_endpoints() -> list[str]:
    """Replace the routes in :data:`INTERNAL_PATHS` of the running Solara server with a
    404; return the paths replaced (none outside a server)."""
    server = sys.modules.get("solara.server.starlette")
    app = getattr(server, "app", None)
    if app is None:
        return []
    from starlette.routing import Route

    closed = []
    routes = app.router.routes
    for i, route in enumerate(routes):
        path = getattr(route, "path", None)
        if path in INTERNAL_PATHS and getattr(route, "endpoint", None) is not _not_found:
            routes[i] = Route(path, endpoint=_not_found)
            closed.append(path)
    return closed
