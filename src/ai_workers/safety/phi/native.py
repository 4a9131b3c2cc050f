"""Which build of the detector runs: the mypyc-compiled extension, or its Python source.

``setup.py`` compiles the detector's modules with mypyc and records their sources' digests in
``native.json``. In an editable install (``pip install -e .``) the extensions sit next to the sources
and Python's importer prefers them, so after a source is edited (or a ``git pull``) an extension built
from an older source would silently shadow it. ``load_modules`` checks the digests first and, when a
source has changed (or there is no extension), imports every module from its source: the same code
that would run without a compiler, only slower, until the next ``pip install -e .``.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import json
import sys
from importlib.machinery import EXTENSION_SUFFIXES
from pathlib import Path
from types import ModuleType

PACKAGE = "ai_workers.safety.phi"
HERE = Path(__file__).resolve().parent
# The compiled modules in order of dependence (setup.py compiles the same list).
COMPILED = (
    "spans",
    "validators",
    "lexicon",
    "safewords",
    "commonwords",
    "facility_names",
    "tables",
    "name_contexts",
    "bare_urls",
    "user_ids",
    "key_lines",
    "spaces",
    "recall",
    "context",
    "patterns",
    "gates",
    "names",
    "tagger",
    "detector",
)


def source_digests(directory: Path = HERE) -> dict[str, str]:
    """sha256 of each compiled module's source: setup.py records them in native.json at build time."""
    return {name: hashlib.sha256((directory / f"{name}.py").read_bytes()).hexdigest() for name in COMPILED}


def stale_sources(directory: Path = HERE) -> list[str]:
    """The compiled modules whose extension is missing or was built from a different source."""
    try:
        recorded: dict[str, str] = json.loads((directory / "native.json").read_text("utf-8"))["sources"]
    except (OSError, ValueError, KeyError, TypeError):
        return list(COMPILED)
    current = source_digests(directory)
    return [
        name
        for name in COMPILED
        if current[name] != recorded.get(name)
        or not any((directory / f"{name}{suffix}").exists() for suffix in EXTENSION_SUFFIXES)
    ]


def load_modules() -> bool:
    """Imports the detector's modules, compiled when the extensions are current; whether they are.
    Either way their module-level regexes then get first-character filters (``firstchar``)."""
    # Imported here: setup.py loads this file by path, before the package can be imported.
    from ai_workers.safety.phi import firstchar

    compiled = not stale_sources()
    if compiled:
        for name in COMPILED:
            importlib.import_module(f"{PACKAGE}.{name}")
    else:
        package = sys.modules[PACKAGE]
        for name in COMPILED:
            full = f"{PACKAGE}.{name}"
            spec = importlib.util.spec_from_file_location(full, HERE / f"{name}.py")
            assert spec is not None and spec.loader is not None
            module: ModuleType = importlib.util.module_from_spec(spec)
            sys.modules[full] = module
            spec.loader.exec_module(module)
            setattr(package, name, module)
    for name in COMPILED:
        firstchar.convert_module(sys.modules[f"{PACKAGE}.{name}"])
    firstchar.convert_attributes(sys.modules[f"{PACKAGE}.patterns"]._rules())
    return compiled
