"""The detector's regexes with a first-character filter (phi/firstchar.py) match exactly what the
plain ones match: same spans, same groups, in whole texts and in windows of them.

A filter that left out one character a match can start with would silently drop redactions, so every
converted pattern of the detector is run against its original on the labelled texts and on generated
ones that mix letters, digits, punctuation, whitespace and the non-ASCII letters IGNORECASE folds to
ASCII (seeded, so a failure reproduces).
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path
from types import ModuleType

import pytest

from ai_workers.safety import phi
from ai_workers.safety.phi import detector as detector_module
from ai_workers.safety.phi import firstchar, gates, lexicon, names, native, patterns, recall

DATA = Path(__file__).resolve().parents[1] / "data" / "phi"
MODULES: tuple[ModuleType, ...] = (recall, patterns, gates, names, detector_module, lexicon)


def _labelled_texts() -> list[str]:
    rows = [json.loads(line) for line in (DATA / "generated.jsonl").read_text("utf-8").splitlines() if line]
    texts = [row["text"] for row in rows]
    for name in ("handwritten.txt", "heldout.txt", "heldout2.txt"):
        texts.append((DATA / name).read_text("utf-8"))
    return texts


def _generated_texts(count: int, seed: int) -> list[str]:
    rnd = random.Random(seed)
    pieces = [
        *"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",
        *" \t\n.,:;-/#()'’\"@+",
        "\u0130", "\u0131", "\u017f", "\u212a", "é", "Ü", "ß", "ÿ", "Ÿ", "µ", "٣", "１",
        "Dr. ", "Mr ", "MRN ", "DOB: ", "St", "Ave", "May ", "age ", "yo ", "Apt ", "SSN", "last 4 ",
        "ninety-", "Ward ", "Rd", " QLD ", " NSW ", "SW1A 1AA", "K1A 0B1", ", MD", "(ABCD 12345)",
    ]  # fmt: skip
    return ["".join(rnd.choice(pieces) for _ in range(rnd.randint(5, 120))) for _ in range(count)]


def _converted() -> list[tuple[str, re.Pattern[str], re.Pattern[str]]]:
    """(name, original, converted) for every module-level pattern the filter applies to; the
    originals recompiled from their source, as the loader has already converted the modules."""
    found = [(f"{m.__name__}.{name}", value) for m in MODULES for name, value in vars(m).items()]
    rules = patterns._rules()
    found += [(f"rules.{name}", getattr(rules, name)) for name in dir(rules) if not name.startswith("__")]
    out = []
    for name, value in found:
        if isinstance(value, re.Pattern):
            original = re.compile(value.pattern, value.flags)
            fast = firstchar.with_first_chars(original)
            if fast is not original:
                out.append((name, original, fast))
    return out


def _matches(rx: re.Pattern[str], text: str, pos: int = 0, end: int | None = None) -> list[object]:
    stop = len(text) if end is None else end
    return [(m.span(), m.groups(), m.lastgroup) for m in rx.finditer(text, pos, stop)]


def test_most_whole_text_patterns_are_converted() -> None:
    # Not a speed check: that the filter applies to the detector's patterns at all (a Python whose
    # re internals changed would leave every pattern as it is, correct but slow again).
    assert len(_converted()) >= 30


def test_converted_patterns_match_exactly_what_the_originals_match() -> None:
    texts = _labelled_texts() + _generated_texts(400, seed=20261207)
    rnd = random.Random(7)
    for name, original, fast in _converted():
        assert fast.pattern == original.pattern and fast.flags == original.flags, name
        assert fast.groupindex == original.groupindex and fast.groups == original.groups, name
        for text in texts:
            assert _matches(fast, text) == _matches(original, text), (name, text[:200])
            if len(text) > 2:
                a, b = sorted(rnd.sample(range(len(text) + 1), 2))
                assert _matches(fast, text, a, b) == _matches(original, text, a, b), (name, a, b)
                s = fast.search(text, a)
                t = original.search(text, a)
                assert (s and (s.span(), s.groups())) == (t and (t.span(), t.groups())), name


@pytest.mark.parametrize(
    ("source", "flags", "converted"),
    [
        (r"(?<![A-Za-z0-9])[A-Z][A-Z][0-9]{2}", 0, True),  # lookbehind first
        (r"[0-9]{4,5}(?![0-9])", 0, True),  # a leading repeat
        (r"(?i)(?<![a-z])(?:age|aged)\s+[0-9]+", 0, True),  # IGNORECASE: both cases and the folds
        (r"(?:(?<=\n)|\b)(Mr|Dr)\.? [A-Z]", 0, True),  # zero-width alternatives, then a group
        (r"[A-Z]?[0-9]+", 0, False),  # may start with either: no single first element
        (r"^[0-9]+", 0, False),  # anchored at the start: re already stops after one try
        (r"(?i)[a-zé]+x", 0, True),  # IGNORECASE with a non-ASCII letter (É, é)
        (r"[^a-z]+", 0, True),  # a negated class: every character but a-z
        (r"(?s).x", 0, False),  # any character: nothing to skip
        (r"\S+x", re.ASCII, True),  # a category under ASCII
        (r"\d{2}/", 0, True),  # re's own leading class is a category: replaced by a bitmap
        (r"[A-Za-z]x", 0, False),  # re's own leading class is one bitmap already
        (r"ab[0-9]", 0, False),  # a literal prefix: re's own fast path
    ],
)
def test_which_patterns_get_a_filter(source: str, flags: int, converted: bool) -> None:
    original = re.compile(source, flags)
    fast = firstchar.with_first_chars(original)
    assert (fast is not original) == converted
    for text in [*_generated_texts(300, seed=len(source)), "K age 5", "\u212aGE 7", "\u0130\u0131 aged 9"]:
        assert _matches(fast, text) == _matches(original, text), text


def test_ignorecase_filter_keeps_letters_that_fold_to_ascii() -> None:
    # "K" (Kelvin sign) and "ſ" (long s) match k and s under IGNORECASE: a match may start there.
    original = re.compile(r"(?i)(?<![a-z])(?:kg|sat)\b")
    fast = firstchar.with_first_chars(original)
    assert fast is not original
    text = "5 \u212ag; \u017fat; KG; Sat"
    assert [m.span() for m in fast.finditer(text)] == [m.span() for m in original.finditer(text)]
    assert len(list(fast.finditer(text))) == 4


def test_the_loader_converted_the_detector_modules() -> None:
    # Whether compiled or from source, the package's loader gave the modules' patterns their filter:
    # a second pass finds nothing left to convert.
    for name in native.COMPILED:
        assert firstchar.convert_module(getattr(phi, name)) == 0, name
    assert firstchar.convert_attributes(patterns._rules()) == 0
