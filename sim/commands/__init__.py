"""The commands of the command line, one module each (``compare``, ``run``, ``validate``,
``assets`` and the main job); sim/cli.py holds the table of commands and the parser. What the
commands share is in :mod:`sim.commands.shared` (program name, exit statuses, options) and
:mod:`sim.commands.job` (running a job with a progress bar and reporting how it ended).
"""
