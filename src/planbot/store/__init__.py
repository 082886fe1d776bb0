"""Persistence: SQLAlchemy 2 models, repositories and Alembic migrations (SQLite by default, PostgreSQL by URL)."""
