"""Reports of ensembles and comparisons: charts, report.html, summary.csv, manifest.json.

The report never imports the visualiser (``sim.app``) and never prints; ``sim.cli`` drives it.
"""
