"""Behaviour is unchanged by refactoring and speed work: a small comparison through the
command line gives byte-for-byte the summary.csv (and daily table) stored when the reference
was made (main at be2f42e, before the structure and speed issues).

The reference was made with

    python run.py compare scenarios/baseline.toml scenarios/combined_package.toml \\
        scenarios/hub_closure.toml scenarios/critical_friend.toml \\
        --replicates 2 --days 240 --residents 300 --seed 7 --workers 1

and is kept gzipped (summary) and as a SHA-256 of the uncompressed daily.csv. A change that
is meant to change the model's results must remake both files in the same commit and say why
in its message; a change that is not meant to must leave them alone."""

from __future__ import annotations

import gzip
import hashlib
from pathlib import Path

import pytest

from sim import cli

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = Path(__file__).with_name("data") / "reference"
SCENARIOS = ["baseline", "combined_package", "hub_closure", "critical_friend"]
ARGS = ["--replicates", "2", "--days", "240", "--residents", "300", "--seed", "7"]


@pytest.mark.parametrize("workers", ["1", "2"])
def test_summary_and_daily_tables_are_byte_identical_to_the_reference(tmp_path, workers):
    files = [str(ROOT / "scenarios" / f"{name}.toml") for name in SCENARIOS]
    code = cli.main(["compare", *files, *ARGS, "--workers", workers, "--out", str(tmp_path)])
    assert code == 0
    (job,) = [p for p in tmp_path.iterdir() if p.is_dir()]

    expected = gzip.decompress((REFERENCE / "summary_300x240_seed7.csv.gz").read_bytes())
    got = (job / "summary.csv").read_bytes()
    if got != expected:
        lines, want_lines = got.splitlines(), expected.splitlines()
        first = next((i + 1 for i, (a, b) in enumerate(zip(lines, want_lines, strict=False))
                      if a != b), min(len(lines), len(want_lines)) + 1)
        pytest.fail(f"summary.csv differs from the reference from line {first}: "
                    f"{len(got)} bytes against {len(expected)}")

    daily = gzip.decompress((job / "daily.csv.gz").read_bytes())
    want = (REFERENCE / "daily_300x240_seed7.sha256").read_text().strip()
    assert hashlib.sha256(daily).hexdigest() == want, "daily.csv differs from the reference"
