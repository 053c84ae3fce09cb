"""Running an export: choose the shape, stream it to ``.part`` files, rename them only when all went well.

A killed export leaves its ``.part`` files (post texts); the next export to the same name or folder removes
them before it starts, and says so in its notes.

``export_job`` is a generator (progress out, a ``CancelToken`` honoured between batches of rows) so the GUI
can run it off the UI thread; ``export`` runs it to the end here. The whole export reads one snapshot of the
project (one read transaction), so its files agree with each other even while someone keeps coding.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Generator
from pathlib import Path

from archive.export.adjudication_files import write_disagreements, write_gold, write_gold_audit
from archive.export.coder_rows import write_by_unit_coder, write_code_sets, write_completion, write_long
from archive.export.context import ExportContext, ExportResult, Writer
from archive.export.dataset import write_dataset
from archive.export.errors import ExportError
from archive.export.files import Outputs, remove_stale_parts
from archive.export.memos import write_memos
from archive.export.options import ExportOptions
from archive.export.qdpx import write_qdpx
from archive.export.recal import write_recal2, write_recal3, write_recal_oir
from archive.export.reports import write_pairwise, write_report, write_rounds
from archive.export.wide import write_coders_x_units, write_units_x_coders
from archive.jobs import CancelToken, JobProgress, cancelled, drain

SHAPES: dict[str, Writer] = {
    "long": write_long,
    "completion": write_completion,
    "by_unit_coder": write_by_unit_coder,
    "units_x_coders": write_units_x_coders,
    "coders_x_units": write_coders_x_units,
    "recal2": write_recal2,
    "recal3": write_recal3,
    "recal_oir": write_recal_oir,
    "code_sets": write_code_sets,
    "report": write_report,
    "pairwise": write_pairwise,
    "rounds": write_rounds,
    "disagreements": write_disagreements,
    "gold": write_gold,
    "gold_audit": write_gold_audit,
    "dataset": write_dataset,
    "memos": write_memos,
    "qdpx": write_qdpx,
}
"""Every export shape by name; docs/export.md describes each."""


def export(conn: sqlite3.Connection, shape: str, path: Path, options: ExportOptions | None = None) -> ExportResult:
    """Write one export on this thread."""
    return drain(export_job(conn, shape, path, options))


def export_job(
    conn: sqlite3.Connection,
    shape: str,
    path: Path,
    options: ExportOptions | None = None,
    cancel: CancelToken | None = None,
) -> Generator[JobProgress, None, ExportResult]:
    """Write ``shape`` to ``path``; a cancelled export leaves no file behind and says so in its result."""
    writer = SHAPES.get(shape)
    if writer is None:
        raise ExportError(f"unknown export shape '{shape}': choose one of {', '.join(SHAPES)}")
    options = options or ExportOptions()
    options.check()
    outputs = Outputs(bom=options.bom, missing=options.missing, neutralise_cells=options.neutralise)
    ctx = ExportContext(conn, Path(path), options, outputs, cancel)
    stale = remove_stale_parts(ctx.path)
    if stale:
        names = ", ".join(part.name for part in stale)
        ctx.notes.append(f"removed {len(stale)} unfinished file(s) an export that was stopped left behind: {names}")
    began = not conn.in_transaction
    if began:
        conn.execute("BEGIN")  # one snapshot for every query of the export
    try:
        for progress in writer(ctx):
            yield progress
            if cancelled(cancel):
                outputs.abort()
                return ExportResult(shape, cancelled=True)
        if cancelled(cancel):
            outputs.abort()
            return ExportResult(shape, cancelled=True)
        files = outputs.commit()
    except BaseException:
        outputs.abort()
        raise
    finally:
        if began and conn.in_transaction:
            conn.execute("COMMIT")  # nothing was written to the project: this only ends the read
    return ExportResult(shape, tuple(files), outputs.rows + ctx.rows, tuple(ctx.notes))
