"""Run the load and fault suite and print its table.

python bench/load/run.py                                 # 500 users, 60 s, every fault
python bench/load/run.py --users 50 --duration 20 --faults kill_worker,redis_restart
python bench/load/run.py --faults none                   # load only (the p95 target: < 2 s)
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from bench.load.suite import ALL_FAULTS, Options, run  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--users", type=int, default=500)
    parser.add_argument("--duration", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--outage", type=float, default=10.0, help="seconds each Redis/database outage lasts")
    parser.add_argument(
        "--faults", default="all", help="all, none, or a comma list of: " + ",".join(ALL_FAULTS)
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--client-procs", type=int, default=0, help="client processes for the users (0: one per 150 users)"
    )
    args = parser.parse_args()
    faults = (
        ALL_FAULTS if args.faults == "all" else () if args.faults == "none" else tuple(args.faults.split(","))
    )
    unknown = set(faults) - set(ALL_FAULTS)
    if unknown:
        parser.error(f"unknown faults: {', '.join(sorted(unknown))}")
    if args.users > 2000 or args.duration > 600:
        parser.error("bounded: at most 2000 users and 600 s")
    opts = Options(
        users=args.users, duration_s=args.duration, workers=args.workers, faults=faults,
        outage_s=args.outage, seed=args.seed, client_procs=args.client_procs,
    )  # fmt: skip
    report = asyncio.run(run(opts))
    print(report.table())
    rec = report.reconciliation()
    ok = not report.unexpected() and rec["missing_records"] == 0 and rec["duplicate_ids_seen_by_clients"] == 0
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
