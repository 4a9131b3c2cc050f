"""How a queued request's usage is shared among its lines: whole tokens that add up to what Workers AI
reported, in proportion to each line's input."""

from __future__ import annotations

from ai_workers.batch.queued import split_usage
from ai_workers.core.types import Usage


def test_shares_add_up_exactly_and_follow_the_weights() -> None:
    usage = Usage(prompt_tokens=1001, completion_tokens=7, total_tokens=1008)
    shares = split_usage(usage, [1.0, 2.0, 1.0, 3.0, 0.5])
    assert sum(s.prompt_tokens for s in shares) == 1001
    assert sum(s.completion_tokens for s in shares) == 7
    assert all(s.total_tokens == s.prompt_tokens + s.completion_tokens for s in shares)
    tokens = [s.prompt_tokens for s in shares]
    assert tokens[3] > tokens[1] > tokens[0] > tokens[4]


def test_no_usage_or_no_weight_gives_empty_shares() -> None:
    assert split_usage(None, [1.0, 1.0]) == [Usage(), Usage()]
    assert split_usage(Usage(prompt_tokens=5, total_tokens=5), []) == []
