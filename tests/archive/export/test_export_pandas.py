"""Every CSV export reads back in pandas exactly as the csv module reads it: ids stay text, nothing shifts."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from archive.export import SHAPES, export
from archive.export.options import ExportOptions
from tests.archive.agreement.projects import Study

pandas = pytest.importorskip("pandas")

CSV_SHAPES = sorted(shape for shape in SHAPES if shape != "qdpx")


def csv_rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


@pytest.mark.parametrize("bom", [False, True], ids=["utf8", "utf8-bom"])
@pytest.mark.parametrize("shape", CSV_SHAPES)
def test_pandas_reads_every_csv_export_as_the_csv_module_does(coded: Study, tmp_path: Path, shape: str, bom: bool):
    options = ExportOptions(bom=bom, missing="NA", coders=("ana", "bo"))
    result = export(coded.db.conn, shape, tmp_path / f"{shape}.csv", options)
    files = [f for f in result.files if f.suffix == ".csv"]
    assert files, f"{shape} wrote no CSV file"
    for path in files:
        expected = csv_rows(path)
        assert len({len(row) for row in expected}) == 1, f"{path.name} is not a rectangular table"
        frame = pandas.read_csv(path, dtype=str, keep_default_na=False, header=None, encoding="utf-8-sig")
        assert frame.values.tolist() == expected, path.name
        if "unit_id" in expected[0]:
            ids = frame.iloc[1:, expected[0].index("unit_id")].tolist()
            assert all(i.startswith("twitter:") for i in ids)  # never turned into numbers
