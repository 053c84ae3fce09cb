"""Threadcoder's Qt-free core: the project store, importers, threads and (later) coding and reliability."""
