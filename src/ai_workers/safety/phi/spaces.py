"""Unusual blanks read as plain spaces, so every rule sees "Meiling\\u00a0Gao" as "Meiling Gao".

Text pasted from PDFs, word processors and OCR carries no-break and thin spaces between the words
of a name, a facility or a postcode; the rules match ``[ \\t]`` between words and would stop at the
first one. The mapping keeps the length (one character for one), so every offset still points into
the caller's original text.
"""

from __future__ import annotations

import re

# no-break, figure, thin, hair, narrow no-break, en/em and other fixed-width spaces, ideographic space
_ODD = "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
_ODD_SPACE = re.compile("[" + _ODD + "]")
_PLAIN = str.maketrans(_ODD, " " * len(_ODD))


def plain_spaces(text: str) -> str:
    """``text`` with each unusual blank replaced by a space (the same object when there is none)."""
    if _ODD_SPACE.search(text) is None:
        return text
    return text.translate(_PLAIN)
