"""Loaded by every Python process a test starts with this folder on PYTHONPATH: no network from there either."""

from no_network import install

install()
