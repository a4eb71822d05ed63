"""The JSON API and the map page (`frontwatch serve`)."""

from frontwatch.api.app import create_app

__all__ = ["create_app"]
