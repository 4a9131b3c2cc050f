"""The recall rules' shortcuts (recall.py) find exactly what a plain ``finditer`` of their pattern finds:
a credential found from the credential itself, prefixed ids and addresses tried only at their possible
starts, and look-behinds moved after a pattern's first character. Checked on generated text full of
the shapes involved and on the labelled sets."""

from __future__ import annotations

import random
import re

from ai_workers.safety.phi import recall as R

PIECES = [
    *"Aa1 \t\n,.-/#():OlIoİſé",
    *["12", "123", "12345", "1234567", "  ", "MD", "RN", "FNP", " NP", "PA-C", "M.D.", "Street", "St", "Rd"],
    *[
        "Flat",
        "flat 3",
        "Apt 4",
        "unit",
        "Ave.",
        "Smith",
        "John",
        "AB12345",
        "ab-12345",
        "x/12345",
        "5/6/2020",
    ],
    *["1.2.2020", "12 34 567", "O1.2.33", "Smith, MD", "Jo Ann ,  RN", "14 High Street", "Unit 2, 9 Oak Rd"],
]

# The patterns as they were before their look-behinds moved (the reference).
DIGIT_GROUPS = re.compile(r"(?<![\w.,/\-])[0-9OlIo]{3,5}(?:[ \t\-][0-9OlI]{1,5}){1,3}(?![\w/\-]|\.[0-9])")
DOTTED_DATE = re.compile(
    r"(?<![\w])(?<![0-9]\.)[0-9OlI]{1,4}([/.\-])[0-9OlI]{1,2}\1[0-9OlI]{2,4}(?![\w]|\.[0-9])"
)


def texts() -> list[str]:
    rnd = random.Random(20)
    return ["".join(rnd.choice(PIECES) for _ in range(rnd.randint(1, 60))) for _ in range(4000)]


def spans(matches: list[re.Match[str]]) -> list[tuple[int, int]]:
    return [m.span() for m in matches]


def test_recall_shortcuts_match_the_plain_scans() -> None:
    for text in texts():
        check(text)


def check(text: str) -> None:
    runs = R.letter_runs(text)
    nums = R.digit_starts(text)
    assert spans(R._cred_after_matches(text)) == spans(list(R._CRED_AFTER.finditer(text)))
    assert spans(R._matches_at(R._PREFIXED_ID, text, R._prefixed_id_starts(text, nums))) == spans(
        list(R._PREFIXED_ID.finditer(text))
    )
    index = R.RunIndex(runs) if runs is not None else None
    assert spans(R._address_matches(text, index, nums)) == spans(list(R._ADDRESS.finditer(text)))
    assert spans(list(R._DIGIT_GROUPS.finditer(text))) == spans(list(DIGIT_GROUPS.finditer(text)))
    assert spans(list(R._DOTTED_DATE.finditer(text))) == spans(list(DOTTED_DATE.finditer(text)))
    if runs is not None:
        assert runs == [(m.start(), m.group().lower()) for m in R._RUN.finditer(text)]
