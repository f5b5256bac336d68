"""``serve`` says how to get missing browser assets."""

from __future__ import annotations

import pytest

pytest.importorskip("solara")


def test_serve_says_how_to_get_missing_assets(tmp_path, monkeypatch, capsys):
    """Missing browser files are prepared at once where they can be; where they cannot
    (here: no npm on PATH), serve says why, and how to get them, and ends with 2."""
    import socket

    from sim.app.server import EXIT_NO_ASSETS, serve

    monkeypatch.setenv("KINDLINESS_ASSETS_DIR", str(tmp_path / "empty"))
    monkeypatch.setenv("PATH", str(tmp_path / "no-npm-here"))
    with socket.socket() as s:  # a port that is free (the port is checked before the assets)
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    assert serve("127.0.0.1", port, open_browser=False) == EXIT_NO_ASSETS
    err = capsys.readouterr().err
    assert "python run.py assets" in err and str(tmp_path / "empty") in err
    assert "preparing them once, from the npm registry" in err
    assert "Preparing them failed: npm was not found on PATH" in err


def test_missing_assets_are_prepared_where_the_npm_registry_can_be_reached(tmp_path,
                                                                          monkeypatch):
    """A user check: ``run.py viz`` after ``make run`` refused to start on a machine with
    internet, for want of files a command would fetch in seconds. ensure_assets fetches them
    (the real npm and registry, as ``make test`` uses them) and then the server starts."""
    import shutil

    from sim.app import assets
    from sim.app.server import ensure_assets

    if shutil.which("npm") is None:
        pytest.skip("npm is not installed (make test installs it)")
    cache = tmp_path / "fresh"
    assert assets.missing_assets(cache)
    assert ensure_assets(cache)
    assert assets.missing_assets(cache) == []


def test_an_unreachable_registry_is_said_with_npms_reason(tmp_path, monkeypatch, capsys):
    """A second user check: with the registry out of reach, viz said nothing for minutes
    (npm's retries) and then "`npm pack ...` failed:" with no reason. The retries are said
    as they happen, and the reason is npm's own."""
    import shutil

    from sim.app.server import ensure_assets

    if shutil.which("npm") is None:
        pytest.skip("npm is not installed (make test installs it)")
    monkeypatch.setenv("npm_config_registry", "http://127.0.0.1:9/")  # nothing listens
    monkeypatch.setenv("npm_config_fetch_retries", "0")
    assert not ensure_assets(tmp_path / "empty")
    err = capsys.readouterr().err
    assert "npm pack failed, retrying (1/2)" in err
    assert "Preparing them failed:" in err and "ECONNREFUSED" in err, err
