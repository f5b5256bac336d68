"""Imported by the local pool's fork server (sim.ensemble.executors.start_fork_server): loads
the model and its compiled rules once in the server, so that every worker forked from it
starts with them instead of importing Mesa, pandas and numba and loading the rules itself."""

from sim.model import compile_rules

compile_rules()
