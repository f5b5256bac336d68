"""Calibration of the baseline to UK survey figures (docs/CALIBRATION.md).

Public API: :func:`load_targets`, :data:`SURVEY_METRICS`, :func:`simulate`,
:func:`calibrate` (returns a :class:`CalibrationResult`), :func:`write_results`, and the CLI
hooks ``sim.calibration.cli.add_arguments`` / ``sim.calibration.cli.run``.
"""

from sim.calibration.fit import (
    FREE_PARAMETERS,
    CalibrationResult,
    calibrate,
    check_targets,
    with_values,
)
from sim.calibration.output import summary_text, write_results
from sim.calibration.survey import SURVEY_METRICS, simulate
from sim.calibration.targets import Target, load_targets

__all__ = ["FREE_PARAMETERS", "SURVEY_METRICS", "CalibrationResult", "Target", "calibrate",
           "check_targets", "load_targets", "simulate", "summary_text", "with_values",
           "write_results"]
