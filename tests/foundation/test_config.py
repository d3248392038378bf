"""config.toml, environment overrides and their errors."""

from __future__ import annotations

import pytest

from app.config import ROOT, ConfigError, load_settings


def test_the_shipped_config_gives_the_documented_defaults(monkeypatch):
    for name in ("JUXTA_DATABASE_URL", "JUXTA_SOLVER_WORKERS", "JUXTA_SERVER_PORT"):
        monkeypatch.delenv(name, raising=False)
    settings = load_settings(ROOT / "config.toml")
    assert settings.database_url == f"sqlite:///{ROOT / 'instance' / 'juxta.sqlite'}"
    assert (settings.solver.time_limit_seconds, settings.solver.workers, settings.solver.seed) == (30.0, 2, 1)
    assert (settings.server_host, settings.server_port) == ("127.0.0.1", 5000)
    assert settings.jobs_mode == "in-process"
    assert settings.feeds_cancelled_grace_days == 14


def test_environment_variables_override_single_keys(monkeypatch, tmp_path):
    monkeypatch.setenv("JUXTA_SOLVER_WORKERS", "8")
    monkeypatch.setenv("JUXTA_SECURITY_SESSION_COOKIE_SECURE", "true")
    monkeypatch.setenv("JUXTA_DATABASE_URL", "postgresql+psycopg://juxta@db/juxta")
    settings = load_settings(tmp_path / "missing.toml")
    assert settings.solver.workers == 8
    assert settings.session_cookie_secure is True
    assert settings.database_url == "postgresql+psycopg://juxta@db/juxta"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[solver]\nworkerz = 2\n", "unknown key solver.workerz"),
        ("[sover]\n", "unknown section [sover]"),
        ("[solver]\nworkers = 0\n", "workers must be at least 1"),
        ("[jobs]\nmode = 'threads'\n", 'jobs.mode must be "in-process" or "external"'),
        ("[solver\n", "not valid TOML"),
    ],
)
def test_a_wrong_config_file_names_the_key(tmp_path, text, expected):
    path = tmp_path / "config.toml"
    path.write_text(text)
    with pytest.raises(ConfigError, match=expected.replace("[", r"\[").replace("]", r"\]")):
        load_settings(path)


def test_a_wrong_environment_value_names_the_variable(monkeypatch, tmp_path):
    monkeypatch.setenv("JUXTA_SERVER_PORT", "http")
    with pytest.raises(ConfigError, match="JUXTA_SERVER_PORT='http' is not a int"):
        load_settings(tmp_path / "none.toml")
