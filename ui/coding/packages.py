"""Coder packages from the window: export one for a colleague, open one, pack it back, merge it in with a report."""

from __future__ import annotations

import html
from collections.abc import Generator
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QFileDialog, QInputDialog, QWidget

from app.jobs import Job, JobOutcome, JobStatus
from archive.coding.coders import list_coders
from archive.coding.package import SUFFIX, PackageSummary, export_package, open_package, pack_package
from archive.coding.package_merge import MergeReport, import_package
from archive.errors import ThreadcoderError
from archive.jobs import CancelToken
from archive.store.project import Project
from ui.common.host import WindowHost
from ui.common.job_runner import JobRunner
from ui.window.help_dialog import HelpDialog

EXPORT_TITLE = "Coder package"
MERGE_TITLE = "Merge package"
PACKAGE_FILTER = f"Coder packages (*{SUFFIX})"


def export_job(folder: Path, coder_id: int, target: Path) -> Job:
    def job(_cancel: CancelToken) -> Generator[None, None, PackageSummary]:
        yield None
        with Project.attach(folder) as project:
            return export_package(project, coder_id, target)

    return job


def merge_job(folder: Path, package: Path) -> Job:
    def job(_cancel: CancelToken) -> Generator[None, None, MergeReport]:
        yield None
        with Project.attach(folder) as project:
            return import_package(project, package)

    return job


def merge_html(report: MergeReport) -> str:
    """The merge report as a page: what was taken, what was kept, conflicts side by side."""
    lines = [
        f"<h2>Package of {html.escape(report.coder)}</h2><ul>",
        f"<li>{len(report.added)} posts coded only in the package: added</li>",
        f"<li>{len(report.updated)} posts changed in the package: updated</li>",
        f"<li>{len(report.kept_here)} posts changed here since the export: kept as they are here</li>",
        f"<li>{report.unchanged} posts unchanged</li>",
        f"<li>{report.codings_added} codings added, {report.codings_removed} removed, "
        f"{report.memos_added} memos added</li></ul>",
    ]
    if report.coder_added:
        lines.append(f"<p>The coder {html.escape(report.coder)} was added to this project.</p>")
    if report.package_codebook_version != report.project_codebook_version:
        lines.append(
            f"<p>The package was coded with codebook version {report.package_codebook_version}; "
            f"this project is at version {report.project_codebook_version}.</p>"
        )
    if report.conflicts:
        lines.append(
            "<h3>Conflicts (this project was kept)</h3><table border='1' cellpadding='4' cellspacing='0'>"
            "<tr><th>Post</th><th>Here</th><th>In the package</th></tr>"
        )
        for conflict in report.conflicts:
            lines.append(
                f"<tr><td>{html.escape(conflict.post_id)}</td><td>{html.escape(', '.join(conflict.here))}"
                f"</td><td>{html.escape(', '.join(conflict.package))}</td></tr>"
            )
        lines.append("</table>")
    for title, items in (
        ("Posts this project does not have", report.unknown_posts),
        ("Codings of codes this project does not have", report.unknown_codes),
    ):
        if items:
            lines.append(f"<h3>{title}</h3><p>{html.escape(', '.join(items[:200]))}</p>")
    return "".join(lines)


class _CodingStarter(Protocol):
    def start(self) -> None: ...


class PackagesHost(WindowHost, Protocol):
    """What coder packages need of the window: its runner, opening and closing projects, coding restarted."""

    runner: JobRunner

    @property
    def coding(self) -> _CodingStarter: ...

    def open_project(self, folder: Path, *, create: bool = False) -> bool: ...

    def close_project(self) -> None: ...

    def refresh(self) -> None: ...


class PackageActions(QObject):
    """The Coding › Coder Packages menu."""

    def __init__(self, window: PackagesHost, parent: QWidget) -> None:
        super().__init__(parent)
        self.window = window
        self._parent = parent
        self.report: HelpDialog | None = None

    def export_for_coder(self) -> None:
        project = self.window.project
        if project is None:
            return
        coders = list_coders(project.db.conn)
        names = [coder.name for coder in coders]
        name, ok = QInputDialog.getItem(self._parent, "Coder package", "The package is for:", names, 0, False)
        if not ok or not name:
            return
        target, _ = QFileDialog.getSaveFileName(self._parent, "Save the package", f"{name}{SUFFIX}", PACKAGE_FILTER)
        if target:
            self.start_export(coders[names.index(name)].id, Path(target))

    def start_export(self, coder_id: int, target: Path) -> None:
        if self.window.project is not None:
            job = export_job(self.window.project.folder, coder_id, target)
            self.window.runner.submit(EXPORT_TITLE, job, self._done)

    def choose_merge(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self._parent, "Merge a returned package", "", PACKAGE_FILTER)
        if path:
            self.start_merge(Path(path))

    def start_merge(self, package: Path) -> None:
        if self.window.project is not None:
            self.window.runner.submit(MERGE_TITLE, merge_job(self.window.project.folder, package), self._done)

    def open_package_file(self, package: Path, folder: Path) -> bool:
        """Unpack a package a colleague sent into a new folder and open it as a project."""
        try:
            opened = open_package(package, folder)
        except (ThreadcoderError, OSError) as error:
            self.window.warn(f"Cannot open the package.\n\n{error}")
            return False
        return self.window.open_project(opened)

    def choose_open(self) -> None:
        package, _ = QFileDialog.getOpenFileName(self._parent, "Open a coder package", "", PACKAGE_FILTER)
        if not package:
            return
        folder = QFileDialog.getExistingDirectory(self._parent, "An empty folder to code the package in")
        if folder:
            self.open_package_file(Path(package), Path(folder))

    def pack_back(self, target: Path) -> bool:
        """Zip the open package project to send back; it is closed while packing and opened again after."""
        project = self.window.project
        if project is None:
            return False
        folder = project.folder
        self.window.close_project()
        try:
            pack_package(folder, target)
        except (ThreadcoderError, OSError) as error:
            self.window.warn(f"Cannot pack the project.\n\n{error}")
            return False
        finally:
            self.window.open_project(folder)
        self.window.notify(f"Packed into {target}; send this file back.", 20_000, path=target)
        return True

    def choose_pack(self) -> None:
        target, _ = QFileDialog.getSaveFileName(self._parent, "Pack to send back", f"coded{SUFFIX}", PACKAGE_FILTER)
        if target:
            self.pack_back(Path(target))

    def _done(self, outcome: JobOutcome) -> None:
        """A package export's or merge's outcome."""
        if outcome.status is JobStatus.FAILED:
            self.window.warn(outcome.message)
        elif isinstance(outcome.result, PackageSummary):
            summary = outcome.result
            self.window.notify(
                f"Package for {summary.coder}: {summary.assigned:,} assigned posts with {summary.posts:,} posts "
                f"of context, codebook version {summary.codebook_version}, in {summary.path}",
                30_000,
                path=summary.path,
            )
        elif isinstance(outcome.result, MergeReport):
            self.window.refresh()
            self.window.coding.start()
            self.report = HelpDialog("Package merged", merge_html(outcome.result), self._parent)
            self.report.show()
