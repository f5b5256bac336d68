"""Browser visualiser (Solara). ``sim.app.assets`` prepares its offline browser assets."""
