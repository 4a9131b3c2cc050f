"""What the request log may keep of a request's text: the per-app opt-in and the stored form.

Records hold counts and identifiers only unless an app opts in (``apps.<name>.request_log``):

    request_log: {store_text: true, retention_days: 7}

Then the record also carries the prompt and the answer, always PHI-redacted (placeholders such as
``[NAME_1]``, never the values: the safety stage scans whatever is stored, whatever the app's PHI
policy), each capped at ``MAX_TEXT_CHARS``, and a background purge clears the text once it is older
than ``retention_days`` (the record itself stays). Off by default: text is opt-in, never a default.
"""

from __future__ import annotations

from ai_workers.core.config import RequestLogConfig, Settings
from ai_workers.core.types import Message

MAX_TEXT_CHARS = 16 * 1024
TRUNCATED_MARK = "\n[… truncated by the gateway: longer than 16 KB]"


def config_for(settings: Settings, app: str) -> RequestLogConfig:
    """The app's section, or the default app's when it has none (as for every app policy)."""
    return settings.app(app).request_log


def stores_text(settings: Settings, app: str) -> bool:
    return config_for(settings, app).store_text


def cap(text: str) -> str:
    """``text`` cut to ``MAX_TEXT_CHARS`` with a visible mark when it was longer."""
    if len(text) <= MAX_TEXT_CHARS:
        return text
    return text[:MAX_TEXT_CHARS] + TRUNCATED_MARK


def is_truncated(text: str | None) -> bool:
    return bool(text) and text is not None and text.endswith(TRUNCATED_MARK)


def render_messages(messages: list[Message]) -> str:
    """A chat request as one readable text: ``role: content`` per message (text parts only)."""
    return "\n".join(f"{m.role}: {m.text()}" for m in messages)
