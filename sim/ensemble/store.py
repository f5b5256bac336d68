"""The per-run store: one file per run, written atomically, checked on resume.

Layout of an ensemble folder::

    <out_dir>/
      plan.json                          what was asked: scenarios, fingerprints, seeds (first)
      runs/<slug>/rep-0003.csv.gz        one run's daily table: ``day`` then one column per
                                         metric and breakdown (as ``model.metrics.frame()``)
      runs/<slug>/rep-0003.json          its sidecar: scenario, replicate, seed, days, timings,
                                         package version, byte size and SHA-256 of the table
      runs/<slug>/rep-0003.error.json    a run that raised: seed and traceback (removed when a
                                         later resume completes the run)

Why gzipped CSV rather than Parquet: it needs nothing beyond pandas (no pyarrow, ~150 MB),
anyone can open it (gunzip, a spreadsheet, R), and floats round-trip exactly. A run's table
is small (days x ~140 columns, ~40-200 KB compressed), so the speed of a columnar format
buys little; summaries read one run file at a time. The gzip header carries no time stamp,
so the same run gives the same bytes and the same checksum on any machine.

Every file is written to a temporary name in the same folder and then moved into place with
``os.replace``, so a reader never sees half a file. The table is written before its sidecar:
a run counts as done only when its sidecar exists and the table's size and checksum match
it; anything else (a missing, truncated or altered table, an unreadable sidecar) is redone
by a resume.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import json
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import orjson
import pandas as pd
from isal import igzip

from sim.atomic import (  # noqa: F401  (TMP_MARK, remove_stale_temporaries: re-exported)
    TMP_MARK,
    remove_stale_temporaries,
    write_bytes_atomic,
)

PLAN_FILE = "plan.json"
RUNS_DIR = "runs"
# held by the job working in a folder for as long as it works there (sim.usage.job_folder_held),
# and taken away when it ends; one left by a job that crashed holds nothing
LOCK_FILE = ".job.lock"
PLAN_FORMAT = "kindliness-sim ensemble plan 1"
_READ_KW = {"float_precision": "round_trip"} if pd.__version__ < "3" else {}


# -- atomic writes ----------------------------------------------------------------------------
def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` via a temporary file in the same folder and ``os.replace``."""
    write_bytes_atomic(path, data)


def write_json_atomic(path: Path, obj) -> None:
    write_atomic(path, (json.dumps(obj, indent=1, sort_keys=True) + "\n").encode())


# -- paths ------------------------------------------------------------------------------------
def run_stem(replicate: int) -> str:
    return f"rep-{replicate:04d}"


def table_path(out_dir: Path, slug: str, replicate: int) -> Path:
    return Path(out_dir) / RUNS_DIR / slug / f"{run_stem(replicate)}.csv.gz"


def sidecar_path(out_dir: Path, slug: str, replicate: int) -> Path:
    return Path(out_dir) / RUNS_DIR / slug / f"{run_stem(replicate)}.json"


def error_path(out_dir: Path, slug: str, replicate: int) -> Path:
    return Path(out_dir) / RUNS_DIR / slug / f"{run_stem(replicate)}.error.json"


# -- encoding a run's table ---------------------------------------------------------------------
def encode_table(frame: pd.DataFrame) -> bytes:
    """A wide daily table (indexed by ``day``) as gzipped CSV bytes, deterministic.

    Floats are written as Python's shortest exact ``repr`` (they read back bit for bit),
    missing values as empty fields: the same text as ``DataFrame.to_csv``, which took about
    1.7x as long (the cells are formatted by :func:`value_rows`). Gzip level 1 is about 5x
    faster than level 6 for files about 30% larger, and Intel's ISA-L (isal) writes it 3.6x
    faster again than zlib, in 5% fewer bytes."""
    head = io.StringIO()
    csv.writer(head, lineterminator="\n").writerow(["day", *map(str, frame.columns)])
    days = frame.index.to_numpy(dtype=np.int64).tolist()
    rows = value_rows(frame.to_numpy(dtype=np.float64))
    body = b"\n".join([b"%d," % d + row for d, row in zip(days, rows, strict=True)])
    text = head.getvalue().encode() + body + b"\n"
    return igzip.compress(text, compresslevel=1, mtime=0)


# repr writes these magnitudes in exponent form ("1e-05", "1e+16"), orjson positionally
_REPR_EXPONENT_BELOW, _REPR_EXPONENT_FROM = 1e-4, 1e16


def value_rows(values: np.ndarray) -> list[bytes]:
    """Each row of a 2-D float array as CSV fields: every value as its ``repr`` (the shortest
    text that reads back as the same float), a missing value (NaN) as an empty field.

    orjson formats the numbers (the shortest round-trip digits, as ``repr``, in Ryu's way):
    7 ms for a 2,000-resident two-year table, where a ``repr`` per distinct value took 15
    (about 20,000 distinct in 128,000, most needing 16 or 17 digits), and a run's table was
    a tenth of its time. orjson writes the same digits, but positionally where ``repr`` uses
    an exponent (below 1e-4, from 1e16), so those few cells are written by ``repr``; a table
    with an infinity (orjson writes it as null, like NaN) is formatted by ``repr`` whole."""
    values = np.ascontiguousarray(values, dtype=np.float64)
    if values.shape[0] == 0:
        return []
    size = np.abs(values)
    if np.isinf(size).any():
        cells = _repr_cells(values)
        cells[np.isnan(values)] = ""
        return [",".join(row).encode() for row in cells.tolist()]
    text = orjson.dumps(values, option=orjson.OPT_SERIALIZE_NUMPY)  # b"[[1.0,0.5],[...]]"
    if np.isnan(size).any():
        text = text.replace(b"null", b"")  # NaN is null, and nothing else is
    rows = text[2:-2].split(b"],[")
    exponent = (size >= _REPR_EXPONENT_FROM) | ((size < _REPR_EXPONENT_BELOW) & (size > 0))
    for r in np.flatnonzero(exponent.any(axis=1)).tolist():
        fields = rows[r].split(b",")
        for c in np.flatnonzero(exponent[r]).tolist():
            fields[c] = repr(float(values[r, c])).encode()
        rows[r] = b",".join(fields)
    return rows


def _repr_cells(values: np.ndarray) -> np.ndarray:
    """``repr`` of every cell (an object array of str), formatting each distinct value once.
    The distinct values are found by hashing (pandas' factorize: several times faster than
    np.unique's sort on a run's table), which counts 0.0 and -0.0 as one value (either may
    stand for both) and every NaN as one, so zeros are written by their own sign afterwards
    (repr of any NaN is 'nan')."""
    where, distinct = pd.factorize(values.ravel(), use_na_sentinel=False)
    text = np.array([repr(x) for x in distinct.tolist()], dtype=object)
    cells = text[where.reshape(values.shape)]
    zero = values == 0
    if zero.any():
        cells[zero] = np.where(np.signbit(values[zero]), "-0.0", "0.0")
    return cells


def csv_rows(prefix: list, days: np.ndarray, values: np.ndarray) -> bytes:
    """Lines of CSV text (UTF-8): the ``prefix`` fields (quoted as the csv module quotes
    them), the day, then each value as ``repr`` (missing: an empty field), each line ending
    in a newline; the same text as pandas' ``to_csv`` of such a table, several times faster
    (:func:`value_rows`)."""
    head = io.StringIO()
    csv.writer(head, lineterminator="").writerow(prefix)
    lead = head.getvalue() + "," if prefix else ""
    rows = value_rows(values)
    return b"".join(f"{lead}{d},".encode() + row + b"\n"
                    for d, row in zip(np.asarray(days).tolist(), rows, strict=True))


def read_table(path: Path, columns: list[str] | None = None) -> pd.DataFrame:
    """One run's daily table, indexed by day (only ``columns`` if given)."""
    usecols = None if columns is None else ["day", *columns]
    with igzip.open(path, "rb") as fh:  # 2.2x faster than zlib's gzip to read
        frame = pd.read_csv(fh, index_col="day", usecols=usecols, **_READ_KW)
    return frame if columns is None else frame[columns]


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


# -- run records --------------------------------------------------------------------------------
@dataclass(frozen=True)
class RunRecord:
    """The sidecar of one finished run."""

    scenario: str
    slug: str
    replicate: int
    seed: int
    days: int
    n_rows: int
    n_columns: int
    data_file: str  # name of the table, beside the sidecar
    data_bytes: int
    data_sha256: str
    build_s: float  # building the community
    run_s: float  # simulating the days
    encode_s: float  # turning the table into bytes
    wall_s: float  # the whole task on the worker
    package_version: str
    worker: str  # host:pid of the process that ran it
    finished_at: str  # UTC, ISO 8601

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, obj: dict) -> RunRecord:
        return cls(**{k: obj[k] for k in cls.__dataclass_fields__})


def save_run(out_dir: Path, record: RunRecord, data: bytes) -> None:
    """Write a finished run: the table first, then its sidecar (the commit marker)."""
    write_atomic(table_path(out_dir, record.slug, record.replicate), data)
    write_json_atomic(sidecar_path(out_dir, record.slug, record.replicate), record.to_json())
    with contextlib.suppress(FileNotFoundError):
        error_path(out_dir, record.slug, record.replicate).unlink()


def load_valid_run(out_dir: Path, slug: str, replicate: int, seed: int, days: int,
                   *, verify_checksum: bool = True) -> RunRecord | None:
    """The record of a complete, intact run, or None if it is missing, partial or corrupt.

    Intact means: the sidecar parses and names this run's seed and days, and the table
    exists with the size (and, with ``verify_checksum``, the SHA-256) the sidecar records.
    """
    side = sidecar_path(out_dir, slug, replicate)
    try:
        record = RunRecord.from_json(json.loads(side.read_text()))
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if (record.slug, record.replicate, record.seed, record.days) != (slug, replicate, seed,
                                                                      days):
        return None
    table = side.parent / record.data_file
    try:
        if table.stat().st_size != record.data_bytes:
            return None
    except OSError:
        return None
    if verify_checksum and file_sha256(table) != record.data_sha256:
        return None
    return record


# -- the plan ---------------------------------------------------------------------------------
class PlanMismatchError(ValueError):
    """Resuming a folder with a plan other than the one it was started with: ``folder``,
    and ``differences`` (short phrases, :func:`compare_plans`) when the plans differ."""

    def __init__(self, message: str, folder: Path | None = None,
                 differences: Sequence[str] = ()):
        super().__init__(message)
        self.folder = folder
        self.differences = list(differences)


MAX_PLAN_BYTES = 50_000_000  # a plan lists seeds: about 25 bytes a run


def read_plan(out_dir: Path) -> dict:
    """The plan of an ensemble folder; ``ValueError`` saying what is wrong with plan.json
    when it is not a plan this package wrote (truncated, edited, something else by that
    name); ``OSError`` when it cannot be read."""
    path = Path(out_dir) / PLAN_FILE
    if path.is_dir() or (path.exists() and not path.is_file()):
        raise ValueError("is not a file")
    if path.stat().st_size > MAX_PLAN_BYTES:
        raise ValueError("is too large to be a plan")
    try:
        plan = json.loads(path.read_bytes())
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"is not valid JSON ({exc})") from None
    entries = plan.get("scenarios") if isinstance(plan, dict) else None
    keys = ("name", "slug", "days", "replicates", "root_seed", "fingerprint", "seeds")
    if not (isinstance(entries, list) and entries
            and all(isinstance(e, dict) and all(k in e for k in keys) for e in entries)):
        raise ValueError("does not hold an ensemble plan (a table whose 'scenarios' list "
                         f"each give {', '.join(keys)})")
    if not all(isinstance(e["slug"], str) and re.fullmatch(r"[^/\\\x00]+", e["slug"])
               and e["slug"] not in (".", "..") for e in entries):
        raise ValueError("names a scenario folder that is not a plain folder name")
    return plan


def compare_plans(old: dict, new: dict) -> list[str]:
    """What differs between two plans, in short phrases that name scenarios as their files
    do ("replicates 1 then, 2 now"; empty when they ask for the same runs). A difference
    shared by every scenario is said once; a model or intervention difference is left out
    where the days or the residents differ (a run's fingerprint includes them)."""
    old_s = {s["slug"]: s for s in old.get("scenarios", [])}
    new_s = {s["slug"]: s for s in new["scenarios"]}
    problems = []
    gone = [old_s[k].get("name", k) for k in old_s if k not in new_s]
    added = [new_s[k]["name"] for k in new_s if k not in old_s]
    if gone:
        problems.append(f"{_names(gone)} {'was' if len(gone) == 1 else 'were'} in it")
    if added:
        problems.append(f"{_names(added)} {'is' if len(added) == 1 else 'are'} new")
    both = [k for k in new_s if k in old_s]
    for key, what in (("days", "days"), ("replicates", "replicates"), ("root_seed", "seed"),
                      ("residents", "residents")):
        pairs = {(old_s[k].get(key), new_s[k].get(key)) for k in both
                 if old_s[k].get(key) != new_s[k].get(key)
                 and None not in (old_s[k].get(key), new_s[k].get(key))}  # older plans: none
        problems += [f"{what} {a:,} then, {b:,} now" if key == "residents"
                     else f"{what} {a} then, {b} now" for a, b in sorted(pairs, key=repr)]
    # a fingerprint holds the days and the residents: a change of either is said above
    changed = [new_s[k] for k in both if old_s[k].get("fingerprint")
               != new_s[k]["fingerprint"] and old_s[k].get("days") == new_s[k]["days"]
               and old_s[k].get("residents") in (None, new_s[k].get("residents"))]
    if changed:  # the file too (a user check: the scenario's name alone left it to find)
        problems.append(f"the model or interventions of {_names([e['name'] for e in changed])}"
                        f" (an edited file{files_of(changed)}, or --residents)")
    problems += [f"'{old_s[k].get('name')}' is now called '{new_s[k]['name']}'" for k in both
                 if old_s[k].get("name") != new_s[k]["name"]]
    order = [s["slug"] for s in old.get("scenarios", [])]
    if order != [s["slug"] for s in new["scenarios"]] and not problems:
        first = new["scenarios"][0]
        problems.append(f"baseline '{old_s[order[0]].get('name')}' then, '{first['name']}' now"
                        if order[0] != first["slug"] else "the scenarios in another order")
    return problems


def files_of(entries) -> str:
    """": scenarios/x.toml, scenarios/y.toml": the files of plan entries that name one (a
    plan's "path", as typed), or nothing."""
    paths = list(dict.fromkeys(e["path"] for e in entries if isinstance(e.get("path"), str)))
    return f": {', '.join(paths)}" if paths else ""


def _names(names: list[str], most: int = 3) -> str:
    """'A', 'B' and 'C' (and 2 more)."""
    quoted = [f"'{n}'" for n in names[:most]]
    text = quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]
    return text + (f" (and {len(names) - most} more)" if len(names) > most else "")

