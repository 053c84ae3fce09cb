"""The project store: the database file, its schema and migrations, the lock, the index queue, SQL helpers."""
