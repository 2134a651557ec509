"""The database: opening the DuckDB file, its migrations, and the store modules that own tables."""
