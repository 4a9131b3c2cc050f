"""Request ids: 32 hex characters, never repeated, also across a fork (they key usage records), and
time-ordered UUIDv7 values (a random key made the usage table's inserts slower as it grew)."""

from __future__ import annotations

import os
import time
import uuid

from ai_workers.core.context import new_request_id


def test_ids_are_32_hex_characters_and_unique() -> None:
    ids = [new_request_id() for _ in range(20_000)]  # several refills of the pool
    assert len(set(ids)) == len(ids)
    assert all(len(i) == 32 and int(i, 16) >= 0 for i in ids)


def test_a_forked_child_does_not_repeat_its_parents_ids() -> None:
    new_request_id()  # the pool holds unused ids the child must not hand out again
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: its next id, to the parent
        os.write(write, new_request_id().encode())
        os._exit(0)
    os.close(write)
    child_id = os.read(read, 64).decode()
    os.waitpid(pid, 0)
    assert child_id != new_request_id()


def test_ids_are_uuid7_values_in_the_order_they_were_made() -> None:
    first = new_request_id()
    time.sleep(0.002)  # a later millisecond
    later = [new_request_id() for _ in range(1000)]
    assert all(uuid.UUID(i).version == 7 for i in [first, *later])
    assert all(first < i for i in later)
    made_ms = int(first[:12], 16)
    assert abs(made_ms - time.time() * 1000) < 60_000  # the prefix is the time it was made
