"""Storage tests use the database fixtures of ``tests.db`` (both backends)."""
