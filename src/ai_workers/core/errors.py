"""One exception hierarchy for the library and the server.

Each error knows the HTTP status and OpenAI error ``type``/``code`` it maps to, so the server turns any
of them into OpenAI's error JSON without a lookup table, and library users catch the same classes the
server would have answered with.
"""

from __future__ import annotations

from typing import Any

from ai_workers.core.types import Attempt


class AIWorkersError(Exception):
    """Base class. ``status`` is the HTTP status the gateway answers with."""

    status: int = 500
    type: str = "api_error"
    code: str | None = None

    def __init__(self, message: str, *, param: str | None = None, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.param = param
        if code is not None:
            self.code = code

    def headers(self) -> dict[str, str]:
        return {}

    def to_openai(self) -> dict[str, Any]:
        """OpenAI's error envelope: ``{"error": {"message", "type", "param", "code"}}``."""
        return {"error": {"message": self.message, "type": self.type, "param": self.param, "code": self.code}}


class ConfigurationError(AIWorkersError):
    """Something the operator must set is missing, e.g. a provider credential's environment variable."""

    status = 503
    type = "configuration_error"
    code = "provider_not_configured"


class DatabaseUnavailableError(AIWorkersError):
    """The database did not answer within its statement timeout (frozen, overloaded or unreachable)."""

    status = 503
    type = "api_error"
    code = "database_unavailable"

    def headers(self) -> dict[str, str]:
        return {"Retry-After": "5"}


class InternalTimeoutError(AIWorkersError):
    """Something inside the gateway (not the database, not an upstream) did not finish in time."""

    status = 504
    type = "api_error"
    code = "internal_timeout"


class InvalidRequestError(AIWorkersError):
    status = 400
    type = "invalid_request_error"
    code = "invalid_request"


class ModelNotFoundError(InvalidRequestError):
    status = 404
    code = "model_not_found"


class UnsupportedCapabilityError(InvalidRequestError):
    code = "unsupported_capability"


class PayloadTooLargeError(InvalidRequestError):
    status = 413
    code = "payload_too_large"


class AuthenticationError(AIWorkersError):
    status = 401
    type = "authentication_error"
    code = "invalid_api_key"


class PermissionDeniedError(AIWorkersError):
    status = 403
    type = "permission_error"
    code = "permission_denied"


class RateLimitError(AIWorkersError):
    status = 429
    type = "rate_limit_error"
    code = "rate_limit_exceeded"

    def __init__(self, message: str, *, retry_after: float | None = None, code: str | None = None) -> None:
        super().__init__(message, code=code)
        self.retry_after = retry_after

    def headers(self) -> dict[str, str]:
        if self.retry_after is None:
            return {}
        return {"Retry-After": str(max(1, int(self.retry_after + 0.999)))}


class BudgetExceededError(RateLimitError):
    """A hard budget is used up; the message names the budget and when it resets."""

    code = "budget_exceeded"

    def __init__(
        self, message: str, *, budget: str, resets_at: str, retry_after: float | None = None
    ) -> None:
        super().__init__(message, retry_after=retry_after)
        self.budget = budget
        self.resets_at = resets_at


class PolicyBlockedError(AIWorkersError):
    """The app's PHI or content-safety policy refused the request (not retryable, not the caller's typo)."""

    status = 422
    type = "policy_violation"
    code = "blocked_by_policy"

    def __init__(
        self, message: str, *, code: str | None = None, detail: dict[str, Any] | None = None
    ) -> None:
        super().__init__(message, code=code)
        self.detail = detail or {}

    def to_openai(self) -> dict[str, Any]:
        body = super().to_openai()
        body["error"].update(self.detail)
        return body


class SafetyCheckFailedError(AIWorkersError):
    """PHI detection or safety scoring itself failed: the request is refused, never sent unscanned."""

    status = 503
    type = "safety_check_failed"
    code = "fail_closed"


class ProviderError(AIWorkersError):
    """One failed call to one provider. ``kind`` decides whether the resilience layer retries it.

    kinds: ``rate_limit`` (429), ``server`` (5xx), ``timeout``, ``connection``, ``bad_response``
    (malformed body), ``stream_cut`` (stream ended without its terminator), ``client`` (other 4xx),
    ``auth`` (401/403 from upstream: our credential is wrong, not the caller's).
    """

    status = 502
    type = "upstream_error"
    RETRYABLE = frozenset({"rate_limit", "server", "timeout", "connection", "bad_response"})

    def __init__(
        self,
        message: str,
        *,
        provider: str,
        model: str,
        kind: str,
        upstream_status: int | None = None,
        retry_after: float | None = None,
        upstream_code: int | str | None = None,
    ) -> None:
        super().__init__(message, code=kind)
        self.provider = provider
        self.model = model
        self.kind = kind
        self.upstream_status = upstream_status
        self.retry_after = retry_after
        self.upstream_code = upstream_code

    @property
    def retryable(self) -> bool:
        return self.kind in self.RETRYABLE


class UpstreamFailedError(AIWorkersError):
    """Every target in the fallback chain failed after retries. ``attempts`` says what was tried."""

    type = "upstream_error"
    code = "upstream_failed"

    def __init__(
        self,
        message: str,
        *,
        attempts: list[Attempt],
        last: ProviderError | None = None,
        unavailable_for: float | None = None,
    ) -> None:
        super().__init__(message)
        self.attempts = attempts
        self.last = last
        self.retry_after: float | None = None
        if unavailable_for is not None:
            # Nothing was called: every target's circuit is open for about this many more seconds.
            self.status, self.code = 503, "upstream_unavailable"
            self.retry_after = unavailable_for
        elif last is not None and last.kind == "rate_limit":
            self.status, self.type, self.code = 429, "rate_limit_error", "upstream_rate_limited"
            self.retry_after = last.retry_after
        elif last is not None and last.kind == "timeout":
            self.status = 504
        elif last is not None and last.kind == "client":
            # The upstream rejected the request itself (e.g. context too long): the caller's to fix.
            self.status, self.type, self.code = 400, "invalid_request_error", "upstream_rejected"
        else:
            self.status = 502

    def headers(self) -> dict[str, str]:
        if self.retry_after is None:
            return {}
        return {"Retry-After": str(max(1, int(self.retry_after + 0.999)))}

    def to_openai(self) -> dict[str, Any]:
        body = super().to_openai()
        body["error"]["attempts"] = [
            {"provider": a.provider, "model": a.model, "status": a.status, "error": a.error_kind}
            for a in self.attempts
        ]
        return body
