"""Fixed-width tables typed by their header: registers, logs and census lists laid out with blanks.

A header is a line (or, where noise broke it, consecutive lines) of four or more short labels two or
more blanks apart ("DATE  PATIENT  RX#  QTY  PRESCRIBER  DEA/REG  BAL"); a label names its column's
kind the way a CSV header does (``key_type``, after OCR digits are read as the letters they stand for:
"PAT1ENT", "PRE5CRIBER"). The rows are read as one stream of cells (blank runs of two or more and line
ends separate them), so a row that noise wrapped onto two lines still fills its columns in order; a
cell that starts with a date starts a new row when the first column is a date. Names must hold a word
that is not safe, ids a digit. Linear: each line is split once.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

Emit = Callable[[int, int, str, float], None]
_SCORE = 0.6

_LABEL = re.compile(r"[A-Za-z0-9#][A-Za-z0-9#/._\-]{0,19}+(?: [A-Za-z#/._\-][A-Za-z0-9#/._\-]{0,19}+){0,2}+")
_CELL = re.compile(r"\S(?:\S| (?=\S))*+")  # a run of text with no two blanks in a row
_DATE_HEAD = re.compile(
    r"(?:[0-9]{1,4}[/.\-](?:[0-9]{1,2}|[A-Za-z]{3})[/.\-][0-9]{2,4})(?= |\Z)"
)  # 2025-07-20, 20/10/2025, 20-OCT-2025
_NO_LABEL_DIGIT = re.compile("[2-46-79]")
_OCR_DIGITS = str.maketrans("10583", "iosbe")
_OCR_LETTERS = str.maketrans("OoIlS", "00115")  # "O8/07/2021": a date read through OCR noise
_NAME_CELL = re.compile(r"[^\W\d_][\w'’.\-]*+(?:,?[ \t][^\W\d_][\w'’.\-]*+){0,3}+")
_IDENTIFYING = frozenset(["NAME", "LICENSE", "MRN", "ID", "ACCOUNT", "HEALTH_PLAN", "SSN", "DEVICE"])


def _digits(value: str) -> int:
    return sum(c.isdigit() for c in value)


def _label_type(label: str, key_type: Callable[[str], str]) -> str:
    read = label.translate(_OCR_DIGITS)
    for text in (read, read.replace("l", "i")):  # "PRESCRlBER": an I read as l
        kind = key_type(text)
        if kind:
            return kind
        for part in re.split(r"[/ ]", text):
            if part and (kind := key_type(part)):
                return kind
    return ""


def _labels(line: str) -> list[str] | None:
    """The line's labels when it reads as (part of) a header: short words two or more blanks apart."""
    if len(line) > 200 or _NO_LABEL_DIGIT.search(line) is not None:
        return None  # too long, or digits no OCR'd label holds
    cells = [c.group() for c in _CELL.finditer(line)]
    if not cells:
        return None
    for c in cells:
        if (
            _LABEL.fullmatch(c) is None
            or sum(ch.isdigit() for ch in c) > 1
            or sum(ch.isalpha() for ch in c) < 2
        ):
            return None
    if len(cells) > 1 and "  " not in line.strip():
        return None
    return cells


def _cells(line: str, offset: int) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    for m in _CELL.finditer(line):
        value = m.group()
        start = offset + m.start()
        d = _DATE_HEAD.match(value.translate(_OCR_LETTERS))
        if d is not None and d.end() < len(value):  # "20-OCT-2025 PANT, ANVI": a date, then a cell
            out.append((start, d.group()))
            rest = value[d.end() :].lstrip()
            out.append((start + len(value) - len(rest), rest))
        else:
            out.append((start, value))
    return out


_BATCH_LABEL = re.compile(r"(?i)(?:lot|batch|ndc)(?:[ #]?(?:no\.?|number|#))?")


def batch_cells(text: str) -> list[tuple[int, int]]:
    """Where the cells of fixed-width tables' batch and product-code columns ("LOT", "BATCH", "NDC")
    are: a controlled-drug count lists each drug's lot ("SR8771"), which the id rules would read as
    an id. The tables are read as ``table_candidates`` reads them (``_table_cells``)."""
    if "   " not in text:
        return []
    return [
        (start, start + len(value))
        for start, value, label, _ in _table_cells(text, _no_type)
        if _BATCH_LABEL.fullmatch(label) is not None
    ]


def _no_type(label: str) -> str:
    return ""


def table_candidates(
    text: str, key_type: Callable[[str], str], safe: Callable[[str], bool], emit: Emit
) -> None:
    """Emits the typed cells of every fixed-width table in ``text``."""
    if "   " not in text:
        return
    for start, value, _, kind in _table_cells(text, key_type, identifying_only=True):
        if kind == "NAME":
            # a name's shape: words of letters (no digits), one with two letters or more
            words = re.findall(r"[^\W\d_][\w'’\-]*", value)
            if _NAME_CELL.fullmatch(value) is not None and any(
                len(w) > 2 and "-" not in w and not safe(w) for w in words
            ):
                emit(start, start + len(value), kind, _SCORE)
        elif (kind in _IDENTIFYING or kind == "DATE") and len(value) >= 4 and _digits(value) >= 3:
            emit(start, start + len(value), kind, _SCORE)  # no quantity ("28")
        elif kind == "AGE" and value.isdigit() and 90 <= int(value) <= 125:
            emit(start, start + len(value), kind, _SCORE)  # an age over 89 identifies


def _table_cells(
    text: str, key_type: Callable[[str], str], *, identifying_only: bool = False
) -> Iterator[tuple[int, str, str, str]]:
    """Every cell of every fixed-width table (four labels or more) as (start, value, its column's
    label, the label's kind); ``identifying_only``: only tables with a column of an identifying kind."""
    lines = text.split("\n")
    starts: list[int] = []
    pos = 0
    for line in lines:
        starts.append(pos)
        pos += len(line) + 1
    i = 0
    n = len(lines)
    while i < n:
        if "  " not in lines[i]:
            i += 1
            continue  # a header's first line holds two labels or more, two blanks apart
        labels = _labels(lines[i])
        if labels is None or len(labels) < 2:
            i += 1
            continue
        # the header: this line and the label-only lines after it (blank lines between allowed)
        j = i + 1
        while j < n:
            if not lines[j].strip():
                j += 1
                continue
            more = _labels(lines[j])
            if more is None:
                break
            labels += more
            j += 1
        types = [_label_type(label, key_type) for label in labels]
        if len(labels) < 4 or (identifying_only and not _IDENTIFYING.intersection(types)):
            i = j
            continue
        dated = types[0] == "DATE"
        # Where each label starts on a one-line header: a cell that starts there (two blanks of slack)
        # is that label's, so a cell that ran into its neighbour ("BUPRENORPHINE/NALOXONE 8/2 68084-..")
        # or a blank cell does not shift the rest of the row; other cells follow in order.
        header_cols = [m.start() for m in _CELL.finditer(lines[i])]
        aligned = len(header_cols) == len(labels)
        column = 0
        blank = 0
        while j < n:
            line = lines[j]
            if not line.strip():
                blank += 1
                if blank > 2:
                    break
                j += 1
                continue
            cells = _cells(line, starts[j])
            if len(cells) == 1 and len(cells[0][1]) > 12:
                break  # a line of prose ends the table ("Count verified by ...")
            blank = 0
            for start, value in cells:
                if dated and _DATE_HEAD.fullmatch(value.translate(_OCR_LETTERS)) is not None:
                    column = 0
                if aligned:
                    col = start - starts[j]
                    for k, head in enumerate(header_cols):
                        if head - 2 <= col <= head + 2:
                            column = k
                            break
                yield start, value, labels[column % len(types)], types[column % len(types)]
                column += 1
            j += 1
        i = j
