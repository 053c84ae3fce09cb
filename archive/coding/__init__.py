"""Coding in the core: coders, the versioned codebook, codings, status, blind mode, undo, samples, packages."""
