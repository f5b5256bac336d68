"""Imported by the local pool's fork server (sim.ensemble.executors.start_fork_server): loads
the model and its compiled rules once in the server, so that every worker forked from it
starts with them instead of importing Mesa, pandas and numba and loading the rules itself.

The server leaves Ctrl-C to the process that started it, as multiprocessing's server does
once loaded and as its workers do (sim.ensemble.executors.quiet_worker): a Ctrl-C at the
terminal reaches the whole process group, and one that came while the rules loaded here
printed a KeyboardInterrupt traceback under the visualiser's last words (a user check).
"""

import signal

signal.signal(signal.SIGINT, signal.SIG_IGN)

from sim.model import compile_rules  # noqa: E402 - after the server leaves Ctrl-C alone

compile_rules()
