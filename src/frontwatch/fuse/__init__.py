"""Event fusion across documents and the per-settlement control timeline."""
