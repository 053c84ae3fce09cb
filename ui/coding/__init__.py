"""Coding posts: the coding panel and controller, the codebook editor and tree, coders, samples, coder packages."""
