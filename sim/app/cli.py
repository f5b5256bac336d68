"""``python run.py viz``: the command sim/cli.py loads for the visualiser (see server.py)."""

from sim.app.server import add_arguments, run, serve

__all__ = ["add_arguments", "run", "serve"]
