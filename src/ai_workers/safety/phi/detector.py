# ruff: noqa: E501, SIM905
"""PHI detection: compiled regexes + validators + context cues + name lists, about a millisecond per 2 KB.

Why not spaCy/Presidio: an NER model costs tens of milliseconds per prompt and hundreds of MB, and its
recall on clinical identifiers (MRNs, DEA numbers, "pt John") is no better than rules written for them
(see bench/bench_phi.py for the side-by-side figures). The rules here are deliberately precise about
clinical text: doses, lab values, ICD-10/CPT codes, eponyms, year-only dates and ages under 90 stay.

Every rule yields candidate spans; overlapping candidates are resolved by score then length. The
detector never logs and never keeps the text it scans.

Speed. With Python's ``re`` a whole-text scan costs ~100k instructions whatever it finds and each match
or ``match()`` call ~1-3k, so the cost is the number of scans and calls, not the rules' logic. Hence:
whole-text patterns start with one character class (``re`` then skips to candidates); number rules
scan only the lines holding their digit shape, found with C string search on a digits-as-"0" copy of
ASCII text, with a ``[0-9]``-led twin of the pattern; month-date windows, street lines, IP/MAC scans
and context regexes run only when a cheap test says they can match; words are indexed with ``split``
and ``find``. Each shortcut is exact (the same spans as the plain scan: a necessary condition, or the
same language), and tests/safety/test_phi_fast_paths.py pins each one to its slow path on generated
text; ``bench/bench_phi.py --baseline REF`` checks whole-detector identity against an older commit.
"""

from __future__ import annotations

import bisect
import functools
import hashlib
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from typing import NamedTuple

import phonenumbers
from mypy_extensions import mypyc_attr

from ai_workers.safety.phi import lexicon, recall
from ai_workers.safety.phi.safewords import SAFE_WORDS
from ai_workers.safety.phi.spans import Span
from ai_workers.safety.phi.validators import (
    card_ok,
    dea_ok,
    digits_of,
    ip_ok,
    npi_ok,
    plausible_date,
    ssn_ok,
    vin_ok,
)

# ---------------------------------------------------------------------------------------------------
# Building blocks

_MONTH_WORDS = (
    "January|February|March|April|May|June|July|August|September|October|November|December|"
    "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
)
# Month names are matched Capitalised or UPPER only: "may 5 tablets" is not a date, "May 5" is.
MONTH = (
    "(?:"
    + "|".join(sorted({*_MONTH_WORDS.split("|"), *_MONTH_WORDS.upper().split("|")}, key=len, reverse=True))
    + r")\.?"
)
DAY = r"(?:0?[1-9]|[12]\d|3[01])(?:st|nd|rd|th)?"
YEAR4 = r"(?:1[89]\d\d|20\d\d)"

_STREET_SUFFIX = (
    r"(?:Street|St|Avenue|Ave|Av|Road|Rd|Boulevard|Blvd|Drive|Dr|Lane|Ln|Court|Ct|Way|Place|Pl|Terrace|Ter|"
    r"Parkway|Pkwy|Highway|Hwy|Circle|Cir|Trail|Trl|Square|Sq|Loop|Alley|Pike|Row|Plaza|Crescent|Close|"
    r"Run|Path|Point|Pt|Ridge|Crossing|Xing|Bend|Heights|Hts|Commons|Green|Walk)"
)
_STATE_ABBR = "|".join(lexicon.US_STATES)
_STATE_NAMES = "|".join(sorted(lexicon.US_STATES.values(), key=len, reverse=True))
_STATE = rf"(?:{_STATE_ABBR}|{_STATE_NAMES})"
_UP = "A-ZÀ-ÖØ-Þ"  # capitals, Latin-1 accented ones too ("Núñez", "Strøm")
_LO = "a-zß-öø-ÿ"
_PLACE_WORD = rf"[{_UP}][{_LO}]+(?:[-'][{_UP}]?[{_LO}]+)?"

_FACILITY_KIND = (
    r"(?:Hospital|Medical Center|Medical Centre|Health Center|Health Centre|Health System|Healthcare|"
    r"Health Care|Clinic|Infirmary|Hospice|Nursing Home|Rehabilitation Center|Rehab Center|"
    r"Surgery Center|Surgical Center|Cancer Center|Cancer Institute|Heart Institute|Urgent Care|"
    r"Family Practice|Family Medicine|Medical Group|Physicians Group|Medical Associates|Care Center|"
    r"Health Clinic|Birthing Center|Dialysis Center|Imaging Center|Behavioral Health|Pediatrics|"
    r"Children's Hospital|Children’s Hospital|Memorial|Sanatorium|Medical Office|Skilled Nursing Facility|"
    r"Nursing Facility|Care Facility|Assisted Living(?: Facility)?|Living Center|Treatment Center|Wellness Center|"
    r"Medical Clinic|Hospital Center|Health Services|Health Partners|Specialty Clinic|Health|"
    r"Pharmacy|Drugs|Drug|Chemists|Chemist|Apothecary)"
)
# Words that alone do not make a facility a named one ("the Regional Medical Center" is generic).
_GENERIC_FACILITY_WORDS = frozenset(
    """the a an our your their this that his her at to from in of for and general regional community
    county state university medical memorial children's children’s family urgent primary care
    women's women’s mens men's veterans city central main local nearest nearby emergency pediatric
    cardiology oncology dental eye behavioral mental health rehabilitation surgical cancer heart
    private public teaching outpatient inpatient walk-in walk new same another other any admitted
    transferred discharged seen followed referred presented returned visit visited""".split()
)

# Strong cues: whatever capitalised words follow are a person's name.
_NAME_CUE_STRONG = (
    r"(?:patient(?:'s|’s)?\s+name|patient|pt|name|full\s+name|legal\s+name|resident|client|guardian|"
    r"emergency\s+contact|next\s+of\s+kin|nok|contact\s+person|spouse|husband|wife|partner|fianc[ée]e?|"
    r"mother|father|mom|dad|son|daughter|sister|brother|grandson|granddaughter|grandmother|grandfather|"
    r"caregiver|aunt|uncle|niece|nephew|cousin|roommate|friend|neighbor|neighbour|"
    r"referred\s+by|referring\s+(?:physician|provider|doctor|clinician)|attending(?:\s+physician)?|"
    r"pcp|primary\s+care\s+(?:physician|provider)|surgeon|physician|provider|nurse|clinician|"
    r"signed|signed\s+by|e-?signed\s+by|electronically\s+signed\s+by|dictated\s+by|transcribed\s+by|"
    r"seen\s+by|reviewed\s+by|authored\s+by|author|dear|sincerely|regards|best\s+regards|"
    r"kind\s+regards|warm\s+regards|thanks|thank\s+you|cheers|respectfully|cc|attn|"
    r"accompanied\s+by|spoke\s+with|discussed\s+with|called|named|interpreter|witness|"
    r"insured|subscriber|policy\s*holder|policyholder|beneficiary|recipient|proxy|health\s+care\s+proxy|poa|"
    r"power\s+of\s+attorney|guarantor|donor|prescriber|ordering\s+(?:provider|physician)|requesting|consultant|"
    r"verified\s+for|baby\s+boy|baby\s+girl|newborn|infant|"
    r"last\s+name|first\s+name|surname|given\s+name|family\s+name|middle\s+name|maiden\s+name|"
    r"met\s+with|visit\s+with|spoke\s+to|talked\s+(?:to|with)|rx\s+for|letter\s+for|note\s+for|reply\s+to|"
    r"message\s+(?:to|from)|its|it's|this\s+is|my\s+name\s+is|i\s+am|i'm|from|to|for|with|hi|hello|hey)"
)
_CAP_TOKEN = rf"(?:[{_UP}][{_UP}{_LO}]*(?:['’-][{_UP}{_LO}]+)*|[A-Z]\.)"
_NAME_SEQ = rf"{_CAP_TOKEN}(?:[ \t]+{_CAP_TOKEN}){{0,3}}"
_CUE_NAME_SEQ = rf"{_CAP_TOKEN}(?:,?[ \t]+{_CAP_TOKEN}){{0,3}}"
_NAME_VERBS = (
    r"(?:reports|reported|states|stated|presents|presented|denies|denied|complains|is\s+an?|was\s+seen|was\s+admitted|"
    r"has\s+been|had|tolerated|returns|returned|arrived|called|says|said|notes|agrees|agreed|declined|refused|"
    r"underwent|was\s+discharged|will\s+follow|continues|feels|endorses|admits|requests|requested|asked|"
    r"notified|was\s+notified|informed|consented|signed|verbalized|understands|has|is|was|will|needs|wants|would)"
)

_CREDENTIALS = (
    r"(?:MD|M\.D\.|DO|D\.O\.|RN|BSN|MSN|NP|FNP|FNP-BC|DNP|PA|PA-C|PhD|Ph\.D\.|LPN|LVN|CNA|PharmD|RPh|"
    r"MSW|LCSW|LMFT|LPC|PsyD|DDS|DMD|OD|DPM|DPT|PT|OT|OTR|RD|RRT|CRNA|CNM|MPH|FACP|FACS|FAAP)"
)

_LABEL_VALUE = r"[\s:#.\-]*(?:(?:no|num|number|nbr|id)\b\.?[\s:#.\-]*)?(?:(?:is|was|of|=)\s+)?"
_ID_VALUE = r"((?=[A-Za-z0-9\-/.]*\d)[A-Za-z0-9](?:[A-Za-z0-9\-/.]*[A-Za-z0-9])?)"

# Label -> type for "<label>: <value with a digit>" identifiers.
_LABELS: list[tuple[str, str]] = [
    ("MRN", r"mrn|mr\s*#|mr\s+no|med(?:ical)?\s+rec(?:ord)?s?(?:\s+(?:number|no|#))?|chart(?:\s+(?:number|no|#))?|"
            r"patient\s+id|pt\s+id|hospital\s+(?:number|no|#)|unit\s+(?:number|no)|emr\s+(?:id|#)|ehr\s+(?:id|#)"),
    ("HEALTH_PLAN", r"member(?:\s+id)?|subscriber(?:\s+id)?|policy(?:\s+id)?|group|insurance(?:\s+id)?|"
                    r"medicare(?:\s+id)?|medicaid(?:\s+id)?|mbi|hicn|beneficiary(?:\s+id)?|health\s+plan(?:\s+id)?|"
                    r"plan\s+id|insured\s+id|coverage\s+id|payer\s+id|rx\s*bin|rx\s*pcn|rx\s*grp|pcn|bin"),
    ("ACCOUNT", r"account|acct|a/c|billing(?:\s+account)?|invoice|statement|card(?:\s+number)?|"
                r"credit\s+card|debit\s+card|routing|iban|bank\s+account|guarantor(?:\s+id)?|hospital\s+account|har|fin"),
    ("LICENSE", r"licen[cs]e|lic|driver'?s?\s+licen[cs]e|dl|state\s+licen[cs]e|certificate|cert|dea|npi|"
                r"board\s+cert(?:ification)?|registration|upin|tin|ein|ptan|caqh"),
    ("VEHICLE", r"licen[cs]e\s+plate|plate|tag|vin|vehicle(?:\s+id)?"),
    ("DEVICE", r"serial|s/n|sn|device(?:\s+id)?|imei|udi|meid|esn|mac(?:\s+address)?|implant(?:\s+id)?|"
               r"pacemaker(?:\s+serial)?|pump\s+serial|model/serial|asset(?:\s+tag)?"),
    ("BIOMETRIC", r"fingerprint(?:\s+(?:id|template|hash))?|finger\s+print|voice\s*print(?:\s+id)?|"
                  r"retina(?:l)?\s+scan(?:\s+id)?|iris(?:\s+scan)?(?:\s+id)?|palm\s*print(?:\s+id)?|"
                  r"face(?:\s+id|\s+template)|facial\s+(?:template|geometry)(?:\s+id)?|biometric(?:\s+id)?|gait\s+signature"),
    ("ID", r"case|claim|accession|specimen|encounter|visit|order|requisition|req|ref|reference|confirmation|"
           r"employee(?:\s+id)?|student(?:\s+id)?|passport|badge|id|identifier|ticket|tracking|csn|fin|"
           r"enrollment|study\s+id|subject\s+id|participant\s+id|record|file|donor\s+id|registry\s+id|"
           r"prescription|rx"),
    ("ZIP", r"zip(?:\s*code)?|postal\s+code"),
]  # fmt: skip


# A candidate span as the rules emit it: start, end, type, score (a Span once resolved).
_Candidate = tuple[int, int, str, float]


class _Analysis(NamedTuple):
    """What the detector keeps about one text (offsets, types and name keys; never the text)."""

    spans: tuple[Span, ...]
    name_keys: frozenset[str]
    tokens: tuple[tuple[int, int], ...]  # capitalised words: start, end
    keys: tuple[str, ...]  # their lookup keys


_EMPTY = _Analysis((), frozenset(), (), ())


class DetectionTimeout(Exception):
    """A scan ran past its ``Deadline``: it stopped there, and found (and cached) nothing."""


class Deadline:
    """A time budget for one call of ``detect`` / ``detect_many``, checked between the detector's
    passes (each is linear in the text, so a check comes at least every few milliseconds per 100 KB):
    past it the scan raises ``DetectionTimeout`` instead of running on. ``clock`` is read on the
    scanning thread (by default its CPU time, which waiting for the GIL does not advance)."""

    def __init__(self, seconds: float, clock: Callable[[], float] = time.thread_time) -> None:
        self.clock = clock
        self.seconds = seconds
        self.at = clock() + seconds

    def check(self) -> None:
        if self.clock() > self.at:
            raise DetectionTimeout(f"PHI detection ran past its budget of {self.seconds * 1000:g} ms")


def _covered(spans: list[Span], pos: int) -> bool:
    i = bisect.bisect_right(spans, pos, key=lambda s: s.start) - 1
    return i >= 0 and spans[i].start <= pos < spans[i].end


_CACHE_MIN_CHARS = 32  # shorter texts are scanned faster than a digest + lookup costs
_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def _words(spec: str) -> list[str]:
    """Cue phrases, one per line or separated by '|' (literal, lowercase)."""
    return [w.strip() for line in spec.strip().splitlines() for w in line.split("|") if w.strip()]


class _Cued:
    """Literal lowercase cue phrases found with ``str.find`` (C speed, no regex alternation over every
    position), each followed by a tail regex matched right after the cue. This is what keeps label and
    cue rules cheap: Python's ``re`` has no Aho-Corasick, and a 100-way alternation costs ~1 ms per 2 KB."""

    def __init__(self, phrases: Iterable[str], tail: str, flags: int = 0) -> None:
        self.by_first: dict[str, list[str]] = {}
        for phrase in sorted(set(phrases), key=len, reverse=True):
            first = _FIRST_WORD.match(phrase)
            assert first is not None, phrase
            self.by_first.setdefault(first.group(), []).append(phrase)
        self.first_words = frozenset(self.by_first)
        self.tail = re.compile(tail, flags)

    def finditer(
        self, text: str, low: str, words: dict[str, list[int]]
    ) -> Iterator[tuple[str, int, re.Match[str]]]:
        """Matches, longest cue phrase first. ``words`` maps each lowercase word of the text to where it
        starts (see ``_word_index``); only the cue words present in the text are looked at."""
        n = len(low)
        match = self.tail.match
        hits: list[tuple[int, int, str]] = []
        for first in self.first_words.intersection(words):
            positions = words[first]
            for phrase in self.by_first[first]:
                for i in positions:
                    if low.startswith(phrase, i):
                        hits.append((-len(phrase), i, phrase))
        hits.sort()
        for _, i, phrase in hits:
            j = i + len(phrase)
            if j >= n or not low[j].isalpha() or not phrase[-1].isalnum():
                m = match(text, j, j + _TAIL_WINDOW)
                if m is not None:
                    yield phrase, i, m


_FIRST_WORD = re.compile(r"[a-z][a-z]*")  # not [a-z]+: see _Rules on leading repeats

# A cue's tail is matched within this many characters after the cue. Every real tail (a label's value,
# a name after "Patient:") is far shorter; without a bound, a long token holding many cues ("id-id-id-
# ...-1", "To-To-To-...") was read to its end once per cue, in time quadratic in its length. A tail
# that would run past the window is cut at it (and what follows the window is not looked at).
_TAIL_WINDOW = 128


def _word_index(low: str) -> dict[str, list[int]]:
    """Start offsets of every word in the lowercased text, in one regex pass."""
    index: dict[str, list[int]] = {}
    for m in _FIRST_WORD.finditer(low):
        word = m.group()
        found = index.get(word)
        if found is None:
            index[word] = [m.start()]
        else:
            found.append(m.start())
    return index


_LABEL_WORDS: list[tuple[str, str]] = [
    ("MRN", "mrn|mr#|mr #|mr no|mr no.|medical record|medical record number|medical records|med rec|med rec no|chart|"
            "chart number|chart no|patient id|pt id|hospital number|hospital no|unit number|unit no|emr id|ehr id|mr"),
    ("HEALTH_PLAN", "member|member id|mbr|mbr id|subscriber|subscriber id|policy|policy id|policy number|group|grp|"
                    "insurance id|insurance|medicare|medicare id|medicaid|medicaid id|mbi|hicn|beneficiary|"
                    "beneficiary id|health plan|health plan id|plan id|insured id|coverage id|payer id|rxbin|rx bin|"
                    "rxpcn|rx pcn|rxgrp|rx grp|pcn|bin"),
    ("ACCOUNT", "account|acct|a/c|billing|billing account|invoice|statement|card|card number|credit card|debit card|"
                "routing|iban|bank account|guarantor|guarantor id|hospital account|har|fin|account number"),
    ("LICENSE", "license|licence|lic|lic.|driver's license|drivers license|driver license|driver's licence|dl|"
                "state license|certificate|cert|dea|npi|board certification|registration|upin|tin|ein|ptan|caqh"),
    ("VEHICLE", "license plate|licence plate|plate|tag|vin|vehicle|vehicle id"),
    ("DEVICE", "serial|serial number|serial no|s/n|sn|device|device id|imei|udi|meid|esn|mac|mac address|implant|"
               "implant id|pacemaker|pacemaker serial|pump serial|model/serial|asset|asset tag|transmitter|"
               "transmitter id"),
    ("BIOMETRIC", "fingerprint|fingerprint id|fingerprint template|fingerprint hash|finger print|voiceprint|"
                  "voice print|voiceprint id|retina scan|retinal scan|retinal scan id|iris scan|iris|iris id|"
                  "palm print|palmprint|face id|face template|facial template|facial geometry|biometric|"
                  "biometric id|gait signature"),
    ("ID", "case|claim|accession|specimen|encounter|visit|order|requisition|req|ref|reference|confirmation|"
           "employee id|employee|student id|passport|badge|id|identifier|ticket|tracking|csn|enrollment|study id|"
           "subject id|participant id|record|file|donor id|registry id|prescription|rx|auth|authorization|prior auth"),
    ("ZIP", "zip|zip code|zipcode|postal code"),
]  # fmt: skip
_LABEL_KIND: dict[str, str] = {}
for _kind, _spec in _LABEL_WORDS:
    for _w in _words(_spec):
        _LABEL_KIND.setdefault(_w, _kind)
_LABEL_TAIL = (
    r"(?i:[ \t]*+(?:no|num|number|nbr|id|#)\b\.?)?[ \t:#.\-]*+(?:(?i:is|was|of)[ \t]+|=[ \t]*)?"
    r"((?=[A-Za-z0-9])(?=[A-Za-z0-9\-/.]*\d)[A-Za-z0-9](?:[A-Za-z0-9\-/.]*[A-Za-z0-9])?)"
)

_NAME_CUE_WORDS = _words("""
patient's name|patient name|patient|pt|name|full name|legal name|resident|client|guardian|emergency contact
next of kin|nok|contact person|spouse|husband|wife|partner|fiance|fiancee|fiancé|fiancée|mother|father|mom|dad
son|daughter|sister|brother|grandson|granddaughter|grandmother|grandfather|caregiver|aunt|uncle|niece|nephew
cousin|roommate|friend|neighbor|neighbour|referred by|referring physician|referring provider|referring doctor
referring clinician|attending|attending physician|pcp|primary care physician|primary care provider|surgeon
physician|provider|nurse|clinician|signed|signed by|esigned by|e-signed by|electronically signed by|dictated by
transcribed by|seen by|reviewed by|authored by|author|dear|sincerely|regards|best regards|kind regards
warm regards|thanks|thank you|cheers|respectfully|attn|accompanied by|spoke with|discussed with|called
named|interpreter|witness|insured|subscriber|policy holder|policyholder|beneficiary|recipient|proxy
health care proxy|poa|power of attorney|guarantor|donor|prescriber|ordering provider|ordering physician
requesting|consultant|verified for|baby boy|baby girl|newborn|infant|last name|first name|surname|given name
family name|middle name|maiden name|met with|visit with|spoke to|talked to|talked with|rx for|letter for
note for|reply to|message to|message from|its|it's|this is|my name is|i am|i'm|from|to|for|with|hi|hello|hey
by|contact|uploaded by|sent by|entered by|performed by|approved by|ordered by|my dad|my mom|my son|my daughter
""")

_PHONE_CUE_WORDS = _words("""
phone|ph|tel|telephone|cell|mobile|fax|pager|beeper|call|text|contact|home|work|office|at|reach|reached at|number
line|voicemail|vm
""")
_PHONE_CUE_TAIL = r"[ \t]*+(?:#|no\.?|number)?[ \t]*+[:.\-]?[ \t]*+(\d{10}|\d{3}[.\s\-]\d{4})(?!\d)"

_PLACE_CUE_WORDS = _words("""
lives|living|resides|residing|reside|live|moved|moving|relocated|born|raised|grew up|resident|home|house
apartment|traveled|travelled|traveling|travelling|travel|trip|visiting|visited|vacation|vacationed|vacationing
located|originally|hometown|town|city|village|commutes|commuted|drove|flew|works|work|working|employed
""")
_PLACE_LABEL_WORDS = _words("city|town|county|municipality|birthplace|place of birth|hometown")

_DATE_CUE_WORDS = frozenset(
    _words("""
on|since|from|until|till|by|thru|through|to|dos|dob|date|dated|seen|admitted|discharged|d/c|adm|visit|appt
appointment|surgery|procedure|started|stopped|last|next|due|scheduled|return|returns|born|delivered|expired
died|deceased|of|and
""")
)
_AGE_PREFIX = re.compile(r"(?:age[ds]?|aged|turned|turns|turning)[ \t]*:?[ \t]*\Z")
_AGE_AFTER_NAME = re.compile(r"[A-Za-zÀ-ÿ][,(][ \t]*\Z")
_AGE_SUFFIX = re.compile(
    r"(?i:[ \t]*-?[ \t]*(?:years?|yrs?|y)[ \t\-]*(?:old|o\b|/o\b|\.o\.)|[ \t]*(?:yo|y/o|y\.o\.|yrs?\b|years?\b))"
    r"|[ \t]?(?:M|F|yo[MF])\b"
)

_FACILITY_WORDS = _words("""
hospital|medical center|medical centre|health center|health centre|health system|healthcare|health care|clinic
infirmary|hospice|nursing home|rehabilitation center|rehab center|surgery center|surgical center|cancer center
cancer institute|heart institute|urgent care|family practice|family medicine|medical group|physicians group
medical associates|care center|birthing center|dialysis center|imaging center|behavioral health|pediatrics
memorial|sanatorium|medical office|nursing facility|care facility|assisted living|living center
treatment center|wellness center|health services|health partners|health
pharmacy|drugs|drug|chemists|chemist|apothecary
""")

# Facility phrases by first word. Which phrase finds a position does not matter (the span is built from
# the position alone), so only the first words present in the text are looked at.
_FACILITY_FIRST: dict[str, list[str]] = {}
for _phrase in _FACILITY_WORDS:
    _FACILITY_FIRST.setdefault(_phrase.split()[0], []).append(_phrase)

_SAFE_CODE = re.compile(
    r"""(?x)
    ^(?:[A-TV-Z]\d[0-9A-Z](?:\.[0-9A-Z]{1,4})?   # ICD-10-CM
      |\d{5}(?:-\d{1,2})?                      # LOINC / CPT
      |\d{4}[A-Z]                              # CPT category II/III
      |[A-Z]\d{4}                              # HCPCS
    )$"""
)


def _compile(pattern: str, flags: int = 0) -> re.Pattern[str]:
    return re.compile(pattern, flags)


def _by_first_letter(group: str) -> str:
    """``(?:reports|reported|states|...)`` regrouped as ``(?:r(?:eports|eported)|s(?:tates)|...)``.

    The same alternatives (in the same order within each first letter), so the same strings match;
    but ``re`` now rejects a whole letter's alternatives on one character test instead of trying ~50
    words one by one, which made ``after_name`` cost ~9k instructions per call. Only for groups whose
    alternatives all start with a plain letter."""
    assert group.startswith("(?:") and group.endswith(")"), group
    alternatives = recall.top_level_alternatives(group[3:-1])
    assert all(alternative[:1].isalpha() for alternative in alternatives), alternatives
    return recall.regroup_by_first(alternatives, fold_case=False)


class _Rules:
    r"""All compiled patterns, built once per process. Patterns start with a literal or a narrow
    character class wherever possible: that lets ``re`` skip ahead fast instead of trying every position.

    Python's ``re`` only finds that first character class when the pattern's first item is a single
    character (or a literal); a leading repeat such as ``\d{3}`` or ``[a-z]+`` makes every search run
    the matcher at every position of the text. So whole-text patterns spell a leading repeat as one
    character then the rest (``\d\d{2}``, ``\d\d?`` for ``\d{1,2}``): the same language and the same
    backtracking order, hence the same matches, at about a third of the scanning cost."""

    def __init__(self) -> None:
        self.email = _compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}\b")
        self.url_scheme = _compile(r"(?i:(?:https?|ftp)://|www\.)[^\s<>\"'()\[\]{}]+")
        self.domain_before = _compile(r"[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9\-]+)*\Z")
        # "\.(?i:com|...)\b(?:/[^\s<>\"'()]*)?" in two steps: the domain ending here, then the path
        # that may follow, which ``_Paths`` reads once however many probes (".com/.com/...") it holds.
        self.domain_after = _compile(r"\.(?i:com|org|net|gov|edu|health|io|us|info|biz|care|clinic|md)\b")
        # "(?!\.*+\d)": what "(?![\d.]*\d)" says (the first digit of a run of digits and dots follows
        # only dots) without reading the whole run at every start (quadratic on "1.2.1.2.1.2...").
        self.ipv4 = _compile(r"\d\d{0,2}\.\d{1,3}\.\d{1,3}\.\d{1,3}(?!\.*+\d)")
        self.ipv6 = _compile(r"[0-9A-Fa-f]{0,4}:[0-9A-Fa-f:]{1,37}(?:\.\d{1,3}){0,3}")
        self.mac = _compile(r"[0-9A-Fa-f][0-9A-Fa-f]([:-])[0-9A-Fa-f]{2}(?:\1[0-9A-Fa-f]{2}){4}(?![\w:-])")
        self.ssn = _compile(r"\d\d{2}[- ]\d{2}[- ]\d{4}(?![\d\-])")
        self.ssn_cued = _Cued(
            _words("ssn|ss#|social security|social security number|social security no|soc sec|ss no"),
            r"[ \t:#.\-]*+(?:(?i:number|no|#)\.?[ \t:#.\-]*+)?(\d{9}|\d{3}[- .]\d{2}[- .]\d{4})\b",
        )
        # Phone numbers are found by their last seven digits (a pattern that starts with a digit class
        # scans fast), then extended backwards over the area code and forwards over an extension.
        self.phone_tail = _compile(r"\d\d{2}[ \t.\-]\d{4}(?![\w\-/])")
        self.phone_head = _compile(r"(?:\+?1[ \t.\-]?)?(?:\(\d{3}\)[ \t.\-]?|\d{3}[ \t.\-])\Z")
        self.phone_ext = _compile(r"[ \t]*(?:x|ext\.?|extension)[ \t]*\d{1,5}\b")
        self.phone_intl = _compile(r"\+\d{1,3}(?:[ \t.\-]?\(?\d{1,4}\)?){2,5}(?![\w])")
        self.phone_cued = _Cued(_PHONE_CUE_WORDS, _PHONE_CUE_TAIL)
        self.card = _compile(r"\d\d{3}(?:[ \-]?\d{4}){2}[ \-]?\d{1,7}(?![\d\-])")
        self.dea = _compile(r"[A-Z][A-Z9]\d{7}\b")
        self.vin = _compile(r"[A-HJ-NPR-Z0-9][A-HJ-NPR-Z0-9]{16}\b")
        self.mbi = _compile(
            r"[1-9][AC-HJKMNP-RT-Y][AC-HJKMNP-RT-Y0-9]\d-?[AC-HJKMNP-RT-Y][AC-HJKMNP-RT-Y0-9]\d-?"
            r"[AC-HJKMNP-RT-Y]{2}\d{2}\b"
        )
        self.labelled = _Cued(_LABEL_KIND, _LABEL_TAIL)
        # Tried only where a run of digits starts after neither a letter/digit nor ".-/" (the lookbehind
        # after the first digit: the caller drops such matches, which never hide one it keeps, as they
        # hold only digits); the digits are possessive and the lookahead lazy (same language). Without
        # these a long digit run followed by a digit further on cost time quadratic in its length.
        self.long_number = _compile(r"\d(?<![^\W_]\d)(?<![./\-]\d)\d{6,}+(?![\w.]*?\d)")
        # Was [A-Z][A-Z0-9]*-?\d[A-Z0-9\-]*\d(?![\w\-]): cubic in the length of a run of capitals and
        # digits that fails at its end (~10 s for 2,200 upper-case hex characters). The same matches,
        # linear: (1) tried only where no letter, digit or "-" precedes (the caller drops the others,
        # and a dropped match, all letters, digits and "-", never hides one it keeps); (2) the match
        # can only end where the run of [A-Z0-9-] after its first digit ends (the lookahead), so the
        # tail is atomic, and of the places its first digit can be, only three differ: after the
        # capitals and digits and a "-", right after them (a non-ASCII digit), or the first digit
        # among them (every later one ends at the same place, with a shorter tail).
        self.mixed_id = _compile(
            r"[A-Z](?<![^\W_][A-Z])(?<!-[A-Z])(?:[A-Z0-9]*+-\d|[A-Z0-9]*+\d|[A-Z]*+[0-9])"
            r"(?>[A-Z0-9\-]*\d)(?![\w\-])"
        )
        # Dates
        self.date_numeric = _compile(r"(\d\d?)([/.\-])(\d{1,2})\2(\d{4}|\d{2})(?![\d/\-]|\.\d)")
        self.date_iso = _compile(r"(?:1[89]|20)\d\d([\-/.])(0?[1-9]|1[0-2])\1(0?[1-9]|[12]\d|3[01])(?!\d)")
        self.date_compact = _Cued(
            _words("dob|d.o.b.|born|date of birth|birth date|birthdate"), r"[ \t:#\-]*((?:19|20)\d{6})\b"
        )
        self.date_mdy = _compile(rf"{MONTH}\s*{DAY}(?:\s*,\s*|\s+|,){YEAR4}\b")
        self.date_dmy = _compile(rf"\b{DAY}(?:\s+of)?[\s\-]+{MONTH}(?:,?[\s\-]+(?:{YEAR4}|\d{{2}}))?\b")
        self.date_mon_num = _compile(rf"{MONTH}[\-/ ]{DAY}[\-/ ,]+{YEAR4}\b")
        self.date_md = _compile(rf"{MONTH}\s+{DAY}\b(?!\s*(?:mg|mcg|ml|units?|tablets?|%))")
        self.date_my = _compile(rf"{MONTH},?\s+(?:of\s+)?{YEAR4}\b")
        self.date_the_dth = _compile(rf"the\s+(?:0?[1-9]|[12]\d|3[01])(?:st|nd|rd|th)\s+of\s+{MONTH}")
        self.date_month_year_num = _compile(r"(\d\d?)/((?:19|20)\d{2})(?![\d/])")
        self.date_md_short = _compile(r"(\d\d?)/(\d{1,2})(?![\d/]|\.\d)")
        self.age_number = _compile(r"(?:9\d|1[01]\d)(?![\d.])")
        # Geography
        self.street = _compile(
            r"\d\d{0,5}[A-Za-z]?(?:-\d{1,4})?[ \t]+(?:(?:[NSEW]|North|South|East|West|N\.|S\.|E\.|W\.)[ \t]+)?"
            r"(?:(?:[A-Z][A-Za-z'’.\-]*|\d{1,3}(?:st|nd|rd|th))[ \t]+){1,4}"
            + _STREET_SUFFIX
            + r"\b\.?(?:[ \t]+(?:NE|NW|SE|SW|N|S|E|W)\b)?"
            r"(?:,?[ \t]+(?:Apt|Apartment|Unit|Suite|Ste|Rm|Room|Fl|Floor|Bldg|Building|Lot|#)\.?[ \t]*#?[ \t]*[A-Za-z0-9\-]+)?"
        )
        self.po_box = _Cued(_words("po box|p.o. box|p. o. box|p.o.box|post office box"), r"[ \t]+\d+")
        self.rural = _Cued(
            _words("rural route|rr|hc|route|rte|rte.|highway|hwy|hwy.|state route|county road|interstate"),
            r"[ \t]*\d{1,4}[A-Za-z]?\b(?:,?[ \t]*(?i:box)[ \t]+\d+)?",
        )
        self.state_after_comma = _compile(r",[ \t]*([A-Z][A-Za-z]+(?:[ \t][A-Z][a-z]+)?)\b")
        self.address_tail = _compile(
            rf"[ \t,]*(?:\r?\n[ \t]*)?((?:{_PLACE_WORD})(?:[ \-](?:{_PLACE_WORD})){{0,2}}),?"
            r"(?:[ \t]+[A-Z]{2}\b\.?,?)?[ \t]+(\d{5}(?:-\d{4})?)\b"
        )
        self.state_zip = _compile(r"([A-Z][A-Z])\.?,?[ \t]+(\d{5}(?:-\d{4})?)\b")
        self.zip_after = _compile(r"\.?,?[ \t]+(\d{5}(?:-\d{4})?)\b")
        self.place_before = _compile(rf"((?:{_PLACE_WORD})(?:[ \-](?:{_PLACE_WORD})){{0,2}})[ \t]*,?[ \t]*\Z")
        self.county = _Cued(_words("county|parish|borough|township"), r"")
        self.place_after = _compile(rf"((?:{_PLACE_WORD})(?:[ \-](?:{_PLACE_WORD})){{0,2}})")
        self.place_cue = _Cued(
            _PLACE_CUE_WORDS,
            rf"(?:[ \t]+(?:in|at|to|from|of|near|outside|downtown))+[ \t]+((?:{_PLACE_WORD})(?:[ \-](?:{_PLACE_WORD})){{0,2}})",
        )
        self.place_label = _Cued(
            _PLACE_LABEL_WORDS, rf"[ \t]*[:\-][ \t]*((?:{_PLACE_WORD})(?:[ \-](?:{_PLACE_WORD})){{0,2}})"
        )
        self.facility_before = _compile(
            r"((?:(?:St\.?|Saint|Mount|Mt\.?)[ \t]+)?(?:[A-Z][A-Za-z'’.\-&]*[ \t]+){1,5})\Z"
        )
        self.facility_kind = _compile(_FACILITY_KIND + r"\b")
        self.facility_of = _compile(
            r"[ \t]+(?:of|at|in)[ \t]+(?:the[ \t]+)?[A-Z][A-Za-z'’.\-]*(?:[ \t]+[A-Z][A-Za-z'’.\-]*){0,2}"
        )
        # Names
        self.title_name = _compile(
            rf"(?:Dr|Mr|Mrs|Ms|Miss|Mx|Prof|Doctor|Nurse|Sister|Father|Rev|Pastor|Sgt|Capt|Judge|Officer)\.?[ \t]+({_NAME_SEQ})"
        )
        self.cue_name = _Cued(
            _NAME_CUE_WORDS, rf"([ \t]*[:,\-]|[ \t]+is|[ \t]+was)?[ \t]*(?:\r?\n[ \t]*)?({_CUE_NAME_SEQ})"
        )
        self.after_name = _compile(
            rf"(?P<verb>[ \t]+{_by_first_letter(_NAME_VERBS)}\b)"
            rf"|(?P<cred>,?[ \t]+{_by_first_letter(_CREDENTIALS)}(?![A-Za-z]))"
            # Blanks, an optional "(", "," or "|", blanks; then a demographic. The blanks are possessive
            # (what follows never starts with one, so nothing is lost) and the case-insensitive words
            # are spelled with classes (including the long s that (?i) lets stand for s): the same
            # strings match as with (?i:...), without re retrying every split of the blanks.
            r"|(?P<demo>[ \t]*+(?:[(,|][ \t]*+)?(?:[aA][gG][eE][dDsSſ]?\b|[dD][oO][bB]\b|[dD]\.[oO]\.[bB]"
            r"|[bB][oO][rR][nN]\b|[mM][rR][nN]\b|[sSſ][eE][xX]\b"
            r"|\d{1,3}[ \t]*(?:yo\b|y/o|y\.o\.|-?year-old|[MF]\b)|\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}))"
        )
        self.dash_before = _compile(r"(?:^|[ \t\n])(?:-|--|—|–)[ \t]*\Z")
        # "Last, First". Each start inside a run of name characters used to read to the run's end
        # (quadratic on "AAAA..."): the name parts are possessive (a "," or what follows a name can
        # never be one of their characters), and where no "Last, First" starts, the second branch
        # consumes the run (no later start in it can match either: all reach the same ",") and the
        # caller skips it (group 1 is None). The same "Last, First" matches as before.
        self.last_first = _compile(
            rf"(?:([{_UP}][{_UP}{_LO}'’\-]++),[ \t]*+([{_UP}][{_UP}{_LO}'’\-]++)(?:[ \t]+[A-Z]\.?)?(?![{_UP}{_LO}])"
            rf"|[{_UP}][{_UP}{_LO}'’\-]*+)"
        )
        self.cap_run = _compile(rf"{_CAP_TOKEN}(?:[ \t]+{_CAP_TOKEN})*")
        self.cap_word = _compile(rf"[{_UP}][{_UP}{_LO}]*(?:['’\-][{_UP}{_LO}]+)*")
        # The only words the word index is ever asked about: cue phrases' first words, cities, facility
        # kinds. Indexing just these (one regex per word present) is ~3x cheaper than indexing every word.
        vocabulary: set[str] = set(_CITY_WORDS) | {phrase.split()[0] for phrase in _FACILITY_WORDS}
        cued = [self.ssn_cued, self.phone_cued, self.labelled, self.date_compact, self.po_box, self.rural]
        cued += [self.county, self.place_cue, self.place_label, self.cue_name]
        for rule in cued:
            vocabulary |= rule.first_words
        self.vocabulary = frozenset(w for w in vocabulary if _FIRST_WORD.fullmatch(w))

    def word_index(self, low: str) -> dict[str, list[int]]:
        """``_word_index(low)`` restricted to ``vocabulary``: the same positions for those words.

        Regex matches cost ~1k instructions each, so for ASCII text (nearly all prompts) the words are
        found with C string methods: every character but a-z becomes a space, ``split`` lists the
        words in order, and each vocabulary word among them is found as " word " with ``str.find``
        from where the previous one was (so the text is scanned once, not once per word)."""
        if not low.isascii():
            return {w: p for w, p in _word_index(low).items() if w in self.vocabulary}
        spaced = " " + low.translate(_ONLY_LETTERS) + " "  # offsets shifted by one
        vocabulary = self.vocabulary
        index: dict[str, list[int]] = {}
        i = 0
        for word in [w for w in spaced.split() if w in vocabulary]:
            # The next " word " after the previous vocabulary word is this one: the words between
            # are not vocabulary words, so none of them is this word.
            i = spaced.find(f" {word} ", i)
            found = index.get(word)
            if found is None:
                index[word] = [i]  # the word starts at i + 1 in ``spaced``, at i in ``low``
            else:
                found.append(i)
            i += 1
        return index


# ASCII a-z kept, every other ASCII character a space (str.translate's fast ASCII path).
_ONLY_LETTERS = str.maketrans({chr(c): (chr(c) if "a" <= chr(c) <= "z" else " ") for c in range(128)})


_RULES: _Rules | None = None
_ASCII_TWINS: dict[re.Pattern[str], re.Pattern[str]] = {}


def _rules() -> _Rules:
    global _RULES
    if _RULES is None:
        rules = _Rules()
        for pattern in (
            rules.ssn,
            rules.phone_tail,
            rules.card,
            rules.long_number,
            rules.ipv4,
            rules.street,
            rules.date_numeric,
            rules.date_month_year_num,
            rules.date_md_short,
        ):
            lead = "(\\d" if pattern.pattern.startswith("(\\d") else "\\d"
            assert pattern.pattern.startswith(lead), pattern.pattern
            _ASCII_TWINS[pattern] = re.compile(lead.replace("\\d", "[0-9]") + pattern.pattern[len(lead) :])
        _RULES = rules
    return _RULES


# ---------------------------------------------------------------------------------------------------
# Helpers


# Words never taken for a name part on capitalisation alone: the heading and sentence-start words,
# plus the safe-word list (words seen only outside names in the tuning sets: "Patients", "REGISTRAR",
# "CHARGE NURSE", "STOCK"), less the known first names and surnames. Upper-case headings and role
# titles in PHI-free documents were read as names before.
_NOT_NAME = lexicon.COMMON_WORDS | (SAFE_WORDS - lexicon.FIRST_NAMES - lexicon.SURNAMES)


@functools.lru_cache(maxsize=8192)
def _key(token: str) -> str:
    t = token.lower().rstrip(".")
    if t.endswith(("'s", "’s")):
        t = t[:-2]
    return t


def _is_common(token: str) -> bool:
    return _key(token) in _NOT_NAME


def _at_sentence_start(text: str, start: int) -> bool:
    i = start - 1
    while i >= 0 and text[i] in " \t\"'(":
        i -= 1
    return i < 0 or text[i] in ".!?:\n;•*-#>"


_EPONYM_FOLLOW = re.compile(
    r"(?:['’]s)?[ \t\-]+(?:disease|syndrome|sign|signs|score|scale|test|maneuver|manoeuvre|catheter|procedure|"
    r"criteria|classification|reflex|triad|ulcer|fracture|palsy|sarcoma|lymphoma|tumou?r|esophagus|node|"
    r"cyst|phenomenon|law|equation|formula|operation|repair|incision|point|disorder|dementia|chorea|"
    r"thyroiditis|tube|bag|stocking|stockings|position|rating|stage|staging|coma|questionnaire|"
    r"protocol|drip|line|knot|needle|splint|dressing|diet|technique|method|stain)\b",
    re.IGNORECASE,
)


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
        if not (keep_first and i == 0) and (_is_common(tok) or _is_eponym_use(text, s, e)):
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
        if not tok[:1].isupper() or _is_common(tok):
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


# ---------------------------------------------------------------------------------------------------
# The detector


Emit = Callable[[int, int, str, float], None]


# Compiled by mypyc (setup.py): apps and tests may still subclass it in Python.
@mypyc_attr(allow_interpreted_subclasses=True)
class PhiDetector:
    """Finds the 18 Safe Harbor identifiers plus facility names in plain text.

    ``disabled`` drops types an operator decided not to treat as PHI (e.g. FACILITY for an internal
    app). ``extra_names`` adds site-specific names (staff lists) to the first-name/surname lexicon.
    """

    def __init__(
        self, *, disabled: Iterable[str] = (), extra_names: Iterable[str] = (), cache_size: int = 4096
    ) -> None:
        self.disabled = frozenset(disabled)
        self.rules = _rules()
        self.extra_names = frozenset(n.lower() for n in extra_names)
        self._name_words = lexicon.FIRST_NAMES | lexicon.SURNAMES | self.extra_names
        # Chat apps resend the whole conversation every turn: remembering the spans of texts already
        # scanned (keyed by a digest, so no text is kept) means each turn only scans its new message.
        self.cache_size = cache_size
        self._cache: OrderedDict[bytes, _Analysis] = OrderedDict()
        self._lock = threading.Lock()

    def detect(self, text: str, deadline: Deadline | None = None) -> list[Span]:
        """Every identifier span in ``text``, sorted, non-overlapping. With a ``deadline``, raises
        ``DetectionTimeout`` once it has passed (checked between passes)."""
        return list(self._analyse(text, deadline).spans)

    def _analyse(self, text: str, deadline: Deadline | None = None) -> _Analysis:
        if not text:
            return _EMPTY
        if self.cache_size <= 0 or len(text) < _CACHE_MIN_CHARS:
            return self._detect(text, deadline)
        key = hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()
        with self._lock:
            hit = self._cache.get(key)
            if hit is not None:
                self._cache.move_to_end(key)
                return hit
        analysis = self._detect(text, deadline)
        with self._lock:
            self._cache[key] = analysis
            while len(self._cache) > self.cache_size:
                self._cache.popitem(last=False)
        return analysis

    def _detect(self, text: str, deadline: Deadline | None = None) -> _Analysis:
        found: list[_Candidate] = []
        low = text.translate(_LOWER)  # same length as text, so offsets line up

        def emit(start: int, end: int, kind: str, score: float) -> None:
            if end > start:  # a plain tuple: a Span (a NamedTuple) costs a Python-level __new__ call
                found.append((start, end, kind, score))

        words = self.rules.word_index(low)
        gate = _Gate(text)
        self._contact(text, low, words, emit, gate)
        if deadline is not None:
            deadline.check()
        self._numbers(text, low, words, emit, gate)
        if deadline is not None:
            deadline.check()
        self._dates(text, low, words, emit, gate)
        self._ages(text, low, emit)
        # Capitalised words: the name rules' material, and where a street suffix may be.
        tokens, keys, runs = _cap_runs(text, low, self.rules.cap_word)
        if deadline is not None:
            deadline.check()
        self._places(text, low, words, emit, gate, tokens, keys)
        if deadline is not None:
            deadline.check()
        self._names(text, low, words, emit, tokens, keys, runs)
        if deadline is not None:
            deadline.check()
        self._recall(text, emit)
        if deadline is not None:
            deadline.check()
        spans = _resolve(found)
        more = recall.propagate(text, [(s.start, s.end, s.type) for s in spans])
        if more:
            spans = _resolve([*((s.start, s.end, s.type, s.score) for s in spans), *more])
        if self.disabled:
            spans = [s for s in spans if s.type not in self.disabled]
        name_keys: set[str] = set()
        for span in spans:
            if span.type == "NAME":
                for tok in text[span.start : span.end].split():
                    k = _key(tok)
                    if len(k) >= 3 and k not in _NOT_NAME and k not in lexicon.AMBIGUOUS_FIRST:
                        name_keys.add(k)
        return _Analysis(tuple(spans), frozenset(name_keys), tuple(tokens), tuple(keys))

    def detect_many(self, texts: list[str], deadline: Deadline | None = None) -> list[list[Span]]:
        """Spans for each text of one conversation: a name found in one message is also a name in the
        others ("Patient: Thaddeus Quimby" ... "Quimby called back"), so placeholders stay consistent.
        Texts seen before (earlier turns of the conversation) come from the span cache. With a
        ``deadline``, raises ``DetectionTimeout`` once it has passed."""
        analyses: list[_Analysis] = []
        for t in texts:
            if deadline is not None:
                deadline.check()
            analyses.append(self._analyse(t, deadline))
        keys: frozenset[str] = (
            frozenset().union(*(a.name_keys for a in analyses)) if len(texts) > 1 else frozenset()
        )
        out: list[list[Span]] = []
        for text, analysis in zip(texts, analyses, strict=True):
            spans = list(analysis.spans)
            if keys and "NAME" not in self.disabled:
                extra = [
                    Span(s, e - 2 if text[e - 2 : e] in ("'s", "’s") else e, "NAME", 0.75)
                    for (s, e), k in zip(analysis.tokens, analysis.keys, strict=True)
                    if k in keys
                    and k not in analysis.name_keys
                    and not _covered(spans, s)
                    and not _is_eponym_use(text, s, e)
                ]
                if extra:
                    spans = _resolve([*spans, *extra])
            out.append(spans)
        return out

    def _recall(self, text: str, emit: Emit) -> None:
        """The recall rules (recall.py): shapes the precise rules miss, judged against safe words."""
        recall.recall_candidates(text, emit)

    # -- contact details ------------------------------------------------------------------------------

    def _contact(self, text: str, low: str, words: dict[str, list[int]], emit: Emit, gate: _Gate) -> None:
        r = self.rules
        if "@" in text:
            for m in _emails(text, r.email):
                if m.start() == 0 or not (text[m.start() - 1].isalnum() or text[m.start() - 1] in "._%+-"):
                    emit(m.start(), m.end(), "EMAIL", 0.99)
        if "www." in low or "://" in low:
            for m in r.url_scheme.finditer(text):
                s, e = m.start(), m.end()
                if s > 0 and text[s - 1].isalnum():
                    continue
                while e > s and text[e - 1] in ".,;:!?)]}'\"":
                    e -= 1
                emit(s, e, "URL", 0.95)
        # Every probe starts with "." and holds no other, so no two overlap: one scan finds them all.
        paths = _Paths(text)
        for i in map(_match_start, _TLD_PROBE.finditer(low)):
            after = r.domain_after.match(text, i)
            before = r.domain_before.search(text, max(0, i - 64), i) if after is not None else None
            if after is not None and before is not None:
                s, e = before.start(), paths.end(after.end())
                if (
                    (s == 0 or text[s - 1] not in "@./-")
                    and "." in text[s : i + 1]
                    and not text[s:i].isdigit()
                ):
                    emit(s, max(s, paths.trimmed(e)), "URL", 0.9)
        if text.count(".") >= 3 and _IPV4_GATE.search(text) is not None:
            for m in gate.fast(r.ipv4).finditer(text):
                s = m.start()
                if (s == 0 or not (text[s - 1].isdigit() or text[s - 1] == ".")) and ip_ok(m.group()):
                    emit(s, m.end(), "IP", 0.95)
        if text.count(":") >= 2 and _IPV6_GATE.search(text) is not None:
            for m in r.ipv6.finditer(text):
                s, e = m.start(), m.end()
                if (s > 0 and (text[s - 1].isalnum() or text[s - 1] == ":")) or (
                    e < len(text) and text[e].isalnum()
                ):
                    continue
                if m.group().count(":") >= 2 and ip_ok(m.group()):
                    emit(s, e, "IP", 0.95)
        if (text.count(":") >= 5 or text.count("-") >= 5) and _MAC_GATE.search(text) is not None:
            for m in r.mac.finditer(text):
                if m.start() == 0 or not text[m.start() - 1].isalnum():
                    emit(m.start(), m.end(), "DEVICE", 0.9)
        for m in gate.scan(r.phone_tail, "000 0000", "000-0000", "000.0000", "000\t0000"):
            head = r.phone_head.search(text, max(0, m.start() - 10), m.start())
            if head is None:
                continue
            s, e = head.start(), m.end()
            if s > 0 and (text[s - 1].isalnum() or text[s - 1] in "+-/."):
                continue
            ext = r.phone_ext.match(text, e)
            if ext is not None:
                e = ext.end()
            if _phone_ok(text[s:e], "US"):
                emit(s, e, "PHONE", 0.95)
        if "+" in text:
            for m in r.phone_intl.finditer(text):
                if (m.start() == 0 or not text[m.start() - 1].isalnum()) and _phone_ok(m.group(), None):
                    emit(m.start(), m.end(), "PHONE", 0.9)
        for _, _, m in r.phone_cued.finditer(text, low, words):
            emit(m.start(1), m.end(1), "PHONE", 0.85)

    # -- identifying numbers --------------------------------------------------------------------------

    def _numbers(self, text: str, low: str, words: dict[str, list[int]], emit: Emit, gate: _Gate) -> None:
        r = self.rules
        for m in gate.scan(r.ssn, "000-00-0000", "000 00 0000", "000-00 0000", "000 00-0000"):
            s = m.start()
            if (s == 0 or not (text[s - 1].isdigit() or text[s - 1] == "-")) and ssn_ok(m.group()):
                emit(s, m.end(), "SSN", 0.95)
        for _, _, m in r.ssn_cued.finditer(text, low, words):
            emit(m.start(1), m.end(1), "SSN", 0.97)
        for m in gate.scan(r.card, "00000000", "0000 0000", "0000-0000"):
            s = m.start()
            if (s == 0 or not (text[s - 1].isdigit() or text[s - 1] == "-")) and card_ok(m.group()):
                emit(s, m.end(), "ACCOUNT", 0.9)
        for m in gate.scan(r.dea, "AA0000000", "A00000000", classes=True):
            if (m.start() == 0 or not text[m.start() - 1].isalnum()) and dea_ok(m.group()):
                emit(m.start(), m.end(), "LICENSE", 0.9)
        for m in r.vin.finditer(text) if gate.vin() else ():
            if (m.start() == 0 or not text[m.start() - 1].isalnum()) and vin_ok(m.group()):
                emit(m.start(), m.end(), "VEHICLE", 0.95)
        for m in gate.scan(r.mbi, "AA00", classes=True):
            if m.start() == 0 or not text[m.start() - 1].isalnum():
                emit(m.start(), m.end(), "HEALTH_PLAN", 0.9)
        taken: set[int] = set()
        for phrase, i, m in r.labelled.finditer(text, low, words):  # longest phrases first
            kind = _LABEL_KIND[phrase]
            if phrase == "dl" and i > 0 and text[i - 1] == "/":
                continue  # "mg/dL 0.6-1.2": a unit and a reference range, not a driver's licence
            value_start, value_end = m.start(1), m.end(1)
            if value_start in taken:
                continue
            value = text[value_start:value_end]
            if kind == "ZIP" and not _ZIP.fullmatch(value):
                continue
            if phrase == "npi" and not npi_ok(value):
                kind = "ID"  # labelled NPI with a bad check digit: still an identifier, type unsure
            if kind == "ID":
                if _SAFE_CODE.match(value) and phrase in _WEAK_ID_LABELS:
                    continue  # "order E11.9", "ref 99213": clinical codes, not identifiers
                if not _looks_like_identifier(value):
                    continue
                if value.isdigit() and len(value) <= 4 and phrase not in ("id", "identifier", "badge"):
                    continue  # "visit 2019", "room 12": a year or a small count, not an identifier
            taken.add(value_start)
            emit(value_start, value_end, kind, 0.9)
        for m in gate.scan(r.long_number, "0000000"):
            s = m.start()
            if s > 0 and (text[s - 1].isalnum() or text[s - 1] in ".-/"):
                continue
            if not _looks_like_measurement(text, s, m.end()):
                emit(s, m.end(), "ID", 0.6)
        for m in gate.scan(r.mixed_id, "0000"):  # only values with four digits in a row count
            s = m.start()
            if s > 0 and (text[s - 1].isalnum() or text[s - 1] == "-"):
                continue
            value = m.group()
            if _FOUR_DIGITS.search(value) and not _SAFE_CODE.match(value):
                emit(s, m.end(), "ID", 0.6)

    # -- dates and ages -------------------------------------------------------------------------------

    def _dates(self, text: str, low: str, words: dict[str, list[int]], emit: Emit, gate: _Gate) -> None:
        r = self.rules
        if "/" in text or "-" in text or "." in text:
            for m in gate.scan(r.date_numeric, "0/0/", "0/00/", "0.0.", "0.00.", "0-0-", "0-00-"):
                s = m.start()
                if s > 0 and (text[s - 1].isdigit() or text[s - 1] in "/.-"):
                    continue
                a, b = int(m.group(1)), int(m.group(3))
                if plausible_date(a, b) or plausible_date(b, a):
                    if m.group(2) == "." and len(m.group(4)) == 2:
                        continue  # "1.5.10" is a version or a list number, not a date
                    emit(s, m.end(), "DATE", 0.95)
            for m in r.date_iso.finditer(text):
                if m.start() == 0 or not (text[m.start() - 1].isdigit() or text[m.start() - 1] == "-"):
                    emit(m.start(), m.end(), "DATE", 0.95)
        if "/19" in text or "/20" in text:
            for m in gate.scan(r.date_month_year_num, "0/0000"):
                s = m.start()
                if (s == 0 or not (text[s - 1].isdigit() or text[s - 1] in "/.-")) and 1 <= int(
                    m.group(1)
                ) <= 12:
                    emit(s, m.end(), "DATE", 0.8)
        if "/" in text:
            for m in gate.scan(r.date_md_short, "0/0"):
                s = m.start()
                if s > 0 and (text[s - 1].isdigit() or text[s - 1] in "/.-"):
                    continue
                before = low[max(0, s - 24) : s].split()
                if (
                    before
                    and before[-1].strip(":,(") in _DATE_CUE_WORDS
                    and plausible_date(int(m.group(1)), int(m.group(2)))
                ):
                    emit(s, m.end(), "DATE", 0.8)
        for _, _, m in r.date_compact.finditer(text, low, words):
            emit(m.start(1), m.end(1), "DATE", 0.9)
        # Month-name dates: only around the places a month name occurs.
        anchors = _month_positions(text)
        if not anchors:
            return
        done = -1
        for pos in anchors:
            if pos < done:
                continue
            lo, hi = max(0, pos - 24), min(len(text), pos + 32)
            done = hi - 12
            window = text[lo:hi]
            # Most anchors are names ("Marchetti", "Mayo", "Decker"), where no pattern can match: skip
            # those windows (date_the_dth has nothing after its month, so it needs only its "the").
            usable = _month_in_window(text, anchors, lo, hi)
            if not usable and "the" not in window:
                continue
            for pattern in (r.date_mdy, r.date_dmy, r.date_mon_num, r.date_my, r.date_the_dth, r.date_md):
                if ("the" not in window) if pattern is r.date_the_dth else not usable:
                    continue
                for m in pattern.finditer(window):
                    if m.start() > 0 and window[m.start() - 1].isalpha():
                        continue
                    if (
                        pattern is r.date_md
                        and m.group().startswith(("May", "MAY"))
                        and _may_is_verb(window, m.start())
                    ):
                        continue
                    emit(lo + m.start(), lo + m.end(), "DATE", 0.95)

    def _ages(self, text: str, low: str, emit: Emit) -> None:
        for m in self.rules.age_number.finditer(text):
            s, e = m.start(), m.end()
            if s > 0 and (text[s - 1].isalnum() or text[s - 1] in ".-/"):
                continue
            between_commas = text[e : e + 1] in (",", ")") and _AGE_AFTER_NAME.search(text, max(0, s - 4), s)
            if _AGE_SUFFIX.match(text, e) or _AGE_PREFIX.search(low, max(0, s - 12), s) or between_commas:
                emit(s, e, "AGE", 0.9)

    # -- geography and facilities ---------------------------------------------------------------------

    def _places(
        self,
        text: str,
        low: str,
        words: dict[str, list[int]],
        emit: Emit,
        gate: _Gate,
        tokens: list[tuple[int, int]],
        keys: list[str],
    ) -> None:
        r = self.rules
        for m in _street_matches(text, gate.fast(r.street), tokens, keys, gate.shape):
            if (m.start() == 0 or not text[m.start() - 1].isalnum()) and not _street_is_dose(text, m):
                emit(m.start(), m.end(), "ADDRESS", 0.9)
                tail = r.address_tail.match(text, m.end())
                if tail is not None:  # "..., Boise, 83702": the city and ZIP that follow a street
                    emit(tail.start(1), tail.end(1), "LOCATION", 0.85)
                    emit(tail.start(2), tail.end(2), "ZIP", 0.9)
        for _, i, m in r.po_box.finditer(text, low, words):
            emit(i, m.end(), "ADDRESS", 0.9)
        for phrase, i, m in r.rural.finditer(text, low, words):
            if phrase in ("rr", "hc") and "box" not in m.group().lower():
                continue  # "RR 18" is a respiratory rate
            if phrase in ("route", "rte", "rte.") and text[i].islower():
                continue  # "route of administration"
            emit(i, m.end(), "ADDRESS", 0.85)
        # "City, ST [ZIP]" and "City, State"
        if "," in text:
            for m in r.state_after_comma.finditer(text):
                state = m.group(1)
                if state not in lexicon.US_STATES and state not in _STATE_NAME_SET:
                    state = state.split()[0]
                    if state not in lexicon.US_STATES and state not in _STATE_NAME_SET:
                        continue
                state_end = m.start(1) + len(state)
                z = r.zip_after.match(text, state_end)
                if z is None and state in _CREDENTIAL_STATES:
                    continue  # "Jane Roe, MD" / ", PA": a credential, unless a ZIP follows
                self._city_before(text, m.start(), emit)
                if z is not None:
                    emit(z.start(1), z.end(1), "ZIP", 0.95)
        for m in gate.scan(r.state_zip, "00000"):
            if m.group(1) in lexicon.US_STATES and (m.start() == 0 or not text[m.start() - 1].isalnum()):
                emit(m.start(2), m.end(2), "ZIP", 0.9)
                self._city_before(text, m.start(), emit)
        word_start = word_end = -1  # the last whitespace-delimited word looked up (county words in it)
        for _, i, _m in r.county.finditer(text, low, words):
            if not text[i].isupper():
                continue
            window_lo = max(0, i - 40)
            before = r.place_before.search(text, window_lo, i)
            if before is not None:
                place = _trim_place(
                    text, before.start(1), i + len("county") if low.startswith("county", i) else i
                )
                # The end of the word that holds the county word (what low[i:].split()[0] gave, which
                # copied and split the rest of the text for every county word: quadratic).
                if not word_start <= i < word_end:
                    word = _NON_SPACE.match(low, i)
                    word_start, word_end = i, word.end() if word is not None else i
                end = word_end
                if place is not None:
                    emit(place[0], end, "LOCATION", 0.85)
        for city in _CITY_WORDS.intersection(words):
            for i in words[city]:
                j = i + len(city)
                if text[i].isupper() and (j >= len(low) or not low[j].isalpha()):
                    emit(i, j, "LOCATION", 0.7)
        for _, _, m in r.place_label.finditer(text, low, words):
            place = _trim_place(text, m.start(1), m.end(1))
            if place is not None:
                emit(place[0], place[1], "LOCATION", 0.8)
        for _, _, m in r.place_cue.finditer(text, low, words):
            place = _trim_place(text, m.start(1), m.end(1))
            if place is not None:
                emit(place[0], place[1], "LOCATION", 0.75)
        self._facilities(text, low, words, emit)

    def _city_before(self, text: str, end: int, emit: Emit) -> None:
        m = self.rules.place_before.search(text, max(0, end - 40), end)
        if m is not None:
            city = _trim_place(text, m.start(1), m.end(1))
            if city is not None:
                emit(city[0], city[1], "LOCATION", 0.85)

    def _facilities(self, text: str, low: str, words: dict[str, list[int]], emit: Emit) -> None:
        r = self.rules
        seen: set[int] = set()
        for first in _FACILITY_FIRST.keys() & words.keys():
            for phrase, i in [(phrase, i) for phrase in _FACILITY_FIRST[first] for i in words[first]]:
                j = i + len(phrase)
                if (
                    i not in seen
                    and text[i].isupper()
                    and low.startswith(phrase, i)
                    and (j >= len(low) or not low[j].isalpha())
                ):
                    seen.add(i)
                    kind = r.facility_kind.match(text, i)
                    if kind is not None:
                        end = kind.end()
                        before = r.facility_before.search(text, max(0, i - 80), i)
                        start = before.start(1) if before is not None else i
                        of = r.facility_of.match(text, end)
                        if of is not None:
                            end = of.end()
                        span = _named_facility(text, start, end) if before is not None else None
                        if span is None and of is not None:
                            span = (i, end)
                        if span is not None:
                            emit(span[0], span[1], "FACILITY", 0.85)

    # -- names ----------------------------------------------------------------------------------------

    def _names(
        self,
        text: str,
        low: str,
        words: dict[str, list[int]],
        emit: Emit,
        tokens: list[tuple[int, int]],
        keys: list[str],
        runs: list[tuple[int, int]],
    ) -> None:
        """Emits NAME spans, from ``_cap_runs``' capitalised words too."""
        r = self.rules
        names: list[tuple[int, int, float]] = []
        for m in r.title_name.finditer(text):
            if m.start() > 0 and text[m.start() - 1].isalpha():
                continue
            span = _trim_name(text, m.start(1), m.end(1), keep_first=True)
            if span is not None:
                names.append((span[0], span[1], 0.95))
        for phrase, _, m in r.cue_name.finditer(text, low, words):
            span = _trim_name(text, m.start(2), m.end(2), keep_first=False)
            if span is not None and self._cue_name_ok(text, phrase, m.group(1), span):
                strong = phrase not in _WEAK_CUES or (m.group(1) or "").strip() == ":"
                names.append((span[0], span[1], 0.85 if strong else 0.7))
        for m in r.last_first.finditer(text):
            if m.group(1) is None or (m.start() > 0 and text[m.start() - 1].isalpha()):
                continue  # (group 1 None: a run of name characters where no "Last, First" starts)
            last, first = _key(m.group(1)), _key(m.group(2))
            known = (last in lexicon.SURNAMES or last in self.extra_names) and (
                first in lexicon.FIRST_NAMES or first in self.extra_names
            )
            header = r.after_name.match(text, m.end()) is not None or text[m.end() : m.end() + 3].strip()[
                :1
            ] in ("|", "(")
            if (known or header) and _titlecase_tokens(text, (m.start(), m.end())):
                names.append((m.start(), m.end(), 0.85))
        # Only runs holding a lexicon name can yield a lexicon name: one set intersection finds them,
        # instead of a per-token Python check in every run (most runs are one non-name word).
        lexicon_hits = self._name_words.intersection(keys)
        # A run whose last four words are all common words yields no context name: ``_trim_name``
        # drops every one of them (its pieces are the run's words: only blanks, or ". " after an
        # initial, separate them, and their keys are the same), so such runs skip the regexes.
        uncommon = set(keys).difference(_NOT_NAME)
        n = len(text)
        for i, j in runs:
            if lexicon_hits and not lexicon_hits.isdisjoint(keys[i:j]):
                self._lexicon_names(text, tokens, keys, i, j, names)
            if uncommon.isdisjoint(keys[j - 4 if j - i > 4 else i : j]):
                continue
            start, end = tokens[i][0], tokens[j - 1][1]
            # Cheap character tests before the two regexes: what follows can start ``after_name``
            # (its possible first characters, exactly), a dash signature is possible.
            after = end < n and (text[end] in _AFTER_NAME_FIRST or text[end].isdecimal())
            dash = (end == n or text[end] == "\n") and _has_dash(text, start)
            if after or dash:
                self._context_names(text, start, end, names, after=after, dash=dash)
        names = [name for name in names if not recall.role_title(text, name[0], name[1])]
        if names:
            for s, e, score in names:
                emit(s, e, "NAME", score)
            self._propagate(text, tokens, keys, names, emit)

    def _context_names(
        self, text: str, start: int, end: int, out: list[tuple[int, int, float]], *, after: bool, dash: bool
    ) -> None:
        """A run of capitalised words followed by a reporting verb, credentials or demographics
        ("Cyprian Ashworth reports", "R. Oyelaran, MD", "Xiadani (age 6)"), or after a dash signature.
        ``after`` / ``dash``: whether either is possible at all (cheap tests made by the caller)."""
        r = self.rules
        after_m = r.after_name.match(text, end) if after else None
        dash = dash and r.dash_before.search(text, max(0, start - 4), start) is not None
        if after_m is None and not dash:
            return
        tokens = [m.span() for m in _NON_SPACE.finditer(text, start, end)]
        tokens = tokens[-4:]
        span = _trim_name(text, tokens[0][0], tokens[-1][1], keep_first=False)
        if span is None or span[1] - span[0] < 2 or not _titlecase_tokens(text, span):
            return  # (one letter alone is an initial or a unit: "x10^9/L 4.0-11.0")
        if (
            after_m is not None
            and after_m.lastgroup == "verb"
            and len(text[span[0] : span[1]].split()) < 2
            and not self._has_name_token(text, span)
        ):
            return
        out.append((span[0], span[1], 0.75))

    def _has_name_token(self, text: str, span: tuple[int, int]) -> bool:
        for tok in text[span[0] : span[1]].replace(",", " ").split():
            k = _key(tok)
            if k in lexicon.FIRST_NAMES or k in lexicon.SURNAMES or k in self.extra_names:
                return True
        return False

    def _cue_name_ok(self, text: str, phrase: str, punct: str | None, span: tuple[int, int]) -> bool:
        weak = phrase in _WEAK_CUES and (punct or "").strip() != ":"
        tokens = text[span[0] : span[1]].replace(",", " ").split()
        if not tokens or not _titlecase_tokens(text, span):
            return False
        if weak:
            # "to Maria", "with Saoirse Anderson": a lexicon name, or a two-word name-shaped phrase.
            return self._has_name_token(text, span) or (
                len(tokens) >= 2 and not _at_sentence_start(text, span[0]) and not _clinical_phrase(tokens)
            )
        return True

    def _lexicon_names(
        self,
        text: str,
        all_toks: list[tuple[int, int]],
        all_keys: list[str],
        first: int,
        stop: int,
        out: list[tuple[int, int, float]],
    ) -> None:
        """Within one run of capitalised words (``all_toks[first:stop]``, keys in ``all_keys``), find
        sub-runs that contain a known first name."""
        toks = all_toks[first:stop]
        keys = all_keys[first:stop]
        # "<Capitalised word> <known surname>": an unknown given name before a surname.
        for j in range(1, len(toks)):
            k = keys[j]
            if (k in lexicon.SURNAMES or k in self.extra_names) and k not in lexicon.COMMON_WORDS:
                ps, pe = toks[j - 1]
                s, e = toks[j]
                prev, cur = text[ps:pe], text[s:e]
                pk = keys[j - 1]
                if (
                    not _eponym_use(text, k, e)
                    and pk not in _NOT_NAME
                    and not prev.isupper()
                    and not cur.isupper()
                    and len(pk) > 1
                    and pk not in lexicon.EPONYMS
                ):
                    out.append((ps, e - 2 if cur.endswith(("'s", "’s")) else e, 0.7))
        i = 0
        while i < len(toks):
            k = keys[i]
            if not ((k in lexicon.FIRST_NAMES or k in self.extra_names) and k not in lexicon.COMMON_WORDS):
                i += 1
                continue
            s, e = toks[i]
            tok = text[s:e]
            if _eponym_use(text, k, e) or (tok.isupper() and len(tok) <= 3):
                i += 1
                continue
            j = i + 1
            while j < len(toks) and j - i < 4:
                if keys[j] in _NOT_NAME or _eponym_use(text, keys[j], toks[j][1]):
                    break
                j += 1
            sub_end = toks[j - 1][1]
            ambiguous = k in lexicon.AMBIGUOUS_FIRST
            if j - i == 1:
                # A lone first name: only unambiguous names, and not a heading word.
                if ambiguous or (tok.isupper() and len(tok) > 1):
                    i += 1
                    continue
                out.append((s, e, 0.7))
            else:
                if ambiguous:
                    nk = keys[i + 1]
                    if nk not in lexicon.SURNAMES and nk not in self.extra_names:
                        i += 1
                        continue
                if text[sub_end - 2 : sub_end] in ("'s", "’s"):
                    sub_end -= 2
                out.append((s, sub_end, 0.8))
            i = j

    def _propagate(
        self,
        text: str,
        tokens: list[tuple[int, int]],
        token_keys: list[str],
        names: list[tuple[int, int, float]],
        emit: Emit,
    ) -> None:
        """A name found once is a name everywhere in the text ("John Smith ... Smith reports")."""
        keys: set[str] = set()
        for s, e, _ in names:
            for tok in text[s:e].split():
                k = _key(tok)
                if len(k) >= 3 and k not in _NOT_NAME and k not in lexicon.AMBIGUOUS_FIRST:
                    keys.add(k)
        if not keys:
            return
        for i in [i for i, k in enumerate(token_keys) if k in keys]:
            s, e = tokens[i]
            if not _eponym_use(text, token_keys[i], e):
                emit(s, e - 2 if text[e - 2 : e] in ("'s", "’s") else e, "NAME", 0.75)


# ---------------------------------------------------------------------------------------------------
# Rule helpers


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


def _phone_ok(candidate: str, region: str | None) -> bool:
    digits = digits_of(candidate.split("x")[0].split("ext")[0])
    if region == "US":
        core = digits[1:] if len(digits) == 11 and digits[0] == "1" else digits
        if len(core) != 10 or core[0] in "01" or core[3] in "01":
            return False
        if "\t" not in candidate and candidate.isascii():
            # What phone_head + phone_tail (+ phone_ext) match is "[+1 ](NXX) NXX-XXXX[ ext]"; once the
            # ten NANP digits pass the checks above, phonenumbers always parses it as a possible US
            # number (10-digit national number), so skip its ~25 us parse. Tabs (phonenumbers rejects
            # them) and non-ASCII digits (e.g. full-width) still go through phonenumbers. Fuzz-tested
            # against phonenumbers in tests/safety/test_phi_fast_paths.py.
            return True
    try:
        number = phonenumbers.parse(candidate, region)
    except phonenumbers.NumberParseException:
        return False
    return bool(phonenumbers.is_possible_number(number))


_MEASURE_AFTER = re.compile(
    r"\s*(?:mg|mcg|g|kg|lb|lbs|ml|l|units?|iu|cells|copies|/|%|x|k\b|mm|cm|ng|pg)", re.I
)


def _looks_like_measurement(text: str, start: int, end: int) -> bool:
    return _MEASURE_AFTER.match(text, end) is not None or text[end : end + 1] == ","


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
_ZIP = re.compile(r"\d{5}(?:-\d{4})?")
_FOUR_DIGITS = re.compile(r"\d\d{3}")
_STATE_NAME_SET = frozenset(lexicon.US_STATES.values())
# Cities known by name alone (parts of multi-word names such as "San" or "Fort" are not cities).
_CITY_WORDS = lexicon.CITIES - frozenset(
    "san los las new fort santa el la st haven york jersey rouge baton worth ana clara cruz monica rosa fe "
    "paso corpus christi diego jose francisco antonio angeles vegas barbara orleans sioux bend mesa irving "
    "jackson charlotte madison columbia quincy concord salem eugene chandler henderson austin providence "
    "mobile dover camden bangor lowell burlington manchester richmond lafayette savannah montgomery".split()
)
_CREDENTIAL_STATES = frozenset(["MD", "PA", "DO", "OT", "PT"])


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

_WEAK_ID_LABELS = frozenset(
    [
        "order",
        "ref",
        "reference",
        "visit",
        "record",
        "file",
        "rx",
        "prescription",
        "req",
        "ticket",
        "requisition",
        "case",
    ]
)


def _looks_like_identifier(value: str) -> bool:
    digits = sum(c.isdigit() for c in value)
    return digits >= 3 or (digits >= 2 and len(value) >= 5)


_MAY_DOSE = re.compile(r"May\s+\d+\s*(?:mg|tabs?|tablets?|times|units|days|weeks|hours|%)")


def _may_is_verb(text: str, start: int) -> bool:
    return _MAY_DOSE.match(text, start, start + 30) is not None


def _street_is_dose(text: str, m: re.Match[str]) -> bool:
    # "3 Tylenol Extra Strength Tabs Daily" never ends in a street suffix, but "2 Puffs Bid Dr" could.
    words = m.group().split()
    return any(_key(w) in ("mg", "mcg", "tablets", "tabs", "puffs", "units") for w in words[1:])


def _trim_place(text: str, start: int, end: int) -> tuple[int, int] | None:
    words = [mm.span() for mm in _NON_SPACE.finditer(text, start, end)]
    while words and (
        _is_common(text[words[0][0] : words[0][1]])
        and _key(text[words[0][0] : words[0][1]])
        not in (
            "new",
            "st",
            "saint",
            "fort",
            "mount",
            "mt",
            "north",
            "south",
            "east",
            "west",
            "san",
            "santa",
            "los",
            "las",
            "el",
            "la",
            "port",
            "lake",
            "grand",
            "little",
            "big",
            "palm",
        )
    ):
        words.pop(0)
    if not words:
        return None
    return (words[0][0], words[-1][1])


def _named_facility(text: str, start: int, end: int) -> tuple[int, int] | None:
    words = [mm.span() for mm in _NON_SPACE.finditer(text, start, end)]
    # Drop leading words that are not part of the name ("Admitted to Mercy Hospital").
    while words and _key(text[words[0][0] : words[0][1]]) in _LEADING_NOT_NAME:
        words.pop(0)
    if not words:
        return None
    names = [text[s:e] for s, e in words]
    if all(_key(w).strip(",") in _GENERIC_FACILITY_WORDS or _key(w) in _NOT_NAME for w in names):
        return None
    return (words[0][0], words[-1][1])


_LEADING_NOT_NAME = frozenset(
    """the a an our your their his her at to from in of for and admitted transferred discharged seen
    followed referred presented returned visit visited called call went go going with by per via
    evaluated treated hospitalized delivered born died expired sent brought""".split()
)


def _resolve(spans: list[_Candidate]) -> list[Span]:
    """Non-overlapping spans: of two overlapping candidates the more confident (then longer) wins,
    and when both are confident the union is kept, so no PHI character is ever dropped."""
    if not spans:
        return []
    spans.sort(key=_start_then_longest)
    out: list[_Candidate] = [spans[0]]
    for span in spans[1:]:
        start, end, kind, score = span
        last_start, last_end, _, last_score = last = out[-1]
        if start >= last_end:
            out.append(span)
            continue
        if end <= last_end:
            if score > last_score and (end - start) * 2 >= (last_end - last_start):
                out[-1] = (last_start, last_end, kind, score)
            continue
        # Partial overlap: keep the union, typed by the more confident one.
        winner = span if score > last_score else last
        out[-1] = (last_start, end, winner[2], max(score, last_score))
    return [Span(*span) for span in out]


def _start_then_longest(span: _Candidate) -> tuple[int, int]:
    return span[0], span[0] - span[1]


def iter_texts_spans(detector: PhiDetector, texts: Iterable[str]) -> Iterator[list[Span]]:
    for text in texts:
        yield detector.detect(text)


_DEFAULT: PhiDetector | None = None


def default_detector() -> PhiDetector:
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = PhiDetector()
    return _DEFAULT


def detect(text: str) -> list[Span]:
    """Spans of PHI in ``text`` with the default detector."""
    return default_detector().detect(text)
