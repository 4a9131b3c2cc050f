"""The compiled PHI detector (setup.py builds it with mypyc) is the one that runs, finds exactly what its
Python source finds, and never shadows an edited source."""

from __future__ import annotations

import json
import os
import shutil
import sys
from importlib.machinery import EXTENSION_SUFFIXES
from pathlib import Path
from typing import Any

import pytest

import ai_workers.safety.phi as phi
from ai_workers.safety.phi import native

ROOT = Path(__file__).resolve().parents[2]
PHI_DIR = Path(native.__file__).parent


def source_detector() -> Any:
    """This checkout's ``PhiDetector`` imported from its Python source (bench_phi.py's loader)."""
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from bench_phi import load_baseline
    finally:
        sys.path.remove(str(ROOT / "bench"))
    cls = load_baseline(None)
    module_file = sys.modules[cls.__module__].__file__
    assert module_file is not None and module_file.endswith(".py")
    return cls


@pytest.mark.skipif(
    os.environ.get("AI_WORKERS_PURE_PYTHON") == "1", reason="AI_WORKERS_PURE_PYTHON=1 skips the compile"
)
def test_the_install_runs_the_compiled_detector() -> None:
    """A compile that broke would leave every health app on the ~1.3x slower detector, unnoticed."""
    assert phi.COMPILED, (
        f"the compiled detector is missing or older than its source ({', '.join(native.stale_sources())}): "
        "run `pip install -e .` (scripts/test does) or set AI_WORKERS_PURE_PYTHON=1"
    )
    assert phi.detector.__file__ is not None and phi.detector.__file__.endswith(tuple(EXTENSION_SUFFIXES))


def test_compiled_and_source_detectors_find_the_same_spans() -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from phi_eval import load_set
    finally:
        sys.path.remove(str(ROOT / "bench"))
    texts = [row["text"] for row in load_set() + load_set(heldout=True)]
    from_source = source_detector()(cache_size=0)
    installed = phi.PhiDetector(cache_size=0)
    for text in texts:
        assert [tuple(s) for s in installed.detect(text)] == [tuple(s) for s in from_source.detect(text)]
    conversation = texts[:12]
    assert [[tuple(s) for s in per] for per in installed.detect_many(conversation)] == [
        [tuple(s) for s in per] for per in from_source.detect_many(conversation)
    ]


def test_an_edited_source_is_not_shadowed_by_its_old_extension(tmp_path: Path) -> None:
    for name in native.COMPILED:
        shutil.copy(PHI_DIR / f"{name}.py", tmp_path)
        (tmp_path / f"{name}{EXTENSION_SUFFIXES[0]}").write_bytes(b"")
    sources = native.source_digests(tmp_path)
    (tmp_path / "native.json").write_text(json.dumps({"sources": sources}), "utf-8")
    assert native.stale_sources(tmp_path) == []
    with (tmp_path / "detector.py").open("a", encoding="utf-8") as source:
        source.write("\n# an edit after the build\n")
    assert native.stale_sources(tmp_path) == ["detector"]
    (tmp_path / f"lexicon{EXTENSION_SUFFIXES[0]}").unlink()
    assert native.stale_sources(tmp_path) == ["lexicon", "detector"]
    (tmp_path / "native.json").unlink()  # never built: every module from its source
    assert native.stale_sources(tmp_path) == list(native.COMPILED)


def test_a_subclass_of_the_compiled_detector_overrides_its_methods() -> None:
    class NoNames(phi.PhiDetector):
        def _names(self, *args: Any) -> None:
            return None

        def _recall(self, *args: Any) -> None:
            return None

    text = "Patient: Mei Marchetti   DOB: 04/21/1990"
    assert {s.type for s in phi.PhiDetector(cache_size=0).detect(text)} == {"NAME", "DATE"}
    # (the learned tagger, which would find the name the overridden rules no longer find, is off)
    assert {s.type for s in NoNames(cache_size=0, learned=False).detect(text)} == {"DATE"}


def _setup_module() -> Any:
    """setup.py, imported without running setup() (it runs only as __main__, as setuptools runs it)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("_aiw_setup", ROOT / "setup.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_failed_compile_installs_the_pure_python_detector(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """mypyc reports type errors by exiting; an install must not fail with it (a fresh machine, issue
    seen when mypy followed imports into dependencies that pip's build environment lacks)."""
    mypyc_build = pytest.importorskip("mypyc.build")
    setup_module = _setup_module()

    def broken_mypycify(*args: Any, **kwargs: Any) -> Any:
        raise SystemExit(1)

    monkeypatch.setattr(mypyc_build, "mypycify", broken_mypycify)
    monkeypatch.setattr(sys, "argv", ["setup.py", "editable_wheel"])
    monkeypatch.delenv("AI_WORKERS_PURE_PYTHON", raising=False)
    monkeypatch.chdir(ROOT)
    assert setup_module.native_extensions() == []
    out = capsys.readouterr().out
    assert "WARNING: the PHI detector could not be compiled" in out
    assert "pure Python" in out


def test_the_compile_checks_the_detector_alone(tmp_path: Path) -> None:
    """The build's mypy must not follow imports into the rest of the package: pip's isolated build
    environment has none of the runtime dependencies (msgspec, redis...)."""
    mypyc_build = pytest.importorskip("mypyc.build")
    setup_module = _setup_module()
    seen: list[str] = []

    def recording_mypycify(paths: list[str], **kwargs: Any) -> list[Any]:
        seen.extend(paths)
        return []

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(mypyc_build, "mypycify", recording_mypycify)
        patch.setattr(sys, "argv", ["setup.py", "editable_wheel"])
        patch.delenv("AI_WORKERS_PURE_PYTHON", raising=False)
        copy = tmp_path / "src" / "ai_workers" / "safety" / "phi"  # the build writes native.json there
        shutil.copytree(PHI_DIR, copy, ignore=shutil.ignore_patterns("*.so", "__pycache__"))
        patch.chdir(tmp_path)
        setup_module.native_extensions()
    assert "--follow-imports=silent" in seen
    assert "--ignore-missing-imports" in seen


def test_coverage_omits_exactly_the_compiled_modules() -> None:
    """A compiled module that coverage still measured would count as never run (0%) and sink the total."""
    import tomllib

    omit = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["coverage"]["run"]["omit"]
    assert sorted(Path(pattern).stem for pattern in omit) == sorted(native.COMPILED)
