# ruff: noqa: E501
"""The detector runs in time linear in its input (issue 18): the patterns rewritten for that match like
the originals, adversarial shapes (long tokens, digit/hex runs, repeated separators, deep punctuation)
cost about what normal notes cost per KB, and a ``Deadline`` stops a scan between passes."""

from __future__ import annotations

import json
import random
import re
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ai_workers.safety.phi import patterns as P
from ai_workers.safety.phi.detector import Deadline, DetectionTimeout, PhiDetector

DATA = Path(__file__).resolve().parents[1] / "data" / "phi"

# The patterns as they were before they were made linear (each is exponential or polynomial on some
# inputs, so they are only ever run here, on short texts).
ORIGINALS = {
    "mixed_id": r"[A-Z][A-Z0-9]*-?\d[A-Z0-9\-]*\d(?![\w\-])",
    "long_number": r"\d\d{6,}(?![\w.]*\d)",
    "ipv4": r"\d\d{0,2}\.\d{1,3}\.\d{1,3}\.\d{1,3}(?![\d.]*\d)",
    "last_first": (
        rf"([{P._UP}][{P._UP}{P._LO}'’\-]+),[ \t]*([{P._UP}][{P._UP}{P._LO}'’\-]+)(?:[ \t]+[A-Z]\.?)?"
        rf"(?![{P._UP}{P._LO}])"
    ),
}


def _kept_mixed_id(text: str, m: re.Match[str]) -> bool:
    s = m.start()
    return not (s > 0 and (text[s - 1].isalnum() or text[s - 1] == "-"))


def _kept_long_number(text: str, m: re.Match[str]) -> bool:
    s = m.start()
    return not (s > 0 and (text[s - 1].isalnum() or text[s - 1] in ".-/"))


def _kept_last_first(text: str, m: re.Match[str]) -> bool:
    return m.group(1) is not None and not (m.start() > 0 and text[m.start() - 1].isalpha())


# What the detector keeps of each pattern's finditer matches (the same test as in detector.py).
KEPT: dict[str, Callable[[str, re.Match[str]], bool]] = {
    "mixed_id": _kept_mixed_id,
    "long_number": _kept_long_number,
    "ipv4": lambda text, m: True,
    "last_first": _kept_last_first,
}
ALPHABETS = {
    "mixed_id": "AZB09-1٣ _xé.",  # "٣": a non-ASCII digit (\d, not [0-9])
    "long_number": "0123456789._a-/ ٣",
    "ipv4": "0123456789.. a",
    "last_first": "AbÉé'’-, \tZx.",
}


@pytest.mark.parametrize("name", sorted(ORIGINALS))
def test_linear_patterns_keep_the_same_matches_as_the_originals(name: str) -> None:
    slow, fast = re.compile(ORIGINALS[name]), getattr(P._rules(), name)
    keep = KEPT[name]
    rnd = random.Random(18)
    alphabet = ALPHABETS[name]
    for _ in range(20_000):
        text = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 24)))
        want = [(m.span(), m.groups()) for m in slow.finditer(text) if keep(text, m)]
        got = [(m.span(), m.groups()) for m in fast.finditer(text) if keep(text, m)]
        assert got == want, (name, text)


def test_cue_tails_match_like_before_within_their_window() -> None:
    """The label, SSN and phone cue tails: possessive blanks and separators, the same matches."""
    rules = P._rules()
    originals = {
        rules.labelled.tail: (
            r"(?i:[ \t]*(?:no|num|number|nbr|id|#)\b\.?)?[ \t:#.\-]*(?:(?i:is|was|of)[ \t]+|=[ \t]*)?"
            r"((?=[A-Za-z0-9\-/.]*\d)[A-Za-z0-9](?:[A-Za-z0-9\-/.]*[A-Za-z0-9])?)"
        ),
        rules.ssn_cued.tail: r"[ \t:#.\-]*(?:(?i:number|no|#)\.?[ \t:#.\-]*)?(\d{9}|\d{3}[- .]\d{2}[- .]\d{4})\b",
        rules.phone_cued.tail: r"[ \t]*(?:#|no\.?|number)?[ \t]*[:.\-]?[ \t]*(\d{10}|\d{3}[.\s\-]\d{4})(?!\d)",
    }
    rnd = random.Random(5)
    alphabet = "0123456789" * 2 + " \t:#.-=/" + "noumberiswasfd" + "NI"
    for fast, pattern in originals.items():
        slow = re.compile(pattern)
        for _ in range(20_000):
            text = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 20)))
            a, b = fast.match(text), slow.match(text)
            assert (a and (a.span(), a.groups())) == (b and (b.span(), b.groups())), (pattern, text)


def test_url_paths_are_found_as_before() -> None:
    det = PhiDetector(cache_size=0)
    text = "see portal.example.com/a/b.html, or x.org/q?x=1) and www.health.gov/path/x.com/y.net/. done"
    got = [(text[s.start : s.end], s.type) for s in det.detect(text)]
    assert ("portal.example.com/a/b.html", "URL") in got
    assert ("x.org/q?x=1", "URL") in got


def _normal_text(chars: int) -> str:
    rows = [json.loads(line) for line in (DATA / "generated.jsonl").read_text("utf-8").splitlines() if line]
    text = "\n\n".join(r["text"] for r in rows)
    return text[:chars]


def _seconds(det: PhiDetector, text: str, rounds: int = 3) -> float:
    best = float("inf")
    for _ in range(rounds):
        started = time.thread_time()
        det.detect(text)
        best = min(best, time.thread_time() - started)
    return best


def _repeat(unit: str, chars: int) -> str:
    return (unit * (chars // len(unit) + 1))[:chars]


# Shapes that made the old detector quadratic or worse, and their neighbours.
SHAPE_UNITS = [
    "A", "a", "Aa", "aA", "É", "0", "1-", "1.", "123.", "1/", "1 ", "1:", "AB:", "AB-", "-.-.", "/ ", ".",
    "-", ":", "#", " ", "\t", "\n", "([{<'\",.;:!?>}])", "Ab ", "A. ", "Ab, ", "Ab-", "Ab'", "a@", "a.@",
    "www.", ".com/", "a-.com-", "+1 ", "id-", "mrn.", "To-", "county-", "Ab County ", "Ab Hospital ",
    "phone ", "12 Main ", "May 5 ", "Dr. A ", "1.2.", "1-A", "A1", "ABCDEF0123456789", "Núñez ", "漢", "１",
]  # fmt: skip


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    unit=st.one_of(
        st.sampled_from(SHAPE_UNITS),
        st.text(alphabet="Aa0. -/:#,@'(É1", min_size=1, max_size=4),
    ),
    prefix=st.sampled_from(["", "MRN: ", "Patient ", "id ", "ssn ", "phone ", "http://", "x@", "Smith, "]),
    suffix=st.sampled_from(["", "1", "x", " ", ".com", "-", ","]),
)
def test_adversarial_shapes_scan_in_time_linear_in_their_size(unit: str, prefix: str, suffix: str) -> None:
    """Per KB, an adversarial 40 KB text costs at most a generous multiple of a normal note's cost
    measured in the same test (the old detector took seconds to minutes on these)."""
    det = PhiDetector(cache_size=0)
    normal = _normal_text(8_000)
    per_char_normal = _seconds(det, normal) / len(normal)
    text = prefix + _repeat(unit, 40_000) + suffix
    spent = _seconds(det, text, rounds=1)
    assert spent / len(text) < 20 * per_char_normal + 1e-7, (unit, prefix, suffix, spent)


def test_a_100kb_token_scans_in_linear_time() -> None:
    det = PhiDetector(cache_size=0)
    normal = _normal_text(20_000)
    per_char_normal = _seconds(det, normal) / len(normal)
    rnd = random.Random(1)
    for text in (
        "A" * 100_000,
        "".join(rnd.choice("0123456789ABCDEF") for _ in range(100_000)),
        "id-" * 33_000 + "1",
        "1.2." * 25_000,
    ):
        assert _seconds(det, text, rounds=1) / len(text) < 20 * per_char_normal


def test_a_deadline_stops_the_scan_between_passes() -> None:
    det = PhiDetector(cache_size=16)
    text = _normal_text(20_000)
    ticks = iter(range(1000))
    with pytest.raises(DetectionTimeout):
        det.detect(text, Deadline(2.5, clock=lambda: float(next(ticks))))  # past it after 3 checks
    assert next(ticks) < 10  # it stopped early
    # Nothing was cached: the same text scans in full without a deadline.
    assert det.detect(text) == PhiDetector(cache_size=0).detect(text)
    with pytest.raises(DetectionTimeout):
        det.detect_many([text, "x" * 100], Deadline(-1.0))
    assert det.detect_many(["Patient Jane Doe"], Deadline(60.0)) == [det.detect("Patient Jane Doe")]
