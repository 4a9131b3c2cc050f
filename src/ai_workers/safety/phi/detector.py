# ruff: noqa: SIM905
"""PHI detection: compiled regexes + validators + context cues + name lists, about a millisecond per 2 KB.

Why not spaCy/Presidio: an NER model costs tens of milliseconds per prompt and hundreds of MB, and its
recall on clinical identifiers (MRNs, DEA numbers, "pt John") is no better than rules written for them
(see bench/bench_phi.py for the side-by-side figures). The rules here are deliberately precise about
clinical text: doses, lab values, ICD-10/CPT codes, eponyms, year-only dates and ages under 90 stay.

Every rule yields candidate spans; overlapping candidates are resolved by score then length. The
detector never logs and never keeps the text it scans.

Modules: this one holds the detector and its passes (what a match means); ``patterns`` the compiled
rule patterns and word lists; ``gates`` the fast-path gates that keep scans off texts that cannot
match; ``names`` the word-level name heuristics; ``recall`` the safe-word recall rules; ``lexicon``,
``safewords``, ``validators`` and ``spans`` the data and checks they share.

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
import hashlib
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from typing import NamedTuple

import phonenumbers
from mypy_extensions import mypyc_attr

from ai_workers.safety.phi import context, lexicon, recall, tables
from ai_workers.safety.phi.clinicalwords import CLINICAL_WORDS
from ai_workers.safety.phi.gates import (
    _IPV4_GATE,
    _IPV6_GATE,
    _MAC_GATE,
    _TLD_PROBE,
    _emails,
    _Gate,
    _match_start,
    _month_in_window,
    _month_positions,
    _Paths,
    _street_matches,
)
from ai_workers.safety.phi.names import (
    _AFTER_NAME_FIRST,
    _NON_SPACE,
    _NOT_NAME,
    _WEAK_CUES,
    _at_sentence_start,
    _cap_runs,
    _clinical_phrase,
    _eponym_use,
    _has_dash,
    _is_common,
    _is_eponym_use,
    _key,
    _titlecase_tokens,
    _trim_name,
)
from ai_workers.safety.phi.patterns import (
    _AGE_AFTER_NAME,
    _AGE_PREFIX,
    _AGE_SUFFIX,
    _CITY_WORDS,
    _DATE_CUE_WORDS,
    _FACILITY_FIRST,
    _LABEL_KIND,
    _SAFE_CODE,
    _rules,
)
from ai_workers.safety.phi.spaces import ocr_digits, plain_spaces
from ai_workers.safety.phi.spans import Span
from ai_workers.safety.phi.tagger import TaggerModel
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

# Words that alone do not make a facility a named one ("the Regional Medical Center" is generic).
_GENERIC_FACILITY_WORDS = frozenset(
    """the a an our your their this that his her at to from in of for and general regional community
    county state university medical memorial children's children’s family urgent primary care
    women's women’s mens men's veterans city central main local nearest nearby emergency pediatric
    cardiology oncology dental eye behavioral mental health rehabilitation surgical cancer heart
    private public teaching outpatient inpatient walk-in walk new same another other any admitted
    transferred discharged seen followed referred presented returned visit visited""".split()
)


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
        self,
        *,
        disabled: Iterable[str] = (),
        extra_names: Iterable[str] = (),
        cache_size: int = 4096,
        learned: bool = True,
    ) -> None:
        self.disabled = frozenset(disabled)
        # The learned second look (tagger.py) over the words no rule flagged; ``learned=False`` gives
        # the rules alone (its trainer's view).
        self.tagger = TaggerModel.load() if learned else None
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
        # same length: offsets still point into the caller's text
        text = ocr_digits(plain_spaces(text))
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
        if "   " in text:
            found = _outside_batch_cells(text, found)
        found = _no_plan_facilities(text, found)
        if _upper_case_text(text):
            found = _no_upper_case_words(text, found)
        resolved = _resolve_candidates(context.drop_vetoed(text, found))
        typed = [(s, e, kind) for s, e, kind, _ in resolved]
        if self.tagger is not None:
            if deadline is not None:
                deadline.check()
            learned = self.tagger.spans(text, typed)
            if learned:
                resolved = _resolve_candidates([*resolved, *learned])
                typed = [(s, e, kind) for s, e, kind, _ in resolved]
        more = recall.propagate(text, typed)
        if more:
            resolved = _resolve_candidates([*resolved, *more])
            if self.tagger is not None:
                resolved = _join_name_parts(text, resolved)
        spans = _as_spans(resolved)
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
            if kind == "VEHICLE" and value.isdigit() and len(value) <= 2:
                continue  # "vehicle 4 minutes behind": a count, no plate is a number this short
            if value.isdigit() and len(value) <= 4 and _UNIT_AFTER.match(text, value_end):
                continue  # "door-to-device: 71 min", "serial 12 h": a measure, not an identifier
            if phrase == "group" and context.group_year(text, value_start, value_end):
                continue  # "the Clinical Guidelines Group 2023": a year, not a group number
            if phrase == "npi" and not npi_ok(value):
                kind = "ID"  # labelled NPI with a bad check digit: still an identifier, type unsure
            if kind == "ID":
                if recall.ndc_code(text, value_start, value):
                    continue  # "NDC ref: 0781-5180-92": a drug's product code
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
                    if _after_clock(text, lo + m.start()):
                        continue  # "04:20 May resume diet": the minutes of a time, not a day
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
            between_commas = (
                text[e : e + 1] in (",", ")")
                and _AGE_AFTER_NAME.search(text, max(0, s - 6), s) is not None
                and not context.cell_after_word(text, s)  # "2021,Pharmacy,100,9.9": a count
            )
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
        for m in _comma_line_matches(r.last_first, text):
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


def _after_clock(text: str, start: int) -> bool:
    """Whether ``start`` follows a clock time's colon ("04:|20 May"): its digits are minutes."""
    return start >= 2 and text[start - 1] == ":" and text[start - 2].isdigit() and text[start].isdigit()


def _comma_line_matches(pattern: re.Pattern[str], text: str) -> list[re.Match[str]]:
    """``last_first.finditer(text)``'s matches on the lines that hold a comma (the only lines where a
    "Last, First" can match; the caller skips its other matches). No match holds a newline and none
    can start at one, so the scan of a line is the same as the whole-text scan's there."""
    out: list[re.Match[str]] = []
    n = len(text)
    k = text.find(",")
    while k >= 0:
        lo = text.rfind("\n", 0, k) + 1
        hi = text.find("\n", k)
        if hi < 0:
            hi = n
        out.extend(pattern.finditer(text, lo, hi))
        k = text.find(",", hi)
    return out


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


_ZIP = re.compile(r"\d{5}(?:-\d{4})?")
_FOUR_DIGITS = re.compile(r"\d\d{3}")
_STATE_NAME_SET = frozenset(lexicon.US_STATES.values())
_CREDENTIAL_STATES = frozenset(["MD", "PA", "DO", "OT", "PT"])

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


def _join_name_parts(text: str, spans: list[_Candidate]) -> list[_Candidate]:
    """Two NAME spans one space apart are one name: the tagger found a surname ("wrzesniak") before
    propagation found the given name beside it, so the name would get two placeholders."""
    out: list[_Candidate] = []
    for span in spans:
        last = out[-1] if out else None
        if last and span[2] == last[2] == "NAME" and span[0] == last[1] + 1 and text[last[1]] == " ":
            out[-1] = (last[0], span[1], "NAME", max(last[3], span[3]))
        else:
            out.append(span)
    return out


def _resolve(spans: list[_Candidate]) -> list[Span]:
    """Non-overlapping spans: of two overlapping candidates the more confident (then longer) wins,
    and when both are confident the union is kept, so no PHI character is ever dropped."""
    return _as_spans(_resolve_candidates(spans))


def _as_spans(candidates: list[_Candidate]) -> list[Span]:
    # tuple.__new__ builds each Span in C; ``Span(*c)`` ran NamedTuple's Python-level __new__ (about
    # half the cost of resolving, for the ~40 spans of a 2 KB clinical note).
    new = tuple.__new__
    return [new(Span, c) for c in candidates]


def _resolve_candidates(spans: list[_Candidate]) -> list[_Candidate]:
    """``_resolve`` as plain tuples (the detector resolves twice, around ``recall.propagate``)."""
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
    return out


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


# "Insurance: AXA Health", "plan on the face sheet: HCF Hospital Gold": an insurer's or plan's name
# (Safe Harbor lists the beneficiary's number, not the plan), read as a facility by its kind word.
_PLAN_CUE = re.compile(
    r"(?i)(?:insurance|insurer|payer|payor|plan|cover|coverage|scheme)\b[^.\n:]{0,30}+:[ \t]*+\Z"
)


def _no_plan_facilities(text: str, found: list[_Candidate]) -> list[_Candidate]:
    """The candidates less the facilities that are an insurer's or plan's name (``_PLAN_CUE``)."""
    return [c for c in found if c[2] != "FACILITY" or _PLAN_CUE.search(text, max(0, c[0] - 40), c[0]) is None]


def _upper_case_text(text: str) -> bool:
    """Whether ``text`` is written in capitals (four letters in five or more are upper case). Counted
    with two regex scans (in C): a Python loop over every character cost more than the rule it gates."""
    sample = text[:4000]
    upper = len(_UPPER_LETTER.findall(sample))
    return upper >= 40 and upper >= 4 * len(_LOWER_LETTER.findall(sample))


_UPPER_LETTER = re.compile(r"[A-ZÀ-ÖØ-Þ]")
_LOWER_LETTER = re.compile(r"[a-zß-öø-ÿ]")


def _no_upper_case_words(text: str, found: list[_Candidate]) -> list[_Candidate]:
    """In a text written in capitals every word is capitalised, so a run of them reads as a name by
    its shape alone ("ACCESSED A", "INTACT, REPOSITIONED", "CORONAL REFORMATS"): a name candidate made
    only of English or clinical words that no name or town list holds is dropped. (Towns are kept: a
    town that is also a word, "READING", is still a town after "lives in".)"""
    kept = []
    for c in found:
        if c[2] == "NAME":
            words = [w.lower() for w in _LETTER_WORDS.findall(text, c[0], c[1])]
            if words and all(_plain_word(w) for w in words):
                continue
        kept.append(c)
    return kept


_LETTER_WORDS = re.compile(r"[A-Za-z]+")


def _plain_word(k: str) -> bool:
    if (
        k in lexicon.FIRST_NAMES
        or k in lexicon.SURNAMES
        or k in lexicon.AMBIGUOUS_FIRST
        or k in lexicon.CITIES
    ):
        return False
    return len(k) <= 1 or k in CLINICAL_WORDS or context.english_word(k)


# A unit of time, amount or proportion right after a number: the number measures something.
_UNIT_AFTER = re.compile(
    r"[ \t]?(?:min|mins|minutes|h|hr|hrs|hours|sec|secs|seconds|%|mg|ml|mmol|kg|cm|mm)\b"
)

_BATCH_KINDS = frozenset(["ID", "MRN", "ACCOUNT", "LICENSE", "DEVICE", "HEALTH_PLAN"])


def _outside_batch_cells(text: str, found: list[_Candidate]) -> list[_Candidate]:
    """The candidates less the ids that lie inside a cell of a table's lot or product-code column."""
    cells = tables.batch_cells(text)
    if not cells:
        return found
    starts = [s for s, _ in cells]
    kept = []
    for c in found:
        if c[2] in _BATCH_KINDS:
            i = bisect.bisect_right(starts, c[0]) - 1
            if i >= 0 and c[1] <= cells[i][1]:
                continue  # inside a lot or product-code cell
        kept.append(c)
    return kept


def detect(text: str) -> list[Span]:
    """Spans of PHI in ``text`` with the default detector."""
    return default_detector().detect(text)
