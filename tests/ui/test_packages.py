"""Coder packages from the app: export for a colleague, open and code it there, pack it back, merge it here."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from archive.coding.assignments import assign_posts
from archive.coding.codebook import find_code
from archive.coding.codebook_import import import_codebook
from archive.coding.codebook_io import read_codebook
from archive.coding.coders import add_coder
from archive.store.project import Project
from ui.coding.packages import merge_html

STARTER = Path(str(resources.files("resources") / "codebooks" / "metoo-men.json"))


def prepared(folder: Path) -> list[str]:
    """ana owns the project; bo gets three posts to code elsewhere."""
    with Project(folder) as project:
        ana, bo = add_coder(project.db, "ana"), add_coder(project.db, "bo")
        import_codebook(project.db, ana.id, read_codebook(STARTER), STARTER.name)
        posts = [
            r[0]
            for r in project.db.conn.execute(
                "SELECT id FROM posts WHERE kind = 'collected' AND is_repost = 0 ORDER BY rowid LIMIT 3"
            )
        ]
        assign_posts(project.db, bo.id, posts)
    return posts


def test_a_package_goes_out_is_coded_comes_back_and_is_merged(window, qtbot, demo_folder, tmp_path):
    posts = prepared(demo_folder)
    package, returned = tmp_path / "bo.tcpkg", tmp_path / "bo-coded.tcpkg"
    window.open_project(demo_folder)
    with qtbot.waitSignal(window.runner.idle, timeout=20_000):
        window.packages.start_export(2, package)
    assert package.is_file() and "Package for bo: 3 assigned posts" in window.notice.text
    window.close_project()

    # On bo's machine: open the package as a project, code one post, pack it back.
    assert window.packages.open_package_file(package, tmp_path / "bo-work")
    assert window.model.rowCount() >= 3
    window.coding.set_coder(window.coding_panel.coders.itemData(0))
    assert window.coding.session.coder.name == "bo"
    window.go_to_post(posts[0])
    window.coding_panel.choose(find_code(window.project.db.conn, "Not all men"))
    window.coding_panel.mark_done(advance=False)
    assert window.packages.pack_back(returned)
    assert window.project is not None  # open again after packing
    window.close_project()

    # Back at ana's: merge, with a report.
    window.open_project(demo_folder)
    with qtbot.waitSignal(window.runner.idle, timeout=20_000):
        window.packages.start_merge(returned)
    assert not window.messages
    page = window.packages.report.browser.toPlainText()
    assert "Package of bo" in page and "1 posts coded only in the package: added" in page
    window.packages.report.close()


def test_the_merge_report_lists_conflicts_side_by_side():
    from archive.coding.package_merge import Conflict, MergeReport

    report = MergeReport("bo", conflicts=[Conflict("twitter:1", ("Support",), ("Critical",))])
    page = merge_html(report)
    assert "Conflicts (this project was kept)" in page and "<td>Critical</td>" in page
