"""The ``cache:`` section (global and per app), merged into one effective policy per app.

Global settings pick the backend and its bounds; an app may override TTLs, opt in to caching sampled
answers (``temperature > 0``) and to the semantic cache. The merged policy is computed once per Settings
snapshot and app, so the hot path reads plain attributes.
"""

from __future__ import annotations

import msgspec

from ai_workers.core.config import Settings

#: Cache kinds and their default time-to-live in seconds: embeddings 7 days, chat and RAG 1 hour.
DEFAULT_TTL_S: dict[str, float] = {"chat": 3600.0, "embeddings": 7 * 24 * 3600.0, "rag": 3600.0}


class SemanticConfig(msgspec.Struct, omit_defaults=True, forbid_unknown_fields=True):
    """Semantic cache knobs. ``None`` means "inherit" in an app's section."""

    enabled: bool | None = None
    # The embedding model that answers ``subcall`` requests. The default is the local MiniLM model: free,
    # runs in-process and is trusted with PHI. The default threshold below was calibrated on it
    # (bench/bench_semantic_cache.py); another embedding model needs its own threshold.
    embedding_model: str | None = None
    threshold: float | None = None
    # Apps that handle PHI get the strict verifier and ``strict_threshold``: every app has a PHI policy
    # (block, redact or allow; there is no "off"), so that is every app unless it sets ``strict: false``.
    strict: bool | None = None
    strict_threshold: float | None = None
    guard: bool | None = None  # the near-miss guard (numbers, negation, drug names...); keep it on
    rare_word_zipf: float | None = None  # words rarer than this (wordfreq Zipf scale) must match
    routes: list[str] | None = None  # only these ctx.route values (None: every route of the app)
    max_entries_per_scope: int | None = None
    candidates: int | None = None  # how many nearest entries the guard may inspect
    # Longer last messages use the exact cache only: the embedding model reads the first ~256 tokens,
    # so two long prompts that differ near the end would look identical to it.
    max_chars: int | None = None


class CacheConfig(msgspec.Struct, omit_defaults=True, forbid_unknown_fields=True):
    """The global ``cache:`` section; the same keys inside ``apps.<name>.cache`` override it per app."""

    enabled: bool | None = None
    backend: str | None = None  # "memory" (default) or "redis"
    redis_url: str | None = None  # default: the top-level redis_url when backend is "redis"
    redis_prefix: str | None = None
    max_entries: int | None = None
    max_bytes: int | None = None
    max_entry_bytes: int | None = None
    ttl_s: dict[str, float] | None = None
    # Sampled answers (temperature > 0) differ on every call, so they are not cached unless the app says
    # repeating one is fine.
    allow_sampled: bool | None = None
    # Requests that leave temperature unset get the provider's default (often sampled); caching them is
    # what makes a gateway cache useful for most apps, so it is on unless an app turns it off.
    cache_unset_temperature: bool | None = None
    # "app": answers are shared by all users of the app; "user": only with the same end user.
    scope: str | None = None
    semantic: SemanticConfig | None = None


class SemanticPolicy(msgspec.Struct, frozen=True):
    enabled: bool = False
    embedding_model: str = "all-minilm-l6-v2"
    threshold: float = 0.86
    strict: bool | None = None  # None: from the app's PHI policy (see SemanticConfig)
    strict_threshold: float = 0.88
    guard: bool = True
    rare_word_zipf: float = 4.3
    routes: tuple[str, ...] | None = None
    max_entries_per_scope: int = 2000
    candidates: int = 5
    max_chars: int = 1000


class CachePolicy(msgspec.Struct, frozen=True):
    """Everything the stage needs to decide for one app, merged from the global and app sections."""

    enabled: bool = True
    ttl_s: dict[str, float] = msgspec.field(default_factory=lambda: dict(DEFAULT_TTL_S))
    allow_sampled: bool = False
    cache_unset_temperature: bool = True
    scope: str = "app"
    max_entry_bytes: int = 1024 * 1024
    semantic: SemanticPolicy = msgspec.field(default_factory=SemanticPolicy)

    def ttl(self, kind: str) -> float:
        return self.ttl_s.get(kind, DEFAULT_TTL_S.get(kind, 3600.0))


class BackendSpec(msgspec.Struct, frozen=True):
    """What the backend is built from; a config reload that changes it swaps the backend."""

    kind: str = "memory"
    redis_url: str | None = None
    redis_prefix: str = "aiw:cache:"
    max_entries: int = 10_000
    max_bytes: int = 64 * 1024 * 1024


def _pick(*values: object) -> object:
    for value in values:
        if value is not None:
            return value
    return None


def backend_spec(settings: Settings) -> BackendSpec:
    cfg = settings.section("cache", CacheConfig)
    default = BackendSpec()
    kind = cfg.backend or ("redis" if cfg.redis_url else "memory")
    if kind not in {"memory", "redis"}:
        raise ValueError(f"cache.backend must be 'memory' or 'redis', not {kind!r}")
    url = cfg.redis_url or (settings.redis_url if kind == "redis" else None)
    if kind == "redis" and not url:
        raise ValueError("cache.backend is 'redis' but neither cache.redis_url nor redis_url is set")
    return BackendSpec(
        kind=kind,
        redis_url=url,
        redis_prefix=cfg.redis_prefix or default.redis_prefix,
        max_entries=cfg.max_entries or default.max_entries,
        max_bytes=cfg.max_bytes or default.max_bytes,
    )


def _merge_semantic(top: SemanticConfig | None, app: SemanticConfig | None) -> SemanticPolicy:
    d = SemanticPolicy()
    t = top or SemanticConfig()
    a = app or SemanticConfig()
    routes = _pick(a.routes, t.routes)
    return SemanticPolicy(
        enabled=bool(_pick(a.enabled, t.enabled, d.enabled)),
        embedding_model=str(_pick(a.embedding_model, t.embedding_model, d.embedding_model)),
        threshold=float(_pick(a.threshold, t.threshold, d.threshold)),  # type: ignore[arg-type]
        strict=a.strict if a.strict is not None else t.strict,
        strict_threshold=float(_pick(a.strict_threshold, t.strict_threshold, d.strict_threshold)),  # type: ignore[arg-type]
        guard=bool(_pick(a.guard, t.guard, d.guard)),
        rare_word_zipf=float(_pick(a.rare_word_zipf, t.rare_word_zipf, d.rare_word_zipf)),  # type: ignore[arg-type]
        routes=tuple(routes) if isinstance(routes, list) else None,
        max_entries_per_scope=int(
            _pick(a.max_entries_per_scope, t.max_entries_per_scope, d.max_entries_per_scope)  # type: ignore[call-overload]
        ),
        candidates=int(_pick(a.candidates, t.candidates, d.candidates)),  # type: ignore[call-overload]
        max_chars=int(_pick(a.max_chars, t.max_chars, d.max_chars)),  # type: ignore[call-overload]
    )


def merge_policy(top: CacheConfig, app: CacheConfig) -> CachePolicy:
    d = CachePolicy()
    ttl = dict(DEFAULT_TTL_S)
    ttl.update(top.ttl_s or {})
    ttl.update(app.ttl_s or {})
    scope = str(_pick(app.scope, top.scope, d.scope))
    if scope not in {"app", "user"}:
        raise ValueError(f"cache.scope must be 'app' or 'user', not {scope!r}")
    return CachePolicy(
        enabled=bool(_pick(app.enabled, top.enabled, d.enabled)),
        ttl_s=ttl,
        allow_sampled=bool(_pick(app.allow_sampled, top.allow_sampled, d.allow_sampled)),
        cache_unset_temperature=bool(
            _pick(app.cache_unset_temperature, top.cache_unset_temperature, d.cache_unset_temperature)
        ),
        scope=scope,
        max_entry_bytes=int(_pick(app.max_entry_bytes, top.max_entry_bytes, d.max_entry_bytes)),  # type: ignore[call-overload]
        semantic=_merge_semantic(top.semantic, app.semantic),
    )


def handles_phi(settings: Settings, app: str) -> bool:
    """Whether the app's PHI policy (its own, or the safety section's default) is anything but "off".

    Today every policy (block, redact, allow) means the app may see PHI, so this is True unless a
    future "off" is chosen; ``semantic.strict: false`` is how an app without PHI opts out.
    """
    from ai_workers.safety.config import SafetyConfig

    policy = settings.app(app).phi_policy or settings.section("safety", SafetyConfig).phi_policy
    return policy != "off"


class PolicyResolver:
    """Effective policy per app, recomputed only when the Settings snapshot changes."""

    def __init__(self) -> None:
        self._settings: Settings | None = None
        self._policies: dict[str, CachePolicy] = {}

    def __call__(self, settings: Settings, app: str) -> CachePolicy:
        if settings is not self._settings:
            self._settings = settings
            self._policies = {}
        policy = self._policies.get(app)
        if policy is None:
            top = settings.section("cache", CacheConfig)
            own = settings.app_section(app, "cache", CacheConfig)
            policy = merge_policy(top, own)
            if policy.semantic.strict is None:
                strict = handles_phi(settings, app)
                policy = msgspec.structs.replace(
                    policy, semantic=msgspec.structs.replace(policy.semantic, strict=strict)
                )
            self._policies[app] = policy
        return policy
