# ruff: noqa: E501, SIM905, S105
"""PHI detection: compiled regexes + validators + context cues + name lists, in well under a millisecond.

Why not spaCy/Presidio: an NER model costs tens of milliseconds per prompt and hundreds of MB, and its
recall on clinical identifiers (MRNs, DEA numbers, "pt John") is no better than rules written for them
(see bench/bench_phi.py for the side-by-side figures). The rules here are deliberately precise about
clinical text: doses, lab values, ICD-10/CPT codes, eponyms, year-only dates and ages under 90 stay.

Every rule yields candidate spans; overlapping candidates are resolved by score then length. The
detector never logs and never keeps the text it scans.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator

import phonenumbers

from ai_workers.safety.phi import lexicon
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
_PLACE_WORD = r"[A-Z][a-z]+(?:[-'][A-Z]?[a-z]+)?"

_FACILITY_KIND = (
    r"(?:Hospital|Medical Center|Medical Centre|Health Center|Health Centre|Health System|Healthcare|"
    r"Health Care|Clinic|Infirmary|Hospice|Nursing Home|Rehabilitation Center|Rehab Center|"
    r"Surgery Center|Surgical Center|Cancer Center|Cancer Institute|Heart Institute|Urgent Care|"
    r"Family Practice|Family Medicine|Medical Group|Physicians Group|Medical Associates|Care Center|"
    r"Health Clinic|Birthing Center|Dialysis Center|Imaging Center|Behavioral Health|Pediatrics|"
    r"Children's Hospital|Children’s Hospital|Memorial|Sanatorium|Medical Office|Health)"
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
    r"insured|subscriber|policy\s*holder|policyholder|beneficiary|recipient|"
    r"this\s+is|my\s+name\s+is|i\s+am|i'm|from|to|hi|hello|hey)"
)
_CAP_TOKEN = r"(?:[A-Z][A-Za-z]*(?:['’-][A-Za-z]+)*|[A-Z]\.)"
_NAME_SEQ = rf"{_CAP_TOKEN}(?:[ \t]+{_CAP_TOKEN}){{0,3}}"

_CREDENTIALS = (
    r"(?:MD|M\.D\.|DO|D\.O\.|RN|BSN|MSN|NP|FNP|FNP-BC|DNP|PA|PA-C|PhD|Ph\.D\.|LPN|LVN|CNA|PharmD|RPh|"
    r"MSW|LCSW|LMFT|LPC|PsyD|DDS|DMD|OD|DPM|DPT|PT|OT|OTR|RD|RRT|CRNA|CNM|MPH|FACP|FACS|FAAP)"
)

_LABEL_VALUE = r"[\s:#.\-]*(?:(?:no|num|number|nbr|id)\b\.?[\s:#.\-]*)?"
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


class _Rules:
    """All compiled patterns, built once per process (about 10 ms)."""

    def __init__(self) -> None:
        self.email = _compile(r"\b[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}\b")
        self.url = _compile(
            r"\b(?:(?:https?|ftp)://|www\.)[^\s<>\"'()\[\]{}]+"
            r"|\b(?:[a-z0-9\-]+\.)+(?:com|org|net|gov|edu|health|io|us|info|biz|care|clinic|md)\b(?:/[^\s<>\"'()]*)?",
            re.IGNORECASE,
        )
        self.ipv4 = _compile(r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.]*\d)")
        self.ipv6 = _compile(
            r"(?<![\w:])(?:[0-9A-Fa-f]{1,4}:){2,7}(?::|[0-9A-Fa-f]{1,4})(?![\w:])|(?<![\w:])::1\b"
        )
        self.mac = _compile(r"\b[0-9A-Fa-f]{2}(?:[:-][0-9A-Fa-f]{2}){5}\b")
        self.ssn = _compile(r"(?<![\d\-])\d{3}[- ]\d{2}[- ]\d{4}(?![\d\-])")
        self.ssn_cued = _compile(
            r"(?i:\b(?:ssn|ss#|soc(?:ial)?\s+sec(?:urity)?(?:\s+(?:number|no|#))?))[\s:#.\-]*(\d{9}|\d{3}[- .]\d{2}[- .]\d{4})\b"
        )
        self.phone = _compile(
            r"(?<![\w+\-/.])(?:\+?1[\s.\-]?)?(?:\(\d{3}\)[\s.\-]?|\d{3}[\s.\-])\d{3}[\s.\-]\d{4}"
            r"(?:\s*(?:x|ext\.?|extension)\s*\d{1,5})?(?![\w\-/])"
        )
        self.phone_intl = _compile(r"(?<![\w+])\+\d{1,3}(?:[\s.\-]?\(?\d{1,4}\)?){2,5}(?![\w])")
        self.phone_cued = _compile(
            r"(?i:\b(?:phone|ph|tel|telephone|cell|mobile|fax|pager|beeper|call|text|contact|home|work|office)\b"
            r"\s*(?:#|no\.?|number)?\s*[:.\-]?\s*)(\d{10}|\d{3}[.\s\-]\d{4})(?!\d)"
        )
        self.card = _compile(r"(?<![\d\-])\d{4}(?:[ \-]?\d{4}){2}[ \-]?\d{1,7}(?![\d\-])")
        self.dea = _compile(r"\b[A-Z][A-Z9]\d{7}\b")
        self.vin = _compile(r"\b[A-HJ-NPR-Z0-9]{17}\b")
        self.mbi = _compile(
            r"\b[1-9][AC-HJKMNP-RT-Y][AC-HJKMNP-RT-Y0-9]\d-?[AC-HJKMNP-RT-Y][AC-HJKMNP-RT-Y0-9]\d-?"
            r"[AC-HJKMNP-RT-Y]{2}\d{2}\b"
        )
        label_alt = "|".join(f"(?P<{kind}>{pat})" for kind, pat in _LABELS)
        self.labelled = _compile(rf"(?i:\b(?:{label_alt}))(?![A-Za-z]){_LABEL_VALUE}{_ID_VALUE}")
        self.long_number = _compile(r"(?<![\w.\-/])\d{7,}(?![\w.]*\d)")
        self.mixed_id = _compile(
            r"(?<![\w\-])(?=[A-Z0-9\-]*[A-Z])(?=[A-Z0-9\-]*\d{4})[A-Z][A-Z0-9]*-?\d[A-Z0-9\-]*\d(?![\w\-])"
        )
        # Dates
        self.date_numeric = _compile(
            r"(?<![\d/.\-])(\d{1,2})([/.\-])(\d{1,2})\2(\d{4}|\d{2})(?![\d/\-]|\.\d)"
        )
        self.date_iso = _compile(
            r"(?<![\d\-])" + YEAR4 + r"([\-/.])(0?[1-9]|1[0-2])\1(0?[1-9]|[12]\d|3[01])(?![\d])"
        )
        self.date_compact = _compile(
            r"(?i:\b(?:dob|d\.o\.b\.|born|date\s+of\s+birth|birth\s*date)\b)[\s:#\-]*((?:19|20)\d{6})\b"
        )
        self.date_mdy = _compile(rf"\b{MONTH}\s*{DAY}(?:\s*,\s*|\s+|,){YEAR4}\b")
        self.date_dmy = _compile(rf"\b{DAY}(?:\s+of)?[\s\-]+{MONTH}(?:,?[\s\-]+(?:{YEAR4}|\d{{2}}))?\b")
        self.date_md = _compile(rf"\b{MONTH}\s+{DAY}\b(?!\s*(?:mg|mcg|ml|units?|tablets?|%))")
        self.date_my = _compile(rf"\b{MONTH},?\s+(?:of\s+)?{YEAR4}\b")
        self.date_the_dth = _compile(rf"\bthe\s+(?:0?[1-9]|[12]\d|3[01])(?:st|nd|rd|th)\s+of\s+{MONTH}\b")
        self.date_month_year_num = _compile(r"(?<![\d/.\-])(0?[1-9]|1[0-2])/((?:19|20)\d{2})(?![\d/])")
        self.date_md_cued = _compile(
            r"(?i:\b(?:on|since|from|until|till|by|thru|through|to|dos|dob|date|dated|seen|admitted|"
            r"discharged|d/c|adm|visit|appt|appointment|surgery|procedure|started|stopped|last|next|due|"
            r"scheduled|returns?|born|delivered|expired|died|deceased)\b[\s:]*)"
            r"(\d{1,2})/(\d{1,2})(?![\d/]|\.\d)"
        )
        # Ages over 89
        self.age = _compile(
            r"(?i:\b(9\d|1[01]\d)(?=\s*(?:-|\s)?\s*(?:years?|yrs?|y)(?:\s*|-)?(?:old|o\b|/o\b|\.o\.))"
            r"|\b(9\d|1[01]\d)(?=\s*(?:yo|y/o|y\.o\.|yrs?\b|years?\b)\b)"
            r"|\b(?:age[ds]?|aged)\s*:?\s*(9\d|1[01]\d)\b(?!\s*(?:mg|%|kg|lb|bpm|mm))"
            r"|\b(9\d|1[01]\d)(?=\s?(?:M|F|yo[MF]|y\.?o\.?\s?[MF])\b)"
            r"|\b(?:turned|turns|turning)\s+(9\d|1[01]\d)\b)"
        )
        # Geography
        self.street = _compile(
            r"\b\d{1,6}[A-Za-z]?(?:-\d{1,4})?\s+(?:(?:[NSEW]|North|South|East|West|N\.|S\.|E\.|W\.)\s+)?"
            r"(?:(?:[A-Z][A-Za-z'’.\-]*|\d{1,3}(?:st|nd|rd|th))\s+){1,4}"
            + _STREET_SUFFIX
            + r"\b\.?(?:\s+(?:NE|NW|SE|SW|N|S|E|W)\b)?"
            r"(?:,?\s+(?:Apt|Apartment|Unit|Suite|Ste|Rm|Room|Fl|Floor|Bldg|Building|Lot|#)\.?\s*#?\s*[A-Za-z0-9\-]+)?"
        )
        self.po_box = _compile(r"(?i:\b(?:P\.?\s?O\.?\s*Box|Post\s+Office\s+Box)\s+\d+)")
        self.rural = _compile(r"(?i:\b(?:Rural\s+Route|RR|HC)\s*\d+(?:,?\s*Box\s+\d+)?)")
        self.city_state = _compile(
            rf"\b((?:{_PLACE_WORD})(?:[ \-](?:{_PLACE_WORD})){{0,2}}),?\s+({_STATE})\b(?:\.?,?\s+(\d{{5}}(?:-\d{{4}})?)\b)?"
        )
        self.state_zip = _compile(rf"\b(?:{_STATE_ABBR})\s+(\d{{5}}(?:-\d{{4}})?)\b")
        self.county = _compile(
            rf"\b(?:{_PLACE_WORD})(?:\s+{_PLACE_WORD})?\s+(?:County|Parish|Borough|Township)\b"
        )
        self.place_cue = _compile(
            r"(?i:\b(?:lives|living|resides|residing|reside|live|moved|moving|relocated|born|raised|grew\s+up|"
            r"resident|home|house|apartment|travel(?:l?ed|ling|ing)?|trip|visiting|visited|vacation(?:ed|ing)?|"
            r"located|originally|hometown|town|city|village|commute[sd]?|drove|flew|works?|working|employed)"
            r"(?:\s+(?:in|at|to|from|of|near|outside|downtown))+\s+)"
            rf"((?:{_PLACE_WORD})(?:[ \-](?:{_PLACE_WORD})){{0,2}})"
        )
        self.known_city = _compile(
            r"\b(?:"
            + "|".join(sorted((c.capitalize() for c in lexicon.CITIES), key=len, reverse=True))
            + r")\b"
        )
        self.facility = _compile(
            rf"((?:(?:St\.?|Saint|Mount|Mt\.?)\s+)?(?:[A-Z][A-Za-z'’.\-&]*\s+){{1,5}}){_FACILITY_KIND}\b"
            rf"(?:\s+(?:of|at|in)\s+(?:the\s+)?(?:[A-Z][A-Za-z'’.\-]*)(?:\s+[A-Z][A-Za-z'’.\-]*){{0,2}})?"
            rf"|\b{_FACILITY_KIND}\s+of\s+(?:the\s+)?(?:[A-Z][A-Za-z'’.\-]*)(?:\s+[A-Z][A-Za-z'’.\-]*){{0,2}}"
        )
        # Names
        self.title_name = _compile(
            rf"\b(?:Dr|Mr|Mrs|Ms|Miss|Mx|Prof|Doctor|Nurse|Sister|Father|Rev|Pastor|Sgt|Capt|Judge|Officer)\.?[ \t]+({_NAME_SEQ})"
        )
        self.cue_name = _compile(
            rf"(?i:\b{_NAME_CUE_STRONG})(?:[ \t]*[:,\-]|[ \t]+is|[ \t]+was)?[ \t]*(?:\r?\n[ \t]*)?({_NAME_SEQ})"
        )
        self.last_first = _compile(
            r"\b([A-Z][A-Za-z'’\-]+|[A-Z][A-Z'’\-]+),[ \t]*([A-Z][A-Za-z'’\-]+|[A-Z][A-Z'’\-]+)(?:[ \t]+[A-Z]\.?)?(?![A-Za-z])"
        )
        self.signature = _compile(rf"({_NAME_SEQ}),?[ \t]+{_CREDENTIALS}(?![A-Za-z])")
        self.cap_run = _compile(rf"{_CAP_TOKEN}(?:[ \t]+{_CAP_TOKEN})*")
        self.cap_word = _compile(r"[A-Z][A-Za-z]*(?:['’\-][A-Za-z]+)*")


_RULES: _Rules | None = None


def _rules() -> _Rules:
    global _RULES
    if _RULES is None:
        _RULES = _Rules()
    return _RULES


# ---------------------------------------------------------------------------------------------------
# Helpers


def _key(token: str) -> str:
    t = token.lower().rstrip(".")
    if t.endswith(("'s", "’s")):
        t = t[:-2]
    return t


def _is_common(token: str) -> bool:
    return _key(token) in lexicon.COMMON_WORDS


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
    word = _key(text[token_start:token_end])
    if word not in lexicon.EPONYMS:
        return False
    return _EPONYM_FOLLOW.match(text, token_end) is not None or text[token_end : token_end + 2] in (
        "'s",
        "’s",
    )


def _trim_name(text: str, start: int, end: int, *, keep_first: bool) -> tuple[int, int] | None:
    """Cut a captured capitalised sequence down to its name tokens (stop at the first common word)."""
    pieces = [(m.start() + start, m.end() + start) for m in re.finditer(r"\S+", text[start:end])]
    kept: list[tuple[int, int]] = []
    for i, (s, e) in enumerate(pieces):
        tok = text[s:e]
        if not (keep_first and i == 0) and (_is_common(tok) or _is_eponym_use(text, s, e)):
            break
        if i == 0 and not keep_first and _is_common(tok):
            return None
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


# ---------------------------------------------------------------------------------------------------
# The detector


Emit = Callable[[int, int, str, float], None]


class PhiDetector:
    """Finds the 18 Safe Harbor identifiers plus facility names in plain text.

    ``disabled`` drops types an operator decided not to treat as PHI (e.g. FACILITY for an internal
    app). ``extra_names`` adds site-specific names (staff lists) to the first-name/surname lexicon.
    """

    def __init__(self, *, disabled: Iterable[str] = (), extra_names: Iterable[str] = ()) -> None:
        self.disabled = frozenset(disabled)
        self.rules = _rules()
        self.extra_names = frozenset(n.lower() for n in extra_names)

    def detect(self, text: str) -> list[Span]:
        """Every identifier span in ``text``, sorted, non-overlapping."""
        if not text:
            return []
        found: list[Span] = []

        def emit(start: int, end: int, kind: str, score: float) -> None:
            if end > start:
                found.append(Span(start, end, kind, score))

        self._contact(text, emit)
        self._numbers(text, emit)
        self._dates(text, emit)
        self._ages(text, emit)
        self._places(text, emit)
        self._names(text, emit, found)
        spans = _resolve(found)
        if self.disabled:
            spans = [s for s in spans if s.type not in self.disabled]
        return spans

    # -- contact details ------------------------------------------------------------------------------

    def _contact(self, text: str, emit: Emit) -> None:
        r = self.rules
        if "@" in text:
            for m in r.email.finditer(text):
                emit(m.start(), m.end(), "EMAIL", 0.99)
        for m in r.url.finditer(text):
            s, e = m.start(), m.end()
            while e > s and text[e - 1] in ".,;:!?)]}'\"":
                e -= 1
            if "@" in text[max(0, s - 1) : s + 1]:
                continue  # the domain of an email address
            emit(s, e, "URL", 0.95)
        if "." in text:
            for m in r.ipv4.finditer(text):
                if ip_ok(m.group()) and m.group().count(".") == 3:
                    emit(m.start(), m.end(), "IP", 0.95)
        if ":" in text:
            for m in r.ipv6.finditer(text):
                if ip_ok(m.group()):
                    emit(m.start(), m.end(), "IP", 0.95)
            for m in r.mac.finditer(text):
                emit(m.start(), m.end(), "DEVICE", 0.9)
        for m in r.phone.finditer(text):
            if _phone_ok(m.group(), "US"):
                emit(m.start(), m.end(), "PHONE", 0.95)
        if "+" in text:
            for m in r.phone_intl.finditer(text):
                if _phone_ok(m.group(), None):
                    emit(m.start(), m.end(), "PHONE", 0.9)
        for m in r.phone_cued.finditer(text):
            emit(m.start(1), m.end(1), "PHONE", 0.85)

    # -- identifying numbers --------------------------------------------------------------------------

    def _numbers(self, text: str, emit: Emit) -> None:
        r = self.rules
        for m in r.ssn.finditer(text):
            if ssn_ok(m.group()):
                emit(m.start(), m.end(), "SSN", 0.95)
        for m in r.ssn_cued.finditer(text):
            emit(m.start(1), m.end(1), "SSN", 0.97)
        for m in r.card.finditer(text):
            if card_ok(m.group()):
                emit(m.start(), m.end(), "ACCOUNT", 0.9)
        for m in r.dea.finditer(text):
            if dea_ok(m.group()):
                emit(m.start(), m.end(), "LICENSE", 0.9)
        for m in r.vin.finditer(text):
            if vin_ok(m.group()):
                emit(m.start(), m.end(), "VEHICLE", 0.95)
        for m in r.mbi.finditer(text):
            emit(m.start(), m.end(), "HEALTH_PLAN", 0.9)
        for m in r.labelled.finditer(text):
            kind = m.lastgroup or "ID"
            value_start, value_end = m.start(m.lastindex or 0), m.end(m.lastindex or 0)
            kind = next(k for k, _ in _LABELS if m.group(k) is not None)
            value = text[value_start:value_end]
            if kind == "ZIP" and not re.fullmatch(r"\d{5}(?:-\d{4})?", value):
                continue
            if kind == "LICENSE" and m.group("LICENSE").lower() == "npi" and not npi_ok(value):
                kind = "ID"  # labelled NPI with a bad check digit: still an identifier, type unsure
            if _SAFE_CODE.match(value) and kind in ("ID",) and len(digits_of(value)) < 6:
                continue  # "order E11.9", "ref 99213": clinical codes, not identifiers
            if kind == "ID" and not _looks_like_identifier(value):
                continue
            if (
                kind == "ID"
                and value.isdigit()
                and len(value) <= 4
                and m.group("ID").lower() not in ("id", "identifier")
            ):
                continue  # "visit 2019", "room 12": a year or a small count, not an identifier
            emit(value_start, value_end, kind, 0.9)
        for m in r.long_number.finditer(text):
            if not _looks_like_measurement(text, m.start(), m.end()):
                emit(m.start(), m.end(), "ID", 0.6)
        for m in r.mixed_id.finditer(text):
            if not _SAFE_CODE.match(m.group()):
                emit(m.start(), m.end(), "ID", 0.6)

    # -- dates and ages -------------------------------------------------------------------------------

    def _dates(self, text: str, emit: Emit) -> None:
        r = self.rules
        for m in r.date_numeric.finditer(text):
            a, b = int(m.group(1)), int(m.group(3))
            if plausible_date(a, b) or plausible_date(b, a):
                if m.group(2) == "." and len(m.group(4)) == 2:
                    continue  # "1.5.10" is a version or a list number, not a date
                emit(m.start(), m.end(), "DATE", 0.95)
        for m in r.date_iso.finditer(text):
            emit(m.start(), m.end(), "DATE", 0.95)
        for m in r.date_compact.finditer(text):
            emit(m.start(1), m.end(1), "DATE", 0.9)
        for pattern in (r.date_mdy, r.date_dmy, r.date_my, r.date_the_dth, r.date_md):
            for m in pattern.finditer(text):
                if (
                    m.group().startswith(("May", "MAY"))
                    and pattern is r.date_md
                    and _may_is_verb(text, m.start())
                ):
                    continue
                emit(m.start(), m.end(), "DATE", 0.95)
        for m in r.date_month_year_num.finditer(text):
            emit(m.start(), m.end(), "DATE", 0.8)
        for m in r.date_md_cued.finditer(text):
            if plausible_date(int(m.group(1)), int(m.group(2))):
                emit(m.start(1), m.end(2), "DATE", 0.8)

    def _ages(self, text: str, emit: Emit) -> None:
        for m in self.rules.age.finditer(text):
            g = m.lastindex or 0
            emit(m.start(g), m.end(g), "AGE", 0.9)

    # -- geography and facilities ---------------------------------------------------------------------

    def _places(self, text: str, emit: Emit) -> None:
        r = self.rules
        for m in r.street.finditer(text):
            if not _street_is_dose(text, m):
                emit(m.start(), m.end(), "ADDRESS", 0.9)
        for pattern in (r.po_box, r.rural):
            for m in pattern.finditer(text):
                emit(m.start(), m.end(), "ADDRESS", 0.9)
        for m in r.city_state.finditer(text):
            city = _trim_place(text, m.start(1), m.end(1))
            if city is not None:
                emit(city[0], city[1], "LOCATION", 0.85)
            if m.group(3):
                emit(m.start(3), m.end(3), "ZIP", 0.95)
        for m in r.state_zip.finditer(text):
            emit(m.start(1), m.end(1), "ZIP", 0.9)
        for m in r.county.finditer(text):
            place = _trim_place(text, m.start(), m.end())
            if place is not None:
                emit(place[0], place[1], "LOCATION", 0.85)
        for m in r.place_cue.finditer(text):
            place = _trim_place(text, m.start(1), m.end(1))
            if place is not None:
                emit(place[0], place[1], "LOCATION", 0.75)
        for m in r.known_city.finditer(text):
            emit(m.start(), m.end(), "LOCATION", 0.7)
        for m in r.facility.finditer(text):
            span = _named_facility(text, m.start(), m.end())
            if span is not None:
                emit(span[0], span[1], "FACILITY", 0.85)

    # -- names ----------------------------------------------------------------------------------------

    def _names(self, text: str, emit: Emit, found: list[Span]) -> None:
        r = self.rules
        names: list[tuple[int, int, float]] = []
        for m in r.title_name.finditer(text):
            span = _trim_name(text, m.start(1), m.end(1), keep_first=True)
            if span is not None:
                names.append((span[0], span[1], 0.95))
        for m in r.cue_name.finditer(text):
            span = _trim_name(text, m.start(1), m.end(1), keep_first=False)
            if span is not None and self._cue_name_ok(text, m, span):
                names.append((span[0], span[1], 0.85))
        for m in r.signature.finditer(text):
            span = _trim_name(text, m.start(1), m.end(1), keep_first=False)
            if span is not None and self._has_name_token(text, span):
                names.append((span[0], span[1], 0.85))
        for m in r.last_first.finditer(text):
            last, first = _key(m.group(1)), _key(m.group(2))
            if (last in lexicon.SURNAMES or last in self.extra_names) and (
                first in lexicon.FIRST_NAMES or first in self.extra_names
            ):
                names.append((m.start(), m.end(), 0.85))
        for m in r.cap_run.finditer(text):
            self._lexicon_names(text, m.start(), m.end(), names)
        if not names:
            return
        for s, e, score in names:
            emit(s, e, "NAME", score)
        self._propagate(text, names, emit)

    def _has_name_token(self, text: str, span: tuple[int, int]) -> bool:
        for tok in text[span[0] : span[1]].split():
            k = _key(tok)
            if k in lexicon.FIRST_NAMES or k in lexicon.SURNAMES or k in self.extra_names:
                return True
        return False

    def _cue_name_ok(self, text: str, m: re.Match[str], span: tuple[int, int]) -> bool:
        cue = m.group(0)[: m.start(1) - m.start()].strip().lower()
        weak = cue.rstrip(":,-").strip() in (
            "from",
            "to",
            "hi",
            "hello",
            "hey",
            "i am",
            "i'm",
            "this is",
            "thanks",
            "called",
            "named",
            "cc",
            "name",
        )
        tokens = text[span[0] : span[1]].split()
        if not tokens:
            return False
        if weak or len(tokens) == 1:
            # A weak cue or a lone word needs a lexicon name ("to Maria", not "to Cardiology").
            return self._has_name_token(text, span)
        return True

    def _lexicon_names(self, text: str, start: int, end: int, out: list[tuple[int, int, float]]) -> None:
        """Within one run of capitalised words, find sub-runs that contain a known first name."""
        toks = [(m.start() + start, m.end() + start) for m in self.rules.cap_word.finditer(text[start:end])]
        i = 0
        while i < len(toks):
            s, e = toks[i]
            tok = text[s:e]
            k = _key(tok)
            is_first = (k in lexicon.FIRST_NAMES or k in self.extra_names) and k not in lexicon.COMMON_WORDS
            if not is_first or _is_eponym_use(text, s, e) or (tok.isupper() and len(tok) <= 3):
                i += 1
                continue
            j = i + 1
            while j < len(toks) and j - i < 4:
                ts, te = toks[j]
                nt = text[ts:te]
                if _is_common(nt) or _is_eponym_use(text, ts, te):
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
                    nk = _key(text[toks[i + 1][0] : toks[i + 1][1]])
                    if nk not in lexicon.SURNAMES and nk not in self.extra_names:
                        i += 1
                        continue
                if text[sub_end - 2 : sub_end] in ("'s", "’s"):
                    sub_end -= 2
                out.append((s, sub_end, 0.8))
            i = j

    def _propagate(self, text: str, names: list[tuple[int, int, float]], emit: Emit) -> None:
        """A name found once is a name everywhere in the text ("John Smith ... Smith reports")."""
        keys: set[str] = set()
        for s, e, _ in names:
            for tok in text[s:e].split():
                k = _key(tok)
                if len(k) >= 3 and k not in lexicon.COMMON_WORDS and k not in lexicon.AMBIGUOUS_FIRST:
                    keys.add(k)
        if not keys:
            return
        for m in self.rules.cap_word.finditer(text):
            if _key(m.group()) in keys and not _is_eponym_use(text, m.start(), m.end()):
                e = m.end() - 2 if m.group().endswith(("'s", "’s")) else m.end()
                emit(m.start(), e, "NAME", 0.75)


# ---------------------------------------------------------------------------------------------------
# Rule helpers


def _phone_ok(candidate: str, region: str | None) -> bool:
    digits = digits_of(candidate.split("x")[0].split("ext")[0])
    if region == "US":
        core = digits[1:] if len(digits) == 11 and digits[0] == "1" else digits
        if len(core) != 10 or core[0] in "01" or core[3] in "01":
            return False
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


def _looks_like_identifier(value: str) -> bool:
    digits = sum(c.isdigit() for c in value)
    return digits >= 3 or (digits >= 2 and len(value) >= 5)


def _may_is_verb(text: str, start: int) -> bool:
    return bool(
        re.match(
            r"May\s+\d+\s*(?:mg|tabs?|tablets?|times|units|days|weeks|hours|%)", text[start : start + 30]
        )
    )


def _street_is_dose(text: str, m: re.Match[str]) -> bool:
    # "3 Tylenol Extra Strength Tabs Daily" never ends in a street suffix, but "2 Puffs Bid Dr" could.
    words = m.group().split()
    return any(_key(w) in ("mg", "mcg", "tablets", "tabs", "puffs", "units") for w in words[1:])


def _trim_place(text: str, start: int, end: int) -> tuple[int, int] | None:
    words = [(mm.start() + start, mm.end() + start) for mm in re.finditer(r"\S+", text[start:end])]
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
    words = [(mm.start() + start, mm.end() + start) for mm in re.finditer(r"\S+", text[start:end])]
    # Drop leading words that are not part of the name ("Admitted to Mercy Hospital").
    while words and _key(text[words[0][0] : words[0][1]]) in _LEADING_NOT_NAME:
        words.pop(0)
    if not words:
        return None
    names = [text[s:e] for s, e in words]
    if all(_key(w).strip(",") in _GENERIC_FACILITY_WORDS or _key(w) in lexicon.COMMON_WORDS for w in names):
        return None
    return (words[0][0], words[-1][1])


_LEADING_NOT_NAME = frozenset(
    """the a an our your their his her at to from in of for and admitted transferred discharged seen
    followed referred presented returned visit visited called call went go going with by per via
    evaluated treated hospitalized delivered born died expired sent brought""".split()
)


def _resolve(spans: list[Span]) -> list[Span]:
    """Non-overlapping spans: of two overlapping candidates the more confident (then longer) wins,
    and when both are confident the union is kept, so no PHI character is ever dropped."""
    if not spans:
        return []
    spans.sort(key=lambda s: (s.start, -(s.end - s.start)))
    out: list[Span] = [spans[0]]
    for span in spans[1:]:
        last = out[-1]
        if span.start >= last.end:
            out.append(span)
            continue
        if span.end <= last.end:
            if span.score > last.score and (span.end - span.start) * 2 >= (last.end - last.start):
                out[-1] = Span(last.start, last.end, span.type, span.score)
            continue
        # Partial overlap: keep the union, typed by the more confident one.
        winner = span if span.score > last.score else last
        out[-1] = Span(last.start, span.end, winner.type, max(span.score, last.score))
    return out


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
