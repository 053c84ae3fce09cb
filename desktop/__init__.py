"""Composition root: the threadcoder entry point (GUI and command line), settings and wiring."""
