"""Saved searches as the window uses them: listed, saved and deleted, with database failures as StoreError."""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.store_errors import store_errors
from archive.store.project import Project

if TYPE_CHECKING:  # index.saved loads Whoosh, which the window loads with its first search
    from index.saved import SavedSearch


def list_saved(project: Project) -> list[SavedSearch]:
    """The project's saved searches, by name."""
    from index.saved import saved_searches

    with store_errors("Reading the saved searches"):
        return saved_searches(project.db.conn)


def save(project: Project, name: str, query: str, sort: str) -> None:
    """Save ``query`` under ``name`` (a query that cannot be read raises QuerySyntaxError)."""
    from index.saved import save_search

    with store_errors("Saving the search"):
        save_search(project.db, name, query, sort)


def delete(project: Project, name: str) -> None:
    """Delete the saved search ``name`` for everyone who opens the project."""
    from index.saved import delete_saved

    with store_errors("Deleting the saved search"):
        delete_saved(project.db, name)
