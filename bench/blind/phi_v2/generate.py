"""Blind PHI corpus v2 generator (Python 3.11, stdlib + Faker 40.63.0).

Written from bench/blind/phi/SPEC.md (and the format note in its README) only. Its author did
not read the detector, its tests, the other benchmark code or the v1 corpus/generator.

Deterministic: master seed 7319911, one derived seed per document, Faker re-seeded per
document. `python generate.py` rewrites test.jsonl byte for byte and the statistics block in README.md.
"""
import json
import os
import random
import re
import sys
from collections import Counter

from faker import Faker

MASTER_SEED = 7319911
HERE = os.path.dirname(os.path.abspath(__file__))

TYPES = ["NAME", "ADDRESS", "LOCATION", "ZIP", "DATE", "AGE", "PHONE", "EMAIL", "SSN", "MRN",
         "HEALTH_PLAN", "ACCOUNT", "LICENSE", "VEHICLE", "DEVICE", "URL", "IP", "BIOMETRIC",
         "ID", "FACILITY"]
LOCALES = ["en_US", "en_GB", "en_CA", "en_AU", "en_IN"]

# First names / towns that are also ordinary words: exempt from the unlabelled-repeat check.
WORDLIKE = {"may", "will", "grace", "hope", "rose", "june", "mark", "ray", "faith", "bill",
            "joy", "dawn", "guy", "pat", "sunny", "april", "summer", "florence", "victoria",
            "reading", "orange", "bath", "wells", "hope", "sale", "march"}

NAME_LOCALES = {
    "en_US": ["en_US", "en_US", "es_MX", "en_PH"],
    "en_GB": ["en_GB", "en_GB", "en_IE", "en_GB"],
    "en_CA": ["en_CA", "fr_CA", "en_CA"],
    "en_AU": ["en_AU", "en_NZ", "en_AU"],
    "en_IN": ["en_IN"],
}
_FAKERS = {}


def fk(loc):
    if loc not in _FAKERS:
        _FAKERS[loc] = Faker(loc)
    return _FAKERS[loc]


# ---------------------------------------------------------------- vocabularies (hand-made)
TOWNS = {
    "en_US": ["Tupelo", "Kearney", "Oshkosh", "Bozeman", "Paducah", "Hagerstown", "Lufkin",
              "Decorah", "Yakima", "Chillicothe", "Ottumwa", "Bismarck", "Muncie", "Elkhart",
              "Gadsden", "Texarkana", "Dubuque", "Kokomo", "Biloxi", "Sandusky", "Altoona"],
    "en_GB": ["Thirsk", "Bridport", "Kendal", "Wisbech", "Oswestry", "Hexham", "Ludlow",
              "Stroud", "Dunoon", "Penrith", "Skegness", "Leominster", "Morpeth", "Tiverton",
              "Ilkeston", "Buckie", "Llandudno", "Bideford", "Malton", "Spalding"],
    "en_CA": ["Moncton", "Kamloops", "Brandon", "Sudbury", "Red Deer", "Lethbridge", "Timmins",
              "Nanaimo", "Rimouski", "Chilliwack", "Truro", "Brockville", "Cornwall",
              "Medicine Hat", "Orillia", "Yorkton", "Sarnia", "Penticton"],
    "en_AU": ["Wagga Wagga", "Toowoomba", "Bendigo", "Mildura", "Dubbo", "Bundaberg",
              "Geraldton", "Shepparton", "Tamworth", "Launceston", "Mount Gambier", "Gympie",
              "Warrnambool", "Orange", "Lismore", "Kalgoorlie", "Traralgon", "Mackay"],
    "en_IN": ["Nashik", "Hubballi", "Kozhikode", "Bhilai", "Guntur", "Ajmer", "Thrissur",
              "Rourkela", "Bhagalpur", "Udupi", "Karimnagar", "Satara", "Tirunelveli",
              "Bikaner", "Ujjain", "Haldwani", "Kollam", "Jalgaon"],
}
SUBURBS_IN = ["Koramangala", "Andheri East", "Salt Lake", "Banjara Hills", "Kothrud",
              "Adyar", "Gomti Nagar", "Malviya Nagar", "Vashi", "Aundh"]
UK_COUNTIES = ["Cumbria", "Shropshire", "Norfolk", "Dorset", "Northumberland",
               "Lincolnshire", "Herefordshire", "Somerset", "Suffolk", "Durham"]
REGIONS = {
    "en_US": ["IL", "OH", "TX", "Iowa", "MT", "KY", "Mississippi", "WA", "PA", "IN", "ND"],
    "en_CA": ["ON", "BC", "AB", "NB", "Manitoba", "Quebec", "NS", "SK", "Ontario"],
    "en_AU": ["NSW", "VIC", "QLD", "WA", "Tasmania", "SA", "Victoria"],
    "en_IN": ["Maharashtra", "Karnataka", "Kerala", "Tamil Nadu", "Rajasthan", "Gujarat",
              "Uttarakhand", "Telangana", "Bihar"],
    "en_GB": [],
}
COUNTRY = {"en_US": "USA", "en_GB": "United Kingdom", "en_CA": "Canada", "en_AU": "Australia",
           "en_IN": "India"}
STREET_WORDS = ["Quarry", "Tannery", "Larkspur", "Cobbler", "Heron", "Wexford", "Alder",
                "Juniper", "Sycamore", "Ridgeback", "Pellow", "Haverford", "Copperbeech",
                "Foundry", "Marlow", "Bramble", "Kestrel", "Otterburn", "Fenwick", "Saddler",
                "Winslade", "Cresswell", "Ashgrove", "Lantern", "Wheelwright", "Burdock",
                "Hollins", "Ferncliffe", "Thistle", "Drover", "Kingfisher", "Oxley"]
STREET_TYPES = {
    "en_US": ["Street", "Avenue", "Boulevard", "Drive", "Lane", "Court", "Terrace", "Way",
              "Place", "Road", "Parkway", "Circle", "Trail", "Pike", "St", "Ave", "Blvd"],
    "en_GB": ["Road", "Street", "Lane", "Close", "Crescent", "Gardens", "Grove", "Terrace",
              "Mews", "Row", "Walk", "Way", "Rise", "Rd"],
    "en_CA": ["Street", "Avenue", "Road", "Crescent", "Drive", "Boulevard", "Court", "Line",
              "Sideroad", "St", "Ave"],
    "en_AU": ["Street", "Road", "Parade", "Avenue", "Crescent", "Esplanade", "Highway",
              "Place", "Court", "Terrace", "St", "Rd"],
    "en_IN": ["Road", "Marg", "Main Road", "Cross Road", "Lane", "Street", "Salai"],
}
IN_STREET_WORDS = ["Tilak", "Nehru", "Subhash", "Gokhale", "Patel", "Ambedkar", "Sarojini",
                   "Station", "Temple", "Market", "Cantonment", "Lake View"]
REL_SEX = {"son": "M", "daughter": "F", "wife": "F", "husband": "M", "sister": "F", "brother": "M", "niece": "F",
           "nephew": "M", "grandson": "M", "granddaughter": "F", "daughter-in-law": "F", "mother": "F", "father": "M"}
WORDLIKE_FIRST = ["May", "Will", "Grace", "Hope", "Rose", "June", "Mark", "Ray", "Faith",
                  "Dawn", "Joy", "Bill"]
RELATIONS = ["son", "daughter", "wife", "husband", "partner", "sister", "brother", "niece",
             "nephew", "grandson", "granddaughter", "daughter-in-law", "neighbour", "carer",
             "friend", "mother", "father"]
FAC_HOSP = {
    "en_US": ["{T} Memorial Hospital", "Mercy {T} Medical Center", "{T} Regional Health",
              "St. Cuthbert Medical Center", "Lakeshore Community Hospital",
              "Prairie View Family Clinic", "{T} Valley Orthopedics", "Greenbriar Nursing Center",
              "Riverbend Urgent Care"],
    "en_GB": ["{T} Community Hospital", "{T} Royal Infirmary", "Elmfield Surgery",
              "The Brambles Care Home", "St Aidan's Hospice", "{T} Health Centre",
              "Castlegate Medical Practice", "Northgate Dental Practice"],
    "en_CA": ["{T} General Hospital", "Hôpital Sainte-Odile", "{T} Regional Health Centre",
              "Maple Ridge Family Health Team", "Birchwood Long-Term Care",
              "Harbourview Walk-In Clinic", "{T} Community Health Centre"],
    "en_AU": ["{T} Base Hospital", "{T} Medical Centre", "St Brigid's Private Hospital",
              "Banksia Aged Care", "Wattle Grove Medical Clinic", "Southern Cross Day Surgery",
              "{T} District Health Service"],
    "en_IN": ["{T} District Hospital", "Aarogya Nursing Home", "Shree Balaji Multispeciality Hospital",
              "Lifeline Superspeciality Clinic", "Sushrut Hospital", "Kaveri Medical Centre",
              "Annapurna Maternity Home"],
}
FAC_PHARM = {
    "en_US": ["Cornerstone Pharmacy", "{T} Drug & Compounding", "Bluebonnet Apothecary"],
    "en_GB": ["Hillside Chemist", "{T} Pharmacy", "Market Cross Pharmacy"],
    "en_CA": ["Pharmacie Beaulieu", "{T} Apothecary", "Northern Lights Pharmacy"],
    "en_AU": ["{T} Amcal Chemist", "Gumtree Pharmacy", "Coastline Discount Chemist"],
    "en_IN": ["Shree Sai Medicals", "Om Medical Stores", "Dhanvantari Chemists"],
}
FAC_LAB = {
    "en_US": ["{T} Reference Laboratory", "Summit Diagnostic Labs", "Keystone Pathology Associates"],
    "en_GB": ["{T} Pathology Laboratory", "Westmoor Diagnostics"],
    "en_CA": ["{T} Medical Laboratories", "Boreal Diagnostics"],
    "en_AU": ["{T} Pathology", "Coral Coast Diagnostic Imaging"],
    "en_IN": ["Lifecare Diagnostics", "Precision Path Labs", "{T} Scan Centre"],
}
INSURERS = {"en_US": ["BLUE SHIELD PPO", "Aetna Choice POS II", "UnitedHealthcare Dual Complete",
                      "Medicare Part B", "Medicaid"],
            "en_GB": ["Bupa", "AXA Health", "Vitality Health"],
            "en_CA": ["OHIP", "Sun Life", "Manulife", "MSP BC"],
            "en_AU": ["Medicare", "HCF", "Bupa Australia", "Medibank"],
            "en_IN": ["PMJAY", "ESIC", "Star Health", "CGHS"]}
DRUGS = ["metoprolol succinate 47.5 mg", "apixaban 5 mg", "furosemide 40 mg", "atorvastatin 40 mg",
         "levothyroxine 75 mcg", "metformin 1 g", "amlodipine 5 mg", "ramipril 2.5 mg",
         "co-codamol 30/500", "paracetamol 1 g", "oxycodone 5 mg", "gabapentin 300 mg",
         "warfarin 3 mg", "sertraline 50 mg", "tamsulosin 400 mcg", "pantoprazole 40 mg",
         "insulin glargine 18 units", "carbidopa/levodopa 25/100 mg", "hydrocodone/APAP 5/325 mg",
         "enoxaparin 40 mg SC", "prednisolone 30 mg", "doxycycline 100 mg"]
CONTROLLED = ["Oxycodone 5 mg tab", "Morphine sulfate 10 mg/5 mL", "Hydromorphone 2 mg tab",
              "Lorazepam 1 mg tab", "Fentanyl 25 mcg/h patch", "Methylphenidate 10 mg tab",
              "Tramadol 50 mg cap", "Diazepam 5 mg tab", "Buprenorphine 8 mg SL"]
DX = ["community-acquired pneumonia", "NSTEMI", "decompensated heart failure", "cellulitis of the left leg",
      "acute kidney injury on CKD stage 3", "COPD exacerbation", "urosepsis", "fractured neck of femur",
      "diabetic ketoacidosis", "Parkinson's disease with falls", "Crohn's disease flare",
      "hyponatraemia", "delirium secondary to UTI", "atrial fibrillation with rapid ventricular response"]


# ---------------------------------------------------------------- document builder
class Doc:
    def __init__(self):
        self.segs = []

    def t(self, s):
        self.segs.append((s, None))
        return self

    def p(self, s, typ):
        assert typ in TYPES, typ
        assert s == s.strip() and s, repr(s)
        self.segs.append((s, typ))
        return self

    def f(self, tpl, **kw):
        """Template with {key} placeholders; kw values are str (plain) or (value, TYPE)."""
        pos = 0
        for m in re.finditer(r"\{(\w+)\}", tpl):
            if m.start() > pos:
                self.t(tpl[pos:m.start()])
            v = kw[m.group(1)]
            if isinstance(v, tuple):
                if v[1] is None:
                    self.t(v[0])
                else:
                    self.p(v[0], v[1])
            elif isinstance(v, list):  # list of segments
                for s, ty in v:
                    if ty is None:
                        self.t(s)
                    else:
                        self.p(s, ty)
            else:
                self.t(v)
            pos = m.end()
        if pos < len(tpl):
            self.t(tpl[pos:])
        return self


OCR_SUBS = [("0", "O"), ("O", "0"), ("1", "l"), ("l", "1"), ("5", "S"), ("S", "5"), ("8", "B"),
            ("B", "8"), ("m", "rn"), ("e", "c"), ("i", "l"), ("a", "o"), ("g", "q"), ("I", "1"),
            ("h", "b"), ("u", "v")]


def ocr(s, r, labelled):
    out = []
    for ch in s:
        if r.random() < 0.06:
            subs = [b for a, b in OCR_SUBS if a == ch]
            if subs:
                out.append(r.choice(subs))
                continue
        out.append(ch)
    s = "".join(out)
    if not labelled:
        s = re.sub(r" ", lambda m: r.choice([" ", " ", " ", " ", " ", " ", "  ", "\n"]) if r.random() < 0.15 else " ", s)
    return s


def render(doc, case, noise, r):
    text = []
    spans = []
    pos = 0
    for s, ty in doc.segs:
        if case == "upper":
            s = s.upper()
        elif case == "lower":
            s = s.lower()
        if noise:
            s = ocr(s, r, ty is not None)
        if ty is not None:
            spans.append({"start": pos, "end": pos + len(s), "type": ty, "text": s})
        text.append(s)
        pos += len(s)
    return "".join(text), spans


class Retry(Exception):
    pass


def check(text, spans, phi):
    last = -1
    for sp in spans:
        assert text[sp["start"]:sp["end"]] == sp["text"], sp
        assert sp["type"] in TYPES
        assert sp["start"] >= last, ("overlap", sp)
        assert sp["text"] == sp["text"].strip() and sp["text"]
        if sp["type"] == "AGE" and sp["text"].isdigit():
            assert int(sp["text"]) > 89, sp
        last = sp["end"]
    if phi:
        assert spans, "PHI doc without spans"
    else:
        assert not spans, "no-PHI doc with spans"
    # unlabelled-repeat check
    for sp in spans:
        s = sp["text"]
        if len(s) < 4 or s.lower() in WORDLIKE:
            continue
        for m in re.finditer(r"(?<!\w)" + re.escape(s) + r"(?!\w)", text):
            if not any(o["start"] <= m.start() and m.end() <= o["end"] for o in spans):
                raise Retry(s)


# ---------------------------------------------------------------- identifier factories
def digits(r, n):
    return "".join(r.choice("0123456789") for _ in range(n))


def luhn_digit(num):
    tot = 0
    for i, ch in enumerate(reversed(num)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        tot += d
    return str((10 - tot % 10) % 10)


class Ctx:
    """Per-document random state and locale-aware identifier factories."""

    def __init__(self, r, loc, seed):
        self.r = r
        self.loc = loc
        self.seed = seed
        self.used = set()
        self.fakers = []
        for i, l in enumerate(NAME_LOCALES[loc]):
            f = fk(l)
            f.seed_instance(seed * 7 + i)
            self.fakers.append(f)
        self.f0 = fk(loc)
        self.f0.seed_instance(seed)
        self.year = r.choice([2023, 2024, 2025, 2026])

    def ch(self, xs):
        return self.r.choice(xs)

    # --- people
    def person(self, sex=None, wordlike=False):
        r = self.r
        for _ in range(50):
            f = r.choice(self.fakers)
            sex = sex or r.choice("MF")
            first = f.first_name_male() if sex == "M" else f.first_name_female()
            if wordlike or r.random() < 0.03:
                first = r.choice(WORDLIKE_FIRST)
            last = f.last_name()
            if " " in first or len(last) < 3 or last in self.used or first in self.used:
                continue
            if last.lower() in WORDLIKE or last in STREET_WORDS:
                continue
            self.used.update([first, last])
            mid = r.choice("ABCDEFGHJKLMNPRSTW")
            return {"first": first, "last": last, "mid": mid, "sex": sex}
        raise Retry("person")

    def nm(self, p, form=None):
        r = self.r
        form = form or r.choice(["fl", "fl", "fl", "fml", "LF", "Lf", "il"])
        return {"fl": f"{p['first']} {p['last']}",
                "fml": f"{p['first']} {p['mid']}. {p['last']}",
                "LF": f"{p['last'].upper()}, {p['first'].upper()}",
                "Lf": f"{p['last']}, {p['first']}",
                "il": f"{p['first'][0]}. {p['last']}",
                "l": p["last"], "f": p["first"],
                "lower": f"{p['first']} {p['last']}".lower()}[form]

    # --- places
    def town(self):
        r = self.r
        if r.random() < 0.3 and self.loc != "en_IN":
            t = self.f0.city()
        elif self.loc == "en_IN" and r.random() < 0.25:
            t = r.choice(SUBURBS_IN)
        else:
            t = r.choice(TOWNS[self.loc])
        if t in self.used:
            return self.town() if r.random() < 0.9 else t
        self.used.add(t)
        return t

    def region(self):
        if self.loc == "en_GB":
            return None
        return self.ch(REGIONS[self.loc])

    def street(self):
        r = self.r
        loc = self.loc
        if loc == "en_IN":
            w = r.choice(IN_STREET_WORDS)
            st = f"{w} {r.choice(STREET_TYPES[loc])}"
            if r.random() < 0.5:
                return r.choice([f"H.No. {r.randint(2, 480)}, {st}",
                                 f"Flat {r.randint(1, 12)}0{r.randint(1, 9)}, {r.choice(['Sai Krupa', 'Green Park', 'Shanti Niwas', 'Lotus'])} Apartments, {st}",
                                 f"{r.randint(1, 40)}-{r.randint(1, 9)}-{r.randint(10, 300)}, {st}",
                                 f"Plot No. {r.randint(3, 220)}, {st}"])
            return f"{r.randint(3, 300)}, {st}"
        if r.random() < 0.2 and loc in ("en_US", "en_CA", "en_AU"):
            nm = self.f0.street_name()
        else:
            nm = f"{r.choice(STREET_WORDS)} {r.choice(STREET_TYPES[loc])}"
        num = r.randint(2, 9800) if loc in ("en_US", "en_CA") else r.randint(1, 240)
        base = f"{num} {nm}"
        x = r.random()
        if loc == "en_US":
            if x < 0.35:
                base += r.choice([f" Apt {r.randint(1, 40)}", f" Apt. {r.randint(1, 9)}{r.choice('ABCD')}",
                                  f", Suite {r.randint(100, 450)}", f" Unit {r.randint(1, 20)}", f" #{r.randint(2, 30)}"])
        elif loc == "en_GB":
            if x < 0.3:
                base = r.choice([f"Flat {r.randint(1, 24)}, {base}", f"Flat {r.randint(1, 9)}{r.choice('ABC')}, {base}"])
            elif x < 0.4:
                base = f"{r.choice(['Rose Cottage', 'Orchard House', 'The Old Forge', 'Ivy Lodge'])}, {base}"
        elif loc == "en_CA":
            if x < 0.3:
                base = f"{r.randint(101, 1909)}-{base}"
            elif x < 0.4:
                base += f", Unit {r.randint(1, 30)}"
        elif loc == "en_AU":
            if x < 0.35:
                base = f"{r.randint(1, 30)}/{base}"
            elif x < 0.45:
                base = f"Unit {r.randint(1, 12)}, {base}"
        return base

    def zip(self):
        r = self.r
        loc = self.loc
        if loc == "en_US":
            z = f"{r.randint(10, 99)}{digits(r, 3)}"
            return z + (f"-{digits(r, 4)}" if r.random() < 0.3 else "")
        if loc == "en_GB":
            return self.f0.postcode()
        if loc == "en_CA":
            L = "ABCEGHJKLMNPRSTVXY"
            s = f"{r.choice(L)}{r.randint(0, 9)}{r.choice(L)}", f"{r.randint(0, 9)}{r.choice(L)}{r.randint(0, 9)}"
            return s[0] + (" " if r.random() < 0.7 else "") + s[1]
        if loc == "en_AU":
            return str(r.randint(2000, 7999))
        return str(r.randint(110001, 855999))

    def addr_segs(self, sep=", ", with_country=False, lines=False):
        """ADDRESS, LOCATION, region, ZIP as segments."""
        r = self.r
        loc = self.loc
        segs = [(self.street(), "ADDRESS"), ("\n" if lines else sep, None), (self.town(), "LOCATION")]
        if loc == "en_GB":
            if r.random() < 0.4:
                segs += [(", " if not lines else "\n", None), (r.choice(UK_COUNTIES), "LOCATION")]
            segs += [("\n" if lines else " " if r.random() < 0.3 else ", ", None), (self.zip(), "ZIP")]
        elif loc == "en_IN":
            segs += [(" - ", None), (self.zip(), "ZIP"), (", " + self.region(), None)]
        else:
            segs += [((", " if r.random() < 0.6 else " ") + self.region() + (" " if loc != "en_CA" or r.random() < 0.5 else "  "), None),
                     (self.zip(), "ZIP")]
        if with_country:
            segs.append(((", " if not lines else "\n") + COUNTRY[loc], None))
        return segs

    # --- facility
    def facility(self, kind="hosp"):
        tab = {"hosp": FAC_HOSP, "pharm": FAC_PHARM, "lab": FAC_LAB}[kind][self.loc]
        for _ in range(20):
            x = self.ch(tab)
            if "{T}" in x:
                x = x.replace("{T}", self.ch(TOWNS[self.loc]))
            if x not in self.used:
                self.used.add(x)
                return x
        return x

    # --- dates
    def date(self, style=None, year=None, near=None):
        r = self.r
        y = year or self.year
        m = r.randint(1, 12)
        d = r.randint(1, 28)
        return self.fmt_date(y, m, d, style)

    MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
              "September", "October", "November", "December"]

    def fmt_date(self, y, m, d, style=None):
        r = self.r
        us = self.loc == "en_US"
        M = self.MONTHS[m - 1]
        Mon = M[:3]
        sfx = "th" if 11 <= d <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(d % 10, "th")
        opts = {
            "num4": f"{m:02d}/{d:02d}/{y}" if us else f"{d:02d}/{m:02d}/{y}",
            "num2": f"{m}/{d}/{y % 100:02d}" if us else f"{d}/{m}/{y % 100:02d}",
            "dots": f"{m:02d}.{d:02d}.{y % 100:02d}" if us else f"{d:02d}.{m:02d}.{y % 100:02d}",
            "iso": f"{y}-{m:02d}-{d:02d}",
            "dmy_mon": f"{d:02d}-{Mon}-{y}",
            "long": f"{M} {d}, {y}" if us else f"{d} {M} {y}",
            "short": f"{Mon} {d}, {y}" if us else f"{d} {Mon} {y}",
            "ord": f"{M} {d}{sfx}" if us else f"{d}{sfx} {M}",
            "md": f"{m}/{d}" if us else f"{d}/{m}",
            "hl7": f"{y}{m:02d}{d:02d}",
            "dash": f"{m}-{d}-{y}" if us else f"{d}-{m}-{y}",
        }
        if style is None:
            style = r.choice(["num4", "num4", "num2", "iso", "dmy_mon", "long", "short", "ord", "md", "dots"])
        return opts[style]

    def dob(self, style=None, age=None):
        r = self.r
        age = age if age is not None else r.randint(18, 88)
        if style is None:
            style = r.choice(["num4", "num4", "num2", "iso", "dmy_mon", "long", "short", "dots", "dash"])
        return self.fmt_date(self.year - age, r.randint(1, 12), r.randint(1, 28), style), age

    def md_range(self):
        r = self.r
        m = r.randint(1, 12)
        d1 = r.randint(1, 20)
        d2 = d1 + r.randint(1, 8)
        style = r.choice(["md", "md", "num4", "short"])
        return self.fmt_date(self.year, m, d1, style), self.fmt_date(self.year, m, d2, style)

    # --- ages
    def old_age(self):
        return self.r.randint(90, 106)

    @staticmethod
    def age_words(n):
        ones = ["", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
        if n < 100:
            return "ninety" + (f"-{ones[n - 90]}" if n > 90 else "")
        if n == 100:
            return "one hundred"
        rest = n - 100
        return "one hundred and " + ones[rest] if rest < 10 else "one hundred and " + {10: "ten", 11: "eleven", 12: "twelve"}.get(rest, str(rest))

    def age_phrase(self, n=None):
        """Segments describing an age > 89."""
        r = self.r
        n = n or self.old_age()
        w = self.age_words(n)
        c = r.randrange(9)
        if c == 0:
            return [("a ", None), (w, "AGE"), (" year old", None)]
        if c == 1:
            return [("a ", None), (w, "AGE"), ("-year-old", None)]
        if c == 2:
            return [("a ", None), (str(n), "AGE"), ("-year-old", None)]
        if c == 3:
            return [("a ", None), (str(n), "AGE"), (" y/o", None)]
        if c == 4:
            return [("a ", None), (str(n), "AGE"), ("yo", None)]
        if c == 5:
            return [("aged ", None), (str(n), "AGE"), (",", None)]
        if c == 6:
            return [("a ", None), (str(n), "AGE"), (" yr old", None)]
        if c == 7:
            return [("a ", None), (w.capitalize(), "AGE"), ("-year-old", None)]
        return [("a ", None), (str(n), "AGE"), (" year-old", None)]

    def young_age_phrase(self):
        n = self.r.randint(19, 89)
        a = "an" if n in (11, 18) or 80 <= n <= 89 else "a"
        return self.r.choice([f"{a} {n}-year-old", f"{a} {n} y/o", f"{a} {n}yo", f"{a} {n} yr old"])

    # --- phones
    def phone(self, kind="any"):
        r = self.r
        loc = self.loc
        if loc in ("en_US", "en_CA"):
            a, b, c = r.randint(201, 989), r.randint(200, 989), digits(r, 4)
            p = r.choice([f"({a}) {b}-{c}", f"{a}-{b}-{c}", f"{a}.{b}.{c}", f"+1 {a} {b} {c}",
                          f"1-{a}-{b}-{c}", f"+1 ({a}) {b}-{c}"])
            if r.random() < 0.15:
                p += r.choice([f" x{digits(r, 4)}", f" ext. {digits(r, 3)}", f" ext {digits(r, 4)}"])
            return p
        if loc == "en_GB":
            return r.choice([f"07{r.randint(100, 999)} {digits(r, 6)}", f"(01{r.randint(13, 99)}) {digits(r, 3)} {digits(r, 4)}",
                             f"+44 (0)20 {digits(r, 4)} {digits(r, 4)}", f"+44 7{digits(r, 3)} {digits(r, 3)} {digits(r, 3)}",
                             f"01{r.randint(200, 999)} {digits(r, 6)}", f"0{r.randint(113, 191)} {digits(r, 3)} {digits(r, 4)}"])
        if loc == "en_AU":
            return r.choice([f"04{digits(r, 2)} {digits(r, 3)} {digits(r, 3)}", f"(0{r.choice('2378')}) {digits(r, 4)} {digits(r, 4)}",
                             f"+61 4{digits(r, 2)} {digits(r, 3)} {digits(r, 3)}", f"+61 {r.choice('2378')} {digits(r, 4)} {digits(r, 4)}",
                             f"0{r.choice('2378')} {digits(r, 4)} {digits(r, 4)}"])
        return r.choice([f"+91 9{digits(r, 4)} {digits(r, 5)}", f"+91-{r.choice('6789')}{digits(r, 9)}",
                         f"0{r.randint(20, 99)}-{digits(r, 4)} {digits(r, 4)}", f"{r.choice('6789')}{digits(r, 4)} {digits(r, 5)}",
                         f"0{r.randint(80, 99)}-{digits(r, 8)}"])

    def email(self, p=None, org=False):
        r = self.r
        dom = r.choice(["example.com", "example.org", "example.net", "example.co.uk", "example.com.au",
                        "example.ca", "example.in", "mail.example.com"])
        if p is None:
            user = r.choice(["appointments", "referrals", "frontdesk", "ward7.admin", "records"])
        else:
            f, l = p["first"].lower(), p["last"].lower().replace(" ", "").replace("'", "")
            f = re.sub(r"[^a-z]", "", f) or "x"
            l = re.sub(r"[^a-z]", "", l) or "y"
            user = r.choice([f"{f}.{l}", f"{f[0]}{l}", f"{l}{r.randint(1, 99)}", f"{f}_{l[0]}{r.randint(60, 99)}", f"{f}{l[:3]}"])
        return f"{user}@{dom}"

    def username(self, p):
        r = self.r
        f = re.sub(r"[^a-z]", "", p["first"].lower()) or "u"
        l = re.sub(r"[^a-z]", "", p["last"].lower()) or "v"
        return r.choice([f"{f[0]}{l}{r.randint(1, 99)}", f"{f}.{l[:4]}", f"{l}_{f[0]}{r.randint(1, 9)}",
                         f"{f}{r.randint(1950, 2002)}", f"{f[:3]}{l[:3]}{r.randint(0, 9)}"])

    # --- national ids
    def ssn(self):
        r = self.r
        loc = self.loc
        if loc == "en_US":
            return f"{r.randint(101, 665)}-{r.randint(10, 99)}-{digits(r, 4)}"
        if loc == "en_CA":
            b = f"{r.choice('1234567')}{digits(r, 7)}"
            s = b + luhn_digit(b)
            return r.choice([f"{s[:3]} {s[3:6]} {s[6:]}", f"{s[:3]}-{s[3:6]}-{s[6:]}", s])
        if loc == "en_GB":
            p = r.choice(["AB", "CE", "JT", "NP", "WL", "ZR", "HK", "ST", "PX", "RM"])
            d = digits(r, 6)
            suf = r.choice("ABCD")
            return r.choice([f"{p} {d[:2]} {d[2:4]} {d[4:]} {suf}", f"{p}{d}{suf}"])
        if loc == "en_AU":
            w = [1, 4, 3, 7, 5, 8, 6, 9, 10]
            while True:
                ds = [r.randint(0, 9) for _ in range(9)]
                if sum(a * b for a, b in zip(ds, w)) % 11 == 0 and ds[0]:
                    break
            s = "".join(map(str, ds))
            return r.choice([f"{s[:3]} {s[3:6]} {s[6:]}", s])
        s = f"{r.randint(2, 9)}{digits(r, 11)}"
        return r.choice([f"{s[:4]} {s[4:8]} {s[8:]}", f"{s[:4]}-{s[4:8]}-{s[8:]}", s])

    def ssn_label(self):
        return {"en_US": "SSN", "en_CA": "SIN", "en_GB": "NI No.", "en_AU": "TFN", "en_IN": "Aadhaar"}[self.loc]

    def nhs(self):
        r = self.r
        while True:
            ds = [r.randint(0, 9) for _ in range(9)]
            if ds[0] == 0:
                continue
            c = 11 - sum(d * (10 - i) for i, d in enumerate(ds)) % 11
            if c == 11:
                c = 0
            if c == 10:
                continue
            s = "".join(map(str, ds)) + str(c)
            return r.choice([f"{s[:3]} {s[3:6]} {s[6:]}", s, f"{s[:3]}-{s[3:6]}-{s[6:]}"])

    def mrn(self, label=None):
        r = self.r
        label = label or getattr(self, "_ml", None)
        self._ml = None
        if label and "NHS" in label:
            return self.nhs()
        if self.loc == "en_GB" and r.random() < 0.5:
            return self.nhs()
        return r.choice([f"{digits(r, 4)} {digits(r, 4)}", f"00{digits(r, 6)}", f"MR-{digits(r, 6)}",
                         f"CHK{digits(r, 7)}", f"UHID{digits(r, 8)}", f"{r.choice('KRTVW')}{digits(r, 7)}",
                         f"{digits(r, 3)}-{digits(r, 3)}-{digits(r, 3)}", f"HN{digits(r, 6)}",
                         f"{digits(r, 2)} {digits(r, 3)} {digits(r, 3)}", f"E{digits(r, 9)}",
                         f"IP/{self.year}/{digits(r, 5)}" if self.loc == "en_IN" else f"URN {digits(r, 6)}"
                         ]).replace("URN ", "UR")

    def mrn_label(self):
        self._ml = self._mrn_label()
        return self._ml

    def _mrn_label(self):
        if self.loc == "en_GB":
            return self.ch(["NHS No", "NHS number", "Hospital No", "MRN"])
        if self.loc == "en_AU":
            return self.ch(["UR No", "URN", "MRN"])
        if self.loc == "en_IN":
            return self.ch(["UHID", "IP No", "Reg. No", "MRD No"])
        return self.ch(["MRN", "Med Rec #", "Chart #", "Hosp #", "Unit No"])

    def plan(self):
        r = self.r
        loc = self.loc
        if loc == "en_US":
            L = "ACDEFGHJKMNPQRTUVWXY"
            return r.choice([f"{r.choice(['XKP', 'WQH', 'ZGN', 'JBL'])}{digits(r, 9)}",
                             f"{r.randint(1, 9)}{r.choice(L)}{r.choice(L)}{r.randint(0, 9)}-{r.choice(L)}{r.choice(L)}{r.randint(0, 9)}-{r.choice(L)}{r.choice(L)}{digits(r, 2)}",
                             f"{r.choice(['MC', 'NY', 'TX'])}{digits(r, 8)}{r.choice('ABCDX')}",
                             f"GRP-{digits(r, 6)}", f"{digits(r, 3)}{r.choice(L)}{digits(r, 5)}"])
        if loc == "en_CA":
            return r.choice([f"{digits(r, 4)}-{digits(r, 3)}-{digits(r, 3)}-{r.choice(['AB', 'KT', 'MX', 'ZP'])}",
                             f"9{digits(r, 3)} {digits(r, 3)} {digits(r, 3)}", f"{digits(r, 10)}"])
        if loc == "en_AU":
            s = f"{r.randint(2, 6)}{digits(r, 8)}"
            return r.choice([f"{s[:4]} {s[4:9]} {r.randint(1, 5)}", f"{s}{r.randint(1, 5)}", f"{s[:4]} {s[4:9]} {r.randint(1, 5)}/{r.randint(1, 5)}"])
        if loc == "en_IN":
            return r.choice([f"PMJAY-{r.choice(['MH', 'KA', 'KL', 'RJ'])}-{digits(r, 9)}", f"{digits(r, 10)}",
                             f"{r.choice('PQRSTUVWXYZ')}{digits(r, 8)}"])
        return r.choice([f"{digits(r, 8)}", f"BUP{digits(r, 7)}", f"AX-{digits(r, 4)}-{digits(r, 4)}"])

    def account(self):
        r = self.r
        return r.choice([f"{digits(r, 10)}", f"ACCT-{digits(r, 7)}", f"A{digits(r, 8)}", f"{digits(r, 4)}-{digits(r, 5)}",
                         f"PA{digits(r, 6)}", f"BIL/{digits(r, 6)}"])

    def dea(self, last):
        r = self.r
        ds = [r.randint(0, 9) for _ in range(6)]
        c = (ds[0] + ds[2] + ds[4] + 2 * (ds[1] + ds[3] + ds[5])) % 10
        return r.choice("ABFGM") + (last[0].upper() if last[0].isalpha() and last[0].isascii() else "X") + "".join(map(str, ds)) + str(c)

    def npi(self):
        b = f"{self.r.choice('12')}{digits(self.r, 8)}"
        return b + luhn_digit("80840" + b)

    def licence(self, p=None):
        r = self.r
        loc = self.loc
        if loc == "en_US":
            c = r.randrange(3)
            if c == 0 and p:
                return "DEA", self.dea(p["last"])
            if c == 1:
                return "NPI", self.npi()
            return "Lic", f"{r.choice(['MD', 'DO', 'RN'])}{digits(r, 6)}"
        if loc == "en_GB":
            return r.choice([("GMC", digits(r, 7)), ("NMC PIN", f"{digits(r, 2)}{r.choice('ABCDEFGHIJ')}{digits(r, 4)}{r.choice('EONSW')}"),
                             ("GPhC", digits(r, 7))])
        if loc == "en_CA":
            return r.choice([("CPSO", digits(r, 5)), ("CPSBC", digits(r, 5)), ("Licence", f"{r.choice('ABC')}-{digits(r, 5)}")])
        if loc == "en_AU":
            return r.choice([("AHPRA", f"MED{digits(r, 10)}"), ("AHPRA", f"NMW{digits(r, 10)}"), ("Prescriber No", digits(r, 7))])
        return r.choice([("Reg. No", f"{r.choice(['KMC', 'MMC', 'TNMC', 'DMC'])}-{digits(r, 5)}"), ("MCI Reg", f"{digits(r, 5)}"),
                         ("Reg. No", f"{r.randint(1985, 2015)}/{r.randint(1, 12):02d}/{digits(r, 4)}")])

    def driver_lic(self):
        r = self.r
        loc = self.loc
        if loc == "en_US":
            return f"{r.choice('ABDGKMSTW')}{digits(r, 3)}-{digits(r, 4)}-{digits(r, 4)}"
        if loc == "en_GB":
            return f"{r.choice(['MORGA', 'KHANN', 'PRICE', 'HUGHE'])}{digits(r, 6)}{r.choice(['AB', 'JT', 'RW'])}9{r.choice('ABCDE')}{r.choice('ABCDE')}"
        if loc == "en_CA":
            return f"{r.choice('ABCDEFGHK')}{digits(r, 4)}-{digits(r, 5)}-{digits(r, 5)}"
        if loc == "en_AU":
            return digits(r, 9)
        return f"{r.choice(['MH', 'KA', 'KL', 'TN'])}{r.randint(1, 50):02d} {r.randint(2000, 2020)}{digits(r, 7)}"

    def plate(self):
        return self.f0.license_plate()

    def vin(self):
        return self.f0.vin()

    def device(self):
        r = self.r
        c = r.randrange(4)
        if c == 0:
            return f"(01){digits(r, 14)}(17){r.randint(27, 31)}{r.randint(1, 12):02d}{r.randint(1, 28):02d}(10){r.choice('ABCKLM')}{digits(r, 4)}(21){r.choice(['SN', 'P', ''])}{digits(r, 6)}"
        if c == 1:
            return f"{r.choice(['PJN', 'RNM', 'BXK', 'QAV'])}{digits(r, 6)}{r.choice('HSGV')}"
        if c == 2:
            return f"SN {digits(r, 4)}-{digits(r, 4)}"
        return f"{r.choice(['MMT', 'TDX', 'OMP'])}-{digits(r, 7)}"

    def url(self, p=None):
        r = self.r
        dom = r.choice(["example-health.org", "example-clinic.com", "myhealth.example.net", "portal.example.co.uk",
                        "example-gp.com.au", "example-hospital.in", "care.example.ca"])
        if p is not None and r.random() < 0.5:
            return f"https://{dom}/u/{self.username(p)}"
        return r.choice([f"https://{dom}/patient/{digits(r, 6)}", f"www.{dom}", f"https://{dom}/appointments?ref={digits(r, 8)}",
                         f"http://{dom}/results/{r.choice('abcdefxyz')}{digits(r, 5)}", f"{dom}/book"])

    def ip(self):
        r = self.r
        if r.random() < 0.2:
            return self.f0.ipv6()
        return r.choice([f"10.{r.randint(0, 255)}.{r.randint(0, 255)}.{r.randint(1, 254)}", f"192.168.{r.randint(0, 255)}.{r.randint(1, 254)}",
                         f"{r.randint(23, 210)}.{r.randint(0, 255)}.{r.randint(0, 255)}.{r.randint(1, 254)}",
                         f"172.{r.randint(16, 31)}.{r.randint(0, 255)}.{r.randint(1, 254)}"])

    def biometric(self):
        r = self.r
        return r.choice([f"FPT-{digits(r, 5)}-{r.choice('ABC')}", f"RET/{digits(r, 6)}", f"VP-{digits(r, 4)}-{digits(r, 3)}",
                         f"BIO{digits(r, 8)}", f"IRIS-{r.choice('LR')}{digits(r, 6)}"])

    def some_id(self, what):
        r = self.r
        y = self.year
        return {
            "incident": r.choice([f"{y}-{digits(r, 6)}", f"INC{digits(r, 7)}", f"IR-{y % 100}-{digits(r, 4)}", f"DATIX {digits(r, 6)}".split()[1]]),
            "run": r.choice([f"{y}{digits(r, 6)}", f"R-{digits(r, 7)}", f"{y % 100}-{digits(r, 5)}", f"PCR {digits(r, 8)}".split()[1]]),
            "accession": r.choice([f"ACC{digits(r, 8)}", f"RAD-{y % 100}-{digits(r, 6)}", f"{r.choice('CMX')}{digits(r, 9)}"]),
            "specimen": r.choice([f"S{y % 100}-{digits(r, 5)}", f"SP{digits(r, 7)}", f"{digits(r, 2)}H{digits(r, 6)}"]),
            "claim": r.choice([f"CLM{digits(r, 9)}", f"{digits(r, 4)}-{digits(r, 6)}-{digits(r, 2)}"]),
            "order": r.choice([f"ORD{digits(r, 7)}", f"{digits(r, 8)}", f"OE-{digits(r, 6)}"]),
            "encounter": r.choice([f"ENC{digits(r, 8)}", f"V{digits(r, 9)}", f"{y % 100}{digits(r, 7)}"]),
            "rx": r.choice([f"RX{digits(r, 7)}", f"{digits(r, 7)}", f"Rx-{digits(r, 6)}"]),
            "callref": r.choice([f"CR-{digits(r, 6)}", f"{digits(r, 3)}-{digits(r, 3)}-{digits(r, 3)}", f"CALL{digits(r, 8)}"]),
            "report": r.choice([f"RPT-{y}-{digits(r, 5)}", f"{r.choice('HPL')}{y % 100}-{digits(r, 5)}"]),
            "ticket": r.choice([f"SR{digits(r, 8)}", f"TKT-{digits(r, 6)}"]),
        }[what]


# ---------------------------------------------------------------- PHI document kinds
def title(p):
    return "Mr" if p["sex"] == "M" else random.Random(p["last"]).choice(["Mrs", "Ms"])


def pron(p):
    return ("he", "his", "him") if p["sex"] == "M" else ("she", "her", "her")


def relative_first(c, pat):
    rel = c.ch(RELATIONS)
    sex = REL_SEX.get(rel)
    q = c.person(sex=sex, wordlike=c.r.random() < 0.08 and sex is None)
    return rel, q


def k_discharge(c, d):
    r = c.r
    pt = c.person()
    doc = c.person()
    fac = c.facility()
    mrn = c.mrn()
    adm, dis = c.md_range()
    dob, age = c.dob()
    old = r.random() < 0.35
    d.f("{fac}\nDISCHARGE SUMMARY\n\nPatient: {pn}    {ml}: {mrn}\nDOB: {dob}    Sex: {sex}\n",
        fac=(fac, "FACILITY"), pn=(c.nm(pt, r.choice(["fl", "LF", "Lf", "fml"])), "NAME"), ml=c.mrn_label(),
        mrn=(mrn, "MRN"), dob=(dob, "DATE"), sex=pt["sex"])
    d.f("Admitted: {a}   Discharged: {b}   Ward: {w}, bed {bed}\nAttending: Dr. {dn}, {cred}\n\n",
        a=(adm, "DATE"), b=(dis, "DATE"), w=r.choice(["7B", "Lister", "Nightingale", "4 North", "AMU", "CCU"]),
        bed=str(r.randint(1, 30)), dn=(c.nm(doc, r.choice(["fl", "fml"])), "NAME"), cred=r.choice(["MD", "MBBS", "FRCP", "FRACP", "DO"]))
    if r.random() < 0.4:
        d.f("Insurance: {pl}, member ID {mid}\n", pl=c.ch(INSURERS[c.loc]), mid=(c.plan(), "HEALTH_PLAN"))
    if r.random() < 0.4:
        nk = c.person()
        d.f("Next of kin: {nn} ({rel}) {ph}\n", nn=(c.nm(nk, r.choice(["fl", "LF"])), "NAME"), rel=c.ch(RELATIONS), ph=(c.phone(), "PHONE"))
    d.t("\nHOSPITAL COURSE\n")
    if old:
        d.f("{pron} ", pron=pt["last"] and ("Mr." if pt["sex"] == "M" else "Mrs."))
        d.p(pt["last"], "NAME")
        d.t(" is ")
        d.f("{a}", a=c.age_phrase())
    else:
        d.t("This is " + c.young_age_phrase())
    d.f(" {sx} admitted with {dx}. Treated per protocol with IV antibiotics and {drug} daily; "
        "CURB-65 score {curb} on admission, GCS 15 throughout. ",
        sx="man" if pt["sex"] == "M" else "woman", dx=c.ch(DX), drug=c.ch(DRUGS), curb=str(r.randint(0, 3)))
    if r.random() < 0.6:
        rel, q = relative_first(c, pt)
        d.f("Collateral history from {hp} {rel} {qn}, who can be reached on {ph}. ",
            hp=pron(pt)[1], rel=rel, qn=(q["first"], "NAME"), ph=(c.phone(), "PHONE"))
    if r.random() < 0.6:
        d.f("Lives at {addr} ", addr=c.addr_segs())
        d.t(r.choice(["with a spouse; independent with a frame.", "alone, package of care QDS.", "with family."]))
    elif r.random() < 0.7:
        d.f(r.choice(["Lives with {hp} {rel} in {tn}. ", "Originally from {tn}, moved here in {yr}. ", "Lives near {tn} on a farm. ",
                      "Was visiting family in {tn} when unwell. "]), hp=pron(pt)[1], rel=c.ch(["son", "daughter", "partner", "sister"]),
            tn=(c.town(), "LOCATION"), yr=str(r.randint(1960, 2015)))
    if r.random() < 0.35:
        d.f("{dev} in situ (serial {sn}); device clinic informed. ", dev=r.choice(["Dual-chamber pacemaker", "ICD", "Insulin pump", "Cochlear implant", "Spinal cord stimulator"]),
            sn=(c.device(), "DEVICE"))
    if r.random() < 0.3:
        a, b = c.md_range()
        d.f("Previous admission {a} - {b} for the same problem. ", a=(a, "DATE"), b=(b, "DATE"))
    d.t("\n\nDISCHARGE MEDICATIONS\n")
    for _ in range(r.randint(3, 5)):
        d.t(f"- {c.ch(DRUGS)} {r.choice(['once daily', 'BD', 'nocte', 'TDS', 'PRN'])}\n")
    d.f("\nFOLLOW-UP\nReview in clinic on {fu} with Dr {dl}. Repeat U&E in 1 week via GP at {gp}.\n",
        fu=(c.date(r.choice(["ord", "md", "long", "short"])), "DATE"), dl=(doc["last"], "NAME"), gp=(c.facility(), "FACILITY"))
    d.f("\nElectronically signed: {dn} {sd} 16:42\n", dn=(c.nm(doc, "il"), "NAME"), sd=(c.date("num4"), "DATE"))


def k_nursing(c, d):
    r = c.r
    pt = c.person()
    rn = c.person()
    d.f("{t} nursing note - bay {b} bed {bed}\n", t=r.choice(["0700", "1930", "night shift", "days"]), b=str(r.randint(1, 6)), bed=str(r.randint(1, 6)))
    d.f("pt {pn} ({mrn}) ", pn=(c.nm(pt, r.choice(["fl", "f", "lower", "LF"])), "NAME"), mrn=(c.mrn(), "MRN"))
    d.t(r.choice(["settled overnight, ", "restless until 0300, ", "c/o pain 6/10 at 2200, "]))
    d.t(f"obs stable, BP {r.randint(100, 160)}/{r.randint(55, 95)}, HR {r.randint(55, 110)}, sats {r.randint(92, 99)}% RA. ")
    d.t(f"Morse {r.randint(25, 85)}, Braden {r.randint(10, 20)}. ")
    rel, q = relative_first(c, pt)
    d.f("{rel} {qn} visited ", rel=rel, qn=(q["first"] if r.random() < 0.6 else q["first"].lower(), "NAME"))
    if r.random() < 0.5:
        d.f("from {tn} ", tn=(c.town(), "LOCATION"))
    d.f("and asked to be called on {ph} if any change. ", ph=(c.phone(), "PHONE"))
    if r.random() < 0.4:
        d.f("pt says {sp} is {a} next month and still drives. ", sp="she" if pt["sex"] == "F" else "he",
            a=(str(c.old_age()), "AGE"))
    if r.random() < 0.5:
        d.f("Dr {dl} aware, to review on ward round. ", dl=(c.person()["last"], "NAME"))
    if r.random() < 0.5:
        a, b = c.md_range()
        d.f("abx course {a} - {b}. ", a=(a, "DATE"), b=(b, "DATE"))
    d.t(r.choice(["pt may shower in am. ", "will continue 2hrly turns. ", "Foley catheter draining well. ", "PEWS 0. "]))
    if r.random() < 0.45:
        d.f(r.choice(["fy1 bleeped on {b}, ", "registrar paged ({b}), ", "outreach bleep {b} called, "]), b=(str(r.randint(1000, 9999)), "PHONE"))
        d.t("reviewed at 0200. ")
    if r.random() < 0.35:
        d.f(r.choice(["pt keen to get home to {tn}. ", "lives with {hp} son in {tn}, ", "family live out at {tn}. "]), tn=(c.town(), "LOCATION"),
            hp=pron(pt)[1])
    d.f("\n- {rn}, {cr}\n", rn=(c.nm(rn, r.choice(["fl", "il", "lower", "f"])), "NAME"), cr=r.choice(["RN", "EN", "RGN", "SRN", "RPN"]))


def k_progress(c, d):
    r = c.r
    pt = c.person()
    doc = c.person()
    dt = c.date()
    d.f("PROGRESS NOTE  {dt}\nPatient: {pn}   {ml} {mrn}\n", dt=(dt, "DATE"), pn=(c.nm(pt), "NAME"), ml=c.mrn_label() + ":", mrn=(c.mrn(), "MRN"))
    d.t("S: ")
    if r.random() < 0.5:
        d.f("Reports feeling better since last seen {ls}. ", ls=(c.date(r.choice(["md", "ord"])), "DATE"))
    else:
        d.t("Ongoing breathlessness on exertion, 2-pillow orthopnoea. ")
    if r.random() < 0.4:
        d.f("Says {sp}'ll be ", sp="she" if pt["sex"] == "F" else "he")
        d.p(c.age_words(c.old_age()), "AGE")
        d.t(" this year. ")
    d.t(f"\nO: T {r.randint(360, 389) / 10} BP {r.randint(100, 170)}/{r.randint(60, 99)} HR {r.randint(50, 115)} RR {r.randint(12, 26)}. Chest clear. Pain 2/10.\n")
    d.t(f"Labs: Na {r.randint(128, 145)} mmol/L, K {r.randint(33, 55) / 10}, Cr {r.randint(60, 220)} umol/L, Hb {r.randint(85, 160)} g/L, BUN/Cr 18.\n")
    d.t(f"A: {c.ch(DX)}, improving.\nP: continue {c.ch(DRUGS)}; ")
    if r.random() < 0.35:
        a, b = c.md_range()
        d.f("was admitted {a} - {b} last time. ", a=(a, "DATE"), b=(b, "DATE"))
    if r.random() < 0.35:
        d.f(r.choice(["page me at {pg} with results. ", "cardiology fellow pager {pg}. ", "call ext. {pg} if K > 6. "]),
            pg=(r.choice([str(r.randint(1000, 9999)), c.phone()]), "PHONE"))
    if r.random() < 0.5:
        rel, q = relative_first(c, pt)
        d.f("discussed with {rel} {qn} by phone ({ph}). ", rel=rel, qn=(q["first"], "NAME"), ph=(c.phone(), "PHONE"))
    if r.random() < 0.4:
        d.f("Referred to {fac}. ", fac=(c.facility(), "FACILITY"))
    d.f("\n{dn}, {cr} ({lt} {lic})\n", dn=(c.nm(doc, r.choice(["fl", "il"])), "NAME"), cr=r.choice(["MD", "NP", "PA-C", "MBBS", "MRCP"]),
        lt=(lic := c.licence(doc))[0], lic=(lic[1], "LICENSE"))


def k_hp(c, d):
    r = c.r
    pt = c.person()
    old = r.random() < 0.6
    n = c.old_age() if old else r.randint(20, 89)
    dob, _ = c.dob(age=n)
    d.t("HISTORY AND PHYSICAL\n\n")
    d.f("NAME.......... {pn}\nDOB........... {dob}\n", pn=(c.nm(pt, r.choice(["LF", "fl", "Lf"])), "NAME"), dob=(dob, "DATE"))
    if old:
        d.f("AGE ...... {a}\n", a=(str(n), "AGE"))
    else:
        d.t(f"AGE ...... {n}\n")
    d.f("{ml}......... {mrn}\nADMIT DATE.... {ad}\n", ml=c.mrn_label().upper(), mrn=(c.mrn(), "MRN"), ad=(c.date(), "DATE"))
    d.f("{sl}.......... {ssn}\n", sl=c.ssn_label().upper(), ssn=(c.ssn(), "SSN"))
    if r.random() < 0.5:
        d.f("INSURANCE..... {pl} / {mid}\n", pl=c.ch(INSURERS[c.loc]).upper(), mid=(c.plan(), "HEALTH_PLAN"))
    d.f("PCP........... Dr. {pcp}, {fac}\n\n", pcp=(c.nm(c.person(), r.choice(["fl", "l"])), "NAME"), fac=(c.facility(), "FACILITY"))
    d.t(f"CHIEF COMPLAINT: {r.choice(['fall at home', 'chest pain', 'confusion', 'shortness of breath'])}.\n")
    d.t("HPI: ")
    if old:
        d.t("Patient is ")
        d.f("{a}", a=c.age_phrase(n))
    else:
        d.t(f"Patient is {'an' if n >= 80 else 'a'} {n}-year-old")
    d.t(f" with a history of {c.ch(DX)} and Parkinson's disease. ")
    rel, q = relative_first(c, pt)
    d.f("Found on the floor by {rel} {qn} at home in {tn}. ", rel=rel, qn=(q["first"], "NAME"), tn=(c.town(), "LOCATION"))
    d.t("No LOC. Glasgow Coma Scale 14.\n")
    d.t(f"SOCIAL: Ex-smoker, quit in {r.randint(1975, 2015)}. Lives in own home. \n")
    d.f("CONTACT: {ph}\n", ph=(c.phone(), "PHONE"))
    d.t("EXAM: Babinski sign negative bilaterally. Heart sounds I+II+0.\nPLAN: admit to medicine, CT head, falls bundle.\n")
    doc = c.person()
    d.f("\n{dn}, MD   {dt}\n", dn=(c.nm(doc), "NAME"), dt=(c.date("num4"), "DATE"))


def k_ems(c, d):
    r = c.r
    pt = c.person()
    rn = c.some_id("run")
    d.f("PATIENT CARE REPORT\nRun #: {rn}   Incident #: {inc}   Unit: Medic {u}\nDate: {dt}  Dispatch 14:{mm}  On scene 14:{m2}\n",
        rn=(rn, "ID"), inc=(c.some_id("incident"), "ID"), u=str(r.randint(1, 40)), dt=(c.date(), "DATE"), mm=f"{r.randint(0, 29):02d}", m2=f"{r.randint(30, 59):02d}")
    d.f("Pickup: {addr}\n", addr=c.addr_segs())
    d.f("Pt: {pn}  DOB {dob}\n", pn=(c.nm(pt, r.choice(["LF", "fl"])), "NAME"), dob=(c.dob()[0], "DATE"))
    d.t("NARRATIVE: Dispatched to ")
    if r.random() < 0.5:
        d.f("a residence near {tn} for ", tn=(c.town(), "LOCATION"))
    d.f("{a} ", a=c.age_phrase() if r.random() < 0.4 else [(c.young_age_phrase(), None)])
    d.t(f"{'male' if pt['sex'] == 'M' else 'female'} c/o {r.choice(['chest pain', 'fall', 'SOB', 'syncope'])}. GCS 15, BGL {r.randint(40, 140) / 10} mmol/L. 12-lead shows sinus rhythm. ")
    if r.random() < 0.5:
        rel, q = relative_first(c, pt)
        d.f("Hx given by {rel} {qn}. ", rel=rel, qn=(q["first"], "NAME"))
    if r.random() < 0.5:
        d.f(r.choice(["Pt vehicle {pl} left at scene. ", "MVC: pt was driver of {pl}. ", "Car reg {pl} parked on driveway, keys given to police. "]),
            pl=(c.plate(), "VEHICLE"))
    if r.random() < 0.3:
        d.f("ID confirmed from driver's licence {dl}. ", dl=(c.driver_lic(), "LICENSE"))
    d.f("Transported to {fac} ED without incident.\n", fac=(c.facility(), "FACILITY"))
    c1, c2 = c.person(), c.person()
    d.f("Crew: {a}, EMT-P ({la} {l1}); {b}, EMT-B\n", a=(c.nm(c1, r.choice(["fl", "LF"])), "NAME"), la=(l := c.licence(c1))[0], l1=(l[1], "LICENSE"),
        b=(c.nm(c2, r.choice(["fl", "il"])), "NAME"))


def k_pharmacy(c, d):
    r = c.r
    fac = c.facility("pharm")
    d.f("{fac} - CONTROLLED DRUG REGISTER\nDrug: {drug}\n\n", fac=(fac, "FACILITY"), drug=c.ch(CONTROLLED))
    d.t(f"{'DATE':<12}{'PATIENT':<26}{'RX#':<12}{'QTY':>5}  {'PRESCRIBER':<22}{'DEA/REG':<14}BAL\n")
    bal = r.randint(40, 300)
    for _ in range(r.randint(3, 6)):
        pt, pr = c.person(), c.person()
        dt = c.date(r.choice(["num4", "iso", "dmy_mon"]))
        pn = c.nm(pt, "LF")
        rx = c.some_id("rx")
        q = r.randint(5, 60)
        bal -= q
        prn = c.nm(pr, r.choice(["LF", "il"]))
        lt, lic = ("DEA", c.dea(pr["last"])) if c.loc == "en_US" else c.licence(pr)
        d.f("{dt}{s1}{pn}{s2}{rx}{s3}{q}  {prn}{s4}{lic}{s5}{bal}\n",
            dt=(dt, "DATE"), s1=" " * max(1, 12 - len(dt)), pn=(pn, "NAME"), s2=" " * max(1, 26 - len(pn)), rx=(rx, "ID"),
            s3=" " * max(1, 12 - len(rx)), **{"q": f"{q:>5}"}, prn=(prn, "NAME"), s4=" " * max(1, 22 - len(prn)), lic=(lic, "LICENSE"),
            s5=" " * max(1, 14 - len(lic)), bal=str(bal))
    ph = c.person()
    d.f("\nCount verified by {pn}, {cr}\n", pn=(c.nm(ph, r.choice(["fl", "LF"])), "NAME"), cr=r.choice(["RPh", "PharmD", "MRPharmS", "B.Pharm"]))


def k_referral(c, d):
    r = c.r
    fac = c.facility()
    gp = c.person()
    cons = c.person()
    pt = c.person()
    d.p(fac, "FACILITY").t("\n")
    d.f("{a}\n", a=c.addr_segs(lines=True, with_country=r.random() < 0.3))
    d.f("Tel: {t}   Fax: {fx}\n", t=(c.phone(), "PHONE"), fx=(c.phone(), "PHONE"))
    if r.random() < 0.6:
        d.f("{w}\n", w=(c.url(), "URL"))
    d.f("\n{dt}\n\nDr {cn}\n{cf}\n", dt=(c.date(r.choice(["long", "short", "num4"])), "DATE"), cn=(c.nm(cons, r.choice(["fl", "il"])), "NAME"), cf=(c.facility(), "FACILITY"))
    d.f("{a}\n\n", a=c.addr_segs(lines=True))
    dob, age = c.dob()
    d.f("Re: {pn}, DOB {dob}, {ml} {mrn}\n", pn=(c.nm(pt, r.choice(["fl", "LF", "fml"])), "NAME"), dob=(dob, "DATE"), ml=c.mrn_label(), mrn=(c.mrn(), "MRN"))
    d.f("{a}\n\n", a=c.addr_segs())
    d.f("Dear Dr {cl},\n\nThank you for seeing {t} {pl}, ", cl=(cons["last"], "NAME"), t=title(pt), pl=(pt["last"], "NAME"))
    if r.random() < 0.4:
        d.f("{a} ", a=c.age_phrase())
        d.t("patient ")
    d.t(f"with {c.ch(DX)}. {pron(pt)[0].capitalize()} has been on {c.ch(DRUGS)} since {r.randint(2010, 2022)}. ")
    d.t("Examination showed a positive Murphy's sign. eGFR 48 mL/min/1.73m2. ")
    if r.random() < 0.5:
        d.f("{hp} daughter {qn} ({ph}) would like to attend. ", hp=pron(pt)[1].capitalize(), qn=(c.person("F")["first"], "NAME"), ph=(c.phone(), "PHONE"))
    if r.random() < 0.5:
        d.f("Previous letters from your colleague Dr {ol} dated {od} are attached. ", ol=(c.person()["last"], "NAME"), od=(c.date(), "DATE"))
    d.t("\n\nYours sincerely,\n\n")
    lt, lic = c.licence(gp)
    d.f("Dr {gn}\n{cr}\n{lt} {lic}\n", gn=(c.nm(gp, r.choice(["fl", "fml"])), "NAME"), cr=r.choice(["MBChB MRCGP", "MD CCFP", "MBBS FRACGP", "MBBS MD", "MD"]),
        lt=lt, lic=(lic, "LICENSE"))
    if r.random() < 0.5:
        d.f("{em}\n", em=(c.email(gp), "EMAIL"))


def k_lab(c, d):
    r = c.r
    pt = c.person()
    lab = c.facility("lab")
    d.f("{lab}\nCUMULATIVE REPORT\n\n", lab=(lab, "FACILITY"))
    d.f("Patient : {pn}\t{ml}: {mrn}\nDOB     : {dob}\tSex: {sx}\nSpecimen: {sp}\tCollected: {cd} 07:15\n",
        pn=(c.nm(pt, r.choice(["LF", "Lf", "fl"])), "NAME"), ml=c.mrn_label(), mrn=(c.mrn(), "MRN"), dob=(c.dob()[0], "DATE"), sx=pt["sex"],
        sp=(c.some_id("specimen"), "ID"), cd=(c.date(), "DATE"))
    d.f("Requested by: Dr {dn}   Received: {rd}\n\n", dn=(c.nm(c.person(), r.choice(["il", "l", "fl"])), "NAME"), rd=(c.date(r.choice(["md", "num4", "ord"])), "DATE"))
    rows = [("Haemoglobin", f"{r.randint(85, 170)}", "g/L", "130-170"), ("WBC", f"{r.randint(30, 180) / 10}", "x10^9/L", "4.0-11.0"),
            ("Platelets", f"{r.randint(90, 450)}", "x10^9/L", "150-400"), ("Sodium", f"{r.randint(125, 148)}", "mmol/L", "135-145"),
            ("Potassium", f"{r.randint(30, 60) / 10}", "mmol/L", "3.5-5.2"), ("Creatinine", f"{r.randint(50, 300)}", "umol/L", "60-110"),
            ("HbA1c", f"{r.randint(35, 95)}", "mmol/mol", "<48"), ("CRP", f"{r.randint(1, 250)}", "mg/L", "<5"),
            ("INR", f"{r.randint(9, 40) / 10}", "", "0.8-1.2"), ("TSH", f"{r.randint(2, 90) / 10}", "mU/L", "0.4-4.0")]
    d.t(f"{'TEST':<14}{'RESULT':>8}  {'UNITS':<10}{'REF RANGE':<12}\n")
    for a, b, u, rr in r.sample(rows, r.randint(4, 8)):
        d.t(f"{a:<14}{b:>8}  {u:<10}{rr:<12}\n")
    if r.random() < 0.5:
        d.f("Note: specimen {sp} ({pn}) haemolysed; repeat requested.\n", sp=(c.some_id("specimen"), "ID"), pn=(c.nm(pt, "fl"), "NAME"))
    d.f("\nVerified by {vn}, {cr}  {vd}\n", vn=(c.nm(c.person(), r.choice(["fl", "il"])), "NAME"), cr=r.choice(["BMS", "MLS(ASCP)", "FRCPath"]), vd=(c.date(), "DATE"))


def k_radiology(c, d):
    r = c.r
    pt = c.person()
    d.f("RADIOLOGY REPORT - {fac}\nExam: {ex}\nPatient: {pn}  {ml}: {mrn}  Accession: {acc}\nExam date: {ed}  Comparison: {cd}\n\n",
        fac=(c.facility(), "FACILITY"), ex=r.choice(["CT HEAD WITHOUT CONTRAST", "CXR PA/LAT", "MRI LUMBAR SPINE", "US ABDOMEN", "CT PULMONARY ANGIOGRAM"]),
        pn=(c.nm(pt, r.choice(["LF", "fl"])), "NAME"), ml=c.mrn_label(), mrn=(c.mrn(), "MRN"), acc=(c.some_id("accession"), "ID"),
        ed=(c.date(), "DATE"), cd=(c.date(r.choice(["num4", "md", "short"])), "DATE"))
    d.t("CLINICAL HISTORY: ")
    if r.random() < 0.5:
        d.f("{a} ", a=c.age_phrase())
    else:
        d.t(c.young_age_phrase() + " ")
    d.t("with fall. ")
    if r.random() < 0.3:
        d.f("Pacemaker in situ (serial {sn}), MR-conditional. ", sn=(c.device(), "DEVICE"))
    d.t("\nFINDINGS: No acute intracranial haemorrhage. Chronic small vessel change. Fazekas grade 2. No midline shift.\n")
    d.t("IMPRESSION: No acute abnormality. BI-RADS not applicable.\n")
    d.f("Critical result phoned to Dr {dl} on {ph} at 15:20.\n" if r.random() < 0.4 else "",
        dl=(c.person()["last"], "NAME"), ph=(c.phone(), "PHONE"))
    d.f("\nReported by: {rn}, {cr}\n", rn=(c.nm(c.person(), r.choice(["fl", "fml"])), "NAME"), cr=r.choice(["MD", "FRCR", "FRANZCR", "FRCPC", "MD DNB"]))


def k_csv(c, d):
    r = c.r
    v = r.randrange(3)
    if v == 0:
        sep = r.choice([",", ",", ";", "\t", "|"])
        d.t(("mrn,last_name,first_name,dob,sex,postcode,phone\n" if c.loc != "en_US" else "mrn,last_name,first_name,dob,sex,zip,phone\n").replace(",", sep))
        for _ in range(r.randint(3, 7)):
            p = c.person()
            d.f("{m},{l},{fi},{dob},{sx},{z},{ph}\n".replace(",", sep), m=(c.mrn().replace(",", ""), "MRN"), l=(p["last"].upper() if r.random() < 0.5 else p["last"], "NAME"),
                fi=(p["first"], "NAME"), dob=(c.dob(r.choice(["iso", "num4"]))[0], "DATE"), sx=p["sex"], z=(c.zip(), "ZIP"),
                ph=(c.phone().replace(",", ""), "PHONE"))
    elif v == 1:
        d.t("encounter_id,mrn,patient,admit_date,discharge_date,ward,attending,los_days\n")
        for _ in range(r.randint(3, 7)):
            p, a = c.person(), c.person()
            ad, dd = c.md_range()
            d.f('{e},{m},"{pn}",{ad},{dd},{w},"{an}",{los}\n', e=(c.some_id("encounter"), "ID"), m=(c.mrn(), "MRN"), pn=(c.nm(p, "LF"), "NAME"),
                ad=(c.fmt_date(c.year, 3, r.randint(1, 9), "iso"), "DATE"), dd=(c.fmt_date(c.year, 3, r.randint(10, 20), "iso"), "DATE"),
                w=r.choice(["7B", "ICU", "AMU", "4N", "CCU"]), an=(c.nm(a, r.choice(["il", "Lf"])), "NAME"), los=str(r.randint(1, 12)))
    else:
        d.t("account_no,member_id,claim_id,service_date,cpt,amount,zip\n" if c.loc == "en_US" else "account_no,member_id,claim_id,service_date,item,amount,postcode\n")
        for _ in range(r.randint(3, 7)):
            d.f("{a},{m},{cl},{sd},{cpt},{amt},{z}\n", a=(c.account(), "ACCOUNT"), m=(c.plan(), "HEALTH_PLAN"), cl=(c.some_id("claim"), "ID"),
                sd=(c.date("iso"), "DATE"), cpt=r.choice(["99213", "99214", "93000", "80053", "71046", "23", "36"]), amt=f"{r.randint(20, 900)}.{r.randint(0, 99):02d}",
                z=(c.zip(), "ZIP"))


def js(s):
    return json.dumps(s, ensure_ascii=False)[1:-1]


def k_json(c, d):
    r = c.r
    p = c.person()
    ind = "  "
    d.t("{\n")
    d.f(ind + '"mrn": "{m}",\n', m=(js(c.mrn()), "MRN"))
    d.f(ind + '"name": {{"family": "{l}", "given": "{fi}"}},\n'.replace("{{", "⟨").replace("}}", "⟩"), l=(p["last"], "NAME"), fi=(p["first"], "NAME"))
    d.f(ind + '"dob": "{dob}",\n', dob=(c.dob("iso")[0], "DATE"))
    d.f(ind + '"address": {{"line": "{a}", "city": "{t}", '.replace("{{", "⟨"), a=(js(c.street()), "ADDRESS"), t=(c.town(), "LOCATION"))
    reg = c.region()
    if reg:
        d.t(f'"state": "{reg}", ')
    z = c.zip()
    key = "zip" if c.loc == "en_US" else ("pin" if c.loc == "en_IN" else "postcode")
    if z.isdigit() and r.random() < 0.6 and not z.startswith("0"):
        d.f('"{k}": {z}⟩,\n', k=key, z=(z, "ZIP"))
    else:
        d.f('"{k}": "{z}"⟩,\n', k=key, z=(z, "ZIP"))
    d.f(ind + '"phone": "{ph}",\n', ph=(c.phone(), "PHONE"))
    if r.random() < 0.5:
        d.f(ind + '"email": "{e}",\n', e=(c.email(p), "EMAIL"))
    if r.random() < 0.6:
        d.f(ind + '"insurance": {{"plan": "{pl}", "member_id": "{mid}"⟩,\n'.replace("{{", "⟨"), pl=c.ch(INSURERS[c.loc]), mid=(c.plan(), "HEALTH_PLAN"))
    if r.random() < 0.5:
        d.f(ind + '"national_id": "{s}",\n', s=(c.ssn(), "SSN"))
    if r.random() < 0.4:
        d.f(ind + '"age": {a},\n', a=(str(c.old_age()), "AGE"))
    else:
        d.t(ind + f'"age_group": "{r.choice(["18-39", "40-64", "65-79", "80+"])}",\n')
    d.t(ind + '"encounters": [\n')
    n = r.randint(1, 3)
    for i in range(n):
        d.f(ind * 2 + '⟨"id": "{e}", "date": "{dt}", "facility": "{fac}", "ward": "{w}", "icd10": "{icd}"⟩{cm}\n',
            e=(c.some_id("encounter"), "ID"), dt=(c.date("iso"), "DATE"), fac=(js(c.facility()), "FACILITY"), w=r.choice(["5A", "ICU", "ED"]),
            icd=r.choice(["I50.9", "J44.1", "E11.65", "N39.0", "S72.001A"]), cm="," if i < n - 1 else "")
    d.t(ind + "],\n" + ind + '"schema_version": "3.2.1"\n}')
    # swap placeholder braces
    d.segs = [(s.replace("⟨", "{").replace("⟩", "}"), t) for s, t in d.segs]


def hl7_name(p):
    return f"{p['last'].upper()}^{p['first'].upper()}^{p['mid']}"


def k_hl7(c, d):
    r = c.r
    p = c.person()
    ts = c.fmt_date(c.year, r.randint(1, 12), r.randint(1, 28), "hl7") + f"{r.randint(0, 23):02d}{r.randint(0, 59):02d}"
    d.f("MSH|^~\\&|ADT1|{fc}|LABADT|{fc}|{ts}||ADT^A0{n}|MSG{mc}|P|2.5.1\n", fc=r.choice(["HOSP", "MCH", "GHC", "RIH"]), ts=(ts, "DATE"),
        n=str(r.randint(1, 8)), mc=digits(r, 6))
    d.f("EVN|A01|{ts}\n", ts=(ts, "DATE"))
    dob = c.dob("hl7")[0]
    st = c.street()
    d.f("PID|1||{mrn}^^^{fc}^MR||{nm}||{dob}|{sx}|||{st}^^{tn}^{reg}^{z}^{cc}||{ph}|||{ms}||{acct}|{ssn}\n",
        mrn=(c.mrn().replace("^", ""), "MRN"), fc="HOSP", nm=(hl7_name(p), "NAME"), dob=(dob, "DATE"), sx=p["sex"], st=(st, "ADDRESS"),
        tn=(c.town(), "LOCATION"), reg=c.region() or "", z=(c.zip(), "ZIP"), cc=c.loc[-2:], ph=(c.phone(), "PHONE"), ms=r.choice(["M", "S", "W"]),
        acct=(c.account(), "ACCOUNT"), ssn=(c.ssn(), "SSN"))
    q = c.person()
    d.f("NK1|1|{nm}|{rel}||{ph}\n", nm=(f"{q['last'].upper()}^{q['first'].upper()}", "NAME"), rel=r.choice(["SPO^Spouse", "DAU^Daughter", "SON^Son", "BRO^Brother"]),
        ph=(c.phone(), "PHONE"))
    a = c.person()
    lic = c.npi() if c.loc == "en_US" else c.licence(a)[1]
    d.f("PV1|1|I|{ward}^{room}^{bed}|||||{lic}^{an}^^^DR|||MED\n", ward=r.choice(["ICU", "4W", "MED"]), room=str(r.randint(1, 40)), bed=str(r.randint(1, 4)),
        lic=(lic, "LICENSE"), an=(f"{a['last'].upper()}^{a['first'].upper()}", "NAME"))
    if r.random() < 0.7:
        d.f("IN1|1|{pc}|{ic}|{ins}||||{grp}|||||||||||||||||||||||||||||||||{mid}\n", pc=r.choice(["PPO", "HMO", "PUB"]), ic=digits(r, 4),
            ins=c.ch(INSURERS[c.loc]).upper(), grp=(f"G{digits(r, 6)}", "HEALTH_PLAN"), mid=(c.plan(), "HEALTH_PLAN"))
    if r.random() < 0.7:
        d.f("OBR|1|{o}|{acc}|{test}|||{ot}\n", o=(c.some_id("order"), "ID"), acc=(c.some_id("accession"), "ID"),
            test=r.choice(["CBC^Complete blood count", "BMP^Basic metabolic panel", "TROP^Troponin T"]),
            ot=(c.fmt_date(c.year, r.randint(1, 12), r.randint(1, 28), "hl7") + f"{r.randint(0, 23):02d}{r.randint(0, 59):02d}", "DATE"))
        d.t(f"OBX|1|NM|K^Potassium||{r.randint(30, 60) / 10}|mmol/L|3.5-5.2|N|||F\n")


def email_hdr_date(c):
    r = c.r
    wd = r.choice(["Mon", "Tue", "Wed", "Thu", "Fri"])
    m = r.randint(1, 12)
    dd = r.randint(1, 28)
    return wd + ", ", f"{dd} {Ctx.MONTHS[m - 1][:3]} {c.year}", f" {r.randint(7, 19):02d}:{r.randint(0, 59):02d}:{r.randint(0, 59):02d} +0000"


def k_email(c, d):
    r = c.r
    pt = c.person()
    dr = c.person()
    to_doc = r.random() < 0.5
    a, b = (pt, dr) if to_doc else (dr, pt)
    wd, dt, tm = email_hdr_date(c)
    d.f('From: "{an}" <{ae}>\nTo: {be}\nDate: {wd}{dt}{tm}\nSubject: {subj}\n\n',
        an=(c.nm(a), "NAME"), ae=(c.email(a), "EMAIL"), be=(c.email(b), "EMAIL"), wd=wd, dt=(dt, "DATE"), tm=tm,
        subj=r.choice(["Re: results", "appointment change", "Repeat prescription", "Question about my tablets"]))
    if to_doc:
        d.f("Dear Dr {dl},\n\n", dl=(dr["last"], "NAME"))
        d.t(f"I was seen on ")
        d.f("{dt} and was told to email about my {x}. My {ml} is {mrn}. ", dt=(c.date(r.choice(["md", "ord", "long"])), "DATE"),
            x=r.choice(["blood results", "scan", "metformin dose"]), ml=c.mrn_label(), mrn=(c.mrn(), "MRN"))
        if r.random() < 0.4:
            d.f("I'm {a} so please call rather than text, on {ph}. ", a=(str(c.old_age()), "AGE"), ph=(c.phone(), "PHONE"))
        if r.random() < 0.4:
            d.f("My {rel} {qn} can also take messages. ", rel=c.ch(RELATIONS), qn=(c.person(wordlike=r.random() < 0.1)["first"], "NAME"))
        if r.random() < 0.4:
            d.f("We have moved to {addr}. ", addr=c.addr_segs())
        d.f("\n\nThanks,\n{pf}\n", pf=(pt["first"] if r.random() < 0.5 else c.nm(pt, "fl"), "NAME"))
    else:
        d.f("Dear {pf},\n\n", pf=(pt["first"] if r.random() < 0.5 else f"{title(pt)} {pt['last']}".split(" ", 1)[1], "NAME"))
        d.t(f"Your {r.choice(['HbA1c', 'cholesterol', 'thyroid test', 'kidney function'])} came back within the reference range. ")
        d.f("Please book a review for around {dt} via {url}. ", dt=(c.date(r.choice(["ord", "md"])), "DATE"), url=(c.url(), "URL"))
        d.t("Continue your current dose for now; you may take it with food.\n\n")
        lt, lic = c.licence(dr)
        d.f("Kind regards,\nDr {dn}\n{fac}\n", dn=(c.nm(dr, r.choice(["fl", "fml"])), "NAME"), fac=(c.facility(), "FACILITY"))
        if r.random() < 0.5:
            d.f("{a}\n", a=c.addr_segs(lines=r.random() < 0.5))
        d.f("{pl} {ph}\n", pl=r.choice(["T:", "Tel", "Direct line:", "Ph"]), ph=(c.phone(), "PHONE"))
        if r.random() < 0.4:
            d.f("{lt} {lic}\n", lt=lt, lic=(lic, "LICENSE"))
        if r.random() < 0.4:
            d.f("{u}\n", u=(c.url(), "URL"))


def k_portal(c, d):
    r = c.r
    pt = c.person()
    un = c.username(pt)
    d.f("PATIENT PORTAL - SECURE MESSAGE\nUser: {un}   Last login: {ld} from {ip}\nThread {th}\n\n",
        un=(un, "ID"), ld=(c.date(r.choice(["num4", "iso", "short"])), "DATE"), ip=(c.ip(), "IP"), th=(c.some_id("ticket"), "ID"))
    if r.random() < 0.35:
        d.f("Auth: {m} (template {bt})\n", m=r.choice(["fingerprint", "face match", "voiceprint"]), bt=(c.biometric(), "BIOMETRIC"))
    d.f("[{pn}] ", pn=(c.nm(pt, r.choice(["fl", "lower"])), "NAME"))
    d.t(r.choice(["hi, ", "Hello, ", "Good morning - "]))
    d.t(r.choice(["my new inhaler is making me shaky. ", "i need a repeat of my amlodipine. ", "can I move my appointment? "]))
    if r.random() < 0.5:
        d.f("i'm away {a} - {b}. ", a=(c.md_range()[0], "DATE"), b=(c.md_range()[1], "DATE"))
    if r.random() < 0.5:
        d.f("my insurance id is {hp}. ", hp=(c.plan(), "HEALTH_PLAN"))
    if r.random() < 0.4 and c.loc == "en_US":
        d.f("last four of my social are {l4}. ", l4=(digits(r, 4), "SSN"))
    if r.random() < 0.4:
        d.f("my mum is {a} now and lives with us in {tn}. ", a=[(c.age_words(c.old_age()), "AGE")], tn=(c.town(), "LOCATION"))
    dr = c.person()
    d.f("\n\n[{dn}, {cr}] ", dn=(c.nm(dr, r.choice(["fl", "il"])), "NAME"), cr=r.choice(["RN", "NP", "MD", "Practice Nurse"]))
    d.f("Thanks {pf}, ", pf=(pt["first"], "NAME"))
    d.t(r.choice(["this has been sent to the pharmacy. ", "please call the clinic. ", "that is a known side effect; use the spacer. "]))
    if r.random() < 0.5:
        d.f("Your login has been reset; use {url}. ", url=(c.url(pt), "URL"))


def k_call(c, d):
    r = c.r
    pt = c.person()
    ag = c.person()
    d.f("CALL TRANSCRIPT   Ref: {ref}   Agent: {an}\n\n", ref=(c.some_id("callref"), "ID"), an=(c.nm(ag, r.choice(["f", "fl"])), "NAME"))
    d.f("AGENT: Thank you for calling {fac}, you're speaking with {af}. Who am I speaking to?\n", fac=(c.facility(), "FACILITY"), af=(ag["first"], "NAME"))
    d.f("CALLER: It's {pn}.\n", pn=(c.nm(pt, r.choice(["fl", "fml"])), "NAME"))
    d.t("AGENT: Can you confirm your date of birth?\n")
    dob, age = c.dob(r.choice(["long", "num4", "short"]))
    d.f("CALLER: {dob}.\n", dob=(dob, "DATE"))
    d.t("AGENT: And the first line of your address and postcode?\n" if c.loc != "en_US" else "AGENT: And your street address and ZIP?\n")
    d.f("CALLER: {st}, {z}.\n", st=(c.street(), "ADDRESS"), z=(c.zip(), "ZIP"))
    if c.loc == "en_US" and r.random() < 0.6:
        d.f("AGENT: Last four of your social?\nCALLER: {l4}.\n", l4=(digits(r, 4), "SSN"))
    else:
        d.f("AGENT: Any other ID I could check?\nCALLER: My {sl} is {s}.\n", sl=c.ssn_label(), s=(c.ssn(), "SSN"))
    d.t("AGENT: Thanks. How can I help?\nCALLER: ")
    d.t(r.choice(["I'm calling about my dad's results. ", "I need to move my scan. ", "It's about the bill. "]))
    if r.random() < 0.5:
        d.f("He's {a} and very deaf, so ring my mobile {ph}. ", a=(r.choice([str(c.old_age()), c.age_words(c.old_age())]), "AGE"), ph=(c.phone(), "PHONE"))
    if r.random() < 0.5:
        d.f("The account number on the letter is {ac}.\n", ac=(c.account(), "ACCOUNT"))
    if r.random() < 0.3:
        d.f("CALLER: Also my parking permit - the car is {pl}.\n", pl=(c.plate(), "VEHICLE"))
    d.f("\nAGENT: I've booked you for {dt} at 10:30. Your reference is {ref2}.\n", dt=(c.date(r.choice(["ord", "md", "long"])), "DATE"), ref2=(c.some_id("order"), "ID"))


def k_incident(c, d):
    r = c.r
    v = r.randrange(5)
    inc = c.some_id("incident")
    d.f("INCIDENT REPORT\nIncident # {inc}   Reported: {dt}   Location: Ward {w}, {fac}\n", inc=(inc, "ID"), dt=(c.date(), "DATE"),
        w=r.choice(["7B", "12", "Oak", "3 South"]), fac=(c.facility(), "FACILITY"))
    rep = c.person()
    d.f("Reporter: {rn} ({role})\n\n", rn=(c.nm(rep, r.choice(["fl", "LF"])), "NAME"), role=r.choice(["charge nurse", "HCA", "staff nurse", "porter"]))
    pt = c.person()
    if v == 0:
        d.f("Patient {pn} ({ml} {mrn}), ", pn=(c.nm(pt), "NAME"), ml=c.mrn_label(), mrn=(c.mrn(), "MRN"))
        d.f("{a} ", a=c.age_phrase())
        d.t(f"found on floor beside bed {r.randint(1, 28)} at 03:40. Morse 65. No injury; neuro obs GCS 15. Falls bundle reviewed.\n")
    elif v == 1:
        d.f("Medication error: {pn} received {drug} intended for another patient. Rx {rx}. ", pn=(c.nm(pt), "NAME"), drug=c.ch(DRUGS), rx=(c.some_id("rx"), "ID"))
        d.f("Pharmacist {ph} informed.\n", ph=(c.nm(c.person(), "fl"), "NAME"))
    elif v == 2:
        st = c.person()
        d.f("EHR access audit: account {un} opened the chart of {pn} ({mrn}) from workstation IP {ip} with no care relationship. ",
            un=(c.username(st), "ID"), pn=(c.nm(pt), "NAME"), mrn=(c.mrn(), "MRN"), ip=(c.ip(), "IP"))
        d.f("Badge biometric {bt} matched the staff member.\n", bt=(c.biometric(), "BIOMETRIC"))
    elif v == 3:
        d.f("Device incident: infusion pump serial {sn} alarmed occlusion repeatedly on {pn}. Pump quarantined; biomedical engineering ticket {tk}.\n",
            sn=(c.device(), "DEVICE"), pn=(c.nm(pt), "NAME"), tk=(c.some_id("ticket"), "ID"))
    else:
        d.f("Car park incident: visitor {pn}'s vehicle ({pl}, VIN {vin}) struck a barrier in level 2. Driver's licence {dl}. ",
            pn=(c.nm(pt), "NAME"), pl=(c.plate(), "VEHICLE"), vin=(c.vin(), "VEHICLE"), dl=(c.driver_lic(), "LICENSE"))
        d.f("Contact {ph}.\n", ph=(c.phone(), "PHONE"))
    d.f("Manager notified: {mn}. Police ref/report no. {rp}.\n" if v == 4 else "Manager notified: {mn}. Report no. {rp}.\n",
        mn=(c.nm(c.person(), r.choice(["fl", "il"])), "NAME"), rp=(c.some_id("report"), "ID"))


def k_consent(c, d):
    r = c.r
    pt = c.person()
    fac = c.facility()
    proc = r.choice(["Laparoscopic cholecystectomy", "Total knee replacement (left)", "Colonoscopy with possible polypectomy", "Cardiac catheterisation"])
    d.f("{fac}\nCONSENT FOR PROCEDURE\n\nPatient name: {pn}\n{ml}: {mrn}\nDate of birth: {dob}\n\nProcedure: {proc}\n",
        fac=(fac, "FACILITY"), pn=(c.nm(pt, r.choice(["fl", "LF", "fml"])), "NAME"), ml=c.mrn_label(), mrn=(c.mrn(), "MRN"),
        dob=(c.dob()[0], "DATE"), proc=proc)
    if r.random() < 0.35:
        d.f("Implant to be used (UDI/serial): {u}\n", u=(c.device(), "DEVICE"))
    if r.random() < 0.4:
        d.f("Billing account: {ac}   Plan: {pl} {mid}\n", ac=(c.account(), "ACCOUNT"), pl=c.ch(INSURERS[c.loc]), mid=(c.plan(), "HEALTH_PLAN"))
    d.t("Risks discussed: bleeding, infection, VTE, conversion to open procedure, anaesthetic risks. I understand I may withdraw consent at any time.\n\n")
    d.f("Patient signature: ____________   Date: {sd}\n", sd=(c.date(), "DATE"))
    if r.random() < 0.5:
        d.f("Interpreter ({lang}): {inn}, ID {iid}\n", lang=r.choice(["Punjabi", "Polish", "Vietnamese", "Arabic", "Tamil"]),
            inn=(c.nm(c.person(), "fl"), "NAME"), iid=(c.some_id("order").replace("ORD", "INT"), "ID"))
    if r.random() < 0.4:
        d.f("Signed by {rel} ({nm}) as the patient is {a}-year-old and lacks capacity.\n".replace("{a}-year-old", "{a} years old"),
            rel=r.choice(["daughter", "son", "attorney"]), nm=(c.nm(c.person(), "fl"), "NAME"), a=(str(c.old_age()), "AGE"))
    d.f("Witness: {wn}   Clinician: Dr {cn}, {lt} {lic}\n", wn=(c.nm(c.person(), r.choice(["fl", "il"])), "NAME"),
        cn=(c.nm(dr := c.person(), "fl"), "NAME"), lt=(l := c.licence(dr))[0], lic=(l[1], "LICENSE"))


PHI_KINDS = {
    "discharge_summary": k_discharge, "nursing_note": k_nursing, "progress_note": k_progress, "history_physical": k_hp,
    "ems_run_report": k_ems, "pharmacy_log": k_pharmacy, "referral_letter": k_referral, "lab_report": k_lab,
    "radiology_report": k_radiology, "csv_export": k_csv, "json_export": k_json, "hl7_message": k_hl7, "email": k_email,
    "portal_message": k_portal, "call_transcript": k_call, "incident_report": k_incident, "consent_form": k_consent,
}

from nophi import NOPHI_KINDS  # noqa: E402  (PHI-free documents, separate module for readability)


def case_for(kind, r):
    x = r.random()
    if kind == "json_export":
        return None
    if kind == "nursing_note":
        return "lower" if x < 0.4 else "upper" if x < 0.45 else None
    if kind in ("ems_run_report", "pharmacy_log"):
        return "upper" if x < 0.3 else None
    return "upper" if x < 0.07 else "lower" if x < 0.10 else None


def build(kind, loc, seed, phi):
    for attempt in range(60):
        s = seed * 100 + attempt
        r = random.Random(s)
        c = Ctx(r, loc, s)
        d = Doc()
        try:
            (PHI_KINDS if phi else NOPHI_KINDS)[kind](c, d)
            case = case_for(kind, r)
            noise = r.random() < 0.10
            text, spans = render(d, case, noise, random.Random(s + 1))
            check(text, spans, phi)
            return text, spans, case, noise
        except Retry:
            continue
    raise RuntimeError(f"could not build {kind} {loc} {seed}")


PHI_PER_KIND = 30
NOPHI_PER_KIND = 11


def main():
    master = random.Random(MASTER_SEED)
    plan = []
    for kind in PHI_KINDS:
        for i in range(PHI_PER_KIND):
            plan.append((kind, True))
    for kind in NOPHI_KINDS:
        for i in range(NOPHI_PER_KIND):
            plan.append((kind, False))
    master.shuffle(plan)
    out = []
    stats = Counter()
    for i, (kind, phi) in enumerate(plan):
        loc = LOCALES[i % 5]
        seed = master.randrange(10 ** 8)
        text, spans, case, noise = build(kind, loc, seed, phi)
        out.append({"id": f"phi2-{i:04d}", "kind": kind, "locale": loc, "text": text, "spans": spans})
        stats[("case", case)] += 1
        stats[("noise", noise)] += 1
    ids = [o["id"] for o in out]
    assert len(set(ids)) == len(ids)
    with open(os.path.join(HERE, "test.jsonl"), "w", encoding="utf-8", newline="\n") as fh:
        for o in out:
            fh.write(json.dumps(o, ensure_ascii=False) + "\n")
    report(out, stats)


def report(out, stats):
    import faker
    kinds = Counter(o["kind"] for o in out)
    nophi = Counter(o["kind"] for o in out if not o["spans"])
    locs = Counter(o["locale"] for o in out)
    locs_nophi = Counter(o["locale"] for o in out if not o["spans"])
    types = Counter(s["type"] for o in out for s in o["spans"])
    docs_with = Counter(t for o in out for t in {s["type"] for s in o["spans"]})
    nspans = sum(types.values())
    L = [f"### test.jsonl: {len(out)} documents, {nspans} labelled spans, {sum(nophi.values())} documents with no PHI "
         f"({100 * sum(nophi.values()) / len(out):.1f}%)", "",
         f"Faker {faker.VERSION}. Variants: upper-case {stats[('case', 'upper')]}, lower-case {stats[('case', 'lower')]}, "
         f"OCR noise {stats[('noise', True)]}", "",
         "| kind | docs | no-PHI docs |", "|---|---:|---:|"]
    L += [f"| {k} | {kinds[k]} | {nophi[k]} |" for k in sorted(kinds)]
    L += ["", "| locale | docs | no-PHI docs |", "|---|---:|---:|"]
    L += [f"| {k} | {locs[k]} | {locs_nophi[k]} |" for k in sorted(locs)]
    L += ["", "| type | spans | docs containing |", "|---|---:|---:|"]
    L += [f"| {t} | {types[t]} | {docs_with[t]} |" for t in TYPES]
    block = "\n".join(L)
    print(block)
    rp = os.path.join(HERE, "README.md")
    if os.path.exists(rp):
        txt = open(rp, encoding="utf-8").read()
        a, b = "<!-- STATS:BEGIN -->", "<!-- STATS:END -->"
        if a in txt and b in txt:
            txt = txt[:txt.index(a) + len(a)] + "\n" + block + "\n" + txt[txt.index(b):]
            with open(rp, "w", encoding="utf-8", newline="\n") as fh:
                fh.write(txt)


if __name__ == "__main__":
    sys.path.insert(0, HERE)
    main()
