# ruff: noqa: SIM905
"""Word-level name heuristics shared by the detector's name rules: lookup keys, words that are never
name parts, eponyms, trimming a capitalised run to its name tokens, and the runs of capitalised words.

Why a module of its own: these decide what counts as a person's name in a run of capitalised words
(the detector's most error-prone call: headings, role titles and clinical terms are capitalised too),
and the name, place and conversation-propagation rules all ask the same questions.
"""

from __future__ import annotations

import functools
import re

from ai_workers.safety.phi import lexicon
from ai_workers.safety.phi.recall import common_cased
from ai_workers.safety.phi.safewords import SAFE_WORDS

# Words never taken for a name part on capitalisation alone: the heading and sentence-start words,
# plus the safe-word list (words seen only outside names in the tuning sets: "Patients", "REGISTRAR",
# "CHARGE NURSE", "STOCK"), less the known first names and surnames. Upper-case headings and role
# titles in PHI-free documents were read as names before.
_NOT_NAME = (
    lexicon.COMMON_WORDS
    | (SAFE_WORDS - lexicon.FIRST_NAMES - lexicon.SURNAMES)
    # number words ("SEVENTY-NINE-YEAR-OLD"), "I" contractions ("Patient: I'm 73"), drug schedules
    | frozenset(
        """one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen
        sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred
        i'm i've i'd i'll i’m i’ve i’d i’ll c-i c-ii c-iii c-iv c-v cii ciii civ cv""".split()
    )
)


@functools.lru_cache(maxsize=8192)
def _key(token: str) -> str:
    t = token.lower().rstrip(".")
    if t.endswith(("'s", "’s")):
        t = t[:-2]
    return t


def _is_common(token: str) -> bool:
    """A word never taken for a name part: a non-name word, or a compound of them ("COMMUNITY-ACQUIRED")."""
    k = _key(token)
    if k in _NOT_NAME:
        return True
    # (bounded: a long run of hyphenated cue words, "To-To-To-...", is no compound and is met often)
    return len(k) <= 32 and "-" in k and all(part in _NOT_NAME for part in k.split("-"))


def _not_name_part(token: str) -> bool:
    """``_is_common``, or any common English word that is no name (``recall.common_cased``): a
    capitalised heading or form title ("Pharmacy and Therapeutics Committee") is no name. Not used
    to trim places: "Cedar Rapids" is made of common words."""
    if _is_common(token):
        return True
    k = _key(token)
    if "-" in k and len(k) <= 32:  # "DE-IDENTIFIED", "NON-SMOKER": every part short or ordinary
        return all(len(p) <= 2 or p in _NOT_NAME or common_cased(p) for p in k.split("-"))
    return common_cased(k)


def _at_sentence_start(text: str, start: int) -> bool:
    i = start - 1
    while i >= 0 and text[i] in " \t\"'(":
        i -= 1
    return i < 0 or text[i] in ".!?:\n;•*-#>"


_EPONYM_FOLLOW = lexicon.EPONYM_FOLLOW


def _is_eponym_use(text: str, token_start: int, token_end: int) -> bool:
    return _eponym_use(text, _key(text[token_start:token_end]), token_end)


def _eponym_use(text: str, key: str, token_end: int) -> bool:
    """``_is_eponym_use`` for a token whose key is already known (the name pass keys every token once)."""
    if key not in lexicon.EPONYMS:
        return False
    return _EPONYM_FOLLOW.match(text, token_end) is not None or text[token_end : token_end + 2] in (
        "'s",
        "’s",
    )


# Precompiled (module-level re.* calls pay a pattern-cache lookup each time); matched with pos/endpos
# on the text, which is the same as matching a slice for patterns without lookarounds.
_NAME_PIECE = re.compile(r"[^\s,]+")
_NON_SPACE = re.compile(r"\S+")


def _trim_name(text: str, start: int, end: int, *, keep_first: bool) -> tuple[int, int] | None:
    """Cut a captured capitalised sequence down to its name tokens (stop at the first common word)."""
    pieces = [m.span() for m in _NAME_PIECE.finditer(text, start, end)]
    kept: list[tuple[int, int]] = []
    for i, (s, e) in enumerate(pieces):
        tok = text[s:e]
        if not (keep_first and i == 0) and (_not_name_part(tok) or _is_eponym_use(text, s, e)):
            if kept:
                break
            continue  # a leading common word ("Today Maria ..."): skip it
        kept.append((s, e))
    if not kept:
        return None
    s, e = kept[0][0], kept[-1][1]
    # A possessive ends the name ("Dr. Smith's office"): keep the name, not the 's.
    if text[e - 2 : e] in ("'s", "’s"):
        e -= 2
    if text[e - 1 : e] == "." and (e - s > 2 and text[e - 3 : e - 2] != " "):
        e -= 1  # a sentence full stop after a surname, not an initial
    return (s, e) if e > s else None


def _titlecase_tokens(text: str, span: tuple[int, int]) -> bool:
    """Every token looks like a name part: capitalised, or an initial; not a common word."""
    for tok in text[span[0] : span[1]].replace(",", " ").split():
        if not tok[:1].isupper() or _not_name_part(tok):
            return False
    return True


_CLINICAL_SUFFIXES = (
    "tion",
    "itis",
    "osis",
    "ology",
    "ologist",
    "ist",
    "emia",
    "pathy",
    "ectomy",
    "otomy",
    "scopy",
    "graphy",
    "gram",
    "ment",
    "ness",
    "ity",
    "ance",
    "ence",
    "ary",
    "ic",
    "ical",
    "al",
    "ive",
    "ous",
    "ure",
    "therapy",
    "pril",
    "sartan",
    "statin",
    "olol",
    "dipine",
    "mab",
    "nib",
    "azole",
    "cillin",
    "mycin",
    "oxacin",
    "vir",
    "tide",
    "flozin",
    "gliptin",
)
_CLINICAL_NOUNS = frozenset(
    "therapy diet oil monitor pump program programme service services test scale questionnaire plan planning "
    "will unit team clinic center centre department ward floor office disease disorder syndrome failure "
    "infection injury pressure rate level levels score index panel study trial protocol device system "
    "monitoring management control care support group class session assessment screening vaccine shot "
    "tablet tablets capsule capsules patch inhaler drops cream ointment solution injection infusion drip "
    "diagnostics laboratories laboratory labs pharmacy pharmaceuticals inc llc corp company pen".split()
)


def _clinical_phrase(tokens: list[str]) -> bool:
    """A capitalised phrase that reads as a clinical term ("Atrial Fibrillation", "Insulin Pump",
    "Clinical Pharmacist"), not a person: a token ends in a medical suffix or is a clinical noun."""
    for tok in tokens:
        k = _key(tok)
        if k in _CLINICAL_NOUNS or (len(k) > 4 and k.endswith(_CLINICAL_SUFFIXES)):
            return True
    return False


_WEAK_CUES = frozenset(
    [
        "by",
        "uploaded by",
        "sent by",
        "entered by",
        "performed by",
        "approved by",
        "ordered by",
        "contact",
        "from",
        "to",
        "for",
        "with",
        "hi",
        "hello",
        "hey",
        "called",
        "named",
        "cc",
        "name",
        "patient",
        "pt",
        "provider",
        "physician",
        "nurse",
        "author",
        "resident",
        "client",
        "member",
        "home",
        "recipient",
        "friend",
        "partner",
        "contact",
    ]
)


_RUN_GAPS = frozenset([" ", "\t", "  ", " \t", "\t ", "\t\t"])


def _cap_runs(
    text: str, low: str, cap_word: re.Pattern[str]
) -> tuple[list[tuple[int, int]], list[str], list[tuple[int, int]]]:
    """Capitalised words (not inside another word), their lookup keys, and the runs they form when
    only spaces separate them (an initial's full stop too: "R. Oyelaran"), as index ranges into the
    words. ``low`` is ``text`` with A-Z lowercased: for ASCII text a word's key is cut from it (what
    ``_key`` gives, without a lookup per word; these words hold no full stop to strip)."""
    tokens: list[tuple[int, int]] = []
    keys: list[str] = []
    runs: list[tuple[int, int]] = []
    run_start = 0
    ps = pe = -10
    ascii_text = text.isascii()
    for m in cap_word.finditer(text):
        s, e = m.span()
        if s > 0 and text[s - 1].isalnum():
            continue
        n = len(tokens)
        tokens.append((s, e))
        if ascii_text:
            key = low[s:e]
            keys.append(key[:-2] if key.endswith("'s") else key)
        else:
            keys.append(_key(text[s:e]))
        if s - pe > 2 or not (text[pe:s] in _RUN_GAPS or (pe - ps == 1 and text[pe:s] == ". ")):
            if n:
                runs.append((run_start, n))
            run_start = n
        ps, pe = s, e
    if tokens:
        runs.append((run_start, len(tokens)))
    return tokens, keys, runs


# The characters ``after_name`` can start with (case-insensitive "age", "dob", "born", "mrn", "sex"
# include the long s); digits are tested with str.isdecimal, as ``\d`` is.
_AFTER_NAME_FIRST = frozenset(" \t(,|aAdDbBmMsSſ")


def _has_dash(text: str, start: int) -> bool:
    """A dash signature right before ``start`` ("-- Ana Ruiz"): ``dash_before`` needs one of these."""
    before = text[max(0, start - 4) : start]
    return "-" in before or "—" in before or "–" in before
