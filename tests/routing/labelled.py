"""The labelled routing set: prompts with the tier a person would pick, turned into chat requests.

Each line of ``tests/data/routing/labelled_prompts.jsonl`` has ``tier``, ``category`` and ``prompt`` plus
optional shapes: ``doc_words`` (a document of that many words is pasted after the prompt),
``history`` (that many earlier turns), ``tools``, ``image``, ``json`` (JSON output) and ``max_tokens``.
The same requests feed the agreement test and ``bench/router_agreement.py``.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ai_workers.core.types import ChatRequest, ContentPart, ImageURL, Message
from ai_workers.routing.complexity import Router

DATA = Path(__file__).resolve().parents[1] / "data" / "routing" / "labelled_prompts.jsonl"

# Neutral filler for pasted documents: operational prose without routing cue words.
_FILLER = (
    "The clinic opened its new wing in March with twelve exam rooms and a shared waiting area. "
    "Staff reported that the check-in kiosks reduced queues at the front desk during mornings. "
    "Parking remained limited on weekdays, and several visitors arrived late because of it. "
    "The pharmacy extended its hours on Thursdays to serve patients who work evening shifts. "
    "Monthly visit volume rose slightly, while the share of telehealth visits stayed flat. "
    "Two nurses joined the team and completed orientation within their first fortnight. "
    "The lab changed courier schedules so that samples now leave the building twice a day. "
    "Feedback cards mentioned friendly reception staff and clean facilities most often. "
    "A water leak in the storage room was repaired and no supplies were lost. "
    "Flu vaccine stock arrived in September and was handed out at all three sites. "
)
_FILLER_WORDS = _FILLER.split()

WEATHER_TOOL: dict[str, Any] = {
    "type": "function",
    "function": {
        "name": "lookup",
        "description": "Look something up in the organisation's systems.",
        "parameters": {"type": "object", "properties": {"query": {"type": "string"}}, "required": ["query"]},
    },
}


@dataclass(frozen=True)
class LabelledPrompt:
    id: str
    tier: str
    category: str
    request: ChatRequest


def document(words: int) -> str:
    repeated = (_FILLER_WORDS * (words // len(_FILLER_WORDS) + 1))[:words]
    return " ".join(repeated)


def to_request(item: dict[str, Any], model: str = "auto") -> ChatRequest:
    text = item["prompt"]
    if item.get("doc_words"):
        text = f"{text}\n\n---\n{document(int(item['doc_words']))}"
    messages: list[Message] = [Message(role="system", content="You are a helpful assistant.")]
    for turn in range(int(item.get("history", 0))):
        if turn % 2 == 0:
            messages.append(
                Message(role="user", content=f"Here is another detail about the situation, number {turn}.")
            )
        else:
            messages.append(Message(role="assistant", content="Understood. I have noted that detail."))
    if item.get("image"):
        content: str | list[ContentPart] = [
            ContentPart(type="text", text=text),
            ContentPart(type="image_url", image_url=ImageURL(url="data:image/png;base64,iVBORw0KGgo=")),
        ]
    else:
        content = text
    messages.append(Message(role="user", content=content))
    return ChatRequest(
        model=model,
        messages=messages,
        max_tokens=item.get("max_tokens"),
        tools=[WEATHER_TOOL] if item.get("tools") else None,
        response_format={"type": "json_object"} if item.get("json") else None,
    )


def load(path: Path = DATA) -> list[LabelledPrompt]:
    out = []
    for line in path.read_text("utf-8").splitlines():
        if line.strip():
            item = json.loads(line)
            out.append(LabelledPrompt(item["id"], item["tier"], item["category"], to_request(item)))
    return out


@dataclass
class Agreement:
    total: int
    agreed: int
    confusion: Counter[tuple[str, str]]  # (labelled, predicted) -> count
    misses: list[tuple[str, str, str]]  # (id, labelled, predicted)

    @property
    def rate(self) -> float:
        return self.agreed / self.total if self.total else 0.0

    def table(self, tiers: tuple[str, ...] = ("simple", "medium", "complex")) -> str:
        lines = ["labelled \\ routed " + " ".join(f"{t:>8}" for t in tiers)]
        for want in tiers:
            lines.append(f"{want:>17} " + " ".join(f"{self.confusion[(want, got)]:>8}" for got in tiers))
        return "\n".join(lines)


def agreement(router: Router, prompts: list[LabelledPrompt]) -> Agreement:
    confusion: Counter[tuple[str, str]] = Counter()
    misses = []
    for p in prompts:
        got = router.classify(p.request).tier
        confusion[(p.tier, got)] += 1
        if got != p.tier:
            misses.append((p.id, p.tier, got))
    agreed = sum(v for (want, got), v in confusion.items() if want == got)
    return Agreement(len(prompts), agreed, confusion, misses)
