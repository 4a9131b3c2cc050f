# ruff: noqa: E501, SIM905
"""The PHI detector's rule patterns and the word lists they are built from, compiled once per process.

Why a module of its own: the patterns are the detector's vocabulary (month names, street suffixes,
label words and the identifier type each one announces, name cues, facility kinds); the passes in
detector.py only decide what a match means. Each whole-text pattern starts with one character class
or literal so ``re`` skips ahead in C (see ``_Rules``); cue phrases are found with ``str.find``
(``_Cued``) because ``re`` has no multi-string search.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from ai_workers.safety.phi import lexicon, recall

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
                  "biometric id|gait signature|biometric sign-in|biometric login|biometric template|"
                  "biometric sign in"),
    ("ID", "case|claim|accession|specimen|encounter|visit|order|requisition|req|ref|reference|confirmation|"
           "employee id|employee|student id|passport|badge|id|identifier|ticket|tracking|csn|enrollment|study id|"
           "subject id|participant id|record|file|donor id|registry id|prescription|rx|auth|authorization|prior auth|"
           "datix"),
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
_AGE_PREFIX = re.compile(
    r"(?:age[ds]?(?:[ \t]*/[ \t]*(?:sex|gender|g|s))?|aged|turned|turns|turning)[ \t]*[:\-]?[ \t]*\Z"
)  # "Age: 92", "Age/Sex: 97/F", "Age - 96"
# "Ann Lee, 93," "Ann Lee (MRN 4410), 93," "Mrs Lee (96) seen"
_AGE_AFTER_NAME = re.compile(r"(?:[A-Za-zÀ-ÿ][,(]|[A-Za-zÀ-ÿ]{3}[ \t]\(|\),)[ \t]*\Z")
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


# Cities known by name alone (parts of multi-word names such as "San" or "Fort" are not cities).
_CITY_WORDS = lexicon.CITIES - frozenset(
    "san los las new fort santa el la st haven york jersey rouge baton worth ana clara cruz monica rosa fe "
    "paso corpus christi diego jose francisco antonio angeles vegas barbara orleans sioux bend mesa irving "
    "jackson charlotte madison columbia quincy concord salem eugene chandler henderson austin providence "
    "mobile dover camden bangor lowell burlington manchester richmond lafayette savannah montgomery".split()
)
