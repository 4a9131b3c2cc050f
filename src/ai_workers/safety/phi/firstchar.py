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
with a minimum of one, and alternatives followed); under IGNORECASE it holds both cases and the
non-ASCII letters that fold to ASCII ones. Whatever it cannot derive (or a Python whose ``re``
internals differ) leaves the pattern as ``re`` compiled it.

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
    _AVAILABLE = all(
        hasattr(_compiler, name) for name in ("_code", "_compile_charset", "_optimize_charset")
    ) and hasattr(_constants, "SRE_INFO_CHARSET")
except ImportError:  # pragma: no cover - other Pythons keep plain patterns
    _AVAILABLE = False

# Characters outside ASCII that IGNORECASE matches to ASCII letters (İ ı ſ K): a class of ASCII
# letters under IGNORECASE may start a match at one of them.
_ASCII_FOLDS = (0x130, 0x131, 0x17F, 0x212A)
_IGNORECASE = 2  # re.IGNORECASE
_LOCALE = 4  # re.LOCALE
_MULTILINE = 8  # re.MULTILINE

Items = list[tuple[Any, Any]]

# The patterns this module built (so converting a module twice changes nothing).
_CONVERTED: weakref.WeakSet[re.Pattern[str]] = weakref.WeakSet()


def _first_items(data: list[tuple[Any, Any]], flags: int) -> tuple[Items, bool] | None:
    """Charset items that every match of the sequence ``data`` starts with, and whether IGNORECASE
    applies to them; None when no such set can be read off (or it would not narrow anything)."""
    c = _constants
    for op, av in data:
        if op is c.AT and (av is c.AT_BEGINNING_STRING or (av is c.AT_BEGINNING and not flags & _MULTILINE)):
            return None  # anchored at the start: re's search already stops after one try
        if _zero_width(op, av):
            continue  # the next element consumes the first character
        if op is c.LITERAL:
            return [(c.LITERAL, av)], bool(flags & _IGNORECASE)
        if op is c.IN:
            if any(item[0] is c.NEGATE for item in av):
                return None
            return list(av), bool(flags & _IGNORECASE)
        if op is c.SUBPATTERN:
            _group, add_flags, del_flags, sub = av
            return _first_items(sub.data, (flags | add_flags) & ~del_flags)
        if op is c.ATOMIC_GROUP:
            return _first_items(av.data, flags)
        if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
            low, _high, item = av
            if low < 1:
                return None
            return _first_items(item.data, flags)
        if op is c.BRANCH:
            union: Items = []
            cased = False
            for alternative in av[1]:
                found = _first_items(alternative.data, flags)
                if found is None:
                    return None
                union.extend(found[0])
                cased = cased or found[1]
            return union, cased
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


def _case_closed(items: Items) -> Items | None:
    """``items`` as raw characters under IGNORECASE: both cases of ASCII letters, the non-ASCII
    letters that fold to them; None if a non-ASCII character or a category is in the set."""
    c = _constants
    chars: set[int] = set()
    for op, av in items:
        if op is c.LITERAL:
            chars.add(av)
        elif op is c.RANGE:
            if av[1] - av[0] > 256:
                return None
            chars.update(range(av[0], av[1] + 1))
        else:
            return None
    if any(ch > 127 for ch in chars):
        return None
    closed = set(chars)
    for ch in chars:
        closed.add(ord(chr(ch).lower()))
        closed.add(ord(chr(ch).upper()))
    if any(chr(ch).isalpha() for ch in chars):
        closed.update(_ASCII_FOLDS)
    return [(c.LITERAL, ch) for ch in sorted(closed)]


def with_first_chars(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """``pattern`` recompiled so that searches skip to the characters a match can start with; the
    pattern itself when ``re`` already does that, or when no such set can be derived."""
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
        if code[0] != c.INFO or code[2] != 0 or code[3] == 0:
            return pattern  # a prefix or a class already, or a match may be empty
        all_flags = parsed.state.flags | flags
        found = _first_items(parsed.data, all_flags)
        if found is None:
            return pattern
        items, cased = found
        if cased:
            closed = _case_closed(items)
            if closed is None:
                return pattern
            items = closed
        charset, hascased = _compiler._optimize_charset(items)
        if hascased:
            return pattern
        info = [c.INFO, 0, c.SRE_INFO_CHARSET, code[3], code[4]]
        # Compiled without IGNORECASE: the search loop tests the raw character (as re's own
        # leading-class filter does), so the class is already case-closed above.
        _compiler._compile_charset(charset, all_flags & ~_IGNORECASE, info)
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
