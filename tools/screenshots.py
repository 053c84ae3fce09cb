"""Render the app's main screens to PNGs at 1280x800, for looking at them with fresh eyes (not committed).

Run under a virtual display: ``Xvfb :99 -screen 0 1280x800x24 &`` then
``DISPLAY=:99 .venv/bin/python -m tools.screenshots [--out screenshots]``. It also runs offscreen
(``QT_QPA_PLATFORM=offscreen``), with the offscreen platform's fonts. Each screen is made from the demo
project in a temporary folder; nothing in the user's folders is touched.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QWidget

from app.demo import demo_archive_path, make_demo_project
from app.import_plan import plan_one
from archive.coding.blind import set_blind_mode
from archive.coding.codebook import find_code
from archive.coding.coders import add_coder
from archive.coding.codings import apply_code
from archive.coding.status import complete_post
from archive.importing.sources import Source
from desktop.gui import starter_codebooks
from ui.importing.import_dialog import ImportDialog
from ui.window.main_window import MainWindow

SIZE = (1280, 800)
# A reply deep in a demo thread whose parent was not collected: root, gap, placeholder and replies all show.
THREAD_POST = "twitter:920227235346440201"


def settle(app: QApplication, rounds: int = 20) -> None:
    for _ in range(rounds):
        app.processEvents()


def save(widget: QWidget, out: Path, name: str) -> Path:
    path = out / f"{name}.png"
    widget.grab().save(str(path))
    print(path)
    return path


def wait_for(app: QApplication, done: Callable[[], bool], rounds: int = 2000) -> None:
    for _ in range(rounds):
        if done():
            return
        app.processEvents()
        QApplication.instance().thread().msleep(5)  # type: ignore[union-attr]
    raise TimeoutError("the window did not get there in time")


def finish(window: MainWindow) -> None:
    """Close without the "a job is still running" question: background indexing may still be going on."""
    window.runner.shutdown()
    window.close()


def make_window(work: Path) -> MainWindow:
    settings = QSettings(str(work / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(settings, csv_presets=work / "presets.json", starter_codebooks=starter_codebooks())
    window.background_lists = False  # the steady state: the list and counts already read
    window.resize(*SIZE)
    return window


def main_window_shots(app: QApplication, work: Path, out: Path) -> None:
    window = make_window(work)
    window.show()
    settle(app)
    save(window, out, "welcome")
    window.open_project(make_demo_project(work / "demo.threadcoder"))
    window.coding.new_coder("ana")
    window.coding.load_codebook(next(iter(window.starter_codebooks.values())))
    assert window.model is not None and window.project is not None
    window.select_row(window.model.row_of(THREAD_POST) or 0)
    for name in ("Critical", "Hostile backlash"):
        found = find_code(window.project.db.conn, name)
        assert found is not None
        window.coding_panel.choose(found)
    window.coding_panel.memo.setPlainText("Dismissive of the disclosure; compare the reply above.")
    settle(app)
    save(window, out, "main-window")
    save(window.thread_view, out, "thread-view")
    chart_shots(app, window, out)
    dialog_shots(app, window, out)
    search_shots(app, window, out)
    adjudication_shots(app, window, out)
    finish(window)


def search_shots(app: QApplication, window: MainWindow, out: Path) -> None:
    """A search with its facets in the Filters panel, and the recent and saved searches menu."""
    window.search_bar.edit.setText("#MeToo lang:en -is:repost")
    window.search.search("#MeToo lang:en -is:repost")
    wait_for(app, lambda: not window.runner.busy)
    settle(app)
    save(window, out, "search-results")


def adjudication_shots(app: QApplication, window: MainWindow, out: Path) -> None:
    """A second coder disagrees with ana on a few posts; the disagreement list and a decision."""
    project = window.project
    assert project is not None
    db, ana = project.db, window.coding.session.coder.id  # type: ignore[union-attr]
    ben = add_coder(db, "ben").id
    choices = (("Supportive", "Critical"), ("Not all men", "Hostile backlash"), ("Critical", "Critical"))
    posts = db.conn.execute("SELECT id FROM posts WHERE kind = 'collected' AND is_repost = 0 LIMIT 6 OFFSET 30")
    for (post,), (first, second) in zip(posts.fetchall(), choices * 2, strict=True):
        for coder, name in ((ana, first), (ben, second)):
            found = find_code(db.conn, name)
            assert found is not None
            apply_code(db, post, found.id, coder)
            complete_post(db, post, coder)
    set_blind_mode(db, False, ana)
    window.dialogs.show_adjudication()
    wait_for(app, lambda: not window.lists.reader.busy)
    dialog = window.dialogs.adjudication
    assert dialog is not None
    dialog.resize(1100, 640)
    dialog.view.selectRow(0)
    settle(app)
    save(dialog, out, "adjudication")
    dialog.close()


def dialog_shots(app: QApplication, window: MainWindow, out: Path) -> None:
    window.dialogs.show_codebook_editor()
    editor = window.dialogs.codebook
    assert editor is not None and window.project is not None
    found = find_code(window.project.db.conn, "Not all men")
    assert found is not None
    editor.reload(select=found.id)
    settle(app)
    save(editor, out, "codebook-editor")
    editor.close()
    window.dialogs.show_samples()
    samples = window.dialogs.samples
    assert samples is not None
    samples.name.setText("pilot-40")
    samples.sample_size.setValue(40)
    samples.draw()
    wait_for(app, lambda: not window.runner.busy)
    samples.assign()
    settle(app)
    save(samples, out, "samples")
    samples.close()


def chart_shots(app: QApplication, window: MainWindow, out: Path) -> None:
    for post in range(12):  # a few codings, so the codes chart has something to show
        window.select_row(post * 20)
        for name in ("Supportive", "Not all men", "Disclosing own victimisation")[post % 3 : post % 3 + 2]:
            found = find_code(window.project.db.conn, name)  # type: ignore[union-attr]
            assert found is not None
            window.coding_panel.choose(found)
    window.dialogs.show_charts()
    charts = window.dialogs.charts
    assert charts is not None
    wait_for(app, lambda: not window.runner.busy)
    charts.resize(1000, 640)
    settle(app)
    save(charts, out, "chart-timeline")
    charts.stack.setCurrentIndex(1)
    charts.refresh()
    wait_for(app, lambda: not window.runner.busy)
    settle(app)
    save(charts, out, "chart-timeline-hashtags")
    charts.tabs.setCurrentIndex(1)
    settle(app)
    save(charts, out, "chart-codes")
    charts.close()


def import_dialog_shots(app: QApplication, window: MainWindow, work: Path, out: Path) -> None:
    inputs = work / "inputs"
    inputs.mkdir()
    (inputs / "metoo.jsonl").write_bytes(demo_archive_path().read_bytes())
    (inputs / "survey-export.csv").write_text(
        "ref;message;posted;user;in_reply_to\n101;Believe survivors. #MeToo;2017-10-16 09:30;ana_r;\n"
        '102;Yes, and men too.;16/10/2017 10:02;bo_k;101\n103;"unclosed quote;2017-10-16 11:00;cy;\n',
        encoding="utf-8",
    )
    (inputs / "field-notes.md").write_text("# notes\n", encoding="utf-8")
    dialog = ImportDialog("fresh.threadcoder", work / "presets.json", window)
    dialog.add_paths([inputs])
    wait_for(app, lambda: not dialog.detecting)
    settle(app)
    save(dialog, out, "import-dialog")
    row = next(r for r in range(dialog.model.rowCount()) if dialog.model.item(r).needs_mapping)
    mapping = dialog.edit_mapping(row)
    mapping.fields["id"].setCurrentText("ref")
    mapping.fields["text"].setCurrentText("message")
    mapping.fields["created_at"].setCurrentText("posted")
    mapping.fields["author_handle"].setCurrentText("user")
    mapping.fields["reply_to"].setCurrentText("in_reply_to")
    mapping.show()
    settle(app)
    save(mapping, out, "csv-mapping")
    mapping.close()
    dialog.reject()


def import_shots(app: QApplication, work: Path, out: Path) -> None:
    window = make_window(work)
    window.show()
    window.new_project(work / "fresh")
    import_dialog_shots(app, window, work, out)
    window.start_import([plan_one(Source(demo_archive_path()))])
    wait_for(app, lambda: window.report_dialog is not None)
    assert window.report_dialog is not None
    window.report_dialog.resize(1000, 520)
    settle(app)
    save(window.report_dialog, out, "import-report")
    window.report_dialog.tabs.setCurrentIndex(1)
    settle(app)
    save(window.report_dialog, out, "import-report-errors")
    finish(window)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("screenshots"))
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        main_window_shots(app, work, args.out)
        import_shots(app, work, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
