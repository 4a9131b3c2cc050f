"""The safety stage: PHI policy (block | redact | allow) and content safety, for every request.

Order of work for one request:

1. Scan every text the request would send (messages, tool-call arguments, embedding inputs, rerank
   documents, speech input). Detection that errors or takes longer than ``detect_timeout_ms`` refuses
   the request (SafetyCheckFailedError): it is never sent unscanned.
2. Apply the app's PHI policy. ``allow`` keeps the text only when *every* target the request may reach
   (including fallbacks) is a provider marked ``trusted_with_phi``; otherwise it becomes
   ``safety.untrusted_allow`` (redact by default). ``redact`` rewrites the request in place, so the cache
   stage after this one, embeddings and logs only ever see placeholders. ``block`` refuses with the
   identifier *types* found, unless an admin override applies.
3. Score the (redacted) prompt for content safety: Llama Guard via a sub-request when configured, the
   local heuristic otherwise; each category's action is block, flag or ignore.
4. On the way out: restore placeholders in the answer (streams too, chunk by chunk), and score
   non-streamed answers. The restored answer is a new object: the one the inner stages returned (and
   the cache stage may hold) keeps its placeholders.

Blocks and override uses are written to the audit log with identifier types, never values.
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter as Tally
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

import msgspec
from prometheus_client import Counter

from ai_workers.core.config import ConfigStore, Settings
from ai_workers.core.context import RequestContext, Target
from ai_workers.core.errors import AIWorkersError, PolicyBlockedError, SafetyCheckFailedError
from ai_workers.core.metrics import LabelChildren
from ai_workers.core.pipeline import ChunkStream, Handler, Result, SubCall
from ai_workers.core.request_text import MAX_TEXT_CHARS, cap, render_messages, stores_text
from ai_workers.core.types import (
    AnyRequest,
    ChatChunk,
    ChatRequest,
    ChatResponse,
    EmbeddingRequest,
    Message,
    ModerationRequest,
    RerankRequest,
    RerankResponse,
    SafetyRequest,
    SpeechRequest,
    TranscriptionRequest,
)
from ai_workers.safety.config import APP_PHI_POLICIES, AppSafetyConfig, SafetyConfig, phi_off_apps
from ai_workers.safety.cpu_clock import ScanClock, scan_seconds
from ai_workers.safety.guard import CATEGORY_NAMES, GuardError, Verdict, guard_check, local_check
from ai_workers.safety.overrides import AuditSink, DatabaseHandle, OverrideInfo, OverrideStore
from ai_workers.safety.phi.detector import Deadline, DetectionTimeout, PhiDetector
from ai_workers.safety.phi.spans import Span
from ai_workers.safety.redaction import Vault, restore_stream, restore_tool_calls

log = logging.getLogger("ai_workers.safety")

PHI_FOUND = Counter("aiw_phi_identifiers_total", "PHI identifiers found in requests, by type", ["type"])
_PHI_FOUND_CHILDREN = LabelChildren(PHI_FOUND, deferred=True)
SAFETY_BLOCKS = Counter("aiw_safety_blocks_total", "Requests refused by policy", ["kind"])
SAFETY_FLAGS = Counter(
    "aiw_safety_flags_total", "Requests flagged by content safety, by category", ["category"]
)
SAFETY_FAILURES = Counter(
    "aiw_safety_check_failures_total", "Requests refused because a check failed", ["check"]
)

VAULT_STATE_KEY = "phi_vault"
PHI_UNREDACTED_STATE_KEY = "phi_unredacted"
_STREAM_SCAN_LIMIT = 256_000  # characters of a streamed answer the end-of-stream check looks at
# detect_timeout_ms is the allowance for this many characters; bigger inputs get proportionally more
# (250 ms per 64,000 characters is 0.26 MB/s, a third of the detector's speed on dense clinical text).
TIMEOUT_UNIT_CHARS = 64_000
_WALL_CLOCK_FACTOR = 4  # a thread scan competes for the GIL with the event loop: wall time > CPU time


@dataclass(slots=True)
class _Texts:
    """Getters/setters for every text field of one request, so scanning and rewriting share one walk."""

    values: list[str]
    setters: list[Callable[[str], None]]
    unscannable: bool = False


def _attr_setter(obj: Any, name: str) -> Callable[[str], None]:
    def set_value(value: str) -> None:
        setattr(obj, name, value)

    return set_value


def _item_setter(items: list[str], index: int) -> Callable[[str], None]:
    def set_item(value: str) -> None:
        items[index] = value

    return set_item


def _name_setter(msg: Message) -> Callable[[str], None]:
    def set_name(value: str) -> None:
        msg.name = None if "[" in value else value

    return set_name


def _collect(request: AnyRequest) -> _Texts:
    values: list[str] = []
    setters: list[Callable[[str], None]] = []
    unscannable = False

    def add(value: str | None, setter: Callable[[str], None]) -> None:
        if value:
            values.append(value)
            setters.append(setter)

    if isinstance(request, ChatRequest | SafetyRequest):
        for msg in request.messages:
            unscannable |= _collect_message(msg, add)
    elif isinstance(request, EmbeddingRequest | ModerationRequest | SpeechRequest):
        # ``input``: one string, or (embeddings, moderation) a list of them
        if isinstance(request.input, str):
            add(request.input, _attr_setter(request, "input"))
        else:
            for i, item in enumerate(request.input):
                add(item, _item_setter(request.input, i))
    elif isinstance(request, RerankRequest):
        add(request.query, _attr_setter(request, "query"))
        for i, doc in enumerate(request.documents):
            add(doc, _item_setter(request.documents, i))
    elif isinstance(request, TranscriptionRequest):
        add(request.prompt, _attr_setter(request, "prompt"))
        unscannable = True  # the audio itself cannot be scanned for PHI
    return _Texts(values, setters, unscannable)


def _collect_message(msg: Message, add: Callable[[str | None, Callable[[str], None]], None]) -> bool:
    unscannable = False
    if isinstance(msg.content, str):
        add(msg.content, _attr_setter(msg, "content"))
    elif isinstance(msg.content, list):
        for part in msg.content:
            if part.type == "text":
                add(part.text, _attr_setter(part, "text"))
            elif part.type in ("image_url", "input_audio", "file", "input_image"):
                unscannable = True
    if msg.name:
        # OpenAI restricts ``name`` to [A-Za-z0-9_-]: a placeholder would not fit, so a name that is PHI
        # is dropped instead (it is only a speaker label).
        add(msg.name, _name_setter(msg))
    for call in msg.tool_calls or ():
        if call.function is not None and call.function.arguments:
            add(call.function.arguments, _attr_setter(call.function, "arguments"))
    return unscannable


def _note_safe(ctx: RequestContext) -> None:
    """A safe verdict: the request is "safe" unless an earlier verdict already said more."""
    if ctx.safety is None:
        ctx.safety = "safe"


def _last_user_text(request: ChatRequest) -> str:
    for msg in reversed(request.messages):
        if msg.role == "user":
            return msg.text()
    return request.messages[-1].text() if request.messages else ""


class SafetyStage:
    name = "safety"

    def __init__(
        self,
        config: ConfigStore,
        *,
        audit: AuditSink | None,
        database: DatabaseHandle | None,
        subcall: SubCall | None = None,
        detector_factory: Callable[[SafetyConfig], PhiDetector] | None = None,
        overrides: OverrideStore | None = None,
        clock: Callable[[], float] = scan_seconds,
    ) -> None:
        self.config = config
        # The usage service's audit log and database (None in tools that run the stage alone: blocks
        # are then logged as not recorded, and overrides are unavailable).
        self.audit = audit
        self.database = database
        self.subcall = subcall
        self._detector_factory = detector_factory or (
            lambda cfg: PhiDetector(disabled=cfg.disabled_types, extra_names=cfg.extra_names)
        )
        self._detectors: dict[tuple[tuple[str, ...], tuple[str, ...]], PhiDetector] = {}
        self._clock = clock
        self.overrides = overrides or OverrideStore(
            lambda: self.database,
            lambda: self.audit,
            max_hours=lambda: self.config.current.section("safety", SafetyConfig).override_max_hours,
        )

    # -- configuration ------------------------------------------------------------------------------

    def warm(self) -> None:
        """Build the default PHI detector now, at start, instead of inside the first request that carries
        text: ~30 ms of lexicons and patterns, and the common-word frequencies the first lower-case chat
        text reads (``phi.zipf``; loading wordfreq's table there once cost ~170 ms inside a request that
        counted against the scan's 250 ms budget and could refuse the request under load)."""
        detector = self.detector(self.config.current.section("safety", SafetyConfig))
        detector.detect("Patient Jane Doe, DOB 01/02/1960, seen at 12 Main Street; call 555-123-4567.")
        detector.detect("hello from a short script")  # lower-case words: the common-word frequencies

    def detector(self, cfg: SafetyConfig, app_cfg: AppSafetyConfig | None = None) -> PhiDetector:
        disabled = tuple(sorted({*cfg.disabled_types, *(app_cfg.disabled_types if app_cfg else ())}))
        key = (disabled, tuple(cfg.extra_names))
        found = self._detectors.get(key)
        if found is None:
            effective = SafetyConfig(disabled_types=list(disabled), extra_names=list(cfg.extra_names))
            found = self._detectors[key] = self._detector_factory(effective)
        return found

    @staticmethod
    def phi_policy(settings: Settings, app: str) -> str:
        cfg = settings.section("safety", SafetyConfig)
        policy = settings.app(app).phi_policy or cfg.phi_policy
        if policy not in APP_PHI_POLICIES:
            raise SafetyCheckFailedError(
                f"The app's phi_policy {policy!r} is not block, redact, allow or off."
            )
        return policy

    def declare(self, settings: Settings) -> None:
        """Audit every app that declares ``phi_policy: off`` in these settings (called at start and on
        each config reload): turning the PHI scan off is a compliance decision, so the log names the
        app and the config file that made it."""
        audit = self.audit
        for app in phi_off_apps(settings):
            if audit is None:
                log.warning("audit log unavailable: phi_policy off for app %s not recorded", app)
                continue
            try:
                audit.record(
                    app=app,
                    action="phi_policy_off",
                    actor="config",
                    reason="the app declares it never handles patient data (apps.<app>.phi_policy: off)",
                    details={"source": settings.source},
                )
            except Exception as exc:
                log.error("audit write failed (%s) for phi_policy_off of %s", type(exc).__name__, app)

    # -- the stage ----------------------------------------------------------------------------------

    async def __call__(self, ctx: RequestContext, request: AnyRequest, call_next: Handler) -> Result:
        if ctx.internal:
            # The stage's own sub-requests (Llama Guard) carry already-redacted text.
            return await call_next(ctx, request)
        settings = ctx.settings
        cfg = settings.section("safety", SafetyConfig)
        app_cfg = settings.app_section(ctx.app.name, "safety", AppSafetyConfig)
        if self.phi_policy(settings, ctx.app.name) == "off":
            # The app declared it never handles patient data (audited at config load): no PHI scan, no
            # redaction, images and audio pass. Content safety still applies.
            if self._keeps_text(ctx, request):
                await self._keep_prompt(ctx, request, cfg, app_cfg, scanned=False)
            await self._score_prompt(ctx, request, cfg, app_cfg)
            result = await call_next(ctx, request)
            return await self._outbound(ctx, request, result, None, cfg, app_cfg)
        texts = _collect(request)
        spans = await self._scan(cfg, app_cfg, texts.values)

        found_types = sorted({s.type for per_text in spans for s in per_text})
        count = sum(len(per_text) for per_text in spans)
        vault: Vault | None = None
        if found_types or texts.unscannable:
            policy = app_policy = self.phi_policy(settings, ctx.app.name)
            trusted = policy == "allow" and self._all_trusted(ctx)
            if policy == "allow" and not trusted:
                policy = cfg.untrusted_allow
            if not trusted and texts.unscannable and cfg.unscannable == "refuse":
                await self._block(
                    ctx,
                    "phi",
                    "unscannable_content",
                    found_types,
                    policy,
                    "The request carries audio or images, which cannot be checked for PHI, and app "
                    f"'{ctx.app.name}' has phi_policy {app_policy}"
                    + (
                        " but may reach a provider not marked trusted_with_phi"
                        if app_policy == "allow"
                        else ""
                    )
                    + ". Such content is sent only when the app's phi_policy is allow and every provider "
                    "it may reach is trusted_with_phi, when safety.unscannable is allow, or past an "
                    f"admin override. Set apps.{ctx.app.name}.phi_policy: off if this app never handles "
                    "patient data.",
                )
            if found_types:
                tally = Tally(s.type for per in spans for s in per)
                for kind, n in tally.items():
                    _PHI_FOUND_CHILDREN(kind).inc(n)
                ctx.phi_types = found_types
                ctx.phi_counts = dict(tally)  # for the request log: how many of each type, never values
                if policy == "redact" and isinstance(request, SpeechRequest):
                    # Audio cannot be restored: redacted input would be spoken as "NAME 1". Only a
                    # trusted provider in the route may hear it; with none, the request is refused.
                    await self._speech_with_phi(ctx, found_types, app_policy)
                    policy = "speech"  # sent as is (to trusted targets only, or past an override)
                if policy == "block":
                    await self._block(
                        ctx,
                        "phi",
                        "phi_detected",
                        found_types,
                        policy,
                        "The request contains protected health information ("
                        + ", ".join(found_types)
                        + ") and the app's PHI policy is block.",
                    )
                    ctx.phi_redactions = 0  # passed by an override: sent as is
                elif policy == "redact":
                    vault = ctx.state.get(VAULT_STATE_KEY) or Vault()
                    ctx.state[VAULT_STATE_KEY] = vault
                    for value, setter, per_text in zip(texts.values, texts.setters, spans, strict=True):
                        if per_text:
                            setter(vault.redact(value, per_text))
                    ctx.phi_redactions = count

            if found_types and vault is None:
                # PHI goes on unredacted (trusted targets, or an admin override): later stages must not
                # keep it (the cache stage skips storing such requests when it sees this flag).
                ctx.state[PHI_UNREDACTED_STATE_KEY] = True

        # Clean as it stands when nothing was found or all of it was redacted: no second scan needed.
        clean = not found_types or vault is not None
        if self._keeps_text(ctx, request):  # most apps keep no text: no coroutine for them
            await self._keep_prompt(ctx, request, cfg, app_cfg, scanned=clean)
        await self._score_prompt(ctx, request, cfg, app_cfg)
        result = await call_next(ctx, request)
        return await self._outbound(ctx, request, result, vault, cfg, app_cfg)

    # -- PHI ----------------------------------------------------------------------------------------

    async def scan(self, settings: Settings, app: str, texts: list[str]) -> list[list[Span]]:
        """Spans per text with the app's detector settings, failing closed like the pipeline does
        (used by ``POST /v1/safety/scan``)."""
        cfg = settings.section("safety", SafetyConfig)
        return await self._scan(cfg, settings.app_section(app, "safety", AppSafetyConfig), texts)

    async def _scan(self, cfg: SafetyConfig, app_cfg: AppSafetyConfig, values: list[str]) -> list[list[Span]]:
        """Spans per text, or SafetyCheckFailedError: never an unscanned pass.

        The time limit is ``detect_timeout_ms`` of detector CPU per ``TIMEOUT_UNIT_CHARS`` of text (so a
        big embeddings batch gets a proportional allowance), measured on the scanning thread's CPU
        clock without garbage collection (``cpu_clock``): load on the machine or the process does not
        refuse a scan, a scan that runs away does. It is enforced during the scan: the detector checks
        a ``Deadline`` between its passes and stops there (it used to be checked only once the scan had
        returned, so a pathological input froze the event loop until the worker was killed). Inputs
        above ``inline_limit_chars`` are scanned in a thread, so the event loop keeps serving others."""
        if not values:
            return []
        detector = self.detector(cfg, app_cfg)
        chars = sum(len(v) for v in values)
        limit_s = cfg.detect_timeout_ms / 1000.0 * max(1.0, chars / TIMEOUT_UNIT_CHARS)

        def timed_scan() -> tuple[list[list[Span]], float]:
            # On the scanning thread: the deadline is that thread's CPU clock (less collections).
            if self._clock is scan_seconds:
                clock = ScanClock(limit_s)  # the same clock, read only when the limit may be near
                spans = detector.detect_many(values, Deadline(limit_s, clock.elapsed))
                return spans, clock.elapsed()
            started = self._clock()  # a clock given to the stage (tests simulate slow scans with one)
            spans = detector.detect_many(values, Deadline(limit_s, scan_seconds))
            return spans, self._clock() - started

        try:
            if chars > cfg.inline_limit_chars:
                # Big inputs (documents for embeddings) run in a thread so the event loop keeps serving;
                # the wall-clock bound refuses a scan that has not finished long after its allowance.
                async with asyncio.timeout(limit_s * _WALL_CLOCK_FACTOR):  # wait_for can lose a cancel
                    spans, spent = await asyncio.to_thread(timed_scan)
            else:
                spans, spent = timed_scan()
            if spent > limit_s:
                raise TimeoutError
            return spans
        except (TimeoutError, DetectionTimeout) as exc:
            SAFETY_FAILURES.labels("phi_timeout").inc()
            raise SafetyCheckFailedError(
                f"PHI detection took longer than its limit ({limit_s * 1000:g} ms for {chars:,} "
                "characters, safety.detect_timeout_ms); the request was refused, not sent unscanned.",
                code="phi_detection_timeout",
            ) from exc
        except Exception as exc:
            SAFETY_FAILURES.labels("phi_error").inc()
            log.error("PHI detection failed (%s); request refused", type(exc).__name__)
            raise SafetyCheckFailedError(
                "PHI detection failed; the request was refused, not sent unscanned.",
                code="phi_detection_failed",
            ) from exc

    # -- the request log's text (opt-in per app: core.request_text) ---------------------------------

    @staticmethod
    def _keeps_text(ctx: RequestContext, request: AnyRequest) -> bool:
        return (
            not ctx.internal and isinstance(request, ChatRequest) and stores_text(ctx.settings, ctx.app.name)
        )

    async def _for_log(self, cfg: SafetyConfig, app_cfg: AppSafetyConfig, text: str) -> str | None:
        """``text`` as the request log may keep it: scanned and redacted *whatever the app's PHI policy*
        (under allow/off, or past an override, the text went out unredacted; an answer may carry PHI
        the model wrote itself), then capped. None when the scan
        fails: unscanned text is never stored."""
        text = text[: 4 * MAX_TEXT_CHARS]  # bounds the scan; the cap below keeps a quarter of it
        try:
            spans = await self._scan(cfg, app_cfg, [text])
        except SafetyCheckFailedError:
            return None
        return cap(Vault().redact(text, spans[0]) if spans else text)

    async def _keep_prompt(
        self,
        ctx: RequestContext,
        request: AnyRequest,
        cfg: SafetyConfig,
        app_cfg: AppSafetyConfig,
        *,
        scanned: bool,
    ) -> None:
        """``scanned``: the request's texts were scanned and hold no PHI value any more (none found, or
        all redacted), so they are kept as they are; otherwise (policy off, allow, an override) the
        copy for the log is scanned and redacted here."""
        if self._keeps_text(ctx, request) and isinstance(request, ChatRequest):
            prompt = render_messages(request.messages)
            ctx.log_prompt = cap(prompt) if scanned else await self._for_log(cfg, app_cfg, prompt)

    def _keep_streamed_answer(
        self, ctx: RequestContext, stream: ChunkStream, cfg: SafetyConfig, app_cfg: AppSafetyConfig
    ) -> None:
        """Collect the streamed answer before its placeholders are restored; redact it when the stream
        ends (or is cut off), before the usage record is written (the record stage closes after us)."""
        seen: list[str] = []
        size = [0]

        async def tap(source: AsyncIterator[ChatChunk]) -> AsyncIterator[ChatChunk]:
            async for chunk in source:
                if size[0] < 4 * MAX_TEXT_CHARS:
                    piece = chunk.text
                    seen.append(piece)
                    size[0] += len(piece)
                yield chunk

        async def settle(error: BaseException | None) -> None:
            if seen:
                ctx.log_answer = await self._for_log(cfg, app_cfg, "".join(seen))

        stream.map(tap)
        stream.on_close(settle)

    async def _speech_with_phi(self, ctx: RequestContext, found_types: list[str], app_policy: str) -> None:
        """Text-to-speech input holds PHI and the policy is redact: keep only the route's targets on
        providers marked ``trusted_with_phi`` (they get the text as written), or refuse with a 422 that
        names the policy. A spoken answer cannot have its placeholders restored, so redacting would make
        the audio say "NAME 1" to the patient."""
        providers = ctx.settings.providers
        trusted = [
            t for t in ctx.targets if (p := providers.get(t.provider)) is not None and p.trusted_with_phi
        ]
        if trusted:
            ctx.targets = trusted
            ctx.route_reason = ((ctx.route_reason or "") + "; PHI in speech: trusted providers only")[:300]
            return
        await self._block(
            ctx,
            "phi",
            "phi_in_speech",
            found_types,
            app_policy,
            "The text to speak contains protected health information ("
            + ", ".join(found_types)
            + f") and app '{ctx.app.name}' has phi_policy {app_policy}, but no provider on this model's "
            "route is marked trusted_with_phi. Speech cannot be redacted (the audio would say the "
            "placeholders, and a spoken answer cannot be restored), so it was not sent. Remove the "
            "identifiers, or route text-to-speech to a provider marked trusted_with_phi.",
        )

    def _all_trusted(self, ctx: RequestContext) -> bool:
        """True when every target this request may reach, fallbacks included, is trusted with PHI."""
        targets: list[Target] = ctx.targets
        if not targets:
            # The routing stage runs before this one and always sets the chain (pinned in the stage-order
            # test); without it nothing is provably trusted, so fail closed.
            return False
        providers = ctx.settings.providers
        return all((p := providers.get(t.provider)) is not None and p.trusted_with_phi for t in targets)

    async def _block(
        self,
        ctx: RequestContext,
        kind: str,
        code: str,
        phi_types: list[str],
        policy: str,
        message: str,
        categories: list[str] | None = None,
    ) -> None:
        """Refuse (PolicyBlockedError) unless an override applies; audit either way."""
        try:
            override = await self.overrides.consume(app=ctx.app.name, kind=kind, override_id=ctx.override_id)
        except Exception as exc:  # an override lookup failing must not let the request through
            log.error("override lookup failed (%s); the block stands", type(exc).__name__)
            override = None
        if override is not None:
            await self._audit(
                ctx, "override_used", phi_types, override=override, code=code, categories=categories
            )
            return
        SAFETY_BLOCKS.labels(kind).inc()
        ctx.safety = "blocked"
        await self._audit(ctx, f"{kind}_block", phi_types, code=code, policy=policy, categories=categories)
        detail: dict[str, Any] = {"request_id": ctx.request_id}
        if phi_types:
            detail["phi_types"] = phi_types
        if categories:
            detail["safety_categories"] = categories
        raise PolicyBlockedError(message, code=code, detail=detail)

    async def _audit(
        self,
        ctx: RequestContext,
        action: str,
        phi_types: list[str],
        *,
        override: OverrideInfo | None = None,
        code: str | None = None,
        policy: str | None = None,
        categories: list[str] | None = None,
    ) -> None:
        audit = self.audit
        if audit is None:
            log.warning(
                "audit log unavailable: %s for app %s (request %s) not recorded",
                action,
                ctx.app.name,
                ctx.request_id,
            )
            return
        details: dict[str, Any] = {"code": code}
        if policy:
            details["policy"] = policy
        if categories:
            details["safety_categories"] = categories
        if override is not None:
            details["override_id"] = override.id
        try:
            await audit.write(
                app=ctx.app.name,
                action=action,
                actor=override.granted_by if override is not None else (ctx.app.key_id or ctx.user),
                request_id=ctx.request_id,
                reason=override.reason if override is not None else None,
                phi_types=phi_types or None,
                details=details,
            )
        except Exception as exc:
            log.error("audit write failed (%s) for %s", type(exc).__name__, action)

    # -- content safety -----------------------------------------------------------------------------

    def _content_mode(self, cfg: SafetyConfig, app_cfg: AppSafetyConfig) -> str:
        mode = app_cfg.content.mode or cfg.content.mode
        if mode == "auto":
            mode = "guard" if cfg.content.guard_model and self.subcall is not None else "local"
        if mode == "guard" and (not cfg.content.guard_model or self.subcall is None):
            mode = "local"
        return mode

    def _action(self, cfg: SafetyConfig, app_cfg: AppSafetyConfig, category: str) -> str:
        return (
            app_cfg.content.actions.get(category)
            or cfg.content.actions.get(category)
            or cfg.content.default_action
        )

    async def _verdict(
        self, ctx: RequestContext, cfg: SafetyConfig, mode: str, text: str, messages: list[Message]
    ) -> Verdict:
        if mode == "guard" and self.subcall is not None and cfg.content.guard_model:
            try:
                return await guard_check(self.subcall, ctx, cfg.content.guard_model, messages)
            except (AIWorkersError, GuardError) as exc:
                SAFETY_FAILURES.labels("guard").inc()
                if cfg.content.on_guard_error == "refuse":
                    raise SafetyCheckFailedError(
                        "Content safety scoring failed; the request was refused.", code="guard_failed"
                    ) from exc
                log.warning("Llama Guard unavailable (%s); using the local check", type(exc).__name__)
        return local_check(text)

    async def _apply_verdict(
        self, ctx: RequestContext, verdict: Verdict, cfg: SafetyConfig, app_cfg: AppSafetyConfig, where: str
    ) -> None:
        if verdict.safe:
            _note_safe(ctx)
            return
        acted = [(c, self._action(cfg, app_cfg, c)) for c in verdict.categories]
        flagged = [c for c, a in acted if a != "ignore"]
        for code in flagged:
            if code not in ctx.safety_categories:
                ctx.safety_categories.append(code)
        blocking = [c for c, a in acted if a == "block"]
        if blocking:
            names = ", ".join(f"{c} {CATEGORY_NAMES.get(c, c)}" for c in blocking)
            await self._block(
                ctx,
                "safety",
                "content_blocked",
                ctx.phi_types,
                "content",
                f"The {where} was refused by the content-safety policy ({names}).",
                categories=blocking,
            )
        for code in flagged:
            SAFETY_FLAGS.labels(code).inc()
        ctx.safety = "flagged" if flagged else (ctx.safety or "safe")

    async def _score_prompt(
        self, ctx: RequestContext, request: AnyRequest, cfg: SafetyConfig, app_cfg: AppSafetyConfig
    ) -> None:
        if not isinstance(request, ChatRequest) or not request.messages:
            return
        mode = self._content_mode(cfg, app_cfg)
        if mode == "off":
            return
        last = _last_user_text(request)
        if mode == "guard":
            verdict = await self._verdict(ctx, cfg, mode, last, [Message(role="user", content=last)])
        else:
            verdict = local_check(last)  # what _verdict answers in local mode, without its coroutine
        if verdict.safe:
            _note_safe(ctx)
        else:
            await self._apply_verdict(ctx, verdict, cfg, app_cfg, "prompt")

    @staticmethod
    def _scan_answers(cfg: SafetyConfig, app_cfg: AppSafetyConfig) -> bool:
        value = app_cfg.content.scan_answers
        return cfg.content.scan_answers if value is None else value

    def _flag_stream(self, ctx: RequestContext, stream: ChunkStream) -> None:
        """A streamed answer cannot be withheld once sent, so it is only *flagged*: the local check runs
        over the (still redacted) text when the stream ends, before the usage record is written."""
        seen: list[str] = []
        size = [0]

        async def watch(source: AsyncIterator[ChatChunk]) -> AsyncIterator[ChatChunk]:
            async for chunk in source:
                if size[0] < _STREAM_SCAN_LIMIT:
                    piece = chunk.text
                    seen.append(piece)
                    size[0] += len(piece)
                yield chunk

        def settle(error: BaseException | None) -> None:
            verdict = local_check("".join(seen))
            if not verdict.safe:
                for code in verdict.categories:
                    SAFETY_FLAGS.labels(code).inc()
                    if code not in ctx.safety_categories:
                        ctx.safety_categories.append(code)
                ctx.safety = "flagged"

        stream.map(watch)
        stream.on_close(settle)

    # -- the way out --------------------------------------------------------------------------------

    async def _outbound(
        self,
        ctx: RequestContext,
        request: AnyRequest,
        result: Result,
        vault: Vault | None,
        cfg: SafetyConfig,
        app_cfg: AppSafetyConfig,
    ) -> Result:
        if isinstance(result, ChunkStream):
            if self._keeps_text(ctx, request):
                self._keep_streamed_answer(ctx, result, cfg, app_cfg)
            if self._scan_answers(cfg, app_cfg) and self._content_mode(cfg, app_cfg) != "off":
                self._flag_stream(ctx, result)
            if vault is not None and len(vault):
                result.map(lambda source: restore_stream(source, vault))
            return result
        if isinstance(result, ChatResponse):
            mode = self._content_mode(cfg, app_cfg)
            if (
                self._scan_answers(cfg, app_cfg)
                and mode != "off"
                and isinstance(request, ChatRequest)
                and result.choices
            ):
                answer = result.text  # still redacted: the guard never sees PHI
                if mode == "guard":
                    messages = [
                        Message(role="user", content=_last_user_text(request)),
                        Message(role="assistant", content=answer),
                    ]
                    verdict = await self._verdict(ctx, cfg, mode, answer, messages)
                else:
                    verdict = local_check(answer)
                if verdict.safe:
                    _note_safe(ctx)
                else:
                    await self._apply_verdict(ctx, verdict, cfg, app_cfg, "answer")
            if self._keeps_text(ctx, request) and result.choices:
                ctx.log_answer = await self._for_log(cfg, app_cfg, result.text)  # before restoring
            if vault is not None and len(vault):
                return _restored_response(result, vault)
            return result
        if isinstance(result, RerankResponse) and vault is not None and len(vault):
            return _restored_rerank(result, vault)
        return result


# The restored answer is a new object: the one the inner stages returned keeps its placeholders, since
# they may still hold it (the cache stage stores the redacted answer), and the originals belong to this
# request only.


def _restored_response(response: ChatResponse, vault: Vault) -> ChatResponse:
    choices = []
    for choice in response.choices:
        message = choice.message
        content = vault.restore(message.content) if message.content else message.content
        message = msgspec.structs.replace(
            message, content=content, tool_calls=restore_tool_calls(message.tool_calls, vault)
        )
        choices.append(msgspec.structs.replace(choice, message=message))
    return msgspec.structs.replace(response, choices=choices)


def _restored_rerank(response: RerankResponse, vault: Vault) -> RerankResponse:
    results = [
        msgspec.structs.replace(
            item, document=msgspec.structs.replace(item.document, text=vault.restore(item.document.text))
        )
        if item.document is not None
        else item
        for item in response.results
    ]
    return msgspec.structs.replace(response, results=results)
