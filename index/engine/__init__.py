"""The search engine: which posts match (as sets), their order and page, read from the index's segments."""
