"""Files, batches and lines in the gateway's database: the Batch API's durable queue.

Why a queue in the gateway's own database rather than arq, taskiq or Celery: a batch line's result
must be written in the same transaction as the state change that ends its claim (that is what makes a
restart or SIGKILL lose no line and run none twice), and the results must stay readable with the
batch. With a broker those live in two systems (the broker's delivery and our result row) that cannot
commit together, so idempotency would still need this table; the broker would add an always-on
dependency (the embedded default has no Redis) and its own retry/ack semantics on top. The database
is already required, already shared by replicas, and gives exactly the primitives needed:
``FOR UPDATE SKIP LOCKED`` on PostgreSQL lets several replicas claim disjoint lines at once without
waiting on each other; on SQLite, whose writers are serialised anyway, the claim is the same
conditional ``UPDATE ... RETURNING`` on the line row, with the owner and a lease expiry in it.

A line is claimable when it is ``pending`` (and its retry time, kept in ``lease_until``, has passed)
or ``running`` with an expired lease (its worker died): it has no result then, so running it again
cannot double it. Finishing a line is one ``UPDATE`` that also checks the claim is still ours.
Every read that a caller makes is filtered by its app.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from typing import Any

import msgspec
from sqlalchemy import delete, func, insert, or_, select, update
from sqlalchemy.orm import defer

from ai_workers.batch.jsonl import InputLine, LineError
from ai_workers.db.engine import Database
from ai_workers.db.models import BatchFile, BatchJob, BatchLine

ACTIVE = ("validating", "in_progress", "finalizing", "cancelling")
FINAL_LINE_STATES = ("done", "failed", "cancelled")
PAGE = 500  # lines read per query when rendering an output file
INSERT_PAGE = 1000

_encode = msgspec.json.Encoder().encode


def now_s() -> int:
    return int(time.time())


def new_id(prefix: str) -> str:
    return prefix + secrets.token_hex(12)


@dataclass(slots=True)
class ClaimedLine:
    batch_id: str
    idx: int
    custom_id: str
    url: str
    body: bytes
    attempts: int
    # The Workers AI queued request already carrying this line (a run cut off mid-poll): poll it again.
    upstream_request_id: str | None = None

    @property
    def request_id(self) -> str:
        """The line's request id for this run (``<batch>-<line>-<run>``). Each run that reached the
        pipeline leaves its own usage record: a run cut off by a shutdown or crash did call upstream
        (a 499 record, or its cost), and the run that finished is recorded once, not hidden behind it."""
        return f"{self.batch_id.removeprefix('batch_')}-{self.idx}-{self.attempts}"


@dataclass(slots=True)
class LineOutcome:
    """What running one line produced: an answer (2xx) or an error, both as a JSON body."""

    status_code: int
    body: bytes
    error_code: str | None = None
    error_message: str | None = None
    retryable: bool = False  # a transient failure (5xx, rate limit): the line may be queued again

    @property
    def ok(self) -> bool:
        return 200 <= self.status_code < 300


@dataclass(slots=True)
class Counts:
    total: int = 0
    completed: int = 0
    failed: int = 0
    open: int = 0  # pending or running


class BatchStore:
    """Every database statement of the batch feature (async; one short transaction each)."""

    def __init__(self, database: Database) -> None:
        self.database = database

    # -- files --------------------------------------------------------------------------------------

    async def create_file(self, app: str, filename: str, purpose: str, content: bytes) -> BatchFile:
        row = BatchFile(
            id=new_id("file-"),
            app=app,
            purpose=purpose,
            filename=filename,
            size=len(content),
            created_at=now_s(),
            content=content,
            kind="input",
        )
        async with self.database.session() as session:
            session.add(row)
        return row

    async def get_file(self, app: str, file_id: str, *, with_content: bool = False) -> BatchFile | None:
        """The app's file (another app's is None); its content is loaded only when asked for."""
        stmt = select(BatchFile).where(BatchFile.id == file_id, BatchFile.app == app)
        if not with_content:
            stmt = stmt.options(defer(BatchFile.content))
        async with self.database.session() as session:
            return (await session.execute(stmt)).scalar_one_or_none()

    async def list_files(self, app: str, *, purpose: str | None = None, limit: int = 1000) -> list[BatchFile]:
        stmt = (
            select(BatchFile)
            .options(defer(BatchFile.content))
            .where(BatchFile.app == app)
            .order_by(BatchFile.created_at.desc())
            .limit(limit)
        )
        if purpose:
            stmt = stmt.where(BatchFile.purpose == purpose)
        async with self.database.session() as session:
            return list((await session.execute(stmt)).scalars().all())

    async def delete_file(self, app: str, file_id: str) -> bool:
        async with self.database.session() as session:
            result = await session.execute(
                delete(BatchFile).where(BatchFile.id == file_id, BatchFile.app == app)
            )
        return bool(getattr(result, "rowcount", 0))

    async def file_content(self, row: BatchFile) -> AsyncIterator[bytes]:
        """An input file's bytes, or an output/error file rendered from its batch's lines in order."""
        if row.kind == "input":
            yield row.content or b""
            return
        assert row.batch_id is not None
        async for chunk in self._render_lines(row.batch_id, output=row.kind == "output"):
            yield chunk

    async def _render_lines(self, batch_id: str, *, output: bool) -> AsyncIterator[bytes]:
        after = -1
        wanted = BatchLine.state == "done" if output else BatchLine.state == "failed"
        while True:
            async with self.database.session() as session:
                rows = (
                    (
                        await session.execute(
                            select(BatchLine)
                            .where(BatchLine.batch_id == batch_id, BatchLine.idx > after, wanted)
                            .order_by(BatchLine.idx)
                            .limit(PAGE)
                        )
                    )
                    .scalars()
                    .all()
                )
            if not rows:
                return
            yield b"".join(render_line(row) for row in rows)
            after = rows[-1].idx

    # -- batches ------------------------------------------------------------------------------------

    async def create_batch(
        self,
        app: str,
        identity: dict[str, Any],
        endpoint: str,
        input_file_id: str,
        completion_window: str,
        metadata: dict[str, str] | None,
        lines: Sequence[InputLine],
        errors: Sequence[LineError],
    ) -> BatchJob:
        """A batch in progress with all its lines queued (one transaction), or a failed one naming the
        file's faults."""
        created = now_s()
        job = BatchJob(
            id=new_id("batch_"),
            app=app,
            identity=identity,
            endpoint=endpoint,
            input_file_id=input_file_id,
            completion_window=completion_window,
            status="failed" if errors else "in_progress",
            total=0 if errors else len(lines),
            created_at=created,
            expires_at=created + 24 * 3600,
            in_progress_at=None if errors else created,
            failed_at=created if errors else None,
            errors=[e.to_openai() for e in errors] if errors else None,
            meta=metadata,
        )
        async with self.database.session() as session:
            session.add(job)
            await session.flush()
            if not errors:
                rows = [
                    {
                        "batch_id": job.id,
                        "idx": i,
                        "custom_id": line.custom_id,
                        "url": line.url,
                        "body": line.body.decode(),
                        "state": "pending",
                        "attempts": 0,
                    }
                    for i, line in enumerate(lines)
                ]
                for start in range(0, len(rows), INSERT_PAGE):
                    await session.execute(insert(BatchLine), rows[start : start + INSERT_PAGE])
        return job

    async def get_batch(self, app: str | None, batch_id: str) -> BatchJob | None:
        async with self.database.session() as session:
            row = await session.get(BatchJob, batch_id)
        return row if row is not None and (app is None or row.app == app) else None

    async def list_batches(
        self, app: str | None, *, after: str | None = None, limit: int = 20
    ) -> tuple[list[BatchJob], bool]:
        """Newest first; ``after`` is the last id of the previous page (OpenAI's cursor)."""
        stmt = select(BatchJob).order_by(BatchJob.created_at.desc(), BatchJob.id.desc())
        if app is not None:
            stmt = stmt.where(BatchJob.app == app)
        async with self.database.session() as session:
            if after:
                cursor = await session.get(BatchJob, after)
                if cursor is not None:
                    stmt = stmt.where(
                        or_(
                            BatchJob.created_at < cursor.created_at,
                            (BatchJob.created_at == cursor.created_at) & (BatchJob.id < cursor.id),
                        )
                    )
            rows = list((await session.execute(stmt.limit(limit + 1))).scalars().all())
        return rows[:limit], len(rows) > limit

    async def counts(self, batch_ids: Sequence[str]) -> dict[str, Counts]:
        out = {batch_id: Counts() for batch_id in batch_ids}
        if not batch_ids:
            return out
        stmt = (
            select(BatchLine.batch_id, BatchLine.state, func.count())
            .where(BatchLine.batch_id.in_(batch_ids))
            .group_by(BatchLine.batch_id, BatchLine.state)
        )
        async with self.database.session() as session:
            for batch_id, state, n in (await session.execute(stmt)).all():
                c = out[batch_id]
                c.total += n
                if state == "done":
                    c.completed += n
                elif state == "failed":
                    c.failed += n
                elif state in ("pending", "running"):
                    c.open += n
        return out

    async def cancel(self, app: str, batch_id: str) -> BatchJob | None:
        """Ask a batch to stop: lines not started are dropped, running ones finish, then ``cancelled``."""
        async with self.database.session() as session:
            await session.execute(
                update(BatchJob)
                .where(
                    BatchJob.id == batch_id,
                    BatchJob.app == app,
                    BatchJob.status.in_(("in_progress", "validating")),
                )
                .values(status="cancelling", cancelling_at=now_s())
            )
            await session.execute(
                update(BatchLine)
                .where(BatchLine.batch_id == batch_id, BatchLine.state == "pending")
                .where(select(BatchJob.id).where(BatchJob.id == batch_id, BatchJob.app == app).exists())
                .values(state="cancelled", finished_at=time.time())
            )
        return await self.get_batch(app, batch_id)

    async def drop_abandoned(self, batch_id: str) -> None:
        """In a cancelling batch, lines whose worker died mid-run, or that a transient failure put back
        in the queue since the cancel, are not run again: they are cancelled."""
        async with self.database.session() as session:
            await session.execute(
                update(BatchLine)
                .where(
                    BatchLine.batch_id == batch_id,
                    or_(
                        BatchLine.state == "pending",
                        (BatchLine.state == "running") & (BatchLine.lease_until < time.time()),
                    ),
                )
                .values(state="cancelled", owner=None, lease_until=None, finished_at=time.time())
            )

    async def active(self) -> list[BatchJob]:
        """Batches a worker may have work on, oldest first."""
        async with self.database.session() as session:
            stmt = select(BatchJob).where(BatchJob.status.in_(ACTIVE)).order_by(BatchJob.created_at)
            return list((await session.execute(stmt)).scalars().all())

    # -- the queue ----------------------------------------------------------------------------------

    async def claim(
        self, batch_id: str, owner: str, limit: int, lease_s: float, max_attempts: int
    ) -> list[ClaimedLine]:
        """Take up to ``limit`` claimable lines of one batch for ``owner``, in line order. A line whose
        claim expired ``max_attempts`` times is left for ``fail_exhausted``."""
        now = time.time()
        claimable = or_(
            (BatchLine.state == "pending")
            & or_(BatchLine.lease_until.is_(None), BatchLine.lease_until <= now),
            (BatchLine.state == "running")
            & (BatchLine.lease_until < now)
            & (BatchLine.attempts < max_attempts),
        )
        pick = (
            select(BatchLine.idx)
            .where(BatchLine.batch_id == batch_id, claimable)
            .order_by(BatchLine.idx)
            .limit(limit)
        )
        returned = (
            BatchLine.idx,
            BatchLine.custom_id,
            BatchLine.url,
            BatchLine.body,
            BatchLine.attempts,
            BatchLine.upstream_request_id,
        )
        claim = update(BatchLine).values(
            state="running", owner=owner, lease_until=now + lease_s, attempts=BatchLine.attempts + 1
        )
        async with self.database.session() as session:
            if self.database.is_postgres:
                # Pick first, then update exactly those rows (locked until commit). Not one
                # ``UPDATE ... WHERE idx IN (SELECT ... LIMIT n FOR UPDATE SKIP LOCKED)``: PostgreSQL may
                # run that subquery again for each row it updates, and each run re-checks the rows the
                # statement has just claimed, finds them taken and picks the next ones, so one claim
                # could take hundreds of lines past ``limit`` (and past the concurrency caps).
                picked = list((await session.execute(pick.with_for_update(skip_locked=True))).scalars())
                if not picked:
                    return []
                stmt = claim.where(BatchLine.batch_id == batch_id, BatchLine.idx.in_(picked), claimable)
            else:  # SQLite runs the subquery once, and its writers are serialised anyway
                stmt = claim.where(
                    BatchLine.batch_id == batch_id, BatchLine.idx.in_(pick.scalar_subquery()), claimable
                )
            rows = (await session.execute(stmt.returning(*returned))).all()
        lines = [
            ClaimedLine(batch_id, idx, cid, url, body.encode(), attempts, upstream)
            for idx, cid, url, body, attempts, upstream in rows
        ]
        lines.sort(key=lambda line: line.idx)
        return lines

    async def finish(self, line: ClaimedLine, owner: str, outcome: LineOutcome) -> bool:
        """Write the result and end the claim in one statement; False if the claim was lost (another
        worker took the line after our lease ran out): then this result is dropped."""
        return (await self.finish_many([(line, outcome)], owner))[0]

    async def finish_many(self, done: Sequence[tuple[ClaimedLine, LineOutcome]], owner: str) -> list[bool]:
        """``finish`` for several lines in one transaction (one commit instead of one per line); each
        line's statement still checks its own claim."""
        out: list[bool] = []
        async with self.database.session() as session:
            for line, outcome in done:
                result = await session.execute(self._finish_statement(line, owner, outcome))
                out.append(bool(getattr(result, "rowcount", 0)))
        return out

    def _finish_statement(self, line: ClaimedLine, owner: str, outcome: LineOutcome) -> Any:
        return (
            update(BatchLine)
            .where(
                BatchLine.batch_id == line.batch_id,
                BatchLine.idx == line.idx,
                BatchLine.state == "running",
                BatchLine.owner == owner,
            )
            .values(
                state="done" if outcome.ok else "failed",
                owner=None,
                lease_until=None,
                status_code=outcome.status_code,
                response=outcome.body.decode(),
                error_code=outcome.error_code,
                error_message=outcome.error_message,
                request_id=line.request_id,
                finished_at=time.time(),
            )
        )

    async def retry_later(self, line: ClaimedLine, owner: str, delay_s: float) -> bool:
        """Give a line back to the queue after a transient failure, not to be claimed for ``delay_s``."""
        stmt = (
            update(BatchLine)
            .where(
                BatchLine.batch_id == line.batch_id,
                BatchLine.idx == line.idx,
                BatchLine.state == "running",
                BatchLine.owner == owner,
            )
            .values(state="pending", owner=None, lease_until=time.time() + delay_s)
        )
        async with self.database.session() as session:
            result = await session.execute(stmt)
        return bool(getattr(result, "rowcount", 0))

    async def set_upstream(self, batch_id: str, idxs: Sequence[int], request_id: str | None) -> None:
        """Remember (or forget, with None) the Workers AI queued request carrying these lines, so a line
        claimed again without a result polls it instead of going upstream a second time."""
        async with self.database.session() as session:
            await session.execute(
                update(BatchLine)
                .where(BatchLine.batch_id == batch_id, BatchLine.idx.in_(list(idxs)))
                .where(BatchLine.state.in_(("pending", "running")))
                .values(upstream_request_id=request_id)
            )

    async def fail_exhausted(self, batch_id: str, max_attempts: int) -> None:
        """Lines whose claims expired ``max_attempts`` times (each run killed its worker?) fail for good
        instead of taking down every worker in turn."""
        now = time.time()
        message = f"The line was started {max_attempts} times without finishing; it was not run again."
        async with self.database.session() as session:
            await session.execute(
                update(BatchLine)
                .where(
                    BatchLine.batch_id == batch_id,
                    BatchLine.state == "running",
                    BatchLine.lease_until < now,
                    BatchLine.attempts >= max_attempts,
                )
                .values(
                    state="failed",
                    owner=None,
                    lease_until=None,
                    finished_at=now,
                    error_code="line_attempts_exhausted",
                    error_message=message,
                )
            )

    async def renew(self, owner: str, lease_s: float) -> None:
        """Extend every claim ``owner`` holds (its lines are still running)."""
        async with self.database.session() as session:
            await session.execute(
                update(BatchLine)
                .where(BatchLine.owner == owner, BatchLine.state == "running")
                .values(lease_until=time.time() + lease_s)
            )

    async def release(self, owner: str) -> None:
        """On a clean shutdown: hand back the lines ``owner`` holds (they have no result) at once.

        ``attempts`` is kept: the cut-off run reached the pipeline and left its usage record (499, or
        its cost) under ``<batch>-<line>-<attempts>``; the next run must get a request id of its own, or
        its record (the answered one) would be dropped as a replay of that id."""
        async with self.database.session() as session:
            await session.execute(
                update(BatchLine)
                .where(BatchLine.owner == owner, BatchLine.state == "running")
                .values(state="pending", owner=None, lease_until=None)
            )

    async def stop_batch(self, batch_id: str, code: str, message: str) -> None:
        """Stop a batch early (a hard budget ran out): lines done are kept, lines not started fail with
        ``code``; the batch ends ``failed`` with that error once its running lines finish."""
        async with self.database.session() as session:
            await session.execute(
                update(BatchLine)
                .where(BatchLine.batch_id == batch_id, BatchLine.state == "pending")
                .values(state="failed", error_code=code, error_message=message, finished_at=time.time())
            )
            job = await session.get(BatchJob, batch_id)
            if job is not None and not job.errors:
                job.errors = [{"code": code, "message": message, "param": None, "line": None}]

    async def finalize(self, batch_id: str) -> bool:
        """End a batch whose lines are all final: set its status and create its output/error files.

        The files' sizes are counted first, outside the write (they cannot change once every line is
        final), so the write transaction stays short. The status change is conditional, so when several
        workers try at once exactly one does it."""
        async with self.database.session() as session:
            open_lines = await session.scalar(
                select(func.count())
                .select_from(BatchLine)
                .where(BatchLine.batch_id == batch_id, BatchLine.state.in_(("pending", "running")))
            )
            job = await session.get(BatchJob, batch_id) if not open_lines else None
        if job is None or job.status not in ACTIVE:
            return False
        sizes: dict[str, int] = {}
        for kind in ("output", "error"):
            sizes[kind] = 0
            async for chunk in self._render_lines(batch_id, output=kind == "output"):
                sizes[kind] += len(chunk)
        if job.status == "cancelling":
            final, stamp = "cancelled", "cancelled_at"
        elif job.errors:
            final, stamp = "failed", "failed_at"
        else:
            final, stamp = "completed", "completed_at"
        now = now_s()
        hex_id = batch_id.removeprefix("batch_")
        file_ids = {"output": f"file-{hex_id}-output", "error": f"file-{hex_id}-errors"}
        async with self.database.session() as session:
            result = await session.execute(
                update(BatchJob)
                .where(BatchJob.id == batch_id, BatchJob.status == job.status)
                .values(
                    status=final,
                    finalizing_at=now,
                    output_file_id=file_ids["output"],
                    error_file_id=file_ids["error"],
                    **{stamp: now},
                )
            )
            if not getattr(result, "rowcount", 0):
                return False
            for kind, file_id in file_ids.items():
                session.add(
                    BatchFile(
                        id=file_id,
                        app=job.app,
                        purpose="batch_output",
                        filename=f"{batch_id}_{kind}.jsonl",
                        size=sizes[kind],
                        created_at=now,
                        content=None,
                        batch_id=batch_id,
                        kind=kind,
                    )
                )
        return True


def render_line(row: BatchLine) -> bytes:
    """One output/error file line in OpenAI's shape. The stored body is JSON already: it is spliced
    in, not decoded and encoded again."""
    request_id = row.request_id or f"{row.batch_id.removeprefix('batch_')}-{row.idx}-{row.attempts}"
    head = b'{"id":' + _encode("batch_req_" + request_id) + b',"custom_id":' + _encode(row.custom_id)
    if row.status_code is not None and row.response is not None:
        response = (
            b',"response":{"status_code":' + str(row.status_code).encode()
            + b',"request_id":' + _encode(request_id) + b',"body":' + row.response.encode() + b"}"
        )  # fmt: skip
    else:
        response = b',"response":null'
    if row.state == "done":
        error = b',"error":null'
    else:
        error = b',"error":' + _encode({"code": row.error_code, "message": row.error_message})
    return head + response + error + b"}\n"
