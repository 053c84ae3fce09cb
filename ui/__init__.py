"""PySide6 user interface: windows, widgets, models and the bridge that runs core jobs off the UI thread."""
