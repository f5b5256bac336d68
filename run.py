"""The command line: see ``python run.py --help`` (sim/cli.py)."""

if __name__ == "__main__":  # guard: the local process pool starts workers by importing this
    from sim.interpreter import refuse_unfit_python

    refuse_unfit_python()  # another Python than the project's: say so, and what to type
    from sim.cli import program

    program()
