"""Cheap necessary conditions (gates) that keep the detector's whole-text scans off texts that cannot match.

Why a module of its own: with Python's ``re`` a whole-text scan costs ~100k instructions whatever it
finds, so most of the detector's speed comes from not scanning: digit shapes found with C string
search on a digits-as-"0" copy (``_Gate``), street lines found from the capitalised words' keys,
e-mail addresses from each "@", month-date windows from month-name probes. Every gate is exact (the
same spans as the plain scan), and tests/safety/test_phi_fast_paths.py pins each one to it.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator

from ai_workers.safety.phi.patterns import (
    _ASCII_TWINS,
    _STREET_SUFFIX,
    MONTH,
    _by_first_letter,
)

# Literal-led necessary conditions (re finds a leading literal fast): an IPv4 address holds ".d.d",
# an IPv6 one two colons with only hex digits between, a MAC address ":XX:XX:" or "-XX-XX-" (not
# just "-XX-", which every ISO date holds: "2019-07-06" would send each such text to a full MAC scan).
_IPV4_GATE = re.compile(r"\.\d{1,3}\.\d")
_IPV6_GATE = re.compile(r":[0-9A-Fa-f]*:")
_MAC_GATE = re.compile(r":[0-9A-Fa-f]{2}:[0-9A-Fa-f]{2}:|-[0-9A-Fa-f]{2}-[0-9A-Fa-f]{2}-")
_DIGIT_SHAPE = str.maketrans("123456789", "000000000")
_CLASS_SHAPE = str.maketrans("BCDEFGHIJKLMNOPQRSTUVWXYZ123456789", "A" * 25 + "0" * 9)
_VIN_SHAPE = str.maketrans(dict.fromkeys("ABCDEFGHJKLMNPRSTUVWXYZ0123456789", "V"))


class _Gate:
    r"""Cheap necessary conditions for the number rules, so a whole-text regex scan (~100k instructions
    each, whatever it finds) runs only when the text can hold a match.

    For ASCII text (``\d`` is then [0-9]) every digit becomes "0" and the rule's digit shapes are
    looked for with ``in`` (C string search): an SSN needs "000-00-0000" or a variant, a card number
    eight digits in a row or in two groups of four, and so on. Other text gets no shortcut."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.shape = text.translate(_DIGIT_SHAPE) if text.isascii() else None
        self._classes: str | None = None

    def fast(self, pattern: re.Pattern[str]) -> re.Pattern[str]:
        """The pattern, or for ASCII text its twin that starts with [0-9] instead of \\d (the same
        matches there; re tests a candidate against a bitmap instead of a Unicode category table)."""
        return _ASCII_TWINS.get(pattern, pattern) if self.shape is not None else pattern

    def scan(self, pattern: re.Pattern[str], *shapes: str, classes: bool = False) -> Iterator[re.Match[str]]:
        """``pattern.finditer(text)`` where it can matter: for ASCII text only the lines holding one of
        the shapes (digits as "0"; with ``classes``, capitals as "A" too) are scanned, with the
        [0-9]-led twin. Exact for the number patterns, which never span a line and whose every
        match the caller keeps holds a shape: a line's ``\\b`` or lookahead at its newline sees a
        non-word character, as at the end of the string."""
        if self.shape is None:
            yield from pattern.finditer(self.text)
            return
        haystack = self.shape
        if classes:
            if self._classes is None:
                self._classes = self.text.translate(_CLASS_SHAPE)
            haystack = self._classes
        lines: set[tuple[int, int]] = set()
        for shape in shapes:
            i = haystack.find(shape)
            while i != -1:
                end = haystack.find("\n", i)
                if end == -1:
                    end = len(haystack)
                lines.add((haystack.rfind("\n", 0, i) + 1, end))
                i = haystack.find(shape, end)
        fast = _ASCII_TWINS.get(pattern, pattern)
        for start, end in sorted(lines):
            yield from fast.finditer(self.text, start, end)

    def classes(self, *shapes: str) -> bool:
        """Whether the text may hold one of these shapes of capitals ("A") and digits ("0")."""
        if self.shape is None:
            return True
        if self._classes is None:
            self._classes = self.text.translate(_CLASS_SHAPE)
        return any(shape in self._classes for shape in shapes)

    def digits(self, *shapes: str) -> bool:
        """Whether the text may hold one of these digit shapes (digits written as 0)."""
        return self.shape is None or any(shape in self.shape for shape in shapes)

    def vin(self) -> bool:
        """Whether the text may hold 17 VIN characters in a row."""
        return self.shape is None or "VVVVVVVVVVVVVVVVV" in self.text.translate(_VIN_SHAPE)


_STREET_SUFFIX_KEYS = frozenset(_STREET_SUFFIX[3:-1].lower().split("|"))
_KEY_PART_END = re.compile(r"['’\-]")


def _street_matches(
    text: str, street: re.Pattern[str], tokens: list[tuple[int, int]], keys: list[str], digits: str | None
) -> Iterator[re.Match[str]]:
    """``street.finditer(text)``, scanning only the lines where a street suffix can be.

    A street address ends in "<blank><suffix>" with a word boundary after the suffix, so a capitalised
    word starts there whose key, up to any "'" or "-", is the suffix in lower case: such words are
    found with a set intersection over the keys (a regex for " Street| St| Ave..." cost ~0.35M
    instructions per 2 KB). Lines without a digit are skipped too (addresses start with one)."""
    parts = {k: _KEY_PART_END.split(k, 1)[0] for k in keys if "-" in k or "'" in k or "’" in k}
    found = _STREET_SUFFIX_KEYS.intersection(keys) | _STREET_SUFFIX_KEYS.intersection(parts.values())
    if not found:
        return
    line_end = -1
    for i in [i for i, k in enumerate(keys) if k in found or parts.get(k) in found]:
        start = tokens[i][0]
        if start < line_end:
            continue  # this line was scanned already
        line_start = text.rfind("\n", 0, start) + 1
        line_end = text.find("\n", start)
        if line_end == -1:
            line_end = len(text)
        if digits is None or digits.find("0", line_start, line_end) != -1:
            yield from street.finditer(text, line_start, line_end)


_PATH_STOP = re.compile(r"[\s<>\"'()]")
_URL_TRAILING = ".,;:!?)]}'\""


class _Paths:
    """Where the URL path after a domain ends, and where the URL ends without trailing punctuation,
    remembered for the last path: probes inside one path (".com/x.com/y.com/...") share its end, so
    a long path is read once, not once per probe."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.start = self.stop = -1  # [start, stop): no path stop character; text[stop] is one (or the end)
        self.end_at = self.trim_at = -1

    def end(self, i: int) -> int:
        r"""``i``, or the end of the ``/[^\s<>"'()]*`` path that starts at ``i``."""
        text = self.text
        if i >= len(text) or text[i] != "/":
            return i
        if not self.start <= i < self.stop:
            found = _PATH_STOP.search(text, i)
            self.start, self.stop = i, found.start() if found is not None else len(text)
        return self.stop

    def trimmed(self, e: int) -> int:
        """The least ``t <= e`` with only trailing punctuation in ``text[t:e]``."""
        if e != self.end_at:
            text = self.text
            t = e
            while t > 0 and text[t - 1] in _URL_TRAILING:
                t -= 1
            self.end_at, self.trim_at = e, t
        return self.trim_at


_EMAIL_LOCAL = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._%+-")


def _emails(text: str, email: re.Pattern[str]) -> Iterator[re.Match[str]]:
    """``email.finditer(text)``, found from each '@' instead of trying the pattern at every character.

    The pattern is ``<local chars>+@<domain>``: a match holding a given '@' can only start where the
    run of local-part characters before it starts (or where the previous match ended, as finditer
    never overlaps), and its greedy local part can only end at that '@'; so one ``match`` per '@'
    finds the same matches, in order."""
    last_end = 0
    at = text.find("@")
    while at != -1:
        start = at
        while start > last_end and text[start - 1] in _EMAIL_LOCAL:
            start -= 1
        if start < at:
            m = email.match(text, start)
            if m is not None:
                yield m
                last_end = m.end()
        at = text.find("@", max(at + 1, last_end))
    return


_TLD_PROBES = (
    ".com",
    ".org",
    ".net",
    ".gov",
    ".edu",
    ".health",
    ".io",
    ".us",
    ".info",
    ".biz",
    ".care",
    ".clinic",
    ".md",
)
_TLD_PROBE = re.compile(r"\.(?:" + "|".join(re.escape(t[1:]) for t in _TLD_PROBES) + ")")


def _month_positions(text: str) -> list[int]:
    """Where month names (or their abbreviations) start: their first three letters, not right after
    another letter. One scan of ``_MONTH_PROBE`` instead of 24 ``str.find`` passes over the text; a
    probe that overlaps an earlier one starts inside it, after a letter, so non-overlapping matches
    lose nothing."""
    return [i for i in map(_match_start, _MONTH_PROBE.finditer(text)) if i == 0 or not text[i - 1].isalpha()]


_match_start = re.Match.start


_MONTH_NAMES = frozenset(MONTH[3:-4].split("|"))  # the alternatives in MONTH, e.g. "Sept", "SEPT"
_MONTH_RUN = re.compile(r"[^\W\d]+")  # word characters other than digits


def _month_in_window(text: str, anchors: list[int], lo: int, hi: int) -> bool:
    """Whether the month-date patterns (but ``date_the_dth``) can match anything in ``text[lo:hi]``.

    Each needs a month name (``MONTH``) that is not followed by a letter, digit-less word character or
    underscore (what follows is ``.``, a blank, a digit, ``,``, ``-``, ``/`` or a word boundary). Month
    names start at an anchor, or at ``lo`` (the window's first character has no left context), and one
    is usable exactly when the run of non-digit word characters starting there, cut at the window's
    end, is itself a month name."""
    first = bisect.bisect_left(anchors, lo)
    starts = anchors[first : bisect.bisect_left(anchors, hi, first)]
    if text[lo : lo + 3] in _MONTH_FIRST3:
        starts = [lo, *starts]
    for q in starts:
        run = _MONTH_RUN.match(text, q, hi)
        if run is not None and run.group() in _MONTH_NAMES:
            return True
    return False


_MONTH_FIRST3 = (
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "May",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Oct",
    "Nov",
    "Dec",
    "JAN",
    "FEB",
    "MAR",
    "APR",
    "MAY",
    "JUN",
    "JUL",
    "AUG",
    "SEP",
    "OCT",
    "NOV",
    "DEC",
)

# Grouped by first letter ("J(?:an|un|...)"), so re rejects a letter in one test.
_MONTH_PROBE = re.compile(_by_first_letter("(?:" + "|".join(_MONTH_FIRST3) + ")"))
