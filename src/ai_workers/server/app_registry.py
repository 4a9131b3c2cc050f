"""Apps and budgets edited at run time (console, admin API, CLI), applied on every worker.

Apps are defined in two places. The config file's ``apps:`` section stays the operator's committed
source and is read-only here (editing it is editing the file). Apps *registered* in the database (the
``apps`` table rows with ``registered``) carry a description, a PHI policy and allowed models; this
registry lays them under the file's apps through the config store's overlay, so the rest of the
gateway (safety policy, model checks, budgets) sees them like any configured app.

Budgets created here are rows of the ``budgets`` table, which the usage service already adds to the
file's budgets of the same app.

Every worker re-reads both small tables every ``refresh_interval_s`` (2 s by default), and at once in
the worker that made a change: a change made through worker A applies in worker B within that bound.

A key can only be created for an app that exists (file, registered, or the default app), so a typo
(``clinc-notes``) is refused with a 404 naming the field instead of becoming a new app without a
budget or policy.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import re
from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from typing import Any, Protocol

import msgspec
import sqlalchemy.exc
from sqlalchemy import select

from ai_workers.core.background import BackgroundTask
from ai_workers.core.config import AppConfig, ConfigStore, Settings
from ai_workers.core.errors import InvalidRequestError, ModelNotFoundError
from ai_workers.core.outage import Outage
from ai_workers.db.models import App
from ai_workers.db.models import Budget as BudgetRow

log = logging.getLogger("ai_workers.server.app_registry")

APP_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,99}$")
PHI_POLICIES = ("block", "redact", "allow", "off")
PERIODS = ("daily", "monthly")
SCOPES = ("app", "user")
MAX_USD = 1e9
MAX_REQUESTS = 10**12


class SessionSource(Protocol):
    def session(self) -> AbstractAsyncContextManager[Any]: ...


class AppNotFoundError(InvalidRequestError):
    status = 404
    code = "app_not_found"


class BudgetNotFoundError(InvalidRequestError):
    status = 404
    code = "budget_not_found"


class ConflictError(InvalidRequestError):
    status = 409
    code = "conflict"


class BudgetInput(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    """A budget as the admin API and CLI take it: dollars and/or requests per day or month."""

    period: str = "daily"
    usd: float | None = None
    requests: int | None = None
    scope: str = "app"
    user: str | None = None
    soft_pct: float = 80.0


class BudgetChange(msgspec.Struct, forbid_unknown_fields=True):
    """A change to an existing budget row; fields left out stay as they are."""

    usd: float | msgspec.UnsetType | None = msgspec.UNSET
    requests: int | msgspec.UnsetType | None = msgspec.UNSET
    soft_pct: float | msgspec.UnsetType = msgspec.UNSET


@dataclass(slots=True, frozen=True)
class AppRecord:
    """One app as the console lists it: where it is defined and its effective policy."""

    name: str
    source: str  # "config" (the YAML file: read-only here), "console" (registered) or "default"
    description: str | None
    phi_policy: str | None
    allowed_models: list[str] | None
    budgets: list[dict[str, Any]]

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "source": self.source,
            "editable": self.source == "console",
            "description": self.description,
            "phi_policy": self.phi_policy,
            "allowed_models": self.allowed_models,
            "budgets": self.budgets,
        }


def budget_dict(row: BudgetRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "app": row.app,
        "period": row.period,
        "usd": row.limit_usd,
        "requests": row.limit_requests,
        "scope": row.scope,
        "user": row.user,
        "soft_pct": row.soft_pct,
        "source": "console",
    }


def validate_budget(budget: BudgetInput | BudgetRow, *, param: str = "budgets") -> None:
    """Clear 400s naming the field, the same from the console, the admin API and the CLI."""
    usd = budget.usd if isinstance(budget, BudgetInput) else budget.limit_usd
    requests = budget.requests if isinstance(budget, BudgetInput) else budget.limit_requests
    if budget.period not in PERIODS:
        raise InvalidRequestError(f"{param}.period: must be daily or monthly", param=f"{param}.period")
    if budget.scope not in SCOPES:
        raise InvalidRequestError(f"{param}.scope: must be app or user", param=f"{param}.scope")
    if usd is None and requests is None:
        raise InvalidRequestError(
            f"{param}.usd: a budget needs a dollar limit (usd) or a request limit (requests)",
            param=f"{param}.usd",
        )
    if usd is not None and not 0 < usd <= MAX_USD:
        raise InvalidRequestError(
            f"{param}.usd: must be more than 0 (at most {MAX_USD:g})", param=f"{param}.usd"
        )
    if requests is not None and not 1 <= requests <= MAX_REQUESTS:
        raise InvalidRequestError(
            f"{param}.requests: must be at least 1 (at most {MAX_REQUESTS})", param=f"{param}.requests"
        )
    if budget.user is not None and not 0 < len(budget.user) <= 200:
        raise InvalidRequestError(f"{param}.user: 1 to 200 characters", param=f"{param}.user")
    if not 0 < budget.soft_pct <= 100:
        raise InvalidRequestError(
            f"{param}.soft_pct: must be more than 0 and at most 100", param=f"{param}.soft_pct"
        )


class AppRegistry:
    """Registered apps and budget rows: create, change, list; the overlay that applies them."""

    def __init__(
        self,
        database: SessionSource,
        config: ConfigStore,
        *,
        refresh_interval_s: float = 2.0,
        on_change: Callable[[], Awaitable[None]] | None = None,
    ) -> None:
        self.database = database
        self.config = config
        self.refresh_interval_s = refresh_interval_s
        self.on_change = on_change  # re-reads the budgets table (the usage service)
        self._apps: dict[str, AppConfig] = {}
        self._task = BackgroundTask("app-registry")
        self._outage = Outage(log, "refreshing apps and budgets")
        self._lock = asyncio.Lock()

    # -- the overlay --------------------------------------------------------------------------------

    def overlay(self, base: Settings) -> Settings:
        """The file's settings with the registered apps laid under its own (the file wins a name)."""
        extra = {name: cfg for name, cfg in self._apps.items() if name not in base.apps}
        if not extra:
            return base
        return msgspec.structs.replace(base, apps={**extra, **base.apps})

    async def refresh(self) -> None:
        async with self._lock:
            async with self.database.session() as session:
                rows = (await session.scalars(select(App).where(App.registered.is_(True)))).all()
                apps = {
                    row.name: AppConfig(
                        description=row.description,
                        phi_policy=row.phi_policy,
                        allowed_models=list(row.allowed_models) if row.allowed_models else None,
                    )
                    for row in rows
                }
            if apps != self._apps:
                self._apps = apps
                self.config.set_overlay(self.overlay)
        if self.on_change is not None:
            await self.on_change()

    async def _refresh_forever(self) -> None:
        while True:
            await asyncio.sleep(self.refresh_interval_s)
            try:
                await self.refresh()
            except Exception as exc:
                self._outage.failed(exc, consequence="keeping the previous apps and budgets")
            else:
                self._outage.succeeded()

    async def start(self) -> None:
        try:
            await self.refresh()
        except Exception:
            log.error("loading registered apps failed; retrying every %gs", self.refresh_interval_s)
        self._task.start(self._refresh_forever)

    async def stop(self) -> None:
        await self._task.stop()

    # -- reads ----------------------------------------------------------------------------------------

    def source_of(self, name: str) -> str | None:
        base = self.config.base
        if name in base.apps:
            return "config"
        if name in self._apps:
            return "console"
        if name == base.default_app:
            return "default"
        return None

    async def exists(self, name: str) -> bool:
        """Whether keys may be made for ``name``: in the file, registered (read now, so a registration
        through another worker a moment ago counts), or the default app."""
        if self.source_of(name) is not None:
            return True
        async with self.database.session() as session:
            row = await session.get(App, name)
            return row is not None and bool(row.registered)

    async def require(self, name: str, *, param: str = "app") -> None:
        if not await self.exists(name):
            known = ", ".join(sorted({*self.config.current.apps, self.config.base.default_app})[:20])
            raise AppNotFoundError(
                f"{param}: there is no app named '{name}'. Create the app first (console Apps page, "
                f"POST /admin/apps or `ai-workers apps create`); known apps: {known}.",
                param=param,
            )

    async def list_apps(self) -> list[AppRecord]:
        settings = self.config.current
        async with self.database.session() as session:
            budget_rows = (await session.scalars(select(BudgetRow).order_by(BudgetRow.id))).all()
        by_app: dict[str, list[dict[str, Any]]] = {}
        for row in budget_rows:
            by_app.setdefault(row.app, []).append(budget_dict(row))
        out: list[AppRecord] = []
        names = sorted({*settings.apps, settings.default_app})
        for name in names:
            cfg = settings.app(name)
            file_budgets = [{**b, "source": "config"} for b in cfg.budgets] if name in settings.apps else []
            out.append(
                AppRecord(
                    name=name,
                    source=self.source_of(name) or "default",
                    description=cfg.description,
                    phi_policy=cfg.phi_policy,
                    allowed_models=cfg.allowed_models,
                    budgets=file_budgets + by_app.get(name, []),
                )
            )
        return out

    # -- writes ---------------------------------------------------------------------------------------

    def _check_policy(self, phi_policy: str | None, allowed_models: list[str] | None) -> None:
        if phi_policy is not None and phi_policy not in PHI_POLICIES:
            raise InvalidRequestError(
                f"phi_policy: must be one of {', '.join(PHI_POLICIES)} (or left out for the default)",
                param="phi_policy",
            )
        catalog = self.config.current.catalog
        for model in allowed_models or []:
            if catalog.find(model) is None:
                raise ModelNotFoundError(
                    f"allowed_models: the model '{model}' does not exist in the catalog.",
                    param="allowed_models",
                )

    async def create_app(
        self,
        name: str,
        *,
        description: str | None = None,
        phi_policy: str | None = None,
        allowed_models: list[str] | None = None,
        budgets: list[BudgetInput] | None = None,
    ) -> AppRecord:
        if not APP_NAME.match(name):
            raise InvalidRequestError(
                "name: 1 to 100 characters, lower-case letters, digits, '.', '_' or '-', "
                "starting with a letter or digit",
                param="name",
            )
        if self.source_of(name) == "config":
            raise ConflictError(
                f"name: the app '{name}' is defined in the config file "
                f"({self.config.base.source or 'YAML'}); change it there.",
                param="name",
            )
        self._check_policy(phi_policy, allowed_models)
        seen: set[tuple[str, str, str | None]] = set()
        for i, budget in enumerate(budgets or []):
            validate_budget(budget, param=f"budgets[{i}]")
            key = (budget.period, budget.scope, budget.user if budget.scope == "user" else None)
            if key in seen:
                raise ConflictError(
                    f"budgets[{i}]: two {budget.period} {budget.scope} budgets", param=f"budgets[{i}]"
                )
            seen.add(key)
        now = dt.datetime.now(dt.UTC)
        async with self.database.session() as session:
            row = await session.get(App, name)
            if row is not None and row.registered:
                raise ConflictError(f"name: the app '{name}' already exists.", param="name")
            if row is None:
                row = App(name=name, created_at=now)
                session.add(row)
            row.registered = True
            row.description = description
            row.phi_policy = phi_policy
            row.allowed_models = list(allowed_models) if allowed_models else None
            row.updated_at = now
            await session.flush()
            for budget in budgets or []:
                session.add(_budget_row(name, budget))
            try:
                await session.commit()
            except sqlalchemy.exc.IntegrityError:
                raise ConflictError(
                    "budgets: two budgets with the same scope, user and period", param="budgets"
                ) from None
        await self.refresh()
        return next(a for a in await self.list_apps() if a.name == name)

    async def update_app(self, name: str, changes: dict[str, Any]) -> AppRecord:
        source = self.source_of(name)
        if source == "config" or (source == "default" and name not in self._apps):
            raise ConflictError(
                f"name: the app '{name}' is defined in the config file; change it there.", param="name"
            )
        async with self.database.session() as session:
            row = await session.get(App, name)
            if row is None or not row.registered:
                raise AppNotFoundError(f"name: there is no app named '{name}'.", param="name")
            self._check_policy(
                changes.get("phi_policy", row.phi_policy), changes.get("allowed_models", row.allowed_models)
            )
            for field in ("description", "phi_policy", "allowed_models"):
                if field in changes:
                    setattr(row, field, changes[field] or None)
            row.updated_at = dt.datetime.now(dt.UTC)
            await session.commit()
        await self.refresh()
        return next(a for a in await self.list_apps() if a.name == name)

    async def create_budget(self, app: str, budget: BudgetInput) -> dict[str, Any]:
        await self.require(app)
        validate_budget(budget, param="budget")
        async with self.database.session() as session:
            # NULL users are distinct to a UNIQUE constraint, so app budgets are checked here.
            same = select(BudgetRow.id).where(
                BudgetRow.app == app, BudgetRow.scope == budget.scope, BudgetRow.period == budget.period
            )
            user = budget.user if budget.scope == "user" else None
            same = same.where(BudgetRow.user.is_(None) if user is None else BudgetRow.user == user)
            if (await session.scalars(same)).first() is not None:
                raise ConflictError(
                    f"period: app '{app}' already has a {budget.period} {budget.scope} budget; "
                    "change that one.",
                    param="period",
                )
            row = _budget_row(app, budget)
            session.add(row)
            try:
                await session.commit()
            except sqlalchemy.exc.IntegrityError:
                raise ConflictError(
                    f"period: app '{app}' already has a {budget.period} {budget.scope} budget; "
                    "change that one.",
                    param="period",
                ) from None
            out = budget_dict(row)
        await self.refresh()
        return out

    async def update_budget(
        self, budget_id: int, change: BudgetChange
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        """(before, after) of one budget row."""
        async with self.database.session() as session:
            row = await session.get(BudgetRow, budget_id)
            if row is None:
                raise BudgetNotFoundError(f"id: there is no budget with id {budget_id}.", param="id")
            before = budget_dict(row)
            if change.usd is not msgspec.UNSET:
                row.limit_usd = change.usd
            if change.requests is not msgspec.UNSET:
                row.limit_requests = change.requests
            if change.soft_pct is not msgspec.UNSET:
                row.soft_pct = change.soft_pct
            validate_budget(row, param="budget")
            await session.commit()
            after = budget_dict(row)
        await self.refresh()
        return before, after

    async def delete_budget(self, budget_id: int) -> dict[str, Any]:
        async with self.database.session() as session:
            row = await session.get(BudgetRow, budget_id)
            if row is None:
                raise BudgetNotFoundError(f"id: there is no budget with id {budget_id}.", param="id")
            out = budget_dict(row)
            await session.delete(row)
            await session.commit()
        await self.refresh()
        return out


def _budget_row(app: str, budget: BudgetInput) -> BudgetRow:
    return BudgetRow(
        app=app,
        scope=budget.scope,
        user=budget.user if budget.scope == "user" else None,
        period=budget.period,
        limit_usd=budget.usd,
        limit_requests=budget.requests,
        soft_pct=budget.soft_pct,
        created_at=dt.datetime.now(dt.UTC),
    )
