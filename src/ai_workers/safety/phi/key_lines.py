"""Postcodes and towns on "key: value" lines: "Postcode: 6901", "scene_postcode: 6901", "SCENE_CITY:
THANE", "PIN code: 613 767".

Forms and exports put a postcode alone after its key, with no street before it for the address rules
to start from. A line is looked at only where a postcode or town key word occurs (``str.find`` on a
lower-cased copy); its key is typed like a JSON key (``key_type``), and the value is kept when it has
the shape of its type: a postcode of 3-10 letters and digits with a digit, a town of 1-3 words that
start with a capital. A "Location:" line that describes a place in lower case gives the town after
its last comma ("Location: shopping centre car park, Ballarat.").
"""

from __future__ import annotations

import re
from collections.abc import Callable

Emit = Callable[[int, int, str, float], None]
_SCORE = 0.6

_CUES = ("postcode", "post code", "postal code", "zip", "pincode", "pin code", "city", "town", "suburb")
KEY_LINE = re.compile(r"[ \t]*+([A-Za-z][A-Za-z_ ]{0,30}?)[ \t]*+[:=][ \t]*+([^\n]{1,60}?)[ \t.]*+$")
_POSTCODE = re.compile(r"(?=[A-Za-z0-9 \-]*[0-9])[A-Za-z0-9][A-Za-z0-9 \-]{2,9}")
# "Location: bowls club, Spring Valley.": a place described in lower case, then the town it is in.
LOCATION_LINE = re.compile(
    r"(?i:location)[ \t]*+:[ \t]*+[a-z][a-z \t\-]{2,60}+,[ \t]*+"
    r"([A-Z][A-Za-z'’\-]{1,30}+(?:[ \t][A-Z][A-Za-z'’\-]{1,30}+){0,2}+)[ \t]*+\.?[ \t]*+$",
    re.MULTILINE,
)
_TOWN = re.compile(r"[A-Z][A-Za-z'’.\-]{1,30}+(?:[ \t][A-Za-z][A-Za-z'’.\-]{1,30}+){0,2}+")


def key_line_candidates(text: str, key_type: Callable[[str], str], emit: Emit) -> None:
    """Emits ZIP and LOCATION spans for the values of postcode and town keys on their own lines."""
    low = text.lower()
    seen: set[int] = set()
    for cue in _CUES:
        i = low.find(cue)
        while i >= 0:
            start = text.rfind("\n", 0, i) + 1
            if start not in seen:
                seen.add(start)
                end = text.find("\n", i)
                m = KEY_LINE.match(text, start, len(text) if end < 0 else end)
                if m is not None:
                    _value(m, key_type(m.group(1)), emit)
            i = low.find(cue, i + len(cue))
    i = low.find("location")
    while i >= 0:
        end = text.find("\n", i)
        m = LOCATION_LINE.match(text, i, len(text) if end < 0 else end)
        if m is not None:
            emit(m.start(1), m.end(1), "LOCATION", _SCORE)
        i = low.find("location", i + 8)


def _value(m: re.Match[str], kind: str, emit: Emit) -> None:
    value = m.group(2)
    if kind == "ZIP" and _POSTCODE.fullmatch(value) is not None:
        emit(m.start(2), m.end(2), "ZIP", _SCORE)
    elif kind == "LOCATION" and _TOWN.fullmatch(value) is not None:
        emit(m.start(2), m.end(2), "LOCATION", _SCORE)
