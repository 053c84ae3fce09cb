"""Search over the project store: the Whoosh index, its query language and results."""
