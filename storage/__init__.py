"""Storage: what actually happened, on SQLite or PostgreSQL, never lost."""
