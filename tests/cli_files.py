"""Two good scenario files for command-line tests (the ``work`` fixture in tests/conftest.py
writes them into a folder it makes the current one)."""

from __future__ import annotations

A = 'name = "A"\ndescription = "A small community."\n[run]\ndays = 30\nseed = 5\n'
B = ('name = "B"\nextends = "a.toml"\n[[interventions]]\ntype = "palatable_activity"\n'
     'start_day = 10\n')
