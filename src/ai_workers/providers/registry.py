"""Provider instances built from ``settings.providers``, rebuilt when the config changes.

Each configured provider (by name) gets one adapter picked by its ``type``. A config reload replaces only
the providers whose config changed; the replaced ones keep serving requests already in flight and are
closed after a grace period (or at shutdown), so a reload never cuts a running stream.
"""

from __future__ import annotations

import asyncio
import importlib
import logging
from collections.abc import Callable

from ai_workers.core.config import ConfigStore, ProviderConfig, Settings
from ai_workers.core.errors import ConfigurationError
from ai_workers.providers.base import Provider

log = logging.getLogger("ai_workers.providers")

ProviderFactory = Callable[[str, ProviderConfig], Provider]
RETIRE_GRACE_S = 120.0  # longer than any request or stream should take


def _cloudflare(name: str, config: ProviderConfig) -> Provider:
    from ai_workers.providers.cloudflare import CloudflareProvider

    return CloudflareProvider(name, config)


def _openai(name: str, config: ProviderConfig) -> Provider:
    from ai_workers.providers.openai import OpenAIProvider

    return OpenAIProvider(name, config)


def _local(name: str, config: ProviderConfig) -> Provider:
    # Imported lazily: the local provider pulls in the optional [local] extra (sentence-transformers).
    try:
        module = importlib.import_module("ai_workers.providers.local")
    except ImportError as exc:
        return UnavailableProvider(
            name, config, f"the local provider cannot load ({exc}); pip install 'ai-workers[local]'"
        )
    provider: Provider = module.LocalProvider(name, config)
    return provider


FACTORIES: dict[str, ProviderFactory] = {
    "cloudflare": _cloudflare,
    "openai": _openai,
    "openai-compatible": _openai,
    "local": _local,
}


class UnavailableProvider(Provider):
    """Stands in for a provider that cannot be built, so the reason surfaces on use, not at start-up."""

    kind = "unavailable"

    def __init__(self, name: str, config: ProviderConfig, reason: str) -> None:
        super().__init__(name, config)
        self.reason = reason

    def check_configured(self) -> None:
        raise ConfigurationError(f"provider '{self.name}': {self.reason}")


class ProviderRegistry:
    def __init__(self, config: ConfigStore, *, factories: dict[str, ProviderFactory] | None = None) -> None:
        self.config = config
        self.factories = {**FACTORIES, **(factories or {})}
        self._providers: dict[str, Provider] = {}
        self._configs: dict[str, ProviderConfig] = {}
        self._retired: list[Provider] = []
        self._build(config.current)
        config.subscribe(self._build)

    def _make(self, name: str, cfg: ProviderConfig) -> Provider:
        factory = self.factories.get(cfg.type)
        if factory is None:
            known = ", ".join(sorted(self.factories))
            return UnavailableProvider(name, cfg, f"unknown provider type '{cfg.type}' (known: {known})")
        try:
            return factory(name, cfg)
        except Exception as exc:  # a broken provider must not stop the others from loading
            log.exception("provider %s could not be built", name)
            return UnavailableProvider(name, cfg, f"could not be built: {exc}")

    def _build(self, settings: Settings) -> None:
        providers: dict[str, Provider] = {}
        configs: dict[str, ProviderConfig] = {}
        for name, cfg in settings.providers.items():
            old = self._providers.get(name)
            if old is not None and self._configs.get(name) == cfg:
                providers[name] = old
            else:
                providers[name] = self._make(name, cfg)
            configs[name] = cfg
        retired = [p for name, p in self._providers.items() if providers.get(name) is not p]
        self._providers, self._configs = providers, configs
        for provider in retired:
            self._retire(provider)

    def _retire(self, provider: Provider) -> None:
        self._retired.append(provider)
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return  # closed at aclose()
        loop.call_later(RETIRE_GRACE_S, lambda: loop.create_task(self._close_retired(provider)))

    async def _close_retired(self, provider: Provider) -> None:
        if provider in self._retired:
            self._retired.remove(provider)
            await provider.aclose()

    def get(self, name: str) -> Provider:
        """The provider named ``name``; ConfigurationError if it is not configured or disabled."""
        provider = self._providers.get(name)
        if provider is None:
            raise ConfigurationError(
                f"provider '{name}' is not configured (add it under 'providers:' in the config)"
            )
        if not provider.config.enabled:
            raise ConfigurationError(f"provider '{name}' is disabled in the config")
        return provider

    def names(self) -> list[str]:
        return list(self._providers)

    async def aclose(self) -> None:
        for provider in [*self._providers.values(), *self._retired]:
            try:
                await provider.aclose()
            except Exception:
                log.exception("closing provider %s failed", provider.name)
        self._retired.clear()
