"""``ai-workers models``: the model catalog as a table (or JSON), with prices in $ and neurons."""

from __future__ import annotations

import json

import msgspec
import typer
from rich.table import Table

from ai_workers.cli.common import console, settings_from, table_console
from ai_workers.core.catalog import Deployment, ModelCatalog
from ai_workers.core.types import Capability

_UNIT_LABEL = {
    "input_tokens": "in/M tok",
    "output_tokens": "out/M tok",
    "characters": "/M chars",
    "audio_minutes": "/audio min",
    "images": "/image",
    "requests": "/request",
}


def _price(catalog: ModelCatalog, dep: Deployment, unit: str) -> str:
    rate = dep.price.get(unit)
    if rate is None:
        return "-"
    usd = catalog.rate_usd(rate)
    text = f"${usd:,.4f}".rstrip("0").rstrip(".") if usd < 1 else f"${usd:,.2f}"
    if rate.neurons is not None:
        text += f" ({rate.neurons:,g} n)"
    return text


def _other_prices(catalog: ModelCatalog, dep: Deployment) -> str:
    parts = []
    for unit in dep.price:
        if unit in ("input_tokens", "output_tokens"):
            continue
        parts.append(_price(catalog, dep, unit) + " " + _UNIT_LABEL.get(unit, unit))
    return ", ".join(parts) or "-"


def models(
    ctx: typer.Context,
    capability: Capability | None = typer.Option(
        None, "--capability", help="Only models of this capability."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the catalog as JSON."),
) -> None:
    """List the model catalog: names, capability, provider ids, context length and prices."""
    settings = settings_from(ctx)
    catalog = settings.catalog
    specs = [m for m in catalog.all() if capability is None or m.capability == capability]
    if as_json:
        console.print_json(json.dumps(msgspec.to_builtins(specs)))
        return
    table = Table(title=f"ai-workers model catalog ({len(specs)} models)", show_lines=False)
    for column in (
        "model",
        "capability",
        "provider: model id",
        "context",
        "input $/M tok",
        "output $/M tok",
        "other",
    ):
        table.add_column(column, overflow="fold")
    for spec in specs:
        for i, dep in enumerate(spec.deployments):
            context = f"{spec.context_length:,}" if spec.context_length else "-"
            if spec.dimensions:
                context += f" ({spec.dimensions}-d)"
            provider = settings.providers.get(dep.provider)
            enabled = provider is not None and provider.enabled
            where = f"{dep.provider}: {dep.id}" + ("" if enabled else " [dim](disabled)[/]")
            table.add_row(
                spec.name if i == 0 else "",
                spec.capability.value if i == 0 else "",
                where,
                context if i == 0 else "",
                _price(catalog, dep, "input_tokens"),
                _price(catalog, dep, "output_tokens"),
                _other_prices(catalog, dep),
            )
    # Piped output (grep, files) gets whole lines instead of folding ids to an assumed 80 columns.
    out = table_console()
    out.print(table)
    aliases = catalog.aliases
    if aliases:
        out.print(
            "aliases: " + ", ".join(f"{a} -> {t}" for a, t in sorted(aliases.items())),
            highlight=False,
            soft_wrap=True,
        )
    out.print(
        f"n = Cloudflare neurons per unit; $ at ${catalog.neuron_price_usd * 1000:g} per 1,000 neurons",
        style="dim",
        highlight=False,
    )
