"""The PHI detector's shortcuts give exactly what the slow path they replace gives.

The detector skips work it can prove useless (a phone number library call, a regex tried at every
character); a shortcut that drifts from the slow path would silently drop or add redactions, so each one
is checked against its reference on many generated inputs (seeded, so failures reproduce).
"""

from __future__ import annotations

import random
import re

import phonenumbers

from ai_workers.safety.phi import detector as D
from ai_workers.safety.phi import gates as G
from ai_workers.safety.phi import names as N
from ai_workers.safety.phi import patterns as P
from ai_workers.safety.phi.validators import digits_of


def _phone_ok_reference(candidate: str, region: str | None) -> bool:
    """The validator as it was before the US shortcut: always ask phonenumbers."""
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


def test_us_phone_shortcut_agrees_with_phonenumbers() -> None:
    rules = P._rules()
    rnd = random.Random(20240611)

    def digits(n: int) -> str:
        pool = "0123456789" if rnd.random() < 0.5 else "23456789"
        return "".join(rnd.choice(pool) for _ in range(n))

    prefixes = ["", "1", "1 ", "1-", "1.", "+1", "+1 ", "+1-", "+1.", "+1\t", "1\t", "+", "11", "+11 "]
    exts = ["", " x12", "x1", " ext. 12345", "ext123", " extension 9", "\tx 55", " x 123456", "ext.7", " x"]
    checked = accepted = 0
    for _ in range(6000):
        a = digits(3)
        area = rnd.choice([f"({a})", f"({a}) ", f"({a})-", f"({a}).", f"{a} ", f"{a}-", f"{a}.", f"{a}\t"])
        text = (
            rnd.choice(["", "call ", "a", "(", "tel:"])
            + rnd.choice(prefixes)
            + area
            + digits(3)
            + rnd.choice(" \t.-")
            + digits(4)
            + rnd.choice(exts)
            + rnd.choice(["", " ", ".", "a", "5", ")", "\n"])
        )
        # Candidates exactly as the detector builds them: head + tail (+ extension).
        for m in rules.phone_tail.finditer(text):
            head = rules.phone_head.search(text, max(0, m.start() - 10), m.start())
            if head is None:
                continue
            end = m.end()
            ext = rules.phone_ext.match(text, end)
            if ext is not None:
                end = ext.end()
            candidate = text[head.start() : end]
            expected = _phone_ok_reference(candidate, "US")
            assert D._phone_ok(candidate, "US") is expected, candidate
            checked += 1
            accepted += expected
    assert checked > 3000 and 0 < accepted < checked


def test_email_search_from_each_at_sign_equals_finditer() -> None:
    email = P._rules().email
    rnd = random.Random(7)
    parts = ["a", "bc", ".", "@", "-", "x.org", "@b.com", " ", "1", "é", "%", "mail", "\n", ".c", "@@", "_"]
    found = 0
    for _ in range(20000):
        text = "".join(rnd.choice(parts) for _ in range(rnd.randint(0, 14)))
        expected = [m.span() for m in email.finditer(text)]
        assert [m.span() for m in G._emails(text, email)] == expected, text
        found += len(expected)
    assert found > 1000


def test_after_name_can_only_start_with_the_prefiltered_characters() -> None:
    after_name = P._rules().after_name
    for code in range(0x3000):
        ch = chr(code)
        if ch in N._AFTER_NAME_FIRST or ch.isdecimal():
            continue
        for tail in ("", " reports", "ge 4", "ex M", "0 yo", "1/2/2000", "MD", ", MD"):
            assert after_name.match(ch + tail) is None, (ch, tail)


def test_rewritten_leading_repeats_match_like_the_originals() -> None:
    """Whole-text patterns spell ``\\d{3}`` as ``\\d\\d{2}`` (so ``re`` can skip to digits): same matches."""
    rules = P._rules()
    originals = {
        "ipv4": r"\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}(?![\d.]*\d)",
        "ssn": r"\d{3}[- ]\d{2}[- ]\d{4}(?![\d\-])",
        "phone_tail": r"\d{3}[ \t.\-]\d{4}(?![\w\-/])",
        "card": r"\d{4}(?:[ \-]?\d{4}){2}[ \-]?\d{1,7}(?![\d\-])",
        "long_number": r"\d{7,}(?![\w.]*\d)",
        "date_numeric": r"(\d{1,2})([/.\-])(\d{1,2})\2(\d{4}|\d{2})(?![\d/\-]|\.\d)",
        "date_month_year_num": r"(\d{1,2})/((?:19|20)\d{2})(?![\d/])",
        "date_md_short": r"(\d{1,2})/(\d{1,2})(?![\d/]|\.\d)",
        "state_zip": r"([A-Z]{2})\.?,?[ \t]+(\d{5}(?:-\d{4})?)\b",
        "mac": r"[0-9A-Fa-f]{2}([:-])[0-9A-Fa-f]{2}(?:\1[0-9A-Fa-f]{2}){4}(?![\w:-])",
        "vin": r"[A-HJ-NPR-Z0-9]{17}\b",
        "street": rules.street.pattern.replace(r"\d\d{0,5}", r"\d{1,6}", 1),
    }
    rnd = random.Random(3)
    alphabet = "0123456789" * 4 + "-/. :\tAKZab" + "\n" + "ABCDEFGH" * 2 + " St Rd"
    # long_number is tried only where the detector keeps a match (test_phi_linear.py): compare those.
    kept = {"long_number": lambda text, s: s == 0 or not (text[s - 1].isalnum() or text[s - 1] in ".-/")}
    for name, pattern in originals.items():
        slow, fast = re.compile(pattern), getattr(rules, name)
        keep = kept.get(name, lambda text, s: True)
        for _ in range(3000):
            text = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 40)))
            assert [m.groups() + m.span() for m in fast.finditer(text) if keep(text, m.start())] == [
                m.groups() + m.span() for m in slow.finditer(text) if keep(text, m.start())
            ], (name, text)


def _month_dates_reference(text: str) -> set[tuple[int, int]]:
    """The month-name date rule before windows were pre-checked: every pattern in every window."""
    rules = P._rules()
    out: set[tuple[int, int]] = set()
    done = -1
    for pos in G._month_positions(text):
        if pos < done:
            continue
        lo, hi = max(0, pos - 24), min(len(text), pos + 32)
        done = hi - 12
        window = text[lo:hi]
        for pattern in (
            rules.date_mdy,
            rules.date_dmy,
            rules.date_mon_num,
            rules.date_my,
            rules.date_the_dth,
            rules.date_md,
        ):
            for m in pattern.finditer(window):
                if m.start() > 0 and window[m.start() - 1].isalpha():
                    continue
                if (
                    pattern is rules.date_md
                    and m.group().startswith(("May", "MAY"))
                    and D._may_is_verb(window, m.start())
                ):
                    continue
                out.add((lo + m.start(), lo + m.end()))
    return out


def test_month_dates_skip_only_windows_that_cannot_match() -> None:
    rules = P._rules()
    detector = D.PhiDetector(cache_size=0)
    rnd = random.Random(11)
    parts = "May MAY Mayo March Marchetti Sept Sep. SEPT Dec Decker the of 5th 12 1 2019 1999 x mg".split()
    parts += ["Jan."]
    parts += ["June", "Junes", "_", "3", "21st", "of ", "²", " ", " ", ", ", "-", "/", "\n", "May 5, 2019"]
    parts += ["12 May 1999", "the 3rd of March", "Sept. 12", "MAY 2", "Dec 2001", "June of 1999"]
    parts += ["1st of Jan"]
    found = 0
    for _ in range(6000):
        text = "".join(rnd.choice(parts) for _ in range(rnd.randint(0, 40)))
        emitted: list[tuple[int, int, float]] = []
        detector._dates(
            text, text.translate(D._LOWER), {}, lambda s, e, k, sc: emitted.append((s, e, sc)), G._Gate(text)
        )
        numeric = {m.span() for m in rules.date_numeric.finditer(text)}
        numeric |= {m.span() for m in rules.date_iso.finditer(text)}
        expected = _month_dates_reference(text) - numeric
        assert {(s, e) for s, e, sc in emitted if sc == 0.95} - numeric == expected, text
        found += len(expected)
    assert found > 1000


def test_capitalised_words_of_ascii_text_get_the_keys_key_gives() -> None:
    """``_cap_runs`` cuts ASCII words' keys from the lowercased text instead of calling ``_key``."""
    rules = P._rules()
    rnd = random.Random(8)
    parts = ["Ana", "O'Neil's", "McDonald-Smith", "JOHN'S", "Dr", "St.", "R.", "x", " ", "  ", "\t", "\n"]
    parts += ["Núñez", "Strøm’s", "A", "B's", "-", "'", "’", "9", "abcDef", "ÉLAN", ".", ","]
    words = 0
    for _ in range(4000):
        text = "".join(rnd.choice(parts) for _ in range(rnd.randint(0, 16)))
        tokens, keys, _ = N._cap_runs(text, text.translate(D._LOWER), rules.cap_word)
        assert keys == [N._key(text[s:e]) for s, e in tokens], text
        words += len(tokens)
    assert words > 5000


def test_street_scan_of_lines_with_a_suffix_equals_whole_text_scan() -> None:
    rules = P._rules()
    rnd = random.Random(5)
    parts = ["12", "4500", "7b", " ", "  ", "\t", "\n", "Main", "Oak", "St", "St.", "Street", "Dr", "Ave"]
    parts += ["N", "NE", ",", "Apt", "4C", "#", "Suite", "mg", "3rd", "-", "Lane", "Lanes", "x", "O'Neil"]
    parts += [
        "12 Main St",
        "4500 N Oak Street, Apt 4C",
        "77 Elm Dr",
        " 3 Kent Rd NE",
        "9 Hill Ave.",
        "St-Paul",
    ]
    parts += ["St's", "Dr’s", "é", "Way-", "ROAD", "Ct"]
    found = 0
    for _ in range(6000):
        text = "".join(rnd.choice(parts) for _ in range(rnd.randint(0, 30)))
        expected = [m.span() for m in rules.street.finditer(text)]
        tokens, keys, _ = N._cap_runs(text, text.translate(D._LOWER), rules.cap_word)
        shape = text.translate(G._DIGIT_SHAPE) if text.isascii() else None
        got = [m.span() for m in G._street_matches(text, rules.street, tokens, keys, shape)]
        assert got == expected, text
        found += len(expected)
    assert found > 500


def test_word_index_of_the_vocabulary_equals_the_full_index() -> None:
    rules = P._rules()
    rnd = random.Random(9)
    vocab = [*sorted(rules.vocabulary)[:60], "to", "at", "for", "patient", "mrn", "dob", "hospital"]
    glue = [" ", "  ", ".", ",", "-", "\n", "x", "1", "(", "é", "’", ":"]
    for _ in range(3000):
        low = "".join(rnd.choice(vocab) + rnd.choice(glue) for _ in range(rnd.randint(0, 25)))
        expected = {w: p for w, p in P._word_index(low).items() if w in rules.vocabulary}
        assert rules.word_index(low) == expected, low


def test_number_rules_are_skipped_only_when_they_cannot_match() -> None:
    """A rule whose gate says "no" must have nothing to find (gates are necessary conditions)."""
    rules = P._rules()
    rnd = random.Random(13)
    alphabet = "0123456789" * 6 + " -./:\tABCDEFHJKWXYZ" + "abcdef" + "\n"
    shapes = {
        "phone_tail": ("000 0000", "000-0000", "000.0000", "000\t0000"),
        "ssn": ("000-00-0000", "000 00 0000", "000-00 0000", "000 00-0000"),
        "card": ("00000000", "0000 0000", "0000-0000"),
        "dea": ("0000000",),
        "long_number": ("0000000",),
    }
    seen = dict.fromkeys([*shapes, "vin", "mixed_id", "ipv4", "ipv6", "mac"], 0)
    for _ in range(20000):
        text = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 40)))
        if rnd.random() < 0.2:  # a VIN or a MAC address, sometimes cut short
            fragment = rnd.choice(["1HGCM82633A004352", "00:1A:2B:3C:4D:5E", "0a-1b-2c-3d-4e-5f"])
            at = rnd.randint(0, len(text))
            text = text[:at] + fragment[: rnd.randint(12, len(fragment))] + text[at:]
        gate = G._Gate(text)
        for name, needed in shapes.items():
            found = list(getattr(rules, name).finditer(text))
            assert gate.digits(*needed) or not found, (name, text)
            seen[name] += bool(found)
        vins = list(rules.vin.finditer(text))
        assert gate.vin() or not vins, text
        seen["vin"] += bool(vins)
        mixed = [m for m in rules.mixed_id.finditer(text) if D._FOUR_DIGITS.search(m.group())]
        assert gate.digits("0000") or not mixed, text
        seen["mixed_id"] += bool(mixed)
        ipv4 = list(rules.ipv4.finditer(text))
        assert G._IPV4_GATE.search(text) or not ipv4, text
        seen["ipv4"] += bool(ipv4)
        ipv6 = [m for m in rules.ipv6.finditer(text) if m.group().count(":") >= 2]
        assert G._IPV6_GATE.search(text) or not ipv6, text
        seen["ipv6"] += bool(ipv6)
        mac = list(rules.mac.finditer(text))
        assert G._MAC_GATE.search(text) or not mac, text
        seen["mac"] += bool(mac)
    # Every rule matched now and then, so the gates were tested on texts that do hold matches.
    assert all(count > 0 for count in seen.values()), seen


def test_after_name_regrouped_by_first_letter_accepts_the_same() -> None:
    """``after_name`` with its verb and credential lists regrouped by first letter: same verdicts."""
    original = re.compile(
        rf"(?P<verb>[ \t]+{P._NAME_VERBS}\b)"
        rf"|(?P<cred>,?[ \t]+{P._CREDENTIALS}(?![A-Za-z]))"
        r"|(?P<demo>[ \t]*(?:\(|,|\|)?[ \t]*(?:(?i:age[ds]?\b|dob\b|d\.o\.b|born\b|mrn\b|sex\b)"
        r"|\d{1,3}[ \t]*(?:yo\b|y/o|y\.o\.|-?year-old|[MF]\b)|\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}))"
    )
    fast = P._rules().after_name
    words = re.findall(r"[A-Za-z.\-]+", P._NAME_VERBS + " " + P._CREDENTIALS)
    words += ["age", "Age", "dob", "born", "mrn", "SEX", "was", "is", "an", "a", "seen", "x", "MDs", "PA-C"]
    words += ["AGES", "aged", "ageS", "ſex", "D.O.B", "d.o.b.", "Born2", "MRN", "mrnx", "agex", "12 yo", "9M"]
    words += ["1/2/33"]
    glue = [" ", "  ", "\t", ",", ", ", "(", "|", "", "5", "45 yo", "3/4/21", ".", "\n", " ( ", "\t|\t", ",,"]
    rnd = random.Random(17)
    verdicts = set()
    for _ in range(30000):
        text = "".join(rnd.choice(glue) + rnd.choice(words) for _ in range(rnd.randint(1, 3)))
        a, b = original.match(text), fast.match(text)
        assert (a is None) == (b is None) and (a is None or a.lastgroup == b.lastgroup), text
        verdicts.add(None if a is None else a.lastgroup)
    assert verdicts == {None, "verb", "cred", "demo"}


def test_ascii_twins_match_like_the_unicode_patterns_on_ascii_text() -> None:
    P._rules()
    rnd = random.Random(23)
    alphabet = "0123456789" * 5 + " -./:\tAZaz\n"
    for pattern, twin in P._ASCII_TWINS.items():
        assert twin.pattern.lstrip("(").startswith("[0-9]")
        for _ in range(2000):
            text = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 30)))
            assert [m.span() for m in twin.finditer(text)] == [m.span() for m in pattern.finditer(text)]


def test_dea_mbi_and_state_zip_gates_are_necessary() -> None:
    rules = P._rules()
    rnd = random.Random(29)
    parts = ["AB1234563", "A91234563", "1EG4-TE5-MK73", "1EG4TE5MK73", "NY 10001", "MD, 21201", "x", " ", "7"]
    parts += ["Q", "ab", "12345", "-", "\n"]
    for _ in range(10000):
        text = "".join(rnd.choice(parts) for _ in range(rnd.randint(0, 6)))
        if rnd.random() < 0.5:  # damage a fragment
            at = rnd.randint(0, len(text))
            text = text[:at] + rnd.choice("0Aa -") + text[at + 1 :]
        gate = G._Gate(text)
        assert gate.classes("AA0000000", "A00000000") or not list(rules.dea.finditer(text)), text
        assert gate.classes("AA00") or not list(rules.mbi.finditer(text)), text
        assert gate.digits("00000") or not list(rules.state_zip.finditer(text)), text


def test_line_scans_find_every_match_that_holds_its_shape() -> None:
    """``_Gate.scan`` looks only at lines holding a shape: the matches there are the whole-text scan's,
    and every whole-text match the detector keeps holds a shape itself."""
    rules = P._rules()
    cases = [
        (rules.phone_tail, ("000 0000", "000-0000", "000.0000", "000\t0000"), False),
        (rules.ssn, ("000-00-0000", "000 00 0000", "000-00 0000", "000 00-0000"), False),
        (rules.card, ("00000000", "0000 0000", "0000-0000"), False),
        (rules.dea, ("AA0000000", "A00000000"), True),
        (rules.mbi, ("AA00",), True),
        (rules.long_number, ("0000000",), False),
        (rules.mixed_id, ("0000",), False),
        (rules.date_numeric, ("0/0/", "0/00/", "0.0.", "0.00.", "0-0-", "0-00-"), False),
        (rules.date_month_year_num, ("0/0000",), False),
        (rules.date_md_short, ("0/0",), False),
        (rules.state_zip, ("00000",), False),
    ]
    rnd = random.Random(31)
    parts = ["AB1234563", "1EG4-TE5-MK73", "NY 10001", "555-0152", "123-45-6789", "4111 1111 1111 1111"]
    parts += [
        "12/3/2019",
        "3/2019",
        "4/5",
        "1.2.33",
        "A12345B",
        "1234567",
        "x",
        " ",
        "\n",
        "7",
        "-",
        "/",
        "Z",
    ]
    found = 0
    for _ in range(4000):
        text = "".join(rnd.choice(parts) for _ in range(rnd.randint(0, 12)))
        gate = G._Gate(text)
        for pattern, shapes, classes in cases:
            table = G._CLASS_SHAPE if classes else G._DIGIT_SHAPE
            full = list(pattern.finditer(text))
            if pattern is rules.mixed_id:
                full = [m for m in full if D._FOUR_DIGITS.search(m.group())]
            for m in full:
                assert any(shape in m.group().translate(table) for shape in shapes), (pattern.pattern, text)
            lines = {
                i
                for i, line in enumerate(text.split("\n"))
                if any(s in line.translate(table) for s in shapes)
            }
            expected = [m.span() for m in pattern.finditer(text) if text.count("\n", 0, m.start()) in lines]
            assert [m.span() for m in gate.scan(pattern, *shapes, classes=classes)] == expected, text
            found += len(expected)
    assert found > 5000


def test_month_and_domain_probes_find_what_one_find_per_probe_finds() -> None:
    rnd = random.Random(23)
    parts = [*G._MONTH_FIRST3, *G._TLD_PROBES, "JUNOV", "Mayo", "a", "x", " ", ".", "..", "c", "om", "\n"]
    parts += ["janet", "www.mercy.org", "health", ".i", "nfo", "ORG", "é"]
    for _ in range(4000):
        text = "".join(rnd.choice(parts) for _ in range(rnd.randint(0, 30)))
        months = sorted(
            i
            for probe in G._MONTH_FIRST3
            for i in range(len(text))
            if text.startswith(probe, i) and (i == 0 or not text[i - 1].isalpha())
        )
        assert G._month_positions(text) == months, text
        low = text.translate(D._LOWER)
        tlds = sorted(i for tld in G._TLD_PROBES for i in range(len(low)) if low.startswith(tld, i))
        assert [m.start() for m in G._TLD_PROBE.finditer(low)] == tlds, text


def test_local_content_check_opens_a_category_exactly_when_a_trigger_occurs() -> None:
    from ai_workers.safety import guard

    def reference(text: str) -> list[str]:
        low = text.lower()
        return [
            code
            for code, patterns in guard._CHECKS
            if any(t in low for t in guard._TRIGGERS[code]) and any(p.search(text) for p in patterns)
        ]

    rnd = random.Random(5)
    triggers = [t for ts in guard._TRIGGERS.values() for t in ts]
    words = ["how do i", "how to", "make a", "kill", "myself", "Pipe Bomb", "the", "child", "sexual", "x"]
    words += ["tell me how to", "forge a", "prescription", "rm -rf /", "os.system(", "explicit", "story"]
    flagged = 0
    for _ in range(3000):
        text = " ".join(rnd.choice(words + triggers) for _ in range(rnd.randint(0, 12)))
        if rnd.random() < 0.3:
            text = text.upper()
        expected = reference(text)
        assert guard.local_check(text).categories == expected, text
        flagged += bool(expected)
    assert flagged > 100
