"""Semantic cache through the stage with a deterministic fake embedder, plus the guard on its own."""

from __future__ import annotations

import re

import pytest

from ai_workers.cache.guard import extract, veto
from ai_workers.core.context import RequestContext
from tests.cache.helpers import Harness, settings

VOCAB = [
    "side",
    "effect",
    "metformin",
    "glipizide",
    "dose",
    "ibuprofen",
    "child",
    "password",
    "reset",
    "weather",
]


class KeywordEmbedder:
    """Bag-of-keywords vectors: paraphrases with the same keywords land on the same direction."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, list[str]]] = []

    async def __call__(self, ctx: RequestContext, model: str, texts: list[str]) -> list[list[float]]:
        self.calls.append((model, texts))
        out = []
        for text in texts:
            words = re.findall(r"[a-z]+", text.lower())
            vec = [float(sum(w.startswith(k) for w in words)) for k in VOCAB] + [0.3]
            out.append(vec)
        return out


def semantic_settings(**semantic: object) -> object:
    return settings(apps={"sem": {"cache": {"semantic": {"enabled": True, **semantic}}}})


async def test_paraphrase_above_threshold_is_a_semantic_hit_with_its_similarity() -> None:
    embed = KeywordEmbedder()
    h = Harness(semantic_settings(threshold=0.9), embedder=embed)
    first = await h.chat("What are the side effects of metformin?", app="sem", temperature=0)
    again = await h.chat("Which side effects does metformin have?", app="sem", temperature=0)
    assert h.last.cache == "semantic_hit"
    assert h.last.cache_similarity is not None and h.last.cache_similarity >= 0.9
    assert again.text == first.text and h.model.calls == 1
    assert embed.calls[0][0] == "all-minilm-l6-v2"  # the default embedding model


async def test_below_threshold_is_a_miss() -> None:
    h = Harness(semantic_settings(threshold=0.9), embedder=KeywordEmbedder())
    await h.chat("What are the side effects of metformin?", app="sem", temperature=0)
    await h.chat("side effects of metformin for a child, and the dose?", app="sem", temperature=0)
    assert h.last.cache == "miss" and h.model.calls == 2


async def test_guard_refuses_a_near_miss_the_embedder_cannot_tell_apart() -> None:
    h = Harness(semantic_settings(threshold=0.5), embedder=KeywordEmbedder())
    await h.chat("Is 5 mg of ibuprofen a safe dose?", app="sem", temperature=0)
    await h.chat("Is 50 mg of ibuprofen a safe dose?", app="sem", temperature=0)
    assert h.last.cache == "miss"
    await h.chat("Is 5 mg of ibuprofen not a safe dose?", app="sem", temperature=0)
    assert h.last.cache == "miss"
    assert h.model.calls == 3


async def test_semantic_scope_is_app_model_and_system_prompt() -> None:
    h = Harness(
        settings(
            apps={
                "sem": {"cache": {"semantic": {"enabled": True}}},
                "sem2": {"cache": {"semantic": {"enabled": True}}},
            }
        ),
        embedder=KeywordEmbedder(),
    )
    await h.chat("side effects of metformin?", app="sem", system="You are a pharmacist.", temperature=0)
    await h.chat("metformin side effects?", app="sem", system="You are a poet.", temperature=0)
    assert h.last.cache == "miss"
    await h.chat(
        "metformin side effects?", app="sem", system="You are a pharmacist.", model="gpt-4o", temperature=0
    )
    assert h.last.cache == "miss"
    await h.chat("metformin side effects?", app="sem2", system="You are a pharmacist.", temperature=0)
    assert h.last.cache == "miss"
    await h.chat("metformin side effects?", app="sem", system="You are a pharmacist.", temperature=0)
    assert h.last.cache == "semantic_hit"


async def test_semantic_is_opt_in_and_can_be_limited_to_routes() -> None:
    embed = KeywordEmbedder()
    h = Harness(semantic_settings(routes=["/v1/chat/completions"]), embedder=embed)
    await h.chat("side effects of metformin?", temperature=0)  # app-a: not opted in
    await h.chat("metformin side effects?", temperature=0)
    assert h.last.cache == "miss" and embed.calls == []
    await h.chat("side effects of metformin?", app="sem", route="/v1/chat/completions", temperature=0)
    await h.chat("metformin side effects?", app="sem", route="rag/answer", temperature=0)
    assert h.last.cache == "miss"
    await h.chat("metformin side effects?", app="sem", route="/v1/chat/completions", temperature=0)
    assert h.last.cache == "semantic_hit"


async def test_semantic_entries_expire_and_are_invalidated() -> None:
    h = Harness(semantic_settings(), embedder=KeywordEmbedder())
    await h.chat("side effects of metformin?", app="sem", temperature=0)
    h.clock.now += 3601
    await h.chat("metformin side effects?", app="sem", temperature=0)
    assert h.last.cache == "miss"
    await h.chat("metformin side effects please?", app="sem", temperature=0)
    assert h.last.cache == "semantic_hit"
    removed = await h.stage.invalidate(app="sem")
    assert removed["semantic"] >= 1
    await h.chat("metformin side effects please?", app="sem", temperature=0)
    assert h.last.cache == "miss"


async def test_embedding_failure_is_a_plain_miss() -> None:
    async def broken(ctx: RequestContext, model: str, texts: list[str]) -> list[list[float]]:
        raise ConnectionError("embedding service down")

    h = Harness(semantic_settings(), embedder=broken)
    answer = await h.chat("anything", app="sem", temperature=0)
    assert answer.text and h.last.cache == "miss"


@pytest.mark.parametrize(
    ("cached", "query", "reason"),
    [
        (
            "What is the dose of ibuprofen for a child?",
            "What is the dose of naproxen for a child?",
            "rare_word",
        ),
        ("Is 5 mg of amlodipine a low dose?", "Is 10 mg of amlodipine a low dose?", "number"),
        ("Is 50 mg of levothyroxine too much?", "Is 50 mcg of levothyroxine too much?", "unit"),
        ("Can I take it with food?", "Can I not take it with food?", "negation"),
        ("Summarize the chart for <PERSON_1>.", "Summarize the chart for <PERSON_2>.", "placeholder"),
        (
            "Draft a letter to [NAME_1] about [DATE_1].",
            "Draft a letter to [NAME_1] about [DATE_2].",
            "placeholder",
        ),
        ("Draft a letter to [NAME_1] about [DATE_1].", "Write a letter to [NAME_1] about [DATE_1].", None),
        ("What is the dose for a child?", "What is the dose for an adult?", "contrast"),
        (
            "Can I switch from sertraline to fluoxetine?",
            "Can I switch from fluoxetine to sertraline?",
            "direction",  # guard v1 said "order"; v2 sees which word moved to which role
        ),
        ("Switch from tablets to injections?", "Switch from injections to tablets?", "direction"),
        ("Taper from 25 to 50 units?", "Taper from 50 to 25 units?", "direction"),
        (
            "Can I drink alcohol after taking ibuprofen?",
            "Can I take ibuprofen after drinking alcohol?",
            "direction",
        ),
        ("Does amiodarone raise digoxin levels?", "Does digoxin raise amiodarone levels?", "swap"),
        ("Take 2 tablets 3 times a day?", "Take 3 tablets 2 times a day?", "swap"),
        ("Was the test result positive?", "Was the test result negative?", "antonym"),
        ("Is this antihistamine drowsy?", "Is this antihistamine non-drowsy?", "antonym"),
        (
            "Is this cough syrup safe for diabetics?",
            "Is this sugar-free cough syrup safe for diabetics?",
            "polarity",
        ),
        ("How do I open a savings account?", "How do I close a savings account?", "antonym"),
        ("Should I buy shares now?", "Should I sell shares now?", "antonym"),
        ("How do I open the file?", "How do I save the file?", "substitution"),
        (
            "Should I stop taking metformin before surgery?",
            "Should I discontinue metformin before surgery?",
            None,
        ),
        ("How do I revert a git commit?", "how do i revert a git comit", None),
        ("What are the side effects of metformin?", "WHAT ARE THE SIDE EFFECTS OF METFORMIN", None),
        ("What are the side effects of metformin?", "What side effects does metformin commonly cause?", None),
        ("Take two tablets twice a day?", "Take 2 tablets 2x a day?", None),
    ],
)
def test_guard_reasons(cached: str, query: str, reason: str | None) -> None:
    assert veto(extract(query), extract(cached)) == reason


async def test_semantic_hit_on_a_stream_replays_chunks() -> None:
    h = Harness(semantic_settings(), embedder=KeywordEmbedder())
    first = await h.chat("What are the side effects of metformin?", app="sem", temperature=0)
    chunks = await h.chat("Which side effects does metformin have?", app="sem", temperature=0, stream=True)
    assert h.last.cache == "semantic_hit"
    assert "".join(c.text for c in chunks) == first.text


async def test_first_request_of_a_scope_does_not_wait_for_an_embedding() -> None:
    seen_model_calls: list[int] = []
    inner = KeywordEmbedder()

    async def embedder(ctx: RequestContext, model: str, texts: list[str]) -> list[list[float]]:
        seen_model_calls.append(h.model.calls)
        return await inner(ctx, model, texts)

    h = Harness(semantic_settings(), embedder=embedder)
    await h.chat("What are the side effects of metformin?", app="sem", temperature=0)
    assert seen_model_calls == [1]  # embedded after the answer, for storing only
    await h.chat("Which side effects does metformin have?", app="sem", temperature=0)
    assert seen_model_calls == [1, 1] and h.last.cache == "semantic_hit"  # this one is embedded up front


async def test_long_prompts_use_the_exact_cache_only() -> None:
    embed = KeywordEmbedder()
    h = Harness(semantic_settings(max_chars=200), embedder=embed)
    context = "metformin side effects " * 20
    await h.chat(context + "list the risks", app="sem", temperature=0)
    await h.chat(context + "list the benefits", app="sem", temperature=0)
    assert h.last.cache == "miss" and embed.calls == []
    await h.chat(context + "list the benefits", app="sem", temperature=0)
    assert h.last.cache == "hit"
