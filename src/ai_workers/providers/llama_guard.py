"""Llama Guard 3 verdicts: its S1-S14 hazard taxonomy and a parser for both output forms.

Workers AI returns the verdict either as an object (``{"safe": false, "categories": ["S1"]}``) or as the
model's raw text (``"safe"`` / ``"unsafe\\nS1,S10"``); OpenAI-compatible servers hosting the model
(vLLM, Ollama) return the text form. Both become one ``SafetyVerdict`` with codes and names.
"""

from __future__ import annotations

import re
from typing import Any

from ai_workers.core.types import SafetyVerdict, Usage

# MLCommons hazard taxonomy as used by Llama Guard 3 (model card, "Hazard Taxonomy and Policy").
CATEGORIES: dict[str, str] = {
    "S1": "Violent Crimes",
    "S2": "Non-Violent Crimes",
    "S3": "Sex-Related Crimes",
    "S4": "Child Sexual Exploitation",
    "S5": "Defamation",
    "S6": "Specialized Advice",
    "S7": "Privacy",
    "S8": "Intellectual Property",
    "S9": "Indiscriminate Weapons",
    "S10": "Hate",
    "S11": "Suicide & Self-Harm",
    "S12": "Sexual Content",
    "S13": "Elections",
    "S14": "Code Interpreter Abuse",
}

_CODE = re.compile(r"\bS(\d{1,2})\b", re.IGNORECASE)


class VerdictParseError(ValueError):
    """The model answered something that is neither verdict form."""


def _codes(values: Any) -> list[str]:
    if isinstance(values, str):
        values = [values]
    codes: list[str] = []
    for value in values or []:
        for match in _CODE.finditer(str(value)):
            code = f"S{int(match.group(1))}"
            if code not in codes:
                codes.append(code)
    return codes


def parse_verdict(response: Any, *, model: str | None = None, usage: Usage | None = None) -> SafetyVerdict:
    """A ``SafetyVerdict`` from Llama Guard's object or text answer. Raises VerdictParseError."""
    if isinstance(response, dict):
        if not isinstance(response.get("safe"), bool):
            raise VerdictParseError("verdict object has no boolean 'safe'")
        safe = response["safe"]
        codes = [] if safe else _codes(response.get("categories"))
    elif isinstance(response, str):
        text = response.strip()
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        if not lines:
            raise VerdictParseError("empty verdict")
        head = lines[0].lower()
        if head == "safe":
            safe, codes = True, []
        elif head.startswith("unsafe"):
            safe = False
            codes = _codes([head[len("unsafe") :], *lines[1:]])
        else:
            raise VerdictParseError("verdict text is neither 'safe' nor 'unsafe'")
    else:
        raise VerdictParseError(f"verdict of unexpected type {type(response).__name__}")
    return SafetyVerdict(
        safe=safe,
        categories=codes,
        category_names=[CATEGORIES.get(code, code) for code in codes],
        model=model,
        usage=usage,
    )
