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
    *["SMITH, JOHN", "O'Neil, Ann", "J. Smith", "Ann B. Cole", "Mercy Hospital", "St. Luke Medical Center"],
    *["Oak Polyclinic", "HOSPITAL", "0161 496 0000", "07700 900123", "98765 43210", "555.123.4567", "12/3"],
    *["20190304", "2019030412", "1234567890123", "aged 93", "93 yo", "SW1A 1AA", "K1A 0B1", "Ted's", "-Al"],
    *["O'Brien-", "'-'", "Foley"],
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
        if text.isascii():  # the split path, next to the regex path it replaced
            plain = [(m.start(), m.group()) for m in R._LOWER_RUN.finditer(text.translate(R._ASCII_LOWER))]
            assert runs == plain


def _scan_at(rx: re.Pattern[str], text: str, starts: list[int]) -> list[tuple[int, int]]:
    return spans(R._matches_at(rx, text, starts))


def test_digit_and_capital_starts_match_the_plain_scans() -> None:
    for text in texts():
        check_digit_and_capital_starts(text)


def check_digit_and_capital_starts(text: str) -> None:
    """Each pattern tried only at the digit runs or capitals it can start at (``Digits``,
    ``capital_classes``) finds what it finds tried at every one."""
    nums = R.digit_starts(text)
    digits = R.Digits(text)
    assert digits.starts == nums
    assert R._digit_runs(text) == [m.span() for m in R._DIGIT_RUN.finditer(text)]
    keys = {m.group().lower(): "NAME" for m in R._WORD_AT.finditer(text) if len(m.group()) % 2}
    words = [(m.start(), m.end(), m.group().lower()) for m in R._WORD_AT.finditer(text)]
    assert R._words_in(text, keys) == [w for w in words if w[2] in keys]
    for rx, starts in (
        (R._LONG_NUMBER, digits.long_number),
        (R._TIMESTAMP, digits.timestamp),
        (R._POSTCODE_DIGITS, digits.postcode),
        (R._MD, digits.month_day),
        (R._PHONE, digits.phone),
    ):
        assert _scan_at(rx, text, starts) == _scan_at(rx, text, nums), rx.pattern
    runs = R.letter_runs(text)
    index = R.RunIndex(runs) if runs is not None else None
    assert spans(R._cue_matches(R._AGE_NUMBER, text, index, R._AGE_NUMBER_FIRST, digits.age)) == spans(
        R._cue_matches(R._AGE_NUMBER, text, index, R._AGE_NUMBER_FIRST, nums)
    )
    assert _scan_at(R._PREFIXED_ID, text, R._prefixed_id_starts(text, digits.prefixed)) == _scan_at(
        R._PREFIXED_ID, text, R._prefixed_id_starts(text, nums)
    )
    caps = R.capital_starts(text)
    dotted, upper, lower = R.capital_classes(text, caps)
    assert _scan_at(R._INITIAL_SURNAME, text, dotted) == _scan_at(R._INITIAL_SURNAME, text, caps)
    assert _scan_at(R._UPPER_PAIR, text, upper) == _scan_at(R._UPPER_PAIR, text, caps)
    for rx in (R._FIRST_M_LAST, R._TITLE_PAIR, R._CAP_PAIR):
        assert _scan_at(rx, text, lower) == _scan_at(rx, text, caps), rx.pattern
