# ruff: noqa: E501
"""Content safety: Llama Guard 3 through the gateway when configured, a local heuristic otherwise.

Both report Llama Guard's S1-S14 category codes, so one ``actions`` table (block / flag / ignore)
applies whichever scorer ran. The local check is an honest heuristic: a few dozen regexes for
*requests* for harm ("how do I make a pipe bomb", "best way to kill myself") rather than mentions of
it, because clinical text talks about suicide risk, assault history and overdoses all the time and
must not be flagged for doing so. It catches blatant cases only; Llama Guard is the real scorer.

Text sent to Llama Guard is the already-redacted text: the guard runs on a cloud provider too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import ahocorasick

from ai_workers.core.context import RequestContext
from ai_workers.core.pipeline import SubCall
from ai_workers.core.types import Capability, Message, SafetyRequest, SafetyVerdict
from ai_workers.providers.llama_guard import CATEGORIES

# Llama Guard 3's S1-S14 hazard taxonomy: one table, kept with the verdict parser.
CATEGORY_NAMES: dict[str, str] = CATEGORIES


@dataclass(slots=True)
class Verdict:
    """Which categories a text hit and which scorer said so ("guard", "local")."""

    categories: list[str] = field(default_factory=list)
    scorer: str = "local"

    @property
    def safe(self) -> bool:
        return not self.categories


_HOW = r"(?:how\s+(?:do|can|could|would|should)\s+(?:i|you|one|we)|how\s+to|ways?\s+to|best\s+way\s+to|help\s+me|teach\s+me|instructions?\s+(?:for|to)|steps?\s+to|i\s+(?:want|need|plan|am\s+going|'m\s+going)\s+to|tell\s+me\s+how\s+to)"

_LOCAL_RULES: list[tuple[str, str]] = [
    ("S11", rf"{_HOW}\s+(?:kill|hang|hurt|cut|harm|poison|shoot|end)\s+(?:my\s*self|myself)"),
    (
        "S11",
        r"\b(?:i\s+(?:want|wanna|am\s+going|'m\s+going|plan)\s+to\s+(?:die|end\s+(?:it|my\s+life)|kill\s+myself))\b",
    ),
    ("S11", r"\b(?:lethal|fatal)\s+dose\s+of\s+\w+\s+(?:to|for)\s+(?:kill|end|die)"),
    ("S11", r"\bhow\s+many\s+\w+\s+(?:pills|tablets)\s+(?:to|would|will)\s+(?:kill|die|end)"),
    (
        "S1",
        rf"{_HOW}\s+(?:kill|murder|stab|strangle|poison|shoot|torture|kidnap)\s+(?:a|an|my|the|some|him|her|them|someone|somebody|people|person)\b",
    ),
    (
        "S1",
        r"\b(?:i\s+(?:will|am\s+going\s+to|'m\s+going\s+to|want\s+to)\s+(?:kill|murder|shoot|stab))\s+(?:him|her|them|you|my|the|everyone)",
    ),
    (
        "S9",
        rf"{_HOW}\s+(?:make|build|assemble|synthesi[sz]e|produce|weaponi[sz]e|culture)\s+(?:a\s+|an\s+)?(?:pipe\s+)?(?:bomb|explosive|ied|nerve\s+agent|sarin|vx|ricin|anthrax|bioweapon|chemical\s+weapon|dirty\s+bomb|nuclear\s+(?:bomb|weapon)|mustard\s+gas)",
    ),
    (
        "S9",
        r"\b(?:synthesi[sz]e|weaponi[sz]e|aerosoli[sz]e)\s+(?:sarin|vx|ricin|anthrax|botulinum|smallpox|tabun|soman)",
    ),
    (
        "S4",
        r"\b(?:sexual|sexy|nude|naked|erotic|explicit)\b[^.\n]{0,40}\b(?:child|children|minor|minors|kid|kids|toddler|preteen|\d{1,2}[\s-]*(?:yo|year[\s-]*old))\b",
    ),
    (
        "S4",
        r"\b(?:child|children|minor|minors|kid|kids|preteen)\b[^.\n]{0,40}\b(?:sexual(?:ly)?|nude|naked|erotic|porn\w*)\b(?![^.\n]{0,40}\b(?:abuse\s+(?:screening|history|report|hotline)|assault\s+(?:screening|exam|history)|education|development|health))",
    ),
    ("S3", rf"{_HOW}\s+(?:drug|roofie|rape|sexually\s+assault)\s+(?:a|her|him|someone|my)"),
    ("S2", rf"{_HOW}\s+(?:forge|fake)\s+(?:a\s+)?(?:prescription|rx|doctor'?s?\s+note|medical\s+record)"),
    (
        "S2",
        rf"{_HOW}\s+(?:get|buy|obtain)\s+(?:\w+\s+)?(?:oxycodone|fentanyl|opioids|xanax|adderall)\s+without\s+(?:a\s+)?prescription",
    ),
    (
        "S10",
        r"\b(?:all|those)\s+(?:jews|muslims|blacks|whites|asians|mexicans|gays|immigrants)\s+(?:should|must|deserve\s+to)\s+(?:die|be\s+killed|be\s+exterminated)",
    ),
    (
        "S12",
        r"\b(?:write|describe|tell)\s+(?:me\s+)?(?:an?\s+)?(?:explicit|erotic|pornographic|x-rated)\s+(?:sex\s+)?(?:story|scene|fantasy)",
    ),
    ("S14", r"\b(?:os\.system|subprocess\.\w+|rm\s+-rf\s+/|:\(\)\s*\{\s*:\|:&\s*\};:|eval\(base64)"),
]
# Words one of which must occur for a category's patterns to be tried at all: most texts contain none,
# so the check costs a few substring tests instead of case-insensitive regex scans.
_TRIGGERS: dict[str, tuple[str, ...]] = {
    "S11": ("myself", "to die", "end it", "my life", "lethal", "fatal", "how many"),
    "S1": ("kill", "murder", "stab", "strangle", "poison", "shoot", "tortur", "kidnap"),
    "S9": (
        "bomb",
        "explosive",
        "ied",
        "nerve agent",
        "sarin",
        " vx",
        "ricin",
        "anthrax",
        "weapon",
        "mustard gas",
        "botulinum",
        "smallpox",
        "tabun",
        "soman",
    ),
    "S4": ("sexual", "sexy", "nude", "naked", "erotic", "explicit", "porn"),
    "S3": (
        "roofie",
        "rape",
        "sexually assault",
        "drug her",
        "drug him",
        "drug someone",
        "drug a ",
        "drug my",
    ),
    "S2": ("forge", "fake", "without a prescription", "without prescription"),
    "S10": ("should die", "be killed", "exterminated", "deserve to"),
    "S12": ("explicit", "erotic", "pornographic", "x-rated"),
    "S14": ("os.system", "subprocess", "rm -rf", ":(){", "eval(base64"),
}
_PATTERNS: dict[str, list[re.Pattern[str]]] = {}
for _code, _pattern in _LOCAL_RULES:
    _PATTERNS.setdefault(_code, []).append(re.compile(_pattern, re.IGNORECASE))
_CHECKS = list(_PATTERNS.items())

# Every trigger word, mapped to the categories (indexes into _CHECKS) it opens. Aho-Corasick finds all
# of them, overlapping ones too, in one pass over the text: the same answer as testing each with ``in``
# (55 scans of the text: 72 us on a 2 KB prompt, this 25 us; it runs on every prompt and every answer).
_TRIGGER_INDEX = ahocorasick.Automaton()
for _index, (_code, _) in enumerate(_CHECKS):
    for _trigger in _TRIGGERS[_code]:
        _TRIGGER_INDEX.add_word(_trigger, (*_TRIGGER_INDEX.get(_trigger, ()), _index))
_TRIGGER_INDEX.make_automaton()


def local_check(text: str) -> Verdict:
    """The heuristic verdict for one text (microseconds; categories in S-code order).

    A category's patterns run only when one of its trigger words occurs in the text.
    """
    opened: set[int] = set()
    for _, indexes in _TRIGGER_INDEX.iter(text.lower()):
        opened.update(indexes)
    if not opened:  # no trigger word (most texts): no category to test
        return Verdict(categories=[], scorer="local")
    found = [
        code
        for index, (code, patterns) in enumerate(_CHECKS)
        if index in opened and any(p.search(text) for p in patterns)
    ]
    return Verdict(categories=found, scorer="local")


class GuardError(RuntimeError):
    """Llama Guard could not be asked or answered nonsense."""


async def guard_check(subcall: SubCall, ctx: RequestContext, model: str, messages: list[Message]) -> Verdict:
    """Ask Llama Guard (through the pipeline, so the call is costed and recorded) for a verdict."""
    result = await subcall(ctx, Capability.SAFETY, SafetyRequest(model=model, messages=messages))
    if not isinstance(result, SafetyVerdict):
        raise GuardError(f"the safety model answered with {type(result).__name__}, not a verdict")
    if result.safe:
        return Verdict(categories=[], scorer="guard")
    codes = [c for c in result.categories if c in CATEGORY_NAMES] or ["unsafe"]
    return Verdict(categories=codes, scorer="guard")
