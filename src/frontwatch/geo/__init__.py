"""Gazetteer and geoparsing: place names to coordinates, with context."""
