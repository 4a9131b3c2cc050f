"""Extractive answers quote only passages that bear on the question."""

from __future__ import annotations

from ai_workers.rag.answer import extractive
from ai_workers.rag.types import Source


def _source(n: int, text: str) -> Source:
    return Source(
        n=n,
        chunk_id=n,
        document_id=f"d{n}",
        source=f"doc{n}.md",
        title=f"Doc {n}",
        headings=["Care"],
        page=None,
        text=text,
        score=1.0 / n,
        scores={},
    )


def test_an_unrelated_lower_ranked_passage_is_not_quoted_or_cited() -> None:
    sources = [
        _source(1, "Clean the filter every two weeks with warm water. Let it dry before refitting it."),
        _source(2, "The moon orbits the earth roughly once every twenty-seven days, as astronomers note."),
    ]
    text, citations = extractive("How often should I clean the filter?", sources)
    assert "every two weeks" in text and "[1]" in text
    assert "moon" not in text and "[2]" not in text
    assert [c.n for c in citations] == [1]


def test_a_relevant_lower_ranked_passage_is_quoted_with_its_number() -> None:
    sources = [
        _source(1, "Clean the filter every two weeks with warm water."),
        _source(2, "Replace the filter cartridge once a year, or sooner in dusty rooms."),
    ]
    text, citations = extractive("How often should I clean or replace the filter?", sources)
    assert "[1]" in text and "[2]" in text
    assert [c.source for c in citations] == ["doc1.md", "doc2.md"]
