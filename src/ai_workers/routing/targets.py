"""Turn a requested model into the ordered list of targets to try: its deployments, then its fallbacks.

This is the plain resolution every request gets; the routing stage may first replace the model (a
complexity tier for ``model: "auto"``, an A/B arm) and afterwards reorder targets by provider health.
"""

from __future__ import annotations

from ai_workers.core.catalog import ModelSpec
from ai_workers.core.config import Settings
from ai_workers.core.context import AppIdentity, Target
from ai_workers.core.errors import PermissionDeniedError
from ai_workers.core.types import Capability


def model_allowed(settings: Settings, app: AppIdentity, spec: ModelSpec) -> bool:
    """Both the key's and the app config's allow-lists (when set) must name the model or an alias of it."""
    catalog = settings.catalog
    for allowed in (app.allowed_models, settings.app(app.name).allowed_models):
        if allowed is None or "*" in allowed:
            continue
        names = {n for n in allowed if (m := catalog.find(n)) is not None and m.name == spec.name}
        if not names:
            return False
    return True


def check_model_allowed(settings: Settings, app: AppIdentity, spec: ModelSpec) -> None:
    if not model_allowed(settings, app, spec):
        raise PermissionDeniedError(
            f"The app '{app.name}' is not allowed to use the model '{spec.name}'.",
            param="model",
            code="model_not_allowed",
        )


def fallback_chain(settings: Settings, app: AppIdentity, spec: ModelSpec) -> list[str]:
    """The app's own chain for this model if it sets one, else the model's/catalog's default."""
    app_chains = settings.app(app.name).fallbacks
    for key in (spec.name, str(spec.capability)):
        if key in app_chains:
            return list(app_chains[key])
    return settings.catalog.fallbacks_for(spec.name)


def resolve_targets(
    settings: Settings, app: AppIdentity, capability: Capability, model: str
) -> tuple[ModelSpec, list[Target]]:
    """The primary model (checked against the app's allow-list) and every target in fallback order.

    Fallback models the app may not use, or of another capability, are left out silently: a fallback
    must never widen what an app can reach. Providers that are disabled in config are left out too.
    """
    catalog = settings.catalog
    spec = catalog.get(model, capability)
    check_model_allowed(settings, app, spec)
    targets: list[Target] = []
    seen: set[str] = set()
    chain = [spec.name, *fallback_chain(settings, app, spec)]
    for name in chain:
        candidate = catalog.find(name)
        if candidate is None or candidate.capability != spec.capability:
            continue
        if candidate is not spec and not model_allowed(settings, app, candidate):
            continue
        for dep in candidate.deployments:
            provider = settings.providers.get(dep.provider)
            if provider is None or not provider.enabled:
                continue
            target = Target(candidate, dep)
            if target.key not in seen:
                seen.add(target.key)
                targets.append(target)
    return spec, targets
