"""The gateway's relational schema (SQLAlchemy 2.0), the same on SQLite and PostgreSQL.

Alembic migrations in ``ai_workers/db/migrations`` create these tables; the models are the source of
truth they are generated from. No table stores prompt or answer text, nor any PHI: usage records keep
counts and identifiers of apps/users/requests only, and the audit log keeps identifier *types*.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Base(DeclarativeBase):
    pass


# Written as a literal, the same text in the partial index and the purge (a planner uses a partial
# index only for a query that repeats its condition).
TEXT_HELD = "prompt_text IS NOT NULL OR answer_text IS NOT NULL"


class UsageRecord(Base):
    """One row per request the gateway answered (success, failure, cache hit or refusal)."""

    __tablename__ = "usage_records"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)  # request id; idempotent replays
    ts: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    app: Mapped[str] = mapped_column(String(100))
    user: Mapped[str | None] = mapped_column(String(200))
    key_id: Mapped[str | None] = mapped_column(String(40))
    route: Mapped[str | None] = mapped_column(String(100))
    capability: Mapped[str] = mapped_column(String(30))
    requested_model: Mapped[str | None] = mapped_column(String(200))
    logical_model: Mapped[str | None] = mapped_column(String(200))
    provider_model: Mapped[str | None] = mapped_column(String(200))
    provider: Mapped[str | None] = mapped_column(String(60))
    tier: Mapped[str | None] = mapped_column(String(30))
    route_reason: Mapped[str | None] = mapped_column(String(300))
    arm: Mapped[str | None] = mapped_column(String(60))
    status: Mapped[int] = mapped_column(Integer)
    error_kind: Mapped[str | None] = mapped_column(String(60))
    stream: Mapped[bool] = mapped_column(Boolean, default=False)
    input_tokens: Mapped[int] = mapped_column(Integer, default=0)
    output_tokens: Mapped[int] = mapped_column(Integer, default=0)
    units: Mapped[dict[str, float] | None] = mapped_column(JSON)  # audio_minutes, characters, images...
    neurons: Mapped[float | None] = mapped_column(Float)
    cost_usd: Mapped[float] = mapped_column(Float, default=0.0)  # billed: after the free neuron allocation
    list_cost_usd: Mapped[float] = mapped_column(Float, default=0.0)  # before the free allocation
    latency_ms: Mapped[float] = mapped_column(Float)
    upstream_ms: Mapped[float | None] = mapped_column(Float)
    overhead_ms: Mapped[float | None] = mapped_column(Float)
    cache: Mapped[str | None] = mapped_column(String(20))
    cache_hit: Mapped[bool] = mapped_column(Boolean, default=False)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    attempt_log: Mapped[list[dict[str, object]] | None] = mapped_column(JSON)
    phi_redactions: Mapped[int] = mapped_column(Integer, default=0)
    phi_types: Mapped[list[str] | None] = mapped_column(JSON)
    phi_counts: Mapped[dict[str, int] | None] = mapped_column(JSON)  # identifiers found per type (0005)
    safety: Mapped[str | None] = mapped_column(String(20))
    # Opt-in per app, PHI-redacted, purged after the app's retention (0007; core.request_text).
    prompt_text: Mapped[str | None] = mapped_column(Text)
    answer_text: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        Index("ix_usage_app_ts", "app", "ts"),
        # The request log's rarer filters (errors, blocks) walk only the failed requests (0005).
        Index(
            "ix_usage_errors_ts",
            "ts",
            sqlite_where=text("status >= 400"),
            postgresql_where=text("status >= 400"),
        ),
        Index("ix_usage_user_ts", "user", "ts"),
        Index("ix_usage_provider_model_ts", "provider", "logical_model", "ts"),
        Index("ix_usage_logical_model_ts", "logical_model", "ts"),
        Index("ix_usage_key_ts", "key_id", "ts"),  # spend per key (console key page)
        # The retention purge walks only the records still holding text (0007).
        Index(
            "ix_usage_text_app_ts",
            "app",
            "ts",
            sqlite_where=text(TEXT_HELD),
            postgresql_where=text(TEXT_HELD),
        ),
    )


class DailySummary(Base):
    """Rolled-up usage per day, app, provider and model (written by the scheduled roll-up)."""

    __tablename__ = "daily_summaries"

    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    app: Mapped[str] = mapped_column(String(100), primary_key=True)
    provider: Mapped[str] = mapped_column(String(60), primary_key=True)
    model: Mapped[str] = mapped_column(String(200), primary_key=True)
    requests: Mapped[int] = mapped_column(Integer, default=0)
    errors: Mapped[int] = mapped_column(Integer, default=0)
    cache_hits: Mapped[int] = mapped_column(Integer, default=0)
    input_tokens: Mapped[int] = mapped_column(BigInteger, default=0)
    output_tokens: Mapped[int] = mapped_column(BigInteger, default=0)
    neurons: Mapped[float] = mapped_column(Float, default=0.0)
    cost_usd: Mapped[float] = mapped_column(Float, default=0.0)
    avg_latency_ms: Mapped[float] = mapped_column(Float, default=0.0)
    p95_latency_ms: Mapped[float] = mapped_column(Float, default=0.0)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


# Upper edges (ms) of the latency histogram kept per hour; the last bucket is everything slower. Counts
# add up across apps, models and hours, so p50/p95 of any selection come from summed buckets.
LATENCY_BUCKETS_MS: tuple[float, ...] = (
    5, 10, 20, 35, 50, 75, 100, 150, 200, 300, 400, 500, 750,
    1000, 1500, 2000, 3000, 5000, 7500, 10000, 15000, 30000, 60000,
)  # fmt: skip
LATENCY_COLUMNS: tuple[str, ...] = tuple(f"lat_{i:02d}" for i in range(len(LATENCY_BUCKETS_MS) + 1))


class UsageHourly(Base):
    """Usage per hour, app, provider and model: what the charts, the overview and the request log's
    neighbours read, so none of them scans the raw records (written by the roll-up, ``usage/rollup.py``).

    ``lat_NN`` count requests per latency bucket (``LATENCY_BUCKETS_MS``): percentiles of any selection
    are estimated from the summed counts (within one bucket's width), like a Prometheus histogram.
    """

    __tablename__ = "usage_hourly"

    hour: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), primary_key=True)
    app: Mapped[str] = mapped_column(String(100), primary_key=True)
    provider: Mapped[str] = mapped_column(String(60), primary_key=True)
    model: Mapped[str] = mapped_column(String(200), primary_key=True)
    requests: Mapped[int] = mapped_column(Integer, default=0)
    errors: Mapped[int] = mapped_column(Integer, default=0)
    refused: Mapped[int] = mapped_column(Integer, default=0)
    cache_hits: Mapped[int] = mapped_column(Integer, default=0)
    input_tokens: Mapped[int] = mapped_column(BigInteger, default=0)
    output_tokens: Mapped[int] = mapped_column(BigInteger, default=0)
    cost_usd: Mapped[float] = mapped_column(Float, default=0.0)
    list_cost_usd: Mapped[float] = mapped_column(Float, default=0.0)
    latency_ms_sum: Mapped[float] = mapped_column(Float, default=0.0)
    phi_requests: Mapped[int] = mapped_column(Integer, default=0)  # requests with PHI found
    phi_redactions: Mapped[int] = mapped_column(Integer, default=0)
    phi_blocks: Mapped[int] = mapped_column(Integer, default=0)
    safety_blocks: Mapped[int] = mapped_column(Integer, default=0)
    lat_00: Mapped[int] = mapped_column(Integer, default=0)
    lat_01: Mapped[int] = mapped_column(Integer, default=0)
    lat_02: Mapped[int] = mapped_column(Integer, default=0)
    lat_03: Mapped[int] = mapped_column(Integer, default=0)
    lat_04: Mapped[int] = mapped_column(Integer, default=0)
    lat_05: Mapped[int] = mapped_column(Integer, default=0)
    lat_06: Mapped[int] = mapped_column(Integer, default=0)
    lat_07: Mapped[int] = mapped_column(Integer, default=0)
    lat_08: Mapped[int] = mapped_column(Integer, default=0)
    lat_09: Mapped[int] = mapped_column(Integer, default=0)
    lat_10: Mapped[int] = mapped_column(Integer, default=0)
    lat_11: Mapped[int] = mapped_column(Integer, default=0)
    lat_12: Mapped[int] = mapped_column(Integer, default=0)
    lat_13: Mapped[int] = mapped_column(Integer, default=0)
    lat_14: Mapped[int] = mapped_column(Integer, default=0)
    lat_15: Mapped[int] = mapped_column(Integer, default=0)
    lat_16: Mapped[int] = mapped_column(Integer, default=0)
    lat_17: Mapped[int] = mapped_column(Integer, default=0)
    lat_18: Mapped[int] = mapped_column(Integer, default=0)
    lat_19: Mapped[int] = mapped_column(Integer, default=0)
    lat_20: Mapped[int] = mapped_column(Integer, default=0)
    lat_21: Mapped[int] = mapped_column(Integer, default=0)
    lat_22: Mapped[int] = mapped_column(Integer, default=0)
    lat_23: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    __table_args__ = (Index("ix_usage_hourly_app_hour", "app", "hour"),)


class Budget(Base):
    """A spending limit. scope: 'app' or 'user'; period: 'daily' or 'monthly' (UTC)."""

    __tablename__ = "budgets"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    app: Mapped[str] = mapped_column(String(100))
    scope: Mapped[str] = mapped_column(String(10), default="app")
    user: Mapped[str | None] = mapped_column(String(200))  # for scope='user': one user, or '*' for each
    period: Mapped[str] = mapped_column(String(10))
    limit_usd: Mapped[float | None] = mapped_column(Float)
    limit_requests: Mapped[int | None] = mapped_column(Integer)
    soft_pct: Mapped[float] = mapped_column(Float, default=80.0)
    thresholds: Mapped[list[float] | None] = mapped_column(JSON)  # alert thresholds in percent
    webhook_url: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    __table_args__ = (UniqueConstraint("app", "scope", "user", "period", name="uq_budget_scope"),)


class AlertSent(Base):
    """One row per threshold crossed per budget period: alerts go out once."""

    __tablename__ = "alerts_sent"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    budget_key: Mapped[str] = mapped_column(String(300))
    period_start: Mapped[dt.date] = mapped_column(Date)
    threshold_pct: Mapped[float] = mapped_column(Float)
    app: Mapped[str] = mapped_column(String(100))
    spent_usd: Mapped[float] = mapped_column(Float)
    limit_usd: Mapped[float | None] = mapped_column(Float)
    sent_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    delivered: Mapped[bool] = mapped_column(Boolean, default=False)

    __table_args__ = (UniqueConstraint("budget_key", "period_start", "threshold_pct", name="uq_alert_once"),)


class Feedback(Base):
    """User feedback on one response (POST /v1/feedback), joined to usage records by request id."""

    __tablename__ = "feedback"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    request_id: Mapped[str] = mapped_column(String(40), index=True)
    app: Mapped[str] = mapped_column(String(100), index=True)
    user: Mapped[str | None] = mapped_column(String(200))
    rating: Mapped[int] = mapped_column(Integer)  # +1 thumbs up, -1 thumbs down
    comment: Mapped[str | None] = mapped_column(Text)
    ts: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class AuditEvent(Base):
    """Blocks, overrides and admin actions: who, when, why, and identifier types (never values)."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    event_id: Mapped[str] = mapped_column(String(32), unique=True)  # makes spool replays idempotent
    ts: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    app: Mapped[str] = mapped_column(String(100), index=True)
    actor: Mapped[str | None] = mapped_column(String(200))  # admin key id / user who acted
    action: Mapped[str] = mapped_column(String(60))  # phi_block, safety_block, override_grant, key_create...
    request_id: Mapped[str | None] = mapped_column(String(40))
    reason: Mapped[str | None] = mapped_column(Text)
    phi_types: Mapped[list[str] | None] = mapped_column(JSON)
    details: Mapped[dict[str, object] | None] = mapped_column(JSON)


class Override(Base):
    """An admin's permission to pass a block: one request (request_id) or an app until expires_at."""

    __tablename__ = "overrides"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    app: Mapped[str] = mapped_column(String(100), index=True)
    request_id: Mapped[str | None] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(20))  # phi | safety | all
    reason: Mapped[str] = mapped_column(Text)
    granted_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    used: Mapped[bool] = mapped_column(Boolean, default=False)
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)


class App(Base):
    """An app. ``registered`` rows were created as apps (console, admin API, CLI) and carry a policy that
    takes effect on every worker; unregistered rows are older ones made implicitly by key creation."""

    __tablename__ = "apps"

    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    description: Mapped[str | None] = mapped_column(Text)
    registered: Mapped[bool] = mapped_column(Boolean, default=False)
    phi_policy: Mapped[str | None] = mapped_column(String(10))
    allowed_models: Mapped[list[str] | None] = mapped_column(JSON)
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class ApiKey(Base):
    """An app's API key. Only a hash is stored; the key is shown once at creation."""

    __tablename__ = "api_keys"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)  # public id, also the key's prefix
    app: Mapped[str] = mapped_column(ForeignKey("apps.name"), index=True)
    name: Mapped[str | None] = mapped_column(String(200))
    key_hash: Mapped[str] = mapped_column(String(128), unique=True)
    role: Mapped[str] = mapped_column(String(10), default="app")  # app | admin
    allowed_models: Mapped[list[str] | None] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    last_used_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))  # None: never
    rotated_from: Mapped[str | None] = mapped_column(String(40))  # the key this one replaced


class AppRole(Base):
    """Maps a PostgreSQL role to the app whose rows it may read (row-level security, see migrations)."""

    __tablename__ = "app_roles"

    role_name: Mapped[str] = mapped_column(String(63), primary_key=True)
    app: Mapped[str] = mapped_column(String(100), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class AlertEvent(Base):
    """Alert history: every alert raised (budget, circuit open, free neurons, error rate), once per
    ``dedup_key`` (claimed by a unique insert, so several workers raise it once). No PHI: apps,
    providers, models and figures only."""

    __tablename__ = "alert_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    ts: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    kind: Mapped[str] = mapped_column(String(40))  # budget | circuit_open | neurons | error_rate
    severity: Mapped[str] = mapped_column(String(10))  # warning | critical
    app: Mapped[str | None] = mapped_column(String(100))
    subject: Mapped[str] = mapped_column(String(300))  # what the alert is about (budget key, provider/model)
    message: Mapped[str] = mapped_column(Text)
    dedup_key: Mapped[str] = mapped_column(String(400), unique=True)
    details: Mapped[dict[str, object] | None] = mapped_column(JSON)
    delivered: Mapped[bool] = mapped_column(Boolean, default=False)
    delivery_error: Mapped[str | None] = mapped_column(String(300))


class ReportDelivery(Base):
    """One row per scheduled report and day: the claim that makes one worker of many deliver it."""

    __tablename__ = "report_deliveries"

    report: Mapped[str] = mapped_column(String(40), primary_key=True)
    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    claimed_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    delivered: Mapped[bool] = mapped_column(Boolean, default=False)
    channels: Mapped[list[str] | None] = mapped_column(JSON)
    error: Mapped[str | None] = mapped_column(Text)


# -- batch jobs --------------------------------------------------------------------------------------------
# Unlike the tables above, these hold an app's own request and answer text: a batch's input lines must
# survive a restart until they have run, and its results until the app has read them. Every read is
# filtered by app (batch/store.py); times are Unix seconds, as OpenAI's Batch API reports them.


class BatchFile(Base):
    """A file of the Files API: an uploaded batch input (``content`` holds it) or a batch's output or
    error file (``content`` is NULL: rendered from ``batch_lines`` when read, so results are stored once)."""

    __tablename__ = "batch_files"

    id: Mapped[str] = mapped_column(String(60), primary_key=True)
    app: Mapped[str] = mapped_column(String(100))
    purpose: Mapped[str] = mapped_column(String(30))  # batch | batch_output (output and error files)
    filename: Mapped[str] = mapped_column(String(300))
    size: Mapped[int] = mapped_column("bytes", BigInteger)  # "bytes", as OpenAI names it
    created_at: Mapped[int] = mapped_column(BigInteger)
    content: Mapped[bytes | None] = mapped_column(LargeBinary)
    batch_id: Mapped[str | None] = mapped_column(String(60))  # output/error files: whose lines
    kind: Mapped[str] = mapped_column(String(10), default="input")  # input | output | error

    __table_args__ = (Index("ix_batch_files_app_created", "app", "created_at"),)


class BatchJob(Base):
    """One batch: who submitted it (the key's identity, so lines run as that app), its state and times."""

    __tablename__ = "batch_jobs"

    id: Mapped[str] = mapped_column(String(60), primary_key=True)
    app: Mapped[str] = mapped_column(String(100))
    identity: Mapped[dict[str, object]] = mapped_column(JSON)  # key_id, role, allowed_models, user
    endpoint: Mapped[str] = mapped_column(String(200))
    input_file_id: Mapped[str] = mapped_column(String(60))
    completion_window: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(20))
    total: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[int] = mapped_column(BigInteger)
    expires_at: Mapped[int | None] = mapped_column(BigInteger)
    in_progress_at: Mapped[int | None] = mapped_column(BigInteger)
    finalizing_at: Mapped[int | None] = mapped_column(BigInteger)
    completed_at: Mapped[int | None] = mapped_column(BigInteger)
    failed_at: Mapped[int | None] = mapped_column(BigInteger)
    expired_at: Mapped[int | None] = mapped_column(BigInteger)
    cancelling_at: Mapped[int | None] = mapped_column(BigInteger)
    cancelled_at: Mapped[int | None] = mapped_column(BigInteger)
    errors: Mapped[list[dict[str, object]] | None] = mapped_column(JSON)
    meta: Mapped[dict[str, str] | None] = mapped_column("metadata", JSON)
    output_file_id: Mapped[str | None] = mapped_column(String(60))
    error_file_id: Mapped[str | None] = mapped_column(String(60))

    __table_args__ = (
        Index("ix_batch_jobs_app_created", "app", "created_at"),
        Index("ix_batch_jobs_status", "status"),
    )


class BatchLine(Base):
    """One input line and its claim/result: the durable queue's unit of work.

    ``state`` pending -> running (``owner`` + ``lease_until``, a Unix time) -> done | failed | cancelled.
    The result is written by the same statement that ends the claim, so a line has a result exactly
    when its state is final, and a claim that expired is taken again only while it has none.
    """

    __tablename__ = "batch_lines"

    batch_id: Mapped[str] = mapped_column(String(60), primary_key=True)
    idx: Mapped[int] = mapped_column(Integer, primary_key=True)  # 0-based line number in the input
    custom_id: Mapped[str] = mapped_column(String(512))
    url: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)  # the line's request body (JSON text)
    state: Mapped[str] = mapped_column(String(12), default="pending")
    owner: Mapped[str | None] = mapped_column(String(80))
    lease_until: Mapped[float | None] = mapped_column(Float)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    status_code: Mapped[int | None] = mapped_column(Integer)
    response: Mapped[str | None] = mapped_column(Text)  # the answer's body (JSON text), or the error's
    error_code: Mapped[str | None] = mapped_column(String(80))
    error_message: Mapped[str | None] = mapped_column(Text)
    request_id: Mapped[str | None] = mapped_column(String(60))
    finished_at: Mapped[float | None] = mapped_column(Float)
    # The Workers AI asynchronous batch request carrying this line (0008): a line claimed again polls it
    # instead of being sent upstream twice.
    upstream_request_id: Mapped[str | None] = mapped_column(String(80))

    __table_args__ = (
        UniqueConstraint("batch_id", "custom_id", name="uq_batch_line_custom_id"),
        Index("ix_batch_lines_batch_state", "batch_id", "state"),
    )
