"""Settings: one YAML file plus environment variables, reloaded without a restart.

Precedence: built-in defaults < YAML file (``AI_WORKERS_CONFIG`` or ``--config``) < ``AI_WORKERS_*``
environment variables. Secrets are never read from the YAML file: a provider names the *environment
variable* that holds its credential (``api_token_env``), so the file can be committed and shared.

Sections owned by one package (``routing``, ``cache``, ``safety``, ``usage``, ``rag``, and the same
keys inside each app) are kept here as plain mappings and typed by that package with
``Settings.section(name, Struct)``; the core does not import the packages that give them meaning.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Literal, TypeVar

import msgspec
import yaml

from ai_workers.core.background import BackgroundTask
from ai_workers.core.catalog import ModelCatalog, load_builtin_catalog_data

log = logging.getLogger("ai_workers.config")

T = TypeVar("T")


class ProviderConfig(msgspec.Struct, omit_defaults=True, forbid_unknown_fields=True):
    """One provider instance. ``type`` picks the adapter: cloudflare, openai, openai-compatible, local."""

    type: str
    base_url: str | None = None
    account_id_env: str | None = None
    api_token_env: str | None = None
    api_key_env: str | None = None
    timeout_s: float | None = None
    connect_timeout_s: float | None = None
    trusted_with_phi: bool = False
    enabled: bool = True
    headers: dict[str, str] = msgspec.field(default_factory=dict)
    options: dict[str, Any] = msgspec.field(default_factory=dict)


class RetryConfig(msgspec.Struct, omit_defaults=True, forbid_unknown_fields=True):
    max_attempts: int = 3  # per target, including the first try
    base_delay_s: float = 0.25
    max_delay_s: float = 8.0
    max_retry_after_s: float = 30.0  # a longer Retry-After moves on to the next target instead of waiting
    timeout_s: float = 60.0
    connect_timeout_s: float = 5.0


class ServerConfig(msgspec.Struct, omit_defaults=True, forbid_unknown_fields=True):
    host: str = "127.0.0.1"
    port: int = 8787
    workers: int = 1
    max_body_bytes: int = 25 * 1024 * 1024
    # Document uploads (POST /api/rag/documents) carry whole files, so they get their own, larger cap.
    max_upload_bytes: int = 200 * 1024 * 1024
    max_messages: int = 500
    graceful_timeout_s: float = 30.0
    dashboard: bool = True
    cors_origins: list[str] = msgspec.field(default_factory=list)


class RequestLogConfig(msgspec.Struct, omit_defaults=True, forbid_unknown_fields=True):
    """``apps.<name>.request_log``: keep PHI-redacted prompt/answer text, and for how many days
    (``core.request_text``). Typed here, not a package-owned mapping, so a typo fails at load."""

    store_text: bool = False
    retention_days: int = 7

    def __post_init__(self) -> None:
        if not 1 <= self.retention_days <= 3650:
            raise ValueError(f"retention_days must be between 1 and 3650, got {self.retention_days}")


class AppConfig(msgspec.Struct, omit_defaults=True, forbid_unknown_fields=True):
    """Per-app policy. Package-owned keys stay mappings; see the module docstring."""

    description: str | None = None
    allowed_models: list[str] | None = None  # None: any model; keys may narrow this further
    fallbacks: dict[str, list[str]] = msgspec.field(default_factory=dict)
    # Default from the safety settings. "off": the app declares it never handles patient data, so PHI
    # detection is skipped and images/audio pass (audited at every config load; see safety.declarations).
    phi_policy: Literal["block", "redact", "allow", "off"] | None = None
    budgets: list[dict[str, Any]] = msgspec.field(default_factory=list)
    rate_limit: dict[str, Any] = msgspec.field(default_factory=dict)
    routing: dict[str, Any] = msgspec.field(default_factory=dict)
    cache: dict[str, Any] = msgspec.field(default_factory=dict)
    safety: dict[str, Any] = msgspec.field(default_factory=dict)
    rag: dict[str, Any] = msgspec.field(default_factory=dict)
    # Opt-in, PHI-redacted prompt/answer text on the request log, with a retention (core.request_text).
    request_log: RequestLogConfig = msgspec.field(default_factory=RequestLogConfig)
    cors_origins: list[str] = msgspec.field(default_factory=list)  # its browser front end (tokens only)


def _default_providers() -> dict[str, ProviderConfig]:
    return {
        "cloudflare": ProviderConfig(
            type="cloudflare",
            base_url="https://api.cloudflare.com/client/v4",
            account_id_env="CLOUDFLARE_ACCOUNT_ID",
            api_token_env="CLOUDFLARE_API_TOKEN",  # noqa: S106 - the variable's name, not a secret
        ),
        "openai": ProviderConfig(
            type="openai",
            base_url="https://api.openai.com/v1",
            api_key_env="OPENAI_API_KEY",
        ),
        "local": ProviderConfig(type="local", trusted_with_phi=True),
    }


def default_data_dir() -> Path:
    return Path(os.environ.get("AI_WORKERS_DATA_DIR") or Path.home() / ".ai-workers")


class Settings(msgspec.Struct, omit_defaults=True, forbid_unknown_fields=True, dict=True):
    server: ServerConfig = msgspec.field(default_factory=ServerConfig)
    data_dir: str | None = None
    database_url: str | None = None  # default: SQLite file in data_dir
    redis_url: str | None = None
    log_level: str = "info"
    providers: dict[str, ProviderConfig] = msgspec.field(default_factory=_default_providers)
    retry: RetryConfig = msgspec.field(default_factory=RetryConfig)
    models: list[dict[str, Any]] = msgspec.field(default_factory=list)
    aliases: dict[str, str] = msgspec.field(default_factory=dict)
    fallbacks: dict[str, list[str]] = msgspec.field(default_factory=dict)
    default_app: str = "default"
    apps: dict[str, AppConfig] = msgspec.field(default_factory=dict)
    routing: dict[str, Any] = msgspec.field(default_factory=dict)
    cache: dict[str, Any] = msgspec.field(default_factory=dict)
    safety: dict[str, Any] = msgspec.field(default_factory=dict)
    usage: dict[str, Any] = msgspec.field(default_factory=dict)
    rag: dict[str, Any] = msgspec.field(default_factory=dict)
    batch: dict[str, Any] = msgspec.field(default_factory=dict)  # batch/config.py
    source: str | None = None  # path of the YAML file these came from, for messages

    def __post_init__(self) -> None:
        self._sections: dict[tuple[str, type], Any] = {}
        self._catalog: ModelCatalog | None = None

    # -- derived values (computed once per Settings object, which is immutable by convention) --------

    def resolved_data_dir(self) -> Path:
        return Path(self.data_dir).expanduser() if self.data_dir else default_data_dir()

    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{self.resolved_data_dir() / 'ai-workers.db'}"

    @property
    def catalog(self) -> ModelCatalog:
        if self._catalog is None:
            layer: dict[str, Any] = {
                "models": self.models,
                "aliases": self.aliases,
                "fallbacks": self.fallbacks,
            }
            self._catalog = ModelCatalog.from_data(load_builtin_catalog_data(), layer)
        return self._catalog

    def section(self, name: str, kind: type[T]) -> T:
        """A package's own section, typed and validated once per Settings object."""
        key = (name, kind)
        cached = self._sections.get(key)
        if cached is None:
            raw = getattr(self, name)
            cached = msgspec.convert(raw, kind)
            self._sections[key] = cached
        return cached

    def app(self, name: str) -> AppConfig:
        """The app's policy, or the default app's when it has none of its own."""
        found = self.apps.get(name)
        if found is not None:
            return found
        return self.apps.get(self.default_app) or AppConfig()

    def app_section(self, app: str, name: str, kind: type[T]) -> T:
        key = (f"app:{app}:{name}", kind)
        cached = self._sections.get(key)
        if cached is None:
            cached = msgspec.convert(getattr(self.app(app), name), kind)
            self._sections[key] = cached
        return cached


# ---------------------------------------------------------------------------------------------------
# Loading

ENV_PREFIX = "AI_WORKERS_"
_ENV_KEYS: dict[str, tuple[str, ...]] = {
    "DATABASE_URL": ("database_url",),
    "REDIS_URL": ("redis_url",),
    "LEASE_BOUND_PCT": ("usage", "lease_bound_pct"),  # usage.leases: the bound on budget overshoot
    "DATA_DIR": ("data_dir",),
    "LOG_LEVEL": ("log_level",),
    "HOST": ("server", "host"),
    "PORT": ("server", "port"),
    "WORKERS": ("server", "workers"),
    "MAX_BODY_BYTES": ("server", "max_body_bytes"),
    "MAX_UPLOAD_BYTES": ("server", "max_upload_bytes"),
}
# Base-URL overrides per built-in provider, so a test or an on-prem mirror needs no YAML file.
_PROVIDER_URL_ENV = {
    "cloudflare": "CLOUDFLARE_BASE_URL",
    "openai": "OPENAI_BASE_URL",
}


class ConfigError(ValueError):
    """The config file or environment is invalid; the message names the file and the field."""


def _deep_merge(base: dict[str, Any], top: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in top.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = _deep_merge(dict(out[key]), value)
        else:
            out[key] = value
    return out


def _env_layer(env: Mapping[str, str]) -> dict[str, Any]:
    layer: dict[str, Any] = {}
    for suffix, path in _ENV_KEYS.items():
        value = env.get(ENV_PREFIX + suffix)
        if value is None:
            continue
        node = layer
        for part in path[:-1]:
            node = node.setdefault(part, {})
        node[path[-1]] = int(value) if suffix in {"PORT", "WORKERS", "MAX_BODY_BYTES"} else value
        if suffix == "LEASE_BOUND_PCT":
            node[path[-1]] = float(value)
    for provider, var in _PROVIDER_URL_ENV.items():
        if env.get(var):
            layer.setdefault("providers", {}).setdefault(provider, {})["base_url"] = env[var]
    return layer


def load_settings(path: str | Path | None = None, *, env: Mapping[str, str] | None = None) -> Settings:
    """Build Settings from defaults, the YAML file and the environment. Raises ConfigError."""
    env = os.environ if env is None else env
    path = path or env.get(ENV_PREFIX + "CONFIG")
    data: dict[str, Any] = {}
    if path:
        p = Path(path).expanduser()
        try:
            loaded = yaml.safe_load(p.read_text("utf-8")) or {}
        except FileNotFoundError as exc:
            raise ConfigError(f"config file not found: {p}") from exc
        except yaml.YAMLError as exc:
            raise ConfigError(f"{p}: not valid YAML: {exc}") from exc
        if not isinstance(loaded, dict):
            raise ConfigError(f"{p}: the top level must be a mapping")
        data = loaded
        data["source"] = str(p)
    # Built-in providers stay unless the file replaces them; a file's entry is merged over the default.
    defaults = {name: msgspec.to_builtins(cfg) for name, cfg in _default_providers().items()}
    data["providers"] = _deep_merge(defaults, data.get("providers") or {})
    data = _deep_merge(data, _env_layer(env))
    try:
        settings = msgspec.convert(data, Settings)
        settings.catalog  # noqa: B018 - validate models/aliases now, not on the first request
    except (msgspec.ValidationError, ValueError) as exc:
        where = f"{path}: " if path else ""
        raise ConfigError(f"{where}invalid configuration: {_name_the_entry(data, exc)}") from exc
    return settings


def _name_the_entry(data: Mapping[str, Any], exc: Exception) -> str:
    """msgspec says ``at `$.apps[...].phi_policy``` for a mapping's entry; name it (``$.apps.triage``),
    found by checking the section's entries one by one, so the operator knows which app to fix."""
    text = str(exc)
    for section, kind in (("apps", AppConfig), ("providers", ProviderConfig)):
        marker = f"$.{section}[...]"
        entries = data.get(section)
        if marker not in text or not isinstance(entries, Mapping):
            continue
        for name, value in entries.items():
            try:
                msgspec.convert(value, kind)
            except msgspec.ValidationError:
                return text.replace(marker, f"$.{section}.{name}", 1)
    return text


class ConfigStore:
    """Holds the current Settings and swaps them when the YAML file changes.

    Readers take ``store.current`` once per request, so a request sees one consistent snapshot while a
    reload installs the next. A file that fails to load is logged and the previous settings stay.

    An *overlay* (``set_overlay``) derives the current settings from the file's: the apps made in the
    console live in the database and are laid under the file's apps this way, so a file reload keeps
    them and a change in the database applies without touching the file.
    """

    def __init__(self, settings: Settings, *, path: str | Path | None = None, poll_interval_s: float = 1.0):
        self._current = settings
        self._base = settings
        self._overlay: Callable[[Settings], Settings] | None = None
        self.path = Path(path).expanduser() if path else (Path(settings.source) if settings.source else None)
        self.poll_interval_s = poll_interval_s
        self.version = 1
        self._mtime = self._stat()
        self._listeners: list[Callable[[Settings], None]] = []
        self._watcher = BackgroundTask("config-watch")

    @property
    def current(self) -> Settings:
        return self._current

    def subscribe(self, listener: Callable[[Settings], None]) -> None:
        self._listeners.append(listener)

    def _stat(self) -> tuple[float, int] | None:
        if self.path is None:
            return None
        try:
            st = self.path.stat()
        except OSError:
            return None
        return (st.st_mtime, st.st_size)

    @property
    def base(self) -> Settings:
        """The settings from the file and environment alone, before the overlay."""
        return self._base

    def set_overlay(self, overlay: Callable[[Settings], Settings] | None) -> None:
        """Install (or re-run after its data changed) the function that derives the current settings."""
        self._overlay = overlay
        self.replace(self._base)

    def replace(self, settings: Settings) -> None:
        self._base = settings
        if self._overlay is not None:
            try:
                settings = self._overlay(settings)
            except Exception:
                log.exception("config overlay failed; using the file's settings alone")
        self._current = settings
        self.version += 1
        for listener in self._listeners:
            try:
                listener(settings)
            except Exception:
                log.exception("config listener failed")

    def reload_if_changed(self) -> bool:
        stat = self._stat()
        if stat is None or stat == self._mtime:
            return False
        self._mtime = stat
        try:
            settings = load_settings(self.path)
        except ConfigError as exc:
            log.error("config reload failed, keeping the previous settings: %s", exc)
            return False
        self.replace(settings)
        log.info("config reloaded from %s (version %d)", self.path, self.version)
        return True

    async def _watch(self) -> None:
        while True:
            await asyncio.sleep(self.poll_interval_s)
            # stat() is one syscall; cheap enough for the event loop once a second.
            self.reload_if_changed()

    def start(self) -> None:
        if self.path is not None:
            self._watcher.start(self._watch)

    async def stop(self) -> None:
        await self._watcher.stop()
