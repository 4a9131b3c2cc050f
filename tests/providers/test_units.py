"""Small pieces of the provider layer: Retry-After, Llama Guard parsing, MP3 duration, the registry."""

from __future__ import annotations

import time
from email.utils import formatdate

import pytest

from ai_workers.core.config import ConfigStore, ProviderConfig, load_settings
from ai_workers.core.errors import ConfigurationError
from ai_workers.providers.audio import mp3_duration_seconds, silent_mp3
from ai_workers.providers.cloudflare import CloudflareProvider
from ai_workers.providers.http import parse_retry_after
from ai_workers.providers.llama_guard import VerdictParseError, parse_verdict
from ai_workers.providers.openai import OpenAIProvider
from ai_workers.providers.registry import ProviderRegistry


def test_retry_after_seconds_and_http_date() -> None:
    assert parse_retry_after("7") == 7.0
    assert parse_retry_after("0.5") == 0.5
    now = time.time()
    assert parse_retry_after(formatdate(now + 30, usegmt=True), now=now) == pytest.approx(30, abs=1)
    assert parse_retry_after(formatdate(now - 30, usegmt=True), now=now) == 0.0
    assert parse_retry_after("soon") is None and parse_retry_after(None) is None


@pytest.mark.parametrize(
    ("raw", "safe", "codes"),
    [
        ("safe", True, []),
        ("\n\nsafe", True, []),
        ("unsafe\nS1", False, ["S1"]),
        ("unsafe\nS1,S10", False, ["S1", "S10"]),
        ("unsafe S14", False, ["S14"]),
        ({"safe": True, "categories": []}, True, []),
        ({"safe": False, "categories": ["S11", "s7"]}, False, ["S11", "S7"]),
    ],
)
def test_llama_guard_verdict_forms(raw: object, safe: bool, codes: list[str]) -> None:
    verdict = parse_verdict(raw)
    assert verdict.safe is safe and verdict.categories == codes
    assert len(verdict.category_names) == len(codes)


def test_llama_guard_names_follow_the_s1_s14_taxonomy() -> None:
    names = parse_verdict("unsafe\nS2,S5,S6,S12,S13,S14").category_names
    assert names == [
        "Non-Violent Crimes",
        "Defamation",
        "Specialized Advice",
        "Sexual Content",
        "Elections",
        "Code Interpreter Abuse",
    ]


@pytest.mark.parametrize("raw", ["", "maybe", 3, {"categories": []}])
def test_llama_guard_garbage_is_rejected(raw: object) -> None:
    with pytest.raises(VerdictParseError):
        parse_verdict(raw)


def test_mp3_duration() -> None:
    assert mp3_duration_seconds(silent_mp3(3.0)) == pytest.approx(3.0, abs=0.04)
    tagged = b"ID3\x04\x00\x00\x00\x00\x00\x0a" + bytes(10) + silent_mp3(1.0)
    assert mp3_duration_seconds(tagged) == pytest.approx(1.0, abs=0.04)
    assert mp3_duration_seconds(b"not audio at all") is None


def test_registry_builds_by_type_and_rebuilds_only_changed_providers() -> None:
    settings = load_settings(env={})
    store = ConfigStore(settings)
    registry = ProviderRegistry(store)
    cloudflare, openai = registry.get("cloudflare"), registry.get("openai")
    assert isinstance(cloudflare, CloudflareProvider) and isinstance(openai, OpenAIProvider)
    providers = dict(settings.providers)
    providers["openai"] = ProviderConfig(type="openai", base_url="http://127.0.0.1:9/v1", api_key_env="X_KEY")
    providers["vllm"] = ProviderConfig(type="openai-compatible", base_url="http://127.0.0.1:9/v1")
    store.replace(load_settings(env={}).__class__(**{**_fields(settings), "providers": providers}))
    assert registry.get("cloudflare") is cloudflare  # unchanged config: same pooled client
    assert registry.get("openai") is not openai and registry.get("openai").required_env == ("X_KEY",)
    assert registry.get("vllm").kind == "openai-compatible"
    assert registry.get("vllm").required_env == ()  # compatible servers need no key
    with pytest.raises(ConfigurationError, match="not configured"):
        registry.get("nowhere")


def test_unknown_provider_type_fails_on_use_with_a_clear_message() -> None:
    settings = load_settings(env={})
    providers = {**settings.providers, "odd": ProviderConfig(type="carrier-pigeon")}
    store = ConfigStore(settings.__class__(**{**_fields(settings), "providers": providers}))
    provider = ProviderRegistry(store).get("odd")
    with pytest.raises(ConfigurationError, match="unknown provider type 'carrier-pigeon'"):
        provider.check_configured()


def _fields(settings: object) -> dict[str, object]:
    return {name: getattr(settings, name) for name in settings.__struct_fields__}  # type: ignore[attr-defined]
