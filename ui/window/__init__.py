"""The main window and what hangs off it: menus, dialogs from the menus, welcome, preferences, help."""
