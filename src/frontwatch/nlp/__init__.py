"""Language stages: sentences, actors, claims, dates and events."""
