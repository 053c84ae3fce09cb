"""The use cases, Qt-free: import a set of files, search, read a list page or a thread, code, export, adjudicate."""
