"""A learned second look at the words the rules left alone: a token classifier for missed identifiers.

Why: the rules were tuned corpus by corpus, and each round's gain mostly stayed with the texts it was
tuned on (issue 20: tuning-set recall 0.95 -> 0.99, a new author's texts 0.91). A classifier trained on
every corpus at once learns what the rules could not spell out one shape at a time: which context makes
a capitalised word a name ("her partner Joel", "seen by joel"), a town ("lives in Millbrook"), a
facility or an id, from the words, shapes, line keys and rule findings around it.

It runs after the rules, on the word tokens no rule span covers, so it only ever adds spans: every rule
finding stays, and a text the model would misread loses nothing the rules caught (recall first: a
missed identifier is a breach, a redacted word costs little). The model is a multinomial logistic
regression over sparse binary features (``bench/train_phi_tagger.py`` trains it with scikit-learn on
the tuning corpora and writes ``data/phi_tagger.npz``); scoring it needs only a dict lookup per feature
and one numpy gather-and-sum per text, so scikit-learn is not a runtime dependency.

``token_values`` is the one definition of the features, used by the trainer and at run time alike.
"""

from __future__ import annotations

import bisect
import copy
import itertools
import math
import re
import string
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

from ai_workers.safety.phi import lexicon
from ai_workers.safety.phi.clinicalwords import CLINICAL_WORDS
from ai_workers.safety.phi.commonwords import COMMON_ENGLISH
from ai_workers.safety.phi.frequentwords import FREQUENCY
from ai_workers.safety.phi.safewords import SAFE_WORDS

# Word tokens: letters/digits, joined by an apostrophe, dot, hyphen or slash ("O'Brien", "St.Mary",
# "5/14", "A-12"). Everything between tokens is context (punctuation before and after a token).
TOKEN = re.compile(r"\w+(?:['’.\-/]\w+)*")

# The classes the model tells apart. The rules' finer types (MRN, SSN, HEALTH_PLAN...) are grouped:
# the model adds few spans of each, and a type only names the placeholder.
CLASSES: tuple[str, ...] = ("O", "NAME", "LOCATION", "FACILITY", "DATE", "AGE", "ID", "PHONE")
GROUP: dict[str, str] = {
    "NAME": "NAME",
    "ADDRESS": "LOCATION",
    "LOCATION": "LOCATION",
    "ZIP": "LOCATION",
    "FACILITY": "FACILITY",
    "DATE": "DATE",
    "AGE": "AGE",
    "PHONE": "PHONE",
    "FAX": "PHONE",
}  # every other type (MRN, ID, SSN, ACCOUNT, HEALTH_PLAN, LICENSE, DEVICE, VEHICLE, ...) is "ID"

_SHAPE = str.maketrans(
    string.ascii_uppercase + string.ascii_lowercase + string.digits, "X" * 26 + "x" * 26 + "d" * 10
)
_PERIOD = re.compile(r"(?:19|20)\d\d-?[QHW]\d{1,2}", re.IGNORECASE)
_UPPER = re.compile(r"[^\W\d_a-z]")  # letters that are not lower-case ASCII: close enough to capitals
_LOWER = re.compile(r"[a-z]")
_COLON = re.compile(":")
_DIGIT = re.compile(r"\d")
_CALENDAR = (
    "january february march april may june july august september october november december"
    " jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday friday"
    " saturday sunday mon tue tues wed thu thur thurs fri sat sun"
)
_CALENDAR_WORDS = frozenset(_CALENDAR.split())
_RUN_CUTS = (("xxx", "xx"), ("XXX", "XX"), ("ddd", "dd"))  # tokens join their parts with one mark
_KEY_WORD = re.compile(r"[a-z]+")
MODEL_PATH = Path(__file__).resolve().parents[2] / "data" / "phi_tagger.npz"


def group(kind: str) -> str:
    """The model's class for one of the detector's (or a gold corpus's) span types."""
    return GROUP.get(kind, "ID")


def shape(word: str) -> str:
    """Letters and digits as X/x/d, runs over two cut to two: "McAllister" -> "XxXxx", "07700" -> "dd".
    (``str.replace`` in a loop: a regex substitution with a backreference cost ~10 us a word.)"""
    out = word.translate(_SHAPE)
    for run, two in _RUN_CUTS:
        while run in out:
            out = out.replace(run, two)
    return out


def _case(word: str) -> str:
    if word.isdigit():
        return "digit"
    if not word.isalpha() and _DIGIT.search(word):
        return "alnum"
    if word.isupper():
        return "upper"
    if word[:1].isupper():
        return "title"
    return "lower" if word.islower() else "mixed"


def _frequency_band(low: str) -> str:
    freq = FREQUENCY.get(low)
    if freq is None:
        return "rare"
    return str(min(7, int(math.log10(freq) + 9.0)))  # wordfreq's Zipf, whole numbers


def _name_flags(low: str) -> str:
    first, last = low in lexicon.FIRST_NAMES, low in lexicon.SURNAMES
    return "both" if first and last else "first" if first else "last" if last else "none"


def _lists(low: str) -> str:
    """Which of the detector's word lists know the word: clinical, safe, common English (Philter's
    safe words as a feature: the model weighs them against the context instead of a hard veto)."""
    return (
        ("c" if low in CLINICAL_WORDS else "")
        + ("s" if low in SAFE_WORDS else "")
        + ("e" if low in COMMON_ENGLISH else "")
    )


def text_case(text: str) -> str:
    """Upper, lower or mixed case, by the share of capitals among the first 2,000 characters' letters."""
    sample = text[:2000]
    upper = len(_UPPER.findall(sample))
    letters = upper + len(_LOWER.findall(sample))
    if not letters:
        return "none"
    return "upper" if upper > 0.8 * letters else "lower" if upper < 0.01 * letters else "mixed"


def tokens_of(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in TOKEN.finditer(text)]


def covering_types(tokens: Sequence[tuple[int, int]], spans: Sequence[tuple[int, int, str]]) -> list[str]:
    """For each token, the type of the span covering any of it, or "" (spans in any order)."""
    out = [""] * len(tokens)
    ordered = sorted(spans)
    j = 0
    for i, (s, e) in enumerate(tokens):
        while j < len(ordered) and ordered[j][1] <= s:
            j += 1
        k = j
        while k < len(ordered) and ordered[k][0] < e:
            if ordered[k][1] > s:
                out[i] = ordered[k][2]
                break
            k += 1
    return out


class _Word(NamedTuple):
    """What the features read of one word, computed once per distinct word of a text."""

    low: str
    shape: str
    case: str
    band: str  # Zipf band
    names: str  # first/last-name list flags
    lists: str  # clinical/safe/common list flags


# Common words' attributes, kept across texts. Only words that cannot be an identifier by themselves
# are kept (in no name list, no digit, and in a clinical/safe/common word list or at Zipf >= 3): no
# patient's name or id stays in the process after its request.
_COMMON: dict[str, _Word] = {}
_COMMON_MAX = 50_000


def _word(word: str, seen: dict[str, _Word]) -> _Word:
    """``word``'s attributes, from the common-word table, the text's own table ``seen``, or computed."""
    w = _COMMON.get(word) or seen.get(word)
    if w is None:
        low = word.lower()
        w = _Word(low, shape(word), _case(word), _frequency_band(low), _name_flags(low), _lists(low))
        if (
            w.names == "none"
            and (w.lists or w.band in ("3", "4", "5", "6", "7"))
            and w.case not in ("digit", "alnum")
            and len(_COMMON) < _COMMON_MAX
        ):
            _COMMON[word] = w
        else:
            seen[word] = w
    return w


_START = _Word("<s>", "<s>", "<s>", "<s>", "<s>", "<s>")
_END = _Word("</s>", "</s>", "</s>", "</s>", "</s>", "</s>")


def _line_keys(text: str, tokens: Sequence[tuple[int, int]]) -> list[tuple[str, bool]]:
    """For each token: the label before the last colon ahead of it on its line ("next of kin" in
    "Next of kin: Joel", its last two words), and whether it is the line's first word."""
    out: list[tuple[str, bool]] = []
    line_end = -1
    line = 0
    colons: list[int] = []
    keys: dict[int, str] = {}
    first_seen = False
    for s, _ in tokens:
        if s > line_end:
            line = text.rfind("\n", 0, s) + 1
            line_end = text.find("\n", s)
            if line_end < 0:
                line_end = len(text)
            colons = [m.start() for m in _COLON.finditer(text, line, line_end)]
            keys = {}
            first_seen = False
        key = ""
        before = bisect.bisect_left(colons, s)  # colons ahead of the token (a bisect: lines of colons)
        if before:
            c = colons[before - 1]
            key = keys.get(c, "")
            if c not in keys:
                # the last two words of the label: its start bounded, so a long line costs no more
                key = keys[c] = " ".join(_KEY_WORD.findall(text[max(line, c - 60) : c].lower())[-2:])
        out.append((key, not first_seen))
        first_seen = True
    return out


# The feature templates, in the order ``token_values`` gives their values. A template joining several
# attributes ("w-1|c": the previous word and this word's case) takes a tuple; the others a string.
TEMPLATES: tuple[str, ...] = (
    "b", "d", "w", "s", "p", "x", "c", "z", "n", "w-1", "w-2", "w+1", "w+2", "s-1", "s+1", "r-1", "r+1",
    "pb", "pa", "k", "k|c", "f", "w-1|c", "c|c+1", "z|c", "w-1|w", "w|w+1", "w-3", "w+3", "n-1", "n+1",
    "c-1", "x4", "p4", "l", "l|c",
)  # fmt: skip


def words_of(text: str, tokens: Sequence[tuple[int, int]]) -> list[_Word]:
    """Each token's word attributes (``_Word``)."""
    seen: dict[str, _Word] = {}
    return [_word(text[s:e], seen) for s, e in tokens]


def token_values(
    text: str,
    tokens: Sequence[tuple[int, int]],
    words: Sequence[_Word],
    ruled: Sequence[str],
    candidates: Sequence[int],
    case: str,
) -> list[tuple[Any, ...]]:
    """Each candidate token's (indexes into ``tokens``) value for every template in ``TEMPLATES``;
    ``ruled`` gives each token's rule-span type ("" if none), ``case`` the text's (``text_case``).

    Values are the cached word attributes themselves (strings whose hashes Python has already
    computed) or tuples of them, not "name=value" strings built per token: looking those up cost
    0.56 us each (a new string is hashed on every lookup), three quarters of the tagger's time."""
    lines = _line_keys(text, tokens)
    doc = case
    n = len(tokens)
    size = len(text)
    out: list[tuple[Any, ...]] = []
    for i in candidates:
        s, e = tokens[i]
        w = words[i]
        low, case = w.low, w.case
        key, first = lines[i]
        before = text[s - 1] if s > 0 else "^"
        after = text[e] if e < size else "$"
        p1 = words[i - 1] if i > 0 else _START
        p2 = words[i - 2] if i > 1 else _START
        p3 = words[i - 3] if i > 2 else _START
        n1 = words[i + 1] if i + 1 < n else _END
        n2 = words[i + 2] if i + 2 < n else _END
        n3 = words[i + 3] if i + 3 < n else _END
        out.append(
            (
                "1",
                doc,
                low,
                w.shape,
                low[:3],
                low[-3:],
                case,
                w.band,
                w.names,
                p1.low,
                p2.low,
                n1.low,
                n2.low,
                p1.shape,
                n1.shape,
                ruled[i - 1] if i > 0 else "",
                ruled[i + 1] if i + 1 < n else "",
                "" if before.isspace() else before,
                "" if after.isspace() else after,
                key,
                (key, case),
                ("1" if first else "0") + case,
                (p1.low, case),
                (case, n1.case),
                (w.band, case),
                (p1.low, low),
                (low, n1.low),
                p3.low,
                n3.low,
                p1.names,
                n1.names,
                p1.case,
                low[-4:],
                low[:4],
                w.lists,
                (w.lists, case),
            )
        )
    return out


def feature_name(template: str, value: Any) -> str:
    """A feature's name in the model file: "template=value", a tuple's parts joined by "|"."""
    return template + "=" + ("|".join(value) if isinstance(value, tuple) else value)


def _parse_name(name: str) -> tuple[int, Any]:
    template, _, value = name.partition("=")
    return _TEMPLATE_INDEX[template], tuple(value.split("|")) if "|" in template else value


_TEMPLATE_INDEX = {t: i for i, t in enumerate(TEMPLATES)}


def candidates_of(
    text: str, tokens: Sequence[tuple[int, int]], words: Sequence[_Word], ruled: Sequence[str], case: str
) -> list[int]:
    """The tokens the model is asked about: word tokens no rule span covers, of two characters or more
    (or a digit), except lower-case words (any word of an all-capitals text) that a word list knows or
    that are frequent (Zipf >= 4): a third of all tokens, PHI in 0.3% of cases on the tuning corpora
    (mostly number words inside ages the age rules already cover). Chat prompts are often all lower
    case: "lives in a flat with her son" must not lose "flat" to a model that learned "lives in X".
    Nor is a listed word in no name list that opens the text or a sentence ("What is the dose..."):
    its capital is the sentence's (4% of candidates, 1.7% of them PHI, on v4 and v5), and a short chat
    question then has no candidate at all and costs no model call."""
    upper_text = case == "upper"
    out = []
    for i, w in enumerate(words):
        if ruled[i]:
            continue
        if len(w.low) < 2 and not w.low.isdigit():
            continue
        if (w.case == "lower" or (upper_text and w.case == "upper")) and (
            w.lists or w.band in ("4", "5", "6", "7")
        ):
            continue
        if w.case == "title" and w.lists and w.names == "none":
            start = tokens[i][0]
            if i == 0 or text[start - 2 : start] in (". ", "? ", "! "):
                continue
        out.append(i)
    return out


class TaggerModel:
    """The trained weights: one row per known feature (row 0: the zero row every unknown value maps
    to), one column per class in ``CLASSES``."""

    def __init__(self, names: Sequence[str], weights: Any, bias: Any, threshold: float) -> None:
        self.names = list(names)
        self.weights = np.vstack([np.zeros((1, len(CLASSES)), dtype=np.float32), weights.astype(np.float32)])
        self.bias = np.asarray(bias, dtype=np.float32)
        self.threshold = threshold  # a token is PHI when 1 - P(O) reaches this
        self.tables: list[dict[Any, int]] = [{} for _ in TEMPLATES]
        for row, name in enumerate(self.names, start=1):
            template, value = _parse_name(name)
            self.tables[template][value] = row

    @classmethod
    def load(cls, path: Path | None = None) -> TaggerModel | None:
        """The model at ``path`` (by default ``MODEL_PATH``, the one the package ships), or None if there
        is none."""
        path = path if path is not None else MODEL_PATH
        loaded = _LOADED.get(path)
        if loaded is None:
            if not path.exists():
                return None
            with np.load(path) as data:
                loaded = cls(
                    [str(x) for x in data["features"]],
                    data["weights"],
                    data["bias"],
                    float(data["threshold"]),
                )
            _LOADED[path] = loaded  # read once per process: every detector shares it (read-only)
        return loaded

    def with_threshold(self, threshold: float) -> TaggerModel:
        model = copy.copy(self)
        model.threshold = threshold
        return model

    def probabilities(self, values: Sequence[tuple[Any, ...]]) -> Any:
        """P(class) for each token's template values: rows in the order given, columns in ``CLASSES``."""
        if not values:
            return np.zeros((0, len(CLASSES)), dtype=np.float32)
        tables, zero = self.tables, itertools.repeat(0)
        index: list[int] = []
        for row in values:  # one C-level loop per token: dict.get(table, value, 0) for every template
            index.extend(map(dict.get, tables, row, zero))
        rows = np.asarray(index, dtype=np.intp).reshape(len(values), len(TEMPLATES))
        scores = self.weights[rows].sum(axis=1) + self.bias
        scores -= scores.max(axis=1, keepdims=True)
        np.exp(scores, out=scores)
        scores /= scores.sum(axis=1, keepdims=True)
        return scores

    def spans(
        self, text: str, ruled_spans: Sequence[tuple[int, int, str]]
    ) -> list[tuple[int, int, str, float]]:
        """New (start, end, type, score) spans over tokens no rule span covers."""
        tokens = tokens_of(text)
        if len(tokens) < MIN_TOKENS:
            return []
        ruled = covering_types(tokens, ruled_spans)
        case = text_case(text)
        words = words_of(text, tokens)
        candidates = candidates_of(text, tokens, words, ruled, case)
        if not candidates:
            return []
        probs = self.probabilities(token_values(text, tokens, words, ruled, candidates, case))
        phi = 1.0 - probs[:, 0]
        out: list[tuple[int, int, str, float]] = []
        for row in np.flatnonzero(phi >= self.threshold):
            s, e = tokens[candidates[row]]
            kind = CLASSES[1 + int(probs[row, 1:].argmax())]
            if not _plausible(text[s:e], kind):
                continue
            score = float(phi[row])
            if out and out[-1][2] == kind and _joinable(text[out[-1][1] : s]):
                out[-1] = (out[-1][0], e, kind, max(out[-1][3], score))
            else:
                out.append((s, e, kind, score))
        return out


_LOADED: dict[Path, TaggerModel] = {}
# Texts of fewer word tokens are left to the rules: the model learned from documents, and a lone
# token ("dr-7", an app's user id) gives it nothing but the token itself.
MIN_TOKENS = 3


def _plausible(word: str, kind: str) -> bool:
    """A bare number of up to three digits is an identifier only as an age over 89 or a house number
    (a count, a score, a percentage or a bed number is not PHI; an age under 90 is not PHI either).
    Safe Harbor keeps years: a reporting period within a year is not a date of a person."""
    if kind != "DATE" and word.lower() in _CALENDAR_WORDS:
        return False  # "in March", "on Monday": a month or a day named alone is not a place or a name
    if kind == "DATE" and _PERIOD.fullmatch(word):
        return False  # a year's quarter, half or week ("2023-Q1", "2024-W22"): a year, not a day
    if not word.isdigit() or len(word) > 3:
        return True
    if kind == "AGE":
        return int(word) >= 90
    return kind == "LOCATION"


def _joinable(gap: str) -> bool:
    """Two flagged tokens of one type become one span across a short gap of spaces and joiners."""
    return len(gap) <= 3 and "\n" not in gap and all(c in " .,-'’" for c in gap)
