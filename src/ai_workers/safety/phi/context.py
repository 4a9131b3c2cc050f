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

from ai_workers.safety.phi import lexicon, makers
from ai_workers.safety.phi.rarewords import RARE_ENGLISH
from ai_workers.safety.phi.recall import (
    _NAME_PARTS,
    _american,
    _common_cased_cache,
    _english_base,
    common_cased,
)
from ai_workers.safety.phi.recall import _STREET_TYPE_SET as STREET_TYPES
from ai_workers.safety.phi.safewords import SAFE_WORDS

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
# What the words of ``_DEVICE_AFTER`` start with: it is tried only when a word after the guess does.
_DEVICE_STEMS = (
    "analy", "ventil", "scann", "cathet", "syring", "stent", "implant", "pacemak", "defibr", "glucom",
    "infusion", "volumetric", "insulin", "enteral", "feeding", "pca",
)  # fmt: skip
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
# with their plurals ("Academy of Medical Royal Colleges", "the Royal Societies")
_ORGANISATIONS = _ORGANISATION.union(
    [w + "s" for w in _ORGANISATION if not w.endswith(("s", "y"))]
    + [w[:-1] + "ies" for w in _ORGANISATION if w.endswith("y")]
)
# The last word of a ward's, service's or duty role's name ("Stroke Unit", "Psych Liaison", "Duty
# Biochemist"): a person's name never ends in one (words that are also surnames, "Ward", are left out).
_SERVICE_NOUNS = frozenset(
    """unit units team teams service services liaison department dept desk office helpline hotline
    biochemist pharmacist registrar consultant technician technologist coordinator coordinators
    manager officer rota staff crew crews scientist scientists""".split()
)


def _service_noun(word: str) -> bool:
    """A service or duty-role noun, a specialist's title among them ("Microbiologist", "Psychiatrist")."""
    return word in _SERVICE_NOUNS or word.endswith(("ologist", "iatrist", "ologists"))


# Species names and their clinical short forms written after a genus initial ("E. coli", "C. diff",
# "S. aureus"): the organisms of everyday clinical microbiology, lower case.
_SPECIES = frozenset(
    """coli diff difficile aureus epidermidis pyogenes agalactiae pneumoniae faecalis faecium albicans
    glabrata auris jirovecii influenzae pertussis trachomatis gonorrhoeae meningitidis tuberculosis
    pylori marcescens aeruginosa baumannii cloacae mirabilis perfringens tetani botulinum burgdorferi
    pallidum vulgaris oxytoca catarrhalis monocytogenes jejuni typhi enterica sonnei maltophilia
    fumigatus neoformans vaginalis lugdunensis saprophyticus mutans viridans haemolyticus""".split()
)


def _species(text: str, start: int, end: int) -> bool:
    """A genus initial and a species name ("C. diff", "E. COLI"): an organism, not an initial and a
    surname."""
    value = text[start:end]
    if len(value) < 5 or not value[0].isalpha() or value[1:3] != ". ":
        return False
    rest = value[3:]
    return rest.isalpha() and rest.lower() in _SPECIES


# Days of the week: a time ("scheduled for Sunday"), never a person guessed from a cue.
_WEEKDAYS = frozenset("monday tuesday wednesday thursday friday saturday sunday".split())
# Three-digit national service and emergency numbers ("NHS 111", "call 999", "dial 911").
_SERVICE_NUMBERS = frozenset("111 999 911 112 000 988 811 211 311 101 119 13".split())
_WORD = re.compile(r"[A-Za-z][A-Za-z'’\-]*")
_QUANTIFIERS = frozenset(
    """most many some several few any each every both such other another these those this that much
    more less least fewer all none either neither various numerous certain""".split()
)
# A month alone after "in" is a time ("in March"), not the town of the same name.
_MONTHS = frozenset(
    "january february march april may june july august september october november december".split()
)


# The word before a candidate, the word before that, and whether only blanks (on the same line)
# separate the first from the candidate: what the cue vetoes test, read once per candidate.
Before = tuple[str, str, bool]


def _before(text: str, start: int) -> Before:
    window = text[max(0, start - 40) : start]
    tail = window.rstrip(" \t")
    if not tail or tail[-1] == "\n":
        return "", "", False
    parts = tail.rsplit(None, 1)
    last = parts[-1]
    if not (last.isalnum() or last == "&"):
        return "", "", False
    rest = tail[: len(tail) - len(last)]
    p2 = ""
    if rest and rest[-1] in " \t,":
        more = rest.rstrip(" \t,").rsplit(None, 1)
        if more and more[-1].isalnum() and "\n" not in rest[len(rest.rstrip(" \t,")) :]:
            p2 = more[-1]
    return last.lower(), p2, len(tail) < len(window)


_WEAK_CUES = frozenset("and with to for from by per or".split())
_NOUN_CUES = frozenset("patient pt client resident member staff nurse provider by".split())
_ARTICLES = frozenset("a an per each every".split())
_LOCATION_CUES = frozenset("in from near around outside".split())
_SERVICE_CUES = frozenset("nhs call dial ring phone or text".split())


def _line_before(text: str, start: int) -> str:
    i = text.rfind("\n", max(0, start - 80), start)
    return text[i + 1 : start] if i >= 0 else text[max(0, start - 80) : start]


def _device_next(text: str, end: int) -> bool:
    """``_DEVICE_AFTER`` matches at ``end``; tried only when one of the next two words starts like a
    device word."""
    after = text[end : end + 40].split(None, 2)[:2]
    return (
        any(w.lower().startswith(_DEVICE_STEMS) for w in after) and _DEVICE_AFTER.match(text, end) is not None
    )


def _maker(text: str, start: int, end: int) -> bool:
    """A maker or product: after a maker label, before a device noun, or alone in brackets after one."""
    i = start
    while i > 0 and text[i - 1] in " \t":
        i -= 1
    if i > 0 and text[i - 1] in ":-=" and _MAKER_LABEL.search(_line_before(text, start)) is not None:
        return True
    if text[end : end + 1] in (" ", "\t") and _device_next(text, end):
        return True
    if start > 0 and text[start - 1] == "(" and text[end : end + 1] == ")":
        before = text[max(0, start - 40) : start - 1]
        words = before.split()[-4:]
        return any(_DEVICE_BEFORE.fullmatch(w.strip(",;:")) for w in words)
    return False


def _organisation_after(text: str, end: int) -> bool:
    """An organisation or service noun right after the guess ("Fleischner Society" cut to "Fleischner",
    "Queries Duty Biochemist" cut to "Queries Duty"); the
    guess's own last word is tested by the caller ("the Stewardship Committee")."""
    if text[end : end + 1] != " " or not text[end + 1 : end + 2].isupper():
        return False
    nxt = _WORD.match(text, end + 1)
    if nxt is None:
        return False
    k = nxt.group().lower()
    return k in _ORGANISATIONS or _service_noun(k)


def _quantified(text: str, start: int, end: int, prev: Before) -> bool:
    """A town guessed after "in"/"from" that starts with a quantifier or determiner ("in most
    cases", "IN SOME PATIENTS"): a closed class of words no town name starts with. (Open-class words
    stay suspect: "in Orange", "IN PINE BLUFF", "in Cedar Falls" are towns.)"""
    if not prev[2] or prev[0] not in _LOCATION_CUES:
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


def _modifier(text: str, start: int, end: int, prev: Before) -> bool:
    """A one-word town guessed after "in"/"from" that a common word in the same case follows ("IN
    LARGE PRINT", "in Large Print"): an adjective before its noun. A place word after it ("in Orange
    County", "IN DERBY ROAD", "in Reading Hospital") keeps the guess."""
    if not prev[2] or prev[0] not in _LOCATION_CUES:
        return False
    word = text[start:end]
    if " " in word or _known_name(_fold(word)):
        return False
    nxt = _WORD.match(text, end + 1) if text[end : end + 1] == " " else None
    if nxt is None:
        return False
    w = nxt.group()
    same_case = w.isupper() if word.isupper() else (w[0].isupper() and not w.isupper())
    k = _fold(w)
    return same_case and len(k) >= 4 and common_cased(k) and not _place_word(k)


def _service_number(text: str, start: int, end: int) -> bool:
    return text[start:end] in _SERVICE_NUMBERS and _before(text, start)[0] in _SERVICE_CUES


_DESTINATION_AFTER = re.compile(r"(?i)[ \t](?:lab|laboratory|theatres?|theaters?|suite)(?![A-Za-z])")
_ROMAN = re.compile(r"[IVX]{1,5}")
_MAKER_MODEL = re.compile(
    r"(?i)(?:manufacturer|supplier|vendor|analy[sz]er|instrument|platform|make|model)[ \t]*+[:\-=]"
    r"[ \t]*+(?:[A-Z][A-Za-z.&\-]*[ \t]+){0,4}\Z"
)
# Letters OCR confuses: each maps to what it may have been read for.
_OCR_CONFUSIONS = {
    "l": "i", "i": "l", "o": "ae", "a": "o", "c": "e", "e": "c", "0": "o", "1": "l", "5": "s",
    "q": "g", "g": "q",
}  # fmt: skip
_LABEL_AFTER = re.compile(r"[ \t]*+[#:]")
_NAME_PREFIXES = ("mc", "mac", "de", "di", "da", "du", "la", "le", "van", "von", "st", "o", "fitz", "d")


def _acronym_after_weak_cue(text: str, start: int, end: int, prev: Before) -> bool:
    """Upper-case tokens in a mixed-case line after a preposition or conjunction that no name list
    holds ("Glasgow Coma Scale and AVPU"): an acronym, not a person. (An upper-case line says nothing
    by case: "VERIFIED BY KHURANA, UPKAAR" is kept; so is "with KOWALSKI", a known surname.)"""
    if not prev[2] or prev[0] not in _WEAK_CUES or not text[start:end].isupper():
        return False
    # the line around the guess, read at most 200 characters either side (linear on any input)
    lo = max(0, start - 200)
    line_start = text.rfind("\n", lo, start) + 1 or lo
    line_end = text.find("\n", end, end + 200)
    line = text[line_start : line_end if line_end >= 0 else min(len(text), end + 200)]
    if line.upper() == line:
        return False
    words = _WORD.findall(text[start:end])
    if len(words) != 1:
        return False  # "by LAFLAMME, ÉMILE": a "LAST, First" pair, however rare the surname
    return words[0].isupper() and not _known_name(words[0].lower().strip("'’"))


def _known_name(key: str) -> bool:
    """Whether a name or town list holds the word (every part of a hyphenated one: "LI-RADS" is no
    name for holding the surname Li)."""
    for part in key.replace("’", "'").split("-"):
        part = part[:-2] if part.endswith("'s") else part
        if part not in lexicon.FIRST_NAMES and part not in lexicon.SURNAMES and part not in lexicon.CITIES:
            return False
    return True


def _all_common(text: str, start: int, end: int, prev: Before) -> bool:
    """After a role noun or "by" (no colon), every word of the guess is common English and in no
    name or town list ("PATIENT AGREEMENT", "verified by PARALLEL TESTING"): a compound noun or a
    phrase. (Places made of common words, "Coral Coast", are no such guesses and stay.)"""
    if not prev[2] or prev[0] not in _NOUN_CUES:
        return False
    words = _WORD.findall(text[start:end])
    return bool(words) and all(len(w) >= 3 and common_cased(_fold(w)) for w in words)


def _fold(word: str) -> str:
    k = word.lower().strip("'’")
    return k[:-2] if k.endswith(("'s", "’s")) else k


def _heading_subtitle(text: str, start: int, end: int) -> bool:
    """A guess after " - " in an upper-case heading line whose rest holds a common word
    ("WARD ROUND NOTE - SIMULATION CASE", "HISTORY AND PHYSICAL - OSCE EXAMPLE"): a subtitle, where a
    dash signature ("DISCHARGE SUMMARY - JOHN SMITH") holds names alone."""
    # a heading line is at most 64 characters: look no further (linear on any input)
    line_start = text.rfind("\n", max(0, start - 64), start) + 1
    if line_start == 0 and start > 64:
        return False
    dash = text.rfind(" - ", line_start, start)
    if dash < 0:
        return False
    head = text[line_start:dash]
    line_end = text.find("\n", end, end + 65)
    if line_end < 0 and end + 64 < len(text):
        return False
    rest = text[dash + 3 : line_end if line_end >= 0 else len(text)]
    line = head + rest
    if len(head.split()) < 2 or line.upper() != line or len(line) > 64 or len(rest.split()) > 4:
        return False  # a heading line is short, upper case, with a short subtitle
    if any(c in ".,;:()/" for c in line) or any(w.isdigit() for w in line.split()):
        return False  # sentence punctuation or a number: running text, not a heading
    words = [_fold(w) for w in _WORD.findall(rest)]
    if any(w.startswith(_FACILITY_WORDS) for w in words):
        return False  # "TELEPHONE ENCOUNTER - MARTINEZ FAMILY MEDICINE": the practice's name
    return any(len(w) >= 3 and common_cased(w) for w in words)


# What a facility's name holds ("... FAMILY MEDICINE", "... APOTHECARY", "... MATERNITY HOME").
_FACILITY_WORDS = (
    "hospital", "hospice", "medical", "medicine", "practice", "surgery", "centre", "center", "clinic",
    "polyclinic", "diagnostic", "pharmacy", "chemist", "apothecary", "laborator", "labs", "health",
    "nursing", "care", "infirmary", "dispensary", "home", "maternity", "imaging", "radiology",
    "pathology", "apartment", "residency", "tower", "court", "house", "lodge", "manor", "estate",
    "county", "city", "town", "village", "district", "borough", "shire", "parish", "township",
)  # fmt: skip
_PLACE_WORDS = STREET_TYPES
_SAINT = frozenset(["st", "st.", "saint"])


def _time_word(text: str, start: int, end: int) -> bool:
    """A one-word guess after an article or "per"/"each" ("FOUR TIMES A DAY", "once per Week"): a
    noun of the phrase, not a surname; or "St"/"Saint" alone (a saint's or street's abbreviation)."""
    word = text[start:end]
    if word.lower() in _SAINT:
        return True
    if " " in word or start < 2 or text[start - 1] not in " \t":
        return False
    # the word before, from a 7-character window: a longer word is cut to 6 letters, no article
    before = text[max(0, start - 7) : start].split()
    return bool(before) and before[-1].lower() in _ARTICLES


def _camel_case(text: str, start: int, end: int) -> bool:
    """A token with a capital inside it after small letters ("CrCl", "SpO2", "eGFR") that no name
    prefix explains ("McAllen", "DeKalb", "LaSalle" stay): a technical abbreviation."""
    words = _WORD.findall(text[start:end])
    if len(words) != 1:
        return False
    w = words[0]
    rest = w[1:]
    if rest.islower() or rest.isupper() or not rest:
        return False  # "Smith", "SMITH": no capital after a small letter
    for i in range(1, len(w)):
        if w[i].isupper() and w[i - 1].islower():
            return w[:i].lower() not in _NAME_PREFIXES
    return False


def _eponym_use(text: str, end: int) -> bool:
    """A name-shaped run followed (after one blank) by a disease, sign, score or technique word in
    running text ("St John's wort", "Bristol stool chart"): an eponym. A label after a wider gap
    ("Patient: ROSS, JO   Chart #: ...") is the next field, not an eponym's noun."""
    # cheap test first: the next word must begin like one of the pattern's words
    after = text[end : end + 40]
    if after[:2] in ("'s", "’s"):
        after = after[2:]
    elif after[:1] in ("'", "’"):
        after = after[1:]
    after = after.lstrip(" \t-")
    if after[:3].lower() not in _EPONYM_PREFIXES:
        return False
    m = lexicon.EPONYM_FOLLOW.match(text, end)
    if m is None or "  " in m.group() or "\t" in m.group():
        return False
    return _LABEL_AFTER.match(text, m.end()) is None


def _possessive_person(text: str, start: int, end: int) -> bool:
    """A possessive after a capitalised given name and a surname ("Mary Okonkwo's chart", "John Smith's
    test results"): a person's chart or test, not an eponym's, even when the surname is also an
    eponym's (Smith's fracture). An eponym stands alone ("Allen's test"); a given name that belongs to
    an eponym ("Lou Gehrig's disease") keeps the eponym's reading."""
    if text[end : end + 2] not in ("'s", "’s"):
        return False
    words = _WORD.findall(text[start:end])
    if not words:
        return False
    if len(words) >= 2:
        given = words[-2]
    else:
        before = text[max(0, start - 30) : start]
        if not before.endswith(" "):
            return False
        previous = _WORD.findall(before)
        if not previous:
            return False
        given = previous[-1]
    key = given.lower()
    if not given[:1].isupper() or key in lexicon.EPONYMS or key in _PARTICLES:
        return False
    if key in lexicon.FIRST_NAMES:
        return True
    # a given name no list holds, inside the guess ("Tomas Okafor's chart"): any word not known as safe
    return len(words) >= 2 and key not in SAFE_WORDS and key not in lexicon.COMMON_WORDS


# Words that open a two-word eponym or saint's name ("St John's wort", "von Willebrand's disease").
_PARTICLES = frozenset({"st", "saint", "von", "van", "de", "du", "la", "le", "di", "da", "del"})


_POSSESSIVE = re.compile(r"['’][sS](?![A-Za-z])")


def _eponym_inside(text: str, start: int, end: int) -> bool:
    """A possessive inside the guess followed by a disease, sign or remedy word ("ST JOHN'S WORT
    REDUCE EXPOSURE", "Bell's palsy resolved"): the guess runs over an eponym, not a name."""
    if text.find("'", start, end) < 0 and text.find("’", start, end) < 0:
        return False
    m = _POSSESSIVE.search(text, start, end)
    while m is not None:
        if m.end() < end and lexicon.EPONYM_FOLLOW.match(text, m.start()) is not None:
            return True
        m = _POSSESSIVE.search(text, m.end(), end)
    return False


def _heading_run(text: str, start: int, end: int) -> bool:
    """A capitalised guess that holds a common word and no known name, followed by another capitalised
    common word ("Interaction Checker Output"): a title. ("Jane Doe Discharge Summary" holds names.)"""
    if text[end : end + 1] != " " or not text[end + 1 : end + 2].isupper():
        return False
    words = _WORD.findall(text[start:end])
    if len(words) < 2 or any(_known(w) for w in words):
        return False
    if not any(common_cased(_fold(w)) for w in words):
        return False
    nxt = _WORD.match(text, end + 1) if text[end : end + 1] == " " else None
    if nxt is None or not nxt.group()[0].isupper() or not common_cased(_fold(nxt.group())):
        return False
    # a facility, lab or address ("Coral Coast Diagnostic Imaging", "Lotus Apartments") is no title
    run = words + _WORD.findall(text[end : end + 48].split("\n", 1)[0])[:4]
    return not any(_place_word(_fold(w)) for w in run)


def _place_word(k: str) -> bool:
    return k.startswith(_FACILITY_WORDS) or k in _PLACE_WORDS


def _coordinated(text: str, start: int, end: int, prev: Before) -> bool:
    """One unknown word joined by "and"/"or" to a word that is no name (a number or code, a roman
    numeral, a safe word: "V5 AND AVF", "II, III AND AVF", "COMA SCALE AND AVPU"), or before a
    destination noun ("TO CATH LAB"): the same kind of thing, not a person."""
    words = _WORD.findall(text[start:end])
    if len(words) != 1 or _known_name(_fold(words[0])):
        return False
    if _DESTINATION_AFTER.match(text, end) is not None:
        return True
    if not prev[2] or prev[0] not in ("and", "or", "&") or not prev[1]:
        return False
    before = prev[1]
    return (
        any(c.isdigit() for c in before) or _ROMAN.fullmatch(before.upper()) is not None or _safe_word(before)
    )


def _safe_word(word: str) -> bool:
    k = _fold(word)
    return k in SAFE_WORDS or (len(k) >= 3 and common_cased(k))


def _compound(text: str, start: int, end: int) -> bool:
    """A hyphenated word made of common or clinical words ("BETA-BLOCKER"): no name part, so the
    guess it sits in ("BETA-BLOCKER, MRA") is a list of things. ("SMITH-JONES" is made of names.)"""
    if "-" not in text[start:end]:
        return False
    return any(_compound_word(_fold(w)) for w in _WORD.findall(text[start:end]))


def _compound_word(k: str) -> bool:
    """A hyphenated word of common or clinical parts ("beta-blocker")."""
    parts = k.split("-")
    return len(parts) >= 2 and all(len(p) >= 3 and (p in SAFE_WORDS or common_cased(p)) for p in parts)


def _model_number(text: str, start: int, end: int) -> bool:
    """An id-shaped token after a maker label and the maker's name ("Analyser: Acme Medical
    QX-2000"): the product's model, not a person's identifier (a serial number has its own label)."""
    line = _line_before(text, start)
    return (":" in line or "=" in line or "-" in line) and _MAKER_MODEL.search(line) is not None


def _ocr_common(text: str, start: int, end: int) -> bool:
    """One word that one OCR confusion away (two for a word of seven letters or more) is a common or
    clinical word ("Englne", "Headoche", "Surqcry"): a misread word, not a name (names are never made
    safe this way: a known name is kept)."""
    words = _WORD.findall(text[start:end])
    if len(words) != 1 or not 6 <= len(words[0]) <= 20 or not words[0].isalpha():
        return False
    return _ocr_word(_fold(words[0]))


_ocr_cache: dict[tuple[str, bool], bool] = {}


def _ocr_word(k: str, *, twice: bool = True) -> bool:
    """Whether ``k`` is one OCR confusion (two for seven letters or more, when ``twice``) away from a
    common or clinical word, and no known name itself; with a bounded memo (the same misread and
    unknown words recur across documents, and the two-confusion search is the costly part)."""
    key = (k, twice)
    known = _ocr_cache.get(key)
    if known is None:
        known = _ocr_search(k, twice)
        if len(_ocr_cache) < 20_000:
            _ocr_cache[key] = known
    return known


def _ocr_search(k: str, twice: bool) -> bool:
    if _known_name(k):
        return False
    twice = twice and len(k) >= 7
    for i, ch in enumerate(k):
        for alt in _OCR_CONFUSIONS.get(ch, ""):
            w = k[:i] + alt + k[i + 1 :]
            if w in SAFE_WORDS or _common_variant(w):
                return True
            if twice:
                for j in range(i + 1, len(k)):
                    for alt2 in _OCR_CONFUSIONS.get(k[j], ""):
                        w2 = w[:j] + alt2 + w[j + 1 :]
                        if w2 in SAFE_WORDS or _common_variant(w2):
                            return True
    return False


def _common_variant(w: str) -> bool:
    """``common_cased`` for a spelling variant that is mostly no word: read the shared memo but never
    fill it (the variants would crowd the real words out of its bounded size)."""
    known = _common_cased_cache.get(w)
    if known is not None:
        return known
    return (
        _english_base(w)
        and w.isalpha()
        and w not in lexicon.FIRST_NAMES
        and w not in lexicon.SURNAMES
        and w not in lexicon.CITIES
        and w not in _NAME_PARTS
    )


def _ocr_phrase(words: list[str]) -> bool:
    """Two to four words, each common English or an OCR misreading of one ("Mcdical Royal"), at
    least one misread and none a known name: a misread phrase."""
    if not 2 <= len(words) <= 4 or any(not w.isalpha() or _known(w) for w in words):
        return False
    misread = False
    for w in words:
        k = _fold(w)
        if len(k) >= 3 and common_cased(k):
            continue
        if len(k) < 6 or not _ocr_word(k, twice=False):
            return False
        misread = True
    return misread


def _series_label(text: str, word: str) -> bool:
    """Whether ``word`` stands before a small number (a bay, room or unit's number: "Resus 1", "Resus
    2") in two places of ``text``: a numbered series' label, not a person (an address's "Unit 15" is
    written once). At most 64 occurrences are looked at."""
    at = text.find(word + " ")
    seen = numbered = 0
    while at >= 0 and seen < 64:
        after = at + len(word) + 1
        m = _SMALL_NUMBER.match(text, after)
        if m is not None and (at == 0 or not text[at - 1].isalnum()):
            numbered += 1
            if numbered == 2:
                return True
        seen += 1
        at = text.find(word + " ", after)
    return False


_SMALL_NUMBER = re.compile(r"\d{1,2}(?![\w/.:\-])")


_known_cache: dict[str, bool] = {}


def _known(word: str) -> bool:
    """``_known_name`` of a word as written, with a bounded memo (the same words recur in every
    document)."""
    known = _known_cache.get(word)
    if known is None:
        known = _known_name(_fold(word))
        if len(_known_cache) < 50_000:
            _known_cache[word] = known
    return known


# A cue that the dotted number after it is a software or firmware version, not a date ("firmware 4.6.14",
# "EPR upgrade to version 2.7.48", "drug library update 4.7.87", JSON ``"build": "3.0.64"``).
_VERSION_CUE = re.compile(
    r"(?i)(?:version|ver|v|f[il1]rmware|s[o0]ftware|build|release|revision|rev|update|upgrade|library|"
    r"patch|fw|sw|template)[\"'“”‘’]?[ \t]*+[:=]?[ \t]*+[\"'“”‘’]?[ \t]*+\Z"
)
_VERSION = re.compile(r"\d{1,3}(?:\.\d{1,4}){2,3}")
# Before a score's fraction: a comparator or a score word ("pain score <=4/10", "Pass mark 7/10").
_SCORE_CUE = re.compile(
    r"(?i)(?:[<>≤≥]=?|\b(?:score[sd]?|scoring|rated|rating|pass[ \t]+mark|out[ \t]+of|vas|nrs))[ \t]*+\Z"
)
_FRACTION = re.compile(r"\d{1,2}/(?:5|10|20|100)")
# An availability phrase around "24/7" (round the clock): "processed 24/7", "24/7 cover".
_ROUND_CLOCK_BEFORE = re.compile(
    r"(?i)\b(?:processed|available|availability|open|staffed|running|run|operates|operating|cover(?:ed)?|"
    r"support(?:ed)?|access|service|services|on[ \t-]+call|manned|monitored|provided|offered)[ \t]*+\Z"
)
_ROUND_CLOCK_AFTER = re.compile(
    r"[ \t]*+(?i:cover|service|services|access|support|availability|on[ \t-]+call|helpline|line)\b"
)


def _date_vetoed(text: str, start: int, end: int) -> bool:
    """A date-shaped number that its context shows to be something else: a version after a version
    word (no patient date follows "firmware"), a score's fraction after a comparator or score word,
    or "24/7" in an availability phrase. Only these exact shapes are judged; a date with a month
    name or a four-digit year never is."""
    value = text[start:end]
    line = _line_before(text, start)
    if _VERSION.fullmatch(value) is not None:
        return _VERSION_CUE.search(line) is not None
    if value == "24/7":
        after = text[end : end + 1]
        if after.isdigit() or after == "/":
            return False
        return _ROUND_CLOCK_BEFORE.search(line) is not None or _ROUND_CLOCK_AFTER.match(text, end) is not None
    if _FRACTION.fullmatch(value) is not None:
        if text[end : end + 1].isdigit() or text[end : end + 1] == "/":
            return False
        return _SCORE_CUE.search(line) is not None
    return False


# A number with at most one letter ("7B", "12"): a ward, bay or count, never a name's part (an OCR
# "5UE" for "SUE" is no such token).
_DIGIT = re.compile(r"\d")
_DIGIT_TOKEN = re.compile(r"\d{1,3}[A-Za-z]?")

# Words before a person's name however common it is ("RN Lovely", "her son Bliss", "Dr Young").
_PERSON_CUES = frozenset(
    """rn rgn rmn en lpn lvn cna hca np pa md do dr doctor mr mrs ms miss mx prof sister matron nurse
    paramedic emt tech technician midwife pharmacist registrar consultant surgeon physician carer
    caregiver patient pt client resident son daughter wife husband partner mother father brother
    friend neighbour neighbor mum mom dad caller named called name aunt uncle niece nephew cousin
    grandson granddaughter grandmother grandfather boyfriend girlfriend fiance fiancee spouse""".split()
)


def _cut_token(text: str, end: int) -> bool:
    """A guess that ends inside a token: an upper-case acronym with a digit glued after it ("SGLT" of
    "SGLT2i"; 0, 1 and 5 are left out, the digits OCR reads for O, l and S: "SHAR0N"), or a capital
    after a hyphen that small letters continue ("EMPEROR-R" of "EMPEROR-Reduced"). A name's end is a
    word's end; the token is a code or a trial's name."""
    nxt = text[end : end + 1]
    if end < 2 or not nxt:
        return False
    if nxt.isdigit():
        if nxt in "015":
            return False
        word = text[max(0, end - 6) : end].split()[-1:]
        return bool(word) and word[0].isalpha() and word[0].isupper() and 2 <= len(word[0]) <= 5
    return nxt.islower() and text[end - 1].isupper() and text[end - 2] == "-"


def english_word(k: str) -> bool:
    """``_english`` for other modules: a common or rarer English word (British spellings too)."""
    return _english(k)


def _english(k: str) -> bool:
    """A common English word (``common_cased``) or a rarer one of five letters or more
    (``rarewords``, a plural too); neither list holds a name."""
    if common_cased(k):
        return True
    if len(k) < 5 or not k.isalpha():
        return False
    if k in RARE_ENGLISH or (k[-1] == "s" and k[:-1] in RARE_ENGLISH and not _known_name(k)):
        return True
    us = _american(k)  # "analyser", "haemorrhage": British spellings of listed words
    return us != k and us in RARE_ENGLISH


def _person_cue(text: str, start: int, end: int) -> bool:
    """Whether the word just before (same line, blanks between) is a title, role or relation word."""
    prev = _before(text, start)
    if not prev[2] or prev[0].rstrip(".") not in _PERSON_CUES:
        return False
    # "MR Unsafe", "MR Conditional": magnetic resonance before a mixed-case word, not the title
    return not (prev[0] == "mr" and text[start - 3 : start - 1] == "MR" and not text[start:end].isupper())


def _maker_product(words: list[str]) -> bool:
    """A device or diagnostics maker's name followed by a product word ("Siemens Atellica", "Medtronic
    Azure XT"): a product. A maker's name that is also a surname ("Braun", "Abbott") counts only
    before a word that no name list holds ("Braun Perfusor", not "Braun Smith")."""
    if len(words) < 2:
        return False
    first = _fold(words[0])
    if first not in makers.MAKERS:
        return False
    return not _known(words[0]) or not all(_known(w) for w in words[1:])


def _maker_pair(words: list[str]) -> bool:
    """A guess that starts with a two-word maker's name ("Welch Allyn", "Fisher & Paykel",
    "Hill-Rom"): a maker or its product, even when each word is also a name."""
    if _fold(words[0]).split("-", 1)[0] not in _MAKER_PAIR_FIRST:
        return False  # (cheap test first: most guesses start with no maker's word)
    parts = [p for w in words[:3] for p in _fold(w).split("-") if p and p not in ("&", "and")]
    return len(parts) >= 2 and f"{parts[0]} {parts[1]}" in makers.MAKER_PAIRS


_MAKER_PAIR_FIRST = frozenset(pair.split()[0] for pair in makers.MAKER_PAIRS)


# "2 x falls", "3 x daily": a count and a multiplication sign, not a house number and a street.
_TIMES = re.compile(r"\d{1,3}[ \t]*+[xX×][ \t]")
# A label that holds a year alone: a year is no identifier (Safe Harbor keeps years).
_YEAR_LABEL = re.compile(r"(?i)(?:date|year|yr|dated|since|until|due|review(?:ed)?)[ \t]*+[:\-=]?[ \t]*+\Z")


# Words no street's name holds: verbs of being and having, prepositions, and units of time and dose
# after a count ("for 6 weeks via PICC", "3a was admitted via the ED", "2 tablets per day").
_NOT_STREET_NAME = frozenset(
    """was were is are be been being has had have having will would may might can could should shall
    to for with from by of on at into onto per after before during since until than via
    weeks days hours minutes months years mins hrs wks yrs times doses tablets tabs capsules units
    mg mcg ml""".split()
)


def _address_vetoed(text: str, start: int, end: int) -> bool:
    """A guessed one-line address that is a count ("2 x falls risk") or whose words switch from
    capitalised to small letters ("3 Managing well"): a list item or a phrase. A real address is
    written in one case throughout ("12 Harlow Crescent", "12 harlow crescent", "12 HARLOW CRES")."""
    value = text[start:end]
    if "\n" in value:
        return False
    if _TIMES.match(value) is not None:
        return True
    words = _WORD.findall(value)
    if any(t.strip(".,;:()").lower() in _NOT_STREET_NAME for t in value.split()[:-1]):
        return True  # "6 weeks via picc", "3a was admitted via": a phrase that ends in a street word
    if not 2 <= len(words) <= 4 or "," in value or any(c.isdigit() for c in value[value.find(" ") :]):
        return False  # "146 Maple St Unit 14, Gympie": more than a number and a few words
    last = words[-1]
    return last.islower() and any(w[0].isupper() for w in words[:-1])


def _word_fragment(text: str, start: int, end: int) -> bool:
    """A letters-only id guess that starts inside a word ("TICE" read in "NOTICE No. 9"); a guess
    with a digit ("dubey1" in "idubey1") may be the tail of a user name and is kept."""
    return start > 0 and text[start - 1].isalpha() and text[start:end].isalpha()


def _year_alone(text: str, start: int, end: int) -> bool:
    """A four-digit year (1900-2099) after a date or year label ("Review date: 2027") or after a
    working group's name ("the Clinical Guidelines Group 2024")."""
    if not _bare_year(text, start, end):
        return False
    line = _line_before(text, start)
    return _YEAR_LABEL.search(line) is not None or _named_group(line)


# "... Guidelines Group ", "WORKING GROUP ": a capitalised word and "group" before a value.
_GROUP_BEFORE = re.compile(r"([A-Za-z][A-Za-z\-]{2,30}+)[ \t]++(?:group|Group|GROUP)[ \t]*+\Z")


def _named_group(line: str) -> bool:
    """Whether ``line`` ends in a body's name that ends in "Group" ("Guidelines Group", "Steering
    Group", "Working Group"): its first word capitalised, common English or clinical, and no name."""
    m = _GROUP_BEFORE.search(line)
    if m is None:
        return False
    word = m.group(1)
    k = _fold(word)
    return word[0].isupper() and not _known(word) and (k in SAFE_WORDS or common_cased(k))


_CELL_BEFORE = re.compile(r"([A-Za-z][A-Za-z'’\-]{2,30}+)[\"'”]?(?:,|[ \t]?\()[ \t]*+\Z")
# Words for the person an age belongs to: "Patient, 95, was seen", "the resident (93)".
_PERSON_WORDS = frozenset(
    "patient pt resident client man woman lady gentleman gent male female widow widower mother father".split()
)


def cell_after_word(text: str, start: int) -> bool:
    """Whether the number at ``start`` follows a comma or bracket after an ordinary word, clinical or
    common English and no name ("2021,Pharmacy,100,9.9"): a table's count, not a name's age ("Eleri
    Jones, 94," keeps its age)."""
    m = _CELL_BEFORE.search(text, max(0, start - 40), start)
    if m is None:
        return False
    word = m.group(1)
    k = _fold(word)
    if k in _PERSON_WORDS:
        return False
    return (k in SAFE_WORDS or common_cased(k)) and not _known(word)


def group_year(text: str, start: int, end: int) -> bool:
    """A year ``text[start:end]`` after a body's name that ends in "Group" ("approved by the
    Guidelines Group 2023"): the year the body met or published, not an insurance group number."""
    return _bare_year(text, start, end) and _named_group(_line_before(text, start))


def _bare_year(text: str, start: int, end: int) -> bool:
    """``text[start:end]`` is a four-digit year (1900-2099) that no letter, digit, "/" or "-" continues."""
    value = text[start:end]
    if len(value) != 4 or not value.isdigit() or value[:2] not in ("19", "20"):
        return False
    return not (text[end : end + 1].isalnum() or text[end : end + 1] in "/-")


def _message_control_id(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` is the whole tenth field of an HL7 MSH segment (the message control
    id, "MSH|^~\\&|EPIC|HOSP|LAB|HOSP|2024...||ADT^A01|MSG47007|P|2.5"): it names the message."""
    line_start = text.rfind("\n", max(0, start - 200), start) + 1
    if not text.startswith("MSH|", line_start) or text[start - 1 : start] != "|":
        return False
    return text[end : end + 1] in ("|", "") and text.count("|", line_start, start) == 9


# Built-in and shared accounts of systems ("user: admin", "login: root"): no person's user name.
_SYSTEM_ACCOUNTS = frozenset(
    """admin administrator root sysadmin superuser guest system test testuser demo anonymous nobody
    default operator support helpdesk readonly""".split()
)


# Adjectives between a count and its noun ("1335 consecutive discharge summaries").
_COUNT_ADJECTIVES = frozenset(
    """consecutive random randomly eligible additional separate unique new previous total complete
    completed individual selected sampled audited reviewed unselected""".split()
)


def _count(text: str, start: int, end: int) -> bool:
    """A bare number followed by a plural noun, at most two adjectives or noun modifiers between
    ("Sample 1335 consecutive discharge summaries", "audit of 214 patients"): a count, not an id. The
    plural must be common English ("patients", "summaries"), as must any word between; the words are
    in small letters, or all in capitals ("SAMPLE: 1654 CONSECUTIVE DISCHARGE SUMMARIES")."""
    if not text[start:end].isdigit() or text[end : end + 1] != " ":
        return False
    words = text[end + 1 : end + 80].split(None, 3)[:3]
    upper = bool(words) and words[0].isupper()
    for w in words:
        stripped = w.rstrip(".,;:)")
        if not stripped.isalpha() or not (stripped.isupper() if upper else stripped.islower()):
            return False
        k = stripped.lower()
        if len(k) > 4 and k.endswith("s") and _english_base_plural(k):
            return True
        if stripped != w or (k not in _COUNT_ADJECTIVES and not common_cased(k)):
            return False  # punctuation ends the phrase; an uncommon word is no modifier
    return False


def _english_base_plural(k: str) -> bool:
    """A common English plural whose singular is common English too ("summaries", "letters")."""
    return common_cased(k) and (common_cased(k[:-1]) or common_cased(k[:-3] + "y") or common_cased(k[:-2]))


# A guideline's or standard's code after its body's acronym: letters and three digits or more
# ("NICE NG130"); a postcode's district ("LEEDS LS1") has at most two digits, a postcode
# alone ("FREMANTLE 6160") no letters.
_CODE_AFTER = re.compile(r"[ \t][A-Z]{1,3}\d{3,}(?![\w/])")


def _before_code(text: str, start: int, end: int) -> bool:
    """An upper-case one-word guess followed by a code ("from NICE NG130"): a body's acronym."""
    value = text[start:end]
    return value.isalpha() and value.isupper() and _CODE_AFTER.match(text, end) is not None


def _acronym_before_noun(text: str, start: int, end: int) -> bool:
    """An upper-case word of two to five letters in a mixed-case line, after a preposition or
    conjunction and before a capitalised common noun ("and ADA Standards of Care", "with NICE
    Guidance"): an acronym used as a modifier, even if a name list holds it. A name before another
    name or a lower-case word ("with KOWALSKI and the team") is kept."""
    value = text[start:end]
    if not (2 <= len(value) <= 5 and value.isalpha() and value.isupper()) or text[end : end + 1] != " ":
        return False
    prev = _before(text, start)
    if not prev[2] or prev[0] not in _WEAK_CUES or text[end : end + 1] != " ":
        return False
    nxt = _WORD.match(text, end + 1)
    if nxt is None:
        return False
    w = nxt.group()
    if not (w[0].isupper() and w[1:].islower()) or _known(w) or not common_cased(_fold(w)):
        return False
    line_start = text.rfind("\n", max(0, start - 200), start) + 1
    return text[line_start:start].upper() != text[line_start:start]


_GENERIC_FACILITY = re.compile(
    r"(?i:the)[ \t]+([A-Z]{2,5})[ \t]+(?i:centre|center|unit|lab|laboratory|suite|clinic)\Z"
)


def _generic_facility(text: str, start: int, end: int) -> bool:
    """ "The", a service's acronym and a facility noun, after common words at most ("PRE-ALERT THE
    PCI CENTRE", "NOTIFY THE PCI CENTRE"): a kind of place, not a named facility. The acronym is no
    name and has at most four letters or is a clinical safe word ("NOTIFY THE ROSEWOOD CENTRE" and
    "THE KAYE CENTRE" stay)."""
    value = text[start:end]
    m = _GENERIC_FACILITY.search(value)
    if m is None or (m.start() > 0 and value[m.start() - 1] not in " \t"):
        return False
    acronym = m.group(1)
    if _known(acronym) or (acronym.lower() not in SAFE_WORDS and len(acronym) > 4):
        return False
    return all(_common_compound(w) for w in _WORD.findall(value[: m.start()]))


_PREFIXES = frozenset("pre post re non co anti sub inter intra".split())


def _common_compound(word: str) -> bool:
    """A common English word, or a hyphenated one of common words and prefixes ("PRE-ALERT")."""
    parts = _fold(word).split("-")
    return all(p in _PREFIXES or (len(p) >= 3 and common_cased(p)) for p in parts) and not all(
        p in _PREFIXES for p in parts
    )


# A form's empty field after its label ("REGISTRAR INITIALS: ____", "Nurse signature: ......").
_FORM_FIELD = re.compile(r"[ \t]*+:[ \t]*+(?:_{2,}|\.{3,}|\n|\Z)")
# Latin abbreviations before an example, not initials ("E.G. STOPPING ENDONE").
_LATIN = re.compile(r"(?i:e\.[ \t]?g|i\.[ \t]?e)\.[ \t]*+")


def _latin_example(text: str, start: int, end: int) -> bool:
    """A guess "e.g."/"i.e." and English words no name list holds: an example, not initials and a
    surname ("e.g. Stopping ..."; "E.G. Okonkwo" is kept)."""
    if text[start + 1 : start + 2] != ".":
        return False
    m = _LATIN.match(text, start, end)
    if m is None:
        return False
    words = _WORD.findall(text[m.end() : end])
    return bool(words) and all(len(w) >= 3 and not _known(w) and _english(_fold(w)) for w in words)


_MAX_VETOED = 64  # a longer guess is kept as it is: no heading, product or phrase is that long
_MAX_WORD = 24  # nor one with a longer word ("To-To-To-...": no word a veto knows)


_VOWELS = frozenset("AEIOUY")


def _abbreviation(word: str) -> bool:
    """An upper-case token of three to eight letters without a vowel ("CRCL", "HTN", "DLP"): a
    clinical abbreviation; no name in any list is written without one."""
    if not 3 <= len(word) <= 8 or not (word.isascii() and word.isalpha() and word.isupper()):
        return False
    return _VOWELS.isdisjoint(word)


_ID_NEXT = re.compile(r"[ \t]*+[0-9/\-]")


def _id_next(text: str, end: int) -> bool:
    """A number, "/" or "-" right after ``end``: the guess is an id's prefix ("TNMC 35449", "DMC/R/7")."""
    return _ID_NEXT.match(text, end) is not None


def _listed_pair(text: str, start: int, end: int, words: list[str]) -> bool:
    """An "A, B" guess (two words, one comma) where neither word is a known name, and one is an
    abbreviation ("MGY, DLP"), or one is an English word and the pair goes on a longer list
    ("DIABETES, IHD, STROKE/TIA", "1-3S REJECT, 2-2S REJECT, R-4S"): items of a list, not a "LAST,
    FIRST" pair ("SORIANO, LOVELY" stands alone; "FROST, JOHN" has a known name)."""
    if len(words) != 2 or text.count(",", start, end) != 1:
        return False
    if any(_known(w) for w in words):
        return False
    if any(_abbreviation(w) for w in words):
        return not _id_next(text, end)
    i = start
    while i > 0 and text[i - 1] in " \t":
        i -= 1
    listed = (i > 0 and text[i - 1] == ",") or text[end : end + 1] in (",", "/")
    if not listed:
        return False
    for w in words:
        k = _fold(w)
        if len(k) >= 4 and (_english(k) or _compound_word(k)):
            return True
    return False


def _name_vetoed(text: str, start: int, end: int) -> bool:
    if end - start > _MAX_VETOED:
        return False
    words = text[start:end].replace(",", " ").split()
    if not words or max(len(w) for w in words) > _MAX_WORD:
        return False
    if (
        _glued(text, start)
        or _maker(text, start, end)
        or (_eponym_use(text, end) and not _possessive_person(text, start, end))
        or _eponym_inside(text, start, end)
    ):
        return True
    if _cut_token(text, end) or _latin_example(text, start, end):
        return True
    if len(words) >= 2 and "," not in text[start:end] and _maker_pair(words):
        return True
    if (len(words) >= 2 and words[-1].lower() in _ORGANISATIONS) or _organisation_after(text, end):
        return True
    if len(words) >= 2 and _service_noun(words[-1].lower()):
        return True
    if _DIGIT.search(text, start, end) is not None and any(_DIGIT_TOKEN.fullmatch(w) for w in words):
        return True  # "Ward 7B", "Bay 2": a number is no part of a person's name
    if len(words) == 1 and words[0].lower() in _WEEKDAYS:
        return True
    if _species(text, start, end):
        return True
    if len(words) == 1 and _time_word(text, start, end):
        return True
    if _heading_subtitle(text, start, end):
        return True
    if len(words) == 1 and _acronym_before_noun(text, start, end):
        return True
    # the vetoes below never drop a guess made of known names and towns alone
    if all(_known(w) for w in words):
        return False
    if (
        text[start:end].isupper() and all(_abbreviation(w) for w in words) and not _id_next(text, end)
    ) or _listed_pair(text, start, end, words):
        return True
    if _camel_case(text, start, end) or _heading_run(text, start, end) or _compound(text, start, end):
        return True
    single = len(words) == 1
    if single and _ocr_common(text, start, end):
        return True
    if not single and "," not in text[start:end] and _ocr_phrase(words):
        return True
    if single and words[0].isalpha() and _series_label(text, words[0]):
        return True
    if (
        single
        and len(words[0]) >= 4
        and _english(_fold(words[0]))
        and (not _person_cue(text, start, end) or _FORM_FIELD.match(text, end) is not None)
    ):
        return True  # "Unsafe", "ANAPHYLAXIS": an English word that no name or town list holds
    if "," not in text[start:end] and _maker_product(words):
        return True
    if not single and not all(len(w) >= 3 and common_cased(_fold(w)) for w in words):
        return False  # the cue vetoes below need one word, or common words alone
    prev = _before(text, start)
    return (
        _acronym_after_weak_cue(text, start, end, prev)
        or _all_common(text, start, end, prev)
        or _coordinated(text, start, end, prev)
    )


def vetoed(text: str, candidate: Candidate) -> bool:
    """Whether the context shows ``candidate`` to be no identifier (see the module docstring)."""
    start, end, kind, score = candidate
    if score >= _VETO_SCORE:
        return False
    if kind == "NAME":
        return _name_vetoed(text, start, end)
    if end - start > _MAX_VETOED:
        return False
    if kind == "FACILITY":
        return (
            _maker(text, start, end)
            or _generic_facility(text, start, end)
            or _maker_pair(text[start:end].replace(",", " ").split())
        )
    if kind == "DATE":
        return _date_vetoed(text, start, end)
    if kind == "ADDRESS":
        return _address_vetoed(text, start, end)
    if kind == "LOCATION":
        prev = _before(text, start)
        return (
            _before_code(text, start, end)
            or _quantified(text, start, end, prev)
            or _camel_case(text, start, end)
            or _eponym_use(text, end)
            or _modifier(text, start, end, prev)
            or _abbreviation(text[start:end])
        )
    if kind == "ID":
        value = text[start:end]
        if _message_control_id(text, start, end):
            return True  # an HL7 message's own id (MSH-10), not a patient's
        if value.rstrip("._-").lower() in _SYSTEM_ACCOUNTS:
            return True  # "log in as user: admin": a system's built-in account, no person's
        if len(value) <= 3:
            return _service_number(text, start, end) or _count(text, start, end)
        if _word_fragment(text, start, end) or _year_alone(text, start, end) or _count(text, start, end):
            return True
        if _VERSION.fullmatch(value) is not None and _VERSION_CUE.search(_line_before(text, start)):
            return True  # "order-comms template 4.4.60": a version after a version word
        # a model number holds a letter ("QX-2000"); a bare number after a maker's name is no model
        return value.upper() != value.lower() and _model_number(text, start, end)
    return False


# The first three letters of every word ``lexicon.EPONYM_FOLLOW`` can match (a superset: every run of
# three or more small letters in its pattern): ``_eponym_use`` tries the pattern only after such a word.
_EPONYM_PREFIXES = frozenset(w[:3] for w in re.findall(r"[a-z]{3,}", lexicon.EPONYM_FOLLOW.pattern))
_VETO_KINDS = frozenset(["NAME", "FACILITY", "LOCATION", "ID", "DATE", "ADDRESS"])


def drop_vetoed(text: str, found: list[Candidate]) -> list[Candidate]:
    """``found`` without the candidates whose context vetoes them (the list itself when none is).
    Rules often emit the same span more than once: each span is judged once."""
    judged: dict[tuple[int, int, str], bool] = {}
    keep: list[Candidate] = []
    for c in found:
        if c[3] >= _VETO_SCORE or c[2] not in _VETO_KINDS:
            keep.append(c)
            continue
        key = (c[0], c[1], c[2])
        veto = judged.get(key)
        if veto is None:
            veto = judged[key] = vetoed(text, c)
        if not veto:
            keep.append(c)
    return keep if len(keep) != len(found) else found
