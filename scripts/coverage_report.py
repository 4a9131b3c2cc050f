"""Prints line coverage of src/ai_workers per package and in total; exits 1 under --fail-under.

pytest-cov's own report lists every file; a package's figure is what a reviewer compares between runs.
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

import coverage


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--fail-under", type=float, default=0.0, help="minimum total percentage")
    parser.add_argument("--data-file", default=".coverage")
    args = parser.parse_args()

    cov = coverage.Coverage(data_file=args.data_file)
    cov.load()
    root = Path("src/ai_workers").resolve()
    statements: dict[str, int] = defaultdict(int)
    missing: dict[str, int] = defaultdict(int)
    for filename in cov.get_data().measured_files():
        path = Path(filename).resolve()
        if not path.is_relative_to(root):
            continue
        parts = path.relative_to(root).parts
        package = parts[0] if len(parts) > 1 else "(top level)"
        _, lines, _, missed, _ = cov.analysis2(filename)
        statements[package] += len(lines)
        missing[package] += len(missed)

    print(f"{'package':<14} {'lines':>7} {'missed':>7} {'cover':>7}")
    for package in sorted(statements):
        total = statements[package]
        print(f"{package:<14} {total:>7} {missing[package]:>7} {percent(total, missing[package]):>6.1f}%")
    total, missed = sum(statements.values()), sum(missing.values())
    covered = percent(total, missed)
    print(f"{'TOTAL':<14} {total:>7} {missed:>7} {covered:>6.1f}%")
    if covered < args.fail_under:
        print(f"coverage: {covered:.1f}% is under the required {args.fail_under:.0f}%", file=sys.stderr)
        return 1
    return 0


def percent(total: int, missed: int) -> float:
    return 100.0 * (total - missed) / total if total else 100.0


if __name__ == "__main__":
    sys.exit(main())
