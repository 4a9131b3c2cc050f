"""Worst-case PHI detector throughput: adversarial inputs beside normal clinical notes (issue 18).

For each shape (long tokens of one letter, upper-case hex, digit runs, digit groups with separators,
repeated separators, deep punctuation, capitalised word runs, email- and URL-like tokens, whitespace
runs, unicode) at 2 KB, 50 KB and 100 KB, prints the detector's cost in µs per KB and MB/s, and its
ratio to normal notes (tests/data/phi/generated.jsonl, cut to the same size) per KB. The target is the
worst case within 5x of normal text per KB.

    python bench/bench_phi_adversarial.py [--sizes 2000,50000,100000] [--timeout 20]

With ``--timeout S`` each measurement runs in a child process and is reported as ">S s" when it takes
longer (for measuring a detector that is not linear, e.g. an older checkout on PYTHONPATH). Times are
CPU time of the scanning thread, best of a few rounds; the detector's span cache is off.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data" / "phi"


def _repeat(unit: str) -> Callable[[int], str]:
    return lambda n: (unit * (n // len(unit) + 1))[:n]


def _random(alphabet: str, seed: int) -> Callable[[int], str]:
    return lambda n: "".join(random.Random(seed).choices(alphabet, k=n))


def _normal(n: int) -> str:
    rows = [json.loads(line) for line in (DATA / "generated.jsonl").read_text("utf-8").splitlines() if line]
    text = "\n\n".join(r["text"] for r in rows)
    return (text * (n // len(text) + 1))[:n]


def _capitalised_words(n: int) -> str:
    words = ["Smith", "John", "Mary", "Alpha", "Street", "Hospital", "Clinic", "Ave", "Garcia", "Lee"]
    return " ".join(random.Random(5).choices(words, k=n // 5))[:n]


SHAPES: dict[str, Callable[[int], str]] = {
    "normal notes": _normal,
    "one letter A": _repeat("A"),
    "one letter a": _repeat("a"),
    "Aa alternating": _repeat("Aa"),
    "upper-case hex": _random("0123456789ABCDEF", 1),
    "upper alnum (VIN-like)": _random("ABCDEFGHJKLMNPRSTUVWXYZ0123456789", 2),
    "digits": _random("0123456789", 3),
    "digit groups 1.2.": _repeat("1.2."),
    "digit groups 123.": _repeat("123."),
    "digit groups 12-34 ": _repeat("12-34 "),
    "hex pairs AB-": _repeat("AB-"),
    "separators -.-.": _repeat("-.-."),
    "separators / /": _repeat("/ "),
    "hashes ####": _repeat("#"),
    "deep punctuation ((()))": lambda n: "(" * (n // 2) + ")" * (n - n // 2),
    "punctuation mix": _repeat("([{<'\",.;:!?>}])"),
    "capitalised words": _capitalised_words,
    "hyphenated caps Ab-": _repeat("Ab-"),
    "email-like a...@b.com": lambda n: "a" * (n - 6) + "@b.com",
    "email-like a@a@": _repeat("a@"),
    "URL-like .com/": _repeat(".com/"),
    "URL-like http://aaa": lambda n: "http://" + "a" * (n - 7),
    "whitespace": _repeat(" \t\n"),
    "unicode É": _repeat("É"),
    "unicode Núñez ": _repeat("Núñez "),
    "label cues id-id-...1": lambda n: _repeat("id-")(n - 1) + "1",
    "name cues To-To-": _repeat("To-"),
    "county words": _repeat("Ab County "),
    "Last, First Ab,Cd,": _repeat("Ab,Cd,"),
}


def _measure(shape: str, n: int) -> float:
    """Seconds of CPU for one scan, best of a few rounds (fewer for big inputs)."""
    from ai_workers.safety.phi.detector import PhiDetector

    det = PhiDetector(cache_size=0)
    det.detect("Patient Jane Doe, DOB 01/02/1960")  # build the rules first
    text = SHAPES[shape](n)
    rounds = 5 if n <= 4000 else 3
    best = float("inf")
    for _ in range(rounds):
        started = time.thread_time()
        det.detect(text)
        best = min(best, time.thread_time() - started)
    return best


def _child(shape: str, n: int, out: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    out.put(_measure(shape, n))


def _measure_bounded(shape: str, n: int, timeout: float | None) -> float | None:
    if timeout is None:
        return _measure(shape, n)
    out: multiprocessing.Queue = multiprocessing.Queue()  # type: ignore[type-arg]
    proc = multiprocessing.Process(target=_child, args=(shape, n, out))
    proc.start()
    proc.join(timeout)
    if proc.is_alive():
        proc.kill()
        proc.join()
        return None
    return float(out.get())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="2000,50000,100000", help="characters per input")
    parser.add_argument("--timeout", type=float, default=None, help="seconds per measurement (child process)")
    parser.add_argument("--shapes", default="", help="comma-separated subset of shape names")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    shapes = [s for s in SHAPES if not args.shapes or s in args.shapes.split(",") or s == "normal notes"]

    import ai_workers.safety.phi as phi

    build = "compiled (mypyc)" if phi.COMPILED else "Python source"
    print(f"detector: {build}; python {sys.version.split()[0]}")
    header = f"{'shape':26s}" + "".join(f" {f'µs/KB @{n // 1000}K':>12s}" for n in sizes)
    header += f" {'MB/s @max':>10s} {'x normal':>9s}"
    print(header)
    print("-" * len(header))
    normal: dict[int, float] = {}
    worst = (0.0, "")
    for shape in shapes:
        cells: list[str] = []
        ratio = 0.0
        mbs = ""
        for n in sizes:
            text_bytes = len(SHAPES[shape](n).encode("utf-8"))
            seconds = _measure_bounded(shape, n, args.timeout)
            if seconds is None:
                cells.append(f"{'>' + format(args.timeout, 'g') + ' s':>12s}")
                ratio = float("inf")
                mbs = "-"
                continue
            per_kb = seconds / (text_bytes / 1000)
            if shape == "normal notes":
                normal[n] = per_kb
            ratio = max(ratio, per_kb / normal[n])
            cells.append(f"{per_kb * 1e6:12.0f}")
            mbs = f"{text_bytes / seconds / 1e6:.2f}" if seconds > 0 else "inf"
        print(f"{shape:26s} " + " ".join(cells) + f" {mbs:>10s} {ratio:9.2f}", flush=True)
        if shape != "normal notes" and ratio > worst[0]:
            worst = (ratio, shape)
    print()
    print(f"worst / normal per KB: {worst[0]:.2f}x ({worst[1]}); target <= 5x")


if __name__ == "__main__":
    main()
