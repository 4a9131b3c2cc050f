"""Usage-record inserts as the table grows: random request ids against time-ordered ones.

The request id is the primary key of ``usage_records``. Each insert also updates the key's B-tree, and
with uniformly random ids each one lands on a random page: once the index outgrows SQLite's page cache,
every insert reads pages back and the writer's CPU per row grows with the table. This bench migrates a
fresh SQLite database (the real schema and indexes), grows ``usage_records`` to each ``--sizes`` mark
through the shipped writer path (``usage.sqlite_rows``: multi-row INSERTs in one transaction per
batch of 1,000 rows), and prints the thread CPU per row of the last ``--measure`` rows before each mark,
for ``uuid4().hex`` ids and for the gateway's ids (``core.context.new_request_id``, UUIDv7), side by
side.

    python bench/bench_usage_ids.py [--sizes 20000,100000,200000] [--measure 10000]
"""

from __future__ import annotations

import argparse
import asyncio
import copy
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from ai_workers.core.context import new_request_id
from ai_workers.db.engine import Database
from ai_workers.db.models import UsageRecord
from ai_workers.usage.sqlite_rows import SqliteRowWriter
from bench_usage_writer import usage_row

BATCH = 1000


async def writer_for(path: Path) -> SqliteRowWriter:
    database = Database(f"sqlite+aiosqlite:///{path}")
    await database.migrate()
    writer = SqliteRowWriter.for_database(database, UsageRecord.__table__, ["id"])  # type: ignore[arg-type]
    await database.dispose()
    assert writer is not None
    return writer


def grow(writer: SqliteRowWriter, new_id: Callable[[], str], sizes: list[int], measure: int) -> list[float]:
    """Thread CPU per row (us) of the last ``measure`` rows before each size."""
    template = usage_row()
    written, out = 0, []
    for size in sizes:
        spent = 0.0
        while written < size:
            rows = []
            for _ in range(BATCH):
                row = copy.copy(template)
                row["id"] = new_id()
                rows.append(row)
            statements = writer.inserter.statements(rows)
            started = time.thread_time()
            writer._insert(statements)  # the writer thread's own call, run here to time it alone
            if written >= size - measure:
                spent += time.thread_time() - started
            written += BATCH
        out.append(spent / measure * 1e6)
    return out


async def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="20000,100000,200000")
    parser.add_argument("--measure", type=int, default=10_000)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    ids: dict[str, Callable[[], str]] = {
        "uuid4 (random)": lambda: uuid.uuid4().hex,
        "UUIDv7 (gateway)": new_request_id,
    }
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, new_id in ids.items():
            writer = await writer_for(Path(tmp) / f"{len(results)}.db")
            try:
                results[name] = grow(writer, new_id, sizes, args.measure)
            finally:
                writer.close()
    print(f"usage_records inserts, thread CPU per row (us), last {args.measure:,} rows before each size")
    print(f"{'ids':18}" + "".join(f"{size:>12,}" for size in sizes))
    for name, figures in results.items():
        print(f"{name:18}" + "".join(f"{f:12.1f}" for f in figures))
    first, second = results.values()
    print("random / time-ordered at the largest size: x%.2f" % (first[-1] / second[-1]))


if __name__ == "__main__":
    asyncio.run(main())
