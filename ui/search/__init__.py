"""Searching from the window: the search bar, its history and menu, the facets panel, the search controller."""
