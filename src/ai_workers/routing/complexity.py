"""Complexity scoring: how hard is this chat request, in routing tiers (simple / medium / complex)?

The router only sees the request, never an answer, so it scores cues a person would use to pick a
model: how long the prompt is, whether it asks for code, maths or multi-step reasoning, how much output
it wants, how deep the conversation is, and whether it carries tools or images (which narrow the
candidate models rather than raise the tier much).

``Router`` is the interface the routing stage depends on. ``HeuristicRouter`` is a fast, dependency-free
implementation (a few precompiled regexes over a bounded slice of text: tens of microseconds, see
bench/simulate_workload.py). A learned router, e.g. a RouteLLM-style classifier over prompt embeddings,
implements the same ``classify`` method and is selected with ``routing.router`` in config.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from ai_workers.core.types import ChatRequest, Message

DEFAULT_TIERS = ("simple", "medium", "complex")
# Score boundaries: a score below the first is "simple", below the second "medium", else "complex".
DEFAULT_THRESHOLDS = (1.5, 4.0)

# Only this much of a long message is scanned for cues (head and tail), so a 100 KB paste costs the
# same as an 8 KB one; its length still counts in full.
_SCAN_HEAD = 6000
_SCAN_TAIL = 2000
_CHARS_PER_TOKEN = 4.0
DEFAULT_OUTPUT_TOKENS = 400


@dataclass(frozen=True, slots=True)
class TierDecision:
    """The router's verdict: a tier, the score behind it, and why (short cue names, no prompt text)."""

    tier: str
    score: float
    reasons: tuple[str, ...] = ()
    needs: frozenset[str] = field(default_factory=frozenset)  # catalog features: vision, tools, json_mode
    input_tokens: int = 0  # estimated, for context-length and price checks
    output_tokens: int = DEFAULT_OUTPUT_TOKENS

    def explain(self) -> str:
        cues = ", ".join(self.reasons) if self.reasons else "no cues"
        return f"tier={self.tier} score={self.score:.1f} ({cues})"


class Router(Protocol):
    """Anything that can put a chat request into a tier. Must be fast: it runs on every auto request."""

    def classify(self, request: ChatRequest) -> TierDecision: ...


def _rx(*patterns: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


# -- cue patterns --------------------------------------------------------------------------------------
_CODE_BLOCK = re.compile(
    r"```|^\s{4,}\S.*[;{}():]\s*$|^\s*(?:def|class|import|from|function|const|let|var|"
    r"public|private|#include|SELECT|INSERT|UPDATE|CREATE)\b",
    re.MULTILINE,
)
_CODE_ASK = _rx(
    r"\b(?:write|implement|code|refactor|debug|fix|optimi[sz]e|port|translate)\b[^.?!\n]{0,60}\b(?:function|"
    r"class|script|program|code|method|api|endpoint|query|regex|algorithm|module|test|bug|component|parser|"
    r"server|cli|library)s?\b",
    r"\b(?:python|javascript|typescript|java|golang|rust|kotlin|swift|sql|bash|haskell|scala|ruby|php|react|"
    r"django|flask|pandas|numpy|node\.js|kubernetes|terraform|dockerfile|regex)\b",
    r"(?<!\w)(?:c\+\+|c#)(?!\w)",
    r"\b(?:stack ?trace|traceback|segfault|null pointer|compile error|unit tests?|big-?o|time complexity)\b",
)
_HARD_ENGINEERING = _rx(
    r"\b(?:concurren\w+|thread-?safe|lock-?free|distributed|consensus|raft|paxos|race conditions?|deadlocks?|"
    r"scalab\w+|sharding|partitioning|fault-?toleran\w+|architecture|microservices?|compiler|interpreter|"
    r"garbage collect\w*|memory leak|memory-efficient|multi-gigabyte|zero-downtime|exactly-once|"
    r"event sourcing|cryptograph\w+|encryption|disaster recovery|failover|dynamic programming|np-hard|"
    r"b-?trees?|red-black|skip ?lists?|ring buffer|memory ordering|property-based|query plan|"
    r"security vulnerabilit\w+|injection|hl7|fhir)\b",
)
_MATH_HEAVY = _rx(
    r"\b(?:prove|proof|theorem|lemma|corollary|show that|derive|derivation|by induction|contradiction|"
    r"eigen\w*|integral|integrate|differential equation|converge\w*|topolog\w+|manifold|isomorphi\w+|"
    r"homomorphi\w+|bijection|irrational|infinitely many|asymptotic|closed[- ]form|rigorous\w*|"
    r"recurrence|inequality|posterior)\b",
    r"\\(?:frac|int|sum|forall|exists|mathbb|lim)|[∑∫∀∃∞≤≥]",
)
_MATH_LIGHT = _rx(
    r"\b(?:calculate|compute|percent(?:age)?|average|median|probability|how many|solve|equation|convert|"
    r"interest|compounded|loan|ratio)\b",
    r"\d+\s*[-+*/^×÷]\s*\d+|\d\s*%",
)
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
_REASONING = _rx(
    r"\bstep[- ]by[- ]step\b",
    r"\b(?:plan|planning|strategy|strategies|roadmap|trade-?offs?|pros and cons|compare|comparing|contrast|"
    r"evaluat\w+|analy[sz]\w+|critique|critical\w*|assess\w*|justify\w*|recommend\w*|prioriti[sz]\w+|"
    r"design|root cause|diagnos\w+|differential|implications?|weigh|decide|decision|scenarios?|"
    r"hypothes\w+|reconcile|negotiat\w+|argue|counter-?arguments?|business case|risk assessment|migration|"
    r"second-order|propose|mitigations?|should (?:we|i))\b",
)
_MULTI_PART = re.compile(r"^\s*(?:\d+[.)]|[-*•])\s+\S", re.MULTILINE)
_LONG_OUTPUT = _rx(
    r"\b(?:detailed|comprehensive|in[- ]depth|thorough|exhaustive|long-form|extensive)\b",
    r"\b(?:write|produce|draft|create|prepare|generate)\b[^.?!\n]{0,40}\b(?:essay|report|white ?paper|"
    r"chapter|specification|proposal)\b",
    r"\b(?:[3-9]|[1-9]\d)\s*(?:pages|sections|paragraphs)\b",
)
_MANY_WORDS = re.compile(r"\b(\d{3,5})\s*(?:words|tokens)\b", re.IGNORECASE)
# Composing or explaining something (more than a lookup): the usual medium-tier work.
_COMPOSE = _rx(
    r"\b(?:write|draft|compose|create|prepare|outline)\b[^.?!\n]{0,50}\b(?:email|letter|post|blog|"
    r"description|message|memo|article|story|poem|essay|speech|proposal|announcement|newsletter|policy|"
    r"guide|checklist|outline|session|lesson|plan|versions?|script|summary|faq|agenda|report)s?\b",
    r"\b(?:explain|describe|walk me through|how does|how do(?! you say)|why does|why do|teach me)\b",
    r"\b(?:give me|list|suggest|brainstorm|generate)\s+(?:\w+\s+){0,3}(?:ideas|questions|examples|options|"
    r"names|taglines|versions|tips)\b",
)
_GREETING = _rx(
    r"^\s*(?:hi|hello|hey|thanks|thank you|good (?:morning|afternoon|evening)|ok|okay|yes|no|cool|lol)\b"
)
_SIMPLE = _rx(
    r"\b(?:what(?:'s| is) the (?:capital|date|time|weather|population|meaning)|define|definition of|synonym|"
    r"antonym|spell|translate|rephrase|reword|fix (?:the )?(?:grammar|typos?|spelling)|tl;?dr|one word|"
    r"one sentence|briefly|short answer|yes or no|true or false|who (?:is|was|wrote)|when (?:is|was|did)|"
    r"where is|how do you say)\b",
)
_SUMMARISE = _rx(
    r"\b(?:summari[sz]e|summary|condense|extract|list the|identify|classify|categori[sz]e|tag|label)\b"
)
_CLAUSE_COMMA = re.compile(r",\s*[^\W\d]")  # a comma before a word, not inside a list of numbers


def _scan_text(text: str) -> str:
    if len(text) <= _SCAN_HEAD + _SCAN_TAIL:
        return text
    return text[:_SCAN_HEAD] + "\n" + text[-_SCAN_TAIL:]


def _last_user(messages: Sequence[Message]) -> Message | None:
    for message in reversed(messages):
        if message.role == "user":
            return message
    return None


class HeuristicRouter:
    """Additive cue scores mapped to tiers by thresholds.

    Weights were set by hand against ``tests/data/routing/labelled_prompts.jsonl``; the agreement figure
    is printed by ``python bench/router_agreement.py``. Each cue adds points; a few (a greeting, a
    one-line lookup, a small ``max_tokens``) take points away. Tools and images add a little but mainly
    become ``needs`` that restrict which models may serve the tier.
    """

    def __init__(
        self, tiers: Sequence[str] = DEFAULT_TIERS, thresholds: Sequence[float] = DEFAULT_THRESHOLDS
    ) -> None:
        if len(thresholds) != len(tiers) - 1 or list(thresholds) != sorted(thresholds):
            raise ValueError("need one ascending threshold between each pair of tiers")
        self.tiers = tuple(tiers)
        self.thresholds = tuple(thresholds)

    def classify(self, request: ChatRequest) -> TierDecision:
        messages = request.messages
        last = _last_user(messages)
        text = last.text() if last is not None else ""
        scan = _scan_text(text)
        total_chars = sum(len(m.text()) for m in messages)
        input_tokens = int(total_chars / _CHARS_PER_TOKEN) + 4 * len(messages)
        last_tokens = len(text) / _CHARS_PER_TOKEN

        score = 0.0
        reasons: list[str] = []
        needs: set[str] = set()

        def add(points: float, reason: str) -> None:
            nonlocal score
            score += points
            reasons.append(reason)

        # Length of what was asked now, and of everything the model must read.
        if last_tokens > 3000:
            add(1.5, "long input")
        elif last_tokens > 600:
            add(1.0, "long input")
        elif last_tokens > 150:
            add(0.5, "medium input")

        # Code: asking for code matters more than pasting some; hard engineering on top is complex work.
        code_ask = _CODE_ASK.search(scan) is not None
        code_block = _CODE_BLOCK.search(scan) is not None
        hard_eng = len({m.group(0).lower() for m in _HARD_ENGINEERING.finditer(scan)})
        if code_ask or code_block:
            add(2.0 if code_ask else 1.0, "code")
            if hard_eng:
                add(2.5, "hard engineering")
        elif hard_eng:
            add(1.5 if hard_eng == 1 else 2.5, "systems design")

        if _MATH_HEAVY.search(scan):
            add(4.0, "maths proof")
        elif _MATH_LIGHT.search(scan):
            numbers = len(_NUMBER.findall(scan[:2000]))
            add(1.75 if numbers >= 3 else 0.75, "word problem" if numbers >= 3 else "arithmetic")

        reasoning_cues = len({m.group(0).lower() for m in _REASONING.finditer(scan)})
        if reasoning_cues:
            add(min(5.0, 1.5 + 1.25 * (reasoning_cues - 1)), "multi-step reasoning")

        if _COMPOSE.search(scan):
            add(1.5, "compose/explain")

        # Several asks in one: bullet lists, several questions, or a list of required parts in the
        # instruction itself (its first few hundred characters, not a pasted document's commas).
        head = scan[:400]
        questions = max(0, scan.count("?") - 1)
        parts = len(_MULTI_PART.findall(scan)) + questions + len(_CLAUSE_COMMA.findall(head))
        if parts >= 3:
            add(min(2.5, 0.75 * (parts - 1)), "multi-part")

        if _SUMMARISE.search(scan):
            add(0.5, "summarise/extract")

        # Output size: asked for in words, or via max_tokens.
        limit = request.output_limit()
        if _LONG_OUTPUT.search(scan):
            add(1.5, "long output")
        words = _MANY_WORDS.search(scan)
        if words is not None and int(words.group(1)) >= 1000:
            add(1.0, "long output")
        if limit is not None:
            if limit >= 2000:
                add(1.0, "large max_tokens")
            elif limit <= 64:
                add(-1.0, "small max_tokens")
        output_tokens = min(limit, 4096) if limit is not None else DEFAULT_OUTPUT_TOKENS

        turns = sum(1 for m in messages if m.role in ("user", "assistant"))
        if turns >= 12:
            add(2.0, "deep conversation")
        elif turns >= 6:
            add(1.5, "conversation")

        if request.tools:
            needs.add("tools")
            add(1.5, "tools")
        if any(m.has_image() for m in messages):
            needs.add("vision")
            add(1.0, "image")
        if request.response_format and request.response_format.get("type") in ("json_object", "json_schema"):
            needs.add("json_mode")
            add(0.5, "json output")

        if score < 2.0 and not request.tools:
            if len(text) < 40 and _GREETING.search(text):
                add(-1.0, "chit-chat")
            elif _SIMPLE.search(scan[:400]):
                add(-1.0, "simple lookup")

        tier = self.tiers[-1]
        for name, bound in zip(self.tiers, self.thresholds, strict=False):
            if score < bound:
                tier = name
                break
        return TierDecision(
            tier=tier,
            score=score,
            reasons=tuple(reasons),
            needs=frozenset(needs),
            input_tokens=input_tokens,
            output_tokens=output_tokens,
        )
