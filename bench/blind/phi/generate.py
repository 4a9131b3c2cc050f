#!/usr/bin/env python3
"""Deterministic generator for the blind PHI de-identification corpus.

Written from bench/blind/phi/SPEC.md only (no detector code was read).
Usage:  python generate.py            -> rewrites dev.jsonl, test.jsonl, README counts block
Depends on the Python stdlib and Faker only.  All identifiers are synthetic.

Every document is built as a list of segments (text, type-or-None).  Case
transforms and OCR noise are applied per segment *before* concatenation, so the
character offsets of labelled segments are exact by construction.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import re

from faker import Faker

HERE = os.path.dirname(os.path.abspath(__file__))
MASTER_SEED = 20240607
DOCS_PER_KIND = 72
DEV_FRACTION = 0.30

LOCALES = ["en_US", "en_GB", "en_CA", "en_AU", "en_IN"]
TYPES = [
    "NAME",
    "ADDRESS",
    "LOCATION",
    "ZIP",
    "DATE",
    "AGE",
    "PHONE",
    "EMAIL",
    "SSN",
    "MRN",
    "HEALTH_PLAN",
    "ACCOUNT",
    "LICENSE",
    "VEHICLE",
    "DEVICE",
    "URL",
    "IP",
    "BIOMETRIC",
    "ID",
    "FACILITY",
]

# ----------------------------------------------------------------------------
# Document builder
# ----------------------------------------------------------------------------


class Doc:
    def __init__(self):
        self.segs: list[tuple[str, str | None]] = []

    def t(self, s: str):
        if s:
            self.segs.append((s, None))
        return self

    def p(self, s: str, typ: str):
        assert typ in TYPES, typ
        assert s and s == s.strip(), repr(s)
        self.segs.append((s, typ))
        return self

    def add(self, v):
        """v: str (plain) | (text, type) | list of those."""
        if v is None:
            return self
        if isinstance(v, str):
            return self.t(v)
        if isinstance(v, tuple):
            return self.p(v[0], v[1])
        for x in v:
            self.add(x)
        return self

    def f(self, template: str, **kw):
        """Fill a template: {key} is replaced by kw[key] (str/tuple/list)."""
        pos = 0
        for m in re.finditer(r"\{(\w+)\}", template):
            self.t(template[pos : m.start()])
            self.add(kw[m.group(1)])
            pos = m.end()
        self.t(template[pos:])
        return self

    def render(self, mode: str, noise_rng: random.Random | None):
        out, spans, off = [], [], 0
        for s, typ in self.segs:
            if mode == "upper":
                s = s.upper()
            elif mode == "lower":
                s = s.lower()
            if noise_rng is not None:
                s = noisify(s, noise_rng, typ is not None)
            if typ is not None:
                spans.append({"start": off, "end": off + len(s), "type": typ, "text": s})
            out.append(s)
            off += len(s)
        return "".join(out), spans


OCR_SUB = {
    "0": "O",
    "O": "0",
    "1": "l",
    "l": "1",
    "I": "l",
    "5": "S",
    "S": "5",
    "e": "c",
    "m": "rn",
    "8": "B",
    "B": "8",
    "a": "o",
    "i": "l",
    "g": "q",
}


def noisify(s: str, rng: random.Random, is_phi: bool) -> str:
    out = []
    for i, ch in enumerate(s):
        r = rng.random()
        if ch in OCR_SUB and r < (0.04 if is_phi else 0.02):
            out.append(OCR_SUB[ch])
            continue
        if not is_phi:
            if ch == " " and r < 0.03:
                out.append(rng.choice(["  ", "\n", " \n"]))
                continue
            if ch.isalpha() and r < 0.006 and 0 < i < len(s) - 1:
                out.append(ch + " ")
                continue
        out.append(ch)
    return "".join(out)


# ----------------------------------------------------------------------------
# Vocabulary (hand-written; all synthetic / generic)
# ----------------------------------------------------------------------------

TOWNS = {
    "en_US": [
        "Millbrook",
        "Fairview",
        "Cedar Falls",
        "Harlow Springs",
        "Oak Ridge",
        "Greenville",
        "Brookhaven",
        "Maple Grove",
        "Westfield",
        "Lakewood",
        "Riverton",
        "Clarksville",
        "Bellmont",
        "Dunmore",
        "Pine Bluff",
        "Ashland",
        "Kingsport",
        "Sutter Creek",
    ],
    "en_GB": [
        "Stockport",
        "Harrogate",
        "Wigan",
        "Bury St Edmunds",
        "Kidderminster",
        "Ashford",
        "Market Harborough",
        "Thornbury",
        "Whitstable",
        "Keighley",
        "Macclesfield",
        "Loughborough",
        "Morpeth",
        "Tewkesbury",
        "Bridlington",
        "Chorley",
        "Didcot",
    ],
    "en_CA": [
        "Kamloops",
        "Moncton",
        "Red Deer",
        "Saskatoon",
        "Barrie",
        "Lethbridge",
        "Sudbury",
        "Nanaimo",
        "Brandon",
        "Sherbrooke",
        "Peterborough",
        "Timmins",
        "Truro",
        "Cobourg",
    ],
    "en_AU": [
        "Ballarat",
        "Wagga Wagga",
        "Toowoomba",
        "Geelong",
        "Parramatta",
        "Bendigo",
        "Launceston",
        "Mildura",
        "Dubbo",
        "Bunbury",
        "Rockhampton",
        "Shepparton",
        "Orange",
        "Gympie",
        "Warrnambool",
    ],
    "en_IN": [
        "Pune",
        "Nagpur",
        "Mysuru",
        "Coimbatore",
        "Indore",
        "Lucknow",
        "Vadodara",
        "Kochi",
        "Thane",
        "Nashik",
        "Madurai",
        "Jalandhar",
        "Guntur",
        "Hubballi",
        "Udaipur",
    ],
}
NEIGHBOURHOODS = {
    "en_US": ["the Eastgate neighborhood", "North Hollow", "Brick Row", "Garden District"],
    "en_GB": ["Heaton Moor", "Chapel Allerton", "Didsbury", "Jesmond"],
    "en_CA": ["Kitsilano", "Riverdale", "Glebe", "Mill Woods"],
    "en_AU": ["Bondi Junction", "Fitzroy North", "Fortitude Valley", "Glenelg"],
    "en_IN": ["Koregaon Park", "Banjara Hills", "Salt Lake", "Indiranagar"],
}
COUNTIES = {
    "en_US": ["Harlan County", "Marion County", "Dane County", "Polk County", "Kern County"],
    "en_GB": ["Worcestershire", "Shropshire", "North Yorkshire", "Cumbria", "Somerset"],
    "en_CA": ["Simcoe County", "Lanark County", "Kings County"],
    "en_AU": ["Shire of Mornington", "Cairns Region"],
    "en_IN": ["Pune district", "Nashik district", "Ernakulam district"],
}
STREET_ROOTS = [
    "Harlow",
    "Maple",
    "Oakwood",
    "Birch",
    "Willow",
    "Kingsley",
    "Elm",
    "Ashby",
    "Linden",
    "Chestnut",
    "Hawthorn",
    "Mill",
    "Station",
    "Church",
    "Victoria",
    "Beacon",
    "Rosewood",
    "Sycamore",
    "Fernhill",
    "Grange",
    "Orchard",
    "Meadow",
]
STREET_SUFFIX = {
    "en_US": ["St", "Street", "Ave", "Avenue", "Rd", "Drive", "Dr", "Lane", "Ct", "Blvd", "Way"],
    "en_GB": ["Road", "Street", "Lane", "Close", "Crescent", "Gardens", "Avenue", "Way", "Grove"],
    "en_CA": ["Street", "St", "Avenue", "Crescent", "Drive", "Road", "Boulevard"],
    "en_AU": ["Street", "St", "Road", "Rd", "Parade", "Crescent", "Avenue", "Tce", "Court"],
    "en_IN": ["Road", "Marg", "Nagar", "Colony", "Lane", "Chowk"],
}
STATES = {
    "en_US": ["IL", "OH", "PA", "TX", "CA", "NY", "WA", "GA", "MI", "NC", "MN", "OR", "WI"],
    "en_GB": [""],
    "en_CA": ["ON", "BC", "AB", "MB", "NS", "QC", "SK", "NB"],
    "en_AU": ["NSW", "VIC", "QLD", "WA", "SA", "TAS"],
    "en_IN": ["Maharashtra", "Karnataka", "Kerala", "Tamil Nadu", "Gujarat", "Punjab"],
}
COUNTRY = {
    "en_US": "USA",
    "en_GB": "United Kingdom",
    "en_CA": "Canada",
    "en_AU": "Australia",
    "en_IN": "India",
}
SAINTS = ["Mary", "Luke", "Joseph", "Anne", "Michael", "Vincent", "Catherine", "Jude", "Elizabeth"]
ADJ = [
    "Riverside",
    "Lakeside",
    "Hillcrest",
    "Meadowbrook",
    "Greenfield",
    "Oakview",
    "Sunrise",
    "Westgate",
    "Brookside",
    "Pinecrest",
    "Harbourview",
    "Willowdale",
]
IN_FAC = [
    "Sanjeevani",
    "Shanti",
    "Arogya",
    "Jeevan",
    "Sushrut",
    "Dhanvantari",
    "Navjeevan",
    "Sahyadri",
    "Kaveri",
    "Sparsh",
]

DRUGS = [
    ("metoprolol tartrate", "25 mg PO BID"),
    ("lisinopril", "10 mg daily"),
    ("atorvastatin", "40 mg at night"),
    ("metformin", "500 mg BID with meals"),
    ("apixaban", "5 mg BID"),
    ("furosemide", "40 mg IV"),
    ("hydrocodone/acetaminophen", "5/325 mg q6h PRN"),
    ("oxycodone", "5 mg q4h PRN"),
    ("morphine sulfate", "2 mg IV q2h PRN"),
    ("amoxicillin-clavulanate", "875/125 mg BID x 7 days"),
    ("levothyroxine", "75 mcg daily"),
    ("insulin glargine", "18 units at bedtime"),
    ("pantoprazole", "40 mg daily"),
    ("ceftriaxone", "1 g IV q24h"),
    ("enoxaparin", "40 mg SC daily"),
    ("paracetamol", "1 g QDS"),
    ("co-codamol", "30/500, 2 tabs QDS PRN"),
    ("salbutamol", "2 puffs PRN"),
    ("prednisolone", "30 mg OD"),
    ("warfarin", "as per INR"),
    ("amlodipine", "5 mg OD"),
    ("sertraline", "50 mg daily"),
    ("gabapentin", "300 mg TID"),
    ("lorazepam", "0.5 mg PO q8h PRN"),
    ("ondansetron", "4 mg IV PRN"),
    ("vancomycin", "1.25 g IV q12h"),
    ("fentanyl", "25 mcg/h patch"),
]
CONTROLLED = [
    ("oxycodone 5 mg tab", "C-II"),
    ("hydromorphone 2 mg tab", "C-II"),
    ("morphine 10 mg/mL inj", "C-II"),
    ("lorazepam 1 mg tab", "C-IV"),
    ("alprazolam 0.5 mg tab", "C-IV"),
    ("tramadol 50 mg tab", "C-IV"),
    ("fentanyl 50 mcg/mL inj", "C-II"),
    ("diazepam 5 mg tab", "C-IV"),
    ("codeine phosphate 30 mg tab", "CD2"),
    ("methadone 1 mg/mL oral soln", "C-II"),
]
NDCS = [
    "0093-7146-56",
    "0409-1890-01",
    "63304-0827-30",
    "0054-0237-25",
    "68180-0513-01",
    "0781-5180-92",
    "60505-0141-01",
]
ICD10 = [
    ("I21.4", "NSTEMI"),
    ("J18.9", "community-acquired pneumonia"),
    ("N17.9", "acute kidney injury"),
    ("E11.65", "type 2 diabetes with hyperglycaemia"),
    ("I50.23", "acute on chronic systolic heart failure"),
    ("J44.1", "COPD with acute exacerbation"),
    ("K35.80", "acute appendicitis"),
    ("G20", "Parkinson disease"),
    ("I48.91", "atrial fibrillation"),
    ("A41.9", "sepsis, unspecified"),
    ("S72.001A", "fracture of neck of right femur"),
    ("F32.1", "moderate depressive episode"),
    ("C81.90", "Hodgkin lymphoma"),
    ("K50.90", "Crohn's disease"),
    ("G30.9", "Alzheimer disease"),
    ("M06.9", "rheumatoid arthritis"),
    ("E05.00", "Graves disease"),
]
CPT = ["99213", "99223", "71046", "93000", "80053", "85025", "36415", "99285"]
EPONYMS = [
    "Parkinson disease",
    "Glasgow Coma Scale",
    "Apgar",
    "Babinski sign",
    "Foley catheter",
    "Whipple procedure",
    "Cushing syndrome",
    "Hashimoto thyroiditis",
    "Wells score",
    "Murphy's sign",
    "Bell's palsy",
    "Guillain-Barre syndrome",
    "Addison disease",
    "Romberg test",
    "Kernig sign",
    "Swan-Ganz catheter",
    "Barthel index",
    "Morse Fall Scale",
    "Braden score",
    "Epley manoeuvre",
    "Down syndrome",
]
EPONYM_DX = [
    "Parkinson disease",
    "Cushing syndrome",
    "Hashimoto thyroiditis",
    "Bell's palsy",
    "Guillain-Barre syndrome",
    "Addison disease",
    "Down syndrome",
    "Crohn's disease",
    "Hodgkin lymphoma",
    "Graves disease",
    "Alzheimer disease",
    "Meniere disease",
    "Raynaud phenomenon",
]
DEPTS = [
    "Cardiology",
    "ICU",
    "Emergency Department",
    "Oncology",
    "Neurology",
    "Orthopaedics",
    "Radiology",
    "Pharmacy",
    "Acute Medical Unit",
    "Renal",
    "Endocrinology",
    "CCU",
    "Respiratory",
    "General Surgery",
    "Physiotherapy",
    "Social Work",
    "A&E",
    "Geriatrics",
]
ROLES = [
    "the attending",
    "charge nurse",
    "the on-call registrar",
    "night RN",
    "the hospitalist",
    "case manager",
    "the dietitian",
    "PT",
    "OT",
    "pharmacist",
    "the resident",
    "house officer",
    "the consultant",
    "respiratory therapist",
    "ward clerk",
    "the intensivist",
]
LABS = [
    "Na 138",
    "K 4.1",
    "Cl 101",
    "HCO3 24",
    "BUN 18",
    "Cr 1.2",
    "glucose 142",
    "WBC 11.2",
    "Hgb 10.4",
    "Plt 231",
    "INR 2.3",
    "troponin I 0.04",
    "lactate 1.8",
    "CRP 48",
    "eGFR 62",
    "HbA1c 7.9%",
    "TSH 2.1",
    "Mg 1.9",
    "ALT 34",
    "AST 29",
    "BNP 812",
    "procalcitonin 0.6",
    "albumin 3.1",
    "ferritin 212",
]
CLIN_SENT = [
    "Blood pressure 120/80, HR 72, RR 16, SpO2 97% on room air, T 37.1 C.",
    "BP 142/88, pulse 96 and regular, sats 94% on 2 L nasal cannula.",
    "GCS 15 (E4 V5 M6). Pupils equal and reactive.",
    "Apgar scores 8 and 9 at 1 and 5 minutes.",
    "Patient may shower from tomorrow. Will reassess wound at next visit.",
    "Will continue current regimen and review in clinic.",
    "May resume diet as tolerated.",
    "History of Parkinson disease, on carbidopa/levodopa 25/100 mg TID.",
    "Known Crohn's disease, last flare in 2019.",
    "Glasgow Coma Scale 14 on arrival, improved to 15.",
    "Seen by Cardiology; echo shows EF 35%.",
    "Transferred to ICU at 02:15 for closer monitoring.",
    "Discussed with the on-call registrar at 14:00.",
    "Urine output 0.5 mL/kg/h. Fluid balance +1.2 L.",
    "Chest x-ray: no focal consolidation. CPT 71046.",
    "Albumin/creatinine ratio 45 mg/mmol.",
    "Morse Fall Scale 55 - high risk; bed alarm on.",
    "Braden score 14; repositioning every 2 hours.",
    "Negative Babinski sign bilaterally; Romberg test negative.",
    "Wells score 1, D-dimer 0.4, PE unlikely.",
    "Foley catheter removed at 06:00, voided at 10:30.",
    "Patient in room 4B, bed 2, on telemetry.",
    "Moved to bay 3, bed 14 on Ward 7B.",
    "Pain 3/10 after oxycodone 5 mg.",
    "Hb 10.4 g/dL, down from 11.1; no signs of bleeding.",
    "ECG: sinus rhythm, rate 78, QTc 440 ms. CPT 93000.",
    "Case discussed at the multidisciplinary meeting; Oncology to follow.",
    "Physiotherapy reviewed; mobilising with a frame.",
    "Insulin sliding scale per protocol; BM 8.2 mmol/L at 18:00.",
    "NIHSS 2. CT head negative for bleed.",
    "Smoking history 20 pack-years, quit in 2015.",
    "Allergic to penicillin (rash). NKDA otherwise.",
    "Hashimoto thyroiditis, stable on levothyroxine 75 mcg.",
    "Down syndrome; baseline communication via Makaton.",
    "Plan: repeat U&E in the morning, FBC, CRP.",
    "Lab ratio BUN/Cr 15. Anion gap 12.",
    "Dressing changed at 09:00; wound edges well approximated.",
    "Dose of ondansetron 4 mg given at 21:45 with good effect.",
    "Barthel index 60 on admission.",
    "Vaccinated for influenza in 2023.",
]


# ----------------------------------------------------------------------------
# Context: per-document random state + identifier factories
# ----------------------------------------------------------------------------

FAKERS = {loc: Faker(loc) for loc in LOCALES}
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
ONES = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
TENS = {2: "twenty", 3: "thirty", 4: "forty", 5: "fifty", 6: "sixty", 7: "seventy", 8: "eighty", 9: "ninety"}


def words(n: int, gb: bool = False) -> str:
    if n >= 100:
        rest = n - 100
        if rest == 0:
            return "one hundred"
        return "one hundred " + ("and " if gb or rest < 10 else "") + words(rest)
    if n < 20:
        return ONES[n]
    t, o = divmod(n, 10)
    return TENS[t] + ("-" + ONES[o] if o else "")


def ordinal(n: int) -> str:
    if 10 <= n % 100 <= 20:
        return f"{n}th"
    return f"{n}" + {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")


def luhn_digit(num: str) -> str:
    total = 0
    for i, ch in enumerate(reversed(num)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return str((10 - total % 10) % 10)


class Person:
    pass


class Ctx:
    def __init__(self, seed: int, locale: str):
        self.r = random.Random(seed)
        self.loc = locale
        self.fk = FAKERS[locale]
        self.fk.seed_instance(seed)
        self.ref = dt.date(2019, 1, 1) + dt.timedelta(days=self.r.randint(0, 6 * 365))
        self.us = locale == "en_US"

    # -- basic helpers --
    def ch(self, seq):
        return self.r.choice(seq)

    def digits(self, n):
        return "".join(str(self.r.randint(0, 9)) for _ in range(n))

    def letters(self, n):
        return "".join(self.r.choice("ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(n))

    def chance(self, p):
        return self.r.random() < p

    # -- people --
    def person(self, sex=None, older=None) -> Person:
        p = Person()
        p.sex = sex or self.ch("MF")
        p.first = self.fk.first_name_male() if p.sex == "M" else self.fk.first_name_female()
        p.last = self.fk.last_name()
        p.mi = self.ch("ABCDEFGHJKLMNPRSTW")
        if older is None:
            older = self.chance(0.35)
        p.age = self.r.randint(90, 106) if older else self.r.randint(19, 89)
        p.dob = self.ref - dt.timedelta(days=p.age * 365 + self.r.randint(10, 350))
        return p

    def clinician(self):
        p = self.person(older=False)
        return p

    def name(self, p, style=None):
        style = style or self.ch(["fl", "fl", "fl", "lf", "LF", "fml", "il", "flast"])
        if style == "fl":
            s = f"{p.first} {p.last}"
        elif style == "lf":
            s = f"{p.last}, {p.first}"
        elif style == "LF":
            s = f"{p.last.upper()}, {p.first.upper()}"
        elif style == "fml":
            s = f"{p.first} {p.mi}. {p.last}"
        elif style == "il":
            s = f"{p.first[0]}. {p.last}"
        elif style == "first":
            s = p.first
        elif style == "last":
            s = p.last
        else:
            s = f"{p.first} {p.last}"
        return (s, "NAME")

    def dr(self, p, style=None):
        """Clinician mention: title outside span, credentials outside span."""
        style = style or self.ch(["dr", "dr", "drlast", "cred", "lfcred"])
        if style == "dr":
            return [self.ch(["Dr. ", "Dr ", "Dr. "]), self.name(p, self.ch(["fl", "il", "fl"]))]
        if style == "drlast":
            return [self.ch(["Dr. ", "Dr "]), (p.last, "NAME")]
        if style == "cred":
            return [
                self.name(p, self.ch(["fl", "fml"])),
                self.ch([", MD", " MD", ", RN", ", DO", " MBBS", ", NP", " FRCP"]),
            ]
        return [self.name(p, "lf"), self.ch([", MD", " MD", ", RN"])]

    # -- dates --
    def day(self, lo=-30, hi=30):
        return self.ref + dt.timedelta(days=self.r.randint(lo, hi))

    def date(self, d: dt.date, style=None):
        us = self.us
        style = style or self.ch(["num", "num", "num", "num2", "long", "dmy3", "iso", "ord", "mdlong"])
        if style == "num":
            s = f"{d.month:02d}/{d.day:02d}/{d.year}" if us else f"{d.day:02d}/{d.month:02d}/{d.year}"
            if self.chance(0.3):
                s = f"{d.month}/{d.day}/{d.year}" if us else f"{d.day}/{d.month}/{d.year}"
        elif style == "num2":
            s = (
                f"{d.month}/{d.day}/{d.year % 100:02d}"
                if us
                else f"{d.day:02d}.{d.month:02d}.{d.year % 100:02d}"
            )
        elif style == "long":
            s = (
                f"{MONTHS[d.month - 1]} {d.day}, {d.year}"
                if us
                else f"{d.day} {MONTHS[d.month - 1]} {d.year}"
            )
        elif style == "dmy3":
            s = f"{d.day:02d}-{MONTHS[d.month - 1][:3]}-{d.year}"
        elif style == "iso":
            s = d.isoformat()
        elif style == "ord":
            s = (
                f"{MONTHS[d.month - 1]} {ordinal(d.day)}"
                if us or self.chance(0.5)
                else f"{ordinal(d.day)} {MONTHS[d.month - 1]}"
            )
        elif style == "mdlong":
            s = (
                f"{MONTHS[d.month - 1][:3]} {d.day}, {d.year}"
                if us
                else f"{d.day} {MONTHS[d.month - 1][:3]} {d.year}"
            )
        elif style == "md":
            s = f"{d.month}/{d.day}" if us else f"{d.day}/{d.month}"
        elif style == "hl7":
            s = f"{d.year}{d.month:02d}{d.day:02d}"
        elif style == "numpad":
            s = f"{d.month:02d}/{d.day:02d}/{d.year}" if us else f"{d.day:02d}/{d.month:02d}/{d.year}"
        else:
            raise ValueError(style)
        return (s, "DATE")

    # -- ages --
    def age(self, p, style=None, adj=False):
        """Returns segments for an age phrase; labelled only if > 89.
        adj=True restricts to forms that fit 'a ___ woman'."""
        n = p.age
        style = style or self.ch(
            ["yo", "yo", "y/o", "word", "yoc"] if adj else ["yo", "yo", "y/o", "yrs", "aged", "word", "yoc"]
        )
        if style == "word":
            w = words(n, gb=self.loc != "en_US")
            if self.chance(0.5):
                return [(w, "AGE") if n > 89 else w, "-year-old"]
            return [(w, "AGE") if n > 89 else w, " year old"]
        num = (str(n), "AGE") if n > 89 else str(n)
        return {
            "yo": [num, "-year-old"],
            "y/o": [num, " y/o"],
            "yrs": [num, " years old"],
            "aged": ["aged ", num],
            "yoc": [num, "yo"],
        }[style]

    def age_val(self, p):
        return (str(p.age), "AGE") if p.age > 89 else str(p.age)

    # -- location --
    def street(self):
        loc = self.loc
        if self.chance(0.15) and loc != "en_IN":
            s = self.fk.street_address().replace("\n", ", ")
        else:
            num = str(self.r.randint(1, 9999) if loc == "en_US" else self.r.randint(1, 320))
            s = f"{num} {self.ch(STREET_ROOTS)} {self.ch(STREET_SUFFIX[loc])}"
            if loc == "en_IN":
                s = (
                    self.ch(
                        [
                            f"H.No. {self.r.randint(1, 400)}, ",
                            f"Flat {self.r.randint(101, 904)}, ",
                            f"{self.r.randint(1, 99)}/{self.r.randint(1, 400)}, ",
                        ]
                    )
                    + f"{self.ch(STREET_ROOTS)} {self.ch(STREET_SUFFIX[loc])}"
                )
            elif self.chance(0.3):
                unit = {
                    "en_US": ["Apt. ", "Apt ", "Unit ", "Suite ", "#"],
                    "en_GB": ["Flat "],
                    "en_CA": ["Unit ", "Apt "],
                    "en_AU": ["Unit "],
                }[loc]
                u = self.ch(unit) + str(self.r.randint(1, 40))
                if loc == "en_GB":
                    s = f"{u}, {s}"
                elif loc == "en_AU" and self.chance(0.5):
                    s = f"{self.r.randint(1, 20)}/{s}"
                else:
                    s = f"{s} {u}"
        return s

    def town(self):
        if self.chance(0.15) and self.loc in ("en_US", "en_GB"):
            return self.fk.city()
        return self.ch(TOWNS[self.loc])

    def region(self):
        return self.ch(STATES[self.loc])

    def postcode(self):
        loc = self.loc
        if loc == "en_US":
            return self.fk.zipcode_plus4() if self.chance(0.15) else self.fk.zipcode()
        if loc == "en_GB":
            return self.fk.postcode()
        if loc == "en_CA":
            pc = self.fk.postalcode()
            return pc if " " in pc or self.chance(0.3) else pc[:3] + " " + pc[3:]
        if loc == "en_AU":
            return str(self.r.randint(2000, 7999))
        return str(self.r.randint(110001, 855999))

    def addr_parts(self):
        return self.street(), self.town(), self.region(), self.postcode()

    def addr_line(self, sep=", "):
        """Full one-line address -> list of segments."""
        st, tw, rg, pc = self.addr_parts()
        segs = [(st, "ADDRESS"), sep, (tw, "LOCATION")]
        if self.loc == "en_GB":
            segs += [sep, (pc, "ZIP")]
        elif self.loc == "en_IN":
            segs += [sep, rg, " - " if self.chance(0.5) else " ", (pc, "ZIP")]
        else:
            segs += [
                ", " if self.loc == "en_US" else sep,
                rg,
                "  " if self.loc == "en_CA" else " ",
                (pc, "ZIP"),
            ]
        return segs

    def addr_block(self):
        """Multi-line letterhead-style address."""
        st, tw, rg, pc = self.addr_parts()
        if self.loc == "en_GB":
            return [(st, "ADDRESS"), "\n", (tw, "LOCATION"), "\n", (pc, "ZIP")]
        if self.loc == "en_IN":
            return [(st, "ADDRESS"), "\n", (tw, "LOCATION"), ", ", rg, " ", (pc, "ZIP")]
        return [(st, "ADDRESS"), "\n", (tw, "LOCATION"), ", ", rg, " ", (pc, "ZIP")]

    # -- phone --
    def phone(self, kind=None):
        loc, r = self.loc, self.r
        if self.chance(0.12):
            s = self.fk.phone_number()
            return (s, "PHONE")
        if loc in ("en_US", "en_CA"):
            a = f"{r.randint(201, 989)}"
            e = f"{r.randint(201, 989)}"
            n = self.digits(4)
            s = self.ch(
                [
                    f"({a}) {e}-{n}",
                    f"{a}-{e}-{n}",
                    f"{a}.{e}.{n}",
                    f"+1 {a} {e} {n}",
                    f"1-{a}-{e}-{n}",
                    f"({a}){e}-{n}",
                ]
            )
            if self.chance(0.15):
                s += self.ch([" x", " ext. ", " ext "]) + self.digits(self.r.randint(3, 4))
        elif loc == "en_GB":
            mob = f"07{r.randint(300, 999)} {self.digits(6)}"
            s = self.ch(
                [
                    mob,
                    f"+44 7{r.randint(300, 999)} {self.digits(3)} {self.digits(3)}",
                    f"(0161) {self.digits(3)} {self.digits(4)}",
                    f"0113 {self.digits(3)} {self.digits(4)}",
                    f"+44 (0)20 {self.digits(4)} {self.digits(4)}",
                    f"020 {self.digits(4)} {self.digits(4)}",
                    f"01{r.randint(200, 999)} {self.digits(6)}",
                ]
            )
            if self.chance(0.1):
                s += " ext " + self.digits(4)
        elif loc == "en_AU":
            s = self.ch(
                [
                    f"04{self.digits(2)} {self.digits(3)} {self.digits(3)}",
                    f"(0{self.ch('2378')}) {self.digits(4)} {self.digits(4)}",
                    f"+61 {self.ch('2378')} {self.digits(4)} {self.digits(4)}",
                    f"+61 4{self.digits(2)} {self.digits(3)} {self.digits(3)}",
                    f"0{self.ch('2378')} {self.digits(4)} {self.digits(4)}",
                ]
            )
        else:
            m = f"{r.choice('6789')}{self.digits(4)}"
            s = self.ch(
                [
                    f"+91 {m} {self.digits(5)}",
                    f"{m} {self.digits(5)}",
                    f"+91-{m}{self.digits(5)}",
                    f"0{r.choice(['22', '80', '20', '40', '44'])}-{self.digits(4)} {self.digits(4)}",
                    f"0{r.choice(['22', '80', '20'])} {self.digits(4)} {self.digits(4)}",
                ]
            )
        return (s, "PHONE")

    def bleep(self):
        return (self.digits(4), "PHONE")

    def email(self, p=None, domain=None):
        p = p or self.person()
        user = (
            self.ch(
                [
                    f"{p.first}.{p.last}",
                    f"{p.first[0]}{p.last}{self.r.randint(1, 99)}",
                    f"{p.first}{p.last[0]}",
                    f"{p.last}.{p.first[0]}",
                ]
            )
            .lower()
            .replace("'", "")
            .replace(" ", "")
        )
        local = {
            "en_US": "example.us",
            "en_GB": "example.co.uk",
            "en_CA": "example.ca",
            "en_AU": "example.com.au",
            "en_IN": "example.in",
        }[self.loc]
        dom = domain or self.ch(
            ["example.com", "example.org", "mail.example.net", "inbox.example.com", local, local]
        )
        return (f"{user}@{dom}", "EMAIL")

    def username(self, p):
        return (
            self.ch(
                [
                    f"{p.first[0]}{p.last}{self.r.randint(1, 9)}",
                    f"{p.first}.{p.last}",
                    f"{p.first}{self.r.randint(10, 99)}",
                    f"{p.last}{p.first[0]}",
                ]
            )
            .lower()
            .replace("'", "")
            .replace(" ", ""),
            "ID",
        )

    # -- national ids (SSN type) --
    def ssn(self):
        loc = self.loc
        if loc == "en_US":
            s = f"{self.r.randint(100, 665):03d}-{self.r.randint(1, 99):02d}-{self.r.randint(1, 9999):04d}"
            if self.chance(0.2):
                s = s.replace("-", " ")
        elif loc == "en_CA":
            s = self.ch(["{} {} {}", "{}-{}-{}"]).format(self.digits(3), self.digits(3), self.digits(3))
        elif loc == "en_GB":
            pre = self.ch("ABCEGHJKLMNPRSTWXYZ") + self.ch("ABCEGHJKLMNPRSTWXYZ")
            d = [self.digits(2) for _ in range(3)]
            sfx = self.ch("ABCD")
            s = f"{pre} {d[0]} {d[1]} {d[2]} {sfx}" if self.chance(0.6) else f"{pre}{''.join(d)}{sfx}"
        elif loc == "en_AU":
            s = f"{self.digits(3)} {self.digits(3)} {self.digits(3)}"
        else:
            s = f"{self.r.randint(2, 9)}{self.digits(3)} {self.digits(4)} {self.digits(4)}"
        return (s, "SSN")

    def ssn_label(self):
        return {"en_US": "SSN", "en_CA": "SIN", "en_GB": "NI No.", "en_AU": "TFN", "en_IN": "Aadhaar"}[
            self.loc
        ]

    # -- record numbers --
    def nhs(self):
        while True:
            d = [self.r.randint(0, 9) for _ in range(9)]
            d[0] = self.r.randint(4, 9)
            c = 11 - sum(x * (10 - i) for i, x in enumerate(d)) % 11
            if c == 11:
                c = 0
            if c != 10:
                s = "".join(map(str, d)) + str(c)
                return f"{s[:3]} {s[3:6]} {s[6:]}"

    def mrn(self):
        if self.loc == "en_GB" and self.chance(0.5):
            return (self.nhs(), "MRN")
        s = self.ch(
            [
                f"{self.digits(4)} {self.digits(4)}",
                f"00{self.digits(6)}",
                self.digits(7),
                f"{self.letters(1)}{self.digits(7)}",
                f"MR-{self.digits(6)}",
                f"{self.digits(3)}-{self.digits(2)}-{self.digits(2)}",
                f"{self.letters(3)}{self.digits(7)}",
                f"UHID{self.digits(8)}" if self.loc == "en_IN" else self.digits(8),
            ]
        )
        return (s, "MRN")

    def mrn_label(self):
        if self.loc == "en_GB":
            return self.ch(["Hosp No:", "MRN:", "Hospital number:", "Unit No."])
        return self.ch(["MRN:", "MRN", "MR#", "Hosp #", "Med Rec No.", "Medical Record Number:", "Chart #"])

    def plan(self):
        loc = self.loc
        if loc == "en_US":
            s = self.ch(
                [
                    f"{self.letters(3)}{self.digits(9)}",
                    f"W{self.digits(9)}",
                    f"{self.r.randint(1, 9)}{self.letters(1)}{self.letters(1)}{self.r.randint(0, 9)}-{self.letters(2)}{self.r.randint(0, 9)}-{self.letters(2)}{self.digits(2)}",
                    f"MCD{self.digits(8)}",
                    f"{self.digits(3)}-{self.digits(2)}-{self.digits(4)}A",
                ]
            )
        elif loc == "en_CA":
            s = self.ch(
                [
                    f"{self.digits(4)}-{self.digits(3)}-{self.digits(3)}-{self.letters(2)}",
                    f"9{self.digits(3)} {self.digits(3)} {self.digits(3)}",
                ]
            )
        elif loc == "en_AU":
            s = f"{self.r.randint(2, 6)}{self.digits(3)} {self.digits(5)} {self.r.randint(1, 9)}"
        elif loc == "en_GB":
            s = self.ch([f"PX-{self.digits(4)}-{self.digits(4)}", f"{self.digits(8)}", f"AX{self.digits(7)}"])
        else:
            s = self.ch(
                [
                    f"PMJAY-{self.letters(2)}{self.digits(7)}",
                    f"ESIC{self.digits(10)}",
                    f"POL/{self.digits(6)}/{self.digits(2)}",
                ]
            )
        return (s, "HEALTH_PLAN")

    def plan_label(self):
        return {
            "en_US": ["Member ID:", "Medicare ID:", "Medicaid #", "Policy #", "Subscriber ID:"],
            "en_CA": ["Health card:", "OHIP #", "PHN:"],
            "en_AU": ["Medicare No.", "Medicare card:"],
            "en_GB": ["Insurer policy no.", "Membership no."],
            "en_IN": ["Insurance policy:", "PMJAY ID:", "ESIC No."],
        }[self.loc]

    def group(self):
        return (f"GRP-{self.digits(6)}", "HEALTH_PLAN")

    def account(self):
        return (
            self.ch(
                [
                    f"{self.digits(10)}",
                    f"{self.digits(4)}-{self.digits(4)}-{self.digits(2)}",
                    f"ACCT{self.digits(8)}",
                    f"{self.digits(3)}{self.letters(2)}{self.digits(5)}",
                    f"000{self.digits(9)}",
                ]
            ),
            "ACCOUNT",
        )

    def dea(self):
        l1 = self.ch("ABFGM")
        l2 = self.ch("ABCDEFGHJKLMNPRSTW")
        d = [self.r.randint(0, 9) for _ in range(6)]
        c = (d[0] + d[2] + d[4] + 2 * (d[1] + d[3] + d[5])) % 10
        return (l1 + l2 + "".join(map(str, d)) + str(c), "LICENSE")

    def npi(self):
        base = "1" + self.digits(8)
        return (base + luhn_digit("80840" + base), "LICENSE")

    def med_license(self):
        loc = self.loc
        s = {
            "en_US": [f"MD{self.digits(6)}", f"A{self.digits(5)}", f"{self.digits(2)}-{self.digits(6)}"],
            "en_GB": [self.digits(7)],
            "en_CA": [self.digits(5)],
            "en_AU": [f"MED000{self.digits(7)}"],
            "en_IN": [f"MCI-{self.digits(5)}", f"KMC {self.digits(5)}"],
        }[loc]
        return (self.ch(s), "LICENSE")

    def med_license_label(self):
        return {
            "en_US": "State license #",
            "en_GB": "GMC No.",
            "en_CA": "CPSO #",
            "en_AU": "AHPRA reg.",
            "en_IN": "Reg. No.",
        }[self.loc]

    def driver(self):
        loc = self.loc
        s = {
            "en_US": [
                f"{self.letters(1)}{self.digits(3)}-{self.digits(4)}-{self.digits(4)}",
                f"{self.letters(1)}{self.digits(7)}",
            ],
            "en_GB": [f"{self.letters(5)}{self.digits(6)}{self.letters(2)}9{self.letters(2)}"],
            "en_CA": [f"{self.letters(1)}{self.digits(4)}-{self.digits(5)}-{self.digits(5)}"],
            "en_AU": [self.digits(8), self.digits(9)],
            "en_IN": [f"MH{self.digits(2)} {self.digits(11)}"],
        }[loc]
        return (self.ch(s), "LICENSE")

    def plate(self):
        loc = self.loc
        s = {
            "en_US": [
                f"{self.r.randint(1, 9)}{self.letters(3)}{self.digits(3)}",
                f"{self.letters(3)}-{self.digits(4)}",
            ],
            "en_GB": [f"{self.letters(2)}{self.digits(2)} {self.letters(3)}"],
            "en_CA": [f"{self.letters(4)} {self.digits(3)}", f"{self.letters(3)}-{self.digits(3)}"],
            "en_AU": [
                f"{self.letters(3)}-{self.digits(3)}",
                f"{self.digits(1)}{self.letters(2)}{self.digits(1)}{self.letters(2)}",
            ],
            "en_IN": [
                f"{self.ch(['MH', 'KA', 'DL', 'TN'])} {self.digits(2)} {self.letters(2)} {self.digits(4)}"
            ],
        }[loc]
        return (self.ch(s), "VEHICLE")

    def vin(self):
        return (self.fk.vin(), "VEHICLE")

    def device(self):
        return (
            self.ch(
                [
                    f"PJN{self.digits(6)}",
                    f"SN-{self.letters(2)}{self.digits(7)}",
                    f"{self.digits(2)}{self.letters(2)}{self.digits(6)}",
                    f"(01)00{self.digits(12)}(21){self.letters(2)}{self.digits(5)}",
                    f"RNH{self.digits(6)}S",
                    f"{self.letters(3)}-{self.digits(4)}-{self.digits(4)}",
                ]
            ),
            "DEVICE",
        )

    def biometric(self):
        return (
            self.ch(
                [
                    f"BT-{self.digits(5)}",
                    f"FP-TPL-{self.digits(7)}",
                    f"RT-{self.digits(5)}-{self.letters(1)}",
                    f"VP{self.digits(6)}",
                    f"BIO-{self.letters(2)}-{self.digits(6)}",
                ]
            ),
            "BIOMETRIC",
        )

    def ident(self, kind):
        y = self.ref.year
        s = {
            "incident": [f"{y}-{self.digits(6)}", f"IR-{self.digits(7)}", f"INC{self.digits(8)}"],
            "run": [f"{y % 100:02d}-{self.digits(6)}", f"EMS-{self.digits(7)}", f"R{self.digits(8)}"],
            "accession": [
                f"ACC-{y % 100:02d}-{self.digits(7)}",
                f"{self.letters(2)}{self.digits(8)}",
                f"A{self.digits(9)}",
            ],
            "specimen": [f"S{y % 100:02d}-{self.digits(5)}", f"SP{self.digits(8)}"],
            "claim": [f"CLM-{self.digits(7)}", f"{self.digits(11)}"],
            "order": [f"ORD-{self.digits(4)}-{self.digits(3)}", f"{self.digits(9)}"],
            "rx": [f"RX{self.digits(7)}", f"{self.digits(7)}", f"{self.digits(3)}-{self.digits(5)}"],
            "report": [f"RPT-{self.digits(5)}", f"{self.letters(3)}{self.digits(6)}"],
            "visit": [f"V{self.digits(8)}", f"ENC-{self.digits(9)}"],
            "ticket": [f"TKT-{self.digits(6)}", f"CASE-{self.digits(7)}"],
        }[kind]
        return (self.ch(s), "ID")

    # -- facilities --
    def facility(self, kind=None):
        loc = self.loc
        kind = kind or self.ch(["hosp", "hosp", "clinic", "nh", "pharm"])
        ln = self.fk.last_name()
        tw = self.ch(TOWNS[loc])
        a = self.ch(ADJ)
        if loc == "en_IN":
            n = self.ch(IN_FAC)
            opts = {
                "hosp": [
                    f"{n} Multispeciality Hospital",
                    f"{tw} Civil Hospital",
                    f"{n} Hospital and Research Centre",
                ],
                "clinic": [f"{n} Clinic", f"{n} Diagnostics", f"Dr. {ln}'s Clinic"],
                "nh": [f"{n} Nursing Home", f"{ln} Nursing Home"],
                "pharm": [f"{n} Medicals", f"{n} Pharmacy", f"{ln} Medical Stores"],
            }
        elif loc == "en_GB":
            opts = {
                "hosp": [
                    f"{tw} Royal Infirmary",
                    f"{tw} General Hospital",
                    f"St {self.ch(SAINTS)}'s Hospital",
                    f"{a} Community Hospital",
                ],
                "clinic": [
                    f"{a} Medical Practice",
                    f"{ln} Road Surgery",
                    f"The {a} Surgery",
                    f"{tw} Health Centre",
                ],
                "nh": [f"{a} House Care Home", f"{a} Lodge Nursing Home"],
                "pharm": [f"{ln} Pharmacy", f"{a} Chemists"],
            }
        elif loc == "en_AU":
            opts = {
                "hosp": [
                    f"{tw} Base Hospital",
                    f"{tw} District Hospital",
                    f"St {self.ch(SAINTS)}'s Private Hospital",
                ],
                "clinic": [f"{a} Medical Centre", f"{tw} Family Medical Practice"],
                "nh": [f"{a} Gardens Aged Care", f"{a} Aged Care Facility"],
                "pharm": [f"{ln} Chemist", f"{a} Pharmacy"],
            }
        elif loc == "en_CA":
            opts = {
                "hosp": [
                    f"{tw} Regional Health Centre",
                    f"St. {self.ch(SAINTS)}'s Hospital",
                    f"{tw} General Hospital",
                ],
                "clinic": [f"{ln} Family Health Team", f"{a} Medical Clinic", f"{a} Community Health Centre"],
                "nh": [f"{a} Manor Long-Term Care", f"{a} Lodge Long Term Care Home"],
                "pharm": [f"{ln} Pharmacy", f"{a} Drug Mart"],
            }
        else:
            opts = {
                "hosp": [
                    f"St. {self.ch(SAINTS)}'s Regional Medical Center",
                    f"{tw} General Hospital",
                    f"Mercy {tw} Hospital",
                    f"{a} Medical Center",
                    f"{tw} Memorial Hospital",
                ],
                "clinic": [
                    f"{a} Family Practice",
                    f"{ln} Family Medicine",
                    f"{tw} Community Health Center",
                    f"{a} Urgent Care",
                ],
                "nh": [f"{a} Nursing Home", f"{a} Skilled Nursing Facility", f"{a} Assisted Living"],
                "pharm": [f"{ln} Pharmacy", f"{a} Drug", f"{a} Apothecary"],
            }
        return (self.ch(opts[kind]), "FACILITY")

    def portal_url(self, fac=None, user=None):
        slug = re.sub(r"[^a-z]", "", (fac or self.ch(ADJ)).lower())[:16] or "health"
        s = self.ch(
            [
                f"https://portal.{slug}.example.org/patient/{self.digits(6)}",
                f"https://mychart.{slug}-health.example.com/MyChart/Messages?id={self.digits(7)}",
                f"www.{slug}.example.com",
                f"http://{slug}.example.net/records/{self.digits(5)}",
                f"https://{slug}.example.co.uk/appointments",
            ]
        )
        return (s, "URL")

    def ip(self):
        return (self.fk.ipv4() if self.chance(0.75) else self.fk.ipv6(), "IP")

    # -- clinical text (never PHI) --
    def clin(self, n=2):
        return " ".join(self.r.sample(CLIN_SENT, n))

    def drug(self):
        d, dose = self.ch(DRUGS)
        return f"{d} {dose}"

    def labs(self, n=4):
        return ", ".join(self.r.sample(LABS, n))

    def icd(self):
        c, t = self.ch(ICD10)
        return c, t

    def relation(self, sex=None):
        return self.ch(
            [
                "son",
                "daughter",
                "wife",
                "husband",
                "partner",
                "brother",
                "sister",
                "niece",
                "nephew",
                "granddaughter",
                "grandson",
                "neighbour" if self.loc != "en_US" else "neighbor",
                "friend",
                "carer" if self.loc != "en_US" else "caregiver",
            ]
        )

    def relative(self, rel):
        """A person whose sex fits the relation word; occasionally a word-like first name."""
        sex = {
            "son": "M",
            "husband": "M",
            "brother": "M",
            "nephew": "M",
            "grandson": "M",
            "daughter": "F",
            "wife": "F",
            "sister": "F",
            "niece": "F",
            "granddaughter": "F",
        }.get(rel)
        p = self.person(sex=sex, older=False)
        if self.chance(0.06):
            p.first = self.ch(
                {
                    "M": ["Will", "Bill", "Ray", "Mark", "Jack"],
                    "F": ["May", "Hope", "Faith", "Grace", "Rose", "June"],
                }[p.sex]
            )
        return p

    def time(self):
        return f"{self.r.randint(0, 23):02d}:{self.ch(['00', '15', '30', '45', '05', '20', '50'])}"


# ----------------------------------------------------------------------------
# Common fragments
# ----------------------------------------------------------------------------


def rel_sentence(c: Ctx, d: Doc, pt):
    """A sentence with a first-name-only relative after a relation word."""
    rel = c.relation(pt.sex)
    rp = c.relative(rel)
    tpl = c.ch(
        [
            "{Poss} {rel} {n} visited this afternoon. ",
            "Lives near {town} with {rel} {n}. ",
            "{Rel} {n} at bedside. ",
            "Lives with {rel} {n} in {town}. ",
            "Spoke with {rel} {n} by phone ({ph}). ",
            "{Rel} {n} is the main carer and lives nearby in {town}. ",
            "Patient's {rel}, {n} {ln}, is next of kin. ",
            "{Rel} ({n}) updated re: plan. ",
            "Collateral history from {rel} {n}. ",
            "Moved here from {town} to be near {rel} {n}. ",
        ]
    )
    d.f(
        tpl,
        rel=rel,
        Rel=rel.capitalize(),
        n=(rp.first, "NAME"),
        Poss="Her" if pt.sex == "F" else "His",
        town=(c.town(), "LOCATION"),
        ph=c.phone(),
        ln=(rp.last, "NAME"),
    )


def extra_ids(c: Ctx, d: Doc, pt=None, n=None):
    """Sentences carrying the rarer identifier types (device, vehicle, biometric, IP, SSN, ...)."""
    pt = pt or c.person()
    opts = [
        lambda: d.f(
            "{dv} serial {sn}, last interrogated {dd}. ",
            dv=c.ch(
                [
                    "Pacemaker",
                    "Dual-chamber pacemaker",
                    "ICD",
                    "Insulin pump",
                    "CGM transmitter",
                    "Loop recorder",
                ]
            ),
            sn=c.device(),
            dd=c.date(c.day(-200, -1), c.ch(["num", "md", "dmy3"])),
        ),
        lambda: d.f(
            "Implant UDI {u} recorded in theatre log. ",
            u=(f"(01){c.digits(14)}(17){c.digits(6)}(21){c.letters(1)}{c.digits(5)}", "DEVICE"),
        ),
        lambda: d.f("Arrived by private car, registration {pl}. ", pl=c.plate()),
        lambda: d.f("Security noted vehicle VIN {v} left in the ambulance bay. ", v=c.vin()),
        lambda: d.f("Biometric template ID {b} enrolled for medication cabinet access. ", b=c.biometric()),
        lambda: d.f("Retina scan template {b} on file for identity check. ", b=c.biometric()),
        lambda: d.f("Record viewed remotely from IP {ip}. ", ip=c.ip()),
        lambda: d.f("{l}: {v}. ", l=c.ssn_label(), v=c.ssn()),
        lambda: d.f("{l} {v} (verified). ", l=c.ch(c.plan_label()), v=c.plan()),
        lambda: d.f("Billing account {a}. ", a=c.account()),
        lambda: d.f("Photo ID: driver's licence {v}. ", v=c.driver()),
        lambda: d.f("Patient portal {u}, username {un}. ", u=c.portal_url(), un=c.username(pt)),
        lambda: d.f("Contact e-mail {e}. ", e=c.email(pt)),
        lambda: d.f(
            "Specimen {sp} ({n}) sent to lab. ", sp=c.ident("specimen"), n=c.name(pt, c.ch(["lf", "fl"]))
        ),
        lambda: d.f(
            "{n} ({ml} {m}) discussed at huddle. ",
            n=c.name(pt, c.ch(["fl", "LF"])),
            ml=c.mrn_label().rstrip(":"),
            m=c.mrn(),
        ),
        lambda: d.f(
            "Previously admitted {a} - {b} at {f}. ",
            a=c.date(c.day(-300, -200), "md"),
            b=c.date(c.day(-199, -150), "md"),
            f=c.facility("hosp"),
        ),
        lambda: d.f("Claim {cl} submitted; order {o}. ", cl=c.ident("claim"), o=c.ident("order")),
    ]
    for i in c.r.sample(range(len(opts)), n or c.r.randint(1, 2)):
        opts[i]()


def hard_neg(c: Ctx):
    """Plain sentences with many non-PHI look-alikes."""
    code, term = c.icd()
    opts = [
        f"Dx: {term} ({code}). ",
        f"NDC {c.ch(NDCS)} dispensed. ",
        f"Billing CPT {c.ch(CPT)}. ",
        f"Started {c.drug()}. ",
        f"Labs: {c.labs()}. ",
        f"Referred to {c.ch(DEPTS)}. ",
        f"Reviewed by {c.ch(ROLES)} at {c.time()}. ",
        f"{c.ch(EPONYM_DX)} noted in history. ",
        f"{c.ch(EPONYMS)} documented. ",
        f"Age {c.r.randint(20, 89)} at diagnosis in {c.r.randint(1995, 2018)}. ",
        c.clin(1) + " ",
    ]
    return "".join(c.r.sample(opts, 2))


# ----------------------------------------------------------------------------
# Document kinds.  Each takes (ctx, doc, phi: bool).
# ----------------------------------------------------------------------------


def k_discharge(c: Ctx, d: Doc, phi: bool):
    pt = c.person()
    adm = c.day(-20, -3)
    dis = adm + dt.timedelta(days=c.r.randint(2, 14))
    code, term = c.icd()
    hdr = c.ch(["DISCHARGE SUMMARY", "Discharge Summary", "HOSPITAL DISCHARGE SUMMARY"])
    if phi:
        fac = c.facility("hosp")
        att, pcp = c.clinician(), c.clinician()
        ds = c.ch(["num", "long", "dmy3", "iso", "numpad"])
        d.add([fac, "\n", hdr, "\n\n"])
        d.f(
            "Patient: {n}    {ml} {m}\nDOB: {dob}    Age: {age}\nAdmission date: {a}    Discharge date: {b}\n"
            "Attending: {att}\nPCP: {pcp}\n\n",
            n=c.name(pt, c.ch(["LF", "lf", "fl"])),
            ml=c.mrn_label(),
            m=c.mrn(),
            dob=c.date(pt.dob, ds),
            age=c.age_val(pt),
            a=c.date(adm, ds),
            b=c.date(dis, ds),
            att=c.dr(att, "cred"),
            pcp=c.dr(pcp, "dr"),
        )
        if c.chance(0.3):
            d.add([c.ssn_label(), ": ", c.ssn(), "\n\n"])
    else:
        d.t(f"{hdr}\n\nLength of stay: {(dis - adm).days} days\nService: {c.ch(DEPTS)}\n\n")
    c2, t2 = c.icd()
    d.t(f"PRINCIPAL DIAGNOSIS: {term} ({code})\nSECONDARY: {t2} ({c2})\n\n")
    d.t("HISTORY / HOSPITAL COURSE:\n")
    if phi:
        (
            d.add(
                [
                    "The patient is a ",
                    c.age(pt, adj=True),
                    f" {'man' if pt.sex == 'M' else 'woman'} with {c.ch(EPONYM_DX)} who presented on ",
                ]
            ),
        )
        d.add(c.date(adm, c.ch(["md", "ord", "long"])))
        d.t(f" with {term}. ")
        if c.chance(0.4):
            d.f(
                "Inpatient stay {a} - {b} on {dep}. ",
                a=c.date(adm, "md"),
                b=c.date(dis, "md"),
                dep=c.ch(DEPTS),
            )
    else:
        d.t(
            f"The patient is a {c.r.randint(22, 89)}-year-old with {c.ch(EPONYM_DX)} who presented with {term}. "
        )
    d.t(c.clin(3) + " ")
    if phi and c.chance(0.6):
        rel_sentence(c, d, pt)
    d.t(hard_neg(c))
    if phi and c.chance(0.7):
        extra_ids(c, d, pt)
    d.t("\n\nDISCHARGE MEDICATIONS:\n")
    for _ in range(c.r.randint(3, 6)):
        d.t(f"- {c.drug()}\n")
    d.t(f"\nLabs at discharge: {c.labs(5)}.\n\nFOLLOW-UP:\n")
    if phi:
        fu = c.clinician()
        clinic = c.facility("clinic")
        d.f(
            "Follow up with {dr} at {cl} on {fd} at {tm}. Call {ph} to confirm.\n",
            dr=c.dr(fu, "dr"),
            cl=clinic,
            fd=c.date(dis + dt.timedelta(days=c.r.randint(5, 30)), c.ch(["md", "num", "ord", "long"])),
            tm=c.time(),
            ph=c.phone(),
        )
        if c.chance(0.4):
            d.f("Home health to visit at {addr}.\n", addr=c.addr_line())
        d.f(
            "\nElectronically signed: {att} {sd} {tm}\n",
            att=c.name(att, c.ch(["fl", "lf"])),
            sd=c.date(dis, c.ch(["num", "iso"])),
            tm=c.time(),
        )
    else:
        d.t(
            f"Follow up with {c.ch(DEPTS)} clinic in {c.r.randint(1, 6)} weeks. GP to repeat bloods in 1 week.\n"
            f"Discharged at {c.time()} in stable condition.\n"
        )


def k_nursing(c: Ctx, d: Doc, phi: bool):
    pt = c.person()
    t0 = c.time()
    if phi:
        d.f(
            c.ch(["{t} pt {n} ", "NURSING NOTE {dt} {t}\nPt: {n} ", "{dt} {t} - RN note - {n} "]),
            t=t0,
            n=c.name(pt, c.ch(["fl", "lf", "last"])),
            dt=c.date(c.ref, c.ch(["md", "num", "num2"])),
        )
        if c.chance(0.5):
            d.add(["(", c.age_val(pt), c.ch(["yo) ", "y) ", " y/o) "])])
        else:
            d.add(["age ", c.age_val(pt), ", "])
        d.t(
            c.ch(
                ["resting in bed. ", "seen on rounds. ", "awake and alert, oriented x3. ", "c/o mild pain. "]
            )
        )
        nurse = c.clinician()
        d.f(
            c.ch(["seen by dr {d1}, ", "dr {d1} aware, ", "d/w {d1} (hospitalist), "]),
            d1=(c.ch([nurse.last, f"{nurse.first} {nurse.last}"]), "NAME"),
        )
        rel = c.relation(pt.sex)
        rp = c.relative(rel)
        d.f(
            c.ch(
                [
                    "{rel} {n} at bedside. ",
                    "{rel} {n} called, updated. ",
                    "{rel} {n} visiting, brought clothes. ",
                ]
            ),
            rel=rel,
            n=(rp.first, "NAME"),
        )
        if c.chance(0.5):
            d.f("{rel} can be reached at {ph}. ", rel=rel, ph=c.phone())
        d.t(c.clin(2) + " " + hard_neg(c))
        if c.chance(0.3):
            extra_ids(c, d, pt, 1)
        if c.chance(0.35):
            d.f("pt says she is from {town} originally. ", town=(c.town(), "LOCATION"))
        if c.chance(0.3):
            d.f("bleep {b} for night team. ", b=c.bleep())
        d.t(f"\n{c.time()} ")
        d.t(c.ch(["vss, no acute distress. ", "call bell in reach, bed low. ", "tolerating diet. "]))
        d.add(["signed ", c.name(c.clinician(), c.ch(["fl", "il"])), c.ch([" RN", ", RN", " SN", ""])])
        if c.chance(0.3):
            d.f(" {dt}", dt=c.date(c.ref, "num"))
        d.t("\n")
    else:
        d.t(f"{t0} pt resting, {c.clin(1).lower()} ")
        d.t(f"seen by {c.ch(ROLES)}, plan unchanged. {hard_neg(c)}")
        d.t(
            f"\n{c.time()} {c.clin(2)} family updated by phone per pt request. "
            f"pt may mobilise with {c.ch(['frame', 'stick', 'assist x1'])}. will monitor.\n"
        )


def k_progress(c: Ctx, d: Doc, phi: bool):
    pt = c.person()
    code, term = c.icd()
    if phi:
        d.f(
            "PROGRESS NOTE - {dep}\nDate of service: {ds}\nPatient: {n} ({ml} {m})\n\n",
            dep=c.ch(DEPTS),
            ds=c.date(c.ref),
            n=c.name(pt),
            ml=c.mrn_label().rstrip(":"),
            m=c.mrn(),
        )
    else:
        d.t(f"PROGRESS NOTE - {c.ch(DEPTS)}\nHospital day {c.r.randint(2, 12)}\n\n")
    d.t("S: ")
    if phi:
        d.add(c.age(pt))
        d.t(f" {'M' if pt.sex == 'M' else 'F'} with {term}, ")
    else:
        d.t(f"{c.r.randint(25, 89)}{c.ch(['M', 'F'])} with {term}, ")
    d.t(c.ch(["feeling better today. ", "reports ongoing dyspnoea. ", "slept poorly overnight. "]))
    if phi and c.chance(0.5):
        rel_sentence(c, d, pt)
    d.t(f"\nO: {c.clin(2)}\nLabs: {c.labs(5)}.\n")
    d.t(f"A/P: {term} ({code}). {c.clin(1)} Continue {c.drug()}. {hard_neg(c)}")
    if phi and c.chance(0.6):
        extra_ids(c, d, pt)
    d.t("\n")
    if phi:
        w = c.clinician()
        d.add(["Seen and discussed with ", c.dr(w, c.ch(["dr", "drlast"])), f" ({c.ch(DEPTS)}). "])
        if c.loc == "en_US" and c.chance(0.4):
            d.f(
                c.ch(
                    [
                        "Patient's SSN ending {ss} verified for insurance. ",
                        "Last four of SSN {ss} confirmed. ",
                    ]
                ),
                ss=(c.digits(4), "SSN"),
            )
        d.add(
            ["\n", c.dr(c.clinician(), "cred"), ", pager ", c.bleep() if c.chance(0.5) else c.phone(), "\n"]
        )
    else:
        d.t(f"Discussed with {c.ch(ROLES)}.\n")


def k_hp(c: Ctx, d: Doc, phi: bool):
    pt = c.person()
    code, term = c.icd()
    if phi:
        d.f(c.ch(["HISTORY AND PHYSICAL\n", "H&P - {fac}\n"]), fac=c.facility("hosp"))
        d.f(
            "NAME: {n}\n{ml} {m}\nDOB.......{dob}\nAGE ...... {age}\n"
            + ("{sl}....... {ss}\n" if c.chance(0.3) else "")
            + "DATE OF ADMISSION: {adm}\n\n",
            sl=c.ssn_label().upper(),
            ss=c.ssn(),
            n=c.name(pt, c.ch(["LF", "fl"])),
            ml=c.mrn_label(),
            m=c.mrn(),
            dob=c.date(pt.dob, "numpad"),
            age=c.age_val(pt),
            adm=c.date(c.ref),
        )
        d.add(
            [
                "CHIEF COMPLAINT: ",
                term,
                "\n\nHPI: ",
                c.name(pt, "fl"),
                " is a ",
                c.age(pt, adj=True),
                f" with a history of {c.ch(EPONYM_DX)} and {c.ch(ICD10)[1]} who presents with {term}. ",
            ]
        )
        d.t(c.clin(2) + "\n\n")
        d.t(f"PMH: {c.ch(ICD10)[1]}; {c.ch(EPONYM_DX)}; appendectomy in {c.r.randint(1960, 2015)}.\n")
        d.t(f"MEDS: {c.drug()}; {c.drug()}; {c.drug()}.\n")
        d.t("SOCIAL HISTORY: ")
        tpl = c.ch(
            [
                "Lives at {addr} with {rel} {n}. ",
                "Lives alone in {town}; {rel} {n} checks in daily. ",
                "Retired teacher from {town}, lives in {nb} with her {rel} {n}. ",
                "Resident of {fac2} in {town}. ",
            ]
        )
        d.f(
            tpl,
            addr=c.addr_line(),
            rel=c.relation(pt.sex),
            n=(c.person().first, "NAME"),
            town=(c.town(), "LOCATION"),
            nb=(c.ch(NEIGHBOURHOODS[c.loc]), "LOCATION"),
            fac2=c.facility("nh"),
        )
        d.t(f"Former smoker, quit {c.r.randint(1980, 2020)}. Alcohol socially.\n")
        d.t(
            f"FAMILY HISTORY: Mother had {c.ch(EPONYM_DX)} at age {c.r.randint(50, 89)}; father died at {c.r.randint(55, 89)} of MI.\n"
        )
        d.t(f"\nEXAM: {c.clin(3)}\n\nASSESSMENT/PLAN: {term} ({code}). {hard_neg(c)}")
        if c.chance(0.7):
            extra_ids(c, d, pt)
        d.t("\n")
        d.add(
            [
                "\n",
                c.dr(c.clinician(), c.ch(["cred", "lfcred"])),
                "  ",
                c.med_license_label(),
                " ",
                c.med_license(),
                "\n",
            ]
        )
    else:
        d.t(
            f"HISTORY AND PHYSICAL\n\nCHIEF COMPLAINT: {term}\n\nHPI: {c.r.randint(30, 89)}-year-old with "
            f"{c.ch(EPONYM_DX)} presenting with {term}. {c.clin(2)}\n\nPMH: {c.ch(ICD10)[1]}.\nMEDS: {c.drug()}; {c.drug()}.\n"
            f"SOCIAL: lives with spouse; independent with ADLs. Quit smoking in {c.r.randint(1990, 2020)}.\n"
            f"EXAM: {c.clin(3)}\nA/P: {term} ({code}). {hard_neg(c)}\n"
        )


def k_ems(c: Ctx, d: Doc, phi: bool):
    pt = c.person()
    unit = f"{c.ch(['Medic', 'Ambulance', 'Rescue', 'Unit'])} {c.r.randint(1, 60)}"
    times = sorted(c.time() for _ in range(4))
    if phi:
        d.f(
            "EMS PATIENT CARE REPORT\nRun #: {run}   Incident # {inc}\nDate: {dt}   Unit: " + unit + "\n",
            run=c.ident("run"),
            inc=c.ident("incident"),
            dt=c.date(c.ref, c.ch(["num", "iso", "numpad"])),
        )
        d.f(
            "Dispatched {a}  On scene {b}  Transport {c1}  At destination {d1}\n",
            a=times[0],
            b=times[1],
            c1=times[2],
            d1=times[3],
        )
        d.f("Incident location: {addr}\n", addr=c.addr_line())
        d.f(
            "Patient: {n}   DOB {dob}   Age {age}   Sex {s}\n",
            n=c.name(pt, c.ch(["LF", "lf"])),
            dob=c.date(pt.dob, "numpad"),
            age=c.age_val(pt),
            s=pt.sex,
        )
        if c.chance(0.4):
            d.f(
                "Vehicle involved: {col} sedan, plate {pl}, VIN {vin}. ",
                col=c.ch(["silver", "blue", "white"]),
                pl=c.plate(),
                vin=c.vin(),
            )
        d.add(
            [
                "\nNARRATIVE: Called to residence for ",
                c.ch(["fall", "shortness of breath", "chest pain", "altered mental status"]),
                ". Found ",
                c.age(pt, adj=True),
                f" {'male' if pt.sex == 'M' else 'female'} ",
                c.ch(["seated in chair", "on floor of kitchen", "in bed"]),
                ". ",
            ]
        )
        rl = c.relation()
        rp = c.relative(rl)
        d.f(
            "{rel} {n} on scene states pt has hx of {ep}. ",
            rel=rl.capitalize(),
            n=(rp.first, "NAME"),
            ep=c.ch(EPONYM_DX),
        )
        d.t(c.clin(2) + f" GCS {c.r.randint(9, 15)}. BGL {c.r.randint(4, 14)}.{c.r.randint(0, 9)} mmol/L. ")
        if c.chance(0.6):
            extra_ids(c, d, pt)
        d.f("Transported to {fac} without incident.\n", fac=c.facility("hosp"))
        d.add(
            [
                "Crew: ",
                c.name(c.clinician(), c.ch(["fl", "lf", "il"])),
                c.ch([" (Paramedic)", " EMT-P"]),
                "; ",
                c.name(c.clinician(), c.ch(["fl", "il"])),
                " EMT-B\n",
            ]
        )
    else:
        d.t(
            f"EMS PATIENT CARE REPORT\nUnit: {unit}\nDispatched {times[0]}  On scene {times[1]}  Transport {times[2]}\n"
            f"NARRATIVE: Unknown adult approx {c.r.randint(3, 8)}0s found at public transit station. {c.clin(2)} "
            f"GCS {c.r.randint(9, 15)}. {hard_neg(c)}Transported to nearest Emergency Department. Care handed to triage RN.\n"
        )


def k_pharmacy(c: Ctx, d: Doc, phi: bool):
    if phi:
        d.f("CONTROLLED SUBSTANCE DISPENSING LOG - {fac}\n", fac=c.facility("pharm"))
        d.f(
            "Pharmacist in charge: {n}   {ll} {lic}\n\n",
            n=c.name(c.clinician(), "fl"),
            ll=c.med_license_label() if c.chance(0.3) else "Licence #",
            lic=c.med_license(),
        )
        d.t(
            f"{'DATE':<12}{'TIME':<7}{'PATIENT':<26}{'RX#':<12}{'DRUG':<30}{'SCH':<6}{'QTY':>4}  {'PRESCRIBER':<22}DEA\n"
        )
        bal = c.r.randint(100, 300)
        for i in range(c.r.randint(3, 7)):
            pt = c.person()
            pr = c.clinician()
            drug, sch = c.ch(CONTROLLED)
            qty = c.r.choice([10, 20, 28, 30, 60])
            bal -= qty
            ds = c.date(c.day(-10, 0), "numpad")
            nm = c.name(pt, "LF")
            rx = c.ident("rx")
            prn = c.name(pr, c.ch(["LF", "il"]))
            dea = c.dea()
            d.add(
                [
                    ds,
                    " " * max(1, 12 - len(ds[0])),
                    c.time(),
                    "  ",
                    nm,
                    " " * max(1, 26 - len(nm[0])),
                    rx,
                    " " * max(1, 12 - len(rx[0])),
                    f"{drug:<30}{sch:<6}{qty:>4}  ",
                    prn,
                    " " * max(1, 22 - len(prn[0])),
                    dea,
                    "\n",
                ]
            )
        d.t(f"\nNDC ref: {c.ch(NDCS)}. Count verified at {c.time()} by 2 staff. {hard_neg(c)}\n")
    else:
        d.t("CONTROLLED SUBSTANCE STOCK RECONCILIATION - Ward stock\n\n")
        d.t(f"{'DRUG':<30}{'SCH':<6}{'NDC':<16}{'OPEN':>6}{'IN':>6}{'OUT':>6}{'CLOSE':>7}\n")
        for drug, sch in c.r.sample(CONTROLLED, c.r.randint(3, 7)):
            o, i_, out = c.r.randint(20, 200), c.r.randint(0, 100), c.r.randint(0, 60)
            d.t(f"{drug:<30}{sch:<6}{c.ch(NDCS):<16}{o:>6}{i_:>6}{out:>6}{o + i_ - out:>7}\n")
        d.t(
            f"\nCount completed at {c.time()} by charge nurse and pharmacist. Discrepancies: none. Year-end audit {c.r.randint(2019, 2025)}.\n"
        )


def k_referral(c: Ctx, d: Doc, phi: bool):
    fac = c.facility(c.ch(["clinic", "hosp"]))
    gp, cons, pt = c.clinician(), c.clinician(), c.person()
    d.add([fac, "\n"])
    d.add(c.addr_block())
    d.add(["\nTel: ", c.phone(), c.ch(["   Fax: ", "\nFax: "]), c.phone(), "\n"])
    if c.chance(0.5):
        d.add([c.ch(["Web: ", ""]), c.portal_url(fac[0])])
        d.t("\n")
    d.add(["\n", c.date(c.ref, c.ch(["long", "num", "mdlong"])), "\n\n"])
    d.add([c.ch(["Dr ", "Dr. "]), c.name(cons, "fl"), "\n", c.ch(DEPTS), "\n", c.facility("hosp"), "\n"])
    d.add(c.addr_block())
    d.add(["\n\nDear ", c.ch(["Dr ", "Dr. "]), (cons.last, "NAME"), ",\n\n"])
    d.add(
        [
            "Re: ",
            c.name(pt, c.ch(["fl", "fml"])),
            ", DOB ",
            c.date(pt.dob, "numpad"),
            ", ",
            c.mrn_label().rstrip(":"),
            " ",
            c.mrn(),
            "\n",
        ]
    )
    d.add(["Address: ", *c.addr_line(), "\n\n"])
    code, term = c.icd()
    d.add(
        [
            "Thank you for seeing this ",
            c.age(pt, adj=True),
            f" {'gentleman' if pt.sex == 'M' else 'lady'} with {term} ({code}). ",
        ]
    )
    d.t(c.clin(2) + " ")
    rel_sentence(c, d, pt)
    d.t(f"Current medication: {c.drug()}; {c.drug()}. {hard_neg(c)}")
    if c.chance(0.5):
        extra_ids(c, d, pt)
    d.t("\n")
    d.add(
        [
            "I would be grateful if you could review her at your earliest convenience. "
            if pt.sex == "F"
            else "I would be grateful for your opinion. ",
            "She may be contacted on " if pt.sex == "F" else "He may be contacted on ",
            c.phone(),
            ".\n\n",
        ]
    )
    d.add(
        [
            "Yours sincerely,\n\n",
            c.dr(gp, c.ch(["cred", "dr"])),
            "\n",
            c.ch(["General Practitioner", "Family Physician", "GP Partner"]),
            "\n",
        ]
    )
    if c.chance(0.5):
        d.add([c.med_license_label(), " ", c.med_license(), "\n"])
    if c.chance(0.4):
        d.add(["cc: ", c.name(pt, "fl"), " (patient)\n"])


def k_lab(c: Ctx, d: Doc, phi: bool):
    tests = c.r.sample(
        [
            ("Sodium", "138", "mmol/L", "135-145"),
            ("Potassium", "5.6 H", "mmol/L", "3.5-5.1"),
            ("Creatinine", "1.4 H", "mg/dL", "0.6-1.2"),
            ("Glucose", "212 H", "mg/dL", "70-99"),
            ("Hemoglobin", "10.2 L", "g/dL", "12.0-16.0"),
            ("WBC", "7.8", "x10^9/L", "4.0-11.0"),
            ("Platelets", "231", "x10^9/L", "150-400"),
            ("INR", "2.6", "", "2.0-3.0"),
            ("TSH", "2.10", "mIU/L", "0.40-4.00"),
            ("HbA1c", "7.9 H", "%", "4.0-5.6"),
            ("ALT", "34", "U/L", "7-56"),
            ("Albumin/Creatinine ratio", "45 H", "mg/mmol", "<3"),
            ("Troponin I", "0.04", "ng/mL", "<0.04"),
            ("CRP", "48 H", "mg/L", "<5"),
        ],
        c.r.randint(4, 8),
    )
    if phi:
        pt = c.person()
        d.add(
            [
                c.facility("hosp"),
                " - ",
                c.ch(["Clinical Laboratory", "Pathology Department", "Core Lab"]),
                "\n",
            ]
        )
        d.f(
            "Accession: {acc}   Specimen ID: {sp}\nPatient: {n}   DOB: {dob}   Sex: {s}\n{ml} {m}\n",
            acc=c.ident("accession"),
            sp=c.ident("specimen"),
            n=c.name(pt, c.ch(["LF", "lf"])),
            dob=c.date(pt.dob, "numpad"),
            s=pt.sex,
            ml=c.mrn_label(),
            m=c.mrn(),
        )
        col = c.day(-5, 0)
        d.f(
            "Collected: {a} {t1}   Received: {b} {t2}\nOrdering provider: {o}\n\n",
            a=c.date(col, "numpad"),
            t1=c.time(),
            b=c.date(col, "numpad"),
            t2=c.time(),
            o=c.dr(c.clinician(), c.ch(["cred", "lfcred"])),
        )
    else:
        d.t(f"CLINICAL LABORATORY - QC / reference sample\nRun performed at {c.time()}\n\n")
    d.t(f"{'TEST':<28}{'RESULT':<10}{'UNITS':<10}REF RANGE\n")
    for n, v, u, rr in tests:
        d.t(f"{n:<28}{v:<10}{u:<10}{rr}\n")
    if phi:
        if c.chance(0.4):
            d.t("\nNote: ")
            extra_ids(c, d, pt, 1)
        d.add(
            [
                "\nCritical value (K 5.6) phoned to ",
                c.ch(ROLES) if c.chance(0.5) else c.name(c.clinician(), "fl"),
                f" at {c.time()}, read back. Verified by ",
                c.name(c.clinician(), c.ch(["il", "fl"])),
                ", MLS.\n",
            ]
        )
    else:
        d.t(f"\nComment: specimen haemolysed; potassium may be falsely elevated. CPT {c.ch(CPT)}.\n")


def k_radiology(c: Ctx, d: Doc, phi: bool):
    exam = c.ch(
        [
            "CT CHEST WITH CONTRAST",
            "MRI BRAIN WITHOUT CONTRAST",
            "XR CHEST PA AND LATERAL",
            "US ABDOMEN COMPLETE",
            "CT HEAD WITHOUT CONTRAST",
            "CT ABDOMEN/PELVIS",
        ]
    )
    if phi:
        pt = c.person()
        d.f(
            "RADIOLOGY REPORT\n{fac}\nExam: "
            + exam
            + "\nAccession #: {acc}\nPatient: {n}  {ml} {m}  DOB {dob}\nExam date: {ed} {t}\n",
            fac=c.facility("hosp"),
            acc=c.ident("accession"),
            n=c.name(pt, c.ch(["LF", "fl"])),
            ml=c.mrn_label(),
            m=c.mrn(),
            dob=c.date(pt.dob, "numpad"),
            ed=c.date(c.ref, "numpad"),
            t=c.time(),
        )
        d.add(
            [
                "Referring: ",
                c.dr(c.clinician()),
                "\n\nCLINICAL HISTORY: ",
                c.age(pt),
                f" with {c.ch(ICD10)[1]}.\n",
            ]
        )
        d.add(
            [
                "COMPARISON: ",
                c.ch(["CT ", "Prior study ", "Radiograph "]),
                c.date(c.day(-400, -30), c.ch(["numpad", "md", "long"])),
                ".\n",
            ]
        )
        if c.chance(0.5):
            d.f(
                "Note: {dv} in situ, serial number {sn}; MR conditional per manufacturer.\n",
                dv=c.ch(["dual-chamber pacemaker", "ICD", "cochlear implant", "spinal cord stimulator"]),
                sn=c.device(),
            )
    else:
        d.t(
            f"RADIOLOGY REPORT\nExam: {exam}\nCLINICAL HISTORY: {c.r.randint(20, 89)}-year-old with {c.ch(ICD10)[1]}.\nCOMPARISON: None.\n"
        )
    d.t(
        c.ch(
            [
                "\nFINDINGS: No acute intracranial haemorrhage. Ventricles normal in size. Mild small vessel ischaemic change.\n",
                "\nFINDINGS: 8 mm nodule in the right upper lobe (series 3, image 42). No pleural effusion. Heart size normal.\n",
                "\nFINDINGS: Gallbladder contains multiple calculi; positive sonographic Murphy's sign. CBD 4 mm.\n",
                "\nFINDINGS: Bibasal atelectasis. No pneumothorax. Swan-Ganz catheter tip in the right pulmonary artery.\n",
            ]
        )
    )
    d.t(
        f"IMPRESSION: {c.ch(['No acute abnormality.', 'Findings consistent with acute cholecystitis.', 'Indeterminate pulmonary nodule; follow-up CT in 3 months per Fleischner criteria.'])}\n"
    )
    if phi:
        rd = c.clinician()
        d.add(
            [
                "\nDictated by: ",
                c.dr(rd, c.ch(["dr", "cred"])),
                "\nSigned: ",
                c.date(c.ref, c.ch(["numpad", "iso"])),
                f" {c.time()}\n",
            ]
        )
        if c.chance(0.4):
            extra_ids(c, d, pt, 1)
            d.t("\n")
        if c.chance(0.3):
            d.add(["Results communicated to ", c.dr(c.clinician(), "drlast"), f" by phone at {c.time()}.\n"])
    else:
        d.t(f"\nReported by consultant radiologist. CPT {c.ch(CPT)}.\n")


def k_csv(c: Ctx, d: Doc, phi: bool):
    if phi:
        variant = c.ch(["patients", "visits", "billing"])
        if variant == "patients":
            with_ssn = c.chance(0.4)
            d.t(
                ("ssn," if with_ssn else "")
                + "mrn,last_name,first_name,dob,sex,street,city,zip,phone,email\n"
            )
            for _ in range(c.r.randint(3, 8)):
                pt = c.person()
                st, tw, _rg, pc = c.addr_parts()
                if with_ssn:
                    d.add([c.ssn(), ","])
                d.add(
                    [
                        c.mrn(),
                        ",",
                        (pt.last, "NAME"),
                        ",",
                        (pt.first, "NAME"),
                        ",",
                        c.date(pt.dob, c.ch(["iso", "numpad"])),
                        ",",
                        pt.sex,
                        ",",
                        '"',
                        (st, "ADDRESS"),
                        '",',
                        (tw, "LOCATION"),
                        ",",
                        (pc, "ZIP"),
                        ",",
                        c.phone(),
                        ",",
                        c.email(pt),
                        "\n",
                    ]
                )
        elif variant == "visits":
            d.t("visit_id,patient_name,age,admit_date,discharge_date,dept,icd10,attending,facility\n")
            for _ in range(c.r.randint(3, 8)):
                pt = c.person()
                a = c.day(-60, 0)
                code, _ = c.icd()
                d.add(
                    [
                        c.ident("visit"),
                        ',"',
                        c.name(pt, c.ch(["LF", "lf"])),
                        '",',
                        c.age_val(pt),
                        ",",
                        c.date(a, "iso"),
                        ",",
                        c.date(a + dt.timedelta(days=c.r.randint(1, 9)), "iso"),
                        f',{c.ch(DEPTS)},{code},"',
                        c.name(c.clinician(), "lf"),
                        '",',
                        c.facility("hosp"),
                        "\n",
                    ]
                )
        else:
            d.t("claim_no,account,member_id,group,patient,service_date,cpt,amount\n")
            for _ in range(c.r.randint(3, 8)):
                pt = c.person()
                d.add(
                    [
                        c.ident("claim"),
                        ",",
                        c.account(),
                        ",",
                        c.plan(),
                        ",",
                        c.group(),
                        ',"',
                        c.name(pt, "LF"),
                        '",',
                        c.date(c.day(-60, 0), c.ch(["numpad", "iso"])),
                        f",{c.ch(CPT)},{c.r.randint(40, 2400)}.{c.r.randint(0, 99):02d}\n",
                    ]
                )
    else:
        d.t("department,year,admissions,mean_los_days,readmit_30d_pct,top_icd10\n")
        for dep in c.r.sample(DEPTS, c.r.randint(4, 9)):
            d.t(
                f"{dep},{c.r.randint(2018, 2025)},{c.r.randint(50, 3000)},{c.r.randint(2, 12)}.{c.r.randint(0, 9)},"
                f"{c.r.randint(3, 25)}.{c.r.randint(0, 9)},{c.ch(ICD10)[0]}\n"
            )


def k_json(c: Ctx, d: Doc, phi: bool):
    ind = c.ch(["", "  "])
    nl = "\n" if ind else " "

    def kv(key, val, last=False, num=False):
        q = "" if num else '"'
        d.add([f'{ind}"{key}": {q}', val, f"{q}{'' if last else ','}{nl}"])

    if phi:
        pt = c.person()
        st, tw, rg, pc = c.addr_parts()
        d.t("{" + nl)
        kv("mrn", c.mrn())
        kv("name", c.name(pt, c.ch(["fl", "LF", "lf"])))
        kv("dob", c.date(pt.dob, c.ch(["iso", "numpad", "hl7"])))
        if pt.age > 89 or c.chance(0.5):
            kv("age", c.age_val(pt), num=True)
        kv("sex", pt.sex)
        kv("address", (st, "ADDRESS"))
        kv("city", (tw, "LOCATION"))
        if rg:
            kv("state" if c.loc in ("en_US", "en_IN", "en_AU") else "province", rg)
        kv(
            "zip" if c.loc == "en_US" else "postcode",
            (pc, "ZIP"),
            num=(c.loc in ("en_AU", "en_IN") and c.chance(0.5)),
        )
        kv("phone", c.phone())
        if c.chance(0.6):
            kv("email", c.email(pt))
        if c.chance(0.5):
            kv("insurance_id", c.plan())
        if c.chance(0.4):
            kv("national_id", c.ssn())
        if c.chance(0.3):
            kv("portal_user", c.username(pt))
        if c.chance(0.25):
            kv("last_login_ip", c.ip())
        if c.chance(0.2):
            kv("implant_serial", c.device())
        kv("admit_date", c.date(c.day(-20, 0), "iso"))
        kv("facility", c.facility("hosp"))
        kv("attending", c.name(c.clinician(), "fl"))
        code, term = c.icd()
        kv("diagnosis", f"{term} ({code})")
        kv("medications", c.drug(), last=True)
        d.t("}\n")
    else:
        d.t("{" + nl)
        code, term = c.icd()
        drug, dose = c.ch(DRUGS)
        kv("formulary_item", drug)
        kv("dose", dose)
        kv("ndc", c.ch(NDCS))
        kv("indication", f"{term} ({code})")
        kv("dept", c.ch(DEPTS))
        kv("review_year", str(c.r.randint(2018, 2025)), num=True)
        kv("min_age", str(c.r.randint(12, 18)), num=True)
        kv("note", c.clin(1), last=True)
        d.t("}\n")


def k_hl7(c: Ctx, d: Doc, phi: bool):
    pt = c.person()
    up = c.chance(0.8)
    U = (lambda s: s.upper()) if up else (lambda s: s)
    fac = c.facility("hosp")
    ts = c.ref
    tss = f"{ts.year}{ts.month:02d}{ts.day:02d}{c.r.randint(0, 23):02d}{c.r.randint(0, 59):02d}"
    d.add(
        [
            f"MSH|^~\\&|{c.ch(['EPIC', 'CERNER', 'LAB', 'ADT'])}|",
            (U(fac[0]), "FACILITY"),
            "|RECV|",
            c.ch(DEPTS).upper(),
            "|",
            (tss, "DATE"),
            f"||{c.ch(['ADT^A01', 'ORU^R01', 'ADT^A03'])}|MSG{c.digits(6)}|P|2.5\n",
        ]
    )
    d.add(["EVN|A01|", (tss, "DATE"), "\n"])
    st, tw, rg, pc = c.addr_parts()
    mr = c.mrn()
    d.add(
        [
            "PID|1||",
            mr if " " not in mr[0] else (mr[0].replace(" ", ""), "MRN"),
            "^^^HOSP^MR||",
            (f"{U(pt.last)}^{U(pt.first)}" + (f"^{pt.mi}" if c.chance(0.5) else ""), "NAME"),
            "||",
            c.date(pt.dob, "hl7"),
            f"|{pt.sex}|||",
            (U(st), "ADDRESS"),
            "^^",
            (U(tw), "LOCATION"),
            "^",
            U(rg),
            "^",
            (pc, "ZIP"),
            "||",
            c.phone(),
            "|||||",
        ]
    )
    d.add([c.account() if c.chance(0.6) else "", "|"])
    if c.loc == "en_US" and c.chance(0.6):
        d.add([c.ssn()])
    d.t("\n")
    if c.chance(0.4):
        kin = c.person(older=False)
        d.add(
            [
                "NK1|1|",
                (f"{U(kin.last)}^{U(kin.first)}", "NAME"),
                f"|{c.ch(['SPO', 'CHD', 'SIB'])}|",
                (U(c.street()), "ADDRESS"),
                "|",
                c.phone(),
                "\n",
            ]
        )
    att = c.clinician()
    d.add(
        [
            f"PV1|1|I|{c.ch(['4B', 'ICU', '7W', 'CCU'])}^{c.r.randint(1, 40)}^{c.r.randint(1, 2)}||||",
            c.npi(),
            "^",
            (f"{U(att.last)}^{U(att.first)}", "NAME"),
            "^^^DR|||||||||||",
            c.ident("visit"),
            "\n",
        ]
    )
    if c.chance(0.5):
        d.add(
            [
                "IN1|1|",
                U(c.ch(["BLUE SHIELD PPO", "MEDICARE PART A", "COMMERCIAL HMO"])),
                "|||||",
                c.group(),
                "||||||||||||||||||||||||||",
                c.plan(),
                "\n",
            ]
        )
    d.add(
        [
            "OBR|1|",
            c.ident("order"),
            "|",
            c.ident("accession"),
            f"|{c.ch(['CBC', 'BMP', 'LIPID'])}^PANEL|||",
            (tss, "DATE"),
            "\n",
        ]
    )
    for n, v, u in c.r.sample(
        [
            ("NA", "138", "mmol/L"),
            ("K", "4.1", "mmol/L"),
            ("CREAT", "1.2", "mg/dL"),
            ("GLU", "142", "mg/dL"),
            ("HGB", "10.4", "g/dL"),
            ("PLT", "231", "10*9/L"),
        ],
        3,
    ):
        d.t(f"OBX|1|NM|{n}^{n}||{v}|{u}|||||F\n")


def k_email(c: Ctx, d: Doc, phi: bool):
    pt, doc = c.person(older=c.chance(0.3)), c.clinician()
    fac = c.facility(c.ch(["clinic", "hosp"]))
    dom = re.sub(r"[^a-z]", "", fac[0].lower())[:14] + ".example.org"
    pe, de = c.email(pt), c.email(doc, dom)
    from_pt = c.chance(0.5)
    wd = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"][c.ref.weekday()]
    d.add(
        [
            "From: ",
            c.name(pt if from_pt else doc, "fl"),
            " <",
            pe if from_pt else de,
            ">\n",
            "To: ",
            c.name(doc if from_pt else pt, "fl"),
            " <",
            de if from_pt else pe,
            ">\n",
            f"Date: {wd}, ",
            c.date(c.ref, c.ch(["long", "mdlong", "num"])),
            f" {c.time()}\n",
        ]
    )
    subj = c.ch(
        [
            "Re: test results",
            "appointment next week",
            "Prescription refill",
            "Question about my medication",
            "Follow-up",
        ]
    )
    d.t(f"Subject: {subj}\n\n")
    if from_pt:
        d.add(["Hi ", c.ch(["Dr. ", "Dr "]), (doc.last, "NAME"), ",\n\n"])
        d.t(
            c.ch(
                [
                    "I've been taking the lisinopril 10 mg as you said but I still get dizzy in the mornings. ",
                    "My blood sugars have been around 8-9 before breakfast. ",
                    "Will I need to stop the apixaban before the procedure? ",
                ]
            )
        )
        rl = c.relation()
        rp = c.relative(rl)
        d.f(
            c.ch(
                [
                    "My {rel} {n} can drive me to the appointment on {dd}. ",
                    "My {rel} {n} says I should ask about the Parkinson tablets. ",
                    "I'm staying with my {rel} {n} in {town} until {dd}, so please call my mobile {ph}. ",
                ]
            ),
            rel=rl,
            Rel=rl.capitalize(),
            n=(rp.first, "NAME"),
            dd=c.date(c.day(1, 20), c.ch(["md", "ord"])),
            town=(c.town(), "LOCATION"),
            ph=c.phone(),
        )
        if c.chance(0.4):
            d.add(
                [
                    "My date of birth is ",
                    c.date(pt.dob, c.ch(["long", "numpad"])),
                    " and my hospital number is ",
                    c.mrn(),
                    ". ",
                ]
            )
        if c.chance(0.3):
            extra_ids(c, d, pt, 1)
        d.add(["\n\nThanks,\n", c.name(pt, c.ch(["fl", "first"])), "\n"])
        if c.chance(0.5):
            d.add([c.phone(), "\n"])
    else:
        d.add(
            [
                "Dear ",
                c.ch(["Mr ", "Ms ", "Mrs "]) if c.chance(0.5) else "",
                (pt.last, "NAME") if c.chance(0.5) else (pt.first, "NAME"),
                ",\n\n",
            ]
        )
        d.t(
            f"Your results are back. {c.labs(3)}. Please continue {c.drug()}. "
            f"You may take paracetamol for pain. We will review in {c.r.randint(2, 6)} weeks.\n"
        )
        d.add(
            [
                "Your next appointment is ",
                c.date(c.day(3, 40), c.ch(["long", "ord", "md"])),
                f" at {c.time()}. ",
                "You can also message us via ",
                c.portal_url(fac[0]),
                ".\n\n",
            ]
        )
        d.add(
            [
                "Kind regards,\n",
                c.dr(doc, c.ch(["dr", "cred"])),
                "\n",
                c.ch(DEPTS),
                ", ",
                fac,
                "\n",
                "Tel ",
                c.phone(),
                " | Fax ",
                c.phone(),
                "\n",
            ]
        )
    d.t(
        "\nCONFIDENTIALITY: This e-mail may contain health information. If received in error, please delete it.\n"
    )


def k_portal(c: Ctx, d: Doc, phi: bool):
    pt = c.person()
    fac = c.facility("clinic")
    d.add(["Patient Portal - Secure Message\n", fac, "\n"])
    d.add(["Portal user: ", c.username(pt), "   Logged in from IP ", c.ip(), "\n"])
    d.add(["Sent: ", c.date(c.ref, c.ch(["numpad", "iso", "mdlong"])), f" {c.time()}\n"])
    d.t(f"Topic: {c.ch(['Medication question', 'Lab results', 'Appointment request', 'Billing'])}\n\n")
    lower = c.chance(0.4)
    rel = c.relation(pt.sex)
    rp = c.relative(rel)
    msg = c.ch(
        [
            "hi, its {pf}. my {rel} {n} and i wanted to ask if i can take ibuprofen with the warfarin? inr was 2.6 last week. thx",
            "Hello, this is {pf} {pl}. I was seen on {dd} and was told to book a follow up. My {rel} {n} will bring me. Can I come in at 10:30?",
            "Good morning. {n} here ({rel}) writing for {pf}, who turned {age} last month and has been more confused. Should we go to A&E?",
            "My new address is {addr}. Please update my records. Also my insurance changed, member ID {hp}.",
        ]
    )
    kw = dict(
        pf=(pt.first.lower() if lower else pt.first, "NAME"),
        pl=(pt.last, "NAME"),
        rel=rel,
        Rel=rel.capitalize(),
        n=(rp.first.lower() if lower else rp.first, "NAME"),
        dd=c.date(c.day(-20, -1), c.ch(["md", "ord", "numpad"])),
        age=c.age_val(pt),
        addr=c.addr_line(),
        hp=c.plan(),
    )
    d.f(msg, **kw)
    reply_for = {
        "ibuprofen": "please avoid ibuprofen; paracetamol is safer",
        "follow up": "we have booked you in",
        "confused": "thanks for letting us know; please bring them in today",
        "address": "your records have been updated",
    }
    reply = next(v for k, v in reply_for.items() if k in msg)
    d.t("\n\n--- Reply ---\n")
    rn = c.clinician()
    urgent = (
        "call 911"
        if c.loc in ("en_US", "en_CA")
        else c.ch(["call 111 or attend A&E", "call 000", "call 112"])
    )
    d.add(
        [
            c.ch(["Hi ", "Dear "]),
            (pt.first, "NAME"),
            f", {reply}. If symptoms worsen please {urgent}.\n",
            c.name(rn, c.ch(["fl", "first"])),
            c.ch([", RN", " (nurse)", ", Care Team"]),
            "\n",
        ]
    )
    d.add(["Reset your password at ", c.portal_url(fac[0]), "\n"])


def k_call(c: Ctx, d: Doc, phi: bool):
    pt = c.person()
    ag = c.person(older=False)
    d.add(
        [
            "TELEPHONE ENCOUNTER - ",
            c.facility(c.ch(["clinic", "hosp"])),
            "\nCall ref: ",
            c.ident("ticket"),
            "   ",
            c.date(c.ref, c.ch(["numpad", "long"])),
            f" {c.time()}\n\n",
        ]
    )
    A, C = c.ch([("AGENT", "CALLER"), ("Agent", "Caller"), ("Nurse", "Patient")])
    d.add(
        [
            f"{A}: Good morning, this is ",
            (ag.first, "NAME"),
            " at the nurse advice line. May I have your full name?\n",
        ]
    )
    d.add([f"{C}: Yes, it's ", c.name(pt, c.ch(["fl", "fml"])), ".\n"])
    d.add([f"{A}: And your date of birth?\n{C}: ", c.date(pt.dob, c.ch(["long", "numpad", "mdlong"])), ".\n"])
    if c.chance(0.6):
        d.add([f"{A}: Can you confirm your address?\n{C}: ", *c.addr_line(), ".\n"])
    d.add(
        [
            f"{A}: Best number to call back?\n{C}: ",
            c.phone(),
            c.ch([".", ", that's my mobile.", ", or my daughter's."]),
            "\n",
        ]
    )
    if c.chance(0.4):
        d.add(
            [
                f"{A}: For verification, the last four of your {c.ssn_label() if c.loc == 'en_US' else 'SSN'}?\n{C}: ",
                (c.digits(4), "SSN"),
                ".\n",
            ]
            if c.loc == "en_US"
            else [f"{A}: For verification, your {c.ssn_label()} please?\n{C}: ", c.ssn(), ".\n"]
        )
    d.add([f"{A}: How old are you?\n{C}: I'm ", c.age_val(pt), ".\n"])
    rl = c.relation()
    rp = c.relative(rl)
    d.add(
        [
            f"{C}: I've had chest tightness since this morning at 06:30. My {rl} ",
            (rp.first, "NAME"),
            " says I should call. I take metoprolol 25 mg twice a day.\n",
        ]
    )
    d.t(
        f"{A}: {c.ch(['Any shortness of breath?', 'On a scale of 1 to 10, how bad is the pain?'])} {c.ch(['Please', 'I will'])} "
        f"{c.ch(['call 999 now.', 'arrange an urgent GP appointment.', 'book you with the on-call doctor at 15:00.'])}\n"
    )
    if c.chance(0.3):
        d.t(f"{A}: Note for chart: ")
        extra_ids(c, d, pt, 1)
        d.t("\n")
    d.t(
        f"{C}: Okay, thank you.\n\nDisposition: {c.ch(['ED advised', 'same-day appointment', 'self-care advice'])}. "
        f"Protocol: chest pain adult. {c.ch(EPONYM_DX)} noted in history.\n"
    )


def k_incident(c: Ctx, d: Doc, phi: bool):
    kind = c.ch(["fall", "med", "access", "device", "parking"])
    if phi:
        d.add(
            [
                "INCIDENT REPORT\nIncident # ",
                c.ident("incident"),
                "\nFacility: ",
                c.facility(c.ch(["hosp", "nh"])),
                f"\nLocation: {c.ch(DEPTS)}, room {c.r.randint(1, 40)}{c.ch('ABCD')}\nDate of incident: ",
                c.date(c.ref, c.ch(["numpad", "long", "dmy3"])),
                f"   Time: {c.time()}\n",
            ]
        )
        pt = c.person()
        rep = c.clinician()
        d.add(
            [
                "Person affected: ",
                c.name(pt, c.ch(["LF", "fl"])),
                " (",
                c.mrn_label().rstrip(":"),
                " ",
                c.mrn(),
                "), age ",
                c.age_val(pt),
                "\n",
            ]
        )
        d.add(
            [
                "Reported by: ",
                c.name(rep, "fl"),
                ", ",
                c.ch(["RN", "Charge Nurse", "Ward Sister", "Security Officer"]),
                ", ext ",
                (c.digits(4), "PHONE"),
                "\n\nDESCRIPTION:\n",
            ]
        )
        if kind == "fall":
            d.add(
                ["Patient found on floor beside bed at ", c.time(), ". Morse Fall Scale 65. ", c.clin(1), " "]
            )
            rel = c.relation()
            rp = c.relative(rel)
            d.f(
                "{Rel} {n} informed by phone on {ph}. ",
                Rel=rel.capitalize(),
                n=(rp.first, "NAME"),
                ph=c.phone(),
            )
        elif kind == "med":
            d.add(
                [
                    f"Wrong dose of {c.drug()} administered; intended dose per order ",
                    c.ident("order"),
                    ". Pharmacist notified. ",
                ]
            )
        elif kind == "access":
            d.add(
                [
                    "Unauthorised EHR access to the record of ",
                    c.name(pt, "fl"),
                    " by user ",
                    c.username(rep),
                    " from workstation IP ",
                    c.ip(),
                    ". Biometric login template ",
                    c.biometric(),
                    " was used. ",
                ]
            )
        elif kind == "device":
            d.add(
                [
                    "Infusion pump alarm failure. Pump serial ",
                    c.device(),
                    " removed from service and sent to Biomedical Engineering. ",
                ]
            )
        else:
            d.add(
                [
                    "Visitor vehicle, plate ",
                    c.plate(),
                    ", struck bollard in car park. Driver ",
                    c.name(c.person(older=False), "fl"),
                    ", licence ",
                    c.driver(),
                    ". ",
                ]
            )
        if c.chance(0.6):
            extra_ids(c, d, pt)
        d.add(
            [
                hard_neg(c),
                "\nWitness: ",
                c.name(c.clinician(), c.ch(["fl", "il"])),
                "\nManager review: ",
                c.date(c.ref + dt.timedelta(days=c.r.randint(1, 7)), "numpad"),
                "\n",
            ]
        )
    else:
        d.t(
            f"INCIDENT REPORT (anonymised for learning bulletin)\nLocation: {c.ch(DEPTS)}, bay {c.r.randint(1, 8)}\nTime: {c.time()}\n\n"
            f"DESCRIPTION: An inpatient in their {c.r.randint(5, 8)}0s fell while mobilising to the bathroom. Morse Fall Scale 55. "
            f"{c.clin(2)} The charge nurse and the on-call doctor reviewed. No injury. {hard_neg(c)}\n"
            f"LEARNING: bed rails policy re-circulated in {c.r.randint(2019, 2025)}.\n"
        )


def k_consent(c: Ctx, d: Doc, phi: bool):
    proc = c.ch(
        [
            "laparoscopic cholecystectomy",
            "coronary angiography",
            "total hip replacement",
            "colonoscopy",
            "Whipple procedure",
            "blood transfusion",
            "biometric identity enrolment",
        ]
    )
    if phi:
        pt = c.person()
        d.add(
            [
                c.facility("hosp"),
                "\nCONSENT FOR PROCEDURE\n\nPatient name: ",
                c.name(pt, c.ch(["fl", "LF"])),
                "\nDate of birth: ",
                c.date(pt.dob, "numpad"),
                "\n",
                c.mrn_label(),
                " ",
                c.mrn(),
                "\n",
            ]
        )
        if c.chance(0.5):
            d.add([c.ch(c.plan_label()), " ", c.plan(), "\n"])
        if c.chance(0.35):
            d.add([c.ssn_label(), " ", c.ssn(), "\n"])
        d.t(f"\nProcedure: {proc}\n")
        d.t(
            f"I understand the risks including bleeding, infection and anaesthetic complications. I may withdraw consent at any time. "
            f"Any tissue removed may be used for teaching after de-identification. {c.clin(1)}\n"
        )
        if proc.startswith("biometric") or c.chance(0.2):
            d.add(["Fingerprint template registered: ", c.biometric(), "\n"])
        if c.chance(0.5):
            extra_ids(c, d, pt)
            d.t("\n")
        d.add(
            [
                "Identity verified with ",
                c.ch(["driver's licence", "driving licence", "photo ID"]),
                " ",
                c.driver(),
                "\n",
            ]
        )
        wit = c.clinician()
        d.add(["\nPatient signature: ____________   Date: ", c.date(c.ref, "numpad"), "\n"])
        if c.chance(0.4):
            proxy = c.person(older=False)
            d.add(
                [
                    "Signed by healthcare proxy: ",
                    c.name(proxy, "fl"),
                    " (",
                    c.relation(pt.sex),
                    "), phone ",
                    c.phone(),
                    "\n",
                ]
            )
        d.add(["Clinician obtaining consent: ", c.dr(wit, c.ch(["dr", "cred"])), "\n"])
        if c.chance(0.3):
            d.add(
                [
                    "Interpreter: ",
                    c.name(c.person(older=False), "fl"),
                    f" ({c.ch(['Hindi', 'Punjabi', 'Spanish', 'Mandarin'])}), ID ",
                    c.ident("report"),
                    "\n",
                ]
            )
    else:
        d.t(
            f"CONSENT FOR PROCEDURE (blank template v{c.r.randint(2, 9)}.{c.r.randint(0, 9)}, {c.r.randint(2019, 2025)})\n\n"
            f"Patient name: ______________________\nDate of birth: ___/___/______\n\nProcedure: {proc}\n"
            f"I understand the risks including bleeding, infection and anaesthetic complications. I may withdraw consent at any time. "
            f"Patients aged 16 or over may consent for themselves. {c.clin(1)}\n\nPatient signature: __________  Date: __________\n"
            f"Clinician: __________ (print name)   Department: {c.ch(DEPTS)}\n"
        )


KINDS = [
    ("discharge_summary", k_discharge, True),
    ("nursing_note", k_nursing, True),
    ("progress_note", k_progress, True),
    ("history_physical", k_hp, True),
    ("ems_run_report", k_ems, True),
    ("pharmacy_log", k_pharmacy, True),
    ("referral_letter", k_referral, False),
    ("lab_report", k_lab, True),
    ("radiology_report", k_radiology, True),
    ("csv_export", k_csv, True),
    ("json_export", k_json, True),
    ("hl7_message", k_hl7, False),
    ("email", k_email, False),
    ("portal_message", k_portal, False),
    ("call_transcript", k_call, False),
    ("incident_report", k_incident, True),
    ("consent_form", k_consent, True),
]

# ----------------------------------------------------------------------------
# Validation
# ----------------------------------------------------------------------------


def validate(doc: dict):
    text, spans = doc["text"], doc["spans"]
    last = 0
    for s in spans:
        assert 0 <= s["start"] < s["end"] <= len(text), s
        assert text[s["start"] : s["end"]] == s["text"], (s, text[s["start"] : s["end"]])
        assert s["start"] >= last, ("overlap", s)
        assert s["text"] == s["text"].strip(), s
        assert s["type"] in TYPES
        if s["type"] == "AGE" and s["text"].isdigit():
            assert int(s["text"]) > 89, s
        last = s["end"]


# first names / towns that are also ordinary words: their ordinary-word uses stay unlabelled by design
WORDLIKE = {"will", "bill", "mark", "jack", "hope", "faith", "grace", "rose", "june", "orange", "may", "ray"}


def unlabelled_repeat(doc: dict) -> bool:
    """True if some labelled string also occurs elsewhere in the text without any span."""
    text, spans = doc["text"], doc["spans"]
    cov = [False] * len(text)
    for s in spans:
        for i in range(s["start"], s["end"]):
            cov[i] = True
    for s in spans:
        v = s["text"]
        if len(v) < 4 or v.lower() in WORDLIKE:
            continue
        for m in re.finditer(re.escape(v), text):
            a, b = m.start(), m.end()
            if (a > 0 and text[a - 1].isalnum()) or (b < len(text) and text[b].isalnum()):
                continue
            if not any(cov[a:b]):
                return True
    return False


# ----------------------------------------------------------------------------
# Main
# ----------------------------------------------------------------------------


def build_doc(idx: int, kind: str, fn, can_nophi: bool, locale: str):
    base = MASTER_SEED * 1000 + idx
    plan = random.Random(base)
    nophi = can_nophi and plan.random() < 0.235
    r = plan.random()
    if kind == "nursing_note":
        mode = "lower" if r < 0.4 else ("upper" if r < 0.45 else "normal")
    elif kind in ("ems_run_report", "pharmacy_log"):
        mode = "upper" if r < 0.3 else "normal"
    else:
        mode = "upper" if r < 0.07 else ("lower" if r < 0.10 else "normal")
    noisy = plan.random() < 0.10
    for attempt in range(50):
        seed = base + attempt * 7919
        c = Ctx(seed, locale)
        d = Doc()
        fn(c, d, not nophi)
        text, spans = d.render(mode, random.Random(seed + 1) if noisy else None)
        doc = {"id": f"blindphi-{idx:05d}", "kind": kind, "locale": locale, "text": text, "spans": spans}
        validate(doc)
        if nophi:
            assert not spans, (kind, spans)
        else:
            assert spans, kind
        if not unlabelled_repeat(doc):
            doc["_meta"] = {"mode": mode, "noise": noisy}
            return doc
    raise RuntimeError(f"could not build doc {idx}")


def main():
    docs = []
    n_kinds = len(KINDS)
    for i in range(DOCS_PER_KIND * n_kinds):
        kind, fn, can = KINDS[i % n_kinds]
        locale = LOCALES[(i // n_kinds) % len(LOCALES)]
        docs.append(build_doc(i, kind, fn, can, locale))
    # split: per kind, a fixed 30% to dev
    split_rng = random.Random(MASTER_SEED + 1)
    dev_ids = set()
    for kind, _, _ in KINDS:
        ids = [d["id"] for d in docs if d["kind"] == kind]
        split_rng.shuffle(ids)
        dev_ids.update(ids[: round(len(ids) * DEV_FRACTION)])
    meta = {d["id"]: d.pop("_meta") for d in docs}
    dev = [d for d in docs if d["id"] in dev_ids]
    test = [d for d in docs if d["id"] not in dev_ids]
    for name, part in (("dev.jsonl", dev), ("test.jsonl", test)):
        with open(os.path.join(HERE, name), "w", encoding="utf-8", newline="\n") as fh:
            for d in part:
                fh.write(json.dumps(d, ensure_ascii=False) + "\n")
    write_stats(dev, test, meta)


def count(part, key):
    out = {}
    for d in part:
        out[d[key]] = out.get(d[key], 0) + 1
    return dict(sorted(out.items()))


def type_counts(part):
    out = {t: 0 for t in TYPES}
    for d in part:
        for s in d["spans"]:
            out[s["type"]] += 1
    return out


def write_stats(dev, test, meta):
    lines = []
    for name, part in (("dev", dev), ("test", test)):
        nophi = sum(1 for d in part if not d["spans"])
        lines.append(
            f"### {name}.jsonl: {len(part)} documents, {sum(len(d['spans']) for d in part)} labelled spans, "
            f"{nophi} documents with no PHI ({100 * nophi / len(part):.1f}%)\n"
        )
        lines.append(
            f"Variants: upper-case {sum(1 for d in part if meta[d['id']]['mode'] == 'upper')}, "
            f"lower-case {sum(1 for d in part if meta[d['id']]['mode'] == 'lower')}, "
            f"OCR noise {sum(1 for d in part if meta[d['id']]['noise'])}\n"
        )
        lines.append("| kind | docs | no-PHI docs |\n|---|---:|---:|")
        kc = count(part, "kind")
        for k, v in kc.items():
            lines.append(f"| {k} | {v} | {sum(1 for d in part if d['kind'] == k and not d['spans'])} |")
        lines.append("\n| locale | docs |\n|---|---:|")
        for k, v in count(part, "locale").items():
            lines.append(f"| {k} | {v} |")
        lines.append("\n| type | spans |\n|---|---:|")
        for k, v in type_counts(part).items():
            lines.append(f"| {k} | {v} |")
        lines.append("")
    block = "\n".join(lines)
    path = os.path.join(HERE, "README.md")
    start, end = "<!-- STATS:BEGIN -->", "<!-- STATS:END -->"
    if os.path.exists(path):
        with open(path, encoding="utf-8") as fh:
            readme = fh.read()
        if start in readme and end in readme:
            pre, rest = readme.split(start, 1)
            _, post = rest.split(end, 1)
            readme = pre + start + "\n" + block + "\n" + end + post
            with open(path, "w", encoding="utf-8", newline="\n") as fh:
                fh.write(readme)
            return
    print(block)


if __name__ == "__main__":
    main()
