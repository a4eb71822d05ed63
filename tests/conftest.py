"""Shared test fixtures. Data from ../shared is required in CI (CI=true): missing is a failure."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("FRONTWATCH_SHARED", ROOT.parent / "shared"))


def shared_path(*parts: str) -> Path:
    """A path under ../shared; fails in CI and skips elsewhere when it is missing."""
    p = SHARED.joinpath(*parts)
    if not p.exists():
        msg = f"shared data missing: {p}"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(msg + " (CI=true: shared data is required)")
        pytest.skip(msg)
    return p


@pytest.fixture
def store(tmp_path):
    from frontwatch.store import open_store

    s = open_store(tmp_path / "test.db")
    yield s
    s.close()


@pytest.fixture(scope="session")
def ctx():
    """A Context with the default settings (the embedded gazetteer is built once per session)."""
    from frontwatch.pipeline import Context
    from frontwatch.settings import load_settings

    return Context(settings=load_settings())


@pytest.fixture(scope="session", autouse=True)
def user_paths(tmp_path_factory):
    """Tests never touch the user's own store or gazetteer: the defaults point into a session folder."""
    base = tmp_path_factory.mktemp("userdata")
    saved = {k: os.environ.get(k) for k in ("FRONTWATCH_DB", "FRONTWATCH_GAZETTEER_DB", "FRONTWATCH_CONFIG")}
    os.environ["FRONTWATCH_DB"] = str(base / "frontwatch.db")
    os.environ["FRONTWATCH_GAZETTEER_DB"] = str(base / "gazetteer.db")
    os.environ["FRONTWATCH_CONFIG"] = str(base / "no-config.toml")
    yield base
    for k, v in saved.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v


@pytest.fixture(scope="session")
def geo_db(user_paths):
    """The embedded default gazetteer, built once per test session (it is also the default one)."""
    from frontwatch.geo.build import build_default

    path = user_paths / "gazetteer.db"
    if not path.exists():
        build_default(path)
    return path


@pytest.fixture(scope="session")
def geo_ua_db(geo_db, tmp_path_factory):
    """The embedded default with the GeoNames UA dump (and admin codes) imported."""
    import shutil

    from frontwatch.geo.gazetteer import SqliteGazetteer
    from frontwatch.geo.imports import import_sources
    from frontwatch.settings import load_settings

    ua = shared_path("gazetteer", "geonames", "UA.txt")
    path = tmp_path_factory.mktemp("gazetteer_ua") / "gazetteer.db"
    shutil.copyfile(geo_db, path)
    with SqliteGazetteer(path) as gaz:
        import_sources(gaz, [str(ua.parent / "admin1CodesASCII.txt"), str(ua.parent / "admin2Codes.txt"), str(ua)],
                       settings=load_settings(gazetteer_db=str(path)))  # fmt: skip
    return path
