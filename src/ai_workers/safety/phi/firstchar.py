"""Regex searches that skip, in C, to the characters a match can start with.

Why: CPython's ``re`` skips ahead quickly only when a pattern starts with a literal or a plain
character class. Most detector patterns start with a lookbehind (``(?<![A-Za-z0-9])[A-Z]...``), a
repeat (``[0-9]{4,5}``), a group or ``(?i)``: then ``search``/``finditer`` run the whole matcher at
every position of the text, ~100 instructions per character, and the detector's few dozen
whole-text scans were a third of its time on a 2 KB prompt.

``with_first_chars`` recompiles such a pattern with the set of characters any match must start
with written into its info block (where ``re`` itself puts a leading class), so ``re``'s search loop
tests one character against a bitmap and starts the matcher only there. The compiled program is
otherwise the one ``re`` builds, so matches, groups and spans are the same: the set is a necessary
condition, derived from the parsed pattern (leading zero-width assertions skipped; groups, repeats
with a minimum of one, and alternatives followed). Below 256 it is exact, each character tested with
``re`` against the leading classes (IGNORECASE and categories as the pattern means them); every
character from 256 up passes (the matcher decides, as for any candidate). Patterns whose leading
class ``re`` already tests by a category (a digit class) or several ranges get the same bitmap: one test
instead of a walk. Whatever it cannot derive (or a Python whose ``re`` internals differ) leaves the
pattern as ``re`` compiled it.

It uses ``re``'s private compiler modules (``re._parser``, ``re._compiler``, Python 3.11+); the test
tests/safety/test_phi_firstchar.py checks every converted pattern of the detector against its
original on the labelled texts and on generated ones.
"""

from __future__ import annotations

import importlib
import re
import weakref
from types import ModuleType
from typing import Any

_sre: Any = None
_compiler: Any = None
_constants: Any = None
_parser: Any = None
try:  # CPython 3.11+: the parser and compiler behind re.compile (no typeshed stubs: Any)
    _sre = importlib.import_module("_sre")
    _compiler = importlib.import_module("re._compiler")
    _constants = importlib.import_module("re._constants")
    _parser = importlib.import_module("re._parser")
    _AVAILABLE = hasattr(_compiler, "_code") and hasattr(_constants, "SRE_INFO_CHARSET")
except ImportError:  # pragma: no cover - other Pythons keep plain patterns
    _AVAILABLE = False

_IGNORECASE = 2  # re.IGNORECASE
_LOCALE = 4  # re.LOCALE
_MULTILINE = 8  # re.MULTILINE
_ASCII = 256  # re.ASCII

Items = list[tuple[Any, Any]]
Parts = list[tuple[Items, int]]  # charset items, with the flags that apply to them

# The patterns this module built (so converting a module twice changes nothing).
_CONVERTED: weakref.WeakSet[re.Pattern[str]] = weakref.WeakSet()


def _first_parts(data: list[tuple[Any, Any]], flags: int) -> Parts | None:
    """Charset items (with their flags) one of which every match of the sequence ``data`` starts
    with; None when no such set can be read off."""
    c = _constants
    for op, av in data:
        if op is c.AT and (av is c.AT_BEGINNING_STRING or (av is c.AT_BEGINNING and not flags & _MULTILINE)):
            return None  # anchored at the start: re's search already stops after one try
        if _zero_width(op, av):
            continue  # the next element consumes the first character
        if op is c.LITERAL:
            return [([(c.LITERAL, av)], flags)]
        if op is c.IN:
            return [(list(av), flags)]
        if op is c.SUBPATTERN:
            _group, add_flags, del_flags, sub = av
            return _first_parts(sub.data, (flags | add_flags) & ~del_flags)
        if op is c.ATOMIC_GROUP:
            return _first_parts(av.data, flags)
        if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
            low, _high, item = av
            if low < 1:
                return None
            return _first_parts(item.data, flags)
        if op is c.BRANCH:
            union: Parts = []
            for alternative in av[1]:
                found = _first_parts(alternative.data, flags)
                if found is None:
                    return None
                union.extend(found)
            return union
        return None  # ANY, NOT_LITERAL, a group reference, ...: no usable set
    return None


def _zero_width(op: Any, av: Any) -> bool:
    """Whether the element matches the empty string only (an assertion, an anchor, a group or
    alternatives of those): it never consumes the first character of a match."""
    c = _constants
    if op in (c.ASSERT, c.ASSERT_NOT, c.AT):
        return True
    if op is c.SUBPATTERN:
        return bool(av[3].data) and all(_zero_width(o, a) for o, a in av[3].data)
    if op is c.BRANCH:
        return all(alt.data and all(_zero_width(o, a) for o, a in alt.data) for alt in av[1])
    return False


_LATIN1 = "".join(map(chr, range(256)))

_CATEGORY_CLASSES = {
    "CATEGORY_DIGIT": r"\d",
    "CATEGORY_NOT_DIGIT": r"\D",
    "CATEGORY_SPACE": r"\s",
    "CATEGORY_NOT_SPACE": r"\S",
    "CATEGORY_WORD": r"\w",
    "CATEGORY_NOT_WORD": r"\W",
}


def _class_source(items: Items) -> str | None:
    """``items`` (a parsed character class) written back as a class pattern; None if unknown."""
    c = _constants
    out: list[str] = []
    negate = False
    for op, av in items:
        if op is c.NEGATE:
            negate = True
        elif op is c.LITERAL:
            out.append(f"\\U{av:08x}")
        elif op is c.RANGE:
            out.append(f"\\U{av[0]:08x}-\\U{av[1]:08x}")
        elif op is c.CATEGORY and str(av) in _CATEGORY_CLASSES:
            out.append(_CATEGORY_CLASSES[str(av)])
        else:
            return None
    return ("[^" if negate else "[") + "".join(out) + "]"


def _latin1_members(parts: Parts) -> list[int] | None:
    """The characters below 256 that can start a match: each tested with ``re`` itself against the
    classes (so IGNORECASE, ASCII and the categories mean exactly what they mean in the pattern)."""
    members: set[int] = set()
    for items, flags in parts:
        source = _class_source(items)
        if source is None:
            return None
        # One scan of the 256 characters in order: a match's offset is its character's code.
        members.update(m.start() for m in re.finditer(source, _LATIN1, flags & (_IGNORECASE | _ASCII)))
    return sorted(members)


def _filter_code(members: list[int]) -> list[int]:
    """A charset program: a bitmap of ``members`` (all below 256), and every character from 256 up.
    Above Latin-1 it is a superset of the first characters (checked by the matcher, as any
    candidate is), which keeps the test to one bit and one range however the class is written."""
    c = _constants
    words = [0] * 8
    for ch in members:
        words[ch >> 5] |= 1 << (ch & 31)
    return [c.CHARSET, *words, c.RANGE, 256, 0x10FFFF, c.FAILURE]


def _cheap_charset(code: list[int]) -> bool:
    """Whether the info block's charset (re's own leading class) is already one bitmap, or one or
    two literals or ranges: then a filter of ours would test no faster."""
    c = _constants
    body = code[5 : 1 + code[1]]
    if len(body) == 10 and body[0] == c.CHARSET and body[9] == c.FAILURE:
        return True
    i = tests = 0
    while i < len(body) and body[i] != c.FAILURE:
        if body[i] == c.LITERAL:
            i += 2
        elif body[i] == c.RANGE:
            i += 3
        else:
            return False
        tests += 1
    return tests <= 2


def with_first_chars(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """``pattern`` recompiled so that searches skip to the characters a match can start with, tested
    with one bitmap; the pattern itself when ``re`` already does that as well, or when no such set
    can be derived."""
    if (
        not _AVAILABLE
        or not isinstance(pattern.pattern, str)
        or pattern.flags & _LOCALE
        or pattern in _CONVERTED
    ):
        return pattern
    try:
        flags = pattern.flags & ~re.UNICODE
        parsed = _parser.parse(pattern.pattern, flags)
        code: list[int] = _compiler._code(parsed, flags)
        c = _constants
        if code[0] != c.INFO or code[2] & c.SRE_INFO_PREFIX or code[3] == 0:
            return pattern  # a literal prefix already, or a match may be empty
        if code[2] & c.SRE_INFO_CHARSET and _cheap_charset(code):
            return pattern
        all_flags = parsed.state.flags | flags
        parts = _first_parts(parsed.data, all_flags)
        members = _latin1_members(parts) if parts is not None else None
        if members is None or all(ch in members for ch in range(32, 127)):
            return pattern  # no set, or one that every printable ASCII character passes
        info = [c.INFO, 0, c.SRE_INFO_CHARSET, code[3], code[4], *_filter_code(members)]
        info[1] = len(info) - 1
        program = info + code[1 + code[1] :]
        groupindex = parsed.state.groupdict
        indexgroup: list[str | None] = [None] * parsed.state.groups
        for name, index in groupindex.items():
            indexgroup[index] = name
        fast: re.Pattern[str] = _sre.compile(
            pattern.pattern, all_flags, program, parsed.state.groups - 1, groupindex, tuple(indexgroup)
        )
        _CONVERTED.add(fast)
        return fast
    except Exception:  # an internal we did not expect: the plain pattern is right
        return pattern


def convert_module(module: ModuleType) -> int:
    """Replaces the module-level compiled patterns of ``module`` with ``with_first_chars`` versions;
    how many it replaced."""
    count = 0
    for name, value in list(vars(module).items()):
        if isinstance(value, re.Pattern):
            fast = with_first_chars(value)
            if fast is not value:
                setattr(module, name, fast)
                count += 1
    return count


def convert_attributes(obj: object) -> int:
    """The same for the compiled patterns held in ``obj``'s attributes (the rules object)."""
    count = 0
    for name in dir(obj):
        if name.startswith("__"):
            continue
        value = getattr(obj, name, None)
        if isinstance(value, re.Pattern):
            fast = with_first_chars(value)
            if fast is not value:
                setattr(obj, name, fast)
                count += 1
    return count
