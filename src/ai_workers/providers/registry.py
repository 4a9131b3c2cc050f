"""Provider registry (placeholder until the providers package lands)."""

from __future__ import annotations

from ai_workers.core.config import ConfigStore
from ai_workers.core.errors import ConfigurationError
from ai_workers.providers.base import Provider


class ProviderRegistry:
    def __init__(self, config: ConfigStore) -> None:
        self.config = config
        self._providers: dict[str, Provider] = {}

    def get(self, name: str) -> Provider:
        try:
            return self._providers[name]
        except KeyError:
            raise ConfigurationError(f"provider '{name}' is not configured") from None

    async def aclose(self) -> None:
        for provider in self._providers.values():
            await provider.aclose()
