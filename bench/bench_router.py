"""Latency of the routing stage (classify + tier model choice + targets) per router, p50/p95 in ms.

    python bench/bench_router.py [--router learned] [--rounds 3]

Routes every prompt of the blind *training* file (short chats to 600-word pastes) through
``RoutingStage.route`` with ``model: "auto"``, as the gateway does, after one warm-up pass (the
model file load and the per-word memo are one-off costs). Prints p50/p95/max of the whole stage and
of ``classify`` alone. ``--cold`` measures a single pass with no warm-up (each word is hashed the
first time it is seen).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "src")]

from tests.routing.helpers import context, settings, stage  # noqa: E402

from ai_workers.core.types import ChatRequest, Message  # noqa: E402

TRAIN = ROOT / "bench" / "blind" / "routing" / "train.jsonl"


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--router", default="learned", help="heuristic, learned or module:factory")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--cold", action="store_true", help="no warm-up pass: every word is new to the per-word memo"
    )
    args = parser.parse_args()
    prompts = [json.loads(line)["prompt"] for line in TRAIN.read_text("utf-8").splitlines()]
    requests = [ChatRequest(model="auto", messages=[Message(role="user", content=p)]) for p in prompts]
    st = stage(settings(routing={"router": args.router}))
    router = st.router_for(st.app_routing(st.config.current, "default"))
    st.route(
        context(st.config.current), ChatRequest(model="auto", messages=[Message(role="user", content="hi")])
    )
    if args.cold:
        args.rounds = 1
    else:
        for request in requests:  # warm-up
            st.route(context(st.config.current), request)
    stage_ms: list[float] = []
    classify_ms: list[float] = []
    for _ in range(args.rounds):
        for request in requests:
            ctx = context(st.config.current)
            start = time.perf_counter()
            st.route(ctx, request)
            stage_ms.append((time.perf_counter() - start) * 1000)
            start = time.perf_counter()
            router.classify(request)
            classify_ms.append((time.perf_counter() - start) * 1000)
    for name, values in (("routing stage", stage_ms), ("classify", classify_ms)):
        p50, p95 = statistics.median(values), percentile(values, 0.95)
        print(
            f"{args.router} {name}: p50 {p50:.3f} ms, p95 {p95:.3f} ms, "
            f"max {max(values):.3f} ms over {len(values)} requests"
        )


if __name__ == "__main__":
    main()
