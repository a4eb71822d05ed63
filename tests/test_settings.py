import pytest

from frontwatch.errors import SettingsError
from frontwatch.settings import load_settings


def test_precedence_env_then_flags(monkeypatch, tmp_path):
    monkeypatch.setenv("FRONTWATCH_CONFIG", str(tmp_path / "none.toml"))
    monkeypatch.setenv("FRONTWATCH_DB", str(tmp_path / "env.db"))
    assert load_settings().db_path == tmp_path / "env.db"
    assert load_settings(db=str(tmp_path / "flag.db")).db_path == tmp_path / "flag.db"


def test_config_file_and_types(monkeypatch, tmp_path):
    cfg = tmp_path / "fw.toml"
    cfg.write_text('max_input_bytes = 1000\nextract_languages = ["en", "uk"]\nallow_private_addresses = true\n')
    monkeypatch.setenv("FRONTWATCH_CONFIG", str(cfg))
    s = load_settings()
    assert s.max_input_bytes == 1000 and s.extract_languages == ("en", "uk") and s.allow_private_addresses


def test_bad_values_are_named(monkeypatch, tmp_path):
    monkeypatch.setenv("FRONTWATCH_CONFIG", str(tmp_path / "none.toml"))
    monkeypatch.setenv("FRONTWATCH_MAX_INPUT_BYTES", "lots")
    with pytest.raises(SettingsError, match="max_input_bytes"):
        load_settings()


def test_unknown_setting_in_file(monkeypatch, tmp_path):
    cfg = tmp_path / "fw.toml"
    cfg.write_text("colour = 'red'\n")
    monkeypatch.setenv("FRONTWATCH_CONFIG", str(cfg))
    with pytest.raises(SettingsError, match="colour"):
        load_settings()
