"""Finding files and turning each into chunks ready to embed: the CPU part of an ingest.

``prepare`` is synchronous (parse + chunk + hash) and meant for a worker thread; the service embeds and
stores what it returns. Any failure becomes a ``Prepared`` with an ``error`` so one bad file is reported
and the rest of the folder goes on.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ai_workers.rag.chunking import chunk_document, indexed_text
from ai_workers.rag.parsers import ParseError, parse, supported
from ai_workers.rag.stores.base import NewChunk
from ai_workers.rag.types import Chunk, DocumentInfo, ParsedDocument


@dataclass(slots=True)
class Prepared:
    source: str
    content_hash: str
    size: int
    doc: ParsedDocument | None = None
    chunks: list[Chunk] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)  # what gets embedded and BM25-indexed
    error: str | None = None

    def stored(
        self, collection: str, vectors: Sequence[list[float]], *, doc_id: str
    ) -> tuple[DocumentInfo, list[NewChunk]]:
        """The document row and chunk rows a store takes for this file, one vector per chunk."""
        assert self.doc is not None
        info = DocumentInfo(
            id=doc_id,
            collection=collection,
            source=self.source,
            title=self.doc.title,
            content_hash=self.content_hash,
            kind=self.doc.kind,
            pages=self.doc.pages,
            chunks=len(self.chunks),
            bytes=self.size,
            updated_at=time.time(),
        )
        rows = [
            NewChunk(
                text=c.text,
                indexed_text=text,
                headings=c.headings,
                page=c.page,
                page_end=c.page_end,
                start=c.start,
                end=c.end,
                vector=vector,
            )
            for c, text, vector in zip(self.chunks, self.texts, vectors, strict=True)
        ]
        return info, rows


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def iter_files(path: Path) -> Iterator[Path]:
    """The file itself, or every supported file under a folder (sorted, hidden entries skipped)."""
    if path.is_file():
        yield path
        return
    for root, dirs, files in os.walk(path):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith(".") and supported(name):
                yield Path(root) / name


def prepare(data: bytes, source: str, *, chunk_tokens: int, overlap_tokens: int) -> Prepared:
    prepared = Prepared(source=source, content_hash=content_hash(data), size=len(data))
    try:
        doc = parse(data, source)
        chunks = chunk_document(doc, max_tokens=chunk_tokens, overlap_tokens=overlap_tokens)
    except ParseError as exc:
        prepared.error = str(exc)
        return prepared
    except Exception as exc:  # a parser library choking on a malformed file: report, don't crash
        prepared.error = f"could not parse: {type(exc).__name__}: {exc}"
        return prepared
    if not chunks:
        prepared.error = "no text found in the file"
        return prepared
    prepared.doc = doc
    prepared.chunks = chunks
    prepared.texts = [indexed_text(doc.title, c.headings, c.text) for c in chunks]
    return prepared


def read_file(path: Path, max_bytes: int) -> bytes | str:
    """The file's bytes, or an error message for the ingest report."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            return f"file larger than {max_bytes} bytes"
        return path.read_bytes()
    except OSError as exc:
        return f"cannot read: {exc.strerror or exc}"
