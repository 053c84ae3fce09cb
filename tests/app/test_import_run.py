"""The import as the app runs it, without threads: detect formats first, then import, then report."""

from __future__ import annotations

import csv
import zipfile
from pathlib import Path

from app.demo import demo_archive_path
from app.import_plan import PlannedInput, included, plan_inputs, plan_one
from app.import_run import (
    ImportReport,
    ImportStep,
    import_plan,
    write_errors_csv,
    write_summary_csv,
    write_unavailable_csv,
)
from archive.formats import ReadOptions
from archive.importing.sources import Source
from archive.jobs import CancelToken, drain
from archive.store.project import Project


def plan(*paths: Path) -> list[PlannedInput]:
    result: list[PlannedInput] = drain(plan_inputs(list(paths))(CancelToken()))
    return result


def test_a_folder_is_planned_file_by_file_with_each_format(tmp_path):
    folder = tmp_path / "collection"
    folder.mkdir()
    (folder / "tweets.jsonl").write_bytes(demo_archive_path().read_bytes())
    (folder / "mine.csv").write_text("tweet_id,body\n1,hello\n", encoding="utf-8")
    (folder / "notes.txt").write_text("my field notes: not an archive", encoding="utf-8")
    items = {item.display_name: item for item in plan(folder)}
    assert items["tweets.jsonl"].format == "twarc2"
    assert items["tweets.jsonl"].format_label == "twarc2 API response pages (X API v2)"
    assert items["mine.csv"].needs_mapping
    assert items["notes.txt"].format is None and not items["notes.txt"].include
    assert "not JSON and not a CSV header" in items["notes.txt"].note
    assert [i.display_name for i in included(list(items.values()))] == ["mine.csv", "tweets.jsonl"]


def test_zip_members_are_named_inside_their_zip(tmp_path):
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.write(demo_archive_path(), "data/metoo.jsonl")
    (item,) = plan(archive)
    assert item.display_name == "export.zip › data/metoo.jsonl"
    assert item.format == "twarc2"


def test_a_missing_path_is_planned_as_not_imported_with_the_reason(tmp_path):
    (item,) = plan(tmp_path / "gone.jsonl")
    assert item.format is None
    assert "no such file" in item.note


def import_into(folder: Path, items: list[PlannedInput], **kwargs) -> tuple[ImportReport, list[ImportStep]]:
    Project.create_or_open(folder).close()
    steps: list[ImportStep] = []
    report: ImportReport = drain(import_plan(folder, items, **kwargs)(CancelToken()), steps.append)
    return report, steps


def test_importing_the_demo_reports_counts_and_its_one_deleted_post_apart_from_errors(tmp_path):
    report, steps = import_into(tmp_path / "p", [plan_one(Source(demo_archive_path()))])
    assert steps and steps[-1].number == 1 and steps[-1].count == 1
    (summary,) = report.files
    assert summary.status == "complete"
    assert report.total.new == 318
    # The page's "Could not find tweet" entry is a fact about the collection, not damage.
    assert report.errors_total == len(report.errors) == 0
    assert (report.total.skipped, report.total.unavailable) == (0, 1)
    assert report.unavailable_by_type == {"tweet": 1}
    [deleted] = report.unavailable
    assert (deleted.resource_type, deleted.resource_id) == ("tweet", "920218556372262934")
    assert deleted.line is not None and deleted.locator.startswith("errors[")
    assert report.headline() == (
        "1 file: 318 new posts, 0 updated, 0 duplicates, 0 records skipped, 0 errors; "
        "1 post unavailable at collection time."
    )


def test_importing_again_adds_nothing_and_says_so(tmp_path):
    folder = tmp_path / "p"
    import_into(folder, [plan_one(Source(demo_archive_path()))])
    report, _ = import_into(folder, [plan_one(Source(demo_archive_path()))])
    assert report.files[0].status == "already-imported"
    assert report.total.new == 0


def test_a_csv_is_read_through_the_mapping_chosen(tmp_path):
    data = tmp_path / "mine.csv"
    data.write_text("ref;words;who\n11;first post;ana\n12;second;ben\nbad;x;y\n", encoding="utf-8")
    item = plan_one(Source(data))
    item.options = ReadOptions(csv_mapping={"id": "ref", "text": "words", "author_handle": "who"})
    report, _ = import_into(tmp_path / "p", [item])
    assert report.total.new == 2
    assert [(e.line, e.file) for e in report.errors] == [(4, str(data))]


def test_a_file_that_fails_is_reported_and_the_others_are_still_imported(tmp_path):
    data = tmp_path / "mine.csv"
    data.write_text("a,b\n1,2\n", encoding="utf-8")  # no id or text column, and no mapping given
    report, _ = import_into(tmp_path / "p", [plan_one(Source(data)), plan_one(Source(demo_archive_path()))])
    assert [s.status for s in report.files] == ["failed", "complete"]
    assert report.failed == 1
    assert "no column for id and text" in report.errors[0].reason
    assert "1 file could not be read" in report.headline()


def test_a_cancelled_import_says_it_can_be_resumed(tmp_path):
    folder = tmp_path / "p"
    Project.create_or_open(folder).close()
    cancel = CancelToken()
    cancel.cancel()
    report: ImportReport = drain(import_plan(folder, [plan_one(Source(demo_archive_path()))])(cancel))
    assert report.cancelled
    assert report.files[0].status == "cancelled"
    assert report.headline().endswith("Cancelled: run the import again to finish.")


def test_the_report_is_written_as_csv_files(tmp_path):
    demo = tmp_path / "demo.jsonl"
    demo.write_bytes(demo_archive_path().read_bytes() + b'{"data": [{"id": "1", "te\n')
    report, _ = import_into(tmp_path / "p", [plan_one(Source(demo))])
    write_summary_csv(report, tmp_path / "summary.csv")
    write_errors_csv(report, tmp_path / "errors.csv")
    write_unavailable_csv(report, tmp_path / "unavailable.csv")
    with open(tmp_path / "summary.csv", encoding="utf-8-sig", newline="") as stream:
        (row,) = csv.DictReader(stream)
    assert row["status"] == "imported" and row["new"] == "318" and row["format"] == "twarc2"
    assert (row["skipped"], row["unavailable"]) == ("1", "1")
    with open(tmp_path / "errors.csv", encoding="utf-8-sig", newline="") as stream:
        (error,) = csv.DictReader(stream)
    assert list(error) == ["file", "line", "locator", "reason", "excerpt"]
    assert error["file"].endswith("demo.jsonl") and error["line"].isdigit()
    with open(tmp_path / "unavailable.csv", encoding="utf-8-sig", newline="") as stream:
        (gap,) = csv.DictReader(stream)
    assert list(gap) == ["file", "line", "locator", "type", "id", "reason"]
    assert (gap["type"], gap["id"]) == ("tweet", "920218556372262934")


def test_the_error_report_neutralises_excerpts_a_spreadsheet_would_run(tmp_path):
    from app.import_run import ImportProblem

    report = ImportReport(errors=[ImportProblem("=evil.jsonl", 3, "$.text", "not JSON", '=HYPERLINK("x")')])
    write_errors_csv(report, tmp_path / "errors.csv")
    with open(tmp_path / "errors.csv", encoding="utf-8-sig", newline="") as stream:
        (row,) = csv.DictReader(stream)
    assert (row["file"], row["excerpt"]) == ("'=evil.jsonl", '\'=HYPERLINK("x")')
    assert not list(tmp_path.glob("*.part"))
