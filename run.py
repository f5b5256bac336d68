"""The command line: see ``python run.py --help`` (sim/cli.py)."""

from sim.cli import main

if __name__ == "__main__":  # guard: the local process pool starts workers by importing this
    raise SystemExit(main())
