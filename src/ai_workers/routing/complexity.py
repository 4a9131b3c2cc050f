"""Complexity scoring: how hard is this chat request, in routing tiers (simple / medium / complex)?

The router only sees the request, never an answer, so it scores cues a person would use to pick a
model: how long the prompt is, whether it asks for code, maths or multi-step reasoning, how much output
it wants, how deep the conversation is, and whether it carries tools or images (which narrow the
candidate models rather than raise the tier much).

``Router`` is the interface the routing stage depends on. ``HeuristicRouter`` is a fast, dependency-free
implementation; a learned router, e.g. a RouteLLM-style classifier over prompt embeddings, implements
the same ``classify`` method and is selected with ``routing.router: "package.module:factory"``.

Speed: this runs on every ``model: "auto"`` request, so the text is tokenized once with one simple
regex and each distinct word is classified once per process (a memoised lookup in word sets and prefix
tuples). A first version matched a dozen alternation regexes against the text and took 10-30 ms on a
pasted 30 KB document (Python's ``re`` tries every alternative at every position); this one stays
well under a millisecond (see ``bench/simulate_workload.py``). Only the first 3,000 and last 1,000
characters of a long message are scanned for cues; its full length still counts.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from ai_workers.core.types import ChatRequest, Message

DEFAULT_TIERS = ("simple", "medium", "complex")
# Score boundaries: a score below the first is "simple", below the second "medium", else "complex".
DEFAULT_THRESHOLDS = (1.5, 4.0)

_SCAN_HEAD = 3000
_SCAN_TAIL = 1000
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


# -- vocabulary -----------------------------------------------------------------------------------------
# Each cue is a set of words, optional word prefixes (stems) and optional multi-word phrases (matched
# as substrings of the lower-cased text, which is a fast C-level search).


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


def _plural(text: str) -> frozenset[str]:
    words = text.split()
    return frozenset(words + [w + ("es" if w.endswith(("s", "x", "ch")) else "s") for w in words])


CODE_VERBS = _words("write implement code refactor debug fix optimise optimize port translate")
CODE_NOUNS = _plural(
    "function class script program code method api endpoint query regex algorithm module test bug component "
    "parser server cli library"
) | {"queries", "libraries"}
CODE_LANGS = _words(
    "python javascript typescript java golang rust kotlin swift sql bash haskell scala ruby php react django "
    "flask pandas numpy node.js kubernetes terraform dockerfile regex c++ c# stacktrace traceback segfault "
    "big-o"
)
CODE_PHRASES = ("stack trace", "null pointer", "compile error", "unit test", "time complexity")

HARD_ENG = _words(
    "concurrency concurrent thread-safe threadsafe lock-free distributed consensus raft paxos deadlock "
    "deadlocks sharding partitioning architecture microservice microservices compiler interpreter "
    "memory-efficient multi-gigabyte zero-downtime exactly-once encryption failover np-hard b-tree b-trees "
    "btree red-black skiplist property-based injection hl7 fhir fault-tolerant fault-tolerance"
)
HARD_ENG_PREFIXES = ("scalab", "cryptograph", "garbage-collect")
HARD_ENG_PHRASES = (
    "race condition", "garbage collect", "memory leak", "event sourcing", "disaster recovery",
    "dynamic programming", "skip list", "ring buffer", "memory ordering", "query plan",
    "security vulnerabilit", "fault toleran",
)  # fmt: skip

MATH_HEAVY = _words(
    "prove proof proofs theorem lemma corollary derive derivation contradiction integral integrate manifold "
    "bijection irrational asymptotic closed-form recurrence inequality posterior"
)
MATH_HEAVY_PREFIXES = ("eigen", "converge", "topolog", "isomorphi", "homomorphi", "rigorous")
MATH_HEAVY_PHRASES = ("show that", "by induction", "differential equation", "infinitely many", "closed form")
MATH_SYMBOLS = (
    "\\frac",
    "\\int",
    "\\sum",
    "\\forall",
    "\\exists",
    "\\mathbb",
    "\\lim",
    "∑",
    "∫",
    "∀",
    "∃",
    "∞",
)

MATH_LIGHT = _words(
    "calculate compute percent percentage average median probability solve equation convert interest "
    "compounded loan ratio"
)
MATH_LIGHT_PHRASES = ("how many",)
_ARITHMETIC = re.compile(r"\d\s*[-+*/^×÷]\s*\d|\d\s*%")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")

REASONING = _words(
    "step-by-step plan planning strategy strategies roadmap trade-off trade-offs tradeoff tradeoffs compare "
    "comparing contrast critique design differential implication implications weigh decide decision "
    "scenario scenarios reconcile argue counter-argument counter-arguments counterargument migration "
    "second-order propose mitigation mitigations"
)
REASONING_PREFIXES = (
    "evaluat", "analyz", "analys", "critical", "assess", "justif", "recommend", "prioriti", "diagnos",
    "hypothes", "negotiat",
)  # fmt: skip
REASONING_PHRASES = (
    "step by step", "pros and cons", "root cause", "business case", "risk assessment", "should we",
    "should i",
)  # fmt: skip

COMPOSE_VERBS = _words("write draft compose create prepare outline")
COMPOSE_NOUNS = _plural(
    "email letter post blog description message memo article story poem essay speech proposal announcement "
    "newsletter policy guide checklist outline session lesson plan version script summary faq agenda report"
)
EXPLAIN = _words("explain describe")
EXPLAIN_PHRASES = ("walk me through", "how does", "why does", "why do ", "teach me")
LIST_VERBS = _words("list suggest brainstorm generate give")
LIST_NOUNS = _words("ideas questions examples options names taglines versions tips")

LONG_ADJECTIVES = _words("detailed comprehensive in-depth thorough exhaustive long-form extensive")
LONG_PHRASES = ("in depth",)
LONG_VERBS = _words("write produce draft create prepare generate")
LONG_NOUNS = _words("essay report whitepaper chapter specification proposal") | {"white"}
LONG_UNITS = _words("pages sections paragraphs")
_MANY_WORDS = re.compile(r"\b(\d{3,5})[\s-]*(?:words|tokens|word)\b")

SUMMARISE = _words(
    "summarise summarize summary condense extract identify classify categorise categorize tag label"
)
SUMMARISE_PHRASES = ("list the",)

_GREETING = re.compile(
    r"^\s*(?:hi|hello|hey|thanks|thank you|good (?:morning|afternoon|evening)|ok|okay|yes|no|cool|lol)\b"
)
_SIMPLE = re.compile(
    r"\b(?:what(?:'s| is) the (?:capital|date|time|weather|population|meaning)|define|definition of|synonym|"
    r"antonym|spell|translate|rephrase|reword|fix (?:the )?(?:grammar|typos?|spelling)|tl;?dr|one word|"
    r"one sentence|briefly|short answer|yes or no|true or false|who (?:is|was|wrote)|when (?:is|was|did)|"
    r"where is|how do you say)\b"
)
_BULLET = re.compile(r"^\s*(?:\d+[.)]|[-*•])\s+\S", re.MULTILINE)
_CLAUSE_COMMA = re.compile(r",\s*[^\W\d]")  # a comma before a word, not inside a list of numbers
_CODE_BLOCK = re.compile(
    r"```|^\s{4,}\S.*[;{}():]\s*$|^\s*(?:def|class|import|from|function|const|let|var|"
    r"public|private|#include|SELECT|INSERT|UPDATE|CREATE)\b",
    re.MULTILINE,
)
# Words (letters, digits and the joiners code and compounds use) and sentence ends, which break proximity.
_TOKEN = re.compile(r"[a-z0-9][a-z0-9+#'_-]*(?:\.js)?|[.?!;\n]")
_BOUNDARY = frozenset(".?!;\n")


# Cue family -> its words and word prefixes (stems).
_FAMILIES: tuple[tuple[str, frozenset[str], tuple[str, ...]], ...] = (
    ("lang", CODE_LANGS, ()),
    ("code_verb", CODE_VERBS, ()),
    ("code_noun", CODE_NOUNS, ()),
    ("hard", HARD_ENG, HARD_ENG_PREFIXES),
    ("math_heavy", MATH_HEAVY, MATH_HEAVY_PREFIXES),
    ("math_light", MATH_LIGHT, ()),
    ("reasoning", REASONING, REASONING_PREFIXES),
    ("compose_verb", COMPOSE_VERBS, ()),
    ("compose_noun", COMPOSE_NOUNS, ()),
    ("explain", EXPLAIN, ()),
    ("list_verb", LIST_VERBS, ()),
    ("list_noun", LIST_NOUNS, ()),
    ("long_adj", LONG_ADJECTIVES, ()),
    ("long_verb", LONG_VERBS, ()),
    ("long_noun", LONG_NOUNS, ()),
    ("long_unit", LONG_UNITS, ()),
    ("summarise", SUMMARISE, ()),
)


@functools.lru_cache(maxsize=65536)
def word_cues(word: str) -> frozenset[str]:
    """The cue families one word belongs to (memoised: vocabulary repeats across requests)."""
    return frozenset(
        name
        for name, words, prefixes in _FAMILIES
        if word in words or (prefixes and word.startswith(prefixes))
    )


@dataclass(slots=True)
class _Scan:
    """What the tokens of a text contain: cue families, distinct cue words, verb-then-noun pairs."""

    families: set[str] = field(default_factory=set)
    hard_words: set[str] = field(default_factory=set)
    reasoning_words: set[str] = field(default_factory=set)
    code_ask: bool = False
    compose: bool = False
    long_ask: bool = False
    listing: bool = False
    many_units: bool = False


def _scan(lowered: str) -> _Scan:
    out = _Scan()
    # Positions (token index) of the last verbs seen in this sentence, for "verb ... noun" cues.
    code_verb = compose_verb = long_verb = list_verb = -100
    previous_number = 0
    for i, token in enumerate(_TOKEN.findall(lowered)):
        if token in _BOUNDARY:
            code_verb = compose_verb = long_verb = list_verb = -100
            continue
        cues = word_cues(token)
        if token.isdigit():
            previous_number = int(token) if len(token) < 6 else 0
            continue
        if cues:
            out.families |= cues
            if "hard" in cues:
                out.hard_words.add(token)
            if "reasoning" in cues:
                out.reasoning_words.add(token)
            if "code_verb" in cues:
                code_verb = i
            if "compose_verb" in cues:
                compose_verb = i
            if "long_verb" in cues:
                long_verb = i
            if "list_verb" in cues:
                list_verb = i
            # A noun after a verb in the same sentence ("write ... a function"), not the same word.
            if "code_noun" in cues and 0 < i - code_verb <= 10:
                out.code_ask = True
            if "compose_noun" in cues and 0 < i - compose_verb <= 8:
                out.compose = True
            if "long_noun" in cues and 0 < i - long_verb <= 6:
                out.long_ask = True
            if "list_noun" in cues and 0 < i - list_verb <= 4:
                out.listing = True
            if "long_unit" in cues and previous_number >= 3:
                out.many_units = True
        previous_number = 0
    return out


def _any_in(text: str, phrases: Sequence[str]) -> bool:
    return any(p in text for p in phrases)


def _last_user(messages: Sequence[Message]) -> Message | None:
    for message in reversed(messages):
        if message.role == "user":
            return message
    return None


def request_shape(request: ChatRequest) -> tuple[frozenset[str], int, int]:
    """What any router reports besides the tier: catalog needs, estimated input and output tokens.

    Tools, images and JSON output narrow the candidate models; the token estimates drive the
    context-length and price checks. The whole conversation counts, pasted material included.
    """
    messages = request.messages
    needs: set[str] = set()
    if request.tools:
        needs.add("tools")
    if any(m.has_image() for m in messages):
        needs.add("vision")
    if request.response_format and request.response_format.get("type") in ("json_object", "json_schema"):
        needs.add("json_mode")
    total_chars = sum(len(m.text()) for m in messages)
    input_tokens = int(total_chars / _CHARS_PER_TOKEN) + 4 * len(messages)
    limit = request.output_limit()
    output_tokens = min(limit, 4096) if limit is not None else DEFAULT_OUTPUT_TOKENS
    return frozenset(needs), input_tokens, output_tokens


class HeuristicRouter:
    """Additive cue scores mapped to tiers by thresholds.

    Weights were set by hand against ``tests/data/routing/labelled_prompts.jsonl`` (the held-out file
    next to it was written afterwards and not tuned on); ``tests/routing/test_complexity.py`` prints the
    agreement. Each cue adds points; a few (a greeting, a one-line lookup, a small ``max_tokens``) take
    points away. Tools and images add a little but mainly become ``needs`` that restrict which models
    may serve the tier.
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
        if len(text) > _SCAN_HEAD + _SCAN_TAIL:
            lowered = (text[:_SCAN_HEAD] + "\n" + text[-_SCAN_TAIL:]).lower()
        else:
            lowered = text.lower()
        total_chars = sum(len(m.text()) for m in messages)
        input_tokens = int(total_chars / _CHARS_PER_TOKEN) + 4 * len(messages)
        last_tokens = len(text) / _CHARS_PER_TOKEN
        found = _scan(lowered)
        families = found.families

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
        code_ask = found.code_ask or "lang" in families or _any_in(lowered, CODE_PHRASES)
        code_block = _CODE_BLOCK.search(text, 0, 4000) is not None  # case matters: "from x import y"
        hard = len(found.hard_words) + sum(1 for p in HARD_ENG_PHRASES if p in lowered)
        if code_ask or code_block:
            add(2.0 if code_ask else 1.0, "code")
            if hard:
                add(2.5, "hard engineering")
        elif hard:
            add(1.5 if hard == 1 else 2.5, "systems design")

        if "math_heavy" in families or _any_in(lowered, MATH_HEAVY_PHRASES) or _any_in(text, MATH_SYMBOLS):
            add(4.0, "maths proof")
        elif (
            "math_light" in families
            or _any_in(lowered, MATH_LIGHT_PHRASES)
            or _ARITHMETIC.search(lowered, 0, 2000)
        ):
            numbers = len(_NUMBER.findall(lowered, 0, 2000))
            add(1.75 if numbers >= 3 else 0.75, "word problem" if numbers >= 3 else "arithmetic")

        reasoning = len(found.reasoning_words) + sum(1 for p in REASONING_PHRASES if p in lowered)
        if reasoning:
            add(min(5.0, 1.5 + 1.25 * (reasoning - 1)), "multi-step reasoning")

        if found.compose or "explain" in families or found.listing or _any_in(lowered, EXPLAIN_PHRASES):
            add(1.5, "compose/explain")

        # Several asks in one: bullet lists, several questions, or a list of required parts in the
        # instruction itself (its first few hundred characters, not a pasted document's commas).
        questions = max(0, lowered.count("?") - 1)
        parts = (
            len(_BULLET.findall(lowered, 0, 4000)) + questions + len(_CLAUSE_COMMA.findall(lowered, 0, 400))
        )
        if parts >= 3:
            add(min(2.5, 0.75 * (parts - 1)), "multi-part")

        if "summarise" in families or _any_in(lowered, SUMMARISE_PHRASES):
            add(0.5, "summarise/extract")

        # Output size: asked for in words, or via max_tokens.
        limit = request.output_limit()
        if "long_adj" in families or found.long_ask or found.many_units or _any_in(lowered, LONG_PHRASES):
            add(1.5, "long output")
        words = _MANY_WORDS.search(lowered, 0, 4000)
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
            if len(text) < 40 and _GREETING.search(lowered):
                add(-1.0, "chit-chat")
            elif _SIMPLE.search(lowered, 0, 400):
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
