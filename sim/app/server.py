"""Start the visualiser: check the options and the offline browser assets, then run Solara.

``serve(host, port, open_browser) -> exit code`` is what ``python run.py viz`` calls (through
sim/app/cli.py). It binds to 127.0.0.1 unless told otherwise. Once the host, the port (free,
1-65535) and the assets are checked and the model's rules compiled, this process *becomes*
the server (``os.execve`` of ``python -m sim.app.serving run sim.app.pages --production``,
Solara's ``solara run``): there is no launcher left to outlive, so SIGTERM, SIGHUP and Ctrl-C
reach the server itself and stop it (a launcher with a child kept the child serving when it
got SIGTERM or SIGHUP), with its process pools shut down (sim/app/serving.py).

Solara's internal status page ``/resourcez`` is switched off by sim/app/guard.py (the pages
module applies it as the server loads them).
"""

from __future__ import annotations

import errno
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

from sim.app.serving import ANNOUNCE_ENV
from sim.usage import UsageProblem, bounded

ROOT = Path(__file__).resolve().parents[2]
APP_MODULE = "sim.app.pages"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765
EXIT_OK, EXIT_FAILED, EXIT_NO_ASSETS = 0, 1, 2
LOOPBACK = ("127.0.0.1", "localhost", "::1")


def assets_message(missing: list[str], cache_dir: Path, why: str = "") -> str:
    """What to tell a user whose browser assets are missing (``why``: what stopped them
    being prepared now), and how to get them."""
    some = ", ".join(missing[:3]) + (" ..." if len(missing) > 3 else "")
    return (
        f"The visualiser's browser files are not prepared: {len(missing)} missing in "
        f"{cache_dir} ({some}).\n" + (f"Preparing them failed: {why}\n" if why else "") +
        "Without them the page stays blank on a machine with no internet. Prepare them once "
        "with:\n"
        "    python run.py assets        (or: make assets; python -m sim.app.assets)\n"
        "This needs npm and the npm registry once. On a machine without either, copy a "
        "prepared .assets/solara-cdn folder from another machine into this project."
    )


def ensure_assets(cache: Path) -> bool:
    """Whether the browser files are in ``cache``, prepared now from the npm registry
    when they are not (a few seconds, once), as ``python run.py assets`` does: a user check
    found ``viz`` refused after ``make run`` on a machine with internet. Where that cannot
    be done (no npm, no registry), it says why and how, and returns False."""
    from sim.app import assets

    missing = assets.missing_assets(cache)
    if not missing:
        return True
    print(f"The visualiser's browser files are not prepared yet: preparing them once, from the "
          f"npm registry, into {cache} ...", file=sys.stderr, flush=True)
    try:  # npm's retries said as they happen (a registry out of reach takes minutes)
        assets.prepare_assets(cache, log=lambda line: print(line, file=sys.stderr, flush=True))
    except (RuntimeError, OSError, subprocess.SubprocessError) as exc:
        # npm's own last words, not only the command that failed (a second user check got
        # "`npm pack ...` failed:" and no reason)
        lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
        why = " / ".join(lines[:1] + lines[1:][-2:]) or type(exc).__name__
        print(assets_message(assets.missing_assets(cache), cache, why), file=sys.stderr)
        return False
    return True


def solara_command(host: str, port: int, open_browser: bool) -> list[str]:
    """``solara run`` through sim/app/serving.py (SIGTERM and SIGHUP end it cleanly)."""
    cmd = [sys.executable, "-m", "sim.app.serving", "run", APP_MODULE, "--host", host,
           "--port", str(port), "--production"]
    if not open_browser:
        cmd.append("--no-open")
    return cmd


def check_address(host: str, port: int, *, timeout_s: float = 5.0) -> None:
    """``UsageProblem`` unless this machine can listen on ``host``:``port`` now."""
    if not 1 <= int(port) <= 65535:
        raise UsageProblem(f"--port {port}: not a port number; choose one from 1 to 65535 "
                           f"(default {DEFAULT_PORT})")
    if not host or any(c.isspace() or ord(c) < 32 for c in host) or len(host) > 253:
        raise UsageProblem(f"--host {host!r}: not a host name or address (e.g. 127.0.0.1)")
    from sim.ensemble.executors import getaddrinfo_within

    try:
        infos = getaddrinfo_within(host, port, timeout_s, flags=socket.AI_PASSIVE)
    except OSError as exc:  # TimeoutError included
        raise UsageProblem(f"--host {host}: cannot find this host ({exc}); give an address "
                           "of this machine, e.g. 127.0.0.1 or 0.0.0.0") from None
    family, kind, proto, _, addr = infos[0]
    with socket.socket(family, kind, proto) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(addr)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise UsageProblem(f"--port {port}: already in use on {host} (another "
                                   "visualiser?); stop it or choose another --port") from None
            if exc.errno == errno.EADDRNOTAVAIL:
                raise UsageProblem(f"--host {host}: not an address of this machine; give one "
                                   "of its addresses, 127.0.0.1 or 0.0.0.0") from None
            if exc.errno in (errno.EACCES, errno.EPERM):
                raise UsageProblem(f"--port {port}: not allowed here (ports below 1024 need "
                                   "administrator rights); choose another --port") from None
            raise UsageProblem(f"--host {host} --port {port}: cannot listen there "
                               f"({exc.strerror or exc})") from None


def serve(host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, open_browser: bool = True,
          *, check_assets: bool = True) -> int:
    """Check everything, then become the visualiser's server (see the module docstring).
    Returns only when it cannot start: the exit code (2: assets missing); bad options
    raise ``UsageProblem``."""
    from sim.app import assets

    check_address(host, port)
    cache = assets.default_cache_dir()
    if check_assets and not ensure_assets(cache):
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
    print("Starting the visualiser ...", flush=True)  # its address once it answers there
    sys.stderr.flush()
    command = solara_command(host, port, open_browser)
    # the server says the address again once the page answers (sim.app.serving.announce)
    env[ANNOUNCE_ENV] = f"http://{shown}:{port}/"
    os.chdir(ROOT)
    # Ctrl-C blocked, not lost, across the exec: the server takes it once it can end quietly
    # (a user check: one pressed as Python started printed a traceback or a fatal error)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    os.execve(command[0], command, env)  # no return: this process is the server now
    return EXIT_FAILED  # pragma: no cover


def add_arguments(parser) -> None:
    """Options of ``python run.py viz``."""
    parser.add_argument("--host", default=DEFAULT_HOST,
                        help="address to listen on (default: %(default)s, this machine only)")
    parser.add_argument("--port", type=bounded(1, 65535, "a port number"), default=DEFAULT_PORT,
                        help="port to listen on (default: %(default)s)")
    parser.add_argument("--no-browser", action="store_true",
                        help="do not open a browser window")


def run(args) -> int:
    return serve(args.host, args.port, not args.no_browser)


def main(argv: list[str] | None = None) -> int:
    from sim.usage import EXIT_INVALID, OneLineParser

    parser = OneLineParser(prog="python -m sim.app.server",
                           description="Start the browser visualiser.")
    add_arguments(parser)
    try:
        return run(parser.parse_args(argv))
    except UsageProblem as exc:
        print(*exc.lines, sep="\n", file=sys.stderr)
        return EXIT_INVALID


if __name__ == "__main__":
    raise SystemExit(main())
