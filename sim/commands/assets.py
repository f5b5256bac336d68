"""``assets``: fetch the visualiser's browser files (JavaScript, CSS, fonts) into a local
cache once, so that the visualiser works offline; or list what is missing."""

from __future__ import annotations

from pathlib import Path

from sim.commands.shared import EXIT_FAILED, EXIT_OK, err

HELP = "prepare the visualiser's browser files for use without internet"
DESCRIPTION = ("Fetch the JavaScript, CSS and fonts the visualiser's page needs into a local "
               "cache (needs npm and the npm registry once), so the visualiser works offline.")


def add_arguments(p):
    p.add_argument("--dir", type=Path, default=None,
                   help="the asset cache folder (default: the project's .assets/solara-cdn)")
    p.add_argument("--check", action="store_true",
                   help="only list what is missing (exit 1 if anything is)")
    p.add_argument("--force", action="store_true", help="fetch again even what is present")


def run(args, argv) -> int:
    from sim.app import assets

    if args.check:
        missing = assets.missing_assets(args.dir)
        for m in missing:
            print(m)
        print(f"{len(missing)} browser asset{'s' if len(missing) != 1 else ''} missing")
        return EXIT_FAILED if missing else EXIT_OK
    try:
        path = assets.prepare_assets(args.dir, log=lambda msg: err(str(msg)),
                                     force=args.force)
    except RuntimeError as exc:
        err(f"error: {exc}")
        return EXIT_FAILED
    print(path)
    return EXIT_OK
