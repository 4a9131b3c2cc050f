"""Probe pairs for the verifier's known gaps (issue 28), written for this test from SPEC.md's kinds, not
taken from the blind sets: letters and Roman numerals that name a type or stage, clock times, a second
negation, a phrase swapped across a relation, a noun added to make another compound, WordNet synonyms
that hold only in a rare sense, and frequencies worded two ways.

As in ``test_verifier_probes``, the similarity is 1.0: the verifier alone must decide.
"""

from __future__ import annotations

import pytest

from ai_workers.cache.guard import extract, verdict, veto
from ai_workers.cache.lexicon import lexicon
from ai_workers.cache.verify import equivalent

# (kind, cached question, later question): the cached answer is wrong for the later question.
NEGATIVES = [
    ("neg_condition", "How long is hepatitis A contagious?", "How long is hepatitis B contagious?"),
    (
        "neg_condition",
        "What is the survival rate for stage II melanoma?",
        "What is the survival rate for stage III melanoma?",
    ),
    ("neg_condition", "Is type A influenza worse than a cold?", "Is type B influenza worse than a cold?"),
    ("neg_drug", "Does vitamin K interact with warfarin?", "Does vitamin E interact with warfarin?"),
    ("neg_drug", "can i take vitamin d with levothyroxine", "can i take vitamin c with levothyroxine"),
    ("neg_timing", "Should I take levothyroxine at 6 am?", "Should I take levothyroxine at 6 pm?"),
    (
        "neg_timing",
        "Is it OK to schedule the backup job at 11 p.m.?",
        "Is it OK to schedule the backup job at 11 a.m.?",
    ),
    (
        "neg_polarity",
        "She is not pregnant and has no kidney problems, can she take ibuprofen?",
        "She is pregnant and has no kidney problems, can she take ibuprofen?",
    ),
    (
        "neg_polarity",
        "My son is allergic to penicillin but not to eggs, can he get the flu shot?",
        "My son is not allergic to penicillin but not to eggs, can he get the flu shot?",
    ),
    (
        "neg_swap",
        "Do proton pump inhibitors reduce the absorption of iron?",
        "Does iron reduce the absorption of proton pump inhibitors?",
    ),
    (
        "neg_swap",
        "Does St John's wort weaken the effect of birth control pills?",
        "Do birth control pills weaken the effect of St John's wort?",
    ),
    ("neg_generic", "How do I reset my password?", "How do I reset my password manager?"),
    (
        "neg_generic",
        "Can I transfer my gift to another person?",
        "Can I transfer my gift voucher to another person?",
    ),
    (
        "neg_generic",
        "How do I export a spreadsheet to PDF?",
        "How do I export a spreadsheet template to PDF?",
    ),
    ("neg_condition", "How long is the flu contagious?", "How long is the stomach flu contagious?"),
    ("neg_generic", "How do I cancel my order?", "How do I delete my order?"),
    ("neg_generic", "How long does a return take to process?", "How long does a refund take to process?"),
    ("neg_unit", "Is it safe to take ibuprofen twice a day?", "Is it safe to take ibuprofen twice a week?"),
    ("neg_unit", "Can I run the cleanup script every hour?", "Can I run the cleanup script every day?"),
]

# (kind, cached question, later question): the cached answer answers the later question.
PARAPHRASES = [
    (
        "para_reword",
        "How many times a day should I take amoxicillin?",
        "How many times per day should I take amoxicillin?",
    ),
    ("para_reword", "Can I take 500 mg of vitamin C every day?", "Can I take 500 mg of vitamin C daily?"),
    (
        "para_reword",
        "How much caffeine can an adult have in one day?",
        "How much caffeine can an adult have per day?",
    ),
    (
        "para_synonym",
        "What is the largest organ of the human body?",
        "What is the biggest organ of the human body?",
    ),
    (
        "para_synonym",
        "Should I stop taking aspirin before a colonoscopy?",
        "Should I discontinue aspirin before a colonoscopy?",
    ),
    (
        "para_synonym",
        "What is the right way to clean a CPAP mask?",
        "What is the correct way to clean a CPAP mask?",
    ),
    ("para_typo", "How should I store breast milk?", "How shoud I store breast milk?"),
    ("para_typo", "Can adults get the hepatitis B vaccine?", "can adults get the hepatitis b vaccine"),
    (
        "para_question_form",
        "Can I contribute to both a Roth IRA and a 401k?",
        "Is it allowed to contribute to a Roth IRA and a 401k?",
    ),
    (
        "para_reword",
        "What are the side effects of lisinopril?",
        "Lisinopril side effects?",
    ),
    (
        "para_reword",
        "How do I log in to my account after a reset?",
        "After a reset, how do I login to my account?",
    ),
]


@pytest.mark.parametrize(
    ("kind", "cached", "query"), NEGATIVES, ids=[f"{k}-{i}" for i, (k, _, _) in enumerate(NEGATIVES)]
)
@pytest.mark.parametrize("strict", [True, False], ids=["strict", "standard"])
def test_gap_negative_is_refused(kind: str, cached: str, query: str, strict: bool) -> None:
    q, c = extract(query), extract(cached)
    assert verdict(1.0, q, c, threshold=0.88, strict=strict) is not None
    assert verdict(1.0, c, q, threshold=0.88, strict=strict) is not None  # either one cached first


@pytest.mark.parametrize(
    ("kind", "cached", "query"), PARAPHRASES, ids=[f"{k}-{i}" for i, (k, _, _) in enumerate(PARAPHRASES)]
)
def test_gap_paraphrase_passes_the_strict_verifier(kind: str, cached: str, query: str) -> None:
    assert veto(extract(query), extract(cached), strict=True) is None


def test_synonyms_come_from_frequent_senses_only() -> None:
    lex = lexicon()
    # WordNet joins these only through a rare sense of one of them (cancel's 4th, return's 10th).
    for a, b in [("cancel", "delete"), ("return", "refund")]:
        assert lex.are_synonyms(a, b)
        assert not lex.are_synonyms(a, b, ranked=True)
        assert not equivalent(a, b, lex)
    for a, b in [("stop", "discontinue"), ("large", "big"), ("kid", "child"), ("buy", "purchase")]:
        assert lex.are_synonyms(a, b, ranked=True)
        assert equivalent(a, b, lex)


def test_identifiers_and_frequencies_are_features() -> None:
    assert "#ii" in extract("How is bipolar II treated?").numbers
    assert "#b" in extract("hepatitis b vaccine for adults").numbers
    assert not any(n.startswith("#") for n in extract("I have a question about a refund").numbers)
    assert extract("Take it twice a day").tokens == extract("take it twice daily").tokens
    assert extract("a day after surgery").tokens != extract("daily after surgery").tokens
