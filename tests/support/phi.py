"""Helpers shared by the PHI detector's tests."""

from __future__ import annotations

from ai_workers.safety.phi import PhiDetector, detect


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
