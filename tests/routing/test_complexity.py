"""The complexity router: tiers on the labelled prompt sets, and the cues a user would notice."""

from __future__ import annotations

from ai_workers.core.types import ChatRequest, ContentPart, ImageURL, Message
from ai_workers.routing.complexity import HeuristicRouter
from tests.routing.labelled import DATA, agreement, load

router = HeuristicRouter()


def chat(text: str, **kw: object) -> ChatRequest:
    return ChatRequest(model="auto", messages=[Message(role="user", content=text)], **kw)  # type: ignore[arg-type]


def test_labelled_set_is_large_and_varied() -> None:
    prompts = load()
    assert len(prompts) >= 200
    tiers = {p.tier for p in prompts}
    assert tiers == {"simple", "medium", "complex"}
    assert len({p.category for p in prompts}) >= 12


def test_agreement_on_the_labelled_sets() -> None:
    tuning = agreement(router, load())
    holdout = agreement(router, load(DATA.with_name("labelled_prompts_holdout.jsonl")))
    print(
        f"\nrouter agreement: tuning set {tuning.rate:.1%} ({tuning.agreed}/{tuning.total}), "
        f"held-out set {holdout.rate:.1%} ({holdout.agreed}/{holdout.total})"
    )
    print(tuning.table())
    assert tuning.rate >= 0.9
    assert holdout.rate >= 0.85
    # The costly mistake is sending hard work to the small model: never simple for a complex prompt.
    assert tuning.confusion[("complex", "simple")] == 0
    assert holdout.confusion[("complex", "simple")] == 0


def test_cues_move_tiers() -> None:
    assert router.classify(chat("Hello!")).tier == "simple"
    assert router.classify(chat("Write a Python function that parses ISO dates.")).tier == "medium"
    assert router.classify(chat("Prove that there are infinitely many primes.")).tier == "complex"
    long_plan = "Plan the rollout step by step, weigh the trade-offs, assess risks and recommend a strategy."
    assert router.classify(chat(long_plan)).tier == "complex"


def test_tools_and_images_become_needs() -> None:
    tool = {"type": "function", "function": {"name": "f", "parameters": {"type": "object"}}}
    decision = router.classify(chat("Book me an appointment", tools=[tool]))
    assert "tools" in decision.needs
    req = ChatRequest(
        model="auto",
        messages=[
            Message(
                role="user",
                content=[
                    ContentPart(type="text", text="What is this?"),
                    ContentPart(type="image_url", image_url=ImageURL(url="data:,")),
                ],
            )
        ],
    )
    assert "vision" in router.classify(req).needs


def test_long_paste_is_scanned_in_bounded_time_and_counted_in_full() -> None:
    text = "Summarise this. " + ("lorem ipsum dolor " * 20000)
    decision = router.classify(chat(text))
    assert decision.input_tokens > 80000
    assert decision.tier in ("medium", "complex")


def test_reasons_hold_no_prompt_text() -> None:
    decision = router.classify(chat("Prove that Alice Smith's secret number 4711 is prime"))
    assert "Alice" not in decision.explain() and "4711" not in decision.explain()
