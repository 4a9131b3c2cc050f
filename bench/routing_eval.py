"""Score complexity routers on a labelled prompt file: aggregate figures only, never prompt text.

    python bench/routing_eval.py bench/blind/routing/train.jsonl          # development data
    python bench/routing_eval.py bench/blind/routing/test.jsonl --once    # the blind test, ONCE, at the end

Both routers (``heuristic`` and ``learned``) are scored in the same run. Printed per router: accuracy,
the confusion matrix, the complex->simple rate (hard work sent to the small model), accuracy per
kind, and the cost of the routed traffic against sending everything to gpt-4o and against an oracle
router that knows the labels.

Cost model: each prompt is priced on the model the gateway itself would pick for the routed tier
(``routing.tiers.choose_model`` with the default tier table, list prices, free neurons ignored), with
input tokens estimated from the prompt (~4 characters a token) and an answer length that depends on
the work the prompt really needs (its labelled tier), whichever model answers it:
simple 150, medium 600, complex 900 output tokens. The blind file is read only to compute these
aggregates; nothing from it is printed or written.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from ai_workers.core.config import Settings  # noqa: E402
from ai_workers.core.context import AppIdentity  # noqa: E402
from ai_workers.core.types import ChatRequest, Message  # noqa: E402
from ai_workers.routing.complexity import HeuristicRouter, Router, TierDecision  # noqa: E402
from ai_workers.routing.config import default_tiers  # noqa: E402
from ai_workers.routing.learned import LearnedRouter  # noqa: E402
from ai_workers.routing.tiers import choose_model  # noqa: E402

TIERS = ("simple", "medium", "complex")
ANSWER_TOKENS = {"simple": 150, "medium": 600, "complex": 900}
KINDS = ("long_easy", "short_hard", "keyword_trap", "no_cue_medium", "plain", "multilingual", "chat")


def load_settings() -> Settings:
    from ai_workers.core.config import load_settings as load

    return load()


def cost(settings: Settings, tier: str, decision: TierDecision, label: str) -> float:
    app = AppIdentity(name="eval")
    priced = TierDecision(
        tier=tier,
        score=0.0,
        needs=decision.needs,
        input_tokens=decision.input_tokens,
        output_tokens=ANSWER_TOKENS[label],
    )
    return choose_model(settings, app, tier, default_tiers()[tier], priced, free_neurons=None).cost_usd


def evaluate(name: str, router: Router, rows: list[dict[str, str]], settings: Settings) -> dict[str, float]:
    confusion: Counter[tuple[str, str]] = Counter()
    kinds: dict[str, list[int]] = {}
    routed = oracle = all_4o = 0.0
    for row in rows:
        request = ChatRequest(model="auto", messages=[Message(role="user", content=row["prompt"])])
        decision = router.classify(request)
        label = row["tier"]
        confusion[(label, decision.tier)] += 1
        kinds.setdefault(row.get("kind", "-"), []).append(int(decision.tier == label))
        routed += cost(settings, decision.tier, decision, label)
        oracle += cost(settings, label, decision, label)
        all_4o += cost(settings, "complex", decision, label)
    total = len(rows)
    correct = sum(v for (a, b), v in confusion.items() if a == b)
    complex_total = sum(v for (a, _), v in confusion.items() if a == "complex")
    c2s = confusion[("complex", "simple")]
    print(f"\n== {name} router on {total} prompts")
    print(f"accuracy {correct / total:.3f} ({correct}/{total})")
    for tier in TIERS:
        n = sum(v for (a, _), v in confusion.items() if a == tier)
        print(f"  recall {tier:<8} {confusion[(tier, tier)] / max(n, 1):.3f} ({confusion[(tier, tier)]}/{n})")
    print(f"complex -> simple: {c2s}/{complex_total} = {c2s / max(complex_total, 1):.3%}")
    print("confusion (rows: label, columns: routed)")
    print("           " + "".join(f"{t:>9}" for t in TIERS))
    for want in TIERS:
        print(f"  {want:<8} " + "".join(f"{confusion[(want, got)]:>9}" for got in TIERS))
    print("accuracy per kind")
    for kind in [*KINDS, *sorted(set(kinds) - set(KINDS))]:
        hits = kinds.get(kind)
        if hits:
            print(f"  {kind:<14} {sum(hits) / len(hits):.3f} ({sum(hits)}/{len(hits)})")
    print(
        f"cost: routed ${routed:.4f}, oracle ${oracle:.4f} (routed/oracle {routed / oracle:.3f}), "
        f"all gpt-4o ${all_4o:.4f} (routed/all-4o {routed / all_4o:.3f})"
    )
    return {
        "accuracy": correct / total,
        "c2s": c2s / max(complex_total, 1),
        "cost_vs_oracle": routed / oracle,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("path", type=Path)
    parser.add_argument("--model", type=Path, help="another model file for the learned router")
    parser.add_argument(
        "--once", action="store_true", help="acknowledge that this is the single scoring of a blind file"
    )
    args = parser.parse_args()
    if "blind" in args.path.parts and args.path.name == "test.jsonl" and not args.once:
        sys.exit("the blind test part is scored once, at the end: pass --once to confirm")
    rows = [json.loads(line) for line in args.path.read_text("utf-8").splitlines() if line.strip()]
    settings = load_settings()
    print(f"{args.path.name}: {len(rows)} prompts; answer tokens per labelled tier {ANSWER_TOKENS}")
    evaluate("heuristic", HeuristicRouter(), rows, settings)
    evaluate(
        "learned", LearnedRouter.load(args.model) if args.model else LearnedRouter.load(), rows, settings
    )


if __name__ == "__main__":
    main()
