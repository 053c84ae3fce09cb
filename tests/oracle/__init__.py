"""A differential test of the search engine against a brute-force evaluator over the SQLite store."""
