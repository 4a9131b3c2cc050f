"""PHI-free clinical text stays untouched where the context shows a name-shaped word is a drug, a
maker, an organisation, a service number or a phrase (issue 20: PHI-free documents touched). Every
case is made up, and each is paired with the identifier of the same shape that must still be found,
so precision is not bought with recall."""

from __future__ import annotations

import pytest

from ai_workers.safety.phi import detect


def found(text: str) -> list[tuple[str, str]]:
    return [(s.type, text[s.start : s.end]) for s in detect(text)]


PHI_FREE = [
    # drug brands and generics (clinicalwords: a public drug dictionary and WordNet's medical synsets)
    "Do not combine with Eliquis.\nMonitor INR when starting Coumadin.",
    "STRONG CYP3A4 INHIBITORS (ITRACONAZOLE, ERYTHROMYCIN) RAISE LEVELS.",
    "S: COMFORTABLE ON LIPITOR, EATING WELL.",
    "Referred to Haematology and Rheumatology for review.",
    # makers and products
    "Supplier: Fresenius Kabi. Two-signature check.",
    "Analyser: Sysmex Corporation XN-450",
    "All Fresenius volumetric pumps will be replaced next month.",
    "Infusion pump alarms (Baxter Healthcare): check the cassette.",
    # organisations
    "Approved by the Antimicrobial Stewardship Committee in March.",
    # service numbers
    "If you feel unwell contact your GP or NHS 111; in an emergency call 999.",
    # a quantifier after "in" is no town
    "PRESSURE ULCERS WERE HEEL ULCERS IN MOST CASES.",
    # a cue read inside a word with a non-ASCII letter
    "VENTILATORS (DRÄGERWERK) CHECKED.",
]


@pytest.mark.parametrize("text", PHI_FREE)
def test_phi_free_text_is_untouched(text: str) -> None:
    assert found(text) == []


STILL_FOUND = [
    ("Seen with Marisol Quintero today.", "Marisol Quintero"),
    ("Discussed with Dr Ottoline Brackwell.", "Ottoline Brackwell"),
    ("Mother lives in Cedar Falls now.", "Cedar Falls"),
    ("she moved from Orange last year", "Orange"),
    ("NAME.......... PÉPIN, GEORGETTE", "PIN, GEORGETTE"),
    ("Incident # 2019-440871 logged", "2019-440871"),
]


@pytest.mark.parametrize(("text", "value"), STILL_FOUND)
def test_identifier_of_the_same_shape_is_still_found(text: str, value: str) -> None:
    assert any(value in span for _, span in found(text)), found(text)
