"""The embedded store: SQLite in WAL mode, migrated by the program, one write path."""

from frontwatch.store.db import AddResult, EventQuery, Store, open_store

__all__ = ["AddResult", "EventQuery", "Store", "open_store"]
