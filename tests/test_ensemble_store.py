"""A run's table is encoded (sim.ensemble.store.encode_table) as exactly the text of a repr
per cell, whichever way the cells are formatted: repeated values, NaN (an empty field),
infinities, negative zero and values that differ in the last bit all survive."""

from __future__ import annotations

import gzip

import hypothesis.extra.numpy as hnp
import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.ensemble.store import csv_rows, encode_table, read_table


def reference_text(frame: pd.DataFrame) -> str:
    lines = [",".join(["day", *map(str, frame.columns)])]
    for day, row in zip(frame.index, frame.to_numpy(dtype=np.float64).tolist(), strict=True):
        lines.append(f"{day}," + ",".join("" if x != x else repr(x) for x in row))
    return "\n".join(lines) + "\n"


def test_encoding_is_a_repr_per_cell(tmp_path):
    rng = np.random.default_rng(5)
    values = rng.choice([0.0, -0.0, 0.5, 1 / 3, np.nan, np.inf, -np.inf, 1e-300], (60, 9))
    values[:, 3] = rng.random(60)  # mostly distinct values
    values[5, 4] = np.nextafter(0.5, 1.0)  # one bit away from a repeated value
    frame = pd.DataFrame(values, columns=[f"m{i}" for i in range(9)],
                         index=pd.Index(np.arange(60), name="day"))
    data = encode_table(frame)
    assert gzip.decompress(data).decode() == reference_text(frame)
    path = tmp_path / "run.csv.gz"
    path.write_bytes(data)
    back = read_table(path).to_numpy()
    assert np.array_equal(np.signbit(back), np.signbit(values))
    assert np.array_equal(back, values, equal_nan=True)


def test_daily_rows_are_the_text_pandas_wrote():
    """daily.csv.gz's rows (sim.ensemble.store.csv_rows) are the same text as pandas'
    to_csv of the table they were made from (before: scenario, replicate, day, values)."""
    from sim.report.daily import DAILY_DECIMALS

    rng = np.random.default_rng(8)
    values = rng.random((40, 6))
    values[rng.random((40, 6)) < 0.2] = np.nan
    values[:, 2] = rng.choice([0.0, -0.0, 1e-9, 123456.75, 0.1 + 0.2], 40)
    frame = pd.DataFrame(values, columns=list("abcdef"),
                         index=pd.Index(np.arange(1, 41) * 3, name="day"))
    for name in ("Baseline", 'Cafe, "new" one'):
        table = frame.round(DAILY_DECIMALS)
        want = table.copy()
        want.insert(0, "day", want.index.to_numpy())
        want.insert(0, "replicate", 4)
        want.insert(0, "scenario", name)
        assert csv_rows([name, 4], table.index.to_numpy(), table.to_numpy()).decode() == (
            want.to_csv(header=False, index=False, lineterminator="\n"))


def reference_rows(values: np.ndarray) -> list[str]:
    return [",".join("" if x != x else repr(x) for x in row) for row in values.tolist()]


def test_value_rows_write_repr_where_orjson_would_not():
    """Without infinities the cells are formatted by orjson; the magnitudes repr writes with
    an exponent (below 1e-4, from 1e16), subnormals, negative zero, whole numbers and
    missing values must still come out as repr writes them, row by row."""
    from sim.ensemble.store import value_rows

    rng = np.random.default_rng(11)
    special = [0.0, -0.0, 1e-4, np.nextafter(1e-4, 0), 9.99e-5, 1e-5, -3.2e-7, 5e-324,
               2.2250738585072014e-308, 1e16, np.nextafter(1e16, 0), -1.5e300, 2.0, -7.0,
               123456789012345.0, 0.1 + 0.2, 1 / 3, np.nan]
    values = rng.random((50, 12))
    some = rng.random((50, 12)) < 0.3
    values[some] = rng.choice(special, some.sum())
    values[0, :] = np.nan  # a row with nothing in it
    values[1, :len(special[:12])] = special[:12]
    got = [row.decode() for row in value_rows(values)]
    assert got == reference_rows(values)
    assert value_rows(np.empty((0, 3))) == []
    assert value_rows(np.empty((2, 0))) == [b"", b""]


@settings(max_examples=60, deadline=None)
@given(hnp.arrays(np.float64, hnp.array_shapes(min_dims=2, max_dims=2, max_side=12),
                  elements=st.floats(allow_infinity=False, width=64)))
def test_value_rows_match_repr_for_any_finite_floats(values):
    from sim.ensemble.store import value_rows

    assert [row.decode() for row in value_rows(values)] == reference_rows(values)
