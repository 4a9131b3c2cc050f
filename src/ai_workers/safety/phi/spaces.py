"""Typographic blanks, dashes and quotes read as their plain ASCII forms before the rules run.

Text pasted from PDFs, word processors and OCR carries no-break and thin spaces between the words
of a name ("Meiling\\u00a0Gao"), en dashes and no-break hyphens inside numbers ("27\\u201305\\u20131941",
"022\\u20111635 9466") and curly quotes around JSON keys; the rules match ``[ \\t]``, ``-`` and ``"``
and would stop at the first odd one. The mapping keeps the length (one character for one), so every
offset still points into the caller's original text.
"""

from __future__ import annotations

import re

# no-break, figure, thin, hair, narrow no-break, en/em and other fixed-width spaces, ideographic space
_SPACES = "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
# hyphen, no-break hyphen, figure dash, en dash, minus sign; curly double quotes
_DASHES = "\u2010\u2011\u2012\u2013\u2212"
_QUOTES = "\u201c\u201d"
_ODD = re.compile("[" + _SPACES + _DASHES + _QUOTES + "]")
_PLAIN = str.maketrans(_SPACES + _DASHES + _QUOTES, " " * len(_SPACES) + "-" * len(_DASHES) + '""')


def plain_spaces(text: str) -> str:
    """``text`` with each typographic blank, dash and double quote replaced by its ASCII form (the
    same object when there is none)."""
    if text.isascii() or _ODD.search(text) is None:
        return text
    return text.translate(_PLAIN)
