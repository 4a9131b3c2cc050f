"""The learned router judges the instruction, not the pasted payload, and ships as package data."""

from __future__ import annotations

from ai_workers.core.types import ChatRequest, Message
from ai_workers.routing.complexity import HeuristicRouter
from ai_workers.routing.config import default_tiers
from ai_workers.routing.instruction import split_instruction
from ai_workers.routing.learned import MODEL_PATH, LearnedRouter, create_router
from tests.routing.labelled import DATA, agreement, load

router = LearnedRouter.load()

NOTE = """Patient: Dana Whitfield, 58 y/o female. Visit date 03/14. Reason for visit: follow-up of \
hypertension and type 2 diabetes.

History: Diagnosed with hypertension in 2015 and type 2 diabetes in 2019. Reports occasional headaches, \
mostly in the evening, and mild ankle swelling after long shifts. No chest pain, no shortness of breath. \
Sleeps about 6 hours a night. Walks 20 minutes most days. Works night shifts at a distribution centre \
and says the schedule makes regular meals difficult.

Medications: lisinopril 20 mg daily, metformin 1000 mg twice daily, atorvastatin 40 mg at night. \
Allergies: penicillin (rash), sulfa drugs (hives). Also reports a latex sensitivity noted at a \
previous dental visit.

Vitals: BP 146/92, HR 78, temperature 36.8 C, weight 84 kg, BMI 31.2. Labs from last week: HbA1c \
7.4%, LDL 2.9 mmol/L, creatinine 88 umol/L, eGFR 72.

Assessment: Hypertension not at target. Diabetes moderately controlled. Differential diagnosis for the \
ankle swelling includes venous insufficiency versus a medication effect; a calcium channel blocker is \
not on the list, so a drug cause is less likely. Risk analysis: cardiovascular risk elevated.

Plan: increase lisinopril to 40 mg, recheck BP in 4 weeks, refer to dietitian, repeat HbA1c in 3 \
months, advise compression stockings and leg elevation. Discussed risks and benefits of the strategy; \
patient agrees with the plan and will return sooner if symptoms worsen or new symptoms appear."""


def chat(text: str) -> ChatRequest:
    return ChatRequest(model="auto", messages=[Message(role="user", content=text)])


def test_split_keeps_the_ask_and_sets_the_pasted_note_aside() -> None:
    for text in (f"List only the allergies.\n\n{NOTE}", f"{NOTE}\n\nList only the allergies."):
        split = split_instruction(text)
        assert "allergies" in split.instruction and "lisinopril" not in split.instruction
        assert split.document and split.payload_chars > 1200


def test_split_sets_quoted_material_and_code_aside() -> None:
    split = split_instruction(
        'Translate into German: "Our risk analysis strategy for the merger is rigorous."'
    )
    assert "strategy" not in split.instruction and split.quotes == 1
    split = split_instruction("Why does this hang sometimes?\n```python\nlock.acquire()\nq.get()\n```")
    assert split.instruction.startswith("Why does this hang") and split.code_blocks == 1
    assert split_instruction("What's the capital of Peru?").payload_chars == 0


def test_long_easy_paste_is_simple_but_counted_in_full_for_cost() -> None:
    assert len(NOTE.split()) > 200
    for text in (f"List only the allergies.\n\n{NOTE}", f"{NOTE}\n\nList only the allergies."):
        decision = router.classify(chat(text))
        assert decision.tier == "simple", decision.explain()
        assert decision.input_tokens > len(NOTE) // 4  # the payload still counts for context and price
        assert any("payload" in r for r in decision.reasons)
    # The heuristic scorer alone reads the note's numbers and "assessment" as difficulty.
    assert HeuristicRouter().classify(chat(f"List only the allergies.\n\n{NOTE}")).tier != "simple"


def test_short_hard_no_cue_and_keyword_trap_prompts() -> None:
    complex_ = [
        "What is the probability that two cards drawn from a standard deck are both aces?",
        "A bag has 5 red and 3 blue marbles; I draw 3 without replacement. Chance exactly two are red?",
    ]
    for text in complex_:
        assert router.classify(chat(text)).tier == "complex", text
    assert router.classify(
        chat("Write care instructions for a teenager recovering from a sprained ankle.")
    ).tier == ("medium")
    trap = 'Translate into German: "Our risk analysis strategy for the merger is comprehensive and rigorous."'
    assert router.classify(chat(trap)).tier == "simple"


def test_agreement_on_the_labelled_sets() -> None:
    tuning = agreement(router, load())
    holdout = agreement(router, load(DATA.with_name("labelled_prompts_holdout.jsonl")))
    print(f"\nlearned router: tuning {tuning.rate:.1%}, held-out (not trained on) {holdout.rate:.1%}")
    assert tuning.rate >= 0.95 and holdout.rate >= 0.85
    assert tuning.confusion[("complex", "simple")] == 0 and holdout.confusion[("complex", "simple")] == 0


def test_thresholds_come_from_the_tier_table() -> None:
    assert MODEL_PATH.exists() and MODEL_PATH.parent.name == "data"
    # The trained cut points sit on the default boundaries, so both routers read max_score alike.
    assert router.score(router.cuts[0]) == 1.5 and abs(router.score(router.cuts[1]) - 4.0) < 1e-9
    tiers = default_tiers()
    tiers["simple"].max_score = 0.0  # everything at least medium
    strict = create_router(tiers)
    assert strict.classify(chat("Hello!")).tier == "medium"
    assert strict.classify(chat("Hello!")).score == router.classify(chat("Hello!")).score
