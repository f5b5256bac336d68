"""``serve`` says how to get missing browser assets."""

from __future__ import annotations

import pytest

pytest.importorskip("solara")


def test_serve_says_how_to_get_missing_assets(tmp_path, monkeypatch, capsys):
    import socket

    from sim.app.server import EXIT_NO_ASSETS, serve

    monkeypatch.setenv("KINDLINESS_ASSETS_DIR", str(tmp_path / "empty"))
    with socket.socket() as s:  # a port that is free (the port is checked before the assets)
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    assert serve("127.0.0.1", port, open_browser=False) == EXIT_NO_ASSETS
    err = capsys.readouterr().err
    assert "python run.py assets" in err and str(tmp_path / "empty") in err
