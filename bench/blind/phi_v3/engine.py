"""Value generators, the template renderer and the noise model of the third blind PHI corpus.

A document is a template (a hand-written skeleton) in which ``[[key]]`` marks a value and
``<<a|b|c>>`` marks a random choice of wording. Each value is resolved once per document, so the
same patient, date or number is the same string wherever it is repeated, and it carries its SPEC
type (or ``None`` for plain filler such as pronouns, states, rooms and ages of 89 or under). Case
changes and noise are applied per segment before the text is joined, which keeps spans exact.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field

import vocab as V

TYPES = (
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
)
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
UPPER = "ABCDEFGHJKLMNPRSTUVWXYZ"
VIN_CHARS = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"
TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]

Segment = tuple[str, str | None]


def digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(n))


def letters(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(UPPER) for _ in range(n))


def age_words(n: int) -> str:
    """Number words for ages 90-109, as a clinician would dictate them."""
    if n < 100:
        t, u = divmod(n, 10)
        return TENS[t] + ("-" + V.NUMBER_WORDS_UNITS[u] if u else "")
    rest = n - 100
    if rest == 0:
        return "one hundred"
    return "one hundred and " + (V.NUMBER_WORDS_UNITS[rest] if rest < 10 else age_words(rest))


def luhn_ok(number: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(number)):
        d = int(ch)
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def luhn_complete(rng: random.Random, prefix: str, length: int) -> str:
    body = prefix + digits(rng, length - len(prefix) - 1)
    for check in "0123456789":
        if luhn_ok(body + check):
            return body + check
    raise AssertionError("unreachable")


def npi(rng: random.Random) -> str:
    body = rng.choice("12") + digits(rng, 8)
    for check in "0123456789":
        if luhn_ok("80840" + body + check):
            return body + check
    raise AssertionError("unreachable")


def dea(rng: random.Random, surname: str) -> str:
    d = [int(x) for x in digits(rng, 6)]
    check = (d[0] + d[2] + d[4] + 2 * (d[1] + d[3] + d[5])) % 10
    initial = surname[0].upper() if surname[0].isalpha() else "X"
    return rng.choice("ABFGM") + initial + "".join(map(str, d)) + str(check)


def nhs_number(rng: random.Random) -> str:
    while True:
        d = [int(x) for x in digits(rng, 9)]
        if d[0] == 0:
            continue
        s = sum(v * (10 - i) for i, v in enumerate(d))
        check = 11 - s % 11
        if check == 11:
            check = 0
        if check == 10:
            continue
        n = "".join(map(str, d)) + str(check)
        return f"{n[:3]} {n[3:6]} {n[6:]}" if rng.random() < 0.75 else n


@dataclass
class Person:
    first: str
    last: str
    middle: str

    def fmt(self, f: str) -> str:
        out = {
            "full": f"{self.first} {self.last}",
            "first": self.first,
            "last": self.last,
            "fml": f"{self.first} {self.middle}. {self.last}",
            "lf": f"{self.last.upper()}, {self.first.upper()}",
            "Lf": f"{self.last}, {self.first}",
            "Lfm": f"{self.last}, {self.first} {self.middle}",
            "init": f"{self.first[0]}. {self.last}",
            "initnd": f"{self.first[0]} {self.last}",
            "hl7": f"{self.last.upper().replace(' ', '')}^{self.first.upper()}^{self.middle}",
            "lower": f"{self.first} {self.last}".lower(),
            "lowerf": self.first.lower(),
            "lowerl": self.last.lower(),
            "LAST": self.last.upper(),
            "FL": f"{self.first} {self.last}".upper(),
            "fl1": f"{self.first[0]}{self.last[0]}",
        }
        return out[f]


@dataclass
class Ctx:
    """Everything one document knows about its (synthetic) people and numbers."""

    rng: random.Random
    locale: str
    cache: dict[str, Segment] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)
    dates: dict[str, tuple[int, int, int, int, int]] = field(default_factory=dict)
    used_names: set[str] = field(default_factory=set)
    gender_hint: dict[str, bool] = field(default_factory=dict)

    def __post_init__(self) -> None:
        r = self.rng
        self.female = r.random() < 0.55
        self.sep = (
            r.choice(["/", "/", "-", "."]) if self.locale != "en_US" else r.choice(["/", "/", "/", "-"])
        )
        self.base_year = r.choice([2022, 2023, 2024, 2025])
        self.base_doy = r.randint(1, 330)
        self.step = r.choice([1, 1, 1, 2, 3])
        self.agenum = r.randint(19, 89)
        self.kidnum = r.randint(2, 16)
        self.patient_age: int | None = None
        self.oldnum = r.choice([90, 91, 92, 93, 94, 95, 96, 97, 98, 99, 100, 101, 102, 103, 104, 106])

    # ---- choices -------------------------------------------------------------------------------
    def pick(self, seq):
        return self.rng.choice(seq)

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    # ---- people ---------------------------------------------------------------------------------
    def person(self, pid: str) -> Person:
        if pid not in self.people:
            r = self.rng
            female = self.gender_hint.get(pid, self.female if pid == "p0" else r.random() < 0.5)
            for _attempt in range(50):
                origin = r.choice(V.LOCALE_ORIGINS[self.locale])
                firsts = V.NAMES[origin][0]
                if pid.startswith("rel") and r.random() < 0.15:
                    firsts = sorted(V.WORDLIKE_FIRST - {"Sterling", "Lovely", "Real"})
                fitting = [f for f in firsts if f in V.UNISEX_FIRST or (f in V.FEMALE_FIRST) == female]
                first = r.choice(fitting or firsts)
                o2 = origin if r.random() < 0.8 else r.choice(V.LOCALE_ORIGINS[self.locale])
                last = r.choice(V.NAMES[o2][1])
                if first not in self.used_names and last not in self.used_names and first != last:
                    break
            if pid.startswith("rel") and "p0" in self.people and r.random() < 0.6:
                last = self.people["p0"].last
            self.used_names.update({first, last})
            self.people[pid] = Person(first, last, r.choice(V.MIDDLE_INITIALS))
        return self.people[pid]

    # ---- dates ----------------------------------------------------------------------------------
    def date(self, did: str) -> tuple[int, int, int, int, int]:
        import datetime as dt

        if did not in self.dates:
            r = self.rng
            if did == "dobold" or (did == "dob" and self.patient_age is not None):
                years = self.oldnum if did == "dobold" else self.patient_age
                d = dt.date(self.base_year - years - 1, 1, 1) + dt.timedelta(
                    days=r.randint(self.base_doy, 364)
                )
            elif did.startswith("dob"):
                y = r.randint(1924, 2019)
                d = dt.date(y, 1, 1) + dt.timedelta(days=r.randint(0, 364))
            else:
                idx = int(did[1:] or 0)
                d = dt.date(self.base_year, 1, 1) + dt.timedelta(days=self.base_doy + idx * self.step)
            self.dates[did] = (
                d.year,
                d.month,
                d.day,
                r.randint(0, 23),
                r.choice([0, 5, 12, 15, 20, 30, 41, 45, 50]),
            )
        return self.dates[did]

    def fmt_date(self, did: str, f: str) -> str:
        y, m, d, hh, mm = self.date(did)
        us = self.locale == "en_US"
        mon = MONTHS[m - 1]
        a, b = (m, d) if us else (d, m)
        sfx = "th" if 11 <= d <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(d % 10, "th")
        s = self.sep
        if f == "num":
            return f"{a:02d}{s}{b:02d}{s}{y}" if self.chance(0.6) else f"{a}{s}{b}{s}{y}"
        if f == "short":
            return f"{a}/{b}/{y % 100:02d}"
        if f == "dot":
            return f"{a:02d}.{b:02d}.{y % 100:02d}"
        if f == "iso":
            return f"{y}-{m:02d}-{d:02d}"
        if f == "long":
            return f"{mon} {d}, {y}" if us else f"{d} {mon} {y}"
        if f == "abbr":
            return f"{mon[:3]} {d}, {y}" if us else f"{d} {mon[:3]} {y}"
        if f == "mon":
            return f"{d:02d}-{mon[:3]}-{y}"
        if f == "MON":
            return f"{d:02d}{mon[:3].upper()}{y}"
        if f == "ord":
            return f"{mon} {d}{sfx}" if us else f"{d}{sfx} {mon}"
        if f == "md":
            return f"{a}/{b}"
        if f == "hl7":
            return f"{y}{m:02d}{d:02d}"
        if f == "ts":
            return f"{y}{m:02d}{d:02d}{hh:02d}{mm:02d}"
        if f == "email":
            return f"{d} {mon[:3]} {y}"
        if f == "dmy":
            return f"{d} {mon} {y}"
        raise KeyError(f)

    def time(self, did: str) -> str:
        _, _, _, hh, mm = self.date(did)
        return f"{hh:02d}:{mm:02d}" if self.chance(0.6) else f"{hh:02d}{mm:02d}"

    # ---- everything else ------------------------------------------------------------------------
    def resolve(self, key: str) -> Segment:
        if key in self.cache:
            return self.cache[key]
        base, _, f = key.partition(".")
        m = re.fullmatch(r"(p|dr|rn|rel|x)(\d+)", base)
        if base == "age":
            seg = (str(self.agenum), None)
        elif m:
            seg: Segment = (self.person(base).fmt(f or "full"), "NAME")
        elif re.fullmatch(r"(dob\d*|dobold|d\d+)", base):
            if f == "time":
                seg = (self.time(base), None)
            elif f in ("wd", "WD"):
                import datetime as dt

                y, m_, d_, _, _ = self.date(base)
                name = dt.date(y, m_, d_).strftime("%A")
                seg = (name[:3] if f == "wd" else name, None)
            else:
                seg = (self.fmt_date(base, f or "num"), "DATE")
        else:
            gen = re.sub(r"\d+$", "", base)
            val, typ = getattr(self, "g_" + gen)()
            seg = (val, typ)
            if f:
                raise KeyError(key)
        self.cache[key] = seg
        return seg

    # plain (unlabelled) fillers
    def g_he(self) -> Segment:
        return ("she" if self.female else "he", None)

    def g_He(self) -> Segment:
        return ("She" if self.female else "He", None)

    def g_his(self) -> Segment:
        return ("her" if self.female else "his", None)

    def g_His(self) -> Segment:
        return ("Her" if self.female else "His", None)

    def g_him(self) -> Segment:
        return ("her" if self.female else "him", None)

    def g_man(self) -> Segment:
        return ("woman" if self.female else "man", None)

    def g_lady(self) -> Segment:
        return ("lady" if self.female else "gentleman", None)

    def g_sex(self) -> Segment:
        return ("F" if self.female else "M", None)

    def g_Mr(self) -> Segment:
        return (self.pick(["Mrs", "Ms", "Mrs.", "Ms."]) if self.female else self.pick(["Mr", "Mr."]), None)

    def g_age(self) -> Segment:
        return (str(self.rng.randint(19, 89)), None)

    def g_kidage(self) -> Segment:
        return (str(self.kidnum), None)

    def g_state(self) -> Segment:
        return (self.pick(V.STATES[self.locale]), None)

    def g_room(self) -> Segment:
        return (self.pick(V.ROOMS), None)

    def g_dept(self) -> Segment:
        return (self.pick(V.DEPARTMENTS), None)

    def g_year(self) -> Segment:
        return (str(self.rng.randint(1985, self.base_year - 1)), None)

    def g_drug(self) -> Segment:
        n, dose, freq = self.pick(V.DRUGS)
        return (f"{n} {dose} {freq}", None)

    def g_brand(self) -> Segment:
        return (self.pick(V.BRANDS), None)

    def g_model(self) -> Segment:
        return (self.pick(V.DEVICE_MODELS), None)

    def g_eponym(self) -> Segment:
        return (self.pick(V.EPONYMS), None)

    def g_medic(self) -> Segment:
        return (self.pick(["Medic 12", "Medic 4", "Rescue 7", "Ambulance 31", "MICA 2", "Unit 17"]), None)

    def g_country(self) -> Segment:
        return (
            self.pick(
                [
                    "Poland",
                    "Nigeria",
                    "Ghana",
                    "the Philippines",
                    "Vietnam",
                    "India",
                    "Jamaica",
                    "Lebanon",
                    "China",
                    "Ireland",
                ]
            ),
            None,
        )

    def g_employer_plain(self) -> Segment:
        return (self.pick(V.EMPLOYERS_NOT_PHI), None)

    def g_insplan(self) -> Segment:
        return (
            self.pick(
                [
                    "BLUE SHIELD PPO",
                    "Aetna Choice POS II",
                    "Medicare Part B",
                    "Bupa Comprehensive",
                    "OHIP",
                    "Medibank Gold",
                    "Star Health Family Floater",
                    "MSP",
                    "RAMQ",
                    "Ayushman Bharat PM-JAY",
                ]
            ),
            None,
        )

    # labelled values
    def g_oldage(self) -> Segment:
        return (str(self.oldnum), "AGE")

    def g_oldw(self) -> Segment:
        return (age_words(self.oldnum), "AGE")

    def g_town(self) -> Segment:
        return (self.pick(V.TOWNS[self.locale]), "LOCATION")

    def g_hood(self) -> Segment:
        return (self.pick(V.NEIGHBOURHOODS[self.locale]), "LOCATION")

    def g_county(self) -> Segment:
        return (self.pick(V.UK_COUNTIES), "LOCATION")

    def g_addr(self) -> Segment:
        r, loc = self.rng, self.locale
        st = f"{r.choice(V.STREET_NAMES)} {r.choice(V.STREET_TYPES[loc])}"
        n = r.randint(1, 9800) if loc in ("en_US", "en_CA") else r.randint(1, 240)
        if loc == "en_US":
            v = r.choice(
                [
                    f"{n} {st}",
                    f"{n} {st} Apt {r.randint(1, 40)}",
                    f"{n} {r.choice('NSEW')} {st}",
                    f"{n} {st}, Suite {r.randint(100, 900)}",
                    f"{n} {st} #{r.randint(2, 30)}",
                ]
            )
        elif loc == "en_GB":
            v = r.choice(
                [
                    f"{n} {st}",
                    f"Flat {r.randint(1, 20)}, {n} {st}",
                    f"{n}{r.choice('abc')} {st}",
                    f"Flat {r.randint(1, 9)}{r.choice('ABC')}, {n} {st}",
                ]
            )
        elif loc == "en_CA":
            v = r.choice(
                [
                    f"{n} {st}",
                    f"{r.randint(101, 2400)}-{n} {st}",
                    f"Apt {r.randint(1, 30)}, {n} {st}",
                    f"{n} {st}, Unit {r.randint(1, 60)}",
                ]
            )
        elif loc == "en_AU":
            v = r.choice(
                [
                    f"{n} {st}",
                    f"{r.randint(1, 30)}/{n} {st}",
                    f"Unit {r.randint(1, 30)}, {n} {st}",
                    f"Lot {r.randint(1, 90)} {st}",
                ]
            )
        else:
            v = r.choice(
                [
                    f"H.No. {n}, {st}",
                    f"Flat {r.randint(101, 905)}, {n} {st}",
                    f"{n}, {st}",
                    f"Plot No. {n}, {st}",
                    f"Door No. {r.randint(1, 60)}/{r.randint(1, 9)}, {st}",
                ]
            )
        return (v, "ADDRESS")

    def g_zip(self) -> Segment:
        r, loc = self.rng, self.locale
        if loc == "en_US":
            z = f"{r.randint(10001, 99950):05d}"
            return (z + (f"-{digits(r, 4)}" if r.random() < 0.25 else ""), "ZIP")
        if loc == "en_GB":
            out = r.choice(
                [
                    "LS21",
                    "LL30",
                    "YO16",
                    "KY1",
                    "CV11",
                    "EX16",
                    "NP23",
                    "PA34",
                    "PE25",
                    "WN1",
                    "RG1",
                    "BA2",
                    "NE61",
                    "BB7",
                    "OL14",
                    "CA11",
                    "NR21",
                ]
            )
            return (f"{out} {r.randint(1, 9)}{letters(r, 2)}", "ZIP")
        if loc == "en_CA":
            a = f"{r.choice('ABCEGHJKLMNPRSTVXY')}{r.randint(0, 9)}{r.choice('ABCEGHJKLMNPRSTVWXYZ')}"
            b = f"{r.randint(0, 9)}{r.choice('ABCEGHJKLMNPRSTVWXYZ')}{r.randint(0, 9)}"
            return (a + (" " if r.random() < 0.7 else "") + b, "ZIP")
        if loc == "en_AU":
            return (str(r.choice([2, 3, 4, 5, 6, 7])) + digits(r, 3), "ZIP")
        z = str(r.randint(1, 8)) + digits(r, 5)
        return (z if r.random() < 0.85 else f"{z[:3]} {z[3:]}", "ZIP")

    def g_phone(self) -> Segment:
        r, loc = self.rng, self.locale
        if loc in ("en_US", "en_CA"):
            a, b, c = r.randint(201, 989), r.randint(201, 989), digits(r, 4)
            v = r.choice(
                [
                    f"({a}) {b}-{c}",
                    f"{a}-{b}-{c}",
                    f"{a}.{b}.{c}",
                    f"+1 {a} {b} {c}",
                    f"1-{a}-{b}-{c}",
                    f"({a}){b}-{c}",
                ]
            )
            if r.random() < 0.12:
                v += r.choice([" x", " ext. ", " ext "]) + digits(r, 4)
        elif loc == "en_GB":
            v = r.choice(
                [
                    f"07{r.randint(300, 999)} {digits(r, 6)}",
                    f"(01{r.randint(13, 99)}) {digits(r, 3)} {digits(r, 4)}",
                    f"+44 (0)20 {digits(r, 4)} {digits(r, 4)}",
                    f"0{r.randint(113, 199)} {digits(r, 3)} {digits(r, 4)}",
                    f"+44 7{digits(r, 3)} {digits(r, 6)}",
                    f"020 {digits(r, 4)} {digits(r, 4)}",
                ]
            )
        elif loc == "en_AU":
            v = r.choice(
                [
                    f"04{digits(r, 2)} {digits(r, 3)} {digits(r, 3)}",
                    f"(0{r.choice('2378')}) {digits(r, 4)} {digits(r, 4)}",
                    f"+61 4{digits(r, 2)} {digits(r, 3)} {digits(r, 3)}",
                    f"0{r.choice('2378')} {digits(r, 4)} {digits(r, 4)}",
                    f"+61 {r.choice('2378')} {digits(r, 4)} {digits(r, 4)}",
                ]
            )
        else:
            v = r.choice(
                [
                    f"+91 9{digits(r, 4)} {digits(r, 5)}",
                    f"0{r.choice(['22', '44', '80', '161', '422'])}-{digits(r, 4)} {digits(r, 4)}",
                    f"9{digits(r, 9)}",
                    f"+91-{r.choice('6789')}{digits(r, 9)}",
                    f"0{r.choice('6789')}{digits(r, 3)} {digits(r, 6)}",
                ]
            )
        return (v, "PHONE")

    def g_ext(self) -> Segment:
        return (str(self.rng.randint(1000, 9899)), "PHONE")

    def g_email(self) -> Segment:
        p = self.person("p0")
        r = self.rng
        user = r.choice(
            [
                f"{p.first}.{p.last}",
                f"{p.first[0]}{p.last}",
                f"{p.first}{r.randint(1, 99)}",
                f"{p.last}.{p.first[0]}",
                f"{p.first}_{p.last}{r.randint(50, 99)}",
            ]
        )
        user = re.sub(r"[^A-Za-z0-9._]", "", user).lower()
        return (
            f"{user}@{r.choice(['example.com', 'example.org', 'example.net', 'mail.example.co.uk', 'example.com.au', 'example.in', 'example.ca'])}",
            "EMAIL",
        )

    def g_dremail(self) -> Segment:
        p = self.person("dr1")
        r = self.rng
        user = re.sub(r"[^a-z.]", "", f"{p.first[0]}.{p.last}".lower())
        return (
            f"{user}@{r.choice(['clinic.example.org', 'example-health.org', 'nhs.example.net', 'example.com.au', 'hospital.example.in'])}",
            "EMAIL",
        )

    def g_relemail(self) -> Segment:
        p = self.person("rel1")
        user = re.sub(r"[^a-z0-9.]", "", f"{p.first}.{p.last}{self.rng.randint(1, 9)}".lower())
        return (f"{user}@example.net", "EMAIL")

    def g_orgemail(self) -> Segment:
        return (
            self.pick(
                [
                    "noreply@example-health.org",
                    "results.noreply@clinic.example.org",
                    "do-not-reply@example.com.au",
                    "safeguarding.team@example-health.org",
                    "admissions@hospital.example.in",
                ]
            ),
            "EMAIL",
        )

    def g_adminemail(self) -> Segment:
        p = self.person("x1")
        return (re.sub(r"[^a-z.]", "", f"{p.first}.{p.last}".lower()) + ".admin@example-health.org", "EMAIL")

    def g_ssn(self) -> Segment:
        r, loc = self.rng, self.locale
        if loc == "en_US":
            a = r.choice([x for x in range(1, 900) if x != 666])
            return (
                r.choice(
                    [
                        f"{a:03d}-{r.randint(1, 99):02d}-{r.randint(1, 9999):04d}",
                        f"{a:03d} {r.randint(1, 99):02d} {r.randint(1, 9999):04d}",
                        f"{a:03d}{r.randint(1, 99):02d}{r.randint(1, 9999):04d}",
                    ]
                ),
                "SSN",
            )
        if loc == "en_CA":
            s = luhn_complete(r, str(r.choice([1, 2, 4, 5, 6, 7])), 9)
            return (r.choice([f"{s[:3]} {s[3:6]} {s[6:]}", f"{s[:3]}-{s[3:6]}-{s[6:]}", s]), "SSN")
        if loc == "en_GB":
            pre = r.choice(["AB", "CE", "JK", "NP", "SR", "TW", "HY", "WL", "PZ", "RM"])
            dd = digits(r, 6)
            suf = r.choice("ABCD")
            return (r.choice([f"{pre} {dd[:2]} {dd[2:4]} {dd[4:]} {suf}", f"{pre}{dd}{suf}"]), "SSN")
        if loc == "en_AU":
            t = digits(r, 9)
            return (r.choice([f"{t[:3]} {t[3:6]} {t[6:]}", t]), "SSN")
        a = str(r.randint(2, 9)) + digits(r, 11)
        return (
            r.choice([f"{a[:4]} {a[4:8]} {a[8:]}", f"{a[:4]}-{a[4:8]}-{a[8:]}", f"XXXX XXXX {a[8:]}"])
            if r.random() < 0.9
            else a,
            "SSN",
        )

    def g_lastfour(self) -> Segment:
        return (digits(self.rng, 4), "SSN")

    def g_mrn(self) -> Segment:
        r, loc = self.rng, self.locale
        if loc == "en_GB" and r.random() < 0.55:
            return (nhs_number(r), "MRN")
        forms = {
            "en_US": [
                f"MR-{digits(r, 6)}",
                f"00{digits(r, 6)}",
                f"{digits(r, 4)} {digits(r, 4)}",
                f"CHK{digits(r, 7)}",
                f"E{digits(r, 7)}",
                f"{digits(r, 3)}-{digits(r, 2)}-{digits(r, 2)}",
            ],
            "en_GB": [
                f"RX{r.randint(1, 9)} {digits(r, 7)}",
                f"K{digits(r, 7)}",
                f"{letters(r, 1)}{digits(r, 6)}{letters(r, 1)}",
                f"H{digits(r, 4)} {digits(r, 3)}",
            ],
            "en_CA": [
                f"H{digits(r, 7)}",
                f"{digits(r, 2)}-{digits(r, 3)}-{digits(r, 3)}",
                f"MRN{digits(r, 8)}",
                f"{digits(r, 4)} {digits(r, 4)}",
            ],
            "en_AU": [
                f"{digits(r, 7)}",
                f"UR{digits(r, 6)}",
                f"{digits(r, 3)} {digits(r, 3)} {digits(r, 1)}",
                f"MRN-{digits(r, 7)}",
            ],
            "en_IN": [
                f"UHID{digits(r, 8)}",
                f"IP{digits(r, 2)}/{digits(r, 6)}",
                f"{digits(r, 3)} {digits(r, 3)} {digits(r, 3)}",
                f"CR-{digits(r, 7)}",
            ],
        }
        return (r.choice(forms[loc]), "MRN")

    def g_nhs(self) -> Segment:
        return (nhs_number(self.rng), "MRN")

    def g_hp(self) -> Segment:
        r, loc = self.rng, self.locale
        forms = {
            "en_US": [
                f"{letters(r, 3)}{digits(r, 9)}",
                f"{r.randint(1, 9)}{letters(r, 2)}{r.randint(1, 9)}-{letters(r, 1)}{r.randint(1, 9)}{letters(r, 1)}-{letters(r, 2)}{digits(r, 2)}",
                f"W{digits(r, 9)}",
                f"MCD{digits(r, 8)}",
                f"{digits(r, 3)}{letters(r, 1)}{digits(r, 5)}-01",
            ],
            "en_GB": [
                f"{digits(r, 8)}",
                f"BUP-{digits(r, 4)}-{digits(r, 4)}",
                f"AXA{digits(r, 7)}",
                f"{letters(r, 2)}{digits(r, 7)}",
            ],
            "en_CA": [
                f"{digits(r, 4)}-{digits(r, 3)}-{digits(r, 3)}-{letters(r, 2)}",
                f"9{digits(r, 3)} {digits(r, 3)} {digits(r, 3)}",
                f"{letters(r, 4)} {digits(r, 4)} {digits(r, 4)}",
                f"{digits(r, 9)}",
            ],
            "en_AU": [
                f"{r.randint(2, 6)}{digits(r, 3)} {digits(r, 5)} {r.randint(1, 9)}",
                f"{r.randint(2, 6)}{digits(r, 9)}",
                f"DVA {letters(r, 1)}{digits(r, 6)}",
            ],
            "en_IN": [
                f"PMJAY-{letters(r, 2)}-{digits(r, 4)}-{digits(r, 4)}",
                f"{digits(r, 2)}-{digits(r, 2)}-{digits(r, 6)}-{digits(r, 3)}-{digits(r, 4)}",
                f"{letters(r, 1)}{digits(r, 8)}",
                f"ESIC{digits(r, 10)}",
            ],
        }
        return (r.choice(forms[loc]), "HEALTH_PLAN")

    def g_grp(self) -> Segment:
        r = self.rng
        return (
            r.choice(
                [
                    f"GRP-{digits(r, 5)}",
                    f"{digits(r, 6)}",
                    f"G{digits(r, 7)}",
                    f"{letters(r, 2)}{digits(r, 4)}",
                ]
            ),
            "HEALTH_PLAN",
        )

    def g_acct(self) -> Segment:
        r = self.rng
        return (
            r.choice(
                [
                    f"{digits(r, 10)}",
                    f"BA-{digits(r, 2)}-{digits(r, 5)}",
                    f"FIN {digits(r, 9)}",
                    f"AC{digits(r, 8)}",
                    f"{digits(r, 4)} {digits(r, 4)} {digits(r, 2)}",
                ]
            ),
            "ACCOUNT",
        )

    def g_dea(self) -> Segment:
        return (dea(self.rng, self.person("dr1").last), "LICENSE")

    def g_npi(self) -> Segment:
        return (npi(self.rng), "LICENSE")

    def g_lic(self) -> Segment:
        r, loc = self.rng, self.locale
        forms = {
            "en_US": [
                f"{letters(r, 1)}{digits(r, 6)}",
                f"MD.{digits(r, 6)}",
                f"{digits(r, 2)}-{digits(r, 6)}",
            ],
            "en_GB": [
                f"{r.randint(2, 7)}{digits(r, 6)}",
                f"{digits(r, 2)}{letters(r, 1)}{digits(r, 4)}{letters(r, 1)}",
            ],
            "en_CA": [
                f"{r.randint(5, 9)}{digits(r, 4)}",
                f"{digits(r, 6)}",
                f"{digits(r, 2)}-{digits(r, 3)}",
            ],
            "en_AU": [f"MED{digits(r, 10)}", f"NMW{digits(r, 10)}", f"PHA{digits(r, 10)}"],
            "en_IN": [
                f"MMC {r.randint(2001, 2020)}/{digits(r, 2)}/{digits(r, 4)}",
                f"TNMC {digits(r, 5)}",
                f"KMC-{digits(r, 6)}",
                f"DMC/R/{digits(r, 5)}",
            ],
        }
        return (r.choice(forms[loc]), "LICENSE")

    def g_dl(self) -> Segment:
        r, loc = self.rng, self.locale
        p = self.person("p0")
        if loc == "en_GB":
            s = re.sub(r"[^A-Z]", "", p.last.upper())[:5].ljust(5, "9")
            return (f"{s}{digits(r, 6)}{p.first[0]}{letters(r, 1)}9{letters(r, 2)}", "LICENSE")
        if loc == "en_IN":
            return (
                f"{r.choice(['MH', 'TN', 'PB', 'KA'])}{digits(r, 2)} {r.randint(2005, 2022)}{digits(r, 7)}",
                "LICENSE",
            )
        if loc == "en_AU":
            return (digits(r, r.choice([8, 9, 10])), "LICENSE")
        if loc == "en_CA":
            return (f"{p.last[0].upper()}{digits(r, 4)}-{digits(r, 5)}-{digits(r, 5)}", "LICENSE")
        return (
            r.choice(
                [
                    f"{p.last[0].upper()}{digits(r, 3)}-{digits(r, 4)}-{digits(r, 4)}",
                    f"{letters(r, 1)}{digits(r, 7)}",
                    digits(r, 9),
                ]
            ),
            "LICENSE",
        )

    def g_plate(self) -> Segment:
        r, loc = self.rng, self.locale
        forms = {
            "en_US": [
                f"{r.randint(1, 9)}{letters(r, 3)}{digits(r, 3)}",
                f"{letters(r, 3)}-{digits(r, 4)}",
                f"{letters(r, 3)} {digits(r, 3)}",
            ],
            "en_GB": [
                f"{letters(r, 2)}{r.randint(10, 24)} {letters(r, 3)}",
                f"{letters(r, 2)}{r.randint(60, 74)} {letters(r, 3)}",
            ],
            "en_CA": [
                f"{letters(r, 4)} {digits(r, 3)}",
                f"{letters(r, 3)}-{digits(r, 3)}",
                f"{letters(r, 2)}{r.randint(1, 9)} {digits(r, 2)}{letters(r, 1)}",
            ],
            "en_AU": [
                f"{r.randint(1, 9)}{letters(r, 3)}-{digits(r, 3)}",
                f"{letters(r, 3)} {digits(r, 3)}",
                f"{letters(r, 2)}-{digits(r, 2)}-{letters(r, 2)}",
            ],
            "en_IN": [
                f"{r.choice(['MH', 'TN', 'PB', 'KA', 'DL'])} {r.randint(1, 48):02d} {letters(r, 2)} {digits(r, 4)}",
                f"{r.choice(['MH', 'TN', 'KL'])}{r.randint(1, 48):02d}{letters(r, 2)}{digits(r, 4)}",
            ],
        }
        return (r.choice(forms[loc]), "VEHICLE")

    def g_vin(self) -> Segment:
        return ("".join(self.rng.choice(VIN_CHARS) for _ in range(17)), "VEHICLE")

    def g_serial(self) -> Segment:
        r = self.rng
        return (
            r.choice(
                [
                    f"{letters(r, 3)}{digits(r, 6)}{letters(r, 1)}",
                    f"SN{digits(r, 8)}",
                    f"{digits(r, 4)}-{digits(r, 4)}-{digits(r, 2)}",
                    f"{letters(r, 2)}{digits(r, 2)}{letters(r, 1)}{digits(r, 5)}",
                    f"RNJ{digits(r, 6)}H",
                ]
            ),
            "DEVICE",
        )

    def g_udi(self) -> Segment:
        r = self.rng
        return (
            f"(01){digits(r, 14)}(17){r.randint(25, 31)}{r.randint(1, 12):02d}{r.randint(1, 28):02d}(10){letters(r, 1)}{digits(r, 4)}(21){letters(r, 3)}{digits(r, 5)}",
            "DEVICE",
        )

    def g_url(self) -> Segment:
        r = self.rng
        p = self.person("p0")
        u = re.sub(r"[^a-z]", "", (p.first[0] + p.last).lower())
        return (
            r.choice(
                [
                    f"https://portal.example-health.org/u/{u}{r.randint(1, 99)}",
                    f"www.{r.choice(['moorview', 'wattlegrove', 'ropewalk', 'prairielane', 'dhanvantari'])}clinic.example.{r.choice(['com', 'co.uk', 'com.au', 'ca', 'in'])}",
                    f"https://myhealth.example.net/records/{digits(r, 7)}",
                    f"http://telehealth.example.org/room/{letters(r, 3).lower()}-{digits(r, 4)}",
                    f"example-pharmacy.com.au/rx/{digits(r, 6)}",
                ]
            ),
            "URL",
        )

    def g_ip(self) -> Segment:
        r = self.rng
        if r.random() < 0.2:
            return (f"2001:db8:{r.randint(1, 65535):x}:{r.randint(1, 65535):x}::{r.randint(1, 4095):x}", "IP")
        return (
            r.choice(
                [
                    f"10.{r.randint(0, 255)}.{r.randint(0, 255)}.{r.randint(1, 254)}",
                    f"192.168.{r.randint(0, 255)}.{r.randint(1, 254)}",
                    f"203.0.113.{r.randint(1, 254)}",
                    f"198.51.100.{r.randint(1, 254)}",
                    f"172.{r.randint(16, 31)}.{r.randint(0, 255)}.{r.randint(1, 254)}",
                ]
            ),
            "IP",
        )

    def g_bio(self) -> Segment:
        r = self.rng
        return (
            r.choice(
                [
                    f"BT-{digits(r, 5)}",
                    f"FP-TPL-{digits(r, 7)}",
                    f"RET-{digits(r, 4)}-{letters(r, 1)}",
                    f"VP{digits(r, 6)}",
                    f"IRIS-{letters(r, 2)}{digits(r, 5)}",
                ]
            ),
            "BIOMETRIC",
        )

    def g_user(self) -> Segment:
        p = self.person("p0")
        r = self.rng
        u = r.choice(
            [
                p.first[0] + p.last,
                p.first + p.last[0],
                p.last + p.first[0],
                p.first + "." + p.last,
                p.first + "_" + str(r.randint(70, 99)),
            ]
        )
        u = re.sub(r"[^A-Za-z._0-9]", "", u).lower() + (str(r.randint(1, 9)) if r.random() < 0.5 else "")
        return (u, "ID")

    def g_inc(self) -> Segment:
        r = self.rng
        return (
            r.choice(
                [
                    f"{self.base_year}-{digits(r, 6)}",
                    f"INC-{digits(r, 6)}",
                    f"IR{digits(r, 7)}",
                    f"DATIX {digits(r, 6)}",
                    f"W{digits(r, 6)}",
                    f"SI-{digits(r, 2)}-{digits(r, 4)}",
                ]
            ),
            "ID",
        )

    def g_run(self) -> Segment:
        r = self.rng
        return (
            r.choice(
                [
                    f"{digits(r, 2)}-{digits(r, 7)}",
                    f"EMS{digits(r, 8)}",
                    f"R{digits(r, 6)}",
                    f"{digits(r, 4)} {digits(r, 4)}",
                    f"CAD-{digits(r, 7)}",
                ]
            ),
            "ID",
        )

    def g_acc(self) -> Segment:
        r = self.rng
        return (
            r.choice(
                [
                    f"A{digits(r, 2)}-{digits(r, 6)}",
                    f"RAD{digits(r, 8)}",
                    f"{digits(r, 10)}",
                    f"ACC {digits(r, 3)} {digits(r, 4)}",
                    f"XR-{digits(r, 7)}",
                ]
            ),
            "ID",
        )

    def g_spec(self) -> Segment:
        r = self.rng
        return (
            r.choice(
                [
                    f"S{digits(r, 2)}-{digits(r, 5)}",
                    f"{digits(r, 2)}{letters(r, 1)}{digits(r, 6)}",
                    f"SPN{digits(r, 7)}",
                    f"H{digits(r, 2)}-{digits(r, 4)}",
                ]
            ),
            "ID",
        )

    def g_claim(self) -> Segment:
        r = self.rng
        return (
            r.choice(
                [f"CLM{digits(r, 9)}", f"{digits(r, 4)}-{digits(r, 6)}-{digits(r, 2)}", f"C{digits(r, 10)}"]
            ),
            "ID",
        )

    def g_order(self) -> Segment:
        r = self.rng
        return (
            r.choice(
                [
                    f"ORD-{digits(r, 7)}",
                    f"{digits(r, 8)}",
                    f"OR{digits(r, 6)}",
                    f"PO {digits(r, 4)} {digits(r, 3)}",
                ]
            ),
            "ID",
        )

    def g_enc(self) -> Segment:
        r = self.rng
        return (
            r.choice(
                [
                    f"ENC {digits(r, 7)}",
                    f"V{digits(r, 8)}",
                    f"{digits(r, 9)}",
                    f"VN-{digits(r, 6)}",
                    f"CSN {digits(r, 9)}",
                ]
            ),
            "ID",
        )

    def g_rx(self) -> Segment:
        r = self.rng
        return (
            r.choice(
                [
                    f"{digits(r, 7)}",
                    f"RX-{digits(r, 6)}",
                    f"{digits(r, 3)}-{digits(r, 4)}",
                    f"P{digits(r, 8)}",
                ]
            ),
            "ID",
        )

    def g_callref(self) -> Segment:
        r = self.rng
        return (
            r.choice(
                [
                    f"CR-{digits(r, 3)}-{digits(r, 4)}",
                    f"{digits(r, 10)}",
                    f"CALL{digits(r, 7)}",
                    f"REF {letters(r, 2)}{digits(r, 6)}",
                ]
            ),
            "ID",
        )

    def g_rep(self) -> Segment:
        r = self.rng
        return (
            r.choice(
                [
                    f"RPT-{digits(r, 2)}-{digits(r, 5)}",
                    f"{letters(r, 2)}{digits(r, 7)}",
                    f"R{self.base_year % 100}-{digits(r, 6)}",
                ]
            ),
            "ID",
        )

    def _facility(self, kind: str) -> Segment:
        t = self.pick(V.TOWNS[self.locale])
        return (self.pick(V.FAC_BY_TYPE[kind][self.locale]).replace("{t}", t), "FACILITY")

    def g_fac(self) -> Segment:
        return self._facility("hosp")

    def g_gp(self) -> Segment:
        return self._facility("gp")

    def g_pharm(self) -> Segment:
        return self._facility("pharm")

    def g_lab(self) -> Segment:
        return self._facility("lab")

    def g_care(self) -> Segment:
        return self._facility("care")


# ---- rendering ------------------------------------------------------------------------------------

ALT = re.compile(r"<<([^<>]*)>>")
KEY = re.compile(r"\[\[([A-Za-z0-9_.]+)\]\]")


HINTS = (
    re.compile(r"\b([A-Za-z-]+)[ ,:(]{0,3}\[\[((?:p|rel|x)\d+)\."),
    re.compile(r"\[\[((?:p|rel|x)\d+)\.\w+\]\] \(([A-Za-z-]+)\W"),
    re.compile(r"\[\[(rel\d+)\.\w+\]\], I'm \[\[his\]\] ([a-z-]+)"),
)


def hint_genders(c: Ctx, template: str) -> None:
    """Read relation words next to a person ("mother [[rel1.full]]") so the first name fits."""
    for i, rx in enumerate(HINTS):
        for m in rx.finditer(template):
            word, pid = (m.group(1), m.group(2)) if i == 0 else (m.group(2), m.group(1))
            w = word.lower()
            if w in V.FEMALE_WORDS or w in V.MALE_WORDS:
                c.gender_hint.setdefault(pid, w in V.FEMALE_WORDS)
    if "p0" in c.gender_hint:
        c.female = c.gender_hint["p0"]
    # the patient's date of birth agrees with the age the document states for the patient
    if "[[oldage]]" in template or "[[oldw]]" in template:
        c.patient_age = c.oldnum
    elif "[[kidage]]" in template:
        c.patient_age = c.kidnum
    elif "[[age]]" in template:
        c.patient_age = c.agenum


def render(c: Ctx, template: str) -> list[Segment]:
    """Expand ``<<a|b>>`` choices, then split on ``[[key]]`` into typed segments."""
    while True:
        m = ALT.search(template)
        if not m:
            break
        template = template[: m.start()] + c.pick(m.group(1).split("|")) + template[m.end() :]
    hint_genders(c, template)
    segs: list[Segment] = []
    pos = 0
    for m in KEY.finditer(template):
        if m.start() > pos:
            segs.append((template[pos : m.start()], None))
        segs.append(c.resolve(m.group(1)))
        pos = m.end()
    if pos < len(template):
        segs.append((template[pos:], None))
    return segs


OCR_MAP = {
    "0": "O",
    "O": "0",
    "1": "l",
    "l": "1",
    "I": "l",
    "5": "S",
    "S": "5",
    "8": "B",
    "B": "8",
    "e": "c",
    "o": "0",
    "i": "l",
    "g": "q",
}


def ocr(rng: random.Random, s: str, p: float) -> str:
    out = []
    i = 0
    while i < len(s):
        ch = s[i]
        if ch == "m" and rng.random() < p:
            out.append("rn")
        elif s.startswith("rn", i) and rng.random() < p:
            out.append("m")
            i += 1
        elif ch in OCR_MAP and rng.random() < p:
            out.append(OCR_MAP[ch])
        else:
            out.append(ch)
        i += 1
    return "".join(out)


@dataclass
class Style:
    case: str = "none"  # none | upper | lower
    ocr: bool = False
    nbsp: bool = False
    unicode: bool = False
    sloppy: bool = False


def apply_style(rng: random.Random, segs: list[Segment], st: Style) -> list[Segment]:
    out: list[Segment] = []
    for text, typ in segs:
        if st.case == "upper":
            text = text.upper()
        elif st.case == "lower":
            text = text.lower()
        if st.unicode:
            if typ is None:
                text = text.replace("'", "\u2019") if rng.random() < 0.8 else text
                text = re.sub(r"(?<= )-(?= )", lambda _m: rng.choice(["\u2013", "\u2014", "-"]), text)
                text = re.sub(r'"([^"\n]{1,60})"', "\u201c\\1\u201d", text) if rng.random() < 0.7 else text
            elif typ in ("PHONE", "DATE", "MRN", "ID") and rng.random() < 0.35:
                text = text.replace("-", "\u2011" if rng.random() < 0.3 else "\u2013")
            elif typ == "NAME" and rng.random() < 0.7:
                text = text.replace("'", "\u2019")
        if st.nbsp:
            if typ is None:
                text = "".join("\u00a0" if ch == " " and rng.random() < 0.12 else ch for ch in text)
            elif rng.random() < 0.4:
                text = text.replace(" ", "\u00a0")
        if st.sloppy and typ is None:
            text = re.sub(r"[.,;:](?=[ \n])", lambda m: "" if rng.random() < 0.35 else m.group(0), text)
            text = re.sub(r"(?<=\S) (?=\S)", lambda _m: "  " if rng.random() < 0.04 else " ", text)
        if st.ocr:
            if typ is None:
                text = ocr(rng, text, 0.025)
                text = re.sub(
                    r"(?<=\S) (?=\S)",
                    lambda _m: (
                        rng.choice(["  ", "\n", " ", " ", " ", " ", " ", " ", " ", " "])
                        if rng.random() < 0.08
                        else " "
                    ),
                    text,
                )
            else:
                text = ocr(rng, text, 0.07)
                if (
                    " " in text.strip()
                    and typ in ("MRN", "SSN", "PHONE", "HEALTH_PLAN", "ADDRESS", "ID")
                    and rng.random() < 0.15
                ):
                    k = text.index(" ", 1)
                    text = text[:k] + "\n" + text[k + 1 :]
        out.append((text, typ))
    return out
