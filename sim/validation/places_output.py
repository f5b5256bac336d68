"""Write a place validation's results: the predictions table, a chart and a summary, each
atomically, into the run's own dated folder."""

from __future__ import annotations

import json
from pathlib import Path

from sim.validation.places import (
    Predictions,
    comparison_text,
    plot_comparison,
    plot_predictions,
    predictions_text,
)


def write_outputs(pred: Predictions, out_dir: str | Path,
                  rows: list[dict] | None = None) -> tuple[dict[str, Path], str]:
    """predictions.csv, places.png, runs.json and summary.txt in ``out_dir``, and with the
    observed figures' comparison ``rows`` also comparison.csv and comparison.png; returns
    the paths and the summary text."""
    import matplotlib.pyplot as plt

    from sim.report.outputs import write_csv_atomic, write_figure_atomic, write_text_atomic

    out_dir = Path(out_dir)
    text = predictions_text(pred)
    paths = {"predictions": write_csv_atomic(out_dir / "predictions.csv", pred.table().round(4))}
    fig = plot_predictions(pred)
    paths["chart"] = write_figure_atomic(out_dir / "places.png", fig)
    plt.close(fig)
    paths["runs"] = write_text_atomic(out_dir / "runs.json", json.dumps({
        "seeds": pred.seeds, "root_seed": pred.root_seed, "window_days": list(pred.window),
        "places": {p.key: {"name": p.name, "path": p.path, "residents": p.residents,
                           "runs": p.runs} for p in pred.all_places()},
    }, indent=1))
    if rows:
        import pandas as pd

        text += "\n\n" + comparison_text(rows)
        paths["comparison"] = write_csv_atomic(out_dir / "comparison.csv",
                                               pd.DataFrame(rows).round(4))
        fig = plot_comparison(rows)
        paths["comparison_chart"] = write_figure_atomic(out_dir / "comparison.png", fig)
        plt.close(fig)
    paths["summary"] = write_text_atomic(out_dir / "summary.txt", text + "\n")
    return paths, text
