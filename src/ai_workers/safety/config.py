"""The ``safety:`` settings section and the per-app ``apps.<name>.safety`` mapping, typed.

Example::

    safety:
      phi_policy: redact            # default for apps that set no phi_policy: block | redact | allow
      untrusted_allow: redact       # what "allow" becomes when a target provider is not trusted_with_phi
      unscannable: refuse           # audio/images cannot be scanned: refuse them unless all targets trusted
      detect_timeout_ms: 250        # detector CPU per 64,000 characters; more refuses the request
      content:
        guard_model: llama-guard-3-8b   # score with Llama Guard; unset: the local heuristic check
        actions: {S4: block, S9: block, S11: flag}
    apps:
      patient-portal:
        phi_policy: redact
        safety: {content: {actions: {S11: block}}}
      marketing-copy:
        phi_policy: off             # never handles patient data: no PHI scan, images and audio pass
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import msgspec

if TYPE_CHECKING:
    from ai_workers.core.config import Settings

PHI_POLICIES = ("block", "redact", "allow")
# An app may also declare "off" (it never handles patient data); the global default may not, so a new
# app is never unscanned by accident.
APP_PHI_POLICIES = (*PHI_POLICIES, "off")
ACTIONS = ("block", "flag", "ignore")


def _default_actions() -> dict[str, str]:
    # Child sexual exploitation and weapons of mass destruction are refused everywhere by default;
    # everything else is flagged so clinical apps (self-harm screening, violence history) keep working.
    return {"S4": "block", "S9": "block"}


class ContentSafetyConfig(msgspec.Struct, omit_defaults=True, forbid_unknown_fields=True):
    mode: str = "auto"  # auto: guard when guard_model is set, else local | guard | local | off
    guard_model: str | None = None
    scan_answers: bool = True
    actions: dict[str, str] = msgspec.field(default_factory=_default_actions)
    default_action: str = "flag"
    on_guard_error: str = "local"  # local: fall back to the heuristic | refuse: fail closed


class SafetyConfig(msgspec.Struct, omit_defaults=True, forbid_unknown_fields=True):
    phi_policy: str = "redact"
    untrusted_allow: str = "redact"
    unscannable: str = "refuse"
    detect_timeout_ms: float = 250.0
    # Larger inputs are scanned in a worker thread under the timeout (the event loop keeps serving);
    # smaller ones on the event loop, where a thread hop would cost more than the scan (~1 ms per 2 KB,
    # and the detector is linear: no input of this size holds the loop for more than a few ms).
    inline_limit_chars: int = 8_000
    disabled_types: list[str] = msgspec.field(default_factory=list)
    extra_names: list[str] = msgspec.field(default_factory=list)
    content: ContentSafetyConfig = msgspec.field(default_factory=ContentSafetyConfig)
    override_max_hours: float = 72.0

    def __post_init__(self) -> None:
        for field, value, allowed in (
            ("safety.phi_policy", self.phi_policy, PHI_POLICIES),
            ("safety.untrusted_allow", self.untrusted_allow, ("block", "redact")),
            ("safety.unscannable", self.unscannable, ("refuse", "allow")),
            ("safety.content.mode", self.content.mode, ("auto", "guard", "local", "off")),
            ("safety.content.default_action", self.content.default_action, ACTIONS),
            ("safety.content.on_guard_error", self.content.on_guard_error, ("local", "refuse")),
        ):
            if value not in allowed:
                raise ValueError(f"{field} must be one of {', '.join(allowed)}, not {value!r}")
        for code, action in self.content.actions.items():
            if action not in ACTIONS:
                raise ValueError(f"safety.content.actions.{code} must be one of {', '.join(ACTIONS)}")


class AppContentSafety(msgspec.Struct, omit_defaults=True, forbid_unknown_fields=True):
    mode: str | None = None
    scan_answers: bool | None = None
    actions: dict[str, str] = msgspec.field(default_factory=dict)


class AppSafetyConfig(msgspec.Struct, omit_defaults=True, forbid_unknown_fields=True):
    """``apps.<name>.safety``: what an app changes about the global section."""

    disabled_types: list[str] = msgspec.field(default_factory=list)
    content: AppContentSafety = msgspec.field(default_factory=AppContentSafety)


class AppPolicy(msgspec.Struct):
    """One app's effective PHI policy and where it comes from (``app``: its own ``phi_policy``;
    ``default``: ``safety.phi_policy``). Shown by ``ai-workers apps`` and ``GET /api/apps``."""

    app: str
    phi_policy: str
    source: str
    description: str | None = None


def app_policies(settings: Settings, names: list[str] | None = None) -> list[AppPolicy]:
    """The effective PHI policy of each configured app (or of ``names``), sorted by app name."""
    default = settings.section("safety", SafetyConfig).phi_policy
    out = []
    for name in sorted(set(settings.apps) if names is None else set(names)):
        own = settings.apps.get(name)
        policy = own.phi_policy if own is not None else None
        out.append(
            AppPolicy(
                app=name,
                phi_policy=policy or default,
                source="app" if policy else "default",
                description=own.description if own is not None else None,
            )
        )
    return out


def phi_off_apps(settings: Settings) -> list[str]:
    """The configured apps that declare ``phi_policy: off``."""
    return sorted(name for name, app in settings.apps.items() if app.phi_policy == "off")
