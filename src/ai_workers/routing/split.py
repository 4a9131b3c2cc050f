"""Traffic splits: weighted arms per route, sticky per user.

An arm is picked by hashing ``split name + user id`` (or the request id when there is no user) onto
the total weight, so a user sees the same arm on every request while the weights stay put, and
changing weights moves only the users whose hash falls in the moved slice. BLAKE2b is used because it
is in the standard library, fast on short keys and uniformly distributed; no state is kept per user.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from ai_workers.routing.config import SplitArm, SplitConfig, SplitMatch

_SCALE = float(1 << 64)


@dataclass(frozen=True, slots=True)
class SplitRequest:
    """What a split's ``match`` is compared against."""

    app: str
    model: str  # as requested
    logical_model: str | None  # the catalog name it resolves to (or the tier's model for "auto")
    tier: str | None
    route: str | None


def _matches(value: str | None, wanted: str | list[str] | None) -> bool:
    if wanted is None:
        return True
    if value is None:
        return False
    return value == wanted if isinstance(wanted, str) else value in wanted


def split_matches(match: SplitMatch, request: SplitRequest) -> bool:
    if not _matches(request.app, match.app):
        return False
    if match.model is not None and not (
        _matches(request.model, match.model) or _matches(request.logical_model, match.model)
    ):
        return False
    return _matches(request.tier, match.tier) and _matches(request.route, match.route)


def bucket(split_name: str, sticky_key: str) -> float:
    """A stable point in [0, 1) for this key in this split."""
    digest = hashlib.blake2b(f"{split_name}\x00{sticky_key}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") / _SCALE


def pick_arm(split: SplitConfig, sticky_key: str) -> SplitArm:
    total = sum(arm.weight for arm in split.arms)
    point = bucket(split.name, sticky_key) * total
    upto = 0.0
    for arm in split.arms:
        upto += arm.weight
        if point < upto:
            return arm
    return next(arm for arm in reversed(split.arms) if arm.weight > 0)


def find_split(splits: Sequence[SplitConfig], request: SplitRequest) -> SplitConfig | None:
    """The first enabled split whose match fits the request."""
    for split in splits:
        if split.enabled and split_matches(split.match, request):
            return split
    return None
