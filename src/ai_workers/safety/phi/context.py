# ruff: noqa: SIM905
"""Context vetoes: candidate spans that what sits around them shows to be no identifier.

Why a module of its own: the name, town and id rules look at a word and a cue before it ("with X",
"in X", "NHS 123"); in PHI-free clinical documents the same shapes are products and organisations
("Supplier: Baxter Medical", "All Fresenius volumetric pumps", "pump alarms (Acme Devices)", "the
Antibiotic Stewardship Committee"), service numbers ("NHS 111", "call 999"), a town guessed from a
quantifier or a month alone ("in most cases", "in March") and a cue glued to a letter ("DR" inside
"DRÄGER"). Each veto reads only the characters next to one candidate, and only candidates of the
guessed kinds (context and safe-word rules, score < 0.9) are vetoed: a labelled identifier or a
titled name ("Dr. Ruiz") is never dropped.
"""

from __future__ import annotations

import re

# (start, end, type, score), as the detector's rules emit them.
Candidate = tuple[int, int, str, float]

_VETO_SCORE = 0.9  # candidates at or above this come from precise rules: never vetoed

# A label whose value is a maker, supplier or product, never a person.
_MAKER_LABEL = re.compile(
    r"(?i)(?:manufacturer|manufactured[ \t]+by|mfr|supplier|supplied[ \t]+by|vendor|distributor|"
    r"distributed[ \t]+by|marketed[ \t]+by|make|brand|analy[sz]er|instrument|platform|"
    r"equipment)[ \t]*+[:\-=][ \t]*+\Z"
)
# Device nouns that are no verbs ("Nurse Kelly monitors" stays a name): a maker's name goes before them.
_DEVICE_NOUNS = (
    r"(?:analy[sz]ers?|ventilators?|scanners?|catheters?|syringes?|stents?|implants?|pacemakers?|"
    r"defibrillators?|glucometers?|infusion[ \t]+(?:pumps?|sets?|systems?)|"
    r"(?:volumetric|syringe|insulin|enteral|infusion|feeding|PCA)[ \t]+(?:pumps?|drivers?))"
)
_DEVICE_AFTER = re.compile(
    r"[ \t]+(?:[a-z][a-z\-]{2,20}[ \t]+)?" + _DEVICE_NOUNS + r"(?![A-Za-z])", re.IGNORECASE
)
# A device noun in the words before a bracket: "Infusion pump alarms (Acme)", "stents (Acme)".
_DEVICE_BEFORE = re.compile(
    r"(?i)(?:pumps?|alarms?|pacemakers?|devices?|analy[sz]ers?|implants?|stents?|catheters?|"
    r"ventilators?|monitors?|scanners?|leads?|syringes?|kits?|assays?|reagents?|lot|batch|"
    r"mr-conditional|conditional|recall(?:ed)?)\b"
)
# The last word of an organisation's name: a person's name never ends in one.
_ORGANISATION = frozenset(
    """committee committees society council board association college foundation institute consortium
    collaboration collaborative panel network taskforce commission federation alliance coalition
    academy secretariat directorate programme program initiative registry""".split()
)
# Three-digit national service and emergency numbers ("NHS 111", "call 999", "dial 911").
_SERVICE_NUMBERS = frozenset("111 999 911 112 000 988 811 211 311 101 119 13".split())
_SERVICE_CUE = re.compile(r"(?i)(?:nhs|call|dial|ring|phone|or|text)[ \t]*+\Z")
_LOCATION_CUE = re.compile(r"(?i)(?:in|from|near|around|outside)[ \t]++\Z")
_WORD = re.compile(r"[A-Za-z][A-Za-z'’\-]*")
_QUANTIFIERS = frozenset(
    """most many some several few any each every both such other another these those this that much
    more less least fewer all none either neither various numerous certain""".split()
)
# A month alone after "in" is a time ("in March"), not the town of the same name.
_MONTHS = frozenset(
    "january february march april may june july august september october november december".split()
)


def _line_before(text: str, start: int) -> str:
    i = text.rfind("\n", max(0, start - 80), start)
    return text[i + 1 : start] if i >= 0 else text[max(0, start - 80) : start]


def _maker(text: str, start: int, end: int) -> bool:
    """A maker or product: after a maker label, before a device noun, or alone in brackets after one."""
    if _MAKER_LABEL.search(_line_before(text, start)) is not None:
        return True
    if _DEVICE_AFTER.match(text, end) is not None:
        return True
    if start > 0 and text[start - 1] == "(" and text[end : end + 1] == ")":
        before = text[max(0, start - 40) : start - 1]
        words = before.split()[-4:]
        return any(_DEVICE_BEFORE.fullmatch(w.strip(",;:")) for w in words)
    return False


def _organisation(text: str, start: int, end: int) -> bool:
    """A capitalised run that ends in an organisation noun: "the Stewardship Committee"."""
    words = _WORD.findall(text[start:end])
    if len(words) >= 2 and words[-1].lower() in _ORGANISATION:
        return True
    # the organisation noun right after the candidate: "Fleischner Society" cut to "Fleischner"
    nxt = _WORD.match(text, end + 1) if text[end : end + 1] == " " else None
    return nxt is not None and nxt.group()[0].isupper() and nxt.group().lower() in _ORGANISATION


def _quantified(text: str, start: int, end: int) -> bool:
    """A town guessed after "in"/"from" that starts with a quantifier or determiner ("in most
    cases", "IN SOME PATIENTS"): a closed class of words no town name starts with. (Open-class words
    stay suspect: "in Orange", "IN PINE BLUFF", "in Cedar Falls" are towns.)"""
    if _LOCATION_CUE.search(text, max(0, start - 12), start) is None:
        return False
    first = _WORD.match(text, start)
    if first is None:
        return False
    word = first.group().lower()
    return word in _QUANTIFIERS or (first.end() == end and word in _MONTHS)


def _glued(text: str, start: int) -> bool:
    """A candidate that starts with a non-ASCII letter glued to an ASCII one: an ASCII-only cue
    ("dr") read inside a word ("DRÄGER"). (After a non-ASCII letter, "PÉPIN", the candidate is the
    rest of a real name: kept.)"""
    before = text[start - 1] if start > 0 else ""
    return before.isascii() and before.isalpha() and not text[start].isascii()


def _service_number(text: str, start: int, end: int) -> bool:
    return (
        text[start:end] in _SERVICE_NUMBERS
        and _SERVICE_CUE.search(text, max(0, start - 8), start) is not None
    )


def vetoed(text: str, candidate: Candidate) -> bool:
    """Whether the context shows ``candidate`` to be no identifier (see the module docstring)."""
    start, end, kind, score = candidate
    if score >= _VETO_SCORE:
        return False
    if kind == "NAME" or kind == "FACILITY":
        if kind == "NAME" and _glued(text, start):
            return True  # a cue glued to a letter: "DRÄGER" is no "Dr ÄGER"
        return _maker(text, start, end) or (kind == "NAME" and _organisation(text, start, end))
    if kind == "LOCATION":
        return _quantified(text, start, end)
    if kind == "ID":
        return _service_number(text, start, end)
    return False


def drop_vetoed(text: str, found: list[Candidate]) -> list[Candidate]:
    """``found`` without the candidates whose context vetoes them (the list itself when none is)."""
    keep = [c for c in found if not vetoed(text, c)]
    return keep if len(keep) != len(found) else found
