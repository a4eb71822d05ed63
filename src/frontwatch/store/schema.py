"""Schema migrations, applied in order and recorded by name in `schema_migrations`.

Append new migrations at the end; never edit one that has shipped.
"""

MIGRATIONS: list[tuple[str, str]] = [
    (
        "0001_documents_events",
        """
        CREATE TABLE documents (
            id TEXT PRIMARY KEY,
            hash TEXT NOT NULL UNIQUE,
            title TEXT, source TEXT, url TEXT, published TEXT, author TEXT, lang TEXT,
            fmt TEXT NOT NULL, path TEXT,
            meta TEXT NOT NULL DEFAULT '{}',
            text TEXT NOT NULL,
            raw TEXT NOT NULL,
            analysis TEXT NOT NULL DEFAULT '{}',
            ingested_at TEXT NOT NULL,
            stage_version TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX documents_published ON documents(published);
        CREATE INDEX documents_source ON documents(source);

        CREATE TABLE events (
            id TEXT PRIMARY KEY,
            doc TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            type TEXT NOT NULL, sub_type TEXT NOT NULL, kind TEXT NOT NULL,
            date TEXT, date_precision TEXT NOT NULL,
            place TEXT, lat REAL, lon REAL, country TEXT, admin1 TEXT, geonameid INTEGER, precision INTEGER,
            claimant TEXT, claimant_side TEXT, source_type TEXT, status TEXT, publisher_verified INTEGER,
            sides TEXT NOT NULL DEFAULT '',
            fatalities INTEGER,
            summary TEXT NOT NULL DEFAULT '',
            json TEXT NOT NULL,
            stage_version TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX events_doc ON events(doc);
        CREATE INDEX events_date ON events(date);
        CREATE INDEX events_type ON events(type, sub_type);
        CREATE INDEX events_status ON events(status);
        CREATE INDEX events_geonameid ON events(geonameid);

        CREATE VIRTUAL TABLE events_rtree USING rtree(id, min_lat, max_lat, min_lon, max_lon);
        CREATE VIRTUAL TABLE events_fts USING fts5(summary, evidence, place, claimant);

        CREATE TRIGGER events_ai AFTER INSERT ON events BEGIN
            INSERT INTO events_rtree(id, min_lat, max_lat, min_lon, max_lon)
                SELECT new.rowid, new.lat, new.lat, new.lon, new.lon WHERE new.lat IS NOT NULL AND new.lon IS NOT NULL;
        END;
        CREATE TRIGGER events_ad AFTER DELETE ON events BEGIN
            DELETE FROM events_rtree WHERE id = old.rowid;
            DELETE FROM events_fts WHERE rowid = old.rowid;
        END;
        """,
    ),
]
