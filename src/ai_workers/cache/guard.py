"""The near-miss guard: vetoes a semantic hit when two prompts differ in a detail that changes the answer.

Sentence embeddings place "What is the dose of ibuprofen for a child?" and "... of naproxen for a
child?" or "... for an adult?" very close together: the cosine threshold alone cannot tell a paraphrase
from a question about another drug, dose, patient or a negated one, and a wrong answer is worse than a
miss. So before a semantic hit is served, both prompts' *critical details* must agree:

- numbers and identifiers (``500``, ``2.5``, ``B12``, ``E11.9``; number words count as numbers) — a
  multiset, so "2 tablets 3 times" differs from "3 tablets 2 times" only by order and still matches,
  but "2" vs "20" does not;
- units (mg vs mcg vs g, ml, IU, hours vs days...);
- negation (not, no, never, without, can't...);
- redaction placeholders (``<PERSON_1>``, ``[DATE_2]``...): the same redacted slots;
- contrast words from small closed classes where swapping one member for another flips the answer
  (child/adult/infant/elderly, male/female, before/after, increase/decrease, left/right, oral/IV,
  morning/night, start/stop...);
- rare content words: any word rarer than ``rare_word_zipf`` on the wordfreq Zipf scale (drug names,
  conditions, body parts, proper names) present in one prompt must appear (same stem) in the other,
  and in the same order ("switch from sertraline to fluoxetine" is not the reverse).

Paraphrases mostly reword the frame ("how much ... should I take" vs "what is the dose of ...") with
common words, which pass. The labelled set in tests/data/semantic_cache/ measures both sides.
Features are extracted once per prompt and stored with the entry (small, no vector needed).
"""

from __future__ import annotations

import functools
import re
from collections import Counter

import msgspec

from ai_workers.cache.verify import (
    MISSING_APOSTROPHE,
    check,
    has_equivalent,
    misspelled,
    sequence,
    surface_variant,
)

GUARD_VERSION = 4

_TOKEN = re.compile(
    r"[<\[{]{1,2}[A-Z][A-Z0-9_]*[>\]}]{1,2}"  # a redaction placeholder
    r"|\d+(?:[.,/]\d+)*(?:%|x\b|×)?"  # a number (or a multiplier: 2x)
    r"|[A-Za-z]+(?:['’][A-Za-z]+)?[0-9]*"  # a word (or an identifier such as B12)
)
_PLACEHOLDER = re.compile(r"^[<\[{]{1,2}[A-Z][A-Z0-9_]*[>\]}]{1,2}$")
_SENTENCE_END = re.compile(r"[.!?]\s*$")

_NUMBER_WORDS = {
    "zero": "0",
    "one": "1",
    "two": "2",
    "three": "3",
    "four": "4",
    "five": "5",
    "six": "6",
    "seven": "7",
    "eight": "8",
    "nine": "9",
    "ten": "10",
    "eleven": "11",
    "twelve": "12",
    "fifteen": "15",
    "twenty": "20",
    "thirty": "30",
    "forty": "40",
    "fifty": "50",
    "hundred": "100",
    "thousand": "1000",
    "half": "0.5",
    "quarter": "0.25",
    "once": "1x",
    "twice": "2x",
    "thrice": "3x",
    "single": "1",
    "double": "2x",
    "triple": "3x",
    "dozen": "12",
    "first": "1st",
    "second": "2nd",
    "third": "3rd",
}

_UNITS = {
    "mg": "mg",
    "milligram": "mg",
    "milligrams": "mg",
    "mcg": "mcg",
    "microgram": "mcg",
    "micrograms": "mcg",
    "ug": "mcg",
    "g": "g",
    "gram": "g",
    "grams": "g",
    "kg": "kg",
    "kilogram": "kg",
    "kilograms": "kg",
    "lb": "lb",
    "lbs": "lb",
    "pound": "lb",
    "pounds": "lb",
    "ml": "ml",
    "milliliter": "ml",
    "milliliters": "ml",
    "millilitre": "ml",
    "millilitres": "ml",
    "l": "l",
    "liter": "l",
    "liters": "l",
    "litre": "l",
    "litres": "l",
    "iu": "iu",
    "units": "unit",
    "unit": "unit",
    "mmol": "mmol",
    "mg/dl": "mg/dl",
    "meq": "meq",
    "tsp": "tsp",
    "teaspoon": "tsp",
    "teaspoons": "tsp",
    "tbsp": "tbsp",
    "tablespoon": "tbsp",
    "tablespoons": "tbsp",
    "percent": "%",
    "cm": "cm",
    "mm": "mm",
    "inch": "in",
    "inches": "in",
    "celsius": "c",
    "fahrenheit": "f",
    "second": "s",
    "seconds": "s",
    "minute": "min",
    "minutes": "min",
    "hour": "h",
    "hours": "h",
    "hr": "h",
    "hrs": "h",
    "day": "d",
    "days": "d",
    "week": "w",
    "weeks": "w",
    "month": "mo",
    "months": "mo",
    "year": "y",
    "years": "y",
    "yr": "y",
    "yrs": "y",
    "usd": "usd",
    "dollar": "usd",
    "dollars": "usd",
    "euro": "eur",
    "euros": "eur",
    "gb": "gb",
    "mb": "mb",
    "kb": "kb",
    "tb": "tb",
}

_NEGATIONS = {
    "not",
    "no",
    "never",
    "without",
    "none",
    "nor",
    "neither",
    "cannot",
    "nothing",
    "nobody",
    "nowhere",
}

# Closed classes whose members are mutually exclusive answers to the same question. Synonyms map to
# one canonical member (kid/child), so rewording within a member passes.
_CONTRASTS: dict[str, dict[str, str]] = {
    "age": {
        "child": "child",
        "children": "child",
        "kid": "child",
        "kids": "child",
        "pediatric": "child",
        "paediatric": "child",
        "infant": "infant",
        "infants": "infant",
        "baby": "infant",
        "babies": "infant",
        "newborn": "newborn",
        "newborns": "newborn",
        "neonate": "newborn",
        "toddler": "toddler",
        "toddlers": "toddler",
        "teen": "teen",
        "teens": "teen",
        "teenager": "teen",
        "teenagers": "teen",
        "adolescent": "teen",
        "adolescents": "teen",
        "adult": "adult",
        "adults": "adult",
        "elderly": "elderly",
        "senior": "elderly",
        "seniors": "elderly",
        "geriatric": "elderly",
        "older": "elderly",
    },
    "sex": {
        "male": "m",
        "man": "m",
        "men": "m",
        "boy": "m",
        "boys": "m",
        "he": "m",
        "him": "m",
        "his": "m",
        "mr": "m",
        "female": "f",
        "woman": "f",
        "women": "f",
        "girl": "f",
        "girls": "f",
        "she": "f",
        "her": "f",
        "hers": "f",
        "mrs": "f",
        "ms": "f",
    },
    "pregnancy": {
        "pregnant": "pregnant",
        "pregnancy": "pregnant",
        "breastfeeding": "lactating",
        "nursing": "lactating",
        "lactating": "lactating",
    },
    "timing": {
        "before": "before",
        "after": "after",
        "during": "during",
        "prior": "before",
        "following": "after",
    },
    "direction": {
        "increase": "up",
        "increasing": "up",
        "raise": "up",
        "higher": "up",
        "high": "up",
        "decrease": "down",
        "decreasing": "down",
        "lower": "down",
        "low": "down",
        "reduce": "down",
        "raising": "up",
        "lowering": "down",
        "reducing": "down",
    },
    "extreme": {
        "maximum": "max",
        "max": "max",
        "most": "max",
        "minimum": "min",
        "min": "min",
        "least": "min",
    },
    "side": {"left": "left", "right": "right", "both": "both", "bilateral": "both"},
    "position": {"upper": "upper", "lower": "lower", "top": "upper", "bottom": "lower"},
    "route": {
        "oral": "oral",
        "orally": "oral",
        "mouth": "oral",
        "iv": "iv",
        "intravenous": "iv",
        "intravenously": "iv",
        "topical": "topical",
        "topically": "topical",
        "injection": "inject",
        "injected": "inject",
        "intramuscular": "im",
        "im": "im",
        "inhaled": "inhaled",
        "subcutaneous": "subq",
        "rectal": "rectal",
        "sublingual": "sublingual",
    },
    "daytime": {
        "morning": "morning",
        "evening": "evening",
        "night": "night",
        "bedtime": "night",
        "noon": "noon",
        "afternoon": "afternoon",
    },
    "frequency": {
        "daily": "daily",
        "weekly": "weekly",
        "monthly": "monthly",
        "hourly": "hourly",
        "yearly": "yearly",
        "annually": "yearly",
        "nightly": "night",
    },
    "action": {
        "start": "start",
        "starting": "start",
        "begin": "start",
        "stop": "stop",
        "stopping": "stop",
        "quit": "stop",
        "discontinue": "stop",
        "continue": "continue",
        "keep": "continue",
        "skip": "skip",
        "skipped": "skip",
        "miss": "skip",
        "missed": "skip",
        "double": "double",
        "switch": "switch",
        "switching": "switch",
    },
    "comparison": {"more": "more", "less": "less", "fewer": "less", "better": "better", "worse": "worse"},
    "permission": {
        "safe": "safe",
        "safely": "safe",
        "dangerous": "unsafe",
        "unsafe": "unsafe",
        "risky": "unsafe",
    },
    "language": {
        "english": "en",
        "spanish": "es",
        "french": "fr",
        "german": "de",
        "chinese": "zh",
        "python": "python",
        "javascript": "js",
        "java": "java",
        "sql": "sql",
        "rust": "rust",
        "go": "go",
        "typescript": "ts",
    },
}
_CONTRAST_LOOKUP: dict[str, tuple[str, str]] = {
    word: (cls, canon) for cls, members in _CONTRASTS.items() for word, canon in members.items()
}

_STOPWORDS = frozenset(
    """a an the and or but if then so of to in on at by for from with as is are was were be been being
    am do does did doing have has had having i me my we our you your it its this that these those there
    here what which who whom whose when where why how can could should would will shall may might must
    about into over under again further once just also too very any some such own same than other
    each few all up down out off only s t don ok okay please tell explain give know want need like get
    let lets use using whether""".split()  # noqa: SIM905 - a word list reads better as text
)
# Politeness and chat fillers: register, not content ("Kindly explain..." / "hey quick question, ...").
_FILLERS = frozenset(
    """kindly hey hi hello yo thanks thank thx lol haha um uh pls plz quick question wondering dude guys
    folks""".split()  # noqa: SIM905
)


_FUNCTION_WORDS = _STOPWORDS | _NEGATIONS | _FILLERS

# Classes where a member on one side only is rewording ("is it safe to" / "is it ok to", "cooked rice" /
# "rice after cooking"); in the others (age, drug route, side...) naming a member changes the question.
_ONE_SIDED_OK = frozenset({"permission", "comparison", "action", "timing"})


def _contrast_of(word: str) -> tuple[str, str] | None:
    return _CONTRAST_LOOKUP.get(word) or _contrast_by_stem().get(_stem(word))


def _misspelt_member(cls: str, tokens: tuple[str, ...], other_tokens: tuple[str, ...]) -> bool:
    """Whether every word of class ``cls`` in ``tokens`` appears misspelt in the other prompt: "python" /
    "pyhton" names one language, not a language on one side only."""
    members = [t for t in tokens if (found := _contrast_of(t)) is not None and found[0] == cls]
    return bool(members) and all(any(misspelled(m, o) for o in other_tokens) for m in members)


def _contrasts_differ(query: Features, cached: Features) -> bool:
    if query.contrasts == cached.contrasts:
        return False
    classes: dict[str, list[set[str]]] = {}
    for side, members in enumerate((query.contrasts, cached.contrasts)):
        for item in members:
            cls, member = item.split("=", 1)
            classes.setdefault(cls, [set(), set()])[side].add(member)
    for cls, (mine, theirs) in classes.items():
        if mine == theirs:
            continue
        if cls in _ONE_SIDED_OK and not (mine and theirs):
            continue
        if cls == "side" and (mine or theirs) == {"both"} and not (mine and theirs):
            continue  # "both a 401k and an IRA" / "a 401k and an IRA": "both" names no side alone
        if not theirs and _misspelt_member(cls, query.tokens, cached.tokens):
            continue
        if not mine and _misspelt_member(cls, cached.tokens, query.tokens):
            continue
        return True
    return False


class Features(msgspec.Struct, array_like=True, frozen=True):
    """The critical details of one prompt (redacted text), as stored beside a semantic entry."""

    numbers: tuple[str, ...]  # incl. identifiers: "B" in "type B", "II" in "stage II" (as "#b", "#ii")
    units: tuple[str, ...]
    negations: int  # how many: "he is not allergic ... without stopping" has two, one without "not"
    placeholders: tuple[str, ...]
    contrasts: tuple[str, ...]  # "class=member"
    words: tuple[tuple[str, float], ...]  # (stem, zipf) per content word in order, incl. capitalised names
    # Every token in order, normalised (lower case, numbers and units canonical, "n't" as "not",
    # hyphenated "non-"/"-free" forms joined): what the order- and polarity-aware checks align.
    tokens: tuple[str, ...] = ()
    version: int = GUARD_VERSION


@functools.lru_cache(maxsize=1)
def _stemmer() -> object:
    import snowballstemmer

    return snowballstemmer.stemmer("english")


@functools.lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    return str(_stemmer().stemWord(word))  # type: ignore[attr-defined]


@functools.lru_cache(maxsize=1)
def _contrast_by_stem() -> dict[str, tuple[str, str]]:
    """Contrast members by stem, so inflections ("starts", "stopped") land in their class. Not for the
    frequency adverbs: their stems are the units themselves ("yearly" -> "year", "weekly" -> "week"),
    and "this year" says nothing about how often."""
    return {_stem(word): found for word, found in _CONTRAST_LOOKUP.items() if found[0] != "frequency"}


@functools.lru_cache(maxsize=65536)
def _zipf(word: str) -> float:
    from wordfreq import zipf_frequency

    return float(zipf_frequency(word, "en"))


# Phrases that say how often, in one canonical adverb each: "per day", "a day", "each day", "every day",
# "in one day" and "/day" all read "daily", so a paraphrase that words the frequency another way still
# matches, while "daily" / "weekly" stay a contrast and "for one day" (a duration) stays a number and
# a unit. "a day ago", "a week later" are points in time, not frequencies.
_FREQUENCY = re.compile(
    r"(?:\b(?:per|each|every|a|an|in\s+(?:one|1|a|a\s+single))\s+|/\s*)(day|week|month|hour|night)s?\b"
    r"(?!\s+(?:ago|later|earlier|before|after|off|old|or\b|and\b|early|late))",
    re.IGNORECASE,
)
_ADVERB = {"day": "daily", "week": "weekly", "month": "monthly", "hour": "hourly", "night": "nightly"}
_CLOCK = re.compile(r"\b([ap])\.\s?m\.?", re.IGNORECASE)
# Identifiers written as letters: "type A" / "type B", "hepatitis B" / "C", "bipolar II" / "bipolar I",
# "stage III". A capital letter (not the pronoun "I"), or a Roman numeral of two or more letters ("IV"
# is left out: it usually means intravenous, a route).
_ROMAN = re.compile(r"^(?:XX|X{0,2}(?:IX|VI{0,3}|I{2,3})|XI{1,3}|X)$")


# "right" that means correct or immediately, not the side: followed by one of these words.
_IDIOMATIC_RIGHT = re.compile(
    r"\s+(?:way|ways|after|before|now|away|then|there|here|dose|amount|time|thing|answer|choice|approach|"
    r"method|size|one|place|to|for|track)\b",
    re.IGNORECASE,
)


def _normalise(text: str) -> str:
    text = _CLOCK.sub(lambda m: m.group(1).lower() + "m", text)
    return _FREQUENCY.sub(lambda m: " " + _ADVERB[m.group(1).lower()], text)


def _identifier(word: str, previous: str | None, *, capitals: bool) -> bool:
    """Whether ``word`` (as written) is a letter or Roman numeral naming a type, stage or grade.

    Capitals only in ordinary casing (``capitals``: a shouted or Title Cased text says nothing by its
    capitals); "A" only after a content word ("type A", "vitamin A"), since anywhere else it is the
    article. Typed in lower case ("vitamin d", "type b"), a consonant letter after a content word; not
    "a", "i", "u" ("you"), "r" ("are"), "n" ("and"), "s", "t" (clitics), "x" ("times"), "y" ("why")."""
    after_content = previous is not None and previous not in _FUNCTION_WORDS and len(previous) > 1
    if len(word) == 1 and word in _LOWER_LETTERS:
        return after_content
    if capitals or not word.isupper() or word == "I":
        return False
    if len(word) == 1:
        return word != "A" or after_content
    return word != "IV" and _ROMAN.match(word) is not None


_LOWER_LETTERS = frozenset("bcdefghjklmopqvwz") - {"e", "o"}


def extract(text: str) -> Features:
    numbers: list[str] = []
    units: set[str] = set()
    negations = 0
    placeholders: list[str] = []
    contrasts: set[str] = set()
    words: dict[str, float] = {}
    sentence_start = True
    text = _normalise(text)
    letters = [c for c in text if c.isalpha()]
    shouting = bool(letters) and sum(c.isupper() for c in letters) > 0.6 * len(letters)
    long_words = [w for w in re.findall(r"[A-Za-z]{4,}", text)]
    title_case = len(long_words) >= 3 and sum(w[0].isupper() for w in long_words) > 0.6 * len(long_words)
    previous: str | None = None  # the previous word, lower case (None after a number or at the start)
    for match in _TOKEN.finditer(text):
        word = match.group(0)
        if _identifier(word, previous, capitals=shouting or title_case):
            numbers.append("#" + word.lower())
            previous = None
            sentence_start = False
            continue
        if word.lower() in ("am", "pm") and previous is None and numbers and not sentence_start:
            units.add(word.lower())  # "2 am" / "2 pm" (``previous`` is None right after a number)
        before = text[max(0, match.start() - 2) : match.start()]
        if _SENTENCE_END.search(before) or match.start() == 0:
            sentence_start = True
        if _PLACEHOLDER.match(word):
            placeholders.append(word.strip("<>[]{}"))
            sentence_start = False
            continue
        lower = word.lower().replace("’", "'")
        if any(c.isdigit() for c in lower):
            digits = (
                lower.replace(",", "").replace("×", "x")
                if re.fullmatch(r"\d{1,3}(,\d{3})+", lower)
                else lower
            )
            numbers.append(digits)
            # "500mg" style: a unit glued to the number
            tail = re.sub(r"^[\d.,/%]+", "", digits)
            if tail and tail in _UNITS:
                units.add(_UNITS[tail])
            elif tail in ("am", "pm"):
                units.add(tail)
            sentence_start = False
            previous = None
            continue
        previous = lower
        lower = MISSING_APOSTROPHE.get(lower, lower)
        if lower.endswith("n't") or lower in _NEGATIONS:
            negations += 1
        if lower in _NUMBER_WORDS:
            numbers.append(_NUMBER_WORDS[lower])
        if lower in _UNITS and (lower not in {"l", "g", "s", "in"} or numbers):
            units.add(_UNITS[lower])
        contrast = _contrast_of(lower)
        if lower == "right" and _IDIOMATIC_RIGHT.match(text, match.end()):
            contrast = None  # "the right way", "right after": not a side of the body
        if contrast is not None:
            contrasts.add(f"{contrast[0]}={contrast[1]}")
        # "what's", "i've": a function word with a clitic is no content word.
        function = lower in _FUNCTION_WORDS or lower.split("'")[0] in _STOPWORDS
        if not function and len(lower) > 2 and contrast is None:
            zipf = _zipf(lower)
            if (
                word[0].isupper()
                and not shouting
                and not sentence_start
                and not word.startswith(("I'", "I’"))
                and word != "I"
            ):
                zipf = 0.0  # a capitalised word mid-sentence is a name: it must match
            stem = _stem(lower)
            words[stem] = min(zipf, words.get(stem, 99.0))
        sentence_start = False
    return Features(
        numbers=tuple(sorted(numbers)),
        units=tuple(sorted(units)),
        negations=negations,
        placeholders=tuple(sorted(placeholders)),
        contrasts=tuple(sorted(contrasts)),
        words=tuple(words.items()),  # in order of first appearance: the order check needs it
        tokens=sequence(text, number_words=_NUMBER_WORDS, units=_UNITS),
    )


def veto(
    query: Features, cached: Features, *, rare_word_zipf: float = 4.3, strict: bool = False
) -> str | None:
    """The reason two prompts must not share an answer, or None when the guard sees no difference.

    The set comparisons come first (cheap, and their reasons are the most specific); then
    ``verify.check`` aligns the two token sequences for swaps, reversed directions, opposites and
    substituted words. ``strict`` is for apps that handle PHI (see ``verify.check``).
    """
    if query.version != cached.version:
        return "version"  # features extracted by another guard version are not comparable
    if Counter(query.numbers) != Counter(cached.numbers):
        return "number"
    if query.units != cached.units:
        return "unit"
    if query.negations != cached.negations:
        return "negation"
    if Counter(query.placeholders) != Counter(cached.placeholders):
        return "placeholder"
    if _contrasts_differ(query, cached):
        return "contrast"
    q_words = dict(query.words)
    c_words = dict(cached.words)
    for mine, theirs, tokens, other_tokens in (
        (q_words, c_words, query.tokens, cached.tokens),
        (c_words, q_words, cached.tokens, query.tokens),
    ):
        for word_stem, zipf in mine.items():
            if zipf < rare_word_zipf and word_stem not in theirs:
                # Said another way (a typo, an abbreviation, a WordNet synonym) it is the same word.
                surface = [t for t in tokens if _stem(t) == word_stem]
                if not any(has_equivalent(t, other_tokens, _FUNCTION_WORDS) for t in surface):
                    return "rare_word"
    # Same words in other roles ("switch from sertraline to fluoxetine" / the reverse) are found by
    # the role alignment in verify.check; comparing the bare order of rare words (guard v1) also vetoed
    # paraphrases that only move a clause ("my React app gets a CORS error" / "a CORS error when...").
    return check(query.tokens, cached.tokens, function_words=_FUNCTION_WORDS, strict=strict)


#: The lowest similarity at which a candidate is still considered, and then only as a surface variant
#: of the query (``verify.surface_variant``: the same words up to typos, abbreviations and fillers).
#: Misspellings move short texts' embeddings far (0.49 for two typos in a seven-word question); the
#: token proof decides, the floor only keeps the embedding's vote that both are about one topic.
VARIANT_FLOOR = 0.4
#: ``verdict``'s answer for a candidate below the threshold that is no surface variant: not a veto.
BELOW_THRESHOLD = "below_threshold"


def verdict(
    similarity: float,
    query: Features,
    cached: Features,
    *,
    threshold: float,
    rare_word_zipf: float = 4.3,
    strict: bool = False,
) -> str | None:
    """None when the candidate may be served, else why not (a ``veto`` reason or ``BELOW_THRESHOLD``).

    At or above ``threshold`` the candidate is served unless ``veto`` finds a difference. Between
    ``VARIANT_FLOOR`` and the threshold it must also be a surface variant of the query: a typed-
    differently copy is as safe as a close paraphrase, and the embedding alone misses most of them.
    """
    if similarity < VARIANT_FLOOR:
        return BELOW_THRESHOLD
    if similarity < threshold and not surface_variant(query.tokens, cached.tokens):
        return BELOW_THRESHOLD
    return veto(query, cached, rare_word_zipf=rare_word_zipf, strict=strict)


_features_encoder = msgspec.msgpack.Encoder()
_features_decoder = msgspec.msgpack.Decoder(Features)


def encode_features(features: Features) -> bytes:
    return _features_encoder.encode(features)


def decode_features(raw: bytes) -> Features:
    return _features_decoder.decode(raw)
