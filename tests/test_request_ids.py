"""Request ids: 32 hex characters, never repeated, also across a fork (they key usage records)."""

from __future__ import annotations

import os

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
