"""Helpers shared by the PHI detector's tests."""

from __future__ import annotations

import pytest

from ai_workers.safety.phi import PhiDetector, detect

# PHI-free texts the learned tagger (safety/phi/tagger.py) redacts, kept visible as strict xfails in the
# precision tests: the day one passes, it must leave this set.
LEARNED_OVER_REDACTIONS = {
    # an analyser's model number after its maker: a device identifier's shape
    "Analyser: Sysmex Corporation XN-450",
    # a misspelt word where a name stands ("for Surqery" after a role, as "for Gwendolyn Trask" would be)
    "Apologies from the Clinical Lead for Surqery",
    # a text's first word before "from the Academy of ...": a facility to it
    "Headings from the Academy of Mcdical Royal Colleges.",
}


def expect_learned_over_redaction(request: pytest.FixtureRequest, text: str) -> None:
    """Mark the running test a strict xfail if ``text`` is one of the tagger's known over-redactions."""
    if text in LEARNED_OVER_REDACTIONS:
        request.applymarker(
            pytest.mark.xfail(reason="the learned tagger's known over-redaction", strict=True)
        )


def covered(detector: PhiDetector, text: str, part: str) -> bool:
    """Every character of ``part`` (first occurrence in ``text``) is inside a detected span."""
    start = text.index(part)
    mask = [False] * len(text)
    for s in detector.detect(text):
        for i in range(s.start, s.end):
            mask[i] = True
    return all(mask[start : start + len(part)])


def found(text: str) -> list[tuple[str, str]]:
    """Every span the detector finds in ``text``, as (type, the text it covers)."""
    return [(s.type, text[s.start : s.end]) for s in detect(text)]
