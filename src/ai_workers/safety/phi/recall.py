# ruff: noqa: E501, SIM905
"""Recall rules: the shapes the precise rules in detector.py miss, found with a safe-word approach.

Philter's idea: in a position where an identifier is expected (after a name cue, before a credential,
in a "LAST, FIRST" pair, a street line, a CSV column typed by its header, a JSON key, an HL7 field), a
word that is not known to be safe (``safewords.SAFE_WORDS``) is taken for PHI. Every pattern here is
linear: one character class first, bounded repeats, possessive quantifiers where a repeat could retry.
The candidates join the detector's own before the overlap resolution; ``propagate`` then marks every
other occurrence of a name or town found once.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable

from ai_workers.safety.phi import lexicon, name_contexts
from ai_workers.safety.phi.bare_urls import url_candidates
from ai_workers.safety.phi.commonwords import COMMON_ENGLISH
from ai_workers.safety.phi.facility_names import facility_candidates
from ai_workers.safety.phi.key_lines import key_line_candidates
from ai_workers.safety.phi.safewords import SAFE_WORDS
from ai_workers.safety.phi.tables import table_candidates
from ai_workers.safety.phi.user_ids import prefixed_id_candidates, user_id_candidates
from ai_workers.safety.phi.zipf import zipf

# A lower-case word that is common English (Zipf frequency >= 4: "murder", "fix", "taxes", "grandma")
# and no known first name, surname or town is safe even in a name position of a lower-case text. The
# safe-word list alone comes from clinical documents, so short lower-case chat ("how to fix a flat
# tire") had its verbs redacted as names, which also blinded the content-safety check to them.
_COMMON_ZIPF = 4.0
_common_cache: dict[str, bool] = {}


def _common_lower(k: str) -> bool:
    known = _common_cache.get(k)
    if known is None:
        known = (
            k not in lexicon.FIRST_NAMES
            and k not in lexicon.SURNAMES
            and k not in lexicon.CITIES
            and zipf(k) >= _COMMON_ZIPF
        )
        if len(_common_cache) < 50_000:
            _common_cache[k] = known
    return known


# A capitalised or upper-case word is safe when it is an ordinary English word and no word people are
# also named or live by (``commonwords``: WordNet's lower-case lemmas that wordfreq ranks as common,
# less every name and town list). Headings, table headers, form titles and role words in PHI-free
# documents ("CONTROLLED DRUG REGISTER", "Pharmacy and Therapeutics", "Engine 4", "TRAINING SCENARIO")
# were read as names: the clinical safe-word list cannot foresee every word a heading uses.
_common_cased_cache: dict[str, bool] = {}


# British spellings of words WordNet lists in their American form only: "analyser", "haemorrhage",
# "catheterise", "oedema", "paediatric" (the suffix rewrites, tried in order).
_BRITISH = (
    ("yser", "yzer"),
    ("yse", "yze"),
    ("ysed", "yzed"),
    ("isation", "ization"),
    ("iser", "izer"),
    ("ise", "ize"),
    ("ised", "ized"),
    ("ising", "izing"),
    ("ogue", "og"),
)


def _english_base(k: str) -> bool:
    return _english_spelling(k) or _english_spelling(_american(k))


def _american(k: str) -> str:
    """The American spelling of a British word, the same word otherwise."""
    for british, american in _BRITISH:
        if k.endswith(british):
            k = k[: -len(british)] + american
            break
    if "ae" in k:
        k = k.replace("aem", "em").replace("aed", "ed").replace("aes", "es")  # haemorrhage, paediatric
    if "oe" in k:
        k = k.replace("oed", "ed").replace("oes", "es")  # oedema, oesophagus
    return k


def _english_spelling(k: str) -> bool:
    if k in COMMON_ENGLISH:
        return True
    # inflections WordNet leaves out: "theatres", "approved", "scanning", "studies"
    n = len(k)
    if n > 4 and k[-1] == "s":
        if k[:-1] in COMMON_ENGLISH or (k[-2] == "e" and k[:-2] in COMMON_ENGLISH):
            return True
        if k.endswith("ies") and k[:-3] + "y" in COMMON_ENGLISH:
            return True
    if n > 5 and k.endswith("ed"):
        return k[:-1] in COMMON_ENGLISH or k[:-2] in COMMON_ENGLISH
    if n > 6 and k.endswith("ing"):
        return k[:-3] in COMMON_ENGLISH or k[:-3] + "e" in COMMON_ENGLISH
    return False


def common_cased(k: str) -> bool:
    """Whether the lower-cased word ``k`` is common English and no name, so safe however it is cased."""
    known = _common_cased_cache.get(k)
    if known is None:
        known = (
            k.isalpha()
            and k not in lexicon.FIRST_NAMES
            and k not in lexicon.SURNAMES
            and k not in lexicon.CITIES
            and k not in _NAME_PARTS
            and _english_base(k)
        )
        if len(_common_cased_cache) < 50_000:
            _common_cased_cache[k] = known
    return known


Emit = Callable[[int, int, str, float], None]

_SCORE = 0.6  # below the precise rules: on overlap they keep their type, the union is kept

# ---------------------------------------------------------------------------------------------------
# Word classes

_CREDENTIAL_WORDS = frozenset(
    """md m.d. do rn bsn msn np fnp dnp pa pa-c phd lpn lvn cna pharmd rph msw lcsw dds dmd od dpm dpt pt ot
    rd rrt crna cnm mph facp facs faap frcp frcs mrcp mrcgp mbbs mbchb fracp fracgp ms mch dnb emt emt-p srn rpn en
    emt-b emt-i paramedic sn mls mlt cls rt rgn rmn hca ccp acp pcp ap fy1 fy2 st1 st2 st3 st4 st5 st6 st7 st8
    ct1 ct2 ct3 spr sho frcpath fracgp mrcs mrcog mrcpch frcr fcem frcem fanzca franzcp""".split()
)
_REGIONS = frozenset(
    [k.lower() for k in lexicon.US_STATES]
    + [v.lower() for v in lexicon.US_STATES.values()]
    + """on qc bc ab mb sk ns nb nl pe yt nt nu ontario quebec alberta manitoba saskatchewan
    nsw vic qld wa sa tas act""".split()
    + [
        "british columbia", "nova scotia", "new brunswick", "newfoundland and labrador",
        "prince edward island", "yukon", "nunavut", "northwest territories", "new south wales",
        "victoria", "queensland", "western australia", "south australia", "tasmania",
        "australian capital territory", "northern territory", "andhra pradesh", "arunachal pradesh",
        "assam", "bihar", "chhattisgarh", "goa", "gujarat", "haryana", "himachal pradesh", "jharkhand",
        "karnataka", "kerala", "madhya pradesh", "maharashtra", "manipur", "meghalaya", "mizoram",
        "nagaland", "odisha", "punjab", "rajasthan", "sikkim", "tamil nadu", "telangana", "tripura",
        "uttar pradesh", "uttarakhand", "west bengal", "delhi",
    ]
)  # fmt: skip
_REGION_FIRST = frozenset(r.split()[0] for r in _REGIONS)
_NAME_PARTS = frozenset(part for region in _REGIONS for part in region.split())
_NOT_TOWN = frozenset(
    """the a an his her their our my your this that ward bay bed room unit floor icu ed er a&e hospital clinic
    street road lane avenue drive""".split()
)


def top_level_alternatives(group: str) -> list[str]:
    """``a|b(?:c|d)|e`` -> ``["a", "b(?:c|d)", "e"]``: the alternatives outside any parentheses."""
    alternatives: list[str] = []
    depth, current = 0, ""
    for ch in group:
        if ch == "|" and depth == 0:
            alternatives.append(current)
            current = ""
            continue
        depth += (ch == "(") - (ch == ")")
        current += ch
    alternatives.append(current)
    return alternatives


def regroup_by_first(alternatives: list[str], fold_case: bool) -> str:
    """The alternatives grouped by first letter, in their order: ``a|an|b`` -> ``(?:a(?:|n)|b(?:))``.
    The same strings match, but ``re`` rejects a whole letter's alternatives on one character test."""
    by_first: dict[str, list[str]] = {}
    for alternative in alternatives:
        first = alternative[0].lower() if fold_case else alternative[0]
        by_first.setdefault(first, []).append(alternative[1:])
    return "(?:" + "|".join(f"{first}(?:{'|'.join(rests)})" for first, rests in by_first.items()) + ")"


def _by_first(group: str) -> str:
    """``a|an|b`` regrouped by first letter, case folded (the patterns using it are ``(?i)``)."""
    return regroup_by_first(top_level_alternatives(group), fold_case=True)


def _fold(word: str) -> str:
    """A word's key for ``common_cased``: lower case, a possessive dropped."""
    k = word.lower().strip(".'’")
    return k[:-2] if k.endswith(("'s", "’s")) else k


def _safe_positional(word: str) -> bool:
    """Safe in a position that only its shape makes suspect (two capitalised words, an upper-case
    "A, B" pair): the safe words, and any common English word of 4+ letters that is no name."""
    k = _fold(word)
    return _safe(word) or (len(k) >= 4 and k not in _STREET_TYPE_SET and common_cased(k))


def _common_pair(text: str, m: re.Match[str], a: str, b: str) -> bool:
    """Two words read as a name only by their shape, both ordinary English and no street or place
    word, and not the head of a longer capitalised run ("Coral Coast Diagnostic Imaging")."""
    if not (_safe_positional(a) and _safe_positional(b)):
        return False
    e = m.end()
    if not (e + 1 < len(text) and text[e] == " " and text[e + 1].isupper()):
        return True
    # the run goes on: still a heading when the next word is ordinary too and names no facility
    # ("Quarterly Activity Statistics"), not "Coral Coast Diagnostic Imaging"
    w = _WORD_AT.match(text, e + 1)
    if w is None:
        return False
    nxt = w.group()
    return _safe_positional(nxt) and not nxt.lower().startswith(_FACILITY_KIND_STARTS + _FACILITY_NEXT)


# What a facility name's next word may start with, beyond its kind words: "... Diagnostic Imaging".
_FACILITY_NEXT = (
    "diagnostic", "imaging", "radiolog", "patholog", "orthop", "dental", "surgical", "rehab", "lab", "specialist",
    "family", "community", "district", "regional", "memorial", "children", "women", "eye", "heart", "cancer",
)  # fmt: skip


def _eponym(text: str, word: str, end: int) -> bool:
    """``word`` (ending at ``end``) names a disease, sign, score or technique: a disease word follows
    it ("Wilms tumour", "Gleason score", "Legionnaires' disease"); a known given name never does."""
    return word.lower() not in lexicon.FIRST_NAMES and lexicon.EPONYM_FOLLOW.match(text, end) is not None


# What a caller says before an answer ("Caller - Um... 0836, I think."): never a name.
_FILLERS = frozenset("um umm uh uhh er erm hmm mm mmm ah oh yeah yep yup okay ok".split())


def _safe(word: str) -> bool:
    k = word.lower().strip(".'’")
    for q in ("'", "’"):
        if q in k:
            head, _, tail = k.partition(q)
            if tail in ("s", "m", "ve", "ll", "d", "re", "t") and (len(head) < 2 or head in SAFE_WORDS):
                return True
            if tail == "s" and head in lexicon.EPONYMS:
                return True  # "Bell's palsy" (a bare "Bell" or "Smith" stays suspect)
            k = head if tail == "s" else k
    if k in SAFE_WORDS or k in _CREDENTIAL_WORDS or len(k) < 2 or k in _FILLERS:
        return True
    if word.islower() and k.isalpha() and _common_lower(k):
        return True
    if len(word) >= 3 and word[-1] == "s" and word[:-1].isupper():
        return True  # an acronym's plural ("ADLs")
    if len(k) <= 32 and "-" in k and all(part in SAFE_WORDS for part in k.split("-")):
        return True  # a compound of safe words ("COMMUNITY-ACQUIRED"); "Smith-Jones" stays suspect
    return k.endswith("s") and k[:-1] in SAFE_WORDS


_TOKEN = re.compile(r"[A-Za-zÀ-ÿ0-9][A-Za-zÀ-ÿ0-9'’\-]{0,40}+\.?")

# ---------------------------------------------------------------------------------------------------
# Candidate positions (speed): a cue pattern that starts with ``(?<![A-Za-z])`` and a word can only
# match where a run of ASCII letters starts, and only when that run begins like one of its words; ``re``
# cannot skip ahead on such a pattern (no literal prefix), so it is tried at those positions alone,
# left to right, as ``finditer`` would (same matches). Under ``(?i)`` four non-ASCII letters also match
# ``[a-z]`` (İ ı ſ K); a text with one of them takes the plain ``finditer``.

_RUN = re.compile(r"[A-Za-z]++")
# The same runs in the text with A-Z lowered (same offsets): no ``lower()`` call per run.
_LOWER_RUN = re.compile(r"[a-z]++")
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
_DIGIT_RUN = re.compile(r"[0-9]++")
_CAP_START = re.compile(r"[A-Z][A-Za-z]*+")
_ODD_FOLD = re.compile("[\u0130\u0131\u017f\u212a]")
Runs = list[tuple[int, str]]


# Word filters (see ``RunIndex``): a run of letters passes one when it is one of the exact words or
# starts with one of the prefixes.
_WORD_FILTERS: list[tuple[frozenset[str], tuple[str, ...]]] = []
_word_masks: dict[str, int] = {}  # word -> bit i set when the word passes filter i (a bounded memo)


def _word_filter(exact: frozenset[str], prefixes: tuple[str, ...]) -> int:
    """Registers a word filter; its number (a bit of ``_word_masks``)."""
    _WORD_FILTERS.append((exact, prefixes))
    return len(_WORD_FILTERS) - 1


def _word_mask(word: str) -> int:
    mask = 0
    for i, (exact, prefixes) in enumerate(_WORD_FILTERS):
        if word in exact or word.startswith(prefixes):
            mask |= 1 << i
    if len(_word_masks) < 50_000:
        _word_masks[word] = mask
    return mask


class RunIndex:
    """The runs of ASCII letters of one text, sorted once by the word filters they pass: one pass with
    a memo lookup per run, where each cue rule used to test every run against its words."""

    def __init__(self, runs: Runs) -> None:
        self.runs = runs
        by_filter: list[list[int]] = [[] for _ in _WORD_FILTERS]
        short1: list[int] = []
        short2: list[int] = []
        masks = _word_masks
        for start, word in runs:
            mask = masks.get(word)
            if mask is None:
                mask = _word_mask(word)
            while mask:
                bit = mask & -mask
                by_filter[bit.bit_length() - 1].append(start)
                mask ^= bit
            if len(word) <= 2:
                short2.append(start)
                if len(word) == 1:
                    short1.append(start)
        self.by_filter = by_filter
        self.short1 = short1  # runs of one letter
        self.short2 = short2  # runs of one or two letters

    def starts(self, word_filter: int) -> list[int]:
        """Where the runs that pass the filter start, in order."""
        return self.by_filter[word_filter]


def _cue_filter(words: str, bounded: bool) -> int:
    """For the alternatives ``words`` (a ``|`` list of lower-case words, a few with ``?``, ``[..]``,
    ``(?:..)`` or ``\\s+``): the letter runs a match must start with exactly, and the prefixes of those it
    may start with (registered as a word filter: its number). ``bounded``: the alternatives are followed
    by ``(?![A-Za-z])``."""
    exact: set[str] = set()
    prefixes: list[str] = []
    for alt in words.split("|"):
        lead = ""
        for ch in alt:
            if not ("a" <= ch <= "z"):
                break
            lead += ch
        rest = alt[len(lead) :]
        if (rest == "" and bounded) or (
            rest != "" and rest[0] in "\\'’/" and rest[1:2] != "?" and not rest.startswith("\\.")
        ):
            exact.add(lead)
        else:
            prefixes.append(lead[:-1] if rest[:1] == "?" else lead)
    return _word_filter(frozenset(exact), tuple(prefixes))


def _cue_matches(
    rx: re.Pattern[str],
    text: str,
    runs: RunIndex | None,
    cue: int,
    extra: list[int] | None = None,
) -> list[re.Match[str]]:
    """``rx.finditer(text)``'s matches, ``rx`` tried only at the runs that begin like one of its cue
    words (and at the positions ``extra``). ``runs`` is None for a text with a non-ASCII letter that
    ``(?i)`` folds to ASCII: then the plain ``finditer``."""
    if runs is None:
        return list(rx.finditer(text))
    cands = runs.starts(cue)
    if extra:
        cands = sorted(cands + extra)
    return _matches_at(rx, text, cands)


def _matches_at(rx: re.Pattern[str], text: str, cands: list[int]) -> list[re.Match[str]]:
    """``rx.finditer(text)``'s matches when every match starts at one of the (sorted) ``cands``."""
    out: list[re.Match[str]] = []
    pos = 0
    for s in cands:
        if s < pos:
            continue
        m = rx.match(text, s)
        if m is not None:
            out.append(m)
            pos = m.end() if m.end() > s else s + 1
    return out


def digit_starts(text: str) -> list[int]:
    """Where the runs of ASCII digits start: the only places a pattern that starts with a digit not
    after a digit (``(?<![0-9])[0-9]``, ``(?<![\\w..])[0-9]``) can match."""
    return [m.start() for m in _DIGIT_RUN.finditer(text)]


def capital_starts(text: str) -> list[int]:
    """Where the runs of ASCII letters that start with a capital start (and a few more places): where a
    pattern that starts with ``(?<![A-Za-z])[A-Z]`` can match."""
    return [m.start() for m in _CAP_START.finditer(text)]


def letter_runs(text: str) -> Runs | None:
    """The runs of ASCII letters in ``text`` (start, lower case), or None (see ``_cue_matches``).

    ASCII text (nearly every prompt) is split in C: every character but a letter becomes a blank and
    ``split`` lists the runs in order; each is found with ``str.find`` from the end of the previous one
    (only blanks lie between), which costs a third of a match object per run."""
    if text.isascii():
        spaced = text.translate(_LETTERS_LOWERED)
        out: Runs = []
        i = 0
        for word in spaced.split():
            i = spaced.find(word, i)
            out.append((i, word))
            i += len(word)
        return out
    if _ODD_FOLD.search(text) is not None:
        return None
    return [(m.start(), m.group()) for m in _LOWER_RUN.finditer(text.translate(_ASCII_LOWER))]


# ASCII letters lowered, every other ASCII character a blank (``letter_runs``).
_LETTERS_LOWERED = str.maketrans({chr(c): (chr(c).lower() if chr(c).isalpha() else " ") for c in range(128)})


# ASCII digits as "0", every other ASCII character a blank (``_digit_runs``).
_DIGITS_ZERO = str.maketrans({chr(c): ("0" if chr(c).isdigit() else " ") for c in range(128)})


def _digit_runs(text: str) -> list[tuple[int, int]]:
    """The runs of ASCII digits: start, end. ASCII text is split in C (as in ``letter_runs``)."""
    if not text.isascii():
        return [m.span() for m in _DIGIT_RUN.finditer(text)]
    spaced = text.translate(_DIGITS_ZERO)
    out: list[tuple[int, int]] = []
    i = 0
    for run in spaced.split():
        i = spaced.find(run, i)
        out.append((i, i + len(run)))
        i += len(run)
    return out


class Digits:
    """The runs of ASCII digits of one text: where each starts, and for each pattern tried at run
    starts, only the runs whose length (and first or next character) that pattern can begin with. A
    start where a pattern cannot match yields no match, so leaving it out of ``_matches_at``'s
    candidates changes nothing; each pattern's digits are followed by a non-digit or end, so its first
    run of digits is a whole run (tests/safety/test_phi_recall_fast_paths.py checks every list against
    the plain scan)."""

    def __init__(self, text: str) -> None:
        starts: list[int] = []
        long_number: list[int] = []  # 7+ digits: _LONG_NUMBER
        timestamp: list[int] = []  # 8+ digits: _TIMESTAMP
        prefixed: list[int] = []  # 5+ digits: _PREFIXED_ID's digits
        postcode: list[int] = []  # 3-6 digits: _POSTCODE_DIGITS
        age: list[int] = []  # 2-3 digits: _AGE_NUMBER
        phone: list[int] = []  # 3 digits, 2-5 led by "0", 5 led by 6-9: _PHONE's digit-led forms
        month_day: list[int] = []  # 1-2 digits then "/": _MD
        n = len(text)
        for s, e in _digit_runs(text):
            starts.append(s)
            size = e - s
            if size >= 5:
                prefixed.append(s)
                if size >= 7:
                    long_number.append(s)
                    if size >= 8:
                        timestamp.append(s)
            if 3 <= size <= 6:
                postcode.append(s)
            if 2 <= size <= 3:
                age.append(s)
            if size == 3 or (text[s] == "0" and 2 <= size <= 5) or (size == 5 and text[s] in "6789"):
                phone.append(s)
            if size <= 2 and e < n and text[e] == "/":
                month_day.append(s)
        self.starts = starts
        self.long_number = long_number
        self.timestamp = timestamp
        self.prefixed = prefixed
        self.postcode = postcode
        self.age = age
        self.phone = phone
        self.month_day = month_day


def _name_run(text: str, pos: int, lower_ok: bool, limit: int = 4, weak: bool = False) -> tuple[int, int]:
    """The run of non-safe name tokens (and initials) starting at ``pos``; (pos, pos) if none. After a
    ``weak`` cue (a preposition or conjunction, not a title or relation word) a common English word
    also ends the run: "with DELIRIUM", "for STUDENTS", "to POLICE" are no names."""
    i = pos
    n = len(text)
    while i < n and text[i] in " \t(\"'":
        i += 1
    start = i
    end = i
    real = 0
    for _ in range(limit):
        m = _TOKEN.match(text, i)
        if m is None:
            break
        tok = m.group()
        word = tok.rstrip(".")
        initial = len(word) == 1 and word.isalpha() and (word.isupper() or lower_ok)
        if not initial:
            if not word[0].isalpha() or any(c.isdigit() for c in word):
                break
            if not lower_ok and not word[0].isupper():
                break
            if _safe(word) or (weak and len(word) >= 4 and common_cased(_fold(word))):
                break
            if weak and _eponym(text, word, m.start() + len(word)):
                break  # "with Seldinger technique": a named method or disease, not a person
            real += 1
            end = m.start() + len(word)
        else:
            end = m.end()
        j = m.end()
        if j < n and text[j] == ",":
            # "LAST, FIRST": only when both sides are upper case (tables, logs)
            if (
                word.isupper()
                and len(word) > 1
                and j + 2 < n
                and text[j + 1] == " "
                and text[j + 2].isupper()
            ):
                j += 2
                i = j
                continue
            break
        if j < n and text[j] in " \t" and j + 1 < n and text[j + 1] not in " \t\n":
            i = j + 1
            continue
        break
    if real == 0:
        return pos, pos
    return start, end


# ---------------------------------------------------------------------------------------------------
# Names

_NAME_CUE_WORDS = r"dr|doctor|mr|mrs|ms|miss|mx|prof|sister|brother|son|daughter|wife|husband|partner|mother|father|mum|mom|dad|niece|nephew|grandson|granddaughter|grandmother|grandfather|aunt|uncle|cousin|friend|neighbou?r|carer|caregiver|guardian|fianc[ée]e?|stepson|stepdaughter|witness|crew|verified\s+by|reported\s+by|reviewed\s+by|checked\s+by|witnessed\s+by|dispensed\s+by|administered\s+by|signed|signed\s+by|attending|pcp|gp|consultant|registrar|surgeon|pharmacist|prescriber|interpreter|driver|patient|pt|name|caller|re|cc|dear|it's|it’s|this\s+is|my\s+name\s+is|i\s+am|i'm|nurse|rn|physician|provider|author|from|to|by|with|and|contact|nok|next\s+of\s+kin|emergency\s+contact|spouse|officer|manager|staff|member|called|paged|informed|notified|radiologist|pathologist|technologist|sonographer|resident|fellow|intern|supervisor|sender|recipient|requester|d/w|hi|hello|hey|proxy|ordered\s+by|referred\s+by|per|for|dictated\s+by|transcribed\s+by"
# Cues that precede a name and as often an ordinary word: after them a common English word is no name.
_WEAK_NAME_CUES = frozenset(["from", "to", "by", "with", "and", "for", "per"])
_NAME_CUE = re.compile(
    r"(?<![A-Za-z])(?i:"
    + _by_first(_NAME_CUE_WORDS)
    + r")(?![A-Za-z])\.?(?:[ \t]*+[:(\-]?)[ \t]*+(?=[A-Za-zÀ-ÿ])"
)
_NAME_CUE_FIRST = _cue_filter(_NAME_CUE_WORDS, bounded=True)
_CREDENTIAL = (
    r"(?:MD|M\.D\.|DO|RN|NP|PA-C|PA|EMT-[PBI]|EMT|FRCP|FRCS|MRCP|MRCGP|MBBS|MBChB|"
    r"FRACP|FRACGP|MS|MCh|DNB|SN|MLS|MLT|RPh|PharmD|LPN|CNA|RGN|RMN|HCA|Paramedic|DPT|PhD|FNP|DNP|CNM|CRNA|RRT|"
    r"RD|OT|PT|MSW|LCSW)(?![A-Za-z])"
)
_CRED_AFTER = re.compile(r"(?<=[A-Za-z.])[ \t]*+,?[ \t]*+" + _CREDENTIAL)
# The credential alone: it starts with a literal, so ``re`` skips to candidates in C (``_CRED_AFTER``
# starts with a look-behind, which made its plain scan try the matcher at every character).
_CREDENTIAL_AT = re.compile(_CREDENTIAL)


def _cred_after_matches(text: str) -> list[re.Match[str]]:
    """``_CRED_AFTER.finditer(text)``'s matches. A match ends in a credential at some ``q``; its blanks
    and comma are possessive and the character before its start is a letter or ".", so it can only
    start where the run of blanks (and one comma) before ``q`` starts. Every ``q`` is found, overlapping
    ones too ("FNP" holds "NP"), and ``_CRED_AFTER`` is tried at those starts alone, left to right."""
    starts: list[int] = []
    found = _CREDENTIAL_AT.search(text)
    while found is not None:
        s = q = found.start()
        while s > 0 and text[s - 1] in " \t":
            s -= 1
        if s > 0 and text[s - 1] == ",":
            s -= 1
            while s > 0 and text[s - 1] in " \t":
                s -= 1
        if s > 0 and (not starts or starts[-1] != s):
            starts.append(s)
        found = _CREDENTIAL_AT.search(text, q + 1)
    return _matches_at(_CRED_AFTER, text, starts)


_INITIAL_SURNAME = re.compile(
    r"(?<![A-Za-z.])[A-Z]\.[ \t]?(?:[A-Z]\.[ \t]?)?[A-Z][A-Za-z'’\-]{1,30}+(?![A-Za-z])"
)
_FIRST_M_LAST = re.compile(
    r"(?<![A-Za-z])[A-Z][a-z]{1,30}+[ \t][A-Z]\.[ \t][A-Z][A-Za-z'’\-]{1,30}+(?![A-Za-z])"
)
_UPPER_PAIR = re.compile(
    r"(?<![A-Za-z])[A-Z][A-Z'’\-]{1,30}+,[ \t]?[A-Z][A-Z'’\-]{1,30}+(?:[ \t][A-Z]\.?(?![A-Za-z]))?"
)
_TITLE_PAIR = re.compile(
    r"(?<![A-Za-z])[A-Z][a-z'’\-]{1,30}+,[ \t][A-Z][a-z'’\-]{1,30}+(?=[ \t]*+(?:EMT|RN|MD|\(|;|,|\n|$|[ \t]{2})|"
    # "Blake, Wendy received prednisolone", "Kramer, Cameron early refill request": a verb of a record
    r"[ \t](?:received|receives|was|is|had|has|reports|reported|states|stated|presented|attended|declined|"
    r"refused|early|admitted|discharged|given|seen|called|phoned|requested|collected|picked)(?![A-Za-z]))"
)
_HERE_NAME = re.compile(r"(?<![A-Za-z])[A-Za-z][a-z'’\-]{1,30}+(?=[ \t]here[ \t]\()")
_ROLE_AFTER = re.compile(
    r"(?<![A-Za-z'’\-])[A-Za-z][A-Za-z'’\-]{1,30}+(?:[ \t][A-Za-z][A-Za-z'’\-]{1,30}+)?(?=[ \t]\((?i:nurse|hospitalist|husband|wife|"
    r"son|daughter|patient|sister|brother|partner|carer|caregiver|paramedic|grandson|granddaughter|mother|father|niece|"
    r"nephew|friend|neighbou?r|gp|consultant|registrar|physician|doctor|interpreter|witness|proxy|guardian)\))"
)
# a role in brackets after a space: what ``_ROLE_AFTER``'s look-ahead needs
_ROLE_PAREN = re.compile(_ROLE_AFTER.pattern[_ROLE_AFTER.pattern.index("(?=") + 3 : -1])
_CAP_PAIR = re.compile(r"(?<![A-Za-z'’\-])[A-Z][a-z'’\-]{1,30}+[ \t][A-Z][a-z'’\-]{1,30}+(?![A-Za-z'’\-])")


# A role title whose first word is also a surname ("reviewed by CASE MANAGER", "the Charge Nurse"):
# after a name cue the first word reads as a name, but with the role noun after it it is a job.
ROLE_TITLE = re.compile(
    r"(?i:case|bed|site|duty|ward|practice|nurse|charge|shift|unit|floor|care|team|social|support|night|day|"
    r"house|head|staff|home|link|lead|senior|junior|student|agency|bank|on-call|on[ \t]call)[ \t\-]+"
    r"(?i:managers?|nurses?|clerks?|co-?ordinators?|leaders?|leads?|workers?|sisters?|supervisors?|"
    r"officers?|doctors?|assistants?|practitioners?|midwi(?:fe|ves)|matron|teams?|registrars?|"
    r"consultants?|physicians?|surgeons?|residents?|fellows?|pharmacists?|radiologists?|"
    r"ana?esthetists?|interns?|paramedics?|therapists?)(?![A-Za-z])"
)


def role_title(text: str, start: int, end: int) -> bool:
    """Whether the name candidate ``text[start:end]`` is the first word(s) of a role title."""
    if end - start > 12:
        return False
    title = ROLE_TITLE.match(text, start)
    return title is not None and title.end() > end


def _not_an_initial(text: str, m: re.Match[str]) -> bool:
    """An ``_INITIAL_SURNAME`` match that is no initial and surname: the letter is glued to a number
    (a bed or ward label: "Ward 7B. Foley catheter") or the word is an eponym in its clinical use
    ("T 37.1 C. Foley catheter"; "B. Foley called" stays a name)."""
    s = m.start()
    if s > 0 and text[s - 1].isdigit():
        return True
    last = text[m.start() : m.end()].split(".")[-1].strip()
    return last.lower() in lexicon.EPONYMS and lexicon.EPONYM_FOLLOW.match(text, m.end()) is not None


def capital_classes(text: str, caps: list[int]) -> tuple[list[int], list[int], list[int]]:
    """The capitals followed by "."; by a capital or '’-; by a small letter or '’- (see ``_names``)."""
    n = len(text)
    dotted: list[int] = []
    upper: list[int] = []
    lower: list[int] = []
    for c in caps:
        if c + 1 < n:
            nxt = text[c + 1]
            if "a" <= nxt <= "z":
                lower.append(c)
            elif "A" <= nxt <= "Z":
                upper.append(c)
            elif nxt == ".":
                dotted.append(c)
            elif nxt in "'’-":
                lower.append(c)
                upper.append(c)
    return dotted, upper, lower


def _names(text: str, lower_doc: bool, runs: RunIndex | None, caps: list[int], emit: Emit) -> None:
    for m in _cue_matches(_NAME_CUE, text, runs, _NAME_CUE_FIRST):
        weak = m.group().strip().lower() in _WEAK_NAME_CUES
        s, e = _name_run(text, m.end(), lower_doc, weak=weak)
        if e > s and not role_title(text, s, e):
            emit(s, e, "NAME", _SCORE)
    for m in _cred_after_matches(text):
        if m.group()[0] not in " \t,":
            continue  # glued to the word before: "CARBIDOPA", "LEVODOPA/" end in "PA", not a credential
        # walk back over up to 4 name tokens before the credential
        e = m.start()
        s = e
        i = e
        real = 0
        for _ in range(4):
            j = i
            while j > 0 and i - j < 40 and (text[j - 1].isalpha() or text[j - 1] in "'’-."):
                j -= 1
            word = text[j:i].rstrip(".")
            if not word or (not word[0].isupper() and not lower_doc):
                break
            if len(word) == 1:
                s = j
            elif _safe(word):
                break
            else:
                real += 1
                s = j
            if j > 0 and text[j - 1] == " ":
                i = j - 1
                continue
            break
        if real and s < e:
            emit(s, e, "NAME", _SCORE)
    # Each capital-led pattern is tried only at the capitals followed by what its second character can
    # be ("." after an initial, a capital or '’- in an upper-case pair, a small letter or '’- in the
    # others): a start where a pattern cannot match changes nothing in ``_matches_at``. The pairs need
    # a comma.
    dotted, upper, lower = capital_classes(text, caps)
    for rx, starts in ((_INITIAL_SURNAME, dotted), (_FIRST_M_LAST, lower)):
        for m in _matches_at(rx, text, starts):
            if rx is _INITIAL_SURNAME and _not_an_initial(text, m):
                continue
            words = [w for w in re.split(r"[ \t.]+", m.group()) if len(w) > 1]
            if words and not all(_safe(w) for w in words):
                emit(m.start(), m.end(), "NAME", _SCORE)
    comma = "," in text
    for m in _matches_at(_UPPER_PAIR, text, upper) if comma else []:
        a, b = m.group().split(",", 1)
        b = b.strip().split()[0]
        if not _safe(a) and not _safe(b) and not _common_pair(text, m, a, b):
            emit(m.start(), m.end(), "NAME", _SCORE)
    for m in _matches_at(_TITLE_PAIR, text, lower) if comma else []:
        a, b = m.group().split(",", 1)
        b = b.strip()
        if not _safe(a) and not _safe(b) and not _common_pair(text, m, a, b):
            emit(m.start(), m.end(), "NAME", _SCORE)
    for rx in (_HERE_NAME, _ROLE_AFTER):
        if rx is _HERE_NAME and "here" not in text:
            continue
        if rx is _ROLE_AFTER and _ROLE_PAREN.search(text) is None:
            continue
        for m in rx.finditer(text):
            words = m.group().split()
            while words and _safe(words[0]):
                words = words[1:]
            if words and not any(_safe(w) for w in words):
                emit(m.end() - len(" ".join(words)), m.end(), "NAME", _SCORE)
    for m in _matches_at(_CAP_PAIR, text, lower):
        a, b = m.group().split(None, 1)
        if _eponym(text, b, m.end()):
            continue  # "Background Marfan syndrome", "Recognise Lachman test"
        if not _safe(a) and not _safe(b) and not _common_pair(text, m, a, b):
            emit(m.start(), m.end(), "NAME", _SCORE)


# ---------------------------------------------------------------------------------------------------
# Addresses, towns, postcodes

_STREET_TYPES = (
    "street|st|road|rd|avenue|ave|av|drive|dr|lane|ln|court|ct|way|place|pl|terrace|tce|ter|crescent|cres|"
    "close|cl|grove|gr|gardens|gdns|mews|parade|pde|rise|row|square|sq|walk|hill|hills|view|boulevard|blvd|"
    "highway|hwy|parkway|pkwy|circle|cir|trail|trl|loop|alley|plaza|park|green|heights|hts|vale|wynd|"
    "esplanade|esp|nagar|colony|marg|chowk|layout|enclave|vihar|bagh|gali|peth|lodge|mall|rapids|rapid|"
    "branch|bridge|brook|brooks|burg|bypass|camp|canyon|cape|causeway|center|centre|cliff|cliffs|club|common|"
    "commons|corner|corners|course|courts|cove|coves|creek|crest|crossing|crossroad|curve|dale|dam|divide|"
    "drives|estate|estates|expressway|extension|falls|fall|ferry|field|fields|flat|flats|ford|fords|forest|"
    "forge|forges|fork|forks|fort|freeway|garden|gate|gateway|glen|glens|greens|groves|harbor|harbour|harbors|"
    "haven|hollow|inlet|island|islands|isle|junction|key|keys|knoll|knolls|lake|lakes|land|landing|light|"
    "lights|loaf|lock|locks|manor|manors|meadow|meadows|mill|mills|mission|motorway|mount|mountain|neck|"
    "orchard|oval|overpass|parks|pass|passage|path|pike|pine|pines|plain|plains|point|points|port|ports|"
    "prairie|radial|ramp|ranch|rest|ridge|ridges|river|route|rue|run|shoal|shoals|shore|shores|skyway|spring|"
    "springs|spur|spurs|squares|station|stravenue|stream|streets|summit|throughway|trace|track|trafficway|"
    "trailer|tunnel|turnpike|underpass|union|unions|valley|valleys|via|viaduct|views|village|villages|ville|"
    "vista|walks|wall|ways|well|wells|quay|wharf|approach|broadway|circuit|cct|boulevarde|promenade|grange|"
    # Canadian, Australian, British and Indian street types beyond the US list
    "line|sideroad|concession|fold|stairs|piazza|gully|arcade|croft|dell|glade|nook|paddock|pathway|strand|"
    "walkway|boardwalk|concourse|fairway|laneway|lookout|meander|quays|ridgeway|serviceway|subway|tarn|"
    "salai|sarani|veedhi|rasta|maidan|puram|palya|cross[ \t]road|main[ \t]road"
)
# The core street types in the plural too ("Ford Roads", "GARY COURTS": generated addresses use them).
_STREET_TYPES = (
    _STREET_TYPES
    + "|roads|avenues|lanes|places|terraces|crescents|closes|groves|squares|parades|boulevards|lines|"
    + "highways|circles|trails|loops|alleys|plazas|rows"
)
_UNIT = r"(?:flat|unit|apt|apartment|suite|ste|h\.?[ \t]?no|house[ \t]no|door[ \t]no|no|room|lot|plot(?:[ \t]no)?|level|floor|bldg|building)\.?[ \t]*+#?[ \t]*+(?:[0-9][0-9A-Za-z/\-]{0,7}|[A-Za-z](?![A-Za-z'’.]))"
# A named building between a unit and its street ("Flat 501, Green Park Apartments, Tilak Lane").
_BUILDING = r"(?:[A-Za-z][A-Za-z'’\-]{0,30}+[ \t]){1,3}(?:apartments|residency|towers|tower|complex|society|mansions|chambers|house|court|heights|enclave),[ \t]*+"
_HOUSE = r"[0-9]{1,6}[A-Za-z]?(?:[/\-][0-9]{1,5}[A-Za-z]?)?,?[ \t]++"
# A compass point after the street type: "56 Brookfield Sideroad East", "5200 Ferry Line N".
_STREET_DIRECTION = r"(?:[ \t]++(?:north|south|east|west|n|s|e|w|ne|nw|se|sw)\.?(?![A-Za-z0-9'’]))?"
_ADDRESS = re.compile(
    rf"(?i)(?<![\w/])(?:{_UNIT},?[ \t]++(?:{_BUILDING})?(?:{_HOUSE})?|{_HOUSE})"
    # a street word, or initials ("S.V. Road", "M.G. Road")
    rf"(?:(?:[A-Za-z]\.){{2,3}}+[ \t]*+|[A-Za-z][A-Za-z'’\-]{{0,30}}+\.?[ \t]{{1,3}}+){{1,3}}"
    rf"{_by_first(_STREET_TYPES)}\.?(?![A-Za-z]){_STREET_DIRECTION}"
    rf"(?:,?[ \t]*+(?:{_UNIT}|#[ \t]?[0-9][0-9A-Za-z\-]{{0,5}}))?"
)
# an address starts with a house number (a run of digits) or a unit word
_ADDRESS_FIRST = _cue_filter(_UNIT[3 : _UNIT.index(")")], bounded=False)
_UK_POSTCODE = re.compile(r"(?i)(?<![A-Za-z0-9])[A-Z]{1,2}[0-9][A-Z0-9]?[ \t]?[0-9][A-Z]{2}(?![A-Za-z0-9])")
_CA_POSTCODE = re.compile(r"(?i)(?<![A-Za-z0-9])[A-Z][0-9][A-Z][ \t\-]?[0-9][A-Z][0-9](?![A-Za-z0-9])")
_POSTCODE_DIGITS = re.compile(
    r"(?<![0-9])(?:[0-9]{3}[ \t]?[0-9]{3}|[0-9]{5}(?:-[0-9]{4})?|[0-9]{4})(?![0-9])"
)
# the region, then blanks, a comma or a dash, or a line break ("Springdale, ME\n74503" in a letterhead)
_REGION_BEFORE = re.compile(r"([A-Za-z]{2,30}(?:[ \t][A-Za-z]{2,30}){0,3})(?:[ \t,\-]{1,4}|[ \t,]{0,2}\n)\Z")
_ADDRESS_LABEL = re.compile(
    r"(?i)(?<![A-Za-z])(?:address|addr|home\s+address|incident\s+location|location\s+of\s+incident|"
    r"pick-?up\s+location|lives\s+at|living\s+at|resides\s+at|address\s+is|address\s+to)"
    r"[ \t]*+(?:is|:|-|was)?[ \t]*+:?[ \t]*+"
)
_TOWN_CUE_WORDS = "in|near|from|outside|around|nr|town|city|suburb|village|hometown|birthplace"
_TOWN_CUE = re.compile(r"(?i)(?<![A-Za-z])" + _by_first(_TOWN_CUE_WORDS) + r"[ \t]++(?=[A-Za-z])")
_TOWN_CUE_FIRST = _cue_filter(_TOWN_CUE_WORDS, bounded=True)
_ADDRESS_LABEL_FIRST = _cue_filter(
    r"address|addr|home\s+address|incident\s+location|location\s+of\s+incident|pick-?up\s+location|"
    r"lives\s+at|living\s+at|resides\s+at|address\s+is|address\s+to",
    bounded=False,
)


def _town_before(text: str, end: int, lower_doc: bool, emit: Emit) -> None:
    """The town words (1-3) that end at ``end`` (before ", REGION" or a postcode)."""
    i = end
    while i > 0 and end - i < 40 and text[i - 1] in " \t,\n":
        i -= 1
    e = i
    s = i
    for _ in range(3):
        j = i
        while j > 0 and i - j < 40 and (text[j - 1].isalpha() or text[j - 1] in "'’-."):
            j -= 1
        word = text[j:i].strip(".")
        if not word or (not lower_doc and not word[0].isupper()) or word.lower() in _NOT_TOWN:
            break
        if word.lower() in _STREET_TYPE_SET:
            break
        s = j
        if j > 0 and text[j - 1] == " " and j > 1 and text[j - 2].isalpha():
            i = j - 1
            continue
        break
    if s < e:
        emit(s, e, "LOCATION", _SCORE)


_STREET_TYPE_SET = frozenset(t for t in _STREET_TYPES.split("|") if "[" not in t)
_STREET_WORD = _word_filter(_STREET_TYPE_SET, ())


_REGION_LAST = frozenset(r.split()[-1] for r in _REGIONS)
_REGION_LAST_MAX = max(len(w) for w in _REGION_LAST)


def _may_end_in_region(text: str, lo: int, end: int) -> bool:
    """False when ``_REGION_BEFORE.search(text[lo:end])`` finds no region (cheap: the window must end in
    1-4 separators after a word that ends like a region's last word)."""
    e = end
    while e > lo and end - e < 5 and text[e - 1] in " \t,-\n":
        e -= 1
    if e == end or end - e > 4:
        return False
    top = min(_REGION_LAST_MAX, e - lo)
    return any(text[e - n : e].lower() in _REGION_LAST for n in range(2, top + 1))


_TOWN_AFTER = re.compile(r",[ \t]*+([A-Za-z][A-Za-z'’.\-]*+(?:[ \t][A-Za-z][A-Za-z'’.\-]*+){0,2})")
# A postcode of digits right after a town (AU/US/IN shapes), then the end of the address.
_ZIP_AFTER_TOWN = re.compile(
    r"[ \t]{1,3}+([0-9]{3}[ \t]?[0-9]{3}|[0-9]{4,5})(?![0-9A-Za-z/:\-]|\.[0-9A-Za-z])"
)
# A town right after the street, no comma between: "... Wattle St Warrnambool 7155", "... Row Oban".
_TOWN_NO_COMMA = re.compile(r"[ \t]++([A-Z][A-Za-z'’\-]{2,30}+(?:[ \t][A-Z][A-Za-z'’\-]{2,30}+)?)")
# The lines of an address block after the street, each a town, county or region, down to a postcode
# line: "7 Mill Row\nHexford\nWest Lorne\nHX4 2LT".
_BLOCK_LINE = re.compile(
    r"\n([A-Z][A-Za-z'’\-]{1,30}+(?:[ \t][A-Za-z][A-Za-z'’\-]{1,30}+){0,3})[ \t]*+(?=\n)"
)
_BLOCK_CODE = re.compile(
    r"\n(?:[A-Z]{1,2}[0-9][A-Z0-9]?[ \t]?[0-9][A-Z]{2}|[A-Z][0-9][A-Z][ \t]?[0-9][A-Z][0-9]|[0-9]{4,6})[ \t]*+(?:\n|$)"
)
_TOWN_BRACKET = re.compile(r"[ \t]*+\(([A-Z][A-Za-z'’\-]{2,30}+(?:[ \t][A-Z][A-Za-z'’\-]{1,30}+)?)\)")
_ZIP_AFTER = re.compile(r",[ \t]*+([0-9]{4,6}(?:-[0-9]{4})?)(?![0-9A-Za-z/\-])")
# An Australian Medicare card number with its reference number: "4708 98339 4/3", "2604 90288 1".
_MEDICARE_AU = re.compile(r"(?<![0-9])[0-9]{4}[ \t][0-9]{5}[ \t][0-9](?:/[0-9])?(?![0-9/])")
# An id of digit groups in brackets, after a name ("pt jo bloggs (56 877 101)").
_BRACKET_GROUPS = re.compile(r"\(([0-9]{2,4}+(?:[ \-][0-9]{2,4}+){1,3}+)\)")


def _address_matches(text: str, runs: RunIndex | None, nums: list[int]) -> list[re.Match[str]]:
    """``_ADDRESS.finditer(text)``'s matches. An address is one line (only blanks inside) that ends in
    a street type, a whole run of letters: only candidates (a house number or unit word) with a
    street-type run after them on their line are tried."""
    if runs is None:
        return list(_ADDRESS.finditer(text))
    streets = runs.starts(_STREET_WORD)
    if not streets:
        return []
    cands = sorted(runs.starts(_ADDRESS_FIRST) + nums)
    keep: list[int] = []
    for c in cands:
        i = bisect.bisect_right(streets, c)
        if i < len(streets) and text.find("\n", c, streets[i]) == -1:
            keep.append(c)
    return _matches_at(_ADDRESS, text, keep)


# A town written in lower case where a note says where someone lives or comes from: "family live out at
# red deer.", "keen to get home to red deer.", "visited from medicine hat and asked ..." (a literal first).
_LOWER_TOWN = re.compile(
    r"(?:liv(?:e|es|ing)[ \t]++(?:out[ \t]++)?(?:at|in)|home[ \t]++to|visited[ \t]++from)[ \t]++"
    r"([a-z][a-z'’\-]{2,30}+(?:[ \t][a-z][a-z'’\-]{1,30}+){0,2}?)(?=[ \t]*+(?:[.,;]|\n|$|and[ \t]))"
)
_NOT_A_TOWN = frozenset(
    """a an the his her their its our my own this that sheltered supported residential assisted rented council
    shared care nursing home house flat unit apartment bungalow facility accommodation housing town city village
    country area hospital ward bed alone together with family friends partner wife husband son daughter""".split()
)


def _lower_towns(text: str, emit: Emit) -> None:
    if "liv" not in text and "home to" not in text and "visited from" not in text:
        return
    for m in _LOWER_TOWN.finditer(text):
        if m.start() > 0 and text[m.start() - 1].isalpha():
            continue
        words = m.group(1).split()
        if any(w in _NOT_A_TOWN for w in words):
            continue
        emit(m.start(1), m.end(1), "LOCATION", _SCORE)


def _places(text: str, lower_doc: bool, runs: RunIndex | None, digits: Digits, emit: Emit) -> None:
    for m in _address_matches(text, runs, digits.starts):
        g = m.group()
        if not any(c.isdigit() for c in g):
            continue
        words = re.findall(r"[A-Za-z]{2,}", g)
        if not lower_doc and any(
            not w[0].isupper()
            for w in re.findall(r"(?<![0-9])[A-Za-z][A-Za-z'’\-]*", g)[:-1]  # not the "c" of "88c"
            if w.lower() not in ("flat", "unit", "apt", "no", "suite", "h", "ste", "house", "door")
        ):
            continue
        if (
            len(words) >= 2
            and all(_safe(w) and w.lower() not in _STREET_TYPE_SET for w in words[:-1])
            and not re.match(r"(?i)(?:flat|unit|apt|h\.?\s?no|suite|[0-9])", g)
        ):
            continue
        emit(m.start(), m.end(), "ADDRESS", _SCORE)
        _after_street(text, m.end(), lower_doc, emit)
    for rx, letters in ((_UK_POSTCODE, 2), (_CA_POSTCODE, 1)):
        # a postcode starts with a run of 1-2 letters
        for m in (
            rx.finditer(text)
            if runs is None
            else _matches_at(rx, text, runs.short2 if letters == 2 else runs.short1)
        ):
            g = m.group()
            if rx is _UK_POSTCODE and not (g[0].isupper() or lower_doc):
                continue
            if not re.search(r"[0-9]", g) or (g.isalpha()):
                continue
            emit(m.start(), m.end(), "ZIP", _SCORE)
            # the town and region before it
            i = m.start()
            while i > 0 and m.start() - i < 40 and text[i - 1] in " \t,-":
                i -= 1
            j = i
            while j > 0 and (text[j - 1].isalpha() or text[j - 1] == " "):
                j -= 1
                if i - j > 40:
                    break
            before = text[j:i].strip().lower()
            if before in _REGIONS or (before.split()[-1:] and " ".join(before.split()[-1:]) in _REGIONS):
                # skip the region
                k = text.rfind(",", max(0, i - 40), i)
                if k > 0:
                    _town_before(text, k, lower_doc, emit)
            else:
                _town_before(text, m.start(), lower_doc, emit)
    for m in _matches_at(_POSTCODE_DIGITS, text, digits.postcode):
        lo = max(0, m.start() - 60)
        if not _may_end_in_region(text, lo, m.start()):
            continue
        rb = _REGION_BEFORE.search(text[lo : m.start()])
        if rb is None:
            continue
        region = rb.group(1).lower()
        words = region.split()
        # the region is the last 1-3 words of group 1
        found = ""
        for n in (3, 2, 1):
            if len(words) >= n and " ".join(words[-n:]) in _REGIONS:
                found = " ".join(words[-n:])
                break
        if not found:
            continue
        if found == "in" or (
            found in ("or", "me", "oh", "hi", "ok", "de", "pa", "md", "ma", "la", "id")
            and not rb.group(1)[-2:].isupper()
        ):
            continue
        emit(m.start(), m.end(), "ZIP", _SCORE)
        # the town before ", REGION"
        rstart = lo + rb.end(1) - len(found)
        k = rstart
        while k > 0 and text[k - 1] in " \t":
            k -= 1
        if k > 0 and text[k - 1] == ",":
            _town_before(text, k - 1, lower_doc, emit)
    for m in _cue_matches(_ADDRESS_LABEL, text, runs, _ADDRESS_LABEL_FIRST):
        e = text.find("\n", m.end())
        if e < 0:
            e = len(text)
        e = min(e, m.end() + 90)
        seg = text[m.end() : e]
        stop = re.search(r"\.(?:[ \t]|$)| with | and | for | please|\. ", seg)
        if stop is not None:
            e = m.end() + stop.start()
        while e > m.end() and text[e - 1] in " \t.,;":
            e -= 1
        if e > m.end() and any(c.isdigit() for c in text[m.end() : e]):
            emit(m.end(), e, "ADDRESS", _SCORE)
    for m in _cue_matches(_TOWN_CUE, text, runs, _TOWN_CUE_FIRST):
        s, e = _town_run(text, m.end(), lower_doc)
        if e > s:
            emit(s, e, "LOCATION", _SCORE)
    _regional_addresses(text, lower_doc, emit)


# Address lines that do not end in a street type, so ``_ADDRESS`` cannot see them:
# - Indian: a plot or flat in a numbered sector ("Plot No. 100, Sector 21"), a Bengaluru-style grid
#   ("#442, 4th Main, 8th Cross"), a flat in a named housing society ("Flat No. 4C-673, Anand Vihar CHS");
# - French (Quebec): the street type first ("722 rue Champlain", "909 rue des Érables").
_IN_UNIT = (
    r"(?:(?:plot|flat|house|h|door|shop|site|khasra|survey)\.?[ \t]*+(?:no\.?|number|#)?[ \t]*+|#[ \t]*+|no\.[ \t]*+)"
    r"[0-9][0-9A-Za-z/\-]{0,9}+"
)
_ORDINAL = r"[0-9]{1,2}(?:st|nd|rd|th)"
_IN_ADDRESS = re.compile(
    rf"(?i)(?<![\w/#])({_IN_UNIT},?[ \t]++)?(?:"
    # "Sector 21", "Sector-21A", "Phase 2", "Block C"
    rf"(?:sector|sec|phase|block|pocket)[ \t\-]?[0-9]{{1,3}}+[A-Za-z]?(?![A-Za-z0-9])"
    # "4th Main, 8th Cross", "10th Cross Road", "2nd Main Road"
    rf"|{_ORDINAL}[ \t]++(?:main|cross|block|stage|phase)(?:[ \t]++(?:road|rd))?\.?"
    rf"(?:,[ \t]*+{_ORDINAL}[ \t]++(?:main|cross|block|stage|phase)(?:[ \t]++(?:road|rd))?\.?)*+"
    r")"
)
_IN_SOCIETY = re.compile(
    rf"(?i)(?<![\w/#]){_IN_UNIT},?[ \t]++(?:[A-Za-z][A-Za-z'’\-]{{1,30}}+[ \t]++){{1,3}}"
    r"(?:chs|society|residency|apartments|apartment|towers|complex|enclave|niketan|nagar|colony|vihar|"
    r"mansion|mansions|heights|residence|residences|gardens|park)(?![A-Za-z])"
)
_FRENCH_STREET = re.compile(
    r"(?<![\w/])[0-9]{1,5}[A-Za-z]?(?:-[0-9]{1,5})?,?[ \t]++"
    r"(?:rue|avenue|av\.|boulevard|boul\.|blvd|chemin|ch\.|route|rang|place|allée|impasse|montée|côte|promenade)"
    r"[ \t]++(?:(?:de[ \t]++la|de[ \t]++l['’]|des|du|de|d['’]|l['’]|la|le|les|st-|ste-|saint-|sainte-)[ \t]*+)?"
    r"[A-ZÀ-Þ][\w'’\-]{1,30}+(?:[ \t\-][A-ZÀ-Þ][\w'’\-]{1,30}+){0,3}"
    r"(?:[ \t]++(?:nord|sud|est|ouest|n|s|e|o)(?![\w]))?"
)


def _after_street(text: str, end: int, lower_doc: bool, emit: Emit) -> None:
    """What follows a street line that ends at ``end``: a postcode, the town (and suburb), a town in
    brackets, an address block's next lines."""
    k = end
    z = _ZIP_AFTER.match(text, k)
    if z is not None:  # "8083 Donna Walk Apt. 1B, 74587": a postcode said right after the street
        emit(z.start(1), z.end(1), "ZIP", _SCORE)
    # the town after a street: "..., Millbrook, IL 62701" / "..., Didcot, DN9 6SQ"; a suburb and a
    # town ("..., Hintonburg, Truro, for ..."), a postcode right after the town ("..., Bundaberg 4670")
    for n_town in range(2):
        if text[k : k + 1] != ",":
            break
        mt = _TOWN_AFTER.match(text, k)
        if mt is None:
            break
        town = mt.group(1)
        if town.lower() in _REGIONS or not (lower_doc or town[0].isupper()) or (n_town and _safe(town)):
            break
        emit(mt.start(1), mt.end(1), "LOCATION", _SCORE)
        k = mt.end()
        zt = _ZIP_AFTER_TOWN.match(text, k)
        if zt is not None:
            emit(zt.start(1), zt.end(1), "ZIP", _SCORE)
            break
    if text[k : k + 1] in (" ", "\t") and not lower_doc:
        _town_no_comma(text, k, emit)
    elif text[k : k + 1] == "\n" and not lower_doc:
        _address_block(text, k, emit)
    bt = _TOWN_BRACKET.match(text, end)
    if bt is not None and not _safe(bt.group(1).split()[0]):
        emit(bt.start(1), bt.end(1), "LOCATION", _SCORE)  # "12 Larchmont Crescent (Geraldton)"


def _regional_addresses(text: str, lower_doc: bool, emit: Emit) -> None:
    """The address shapes ``_ADDRESS``'s street-type grammar cannot describe (see ``_IN_ADDRESS``)."""
    low = text.lower()
    if (
        "sector" in low
        or "main" in low
        or "cross" in low
        or "block" in low
        or "phase" in low
        or "pocket" in low
    ):
        for m in _IN_ADDRESS.finditer(text):
            g = m.group()
            if not any(c.isdigit() for c in g):
                continue
            if m.group(1) is None and (
                not _SECTOR_CONTEXT.search(text, max(0, m.start() - 3), m.start())
                or g.lower().startswith(("phase", "block", "pocket"))
                or g.lower().split()[1].startswith(("stage", "phase", "block"))
            ):
                continue  # "phase 3 trial", "2nd stage of labour": a sector or grid road after a comma, or a unit
            emit(m.start(), m.end(), "ADDRESS", _SCORE)
            _after_street(text, m.end(), lower_doc, emit)
    for m in _IN_SOCIETY.finditer(text):
        emit(m.start(), m.end(), "ADDRESS", _SCORE)
        _after_street(text, m.end(), lower_doc, emit)
    if "rue" in low or "chemin" in low or "boul" in low or "rang" in low or "avenue" in low or "route" in low:
        for m in _FRENCH_STREET.finditer(text):
            emit(m.start(), m.end(), "ADDRESS", _SCORE)
            _after_street(text, m.end(), lower_doc, emit)


_SECTOR_CONTEXT = re.compile(r",[ \t]*+\Z")


def _town_no_comma(text: str, k: int, emit: Emit) -> None:
    """The town right after a street that ends at ``k``, no comma between: a capitalised word that is
    no ordinary word, region or street word, or any capitalised word when a postcode follows it."""
    mt = _TOWN_NO_COMMA.match(text, k)
    if mt is None:
        return
    words = mt.group(1).split()
    zt = _ZIP_AFTER_TOWN.match(text, mt.end())
    if zt is None:
        if len(words) > 1 and _safe(words[1].lower()):  # "... Lane Fairholt Tel": the town alone
            words = words[:1]
        if any(_safe(w.lower()) or w.lower() in _REGIONS or w.lower() in _STREET_TYPE_SET for w in words):
            return
    elif any(w.lower() in _REGIONS or w.lower() in _STREET_TYPE_SET for w in words):
        return
    end = mt.start(1) + len(" ".join(words)) if len(words) == 1 else mt.end(1)
    emit(mt.start(1), end, "LOCATION", _SCORE)
    if zt is not None:
        emit(zt.start(1), zt.end(1), "ZIP", _SCORE)


def _address_block(text: str, k: int, emit: Emit) -> None:
    """The town, county and region lines (up to three) between a street line ending at ``k`` and a
    postcode line."""
    lines: list[tuple[int, int]] = []
    pos = k
    while len(lines) < 3:
        if _BLOCK_CODE.match(text, pos) is not None:
            for s, e in lines:
                emit(s, e, "LOCATION", _SCORE)
            return
        mb = _BLOCK_LINE.match(text, pos)
        if mb is None:
            return
        lines.append((mb.start(1), mb.end(1)))
        pos = mb.end()


def _town_run(text: str, pos: int, lower_doc: bool) -> tuple[int, int]:
    end = pos
    i = pos
    for _ in range(3):
        m = _TOKEN.match(text, i)
        if m is None:
            break
        word = m.group().rstrip(".")
        if not word[0].isalpha() or any(c.isdigit() for c in word):
            break
        if not lower_doc and not word[0].isupper():
            break
        if lower_doc and len(word) < 4:
            break
        if _safe(word) or word.lower() in _REGIONS or word.lower() in _NOT_TOWN:
            break
        end = m.start() + len(word)
        j = m.end()
        if j < len(text) and text[j] == " " and j + 1 < len(text) and text[j + 1].isalpha():
            i = j + 1
            continue
        break
    return pos, end


# ---------------------------------------------------------------------------------------------------
# Phones, ids, dates, ages

_PHONE = re.compile(
    r"(?<![\w.+/\-])(?:\+[0-9]{1,3}[ \t.\-]?(?:\(0\)[ \t]?)?\(?[0-9]{1,5}\)?(?:[ \t.\-]?[0-9]{2,5}){1,4}"
    r"|\(0[0-9]{1,4}\)[ \t]?[0-9]{3,4}[ \t\-]?[0-9]{3,4}"
    r"|\([0-9]{3}\)[ \t]?[0-9]{3}[ \t.\-]?[0-9OolI]{4}"
    r"|0[0-9]{1,4}[ \t\-][0-9]{3,4}[ \t\-]?[0-9]{3,4}"
    r"|0[0-9]{3,4}[ \t][0-9]{6}"
    r"|[6-9][0-9]{4}[ \t][0-9]{5}"
    r"|[0-9]{3}[.\-][0-9]{3}[.\-][0-9]{4})"
    r"(?:[ \t]*+(?i:x|ext\.?|extension)[ \t]*+[0-9]{1,6})?(?![\w])"
)
_PHONE_SIGN = re.compile(r"[+(]")
_PAGER = re.compile(
    r"(?i)(?<![A-Za-z])(?:pager|bleep|extn|ext|extension|x|page|beep|pgr)\.?[ \t]*+(?:#|no\.?)?[ \t]*+:?[ \t]*+([0-9]{3,6})(?![0-9])"
)
_PAGER_FIRST = _cue_filter("pager|bleep|extn|ext|extension|x|page|beep|pgr", bounded=False)
# "x" between a count and a number, or before a dose: multiplication, not an extension.
_TIMES = re.compile(
    r"(?:[0-9][ \t]*+[xX]|[xX][ \t]*+[0-9]++[ \t]*+(?:mg|mcg|ml|g|kg|l|units?|tab|cap|puff|drops?)\b)"
)
# A phone number's last digits right before an extension cue: seven digits or more in phone groups.
_PHONE_BEFORE = re.compile(r"(?:[0-9][ \t().\-]?){7,}+[ \t,]*+\Z")
# "bleeped Dr Schultz (3965)", "paged dr tang (1096) re bp": the number after the person bleeped
_BLEEPED = re.compile(
    r"(?i)(?<![A-Za-z])(?:bleep(?:ed)?|paged|beeped)[ \t]++(?:dr\.?[ \t]++)?[A-Za-z][A-Za-z'’\-]{1,30}+"
    r"(?:[ \t][A-Za-z][A-Za-z'’\-]{1,30}+)?[ \t]*+\(([0-9]{3,6})\)"
)
_ID_LABEL_WORDS = (
    r"portal\s+user(?:name)?|user(?:name|\s+name|\s+id)?|login|log-in|handle|incident|run|report|"
    r"call\s+ref(?:erence)?|case|ref|claim|accession|specimen|sample|order|visit|encounter|episode|rx|ticket|"
    r"req|requisition|lab\s+no|barcode|hosp|hospital|mrn|mr|chart|unit\s+no|nhs|uhid|ip\s+no|op\s+no|id|"
    r"member|policy|group|account|acct|medicare|medicaid|ohip|phn|health\s+card|sin|ssn|ni|nino|aadhaar|"
    r"tfn|pan|abha|pmjay|esic|licen[cs]e|reg|registration|gmc|cpso|ahpra|npi|dea|plate|rego|vin|serial|urn|ur|"
    # the registering bodies of the UK, Canada, Australia, India, Ireland and New Zealand, and a PIN
    r"nmc|hcpc|gphc|pin|cpsbc|cpsa|cpss|cpsm|cpsns|cpsnb|cmq|cno|mci|smc|dmc|nmbi|imc|mcnz|"
    r"s/n|device|udi|template|fingerprint|voiceprint|retina|iris|biometric|record|file|no|number"
)
_ID_LABEL = re.compile(
    r"(?i)(?:#|(?<![A-Za-z])" + _by_first(_ID_LABEL_WORDS) + r"(?![A-Za-z]))"
    # a value in brackets after its label too: "don't share your login (hartr3)"
    r"\.?(?:[ \t]*+(?:#|no\.?|number|num|id|ref|code))?\)?[ \t]*+(?:\.{2,30}+|[:#=\-])?[ \t]*+\(?"
)
_ID_LABEL_FIRST = _cue_filter(_ID_LABEL_WORDS, bounded=True)
_ID_VALUE = re.compile(
    r"(?=[A-Za-z\-/.]{0,40}+[0-9])[A-Za-z0-9][A-Za-z0-9\-/.]{0,40}+(?:[ \t][0-9][0-9A-Z]{0,6}){0,3}"
)
_GROUPS_VALUE = re.compile(
    r"(?:(?:registered|recorded|is|was|on[ \t]file)[ \t]*+:?[ \t]*+)?[A-Za-z0-9(][A-Za-z0-9\-/.()]{0,60}+(?:[ \t][A-Za-z0-9][A-Za-z0-9\-/.]{0,15}+){0,5}"
)
_HASH = re.compile("#")
# A diagnosis code after a word that is also an id label ("depressive episode (F32.1)"): ICD-10.
_ICD10 = re.compile(r"(?i)\(?[A-TV-Z][0-9][0-9A-Z]\.[0-9A-Z]{1,4}\)?")
_NDC = re.compile(r"[0-9]{4,5}-[0-9]{3,4}-[0-9]{1,2}")


def ndc_code(text: str, start: int, value: str) -> bool:
    """Whether ``value`` (at ``start``) is a National Drug Code after "NDC" ("NDC ref: 0781-5180-92"):
    a product code, not an identifier of the patient, though its label word ("ref") is an id label."""
    return _NDC.fullmatch(value) is not None and "ndc" in text[max(0, start - 16) : start].lower()


_UDI = re.compile(r"\(01\)[0-9]{14}(?:\([0-9]{2}\)[A-Za-z0-9]{1,20}+){0,4}")
# A HIBCC device identifier: "+", a labeller code, the product, then its lot or serial after "/$$".
_HIBCC_UDI = re.compile(r"(?<![\w+])\+[A-Z][A-Z0-9]{5,24}+(?:/\$\$?[+%A-Z0-9]{2,30}+)?(?![\w])")
# A serial number said in words: "the pump serial on the back says PJN932699S", "serial number on the
# pump is RLF898683H".
_SERIAL_SAYS = re.compile(
    r"(?i)(?<![A-Za-z])serial(?:[ \t]++(?:number|no\.?|#))?(?:[ \t]++[a-z]{2,10}+){0,5}?[ \t]++"
    r"(?:says|is|reads|shows|was|reading)[ \t:]++([A-Za-z0-9][A-Za-z0-9\-]{4,24}+)"
)
_USER_VALUE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._\-]{0,40}+")
# The look-behinds of these two follow their first character (the same matches): a pattern whose first
# item is a character class lets ``re`` skip in C to where it can match; a leading look-behind made
# it try the matcher at every character.
_DIGIT_GROUPS = re.compile(
    r"[0-9OlIo](?<![\w.,/\-][0-9OlIo])[0-9OlIo]{2,4}(?:[ \t\-][0-9OlI]{1,5}){1,3}(?![\w/\-]|\.[0-9])"
)
_PREFIXED_ID = re.compile(
    r"(?<![\w\-])[A-Za-z]{1,6}[\-/]?[0-9]{5,30}+(?:[\-/][0-9A-Za-z]{1,8}){0,4}+(?![\w])"
)
_LONG_NUMBER = re.compile(r"(?<![\w.,\-])[0-9]{7,40}+(?![\w])")


def _prefixed_id_starts(text: str, nums: list[int]) -> list[int]:
    """Where a ``_PREFIXED_ID`` can start: its letters run from the start of a run of letters (no word
    character before it) to a run of digits (``nums``), with one "-" or "/" between at most; so the
    start of the 1-6 ASCII letters before each digit run (or before its separator)."""
    out: list[int] = []
    for d in nums:
        j = d - 1 if d > 0 and text[d - 1] in "-/" else d
        k = j
        while k > 0 and j - k < 7 and ("a" <= text[k - 1] <= "z" or "A" <= text[k - 1] <= "Z"):
            k -= 1
        if 0 < j - k <= 6:
            out.append(k)
    return out


# "COMPARISON: Prior study from 2022.": words and a year (a year alone is no identifier)
_WORDS_AND_YEAR = re.compile(r"(?:[A-Za-z][A-Za-z\-/]*+[ \t]++)++(?:19|20)[0-9]{2}")
# "template v3.12", "Form v8.5": a version number
_VERSION = re.compile(r"[vV][0-9]{1,3}(?:\.[0-9]{1,3}){1,3}\)?")
_SPEAKER_VALUE = re.compile(
    r"(?m)^[A-Za-z][A-Za-z ]{0,20}:[ \t]*+([A-Za-z0-9][A-Za-z0-9 \-/]{2,24}?)[ \t]*+[.,](?:[ \t]|$)"
)

_BLOOD_PRESSURE = re.compile(r"(?i:bp|b/p|blood[ \t]pressure)?[ \t]*+[0-9]{2,3}/[0-9]{2,3}")
_MD = re.compile(r"(?<![\w/.\-:])([0-9]{1,2})/([0-9]{1,2})(?![\w/]|[.:][0-9])")
_NOT_DATE_BEFORE = re.compile(
    r"(?i)(?:pain|score|apgar|gcs|power|strength|grade|ratio|bp|rate|scale|tone|reflexes|murmur|vision|acuity|"
    r"sats?|spo2|grip|mrc|rr|hr|fio2|peep|dose|x|of|stage|nyha|ecog|gravida|para|g|p|mmhg|motor|pupils|bilat)[ \t:=]*+\Z"
)
_COMBINATION_BEFORE = re.compile(r"(?<![A-Za-z])[A-Za-z]{4,24}+/[A-Za-z]{4,24}+[ \t]++\Z")
_DOTTED_DATE = re.compile(
    r"[0-9OlI](?<![\w][0-9OlI])(?<![0-9]\.[0-9OlI])[0-9OlI]{0,3}([/.\-])[0-9OlI]{1,2}\1[0-9OlI]{2,4}(?![\w]|\.[0-9])"
)
_WORD_DATE = re.compile(
    r"(?i)(?<![A-Za-z])(?:[0-9]{1,2}(?:st|nd|rd|th)?[ \t\-]+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?,?[ \t\-]+[0-9]{2,4}"
    r"|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?[ \t]+[0-9]{1,2}(?:st|nd|rd|th)?,?[ \t]+[0-9]{4}"
    r"|[0-9]{1,2}(?:st|nd|rd|th)[ \t]+(?:of[ \t]+)?(?:jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*"
    r"|(?:jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*[ \t]+[0-9]{1,2}(?:st|nd|rd|th))(?![A-Za-z0-9])"
)
_TIMESTAMP = re.compile(
    r"(?<![0-9])(?:19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])(?:[0-9]{2,6})?(?![0-9])"
)

_UNITS = ("ones", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
_AGE_WORDS = re.compile(
    r"(?i)(?<![A-Za-z])(?:one[ \t\-]hundred(?:(?:[ \t\-]and)?[ \t\-](?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    r"thirteen|fourteen|fifteen|(?:twenty|thirty)(?:[ \t\-](?:one|two|three|four|five|six|seven|eight|nine))?))?"
    r"|ninety(?:[ \t\-](?:one|two|three|four|five|six|seven|eight|nine))?|a[ \t]hundred)(?![A-Za-z])"
)
_AGE_NUMBER = re.compile(
    r"(?i)(?:(?<![A-Za-z])(?:age|aged|turned|turns|i'm|i’m|i\s+am|he's|she's|is|now)[ \t.:\"“]*+(?:is[ \t]+)?([0-9]{2,3})(?![0-9])"
    r"|(?<![0-9.])([0-9]{2,3})[ \t\n\-]{0,3}+(?:y/?o|yo|yrs?|years?|year-old|yr-old|y)(?![A-Za-z])"
    # "Age check: documented as 97", "age recorded as 101"
    r"|(?<![A-Za-z])age(?:[ \t]++[a-z]{2,12}+)?[ \t:]++(?:documented|recorded|given|noted|stated|listed|confirmed)"
    r"[ \t]++as[ \t]++([0-9]{2,3})(?![0-9]))"
)


def _ids(text: str, runs: RunIndex | None, numbers: Digits, emit: Emit) -> None:
    # a phone number starts with "+", "(" or a digit not after a digit
    signs = [m.start() for m in _PHONE_SIGN.finditer(text)]
    nums = numbers.phone
    for m in _matches_at(_PHONE, text, sorted(nums + signs) if signs else nums):
        digits = sum(c.isdigit() for c in m.group())
        if digits >= 8:
            emit(m.start(), m.end(), "PHONE", _SCORE)
    for m in _cue_matches(_PAGER, text, runs, _PAGER_FIRST):
        # an extension after a phone number ("...9136 extn 8246", "...7421 x.818"): the cue too, so the
        # number and its extension are one span
        after_phone = _PHONE_BEFORE.search(text, max(0, m.start() - 24), m.start()) is not None
        if (
            not after_phone
            and text[m.start()] in "xX"
            and _TIMES.search(text, max(0, m.start() - 4), m.end() + 10)
        ):
            continue  # "2 x 500mg", "x 250 ml": a count or a dose, not an extension
        start = m.start(1)
        if after_phone:
            start = m.start()
            while start > 0 and text[start - 1] in " \t,":
                start -= 1  # the blank between the number and its extension too
        emit(start, m.end(1), "PHONE", _SCORE)
    if "eep" in text or "aged" in text or "EEP" in text or "AGED" in text:
        for m in _BLEEPED.finditer(text):
            emit(m.start(1), m.end(1), "PHONE", _SCORE)
    hashes = [m.start() for m in _HASH.finditer(text)] if "#" in text else None
    for m in _cue_matches(_ID_LABEL, text, runs, _ID_LABEL_FIRST, hashes):
        label = m.group().lower()
        if "user" in label or "login" in label or "handle" in label:
            v = _USER_VALUE.match(text, m.end())
            if v is not None and len(v.group()) >= 3 and not _safe(v.group()):
                emit(v.start(), v.end(), "ID", _SCORE)
            continue
        v = _ID_VALUE.match(text, m.end())
        gv = _GROUPS_VALUE.match(text, m.end())
        if gv is not None:
            end = m.end()
            last_digits = False
            parts = list(re.finditer(r"[^ \t]+", gv.group()))
            for index, part in enumerate(parts):
                word = part.group().rstrip(".,;")
                nxt = parts[index + 1].group() if index + 1 < len(parts) else ""
                # a short prefix of letters right before the digits: "license G 78231", "licence RPh 004421"
                prefix = (
                    index == 0
                    and word.isalpha()
                    and len(word) <= 4
                    and not word.islower()
                    and word.lower() not in ("is", "was", "no", "id", "ref")
                    and not (word.isupper() and len(word) >= 3)  # "Medicare MBI 1EG4-...": a label
                    and sum(c.isdigit() for c in nxt) >= 4
                )
                if word.endswith(")") and "(" not in word:
                    word = word.rstrip(")")  # "(MRN 4410), 93": the bracket closes around the id
                if (
                    any(c.isdigit() for c in word)
                    or (
                        len(word) <= 4
                        and word.isalpha()
                        and (word.isupper() or word.islower())
                        and not _safe(word)
                    )
                    or (last_digits and len(word) == 1 and word in "ABCD")  # "QQ 12 34 56 C": an NI suffix
                    or prefix
                ):
                    last_digits = any(c.isdigit() for c in word)
                    end = m.end() + part.start() + len(word)
                else:
                    break
            if (
                sum(c.isdigit() for c in text[m.end() : end]) >= 3
                and not _ICD10.fullmatch(text, m.end(), end)
                and not _VERSION.fullmatch(text, m.end(), end)
                and not ndc_code(text, m.end(), text[m.end() : end])
            ):
                emit(m.end(), end, "ID", _SCORE)
        if v is None:
            continue
        val = v.group().rstrip(".-/")
        if (
            sum(c.isdigit() for c in val) >= 3
            and len(val) >= 4
            and not _ICD10.fullmatch(val)
            and not _VERSION.fullmatch(val)
            and not ndc_code(text, v.start(), val)
        ):
            emit(v.start(), v.start() + len(val), "ID", _SCORE)
    for m in _DIGIT_GROUPS.finditer(text):
        g = m.group()
        if sum(c.isdigit() for c in g) >= 7 and not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", g):
            if _year_range(g):
                continue  # "Data are from 2016-2021": a span of years (years alone are no PHI)
            if _SHIFT_HOURS.fullmatch(g):
                continue  # "1900-0700 NSG:", "Shift summary 0700-1900": a shift's hours
            if "-" in g and (
                "ndc" in text[max(0, m.start() - 12) : m.start()].lower()
                or re.fullmatch(r"[0-9]{4,5}-[0-9]{3,4}-[0-9]{1,2}", g)  # an NDC code's shape
            ):
                continue
            emit(m.start(), m.end(), "ID", _SCORE)
    for m in _matches_at(_PREFIXED_ID, text, _prefixed_id_starts(text, numbers.prefixed)):
        line_start = text.rfind("\n", 0, m.start()) + 1
        if text.startswith("MSH|", line_start):
            continue
        emit(m.start(), m.end(), "ID", _SCORE)
    for m in _matches_at(_MEDICARE_AU, text, numbers.starts):
        emit(m.start(), m.end(), "HEALTH_PLAN", _SCORE)
    if "(" in text:
        for m in _BRACKET_GROUPS.finditer(text):
            if sum(c.isdigit() for c in m.group(1)) >= 8:
                emit(m.start(1), m.end(1), "MRN", _SCORE)
    for m in _UDI.finditer(text):
        emit(m.start(), m.end(), "DEVICE", _SCORE)
    if "+" in text:
        for m in _HIBCC_UDI.finditer(text):
            if sum(c.isdigit() for c in m.group()) >= 3:
                emit(m.start(), m.end(), "DEVICE", _SCORE)
    if "erial" in text or "ERIAL" in text:
        for m in _SERIAL_SAYS.finditer(text):
            if sum(c.isdigit() for c in m.group(1)) >= 3:
                emit(m.start(1), m.end(1), "DEVICE", _SCORE)
    for m in _matches_at(_LONG_NUMBER, text, numbers.long_number):
        emit(m.start(), m.end(), "ID", _SCORE)
    for m in _SPEAKER_VALUE.finditer(text):
        g = m.group(1)
        if _BLOOD_PRESSURE.fullmatch(g) is not None:
            continue  # "EXAM: BP 142/88, pulse 96": a reading, not an identifier
        if (
            sum(c.isdigit() for c in g) >= 4
            and not ndc_code(text, m.start(1), g)
            and not _WORDS_AND_YEAR.fullmatch(g)
        ):
            emit(m.start(1), m.end(1), "ID", _SCORE)


# Two 24-hour clock times joined by a dash: a shift or an interval, not an identifier.
_SHIFT_HOURS = re.compile(r"(?:[01][0-9]|2[0-3])[0-5][0-9][ \t]?[-–][ \t]?(?:[01][0-9]|2[0-3])[0-5][0-9]")


def _year_range(g: str) -> bool:
    """``YYYY-YYYY`` (or en dash) with two plausible years, the first not after the second."""
    if len(g) != 9 or g[4] not in "-–" or not (g[:4].isdigit() and g[5:].isdigit()):
        return False
    a, b = int(g[:4]), int(g[5:])
    return 1900 <= a <= b <= 2099


_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTH_WORD = _word_filter(frozenset(), _MONTHS)


def _word_date_starts(text: str, runs: RunIndex) -> list[int]:
    """Where a ``_WORD_DATE`` can start: a month word, or the day's digits before one ("3rd of May")."""
    out: list[int] = []
    for q in runs.starts(_MONTH_WORD):
        out.append(q)
        ends = []
        j = q
        while j > 0 and text[j - 1] in " \t-":
            j -= 1
        ends.append(j)
        if text[j - 2 : j].lower() == "of":
            k = j - 2
            while k > 0 and text[k - 1] in " \t-":
                k -= 1
            ends.append(k)
        for j in ends:
            for e in (j, j - 2) if text[j - 2 : j].lower() in ("st", "nd", "rd", "th") else (j,):
                for d in (e - 1, e - 2):
                    if d >= 0 and "0" <= text[d] <= "9":
                        out.append(d)
    return sorted(set(out))


def _dates(text: str, runs: RunIndex | None, digits: Digits, emit: Emit) -> None:
    for m in _matches_at(_MD, text, digits.month_day):
        a, b = int(m.group(1)), int(m.group(2))
        if not (1 <= a <= 31 and 1 <= b <= 31 and (a <= 12 or b <= 12)):
            continue
        if _NOT_DATE_BEFORE.search(text, max(0, m.start() - 12), m.start()):
            continue
        if _COMBINATION_BEFORE.search(text, max(0, m.start() - 50), m.start()):
            continue  # "BUPRENORPHINE/NALOXONE 8/2": a combination product's strengths
        after = text[m.end() : m.end() + 6].lower().lstrip()
        if after.startswith(
            ("mg", "mcg", "ml", "%", "mm", "cm", "kg", "unit", "tab", "puff", "g ", "l ", "hr", "h ")
        ):
            continue
        emit(m.start(), m.end(), "DATE", _SCORE)
    for m in _DOTTED_DATE.finditer(text):
        g = m.group()
        if sum(c.isdigit() for c in g) >= 4:
            emit(m.start(), m.end(), "DATE", _SCORE)
    # every word date has a month: a run of letters that starts like one
    for m in (
        _WORD_DATE.finditer(text)
        if runs is None
        else _matches_at(_WORD_DATE, text, _word_date_starts(text, runs))
    ):
        emit(m.start(), m.end(), "DATE", _SCORE)
    for m in _matches_at(_TIMESTAMP, text, digits.timestamp):
        emit(m.start(), m.end(), "DATE", _SCORE)


_AGE_WORD = _word_filter(frozenset(["ninety", "hundred"]), ())
_AGE_NUMBER_FIRST = _cue_filter(r"age|aged|turned|turns|i'm|i’m|i\s+am|he's|she's|is|now", bounded=False)


# A number word of 90+ said of a person: after "is", "'s", "am", "was" and before no unit or noun
# (what follows ends the clause or is a time word), "She is ninety-one now" but not "is ninety minutes".
_AGE_COPULA = re.compile(r"(?:\bis|['’]s|\bam|['’]m|\bwas|\bbe|\bnow|\bjust)[ \t]+\Z")
# "AGE .............. ONE HUNDRED AND FOUR": a form's age label, then dots or colons up to the words
_AGE_LABEL_BEFORE = re.compile(r"(?i)(?<![A-Za-z])age[ \t]*+[.:][ \t.:]*+\Z")
_AGE_WORD_AFTER = re.compile(
    r"[ \t]*+(?:[.,;:!?)]|\Z|(?:now|and|but|so|today|this|next|last|in|on|soon|tomorrow|yesterday)(?![a-z]))"
)


def _ages(text: str, runs: RunIndex | None, digits: Digits, emit: Emit) -> None:
    # an age in words has "ninety" or "hundred"
    if runs is None or runs.starts(_AGE_WORD):
        for m in _AGE_WORDS.finditer(text):
            after = text[m.end() : m.end() + 14].lower()
            before = text[max(0, m.start() - 12) : m.start()].lower()
            if (
                "year" in after
                or "yr" in after
                or "y/o" in after
                or "y.o" in after
                # "Nola Tjapaltjarri (ninety-one), from ...", "Mrs Lee, ninety-two, unsettled"
                or (before.rstrip().endswith(("(", ",")) and after.lstrip()[:1] in (")", ","))
                or "age" in before
                or "turn" in before
                or _AGE_LABEL_BEFORE.search(text, max(0, m.start() - 40), m.start()) is not None
            ):
                emit(m.start(), m.end(), "AGE", _SCORE)
            elif _AGE_COPULA.search(before) is not None and _AGE_WORD_AFTER.match(after) is not None:
                emit(m.start(), m.end(), "AGE", _SCORE)  # "my mum is ninety-four now", "He's one hundred and"
    for m in _cue_matches(_AGE_NUMBER, text, runs, _AGE_NUMBER_FIRST, digits.age):
        g = 1 if m.group(1) is not None else 2 if m.group(2) is not None else 3
        if 90 <= int(m.group(g)) <= 130:
            emit(m.start(g), m.end(g), "AGE", _SCORE)


# ---------------------------------------------------------------------------------------------------
# Facilities (facility_names.py finds them)

# The words a facility's kind word starts with (lower case): a capitalised run going on into one of
# them names a facility, it is no heading (``_common_pair``).
_FACILITY_KIND_STARTS = (
    "hospital", "hospice", "medical", "practice", "surgery", "centre", "center", "clinic", "polyclinic",
    "diagnostics", "pharmacy", "chemist", "laborator", "labs", "health", "nursing", "care", "infirmary",
    "dispensary", "aged", "long-term", "drug",
)  # fmt: skip


# ---------------------------------------------------------------------------------------------------
# Structured text: JSON keys, CSV headers, HL7 fields

_KEY_TYPES: dict[str, str] = {}
for _t, _keys in (
    (
        "NAME",
        "name patient patientname fullname firstname lastname surname givenname family given forename forenames middle middlename familyname maidenname alias attending physician doctor nurse provider pcp gp contact nok nextofkin guardian mother father spouse prescriber pharmacist witness caller author sender clinician consultant surgeon referrer requester orderedby practitioner therapist midwife radiologist reportedby signedby verifiedby witnessedby operator carer emergencycontact rph dispenser dispensedby checker checkedby countedby",
    ),
    (
        "MRN",
        "mrn mr chart chartno hospno hospitalnumber nhs nhsno uhid medicalrecord medicalrecordnumber patientid ptid unitno",
    ),
    (
        "DATE",
        "dob dateofbirth birthdate date admitdate dischargedate servicedate visitdate dos collected collectiondate reportdate signed signeddate",
    ),
    (
        "ADDRESS",
        "address street street1 street2 addressline addressline1 addressline2 address1 address2 addr line line1 line2 homeaddress",
    ),
    ("LOCATION", "city town suburb locality county district village"),
    ("ZIP", "zip zipcode postcode postalcode postal pin pincode"),
    ("PHONE", "phone mobile tel telephone fax cell pager homephone workphone contactnumber"),
    ("EMAIL", "email emailaddress mail"),
    ("SSN", "ssn sin nino ni nationalid aadhaar tfn nationalinsurance socialsecurity"),
    (
        "HEALTH_PLAN",
        "insuranceid memberid member policy policyno group groupno insurance medicare medicaid ohip phn healthcard subscriberid planid",
    ),
    ("ACCOUNT", "account accountno acct accountnumber billingaccount"),
    ("LICENSE", "npi dea license licence licenseno gmc registration regno"),
    (
        "ID",
        "id claimno claim claimid visitid encounterid encounter visit orderid accession specimen portaluser username user login userid caseid incidentid runno reportno rx rxno rxnumber",
    ),
    ("IP", "ip ipaddress lastloginip loginip"),
    ("BIOMETRIC", "biometric biometriclogin biometricid fingerprint fingerprintid voiceprint retina faceid"),
    ("DEVICE", "serial serialno implantserial deviceserial deviceid udi"),
    (
        "VEHICLE",
        "vehicle vehicleplate plate plateno licenseplate licenceplate numberplate rego vin vehiclereg",
    ),
    ("FACILITY", "facility hospital clinic practice site"),
    ("AGE", "age"),
):
    for _k in _keys.split():
        _KEY_TYPES[_k] = _t


def _key_type(key: str) -> str:
    k = "".join(c for c in key.lower() if c.isalpha())
    k = k.replace("0", "o")
    if k in _KEY_TYPES:
        return _KEY_TYPES[k]
    if k.endswith("name"):
        return "NAME"
    if k.endswith("date") or k.startswith("dob"):
        return "DATE"
    if k.endswith("serial"):
        return "DEVICE"
    if k.startswith(("biometric", "fingerprint", "voiceprint", "retina", "iris", "faceprint", "palmprint")):
        return "BIOMETRIC"  # "biometricTemplate", "fingerprint_hash"
    if k.endswith("mrn"):
        return "MRN"  # "patient_mrn"
    if k.endswith(("postcode", "zip", "zipcode", "postalcode", "pincode")):
        return "ZIP"  # "scene_postcode"
    if k.endswith(("city", "town", "suburb")):
        return "LOCATION"  # "scene_city"
    if k.endswith("id") or k.endswith("no") or k.endswith("number"):
        return "ID"
    return ""


_JSON_PAIR = re.compile(
    # a value may be the first item of a list: "given": ["Iona"]
    r"\"([A-Za-z_][A-Za-z0-9_ ]{0,40}+)\"[ \t]*+:[ \t]*+(?:\[[ \t]*+)?"
    r"(?:\"([^\"\n]{0,200}+)\"|([0-9][0-9.\-]{0,30}+))"
)


def _emit_value(start: int, value: str, kind: str, emit: Emit) -> None:
    v = value.strip()
    if not v or v.lower() in ("null", "none", "n/a", "na", "-", "unknown", "true", "false"):
        return
    s = start + value.index(v[0])
    if kind == "AGE":
        if v.isdigit() and int(v) >= 90:
            emit(s, s + len(v), "AGE", _SCORE)
        return
    emit(s, s + len(v), kind, _SCORE)


def _json(text: str, emit: Emit) -> None:
    if '":' not in text and '" :' not in text:
        return
    for m in _JSON_PAIR.finditer(text):
        kind = _key_type(m.group(1))
        if not kind:
            continue
        g = 2 if m.group(2) is not None else 3
        _emit_value(m.start(g), m.group(g), kind, emit)


# A dotted form line: "PHONE..............1300 964 990", "NAME.........DƯƠNG, HUY", "ADDRESS ..... 8 ...".
_DOTTED_FIELD = re.compile(
    r"(?m)^[ \t]*+([A-Za-z][A-Za-z /#'’]{0,30}?)[ \t]*+\.{3,60}+[ \t]*+:?[ \t]*+([^\n]{1,80}?)[ \t]*+$"
)
_DIGIT_KINDS = frozenset(
    ["PHONE", "ZIP", "DATE", "ID", "MRN", "SSN", "ACCOUNT", "LICENSE", "HEALTH_PLAN", "DEVICE"]
)


def _dotted_fields(text: str, emit: Emit) -> None:
    """The values of a dotted form's fields, typed by their label like a JSON key."""
    if "..." not in text:
        return
    for m in _DOTTED_FIELD.finditer(text):
        kind = _key_type(m.group(1))
        value = m.group(2)
        if not kind:
            continue
        digits = sum(c.isdigit() for c in value)
        if kind in _DIGIT_KINDS and (digits < 3 or (kind == "PHONE" and digits < 7)):
            continue
        if kind in ("NAME", "LOCATION") and not any(c.isalpha() for c in value):
            continue
        if value[:1] in "[<{_*" or "redacted" in value.lower():
            continue  # a placeholder ("[REDACTED]", "<name>", "________"), not a value
        _emit_value(m.start(2), value, kind, emit)


def _split_csv(line: str, sep: str = ",") -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    i = 0
    n = len(line)
    while i <= n:
        if i < n and line[i] == '"':
            j = line.find('"', i + 1)
            if j < 0:
                j = n
            out.append((i + 1, line[i + 1 : j]))
            k = line.find(sep, j)
            i = n + 1 if k < 0 else k + 1
        else:
            k = line.find(sep, i)
            if k < 0:
                out.append((i, line[i:]))
                break
            out.append((i, line[i:k]))
            i = k + 1
    return out


def _csv_separator(line: str) -> str:
    """The line's field separator: a comma, else a pipe, semicolon or tab (exports use all four)."""
    for sep in (",", "|", ";", "\t"):
        if line.count(sep) >= 2:
            return sep
    return ""


def _csv(text: str, emit: Emit) -> None:
    if text.count(",") < 4 and text.count("|") < 4 and text.count(";") < 4 and text.count("\t") < 4:
        return
    types: list[str] = []
    header_sep = ""
    pos = 0
    for line in text.split("\n"):
        start = pos
        pos += len(line) + 1
        # a row keeps its header's separator even when its values hold more of another ("MURTHY, SARA"
        # and "Plot No. 184, Sector 58" in a row of a semicolon-separated export)
        sep = header_sep if types and line.count(header_sep) == len(types) - 1 else _csv_separator(line)
        if not sep or (types and sep != header_sep):
            types = []
            if not sep:
                continue
        fields = _split_csv(line, sep)
        if all(re.fullmatch(r"[A-Za-z_0-9 ]{1,40}", f) and not f.strip().isdigit() for _, f in fields):
            types = [_key_type(f) for _, f in fields]
            header_sep = sep
            if not any(types):
                types = []
            continue
        if not types or len(fields) != len(types):
            continue
        for (off, value), kind in zip(fields, types, strict=True):
            if kind:
                _emit_value(start + off, value, kind, emit)


_HL7_FIELDS: dict[str, dict[int, str]] = {
    "MSH": {3: "FACILITY", 6: "DATE"},
    "EVN": {2: "DATE", 6: "DATE"},
    "PID": {
        2: "MRN",
        3: "MRN",
        4: "MRN",
        5: "NAME",
        6: "NAME",
        7: "DATE",
        9: "NAME",
        11: "ADDRESS",
        13: "PHONE",
        14: "PHONE",
        18: "ACCOUNT",
        19: "SSN",
        20: "LICENSE",
        29: "DATE",
    },
    "NK1": {2: "NAME", 4: "ADDRESS", 5: "PHONE", 6: "PHONE", 30: "NAME", 31: "PHONE", 32: "ADDRESS"},
    "PV1": {7: "NAME", 8: "NAME", 9: "NAME", 17: "NAME", 19: "ID", 44: "DATE", 45: "DATE", 50: "ID"},
    "IN1": {
        2: "HEALTH_PLAN",
        8: "HEALTH_PLAN",
        5: "ADDRESS",
        7: "PHONE",
        16: "NAME",
        18: "DATE",
        19: "ADDRESS",
        36: "HEALTH_PLAN",
        49: "HEALTH_PLAN",
    },
    "GT1": {2: "ID", 3: "NAME", 5: "ADDRESS", 6: "PHONE", 7: "PHONE", 8: "DATE", 12: "SSN"},
    "OBR": {
        2: "ID",
        3: "ID",
        7: "DATE",
        8: "DATE",
        14: "DATE",
        16: "NAME",
        22: "DATE",
        28: "NAME",
        32: "NAME",
    },
    "ORC": {2: "ID", 3: "ID", 9: "DATE", 10: "NAME", 12: "NAME"},
    "AIP": {3: "NAME"},  # the personnel booked for an appointment
    "PD1": {4: "NAME"},  # the patient's primary care provider
    "ROL": {4: "NAME"},
    "OBX": {14: "DATE", 16: "NAME"},
    "PV2": {8: "DATE"},
    "DG1": {5: "DATE"},
}


# A member or policy number: at least six digits, in groups or after letters, never a bare timestamp.
_PLAN_NUMBER = re.compile(
    r"(?!(?:19|20)[0-9]{6,12}+$)(?=(?:[^0-9]*+[0-9]){6})[A-Za-z0-9][A-Za-z0-9 \-]{5,30}+"
)


_HL7_SEGMENT = re.compile(r"[^\r\n]+")


def _hl7(text: str, emit: Emit) -> None:
    if "|" not in text:
        return
    # HL7 v2 ends each segment with a carriage return; exports and pastes turn it into "\n" or "\r\n"
    for segment in _HL7_SEGMENT.finditer(text):
        line = segment.group()
        start = segment.start()
        if len(line) < 5 or line[3] != "|":
            continue
        # "lN1": OCR reads the I of IN1 as a lower-case L
        fields_map = _HL7_FIELDS.get(line[:3].upper().replace("LN1", "IN1"))
        if fields_map is None:
            continue
        off = start
        for idx, field in enumerate(line.split("|")):
            kind = fields_map.get(idx, "")
            fs = off
            off += len(field) + 1
            if not kind and idx > 2 and fields_map is _HL7_FIELDS["IN1"] and _PLAN_NUMBER.fullmatch(field):
                kind = "HEALTH_PLAN"  # an insurance segment's numbered value in a field out of place
            if not kind or not field.strip():
                continue
            comps = field.split("^")
            if kind == "NAME":
                # id^LAST^FIRST... (PV1 doctors) or LAST^FIRST^M
                c0 = comps[0]
                if c0 and any(ch.isdigit() for ch in c0):
                    emit(fs, fs + len(c0), "LICENSE", _SCORE)
                    rest_start = fs + len(c0) + 1
                    rest = "^".join(comps[1:]).rstrip("^")
                    for suffix in ("^DR", "^MD", "^Dr"):
                        if rest.endswith(suffix):
                            rest = rest[: -len(suffix)].rstrip("^")
                    if rest:
                        emit(rest_start, rest_start + len(rest), "NAME", _SCORE)
                else:
                    whole = field.rstrip("^")
                    emit(fs, fs + len(whole), "NAME", _SCORE)
            elif kind == "ADDRESS":
                c_off = fs
                for ci, comp in enumerate(comps):
                    if comp and ci != 3:
                        ctype = (
                            "ADDRESS"
                            if ci < 2
                            else ("LOCATION" if ci == 2 else ("ZIP" if ci == 4 else "ADDRESS"))
                        )
                        if ci > 4:
                            ctype = ""
                        if ctype:
                            emit(c_off, c_off + len(comp), ctype, _SCORE)
                    c_off += len(comp) + 1
            elif kind in ("MRN", "ACCOUNT", "ID", "HEALTH_PLAN", "SSN", "LICENSE"):
                c0 = comps[0]
                if c0:
                    emit(fs, fs + len(c0), kind, _SCORE)
            else:
                c0 = comps[0] if kind != "FACILITY" else field
                if c0:
                    emit(fs, fs + len(c0), kind, _SCORE)


# ---------------------------------------------------------------------------------------------------


# ---------------------------------------------------------------------------------------------------
# National ids, SSN last four, vehicle plates, postcodes before a region: shapes with a cue or a check

# A UK National Insurance number: two prefix letters (never D F I Q U V, the second never O), six
# digits in pairs, a suffix A-D; spaced or not ("QQ 12 34 56 C", "QQ123456C").
_NINO = re.compile(
    r"(?<![A-Za-z0-9])[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z][ \t]?[0-9]{2}[ \t]?[0-9]{2}[ \t]?[0-9]{2}[ \t]?[A-D](?![A-Za-z0-9])"
)
# "last four of my social are 1234", "last 4 digits of SSN: 1234": the four digits are the SSN's.
# "social security number ending in 4821", "the last 4 of her social as 7719" too.
_LAST_FOUR = re.compile(
    r"(?i)(?:last[ \t]+(?:four|4)(?:[ \t]+digits)?(?:[ \t]+of[ \t]+(?:my|his|her|your|their|the)?[ \t]*+"
    r"(?:social(?:[ \t]+security)?(?:[ \t]+(?:number|no\.?))?|ssn|sin|ss#|ni(?:[ \t]+number)?))?"
    r"[ \t]*+(?:is|are|was|as|:|-|=)?"
    r"|(?<![A-Za-z])(?:ssn|sin|social(?:[ \t]security)?(?:[ \t](?:number|no\.?))?)[^.\n?]{0,20}?(?:ending(?:[ \t]in)?|ends[ \t]in))"
    r"[ \t]*+([0-9]{4})(?![0-9])"
)
# A plate after a vehicle cue: letters and digits mixed, 4-8 of them, one blank or dash inside at most.
_PLATE_CUE = re.compile(
    r"(?i)(?<![A-Za-z])(?:car[ \t]+reg(?:istration)?|reg(?:istration)?(?:[ \t]+(?:no\.?|number|plate))?|rego|"
    r"number[ \t]+plate|plate|driver[ \t]+of|drives|drove|"
    r"(?:car|vehicle|van|truck|motorbike)(?:[ \t]+(?:is|was))?)"
    r"(?![A-Za-z])[ \t]*+(?:no\.?|number|#|:|\()?[ \t]*+"
)
_PLATE = re.compile(r"[A-Z0-9]{1,4}+[ \-]?[A-Z0-9]{1,6}+(?![A-Za-z0-9])")
_PLATE_LOWER = re.compile(r"[a-z0-9]{1,4}+[ \-]?[a-z0-9]{1,6}+(?![A-Za-z0-9])")  # in a lower-case text
# Plates of four or three groups, letters and digits in turn: "KA 05 ND 4203", "AK-70-SU", "AB-123-CD".
_PLATE_GROUPS = re.compile(
    r"(?i:[a-z]{1,3}+[ \-][0-9]{1,4}+[ \-][a-z]{1,3}+(?:[ \-][0-9]{1,4}+)?+)(?![A-Za-z0-9])"
)
_PLATE_CUE_FIRST = _cue_filter(
    "car|reg|registration|rego|number|plate|driver|drives|drove|vehicle|van|truck|motorbike", bounded=True
)
# A 5- or 6-digit postcode between an address part and a state or province: "Guntur - 522002, Kerala",
# "Springfield 62704, Illinois"; the region is known (``_REGIONS``).
_CODE_BEFORE_REGION = re.compile(
    r"(?<![0-9A-Za-z\-/.])([1-9][0-9]{4,5})[ \t]*+,?[ \t]*+([A-Za-z][A-Za-z ]{1,30})"
)


# A registration number in brackets after a clinician's credentials: "J. Roe, MBBS (ABCD 12345)",
# "EMT-P (XYZ PIN 12A3456B)": a regulator's acronym, then a number of 4+ digits.
_REG_IN_BRACKETS = re.compile(
    r"\(([A-Z]{2,6})(?:[ \t]+(?:PIN|NO\.?|#|REG(?:[ \t]+NO\.?)?))?[ \t]+([A-Z0-9]{4,12})\)"
)


def _after_credential(text: str, start: int) -> bool:
    line = text[max(text.rfind("\n", 0, start) + 1, start - 80) : start]
    return any(w.strip(".,;()").lower() in _CREDENTIAL_WORDS for w in line.split()[-4:])


# A speaker in brackets at a line's start ("[jo bloggs] hi, ..."), and a sign-off line of a name and a
# credential ("- jo bloggs, rgn"): written in lower case in chat-like notes, where no capital marks them.
_BRACKET_SPEAKER = re.compile(
    r"(?m)^[ \t]*+\[([A-Za-z][A-Za-z'’\-]{1,30}+(?:[ \t][A-Za-z][A-Za-z'’\-]{0,30}+){1,2})\]"
)
_SIGN_OFF = re.compile(
    r"(?m)[\-–—~][ \t]*+((?:[A-Za-z]\.[ \t]?)?[A-Za-z][A-Za-z'’\-]{1,30}+(?:[ \t][A-Za-z][A-Za-z'’\-]{1,30}+){0,2}),[ \t]*+"
    r"([A-Za-z][A-Za-z\-.]{1,8})[ \t]*+$"
)


_KIN_FIRST = _cue_filter(name_contexts.KIN_WORDS, bounded=False)
_SPEAKER_FIRST = _cue_filter(name_contexts.SPEAKER_WORDS, bounded=False)
_SAID_FIRST = _cue_filter(name_contexts.SAID_WORDS, bounded=False)
_ROLE_FIRST = _cue_filter(name_contexts.ROLE_WORDS, bounded=True)
_BRACKET_SPEAKER_FIRST = _cue_filter(name_contexts.BRACKET_SPEAKER_WORDS, bounded=False)
_MESSAGE_FIRST = _cue_filter("message", bounded=True)
_PT_FIRST = _cue_filter("pt|patient", bounded=True)
_STAFF_ROLE_FIRST = _cue_filter(name_contexts.STAFF_ROLE_WORDS, bounded=False)
_LABELLED_FIRST = _cue_filter(name_contexts.LABEL_WORDS, bounded=False)


def _lower_case_names(text: str, emit: Emit) -> None:
    if "[" in text:
        for m in _BRACKET_SPEAKER.finditer(text):
            words = m.group(1).split()
            if not all(_safe_positional(w) for w in words):
                emit(m.start(1), m.end(1), "NAME", _SCORE)
    for m in _SIGN_OFF.finditer(text):
        line_start = text.rfind("\n", 0, m.start()) + 1
        if text[line_start : m.start()].strip():
            continue  # the dash must open its line
        words = m.group(1).split()
        if m.group(2).lower().strip(".") in _CREDENTIAL_WORDS and not all(_safe_positional(w) for w in words):
            emit(m.start(1), m.end(1), "NAME", _SCORE)


# The town before such a code: "Guntur - 522002, Kerala" (1-3 capitalised words after a line start or comma).
_TOWN_BEFORE_CODE = re.compile(
    r"(?:^|(?<=\n)|(?<=,[ \t]))((?:[A-Z][A-Za-z'’\-]{1,30}+[ \t]?){1,3}?)[ \t]*+[\-–,]?[ \t]*+\Z"
)
# "Town ST 4718", "TOWN QLD 4718", "Town NB T9X2H0": a town, an upper-case region abbreviation, a postcode.
_REGION_CODE = re.compile(
    r"(?<![A-Za-z])([A-Z]{2,3})[ \t]++([0-9]{4,5}(?:-[0-9]{4})?|[A-Z][0-9][A-Z][ \t]?[0-9][A-Z][0-9])(?![A-Za-z0-9])"
)
_TOWN_LINE = re.compile(r"[ \t]*+((?:[A-Z][A-Za-z'’\-]{1,30}+[ \t]){0,2}[A-Z][A-Za-z'’\-]{1,30}+)[ \t,]++\Z")


# Record numbers by shape alone, each unlike any word, measure, code or date: a prefix, digits, a slash
# and five digits or more ("AB12/345678"); a letter, four digits and three ("K1234 567"); a letter,
# six or seven digits and a letter ("C123456D"); two digits, a letter and six ("12Q345678", a
# specimen); two, three and three digits joined by dashes ("12-345-678", a dossier).
_ID_SHAPES = re.compile(
    r"(?<![A-Za-z0-9./\-])(?:[A-Z]{1,4}+[0-9]{1,3}+/[0-9]{5,8}+|[A-Z][0-9]{4}[ ][0-9]{3}|[A-Z][0-9]{6,7}+[A-Z]"
    r"|[0-9]{2}[A-Za-z][0-9]{6}|[0-9]{2}-[0-9]{3}-[0-9]{3})(?![A-Za-z0-9/\-])"
)


# A number asked for on one line and answered alone on the next speaker's line: "whats your
# postcode\nC: 4821", "Last four of the SSN?\nCLINIC 3848".
_ASKED_NUMBER = re.compile(
    r"(?i)(last[ \t]+(?:four|4)(?:[ \t][^\n?]{0,40}+)?|post[ \t]?code|zip(?:[ \t]?code)?)[ \t]*+\??[ \t]*+\n"
    r"[ \t]*+[A-Za-z]{1,12}+(?:[ \t]*+:)?[ \t]++([0-9]{4,6}|[0-9]{3}[ \t][0-9]{3})[ \t.]*+(?=\n|$)"
)
# A national number masked but for its last four digits: "XXXX XXXX 1234", "xxxx-xxxx-1234".
_MASKED_ID = re.compile(r"(?<![A-Za-z0-9])(?:[Xx*]{4}[ \-]){2}[0-9]{4}(?![0-9])")


# A document's last line that is a name alone, its writer signing off: "Ada Quell", "ada o'quell".
_LAST_LINE_NAME = re.compile(r"[A-Za-z][A-Za-z'’\-]{1,30}+(?:[ \t][A-Za-z][A-Za-z'’\-]{1,30}+){1,2}+")


def _signed_last_line(text: str, emit: Emit) -> None:
    end = len(text.rstrip())
    start = text.rfind("\n", 0, end) + 1
    if start == 0 or end - start > 60:
        return
    m = _LAST_LINE_NAME.fullmatch(text, start, end)
    if m is None:
        return
    words = m.group().split()
    if not (all(w.istitle() or w[:1].isupper() for w in words) or all(w.islower() for w in words)):
        return
    if any(_safe(w) or _safe(w.lower()) or common_cased(w.lower()) for w in words):
        return
    emit(m.start(), m.end(), "NAME", _SCORE)


# A person in brackets with their extension or number: "(ada quell ext 6999)", "(ADA QUELL, +44 ...)".
_BRACKET_CONTACT = re.compile(
    r"\(([A-Za-z][A-Za-z'’\-]{1,30}+[ \t][A-Za-z][A-Za-z'’\-]{1,30}+),?[ \t]++(?=(?i:ext\.?|x)[ \t]?[0-9]|\+[0-9])"
)
# A heading's patient surname before their record number in brackets: "FALL CHECK - OKORO (QX07/228431)".
_DASH_SURNAME_ID = re.compile(
    r"[ \t][-–][ \t]([A-Z][A-Za-z'’\-]{1,30}+)[ \t]\((?=[A-Z0-9]{0,4}[-/ ]?[0-9][0-9 /\-]{4,}[0-9A-Z]?\))"
)


def _bracket_names(text: str, emit: Emit) -> None:
    if "(" not in text:
        return
    for m in _BRACKET_CONTACT.finditer(text):
        words = m.group(1).split()
        same_case = (
            all(w.islower() for w in words)
            or all(w.isupper() for w in words)
            or all(w[0].isupper() and not w.isupper() for w in words)
        )
        if same_case and not any(_safe(w.lower()) for w in words):
            emit(m.start(1), m.end(1), "NAME", _SCORE)
    for m in _DASH_SURNAME_ID.finditer(text):
        if not _safe(m.group(1).lower()):
            emit(m.start(1), m.end(1), "NAME", _SCORE)


def _shapes(text: str, runs: RunIndex | None, lower_doc: bool, emit: Emit) -> None:
    _signed_last_line(text, emit)
    _bracket_names(text, emit)
    for m in _ID_SHAPES.finditer(text):
        emit(m.start(), m.end(), "MRN", _SCORE)
    low = text.lower()
    if "postcode" in low or "last four" in low or "last 4" in low or "zip" in low:
        for m in _ASKED_NUMBER.finditer(text):
            emit(m.start(2), m.end(2), "SSN" if m.group(1)[0] in "lL" else "ZIP", _SCORE)
    if "XXXX" in text or "xxxx" in text or "****" in text:
        for m in _MASKED_ID.finditer(text):
            emit(m.start(), m.end(), "SSN", _SCORE)
    for m in _NINO.finditer(text):
        g = m.group().replace(" ", "").replace("\t", "")
        if g[:2] not in ("BG", "GB", "NK", "KN", "TN", "NT", "ZZ"):
            emit(m.start(), m.end(), "SSN", _SCORE)
    if any(cue in text for cue in ("last", "Last", "LAST", "end", "END")):
        for m in _LAST_FOUR.finditer(text):
            emit(m.start(1), m.end(1), "SSN", _SCORE)
    for m in _cue_matches(_PLATE_CUE, text, runs, _PLATE_CUE_FIRST):
        q = _PLATE_GROUPS.match(text, m.end())
        if q is not None and (lower_doc or q.group() == q.group().upper()):
            emit(q.start(), q.end(), "VEHICLE", _SCORE)
            continue
        p = (_PLATE_LOWER if lower_doc else _PLATE).match(text, m.end())
        if p is None:
            continue
        g = p.group()
        if any(part.isalpha() and (len(part) > 3 or _safe(part)) for part in re.split(r"[ \-]", g)):
            continue  # "car was 20 years old": a word, not a plate's letters
        core = g.replace(" ", "").replace("-", "")
        digits = sum(c.isdigit() for c in core)
        if (
            4 <= len(core) <= 8
            and digits
            and (
                any(c.isalpha() for c in core)
                or (digits >= 5 and core != g and text[m.end() - 1 : m.end()] in "(:#")  # "vehicle (21-70494"
            )
        ):
            emit(p.start(), p.end(), "VEHICLE", _SCORE)
    if "(" in text:
        for m in _REG_IN_BRACKETS.finditer(text):
            if sum(c.isdigit() for c in m.group(2)) >= 4 and _after_credential(text, m.start()):
                emit(m.start(2), m.end(2), "LICENSE", _SCORE)
    for m in _CODE_BEFORE_REGION.finditer(text):
        words = m.group(2).lower().split()
        if any(" ".join(words[:n]) in _REGIONS for n in (3, 2, 1)):
            emit(m.start(1), m.end(1), "ZIP", _SCORE)
            t = _TOWN_BEFORE_CODE.search(text, max(0, m.start(1) - 60), m.start(1))
            if t is not None:
                emit(t.start(1), t.start(1) + len(t.group(1).rstrip()), "LOCATION", _SCORE)
    for m in _REGION_CODE.finditer(text):
        if m.group(1).lower() in _REGIONS:
            line_start = text.rfind("\n", 0, m.start()) + 1
            t = _TOWN_LINE.match(text, line_start, m.start())
            if t is not None:
                emit(m.start(2), m.end(2), "ZIP", _SCORE)
                emit(t.start(1), t.end(1), "LOCATION", _SCORE)


# A range of two day/month dates: "(27/2-5/3)"; the second has no date rule's left edge.
_DM_RANGE = re.compile(r"(?<![0-9/.])([0-9]{1,2})/([0-9]{1,2})-([0-9]{1,2})/([0-9]{1,2})(?![0-9/])")
_DM_RANGE_PROBE = re.compile(r"/[0-9]{1,2}-[0-9]{1,2}/")


def _date_ranges(text: str, emit: Emit) -> None:
    """Emits both dates of a day/month range, each part a plausible day and month."""
    if _DM_RANGE_PROBE.search(text) is None:
        return
    for m in _DM_RANGE.finditer(text):
        d1, m1, d2, m2 = (int(g) for g in m.groups())
        if m1 == m2 == 10:
            continue  # "pain 3/10-4/10": a score out of ten
        if 1 <= d1 <= 31 and 1 <= d2 <= 31 and 1 <= m1 <= 12 and 1 <= m2 <= 12:
            emit(m.start(1), m.end(2), "DATE", _SCORE)
            emit(m.start(3), m.end(4), "DATE", _SCORE)


# A call transcript's question for an identifier, and the next speaker's answer: "What's your
# registration? / CALLER - It's WY40 ZJF.", "And your postcode? / Caller - Um... 0836, I think.",
# "Do you have your Health card no.? / Pt: Yes, it's 6549-703-754-YP." The answer is typed by the
# question; only answers with a digit count (a spoken "no" or "I don't know" is no identifier).
_QA_QUESTION = re.compile(
    r"(?i)(?<![A-Za-z])(?:your|the)[ \t]++(?:car[ \t]++|vehicle[ \t]++)?"
    r"(registration(?:[ \t]++number)?|reg(?:[ \t]++number)?|number[ \t]++plate|licen[cs]e[ \t]++plate|plate|"
    r"health[ \t]++card(?:[ \t]++(?:no\.?|number))?|medicare(?:[ \t]++(?:card|no\.?|number))?|"
    r"insurance(?:[ \t]++(?:id|no\.?|number))|member(?:ship)?[ \t]++(?:id|no\.?|number)|"
    r"nhs[ \t]++(?:no\.?|number)|hospital[ \t]++(?:no\.?|number)|mrn|"
    r"zip(?:[ \t]++code)?|post[ \t]?code|pin[ \t]?code)[^?\n]{0,30}+\?"
)
_QA_ANSWER = re.compile(
    r"[ \t]*+\n(?:[A-Za-z][A-Za-z .]{0,24}?(?::|[ \t]-)|[A-Za-z]{1,15}+)[ \t]*+"
    r"(?:(?i:yes|yeah|yep|um+|uh+|er+|ok|so|sure)[.,…]*+[ \t]*+)*+(?i:it['’]?s[ \t]++|that['’]?s[ \t]++)?"
    r"([A-Za-z0-9][A-Za-z0-9 \-/]{1,24}?)[ \t]*+(?:,|\.(?:[ \t]|$)|\?|$|[ \t]+(?i:i[ \t]think))",
    re.MULTILINE,
)


# A person's title or role right before a word that is also an ordinary word: "by HCA Will.", "Report
# to RN May at triage". A title ("Dr", "Mrs") or role ("RN", "HCA") takes a word that people are named
# (a first name or surname that is also a word: may, will, joy, ray, hope); a title also any word that
# is not safe ("DR MRI" is a device model, not a doctor).
_TITLED_WORD = re.compile(
    r"(?<![A-Za-z])(Dr|DR|Mrs|MRS|Mr|Ms|Miss|MISS|Nurse|NURSE|Sister|SISTER|RN|HCA|EN|RGN|RMN|CNA|NA|"
    r"Porter|PORTER|Midwife|MIDWIFE)\.?[ \t]++([A-Z][A-Za-z'’\-]{1,30}+)(?![A-Za-z'’\-])"
)
_TITLES = frozenset(["dr", "mrs", "mr", "ms", "miss"])
_NOT_AFTER_TITLE = frozenset(
    """on call on-call team office practitioner review reviewed consultant registrar house surgeon note notes
    phone letter aware informed in charge station led unit ward bay bed and or to of the a an who""".split()
)


def _titled_words(text: str, emit: Emit) -> None:
    for m in _TITLED_WORD.finditer(text):
        title, word = m.group(1).lower(), m.group(2)
        k = word.lower()
        if k in _NOT_AFTER_TITLE or k in _CREDENTIAL_WORDS:
            continue
        named = k in lexicon.AMBIGUOUS_FIRST or k in lexicon.FIRST_NAMES or k in lexicon.SURNAMES
        if named or (title in _TITLES and not _safe(word)):
            emit(m.start(2), m.end(2), "NAME", _SCORE)


# Public health centres named by their kind, then their town or name: Quebec's CLSCs ("CLSC Oakwood"),
# India's primary and community health centres ("Urban PHC Vellore", "CHC Sonepat"), government and
# district hospitals ("Government District Hospital Salem", "Civil Hospital Ludhiana").
_KIND_THEN_NAME = re.compile(
    r"(?<![A-Za-z])(?:CLSC|Urban[ \t]PHC|URBAN[ \t]PHC|PHC|UPHC|CHC|"
    r"(?:Government|GOVERNMENT|Govt\.?|GOVT\.?)[ \t](?:(?:District|DISTRICT|General|GENERAL)[ \t])?(?:Hospital|HOSPITAL)|"
    r"(?:District|DISTRICT|Civil|CIVIL)[ \t](?:Hospital|HOSPITAL))"
    r"[ \t]++[A-Z][A-Za-z'’\-]{2,30}+(?:[ \t][A-Z][A-Za-z'’\-]{2,30}+){0,2}"
)


def _kind_then_name(text: str, emit: Emit) -> None:
    if (
        "CLSC" not in text
        and "PHC" not in text
        and "CHC" not in text
        and "ospital" not in text
        and "OSPITAL" not in text
    ):
        return
    for m in _KIND_THEN_NAME.finditer(text):
        words = m.group().split()
        while len(words) > 2 and _safe(words[-1]) and words[-1].lower() not in lexicon.CITIES:
            words.pop()  # "CLSC Valley this": only the name
        emit(m.start(), m.start() + len(" ".join(words)), "FACILITY", _SCORE)


# A postcode after its name without a colon: "postcode 5225; key safe", "zip 60614", "PIN 560 001".
_ZIP_CUE = re.compile(
    r"(?i)(?<![A-Za-z])(?:post[ \t]?code|postal[ \t]code|zip(?:[ \t]?code)?|pin[ \t]?code)[ \t]*+(?:is[ \t]++)?"
    r"((?=[A-Za-z0-9 ]{0,4}[0-9])[A-Za-z0-9]{3,4}+(?:[ \t]?[0-9][A-Za-z0-9]{2}|[0-9]{1,2}(?:-[0-9]{4})?)?)(?![A-Za-z0-9])"
)


def _zip_cues(text: str, emit: Emit) -> None:
    if not any(cue in text for cue in ("ost", "OST", "zip", "ZIP", "Zip", "pin", "PIN", "Pin")):
        return
    for m in _ZIP_CUE.finditer(text):
        emit(m.start(1), m.end(1), "ZIP", _SCORE)


# "Joy's number is 07755 ...", "kevin's mobile is ...": whose number a caller gives.
_WHOSE_NUMBER = re.compile(
    r"(?<![A-Za-z'’])([A-Za-zÀ-ÿ][A-Za-zÀ-ÿ\-]{1,30}+)['’]s[ \t]++(?:(?:home|mobile|cell|phone|contact|landline)[ \t]++)?"
    r"(?:number|no\.|mobile|phone|cell)[ \t]++(?:is|was)(?![A-Za-z])"
)


def _whose_number(text: str, emit: Emit) -> None:
    if "number" not in text and "mobile" not in text and "phone" not in text:
        return
    for m in _WHOSE_NUMBER.finditer(text):
        word = m.group(1)
        k = word.lower()
        if _safe(word) or k in name_contexts.KIN_KEYS or k in ("my", "his", "her", "their", "your", "our"):
            continue
        emit(m.start(1), m.end(1), "NAME", _SCORE)


def _qa_kind(question: str) -> str:
    q = question.lower()
    if q.startswith(("zip", "post", "pin")):
        return "ZIP"
    if q.startswith(("reg", "number", "licen", "plate")):
        return "VEHICLE"
    if q.startswith(("nhs", "hospital", "mrn")):
        return "MRN"
    return "HEALTH_PLAN"


def _qa_answers(text: str, emit: Emit) -> None:
    if "?" not in text:
        return
    for q in _QA_QUESTION.finditer(text):
        a = _QA_ANSWER.match(text, q.end())
        if a is None:
            continue
        value = a.group(1).rstrip()
        if any(c.isdigit() for c in value):
            emit(a.start(1), a.start(1) + len(value), _qa_kind(q.group(1)), _SCORE)


def recall_candidates(text: str, emit: Emit) -> None:
    """Emits the recall rules' candidate spans for ``text``."""
    head = text[:4000]
    lower_doc = head.lower() == head and head.upper() != head
    _json(text, emit)
    _csv(text, emit)
    _dotted_fields(text, emit)
    table_candidates(text, _key_type, _safe, emit)
    _hl7(text, emit)
    letters = letter_runs(text)
    runs = RunIndex(letters) if letters is not None else None
    digits = Digits(text)
    _ids(text, runs, digits, emit)
    _dates(text, runs, digits, emit)
    _ages(text, runs, digits, emit)
    _shapes(text, runs, lower_doc, emit)
    url_candidates(text, emit)
    user_id_candidates(text, _safe, emit)
    prefixed_id_candidates(text, emit)
    key_line_candidates(text, _key_type, emit)
    _date_ranges(text, emit)
    _qa_answers(text, emit)
    _whose_number(text, emit)
    _titled_words(text, emit)
    _zip_cues(text, emit)
    _kind_then_name(text, emit)
    _lower_case_names(text, emit)
    name_contexts.context_names(
        text,
        _cue_matches(name_contexts.KIN_NAME, text, runs, _KIN_FIRST),
        _cue_matches(name_contexts.SPEAKER_ALONE, text, runs, _SPEAKER_FIRST)
        + _cue_matches(name_contexts.SAID_NAME, text, runs, _SAID_FIRST),
        _cue_matches(name_contexts.LABELLED_NAME, text, runs, _LABELLED_FIRST),
        _safe,
        lexicon.FIRST_NAMES,
        emit,
    )
    name_contexts.more_names(
        text,
        _cue_matches(name_contexts.ROLE_NAME, text, runs, _ROLE_FIRST),
        _cue_matches(name_contexts.SPEAKER_BRACKET, text, runs, _BRACKET_SPEAKER_FIRST)
        + _cue_matches(name_contexts.MESSAGE_FROM, text, runs, _MESSAGE_FIRST)
        + _cue_matches(name_contexts.PT_NAME_ID, text, runs, _PT_FIRST)
        + _cue_matches(name_contexts.STAFF_ROLE_NAME, text, runs, _STAFF_ROLE_FIRST),
        _safe,
        lexicon.FIRST_NAMES,
        emit,
    )
    caps = capital_starts(text)
    facility_candidates(text, lower_doc, _safe, emit)
    _places(text, lower_doc, runs, digits, emit)
    _lower_towns(text, emit)
    _names(text, lower_doc, runs, caps, emit)


_WORD_AT = re.compile(r"[A-Za-zÀ-ÿ][A-Za-zÀ-ÿ'’\-]*+")


# The town after a facility's name: "scripts sent to Riverside Pharmacy, Barnsley.", "Dhanvantari
# Medical Stores, Bikaner".
_TOWN_AFTER_FACILITY = re.compile(
    r",[ \t]*+([A-Z][A-Za-z'’\-]{2,30}+(?:[ \t][A-Z][A-Za-z'’\-]{2,30}+)?)[ \t]*+(?=[.;)\n]|$)"
)


def _towns_after_facilities(
    text: str, spans: list[tuple[int, int, str]]
) -> list[tuple[int, int, str, float]]:
    out: list[tuple[int, int, str, float]] = []
    for _, e, kind in spans:
        if kind != "FACILITY":
            continue
        m = _TOWN_AFTER_FACILITY.match(text, e)
        if m is None:
            continue
        town = m.group(1)
        if town.lower() in _REGIONS or all(_safe(w) for w in town.split()):
            continue
        out.append((m.start(1), m.end(1), "LOCATION", 0.5))
    return out


def propagate(text: str, spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str, float]]:
    """Other occurrences (whole words, same spelling or upper case) of the names and towns in ``spans``.
    Two words of one name found side by side again ("TAYLOR WILLIAMS ... HPI: TAYLOR WILLIAMS is") are
    that name again, the blank between them too."""
    more = _surname_after(text, spans) + _code_prefix(text, spans) + _towns_after_facilities(text, spans)
    keys: dict[str, str] = {}
    origin: dict[str, int] = {}  # a word of a name of several words -> the first such name span
    for index, (s, e, kind) in enumerate(spans):
        if kind not in ("NAME", "LOCATION"):
            continue
        several = kind == "NAME" and (" " in text[s:e] or "\t" in text[s:e])
        for m in _WORD_AT.finditer(text, s, e):
            w = m.group()
            # a name of three letters too ("Joy", "Xue", "Lee"), when capitalised
            short_ok = len(w) == 3 and kind == "NAME" and w[0].isupper() and w[1:].islower()
            if (len(w) >= 4 or short_ok) and not _safe(w) and w.lower() not in _REGIONS:
                keys[w.lower()] = kind
                if several:
                    origin.setdefault(w.lower(), index)
    if not keys:
        return more
    out: list[tuple[int, int, str, float]] = list(more)
    last_start = last_end = last_origin = -1
    for start, end, k in _words_in(text, keys):
        kind = keys[k]
        here = origin.get(k, -1)
        if here >= 0 and here == last_origin and start - last_end == 1 and text[last_end] in " \t":
            start = last_start  # the name's words and the blank between them: one span
        out.append((start, end, kind, 0.5))
        last_start, last_end, last_origin = start, end, here
    found = len(out) - len(more)
    if found:  # a name found again here may have its surname after it ("the patient, maria wrzesniak")
        out += _surname_after(text, [(s, e, kind) for s, e, kind, _ in out[len(more) :]])
    return out


# Upper-case letters that open a plan or id number after its label: "Insurance/plan: LYFG 3447 2946",
# "Billing: DVA X791033", "PMJAY-TF-3942-...".
_CODE_PREFIX = re.compile(r"(?:(?<=:)|(?<=:[ \t])|(?<=:[ \t]{2}))((?:[A-Z]{2,5}[ \-]){1,2})\Z")
_CODE_KINDS = frozenset(["HEALTH_PLAN", "ID", "MRN", "LICENSE", "ACCOUNT", "SSN"])
# Label abbreviations that stay outside the number they label.
_LABEL_ABBREVIATIONS = frozenset(
    """MRN NHS DOB ID UR NO REF TEL FAX PH SSN SIN NPI DEA LIC REG GMC NMC ABN TFN ACC EXT MR UHID IP CR PT
    HOSP UNIT CHART ENC VISIT CASE RX ACCT PIN""".split()
)


def _code_prefix(text: str, spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str, float]]:
    """An id or plan number found without the upper-case letters that open it, right after its
    label's colon: the letters too ("LYFG 3447 2946", "DVA X791033")."""
    out: list[tuple[int, int, str, float]] = []
    for s, e, kind in spans:
        if kind not in _CODE_KINDS or s < 3:
            continue
        lo = max(0, s - 20)
        m = _CODE_PREFIX.search(text, lo, s)
        if m is None:
            continue
        words = re.split(r"[ \-]", m.group(1).strip(" -"))
        if any(w in _LABEL_ABBREVIATIONS for w in words):
            continue
        out.append((m.start(1), e, kind, 0.5))
    return out


_NEXT_WORD = re.compile(r" ([A-Za-z][A-Za-z'’\-]{1,30}+)")
# Words that follow a given name and are no surname: function words, titles, credentials, labels.
_NOT_SURNAME = frozenset(
    """and or the to in on at is was has had re dr mr ms mrs miss per via for from of by with but no not see
    pt rn md np pa do's dob mrn age sex bed ward room who will's""".split()
)


def _surname_after(text: str, spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str, float]]:
    """A name found as one word and the word right after it, when that word ends the phrase (a
    bracket, a comma, a line end, two blanks follow) and is written like the name: a short
    capitalised word ("Lihua Sun", "THANH DO", "Haoran Sun,"), one that is no ordinary word, or in a
    lower-case name a lower-case word that is no ordinary word ("layla mansour")."""
    out: list[tuple[int, int, str, float]] = []
    starts = {s for s, _, kind in spans if kind == "NAME"}
    for s, e, kind in spans:
        if kind != "NAME" or e - s < 2 or not text[s:e].isalpha():
            continue
        m = _NEXT_WORD.match(text, e)
        if m is None or m.start(1) in starts:  # the next word is a name already: no blank to bridge
            continue
        after = text[m.end() : m.end() + 2]
        if not (after == "" or after[0] in "\n\r\t,.;:()" or after == "  " or not after[1:].isalpha()):
            continue
        w = m.group(1)
        if w.lower() in _NOT_SURNAME:
            continue
        name = text[s:e]
        k = w.lower()
        if name.istitle() and w.istitle():
            ok = len(w) <= 5 or not (_safe(k) or common_cased(k))
        elif name.isupper() and w.isupper():
            ok = k not in _CREDENTIAL_WORDS and (len(w) <= 5 or not (_safe(k) or common_cased(k)))
        elif name.islower() and w.islower():
            ok = len(w) >= 3 and not (_safe(k) or common_cased(k))
        else:
            ok = False
        if ok:
            out.append((s, m.end(), "NAME", 0.5))
    return out


# ASCII letters lowered, ' and - kept (the rest of a _WORD_AT token), every other ASCII character a blank.
_WORD_CHARS = str.maketrans(
    {chr(c): (chr(c).lower() if chr(c).isalpha() or chr(c) in "'-" else " ") for c in range(128)}
)


def _words_in(text: str, keys: dict[str, str]) -> list[tuple[int, int, str]]:
    """The ``_WORD_AT`` tokens of ``text`` whose lower case is one of ``keys``: start, end, key.

    For ASCII text without a regex match per word: in a copy where every character a token cannot hold
    is a blank, each blank-separated chunk holds exactly one token (from its first letter to its end),
    and a chunk that is a key is found with ``str.find`` as " chunk " from the previous one (the chunks
    between are no keys, so none of them is this chunk)."""
    if not text.isascii():
        out: list[tuple[int, int, str]] = []
        for m in _WORD_AT.finditer(text):
            k = m.group().lower()
            if k in keys:
                out.append((m.start(), m.end(), k))
        return out
    spaced = " " + text.translate(_WORD_CHARS) + " "  # offsets shifted by one
    found: list[tuple[int, int, str]] = []
    i = 0
    for chunk in spaced.split():
        k = chunk.lstrip("'-") if chunk[0] in "'-" else chunk
        if k in keys:
            i = spaced.find(" " + chunk + " ", i)
            end = i + len(chunk)  # in ``text`` (the chunk starts at i + 1 in ``spaced``)
            found.append((end - len(k), end, k))
            i += 1
    return found
