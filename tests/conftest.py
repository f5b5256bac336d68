"""Every run in the tests checks that interventions change only levers: outcome arrays are
read-only while any intervention's hooks run (sim.model.CHECK_OUTCOMES_ENV; outside the
tests, only classes that are not shipped are checked at run time)."""

import os

from sim.model import CHECK_OUTCOMES_ENV

os.environ[CHECK_OUTCOMES_ENV] = "1"
