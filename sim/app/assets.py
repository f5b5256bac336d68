"""Offline browser assets for the Solara visualiser.

Solara's page loads its JavaScript, CSS and fonts through the server's ``/_solara/cdn/`` proxy,
which fetches them from a public CDN the first time and keeps a copy in a cache folder. On a
machine without internet (CI, council networks) the page then stays blank. This module fills that
cache ahead of time from the npm registry with ``npm pack``, so the visualiser works offline.

Layout of the cache (what Solara's ``cdn_helper.get_path`` reads)::

    <cache_dir>/<npm name>@<version as Solara writes it>/<file path inside the package>
    e.g. .assets/solara-cdn/@widgetti/solara-vuetify-app@10.1.1/dist/solara-vuetify-app8.min.js
         .assets/solara-cdn/vega@5/build/vega.min.js          (a range: latest 5.x from npm)

Point Solara at it by setting ``SOLARA_ASSETS_PROXY_CACHE_DIR`` before ``solara.server`` is
imported (:func:`configure_solara_env` does this, and also patches the live settings if Solara was
imported already). ``solara run`` started as a subprocess inherits the variable.

Public API: :func:`default_cache_dir`, :func:`required_assets`, :func:`missing_assets`,
:func:`prepare_assets`, :func:`configure_solara_env`.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ENV_CACHE_DIR = "SOLARA_ASSETS_PROXY_CACHE_DIR"  # read by solara.server.settings.Assets
ENV_PROJECT_ASSETS = "KINDLINESS_ASSETS_DIR"  # optional override of the project-local folder
MANIFEST = ".kindliness-assets.json"

# What Solara 1.64 asks its CDN proxy for, for the pages SolaraViz builds (checked against its
# source and against the /_solara/cdn URLs a real page requested). Used only as a fallback when
# the installed Solara's sources cannot be read; normally the list is read from them, so a Solara
# upgrade that moves a version is followed automatically.
_FALLBACK: dict[str, list[str]] = {
    "@widgetti/solara-vuetify-app@10.1.1": [
        "dist/main{W}.css",
        "dist/fonts.css",
        "dist/solara-vuetify-app{W}.min.js",
        "dist/solara-vuetify-app{W}.js",
    ],
    "requirejs@2.3.6": ["require.js", "require.min.js"],
    "font-awesome@4.5.0": ["css/font-awesome.min.css"],
    "@widgetti/vue-grid-layout@2.3.13-alpha.2": ["dist/vue-grid-layout.umd.js"],
    "vega@5": ["build/vega.min.js"],
    "vega-lite@5": ["build/vega-lite.min.js"],
    "vega-embed@6": ["build/vega-embed.min.js"],
    "katex@0.16.9": [
        "dist/katex.min.js",
        "dist/katex.min.css",
        "dist/contrib/auto-render.min.js",
    ],
    "mermaid@10.8.0": ["dist/mermaid.min.js"],
}

# Solara sources whose CDN URLs a SolaraViz page uses: the page template, the grid layout,
# altair (vega) figures and Markdown (katex + mermaid are loaded by every solara.Markdown).
_SOURCES = (
    "server/templates/solara.html.j2",
    "widgets/vue/gridlayout.vue",
    "widgets/vue/vegalite.vue",
    "components/markdown.py",
)
_URL_RE = re.compile(
    r"(?:\{\{\s*cdn\s*\}\}|\$\{this\.getCdn\(\)\})/"
    r"(?P<pkg>(?:@[\w.-]+/)?[\w.-]+)@(?P<ver>[\w.^~+-]+)/"
    r"(?P<path>[^\s\"'`]+)"
)


@dataclass(frozen=True)
class Asset:
    """One npm package as Solara names it in a CDN URL, and the files of it Solara requests."""

    name: str  # npm package name, e.g. "@widgetti/solara-vuetify-app"
    spec: str  # version or range exactly as in the URL, e.g. "10.1.1" or "5"
    files: tuple[str, ...] = field(default=())

    @property
    def key(self) -> str:
        """Folder name under the cache dir (also the npm spec): ``name@spec``."""
        return f"{self.name}@{self.spec}"


def _project_root() -> Path:
    here = Path(__file__).resolve()
    for parent in here.parents:
        if (parent / "pyproject.toml").is_file():
            return parent
    return Path.cwd()


def default_cache_dir() -> Path:
    """The project's asset cache: ``$KINDLINESS_ASSETS_DIR``, else ``<repo>/.assets/solara-cdn``."""
    env = os.environ.get(ENV_PROJECT_ASSETS)
    if env:
        return Path(env).expanduser().resolve()
    return _project_root() / ".assets" / "solara-cdn"


def _versions() -> tuple[int, int]:
    """(ipywidgets major, ipyvue major) as installed; Solara picks its bundle by these."""
    from importlib.metadata import PackageNotFoundError, version

    def major(dist: str, default: int) -> int:
        try:
            return int(version(dist).split(".")[0])
        except (PackageNotFoundError, ValueError):
            return default

    return major("ipywidgets", 8), major("ipyvue", 1)


def required_assets() -> list[Asset]:
    """The npm packages and files the installed Solara requests for a SolaraViz page.

    Read from Solara's own sources (template and widgets); falls back to the list checked for
    Solara 1.64 when they cannot be found. Does not import Solara (so it does not fix Solara's
    settings before :func:`configure_solara_env` runs).
    """
    widgets_major, vue_major = _versions()
    vue3 = vue_major >= 3
    found: dict[tuple[str, str], set[str]] = {}
    root = _solara_dir()
    if root is not None:
        for rel in _SOURCES:
            src = root / rel
            if not src.is_file():
                continue
            text = src.read_text(encoding="utf-8", errors="replace")
            for m in _URL_RE.finditer(text):
                name, spec, path = m["pkg"], m["ver"], m["path"]
                if name.endswith("solara-vuetify3-app") != vue3 and "solara-vuetify" in name:
                    continue  # the template holds both bundles; only one is served
                path = re.sub(r"\{\{\s*ipywidget_major_version\s*\}\}", str(widgets_major), path)
                if "{" in path or "$" in path:
                    continue  # a URL built from another variable: not a fixed file
                found.setdefault((name, spec), set()).add(path)
            if rel.endswith(".j2") and "assets.fontawesome_path" in text:
                fa_path = os.environ.get("SOLARA_ASSETS_FONTAWESOME_PATH") or _fontawesome(root)
                m2 = _URL_RE.match("{{cdn}}" + fa_path) if fa_path else None
                if m2:
                    found.setdefault((m2["pkg"], m2["ver"]), set()).add(m2["path"])
    if not found:
        for key, files in _FALLBACK.items():
            name, _, spec = key.rpartition("@")
            found[(name, spec)] = {f.replace("{W}", str(widgets_major)) for f in files}
    # Markdown falls back to require.min.js when requirejs is not on the page yet; the CDN makes
    # that file by minifying require.js (the package has none), so we provide it too.
    for (name, _spec), files in found.items():
        if name == "requirejs":
            files.update({"require.js", "require.min.js"})
    return [Asset(n, s, tuple(sorted(f))) for (n, s), f in sorted(found.items())]


def _solara_dir() -> Path | None:
    from importlib.util import find_spec

    spec = find_spec("solara")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def _fontawesome(root: Path) -> str | None:
    """Default ``fontawesome_path`` from Solara's settings source (e.g. /font-awesome@4.5.0/...)."""
    p = root / "server" / "settings.py"
    text = p.read_text(encoding="utf-8", errors="replace") if p.is_file() else ""
    m = re.search(r"fontawesome_path\s*:\s*str\s*=\s*[\"']([^\"']+)[\"']", text)
    return m.group(1) if m else None


def _resolve_dir(cache_dir: Path | str | None) -> Path:
    return Path(cache_dir).expanduser().resolve() if cache_dir else default_cache_dir()


def missing_assets(cache_dir: Path | str | None = None) -> list[str]:
    """Cache-relative paths of required files not yet in ``cache_dir`` (empty list: all there)."""
    base = _resolve_dir(cache_dir)
    return [
        f"{a.key}/{f}"
        for a in required_assets()
        for f in a.files
        if not (base / a.key / f).is_file()
    ]


def _npm() -> str:
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError(
            "npm was not found on PATH. The visualiser's browser assets are taken from the npm "
            "registry with `npm pack`; install Node.js and npm (Debian: apt-get install -y npm), "
            "or copy a prepared .assets/solara-cdn folder from another machine."
        )
    return npm


def _npm_pack(
    specs: list[str], dest: Path, log: Callable[[str], object]
) -> dict[str, tuple[Path, str]]:
    """``npm pack`` every spec into ``dest`` in one npm call; return {spec: (tarball, version)}."""
    cmd = [_npm(), "pack", "--json", "--pack-destination", str(dest), *specs]
    env = dict(os.environ, npm_config_update_notifier="false", npm_config_fund="false")
    last_err = ""
    for attempt in range(3):
        if attempt:
            time.sleep(2 * attempt)
            log(f"  npm pack failed, retrying ({attempt}/2)")
        proc = subprocess.run(
            cmd, cwd=dest, env=env, capture_output=True, text=True, timeout=600, check=False
        )
        if proc.returncode == 0:
            break
        said = (proc.stderr or proc.stdout).strip()
        # npm's reason ("code ECONNREFUSED", "FetchError: request to ... failed"), which a
        # stack trace and npm's advice after it pushed out of the last 2,000 characters
        reason = [line for line in said.splitlines()
                  if re.search(r"\b(code|errno)\b|FetchError|reason:", line)]
        last_err = "\n".join(reason[:3]) if reason else said[-2000:]
    else:
        raise RuntimeError(f"`{' '.join(cmd)}` failed:\n{last_err}")
    out = proc.stdout
    entries = json.loads(out[out.index("[") :])  # npm may print notices before the JSON
    if len(entries) != len(specs):
        raise RuntimeError(f"npm pack returned {len(entries)} packages for {len(specs)} specs")
    # npm answers in the order asked
    return {
        spec: (dest / e["filename"], e["version"]) for spec, e in zip(specs, entries, strict=True)
    }


def _extract(tarball: Path, target: Path) -> None:
    """Unpack an npm tarball (top folder ``package/`` or another name) into ``target``."""
    with tarfile.open(tarball, "r:gz") as tf:
        members = []
        for m in tf.getmembers():
            parts = Path(m.name).parts
            if len(parts) < 2 or not (m.isfile() or m.isdir()):
                continue
            m.name = str(Path(*parts[1:]))
            members.append(m)
        tf.extractall(target, members=members, filter="data")


def prepare_assets(
    cache_dir: Path | str | None = None,
    *,
    log: Callable[[str], object] = print,
    force: bool = False,
) -> Path:
    """Fill Solara's CDN proxy cache from the npm registry; return the cache folder.

    Idempotent: packages whose files are all present are skipped (``force=True`` re-fetches).
    Each package is unpacked whole into a temporary folder and moved into place, so a folder in
    the cache is always complete. Needs ``npm`` and the npm registry only when something is
    missing. Raises ``RuntimeError`` with a readable message on failure.
    """
    base = _resolve_dir(cache_dir)
    base.mkdir(parents=True, exist_ok=True)
    assets = required_assets()
    todo = [a for a in assets if force or any(not (base / a.key / f).is_file() for f in a.files)]
    if not todo:
        log(f"Solara assets: all {len(assets)} packages present in {base}")
        return base
    t0 = time.perf_counter()
    packages = f"{len(todo)} package{'s' if len(todo) != 1 else ''}"
    log(f"Solara assets: fetching {packages} with npm pack into {base}")
    manifest_path = base / MANIFEST
    try:
        manifest = json.loads(manifest_path.read_text())
    except (OSError, ValueError):
        manifest = {}
    with tempfile.TemporaryDirectory(prefix=".tmp-", dir=base) as tmp:
        tmpdir = Path(tmp)
        packed = _npm_pack([a.key for a in todo], tmpdir, log)
        for a in todo:
            staging = tmpdir / "x" / a.key
            staging.mkdir(parents=True)
            tarball, version = packed[a.key]
            _extract(tarball, staging)
            for f in a.files:
                p = staging / f
                if not p.is_file() and f.endswith(".min.js"):
                    # the CDN serves X.min.js minified from X.js when a package ships none
                    src = p.with_name(p.name[: -len(".min.js")] + ".js")
                    if src.is_file():
                        shutil.copyfile(src, p)
                if not p.is_file():
                    raise RuntimeError(
                        f"{a.key} from npm has no file {f!r}, which Solara requests; "
                        "the Solara version and the asset list disagree"
                    )
            final = base / a.key
            final.parent.mkdir(parents=True, exist_ok=True)
            if final.exists():
                shutil.rmtree(final)
            os.replace(staging, final)
            manifest[a.key] = {"version": version, "files": list(a.files)}
            log(f"  {a.key:45s} -> {version}")
    manifest_path.write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")
    left = missing_assets(base)
    if left:
        raise RuntimeError(f"Solara assets still missing after npm pack: {left}")
    log(f"Solara assets: ready in {time.perf_counter() - t0:.1f} s")
    return base


def configure_solara_env(cache_dir: Path | str | None = None) -> Path:
    """Point Solara's CDN proxy at the project's cache; return the folder.

    Sets ``SOLARA_ASSETS_PROXY_CACHE_DIR`` (inherited by ``solara run`` subprocesses and read by
    ``solara.server.settings`` when first imported), keeps the proxy on (Solara turns it off when
    it thinks it runs inside VS Code, and the browser would then go to the public CDN), turns
    Solara's telemetry off (it would try the network), and, if Solara's settings are already
    imported, updates the live settings too (the proxy reads them on every request). Call it
    before starting the server.
    """
    base = _resolve_dir(cache_dir)
    os.environ[ENV_CACHE_DIR] = str(base)
    os.environ.setdefault("SOLARA_ASSETS_PROXY", "true")
    os.environ.setdefault("SOLARA_TELEMETRY_MIXPANEL_ENABLE", "false")
    server_settings = sys.modules.get("solara.server.settings")
    if server_settings is not None:
        server_settings.assets.proxy_cache_dir = base
        server_settings.telemetry.mixpanel_enable = False
    ui_settings = sys.modules.get("solara.settings")
    if ui_settings is not None and os.environ["SOLARA_ASSETS_PROXY"].lower() in ("1", "true"):
        ui_settings.assets.proxy = True
    return base


def main(argv: list[str] | None = None) -> int:
    """``python -m sim.app.assets [--check] [--force] [--dir DIR]``."""
    import argparse

    ap = argparse.ArgumentParser(
        prog="python -m sim.app.assets",
        description="Prepare the visualiser's browser assets (Solara CDN cache) from npm.",
    )
    ap.add_argument("--dir", type=Path, default=None, help="cache folder (default: %(default)s)")
    ap.add_argument("--check", action="store_true", help="only list what is missing; exit 1 if any")
    ap.add_argument("--force", action="store_true", help="fetch again even if present")
    args = ap.parse_args(argv)
    if args.check:
        missing = missing_assets(args.dir)
        for m in missing:
            print(m)
        print(f"{len(missing)} missing in {_resolve_dir(args.dir)}")
        return 1 if missing else 0
    try:
        prepare_assets(args.dir, force=args.force)
    except RuntimeError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
