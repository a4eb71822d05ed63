"""Map exports: GeoJSON (RFC 7946), GeoPackage and GeoParquet (through DuckDB's spatial extension).

Events without coordinates are left out of these and counted.
"""

from __future__ import annotations

import json
import tempfile
from importlib import resources
from pathlib import Path
from typing import Any

from frontwatch.errors import FrontwatchError
from frontwatch.export.rows import FLAT_COLUMNS, FLAT_TYPES, DocMeta, flat_row, has_point
from frontwatch.records import Event

COORD_DECIMALS = 6  # RFC 7946 §11.2: about 10 cm; more digits only suggest false precision


def geojson_collection(events: list[Event], metas: dict[str, DocMeta]) -> dict[str, Any]:
    """An RFC 7946 FeatureCollection of point features: [longitude, latitude] in WGS 84, no `crs`."""
    features = []
    for ev in events:
        if not has_point(ev):
            continue
        props = flat_row(ev, metas.get(ev.doc))
        lon, lat = props.pop("lon"), props.pop("lat")
        features.append({
            "type": "Feature",
            "id": ev.id,
            "geometry": {"type": "Point",
                         "coordinates": [round(lon, COORD_DECIMALS), round(lat, COORD_DECIMALS)]},
            "properties": props,
        })  # fmt: skip
    return {"type": "FeatureCollection", "features": features}


def write_geojson(events: list[Event], metas: dict[str, DocMeta], out: Path) -> int:
    fc = geojson_collection(events, metas)
    Path(out).write_text(json.dumps(fc, ensure_ascii=False, allow_nan=False) + "\n", encoding="utf-8")
    return len(fc["features"])


def _duckdb_spatial():
    """A DuckDB connection with the spatial extension loaded from its PyPI package (never downloaded)."""
    try:
        import duckdb
        import duckdb_extension_spatial
    except ImportError as e:
        raise FrontwatchError(
            "GeoPackage/GeoParquet export needs duckdb==1.5.5 and duckdb-extension-spatial==1.5.5 "
            "(pip install -c constraints.txt -e .)"
        ) from e
    ext = resources.files(duckdb_extension_spatial) / "extensions" / f"v{duckdb.__version__}" / "spatial.duckdb_extension"
    if not ext.is_file():
        raise FrontwatchError(f"DuckDB spatial extension for DuckDB {duckdb.__version__} not found at {ext}; "
                              "install the duckdb-extension-spatial version that matches duckdb")  # fmt: skip
    con = duckdb.connect()
    con.execute(f"LOAD '{ext}'")
    return con


def _write_spatial(events: list[Event], metas: dict[str, DocMeta], out: Path, fmt: str) -> int:
    rows = [flat_row(ev, metas.get(ev.doc)) for ev in events if has_point(ev)]
    out = Path(out)
    if out.exists():
        out.unlink()  # GDAL will not overwrite a GeoPackage
    con = _duckdb_spatial()
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "rows.jsonl"
        with open(src, "w", encoding="utf-8") as f:
            for r in rows:
                f.write(json.dumps(r, ensure_ascii=False) + "\n")
        cols = ", ".join(f"{c}: '{FLAT_TYPES.get(c, 'VARCHAR')}'" for c in FLAT_COLUMNS)
        con.execute(f"CREATE TABLE ev AS SELECT * FROM read_json(?, format='newline_delimited', columns={{{cols}}})",
                    [str(src)])  # fmt: skip
        props = ", ".join(f'"{c}"' for c in FLAT_COLUMNS if c not in ("lat", "lon"))
        if fmt == "gpkg":
            con.execute(
                f"COPY (SELECT {props}, lat, lon, ST_Point(lon, lat) AS geom FROM ev) TO '{_sql_str(out)}'"
                " WITH (FORMAT gdal, DRIVER 'GPKG', SRS 'EPSG:4326', LAYER_NAME 'events', GEOMETRY_TYPE 'POINT')"
            )
        else:  # GeoParquet 1.x: WKB `geometry` column; no CRS member means OGC:CRS84 (lon, lat)
            con.execute(
                f"COPY (SELECT {props}, lat, lon, ST_Point(lon, lat) AS geometry FROM ev)"
                f" TO '{_sql_str(out)}' (FORMAT parquet)"
            )
    con.close()
    return len(rows)


def _sql_str(path: Path) -> str:
    return str(path).replace("'", "''")


def write_gpkg(events: list[Event], metas: dict[str, DocMeta], out: Path) -> int:
    return _write_spatial(events, metas, out, "gpkg")


def write_geoparquet(events: list[Event], metas: dict[str, DocMeta], out: Path) -> int:
    return _write_spatial(events, metas, out, "geoparquet")
