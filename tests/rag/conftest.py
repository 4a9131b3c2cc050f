"""RAG test fixtures: every end-to-end test runs on both stores (embedded SQLite and PostgreSQL+pgvector).

The PostgreSQL store is the real server the suite starts (``postgres_url``); tests share it, so each test
uses app names of its own (``apps`` fixture) and never sees another test's collections. Embeddings come
from the local ``all-minilm-l6-v2`` model through the gateway pipeline; it is loaded once per process.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ai_workers.core.config import Settings
from tests.fakes.settings import fake_settings
from tests.rag.corpus import write_corpus

STORES = ["embedded", "postgres"]


@pytest.fixture(params=STORES)
def store_kind(request: pytest.FixtureRequest) -> str:
    kind: str = request.param
    return kind


@pytest.fixture
def rag_section(store_kind: str, request: pytest.FixtureRequest, tmp_path: Path) -> dict[str, Any]:
    """The ``rag:`` config for the parametrised store."""
    if store_kind == "postgres":
        url: str = request.getfixturevalue("postgres_url")
        return {"store": "postgres", "url": url}
    return {"store": "embedded", "url": str(tmp_path / "rag.db")}


@pytest.fixture
def apps() -> tuple[str, str]:
    """Two app names unique to this test (the PostgreSQL store is shared by the whole session)."""
    suffix = uuid.uuid4().hex[:8]
    return f"alpha-{suffix}", f"beta-{suffix}"


def rag_settings(rag: dict[str, Any], tmp_path: Path, openai: Any = None, **overrides: Any) -> Settings:
    """Settings with no cloud provider (unless the fake OpenAI is given) and the given RAG store."""
    return fake_settings(None, openai, data_dir=str(tmp_path / "data"), rag=rag, **overrides)


@pytest.fixture
def settings(rag_section: dict[str, Any], tmp_path: Path) -> Settings:
    return rag_settings(rag_section, tmp_path)


@pytest.fixture
def corpus(tmp_path: Path) -> Iterator[Path]:
    yield write_corpus(tmp_path / "docs")
