"""Files written atomically (sim/atomic.py): a reader never sees half a file, a failed write
keeps the old one and leaves no temporary, and temporaries an interrupted run left behind are
found and removed. (The report's writers built on this are tested in tests/test_report.py.)"""

from __future__ import annotations

import os
import stat

import pytest

from sim.atomic import (
    FILE_MODE,
    TMP_MARK,
    atomic_file,
    remove_stale_temporaries,
    write_bytes_atomic,
)


def test_a_write_lands_whole_with_the_usual_file_mode_and_creates_its_folder(tmp_path):
    target = tmp_path / "new" / "table.csv"
    with atomic_file(target, "w") as fh:
        fh.write("a,b\r\n1,2\n")
        assert not target.exists()  # nothing there until the block ends
    assert target.read_bytes() == b"a,b\r\n1,2\n"  # text written as given, no newline change
    assert stat.S_IMODE(os.stat(target).st_mode) == FILE_MODE
    assert write_bytes_atomic(target, b"new") == target and target.read_bytes() == b"new"
    assert sorted(p.name for p in target.parent.iterdir()) == ["table.csv"]


def test_a_failed_write_keeps_the_old_file_and_leaves_no_temporary(tmp_path):
    target = tmp_path / "runs.json"
    target.write_bytes(b"old")
    with pytest.raises(KeyboardInterrupt), atomic_file(target) as fh:
        fh.write(b"half")
        raise KeyboardInterrupt  # any way out, not only errors
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["runs.json"]


def test_stale_temporaries_are_removed_and_counted_and_nothing_else(tmp_path):
    keep = [tmp_path / "a.csv", tmp_path / ".hidden", tmp_path / "sub" / "b.tmp"]
    stale = [tmp_path / f".a.csv{TMP_MARK}x1", tmp_path / "sub" / f".c.parquet{TMP_MARK}yz"]
    for p in keep + stale:
        p.parent.mkdir(exist_ok=True)
        p.write_bytes(b"x")
    assert remove_stale_temporaries(tmp_path) == 2
    assert all(p.exists() for p in keep) and not any(p.exists() for p in stale)
    assert remove_stale_temporaries(tmp_path) == 0
