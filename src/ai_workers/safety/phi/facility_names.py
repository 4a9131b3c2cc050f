# ruff: noqa: E501, SIM905
"""Facility names by their kind word, spelled exactly or through OCR noise ("HOSP1TAL", "Gcneral
Hospltal", "Nvrslng Centcr").

A facility is named by capitalised words before a kind word (hospital, health service, pathology,
urgent care, apothecary, ...) or, in French and Spanish style, after one ("Hôpital Sainte-Odile").
The kind words are found in a folded copy of the text where the letters and digits OCR confuses share
one character (1 l i -> l, 0 o a 4 -> o, c e 3 -> e, 5 s -> s, 8 b -> b, v u -> u, q 9 g -> g), so
one ``str.find`` per kind word finds every noisy spelling (offsets are kept: the fold maps one character
to one). The words before a kind are read back on the same line; a name is kept when one of them is
neither a generic facility word ("general", "district") nor safe (``safe``), or when the name is a
letterhead line of its own at the top of the document. Linear: a ``find`` per kind word and a bounded
look-back per hit.
"""

from __future__ import annotations

import re
from collections.abc import Callable

Emit = Callable[[int, int, str, float], None]
_SCORE = 0.6

# Kind words a facility name ends with (lower case, one blank between words).
_KINDS = (
    "hospital", "hospice", "infirmary", "clinic", "polyclinic", "surgery", "practice", "medical centre",
    "medical center", "health centre", "health center", "community health centre", "nursing home",
    "nursing centre", "care home", "aged care", "long-term care", "health service", "health services",
    "health team", "health system", "health", "pathology", "diagnostic imaging",
    "imaging", "radiology", "laboratory", "laboratories", "labs", "diagnostics", "urgent care",
    "maternity home", "apothecary", "pharmacy", "chemist", "chemists", "dispensary", "orthopedics",
    "orthopaedics", "cardiology associates", "associates", "medical group", "medicals", "drug mart",
    "care centre", "care center", "rehabilitation centre", "rehab centre", "nursing centre",
    "centre", "center", "medical stores", "medical practice", "lodge", "institute", "lab", "reference lab",
    "lab services", "laboratory services", "pathology services", "blood sciences", "senior living",
    "old age home", "gp", "medical service", "aboriginal medical service", "residential home",
    "retirement residence", "retirement home", "senior care", "aged care home", "manor", "skilled nursing",
    "rehabilitation center", "rehabilitation centre", "pediatrics", "paediatrics", "hospitals",
    "dermatology", "neurology", "physiotherapy", "specialists", "service", "memory care",
    "family doctors", "doctors", "internal medicine", "villa", "nursing station", "renal services",
)  # fmt: skip
# Kind words a facility name starts with, its name after it ("Hôpital Sainte-Odile").
_LEADING_KINDS = (
    "hôpital", "hopital", "clinique", "centre hospitalier", "hospital san", "hospital santa", "pharmacie",
    "résidence", "residence", "urban phc", "phc",
)  # fmt: skip

_OCR_SAME = {"1": "l", "i": "l", "|": "l", "!": "l", "0": "o", "a": "o", "4": "o", "@": "o", "c": "e", "3": "e",
             "5": "s", "v": "u", "8": "b", "q": "g", "9": "g"}  # fmt: skip
_FOLD = str.maketrans(
    {
        chr(c): _OCR_SAME.get(chr(c).lower(), chr(c).lower())
        for c in range(128)
        if chr(c).isalnum() or chr(c) in "|!@"
    }
)


def fold(text: str) -> str:
    """``text`` with ASCII letters lowered and OCR look-alikes merged (same length, same offsets)."""
    return text.translate(_FOLD)


_KIND_KEYS = tuple(sorted({fold(k) for k in _KINDS}, key=len, reverse=True))
_LEADING_KEYS = tuple(fold(k) for k in _LEADING_KINDS)
# The kinds by their last word (folded), longest first; the stems that find every last word and
# leading kind word with one ``str.find`` each (a hit is widened to its whole word, then looked up).
_KINDS_BY_HEAD: dict[str, tuple[str, ...]] = {}
for _key in _KIND_KEYS:
    _KINDS_BY_HEAD[_key.split()[-1]] = (*_KINDS_BY_HEAD.get(_key.split()[-1], ()), _key)
_LEADING_STEMS = frozenset(
    ["hosp", "hôp", "hopl", "ellnl", "eent", "phormoele", "resld", "résld", "urbon", "phe"]
)
_STEMS = (
    "hosp", "hôp", "hopl", "lnflrm", "ellnl", "surgery", "proetlee", "eent", "home", "eore", "serulee", "teom",
    "system", "heolth", "pothology", "lmoglng", "rodlology", "loborotor", "lobs", "dlognost", "opotheeory",
    "phormoey", "ehemlst", "dlspensory", "orthop", "ossoelotes", "group", "medleols", "mort", "stores",
    "lodge", "lnstltute", "phormoele", "resld", "résld", "lob", "selenees", "llulng", "gp", "monor", "nurslng",
    "pedlotrles", "poedlotrles", "dermotolog", "neurolog", "physlotherop", "speelollst",
    "doetors", "medlelne", "ulllo", "stotlon",
)  # fmt: skip

# Words that may precede a kind word in a facility's name yet name nothing by themselves.
GENERIC = frozenset(
    """the a an our your their this that his her at to from in of for and general regional community county
    state university medical memorial family urgent primary care city central main local emergency surgery
    department dept internal medicine cardiac cardiology oncology nursing health day walk-in outpatient
    inpatient specialty specialist follow up with seen by transferred discharged admitted referred pharmacy
    clinic hospital centre center base district private public teaching research practice mental dental
    eye rehab rehabilitation children's women's orthopaedic orthopedic plastic vascular diagnostic imaging
    clinical anatomical chemical molecular service services national interventional sports pediatric
    paediatric maternity long-term aged home group cath catheter catheterisation catheterization sleep
    skills simulation""".split()
)
# A street word last before the kind: the facility is named after its street ("Bellbird Street GP").
_STREET_WORDS = frozenset("street road lane avenue drive square terrace crescent grove parade".split())
# Cue words a facility name does not start with: the look-back stops before them.
_STOP = frozenset(
    """to at from in via by with and for of seen follow transferred admitted referred discharged called
    calling contact attend attended visit visited per re""".split()
)
_AND_MORE = re.compile(
    r"[ \t](?i:and|&)[ \t](?:[A-Z][a-z]{1,20}+[ \t])?(?i:research[ \t])?(?i:centre|center|institute)(?![A-Za-z])"
)
# The name after a leading kind word: capitalised words, French and Spanish particles between them
# ("Hopital du Sacre-Coeur de Truro", "Residence des Erables").
_PARTICLE = r"(?:(?:du|de|des|del|la|le|les|d['’]|de[ \t]la)[ \t]?)?"
_NAME_AFTER = re.compile(
    r"[ \t]++(?:(?i:m[ée]dicale?)[ \t]++)?(" + _PARTICLE + r"(?:[A-ZÀ-Þ][A-Za-zÀ-ÿ0-9'’\-]{1,30}+[ \t]?"
    r"(?:(?:du|de|des|del|d['’]|de[ \t]la)[ \t](?=[A-ZÀ-Þ]))?){1,3})"
)


def _capitalised(word: str, lower_ok: bool) -> bool:
    c = word[0]
    return lower_ok or c.isupper() or (c in "0158" and len(word) > 2 and word[1].isalpha())


def _word_char(c: str) -> bool:
    return c.isalnum() or c in "'’.-"


def _words_before(text: str, end: int, lower_ok: bool) -> list[tuple[int, str]]:
    """Up to four capitalised words before ``end`` on its line, one blank apart, nearest last."""
    out: list[tuple[int, str]] = []
    pos = end
    while len(out) < 4 and pos >= 2 and text[pos - 1] == " ":
        e = pos - 1
        s = e
        while s > 0 and e - s < 31 and _word_char(text[s - 1]):
            s -= 1
        while s < e and not text[s].isalnum():
            s += 1  # a word starts with a letter or digit
        if s == e or (s > 0 and _word_char(text[s - 1])):
            break
        w = text[s:e]
        if w.endswith(".") and len(w) > 3:
            break  # a sentence ends there ("... po bid. Labs"); "St." and "Mt." do not
        if not w[0].isalpha() and not (w[0] in "0158" and len(w) > 2 and w[1].isalpha()):
            break  # a number is no part of a name ("25 mg")
        if w == "of" and out and len(out) < 3 and _capital_before(text, s):
            out.append((s, w))  # "Sacred Heart of Paducah Hospital": "of" between capitalised words
            pos = s
            continue
        if w.lower().rstrip(".") in _STOP or not _capitalised(w, lower_ok):
            break
        out.append((s, w))
        pos = s
    while out and out[-1][1] == "of":
        out.pop()  # a name does not start with "of"
    out.reverse()
    return out


def _capital_before(text: str, pos: int) -> bool:
    """A capitalised word ends one blank before ``pos``."""
    return pos >= 3 and text[pos - 1] == " " and text[pos - 2].isalpha() and _word_start_upper(text, pos - 2)


def _word_start_upper(text: str, last: int) -> bool:
    s = last
    while s > 0 and text[s - 1].isalpha() and last - s < 30:
        s -= 1
    return text[s].isupper()


def _letterhead(text: str, start: int, end: int) -> bool:
    """The name is a line of its own among the document's first three lines."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    if text[line_start:start].strip() or text[end:line_end].strip():
        return False
    return text.count("\n", 0, line_start) < 3


def _word_follows(text: str, pos: int) -> bool:
    """A word follows on the line: "health" was an adjective ("... contain health information")."""
    rest = text[pos : pos + 3].lstrip(" \t")
    return bool(rest) and rest[0].isalpha()


def _insurance_line(text: str, pos: int) -> bool:
    line = text[text.rfind("\n", 0, pos) + 1 : pos].lower()
    return "insur" in line or "plan" in line or line.startswith("in1|")


def _kinds_at(folded: str, ws: int, we: int) -> str:
    """The longest kind ending with the word ``folded[ws:we]`` that starts at a word boundary, or ""."""
    for kind in _KINDS_BY_HEAD.get(folded[ws:we], ()):
        ks = we - len(kind)
        if ks >= 0 and folded.startswith(kind, ks) and (ks == 0 or not folded[ks - 1].isalnum()):
            return kind
    return ""


def facility_candidates(text: str, lower_doc: bool, safe: Callable[[str], bool], emit: Emit) -> None:
    """Emits FACILITY spans: capitalised names before a kind word, names after a leading kind word."""
    folded = fold(text)
    n = len(text)
    seen: set[int] = set()
    for stem in _STEMS:
        h = folded.find(stem)
        while h >= 0:
            ws = h
            while ws > 0 and folded[ws - 1].isalnum():
                ws -= 1
            c = text[ws]
            if ws in seen or not (lower_doc or c.isupper() or c in "0158"):
                h = folded.find(stem, h + len(stem))
                continue  # a lower-case word ("recent", "home", "labs") names no facility
            seen.add(ws)
            we = h + len(stem)
            while we < n and folded[we].isalnum():
                we += 1
            h = folded.find(stem, we)
            if stem in _LEADING_STEMS:
                for lead in _LEADING_KEYS:
                    if folded.startswith(lead, ws):
                        _leading(text, ws, ws + len(lead), safe, emit)
            kind = _kinds_at(folded, ws, we)
            if kind:
                _trailing(text, we - len(kind), we, kind, lower_doc, safe, emit)


def _trailing(
    text: str, k: int, e: int, kind: str, lower_doc: bool, safe: Callable[[str], bool], emit: Emit
) -> None:
    """The name before the kind word ``text[k:e]``."""
    kind_word = text[k:e]
    if kind == "heolth" and (_insurance_line(text, k) or _word_follows(text, e)):
        return  # "Insurance: Vitality Health", an HL7 IN1 plan name, "health information": no facility
    if not _capitalised(kind_word, lower_doc):
        return
    if kind in ("lob", "gp") and not kind_word.isalpha():
        return  # "I48" folds to "lab": a short kind word is spelled in letters
    words = _words_before(text, k, lower_doc)
    if kind_word.isupper():  # an upper-case line: a leading safe verb or noun is no part of the name
        while words and safe(words[0][1]) and words[0][1].lower() not in GENERIC:
            words.pop(0)
    if not words:
        return
    start = words[0][0]
    street = len(words) >= 2 and words[-1][1].lower() in _STREET_WORDS  # "Main Street Apothecary"
    if kind == "gp" and not street:
        return  # "BD Alaris GP": a model, not a practice
    named = street or any(w.lower() not in GENERIC and not safe(w) for _, w in words)
    if named or (any(w.lower() not in GENERIC for _, w in words) and _letterhead(text, start, e)):
        more = _AND_MORE.match(text, e)  # "... Hospital and Research Centre"
        emit(start, e if more is None else more.end(), "FACILITY", _SCORE)


def _leading(text: str, k: int, e: int, safe: Callable[[str], bool], emit: Emit) -> None:
    """The name after a leading kind word ``text[k:e]`` ("Hôpital Sainte-Odile")."""
    m = _NAME_AFTER.match(text, e)
    if m is not None:
        name = m.group(1).rstrip()
        if any(not safe(w) for w in re.split(r"[ \t\-]", name) if w):
            emit(k, m.start(1) + len(name), "FACILITY", _SCORE)
