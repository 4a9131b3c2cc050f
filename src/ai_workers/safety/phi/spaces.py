"""Typographic blanks, dashes and quotes read as their plain ASCII forms before the rules run.

Text pasted from PDFs, word processors and OCR carries no-break and thin spaces between the words
of a name ("Meiling\\u00a0Gao"), en dashes and no-break hyphens inside numbers ("27\\u201305\\u20131941",
"022\\u20111635 9466") and curly quotes around JSON keys; the rules match ``[ \\t]``, ``-`` and ``"``
and would stop at the first odd one. The mapping keeps the length (one character for one), so every
offset still points into the caller's original text.
"""

from __future__ import annotations

import re
import unicodedata

# no-break, figure, thin, hair, narrow no-break, en/em and other fixed-width spaces, ideographic space
_SPACES = "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
# hyphen, no-break hyphen, figure dash, en dash, minus sign; curly double quotes
_DASHES = "\u2010\u2011\u2012\u2013\u2212"
_QUOTES = "\u201c\u201d"
# Letters beyond Latin-1 read as their base letter, case kept: the rules' letter classes cover ASCII
# and Latin-1 ("Núñez"), and stopped at the "Ư" of "DƯƠNG, HUY", the "ł" of "KRZYKAŁA", the "ặ" of
# "Quang Đặng" (Vietnamese, Polish, Czech, Turkish, Romanian names). A letter without a decomposition
# to an ASCII base ("Ł", "Đ", "ı") is listed by hand; any other stays as it is.
_BASE_BY_HAND = {"Ł": "L", "ł": "l", "Đ": "D", "đ": "d", "Ħ": "H", "ħ": "h", "ı": "i", "Ŧ": "T", "ŧ": "t"}


def _latin_bases() -> dict[int, str]:
    table: dict[int, str] = {}
    for code in (*range(0x100, 0x250), *range(0x1E00, 0x1F00)):
        ch = chr(code)
        base = _BASE_BY_HAND.get(ch) or unicodedata.normalize("NFD", ch)[0]
        if base.isascii() and base.isalpha() and base != ch:
            table[code] = base
    return table


_LATIN_BASES = _latin_bases()
_ODD = re.compile("[" + _SPACES + _DASHES + _QUOTES + "\u0100-\u024f\u1e00-\u1eff]")
_PLAIN = str.maketrans(
    {
        **{ord(c): " " for c in _SPACES},
        **{ord(c): "-" for c in _DASHES},
        **{ord(c): '"' for c in _QUOTES},
        **_LATIN_BASES,
    }
)


def plain_spaces(text: str) -> str:
    """``text`` with each typographic blank, dash and double quote replaced by its ASCII form, and each
    letter beyond Latin-1 by its base letter (the same object when there is none)."""
    if text.isascii() or _ODD.search(text) is None:
        return text
    return text.translate(_PLAIN)


# OCR reads a digit as the letter of the same shape: "2O23", "l0.148.171.49", "1B/O8/1930", "(8S5)".
_OCR_DIGIT = {"O": "0", "o": "0", "l": "1", "I": "1", "S": "5", "B": "8"}
_OCR_NEAR = re.compile(r"(?<=[0-9])[OolISB]|[OolISB](?=[0-9])")
# a run of letters and digits joined by the separators of dates, numbers and addresses
_OCR_TOKEN = re.compile(r"[0-9A-Za-z]++(?:[./:\-][0-9A-Za-z]++)*+")


def _ocr_token(token: str) -> str | None:
    """``token`` with its look-alike letters read as digits when it is a number OCR damaged: every
    letter in it is a look-alike, it has three digits or more and two digits more than letters
    ("2O23", "94l.205.7017"; not "B12", "SpO2", "1990S", nor the "7B9" of a Canadian postcode).
    A leading I, S or B is a prefix ("S24-08417", "I50.23", "BS6794071"): no such token changes."""
    digits = letters = 0
    for i, ch in enumerate(token):
        if "0" <= ch <= "9":
            digits += 1
        elif ch in _OCR_DIGIT and (i > 0 or ch in "Ool"):
            letters += 1
        elif ch not in "./:-":
            return None
    if digits < 3 or digits < letters + 2 or (token.endswith("0S") and letters == 1):
        return None
    return "".join(_OCR_DIGIT.get(ch, ch) for ch in token)


def ocr_digits(text: str) -> str:
    """``text`` with OCR-damaged numbers read as digits (``_ocr_token``); same length, so offsets
    still point into the caller's text. The same object when nothing changes."""
    first = _OCR_NEAR.search(text)
    if first is None:
        return text
    parts: list[str] = []
    last = 0
    pos = first.start()
    while True:
        start = pos
        while start > 0 and (text[start - 1].isalnum() or text[start - 1] in "./:-"):
            start -= 1
        while start < pos and text[start] in "./:-":
            start += 1
        tok = _OCR_TOKEN.match(text, start)
        if tok is not None and tok.end() > pos:
            fixed = _ocr_token(tok.group())
            if fixed is not None:
                parts.append(text[last : tok.start()])
                parts.append(fixed)
                last = tok.end()
            end = tok.end()
        else:
            end = pos + 1
        nxt = _OCR_NEAR.search(text, end)
        if nxt is None:
            break
        pos = nxt.start()
    if not parts:
        return text
    parts.append(text[last:])
    return "".join(parts)
