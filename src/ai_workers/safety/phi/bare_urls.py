"""Web addresses written without a scheme under a country-code domain: "care.example.ca/book",
"portal.example.co.uk/book", "PORTAL.EXAMPLE.CO.UK/BOOK".

The detector's own rule reads bare domains under the generic top-level domains (.com, .org, ...);
patient letters from the UK, Canada, Australia, India and New Zealand give their portals under
.co.uk, .ca, .com.au, .in, .nz. A dot and such a suffix is found with one scan (a literal dot first);
the labels before it are read back. Kept when there is a path after it or two labels or more before
the suffix, so "stable.In the morning" (a missing blank) is no address. Linear: one scan, a bounded
look-back per hit.
"""

from __future__ import annotations

import re
from collections.abc import Callable

Emit = Callable[[int, int, str, float], None]
_SCORE = 0.6

_SUFFIX = re.compile(
    r"\.(?:(?:co|org|ac|nhs|gov|net|com|edu|gc|nic)\.)?(?:uk|ca|au|in|nz|ie|za|sg)(?![A-Za-z0-9\-])",
    re.IGNORECASE,
)
_LABEL_CHAR = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-.")
_PATH = re.compile(r"/[^\s<>\"'()\[\]{}]{0,200}+")


def url_candidates(text: str, emit: Emit) -> None:
    """Emits URL spans for bare domains under a country-code suffix."""
    if "." not in text:
        return
    for m in _SUFFIX.finditer(text):
        s = m.start()
        while s > 0 and m.start() - s < 120 and text[s - 1] in _LABEL_CHAR:
            s -= 1
        while s < m.start() and not text[s].isalnum():
            s += 1
        if s == m.start() or (s > 0 and text[s - 1] in "@/"):
            continue  # no label, or an e-mail address / a path already
        domain = text[s : m.end()]
        labels = domain.count(".")
        suffix = m.group()
        second_level = suffix.count(".") == 2
        if not (domain.islower() or domain.isupper()):
            continue  # "Stable.In": mixed case is a sentence, not an address
        e = m.end()
        p = _PATH.match(text, e)
        if p is not None:
            e = p.end()
            while e > m.end() and text[e - 1] in ".,;:!?":
                e -= 1
        elif labels < 2 + second_level:
            continue
        emit(s, e, "URL", _SCORE)
