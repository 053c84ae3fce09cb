"""Benchmark helpers: synthetic archives and timing scripts (not shipped with the application)."""
