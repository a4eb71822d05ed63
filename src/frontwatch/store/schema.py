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
    (
        "0100_feeds",
        """
        CREATE TABLE feeds (
            url TEXT PRIMARY KEY,
            etag TEXT, last_modified TEXT,
            last_polled TEXT, last_ok TEXT,
            last_error TEXT,
            failures INTEGER NOT NULL DEFAULT 0,
            next_retry TEXT
        );
        CREATE TABLE feed_items (
            feed_url TEXT NOT NULL REFERENCES feeds(url) ON DELETE CASCADE,
            item_id TEXT NOT NULL,
            url TEXT,
            doc_id TEXT,
            attempts INTEGER NOT NULL DEFAULT 0,
            last_error TEXT,
            seen_at TEXT,
            PRIMARY KEY (feed_url, item_id)
        );
        """,
    ),
    (
        "0101_syndication",
        """
        CREATE TABLE doc_clusters (
            doc_id TEXT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
            cluster_id TEXT NOT NULL
        );
        CREATE INDEX doc_clusters_cluster ON doc_clusters(cluster_id);
        CREATE TABLE doc_minhash (
            doc_id TEXT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
            num_perm INTEGER NOT NULL,
            sig BLOB NOT NULL
        );
        CREATE TABLE minhash_bands (
            band INTEGER NOT NULL,
            key BLOB NOT NULL,
            doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE
        );
        CREATE INDEX minhash_bands_key ON minhash_bands(band, key);
        CREATE INDEX minhash_bands_doc ON minhash_bands(doc_id);
        """,
    ),
    (
        "0201_fuse_control",
        """
        CREATE TABLE fused_events (
            id TEXT PRIMARY KEY,
            family TEXT NOT NULL,
            type TEXT NOT NULL, sub_type TEXT NOT NULL, kind TEXT NOT NULL,
            date TEXT, date_from TEXT, date_to TEXT, date_precision TEXT NOT NULL,
            place TEXT, lat REAL, lon REAL, geonameid INTEGER, precision INTEGER,
            min_lat REAL, max_lat REAL, min_lon REAL, max_lon REAL,
            side TEXT,
            status TEXT NOT NULL, confidence REAL NOT NULL, reason TEXT NOT NULL,
            sides TEXT NOT NULL DEFAULT '',
            json TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX fused_events_family_date ON fused_events(family, date_from, date_to);
        CREATE INDEX fused_events_date ON fused_events(date);
        CREATE INDEX fused_events_geonameid ON fused_events(geonameid);

        CREATE TABLE fused_links (
            event_id TEXT PRIMARY KEY,
            fused_id TEXT NOT NULL REFERENCES fused_events(id) ON DELETE CASCADE,
            doc TEXT NOT NULL,
            source_key TEXT NOT NULL
        );
        CREATE INDEX fused_links_fused ON fused_links(fused_id);
        CREATE INDEX fused_links_doc ON fused_links(doc);

        CREATE TABLE control_obs (
            event_id TEXT PRIMARY KEY,
            doc TEXT NOT NULL,
            place_id TEXT NOT NULL,
            date TEXT NOT NULL,
            json TEXT NOT NULL
        );
        CREATE INDEX control_obs_place ON control_obs(place_id, date);
        CREATE INDEX control_obs_doc ON control_obs(doc);

        CREATE TABLE control_baselines (
            id INTEGER PRIMARY KEY,
            date TEXT NOT NULL,
            label TEXT NOT NULL,
            file TEXT NOT NULL,
            imported_at TEXT NOT NULL,
            UNIQUE (date, label)
        );
        CREATE TABLE control_baseline_places (
            baseline_id INTEGER NOT NULL REFERENCES control_baselines(id) ON DELETE CASCADE,
            place_id TEXT NOT NULL,
            state TEXT NOT NULL,
            PRIMARY KEY (baseline_id, place_id)
        );
        CREATE INDEX control_baseline_places_place ON control_baseline_places(place_id);

        CREATE TABLE control_places (
            place_id TEXT PRIMARY KEY,
            name TEXT NOT NULL, lat REAL, lon REAL, admin1 TEXT, country TEXT
        );
        CREATE TABLE control_states (
            place_id TEXT NOT NULL,
            since TEXT NOT NULL,
            until TEXT,
            state TEXT NOT NULL,
            json TEXT NOT NULL,
            PRIMARY KEY (place_id, since)
        );
        CREATE INDEX control_states_since ON control_states(since);
        """,
    ),
]

# The web map's queries (bench/bench_api.py): a covering index for the points of a date window and
# box, and events per day, type and status kept by triggers so the time slider's histogram never scans.
MIGRATIONS.append(
    (
        "0300_web_map",
        """
        CREATE INDEX events_map ON events(date, lat, lon, type, status, kind, place, id);

        CREATE TABLE event_days (
            date TEXT NOT NULL, type TEXT NOT NULL, status TEXT NOT NULL, n INTEGER NOT NULL,
            PRIMARY KEY (date, type, status)
        ) WITHOUT ROWID;
        INSERT INTO event_days (date, type, status, n)
            SELECT coalesce(date, ''), type, coalesce(status, ''), COUNT(*) FROM events GROUP BY 1, 2, 3;

        CREATE TRIGGER event_days_ai AFTER INSERT ON events BEGIN
            INSERT INTO event_days (date, type, status, n) VALUES (coalesce(new.date, ''), new.type, coalesce(new.status, ''), 1)
                ON CONFLICT (date, type, status) DO UPDATE SET n = n + 1;
        END;
        CREATE TRIGGER event_days_ad AFTER DELETE ON events BEGIN
            UPDATE event_days SET n = n - 1
                WHERE date = coalesce(old.date, '') AND type = old.type AND status = coalesce(old.status, '');
        END;
        CREATE TRIGGER event_days_bi BEFORE INSERT ON events WHEN EXISTS (SELECT 1 FROM events WHERE id = new.id) BEGIN
            UPDATE event_days SET n = n - 1
                WHERE (date, type, status) = (SELECT coalesce(date, ''), type, coalesce(status, '') FROM events WHERE id = new.id);
        END;
        CREATE TRIGGER event_days_au AFTER UPDATE OF date, type, status ON events BEGIN
            UPDATE event_days SET n = n - 1
                WHERE date = coalesce(old.date, '') AND type = old.type AND status = coalesce(old.status, '');
            INSERT INTO event_days (date, type, status, n) VALUES (coalesce(new.date, ''), new.type, coalesce(new.status, ''), 1)
                ON CONFLICT (date, type, status) DO UPDATE SET n = n + 1;
        END;
        """,
    )
)

# Events per month and 0.25-degree cell (count and coordinate sums), kept by triggers: the map's grid
# counts over long windows read these instead of every event.
MIGRATIONS.append(
    (
        "0301_web_map_cells",
        """
        CREATE TABLE event_cells (
            month TEXT NOT NULL, cy INTEGER NOT NULL, cx INTEGER NOT NULL,
            n INTEGER NOT NULL, slat REAL NOT NULL, slon REAL NOT NULL,
            PRIMARY KEY (month, cy, cx)
        ) WITHOUT ROWID;
        INSERT INTO event_cells (month, cy, cx, n, slat, slon)
            SELECT substr(date, 1, 7), CAST((lat + 90) * 4 AS INTEGER), CAST((lon + 180) * 4 AS INTEGER),
                   COUNT(*), SUM(lat), SUM(lon)
            FROM events WHERE date IS NOT NULL AND lat IS NOT NULL AND lon IS NOT NULL GROUP BY 1, 2, 3;

        CREATE TRIGGER event_cells_ai AFTER INSERT ON events
        WHEN new.date IS NOT NULL AND new.lat IS NOT NULL AND new.lon IS NOT NULL BEGIN
            INSERT INTO event_cells (month, cy, cx, n, slat, slon)
                VALUES (substr(new.date, 1, 7), CAST((new.lat + 90) * 4 AS INTEGER), CAST((new.lon + 180) * 4 AS INTEGER),
                        1, new.lat, new.lon)
                ON CONFLICT (month, cy, cx) DO UPDATE SET n = n + 1, slat = slat + excluded.slat, slon = slon + excluded.slon;
        END;
        CREATE TRIGGER event_cells_ad AFTER DELETE ON events
        WHEN old.date IS NOT NULL AND old.lat IS NOT NULL AND old.lon IS NOT NULL BEGIN
            UPDATE event_cells SET n = n - 1, slat = slat - old.lat, slon = slon - old.lon
                WHERE month = substr(old.date, 1, 7) AND cy = CAST((old.lat + 90) * 4 AS INTEGER)
                  AND cx = CAST((old.lon + 180) * 4 AS INTEGER);
        END;
        CREATE TRIGGER event_cells_bi BEFORE INSERT ON events
        WHEN EXISTS (SELECT 1 FROM events WHERE id = new.id AND date IS NOT NULL AND lat IS NOT NULL AND lon IS NOT NULL) BEGIN
            UPDATE event_cells SET n = n - 1, slat = slat - (SELECT lat FROM events WHERE id = new.id),
                                   slon = slon - (SELECT lon FROM events WHERE id = new.id)
                WHERE (month, cy, cx) = (SELECT substr(date, 1, 7), CAST((lat + 90) * 4 AS INTEGER),
                                                CAST((lon + 180) * 4 AS INTEGER) FROM events WHERE id = new.id);
        END;
        CREATE TRIGGER event_cells_au_old AFTER UPDATE OF date, lat, lon ON events
        WHEN old.date IS NOT NULL AND old.lat IS NOT NULL AND old.lon IS NOT NULL BEGIN
            UPDATE event_cells SET n = n - 1, slat = slat - old.lat, slon = slon - old.lon
                WHERE month = substr(old.date, 1, 7) AND cy = CAST((old.lat + 90) * 4 AS INTEGER)
                  AND cx = CAST((old.lon + 180) * 4 AS INTEGER);
        END;
        CREATE TRIGGER event_cells_au_new AFTER UPDATE OF date, lat, lon ON events
        WHEN new.date IS NOT NULL AND new.lat IS NOT NULL AND new.lon IS NOT NULL BEGIN
            INSERT INTO event_cells (month, cy, cx, n, slat, slon)
                VALUES (substr(new.date, 1, 7), CAST((new.lat + 90) * 4 AS INTEGER), CAST((new.lon + 180) * 4 AS INTEGER),
                        1, new.lat, new.lon)
                ON CONFLICT (month, cy, cx) DO UPDATE SET n = n + 1, slat = slat + excluded.slat, slon = slon + excluded.slon;
        END;
        """,
    )
)

# The fused mode of the map (bench/bench_api.py): what the date and claim filters of `fuse._fused_where`
# ask of a fused event's claims, kept on the fused event by triggers, so that the map's queries read one
# covering index instead of joining links and events for every fused event. claim_from/claim_to: the
# first and last date of its claims; claim_types and the like: its claims' values, each between two
# unit separators (char(31)), for an exact instr() match.
_FUSED_CLAIMS = """
    UPDATE fused_events SET (claim_from, claim_to, claim_types, claim_sub_types, claim_kinds, claim_statuses) = (
        SELECT MIN(e.date), MAX(e.date),
               char(31) || group_concat(e.type, char(31)) || char(31),
               char(31) || group_concat(e.sub_type, char(31)) || char(31),
               char(31) || group_concat(e.kind, char(31)) || char(31),
               char(31) || group_concat(e.status, char(31)) || char(31)
        FROM fused_links l JOIN events e ON e.id = l.event_id WHERE l.fused_id = fused_events.id{extra})
    WHERE id = {fused};"""


def _fused_claims(fused: str, extra: str = "") -> str:
    return _FUSED_CLAIMS.format(fused=fused, extra=extra)


MIGRATIONS.append(
    (
        "0302_fused_map",
        f"""
        ALTER TABLE fused_events ADD COLUMN claim_from TEXT;
        ALTER TABLE fused_events ADD COLUMN claim_to TEXT;
        ALTER TABLE fused_events ADD COLUMN claim_types TEXT;
        ALTER TABLE fused_events ADD COLUMN claim_sub_types TEXT;
        ALTER TABLE fused_events ADD COLUMN claim_kinds TEXT;
        ALTER TABLE fused_events ADD COLUMN claim_statuses TEXT;
        {_fused_claims("fused_events.id")}

        CREATE INDEX fused_events_recent
            ON fused_events(date DESC, id, claim_from, claim_to, lat, lon, status, type, kind);
        CREATE INDEX fused_events_claim_to
            ON fused_events(claim_to, claim_from, date, id, lat, lon, status, type, kind);
        CREATE INDEX fused_events_claim_from
            ON fused_events(claim_from, claim_to, date, id, lat, lon, status, type, kind);
        CREATE INDEX fused_events_claim_days ON fused_events(julianday(claim_to) - julianday(claim_from), claim_from);
        CREATE INDEX fused_events_date_lag ON fused_events(julianday(date) - julianday(claim_from), claim_from);
        CREATE INDEX fused_events_lat ON fused_events(lat, lon, date, id, claim_from, claim_to, status, type, kind);

        -- The control map: every place's states in place order, with what decides whether one is in force.
        CREATE INDEX control_states_on ON control_states(place_id, since, until);

        CREATE TRIGGER fused_claims_fe_ai AFTER INSERT ON fused_events BEGIN {_fused_claims("new.id")} END;
        CREATE TRIGGER fused_claims_link_ai AFTER INSERT ON fused_links BEGIN {_fused_claims("new.fused_id")} END;
        -- INSERT OR REPLACE of a claim's link deletes the old link without a delete trigger: its old
        -- fused event loses the claim here.
        CREATE TRIGGER fused_claims_link_bi BEFORE INSERT ON fused_links
        WHEN EXISTS (SELECT 1 FROM fused_links WHERE event_id = new.event_id) BEGIN
            {_fused_claims("(SELECT fused_id FROM fused_links WHERE event_id = new.event_id)",
                           " AND l.event_id <> new.event_id")}
        END;
        CREATE TRIGGER fused_claims_link_ad AFTER DELETE ON fused_links BEGIN {_fused_claims("old.fused_id")} END;
        CREATE TRIGGER fused_claims_link_au AFTER UPDATE OF fused_id, event_id ON fused_links BEGIN
            {_fused_claims("old.fused_id")}
            {_fused_claims("new.fused_id")}
        END;
        CREATE TRIGGER fused_claims_event_ai AFTER INSERT ON events
        WHEN EXISTS (SELECT 1 FROM fused_links WHERE event_id = new.id) BEGIN
            {_fused_claims("(SELECT fused_id FROM fused_links WHERE event_id = new.id)")}
        END;
        CREATE TRIGGER fused_claims_event_ad AFTER DELETE ON events
        WHEN EXISTS (SELECT 1 FROM fused_links WHERE event_id = old.id) BEGIN
            {_fused_claims("(SELECT fused_id FROM fused_links WHERE event_id = old.id)")}
        END;
        CREATE TRIGGER fused_claims_event_au AFTER UPDATE OF id, date, type, sub_type, kind, status ON events BEGIN
            {_fused_claims("(SELECT fused_id FROM fused_links WHERE event_id = old.id)")}
            {_fused_claims("(SELECT fused_id FROM fused_links WHERE event_id = new.id)")}
        END;
        """,
    )
)
