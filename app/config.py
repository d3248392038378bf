"""Reading ``config.toml``: defaults, the file, then ``JUXTA_*`` environment overrides."""

from __future__ import annotations

import os
import secrets
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from solver.config import SolverConfig

ROOT = Path(__file__).resolve().parent.parent

DEFAULTS: dict[str, dict[str, Any]] = {
    "database": {"url": "sqlite:///instance/juxta.sqlite"},
    "solver": {"time_limit_seconds": 30.0, "workers": 2, "seed": 1},
    "server": {"host": "127.0.0.1", "port": 5000, "threads": 8},
    "jobs": {"mode": "in-process", "poll_seconds": 1.0, "stale_after_seconds": 300},
    "feeds": {"refresh_minutes": 60, "cancelled_grace_days": 14, "base_url": "http://127.0.0.1:5000"},
    "security": {"secret_key": "", "session_cookie_secure": False, "session_lifetime_hours": 12},
}


class ConfigError(ValueError):
    """The configuration file or an override is wrong; the message names the key."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Settings:
    """The whole configuration, typed, with paths resolved against the project root."""

    database_url: str
    solver: SolverConfig
    server_host: str
    server_port: int
    server_threads: int
    jobs_mode: str
    jobs_poll_seconds: float
    jobs_stale_after_seconds: int
    feeds_refresh_minutes: int
    feeds_cancelled_grace_days: int
    feeds_base_url: str
    secret_key: str
    session_cookie_secure: bool
    session_lifetime_hours: int
    instance_path: Path


def config_path() -> Path:
    return Path(os.environ.get("JUXTA_CONFIG", ROOT / "config.toml"))


def load_settings(path: Path | None = None, overrides: dict[str, Any] | None = None) -> Settings:
    """Defaults, then the TOML file, then ``JUXTA_<SECTION>_<KEY>`` variables, then ``overrides``.

    ``overrides`` uses the same dotted keys as the environment (``{"database.url": ...}``).
    """
    path = path or config_path()
    raw = {section: dict(values) for section, values in DEFAULTS.items()}
    if path.exists():
        try:
            with path.open("rb") as handle:
                loaded = tomllib.load(handle)
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path}: not valid TOML ({exc})") from exc
        for section, values in loaded.items():
            if section not in raw or not isinstance(values, dict):
                raise ConfigError(f"{path}: unknown section [{section}]")
            for key, value in values.items():
                if key not in raw[section]:
                    raise ConfigError(f"{path}: unknown key {section}.{key}")
                raw[section][key] = value
    for section, values in raw.items():
        for key in values:
            env = os.environ.get(f"JUXTA_{section.upper()}_{key.upper()}")
            if env is not None:
                values[key] = _coerce(env, DEFAULTS[section][key], f"JUXTA_{section.upper()}_{key.upper()}")
    for dotted, value in (overrides or {}).items():
        section, _, key = dotted.partition(".")
        if section not in raw or key not in raw[section]:
            raise ConfigError(f"unknown configuration key {dotted}")
        raw[section][key] = value
    return _settings(raw)


def _coerce(text: str, default: Any, name: str) -> Any:
    try:
        if isinstance(default, bool):
            if text.lower() not in ("1", "0", "true", "false", "yes", "no"):
                raise ValueError(text)
            return text.lower() in ("1", "true", "yes")
        if isinstance(default, int):
            return int(text)
        if isinstance(default, float):
            return float(text)
    except ValueError as exc:
        raise ConfigError(f"{name}={text!r} is not a {type(default).__name__}") from exc
    return text


def _settings(raw: dict[str, dict[str, Any]]) -> Settings:
    instance = ROOT / "instance"
    if raw["jobs"]["mode"] not in ("in-process", "external"):
        raise ConfigError('jobs.mode must be "in-process" or "external"')
    try:
        solver = SolverConfig(
            time_limit_seconds=float(raw["solver"]["time_limit_seconds"]),
            workers=int(raw["solver"]["workers"]),
            seed=int(raw["solver"]["seed"]),
        )
    except ValueError as exc:
        raise ConfigError(f"[solver]: {exc}") from exc
    return Settings(
        database_url=_resolve_sqlite(str(raw["database"]["url"])),
        solver=solver,
        server_host=str(raw["server"]["host"]),
        server_port=int(raw["server"]["port"]),
        server_threads=int(raw["server"]["threads"]),
        jobs_mode=str(raw["jobs"]["mode"]),
        jobs_poll_seconds=float(raw["jobs"]["poll_seconds"]),
        jobs_stale_after_seconds=int(raw["jobs"]["stale_after_seconds"]),
        feeds_refresh_minutes=int(raw["feeds"]["refresh_minutes"]),
        feeds_cancelled_grace_days=int(raw["feeds"]["cancelled_grace_days"]),
        feeds_base_url=str(raw["feeds"]["base_url"]).rstrip("/"),
        secret_key=str(raw["security"]["secret_key"]) or _instance_secret(instance),
        session_cookie_secure=bool(raw["security"]["session_cookie_secure"]),
        session_lifetime_hours=int(raw["security"]["session_lifetime_hours"]),
        instance_path=instance,
    )


def _resolve_sqlite(url: str) -> str:
    """Relative SQLite paths are relative to the project root, not to the current directory."""
    prefix = "sqlite:///"
    if url.startswith(prefix) and not url.startswith(prefix + "/") and url != "sqlite://":
        path = url[len(prefix):]
        if path and path != ":memory:":
            absolute = (ROOT / path).resolve()
            absolute.parent.mkdir(parents=True, exist_ok=True)
            return prefix + str(absolute)
    return url


def _instance_secret(instance: Path) -> str:
    key_file = instance / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    instance.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key
