"""The Redis fast-fail breaker (db/fast_redis.py) with a fake clock: open after a timeout, skip during
the cool-down, one trial at a time, close on the trial's success."""

from __future__ import annotations

import pytest
import redis.exceptions

from ai_workers.db.fast_redis import RedisBreaker, RedisSkipped


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_timeout_skips_redis_for_the_cool_down_then_one_trial_decides() -> None:
    clock = Clock()
    breaker = RedisBreaker(5.0, clock=clock)
    assert breaker.before() is False  # closed: not a trial
    breaker.after(False, redis.exceptions.TimeoutError("Timeout reading from socket"))
    with pytest.raises(RedisSkipped):
        breaker.before()
    clock.now += 5.0
    assert breaker.before() is True  # the trial
    with pytest.raises(RedisSkipped):
        breaker.before()  # only one at a time
    breaker.after(True, redis.exceptions.TimeoutError("still frozen"))
    with pytest.raises(RedisSkipped):
        breaker.before()  # a new cool-down
    clock.now += 5.0
    assert breaker.before() is True
    breaker.after(True, None)
    assert not breaker.is_open and breaker.before() is False


def test_redis_answering_with_an_error_is_not_an_outage() -> None:
    breaker = RedisBreaker(5.0, clock=Clock())
    breaker.after(False, redis.exceptions.ResponseError("WRONGTYPE"))
    assert not breaker.is_open
