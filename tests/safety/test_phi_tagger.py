"""The learned second look (safety/phi/tagger.py): what it adds to the rules, and what it must not do.

Every example is made up, in the shapes the tagger catches on the tuning corpora where the rules did
not: a town named in passing, a portal login, a lower-case name in a nursing bullet, a misspelt word
beside a name, the last four of an SSN given as a bare answer, an upper-case crew list.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ai_workers.safety.phi import PhiDetector, tagger
from ai_workers.safety.phi.tagger import TEMPLATES, TaggerModel, feature_name, text_case, token_values

LEARNED = PhiDetector(cache_size=0)
RULES = PhiDetector(cache_size=0, learned=False)


def covered(detector: PhiDetector, text: str) -> set[int]:
    return {i for s in detector.detect(text) for i in range(s.start, s.end)}


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("She splits her time between Shillong and her son's flat.", "Shillong"),
        ("Login name: tobias.wrenfield", "tobias.wrenfield"),
        ("* obs stable overnight\n* kavita menon mobilised with frame\n", "kavita menon"),
        ("Your frend Ilse ca1led us too; we'll keep Ilse updated.", "Ilse"),
        ("Nurse - And the last four of your social?\nCaller - 7719.", "7719"),
        ("CREW: OKONJO, TEMITOPE (PARAMEDIC) / LIU, WEN", "LIU"),
    ],
)
def test_the_tagger_finds_identifiers_in_shapes_no_rule_spells_out(text: str, value: str) -> None:
    start = text.index(value)
    assert set(range(start, start + len(value))) <= covered(LEARNED, text)


@pytest.mark.parametrize(
    "text",
    [
        "Patient: Mei Marchetti   DOB: 04/21/1990, seen at Mercy General Hospital.",
        "CREW: OKONJO, TEMITOPE (PARAMEDIC) / LIU, WEN\nPICKUP: 12 Alder Way, Brookhaven",
        "my son has had a fever since tuesday, what should i give him?",
        "RE: HARLOW, JUNE  MRN 5521 0937  seen 3/14 with her partner Joel",
    ],
)
def test_the_tagger_only_adds_to_what_the_rules_find(text: str) -> None:
    assert covered(RULES, text) <= covered(LEARNED, text)


@pytest.mark.parametrize(
    "text",
    [
        "my son has had a fever since tuesday, what should i give him?",
        "lives in a flat with her son.",
        "i have been feeling dizzy after my walk in the park, is that normal?",
        "Approved by the Antimicrobial Stewardship Committee in March.",
        "Pain score 7, sats 95 on air, RR 18.",
        "period,condition,cases\n2023-Q1,Influenza,412\n2024-W22,Asthma,131\n",
    ],
)
def test_chat_prompts_months_counts_and_reporting_periods_stay_untouched(text: str) -> None:
    assert LEARNED.detect(text) == []


def test_no_identifier_stays_in_the_process_after_its_text() -> None:
    LEARNED.detect("Login name: tobias.wrenfield, lives in Shillong; pager 4471, case worker Ilse.")
    kept = set(tagger._COMMON)  # the only table that outlives a text: frequent words in no name list
    assert not kept & {"tobias.wrenfield", "Shillong", "Ilse", "4471"}


def test_a_missing_model_leaves_the_rules_alone(tmp_path: Path) -> None:
    assert TaggerModel.load(tmp_path / "none.npz") is None
    detector = PhiDetector(cache_size=0)
    detector.tagger = None  # what a package without the model file runs
    text = "Patient: Mei Marchetti   DOB: 04/21/1990"
    assert detector.detect(text) == RULES.detect(text)


def test_every_feature_name_reads_back_to_its_template_and_value() -> None:
    text = "Next of kin: Joel Amari (partner), 12 Alder Way\nseen 3/14"
    tokens = tagger.tokens_of(text)
    ruled = [""] * len(tokens)
    words = tagger.words_of(text, tokens)
    for values in token_values(text, tokens, words, ruled, range(len(tokens)), text_case(text)):
        assert len(values) == len(TEMPLATES)
        for index, (template, value) in enumerate(zip(TEMPLATES, values, strict=True)):
            assert tagger._parse_name(feature_name(template, value)) == (index, value)


def test_the_shipped_model_is_the_package_default() -> None:
    model = TaggerModel.load()
    assert model is not None and LEARNED.tagger is model
    assert 0.0 < model.threshold < 1.0
    assert model.weights.shape == (len(model.names) + 1, len(tagger.CLASSES))


@pytest.mark.parametrize("text", ["dr-7", "log-user-1", "nurse-7 ward3"])
def test_a_text_of_one_or_two_tokens_is_left_to_the_rules(text: str) -> None:
    """An app's user id ("dr-7") gives the model no context: the gateway would pseudonymise every one."""
    assert LEARNED.detect(text) == RULES.detect(text)


def test_a_surname_the_tagger_found_joins_the_given_name_found_beside_it() -> None:
    text = "HA: who is this\nC: its me, i'm the patient, maria wrzesniak\nHA: thanks maria"
    assert "maria wrzesniak" in [text[s.start : s.end] for s in LEARNED.detect(text)]  # one placeholder
