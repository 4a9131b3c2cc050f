"""Build hook: compiles the PHI detector to a C extension with mypyc.

The detector runs on every prompt and answer of a health app, and most of its time is Python glue
between ``re`` calls; mypyc turns the same typed source into C (about 1.3x faster: see
bench/bench_phi.py, which prints which build it measured). Everything else in the package is plain
Python. Set ``AI_WORKERS_PURE_PYTHON=1`` to skip the compile; without a C compiler the build warns and
installs the pure-Python detector, which gives the same spans.
"""

from __future__ import annotations

import importlib.util
import json
import os
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

from setuptools import setup

PHI = Path("src/ai_workers/safety/phi")


def _native_module() -> ModuleType:
    """phi/native.py, by path (the package itself cannot be imported before it is installed): its
    module list and source digests are the ones it checks at import."""
    spec = importlib.util.spec_from_file_location("_ai_workers_phi_native", PHI / "native.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def native_extensions() -> list[Any]:
    building = {"build_ext", "build", "bdist_wheel", "editable_wheel", "develop", "install"}
    if not building.intersection(sys.argv) or os.environ.get("AI_WORKERS_PURE_PYTHON") == "1":
        # egg_info and the other metadata steps of a PEP 517 build need no compile (mypyc takes ~15 s)
        return []
    try:
        from mypyc.build import mypycify
    except ImportError:
        print("ai-workers: mypyc is not available; the PHI detector stays pure Python")
        return []
    native = _native_module()
    sources = [str(PHI / f"{name}.py") for name in native.COMPILED]
    # pip builds in an isolated environment without the package's runtime dependencies, so the
    # compile type-checks the detector's modules alone: imports of the rest of the package and of
    # third-party code are read silently (missing ones are Any) instead of failing the build.
    options = ["--follow-imports=silent", "--ignore-missing-imports"]
    try:
        extensions: list[Any] = mypycify(options + sources, opt_level="3", group_name="ai_workers_phi")
    except (SystemExit, Exception) as error:  # mypyc reports type errors by exiting
        print(f"ai-workers: WARNING: the PHI detector could not be compiled ({error!r}); it stays pure Python")
        return []
    for extension in extensions:
        extension.optional = True  # no C compiler: warn and install the pure-Python detector
    # An editable install keeps the extension next to its source: phi/native.py loads the source
    # instead of an extension built from an older version of it.
    record = {"sources": native.source_digests(PHI)}
    (PHI / "native.json").write_text(json.dumps(record, indent=1) + "\n", "utf-8")
    return extensions


if __name__ == "__main__":  # setuptools runs this file as __main__; tests import native_extensions
    setup(ext_modules=native_extensions())
