"""Start the visualiser: check the offline browser assets, then run Solara on loopback.

``serve(host, port, open_browser) -> exit code`` is what ``python run.py viz`` calls (through
sim/app/cli.py). It binds to 127.0.0.1 unless told otherwise; Solara runs as a child process
(``python -m solara run sim.app.pages --production``) and is stopped with Ctrl-C.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APP_MODULE = "sim.app.pages"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765
EXIT_OK, EXIT_FAILED, EXIT_NO_ASSETS = 0, 1, 2
LOOPBACK = ("127.0.0.1", "localhost", "::1")


def assets_message(missing: list[str], cache_dir: Path) -> str:
    """What to tell a user whose browser assets are missing, and how to get them."""
    some = ", ".join(missing[:3]) + (" ..." if len(missing) > 3 else "")
    return (
        f"The visualiser's browser files are not prepared: {len(missing)} missing in "
        f"{cache_dir} ({some}).\n"
        "Without them the page stays blank on a machine with no internet. Prepare them once "
        "with:\n"
        "    python run.py assets        (or: make assets; python -m sim.app.assets)\n"
        "This needs npm and the npm registry once. On a machine without either, copy a "
        "prepared .assets/solara-cdn folder from another machine into this project."
    )


def solara_command(host: str, port: int, open_browser: bool) -> list[str]:
    cmd = [sys.executable, "-m", "solara", "run", APP_MODULE, "--host", host,
           "--port", str(port), "--production"]
    if not open_browser:
        cmd.append("--no-open")
    return cmd


def serve(host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, open_browser: bool = True,
          *, check_assets: bool = True) -> int:
    """Run the visualiser until Ctrl-C; return the exit code (2: assets missing)."""
    from sim.app import assets

    cache = assets.default_cache_dir()
    if check_assets:
        missing = assets.missing_assets(cache)
        if missing:
            print(assets_message(missing, cache), file=sys.stderr)
            return EXIT_NO_ASSETS
    assets.configure_solara_env(cache)
    from sim.model import compile_rules

    print("Preparing the model's compiled rules (slow only the first time) ...", flush=True)
    compile_rules()
    env = dict(os.environ, MPLBACKEND="Agg", SOLARA_TELEMETRY_MIXPANEL_ENABLE="false")
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH")) if p)
    if host not in LOOPBACK:
        print(f"warning: serving on {host}: anyone who can reach this machine on port {port} "
              "can use the visualiser", file=sys.stderr)
    shown = f"[{host}]" if ":" in host else host
    print(f"Kindliness visualiser: http://{shown}:{port}/  (Ctrl-C to stop)", flush=True)
    proc = subprocess.Popen(solara_command(host, port, open_browser), cwd=ROOT, env=env)
    try:
        return proc.wait()
    except KeyboardInterrupt:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        return EXIT_OK


def add_arguments(parser) -> None:
    """Options of ``python run.py viz``."""
    parser.add_argument("--host", default=DEFAULT_HOST,
                        help="address to listen on (default: %(default)s, this machine only)")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT,
                        help="port to listen on (default: %(default)s)")
    parser.add_argument("--no-browser", action="store_true",
                        help="do not open a browser window")


def run(args) -> int:
    return serve(args.host, args.port, not args.no_browser)


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m sim.app.server",
                                     description="Start the browser visualiser.")
    add_arguments(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    raise SystemExit(main())
